//! statecraft-results: the results folder, owned in one place. It knows no model: what it
//! holds is what the folder says about itself.
//!
//! - [`provenance`]: who wrote a folder, from what: [`Provenance`], the run folder's
//!   [`Manifest`] (enough to reproduce it byte for byte), hashes of files and texts.
//! - [`schema`]: `schema.json`, the schema of every table written into the folder: each
//!   column's kind (a key, a parameter draw, a metric, a value, a label), unit and definition,
//!   as the model defines them. A reader asks it which columns are parameters and which are
//!   metrics; nothing guesses from the names.
//! - [`shards`]: a shard's share of a batch ([`shard_range`]), the run shard's `shard.json`
//!   ([`ShardFile`]) and the check that shards tile a batch ([`check_tiling`]).
//! - [`folder`]: the writing of a folder: [`OutDir`] (a temporary sibling folder renamed into
//!   place when complete, the output's lock, `force` replacing only statecraft's results, the
//!   resumable `.NAME.partial` folder) and one-file outputs written atomically.
//! - [`rows`]: the cells of every table: [`Rows`], the CSV writer, numbers as [`fmt_num`]
//!   writes them, and [`Cells`], where a row writer puts its fields.
//! - [`table`]: the one row reader of the folder's CSV tables ([`TableRows`]): constant
//!   memory, cells parsed with messages naming the file, line and column.
//! - [`runs`]: the reader of a folder's `runs.csv` on it, row by row ([`RunsRows`]: the
//!   export and merge) or whole ([`RunsTable`]: `compare`, `discover`, the report). The
//!   export's `actors.csv` and `trajectories.csv` passes and the report's trajectories read
//!   [`TableRows`] too.
//!
//! ```no_run
//! use statecraft_results::RunsTable;
//!
//! let t = RunsTable::read("out/paid_access_2025".as_ref())?;
//! println!("{}: {} runs, seed {}", t.scenario, t.runs.len(), t.seed);
//! for (name, values) in t.metrics.iter().zip(&t.metric_values) {
//!     let n = values.iter().flatten().count();
//!     println!("{name}: {n} runs with a value");
//! }
//! # Ok::<(), statecraft_results::Error>(())
//! ```

pub mod folder;
pub mod provenance;
pub mod rows;
pub mod runs;
pub mod schema;
pub mod shards;
pub mod table;

pub use folder::{OutDir, Partial};
pub use provenance::{
    Draws, Manifest, Provenance, TableFormat, read_manifest, sha256_file, sha256_hex,
};
pub use rows::{Cells, Kind, Rows, fmt_num};
pub use runs::{RunsRow, RunsRows, RunsTable};
pub use schema::{Column, ColumnKind, FolderSchema, TableSchema};
pub use shards::{ShardFile, check_tiling, shard_range};
pub use table::TableRows;

/// What went wrong reading, checking or writing a results folder. Every message names the file (and
/// where it helps the line and column) and says what was expected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{context}")]
    Io {
        /// What was being done.
        context: String,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },
    /// A file of the folder is not what statecraft writes there (malformed, edited, of
    /// another kind), or shards do not fit together.
    #[error("{0}")]
    Invalid(String),
    /// An output cannot be written as asked: it exists and `force` was not given (or it is
    /// not something `force` replaces), its path is not a name to write, an interrupted batch
    /// is in the way. The caller's input, not a failure (the CLI exits with 2).
    #[error("{0}")]
    Refused(String),
    /// An output could not be completed: another process is writing it, it appeared while
    /// writing.
    #[error("{0}")]
    Output(String),
}

impl Error {
    /// An I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

/// A result of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error's message followed by those of its sources, joined by ": " (as anyhow's `{:#}`
/// prints a chain).
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
