//! Tournaments: a best strategy known by construction, the new policies' behaviour, common
//! random numbers across cells, and results identical on any thread count.

use statecraft_core::scenario::{Policy, Scenario, StrategySpec, WorldSource};
use statecraft_core::{Action, Param, World};
use statecraft_runner::tournament::{RunPayoff, TournamentSpec, analyse, run_cells};
use statecraft_tests::{batch, scenario, world};

/// The scenario with every ally (all but the hegemon and the rival) on `policy`.
fn with_allies(sc: &Scenario, policy: &Policy) -> Scenario {
    let mut sc = sc.clone();
    let WorldSource::Inline(w) = &mut sc.world else {
        panic!("world not loaded")
    };
    let (h, r) = (w.hegemon.clone(), w.rival.clone());
    for a in w.actors.iter_mut() {
        if a.name != h && Some(&a.name) != r.as_ref() {
            a.policy = policy.clone();
        }
    }
    sc
}

/// Every (strategy, policy) cell, hegemon-major, run on `threads` threads.
fn play(
    sc: &Scenario,
    strategies: &[StrategySpec],
    policies: &[Policy],
    runs: u64,
    threads: usize,
) -> Vec<Vec<RunPayoff>> {
    let worlds: Vec<World> = strategies
        .iter()
        .flat_map(|s| {
            policies.iter().map(move |p| {
                let mut c = with_allies(sc, p);
                c.strategy = s.clone();
                world(&c)
            })
        })
        .collect();
    let refs: Vec<&World> = worlds.iter().collect();
    let spec = TournamentSpec {
        seed: sc.seed,
        runs,
        rounds: sc.rounds,
        cohesion_weight: 10.0,
        payoff: statecraft_runner::tournament::PayoffConcept::Government,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    pool.install(|| run_cells(&refs, &spec, (0, runs), &|_| {}))
}

/// With linkage 0 (conceding earns no security) and resolve 0 (retaliating earns no domestic
/// reward), an ally facing paid access is better off conceding than retaliating: retaliation
/// brings the escalated tariff, the counter-tariff's cost at home and lost credibility. It
/// must hold in every run (common random numbers pair them), and rank first with certainty.
#[test]
fn conceding_beats_retaliating_without_linkage_or_resolve() {
    let mut sc = scenario("scenarios/examples/three_actors.ron");
    let StrategySpec::PaidAccess(p) = &mut sc.strategy else {
        panic!("three_actors uses PaidAccess")
    };
    p.linkage = Param::Fixed(0.0);
    let WorldSource::Inline(w) = &mut sc.world else {
        panic!()
    };
    for a in w.actors.iter_mut() {
        a.params.resolve = Param::Fixed(0.0);
    }
    let strategy = sc.strategy.clone();
    let policies = [Policy::AlwaysRetaliate, Policy::AlwaysConcede];
    let cells = play(&sc, &[strategy], &policies, 300, 2);
    for (ret, con) in cells[0].iter().zip(&cells[1]) {
        assert_eq!(ret.run, con.run);
        assert!(
            con.ally_welfare > ret.ally_welfare,
            "run {}: concede {} vs retaliate {}",
            con.run,
            con.ally_welfare,
            ret.ally_welfare
        );
    }
    let a = analyse(&cells, 2, 500, 1);
    assert_eq!(a.ally_ranking[0].variant, 1, "AlwaysConcede ranks first");
    assert_eq!(a.ally_ranking[0].p_first, 1.0);
    assert!(a.ally_ranking[0].score.lo > a.ally_ranking[1].score.hi);
}

/// The known-best case the other way round: against a hegemon that demands nothing, every
/// policy keeps the status quo, so every cell has the same payoffs run by run (common random
/// numbers: the same parameter draws in every cell), and the ranking is a tie.
#[test]
fn under_the_open_order_every_policy_pays_the_same_run_by_run() {
    let sc = scenario("scenarios/examples/three_actors.ron");
    let policies = [
        Policy::AlwaysRetaliate,
        Policy::Grim,
        Policy::HedgeThenConcede { rounds: 4 },
    ];
    let cells = play(&sc, &[StrategySpec::OpenOrder], &policies, 100, 2);
    for c in &cells[1..] {
        assert_eq!(c, &cells[0]);
    }
    let a = analyse(&cells, 3, 300, 2);
    for r in &a.ally_ranking {
        assert!((r.p_first - 1.0 / 3.0).abs() < 1e-12, "{r:?}");
    }
}

/// Grim retaliates from the first rise of the demand for the rest of the run; HedgeThenConcede
/// hedges in its first rounds, then concedes; read from trajectories against the reciprocal
/// hegemon of the policies fixture.
#[test]
fn grim_and_hedge_then_concede_in_a_run() {
    let sc = scenario("scenarios/examples/policies.ron");
    let mut sc = sc.clone();
    let WorldSource::Inline(w) = &mut sc.world else {
        panic!()
    };
    w.actors
        .iter_mut()
        .find(|a| a.name == "AC")
        .expect("AC")
        .policy = Policy::Grim;
    w.actors
        .iter_mut()
        .find(|a| a.name == "AH")
        .expect("AH")
        .policy = Policy::HedgeThenConcede { rounds: 5 };
    let w = world(&sc);
    let id = |n: &str| w.names.iter().position(|x| x == n).expect(n);
    for r in batch(&w, 3, 20, w.rounds, 20, 1) {
        let actions = |i: usize| -> Vec<Option<Action>> {
            r.trajectory
                .iter()
                .filter(|t| t.actor == i)
                .map(|t| t.action)
                .collect()
        };
        // The reciprocal hegemon announces 10% in round 0: Grim's trigger.
        assert!(
            actions(id("AC"))
                .iter()
                .all(|a| *a == Some(Action::Retaliate))
        );
        for (t, a) in actions(id("AH")).into_iter().enumerate() {
            let want = if t < 5 {
                Action::Hedge
            } else {
                Action::Concede
            };
            assert_eq!(a, Some(want), "run {} round {t}", r.run);
        }
    }
}

/// Grim is not triggered while nothing is demanded of it, and once triggered it never forgives,
/// unlike tit-for-tat.
#[test]
fn grim_needs_a_demand_to_trigger_and_never_forgives() {
    let mut sc = scenario("scenarios/examples/three_actors.ron");
    // No demand at all in the first rounds: a targeted tariff on the rival only; Grim allies
    // are then asked nothing and keep the status quo (no answer: no action written).
    sc.strategy = StrategySpec::TargetedPunitive {
        rate: Param::Fixed(0.25),
        targets: vec!["RIV".into()],
    };
    let grim = world(&with_allies(&sc, &Policy::Grim));
    for r in batch(&grim, 1, 10, 12, 10, 1) {
        assert!(
            r.trajectory
                .iter()
                .filter(|t| grim.names[t.actor] == "ALLY")
                .all(|t| t.action.is_none())
        );
    }
    // Paid access from round 0 (the announcement rises from nothing): Grim retaliates in every
    // round, tit-for-tat only while the demand keeps rising.
    let sc = scenario("scenarios/examples/three_actors.ron");
    let (g, t) = (
        world(&with_allies(&sc, &Policy::Grim)),
        world(&with_allies(&sc, &Policy::TitForTat)),
    );
    let ally = g.names.iter().position(|n| n == "ALLY").expect("ALLY");
    let count = |w: &World| -> usize {
        batch(w, 2, 20, 20, 20, 2)
            .iter()
            .flat_map(|r| r.trajectory.iter())
            .filter(|x| x.actor == ally && x.action == Some(Action::Retaliate))
            .count()
    };
    assert_eq!(count(&g), 20 * 20);
    assert!(count(&t) < 20 * 20);
}

/// The same tournament on 1 and 3 threads: the same payoffs and the same analysis, bit for bit.
#[test]
fn a_tournament_is_identical_on_any_thread_count() {
    let sc = scenario("scenarios/examples/three_actors.ron");
    let strategies = [
        sc.strategy.clone(),
        StrategySpec::Reciprocal {
            base: Param::Fixed(0.1),
            step: Param::Fixed(0.05),
        },
    ];
    let policies = [Policy::Quantal, Policy::Grim, Policy::TitForTat];
    let one = play(&sc, &strategies, &policies, 600, 1);
    let three = play(&sc, &strategies, &policies, 600, 3);
    assert_eq!(one, three);
    assert_eq!(analyse(&one, 3, 200, 9), analyse(&three, 3, 200, 9));
    // Every cell holds runs 0..600 in order.
    assert!(
        one.iter()
            .all(|c| c.iter().enumerate().all(|(k, r)| r.run == k as u64))
    );
}

/// Every variant of the bundled strategies file is valid on the 2025 world.
#[test]
fn the_bundled_strategies_file_is_valid_on_the_2025_world() {
    let text =
        std::fs::read_to_string(statecraft_tests::root().join("scenarios/variants/strategies.ron"))
            .expect("strategies file");
    let v: statecraft_core::scenario::VariantsSpec =
        ron::from_str(&text).unwrap_or_else(|e| panic!("strategies.ron: {e}"));
    assert!(v.hegemon.len() >= 7 && v.allies.len() >= 10 && !v.profiles.is_empty());
    let base = scenario("scenarios/paid_access_2025.ron");
    for h in &v.hegemon {
        let mut sc = base.clone();
        sc.strategy = h.strategy.clone();
        World::from_scenario(&sc, &h.name).unwrap_or_else(|e| panic!("{}: {e}", h.name));
    }
    for a in &v.allies {
        World::from_scenario(&with_allies(&base, &a.policy), &a.name)
            .unwrap_or_else(|e| panic!("{}: {e}", a.name));
    }
}

/// The Moran process: seeded (the same path twice), one ally changes policy per step at most,
/// and against the reciprocal hegemon, whose escalation makes retaliation ruinous, strong
/// selection fixes concession in the population.
#[test]
fn a_moran_process_is_seeded_and_fixes_the_dominant_policy() {
    use statecraft_runner::tournament::{MoranSpec, moran};
    let w = world(&scenario("scenarios/examples/policies.ron"));
    let policies = [Policy::AlwaysRetaliate, Policy::AlwaysConcede];
    let spec = MoranSpec {
        seed: 11,
        stream: 0,
        steps: 500,
        runs: 4,
        rounds: 12,
        intensity: 5.0,
        baseline: Vec::new(),
        payoff: statecraft_runner::tournament::PayoffConcept::Government,
    };
    let path = moran(&w, &policies, &spec);
    assert_eq!(path, moran(&w, &policies, &spec));
    assert!(path.allies.len() >= 5, "{:?}", path.allies);
    // The seeded population starts mixed, so the process has work to do.
    let start = &path.population[0];
    assert!(start.contains(&0) && start.contains(&1), "{start:?}");
    assert!(path.population.len() > 2);
    for pair in path.population.windows(2) {
        let changed = pair[0].iter().zip(&pair[1]).filter(|(a, b)| a != b).count();
        assert!(changed <= 1);
    }
    assert_eq!(path.fixated, Some(1), "{:?}", path.population.last());
    assert!(path.population.len() <= spec.steps + 1);
    assert!(path.population.last().unwrap().iter().all(|&p| p == 1));
}

/// The population game behind the replicator: the same matrix on 1 and 2 threads, and against
/// the reciprocal hegemon conceding beats retaliating whatever the other allies do.
#[test]
fn the_ally_game_is_thread_independent_and_ranks_concession_above_retaliation() {
    use statecraft_runner::tournament::ally_game;
    let w = world(&scenario("scenarios/examples/policies.ron"));
    let policies = [Policy::AlwaysConcede, Policy::AlwaysRetaliate, Policy::Grim];
    let spec = TournamentSpec {
        seed: 5,
        runs: 20,
        rounds: 12,
        cohesion_weight: 0.0,
        payoff: statecraft_runner::tournament::PayoffConcept::Government,
    };
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool")
            .install(|| ally_game(&[&w], &policies, &spec, 20))
    };
    let a = on(1);
    assert_eq!(a, on(2));
    for q in 0..3 {
        assert!(a[0][q] > a[1][q], "against {q}: {a:?}");
    }
}

/// Issue #16: the national payoff concept scores the hegemon on its national welfare over the
/// run (its `hegemon_welfare`, % of GDP a year, times its GDP and the run's years) and each
/// ally on its national welfare (`welfare` in actors.csv) less the security it expects to
/// lose and the defence above its start that buys part of it; the government concept on the
/// governments' books.
#[test]
fn national_payoffs_are_national_welfare() {
    use statecraft_core::metric::{ActorColumn, RunMetric};
    use statecraft_runner::tournament::PayoffConcept;
    let w = world(&scenario("scenarios/examples/three_actors.ron"));
    let h = w.hegemon;
    let years = 12.0 / f64::from(w.rounds_per_year);
    let gdp = w.params[w.actors[h].gdp as usize].param.mean();
    for r in batch(&w, 3, 20, 12, 0, 1) {
        let o = &r.outcome;
        let nat = RunPayoff::new(r.run, o, 0.0, PayoffConcept::National);
        let heg = o.metric(RunMetric::HegemonWelfare).unwrap() / 100.0 * gdp * years;
        assert!((nat.hegemon_payoff - heg).abs() < 1e-9 * heg.abs().max(1.0));
        for (i, a) in o.actors.iter().enumerate().filter(|&(i, _)| i != h) {
            let p = &o.payoff;
            let want = a.get(ActorColumn::Welfare) - p.security_cost[i] - p.defense_cost[i];
            assert!((nat.welfare[i] - want).abs() < 1e-12, "{i}");
            assert!(p.defense_cost[i] >= 0.0);
            // Defence above its start is part of the government's realised cost too.
            assert!(
                p.defense_cost[i] <= a.get(ActorColumn::WelfareLoss) + 1e-12,
                "{i}"
            );
        }
        let gov = RunPayoff::new(r.run, o, 0.0, PayoffConcept::Government);
        let p = &o.payoff;
        assert_eq!(
            gov.hegemon_payoff,
            p.hegemon_rent - p.hegemon_trade_loss - p.hegemon_controls_loss
        );
        // The two concepts differ: revenue is not a national gain.
        assert!(nat.hegemon_payoff < gov.hegemon_payoff);
    }
}
