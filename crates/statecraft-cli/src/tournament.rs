//! `statecraft tournament`: every hegemon variant against every ally-policy profile over the
//! same seeded runs; rankings, the payoff matrix and evolutionary dynamics, written atomically.
//!
//! The cells and their statistics are computed by `statecraft_runner::tournament`; this module
//! resolves variant names, builds one validated world per cell, and writes the files. A shard
//! (`--shard K/N`) computes a contiguous share of the cells and writes `tournament.csv` with a
//! `tournament_shard.json`; `statecraft merge` rebuilds the unsharded folder from the shards'
//! rows (numbers in shortest round-trip form), byte for byte.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use statecraft_api::{
    MATRIX_COLUMNS, PAYOFF_COLUMNS, Played, RANKING_COLUMNS, Tournament, TournamentOptions,
    matrix_cells, payoff_cells, ranking_cells,
};
use statecraft_runner::tournament::{Analysis, MoranPath, PayoffConcept, RunPayoff, analyse};

use crate::args::TournamentArgs;
use crate::clock::Stopwatch;
use crate::common::json_bytes;
use crate::error::OrInput;
use crate::job::{Job, Timing};
use crate::load::{Loaded, load};
use crate::output::{OutDir, Rows};
use crate::run::CARGO_LOCK;
use statecraft_results::{Manifest, sha256_hex};

/// The concept of manifests written before `payoff` existed.
fn government() -> PayoffConcept {
    PayoffConcept::Government
}

/// A variant as the files describe it: its name and its definition (RON).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct VariantInfo {
    /// The name given on the command line or declared.
    pub name: String,
    /// The strategy, policy or profile, as RON (`scenario`: the scenario's own).
    pub spec: String,
}

/// What identifies a tournament: in `tournament.json` and in every shard's
/// `tournament_shard.json`. Shards merge only when all of it agrees.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Meta {
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of the scenario with its world (RON), as `run` records it.
    pub scenario_sha256: String,
    /// Seed of every cell.
    pub seed: u64,
    /// Runs per cell.
    pub runs: u64,
    /// Rounds per run.
    pub rounds: u32,
    /// Weight of cohesion in the hegemon's payoff, bn USD per unit.
    pub cohesion_weight: f64,
    /// What the payoffs measure (absent in manifests written before it existed: the
    /// governments' books, the only concept then).
    #[serde(default = "government")]
    pub payoff: PayoffConcept,
    /// Bootstrap resamples.
    pub resamples: u32,
    /// Hegemon variants, in the order given.
    pub hegemon: Vec<VariantInfo>,
    /// Ally variants, in the order given.
    pub allies: Vec<VariantInfo>,
    /// Actor names.
    pub actors: Vec<String>,
    /// The hegemon's actor index.
    pub hegemon_actor: usize,
    /// statecraft version.
    pub statecraft_version: String,
}

/// `tournament_shard.json`: the tournament and the cells this shard computed.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TournamentShard {
    /// The tournament.
    pub tournament: Meta,
    /// This shard, 0-based.
    pub shard: u64,
    /// Number of shards.
    pub shards: u64,
    /// First cell (hegemon-major index), inclusive.
    pub first_cell: usize,
    /// Last cell, exclusive.
    pub end_cell: usize,
}

/// The plan of `statecraft tournament`: the library's [`Tournament`] (variants resolved, one
/// validated world per cell, this folder's cells), the tournament's description for the files,
/// and the output folder, before any run.
struct TournamentPlan {
    loaded: Loaded,
    t: Tournament,
    meta: Meta,
    out: std::path::PathBuf,
}

impl TournamentPlan {
    fn lower(args: &TournamentArgs) -> Result<TournamentPlan> {
        let loaded = load(&args.scenario)?;
        let opts = TournamentOptions {
            variants: args.variants.clone(),
            hegemon: args.hegemon.0.clone(),
            allies: args.allies.0.clone(),
            runs: args.runs,
            seed: args.batch.seed,
            rounds: args.batch.rounds,
            cohesion_weight: args.cohesion_weight,
            payoff: args.payoff,
            evolve: args.evolve.then_some((args.evolve_steps, args.evolve_runs)),
            moran: args.moran.map(|m| (m, args.moran_runs, args.intensity)),
            shard: args.shard,
        };
        let t = Tournament::new(&loaded, &opts).input()?;
        let world = &loaded.world;
        let info = |v: &[statecraft_api::Variant]| {
            v.iter()
                .map(|v| VariantInfo {
                    name: v.name.clone(),
                    spec: v.spec.clone(),
                })
                .collect()
        };
        let meta = Meta {
            scenario: world.name.clone(),
            scenario_sha256: sha256_hex(&loaded.scenario.to_ron()),
            seed: t.seed,
            runs: t.runs,
            rounds: t.rounds,
            cohesion_weight: args.cohesion_weight,
            payoff: args.payoff,
            resamples: args.resamples,
            hegemon: info(&t.hegemon),
            allies: info(&t.allies),
            actors: world.names.clone(),
            hegemon_actor: world.hegemon,
            statecraft_version: env!("CARGO_PKG_VERSION").to_string(),
        };
        let out = args.out.clone().unwrap_or_else(|| match args.shard {
            Some((k, n)) => format!("out/{}-tournament/shard-{k}-of-{n}", world.name).into(),
            None => format!("out/{}-tournament", world.name).into(),
        });
        Ok(TournamentPlan {
            loaded,
            t,
            meta,
            out,
        })
    }
}

/// What a tournament computed, with the timings.
struct Timed {
    played: Played,
    /// The cells' timing.
    timing: Timing,
    /// Wall seconds of the evolutionary dynamics.
    dynamics_seconds: f64,
}

/// Plays the plan's cells on the job, then (unsharded, when asked) the dynamics.
fn play(plan: &TournamentPlan, job: &Job) -> Timed {
    let t = &plan.t;
    let (cells, timing) = job.batch(t.total(), 0, |inc| t.play_cells(inc));
    let clock = Stopwatch::start();
    let (evolution, morans) = job.pool().install(|| t.dynamics(&cells));
    Timed {
        played: Played {
            cells,
            evolution,
            morans,
        },
        timing,
        dynamics_seconds: clock.seconds(),
    }
}

/// Runs `statecraft tournament`.
pub fn tournament(args: TournamentArgs) -> Result<ExitCode> {
    let plan = TournamentPlan::lower(&args)?;
    let out = OutDir::create(&plan.out, args.batch.force)?;
    let job = Job::start(args.batch.threads, args.batch.quiet)?;
    let Timed {
        played,
        timing,
        dynamics_seconds,
    } = play(&plan, &job);
    let meta = &plan.meta;
    let manifest = Manifest {
        statecraft_version: env!("CARGO_PKG_VERSION").to_string(),
        git_hash: statecraft_api::GIT_HASH.to_string(),
        cargo_lock_sha256: sha256_hex(CARGO_LOCK),
        scenario_name: meta.scenario.clone(),
        scenario_sha256: meta.scenario_sha256.clone(),
        seed: meta.seed,
        runs: meta.runs,
        rounds: meta.rounds,
        trajectories: 0,
        shard: args.shard,
        first: 0,
        end: meta.runs,
        threads: job.threads(),
        wall_seconds: timing.seconds + dynamics_seconds,
        runs_per_second: timing.runs_per_second(),
        command: std::env::args().collect(),
        world_series: false,
        draws: statecraft_results::Draws::Runs,
        summary_only: false,
        // A tournament writes its own CSV files.
        formats: vec![statecraft_results::TableFormat::Csv],
        scenario: plan.loaded.scenario.to_ron(),
    };
    out.write("manifest.json", &json_bytes(&manifest)?)?;
    let (first_cell, end_cell) = (plan.t.first_cell, plan.t.end_cell);
    let analysis = match args.shard {
        Some((shard, shards)) => {
            write_rows(&out, meta, first_cell, &played.cells)?;
            let file = TournamentShard {
                tournament: meta.clone(),
                shard,
                shards,
                first_cell,
                end_cell,
            };
            out.write("tournament_shard.json", &json_bytes(&file)?)?;
            None
        }
        None => Some(finish(
            &out,
            meta,
            &played.cells,
            played.evolution.as_ref(),
            &played.morans,
        )?),
    };
    let dir = out.commit()?;
    if job.quiet() {
        return Ok(ExitCode::SUCCESS);
    }
    match &analysis {
        Some(a) => print_tables(meta, a, played.evolution.as_ref(), &played.morans),
        None => outln!(
            "{}: tournament shard, cells {first_cell}..{end_cell} of {}, {} runs each, seed {}",
            meta.scenario,
            plan.t.worlds.len(),
            meta.runs,
            meta.seed
        ),
    }
    let dynamics = if dynamics_seconds >= 0.005 {
        format!(", evolutionary dynamics {:.2} s", dynamics_seconds)
    } else {
        String::new()
    };
    outln!(
        "\n{} runs in {}{dynamics}; results in {}",
        plan.t.total(),
        timing.speed(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The welfare columns of `tournament.csv`, with their actors.
fn welfare_columns(meta: &Meta) -> Vec<(usize, String)> {
    statecraft_api::welfare_columns(&meta.actors, meta.hegemon_actor)
}

/// The columns of `tournament.csv`.
fn row_columns(meta: &Meta) -> Vec<String> {
    PAYOFF_COLUMNS
        .iter()
        .map(|s| s.to_string())
        .chain(welfare_columns(meta).into_iter().map(|(_, c)| c))
        .collect()
}

/// Writes `tournament.csv`: one row per cell and run, cells from `first_cell` on.
fn write_rows(
    out: &OutDir,
    meta: &Meta,
    first_cell: usize,
    cells: &[Vec<RunPayoff>],
) -> Result<()> {
    let who: Vec<usize> = welfare_columns(meta).into_iter().map(|(i, _)| i).collect();
    let mut w = Rows::new(
        "tournament.csv",
        out.file("tournament.csv")?,
        &row_columns(meta),
    )?;
    let na = meta.allies.len();
    for (k, runs) in cells.iter().enumerate() {
        let c = first_cell + k;
        for r in runs {
            w.text(&meta.hegemon[c / na].name)?;
            w.text(&meta.allies[c % na].name)?;
            w.int(r.run)?;
            for x in payoff_cells(r) {
                w.num(Some(x))?;
            }
            for &i in &who {
                w.num(Some(r.welfare[i]))?;
            }
            w.end()?;
        }
    }
    Ok(w.finish()?)
}

/// Reads the rows of cells `first_cell..end_cell` back from a shard's `tournament.csv`.
pub fn read_rows(
    path: &Path,
    meta: &Meta,
    first_cell: usize,
    end_cell: usize,
) -> Result<Vec<Vec<RunPayoff>>> {
    let shown = path.display();
    let who: Vec<usize> = welfare_columns(meta).into_iter().map(|(i, _)| i).collect();
    let mut rdr = csv::Reader::from_path(path).with_context(|| format!("cannot read {shown}"))?;
    let want = row_columns(meta);
    let got: Vec<String> = rdr.headers()?.iter().map(str::to_string).collect();
    if got != want {
        bail!("{shown}: its columns are not those of this tournament");
    }
    let na = meta.allies.len();
    let mut cells: Vec<Vec<RunPayoff>> = vec![Vec::new(); end_cell - first_cell];
    let mut records = rdr.records();
    for (k, cell) in cells.iter_mut().enumerate() {
        let c = first_cell + k;
        for run in 0..meta.runs {
            let rec = records
                .next()
                .with_context(|| format!("{shown}: rows of cell {c} run {run} are missing"))?
                .with_context(|| format!("cannot read {shown}"))?;
            if rec[0] != meta.hegemon[c / na].name
                || rec[1] != meta.allies[c % na].name
                || rec[2] != run.to_string()
            {
                bail!(
                    "{shown}: line {} should hold cell ({}, {}) run {run}",
                    rec.position().map_or(0, |p| p.line()),
                    meta.hegemon[c / na].name,
                    meta.allies[c % na].name
                );
            }
            let num = |j: usize| -> Result<f64> {
                rec[j]
                    .parse::<f64>()
                    .with_context(|| format!("{shown}: {:?} is not a number", &rec[j]))
            };
            let mut welfare = vec![0.0; meta.actors.len()];
            for (j, &i) in who.iter().enumerate() {
                welfare[i] = num(PAYOFF_COLUMNS.len() + j)?;
            }
            cell.push(RunPayoff {
                run,
                hegemon_payoff: num(3)?,
                rent: num(4)?,
                trade_loss: num(5)?,
                cohesion: num(6)?,
                ally_welfare: num(7)?,
                welfare,
            });
        }
    }
    if records.next().is_some() {
        bail!("{shown}: more rows than its cells and runs");
    }
    Ok(cells)
}

/// `tournament.json`.
#[derive(Serialize)]
struct TournamentFile<'a> {
    tournament: &'a Meta,
    analysis: &'a Analysis,
    replicator: Option<&'a Evolution>,
    moran: Vec<MoranOut<'a>>,
}

pub use statecraft_api::Evolution;

#[derive(Serialize)]
struct MoranOut<'a> {
    hegemon: &'a str,
    allies: Vec<&'a str>,
    steps: usize,
    fixated: Option<&'a str>,
    final_population: Vec<&'a str>,
}

/// Writes every file of a complete tournament from its runs: `tournament.csv`,
/// `payoff_matrix.csv`, `ranking.csv`, `evolution.csv` (replicator), `moran.csv` and
/// `tournament.json`. Shared by the unsharded run and `merge`.
pub fn finish(
    out: &OutDir,
    meta: &Meta,
    cells: &[Vec<RunPayoff>],
    evolution: Option<&Evolution>,
    morans: &[MoranPath],
) -> Result<Analysis> {
    write_rows(out, meta, 0, cells)?;
    let na = meta.allies.len();
    let analysis = analyse(cells, na, meta.resamples as usize, meta.seed);

    let mut w = Rows::new(
        "payoff_matrix.csv",
        out.file("payoff_matrix.csv")?,
        &MATRIX_COLUMNS,
    )?;
    for c in &analysis.cells {
        w.text(&meta.hegemon[c.hegemon].name)?;
        w.text(&meta.allies[c.allies].name)?;
        w.int(c.runs)?;
        for x in matrix_cells(c) {
            w.num(Some(x))?;
        }
        w.end()?;
    }
    w.finish()?;

    let mut w = Rows::new("ranking.csv", out.file("ranking.csv")?, &RANKING_COLUMNS)?;
    for (role, ranking, names) in [
        ("hegemon", &analysis.hegemon_ranking, &meta.hegemon),
        ("ally", &analysis.ally_ranking, &meta.allies),
    ] {
        for r in ranking {
            w.text(role)?;
            w.text(&names[r.variant].name)?;
            w.int(r.rank as u64)?;
            for x in ranking_cells(r) {
                w.num(Some(x))?;
            }
            w.end()?;
        }
    }
    w.finish()?;

    write_dynamics(out, meta, evolution, morans)?;
    let file = TournamentFile {
        tournament: meta,
        analysis: &analysis,
        replicator: evolution,
        moran: morans
            .iter()
            .enumerate()
            .map(|(h, m)| MoranOut {
                hegemon: &meta.hegemon[h].name,
                allies: m.allies.iter().map(|&i| meta.actors[i].as_str()).collect(),
                steps: m.population.len() - 1,
                fixated: m.fixated.map(|p| meta.allies[p].name.as_str()),
                final_population: m
                    .population
                    .last()
                    .map(|pop| pop.iter().map(|&p| meta.allies[p].name.as_str()).collect())
                    .unwrap_or_default(),
            })
            .collect(),
    };
    out.write("tournament.json", &json_bytes(&file)?)?;
    Ok(analysis)
}

/// Writes `evolution.csv` (the replicator's path) and `moran.csv` (each Moran process's
/// population shares by step), when computed.
fn write_dynamics(
    out: &OutDir,
    meta: &Meta,
    evolution: Option<&Evolution>,
    morans: &[MoranPath],
) -> Result<()> {
    let na = meta.allies.len();
    if let Some(e) = evolution {
        let header = ["step", "policy", "share"];
        let mut w = Rows::new("evolution.csv", out.file("evolution.csv")?, &header)?;
        for (s, x) in e.path.iter().enumerate() {
            for (p, share) in x.iter().enumerate() {
                w.int(s as u64)?;
                w.text(&meta.allies[p].name)?;
                w.num(Some(*share))?;
                w.end()?;
            }
        }
        w.finish()?;
    }

    if !morans.is_empty() {
        let header = ["hegemon", "step", "policy", "share"];
        let mut w = Rows::new("moran.csv", out.file("moran.csv")?, &header)?;
        for (h, m) in morans.iter().enumerate() {
            for (s, pop) in m.population.iter().enumerate() {
                for p in 0..na {
                    let count = pop.iter().filter(|&&x| x == p).count();
                    w.text(&meta.hegemon[h].name)?;
                    w.int(s as u64)?;
                    w.text(&meta.allies[p].name)?;
                    w.num(Some(count as f64 / pop.len().max(1) as f64))?;
                    w.end()?;
                }
            }
        }
        w.finish()?;
    }
    Ok(())
}

/// A number in a table: at most 4 significant decimals, or scientific when tiny or huge.
fn short(x: f64) -> String {
    let a = x.abs();
    if a != 0.0 && !(1e-3..1e7).contains(&a) {
        format!("{x:.3e}")
    } else if a >= 100.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.4}")
    }
}

/// The terminal report: both rankings, the payoff matrix, the best ally policy against each
/// hegemon variant, and the evolutionary outcomes.
pub fn print_tables(
    meta: &Meta,
    a: &Analysis,
    evolution: Option<&Evolution>,
    morans: &[MoranPath],
) {
    let (nh, na) = (meta.hegemon.len(), meta.allies.len());
    outln!(
        "{}: tournament of {nh} hegemon x {na} ally variants, {} runs per cell, seed {}",
        meta.scenario,
        meta.runs,
        meta.seed
    );
    let width = meta
        .hegemon
        .iter()
        .chain(&meta.allies)
        .map(|v| v.name.len())
        .max()
        .unwrap_or(7)
        .max(16);
    print_rankings(meta, a, width);
    outln!("\npayoff matrix: hegemon payoff (bn USD) / ally welfare (% of GDP per year)");
    let col = meta
        .allies
        .iter()
        .map(|v| v.name.len())
        .max()
        .unwrap_or(0)
        .max(21);
    out!("{:<width$}", "hegemon \\ allies");
    for v in &meta.allies {
        out!("  {:>col$}", v.name);
    }
    outln!();
    for h in 0..nh {
        out!("{:<width$}", meta.hegemon[h].name);
        for k in 0..na {
            let c = &a.cells[h * na + k];
            let cell = format!(
                "{} / {}",
                short(c.hegemon_payoff.mean),
                short(c.ally_welfare.mean)
            );
            out!("  {cell:>col$}");
        }
        outln!();
    }
    outln!("\nbest ally variant against each hegemon variant (highest mean welfare):");
    for h in 0..nh {
        let row = &a.cells[h * na..(h + 1) * na];
        let best = (0..na).fold(0, |b, k| {
            if row[k].ally_welfare.mean > row[b].ally_welfare.mean {
                k
            } else {
                b
            }
        });
        outln!(
            "  {:<width$}  {} ({})",
            meta.hegemon[h].name,
            meta.allies[best].name,
            short(row[best].ally_welfare.mean)
        );
    }
    print_dynamics(meta, evolution, morans);
}

/// Both rankings, with their intervals and the probability of ranking first.
fn print_rankings(meta: &Meta, a: &Analysis, width: usize) {
    for (title, ranking, names) in [
        (
            match meta.payoff {
                PayoffConcept::National => format!(
                    "hegemon payoff, bn USD (national welfare over the run + {} x cohesion), mean over ally variants",
                    meta.cohesion_weight
                ),
                PayoffConcept::Government => format!(
                    "hegemon payoff, bn USD (rent - trade loss + {} x cohesion), mean over ally variants",
                    meta.cohesion_weight
                ),
            },
            &a.hegemon_ranking,
            &meta.hegemon,
        ),
        (
            format!(
                "ally welfare, % of GDP per year ({}, GDP-weighted over allies), mean over hegemon variants",
                match meta.payoff {
                    PayoffConcept::National => {
                        "national welfare less expected security cost and added defence"
                    }
                    PayoffConcept::Government => "realised and expected security cost, negated",
                }
            ),
            &a.ally_ranking,
            &meta.allies,
        ),
    ] {
        outln!("\n{title}");
        outln!(
            "{:>4}  {:<width$}  {:>10}  {:>10}  {:>10}  {:>7}",
            "rank",
            "variant",
            "mean",
            "lo 95%",
            "hi 95%",
            "p_first"
        );
        for r in ranking {
            outln!(
                "{:>4}  {:<width$}  {:>10}  {:>10}  {:>10}  {:>7.3}",
                r.rank,
                names[r.variant].name,
                short(r.score.mean),
                short(r.score.lo),
                short(r.score.hi),
                r.p_first
            );
        }
    }
}

/// The evolutionary outcomes: the replicator's stable mix, each Moran process's end.
fn print_dynamics(meta: &Meta, evolution: Option<&Evolution>, morans: &[MoranPath]) {
    let na = meta.allies.len();
    if let Some(e) = evolution {
        let (steps, last) = (e.steps, &e.stable_mix);
        let mix: Vec<String> = (0..na)
            .filter(|&p| last[p] >= 0.0005)
            .map(|p| format!("{} {:.3}", meta.allies[p].name, last[p]))
            .collect();
        outln!(
            "\nreplicator dynamics over ally variants (payoffs in mixed populations, {} runs each), {steps} steps: stable mix {}",
            e.runs,
            mix.join(", ")
        );
    }
    for (h, m) in morans.iter().enumerate() {
        let steps = m.population.len() - 1;
        match m.fixated {
            Some(p) => outln!(
                "moran against {}: {} fixated after {steps} steps",
                meta.hegemon[h].name,
                meta.allies[p].name
            ),
            None => {
                let pop = m.population.last().cloned().unwrap_or_default();
                let mix: Vec<String> = (0..na)
                    .map(|p| {
                        let k = pop.iter().filter(|&&x| x == p).count();
                        format!("{} {k}", meta.allies[p].name)
                    })
                    .collect();
                outln!(
                    "moran against {}: no fixation in {steps} steps ({})",
                    meta.hegemon[h].name,
                    mix.join(", ")
                );
            }
        }
    }
}

/// Reads a shard's `tournament_shard.json`.
fn read_shard(dir: &Path) -> Result<TournamentShard> {
    let p = dir.join("tournament_shard.json");
    let text = std::fs::read_to_string(&p).with_context(|| {
        format!(
            "{} is not a tournament shard folder: cannot read {}",
            dir.display(),
            p.display()
        )
    })?;
    serde_json::from_str(&text)
        .with_context(|| format!("{}: not a tournament_shard.json of statecraft", p.display()))
}

/// `statecraft merge` of tournament shards: checks that they come from one tournament and
/// cover every cell once, and writes the folder the unsharded tournament writes.
pub fn merge(args: &crate::args::MergeArgs) -> Result<ExitCode> {
    let mut shards: Vec<(std::path::PathBuf, TournamentShard)> = args
        .shards
        .iter()
        .map(|d| Ok((d.clone(), read_shard(d).input()?)))
        .collect::<Result<_>>()?;
    let (d0, s0) = shards[0].clone();
    let (m0, nc) = (
        &s0.tournament,
        s0.tournament.hegemon.len() * s0.tournament.allies.len(),
    );
    for (d, s) in &shards[1..] {
        let m = &s.tournament;
        for (field, same) in [
            ("scenario", m.scenario_sha256 == m0.scenario_sha256),
            ("seed", m.seed == m0.seed),
            ("runs", m.runs == m0.runs),
            ("rounds", m.rounds == m0.rounds),
            ("hegemon variants", m.hegemon == m0.hegemon),
            ("ally variants", m.allies == m0.allies),
            (
                "cohesion weight",
                m.cohesion_weight.to_bits() == m0.cohesion_weight.to_bits(),
            ),
            ("payoff concept", m.payoff == m0.payoff),
            ("resamples", m.resamples == m0.resamples),
            (
                "statecraft version",
                m.statecraft_version == m0.statecraft_version,
            ),
            (
                "actors",
                m.actors == m0.actors && m.hegemon_actor == m0.hegemon_actor,
            ),
        ] {
            if !same {
                input_bail!(
                    "{} and {} come from different tournaments: their {field} differs; merge only the shards of one tournament",
                    d0.display(),
                    d.display()
                );
            }
        }
    }
    statecraft_results::check_tiling(
        &mut shards,
        |s| (s.first_cell as u64, s.end_cell as u64),
        nc as u64,
        "cells",
    )
    .input()?;
    let mut cells = Vec::with_capacity(nc);
    for (d, s) in &shards {
        cells.extend(read_rows(&d.join("tournament.csv"), m0, s.first_cell, s.end_cell).input()?);
    }
    let out = OutDir::create(&args.out, args.force)?;
    let dirs: Vec<std::path::PathBuf> = shards.iter().map(|(d, _)| d.clone()).collect();
    let manifest = crate::merge::combined_manifest(&dirs, m0.runs, nc as u64 * m0.runs)?;
    out.write("manifest.json", &json_bytes(&manifest)?)?;
    let analysis = finish(&out, m0, &cells, None, &[])?;
    let dir = out.commit()?;
    if !args.quiet {
        print_tables(m0, &analysis, None, &[]);
        {
            outln!("\nmerged {} shards into {}", shards.len(), dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
