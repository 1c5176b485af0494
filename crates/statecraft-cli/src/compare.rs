//! `statecraft compare`: the outcome distributions of several scenarios or results folders,
//! each against the first.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use statecraft_core::metric_names;
use statecraft_runner::stats::{Comparison, compare_samples, spread};
use statecraft_runner::{BatchSpec, run_batch};

use crate::args::CompareArgs;
use crate::common::{Provenance, json_bytes};
use crate::error::OrInput;
use crate::output::{OutDir, Rows};

/// The runs of one input.
struct Sample {
    label: String,
    source: String,
    seed: u64,
    /// Run indices, in order.
    runs: Vec<u64>,
    metrics: Vec<String>,
    /// `values[m][k]`: metric m of the k-th run.
    values: Vec<Vec<Option<f64>>>,
}

impl Sample {
    fn metric(&self, name: &str) -> Option<&[Option<f64>]> {
        let m = self.metrics.iter().position(|x| x == name)?;
        Some(&self.values[m])
    }
}

/// Reads a results folder written by `statecraft run` (or `merge`).
fn read_folder(dir: &Path) -> Result<Sample> {
    let shown = dir.display();
    let manifest = crate::run::read_manifest(&dir.join("manifest.json"))
        .with_context(|| format!("{shown} is not a results folder of `statecraft run`"))?;
    let path = dir.join("runs.csv");
    let mut rdr =
        csv::Reader::from_path(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let header: Vec<String> = rdr
        .headers()
        .with_context(|| format!("cannot read {}", path.display()))?
        .iter()
        .map(str::to_string)
        .collect();
    if header.first().map(String::as_str) != Some("run") {
        bail!(
            "{}: the first column is not `run`: not the runs.csv of `statecraft run`",
            path.display()
        );
    }
    // Parameter columns are paths (with dots); the others are metrics.
    let cols: Vec<usize> = (1..header.len())
        .filter(|&c| !header[c].contains('.'))
        .collect();
    let mut values = vec![Vec::new(); cols.len()];
    let mut runs = Vec::new();
    for (line, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: row {}", path.display(), line + 2))?;
        let bad = |c: usize| {
            anyhow::anyhow!(
                "{}:{}: column {} is not a number",
                path.display(),
                line + 2,
                header[c]
            )
        };
        runs.push(rec[0].parse::<u64>().map_err(|_| bad(0))?);
        for (m, &c) in cols.iter().enumerate() {
            let cell = &rec[c];
            values[m].push(if cell.is_empty() {
                None
            } else {
                let x = cell.parse::<f64>().map_err(|_| bad(c))?;
                if !x.is_finite() {
                    // statecraft writes no NaN or infinity: the file was edited or damaged.
                    bail!(
                        "{}:{}: column {}: {} is not a finite number; a results folder of statecraft holds none",
                        path.display(),
                        line + 2,
                        crate::common::shown(&header[c]),
                        crate::common::shown(cell)
                    );
                }
                Some(x)
            });
        }
    }
    if runs.is_empty() {
        bail!("{}: no runs", path.display());
    }
    Ok(Sample {
        label: manifest.scenario_name,
        source: shown.to_string(),
        seed: manifest.seed,
        runs,
        metrics: cols.iter().map(|&c| header[c].clone()).collect(),
        values,
    })
}

/// Runs a scenario file with the given seed and runs, in memory.
fn run_scenario(
    file: &Path,
    seed: Option<u64>,
    runs: Option<u64>,
    rounds: Option<u32>,
    quiet: bool,
) -> Result<Sample> {
    let loaded = crate::load::load(file)?;
    let world = &loaded.world;
    let seed = seed.unwrap_or(loaded.scenario.seed);
    let runs = runs.unwrap_or(loaded.scenario.runs);
    let spec = BatchSpec {
        seed,
        first: 0,
        end: runs,
        rounds: rounds.unwrap_or(world.rounds),
        trajectories: 0,
        world_series: false,
    };
    let metrics = metric_names(world);
    let mut values = vec![Vec::with_capacity(runs as usize); metrics.len()];
    let bar = crate::common::progress_bar(runs, quiet);
    let inc = |k: u64| bar.inc(k);
    run_batch(
        world,
        &spec,
        |recs| -> Result<()> {
            for r in recs {
                for (m, v) in r.outcome.metrics.iter().enumerate() {
                    values[m].push(*v);
                }
            }
            Ok(())
        },
        &inc,
    )?;
    bar.finish_and_clear();
    Ok(Sample {
        label: world.name.clone(),
        source: file.display().to_string(),
        seed,
        runs: (0..runs).collect(),
        metrics,
        values,
    })
}

/// One row of `compare.csv` / `compare.json`.
#[derive(serde::Serialize)]
struct Row {
    metric: String,
    scenario: String,
    reference: String,
    n: usize,
    mean: Option<f64>,
    p5: Option<f64>,
    p50: Option<f64>,
    p95: Option<f64>,
    diff: Option<f64>,
    diff_lo: Option<f64>,
    diff_hi: Option<f64>,
    paired: Option<bool>,
    ks_d: Option<f64>,
    ks_p: Option<f64>,
    mw_p: Option<f64>,
    cliffs_delta: Option<f64>,
    verdict: String,
}

/// `compare.json`.
#[derive(serde::Serialize)]
struct CompareFile<'a> {
    #[serde(flatten)]
    provenance: Provenance,
    inputs: Vec<InputRecord<'a>>,
    bootstrap_resamples: usize,
    rows: &'a [Row],
}

#[derive(serde::Serialize)]
struct InputRecord<'a> {
    label: &'a str,
    source: &'a str,
    seed: u64,
    runs: usize,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// After every metric left undefined in some run of some input (an event: a rupture, a ruling,
/// a bloc's entry into force), the share of runs in which it happened, `P(<metric>)`, as its
/// own metric: 1 in a run where the metric is defined, else 0. Its comparison is then one of
/// probabilities, with its own interval, where the metric's own compares only the runs in
/// which the event happened.
fn add_event_shares(samples: &mut [Sample]) {
    let names = samples[0].metrics.clone();
    for m in names.iter().rev() {
        let event = samples
            .iter()
            .any(|s| s.metric(m).is_some_and(|v| v.iter().any(Option::is_none)));
        if !event {
            continue;
        }
        for s in samples.iter_mut() {
            let Some(k) = s.metrics.iter().position(|x| x == m) else {
                continue;
            };
            let share = s.values[k]
                .iter()
                .map(|v| Some(if v.is_some() { 1.0 } else { 0.0 }))
                .collect();
            s.metrics.insert(k + 1, format!("P({m})"));
            s.values.insert(k + 1, share);
        }
    }
}

/// Runs `statecraft compare`.
pub fn compare(args: CompareArgs) -> Result<ExitCode> {
    let pool = crate::common::pool(args.batch.threads)?;
    // Scenario files run with the seed and runs of the first input (a folder's, so that they
    // pair with it, or the first scenario's) unless given.
    let (mut seed, mut runs) = (args.batch.seed, args.runs);
    if seed.is_none() || runs.is_none() {
        let first = &args.inputs[0];
        if first.is_dir() {
            let m = crate::run::read_manifest(&first.join("manifest.json")).with_context(|| {
                format!(
                    "{} is not a results folder of `statecraft run`",
                    first.display()
                )
            })?;
            if m.first == 0 {
                seed = seed.or(Some(m.seed));
                runs = runs.or(Some(m.end));
            }
        }
        if let Some(f) = args.inputs.iter().find(|p| !p.is_dir())
            && (seed.is_none() || runs.is_none())
        {
            let l = crate::load::load(f)?;
            seed = seed.or(Some(l.scenario.seed));
            runs = runs.or(Some(l.scenario.runs));
        }
    }
    let mut samples = Vec::with_capacity(args.inputs.len());
    for p in &args.inputs {
        let s = if p.is_dir() {
            read_folder(p).input()?
        } else {
            pool.install(|| run_scenario(p, seed, runs, args.batch.rounds, args.batch.quiet))?
        };
        samples.push(s);
    }
    // Distinct labels.
    for i in 1..samples.len() {
        let base = samples[i].label.clone();
        let mut k = 2;
        while samples[..i].iter().any(|s| s.label == samples[i].label) {
            samples[i].label = format!("{base}#{k}");
            k += 1;
        }
    }

    add_event_shares(&mut samples);
    let reference = &samples[0];
    let mut rows: Vec<Row> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for m in &reference.metrics {
        // The reference's own row.
        let stats = |v: &[Option<f64>]| match spread(v) {
            Some(s) => (s.n, finite(s.mean), Some(s.p5), Some(s.p50), Some(s.p95)),
            None => (0, None, None, None, None),
        };
        let a = reference.metric(m).unwrap_or(&[]);
        let (n, mean, p5, p50, p95) = stats(a);
        rows.push(Row {
            metric: m.clone(),
            scenario: reference.label.clone(),
            reference: reference.label.clone(),
            n,
            mean,
            p5,
            p50,
            p95,
            diff: None,
            diff_lo: None,
            diff_hi: None,
            paired: None,
            ks_d: None,
            ks_p: None,
            mw_p: None,
            cliffs_delta: None,
            verdict: String::new(),
        });
        for (j, s) in samples.iter().enumerate().skip(1) {
            let Some(b) = s.metric(m) else {
                notes.push(format!("{m}: not in {}", s.label));
                continue;
            };
            let paired = s.seed == reference.seed && s.runs == reference.runs;
            let (n, mean, p5, p50, p95) = stats(b);
            let stream = (j as u64) << 32 | rows.len() as u64;
            let c: Option<Comparison> = compare_samples(
                a,
                b,
                paired,
                &s.label,
                args.bootstrap,
                reference.seed,
                stream,
            );
            rows.push(Row {
                metric: m.clone(),
                scenario: s.label.clone(),
                reference: reference.label.clone(),
                n,
                mean,
                p5,
                p50,
                p95,
                diff: c.as_ref().and_then(|c| finite(c.diff.diff)),
                diff_lo: c.as_ref().and_then(|c| finite(c.diff.lo)),
                diff_hi: c.as_ref().and_then(|c| finite(c.diff.hi)),
                paired: c.as_ref().map(|c| c.paired),
                ks_d: c.as_ref().map(|c| c.ks.statistic),
                ks_p: c.as_ref().map(|c| c.ks.p_value),
                mw_p: c.as_ref().map(|c| c.mw_p),
                cliffs_delta: c.as_ref().map(|c| c.cliffs_delta),
                verdict: c.map_or_else(
                    || {
                        let count = |v: &[Option<f64>]| v.iter().flatten().count();
                        format!(
                            "too few values to compare: defined in {} of {} runs of {}, {} of {} of {}",
                            count(a),
                            a.len(),
                            reference.label,
                            count(b),
                            b.len(),
                            s.label
                        )
                    },
                    |c| c.verdict,
                ),
            });
        }
    }

    // The default folder is named by the inputs, so that comparing others does not collide.
    let out_path = args.out.clone().unwrap_or_else(|| {
        let labels: Vec<&str> = samples.iter().map(|s| s.label.as_str()).collect();
        format!("out/compare-{}", labels.join("-vs-")).into()
    });
    let out = OutDir::create(&out_path, args.batch.force)?;
    let header = [
        "metric",
        "scenario",
        "reference",
        "n",
        "mean",
        "p5",
        "p50",
        "p95",
        "diff",
        "diff_lo",
        "diff_hi",
        "paired",
        "ks_d",
        "ks_p",
        "mw_p",
        "cliffs_delta",
        "verdict",
    ];
    let mut csv = Rows::new("compare.csv", out.file("compare.csv")?, &header)?;
    for r in &rows {
        csv.text(&r.metric)?;
        csv.text(&r.scenario)?;
        csv.text(&r.reference)?;
        csv.int(r.n as u64)?;
        for x in [r.mean, r.p5, r.p50, r.p95, r.diff, r.diff_lo, r.diff_hi] {
            csv.num(x)?;
        }
        csv.text(match r.paired {
            Some(true) => "true",
            Some(false) => "false",
            None => "",
        })?;
        for x in [r.ks_d, r.ks_p, r.mw_p, r.cliffs_delta] {
            csv.num(x)?;
        }
        csv.text(&r.verdict)?;
        csv.end()?;
    }
    csv.finish()?;
    let file = CompareFile {
        provenance: Provenance::here(),
        inputs: samples
            .iter()
            .map(|s| InputRecord {
                label: &s.label,
                source: &s.source,
                seed: s.seed,
                runs: s.runs.len(),
            })
            .collect(),
        bootstrap_resamples: args.bootstrap,
        rows: &rows,
    };
    out.write("compare.json", &json_bytes(&file)?)?;
    let dir = out.commit()?;

    if !args.batch.quiet {
        print_table(&samples, &rows);
        #[allow(clippy::print_stdout)]
        {
            for n in &notes {
                outln!("note: {n}");
            }
            outln!("\nresults in {}", dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
fn print_table(samples: &[Sample], rows: &[Row]) {
    let reference = &samples[0];
    let w = rows
        .iter()
        .map(|r| r.metric.len())
        .max()
        .unwrap_or(6)
        .max(6);
    for s in &samples[1..] {
        let paired = s.seed == reference.seed && s.runs == reference.runs;
        outln!(
            "\n{} vs {} ({} and {} runs, {})",
            s.label,
            reference.label,
            s.runs.len(),
            reference.runs.len(),
            if paired { "paired by run" } else { "unpaired" }
        );
        outln!(
            "{:<w$}  {:>10}  {:>10}  {:>10}  {:>23}  {:>8}  {:>6}  verdict",
            "metric",
            "mean ref",
            "mean",
            "diff",
            "95% interval",
            "KS p",
            "delta"
        );
        for r in rows.iter().filter(|r| r.scenario == s.label) {
            let ref_mean = rows
                .iter()
                .find(|x| x.metric == r.metric && x.scenario == reference.label)
                .and_then(|x| x.mean);
            let nums =
                [ref_mean, r.mean, r.diff, r.diff_lo, r.diff_hi].map(|x| x.unwrap_or(f64::NAN));
            let row = crate::common::row_fmt(&nums);
            let f = |x: Option<f64>| x.map_or("-".to_string(), &row);
            outln!(
                "{:<w$}  {:>10}  {:>10}  {:>10}  [{:>10}, {:>10}]  {:>8}  {:>6}  {}",
                r.metric,
                f(ref_mean),
                f(r.mean),
                f(r.diff),
                f(r.diff_lo),
                f(r.diff_hi),
                r.ks_p.map_or("-".to_string(), |p| format!("{p:.3}")),
                r.cliffs_delta
                    .map_or("-".to_string(), |d| format!("{d:+.2}")),
                r.verdict
            );
        }
    }
}
