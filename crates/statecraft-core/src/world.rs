//! `World`: a scenario validated once, with names resolved to dense ids.
//!
//! Everything the rules need is here, checked: ranges of every number and of every
//! distribution's support, names of actors and blocs, the trade matrix. Every `Param` of the
//! scenario sits in one table (`params`) under its path (`model.elasticity_lr`,
//! `actors.JPN.resolve`, `strategy.deal_rates.EU27`, ...); the rules refer to it by [`ParamId`]
//! and read the values drawn for the run. After `from_scenario` succeeds nothing can fail.

use crate::error::ScenarioError;
use crate::param::Param;
use crate::rng::{SimRng, slot_of};
use crate::scenario::{
    ActorParams, ModelParams, PaidAccessSpec, Policy, Scenario, Stage, StrategySpec, WorldSource,
    WorldSpec,
};
use crate::strategy::{PaidAccess, Strategy};

/// Dense index of an actor, `0..n`, in the order of the scenario's `actors`.
pub type ActorId = usize;

/// Index of a parameter in [`World::params`].
pub type ParamId = u32;

/// One entry of the parameter table.
#[derive(Clone, Debug)]
pub struct ParamEntry {
    /// Path of the field, as error messages and `runs.csv` columns print it.
    pub path: String,
    /// Fixed value or distribution.
    pub param: Param,
    /// Smallest value the field allows.
    pub lo: f64,
    /// Largest value the field allows.
    pub hi: f64,
    /// The parameter's stream in the parameter key.
    slot: u64,
    /// Φ((lo − mean)/sd) and Φ((hi − mean)/sd) of a `TruncNormal`, computed once.
    trunc_cdf: (f64, f64),
}

/// A bloc, resolved.
#[derive(Clone, Debug)]
pub struct Bloc {
    /// Name.
    pub name: String,
    /// Whether membership gives the regional trade premium.
    pub regional: bool,
    /// Consensus veto threshold on affinity.
    pub veto_threshold: f64,
    /// Hazards applied→working group, →signed, →in force.
    pub hazards: [ParamId; 3],
}

/// The authority shock of phase 0, resolved.
#[derive(Clone, Copy, Debug)]
pub struct CourtShock {
    /// First round in which the ruling can come.
    pub from_round: u32,
    /// Per-round hazard.
    pub hazard: ParamId,
    /// Cap on tariffs after the ruling.
    pub cap: ParamId,
}

/// A validated scenario.
#[derive(Clone, Debug)]
pub struct World {
    /// Scenario name.
    pub name: String,
    /// Default seed.
    pub seed: u64,
    /// Default runs.
    pub runs: u64,
    /// Rounds per run.
    pub rounds: u32,
    /// Rounds per year.
    pub rounds_per_year: u32,
    /// Actor names, indexed by `ActorId`.
    pub names: Vec<String>,
    /// The hegemon.
    pub hegemon: ActorId,
    /// The rival, if any.
    pub rival: Option<ActorId>,
    /// Name of the rest of the world.
    pub rest_of_world: String,
    /// Every parameter of the scenario.
    pub params: Vec<ParamEntry>,
    /// Model constants.
    pub model: ModelParams<ParamId>,
    /// Actor fields, indexed by `ActorId`.
    pub actors: Vec<ActorParams<ParamId>>,
    /// λ_i of each actor (the model's λ unless overridden).
    pub rationality: Vec<ParamId>,
    /// Treaty allies of the hegemon.
    pub treaty_ally: Vec<bool>,
    /// Poles of the trading system.
    pub pole: Vec<bool>,
    /// How each actor decides.
    pub policy: Vec<Policy>,
    /// X_ij(0): row i, column j; column `n` is the rest of the world. bn USD per year.
    pub trade0: Vec<f64>,
    /// The blocs.
    pub blocs: Vec<Bloc>,
    /// Stage of actor i in bloc b at round 0 (`i * blocs + b`), `None` if not involved.
    pub initial_stage: Vec<Option<Stage>>,
    /// Whether actor i may apply to bloc b (`i * blocs + b`).
    pub eligible: Vec<bool>,
    /// Affinity of i toward j (`i * n + j`).
    pub affinity: Vec<f64>,
    /// The hegemon's strategy.
    pub strategy: Strategy,
    /// The authority shock, if the scenario has one.
    pub court_shock: Option<CourtShock>,
    /// Share of trade crossing regional-bloc lines at round 0 (for `fragmentation`).
    pub initial_crossing_share: f64,
    /// Herfindahl index of each actor's export destinations at round 0.
    pub initial_hhi: Vec<f64>,
}

/// Builds the parameter table while checking ranges. A value out of its range is recorded and
/// validation goes on, so that one pass reports every such error; a placeholder takes its place.
struct Table<'a> {
    origin: &'a str,
    params: Vec<ParamEntry>,
    errors: Vec<ScenarioError>,
}

impl Table<'_> {
    fn add(&mut self, path: String, param: &Param, lo: f64, hi: f64) -> ParamId {
        let checked = match param.support() {
            Err(m) => Err(m),
            Ok((a, b)) if a < lo || b > hi => Err(if a.is_infinite() || b.is_infinite() {
                format!(
                    "{param} is unbounded, outside the allowed range [{lo}, {hi}]; use TruncNormal(mean, sd, lo, hi)"
                )
            } else if param.is_uncertain() {
                // Rounded to 9 decimals: the bounds of mean ± 8.3·sd print as users wrote them.
                let r = |x: f64| (x * 1e9).round() / 1e9;
                format!(
                    "{param} ranges over [{}, {}], outside the allowed range [{lo}, {hi}]",
                    r(a),
                    r(b)
                )
            } else {
                format!("value {a} is outside the allowed range [{lo}, {hi}]")
            }),
            Ok(_) => Ok(()),
        };
        let param = match checked {
            Ok(()) => param.clone(),
            Err(message) => {
                self.errors
                    .push(ScenarioError::invalid(self.origin, &path, message));
                Param::Fixed(lo)
            }
        };
        let slot = slot_of(&path);
        let trunc_cdf = param.trunc_cdf();
        self.params.push(ParamEntry {
            path,
            param,
            lo,
            hi,
            slot,
            trunc_cdf,
        });
        (self.params.len() - 1) as ParamId
    }

    /// Records an error unless `lo <= v <= hi`.
    fn check(&mut self, path: &str, v: f64, lo: f64, hi: f64) {
        if !(v.is_finite() && v >= lo && v <= hi) {
            self.errors.push(ScenarioError::invalid(
                self.origin,
                path,
                format!("value {v} is outside the allowed range [{lo}, {hi}]"),
            ));
        }
    }
}

impl World {
    /// Validates a scenario whose world is inline (the CLI resolves `File` worlds first with
    /// [`Scenario::with_world`]). `origin` names the file in errors.
    pub fn from_scenario(sc: &Scenario, origin: &str) -> Result<World, ScenarioError> {
        let spec = match &sc.world {
            WorldSource::Inline(w) => w.as_ref(),
            WorldSource::File(f) => {
                return Err(ScenarioError::invalid(
                    origin,
                    "world",
                    format!("the world file {f:?} was not loaded (resolve it before validation)"),
                ));
            }
        };
        if sc.rounds == 0 || sc.rounds > 100_000 {
            return Err(ScenarioError::invalid(
                origin,
                "rounds",
                format!(
                    "value {} is outside the allowed range [1, 100000]",
                    sc.rounds
                ),
            ));
        }
        if sc.runs == 0 {
            return Err(ScenarioError::invalid(
                origin,
                "runs",
                "value 0 is outside the allowed range [1, 18446744073709551615]",
            ));
        }
        if sc.rounds_per_year == 0 || sc.rounds_per_year > 365 {
            return Err(ScenarioError::invalid(
                origin,
                "rounds_per_year",
                format!(
                    "value {} is outside the allowed range [1, 365]",
                    sc.rounds_per_year
                ),
            ));
        }
        let mut table = Table {
            origin,
            params: Vec::new(),
            errors: Vec::new(),
        };

        // Actor names.
        let n = spec.actors.len();
        if n < 2 {
            return Err(ScenarioError::invalid(
                origin,
                "actors",
                format!("{n} actor(s): a world needs the hegemon and at least one other actor"),
            ));
        }
        let names: Vec<String> = spec.actors.iter().map(|a| a.name.clone()).collect();
        for (i, name) in names.iter().enumerate() {
            if name.is_empty() || name == &spec.rest_of_world {
                return Err(ScenarioError::invalid(
                    origin,
                    format!("actors[{i}].name"),
                    format!("{name:?} is empty or the rest of the world's name"),
                ));
            }
            if names[..i].contains(name) {
                return Err(ScenarioError::invalid(
                    origin,
                    format!("actors[{i}].name"),
                    format!("{name:?} appears twice"),
                ));
            }
        }
        let known = names.join(", ");
        let find = |path: &str, name: &str| -> Result<ActorId, ScenarioError> {
            names.iter().position(|x| x == name).ok_or_else(|| {
                ScenarioError::invalid(
                    origin,
                    path,
                    format!("unknown actor {name:?}; the actors are: {known}"),
                )
            })
        };
        let hegemon = find("hegemon", &spec.hegemon)?;
        let rival = match &spec.rival {
            Some(r) => {
                let id = find("rival", r)?;
                if id == hegemon {
                    return Err(ScenarioError::invalid(
                        origin,
                        "rival",
                        "the rival cannot be the hegemon",
                    ));
                }
                Some(id)
            }
            None => None,
        };
        if let Some(c) = rival
            && spec.actors[c].treaty_ally
        {
            return Err(ScenarioError::invalid(
                origin,
                format!("actors.{}.treaty_ally", names[c]),
                "the rival cannot be a treaty ally of the hegemon",
            ));
        }

        // Model constants, with overrides.
        let mut model_spec = spec.model.clone();
        for (k, (field, value)) in sc.model_overrides.iter().enumerate() {
            match model_spec.get_mut(field) {
                Some(slot) => *slot = value.clone(),
                None => {
                    let all: Vec<&str> = ModelParams::<Param>::FIELDS.iter().map(|f| f.0).collect();
                    return Err(ScenarioError::invalid(
                        origin,
                        format!("model_overrides[{k}]"),
                        format!(
                            "unknown model constant {field:?}; the constants are: {}",
                            all.join(", ")
                        ),
                    ));
                }
            }
        }
        let model =
            model_spec.map_named(|field, lo, hi, p| table.add(format!("model.{field}"), p, lo, hi));
        // Actors.
        let mut actors = Vec::with_capacity(n);
        let mut rationality = Vec::with_capacity(n);
        for a in &spec.actors {
            let ids = a.params.map_named(|field, lo, hi, p| {
                table.add(format!("actors.{}.{field}", a.name), p, lo, hi)
            });
            actors.push(ids);
            rationality.push(match &a.rationality {
                Some(p) => table.add(format!("actors.{}.rationality", a.name), p, 0.0, 1.0e6),
                None => model.rationality,
            });
            if let Policy::Threshold { toughness } = a.policy {
                table.check(
                    &format!("actors.{}.policy.toughness", a.name),
                    toughness,
                    0.0,
                    1.0e6,
                );
            }
        }

        // Trade.
        let cols = n + 1;
        let mut trade0 = vec![0.0; n * cols];
        let mut seen = vec![false; n * cols];
        for (k, t) in spec.trade.iter().enumerate() {
            let path = format!("trade[{k}]");
            let i = find(&format!("{path}.from"), &t.from)?;
            let j = if t.to == spec.rest_of_world {
                n
            } else {
                find(&format!("{path}.to"), &t.to)?
            };
            if i == j {
                return Err(ScenarioError::invalid(
                    origin,
                    path,
                    format!("{} cannot export to itself", t.from),
                ));
            }
            table.check(
                &format!("{path}.value ({} -> {})", t.from, t.to),
                t.value,
                0.0,
                1.0e9,
            );
            if seen[i * cols + j] {
                return Err(ScenarioError::invalid(
                    origin,
                    path,
                    format!("the pair {} -> {} is listed twice", t.from, t.to),
                ));
            }
            seen[i * cols + j] = true;
            trade0[i * cols + j] = t.value;
        }

        // Blocs.
        let nb = spec.blocs.len();
        if nb > 64 {
            return Err(ScenarioError::invalid(
                origin,
                "blocs",
                format!("{nb} blocs: at most 64 are supported"),
            ));
        }
        let mut blocs = Vec::with_capacity(nb);
        for (b, spec_b) in spec.blocs.iter().enumerate() {
            if spec.blocs[..b].iter().any(|x| x.name == spec_b.name) {
                return Err(ScenarioError::invalid(
                    origin,
                    format!("blocs[{b}].name"),
                    format!("{:?} appears twice", spec_b.name),
                ));
            }
            let p = format!("blocs.{}", spec_b.name);
            table.check(
                &format!("{p}.veto_threshold"),
                spec_b.veto_threshold,
                0.0,
                1.0,
            );
            let h = &spec_b.hazards;
            blocs.push(crate::world::Bloc {
                name: spec_b.name.clone(),
                regional: spec_b.regional,
                veto_threshold: spec_b.veto_threshold,
                hazards: [
                    table.add(
                        format!("{p}.hazards.working_group"),
                        &h.working_group,
                        0.0,
                        1.0,
                    ),
                    table.add(format!("{p}.hazards.signed"), &h.signed, 0.0, 1.0),
                    table.add(format!("{p}.hazards.in_force"), &h.in_force, 0.0, 1.0),
                ],
            });
        }
        let bloc_names = spec
            .blocs
            .iter()
            .map(|b| b.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let find_bloc = |path: &str, name: &str| -> Result<usize, ScenarioError> {
            spec.blocs
                .iter()
                .position(|b| b.name == name)
                .ok_or_else(|| {
                    ScenarioError::invalid(
                        origin,
                        path,
                        format!("unknown bloc {name:?}; the blocs are: {bloc_names}"),
                    )
                })
        };
        let mut initial_stage = vec![None; n * nb];
        let mut eligible = vec![false; n * nb];
        for (i, a) in spec.actors.iter().enumerate() {
            for (k, name) in a.blocs.iter().enumerate() {
                let b = find_bloc(&format!("actors.{}.blocs[{k}]", a.name), name)?;
                initial_stage[i * nb + b] = Some(Stage::InForce);
            }
            for (k, name) in a.eligible.iter().enumerate() {
                let b = find_bloc(&format!("actors.{}.eligible[{k}]", a.name), name)?;
                eligible[i * nb + b] = true;
            }
            for (k, app) in a.applications.iter().enumerate() {
                let path = format!("actors.{}.applications[{k}]", a.name);
                let b = find_bloc(&path, &app.bloc)?;
                if initial_stage[i * nb + b].is_some() {
                    return Err(ScenarioError::invalid(
                        origin,
                        path,
                        format!("{} is already a member of {}", a.name, app.bloc),
                    ));
                }
                if app.stage == Stage::InForce {
                    return Err(ScenarioError::invalid(
                        origin,
                        format!("{path}.stage"),
                        format!(
                            "InForce is a membership, not an application: list {:?} under blocs",
                            app.bloc
                        ),
                    ));
                }
                initial_stage[i * nb + b] = Some(app.stage);
            }
        }

        // Affinity.
        table.check("default_affinity", spec.default_affinity, 0.0, 1.0);
        let mut affinity = vec![spec.default_affinity; n * n];
        for (k, a) in spec.affinity.iter().enumerate() {
            let path = format!("affinity[{k}]");
            let i = find(&format!("{path}.from"), &a.from)?;
            let j = find(&format!("{path}.to"), &a.to)?;
            table.check(&format!("{path}.value"), a.value, 0.0, 1.0);
            affinity[i * n + j] = a.value;
        }

        // Strategy.
        let strategy = {
            let paid = |spec: &PaidAccessSpec,
                        table: &mut Table|
             -> Result<PaidAccess, ScenarioError> {
                let floor = table.add("strategy.floor".into(), &spec.floor, 0.0, 10.0);
                let max_rate = table.add("strategy.max_rate".into(), &spec.max_rate, 0.0, 10.0);
                let default_deal = table.add(
                    "strategy.default_deal_rate".into(),
                    &spec.default_deal_rate,
                    0.0,
                    10.0,
                );
                let mut deal_rate = vec![default_deal; n];
                for (k, (name, p)) in spec.deal_rates.iter().enumerate() {
                    let i = find(&format!("strategy.deal_rates[{k}]"), name)?;
                    deal_rate[i] = table.add(format!("strategy.deal_rates.{name}"), p, 0.0, 10.0);
                }
                let zero = table.add(
                    "strategy.host_fees.default".into(),
                    &Param::Fixed(0.0),
                    0.0,
                    0.0,
                );
                let mut host_fee = vec![zero; n];
                for (k, (name, p)) in spec.host_fees.iter().enumerate() {
                    let i = find(&format!("strategy.host_fees[{k}]"), name)?;
                    host_fee[i] = table.add(format!("strategy.host_fees.{name}"), p, 0.0, 1.0e6);
                }
                Ok(PaidAccess {
                    floor,
                    max_rate,
                    deal_rate,
                    fee_share: table.add("strategy.fee_share".into(), &spec.fee_share, 0.0, 10.0),
                    defense_target: table.add(
                        "strategy.defense_target".into(),
                        &spec.defense_target,
                        0.0,
                        1.0,
                    ),
                    host_fee,
                    linkage: table.add("strategy.linkage".into(), &spec.linkage, 0.0, 1.0),
                })
            };
            match &sc.strategy {
                StrategySpec::OpenOrder => Strategy::OpenOrder,
                StrategySpec::TargetedPunitive { rate, targets } => {
                    let rate = table.add("strategy.rate".into(), rate, 0.0, 10.0);
                    let mut is_target = vec![false; n];
                    for (k, t) in targets.iter().enumerate() {
                        is_target[find(&format!("strategy.targets[{k}]"), t)?] = true;
                    }
                    Strategy::TargetedPunitive {
                        rate,
                        targets: is_target,
                    }
                }
                StrategySpec::PaidAccess(p) => Strategy::PaidAccess(paid(p, &mut table)?),
                StrategySpec::AdaptiveExtortion {
                    base,
                    up,
                    down,
                    bounds,
                } => {
                    let base = paid(base, &mut table)?;
                    let up = table.add("strategy.up".into(), up, 0.0, 10.0);
                    let down = table.add("strategy.down".into(), down, 0.0, 1.0);
                    let (lo, hi) = *bounds;
                    if !(lo.is_finite()
                        && hi.is_finite()
                        && lo > 0.0
                        && lo <= 1.0
                        && (1.0..=100.0).contains(&hi))
                    {
                        return Err(ScenarioError::invalid(
                            origin,
                            "strategy.bounds",
                            format!("({lo}, {hi}) must satisfy 0 < lo <= 1 <= hi <= 100"),
                        ));
                    }
                    Strategy::AdaptiveExtortion {
                        base,
                        up,
                        down,
                        bounds: (lo, hi),
                    }
                }
                StrategySpec::Reciprocal { base, step } => Strategy::Reciprocal {
                    base: table.add("strategy.base".into(), base, 0.0, 10.0),
                    step: table.add("strategy.step".into(), step, 0.0, 10.0),
                },
                StrategySpec::ConstrainedPaidAccess { base, cap } => {
                    let base = paid(base, &mut table)?;
                    let cap = table.add("strategy.cap".into(), cap, 0.0, 10.0);
                    Strategy::ConstrainedPaidAccess { base, cap }
                }
            }
        };
        let court_shock = sc.court_shock.as_ref().map(|c| CourtShock {
            from_round: c.from_round,
            hazard: table.add("court_shock.hazard".into(), &c.hazard, 0.0, 1.0),
            cap: table.add("court_shock.cap".into(), &c.cap, 0.0, 10.0),
        });

        let mut mask0 = vec![0u64; n];
        for i in 0..n {
            for b in 0..nb {
                if initial_stage[i * nb + b] == Some(Stage::InForce) && blocs[b].regional {
                    mask0[i] |= 1u64 << b;
                }
            }
        }
        let initial_crossing_share = crate::outcome::crossing_share(n, &trade0, &mask0);
        let initial_hhi = (0..n)
            .map(|i| crate::outcome::hhi(&trade0[i * cols..(i + 1) * cols]))
            .collect();

        match table.errors.len() {
            0 => {}
            1 => return Err(table.errors.remove(0)),
            _ => return Err(ScenarioError::Several(table.errors)),
        }

        let mut world = World {
            initial_crossing_share,
            initial_hhi,
            name: sc.name.clone(),
            seed: sc.seed,
            runs: sc.runs,
            rounds: sc.rounds,
            rounds_per_year: sc.rounds_per_year,
            names,
            hegemon,
            rival,
            rest_of_world: spec.rest_of_world.clone(),
            params: table.params,
            model,
            actors,
            rationality,
            treaty_ally: spec.actors.iter().map(|a| a.treaty_ally).collect(),
            pole: spec.actors.iter().map(|a| a.pole).collect(),
            policy: spec.actors.iter().map(|a| a.policy.clone()).collect(),
            trade0,
            blocs,
            initial_stage,
            eligible,
            affinity,
            strategy,
            court_shock,
        };
        let world_overrides = spec
            .param_overrides
            .iter()
            .enumerate()
            .map(|(k, o)| (format!("world.param_overrides[{k}]"), o));
        let own = sc
            .param_overrides
            .iter()
            .enumerate()
            .map(|(k, o)| (format!("param_overrides[{k}]"), o));
        for (at, (path, p)) in world_overrides.chain(own) {
            let id = world
                .find_param(path)
                .map_err(|m| ScenarioError::invalid(origin, &at, m))?;
            world
                .set_param(id, p.clone())
                .map_err(|m| ScenarioError::invalid(origin, &at, m))?;
        }
        Ok(world)
    }

    /// Number of actors.
    pub fn n(&self) -> usize {
        self.names.len()
    }

    /// Ids of the uncertain parameters, in table order: the sampled columns of `runs.csv`.
    pub fn uncertain(&self) -> impl Iterator<Item = (ParamId, &ParamEntry)> {
        self.params
            .iter()
            .enumerate()
            .filter(|(_, e)| e.param.is_uncertain())
            .map(|(k, e)| (k as ParamId, e))
    }

    /// The id of the parameter at `path`. The error names the path and lists the nearest
    /// valid paths.
    pub fn find_param(&self, path: &str) -> Result<ParamId, String> {
        if let Some(k) = self.params.iter().position(|e| e.path == path) {
            return Ok(k as ParamId);
        }
        let mut near: Vec<(usize, &str)> = self
            .params
            .iter()
            .map(|e| (edit_distance(path, &e.path), e.path.as_str()))
            .collect();
        near.sort();
        let list: Vec<&str> = near.iter().take(6).map(|x| x.1).collect();
        Err(format!(
            "unknown parameter path {path:?}; the nearest valid paths are: {} ({} paths in all; `statecraft validate --params` lists them)",
            list.join(", "),
            self.params.len()
        ))
    }

    /// Replaces parameter `id` by `param` (a sweep's fixed value, or another distribution).
    /// Its support must lie in the field's range; its draws keep their stream, so the runs of
    /// every variant of a world share their other draws (common random numbers).
    pub fn set_param(&mut self, id: ParamId, param: Param) -> Result<(), String> {
        let e = &mut self.params[id as usize];
        let (a, b) = param.support().map_err(|m| format!("{}: {m}", e.path))?;
        if a < e.lo || b > e.hi {
            return Err(format!(
                "{}: {param} ranges over [{a}, {b}], outside the allowed range [{}, {}]",
                e.path, e.lo, e.hi
            ));
        }
        e.trunc_cdf = param.trunc_cdf();
        e.param = param;
        Ok(())
    }

    /// Number of parameters, fixed and uncertain.
    pub fn n_params(&self) -> usize {
        self.params.len()
    }

    /// Draws every parameter for run `run` of a batch seeded with `seed` into `out` (indexed
    /// by `ParamId`).
    pub fn draw_params(&self, seed: u64, run: u64, out: &mut Vec<f64>) {
        self.draw_params_block(seed, run, 1, out);
    }

    /// Draws every parameter for runs `first..first + count` into `out`, run-major: the values
    /// of run `first + k` are `out[k * n_params()..(k + 1) * n_params()]`. A parameter's draw
    /// depends only on (seed, its path, run): common random numbers across scenarios, and the
    /// same values whatever the block a run is drawn in.
    pub fn draw_params_block(&self, seed: u64, first: u64, count: usize, out: &mut Vec<f64>) {
        let np = self.params.len();
        out.clear();
        out.resize(np * count, 0.0);
        for (p, e) in self.params.iter().enumerate() {
            if e.param.is_uncertain() {
                let mut rng = SimRng::for_param(seed, e.slot, first);
                for k in 0..count {
                    out[k * np + p] = e.param.quantile_cached(rng.open01(), e.trunc_cdf);
                }
            } else {
                let v = e.param.quantile(0.5);
                for k in 0..count {
                    out[k * np + p] = v;
                }
            }
        }
    }
}

/// Levenshtein distance between two strings, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for j in 0..b.len() {
            let up = row[j + 1];
            row[j + 1] = (up + 1).min(row[j] + 1).min(diag + usize::from(ca != b[j]));
            diag = up;
        }
    }
    row[b.len()]
}

impl Scenario {
    /// Replaces a `File` world by the parsed world file's content.
    pub fn with_world(mut self, world: WorldSpec) -> Scenario {
        self.world = WorldSource::Inline(Box::new(world));
        self
    }
}
