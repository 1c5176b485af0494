//! Criterion benches of the engine: one run of the 2025 baseline (13 actors, 120 monthly rounds)
//! and of the docking case (4 actors, 20 rounds), and a 10,000-run batch of the baseline on
//! 1 thread and on all threads.
//!
//! `cargo bench -p statecraft-benches` runs them; runs/s per core = 10,000 / (time of the
//! 1-thread batch), and the speed-up = time(1 thread) / time(all threads).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use statecraft_core::Sim;
use statecraft_runner::{BatchSpec, run_batch};
use statecraft_tests::{scenario, world};

/// One run of `path` for `rounds` rounds, parameters drawn in advance as a batch draws them
/// (one sequential read per chunk): the bench times the rounds and the outcome of one run.
fn one_run_of(c: &mut Criterion, group: &str, path: &str, rounds: u32) {
    let w = world(&scenario(path));
    let mut sim = Sim::new();
    let runs = 4096;
    let mut values = Vec::new();
    w.draw_params_block(1, 0, runs, &mut values);
    let np = w.n_params();
    let mut run = 0usize;
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(1));
    g.bench_function("one_run", |b| {
        b.iter(|| {
            run = (run + 1) % runs;
            let v = &values[run * np..(run + 1) * np];
            black_box(sim.run_with(&w, v, 1, run as u64, rounds, None))
        })
    });
    g.finish();
}

fn one_run(c: &mut Criterion) {
    // The 2025 baseline: 13 actors, 120 monthly rounds (the scenario's own).
    one_run_of(c, "baseline", "scenarios/paid_access_2025.ron", 120);
    // The docking case of the peer benchmark (benches/peers/compare.sh): 4 actors, 20 rounds.
    one_run_of(c, "docking", "scenarios/examples/docking.ron", 20);
}

fn batch(c: &mut Criterion) {
    let w = world(&scenario("scenarios/paid_access_2025.ron"));
    let runs = 10_000;
    let mut g = c.benchmark_group("batch_10k");
    g.sample_size(10);
    g.throughput(Throughput::Elements(runs));
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut counts = vec![1];
    if all > 1 {
        counts.push(all);
    }
    for threads in counts {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let spec = BatchSpec {
            seed: 1,
            first: 0,
            end: runs,
            rounds: w.rounds,
            trajectories: 0,
            world_series: false,
        };
        g.bench_function(format!("threads_{threads}"), |b| {
            b.iter(|| {
                let mut sum = 0.0;
                pool.install(|| {
                    run_batch::<()>(
                        &w,
                        &spec,
                        |recs| {
                            sum += recs
                                .iter()
                                .map(|r| {
                                    r.outcome
                                        .metric(statecraft_core::RunMetric::HegemonRent)
                                        .unwrap_or(0.0)
                                })
                                .sum::<f64>();
                            Ok(())
                        },
                        &|_| {},
                    )
                })
                .expect("batch");
                black_box(sum)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, one_run, batch);
criterion_main!(benches);
