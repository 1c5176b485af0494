//! The library face (`statecraft_api`) gives the numbers the program writes: a batch those of
//! `statecraft run` (runs.csv, actors.csv, trajectories.csv), a comparison those of
//! `statecraft compare` (compare.csv), a sweep, a sensitivity analysis, patterns with their
//! ABC and a tournament those of their commands, for the same seed.

use std::path::Path;

use crate::common::*;

/// A CSV file: its header and rows.
fn table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).expect("a CSV file");
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// A cell read back as a number (`None`: empty).
fn num(cell: &str) -> Option<f64> {
    (!cell.is_empty()).then(|| cell.parse().expect("a number"))
}

const THREE: &str = "scenarios/examples/three_actors.ron";
const PAID: &str = "scenarios/paid_access_2025.ron";

/// `run_to_folder` writes the folder `statecraft run` writes: every file byte for byte, the
/// manifest but for its timings and command line; an existing folder is refused unless
/// `force`, and never half-replaced.
#[test]
fn the_library_writes_the_folder_of_statecraft_run() {
    let dir = scratch("run_to_folder");
    let (cli, lib) = (dir.join("cli"), dir.join("lib"));
    let args = ["run", PAID, "--runs", "120", "--seed", "5", "--quiet"];
    let extra = ["--trajectories", "4", "--world-series", "--out"];
    ok(&[&args[..], &extra[..], &[cli.to_str().unwrap()]].concat());
    let loaded = statecraft_api::load(&root().join(PAID)).unwrap();
    let opts = statecraft_api::Options {
        runs: Some(120),
        seed: Some(5),
        threads: Some(2),
        trajectories: 4,
        ..Default::default()
    };
    let folder = statecraft_api::FolderOptions {
        world_series: true,
        ..Default::default()
    };
    let written = statecraft_api::run_to_folder(&loaded, &opts, &lib, &folder).unwrap();
    assert_eq!(written.dir, lib);
    for f in [
        "runs.csv",
        "actors.csv",
        "trajectories.csv",
        "world.csv",
        "summary.json",
        "schema.json",
    ] {
        assert!(bytes(&cli.join(f)) == bytes(&lib.join(f)), "{f} differs");
    }
    let manifest = |d: &Path| {
        let mut m: serde_json::Value =
            serde_json::from_str(&text(&d.join("manifest.json"))).unwrap();
        statecraft_results::provenance::without_varying(&mut m);
        m
    };
    assert_eq!(manifest(&cli), manifest(&lib));
    let mut names: Vec<String> = std::fs::read_dir(&lib)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut want: Vec<String> = std::fs::read_dir(&cli)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    want.sort();
    assert_eq!(names, want);
    // An existing folder: refused without force (an input error the CLI exits 2 on).
    let e = statecraft_api::run_to_folder(&loaded, &opts, &lib, &folder).unwrap_err();
    assert!(
        matches!(
            e,
            statecraft_api::Error::Results(statecraft_results::Error::Refused(_))
        ),
        "{e}"
    );
    assert!(e.to_string().contains("already exists"), "{e}");
    let force = statecraft_api::FolderOptions {
        force: true,
        ..Default::default()
    };
    statecraft_api::run_to_folder(&loaded, &opts, &lib, &force).unwrap();
    assert!(!lib.join("world.csv").exists());
    assert!(bytes(&cli.join("runs.csv")) == bytes(&lib.join("runs.csv")));
}

#[test]
fn a_batch_of_the_library_holds_the_numbers_of_statecraft_run() {
    let dir = scratch("run");
    let out = dir.join("out");
    let args = ["run", THREE, "--runs", "40", "--seed", "11", "--quiet"];
    ok(&[
        &args[..],
        &["--trajectories", "3", "--out", out.to_str().unwrap()],
    ]
    .concat());
    let loaded = statecraft_api::load(&root().join(THREE)).unwrap();
    let opts = statecraft_api::Options {
        runs: Some(40),
        seed: Some(11),
        threads: Some(2),
        trajectories: 3,
        ..Default::default()
    };
    let b = statecraft_api::run(&loaded, &opts).unwrap();
    let (header, rows) = table(&out.join("runs.csv"));
    let want: Vec<String> = ["run".to_string()]
        .into_iter()
        .chain(b.params.iter().cloned())
        .chain(b.metrics.iter().cloned())
        .collect();
    assert_eq!(header, want);
    assert_eq!(rows.len(), b.runs.len());
    for (row, r) in rows.iter().zip(&b.runs) {
        assert_eq!(row[0], r.run.to_string());
        let cells: Vec<Option<f64>> = row[1..].iter().map(|c| num(c)).collect();
        let mine: Vec<Option<f64>> = r
            .draws
            .iter()
            .map(|x| Some(*x))
            .chain(r.metrics.clone())
            .collect();
        assert_eq!(cells, mine, "run {}", r.run);
    }
    let (header, rows) = table(&out.join("actors.csv"));
    // run, actor, role (the file's; the library's rows carry the actor's index), then the
    // columns.
    assert_eq!(header[2], "role");
    assert_eq!(header[3..], b.actor_columns[..]);
    assert_eq!(rows.len(), b.actors.len());
    for (row, a) in rows.iter().zip(&b.actors) {
        assert_eq!(
            (row[0].as_str(), row[1].as_str()),
            (a.run.to_string().as_str(), a.actor.as_str())
        );
        assert!(["hegemon", "rival", "ally"].contains(&row[2].as_str()));
        let cells: Vec<f64> = row[3..].iter().map(|c| c.parse().unwrap()).collect();
        assert_eq!(cells, a.values);
    }
    let (_, rows) = table(&out.join("trajectories.csv"));
    let mine: Vec<(u64, &statecraft_api::TrajectoryRow)> = b
        .trajectories
        .iter()
        .flat_map(|t| t.rows.iter().map(move |r| (t.run, r)))
        .collect();
    assert_eq!(b.trajectories.len(), 3);
    assert_eq!(rows.len(), mine.len());
    for (row, (run, t)) in rows.iter().zip(mine) {
        assert_eq!(row[0], run.to_string());
        assert_eq!(row[1], t.round.to_string());
        assert_eq!(row[2], b.actors_named[t.actor]);
        let n = row.len() - 1;
        let cells: Vec<f64> = row[3..n].iter().map(|c| c.parse().unwrap()).collect();
        assert_eq!(cells, t.numbers().collect::<Vec<_>>());
        assert_eq!(row[n], t.action.map_or("NA", |a| a.code()));
    }
    // The summaries, as summary.json has them.
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let theirs = summary["metrics"].as_array().unwrap();
    let mine = b.summaries();
    assert_eq!(theirs.len(), mine.len());
    for (t, s) in theirs.iter().zip(&mine) {
        assert_eq!(t["name"], s.name.as_str());
        assert_eq!(t["n"], s.n);
        for (k, x) in [("mean", s.mean), ("p50", s.p50), ("sd", s.sd)] {
            assert_eq!(t[k].as_f64(), x.is_finite().then_some(x), "{}: {k}", s.name);
        }
        let mean = s.mean.is_finite().then_some(s.mean);
        assert_eq!(b.mean(&s.name), mean, "{}", s.name);
    }
}

#[test]
fn a_comparison_of_the_library_holds_the_numbers_of_statecraft_compare() {
    let dir = scratch("compare");
    let text = std::fs::read_to_string(root().join(THREE)).unwrap();
    let text = text
        .replace("linkage: 0.5", "linkage: 0.1")
        .replace("\"three_actors\"", "\"weak_link\"");
    let variant_file = dir.join("weak_link.ron");
    std::fs::write(&variant_file, &text).unwrap();
    let out = dir.join("out");
    ok(&[
        "compare",
        THREE,
        variant_file.to_str().unwrap(),
        "--runs",
        "60",
        "--seed",
        "5",
        "--bootstrap",
        "300",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let base = statecraft_api::load(&root().join(THREE)).unwrap();
    let variant = statecraft_api::from_text(&text, "variant").unwrap();
    let opts = statecraft_api::Options {
        runs: Some(60),
        seed: Some(5),
        bootstrap: 300,
        ..Default::default()
    };
    let c = statecraft_api::compare(&base, &variant, &opts).unwrap();
    assert_eq!(
        (c.reference.as_str(), c.scenario.as_str()),
        ("three_actors", "weak_link")
    );
    let (header, rows) = table(&out.join("compare.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let theirs: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[col("scenario")] == "weak_link")
        .collect();
    assert_eq!(theirs.len(), c.rows.len());
    assert!(
        c.rows.iter().any(|r| r.metric.starts_with("P(")),
        "event shares are compared"
    );
    for (row, (own, m)) in theirs.into_iter().zip(c.pairs()) {
        assert_eq!(row[col("metric")], m.metric);
        assert_eq!(own.metric, m.metric);
        let reference_mean = rows
            .iter()
            .find(|r| r[col("metric")] == m.metric && r[col("scenario")] == "three_actors")
            .map(|r| num(&r[col("mean")]))
            .unwrap();
        assert_eq!(reference_mean, own.mean, "{}", m.metric);
        for (name, mine) in [
            ("mean", m.mean),
            ("diff", m.diff),
            ("diff_lo", m.diff_lo),
            ("diff_hi", m.diff_hi),
            ("ks_d", m.ks_d),
            ("ks_p", m.ks_p),
            ("mw_p", m.mw_p),
            ("cliffs_delta", m.cliffs_delta),
        ] {
            assert_eq!(num(&row[col(name)]), mine, "{}: {name}", m.metric);
        }
        assert_eq!(row[col("n")], m.n.to_string());
        assert_eq!(row[col("verdict")], m.verdict);
        let paired = m.paired.map_or(String::new(), |p| p.to_string());
        assert_eq!(row[col("paired")], paired);
    }
}

#[test]
fn a_sweep_of_the_library_holds_the_numbers_of_statecraft_sweep() {
    let dir = scratch("sweep");
    let out = dir.join("out");
    ok(&[
        "sweep",
        THREE,
        "--param",
        "model.hedge_cost=0:1",
        "--design",
        "grid",
        "--levels",
        "3",
        "--runs",
        "12",
        "--seed",
        "4",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let loaded = statecraft_api::load(&root().join(THREE)).unwrap();
    let opts = statecraft_api::SweepOptions {
        params: vec![("model.hedge_cost".into(), Some((0.0, 1.0)))],
        design: Some(statecraft_api::DesignKind::Grid),
        levels: Some(3),
        runs: Some(12),
        seed: Some(4),
        ..Default::default()
    };
    let sweep = statecraft_api::Sweep::new(&loaded, &opts).unwrap();
    assert_eq!(
        (sweep.design.as_str(), sweep.total()),
        ("grid, 3 levels", 36)
    );
    let points = sweep.run(&loaded, Some(2)).unwrap();
    let (header, rows) = table(&out.join("sweep.csv"));
    assert_eq!(rows.len(), points.len());
    for (row, p) in rows.iter().zip(&points) {
        assert_eq!(row[0], p.point.to_string());
        assert_eq!(num(&row[1]), Some(p.values[0]));
        for (k, s) in p.summaries.iter().enumerate() {
            let at = 2 + 4 * k;
            assert_eq!(header[at], format!("{}_mean", s.name));
            let mine = [s.mean, s.p5, s.p50, s.p95].map(|x| x.is_finite().then_some(x));
            let theirs: Vec<Option<f64>> = row[at..at + 4].iter().map(|c| num(c)).collect();
            assert_eq!(theirs, mine, "point {}: {}", p.point, s.name);
        }
    }
    // The folder says which columns are what.
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("schema.json")).unwrap()).unwrap();
    assert_eq!(schema["tables"][0]["columns"][1]["kind"], "parameter");
}

#[test]
fn a_tournament_of_the_library_holds_the_numbers_of_statecraft_tournament() {
    let dir = scratch("tournament");
    let out = dir.join("out");
    let args = [
        "--hegemon",
        "OpenOrder,scenario",
        "--allies",
        "AlwaysConcede,Grim",
        "--runs",
        "8",
        "--seed",
        "3",
    ];
    ok(&[
        &["tournament", THREE][..],
        &args,
        &["--quiet", "--out", out.to_str().unwrap()],
    ]
    .concat());
    let loaded = statecraft_api::load(&root().join(THREE)).unwrap();
    let opts = statecraft_api::TournamentOptions {
        hegemon: vec!["OpenOrder".into(), "scenario".into()],
        allies: vec!["AlwaysConcede".into(), "Grim".into()],
        runs: Some(8),
        seed: Some(3),
        ..Default::default()
    };
    let t = statecraft_api::Tournament::new(&loaded, &opts).unwrap();
    assert_eq!((t.worlds.len(), t.total()), (4, 32));
    let played = t.play(Some(2)).unwrap();
    let (header, rows) = table(&out.join("tournament.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mine: Vec<_> = played.cells.iter().flatten().collect();
    assert_eq!(rows.len(), mine.len());
    for (row, r) in rows.iter().zip(mine) {
        assert_eq!(row[col("run")], r.run.to_string());
        for (name, x) in [
            ("hegemon_payoff", r.hegemon_payoff),
            ("rent", r.rent),
            ("cohesion", r.cohesion),
            ("ally_welfare", r.ally_welfare),
        ] {
            assert_eq!(num(&row[col(name)]), Some(x), "{name}");
        }
    }
    // A variant that is neither declared nor a strategy is refused with the choices.
    let bad = statecraft_api::TournamentOptions {
        hegemon: vec!["nonesuch".into()],
        ..opts
    };
    let e = statecraft_api::Tournament::new(&loaded, &bad)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("--hegemon: unknown variant \"nonesuch\""),
        "{e}"
    );
}

#[test]
fn library_errors_read_as_the_program_prints_them() {
    let e = statecraft_api::load(Path::new("no/such/scenario.ron")).unwrap_err();
    let chain = {
        let mut s = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(x) = src {
            s = format!("{s}: {x}");
            src = x.source();
        }
        s
    };
    assert!(
        chain.starts_with("cannot read no/such/scenario.ron: "),
        "{chain}"
    );
    let stderr = failure(&["run", "no/such/scenario.ron"]);
    assert!(stderr.contains(&chain), "{stderr} / {chain}");
    let bad = statecraft_api::from_text("(name: 1)", "bad.ron").unwrap_err();
    assert!(matches!(bad, statecraft_api::Error::Scenario(_)), "{bad:?}");
    assert!(bad.to_string().starts_with("bad.ron:1:"), "{bad}");
}

#[test]
fn a_sensitivity_analysis_of_the_library_holds_the_numbers_of_statecraft_sensitivity() {
    let dir = scratch("sensitivity");
    let out = dir.join("out");
    ok(&[
        "sensitivity",
        THREE,
        "--method",
        "morris",
        "--samples",
        "4",
        "--runs",
        "5",
        "--seed",
        "6",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let loaded = statecraft_api::load(&root().join(THREE)).unwrap();
    let opts = statecraft_api::SensitivityOptions {
        method: statecraft_api::Method::Morris,
        samples: Some(4),
        runs: Some(5),
        seed: Some(6),
        ..Default::default()
    };
    let s = statecraft_api::Sensitivity::new(&loaded, &opts).unwrap();
    let analysis = s.run(&loaded, Some(2)).unwrap();
    let (header, rows) = table(&out.join("sensitivity.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut theirs = rows.iter();
    for m in &analysis.indices {
        let statecraft_api::Indices::Morris(e) = &m.indices else {
            panic!("{}: not Morris's indices", m.name);
        };
        for (f, x) in s.factors.iter().zip(e) {
            let row = theirs.next().expect("a row per metric and parameter");
            assert_eq!(
                (&row[col("metric")], &row[col("param")]),
                (&m.name, &f.path)
            );
            for (name, mine) in [("mu_star", x.mu_star), ("sigma", x.sigma), ("mu", x.mu)] {
                assert_eq!(
                    num(&row[col(name)]),
                    Some(mine),
                    "{} {}: {name}",
                    m.name,
                    f.path
                );
            }
        }
    }
    assert!(
        theirs.next().is_none(),
        "as many rows as the library's indices"
    );
    // design.csv: the design's points and each metric's mean there.
    let (header, rows) = table(&out.join("design.csv"));
    assert_eq!(rows.len(), s.values.len());
    for (&m, means) in s.chosen.iter().zip(header.iter().skip(1 + s.factors.len())) {
        assert_eq!(means, &format!("{}_mean", s.metrics[m]));
    }
    let first = 1 + s.factors.len();
    for (p, row) in rows.iter().enumerate() {
        for (k, &m) in s.chosen.iter().enumerate() {
            let y = analysis.means[m][p];
            assert_eq!(
                num(&row[first + k]),
                y.is_finite().then_some(y),
                "point {p}"
            );
        }
    }
}

#[test]
fn patterns_and_abc_of_the_library_hold_the_numbers_of_statecraft_patterns() {
    let dir = scratch("patterns");
    let out = dir.join("out");
    let paid = "scenarios/paid_access_2025.ron";
    ok(&[
        "patterns",
        paid,
        "--runs",
        "300",
        "--seed",
        "2",
        "--abc",
        "--tolerance",
        "0.1",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let loaded = statecraft_api::load(&root().join(paid)).unwrap();
    let opts = statecraft_api::PatternsOptions {
        runs: Some(300),
        seed: Some(2),
        keep_draws: true,
        ..Default::default()
    };
    let p = statecraft_api::Patterns::new(&loaded, &opts).unwrap();
    let scored = p.score(&loaded, Some(2)).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("patterns.json")).unwrap()).unwrap();
    let rates = p.rates(&scored);
    assert_eq!(json["patterns"], serde_json::to_value(&rates).unwrap());
    let abc = p.abc(
        &loaded,
        &scored,
        &statecraft_api::AbcOptions {
            tolerance: 0.1,
            adjust: false,
        },
    );
    let (header, rows) = table(&out.join("abc.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), abc.shifts.len());
    for (row, t) in rows.iter().zip(&abc.shifts) {
        assert_eq!(row[col("param")], t.path);
        let finite = |x: f64| x.is_finite().then_some(x);
        assert_eq!(num(&row[col("posterior_mean")]), finite(t.posterior[0]));
        assert_eq!(num(&row[col("shift")]), finite(t.shift));
        assert_eq!(row[col("informed")], u64::from(t.informed).to_string());
    }
    let (_, rows) = table(&out.join("posterior.csv"));
    assert_eq!(rows.len(), abc.posterior.sample.len());
}
