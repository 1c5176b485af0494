//! `statecraft discover`: scenario discovery with PRIM (statecraft_runner::prim) on the runs
//! of a results folder: which ranges of the uncertain parameters hold the runs whose metric is
//! below (or above) a value. Reads the folder's runs.csv (of `run`, `merge` or
//! `sweep --per-run`, through `statecraft_results::RunsTable`: the folder's schema.json says
//! which columns are parameters); writes
//! prim_trajectory.csv (the peeling and pasting trajectory), prim_box.csv (the chosen box)
//! and manifest.json.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use statecraft_runner::prim::{Prim, PrimOptions, prim};

use crate::args::DiscoverArgs;
use crate::common::{Provenance, json_bytes, short, shown};
use crate::error::OrInput;
use crate::output::{OutDir, Rows};
use statecraft_results::RunsTable;

/// The cases PRIM works on.
struct Cases {
    /// The parameter columns' names.
    params: Vec<String>,
    /// `x[p][k]`: parameter p in run k.
    x: Vec<Vec<f64>>,
    /// Whether run k is of interest.
    y: Vec<bool>,
    /// Runs where the metric is undefined (not of interest).
    undefined: usize,
}

/// The rule that makes a run of interest, in words (`below 0.1`).
fn rule(args: &DiscoverArgs) -> (&'static str, f64) {
    match (args.below, args.above) {
        (Some(x), _) => ("below", x),
        (None, Some(x)) => ("above", x),
        // clap requires one of the two.
        (None, None) => ("below", f64::NAN),
    }
}

/// Reads DIR/runs.csv and marks the runs of interest.
fn read_cases(args: &DiscoverArgs) -> Result<Cases> {
    let path = args.dir.join("runs.csv");
    let manifest = statecraft_results::read_manifest(&args.dir.join("manifest.json"));
    if !path.is_file() && manifest.as_ref().is_ok_and(|m| m.summary_only) {
        input_bail!(
            "{} has no runs.csv: the batch was run with --summary-only, which writes only the summary; rerun it without --summary-only for discover",
            args.dir.display()
        );
    }
    if !path.is_file() {
        input_bail!(
            "{} has no runs.csv: discover reads the runs of `statecraft run` (CSV format) or of `statecraft sweep --per-run`",
            args.dir.display()
        );
    }
    let table = RunsTable::read(&args.dir).input()?;
    let Some(m) = table.metrics.iter().position(|x| *x == args.metric) else {
        input_bail!(
            "--metric: unknown metric {:?} in {}; the metrics are: {}",
            shown(&args.metric),
            path.display(),
            shown(&table.metrics.join(", "))
        );
    };
    if table.params.is_empty() && manifest.is_ok_and(|m| m.draws == statecraft_results::Draws::None)
    {
        input_bail!("{}", crate::common::no_draws(&args.dir, "discovery"));
    }
    if table.params.is_empty() {
        input_bail!(
            "{}: no parameter columns: the scenario has no uncertain parameters to tell the runs apart",
            path.display()
        );
    }
    let x = table.param_values;
    let (side, cut) = rule(args);
    let metric = &table.metric_values[m];
    let y = metric
        .iter()
        .map(|v| v.is_some_and(|v| if side == "below" { v < cut } else { v > cut }))
        .collect();
    Ok(Cases {
        params: table.params,
        x,
        y,
        undefined: metric.iter().filter(|v| v.is_none()).count(),
    })
}

/// `manifest.json` of a discover folder.
#[derive(serde::Serialize)]
struct DiscoverManifest<'a> {
    kind: &'static str,
    #[serde(flatten)]
    provenance: Provenance,
    /// The results folder read.
    source: String,
    metric: &'a str,
    /// `below` or `above`.
    rule: &'static str,
    value: f64,
    threshold: f64,
    peel_alpha: f64,
    paste_alpha: f64,
    mass_min: f64,
    runs: usize,
    runs_of_interest: usize,
    runs_undefined: usize,
    steps: usize,
    /// The step written to prim_box.csv.
    box_step: usize,
    /// Whether that box reaches the threshold (else it is the densest box).
    box_meets_threshold: bool,
}

/// The step whose box is written: the chosen one, else the densest (the first of equals).
fn box_step(r: &Prim) -> usize {
    r.chosen.unwrap_or_else(|| {
        let mut best = 0;
        for (i, s) in r.steps.iter().enumerate() {
            if s.density > r.steps[best].density {
                best = i;
            }
        }
        best
    })
}

/// Writes prim_trajectory.csv and prim_box.csv.
fn write_tables(out: &OutDir, r: &Prim, params: &[String]) -> Result<()> {
    let header = [
        "step",
        "phase",
        "coverage",
        "density",
        "mass",
        "restricted_dims",
        "runs",
        "runs_of_interest",
    ];
    let mut t = Rows::new(
        "prim_trajectory.csv",
        out.file("prim_trajectory.csv")?,
        &header,
    )?;
    for (i, s) in r.steps.iter().enumerate() {
        t.int(i as u64)?;
        t.text(s.phase.name())?;
        for v in [s.coverage, s.density, s.mass] {
            t.num(Some(v))?;
        }
        for v in [s.restricted, s.cases, s.of_interest] {
            t.int(v as u64)?;
        }
        t.end()?;
    }
    t.finish()?;
    let header = ["parameter", "lower", "upper", "restricted", "min", "max"];
    let mut b = Rows::new("prim_box.csv", out.file("prim_box.csv")?, &header)?;
    let s = &r.steps[box_step(r)];
    for (j, p) in params.iter().enumerate() {
        b.text(p)?;
        b.num(Some(s.lower[j]))?;
        b.num(Some(s.upper[j]))?;
        b.text(if s.is_restricted(j, &r.min, &r.max) {
            "true"
        } else {
            "false"
        })?;
        b.num(Some(r.min[j]))?;
        b.num(Some(r.max[j]))?;
        b.end()?;
    }
    Ok(b.finish()?)
}

/// The restricted parameters printed (the most restricted; all are in prim_box.csv).
const SHOWN: usize = 10;

/// Prints the trade-off (a selection of the steps: about 15, the box's and the last) and the
/// box's most restricted parameters.
fn print_results(r: &Prim, params: &[String], threshold: f64, dir: &Path) {
    let k = box_step(r);
    let last = r.steps.len() - 1;
    let every = r.steps.len().div_ceil(15);
    outln!(
        "  {:>4}  {:<5}  {:>8}  {:>8}  {:>8}  {:>10}",
        "step",
        "phase",
        "coverage",
        "density",
        "mass",
        "restricted"
    );
    for (i, s) in r.steps.iter().enumerate() {
        if i % every != 0 && i != k && i != last {
            continue;
        }
        outln!(
            "{} {:>4}  {:<5}  {:>8}  {:>8}  {:>8}  {:>10}",
            if i == k { "*" } else { " " },
            i,
            s.phase.name(),
            short(s.coverage),
            short(s.density),
            short(s.mass),
            s.restricted
        );
    }
    let s = &r.steps[k];
    if r.chosen.is_some() {
        outln!(
            "\nbox (step {k}, the highest coverage at density >= {threshold}): coverage {}, density {}, mass {}",
            short(s.coverage),
            short(s.density),
            short(s.mass)
        );
    } else {
        outln!(
            "\nno box reaches density {threshold}; the densest (step {k}): coverage {}, density {}, mass {}",
            short(s.coverage),
            short(s.density),
            short(s.mass)
        );
    }
    let w = params.iter().map(|p| p.len()).max().unwrap_or(9).max(9);
    outln!(
        "  {:<w$}  {:>10}  {:>10}  {:>23}",
        "parameter",
        "lower",
        "upper",
        "range in the runs"
    );
    // The restricted parameters, the most cut first (the share of their range left out).
    let cut = |j: usize| 1.0 - (s.upper[j] - s.lower[j]) / (r.max[j] - r.min[j]);
    let mut restricted: Vec<usize> = (0..params.len())
        .filter(|&j| s.is_restricted(j, &r.min, &r.max))
        .collect();
    restricted.sort_by(|&a, &b| cut(b).total_cmp(&cut(a)));
    for &j in restricted.iter().take(SHOWN) {
        outln!(
            "  {:<w$}  {:>10}  {:>10}  [{:>10}, {:>10}]",
            params[j],
            short(s.lower[j]),
            short(s.upper[j]),
            short(r.min[j]),
            short(r.max[j])
        );
    }
    if restricted.len() > SHOWN {
        outln!(
            "  ... {} more restricted in prim_box.csv",
            restricted.len() - SHOWN
        );
    }
    outln!(
        "\n{} steps in prim_trajectory.csv, the box in prim_box.csv; results in {}",
        r.steps.len(),
        dir.display()
    );
}

/// Runs `statecraft discover`.
pub fn discover(args: DiscoverArgs) -> Result<ExitCode> {
    let cases = read_cases(&args)?;
    let (side, cut) = rule(&args);
    let opts = PrimOptions {
        peel_alpha: args.alpha,
        threshold: args.threshold,
        ..PrimOptions::default()
    };
    let n = cases.y.len();
    let of_interest = cases.y.iter().filter(|&&b| b).count();
    let r = prim(&cases.x, &cases.y, &opts)
        .map_err(|e| {
            anyhow::anyhow!(
                "{}: {} {side} {cut}: {e}",
                args.dir.display(),
                shown(&args.metric)
            )
        })
        .input()?;
    let out_path = args.out.clone().unwrap_or_else(|| {
        let name = args
            .dir
            .file_name()
            .map_or("results".into(), |n| n.to_string_lossy());
        format!("out/{name}-discover").into()
    });
    let out = OutDir::create(&out_path, args.force)?;
    write_tables(&out, &r, &cases.params)?;
    let k = box_step(&r);
    let manifest = DiscoverManifest {
        kind: "discover",
        provenance: crate::common::provenance(),
        source: args.dir.display().to_string(),
        metric: &args.metric,
        rule: side,
        value: cut,
        threshold: opts.threshold,
        peel_alpha: opts.peel_alpha,
        paste_alpha: opts.paste_alpha,
        mass_min: opts.mass_min,
        runs: n,
        runs_of_interest: of_interest,
        runs_undefined: cases.undefined,
        steps: r.steps.len(),
        box_step: k,
        box_meets_threshold: r.chosen.is_some(),
    };
    out.write("manifest.json", &json_bytes(&manifest)?)?;
    let dir = out.commit()?;
    if !args.quiet {
        outln!(
            "{}: {of_interest} of {n} runs have {} {side} {cut} ({:.1}%){}; PRIM over {} parameters",
            args.dir.display(),
            shown(&args.metric),
            100.0 * of_interest as f64 / n as f64,
            if cases.undefined > 0 {
                format!(
                    "; the {} runs where it is undefined count as not of interest",
                    cases.undefined
                )
            } else {
                String::new()
            },
            cases.params.len()
        );
        print_results(&r, &cases.params, opts.threshold, &dir);
    }
    Ok(ExitCode::SUCCESS)
}
