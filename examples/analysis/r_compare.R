# Compare two statecraft results folders with base R and draw one chart.
#
#   statecraft run scenarios/open_order.ron --runs 2000 --out out/open
#   statecraft run scenarios/paid_access_2025.ron --runs 2000 --out out/paid
#   Rscript examples/analysis/r_compare.R out/open out/paid out/rupture.png
#
# Both folders use the same seed, so run r of one pairs with run r of the other (common random
# numbers): the script prints the mean of every metric in both folders and their paired
# difference, then draws the share of runs in which a treaty ally's trust has ruptured by each
# round (from first_rupture_round; an empty cell means no rupture in that run). Base R only:
# read.csv reads every number column as numeric and empty cells as NA. With the arrow package,
# arrow::read_parquet("out/paid/runs.parquet") reads the Parquet tables (--format parquet).

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) {
  stop("usage: Rscript r_compare.R FOLDER_A FOLDER_B [CHART.png]")
}
load_runs <- function(folder) {
  runs <- read.csv(file.path(folder, "runs.csv"), check.names = FALSE)
  summary <- jsonlite_free_summary(file.path(folder, "summary.json"))
  list(runs = runs, name = summary$scenario, seed = summary$seed,
       metrics = summary$metrics)
}
# summary.json without a JSON package: the scenario name, the seed and the metric names.
jsonlite_free_summary <- function(path) {
  text <- paste(readLines(path, warn = FALSE), collapse = "\n")
  field <- function(key) {
    m <- regmatches(text, regexpr(sprintf('"%s": *"?[^",\n]*', key), text))
    sub(sprintf('"%s": *"?', key), "", m)
  }
  names <- regmatches(text, gregexpr('"name": *"[^"]*"', text))[[1]]
  list(scenario = field("scenario"), seed = field("seed"),
       metrics = sub('"name": *"([^"]*)"', "\\1", names))
}

a <- load_runs(args[1])
b <- load_runs(args[2])
if (a$seed != b$seed) {
  warning("different seeds: runs are not paired")
}
paired <- merge(a$runs, b$runs, by = "run", suffixes = c("_a", "_b"))
metrics <- intersect(a$metrics, b$metrics)
table <- data.frame(
  metric = metrics,
  mean_a = sapply(metrics, function(m) mean(a$runs[[m]], na.rm = TRUE)),
  mean_b = sapply(metrics, function(m) mean(b$runs[[m]], na.rm = TRUE)),
  paired_diff = sapply(metrics, function(m) {
    mean(paired[[paste0(m, "_b")]] - paired[[paste0(m, "_a")]], na.rm = TRUE)
  }),
  row.names = NULL
)
cat(sprintf("%s (a) vs %s (b), %d paired runs\n", a$name, b$name, nrow(paired)))
table[-1] <- lapply(table[-1], round, 4)
print(table, row.names = FALSE)

if (length(args) >= 3) {
  # Share of runs with a rupture by round t: the empirical CDF of first_rupture_round, runs
  # without a rupture counted in the denominator.
  rounds <- 0:max(c(a$runs$first_rupture_round, b$runs$first_rupture_round, 1), na.rm = TRUE)
  share <- function(x) sapply(rounds, function(t) mean(!is.na(x) & x <= t))
  png(args[3], width = 720, height = 420)
  plot(rounds, share(a$runs$first_rupture_round), type = "s", ylim = c(0, 1),
       xlab = "round", ylab = "share of runs with a rupture", col = "steelblue", lwd = 2)
  lines(rounds, share(b$runs$first_rupture_round), type = "s", col = "firebrick", lwd = 2)
  legend("topleft", legend = c(a$name, b$name), col = c("steelblue", "firebrick"), lwd = 2)
  invisible(dev.off())
  cat(sprintf("chart: %s\n", args[3]))
}
