//! Phase 2, response (MODEL.md 3.3): every actor but the hegemon scores five actions as a cost
//! in % of its GDP and picks one.
//!
//! - Trade losses follow the short-run/long-run elasticities of Boehm, Levchenko &
//!   Pandalai-Nayar (2023).
//! - Conceding carries the commitment problem (Fearon 1995): the deal may be re-opened.
//! - Retaliation expects a coalition whose weights follow Bueno de Mesquita's contest model.
//! - The security term trades abandonment against entrapment (Snyder 1984).
//! - The choice is a logit quantal response (McKelvey & Palfrey 1995), or a fixed policy,
//!   including Axelrod's tit-for-tat and threshold rules.
//!
//! Decide, then resolve: all actors decide from the same read-only state.

use crate::ctx::Ctx;
use crate::rng::SimRng;
use crate::rules::settlement::{
    defense_step, diversion_cached, hedge_step, kept_counter, lapse_hazard, purchase_loss,
    takes_security_step_at,
};
use crate::rules::{controls, factor_ln};
use crate::scenario::Policy;
use crate::state::{ALL_TRACKS, Cache, DiversionMemo, Ln, State};
use crate::strategy::Action;

/// The cost of each action for one actor, % of GDP, indexed by `Action as usize`.
pub type Costs = [f64; 5];

/// Costs of the five actions for actor `i` in the current state (MODEL.md 3.3), from its trade
/// factors of the round `f` (indexed by [`Ln`]), the weight of last round's other
/// retaliators, and the round's trade elasticity ε(t) (the price of diverted exports).
pub fn costs(
    ctx: &Ctx,
    st: &State,
    f: &[f64; 5],
    i: usize,
    horizon: f64,
    rivals_weight: f64,
    eps: f64,
) -> Costs {
    costs_and_tracks(ctx, st, f, i, horizon, rivals_weight, eps).0
}

/// [`costs`], and the tracks of a deal the actor keeps at those costs (bits of
/// [`State::kept`]; all of them when the deal is one bundle): the keep decision is priced in
/// K_i, so both come from one computation.
pub fn costs_and_tracks(
    ctx: &Ctx,
    st: &State,
    f: &[f64; 5],
    i: usize,
    horizon: f64,
    rivals_weight: f64,
    eps: f64,
) -> (Costs, u8) {
    let mut memo = DiversionMemo::default();
    let mut p = Pricing {
        horizon,
        rivals_weight,
        eps,
        defense: defense_step(ctx, st, i),
        security: security_base(ctx, st, i),
        memo: &mut memo,
        security_costs: [0.0; 5],
    };
    price(ctx, st, f, i, &mut p)
}

/// What pricing actor `i`'s actions reads besides the state and its trade factors, computed
/// once per actor and round: the round's horizon F/rpy and elasticity ε(t), the weight of
/// last round's other retaliators, the actor's [`defense_step`] and [`security_base`], and its
/// memo of D_i(η) (accounting and welfare read the stocks it prices).
pub(crate) struct Pricing<'a> {
    pub horizon: f64,
    pub rivals_weight: f64,
    pub eps: f64,
    pub defense: f64,
    pub security: f64,
    pub memo: &'a mut DiversionMemo,
    /// Out: the security term of each action, by `Action as usize` (accounting books the
    /// one taken).
    pub security_costs: [f64; 5],
}

/// [`costs_and_tracks`] from the terms of [`Pricing`].
pub(crate) fn price(ctx: &Ctx, st: &State, f: &[f64; 5], i: usize, p: &mut Pricing) -> (Costs, u8) {
    let (horizon, rivals_weight, eps) = (p.horizon, p.rivals_weight, p.eps);
    let (defense, security) = (p.defense, p.security);
    let m = &ctx.m;
    let a = &ctx.actors[i];
    let h = ctx.h;
    let d = &st.demand;
    let y = a.gdp;
    let pct = 100.0 / y;
    let x_ih0 = ctx.x0(i, h);
    let x_hi0 = ctx.x0(h, i);
    let xbar = x_ih0 * (1.0 - st.hedge[i]);
    let scale = m.volume_loss_weight * (1.0 + a.high_value_share) * pct;
    // L_i(τ): the annual loss of exports to the hegemon at tariff τ, % of GDP, from the
    // trade factors of the round.
    let loss = |k: Ln| scale * xbar * (1.0 - f[k as usize]);
    let offer_factor = f[Ln::Offer as usize];
    let l_offer = scale * xbar * (1.0 - offer_factor);
    let l_deal = loss(Ln::Deal);
    let gap = l_offer - l_deal;

    p.security_costs = Action::ALL.map(|act| security_at(st, i, security, act));
    let sec_all = p.security_costs;
    let sec = |act: Action| sec_all[act as usize];

    // K_i: the price of a deal (fees, host-nation demand, this year's defence effort), raised by
    // resolve; with separate tracks, each at most what breaking it would cost.
    let (k, kept) = if ctx.uses.tracks {
        keep_tracks_at(ctx, st, i, horizon, gap, defense)
    } else {
        (
            (d.fee[i] + purchase_loss(st, i) + d.host[i] + defense * y) * pct * (1.0 + a.resolve),
            ALL_TRACKS,
        )
    };
    // A deal re-opens with the renege hazard, or lapses at its expiry unless renewed; the
    // counter-tariff it keeps costs the actor's importers as a retaliation's does.
    let reopen = if ctx.uses.expiry {
        m.renege_hazard + lapse_hazard(ctx, i)
    } else {
        m.renege_hazard
    };
    let k = if ctx.uses.keep_counter && st.counter[i] > 0.0 {
        let kept = kept_counter(ctx, i, d.deal[i]);
        k + m.retaliation_cost * x_hi0 * (1.0 - factor_ln(kept.ln_1p(), eps)) * pct
    } else {
        k
    };
    // A security step the deal asks (and the actor keeps) may be sanctioned by the rival:
    // the entrapment B prices for alignment, at q_S (MODEL.md 3.3).
    let k = match (ctx.world.security_sanction_hazard, ctx.rival) {
        (Some(q), Some(c)) if c != i && takes_security_step_at(st, i, kept, defense) => {
            k + ctx.v(q) * st.exports[(i, c)] * pct / 100.0 * m.entrapment_weight
        }
        _ => k,
    };
    let concede = l_deal + k + reopen * horizon * gap;

    let (g_hedge, cg_hedge) = hedge_terms(ctx, st, f, i, horizon, eps, p.memo);

    // Retaliation: escalation, own counter-tariff, resolve, and the expected roll-back; with
    // export controls, the sales they withhold while in force (a flow, as the counter-tariff's).
    let p_back = back_probability(ctx, st, i, rivals_weight);
    let retaliate = loss(Ln::Escalated)
        + m.retaliation_cost * x_hi0 * (1.0 - f[Ln::Counter as usize]) * pct
        - a.resolve * m.resolve_benefit
        - p_back * horizon * gap;
    let retaliate = if ctx.uses.controls && ctx.controls[i].is_some() {
        retaliate + scale * controls::withheld(ctx, i)
    } else {
        retaliate
    };

    // Bandwagon: a discounted deal, and entrapment toward the rival.
    let bandwagon = match ctx.rival {
        Some(c) if c != i => {
            let l_b = loss(Ln::Bandwagon);
            l_b + k
                + reopen * horizon * (l_offer - l_b)
                + m.rival_sanction_hazard * st.exports[(i, c)] * pct / 100.0 * m.entrapment_weight
                + sec(Action::Bandwagon)
        }
        Some(_) => f64::INFINITY,
        None => {
            let l_b = loss(Ln::Bandwagon);
            l_b + k + reopen * horizon * (l_offer - l_b) + sec(Action::Bandwagon)
        }
    };

    let retaliate = if can_retaliate(ctx, st, i) {
        retaliate + sec(Action::Retaliate)
    } else {
        f64::INFINITY
    };
    let costs = [
        concede + sec(Action::Concede),
        retaliate,
        l_offer + g_hedge + sec(Action::Hedge),
        concede + cg_hedge + sec(Action::ConcedeHedge),
        bandwagon,
    ];
    (costs, kept)
}

/// The hedge terms of G and CG for actor `i`, % of GDP: the one-off cost of finding buyers, the
/// loss avoided over the horizon, and the price of the diverted stock in its other markets
/// (MODEL.md 3.3, 3.4). G adds Δη = γ·h (at most up to η_max) with the saving s^G at the
/// offer; CG half of it at the same saving, or, as its own bundle, its share of Δη with the
/// saving at the deal's tariff, the one it keeps facing.
fn hedge_terms(
    ctx: &Ctx,
    st: &State,
    f: &[f64; 5],
    i: usize,
    horizon: f64,
    eps: f64,
    memo: &mut DiversionMemo,
) -> (f64, f64) {
    let m = &ctx.m;
    let a = &ctx.actors[i];
    let pct = 100.0 / a.gdp;
    let x_ih0 = ctx.x0(i, ctx.h);
    let xbar = x_ih0 * (1.0 - st.hedge[i]);
    let scale = m.volume_loss_weight * (1.0 + a.high_value_share) * pct;
    let d_eta = hedge_step(ctx, st, i);
    let eta = st.hedge[i];
    let diverted = diversion_cached(ctx, memo, i, eta, eps);
    // The share of a new hedge step that third countries' safeguards would block: last
    // round's share of the actor's re-routed exports (adaptive expectations).
    let blocked = st.blocked_share[i];
    let hedge_at = |de: f64, saving: f64, memo: &mut DiversionMemo| {
        let mut cost = m.hedge_cost * de * xbar * pct - de * saving * horizon
            + scale * (diversion_cached(ctx, memo, i, eta + de, eps) - diverted) * horizon;
        if blocked > 0.0 {
            cost += scale * blocked * de * x_ih0 * horizon;
        }
        cost
    };
    let s_g = scale * x_ih0 * (1.0 - f[Ln::Offer as usize]);
    let cg = match ctx.world.concede_hedge_share {
        None => hedge_at(0.5 * d_eta, s_g, memo),
        Some(share) => hedge_at(
            ctx.v(share) * d_eta,
            scale * x_ih0 * (1.0 - f[Ln::Deal as usize]),
            memo,
        ),
    };
    (hedge_at(d_eta, s_g, memo), cg)
}

/// The yearly cost to actor `i` of each track of a deal, [`crate::scenario::Track::ALL`] in order (the pledge's
/// transfer or the surplus fee, host-nation support, the deal's defence step), % of GDP,
/// raised by resolve as K_i is.
pub fn track_costs(ctx: &Ctx, st: &State, i: usize) -> [f64; 3] {
    track_costs_at(ctx, st, i, defense_step(ctx, st, i))
}

/// [`track_costs`] with the actor's [`defense_step`] of the round already computed.
fn track_costs_at(ctx: &Ctx, st: &State, i: usize, defense: f64) -> [f64; 3] {
    let a = &ctx.actors[i];
    let d = &st.demand;
    let felt = 100.0 / a.gdp * (1.0 + a.resolve);
    [
        (d.fee[i] + purchase_loss(st, i)) * felt,
        d.host[i] * felt,
        defense * a.gdp * felt,
    ]
}

/// A deal as separate tracks (MODEL.md 3.4): the price K_i of a deal to actor `i`, and the
/// tracks it keeps (bits of [`State::kept`]). A track is kept when its cost is at most what
/// breaking it is expected to cost: the chance per round δ_t that the hegemon detects the
/// breach and snaps the framework back, times F_y·`gap` (the framework's worth, L(τ^offer) −
/// L(τ^deal)), priced as the renege hazard is; a track that is no condition (δ_t = 0) is not
/// kept. K_i counts each track at the smaller of the two. In a bundle every track is kept.
pub fn keep_tracks(ctx: &Ctx, st: &State, i: usize, horizon: f64, gap: f64) -> (f64, u8) {
    keep_tracks_at(ctx, st, i, horizon, gap, defense_step(ctx, st, i))
}

/// [`keep_tracks`] with the actor's [`defense_step`] of the round already computed.
fn keep_tracks_at(
    ctx: &Ctx,
    st: &State,
    i: usize,
    horizon: f64,
    gap: f64,
    defense: f64,
) -> (f64, u8) {
    let c = track_costs_at(ctx, st, i, defense);
    let Some(conditions) = ctx.world.strategy.paid_access().and_then(|p| p.conditions) else {
        return (c.iter().sum(), ALL_TRACKS);
    };
    let mut k = 0.0;
    let mut kept = 0;
    for (t, (cost, detect)) in c.iter().zip(conditions).enumerate() {
        let threat = detect.map_or(0.0, |id| ctx.v(id) * horizon * gap.max(0.0));
        if *cost <= threat {
            kept |= 1 << t;
            k += cost;
        } else {
            k += threat;
        }
    }
    (k, kept)
}

/// Whether actor `i` can retaliate this round (MODEL.md 3.3): it needs a counter-tariff to
/// set (a package, or an escalation to match: under a voided reciprocal basis an actor
/// without a package has nothing to answer with), and a suspended package waits until the
/// effective tariff offered, e_i·τ^offer_i + b^offer_i, passes its trigger.
pub fn can_retaliate(ctx: &Ctx, st: &State, i: usize) -> bool {
    if st.demand.counter[i] <= 0.0 {
        return false;
    }
    if !ctx.uses.triggers {
        return true;
    }
    match ctx.world.package[i].and_then(|p| p.trigger) {
        None => true,
        Some(trigger) => {
            let d = &st.demand;
            ctx.actors[i].exposure * d.offer[i] + d.base_offer[i] > trigger
        }
    }
}

/// S_i(a) = s·θ·(1 − a_i)·clamp((1 − κ_i) + ℓ·w_a, 0, 1)·σ_S: the expected security cost of
/// action `act` for actor `i` in the current state, % of GDP (Snyder's abandonment and
/// entrapment). The response prices it; the accounting books it for the action taken.
pub fn security_cost(ctx: &Ctx, st: &State, i: usize, act: Action) -> f64 {
    security_at(st, i, security_base(ctx, st, i), act)
}

/// s·θ·(1 − a_i)·σ_S: the part of actor `i`'s security term [`security_cost`] that does not
/// depend on the action, computed once per actor and round.
#[inline]
pub fn security_base(ctx: &Ctx, st: &State, i: usize) -> f64 {
    let a = &ctx.actors[i];
    a.security_dependence * st.threat[i] * (1.0 - st.autonomy[i]) * ctx.m.security_weight
}

/// [`security_cost`] of action `act` from actor `i`'s [`security_base`] `base`.
#[inline]
fn security_at(st: &State, i: usize, base: f64, act: Action) -> f64 {
    base * ((1.0 - st.cred[i]) + st.demand.linkage * act.abandonment_weight()).clamp(0.0, 1.0)
}

/// P_back: the probability that the hegemon rolls back against a coalition of `i` (with the
/// counter-tariff it would set) and last round's other retaliators of total weight
/// `rivals_weight`. Weights w_k = (ρ_k·X_Hk(0)/Y_H)·(1 + χ_k) against w_H (Bueno de Mesquita),
/// plus λ_x·s_x·X_kH(0)/Y_H for a retaliator with export controls.
pub fn back_probability(ctx: &Ctx, st: &State, i: usize, rivals_weight: f64) -> f64 {
    let h = ctx.h;
    let rho = st.demand.counter[i];
    let own = rho * ctx.x0(h, i) / ctx.actors[h].gdp * (1.0 + ctx.actors[i].chokepoint);
    let own = if ctx.uses.controls {
        own + controls::weight(ctx, i)
    } else {
        own
    };
    let coalition = rivals_weight + own;
    if coalition > 0.0 {
        coalition / (coalition + ctx.m.hegemon_weight)
    } else {
        0.0
    }
}

/// The logit quantal response: P(a) ∝ exp(−λ·cost(a)), computed stably (minimum subtracted),
/// and the action at uniform `u`. λ = ∞ picks the cheapest action (first on ties); λ = 0 is
/// uniform over the actions with finite cost.
pub fn quantal(costs: &Costs, lambda: f64, u: f64) -> Action {
    let min = costs.iter().copied().fold(f64::INFINITY, f64::min);
    let mut w = [0.0; 5];
    let mut total = 0.0;
    for (k, c) in costs.iter().enumerate() {
        w[k] = if c.is_finite() {
            let z = lambda * (c - min);
            // z is NaN only for λ = ∞ and c = min: the cheapest action gets weight 1.
            // e^(−40) < 5e-18: below an ulp of the total (at least 1), so not computed.
            // z = 0 for the cheapest action: e^0 = 1 exactly, no call needed.
            if z.is_nan() || z == 0.0 {
                1.0
            } else if z > 40.0 {
                0.0
            } else {
                (-z).exp()
            }
        } else {
            0.0
        };
        total += w[k];
    }
    let mut acc = 0.0;
    let target = u * total;
    for (k, wk) in w.iter().enumerate() {
        acc += wk;
        if target < acc {
            return Action::ALL[k];
        }
    }
    // Rounding at the top end: the last action with positive weight.
    let last = w.iter().rposition(|&x| x > 0.0).unwrap_or(0);
    Action::ALL[last]
}

/// What a fixed policy remembers of the run when it chooses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Memory {
    /// The hegemon's last move raised the demand or the tariff in force (tit-for-tat's trigger).
    pub rose: bool,
    /// A `Grim` actor's trigger has been pulled, this round or before.
    pub grim: bool,
    /// The round, 0-based.
    pub round: u32,
    /// There is a rival to align against (not for the rival itself, nor in a world without
    /// one: MODEL.md 3.3, fixed policies).
    pub can_bandwagon: bool,
}

/// The action of a rule that prices the actions ([`Policy::prices_actions`]): the quantal
/// response, or Axelrod's threshold rule.
pub fn priced_choice(policy: &Policy, costs: &Costs, lambda: f64, u: f64) -> Action {
    match policy {
        Policy::Threshold { toughness } => {
            // Axelrod's B5, cost(R) > toughness·cost(C), written so that it keeps its meaning
            // when cost(C) < 0: toughness always raises the bar for conceding.
            let (c, r) = (
                costs[Action::Concede as usize],
                costs[Action::Retaliate as usize],
            );
            if r - c > (toughness - 1.0) * c.abs() {
                Action::Concede
            } else {
                Action::Retaliate
            }
        }
        _ => quantal(costs, lambda, u),
    }
}

/// The action of a fixed policy, from what it remembers; a rule that prices the actions
/// concedes here (it is chosen by [`priced_choice`]).
pub fn fixed_choice(policy: &Policy, seen: Memory) -> Action {
    match policy {
        Policy::AlwaysRetaliate => Action::Retaliate,
        Policy::AlwaysHedge => Action::Hedge,
        Policy::ConcedeAndHedge => Action::ConcedeHedge,
        Policy::Bandwagon if seen.can_bandwagon => Action::Bandwagon,
        Policy::TitForTat if seen.rose => Action::Retaliate,
        Policy::Grim if seen.grim => Action::Retaliate,
        Policy::HedgeThenConcede { rounds } if seen.round < *rounds => Action::Hedge,
        _ => Action::Concede,
    }
}

/// Runs phase 2: writes `st.action` and `st.back_prob`, and the round's trade factors of the
/// actors that price their actions. Draws exactly one uniform per actor.
pub fn run(ctx: &Ctx, st: &mut State, cache: &mut Cache, rng: &mut SimRng, eps: f64, horizon: f64) {
    let h = ctx.h;
    // Factors are filled as actors price their actions (the hegemon's are never read).
    cache.factors_filled.fill(false);
    let yh = ctx.actors[h].gdp;
    // Weights of last round's retaliators in the roll-back contest (their export controls
    // included: in force in the round they retaliated).
    let weight = |k: usize| {
        let w = st.counter[k] * ctx.x0(h, k) / yh * (1.0 + ctx.actors[k].chokepoint);
        if ctx.uses.controls {
            w + controls::weight(ctx, k)
        } else {
            w
        }
    };
    let total: f64 = (0..ctx.n)
        .filter(|&k| k != h && st.last_action[k] == Some(Action::Retaliate))
        .map(weight)
        .sum();
    for i in 0..ctx.n {
        let u = rng.open01();
        if i == h {
            st.action[i] = None;
            continue;
        }
        let others = if st.last_action[i] == Some(Action::Retaliate) {
            (total - weight(i)).max(0.0)
        } else {
            total
        };
        let policy = &ctx.world.policy[i];
        let seen = remember(ctx, st, i);
        let defense = defense_step(ctx, st, i);
        st.answered[i] = demanded(st, i, defense);
        let a = if !st.answered[i] {
            // With nothing demanded there is nothing to answer: the actor keeps the status
            // quo, counted as a concession to an empty demand.
            Action::Concede
        } else if policy.prices_actions() {
            // The trade factor of each candidate tariff at elasticity `eps`: costs read all
            // five.
            cache.factors[i] = factors(&cache.ln[i], eps);
            cache.factors_filled[i] = true;
            let mut p = Pricing {
                horizon,
                rivals_weight: others,
                eps,
                defense,
                security: security_base(ctx, st, i),
                memo: &mut cache.diversion[i],
                security_costs: [0.0; 5],
            };
            let (c, kept) = price(ctx, st, &cache.factors[i], i, &mut p);
            cache.security[i] = p.security_costs;
            st.kept[i] = kept;
            priced_choice(policy, &c, ctx.lambda[i], u)
        } else {
            // Grim's trigger is tit-for-tat's, pulled once for the rest of the run.
            if seen.rose && matches!(policy, Policy::Grim) {
                st.grim[i] = true;
            }
            let a = fixed_choice(
                policy,
                Memory {
                    grim: st.grim[i],
                    ..seen
                },
            );
            // A policy that cannot retaliate (no counter-tariff, or a suspended package) keeps
            // negotiating: it concedes.
            if a == Action::Retaliate && !can_retaliate(ctx, st, i) {
                Action::Concede
            } else {
                a
            }
        };
        st.action[i] = Some(a);
        st.back_prob[i] = if a == Action::Retaliate {
            back_probability(ctx, st, i, others)
        } else {
            0.0
        };
    }
}

/// The trade factors (1 + x)^(−ε) of the five candidate tariffs from their ln(1 + x): one exp
/// per distinct candidate (a candidate equal to an earlier one reuses its factor, the same
/// bits).
fn factors(ln: &[f64; 5], eps: f64) -> [f64; 5] {
    let mut f = [1.0; 5];
    for k in 0..5 {
        let same = (0..k).find(|&j| ln[j].to_bits() == ln[k].to_bits());
        f[k] = match same {
            Some(j) => f[j],
            None => factor_ln(ln[k], eps),
        };
    }
    f
}

/// Whether the hegemon demands anything of actor `i` this round, with its [`defense_step`]
/// `defense`.
fn demanded(st: &State, i: usize, defense: f64) -> bool {
    let d = &st.demand;
    d.offer[i] > 0.0
        || d.base_offer[i] > 0.0
        || d.fee[i] > 0.0
        || d.host[i] > 0.0
        || d.purchase[i] > 0.0
        || defense > 0.0
}

/// What a fixed policy of actor `i` sees of the run. Tit-for-tat answers the hegemon's last
/// move: a higher demand than last round's, or a rise of the tariff in force last round (an
/// escalation, a re-opened deal), on the reciprocal line or the others.
fn remember(ctx: &Ctx, st: &State, i: usize) -> Memory {
    let d = &st.demand;
    Memory {
        rose: d.offer[i] > st.offer_prev[i] + 1e-12
            || st.tariff[i] > st.tariff_prev[i] + 1e-12
            || d.base_offer[i] > st.base_offer_prev[i] + 1e-12
            || st.tariff_base[i] > st.base_prev[i] + 1e-12,
        grim: st.grim[i],
        round: st.t,
        can_bandwagon: ctx.rival.is_some_and(|c| c != i),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The five costs of MODEL.md 3.3 for the fixture's ALLY in round 0 at ε = 2 and a
    /// horizon of 2 years, from its numbers: Y = 4000, X_iH(0) = 150, X_Hi(0) = 80, e = 0.8,
    /// v = 0.25, r = 0.2, h = 0.6, s = θ = 0.7, a = 0.3, κ = 0.8; offer ½·70/150, deal 0.15,
    /// fee 17.5, host 4, g = 0.035 from d = 0.02, ℓ = 0.5.
    #[test]
    fn costs_follow_model_md_for_a_hand_computed_case() {
        use crate::testing::{ALLY, Fixture, close};
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let mut run = fx.demanded(&ctx);
        let (eps, horizon) = (2.0, 2.0);
        run.cache.factors[ALLY] = run.cache.ln[ALLY].map(|l| factor_ln(l, eps));
        let c = costs(
            &ctx,
            &run.st,
            &run.cache.factors[ALLY],
            ALLY,
            horizon,
            0.0,
            eps,
        );

        let offer = 0.5 * 70.0 / 150.0;
        let esc = offer + 0.5;
        let f = |tau: f64| (1.0 + 0.8 * tau).powf(-eps);
        // L(τ) = 100·μ·(1 + v)·X̄·[1 − f]/Y.
        let l = |tau: f64| 100.0 * 1.25 * 150.0 * (1.0 - f(tau)) / 4000.0;
        let gap = l(offer) - l(0.15);
        // K = 100·(f + F + Δd·Y)/Y·(1 + r), Δd = φ_d·(g − d(0)) = 0.0015.
        let k = 100.0 * (17.5 + 4.0 + 0.0015 * 4000.0) / 4000.0 * 1.2;
        // S(a) = s·θ·(1 − a)·clamp((1 − κ) + ℓ·w_a)·σ_S.
        let sec = |w: f64| 0.7 * 0.7 * 0.7 * 6.0 * (0.2 + 0.5 * w);
        let concede = l(0.15) + k + 0.05 * horizon * gap;
        close(c[Action::Concede as usize], concede + sec(0.0));
        // R: the escalated tariff, the counter-tariff ρ = τ^esc on own imports, resolve, and
        // the roll-back odds of i alone: w = ρ·80/30000·1.1 against w_H = 0.01.
        let rho = esc;
        let w = rho * 80.0 / 30000.0 * 1.1;
        let p_back = w / (w + 0.01);
        let counter = 100.0 * 0.75 * 80.0 * (1.0 - (1.0 + rho).powf(-eps)) / 4000.0;
        let retaliate = l(esc) + counter - 0.2 * 0.3 - p_back * horizon * gap + sec(1.0);
        close(c[Action::Retaliate as usize], retaliate);
        // G: Δη = γ·h = 0.06; one-off c_h·Δη·X̄ against the loss avoided over the horizon,
        // plus the price of selling the diverted stock in ALLY's other markets (125 + 25 +
        // 400 = 550 bn) at σ = 1 + ε = 3: D(η) = 550·[(1 + h) − (1 + h)^(2/3)], h = 150·η/550.
        let s_g = 100.0 * 1.25 * 150.0 * (1.0 - f(offer)) / 4000.0;
        let d = |eta: f64| {
            let g: f64 = 1.0 + eta * 150.0 / 550.0;
            550.0 * (g - g.powf(2.0 / 3.0))
        };
        let hedge_net = |de: f64| {
            0.2 * de * 150.0 * 100.0 / 4000.0 - de * s_g * horizon
                + 100.0 * 1.25 * d(de) / 4000.0 * horizon
        };
        close(
            c[Action::Hedge as usize],
            l(offer) + hedge_net(0.06) + sec(0.5),
        );
        close(
            c[Action::ConcedeHedge as usize],
            concede + hedge_net(0.03) + sec(0.25),
        );
        // B: the discounted deal, the renege term, and the rival's sanction on X_iC = 125.
        let b = 0.15 * 0.9;
        let entrapment = 1.0 * 125.0 * 100.0 / 4000.0 / 100.0 * 30.0;
        close(
            c[Action::Bandwagon as usize],
            l(b) + k + 0.05 * horizon * (l(offer) - l(b)) + entrapment + sec(-0.1),
        );
    }

    #[test]
    fn a_blocked_share_prices_the_hedge_step_as_lost_exports() {
        // With a share b of last round's re-routed exports blocked by safeguards, G's and CG's
        // prices rise by μ·(1 + v)·b·Δη·X_iH(0)·100/Y per year of the horizon (MODEL.md 3.3):
        // ALLY's Δη = 0.06 (CG 0.03), b = 0.4, horizon 2, at ε = 2.
        use crate::testing::{ALLY, Fixture, close};
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let mut run = fx.demanded(&ctx);
        let (eps, horizon) = (2.0, 2.0);
        run.cache.factors[ALLY] = run.cache.ln[ALLY].map(|l| factor_ln(l, eps));
        let price = |st: &State| costs(&ctx, st, &run.cache.factors[ALLY], ALLY, horizon, 0.0, eps);
        let free = price(&run.st);
        let mut st = run.st.clone();
        st.blocked_share[ALLY] = 0.4;
        let guarded = price(&st);
        let per = 100.0 * 1.25 * 0.4 * 150.0 / 4000.0 * horizon;
        let (g, cg) = (Action::Hedge as usize, Action::ConcedeHedge as usize);
        close(guarded[g] - free[g], per * 0.06);
        close(guarded[cg] - free[cg], per * 0.03);
        for a in [Action::Concede, Action::Retaliate, Action::Bandwagon] {
            close(guarded[a as usize], free[a as usize]);
        }
    }

    #[test]
    fn infinite_rationality_picks_the_cheapest_action() {
        let c = [0.3, 0.1, 0.2, 0.5, 0.4];
        for k in 0..100 {
            let u = (k as f64 + 0.5) / 100.0;
            assert_eq!(quantal(&c, f64::INFINITY, u), Action::Retaliate);
            assert_eq!(quantal(&c, 1e9, u), Action::Retaliate);
        }
    }

    #[test]
    fn zero_rationality_is_uniform() {
        let c = [0.3, 0.1, 0.2, 0.5, 0.4];
        // λ = 0 and the limit λ → 0 (1e-12: weights differ from 1 by < 1e-12).
        for lambda in [0.0, 1e-12] {
            let mut hits = [0usize; 5];
            let n = 10_000;
            for k in 0..n {
                let u = (k as f64 + 0.5) / n as f64;
                hits[quantal(&c, lambda, u) as usize] += 1;
            }
            assert_eq!(hits, [2000; 5], "lambda {lambda}");
        }
    }

    #[test]
    fn quantal_probabilities_follow_the_logit_formula() {
        let c = [1.0, 2.0, 3.0, 1.5, 10.0];
        let lambda: f64 = 1.3;
        let z: f64 = c.iter().map(|x| (-lambda * x).exp()).sum();
        let n = 100_000;
        let mut hits = [0usize; 5];
        for k in 0..n {
            hits[quantal(&c, lambda, (k as f64 + 0.5) / n as f64) as usize] += 1;
        }
        for k in 0..5 {
            let p = (-lambda * c[k]).exp() / z;
            assert!((hits[k] as f64 / n as f64 - p).abs() < 1e-4, "action {k}");
        }
    }

    #[test]
    fn infinite_costs_are_never_chosen() {
        let c = [0.3, 0.1, 0.2, 0.5, f64::INFINITY];
        for k in 0..1000 {
            let u = (k as f64 + 0.5) / 1000.0;
            assert_ne!(quantal(&c, 0.0, u), Action::Bandwagon);
        }
    }

    #[test]
    fn threshold_rule_keeps_its_meaning_for_negative_costs() {
        // cost(C) = −1: a tougher actor needs a costlier retaliation before it concedes.
        let c = [-1.0, 0.5, 0.0, 0.0, 0.0];
        let at = |t: f64| priced_choice(&Policy::Threshold { toughness: t }, &c, 1.0, 0.5);
        assert_eq!(at(1.0), Action::Concede);
        assert_eq!(at(2.0), Action::Concede);
        assert_eq!(at(3.0), Action::Retaliate);
    }

    #[test]
    fn grim_and_hedge_then_concede_follow_their_memory() {
        let at = |p: &Policy, rose: bool, grim: bool, round: u32| {
            fixed_choice(
                p,
                Memory {
                    rose,
                    grim,
                    round,
                    can_bandwagon: true,
                },
            )
        };
        assert_eq!(at(&Policy::Grim, false, false, 9), Action::Concede);
        assert_eq!(at(&Policy::Grim, false, true, 9), Action::Retaliate);
        assert_eq!(at(&Policy::Grim, true, true, 0), Action::Retaliate);
        let htc = Policy::HedgeThenConcede { rounds: 3 };
        assert_eq!(at(&htc, true, false, 0), Action::Hedge);
        assert_eq!(at(&htc, false, false, 2), Action::Hedge);
        assert_eq!(at(&htc, true, false, 3), Action::Concede);
        let never = Policy::HedgeThenConcede { rounds: 0 };
        assert_eq!(at(&never, false, false, 0), Action::Concede);
    }

    #[test]
    fn fixed_policies_need_a_rival_to_bandwagon() {
        let seen = |can_bandwagon| Memory {
            can_bandwagon,
            ..Memory::default()
        };
        assert_eq!(
            fixed_choice(&Policy::Bandwagon, seen(true)),
            Action::Bandwagon
        );
        assert_eq!(
            fixed_choice(&Policy::Bandwagon, seen(false)),
            Action::Concede
        );
        assert_eq!(
            fixed_choice(&Policy::AlwaysConcede, seen(true)),
            Action::Concede
        );
        assert_eq!(
            fixed_choice(&Policy::AlwaysHedge, seen(true)),
            Action::Hedge
        );
    }

    #[test]
    fn threshold_rule_is_axelrods_b5() {
        let c = [1.0, 3.0, 0.0, 0.0, 0.0];
        let b5 = |t: f64| priced_choice(&Policy::Threshold { toughness: t }, &c, 1.0, 0.5);
        assert_eq!(b5(2.0), Action::Concede);
        assert_eq!(b5(4.0), Action::Retaliate);
        let rose = |r: bool| Memory {
            rose: r,
            ..Memory::default()
        };
        assert_eq!(
            fixed_choice(&Policy::TitForTat, rose(true)),
            Action::Retaliate
        );
        assert_eq!(
            fixed_choice(&Policy::TitForTat, rose(false)),
            Action::Concede
        );
    }
}
