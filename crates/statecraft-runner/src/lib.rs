//! statecraft-runner: seeded Monte Carlo batches of a [`World`], run in parallel with rayon and
//! delivered in run-index order, and the statistics of their outcomes.
//!
//! Determinism: run r of a batch with seed s is a pure function of (world, s, r). Runs are
//! computed in fixed chunks of run indices, in parallel, and handed to the caller chunk by chunk
//! in index order; every aggregate is folded sequentially in that order. Results are therefore
//! bit-identical on any number of threads. The runner never reads or writes files and never
//! picks a thread count: the caller installs the rayon pool.

pub mod abc;
pub mod design;
pub mod fit;
pub mod patterns;
pub mod prim;
pub mod sensitivity;
pub mod stats;
pub mod tournament;

use std::borrow::Borrow;

use statecraft_core::{Outcome, Sim, TrajectoryRow, World, WorldRow};

pub use stats::{Aggregator, MetricSummary};

/// Runs per chunk: the unit of parallel work and of delivery to the caller.
pub const CHUNK: u64 = 256;

/// What to run.
#[derive(Clone, Debug)]
pub struct BatchSpec {
    /// Seed of the batch.
    pub seed: u64,
    /// First run index (inclusive).
    pub first: u64,
    /// Last run index (exclusive).
    pub end: u64,
    /// Rounds per run.
    pub rounds: u32,
    /// Record the trajectories of runs with index below this.
    pub trajectories: u64,
    /// Record the world series of every run.
    pub world_series: bool,
}

/// One finished run.
#[derive(Clone, Debug)]
pub struct RunRecord {
    /// Run index.
    pub run: u64,
    /// Drawn values of the world's uncertain parameters, in [`World::uncertain`] order.
    pub draws: Vec<f64>,
    /// The outcome.
    pub outcome: Outcome,
    /// Trajectory rows, if requested for this run.
    pub trajectory: Vec<TrajectoryRow>,
    /// World-series rows, one per round, if requested.
    pub world: Vec<WorldRow>,
}

/// Runs one run with a reusable simulator.
pub fn run_one(world: &World, sim: &mut Sim, spec: &BatchSpec, run: u64) -> RunRecord {
    let mut values = Vec::new();
    world.draw_params(spec.seed, run, &mut values);
    let runs = Runs {
        seed: spec.seed,
        rounds: spec.rounds,
        trajectories: spec.trajectories,
        world_series: spec.world_series,
        first: run,
        per_block: 1,
        start: run,
    };
    let (outcome, (trajectory, world_rows)) = simulate(world, sim, &runs, run, &values);
    RunRecord {
        run,
        draws: draws_of(world, &values),
        outcome,
        trajectory,
        world: world_rows,
    }
}

/// The runs of a batch, a sweep or a tournament: blocks (one world each: a batch has one, a
/// sweep one per design point, a tournament one per cell) of the same runs
/// `first..first + per_block`, numbered consecutively from `start`, block-major: index
/// `start + k·per_block + i` is run `first + i` of block k. [`in_order`] cuts that numbering
/// into chunks and [`run_chunk`] computes one.
#[derive(Clone, Copy, Debug)]
struct Runs {
    /// Seed of every block (common random numbers).
    seed: u64,
    /// Rounds per run.
    rounds: u32,
    /// Record the trajectories of runs with index below this.
    trajectories: u64,
    /// Record the world series of every run.
    world_series: bool,
    /// First run index of every block.
    first: u64,
    /// Runs per block.
    per_block: u64,
    /// The numbering's first index (a batch numbers its runs by run index: `first`).
    start: u64,
}

/// What a run recorded as it went: its trajectory rows and its world series (each empty unless
/// requested).
type Recorded = (Vec<TrajectoryRow>, Vec<WorldRow>);

/// Simulates run `run` of `world` with its drawn parameters `values` (by `ParamId`); the
/// trajectory is recorded when `run` is below `runs.trajectories`, the world series when
/// `runs.world_series`.
fn simulate(
    world: &World,
    sim: &mut Sim,
    runs: &Runs,
    run: u64,
    values: &[f64],
) -> (Outcome, Recorded) {
    let mut trajectory = Vec::new();
    let mut series = Vec::new();
    let want = run < runs.trajectories;
    let outcome = sim.run_recorded(
        world,
        values,
        runs.seed,
        run,
        runs.rounds,
        want.then_some(&mut trajectory),
        runs.world_series.then_some(&mut series),
    );
    (outcome, (trajectory, series))
}

/// The values of a world's uncertain parameters among drawn `values`, in [`World::uncertain`]
/// order.
fn draws_of(world: &World, values: &[f64]) -> Vec<f64> {
    world
        .uncertain()
        .map(|(id, _)| values[id as usize])
        .collect()
}

/// The per-chunk loop of every kind of batch: computes indices `a..b` of a [`Runs`] numbering
/// in order. For each block the chunk crosses, `world(block)` gives its world, the parameters
/// of its runs in the chunk are drawn with one sequential read (`draw_params_block`, into
/// `values`), and each run is simulated; `emit(block, world, run, values, outcome, recorded)`
/// receives every run in index order.
fn run_chunk<W: Borrow<World>>(
    sim: &mut Sim,
    values: &mut Vec<f64>,
    runs: &Runs,
    (a, b): (u64, u64),
    world: impl Fn(usize) -> W,
    mut emit: impl FnMut(usize, &World, u64, &[f64], Outcome, Recorded),
) {
    let (mut g, b) = (a - runs.start, b - runs.start);
    while g < b {
        // One segment: the runs of this chunk in one block.
        let block = (g / runs.per_block) as usize;
        let seg_end = b.min((block as u64 + 1) * runs.per_block);
        let w = world(block);
        let w = w.borrow();
        let (r0, count) = (runs.first + g % runs.per_block, (seg_end - g) as usize);
        w.draw_params_block(runs.seed, r0, count, values);
        let np = w.n_params();
        for k in 0..count {
            let v = &values[k * np..(k + 1) * np];
            let run = r0 + k as u64;
            let (outcome, recorded) = simulate(w, sim, runs, run, v);
            emit(block, w, run, v, outcome, recorded);
        }
        g = seg_end;
    }
}

/// Runs the batch. `deliver` receives every chunk of records in run-index order, and may stop
/// the batch by returning an error; `progress(k)` is called from worker threads as each chunk
/// of k runs completes. Delivery overlaps the computation of the chunks after it. A panic in a
/// run is raised again here when its chunk's turn comes.
pub fn run_batch<E: Send>(
    world: &World,
    spec: &BatchSpec,
    mut deliver: impl FnMut(&[RunRecord]) -> Result<(), E> + Send,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), E> {
    run_batch_with(world, spec, |_| (), |recs, ()| deliver(recs), progress)
}

/// [`run_batch`] with a step run in the worker threads: `prepare` maps each chunk of records
/// to a value (formatted output rows, say) as soon as the chunk is computed, in parallel, and
/// `deliver` receives the chunk and that value in run-index order. Work moved from `deliver`
/// into `prepare` no longer runs on one thread at a time.
pub fn run_batch_with<P: Send, E: Send>(
    world: &World,
    spec: &BatchSpec,
    prepare: impl Fn(&[RunRecord]) -> P + Sync,
    mut deliver: impl FnMut(&[RunRecord], P) -> Result<(), E> + Send,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), E> {
    let runs = Runs {
        seed: spec.seed,
        rounds: spec.rounds,
        trajectories: spec.trajectories,
        world_series: spec.world_series,
        first: spec.first,
        per_block: spec.end.saturating_sub(spec.first),
        start: spec.first,
    };
    in_order(
        spec.first,
        spec.end,
        |sim, values, a, b| {
            let mut recs = Vec::with_capacity((b - a) as usize);
            run_chunk(
                sim,
                values,
                &runs,
                (a, b),
                |_| world,
                |_, w, run, v, outcome, (trajectory, world_rows)| {
                    recs.push(RunRecord {
                        run,
                        draws: draws_of(w, v),
                        outcome,
                        trajectory,
                        world: world_rows,
                    });
                },
            );
            let prepared = prepare(&recs);
            progress(b - a);
            (recs, prepared)
        },
        |(recs, prepared)| deliver(&recs, prepared),
    )
}

/// Computes chunks of `first..end` in parallel with `compute(sim, scratch, a, b)` and hands
/// their results to `deliver` in index order, as soon as each is next in line, on the thread
/// that called (a worker of the current pool; outside any pool, one of the global pool's). At
/// most four chunks per thread are computed ahead of delivery, so memory is bounded whatever
/// the number of runs. There is no barrier between windows: a new chunk starts as each one is
/// delivered, and while the next chunk in line is still being computed the delivering thread
/// computes others (rayon's `yield_now`), or waits when every one left is running elsewhere.
/// `compute` should not itself wait for other rayon work. A panic in `compute` is caught in
/// its task and raised again here when its chunk's turn comes; after an error from `deliver`
/// (or a panic) the chunks not yet started are skipped.
fn in_order<C: Send, E: Send>(
    first: u64,
    end: u64,
    compute: impl Fn(&mut Sim, &mut Vec<f64>, u64, u64) -> C + Sync,
    mut deliver: impl FnMut(C) -> Result<(), E> + Send,
) -> Result<(), E> {
    use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
    use std::sync::atomic::{AtomicBool, Ordering};
    // Chunks are numbered, not listed: memory does not grow with the number of runs, and no
    // index arithmetic can wrap, even with `end` at `u64::MAX`.
    let n_chunks = end.saturating_sub(first).div_ceil(CHUNK);
    let chunk = move |k: u64| {
        let a = first + k * CHUNK;
        (a, a.saturating_add(CHUNK).min(end))
    };
    let window = (rayon::current_num_threads() * 4).max(2);
    let (tx, rx) = std::sync::mpsc::channel::<(u64, std::thread::Result<C>)>();
    let stop = AtomicBool::new(false);
    let (compute, stop) = (&compute, &stop);
    rayon::scope(move |s| {
        let spawn = |k: u64| {
            let tx = tx.clone();
            s.spawn(move |_| {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let (a, b) = chunk(k);
                let c = catch_unwind(AssertUnwindSafe(|| {
                    compute(&mut Sim::new(), &mut Vec::new(), a, b)
                }));
                // The receiver is gone only once delivery has stopped.
                let _ = tx.send((k, c));
            });
        };
        let mut next = n_chunks.min(window as u64);
        (0..next).for_each(spawn);
        let mut ready = std::collections::BTreeMap::new();
        for want in 0..n_chunks {
            let c = loop {
                if let Some(c) = ready.remove(&want) {
                    break c;
                }
                match rx.try_recv() {
                    Ok((k, c)) => {
                        ready.insert(k, c);
                    }
                    Err(_) => {
                        if rayon::yield_now() != Some(rayon::Yield::Executed) {
                            // Every chunk not yet delivered is running on another thread.
                            let (k, c) = rx.recv().expect("a computed chunk");
                            ready.insert(k, c);
                        }
                    }
                }
            };
            let delivered = match c {
                Ok(c) => deliver(c),
                Err(panic) => {
                    stop.store(true, Ordering::Relaxed);
                    resume_unwind(panic)
                }
            };
            if delivered.is_err() {
                stop.store(true, Ordering::Relaxed);
                return delivered;
            }
            if next < n_chunks {
                spawn(next);
                next += 1;
            }
        }
        Ok(())
    })
}

/// One run at one point of a design.
#[derive(Clone, Debug)]
pub struct PointRecord {
    /// Index of the design point.
    pub point: usize,
    /// Replication (run index; the same streams at every point).
    pub run: u64,
    /// Drawn values of the uncertain parameters that are not factors, in
    /// [`World::uncertain`] order of the world at the point.
    pub draws: Vec<f64>,
    /// The outcome.
    pub outcome: Outcome,
}

/// The runs of a design.
#[derive(Clone, Copy, Debug)]
pub struct PointsSpec<'a> {
    /// The factors.
    pub factors: &'a [design::Factor],
    /// Point p fixes factor i at `values[p][i]`.
    pub values: &'a [Vec<f64>],
    /// Seed of every point's batch.
    pub seed: u64,
    /// Replications per point.
    pub runs: u64,
    /// Rounds per run.
    pub rounds: u32,
}

/// Runs `runs` replications at each design point; replication r is run r of the batch seeded
/// `seed` (common random numbers across points). Records reach `deliver` in (point, run)
/// order, in chunks; `progress(k)` is called as each chunk of k runs completes. Bit-identical
/// on any number of threads.
pub fn run_points<E: Send>(
    base: &World,
    spec: &PointsSpec,
    mut deliver: impl FnMut(&[PointRecord]) -> Result<(), E> + Send,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), E> {
    let PointsSpec {
        factors,
        values,
        seed,
        runs,
        rounds,
    } = *spec;
    let total = (values.len() as u64)
        .checked_mul(runs)
        .expect("points x runs fits in u64: the caller bounds them");
    let layout = Runs {
        seed,
        rounds,
        trajectories: 0,
        world_series: false,
        first: 0,
        per_block: runs,
        start: 0,
    };
    in_order(
        0,
        total,
        |sim, drawn, a, b| {
            let mut recs = Vec::with_capacity((b - a) as usize);
            run_chunk(
                sim,
                drawn,
                &layout,
                (a, b),
                |point| design::world_at(base, factors, &values[point]),
                |point, w, run, v, outcome, _| {
                    recs.push(PointRecord {
                        point,
                        run,
                        draws: draws_of(w, v),
                        outcome,
                    });
                },
            );
            progress(b - a);
            recs
        },
        |recs| deliver(&recs),
    )
}

/// Runs `first..end` of every world of `cells` (seed, rounds, no trajectories) through the
/// same in-order pipeline as [`run_batch`], and returns, for each cell in the order given, its
/// outcomes mapped by `keep(run, outcome)` in run order. `progress(k)` is called as each
/// chunk of k runs completes. Bit-identical on any number of threads.
pub(crate) fn run_blocks<T: Send>(
    cells: &[&World],
    (seed, rounds): (u64, u32),
    (first, end): (u64, u64),
    keep: impl Fn(u64, &Outcome) -> T + Sync,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Vec<T>> {
    let layout = Runs {
        seed,
        rounds,
        trajectories: 0,
        world_series: false,
        first,
        per_block: end.saturating_sub(first),
        start: 0,
    };
    let mut out: Vec<Vec<T>> = (0..cells.len()).map(|_| Vec::new()).collect();
    let total = (cells.len() as u64)
        .checked_mul(layout.per_block)
        .expect("cells x runs fits in u64: the caller bounds them");
    let done = in_order::<_, std::convert::Infallible>(
        0,
        total,
        |sim, values, a, b| {
            let mut recs = Vec::with_capacity((b - a) as usize);
            run_chunk(
                sim,
                values,
                &layout,
                (a, b),
                |c| cells[c],
                |c, _, run, _, o, _| {
                    recs.push((c, keep(run, &o)));
                },
            );
            progress(b - a);
            recs
        },
        |recs| {
            for (c, r) in recs {
                out[c].push(r);
            }
            Ok(())
        },
    );
    match done {
        Ok(()) => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool")
    }

    #[test]
    fn chunks_arrive_in_order_on_any_number_of_threads() {
        for threads in [1, 2, 3] {
            let mut seen = Vec::new();
            pool(threads)
                .install(|| {
                    in_order(
                        5,
                        5 + 40 * CHUNK + 7,
                        |_, _, a, b| (a, b),
                        |c| {
                            seen.push(c);
                            Ok::<(), ()>(())
                        },
                    )
                })
                .unwrap();
            let want: Vec<(u64, u64)> = (5..5 + 40 * CHUNK + 7)
                .step_by(CHUNK as usize)
                .map(|a| (a, (a + CHUNK).min(5 + 40 * CHUNK + 7)))
                .collect();
            assert_eq!(seen, want, "{threads} threads");
        }
    }

    #[test]
    fn chunks_are_not_listed_up_front_and_indices_never_wrap() {
        // 2^56 chunks: listing them would need an allocation of exabytes (an abort).
        let mut seen = Vec::new();
        let res = pool(2).install(|| {
            in_order(
                0,
                u64::MAX,
                |_, _, a, b| (a, b),
                |c| {
                    seen.push(c);
                    if seen.len() == 3 { Err("stop") } else { Ok(()) }
                },
            )
        });
        assert_eq!(res, Err("stop"));
        assert_eq!(
            seen,
            [(0, CHUNK), (CHUNK, 2 * CHUNK), (2 * CHUNK, 3 * CHUNK)]
        );
        // The last chunk below u64::MAX ends there, without wrapping.
        let mut last = Vec::new();
        pool(1)
            .install(|| {
                in_order(
                    u64::MAX - CHUNK - 3,
                    u64::MAX,
                    |_, _, a, b| (a, b),
                    |c| {
                        last.push(c);
                        Ok::<(), ()>(())
                    },
                )
            })
            .unwrap();
        assert_eq!(
            last,
            [
                (u64::MAX - CHUNK - 3, u64::MAX - 3),
                (u64::MAX - 3, u64::MAX)
            ]
        );
    }

    #[test]
    fn an_error_stops_the_batch_and_skips_the_chunks_not_started() {
        let computed = AtomicU64::new(0);
        let mut delivered = 0;
        let res = pool(2).install(|| {
            in_order(
                0,
                1000 * CHUNK,
                |_, _, a, _| {
                    computed.fetch_add(1, Ordering::Relaxed);
                    a
                },
                |_| {
                    delivered += 1;
                    if delivered == 3 {
                        Err("full disk")
                    } else {
                        Ok(())
                    }
                },
            )
        });
        assert_eq!(res, Err("full disk"));
        assert_eq!(delivered, 3);
        // The window ahead of delivery at most (four chunks per thread, and a few started
        // before the error was seen), never the whole batch.
        assert!(computed.load(Ordering::Relaxed) < 20, "{computed:?}");
    }

    #[test]
    fn a_panic_in_a_run_is_raised_not_waited_for() {
        for threads in [1, 2] {
            let res = std::panic::catch_unwind(|| {
                pool(threads).install(|| {
                    in_order(
                        0,
                        50 * CHUNK,
                        |_, _, a, _| {
                            assert!(a != 7 * CHUNK, "invariant broken in chunk 7");
                            a
                        },
                        |_| Ok::<(), ()>(()),
                    )
                })
            });
            let panic = res.expect_err("the panic reaches the caller");
            let text = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            assert!(text.contains("chunk 7"), "{text}");
        }
    }
}
