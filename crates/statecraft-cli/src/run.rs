//! `statecraft run`: one scenario, N seeded runs in parallel, a summary table and files.

use std::process::ExitCode;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use sha2::{Digest, Sha256};
use statecraft_core::{ACTOR_COLUMNS, metric_names};
use statecraft_runner::{Aggregator, BatchSpec, MetricSummary, run_batch};

use crate::args::RunArgs;
use crate::load::load;
use crate::output::{OutDir, Rows};

/// `summary.json`.
#[derive(Serialize)]
struct SummaryFile<'a> {
    scenario: &'a str,
    scenario_sha256: String,
    seed: u64,
    runs: u64,
    rounds: u32,
    statecraft_version: &'static str,
    metrics: Vec<MetricJson<'a>>,
}

#[derive(Serialize)]
struct MetricJson<'a> {
    name: &'a str,
    n: u64,
    missing: u64,
    mean: f64,
    sd: f64,
    min: f64,
    p5: f64,
    p25: f64,
    p50: f64,
    p75: f64,
    p95: f64,
    max: f64,
}

impl<'a> From<&'a MetricSummary> for MetricJson<'a> {
    fn from(s: &'a MetricSummary) -> Self {
        MetricJson {
            name: &s.name,
            n: s.n,
            missing: s.missing,
            mean: s.mean,
            sd: s.sd,
            min: s.min,
            p5: s.p5,
            p25: s.p25,
            p50: s.p50,
            p75: s.p75,
            p95: s.p95,
            max: s.max,
        }
    }
}

/// Runs `statecraft run`.
pub fn run(args: RunArgs) -> Result<ExitCode> {
    let loaded = load(&args.scenario)?;
    let world = &loaded.world;
    // Ranges of the options are checked by clap, those of the file by validation.
    let runs = args.runs.unwrap_or(world.runs);
    let rounds = args.rounds.unwrap_or(world.rounds);
    let seed = args.seed.unwrap_or(world.seed);
    let threads = args.threads.map_or(0, usize::from);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start the worker threads")?;
    let out_path = args
        .out
        .clone()
        .unwrap_or_else(|| format!("out/{}", world.name).into());
    let out = OutDir::create(&out_path, args.force)?;

    let spec = BatchSpec {
        seed,
        first: 0,
        end: runs,
        rounds,
        trajectories: args.trajectories,
    };
    let metric_cols = metric_names(world);
    let param_cols: Vec<String> = world.uncertain().map(|(_, e)| e.path.clone()).collect();

    let mut header = vec!["run".to_string()];
    header.extend(param_cols.iter().cloned());
    header.extend(metric_cols.iter().cloned());
    let mut runs_csv = Rows::new("runs.csv", out.file("runs.csv")?, &header)?;
    let mut aheader = vec!["run", "actor"];
    aheader.extend(ACTOR_COLUMNS.iter());
    let mut actors_csv = Rows::new("actors.csv", out.file("actors.csv")?, &aheader)?;
    let mut traj_csv = if args.trajectories > 0 {
        let header = [
            "run",
            "round",
            "actor",
            "tariff",
            "counter_tariff",
            "exports_to_hegemon",
            "credibility",
            "autonomy",
            "hedge",
            "action",
        ];
        Some(Rows::new(
            "trajectories.csv",
            out.file("trajectories.csv")?,
            &header,
        )?)
    } else {
        None
    };

    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::with_draw_target(Some(runs), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} runs ({per_sec}, eta {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    };
    let mut agg = Aggregator::new(metric_cols.clone());
    #[allow(clippy::disallowed_types)]
    let started = std::time::Instant::now();
    let inc = |k: u64| bar.inc(k);
    pool.install(|| {
        run_batch(
            world,
            &spec,
            |recs| -> Result<()> {
                for r in recs {
                    runs_csv.int(r.run)?;
                    for x in &r.draws {
                        runs_csv.num(Some(*x))?;
                    }
                    for m in &r.outcome.metrics {
                        runs_csv.num(*m)?;
                    }
                    runs_csv.end()?;
                    agg.push(&r.outcome.metrics);
                    for (i, a) in r.outcome.actors.iter().enumerate() {
                        actors_csv.int(r.run)?;
                        actors_csv.text(&world.names[i])?;
                        for x in &a.values {
                            actors_csv.num(Some(*x))?;
                        }
                        actors_csv.end()?;
                    }
                    if let Some(w) = traj_csv.as_mut() {
                        for t in &r.trajectory {
                            w.int(r.run)?;
                            w.int(u64::from(t.round))?;
                            w.text(&world.names[t.actor])?;
                            for x in [
                                t.tariff,
                                t.counter_tariff,
                                t.exports_to_hegemon,
                                t.credibility,
                                t.autonomy,
                                t.hedge,
                            ] {
                                w.num(Some(x))?;
                            }
                            w.text(t.action.map_or("", |a| a.code()))?;
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
    let elapsed = started.elapsed().as_secs_f64();
    runs_csv.finish()?;
    actors_csv.finish()?;
    if let Some(w) = traj_csv {
        w.finish()?;
    }

    let summaries = agg.summaries();
    let scenario_text = loaded.scenario.to_ron();
    let summary = SummaryFile {
        scenario: &world.name,
        scenario_sha256: Sha256::digest(scenario_text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        seed,
        runs,
        rounds,
        statecraft_version: env!("CARGO_PKG_VERSION"),
        metrics: summaries.iter().map(MetricJson::from).collect(),
    };
    let mut json = serde_json::to_vec_pretty(&summary)?;
    json.push(b'\n');
    out.write("summary.json", &json)?;
    let dir = out.commit()?;

    if !args.quiet {
        print_table(&world.name, runs, seed, &summaries);
        #[allow(clippy::print_stdout)]
        {
            println!(
                "\n{runs} runs in {elapsed:.2} s ({:.0} runs/s on {} threads); results in {}",
                runs as f64 / elapsed.max(1e-9),
                pool.current_num_threads(),
                dir.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A number in a table: four significant digits, or blank.
fn short(x: f64) -> String {
    if !x.is_finite() {
        return "-".to_string();
    }
    let a = x.abs();
    if a != 0.0 && !(1e-3..1e6).contains(&a) {
        format!("{x:.3e}")
    } else if a >= 100.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.4}")
    }
}

#[allow(clippy::print_stdout)]
fn print_table(name: &str, runs: u64, seed: u64, summaries: &[MetricSummary]) {
    let width = summaries
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(6)
        .max(6);
    println!("{name}: {runs} runs, seed {seed}");
    println!(
        "{:<width$}  {:>10}  {:>10}  {:>10}  {:>10}  {:>6}",
        "metric", "mean", "p5", "p50", "p95", "n"
    );
    for s in summaries {
        println!(
            "{:<width$}  {:>10}  {:>10}  {:>10}  {:>10}  {:>6}",
            s.name,
            short(s.mean),
            short(s.p5),
            short(s.p50),
            short(s.p95),
            s.n
        );
    }
}
