//! Every file in `scenarios/` is a test case by being there; broken scenarios in
//! `tests/bad_inputs/` each pin their error message.

use statecraft_core::World;
use statecraft_tests::{batch, bundled, root, scenario, world};

#[test]
fn every_bundled_scenario_validates() {
    let all = bundled();
    assert!(all.len() >= 6, "{all:?}");
    for rel in all {
        let w = world(&scenario(&rel));
        assert!(w.n() >= 2, "{rel}");
    }
}

#[test]
fn baseline_has_the_calibrated_world() {
    let sc = scenario("scenarios/paid_access_2025.ron");
    let w = world(&sc);
    assert_eq!(w.n(), 13);
    assert_eq!(w.rounds, 120);
    assert_eq!(w.rounds_per_year, 12);
    assert_eq!(sc.runs, 10_000);
    assert_eq!(w.names[w.hegemon], "USA");
    assert_eq!(w.rival.map(|c| w.names[c].as_str()), Some("CHN"));
}

/// Each `tests/bad_inputs/NAME.ron` starts with `// expect: MESSAGE`; validating it must fail
/// with exactly that message (file name included).
#[test]
fn bad_inputs_give_their_pinned_messages() {
    let dir = root().join("tests/bad_inputs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/bad_inputs")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "only {} bad inputs", files.len());
    for path in files {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).expect("read");
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// expect: "))
            .unwrap_or_else(|| panic!("{name}: first line must be `// expect: MESSAGE`"));
        let got = match statecraft_core::parse(&text, &name) {
            Err(e) => e.to_string(),
            Ok(sc) => match World::from_scenario(&sc, &name) {
                Err(e) => e.to_string(),
                Ok(_) => panic!("{name} validated but should not"),
            },
        };
        assert_eq!(got, expect, "{name}");
    }
}

/// Every bundled scenario, with its world included, survives RON and JSON round trips
/// unchanged: the text a manifest or `convert` writes reproduces the scenario exactly.
#[test]
fn scenarios_round_trip_through_ron_and_json() {
    for rel in bundled() {
        let sc = scenario(&rel);
        let ron_text = sc.to_ron();
        let back = statecraft_core::parse(&ron_text, &rel).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(back, sc, "{rel}: RON round trip");
        assert_eq!(back.to_ron(), ron_text, "{rel}: RON text is stable");
        let json = serde_json::to_string_pretty(&sc).expect("json");
        let back: statecraft_core::Scenario =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(back, sc, "{rel}: JSON round trip");
    }
}

/// Issue #16's acceptance: with security beliefs as inference (MODEL.md 3.4, phase 5), the
/// three-actor example's cohesion and the ally's defence are distributions, not one value:
/// over 400 runs the 5th and 95th percentiles of each lie apart, and neither is a constant
/// the priors alone fix (the signals are drawn).
#[test]
fn three_actor_cohesion_and_defence_are_not_degenerate() {
    use statecraft_core::{ActorColumn, RunMetric};
    let sc = scenario("scenarios/examples/three_actors.ron");
    let w = world(&sc);
    let ally = w.names.iter().position(|n| n == "ALLY").expect("ALLY");
    let recs = batch(&w, sc.seed, 400, sc.rounds, 0, 2);
    let spread = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        let q = |p: f64| v[(p * (v.len() - 1) as f64) as usize];
        (q(0.05), q(0.5), q(0.95))
    };
    let cohesion = spread(
        recs.iter()
            .map(|r| r.outcome.metric(RunMetric::AllianceCohesion).unwrap())
            .collect(),
    );
    let defense = spread(
        recs.iter()
            .map(|r| r.outcome.actors[ally].get(ActorColumn::Defense))
            .collect(),
    );
    assert!(
        cohesion.2 - cohesion.0 > 0.05,
        "cohesion p5/p50/p95 {cohesion:?}"
    );
    assert!(
        defense.2 - defense.0 > 0.001,
        "defence p5/p50/p95 {defense:?}"
    );
    // No single prior explains most of cohesion's variance: the largest share any drawn
    // parameter explains alone (its squared correlation) stays below a half.
    let y: Vec<f64> = recs
        .iter()
        .map(|r| r.outcome.metric(RunMetric::AllianceCohesion).unwrap())
        .collect();
    let r2 = |k: usize| {
        let x: Vec<f64> = recs.iter().map(|r| r.draws[k]).collect();
        let n = x.len() as f64;
        let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
        let sxy: f64 = x.iter().zip(&y).map(|(a, b)| (a - mx) * (b - my)).sum();
        let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
        let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
        if sxx > 0.0 {
            sxy * sxy / (sxx * syy)
        } else {
            0.0
        }
    };
    let worst = (0..recs[0].draws.len()).map(r2).fold(0.0, f64::max);
    assert!(
        worst < 0.5,
        "one prior explains {worst} of cohesion's variance"
    );
}
