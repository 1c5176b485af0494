//! `statecraft sensitivity`: Sobol indices or Morris effects of every outcome metric with
//! respect to the uncertain parameters, from a design run with common random numbers.

use std::process::ExitCode;

use anyhow::{Result, bail};
use statecraft_core::metric_names;
use statecraft_runner::design::Factor;
use statecraft_runner::sensitivity::{
    MorrisIndex, MorrisPlan, SobolIndex, morris_indices, morris_plan, saltelli_points,
    sobol_indices,
};
use statecraft_runner::{PointsSpec, run_points};

use crate::args::{Method, SensitivityArgs};
use crate::common::{json_bytes, short};
use crate::error::OrInput;
use crate::job::{Job, Timing};
use crate::load::{Loaded, load};
use crate::output::{OutDir, Rows};
use crate::sweep::{DesignManifest, resolve_factors};

/// The indices of one metric.
enum Indices {
    Sobol(Vec<SobolIndex>),
    Morris(Vec<MorrisIndex>),
}

/// The plan of `statecraft sensitivity`: the factors, the metrics, the design drawn and the
/// output named, before any run.
struct Plan {
    loaded: Loaded,
    factors: Vec<Factor>,
    /// Every metric of the world; `chosen` indexes the ones analysed.
    metrics: Vec<String>,
    chosen: Vec<usize>,
    /// The design points' factor values, in evaluation order.
    values: Vec<Vec<f64>>,
    /// Morris's trajectories (`None` for Sobol).
    morris: Option<MorrisPlan>,
    /// The design in words.
    design: String,
    /// Sobol's base samples or Morris's trajectories.
    n: usize,
    seed: u64,
    runs: u64,
    rounds: u32,
    /// Runs in all: points x runs.
    total: u64,
    out: std::path::PathBuf,
}

impl Plan {
    fn lower(args: &SensitivityArgs) -> Result<Plan> {
        let loaded = load(&args.scenario)?;
        let world = &loaded.world;
        let factors = resolve_factors(&loaded, &args.params)?;
        let seed = args.batch.seed.unwrap_or(loaded.scenario.seed);
        let metrics = metric_names(world);
        let chosen = chosen_metrics(&args.metrics, &metrics)?;
        let (values, morris, design, n) = design(args, &factors, seed)?;
        let runs = args.runs;
        let total = (values.len() as u64)
            .checked_mul(runs)
            .filter(|&t| t <= crate::run::MAX_RUNS)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "{} points x {runs} runs is more than {} runs in all; use fewer points or runs",
                    values.len(),
                    crate::run::MAX_RUNS
                )
            })
            .input()?;
        let out = args.out.clone().unwrap_or_else(|| {
            let m = match args.method {
                Method::Sobol => "sobol",
                Method::Morris => "morris",
            };
            format!("out/{}-sensitivity-{m}", world.name).into()
        });
        Ok(Plan {
            rounds: args.batch.rounds.unwrap_or(world.rounds),
            loaded,
            factors,
            metrics,
            chosen,
            values,
            morris,
            design,
            n,
            seed,
            runs,
            total,
            out,
        })
    }
}

/// The indices into `all` of the metrics asked for (every one when none is).
fn chosen_metrics(asked: &[String], all: &[String]) -> Result<Vec<usize>> {
    if asked.is_empty() {
        return Ok((0..all.len()).collect());
    }
    asked
        .iter()
        .map(|m| {
            all.iter().position(|x| x == m).ok_or_else(|| {
                anyhow::anyhow!(
                    "--metrics: unknown metric {m:?}; the metrics are: {}",
                    all.join(", ")
                )
            })
        })
        .collect::<Result<_>>()
        .input()
}

/// A design drawn: its points as values of the factors, Morris's plan, its name and its N.
type Drawn = (Vec<Vec<f64>>, Option<MorrisPlan>, String, usize);

/// The design of `--method` over the factors.
fn design(args: &SensitivityArgs, factors: &[Factor], seed: u64) -> Result<Drawn> {
    let file = args.scenario.display();
    let k = factors.len();
    Ok(match args.method {
        Method::Sobol => {
            let n = args.samples.unwrap_or(256) as usize;
            let unit = saltelli_points(n, k, seed)
                .map_err(|e| anyhow::anyhow!("{file}: {e}"))
                .input()?;
            let values: Vec<Vec<f64>> = unit
                .iter()
                .map(|u| factors.iter().zip(u).map(|(f, &x)| f.value(x)).collect())
                .collect();
            (values, None, format!("sobol (Saltelli, N = {n})"), n)
        }
        Method::Morris => {
            let r = args.samples.unwrap_or(20) as usize;
            let plan = morris_plan(r, k, args.levels, seed)
                .map_err(|e| anyhow::anyhow!("{file}: {e}"))
                .input()?;
            let values: Vec<Vec<f64>> = plan
                .points
                .iter()
                .map(|p| {
                    factors
                        .iter()
                        .zip(p)
                        .map(|(f, &l)| f.value(f.grid_coordinate(l, args.levels)))
                        .collect()
                })
                .collect();
            let name = format!("morris ({r} trajectories, {} levels)", args.levels);
            (values, Some(plan), name, r)
        }
    })
}

/// Runs the design: `y[m][p]`, the mean of metric m over the replications at point p (NaN
/// if never defined), and the timing.
fn run_design(plan: &Plan, job: &Job) -> Result<(Vec<Vec<f64>>, Timing)> {
    let spec = PointsSpec {
        factors: &plan.factors,
        values: &plan.values,
        seed: plan.seed,
        runs: plan.runs,
        rounds: plan.rounds,
    };
    let nm = plan.metrics.len();
    let mut y: Vec<Vec<f64>> = vec![Vec::with_capacity(plan.values.len()); nm];
    let (mut sum, mut count) = (vec![0.0; nm], vec![0u64; nm]);
    let (batch, timing) = job.batch(plan.total, 0, |inc| {
        run_points(
            &plan.loaded.world,
            &spec,
            |recs| -> Result<()> {
                for r in recs {
                    for (m, v) in r.outcome.metrics.iter().enumerate() {
                        if let Some(x) = v {
                            sum[m] += x;
                            count[m] += 1;
                        }
                    }
                    if r.run + 1 == plan.runs {
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
            inc,
        )
    });
    batch?;
    Ok((y, timing))
}

/// `design.csv`: each design point's factor values and the chosen metrics' means there.
fn write_design(out: &OutDir, plan: &Plan, y: &[Vec<f64>]) -> Result<()> {
    let mut h = vec!["point".to_string()];
    h.extend(plan.factors.iter().map(|f| f.path.clone()));
    h.extend(
        plan.chosen
            .iter()
            .map(|&m| format!("{}_mean", plan.metrics[m])),
    );
    let mut design_csv = Rows::new("design.csv", out.file("design.csv")?, &h)?;
    for (p, v) in plan.values.iter().enumerate() {
        design_csv.int(p as u64)?;
        for x in v {
            design_csv.num(Some(*x))?;
        }
        for &m in &plan.chosen {
            design_csv.num(y[m][p].is_finite().then_some(y[m][p]))?;
        }
        design_csv.end()?;
    }
    design_csv.finish()
}

/// The metrics skipped, with why.
type Skipped = Vec<(String, &'static str)>;

/// The indices of every chosen metric that varies over the design, written to
/// `sensitivity.csv`; the metrics skipped.
fn indices(
    out: &OutDir,
    plan: &Plan,
    args: &SensitivityArgs,
    y: &[Vec<f64>],
) -> Result<(Vec<(usize, Indices)>, Skipped)> {
    let header = [
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
    let mut csv = Rows::new("sensitivity.csv", out.file("sensitivity.csv")?, &header)?;
    let (mut results, mut skipped) = (Vec::new(), Vec::new());
    let (k, seed) = (plan.factors.len(), plan.seed);
    for &m in &plan.chosen {
        let (ym, name) = (&y[m], &plan.metrics[m]);
        if ym.iter().any(|v| !v.is_finite()) {
            skipped.push((name.clone(), "undefined at some design points"));
            continue;
        }
        let idx = match &plan.morris {
            None => sobol_indices(ym, plan.n, k, args.bootstrap, 0.95, seed, m as u64)
                .map(Indices::Sobol),
            Some(_) if ym.iter().all(|v| *v == ym[0]) => None,
            Some(mp) => Some(Indices::Morris(morris_indices(
                mp,
                ym,
                args.bootstrap,
                0.95,
                seed,
                m as u64,
            ))),
        };
        let Some(idx) = idx else {
            skipped.push((name.clone(), "does not vary over the design"));
            continue;
        };
        for (i, f) in plan.factors.iter().enumerate() {
            csv.text(match &idx {
                Indices::Sobol(_) => "sobol",
                Indices::Morris(_) => "morris",
            })?;
            csv.text(name)?;
            csv.text(&f.path)?;
            let cells: [Option<f64>; 11] = match &idx {
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
            };
            for x in cells {
                csv.num(x)?;
            }
            csv.end()?;
        }
        results.push((m, idx));
    }
    csv.finish()?;
    Ok((results, skipped))
}

/// Runs `statecraft sensitivity`.
pub fn sensitivity(args: SensitivityArgs) -> Result<ExitCode> {
    let plan = Plan::lower(&args)?;
    if !args.batch.quiet {
        crate::common::status(&format!(
            "{}: {} over {} parameters: {} points x {} runs = {} runs",
            plan.loaded.world.name,
            plan.design,
            plan.factors.len(),
            plan.values.len(),
            plan.runs,
            plan.total
        ));
    }
    let out = OutDir::create(&plan.out, args.batch.force)?;
    let job = Job::start(args.batch.threads, args.batch.quiet)?;
    let (y, timing) = run_design(&plan, &job)?;
    write_design(&out, &plan, &y)?;
    let (results, skipped) = indices(&out, &plan, &args, &y)?;
    let manifest = DesignManifest::new(
        "sensitivity",
        &plan.loaded,
        &plan.factors,
        plan.design.clone(),
        plan.values.len(),
        (plan.seed, plan.runs, plan.rounds),
        timing,
    );
    out.write("manifest.json", &json_bytes(&manifest)?)?;
    let dir = out.commit()?;
    if results.is_empty() && !plan.chosen.is_empty() {
        bail!(
            "no metric varies over the design (results in {}): widen the ranges or add parameters",
            dir.display()
        );
    }
    if !job.quiet() {
        print_indices(&plan, &results);
        for (m, why) in &skipped {
            outln!("\n{m}: skipped, {why}");
        }
        outln!(
            "\n{} runs in {}; results in {}",
            plan.total,
            timing.speed(),
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The terminal tables: per metric, the ten parameters of largest effect.
fn print_indices(plan: &Plan, results: &[(usize, Indices)]) {
    let (factors, k) = (&plan.factors, plan.factors.len());
    let w = factors
        .iter()
        .map(|f| f.path.len())
        .max()
        .unwrap_or(5)
        .max(5);
    for (m, idx) in results {
        outln!("\n{}", plan.metrics[*m]);

        match idx {
            Indices::Sobol(s) => {
                outln!(
                    "  {:<w$}  {:>8}  {:>19}  {:>8}  {:>19}",
                    "parameter",
                    "S1",
                    "95% interval",
                    "ST",
                    "95% interval"
                );
                let mut order: Vec<usize> = (0..k).collect();
                order.sort_by(|&a, &b| s[b].st.total_cmp(&s[a].st));
                for &i in order.iter().take(10) {
                    let e = s[i];
                    outln!(
                        "  {:<w$}  {:>8}  [{:>8}, {:>8}]  {:>8}  [{:>8}, {:>8}]",
                        factors[i].path,
                        short(e.s1),
                        short(e.s1_lo),
                        short(e.s1_hi),
                        short(e.st),
                        short(e.st_lo),
                        short(e.st_hi)
                    );
                }
            }
            Indices::Morris(e) => {
                outln!(
                    "  {:<w$}  {:>10}  {:>23}  {:>10}  {:>10}",
                    "parameter",
                    "mu*",
                    "95% interval",
                    "sigma",
                    "mu"
                );
                let mut order: Vec<usize> = (0..k).collect();
                order.sort_by(|&a, &b| e[b].mu_star.total_cmp(&e[a].mu_star));
                for &i in order.iter().take(10) {
                    let x = e[i];
                    outln!(
                        "  {:<w$}  {:>10}  [{:>10}, {:>10}]  {:>10}  {:>10}",
                        factors[i].path,
                        short(x.mu_star),
                        short(x.mu_star_lo),
                        short(x.mu_star_hi),
                        short(x.sigma),
                        short(x.mu)
                    );
                }
            }
        }
        if k > 10 {
            outln!("  ... {} more in sensitivity.csv", k - 10);
        }
    }
}
