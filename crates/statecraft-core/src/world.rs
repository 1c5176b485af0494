//! `World`: a scenario validated once, with names resolved to dense ids.
//!
//! Everything the rules need is here, checked (by [`World::from_scenario`], in `validate.rs`):
//! ranges of every number and of every distribution's support, names of actors and blocs, the
//! trade matrix. Every `Param` of the scenario sits in one table (`params`) under its path
//! (`model.elasticity_lr`, `actors.JPN.resolve`, `strategy.deal_rates.EU27`, ...); the rules
//! refer to it by [`ParamId`] and read the values drawn for the run. After `from_scenario`
//! succeeds nothing can fail. The batch defaults of a scenario (seed, runs) are not part of
//! the world: they stay in the [`crate::Scenario`].

use crate::matrix::Matrix;
use crate::param::Param;
use crate::rng::{SimRng, sample_slot};
use crate::scenario::{
    ActorParams, EventOp, ModelParams, Policy, Scenario, SecurityEventKind, Stage, TimelineSource,
    WorldSource, WorldSpec,
};
use crate::strategy::Strategy;

use crate::ids::{ActorId, ParamId};

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

impl ParamEntry {
    /// An entry of the table; `slot` is the parameter's stream.
    pub(crate) fn new(path: String, param: Param, lo: f64, hi: f64, slot: u64) -> Self {
        let trunc_cdf = param.trunc_cdf();
        ParamEntry {
            path,
            param,
            lo,
            hi,
            slot,
            trunc_cdf,
        }
    }
}

/// A joint parameter sample (the scenario's `param_sample`), resolved: each run takes one row.
#[derive(Clone, Debug)]
pub struct Sample {
    /// The sampled parameters, in the scenario's order.
    pub ids: Vec<ParamId>,
    /// The rows, row-major: row k is `values[k * ids.len()..(k + 1) * ids.len()]`.
    pub values: Vec<f64>,
}

impl Sample {
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.values.len() / self.ids.len().max(1)
    }

    /// The row run `u`'s uniform picks: ⌊u·N⌋, at most N − 1 (as a `Choice` picks its value).
    pub fn row_of(&self, u: f64) -> usize {
        let n = self.rows();
        ((u * n as f64) as usize).min(n.saturating_sub(1))
    }

    /// The column of parameter `id`, if it is sampled.
    pub fn column(&self, id: ParamId) -> Option<usize> {
        self.ids.iter().position(|&x| x == id)
    }

    /// The sample without column `c`.
    fn without(&self, c: usize) -> Sample {
        let nc = self.ids.len();
        let mut ids = self.ids.clone();
        ids.remove(c);
        let values = self
            .values
            .iter()
            .enumerate()
            .filter(|(k, _)| k % nc != c)
            .map(|(_, v)| *v)
            .collect();
        Sample { ids, values }
    }
}

/// A bloc, resolved.
#[derive(Clone, Debug)]
pub struct Bloc {
    /// Name.
    pub name: String,
    /// Whether membership gives the regional trade premium.
    pub regional: bool,
    /// A bilateral free-trade agreement: the premium, no regional metric.
    pub fta: bool,
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
    /// Cap on the reciprocal line after the ruling.
    pub cap: ParamId,
    /// The legal basis the ruling voids (an index of [`Lines::bases`]), if any.
    pub voids: Option<usize>,
    /// The interim surcharge that replaces the voided lines: its rate and the rounds it lasts
    /// from the ruling.
    pub interim: Option<(ParamId, u32)>,
    /// The share of the duties collected under the voided basis that the hegemon refunds.
    pub refunds: Option<ParamId>,
}

/// A tariff line besides the reciprocal one (MODEL.md 3.2), resolved.
#[derive(Clone, Debug)]
pub struct Measure {
    /// Name.
    pub name: String,
    /// Its legal basis, an index of [`Lines::bases`].
    pub basis: usize,
    /// Whether it also covers the share under the reciprocal line (e_i, drawn per run).
    pub covers_reciprocal: bool,
}

/// The line an event acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line {
    /// The strategy's reciprocal line.
    Reciprocal,
    /// A measure, by index of [`Lines::measures`].
    Measure(usize),
}

/// An event of the timeline, resolved.
#[derive(Clone, Debug)]
pub struct Event {
    /// The round it takes effect in.
    pub round: u32,
    /// The line it acts on.
    pub line: Line,
    /// The actors it applies to (every actor but the hegemon when the scenario lists none).
    pub targets: Vec<ActorId>,
    /// What it does.
    pub op: EventOp,
}

/// The hegemon's tariff lines besides the reciprocal one, and the timeline (MODEL.md 3.2).
#[derive(Clone, Debug, Default)]
pub struct Lines {
    /// Legal bases; index 0 is the reciprocal line's. At most 64 (one bit each).
    pub bases: Vec<String>,
    /// The measures.
    pub measures: Vec<Measure>,
    /// Share of actor i's exports to the hegemon that measure l covers through its export
    /// groups (the reciprocal share, when covered, is added per run).
    pub group_cover: Matrix<f64>,
    /// Share of actor i's exports to the hegemon in its export groups, summed.
    pub group_total: Vec<f64>,
    /// The events, by round (the scenario's order within a round).
    pub events: Vec<Event>,
}

/// A counter-tariff package sized by value (MODEL.md 3.3), resolved.
#[derive(Clone, Copy, Debug)]
pub struct Package {
    /// Value of the hegemon's exports covered, bn USD a year.
    pub value: ParamId,
    /// Counter-tariff on the covered goods.
    pub rate: ParamId,
    /// Suspended below this effective offered tariff.
    pub trigger: Option<f64>,
}

/// An actor's deal terms (MODEL.md 3.4, settlement), resolved.
#[derive(Clone, Copy, Debug)]
pub struct DealTerms {
    /// Share of the counter-tariff rule at the deal's tariff kept in a deal.
    pub keep_counter: ParamId,
    /// Rounds a deal lasts before it lapses unless renewed.
    pub expiry: Option<ParamId>,
    /// Chance that a lapsing deal is renewed.
    pub renewal: ParamId,
}

/// An actor's export controls (MODEL.md 3.4, phase 6), resolved.
#[derive(Clone, Copy, Debug)]
pub struct ExportControls {
    /// s_x: share of the actor's exports to each partner withheld.
    pub share: ParamId,
    /// λ_x: the importer's loss per dollar withheld.
    pub multiplier: ParamId,
    /// Share of the cut that falls on third countries' imports.
    pub spill: ParamId,
}

/// An actor's safeguard against deflected imports (MODEL.md 3.4, trade), resolved.
#[derive(Clone, Copy, Debug)]
pub struct Safeguard {
    /// θ: the surge that triggers it, share of its imports at the start from non-hegemon
    /// exporters.
    pub surge: ParamId,
    /// κ: the share of the inflow above the trigger it blocks.
    pub cut: ParamId,
}

/// The elasticities of national welfare from trade theory (MODEL.md 3.4, welfare), resolved.
#[derive(Clone, Copy, Debug)]
pub struct Welfare {
    /// ω: the inverse elasticity of an exporter's supply to a market that taxes it.
    pub supply_inverse: ParamId,
    /// s: the share of net lost export revenue that is lost income.
    pub rent_share: ParamId,
}

/// Security beliefs as inference and internal balancing (MODEL.md 3.4, phase 5), resolved.
#[derive(Clone, Copy, Debug)]
pub struct Beliefs {
    /// r: the share of the gap to the start that closes in a year.
    pub recovery: ParamId,
    /// Δθ: the threat's rise per round under the rival's sanction.
    pub threat_shock: ParamId,
    /// β: the defence added at full dependence, threat and lost faith.
    pub balancing: ParamId,
    /// β_θ: the defence added per unit rise of threat, if the world arms beside the alliance.
    pub arming: Option<ParamId>,
}

/// A security event (MODEL.md 3.4, phase 5), resolved.
#[derive(Clone, Debug)]
pub struct SecurityEvent {
    /// The round it is seen in.
    pub round: u32,
    /// What it is.
    pub kind: SecurityEventKind,
    /// The actors that see it.
    pub targets: Vec<ActorId>,
    /// Its weight (signals it is worth, or the threat's rise).
    pub size: ParamId,
}

/// What a rupture does, resolved.
#[derive(Clone, Copy, Debug)]
pub struct Rupture {
    /// The share of its alignment with the hegemon an ally drops when it leaves.
    pub alignment_loss: ParamId,
}

/// A validated scenario.
#[derive(Clone, Debug)]
pub struct World {
    /// Scenario name.
    pub name: String,
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
    /// The joint parameter sample, if the scenario has one: its parameters' entries hold the
    /// `Choice` of their column (their marginal), and each run takes all of them from one row.
    pub sample: Option<Sample>,
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
    pub trade0: Matrix<f64>,
    /// X_io(0): each actor's exports at the start to every market but itself and the hegemon
    /// (the rest of the world included), bn USD a year: where a hedge sells (MODEL.md 3.4).
    pub other0: Vec<f64>,
    /// Each actor's share of its exports at the start that go to the rival (0 without a
    /// rival): the pull of its tilt (MODEL.md 3.4, phase 5).
    pub rival_share0: Vec<f64>,
    /// The blocs.
    pub blocs: Vec<Bloc>,
    /// Stage of actor i in bloc b at round 0, `None` if not involved.
    pub initial_stage: Matrix<Option<Stage>>,
    /// Whether actor i may apply to bloc b.
    pub eligible: Matrix<bool>,
    /// Affinity of i toward j.
    pub affinity: Matrix<f64>,
    /// The hegemon's strategy.
    pub strategy: Strategy,
    /// The authority shock, if the scenario has one.
    pub court_shock: Option<CourtShock>,
    /// Tariff lines besides the reciprocal one, and the timeline.
    pub lines: Lines,
    /// Each actor's counter-tariff package, if it has one.
    pub package: Vec<Option<Package>>,
    /// Each actor's own defence commitment (target, years), if it has one.
    pub defense_path: Vec<Option<(ParamId, ParamId)>>,
    /// Each actor's deficit aversion: the largest trade deficit with a bloc's members, share
    /// of GDP, at which it still applies, if it has one.
    pub max_bloc_deficit: Vec<Option<ParamId>>,
    /// Each actor's deal terms, if it has any.
    pub deal_terms: Vec<Option<DealTerms>>,
    /// Each actor's export controls, if it has any (never the hegemon).
    pub export_controls: Vec<Option<ExportControls>>,
    /// Each actor's safeguard against deflected imports, if it has one (never the hegemon).
    pub safeguard: Vec<Option<Safeguard>>,
    /// q_S: the rival's sanction hazard per deal round with a security step, if the world has
    /// one.
    pub security_sanction_hazard: Option<ParamId>,
    /// Δz^C: the tilt toward the rival per round of hedging at κ = 0, if the world has one.
    pub rival_tilt: Option<ParamId>,
    /// The share of a hedge step a CG round adds, priced at the deal's tariff, if the world
    /// prices concede-and-hedge as its own bundle.
    pub concede_hedge_share: Option<ParamId>,
    /// The elasticities of national welfare, if the world states them (else ω = 0, s = 1).
    pub welfare: Option<Welfare>,
    /// Security beliefs as inference and internal balancing, if the world has them.
    pub beliefs: Option<Beliefs>,
    /// Security events, by round.
    pub security_events: Vec<SecurityEvent>,
    /// What a rupture does, if anything.
    pub rupture: Option<Rupture>,
    /// Share of trade crossing regional-bloc lines at round 0 (for `fragmentation`).
    pub initial_crossing_share: f64,
    /// Herfindahl index of each actor's export destinations at round 0.
    pub initial_hhi: Vec<f64>,
}

impl World {
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
    /// A sampled parameter leaves the joint sample: it takes `param` alone.
    pub fn set_param(&mut self, id: ParamId, param: Param) -> Result<(), String> {
        self.set_marginal(id, param)?;
        if let Some(s) = &self.sample
            && let Some(c) = s.column(id)
        {
            let rest = s.without(c);
            self.sample = (!rest.ids.is_empty()).then_some(rest);
        }
        Ok(())
    }

    /// Replaces parameter `id`'s distribution, checked against its range, leaving the joint
    /// sample as it is.
    pub(crate) fn set_marginal(&mut self, id: ParamId, param: Param) -> Result<(), String> {
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
    /// same values whatever the block a run is drawn in. The parameters of a joint sample then
    /// take the values of run r's row, picked by the r-th uniform of the sample's own slot:
    /// the other parameters' draws do not depend on whether a scenario has a sample.
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
        if let Some(s) = &self.sample {
            let nc = s.ids.len();
            let mut rng = SimRng::for_param(seed, sample_slot(), first);
            for k in 0..count {
                let row = s.row_of(rng.open01());
                for (c, &id) in s.ids.iter().enumerate() {
                    out[k * np + id as usize] = s.values[row * nc + c];
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

    /// Replaces a `File` timeline by the parsed timeline file's events.
    pub fn with_timeline(mut self, events: Vec<crate::scenario::EventSpec>) -> Scenario {
        self.timeline = Some(TimelineSource::Inline(events));
        self
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{PAID, scenario};
    use crate::world::World;

    fn world(extra: &str) -> Result<World, String> {
        let sc =
            crate::scenario::parse(&scenario(PAID, extra), "fixture").map_err(|e| e.to_string())?;
        World::from_scenario(&sc, "fixture").map_err(|e| e.to_string())
    }

    const UNCERTAIN: &str = r#"param_overrides: [("model.hedge_cost", Uniform(0.1, 0.3)),
        ("actors.OTH.resolve", Uniform(0, 1))],"#;

    /// Each run takes every sampled parameter from one row, the row its uniform in the sample's
    /// own slot picks; the other parameters' draws are those of the scenario without a sample.
    #[test]
    fn a_joint_sample_draws_whole_rows_and_leaves_other_draws_alone() {
        let sample = r#"param_sample: Some((paths: ["strategy.fee_share", "actors.ALLY.resolve"],
            rows: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])),"#;
        let plain = world(UNCERTAIN).unwrap();
        let w = world(&format!("{UNCERTAIN} {sample}")).unwrap();
        let fee = w.find_param("strategy.fee_share").unwrap() as usize;
        let resolve = w.find_param("actors.ALLY.resolve").unwrap() as usize;
        // Both count as uncertain, after the overrides' parameters (table order).
        let paths: Vec<&str> = w.uncertain().map(|(_, e)| e.path.as_str()).collect();
        assert_eq!(paths.len(), 4, "{paths:?}");
        assert!(paths.contains(&"strategy.fee_share") && paths.contains(&"actors.ALLY.resolve"));
        let (mut a, mut b, mut one) = (Vec::new(), Vec::new(), Vec::new());
        plain.draw_params_block(7, 0, 300, &mut a);
        w.draw_params_block(7, 0, 300, &mut b);
        let np = w.n_params();
        let mut seen = [0usize; 3];
        let mut slot = crate::rng::SimRng::for_param(7, crate::rng::sample_slot(), 0);
        for k in 0..300 {
            let (ra, rb) = (&a[k * np..(k + 1) * np], &b[k * np..(k + 1) * np]);
            let row = ((slot.open01() * 3.0) as usize).min(2);
            seen[row] += 1;
            assert_eq!(rb[fee], [0.1, 0.3, 0.5][row]);
            assert_eq!(rb[resolve], [0.2, 0.4, 0.6][row]);
            for p in 0..np {
                if p != fee && p != resolve {
                    assert_eq!(ra[p].to_bits(), rb[p].to_bits(), "{}", w.params[p].path);
                }
            }
            // One run drawn alone gets the values of the block.
            w.draw_params(7, k as u64, &mut one);
            assert_eq!(one, rb);
        }
        assert!(seen.iter().all(|&n| n > 70), "{seen:?}");
    }

    /// A sweep's value for a sampled parameter takes it out of the sample; the others stay.
    #[test]
    fn setting_a_sampled_parameter_drops_its_column() {
        let mut w = world(
            r#"param_sample: Some((paths: ["strategy.fee_share", "actors.ALLY.resolve"],
            rows: [[0.1, 0.2], [0.3, 0.4]])),"#,
        )
        .unwrap();
        let fee = w.find_param("strategy.fee_share").unwrap();
        let resolve = w.find_param("actors.ALLY.resolve").unwrap();
        w.set_param(fee, crate::Param::Fixed(0.9)).unwrap();
        let s = w.sample.as_ref().unwrap();
        assert_eq!(
            (s.ids.clone(), s.values.clone()),
            (vec![resolve], vec![0.2, 0.4])
        );
        let mut v = Vec::new();
        w.draw_params(3, 0, &mut v);
        assert_eq!(v[fee as usize], 0.9);
        w.set_param(resolve, crate::Param::Fixed(0.5)).unwrap();
        assert!(w.sample.is_none());
    }

    #[test]
    fn malformed_samples_are_refused_with_the_field() {
        let cases = [
            (
                r#"paths: ["strategy.fee_shar"], rows: [[0.1]]"#,
                "param_sample.paths[0]",
                "strategy.fee_share",
            ),
            (
                r#"paths: ["strategy.fee_share", "strategy.fee_share"], rows: [[0.1, 0.1]]"#,
                "param_sample.paths[1]",
                "listed twice",
            ),
            (
                r#"paths: ["model.hedge_cost"], rows: [[0.1]]"#,
                "param_sample.paths[0]",
                "param_overrides[0]",
            ),
            (
                r#"paths: ["strategy.fee_share"], rows: [[0.1], [0.2, 0.3]]"#,
                "param_sample.rows[1]",
                "has 2 values, but paths lists 1",
            ),
            (
                r#"paths: ["strategy.fee_share", "actors.ALLY.resolve"], rows: [[0.1, 0.2], [0.3, 1.5]]"#,
                "param_sample.rows[1][1]",
                "actors.ALLY.resolve: value 1.5 is outside the allowed range [0, 1]",
            ),
            (
                r#"paths: ["strategy.fee_share"], rows: []"#,
                "param_sample.rows",
                "no row",
            ),
            (
                r#"paths: [], rows: [[]]"#,
                "param_sample.paths",
                "no parameter",
            ),
        ];
        for (body, at, want) in cases {
            let e = world(&format!("{UNCERTAIN} param_sample: Some(({body})),")).unwrap_err();
            assert!(e.contains(at) && e.contains(want), "{body}: {e}");
        }
    }
}
