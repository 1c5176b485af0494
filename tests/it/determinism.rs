//! Same seed, same numbers: on any thread count, across invocations, and pinned for one seed.

use statecraft_tests::{batch, scenario, world};

fn bits(recs: &[statecraft_runner::RunRecord]) -> Vec<u64> {
    let mut out = Vec::new();
    for r in recs {
        out.extend(r.draws.iter().map(|x| x.to_bits()));
        out.extend(
            r.outcome
                .metrics
                .iter()
                .map(|m| m.map_or(u64::MAX, f64::to_bits)),
        );
        for a in &r.outcome.actors {
            out.extend(a.values.iter().map(|x| x.to_bits()));
        }
    }
    out
}

#[test]
fn results_are_bitwise_identical_on_one_and_two_threads() {
    let w = world(&scenario("scenarios/paid_access_2025.ron"));
    let one = batch(&w, 11, 600, 40, 0, 1);
    let two = batch(&w, 11, 600, 40, 0, 2);
    let three = batch(&w, 11, 600, 40, 0, 3);
    assert_eq!(bits(&one), bits(&two));
    assert_eq!(bits(&one), bits(&three));
    assert_eq!(
        one.iter().map(|r| r.run).collect::<Vec<_>>(),
        (0..600).collect::<Vec<_>>()
    );
}

#[test]
fn a_run_depends_only_on_seed_and_index() {
    let w = world(&scenario("scenarios/paid_access_2025.ron"));
    let all = batch(&w, 5, 300, 40, 0, 2);
    // Run 257 alone, in a fresh simulator, equals run 257 of the batch.
    let spec = statecraft_runner::BatchSpec {
        seed: 5,
        first: 0,
        end: 300,
        rounds: 40,
        trajectories: 0,
    };
    let alone = statecraft_runner::run_one(&w, &mut statecraft_core::Sim::new(), &spec, 257);
    assert_eq!(bits(&[alone]), bits(&all[257..258]));
    // Another seed gives other numbers.
    let other = batch(&w, 6, 300, 40, 0, 2);
    assert_ne!(bits(&all), bits(&other));
}

#[test]
fn scenarios_on_the_same_world_share_parameter_draws() {
    // Common random numbers: a parameter's draw depends on (seed, run, path) only.
    let a = world(&scenario("scenarios/paid_access_2025.ron"));
    let b = world(&scenario("scenarios/open_order.ron"));
    let ra = batch(&a, 3, 50, 4, 0, 1);
    let rb = batch(&b, 3, 50, 4, 0, 1);
    let paths_b: Vec<&str> = b.uncertain().map(|(_, e)| e.path.as_str()).collect();
    let mut shared = 0;
    for (k, (_, e)) in a.uncertain().enumerate() {
        if let Some(kb) = paths_b.iter().position(|p| *p == e.path) {
            shared += 1;
            for (x, y) in ra.iter().zip(&rb) {
                assert_eq!(x.draws[k].to_bits(), y.draws[kb].to_bits(), "{}", e.path);
            }
        }
    }
    assert!(shared > 100, "only {shared} shared parameters");
}

/// Golden values: any change of results must be deliberate, and shows here first.
/// Pinned: hegemon_rent, ally_welfare_loss, alliance_cohesion, regional_trade_share,
/// fragmentation and share_hedge of runs 0-3 with seed 42. To re-pin after a deliberate
/// change, run the test and copy the printed values.
#[test]
fn golden_values_for_seed_42() {
    let w = world(&scenario("scenarios/paid_access_2025.ron"));
    let recs = batch(&w, 42, 4, 40, 0, 1);
    let got: Vec<[f64; 6]> = recs
        .iter()
        .map(|r| {
            use statecraft_core::RunMetric as M;
            let m = |k: M| r.outcome.metric(k).unwrap_or(-1.0);
            [
                m(M::HegemonRent),
                m(M::AllyWelfareLoss),
                m(M::AllianceCohesion),
                m(M::RegionalTradeShare),
                m(M::Fragmentation),
                m(M::ShareHedge),
            ]
        })
        .collect();
    for (g, p) in got.iter().zip(GOLDEN.iter()) {
        for (x, y) in g.iter().zip(p) {
            assert!(
                (x - y).abs() <= 1e-9 * y.abs().max(1.0),
                "golden values changed: {got:?}"
            );
        }
    }
}

const GOLDEN: [[f64; 6]; 4] = [
    [
        3831.691818761237,
        1.6588935297180065,
        0.6799527241576871,
        0.5291895606566006,
        0.23900955547734004,
        0.65,
    ],
    [
        3097.661719217544,
        2.5242341120871186,
        0.7304135567093396,
        0.33493274583534777,
        0.048668027487871135,
        0.5863636363636363,
    ],
    [
        3491.3765199153972,
        1.7382629666174598,
        0.5870892315364806,
        0.5129393351443952,
        0.213771278128274,
        0.7227272727272728,
    ],
    [
        3692.696807728822,
        2.432243934675446,
        0.6119024314248861,
        0.33918884428306345,
        0.06336328551255832,
        0.45454545454545453,
    ],
];
