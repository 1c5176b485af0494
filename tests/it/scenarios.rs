//! Every file in `scenarios/` is a test case by being there; broken scenarios in
//! `tests/bad_inputs/` each pin their error message.

use statecraft_core::World;
use statecraft_tests::{bundled, root, scenario, world};

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
