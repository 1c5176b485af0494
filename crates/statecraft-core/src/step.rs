//! One run: the phases of a round in their fixed order (MODEL.md 1.3), repeated T rounds.
//!
//! A run is a pure function of (world, seed, run index): [`Sim::run`] draws the parameters from
//! the parameter stream, steps the world and returns its [`Outcome`]. A `Sim` keeps its buffers
//! between runs, so a batch allocates little.

use crate::ctx::Ctx;
use crate::measures::regional_exports;
use crate::outcome::{
    Outcome, TrajectoryRow, WorldRow, export_shares, observe_round, outcome, world_row,
};
use crate::rng::{SimRng, Stream};
use crate::rules;
use crate::state::{Cache, State, Tallies};
use crate::world::World;

/// Reusable buffers for running one world many times.
#[derive(Clone, Debug, Default)]
pub struct Sim {
    values: Vec<f64>,
    run: RunState,
    schedule: Schedule,
}

/// The three parts of a run's state (see [`crate::state`]).
#[derive(Clone, Debug, Default)]
pub(crate) struct RunState {
    /// The state of the world.
    pub st: State,
    /// What the outcomes are computed from.
    pub tallies: Tallies,
    /// Derived values and scratch.
    pub cache: Cache,
}

/// ε(t) and the horizon F/rpy of every round, kept while the parameters they depend on do not
/// change from one run to the next (a fixed elasticity and discount: no exp or pow per round).
#[derive(Clone, Debug, Default)]
struct Schedule {
    /// Bits of ε_SR, ε_LR, T_adj, δ, rpy, and the rounds.
    key: Option<[u64; 6]>,
    elasticity: Vec<f64>,
    horizon: Vec<f64>,
}

impl Schedule {
    fn update(&mut self, ctx: &Ctx) {
        let m = &ctx.m;
        let key = [
            m.elasticity_sr.to_bits(),
            m.elasticity_lr.to_bits(),
            m.adjustment_years.to_bits(),
            m.discount.to_bits(),
            ctx.rpy.to_bits(),
            u64::from(ctx.rounds),
        ];
        if self.key != Some(key) {
            self.elasticity.clear();
            self.elasticity
                .extend((0..ctx.rounds).map(|t| ctx.elasticity(t)));
            self.horizon.clear();
            self.horizon
                .extend((0..ctx.rounds).map(|t| ctx.horizon_years(t)));
            self.key = Some(key);
        }
    }
}

/// Streams of one run, one per mechanism.
struct Streams {
    shocks: SimRng,
    deals: SimRng,
    decisions: SimRng,
    rival: SimRng,
    blocs: SimRng,
    beliefs: SimRng,
}

impl Sim {
    /// A simulator with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs run `run` of a batch seeded with `seed` for `rounds` rounds. With `trajectory`, one
    /// row per round and actor is appended to it.
    pub fn run(
        &mut self,
        world: &World,
        seed: u64,
        run: u64,
        rounds: u32,
        trajectory: Option<&mut Vec<TrajectoryRow>>,
    ) -> Outcome {
        let mut values = std::mem::take(&mut self.values);
        world.draw_params(seed, run, &mut values);
        let out = self.run_with(world, &values, seed, run, rounds, trajectory);
        self.values = values;
        out
    }

    /// Runs run `run` with its parameter values already drawn (`values`, by `ParamId`, as
    /// [`World::draw_params_block`] lays them out for one run).
    pub fn run_with(
        &mut self,
        world: &World,
        values: &[f64],
        seed: u64,
        run: u64,
        rounds: u32,
        trajectory: Option<&mut Vec<TrajectoryRow>>,
    ) -> Outcome {
        self.run_recorded(world, values, seed, run, rounds, trajectory, None)
    }

    /// [`Sim::run_with`] that also appends the run's world series, one [`WorldRow`] per round,
    /// to `series` when given.
    #[allow(clippy::too_many_arguments)]
    pub fn run_recorded(
        &mut self,
        world: &World,
        values: &[f64],
        seed: u64,
        run: u64,
        rounds: u32,
        mut trajectory: Option<&mut Vec<TrajectoryRow>>,
        mut series: Option<&mut Vec<WorldRow>>,
    ) -> Outcome {
        let ctx = Ctx::new(world, values, rounds);
        self.schedule.update(&ctx);
        let run_state = &mut self.run;
        init(&ctx, run_state);
        let mut rng = Streams {
            shocks: SimRng::new(seed, Stream::Shocks, run),
            deals: SimRng::new(seed, Stream::Deals, run),
            decisions: SimRng::new(seed, Stream::Decisions, run),
            rival: SimRng::new(seed, Stream::Rival, run),
            blocs: SimRng::new(seed, Stream::Blocs, run),
            beliefs: SimRng::new(seed, Stream::Beliefs, run),
        };
        for t in 0..rounds {
            run_state.st.t = t;
            let k = t as usize;
            let (eps, horizon) = (self.schedule.elasticity[k], self.schedule.horizon[k]);
            step(&ctx, run_state, &mut rng, eps, horizon);
            observe_round(&ctx, &run_state.st, &mut run_state.tallies);
            if let Some(rows) = trajectory.as_deref_mut() {
                record(&ctx, run_state, rows);
            }
            if let Some(rows) = series.as_deref_mut() {
                rows.push(world_row(&ctx, &run_state.st));
            }
        }
        outcome(&ctx, &run_state.st, &run_state.tallies, &run_state.cache)
    }
}

/// Sets the state of round 0 from the world and the drawn values.
pub(crate) fn init(ctx: &Ctx, run: &mut RunState) {
    let (n, nb) = (ctx.n, ctx.nb);
    run.tallies.reset(n);
    run.cache.reset(n, nb);
    let st = &mut run.st;
    st.reset(n, nb, ctx.world.lines.measures.len());
    // A strategy that starts under a cap on tariffs (MODEL.md 3.2, ConstrainedPaidAccess).
    if let Some(cap) = ctx.world.strategy.cap() {
        st.cap = st.cap.min(ctx.v(cap));
    }
    for i in 0..n {
        let a = &ctx.actors[i];
        st.cred[i] = a.credibility;
        st.autonomy[i] = a.autonomy;
        st.defense[i] = a.defense;
        st.defense_prev[i] = a.defense;
        st.belief[i] = ctx.m.prior_extortionist;
        st.threat[i] = a.threat;
    }
    if let Some(p) = ctx.world.strategy.paid_access() {
        for (i, pledge) in p.pledge.iter().enumerate() {
            if let Some(pledge) = pledge {
                st.pledge_left[i] = ctx.v(pledge.stock);
            }
        }
    }
    st.stage.copy_from(&ctx.world.initial_stage);
    st.exports.copy_from(&ctx.world.trade0);
}

/// One round: phases 0 to 8 in order, at this round's elasticity ε(t) and horizon F/rpy.
fn step(ctx: &Ctx, run: &mut RunState, rng: &mut Streams, eps: f64, horizon: f64) {
    let RunState { st, tallies, cache } = run;
    rules::shocks::run(ctx, st, &mut rng.shocks);
    debug_check(ctx, st, tallies, "shocks");
    rules::demand::run(ctx, st, cache, &mut rng.deals);
    debug_check(ctx, st, tallies, "demand");
    rules::response::run(ctx, st, cache, &mut rng.decisions, eps, horizon);
    debug_check(ctx, st, tallies, "response");
    rules::settlement::run(ctx, st, tallies, &mut rng.deals);
    rules::controls::run(ctx, st);
    debug_check(ctx, st, tallies, "settlement");
    rules::trade::run(ctx, st, cache, eps);
    rules::accounting::run(ctx, st, cache, tallies, eps);
    rules::welfare::run(ctx, st, cache, tallies, eps);
    debug_check(ctx, st, tallies, "trade");
    rules::security::run(ctx, st, tallies, &mut rng.beliefs);
    debug_check(ctx, st, tallies, "security");
    rules::rival::run(ctx, st, &mut rng.rival);
    debug_check(ctx, st, tallies, "rival");
    rules::blocs::run(ctx, st, cache, &mut rng.blocs);
    debug_check(ctx, st, tallies, "blocs");
    rules::learning::run(ctx, st);
    debug_check(ctx, st, tallies, "learning");
    st.last_action.copy_from_slice(&st.action);
}

/// In debug builds, checks the model invariants after a phase and panics with the phase and
/// round that broke one. Release builds skip it.
#[inline]
fn debug_check(ctx: &Ctx, st: &State, tallies: &Tallies, phase: &str) {
    if cfg!(debug_assertions)
        && let Err(e) = crate::invariants::check(ctx, st, tallies)
    {
        panic!(
            "invariant broken after phase {phase} of round {}: {e}",
            st.t
        );
    }
}

fn record(ctx: &Ctx, run: &RunState, rows: &mut Vec<TrajectoryRow>) {
    let st = &run.st;
    for i in 0..ctx.n {
        rows.push(TrajectoryRow {
            round: st.t,
            actor: i,
            tariff: st.tariff[i],
            tariff_eff: rules::effective_tariff(ctx, st, i),
            counter_tariff: st.counter[i],
            exports_to_hegemon: if i == ctx.h {
                0.0
            } else {
                st.exports[(i, ctx.h)]
            },
            credibility: st.cred[i],
            autonomy: st.autonomy[i],
            hedge: st.hedge[i],
            alignment: st.align[i],
            alignment_rival: st.tilt[i],
            regional_trade_share: {
                let (regional, total) = regional_exports(i, &st.exports, &run.cache.regional_mask);
                if total > 0.0 { regional / total } else { 0.0 }
            },
            sanction_loss: st.sanction_loss[i],
            controls: if st.controls_on[i] { 1.0 } else { 0.0 },
            controls_loss: st.controls_loss[i],
            safeguard: if st.safeguard_on[i] { 1.0 } else { 0.0 },
            blocked: st.blocked[i],
            shares: export_shares(ctx, &st.exports, &run.cache.regional_mask, i),
            action: st.action[i].filter(|_| st.answered[i]),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::Sim;
    use crate::metric::ActorColumn;
    use crate::testing::{Fixture, OTH, PAID, paid_with};

    /// OTH (an `AlwaysHedge` policy) over 8 rounds: its mean welfare loss and the tariff in
    /// force on it at the end.
    fn hedger(strategy: &str) -> (f64, f64) {
        let fx = Fixture::new(strategy, "");
        let out = Sim::new().run(&fx.world, 1, 0, fx.world.rounds, None);
        let a = &out.actors[OTH];
        (
            a.get(ActorColumn::WelfareLoss),
            a.get(ActorColumn::TariffEff),
        )
    }

    #[test]
    fn a_hedgers_payoff_depends_on_the_hegemons_strategy() {
        // The review's defect: a hedger never met the hegemon's strategy, so its payoff was
        // the same under every paid-access variant. With pressure on non-dealers (MODEL.md
        // 3.2) the hegemon's choice reaches it: the tariff it faces rises, and it loses more.
        let pressed = paid_with("pressure: Some((after: 2, step: 0.05, max: 0.3))");
        let (loss_paid, tariff_paid) = hedger(PAID);
        let (loss_pressed, tariff_pressed) = hedger(&pressed);
        let (loss_open, tariff_open) = hedger("OpenOrder");
        assert_eq!(tariff_open, 0.0);
        assert_eq!(loss_open, 0.0);
        assert_eq!(tariff_paid, 0.25);
        // Six rounds past the deadline at 5% each, capped at 30%.
        assert!((tariff_pressed - 0.55).abs() < 1e-12, "{tariff_pressed}");
        assert!(
            loss_pressed > loss_paid && loss_paid > loss_open,
            "{loss_pressed} {loss_paid} {loss_open}"
        );
    }
}
