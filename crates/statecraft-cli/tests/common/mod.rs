//! Helpers shared by the end-to-end tests of the binary (each test file uses some of them).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
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
/// (`target/tmp`, emptied by `cargo clean`), named by the test binary and `name`: each run
/// replaces the last one's instead of leaving its files in the system's temporary folder.
pub fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("statecraft-{}-{name}", env!("CARGO_CRATE_NAME")));
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

/// A long CSV batch of the three-actor example into `out` (40,000 runs on one thread, three
/// trajectories) that checkpoints after every chunk.
pub fn long_batch(out: &Path, extra: &[&str]) -> Command {
    let mut c = statecraft();
    c.args([
        "run",
        "scenarios/examples/three_actors.ron",
        "--runs",
        "40000",
        "--threads",
        "1",
        "--trajectories",
        "3",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ])
    .args(extra)
    .env("STATECRAFT_CHECKPOINT_SECONDS", "0");
    c
}

/// Starts [`long_batch`] with its standard error sent to `stderr` and waits (two minutes at
/// most) for its first checkpoint; the batch must still be running then.
pub fn start_checkpointing(out: &Path, stderr: Stdio) -> Child {
    let child = long_batch(out, &[])
        .stderr(stderr)
        .spawn()
        .expect("statecraft starts");
    let cp = partial(out).join("checkpoint.json");
    // At most two minutes: 6000 polls of 20 ms.
    for _ in 0..6000 {
        if cp.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(cp.exists(), "no checkpoint appeared");
    assert!(
        !out.exists(),
        "the batch finished before the test could act"
    );
    child
}
