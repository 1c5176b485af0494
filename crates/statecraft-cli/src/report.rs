//! `statecraft report`: draws the charts and the HTML page of results folders and writes them
//! without ever leaving a half-written file: `plots/` through [`OutDir`] (a temporary folder
//! renamed at the end), `report.html` through a temporary file renamed after it.

use std::fs;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::args::ReportArgs;
use crate::error::OrInput;
use crate::output::OutDir;

/// Runs `statecraft report`.
pub fn report(args: ReportArgs) -> Result<ExitCode> {
    let options = statecraft_report::Options {
        metrics: args.metrics.clone(),
        actors: args.actors.clone(),
    };
    // The folders are the input: what is wrong with them is an input error.
    let report = statecraft_report::build_with(&args.dirs, &options).input()?;
    let out = args.out.clone().unwrap_or_else(|| args.dirs[0].clone());
    fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    // Charts first, the page last: a page never names charts that are not there.
    let plots = OutDir::create_plots(&out.join("plots"), true)?;
    for (c, svg) in report.charts.iter().zip(&report.svgs) {
        plots.write(&format!("{}.svg", c.name), svg.as_bytes())?;
        if args.png {
            c.png(&plots.path(&format!("{}.png", c.name)))?;
        }
    }
    plots.commit()?;
    let page = out.join("report.html");
    let tmp = out.join(format!(".report.html.tmp-{}", std::process::id()));
    fs::write(&tmp, report.html.as_bytes())
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    if let Err(e) = fs::rename(&tmp, &page) {
        let _ = fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", page.display()));
    }
    if !args.quiet {
        // A folder of `run --summary-only` has no per-run values: say how it is drawn.
        for d in &args.dirs {
            if statecraft_results::read_manifest(&d.join("manifest.json"))
                .is_ok_and(|m| m.summary_only)
            {
                crate::common::note(&format!(
                    "{} holds only the summary (`statecraft run --summary-only`): its metrics are in the page's table, their distributions drawn through the summary's seven quantiles, not run by run; no other per-run chart",
                    d.display()
                ));
            }
        }
        {
            let n = report.charts.len();
            outln!(
                "{n} chart{}; report in {} (plots in {})",
                if n == 1 { "" } else { "s" },
                page.display(),
                out.join("plots").display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
