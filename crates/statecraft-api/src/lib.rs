//! statecraft-api: the library face of statecraft, for programs other than the `statecraft`
//! command line. It resolves a scenario file (with the world and timeline files it includes),
//! runs a seeded batch on a pool of the threads asked for, and compares two scenarios, handing
//! the tables back in memory. It holds no model logic: the model is `statecraft-core`, the
//! batches and statistics `statecraft-runner`; this crate puts them together the way the CLI
//! does, so that a batch run here gives the numbers `statecraft run` writes to `runs.csv` for
//! the same seed, bit for bit, and a comparison those `statecraft compare` writes to
//! `compare.csv`.
//!
//! ```no_run
//! use statecraft_api::{Options, compare, load, run};
//!
//! let base = load("scenarios/examples/three_actors.ron".as_ref())?;
//! let opts = Options { runs: Some(200), ..Options::default() };
//! let batch = run(&base, &opts)?;
//! for m in ["hegemon_rent", "ruptures"] {
//!     println!("{m}: mean {:?}", batch.mean(m));
//! }
//! let text = std::fs::read_to_string("scenarios/examples/three_actors.ron")?;
//! let variant = statecraft_api::from_text(&text.replace("linkage: 0.5", "linkage: 0"), "variant")?;
//! let c = compare(&base, &variant, &opts)?;
//! for (reference, row) in c.pairs() {
//!     println!("{}: {:?} -> {:?}, diff {:?} [{:?}, {:?}]",
//!         row.metric, reference.mean, row.mean, row.diff, row.diff_lo, row.diff_hi);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Errors are one [`Error`] type whose message (with its chain of sources) names the file,
//! line and column, or the value and its allowed range, as the CLI prints them.
//!
//! Sweeps: [`Sweep::new`] resolves the factors and draws the design, [`Sweep::run`] returns
//! the points' summaries (`sweep.csv`'s numbers), [`Sweep::run_with`] streams every run and
//! point (what `statecraft sweep` writes its files from). Comparisons: [`compare_all`] is what
//! `statecraft compare` computes, over scenarios run in memory ([`Sample::run`]) or results
//! folders read back ([`Sample::read`]).
//!
//! Tournaments: [`Tournament::new`] resolves the variants and builds one world per cell,
//! [`Tournament::play`] plays the cells and the dynamics asked for (`play_cells` and
//! `dynamics` separately, on the caller's pool).
//!
//! Exploratory modelling: [`ranges`] gives the scenario's uncertain parameters as the lower
//! and upper bounds that EMA Workbench and SALib sample between; a design they draw runs as a
//! sweep of given points ([`SweepOptions::given`]).
//!
//! Sensitivity analyses: [`Sensitivity::new`] resolves the factors and metrics and draws a
//! Sobol (Saltelli) or Morris design, [`Sensitivity::run`] runs it and returns each chosen
//! metric's indices ([`Analysis`]).
//!
//! Patterns: [`Patterns::new`] reads a patterns file and checks it against the world,
//! [`Patterns::score`] scores every run of a batch, [`Patterns::abc`] is the ABC over the
//! binding patterns and [`Patterns::posterior_scenario`] the scenario stating its posterior.
//!
//! Results folders: [`run_to_folder`] runs a batch and writes the folder `statecraft run`
//! writes (the same bytes for the same seed, but for the manifest's timings and command line),
//! never half-written; [`tables`] defines its tables' columns, [`write_rows`] and
//! [`format_chunk`] their rows, [`summary_json`] and [`manifest`] its JSON files (the CLI
//! writes its folders with the same pieces).

mod batch;
mod compare;
mod explore;
mod folder;
mod load;
mod patterns;
mod sensitivity;
mod sweep;
pub mod tables;
mod tournament;

pub use batch::{ActorRow, Batch, Options, RunRow, Trajectory, role, run, run_with};
pub use compare::{Comparison, Comparisons, Row, Sample, compare, compare_all, distinct_labels};
pub use explore::{NORMAL_RANGE_QUANTILES, Range, ranges};
pub use folder::{
    CARGO_LOCK, CsvChunk, FolderBatch, FolderOptions, GIT_HASH, Sinks, Written, finish_folder,
    format_chunk, json_bytes, manifest, run_to_folder, summary_json, write_rows, write_world,
};
pub use load::{Loaded, MAX_FILE, from_text, load, patterns_file, read_input};
pub use patterns::{
    Abc, AbcOptions, EmitAs, EmitOptions, ParamShift, PatternRate, Patterns, PatternsOptions,
    Scored,
};
pub use sensitivity::{
    Analysis, INDEX_COLUMNS, Indices, Method, MetricIndices, Sensitivity, SensitivityOptions,
};
pub use statecraft_runner::RunRecord;
pub use statecraft_runner::sensitivity::{MorrisIndex, SobolIndex};
pub use sweep::{
    DesignKind, PointRow, STATS, Sweep, SweepOptions, resolve_factors, stat_cells, sweep_columns,
};
pub use tournament::{
    Evolution, MATRIX_COLUMNS, PAYOFF_COLUMNS, Played, RANKING_COLUMNS, Tournament,
    TournamentOptions, Variant, matrix_cells, payoff_cells, ranking_cells, welfare_columns,
};

pub use statecraft_core::{ScenarioError, TrajectoryRow};
pub use statecraft_results::Draws;
pub use statecraft_runner::stats::Spread;

/// What went wrong. The message of each variant, followed by those of its
/// [`source`](std::error::Error::source)s, is the whole explanation (anyhow's `{:#}` prints
/// exactly that).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The scenario is not well formed or a value is out of its range.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A file could not be read.
    #[error("{context}")]
    Io {
        /// What was being read.
        context: String,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },
    /// An input file is not what it should be: not a regular file, too large, not UTF-8,
    /// not valid JSON or not a world file.
    #[error("{0}")]
    Input(String),
    /// The options asked for something impossible (too many runs, say).
    #[error("{0}")]
    Options(String),
    /// A patterns file does not fit the world (an unknown metric, actor or column, a round
    /// past the horizon, a target out of range).
    #[error("{file}: {message}{}", rounds.map_or(String::new(), |r| format!(" (with {r} rounds)")))]
    Patterns {
        /// The patterns file.
        file: String,
        /// What is wrong.
        message: String,
        /// The rounds asked for, when not the scenario's.
        rounds: Option<u32>,
    },
    /// A metric asked for is not one of the world's run-level metrics.
    #[error("unknown metric {name:?}; the metrics are: {}", known.join(", "))]
    UnknownMetric {
        /// The name asked for.
        name: String,
        /// The world's metrics.
        known: Vec<String>,
    },
    /// A results folder could not be read.
    #[error(transparent)]
    Results(#[from] statecraft_results::Error),
    /// The worker threads could not be started.
    #[error("cannot start the worker threads")]
    Threads(#[source] rayon::ThreadPoolBuildError),
    /// An error with what was being done when it happened.
    #[error("{context}")]
    Context {
        /// What was being done.
        context: String,
        /// The error.
        #[source]
        source: Box<Error>,
    },
}

impl Error {
    /// This error with `context` (what was being done) put before it.
    pub fn context(self, context: impl Into<String>) -> Self {
        Error::Context {
            context: context.into(),
            source: Box::new(self),
        }
    }
}

/// The most runs a batch may have, and a sweep or tournament in all: a trillion, about four
/// months of one core.
pub const MAX_RUNS: u64 = 1_000_000_000_000;

/// Checks a shard `(k, n)`: `n` at least 1 and `k` in `0..n`.
pub(crate) fn check_shard(shard: Option<(u64, u64)>) -> Result<()> {
    match shard {
        Some((k, n)) if n == 0 || k >= n => Err(Error::Options(format!(
            "shard {k} of {n}: K must be in 0..N-1 and N at least 1"
        ))),
        _ => Ok(()),
    }
}

/// A result of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
