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
use statecraft_core::World;
use statecraft_core::scenario::{
    Policy, ProfileSpec, Scenario, StrategySpec, VariantsSpec, WorldSource,
};
use statecraft_runner::tournament::{
    Analysis, MoranPath, MoranSpec, PayoffConcept, RunPayoff, TournamentSpec, ally_game, analyse,
    moran, moran_baseline, replicator, run_cells,
};

use crate::args::TournamentArgs;
use crate::clock::Stopwatch;
use crate::common::json_bytes;
use crate::error::OrInput;
use crate::job::{Job, Timing};
use crate::load::{Loaded, load};
use crate::output::{OutDir, Rows};
use crate::run::CARGO_LOCK;
use statecraft_results::{Manifest, sha256_hex, shard_range};

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

/// How a cell sets the allies' policies.
#[derive(Clone, Debug)]
enum AllySetting {
    /// As the scenario has them.
    Scenario,
    /// One policy for every ally (all actors but the hegemon and the rival).
    All(Policy),
    /// A policy per listed actor.
    Profile(ProfileSpec),
}

fn ron_text<T: Serialize>(v: &T) -> String {
    ron::to_string(v).unwrap_or_else(|e| format!("/* cannot serialize: {e} */"))
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Reads a RON or JSON file as `T`; errors name the file.
fn read_file<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T> {
    let shown = path.display();
    let text = crate::load::read_input(path, what)?;
    if is_json(path) {
        serde_json::from_str(&text)
            .with_context(|| format!("{shown}: not a valid {what} (JSON)"))
            .input()
    } else {
        ron::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{shown}:{e} (reading a {what})"))
            .input()
    }
}

/// The variants declared in `--variants FILE`, then in the scenario.
fn declared(args: &TournamentArgs, sc: &Scenario) -> Result<Vec<(String, VariantsSpec)>> {
    let mut all = Vec::new();
    if let Some(p) = &args.variants {
        all.push((p.display().to_string(), read_file(p, "strategies file")?));
    }
    if let Some(v) = &sc.variants {
        all.push((args.scenario.display().to_string(), v.clone()));
    }
    Ok(all)
}

fn resolve_hegemon(
    name: &str,
    decl: &[(String, VariantsSpec)],
    sc: &Scenario,
) -> Result<StrategySpec> {
    for (_, v) in decl {
        if let Some(h) = v.hegemon.iter().find(|h| h.name == name) {
            return Ok(h.strategy.clone());
        }
    }
    if name == "scenario" {
        return Ok(sc.strategy.clone());
    }
    ron::from_str::<StrategySpec>(name).map_err(|e| {
        let known: Vec<&str> = decl
            .iter()
            .flat_map(|(_, v)| v.hegemon.iter().map(|h| h.name.as_str()))
            .collect();
        anyhow::anyhow!(
            "--hegemon: unknown variant {name:?} (declared: {}; or `scenario`, or a strategy such as OpenOrder or Reciprocal(base: 0.1, step: 0.05)); read as a strategy: {e}",
            if known.is_empty() { "none".to_string() } else { known.join(", ") }
        )
    })
    .input()
}

fn resolve_allies(name: &str, decl: &[(String, VariantsSpec)]) -> Result<AllySetting> {
    for (_, v) in decl {
        if let Some(a) = v.allies.iter().find(|a| a.name == name) {
            return Ok(AllySetting::All(a.policy.clone()));
        }
        if let Some(p) = v.profiles.iter().find(|p| p.name == name) {
            return Ok(AllySetting::Profile(p.clone()));
        }
    }
    if name == "scenario" {
        return Ok(AllySetting::Scenario);
    }
    let path = Path::new(name);
    let lower = name.to_ascii_lowercase();
    if (lower.ends_with(".ron") || lower.ends_with(".json")) && path.is_file() {
        return Ok(AllySetting::Profile(read_file(path, "profile file")?));
    }
    ron::from_str::<Policy>(name)
        .map(AllySetting::All)
        .map_err(|e| {
            let known: Vec<&str> = decl
                .iter()
                .flat_map(|(_, v)| {
                    v.allies
                        .iter()
                        .map(|a| a.name.as_str())
                        .chain(v.profiles.iter().map(|p| p.name.as_str()))
                })
                .collect();
            anyhow::anyhow!(
                "--allies: unknown variant {name:?} (declared: {}; or `scenario`, a profile file, or a policy such as AlwaysConcede, Grim, Threshold(toughness: 2), HedgeThenConcede(rounds: 4)); read as a policy: {e}",
                if known.is_empty() { "none".to_string() } else { known.join(", ") }
            )
        })
        .input()
}

fn setting_text(s: &AllySetting) -> String {
    match s {
        AllySetting::Scenario => "scenario".to_string(),
        AllySetting::All(p) => ron_text(p),
        AllySetting::Profile(p) => ron_text(p),
    }
}

/// The scenario of one cell: the hegemon's strategy and the allies' policies replaced.
fn cell_scenario(
    base: &Scenario,
    strategy: &StrategySpec,
    allies: &AllySetting,
    ally_name: &str,
) -> Result<Scenario> {
    let mut sc = base.clone();
    sc.strategy = strategy.clone();
    sc.variants = None;
    let WorldSource::Inline(w) = &mut sc.world else {
        input_bail!("the scenario's world was not loaded");
    };
    let (heg, rival) = (w.hegemon.clone(), w.rival.clone());
    let is_ally = |n: &str| n != heg && Some(n) != rival.as_deref();
    match allies {
        AllySetting::Scenario => {}
        AllySetting::All(p) => {
            for a in w.actors.iter_mut().filter(|a| is_ally(&a.name)) {
                a.policy = p.clone();
            }
        }
        AllySetting::Profile(prof) => {
            if let Some(p) = &prof.others {
                for a in w.actors.iter_mut().filter(|a| is_ally(&a.name)) {
                    a.policy = p.clone();
                }
            }
            for (k, (actor, p)) in prof.policies.iter().enumerate() {
                let names: Vec<String> = w.actors.iter().map(|a| a.name.clone()).collect();
                let Some(a) = w.actors.iter_mut().find(|a| &a.name == actor) else {
                    input_bail!(
                        "ally variant {ally_name:?}: policies[{k}]: unknown actor {actor:?}; the actors are: {}",
                        names.join(", ")
                    );
                };
                if a.name == heg {
                    input_bail!(
                        "ally variant {ally_name:?}: policies[{k}]: {actor:?} is the hegemon, which has no policy"
                    );
                }
                a.policy = p.clone();
            }
        }
    }
    Ok(sc)
}

/// The plan of `statecraft tournament`: the variants resolved, one validated world per cell,
/// the tournament's description, its shard's cells and the output folder, before any run.
struct TournamentPlan {
    loaded: Loaded,
    /// One world per cell, hegemon-major.
    worlds: Vec<World>,
    /// The ally variants as policies, when evolutionary dynamics need them.
    policies: Option<Vec<Policy>>,
    meta: Meta,
    /// This folder's cells.
    first_cell: usize,
    end_cell: usize,
    out: std::path::PathBuf,
}

impl TournamentPlan {
    fn lower(args: &TournamentArgs) -> Result<TournamentPlan> {
        let loaded = load(&args.scenario)?;
        let (base, world) = (&loaded.scenario, &loaded.world);
        let decl = declared(args, base)?;
        let (hnames, anames) = (&args.hegemon.0, &args.allies.0);
        let strategies: Vec<StrategySpec> = hnames
            .iter()
            .map(|n| resolve_hegemon(n, &decl, base))
            .collect::<Result<_>>()?;
        let settings: Vec<AllySetting> = anames
            .iter()
            .map(|n| resolve_allies(n, &decl))
            .collect::<Result<_>>()?;
        let shown = args.scenario.display().to_string();
        let mut worlds: Vec<World> = Vec::with_capacity(hnames.len() * anames.len());
        for (h, s) in hnames.iter().zip(&strategies) {
            for (a, set) in anames.iter().zip(&settings) {
                let sc = cell_scenario(base, s, set, a)?;
                let origin = format!("{shown} (hegemon {h}, allies {a})");
                worlds.push(World::from_scenario(&sc, &origin).input()?);
            }
        }
        // Evolutionary dynamics mix policies within a population: each variant must be one.
        let policies = if args.moran.is_some() || args.evolve {
            Some(evolving_policies(&settings, anames)?)
        } else {
            None
        };
        let runs = args.runs.unwrap_or(base.runs);
        let meta = Meta {
            scenario: world.name.clone(),
            scenario_sha256: sha256_hex(&base.to_ron()),
            seed: args.batch.seed.unwrap_or(base.seed),
            runs,
            rounds: args.batch.rounds.unwrap_or(world.rounds),
            cohesion_weight: args.cohesion_weight,
            payoff: args.payoff,
            resamples: args.resamples,
            hegemon: variant_infos(hnames, strategies.iter().map(ron_text)),
            allies: variant_infos(anames, settings.iter().map(setting_text)),
            actors: world.names.clone(),
            hegemon_actor: world.hegemon,
            statecraft_version: env!("CARGO_PKG_VERSION").to_string(),
        };
        let nc = worlds.len();
        let (first_cell, end_cell) = match args.shard {
            Some((k, n)) => {
                let (a, b) = shard_range(k, n, nc as u64);
                (a as usize, b as usize)
            }
            None => (0, nc),
        };
        let out = args.out.clone().unwrap_or_else(|| match args.shard {
            Some((k, n)) => format!("out/{}-tournament/shard-{k}-of-{n}", world.name).into(),
            None => format!("out/{}-tournament", world.name).into(),
        });
        if (nc as u64)
            .checked_mul(runs)
            .is_none_or(|t| t > crate::run::MAX_RUNS)
        {
            input_bail!(
                "{nc} cells x {runs} runs is more than {} runs in all; use fewer variants or runs",
                crate::run::MAX_RUNS
            );
        }
        Ok(TournamentPlan {
            loaded,
            worlds,
            policies,
            meta,
            first_cell,
            end_cell,
            out,
        })
    }

    /// Runs computed by this folder's cells.
    fn computed(&self) -> u64 {
        (self.end_cell - self.first_cell) as u64 * self.meta.runs
    }
}

/// The ally variants as one policy each (a profile or `scenario` is refused).
fn evolving_policies(settings: &[AllySetting], names: &[String]) -> Result<Vec<Policy>> {
    settings
        .iter()
        .zip(names)
        .map(|(s, n)| match s {
            AllySetting::All(p) => Ok(p.clone()),
            _ => input_bail!(
                "--evolve/--moran: ally variant {n:?} is not one policy for every ally (a profile or `scenario`); evolutionary dynamics need policies"
            ),
        })
        .collect()
}

/// Variants as the tournament's description records them.
fn variant_infos(names: &[String], specs: impl Iterator<Item = String>) -> Vec<VariantInfo> {
    names
        .iter()
        .zip(specs)
        .map(|(n, spec)| VariantInfo {
            name: n.clone(),
            spec,
        })
        .collect()
}

/// What a tournament computed: every run of its cells, and the evolutionary dynamics.
struct Played {
    cells: Vec<Vec<RunPayoff>>,
    evolution: Option<Evolution>,
    morans: Vec<MoranPath>,
    /// The cells' timing.
    timing: Timing,
    /// Wall seconds of the evolutionary dynamics.
    dynamics_seconds: f64,
}

/// Plays the plan's cells, then (unsharded, when asked) the replicator and Moran dynamics.
fn play(plan: &TournamentPlan, args: &TournamentArgs, job: &Job) -> Played {
    let meta = &plan.meta;
    let spec = TournamentSpec {
        seed: meta.seed,
        runs: meta.runs,
        rounds: meta.rounds,
        cohesion_weight: meta.cohesion_weight,
        payoff: meta.payoff,
    };
    let refs: Vec<&World> = plan.worlds[plan.first_cell..plan.end_cell].iter().collect();
    let (cells, timing) = job.batch(plan.computed(), 0, |inc| {
        run_cells(&refs, &spec, (0, meta.runs), inc)
    });
    let clock = Stopwatch::start();
    let (nh, na) = (meta.hegemon.len(), meta.allies.len());
    let heg: Vec<&World> = (0..nh).map(|h| &plan.worlds[h * na]).collect();
    let evolution = match (&plan.policies, args.evolve) {
        (Some(policies), true) => {
            let matrix = job
                .pool()
                .install(|| ally_game(&heg, policies, &spec, args.evolve_runs));
            let path = replicator(&matrix, args.evolve_steps as usize, 1.0);
            Some(Evolution {
                runs: args.evolve_runs,
                steps: args.evolve_steps,
                stable_mix: path.last().cloned().unwrap_or_default(),
                matrix,
                path,
            })
        }
        _ => None,
    };
    let morans: Vec<MoranPath> = match (&plan.policies, args.moran) {
        (Some(policies), Some(steps)) => job.pool().install(|| {
            (0..nh)
                .map(|h| {
                    let m = MoranSpec {
                        seed: meta.seed,
                        stream: h as u64,
                        steps: steps as usize,
                        runs: args.moran_runs,
                        rounds: meta.rounds,
                        intensity: args.intensity,
                        baseline: moran_baseline(&cells[h * na..(h + 1) * na], meta.actors.len()),
                        payoff: meta.payoff,
                    };
                    moran(heg[h], policies, &m)
                })
                .collect()
        }),
        _ => Vec::new(),
    };
    Played {
        cells,
        evolution,
        morans,
        timing,
        dynamics_seconds: clock.seconds(),
    }
}

/// Runs `statecraft tournament`.
pub fn tournament(args: TournamentArgs) -> Result<ExitCode> {
    let plan = TournamentPlan::lower(&args)?;
    let out = OutDir::create(&plan.out, args.batch.force)?;
    let job = Job::start(args.batch.threads, args.batch.quiet)?;
    let played = play(&plan, &args, &job);
    let meta = &plan.meta;
    let manifest = Manifest {
        statecraft_version: env!("CARGO_PKG_VERSION").to_string(),
        git_hash: env!("STATECRAFT_GIT_HASH").to_string(),
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
        wall_seconds: played.timing.seconds + played.dynamics_seconds,
        runs_per_second: played.timing.runs_per_second(),
        command: std::env::args().collect(),
        world_series: false,
        // A tournament writes its own CSV files.
        formats: vec![statecraft_results::TableFormat::Csv],
        scenario: plan.loaded.scenario.to_ron(),
    };
    out.write("manifest.json", &json_bytes(&manifest)?)?;
    let (first_cell, end_cell) = (plan.first_cell, plan.end_cell);
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
            plan.worlds.len(),
            meta.runs,
            meta.seed
        ),
    }
    let dynamics = if played.dynamics_seconds >= 0.005 {
        format!(", evolutionary dynamics {:.2} s", played.dynamics_seconds)
    } else {
        String::new()
    };
    outln!(
        "\n{} runs in {}{dynamics}; results in {}",
        plan.computed(),
        played.timing.speed(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The actors with a welfare column: all but the hegemon.
fn welfare_actors(meta: &Meta) -> Vec<usize> {
    (0..meta.actors.len())
        .filter(|&i| i != meta.hegemon_actor)
        .collect()
}

const ROW_COLUMNS: [&str; 8] = [
    "hegemon",
    "allies",
    "run",
    "hegemon_payoff",
    "rent",
    "trade_loss",
    "cohesion",
    "ally_welfare",
];

/// Writes `tournament.csv`: one row per cell and run, cells from `first_cell` on.
fn write_rows(
    out: &OutDir,
    meta: &Meta,
    first_cell: usize,
    cells: &[Vec<RunPayoff>],
) -> Result<()> {
    let who = welfare_actors(meta);
    let mut header: Vec<String> = ROW_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.extend(who.iter().map(|&i| format!("welfare_{}", meta.actors[i])));
    let mut w = Rows::new("tournament.csv", out.file("tournament.csv")?, &header)?;
    let na = meta.allies.len();
    for (k, runs) in cells.iter().enumerate() {
        let c = first_cell + k;
        for r in runs {
            w.text(&meta.hegemon[c / na].name)?;
            w.text(&meta.allies[c % na].name)?;
            w.int(r.run)?;
            for x in [
                r.hegemon_payoff,
                r.rent,
                r.trade_loss,
                r.cohesion,
                r.ally_welfare,
            ] {
                w.num(Some(x))?;
            }
            for &i in &who {
                w.num(Some(r.welfare[i]))?;
            }
            w.end()?;
        }
    }
    w.finish()
}

/// Reads the rows of cells `first_cell..end_cell` back from a shard's `tournament.csv`.
pub fn read_rows(
    path: &Path,
    meta: &Meta,
    first_cell: usize,
    end_cell: usize,
) -> Result<Vec<Vec<RunPayoff>>> {
    let shown = path.display();
    let who = welfare_actors(meta);
    let mut rdr = csv::Reader::from_path(path).with_context(|| format!("cannot read {shown}"))?;
    let want: Vec<String> = ROW_COLUMNS
        .iter()
        .map(|s| s.to_string())
        .chain(who.iter().map(|&i| format!("welfare_{}", meta.actors[i])))
        .collect();
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
                welfare[i] = num(ROW_COLUMNS.len() + j)?;
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

/// The replicator dynamics of `--evolve`.
#[derive(Serialize)]
pub struct Evolution {
    /// Runs of each mixed population.
    pub runs: u64,
    /// Steps.
    pub steps: u32,
    /// Shares of the ally variants after the last step.
    pub stable_mix: Vec<f64>,
    /// `A[p][q]`: welfare of an ally playing p among allies playing q (% of GDP per year), mean
    /// over the hegemon variants.
    pub matrix: Vec<Vec<f64>>,
    /// Shares after each step (not in the JSON: evolution.csv has them).
    #[serde(skip)]
    pub path: Vec<Vec<f64>>,
}

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

    let header = [
        "hegemon",
        "allies",
        "runs",
        "hegemon_payoff_mean",
        "hegemon_payoff_lo",
        "hegemon_payoff_hi",
        "ally_welfare_mean",
        "ally_welfare_lo",
        "ally_welfare_hi",
        "rent_mean",
        "trade_loss_mean",
        "cohesion_mean",
    ];
    let mut w = Rows::new("payoff_matrix.csv", out.file("payoff_matrix.csv")?, &header)?;
    for c in &analysis.cells {
        w.text(&meta.hegemon[c.hegemon].name)?;
        w.text(&meta.allies[c.allies].name)?;
        w.int(c.runs)?;
        for x in [
            c.hegemon_payoff.mean,
            c.hegemon_payoff.lo,
            c.hegemon_payoff.hi,
            c.ally_welfare.mean,
            c.ally_welfare.lo,
            c.ally_welfare.hi,
            c.rent,
            c.trade_loss,
            c.cohesion,
        ] {
            w.num(Some(x))?;
        }
        w.end()?;
    }
    w.finish()?;

    let header = ["role", "variant", "rank", "mean", "lo", "hi", "p_first"];
    let mut w = Rows::new("ranking.csv", out.file("ranking.csv")?, &header)?;
    for (role, ranking, names) in [
        ("hegemon", &analysis.hegemon_ranking, &meta.hegemon),
        ("ally", &analysis.ally_ranking, &meta.allies),
    ] {
        for r in ranking {
            w.text(role)?;
            w.text(&names[r.variant].name)?;
            w.int(r.rank as u64)?;
            for x in [r.score.mean, r.score.lo, r.score.hi, r.p_first] {
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
    let mut json = serde_json::to_vec_pretty(&file)?;
    json.push(b'\n');
    out.write("tournament.json", &json)?;
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
    let mut json = serde_json::to_vec_pretty(&manifest)?;
    json.push(b'\n');
    out.write("manifest.json", &json)?;
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
