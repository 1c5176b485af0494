//! The report page: one self-contained HTML file (inline CSS and SVG, no script, no link to
//! anything outside it), written as well-formed XML so that any XML parser can check it.

use std::fmt::Write as _;

use crate::charts::{Chart, fmt_num};
use crate::data::{Folder, Table, metric_unit};

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "
body { font-family: 'DejaVu Sans', Verdana, Arial, sans-serif; color: #222; margin: 2em auto;
  max-width: 1400px; padding: 0 1.5em; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1.05em; margin: 0.2em 0; }
p.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.8em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; white-space: nowrap; }
th { background: #f3f3f3; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.2em 0 2em 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: #444; font-size: 0.9em; margin-top: 0.3em; }
nav ul { columns: 2; font-size: 0.9em; }
.scroll { overflow-x: auto; }
";

fn table_html(out: &mut String, header: &[String], rows: &[Vec<String>], numeric: &[bool]) {
    table_html_with(out, "", header, rows, numeric);
}

/// A table with an extra header row `top` (already HTML) above the column names.
fn table_html_with(
    out: &mut String,
    top: &str,
    header: &[String],
    rows: &[Vec<String>],
    numeric: &[bool],
) {
    out.push_str("<div class=\"scroll\"><table>\n<thead>");
    out.push_str(top);
    out.push_str("<tr>");
    for h in header {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        out.push_str("<tr>");
        for (k, cell) in r.iter().enumerate() {
            if numeric.get(k).copied().unwrap_or(false) {
                let _ = write!(out, "<td class=\"num\">{}</td>", esc(cell));
            } else {
                let _ = write!(out, "<td>{}</td>", esc(cell));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

/// A CSV table as HTML, numbers shortened to four significant digits.
fn csv_table(out: &mut String, t: &Table) {
    let numeric: Vec<bool> = (0..t.header.len())
        .map(|c| {
            t.rows
                .iter()
                .any(|r| !r[c].is_empty() && r[c].parse::<f64>().is_ok())
        })
        .collect();
    let rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|cell| match cell.parse::<f64>() {
                    Ok(x) if !cell.is_empty() && cell.contains('.') => fmt_num(x),
                    _ => cell.clone(),
                })
                .collect()
        })
        .collect();
    table_html(out, &t.header, &rows, &numeric);
}

fn figure(out: &mut String, c: &Chart, svg: &str) {
    let _ = write!(
        out,
        "<figure id=\"fig-{}\">\n<h3>{}</h3>\n",
        esc(&c.name),
        esc(&c.title)
    );
    out.push_str(svg.trim());
    let _ = write!(
        out,
        "\n<figcaption>{} <em>(plots/{}.svg)</em></figcaption>\n</figure>\n",
        esc(&c.caption),
        esc(&c.name)
    );
}

/// The whole page: the scenario summary, the tables and every chart (`svgs[k]` is
/// `charts[k]` drawn).
pub fn page(folders: &[Folder], charts: &[Chart], svgs: &[String]) -> String {
    let names: Vec<&str> = folders.iter().map(|f| f.name.as_str()).collect();
    let mut out = String::with_capacity(1 << 20);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <title>statecraft report: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n\
         <h1>statecraft report: {}</h1>\n",
        esc(&names.join(", ")),
        esc(&names.join(" vs ")),
    );
    let versions: Vec<&str> = folders.iter().map(|f| f.version.as_str()).collect();
    let _ = writeln!(
        out,
        "<p class=\"meta\">Written by <code>statecraft report</code> from {} results folder{} \
         (statecraft {}). Every chart is also in <code>plots/</code> as SVG.</p>",
        folders.len(),
        if folders.len() == 1 { "" } else { "s" },
        esc(&versions.join(", "))
    );
    // Contents.
    out.push_str("<nav><ul>\n<li><a href=\"#scenarios\">Scenarios</a></li>\n");
    // Folders of a batch have a summary; those of an analysis command (compare, sweep,
    // sensitivity, tournament) only their own tables.
    let batches: Vec<&Folder> = folders.iter().filter(|f| !f.stats.is_empty()).collect();
    if !batches.is_empty() {
        out.push_str("<li><a href=\"#outcomes\">Outcome summary</a></li>\n");
    }
    for c in charts {
        let _ = writeln!(
            out,
            "<li><a href=\"#fig-{}\">{}</a></li>",
            esc(&c.name),
            esc(&c.title)
        );
    }
    if folders.iter().any(|f| f.compare.is_some()) {
        out.push_str("<li><a href=\"#compare\">Comparison table</a></li>\n");
    }
    out.push_str("</ul></nav>\n");

    out.push_str("<h2 id=\"scenarios\">Scenarios</h2>\n");
    let header: Vec<String> = [
        "scenario",
        "folder",
        "seed",
        "runs",
        "rounds",
        "trajectories kept",
        "scenario SHA-256",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows: Vec<Vec<String>> = folders
        .iter()
        .map(|f| {
            let batch = !f.stats.is_empty() || f.runs > 0;
            let num = |x: u64| if batch { x.to_string() } else { "-".into() };
            vec![
                f.name.clone(),
                f.dir.display().to_string(),
                num(f.seed),
                num(f.runs),
                num(f.rounds),
                f.traj
                    .as_ref()
                    .map_or("none".into(), |t| format!("{} runs", t.runs)),
                f.scenario_sha256.chars().take(16).collect(),
            ]
        })
        .collect();
    table_html(
        &mut out,
        &header,
        &rows,
        &[false, false, true, true, true, false, false],
    );

    if !batches.is_empty() {
        outcome_summary(&mut out, &batches);
    }
    charts_html(&mut out, folders, charts, svgs);
    out.push_str("</body>\n</html>\n");
    out
}

/// The outcome summary of the folders of batches (summary.json).
fn outcome_summary(out: &mut String, batches: &[&Folder]) {
    out.push_str("<h2 id=\"outcomes\">Outcome summary</h2>\n");
    out.push_str(
        "<p>Per metric and scenario (summary.json): mean, median and the 5th to 95th percentile \
         range across runs; n = runs where the metric is defined.</p>\n",
    );
    let mut header: Vec<String> = vec!["metric".into(), "unit".into()];
    let mut numeric = vec![false, false];
    let mut top = String::from("<tr><th></th><th></th>");
    for f in batches {
        let _ = write!(
            top,
            "<th colspan=\"4\" style=\"text-align: center\">{}</th>",
            esc(&f.name)
        );
        for col in ["mean", "median", "5% – 95%", "n"] {
            header.push(col.to_string());
            numeric.push(true);
        }
    }
    top.push_str("</tr>\n");
    let mut metric_names: Vec<&str> = Vec::new();
    for f in batches {
        for s in &f.stats {
            if !metric_names.contains(&s.name.as_str()) {
                metric_names.push(&s.name);
            }
        }
    }
    let cell = |x: Option<f64>| x.map_or("-".to_string(), fmt_num);
    let mut rows = Vec::new();
    for m in metric_names {
        let mut row = vec![m.to_string(), metric_unit(m).to_string()];
        for f in batches {
            match f.stats.iter().find(|s| s.name == m) {
                Some(s) => row.extend([
                    cell(s.mean),
                    cell(s.p50),
                    match (s.p5, s.p95) {
                        (Some(a), Some(b)) => format!("{} – {}", fmt_num(a), fmt_num(b)),
                        _ => "-".into(),
                    },
                    s.n.to_string(),
                ]),
                None => row.extend(["", "", "", ""].map(String::from)),
            }
        }
        rows.push(row);
    }
    table_html_with(out, &top, &header, &rows, &numeric);
}

/// The charts, each under its section's heading, with the tables that go with them, and
/// compare.csv's table.
fn charts_html(out: &mut String, folders: &[Folder], charts: &[Chart], svgs: &[String]) {
    let mut section = "";
    for (c, svg) in charts.iter().zip(svgs) {
        let heading = match c.name.split('_').next().unwrap_or("") {
            "distributions" => "Outcome distributions",
            "trajectories" => "Trajectories",
            "actions" => "Actions",
            "sensitivity" => "Sensitivity",
            "sweep" => "Sweep",
            "payoff" | "ranking" | "evolution" => "Tournament",
            "compare" => "Comparison",
            "prim" => "Scenario discovery",
            _ => "More",
        };
        if heading != section {
            let _ = writeln!(out, "<h2>{heading}</h2>");
            section = heading;
        }
        figure(out, c, svg);
        let table = c.source.and_then(|i| {
            let f = &folders[i];
            if c.name.starts_with("payoff") {
                f.payoff.as_ref().map(|t| ("payoff_matrix.csv", t.clone()))
            } else if c.name.starts_with("ranking") {
                f.ranking.as_ref().map(|t| ("ranking.csv", t.clone()))
            } else if c.name.starts_with("prim") && c.name.ends_with("_box") {
                f.prim_box.as_ref().map(|t| {
                    // Only the parameters the box restricts.
                    let mut t = t.clone();
                    if let Some(k) = t.col("restricted") {
                        t.rows.retain(|r| r[k] == "true");
                    }
                    ("prim_box.csv (the restricted parameters)", t)
                })
            } else {
                None
            }
        });
        if let (Some((file, t)), Some(i)) = (table, c.source) {
            let _ = writeln!(out, "<p>{file} of {}:</p>", esc(&folders[i].name));
            csv_table(out, &t);
        }
    }
    if folders.iter().any(|f| f.compare.is_some()) {
        out.push_str("<h2 id=\"compare\">Comparison table</h2>\n");
        out.push_str(
            "<p>compare.csv: per metric, each scenario against the reference (difference of \
             means with its interval, KS, Mann-Whitney, Cliff's delta, verdict).</p>\n",
        );
        for f in folders {
            if let Some(t) = &f.compare {
                let _ = writeln!(out, "<p>From {}:</p>", esc(&f.dir.display().to_string()));
                csv_table(out, t);
            }
        }
    }
}
