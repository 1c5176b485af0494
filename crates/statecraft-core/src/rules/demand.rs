//! Phase 1, demand: the hegemon's strategy sets, for every target, an offer, a deal rate, an
//! annual fee, a host-nation demand, the defence target and the linkage ℓ.
//!
//! `PaidAccess` follows the USTR formula of 2 April 2025 (τ = max(floor, ½·(m − x)/m), capped);
//! pledges scale with the bilateral surplus, not GDP. `AdaptiveExtortion` scales the demands
//! by the multiplier each target taught the hegemon (Axelrod's demanders, phase 8).
//! `Reciprocal` is Conybeare's reciprocity: a base rate plus a step per retaliation.
//! This phase also draws the hegemon's roll-back toward a retaliator (Bueno de Mesquita's
//! coalition contest, settled here so the actor decides on the rolled-back demand).

use crate::rng::SimRng;
use crate::rules::Ctx;
use crate::state::State;
use crate::strategy::{Action, PaidAccess, Strategy, ustr_offer};

/// Runs phase 1. Draws exactly one uniform per actor (the roll-back draw).
pub fn run(ctx: &Ctx, st: &mut State, rng: &mut SimRng) {
    let h = ctx.h;
    let max_tariff = ctx.m.max_tariff.min(st.cap);
    for i in 0..ctx.n {
        let u = rng.open01();
        if i != h && st.last_action[i] == Some(Action::Retaliate) && u < st.back_prob[i] {
            st.rolled_back[i] = true;
        }
    }
    let d = &mut st.demand;
    d.defense_target = 0.0;
    d.linkage = 0.0;
    let paid = |p: &PaidAccess, i: usize, scale: f64| -> (f64, f64, f64, f64) {
        let (m, x) = (ctx.x0(i, h), ctx.x0(h, i));
        let offer = ustr_offer(m, x, ctx.v(p.floor), ctx.v(p.max_rate)) * scale;
        let deal = (ctx.v(p.deal_rate[i]) * scale).min(offer);
        let fee = ctx.v(p.fee_share) * (m - x).max(0.0) * scale;
        let host = ctx.v(p.host_fee[i]) * scale;
        (offer, deal, fee, host)
    };
    if let Some(p) = ctx.world.strategy.paid_access() {
        d.defense_target = ctx.v(p.defense_target);
        d.linkage = ctx.v(p.linkage);
    }
    for i in 0..ctx.n {
        let (mut offer, mut deal, fee, host) = if i == h {
            (0.0, 0.0, 0.0, 0.0)
        } else {
            match &ctx.world.strategy {
                Strategy::OpenOrder => (0.0, 0.0, 0.0, 0.0),
                Strategy::TargetedPunitive { rate, targets } => {
                    let r = if targets[i] { ctx.v(*rate) } else { 0.0 };
                    (r, r, 0.0, 0.0)
                }
                Strategy::PaidAccess(p) | Strategy::ConstrainedPaidAccess { base: p, .. } => {
                    paid(p, i, 1.0)
                }
                Strategy::AdaptiveExtortion { base, .. } => paid(base, i, st.mult[i]),
                Strategy::Reciprocal { base, .. } => {
                    let r = ctx.v(*base) + st.recip[i];
                    (r, r, 0.0, 0.0)
                }
            }
        };
        if st.rolled_back[i] {
            offer = deal;
        }
        offer = offer.clamp(0.0, max_tariff);
        deal = deal.clamp(0.0, offer);
        d.offer[i] = offer;
        d.deal[i] = deal;
        d.fee[i] = fee;
        d.host[i] = host;
        let escalated = (offer + ctx.m.escalation).min(max_tariff);
        d.escalated[i] = escalated;
        let key = [offer, deal, escalated];
        if d.ln_key[i] != key {
            let e = if i == h { 0.0 } else { ctx.actors[i].exposure };
            d.ln[i] = [
                (e * offer).ln_1p(),
                (e * deal).ln_1p(),
                (e * escalated).ln_1p(),
                (e * deal * (1.0 - ctx.m.bandwagon_discount)).ln_1p(),
                (ctx.m.retaliation_match * escalated).ln_1p(),
            ];
            d.ln_key[i] = key;
        }
    }
}
