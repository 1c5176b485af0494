//! Phase 3, settlement (MODEL.md 3.4): the chosen actions take effect.
//!
//! C/CG/B: the deal tariff (B's discounted), the fees and host-nation payments of the round,
//! defence spending moving toward the target; B raises alignment. R: the hegemon escalates
//! (τ = offer + Δτ_esc) and the retaliator's counter-tariff matches it; the roll-back is drawn in
//! the next round's demand. G: the offer stands. Every deal re-opens with hazard ρ_renege per
//! round (the "boomerang" clause): the tariff returns to the offer. This is Fearon's (1995)
//! commitment problem: a hegemon cannot promise not to re-open what it was paid to close.

use crate::rng::SimRng;
use crate::rules::Ctx;
use crate::state::{Ln, State, Tallies};
use crate::strategy::Action;

/// The yearly rise of defence spending a deal commits actor `i` to, share of GDP: a linear
/// path from d_i(0) to the target g in 1/φ_d years of deals, φ_d·(g − d_i(0)) a year, never past
/// g (the NATO path to 3.5% by 2035 is such a line). Only for actors whose security rests on
/// the hegemon (s_i > 0).
pub fn defense_step(ctx: &Ctx, st: &State, i: usize) -> f64 {
    let a = &ctx.actors[i];
    let g = st.demand.defense_target;
    if a.security_dependence <= 0.0 || g <= st.defense[i] {
        return 0.0;
    }
    (ctx.m.defense_adjustment * (g - a.defense).max(0.0)).min(g - st.defense[i])
}

/// Δη: the hedge stock a full round of hedging adds for actor `i`, γ·h_i, at most up to η_max
/// (MODEL.md 3.3 prices it; G adds it, CG half of it).
pub fn hedge_step(ctx: &Ctx, st: &State, i: usize) -> f64 {
    let m = &ctx.m;
    (m.hedge_speed * ctx.actors[i].hedging_capacity).min((m.max_hedge - st.hedge[i]).max(0.0))
}

/// Runs phase 3 and counts the actions. Draws exactly one uniform per actor (the renege draw).
pub fn run(ctx: &Ctx, st: &mut State, tallies: &mut Tallies, rng: &mut SimRng) {
    let m = &ctx.m;
    for i in 0..ctx.n {
        let u = rng.open01();
        st.tariff_prev[i] = st.tariff[i];
        st.offer_prev[i] = st.demand.offer[i];
        st.paid_now[i] = 0.0;
        st.hedge_added[i] = 0.0;
        st.align_added[i] = 0.0;
        st.defense_prev[i] = st.defense[i];
        let Some(action) = st.action[i] else { continue };
        tallies.counts[i][action as usize] += 1;
        let d = &st.demand;
        let (offer, deal) = (d.offer[i], d.deal[i]);
        match action {
            Action::Concede | Action::ConcedeHedge | Action::Bandwagon => {
                if action == Action::Bandwagon {
                    st.tariff[i] = deal * (1.0 - m.bandwagon_discount);
                    st.tariff_src[i] = Ln::Bandwagon;
                } else {
                    st.tariff[i] = deal;
                    st.tariff_src[i] = Ln::Deal;
                }
                st.counter[i] = 0.0;
                let pay = (d.fee[i] + d.host[i]) / ctx.rpy;
                st.paid_now[i] = pay;
                st.paid[i] += pay;
                st.defense[i] += defense_step(ctx, st, i) / ctx.rpy;
                if action == Action::Bandwagon {
                    let dz = m.alignment_step.min(1.0 - st.align[i]);
                    st.align[i] += dz;
                    st.align_added[i] = dz;
                }
                st.deal_age[i] += 1;
                // The deal re-opens: back to the offer, and the roll-back is forgotten.
                if st.deal_age[i] > 1 && u < m.renege_hazard {
                    st.tariff[i] = offer;
                    st.tariff_src[i] = Ln::Offer;
                    st.deal_age[i] = 0;
                    st.rolled_back[i] = false;
                }
            }
            Action::Retaliate => {
                st.tariff[i] = d.escalated[i];
                st.tariff_src[i] = Ln::Escalated;
                st.counter[i] = m.retaliation_match * d.escalated[i];
                st.deal_age[i] = 0;
            }
            Action::Hedge => {
                st.tariff[i] = offer;
                st.tariff_src[i] = Ln::Offer;
                st.counter[i] = 0.0;
                st.deal_age[i] = 0;
            }
        }
        if action.hedges() {
            let full = hedge_step(ctx, st, i);
            st.hedge_added[i] = if action == Action::Hedge {
                full
            } else {
                0.5 * full
            };
            st.hedge_rounds[i] += 1;
        }
    }
}
