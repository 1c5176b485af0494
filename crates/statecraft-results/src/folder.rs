//! Output folders that are never half-written: files go to a temporary sibling folder, which
//! is renamed onto the final name only when every file is complete ([`OutDir`]), each output
//! locked for its writer's life ([`lock`]); one-file outputs written atomically
//! ([`write_file_atomically`]). Errors of what the caller asked (an existing output without
//! `force`, a bad path) are [`Error::Refused`]; failures while writing are [`Error::Io`] and
//! [`Error::Output`].

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Component, Path, PathBuf};

use crate::{Error, Result};

/// A results folder being written. It holds an exclusive advisory lock on `.NAME.lock` beside
/// its target for its whole life (removed at the end), so two processes never write one
/// output (see [`lock`]).
pub struct OutDir {
    target: PathBuf,
    tmp: PathBuf,
    /// Where `commit` sets an old folder aside with `--force` (a name of this process's own).
    old: PathBuf,
    force: bool,
    committed: bool,
    /// A resumable folder (`.NAME.partial`) is kept when the command fails or is interrupted:
    /// its checkpoint lets `--resume` continue it.
    keep: bool,
    /// The lock on `.NAME.lock`, released when the folder is dropped (or the process dies).
    _lock: Option<Lock>,
}

/// What a resumable output folder held when its command started.
pub enum Partial {
    /// Nothing to continue: a fresh folder.
    Fresh,
    /// An interrupted run's folder, kept for `--resume`, with its `checkpoint.json` text.
    Resume(String),
}

/// What `--force` may replace at the target.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Replace {
    /// A statecraft results folder (one with a manifest), or an empty folder.
    Results,
    /// The `plots/` folder of a report: SVG and PNG files only.
    Plots,
    /// A regular file (the one-file outputs, such as an export archive).
    File,
}

/// The longest output name: statecraft adds up to 20 bytes to it for its temporary names
/// (`.NAME.tmp-PID.old`), and most file systems allow 255.
const MAX_NAME: usize = 230;

/// The files that mark a folder as statecraft's results (`--force` replaces only those).
const MARKERS: [&str; 3] = ["manifest.json", "compare.json", "patterns.json"];

/// Whether `path` is a marker statecraft wrote: a regular file of at most 16 MiB holding a JSON
/// object with the provenance fields every statecraft manifest has (`statecraft_version`,
/// `cargo_lock_sha256`). A file that merely has a marker's name is not one.
fn is_marker(path: &Path) -> bool {
    let small_file =
        fs::symlink_metadata(path).is_ok_and(|md| md.is_file() && md.len() <= 16 << 20);
    if !small_file {
        return false;
    }
    let Ok(text) = fs::read_to_string(path) else {
        return false;
    };
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(o)) => ["statecraft_version", "cargo_lock_sha256"]
            .iter()
            .all(|k| o.get(*k).is_some_and(serde_json::Value::is_string)),
        _ => false,
    }
}

/// Whether `dir` may be replaced by `--force`.
fn replaceable(dir: &Path, what: Replace) -> Result<bool> {
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)
        .map_err(|err| Error::io(format!("cannot read {}", dir.display()), err))?
        .collect::<std::io::Result<_>>()
        .map_err(|err| Error::io(format!("cannot read {}", dir.display()), err))?;
    if entries.is_empty() {
        return Ok(true);
    }
    Ok(match what {
        Replace::Results => MARKERS.iter().any(|m| is_marker(&dir.join(m))),
        Replace::Plots => entries.iter().all(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            e.file_type().is_ok_and(|t| t.is_file()) && (n.ends_with(".svg") || n.ends_with(".png"))
        }),
        Replace::File => false,
    })
}

/// The exclusive advisory lock of an output: the file `.NAME.lock` beside it, locked for the
/// life of this value and removed (while still locked) when it is dropped.
pub struct Lock {
    file: fs::File,
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed before it is unlocked (the file closes after this): a process that opened
        // it meanwhile finds, once it has the lock, that the path no longer names its file,
        // and starts again.
        let _ = fs::remove_file(&self.path);
        let _ = &self.file;
    }
}

/// Whether `file` is still the file at `path` (not removed or replaced since it was opened).
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Takes the exclusive advisory lock of output `name` in `parent` (the file `.NAME.lock`).
/// Refuses, rather than waits, when another process holds it. On a file system without locks
/// it proceeds unlocked.
pub fn lock(parent: &Path, name: &str, target: &Path) -> Result<Option<Lock>> {
    let path = parent.join(format!(".{name}.lock"));
    loop {
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|err| {
                Error::io(
                    format!("cannot create the lock file {}", path.display()),
                    err,
                )
            })?;
        match file.try_lock() {
            Ok(()) if same_file(&file, &path) => return Ok(Some(Lock { file, path })),
            // Removed by the process that held it: lock the file now at that path.
            Ok(()) => continue,
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::Output(format!(
                    "{} is being written by another statecraft process (it holds the lock {}); wait for it to finish, or choose another --out",
                    target.display(),
                    path.display()
                )));
            }
            Err(fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                return Ok(None);
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(Error::io(format!("cannot lock {}", path.display()), e));
            }
        }
    }
}

/// Checks an output path before any work: a name (not `.` or `..`), short enough for
/// its temporary names, not a symbolic link (never written through nor replaced).
pub fn check_out_path(target: &Path) -> Result<(PathBuf, String)> {
    // `Path::components` drops a trailing `.` (`out/x/.` reads as `out/x`): look at the text.
    let raw = target.as_os_str().as_encoded_bytes();
    let end = raw.iter().rposition(|&b| b != b'/').map_or(0, |k| k + 1);
    let last = raw[..end].rsplit(|&b| b == b'/').next().unwrap_or(b"");
    let name = match target.components().next_back() {
        Some(Component::Normal(n)) if last != b"." && last != b".." => {
            n.to_string_lossy().into_owned()
        }
        _ => {
            return Err(Error::Refused(format!(
                "output {}: give the name of a folder or file to write, not a path ending in `.` or `..`",
                target.display()
            )));
        }
    };
    if name.len() > MAX_NAME {
        return Err(Error::Refused(format!(
            "output {}: its name is {} bytes long; at most {MAX_NAME} (statecraft adds to it for its temporary names)",
            target.display(),
            name.len()
        )));
    }
    if fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::Refused(format!(
            "output {} is a symbolic link: statecraft neither writes through nor replaces links; give the real path",
            target.display()
        )));
    }
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// Checks the output path, creates its parent folder, takes the output's lock, clears the
/// leftovers of killed processes there, and refuses an existing `target` unless `force` (and
/// then only what `what` allows); returns the parent, the target's name and the lock.
fn prepare(target: &Path, force: bool, what: Replace) -> Result<(PathBuf, String, Option<Lock>)> {
    let (parent, name) = check_out_path(target)?;
    if target.exists() && !force {
        return Err(Error::Refused(format!(
            "output {} already exists; choose another with --out or replace it with --force",
            target.display()
        )));
    }
    fs::create_dir_all(&parent).map_err(|err| {
        Error::io(
            format!("cannot create the folder {}", parent.display()),
            err,
        )
    })?;
    let lock = lock(&parent, &name, target)?;
    remove_stale(&parent, &name);
    if let Ok(m) = fs::symlink_metadata(target) {
        if !force {
            return Err(Error::Refused(format!(
                "output {} already exists; choose another with --out or replace it with --force",
                target.display()
            )));
        }
        let ok = match what {
            Replace::File => m.is_file(),
            _ => m.is_dir() && replaceable(target, what)?,
        };
        if !ok {
            let kind = match what {
                Replace::File => "a regular file",
                Replace::Plots => "a report's plots folder (SVG and PNG files only)",
                Replace::Results => {
                    "a statecraft results folder (one with the manifest.json, compare.json or patterns.json statecraft wrote) or an empty folder"
                }
            };
            return Err(Error::Refused(format!(
                "{} is not {kind}: --force replaces only those; move or remove it yourself if you mean it",
                target.display()
            )));
        }
    }
    Ok((parent, name, lock))
}

impl OutDir {
    /// Prepares to write `target`. Refuses an existing `target` unless `force`, and with
    /// `force` replaces only a statecraft results folder or an empty one.
    pub fn create(target: &Path, force: bool) -> Result<OutDir> {
        Self::create_as(target, force, Replace::Results)
    }

    /// [`OutDir::create`] for a report's `plots/` folder, which `force` may replace when it
    /// holds only SVG and PNG files.
    pub fn create_plots(target: &Path, force: bool) -> Result<OutDir> {
        Self::create_as(target, force, Replace::Plots)
    }

    /// [`OutDir::create`] for an output that is one file ([`OutDir::commit_file`]): `force`
    /// replaces only a regular file.
    pub fn create_for_file(target: &Path, force: bool) -> Result<OutDir> {
        Self::create_as(target, force, Replace::File)
    }

    fn create_as(target: &Path, force: bool, what: Replace) -> Result<OutDir> {
        let (parent, name, lock) = prepare(target, force, what)?;
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp)
                .map_err(|err| Error::io(format!("cannot clear {}", tmp.display()), err))?;
        }
        fs::create_dir(&tmp)
            .map_err(|err| Error::io(format!("cannot create {}", tmp.display()), err))?;
        Ok(OutDir {
            target: target.to_path_buf(),
            old: PathBuf::from(format!("{}.old", tmp.display())),
            tmp,
            force,
            committed: false,
            keep: false,
            _lock: lock,
        })
    }

    /// Prepares to write `target` through the fixed folder `.NAME.partial`, which survives a
    /// crash or an interruption. With `resume`, an existing partial folder is continued (its
    /// `checkpoint.json` is returned); without, an existing one is refused unless `force`
    /// discards it, so an interrupted batch is never lost by accident. The output's lock is
    /// held from before the partial folder is looked at, so a second process can neither
    /// continue nor discard a batch that is still running.
    pub fn resumable(target: &Path, force: bool, resume: bool) -> Result<(OutDir, Partial)> {
        let (parent, name, lock) = prepare(target, force, Replace::Results)?;
        let tmp = parent.join(format!(".{name}.partial"));
        let mut partial = Partial::Fresh;
        if tmp.exists() {
            let cp = tmp.join("checkpoint.json");
            match (resume, fs::read_to_string(&cp)) {
                (true, Ok(text)) => {
                    // Files a killed process was writing under a temporary name.
                    for e in fs::read_dir(&tmp)
                        .map_err(|err| Error::io(format!("cannot read {}", tmp.display()), err))?
                        .flatten()
                    {
                        let n = e.file_name().to_string_lossy().into_owned();
                        if n.starts_with('.') && n.contains(".tmp-") {
                            let _ = fs::remove_file(e.path());
                        }
                    }
                    partial = Partial::Resume(text);
                }
                (false, Ok(_)) if !force => {
                    return Err(Error::Refused(format!(
                        "{} holds an interrupted run of {}: continue it with --resume (same options), or discard it with --force",
                        tmp.display(),
                        target.display()
                    )));
                }
                _ => {
                    // No checkpoint yet (nothing to continue), or discarded with --force.
                    fs::remove_dir_all(&tmp)
                        .map_err(|err| Error::io(format!("cannot clear {}", tmp.display()), err))?;
                }
            }
        }
        if matches!(partial, Partial::Fresh) {
            fs::create_dir(&tmp)
                .map_err(|err| Error::io(format!("cannot create {}", tmp.display()), err))?;
        }
        Ok((
            OutDir {
                target: target.to_path_buf(),
                old: parent.join(format!(".{name}.tmp-{}.old", std::process::id())),
                tmp,
                force,
                committed: false,
                keep: true,
                _lock: lock,
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
            .map_err(|err| Error::io(format!("cannot reopen {}", p.display()), err))?;
        let have = f
            .metadata()
            .map_err(|err| Error::io(format!("cannot read {}", p.display()), err))?
            .len();
        if have < len {
            // Never padded with zeros: the rows are gone.
            return Err(Error::Refused(format!(
                "{} holds {have} bytes, fewer than the {len} its checkpoint vouches for",
                p.display()
            )));
        }
        f.set_len(len)
            .map_err(|err| Error::io(format!("cannot truncate {}", p.display()), err))?;
        let mut f = f;
        use std::io::Seek;
        f.seek(std::io::SeekFrom::End(0))
            .map_err(|err| Error::io(format!("cannot seek {}", p.display()), err))?;
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
        let f = fs::File::create(&p)
            .map_err(|err| Error::io(format!("cannot create {}", p.display()), err))?;
        Ok(BufWriter::with_capacity(1 << 16, f))
    }

    /// Writes a whole file.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let mut w = self.file(name)?;
        w.write_all(bytes)
            .and_then(|_| w.flush())
            .map_err(|err| Error::io(format!("cannot write {name}"), err))
    }

    /// Moves the finished folder onto its final name (replacing an old one with `--force`),
    /// after every file in it is on disk (fsync).
    pub fn commit(mut self) -> Result<PathBuf> {
        sync_tree(&self.tmp)?;
        let old = if fs::symlink_metadata(&self.target).is_ok() {
            if !self.force {
                // Keep the finished results where they are rather than lose them.
                self.committed = true;
                return Err(Error::Output(format!(
                    "output folder {} appeared while running; results left in {}",
                    self.target.display(),
                    self.tmp.display()
                )));
            }
            let old = self.old.clone();
            fs::rename(&self.target, &old).map_err(|err| {
                let what = format!(
                    "cannot move the old {} aside to {}",
                    self.target.display(),
                    old.display()
                );
                Error::io(what, err)
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
            let what = format!(
                "cannot rename {} to {}",
                self.tmp.display(),
                self.target.display()
            );
            return Err(Error::io(what, e));
        }
        if let Some(p) = self.target.parent() {
            sync_dir(if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            });
        }
        if let Some(old) = old {
            let removed = if old.is_dir() {
                fs::remove_dir_all(&old)
            } else {
                fs::remove_file(&old)
            };
            removed.map_err(|err| {
                Error::io(
                    format!("cannot remove the old results at {}", old.display()),
                    err,
                )
            })?;
        }
        self.committed = true;
        Ok(self.target.clone())
    }
}

/// Writes every file of `dir` (and of its folders) to disk, then the folder itself.
fn sync_tree(dir: &Path) -> Result<()> {
    for e in
        fs::read_dir(dir).map_err(|err| Error::io(format!("cannot read {}", dir.display()), err))?
    {
        let e = e.map_err(|err| Error::io(format!("cannot read {}", dir.display()), err))?;
        let t = e
            .file_type()
            .map_err(|err| Error::io(format!("cannot read {}", dir.display()), err))?;
        if t.is_dir() {
            sync_tree(&e.path())?;
        } else if t.is_file() {
            fs::File::open(e.path())
                .and_then(|f| f.sync_all())
                .map_err(|err| {
                    Error::io(format!("cannot write {} to disk", e.path().display()), err)
                })?;
        }
    }
    sync_dir(dir);
    Ok(())
}

/// Writes a folder's entries (names created, renamed or removed) to disk; best effort (not
/// every system can open a folder for that).
pub fn sync_dir(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

impl OutDir {
    /// Moves the finished file `name` of the temporary folder onto the target path, for an
    /// output that is one file (replacing an old file with `--force`); the rest of the temporary
    /// folder is removed.
    pub fn commit_file(self, name: &str) -> Result<PathBuf> {
        if let Ok(m) = fs::symlink_metadata(&self.target) {
            if !self.force {
                return Err(Error::Output(format!(
                    "{} appeared while writing; choose another name or replace it with --force",
                    self.target.display()
                )));
            }
            if !m.is_file() {
                return Err(Error::Output(format!(
                    "{} is not a regular file; give the name of a file to write",
                    self.target.display()
                )));
            }
        }
        let from = self.tmp.join(name);
        fs::File::open(&from)
            .and_then(|f| f.sync_all())
            .map_err(|err| Error::io(format!("cannot write {} to disk", from.display()), err))?;
        fs::rename(&from, &self.target).map_err(|err| {
            let what = format!(
                "cannot rename {} to {}",
                from.display(),
                self.target.display()
            );
            Error::io(what, err)
        })?;
        Ok(self.target.clone())
    }
}

/// Cleans up after runs into `name` that were killed (called with the output's lock held):
/// temporary folders whose process no longer exists are removed, and old results set aside by
/// `--force` (`.NAME.tmp-PID.old`, or `.NAME.partial.old` from earlier builds) are put back if
/// nothing replaced them, removed if something did (Linux `/proc` tells which processes are
/// gone; elsewhere only the `.partial.old` leftover is handled).
fn remove_stale(parent: &Path, name: &str) {
    let target = parent.join(name);
    let remove = |p: &Path| {
        let _ = if p.is_dir() {
            fs::remove_dir_all(p)
        } else {
            fs::remove_file(p)
        };
    };
    let legacy = parent.join(format!(".{name}.partial.old"));
    if fs::symlink_metadata(&legacy).is_ok() {
        if fs::symlink_metadata(&target).is_err() {
            let _ = fs::rename(&legacy, &target);
        } else {
            remove(&legacy);
        }
    }
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
            if rest.ends_with(".old") && fs::symlink_metadata(&target).is_err() {
                // Killed between setting the old results aside and renaming the new ones in:
                // the old results go back.
                let _ = fs::rename(&p, &target);
            } else {
                remove(&p);
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

/// Writes one file next to its target (a hidden temporary name of this process's own, created
/// new, written to disk), then renames it: never a half-written file. The target must not be
/// a symbolic link or anything but a regular file (checked by [`check_out_file`] first).
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let (parent, name) = check_out_path(path)?;
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    // This process's own name: a leftover of it is from a killed process of the same id.
    let _ = fs::remove_file(&tmp);
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .map_err(|err| Error::io(format!("cannot write {}", tmp.display()), err))
        .and_then(|()| {
            fs::rename(&tmp, path)
                .map_err(|err| Error::io(format!("cannot write {}", path.display()), err))
        });
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    } else {
        sync_dir(&parent);
    }
    written
}

/// Checks a one-file output before any work, as every output is: not a symbolic link, and
/// when it exists, refused unless `force`, and then only a regular file is replaced.
pub fn check_out_file(path: &Path, force: bool) -> Result<()> {
    check_out_path(path)?;
    if let Ok(m) = fs::symlink_metadata(path) {
        if !force {
            return Err(Error::Refused(format!(
                "{} already exists; choose another name or replace it with --force",
                path.display()
            )));
        }
        if !m.is_file() {
            return Err(Error::Refused(format!(
                "{} is not a regular file: --force replaces only a regular file",
                path.display()
            )));
        }
    }
    Ok(())
}
