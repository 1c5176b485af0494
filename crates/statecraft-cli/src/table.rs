//! One result table written in one or more formats at once: `runs`, `actors` and
//! `trajectories` as CSV (always available) and Parquet (feature `parquet`), row by row.

use std::fs::File;
use std::io::BufWriter;

use anyhow::{Result, bail};

use crate::args::TableFormat;
use crate::output::{OutDir, Rows};

/// The type of a column, which Parquet records and CSV leaves to the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A whole number (run, round): Parquet INT64.
    Int,
    /// A number always present: Parquet DOUBLE, required.
    Num,
    /// A number that may be absent (a metric undefined in a run): Parquet DOUBLE, optional.
    OptNum,
    /// A text always present (actor name): Parquet UTF8, required.
    Text,
    /// A text that may be absent (the hegemon's action): Parquet UTF8, optional.
    OptText,
}

/// A table being written: the same rows go to every requested format.
pub struct Table {
    csv: Option<Rows<BufWriter<File>>>,
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
            Some(Rows::new(names.0, out.file(names.0)?, &header)?)
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
            bail!(
                "--format parquet: this statecraft was built without Parquet support; build it with `cargo build --release --features parquet` (or `cargo install --path crates/statecraft-cli --features parquet`)"
            );
        }
        if formats.is_empty() {
            bail!("--format: give at least one of csv, parquet");
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
            csv: Some(Rows::append(names.0, out.file_append(names.0, len)?)),
            #[cfg(feature = "parquet")]
            parquet: None,
        })
    }

    /// Writes the buffered CSV rows to the file (a checkpoint).
    pub fn flush(&mut self) -> Result<()> {
        if let Some(w) = self.csv.as_mut() {
            w.flush()?;
        }
        Ok(())
    }

    /// A whole-number field.
    pub fn int(&mut self, v: u64) -> Result<()> {
        if let Some(w) = self.csv.as_mut() {
            w.int(v)?;
        }
        #[cfg(feature = "parquet")]
        if let Some(w) = self.parquet.as_mut() {
            w.int(v)?;
        }
        Ok(())
    }

    /// A number field, absent when `None`.
    pub fn num(&mut self, v: Option<f64>) -> Result<()> {
        if let Some(w) = self.csv.as_mut() {
            w.num(v)?;
        }
        #[cfg(feature = "parquet")]
        if let Some(w) = self.parquet.as_mut() {
            w.num(v)?;
        }
        Ok(())
    }

    /// A text field, absent when `None` (an empty CSV cell, a Parquet null).
    pub fn text(&mut self, v: Option<&str>) -> Result<()> {
        if let Some(w) = self.csv.as_mut() {
            w.text(v.unwrap_or(""))?;
        }
        #[cfg(feature = "parquet")]
        if let Some(w) = self.parquet.as_mut() {
            w.text(v)?;
        }
        Ok(())
    }

    /// Ends the row.
    pub fn end(&mut self) -> Result<()> {
        if let Some(w) = self.csv.as_mut() {
            w.end()?;
        }
        #[cfg(feature = "parquet")]
        if let Some(w) = self.parquet.as_mut() {
            w.end()?;
        }
        Ok(())
    }

    /// Writes everything out; `provenance` (JSON) goes into the Parquet file's key/value
    /// metadata under `statecraft.manifest`.
    pub fn finish(self, provenance: &str) -> Result<()> {
        if let Some(w) = self.csv {
            w.finish()?;
        }
        #[cfg(feature = "parquet")]
        if let Some(w) = self.parquet {
            w.finish(provenance)?;
        }
        let _ = provenance;
        Ok(())
    }
}
