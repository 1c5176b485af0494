//! Phase 6, rival counter-coercion (MODEL.md 3.4): when an actor raises its alignment with the
//! hegemon, the rival sanctions it with probability q_C·Δz_i/Δz (q_C is the hazard per full
//! alignment step, "per alignment shock"; a step cut short at z = 1 counts in proportion),
//! cutting its exports to the rival by δ_C for k_C rounds (the weaponised interdependence of
//! Farrell & Newman 2019; China against South Korea over THAAD in 2017). Where the world sets
//! q_S, a security step with the hegemon in a deal round (a defence rise the deal asks, host-
//! nation support) is a trigger too: sanctioned with probability 1 − (1 − q_C·Δz_i/Δz)(1 − q_S).

use crate::ctx::Ctx;
use crate::rng::SimRng;
use crate::state::State;

/// Runs phase 6. Draws exactly one uniform per actor when the world has a rival.
pub fn run(ctx: &Ctx, st: &mut State, rng: &mut SimRng) {
    let Some(c) = ctx.rival else { return };
    let rounds = ctx.m.rival_sanction_rounds.round() as u32;
    for i in 0..ctx.n {
        let u = rng.open01();
        st.sanction_left[i] = st.sanction_left[i].saturating_sub(1);
        if i == c || i == ctx.h {
            continue;
        }
        let step = ctx.m.alignment_step;
        let shock = if step > 0.0 {
            st.align_added[i] / step
        } else {
            0.0
        };
        // A tilt toward the rival spares the actor in proportion.
        let p = sanction_chance(ctx, st, i, shock) * (1.0 - st.tilt[i]);
        if p > 0.0 && u < p {
            st.sanction_left[i] = rounds;
            st.sanctions[i] += 1;
        }
    }
}

/// The chance that the rival sanctions actor `i` this round, given its alignment shock
/// Δz_i/Δz: q_C times the shock, and with a security step (where the world sets q_S) the
/// chance that either trigger fires.
pub fn sanction_chance(ctx: &Ctx, st: &State, i: usize, shock: f64) -> f64 {
    let align = if shock > 0.0 {
        ctx.m.rival_sanction_hazard * shock
    } else {
        0.0
    };
    match ctx.world.security_sanction_hazard {
        Some(q) if st.security_step[i] => 1.0 - (1.0 - align) * (1.0 - ctx.v(q)),
        _ => align,
    }
}

#[cfg(test)]
mod tests {
    use crate::rng::Stream;
    use crate::testing::{ALLY, Fixture, OTH};

    #[test]
    fn a_full_alignment_step_is_sanctioned_at_the_hazard() {
        // q_C = 1 per full step Δz = 0.2: certain; k_C = 2 rounds, counted down each round.
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        let mut rng = fx.rng(Stream::Rival);
        run.st.align_added[ALLY] = 0.2;
        super::run(&ctx, &mut run.st, &mut rng);
        assert_eq!(run.st.sanction_left[ALLY], 2);
        assert_eq!(run.st.sanction_left[OTH], 0);
        assert_eq!((run.st.sanctions[ALLY], run.st.sanctions[OTH]), (1, 0));
        run.st.align_added[ALLY] = 0.0;
        super::run(&ctx, &mut run.st, &mut rng);
        assert_eq!(run.st.sanction_left[ALLY], 1);
        // An actor wholly tilted toward the rival is spared: chance q_C·(1 − z^C) = 0.
        run.st.align_added[OTH] = 0.2;
        run.st.tilt[OTH] = 1.0;
        super::run(&ctx, &mut run.st, &mut rng);
        assert_eq!(run.st.sanctions[OTH], 0);
    }

    #[test]
    fn a_partial_step_is_sanctioned_in_proportion() {
        // Δz = 0.1 of a step of 0.2: sanctioned with probability q_C·½ = ½, one uniform per
        // actor and round; over 4,000 rounds the share is ½ within 4 standard errors.
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        let mut rng = fx.rng(Stream::Rival);
        let n = 4000;
        let mut hits = 0;
        for _ in 0..n {
            run.st.sanction_left[ALLY] = 0;
            run.st.align_added[ALLY] = 0.1;
            super::run(&ctx, &mut run.st, &mut rng);
            hits += usize::from(run.st.sanction_left[ALLY] > 0);
        }
        let share = hits as f64 / n as f64;
        assert!(
            (share - 0.5).abs() < 4.0 * (0.25 / n as f64).sqrt(),
            "{share}"
        );
    }

    #[test]
    fn a_security_step_is_a_trigger_where_the_world_sets_q_s() {
        // q_S = 1: a round with a security step and no alignment is sanctioned for sure; the
        // same round in a world without q_S is not.
        for (fx, sanctioned) in [
            (
                Fixture::paid_world_with("security_sanction_hazard: Some(1)"),
                1,
            ),
            (Fixture::paid(), 0),
        ] {
            let ctx = fx.ctx();
            let mut run = fx.start(&ctx);
            let mut rng = fx.rng(Stream::Rival);
            run.st.security_step[ALLY] = true;
            super::run(&ctx, &mut run.st, &mut rng);
            assert_eq!(run.st.sanctions[ALLY], sanctioned);
            assert_eq!(run.st.sanctions[OTH], 0);
        }
    }
}
