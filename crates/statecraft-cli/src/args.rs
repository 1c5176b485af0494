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
    /// Check scenario files: for each, "ok" with its size, or its first error with the file,
    /// the line and column or the field path, and the allowed range.
    Validate(ValidateArgs),
}

/// Options of `statecraft run`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft run scenarios/paid_access_2025.ron\n  statecraft run scenarios/paid_access_2025.ron --runs 2000 --seed 7 --threads 2 --out out/test\n  statecraft run scenarios/examples/three_actors.ron --trajectories 10 --rounds 40\n  statecraft run scenarios/examples/three_actors.ron --quiet --force --out out/demo"
)]
pub struct RunArgs {
    /// The scenario file (RON).
    pub scenario: PathBuf,
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
}

/// Options of `statecraft validate`.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  statecraft validate scenarios/*.ron scenarios/examples/*.ron")]
pub struct ValidateArgs {
    /// Scenario files to check.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}
