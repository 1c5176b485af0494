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

/// A CSV file written field by field without allocating: numbers in Rust's shortest
/// round-trip form, always with a decimal point or an exponent (`2.0`, `1e-7`) so that pandas,
/// polars and R read every number column as floating point; an empty field where a value is
/// absent. Errors name the file.
pub struct Rows<W: Write> {
    csv: csv::Writer<W>,
    buf: String,
    name: &'static str,
}

impl<W: Write> Rows<W> {
    /// Wraps a writer of the file `name` and writes the header.
    pub fn new<S: AsRef<str>>(name: &'static str, w: W, header: &[S]) -> Result<Self> {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(header.iter().map(|h| h.as_ref()))
            .with_context(|| format!("cannot write {name}"))?;
        Ok(Rows {
            csv,
            buf: String::with_capacity(32),
            name,
        })
    }

    /// Wraps a writer that continues the file `name` (its header is there already).
    pub fn append(name: &'static str, w: W) -> Self {
        Rows {
            csv: csv::Writer::from_writer(w),
            buf: String::with_capacity(32),
            name,
        }
    }

    /// Writes the buffered rows to the file.
    pub fn flush(&mut self) -> Result<()> {
        let name = self.name;
        self.csv
            .flush()
            .with_context(|| format!("cannot write {name}"))
    }

    fn field(&mut self, bytes: &[u8]) -> Result<()> {
        let name = self.name;
        self.csv
            .write_field(bytes)
            .with_context(|| format!("cannot write {name}"))
    }

    fn formatted(&mut self, v: impl std::fmt::Display) -> Result<()> {
        use std::fmt::Write as _;
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        write!(buf, "{v}")?;
        let res = self.field(buf.as_bytes());
        self.buf = buf;
        res
    }

    /// A number field (empty when `None`), e.g. `2.0`, `0.15`, `1e-7`: the `Debug` form is the
    /// shortest that reads back bit for bit and never looks like an integer.
    pub fn num(&mut self, v: Option<f64>) -> Result<()> {
        match v {
            Some(x) => self.formatted(format_args!("{x:?}")),
            None => self.field(b""),
        }
    }

    /// An integer field.
    pub fn int(&mut self, v: u64) -> Result<()> {
        self.formatted(v)
    }

    /// A text field (quoted when needed).
    pub fn text(&mut self, v: &str) -> Result<()> {
        self.field(v.as_bytes())
    }

    /// Ends the record.
    pub fn end(&mut self) -> Result<()> {
        let name = self.name;
        self.csv
            .write_record(None::<&[u8]>)
            .with_context(|| format!("cannot write {name}"))
    }

    /// Flushes everything to the file.
    pub fn finish(mut self) -> Result<()> {
        let name = self.name;
        self.csv
            .flush()
            .with_context(|| format!("cannot write {name}"))
    }
}
