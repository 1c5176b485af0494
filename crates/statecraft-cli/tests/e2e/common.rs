//! Helpers shared by the end-to-end tests of the binary (each module uses some of them).

use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::time::Duration;

/// The repository root, where the bundled scenarios are.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// The `statecraft` binary, run in the repository root (`STATECRAFT_TEST_BIN` names another
/// build to test instead, e.g. one from before a fix, to see its test fail).
pub fn statecraft() -> Command {
    let bin = std::env::var_os("STATECRAFT_TEST_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_statecraft")),
        PathBuf::from,
    );
    let mut c = Command::new(bin);
    c.current_dir(root());
    c
}

/// Runs `statecraft ARGS`.
pub fn run(args: &[&str]) -> Output {
    statecraft().args(args).output().expect("statecraft runs")
}

/// Runs `statecraft ARGS`, which must succeed; its standard output.
pub fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert!(
        o.status.success(),
        "statecraft {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Runs `statecraft ARGS`, which must fail with exit status 2; its standard error.
pub fn failure(args: &[&str]) -> String {
    let o = run(args);
    assert_eq!(o.status.code(), Some(2), "{args:?} should fail");
    String::from_utf8(o.stderr).unwrap()
}

/// Runs `statecraft ARGS`, which must fail at run time with exit status 1; its standard error.
pub fn runtime_failure(args: &[&str]) -> String {
    let o = run(args);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{args:?} should fail at run time: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stderr).unwrap()
}

/// A fresh scratch folder for one test, under Cargo's scratch folder for integration tests
/// (`target/tmp`, emptied by `cargo clean`), named by the calling module's file and `name`
/// (`statecraft-cli-bad` and `statecraft-report-bad` are two folders): each run replaces the
/// last one's instead of leaving its files in the system's temporary folder.
#[track_caller]
pub fn scratch(name: &str) -> PathBuf {
    let module = Path::new(std::panic::Location::caller().file())
        .file_stem()
        .expect("a file name")
        .to_string_lossy()
        .into_owned();
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("statecraft-{module}-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch folder");
    d
}

/// A file's text.
pub fn text(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A file's bytes.
pub fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `.NAME.partial` beside `out`: where a resumable batch writes until it is done.
pub fn partial(out: &Path) -> PathBuf {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    out.with_file_name(format!(".{name}.partial"))
}

/// The runs of [`long_batch`].
pub const LONG_RUNS: u64 = 4000;

/// A long CSV batch of the three-actor example into `out` ([`LONG_RUNS`] runs, 16 chunks, on
/// one thread, three trajectories) that checkpoints after every chunk. The tests stop it at a
/// given checkpoint with the CLI's test hooks, not at a time, so it need not be long.
pub fn long_batch(out: &Path, extra: &[&str]) -> Command {
    let mut c = long_run(out, &["--trajectories", "3"]);
    c.args(extra);
    c
}

/// [`long_batch`] without its trajectories (for options that refuse them, `--summary-only`).
pub fn long_run(out: &Path, extra: &[&str]) -> Command {
    let mut c = statecraft();
    c.args([
        "run",
        "scenarios/examples/three_actors.ron",
        "--runs",
        &LONG_RUNS.to_string(),
        "--threads",
        "1",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ])
    .args(extra)
    .env("STATECRAFT_CHECKPOINT_SECONDS", "0");
    c
}

/// `args` as the `&str`s that [`ok`], [`failure`] and [`run`] take.
pub fn as_strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Waits for a child at most `limit` (a hang is the failure: the limit is generous); kills it
/// and fails past that.
pub fn wait_at_most(mut child: Child, limit: Duration, what: &str) -> Output {
    #[allow(clippy::disallowed_types)]
    let t = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if t.elapsed() > limit {
            let _ = child.kill();
            panic!("{what} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// [`long_batch`] killed (`abort`, as `kill -9` would) right after its third checkpoint is on
/// disk, by the CLI's test hook `STATECRAFT_CRASH_AT=checkpoint:3`: a batch interrupted
/// mid-way, at the same place on every run and with no race against the batch.
pub fn killed_batch(out: &Path) {
    let o = long_batch(out, &[])
        .env("STATECRAFT_CRASH_AT", "checkpoint:3")
        .output()
        .expect("statecraft runs");
    assert!(!o.status.success(), "the batch was not killed");
    assert!(partial(out).join("checkpoint.json").exists());
    assert!(!out.exists());
}

/// Starts [`long_batch`] paused right after its first checkpoint (the CLI's test hook
/// `STATECRAFT_PAUSE_AT=checkpoint:1`: it waits there until its standard input is closed or an
/// interruption is requested) and waits for that checkpoint to appear: the batch is then known
/// to be running and holding its output, for as long as the test keeps the returned stdin open
/// and sends no SIGINT. Dropping the stdin lets the batch go on. Only the tests that need a
/// second process beside a running batch use this.
pub fn paused_batch(out: &Path, stderr: Stdio) -> (Child, ChildStdin) {
    let mut child = long_batch(out, &[])
        .env("STATECRAFT_PAUSE_AT", "checkpoint:1")
        .stdin(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("statecraft starts");
    let stdin = child.stdin.take().expect("a pipe");
    // The checkpoint is on disk before the pause: once it is there, the batch waits. This waits
    // on that condition, never for a fixed time; the limit only turns a hang into a failure.
    let cp = partial(out).join("checkpoint.json");
    #[allow(clippy::disallowed_types)]
    let t = std::time::Instant::now();
    while !cp.exists() {
        if let Some(status) = child.try_wait().expect("the batch's status") {
            panic!("the batch ended ({status}) before its first checkpoint");
        }
        assert!(
            t.elapsed() < Duration::from_secs(300),
            "no checkpoint in 5 minutes"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, stdin)
}

/// Checks a long output against its pinned copy, `tests/golden/NAME` at the repository root,
/// whole rather than piece by piece: any change shows as a diff of that file in review.
/// `STATECRAFT_BLESS=1` writes `text` there instead (after a deliberate change; review the
/// diff), as for the golden output hashes. On a mismatch the first differing line is named.
pub fn assert_pinned(name: &str, text: &str) {
    let pinned = root().join("tests/golden").join(name);
    if std::env::var_os("STATECRAFT_BLESS").is_some() {
        std::fs::create_dir_all(pinned.parent().expect("a folder")).expect("the golden folder");
        std::fs::write(&pinned, text).expect("write the pinned output");
    }
    let want = std::fs::read_to_string(&pinned).unwrap_or_default();
    if want == text {
        return;
    }
    let (mut w, mut t) = (want.lines(), text.lines());
    let mut line = 1;
    loop {
        match (w.next(), t.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            (None, None) => panic!("{}: the output differs in its line ends", pinned.display()),
            (a, b) => panic!(
                "the output differs from {} at line {line}:\n  pinned: {}\n  now:    {}\n\
                 (STATECRAFT_BLESS=1 re-pins it after a deliberate change)\nthe whole output:\n{text}",
                pinned.display(),
                a.unwrap_or("(end)"),
                b.unwrap_or("(end)"),
            ),
        }
    }
}
