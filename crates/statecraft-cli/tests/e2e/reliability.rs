//! Issue 15 ("Reliability 2"): each fault the red-team pass found, reproduced end to end and
//! pinned: two writers of one output, unsafe `convert --out`, mixed or damaged shards, a file
//! shorter than its checkpoint, a report that hung, unbounded runs, a kill before the final
//! rename, bad `--out` paths, leftovers, world files that are not files, control characters,
//! non-finite values, a byte-order mark, and `--force` on a folder that is not statecraft's.

// Timeouts on the processes under test (a hang is the failure), not clocks in the model.
#![allow(clippy::disallowed_types)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

const EX: &str = "scenarios/examples/three_actors.ron";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr_of(c: &mut Command) -> (Option<i32>, String) {
    let o = c.output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Item 1: a second writer of a running batch is refused (with or without `--resume`, with
/// `--force`), the running batch is untouched and finishes with the right files. This needs two
/// processes at once: the first is held after its first checkpoint (`STATECRAFT_PAUSE_AT`)
/// until the second ones have been refused, so it is known to hold its output meanwhile.
#[test]
fn a_second_writer_of_a_running_batch_is_refused() {
    let d = scratch("two-writers");
    let (out, whole) = (d.join("out"), d.join("whole"));
    let (mut child, stdin) = paused_batch(&out, Stdio::null());
    for extra in [&["--resume"][..], &["--force"], &["--resume", "--force"]] {
        let (code, err) = stderr_of(&mut long_batch(&out, extra));
        // A conflict at run time (wait and retry), not an input error: exit status 1.
        assert_eq!(code, Some(1), "{extra:?}: {err}");
        assert!(
            err.contains("being written by another statecraft process"),
            "{extra:?}: {err}"
        );
    }
    assert!(partial(&out).join("checkpoint.json").exists());
    // Closing its standard input lets the first batch go on.
    drop(stdin);
    let status = child.wait().unwrap();
    assert!(status.success());
    assert!(long_batch(&whole, &[]).status().unwrap().success());
    for f in ["runs.csv", "actors.csv", "trajectories.csv", "summary.json"] {
        assert!(bytes(&out.join(f)) == bytes(&whole.join(f)), "{f} differs");
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// Item 1: sweep, tournament and merge outputs take the same lock.
#[test]
fn a_held_lock_refuses_sweep_tournament_and_merge_outputs() {
    let d = scratch("held-lock");
    let out = d.join("out");
    let lock = std::fs::File::create(d.join(".out.lock")).unwrap();
    lock.lock().unwrap();
    for args in [
        vec!["sweep", EX, "--points", "2", "--runs", "2", "--quiet"],
        vec![
            "tournament",
            EX,
            "--hegemon",
            "scenario",
            "--allies",
            "Grim",
            "--runs",
            "2",
            "--quiet",
        ],
        vec!["run", EX, "--runs", "5", "--quiet"],
    ] {
        let mut a = args.clone();
        a.extend(["--out", s(&out)]);
        let err = runtime_failure(&a);
        assert!(
            err.contains("being written by another statecraft process"),
            "{args:?}: {err}"
        );
    }
    // merge: shards made elsewhere, merged into the locked name.
    for k in 0..2 {
        let sh = d.join(format!("s{k}"));
        ok(&[
            "run",
            EX,
            "--runs",
            "20",
            "--quiet",
            "--shard",
            &format!("{k}/2"),
            "--out",
            s(&sh),
        ]);
    }
    let err = runtime_failure(&[
        "merge",
        s(&d.join("s0")),
        s(&d.join("s1")),
        "--quiet",
        "--out",
        s(&out),
    ]);
    assert!(err.contains("another statecraft process"), "{err}");
    assert!(!out.exists());
    drop(lock);
    let _ = std::fs::remove_dir_all(&d);
}

/// Item 2: `convert --out` follows the rules of every output.
#[test]
fn convert_out_refuses_what_it_must_not_replace() {
    let d = scratch("convert-out");
    let json = d.join("a.json");
    ok(&["convert", EX, "--to", "json", "--out", s(&json)]);
    // An existing file is refused without --force, and kept.
    std::fs::write(d.join("notes.txt"), "mine").unwrap();
    let err = failure(&[
        "convert",
        EX,
        "--to",
        "ron",
        "--out",
        s(&d.join("notes.txt")),
    ]);
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(text(&d.join("notes.txt")), "mine");
    // The input itself, even with --force: the file still loads afterwards.
    let err = failure(&[
        "convert",
        s(&json),
        "--to",
        "ron",
        "--out",
        s(&json),
        "--force",
    ]);
    assert!(err.contains("is the input file"), "{err}");
    ok(&["validate", s(&json)]);
    // A symbolic link (to an unrelated file) is neither followed nor replaced.
    std::os::unix::fs::symlink(d.join("notes.txt"), d.join("link")).unwrap();
    let err = failure(&[
        "convert",
        EX,
        "--to",
        "ron",
        "--out",
        s(&d.join("link")),
        "--force",
    ]);
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(text(&d.join("notes.txt")), "mine");
    // A FIFO (or any non-regular file) is not replaced with --force.
    let fifo = d.join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let err = failure(&["convert", EX, "--to", "ron", "--out", s(&fifo), "--force"]);
    assert!(err.contains("not a regular file"), "{err}");
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(
        &std::fs::symlink_metadata(&fifo).unwrap().file_type()
    ));
    // A regular file with --force: replaced whole, no temporary file left.
    ok(&[
        "convert",
        EX,
        "--to",
        "ron",
        "--out",
        s(&d.join("notes.txt")),
        "--force",
    ]);
    ok(&["validate", s(&d.join("notes.txt"))]);
    let left: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let _ = std::fs::remove_dir_all(&d);
}

/// Item 3: sweep shards of different designs (same parameter names, other ranges) are not
/// merged.
#[test]
fn sweep_shards_of_different_ranges_do_not_merge() {
    let d = scratch("sweep-ranges");
    let shard = |k: usize, range: &str| {
        let out = d.join(format!("s{k}-{}", range.replace(':', "-")));
        ok(&[
            "sweep",
            EX,
            "--param",
            &format!("model.hedge_cost={range}"),
            "--design",
            "grid",
            "--levels",
            "3",
            "--runs",
            "4",
            "--quiet",
            "--shard",
            &format!("{k}/2"),
            "--out",
            s(&out),
        ]);
        out
    };
    let (a, b) = (shard(0, "0:1"), shard(1, "0:2"));
    let err = failure(&["merge", s(&a), s(&b), "--quiet", "--out", s(&d.join("m"))]);
    assert!(err.contains("different sweeps"), "{err}");
    assert!(!d.join("m").exists());
    let b = shard(1, "0:1");
    ok(&["merge", s(&a), s(&b), "--quiet", "--out", s(&d.join("m"))]);
    let _ = std::fs::remove_dir_all(&d);
}

/// Item 4: a file shorter than its checkpoint (a lost node's) or changed before it is refused
/// by `--resume`, never padded with zeros.
#[test]
fn a_file_shorter_than_its_checkpoint_is_refused_not_padded() {
    let d = scratch("short-file");
    for (k, damage) in ["truncate", "edit"].into_iter().enumerate() {
        let out = d.join(format!("o{k}"));
        killed_batch(&out);
        let cp: serde_json::Value =
            serde_json::from_str(&text(&partial(&out).join("checkpoint.json"))).unwrap();
        let size = cp["sizes"][0].as_u64().unwrap();
        assert!(size > 1000, "{cp}");
        let runs = partial(&out).join("runs.csv");
        let f = std::fs::OpenOptions::new().write(true).open(&runs).unwrap();
        if damage == "truncate" {
            f.set_len(size - 700).unwrap();
        } else {
            use std::os::unix::fs::FileExt;
            f.write_at(b"#", size - 10).unwrap();
        }
        drop(f);
        let (code, err) = stderr_of(&mut long_batch(&out, &["--resume"]));
        assert_eq!(code, Some(2), "{damage}: {err}");
        let want = if damage == "truncate" {
            "fewer than"
        } else {
            "differ from those the checkpoint recorded"
        };
        assert!(
            err.contains(want) && err.contains("runs.csv"),
            "{damage}: {err}"
        );
        assert!(
            !bytes(&runs).contains(&0),
            "{damage}: NUL bytes in runs.csv"
        );
        assert!(!out.exists());
        // --force starts afresh and finishes.
        assert!(
            long_batch(&out, &["--force"])
                .stderr(Stdio::null())
                .status()
                .unwrap()
                .success()
        );
        assert!(!bytes(&out.join("runs.csv")).contains(&0));
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// Makes the two shards of a 60-run batch in `d` (s0, s1).
fn two_shards(d: &Path, scenario: &str) -> (PathBuf, PathBuf) {
    let mk = |k: usize| {
        let out = d.join(format!("s{k}"));
        ok(&[
            "run",
            scenario,
            "--runs",
            "60",
            "--trajectories",
            "40",
            "--quiet",
            "--shard",
            &format!("{k}/2"),
            "--out",
            s(&out),
        ]);
        out
    };
    (mk(0), mk(1))
}

/// Item 5: lost, repeated or edited rows of a shard are refused by `merge`.
#[test]
fn merge_checks_the_rows_and_content_of_every_shard() {
    let d = scratch("merge-data");
    let (a, b) = two_shards(&d, EX);
    let runs = b.join("runs.csv");
    let original = text(&runs);
    let lines: Vec<&str> = original.lines().collect();
    let damaged = [
        // The last row lost.
        (
            "lost",
            lines[..lines.len() - 1].join("\n") + "\n",
            "rows were lost",
        ),
        // A row repeated.
        (
            "repeated",
            [&lines[..], &lines[lines.len() - 1..]].concat().join("\n") + "\n",
            "not the one expected",
        ),
        // A number edited.
        (
            "edited",
            original.replacen(",0.", ",1.", 1),
            "content differs",
        ),
    ];
    for (what, body, want) in damaged {
        std::fs::write(&runs, &body).unwrap();
        let err = failure(&["merge", s(&a), s(&b), "--quiet", "--out", s(&d.join("m"))]);
        assert!(
            err.contains(want) && err.contains("runs.csv"),
            "{what}: {err}"
        );
        assert!(!d.join("m").exists(), "{what}");
    }
    std::fs::write(&runs, &original).unwrap();
    // An edited actors.csv too.
    let actors = a.join("actors.csv");
    let at = text(&actors);
    std::fs::write(&actors, at.replacen(",0.", ",2.", 1)).unwrap();
    let err = failure(&["merge", s(&a), s(&b), "--quiet", "--out", s(&d.join("m"))]);
    assert!(
        err.contains("actors.csv") && err.contains("content differs"),
        "{err}"
    );
    std::fs::write(&actors, at).unwrap();
    ok(&["merge", s(&a), s(&b), "--quiet", "--out", s(&d.join("m"))]);
    let _ = std::fs::remove_dir_all(&d);
}

/// Item 6: a report of a metric near ±f64::MAX finishes (it hung at 100% CPU).
#[test]
fn a_report_of_values_near_f64_max_finishes() {
    let d = scratch("report-max");
    let out = d.join("r");
    ok(&["run", EX, "--runs", "30", "--quiet", "--out", s(&out)]);
    let runs = out.join("runs.csv");
    let t = text(&runs);
    let mut lines: Vec<String> = t.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let col = header.iter().position(|h| *h == "hegemon_rent").unwrap();
    for (i, line) in lines.iter_mut().enumerate().skip(1) {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        cells[col] = if i % 2 == 0 {
            "1.7976931348623157e308".into()
        } else {
            "-1.7976931348623157e308".into()
        };
        *line = cells.join(",");
    }
    std::fs::write(&runs, lines.join("\n") + "\n").unwrap();
    let child = statecraft()
        .args(["report", s(&out), "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let o = wait_at_most(child, Duration::from_secs(120), "report");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("report.html").exists());
    let _ = std::fs::remove_dir_all(&d);
}

/// Item 7: runs are bounded where they are parsed (the option) and validated (the file).
#[test]
fn runs_beyond_the_bound_are_refused() {
    let err = failure(&["run", EX, "--runs", "10000000000000", "--quiet"]);
    assert!(
        err.contains("--runs") && err.contains("1000000000000"),
        "{err}"
    );
    let d = scratch("runs-bound");
    let f = d.join("huge.ron");
    std::fs::write(
        &f,
        text(&root().join(EX)).replace("runs: 1000,", "runs: 10000000000000,"),
    )
    .unwrap();
    let err = failure(&["run", s(&f), "--quiet", "--out", s(&d.join("o"))]);
    assert!(
        err.contains("huge.ron") && err.contains("10000000000000"),
        "{err}"
    );
    assert!(!partial(&d.join("o")).exists());
    // Points (or cells) times runs is bounded too, before any work.
    let err = failure(&[
        "sweep",
        EX,
        "--points",
        "64",
        "--runs",
        "1000000000000",
        "--quiet",
        "--out",
        s(&d.join("sw")),
    ]);
    assert!(err.contains("runs in all"), "{err}");
    let err = failure(&[
        "tournament",
        EX,
        "--hegemon",
        "scenario,OpenOrder",
        "--allies",
        "Grim",
        "--runs",
        "1000000000000",
        "--quiet",
        "--out",
        s(&d.join("t")),
    ]);
    assert!(err.contains("runs in all"), "{err}");
    assert!(!d.join("sw").exists() && !d.join("t").exists());
    let _ = std::fs::remove_dir_all(&d);
}

/// Item 8: a kill after the last run, before the summary or before the final rename, keeps the
/// batch: `--resume` finishes it into the files of an uninterrupted run without rerunning it.
#[test]
fn a_kill_after_the_last_run_keeps_the_batch() {
    let d = scratch("kill-at-end");
    let batch = |out: &Path| {
        let mut c = statecraft();
        c.args([
            "run",
            EX,
            "--runs",
            "700",
            "--trajectories",
            "2",
            "--quiet",
            "--out",
            s(out),
        ]);
        c
    };
    let whole = d.join("whole");
    assert!(batch(&whole).status().unwrap().success());
    for at in ["summary", "rename"] {
        let out = d.join(at);
        let o = batch(&out).env("STATECRAFT_CRASH_AT", at).output().unwrap();
        assert!(!o.status.success(), "{at}: the crash hook did not fire");
        let cp: serde_json::Value =
            serde_json::from_str(&text(&partial(&out).join("checkpoint.json"))).unwrap();
        assert_eq!(
            cp["runs_done"], 700,
            "{at}: the finished runs were not checkpointed"
        );
        let o = batch(&out).arg("--resume").output().unwrap();
        assert!(
            o.status.success(),
            "{at}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        for f in ["runs.csv", "actors.csv", "trajectories.csv", "summary.json"] {
            assert!(
                bytes(&out.join(f)) == bytes(&whole.join(f)),
                "{at}: {f} differs"
            );
        }
        let names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names
                .iter()
                .all(|n| !n.starts_with('.') && n != "checkpoint.json"),
            "{at}: {names:?}"
        );
        assert!(!partial(&out).exists());
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// Item 9: headers are read as CSV: a name holding a line break merges correctly.
#[test]
fn merge_reads_headers_with_line_breaks_as_csv() {
    let d = scratch("header-newline");
    let f = d.join("nl.ron");
    std::fs::write(
        &f,
        text(&root().join(EX)).replace("\"ALLY\"", "\"AL\\nLY\""),
    )
    .unwrap();
    let (a, b) = two_shards(&d, s(&f));
    let m = d.join("m");
    ok(&["merge", s(&a), s(&b), "--quiet", "--out", s(&m)]);
    let whole = d.join("whole");
    ok(&[
        "run",
        s(&f),
        "--runs",
        "60",
        "--trajectories",
        "40",
        "--quiet",
        "--out",
        s(&whole),
    ]);
    assert!(text(&whole.join("runs.csv")).contains("AL\nLY"));
    for file in ["runs.csv", "actors.csv", "trajectories.csv", "summary.json"] {
        assert!(
            bytes(&m.join(file)) == bytes(&whole.join(file)),
            "{file} differs"
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// Item 10: bad `--out` paths fail before any run is computed.
#[test]
fn bad_out_paths_fail_before_any_work() {
    let d = scratch("bad-out");
    std::os::unix::fs::symlink(d.join("nowhere"), d.join("dangling")).unwrap();
    let long = "n".repeat(240);
    let cases = [
        (d.join("dangling"), "symbolic link"),
        (d.join("x").join(".."), "not a path ending in"),
        // `Path::components` drops a trailing `.`: the text is checked, before any work.
        (
            PathBuf::from(format!("{}/x/.", d.display())),
            "not a path ending in",
        ),
        (
            PathBuf::from(format!("{}/x/./", d.display())),
            "not a path ending in",
        ),
        (d.join(&long), "bytes long"),
    ];
    for (out, want) in cases {
        for force in [false, true] {
            // Enough runs that a check after the batch would not come back in time.
            let mut a = vec![
                "run",
                EX,
                "--runs",
                "100000000",
                "--quiet",
                "--out",
                s(&out),
            ];
            if force {
                a.push("--force");
            }
            let t = Instant::now();
            let err = failure(&a);
            assert!(err.contains(want), "{}: {err}", out.display());
            assert!(t.elapsed() < Duration::from_secs(60));
        }
    }
    assert!(std::fs::symlink_metadata(d.join("dangling")).is_ok());
    let _ = std::fs::remove_dir_all(&d);
}

/// Item 11: a leftover `.NAME.partial.old` is put back when nothing replaced it, and cleared
/// (never in the way of `--force`) when something did.
#[test]
fn a_leftover_partial_old_is_restored_or_cleared() {
    let d = scratch("partial-old");
    let out = d.join("o");
    ok(&["run", EX, "--runs", "20", "--quiet", "--out", s(&out)]);
    let summary = text(&out.join("summary.json"));
    // Killed between setting the old results aside and renaming the new ones in.
    std::fs::rename(&out, d.join(".o.partial.old")).unwrap();
    ok(&[
        "run",
        EX,
        "--runs",
        "30",
        "--quiet",
        "--force",
        "--out",
        s(&out),
    ]);
    assert!(!d.join(".o.partial.old").exists());
    assert_ne!(text(&out.join("summary.json")), summary);
    // A leftover next to a folder that replaced it: removed, and --force works.
    std::fs::create_dir(d.join(".o.partial.old")).unwrap();
    std::fs::write(d.join(".o.partial.old").join("manifest.json"), "{}").unwrap();
    ok(&[
        "run",
        EX,
        "--runs",
        "20",
        "--quiet",
        "--force",
        "--out",
        s(&out),
    ]);
    assert_eq!(text(&out.join("summary.json")), summary);
    assert!(!d.join(".o.partial.old").exists());
    // And the old results go back when the new ones never arrived.
    std::fs::rename(&out, d.join(".o.partial.old")).unwrap();
    let err = failure(&["run", EX, "--runs", "20", "--quiet", "--out", s(&out)]);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(text(&out.join("summary.json")), summary);
    let _ = std::fs::remove_dir_all(&d);
}

/// Writes a scenario in `d` whose world is the file `world` (as given).
fn with_world(d: &Path, world: &str) -> PathBuf {
    let f = d.join("w.ron");
    let base = text(&root().join("scenarios/open_order.ron"));
    let at = base.find("world: File(").unwrap();
    let end = at + base[at..].find(')').unwrap() + 1;
    std::fs::write(
        &f,
        format!("{}world: File({world:?}){}", &base[..at], &base[end..]),
    )
    .unwrap();
    f
}

/// Item 12: a world file path is read only as a regular file of bounded size, and its
/// content is not echoed.
#[test]
fn world_files_are_regular_bounded_and_not_echoed() {
    let d = scratch("world-file");
    let fifo = d.join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    std::fs::write(d.join("secret.txt"), "hunter2-SECRET-TOKEN and more\n").unwrap();
    let cases = [
        ("/dev/zero".to_string(), "not a regular file"),
        (s(&fifo).to_string(), "not a regular file"),
        ("secret.txt".to_string(), "not a valid world file"),
    ];
    for (world, want) in cases {
        let f = with_world(&d, &world);
        let child = statecraft()
            .args(["validate", s(&f)])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let o = wait_at_most(child, Duration::from_secs(60), &world);
        let all =
            String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{world}");
        assert!(all.contains(want), "{world}: {all}");
        assert!(!all.contains("hunter2"), "{world}: {all}");
        let err = failure(&[
            "run",
            s(&f),
            "--runs",
            "5",
            "--quiet",
            "--out",
            s(&d.join("o")),
        ]);
        assert!(
            err.contains(want) && !err.contains("hunter2"),
            "{world}: {err}"
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// Item 13: control characters in names never reach the terminal raw.
#[test]
fn control_characters_in_names_are_escaped() {
    let d = scratch("escapes");
    let f = d.join("evil.ron");
    std::fs::write(
        &f,
        text(&root().join(EX))
            .replace("name: \"three_actors\"", "name: \"evil\\u{1b}[2J\\rX\"")
            .replace("\"ALLY\"", "\"AL\\u{1b}]0;owned\\u{7}LY\""),
    )
    .unwrap();
    let out = d.join("o");
    let o = statecraft()
        .args(["run", s(&f), "--runs", "20", "--out", s(&out)])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let shown =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(shown.contains("evil\\u{1b}[2J\\rX"), "{shown}");
    for c in ['\u{1b}', '\r', '\u{7}'] {
        assert!(!shown.contains(c), "{c:?} printed raw: {shown:?}");
    }
    for cmd in [
        vec!["validate", s(&f)],
        vec![
            "sweep",
            s(&f),
            "--points",
            "3",
            "--runs",
            "3",
            "--out",
            s(&d.join("sw")),
        ],
        vec!["compare", s(&out), s(&out), "--out", s(&d.join("cmp"))],
    ] {
        let o = statecraft().args(&cmd).output().unwrap();
        let shown =
            String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
        assert!(
            shown.contains("evil") || shown.contains("AL"),
            "{cmd:?}: {shown}"
        );
        assert!(!shown.contains('\u{1b}'), "{cmd:?}: {shown:?}");
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// Item 14: `compare` refuses NaN and infinity in a results folder.
#[test]
fn compare_refuses_non_finite_values() {
    let d = scratch("compare-nan");
    let (a, b) = (d.join("a"), d.join("b"));
    ok(&["run", EX, "--runs", "30", "--quiet", "--out", s(&a)]);
    ok(&[
        "run",
        EX,
        "--runs",
        "30",
        "--seed",
        "9",
        "--quiet",
        "--out",
        s(&b),
    ]);
    let runs = b.join("runs.csv");
    let t = text(&runs);
    for bad in ["NaN", "inf", "-inf"] {
        let mut lines: Vec<String> = t.lines().map(str::to_string).collect();
        let header: Vec<&str> = lines[0].split(',').collect();
        let col = header.iter().position(|h| *h == "hegemon_rent").unwrap();
        let mut cells: Vec<String> = lines[3].split(',').map(str::to_string).collect();
        cells[col] = bad.into();
        lines[3] = cells.join(",");
        std::fs::write(&runs, lines.join("\n") + "\n").unwrap();
        let err = failure(&["compare", s(&a), s(&b), "--out", s(&d.join("cmp"))]);
        assert!(
            err.contains("runs.csv:4") && err.contains("hegemon_rent") && err.contains("finite"),
            "{bad}: {err}"
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// Item 15: a UTF-8 byte-order mark at the start of a scenario (RON or JSON) is accepted.
#[test]
fn a_byte_order_mark_is_accepted() {
    let d = scratch("bom");
    let ron = d.join("bom.ron");
    std::fs::write(&ron, format!("\u{feff}{}", text(&root().join(EX)))).unwrap();
    ok(&["validate", s(&ron)]);
    let json = d.join("bom.json");
    let j = ok(&["convert", EX, "--to", "json"]);
    std::fs::write(&json, format!("\u{feff}{j}")).unwrap();
    ok(&["validate", s(&json)]);
    ok(&[
        "run",
        s(&json),
        "--runs",
        "5",
        "--quiet",
        "--out",
        s(&d.join("o")),
    ]);
    let _ = std::fs::remove_dir_all(&d);
}

/// Item 16: `--force` replaces a statecraft results folder or an empty one, nothing else.
#[test]
fn force_replaces_only_statecraft_folders() {
    let d = scratch("force-only");
    let docs = d.join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("notes.md"), "mine").unwrap();
    std::fs::copy(root().join(EX), docs.join("scenario.ron")).unwrap();
    let err = failure(&[
        "run",
        EX,
        "--runs",
        "5",
        "--quiet",
        "--force",
        "--out",
        s(&docs),
    ]);
    assert!(err.contains("not a statecraft results folder"), "{err}");
    assert_eq!(text(&docs.join("notes.md")), "mine");
    assert!(docs.join("scenario.ron").exists());
    // A file that only has a marker's name does not make a folder statecraft's: another
    // program's manifest.json, one that is not JSON, a compare.json beside other data.
    for (marker, content) in [
        ("manifest.json", r#"{"name": "my web app"}"#),
        ("manifest.json", "not json"),
        ("compare.json", r#"{"statecraft_version": 1}"#),
    ] {
        let app = d.join("app");
        std::fs::create_dir_all(app.join("src")).unwrap();
        std::fs::write(app.join(marker), content).unwrap();
        std::fs::write(app.join("src/main.js"), "code").unwrap();
        let err = failure(&[
            "run",
            EX,
            "--runs",
            "5",
            "--quiet",
            "--force",
            "--out",
            s(&app),
        ]);
        assert!(
            err.contains("not a statecraft results folder"),
            "{marker}: {err}"
        );
        assert_eq!(text(&app.join("src/main.js")), "code");
        std::fs::remove_dir_all(&app).unwrap();
    }
    // A file is not a folder to replace either.
    std::fs::write(d.join("file"), "x").unwrap();
    failure(&[
        "run",
        EX,
        "--runs",
        "5",
        "--quiet",
        "--force",
        "--out",
        s(&d.join("file")),
    ]);
    assert_eq!(text(&d.join("file")), "x");
    // An empty folder, and earlier results, are replaced.
    std::fs::create_dir(d.join("empty")).unwrap();
    ok(&[
        "run",
        EX,
        "--runs",
        "5",
        "--quiet",
        "--force",
        "--out",
        s(&d.join("empty")),
    ]);
    ok(&[
        "run",
        EX,
        "--runs",
        "6",
        "--quiet",
        "--force",
        "--out",
        s(&d.join("empty")),
    ]);
    assert!(text(&d.join("empty").join("summary.json")).contains("\"runs\": 6"));
    let _ = std::fs::remove_dir_all(&d);
}

/// A reader that stops early (`statecraft ... | head`) is not an error: with standard output's
/// pipe closed before anything is printed, `run` still writes its whole results folder and
/// exits 0 without a panic, and `schema`, `validate` and `completions` end quietly.
#[test]
fn a_closed_stdout_pipe_ends_the_printing_not_the_work() {
    let d = scratch("pipe");
    let out = d.join("r");
    let closed = |args: &[&str]| {
        let mut child = statecraft()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("statecraft runs");
        drop(child.stdout.take()); // the reader is gone before the first line
        let o = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(o.status.success(), "{args:?}: {:?} {stderr}", o.status);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    };
    let r = out.to_str().unwrap();
    closed(&[
        "run",
        "scenarios/examples/three_actors.ron",
        "--runs",
        "30",
        "--out",
        r,
    ]);
    for f in ["runs.csv", "actors.csv", "summary.json", "manifest.json"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 31);
    closed(&["schema"]);
    closed(&["validate", "scenarios/paid_access_2025.ron", "--metrics"]);
    closed(&["completions", "bash"]);
    let _ = std::fs::remove_dir_all(&d);
}
