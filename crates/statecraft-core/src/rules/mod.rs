//! The phases of a round (MODEL.md 1.3 and 3.2–3.4), one module each, in the order `step`
//! calls them, and the formulas more than one phase uses.
//!
//! Each phase is a pure function of the run's constants ([`Ctx`]), the parts of the run's state
//! it reads and writes, and its own random stream. Within a phase every actor decides from the
//! same read-only state; decisions are applied in `ActorId` order.

pub mod accounting;
pub mod blocs;
pub mod controls;
pub mod demand;
pub mod learning;
pub mod lines;
pub mod response;
pub mod rival;
pub mod security;
pub mod settlement;
pub mod shocks;
pub mod trade;
pub mod welfare;

use crate::ctx::Ctx;
use crate::ids::ActorId;
use crate::state::State;

/// The trade factor (1 + x)^(−ε) from ln(1 + x), computed once per demand (see
/// [`crate::state::Cache::ln`]).
#[inline]
pub fn factor_ln(ln1p: f64, eps: f64) -> f64 {
    if ln1p == 0.0 {
        1.0
    } else {
        (-eps * ln1p).exp()
    }
}

/// τ^eff_i = e_i·τ_i + b_i: the effective tariff in force on actor `i`'s exports to the
/// hegemon, trade-weighted over its lines (MODEL.md 3.2).
#[inline]
pub fn effective_tariff(ctx: &Ctx, st: &State, i: ActorId) -> f64 {
    ctx.actors[i].exposure * st.tariff[i] + st.tariff_base[i]
}

/// τ^eff_i·X_iH: the hegemon's annual tariff revenue on actor `i`'s exports, bn USD (MODEL.md
/// 3.4, accounting; the extraction the actor sees in phase 5; the gain the adaptive hegemon
/// weighs in phase 8).
#[inline]
pub fn tariff_revenue(ctx: &Ctx, st: &State, i: ActorId) -> f64 {
    effective_tariff(ctx, st, i) * st.exports[(i, ctx.h)]
}
