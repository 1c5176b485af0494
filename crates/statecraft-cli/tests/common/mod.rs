//! Helpers shared by the end-to-end tests of the binary (each test file uses some of them).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// A fresh scratch folder for one test (named by the test binary's process and `name`).
pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("statecraft-test-{}-{name}", std::process::id()));
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
