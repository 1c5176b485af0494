//! `statecraft sweep`: a design of parameter points, each run with the same replications
//! (common random numbers), summarised in `sweep.csv`.

use std::process::ExitCode;

use anyhow::Result;
use statecraft_api::{Sweep, SweepOptions};
use statecraft_core::{World, metric_names};
use statecraft_runner::design::{Factor, FactorRange};
use statecraft_runner::stats;

use crate::args::SweepArgs;
use crate::common::{Provenance, json_bytes, short};
use crate::error::OrInput;
use crate::job::{Job, Timing};
use crate::load::{Loaded, load};
use crate::output::{OutDir, Rows};

/// One factor as `manifest.json` records it.
#[derive(serde::Serialize)]
struct FactorRecord<'a> {
    path: &'a str,
    /// `Uniform(lo, hi)` or the distribution sampled.
    range: String,
}

fn factor_records(factors: &[Factor]) -> Vec<FactorRecord<'_>> {
    factors
        .iter()
        .map(|f| FactorRecord {
            path: &f.path,
            range: match &f.range {
                FactorRange::Uniform { lo, hi } => format!("Uniform({lo}, {hi})"),
                FactorRange::Dist(p) => p.to_string(),
            },
        })
        .collect()
}

/// `manifest.json` of a sweep or sensitivity folder.
#[derive(serde::Serialize)]
pub struct DesignManifest<'a> {
    /// "sweep" or "sensitivity".
    pub kind: &'a str,
    /// Who wrote it.
    #[serde(flatten)]
    pub provenance: Provenance,
    /// Scenario name.
    pub scenario_name: &'a str,
    /// SHA-256 of `scenario`.
    pub scenario_sha256: String,
    /// Seed.
    pub seed: u64,
    /// The design, in words (`lhs`, `grid 5 levels`, `sobol saltelli N=256`, ...).
    pub design: String,
    /// Design points.
    pub points: usize,
    /// Replications per point.
    pub runs: u64,
    /// Rounds per run.
    pub rounds: u32,
    /// The factors.
    factors: Vec<FactorRecord<'a>>,
    /// Worker threads.
    pub threads: usize,
    /// Wall time, seconds.
    pub wall_seconds: f64,
    /// Runs per second.
    pub runs_per_second: f64,
    /// The scenario with its world, re-serialised (RON).
    pub scenario: String,
}

impl<'a> DesignManifest<'a> {
    /// A manifest for the design `design` of `factors` over the loaded scenario.
    pub fn new(
        kind: &'a str,
        loaded: &'a Loaded,
        factors: &'a [Factor],
        design: String,
        points: usize,
        (seed, runs, rounds): (u64, u64, u32),
        timing: Timing,
    ) -> Self {
        let scenario = loaded.scenario.to_ron();
        DesignManifest {
            kind,
            provenance: crate::common::provenance(),
            scenario_name: &loaded.world.name,
            scenario_sha256: statecraft_results::sha256_hex(&scenario),
            seed,
            design,
            points,
            runs,
            rounds,
            factors: factor_records(factors),
            threads: timing.threads,
            wall_seconds: timing.seconds,
            // The runs this invocation computed (a shard's, not the whole design's).
            runs_per_second: timing.runs_per_second(),
            scenario,
        }
    }
}

/// Reads a design made elsewhere: a CSV file of parameter paths (the header) and one row of
/// values per point.
fn read_design(path: &std::path::Path) -> Result<(Vec<String>, Vec<Vec<f64>>)> {
    let shown = path.display();
    let text = crate::load::read_input(path, "design file")?;
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let paths: Vec<String> = rdr
        .headers()
        .map_err(|e| anyhow::anyhow!("{shown}: {e}"))
        .input()?
        .iter()
        .map(str::to_string)
        .collect();
    if paths.is_empty() || paths.iter().any(String::is_empty) {
        input_bail!("{shown}: the header must name every column by a parameter's path");
    }
    let mut rows = Vec::new();
    for (k, rec) in rdr.records().enumerate() {
        let line = k + 2;
        let rec = rec
            .map_err(|e| anyhow::anyhow!("{shown}:{line}: {e}"))
            .input()?;
        let row = rec
            .iter()
            .zip(&paths)
            .map(|(cell, p)| match cell.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(x),
                _ => Err(anyhow::anyhow!(
                    "{shown}:{line}: column {p}: {cell:?} is not a finite number"
                )),
            })
            .collect::<Result<Vec<f64>>>()
            .input()?;
        rows.push(row);
    }
    Ok((paths, rows))
}

/// The plan of `statecraft sweep`: the library's [`Sweep`] (factors, design drawn, this
/// folder's points) and the output named, before any run.
struct SweepPlan {
    loaded: Loaded,
    sweep: Sweep,
    out: std::path::PathBuf,
}

impl SweepPlan {
    fn lower(args: &SweepArgs) -> Result<SweepPlan> {
        let loaded = load(&args.scenario)?;
        let opts = SweepOptions {
            params: args.params.clone(),
            design: args.design,
            points: args.points.map(|p| p as usize),
            levels: args.levels.map(|l| l as usize),
            runs: args.runs,
            seed: args.batch.seed,
            rounds: args.batch.rounds,
            shard: args.shard,
            given: args.design_file.as_deref().map(read_design).transpose()?,
        };
        let sweep = Sweep::new(&loaded, &opts)
            .map_err(|e| match &args.design_file {
                Some(f) => anyhow::Error::new(e).context(f.display().to_string()),
                None => e.into(),
            })
            .input()?;
        let world_name = &loaded.world.name;
        let out = args.out.clone().unwrap_or_else(|| match args.shard {
            Some((k, n)) => format!("out/{world_name}-sweep-shards/shard-{k}-of-{n}").into(),
            None => format!("out/{world_name}-sweep").into(),
        });
        Ok(SweepPlan { loaded, sweep, out })
    }
}

/// Runs the plan's points into `sweep.csv` (and with `per_run` `runs.csv`), with the
/// folder's `schema.json`: returns each point's metric means, for the table, and the timing.
fn run_sweep(
    plan: &SweepPlan,
    job: &Job,
    out: &OutDir,
    per_run: bool,
) -> Result<(Vec<Vec<f64>>, Timing)> {
    let sweep = &plan.sweep;
    let metrics = &sweep.metrics;
    let factors: Vec<String> = sweep.factors.iter().map(|f| f.path.clone()).collect();
    let draws = sweep.draws(&plan.loaded);
    let schema = statecraft_api::tables::sweep_schema(&factors, &draws, metrics, per_run);
    out.write(statecraft_results::FolderSchema::FILE, &schema.to_json())?;
    let header = statecraft_api::sweep_columns(&factors, metrics);
    let mut sweep_csv = Rows::new("sweep.csv", out.file("sweep.csv")?, &header)?;
    let mut runs_csv = if per_run {
        let mut h = vec!["point".to_string(), "run".to_string()];
        h.extend(factors.iter().cloned());
        h.extend(draws.iter().cloned());
        h.extend(metrics.iter().cloned());
        Some(Rows::new("runs.csv", out.file("runs.csv")?, &h)?)
    } else {
        None
    };
    let mut done: Vec<Vec<f64>> = Vec::with_capacity(sweep.end - sweep.first);
    let (batch, timing) = job.batch(sweep.total(), 0, |inc| {
        sweep.run_with(
            &plan.loaded,
            inc,
            |point, r| -> Result<()> {
                let Some(w) = runs_csv.as_mut() else {
                    return Ok(());
                };
                w.int(point as u64)?;
                w.int(r.run)?;
                for x in sweep.values[point].iter().chain(&r.draws) {
                    w.num(Some(*x))?;
                }
                for m in &r.outcome.metrics {
                    w.num(*m)?;
                }
                Ok(w.end()?)
            },
            |row| -> Result<()> {
                sweep_csv.int(row.point as u64)?;
                for x in &row.values {
                    sweep_csv.num(Some(*x))?;
                }
                for s in &row.summaries {
                    for x in statecraft_api::stat_cells(s) {
                        sweep_csv.num(x.is_finite().then_some(x))?;
                    }
                }
                sweep_csv.end()?;
                done.push(row.summaries.iter().map(|s| s.mean).collect());
                Ok(())
            },
        )
    });
    batch?;
    sweep_csv.finish()?;
    if let Some(w) = runs_csv {
        w.finish()?;
    }
    Ok((done, timing))
}

/// Runs `statecraft sweep`.
pub fn sweep(args: SweepArgs) -> Result<ExitCode> {
    let plan = SweepPlan::lower(&args)?;
    let out = OutDir::create(&plan.out, args.batch.force)?;
    let job = Job::start(args.batch.threads, args.batch.quiet)?;
    let (done, timing) = run_sweep(&plan, &job, &out, args.per_run)?;
    let (seed, runs, rounds) = (plan.sweep.seed, plan.sweep.runs, plan.sweep.rounds);
    let manifest = DesignManifest::new(
        "sweep",
        &plan.loaded,
        &plan.sweep.factors,
        plan.sweep.design.clone(),
        plan.sweep.values.len(),
        (seed, runs, rounds),
        timing,
    );
    out.write("manifest.json", &json_bytes(&manifest)?)?;
    if let Some((k, n)) = args.shard {
        let shard = SweepShard {
            key: SweepKey {
                statecraft_version: env!("CARGO_PKG_VERSION").to_string(),
                scenario_sha256: manifest.scenario_sha256.clone(),
                seed,
                design: plan.sweep.design.clone(),
                points: plan.sweep.values.len() as u64,
                runs,
                rounds,
                factors: plan.sweep.factors.iter().map(|f| f.path.clone()).collect(),
                ranges: factor_records(&plan.sweep.factors)
                    .into_iter()
                    .map(|r| r.range)
                    .collect(),
                values_sha256: design_sha256(&plan.sweep.values),
                per_run: args.per_run,
            },
            shard: k,
            shards: n,
            first: plan.sweep.first as u64,
            end: plan.sweep.end as u64,
        };
        out.write("sweep_shard.json", &json_bytes(&shard)?)?;
    }
    let dir = out.commit()?;
    if !job.quiet() {
        let world = &plan.loaded.world;
        let points = &plan.sweep.values[plan.sweep.first..plan.sweep.end];
        print_drivers(
            world,
            &plan.sweep.factors,
            points,
            &metric_names(world),
            &done,
        );
        outln!(
            "\n{} points ({}) x {runs} runs = {} runs in {}; results in {}",
            plan.sweep.values.len(),
            plan.sweep.design,
            plan.sweep.total(),
            timing.speed(),
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// What shards of one sweep share.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
pub struct SweepKey {
    statecraft_version: String,
    scenario_sha256: String,
    seed: u64,
    design: String,
    points: u64,
    runs: u64,
    rounds: u32,
    factors: Vec<String>,
    /// Each factor's range or distribution, as the manifest gives it.
    ranges: Vec<String>,
    /// SHA-256 of every point's factor values (their bits): the whole design, levels and
    /// design seed included.
    values_sha256: String,
    per_run: bool,
}

/// The SHA-256 of a design's values, bit for bit, in hex.
fn design_sha256(values: &[Vec<f64>]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in values {
        h.update((p.len() as u64).to_le_bytes());
        for x in p {
            h.update(x.to_bits().to_le_bytes());
        }
    }
    statecraft_results::provenance::hex(&h.finalize())
}

/// `sweep_shard.json`: which design points a sweep shard holds.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug)]
pub struct SweepShard {
    key: SweepKey,
    shard: u64,
    shards: u64,
    /// First design point (inclusive).
    first: u64,
    /// Last design point (exclusive).
    end: u64,
}

/// `statecraft merge` of sweep shards: the rows of sweep.csv (and runs.csv) in point order,
/// byte-identical to the unsharded sweep; shards of other sweeps, overlapping or missing
/// points are refused.
pub fn merge(args: &crate::args::MergeArgs) -> Result<ExitCode> {
    use anyhow::Context;
    let mut shards: Vec<(std::path::PathBuf, SweepShard)> = Vec::new();
    for d in &args.shards {
        let p = d.join("sweep_shard.json");
        let text = std::fs::read_to_string(&p)
            .with_context(|| {
                format!(
                    "{} is not a sweep shard: cannot read {}",
                    d.display(),
                    p.display()
                )
            })
            .input()?;
        let s: SweepShard = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a sweep_shard.json of statecraft", p.display()))
            .input()?;
        if let Some((d0, s0)) = shards.first()
            && s0.key != s.key
        {
            input_bail!(
                "{} and {} are shards of different sweeps (scenario, seed, design, points, levels, runs, rounds, parameters, their ranges or version differ); merge the shards of one sweep",
                d0.display(),
                d.display()
            );
        }
        shards.push((d.clone(), s));
    }
    let total = shards[0].1.key.points;
    statecraft_results::check_tiling(&mut shards, |s| (s.first, s.end), total, "design points")
        .input()?;
    let out = OutDir::create(&args.out, args.force)?;
    let mut files = vec!["sweep.csv"];
    if shards[0].1.key.per_run {
        files.push("runs.csv");
    }
    let dirs: Vec<&std::path::Path> = shards.iter().map(|(d, _)| d.as_path()).collect();
    for name in files {
        crate::merge::concat_csv(&out, name, &dirs, |_, p| crate::merge::read_head(p))?;
    }
    let dirs: Vec<std::path::PathBuf> = shards.iter().map(|(d, _)| d.clone()).collect();
    if let Some(schema) = crate::merge::merged_schema(&dirs)? {
        out.write(statecraft_results::FolderSchema::FILE, &schema.to_json())?;
    }
    // The first shard's manifest, for the whole design.
    let mp = shards[0].0.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&crate::load::read_input(&mp, "manifest")?)
            .with_context(|| format!("{}: not valid JSON", mp.display()))
            .input()?;
    manifest["merged_from"] = serde_json::json!(shards.len());
    manifest["command"] = serde_json::json!(std::env::args().collect::<Vec<_>>());
    out.write("manifest.json", &json_bytes(&manifest)?)?;
    let dir = out.commit()?;
    if !args.quiet {
        {
            outln!(
                "{} sweep shards, {total} design points: results in {}",
                shards.len(),
                dir.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints, per metric, the range of the point means and the factor whose values rank-correlate
/// most with them.
fn print_drivers(
    world: &World,
    factors: &[Factor],
    values: &[Vec<f64>],
    metrics: &[String],
    means: &[Vec<f64>],
) {
    let w = metrics.iter().map(|m| m.len()).max().unwrap_or(6).max(6);
    outln!(
        "{}: {} points; per metric, the range of the point means and the strongest driver",
        world.name,
        values.len()
    );
    outln!(
        "{:<w$}  {:>10}  {:>10}  strongest driver (Spearman rho)",
        "metric",
        "min mean",
        "max mean"
    );
    for (k, m) in metrics.iter().enumerate() {
        let y: Vec<f64> = means.iter().map(|p| p[k]).collect();
        let finite: Vec<f64> = y.iter().copied().filter(|v| v.is_finite()).collect();
        let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let best = if finite.len() == y.len() && y.len() > 2 {
            factors
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let x: Vec<f64> = values.iter().map(|p| p[i]).collect();
                    (stats::spearman(&x, &y), f.path.as_str())
                })
                .filter(|(r, _)| r.is_finite())
                .max_by(|a, b| a.0.abs().total_cmp(&b.0.abs()))
        } else {
            None
        };
        let driver = best.map_or("-".to_string(), |(r, p)| format!("{p} ({r:+.2})"));
        outln!("{m:<w$}  {:>10}  {:>10}  {driver}", short(lo), short(hi));
    }
}
