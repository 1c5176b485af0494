//! The scenario file: serde types of what a user writes (RON), and `parse`.
//!
//! A scenario names a world (inline, or a world file to include), a hegemon strategy, an
//! optional shock, and the batch settings (seed, runs, rounds). Parsing checks only the shape
//! of the file (`deny_unknown_fields` everywhere); ranges, names and sums are checked once by
//! [`crate::world::World::from_scenario`]. The format is documented field by field in
//! `scenarios/README.md`.

use serde::{Deserialize, Serialize};

use crate::error::ScenarioError;
use crate::param::Param;

/// Declares a struct of named model numbers, generic over what is stored per field (a `Param`
/// in a file, a parameter id in a `World`, an `f64` in a run), with each field's valid range.
macro_rules! param_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident in [$lo:expr, $hi:expr], )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(deny_unknown_fields)]
        pub struct $name<T> {
            $(
                $(#[$fmeta])*
                // The validator's range, in the JSON Schema: a plain number must lie in it
                // (the bounds of a distribution are checked by `statecraft validate`).
                #[cfg_attr(feature = "schema", schemars(extend("minimum" = $lo, "maximum" = $hi)))]
                pub $field: T,
            )*
        }

        impl<T> $name<T> {
            /// Every field's name and valid range `[lo, hi]`, in declaration order.
            pub const FIELDS: &'static [(&'static str, f64, f64)] =
                &[$( (stringify!($field), $lo, $hi), )*];

            /// Applies `f(name, lo, hi, value)` to every field, in declaration order.
            pub fn map_named<U>(
                &self,
                mut f: impl FnMut(&'static str, f64, f64, &T) -> U,
            ) -> $name<U> {
                $name { $( $field: f(stringify!($field), $lo, $hi, &self.$field), )* }
            }

            /// Applies `f` to every field, in declaration order.
            pub fn map<U>(&self, mut f: impl FnMut(&T) -> U) -> $name<U> {
                $name { $( $field: f(&self.$field), )* }
            }

            /// The field called `name`, if there is one.
            pub fn get_mut(&mut self, name: &str) -> Option<&mut T> {
                match name {
                    $( stringify!($field) => Some(&mut self.$field), )*
                    _ => None,
                }
            }
        }
    };
}

param_struct! {
    /// The model constants of MODEL.md 3.2–3.4 (each may be a distribution, MODEL.md 3.1).
    /// Units and sources: `scenarios/README.md` and `MODEL.md`.
    pub struct ModelParams {
        /// ε_SR: trade elasticity to tariffs in the first year (Boehm, Levchenko &
        /// Pandalai-Nayar 2023: about 0.76).
        elasticity_sr in [0.0, 20.0],
        /// ε_LR: long-run trade elasticity (1.75–5).
        elasticity_lr in [0.0, 20.0],
        /// T_adj: years over which ε(t) moves from ε_SR toward ε_LR.
        adjustment_years in [0.01, 100.0],
        /// μ: weight of the exporter's volume loss (pass-through), 0–1.
        volume_loss_weight in [0.0, 1.0],
        /// ψ: share of lost exports re-routed to other partners, 0–1.
        reroute_share in [0.0, 1.0],
        /// π_RTA: trade premium between partners sharing a regional bloc in force.
        rta_premium in [0.0, 5.0],
        /// Years over which a new bloc membership phases its premium in.
        rta_phase_in_years in [0.0, 50.0],
        /// λ: rationality of the quantal response, per % of GDP of cost difference.
        rationality in [0.0, 1.0e6],
        /// γ: hedge stock added per round at hedging capacity 1.
        hedge_speed in [0.0, 1.0],
        /// c_h: one-off cost of diverting a unit of exports, as a share of the diverted value.
        hedge_cost in [0.0, 10.0],
        /// c_r: weight of the counter-tariff's cost to the retaliator's own importers.
        retaliation_cost in [0.0, 10.0],
        /// b_r: domestic reward of retaliating at resolve 1, % of GDP.
        resolve_benefit in [0.0, 100.0],
        /// φ_d: share of the gap to the defence target closed per year under a deal.
        defense_adjustment in [0.0, 1.0],
        /// α_κ: share of the way credibility moves toward its target each round.
        credibility_adjustment in [0.0, 1.0],
        /// α_a: autonomy gained per hedging round at hedging capacity 1.
        autonomy_from_hedging in [0.0, 1.0],
        /// α_d: autonomy gained per unit (share of GDP) of added defence spending.
        autonomy_from_defense in [0.0, 1000.0],
        /// σ_S: scale of the security cost, % of GDP at full exposure.
        security_weight in [0.0, 1000.0],
        /// ρ_renege: per-round hazard that a deal re-opens.
        renege_hazard in [0.0, 1.0],
        /// Δτ_esc: tariff added by the hegemon against a retaliator.
        escalation in [0.0, 10.0],
        /// Counter-tariff of a retaliator as a multiple of the tariff it faces.
        retaliation_match in [0.0, 10.0],
        /// w_H: the hegemon's own weight in the roll-back contest.
        hegemon_weight in [0.0, 1.0e3],
        /// β_B: deal-rate discount the hegemon grants a bandwagoner.
        bandwagon_discount in [0.0, 1.0],
        /// Δz: alignment gained per bandwagon round.
        alignment_step in [0.0, 1.0],
        /// q_C: rival sanction hazard per unit of alignment gained.
        rival_sanction_hazard in [0.0, 1.0],
        /// δ_C: share of exports to the rival cut by a sanction.
        rival_sanction_cut in [0.0, 1.0],
        /// k_C: rounds a rival sanction lasts.
        rival_sanction_rounds in [0.0, 1000.0],
        /// σ_C: entrapment weight on exposure to the rival, % of GDP per unit of X_iC/Y_i.
        entrapment_weight in [0.0, 1000.0],
        /// δ: per-round discount factor of the horizon factor F.
        discount in [0.0, 1.0],
        /// η_max: largest hedge stock.
        max_hedge in [0.0, 1.0],
        /// k_apply: hedging rounds after which an actor applies to its eligible blocs.
        hedge_rounds_to_apply in [0.0, 1000.0],
        /// δ_R: credibility lost in a round the actor retaliates.
        credibility_penalty_retaliation in [0.0, 1.0],
        /// π(0): prior belief that the hegemon is an extortionist.
        prior_extortionist in [0.0, 1.0],
        /// Extraction cap: annual tariff revenue plus payments from an actor, as a share of its
        /// GDP, above which it reads the round as extortion.
        extraction_cap in [0.0, 1.0],
        /// P(extraction above the cap | extortionist).
        signal_if_extortionist in [0.0, 1.0],
        /// P(extraction above the cap | reliable ally).
        signal_if_reliable in [0.0, 1.0],
        /// Credibility below which an ally's alliance counts as ruptured.
        rupture_threshold in [0.0, 1.0],
        /// Largest tariff the hegemon can impose, after escalation.
        max_tariff in [0.0, 10.0],
        /// Defence benchmark for `allies_at_3_5pct`, share of GDP.
        defense_benchmark in [0.0, 1.0],
    }
}

param_struct! {
    /// The numeric fields of an actor (MODEL.md 1.2); each may be a distribution.
    pub struct ActorParams {
        /// Y_i: GDP, bn USD per year.
        gdp in [1.0e-6, 1.0e9],
        /// d_i: defence spending, share of GDP.
        defense in [0.0, 1.0],
        /// s_i: how much the actor's security rests on the hegemon's guarantee.
        security_dependence in [0.0, 1.0],
        /// θ_i: external threat the actor faces.
        threat in [0.0, 1.0],
        /// r_i: resolve (Axelrod's toughness).
        resolve in [0.0, 1.0],
        /// h_i: hedging capacity.
        hedging_capacity in [0.0, 1.0],
        /// v_i: share of exports to the hegemon in high value-added sectors.
        high_value_share in [0.0, 1.0],
        /// e_i: share of exports to the hegemon hit by discretionary tariffs.
        exposure in [0.0, 1.0],
        /// χ_i: leverage over the hegemon through critical inputs.
        chokepoint in [0.0, 100.0],
        /// κ_i(0): initial belief that the hegemon's guarantee holds.
        credibility in [0.0, 1.0],
        /// a_i(0): initial defence self-reliance.
        autonomy in [0.0, 1.0],
    }
}

/// A scenario file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The JSON Schema a JSON scenario names for its editor (`"$schema": "scenario.schema.json"`,
    /// from `statecraft schema`): read and ignored, never written.
    #[serde(rename = "$schema", default, skip_serializing)]
    pub schema: Option<String>,
    /// Short name, used for the default output folder.
    pub name: String,
    /// What the scenario represents, in a sentence or two.
    pub description: String,
    /// Default seed of a batch.
    pub seed: u64,
    /// Default number of Monte Carlo runs.
    pub runs: u64,
    /// Rounds per run (quarters when `rounds_per_year` is 4).
    pub rounds: u32,
    /// Rounds in a year: per-round amounts are annual ones divided by it.
    pub rounds_per_year: u32,
    /// The world: `Inline((...))` or `File("path relative to this file")`.
    pub world: WorldSource,
    /// The hegemon's strategy.
    pub strategy: StrategySpec,
    /// Phase 0 shock: the constraint of the hegemon's tariff authority, if any.
    #[serde(default)]
    pub court_shock: Option<CourtShockSpec>,
    /// The timeline of announced measures (MODEL.md 3.2): `Some(Inline([...]))` or
    /// `Some(File("path relative to this file"))`; the strategy acts on top of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeline: Option<TimelineSource>,
    /// Replacements for model constants of the world, by field name.
    #[serde(default)]
    pub model_overrides: Vec<(String, Param)>,
    /// Replacements for any parameter, by the path validation errors and `statecraft validate
    /// --params` print (`actors.JPN.resolve`, `strategy.fee_share`, ...); applied last, so
    /// they win over the world file and `model_overrides`. `statecraft patterns --abc
    /// --emit-scenario` writes its posterior here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub param_overrides: Vec<(String, Param)>,
    /// A joint sample of parameters (MODEL.md 3.1): each run takes one of its rows, drawn
    /// uniformly, and every listed parameter that row's value, so the parameters keep their
    /// dependence. `statecraft patterns --abc --emit-scenario --emit-as sample` writes the
    /// accepted runs' draws here. A path may not also be in `param_overrides`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param_sample: Option<ParamSample>,
    /// The patterns file of `statecraft patterns`, relative to this file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patterns: Option<String>,
    /// The default design of `statecraft sweep` and `statecraft sensitivity` (the command
    /// line's `--param` and `--design` replace it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepSpec>,
    /// Named strategy variants for `statecraft tournament` (not used by `run`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variants: Option<VariantsSpec>,
}

/// A joint sample of parameters: `paths` name the parameters (as `param_overrides` does), each
/// row of `rows` gives one value per path, in that order. Run r takes row
/// ⌊u_r·N⌋ (N rows), u_r its uniform in the parameter stream's own slot `param_sample`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ParamSample {
    /// The parameters, by path (`strategy.fee_share`, `actors.JPN.resolve`, ...).
    pub paths: Vec<String>,
    /// The rows: one value per path each.
    pub rows: Vec<Vec<f64>>,
}

/// A sweep section: which parameters to vary and how.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SweepSpec {
    /// Parameters by path (`model.elasticity_lr`, `actors.JPN.resolve`, ...), each with a
    /// uniform range `Some((lo, hi))`, or `None` to sample the parameter's own distribution.
    pub params: Vec<(String, Option<(f64, f64)>)>,
    /// `"grid"`, `"random"`, `"lhs"` or `"sobol"` [default: `"lhs"`].
    #[serde(default)]
    pub design: Option<String>,
    /// Design points (random, lhs, sobol) [default: 64].
    #[serde(default)]
    pub points: Option<usize>,
    /// Levels per parameter of a grid [default: 5].
    #[serde(default)]
    pub levels: Option<usize>,
    /// Replications per point [default: 1000].
    #[serde(default)]
    pub runs: Option<u64>,
}

/// Named strategy variants for a tournament: in a scenario's `variants` field or in a
/// strategies file of their own. Adding a variant is a matter of data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VariantsSpec {
    /// Hegemon strategies with their parameters.
    #[serde(default)]
    pub hegemon: Vec<HegemonVariant>,
    /// Ally policies with their parameters (a policy for every ally at once).
    #[serde(default)]
    pub allies: Vec<AllyVariant>,
    /// Profiles: a policy per actor.
    #[serde(default)]
    pub profiles: Vec<ProfileSpec>,
}

/// A named hegemon strategy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HegemonVariant {
    /// The variant's name (as `--hegemon` and the tables give it).
    pub name: String,
    /// The strategy, as a scenario's `strategy` field writes it.
    pub strategy: StrategySpec,
}

/// A named ally policy, given to every ally (every actor but the hegemon and the rival).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AllyVariant {
    /// The variant's name (as `--allies` and the tables give it).
    pub name: String,
    /// The policy, as an actor's `policy` field writes it.
    pub policy: Policy,
}

/// A named profile: a policy for each listed actor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProfileSpec {
    /// The profile's name.
    pub name: String,
    /// `[("JPN", AlwaysConcede), ...]`: the policy of each listed actor.
    pub policies: Vec<(String, Policy)>,
    /// The policy of every ally not listed; `None` keeps the scenario's policies.
    #[serde(default)]
    pub others: Option<Policy>,
}

/// Where a scenario's world comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum WorldSource {
    /// The world written inside the scenario.
    Inline(Box<WorldSpec>),
    /// A world file, relative to the scenario's folder; the CLI reads it.
    File(String),
}

/// The world: actors, trade, blocs and model constants, shared by scenarios.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WorldSpec {
    /// The hegemon's actor name.
    pub hegemon: String,
    /// The rival's actor name, if the world has one.
    pub rival: Option<String>,
    /// Name of the rest of the world in trade entries.
    pub rest_of_world: String,
    /// Model constants.
    pub model: ModelParams<Param>,
    /// The actors.
    pub actors: Vec<ActorSpec>,
    /// Exports X_ij(0), bn USD per year, for every listed ordered pair and each actor's
    /// exports to the rest of the world. Unlisted pairs trade nothing.
    pub trade: Vec<TradeSpec>,
    /// Trade and political blocs.
    #[serde(default)]
    pub blocs: Vec<BlocSpec>,
    /// Affinity of any actor to any other unless listed in `affinity`, 0–1.
    pub default_affinity: f64,
    /// Legal basis of the strategy's reciprocal line (a court ruling may void a basis)
    /// [default: `"discretionary"`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reciprocal_basis: Option<String>,
    /// Tariff lines besides the strategy's reciprocal line (sectoral lines, surcharges): each
    /// with its legal basis and the product groups it covers. Their rates come from the
    /// scenario's timeline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<MeasureSpec>,
    /// Affinity of `from` toward `to` (used by the consensus veto), 0–1.
    #[serde(default)]
    pub affinity: Vec<AffinitySpec>,
    /// q_S: the rival's sanction hazard per deal round in which an actor takes a security
    /// step with the hegemon (a defence rise the deal asks, or host-nation support it pays),
    /// 0–1 (MODEL.md 3.4, phase 6) [default: none, only alignment triggers a sanction].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_sanction_hazard: Option<Param>,
    /// Δz^C: the tilt toward the rival of a round of hedging by an actor that has lost faith
    /// in the hegemon's guarantee, times 1 − κ_i (half for CG), 0–1 (MODEL.md 3.4, phase 5)
    /// [default: none, no actor tilts].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rival_tilt: Option<Param>,
    /// Concede-and-hedge as its own bundle (MODEL.md 3.3): the share of a full hedge step a
    /// CG round adds, its saving priced at the deal's tariff, 0–1 [default: none, half a
    /// step priced as G's hedge at the offer].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concede_hedge_share: Option<Param>,
    /// National welfare from trade theory (MODEL.md 3.4, welfare): the inverse export supply
    /// elasticity ω and the rent share s of net lost export revenue [default: none, ω = 0 and
    /// s = 1: exporters bear none of a tariff and lose all of their net lost revenue].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welfare: Option<WelfareSpec>,
    /// Security beliefs as inference and internal balancing (MODEL.md 3.4, phase 5): drawn
    /// signals of the hegemon's conduct, beliefs and threat that recover toward their start,
    /// threat raised by the rival's coercion, defence raised against threat and lost faith
    /// [default: none, the deterministic signal, no recovery, fixed threat, defence only
    /// through deals and commitments].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beliefs: Option<BeliefsSpec>,
    /// The hegemon's security conduct and the threat environment as events (MODEL.md 3.4,
    /// phase 5): guarantees questioned or reaffirmed, threats raised; the world must have
    /// `beliefs` [default: none].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_events: Vec<SecurityEventSpec>,
    /// What a rupture does (MODEL.md 3.4, phase 5): a treaty ally whose credibility falls below
    /// `rupture_threshold` leaves the guarantee [default: none, a rupture is only recorded].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rupture: Option<RuptureSpec>,
    /// Replacements for parameters of the world by path (`model.*`, `actors.NAME.*`), applied
    /// after the fields above and before a scenario's own `param_overrides`: where a
    /// calibration (`statecraft patterns --abc`) states its posterior.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub param_overrides: Vec<(String, Param)>,
}

/// One state actor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ActorSpec {
    /// Name (the calibration's code: USA, CHN, EU27, ...).
    pub name: String,
    /// Numeric fields.
    pub params: ActorParams<Param>,
    /// Overrides the model's λ for this actor.
    #[serde(default)]
    pub rationality: Option<Param>,
    /// Treaty ally of the hegemon (counts for cohesion, rupture and the defence benchmark).
    pub treaty_ally: bool,
    /// A pole of the trading system. No output reads it since `multipolarity` was dropped
    /// (MODEL.md 3.5); kept so that scenario files stay valid.
    #[serde(default)]
    pub pole: bool,
    /// Blocs the actor is a member of at round 0.
    #[serde(default)]
    pub blocs: Vec<String>,
    /// Blocs the actor may apply to.
    #[serde(default)]
    pub eligible: Vec<String>,
    /// Applications pending at round 0.
    #[serde(default)]
    pub applications: Vec<ApplicationSpec>,
    /// Share of the actor's exports to the hegemon in each named product group outside the
    /// reciprocal line (sectoral goods, exempt goods), each 0–1. The share under the
    /// reciprocal line is `exposure` (the group `"reciprocal"` of a measure's `covers`); the
    /// rest, 1 − exposure − Σ groups, is outside every line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub export_groups: Vec<(String, f64)>,
    /// A counter-tariff package sized by value, replacing the matching rule of MODEL.md 3.3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retaliation: Option<RetaliationSpec>,
    /// The actor's own defence commitment: a straight path from its defence spending at round
    /// 0 to `target` (share of GDP) in `years`, followed whatever it does with the hegemon's
    /// trade demands (MODEL.md 3.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defense_path: Option<DefensePathSpec>,
    /// The applicant's will (MODEL.md 3.4, blocs): the actor applies to an eligible bloc only
    /// while its trade deficit with the bloc's members in force, at the start's trade, is at
    /// most this share of its GDP (deficit aversion) [default: no such condition].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bloc_deficit: Option<Param>,
    /// A customs union (one trade policy for its members): it may be eligible only for blocs
    /// that admit customs unions.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub customs_union: bool,
    /// What the actor keeps and how long its deals last (MODEL.md 3.4, settlement): a truce
    /// that keeps part of its counter-tariff, and deals that lapse unless renewed [default: a
    /// deal lifts the counter-tariff whole and lasts until re-opened].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal_terms: Option<DealTermsSpec>,
    /// The actor's export controls (MODEL.md 3.4, phase 6): in force in a round in which it
    /// retaliates against the hegemon, lifted by any other action; not for the hegemon
    /// [default: none].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_controls: Option<ExportControlsSpec>,
    /// The actor's safeguard against deflected imports (MODEL.md 3.4, trade): when the exports
    /// other actors re-route to it surge past a share of its imports from them, it blocks part
    /// of the excess; not for the hegemon [default: none].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safeguard: Option<SafeguardSpec>,
    /// How the actor decides.
    pub policy: Policy,
}

/// A counter-tariff package (MODEL.md 3.3): real retaliation lists cover a declared value of
/// the hegemon's exports at a stated rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RetaliationSpec {
    /// Value of the hegemon's exports to the actor the package covers, bn USD a year (at most
    /// all of them).
    pub value: Param,
    /// The counter-tariff on the covered goods.
    pub rate: Param,
    /// A suspended package: it can be put in force only while the effective tariff the
    /// hegemon offers the actor exceeds this share (`None`: always available).
    #[serde(default)]
    pub trigger: Option<f64>,
}

/// The terms on which an actor takes a deal (MODEL.md 3.4, settlement): the truce of a
/// retaliator that keeps a residual counter-tariff, and deals with an expiry date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DealTermsSpec {
    /// The counter-tariff kept in a deal, as a share of what the actor's counter-tariff rule
    /// gives at the deal's tariff (1: it mirrors the tariff the deal leaves; 0: lifted whole)
    /// [default: 0].
    #[serde(default = "zero_param")]
    pub keep_counter: Param,
    /// Rounds a deal lasts before it lapses (the tariff returns to the offer) unless renewed
    /// [default: no expiry].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<Param>,
    /// The chance that a deal reaching its expiry is renewed for as long again [default: 0].
    #[serde(default = "zero_param")]
    pub renewal: Param,
}

/// An actor's export controls (MODEL.md 3.4, phase 6): licensing of controlled goods that
/// withholds a share of its exports while it retaliates against the hegemon, costing the
/// importers a multiple of what is withheld.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportControlsSpec {
    /// s_x: the share of the actor's exports to each partner that the controls withhold (the
    /// controlled goods), 0–1.
    pub share: Param,
    /// λ_x: the importer's loss per dollar withheld (downstream output disrupted), 0–100.
    pub multiplier: Param,
    /// The share of the cut that falls on third countries' imports from the actor (licensing
    /// applies to every destination), 0–1.
    pub spill: Param,
}

/// A safeguard against deflected imports (MODEL.md 3.4, trade): trade remedies (safeguards,
/// anti-dumping duties) that a third country puts up when goods kept out of the hegemon's
/// market are re-routed to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SafeguardSpec {
    /// θ: the surge that triggers it, the re-routed inflow as a share of the actor's imports at
    /// the start from the exporters other than the hegemon, 0–10.
    pub surge: Param,
    /// κ: the share of the inflow above the trigger that it blocks (the deflected goods under
    /// remedy), 0–1.
    pub cut: Param,
}

/// The two elasticities of national welfare from trade theory (MODEL.md 3.4, welfare).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WelfareSpec {
    /// ω: the inverse elasticity of an exporter's supply to a market that taxes it, 0–10 (0:
    /// flat supply, the importer's consumers pay all of its tariff; the optimal tariff of a
    /// large importer is ω/(1 + εω)).
    pub supply_inverse: Param,
    /// s: the share of an exporter's net lost export revenue (after re-routing) that is lost
    /// income, the rent of factors not re-employed within the year, 0–1 (1: all of it, as gross
    /// value; a specific-factors reading puts it well below the value-added share).
    pub rent_share: Param,
}

/// Security beliefs as inference and internal balancing (MODEL.md 3.4, phase 5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BeliefsSpec {
    /// r: the share of the gap between an actor's belief (and threat) and its start that
    /// closes in a year, 0–1 (memory fades: beliefs recover).
    pub recovery: Param,
    /// Δθ: the rise of an actor's threat in a round it is under the rival's sanction, share
    /// of the way to 1, 0–1.
    pub threat_shock: Param,
    /// β: internal balancing, the defence (share of GDP) an actor of full security dependence
    /// and threat aims to add when it has lost all faith in the guarantee, 0–0.1.
    pub balancing: Param,
    /// β_θ: arming beside the alliance, the defence (share of GDP) an actor aims to add per
    /// unit rise of its threat above its start, whatever its faith, 0–0.1 [default: none].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arming: Option<Param>,
}

/// One event of the hegemon's security conduct or of the threat environment (MODEL.md 3.4,
/// phase 5), seen in phase 5 of its round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SecurityEventSpec {
    /// The round it is seen in.
    pub round: u32,
    /// What it is.
    pub kind: SecurityEventKind,
    /// The actors that see it; empty: every actor but the hegemon.
    #[serde(default)]
    pub targets: Vec<String>,
    /// Its weight: for a signal, the number of conduct signals it is worth (the power of the
    /// likelihood), 0–10; for a threat, the share of the way to 1 the threat rises, 0–1.
    pub size: Param,
}

/// The kinds of [`SecurityEventSpec`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum SecurityEventKind {
    /// The guarantee questioned (a leader doubting a defence commitment, troops withdrawn or
    /// put up for payment): evidence of an extortionist, likelihoods p_E and p_R.
    Questioned,
    /// The guarantee reaffirmed (a commitment restated, troops reinforced): evidence of a
    /// reliable ally, likelihoods 1 − p_E and 1 − p_R.
    Reaffirmed,
    /// The threat raised (exercises, missile tests, an attack nearby).
    Threat,
}

/// What a rupture does (MODEL.md 3.4, phase 5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RuptureSpec {
    /// The share of its alignment with the hegemon an ally drops when it leaves the guarantee,
    /// 0–1.
    pub alignment_loss: Param,
}

fn zero_param() -> Param {
    Param::Fixed(0.0)
}

/// A defence commitment that needs no trade deal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DefensePathSpec {
    /// Defence spending aimed at, share of GDP.
    pub target: Param,
    /// Years from the start of the run to reach it.
    pub years: Param,
}

/// A tariff line besides the reciprocal one (MODEL.md 3.2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MeasureSpec {
    /// Name, as the timeline's events and the strategy's `deal_caps` refer to it.
    pub name: String,
    /// Its legal basis (`"Section-232"`, `"IEEPA"`, ...): a ruling voids every line of a basis.
    pub basis: String,
    /// The product groups it covers: names of actors' `export_groups`, or `"reciprocal"` for
    /// the share under the reciprocal line (a surcharge that stacks on it).
    pub covers: Vec<String>,
}

/// Where a scenario's timeline comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum TimelineSource {
    /// The events written inside the scenario.
    Inline(Vec<EventSpec>),
    /// A file holding a list of events, relative to the scenario's folder; the CLI reads it.
    File(String),
}

/// One announced measure on the timeline (MODEL.md 3.2): applied at the start of its round,
/// in the order listed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// The round it takes effect in.
    pub round: u32,
    /// The measure's name, or `"reciprocal"` for the strategy's reciprocal line.
    pub measure: String,
    /// The actors it applies to; empty: every actor but the hegemon.
    #[serde(default)]
    pub targets: Vec<String>,
    /// What it does.
    pub op: EventOp,
}

/// What an event does to a line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum EventOp {
    /// The line's rate on the targets becomes this share (an announcement, a raise, a cut);
    /// on the reciprocal line it replaces the strategy's offer.
    Set(f64),
    /// The line's rate on the targets is at most this share until a `Resume` (a pause, a
    /// truce).
    Pause(f64),
    /// Ends a pause on the targets.
    Resume,
    /// The line's rate on the targets returns to zero (the reciprocal line: to the strategy's
    /// own offer).
    Clear,
    /// Voids the measure's legal basis: every line of that basis, on every actor, from this
    /// round on.
    Void,
}

/// An application pending at round 0.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplicationSpec {
    /// The bloc applied to.
    pub bloc: String,
    /// The stage reached.
    pub stage: Stage,
}

/// Stages of an accession.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Stage {
    /// Application lodged.
    Applied,
    /// Accession working group formed.
    WorkingGroup,
    /// Accession protocol signed.
    Signed,
    /// Membership in force.
    InForce,
}

/// One exports entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TradeSpec {
    /// Exporter.
    pub from: String,
    /// Importer (an actor or the rest of the world).
    pub to: String,
    /// Exports, bn USD per year.
    pub value: f64,
}

/// A bloc (a trade agreement such as CPTPP or RCEP).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BlocSpec {
    /// Name.
    pub name: String,
    /// Whether membership gives the regional trade premium π_RTA.
    pub regional: bool,
    /// A bilateral free-trade agreement (MODEL.md 3.4, blocs): its parties share the premium
    /// π_RTA like a regional bloc's members, but it counts in no regional metric; its stages
    /// read negotiating (applied), concluded (working group), signed and in force. Needs
    /// `regional: false` [default: false].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fta: bool,
    /// A member's affinity to an applicant below this stalls the application (consensus).
    pub veto_threshold: f64,
    /// Whether a customs union may accede [default: no; accession is for states or separate
    /// customs territories].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub admits_customs_unions: bool,
    /// Per-round hazards of the accession stages.
    pub hazards: HazardSpec,
}

/// Per-round hazards of moving from one accession stage to the next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HazardSpec {
    /// Applied → working group.
    pub working_group: Param,
    /// Working group → signed.
    pub signed: Param,
    /// Signed → in force.
    pub in_force: Param,
}

/// Affinity of one actor toward another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AffinitySpec {
    /// The actor who feels it (a bloc member).
    pub from: String,
    /// The actor it is felt toward (an applicant).
    pub to: String,
    /// 0 (hostile) to 1 (close).
    pub value: f64,
}

/// How an actor other than the hegemon decides (MODEL.md 3.3).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Policy {
    /// The quantal-response rule over the five actions (McKelvey–Palfrey).
    Quantal,
    /// Always concede.
    AlwaysConcede,
    /// Always retaliate.
    AlwaysRetaliate,
    /// Always hedge.
    AlwaysHedge,
    /// Always concede and hedge.
    ConcedeAndHedge,
    /// Always bandwagon.
    Bandwagon,
    /// Retaliate iff the hegemon demands a higher tariff than the one in force, else concede.
    TitForTat,
    /// Concede iff cost(R) > toughness·cost(C), else retaliate (Axelrod's rule B5).
    Threshold {
        /// The multiple of the concession's cost that retaliation must exceed.
        toughness: f64,
    },
    /// Concede until the hegemon first raises its demand or the tariff in force (the trigger of
    /// tit-for-tat), then retaliate in every round for the rest of the run (Axelrod's Grim
    /// trigger, Friedman 1971).
    Grim,
    /// Hedge in rounds 0 to `rounds − 1`, concede from round `rounds` on: buy time to divert
    /// trade, then take the deal.
    HedgeThenConcede {
        /// Rounds spent hedging before conceding.
        rounds: u32,
    },
}

impl Policy {
    /// Whether the rule prices the five actions before it chooses (the quantal response and
    /// the threshold rule); the other policies choose from what they remember of the run.
    pub fn prices_actions(&self) -> bool {
        matches!(self, Policy::Quantal | Policy::Threshold { .. })
    }
}

/// The hegemon's strategy (MODEL.md 3.2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum StrategySpec {
    /// No tariffs, fees, targets or linkage: the post-1945 order.
    OpenOrder,
    /// `rate` on the named targets only, no linkage (2018).
    TargetedPunitive {
        /// Tariff on the targets.
        rate: Param,
        /// Actor names.
        targets: Vec<String>,
    },
    /// The USTR formula of 2 April 2025, deals, fees, defence targets and linkage.
    PaidAccess(PaidAccessSpec),
    /// PaidAccess with demands scaled by a learned multiplier per target.
    AdaptiveExtortion {
        /// The demands before scaling.
        base: PaidAccessSpec,
        /// Growth of the multiplier after a concession.
        up: Param,
        /// Shrinkage of the multiplier after a costly retaliation.
        down: Param,
        /// Lower and upper bounds of the multiplier.
        bounds: (f64, f64),
    },
    /// A common base tariff raised by `step` on whoever retaliated last round (Conybeare).
    Reciprocal {
        /// The base tariff on every target.
        base: Param,
        /// Tariff added after each retaliation.
        step: Param,
    },
    /// PaidAccess with every tariff capped from round 0 (authority already constrained).
    ConstrainedPaidAccess {
        /// The demands before the cap.
        base: PaidAccessSpec,
        /// The cap on any tariff.
        cap: Param,
    },
}

/// Parameters of the paid-access demand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PaidAccessSpec {
    /// Baseline tariff: the offer is never below it.
    pub floor: Param,
    /// Largest offer.
    pub max_rate: Param,
    /// Deal rates by target; never above the offer.
    pub deal_rates: Vec<(String, Param)>,
    /// Deal rate of targets not listed in `deal_rates`.
    pub default_deal_rate: Param,
    /// φ_f: annual fee or pledge as a share of the target's surplus with the hegemon.
    pub fee_share: Param,
    /// φ_f by target where it differs from `fee_share` (0: the deal asks no fee of it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fee_shares: Vec<(String, Param)>,
    /// g: defence-spending target, share of GDP, for security-dependent targets.
    pub defense_target: Param,
    /// F^sec: annual host-nation demands by target, bn USD.
    pub host_fees: Vec<(String, Param)>,
    /// ℓ: linkage of the security guarantee to compliance, 0–1.
    pub linkage: Param,
    /// Caps a deal puts on other lines: `(measure, actor, rate)`: while the actor is in a deal,
    /// that measure's rate on it is at most `rate` (autos at 15%, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deal_caps: Vec<(String, String, Param)>,
    /// Pressure on targets that do not deal (MODEL.md 3.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pressure: Option<PressureSpec>,
    /// Investment pledges by target, replacing its surplus fee: a stock disbursed while the
    /// target is in a deal, at most so much a year, part of it returning to the pledger.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pledges: Vec<(String, PledgeSpec)>,
    /// Purchase commitments by target (MODEL.md 3.2): goods of the hegemon the target buys
    /// while it is in a deal, on the pledge's track.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purchases: Vec<(String, PurchaseSpec)>,
    /// The deal as separate tracks (MODEL.md 3.4): the tracks the tariff framework is
    /// conditional on, each with the hegemon's chance per round of detecting a breach. Absent:
    /// one bundle, every track paid in every deal round. Present: a target in a deal keeps a
    /// track only where breaking it would cost more than it saves; a track not listed is
    /// unenforced and not kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Vec<ConditionSpec>>,
}

/// A purchase commitment (MODEL.md 3.2): the hegemon's goods a target buys a year while it is
/// in a deal, beyond what it bought before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PurchaseSpec {
    /// bn USD a year (0–1e9).
    pub per_year: Param,
    /// Share of the value that is a loss to the buyer (the premium over its other suppliers,
    /// goods it would not have bought), 0–1.
    pub cost: Param,
    /// Years from the start of the run the commitment runs (0.01–1000) [default: the whole
    /// run].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<Param>,
}

/// One of the commitments a target makes in a deal besides accepting the tariff framework.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Track {
    /// The investment pledge's disbursement, or the surplus fee of a target without a pledge.
    Pledge,
    /// Host-nation support.
    Host,
    /// The rise of defence spending the deal asks beyond the target's own path.
    Defense,
}

impl Track {
    /// Every track, in the order of [`crate::strategy::PaidAccess::conditions`].
    pub const ALL: [Track; 3] = [Track::Pledge, Track::Host, Track::Defense];
}

/// A condition of the tariff framework: a track the target must keep, and how likely the
/// hegemon is to notice a breach in a round (then it snaps the framework back to the offer).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConditionSpec {
    /// The track.
    pub track: Track,
    /// Chance per round that a breach of it is detected and the framework snapped back, 0–1.
    pub detect: Param,
}

/// An investment pledge (MODEL.md 3.2): headline pledges are not transfers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PledgeSpec {
    /// The headline stock, bn USD.
    pub stock: Param,
    /// The most disbursed in a year, bn USD.
    pub per_year: Param,
    /// Share of each disbursement that returns to the pledger (its equity, loans repaid,
    /// its share of profits): the rest is the transfer.
    pub returns: Param,
}

/// Pressure on a target without a deal: a deadline, then escalation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PressureSpec {
    /// Rounds without a deal the hegemon waits (the deadline).
    pub after: u32,
    /// Added to the offer for each round without a deal from the deadline on.
    pub step: Param,
    /// The most pressure can add to the offer.
    pub max: Param,
}

/// The hegemon's tariff authority may be constrained by a court (phase 0).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CourtShockSpec {
    /// First round in which the ruling can come (the case must reach the court first).
    pub from_round: u32,
    /// p_court: per-round hazard of the ruling.
    pub hazard: Param,
    /// τ_cap: the cap on the reciprocal line after the ruling [default: no cap].
    #[serde(default = "no_cap")]
    pub cap: Param,
    /// The legal basis the ruling voids: every line of it, on every actor, from the ruling on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voids: Option<String>,
    /// A temporary surcharge that replaces the voided lines for a limited number of rounds
    /// from the ruling (needs `voids`; MODEL.md 3.4, phase 0) [default: none].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interim: Option<InterimSpec>,
    /// The share of the duties collected under the voided basis up to the ruling that the
    /// hegemon refunds in the ruling round, 0–1 (needs `voids`; MODEL.md 3.4, accounting)
    /// [default: none, 0].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunds: Option<Param>,
}

/// The interim surcharge of a ruling (MODEL.md 3.4, phase 0): a line of its own legal basis,
/// at `rate` on the share of each partner's exports under the reciprocal line, on every
/// partner that had a line of the voided basis in force at the ruling, for `rounds` rounds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InterimSpec {
    /// Its rate, ad valorem, 0–1.
    pub rate: Param,
    /// Rounds it lasts from the ruling (the ruling's round counted), at least 1.
    pub rounds: u32,
}

/// The default cap of a ruling: the largest allowed, no constraint.
fn no_cap() -> Param {
    Param::Fixed(10.0)
}

/// Parses a scenario from RON text; `origin` names the file in errors.
pub fn parse(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    ron::from_str(text).map_err(|e| ScenarioError::syntax(origin, e))
}

/// Parses any RON document (a patterns file, ...) with the same errors as a scenario's:
/// file, line and column.
pub fn parse_ron<T: serde::de::DeserializeOwned>(
    text: &str,
    origin: &str,
) -> Result<T, ScenarioError> {
    ron::from_str(text).map_err(|e| ScenarioError::syntax(origin, e))
}

/// Parses a world file from RON text; `origin` names the file in errors.
pub fn parse_world(text: &str, origin: &str) -> Result<WorldSpec, ScenarioError> {
    ron::from_str(text).map_err(|e| ScenarioError::syntax(origin, e))
}

impl Scenario {
    /// The scenario as RON text (the world included), for manifests and round trips.
    pub fn to_ron(&self) -> String {
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .unwrap_or_else(|e| format!("/* cannot serialize: {e} */"))
    }
}
