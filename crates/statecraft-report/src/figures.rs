//! From results folders to figures: which chart each file gives, and how its numbers are
//! computed (ECDFs, fan-chart quantiles, action shares, ...).

use crate::error::Result;
use statecraft_core::metric::TrajectoryColumn;
use statecraft_runner::stats::quantile_sorted;

use crate::charts::{
    Bar, BarPanel, Chart, HeatPanel, LinePanel, Panels, Series, StackPanel, fmt_num, span,
};
use crate::data::{ACTIONS, Folder, QUANTILE_SHARES, TRAJ_VARS, Table, metric_unit, readable};

/// Points of an ECDF drawn as a line: exact steps up to `MAX_ECDF` values, else the quantile
/// function sampled at `MAX_ECDF` + 1 levels.
const MAX_ECDF: usize = 400;

/// Sorted copy of the finite values.
fn sorted(xs: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// ECDF of `xs` (non-empty) as (x, y) points of a step line.
pub fn ecdf(xs: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let v = sorted(xs);
    let n = v.len();
    let (mut x, mut y) = (Vec::new(), Vec::new());
    if n == 0 {
        return (x, y);
    }
    if n <= MAX_ECDF {
        for (i, &xi) in v.iter().enumerate() {
            x.extend([xi, xi]);
            y.extend([i as f64 / n as f64, (i + 1) as f64 / n as f64]);
        }
    } else {
        for k in 0..=MAX_ECDF {
            let q = k as f64 / MAX_ECDF as f64;
            x.push(quantile_sorted(&v, q));
            y.push(q);
        }
    }
    (x, y)
}

/// Per round, the 5th, 25th, 50th, 75th and 95th percentiles across runs (NaN where a round
/// has no value).
pub fn fan(per_round: &[Vec<f64>]) -> [Vec<f64>; 5] {
    let mut out: [Vec<f64>; 5] = Default::default();
    for vals in per_round {
        let v = sorted(vals);
        for (k, q) in [0.05, 0.25, 0.5, 0.75, 0.95].iter().enumerate() {
            out[k].push(if v.is_empty() {
                f64::NAN
            } else {
                quantile_sorted(&v, *q)
            });
        }
    }
    out
}

fn fan_series(color: usize, per_round: &[Vec<f64>]) -> Series {
    let [p5, p25, p50, p75, p95] = fan(per_round);
    Series {
        color,
        x: (0..per_round.len()).map(|t| t as f64).collect(),
        y: p50,
        outer: Some((p5, p95)),
        inner: Some((p25, p75)),
        ..Series::default()
    }
}

fn legend(folders: &[Folder]) -> Vec<(String, usize)> {
    folders
        .iter()
        .enumerate()
        .map(|(k, f)| (f.name.clone(), k))
        .collect()
}

/// Outcome distributions: one panel per metric, an ECDF per folder, medians dashed.
fn distributions(folders: &[Folder]) -> Option<Chart> {
    let mut names: Vec<&str> = Vec::new();
    for f in folders {
        for s in &f.stats {
            if !names.contains(&s.name.as_str()) {
                names.push(&s.name);
            }
        }
    }
    let mut panels = Vec::new();
    let mut empty = Vec::new();
    let mut from_summary = false;
    for name in names {
        let mut series = Vec::new();
        let mut defined: Vec<String> = Vec::new();
        let mut missing = 0;
        for (k, f) in folders.iter().enumerate() {
            let Some(i) = f.stats.iter().position(|s| s.name == name) else {
                continue;
            };
            let vals = &f.values[i];
            missing += f.stats[i].missing;
            defined.push(format!(
                "{}/{}",
                f.stats[i].n,
                f.stats[i].n + f.stats[i].missing
            ));
            if vals.is_empty() {
                // A folder with only its summary: the line through its seven quantiles.
                if let Some(q) = f.stats[i].quantiles {
                    from_summary = true;
                    series.push(Series {
                        color: k,
                        x: q.to_vec(),
                        y: QUANTILE_SHARES.to_vec(),
                        vline: Some(q[3]),
                        points: Some((q.to_vec(), QUANTILE_SHARES.to_vec())),
                        ..Series::default()
                    });
                }
                continue;
            }
            let (x, y) = ecdf(vals);
            let v = sorted(vals);
            series.push(Series {
                color: k,
                x,
                y,
                vline: Some(quantile_sorted(&v, 0.5)),
                ..Series::default()
            });
        }
        if series.is_empty() {
            empty.push(name.to_string());
            continue;
        }
        let title = if missing > 0 {
            format!(
                "{} (defined in {} runs)",
                readable(name),
                defined.join(", ")
            )
        } else {
            readable(name)
        };
        panels.push(LinePanel {
            title,
            xlabel: metric_unit(name).to_string(),
            ylabel: "share of runs ≤ x".into(),
            series,
            yrange: Some((0.0, 1.0)),
        });
    }
    if panels.is_empty() {
        return None;
    }
    let mut caption = "Empirical distribution (ECDF) of each run-level metric across the Monte \
        Carlo runs of each scenario; the dashed line marks the median."
        .to_string();
    if from_summary {
        caption.push_str(
            " A folder with only its summary (run --summary-only) is drawn through the \
             summary's seven quantiles (dots: minimum, 5th, 25th, 50th, 75th, 95th percentile, \
             maximum), joined by straight lines, not run by run.",
        );
    }
    if !empty.is_empty() {
        caption.push_str(&format!(
            " Not drawn (no run defines them): {}.",
            empty.join(", ")
        ));
    }
    Some(Chart {
        name: "distributions".into(),
        title: "Outcome distributions".into(),
        caption,
        legend: legend(folders),
        cols: 3,
        panel: (330, 240),
        source: None,
        panels: Panels::Lines(panels),
    })
}

/// How a fan chart of `folders` scenarios draws its bands (several overlapping ones as edges,
/// see `charts::bands`).
fn bands_words(folders: usize) -> &'static str {
    if folders > 1 {
        "the 50% band (light fill, thin edges) and the 90% band (dashed edges)"
    } else {
        "the 50% (dark) and 90% (light) bands"
    }
}

/// The title of a world panel of the trajectory variable `col`: what is pooled over actors, and
/// how. The regional share says it is a plain mean of the actors' own shares, as it is not
/// the run metric of the same name (the allies' pooled exports).
fn world_title(col: &str, label: &str, sum: bool) -> String {
    if col == TrajectoryColumn::RegionalTradeShare.name() {
        "actors' own regional trade shares (mean)".into()
    } else {
        format!("{label} ({} over actors)", if sum { "sum" } else { "mean" })
    }
}

/// Fan charts of the world values and per actor, where trajectories were kept.
fn trajectories(folders: &[Folder]) -> Vec<Chart> {
    let with: Vec<(usize, &Folder)> = folders
        .iter()
        .enumerate()
        .filter(|(_, f)| f.traj.is_some())
        .collect();
    if with.is_empty() {
        return Vec::new();
    }
    let kept: Vec<String> = with
        .iter()
        .map(|(_, f)| {
            format!(
                "{} runs of {}",
                f.traj.as_ref().map_or(0, |t| t.runs),
                f.name
            )
        })
        .collect();
    let mut charts = Vec::new();
    let mut world = Vec::new();
    for (v, (_, label, unit, sum)) in TRAJ_VARS.iter().enumerate() {
        let series: Vec<Series> = with
            .iter()
            .filter_map(|(k, f)| {
                let w = f.traj.as_ref()?.world(v)?;
                Some(fan_series(*k, &w))
            })
            .collect();
        if series.is_empty() {
            continue;
        }
        world.push(LinePanel {
            title: world_title(TRAJ_VARS[v].0, label, *sum),
            xlabel: "round".into(),
            ylabel: unit.to_string(),
            series,
            yrange: None,
        });
    }
    if !world.is_empty() {
        charts.push(Chart {
            name: "trajectories_world".into(),
            title: "Trajectories: the world".into(),
            caption: format!(
                "Per round, the median (line), {} of the kept runs ({}) of the mean over all \
                 actors but the hegemon (exports to the hegemon: their sum). The regional \
                 panel is the unweighted mean of every actor's own share, the rival's \
                 included: not the run metric regional_trade_share, which pools the allies' \
                 exports (their exports to regional partners over their total exports, at T).",
                bands_words(with.len()),
                kept.join(", ")
            ),
            legend: legend(folders),
            cols: 3,
            panel: (330, 240),
            source: None,
            panels: Panels::Lines(world),
        });
    }
    for (v, (col, label, unit, _)) in TRAJ_VARS.iter().enumerate() {
        let mut actors: Vec<&str> = Vec::new();
        for (_, f) in &with {
            let Some(t) = f.traj.as_ref() else { continue };
            for a in &t.actors {
                let shown = f.show_actors.as_ref().is_none_or(|s| s.contains(a));
                if shown && !actors.contains(&a.as_str()) {
                    actors.push(a);
                }
            }
        }
        let mut panels = Vec::new();
        for actor in actors {
            let series: Vec<Series> = with
                .iter()
                .filter_map(|(k, f)| {
                    let t = f.traj.as_ref()?;
                    let a = t.actors.iter().position(|x| x == actor)?;
                    let vals = t.values[v].as_ref()?;
                    Some(fan_series(*k, &vals[a]))
                })
                .collect();
            if !series.is_empty() {
                panels.push(LinePanel {
                    title: actor.to_string(),
                    xlabel: "round".into(),
                    ylabel: unit.to_string(),
                    series,
                    yrange: None,
                });
            }
        }
        if panels.is_empty() {
            continue;
        }
        // One y-scale for every actor, so that panels compare at a glance; flows in bn USD
        // (exports) differ by orders of magnitude between actors and keep a scale each.
        let shared = unit.contains("bn USD");
        if !shared {
            // The span every panel would take on its own, over all of them.
            let range = span(panels.iter().flat_map(|p| p.series.iter()).flat_map(|q| {
                q.y.iter()
                    .chain(q.outer.iter().flat_map(|(lo, hi)| lo.iter().chain(hi)))
            }));
            for p in &mut panels {
                p.yrange = Some(range);
            }
        }
        charts.push(Chart {
            name: format!("trajectories_{col}"),
            title: format!("Trajectories per actor: {label}"),
            caption: format!(
                "Each actor's {label} per round: median (line), {} of the kept runs ({}); {}.",
                bands_words(with.len()),
                kept.join(", "),
                if shared {
                    "each panel has its own scale (the flows differ by orders of magnitude)"
                } else {
                    "one scale for all panels"
                }
            ),
            legend: legend(folders),
            cols: 4,
            panel: (260, 200),
            source: None,
            panels: Panels::Lines(panels),
        });
    }
    charts
}

/// The action mix over rounds: one stacked panel per folder.
fn actions(folders: &[Folder]) -> Option<Chart> {
    let mut panels = Vec::new();
    for f in folders {
        let Some(t) = &f.traj else { continue };
        if t.actions.iter().all(|r| r.iter().sum::<u64>() == 0) {
            continue;
        }
        let shares: Vec<Vec<f64>> = (0..ACTIONS.len())
            .map(|k| {
                t.actions
                    .iter()
                    .map(|r| {
                        let n: u64 = r.iter().sum();
                        if n == 0 { 0.0 } else { r[k] as f64 / n as f64 }
                    })
                    .collect()
            })
            .collect();
        panels.push(StackPanel {
            title: f.name.clone(),
            shares,
        });
    }
    if panels.is_empty() {
        return None;
    }
    Some(Chart {
        name: "actions".into(),
        title: "Action mix over time".into(),
        caption: "Share of the actors' choices per round (all actors but the hegemon, over the \
                  kept runs): concede, retaliate, hedge, concede while hedging, bandwagon. A \
                  round in which nothing was demanded of an actor is no choice and left out; a \
                  scenario that demands nothing (the open order) has no panel."
            .into(),
        legend: ACTIONS
            .iter()
            .enumerate()
            .map(|(k, (code, label))| (format!("{label} ({code})"), k))
            .collect(),
        cols: 2,
        panel: (440, 270),
        source: None,
        panels: Panels::Stacks(panels),
    })
}

/// Distinct values of a column, in order of first appearance.
fn distinct(t: &Table, col: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in 0..t.rows.len() {
        let v = t.text_by(r, col);
        if !out.iter().any(|x| x == v) {
            out.push(v.to_string());
        }
    }
    out
}

fn suffix(base: &str, k: usize, n: usize, f: &Folder) -> (String, String) {
    if n > 1 {
        (format!("{base}_{}", k + 1), format!(" ({})", f.name))
    } else {
        (base.to_string(), String::new())
    }
}

/// The charts of a `statecraft discover` folder: PRIM's trade-off of coverage against density
/// (prim_trajectory.csv, the chosen box marked) and the chosen box's limits on each parameter
/// it restricts, as shares of the parameter's range in the runs (prim_box.csv).
fn discovery(f: &Folder, name: &str, note: &str) -> Result<Vec<Chart>> {
    let (Some(t), Some(choice)) = (&f.prim_trajectory, &f.prim) else {
        return Ok(Vec::new());
    };
    let (mut coverage, mut density) = (Vec::new(), Vec::new());
    let mut chosen = None;
    for r in 0..t.rows.len() {
        let (Some(c), Some(d)) = (t.num_by(r, "coverage")?, t.num_by(r, "density")?) else {
            continue;
        };
        if t.num_by(r, "step")? == Some(choice.box_step as f64) {
            chosen = Some((c, d));
        }
        coverage.push(c);
        density.push(d);
    }
    let mut series = vec![Series {
        color: 0,
        x: coverage.clone(),
        y: density.clone(),
        points: Some((coverage, density)),
        ..Series::default()
    }];
    if let Some((c, d)) = chosen {
        series.push(Series {
            color: 1,
            x: vec![c],
            y: vec![d],
            points: Some((vec![c], vec![d])),
            vline: Some(c),
            ..Series::default()
        });
    }
    let rule = format!(
        "{} {} {}",
        choice.metric,
        choice.rule,
        fmt_num(choice.value)
    );
    let mut charts = vec![Chart {
        name: name.to_string(),
        title: format!("Scenario discovery: PRIM's trade-off{note}"),
        caption: format!(
            "Runs of interest: {rule}. Each dot is a step of peeling (then pasting): the share of \
             the runs of interest inside the box (coverage) against the share of the box's runs \
             that are of interest (density). The chosen box (step {}, the highest coverage at \
             density >= {}) is marked.",
            choice.box_step,
            fmt_num(choice.threshold)
        ),
        legend: vec![
            ("peeling and pasting trajectory".into(), 0),
            ("chosen box".into(), 1),
        ],
        cols: 1,
        panel: (520, 360),
        source: None,
        panels: Panels::Lines(vec![LinePanel {
            title: String::new(),
            xlabel: "coverage (share of the runs of interest in the box)".into(),
            ylabel: "density (share of the box's runs of interest)".into(),
            series,
            yrange: Some((0.0, 1.0)),
        }]),
    }];
    if let Some(b) = &f.prim_box {
        let (mut labels, mut bars) = (Vec::new(), Vec::new());
        for r in (0..b.rows.len()).filter(|&r| b.text_by(r, "restricted") == "true") {
            let num = |c: &str| b.num_by(r, c).map(|v| v.unwrap_or(f64::NAN));
            let (lo, hi, min, max) = (num("lower")?, num("upper")?, num("min")?, num("max")?);
            let span = max - min;
            let share = |v: f64| if span > 0.0 { (v - min) / span } else { 0.5 };
            labels.push(b.text_by(r, "parameter").to_string());
            bars.push(vec![Bar {
                color: 1,
                value: (share(lo) + share(hi)) / 2.0,
                interval: Some((share(lo), share(hi))),
            }]);
        }
        if !labels.is_empty() {
            let rows = labels.len() as u32;
            charts.push(Chart {
                name: format!("{name}_box"),
                title: format!("Scenario discovery: the chosen box{note}"),
                caption: format!(
                    "The {} parameters the box restricts (runs of interest: {rule}): its range \
                     on each, as a share of the parameter's range in the runs (0 = least, \
                     1 = largest value drawn); the table below gives the limits.",
                    labels.len()
                ),
                legend: Vec::new(),
                cols: 1,
                panel: (720, 80 + 26 * rows),
                source: None,
                panels: Panels::Bars(vec![BarPanel {
                    title: String::new(),
                    xlabel: "share of the parameter's range in the runs".into(),
                    labels,
                    bars,
                    from_zero: false,
                }]),
            });
        }
    }
    Ok(charts)
}

/// Tornado charts of sensitivity.csv: per method, one panel per metric.
fn sensitivity(f: &Folder, name: &str, note: &str) -> Result<Vec<Chart>> {
    let Some(t) = &f.sensitivity else {
        return Ok(Vec::new());
    };
    let mut charts = Vec::new();
    for method in distinct(t, "method") {
        let sobol = method == "sobol";
        let (key, keys): (&str, &[(&str, &str, &str)]) = if sobol {
            ("st", &[("s1", "s1_lo", "s1_hi"), ("st", "st_lo", "st_hi")])
        } else {
            ("mu_star", &[("mu_star", "mu_star_lo", "mu_star_hi")])
        };
        let mut panels = Vec::new();
        let rows: Vec<usize> = (0..t.rows.len())
            .filter(|&r| t.text_by(r, "method") == method)
            .collect();
        let metrics: Vec<String> = {
            let mut m: Vec<String> = Vec::new();
            for &r in &rows {
                let v = t.text_by(r, "metric");
                if !m.iter().any(|x| x == v) {
                    m.push(v.to_string());
                }
            }
            m
        };
        for metric in metrics {
            let mut items: Vec<(String, f64, Vec<Bar>)> = Vec::new();
            for &r in rows.iter().filter(|&&r| t.text_by(r, "metric") == metric) {
                let Some(order) = t.num_by(r, key)? else {
                    continue;
                };
                let mut bars = Vec::new();
                for (j, (v, lo, hi)) in keys.iter().enumerate() {
                    if let Some(x) = t.num_by(r, v)? {
                        let interval = match (t.num_by(r, lo)?, t.num_by(r, hi)?) {
                            (Some(a), Some(b)) => Some((a, b)),
                            _ => None,
                        };
                        bars.push(Bar {
                            color: j,
                            value: x,
                            interval,
                        });
                    }
                }
                items.push((t.text_by(r, "param").to_string(), order, bars));
            }
            if items.is_empty() {
                continue;
            }
            items.sort_by(|a, b| b.1.total_cmp(&a.1));
            items.truncate(12);
            panels.push(BarPanel {
                title: metric.clone(),
                xlabel: if sobol {
                    "Sobol index (share of variance)".into()
                } else {
                    format!("Morris μ* ({})", metric_unit(&metric))
                },
                labels: items.iter().map(|i| i.0.clone()).collect(),
                bars: items.into_iter().map(|i| i.2).collect(),
                from_zero: true,
            });
        }
        if panels.is_empty() {
            continue;
        }
        let legend = if sobol {
            vec![
                ("first-order S1".to_string(), 0),
                ("total ST".to_string(), 1),
            ]
        } else {
            vec![("μ* (mean absolute elementary effect)".to_string(), 0)]
        };
        charts.push(Chart {
            name: format!("{name}_{method}"),
            title: format!("Sensitivity ({method}){note}"),
            caption: format!(
                "Tornado chart: per metric, the parameters ranked by {}, bars with their \
                 intervals where sensitivity.csv gives them (the 12 largest shown).",
                if sobol {
                    "the total Sobol index ST (S1 beside it)"
                } else {
                    "Morris μ*"
                }
            ),
            legend,
            cols: 2,
            panel: (460, 300),
            source: None,
            panels: Panels::Bars(panels),
        });
    }
    Ok(charts)
}

/// Response curves of sweep.csv: one panel per metric, the mean against the first parameter
/// (one line per combination of the others), 5-95% band where given.
fn sweep(f: &Folder, name: &str, note: &str) -> Result<Option<Chart>> {
    let Some(t) = &f.sweep else { return Ok(None) };
    let Some(first_mean) = t.header.iter().position(|h| h.ends_with("_mean")) else {
        return Ok(None);
    };
    let start = t.col("point").map_or(0, |c| c + 1);
    if start >= first_mean {
        return Ok(None);
    }
    let params: Vec<String> = t.header[start..first_mean].to_vec();
    let metrics: Vec<String> = t
        .header
        .iter()
        .filter_map(|h| h.strip_suffix("_mean").map(str::to_string))
        .collect();
    if !is_grid(t, &params) {
        return sweep_scatter(t, &params, &metrics, f, name, note);
    }
    // Groups: the values of every parameter but the first.
    let group_of = |r: usize| -> String {
        params[1..]
            .iter()
            .map(|p| format!("{p}={}", short_value(t.text_by(r, p))))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut groups: Vec<String> = Vec::new();
    for r in 0..t.rows.len() {
        let g = group_of(r);
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    let mut panels = Vec::new();
    for m in &metrics {
        let mut series = Vec::new();
        for (gi, g) in groups.iter().enumerate() {
            let mut pts: Vec<(f64, f64, Option<f64>, Option<f64>)> = Vec::new();
            for r in (0..t.rows.len()).filter(|&r| group_of(r) == *g) {
                let (Some(x), Some(y)) =
                    (t.num_by(r, &params[0])?, t.num_by(r, &format!("{m}_mean"))?)
                else {
                    continue;
                };
                pts.push((
                    x,
                    y,
                    t.num_by(r, &format!("{m}_p5"))?,
                    t.num_by(r, &format!("{m}_p95"))?,
                ));
            }
            if pts.is_empty() {
                continue;
            }
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            let band = pts.iter().all(|p| p.2.is_some() && p.3.is_some());
            series.push(Series {
                color: gi,
                x: pts.iter().map(|p| p.0).collect(),
                y: pts.iter().map(|p| p.1).collect(),
                outer: band.then(|| {
                    (
                        pts.iter().map(|p| p.2.unwrap_or(f64::NAN)).collect(),
                        pts.iter().map(|p| p.3.unwrap_or(f64::NAN)).collect(),
                    )
                }),
                ..Series::default()
            });
        }
        if !series.is_empty() {
            panels.push(LinePanel {
                title: readable(m),
                xlabel: params[0].clone(),
                ylabel: format!("mean, {}", metric_unit(m)),
                series,
                yrange: None,
            });
        }
    }
    if panels.is_empty() {
        return Ok(None);
    }
    let legend = if groups.len() > 1 {
        groups
            .iter()
            .enumerate()
            .map(|(k, g)| (g.clone(), k))
            .collect()
    } else {
        vec![(format!("{} ({})", f.name, params[0]), 0)]
    };
    Ok(Some(Chart {
        name: name.into(),
        title: format!("Sweep response curves{note}"),
        caption: format!(
            "Mean of each metric at each point of the sweep of {} (line), with the runs' 5th to \
             95th percentile band where sweep.csv gives it (dashed edges where several lines \
             are drawn).",
            params.join(", ")
        ),
        legend,
        cols: 3,
        panel: (330, 240),
        source: None,
        panels: Panels::Lines(panels),
    }))
}

/// A number of a table as a legend shows it (four significant digits); text unchanged.
fn short_value(text: &str) -> String {
    text.parse::<f64>()
        .map_or_else(|_| text.to_string(), fmt_num)
}

/// Whether a sweep's points form a grid: every parameter takes few distinct values and the
/// points are their combinations (a `grid` design), so that lines through the first
/// parameter's values, one per combination of the others, are meaningful. LHS, random and
/// Sobol designs give each point its own values.
fn is_grid(t: &Table, params: &[String]) -> bool {
    let n = t.rows.len();
    let mut combos = 1usize;
    for p in params {
        let k = distinct(t, p).len();
        if k * 2 > n && n > 4 {
            return false;
        }
        combos = combos.saturating_mul(k);
    }
    combos <= n
}

/// Nadaraya-Watson smoother with a Gaussian kernel of bandwidth `h` at `at`: the weighted
/// mean of `y` (NaN where no weight).
pub fn smooth(x: &[f64], y: &[f64], h: f64, at: f64) -> f64 {
    let (mut sw, mut swy) = (0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        if a.is_finite() && b.is_finite() {
            let w = (-0.5 * ((a - at) / h).powi(2)).exp();
            sw += w;
            swy += w * b;
        }
    }
    if sw > 0.0 { swy / sw } else { f64::NAN }
}

/// A non-grid sweep (LHS, random, Sobol): per metric and parameter, the points' means
/// against the parameter (dots), a Gaussian-kernel smooth of them (line, bandwidth a tenth
/// of the parameter's range) and the smooth of the runs' 5th and 95th percentiles (band).
fn sweep_scatter(
    t: &Table,
    params: &[String],
    metrics: &[String],
    f: &Folder,
    name: &str,
    note: &str,
) -> Result<Option<Chart>> {
    let mut panels = Vec::new();
    for m in metrics {
        let col = |r: usize, c: &str| t.num_by(r, c).ok().flatten().unwrap_or(f64::NAN);
        let y: Vec<f64> = (0..t.rows.len())
            .map(|r| col(r, &format!("{m}_mean")))
            .collect();
        if y.iter().all(|v| !v.is_finite()) {
            continue;
        }
        let lo: Vec<f64> = (0..t.rows.len())
            .map(|r| col(r, &format!("{m}_p5")))
            .collect();
        let hi: Vec<f64> = (0..t.rows.len())
            .map(|r| col(r, &format!("{m}_p95")))
            .collect();
        for p in params {
            let x: Vec<f64> = (0..t.rows.len()).map(|r| col(r, p)).collect();
            let finite: Vec<f64> = x.iter().copied().filter(|v| v.is_finite()).collect();
            let (x0, x1) = finite
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                    (a.min(*v), b.max(*v))
                });
            if x1.partial_cmp(&x0) != Some(std::cmp::Ordering::Greater) {
                continue;
            }
            let h = (x1 - x0) / 10.0;
            let grid: Vec<f64> = (0..=40)
                .map(|i| x0 + (x1 - x0) * f64::from(i) / 40.0)
                .collect();
            let line: Vec<f64> = grid.iter().map(|g| smooth(&x, &y, h, *g)).collect();
            let band = lo.iter().chain(&hi).all(|v| v.is_finite()).then(|| {
                (
                    grid.iter().map(|g| smooth(&x, &lo, h, *g)).collect(),
                    grid.iter().map(|g| smooth(&x, &hi, h, *g)).collect(),
                )
            });
            panels.push(LinePanel {
                title: format!("{} against {p}", readable(m)),
                xlabel: p.clone(),
                ylabel: format!("mean, {}", metric_unit(m)),
                series: vec![Series {
                    color: 0,
                    x: grid,
                    y: line,
                    outer: band,
                    points: Some((x, y.clone())),
                    ..Series::default()
                }],
                yrange: None,
            });
        }
    }
    if panels.is_empty() {
        return Ok(None);
    }
    Ok(Some(Chart {
        name: name.into(),
        title: format!("Sweep responses{note}"),
        caption: format!(
            "{} points of a sampled design over {}: each point's mean of the metric (dots) \
             against each parameter, a Gaussian-kernel smooth of the means (line; bandwidth a \
             tenth of the range) and of the runs' 5th and 95th percentiles (band). The other \
             parameters vary too: the scatter around the line is theirs and the runs' noise.",
            t.rows.len(),
            params.join(", ")
        ),
        legend: vec![(f.name.clone(), 0)],
        cols: params.len().clamp(2, 3),
        panel: (330, 240),
        source: None,
        panels: Panels::Lines(panels),
    }))
}

/// A forest plot of compare.csv: per scenario against the reference, each metric's difference
/// of means with its 95% interval, as a share of the reference's mean (metrics whose
/// reference mean is 0 are left out), the largest first (at most 24).
fn forest(f: &Folder, name: &str, note: &str) -> Result<Option<Chart>> {
    let Some(t) = &f.compare else { return Ok(None) };
    let mut panels = Vec::new();
    let mut refmean: Vec<(String, f64)> = Vec::new();
    for r in 0..t.rows.len() {
        if t.text_by(r, "scenario") == t.text_by(r, "reference")
            && let Some(m) = t.num_by(r, "mean")?
        {
            refmean.push((t.text_by(r, "metric").to_string(), m));
        }
    }
    for sc in distinct(t, "scenario") {
        let mut items: Vec<(f64, String, Bar)> = Vec::new();
        for r in (0..t.rows.len()).filter(|&r| t.text_by(r, "scenario") == sc) {
            let metric = t.text_by(r, "metric");
            let Some(base) = refmean.iter().find(|m| m.0 == metric).map(|m| m.1) else {
                continue;
            };
            let (Some(d), Some(lo), Some(hi)) = (
                t.num_by(r, "diff")?,
                t.num_by(r, "diff_lo")?,
                t.num_by(r, "diff_hi")?,
            ) else {
                continue;
            };
            if base.abs() < 1e-12 {
                continue;
            }
            let k = 100.0 / base.abs();
            items.push((
                (d * k).abs(),
                readable(metric),
                Bar {
                    color: 0,
                    value: d * k,
                    interval: Some((lo * k, hi * k)),
                },
            ));
        }
        if items.is_empty() {
            continue;
        }
        items.sort_by(|a, b| b.0.total_cmp(&a.0));
        items.truncate(24);
        panels.push(BarPanel {
            title: format!("{sc} against {}", t.text_by(0, "reference")),
            xlabel: "difference of means, % of the reference's mean".into(),
            labels: items.iter().map(|i| i.1.clone()).collect(),
            bars: items.into_iter().map(|i| vec![i.2]).collect(),
            from_zero: false,
        });
    }
    if panels.is_empty() {
        return Ok(None);
    }
    let rows = panels.iter().map(|p| p.labels.len()).max().unwrap_or(1) as u32;
    Ok(Some(Chart {
        name: name.into(),
        title: format!("Differences against the reference{note}"),
        caption: "compare.csv: each metric's difference of means against the reference scenario \
                  (dot) with its 95% interval (paired where the runs are paired), as a percentage \
                  of the reference's mean; the largest differences first."
            .into(),
        legend: Vec::new(),
        cols: 1,
        panel: (640, (90 + 26 * rows).clamp(220, 760)),
        source: None,
        panels: Panels::Bars(panels),
    }))
}

/// Heat maps of payoff_matrix.csv: the hegemon's payoff and the allies' welfare per pair of
/// policies.
fn payoff(f: &Folder, name: &str, note: &str) -> Result<Option<Chart>> {
    let Some(t) = &f.payoff else { return Ok(None) };
    let rows = distinct(t, "hegemon");
    let cols = distinct(t, "allies");
    let mut panels = Vec::new();
    for (col, title) in [
        ("hegemon_payoff_mean", "hegemon payoff (mean)"),
        ("ally_welfare_mean", "ally welfare (mean)"),
    ] {
        if t.col(col).is_none() {
            continue;
        }
        let mut values = vec![vec![None; cols.len()]; rows.len()];
        for r in 0..t.rows.len() {
            let i = rows.iter().position(|x| x == t.text_by(r, "hegemon"));
            let j = cols.iter().position(|x| x == t.text_by(r, "allies"));
            if let (Some(i), Some(j)) = (i, j) {
                values[i][j] = t.num_by(r, col)?;
            }
        }
        panels.push(HeatPanel {
            title: title.into(),
            row_title: "hegemon policy".into(),
            col_title: "allies' policy".into(),
            rows: rows.clone(),
            cols: cols.clone(),
            values,
        });
    }
    if panels.is_empty() {
        return Ok(None);
    }
    Ok(Some(Chart {
        name: name.into(),
        title: format!("Tournament payoffs{note}"),
        caption: "Mean payoff of each pair of hegemon and allies' policies (darker = higher); \
                  intervals in the table below."
            .into(),
        legend: Vec::new(),
        cols: 2,
        panel: (
            (170 + 90 * cols.len() as u32).clamp(360, 900),
            (110 + 40 * rows.len() as u32).clamp(240, 900),
        ),
        source: None,
        panels: Panels::Heat(panels),
    }))
}

/// Ranking of ranking.csv: per role, the variants by rank, mean with interval.
fn ranking(f: &Folder, name: &str, note: &str) -> Result<Option<Chart>> {
    let Some(t) = &f.ranking else { return Ok(None) };
    let mut panels = Vec::new();
    for role in distinct(t, "role") {
        let mut items: Vec<(f64, String, Bar)> = Vec::new();
        for r in (0..t.rows.len()).filter(|&r| t.text_by(r, "role") == role) {
            let Some(mean) = t.num_by(r, "mean")? else {
                continue;
            };
            let rank = t.num_by(r, "rank")?.unwrap_or(f64::INFINITY);
            let interval = match (t.num_by(r, "lo")?, t.num_by(r, "hi")?) {
                (Some(a), Some(b)) => Some((a, b)),
                _ => None,
            };
            let mut label = t.text_by(r, "variant").to_string();
            if let Some(p) = t.num_by(r, "p_first")? {
                label.push_str(&format!(" (P first {})", fmt_num(p)));
            }
            items.push((
                rank,
                label,
                Bar {
                    color: 0,
                    value: mean,
                    interval,
                },
            ));
        }
        if items.is_empty() {
            continue;
        }
        items.sort_by(|a, b| a.0.total_cmp(&b.0));
        panels.push(BarPanel {
            title: format!("role: {role}"),
            xlabel: "mean payoff".into(),
            labels: items.iter().map(|i| i.1.clone()).collect(),
            bars: items.into_iter().map(|i| vec![i.2]).collect(),
            from_zero: false,
        });
    }
    if panels.is_empty() {
        return Ok(None);
    }
    Ok(Some(Chart {
        name: name.into(),
        title: format!("Tournament ranking{note}"),
        caption: "Variants of each role from first to last: mean payoff (dot) and its interval \
                  from ranking.csv; P first = share of resamples in which the variant ranks first."
            .into(),
        legend: Vec::new(),
        cols: 2,
        panel: (460, (90 + 34 * t.rows.len() as u32).clamp(220, 700)),
        source: None,
        panels: Panels::Bars(panels),
    }))
}

/// Shares of evolution.csv over steps, one line per policy.
fn evolution(f: &Folder, name: &str, note: &str) -> Result<Option<Chart>> {
    let Some(t) = &f.evolution else {
        return Ok(None);
    };
    let policies = distinct(t, "policy");
    let mut series = Vec::new();
    for (k, p) in policies.iter().enumerate() {
        let mut pts = Vec::new();
        for r in (0..t.rows.len()).filter(|&r| t.text_by(r, "policy") == p) {
            if let (Some(x), Some(y)) = (t.num_by(r, "step")?, t.num_by(r, "share")?) {
                pts.push((x, y));
            }
        }
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        if !pts.is_empty() {
            series.push(Series {
                color: k,
                x: pts.iter().map(|p| p.0).collect(),
                y: pts.iter().map(|p| p.1).collect(),
                ..Series::default()
            });
        }
    }
    if series.is_empty() {
        return Ok(None);
    }
    Ok(Some(Chart {
        name: name.into(),
        title: format!("Evolution of the policy mix{note}"),
        caption: "Population share of each policy at each step of the evolutionary dynamics \
                  (evolution.csv)."
            .into(),
        legend: policies
            .iter()
            .enumerate()
            .map(|(k, p)| (p.clone(), k))
            .collect(),
        cols: 1,
        panel: (620, 300),
        source: None,
        panels: Panels::Lines(vec![LinePanel {
            title: String::new(),
            xlabel: "step".into(),
            ylabel: "share of the population".into(),
            series,
            yrange: Some((0.0, 1.0)),
        }]),
    }))
}

/// Every chart the folders allow, in report order.
pub fn charts(folders: &[Folder]) -> Result<Vec<Chart>> {
    let mut out = Vec::new();
    out.extend(distributions(folders));
    out.extend(trajectories(folders));
    out.extend(actions(folders));
    let n = |has: &dyn Fn(&Folder) -> bool| folders.iter().filter(|f| has(f)).count();
    let (nc, ns, nw, np, nr, ne) = (
        n(&|f| f.compare.is_some()),
        n(&|f| f.sensitivity.is_some()),
        n(&|f| f.sweep.is_some()),
        n(&|f| f.payoff.is_some()),
        n(&|f| f.ranking.is_some()),
        n(&|f| f.evolution.is_some()),
    );
    // Per kind, the charts of each folder that has the file (numbered when several have it),
    // each marked with its folder.
    let tag = |charts: Vec<Chart>, i: usize| {
        charts.into_iter().map(move |mut c| {
            c.source = Some(i);
            c
        })
    };
    let with = |has: fn(&Folder) -> bool| {
        folders
            .iter()
            .enumerate()
            .filter(move |(_, f)| has(f))
            .enumerate()
    };
    for (k, (i, f)) in with(|f| f.compare.is_some()) {
        let (name, note) = suffix("compare", k, nc, f);
        out.extend(tag(forest(f, &name, &note)?.into_iter().collect(), i));
    }
    for (k, (i, f)) in with(|f| f.sensitivity.is_some()) {
        let (name, note) = suffix("sensitivity", k, ns, f);
        out.extend(tag(sensitivity(f, &name, &note)?, i));
    }
    for (k, (i, f)) in with(|f| f.sweep.is_some()) {
        let (name, note) = suffix("sweep", k, nw, f);
        out.extend(tag(sweep(f, &name, &note)?.into_iter().collect(), i));
    }
    for (k, (i, f)) in with(|f| f.payoff.is_some()) {
        let (name, note) = suffix("payoff", k, np, f);
        out.extend(tag(payoff(f, &name, &note)?.into_iter().collect(), i));
    }
    for (k, (i, f)) in with(|f| f.ranking.is_some()) {
        let (name, note) = suffix("ranking", k, nr, f);
        out.extend(tag(ranking(f, &name, &note)?.into_iter().collect(), i));
    }
    for (k, (i, f)) in with(|f| f.evolution.is_some()) {
        let (name, note) = suffix("evolution", k, ne, f);
        out.extend(tag(evolution(f, &name, &note)?.into_iter().collect(), i));
    }
    let nd = n(&|f| f.prim.is_some());
    for (k, (i, f)) in with(|f| f.prim.is_some()) {
        let (name, note) = suffix("prim", k, nd, f);
        out.extend(tag(discovery(f, &name, &note)?, i));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_world_regional_panel_is_named_by_its_own_definition() {
        // The run metric regional_trade_share pools the allies' exports; the world panel is
        // the plain mean of every actor's own share, and says so (0.34 against 0.289 in the
        // open order were two definitions under one name).
        let col = TrajectoryColumn::RegionalTradeShare.name();
        let title = world_title(col, "regional trade share", false);
        assert_eq!(title, "actors' own regional trade shares (mean)");
        assert_ne!(title.replace(' ', "_"), col);
        assert_eq!(
            world_title("tariff", "tariff", false),
            "tariff (mean over actors)"
        );
        // The value is that mean: two actors at 0.2 and 0.6 in one run give 0.4.
        let traj = crate::data::Traj {
            rounds: 1,
            actors: vec!["A".into(), "B".into()],
            runs: 1,
            values: TRAJ_VARS
                .iter()
                .map(|(c, ..)| (*c == col).then(|| vec![vec![vec![0.2]], vec![vec![0.6]]]))
                .collect(),
            actions: vec![[0; 5]],
        };
        let v = TRAJ_VARS.iter().position(|(c, ..)| *c == col).unwrap();
        assert!((traj.world(v).unwrap()[0][0] - 0.4).abs() < 1e-12);
    }

    #[test]
    fn ecdf_steps_and_quantiles() {
        let (x, y) = ecdf(&[3.0, 1.0, 2.0, f64::NAN]);
        assert_eq!(x, vec![1.0, 1.0, 2.0, 2.0, 3.0, 3.0]);
        assert_eq!(
            y,
            vec![0.0, 1.0 / 3.0, 1.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0, 1.0]
        );
        let big: Vec<f64> = (0..1001).map(f64::from).collect();
        let (x, y) = ecdf(&big);
        assert_eq!(x.len(), MAX_ECDF + 1);
        assert_eq!((x[0], x[MAX_ECDF]), (0.0, 1000.0));
        assert_eq!((x[200], y[200]), (500.0, 0.5));
    }

    #[test]
    fn the_kernel_smooth_is_a_local_weighted_mean() {
        let x = [0.0, 1.0, 2.0, 3.0, 4.0];
        let y = [1.0, 1.0, 1.0, 5.0, 5.0];
        // Far from the step, the smooth is the level there; at its middle, between the two.
        assert!((smooth(&x, &y, 0.3, 0.0) - 1.0).abs() < 1e-6);
        assert!((smooth(&x, &y, 0.3, 4.0) - 5.0).abs() < 1e-3);
        let mid = smooth(&x, &y, 0.5, 2.5);
        assert!(mid > 1.5 && mid < 4.5, "{mid}");
        // A constant is smoothed to itself at any bandwidth; no data gives NaN.
        assert!((smooth(&x, &[2.0; 5], 10.0, 1.7) - 2.0).abs() < 1e-12);
        assert!(smooth(&[], &[], 1.0, 0.0).is_nan());
    }

    #[test]
    fn grid_designs_are_told_from_sampled_ones() {
        let table = |rows: Vec<[&str; 2]>| Table {
            path: "sweep.csv".into(),
            header: vec!["a".into(), "b".into()],
            rows: rows
                .into_iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        };
        let params = ["a".to_string(), "b".to_string()];
        let grid = table(vec![
            ["0", "1"],
            ["0", "2"],
            ["1", "1"],
            ["1", "2"],
            ["2", "1"],
            ["2", "2"],
        ]);
        assert!(is_grid(&grid, &params));
        let lhs = table(vec![
            ["0.1", "1.3"],
            ["0.5", "1.9"],
            ["0.2", "1.1"],
            ["0.9", "1.6"],
            ["0.7", "1.2"],
            ["0.3", "1.8"],
        ]);
        assert!(!is_grid(&lhs, &params));
    }

    #[test]
    fn fan_quantiles_per_round() {
        let rounds = vec![(1..=21).map(f64::from).collect::<Vec<_>>(), vec![f64::NAN]];
        let [p5, p25, p50, p75, p95] = fan(&rounds);
        assert_eq!(
            (p5[0], p25[0], p50[0], p75[0], p95[0]),
            (2.0, 6.0, 11.0, 16.0, 20.0)
        );
        assert!(p50[1].is_nan());
    }
}
