//! `statecraft patterns`: every run scored against observed patterns; with `--abc`, the runs
//! closest to the record over the binding patterns as the posterior of the uncertain
//! parameters. The scoring, the ABC and the posterior scenario are the library's
//! ([`statecraft_api::Patterns`]); this writes their tables and prints them.

use std::process::ExitCode;

use anyhow::{Result, bail};
use statecraft_api::{
    Abc, AbcOptions, EmitOptions, PatternRate, Patterns, PatternsOptions, Scored,
};

use crate::args::{EmitAs, PatternsArgs};
use crate::common::{Provenance, json_bytes, short};
use crate::error::OrInput;
use crate::load::{Loaded, load};
use crate::output::{OutDir, Rows};

/// `patterns.json`: the acceptance rates.
#[derive(serde::Serialize)]
struct Summary<'a> {
    #[serde(flatten)]
    provenance: Provenance,
    scenario_name: &'a str,
    scenario_sha256: String,
    patterns_file: String,
    seed: u64,
    runs: u64,
    rounds: u32,
    patterns: Vec<PatternRate>,
    /// Share of runs satisfying every pattern.
    all: f64,
}

/// The library's scoring of the arguments: the patterns file (`--patterns`, else the
/// scenario's) read and checked against the world.
fn lower(args: &PatternsArgs, loaded: &Loaded) -> Result<Patterns> {
    let named = crate::load::patterns_file(&args.scenario, &loaded.scenario);
    let file = match (&args.patterns, named) {
        (Some(p), _) => p.clone(),
        (None, Some(f)) => f,
        (None, None) => input_bail!(
            "{}: the scenario names no patterns file; give one with --patterns FILE",
            args.scenario.display()
        ),
    };
    let opts = PatternsOptions {
        file: Some(file),
        runs: args.runs,
        seed: args.batch.seed,
        rounds: args.batch.rounds,
        keep_draws: args.abc,
    };
    Patterns::new(loaded, &opts)
        .map_err(|e| match e {
            statecraft_api::Error::Patterns {
                file,
                message,
                rounds: Some(r),
            } => anyhow::anyhow!("{file}: {message} (with --rounds {r})"),
            e => e.into(),
        })
        .input()
}

/// Runs the batch, writing `patterns.csv`, and returns its score.
fn score_batch(loaded: &Loaded, p: &Patterns, out: &OutDir, args: &PatternsArgs) -> Result<Scored> {
    let mut header = vec!["run".to_string()];
    for p in p.patterns() {
        header.push(p.id.clone());
        header.push(format!("{}_ok", p.id));
    }
    header.push("all_ok".into());
    let mut csv = Rows::new("patterns.csv", out.file("patterns.csv")?, &header)?;
    let pool = crate::common::pool(args.batch.threads)?;
    let bar = crate::common::progress_bar(p.runs, args.batch.quiet);
    let inc = |k: u64| bar.inc(k);
    let scored = pool.install(|| {
        p.score_with(loaded, &inc, |run, scores, all| -> Result<()> {
            csv.int(run)?;
            for &(v, ok) in scores {
                csv.num(v)?;
                csv.int(u64::from(ok))?;
            }
            csv.int(u64::from(all))?;
            Ok(csv.end()?)
        })
    })?;
    bar.finish_and_clear();
    csv.finish()?;
    Ok(scored)
}

/// Runs `statecraft patterns`.
pub fn patterns(args: PatternsArgs) -> Result<ExitCode> {
    let loaded = load(&args.scenario)?;
    let world = &loaded.world;
    let p = lower(&args, &loaded)?;
    if let Some(t) = &args.emit_scenario
        && t.exists()
        && !args.batch.force
    {
        input_bail!(
            "{} already exists; choose another file or replace it with --force",
            t.display()
        );
    }
    let out_path = args
        .out
        .clone()
        .unwrap_or_else(|| format!("out/{}-patterns", world.name).into());
    let out = OutDir::create(&out_path, args.batch.force)?;
    let scored = score_batch(&loaded, &p, &out, &args)?;
    let summary = Summary {
        provenance: crate::common::provenance(),
        scenario_name: &world.name,
        scenario_sha256: statecraft_results::sha256_hex(&loaded.scenario.to_ron()),
        patterns_file: p.text.clone(),
        seed: p.seed,
        runs: p.runs,
        rounds: p.rounds,
        patterns: p.rates(&scored),
        all: scored.all_hits as f64 / p.runs as f64,
    };
    out.write("patterns.json", &json_bytes(&summary)?)?;
    let abc_opts = AbcOptions {
        tolerance: args.tolerance,
        adjust: args.adjust,
    };
    let abc = if args.abc {
        let abc = p.abc(&loaded, &scored, &abc_opts);
        abc_tables(&out, &scored, &abc)?;
        Some(abc)
    } else {
        None
    };
    let dir = out.commit()?;
    if let (Some(target), Some(abc)) = (&args.emit_scenario, &abc) {
        emit(target, &loaded, &p, abc, &abc_opts, &args)?;
    }
    if !args.batch.quiet {
        print(&world.name, &summary, &p.shown, abc.as_ref(), &args, &dir);
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the ABC's tables: `posterior.csv`, `abc_accepted.csv`, `abc_schedule.csv`,
/// `abc.csv` and `abc_pairs.csv`.
fn abc_tables(out: &OutDir, c: &Scored, abc: &Abc) -> Result<()> {
    let run_of = |i: usize| c.draws[i].0;
    let mut h = vec!["run".to_string()];
    h.extend(abc.params.iter().cloned());
    let mut w = Rows::new("posterior.csv", out.file("posterior.csv")?, &h)?;
    for (i, row) in &abc.posterior.sample {
        w.int(run_of(*i))?;
        for x in row {
            w.num(Some(*x))?;
        }
        w.end()?;
    }
    w.finish()?;
    let mut h = vec!["run".to_string(), "distance".into(), "weight".into()];
    h.extend(abc.params.iter().cloned());
    let mut w = Rows::new("abc_accepted.csv", out.file("abc_accepted.csv")?, &h)?;
    for &(i, d, wt) in &abc.posterior.accepted {
        w.int(run_of(i))?;
        w.num(Some(d))?;
        w.num(Some(wt))?;
        for x in &c.draws[i].1 {
            w.num(Some(*x))?;
        }
        w.end()?;
    }
    w.finish()?;
    let head = ["share", "epsilon", "accepted", "param", "mean", "p5", "p95"];
    let mut w = Rows::new("abc_schedule.csv", out.file("abc_schedule.csv")?, &head)?;
    for s in &abc.posterior.steps {
        for (path, v) in abc.params.iter().zip(&s.summary) {
            w.num(Some(s.share))?;
            w.num(Some(s.epsilon))?;
            w.int(s.accepted as u64)?;
            w.text(path)?;
            for x in v {
                w.num(x.is_finite().then_some(*x))?;
            }
            w.end()?;
        }
    }
    w.finish()?;
    prior_posterior(out, abc)?;
    let mut w = Rows::new(
        "abc_pairs.csv",
        out.file("abc_pairs.csv")?,
        &["param_a", "param_b", "correlation"],
    )?;
    for (a, b, r) in &abc.pairs {
        w.text(a)?;
        w.text(b)?;
        w.num(Some(*r))?;
        w.end()?;
    }
    Ok(w.finish()?)
}

/// Writes `abc.csv`: each parameter's prior and posterior, the shift of its mean (in prior
/// 90% widths) with its Monte Carlo standard error, the ratio of the 90% widths, whether the
/// patterns inform it, the effective sample size and its fitted marginal.
fn prior_posterior(out: &OutDir, abc: &Abc) -> Result<()> {
    let head = [
        "param",
        "prior_mean",
        "prior_p5",
        "prior_p95",
        "posterior_mean",
        "posterior_p5",
        "posterior_p95",
        "shift",
        "shift_se",
        "width_ratio",
        "informed",
        "n_eff",
        "fitted",
    ];
    let mut w = Rows::new("abc.csv", out.file("abc.csv")?, &head)?;
    for t in &abc.shifts {
        w.text(&t.path)?;
        let moved = [t.shift, t.shift_se, t.width_ratio];
        for x in t.prior.iter().chain(&t.posterior).chain(&moved) {
            w.num(x.is_finite().then_some(*x))?;
        }
        w.int(u64::from(t.informed))?;
        w.num(Some((abc.n_eff * 10.0).round() / 10.0))?;
        w.text(&t.fitted.as_ref().map_or(String::new(), ToString::to_string))?;
        w.end()?;
    }
    Ok(w.finish()?)
}

/// Writes the posterior scenario.
fn emit(
    target: &std::path::Path,
    loaded: &Loaded,
    p: &Patterns,
    abc: &Abc,
    abc_opts: &AbcOptions,
    args: &PatternsArgs,
) -> Result<()> {
    if abc.posterior.sample.is_empty() {
        bail!(
            "no run was accepted: there is no posterior to write to {}",
            target.display()
        );
    }
    let emit = EmitOptions {
        form: match args.emit_as {
            EmitAs::Normal => statecraft_api::EmitAs::Normal,
            EmitAs::Choice => statecraft_api::EmitAs::Choice,
            EmitAs::Sample => statecraft_api::EmitAs::Sample,
        },
        max: args.emit_max,
        min_shift: args.emit_min_shift,
    };
    let sc = p.posterior_scenario(loaded, abc, abc_opts, &emit)?;
    let text = format!(
        "// Written by `statecraft patterns --abc --emit-scenario` (statecraft {}).\n{}\n",
        env!("CARGO_PKG_VERSION"),
        sc.to_ron()
    );
    Ok(crate::output::write_file_atomically(
        target,
        text.as_bytes(),
    )?)
}

/// Prints the patterns table and, with --abc, the schedule, the parameters and the pairs.
fn print(
    name: &str,
    summary: &Summary,
    shown: &str,
    abc: Option<&Abc>,
    args: &PatternsArgs,
    dir: &std::path::Path,
) {
    outln!(
        "{name}: {} runs, seed {}, patterns of {shown}",
        summary.runs,
        summary.seed
    );
    let w = summary
        .patterns
        .iter()
        .map(|p| p.id.len())
        .max()
        .unwrap_or(2)
        .max(7);
    outln!(
        "{:<w$}  {:>8}  {:>8}  {:>19}  {:>15}  {:>8}  {:>6}  {:>3}  {:<9}  pattern",
        "pattern",
        "observed",
        "mean",
        "90% of runs",
        "test",
        "holds in",
        "target",
        "met",
        "in ABC"
    );
    for p in &summary.patterns {
        let o = |x: Option<f64>| x.map_or("-".to_string(), short);
        outln!(
            "{:<w$}  {:>8}  {:>8}  [{:>8}, {:>8}]  {:>15}  {:>7.1}%  {:>5.0}%  {:>3}  {:<9}  {}",
            p.id,
            o(p.observed),
            o(p.mean),
            o(p.p5),
            o(p.p95),
            p.test,
            100.0 * p.rate,
            100.0 * p.target,
            if p.met { "yes" } else { "NO" },
            p.binding,
            p.name
        );
    }
    outln!("{:<w$}  {:>73.1}%", "all", 100.0 * summary.all);
    if let Some(abc) = abc {
        print_abc(abc, args);
    }
    outln!("\nresults in {}", dir.display());
    if let Some(t) = &args.emit_scenario {
        outln!("posterior scenario written to {}", t.display());
    }
}

/// The ABC's part of the printout.
fn print_abc(abc: &Abc, args: &PatternsArgs) {
    let used = abc.posterior.used.iter().filter(|&&u| u).count();
    outln!(
        "\nABC: distance over {used} binding patterns, tolerance schedule to {} of {} runs{}:",
        args.tolerance,
        abc.runs,
        if args.adjust {
            ", regression adjustment (Beaumont, Zhang & Balding 2002)"
        } else {
            ", rejection"
        }
    );
    for s in &abc.posterior.steps {
        outln!(
            "  share {:<6} epsilon {:>9}  accepted {:>7}",
            s.share,
            short(s.epsilon),
            s.accepted
        );
    }
    let far: Vec<String> = abc
        .ids
        .iter()
        .zip(&abc.posterior.accepted_gap)
        .zip(&abc.posterior.used)
        .filter(|(_, u)| **u)
        .map(|((id, g), _)| format!("{id} {g:+.2}"))
        .collect();
    outln!(
        "Accepted runs' mean gap to the record, in spreads (far from 0: the record lies outside the runs the model makes): {}",
        far.join(", ")
    );
    let mut table = abc.shifts.clone();
    table.sort_by(|a, b| b.shift.abs().total_cmp(&a.shift.abs()));
    outln!(
        "The parameters the patterns move most (shift = change of the mean / prior 90% width; width = posterior 90% width / prior's):"
    );
    let w = table.iter().map(|t| t.path.len()).max().unwrap_or(5).max(9);
    outln!(
        "{:<w$}  {:>10}  {:>21}  {:>10}  {:>21}  {:>6}  {:>5}",
        "parameter",
        "prior mean",
        "prior 90%",
        "post mean",
        "posterior 90%",
        "shift",
        "width"
    );
    for t in table.iter().take(15) {
        let (v, post) = (t.prior, t.posterior);
        outln!(
            "{:<w$}  {:>10}  [{:>9}, {:>9}]  {:>10}  [{:>9}, {:>9}]  {:>+6.2}  {:>5.2}",
            t.path,
            short(v[0]),
            short(v[1]),
            short(v[2]),
            short(post[0]),
            short(post[1]),
            short(post[2]),
            t.shift,
            t.width_ratio
        );
    }
    if table.len() > 15 {
        outln!("... {} more in abc.csv", table.len() - 15);
    }
    let strong: Vec<_> = abc.pairs.iter().filter(|p| p.2.abs() >= 0.3).collect();
    if !strong.is_empty() {
        outln!("Pairs the patterns trade off (posterior correlation, |r| >= 0.3):");
        for (a, b, r) in strong.iter().take(10) {
            outln!("  {r:>+5.2}  {a} ~ {b}");
        }
    }
}
