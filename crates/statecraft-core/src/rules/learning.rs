//! Phase 8, learning (MODEL.md 3.4): the hegemon adapts its demands to each target.
//!
//! `AdaptiveExtortion`: m_i ← m_i·(1 + up) after a concession, m_i ← m_i·(1 − down) after a
//! retaliation that cost the hegemon more (its exports lost to i's counter-tariff) than it
//! gained from i (tariff revenue and payments), clamped to the bounds: Axelrod's demanders in
//! "Building New Political Actors" learn whom to target. `Reciprocal`: the tariff on a
//! retaliator rises by `step` (Conybeare's reciprocity).

use crate::rules::{Ctx, tariff_revenue};
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
