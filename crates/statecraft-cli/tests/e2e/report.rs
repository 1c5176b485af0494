//! End-to-end tests of `statecraft report`: a small run of two scenarios, plus small synthetic
//! files of the analysis commands (compare, sweep, sensitivity, tournament), give a report with
//! every expected chart; the page and every SVG are well-formed XML; the page is self-contained;
//! the PNGs decode; the same inputs give the same bytes; bad input is a clear error.

use std::path::{Path, PathBuf};

use crate::common::*;

/// Two small batches with trajectories: the three-actor example at two seeds, overlaid.
fn two_runs(d: &Path) -> (PathBuf, PathBuf) {
    let (a, b) = (d.join("a"), d.join("b"));
    for (dir, seed) in [(&a, "1"), (&b, "2")] {
        ok(&[
            "run",
            "scenarios/examples/three_actors.ron",
            "--runs",
            "120",
            "--rounds",
            "12",
            "--seed",
            seed,
            "--trajectories",
            "15",
            "--quiet",
            "--out",
            dir.to_str().unwrap(),
        ]);
    }
    (a, b)
}

/// Synthetic files in the formats of the analysis commands (columns as documented).
fn analysis_files(dir: &Path) {
    let files = [
        (
            "sensitivity.csv",
            "method,metric,param,s1,s1_lo,s1_hi,st,st_lo,st_hi,mu_star,mu_star_lo,mu_star_hi,sigma\n\
             sobol,hegemon_rent,model.elasticity_lr,0.4,0.3,0.5,0.5,0.4,0.6,,,,\n\
             sobol,hegemon_rent,model.rationality,0.1,0.05,0.15,0.2,0.1,0.3,,,,\n\
             morris,hegemon_rent,model.elasticity_lr,,,,,,,300,280,320,50\n",
        ),
        (
            "sweep.csv",
            "point,model.elasticity_lr,hegemon_rent_mean,hegemon_rent_p5,hegemon_rent_p50,hegemon_rent_p95\n\
             0,1.5,1000,900,1000,1100\n1,2.0,950,850,950,1050\n2,2.5,900,800,900,1000\n",
        ),
        (
            "payoff_matrix.csv",
            "hegemon,allies,runs,hegemon_payoff_mean,hegemon_payoff_lo,hegemon_payoff_hi,ally_welfare_mean,ally_welfare_lo,ally_welfare_hi\n\
             PaidAccess,Quantal,100,970,950,990,-2.0,-2.1,-1.9\n\
             PaidAccess,AlwaysHedge,100,800,780,820,-1.5,-1.6,-1.4\n\
             Reciprocal,Quantal,100,600,580,620,-1.0,-1.1,-0.9\n\
             Reciprocal,AlwaysHedge,100,500,480,520,-0.8,-0.9,-0.7\n",
        ),
        (
            "ranking.csv",
            "role,variant,rank,mean,lo,hi,p_first\n\
             hegemon,PaidAccess,1,885,860,910,0.97\nhegemon,Reciprocal,2,550,530,570,0.03\n",
        ),
        (
            "evolution.csv",
            "step,policy,share\n0,Quantal,0.5\n0,AlwaysHedge,0.5\n1,Quantal,0.4\n1,AlwaysHedge,0.6\n",
        ),
        (
            "compare.csv",
            "metric,scenario,reference,n,mean,p5,p50,p95,diff,diff_lo,diff_hi,paired,ks_d,ks_p,mw_p,cliffs_delta,verdict\n\
             hegemon_rent,a,a,120,970,890,972,1050,,,,,,,,,\n\
             hegemon_rent,b,a,120,975,895,975,1055,5,-3,13,true,0.1,0.6,0.5,0.05,no difference\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write synthetic file");
    }
}

const BASE_CHARTS: [&str; 8] = [
    "distributions",
    "trajectories_world",
    "trajectories_tariff",
    "trajectories_credibility",
    "trajectories_autonomy",
    "trajectories_exports_to_hegemon",
    "trajectories_regional_trade_share",
    "actions",
];

const ANALYSIS_CHARTS: [&str; 7] = [
    "compare",
    "sensitivity_sobol",
    "sensitivity_morris",
    "sweep",
    "payoff",
    "ranking",
    "evolution",
];

/// Checks an SVG document: well-formed, an `svg` root with a size, text (titles, axis labels).
fn check_svg(name: &str, text: &str) -> usize {
    let doc = roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("{name}.svg is not well-formed XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{name}");
    assert!(root.attribute("width").is_some() && root.attribute("viewBox").is_some());
    let texts = root
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .count();
    assert!(texts >= 5, "{name}.svg has {texts} text elements");
    texts
}

#[test]
fn report_has_every_chart_and_is_well_formed_and_self_contained() {
    let d = scratch("full");
    let (a, b) = two_runs(&d);
    analysis_files(&a);
    let out = d.join("out");
    let printed = ok(&[
        "report",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--png",
    ]);
    assert!(printed.contains("15 charts"), "{printed}");
    let html = text(&out.join("report.html"));
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("report.html is not well-formed: {e}"));
    // Self-contained: no script, no stylesheet or image fetched from anywhere.
    for n in doc.descendants().filter(|n| n.is_element()) {
        let tag = n.tag_name().name();
        assert!(
            !matches!(tag, "script" | "link" | "img" | "iframe" | "object"),
            "report.html has a <{tag}>"
        );
        for attr in n.attributes() {
            if matches!(attr.name(), "src" | "href") {
                assert!(
                    attr.value().starts_with('#'),
                    "report.html refers outside itself: {}={}",
                    attr.name(),
                    attr.value()
                );
            }
        }
    }
    assert!(!html.contains("@import") && !html.contains("url("));
    // Both scenarios named, tables present.
    assert!(html.contains("<title>statecraft report: three_actors (a), three_actors (b)</title>"));
    for table in ["Scenarios", "Outcome summary", "Comparison table"] {
        assert!(html.contains(table), "no {table}");
    }
    assert!(
        html.contains("no difference"),
        "compare.csv's verdict not in the table"
    );
    let ranking = text(&out.join("plots/ranking.svg"));
    assert!(
        ranking.contains("PaidAccess (P first 0.97)"),
        "ranking labels"
    );
    for name in BASE_CHARTS.iter().chain(&ANALYSIS_CHARTS) {
        // In the page: a figure with its inline SVG, a title and a caption.
        let fig = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(&format!("fig-{name}")))
            .unwrap_or_else(|| panic!("no figure {name} in report.html"));
        assert!(
            fig.children().any(|c| c.has_tag_name("svg")),
            "{name}: no inline svg"
        );
        let caption = fig
            .children()
            .find(|c| c.has_tag_name("figcaption"))
            .and_then(|c| c.text())
            .unwrap_or("");
        assert!(caption.len() > 20, "{name}: caption {caption:?}");
        // On disk: the SVG, well-formed, with text; the PNG, decodable, twice the size.
        let svg = text(&out.join("plots").join(format!("{name}.svg")));
        check_svg(name, &svg);
        let width: u32 = roxmltree::Document::parse(&svg)
            .unwrap()
            .root_element()
            .attribute("width")
            .unwrap()
            .parse()
            .unwrap();
        let png = std::fs::File::open(out.join("plots").join(format!("{name}.png")))
            .unwrap_or_else(|e| panic!("{name}.png: {e}"));
        let info = png::Decoder::new(png).read_info().expect("PNG header");
        assert_eq!(info.info().width, 2 * width, "{name}.png");
    }
    // Axis labels with units, and both scenarios in the legends.
    let world = text(&out.join("plots/trajectories_world.svg"));
    for label in [
        "round",
        "bn USD per year",
        "credibility (0-1)",
        "three_actors",
    ] {
        assert!(
            world.contains(label),
            "trajectories_world.svg lacks {label:?}"
        );
    }
    let dist = text(&out.join("plots/distributions.svg"));
    assert!(dist.contains("% of GDP per year") && dist.contains("share of runs"));
    let n_figures = html.matches("<figure id=").count();
    assert_eq!(n_figures, BASE_CHARTS.len() + ANALYSIS_CHARTS.len());
}

#[test]
fn report_is_deterministic_goes_into_the_first_folder_and_skips_what_is_absent() {
    let d = scratch("plain");
    let (a, _) = two_runs(&d);
    // Without trajectories: only the distributions.
    let c = d.join("c");
    ok(&[
        "run",
        "scenarios/examples/three_actors.ron",
        "--runs",
        "50",
        "--rounds",
        "5",
        "--quiet",
        "--out",
        c.to_str().unwrap(),
    ]);
    ok(&["report", c.to_str().unwrap(), "--quiet"]);
    let plots: Vec<String> = std::fs::read_dir(c.join("plots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(plots, vec!["distributions.svg".to_string()]);
    // Same inputs, same bytes.
    ok(&["report", a.to_str().unwrap(), "--quiet"]);
    let first = text(&a.join("report.html"));
    let svg = text(&a.join("plots/trajectories_world.svg"));
    ok(&["report", a.to_str().unwrap(), "--quiet"]);
    assert_eq!(first, text(&a.join("report.html")));
    assert_eq!(svg, text(&a.join("plots/trajectories_world.svg")));
    // No temporary file left behind.
    let left: Vec<String> = std::fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn report_errors_name_the_file_and_the_problem() {
    let d = scratch("bad");
    let o = run(&["report", d.join("nowhere").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("nowhere") && err.contains("not a folder"),
        "{err}"
    );
    // A results folder with a broken number in sweep.csv.
    let (a, _) = two_runs(&d);
    std::fs::write(
        a.join("sweep.csv"),
        "point,x,hegemon_rent_mean\n0,1.5,abc\n",
    )
    .unwrap();
    let o = run(&["report", a.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("sweep.csv") && err.contains("line 2") && err.contains("hegemon_rent_mean"),
        "{err}"
    );
    assert!(
        !a.join("report.html").exists(),
        "a failed report left a page"
    );
}

#[test]
fn metrics_limits_the_charts_to_the_named_metrics() {
    let d = scratch("metrics");
    let (a, _) = two_runs(&d);
    analysis_files(&a);
    let out = d.join("out");
    ok(&[
        "report",
        a.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--metrics",
        "hegemon_rent,share_concede",
    ]);
    let dist = text(&out.join("plots/distributions.svg"));
    assert!(dist.contains("Hegemon rent") && dist.contains("Share concede"));
    assert!(
        !dist.contains("Ally welfare loss"),
        "an unnamed metric is drawn"
    );
    let forest = text(&out.join("plots/compare.svg"));
    assert!(forest.contains("Hegemon rent") && !forest.contains("Ally welfare loss"));
}

#[test]
fn actors_limits_the_per_actor_charts_and_names_the_known_ones() {
    let d = scratch("actors");
    let (a, _) = two_runs(&d);
    let out = d.join("out");
    ok(&[
        "report",
        a.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--actors",
        "ALLY",
    ]);
    let tariff = text(&out.join("plots/trajectories_tariff.svg"));
    assert!(tariff.contains("\nALLY\n"), "the named actor is drawn");
    assert!(!tariff.contains("\nRIV\n"), "an unnamed actor is drawn");
    let e = failure(&[
        "report",
        a.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--actors",
        "NOPE",
    ]);
    assert!(
        e.contains("unknown actor \"NOPE\"") && e.contains("ALLY"),
        "{e}"
    );
}
