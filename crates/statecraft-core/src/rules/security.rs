//! Phase 5, security (MODEL.md 3.4): beliefs about the hegemon, credibility of its guarantee, autonomy.
//!
//! Each actor holds a belief π_i that the hegemon is an extortionist rather than a reliable ally
//! and updates it by Bayes' rule from the extraction it sees: whether the annual tariff revenue
//! and payments it gives the hegemon exceed `extraction_cap` of its GDP. Credibility moves α_κ of
//! the way toward κ_i(0)·(1 − ℓ·π_i), less δ_R after a retaliation: the abandonment fear of
//! Snyder's alliance security dilemma, and Morrow's view of alliances as costly signals.
//! Autonomy grows by α_a·h_i after hedging and by α_d per unit of added defence spending.

use crate::rules::{Ctx, tariff_revenue};
use crate::state::{State, Tallies};
use crate::strategy::Action;

/// Runs phase 5. Records the first rupture round.
pub fn run(ctx: &Ctx, st: &mut State, tallies: &mut Tallies) {
    let m = &ctx.m;
    let h = ctx.h;
    for i in 0..ctx.n {
        if i == h {
            continue;
        }
        let a = &ctx.actors[i];
        let revenue = tariff_revenue(ctx, st, i);
        let extraction = (revenue + st.paid_now[i] * ctx.rpy) / a.gdp;
        let (pe, pr) = if extraction > m.extraction_cap {
            (m.signal_if_extortionist, m.signal_if_reliable)
        } else {
            (1.0 - m.signal_if_extortionist, 1.0 - m.signal_if_reliable)
        };
        let prior = st.belief[i];
        let evidence = prior * pe + (1.0 - prior) * pr;
        if evidence > 0.0 {
            st.belief[i] = (prior * pe / evidence).clamp(1e-9, 1.0 - 1e-9);
        }
        let target = a.credibility * (1.0 - st.demand.linkage * st.belief[i]);
        let mut k = st.cred[i] + m.credibility_adjustment * (target - st.cred[i]);
        if st.action[i] == Some(Action::Retaliate) {
            k -= m.credibility_penalty_retaliation;
        }
        st.cred[i] = k.clamp(0.0, 1.0);
        let mut auto =
            st.autonomy[i] + m.autonomy_from_defense * (st.defense[i] - st.defense_prev[i]);
        if st.action[i].is_some_and(Action::hedges) {
            auto += m.autonomy_from_hedging * a.hedging_capacity;
        }
        st.autonomy[i] = auto.clamp(0.0, 1.0);
        if tallies.first_rupture.is_none()
            && ctx.world.treaty_ally[i]
            && st.cred[i] < m.rupture_threshold
        {
            tallies.first_rupture = Some(st.t);
        }
    }
}
