//! Seeded invariant loops over every bundled scenario: no NaN, tariffs in range, trade
//! non-negative, shares in [0, 1], action counts and rounds without a demand summing to the
//! rounds.

use statecraft_core::ActorColumn;
use statecraft_tests::{batch, bundled, scenario, world};

#[test]
fn every_bundled_scenario_keeps_its_invariants() {
    for rel in bundled() {
        let w = world(&scenario(&rel));
        let rounds = w.rounds;
        let runs = 64;
        let recs = batch(&w, 2024, runs, rounds, runs, 2);
        let max_tariff = w
            .params
            .iter()
            .find(|e| e.path == "model.max_tariff")
            .map(|e| e.param.mean())
            .expect("max_tariff");
        for r in &recs {
            for (k, m) in r.outcome.metrics.iter().enumerate() {
                if let Some(x) = m {
                    assert!(x.is_finite(), "{rel} run {} metric {k} = {x}", r.run);
                }
            }
            for (i, a) in r.outcome.actors.iter().enumerate() {
                assert!(
                    a.values.iter().all(|x| x.is_finite()),
                    "{rel} run {} actor {i}",
                    r.run
                );
                if i != w.hegemon {
                    let n: f64 = [
                        ActorColumn::NConcede,
                        ActorColumn::NRetaliate,
                        ActorColumn::NHedge,
                        ActorColumn::NConcedeHedge,
                        ActorColumn::NBandwagon,
                    ]
                    .iter()
                    .map(|&c| a.get(c))
                    .sum();
                    // Rounds without a demand (no action written) are no answer and uncounted.
                    let unanswered = r
                        .trajectory
                        .iter()
                        .filter(|t| t.actor == i && t.action.is_none())
                        .count();
                    assert_eq!(
                        n + unanswered as f64,
                        f64::from(rounds),
                        "{rel}: action counts of actor {i}"
                    );
                }
            }
            // The per-actor accessions add up to the run's accessions over every bloc.
            let k0 = statecraft_core::RunMetric::ALL.len();
            let accessions: f64 = (0..w.blocs.len())
                .map(|b| r.outcome.metrics[k0 + b].expect("accessions"))
                .sum();
            let acceded: f64 = r
                .outcome
                .actors
                .iter()
                .map(|a| a.get(ActorColumn::BlocsAcceded))
                .sum();
            assert_eq!(accessions, acceded, "{rel} run {}: accessions", r.run);
            for t in &r.trajectory {
                let ctx = format!(
                    "{rel} run {} round {} actor {}",
                    r.run, t.round, w.names[t.actor]
                );
                assert!(
                    (0.0..=max_tariff + 1e-12).contains(&t.tariff),
                    "{ctx}: tariff {}",
                    t.tariff
                );
                assert!(
                    t.counter_tariff >= 0.0 && t.counter_tariff.is_finite(),
                    "{ctx}"
                );
                assert!(
                    t.exports_to_hegemon >= 0.0 && t.exports_to_hegemon.is_finite(),
                    "{ctx}"
                );
                for (name, x) in [
                    ("credibility", t.credibility),
                    ("autonomy", t.autonomy),
                    ("hedge", t.hedge),
                ] {
                    assert!((0.0..=1.0).contains(&x), "{ctx}: {name} {x}");
                }
            }
            // Shares are shares.
            use statecraft_core::RunMetric as M;
            let action_shares = [
                M::ShareConcede,
                M::ShareRetaliate,
                M::ShareHedge,
                M::ShareConcedeHedge,
                M::ShareBandwagon,
            ];
            let unit = [
                M::AllianceCohesion,
                M::RegionalTradeShare,
                M::MeanAutonomy,
                M::AlliesAt35Pct,
            ];
            for k in unit.iter().chain(&action_shares) {
                if let Some(x) = r.outcome.metric(*k) {
                    assert!(
                        (-1e-12..=1.0 + 1e-12).contains(&x),
                        "{rel}: {} = {x}",
                        k.name()
                    );
                }
            }
            // They sum to 1, or are all empty where no ally was asked anything.
            let defined: Vec<f64> = action_shares
                .iter()
                .filter_map(|k| r.outcome.metric(*k))
                .collect();
            let shares: f64 = defined.iter().sum();
            assert!(
                defined.is_empty() || (shares - 1.0).abs() < 1e-9,
                "{rel}: action shares sum to {shares}"
            );
        }
    }
}
