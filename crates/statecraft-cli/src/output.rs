//! Output folders that are never half-written: files go to a temporary sibling folder, which
//! is renamed onto the final name only when every file is complete.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// A results folder being written.
pub struct OutDir {
    target: PathBuf,
    tmp: PathBuf,
    force: bool,
    committed: bool,
    /// A resumable folder (`.NAME.partial`) is kept when the command fails or is interrupted:
    /// its checkpoint lets `--resume` continue it.
    keep: bool,
}

/// What a resumable output folder held when its command started.
pub enum Partial {
    /// Nothing to continue: a fresh folder.
    Fresh,
    /// An interrupted run's folder, kept for `--resume`, with its `checkpoint.json` text.
    Resume(String),
}

/// Refuses an existing `target` unless `force`, creates its parent folder and clears the
/// leftovers of killed processes there; returns the parent and the target's name.
fn prepare(target: &Path, force: bool) -> Result<(PathBuf, String)> {
    if target.exists() && !force {
        bail!(
            "output folder {} already exists; choose another with --out DIR or replace it with --force",
            target.display()
        );
    }
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    let name = target
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string());
    remove_stale(&parent, &name);
    Ok((parent, name))
}

impl OutDir {
    /// Prepares to write `target`. Refuses an existing `target` unless `force`.
    pub fn create(target: &Path, force: bool) -> Result<OutDir> {
        let (parent, name) = prepare(target, force)?;
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).with_context(|| format!("cannot clear {}", tmp.display()))?;
        }
        fs::create_dir(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        Ok(OutDir {
            target: target.to_path_buf(),
            tmp,
            force,
            committed: false,
            keep: false,
        })
    }

    /// Prepares to write `target` through the fixed folder `.NAME.partial`, which survives a
    /// crash or an interruption. With `resume`, an existing partial folder is continued (its
    /// `checkpoint.json` is returned); without, an existing one is refused unless `force`
    /// discards it, so an interrupted batch is never lost by accident.
    pub fn resumable(target: &Path, force: bool, resume: bool) -> Result<(OutDir, Partial)> {
        let (parent, name) = prepare(target, force)?;
        let tmp = parent.join(format!(".{name}.partial"));
        let mut partial = Partial::Fresh;
        if tmp.exists() {
            let cp = tmp.join("checkpoint.json");
            match (resume, fs::read_to_string(&cp)) {
                (true, Ok(text)) => partial = Partial::Resume(text),
                (false, Ok(_)) if !force => bail!(
                    "{} holds an interrupted run of {}: continue it with --resume (same options), or discard it with --force",
                    tmp.display(),
                    target.display()
                ),
                _ => {
                    // No checkpoint yet (nothing to continue), or discarded with --force.
                    fs::remove_dir_all(&tmp)
                        .with_context(|| format!("cannot clear {}", tmp.display()))?;
                }
            }
        }
        if matches!(partial, Partial::Fresh) {
            fs::create_dir(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        }
        Ok((
            OutDir {
                target: target.to_path_buf(),
                tmp,
                force,
                committed: false,
                keep: true,
            },
            partial,
        ))
    }

    /// Removes the folder when it is dropped, though resumable (nothing worth resuming).
    pub fn discard(&mut self) {
        self.keep = false;
    }

    /// A buffered writer appending to file `name` after its first `len` bytes (what the
    /// checkpoint vouches for; anything written after it is cut off).
    pub fn file_append(&self, name: &str, len: u64) -> Result<BufWriter<fs::File>> {
        let p = self.tmp.join(name);
        let f = fs::OpenOptions::new()
            .write(true)
            .open(&p)
            .with_context(|| format!("cannot reopen {}", p.display()))?;
        f.set_len(len)
            .with_context(|| format!("cannot truncate {}", p.display()))?;
        let mut f = f;
        use std::io::Seek;
        f.seek(std::io::SeekFrom::End(0))
            .with_context(|| format!("cannot seek {}", p.display()))?;
        Ok(BufWriter::with_capacity(1 << 16, f))
    }

    /// Writes a whole file atomically inside the folder (temporary name, then rename): a
    /// checkpoint is either the old one or the new one, never half of either.
    pub fn replace(&self, name: &str, bytes: &[u8]) -> Result<()> {
        write_file_atomically(&self.tmp.join(name), bytes)
    }

    /// Where file `name` is being written (inside the temporary folder).
    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.join(name)
    }

    /// A buffered writer for file `name` inside the folder.
    pub fn file(&self, name: &str) -> Result<BufWriter<fs::File>> {
        let p = self.tmp.join(name);
        let f = fs::File::create(&p).with_context(|| format!("cannot create {}", p.display()))?;
        Ok(BufWriter::with_capacity(1 << 16, f))
    }

    /// Writes a whole file.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let mut w = self.file(name)?;
        w.write_all(bytes)
            .and_then(|_| w.flush())
            .with_context(|| format!("cannot write {name}"))
    }

    /// Moves the finished folder onto its final name (replacing an old one with `--force`).
    pub fn commit(mut self) -> Result<PathBuf> {
        let old = if self.target.exists() {
            if !self.force {
                // Keep the finished results where they are rather than lose them.
                self.committed = true;
                bail!(
                    "output folder {} appeared while running; results left in {}",
                    self.target.display(),
                    self.tmp.display()
                );
            }
            // A name of this process's own, so that no leftover can be in the way.
            let old = PathBuf::from(format!("{}.old", self.tmp.display()));
            fs::rename(&self.target, &old).with_context(|| {
                format!(
                    "cannot move the old {} aside to {}",
                    self.target.display(),
                    old.display()
                )
            })?;
            Some(old)
        } else {
            None
        };
        if let Err(e) = fs::rename(&self.tmp, &self.target) {
            // Put the earlier results back where they were.
            if let Some(old) = &old {
                let _ = fs::rename(old, &self.target);
            }
            return Err(e).with_context(|| {
                format!(
                    "cannot rename {} to {}",
                    self.tmp.display(),
                    self.target.display()
                )
            });
        }
        if let Some(old) = old {
            let removed = if old.is_dir() {
                fs::remove_dir_all(&old)
            } else {
                fs::remove_file(&old)
            };
            removed
                .with_context(|| format!("cannot remove the old results at {}", old.display()))?;
        }
        self.committed = true;
        Ok(self.target.clone())
    }
}

#[cfg(feature = "ema")]
impl OutDir {
    /// Moves the finished file `name` of the temporary folder onto the target path, for an
    /// output that is one file (replacing an old file with `--force`); the rest of the temporary
    /// folder is removed.
    pub fn commit_file(self, name: &str) -> Result<PathBuf> {
        if self.target.is_dir() {
            bail!(
                "{} is a folder; give the name of a file to write",
                self.target.display()
            );
        }
        if self.target.exists() && !self.force {
            bail!(
                "{} appeared while writing; choose another name or replace it with --force",
                self.target.display()
            );
        }
        let from = self.tmp.join(name);
        fs::rename(&from, &self.target).with_context(|| {
            format!(
                "cannot rename {} to {}",
                from.display(),
                self.target.display()
            )
        })?;
        Ok(self.target.clone())
    }
}

/// Cleans up after runs into `name` that were killed: temporary folders whose process no longer
/// exists are removed, and old results set aside by `--force` are put back if nothing replaced
/// them (Linux `/proc`; elsewhere nothing is touched).
fn remove_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}.tmp-");
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.trim_end_matches(".old");
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if !Path::new("/proc").join(pid).exists() {
            let p = e.path();
            let target = parent.join(name);
            if rest.ends_with(".old") && !target.exists() {
                // Killed between setting the old results aside and renaming the new ones in:
                // the old results go back.
                let _ = fs::rename(&p, &target);
            } else {
                let _ = if p.is_dir() {
                    fs::remove_dir_all(&p)
                } else {
                    fs::remove_file(&p)
                };
            }
        }
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        if !self.committed && !self.keep {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Writes one file next to its target, then renames it: never a half-written file.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let written = fs::write(&tmp, bytes)
        .with_context(|| format!("cannot write {}", tmp.display()))
        .and_then(|()| {
            fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
        });
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
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
            anyhow::bail!(
                "cannot write {name}: a row of {} fields where the header has {}",
                self.fields,
                self.width
            );
        }
        if self.fields == 1 && self.row.is_empty() {
            // A lone empty field would read as an empty line.
            self.row.extend_from_slice(b"\"\"");
        }
        self.row.push(b'\n');
        self.fields = 0;
        let written = self.out.write_all(&self.row);
        self.row.clear();
        written.with_context(|| format!("cannot write {name}"))
    }

    /// Returns the writer with the rows written to it (a worker's chunk of rows in memory).
    pub fn into_inner(self) -> Result<W> {
        if self.fields > 0 {
            anyhow::bail!("cannot write {}: a row was not ended", self.name);
        }
        Ok(self.out)
    }

    /// Flushes everything to the file.
    pub fn finish(mut self) -> Result<()> {
        let name = self.name;
        self.out
            .flush()
            .with_context(|| format!("cannot write {name}"))
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
