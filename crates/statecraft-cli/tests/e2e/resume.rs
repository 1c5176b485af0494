//! A batch killed mid-way (`kill -9`) or stopped with Ctrl-C (SIGINT) continues with
//! `--resume` into files byte-identical to an uninterrupted run's.
//!
//! The kill and the Ctrl-C come from the CLI's test hooks at a given checkpoint
//! (`STATECRAFT_CRASH_AT=checkpoint:N`, `STATECRAFT_INTERRUPT_AT=checkpoint:N`), not from a
//! signal sent after a wait: the batch stops at the same place on every run, however fast or
//! loaded the machine, and no sleep races it. `a_sigint_stops_a_running_batch_at_its_next_checkpoint`
//! sends a real SIGINT to a batch held by `STATECRAFT_PAUSE_AT`, for the handler itself.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::*;

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

    // Killed (as by kill -9) right after the third checkpoint.
    let killed = d.join("killed");
    killed_batch(&killed);
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
    let runs = LONG_RUNS as f64;
    assert!((computed(&full) - runs).abs() < 1.0);
    // Three checkpoints of a 256-run chunk each were kept.
    let left = runs - 3.0 * 256.0;
    assert!(
        (computed(&killed) - left).abs() < 1.0,
        "{}",
        computed(&killed)
    );

    // Ctrl-C (the interrupt flag set right after the second checkpoint, as the handler sets
    // it): a clean stop at the next checkpoint with status 130 and the way to continue.
    let stopped = d.join("stopped");
    let o = long_batch(&stopped, &[])
        .env("STATECRAFT_INTERRUPT_AT", "checkpoint:2")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("interrupted after 768 of 4000 runs") && e.contains("--resume"),
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

/// A real SIGINT, to a batch held after its first checkpoint by `STATECRAFT_PAUSE_AT`, which
/// waits until an interruption is requested: the handler sets the flag, the batch goes on and
/// stops cleanly at its next checkpoint with status 130. The batch is known to be running when
/// the signal comes, and it cannot finish before the flag is set.
#[test]
fn a_sigint_stops_a_running_batch_at_its_next_checkpoint() {
    let d = scratch("sigint");
    let out = d.join("out");
    let (child, stdin) = paused_batch(&out, Stdio::piped());
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let o = wait_at_most(child, Duration::from_secs(300), "the interrupted batch");
    drop(stdin);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "{e}");
    assert!(
        e.contains("interrupted after 512 of 4000 runs") && e.contains("--resume"),
        "{e}"
    );
    assert!(partial(&out).join("checkpoint.json").exists());
    assert!(!out.exists());
    let _ = std::fs::remove_dir_all(&d);
}
