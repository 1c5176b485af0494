//! `statecraft sensitivity`: Sobol indices or Morris effects of every outcome metric with
//! respect to the uncertain parameters, from a design run with common random numbers.

use std::process::ExitCode;

use anyhow::{Result, bail};
use statecraft_api::{Analysis, INDEX_COLUMNS, Indices, Sensitivity, SensitivityOptions};

use crate::args::{Method, SensitivityArgs};
use crate::common::{json_bytes, short};
use crate::error::OrInput;
use crate::job::Job;
use crate::load::{Loaded, load};
use crate::output::{OutDir, Rows};
use crate::sweep::DesignManifest;

/// The plan of `statecraft sensitivity`: the library's [`Sensitivity`] (factors, metrics,
/// design drawn) and the output named, before any run.
struct Plan {
    loaded: Loaded,
    s: Sensitivity,
    out: std::path::PathBuf,
}

impl Plan {
    fn lower(args: &SensitivityArgs) -> Result<Plan> {
        let loaded = load(&args.scenario)?;
        let opts = SensitivityOptions {
            method: match args.method {
                Method::Sobol => statecraft_api::Method::Sobol,
                Method::Morris => statecraft_api::Method::Morris,
            },
            params: args.params.clone(),
            samples: args.samples.map(|n| n as usize),
            levels: Some(args.levels),
            runs: Some(args.runs),
            bootstrap: Some(args.bootstrap),
            metrics: args.metrics.clone(),
            seed: args.batch.seed,
            rounds: args.batch.rounds,
        };
        let s = Sensitivity::new(&loaded, &opts)
            .map_err(|e| match e {
                statecraft_api::Error::UnknownMetric { .. } => anyhow::anyhow!("--metrics: {e}"),
                e => e.into(),
            })
            .input()?;
        let out = args.out.clone().unwrap_or_else(|| {
            let m = match args.method {
                Method::Sobol => "sobol",
                Method::Morris => "morris",
            };
            format!("out/{}-sensitivity-{m}", loaded.world.name).into()
        });
        Ok(Plan { loaded, s, out })
    }
}

/// `design.csv`: each design point's factor values and the chosen metrics' means there.
fn write_design(out: &OutDir, s: &Sensitivity, y: &[Vec<f64>]) -> Result<()> {
    let mut h = vec!["point".to_string()];
    h.extend(s.factors.iter().map(|f| f.path.clone()));
    h.extend(s.chosen.iter().map(|&m| format!("{}_mean", s.metrics[m])));
    let mut design_csv = Rows::new("design.csv", out.file("design.csv")?, &h)?;
    for (p, v) in s.values.iter().enumerate() {
        design_csv.int(p as u64)?;
        for x in v {
            design_csv.num(Some(*x))?;
        }
        for &m in &s.chosen {
            design_csv.num(y[m][p].is_finite().then_some(y[m][p]))?;
        }
        design_csv.end()?;
    }
    Ok(design_csv.finish()?)
}

/// `sensitivity.csv`: the indices of every metric analysed, one row per parameter.
fn write_indices(out: &OutDir, s: &Sensitivity, analysis: &Analysis) -> Result<()> {
    let mut csv = Rows::new(
        "sensitivity.csv",
        out.file("sensitivity.csv")?,
        &INDEX_COLUMNS,
    )?;
    for m in &analysis.indices {
        for (i, f) in s.factors.iter().enumerate() {
            csv.text(m.indices.method())?;
            csv.text(&m.name)?;
            csv.text(&f.path)?;
            for x in m.cells(i) {
                csv.num(x)?;
            }
            csv.end()?;
        }
    }
    Ok(csv.finish()?)
}

/// Runs `statecraft sensitivity`.
pub fn sensitivity(args: SensitivityArgs) -> Result<ExitCode> {
    let plan = Plan::lower(&args)?;
    let s = &plan.s;
    if !args.batch.quiet {
        crate::common::status(&format!(
            "{}: {} over {} parameters: {} points x {} runs = {} runs",
            plan.loaded.world.name,
            s.design,
            s.factors.len(),
            s.values.len(),
            s.runs,
            s.total()
        ));
    }
    let out = OutDir::create(&plan.out, args.batch.force)?;
    let job = Job::start(args.batch.threads, args.batch.quiet)?;
    let (y, timing) = job.batch(s.total(), 0, |inc| s.run_design(&plan.loaded, inc));
    write_design(&out, s, &y)?;
    let analysis = s.indices(y);
    write_indices(&out, s, &analysis)?;
    let manifest = DesignManifest::new(
        "sensitivity",
        &plan.loaded,
        &s.factors,
        s.design.clone(),
        s.values.len(),
        (s.seed, s.runs, s.rounds),
        timing,
    );
    out.write("manifest.json", &json_bytes(&manifest)?)?;
    let dir = out.commit()?;
    if analysis.indices.is_empty() && !s.chosen.is_empty() {
        bail!(
            "no metric varies over the design (results in {}): widen the ranges or add parameters",
            dir.display()
        );
    }
    if !job.quiet() {
        print_indices(s, &analysis);
        for (m, why) in &analysis.skipped {
            outln!("\n{m}: skipped, {why}");
        }
        outln!(
            "\n{} runs in {}; results in {}",
            s.total(),
            timing.speed(),
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The terminal tables: per metric, the ten parameters of largest effect.
fn print_indices(s: &Sensitivity, analysis: &Analysis) {
    let (factors, k) = (&s.factors, s.factors.len());
    let w = factors
        .iter()
        .map(|f| f.path.len())
        .max()
        .unwrap_or(5)
        .max(5);
    for m in &analysis.indices {
        outln!("\n{}", m.name);

        match &m.indices {
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
