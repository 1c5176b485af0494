//! Phase 4, trade: exports respond to tariffs, hedging diverts them, and a share of the lost
//! volume is re-routed to other partners.
//!
//! X_iH = X_iH(0)·(1 − η_i)·(1 + e_i·τ_i)^(−ε(t)) (constant-elasticity import demand with the
//! time-varying elasticity of Boehm, Levchenko & Pandalai-Nayar 2023). The hedged volume
//! X_iH(0)·η_i is re-routed whole; of the volume lost to the tariff a share ψ is re-routed
//! (SMART/Armington trade diversion), to partners j in proportion to
//! X_ij(0)·(1 + π_RTA·[i, j share a regional bloc in force]) (Baier & Bergstrand 2007).
//! The hegemon's exports fall with counter-tariffs alike, X_Hi = X_Hi(0)·(1 + ρ_i)^(−ε(t)), and
//! it re-routes to partners that do not retaliate. A rival sanction cuts X_iC by δ_C.

use crate::rules::{Ctx, tariff_factor};
use crate::state::State;

/// Computes `st.premium` (`i * n + j`): π_RTA between i and j this round, phased in linearly
/// over `rta_phase_in_years` from the round the later of the two memberships came into force;
/// the largest over the regional blocs they share.
pub fn update_premiums(ctx: &Ctx, st: &mut State) {
    let n = ctx.n;
    let phase_rounds = ctx.m.rta_phase_in_years * ctx.rpy;
    let t = i64::from(st.t);
    for i in 0..n {
        for j in 0..n {
            let shared = st.regional_mask[i] & st.regional_mask[j];
            let mut best: f64 = 0.0;
            if shared != 0 && i != j {
                for b in 0..ctx.nb {
                    if shared & (1u64 << b) == 0 {
                        continue;
                    }
                    let since = st.since[i * ctx.nb + b].max(st.since[j * ctx.nb + b]);
                    let phase = if phase_rounds <= 0.0 {
                        1.0
                    } else {
                        ((t - since) as f64 / phase_rounds).clamp(0.0, 1.0)
                    };
                    best = best.max(phase);
                }
            }
            st.premium[i * n + j] = ctx.m.rta_premium * best;
        }
    }
}

/// Runs phase 4 with elasticity `eps`.
pub fn run(ctx: &Ctx, st: &mut State, eps: f64) {
    let n = ctx.n;
    let cols = n + 1;
    let h = ctx.h;
    let psi = ctx.m.reroute_share;
    update_premiums(ctx, st);
    for i in 0..n {
        let row = i * cols;
        // Lost volume, and the bilateral flow to the hegemon (or, for the hegemon, to each
        // retaliator).
        let mut lost = 0.0;
        if i == h {
            for j in 0..n {
                if j == h {
                    continue;
                }
                let base = ctx.x0(h, j);
                let f = tariff_factor(st.counter[j], eps);
                st.exports[row + j] = base * f;
                lost += psi * base * (1.0 - f);
            }
        } else {
            st.hedge[i] = (st.hedge[i] + st.hedge_added[i]).min(ctx.m.max_hedge);
            let base = ctx.x0(i, h);
            let f = tariff_factor(ctx.actors[i].exposure * st.tariff[i], eps);
            let kept = base * (1.0 - st.hedge[i]);
            st.exports[row + h] = kept * f;
            lost = base * st.hedge[i] + psi * kept * (1.0 - f);
        }
        // Re-routing weights over partners other than the hegemon (for the hegemon: partners
        // that do not retaliate), the rest of the world included.
        let counter = &st.counter;
        let open = |j: usize| {
            j != i
                && if i == h {
                    j == n || counter[j] == 0.0
                } else {
                    j != h
                }
        };
        let mut total_w = 0.0;
        for j in 0..cols {
            let w = if open(j) {
                let pref = if j < n { st.premium[i * n + j] } else { 0.0 };
                ctx.x0(i, j) * (1.0 + pref)
            } else {
                0.0
            };
            st.weights[j] = w;
            total_w += w;
        }
        let scale = if total_w > 0.0 { lost / total_w } else { 0.0 };
        for j in 0..cols {
            if open(j) {
                st.exports[row + j] = ctx.x0(i, j) + st.weights[j] * scale;
            }
        }
        if let Some(c) = ctx.rival
            && i != c
            && st.sanction_left[i] > 0
        {
            st.exports[row + c] *= 1.0 - ctx.m.rival_sanction_cut;
        }
    }
}
