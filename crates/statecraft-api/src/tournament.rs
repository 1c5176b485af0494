//! A tournament, as `statecraft tournament` plays it: every hegemon variant against every
//! ally-policy variant over the same seeded runs. [`Tournament::new`] resolves the variants
//! (names declared in a variants file or the scenario, `scenario`, a strategy or policy
//! written in RON, a profile file) and builds one validated world per cell;
//! [`Tournament::play`] runs the cells, then the replicator and Moran dynamics when asked.
//! The statistics of the cells are `statecraft_runner::tournament`'s.

use std::path::{Path, PathBuf};

use serde::Serialize;
use statecraft_core::World;
use statecraft_core::scenario::{
    Policy, ProfileSpec, Scenario, StrategySpec, VariantsSpec, WorldSource,
};
use statecraft_runner::tournament::{
    CellSummary, MoranPath, MoranSpec, PayoffConcept, Ranked, RunPayoff, TournamentSpec, ally_game,
    moran, moran_baseline, replicator, run_cells,
};

use crate::{Error, Loaded, MAX_RUNS, Result, check_shard};

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
    let text = crate::read_input(path, what)?;
    if is_json(path) {
        serde_json::from_str(&text)
            .map_err(|e| Error::Input(format!("{shown}: not a valid {what} (JSON): {e}")))
    } else {
        ron::from_str(&text).map_err(|e| Error::Input(format!("{shown}:{e} (reading a {what})")))
    }
}

/// The variants declared in the variants file, then in the scenario.
fn declared(file: Option<&Path>, loaded: &Loaded) -> Result<Vec<(String, VariantsSpec)>> {
    let mut all = Vec::new();
    if let Some(p) = file {
        all.push((p.display().to_string(), read_file(p, "strategies file")?));
    }
    if let Some(v) = &loaded.scenario.variants {
        all.push((loaded.origin(), v.clone()));
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
        Error::Input(format!(
            "--hegemon: unknown variant {name:?} (declared: {}; or `scenario`, or a strategy such as OpenOrder or Reciprocal(base: 0.1, step: 0.05)); read as a strategy: {e}",
            if known.is_empty() { "none".to_string() } else { known.join(", ") }
        ))
    })
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
            Error::Input(format!(
                "--allies: unknown variant {name:?} (declared: {}; or `scenario`, a profile file, or a policy such as AlwaysConcede, Grim, Threshold(toughness: 2), HedgeThenConcede(rounds: 4)); read as a policy: {e}",
                if known.is_empty() { "none".to_string() } else { known.join(", ") }
            ))
        })
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
        return Err(Error::Input(
            "the scenario's world was not loaded".to_string(),
        ));
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
                    return Err(Error::Input(format!(
                        "ally variant {ally_name:?}: policies[{k}]: unknown actor {actor:?}; the actors are: {}",
                        names.join(", ")
                    )));
                };
                if a.name == heg {
                    return Err(Error::Input(format!(
                        "ally variant {ally_name:?}: policies[{k}]: {actor:?} is the hegemon, which has no policy"
                    )));
                }
                a.policy = p.clone();
            }
        }
    }
    Ok(sc)
}

/// How to play a tournament. `None` takes the scenario's value.
#[derive(Clone, Debug)]
pub struct TournamentOptions {
    /// A strategies file declaring named variants (RON or JSON); its names come before the
    /// scenario's.
    pub variants: Option<PathBuf>,
    /// Hegemon variants, in order, each once.
    pub hegemon: Vec<String>,
    /// Ally-policy variants or profiles, in order, each once.
    pub allies: Vec<String>,
    /// Runs per cell (indices 0..runs in every cell).
    pub runs: Option<u64>,
    /// Seed of every cell.
    pub seed: Option<u64>,
    /// Rounds per run.
    pub rounds: Option<u32>,
    /// Weight of the final cohesion in the hegemon's payoff, bn USD per unit.
    pub cohesion_weight: f64,
    /// What the payoffs measure.
    pub payoff: PayoffConcept,
    /// Replicator dynamics over the ally policies: (steps, runs of each mixed population).
    pub evolve: Option<(u32, u64)>,
    /// A Moran process against each hegemon variant: (at most steps, runs per fitness
    /// measure, selection intensity per % of GDP).
    pub moran: Option<(u32, u64, f64)>,
    /// Only shard K of N of the cells (not with the dynamics).
    pub shard: Option<(u64, u64)>,
}

impl Default for TournamentOptions {
    fn default() -> Self {
        TournamentOptions {
            variants: None,
            hegemon: Vec::new(),
            allies: Vec::new(),
            runs: None,
            seed: None,
            rounds: None,
            cohesion_weight: 0.0,
            payoff: PayoffConcept::National,
            evolve: None,
            moran: None,
            shard: None,
        }
    }
}

/// A variant resolved: its name and its definition (RON; `scenario` for the scenario's own).
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// The name given.
    pub name: String,
    /// The strategy, policy or profile, as RON.
    pub spec: String,
}

/// A tournament resolved: its variants, one validated world per cell, before any run.
#[derive(Clone, Debug)]
pub struct Tournament {
    /// Hegemon variants, in order.
    pub hegemon: Vec<Variant>,
    /// Ally variants, in order.
    pub allies: Vec<Variant>,
    /// One world per cell, hegemon-major (cell `h * allies + a`).
    pub worlds: Vec<World>,
    /// The ally variants as policies, when evolutionary dynamics need them.
    policies: Option<Vec<Policy>>,
    /// Seed of every cell.
    pub seed: u64,
    /// Runs per cell.
    pub runs: u64,
    /// Rounds per run.
    pub rounds: u32,
    /// The cells this tournament plays: `first_cell..end_cell` (all but for a shard).
    pub first_cell: usize,
    /// End of them (exclusive).
    pub end_cell: usize,
    opts: TournamentOptions,
}

/// The replicator dynamics of a tournament.
#[derive(Clone, Debug, Serialize)]
pub struct Evolution {
    /// Runs of each mixed population.
    pub runs: u64,
    /// Steps.
    pub steps: u32,
    /// Shares of the ally variants after the last step.
    pub stable_mix: Vec<f64>,
    /// `A[p][q]`: welfare of an ally playing p among allies playing q (% of GDP per year),
    /// mean over the hegemon variants.
    pub matrix: Vec<Vec<f64>>,
    /// Shares after each step.
    #[serde(skip)]
    pub path: Vec<Vec<f64>>,
}

/// What a tournament computed.
#[derive(Clone, Debug)]
pub struct Played {
    /// Every run of every cell played, in cell order.
    pub cells: Vec<Vec<RunPayoff>>,
    /// The replicator dynamics, when asked.
    pub evolution: Option<Evolution>,
    /// The Moran processes, one per hegemon variant, when asked.
    pub morans: Vec<MoranPath>,
}

/// The ally variants as one policy each (a profile or `scenario` is refused).
fn evolving_policies(settings: &[AllySetting], names: &[String]) -> Result<Vec<Policy>> {
    settings
        .iter()
        .zip(names)
        .map(|(s, n)| match s {
            AllySetting::All(p) => Ok(p.clone()),
            _ => Err(Error::Input(format!(
                "--evolve/--moran: ally variant {n:?} is not one policy for every ally (a profile or `scenario`); evolutionary dynamics need policies"
            ))),
        })
        .collect()
}

impl Tournament {
    /// Resolves the variants of `opts` over `loaded` and builds one validated world per cell.
    pub fn new(loaded: &Loaded, opts: &TournamentOptions) -> Result<Tournament> {
        check_shard(opts.shard)?;
        if opts.shard.is_some() && (opts.evolve.is_some() || opts.moran.is_some()) {
            return Err(Error::Options(
                "a shard plays a share of the cells: the evolutionary dynamics need every cell (no shard with evolve or moran)".into(),
            ));
        }
        let base = &loaded.scenario;
        let decl = declared(opts.variants.as_deref(), loaded)?;
        let strategies: Vec<StrategySpec> = opts
            .hegemon
            .iter()
            .map(|n| resolve_hegemon(n, &decl, base))
            .collect::<Result<_>>()?;
        let settings: Vec<AllySetting> = opts
            .allies
            .iter()
            .map(|n| resolve_allies(n, &decl))
            .collect::<Result<_>>()?;
        let shown = loaded.origin();
        let mut worlds = Vec::with_capacity(strategies.len() * settings.len());
        for (h, s) in opts.hegemon.iter().zip(&strategies) {
            for (a, set) in opts.allies.iter().zip(&settings) {
                let sc = cell_scenario(base, s, set, a)?;
                let origin = format!("{shown} (hegemon {h}, allies {a})");
                worlds.push(World::from_scenario(&sc, &origin)?);
            }
        }
        let policies = if opts.evolve.is_some() || opts.moran.is_some() {
            Some(evolving_policies(&settings, &opts.allies)?)
        } else {
            None
        };
        let runs = opts.runs.unwrap_or(base.runs);
        let nc = worlds.len();
        if (nc as u64).checked_mul(runs).is_none_or(|t| t > MAX_RUNS) {
            return Err(Error::Input(format!(
                "{nc} cells x {runs} runs is more than {MAX_RUNS} runs in all; use fewer variants or runs"
            )));
        }
        let (first_cell, end_cell) = match opts.shard {
            Some((k, n)) => {
                let (a, b) = statecraft_results::shard_range(k, n, nc as u64);
                (a as usize, b as usize)
            }
            None => (0, nc),
        };
        let variants = |names: &[String], specs: Vec<String>| {
            names
                .iter()
                .zip(specs)
                .map(|(name, spec)| Variant {
                    name: name.clone(),
                    spec,
                })
                .collect()
        };
        Ok(Tournament {
            hegemon: variants(&opts.hegemon, strategies.iter().map(ron_text).collect()),
            allies: variants(&opts.allies, settings.iter().map(setting_text).collect()),
            worlds,
            policies,
            seed: opts.seed.unwrap_or(base.seed),
            runs,
            rounds: opts.rounds.unwrap_or(loaded.world.rounds),
            first_cell,
            end_cell,
            opts: opts.clone(),
        })
    }

    /// Runs of this tournament's cells.
    pub fn total(&self) -> u64 {
        (self.end_cell - self.first_cell) as u64 * self.runs
    }

    /// What every cell runs.
    fn spec(&self) -> TournamentSpec {
        TournamentSpec {
            seed: self.seed,
            runs: self.runs,
            rounds: self.rounds,
            cohesion_weight: self.opts.cohesion_weight,
            payoff: self.opts.payoff,
        }
    }

    /// Plays this tournament's cells on the current rayon pool (`progress` told of each
    /// chunk of runs): every run's payoffs, cell by cell.
    pub fn play_cells(&self, progress: &(dyn Fn(u64) + Sync)) -> Vec<Vec<RunPayoff>> {
        let refs: Vec<&World> = self.worlds[self.first_cell..self.end_cell].iter().collect();
        run_cells(&refs, &self.spec(), (0, self.runs), progress)
    }

    /// Plays the cells and the dynamics asked for on `threads` workers (`None`: one per
    /// core).
    pub fn play(&self, threads: Option<usize>) -> Result<Played> {
        crate::batch::pool(threads)?.install(|| {
            let cells = self.play_cells(&|_| {});
            let (evolution, morans) = self.dynamics(&cells);
            Ok(Played {
                cells,
                evolution,
                morans,
            })
        })
    }

    /// The replicator dynamics and the Moran processes asked for, on the current rayon pool,
    /// from the played `cells` (all of them: the dynamics are not sharded).
    pub fn dynamics(&self, cells: &[Vec<RunPayoff>]) -> (Option<Evolution>, Vec<MoranPath>) {
        let spec = &self.spec();
        let Some(policies) = &self.policies else {
            return (None, Vec::new());
        };
        let (nh, na) = (self.hegemon.len(), self.allies.len());
        let heg: Vec<&World> = (0..nh).map(|h| &self.worlds[h * na]).collect();
        let evolution = self.opts.evolve.map(|(steps, runs)| {
            let matrix = ally_game(&heg, policies, spec, runs);
            let path = replicator(&matrix, steps as usize, 1.0);
            Evolution {
                runs,
                steps,
                stable_mix: path.last().cloned().unwrap_or_default(),
                matrix,
                path,
            }
        });
        let morans = match self.opts.moran {
            Some((steps, runs, intensity)) => (0..nh)
                .map(|h| {
                    let m = MoranSpec {
                        seed: self.seed,
                        stream: h as u64,
                        steps: steps as usize,
                        runs,
                        rounds: self.rounds,
                        intensity,
                        baseline: moran_baseline(&cells[h * na..(h + 1) * na], heg[h].n()),
                        payoff: self.opts.payoff,
                    };
                    moran(heg[h], policies, &m)
                })
                .collect(),
            None => Vec::new(),
        };
        (evolution, morans)
    }
}

/// The columns of `tournament.csv` before the welfare ones: the cell (hegemon variant, ally
/// profile), the run, then [`payoff_cells`]; [`welfare_columns`] follow.
pub const PAYOFF_COLUMNS: [&str; 8] = [
    "hegemon",
    "allies",
    "run",
    "hegemon_payoff",
    "rent",
    "trade_loss",
    "cohesion",
    "ally_welfare",
];

/// The numbers of a run's row of `tournament.csv` after its cell and run (the last five of
/// [`PAYOFF_COLUMNS`]).
pub fn payoff_cells(r: &RunPayoff) -> [f64; 5] {
    [
        r.hegemon_payoff,
        r.rent,
        r.trade_loss,
        r.cohesion,
        r.ally_welfare,
    ]
}

/// The welfare columns of `tournament.csv`, after [`PAYOFF_COLUMNS`]: `welfare_<actor>` of
/// every actor but the hegemon (`hegemon`, an index into `actors`), each with its actor
/// index into [`RunPayoff::welfare`].
pub fn welfare_columns(actors: &[String], hegemon: usize) -> Vec<(usize, String)> {
    (0..actors.len())
        .filter(|&i| i != hegemon)
        .map(|i| (i, format!("welfare_{}", actors[i])))
        .collect()
}

/// The columns of `payoff_matrix.csv`: the cell, its runs, then [`matrix_cells`].
pub const MATRIX_COLUMNS: [&str; 12] = [
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

/// The numbers of a cell's row of `payoff_matrix.csv` (the last nine of [`MATRIX_COLUMNS`]).
pub fn matrix_cells(c: &CellSummary) -> [f64; 9] {
    [
        c.hegemon_payoff.mean,
        c.hegemon_payoff.lo,
        c.hegemon_payoff.hi,
        c.ally_welfare.mean,
        c.ally_welfare.lo,
        c.ally_welfare.hi,
        c.rent,
        c.trade_loss,
        c.cohesion,
    ]
}

/// The columns of `ranking.csv`: the role (`hegemon` or `ally`), the variant, its rank, then
/// [`ranking_cells`].
pub const RANKING_COLUMNS: [&str; 7] = ["role", "variant", "rank", "mean", "lo", "hi", "p_first"];

/// The numbers of a variant's row of `ranking.csv` (the last four of [`RANKING_COLUMNS`]).
pub fn ranking_cells(r: &Ranked) -> [f64; 4] {
    [r.score.mean, r.score.lo, r.score.hi, r.p_first]
}
