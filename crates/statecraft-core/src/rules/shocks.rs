//! Phase 0, shocks: the constraint of the hegemon's discretionary tariff authority
//! (MODEL.md 3.4).
//!
//! From round `from_round` on, with hazard p_court per round, the authority is constrained and
//! every tariff is capped at τ_cap for the rest of the run. Modelled as a constant-hazard
//! (exponential waiting time) event. A strategy that starts under a cap
//! (`ConstrainedPaidAccess`) sets it when the run starts ([`crate::strategy::Strategy::cap`]).

use crate::ctx::Ctx;
use crate::rng::SimRng;
use crate::state::State;

/// Runs phase 0. Draws exactly one uniform per round.
pub fn run(ctx: &Ctx, st: &mut State, rng: &mut SimRng) {
    let u = rng.open01();
    if let Some(shock) = &ctx.world.court_shock
        && st.t >= shock.from_round
        && u < ctx.v(shock.hazard)
        && st.court_round.is_none()
    {
        st.court_round = Some(st.t);
        st.cap = st.cap.min(ctx.v(shock.cap));
        if let Some(basis) = shock.voids {
            st.voided |= 1u64 << basis;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rng::Stream;
    use crate::testing::{Fixture, PAID, paid_fields};

    #[test]
    fn a_certain_ruling_caps_tariffs_from_its_first_round() {
        // Hazard 1 from round 2: the ruling comes in round 2 and caps tariffs at 0.15.
        let fx = Fixture::new(
            PAID,
            "court_shock: Some((from_round: 2, hazard: 1, cap: 0.15)),",
        );
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        let mut rng = fx.rng(Stream::Shocks);
        for t in 0..4 {
            run.st.t = t;
            super::run(&ctx, &mut run.st, &mut rng);
            if t < 2 {
                assert_eq!(run.st.court_round, None, "round {t}");
                assert_eq!(run.st.cap, f64::INFINITY);
            }
        }
        assert_eq!(run.st.court_round, Some(2));
        assert_eq!(run.st.cap, 0.15);
    }

    #[test]
    fn a_constrained_strategy_starts_under_its_cap() {
        let fx = Fixture::new(
            &format!("ConstrainedPaidAccess(base: {}, cap: 0.2)", paid_fields()),
            "",
        );
        let ctx = fx.ctx();
        assert_eq!(fx.start(&ctx).st.cap, 0.2);
    }
}
