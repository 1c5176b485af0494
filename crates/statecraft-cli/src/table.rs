//! One result table written in one or more formats at once: `runs`, `actors` and
//! `trajectories` as CSV (always available; rows formatted in the worker threads) and Parquet
//! (feature `parquet`, field by field).

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::{Context, Result};

use crate::args::TableFormat;
use crate::output::{OutDir, Rows};
#[cfg(feature = "parquet")]
pub use statecraft_results::Cells;
pub use statecraft_results::Kind;

/// A table being written in every requested format. CSV rows arrive formatted already (a
/// worker thread formats each chunk with [`Rows`] into memory: [`Table::csv_rows`]); Parquet
/// rows arrive field by field (`Table::parquet`, feature `parquet`).
pub struct Table {
    csv: Option<(&'static str, BufWriter<File>)>,
    #[cfg(feature = "parquet")]
    parquet: Option<crate::parquet_out::ParquetTable>,
}

impl Table {
    /// Opens `STEM.csv` and/or `STEM.parquet` in `out` with these columns.
    pub fn create(
        out: &OutDir,
        names: (&'static str, &'static str),
        formats: &[TableFormat],
        columns: &[(String, Kind)],
    ) -> Result<Table> {
        let csv = if formats.contains(&TableFormat::Csv) {
            let header: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
            let mut file = out.file(names.0)?;
            let bytes = Rows::new(names.0, Vec::new(), &header)?.into_inner()?;
            file.write_all(&bytes)
                .with_context(|| format!("cannot write {}", names.0))?;
            Some((names.0, file))
        } else {
            None
        };
        let wants_parquet = formats.contains(&TableFormat::Parquet);
        #[cfg(feature = "parquet")]
        let parquet = if wants_parquet {
            Some(crate::parquet_out::ParquetTable::create(
                names.1,
                out.file(names.1)?,
                columns,
            )?)
        } else {
            None
        };
        #[cfg(not(feature = "parquet"))]
        if wants_parquet {
            input_bail!(
                "--format parquet: this statecraft was built without Parquet support; build it with `cargo build --release --features parquet` (or `cargo install --path crates/statecraft-cli --features parquet`)"
            );
        }
        if formats.is_empty() {
            input_bail!("--format: give at least one of csv, parquet");
        }
        let _ = names.1;
        Ok(Table {
            csv,
            #[cfg(feature = "parquet")]
            parquet,
        })
    }

    /// Continues `STEM.csv` in `out` after its first `len` bytes (a resumed run; CSV only).
    pub fn resume(out: &OutDir, names: (&'static str, &'static str), len: u64) -> Result<Table> {
        Ok(Table {
            csv: Some((names.0, out.file_append(names.0, len)?)),
            #[cfg(feature = "parquet")]
            parquet: None,
        })
    }

    /// Whether the table has a CSV file (whose rows [`Table::csv_rows`] takes formatted).
    pub fn wants_csv(&self) -> bool {
        self.csv.is_some()
    }

    /// Appends CSV rows formatted by [`Rows`] (without a header).
    pub fn csv_rows(&mut self, bytes: &[u8]) -> Result<()> {
        if let Some((name, w)) = self.csv.as_mut() {
            w.write_all(bytes)
                .with_context(|| format!("cannot write {name}"))?;
        }
        Ok(())
    }

    /// The Parquet table, if that format was requested.
    #[cfg(feature = "parquet")]
    pub fn parquet(&mut self) -> Option<&mut crate::parquet_out::ParquetTable> {
        self.parquet.as_mut()
    }

    /// Writes the buffered CSV rows to the file (a checkpoint).
    pub fn flush(&mut self) -> Result<()> {
        if let Some((name, w)) = self.csv.as_mut() {
            w.flush().with_context(|| format!("cannot write {name}"))?;
        }
        Ok(())
    }

    /// Writes the buffered CSV rows to the file and the file to disk (fsync): what a
    /// checkpoint vouches for must survive a lost node.
    pub fn sync(&mut self) -> Result<()> {
        if let Some((name, w)) = self.csv.as_mut() {
            w.flush()
                .and_then(|()| w.get_ref().sync_data())
                .with_context(|| format!("cannot write {name}"))?;
        }
        Ok(())
    }

    /// Writes everything out; `provenance` (JSON) goes into the Parquet file's key/value
    /// metadata under `statecraft.manifest`.
    pub fn finish(mut self, provenance: &str) -> Result<()> {
        self.flush()?;
        #[cfg(feature = "parquet")]
        if let Some(w) = self.parquet {
            w.finish(provenance)?;
        }
        let _ = provenance;
        Ok(())
    }
}
