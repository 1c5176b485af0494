//! End-to-end tests of the `statecraft` binary: files written, determinism across thread
//! counts and invocations, errors with exit status 2 (input) or 1 (run time) and nothing
//! half-written, completions, manual pages and progress lines.

use std::path::{Path, PathBuf};

use crate::common::*;

#[test]
fn run_writes_every_file_identically_on_one_and_two_threads() {
    let d = scratch("threads");
    let (a, b) = (d.join("a"), d.join("b"));
    let ex = "scenarios/examples/three_actors.ron";
    for (dir, threads) in [(&a, "1"), (&b, "2")] {
        let o = run(&[
            "run",
            ex,
            "--runs",
            "700",
            "--threads",
            threads,
            "--trajectories",
            "3",
            "--world-series",
            "--quiet",
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(
            o.stdout.is_empty(),
            "--quiet printed {}",
            String::from_utf8_lossy(&o.stdout)
        );
    }
    for f in [
        "runs.csv",
        "actors.csv",
        "summary.json",
        "trajectories.csv",
        "world.csv",
    ] {
        assert_eq!(
            bytes(&a.join(f)),
            bytes(&b.join(f)),
            "{f} differs between 1 and 2 threads"
        );
    }
    let runs = String::from_utf8(bytes(&a.join("runs.csv"))).unwrap();
    assert_eq!(runs.lines().count(), 701);
    assert!(
        runs.starts_with("run,model.elasticity_lr,"),
        "{}",
        &runs[..80]
    );
    let actors = String::from_utf8(bytes(&a.join("actors.csv"))).unwrap();
    assert_eq!(actors.lines().count(), 1 + 700 * 3);
    assert!(
        actors.lines().next().unwrap().ends_with(
            "n_sanctioned,sanction_lost,n_controls,controls_lost,n_safeguard,safeguard_blocked,n_deals,n_renege,deal_rounds,defense_change,share_hegemon,share_rival,share_bloc,share_rest"
        )
    );
    // The world series: every round of every run, not only the first K.
    let world = String::from_utf8(bytes(&a.join("world.csv"))).unwrap();
    assert_eq!(world.lines().count(), 1 + 700 * 20);
    assert!(world.starts_with("run,round,hegemon_tariff,deals_in_force,retaliating,"));
    let traj = String::from_utf8(bytes(&a.join("trajectories.csv"))).unwrap();
    assert_eq!(traj.lines().count(), 1 + 3 * 20 * 3);
    let summary: serde_json::Value =
        serde_json::from_slice(&bytes(&a.join("summary.json"))).unwrap();
    assert_eq!(summary["runs"], 700);
    assert_eq!(summary["seed"], 7);
    assert_eq!(summary["scenario"], "three_actors");
    let metrics = summary["metrics"].as_array().unwrap();
    assert!(
        metrics
            .iter()
            .any(|m| m["name"] == "hegemon_rent" && m["p95"].as_f64().unwrap() > 0.0)
    );
    // A second invocation gives the same bytes.
    let c = d.join("c");
    let o = run(&[
        "run",
        ex,
        "--runs",
        "700",
        "--trajectories",
        "3",
        "--quiet",
        "--out",
        c.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert_eq!(bytes(&a.join("runs.csv")), bytes(&c.join("runs.csv")));
    assert_eq!(
        bytes(&a.join("summary.json")),
        bytes(&c.join("summary.json"))
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// The summary table `run` prints, pinned whole in `tests/golden/cli/run-table.txt` (all but
/// its last line, which holds the time taken).
#[test]
fn run_prints_a_summary_table() {
    let d = scratch("table");
    let out = d.join("o");
    let o = run(&[
        "run",
        "scenarios/examples/three_actors.ron",
        "--runs",
        "50",
        "--seed",
        "3",
        "--rounds",
        "8",
        "--threads",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    let (table, last) = text
        .trim_end()
        .rsplit_once('\n')
        .unwrap_or_else(|| panic!("{text}"));
    assert_pinned("cli/run-table.txt", &format!("{table}\n"));
    assert!(
        last.starts_with("50 runs in ")
            && last.contains(" runs/s on 2 threads); results in ")
            && last.ends_with(out.to_str().unwrap()),
        "{last}"
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&bytes(&out.join("summary.json"))).unwrap();
    assert_eq!(summary["rounds"], 8);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn an_existing_output_folder_is_kept_unless_forced() {
    let d = scratch("force");
    let out = d.join("o");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "earlier results").unwrap();
    let args = [
        "run",
        "scenarios/examples/three_actors.ron",
        "--runs",
        "20",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ];
    let o = run(&args);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(bytes(&out.join("keep.txt")), b"earlier results");
    let mut forced = args.to_vec();
    forced.push("--force");
    // --force replaces only statecraft's results: this folder has no manifest.
    let o = run(&forced);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(bytes(&out.join("keep.txt")), b"earlier results");
    // With one statecraft wrote (its provenance fields), it is replaced.
    std::fs::write(
        out.join("manifest.json"),
        r#"{"statecraft_version": "0.1.0", "cargo_lock_sha256": "0"}"#,
    )
    .unwrap();
    let o = run(&forced);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("runs.csv").exists() && !out.join("keep.txt").exists());
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn bad_scenarios_exit_2_with_the_place_and_write_nothing() {
    let d = scratch("bad");
    let out = d.join("o");
    let o = run(&[
        "run",
        "tests/bad_inputs/syntax_missing_comma.ron",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("tests/bad_inputs/syntax_missing_comma.ron:6:5: Expected comma"),
        "{err}"
    );
    assert!(
        !out.exists(),
        "an output folder was created for a bad scenario"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&d).unwrap().collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    let o = run(&[
        "validate",
        "scenarios/paid_access_2025.ron",
        "tests/bad_inputs/out_of_range_security_dependence.ron",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "actors.ALLY.security_dependence: value 1.5 is outside the allowed range [0, 1]"
        ),
        "{err}"
    );
    assert!(
        String::from_utf8_lossy(&o.stdout)
            .contains("ok: scenarios/paid_access_2025.ron (13 actors")
    );

    let o = run(&["run", "no/such/file.ron"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read no/such/file.ron"));
    let _ = std::fs::remove_dir_all(&d);
}

/// `--help` and `run --help`, pinned whole in `tests/golden/cli/`: every command and option
/// with its explanation, the examples and the exit statuses.
#[test]
fn help_explains_every_command_with_an_example() {
    for (args, pinned) in [
        (&["--help"][..], "cli/help.txt"),
        (&["run", "--help"], "cli/run-help.txt"),
    ] {
        let text = ok(args);
        assert!(text.contains("Examples:"), "{args:?}: {text}");
        assert_pinned(pinned, &text);
    }
}

#[test]
fn misused_command_lines_get_a_reason_and_a_help_hint() {
    let ex = "scenarios/examples/three_actors.ron";
    for (args, reason) in [
        (vec!["run", "--bogus"], "unexpected argument '--bogus'"),
        (vec!["run"], "required arguments were not provided"),
        (
            vec!["run", ex, "--runs", "0"],
            "invalid value '0' for '--runs <N>'",
        ),
        (
            vec!["run", ex, "--runs", "abc"],
            "invalid value 'abc' for '--runs <N>'",
        ),
        (
            vec!["run", ex, "--rounds", "200000"],
            "200000 is not in 1..=100000",
        ),
        (
            vec!["run", ex, "--threads", "0"],
            "invalid value '0' for '--threads <K>'",
        ),
        (vec!["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (vec!["validate"], "required arguments were not provided"),
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        let first = err.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error: ") && first.contains(reason),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("try '--help'"),
            "{args:?}: no help hint in {err}"
        );
    }
}

#[test]
fn shards_merge_into_the_unsharded_files_byte_for_byte() {
    let d = scratch("shards");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let ex = "scenarios/paid_access_2025.ron";
    let common = [
        "--runs",
        "600",
        "--trajectories",
        "300",
        "--rounds",
        "12",
        "--quiet",
    ];
    let full = d.join("full");
    let mut args = vec!["run", ex, "--out"];
    let full_s = s(&full);
    args.push(&full_s);
    args.extend(common);
    assert!(run(&args).status.success());
    let mut shard_dirs = Vec::new();
    for k in 0..3 {
        let dir = s(&d.join(format!("s{k}")));
        let shard = format!("{k}/3");
        let mut args = vec!["run", ex, "--shard", &shard, "--out", &dir];
        args.extend(common);
        let o = run(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        shard_dirs.push(dir);
    }
    let merged = s(&d.join("merged"));
    // Shards in any order.
    let o = run(&[
        "merge",
        &shard_dirs[2],
        &shard_dirs[0],
        &shard_dirs[1],
        "--out",
        &merged,
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["runs.csv", "actors.csv", "trajectories.csv", "summary.json"] {
        assert_eq!(
            bytes(&full.join(f)),
            bytes(&d.join("merged").join(f)),
            "{f}"
        );
    }
    // A missing shard, a shard twice, a shard of another batch: refused, nothing written.
    let cases: [(Vec<&str>, &str); 2] = [
        (
            vec![&shard_dirs[0], &shard_dirs[1]],
            "runs 400..600 are missing",
        ),
        (
            vec![
                &shard_dirs[0],
                &shard_dirs[1],
                &shard_dirs[1],
                &shard_dirs[2],
            ],
            "overlap",
        ),
    ];
    for (dirs, msg) in cases {
        let bad = s(&d.join("bad"));
        let mut args = vec!["merge"];
        args.extend(dirs);
        args.extend(["--out", &bad]);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(msg),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!d.join("bad").exists());
    }
    let other = s(&d.join("other"));
    let mut args = vec!["run", ex, "--shard", "2/3", "--seed", "9", "--out", &other];
    args.extend(common);
    assert!(run(&args).status.success());
    let o = run(&[
        "merge",
        &shard_dirs[0],
        &shard_dirs[1],
        &other,
        "--out",
        &s(&d.join("bad")),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("their seed differs"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_manifest_reproduces_its_folder_and_json_scenarios_run_alike() {
    let d = scratch("manifest");
    let s = |p: PathBuf| p.to_str().unwrap().to_string();
    let ex = "scenarios/examples/three_actors.ron";
    let (a, b, c) = (s(d.join("a")), s(d.join("b")), s(d.join("c")));
    // The same batch of any scenario file into a folder.
    let batch = |scenario: &str, out: &str| {
        let args = [
            "run",
            scenario,
            "--runs",
            "300",
            "--seed",
            "11",
            "--trajectories",
            "4",
            "--quiet",
            "--out",
            out,
        ];
        run(&args).status.success()
    };
    assert!(batch(ex, &a));
    let manifest: serde_json::Value =
        serde_json::from_slice(&bytes(&d.join("a/manifest.json"))).unwrap();
    for key in [
        "statecraft_version",
        "git_hash",
        "cargo_lock_sha256",
        "scenario_sha256",
        "scenario",
        "seed",
        "runs",
        "threads",
        "wall_seconds",
        "runs_per_second",
    ] {
        assert!(!manifest[key].is_null(), "manifest lacks {key}");
    }
    assert_eq!(manifest["seed"], 11);
    let m = s(d.join("a/manifest.json"));
    let o = run(&[
        "run",
        "--from-manifest",
        &m,
        "--threads",
        "1",
        "--quiet",
        "--out",
        &b,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["runs.csv", "actors.csv", "trajectories.csv", "summary.json"] {
        assert_eq!(
            bytes(&d.join("a").join(f)),
            bytes(&d.join("b").join(f)),
            "{f}"
        );
    }
    // A manifest fixes the batch: options that would change it are refused.
    let o = run(&["run", "--from-manifest", &m, "--seed", "3", "--out", &c]);
    assert_eq!(o.status.code(), Some(2));
    // JSON out, RON back: the same scenario, the same results.
    let json = s(d.join("s.json"));
    assert!(
        run(&["convert", ex, "--to", "json", "--out", &json])
            .status
            .success()
    );
    assert!(batch(&json, &c));
    assert_eq!(bytes(&d.join("a/runs.csv")), bytes(&d.join("c/runs.csv")));
    assert_eq!(
        bytes(&d.join("a/summary.json")),
        bytes(&d.join("c/summary.json"))
    );
    let o = run(&["convert", &json, "--to", "ron"]);
    assert!(o.status.success());
    let ron_text = String::from_utf8(o.stdout).unwrap();
    assert!(ron_text.contains("name: \"three_actors\""), "{ron_text}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn schema_describes_every_field_of_the_format() {
    let o = run(&["schema"]);
    assert!(o.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).expect("the schema is JSON");
    assert_eq!(schema["title"], "Scenario");
    let defs = &schema["$defs"];
    let fields = |def: &str| -> Vec<String> {
        defs[def]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{def}"))
            .keys()
            .cloned()
            .collect()
    };
    for (name, lo, hi) in statecraft_core::scenario::ModelParams::<statecraft_core::Param>::FIELDS {
        assert!(
            fields("ModelParams").contains(&name.to_string()),
            "ModelParams.{name}"
        );
        // The validator's range, for a plain number.
        let f = &defs["ModelParams"]["properties"][*name];
        assert_eq!(f["minimum"].as_f64(), Some(*lo), "ModelParams.{name}");
        assert_eq!(f["maximum"].as_f64(), Some(*hi), "ModelParams.{name}");
    }
    assert!(
        schema["properties"]["$schema"].is_object(),
        "a $schema key is accepted"
    );
    for (name, ..) in statecraft_core::scenario::ActorParams::<statecraft_core::Param>::FIELDS {
        assert!(
            fields("ActorParams").contains(&name.to_string()),
            "ActorParams.{name}"
        );
    }
    for def in [
        "ActorSpec",
        "BlocSpec",
        "TradeSpec",
        "PaidAccessSpec",
        "WorldSpec",
        "StrategySpec",
        "Policy",
        "Param",
        "Dist",
    ] {
        assert!(!defs[def].is_null(), "{def} missing");
    }
}

#[test]
fn leftovers_of_killed_runs_and_forced_files_are_handled() {
    let d = scratch("leftovers");
    let ex = "scenarios/examples/three_actors.ron";
    // A temporary folder of a dead process is removed; old results a killed --force had set
    // aside come back.
    let dead = 4_194_303; // above any live pid on this machine's default pid_max
    std::fs::create_dir_all(d.join(format!(".o.tmp-{dead}"))).unwrap();
    std::fs::create_dir_all(d.join(format!(".p.tmp-{dead}.old"))).unwrap();
    std::fs::write(d.join(format!(".p.tmp-{dead}.old/keep.txt")), "old results").unwrap();
    let o = d.join("o");
    assert!(
        run(&[
            "run",
            ex,
            "--runs",
            "10",
            "--quiet",
            "--out",
            o.to_str().unwrap()
        ])
        .status
        .success()
    );
    assert!(!d.join(format!(".o.tmp-{dead}")).exists());
    let p = d.join("p");
    let o2 = run(&[
        "run",
        ex,
        "--runs",
        "10",
        "--quiet",
        "--out",
        p.to_str().unwrap(),
    ]);
    assert_eq!(
        o2.status.code(),
        Some(2),
        "the restored folder now exists and is kept"
    );
    assert_eq!(bytes(&p.join("keep.txt")), b"old results");
    // --force over a plain file: refused (only statecraft's results folders are replaced).
    let f = d.join("f");
    std::fs::write(&f, "a file").unwrap();
    let o = run(&[
        "run",
        ex,
        "--runs",
        "10",
        "--quiet",
        "--force",
        "--out",
        f.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(bytes(&f), b"a file");
    // --force over results, twice.
    std::fs::remove_file(&f).unwrap();
    for _ in 0..2 {
        let o = run(&[
            "run",
            ex,
            "--runs",
            "10",
            "--quiet",
            "--force",
            "--out",
            f.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert!(f.join("runs.csv").exists());
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn json_keeps_every_number_and_manifests_are_checked() {
    let d = scratch("json");
    let s = |p: PathBuf| p.to_str().unwrap().to_string();
    let text = std::fs::read_to_string(root().join("scenarios/examples/three_actors.ron")).unwrap();
    let text = text.replace("elasticity_sr: 0.76,", "elasticity_sr: 1.7546217903306627,");
    std::fs::write(d.join("p.ron"), &text).unwrap();
    let (p, j, back) = (
        s(d.join("p.ron")),
        s(d.join("p.json")),
        s(d.join("back.ron")),
    );
    assert!(
        run(&["convert", &p, "--to", "json", "--out", &j])
            .status
            .success()
    );
    assert!(
        run(&["convert", &j, "--to", "ron", "--out", &back])
            .status
            .success()
    );
    assert!(
        std::fs::read_to_string(&back)
            .unwrap()
            .contains("1.7546217903306627")
    );
    // Tampered manifests are refused with the reason.
    let a = s(d.join("a"));
    assert!(
        run(&["run", &p, "--runs", "20", "--quiet", "--out", &a])
            .status
            .success()
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&bytes(&d.join("a/manifest.json"))).unwrap();
    for (field, value, reason) in [
        (
            "scenario",
            serde_json::json!("(name: \"x\")"),
            "does not match its scenario_sha256",
        ),
        (
            "statecraft_version",
            serde_json::json!("0.0.1"),
            "was written by statecraft 0.0.1",
        ),
        ("shard", serde_json::json!([0, 0]), "shard 0 of 0"),
        ("runs", serde_json::json!(0), "must be at least 1"),
    ] {
        let mut m = manifest.clone();
        m[field] = value;
        let path = d.join("m.json");
        std::fs::write(&path, serde_json::to_vec(&m).unwrap()).unwrap();
        let o = run(&[
            "run",
            "--from-manifest",
            path.to_str().unwrap(),
            "--out",
            &s(d.join("b")),
        ]);
        assert_eq!(o.status.code(), Some(2), "{field}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(reason),
            "{field}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn validate_reports_every_value_out_of_range() {
    let d = scratch("multi");
    let text = std::fs::read_to_string(root().join("scenarios/examples/three_actors.ron")).unwrap();
    let text = text
        .replace(
            "security_dependence: Uniform(0.6, 0.8)",
            "security_dependence: 1.5",
        )
        .replace("threat: 0.7,", "threat: -1,")
        .replace("discount: 0.97,", "discount: 1.7,");
    let f = d.join("multi.ron");
    std::fs::write(&f, text).unwrap();
    let o = run(&["validate", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("error: 3 errors:"), "{err}");
    for path in [
        "model.discount: value 1.7",
        "actors.ALLY.security_dependence: value 1.5",
        "actors.ALLY.threat: value -1",
    ] {
        assert!(err.contains(path), "{path} missing from {err}");
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// The files of a tournament (all but the manifest's timings and command line).
const TOURNAMENT_FILES: [&str; 6] = [
    "tournament.csv",
    "tournament.json",
    "payoff_matrix.csv",
    "ranking.csv",
    "evolution.csv",
    "moran.csv",
];

#[test]
fn a_tournament_writes_identical_files_on_one_and_two_threads() {
    let d = scratch("tournament");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let mut outs = Vec::new();
    for threads in ["1", "2"] {
        let out = s(&d.join(format!("t{threads}")));
        let o = run(&[
            "tournament",
            "scenarios/paid_access_2025.ron",
            "--variants",
            "scenarios/variants/strategies.ron",
            "--hegemon",
            "paid_15,Reciprocal(base: 0.1, step: 0.05)",
            "--allies",
            "concede,grim,HedgeThenConcede(rounds: 2),Quantal",
            "--runs",
            "40",
            "--rounds",
            "8",
            "--evolve",
            "--evolve-runs",
            "3",
            "--moran",
            "6",
            "--moran-runs",
            "5",
            "--threads",
            threads,
            "--out",
            &out,
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let stdout = String::from_utf8_lossy(&o.stdout).to_string();
        for want in [
            "tournament of 2 hegemon x 4 ally variants, 40 runs per cell",
            "p_first",
            "payoff matrix",
            "best ally variant against each hegemon variant",
            "replicator dynamics",
            "moran against paid_15",
        ] {
            assert!(stdout.contains(want), "{want}: {stdout}");
        }
        outs.push(d.join(format!("t{threads}")));
    }
    for f in TOURNAMENT_FILES {
        assert_eq!(bytes(&outs[0].join(f)), bytes(&outs[1].join(f)), "{f}");
    }
    // The columns the report command reads.
    let text = |f: &str| String::from_utf8(bytes(&outs[0].join(f))).unwrap();
    assert!(text("payoff_matrix.csv").starts_with("hegemon,allies,runs,hegemon_payoff_mean,hegemon_payoff_lo,hegemon_payoff_hi,ally_welfare_mean,ally_welfare_lo,ally_welfare_hi"));
    assert!(text("ranking.csv").starts_with("role,variant,rank,mean,lo,hi,p_first\n"));
    assert!(text("evolution.csv").starts_with("step,policy,share\n"));
    // 2 x 4 cells, 40 runs each, one header; 4 policies for 1,001 replicator steps.
    assert_eq!(text("tournament.csv").lines().count(), 1 + 8 * 40);
    assert_eq!(text("evolution.csv").lines().count(), 1 + 4 * 1001);
    // Probabilities of ranking first add up to one per role.
    let mut p = [0.0; 2];
    for line in text("ranking.csv").lines().skip(1) {
        let f: Vec<&str> = line.rsplitn(7, ',').collect();
        let role = if line.starts_with("hegemon,") { 0 } else { 1 };
        p[role] += f[0].parse::<f64>().unwrap();
    }
    assert!(
        (p[0] - 1.0).abs() < 1e-9 && (p[1] - 1.0).abs() < 1e-9,
        "{p:?}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn tournament_shards_merge_into_the_unsharded_files_byte_for_byte() {
    let d = scratch("tournament-shards");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let common = [
        "tournament",
        "scenarios/examples/three_actors.ron",
        "--hegemon",
        "scenario,OpenOrder,Reciprocal(base: 0.1, step: 0.05)",
        "--allies",
        "AlwaysConcede,Grim,TitForTat",
        "--runs",
        "50",
        "--quiet",
    ];
    let full = s(&d.join("full"));
    let mut args = common.to_vec();
    args.extend(["--out", &full]);
    assert!(run(&args).status.success());
    let mut shards = Vec::new();
    for k in 0..4 {
        let dir = s(&d.join(format!("s{k}")));
        let shard = format!("{k}/4");
        let mut args = common.to_vec();
        args.extend(["--shard", &shard, "--out", &dir]);
        let o = run(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        shards.push(dir);
    }
    let merged = s(&d.join("merged"));
    let o = run(&[
        "merge", &shards[3], &shards[1], &shards[0], &shards[2], "--out", &merged, "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in &TOURNAMENT_FILES[..4] {
        assert_eq!(
            bytes(&d.join("full").join(f)),
            bytes(&d.join("merged").join(f)),
            "{f}"
        );
    }
    // Missing, overlapping, or from another tournament: refused, nothing written.
    let other = s(&d.join("other"));
    let mut args = common.to_vec();
    args.extend(["--shard", "1/4", "--seed", "3", "--out", &other]);
    assert!(run(&args).status.success());
    for (dirs, why) in [
        (vec![&shards[0], &shards[1], &shards[3]], "are missing"),
        (
            vec![&shards[0], &shards[1], &shards[1], &shards[2], &shards[3]],
            "overlap",
        ),
        (
            vec![&shards[0], &other, &shards[2], &shards[3]],
            "seed differs",
        ),
    ] {
        let bad = s(&d.join("bad"));
        let mut args = vec!["merge"];
        args.extend(dirs.iter().map(|x| x.as_str()));
        args.extend(["--out", &bad]);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(why), "{why}: {err}");
        assert!(!d.join("bad").exists());
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn tournament_misuse_is_refused_with_the_reason() {
    let ex = "scenarios/examples/three_actors.ron";
    for (args, why) in [
        (
            vec!["--hegemon", "Nope", "--allies", "AlwaysConcede"],
            "--hegemon: unknown variant \"Nope\"",
        ),
        (
            vec!["--hegemon", "OpenOrder", "--allies", "Sometimes"],
            "--allies: unknown variant \"Sometimes\"",
        ),
        (
            vec!["--hegemon", "OpenOrder,OpenOrder", "--allies", "Grim"],
            "given twice",
        ),
        (
            vec![
                "--hegemon",
                "OpenOrder",
                "--allies",
                "Threshold(toughness: -1)",
            ],
            "actors.ALLY.policy.toughness: value -1 is outside the allowed range [0, 1000000]",
        ),
        (
            vec![
                "--hegemon",
                "OpenOrder",
                "--allies",
                "scenario",
                "--moran",
                "5",
            ],
            "evolutionary dynamics need policies",
        ),
        (
            vec![
                "--hegemon",
                "OpenOrder",
                "--allies",
                "Grim",
                "--evolve",
                "--shard",
                "0/2",
            ],
            "cannot be used with",
        ),
        (
            vec![
                "--hegemon",
                "TargetedPunitive(rate: 0.2, targets: [\"XYZ\"])",
                "--allies",
                "Grim",
            ],
            "unknown actor \"XYZ\"",
        ),
    ] {
        let mut a = vec![
            "tournament",
            ex,
            "--runs",
            "5",
            "--quiet",
            "--out",
            "/nonexistent/x",
        ];
        a.extend(args);
        let o = run(&a);
        assert_eq!(o.status.code(), Some(2), "{why}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(why), "{why}: {err}");
    }
}

#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_without_the_feature_is_refused_with_the_way_to_get_it() {
    let d = scratch("noparquet");
    let out = d.join("o");
    let o = run(&[
        "run",
        "scenarios/examples/three_actors.ron",
        "--runs",
        "5",
        "--format",
        "csv,parquet",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--features parquet"), "{err}");
    assert!(!out.exists(), "a refused run left {}", out.display());
    let _ = std::fs::remove_dir_all(&d);
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_tables_match_the_csv_and_carry_the_manifest() {
    use parquet::basic::{Repetition, Type as Physical};
    use parquet::file::reader::{FileReader, SerializedFileReader};

    let d = scratch("parquet");
    let ex = "scenarios/examples/three_actors.ron";
    let (a, b, only) = (d.join("a"), d.join("b"), d.join("only"));
    for (dir, threads, format) in [
        (&a, "1", "csv,parquet"),
        (&b, "2", "csv,parquet"),
        (&only, "2", "parquet"),
    ] {
        let o = run(&[
            "run",
            ex,
            "--runs",
            "300",
            "--threads",
            threads,
            "--trajectories",
            "4",
            "--format",
            format,
            "--quiet",
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert!(
        !only.join("runs.csv").exists() && only.join("runs.parquet").exists(),
        "--format parquet wrote CSV"
    );
    for f in ["runs", "actors", "trajectories"] {
        let pq = format!("{f}.parquet");
        assert!(
            bytes(&a.join(&pq)) == bytes(&b.join(&pq)),
            "{pq} differs between 1 and 2 threads"
        );
        let csv = String::from_utf8(bytes(&a.join(format!("{f}.csv")))).unwrap();
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let rows = csv.lines().count() - 1;
        let reader = SerializedFileReader::new(std::fs::File::open(a.join(&pq)).unwrap()).unwrap();
        let meta = reader.metadata();
        assert_eq!(meta.file_metadata().num_rows(), rows as i64, "{pq} rows");
        let fields = meta.file_metadata().schema().get_fields();
        let names: Vec<&str> = fields.iter().map(|t| t.name()).collect();
        assert_eq!(names, header, "{pq} columns");
        for t in fields {
            let info = t.get_basic_info();
            let (physical, repetition) = (t.get_physical_type(), info.repetition());
            let want = match t.name() {
                "run" | "round" => (Physical::INT64, Repetition::REQUIRED),
                "actor" | "role" => (Physical::BYTE_ARRAY, Repetition::REQUIRED),
                // actors.csv's counts are whole numbers.
                n if f == "actors"
                    && statecraft_core::ActorColumn::ALL
                        .iter()
                        .any(|c| c.is_count() && c.name() == n) =>
                {
                    (Physical::INT64, Repetition::REQUIRED)
                }
                "action" => (Physical::BYTE_ARRAY, Repetition::OPTIONAL),
                _ if f == "runs" && csv_has_metric(&a, t.name()) => {
                    (Physical::DOUBLE, Repetition::OPTIONAL)
                }
                _ => (Physical::DOUBLE, Repetition::REQUIRED),
            };
            assert_eq!((physical, repetition), want, "{pq}: {}", t.name());
        }
        // Nulls exactly where the CSV has empty cells (an absent action: NA).
        for (i, name) in header.iter().enumerate() {
            let none = if *name == "action" { "NA" } else { "" };
            let empty = csv
                .lines()
                .skip(1)
                .filter(|l| l.split(',').nth(i) == Some(none))
                .count() as u64;
            let nulls: u64 = meta
                .row_groups()
                .iter()
                .map(|g| {
                    g.column(i)
                        .statistics()
                        .and_then(|s| s.null_count_opt())
                        .unwrap_or(0)
                })
                .sum();
            assert_eq!(nulls, empty, "{pq}: nulls of {name}");
        }
        // The manifest, less its timings, in the key/value metadata.
        let kv = meta.file_metadata().key_value_metadata().expect("metadata");
        let stored = kv
            .iter()
            .find(|k| k.key == "statecraft.manifest")
            .and_then(|k| k.value.clone())
            .expect("statecraft.manifest");
        let stored: serde_json::Value = serde_json::from_str(&stored).unwrap();
        let mut full: serde_json::Value =
            serde_json::from_slice(&bytes(&a.join("manifest.json"))).unwrap();
        for k in ["threads", "wall_seconds", "runs_per_second", "command"] {
            full.as_object_mut().unwrap().remove(k);
        }
        assert_eq!(stored, full, "{pq}: manifest");
        if f == "runs" {
            // The stored manifest reproduces the folder on its own, in its formats.
            assert_eq!(stored["formats"], serde_json::json!(["csv", "parquet"]));
            let m = d.join("from_parquet.json");
            std::fs::write(&m, serde_json::to_vec(&stored).unwrap()).unwrap();
            let c = d.join("reproduced");
            let o = run(&[
                "run",
                "--from-manifest",
                m.to_str().unwrap(),
                "--quiet",
                "--out",
                c.to_str().unwrap(),
            ]);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            for file in [
                "runs.parquet",
                "actors.parquet",
                "trajectories.parquet",
                "runs.csv",
            ] {
                assert!(
                    bytes(&c.join(file)) == bytes(&a.join(file)),
                    "reproduced {file}"
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// Whether `name` is a metric (not a drawn parameter) of the scenario behind `dir`.
#[cfg(feature = "parquet")]
fn csv_has_metric(dir: &Path, name: &str) -> bool {
    let summary: serde_json::Value =
        serde_json::from_slice(&bytes(&dir.join("summary.json"))).unwrap();
    summary["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["name"] == name)
}

#[cfg(not(feature = "ema"))]
#[test]
fn ema_export_without_the_feature_is_refused_with_the_way_to_get_it() {
    let d = scratch("noema");
    let (dir, archive) = (d.join("r"), d.join("r.tar.gz"));
    let o = run(&[
        "run",
        "scenarios/examples/three_actors.ron",
        "--runs",
        "5",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let o = run(&[
        "export",
        dir.to_str().unwrap(),
        "--to",
        "ema",
        archive.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--features ema"), "{err}");
    assert!(!archive.exists());
    let _ = std::fs::remove_dir_all(&d);
}

/// The members of a .tar.gz archive, with their contents.
#[cfg(feature = "ema")]
pub(crate) fn untar(path: &Path) -> Vec<(String, String)> {
    use std::io::Read;
    let gz = flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap());
    let mut archive = tar::Archive::new(gz);
    archive
        .entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let name = e.path().unwrap().to_string_lossy().into_owned();
            let mut text = String::new();
            e.read_to_string(&mut text).unwrap();
            (name, text)
        })
        .collect()
}

#[cfg(feature = "ema")]
#[test]
fn ema_export_has_the_layout_load_results_reads() {
    let d = scratch("ema");
    let ex = "scenarios/examples/three_actors.ron";
    let (full, part) = (d.join("full"), d.join("part"));
    for (dir, traj) in [(&full, "60"), (&part, "10")] {
        let o = run(&[
            "run",
            ex,
            "--runs",
            "60",
            "--rounds",
            "7",
            "--trajectories",
            traj,
            "--quiet",
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let export = |dir: &Path, archive: &Path, extra: &[&str]| {
        let mut args = vec![
            "export",
            dir.to_str().unwrap(),
            "--to",
            "ema",
            archive.to_str().unwrap(),
        ];
        args.extend(extra);
        run(&args)
    };
    let a = d.join("full.tar.gz");
    let o = export(&full, &a, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let members = untar(&a);
    let get = |name: &str| {
        members
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
            .unwrap_or_else(|| panic!("no {name} in the archive"))
    };
    let runs = String::from_utf8(bytes(&full.join("runs.csv"))).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let meta: serde_json::Value = serde_json::from_str(get("metadata.json")).unwrap();
    assert_eq!(meta["version"], 0.1);
    // experiments.csv: the uncertain parameters (the columns of runs.csv between run and the
    // metrics), then EMA's scenario, policy and model.
    let experiments: Vec<&str> = meta["experiments"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let exp = get("experiments.csv");
    let eheader: Vec<&str> = exp.lines().next().unwrap().split(',').collect();
    assert_eq!(
        eheader[eheader.len() - 3..],
        ["scenario", "policy", "model"]
    );
    let params = &eheader[..eheader.len() - 3];
    assert_eq!(params, &header[1..1 + params.len()]);
    let mut sorted = eheader.clone();
    sorted.sort();
    assert_eq!(
        experiments, sorted,
        "metadata lists every experiments column"
    );
    assert_eq!(meta["experiments"]["scenario"], "int64");
    assert_eq!(meta["experiments"]["policy"], "object");
    assert_eq!(meta["experiments"][params[0]], "float64");
    assert_eq!(exp.lines().count(), 61);
    let row1: Vec<&str> = exp.lines().nth(2).unwrap().split(',').collect();
    let run1: Vec<&str> = runs.lines().nth(2).unwrap().split(',').collect();
    assert_eq!(row1[..params.len()], run1[1..1 + params.len()]);
    assert_eq!(row1[params.len()..], ["1", "three_actors", "statecraft"]);
    // Every listed outcome is in the archive, with one line per run.
    let outcomes = meta["outcomes"].as_array().unwrap();
    let metrics = header.len() - 1 - params.len();
    let (scalars, series): (Vec<_>, Vec<_>) =
        outcomes.iter().partition(|o| o[0] == "ScalarOutcome");
    // Every column of actors.csv after run, actor and role, for each of the three actors.
    let actors = String::from_utf8(bytes(&full.join("actors.csv"))).unwrap();
    let per_actor = actors.lines().next().unwrap().split(',').count() - 3;
    assert_eq!(
        scalars.len(),
        metrics + 3 * per_actor,
        "metrics and per-actor finals"
    );
    // TIME, then every numeric trajectories.csv column (after run, round and actor; not the
    // action, a word) for each actor.
    let tcols = String::from_utf8(bytes(&full.join("trajectories.csv")))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .split(',')
        .skip(3)
        .filter(|c| *c != "action")
        .count();
    assert_eq!(
        series.len(),
        1 + 3 * tcols,
        "TIME and the series of each actor"
    );
    for o in outcomes {
        let file = o[2].as_str().unwrap();
        let text = get(file);
        assert_eq!(text.lines().count(), 60, "{file}");
        let width = text.lines().next().unwrap().split(',').count();
        assert_eq!(width, if o[0] == "ScalarOutcome" { 1 } else { 7 }, "{file}");
    }
    // A metric undefined in a run is "nan" (an empty line would be skipped by pandas).
    let col = header
        .iter()
        .position(|h| *h == "first_rupture_round")
        .unwrap();
    let empty = runs
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(col) == Some(""))
        .count();
    let nan = get("first_rupture_round.cls")
        .lines()
        .filter(|l| *l == "nan")
        .count();
    assert_eq!(nan, empty);
    assert_eq!(get("TIME.csv").lines().next().unwrap(), "0,1,2,3,4,5,6");
    let ally_tariff = get("trajectories.ALLY.tariff.csv")
        .lines()
        .next()
        .unwrap()
        .to_string();
    let traj = String::from_utf8(bytes(&full.join("trajectories.csv"))).unwrap();
    let want: Vec<&str> = traj
        .lines()
        .filter(|l| l.starts_with("0,") && l.split(',').nth(2) == Some("ALLY"))
        .map(|l| l.split(',').nth(3).unwrap())
        .collect();
    assert_eq!(ally_tariff, want.join(","));
    assert_eq!(
        get("manifest.json"),
        String::from_utf8(bytes(&full.join("manifest.json"))).unwrap()
    );
    // The same folder gives the same bytes; an existing archive is kept unless --force.
    let o = export(&full, &a, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    let before = bytes(&a);
    assert!(export(&full, &a, &["--force", "--quiet"]).status.success());
    assert_eq!(bytes(&a), before, "the archive differs between two exports");
    // Trajectories for some runs only: scalars only, and a note that says why.
    let b = d.join("part.tar.gz");
    let o = export(&part, &b, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--trajectories 60"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        untar(&b)
            .iter()
            .all(|(n, _)| !n.ends_with(".csv") || n == "experiments.csv")
    );
    // A folder that is not one, or whose tables do not match its manifest, names the file.
    let o = export(&d, &d.join("x.tar.gz"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("manifest.json"));
    std::fs::write(part.join("actors.csv"), "run,actor\n").unwrap();
    let o = export(&part, &d.join("y.tar.gz"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("actors.csv"));
    assert!(!d.join("y.tar.gz").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn validate_lists_every_result_column_with_its_unit_and_definition() {
    let out = ok(&[
        "validate",
        "--metrics",
        "scenarios/examples/three_actors.ron",
    ]);
    // Every column with its unit and definition, pinned whole.
    assert_pinned("cli/validate-metrics.txt", &out);
    // Every column of runs.csv is listed: the run metrics and one per bloc metric and bloc (one bloc here).
    let runs = out
        .lines()
        .skip_while(|l| l.trim() != "runs.csv")
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .count();
    assert_eq!(
        runs,
        statecraft_core::RunMetric::ALL.len() + statecraft_core::BlocMetric::ALL.len()
    );
}

#[test]
fn resume_of_a_finished_batch_keeps_it_and_succeeds() {
    // A requeued job passes --resume after its batch finished: the same batch is complete
    // (exit 0, the folder untouched); another batch into that folder is still refused.
    let d = scratch("resume-finished");
    let out = d.join("o");
    let args = |seed: &str, resume: bool| {
        let mut a = vec![
            "run".to_string(),
            "scenarios/examples/three_actors.ron".into(),
            "--runs".into(),
            "30".into(),
            "--seed".into(),
            seed.into(),
            "--quiet".into(),
            "--out".into(),
            out.to_str().unwrap().into(),
        ];
        if resume {
            a.push("--resume".into());
        }
        a
    };
    let call = |a: Vec<String>| run(&as_strs(&a));
    assert!(call(args("1", false)).status.success());
    let before = bytes(&out.join("runs.csv"));
    let again = call(args("1", true));
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(bytes(&out.join("runs.csv")), before);
    let other = call(args("2", true));
    assert_eq!(other.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&other.stderr).contains("already exists"));
    assert_eq!(bytes(&out.join("runs.csv")), before);
    let _ = std::fs::remove_dir_all(&d);
}

/// `validate --params` prints each uncertain parameter's own mean beside its law (#20: a
/// TruncNormal's first numbers are its underlying normal's, whose mean may lie outside the
/// bounds).
#[test]
fn validate_params_prints_each_distribution_s_own_mean() {
    let d = scratch("params_mean");
    let text = std::fs::read_to_string(root().join("scenarios/examples/three_actors.ron")).unwrap();
    let f = d.join("t.ron");
    std::fs::write(
        &f,
        text.replacen(
            "elasticity_lr: Uniform(1.75, 5.0)",
            "elasticity_lr: TruncNormal(-10, 5, 1, 5)",
            1,
        ),
    )
    .unwrap();
    let out = ok(&["validate", "--params", f.to_str().unwrap()]);
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with("model.elasticity_lr"))
        .unwrap();
    let mean: f64 = line
        .split("mean ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|x| x.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    let want =
        statecraft_core::Param::Dist(statecraft_core::Dist::TruncNormal(-10.0, 5.0, 1.0, 5.0));
    assert!(
        (1.0..5.0).contains(&mean) && (mean - want.mean()).abs() < 1e-4,
        "{line}"
    );
    // A fixed value has no mean column.
    let fixed = out
        .lines()
        .find(|l| l.trim_start().starts_with("model.elasticity_sr"))
        .unwrap();
    assert!(!fixed.contains("mean"), "{fixed}");
}

/// `--version` names the commit built from and the optional features built in (#20).
#[test]
fn version_names_the_commit_and_the_features() {
    let out = ok(&["--version"]);
    assert!(
        out.starts_with(&format!("statecraft {}", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );
    assert!(
        out.contains("(commit ") && out.contains("; features: "),
        "{out}"
    );
}

/// `convert` rewrites the scenario's patterns file relative to where the converted scenario
/// goes, so `patterns` still finds it after the move; `validate` checks the file a scenario
/// names (#20).
#[test]
fn converted_scenarios_keep_their_patterns_file_and_validate_checks_it() {
    let d = scratch("convert_patterns");
    let moved = d.join("elsewhere").join("moved.ron");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    ok(&[
        "convert",
        "scenarios/paid_access_2025.ron",
        "--to",
        "ron",
        "--out",
        moved.to_str().unwrap(),
    ]);
    ok(&["validate", moved.to_str().unwrap()]);
    ok(&[
        "patterns",
        moved.to_str().unwrap(),
        "--runs",
        "4",
        "--rounds",
        "6",
        "--quiet",
        "--out",
        d.join("p").to_str().unwrap(),
    ]);
    // A scenario naming a patterns file that is not there fails validation, naming it.
    let text = std::fs::read_to_string(&moved).unwrap();
    let missing = d.join("elsewhere").join("missing.ron");
    let start = text.find("patterns: Some(\"").unwrap() + "patterns: Some(\"".len();
    let end = start + text[start..].find('"').unwrap();
    std::fs::write(
        &missing,
        format!("{}nowhere.ron{}", &text[..start], &text[end..]),
    )
    .unwrap();
    let e = failure(&["validate", missing.to_str().unwrap()]);
    assert!(
        e.contains("nowhere.ron") && e.contains("patterns file"),
        "{e}"
    );
}

#[test]
fn exit_status_is_2_for_usage_and_input_errors_and_1_for_failures_at_run_time() {
    let d = scratch("exit-status");
    let ex = "scenarios/examples/three_actors.ron";
    // A usage error (clap's).
    let o = run(&["run", ex, "--runs", "0"]);
    assert_eq!(o.status.code(), Some(2));
    // Input errors: an invalid scenario, an option value checked after parsing, a patterns
    // file that is not one, an existing output without --force.
    failure(&["run", "tests/bad_inputs/syntax_missing_comma.ron"]);
    let err = failure(&[
        "sensitivity",
        ex,
        "--metrics",
        "no_such_metric",
        "--quiet",
        "--out",
        d.join("s").to_str().unwrap(),
    ]);
    assert!(err.contains("unknown metric"), "{err}");
    let err = failure(&["patterns", ex, "--patterns", ex, "--runs", "5", "--quiet"]);
    assert!(err.contains("error: "), "{err}");
    let out = d.join("o");
    let out_s = out.to_str().unwrap();
    ok(&["run", ex, "--runs", "5", "--quiet", "--out", out_s]);
    let err = failure(&["run", ex, "--runs", "5", "--quiet", "--out", out_s]);
    assert!(err.contains("already exists"), "{err}");
    // A failure at run time: the output's folder cannot be created (a file is in the way).
    std::fs::write(d.join("file"), "not a folder").unwrap();
    let inside = d.join("file").join("o");
    let err = runtime_failure(&[
        "run",
        ex,
        "--runs",
        "5",
        "--quiet",
        "--out",
        inside.to_str().unwrap(),
    ]);
    assert!(err.contains("cannot create the folder"), "{err}");
    // --help says so.
    let help = ok(&["--help"]);
    assert!(help.contains("Exit status:"), "{help}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn completions_and_manual_pages_come_from_the_command_line() {
    let bash = ok(&["completions", "bash"]);
    for word in [
        "_statecraft",
        "run",
        "sweep",
        "tournament",
        "report",
        "--runs",
    ] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        assert!(
            ok(&["completions", shell]).contains("statecraft"),
            "{shell}"
        );
    }
    failure(&["completions", "tcsh"]);
    let page = ok(&["man"]);
    // roff: after clap_mangen's two-line quote-string preamble, the title line.
    let title = page
        .lines()
        .find(|l| l.starts_with('.') && !l.starts_with(".ie") && !l.starts_with(".el"));
    assert!(
        title.is_some_and(|l| l.starts_with(".TH statecraft 1")),
        "{page}"
    );
    assert!(page.contains("tournament"), "{page}");
    // NAME: the program's description (it read "The subcommands" when the doc comment
    // above `Cli` had slipped onto a constant).
    assert!(
        page.contains("statecraft \\- Agent\\-based simulation"),
        "{page}"
    );
    let d = scratch("man");
    let out = ok(&["man", "--out", d.to_str().unwrap()]);
    assert!(out.contains("manual pages in"), "{out}");
    for f in ["statecraft.1", "statecraft-run.1", "statecraft-sweep.1"] {
        let text = std::fs::read_to_string(d.join(f)).unwrap();
        assert!(text.contains(".TH statecraft"), "{f}: {text}");
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_batch_prints_plain_progress_lines_when_stderr_is_not_a_terminal() {
    let d = scratch("progress");
    let ex = "scenarios/examples/three_actors.ron";
    let batch = |extra: &[&str], out: &str| {
        let mut c = statecraft();
        c.args(["run", ex, "--runs", "3000", "--out", out])
            .args(extra);
        c.env("STATECRAFT_PROGRESS_SECS", "0");
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (
            String::from_utf8(o.stdout).unwrap(),
            String::from_utf8(o.stderr).unwrap(),
        )
    };
    let (stdout, stderr) = batch(&[], d.join("a").to_str().unwrap());
    let lines: Vec<&str> = stderr.lines().collect();
    // Every tenth of the batch at most, never at its end.
    assert!((3..=10).contains(&lines.len()), "{stderr}");
    for l in &lines {
        assert!(
            l.starts_with("statecraft: ") && l.contains("/3,000 runs (") && l.contains(" runs/s"),
            "{l}"
        );
    }
    assert!(lines.iter().any(|l| l.contains(" left")), "{stderr}");
    // stdout is the table, as without the lines.
    assert!(!stdout.contains("statecraft: "), "{stdout}");
    let (_, stderr) = batch(&["--quiet"], d.join("b").to_str().unwrap());
    assert!(stderr.is_empty(), "--quiet printed {stderr}");
    let _ = std::fs::remove_dir_all(&d);
}

/// `run --set PATH=VALUE` sets a parameter (a value or a distribution), the manifest's scenario
/// carries it (so `--from-manifest` reproduces the folder), and a bad path or value is an input
/// error naming it (#19).
#[test]
fn run_set_changes_a_parameter_and_the_manifest_keeps_it() {
    let d = scratch("set");
    let (a, b) = (d.join("a"), d.join("b"));
    ok(&[
        "run",
        "scenarios/examples/three_actors.ron",
        "--runs",
        "20",
        "--set",
        "model.hedge_cost=0.3",
        "--set",
        "strategy.linkage=Uniform(0, 1)",
        "--quiet",
        "--out",
        a.to_str().unwrap(),
    ]);
    let header = text(&a.join("runs.csv"));
    let header = header.lines().next().unwrap();
    assert!(header.contains(",strategy.linkage,"), "{header}");
    let manifest = text(&a.join("manifest.json"));
    assert!(
        manifest.contains("model.hedge_cost") && manifest.contains("0.3"),
        "{manifest}"
    );
    ok(&[
        "run",
        "--from-manifest",
        a.join("manifest.json").to_str().unwrap(),
        "--quiet",
        "--out",
        b.to_str().unwrap(),
    ]);
    assert!(bytes(&a.join("runs.csv")) == bytes(&b.join("runs.csv")));
    let e = failure(&[
        "run",
        "scenarios/examples/three_actors.ron",
        "--set",
        "model.nope=1",
    ]);
    assert!(e.contains("unknown parameter path \"model.nope\""), "{e}");
    let e = failure(&[
        "run",
        "scenarios/examples/three_actors.ron",
        "--set",
        "model.hedge_cost=abc",
    ]);
    assert!(e.contains("--set model.hedge_cost=abc"), "{e}");
    let _ = std::fs::remove_dir_all(&d);
}

/// `export --to ema` of a sweep's folder (`--per-run`): one experiment per run of every point,
/// the factors and the other draws as its parameters, a scalar outcome per metric (#19); a
/// sweep without its runs is refused with the way to get them.
#[cfg(feature = "ema")]
#[test]
fn ema_export_of_a_sweep_has_an_experiment_per_run() {
    let d = scratch("ema-sweep");
    let (sw, bare) = (d.join("sweep"), d.join("bare"));
    let ex = "scenarios/examples/three_actors.ron";
    for (dir, extra) in [(&sw, &["--per-run"][..]), (&bare, &[][..])] {
        let args = [
            &[
                "sweep",
                ex,
                "--param",
                "model.hedge_cost=0:1",
                "--points",
                "3",
            ][..],
            &["--runs", "4", "--quiet", "--out", dir.to_str().unwrap()],
            extra,
        ]
        .concat();
        ok(&args);
    }
    let a = d.join("sweep.tar.gz");
    ok(&[
        "export",
        sw.to_str().unwrap(),
        "--to",
        "ema",
        a.to_str().unwrap(),
        "--quiet",
    ]);
    let files = untar(&a);
    let get = |n: &str| files.iter().find(|(f, _)| f == n).map(|(_, t)| t.clone());
    let exp = get("experiments.csv").expect("experiments.csv");
    let mut lines = exp.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("model.hedge_cost,"), "{header}");
    assert!(header.ends_with(",scenario,policy,model"), "{header}");
    assert_eq!(lines.count(), 12);
    assert_eq!(get("hegemon_rent.cls").unwrap().lines().count(), 12);
    let meta = get("metadata.json").unwrap();
    assert!(
        meta.contains("\"ScalarOutcome\"") && meta.contains("\"kind\":\"sweep\""),
        "{meta}"
    );
    let e = failure(&[
        "export",
        bare.to_str().unwrap(),
        "--to",
        "ema",
        d.join("b.tar.gz").to_str().unwrap(),
    ]);
    assert!(e.contains("--per-run"), "{e}");
    let _ = std::fs::remove_dir_all(&d);
}

/// `export A B ... --to ema OUT`: one archive of several folders' run-level outcomes, an
/// experiment per run of each, EMA's `policy` the scenario (`#2` for a second folder of one
/// scenario), `scenario` the run index, the parameters of all (empty where a scenario has
/// none), `nan` for a metric a folder lacks; each folder's manifest kept (#19).
#[cfg(feature = "ema")]
#[test]
fn ema_export_of_several_folders_is_one_archive_of_their_runs() {
    let d = scratch("ema-several");
    let dirs = [d.join("three"), d.join("open"), d.join("three2")];
    for (dir, scenario, runs) in [
        (&dirs[0], "scenarios/examples/three_actors.ron", "6"),
        (&dirs[1], "scenarios/open_order.ron", "5"),
        (&dirs[2], "scenarios/examples/three_actors.ron", "4"),
    ] {
        let out = dir.to_str().unwrap();
        ok(&[
            "run", scenario, "--runs", runs, "--rounds", "6", "--quiet", "--out", out,
        ]);
    }
    let a = d.join("all.tar.gz");
    let said = ok(&[
        "export",
        dirs[0].to_str().unwrap(),
        dirs[1].to_str().unwrap(),
        "--to",
        "ema",
        dirs[2].to_str().unwrap(),
        a.to_str().unwrap(),
    ]);
    assert!(said.contains("15 experiments of 3 folders"), "{said}");
    let files = untar(&a);
    let get = |n: &str| files.iter().find(|(f, _)| f == n).map(|(_, t)| t.clone());
    let exp = get("experiments.csv").expect("experiments.csv");
    let rows: Vec<Vec<&str>> = exp.lines().map(|l| l.split(',').collect()).collect();
    let header = &rows[0];
    assert_eq!(&header[header.len() - 3..], ["scenario", "policy", "model"]);
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (scenario, policy) = (at("scenario"), at("policy"));
    let policies: Vec<&str> = rows[1..].iter().map(|r| r[policy]).collect();
    assert_eq!(policies[0], "three_actors");
    assert_eq!(policies[6], "open_order");
    assert_eq!(policies[11], "three_actors#2");
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[scenario]).collect();
    assert_eq!(&ids[..7], ["0", "1", "2", "3", "4", "5", "0"]);
    // A parameter of the three-actor world that the 2025 world does not have is empty there.
    let runs = std::fs::read_to_string(dirs[0].join("runs.csv")).unwrap();
    let first_param = runs.lines().next().unwrap().split(',').nth(1).unwrap();
    let open_runs = std::fs::read_to_string(dirs[1].join("runs.csv")).unwrap();
    if !open_runs.lines().next().unwrap().contains(first_param) {
        assert_eq!(rows[7][at(first_param)], "", "{first_param}");
    }
    assert_eq!(get("hegemon_rent.cls").unwrap().lines().count(), 15);
    for k in 1..=3 {
        assert!(
            get(&format!("manifest_{k}.json")).is_some(),
            "manifest_{k}.json"
        );
    }
    let meta = get("metadata.json").unwrap();
    assert!(meta.contains("\"statecraft\":[{"), "{meta}");
    let e = failure(&["export", "--to", "ema", dirs[0].to_str().unwrap()]);
    assert!(e.contains("and then the archive to write"), "{e}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn new_writes_templates_that_validate_and_json_may_name_its_schema() {
    let dir = scratch("new");
    for (template, actors) in [("three-actors", "3 actors"), ("world", "13 actors")] {
        let f = dir.join(format!("{template}.ron"));
        let f = f.to_str().unwrap();
        ok(&["new", "--template", template, "--out", f]);
        let said = ok(&["validate", f]);
        assert!(said.starts_with("ok: ") && said.contains(actors), "{said}");
        assert!(text(Path::new(f)).starts_with("// Written by `statecraft new"));
        // An existing file is kept unless forced.
        let err = failure(&["new", "--template", template, "--out", f]);
        assert!(err.contains("--force"), "{err}");
        ok(&["new", "--template", template, "--out", f, "--force"]);
    }
    // A JSON scenario may name its schema for an editor: "$schema" is read and ignored.
    let json = dir.join("s.json");
    ok(&[
        "convert",
        &root()
            .join("scenarios/examples/three_actors.ron")
            .to_string_lossy(),
        "--to",
        "json",
        "--out",
        json.to_str().unwrap(),
    ]);
    let mut v: serde_json::Value = serde_json::from_str(&text(&json)).unwrap();
    v.as_object_mut()
        .unwrap()
        .insert("$schema".into(), "scenario.schema.json".into());
    std::fs::write(&json, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let said = ok(&["validate", json.to_str().unwrap()]);
    assert!(said.starts_with("ok: "), "{said}");
}
