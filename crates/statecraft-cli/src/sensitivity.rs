//! `statecraft sensitivity`: Sobol indices or Morris effects of every outcome metric with
//! respect to the uncertain parameters, from a design run with common random numbers.

use std::process::ExitCode;

use anyhow::{Result, bail};
use statecraft_core::metric_names;
use statecraft_runner::sensitivity::{
    MorrisIndex, SobolIndex, morris_indices, morris_plan, saltelli_points, sobol_indices,
};
use statecraft_runner::{PointsSpec, run_points};

use crate::args::{Method, SensitivityArgs};
use crate::common::{json_bytes, short};
use crate::error::OrInput;
use crate::load::load;
use crate::output::{OutDir, Rows};
use crate::sweep::{DesignManifest, resolve_factors};

/// The indices of one metric.
enum Indices {
    Sobol(Vec<SobolIndex>),
    Morris(Vec<MorrisIndex>),
}

/// Runs `statecraft sensitivity`.
pub fn sensitivity(args: SensitivityArgs) -> Result<ExitCode> {
    let loaded = load(&args.scenario)?;
    let world = &loaded.world;
    let factors = resolve_factors(&loaded, &args.params, &args.scenario)?;
    let k = factors.len();
    let seed = args.batch.seed.unwrap_or(loaded.scenario.seed);
    let rounds = args.batch.rounds.unwrap_or(world.rounds);
    let runs = args.runs;
    let file = args.scenario.display();
    let all_metrics = metric_names(world);
    let chosen: Vec<usize> = if args.metrics.is_empty() {
        (0..all_metrics.len()).collect()
    } else {
        args.metrics
            .iter()
            .map(|m| {
                all_metrics.iter().position(|x| x == m).ok_or_else(|| {
                    anyhow::anyhow!(
                        "--metrics: unknown metric {m:?}; the metrics are: {}",
                        all_metrics.join(", ")
                    )
                })
            })
            .collect::<Result<_>>()
            .input()?
    };

    // The design, as values of the factors.
    let (values, plan, design_name, n) = match args.method {
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
    };
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
    if !args.batch.quiet {
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "{}: {design_name} over {k} parameters: {} points x {runs} runs = {total} runs",
                crate::common::shown(&world.name),
                values.len()
            );
        }
    }

    let out_path = args.out.clone().unwrap_or_else(|| {
        let m = match args.method {
            Method::Sobol => "sobol",
            Method::Morris => "morris",
        };
        format!("out/{}-sensitivity-{m}", world.name).into()
    });
    let out = OutDir::create(&out_path, args.batch.force)?;
    let job = crate::job::Job::start(args.batch.threads, args.batch.quiet)?;
    let spec = PointsSpec {
        factors: &factors,
        values: &values,
        seed,
        runs,
        rounds,
    };
    // y[m][p]: the mean of metric m over the replications at point p (NaN if never defined).
    let nm = all_metrics.len();
    let mut y: Vec<Vec<f64>> = vec![Vec::with_capacity(values.len()); nm];
    let (mut sum, mut count) = (vec![0.0; nm], vec![0u64; nm]);
    let (batch, timing) = job.batch(total, 0, |inc| {
        run_points(
            world,
            &spec,
            |recs| -> Result<()> {
                for r in recs {
                    for (m, v) in r.outcome.metrics.iter().enumerate() {
                        if let Some(x) = v {
                            sum[m] += x;
                            count[m] += 1;
                        }
                    }
                    if r.run + 1 == runs {
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

    // The design and its outputs.
    let mut h = vec!["point".to_string()];
    h.extend(factors.iter().map(|f| f.path.clone()));
    h.extend(chosen.iter().map(|&m| format!("{}_mean", all_metrics[m])));
    let mut design_csv = Rows::new("design.csv", out.file("design.csv")?, &h)?;
    for (p, v) in values.iter().enumerate() {
        design_csv.int(p as u64)?;
        for x in v {
            design_csv.num(Some(*x))?;
        }
        for &m in &chosen {
            design_csv.num(y[m][p].is_finite().then_some(y[m][p]))?;
        }
        design_csv.end()?;
    }
    design_csv.finish()?;

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
    let mut results: Vec<(usize, Indices)> = Vec::new();
    let mut skipped: Vec<(String, &str)> = Vec::new();
    for &m in &chosen {
        let ym = &y[m];
        if ym.iter().any(|v| !v.is_finite()) {
            skipped.push((all_metrics[m].clone(), "undefined at some design points"));
            continue;
        }
        let idx = match &plan {
            None => match sobol_indices(ym, n, k, args.bootstrap, 0.95, seed, m as u64) {
                Some(s) => Indices::Sobol(s),
                None => {
                    skipped.push((all_metrics[m].clone(), "does not vary over the design"));
                    continue;
                }
            },
            Some(plan) => {
                if ym.iter().all(|v| *v == ym[0]) {
                    skipped.push((all_metrics[m].clone(), "does not vary over the design"));
                    continue;
                }
                Indices::Morris(morris_indices(
                    plan,
                    ym,
                    args.bootstrap,
                    0.95,
                    seed,
                    m as u64,
                ))
            }
        };
        for (i, f) in factors.iter().enumerate() {
            match &idx {
                Indices::Sobol(s) => {
                    let s = s[i];
                    csv.text("sobol")?;
                    csv.text(&all_metrics[m])?;
                    csv.text(&f.path)?;
                    for x in [s.s1, s.s1_lo, s.s1_hi, s.st, s.st_lo, s.st_hi] {
                        csv.num(Some(x))?;
                    }
                    for _ in 0..5 {
                        csv.num(None)?;
                    }
                }
                Indices::Morris(e) => {
                    let e = e[i];
                    csv.text("morris")?;
                    csv.text(&all_metrics[m])?;
                    csv.text(&f.path)?;
                    for _ in 0..6 {
                        csv.num(None)?;
                    }
                    for x in [e.mu_star, e.mu_star_lo, e.mu_star_hi, e.sigma, e.mu] {
                        csv.num(Some(x))?;
                    }
                }
            }
            csv.end()?;
        }
        results.push((m, idx));
    }
    csv.finish()?;
    let manifest = DesignManifest::new(
        "sensitivity",
        &loaded,
        &factors,
        design_name.clone(),
        values.len(),
        (seed, runs, rounds),
        timing,
    );
    out.write("manifest.json", &json_bytes(&manifest)?)?;
    let dir = out.commit()?;
    if results.is_empty() && !chosen.is_empty() {
        bail!(
            "no metric varies over the design (results in {}): widen the ranges or add parameters",
            dir.display()
        );
    }

    if !args.batch.quiet {
        #[allow(clippy::print_stdout)]
        {
            let w = factors
                .iter()
                .map(|f| f.path.len())
                .max()
                .unwrap_or(5)
                .max(5);
            for (m, idx) in &results {
                outln!("\n{}", all_metrics[*m]);
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
            for (m, why) in &skipped {
                outln!("\n{m}: skipped, {why}");
            }
            outln!(
                "\n{total} runs in {}; results in {}",
                timing.speed(),
                dir.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
