//! Pattern-oriented scoring and ABC, as `statecraft patterns` runs them: every run of a batch
//! scored against observed patterns ([`Patterns::score`]: each pattern's quantity, whether
//! it holds, and how often), then optionally the approximate Bayesian computation of
//! `statecraft_runner::abc` over the binding patterns ([`Patterns::abc`]: the posterior of the
//! uncertain parameters, how far each moved from its prior, the pairs the patterns trade
//! off) and a scenario stating that posterior ([`Patterns::posterior_scenario`]). The CLI
//! writes `patterns.csv` from [`Patterns::score_with`]'s runs and its other tables from these
//! results.

use std::path::PathBuf;

use statecraft_core::scenario::ParamSample;
use statecraft_core::world::ParamEntry;
use statecraft_core::{Dist, Param, Scenario};
use statecraft_runner::abc::{self, Posterior};
use statecraft_runner::fit;
use statecraft_runner::patterns::{Pattern, PatternFile, Scorer};
use statecraft_runner::stats::{mean_sd, quantile_sorted, spread_sorted};
use statecraft_runner::{BatchSpec, run_batch};

use crate::batch::pool;
use crate::{Error, Loaded, MAX_RUNS, Result, patterns_file, read_input};

/// How to score. `None` takes the scenario's.
#[derive(Clone, Debug, Default)]
pub struct PatternsOptions {
    /// The patterns file [default: the one the scenario names].
    pub file: Option<PathBuf>,
    /// Number of runs [default: the scenario's].
    pub runs: Option<u64>,
    /// Seed [default: the scenario's].
    pub seed: Option<u64>,
    /// Rounds per run [default: the scenario's].
    pub rounds: Option<u32>,
    /// Keep each run's draws of the uncertain parameters, which [`Patterns::abc`] needs.
    pub keep_draws: bool,
}

/// A scoring resolved: the patterns file read and checked against the world, before any run.
#[derive(Clone, Debug)]
pub struct Patterns {
    /// The patterns file, as messages name it.
    pub shown: String,
    /// Its text (`patterns.json` records it).
    pub text: String,
    /// The patterns checked against the world.
    pub scorer: Scorer,
    /// Seed of the batch.
    pub seed: u64,
    /// Runs.
    pub runs: u64,
    /// Rounds per run.
    pub rounds: u32,
    /// Whether each run's draws are kept.
    pub keep_draws: bool,
}

/// The score of a batch: per pattern its hits and values, per run its draws.
#[derive(Clone, Debug, Default)]
pub struct Scored {
    /// Per pattern: runs where it holds.
    pub hits: Vec<u64>,
    /// Runs where every pattern holds.
    pub all_hits: u64,
    /// Per pattern, per run: the quantity (NaN where undefined).
    pub values: Vec<Vec<f64>>,
    /// Per run (with [`PatternsOptions::keep_draws`]): run index and the uncertain
    /// parameters' draws.
    pub draws: Vec<(u64, Vec<f64>)>,
}

/// One pattern's rate over a batch: an entry of `patterns.json`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PatternRate {
    /// The pattern's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its test, in words.
    pub test: String,
    /// The share of runs it should hold in.
    pub target: f64,
    /// The record's value of the quantity, where the pattern states one.
    pub observed: Option<f64>,
    /// Share of runs where the pattern holds.
    pub rate: f64,
    /// Mean of the quantity over the runs where it is defined.
    pub mean: Option<f64>,
    /// 5% quantile of the quantity over those runs.
    pub p5: Option<f64>,
    /// 95% quantile of the quantity over those runs.
    pub p95: Option<f64>,
    /// Whether it holds in at least its target share.
    pub met: bool,
    /// Whether the pattern enters the ABC's distance: `yes` (holds in 2% to 95% of the runs),
    /// `no: holds` (in at least 95%: it does not bind), `no: unmet` (in under 2%: the model
    /// does not produce it, and a handful of runs would stand for the posterior).
    pub binding: &'static str,
}

/// The ABC's options.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AbcOptions {
    /// The share of runs accepted at the final tolerance (the closest runs).
    pub tolerance: f64,
    /// Adjust the accepted draws by local-linear regression on the gaps (Beaumont, Zhang &
    /// Balding 2002); without it, the posterior is the accepted runs.
    pub adjust: bool,
}

impl Default for AbcOptions {
    fn default() -> Self {
        AbcOptions {
            tolerance: 0.02,
            adjust: false,
        }
    }
}

/// How far one parameter moved from its prior: a row of `abc.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamShift {
    /// The parameter's path.
    pub path: String,
    /// The prior's mean, 5% and 95% quantile.
    pub prior: [f64; 3],
    /// The posterior's mean, 5% and 95% quantile.
    pub posterior: [f64; 3],
    /// The shift of the mean, in prior 90% widths (on the prior's scale: the logarithm for a
    /// log-uniform or log-truncated-normal prior on positive values).
    pub shift: f64,
    /// Its Monte Carlo standard error (posterior sd / √n_eff, in the same unit).
    pub shift_se: f64,
    /// Posterior 90% width / prior's.
    pub width_ratio: f64,
    /// Whether the patterns inform it: the shift beyond 4 standard errors, or the width
    /// ratio at most 0.9.
    pub informed: bool,
    /// The posterior marginal as a law (a truncated normal fitted on the prior's scale, or a
    /// `Choice` of its percentiles where no fit draws it); `None` for a `Choice` prior or
    /// fewer than two draws.
    pub fitted: Option<Param>,
}

/// The ABC's result.
#[derive(Clone, Debug)]
pub struct Abc {
    /// The uncertain parameters' paths, in the columns' order.
    pub params: Vec<String>,
    /// The posterior: schedule, accepted runs (indices into [`Scored::draws`]), sample.
    pub posterior: Posterior,
    /// Per parameter: the posterior sample's values (the columns of `posterior.csv`).
    pub sample: Vec<Vec<f64>>,
    /// Per parameter: prior against posterior.
    pub shifts: Vec<ParamShift>,
    /// Pairs of continuous parameters with their posterior correlation (on the regression's
    /// unbounded scale), strongest first.
    pub pairs: Vec<(String, String, f64)>,
    /// Kish's effective sample size of the accepted runs' weights.
    pub n_eff: f64,
    /// Runs scored.
    pub runs: usize,
    /// The patterns' ids.
    pub ids: Vec<String>,
}

/// How [`Patterns::posterior_scenario`] states a posterior.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EmitAs {
    /// Each marginal: a truncated normal fitted to the accepted draws.
    #[default]
    Normal,
    /// Each marginal: a Choice of the accepted draws themselves.
    Choice,
    /// The joint: the accepted runs' draws as rows of `param_sample`.
    Sample,
}

/// What goes into a posterior scenario.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EmitOptions {
    /// How the posterior is stated.
    pub form: EmitAs,
    /// Most accepted draws (per parameter with `Choice`, rows with `Sample`): the first
    /// accepted, by run.
    pub max: u64,
    /// With the marginal forms, only parameters whose mean moved by at least this share of
    /// the prior's 90% width get their posterior.
    pub min_shift: f64,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            form: EmitAs::Normal,
            max: 1000,
            min_shift: 0.0,
        }
    }
}

impl Patterns {
    /// Reads the patterns file of `opts` (else the one the scenario names) and checks it
    /// against the world of `loaded`; errors name the patterns file.
    ///
    /// ```no_run
    /// use statecraft_api::{AbcOptions, Patterns, PatternsOptions, load};
    ///
    /// let loaded = load("scenarios/paid_access_2025.ron".as_ref())?;
    /// let opts = PatternsOptions { runs: Some(400), keep_draws: true, ..Default::default() };
    /// let patterns = Patterns::new(&loaded, &opts)?;
    /// let scored = patterns.score(&loaded, None)?;
    /// for rate in patterns.rates(&scored) {
    ///     println!("{}: holds in {:.1}% of the runs", rate.id, 100.0 * rate.rate);
    /// }
    /// let abc = patterns.abc(&loaded, &scored, &AbcOptions::default());
    /// println!("{} runs accepted", abc.posterior.accepted.len());
    /// # Ok::<(), statecraft_api::Error>(())
    /// ```
    pub fn new(loaded: &Loaded, opts: &PatternsOptions) -> Result<Patterns> {
        let named = loaded
            .files
            .first()
            .and_then(|f| patterns_file(f, &loaded.scenario));
        let Some(file) = opts.file.clone().or(named) else {
            return Err(Error::Input(format!(
                "{}: the scenario names no patterns file",
                loaded.origin()
            )));
        };
        let shown = file.display().to_string();
        let text = read_input(&file, "patterns file")?;
        let pf: PatternFile = statecraft_core::scenario::parse_ron(&text, &shown)?;
        let runs = opts.runs.unwrap_or(loaded.scenario.runs);
        if runs == 0 || runs > MAX_RUNS {
            return Err(Error::Options(format!(
                "runs {runs}: a batch has from 1 to {MAX_RUNS} runs"
            )));
        }
        let rounds = opts.rounds.unwrap_or(loaded.world.rounds);
        let scorer =
            Scorer::new(&pf, &loaded.world, rounds).map_err(|message| Error::Patterns {
                file: shown.clone(),
                message,
                rounds: opts.rounds,
            })?;
        Ok(Patterns {
            shown,
            text,
            scorer,
            seed: opts.seed.unwrap_or(loaded.scenario.seed),
            runs,
            rounds,
            keep_draws: opts.keep_draws,
        })
    }

    /// The patterns, in the file's order.
    pub fn patterns(&self) -> &[Pattern] {
        self.scorer.patterns()
    }

    /// Scores the batch on the current rayon pool (install one to choose the threads;
    /// [`Patterns::score`] does), handing every run to `on_run` in run order (its index, each
    /// pattern's quantity and whether it holds, whether all hold); `progress` is told of each
    /// chunk of runs.
    pub fn score_with<E: Send>(
        &self,
        loaded: &Loaded,
        progress: &(dyn Fn(u64) + Sync),
        mut on_run: impl FnMut(u64, &[(Option<f64>, bool)], bool) -> Result<(), E> + Send,
    ) -> Result<Scored, E> {
        let np = self.patterns().len();
        let spec = BatchSpec {
            seed: self.seed,
            first: 0,
            end: self.runs,
            rounds: self.rounds,
            trajectories: if self.scorer.needs_trajectory() {
                self.runs
            } else {
                0
            },
            world_series: false,
        };
        let mut c = Scored {
            hits: vec![0; np],
            all_hits: 0,
            values: vec![Vec::new(); np],
            draws: Vec::new(),
        };
        let mut scores = Vec::with_capacity(np);
        run_batch(
            &loaded.world,
            &spec,
            |recs| -> Result<(), E> {
                for r in recs {
                    self.scorer.score(&r.outcome, &r.trajectory, &mut scores);
                    let all = scores.iter().all(|s| s.1);
                    on_run(r.run, &scores, all)?;
                    for (k, &(v, ok)) in scores.iter().enumerate() {
                        c.hits[k] += u64::from(ok);
                        c.values[k].push(v.unwrap_or(f64::NAN));
                    }
                    c.all_hits += u64::from(all);
                    if self.keep_draws {
                        c.draws.push((r.run, r.draws.clone()));
                    }
                }
                Ok(())
            },
            progress,
        )?;
        Ok(c)
    }

    /// Scores the batch on `threads` workers (`None`: one per core).
    pub fn score(&self, loaded: &Loaded, threads: Option<usize>) -> Result<Scored> {
        let scored = pool(threads)?.install(|| {
            self.score_with(loaded, &|_| {}, |_, _, _| {
                Ok::<(), std::convert::Infallible>(())
            })
        });
        Ok(scored.unwrap_or_else(|never| match never {}))
    }

    /// Each pattern's rate, quantity and whether it binds.
    pub fn rates(&self, c: &Scored) -> Vec<PatternRate> {
        self.patterns()
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let rate = c.hits[k] as f64 / self.runs as f64;
                let [mean, p5, p95] = c.spread(k);
                PatternRate {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    test: p.test.to_string(),
                    target: p.target,
                    observed: p.observed,
                    rate,
                    mean: mean.is_finite().then_some(mean),
                    p5: p5.is_finite().then_some(p5),
                    p95: p95.is_finite().then_some(p95),
                    met: rate >= p.target,
                    binding: binding(rate),
                }
            })
            .collect()
    }

    /// The ABC over the binding patterns of a batch scored with
    /// [`PatternsOptions::keep_draws`]: the tolerance schedule, the accepted runs and the
    /// posterior of the uncertain parameters, each parameter's prior against its posterior,
    /// and the posterior's correlations.
    pub fn abc(&self, loaded: &Loaded, c: &Scored, opts: &AbcOptions) -> Abc {
        let params: Vec<&ParamEntry> = loaded.world.uncertain().map(|(_, e)| e).collect();
        let n = c.draws.len();
        let summaries: Vec<abc::Summary> = self
            .patterns()
            .iter()
            .enumerate()
            .map(|(k, p)| abc::Summary {
                observed: p.observed,
                test: p.test,
                binding: binding(c.hits[k] as f64 / self.runs as f64) == "yes",
            })
            .collect();
        let quantities: Vec<Vec<Option<f64>>> = (0..n)
            .map(|r| {
                c.values
                    .iter()
                    .map(|v| v[r].is_finite().then_some(v[r]))
                    .collect()
            })
            .collect();
        let draws: Vec<Vec<f64>> = c.draws.iter().map(|d| d.1.clone()).collect();
        let supports: Vec<(f64, f64)> = params
            .iter()
            .map(|e| e.param.support().unwrap_or((e.lo, e.hi)))
            .collect();
        let scales: Vec<abc::Scale> = params
            .iter()
            .zip(&supports)
            .map(|(e, &(lo, hi))| abc::Scale::of(&e.param, lo, hi))
            .collect();
        let post = abc::run(
            &summaries,
            &quantities,
            &draws,
            &scales,
            opts.tolerance,
            opts.adjust,
        );
        let sample: Vec<Vec<f64>> = (0..params.len())
            .map(|j| post.sample.iter().map(|s| s.1[j]).collect())
            .collect();
        // Kish's effective sample size of the accepted runs' weights.
        let (sw, sw2) = post
            .accepted
            .iter()
            .fold((0.0, 0.0), |(a, b), r| (a + r.2, b + r.2 * r.2));
        let n_eff = if sw2 > 0.0 { sw * sw / sw2 } else { 0.0 };
        Abc {
            params: params.iter().map(|e| e.path.clone()).collect(),
            shifts: shifts(&params, &sample, &supports, n_eff),
            pairs: posterior_pairs(&params, &sample, &scales),
            posterior: post,
            sample,
            n_eff,
            runs: n,
            ids: self.patterns().iter().map(|p| p.id.clone()).collect(),
        }
    }

    /// The scenario of `loaded` with the posterior of `abc` (run with `opts`) in place of the
    /// uncertain parameters' priors, stated as `emit` asks: marginals in `param_overrides`,
    /// or the joint sample in `param_sample`; its description says where it came from. An
    /// error if no run was accepted.
    pub fn posterior_scenario(
        &self,
        loaded: &Loaded,
        abc: &Abc,
        opts: &AbcOptions,
        emit: &EmitOptions,
    ) -> Result<Scenario> {
        if abc.posterior.sample.is_empty() {
            return Err(Error::Options(
                "no run was accepted: there is no posterior".into(),
            ));
        }
        let params: Vec<&ParamEntry> = loaded.world.uncertain().map(|(_, e)| e).collect();
        let emission = Emission {
            opts: emit,
            params: &params,
            accepted: &abc.sample,
            shifts: abc.shifts.iter().map(|t| t.shift).collect(),
        };
        let scenario = &loaded.scenario;
        let mut sc = emission.scenario(scenario);
        sc.patterns = None;
        sc.description = format!(
            "{} [Posterior of `statecraft patterns --abc` on {} runs, seed {}, patterns of {}: {} runs accepted at the final tolerance ({} of the runs){}; {}.]",
            scenario.description,
            self.runs,
            self.seed,
            self.shown,
            abc.posterior.accepted.len(),
            opts.tolerance,
            if opts.adjust {
                ", regression-adjusted"
            } else {
                ""
            },
            emission.what(abc.posterior.accepted.len() as u64)
        );
        Ok(sc)
    }
}

impl Scored {
    /// Mean, 5% and 95% quantile of pattern k's quantity over the runs where it is defined.
    pub fn spread(&self, k: usize) -> [f64; 3] {
        abc::mean_p5_p95(
            self.values[k]
                .iter()
                .copied()
                .filter(|x| x.is_finite())
                .collect(),
        )
    }
}

/// A pattern that holds in at least this share of the runs does not bind (issue #17): it is
/// left out of the ABC's distance.
const NON_BINDING: f64 = 0.95;

/// A pattern that holds in fewer than this share of the runs is one the model does not
/// produce: it is left out of the ABC's distance (a few runs would make the posterior) and
/// reported as a failure of the model.
const UNMET: f64 = 0.02;

/// Whether a pattern holding in `rate` of the runs enters the ABC ("yes") and why not.
fn binding(rate: f64) -> &'static str {
    if rate >= NON_BINDING {
        "no: holds"
    } else if rate < UNMET {
        "no: unmet"
    } else {
        "yes"
    }
}

/// The q-quantile of a parameter's prior: exact from its quantile function (a `Choice` from
/// its sorted values).
fn prior_quantile(p: &Param, q: f64) -> f64 {
    match p {
        Param::Dist(Dist::Choice(v)) => {
            let mut s = v.clone();
            s.sort_by(f64::total_cmp);
            quantile_sorted(&s, q)
        }
        _ => p.quantile(q.clamp(1e-12, 1.0 - 1e-12)),
    }
}

/// The posterior marginal of sample `v` as a law: [`fit_posterior`]'s two-moment fit where it
/// draws the sample (its mean within four Monte Carlo standard errors, the sample's 5% and
/// 95% quantiles at levels within four standard errors plus 0.02 of theirs), else a `Choice` of
/// the sample's 100 quantiles at (k + ½)/100, which draws it exactly to a percentile: a
/// posterior wider than any truncated normal on the support (one pushed against a bound, or
/// flatter than the uniform) cannot be moment-matched, and its fit would draw another mean.
fn posterior_law(v: &[f64], prior: &Param, lo: f64, hi: f64) -> Param {
    let fitted = fit_posterior(v, prior, lo, hi);
    let n = v.len() as f64;
    let mut sorted = v.to_vec();
    sorted.sort_by(f64::total_cmp);
    let (mean, sd) = mean_sd(v);
    let grid = 4000;
    let draws: Vec<f64> = (0..grid)
        .map(|k| fitted.quantile((f64::from(k) + 0.5) / f64::from(grid)))
        .collect();
    let law_mean = draws.iter().sum::<f64>() / f64::from(grid);
    let cdf = |x: f64| draws.iter().filter(|&&d| d <= x).count() as f64 / f64::from(grid);
    let tol = |p: f64| 4.0 * (p * (1.0 - p) / n).sqrt() + 0.02;
    let ok = (law_mean - mean).abs() <= 4.0 * sd / n.sqrt() + 1e-3 * mean.abs()
        && [
            (0.05, quantile_sorted(&sorted, 0.05)),
            (0.95, quantile_sorted(&sorted, 0.95)),
        ]
        .iter()
        .all(|&(p, q)| (cdf(q) - p).abs() <= tol(p));
    if ok || matches!(fitted, Param::Fixed(_)) {
        return fitted;
    }
    let r = |x: f64| {
        if x == 0.0 || !x.is_finite() {
            return x;
        }
        let scale = 10f64.powi(5 - x.abs().log10().floor() as i32);
        (x * scale).round() / scale
    };
    Param::Dist(Dist::Choice(
        (0..100)
            .map(|k| r(quantile_sorted(&sorted, (f64::from(k) + 0.5) / 100.0)))
            .collect(),
    ))
}

/// [`fit::fit_on_prior_scale`] with its parameters rounded to four significant digits, for a
/// readable `abc.csv` and scenario.
fn fit_posterior(v: &[f64], prior: &Param, lo: f64, hi: f64) -> Param {
    let r = |x: f64| {
        if x == 0.0 || !x.is_finite() {
            return x;
        }
        let scale = 10f64.powi(3 - x.abs().log10().floor() as i32);
        (x * scale).round() / scale
    };
    match fit::fit_on_prior_scale(v, prior, lo, hi) {
        Param::Dist(Dist::TruncNormal(m, s, lo, hi)) => {
            Param::Dist(Dist::TruncNormal(r(m), r(s), lo, hi))
        }
        Param::Dist(Dist::LogTruncNormal(m, s, lo, hi)) => {
            Param::Dist(Dist::LogTruncNormal(r(m), r(s), lo, hi))
        }
        other => other,
    }
}

/// How many Monte Carlo standard errors a posterior mean must move, or how far its 90% width
/// must shrink, for the patterns to count as informing a parameter.
const INFORMED_SE: f64 = 4.0;
const INFORMED_WIDTH: f64 = 0.9;

/// How far a posterior sample `v` (sorted) moved from its prior, on the prior's scale (the
/// logarithm for a log-uniform or log-truncated-normal prior on positive values): the shift
/// of the mean and its Monte Carlo standard error (sd / √n_eff), both in prior 90% widths, and
/// the ratio of the 90% widths. `prior` holds the prior's mean, 5% and 95% quantile.
fn movement(param: &Param, v: &[f64], prior: [f64; 3], n_eff: f64, lo: f64) -> (f64, f64, f64) {
    let log = matches!(
        param,
        Param::Dist(Dist::LogUniform(..) | Dist::LogTruncNormal(..))
    ) && lo > 0.0;
    let g = |x: f64| if log { x.ln() } else { x };
    // The prior's mean on its scale: exact on the linear one, over a fine quantile grid of the
    // logarithm.
    let prior_mean = if log {
        let grid = 20_000;
        (0..grid)
            .map(|k| g(param.quantile((f64::from(k) + 0.5) / f64::from(grid))))
            .sum::<f64>()
            / f64::from(grid)
    } else {
        prior[0]
    };
    let width = g(prior[2]) - g(prior[1]);
    if v.len() < 2 || width <= 0.0 {
        return (0.0, f64::NAN, f64::NAN);
    }
    let w: Vec<f64> = v.iter().map(|x| g(*x)).collect();
    let (mean, sd) = mean_sd(&w);
    let ratio = (quantile_sorted(&w, 0.95) - quantile_sorted(&w, 0.05)) / width;
    (
        (mean - prior_mean) / width,
        sd / n_eff.sqrt() / width,
        ratio,
    )
}

/// Each parameter's prior and posterior, the shift of its mean with its Monte Carlo standard
/// error, the ratio of the 90% widths, whether the patterns inform it (the shift beyond
/// INFORMED_SE standard errors, or the width below INFORMED_WIDTH), and its fitted marginal.
fn shifts(
    params: &[&ParamEntry],
    sample: &[Vec<f64>],
    supports: &[(f64, f64)],
    n_eff: f64,
) -> Vec<ParamShift> {
    params
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let prior = [
                e.param.mean(),
                prior_quantile(&e.param, 0.05),
                prior_quantile(&e.param, 0.95),
            ];
            let mut v = sample[k].clone();
            v.sort_by(f64::total_cmp);
            let post = spread_sorted(&v).map_or([f64::NAN; 3], |s| [s.mean, s.p5, s.p95]);
            let (shift, se, ratio) = movement(&e.param, &v, prior, n_eff, supports[k].0);
            let fitted = match &e.param {
                Param::Dist(Dist::Choice(_)) => None,
                p if v.len() >= 2 => Some(posterior_law(&v, p, supports[k].0, supports[k].1)),
                _ => None,
            };
            ParamShift {
                path: e.path.clone(),
                prior,
                posterior: post,
                shift,
                shift_se: se,
                width_ratio: ratio,
                informed: shift.abs() >= INFORMED_SE * se || ratio <= INFORMED_WIDTH,
                fitted,
            }
        })
        .collect()
}

/// The posterior correlation of every pair of continuous parameters (on the regression's
/// unbounded scale), strongest first; a strong one is a pair the patterns trade off.
fn posterior_pairs(
    params: &[&ParamEntry],
    sample: &[Vec<f64>],
    scales: &[abc::Scale],
) -> Vec<(String, String, f64)> {
    let free: Vec<Vec<f64>> = sample
        .iter()
        .zip(scales)
        .map(|(v, s)| v.iter().map(|x| s.to_free(*x)).collect())
        .collect();
    let mut pairs = Vec::new();
    for a in 0..params.len() {
        for b in a + 1..params.len() {
            if scales[a] == abc::Scale::Discrete || scales[b] == abc::Scale::Discrete {
                continue;
            }
            let r = abc::correlation(&free[a], &free[b]);
            if r.is_finite() {
                pairs.push((params[a].path.clone(), params[b].path.clone(), r));
            }
        }
    }
    pairs.sort_by(|x, y| y.2.abs().total_cmp(&x.2.abs()));
    pairs
}

/// A posterior scenario in the making: the accepted draws of the uncertain parameters, by
/// parameter in [`World::uncertain`](statecraft_core::World::uncertain) order, each in run
/// order.
struct Emission<'a> {
    opts: &'a EmitOptions,
    params: &'a [&'a ParamEntry],
    accepted: &'a [Vec<f64>],
    /// Each parameter's shift (move of the mean / prior 90% width).
    shifts: Vec<f64>,
}

impl Emission<'_> {
    /// Accepted runs kept by `max`.
    fn kept(&self) -> usize {
        let n = self.accepted.first().map_or(0, Vec::len);
        n.min(usize::try_from(self.opts.max).unwrap_or(usize::MAX))
    }

    /// Whether parameter `k` gets its posterior in a marginal form.
    fn moved(&self, k: usize) -> bool {
        let shift = self.shifts[k];
        !(shift.abs() < self.opts.min_shift || shift.is_nan())
    }

    /// The description's account of the posterior written.
    fn what(&self, accepted: u64) -> String {
        match self.opts.form {
            EmitAs::Sample => format!(
                "param_sample holds the joint posterior sample of {} accepted runs (the first {} of {accepted}, by run) over the {} uncertain parameters",
                self.kept(),
                self.kept(),
                self.params.len()
            ),
            _ => format!(
                "{} uncertain parameters whose mean moved by at least {} of the prior's 90% width take their posterior marginals (the joint is not kept)",
                (0..self.params.len()).filter(|&k| self.moved(k)).count(),
                self.opts.min_shift
            ),
        }
    }

    /// The scenario with the posterior: marginals in `param_overrides`, or the joint sample
    /// in `param_sample`. A posterior parameter leaves the overrides and any sample it came
    /// from, so that it takes its values from one place.
    fn scenario(&self, base: &Scenario) -> Scenario {
        let mut sc = base.clone();
        let sample = self.opts.form == EmitAs::Sample;
        let posterior: Vec<&str> = (0..self.params.len())
            .filter(|&k| sample || self.moved(k))
            .map(|k| self.params[k].path.as_str())
            .collect();
        sc.param_overrides
            .retain(|(p, _)| !posterior.contains(&p.as_str()));
        if let Some(old) = sc.param_sample.take() {
            // The columns of the scenario's own sample that are not replaced stay a sample
            // (a marginal form); with a new sample they are constant (else they would be
            // uncertain, hence replaced) and take their one value.
            let keep: Vec<usize> = (0..old.paths.len())
                .filter(|&c| !posterior.contains(&old.paths[c].as_str()))
                .collect();
            if sample {
                for &c in &keep {
                    sc.param_overrides
                        .push((old.paths[c].clone(), Param::Fixed(old.rows[0][c])));
                }
            } else if !keep.is_empty() {
                sc.param_sample = Some(ParamSample {
                    paths: keep.iter().map(|&c| old.paths[c].clone()).collect(),
                    rows: old
                        .rows
                        .iter()
                        .map(|r| keep.iter().map(|&c| r[c]).collect())
                        .collect(),
                });
            }
        }
        if sample {
            sc.param_sample = Some(ParamSample {
                paths: posterior.iter().map(|p| p.to_string()).collect(),
                rows: (0..self.kept())
                    .map(|i| self.accepted.iter().map(|v| v[i]).collect())
                    .collect(),
            });
            return sc;
        }
        for (k, e) in self.params.iter().enumerate() {
            if !self.moved(k) {
                continue;
            }
            let v = &self.accepted[k];
            let posterior = match (self.opts.form, &e.param) {
                (EmitAs::Normal, p) if !matches!(p, Param::Dist(Dist::Choice(_))) => {
                    let (lo, hi) = p.support().unwrap_or((e.lo, e.hi));
                    posterior_law(v, p, lo, hi)
                }
                _ => {
                    let mut s: Vec<f64> = v.iter().take(self.kept()).copied().collect();
                    s.sort_by(f64::total_cmp);
                    Param::Dist(Dist::Choice(s))
                }
            };
            sc.param_overrides.push((e.path.clone(), posterior));
        }
        sc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fitted_parameters_are_rounded_to_four_significant_digits() {
        let v: Vec<f64> = (0..2000)
            .map(|k| 0.2 + 0.6 * ((k as f64 + 0.5) / 2000.0).sqrt())
            .collect();
        let Param::Dist(Dist::TruncNormal(m, s, _, _)) = fit::fit_trunc_normal(&v, 0.2, 0.8) else {
            panic!("not a truncated normal");
        };
        let prior = Param::Dist(Dist::Uniform(0.2, 0.8));
        let Param::Dist(Dist::TruncNormal(rm, rs, lo, hi)) = fit_posterior(&v, &prior, 0.2, 0.8)
        else {
            panic!("not a truncated normal");
        };
        assert_eq!((lo, hi), (0.2, 0.8));
        // m lies in [0.1, 1): four digits are three decimals beyond the first.
        assert_eq!(rm, (m * 1e4).round() / 1e4);
        assert!(
            (rs - s).abs() <= 0.5e-4 * 10f64.powf(s.log10().floor() + 1.0),
            "{rs} {s}"
        );
        assert_eq!(
            fit_posterior(&[0.3, 0.3], &prior, 0.0, 1.0),
            Param::Fixed(0.3)
        );
        // A log-uniform prior is fitted on its log scale.
        let log = Param::Dist(Dist::LogUniform(2.0, 200.0));
        let w: Vec<f64> = v
            .iter()
            .map(|x| 2.0 * 100f64.powf((x - 0.2) / 0.6))
            .collect();
        assert!(matches!(
            fit_posterior(&w, &log, 2.0, 200.0),
            Param::Dist(Dist::LogTruncNormal(_, _, 2.0, 200.0))
        ));
    }
}
