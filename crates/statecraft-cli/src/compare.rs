//! `statecraft compare`: the outcome distributions of several scenarios or results folders,
//! each against the first. The comparison itself is the library's
//! ([`statecraft_api::compare_all`]); this command resolves its inputs, runs the scenario
//! files, writes `compare.csv` and `compare.json`, and prints the tables.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use statecraft_api::{Comparisons, Loaded, Row, Sample};

use crate::args::CompareArgs;
use crate::common::{Provenance, json_bytes};
use crate::error::OrInput;
use crate::output::{OutDir, Rows};

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

/// An input as given: a results folder already read, or a scenario file to run.
enum Input {
    Folder(Sample),
    Scenario(PathBuf, Box<Loaded>),
}

impl Input {
    fn label(&self) -> &str {
        match self {
            Input::Folder(s) => &s.label,
            Input::Scenario(_, l) => &l.world.name,
        }
    }
}

/// The plan of a comparison: its inputs read or loaded, the seed and runs of the scenario
/// files resolved (the first input's: a folder's, so that they pair with it, or the first
/// scenario's, unless given), the output folder named.
struct Plan {
    inputs: Vec<Input>,
    seed: Option<u64>,
    runs: Option<u64>,
    out: PathBuf,
}

impl Plan {
    fn lower(args: &CompareArgs) -> Result<Plan> {
        let mut inputs = Vec::with_capacity(args.inputs.len());
        for p in &args.inputs {
            inputs.push(if p.is_dir() {
                Input::Folder(Sample::read(p).input()?)
            } else {
                Input::Scenario(p.clone(), Box::new(crate::load::load(p)?))
            });
        }
        let (mut seed, mut runs) = (args.batch.seed, args.runs);
        if let Input::Folder(s) = &inputs[0]
            && s.runs.first() == Some(&0)
        {
            seed = seed.or(Some(s.seed));
            runs = runs.or(Some(s.runs.len() as u64));
        }
        if let Some(Input::Scenario(_, l)) =
            inputs.iter().find(|i| matches!(i, Input::Scenario(..)))
        {
            seed = seed.or(Some(l.scenario.seed));
            runs = runs.or(Some(l.scenario.runs));
        }
        // The default folder is named by the inputs, so that comparing others does not collide.
        let out = args.out.clone().unwrap_or_else(|| {
            let mut labels: Vec<String> = inputs.iter().map(|i| i.label().to_string()).collect();
            statecraft_api::distinct_labels(&mut labels);
            format!("out/compare-{}", labels.join("-vs-")).into()
        });
        Ok(Plan {
            inputs,
            seed,
            runs,
            out,
        })
    }
}

/// Runs `statecraft compare`.
pub fn compare(args: CompareArgs) -> Result<ExitCode> {
    let plan = Plan::lower(&args)?;
    let out = OutDir::create(&plan.out, args.batch.force)?;
    let opts = statecraft_api::Options {
        seed: plan.seed,
        runs: plan.runs,
        rounds: args.batch.rounds,
        threads: args.batch.threads.map(usize::from),
        ..Default::default()
    };
    let mut samples = Vec::with_capacity(plan.inputs.len());
    for input in plan.inputs {
        samples.push(match input {
            Input::Folder(s) => s,
            Input::Scenario(path, l) => {
                let bar = crate::common::progress_bar(
                    opts.runs.unwrap_or(l.scenario.runs),
                    args.batch.quiet,
                );
                let s = Sample::run(&l, &path.display().to_string(), &opts, &|k| bar.inc(k))?;
                bar.finish_and_clear();
                s
            }
        });
    }
    let c = statecraft_api::compare_all(samples, args.bootstrap);
    write(&out, &c, args.bootstrap)?;
    let dir = out.commit()?;
    if !args.batch.quiet {
        print_table(&c);
        for n in &c.notes {
            outln!("note: {n}");
        }
        outln!("\nresults in {}", dir.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `compare.csv` and `compare.json`.
fn write(out: &OutDir, c: &Comparisons, bootstrap: usize) -> Result<()> {
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
    for r in &c.rows {
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
        provenance: crate::common::provenance(),
        inputs: c
            .samples
            .iter()
            .map(|s| InputRecord {
                label: &s.label,
                source: &s.source,
                seed: s.seed,
                runs: s.runs.len(),
            })
            .collect(),
        bootstrap_resamples: bootstrap,
        rows: &c.rows,
    };
    Ok(out.write("compare.json", &json_bytes(&file)?)?)
}

fn print_table(c: &Comparisons) {
    let (samples, rows) = (&c.samples, &c.rows);
    let reference = &samples[0];
    let w = rows
        .iter()
        .map(|r| r.metric.len())
        .max()
        .unwrap_or(6)
        .max(6);
    for (j, s) in samples.iter().enumerate().skip(1) {
        let paired = c.paired(j);
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
