//! `statecraft patterns`: every run scored against observed patterns; with `--abc`, the runs
//! closest to the record over the binding patterns as the posterior of the uncertain
//! parameters (the ABC of `statecraft_runner::abc`).

use std::process::ExitCode;

use anyhow::{Result, bail};
use statecraft_core::scenario::ParamSample;
use statecraft_core::world::ParamEntry;
use statecraft_core::{Dist, Param, Scenario};
use statecraft_runner::patterns::{PatternFile, Scorer};
use statecraft_runner::stats::{mean_sd, quantile_sorted, spread_sorted};
use statecraft_runner::{BatchSpec, run_batch};
use statecraft_runner::{abc, fit};

use crate::args::{EmitAs, PatternsArgs};
use crate::common::{Provenance, json_bytes, short};
use crate::error::OrInput;
use crate::load::load;
use crate::output::{OutDir, Rows};

/// `patterns.json`: the acceptance rates.
#[derive(serde::Serialize)]
struct Summary<'a> {
    #[serde(flatten)]
    provenance: Provenance,
    scenario_name: &'a str,
    scenario_sha256: String,
    patterns_file: String,
    seed: u64,
    runs: u64,
    rounds: u32,
    patterns: Vec<PatternRate<'a>>,
    /// Share of runs satisfying every pattern.
    all: f64,
}

#[derive(serde::Serialize)]
struct PatternRate<'a> {
    id: &'a str,
    name: &'a str,
    test: String,
    target: f64,
    /// The record's value of the quantity, where the pattern states one.
    observed: Option<f64>,
    /// Share of runs where the pattern holds.
    rate: f64,
    /// Mean of the quantity over the runs where it is defined.
    mean: Option<f64>,
    /// 5% and 95% quantiles of the quantity over those runs.
    p5: Option<f64>,
    p95: Option<f64>,
    met: bool,
    /// Whether the pattern enters the ABC's distance: `yes` (holds in 2% to 95% of the runs),
    /// `no: holds` (in at least 95%: it does not bind), `no: unmet` (in under 2%: the model
    /// does not produce it, and a handful of runs would stand for the posterior).
    binding: &'static str,
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

/// What the batch leaves: per pattern its hits and values, per run its draws.
struct Collected {
    hits: Vec<u64>,
    all_hits: u64,
    /// Per pattern, per run: the quantity (NaN where undefined).
    values: Vec<Vec<f64>>,
    /// Per run (with --abc): run index and the uncertain parameters' draws.
    draws: Vec<(u64, Vec<f64>)>,
}

impl Collected {
    /// Mean, 5% and 95% quantile of pattern k's quantity over the runs where it is defined.
    fn spread(&self, k: usize) -> [f64; 3] {
        abc::mean_p5_p95(
            self.values[k]
                .iter()
                .copied()
                .filter(|x| x.is_finite())
                .collect(),
        )
    }
}

/// Runs the batch, writing `patterns.csv` and collecting what the summary and the ABC need.
fn score_batch(
    world: &statecraft_core::World,
    spec: &BatchSpec,
    scorer: &Scorer,
    out: &OutDir,
    args: &PatternsArgs,
) -> Result<Collected> {
    let np = scorer.patterns().len();
    let mut header = vec!["run".to_string()];
    for p in scorer.patterns() {
        header.push(p.id.clone());
        header.push(format!("{}_ok", p.id));
    }
    header.push("all_ok".into());
    let mut csv = Rows::new("patterns.csv", out.file("patterns.csv")?, &header)?;
    let mut c = Collected {
        hits: vec![0; np],
        all_hits: 0,
        values: vec![Vec::new(); np],
        draws: Vec::new(),
    };
    let pool = crate::common::pool(args.batch.threads)?;
    let bar = crate::common::progress_bar(spec.end, args.batch.quiet);
    let inc = |k: u64| bar.inc(k);
    let mut scores = Vec::with_capacity(np);
    pool.install(|| {
        run_batch(
            world,
            spec,
            |recs| -> Result<()> {
                for r in recs {
                    scorer.score(&r.outcome, &r.trajectory, &mut scores);
                    csv.int(r.run)?;
                    let mut all = true;
                    for (k, &(v, ok)) in scores.iter().enumerate() {
                        csv.num(v)?;
                        csv.int(u64::from(ok))?;
                        all &= ok;
                        c.hits[k] += u64::from(ok);
                        c.values[k].push(v.unwrap_or(f64::NAN));
                    }
                    csv.int(u64::from(all))?;
                    csv.end()?;
                    c.all_hits += u64::from(all);
                    if args.abc {
                        c.draws.push((r.run, r.draws.clone()));
                    }
                }
                Ok(())
            },
            &inc,
        )
    })?;
    bar.finish_and_clear();
    csv.finish()?;
    Ok(c)
}

/// What `--emit-scenario` writes: the accepted draws of the uncertain parameters, by
/// parameter in [`World::uncertain`](statecraft_core::World::uncertain) order, each in run
/// order.
struct Emission<'a> {
    args: &'a PatternsArgs,
    params: &'a [&'a ParamEntry],
    accepted: &'a [Vec<f64>],
    /// Each parameter's shift (move of the mean / prior 90% width).
    shifts: Vec<f64>,
}

impl Emission<'_> {
    /// Accepted runs kept by `--emit-max`.
    fn kept(&self) -> usize {
        let n = self.accepted.first().map_or(0, Vec::len);
        n.min(usize::try_from(self.args.emit_max).unwrap_or(usize::MAX))
    }

    /// Whether parameter `k` gets its posterior in a marginal mode.
    fn moved(&self, k: usize) -> bool {
        let shift = self.shifts[k];
        !(shift.abs() < self.args.emit_min_shift || shift.is_nan())
    }

    /// The description's account of the posterior written.
    fn what(&self, accepted: u64) -> String {
        match self.args.emit_as {
            EmitAs::Sample => format!(
                "param_sample holds the joint posterior sample of {} accepted runs (the first {} of {accepted}, by run) over the {} uncertain parameters",
                self.kept(),
                self.kept(),
                self.params.len()
            ),
            _ => format!(
                "{} uncertain parameters whose mean moved by at least {} of the prior's 90% width take their posterior marginals (the joint is not kept)",
                (0..self.params.len()).filter(|&k| self.moved(k)).count(),
                self.args.emit_min_shift
            ),
        }
    }

    /// The scenario with the posterior: marginals in `param_overrides`, or the joint sample
    /// in `param_sample`. A posterior parameter leaves the overrides and any sample it came
    /// from, so that it takes its values from one place.
    fn scenario(&self, base: &Scenario) -> Scenario {
        let mut sc = base.clone();
        let posterior: Vec<&str> = (0..self.params.len())
            .filter(|&k| self.args.emit_as == EmitAs::Sample || self.moved(k))
            .map(|k| self.params[k].path.as_str())
            .collect();
        sc.param_overrides
            .retain(|(p, _)| !posterior.contains(&p.as_str()));
        if let Some(old) = sc.param_sample.take() {
            // The columns of the scenario's own sample that are not replaced stay a sample
            // (a marginal mode); with a new sample they are constant (else they would be
            // uncertain, hence replaced) and take their one value.
            let keep: Vec<usize> = (0..old.paths.len())
                .filter(|&c| !posterior.contains(&old.paths[c].as_str()))
                .collect();
            if self.args.emit_as == EmitAs::Sample {
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
        if self.args.emit_as == EmitAs::Sample {
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
            let posterior = match (self.args.emit_as, &e.param) {
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

/// Runs `statecraft patterns`.
pub fn patterns(args: PatternsArgs) -> Result<ExitCode> {
    let loaded = load(&args.scenario)?;
    let world = &loaded.world;
    let named = crate::load::patterns_file(&args.scenario, &loaded.scenario);
    let file = match (&args.patterns, named) {
        (Some(p), _) => p.clone(),
        (None, Some(f)) => f,
        (None, None) => input_bail!(
            "{}: the scenario names no patterns file; give one with --patterns FILE",
            args.scenario.display()
        ),
    };
    let shown = file.display().to_string();
    let text = crate::load::read_input(&file, "patterns file")?;
    let pf: PatternFile = statecraft_core::scenario::parse_ron(&text, &shown).input()?;
    let runs = args.runs.unwrap_or(loaded.scenario.runs);
    let seed = args.batch.seed.unwrap_or(loaded.scenario.seed);
    let rounds = args.batch.rounds.unwrap_or(world.rounds);
    let scorer = Scorer::new(&pf, world, rounds)
        .map_err(|e| match args.batch.rounds {
            Some(r) => anyhow::anyhow!("{shown}: {e} (with --rounds {r})"),
            None => anyhow::anyhow!("{shown}: {e}"),
        })
        .input()?;
    let spec = BatchSpec {
        seed,
        first: 0,
        end: runs,
        rounds,
        trajectories: if scorer.needs_trajectory() { runs } else { 0 },
        world_series: false,
    };
    if let Some(t) = &args.emit_scenario
        && t.exists()
        && !args.batch.force
    {
        input_bail!(
            "{} already exists; choose another file or replace it with --force",
            t.display()
        );
    }
    let out_path = args
        .out
        .clone()
        .unwrap_or_else(|| format!("out/{}-patterns", world.name).into());
    let out = OutDir::create(&out_path, args.batch.force)?;
    let collected = score_batch(world, &spec, &scorer, &out, &args)?;
    let rates = pattern_rates(&scorer, &collected, runs);
    let summary = Summary {
        provenance: crate::common::provenance(),
        scenario_name: &world.name,
        scenario_sha256: statecraft_results::sha256_hex(&loaded.scenario.to_ron()),
        patterns_file: text.clone(),
        seed,
        runs,
        rounds,
        patterns: rates,
        all: collected.all_hits as f64 / runs as f64,
    };
    out.write("patterns.json", &json_bytes(&summary)?)?;
    let params: Vec<&ParamEntry> = world.uncertain().map(|(_, e)| e).collect();
    let abc = if args.abc {
        Some(abc_tables(&out, &params, &scorer, &collected, &args)?)
    } else {
        None
    };
    let dir = out.commit()?;
    if let (Some(target), Some(abc)) = (&args.emit_scenario, &abc) {
        emit(
            target,
            &loaded.scenario,
            &params,
            abc,
            &args,
            runs,
            seed,
            &shown,
        )?;
    }
    if !args.batch.quiet {
        print(&world.name, &summary, &shown, abc.as_ref(), &args, &dir);
    }
    Ok(ExitCode::SUCCESS)
}

/// Each pattern's rate, quantity and whether it binds.
fn pattern_rates<'a>(scorer: &'a Scorer, c: &Collected, runs: u64) -> Vec<PatternRate<'a>> {
    scorer
        .patterns()
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let rate = c.hits[k] as f64 / runs as f64;
            let [mean, p5, p95] = c.spread(k);
            PatternRate {
                id: &p.id,
                name: &p.name,
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

/// The ABC's result as the tables and the emission use it.
struct AbcOut {
    post: abc::Posterior,
    /// Per parameter: the posterior sample's values (the columns of `posterior.csv`).
    sample: Vec<Vec<f64>>,
    /// Per parameter: prior mean, 5%, 95%; posterior mean, 5%, 95%; shift; width ratio.
    table: Vec<(String, [f64; 8])>,
    /// Pairs of parameters with their posterior correlation, strongest first.
    pairs: Vec<(String, String, f64)>,
    runs: usize,
    /// The patterns' ids.
    ids: Vec<String>,
}

/// Runs the ABC and writes its tables.
fn abc_tables(
    out: &OutDir,
    params: &[&ParamEntry],
    scorer: &Scorer,
    c: &Collected,
    args: &PatternsArgs,
) -> Result<AbcOut> {
    let n = c.draws.len();
    let summaries: Vec<abc::Summary> = scorer
        .patterns()
        .iter()
        .enumerate()
        .map(|(k, p)| abc::Summary {
            observed: p.observed,
            test: p.test,
            binding: binding(c.hits[k] as f64 / n as f64) == "yes",
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
        args.tolerance,
        args.adjust,
    );
    let run_of = |i: usize| c.draws[i].0;
    let mut h = vec!["run".to_string()];
    h.extend(params.iter().map(|e| e.path.clone()));
    let mut w = Rows::new("posterior.csv", out.file("posterior.csv")?, &h)?;
    for (i, row) in &post.sample {
        w.int(run_of(*i))?;
        for x in row {
            w.num(Some(*x))?;
        }
        w.end()?;
    }
    w.finish()?;
    let mut h = vec!["run".to_string(), "distance".into(), "weight".into()];
    h.extend(params.iter().map(|e| e.path.clone()));
    let mut w = Rows::new("abc_accepted.csv", out.file("abc_accepted.csv")?, &h)?;
    for &(i, d, wt) in &post.accepted {
        w.int(run_of(i))?;
        w.num(Some(d))?;
        w.num(Some(wt))?;
        for x in &c.draws[i].1 {
            w.num(Some(*x))?;
        }
        w.end()?;
    }
    w.finish()?;
    let head = ["share", "epsilon", "accepted", "param", "mean", "p5", "p95"];
    let mut w = Rows::new("abc_schedule.csv", out.file("abc_schedule.csv")?, &head)?;
    for s in &post.steps {
        for (e, v) in params.iter().zip(&s.summary) {
            w.num(Some(s.share))?;
            w.num(Some(s.epsilon))?;
            w.int(s.accepted as u64)?;
            w.text(&e.path)?;
            for x in v {
                w.num(x.is_finite().then_some(*x))?;
            }
            w.end()?;
        }
    }
    w.finish()?;
    let sample: Vec<Vec<f64>> = (0..params.len())
        .map(|j| post.sample.iter().map(|s| s.1[j]).collect())
        .collect();
    // Kish's effective sample size of the accepted runs' weights.
    let (sw, sw2) = post
        .accepted
        .iter()
        .fold((0.0, 0.0), |(a, b), r| (a + r.2, b + r.2 * r.2));
    let n_eff = if sw2 > 0.0 { sw * sw / sw2 } else { 0.0 };
    let table = prior_posterior(out, params, &sample, &supports, n_eff)?;
    let pairs = posterior_pairs(out, params, &sample, &scales)?;
    Ok(AbcOut {
        post,
        sample,
        table,
        pairs,
        runs: n,
        ids: scorer.patterns().iter().map(|p| p.id.clone()).collect(),
    })
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

/// Writes `abc.csv`: each parameter's prior and posterior, the shift of its mean (in prior
/// 90% widths) with its Monte Carlo standard error (posterior sd / √n_eff, in the same
/// unit), the ratio of the 90% widths, whether the patterns inform it (the shift beyond
/// INFORMED_SE standard errors, or the width below INFORMED_WIDTH), and its fitted marginal.
fn prior_posterior(
    out: &OutDir,
    params: &[&ParamEntry],
    sample: &[Vec<f64>],
    supports: &[(f64, f64)],
    n_eff: f64,
) -> Result<Vec<(String, [f64; 8])>> {
    let head = [
        "param",
        "prior_mean",
        "prior_p5",
        "prior_p95",
        "posterior_mean",
        "posterior_p5",
        "posterior_p95",
        "shift",
        "shift_se",
        "width_ratio",
        "informed",
        "n_eff",
        "fitted",
    ];
    let mut abc = Rows::new("abc.csv", out.file("abc.csv")?, &head)?;
    let mut table = Vec::new();
    for (k, e) in params.iter().enumerate() {
        let prior = [
            e.param.mean(),
            prior_quantile(&e.param, 0.05),
            prior_quantile(&e.param, 0.95),
        ];
        let mut v = sample[k].clone();
        v.sort_by(f64::total_cmp);
        let post = spread_sorted(&v).map_or([f64::NAN; 3], |s| [s.mean, s.p5, s.p95]);
        let (shift, se, ratio) = movement(&e.param, &v, prior, n_eff, supports[k].0);
        let informed = shift.abs() >= INFORMED_SE * se || ratio <= INFORMED_WIDTH;
        abc.text(&e.path)?;
        for x in prior.iter().chain(&post).chain([&shift, &se, &ratio]) {
            abc.num(x.is_finite().then_some(*x))?;
        }
        abc.int(u64::from(informed))?;
        abc.num(Some((n_eff * 10.0).round() / 10.0))?;
        let fitted = match &e.param {
            Param::Dist(Dist::Choice(_)) => String::new(),
            p if v.len() >= 2 => posterior_law(&v, p, supports[k].0, supports[k].1).to_string(),
            _ => String::new(),
        };
        abc.text(&fitted)?;
        abc.end()?;
        let row = [
            prior[0], prior[1], prior[2], post[0], post[1], post[2], shift, ratio,
        ];
        table.push((e.path.clone(), row));
    }
    abc.finish()?;
    Ok(table)
}

/// Writes `abc_pairs.csv`: the posterior correlation of every pair of continuous parameters
/// (on the regression's unbounded scale), strongest first; a strong one is a pair the
/// patterns trade off.
fn posterior_pairs(
    out: &OutDir,
    params: &[&ParamEntry],
    sample: &[Vec<f64>],
    scales: &[abc::Scale],
) -> Result<Vec<(String, String, f64)>> {
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
    let mut w = Rows::new(
        "abc_pairs.csv",
        out.file("abc_pairs.csv")?,
        &["param_a", "param_b", "correlation"],
    )?;
    for (a, b, r) in &pairs {
        w.text(a)?;
        w.text(b)?;
        w.num(Some(*r))?;
        w.end()?;
    }
    w.finish()?;
    Ok(pairs)
}

/// Writes the posterior scenario.
#[allow(clippy::too_many_arguments)]
fn emit(
    target: &std::path::Path,
    scenario: &Scenario,
    params: &[&ParamEntry],
    abc: &AbcOut,
    args: &PatternsArgs,
    runs: u64,
    seed: u64,
    shown: &str,
) -> Result<()> {
    if abc.post.sample.is_empty() {
        bail!(
            "no run was accepted: there is no posterior to write to {}",
            target.display()
        );
    }
    let emit = Emission {
        args,
        params,
        accepted: &abc.sample,
        shifts: abc.table.iter().map(|t| t.1[6]).collect(),
    };
    let mut sc = emit.scenario(scenario);
    sc.patterns = None;
    sc.description = format!(
        "{} [Posterior of `statecraft patterns --abc` on {runs} runs, seed {seed}, patterns of {shown}: {} runs accepted at the final tolerance ({} of the runs){}; {}.]",
        scenario.description,
        abc.post.accepted.len(),
        args.tolerance,
        if args.adjust {
            ", regression-adjusted"
        } else {
            ""
        },
        emit.what(abc.post.accepted.len() as u64)
    );
    let text = format!(
        "// Written by `statecraft patterns --abc --emit-scenario` (statecraft {}).\n{}\n",
        env!("CARGO_PKG_VERSION"),
        sc.to_ron()
    );
    crate::output::write_file_atomically(target, text.as_bytes())
}
/// Prints the patterns table and, with --abc, the schedule, the parameters and the pairs.
fn print(
    name: &str,
    summary: &Summary,
    shown: &str,
    abc: Option<&AbcOut>,
    args: &PatternsArgs,
    dir: &std::path::Path,
) {
    outln!(
        "{name}: {} runs, seed {}, patterns of {shown}",
        summary.runs,
        summary.seed
    );
    let w = summary
        .patterns
        .iter()
        .map(|p| p.id.len())
        .max()
        .unwrap_or(2)
        .max(7);
    outln!(
        "{:<w$}  {:>8}  {:>8}  {:>19}  {:>15}  {:>8}  {:>6}  {:>3}  {:<9}  pattern",
        "pattern",
        "observed",
        "mean",
        "90% of runs",
        "test",
        "holds in",
        "target",
        "met",
        "in ABC"
    );
    for p in &summary.patterns {
        let o = |x: Option<f64>| x.map_or("-".to_string(), short);
        outln!(
            "{:<w$}  {:>8}  {:>8}  [{:>8}, {:>8}]  {:>15}  {:>7.1}%  {:>5.0}%  {:>3}  {:<9}  {}",
            p.id,
            o(p.observed),
            o(p.mean),
            o(p.p5),
            o(p.p95),
            p.test,
            100.0 * p.rate,
            100.0 * p.target,
            if p.met { "yes" } else { "NO" },
            p.binding,
            p.name
        );
    }
    outln!("{:<w$}  {:>73.1}%", "all", 100.0 * summary.all);
    if let Some(abc) = abc {
        print_abc(abc, args);
    }
    outln!("\nresults in {}", dir.display());
    if let Some(t) = &args.emit_scenario {
        outln!("posterior scenario written to {}", t.display());
    }
}

/// The ABC's part of the printout.
fn print_abc(abc: &AbcOut, args: &PatternsArgs) {
    let used = abc.post.used.iter().filter(|&&u| u).count();
    outln!(
        "\nABC: distance over {used} binding patterns, tolerance schedule to {} of {} runs{}:",
        args.tolerance,
        abc.runs,
        if args.adjust {
            ", regression adjustment (Beaumont, Zhang & Balding 2002)"
        } else {
            ", rejection"
        }
    );
    for s in &abc.post.steps {
        outln!(
            "  share {:<6} epsilon {:>9}  accepted {:>7}",
            s.share,
            short(s.epsilon),
            s.accepted
        );
    }
    let far: Vec<String> = abc
        .ids
        .iter()
        .zip(&abc.post.accepted_gap)
        .zip(&abc.post.used)
        .filter(|(_, u)| **u)
        .map(|((id, g), _)| format!("{id} {g:+.2}"))
        .collect();
    outln!(
        "Accepted runs' mean gap to the record, in spreads (far from 0: the record lies outside the runs the model makes): {}",
        far.join(", ")
    );
    let mut table = abc.table.clone();
    table.sort_by(|a, b| b.1[6].abs().total_cmp(&a.1[6].abs()));
    outln!(
        "The parameters the patterns move most (shift = change of the mean / prior 90% width; width = posterior 90% width / prior's):"
    );
    let w = table.iter().map(|t| t.0.len()).max().unwrap_or(5).max(9);
    outln!(
        "{:<w$}  {:>10}  {:>21}  {:>10}  {:>21}  {:>6}  {:>5}",
        "parameter",
        "prior mean",
        "prior 90%",
        "post mean",
        "posterior 90%",
        "shift",
        "width"
    );
    for (path, v) in table.iter().take(15) {
        outln!(
            "{path:<w$}  {:>10}  [{:>9}, {:>9}]  {:>10}  [{:>9}, {:>9}]  {:>+6.2}  {:>5.2}",
            short(v[0]),
            short(v[1]),
            short(v[2]),
            short(v[3]),
            short(v[4]),
            short(v[5]),
            v[6],
            v[7]
        );
    }
    if table.len() > 15 {
        outln!("... {} more in abc.csv", table.len() - 15);
    }
    let strong: Vec<_> = abc.pairs.iter().filter(|p| p.2.abs() >= 0.3).collect();
    if !strong.is_empty() {
        outln!("Pairs the patterns trade off (posterior correlation, |r| >= 0.3):");
        for (a, b, r) in strong.iter().take(10) {
            outln!("  {r:>+5.2}  {a} ~ {b}");
        }
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
