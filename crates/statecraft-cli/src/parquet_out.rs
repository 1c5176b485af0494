//! Parquet tables (feature `parquet`), written with the `parquet` crate's low-level column
//! writers (no Arrow): rows are buffered column by column and written out as a row group every
//! few million cells, so memory stays constant however many runs a batch has.
//!
//! Types: whole numbers (run, round) INT64, as pandas and polars read the same CSV column;
//! numbers DOUBLE, null where the CSV cell is empty; texts UTF8 strings. Snappy compression,
//! dictionary encoding for text columns only. The results folder's manifest (without its
//! timings, so that files are byte-identical on any thread count) is stored in the file's
//! key/value metadata under `statecraft.manifest`.

use std::fs::File;
use std::io::BufWriter;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::{ColumnPath, Type};

use crate::table::{Cells, Kind};

/// Cells buffered before a row group is written (about 32 MB of numbers).
const GROUP_CELLS: usize = 1 << 22;

/// The metadata key under which the manifest is stored.
pub const MANIFEST_KEY: &str = "statecraft.manifest";

/// The buffered values of one column in the current row group.
enum Col {
    Int(Vec<i64>),
    Num {
        values: Vec<f64>,
        /// Definition levels (1 present, 0 null) for an optional column.
        def: Option<Vec<i16>>,
    },
    Text {
        values: Vec<ByteArray>,
        def: Option<Vec<i16>>,
    },
}

/// A Parquet file being written row by row.
pub struct ParquetTable {
    name: &'static str,
    writer: SerializedFileWriter<BufWriter<File>>,
    cols: Vec<Col>,
    /// The next column of the current row.
    at: usize,
    /// Rows buffered.
    rows: usize,
    /// Rows per row group.
    group_rows: usize,
}

impl ParquetTable {
    /// Starts the file `name` with these columns.
    pub fn create(
        name: &'static str,
        file: BufWriter<File>,
        columns: &[(String, Kind)],
    ) -> Result<ParquetTable> {
        let mut fields = Vec::with_capacity(columns.len());
        // Statistics per column chunk, and no page index (column or offset index): the writer
        // holds those for every page until the file closes, memory that grew with the runs.
        // Readers still skip row groups by the chunk statistics.
        let mut props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_dictionary_enabled(false)
            .set_statistics_enabled(EnabledStatistics::Chunk)
            .set_offset_index_disabled(true);
        let mut cols = Vec::with_capacity(columns.len());
        for (col, kind) in columns {
            let (physical, repetition) = match kind {
                Kind::Int => (Physical::INT64, Repetition::REQUIRED),
                Kind::Num => (Physical::DOUBLE, Repetition::REQUIRED),
                Kind::OptNum => (Physical::DOUBLE, Repetition::OPTIONAL),
                Kind::Text => (Physical::BYTE_ARRAY, Repetition::REQUIRED),
                Kind::OptText => (Physical::BYTE_ARRAY, Repetition::OPTIONAL),
            };
            let mut field = Type::primitive_type_builder(col, physical).with_repetition(repetition);
            if physical == Physical::BYTE_ARRAY {
                field = field.with_logical_type(Some(LogicalType::String));
                props =
                    props.set_column_dictionary_enabled(ColumnPath::new(vec![col.clone()]), true);
            }
            fields.push(Arc::new(
                field
                    .build()
                    .with_context(|| format!("{name}: column {col}"))?,
            ));
            let optional = repetition == Repetition::OPTIONAL;
            cols.push(match kind {
                Kind::Int => Col::Int(Vec::new()),
                Kind::Num | Kind::OptNum => Col::Num {
                    values: Vec::new(),
                    def: optional.then(Vec::new),
                },
                Kind::Text | Kind::OptText => Col::Text {
                    values: Vec::new(),
                    def: optional.then(Vec::new),
                },
            });
        }
        let schema = Type::group_type_builder("schema")
            .with_fields(fields)
            .build()
            .with_context(|| format!("{name}: schema"))?;
        let writer = SerializedFileWriter::new(file, Arc::new(schema), Arc::new(props.build()))
            .with_context(|| format!("cannot write {name}"))?;
        let group_rows = (GROUP_CELLS / columns.len().max(1)).max(1024);
        Ok(ParquetTable {
            name,
            writer,
            cols,
            at: 0,
            rows: 0,
            group_rows,
        })
    }

    /// The column the next field goes into.
    fn next(&mut self) -> Result<&mut Col> {
        let at = self.at;
        self.at += 1;
        match self.cols.get_mut(at) {
            Some(c) => Ok(c),
            None => bail!("{}: a row has more fields than columns", self.name),
        }
    }

    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let name = self.name;
        let ctx = || format!("cannot write {name}");
        let mut group = self.writer.next_row_group().with_context(ctx)?;
        for col in &mut self.cols {
            let mut w = group
                .next_column()
                .with_context(ctx)?
                .with_context(|| format!("{name}: fewer columns in the schema than buffered"))?;
            match col {
                Col::Int(values) => {
                    w.typed::<Int64Type>()
                        .write_batch(values, None, None)
                        .with_context(ctx)?;
                    values.clear();
                }
                Col::Num { values, def } => {
                    w.typed::<DoubleType>()
                        .write_batch(values, def.as_deref(), None)
                        .with_context(ctx)?;
                    values.clear();
                    if let Some(d) = def {
                        d.clear();
                    }
                }
                Col::Text { values, def } => {
                    w.typed::<ByteArrayType>()
                        .write_batch(values, def.as_deref(), None)
                        .with_context(ctx)?;
                    values.clear();
                    if let Some(d) = def {
                        d.clear();
                    }
                }
            }
            w.close().with_context(ctx)?;
        }
        group.close().with_context(ctx)?;
        self.rows = 0;
        Ok(())
    }

    /// Writes the last row group, the manifest into the key/value metadata, and the footer.
    pub fn finish(mut self, manifest: &str) -> Result<()> {
        self.flush()?;
        self.writer.append_key_value_metadata(KeyValue::new(
            MANIFEST_KEY.to_string(),
            manifest.to_string(),
        ));
        let name = self.name;
        self.writer
            .close()
            .with_context(|| format!("cannot write {name}"))?;
        Ok(())
    }
}

/// Fields arrive one by one, in column order; a row group is written when enough rows are
/// buffered.
impl Cells for ParquetTable {
    type Error = anyhow::Error;

    /// A whole-number field.
    fn int(&mut self, v: u64) -> Result<()> {
        let name = self.name;
        let v = i64::try_from(v).with_context(|| format!("{name}: {v} does not fit INT64"))?;
        match self.next()? {
            Col::Int(values) => values.push(v),
            _ => bail!("{name}: an integer in a column of another type"),
        }
        Ok(())
    }

    /// A number field, null when `None`.
    fn num(&mut self, v: Option<f64>) -> Result<()> {
        let name = self.name;
        match (self.next()?, v) {
            (Col::Num { values, def: None }, Some(x)) => values.push(x),
            (
                Col::Num {
                    values,
                    def: Some(d),
                },
                Some(x),
            ) => {
                values.push(x);
                d.push(1);
            }
            (Col::Num { def: Some(d), .. }, None) => d.push(0),
            _ => bail!("{name}: a number (or a missing one) in a column that cannot hold it"),
        }
        Ok(())
    }

    /// A text field, null when `None`.
    fn text(&mut self, v: Option<&str>) -> Result<()> {
        let name = self.name;
        match (self.next()?, v) {
            (Col::Text { values, def: None }, Some(s)) => values.push(ByteArray::from(s)),
            (
                Col::Text {
                    values,
                    def: Some(d),
                },
                Some(s),
            ) => {
                values.push(ByteArray::from(s));
                d.push(1);
            }
            (Col::Text { def: Some(d), .. }, None) => d.push(0),
            _ => bail!("{name}: a text (or a missing one) in a column that cannot hold it"),
        }
        Ok(())
    }

    /// Ends the row; writes a row group when enough rows are buffered.
    fn end(&mut self) -> Result<()> {
        if self.at != self.cols.len() {
            bail!(
                "{}: a row has {} fields for {} columns",
                self.name,
                self.at,
                self.cols.len()
            );
        }
        self.at = 0;
        self.rows += 1;
        if self.rows >= self.group_rows {
            self.flush()?;
        }
        Ok(())
    }
}
