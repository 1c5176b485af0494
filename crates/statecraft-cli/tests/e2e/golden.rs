//! Every bundled scenario's result files, pinned by their SHA-256: a refactoring must leave them
//! byte-identical, and a deliberate change of the model shows here first.
//!
//! To re-pin after a deliberate change: `STATECRAFT_BLESS=1 cargo test -p statecraft-cli --test
//! e2e golden`, then review the diff of `tests/golden/outputs.txt` in the commit that changes the
//! model.

use crate::common::{bytes, ok, root, scratch};
use sha2::{Digest, Sha256};

/// The files of a run folder that depend on the model (manifest.json holds timings).
const FILES: [&str; 4] = ["runs.csv", "actors.csv", "summary.json", "trajectories.csv"];

#[test]
fn every_bundled_scenario_writes_its_pinned_bytes() {
    let d = scratch("golden");
    let mut lines = String::new();
    let scenarios = statecraft_tests::bundled();
    assert!(scenarios.len() >= 10, "{scenarios:?}");
    for sc in &scenarios {
        let out = d.join(sc.replace('/', "_"));
        ok(&[
            "run",
            sc,
            "--runs",
            "48",
            "--seed",
            "7",
            "--trajectories",
            "2",
            "--threads",
            "2",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]);
        for f in FILES {
            let hash = Sha256::digest(bytes(&out.join(f)));
            let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
            lines.push_str(&format!("{sc} {f} {hex}\n"));
        }
    }
    let pinned = root().join("tests/golden/outputs.txt");
    if std::env::var_os("STATECRAFT_BLESS").is_some() {
        std::fs::write(&pinned, &lines).expect("write the pinned hashes");
    }
    let want = std::fs::read_to_string(&pinned).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&d);
    let changed: Vec<&str> = lines
        .lines()
        .filter(|l| !want.lines().any(|w| w == *l))
        .collect();
    assert!(
        changed.is_empty() && want.lines().count() == lines.lines().count(),
        "result files changed (STATECRAFT_BLESS=1 re-pins them after a deliberate change):\n{}",
        changed.join("\n")
    );
}
