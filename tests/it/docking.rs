//! Regression tests for the departures from MODEL.md that the docking test against the
//! independent Mesa implementation found (benches/peers/mesa, MODEL.md "Docking").

use statecraft_tests::{batch, root, world};

/// The docking scenario with `edits` applied to its text.
fn docking_with(edits: &[(&str, &str)]) -> statecraft_core::Scenario {
    let mut text = std::fs::read_to_string(root().join("scenarios/examples/docking.ron"))
        .expect("docking scenario");
    for (from, to) in edits {
        assert!(text.contains(from), "docking.ron has no {from:?}");
        text = text.replace(from, to);
    }
    statecraft_core::parse(&text, "docking-edited").unwrap_or_else(|e| panic!("{e}"))
}

/// A membership that comes into force in the last round has never been in force: it is still
/// pending, not an accession, and has no entry round (MODEL.md 3.4, phase 7). PART starts with
/// a signed application that enters into force with certainty in round 0, so it is a member
/// from round 1.
#[test]
fn a_membership_counts_only_once_it_has_been_in_force() {
    let sc = docking_with(&[
        (
            "eligible: [\"PACT\", \"BIL\"],",
            "eligible: [\"PACT\", \"BIL\"], applications: [(bloc: \"PACT\", stage: Signed)],",
        ),
        ("in_force: 0.25", "in_force: 1"),
        (
            "(from: \"RIV\", to: \"PART\", value: 0.35)",
            "(from: \"RIV\", to: \"PART\", value: 1)",
        ),
    ]);
    let w = world(&sc);
    let names = statecraft_core::metric_names(&w);
    let col = |name: &str| names.iter().position(|n| n == name).expect(name);
    for (rounds, accessions, pending, entry) in [(1, 0.0, 1.0, None), (2, 1.0, 0.0, Some(1.0))] {
        for r in batch(&w, 1, 20, rounds, 0, 1) {
            let m = &r.outcome.metrics;
            assert_eq!(
                m[col("accessions_PACT")],
                Some(accessions),
                "{rounds} rounds"
            );
            assert_eq!(m[col("pending_PACT")], Some(pending), "{rounds} rounds");
            // Its entry: in force from round 1, once it has been.
            assert_eq!(m[col("entry_PACT")], entry, "{rounds} rounds");
        }
    }
}

/// The fixed Bandwagon policy concedes where there is no rival to align against (MODEL.md
/// 3.3): in a world without a rival it never bandwagons.
#[test]
fn the_bandwagon_policy_concedes_without_a_rival() {
    let sc = docking_with(&[
        ("rival: Some(\"RIV\")", "rival: None"),
        ("policy: TitForTat", "policy: Bandwagon"),
    ]);
    let w = world(&sc);
    let riv = w.names.iter().position(|n| n == "RIV").expect("RIV");
    let col = |name: &str| {
        statecraft_core::ActorColumn::ALL
            .iter()
            .position(|c| c.name() == name)
            .expect(name)
    };
    for r in batch(&w, 1, 20, w.rounds, 0, 1) {
        let v = &r.outcome.actors[riv].values;
        assert_eq!(v[col("n_bandwagon")], 0.0);
        assert_eq!(v[col("n_concede")], f64::from(w.rounds));
        assert_eq!(v[col("alignment")], 0.0);
    }
}
