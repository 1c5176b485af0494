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
