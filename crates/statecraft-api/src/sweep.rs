//! A sweep, as `statecraft sweep` runs it: a design of parameter points (grid, random, Latin
//! hypercube, Sobol), each run with the same replications (common random numbers), each point
//! summarised. [`Sweep::new`] resolves the factors and draws the design (the options, else the
//! scenario's `sweep` section, else the defaults); [`Sweep::run`] returns the points in
//! memory; [`Sweep::run_with`] streams every run and every completed point to the caller (the
//! CLI writes `runs.csv` and `sweep.csv` from it, in constant memory).

use statecraft_core::metric_names;
use statecraft_runner::design::{self, Design, Factor};
use statecraft_runner::stats::{MetricSummary, summarize};
use statecraft_runner::{PointRecord, PointsSpec, run_points};

use crate::batch::pool;
use crate::{Error, Loaded, MAX_RUNS, Result, check_shard};

/// The kind of design of a sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DesignKind {
    /// Full factorial grid, `levels` per parameter.
    Grid,
    /// Independent uniform points.
    Random,
    /// Latin hypercube.
    Lhs,
    /// Scrambled Sobol low-discrepancy points.
    Sobol,
}

impl DesignKind {
    /// Every design, in the order `--help` lists them.
    pub const ALL: [DesignKind; 4] = [
        DesignKind::Grid,
        DesignKind::Random,
        DesignKind::Lhs,
        DesignKind::Sobol,
    ];

    /// The design's name (`grid`, `random`, `lhs`, `sobol`): a scenario's `sweep.design`,
    /// the CLI's `--design`, the Python package's `design=`.
    pub fn name(self) -> &'static str {
        match self {
            DesignKind::Grid => "grid",
            DesignKind::Random => "random",
            DesignKind::Lhs => "lhs",
            DesignKind::Sobol => "sobol",
        }
    }

    /// One line saying what the design is (the CLI's help).
    pub fn about(self) -> &'static str {
        match self {
            DesignKind::Grid => "Full factorial grid, --levels per parameter",
            DesignKind::Random => "Independent uniform points",
            DesignKind::Lhs => "Latin hypercube",
            DesignKind::Sobol => "Scrambled Sobol low-discrepancy points",
        }
    }

    /// The design named `name` (see [`DesignKind::name`]), if any.
    pub fn from_name(name: &str) -> Option<DesignKind> {
        DesignKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// How to sweep. `None` takes the scenario's `sweep` section, else the default.
#[derive(Clone, Debug, Default)]
pub struct SweepOptions {
    /// The parameters to vary: a path with `Some((lo, hi))` (uniform over the range) or
    /// `None` (its own distribution) [default: the sweep section's, else every uncertain
    /// parameter].
    pub params: Vec<(String, Option<(f64, f64)>)>,
    /// The design [default: Latin hypercube].
    pub design: Option<DesignKind>,
    /// Points of a random, LHS or Sobol design [default: 64].
    pub points: Option<usize>,
    /// Levels per parameter of a grid [default: 5].
    pub levels: Option<usize>,
    /// Replications per point [default: 1000].
    pub runs: Option<u64>,
    /// Seed [default: the scenario's].
    pub seed: Option<u64>,
    /// Rounds per run [default: the scenario's].
    pub rounds: Option<u32>,
    /// Only shard K of N of the points (a contiguous share; every shard draws the whole
    /// design).
    pub shard: Option<(u64, u64)>,
    /// A design made elsewhere: the parameters' paths and one row of their values per point
    /// (`params`, `design`, `points` and `levels` are then not used).
    pub given: Option<(Vec<String>, Vec<Vec<f64>>)>,
}

/// A sweep resolved: its factors and design drawn, before any run.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// The factors, in the design's column order.
    pub factors: Vec<Factor>,
    /// The design in words (`lhs`, `grid, 5 levels`, ...).
    pub design: String,
    /// Every design point's factor values (a shard draws the whole design).
    pub values: Vec<Vec<f64>>,
    /// Seed of every point's batch.
    pub seed: u64,
    /// Replications per point.
    pub runs: u64,
    /// Rounds per run.
    pub rounds: u32,
    /// The points this sweep runs: `first..end` (all but for a shard).
    pub first: usize,
    /// End of them (exclusive).
    pub end: usize,
    /// The run-level metrics.
    pub metrics: Vec<String>,
}

/// One design point's summary: a row of `sweep.csv`.
#[derive(Clone, Debug)]
pub struct PointRow {
    /// The point's index in the design.
    pub point: usize,
    /// Its factors' values.
    pub values: Vec<f64>,
    /// Each metric's summary over the point's runs (where defined).
    pub summaries: Vec<MetricSummary>,
}

/// The design kind of the options, else of the section's `design` text, else LHS.
fn design_kind(opts: &SweepOptions, section: Option<&str>, file: &str) -> Result<DesignKind> {
    match (opts.design, section) {
        (Some(k), _) => Ok(k),
        (None, None) => Ok(DesignKind::Lhs),
        (None, Some(name)) => DesignKind::from_name(name).ok_or_else(|| {
            Error::Input(format!(
                "{file}: sweep.design {name:?} is not one of grid, random, lhs, sobol"
            ))
        }),
    }
}

/// The factors of a sweep or a sensitivity analysis: `given`, else the scenario's sweep
/// section, else every uncertain parameter. Errors name the scenario file.
pub fn resolve_factors(
    loaded: &Loaded,
    given: &[(String, Option<(f64, f64)>)],
) -> Result<Vec<Factor>> {
    let section = loaded.scenario.sweep.as_ref().map(|s| s.params.as_slice());
    let chosen = if given.is_empty() {
        section.unwrap_or(&[])
    } else {
        given
    };
    design::factors(&loaded.world, chosen)
        .map_err(|e| Error::Input(format!("{}: {e}", loaded.origin())))
}

impl Sweep {
    /// Resolves the factors and draws the design of `loaded` under `opts`.
    pub fn new(loaded: &Loaded, opts: &SweepOptions) -> Result<Sweep> {
        check_shard(opts.shard)?;
        if let Some((paths, rows)) = &opts.given {
            return Sweep::given(loaded, opts, paths, rows);
        }
        let file = loaded.origin();
        let section = loaded.scenario.sweep.clone().unwrap_or_default();
        let factors = resolve_factors(loaded, &opts.params)?;
        let points = opts.points.or(section.points).unwrap_or(64);
        let levels = opts.levels.or(section.levels).unwrap_or(5);
        let (design, name) = match design_kind(opts, section.design.as_deref(), &file)? {
            DesignKind::Grid => (Design::Grid { levels }, format!("grid, {levels} levels")),
            DesignKind::Random => (Design::Random, "random".into()),
            DesignKind::Lhs => (Design::LatinHypercube, "lhs".into()),
            DesignKind::Sobol => (Design::Sobol, "sobol".into()),
        };
        let runs = opts.runs.or(section.runs).unwrap_or(1000);
        let seed = opts.seed.unwrap_or(loaded.scenario.seed);
        let unit = design::unit_points(design, points, &factors, seed)
            .map_err(|e| Error::Input(format!("{file}: {e}")))?;
        let values: Vec<Vec<f64>> = unit
            .iter()
            .map(|u| factors.iter().zip(u).map(|(f, &x)| f.value(x)).collect())
            .collect();
        Sweep::with_points(loaded, opts, factors, name, values, runs)
    }

    /// The sweep of a design made elsewhere: `paths` the parameters, `rows` their values at
    /// each point, every value within its parameter's allowed range.
    fn given(
        loaded: &Loaded,
        opts: &SweepOptions,
        paths: &[String],
        rows: &[Vec<f64>],
    ) -> Result<Sweep> {
        if rows.is_empty() {
            return Err(Error::Input("the design has no points".into()));
        }
        // Each factor ranges over its given values (what the manifest records).
        let ranges: Vec<(String, Option<(f64, f64)>)> = paths
            .iter()
            .enumerate()
            .map(|(j, p)| {
                let lo = rows.iter().map(|r| r[j]).fold(f64::INFINITY, f64::min);
                let hi = rows.iter().map(|r| r[j]).fold(f64::NEG_INFINITY, f64::max);
                (p.clone(), Some((lo, hi)))
            })
            .collect();
        let factors = design::factors(&loaded.world, &ranges).map_err(Error::Input)?;
        let section = loaded.scenario.sweep.clone().unwrap_or_default();
        let runs = opts.runs.or(section.runs).unwrap_or(1000);
        let name = format!("given, {} points", rows.len());
        Sweep::with_points(loaded, opts, factors, name, rows.to_vec(), runs)
    }

    /// The sweep of `values` of `factors`: its shard's points chosen, its size checked.
    fn with_points(
        loaded: &Loaded,
        opts: &SweepOptions,
        factors: Vec<Factor>,
        design: String,
        values: Vec<Vec<f64>>,
        runs: u64,
    ) -> Result<Sweep> {
        let (first, end) = match opts.shard {
            Some((k, n)) => statecraft_results::shard_range(k, n, values.len() as u64),
            None => (0, values.len() as u64),
        };
        if (end - first).checked_mul(runs).is_none_or(|t| t > MAX_RUNS) {
            return Err(Error::Input(format!(
                "{} points x {runs} runs is more than {MAX_RUNS} runs in all; use fewer points or runs",
                end - first
            )));
        }
        Ok(Sweep {
            factors,
            design,
            values,
            seed: opts.seed.unwrap_or(loaded.scenario.seed),
            runs,
            rounds: opts.rounds.unwrap_or(loaded.world.rounds),
            first: first as usize,
            end: end as usize,
            metrics: metric_names(&loaded.world),
        })
    }

    /// Runs in all: this sweep's points x runs.
    pub fn total(&self) -> u64 {
        (self.end - self.first) as u64 * self.runs
    }

    /// The uncertain parameters drawn in each run besides the factors (their paths), in the
    /// order of [`PointRecord::draws`].
    pub fn draws(&self, loaded: &Loaded) -> Vec<String> {
        let at = design::world_at(&loaded.world, &self.factors, &self.values[0]);
        at.uncertain().map(|(_, e)| e.path.clone()).collect()
    }

    /// Runs the sweep's points on the current rayon pool (install one to choose the
    /// threads; [`Sweep::run`] does), handing every run to `on_run` (point index in the
    /// design, the record) and every completed point to `on_point`, in (point, run) order;
    /// `progress` is told of each chunk of runs.
    pub fn run_with<E: Send>(
        &self,
        loaded: &Loaded,
        progress: &(dyn Fn(u64) + Sync),
        mut on_run: impl FnMut(usize, &PointRecord) -> Result<(), E> + Send,
        mut on_point: impl FnMut(PointRow) -> Result<(), E> + Send,
    ) -> Result<(), E> {
        let spec = PointsSpec {
            factors: &self.factors,
            values: &self.values[self.first..self.end],
            seed: self.seed,
            runs: self.runs,
            rounds: self.rounds,
        };
        // The values of the point being filled, metric by metric.
        let mut cur: Vec<Vec<f64>> = vec![Vec::new(); self.metrics.len()];
        run_points(
            &loaded.world,
            &spec,
            |recs| -> Result<(), E> {
                for r in recs {
                    let point = self.first + r.point;
                    on_run(point, r)?;
                    for (k, m) in r.outcome.metrics.iter().enumerate() {
                        if let Some(x) = m {
                            cur[k].push(*x);
                        }
                    }
                    if r.run + 1 == self.runs {
                        on_point(self.point_row(point, &mut cur))?;
                    }
                }
                Ok(())
            },
            progress,
        )
    }

    /// A completed point's row from its metrics' values `cur` (emptied).
    fn point_row(&self, point: usize, cur: &mut [Vec<f64>]) -> PointRow {
        let summaries = cur
            .iter_mut()
            .enumerate()
            .map(|(k, vals)| {
                let s = summarize(&self.metrics[k], vals, self.runs - vals.len() as u64);
                vals.clear();
                s
            })
            .collect();
        PointRow {
            point,
            values: self.values[point].clone(),
            summaries,
        }
    }

    /// Runs the sweep on `threads` workers (`None`: one per core) and returns its points'
    /// rows (those of `sweep.csv`).
    pub fn run(&self, loaded: &Loaded, threads: Option<usize>) -> Result<Vec<PointRow>> {
        let mut rows = Vec::with_capacity(self.end - self.first);
        pool(threads)?
            .install(|| {
                self.run_with(
                    loaded,
                    &|_| {},
                    |_, _| Ok::<(), std::convert::Infallible>(()),
                    |row| {
                        rows.push(row);
                        Ok(())
                    },
                )
            })
            .unwrap_or_else(|never| match never {});
        Ok(rows)
    }
}

/// The statistics of each metric in `sweep.csv`, in order: its columns are
/// `{metric}_{stat}` ([`sweep_columns`]), their numbers [`stat_cells`].
pub const STATS: [&str; 4] = ["mean", "p5", "p50", "p95"];

/// A metric's numbers in a row of `sweep.csv` ([`STATS`] order); NaN where the metric was
/// defined in none of the point's runs (`sweep.csv` writes an empty cell for a number that is
/// not finite).
pub fn stat_cells(s: &MetricSummary) -> [f64; 4] {
    [s.mean, s.p5, s.p50, s.p95]
}

/// The columns of `sweep.csv`: `point`, each factor's path, then `{metric}_{stat}` for every
/// metric and every one of [`STATS`].
pub fn sweep_columns(factors: &[String], metrics: &[String]) -> Vec<String> {
    let mut header = vec!["point".to_string()];
    header.extend(factors.iter().cloned());
    for m in metrics {
        header.extend(STATS.iter().map(|s| format!("{m}_{s}")));
    }
    header
}
