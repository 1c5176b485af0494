//! Phase 8, learning (MODEL.md 3.4): the hegemon adapts its demands to each target.
//!
//! `AdaptiveExtortion`: m_i ← m_i·(1 + up) after a concession, m_i ← m_i·(1 − down) after a
//! retaliation that cost the hegemon more (its exports lost to i's counter-tariff) than it
//! gained from i (tariff revenue and payments), clamped to the bounds: Axelrod's demanders in
//! "Building New Political Actors" learn whom to target. `Reciprocal`: the tariff on a
//! retaliator rises by `step` (Conybeare's reciprocity).

use crate::ctx::Ctx;
use crate::rules::tariff_revenue;
use crate::state::State;
use crate::strategy::{Action, Strategy};

/// Runs phase 8.
pub fn run(ctx: &Ctx, st: &mut State) {
    let h = ctx.h;
    match &ctx.world.strategy {
        Strategy::AdaptiveExtortion {
            up, down, bounds, ..
        } => {
            let (up, down) = (ctx.v(*up), ctx.v(*down));
            for i in 0..ctx.n {
                let Some(a) = st.action[i] else { continue };
                if a.accepts_deal() {
                    st.mult[i] *= 1.0 + up;
                } else if a == Action::Retaliate {
                    let cost = ctx.x0(h, i) - st.exports[(h, i)];
                    let gain = tariff_revenue(ctx, st, i) + st.paid_now[i] * ctx.rpy;
                    if cost > gain {
                        st.mult[i] *= 1.0 - down;
                    }
                }
                st.mult[i] = st.mult[i].clamp(bounds.0, bounds.1);
            }
        }
        Strategy::Reciprocal { step, .. } => {
            for i in 0..ctx.n {
                if st.action[i] == Some(Action::Retaliate) {
                    st.recip[i] = (st.recip[i] + ctx.v(*step)).min(ctx.m.max_tariff);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::strategy::Action;
    use crate::testing::{ALLY, Fixture, HEG, RIV, close, paid_fields};

    #[test]
    fn the_adaptive_hegemon_learns_whom_to_press() {
        // up 0.1 after a concession; down 0.2 after a retaliation that cost the hegemon more
        // (its lost exports to RIV: 140 − 100 = 40) than it gained (1·τ·440 at τ = 5%: 22).
        let fx = Fixture::new(
            &format!(
                "AdaptiveExtortion(base: {}, up: 0.1, down: 0.2, bounds: (0.5, 2.0))",
                paid_fields()
            ),
            "",
        );
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        run.st.action[ALLY] = Some(Action::Concede);
        run.st.action[RIV] = Some(Action::Retaliate);
        run.st.exports[(HEG, RIV)] = 100.0;
        run.st.tariff[RIV] = 0.05;
        super::run(&ctx, &mut run.st);
        close(run.st.mult[ALLY], 1.1);
        close(run.st.mult[RIV], 0.8);
        // At τ = 10% the gain (44) exceeds the cost: no change. Concessions stop at the bound.
        run.st.tariff[RIV] = 0.10;
        for _ in 0..10 {
            super::run(&ctx, &mut run.st);
        }
        close(run.st.mult[RIV], 0.8);
        assert_eq!(run.st.mult[ALLY], 2.0);
    }

    #[test]
    fn the_reciprocal_hegemon_steps_up_to_the_maximum() {
        let fx = Fixture::new("Reciprocal(base: 0.1, step: 0.05)", "");
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        run.st.action[ALLY] = Some(Action::Retaliate);
        super::run(&ctx, &mut run.st);
        assert_eq!(run.st.recip[ALLY], 0.05);
        run.st.recip[ALLY] = 1.49;
        super::run(&ctx, &mut run.st);
        assert_eq!(run.st.recip[ALLY], 1.5);
        assert_eq!(run.st.recip[RIV], 0.0);
    }
}
