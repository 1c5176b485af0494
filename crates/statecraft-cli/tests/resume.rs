//! A batch killed mid-way (`kill -9`) or stopped with Ctrl-C (SIGINT) continues with
//! `--resume` into files byte-identical to an uninterrupted run's.

use std::path::Path;
use std::process::{Command, Stdio};

mod common;
use common::*;

fn same_files(a: &Path, b: &Path) {
    for f in ["runs.csv", "actors.csv", "trajectories.csv", "summary.json"] {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(x == y, "{f} differs after resuming");
    }
    assert!(!b.join("checkpoint.json").exists());
}

#[test]
fn a_killed_or_interrupted_batch_resumes_to_the_same_files() {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("statecraft-resume");
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    let full = d.join("full");
    assert!(long_batch(&full, &[]).status().unwrap().success());

    // kill -9 in the middle of the batch.
    let killed = d.join("killed");
    let mut child = start_checkpointing(&killed, Stdio::piped());
    child.kill().unwrap();
    child.wait().unwrap();
    // Without --resume the interrupted batch is not silently thrown away.
    let o = long_batch(&killed, &[]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("interrupted run") && e.contains("--resume"),
        "{e}"
    );
    // Nor continued with other options.
    let o = long_batch(&killed, &["--seed", "9", "--resume"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("other options"));
    assert!(
        long_batch(&killed, &["--resume"])
            .status()
            .unwrap()
            .success()
    );
    same_files(&full, &killed);
    // The resumed batch's speed counts only the runs it computed, after the checkpoint (#20).
    let computed = |dir: &std::path::Path| {
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap())
                .unwrap();
        m["runs_per_second"].as_f64().unwrap() * m["wall_seconds"].as_f64().unwrap()
    };
    assert!((computed(&full) - 40000.0).abs() < 1.0);
    assert!(computed(&killed) < 39999.0, "{}", computed(&killed));

    // Ctrl-C: a clean stop with status 130 and the way to continue.
    let stopped = d.join("stopped");
    let child = start_checkpointing(&stopped, Stdio::piped());
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("interrupted after") && e.contains("--resume"),
        "{e}"
    );
    assert!(
        long_batch(&stopped, &["--resume"])
            .status()
            .unwrap()
            .success()
    );
    same_files(&full, &stopped);
    let _ = std::fs::remove_dir_all(&d);
}
