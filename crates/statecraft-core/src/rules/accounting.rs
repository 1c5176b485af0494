//! Accounting (MODEL.md 3.4), after trade: the round's realised costs of every actor, the
//! expected security cost of the action it took, the hegemon's rent, revenue and net export
//! loss, and the rival's retaliation and truce rounds, booked in the run's [`Tallies`].

use crate::ctx::Ctx;
use crate::rules::response::security_cost;
use crate::rules::settlement::diversion_cached;
use crate::rules::tariff_revenue;
use crate::rules::{controls, lines};
use crate::state::{Cache, Ln, State, Tallies};
use crate::strategy::Action;

/// Books the round (after phase 4), at the round's trade elasticity `eps`.
pub fn run(ctx: &Ctx, st: &State, cache: &mut Cache, tallies: &mut Tallies, eps: f64) {
    let m = &ctx.m;
    let h = ctx.h;
    let mut revenue = 0.0;
    for i in 0..ctx.n {
        if i == h {
            continue;
        }
        let a = &ctx.actors[i];
        let x_ih = st.exports[(i, h)];
        revenue += tariff_revenue(ctx, st, i);
        tallies.rent += st.paid_now[i];
        // Realised annual cost, share of GDP: lost exports to the hegemon and the lower
        // prices the diverted stock sells at elsewhere, payments, added defence spending,
        // one-off hedging costs, the counter-tariff on own importers, exports lost to a
        // rival sanction, and what export controls cost it.
        let kept = ctx.x0(i, h) * (1.0 - st.hedge[i]);
        let weight = m.volume_loss_weight * (1.0 + a.high_value_share);
        let mut cost = weight * (kept - x_ih).max(0.0);
        let diversion =
            weight * diversion_cached(ctx, &mut cache.diversion[i], i, st.hedge[i], eps);
        cost += diversion;
        tallies.diversion_sum[i] += diversion / a.gdp;
        cost += st.paid_now[i] * ctx.rpy;
        let added = (st.defense[i] - a.defense).max(0.0);
        tallies.defense_sum[i] += added;
        cost += added * a.gdp;
        cost += hedge_outlay(ctx, st, i);
        if st.counter[i] > 0.0 {
            // A counter-tariff stands only in the round of a retaliation: its factor is that
            // round's.
            let f = cache.factors[i][Ln::Counter as usize];
            cost += m.retaliation_cost * ctx.x0(h, i) * (1.0 - f);
        }
        cost += st.sanction_loss[i];
        // The diverted stock's share blocked by third countries' safeguards: exports lost
        // (the ψ share re-routed is booked as lost already).
        cost += weight * st.blocked_share[i] * ctx.x0(i, h) * st.hedge[i];
        if ctx.uses.controls {
            // Losses to other actors' export controls, and the sales its own withhold.
            cost += st.controls_loss[i];
            if st.controls_on[i] {
                cost += weight * controls::withheld(ctx, i);
            }
        }
        cost += st.demand.purchase_cost[i] * st.purchasing[i];
        tallies.cost_sum[i] += cost / a.gdp;
        // The expected security cost of the action taken, priced as the response priced it
        // (credibility and autonomy are updated after this, in phase 5).
        if let Some(act) = st.action[i] {
            // As the response priced it this round where it did (nothing read has changed).
            let s = if cache.factors_filled[i] {
                cache.security[i][act as usize]
            } else {
                security_cost(ctx, st, i, act)
            };
            debug_assert_eq!(s.to_bits(), security_cost(ctx, st, i, act).to_bits());
            tallies.security_sum[i] += s;
        }
    }
    // The hegemon's net export loss: what counter-tariffs cost it, less what it re-routed to
    // other partners and the rest of the world.
    let lost: f64 = ctx
        .world
        .trade0
        .row(h)
        .iter()
        .zip(st.exports.row(h))
        .map(|(x0, x)| x0 - x)
        .sum();
    tallies.hegemon_trade_loss += lost / ctx.rpy;
    tallies.rent += revenue / ctx.rpy;
    if let Some(c) = ctx.world.court_shock
        && let (Some(basis), Some(share)) = (c.voids, c.refunds)
    {
        refunds(ctx, st, tallies, basis, ctx.v(share));
    }
    if let Some(c) = ctx.rival {
        let retaliated = st.action[c] == Some(Action::Retaliate);
        if retaliated && tallies.rival_first_retaliation.is_none() {
            tallies.rival_first_retaliation = Some(st.t);
        }
        if !retaliated && tallies.rival_first_retaliation.is_some() && tallies.truce.is_none() {
            tallies.truce = Some(st.t);
        }
    }
}

/// Refunds of a ruling (MODEL.md 3.4, accounting): until the ruling, the duties collected
/// under the basis it voids are counted; in the ruling's round the hegemon refunds the share
/// `share` of them to its importers, negative tariff revenue in its rent (a transfer within
/// the hegemon: its national welfare does not change).
fn refunds(ctx: &Ctx, st: &State, tallies: &mut Tallies, basis: usize, share: f64) {
    match st.court_round {
        None => {
            for i in (0..ctx.n).filter(|&i| i != ctx.h) {
                tallies.voidable_revenue += lines::basis_revenue(ctx, st, i, basis) / ctx.rpy;
            }
        }
        Some(r) if r == st.t => tallies.rent -= share * tallies.voidable_revenue,
        Some(_) => {}
    }
}

/// The round's one-off cost of diversion at an annual rate, c_h·Δη·X̄_iH·rpy, with X̄ before
/// this round's diversion, as the decision priced it (accounting and welfare book it alike).
pub fn hedge_outlay(ctx: &Ctx, st: &State, i: usize) -> f64 {
    let before = ctx.x0(i, ctx.h) * (1.0 - (st.hedge[i] - st.hedge_added[i]).max(0.0));
    ctx.m.hedge_cost * st.hedge_added[i] * before * ctx.rpy
}

#[cfg(test)]
mod tests {
    use crate::testing::{ALLY, Fixture, OTH, RIV, close};

    #[test]
    fn the_round_is_booked_as_model_md_states() {
        // Round 0 settled (ALLY conceded at 15%, OTH hedged at its 25% offer, RIV retaliated)
        // and traded at ε = 2 (MODEL.md 3.4, accounting).
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let mut run = fx.settled(&ctx);
        crate::rules::trade::run(&ctx, &mut run.st, &mut run.cache, 2.0);
        super::run(&ctx, &run.st, &mut run.cache, &mut run.tallies, 2.0);
        let t = &run.tallies;
        // ALLY: lost exports μ(1 + v)(X̄ − X_iH), payments ·rpy, added defence (d − d(0))·Y.
        let f = 1.12f64.powi(-2);
        let lost = 1.25 * 150.0 * (1.0 - f);
        close(
            t.cost_sum[ALLY],
            (lost + 5.375 * 4.0 + 0.000375 * 4000.0) / 4000.0,
        );
        // Its expected security cost of conceding: s·θ·(1 − a)·(1 − κ)·σ_S.
        close(t.security_sum[ALLY], 0.7 * 0.7 * 0.7 * 0.2 * 6.0);
        // Rent: this round's payments plus a quarter of the annual revenue e·τ·X_iH.
        let esc = 0.5 * 300.0 / 440.0 + 0.5;
        let revenue = 0.8 * 0.15 * 150.0 * f + 0.25 * 24.32 + esc * 440.0 * (1.0f64 + esc).powi(-2);
        close(t.rent, 5.375 + revenue / 4.0);
        // The rival retaliated: its first retaliation is round 0, no truce yet.
        assert_eq!((t.rival_first_retaliation, t.truce), (Some(0), None));
        assert!(t.cost_sum[OTH] > 0.0 && t.cost_sum[RIV] > 0.0);
    }

    /// The hegemon's rent booked in each of rounds 0..=2 of the lines fixture with a ruling
    /// voiding IEEPA in round 2 (`refunds` its field, if any): every actor hedges, only ALLY
    /// sells to the hegemon (100 bn USD a year, set by hand).
    fn rent_by_round(refunds: &str) -> Vec<f64> {
        use crate::rng::Stream;
        use crate::rules::{demand, settlement, shocks};
        use crate::strategy::Action;
        use crate::testing::{HEG, PAID, TIMELINE};
        let extra = format!(
            "{TIMELINE} court_shock: Some((from_round: 2, hazard: 1, voids: Some(\"IEEPA\"){refunds})),"
        );
        let fx = Fixture::lines(PAID, &extra);
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        let (mut rs, mut rd) = (fx.rng(Stream::Shocks), fx.rng(Stream::Deals));
        let mut rent = Vec::new();
        for t in 0..3 {
            run.st.t = t;
            shocks::run(&ctx, &mut run.st, &mut rs);
            demand::run(&ctx, &mut run.st, &mut run.cache, &mut rd);
            for i in [ALLY, RIV, OTH] {
                run.st.action[i] = Some(Action::Hedge);
            }
            settlement::run(&ctx, &mut run.st, &mut run.tallies, &mut rd);
            for i in [ALLY, RIV, OTH] {
                run.st.exports[(i, HEG)] = if i == ALLY { 100.0 } else { 0.0 };
            }
            let before = run.tallies.rent;
            super::run(&ctx, &run.st, &mut run.cache, &mut run.tallies, 2.0);
            rent.push(run.tallies.rent - before);
        }
        rent
    }

    #[test]
    fn refunds_are_negative_revenue_in_the_ruling_round() {
        // IEEPA duties collected on ALLY's 100 bn a year, a quarter of it a round: round 0 the
        // reciprocal offer 0.8 × 7/30; round 1 that and the 0.8 × 40% surcharge. The Section
        // 232 lines (0.0625) stay. In round 2 the hegemon refunds half of the IEEPA duties.
        let offer = 0.8 * 0.5 * 70.0 / 150.0;
        let ieepa = (offer * 100.0 + (offer + 0.32) * 100.0) / 4.0;
        let s232 = 0.0625 * 100.0 / 4.0;
        let without = rent_by_round("");
        close(without[0], (offer + 0.0625) * 100.0 / 4.0);
        close(without[1], (offer + 0.32 + 0.0625) * 100.0 / 4.0);
        close(without[2], s232);
        let with = rent_by_round(", refunds: Some(0.5)");
        close(with[0], without[0]);
        close(with[1], without[1]);
        close(with[2], s232 - 0.5 * ieepa);
        close(with[2], 1.5625 - 0.5 * 17.333_333_333_333_332);
    }
}
