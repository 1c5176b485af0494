//! `statecraft sweep`: a design of parameter points, each run with the same replications
//! (common random numbers), summarised in `sweep.csv`.

use std::process::ExitCode;

use anyhow::Result;
use statecraft_core::{World, metric_names};
use statecraft_runner::design::{self, Design, Factor, FactorRange};
use statecraft_runner::stats::{self, summarize};
use statecraft_runner::{PointsSpec, run_points};

use crate::args::{DesignKind, SweepArgs};
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

/// The factors of a command: the `--param` options, else the scenario's sweep section, else
/// every uncertain parameter. Errors name the scenario file.
pub fn resolve_factors(
    loaded: &Loaded,
    given: &[(String, Option<(f64, f64)>)],
    file: &std::path::Path,
) -> Result<Vec<Factor>> {
    let section = loaded.scenario.sweep.as_ref().map(|s| s.params.as_slice());
    let chosen = if given.is_empty() {
        section.unwrap_or(&[])
    } else {
        given
    };
    design::factors(&loaded.world, chosen)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))
        .input()
}

/// The plan of `statecraft sweep`: the design drawn, its shard's points chosen and the output
/// named, before any run.
struct SweepPlan {
    loaded: Loaded,
    factors: Vec<Factor>,
    /// The design in words (`lhs`, `grid, 5 levels`, ...).
    design: String,
    /// Every design point's factor values (a shard draws the whole design).
    values: Vec<Vec<f64>>,
    seed: u64,
    runs: u64,
    rounds: u32,
    /// This folder's points.
    first: usize,
    end: usize,
    /// Runs in all: points of this folder x runs.
    total: u64,
    out: std::path::PathBuf,
}

/// The design kind of `--design`, else of the scenario's sweep section, else LHS.
fn design_kind(args: &SweepArgs, section: Option<&str>) -> Result<DesignKind> {
    Ok(match (args.design, section) {
        (Some(k), _) => k,
        (None, None) => DesignKind::Lhs,
        (None, Some("grid")) => DesignKind::Grid,
        (None, Some("random")) => DesignKind::Random,
        (None, Some("lhs")) => DesignKind::Lhs,
        (None, Some("sobol")) => DesignKind::Sobol,
        (None, Some(other)) => input_bail!(
            "{}: sweep.design {other:?} is not one of grid, random, lhs, sobol",
            args.scenario.display()
        ),
    })
}

impl SweepPlan {
    fn lower(args: &SweepArgs) -> Result<SweepPlan> {
        let loaded = load(&args.scenario)?;
        let section = loaded.scenario.sweep.clone().unwrap_or_default();
        let factors = resolve_factors(&loaded, &args.params, &args.scenario)?;
        let points = args
            .points
            .map(|p| p as usize)
            .or(section.points)
            .unwrap_or(64);
        let levels = args
            .levels
            .map(|l| l as usize)
            .or(section.levels)
            .unwrap_or(5);
        let (design, name) = match design_kind(args, section.design.as_deref())? {
            DesignKind::Grid => (Design::Grid { levels }, format!("grid, {levels} levels")),
            DesignKind::Random => (Design::Random, "random".into()),
            DesignKind::Lhs => (Design::LatinHypercube, "lhs".into()),
            DesignKind::Sobol => (Design::Sobol, "sobol".into()),
        };
        let runs = args.runs.or(section.runs).unwrap_or(1000);
        let seed = args.batch.seed.unwrap_or(loaded.scenario.seed);
        let rounds = args.batch.rounds.unwrap_or(loaded.world.rounds);
        let unit = design::unit_points(design, points, &factors, seed)
            .map_err(|e| anyhow::anyhow!("{}: {e}", args.scenario.display()))
            .input()?;
        let values: Vec<Vec<f64>> = unit
            .iter()
            .map(|u| factors.iter().zip(u).map(|(f, &x)| f.value(x)).collect())
            .collect();
        let world_name = &loaded.world.name;
        let out = args.out.clone().unwrap_or_else(|| match args.shard {
            Some((k, n)) => format!("out/{world_name}-sweep-shards/shard-{k}-of-{n}").into(),
            None => format!("out/{world_name}-sweep").into(),
        });
        // A shard computes a contiguous share of the points; every shard draws the whole design.
        let (first, end) = match args.shard {
            Some((k, n)) => statecraft_results::shard_range(k, n, values.len() as u64),
            None => (0, values.len() as u64),
        };
        let total = (end - first)
            .checked_mul(runs)
            .filter(|&t| t <= crate::run::MAX_RUNS)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "{} points x {runs} runs is more than {} runs in all; use fewer points or runs",
                    end - first,
                    crate::run::MAX_RUNS
                )
            })
            .input()?;
        Ok(SweepPlan {
            loaded,
            factors,
            design: name,
            values,
            seed,
            runs,
            rounds,
            first: first as usize,
            end: end as usize,
            total,
            out,
        })
    }
}

/// Runs the plan's points into `sweep.csv` (and with `per_run` `runs.csv`): returns each
/// point's metric means, for the table, and the batch's timing.
fn run_sweep(
    plan: &SweepPlan,
    job: &Job,
    out: &OutDir,
    per_run: bool,
) -> Result<(Vec<Vec<f64>>, Timing)> {
    let world = &plan.loaded.world;
    let metrics = metric_names(world);
    let mut header = vec!["point".to_string()];
    header.extend(plan.factors.iter().map(|f| f.path.clone()));
    for m in &metrics {
        for s in ["mean", "p5", "p50", "p95"] {
            header.push(format!("{m}_{s}"));
        }
    }
    let mut sweep_csv = Rows::new("sweep.csv", out.file("sweep.csv")?, &header)?;
    let point_world = design::world_at(world, &plan.factors, &plan.values[0]);
    let factors: Vec<String> = plan.factors.iter().map(|f| f.path.clone()).collect();
    let draws: Vec<String> = point_world
        .uncertain()
        .map(|(_, e)| e.path.clone())
        .collect();
    let schema = crate::schema::sweep_schema(&factors, &draws, &metrics, per_run);
    out.write(statecraft_results::FolderSchema::FILE, &schema.to_json())?;
    let mut runs_csv = if per_run {
        let mut h = vec!["point".to_string(), "run".to_string()];
        h.extend(factors.iter().cloned());
        h.extend(draws.iter().cloned());
        h.extend(metrics.iter().cloned());
        Some(Rows::new("runs.csv", out.file("runs.csv")?, &h)?)
    } else {
        None
    };
    let (values, runs, p0) = (&plan.values, plan.runs, plan.first);
    let spec = PointsSpec {
        factors: &plan.factors,
        values: &values[plan.first..plan.end],
        seed: plan.seed,
        runs,
        rounds: plan.rounds,
    };
    // The values of the point being filled, metric by metric.
    let mut cur: Vec<Vec<f64>> = vec![Vec::new(); metrics.len()];
    let mut done: Vec<Vec<f64>> = Vec::with_capacity(values.len()); // point means, for the table
    let (batch, timing) = job.batch(plan.total, 0, |inc| {
        run_points(
            world,
            &spec,
            |recs| -> Result<()> {
                for r in recs {
                    let point = p0 + r.point;
                    if let Some(w) = runs_csv.as_mut() {
                        w.int(point as u64)?;
                        w.int(r.run)?;
                        for x in values[point].iter().chain(&r.draws) {
                            w.num(Some(*x))?;
                        }
                        for m in &r.outcome.metrics {
                            w.num(*m)?;
                        }
                        w.end()?;
                    }
                    for (k, m) in r.outcome.metrics.iter().enumerate() {
                        if let Some(x) = m {
                            cur[k].push(*x);
                        }
                    }
                    if r.run + 1 == runs {
                        // The point is complete.
                        done.push(point_row(
                            &mut sweep_csv,
                            point,
                            &values[point],
                            &mut cur,
                            &metrics,
                            runs,
                        )?);
                    }
                }
                Ok(())
            },
            inc,
        )
    });
    batch?;
    sweep_csv.finish()?;
    if let Some(w) = runs_csv {
        w.finish()?;
    }
    Ok((done, timing))
}

/// Writes a completed point's row of `sweep.csv` from its metrics' values `cur` (emptied),
/// and returns the metrics' means.
fn point_row<W: std::io::Write>(
    sweep_csv: &mut Rows<W>,
    point: usize,
    values: &[f64],
    cur: &mut [Vec<f64>],
    metrics: &[String],
    runs: u64,
) -> Result<Vec<f64>> {
    sweep_csv.int(point as u64)?;
    for x in values {
        sweep_csv.num(Some(*x))?;
    }
    let mut means = Vec::with_capacity(metrics.len());
    for (k, vals) in cur.iter_mut().enumerate() {
        let s = summarize(&metrics[k], vals, runs - vals.len() as u64);
        for x in [s.mean, s.p5, s.p50, s.p95] {
            sweep_csv.num(x.is_finite().then_some(x))?;
        }
        means.push(s.mean);
        vals.clear();
    }
    sweep_csv.end()?;
    Ok(means)
}

/// Runs `statecraft sweep`.
pub fn sweep(args: SweepArgs) -> Result<ExitCode> {
    let plan = SweepPlan::lower(&args)?;
    let out = OutDir::create(&plan.out, args.batch.force)?;
    let job = Job::start(args.batch.threads, args.batch.quiet)?;
    let (done, timing) = run_sweep(&plan, &job, &out, args.per_run)?;
    let (seed, runs, rounds) = (plan.seed, plan.runs, plan.rounds);
    let manifest = DesignManifest::new(
        "sweep",
        &plan.loaded,
        &plan.factors,
        plan.design.clone(),
        plan.values.len(),
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
                design: plan.design.clone(),
                points: plan.values.len() as u64,
                runs,
                rounds,
                factors: plan.factors.iter().map(|f| f.path.clone()).collect(),
                ranges: factor_records(&plan.factors)
                    .into_iter()
                    .map(|r| r.range)
                    .collect(),
                values_sha256: design_sha256(&plan.values),
                per_run: args.per_run,
            },
            shard: k,
            shards: n,
            first: plan.first as u64,
            end: plan.end as u64,
        };
        out.write("sweep_shard.json", &json_bytes(&shard)?)?;
    }
    let dir = out.commit()?;
    if !job.quiet() {
        let world = &plan.loaded.world;
        let points = &plan.values[plan.first..plan.end];
        print_drivers(world, &plan.factors, points, &metric_names(world), &done);
        outln!(
            "\n{} points ({}) x {runs} runs = {} runs in {}; results in {}",
            plan.values.len(),
            plan.design,
            plan.total,
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
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
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
    for name in files {
        let mut w = out.file(name)?;
        let mut first_header: Option<csv::ByteRecord> = None;
        for (i, (d, _)) in shards.iter().enumerate() {
            let p = d.join(name);
            // The header read as CSV (a quoted name may hold a line break): its fields are
            // compared, its length skipped in every shard but the first.
            let mut rdr = csv::Reader::from_path(&p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            let header = rdr
                .byte_headers()
                .with_context(|| format!("cannot read {}", p.display()))?
                .clone();
            let len = rdr.position().byte();
            match &first_header {
                None => first_header = Some(header),
                Some(h) if *h != header => input_bail!(
                    "{}: its columns differ from those of the first shard",
                    p.display()
                ),
                Some(_) => {}
            }
            let mut f =
                std::fs::File::open(&p).with_context(|| format!("cannot read {}", p.display()))?;
            if i > 0 {
                std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(len))
                    .with_context(|| format!("cannot read {}", p.display()))?;
            }
            std::io::copy(&mut f, &mut w).with_context(|| format!("cannot write {name}"))?;
        }
        std::io::Write::flush(&mut w).with_context(|| format!("cannot write {name}"))?;
    }
    let dirs: Vec<std::path::PathBuf> = shards.iter().map(|(d, _)| d.clone()).collect();
    if let Some(schema) = crate::merge::merged_schema(&dirs)? {
        out.write(statecraft_results::FolderSchema::FILE, &schema.to_json())?;
    }
    // The first shard's manifest, for the whole design.
    let mp = shards[0].0.join("manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&mp).with_context(|| format!("cannot read {}", mp.display()))?,
    )
    .with_context(|| format!("{}: not valid JSON", mp.display()))?;
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
