//! The one row reader of a results folder's CSV tables: `runs.csv` ([`crate::RunsRows`] is
//! built on it), `actors.csv` and `trajectories.csv` (the EMA export streams them, the report
//! draws from them). It reads one row at a time in constant memory and parses cells with
//! messages that name the file, the line and the column.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// A CSV table of a results folder read row by row: the header once, then each row's cells
/// as bytes, text, whole numbers or numbers.
pub struct TableRows {
    path: PathBuf,
    header: Vec<String>,
    rdr: csv::Reader<File>,
    rec: csv::ByteRecord,
    line: u64,
}

impl TableRows {
    /// Opens the table at `path` and reads its header.
    pub fn open(path: &Path) -> Result<TableRows> {
        let cannot = |e: csv::Error| {
            let p = path.display();
            if e.is_io_error() {
                match e.into_kind() {
                    csv::ErrorKind::Io(io) => Error::io(format!("cannot read {p}"), io),
                    other => Error::Invalid(format!("{p}: {other:?}")),
                }
            } else {
                Error::Invalid(format!("{p}: {e}"))
            }
        };
        let mut rdr = csv::Reader::from_path(path).map_err(cannot)?;
        let header = rdr
            .headers()
            .map_err(cannot)?
            .iter()
            .map(str::to_string)
            .collect();
        Ok(TableRows {
            path: path.to_path_buf(),
            header,
            rdr,
            rec: csv::ByteRecord::new(),
            line: 1,
        })
    }

    /// The file read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The header, every column.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The position of column `name`, if the table has it.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The position of column `name`; an error naming the file where the table lacks it.
    pub fn column(&self, name: &str) -> Result<usize> {
        self.find(name)
            .ok_or_else(|| Error::Invalid(format!("{}: no column {name:?}", self.path.display())))
    }

    /// Reads the next row; `false` at the end of the file.
    pub fn read(&mut self) -> Result<bool> {
        let more = self.rdr.read_byte_record(&mut self.rec).map_err(|e| {
            Error::Invalid(format!(
                "{}: row {}: {e}",
                self.path.display(),
                self.line + 1
            ))
        })?;
        if more {
            self.line += 1;
        }
        Ok(more)
    }

    /// The line of the row last read (the header is line 1).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The cells of the row last read.
    pub fn len(&self) -> usize {
        self.rec.len()
    }

    /// Whether the row last read has no cells.
    pub fn is_empty(&self) -> bool {
        self.rec.is_empty()
    }

    /// The bytes of cell `c` of the row last read, as written.
    pub fn bytes(&self, c: usize) -> &[u8] {
        &self.rec[c]
    }

    /// An error at cell `c` of the row last read: the file, the line and the column, then
    /// `what`.
    pub fn invalid(&self, c: usize, what: &str) -> Error {
        let column = self.header.get(c).map_or("?", String::as_str);
        Error::Invalid(format!(
            "{}:{}: column {column}: {what}",
            self.path.display(),
            self.line
        ))
    }

    /// Cell `c` as text.
    pub fn text(&self, c: usize) -> Result<&str> {
        std::str::from_utf8(&self.rec[c]).map_err(|_| self.invalid(c, "not UTF-8 text"))
    }

    /// Cell `c` as a whole number >= 0.
    pub fn whole(&self, c: usize) -> Result<u64> {
        let text = self.text(c)?;
        text.parse()
            .map_err(|_| self.invalid(c, &format!("{text:?} is not a whole number >= 0")))
    }

    /// Cell `c` as a finite number, `None` where it is empty (a metric undefined in a run).
    /// statecraft writes no NaN or infinity: one is an error (the file was edited or damaged).
    pub fn number(&self, c: usize) -> Result<Option<f64>> {
        let text = self.text(c)?;
        if text.is_empty() {
            return Ok(None);
        }
        let x: f64 = text
            .parse()
            .map_err(|_| self.invalid(c, &format!("{text:?} is not a number")))?;
        if !x.is_finite() {
            return Err(self.invalid(
                c,
                &format!(
                    "{text} is not a finite number; a results folder of statecraft holds none"
                ),
            ));
        }
        Ok(Some(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> (tempfile_dir::Dir, TableRows) {
        let d = tempfile_dir::Dir::new();
        let p = d.0.join("t.csv");
        std::fs::write(&p, text).unwrap();
        let t = TableRows::open(&p).unwrap();
        (d, t)
    }

    /// A scratch folder removed on drop (the crate has no tempfile dependency).
    mod tempfile_dir {
        pub struct Dir(pub std::path::PathBuf);
        impl Dir {
            pub fn new() -> Dir {
                use std::sync::atomic::{AtomicU64, Ordering};
                static N: AtomicU64 = AtomicU64::new(0);
                let p = std::env::temp_dir().join(format!(
                    "statecraft-table-{}-{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::Relaxed)
                ));
                std::fs::create_dir_all(&p).unwrap();
                Dir(p)
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    #[test]
    fn cells_parse_and_errors_name_file_line_and_column() {
        let (_d, mut t) = table("run,actor,x\n0,A,1.5\n1,B,\nx,C,inf\n");
        assert_eq!(t.header(), ["run", "actor", "x"]);
        assert_eq!(t.column("x").unwrap(), 2);
        assert!(
            t.column("y")
                .unwrap_err()
                .to_string()
                .ends_with("no column \"y\"")
        );
        assert!(t.read().unwrap());
        assert_eq!((t.whole(0).unwrap(), t.text(1).unwrap()), (0, "A"));
        assert_eq!(t.number(2).unwrap(), Some(1.5));
        assert!(t.read().unwrap());
        assert_eq!((t.line(), t.number(2).unwrap()), (3, None));
        assert!(t.read().unwrap());
        let e = t.whole(0).unwrap_err().to_string();
        assert!(
            e.ends_with("t.csv:4: column run: \"x\" is not a whole number >= 0"),
            "{e}"
        );
        let e = t.number(2).unwrap_err().to_string();
        assert!(
            e.contains(":4: column x: inf is not a finite number"),
            "{e}"
        );
        assert_eq!(t.bytes(1), b"C");
        assert!(!t.read().unwrap());
    }
}
