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

use crate::rules::Ctx;
use crate::scenario::Stage;
use crate::state::{Ln, State};

/// The share of π_RTA a membership in force since round `since` gives in round `t`: phased in
/// over `rta_phase_in_years` in annual steps at each year boundary of the run (FTA tariff
/// schedules cut in yearly tranches): 1/years in the year it comes into force, 2/years in the
/// next, ..., 1 from then on. Memberships from before the run ([`crate::state::ALWAYS`]) are
/// fully phased in.
pub fn phase(ctx: &Ctx, t: u32, since: i64) -> f64 {
    let years = ctx.m.rta_phase_in_years;
    if years <= 0.0 || since == crate::state::ALWAYS {
        return 1.0;
    }
    let t = i64::from(t);
    if t < since {
        return 0.0;
    }
    let rpy = ctx.rpy as i64;
    let year = (t / rpy - since / rpy + 1) as f64;
    (year / years).min(1.0)
}

/// Computes `st.premium` (`i * n + j`): π_RTA between i and j this round, the largest over the
/// regional blocs they share, each at the phase of the later of the two memberships.
pub fn update_premiums(ctx: &Ctx, st: &mut State) {
    let n = ctx.n;
    for i in 0..n {
        for j in 0..n {
            let shared = st.regional_mask[i] & st.regional_mask[j];
            let mut best: f64 = 0.0;
            if shared != 0 && i != j {
                for b in 0..ctx.nb {
                    if shared & (1u64 << b) != 0 {
                        let since = st.since[i * ctx.nb + b].max(st.since[j * ctx.nb + b]);
                        best = best.max(phase(ctx, st.t, since));
                    }
                }
            }
            st.premium[i * n + j] = ctx.m.rta_premium * best;
        }
    }
}

/// Rebuilds the regional masks from the memberships in force in round `st.t`.
fn update_masks(ctx: &Ctx, st: &mut State) {
    let nb = ctx.nb;
    let t = i64::from(st.t);
    for i in 0..ctx.n {
        let mut mask = 0u64;
        for b in 0..nb {
            let idx = i * nb + b;
            if ctx.world.blocs[b].regional
                && st.stage[idx] == Some(Stage::InForce)
                && st.since[idx] <= t
            {
                mask |= 1u64 << b;
            }
        }
        st.regional_mask[i] = mask;
    }
}

/// Recomputes the re-routing shares of every exporter other than the hegemon: partners other
/// than the hegemon and itself, the rest of the world included, weighted by
/// X_ij(0)·(1 + premium).
fn update_shares(ctx: &Ctx, st: &mut State) {
    let n = ctx.n;
    let cols = n + 1;
    for i in 0..n {
        if i == ctx.h {
            continue;
        }
        let row = i * cols;
        let mut total = 0.0;
        for j in 0..cols {
            let w = if j == i || j == ctx.h {
                0.0
            } else {
                let pref = if j < n { st.premium[i * n + j] } else { 0.0 };
                ctx.x0(i, j) * (1.0 + pref)
            };
            st.shares[row + j] = w;
            total += w;
        }
        if total > 0.0 {
            for j in 0..cols {
                st.shares[row + j] /= total;
            }
        }
    }
}

/// Runs phase 4 with the trade factors of the round (`st.factors`, filled by phase 2 for the
/// actors that priced their actions and after settlement for the others).
pub fn run(ctx: &Ctx, st: &mut State) {
    let n = ctx.n;
    let cols = n + 1;
    let h = ctx.h;
    let psi = ctx.m.reroute_share;
    // Premiums change when a membership comes into force and at year boundaries while one is
    // phasing in.
    let year_boundary =
        st.t.is_multiple_of(ctx.world.rounds_per_year) && i64::from(st.t) <= st.phase_end;
    if st.premium_dirty || year_boundary {
        update_masks(ctx, st);
        update_premiums(ctx, st);
        update_shares(ctx, st);
        st.premium_dirty = false;
    }
    for i in 0..n {
        let row = i * cols;
        if i != h {
            st.hedge[i] = (st.hedge[i] + st.hedge_added[i]).min(ctx.m.max_hedge);
            let base = ctx.x0(i, h);
            let f = st.factors[i][st.tariff_src[i] as usize];
            let kept = base * (1.0 - st.hedge[i]);
            let lost = base * st.hedge[i] + psi * kept * (1.0 - f);
            // Shares are zero for i itself and the hegemon, whose entries this leaves at X(0)
            // (zero for i) and then overwrites (the hegemon).
            let x0 = &ctx.world.trade0[row..row + cols];
            let shares = &st.shares[row..row + cols];
            for ((x, &base_j), &share) in st.exports[row..row + cols].iter_mut().zip(x0).zip(shares)
            {
                *x = base_j + lost * share;
            }
            st.exports[row + h] = kept * f;
        } else {
            // The hegemon: exports to each retaliator fall; a share ψ of the loss goes to the
            // partners that do not retaliate, the rest of the world included.
            let mut lost = 0.0;
            let mut total_w = 0.0;
            for j in 0..cols {
                let base = ctx.x0(h, j);
                if j == h {
                    st.weights[j] = 0.0;
                } else if j < n && st.counter[j] > 0.0 {
                    let f = st.factors[j][Ln::Counter as usize];
                    st.exports[row + j] = base * f;
                    lost += psi * base * (1.0 - f);
                    st.weights[j] = 0.0;
                } else {
                    let pref = if j < n { st.premium[h * n + j] } else { 0.0 };
                    st.weights[j] = base * (1.0 + pref);
                    total_w += st.weights[j];
                }
            }
            let scale = if total_w > 0.0 { lost / total_w } else { 0.0 };
            for j in 0..cols {
                if j != h && (j == n || st.counter[j] <= 0.0) {
                    st.exports[row + j] = ctx.x0(h, j) + st.weights[j] * scale;
                }
            }
        }
        st.sanction_loss[i] = 0.0;
        if let Some(c) = ctx.rival
            && i != c
            && st.sanction_left[i] > 0
        {
            st.sanction_loss[i] = ctx.m.rival_sanction_cut * st.exports[row + c];
            st.exports[row + c] -= st.sanction_loss[i];
        }
    }
}
