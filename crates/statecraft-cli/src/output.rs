//! Output folders that are never half-written and the CSV cell writer: both live in
//! `statecraft_results` (`folder`, `rows`), where a program other than the CLI writes a results
//! folder with them too. Their refusals (`statecraft_results::Error::Refused`: an existing
//! output without `--force`, a bad path) are input errors here (exit status 2, `error.rs`).

pub use statecraft_results::Rows;
#[cfg(feature = "ema")]
pub use statecraft_results::fmt_num;
pub use statecraft_results::folder::{
    OutDir, Partial, check_out_file, sync_dir, write_file_atomically,
};
