//! A seeded batch of runs of one scenario, held in memory: the tables `statecraft run` writes
//! (`runs.csv`, `actors.csv`, `trajectories.csv`), as rows.

use statecraft_core::{TrajectoryRow, actor_columns, metric_names};
use statecraft_runner::stats::{MetricSummary, summarize_owned};
use statecraft_runner::{BatchSpec, RunRecord, run_batch};

use crate::{Error, Loaded, Result};

/// How to run a batch (and a comparison). `None` takes the scenario's own value.
#[derive(Clone, Debug)]
pub struct Options {
    /// Number of runs, 1 or more [default: the scenario's `runs`].
    pub runs: Option<u64>,
    /// Seed of the batch [default: the scenario's `seed`]. Same seed, same numbers.
    pub seed: Option<u64>,
    /// Rounds per run, 1 to 100,000 [default: the scenario's `rounds`].
    pub rounds: Option<u32>,
    /// Worker threads [default: one per core]. The results do not depend on it.
    pub threads: Option<usize>,
    /// Keep the round-by-round trajectories of the runs with index below this [default: 0].
    pub trajectories: u64,
    /// Bootstrap resamples of a comparison's intervals [default: 2000, as `statecraft
    /// compare`]; batches do not use it.
    pub bootstrap: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runs: None,
            seed: None,
            rounds: None,
            threads: None,
            trajectories: 0,
            bootstrap: 2000,
        }
    }
}

/// One run: a row of `runs.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRow {
    /// Run index.
    pub run: u64,
    /// The drawn values of the uncertain parameters, in [`Batch::params`] order.
    pub draws: Vec<f64>,
    /// The run's metrics in [`Batch::metrics`] order; `None` where undefined for the run (no
    /// rupture happened, say).
    pub metrics: Vec<Option<f64>>,
}

/// One actor in one run: a row of `actors.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct ActorRow {
    /// Run index.
    pub run: u64,
    /// The actor's name.
    pub actor: String,
    /// Its role: `hegemon`, `rival` or `ally` ([`role`]).
    pub role: &'static str,
    /// Its values in [`Batch::actor_columns`] order.
    pub values: Vec<f64>,
}

/// The role of actor `i` of `world`, as `actors.csv` writes it: `hegemon`, `rival` or `ally`
/// (every other actor).
pub fn role(world: &statecraft_core::World, i: usize) -> &'static str {
    if i == world.hegemon {
        "hegemon"
    } else if world.rival == Some(i) {
        "rival"
    } else {
        "ally"
    }
}

/// The round-by-round trajectory of one run (the rows of `trajectories.csv` for that run).
#[derive(Clone, Debug)]
pub struct Trajectory {
    /// Run index.
    pub run: u64,
    /// One row per round and actor; the actor is an index into [`Batch::actors_named`].
    pub rows: Vec<TrajectoryRow>,
}

/// The results of a batch, in run-index order.
#[derive(Clone, Debug)]
pub struct Batch {
    /// The scenario's name.
    pub scenario: String,
    /// The seed it ran with.
    pub seed: u64,
    /// Rounds per run.
    pub rounds: u32,
    /// The uncertain parameters drawn in each run (their paths).
    pub params: Vec<String>,
    /// The run-level metrics (`statecraft_core::metric_names`).
    pub metrics: Vec<String>,
    /// The per-actor columns (`statecraft_core::actor_columns`).
    pub actor_columns: Vec<String>,
    /// The actors' names, by actor index.
    pub actors_named: Vec<String>,
    /// The actors' roles, by actor index ([`role`]).
    pub roles: Vec<&'static str>,
    /// One row per run.
    pub runs: Vec<RunRow>,
    /// One row per actor and run, run-major.
    pub actors: Vec<ActorRow>,
    /// The trajectories kept ([`Options::trajectories`]), by run.
    pub trajectories: Vec<Trajectory>,
}

impl Batch {
    /// The values of metric `name` run by run (`None` where undefined); `None` when the
    /// scenario has no such metric.
    pub fn metric(&self, name: &str) -> Option<Vec<Option<f64>>> {
        let m = self.metrics.iter().position(|x| x == name)?;
        Some(self.runs.iter().map(|r| r.metrics[m]).collect())
    }

    /// The mean of metric `name` over the runs where it is defined, as `statecraft run`
    /// prints it; `None` when there is no such metric or it is defined in no run.
    pub fn mean(&self, name: &str) -> Option<f64> {
        let values: Vec<f64> = self.metric(name)?.into_iter().flatten().collect();
        if values.is_empty() {
            return None;
        }
        Some(values.iter().copied().fold(-0.0, |a, x| a + x) / values.len() as f64)
    }

    /// The summary of every metric (n, mean, sd, quantiles), as `statecraft run` writes it
    /// to `summary.json`.
    pub fn summaries(&self) -> Vec<MetricSummary> {
        (0..self.metrics.len())
            .map(|m| {
                let values: Vec<f64> = self.runs.iter().filter_map(|r| r.metrics[m]).collect();
                let missing = self.runs.len() as u64 - values.len() as u64;
                summarize_owned(&self.metrics[m], values, missing)
            })
            .collect()
    }
}

/// The seed, runs and rounds of a batch of `loaded` under `opts`, checked.
pub(crate) fn settings(loaded: &Loaded, opts: &Options) -> Result<(u64, u64, u32)> {
    let seed = opts.seed.unwrap_or(loaded.scenario.seed);
    let runs = opts.runs.unwrap_or(loaded.scenario.runs);
    let rounds = opts.rounds.unwrap_or(loaded.world.rounds);
    if runs == 0 {
        return Err(Error::Options("runs must be at least 1".to_string()));
    }
    if runs > crate::MAX_RUNS {
        return Err(Error::Options(format!(
            "runs {runs} is more than {}, the most a batch may have",
            crate::MAX_RUNS
        )));
    }
    if !(1..=100_000).contains(&rounds) {
        return Err(Error::Options(format!(
            "rounds {rounds} is outside 1..=100000"
        )));
    }
    Ok((seed, runs, rounds))
}

/// The [`BatchSpec`] of runs `0..runs` of `loaded` under `opts` (see [`settings`]), with the
/// world series kept or not.
pub(crate) fn whole_batch(
    loaded: &Loaded,
    opts: &Options,
    world_series: bool,
) -> Result<BatchSpec> {
    let (seed, runs, rounds) = settings(loaded, opts)?;
    Ok(BatchSpec {
        seed,
        first: 0,
        end: runs,
        rounds,
        trajectories: opts.trajectories,
        world_series,
    })
}

/// A rayon pool of the threads asked for (`None` or 0: one per core).
pub(crate) fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(Error::Threads)
}

/// Runs a batch of `loaded` as [`run`] does, but hands the runs to `on_runs` chunk by chunk,
/// in run order, instead of keeping them: for batches larger than memory, or to write the
/// tables as they come. `progress` is told of each chunk of runs; an error from `on_runs`
/// stops the batch (chunks already started finish, none is started after).
pub fn run_with<E: Send>(
    loaded: &Loaded,
    opts: &Options,
    progress: &(dyn Fn(u64) + Sync),
    on_runs: impl FnMut(&[RunRecord]) -> std::result::Result<(), E> + Send,
) -> Result<std::result::Result<(), E>> {
    let spec = whole_batch(loaded, opts, false)?;
    Ok(pool(opts.threads)?.install(|| run_batch(&loaded.world, &spec, on_runs, progress)))
}

/// Runs a batch of `loaded`: runs `0..runs` with the seed, rounds and trajectories of `opts`
/// (the scenario's where not given), on a pool of `opts.threads` workers. The numbers are
/// those `statecraft run` writes for the same seed, on any number of threads.
pub fn run(loaded: &Loaded, opts: &Options) -> Result<Batch> {
    let (seed, _, rounds) = settings(loaded, opts)?;
    let world = &loaded.world;
    let mut batch = Batch {
        scenario: world.name.clone(),
        seed,
        rounds,
        params: world.uncertain().map(|(_, e)| e.path.clone()).collect(),
        metrics: metric_names(world),
        actor_columns: actor_columns().map(str::to_string).collect(),
        actors_named: world.names.clone(),
        roles: (0..world.n()).map(|i| role(world, i)).collect(),
        runs: Vec::new(),
        actors: Vec::new(),
        trajectories: Vec::new(),
    };
    run_with(loaded, opts, &|_| {}, |recs: &[RunRecord]| {
        for r in recs {
            keep(&mut batch, r);
        }
        Ok::<(), std::convert::Infallible>(())
    })?
    .unwrap_or_else(|never| match never {});
    Ok(batch)
}

/// Adds run `r` to the tables of `batch`.
fn keep(batch: &mut Batch, r: &RunRecord) {
    batch.runs.push(RunRow {
        run: r.run,
        draws: r.draws.clone(),
        metrics: r.outcome.metrics.clone(),
    });
    for (i, a) in r.outcome.actors.iter().enumerate() {
        batch.actors.push(ActorRow {
            run: r.run,
            actor: batch.actors_named[i].clone(),
            role: batch.roles[i],
            values: a.values.to_vec(),
        });
    }
    if !r.trajectory.is_empty() {
        batch.trajectories.push(Trajectory {
            run: r.run,
            rows: r.trajectory.clone(),
        });
    }
}
