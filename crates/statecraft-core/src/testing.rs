//! Test fixtures: a small world with fixed numbers (no distributions), whose phases the unit
//! tests step by hand against cases computed from MODEL.md.

use crate::ctx::Ctx;
use crate::rng::{SimRng, Stream};
use crate::step::{RunState, init};
use crate::world::World;

/// The model constants of the fixture (round numbers, no distributions).
const MODEL: &str = "
    elasticity_sr: 1, elasticity_lr: 3, adjustment_years: 4, volume_loss_weight: 1,
    reroute_share: 0.5, rta_premium: 0.5, rta_phase_in_years: 2, rationality: 20,
    hedge_speed: 0.1, hedge_cost: 0.2, retaliation_cost: 0.75, resolve_benefit: 0.3,
    defense_adjustment: 0.1, credibility_adjustment: 0.1, autonomy_from_hedging: 0.01,
    autonomy_from_defense: 10, security_weight: 6, renege_hazard: 0.05, escalation: 0.5,
    retaliation_match: 1, hegemon_weight: 0.01, bandwagon_discount: 0.1, alignment_step: 0.2,
    rival_sanction_hazard: 1, rival_sanction_cut: 0.3, rival_sanction_rounds: 2,
    entrapment_weight: 30, discount: 0.97, max_hedge: 0.5, hedge_rounds_to_apply: 2,
    credibility_penalty_retaliation: 0.05, prior_extortionist: 0.2, extraction_cap: 0.005,
    signal_if_extortionist: 0.8, signal_if_reliable: 0.3, rupture_threshold: 0.4,
    max_tariff: 1.5, defense_benchmark: 0.035";

/// A hegemon HEG, a treaty ally ALLY (member of PACT), a rival RIV (member of PACT) and OTH,
/// eligible for PACT; paid access with a 15% deal for ALLY. `extra` is appended to the
/// scenario's fields (a court shock, overrides).
pub fn scenario(strategy: &str, extra: &str) -> String {
    format!(
        r#"(
    name: "fixture", description: "unit-test fixture", seed: 1, runs: 1, rounds: 8,
    rounds_per_year: 4,
    world: Inline((
        hegemon: "HEG", rival: Some("RIV"), rest_of_world: "ROW", default_affinity: 0.7,
        model: ({MODEL}),
        actors: [
            (name: "HEG", params: (gdp: 30000, defense: 0.032, security_dependence: 0,
                threat: 0.2, resolve: 0.7, hedging_capacity: 0, high_value_share: 0.3,
                exposure: 1, chokepoint: 0.1, credibility: 1, autonomy: 1),
                treaty_ally: false, pole: true, blocs: [], policy: Quantal),
            (name: "ALLY", params: (gdp: 4000, defense: 0.02, security_dependence: 0.7,
                threat: 0.7, resolve: 0.2, hedging_capacity: 0.6, high_value_share: 0.25,
                exposure: 0.8, chokepoint: 0.1, credibility: 0.8, autonomy: 0.3),
                treaty_ally: true, pole: false, blocs: ["PACT"], policy: Quantal),
            (name: "RIV", params: (gdp: 19000, defense: 0.017, security_dependence: 0,
                threat: 0.3, resolve: 0.8, hedging_capacity: 0.8, high_value_share: 0.3,
                exposure: 1, chokepoint: 2, credibility: 0.1, autonomy: 0.9),
                treaty_ally: false, pole: true, blocs: ["PACT"], policy: TitForTat),
            (name: "OTH", params: (gdp: 2000, defense: 0.015, security_dependence: 0.2,
                threat: 0.3, resolve: 0.1, hedging_capacity: 0.5, high_value_share: 0.2,
                exposure: 1, chokepoint: 0, credibility: 0.6, autonomy: 0.5),
                treaty_ally: false, pole: false, blocs: [], eligible: ["PACT"],
                policy: AlwaysHedge),
        ],
        trade: [
            (from: "HEG", to: "ALLY", value: 80), (from: "HEG", to: "RIV", value: 140),
            (from: "HEG", to: "OTH", value: 20), (from: "HEG", to: "ROW", value: 1800),
            (from: "ALLY", to: "HEG", value: 150), (from: "ALLY", to: "RIV", value: 125),
            (from: "ALLY", to: "OTH", value: 25), (from: "ALLY", to: "ROW", value: 400),
            (from: "RIV", to: "HEG", value: 440), (from: "RIV", to: "ALLY", value: 150),
            (from: "RIV", to: "ROW", value: 2900),
            (from: "OTH", to: "HEG", value: 40), (from: "OTH", to: "ALLY", value: 10),
            (from: "OTH", to: "ROW", value: 50),
        ],
        blocs: [
            (name: "PACT", regional: true, veto_threshold: 0.3,
                hazards: (working_group: 1, signed: 1, in_force: 1)),
        ],
        affinity: [],
    )),
    strategy: {strategy},
    {extra}
)"#
    )
}

/// Paid access: floor 10%, deal rates 15% (ALLY) and 30% (RIV), 10% otherwise, fees of a
/// quarter of the surplus, host fee 4 bn USD for ALLY, defence target 3.5%, linkage 0.5.
pub const PAID: &str = "PaidAccess((floor: 0.10, max_rate: 0.50,
    deal_rates: [(\"ALLY\", 0.15), (\"RIV\", 0.30)], default_deal_rate: 0.10, fee_share: 0.25,
    defense_target: 0.035, host_fees: [(\"ALLY\", 4)], linkage: 0.5))";

/// [`PAID`] with more fields (`"pressure: Some(...)"`, ...) appended to its own.
pub fn paid_with(fields: &str) -> String {
    let own = paid_fields();
    format!("PaidAccess({}, {fields}))", &own[..own.len() - 1])
}

/// The paid-access fields of [`PAID`], for strategies built on them.
pub fn paid_fields() -> &'static str {
    &PAID["PaidAccess(".len()..PAID.len() - 1]
}

/// The lines of [`Fixture::lines`]: ALLY sells 10% of its exports to the hegemon as steel and
/// 5% as autos (80% under the reciprocal line, 5% outside every line); Section 232 lines on
/// steel and autos and an IEEPA surcharge stacked on the reciprocal line (itself on IEEPA).
const LINES_WORLD: &str = r#"affinity: [],
        reciprocal_basis: Some("IEEPA"),
        measures: [
            (name: "steel", basis: "Section-232", covers: ["steel"]),
            (name: "autos", basis: "Section-232", covers: ["autos"]),
            (name: "surcharge", basis: "IEEPA", covers: ["reciprocal"]),
        ],"#;

/// The timeline of [`Fixture::lines`]: steel at 50% on everyone and autos at 25% on ALLY
/// from round 0, a 40% surcharge on ALLY from round 1, the reciprocal line on ALLY paused at
/// 10% in round 2 and resumed in round 3.
pub const TIMELINE: &str = r#"timeline: Some(Inline([
        (round: 0, measure: "steel", op: Set(0.5)),
        (round: 0, measure: "autos", targets: ["ALLY"], op: Set(0.25)),
        (round: 1, measure: "surcharge", targets: ["ALLY"], op: Set(0.4)),
        (round: 2, measure: "reciprocal", targets: ["ALLY"], op: Pause(0.10)),
        (round: 3, measure: "reciprocal", targets: ["ALLY"], op: Resume),
    ])),"#;

/// A validated fixture world and the values of its (fixed) parameters.
pub struct Fixture {
    /// The world.
    pub world: World,
    /// Every parameter's value.
    pub values: Vec<f64>,
}

impl Fixture {
    /// The fixture with `strategy` and `extra` scenario fields (see [`scenario`]).
    pub fn new(strategy: &str, extra: &str) -> Fixture {
        Fixture::from_text(&scenario(strategy, extra))
    }

    /// The fixture with tariff lines ([`LINES_WORLD`]): `strategy` and `extra` as in
    /// [`Fixture::new`].
    pub fn lines(strategy: &str, extra: &str) -> Fixture {
        let text = scenario(strategy, extra)
            .replacen("affinity: [],", LINES_WORLD, 1)
            .replacen(
                r#"blocs: ["PACT"], policy: Quantal),"#,
                r#"blocs: ["PACT"], policy: Quantal,
                export_groups: [("steel", 0.1), ("autos", 0.05)]),"#,
                1,
            );
        Fixture::from_text(&text)
    }

    /// The fixture of a whole scenario text.
    pub fn from_text(text: &str) -> Fixture {
        let sc = crate::scenario::parse(text, "fixture").expect("fixture parses");
        let world = World::from_scenario(&sc, "fixture").expect("fixture validates");
        let mut values = Vec::new();
        world.draw_params(1, 0, &mut values);
        Fixture { world, values }
    }

    /// Paid access, with `field` (`"rival_tilt: Some(0.1)"`, ...) added to the world.
    pub fn paid_world_with(field: &str) -> Fixture {
        let text = scenario(PAID, "").replacen(
            "default_affinity: 0.7,",
            &format!("default_affinity: 0.7, {field},"),
            1,
        );
        Fixture::from_text(&text)
    }

    /// Paid access, nothing else.
    pub fn paid() -> Fixture {
        Fixture::new(PAID, "")
    }

    /// Paid access with the demand of round 0 made (phase 1 run once).
    pub fn demanded(&self, ctx: &Ctx) -> RunState {
        let mut run = self.start(ctx);
        let mut rng = self.rng(Stream::Deals);
        crate::rules::demand::run(ctx, &mut run.st, &mut run.cache, &mut rng);
        run
    }

    /// The run's constants.
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx::new(&self.world, &self.values, self.world.rounds)
    }

    /// Round 0 settled: ALLY conceded, OTH hedged, RIV retaliated (phases 1 and 3).
    pub fn settled(&self, ctx: &Ctx) -> RunState {
        use crate::strategy::Action;
        let mut run = self.demanded(ctx);
        run.st.action[ALLY] = Some(Action::Concede);
        run.st.action[OTH] = Some(Action::Hedge);
        run.st.action[RIV] = Some(Action::Retaliate);
        // Answers to the demand, as phase 2 would mark them.
        for i in [ALLY, OTH, RIV] {
            run.st.answered[i] = true;
        }
        let mut rng = self.rng(Stream::Deals);
        crate::rules::settlement::run(ctx, &mut run.st, &mut run.tallies, &mut rng);
        run
    }

    /// The state of round 0.
    pub fn start(&self, ctx: &Ctx) -> RunState {
        let mut run = RunState::default();
        init(ctx, &mut run);
        run
    }

    /// A stream of run 0.
    pub fn rng(&self, stream: Stream) -> SimRng {
        SimRng::new(1, stream, 0)
    }
}

/// Ids of the fixture's actors.
pub const HEG: usize = 0;
/// The treaty ally.
pub const ALLY: usize = 1;
/// The rival.
pub const RIV: usize = 2;
/// The eligible outsider.
pub const OTH: usize = 3;

/// Asserts that `a` and `b` are equal within 1e-12 relative.
#[track_caller]
pub fn close(a: f64, b: f64) {
    assert!(
        (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs())),
        "{a} != {b}"
    );
}

/// A generator for phases whose draws a test does not read (the beliefs stream, seed 1, run 0).
pub fn rng() -> SimRng {
    SimRng::new(1, Stream::Beliefs, 0)
}
