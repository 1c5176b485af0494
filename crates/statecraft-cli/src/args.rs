//! The command line: every subcommand, option and example, in one place.

use std::path::{Path, PathBuf};

use clap::builder::TypedValueParser as _;
use clap::{Args, Parser, Subcommand};
use statecraft_api::DesignKind;

/// `--version`: the version, the commit built from (the library's record of it) and the
/// optional features built in.
static LONG_VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{} (commit {}; features: {})",
        env!("CARGO_PKG_VERSION"),
        statecraft_api::GIT_HASH,
        env!("STATECRAFT_FEATURES")
    )
});

/// Agent-based simulation of transactional alliances: how allies answer a hegemon that sells
/// market access and protection, over thousands of seeded Monte Carlo runs.
#[derive(Debug, Parser)]
#[command(name = "statecraft", version, long_version = LONG_VERSION.as_str(), propagate_version = true)]
#[command(
    after_help = "Examples:\n  statecraft run scenarios/paid_access_2025.ron\n  statecraft run scenarios/examples/three_actors.ron --runs 200 --out out/demo\n  statecraft validate scenarios/*.ron\n\nExit status: 0 success; 2 a usage or input error (a bad option, an unreadable or invalid\nscenario, patterns or results file, an existing output without --force); 1 a failure at run\ntime (writing the results, a failed batch, an output locked by another statecraft); 130 a\nbatch stopped by Ctrl-C (continue it with --resume)."
)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario's Monte Carlo batch and write runs.csv, actors.csv and summary.json.
    Run(RunArgs),
    /// Print the JSON Schema of the scenario format (a scenario, its world inline or in a file),
    /// for editors and for scripts that generate scenarios.
    Schema,
    /// Write a commented template scenario to start from (it validates as written): a small
    /// world written out in full, or the calibrated 2025 world inline.
    New(NewArgs),
    /// Write a scenario (its world included) as JSON or RON: scripts generate scenarios in
    /// JSON, and the RON written back reproduces the same scenario.
    Convert(ConvertArgs),
    /// Combine the shard folders of one batch (`run`, `sweep` or `tournament` with --shard K/N)
    /// into the folder the unsharded command would have written, byte for byte.
    Merge(MergeArgs),
    /// Play every hegemon strategy variant against every ally-policy profile over the same
    /// seeded runs, and rank them: payoff tables with 95% intervals, the probability of ranking
    /// first, the payoff matrix, and optionally evolutionary dynamics over ally policies.
    Tournament(TournamentArgs),
    /// Export a results folder for another tool: `--to ema` writes the .tar.gz archive that
    /// EMA Workbench's `load_results()` reads (for PRIM and other scenario discovery); several
    /// folders make one archive of their run-level outcomes.
    #[command(override_usage = "statecraft export [OPTIONS] --to <TO> <DIR>... <OUT>")]
    Export(ExportArgs),
    /// Check scenario files: for each, "ok" with its size, or its errors with the file, the line
    /// and column or the field path, and the allowed range (a syntax error or an unknown name
    /// stops the check of that file; every value out of range is reported).
    Validate(ValidateArgs),
    /// Run a design of parameter points (grid, random, Latin hypercube, Sobol), each with
    /// --runs replications on common random numbers; write sweep.csv (one row per point).
    Sweep(SweepArgs),
    /// Global sensitivity of every outcome to the uncertain parameters: Sobol indices
    /// (Saltelli design, Saltelli 2010 first order and Jansen total, as SALib; bootstrap
    /// intervals) or Morris elementary effects.
    Sensitivity(SensitivityArgs),
    /// Compare outcome distributions of scenarios or results folders, each against the first:
    /// means and quantiles, difference of means with a bootstrap interval, Kolmogorov-Smirnov,
    /// Mann-Whitney and Cliff's delta, and a verdict in words.
    Compare(CompareArgs),
    /// Scenario discovery: PRIM (peeling and pasting, Friedman & Fisher 1999, as EMA
    /// Workbench does it) finds the ranges of the uncertain parameters that hold the runs of a
    /// results folder whose metric is below (or above) a value; writes the trade-off of
    /// coverage against density (prim_trajectory.csv) and the chosen box (prim_box.csv).
    Discover(DiscoverArgs),
    /// Score every run against observed patterns (a patterns file) and print each pattern's
    /// acceptance rate; with --abc keep the runs closest to the record over the binding
    /// patterns (each gap scaled by its sd, a tolerance schedule) as the posterior of the
    /// uncertain parameters (approximate Bayesian computation).
    Patterns(PatternsArgs),
    /// Draw the report of results folders: DIR/report.html (self-contained: inline SVG and
    /// CSS, no script) and DIR/plots/*.svg (and .png with --png). Several folders are compared.
    Report(ReportArgs),
    /// Print the completion script of a shell (bash, zsh, fish, powershell, elvish) to
    /// standard output.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of statecraft to standard output, or with --out write one
    /// per command (statecraft.1, statecraft-run.1, ...) into a folder.
    Man(ManArgs),
}

/// Options of `statecraft completions`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft completions bash > ~/.local/share/bash-completion/completions/statecraft\n  statecraft completions zsh > ~/.zfunc/_statecraft   # with fpath+=(~/.zfunc) before compinit in ~/.zshrc\n  statecraft completions fish > ~/.config/fish/completions/statecraft.fish"
)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Options of `statecraft man`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft man | man -l -\n  statecraft man --out ~/.local/share/man/man1"
)]
pub struct ManArgs {
    /// Write statecraft.1 and one page per command (statecraft-run.1, ...) into this folder
    /// (created if needed; pages already there are replaced) instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Options of `statecraft run`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft run scenarios/paid_access_2025.ron\n  statecraft run scenarios/paid_access_2025.ron --runs 2000 --seed 7 --threads 2 --out out/test\n  statecraft run scenarios/examples/three_actors.ron --trajectories 10 --rounds 40\n  statecraft run scenarios/examples/three_actors.ron --set model.hedge_cost=0.3 --set 'strategy.linkage=Uniform(0, 1)'\n  statecraft run scenarios/examples/three_actors.ron --quiet --force --out out/demo"
)]
pub struct RunArgs {
    /// The scenario file (RON, or JSON if it ends in .json).
    #[arg(required_unless_present = "from_manifest")]
    pub scenario: Option<PathBuf>,
    /// Reproduce the results folder this manifest.json describes: its scenario, seed, runs,
    /// rounds, trajectories, world series, shard, draws and summary-only (use --out for the
    /// new folder).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["scenario", "runs", "seed", "rounds", "trajectories", "shard", "world_series", "set", "draws", "no_draws", "summary_only"])]
    pub from_manifest: Option<PathBuf>,
    /// Set a parameter: PATH=VALUE, the path as `statecraft validate --params` lists it, the
    /// value a number or a distribution as a scenario writes one (`model.hedge_cost=0.3`,
    /// `model.elasticity_lr=Uniform(2, 6)`). Repeatable; recorded in the manifest's scenario.
    #[arg(long, value_name = "PATH=VALUE", value_parser = parse_set)]
    pub set: Vec<(String, String)>,
    /// Number of Monte Carlo runs [default: the scenario's `runs`].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000_000_000_000))]
    pub runs: Option<u64>,
    /// Seed, threads, rounds, --force, --quiet.
    #[command(flatten)]
    pub batch: BatchOpts,
    /// Output folder [default: out/NAME, NAME being the scenario's name].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also write trajectories.csv for the first K runs.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub trajectories: u64,
    /// Also write world.csv: per round of every run, the world columns of MODEL.md 3.5 (the
    /// hegemon's effective tariff, deals in force, the coalition retaliating, cohesion,
    /// alignment, the allies' export shares). CSV only; a batch with it cannot be resumed.
    #[arg(long, conflicts_with_all = ["resume", "shard"])]
    pub world_series: bool,
    /// Compute only shard K of N (K from 0 to N-1): a contiguous share of the run indices,
    /// written with a shard.json for `statecraft merge` [default folder: out/NAME-shards/shard-K-of-N].
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u64, u64)>,
    /// Formats of runs, actors and trajectories, comma-separated: csv, parquet or csv,parquet
    /// (parquet needs a build with `--features parquet`) [default: csv, or the manifest's].
    #[arg(long, value_parser = table_format(), value_delimiter = ',', value_name = "FORMATS")]
    pub format: Option<Vec<TableFormat>>,
    /// Continue the interrupted batch of this output folder (killed, or stopped with Ctrl-C)
    /// from its last checkpoint: same options, the same files byte for byte. With no
    /// interrupted batch to continue, starts afresh (so a requeued job can always pass it).
    #[arg(long)]
    pub resume: bool,
    /// Where the parameter draws go [default: runs]. Not with --shard: `merge` joins shards
    /// whose runs.csv holds them.
    #[arg(long, value_name = "WHERE", value_parser = draws_place(), conflicts_with_all = ["no_draws", "shard"])]
    pub draws: Option<Draws>,
    /// Leave the parameter draws out: runs.csv holds run and the metrics only (--draws none).
    /// `discover` and `export` need draws: keep them with --draws table instead. Not with
    /// --shard.
    #[arg(long, conflicts_with = "shard")]
    pub no_draws: bool,
    /// Write only summary.json, schema.json and manifest.json, and print the table: no
    /// runs.csv, actors.csv or any other per-run table. The summary is the full batch's, the
    /// same numbers as with the tables. Hence not with the options that shape per-run tables
    /// (--trajectories, --world-series, --draws, --no-draws, --format), nor with --shard
    /// (`merge` builds the summary from the shards' runs.csv).
    #[arg(long, conflicts_with_all = ["trajectories", "world_series", "draws", "no_draws", "shard", "format"])]
    pub summary_only: bool,
}

pub use statecraft_results::{Draws, TableFormat};

/// Parses where the draws go (`runs`, `table`, `none`), listing each in `--help`.
fn draws_place() -> impl clap::builder::TypedValueParser<Value = Draws> {
    clap::builder::PossibleValuesParser::new([
        clap::builder::PossibleValue::new("runs")
            .help("columns of runs.csv, after run: one per uncertain parameter"),
        clap::builder::PossibleValue::new("table")
            .help("their own table draws.csv (run, then one column per uncertain parameter); runs.csv holds run and the metrics"),
        clap::builder::PossibleValue::new("none").help("not written (as --no-draws)"),
    ])
    .map(|s| match s.as_str() {
        "table" => Draws::Table,
        "none" => Draws::None,
        _ => Draws::Runs,
    })
}

/// Parses a table format by name (`csv`, `parquet`), listing both in `--help`.
fn table_format() -> impl clap::builder::TypedValueParser<Value = TableFormat> {
    clap::builder::PossibleValuesParser::new([
        clap::builder::PossibleValue::new("csv").help("runs.csv, actors.csv, trajectories.csv"),
        clap::builder::PossibleValue::new("parquet").help(
            "runs.parquet, actors.parquet, trajectories.parquet, with the manifest in their metadata",
        ),
    ])
    .map(|s| match s.as_str() {
        "parquet" => TableFormat::Parquet,
        _ => TableFormat::Csv,
    })
}

/// Options shared by the commands that run batches.
#[derive(Debug, Args)]
pub struct BatchOpts {
    /// Seed [default: the scenario's `seed`]. Same seed, same numbers.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Rounds per run [default: the scenario's `rounds`].
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub rounds: Option<u32>,
    /// Replace an existing output folder: only one statecraft wrote (its manifest.json,
    /// compare.json or patterns.json) or an empty one; any other folder or file is refused.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors (no progress bar, no table).
    #[arg(long, short)]
    pub quiet: bool,
}

/// The parser of `--design`: the library's designs, named and explained by
/// [`DesignKind::name`] and [`DesignKind::about`] (one list for the CLI, the scenario's sweep
/// section and the Python package).
fn design_kind() -> impl clap::builder::TypedValueParser<Value = DesignKind> {
    use clap::builder::{PossibleValue, PossibleValuesParser};
    PossibleValuesParser::new(DesignKind::ALL.map(|k| PossibleValue::new(k.name()).help(k.about())))
        .try_map(|name: String| DesignKind::from_name(&name).ok_or("not a design"))
}

/// Options of `statecraft sweep`.
#[derive(Debug, Args)]
#[command(
    after_help = "Parameters are named by the paths `statecraft validate --params FILE` lists. PATH=LO:HI varies the parameter uniformly over [LO, HI]; PATH alone samples its distribution in the scenario. Without --param, the scenario's sweep section, else every uncertain parameter.\n\nExamples:\n  statecraft sweep scenarios/paid_access_2025.ron --param model.elasticity_lr=2:6 --param model.security_weight=2:10 --design lhs --points 64 --runs 1000\n  statecraft sweep scenarios/examples/three_actors.ron --param model.hedge_cost=0:1 --design grid --levels 11 --runs 200\n  statecraft sweep scenarios/examples/three_actors.ron --design-file points.csv --runs 100 --per-run"
)]
pub struct SweepArgs {
    /// The scenario file.
    pub scenario: PathBuf,
    /// A parameter to vary: PATH=LO:HI (uniform) or PATH (its own distribution). Repeatable.
    #[arg(long = "param", value_name = "PATH[=LO:HI]", value_parser = parse_param)]
    pub params: Vec<(String, Option<(f64, f64)>)>,
    /// The design [default: the sweep section's, else lhs].
    #[arg(long, value_parser = design_kind())]
    pub design: Option<DesignKind>,
    /// A design made elsewhere (EMA Workbench, SALib, a spreadsheet): a CSV file whose header
    /// names the parameters by path and whose rows are the points, each value within its
    /// parameter's allowed range. Replaces --param, --design, --points and --levels.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["params", "design", "points", "levels"])]
    pub design_file: Option<PathBuf>,
    /// Points of a random, lhs or sobol design [default: the sweep section's, else 64].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub points: Option<u64>,
    /// Levels per parameter of a grid [default: the sweep section's, else 5].
    #[arg(long, value_name = "L", value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub levels: Option<u64>,
    /// Replications per point, on common random numbers [default: the sweep section's, else 1000].
    #[arg(long, value_name = "R", value_parser = clap::value_parser!(u64).range(1..=1_000_000_000_000))]
    pub runs: Option<u64>,
    /// Output folder [default: out/NAME-sweep].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also write runs.csv: every run of every point.
    #[arg(long)]
    pub per_run: bool,
    /// Compute only shard K of N of the design points (K from 0 to N-1), with a
    /// sweep_shard.json for `statecraft merge` [default folder: out/NAME-sweep-shards/shard-K-of-N].
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u64, u64)>,
    /// Seed, threads, rounds, --force, --quiet.
    #[command(flatten)]
    pub batch: BatchOpts,
}

/// The method of `statecraft sensitivity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// First-order and total Sobol indices.
    Sobol,
    /// Morris elementary effects.
    Morris,
}

/// Options of `statecraft sensitivity`.
#[derive(Debug, Args)]
#[command(
    after_help = "Each design point's output is the mean of the metric over --runs replications (common random numbers across points). Sobol needs samples*(k+2) points for k parameters, Morris samples*(k+1).\n\nExamples:\n  statecraft sensitivity scenarios/paid_access_2025.ron --method morris --samples 20 --runs 50\n  statecraft sensitivity scenarios/examples/three_actors.ron --method sobol --samples 512 --runs 20 --metrics hegemon_rent,share_concede"
)]
pub struct SensitivityArgs {
    /// The scenario file.
    pub scenario: PathBuf,
    /// The method.
    #[arg(long, value_enum, default_value = "sobol")]
    pub method: Method,
    /// A parameter to vary: PATH=LO:HI or PATH [default: the sweep section's, else every
    /// uncertain parameter with its own distribution]. Repeatable.
    #[arg(long = "param", value_name = "PATH[=LO:HI]", value_parser = parse_param)]
    pub params: Vec<(String, Option<(f64, f64)>)>,
    /// Base samples N of the Saltelli design (a power of two is best; at most 65536), or
    /// Morris trajectories [default: 256 for sobol, 20 for morris].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(2..=65_536))]
    pub samples: Option<u64>,
    /// Grid levels of Morris (even).
    #[arg(long, value_name = "P", default_value_t = 4)]
    pub levels: usize,
    /// Replications per design point [default: 50].
    #[arg(long, value_name = "R", default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000_000))]
    pub runs: u64,
    /// Bootstrap resamples for the 95% intervals.
    #[arg(long, value_name = "B", default_value_t = 1000)]
    pub bootstrap: usize,
    /// Only these metrics (comma-separated) [default: all].
    #[arg(long, value_name = "M,...", value_delimiter = ',')]
    pub metrics: Vec<String>,
    /// Output folder [default: out/NAME-sensitivity-METHOD].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed, threads, rounds, --force, --quiet.
    #[command(flatten)]
    pub batch: BatchOpts,
}

/// Options of `statecraft compare`.
#[derive(Debug, Args)]
#[command(
    after_help = "Scenario files are run with the same seed and number of runs (the first scenario's, or --seed/--runs), so run r of each shares its parameter draws: differences are paired by run. Results folders are read from their runs.csv; they pair when they hold the same run indices of the same seed.\n\nExamples:\n  statecraft compare scenarios/paid_access_2025.ron scenarios/open_order.ron --runs 2000\n  statecraft compare out/paid_access_2025 out/open_order"
)]
pub struct CompareArgs {
    /// Scenario files or results folders (at least two); each is compared with the first.
    #[arg(required = true, num_args = 2..)]
    pub inputs: Vec<PathBuf>,
    /// Runs of each scenario file [default: the first input's: a results folder's runs, else
    /// the first scenario's `runs`]; the seed follows the same rule.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(2..=1_000_000_000_000))]
    pub runs: Option<u64>,
    /// Bootstrap resamples of the difference of means.
    #[arg(long, value_name = "B", default_value_t = 2000)]
    pub bootstrap: usize,
    /// Output folder [default: out/compare-A-vs-B..., named by the inputs' scenarios].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed, threads, rounds, --force, --quiet.
    #[command(flatten)]
    pub batch: BatchOpts,
}

/// Options of `statecraft discover`.
#[derive(Debug, Args)]
#[command(
    group(clap::ArgGroup::new("rule").required(true).args(["below", "above"])),
    after_help = "The runs of interest are those whose metric is below (or above) the value; runs where the metric is undefined (an event that did not happen) are not of interest. Coverage: the share of the runs of interest inside the box; density: the share of the box's runs that are of interest; mass: the share of all runs inside the box. The chosen box is the step of highest coverage whose density reaches --threshold (else the densest).\n\nExamples:\n  statecraft run scenarios/examples/three_actors.ron --runs 2000 --out out/three\n  statecraft discover out/three --metric share_concede --above 0.2\n  statecraft discover out/three --metric hegemon_rent --below 900 --threshold 0.7 --out out/low-rent"
)]
pub struct DiscoverArgs {
    /// The results folder: of `statecraft run` or `merge` (CSV format), or of
    /// `statecraft sweep --per-run`; its runs.csv is read.
    pub dir: PathBuf,
    /// The metric (a column of runs.csv) that marks the runs of interest.
    #[arg(long, value_name = "M")]
    pub metric: String,
    /// Runs of interest: the metric strictly below X.
    #[arg(long, value_name = "X", allow_negative_numbers = true, value_parser = parse_finite)]
    pub below: Option<f64>,
    /// Runs of interest: the metric strictly above X.
    #[arg(long, value_name = "X", allow_negative_numbers = true, value_parser = parse_finite)]
    pub above: Option<f64>,
    /// The density (share of runs of interest) the chosen box must reach.
    #[arg(long, value_name = "D", default_value_t = 0.8, value_parser = parse_share)]
    pub threshold: f64,
    /// The share of a box's runs each peel removes (EMA Workbench's peel_alpha; pasting uses
    /// 0.05, and no box holds less than 5% of the runs).
    #[arg(long, value_name = "A", default_value_t = 0.05, value_parser = parse_alpha)]
    pub alpha: f64,
    /// Output folder [default: out/NAME-discover, NAME being the results folder's].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace an existing output folder: only one statecraft wrote (its manifest.json,
    /// compare.json or patterns.json) or an empty one; any other folder or file is refused.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Parses a finite number.
fn parse_finite(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(format!("{text:?} is not a finite number")),
    }
}

/// Parses a peeling alpha in (0, 0.5).
fn parse_alpha(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x > 0.0 && x < 0.5 => Ok(x),
        _ => Err(format!("{text:?} is not a share above 0 and below 0.5")),
    }
}

/// Options of `statecraft patterns`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft patterns scenarios/paid_access_2025.ron --runs 2000\n  statecraft patterns scenarios/paid_access_2025.ron --runs 20000 --abc --emit-scenario calibrated.ron"
)]
pub struct PatternsArgs {
    /// The scenario file.
    pub scenario: PathBuf,
    /// The patterns file [default: the scenario's `patterns`].
    #[arg(long, value_name = "FILE")]
    pub patterns: Option<PathBuf>,
    /// Number of runs [default: the scenario's `runs`].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000_000_000_000))]
    pub runs: Option<u64>,
    /// Approximate Bayesian computation on the runs (MODEL.md 4.3): each run's distance from
    /// the record over the binding patterns and a tolerance schedule down to --tolerance
    /// (with --adjust, regression adjustment). Writes the posterior sample
    /// (posterior.csv), the accepted runs (abc_accepted.csv), the schedule
    /// (abc_schedule.csv), prior against posterior (abc.csv) and the posterior's correlations
    /// (abc_pairs.csv).
    #[arg(long)]
    pub abc: bool,
    /// With --abc: the share of runs accepted at the final tolerance (the closest runs).
    #[arg(long, value_name = "SHARE", default_value_t = 0.02, requires = "abc", value_parser = parse_share)]
    pub tolerance: f64,
    /// With --abc: adjust the accepted draws by local-linear regression on the gaps
    /// (Beaumont, Zhang & Balding 2002), carrying them to the record's gap of 0; without it,
    /// the posterior is the accepted runs (rejection over the distance). The adjustment is
    /// local: where the accepted runs lie far from the record it extrapolates (the printout
    /// gives their mean gap).
    #[arg(long, requires = "abc")]
    pub adjust: bool,
    /// With --abc: write a scenario whose uncertain parameters take their posterior (see
    /// --emit-as).
    #[arg(long, value_name = "FILE", requires = "abc")]
    pub emit_scenario: Option<PathBuf>,
    /// How the emitted scenario states the posterior: `normal`, each parameter's marginal as a
    /// normal with the accepted draws' mean and sd truncated to the prior's support, on the
    /// prior's scale (readable; param_overrides); `choice`, each marginal as a Choice of the
    /// accepted draws (exact marginal; param_overrides); `sample`, the joint: the accepted
    /// runs' draws of every uncertain parameter as rows of param_sample (keeps the
    /// dependence between parameters). Both marginal modes lose the joint.
    #[arg(long, value_enum, default_value = "normal", requires = "emit_scenario")]
    pub emit_as: EmitAs,
    /// Most accepted draws (per parameter with `choice`, rows with `sample`): the first
    /// accepted, by run.
    #[arg(long, value_name = "K", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    pub emit_max: u64,
    /// With the marginal modes, only parameters whose mean moved by at least this share of
    /// the prior's 90% width get a posterior in the emitted scenario (the others keep their
    /// prior); `sample` keeps every uncertain parameter.
    #[arg(long, value_name = "S", default_value_t = 0.0)]
    pub emit_min_shift: f64,
    /// Output folder [default: out/NAME-patterns].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed, threads, rounds, --force, --quiet.
    #[command(flatten)]
    pub batch: BatchOpts,
}

/// How `patterns --emit-scenario` states a posterior.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EmitAs {
    /// Each marginal: a truncated normal fitted to the accepted draws.
    Normal,
    /// Each marginal: a Choice of the accepted draws themselves.
    Choice,
    /// The joint: the accepted runs' draws as rows of `param_sample`.
    Sample,
}

/// Parses a share in (0, 1].
fn parse_share(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x > 0.0 && x <= 1.0 => Ok(x),
        _ => Err(format!("{text:?} is not a share in (0, 1]")),
    }
}

/// Parses `PATH=LO:HI` or `PATH`.
fn parse_param(text: &str) -> Result<(String, Option<(f64, f64)>), String> {
    let Some((path, range)) = text.split_once('=') else {
        return Ok((text.trim().to_string(), None));
    };
    let (lo, hi) = range
        .split_once(':')
        .ok_or_else(|| format!("{text:?}: expected PATH=LO:HI, e.g. model.elasticity_lr=2:6"))?;
    let num = |x: &str| {
        x.trim()
            .parse::<f64>()
            .map_err(|_| format!("{text:?}: {x:?} is not a number"))
    };
    let (lo, hi) = (num(lo)?, num(hi)?);
    if !(lo.is_finite() && hi.is_finite()) || lo > hi {
        return Err(format!("{text:?}: LO and HI must be finite with LO <= HI"));
    }
    Ok((path.trim().to_string(), Some((lo, hi))))
}

/// Parses `PATH=VALUE` (the value is checked when the scenario is).
fn parse_set(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((path, value)) if !path.trim().is_empty() && !value.trim().is_empty() => {
            Ok((path.trim().to_string(), value.trim().to_string()))
        }
        _ => Err(format!(
            "{text:?}: expected PATH=VALUE, e.g. model.hedge_cost=0.3"
        )),
    }
}

/// Parses `K/N` with 0 <= K < N.
fn parse_shard(text: &str) -> Result<(u64, u64), String> {
    let (k, n) = text.split_once('/').ok_or("expected K/N, e.g. 0/4")?;
    let k: u64 = k
        .trim()
        .parse()
        .map_err(|_| format!("K in {text:?} is not a whole number"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("N in {text:?} is not a whole number"))?;
    if n == 0 || k >= n {
        return Err(format!(
            "shard {k} of {n}: K must be in 0..N-1 and N at least 1"
        ));
    }
    Ok((k, n))
}

/// Options of `statecraft convert`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft convert scenarios/paid_access_2025.ron --to json --out my.json\n  statecraft convert my.json --to ron --out my.ron"
)]
pub struct ConvertArgs {
    /// The scenario file (RON, or JSON if it ends in .json).
    pub file: PathBuf,
    /// The format to write.
    #[arg(long, value_enum)]
    pub to: Format,
    /// Output file [default: standard output]. An existing file is refused unless --force;
    /// never the input itself, a symbolic link or anything but a regular file.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing output file (a regular file only).
    #[arg(long, requires = "out")]
    pub force: bool,
}

/// Scenario file formats.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// JSON.
    Json,
    /// RON.
    Ron,
}

/// Options of `statecraft merge`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  for k in 0 1 2 3; do statecraft run scenarios/paid_access_2025.ron --shard $k/4 --quiet; done\n  statecraft merge out/paid_access_2025/shard-*-of-4 --out out/paid_access_2025_merged"
)]
pub struct MergeArgs {
    /// The shard folders, in any order.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace an existing output folder: only one statecraft wrote (its manifest.json,
    /// compare.json or patterns.json) or an empty one; any other folder or file is refused.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Options of `statecraft tournament`.
#[derive(Debug, Args)]
#[command(
    after_help = "A variant is a name declared in --variants FILE or in the scenario's `variants`, the word\n`scenario` (the scenario's own strategy or policies), a strategy or policy written as in a\nscenario (OpenOrder, Grim, Threshold(toughness: 2), HedgeThenConcede(rounds: 4)), or, for\n--allies, a profile file assigning policies per actor.\n\nExamples:\n  statecraft tournament scenarios/paid_access_2025.ron --variants scenarios/variants/strategies.ron \\\n      --hegemon paid_10,paid_15,open --allies concede,retaliate,grim --runs 1000\n  statecraft tournament scenarios/examples/three_actors.ron --hegemon OpenOrder,scenario \\\n      --allies AlwaysConcede,AlwaysRetaliate,Grim --runs 200 --evolve --moran 100"
)]
pub struct TournamentArgs {
    /// The scenario file (RON, or JSON if it ends in .json): the world, seed, runs and rounds.
    pub scenario: PathBuf,
    /// Hegemon variants, comma-separated.
    #[arg(long, value_name = "V1,V2,...", required = true, value_parser = parse_variants)]
    pub hegemon: Variants,
    /// Ally-policy variants or profiles, comma-separated.
    #[arg(long, value_name = "P1,P2,...", required = true, value_parser = parse_variants)]
    pub allies: Variants,
    /// A strategies file declaring named variants (RON or JSON: `(hegemon: [...], allies:
    /// [...], profiles: [...])`); its names come before the scenario's.
    #[arg(long, value_name = "FILE")]
    pub variants: Option<PathBuf>,
    /// Runs per cell [default: the scenario's `runs`]; every cell uses run indices 0..N.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000_000_000_000))]
    pub runs: Option<u64>,
    /// Seed (of every cell), threads, rounds, --force, --quiet.
    #[command(flatten)]
    pub batch: BatchOpts,
    /// Weight of the final alliance cohesion (0-1) in the hegemon's payoff, bn USD per unit.
    #[arg(long, value_name = "W", default_value_t = 0.0, value_parser = parse_weight)]
    pub cohesion_weight: f64,
    /// What the payoffs measure: national (welfare from trade theory; the hegemon's over the
    /// run in bn USD, an ally's less its expected security cost) or government (the hegemon's
    /// rent less lost exports, an ally's realised and security cost) (MODEL.md 3.7).
    #[arg(long, value_name = "CONCEPT", default_value = "national", value_parser = parse_payoff)]
    pub payoff: statecraft_runner::tournament::PayoffConcept,
    /// Bootstrap resamples of the runs behind intervals and p_first.
    #[arg(long, value_name = "B", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub resamples: u32,
    /// Replicator dynamics over the ally policies, their payoffs measured in mixed
    /// populations: writes evolution.csv.
    #[arg(long, conflicts_with = "shard")]
    pub evolve: bool,
    /// Steps of the replicator dynamics.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub evolve_steps: u32,
    /// Runs (0..N) of each mixed population that measures the replicator's payoffs.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000_000))]
    pub evolve_runs: u64,
    /// A Moran process over the allies against each hegemon variant, at most N steps: writes
    /// moran.csv.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000), conflicts_with = "shard")]
    pub moran: Option<u32>,
    /// Runs (0..N) over which the Moran process measures fitness at each step.
    #[arg(long, value_name = "N", default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000_000))]
    pub moran_runs: u64,
    /// Selection intensity β of the Moran process, per % of GDP: fitness exp(β·(welfare − the
    /// country's mean welfare over the policies)).
    #[arg(long, value_name = "BETA", default_value_t = 1.0, value_parser = parse_weight)]
    pub intensity: f64,
    /// Output folder [default: out/NAME-tournament].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Compute only shard K of N of the cells, for `statecraft merge` (not with --evolve or
    /// --moran) [default folder: out/NAME-tournament/shard-K-of-N].
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u64, u64)>,
}

/// A list of variant names or specs, in the order given, each once.
#[derive(Clone, Debug, PartialEq)]
pub struct Variants(pub Vec<String>);

/// Parses `a,b(c, d),e`: split at the commas outside brackets (a variant written as a
/// strategy or policy has commas of its own), no empty item, none twice.
fn parse_variants(text: &str) -> Result<Variants, String> {
    let mut items = Vec::new();
    let (mut depth, mut cur) = (0i32, String::new());
    for ch in text.chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        if ch == ',' && depth == 0 {
            items.push(std::mem::take(&mut cur));
        } else {
            cur.push(ch);
        }
    }
    items.push(cur);
    let items: Vec<String> = items.iter().map(|s| s.trim().to_string()).collect();
    if items.iter().any(String::is_empty) {
        return Err(format!(
            "{text:?}: an empty name in the list (write V1,V2,...)"
        ));
    }
    for (k, n) in items.iter().enumerate() {
        if items[..k].contains(n) {
            return Err(format!("{n:?} is given twice"));
        }
    }
    Ok(Variants(items))
}

/// Options of `statecraft export`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  statecraft run scenarios/paid_access_2025.ron --runs 2000 --trajectories 2000 --out out/paid\n  statecraft export out/paid --to ema out/paid_ema.tar.gz\n  python -c 'import ema_workbench as ema; x, y = ema.load_results(\"out/paid_ema.tar.gz\")'"
)]
pub struct ExportArgs {
    /// The results folder, then the archive to write (e.g. `out/paid_access_2025
    /// out/paid_ema.tar.gz`). A folder of `statecraft run` or `merge` (its CSV tables), or of
    /// `statecraft sweep --per-run` (an experiment per run of every point; no per-actor values
    /// or series). Several folders before the archive make one archive of their run-level
    /// outcomes, EMA's `policy` telling their scenarios apart.
    #[arg(required = true, num_args = 1.., value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The tool to export for.
    #[arg(long, value_enum)]
    pub to: ExportFormat,
    /// Replace an existing archive.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[cfg_attr(not(feature = "ema"), allow(dead_code))]
impl ExportArgs {
    /// The results folders exported (every path but the last).
    pub fn dirs(&self) -> &[PathBuf] {
        &self.paths[..self.paths.len().saturating_sub(1)]
    }

    /// The archive to write (the last path).
    pub fn out(&self) -> &Path {
        self.paths.last().map_or(Path::new(""), PathBuf::as_path)
    }
}

/// Parses a finite non-negative number up to 1e12.
fn parse_weight(text: &str) -> Result<f64, String> {
    let x: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if !(x.is_finite() && (0.0..=1e12).contains(&x)) {
        return Err(format!("{x} is outside the allowed range [0, 1e12]"));
    }
    Ok(x)
}

/// A tournament's payoff concept by name.
fn parse_payoff(text: &str) -> Result<statecraft_runner::tournament::PayoffConcept, String> {
    statecraft_runner::tournament::PayoffConcept::from_name(text.trim())
        .ok_or_else(|| format!("{text:?} is not a payoff concept: national or government"))
}

/// Export targets.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    /// EMA Workbench (`ema_workbench.load_results`): experiments, scalar outcomes, time series
    /// (needs the `ema` feature).
    Ema,
}

/// The templates of `statecraft new`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Template {
    /// A hegemon, an ally and a rival, every field written out (the teaching example).
    ThreeActors,
    /// The calibrated 2025 world inline (13 actors, their trade and blocs, all 37 model
    /// constants at their calibrated values), under the open order.
    World,
}

/// Options of `statecraft new`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  statecraft new --out my.ron
  statecraft new --template world --out my_world.ron
  statecraft validate my.ron")]
pub struct NewArgs {
    /// What to start from.
    #[arg(long, value_enum, default_value = "three-actors")]
    pub template: Template,
    /// The scenario file to write (RON).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Options of `statecraft validate`.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  statecraft validate scenarios/*.ron scenarios/examples/*.ron")]
pub struct ValidateArgs {
    /// Scenario files to check.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Also list every parameter of each valid file: its path (as `sweep`, `sensitivity` and
    /// error messages name it), its value or distribution, and its allowed range.
    #[arg(long)]
    pub params: bool,
    /// Also list the model's output columns of the file's runs (the metrics of runs.csv, the
    /// values of actors.csv and trajectories.csv; not the run, actor and parameter columns)
    /// with their units and definitions.
    #[arg(long)]
    pub metrics: bool,
}

/// Options of `statecraft report`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft run scenarios/examples/three_actors.ron --trajectories 50 --out out/three\n  statecraft report out/three\n  statecraft report out/paid out/open --out out/paid_vs_open --png"
)]
pub struct ReportArgs {
    /// Results folders of `statecraft run` (each named in the charts by its scenario); the
    /// report compares them, in this order.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Where to write report.html and plots/ [default: the first folder].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also write every chart as PNG (twice the SVG's size; fonts embedded, none needed).
    #[arg(long)]
    pub png: bool,
    /// Draw only these metrics (comma-separated names) in the distributions, the sweep's
    /// responses and the comparison's differences.
    #[arg(long, value_name = "M,...", value_delimiter = ',')]
    pub metrics: Option<Vec<String>>,
    /// Draw only these actors (comma-separated names) in the per-actor trajectory charts; the
    /// world charts still pool every actor.
    #[arg(long, value_name = "A,...", value_delimiter = ',')]
    pub actors: Option<Vec<String>>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}
