//! Pieces shared by the commands that run batches: the thread pool, the progress bar, the
//! provenance of a results folder, number formatting for tables, and the check that shards
//! tile a batch (run, sweep and tournament merges).

use anyhow::{Context, Result};

/// `println!` for everything the commands print: the text with its control characters escaped
/// ([`shown_lines`]), so that a name from a scenario or results file cannot drive the terminal.
macro_rules! outln {
    () => {
        $crate::common::write_out("\n")
    };
    ($($t:tt)*) => {
        $crate::common::write_out(&format!("{}\n", format_args!($($t)*)))
    };
}

/// `print!` with control characters escaped, as [`outln!`].
macro_rules! out {
    ($($t:tt)*) => {
        $crate::common::write_out(&format!($($t)*))
    };
}

/// Writes text to standard output with its control characters escaped (line breaks and tabs
/// kept); what [`outln!`] and [`out!`] call.
#[allow(clippy::print_stdout)]
pub fn write_out(text: &str) {
    print!("{}", shown_lines(text));
}
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A rayon pool of `threads` workers (0: one per core).
pub fn pool(threads: Option<u16>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.map_or(0, usize::from))
        .build()
        .context("cannot start the worker threads")
}

/// A progress bar over `len` runs on stderr, hidden when `quiet`.
pub fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    b.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} runs ({per_sec}, eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    b
}

/// Provenance common to every results folder: who wrote it, from what.
#[derive(serde::Serialize, Clone, Debug)]
pub struct Provenance {
    /// statecraft version.
    pub statecraft_version: String,
    /// Git commit the binary was built from.
    pub git_hash: String,
    /// SHA-256 of the Cargo.lock the binary was built with.
    pub cargo_lock_sha256: String,
    /// The command line.
    pub command: Vec<String>,
}

impl Provenance {
    /// The provenance of this process.
    pub fn here() -> Provenance {
        Provenance {
            statecraft_version: env!("CARGO_PKG_VERSION").to_string(),
            git_hash: env!("STATECRAFT_GIT_HASH").to_string(),
            cargo_lock_sha256: crate::run::sha256_hex(crate::run::CARGO_LOCK),
            command: std::env::args().collect(),
        }
    }
}

/// Pretty JSON with a final newline.
pub fn json_bytes(value: &impl serde::Serialize) -> Result<Vec<u8>> {
    let mut json = serde_json::to_vec_pretty(value)?;
    json.push(b'\n');
    Ok(json)
}

/// A number in a table: four significant digits, or "-".
pub fn short(x: f64) -> String {
    if !x.is_finite() {
        return "-".to_string();
    }
    let a = x.abs();
    if a != 0.0 && !(1e-3..1e6).contains(&a) {
        format!("{x:.3e}")
    } else if a >= 100.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.4}")
    }
}

/// "1 thread" or "N threads".
pub fn threads(n: usize) -> String {
    if n == 1 {
        "1 thread".to_string()
    } else {
        format!("{n} threads")
    }
}

/// Checks that shards tile `0..total` of some unit (`what`: "runs", "cells", ...): sorted by
/// their `range` in place, each begins where the one before it ended, with clear errors for a
/// gap (the missing range) and an overlap (the two folders and the range they share).
pub fn check_tiling<T>(
    shards: &mut [(std::path::PathBuf, T)],
    range: impl Fn(&T) -> (u64, u64),
    total: u64,
    what: &str,
) -> Result<()> {
    shards.sort_by_key(|(_, s)| range(s));
    let mut next = 0;
    for (i, (d, s)) in shards.iter().enumerate() {
        let (first, end) = range(s);
        if first > next {
            input_bail!("{what} {next}..{first} are missing: no shard given covers them");
        }
        if first < next {
            input_bail!(
                "{} and {} overlap ({what} {first}..{} are in both)",
                shards[i - 1].0.display(),
                d.display(),
                next.min(end)
            );
        }
        next = end;
    }
    if next != total {
        input_bail!("{what} {next}..{total} are missing: no shard given covers them");
    }
    Ok(())
}

/// Text for the terminal: every control character (an escape sequence's ESC, a carriage
/// return, a line break inside a name) written as an escape (`\u{1b}`, `\r`, `\n`), so that a
/// name read from a file cannot move the cursor, recolour or rewrite what is shown.
pub fn shown(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// [`shown`] for a message of several lines: its line breaks and tabs are kept, every other
/// control character escaped.
pub fn shown_lines(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}
