//! End-to-end tests of `sweep`, `sensitivity`, `compare` and `discover`: files, determinism
//! across thread counts and invocations, common random numbers, and clear errors.

use std::path::Path;

use crate::common::*;

/// Rows of a CSV as maps from column name to cell.
fn table(p: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(p).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            h.iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

const EX: &str = "scenarios/examples/three_actors.ron";

#[test]
fn sweep_files_are_identical_on_any_thread_count_and_rerun() {
    let d = scratch("sweep");
    let mut outs = Vec::new();
    for (name, threads) in [("a", "1"), ("b", "2"), ("c", "2")] {
        let out = d.join(name);
        ok(&[
            "sweep",
            EX,
            "--param",
            "model.hedge_cost=0:1",
            "--param",
            "actors.ALLY.resolve",
            "--design",
            "lhs",
            "--points",
            "12",
            "--runs",
            "40",
            "--per-run",
            "--threads",
            threads,
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]);
        outs.push(out);
    }
    for f in ["sweep.csv", "runs.csv"] {
        let a = text(&outs[0].join(f));
        assert_eq!(a, text(&outs[1].join(f)), "{f}: 1 vs 2 threads");
        assert_eq!(a, text(&outs[2].join(f)), "{f}: rerun");
    }
    let rows = table(&outs[0].join("sweep.csv"));
    assert_eq!(rows.len(), 12);
    // Latin hypercube: one point in each twelfth of the range of hedge_cost.
    let mut strata: Vec<usize> = rows
        .iter()
        .map(|r| (r["model.hedge_cost"].parse::<f64>().unwrap() * 12.0) as usize)
        .collect();
    strata.sort();
    assert_eq!(strata, (0..12).collect::<Vec<_>>());
    // The point's summary is that of its runs.
    let runs = table(&outs[0].join("runs.csv"));
    assert_eq!(runs.len(), 12 * 40);
    let mean: f64 = runs
        .iter()
        .filter(|r| r["point"] == "3")
        .map(|r| r["hegemon_rent"].parse::<f64>().unwrap())
        .sum::<f64>()
        / 40.0;
    let reported: f64 = rows[3]["hegemon_rent_mean"].parse().unwrap();
    assert!(
        (mean - reported).abs() <= 1e-9 * mean.abs(),
        "{mean} vs {reported}"
    );
    let m = text(&outs[0].join("manifest.json"));
    assert!(m.contains("\"kind\": \"sweep\"") && m.contains("model.hedge_cost"));
}

#[test]
fn sweep_points_share_their_random_numbers() {
    // A parameter the hegemon's rent does not depend on at all when swept over a single value
    // gives every point the same runs: the other draws and the streams are common.
    let d = scratch("crn");
    let out = d.join("g");
    ok(&[
        "sweep",
        EX,
        "--param",
        "model.hedge_cost=0.3:0.3",
        "--design",
        "grid",
        "--levels",
        "3",
        "--runs",
        "25",
        "--per-run",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let runs = table(&out.join("runs.csv"));
    for r in 0..25 {
        let at = |p: &str| {
            runs.iter()
                .find(|x| x["point"] == p && x["run"] == r.to_string())
                .unwrap()
                .clone()
        };
        let (a, b) = (at("0"), at("2"));
        for col in ["model.elasticity_lr", "hegemon_rent", "share_concede"] {
            assert_eq!(a[col], b[col], "run {r}, {col}");
        }
    }
}

#[test]
fn sweep_errors_name_the_path_and_the_nearest_valid_ones() {
    let e = failure(&["sweep", EX, "--param", "model.elasticty_lr=2:6", "--quiet"]);
    assert!(
        e.contains("unknown parameter path \"model.elasticty_lr\""),
        "{e}"
    );
    assert!(e.contains("model.elasticity_lr"), "{e}");
    let e = failure(&["sweep", EX, "--param", "model.reroute_share=0:2", "--quiet"]);
    assert!(
        e.contains("model.reroute_share") && e.contains("[0, 1]"),
        "{e}"
    );
    let e = failure(&["sweep", EX, "--param", "model.hedge_cost", "--quiet"]);
    assert!(e.contains("is fixed at 0.2") && e.contains("LO:HI"), "{e}");
    let e = failure(&["sweep", EX, "--param", "model.hedge_cost=1:x"]);
    assert!(e.contains("is not a number"), "{e}");
}

#[test]
fn sensitivity_ranks_the_parameters_and_is_reproducible() {
    let d = scratch("sens");
    for (name, threads) in [("a", "1"), ("b", "2")] {
        ok(&[
            "sensitivity",
            EX,
            "--method",
            "sobol",
            "--samples",
            "64",
            "--runs",
            "5",
            "--metrics",
            "hegemon_rent,share_concede",
            "--bootstrap",
            "100",
            "--threads",
            threads,
            "--quiet",
            "--out",
            d.join(name).to_str().unwrap(),
        ]);
    }
    let a = text(&d.join("a/sensitivity.csv"));
    assert_eq!(a, text(&d.join("b/sensitivity.csv")));
    let rows = table(&d.join("a/sensitivity.csv"));
    // Eleven uncertain parameters (six of the model and actors, three of beliefs, two of
    // welfare), two metrics.
    assert_eq!(rows.len(), 22);
    // The hegemon's rent is driven by the long-run elasticity above all.
    let st = |p: &str| -> f64 {
        rows.iter()
            .find(|r| r["metric"] == "hegemon_rent" && r["param"] == p)
            .unwrap()["st"]
            .parse()
            .unwrap()
    };
    assert!(st("model.elasticity_lr") > 0.5, "{a}");
    assert!(st("actors.RIV.chokepoint") < 0.1, "{a}");

    let out = ok(&[
        "sensitivity",
        EX,
        "--method",
        "morris",
        "--samples",
        "10",
        "--runs",
        "5",
        "--metrics",
        "hegemon_rent",
        "--bootstrap",
        "100",
        "--out",
        d.join("m").to_str().unwrap(),
    ]);
    assert!(
        out.contains("mu*") && out.contains("model.elasticity_lr"),
        "{out}"
    );
    let rows = table(&d.join("m/sensitivity.csv"));
    // One row per uncertain parameter, one metric.
    assert_eq!(rows.len(), 11);
    assert!(
        rows.iter()
            .all(|r| r["method"] == "morris" && !r["mu_star"].is_empty())
    );
    let e = failure(&["sensitivity", EX, "--metrics", "rent"]);
    assert!(
        e.contains("unknown metric \"rent\"") && e.contains("hegemon_rent"),
        "{e}"
    );
}

#[test]
fn compare_pairs_scenarios_by_run_and_reads_results_folders_alike() {
    let d = scratch("compare");
    let other = "scenarios/examples/constrained.ron";
    let from_files = d.join("files");
    let out = ok(&[
        "compare",
        EX,
        other,
        "--runs",
        "300",
        "--seed",
        "5",
        "--bootstrap",
        "300",
        "--out",
        from_files.to_str().unwrap(),
    ]);
    assert!(
        out.contains("paired by run") && out.contains("verdict"),
        "{out}"
    );
    // The same runs written by `run` and compared as folders give the same rows.
    for (name, file) in [("a", EX), ("b", other)] {
        ok(&[
            "run",
            file,
            "--runs",
            "300",
            "--seed",
            "5",
            "--quiet",
            "--out",
            d.join(name).to_str().unwrap(),
        ]);
    }
    let from_dirs = d.join("dirs");
    ok(&[
        "compare",
        d.join("a").to_str().unwrap(),
        d.join("b").to_str().unwrap(),
        "--bootstrap",
        "300",
        "--quiet",
        "--out",
        from_dirs.to_str().unwrap(),
    ]);
    let (x, y) = (
        text(&from_files.join("compare.csv")),
        text(&from_dirs.join("compare.csv")),
    );
    assert_eq!(x, y);
    // Every statistic is the runner's on the runs.csv values.
    let runs = |n: &str| table(&d.join(n).join("runs.csv"));
    let (ra, rb) = (runs("a"), runs("b"));
    let col = |rows: &[std::collections::BTreeMap<String, String>], c: &str| -> Vec<f64> {
        rows.iter().map(|r| r[c].parse().unwrap()).collect()
    };
    let (va, vb) = (col(&ra, "hegemon_rent"), col(&rb, "hegemon_rent"));
    let row = table(&from_dirs.join("compare.csv"))
        .into_iter()
        .find(|r| r["metric"] == "hegemon_rent" && r["reference"] != r["scenario"])
        .unwrap();
    let ks = statecraft_runner::stats::ks_two_sample(&va, &vb);
    let mw = statecraft_runner::stats::mann_whitney(&va, &vb);
    let delta = statecraft_runner::stats::cliffs_delta(&vb, &va);
    assert_eq!(row["ks_d"].parse::<f64>().unwrap(), ks.statistic);
    assert_eq!(row["ks_p"].parse::<f64>().unwrap(), ks.p_value);
    assert_eq!(row["mw_p"].parse::<f64>().unwrap(), mw.p_value);
    assert_eq!(row["cliffs_delta"].parse::<f64>().unwrap(), delta);
    assert_eq!(row["paired"], "true");
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let diff: f64 = row["diff"].parse().unwrap();
    assert!((diff - (mean(&vb) - mean(&va))).abs() < 1e-9 * mean(&va).abs());
    // A metric undefined in some runs (an event) is followed by the share of runs in which
    // it is defined, P(metric), compared as its own metric (a difference of probabilities).
    let rows = table(&from_dirs.join("compare.csv"));
    let mut events = 0;
    for m in ra[0].keys().filter(|k| !k.contains('.') && *k != "run") {
        let share = |rows: &[std::collections::BTreeMap<String, String>]| {
            rows.iter().filter(|r| !r[m].is_empty()).count() as f64 / rows.len() as f64
        };
        let (pa, pb) = (share(&ra), share(&rb));
        let p = rows
            .iter()
            .find(|r| r["metric"] == format!("P({m})") && r["reference"] != r["scenario"]);
        if pa == 1.0 && pb == 1.0 {
            assert!(p.is_none(), "{m} is no event");
            continue;
        }
        events += 1;
        let p = p.unwrap_or_else(|| panic!("no P({m}) row"));
        assert!(
            (p["mean"].parse::<f64>().unwrap() - pb).abs() < 1e-12,
            "{m}"
        );
        assert!(
            (p["diff"].parse::<f64>().unwrap() - (pb - pa)).abs() < 1e-12,
            "{m}"
        );
    }
    assert!(events > 0);
    let json: serde_json::Value =
        serde_json::from_str(&text(&from_dirs.join("compare.json"))).unwrap();
    assert_eq!(json["inputs"].as_array().unwrap().len(), 2);
    // A folder that is not a run's.
    let e = failure(&[
        "compare",
        d.to_str().unwrap(),
        EX,
        "--out",
        d.join("z").to_str().unwrap(),
    ]);
    assert!(e.contains("not a results folder"), "{e}");
}

#[test]
fn patterns_reports_each_2025_pattern_on_the_baseline() {
    // The 2025 patterns on the baseline's priors (the calibration waits for Calibration 2,
    // MODEL.md 4.3): each is reported with the share of runs in which it holds, and is met
    // exactly when that share reaches its target.
    check_patterns("scenarios/paid_access_2025.ron", 14, 600);
}

#[test]
fn patterns_reports_each_2018_pattern_on_the_backcast() {
    // The 2018-19 back-cast (MODEL.md 4.5) with its ten patterns, stated before it was run.
    check_patterns("scenarios/backcast_2018.ron", 10, 300);
}

/// Runs `statecraft patterns` on `scenario` and checks the report's consistency: `count`
/// patterns, each rate a share, met exactly when it reaches its target, and `all_ok` the
/// conjunction of the per-pattern columns of patterns.csv.
fn check_patterns(scenario: &str, count: usize, runs: usize) {
    let d = scratch(&format!("patterns-{count}"));
    let out = d.join("p");
    ok(&[
        "patterns",
        scenario,
        "--runs",
        &runs.to_string(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_str(&text(&out.join("patterns.json"))).unwrap();
    let pats = json["patterns"].as_array().unwrap();
    assert_eq!(pats.len(), count);
    for p in pats {
        let share = p["rate"].as_f64().unwrap();
        let target = p["target"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&share), "{p}");
        assert_eq!(p["met"], share >= target, "{p}");
    }
    // patterns.csv: one row per run; all_ok is the conjunction of the _ok columns.
    let rows = table(&out.join("patterns.csv"));
    assert_eq!(rows.len(), runs);
    for r in &rows {
        let all = r
            .iter()
            .filter(|(k, _)| k.ends_with("_ok") && *k != "all_ok")
            .all(|(_, v)| v == "1");
        assert_eq!(r["all_ok"] == "1", all);
    }
}

#[test]
fn abc_keeps_the_accepted_draws_and_emits_a_scenario_that_fits_better() {
    let d = scratch("abc");
    let pats = d.join("concede.ron");
    std::fs::write(
        &pats,
        r#"(patterns: [(id: "concedes", name: "the ally mostly concedes",
            quantity: ActionShare(actors: ["ALLY"], actions: ["C", "CG", "B"], rounds: (0, 19)),
            test: Gt(0.6))])"#,
    )
    .unwrap();
    let emitted = d.join("posterior.ron");
    let out = ok(&[
        "patterns",
        EX,
        "--patterns",
        pats.to_str().unwrap(),
        "--runs",
        "2000",
        "--abc",
        "--emit-scenario",
        emitted.to_str().unwrap(),
        "--out",
        d.join("a").to_str().unwrap(),
    ]);
    assert!(
        out.contains("ABC: distance over 1 binding patterns"),
        "{out}"
    );
    // The pattern has no observed value: a run's distance is how far it falls short of the
    // test, so the runs that pass are at distance 0, and when more than the final 2% pass, the
    // tolerance is 0 and the accepted runs are those (rejection, unweighted).
    let scored = table(&d.join("a/patterns.csv"));
    let passing: Vec<&String> = scored
        .iter()
        .filter(|r| r["all_ok"] == "1")
        .map(|r| &r["run"])
        .collect();
    assert!(passing.len() > 40, "{}", passing.len());
    let accepted = table(&d.join("a/abc_accepted.csv"));
    assert_eq!(accepted.len(), passing.len());
    assert!(
        accepted
            .iter()
            .all(|a| a["distance"].parse::<f64>() == Ok(0.0)
                && a["weight"].parse::<f64>() == Ok(1.0))
    );
    let runs: std::collections::BTreeSet<&String> = accepted.iter().map(|a| &a["run"]).collect();
    assert!(passing.iter().all(|r| runs.contains(r)));
    let post = table(&d.join("a/posterior.csv"));
    assert_eq!(post.len(), accepted.len());
    assert!(
        post.iter()
            .zip(&accepted)
            .all(|(p, a)| p["run"] == a["run"])
    );
    let schedule = table(&d.join("a/abc_schedule.csv"));
    assert_eq!(schedule.len(), 5 * 11, "five steps of eleven parameters");
    let abc = table(&d.join("a/abc.csv"));
    assert_eq!(abc.len(), 11);
    // Each marginal is fitted on the scale of its prior: the log-uniform rationality as a
    // truncated normal of its logarithm, the others on their own scale.
    for r in &abc {
        let log = r["param"] == "model.rationality";
        let want = if log {
            "LogTruncNormal("
        } else {
            "TruncNormal("
        };
        assert!(r["fitted"].starts_with(want), "{r:?}");
    }
    fitted_laws_draw_their_posterior(&abc);
    // The posterior scenario is valid and satisfies the pattern more often, on another seed.
    ok(&["validate", emitted.to_str().unwrap()]);
    let rate = |scenario: &str, name: &str| -> f64 {
        ok(&[
            "patterns",
            scenario,
            "--patterns",
            pats.to_str().unwrap(),
            "--runs",
            "2000",
            "--seed",
            "99",
            "--quiet",
            "--out",
            d.join(name).to_str().unwrap(),
        ]);
        let j: serde_json::Value =
            serde_json::from_str(&text(&d.join(name).join("patterns.json"))).unwrap();
        j["all"].as_f64().unwrap()
    };
    let (prior, posterior) = (rate(EX, "prior"), rate(emitted.to_str().unwrap(), "post"));
    // Better by more than three standard errors of the difference of two rates of 2,000 runs
    // (a fixed margin would depend on how often the prior already fits).
    let se = ((prior * (1.0 - prior) + posterior * (1.0 - posterior)) / 2000.0).sqrt();
    assert!(
        posterior > prior + 3.0 * se,
        "prior {prior}, posterior {posterior}, 3 se {}",
        3.0 * se
    );
    // It does not overwrite a file unless forced.
    let e = failure(&[
        "patterns",
        EX,
        "--patterns",
        pats.to_str().unwrap(),
        "--runs",
        "10",
        "--abc",
        "--emit-scenario",
        emitted.to_str().unwrap(),
        "--out",
        d.join("b").to_str().unwrap(),
    ]);
    assert!(e.contains("already exists"), "{e}");
}

#[test]
fn a_trajectory_pattern_is_the_mean_of_its_column_over_the_window() {
    // Quantity::Trajectory: per run, the mean of a trajectories.csv column over the actors'
    // rounds in the window, the same numbers `run --trajectories` writes for the same seed.
    let d = scratch("trajpat");
    let pats = d.join("t.ron");
    std::fs::write(
        &pats,
        r#"(patterns: [(id: "tar", name: "ALLY's tariff, rounds 1-3", quantity: Trajectory(actors: ["ALLY"], column: "tariff", rounds: (1, 3)), test: Gt(0.0))])"#,
    )
    .unwrap();
    let (p, r) = (d.join("p"), d.join("r"));
    let common = ["--runs", "6", "--seed", "3", "--quiet", "--out"];
    let pats = pats.to_str().unwrap();
    let mut args = vec!["patterns", EX, "--patterns", pats];
    args.extend(common);
    args.push(p.to_str().unwrap());
    ok(&args);
    let mut args = vec!["run", EX, "--trajectories", "6"];
    args.extend(common);
    args.push(r.to_str().unwrap());
    ok(&args);
    let traj = table(&r.join("trajectories.csv"));
    for row in table(&p.join("patterns.csv")) {
        let rounds: Vec<f64> = traj
            .iter()
            .filter(|t| {
                t["run"] == row["run"]
                    && t["actor"] == "ALLY"
                    && (1..=3).contains(&t["round"].parse::<u32>().unwrap())
            })
            .map(|t| t["tariff"].parse().unwrap())
            .collect();
        assert_eq!(rounds.len(), 3);
        let mean = rounds.iter().sum::<f64>() / 3.0;
        let got: f64 = row["tar"].parse().unwrap();
        assert!(
            (got - mean).abs() < 1e-12,
            "run {}: {got} {mean}",
            row["run"]
        );
    }
}

#[test]
fn bad_pattern_files_name_the_file_and_the_field() {
    let d = scratch("badpat");
    let cases = [
        (
            r#"(patterns: [(id: "x", name: "n", quantity: Metric("rent"), test: Gt(0.0))])"#,
            "unknown metric \"rent\"",
        ),
        (
            r#"(patterns: [(id: "x", name: "n", quantity: Tariff(actors: ["XX"], round: 1), test: Gt(0.0))])"#,
            "unknown actor \"XX\"",
        ),
        (
            r#"(patterns: [(id: "x", name: "n", quantity: ActionShare(actors: ["ALLY"], actions: ["Z"], rounds: (0, 1)), test: Gt(0.0))])"#,
            "unknown action \"Z\"",
        ),
        (
            r#"(patterns: [(id: "x", name: "n", quantity: Trajectory(actors: ["ALLY"], column: "action", rounds: (0, 1)), test: Gt(0.0))])"#,
            "unknown number column \"action\" of trajectories.csv",
        ),
        (
            r#"(patterns: [(id: "x", name: "n", quantity: Metric("hegemon_rent"), test: Gt(0.0), target: 2.0)])"#,
            "patterns[0] (x).target",
        ),
        (r#"(patterns: [(id: "x", name: "n")])"#, "bad.ron:1:"),
    ];
    for (k, (body, want)) in cases.iter().enumerate() {
        let f = d.join("bad.ron");
        std::fs::write(&f, body).unwrap();
        let e = failure(&[
            "patterns",
            EX,
            "--patterns",
            f.to_str().unwrap(),
            "--runs",
            "5",
            "--out",
            d.join(format!("o{k}")).to_str().unwrap(),
        ]);
        assert!(e.contains("bad.ron") && e.contains(want), "case {k}: {e}");
        assert!(!d.join(format!("o{k}")).exists());
    }
}

#[test]
fn discover_finds_a_box_of_the_runs_of_interest() {
    let d = scratch("discover");
    let runs = d.join("runs");
    let r = runs.to_str().unwrap();
    ok(&[
        "run", EX, "--runs", "600", "--seed", "3", "--quiet", "--out", r,
    ]);
    let out = d.join("a");
    let args = |out: &Path| {
        vec![
            "discover".to_string(),
            r.to_string(),
            "--metric".into(),
            "hegemon_rent".into(),
            "--above".into(),
            "1040".into(),
            "--threshold".into(),
            "0.5".into(),
            "--out".into(),
            out.to_str().unwrap().into(),
        ]
    };
    let a: Vec<String> = args(&out);
    let shown = ok(&as_strs(&a));
    assert!(
        shown.contains("runs have hegemon_rent above 1040")
            && shown.contains("coverage")
            && shown.contains("model.elasticity_lr"),
        "{shown}"
    );
    let traj = table(&out.join("prim_trajectory.csv"));
    let num = |row: &std::collections::BTreeMap<String, String>, c: &str| -> f64 {
        row[c].parse().unwrap()
    };
    // The first box holds every run; each peel removes runs and raises the density.
    assert_eq!(traj[0]["phase"], "start");
    assert_eq!(
        (num(&traj[0], "coverage"), num(&traj[0], "mass")),
        (1.0, 1.0)
    );
    assert_eq!(traj[0]["runs"], "600");
    assert!(traj.len() > 5);
    for w in traj.windows(2).filter(|w| w[1]["phase"] == "peel") {
        assert!(num(&w[1], "mass") < num(&w[0], "mass"));
        assert!(num(&w[1], "density") > num(&w[0], "density"));
    }
    // The box restricts the long-run elasticity (the rent's main driver), and every
    // parameter of runs.csv has a row.
    let bx = table(&out.join("prim_box.csv"));
    assert_eq!(bx.len(), 11);
    let el = bx
        .iter()
        .find(|b| b["parameter"] == "model.elasticity_lr")
        .unwrap();
    assert_eq!(el["restricted"], "true");
    assert!(num(el, "lower") <= num(el, "upper") && num(el, "min") <= num(el, "lower"));
    let m: serde_json::Value = serde_json::from_slice(&bytes(&out.join("manifest.json"))).unwrap();
    assert_eq!(
        (m["kind"].as_str(), m["rule"].as_str()),
        (Some("discover"), Some("above"))
    );
    assert_eq!(m["box_meets_threshold"], true);
    // Same input, same files; --force replaces the folder, which is refused without it.
    let e = failure(&as_strs(&a));
    assert!(e.contains("already exists"), "{e}");
    let b = d.join("b");
    let mut again = args(&b);
    again.push("--quiet".into());
    assert!(ok(&as_strs(&again)).is_empty());
    for f in ["prim_trajectory.csv", "prim_box.csv"] {
        assert_eq!(bytes(&out.join(f)), bytes(&b.join(f)), "{f}");
    }
    again.push("--force".into());
    ok(&as_strs(&again));

    // The report of the discover folder draws PRIM's trade-off and the chosen box, with the
    // restricted parameters' limits in a table (#19).
    let rep = d.join("rep");
    let said = ok(&[
        "report",
        out.to_str().unwrap(),
        "--out",
        rep.to_str().unwrap(),
    ]);
    assert!(said.starts_with("2 charts"), "{said}");
    for f in ["prim.svg", "prim_box.svg"] {
        assert!(rep.join("plots").join(f).is_file(), "{f}");
    }
    let html = String::from_utf8(bytes(&rep.join("report.html"))).unwrap();
    assert!(html.contains("<h2>Scenario discovery</h2>"));
    assert!(html.contains("hegemon_rent above 1040"));
    assert!(html.contains("prim_box.csv (the restricted parameters)"));
    assert!(html.contains("model.elasticity_lr"));
    let restricted = bx.iter().filter(|b| b["restricted"] == "true").count();
    let box_svg = String::from_utf8(bytes(&rep.join("plots/prim_box.svg"))).unwrap();
    assert!(box_svg.contains("model.elasticity_lr"));
    assert!(html.contains(&format!("The {restricted} parameters the box restricts")));

    // Errors: an unknown metric lists the metrics; every run of interest; no runs.csv.
    let e = failure(&["discover", r, "--metric", "rent", "--below", "1"]);
    assert!(
        e.contains("unknown metric \"rent\"") && e.contains("hegemon_rent"),
        "{e}"
    );
    let e = failure(&["discover", r, "--metric", "hegemon_rent", "--above", "0"]);
    assert!(e.contains("600 of 600"), "{e}");
    let e = failure(&[
        "discover",
        d.to_str().unwrap(),
        "--metric",
        "x",
        "--below",
        "1",
    ]);
    assert!(e.contains("has no runs.csv"), "{e}");
    let e = failure(&["discover", r, "--metric", "hegemon_rent"]);
    assert!(e.contains("--below") && e.contains("--above"), "{e}");
    let e = failure(&[
        "discover",
        r,
        "--metric",
        "hegemon_rent",
        "--below",
        "1",
        "--alpha",
        "0.5",
    ]);
    assert!(e.contains("0.5"), "{e}");
}

#[test]
fn report_draws_the_folders_of_sweep_sensitivity_and_compare() {
    let d = scratch("report");
    let (sw, se, cmp) = (d.join("sweep"), d.join("sens"), d.join("cmp"));
    ok(&[
        "sweep",
        EX,
        "--param",
        "model.hedge_cost=0:1",
        "--points",
        "6",
        "--runs",
        "20",
        "--quiet",
        "--out",
        sw.to_str().unwrap(),
    ]);
    ok(&[
        "sensitivity",
        EX,
        "--method",
        "morris",
        "--samples",
        "4",
        "--runs",
        "3",
        "--quiet",
        "--out",
        se.to_str().unwrap(),
    ]);
    ok(&[
        "compare",
        EX,
        "scenarios/examples/constrained.ron",
        "--runs",
        "50",
        "--quiet",
        "--out",
        cmp.to_str().unwrap(),
    ]);
    for (dir, chart) in [
        (&sw, "plots/sweep.svg"),
        (&se, "plots/sensitivity_morris.svg"),
    ] {
        ok(&["report", dir.to_str().unwrap()]);
        assert!(dir.join(chart).is_file(), "{}", dir.join(chart).display());
    }
    ok(&["report", cmp.to_str().unwrap()]);
    let html = text(&cmp.join("report.html"));
    assert!(
        html.contains("hegemon_rent") && html.contains("constrained"),
        "no compare table"
    );
    // A folder of nothing statecraft wrote is refused with the reason.
    let e = failure(&["report", d.to_str().unwrap()]);
    assert!(e.contains("summary.json"), "{e}");
}

#[test]
fn sweep_shards_merge_into_the_unsharded_sweep_byte_for_byte() {
    let d = scratch("sweepshards");
    let base = |out: &Path, extra: &[&str]| {
        let mut a = vec![
            "sweep",
            EX,
            "--param",
            "model.hedge_cost=0:1",
            "--param",
            "actors.ALLY.resolve",
            "--design",
            "sobol",
            "--points",
            "10",
            "--runs",
            "15",
            "--per-run",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ];
        a.extend_from_slice(extra);
        ok(&a);
    };
    base(&d.join("whole"), &[]);
    let shard = |k: usize| d.join(format!("s{k}"));
    for k in 0..3 {
        base(&shard(k), &["--shard", &format!("{k}/3")]);
    }
    let merged = d.join("merged");
    // In any order.
    ok(&[
        "merge",
        shard(2).to_str().unwrap(),
        shard(0).to_str().unwrap(),
        shard(1).to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
        "--quiet",
    ]);
    for f in ["sweep.csv", "runs.csv"] {
        assert_eq!(text(&d.join("whole").join(f)), text(&merged.join(f)), "{f}");
    }
    let e = failure(&[
        "merge",
        shard(0).to_str().unwrap(),
        shard(2).to_str().unwrap(),
        "--out",
        d.join("gap").to_str().unwrap(),
    ]);
    assert!(e.contains("design points") && e.contains("missing"), "{e}");
    let other = d.join("other");
    ok(&[
        "sweep",
        EX,
        "--param",
        "model.hedge_cost=0:1",
        "--points",
        "10",
        "--runs",
        "15",
        "--shard",
        "1/3",
        "--quiet",
        "--out",
        other.to_str().unwrap(),
    ]);
    let e = failure(&[
        "merge",
        shard(0).to_str().unwrap(),
        other.to_str().unwrap(),
        shard(2).to_str().unwrap(),
        "--out",
        d.join("mixed").to_str().unwrap(),
    ]);
    assert!(e.contains("different sweeps"), "{e}");
}

/// Every fitted marginal of `abc.csv` draws its posterior's mean within four Monte Carlo
/// standard errors of the accepted sample's (sd/sqrt(n); the fit rounds to four significant
/// digits) and puts the sample's 5% and 95% quantiles at probabilities within four standard
/// errors of a sample quantile's level (sqrt(p(1 - p)/n)) plus 0.02 for the shape a two-moment
/// law cannot follow.
fn fitted_laws_draw_their_posterior(abc: &[std::collections::BTreeMap<String, String>]) {
    for r in abc.iter().filter(|r| !r["fitted"].is_empty()) {
        let law: statecraft_core::Param = ron::from_str(&r["fitted"]).unwrap();
        let num = |k: &str| r[k].parse::<f64>().unwrap();
        let n = num("n_eff");
        // The law's CDF at x, over a fine grid of its quantiles.
        let grid = 20_000;
        let draws: Vec<f64> = (0..grid)
            .map(|k| law.quantile((f64::from(k) + 0.5) / f64::from(grid)))
            .collect();
        let cdf = |x: f64| draws.iter().filter(|&&d| d <= x).count() as f64 / f64::from(grid);
        let mean = draws.iter().sum::<f64>() / f64::from(grid);
        let sd = (draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / f64::from(grid)).sqrt();
        let (m, p5, p95) = (
            num("posterior_mean"),
            num("posterior_p5"),
            num("posterior_p95"),
        );
        assert!(
            (mean - m).abs() <= 4.0 * sd / n.sqrt() + 1e-3 * m.abs(),
            "{}: the fitted law draws a mean of {mean}, the posterior's is {m} ({})",
            r["param"],
            r["fitted"]
        );
        for (q, p) in [(p5, 0.05), (p95, 0.95)] {
            let tol = 4.0 * (p * (1.0 - p) / n).sqrt() + 0.02;
            assert!(
                (cdf(q) - p).abs() <= tol,
                "{}: the posterior's {p} quantile {q} lies at {} of the fitted law ({})",
                r["param"],
                cdf(q),
                r["fitted"]
            );
        }
    }
}

/// The columns of a CSV (all but `run`), each as numbers in row order, by header.
fn columns(p: &Path) -> std::collections::BTreeMap<String, Vec<f64>> {
    let mut out: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    for r in table(p) {
        for (k, v) in r {
            if let Ok(x) = v.parse::<f64>() {
                out.entry(k).or_default().push(x);
            }
        }
    }
    out
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    (
        m,
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n).sqrt(),
    )
}

fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let ((mx, sx), (my, sy)) = (mean_sd(x), mean_sd(y));
    let n = x.len() as f64;
    x.iter()
        .zip(y)
        .map(|(a, b)| (a - mx) * (b - my))
        .sum::<f64>()
        / (n * sx * sy)
}

/// `patterns --abc --emit-scenario` in its three modes, the emitted scenarios run: every
/// emitted parameter draws its posterior's mean and 90% interval within Monte Carlo error, and
/// the joint sample (`--emit-as sample`) also keeps the runs' draws together.
///
/// The reference is the accepted sample (posterior.csv): all of it for `normal`, its first
/// K = --emit-max rows for `choice` and `sample`, whose laws are those K values exactly. With
/// n emitted runs and m reference draws, the means agree within 4·sd·√(1/n + 1/m) (m = ∞ for
/// the exact laws), and the share of emitted draws below the reference's p-quantile is p
/// within 4·√(p(1 − p)(1/n + 1/m)) (binomial), plus 1/K for an empirical quantile's own step,
/// and 0.02 for the shape a two-moment fit cannot follow (`normal`).
#[test]
fn emitted_posteriors_draw_their_accepted_sample() {
    let d = scratch("emit_modes");
    let pats = d.join("concede.ron");
    std::fs::write(
        &pats,
        r#"(patterns: [(id: "concedes", name: "the ally almost always concedes",
            quantity: ActionShare(actors: ["ALLY"], actions: ["C", "CG", "B"], rounds: (0, 19)),
            test: Gt(0.9))])"#,
    )
    .unwrap();
    let (n, k) = (4000usize, 500usize);
    for mode in ["normal", "choice", "sample"] {
        let emitted = d.join(format!("{mode}.ron"));
        let abc = d.join(format!("abc-{mode}"));
        ok(&[
            "patterns",
            EX,
            "--patterns",
            pats.to_str().unwrap(),
            "--runs",
            "3000",
            "--abc",
            "--emit-scenario",
            emitted.to_str().unwrap(),
            "--emit-as",
            mode,
            "--emit-max",
            &k.to_string(),
            "--quiet",
            "--out",
            abc.to_str().unwrap(),
        ]);
        let post = columns(&abc.join("posterior.csv"));
        let accepted = post.values().next().unwrap().len();
        assert!(accepted > k, "{accepted} accepted runs");
        let sc = text(&emitted);
        if mode == "sample" {
            assert!(
                sc.contains(&format!("joint posterior sample of {k} accepted runs")),
                "{sc}"
            );
        }
        let out = d.join(format!("run-{mode}"));
        ok(&[
            "run",
            emitted.to_str().unwrap(),
            "--runs",
            &n.to_string(),
            "--seed",
            "11",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]);
        let runs = columns(&out.join("runs.csv"));
        let (m, step, shape) = match mode {
            "normal" => (accepted as f64, 0.0, 0.02),
            _ => (f64::INFINITY, 1.0 / k as f64, 0.0),
        };
        let inv = 1.0 / n as f64 + 1.0 / m;
        for (path, all) in post.iter().filter(|(p, _)| p.as_str() != "run") {
            let reference = if mode == "normal" {
                &all[..]
            } else {
                &all[..k]
            };
            let drawn = &runs[path];
            let ((rm, rsd), (dm, _)) = (mean_sd(reference), mean_sd(drawn));
            assert!(
                (dm - rm).abs() <= 4.0 * rsd * inv.sqrt() + 1e-3 * rm.abs(),
                "{mode}: {path} draws a mean of {dm}, its posterior's is {rm}"
            );
            let mut sorted = reference.to_vec();
            sorted.sort_by(f64::total_cmp);
            for p in [0.05, 0.95] {
                let q = statecraft_runner::stats::quantile_sorted(&sorted, p);
                let below = drawn.iter().filter(|&&x| x <= q).count() as f64 / n as f64;
                let tol = 4.0 * (p * (1.0 - p) * inv).sqrt() + step + shape;
                assert!(
                    (below - p).abs() <= tol,
                    "{mode}: {path}: {below} of the draws lie below the posterior's {p} quantile {q} (tolerance {tol})"
                );
            }
        }
        // The pair of parameters the patterns make most dependent.
        let paths: Vec<&String> = post.keys().filter(|p| p.as_str() != "run").collect();
        let (a, b) = paths
            .iter()
            .flat_map(|a| paths.iter().map(move |b| (*a, *b)))
            .filter(|(a, b)| a < b)
            .max_by(|x, y| {
                let r =
                    |(a, b): &(&String, &String)| correlation(&post[*a][..k], &post[*b][..k]).abs();
                r(x).total_cmp(&r(y))
            })
            .unwrap();
        let (want, got) = (
            correlation(&post[a][..k], &post[b][..k]),
            correlation(&runs[a], &runs[b]),
        );
        // The sample correlation's standard error is about (1 − ρ²)/√n.
        let se = (1.0 - want * want) / (n as f64).sqrt();
        assert!(
            want.abs() > 10.0 * se,
            "{a} and {b}: correlation {want} only"
        );
        if mode == "sample" {
            assert!(
                (got - want).abs() <= 4.0 * se,
                "{a} and {b}: correlation {got} drawn, {want} accepted"
            );
            // Each run takes a whole accepted row: its draws of every parameter are one
            // accepted run's, bit for bit.
            let rows: std::collections::BTreeSet<Vec<u64>> = (0..k)
                .map(|i| paths.iter().map(|p| post[*p][i].to_bits()).collect())
                .collect();
            for i in 0..n {
                let row: Vec<u64> = paths.iter().map(|p| runs[*p][i].to_bits()).collect();
                assert!(rows.contains(&row), "run {i} is no accepted row");
            }
        } else {
            // The marginal modes lose the joint: that is what the sample is for.
            assert!(
                got.abs() <= 4.0 * se,
                "{mode}: {a} and {b}: correlation {got}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// A joint sample survives `convert` to JSON and back (the same runs, bit for bit), shows in
/// `validate --params`, and a malformed one is refused with its field.
#[test]
fn a_param_sample_converts_validates_and_is_checked() {
    let d = scratch("param_sample");
    let base = text(&root().join(EX));
    let with = |sample: &str| {
        let end = base.rfind(')').unwrap();
        format!("{}    param_sample: Some(({sample})),\n)\n", &base[..end])
    };
    let sc = d.join("s.ron");
    std::fs::write(
        &sc,
        with(
            r#"paths: ["model.hedge_cost", "actors.ALLY.resolve"],
            rows: [[0.1, 0.05], [0.3, 0.2], [0.5, 0.25]]"#,
        ),
    )
    .unwrap();
    let sc = sc.to_str().unwrap();
    let shown = ok(&["validate", "--params", sc]);
    assert!(
        shown.contains("param_sample column 1 (3 rows)") && shown.contains("mean 0.1667"),
        "{shown}"
    );
    let (json, back) = (d.join("s.json"), d.join("back.ron"));
    ok(&[
        "convert",
        sc,
        "--to",
        "json",
        "--out",
        json.to_str().unwrap(),
    ]);
    assert!(text(&json).contains("\"param_sample\""));
    ok(&[
        "convert",
        json.to_str().unwrap(),
        "--to",
        "ron",
        "--out",
        back.to_str().unwrap(),
    ]);
    let mut outs = Vec::new();
    for (name, file) in [
        ("ron", sc),
        ("json", json.to_str().unwrap()),
        ("back", back.to_str().unwrap()),
    ] {
        let out = d.join(name);
        ok(&[
            "run",
            file,
            "--runs",
            "60",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]);
        outs.push(text(&out.join("runs.csv")));
    }
    assert_eq!(outs[0], outs[1], "RON vs JSON");
    assert_eq!(outs[0], outs[2], "RON vs RON through JSON");
    let rows = table(&d.join("ron/runs.csv"));
    for r in &rows {
        let pair = (
            r["model.hedge_cost"].as_str(),
            r["actors.ALLY.resolve"].as_str(),
        );
        assert!(
            [("0.1", "0.05"), ("0.3", "0.2"), ("0.5", "0.25")].contains(&pair),
            "{pair:?}"
        );
    }
    let bad = d.join("bad.ron");
    std::fs::write(
        &bad,
        with(r#"paths: ["actors.ALLY.resolve"], rows: [[0.1], [1.5]]"#),
    )
    .unwrap();
    let e = failure(&["validate", bad.to_str().unwrap()]);
    assert!(
        e.contains("param_sample.rows[1][0]")
            && e.contains("actors.ALLY.resolve: value 1.5 is outside the allowed range"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// `sweep --design-file` runs a design made elsewhere: the points of a three-level grid given
/// as a file give the grid's sweep.csv, byte for byte (same seed, common random numbers); a
/// bad path or value names the file (#19).
#[test]
fn a_design_made_elsewhere_runs_as_the_same_points_drawn_here() {
    let d = scratch("design-file");
    let (grid, given) = (d.join("grid"), d.join("given"));
    let common = ["--runs", "10", "--seed", "8", "--quiet", "--force"];
    ok(&[
        &[
            "sweep",
            "scenarios/examples/three_actors.ron",
            "--param",
            "model.hedge_cost=0:1",
            "--design",
            "grid",
            "--levels",
            "3",
            "--out",
            grid.to_str().unwrap(),
        ][..],
        &common,
    ]
    .concat());
    let file = d.join("points.csv");
    std::fs::write(&file, "model.hedge_cost\n0\n0.5\n1\n").unwrap();
    ok(&[
        &[
            "sweep",
            "scenarios/examples/three_actors.ron",
            "--design-file",
            file.to_str().unwrap(),
            "--out",
            given.to_str().unwrap(),
        ][..],
        &common,
    ]
    .concat());
    assert!(bytes(&grid.join("sweep.csv")) == bytes(&given.join("sweep.csv")));
    std::fs::write(&file, "model.nope\n1\n").unwrap();
    let e = failure(&[
        "sweep",
        "scenarios/examples/three_actors.ron",
        "--design-file",
        file.to_str().unwrap(),
    ]);
    assert!(e.contains("points.csv") && e.contains("model.nope"), "{e}");
    std::fs::write(&file, "model.hedge_cost\nx\n").unwrap();
    let e = failure(&[
        "sweep",
        "scenarios/examples/three_actors.ron",
        "--design-file",
        file.to_str().unwrap(),
    ]);
    assert!(e.contains("points.csv:2: column model.hedge_cost"), "{e}");
    let _ = std::fs::remove_dir_all(&d);
}
