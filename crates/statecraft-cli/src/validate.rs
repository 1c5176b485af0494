//! `statecraft validate`: checks each file and prints every error.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::args::ValidateArgs;

/// Writes the result columns of `world`'s runs: name, unit and definition from the model's
/// metric types.
fn metrics_table(text: &mut String, world: &statecraft_core::World) -> Result<()> {
    use statecraft_core::metric::{
        ACTOR_METRICS, BLOC_METRICS, RUN_METRICS, TRAJECTORY_METRICS, WORLD_METRICS,
    };
    let blocs: Vec<&str> = world.blocs.iter().map(|b| b.name.as_str()).collect();
    let mut rows: Vec<(String, &str, &str, String)> = Vec::new();
    for m in RUN_METRICS {
        rows.push(("runs.csv".into(), m.unit, m.definition, m.name.to_string()));
    }
    for m in BLOC_METRICS {
        for b in &blocs {
            let name = format!("{}_{b}", m.name);
            rows.push(("runs.csv".into(), m.unit, m.definition, name));
        }
    }
    for (file, table) in [
        ("actors.csv", ACTOR_METRICS),
        ("trajectories.csv", TRAJECTORY_METRICS),
        ("world.csv", WORLD_METRICS),
    ] {
        for m in table {
            rows.push((file.into(), m.unit, m.definition, m.name.to_string()));
        }
    }
    let w = rows.iter().map(|r| r.3.len()).max().unwrap_or(0);
    let u = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    let mut file = String::new();
    for (f, unit, definition, name) in &rows {
        if *f != file {
            writeln!(text, "  {f}")?;
            file.clone_from(f);
        }
        writeln!(text, "    {name:w$}  {unit:u$}  {definition}")?;
    }
    Ok(())
}

/// Checks the patterns file a scenario names, if any: it must exist, parse and name only what
/// the world has (as `statecraft patterns` would read it).
fn check_patterns(path: &std::path::Path, l: &crate::load::Loaded) -> Result<()> {
    let Some(file) = crate::load::patterns_file(path, &l.scenario) else {
        return Ok(());
    };
    let shown = file.display().to_string();
    let text = crate::load::read_input(&file, "patterns file")
        .with_context(|| format!("{}: cannot read the patterns file it names", path.display()))?;
    let pf: statecraft_runner::patterns::PatternFile =
        statecraft_core::scenario::parse_ron(&text, &shown)?;
    statecraft_runner::patterns::Scorer::new(&pf, &l.world, l.world.rounds)
        .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
    Ok(())
}

/// Runs `validate`. Exits 2 when any file is invalid.
pub fn validate(args: ValidateArgs) -> Result<ExitCode> {
    let mut bad = 0;
    for f in &args.files {
        // Each file's report is written at once; a reader that stops early (`| head`) ends
        // the listing quietly rather than with a panic.
        let mut text = String::new();
        let loaded = crate::load::load(f).and_then(|l| {
            check_patterns(f, &l)?;
            Ok(l)
        });
        match loaded {
            Ok(l) => {
                writeln!(
                    text,
                    "ok: {} ({} actors, {} uncertain parameters, {} rounds)",
                    f.display(),
                    l.world.n(),
                    l.world.uncertain().count(),
                    l.world.rounds
                )?;
                if args.params {
                    let w = l
                        .world
                        .params
                        .iter()
                        .map(|e| e.path.len())
                        .max()
                        .unwrap_or(0);
                    // The mean is the distribution's own: a TruncNormal's first two numbers are
                    // its underlying normal's, whose mean may lie outside the bounds.
                    // A sampled parameter is shown by its column of the joint sample, its
                    // mean the column's.
                    let sample = l.world.sample.as_ref();
                    let mut rows = Vec::with_capacity(l.world.params.len());
                    let mut truncated = false;
                    for (id, e) in l.world.params.iter().enumerate() {
                        let column = sample.and_then(|s| Some((s.column(id as u32)?, s.rows())));
                        let value = match column {
                            Some((c, n)) => format!("param_sample column {c} ({n} rows)"),
                            None => e.param.to_string(),
                        };
                        // A truncated normal's first two numbers are the underlying normal's:
                        // marked, and said below the list.
                        let value = if value.contains("TruncNormal(") {
                            truncated = true;
                            format!("{value} *")
                        } else {
                            value
                        };
                        let mean = if e.param.is_uncertain() {
                            format!("mean {}", crate::common::short(e.param.mean()))
                        } else {
                            String::new()
                        };
                        rows.push((&e.path, value, mean, e.lo, e.hi));
                    }
                    // Wide enough for the distributions; a long Choice([..]) runs over.
                    let vw = rows.iter().map(|r| r.1.len()).max().unwrap_or(0).min(44);
                    for (path, value, mean, lo, hi) in rows {
                        writeln!(
                            text,
                            "  {path:w$}  {value:vw$}  {mean:15}  allowed [{lo}, {hi}]"
                        )?;
                    }
                    if truncated {
                        writeln!(
                            text,
                            "  * TruncNormal(m, sd, lo, hi): m and sd are the normal's before it is \
                             truncated to [lo, hi], so m may lie outside them; `mean` is the \
                             truncated distribution's (LogTruncNormal: the same for ln x)."
                        )?;
                    }
                }
                if args.metrics {
                    metrics_table(&mut text, &l.world)?;
                }
            }
            Err(e) => {
                crate::common::status(&format!("error: {e:#}"));
                bad += 1;
            }
        }
        crate::common::write_stdout(crate::common::shown_lines(&text).as_bytes())?;
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
