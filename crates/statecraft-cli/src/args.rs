//! The command line: every subcommand, option and example, in one place.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Agent-based simulation of transactional alliances: how allies answer a hegemon that sells
/// market access and protection, over thousands of seeded Monte Carlo runs.
#[derive(Debug, Parser)]
#[command(name = "statecraft", version, propagate_version = true)]
#[command(
    after_help = "Examples:\n  statecraft run scenarios/paid_access_2025.ron\n  statecraft run scenarios/examples/three_actors.ron --runs 200 --out out/demo\n  statecraft validate scenarios/*.ron"
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
    /// Write a scenario (its world included) as JSON or RON: scripts generate scenarios in
    /// JSON, and the RON written back reproduces the same scenario.
    Convert(ConvertArgs),
    /// Combine the shard folders of one batch (`run --shard K/N`) into the folder the unsharded
    /// run would have written, byte for byte.
    Merge(MergeArgs),
    /// Export a results folder for another tool: `--to ema` writes the .tar.gz archive that
    /// EMA Workbench's `load_results()` reads (for PRIM and other scenario discovery).
    Export(ExportArgs),
    /// Check scenario files: for each, "ok" with its size, or its errors with the file, the line
    /// and column or the field path, and the allowed range (a syntax error or an unknown name
    /// stops the check of that file; every value out of range is reported).
    Validate(ValidateArgs),
}

/// Options of `statecraft run`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft run scenarios/paid_access_2025.ron\n  statecraft run scenarios/paid_access_2025.ron --runs 2000 --seed 7 --threads 2 --out out/test\n  statecraft run scenarios/examples/three_actors.ron --trajectories 10 --rounds 40\n  statecraft run scenarios/examples/three_actors.ron --quiet --force --out out/demo"
)]
pub struct RunArgs {
    /// The scenario file (RON, or JSON if it ends in .json).
    #[arg(required_unless_present = "from_manifest")]
    pub scenario: Option<PathBuf>,
    /// Reproduce the results folder this manifest.json describes: its scenario, seed, runs,
    /// rounds, trajectories and shard (use --out for the new folder).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["scenario", "runs", "seed", "rounds", "trajectories", "shard"])]
    pub from_manifest: Option<PathBuf>,
    /// Number of Monte Carlo runs [default: the scenario's `runs`].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub runs: Option<u64>,
    /// Seed of the batch [default: the scenario's `seed`]. Same seed, same numbers.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Rounds per run [default: the scenario's `rounds`].
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub rounds: Option<u32>,
    /// Output folder [default: out/NAME, NAME being the scenario's name].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also write trajectories.csv for the first K runs.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub trajectories: u64,
    /// Replace an existing output folder.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors (no progress bar, no table).
    #[arg(long, short)]
    pub quiet: bool,
    /// Compute only shard K of N (K from 0 to N-1): a contiguous share of the run indices,
    /// written with a shard.json for `statecraft merge` [default folder: out/NAME/shard-K-of-N].
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u64, u64)>,
    /// Formats of runs, actors and trajectories, comma-separated: csv, parquet or csv,parquet
    /// (parquet needs a build with `--features parquet`) [default: csv, or the manifest's].
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FORMATS")]
    pub format: Option<Vec<TableFormat>>,
}

/// Formats of the result tables.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    /// runs.csv, actors.csv, trajectories.csv.
    Csv,
    /// runs.parquet, actors.parquet, trajectories.parquet, with the manifest in their metadata.
    Parquet,
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
    /// Output file [default: standard output].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
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
    /// Replace an existing output folder.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Options of `statecraft export`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  statecraft run scenarios/paid_access_2025.ron --runs 2000 --trajectories 2000 --out out/paid\n  statecraft export out/paid --to ema out/paid_ema.tar.gz\n  python -c 'import ema_workbench as ema; x, y = ema.load_results(\"out/paid_ema.tar.gz\")'"
)]
pub struct ExportArgs {
    /// The results folder (written by `statecraft run` or `merge`, with its CSV tables).
    pub dir: PathBuf,
    /// The tool to export for.
    #[arg(long, value_enum)]
    pub to: ExportFormat,
    /// The archive to write, e.g. out/paid_ema.tar.gz.
    pub out: PathBuf,
    /// Replace an existing archive.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Export targets.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    /// EMA Workbench (`ema_workbench.load_results`): experiments, scalar outcomes, time series
    /// (needs the `ema` feature).
    Ema,
}

/// Options of `statecraft validate`.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  statecraft validate scenarios/*.ron scenarios/examples/*.ron")]
pub struct ValidateArgs {
    /// Scenario files to check.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}
