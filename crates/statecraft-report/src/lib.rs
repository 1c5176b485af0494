//! Pictures of statecraft results: charts (SVG, and PNG on request) and one self-contained HTML
//! report of one or more results folders.
//!
//! [`data`] reads a folder (columns by name; absent optional files are skipped), [`figures`]
//! turns folders into [`charts::Chart`]s (plain data), [`charts`] draws them with plotters on
//! the SVG or bitmap backend, and [`html`] assembles the page.

pub mod charts;
pub mod data;
pub mod error;
pub mod figures;
pub mod html;
pub mod png;

use std::path::PathBuf;

use error::bail;

pub use charts::Chart;
pub use data::Folder;
pub use error::{Error, Result};

/// A report ready to write: the page and every chart with its SVG.
pub struct Report {
    /// The self-contained HTML page.
    pub html: String,
    /// The charts, in page order.
    pub charts: Vec<Chart>,
    /// `svgs[k]`: `charts[k]` as an SVG document.
    pub svgs: Vec<String>,
}

/// Reads the results folders and draws the report. Scenarios are compared in the order given.
pub fn build(dirs: &[PathBuf]) -> Result<Report> {
    build_with(dirs, &Options::default())
}

/// What a report draws beyond the default.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Only these metrics in the distributions, the sweep's responses and the comparison.
    pub metrics: Option<Vec<String>>,
    /// Only these actors in the per-actor charts (the world charts pool every actor).
    pub actors: Option<Vec<String>>,
}

/// [`build`] with [`Options`]: an unknown metric or actor is an error listing the known ones.
pub fn build_with(dirs: &[PathBuf], options: &Options) -> Result<Report> {
    let metrics = options.metrics.as_deref();
    let mut folders = dirs
        .iter()
        .map(|d| Folder::read(d))
        .collect::<Result<Vec<_>>>()?;
    // Two folders of one scenario (other seeds, runs...) are told apart by their folder.
    let names: Vec<String> = folders.iter().map(|f| f.name.clone()).collect();
    for f in &mut folders {
        if names.iter().filter(|n| **n == f.name).count() > 1 {
            let dir = f.dir.file_name().map_or_else(
                || f.dir.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            f.name = format!("{} ({dir})", f.name);
        }
    }
    if let Some(m) = metrics {
        let known: Vec<&str> = folders
            .iter()
            .flat_map(|f| f.stats.iter().map(|s| s.name.as_str()))
            .collect();
        let sweep_or_compare = folders
            .iter()
            .any(|f| f.sweep.is_some() || f.compare.is_some());
        if let Some(bad) = m.iter().find(|x| !known.contains(&x.as_str()))
            && !sweep_or_compare
        {
            let mut all = known.clone();
            all.dedup();
            bail!(
                "--metrics: unknown metric {bad:?}; the folders have: {}",
                all.join(", ")
            );
        }
        for f in &mut folders {
            f.keep_metrics(m);
        }
    }
    if let Some(a) = &options.actors {
        let known: Vec<&str> = folders
            .iter()
            .filter_map(|f| f.traj.as_ref())
            .flat_map(|t| t.actors.iter().map(String::as_str))
            .collect();
        if known.is_empty() {
            bail!("--actors: no folder has trajectories.csv (run with --trajectories N)");
        }
        if let Some(bad) = a.iter().find(|x| !known.contains(&x.as_str())) {
            let mut all = known.clone();
            all.sort_unstable();
            all.dedup();
            bail!(
                "--actors: unknown actor {bad:?}; the trajectories have: {}",
                all.join(", ")
            );
        }
        for f in &mut folders {
            f.show_actors = Some(a.clone());
        }
    }
    let charts = figures::charts(&folders)?;
    let svgs = charts
        .iter()
        .map(|c| {
            c.svg()
                .map_err(|e| Error::Draw(format!("cannot draw the chart {}: {e}", c.name)))
        })
        .collect::<Result<Vec<_>>>()?;
    let html = html::page(&folders, &charts, &svgs);
    Ok(Report { html, charts, svgs })
}
