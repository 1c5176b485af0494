//! A global sensitivity analysis, as `statecraft sensitivity` runs it: Sobol indices (Saltelli
//! design) or Morris elementary effects of every chosen metric with respect to the factors,
//! each design point's output the mean of the metric over its replications (common random
//! numbers across points). [`Sensitivity::new`] resolves the factors and metrics and draws the
//! design; [`Sensitivity::run`] runs it and estimates the indices; [`Sensitivity::run_design`]
//! and [`Sensitivity::indices`] do the two steps separately, the first on the caller's pool
//! (the CLI writes `design.csv` and `sensitivity.csv` from them).

use statecraft_core::metric_names;
use statecraft_runner::design::Factor;
use statecraft_runner::sensitivity::{
    MorrisIndex, MorrisPlan, SobolIndex, morris_indices, morris_plan, saltelli_points,
    sobol_indices,
};
use statecraft_runner::{PointsSpec, run_points};

use crate::batch::pool;
use crate::{Error, Loaded, MAX_RUNS, Result, resolve_factors};

/// The method of a sensitivity analysis.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Method {
    /// First-order and total Sobol indices (Saltelli 2010 and Jansen estimators).
    #[default]
    Sobol,
    /// Morris elementary effects (μ*, σ, μ).
    Morris,
}

/// How to analyse. `None` takes the default.
#[derive(Clone, Debug, Default)]
pub struct SensitivityOptions {
    /// The method [default: Sobol].
    pub method: Method,
    /// The parameters to vary: a path with `Some((lo, hi))` (uniform over the range) or
    /// `None` (its own distribution) [default: the scenario's sweep section's, else every
    /// uncertain parameter].
    pub params: Vec<(String, Option<(f64, f64)>)>,
    /// Base samples N of the Saltelli design, or Morris trajectories [default: 256 for
    /// Sobol, 20 for Morris].
    pub samples: Option<usize>,
    /// Grid levels of Morris (even) [default: 4].
    pub levels: Option<usize>,
    /// Replications per design point [default: 50].
    pub runs: Option<u64>,
    /// Bootstrap resamples for the 95% intervals [default: 1000].
    pub bootstrap: Option<usize>,
    /// Only these metrics [default: every run-level metric].
    pub metrics: Vec<String>,
    /// Seed [default: the scenario's].
    pub seed: Option<u64>,
    /// Rounds per run [default: the scenario's].
    pub rounds: Option<u32>,
}

/// A sensitivity analysis resolved: its factors, metrics and design drawn, before any run.
#[derive(Clone, Debug)]
pub struct Sensitivity {
    /// The method.
    pub method: Method,
    /// The factors, in the design's column order.
    pub factors: Vec<Factor>,
    /// Every run-level metric of the world; `chosen` indexes the ones analysed.
    pub metrics: Vec<String>,
    /// The metrics analysed, as indices into `metrics`, in the order asked for.
    pub chosen: Vec<usize>,
    /// The design points' factor values, in evaluation order.
    pub values: Vec<Vec<f64>>,
    /// Morris's trajectories (`None` for Sobol).
    pub morris: Option<MorrisPlan>,
    /// The design in words (`sobol (Saltelli, N = 256)`, ...).
    pub design: String,
    /// Sobol's base samples or Morris's trajectories.
    pub n: usize,
    /// Seed of every point's batch (and of the bootstrap).
    pub seed: u64,
    /// Replications per point.
    pub runs: u64,
    /// Rounds per run.
    pub rounds: u32,
    /// Bootstrap resamples.
    pub bootstrap: usize,
}

/// The indices of one metric, one per factor in [`Sensitivity::factors`] order.
#[derive(Clone, Debug, PartialEq)]
pub enum Indices {
    /// First-order and total Sobol indices with their 95% intervals.
    Sobol(Vec<SobolIndex>),
    /// Morris's μ* (with its 95% interval), σ and μ.
    Morris(Vec<MorrisIndex>),
}

impl Indices {
    /// `sobol` or `morris`, as `sensitivity.csv` names the method.
    pub fn method(&self) -> &'static str {
        match self {
            Indices::Sobol(_) => "sobol",
            Indices::Morris(_) => "morris",
        }
    }
}

/// The indices of one metric: a metric of `sensitivity.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricIndices {
    /// The metric's index in [`Sensitivity::metrics`].
    pub metric: usize,
    /// Its name.
    pub name: String,
    /// Its indices.
    pub indices: Indices,
}

/// The columns of `sensitivity.csv`: the method, metric and parameter, then
/// [`MetricIndices::cells`].
pub const INDEX_COLUMNS: [&str; 14] = [
    "method",
    "metric",
    "param",
    "s1",
    "s1_lo",
    "s1_hi",
    "st",
    "st_lo",
    "st_hi",
    "mu_star",
    "mu_star_lo",
    "mu_star_hi",
    "sigma",
    "mu",
];

impl MetricIndices {
    /// The numbers of factor `i`'s row of `sensitivity.csv` (the columns of
    /// [`INDEX_COLUMNS`] after the first three): Sobol's six, or Morris's five, the other
    /// method's `None`.
    pub fn cells(&self, i: usize) -> [Option<f64>; 11] {
        match &self.indices {
            Indices::Sobol(s) => {
                let s = s[i];
                let v = [s.s1, s.s1_lo, s.s1_hi, s.st, s.st_lo, s.st_hi];
                std::array::from_fn(|j| v.get(j).copied())
            }
            Indices::Morris(e) => {
                let e = e[i];
                let v = [e.mu_star, e.mu_star_lo, e.mu_star_hi, e.sigma, e.mu];
                std::array::from_fn(|j| j.checked_sub(6).map(|j| v[j]))
            }
        }
    }
}

/// What a sensitivity analysis found.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// `means[m][p]`: the mean of metric m (every metric of [`Sensitivity::metrics`]) over
    /// the replications at design point p, NaN where it was never defined (the numbers of
    /// `design.csv`).
    pub means: Vec<Vec<f64>>,
    /// The indices of every chosen metric that varies over the design, in the chosen order.
    pub indices: Vec<MetricIndices>,
    /// The chosen metrics skipped, with why (undefined at some point, or constant).
    pub skipped: Vec<(String, &'static str)>,
}

/// The indices into `all` of the metrics `asked` for (every one when none is).
fn chosen_metrics(asked: &[String], all: &[String]) -> Result<Vec<usize>> {
    if asked.is_empty() {
        return Ok((0..all.len()).collect());
    }
    asked
        .iter()
        .map(|m| {
            all.iter()
                .position(|x| x == m)
                .ok_or_else(|| Error::UnknownMetric {
                    name: m.clone(),
                    known: all.to_vec(),
                })
        })
        .collect()
}

impl Sensitivity {
    /// Resolves the factors (as [`resolve_factors`]) and the metrics of `loaded` under
    /// `opts`, and draws the design; errors name the scenario file.
    ///
    /// ```no_run
    /// use statecraft_api::{Method, Sensitivity, SensitivityOptions, load};
    ///
    /// let loaded = load("scenarios/examples/three_actors.ron".as_ref())?;
    /// let opts = SensitivityOptions { method: Method::Morris, samples: Some(4), runs: Some(5), ..Default::default() };
    /// let analysis = Sensitivity::new(&loaded, &opts)?.run(&loaded, None)?;
    /// for m in &analysis.indices {
    ///     println!("{}: {:?}", m.name, m.indices);
    /// }
    /// # Ok::<(), statecraft_api::Error>(())
    /// ```
    pub fn new(loaded: &Loaded, opts: &SensitivityOptions) -> Result<Sensitivity> {
        let world = &loaded.world;
        let factors = resolve_factors(loaded, &opts.params)?;
        let seed = opts.seed.unwrap_or(loaded.scenario.seed);
        let metrics = metric_names(world);
        let chosen = chosen_metrics(&opts.metrics, &metrics)?;
        let (values, morris, design, n) = design(loaded, opts, &factors, seed)?;
        let runs = opts.runs.unwrap_or(50);
        if runs == 0 {
            return Err(Error::Options("runs must be at least 1".into()));
        }
        if (values.len() as u64)
            .checked_mul(runs)
            .is_none_or(|t| t > MAX_RUNS)
        {
            return Err(Error::Input(format!(
                "{} points x {runs} runs is more than {MAX_RUNS} runs in all; use fewer points or runs",
                values.len(),
            )));
        }
        Ok(Sensitivity {
            method: opts.method,
            factors,
            metrics,
            chosen,
            values,
            morris,
            design,
            n,
            seed,
            runs,
            rounds: opts.rounds.unwrap_or(world.rounds),
            bootstrap: opts.bootstrap.unwrap_or(1000),
        })
    }

    /// Runs in all: points x runs.
    pub fn total(&self) -> u64 {
        self.values.len() as u64 * self.runs
    }

    /// Runs the design on the current rayon pool (install one to choose the threads;
    /// [`Sensitivity::run`] does): `y[m][p]`, the mean of metric m over the replications at
    /// point p (NaN if never defined). `progress` is told of each chunk of runs.
    pub fn run_design(&self, loaded: &Loaded, progress: &(dyn Fn(u64) + Sync)) -> Vec<Vec<f64>> {
        let spec = PointsSpec {
            factors: &self.factors,
            values: &self.values,
            seed: self.seed,
            runs: self.runs,
            rounds: self.rounds,
        };
        let nm = self.metrics.len();
        let mut y: Vec<Vec<f64>> = vec![Vec::with_capacity(self.values.len()); nm];
        let (mut sum, mut count) = (vec![0.0; nm], vec![0u64; nm]);
        run_points(
            &loaded.world,
            &spec,
            |recs| -> Result<(), std::convert::Infallible> {
                for r in recs {
                    for (m, v) in r.outcome.metrics.iter().enumerate() {
                        if let Some(x) = v {
                            sum[m] += x;
                            count[m] += 1;
                        }
                    }
                    if r.run + 1 == self.runs {
                        for m in 0..nm {
                            y[m].push(if count[m] > 0 {
                                sum[m] / count[m] as f64
                            } else {
                                f64::NAN
                            });
                            sum[m] = 0.0;
                            count[m] = 0;
                        }
                    }
                }
                Ok(())
            },
            progress,
        )
        .unwrap_or_else(|never| match never {});
        y
    }

    /// The indices of every chosen metric from the design's means `y` (of
    /// [`Sensitivity::run_design`]); a metric undefined at some point or constant over the
    /// design is skipped.
    pub fn indices(&self, y: Vec<Vec<f64>>) -> Analysis {
        let (mut indices, mut skipped) = (Vec::new(), Vec::new());
        let (k, seed, b) = (self.factors.len(), self.seed, self.bootstrap);
        for &m in &self.chosen {
            let (ym, name) = (&y[m], &self.metrics[m]);
            if ym.iter().any(|v| !v.is_finite()) {
                skipped.push((name.clone(), "undefined at some design points"));
                continue;
            }
            let idx = match &self.morris {
                None => sobol_indices(ym, self.n, k, b, 0.95, seed, m as u64).map(Indices::Sobol),
                Some(_) if ym.iter().all(|v| *v == ym[0]) => None,
                Some(mp) => Some(Indices::Morris(morris_indices(
                    mp, ym, b, 0.95, seed, m as u64,
                ))),
            };
            let Some(idx) = idx else {
                skipped.push((name.clone(), "does not vary over the design"));
                continue;
            };
            indices.push(MetricIndices {
                metric: m,
                name: name.clone(),
                indices: idx,
            });
        }
        Analysis {
            means: y,
            indices,
            skipped,
        }
    }

    /// Runs the design on `threads` workers (`None`: one per core) and estimates the
    /// indices.
    pub fn run(&self, loaded: &Loaded, threads: Option<usize>) -> Result<Analysis> {
        let y = pool(threads)?.install(|| self.run_design(loaded, &|_| {}));
        Ok(self.indices(y))
    }
}

/// A design drawn: its points as values of the factors, Morris's plan, its name and its N.
type Drawn = (Vec<Vec<f64>>, Option<MorrisPlan>, String, usize);

/// The design of the options' method over the factors.
fn design(
    loaded: &Loaded,
    opts: &SensitivityOptions,
    factors: &[Factor],
    seed: u64,
) -> Result<Drawn> {
    let file = loaded.origin();
    let k = factors.len();
    Ok(match opts.method {
        Method::Sobol => {
            let n = opts.samples.unwrap_or(256);
            let unit =
                saltelli_points(n, k, seed).map_err(|e| Error::Input(format!("{file}: {e}")))?;
            let values: Vec<Vec<f64>> = unit
                .iter()
                .map(|u| factors.iter().zip(u).map(|(f, &x)| f.value(x)).collect())
                .collect();
            (values, None, format!("sobol (Saltelli, N = {n})"), n)
        }
        Method::Morris => {
            let r = opts.samples.unwrap_or(20);
            let levels = opts.levels.unwrap_or(4);
            let plan = morris_plan(r, k, levels, seed)
                .map_err(|e| Error::Input(format!("{file}: {e}")))?;
            let values: Vec<Vec<f64>> = plan
                .points
                .iter()
                .map(|p| {
                    factors
                        .iter()
                        .zip(p)
                        .map(|(f, &l)| f.value(f.grid_coordinate(l, levels)))
                        .collect()
                })
                .collect();
            let name = format!("morris ({r} trajectories, {levels} levels)");
            (values, Some(plan), name, r)
        }
    })
}
