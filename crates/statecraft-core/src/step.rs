//! One run: the phases of a round in their fixed order (DESIGN.md 2.3), repeated T rounds.
//!
//! A run is a pure function of (world, seed, run index): [`Sim::run`] draws the parameters from
//! the parameter stream, steps the world and returns its [`Outcome`]. A `Sim` keeps its buffers
//! between runs, so a batch allocates little.

use crate::outcome::{Outcome, TrajectoryRow, outcome, regional_exports};
use crate::rng::{SimRng, Stream};
use crate::rules::{self, Ctx};
use crate::state::State;
use crate::world::World;

/// Reusable buffers for running one world many times.
#[derive(Clone, Debug, Default)]
pub struct Sim {
    values: Vec<f64>,
    state: State,
    schedule: Schedule,
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
        mut trajectory: Option<&mut Vec<TrajectoryRow>>,
    ) -> Outcome {
        let ctx = Ctx::new(world, values, rounds);
        self.schedule.update(&ctx);
        let st = &mut self.state;
        init(&ctx, st);
        let mut rng = Streams {
            shocks: SimRng::new(seed, Stream::Shocks, run),
            deals: SimRng::new(seed, Stream::Deals, run),
            decisions: SimRng::new(seed, Stream::Decisions, run),
            rival: SimRng::new(seed, Stream::Rival, run),
            blocs: SimRng::new(seed, Stream::Blocs, run),
        };
        for t in 0..rounds {
            st.t = t;
            let k = t as usize;
            let (eps, horizon) = (self.schedule.elasticity[k], self.schedule.horizon[k]);
            step(&ctx, st, &mut rng, eps, horizon);
            if let Some(rows) = trajectory.as_deref_mut() {
                record(&ctx, st, rows);
            }
        }
        outcome(&ctx, st)
    }
}

/// Sets the state of round 0 from the world and the drawn values.
fn init(ctx: &Ctx, st: &mut State) {
    let (n, nb) = (ctx.n, ctx.nb);
    st.reset(n, nb);
    for i in 0..n {
        let a = &ctx.actors[i];
        st.cred[i] = a.credibility;
        st.autonomy[i] = a.autonomy;
        st.defense[i] = a.defense;
        st.defense_prev[i] = a.defense;
        st.belief[i] = ctx.m.prior_extortionist;
        for b in 0..nb {
            let stage = ctx.world.initial_stage[i * nb + b];
            st.stage[i * nb + b] = stage;
        }
    }
    st.exports.copy_from_slice(&ctx.world.trade0);
}

/// One round: phases 0 to 8 in order, at this round's elasticity ε(t) and horizon F/rpy.
fn step(ctx: &Ctx, st: &mut State, rng: &mut Streams, eps: f64, horizon: f64) {
    rules::shocks::run(ctx, st, &mut rng.shocks);
    debug_check(ctx, st, "shocks");
    rules::demand::run(ctx, st, &mut rng.deals);
    debug_check(ctx, st, "demand");
    rules::response::run(ctx, st, &mut rng.decisions, eps, horizon);
    debug_check(ctx, st, "response");
    rules::settlement::run(ctx, st, &mut rng.deals);
    rules::response::fill_used_factors(ctx, st, eps);
    debug_check(ctx, st, "settlement");
    rules::trade::run(ctx, st);
    account(ctx, st);
    debug_check(ctx, st, "trade");
    rules::security::run(ctx, st);
    debug_check(ctx, st, "security");
    rules::rival::run(ctx, st, &mut rng.rival);
    debug_check(ctx, st, "rival");
    rules::blocs::run(ctx, st, &mut rng.blocs);
    debug_check(ctx, st, "blocs");
    rules::learning::run(ctx, st);
    debug_check(ctx, st, "learning");
    for i in 0..ctx.n {
        st.last_action[i] = st.action[i];
    }
}

/// In debug builds, checks the model invariants after a phase and panics with the phase and
/// round that broke one. Release builds skip it.
#[inline]
fn debug_check(ctx: &Ctx, st: &State, phase: &str) {
    if cfg!(debug_assertions)
        && let Err(e) = crate::invariants::check(ctx, st)
    {
        panic!(
            "invariant broken after phase {phase} of round {}: {e}",
            st.t
        );
    }
}

/// Books the round's realised costs and the hegemon's rent.
fn account(ctx: &Ctx, st: &mut State) {
    let m = &ctx.m;
    let (n, h) = (ctx.n, ctx.h);
    let cols = n + 1;
    let mut revenue = 0.0;
    for i in 0..n {
        if i == h {
            continue;
        }
        let a = &ctx.actors[i];
        let x_ih = st.exports[i * cols + h];
        revenue += a.exposure * st.tariff[i] * x_ih;
        st.rent += st.paid_now[i];
        // Realised annual cost, share of GDP: lost exports to the hegemon, payments, added
        // defence spending, one-off hedging costs, the counter-tariff on own importers, and
        // exports lost to a rival sanction.
        let kept = ctx.x0(i, h) * (1.0 - st.hedge[i]);
        let mut cost = m.volume_loss_weight * (1.0 + a.high_value_share) * (kept - x_ih).max(0.0);
        cost += st.paid_now[i] * ctx.rpy;
        cost += (st.defense[i] - a.defense).max(0.0) * a.gdp;
        // One-off: c_h·Δη·X̄_iH with X̄ before this round's diversion, as the decision priced it.
        let before = ctx.x0(i, h) * (1.0 - (st.hedge[i] - st.hedge_added[i]).max(0.0));
        cost += m.hedge_cost * st.hedge_added[i] * before * ctx.rpy;
        if st.counter[i] > 0.0 {
            // A counter-tariff stands only in the round of a retaliation: its factor is that
            // round's.
            let f = st.factors[i][crate::state::Ln::Counter as usize];
            cost += m.retaliation_cost * ctx.x0(h, i) * (1.0 - f);
        }
        cost += st.sanction_loss[i];
        st.cost_sum[i] += cost / a.gdp;
        // The expected security cost of the action taken, priced as the response priced it
        // (credibility and autonomy are updated after this, in phase 5).
        if let Some(act) = st.action[i] {
            st.security_sum[i] += rules::response::security_cost(ctx, st, i, act);
        }
    }
    // The hegemon's net export loss: what counter-tariffs cost it, less what it re-routed to
    // other partners and the rest of the world.
    let row = h * cols;
    let lost: f64 = (0..cols)
        .map(|j| ctx.world.trade0[row + j] - st.exports[row + j])
        .sum();
    st.hegemon_trade_loss += lost / ctx.rpy;
    st.rent += revenue / ctx.rpy;
    st.consumer_cost_sum += revenue / ctx.actors[h].gdp;
    if let Some(c) = ctx.rival {
        let retaliated = st.action[c] == Some(crate::strategy::Action::Retaliate);
        if retaliated && st.rival_first_retaliation.is_none() {
            st.rival_first_retaliation = Some(st.t);
        }
        if !retaliated && st.rival_first_retaliation.is_some() && st.truce.is_none() {
            st.truce = Some(st.t);
        }
    }
}

fn record(ctx: &Ctx, st: &State, rows: &mut Vec<TrajectoryRow>) {
    let cols = ctx.n + 1;
    for i in 0..ctx.n {
        rows.push(TrajectoryRow {
            round: st.t,
            actor: i,
            tariff: st.tariff[i],
            counter_tariff: st.counter[i],
            exports_to_hegemon: if i == ctx.h {
                0.0
            } else {
                st.exports[i * cols + ctx.h]
            },
            credibility: st.cred[i],
            autonomy: st.autonomy[i],
            hedge: st.hedge[i],
            regional_trade_share: {
                let (regional, total) = regional_exports(ctx.n, i, &st.exports, &st.regional_mask);
                if total > 0.0 { regional / total } else { 0.0 }
            },
            action: st.action[i],
        });
    }
}
