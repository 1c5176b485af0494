//! Phase 0, shocks: the constraint of the hegemon's discretionary tariff authority
//! (MODEL.md 3.4).
//!
//! From round `from_round` on, with hazard p_court per round, the authority is constrained and
//! every tariff is capped at τ_cap for the rest of the run. Modelled as a constant-hazard
//! (exponential waiting time) event. The ruling may void a legal basis, and an interim
//! surcharge may replace the voided lines for a number of rounds on the partners that had one
//! in force ([`lines::interim`]). A strategy that starts under a cap (`ConstrainedPaidAccess`)
//! sets it when the run starts ([`crate::strategy::Strategy::cap`]).

use crate::ctx::Ctx;
use crate::rng::SimRng;
use crate::rules::lines;
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
            if shock.interim.is_some() {
                for i in 0..ctx.n {
                    st.interim[i] = i != ctx.h && lines::basis_in_force(ctx, st, i, basis);
                }
            }
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
    fn interim_and_refunds_need_a_voided_basis_and_a_round() {
        let error = |court: &str| {
            let text = crate::testing::scenario(PAID, &format!("court_shock: Some({court}),"));
            let sc = crate::scenario::parse(&text, "fixture").expect("parses");
            crate::World::from_scenario(&sc, "fixture")
                .expect_err("invalid")
                .to_string()
        };
        let e = error("(from_round: 2, hazard: 1, interim: Some((rate: 0.1, rounds: 2)))");
        assert!(
            e.contains("court_shock.interim") && e.contains("needs `voids`"),
            "{e}"
        );
        let e = error("(from_round: 2, hazard: 1, refunds: Some(0.5))");
        assert!(
            e.contains("court_shock.refunds") && e.contains("needs `voids`"),
            "{e}"
        );
        let e =
            error("(from_round: 2, hazard: 1, voids: Some(\"discretionary\"), refunds: Some(1.5))");
        assert!(
            e.contains("court_shock.refunds") && e.contains("allowed range [0, 1]"),
            "{e}"
        );
        let e = error(
            "(from_round: 2, hazard: 1, voids: Some(\"discretionary\"),
                interim: Some((rate: 0.1, rounds: 0)))",
        );
        assert!(
            e.contains("court_shock.interim.rounds") && e.contains("[1, ∞)"),
            "{e}"
        );
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
