//! Seeded property tests over generated worlds: every generated scenario validates, and every
//! run keeps the model invariants after every phase (checked by the core in debug builds) and
//! ends with finite outcomes.

use statecraft_core::Sim;
use statecraft_tests::generate;

#[test]
fn generated_worlds_keep_every_invariant() {
    let worlds = 1500;
    let mut actors_seen = 0;
    for seed in 0..worlds {
        let sc = generate::scenario(seed, 60);
        let world = statecraft_core::World::from_scenario(&sc, &sc.name)
            .unwrap_or_else(|e| panic!("generated world {seed} does not validate: {e}"));
        actors_seen += world.n();
        let mut sim = Sim::new();
        for run in 0..2 {
            let out = sim.run(&world, seed, run, world.rounds, None);
            for (k, m) in out.metrics.iter().enumerate() {
                if let Some(x) = m {
                    assert!(x.is_finite(), "world {seed} run {run}: metric {k} = {x}");
                }
            }
            for a in &out.actors {
                assert!(
                    a.values.iter().all(|x| x.is_finite()),
                    "world {seed} run {run}: {a:?}"
                );
            }
        }
    }
    assert!(
        actors_seen > worlds as usize * 10,
        "generated worlds are too small: {actors_seen}"
    );
}
