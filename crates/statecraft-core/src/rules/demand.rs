//! Phase 1, demand (MODEL.md 3.2): the hegemon's strategy sets, for every target, an offer, a deal rate, an
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
use crate::state::{Cache, State};
use crate::strategy::{Action, Strategy};

/// Runs phase 1. Draws exactly one uniform per actor (the roll-back draw).
pub fn run(ctx: &Ctx, st: &mut State, cache: &mut Cache, rng: &mut SimRng) {
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
    // Paid-access demands before scaling, computed once per run (see `paid_base`).
    let paid = |i: usize, scale: f64| -> (f64, f64, f64, f64) {
        let [offer, deal_rate, fee, host] = ctx.paid_base[i];
        let offer = offer * scale;
        (
            offer,
            (deal_rate * scale).min(offer),
            fee * scale,
            host * scale,
        )
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
                Strategy::PaidAccess(_) | Strategy::ConstrainedPaidAccess { .. } => paid(i, 1.0),
                Strategy::AdaptiveExtortion { .. } => paid(i, st.mult[i]),
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
        // The hegemon escalates against a retaliator only where it demanded something: a
        // counter-tariff on an open market meets no tariff to raise.
        let escalated = if offer > 0.0 {
            (offer + ctx.m.escalation).min(max_tariff)
        } else {
            0.0
        };
        d.escalated[i] = escalated;
        let key = [offer, deal, escalated];
        if cache.ln_key[i] != key {
            let e = if i == h { 0.0 } else { ctx.actors[i].exposure };
            cache.ln[i] = [
                (e * offer).ln_1p(),
                (e * deal).ln_1p(),
                (e * escalated).ln_1p(),
                (e * deal * (1.0 - ctx.m.bandwagon_discount)).ln_1p(),
                (ctx.m.retaliation_match * escalated).ln_1p(),
            ];
            cache.ln_key[i] = key;
        }
    }
}
