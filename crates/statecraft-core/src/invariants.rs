//! Model invariants: what must hold after every phase of every round. Debug builds check them
//! after each phase and panic with the phase, round and actor that broke one; tests call
//! [`check`] directly.

use crate::ctx::Ctx;
use crate::state::{State, Tallies};

fn unit(x: f64) -> bool {
    (0.0..=1.0).contains(&x)
}

/// Checks every invariant of the state; the error names the quantity, the actor and the value.
pub fn check(ctx: &Ctx, st: &State, tallies: &Tallies) -> Result<(), String> {
    let n = ctx.n;
    let cols = n + 1;
    let max_tariff = ctx.m.max_tariff;
    let name = |i: usize| &ctx.world.names[i];
    for i in 0..n {
        let d = &st.demand;
        for (what, x) in [
            ("tariff", st.tariff[i]),
            ("offer", d.offer[i]),
            ("deal", d.deal[i]),
        ] {
            if !(0.0..=max_tariff).contains(&x) {
                return Err(format!(
                    "{what} of {} is {x}, outside [0, {max_tariff}]",
                    name(i)
                ));
            }
        }
        if d.deal[i] > d.offer[i] {
            return Err(format!(
                "deal {} above offer {} for {}",
                d.deal[i],
                d.offer[i],
                name(i)
            ));
        }
        for (what, x) in [
            ("counter-tariff", st.counter[i]),
            ("payments", st.paid[i]),
            ("fee", d.fee[i]),
            ("host fee", d.host[i]),
            ("cost", tallies.cost_sum[i]),
        ] {
            if !(x.is_finite() && x >= 0.0) {
                return Err(format!("{what} of {} is {x}", name(i)));
            }
        }
        for (what, x) in [
            ("credibility", st.cred[i]),
            ("belief", st.belief[i]),
            ("autonomy", st.autonomy[i]),
            ("hedge stock", st.hedge[i]),
            ("alignment", st.align[i]),
            ("defence", st.defense[i]),
        ] {
            if !unit(x) {
                return Err(format!("{what} of {} is {x}, outside [0, 1]", name(i)));
            }
        }
        // Export controls stand only for an actor that has them, in a retaliation round (this
        // round's, or until settlement the last round's).
        let r = Some(crate::strategy::Action::Retaliate);
        if st.controls_on[i]
            && (ctx.controls[i].is_none() || (st.action[i] != r && st.last_action[i] != r))
        {
            return Err(format!("export controls of {} in force without R", name(i)));
        }
        if !(st.controls_loss[i].is_finite() && st.controls_loss[i] >= 0.0) {
            return Err(format!(
                "export-controls loss of {} is {}",
                name(i),
                st.controls_loss[i]
            ));
        }
        if st.safeguard_on[i] && ctx.safeguard[i].is_none() {
            return Err(format!("a safeguard of {} in force without one", name(i)));
        }
        if !(st.blocked[i].is_finite() && st.blocked[i] >= 0.0 && st.blocked_share[i] <= 1.0) {
            return Err(format!(
                "blocked exports of {} are {} (share {})",
                name(i),
                st.blocked[i],
                st.blocked_share[i]
            ));
        }
        if !(st.mult[i].is_finite() && st.mult[i] > 0.0) {
            return Err(format!("multiplier of {} is {}", name(i), st.mult[i]));
        }
        for j in 0..cols {
            let x = st.exports[(i, j)];
            if !(x.is_finite() && x >= 0.0) {
                return Err(format!("exports of {} to column {j} are {x}", name(i)));
            }
        }
        // Conservation: what the other partners gained never exceeds what was lost to the
        // hegemon (re-routed volume ≤ lost volume).
        if i != ctx.h {
            let h = ctx.h;
            let lost = ctx.x0(i, h) - st.exports[(i, h)];
            let gained: f64 = (0..cols)
                .filter(|&j| j != h && j != i)
                .map(|j| st.exports[(i, j)] - ctx.x0(i, j))
                .sum::<f64>()
                + st.sanction_loss[i];
            // Rounding in X_ij − X_ij(0) scales with the exporter's whole trade.
            let row_total: f64 = (0..cols).map(|j| ctx.x0(i, j)).sum();
            let tolerance = 1e-9 * (1.0 + row_total);
            if gained > lost.max(0.0) + tolerance {
                return Err(format!(
                    "{} re-routed {gained} but lost only {lost}",
                    name(i)
                ));
            }
        }
    }
    // A ruling's refunds return at most the duties counted in the rent: rounding aside, it
    // stays non-negative.
    let tolerance = 1e-9 * (1.0 + tallies.voidable_revenue);
    if !(tallies.rent.is_finite() && tallies.rent >= -tolerance) {
        return Err(format!("hegemon rent {}", tallies.rent));
    }
    Ok(())
}
