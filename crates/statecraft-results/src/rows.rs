//! The cells of statecraft's tables: [`Rows`], the one CSV writer (numbers in the form
//! [`fmt_num`] gives them, text quoted as RFC 4180 says), the [`Cells`] a row writer fills
//! field by field (CSV or another format), and each column's writer [`Kind`].

use std::io::Write;

use crate::{Error, Result};

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
    /// A text that may be absent (the hegemon's action; `NA` in CSV): Parquet UTF8, optional.
    OptText,
}

/// Where the fields of a row go, field by field: a CSV writer ([`Rows`]) or another table
/// format (the CLI's Parquet tables), each with its own error type.
pub trait Cells {
    /// What goes wrong writing a field.
    type Error;
    /// A whole-number field.
    fn int(&mut self, v: u64) -> std::result::Result<(), Self::Error>;
    /// A number field, absent when `None`.
    fn num(&mut self, v: Option<f64>) -> std::result::Result<(), Self::Error>;
    /// A text field, absent when `None` (`NA` in CSV, a Parquet null).
    fn text(&mut self, v: Option<&str>) -> std::result::Result<(), Self::Error>;
    /// Ends the row.
    fn end(&mut self) -> std::result::Result<(), Self::Error>;
}

impl<W: Write> Cells for Rows<W> {
    type Error = Error;
    fn int(&mut self, v: u64) -> Result<()> {
        Rows::int(self, v)
    }
    fn num(&mut self, v: Option<f64>) -> Result<()> {
        Rows::num(self, v)
    }
    fn text(&mut self, v: Option<&str>) -> Result<()> {
        // An absent text (the hegemon's action, a round without a demand) is NA, which R and
        // pandas read as missing ("" would be an empty string in R).
        Rows::text(self, v.unwrap_or("NA"))
    }
    fn end(&mut self) -> Result<()> {
        Rows::end(self)
    }
}

/// A CSV file written field by field without allocating: numbers in the shortest round-trip
/// form, always with a decimal point or an exponent (`2.0`, `1e-7`, [`fmt_num`]) so that
/// pandas, polars and R read every number column as floating point; an empty field where a
/// value is absent; text quoted when it holds a comma, a quote or a line break (RFC 4180, as
/// the csv crate writes it). Every row must have as many fields as the first (the header).
/// Rows are built in memory and handed to the writer whole. Errors name the file.
pub struct Rows<W: Write> {
    out: W,
    row: Vec<u8>,
    /// Fields in the row so far.
    fields: usize,
    /// Fields of every row (those of the first; 0 until it ends).
    width: usize,
    name: &'static str,
}

impl<W: Write> Rows<W> {
    /// Wraps a writer of the file `name` and writes the header.
    pub fn new<S: AsRef<str>>(name: &'static str, w: W, header: &[S]) -> Result<Self> {
        // The header's width is every row's.
        let mut rows = Rows::append(name, w, 0);
        for h in header {
            rows.text(h.as_ref())?;
        }
        rows.end()?;
        Ok(rows)
    }

    /// Wraps a writer that continues the file `name`, whose header (there already, or
    /// elsewhere) has `columns` fields.
    pub fn append(name: &'static str, w: W, columns: usize) -> Self {
        Rows {
            out: w,
            row: Vec::with_capacity(256),
            fields: 0,
            width: columns,
            name,
        }
    }

    /// Starts a field: the delimiter before every field but the first.
    #[inline]
    fn sep(&mut self) {
        if self.fields > 0 {
            self.row.push(b',');
        }
        self.fields += 1;
    }

    /// A number field (empty when `None`), e.g. `2.0`, `0.15`, `1e-7`: the shortest form that
    /// reads back bit for bit, never looking like an integer (see [`fmt_num`]).
    pub fn num(&mut self, v: Option<f64>) -> Result<()> {
        self.sep();
        if let Some(x) = v {
            fmt_num(x, |s| self.row.extend_from_slice(s.as_bytes()));
        }
        Ok(())
    }

    /// An integer field.
    pub fn int(&mut self, v: u64) -> Result<()> {
        self.sep();
        // Writing to a Vec cannot fail.
        let _ = write!(self.row, "{v}");
        Ok(())
    }

    /// A text field, quoted when needed.
    pub fn text(&mut self, v: &str) -> Result<()> {
        self.sep();
        let bytes = v.as_bytes();
        if bytes
            .iter()
            .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
        {
            self.row.push(b'"');
            for &b in bytes {
                if b == b'"' {
                    self.row.push(b'"');
                }
                self.row.push(b);
            }
            self.row.push(b'"');
        } else {
            self.row.extend_from_slice(bytes);
        }
        Ok(())
    }

    /// Ends the record.
    pub fn end(&mut self) -> Result<()> {
        let name = self.name;
        if self.width == 0 {
            self.width = self.fields;
        } else if self.fields != self.width {
            return Err(Error::Invalid(format!(
                "cannot write {name}: a row of {} fields where the header has {}",
                self.fields, self.width
            )));
        }
        if self.fields == 1 && self.row.is_empty() {
            // A lone empty field would read as an empty line.
            self.row.extend_from_slice(b"\"\"");
        }
        self.row.push(b'\n');
        self.fields = 0;
        let written = self.out.write_all(&self.row);
        self.row.clear();
        written.map_err(|e| Error::io(format!("cannot write {name}"), e))
    }

    /// Returns the writer with the rows written to it (a worker's chunk of rows in memory).
    pub fn into_inner(self) -> Result<W> {
        if self.fields > 0 {
            return Err(Error::Invalid(format!(
                "cannot write {}: a row was not ended",
                self.name
            )));
        }
        Ok(self.out)
    }

    /// Flushes everything to the file.
    pub fn finish(mut self) -> Result<()> {
        let name = self.name;
        self.out
            .flush()
            .map_err(|e| Error::io(format!("cannot write {name}"), e))
    }
}

/// Hands `f` the text of a number as every CSV and table of statecraft writes it: the shortest
/// decimal that reads back bit for bit, with a decimal point or an exponent so that no reader
/// takes the column for integers (`2.0`, `0.15`, `1e-7`, `-0.0`, `NaN`, `inf`). Between 1e-4
/// and 1e16 it is the `Debug` form of `f64`, computed by zmij (several times faster: number
/// formatting was a fifth of a batch's time), except that zmij breaks an exact tie between two
/// shortest forms towards the even digit (`...13.12` for `...13.125`, where `Debug` writes
/// `...13.13`); both read back as the same `f64`. Outside that range it is the `Debug` form.
pub fn fmt_num<T>(x: f64, f: impl FnOnce(&str) -> T) -> T {
    let a = x.abs();
    if a == 0.0 || (1e-4..1e16).contains(&a) {
        f(zmij::Buffer::new().format_finite(x))
    } else {
        f(&format!("{x:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(x: f64) -> String {
        fmt_num(x, str::to_string)
    }

    /// SplitMix64: spread bit patterns for the number tests (no RNG crate needed here).
    fn mix(k: u64) -> u64 {
        let mut z = k.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    #[test]
    fn numbers_read_back_bit_for_bit_and_never_look_like_integers() {
        let special = [
            0.0, -0.0, 1.0, -2.0, 0.1, 1e-4, 9.99e-5, 1e-7, 1e15, 1e16, 1.5e300, 5e-324,
        ];
        let random = (0..200_000u64).map(|k| f64::from_bits(mix(k)));
        for x in special.into_iter().chain(random) {
            let s = text(x);
            if x.is_nan() {
                assert_eq!(s, "NaN");
                continue;
            }
            assert_eq!(s.parse::<f64>().unwrap().to_bits(), x.to_bits(), "{s}");
            assert!(
                s.contains(['.', 'e']) || !x.is_finite(),
                "{s} looks like an integer"
            );
        }
        assert_eq!(text(2.0), "2.0");
        assert_eq!(text(1e-7), "1e-7");
        assert_eq!(text(-0.0), "-0.0");
        assert_eq!(text(f64::INFINITY), "inf");
    }

    #[test]
    fn numbers_are_the_debug_form_but_for_exact_ties() {
        // Values of every magnitude the fast path covers, and plain decimals.
        for k in 0..200_000u64 {
            let r = mix(k);
            let exp = (r % 21) as i32 - 5;
            let x = (r >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi(exp);
            let (fast, debug) = (text(x), format!("{x:?}"));
            if fast != debug {
                // Two shortest forms, both reading back as x: zmij takes the even one.
                assert_eq!(fast.len(), debug.len(), "{fast} {debug}");
                assert_eq!(debug.parse::<f64>().unwrap(), x);
            }
        }
        assert_eq!(text(0.15), "0.15");
        assert_eq!(text(972.101871649832), "972.101871649832");
    }

    #[test]
    fn rows_quote_text_as_rfc_4180_and_check_widths() {
        let mut rows = Rows::new("t.csv", Vec::new(), &["a", "b,c"]).unwrap();
        rows.text("say \"hi\"").unwrap();
        rows.num(None).unwrap();
        rows.end().unwrap();
        rows.int(42).unwrap();
        rows.text("line\nbreak").unwrap();
        rows.end().unwrap();
        rows.int(0).unwrap();
        let err = rows.end().unwrap_err().to_string();
        assert!(err.contains("t.csv") && err.contains("1 fields"), "{err}");
        let mut ok = Rows::new("t.csv", Vec::new(), &["a", "b,c"]).unwrap();
        ok.text("say \"hi\"").unwrap();
        ok.num(Some(0.5)).unwrap();
        ok.end().unwrap();
        let bytes = ok.into_inner().unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "a,\"b,c\"\n\"say \"\"hi\"\"\",0.5\n"
        );
        let mut lone = Rows::new("t.csv", Vec::new(), &["a"]).unwrap();
        lone.text("").unwrap();
        lone.end().unwrap();
        assert_eq!(lone.into_inner().unwrap(), b"a\n\"\"\n");
    }
}
