//! Arbitrary bytes as a scenario: parse, validate, and run 3 rounds of whatever validates.
//! Nothing may panic; every outcome must be finite.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statecraft_core::{Sim, World};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(sc) = statecraft_core::parse(text, "fuzz.ron") else { return };
    let Ok(world) = World::from_scenario(&sc, "fuzz.ron") else { return };
    if world.n() > 200 {
        return;
    }
    let out = Sim::new().run(&world, 1, 0, world.rounds.min(3), None);
    assert!(out.metrics.iter().flatten().all(|x| x.is_finite()));
    assert!(out.actors.iter().all(|a| a.values.iter().all(|x| x.is_finite())));
});
