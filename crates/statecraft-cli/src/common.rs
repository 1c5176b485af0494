//! Pieces shared by the commands that run batches: the thread pool, the progress display, the
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

/// Set once standard output's reader has gone (`| head` read what it wanted): nothing more is
/// written there, and the command goes on to finish its work.
static STDOUT_GONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes bytes to standard output. A reader that stops early (`| head`, a closed pipe) is not
/// an error: the rest is dropped and the command finishes (its results are files); any other
/// failure is.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::sync::atomic::Ordering;
    if STDOUT_GONE.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_GONE.store(true, Ordering::Relaxed);
            Ok(())
        }
        other => other.context("cannot write to standard output"),
    }
}

/// Writes text to standard output with its control characters escaped (line breaks and tabs
/// kept); what [`outln!`] and [`out!`] call. A closed pipe ends the printing quietly
/// ([`write_stdout`]); another failure to print is said once on standard error, and the
/// command goes on (its results are its files).
pub fn write_out(text: &str) {
    use std::sync::atomic::Ordering;
    if let Err(e) = write_stdout(shown_lines(text).as_bytes()) {
        STDOUT_GONE.store(true, Ordering::Relaxed);
        status(&format!("warning: {e:#}; nothing more is printed"));
    }
}
/// Writes `note: TEXT` to standard error (control characters escaped): what a command says
/// beside its results, never into them.
#[cfg_attr(not(feature = "ema"), allow(dead_code))]
pub fn note(text: &str) {
    status(&format!("note: {text}"));
}

/// Writes `warning: TEXT` to standard error (control characters escaped).
pub fn warn(text: &str) {
    status(&format!("warning: {text}"));
}

/// Writes a line about the work (not its results) to standard error, control characters
/// escaped: what the commands print there besides progress and errors goes through here.
#[allow(clippy::print_stderr)]
pub fn status(text: &str) {
    eprintln!("{}", shown_lines(text));
}

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A rayon pool of `threads` workers (0: one per core).
pub fn pool(threads: Option<u16>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.map_or(0, usize::from))
        .build()
        .context("cannot start the worker threads")
}

/// The progress of a batch on stderr: indicatif's bar on a terminal; when stderr is not a
/// terminal (a log file, a pipe, a cluster job), a plain line at intervals (every
/// [`progress_seconds`] and every tenth of the batch, whichever is later); nothing when
/// `quiet`. [`Progress::skip`] counts runs done before (a resumed batch's): in the position,
/// not in the speed or the estimate. Clocks stay here, in the CLI.
pub struct Progress {
    bar: ProgressBar,
    plain: Option<std::sync::Mutex<Plain>>,
}

/// The state of the plain progress lines.
struct Plain {
    len: u64,
    /// Runs counted by `skip` (not computed by this process).
    skipped: u64,
    pos: u64,
    started: crate::clock::Stopwatch,
    last: crate::clock::Stopwatch,
    /// The position of the last line printed.
    shown: u64,
    every: f64,
}

/// Seconds between plain progress lines: `STATECRAFT_PROGRESS_SECS` (0 in the tests), else 10.
fn progress_seconds() -> f64 {
    std::env::var("STATECRAFT_PROGRESS_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|x: &f64| x.is_finite() && *x >= 0.0)
        .unwrap_or(10.0)
}

/// A progress display over `len` runs on stderr, hidden when `quiet`.
pub fn progress_bar(len: u64, quiet: bool) -> Progress {
    use std::io::IsTerminal;
    if quiet {
        return Progress {
            bar: ProgressBar::hidden(),
            plain: None,
        };
    }
    if !std::io::stderr().is_terminal() {
        let now = crate::clock::Stopwatch::start();
        return Progress {
            bar: ProgressBar::hidden(),
            plain: Some(std::sync::Mutex::new(Plain {
                len,
                skipped: 0,
                pos: 0,
                started: now,
                last: now,
                shown: 0,
                every: progress_seconds(),
            })),
        };
    }
    let b = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    b.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} runs ({rate}, eta {eta})",
        )
        .map(|s| {
            s.with_key(
                "rate",
                |st: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{} runs/s", grouped(st.per_sec()));
                },
            )
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    Progress {
        bar: b,
        plain: None,
    }
}

impl Progress {
    /// `k` more runs done.
    pub fn inc(&self, k: u64) {
        self.bar.inc(k);
        let Some(plain) = &self.plain else {
            return;
        };
        let mut p = plain
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        p.pos += k;
        let elapsed = p.last.seconds();
        let tenth = p.len.div_ceil(10).max(1);
        if elapsed >= p.every && p.pos >= p.shown + tenth && p.pos < p.len {
            p.last = crate::clock::Stopwatch::start();
            p.shown = p.pos;
            #[allow(clippy::print_stderr)]
            {
                eprintln!("{}", p.line());
            }
        }
    }

    /// `k` runs done before this process started (a resumed batch's): counted in the position,
    /// not in the speed or the estimate.
    pub fn skip(&self, k: u64) {
        self.bar.inc(k);
        // The bar's speed and estimate start from here.
        self.bar.reset_eta();
        if let Some(plain) = &self.plain {
            let mut p = plain
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            p.pos += k;
            p.skipped += k;
            p.shown = p.pos;
        }
    }

    /// Removes the bar (the plain lines stay: they are a log).
    pub fn finish_and_clear(&self) {
        self.bar.finish_and_clear();
    }
}

impl Plain {
    /// `statecraft: 40,000/100,000 runs (40%), 8,120 runs/s, about 7 s left`.
    fn line(&self) -> String {
        let secs = self.started.seconds().max(1e-9);
        let rate = (self.pos - self.skipped) as f64 / secs;
        let left = if rate > 0.0 {
            format!(
                ", about {} left",
                duration((self.len - self.pos) as f64 / rate)
            )
        } else {
            String::new()
        };
        format!(
            "statecraft: {}/{} runs ({}%), {} runs/s{left}",
            grouped(self.pos as f64),
            grouped(self.len as f64),
            (self.pos as u128 * 100 / u128::from(self.len.max(1))),
            grouped(rate)
        )
    }
}

/// A whole number with thousands separators: `8,120`.
pub fn grouped(x: f64) -> String {
    if !x.is_finite() {
        return "-".to_string();
    }
    let digits = format!("{:.0}", x.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if x < 0.0 && digits != "0" {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A duration in words: `7 s`, `12 min`, `3.5 h`.
fn duration(secs: f64) -> String {
    if secs < 90.0 {
        format!("{:.0} s", secs.ceil())
    } else if secs < 90.0 * 60.0 {
        format!("{:.0} min", (secs / 60.0).ceil())
    } else {
        format!("{:.1} h", secs / 3600.0)
    }
}

pub use statecraft_results::Provenance;

/// The provenance of this process: this build, this command line.
pub fn provenance() -> Provenance {
    Provenance {
        statecraft_version: env!("CARGO_PKG_VERSION").to_string(),
        git_hash: statecraft_api::GIT_HASH.to_string(),
        cargo_lock_sha256: statecraft_results::sha256_hex(crate::run::CARGO_LOCK),
        command: std::env::args().collect(),
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

/// The numbers of one table row, formatted alike (`-` for none): as many decimals as the row's
/// largest magnitude takes (one from 100 up; else four, or up to six for four significant
/// digits below 0.01), so that a row never mixes `66.0553` with `112.8` or `0.0011` with
/// `3.451e-4`; scientific notation only when the whole row is very large or very small.
pub fn row_fmt(xs: &[f64]) -> impl Fn(f64) -> String + use<> {
    let big = xs
        .iter()
        .filter(|x| x.is_finite())
        .fold(0.0f64, |m, x| m.max(x.abs()));
    move |x: f64| {
        if !x.is_finite() {
            "-".to_string()
        } else if big != 0.0 && !(1e-3..1e6).contains(&big) {
            // An exact zero beside 1.5e-4 reads as 0, not 0.000e0.
            if x == 0.0 {
                "0".to_string()
            } else {
                format!("{x:.3e}")
            }
        } else if big >= 100.0 {
            format!("{x:.1}")
        } else {
            let d = if big > 0.0 {
                (3 - big.log10().floor() as i32).clamp(4, 6) as usize
            } else {
                4
            };
            format!("{x:.d$}")
        }
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

/// The message of a command (`what`: "discovery", "the export") that needs the parameter
/// draws, about the folder `dir` of a batch run with `--no-draws` (those kept in `draws.csv`
/// by `--draws table` are read from there).
pub fn no_draws(dir: &std::path::Path, what: &str) -> String {
    format!(
        "{}: the folder holds no parameter draws (the batch was run with --no-draws: none were written); {what} needs them: rerun the batch with --draws runs (the default) or --draws table",
        dir.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_is_formatted_alike() {
        let f = row_fmt(&[66.0553, 29.0, 63.0, 112.8]);
        assert_eq!([f(66.0553), f(29.0), f(112.8)], ["66.1", "29.0", "112.8"]);
        let f = row_fmt(&[0.0011, 3.451e-4, -7.697e-4, f64::NAN]);
        assert_eq!(
            [f(0.0011), f(3.451e-4), f(-7.697e-4)],
            ["0.001100", "0.000345", "-0.000770"]
        );
        assert_eq!(f(f64::NAN), "-");
        let f = row_fmt(&[0.6789, 0.0229]);
        assert_eq!([f(0.6789), f(0.0229)], ["0.6789", "0.0229"]);
        let f = row_fmt(&[2e-5, 1e-5, 0.0]);
        assert_eq!([f(2e-5), f(0.0)], ["2.000e-5", "0"]);
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0.0), "0");
        assert_eq!(grouped(8120.4), "8,120");
        assert_eq!(grouped(999.6), "1,000");
        assert_eq!(grouped(1_234_567.0), "1,234,567");
        assert_eq!(grouped(-4200.0), "-4,200");
        assert_eq!(grouped(f64::NAN), "-");
    }

    #[test]
    fn a_resumed_batch_s_speed_counts_only_the_runs_computed_here() {
        let ago = crate::clock::Stopwatch::started_ago(10);
        // 30,000 runs from the checkpoint, 10,000 computed in the last 10 s.
        let p = Plain {
            len: 100_000,
            skipped: 30_000,
            pos: 40_000,
            started: ago,
            last: ago,
            shown: 0,
            every: 10.0,
        };
        let line = p.line();
        assert!(
            line.starts_with("statecraft: 40,000/100,000 runs (40%), "),
            "{line}"
        );
        let rate: f64 = line
            .split(", ")
            .nth(1)
            .and_then(|r| r.strip_suffix(" runs/s"))
            .map(|r| r.replace(',', ""))
            .and_then(|r| r.parse().ok())
            .unwrap_or(f64::NAN);
        // 1,000 runs/s (4,000 if the checkpoint's runs counted), about 60 s left (15 s).
        assert!((900.0..=1000.0).contains(&rate), "{line}");
        assert!(
            line.ends_with("about 60 s left") || line.ends_with("about 61 s left"),
            "{line}"
        );
    }
}
