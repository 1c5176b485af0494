//! Numeric safety: extreme but valid inputs run without NaN, overflow or panic (the core checks
//! its invariants after every phase in these debug-assertion builds).

use statecraft_core::scenario::{TradeSpec, WorldSource};
use statecraft_core::{Param, Scenario, Sim, World};
use statecraft_tests::scenario;

fn example() -> Scenario {
    scenario("scenarios/examples/three_actors.ron")
}

fn world_mut(sc: &mut Scenario) -> &mut statecraft_core::WorldSpec {
    match &mut sc.world {
        WorldSource::Inline(w) => w,
        WorldSource::File(_) => unreachable!("the example is inline"),
    }
}

/// Runs `runs` runs and checks every outcome is finite.
fn runs_clean(sc: &Scenario, runs: u64) -> Vec<statecraft_core::Outcome> {
    let world = World::from_scenario(sc, &sc.name).unwrap_or_else(|e| panic!("{e}"));
    let mut sim = Sim::new();
    (0..runs)
        .map(|r| {
            let out = sim.run(&world, 1, r, world.rounds, None);
            assert!(
                out.metrics.iter().flatten().all(|x| x.is_finite()),
                "{}: {:?}",
                sc.name,
                out.metrics
            );
            assert!(
                out.actors
                    .iter()
                    .all(|a| a.values.iter().all(|x| x.is_finite())),
                "{}",
                sc.name
            );
            out
        })
        .collect()
}

#[test]
fn tiny_and_huge_economies() {
    for (ally, heg) in [(1e-3, 1e6), (1e6, 1e-3), (1e-6, 1e9)] {
        let mut sc = example();
        let w = world_mut(&mut sc);
        w.actors[1].params.gdp = Param::Fixed(ally);
        w.actors[0].params.gdp = Param::Fixed(heg);
        sc.name = format!("gdp {ally} / {heg}");
        runs_clean(&sc, 50);
    }
}

#[test]
fn elasticities_at_their_bounds() {
    for eps in [0.0, 20.0] {
        let mut sc = example();
        let w = world_mut(&mut sc);
        w.model.elasticity_sr = Param::Fixed(eps);
        w.model.elasticity_lr = Param::Fixed(eps);
        w.model.max_tariff = Param::Fixed(10.0);
        w.model.escalation = Param::Fixed(10.0);
        sc.name = format!("elasticity {eps}");
        runs_clean(&sc, 50);
    }
}

#[test]
fn actors_without_trade_and_a_single_ally() {
    let mut sc = example();
    world_mut(&mut sc).trade.retain(|t| t.from != "ALLY");
    sc.name = "no exports from the ally".into();
    runs_clean(&sc, 50);

    let mut sc = example();
    let w = world_mut(&mut sc);
    w.rival = None;
    w.actors.retain(|a| a.name != "RIV");
    w.trade.retain(|t| t.from != "RIV" && t.to != "RIV");
    w.actors[1].blocs.clear();
    w.blocs.clear();
    if let statecraft_core::scenario::StrategySpec::PaidAccess(p) = &mut sc.strategy {
        p.deal_rates.retain(|(n, _)| n != "RIV");
    }
    sc.name = "one ally".into();
    runs_clean(&sc, 50);
}

#[test]
fn five_hundred_actors() {
    let mut sc = example();
    sc.rounds = 6;
    let w = world_mut(&mut sc);
    let ally = w.actors[1].clone();
    for k in 0..497 {
        let mut a = ally.clone();
        a.name = format!("X{k}");
        w.actors.push(a);
        for (to, value) in [("HEG", 10.0 + k as f64), ("ROW", 30.0), ("RIV", 5.0)] {
            w.trade.push(TradeSpec {
                from: format!("X{k}"),
                to: to.into(),
                value,
            });
        }
        w.trade.push(TradeSpec {
            from: "HEG".into(),
            to: format!("X{k}"),
            value: 3.0,
        });
    }
    sc.name = "500 actors".into();
    let outs = runs_clean(&sc, 2);
    assert_eq!(outs[0].actors.len(), 500);
}

#[test]
fn ten_thousand_rounds() {
    let mut sc = example();
    sc.rounds = 10_000;
    sc.name = "10,000 rounds".into();
    let outs = runs_clean(&sc, 1);
    let a = &outs[0].actors[1];
    // The five action counts (other n_ columns count breaches and sanctions).
    use statecraft_core::ActorColumn as C;
    let counts: f64 = [
        C::NConcede,
        C::NRetaliate,
        C::NHedge,
        C::NConcedeHedge,
        C::NBandwagon,
    ]
    .iter()
    .map(|&c| a.get(c))
    .sum();
    assert_eq!(counts, 10_000.0);
}

/// Regression of `tests/fuzz_regressions/mutate-subnormal-sd.bin`: a valid `TruncNormal` with a
/// subnormal sd on the tariff ceiling.
#[test]
fn degenerate_distributions() {
    let mut sc = example();
    world_mut(&mut sc).model.max_tariff =
        Param::Dist(statecraft_core::Dist::TruncNormal(1.5, 2.6e-321, 0.5, 2.5));
    sc.name = "subnormal sd".into();
    runs_clean(&sc, 20);
}
