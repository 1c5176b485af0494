//! Building a [`World`] from a [`Scenario`]: one named step per part of the scenario, each
//! checking what it resolves. A value out of its range is recorded in the parameter table and
//! validation goes on, so one pass reports every such error; a structural error (an unknown
//! name, a duplicate) stops it, since later checks depend on it.

use crate::error::ScenarioError;
use crate::ids::{ActorId, ParamId};
use crate::matrix::Matrix;
use crate::measures::{crossing_share, hhi};
use crate::param::Param;
use crate::rng::slot_of;
use crate::scenario::{
    ActorParams, EventOp, ModelParams, PaidAccessSpec, Policy, Scenario, SecurityEventKind, Stage,
    StrategySpec, TimelineSource, Track, WorldSource, WorldSpec,
};
use crate::strategy::{PaidAccess, Pledge, Pressure, Purchase, Strategy};
use crate::world::{
    Beliefs, Bloc, CourtShock, DealTerms, Event, ExportControls, Line, Lines, Measure, Package,
    ParamEntry, Rupture, Safeguard, SecurityEvent, Welfare, World,
};

type Result<T> = std::result::Result<T, ScenarioError>;

/// Builds the parameter table while checking ranges. A value out of its range is recorded and
/// validation goes on; a placeholder takes its place.
struct Table<'a> {
    origin: &'a str,
    params: Vec<ParamEntry>,
    errors: Vec<ScenarioError>,
}

impl Table<'_> {
    fn add(&mut self, path: String, param: &Param, lo: f64, hi: f64) -> ParamId {
        let param = match range_error(param, lo, hi) {
            None => param.clone(),
            Some(message) => {
                self.errors
                    .push(ScenarioError::invalid(self.origin, &path, message));
                Param::Fixed(lo)
            }
        };
        let slot = slot_of(&path);
        self.params.push(ParamEntry::new(path, param, lo, hi, slot));
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

    /// The table, or every error recorded.
    fn finish(mut self) -> Result<Vec<ParamEntry>> {
        match self.errors.len() {
            0 => Ok(self.params),
            1 => Err(self.errors.remove(0)),
            _ => Err(ScenarioError::Several(self.errors)),
        }
    }
}

/// Why `param` does not fit in `[lo, hi]`, if it does not.
fn range_error(param: &Param, lo: f64, hi: f64) -> Option<String> {
    match param.support() {
        Err(m) => Some(m),
        Ok((a, b)) if a < lo || b > hi => Some(if a.is_infinite() || b.is_infinite() {
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
        Ok(_) => None,
    }
}

/// The actors' names and the two special actors, checked.
struct Names<'a> {
    origin: &'a str,
    names: Vec<String>,
    known: String,
}

impl Names<'_> {
    /// The id of the actor called `name`; `path` names the field in the error.
    fn find(&self, path: &str, name: &str) -> Result<ActorId> {
        self.names.iter().position(|x| x == name).ok_or_else(|| {
            ScenarioError::invalid(
                self.origin,
                path,
                format!("unknown actor {name:?}; the actors are: {}", self.known),
            )
        })
    }

    /// The actors an event at `path` names in `targets` (`<path>.targets[j]`), none of them the
    /// hegemon (`why` says so); none named: every actor but the hegemon.
    fn targets(
        &self,
        path: &str,
        targets: &[String],
        hegemon: ActorId,
        why: &str,
    ) -> Result<Vec<ActorId>> {
        if targets.is_empty() {
            return Ok((0..self.names.len()).filter(|&i| i != hegemon).collect());
        }
        targets
            .iter()
            .enumerate()
            .map(|(j, t)| {
                let at = format!("{path}.targets[{j}]");
                let i = self.find(&at, t)?;
                if i == hegemon {
                    return Err(ScenarioError::invalid(self.origin, at, why));
                }
                Ok(i)
            })
            .collect()
    }
}

impl World {
    /// Validates a scenario whose world is inline (the CLI resolves `File` worlds first with
    /// [`Scenario::with_world`]). `origin` names the file in errors.
    pub fn from_scenario(sc: &Scenario, origin: &str) -> Result<World> {
        let spec = inline_world(sc, origin)?;
        check_rounds_and_runs(sc, origin)?;
        let mut table = Table {
            origin,
            params: Vec::new(),
            errors: Vec::new(),
        };
        let names = actor_names(spec, origin)?;
        let (hegemon, rival) = hegemon_and_rival(spec, &names)?;
        let model = model_params(sc, spec, &mut table)?;
        let (actors, rationality) = actor_params(spec, &model, &mut table);
        let trade0 = trade_matrix(spec, &names, &mut table)?;
        let blocs = blocs(spec, &mut table)?;
        let (initial_stage, eligible) = memberships(spec, origin)?;
        let affinity = affinities(spec, &names, &mut table)?;
        let lines = lines(sc, spec, &names, hegemon, &mut table)?;
        let package = packages(spec, &mut table);
        let defense_path = defense_paths(spec, &mut table);
        let max_bloc_deficit = spec
            .actors
            .iter()
            .map(|a| {
                a.max_bloc_deficit
                    .as_ref()
                    .map(|p| table.add(format!("actors.{}.max_bloc_deficit", a.name), p, 0.0, 1.0))
            })
            .collect();
        let deal_terms = deal_terms(spec, &mut table);
        let export_controls = export_controls(spec, hegemon, origin, &mut table)?;
        let safeguard = safeguards(spec, hegemon, origin, &mut table)?;
        let Options {
            security_sanction_hazard,
            rival_tilt,
            concede_hedge_share,
            welfare,
            beliefs,
            rupture,
        } = options(spec, &mut table);
        let security_events =
            security_events(spec, &names, hegemon, beliefs.is_some(), &mut table)?;
        let strategy = strategy(sc, &names, &lines, &mut table)?;
        let court_shock = court_shock(sc, &lines, &mut table)?;
        let (initial_crossing_share, initial_hhi) =
            initial_measures(&trade0, &initial_stage, &blocs);
        let other0 = (0..names.names.len())
            .map(|i| {
                (0..=names.names.len())
                    .filter(|&j| j != i && j != hegemon)
                    .map(|j| trade0[(i, j)])
                    .sum()
            })
            .collect();
        let rival_share0 = (0..names.names.len())
            .map(|i| match rival {
                Some(c) if c != i => {
                    let total: f64 = trade0.row(i).iter().sum();
                    if total > 0.0 {
                        trade0[(i, c)] / total
                    } else {
                        0.0
                    }
                }
                _ => 0.0,
            })
            .collect();
        let params = table.finish()?;
        let mut world = World {
            initial_crossing_share,
            initial_hhi,
            name: sc.name.clone(),
            rounds: sc.rounds,
            rounds_per_year: sc.rounds_per_year,
            names: names.names,
            hegemon,
            rival,
            rest_of_world: spec.rest_of_world.clone(),
            params,
            sample: None,
            model,
            actors,
            rationality,
            treaty_ally: spec.actors.iter().map(|a| a.treaty_ally).collect(),
            pole: spec.actors.iter().map(|a| a.pole).collect(),
            policy: spec.actors.iter().map(|a| a.policy.clone()).collect(),
            trade0,
            other0,
            rival_share0,
            blocs,
            initial_stage,
            eligible,
            affinity,
            strategy,
            court_shock,
            lines,
            package,
            defense_path,
            max_bloc_deficit,
            deal_terms,
            export_controls,
            safeguard,
            security_sanction_hazard,
            rival_tilt,
            concede_hedge_share,
            welfare,
            beliefs,
            security_events,
            rupture,
        };
        apply_overrides(&mut world, sc, spec, origin)?;
        apply_sample(&mut world, sc, spec, origin)?;
        Ok(world)
    }
}

/// The world's optional world-level parameters (MODEL.md 3.3–3.4), as `world.<field>`.
struct Options {
    security_sanction_hazard: Option<ParamId>,
    rival_tilt: Option<ParamId>,
    concede_hedge_share: Option<ParamId>,
    welfare: Option<Welfare>,
    beliefs: Option<Beliefs>,
    rupture: Option<Rupture>,
}

fn options(spec: &WorldSpec, table: &mut Table) -> Options {
    let security_sanction_hazard = spec
        .security_sanction_hazard
        .as_ref()
        .map(|p| table.add("world.security_sanction_hazard".into(), p, 0.0, 1.0));
    let rival_tilt = spec
        .rival_tilt
        .as_ref()
        .map(|p| table.add("world.rival_tilt".into(), p, 0.0, 1.0));
    let concede_hedge_share = spec
        .concede_hedge_share
        .as_ref()
        .map(|p| table.add("world.concede_hedge_share".into(), p, 0.0, 1.0));
    let welfare = spec.welfare.as_ref().map(|x| Welfare {
        supply_inverse: table.add(
            "world.welfare.supply_inverse".into(),
            &x.supply_inverse,
            0.0,
            10.0,
        ),
        rent_share: table.add("world.welfare.rent_share".into(), &x.rent_share, 0.0, 1.0),
    });
    let beliefs = spec.beliefs.as_ref().map(|x| Beliefs {
        recovery: table.add("world.beliefs.recovery".into(), &x.recovery, 0.0, 1.0),
        threat_shock: table.add(
            "world.beliefs.threat_shock".into(),
            &x.threat_shock,
            0.0,
            1.0,
        ),
        balancing: table.add("world.beliefs.balancing".into(), &x.balancing, 0.0, 0.1),
        arming: x
            .arming
            .as_ref()
            .map(|p| table.add("world.beliefs.arming".into(), p, 0.0, 0.1)),
    });
    let rupture = spec.rupture.as_ref().map(|x| Rupture {
        alignment_loss: table.add(
            "world.rupture.alignment_loss".into(),
            &x.alignment_loss,
            0.0,
            1.0,
        ),
    });
    Options {
        security_sanction_hazard,
        rival_tilt,
        concede_hedge_share,
        welfare,
        beliefs,
        rupture,
    }
}

/// The world's security events, checked (targets, the weight's range, `beliefs` present) and
/// sorted by round; each weight is `world.security_events[k].size`.
fn security_events(
    spec: &WorldSpec,
    names: &Names,
    hegemon: ActorId,
    has_beliefs: bool,
    table: &mut Table,
) -> Result<Vec<SecurityEvent>> {
    if !spec.security_events.is_empty() && !has_beliefs {
        return Err(ScenarioError::invalid(
            names.origin,
            "security_events",
            "security events need the world's `beliefs` (their recovery and the threat's state)",
        ));
    }
    let mut events = Vec::with_capacity(spec.security_events.len());
    for (k, e) in spec.security_events.iter().enumerate() {
        let path = format!("security_events[{k}]");
        let targets = names.targets(
            &path,
            &e.targets,
            hegemon,
            "the hegemon's conduct is seen by the others: it cannot be a target",
        )?;
        let hi = match e.kind {
            SecurityEventKind::Threat => 1.0,
            SecurityEventKind::Questioned | SecurityEventKind::Reaffirmed => 10.0,
        };
        events.push(SecurityEvent {
            round: e.round,
            kind: e.kind,
            targets,
            size: table.add(format!("world.{path}.size"), &e.size, 0.0, hi),
        });
    }
    events.sort_by_key(|e| e.round);
    Ok(events)
}

/// The scenario's world, which must be inline by now.
fn inline_world<'s>(sc: &'s Scenario, origin: &str) -> Result<&'s WorldSpec> {
    match &sc.world {
        WorldSource::Inline(w) => Ok(w.as_ref()),
        WorldSource::File(f) => Err(ScenarioError::invalid(
            origin,
            "world",
            format!("the world file {f:?} was not loaded (resolve it before validation)"),
        )),
    }
}

/// Rounds, rounds per year, and the scenario's default runs (kept in the scenario).
fn check_rounds_and_runs(sc: &Scenario, origin: &str) -> Result<()> {
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
    Ok(())
}

/// At least two actors, each with a name of its own.
fn actor_names<'a>(spec: &WorldSpec, origin: &'a str) -> Result<Names<'a>> {
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
    Ok(Names {
        origin,
        known: names.join(", "),
        names,
    })
}

/// The hegemon and the rival: two different actors, the rival no treaty ally.
fn hegemon_and_rival(spec: &WorldSpec, names: &Names) -> Result<(ActorId, Option<ActorId>)> {
    let origin = names.origin;
    let hegemon = names.find("hegemon", &spec.hegemon)?;
    let rival = match &spec.rival {
        Some(r) => {
            let id = names.find("rival", r)?;
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
            format!("actors.{}.treaty_ally", names.names[c]),
            "the rival cannot be a treaty ally of the hegemon",
        ));
    }
    Ok((hegemon, rival))
}

/// The model constants, with the scenario's `model_overrides`, registered as `model.<field>`.
fn model_params(
    sc: &Scenario,
    spec: &WorldSpec,
    table: &mut Table,
) -> Result<ModelParams<ParamId>> {
    let mut model_spec = spec.model.clone();
    for (k, (field, value)) in sc.model_overrides.iter().enumerate() {
        match model_spec.get_mut(field) {
            Some(slot) => *slot = value.clone(),
            None => {
                let all: Vec<&str> = ModelParams::<Param>::FIELDS.iter().map(|f| f.0).collect();
                return Err(ScenarioError::invalid(
                    table.origin,
                    format!("model_overrides[{k}]"),
                    format!(
                        "unknown model constant {field:?}; the constants are: {}",
                        all.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(model_spec.map_named(|field, lo, hi, p| table.add(format!("model.{field}"), p, lo, hi)))
}

/// Every actor's fields as `actors.<name>.<field>`, and its λ (the model's unless its own).
fn actor_params(
    spec: &WorldSpec,
    model: &ModelParams<ParamId>,
    table: &mut Table,
) -> (Vec<ActorParams<ParamId>>, Vec<ParamId>) {
    let mut actors = Vec::with_capacity(spec.actors.len());
    let mut rationality = Vec::with_capacity(spec.actors.len());
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
    (actors, rationality)
}

/// X_ij(0): each pair at most once, nobody exporting to itself.
fn trade_matrix(spec: &WorldSpec, names: &Names, table: &mut Table) -> Result<Matrix<f64>> {
    let n = names.names.len();
    let mut trade0 = Matrix::new(n, n + 1, 0.0);
    let mut seen = Matrix::new(n, n + 1, false);
    for (k, t) in spec.trade.iter().enumerate() {
        let path = format!("trade[{k}]");
        let i = names.find(&format!("{path}.from"), &t.from)?;
        let j = if t.to == spec.rest_of_world {
            n
        } else {
            names.find(&format!("{path}.to"), &t.to)?
        };
        if i == j {
            return Err(ScenarioError::invalid(
                names.origin,
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
        if seen[(i, j)] {
            return Err(ScenarioError::invalid(
                names.origin,
                path,
                format!("the pair {} -> {} is listed twice", t.from, t.to),
            ));
        }
        seen[(i, j)] = true;
        trade0[(i, j)] = t.value;
    }
    Ok(trade0)
}

/// The blocs: at most 64 (one bit each in the regional masks), names unique, hazards.
fn blocs(spec: &WorldSpec, table: &mut Table) -> Result<Vec<Bloc>> {
    let nb = spec.blocs.len();
    if nb > 64 {
        return Err(ScenarioError::invalid(
            table.origin,
            "blocs",
            format!("{nb} blocs: at most 64 are supported"),
        ));
    }
    let mut blocs = Vec::with_capacity(nb);
    for (b, spec_b) in spec.blocs.iter().enumerate() {
        if spec.blocs[..b].iter().any(|x| x.name == spec_b.name) {
            return Err(ScenarioError::invalid(
                table.origin,
                format!("blocs[{b}].name"),
                format!("{:?} appears twice", spec_b.name),
            ));
        }
        let p = format!("blocs.{}", spec_b.name);
        if spec_b.fta && spec_b.regional {
            return Err(ScenarioError::invalid(
                table.origin,
                format!("blocs[{b}].fta"),
                format!(
                    "{:?} is both regional and a bilateral FTA: set `regional: false` for an FTA",
                    spec_b.name
                ),
            ));
        }
        table.check(
            &format!("{p}.veto_threshold"),
            spec_b.veto_threshold,
            0.0,
            1.0,
        );
        let h = &spec_b.hazards;
        blocs.push(Bloc {
            name: spec_b.name.clone(),
            regional: spec_b.regional,
            fta: spec_b.fta,
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
    Ok(blocs)
}

/// Memberships in force, pending applications and eligibility, per actor and bloc.
fn memberships(spec: &WorldSpec, origin: &str) -> Result<(Matrix<Option<Stage>>, Matrix<bool>)> {
    let (n, nb) = (spec.actors.len(), spec.blocs.len());
    let bloc_names = spec
        .blocs
        .iter()
        .map(|b| b.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let find_bloc = |path: &str, name: &str| -> Result<usize> {
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
    let mut initial_stage = Matrix::new(n, nb, None);
    let mut eligible = Matrix::new(n, nb, false);
    for (i, a) in spec.actors.iter().enumerate() {
        for (k, name) in a.blocs.iter().enumerate() {
            let b = find_bloc(&format!("actors.{}.blocs[{k}]", a.name), name)?;
            initial_stage[(i, b)] = Some(Stage::InForce);
        }
        for (k, name) in a.eligible.iter().enumerate() {
            let path = format!("actors.{}.eligible[{k}]", a.name);
            let b = find_bloc(&path, name)?;
            if a.customs_union && !spec.blocs[b].admits_customs_unions {
                return Err(ScenarioError::invalid(
                    origin,
                    path,
                    format!(
                        "{} is a customs union and {name} does not admit customs unions \
                         (set `admits_customs_unions: true` on the bloc if it does)",
                        a.name
                    ),
                ));
            }
            eligible[(i, b)] = true;
        }
        for (k, app) in a.applications.iter().enumerate() {
            let path = format!("actors.{}.applications[{k}]", a.name);
            let b = find_bloc(&path, &app.bloc)?;
            if initial_stage[(i, b)].is_some() {
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
            initial_stage[(i, b)] = Some(app.stage);
        }
    }
    Ok((initial_stage, eligible))
}

/// Affinity of i toward j, the default where the scenario lists none.
fn affinities(spec: &WorldSpec, names: &Names, table: &mut Table) -> Result<Matrix<f64>> {
    let n = names.names.len();
    table.check("default_affinity", spec.default_affinity, 0.0, 1.0);
    let mut affinity = Matrix::new(n, n, spec.default_affinity);
    for (k, a) in spec.affinity.iter().enumerate() {
        let path = format!("affinity[{k}]");
        let i = names.find(&format!("{path}.from"), &a.from)?;
        let j = names.find(&format!("{path}.to"), &a.to)?;
        table.check(&format!("{path}.value"), a.value, 0.0, 1.0);
        affinity[(i, j)] = a.value;
    }
    Ok(affinity)
}

/// The paid-access parameters, as `strategy.<field>` (per actor where they differ).
fn paid_access(
    spec: &PaidAccessSpec,
    names: &Names,
    lines: &Lines,
    table: &mut Table,
) -> Result<PaidAccess> {
    let n = names.names.len();
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
        let i = names.find(&format!("strategy.deal_rates[{k}]"), name)?;
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
        let i = names.find(&format!("strategy.host_fees[{k}]"), name)?;
        host_fee[i] = table.add(format!("strategy.host_fees.{name}"), p, 0.0, 1.0e6);
    }
    Ok(PaidAccess {
        floor,
        max_rate,
        deal_rate,
        fee_share: fee_shares(spec, names, table)?,
        defense_target: table.add(
            "strategy.defense_target".into(),
            &spec.defense_target,
            0.0,
            1.0,
        ),
        host_fee,
        linkage: table.add("strategy.linkage".into(), &spec.linkage, 0.0, 1.0),
        deal_caps: deal_caps(spec, names, lines, table)?,
        pressure: spec.pressure.as_ref().map(|p| Pressure {
            after: p.after,
            step: table.add("strategy.pressure.step".into(), &p.step, 0.0, 10.0),
            max: table.add("strategy.pressure.max".into(), &p.max, 0.0, 10.0),
        }),
        pledge: pledges(spec, names, table)?,
        purchase: purchases(spec, names, table)?,
        conditions: conditions(spec, names, table)?,
    })
}

/// The fee share of each target: `strategy.fee_share`, or its own from `fee_shares` as
/// `strategy.fee_shares.<name>`.
fn fee_shares(spec: &PaidAccessSpec, names: &Names, table: &mut Table) -> Result<Vec<ParamId>> {
    let default = table.add("strategy.fee_share".into(), &spec.fee_share, 0.0, 10.0);
    let mut share = vec![default; names.names.len()];
    for (k, (name, p)) in spec.fee_shares.iter().enumerate() {
        let i = names.find(&format!("strategy.fee_shares[{k}]"), name)?;
        share[i] = table.add(format!("strategy.fee_shares.{name}"), p, 0.0, 10.0);
    }
    Ok(share)
}

/// The framework's conditions, as `strategy.conditions.<track>.detect`.
fn conditions(
    spec: &PaidAccessSpec,
    names: &Names,
    table: &mut Table,
) -> Result<Option<[Option<ParamId>; 3]>> {
    let Some(list) = &spec.conditions else {
        return Ok(None);
    };
    let mut out = [None; 3];
    for (k, c) in list.iter().enumerate() {
        let t = Track::ALL
            .iter()
            .position(|t| *t == c.track)
            .expect("a track");
        if out[t].is_some() {
            return Err(ScenarioError::invalid(
                names.origin,
                format!("strategy.conditions[{k}]"),
                format!("{:?} is listed twice", c.track),
            ));
        }
        out[t] = Some(table.add(
            format!("strategy.conditions.{:?}.detect", c.track),
            &c.detect,
            0.0,
            1.0,
        ));
    }
    Ok(Some(out))
}

/// One entry per target of a strategy list (`field`: `pledges`, `purchases`), each resolved by
/// `resolve` from its parameter path `strategy.<field>.<actor>`; a target listed twice is
/// refused, naming the entry (`what`: what it is, plural).
fn per_target<S, T: Clone>(
    list: &[(String, S)],
    field: &str,
    what: &str,
    names: &Names,
    table: &mut Table,
    resolve: impl Fn(&str, &S, &mut Table) -> T,
) -> Result<Vec<Option<T>>> {
    let mut out = vec![None; names.names.len()];
    for (k, (actor, p)) in list.iter().enumerate() {
        let path = format!("strategy.{field}[{k}]");
        let i = names.find(&path, actor)?;
        if out[i].is_some() {
            return Err(ScenarioError::invalid(
                names.origin,
                path,
                format!("{actor} has two {what}"),
            ));
        }
        out[i] = Some(resolve(&format!("strategy.{field}.{actor}"), p, table));
    }
    Ok(out)
}

/// Each target's investment pledge, as `strategy.pledges.<actor>.<field>`.
fn pledges(spec: &PaidAccessSpec, names: &Names, table: &mut Table) -> Result<Vec<Option<Pledge>>> {
    per_target(
        &spec.pledges,
        "pledges",
        "pledges",
        names,
        table,
        |at, p, table| Pledge {
            stock: table.add(format!("{at}.stock"), &p.stock, 0.0, 1.0e9),
            per_year: table.add(format!("{at}.per_year"), &p.per_year, 0.0, 1.0e9),
            returns: table.add(format!("{at}.returns"), &p.returns, 0.0, 1.0),
        },
    )
}

/// Each target's purchase commitment, as `strategy.purchases.<actor>.<field>`.
fn purchases(
    spec: &PaidAccessSpec,
    names: &Names,
    table: &mut Table,
) -> Result<Vec<Option<Purchase>>> {
    let what = "purchase commitments";
    per_target(
        &spec.purchases,
        "purchases",
        what,
        names,
        table,
        |at, p, table| {
            (
                table.add(format!("{at}.per_year"), &p.per_year, 0.0, 1.0e9),
                table.add(format!("{at}.cost"), &p.cost, 0.0, 1.0),
                p.years
                    .as_ref()
                    .map(|y| table.add(format!("{at}.years"), y, 0.01, 1000.0)),
            )
        },
    )
}

/// Each actor's own defence commitment, as `actors.<name>.defense_path.<field>`.
fn defense_paths(spec: &WorldSpec, table: &mut Table) -> Vec<Option<(ParamId, ParamId)>> {
    spec.actors
        .iter()
        .map(|a| {
            a.defense_path.as_ref().map(|d| {
                let p = format!("actors.{}.defense_path", a.name);
                (
                    table.add(format!("{p}.target"), &d.target, 0.0, 1.0),
                    table.add(format!("{p}.years"), &d.years, 0.01, 1000.0),
                )
            })
        })
        .collect()
}

/// The caps a deal puts on measures, as `strategy.deal_caps.<measure>.<actor>`.
fn deal_caps(
    spec: &PaidAccessSpec,
    names: &Names,
    lines: &Lines,
    table: &mut Table,
) -> Result<Vec<(usize, ActorId, ParamId)>> {
    let mut caps = Vec::with_capacity(spec.deal_caps.len());
    for (k, (measure, actor, p)) in spec.deal_caps.iter().enumerate() {
        let path = format!("strategy.deal_caps[{k}]");
        let l = match find_line(lines, &path, measure, names.origin)? {
            Line::Measure(l) => l,
            Line::Reciprocal => {
                return Err(ScenarioError::invalid(
                    names.origin,
                    path,
                    "the reciprocal line's deal cap is the deal rate (`deal_rates`)",
                ));
            }
        };
        let i = names.find(&path, actor)?;
        caps.push((
            l,
            i,
            table.add(
                format!("strategy.deal_caps.{measure}.{actor}"),
                p,
                0.0,
                10.0,
            ),
        ));
    }
    Ok(caps)
}

/// The line called `name`: `"reciprocal"` or a measure.
fn find_line(lines: &Lines, path: &str, name: &str, origin: &str) -> Result<Line> {
    if name == RECIPROCAL {
        return Ok(Line::Reciprocal);
    }
    lines
        .measures
        .iter()
        .position(|m| m.name == name)
        .map(Line::Measure)
        .ok_or_else(|| {
            let known: Vec<&str> = std::iter::once(RECIPROCAL)
                .chain(lines.measures.iter().map(|m| m.name.as_str()))
                .collect();
            ScenarioError::invalid(
                origin,
                path,
                format!(
                    "unknown measure {name:?}; the lines are: {}",
                    known.join(", ")
                ),
            )
        })
}

/// The name of the strategy's own line in events and `covers`.
const RECIPROCAL: &str = "reciprocal";

/// The measures with their legal bases and coverage, and the timeline (MODEL.md 3.2).
fn lines(
    sc: &Scenario,
    spec: &WorldSpec,
    names: &Names,
    hegemon: ActorId,
    table: &mut Table,
) -> Result<Lines> {
    let origin = names.origin;
    let n = names.names.len();
    let mut bases = vec![
        spec.reciprocal_basis
            .clone()
            .unwrap_or_else(|| "discretionary".to_string()),
    ];
    let (groups, share, group_total) = export_groups(spec, origin, table)?;
    let mut measures = Vec::with_capacity(spec.measures.len());
    let mut group_cover = Matrix::new(n, spec.measures.len(), 0.0);
    for (l, m) in spec.measures.iter().enumerate() {
        let path = format!("measures[{l}]");
        if m.name == RECIPROCAL || spec.measures[..l].iter().any(|x| x.name == m.name) {
            return Err(ScenarioError::invalid(
                origin,
                format!("{path}.name"),
                format!("{:?} is reserved or appears twice", m.name),
            ));
        }
        let basis = match bases.iter().position(|b| b == &m.basis) {
            Some(b) => b,
            None => {
                bases.push(m.basis.clone());
                bases.len() - 1
            }
        };
        let mut covers_reciprocal = false;
        for (k, g) in m.covers.iter().enumerate() {
            if g == RECIPROCAL {
                covers_reciprocal = true;
                continue;
            }
            let id = groups.iter().position(|h| h == g).ok_or_else(|| {
                ScenarioError::invalid(
                    origin,
                    format!("{path}.covers[{k}]"),
                    format!(
                        "no actor has an export group {g:?}; the groups are: reciprocal, {}",
                        groups.join(", ")
                    ),
                )
            })?;
            for i in 0..n {
                group_cover[(i, l)] += share[i]
                    .iter()
                    .filter(|(h, _)| *h == id)
                    .map(|x| x.1)
                    .sum::<f64>();
            }
        }
        measures.push(Measure {
            name: m.name.clone(),
            basis,
            covers_reciprocal,
        });
    }
    if bases.len() > 64 {
        return Err(ScenarioError::invalid(
            origin,
            "measures",
            format!("{} legal bases: at most 64 are supported", bases.len()),
        ));
    }
    let mut lines = Lines {
        bases,
        measures,
        group_cover,
        group_total,
        events: Vec::new(),
    };
    lines.events = events(sc, names, hegemon, &lines, table)?;
    Ok(lines)
}

/// The product groups the actors name, each actor's (group, share) pairs and their sum.
type Groups = (Vec<String>, Vec<Vec<(usize, f64)>>, Vec<f64>);

/// Every actor's `export_groups`, checked: names, ranges, and e_i + Σ groups ≤ 1.
fn export_groups(spec: &WorldSpec, origin: &str, table: &mut Table) -> Result<Groups> {
    let n = spec.actors.len();
    let mut groups: Vec<String> = Vec::new();
    let mut share: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut group_total = vec![0.0; n];
    for (i, a) in spec.actors.iter().enumerate() {
        for (k, (g, x)) in a.export_groups.iter().enumerate() {
            let path = format!("actors.{}.export_groups[{k}]", a.name);
            if g == RECIPROCAL || g.is_empty() {
                return Err(ScenarioError::invalid(
                    origin,
                    path,
                    format!("{g:?} is not a group name: the reciprocal share is `exposure`"),
                ));
            }
            if a.export_groups[..k].iter().any(|(h, _)| h == g) {
                return Err(ScenarioError::invalid(
                    origin,
                    path,
                    format!("group {g:?} appears twice"),
                ));
            }
            table.check(
                &format!("actors.{}.export_groups.{g}", a.name),
                *x,
                0.0,
                1.0,
            );
            let id = match groups.iter().position(|h| h == g) {
                Some(id) => id,
                None => {
                    groups.push(g.clone());
                    groups.len() - 1
                }
            };
            share[i].push((id, *x));
            group_total[i] += x;
        }
        let top = a.params.exposure.support().map(|s| s.1).unwrap_or(1.0);
        if !a.export_groups.is_empty() && top + group_total[i] > 1.0 + 1e-9 {
            return Err(ScenarioError::invalid(
                origin,
                format!("actors.{}.export_groups", a.name),
                format!(
                    "the groups sum to {}, which with exposure up to {top} exceeds 1 (the shares of exports to the hegemon)",
                    group_total[i]
                ),
            ));
        }
    }
    Ok((groups, share, group_total))
}

/// The timeline's events, resolved and ordered by round (stable).
fn events(
    sc: &Scenario,
    names: &Names,
    hegemon: ActorId,
    lines: &Lines,
    table: &mut Table,
) -> Result<Vec<Event>> {
    let origin = names.origin;
    let specs = match &sc.timeline {
        None => return Ok(Vec::new()),
        Some(TimelineSource::Inline(e)) => e,
        Some(TimelineSource::File(f)) => {
            return Err(ScenarioError::invalid(
                origin,
                "timeline",
                format!("the timeline file {f:?} was not loaded (resolve it before validation)"),
            ));
        }
    };
    let mut events = Vec::with_capacity(specs.len());
    for (k, e) in specs.iter().enumerate() {
        let path = format!("timeline[{k}]");
        let line = find_line(lines, &format!("{path}.measure"), &e.measure, origin)?;
        let targets = names.targets(
            &path,
            &e.targets,
            hegemon,
            "the hegemon's lines apply to the others: it cannot be a target",
        )?;
        if let EventOp::Set(r) | EventOp::Pause(r) = e.op {
            table.check(&format!("{path}.op"), r, 0.0, 10.0);
        }
        events.push(Event {
            round: e.round,
            line,
            targets,
            op: e.op.clone(),
        });
    }
    events.sort_by_key(|e| e.round);
    Ok(events)
}

/// Each actor's deal terms, as `actors.<name>.deal_terms.<field>`.
fn deal_terms(spec: &WorldSpec, table: &mut Table) -> Vec<Option<DealTerms>> {
    spec.actors
        .iter()
        .map(|a| {
            a.deal_terms.as_ref().map(|d| {
                let p = format!("actors.{}.deal_terms", a.name);
                DealTerms {
                    keep_counter: table.add(
                        format!("{p}.keep_counter"),
                        &d.keep_counter,
                        0.0,
                        10.0,
                    ),
                    expiry: d
                        .expiry
                        .as_ref()
                        .map(|e| table.add(format!("{p}.expiry"), e, 1.0, 1.0e6)),
                    renewal: table.add(format!("{p}.renewal"), &d.renewal, 0.0, 1.0),
                }
            })
        })
        .collect()
}

/// Each actor's export controls, as `actors.<name>.export_controls.<field>`; the hegemon
/// may carry none (it is the one they are aimed at).
fn export_controls(
    spec: &WorldSpec,
    hegemon: ActorId,
    origin: &str,
    table: &mut Table,
) -> Result<Vec<Option<ExportControls>>> {
    if let Some(a) = spec.actors.get(hegemon)
        && a.export_controls.is_some()
    {
        return Err(ScenarioError::invalid(
            origin,
            format!("actors.{}.export_controls", a.name),
            "the hegemon cannot carry export controls: they are an instrument against it",
        ));
    }
    Ok(spec
        .actors
        .iter()
        .map(|a| {
            a.export_controls.as_ref().map(|x| {
                let p = format!("actors.{}.export_controls", a.name);
                ExportControls {
                    share: table.add(format!("{p}.share"), &x.share, 0.0, 1.0),
                    multiplier: table.add(format!("{p}.multiplier"), &x.multiplier, 0.0, 100.0),
                    spill: table.add(format!("{p}.spill"), &x.spill, 0.0, 1.0),
                }
            })
        })
        .collect())
}

/// Each actor's safeguard against deflected imports, as `actors.<name>.safeguard.<field>`; the
/// hegemon may carry none (deflection is what its own tariffs cause elsewhere).
fn safeguards(
    spec: &WorldSpec,
    hegemon: ActorId,
    origin: &str,
    table: &mut Table,
) -> Result<Vec<Option<Safeguard>>> {
    if let Some(a) = spec.actors.get(hegemon)
        && a.safeguard.is_some()
    {
        return Err(ScenarioError::invalid(
            origin,
            format!("actors.{}.safeguard", a.name),
            "the hegemon cannot carry a safeguard against deflection: its tariffs are its lines",
        ));
    }
    Ok(spec
        .actors
        .iter()
        .map(|a| {
            a.safeguard.as_ref().map(|x| {
                let p = format!("actors.{}.safeguard", a.name);
                Safeguard {
                    surge: table.add(format!("{p}.surge"), &x.surge, 0.0, 10.0),
                    cut: table.add(format!("{p}.cut"), &x.cut, 0.0, 1.0),
                }
            })
        })
        .collect())
}

/// Each actor's counter-tariff package, as `actors.<name>.retaliation.<field>`.
fn packages(spec: &WorldSpec, table: &mut Table) -> Vec<Option<Package>> {
    spec.actors
        .iter()
        .map(|a| {
            a.retaliation.as_ref().map(|r| {
                let p = format!("actors.{}.retaliation", a.name);
                if let Some(x) = r.trigger {
                    table.check(&format!("{p}.trigger"), x, 0.0, 10.0);
                }
                Package {
                    value: table.add(format!("{p}.value"), &r.value, 0.0, 1.0e9),
                    rate: table.add(format!("{p}.rate"), &r.rate, 0.0, 10.0),
                    trigger: r.trigger,
                }
            })
        })
        .collect()
}

/// The hegemon's strategy, resolved.
fn strategy(sc: &Scenario, names: &Names, lines: &Lines, table: &mut Table) -> Result<Strategy> {
    Ok(match &sc.strategy {
        StrategySpec::OpenOrder => Strategy::OpenOrder,
        StrategySpec::TargetedPunitive { rate, targets } => {
            let rate = table.add("strategy.rate".into(), rate, 0.0, 10.0);
            let mut is_target = vec![false; names.names.len()];
            for (k, t) in targets.iter().enumerate() {
                is_target[names.find(&format!("strategy.targets[{k}]"), t)?] = true;
            }
            Strategy::TargetedPunitive {
                rate,
                targets: is_target,
            }
        }
        StrategySpec::PaidAccess(p) => Strategy::PaidAccess(paid_access(p, names, lines, table)?),
        StrategySpec::AdaptiveExtortion {
            base,
            up,
            down,
            bounds,
        } => {
            let base = paid_access(base, names, lines, table)?;
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
                    names.origin,
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
            let base = paid_access(base, names, lines, table)?;
            let cap = table.add("strategy.cap".into(), cap, 0.0, 10.0);
            Strategy::ConstrainedPaidAccess { base, cap }
        }
    })
}

/// The authority shock of phase 0, if the scenario has one.
fn court_shock(sc: &Scenario, lines: &Lines, table: &mut Table) -> Result<Option<CourtShock>> {
    let Some(c) = sc.court_shock.as_ref() else {
        return Ok(None);
    };
    let voids = match &c.voids {
        None => None,
        Some(b) => Some(lines.bases.iter().position(|x| x == b).ok_or_else(|| {
            ScenarioError::invalid(
                table.origin,
                "court_shock.voids",
                format!(
                    "unknown legal basis {b:?}; the bases are: {}",
                    lines.bases.join(", ")
                ),
            )
        })?),
    };
    // The interim surcharge and the refunds act on the voided basis: without one they have
    // nothing to replace or refund.
    for (field, set) in [
        ("interim", c.interim.is_some()),
        ("refunds", c.refunds.is_some()),
    ] {
        if set && voids.is_none() {
            return Err(ScenarioError::invalid(
                table.origin,
                format!("court_shock.{field}"),
                "needs `voids`: the legal basis whose lines it replaces or refunds",
            ));
        }
    }
    if let Some(i) = &c.interim
        && i.rounds == 0
    {
        return Err(ScenarioError::invalid(
            table.origin,
            "court_shock.interim.rounds",
            "value 0 is outside the allowed range [1, ∞): the surcharge lasts a round at least",
        ));
    }
    Ok(Some(CourtShock {
        from_round: c.from_round,
        hazard: table.add("court_shock.hazard".into(), &c.hazard, 0.0, 1.0),
        cap: table.add("court_shock.cap".into(), &c.cap, 0.0, 10.0),
        voids,
        interim: c.interim.as_ref().map(|i| {
            let rate = table.add("court_shock.interim.rate".into(), &i.rate, 0.0, 1.0);
            (rate, i.rounds)
        }),
        refunds: c
            .refunds
            .as_ref()
            .map(|p| table.add("court_shock.refunds".into(), p, 0.0, 1.0)),
    }))
}

/// The crossing share of world trade and each actor's export concentration at round 0.
fn initial_measures(
    trade0: &Matrix<f64>,
    initial_stage: &Matrix<Option<Stage>>,
    blocs: &[Bloc],
) -> (f64, Vec<f64>) {
    let n = trade0.rows();
    let mut mask0 = vec![0u64; n];
    for (i, mask) in mask0.iter_mut().enumerate() {
        for (b, bloc) in blocs.iter().enumerate() {
            if initial_stage[(i, b)] == Some(Stage::InForce) && bloc.regional {
                *mask |= 1u64 << b;
            }
        }
    }
    let hhis = (0..n).map(|i| hhi(trade0.row(i))).collect();
    (crossing_share(trade0, &mask0), hhis)
}

/// The world file's `param_overrides`, then the scenario's, each by path.
fn apply_overrides(world: &mut World, sc: &Scenario, spec: &WorldSpec, origin: &str) -> Result<()> {
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
    Ok(())
}

/// The scenario's joint parameter sample (`param_sample`), checked: known paths, each listed
/// once and in no `param_overrides`, at least one row, every row as long as `paths`, every
/// value in its field's range. Each sampled parameter's entry takes the `Choice` of its
/// column, so it counts as uncertain (a `runs.csv` column) when its rows differ.
fn apply_sample(world: &mut World, sc: &Scenario, spec: &WorldSpec, origin: &str) -> Result<()> {
    let Some(sample) = &sc.param_sample else {
        return Ok(());
    };
    let err = |at: String, m: String| ScenarioError::invalid(origin, at, m);
    if sample.paths.is_empty() {
        return Err(err(
            "param_sample.paths".into(),
            "lists no parameter; name the sampled parameters by path".into(),
        ));
    }
    if sample.rows.is_empty() {
        return Err(err(
            "param_sample.rows".into(),
            "has no row; give at least one row of values".into(),
        ));
    }
    let overridden: Vec<(String, &String)> = spec
        .param_overrides
        .iter()
        .enumerate()
        .map(|(k, o)| (format!("world.param_overrides[{k}]"), &o.0))
        .chain(
            sc.param_overrides
                .iter()
                .enumerate()
                .map(|(k, o)| (format!("param_overrides[{k}]"), &o.0)),
        )
        .collect();
    let mut ids: Vec<ParamId> = Vec::with_capacity(sample.paths.len());
    for (c, path) in sample.paths.iter().enumerate() {
        let at = format!("param_sample.paths[{c}]");
        let id = world.find_param(path).map_err(|m| err(at.clone(), m))?;
        if let Some(j) = ids.iter().position(|&x| x == id) {
            return Err(err(
                at,
                format!("{path} is listed twice (also param_sample.paths[{j}])"),
            ));
        }
        if let Some((o, _)) = overridden.iter().find(|(_, p)| *p == path) {
            return Err(err(
                at,
                format!("{path} is also set by {o}; a parameter takes its values from one of them"),
            ));
        }
        ids.push(id);
    }
    let nc = ids.len();
    let mut values = Vec::with_capacity(nc * sample.rows.len());
    for (r, row) in sample.rows.iter().enumerate() {
        if row.len() != nc {
            return Err(err(
                format!("param_sample.rows[{r}]"),
                format!("has {} values, but paths lists {nc} parameters", row.len()),
            ));
        }
        for (c, (&v, &id)) in row.iter().zip(&ids).enumerate() {
            let e = &world.params[id as usize];
            if !(v.is_finite() && v >= e.lo && v <= e.hi) {
                return Err(err(
                    format!("param_sample.rows[{r}][{c}]"),
                    format!(
                        "{}: value {v} is outside the allowed range [{}, {}]",
                        e.path, e.lo, e.hi
                    ),
                ));
            }
        }
        values.extend_from_slice(row);
    }
    for (c, &id) in ids.iter().enumerate() {
        let column = sample.rows.iter().map(|row| row[c]).collect();
        world
            .set_marginal(id, Param::Dist(crate::param::Dist::Choice(column)))
            .map_err(|m| err(format!("param_sample.paths[{c}]"), m))?;
    }
    world.sample = Some(crate::world::Sample { ids, values });
    Ok(())
}
