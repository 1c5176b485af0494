//! Criterion bench of a tournament on the 2025 world: 5 hegemon variants x 8 ally
//! policies (`scenarios/variants/strategies.ron`), 1,000 runs per cell (40,000 runs of 120
//! rounds), cells computed in parallel on all threads, then the bootstrap analysis (1,000
//! resamples). `cargo bench -p statecraft-benches --bench tournament` runs it.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use statecraft_core::World;
use statecraft_core::scenario::{VariantsSpec, WorldSource};
use statecraft_runner::tournament::{TournamentSpec, analyse, run_cells};
use statecraft_tests::{root, scenario, world};

const HEGEMON: [&str; 5] = [
    "paid_10",
    "paid_15",
    "adaptive",
    "reciprocal",
    "constrained",
];
const ALLIES: [&str; 8] = [
    "concede",
    "retaliate",
    "hedge",
    "concede_hedge",
    "bandwagon",
    "tit_for_tat",
    "grim",
    "hedge_then_concede",
];

fn tournament_5x8(c: &mut Criterion) {
    let base = scenario("scenarios/paid_access_2025.ron");
    let text = std::fs::read_to_string(root().join("scenarios/variants/strategies.ron"))
        .expect("strategies file");
    let v: VariantsSpec = ron::from_str(&text).expect("strategies file parses");
    let mut worlds: Vec<World> = Vec::new();
    for h in HEGEMON {
        let s = &v.hegemon.iter().find(|x| x.name == h).expect(h).strategy;
        for a in ALLIES {
            let p = &v.allies.iter().find(|x| x.name == a).expect(a).policy;
            let mut sc = base.clone();
            sc.strategy = s.clone();
            let WorldSource::Inline(w) = &mut sc.world else {
                panic!("world not loaded")
            };
            let (heg, riv) = (w.hegemon.clone(), w.rival.clone());
            for actor in w.actors.iter_mut() {
                if actor.name != heg && Some(&actor.name) != riv.as_ref() {
                    actor.policy = p.clone();
                }
            }
            worlds.push(world(&sc));
        }
    }
    let refs: Vec<&World> = worlds.iter().collect();
    let runs = 1000;
    let spec = TournamentSpec {
        seed: base.seed,
        runs,
        rounds: 120,
        cohesion_weight: 0.0,
        payoff: Default::default(),
    };
    let mut g = c.benchmark_group("tournament");
    g.sample_size(10);
    g.throughput(Throughput::Elements(runs * refs.len() as u64));
    g.bench_function("5x8_1000_runs", |b| {
        b.iter(|| {
            let cells = run_cells(&refs, &spec, (0, runs), &|_| {});
            black_box(analyse(&cells, ALLIES.len(), 1000, spec.seed))
        })
    });
    g.finish();
}

criterion_group!(benches, tournament_5x8);
criterion_main!(benches);
