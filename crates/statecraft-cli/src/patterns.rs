//! `statecraft patterns`: every run scored against observed patterns; with `--abc`, the runs
//! that satisfy all of them as the posterior of the uncertain parameters.

use std::process::ExitCode;

use anyhow::{Result, bail};
use statecraft_core::scenario::ParamSample;
use statecraft_core::{Dist, Param, Scenario};
use statecraft_runner::fit;
use statecraft_runner::patterns::{PatternFile, Scorer};
use statecraft_runner::stats::quantile_sorted;
use statecraft_runner::{BatchSpec, run_batch};

use crate::args::{EmitAs, PatternsArgs};
use crate::common::{Provenance, json_bytes, short};
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
    /// Share of runs where the pattern holds.
    rate: f64,
    /// Mean of the quantity over the runs where it is defined.
    mean: Option<f64>,
    met: bool,
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

/// What `--emit-scenario` writes: the accepted draws of the uncertain parameters, by
/// parameter in [`World::uncertain`](statecraft_core::World::uncertain) order, each in run
/// order.
struct Emission<'a> {
    args: &'a PatternsArgs,
    params: &'a [(u32, &'a statecraft_core::world::ParamEntry)],
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
            .map(|k| self.params[k].1.path.as_str())
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
        for (k, (_, e)) in self.params.iter().enumerate() {
            if !self.moved(k) {
                continue;
            }
            let v = &self.accepted[k];
            let posterior = match (self.args.emit_as, &e.param) {
                (EmitAs::Normal, p) if !matches!(p, Param::Dist(Dist::Choice(_))) => {
                    let (lo, hi) = p.support().unwrap_or((e.lo, e.hi));
                    fit_posterior(v, p, lo, hi)
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
        (None, None) => bail!(
            "{}: the scenario names no patterns file; give one with --patterns FILE",
            args.scenario.display()
        ),
    };
    let shown = file.display().to_string();
    let text = crate::load::read_input(&file, "patterns file")?;
    let pf: PatternFile = statecraft_core::scenario::parse_ron(&text, &shown)?;
    let runs = args.runs.unwrap_or(loaded.scenario.runs);
    let seed = args.batch.seed.unwrap_or(loaded.scenario.seed);
    let rounds = args.batch.rounds.unwrap_or(world.rounds);
    let scorer = Scorer::new(&pf, world, rounds).map_err(|e| match args.batch.rounds {
        Some(r) => anyhow::anyhow!("{shown}: {e} (with --rounds {r})"),
        None => anyhow::anyhow!("{shown}: {e}"),
    })?;
    let np = scorer.patterns().len();
    let spec = BatchSpec {
        seed,
        first: 0,
        end: runs,
        rounds,
        trajectories: if scorer.needs_trajectory() { runs } else { 0 },
        world_series: false,
    };

    let out_path = args
        .out
        .clone()
        .unwrap_or_else(|| format!("out/{}-patterns", world.name).into());
    let out = OutDir::create(&out_path, args.batch.force)?;
    let mut header = vec!["run".to_string()];
    for p in scorer.patterns() {
        header.push(p.id.clone());
        header.push(format!("{}_ok", p.id));
    }
    header.push("all_ok".into());
    let mut csv = Rows::new("patterns.csv", out.file("patterns.csv")?, &header)?;
    let params: Vec<(u32, &statecraft_core::world::ParamEntry)> = world.uncertain().collect();
    let mut post_csv = if args.abc {
        let mut h = vec!["run".to_string()];
        h.extend(params.iter().map(|(_, e)| e.path.clone()));
        Some(Rows::new("posterior.csv", out.file("posterior.csv")?, &h)?)
    } else {
        None
    };

    if let Some(t) = &args.emit_scenario
        && t.exists()
        && !args.batch.force
    {
        bail!(
            "{} already exists; choose another file or replace it with --force",
            t.display()
        );
    }
    let pool = crate::common::pool(args.batch.threads)?;
    let bar = crate::common::progress_bar(runs, args.batch.quiet);
    let inc = |k: u64| bar.inc(k);
    let (mut hits, mut sums, mut defined) = (vec![0u64; np], vec![0.0; np], vec![0u64; np]);
    let mut all_hits = 0u64;
    // Accepted draws, by parameter (in uncertain order).
    let mut accepted: Vec<Vec<f64>> = vec![Vec::new(); params.len()];
    let mut scores = Vec::with_capacity(np);
    pool.install(|| {
        run_batch(
            world,
            &spec,
            |recs| -> Result<()> {
                for r in recs {
                    scorer.score(&r.outcome, &r.trajectory, &mut scores);
                    csv.int(r.run)?;
                    let mut all = true;
                    for (k, &(v, ok)) in scores.iter().enumerate() {
                        csv.num(v)?;
                        csv.int(u64::from(ok))?;
                        all &= ok;
                        hits[k] += u64::from(ok);
                        if let Some(x) = v {
                            sums[k] += x;
                            defined[k] += 1;
                        }
                    }
                    csv.int(u64::from(all))?;
                    csv.end()?;
                    if all {
                        all_hits += 1;
                        if let Some(w) = post_csv.as_mut() {
                            w.int(r.run)?;
                            for (k, x) in r.draws.iter().enumerate() {
                                w.num(Some(*x))?;
                                accepted[k].push(*x);
                            }
                            w.end()?;
                        }
                    }
                }
                Ok(())
            },
            &inc,
        )
    })?;
    bar.finish_and_clear();
    csv.finish()?;

    let rates: Vec<PatternRate> = scorer
        .patterns()
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let rate = hits[k] as f64 / runs as f64;
            PatternRate {
                id: &p.id,
                name: &p.name,
                test: p.test.to_string(),
                target: p.target,
                rate,
                mean: (defined[k] > 0).then(|| sums[k] / defined[k] as f64),
                met: rate >= p.target,
            }
        })
        .collect();
    let scenario_text = loaded.scenario.to_ron();
    let summary = Summary {
        provenance: Provenance::here(),
        scenario_name: &world.name,
        scenario_sha256: crate::run::sha256_hex(&scenario_text),
        patterns_file: text.clone(),
        seed,
        runs,
        rounds,
        patterns: rates,
        all: all_hits as f64 / runs as f64,
    };
    out.write("patterns.json", &json_bytes(&summary)?)?;

    // Prior against posterior.
    let mut table: Vec<(String, [f64; 6], f64)> = Vec::new();
    if let Some(w) = post_csv {
        w.finish()?;
        let mut abc = Rows::new(
            "abc.csv",
            out.file("abc.csv")?,
            &[
                "param",
                "prior_mean",
                "prior_p5",
                "prior_p95",
                "posterior_mean",
                "posterior_p5",
                "posterior_p95",
                "shift",
                "accepted",
                "fitted",
            ],
        )?;
        for (k, (_, e)) in params.iter().enumerate() {
            let prior = [
                e.param.mean(),
                prior_quantile(&e.param, 0.05),
                prior_quantile(&e.param, 0.95),
            ];
            let mut v = accepted[k].clone();
            v.sort_by(f64::total_cmp);
            let post = if v.is_empty() {
                [f64::NAN; 3]
            } else {
                [
                    v.iter().sum::<f64>() / v.len() as f64,
                    quantile_sorted(&v, 0.05),
                    quantile_sorted(&v, 0.95),
                ]
            };
            // The move of the mean, in units of the prior's 90% width.
            let width = prior[2] - prior[1];
            let shift = if width > 0.0 {
                (post[0] - prior[0]) / width
            } else {
                0.0
            };
            abc.text(&e.path)?;
            for x in prior.iter().chain(&post).chain([&shift]) {
                abc.num(x.is_finite().then_some(*x))?;
            }
            abc.int(v.len() as u64)?;
            let fitted = match &e.param {
                Param::Dist(Dist::Choice(_)) => String::new(),
                p if v.len() >= 2 => {
                    let (lo, hi) = p.support().unwrap_or((e.lo, e.hi));
                    fit_posterior(&v, p, lo, hi).to_string()
                }
                _ => String::new(),
            };
            abc.text(&fitted)?;
            abc.end()?;
            table.push((
                e.path.clone(),
                [prior[0], prior[1], prior[2], post[0], post[1], post[2]],
                shift,
            ));
        }
        abc.finish()?;
    }
    let dir = out.commit()?;

    if let Some(target) = &args.emit_scenario {
        if all_hits == 0 {
            bail!(
                "no run satisfies every pattern: there is no posterior to write to {} (results in {})",
                target.display(),
                dir.display()
            );
        }
        let emit = Emission {
            args: &args,
            params: &params,
            accepted: &accepted,
            shifts: table.iter().map(|t| t.2).collect(),
        };
        let mut sc = emit.scenario(&loaded.scenario);
        sc.patterns = None;
        sc.description = format!(
            "{} [Posterior of `statecraft patterns --abc` on {} runs, seed {seed}: {all_hits} runs satisfied every pattern of {shown}; {}.]",
            sc.description,
            runs,
            emit.what(all_hits)
        );
        let text = format!(
            "// Written by `statecraft patterns --abc --emit-scenario` (statecraft {}).\n{}\n",
            env!("CARGO_PKG_VERSION"),
            sc.to_ron()
        );
        crate::output::write_file_atomically(target, text.as_bytes())?;
    }

    if !args.batch.quiet {
        #[allow(clippy::print_stdout)]
        {
            outln!(
                "{}: {runs} runs, seed {seed}, patterns of {shown}",
                world.name
            );
            let w = scorer
                .patterns()
                .iter()
                .map(|p| p.id.len())
                .max()
                .unwrap_or(2)
                .max(7);
            outln!(
                "{:<w$}  {:>10}  {:>14}  {:>8}  {:>7}  {:>4}  pattern",
                "pattern",
                "mean",
                "test",
                "holds in",
                "target",
                "met"
            );
            for (k, p) in scorer.patterns().iter().enumerate() {
                let rate = hits[k] as f64 / runs as f64;
                let mean = (defined[k] > 0).then(|| sums[k] / defined[k] as f64);
                outln!(
                    "{:<w$}  {:>10}  {:>14}  {:>7.1}%  {:>6.0}%  {:>4}  {}",
                    p.id,
                    mean.map_or("-".to_string(), short),
                    p.test.to_string(),
                    100.0 * rate,
                    100.0 * p.target,
                    if rate >= p.target { "yes" } else { "NO" },
                    p.name
                );
            }
            outln!(
                "{:<w$}  {:>10}  {:>14}  {:>7.1}%",
                "all",
                "",
                "",
                100.0 * all_hits as f64 / runs as f64
            );
            if args.abc {
                let mut table = table.clone();
                table.sort_by(|a, b| b.2.abs().total_cmp(&a.2.abs()));
                outln!(
                    "\nABC by rejection: {all_hits} of {runs} runs accepted. The parameters the patterns move most (shift = change of the mean / prior 90% width):"
                );
                let w = table.iter().map(|t| t.0.len()).max().unwrap_or(5).max(9);
                outln!(
                    "{:<w$}  {:>10}  {:>21}  {:>10}  {:>21}  {:>6}",
                    "parameter",
                    "prior mean",
                    "prior 90%",
                    "post mean",
                    "posterior 90%",
                    "shift"
                );
                for (path, v, shift) in table.iter().take(15) {
                    outln!(
                        "{path:<w$}  {:>10}  [{:>9}, {:>9}]  {:>10}  [{:>9}, {:>9}]  {shift:>+6.2}",
                        short(v[0]),
                        short(v[1]),
                        short(v[2]),
                        short(v[3]),
                        short(v[4]),
                        short(v[5])
                    );
                }
                if table.len() > 15 {
                    outln!("... {} more in abc.csv", table.len() - 15);
                }
            }
            outln!("\nresults in {}", dir.display());
            if let Some(t) = &args.emit_scenario {
                outln!("posterior scenario written to {}", t.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
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
