//! The tariff-war relations (Johnson 1953; Kennan & Riezman 1988) on the two-country fixture
//! `scenarios/examples/two_country_tariff_war.ron` (MODEL.md 4.4): against free trade (the
//! open order), a large hegemon facing a small retaliator gains from a tariff war, while in a
//! symmetric pair both sides end worse off.

use statecraft_core::Scenario;
use statecraft_core::scenario::{StrategySpec, WorldSource};
use statecraft_tests::{batch, scenario, world};

/// Mean over runs of (the hegemon's net gain: rent − net export loss, bn USD; the other
/// country's welfare, % of GDP per year).
fn payoffs(sc: &Scenario) -> (f64, f64) {
    let recs = batch(&world(sc), sc.seed, 200, sc.rounds, 0, 1);
    let n = recs.len() as f64;
    let h: f64 = recs
        .iter()
        .map(|r| r.outcome.payoff.hegemon_rent - r.outcome.payoff.hegemon_trade_loss)
        .sum::<f64>()
        / n;
    let a: f64 = recs
        .iter()
        .map(|r| r.outcome.payoff.welfare[1])
        .sum::<f64>()
        / n;
    (h, a)
}

fn free_trade(sc: &Scenario) -> Scenario {
    let mut f = sc.clone();
    f.strategy = StrategySpec::OpenOrder;
    f
}

/// The pair made symmetric: the small country gets the hegemon's GDP and mirror-image trade.
fn symmetric(sc: &Scenario) -> Scenario {
    let mut s = sc.clone();
    let WorldSource::Inline(w) = &mut s.world else {
        panic!("the fixture's world is inline");
    };
    w.actors[1].params.gdp = w.actors[0].params.gdp.clone();
    for t in &mut w.trade {
        t.value = match (t.from.as_str(), t.to.as_str()) {
            ("HEG", "SMALL") | ("SMALL", "HEG") => 200.0,
            _ => 1800.0,
        };
    }
    s
}

#[test]
fn a_large_hegemon_gains_from_a_tariff_war_and_a_symmetric_pair_loses() {
    let war = scenario("scenarios/examples/two_country_tariff_war.ron");
    let (h_war, a_war) = payoffs(&war);
    let (h_free, a_free) = payoffs(&free_trade(&war));
    // Free trade: nothing collected, nothing lost.
    assert_eq!((h_free, a_free), (0.0, 0.0));
    assert!(
        h_war > h_free,
        "large hegemon: war {h_war} vs free trade {h_free}"
    );
    assert!(
        a_war < a_free,
        "small country: war {a_war} vs free trade {a_free}"
    );

    let sym = symmetric(&war);
    let (h_sym, a_sym) = payoffs(&sym);
    let (h_sym_free, a_sym_free) = payoffs(&free_trade(&sym));
    assert!(
        h_sym < h_sym_free,
        "symmetric hegemon: war {h_sym} vs {h_sym_free}"
    );
    assert!(
        a_sym < a_sym_free,
        "symmetric partner: war {a_sym} vs {a_sym_free}"
    );
}

/// The fixture with a terms-of-trade channel (MODEL.md 3.4, welfare: ω, s), the hegemon's
/// tariff fixed at `tau` and the partner neither retaliating nor hedging (AlwaysHedge with no
/// hedging capacity): mean over runs of the hegemon's and the partner's national welfare, % of
/// GDP a year.
fn welfare_at(war: &Scenario, omega: f64, tau: f64) -> (f64, f64) {
    use statecraft_core::scenario::{Policy, WelfareSpec};
    use statecraft_core::{ActorColumn, Param, RunMetric};
    let mut sc = war.clone();
    let WorldSource::Inline(w) = &mut sc.world else {
        panic!("the fixture's world is inline");
    };
    w.welfare = Some(WelfareSpec {
        supply_inverse: Param::Fixed(omega),
        rent_share: Param::Fixed(0.3),
    });
    w.actors[1].policy = Policy::AlwaysHedge;
    w.actors[1].params.hedging_capacity = Param::Fixed(0.0);
    sc.strategy = StrategySpec::Reciprocal {
        base: Param::Fixed(tau),
        step: Param::Fixed(0.0),
    };
    let recs = batch(&world(&sc), sc.seed, 20, sc.rounds, 0, 1);
    let n = recs.len() as f64;
    let h = recs
        .iter()
        .map(|r| r.outcome.metric(RunMetric::HegemonWelfare).unwrap())
        .sum::<f64>()
        / n;
    let a = recs
        .iter()
        .map(|r| r.outcome.actors[1].get(ActorColumn::Welfare))
        .sum::<f64>()
        / n;
    (h, a)
}

#[test]
fn with_terms_of_trade_a_large_importer_s_welfare_peaks_at_an_interior_tariff() {
    // Section 3.4, welfare: each round's optimum is (1 + a/ε)^(1/(1 + a)) − 1, a = εω/(1 + εω),
    // at ω = 0.25 from 0.179 (ε = 0.76) to 0.098 (ε = 3) over the fixture's five years. Without
    // ω it is free trade.
    let war = scenario("scenarios/examples/two_country_tariff_war.ron");
    let grid: Vec<f64> = (0..=20).map(|k| 0.02 * f64::from(k)).collect();
    let best = |omega: f64| {
        let w: Vec<(f64, f64)> = grid
            .iter()
            .map(|&t| (t, welfare_at(&war, omega, t).0))
            .collect();
        w.into_iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap()
    };
    let (t_star, w_star) = best(0.25);
    assert!((0.1..=0.18).contains(&t_star), "optimal tariff {t_star}");
    assert!(w_star > 0.0, "gain at the optimum {w_star}");
    assert!(welfare_at(&war, 0.25, 0.4).0 < w_star);
    let (t0, _) = best(0.0);
    assert_eq!(t0, 0.0, "no terms-of-trade channel, no gain from a tariff");
    // The partner loses at every positive tariff, the more the higher.
    let (_, a1) = welfare_at(&war, 0.25, 0.1);
    let (_, a2) = welfare_at(&war, 0.25, 0.3);
    assert!(a2 < a1 && a1 < 0.0, "partner: {a1} at 10%, {a2} at 30%");
}

#[test]
fn a_symmetric_tariff_war_lowers_both_sides_national_welfare() {
    use statecraft_core::scenario::WelfareSpec;
    use statecraft_core::{ActorColumn, Param, RunMetric};
    let mut sym = symmetric(&scenario("scenarios/examples/two_country_tariff_war.ron"));
    let WorldSource::Inline(w) = &mut sym.world else {
        panic!("the fixture's world is inline");
    };
    w.welfare = Some(WelfareSpec {
        supply_inverse: Param::Fixed(0.25),
        rent_share: Param::Fixed(0.3),
    });
    let recs = batch(&world(&sym), sym.seed, 50, sym.rounds, 0, 1);
    for r in &recs {
        let h = r.outcome.metric(RunMetric::HegemonWelfare).unwrap();
        let a = r.outcome.actors[1].get(ActorColumn::Welfare);
        assert!(h < 0.0 && a < 0.0, "hegemon {h}, partner {a}");
    }
}
