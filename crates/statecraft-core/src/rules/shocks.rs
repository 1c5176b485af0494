//! Phase 0, shocks: the constraint of the hegemon's discretionary tariff authority.
//!
//! From round `from_round` on, with hazard p_court per round, the authority is constrained and every tariff is capped at
//! τ_cap for the rest of the run (the US Supreme Court's IEEPA ruling of February 2026 and the
//! 15% Section 122 surcharge that replaced the reciprocal tariffs). Modelled as a constant-hazard
//! (exponential waiting time) event. `ConstrainedPaidAccess` starts with the cap in force.

use crate::rng::SimRng;
use crate::rules::Ctx;
use crate::state::State;
use crate::strategy::Strategy;

/// Runs phase 0. Draws exactly one uniform per round.
pub fn run(ctx: &Ctx, st: &mut State, rng: &mut SimRng) {
    let u = rng.open01();
    if st.t == 0
        && let Strategy::ConstrainedPaidAccess { cap, .. } = &ctx.world.strategy
    {
        st.cap = st.cap.min(ctx.v(*cap));
    }
    if let Some(shock) = &ctx.world.court_shock
        && st.t >= shock.from_round
        && u < ctx.v(shock.hazard)
        && st.court_round.is_none()
    {
        st.court_round = Some(st.t);
        st.cap = st.cap.min(ctx.v(shock.cap));
    }
}
