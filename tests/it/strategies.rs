//! Strategies and fixed policies behave as MODEL.md says, on the fixtures in
//! `scenarios/examples/`.

use statecraft_core::{ActorColumn, RunMetric};
use statecraft_tests::{batch, scenario, world};

/// Reciprocal (base 10%, +5 points per retaliation, escalation 50 points, max 150%) against
/// each fixed policy, read from the trajectories.
#[test]
fn reciprocal_hegemon_against_each_fixed_policy() {
    let w = world(&scenario("scenarios/examples/policies.ron"));
    let recs = batch(&w, 3, 20, w.rounds, 20, 1);
    let id = |name: &str| w.names.iter().position(|n| n == name).expect(name);
    for r in &recs {
        let path = |name: &str| -> Vec<(f64, Option<statecraft_core::Action>)> {
            r.trajectory
                .iter()
                .filter(|t| t.actor == id(name))
                .map(|t| (t.tariff, t.action))
                .collect()
        };
        use statecraft_core::Action::*;
        // Always retaliating: the reciprocal step adds 5 points a round on top of the
        // escalation, up to the maximum tariff.
        for (t, (tariff, action)) in path("AR").into_iter().enumerate() {
            assert_eq!(action, Some(Retaliate));
            let want = (0.10 + 0.05 * t as f64 + 0.5).min(1.5);
            assert!(
                (tariff - want).abs() < 1e-9,
                "AR round {t}: {tariff} vs {want}"
            );
        }
        // Offer = deal = 10% for those who never retaliate; the bandwagoner's deal is
        // discounted (β_B = 0.1) unless the deal was re-opened that round (back to the offer).
        for (name, action, tariffs) in [
            ("AC", Concede, [0.10, 0.10]),
            ("AH", Hedge, [0.10, 0.10]),
            ("CH", ConcedeHedge, [0.10, 0.10]),
            ("BW", Bandwagon, [0.10 * 0.9, 0.10]),
        ] {
            for (t, (got_tariff, got_action)) in path(name).into_iter().enumerate() {
                assert_eq!(got_action, Some(action), "{name} round {t}");
                assert!(
                    tariffs.iter().any(|x| (got_tariff - x).abs() < 1e-12),
                    "{name} round {t}: {got_tariff}"
                );
            }
        }
        let discounted = path("BW")
            .iter()
            .filter(|(x, _)| (x - 0.09).abs() < 1e-12)
            .count();
        assert!(
            discounted >= 15,
            "the bandwagoner's deal was re-opened in most rounds"
        );
        // Tit-for-tat against reciprocity: every retaliation raises the demand, which is
        // answered again — Conybeare's spiral.
        assert!(path("TT").iter().all(|(_, a)| *a == Some(Retaliate)));
        // The hedgers divert trade, the concession-only actor does not.
        let hedge = |name: &str| r.outcome.actors[id(name)].get(ActorColumn::Hedge);
        assert!(hedge("AH") > hedge("CH") && hedge("CH") > 0.0 && hedge("AC") == 0.0);
        // The bandwagoner aligns with the hegemon.
        assert!(r.outcome.actors[id("BW")].get(ActorColumn::Alignment) > 0.0);
    }
}

/// Under ConstrainedPaidAccess no tariff ever exceeds the cap, escalation included.
#[test]
fn constrained_paid_access_caps_every_tariff() {
    let w = world(&scenario("scenarios/examples/constrained.ron"));
    let recs = batch(&w, 4, 200, w.rounds, 200, 2);
    let mut retaliations = 0;
    for r in &recs {
        for t in &r.trajectory {
            assert!(
                t.tariff <= 0.15 + 1e-12,
                "run {} round {}: {}",
                r.run,
                t.round,
                t.tariff
            );
            retaliations += usize::from(t.action == Some(statecraft_core::Action::Retaliate));
        }
    }
    assert!(
        retaliations > 0,
        "the cap must have been tested against an escalation"
    );
}

/// Under the open order nothing is demanded, so every actor keeps the status quo: no tariff,
/// no hedging, no rent.
#[test]
fn open_order_demands_nothing() {
    let w = world(&scenario("scenarios/open_order.ron"));
    for r in batch(&w, 5, 100, 40, 5, 2) {
        assert_eq!(r.outcome.metric(RunMetric::HegemonRent), Some(0.0));
        // No demand, no answer: the action shares are undefined, not all concessions.
        assert_eq!(r.outcome.metric(RunMetric::ShareConcede), None);
        assert!(r.trajectory.iter().all(|t| t.action.is_none()));
        assert!(
            r.outcome
                .actors
                .iter()
                .all(|a| a.get(ActorColumn::Tariff) == 0.0 && a.get(ActorColumn::Hedge) == 0.0)
        );
    }
}
