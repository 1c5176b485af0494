//! Pictures of statecraft results: charts (SVG, and PNG on request) and one self-contained HTML
//! report of one or more results folders.
//!
//! [`data`] reads a folder (columns by name; absent optional files are skipped), [`figures`]
//! turns folders into [`charts::Chart`]s (plain data), [`charts`] draws them with plotters on
//! the SVG or bitmap backend, and [`html`] assembles the page.

pub mod charts;
pub mod data;
pub mod figures;
pub mod html;

use std::path::PathBuf;

use anyhow::Result;

pub use charts::Chart;
pub use data::Folder;

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
    let charts = figures::charts(&folders)?;
    let svgs = charts
        .iter()
        .map(|c| {
            c.svg()
                .map_err(|e| e.context(format!("cannot draw the chart {}", c.name)))
        })
        .collect::<Result<Vec<_>>>()?;
    let html = html::page(&folders, &charts, &svgs);
    Ok(Report { html, charts, svgs })
}
