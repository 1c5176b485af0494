//! Phase 1, demand (MODEL.md 3.2): the hegemon's strategy sets, for every target, an offer, a
//! deal rate, an annual fee, a host-nation demand, the defence target and the linkage ℓ.
//!
//! `PaidAccess` follows the USTR formula of 2 April 2025 (τ = max(floor, ½·(m − x)/m), capped);
//! pledges scale with the bilateral surplus, not GDP. `AdaptiveExtortion` scales the demands
//! by the multiplier each target taught the hegemon (Axelrod's demanders, phase 8).
//! `Reciprocal` is Conybeare's reciprocity: a base rate plus a step per retaliation.
//! This phase also draws the hegemon's roll-back toward a retaliator (Bueno de Mesquita's
//! coalition contest, settled here so the actor decides on the rolled-back demand).

use crate::ctx::Ctx;
use crate::rng::SimRng;
use crate::rules::lines;
use crate::state::{Cache, State};
use crate::strategy::{Action, Strategy};

/// Runs phase 1. Draws exactly one uniform per actor (the roll-back draw).
pub fn run(ctx: &Ctx, st: &mut State, cache: &mut Cache, rng: &mut SimRng) {
    let h = ctx.h;
    let max_tariff = ctx.m.max_tariff.min(st.cap);
    for i in 0..ctx.n {
        let u = rng.open01();
        if i != h && st.last_action[i] == Some(Action::Retaliate) && u < st.back_prob[i] {
            st.rolled_back[i] = true;
        }
    }
    if ctx.uses.events {
        lines::apply_events(ctx, st);
    }
    let reciprocal_void = lines::is_void(st, 0);
    let d = &mut st.demand;
    d.defense_target = 0.0;
    d.linkage = 0.0;
    if let Some(p) = ctx.world.strategy.paid_access() {
        d.defense_target = ctx.v(p.defense_target);
        d.linkage = ctx.v(p.linkage);
    }
    for i in 0..ctx.n {
        let (mut offer, mut deal, mut fee, host) = if i == h {
            (0.0, 0.0, 0.0, 0.0)
        } else {
            strategy_demand(ctx, st, i)
        };
        let mut disburse = 0.0;
        if ctx.uses.pledges
            && let Some(p) = ctx.world.strategy.paid_access()
            && let Some(pledge) = p.pledge[i]
        {
            // A pledge replaces the surplus fee: this round's disbursement, at most the
            // yearly cap (scaled like every demand), and the transfer net of what returns.
            let scale = fee_scale(ctx, st, i);
            disburse = (ctx.v(pledge.per_year) * scale / ctx.rpy).min(st.pledge_left[i]);
            fee = disburse * ctx.rpy * (1.0 - ctx.v(pledge.returns));
        }
        if ctx.uses.purchases
            && let Some(p) = ctx.world.strategy.paid_access()
            && let Some((per_year, cost, years)) = p.purchase[i]
        {
            // A stated amount for a stated term, not scaled by the adaptive multiplier: a
            // commitment names its value (MODEL.md 3.2).
            let running = years.is_none_or(|y| f64::from(st.t) < ctx.v(y) * ctx.rpy);
            st.demand.purchase[i] = if running { ctx.v(per_year) } else { 0.0 };
            st.demand.purchase_cost[i] = ctx.v(cost);
        }
        let (base_offer, base_deal) = if i == h || !ctx.uses.lines {
            (0.0, 0.0)
        } else {
            lines::effective_cached(ctx, st, cache, i)
        };
        // Pressure raises only a positive offer (MODEL.md 3.2): a line Set to 0 (an
        // exemption) or a formula offer of 0 is not escalated, though the rounds without a
        // deal still count.
        let pressure = if ctx.uses.pressure && offer > 0.0 {
            pressure(ctx, st, i)
        } else {
            0.0
        };
        offer += pressure;
        if reciprocal_void {
            (offer, deal) = (0.0, 0.0);
        }
        if st.rolled_back[i] {
            offer = deal;
        }
        // A pause caps every rate of the line, a rolled-back actor's too (the escalation
        // against a retaliator excepted, below).
        offer = offer.min(st.recip_pause[i]);
        offer = offer.clamp(0.0, max_tariff);
        deal = deal.clamp(0.0, offer);
        let d = &mut st.demand;
        d.offer[i] = offer;
        d.deal[i] = deal;
        d.fee[i] = fee;
        d.host[i] = host;
        d.base_offer[i] = base_offer;
        d.base_deal[i] = base_deal;
        d.pressure[i] = pressure;
        d.disburse[i] = disburse;
        // The hegemon escalates against a retaliator only where it demanded something: a
        // counter-tariff on an open market meets no tariff to raise.
        let escalated = if (offer > 0.0 || base_offer > 0.0) && !reciprocal_void {
            (offer + ctx.m.escalation).min(max_tariff)
        } else {
            offer
        };
        d.escalated[i] = escalated;
        let counter = if i == h {
            0.0
        } else if ctx.package[i].is_nan() {
            ctx.m.retaliation_match * escalated
        } else {
            ctx.package[i]
        };
        d.counter[i] = counter;
        let key = [offer, deal, escalated, base_offer, base_deal, counter];
        if cache.ln_key[i] != key {
            let e = if i == h { 0.0 } else { ctx.actors[i].exposure };
            cache.ln[i] = [
                (e * offer + base_offer).ln_1p(),
                (e * deal + base_deal).ln_1p(),
                (e * escalated + base_offer).ln_1p(),
                (e * deal * (1.0 - ctx.m.bandwagon_discount) + base_deal).ln_1p(),
                counter.ln_1p(),
            ];
            cache.ln_key[i] = key;
        }
    }
}

/// The strategy's demand on target `i` before pressure, pause and caps: (offer, deal rate,
/// annual fee, host-nation demand). An offer the timeline set replaces the strategy's own
/// rate (then scaled by the adaptive multiplier); the deal rate stays the strategy's.
fn strategy_demand(ctx: &Ctx, st: &State, i: usize) -> (f64, f64, f64, f64) {
    let set = st.recip_set[i];
    let announced = |own: f64| if set.is_nan() { own } else { set };
    // Paid-access demands before scaling, computed once per run (see `paid_base`).
    let paid = |scale: f64| -> (f64, f64, f64, f64) {
        let [offer, deal_rate, fee, host] = ctx.paid_base[i];
        let offer = announced(offer) * scale;
        (
            offer,
            (deal_rate * scale).min(offer),
            fee * scale,
            host * scale,
        )
    };
    match &ctx.world.strategy {
        Strategy::OpenOrder => (announced(0.0), 0.0, 0.0, 0.0),
        Strategy::TargetedPunitive { rate, targets } => {
            let r = if targets[i] { ctx.v(*rate) } else { 0.0 };
            (announced(r), r, 0.0, 0.0)
        }
        Strategy::PaidAccess(_) | Strategy::ConstrainedPaidAccess { .. } => paid(1.0),
        Strategy::AdaptiveExtortion { .. } => paid(st.mult[i]),
        Strategy::Reciprocal { base, .. } => {
            let r = ctx.v(*base) + st.recip[i];
            (announced(r), r, 0.0, 0.0)
        }
    }
}

/// The adaptive multiplier of target `i`'s demands (1 for the other strategies).
fn fee_scale(ctx: &Ctx, st: &State, i: usize) -> f64 {
    match ctx.world.strategy {
        Strategy::AdaptiveExtortion { .. } => st.mult[i],
        _ => 1.0,
    }
}

/// The pressure on target `i` (MODEL.md 3.2): after `after` rounds without a deal, `step` for
/// each such round from then on, at most `max`.
fn pressure(ctx: &Ctx, st: &State, i: usize) -> f64 {
    let Some(p) = ctx.world.strategy.paid_access().and_then(|p| p.pressure) else {
        return 0.0;
    };
    let waited = st.no_deal[i];
    if waited < p.after {
        return 0.0;
    }
    (ctx.v(p.step) * f64::from(waited - p.after + 1)).min(ctx.v(p.max))
}

#[cfg(test)]
mod tests {
    use crate::rng::Stream;
    use crate::strategy::Action;
    use crate::testing::{ALLY, Fixture, HEG, OTH, RIV, close};

    #[test]
    fn paid_access_follows_the_ustr_formula_and_the_surplus() {
        // MODEL.md 3.2: offer = min(max_rate, max(floor, ½·(X_iH − X_Hi)/X_iH)), deal ≤ offer,
        // fee = fee_share·max(0, X_iH − X_Hi), escalated = min(offer + Δτ_esc, max_tariff).
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let run = fx.demanded(&ctx);
        let d = &run.st.demand;
        // ALLY: X_iH 150, X_Hi 80: ½·70/150; deal 15%; fee ¼·70; host 4.
        close(d.offer[ALLY], 0.5 * 70.0 / 150.0);
        assert_eq!(d.deal[ALLY], 0.15);
        assert_eq!(d.fee[ALLY], 17.5);
        assert_eq!(d.host[ALLY], 4.0);
        close(d.escalated[ALLY], 0.5 * 70.0 / 150.0 + 0.5);
        // OTH: ½·20/40 = 25% against the default deal of 10%; RIV: ½·300/440, deal 30%.
        close(d.offer[OTH], 0.25);
        assert_eq!(d.deal[OTH], 0.10);
        close(d.offer[RIV], 0.5 * 300.0 / 440.0);
        assert_eq!(d.fee[RIV], 75.0);
        assert_eq!((d.offer[HEG], d.fee[HEG]), (0.0, 0.0));
        assert_eq!((d.defense_target, d.linkage), (0.035, 0.5));
        // ln(1 + e·τ) of the offer is cached for the trade factors (e = 0.8 for ALLY).
        close(run.cache.ln[ALLY][0], (0.8 * d.offer[ALLY]).ln_1p());
    }

    #[test]
    fn a_roll_back_offers_the_deal_rate() {
        // A retaliator whose roll-back is certain (P_back = 1) is offered its deal rate.
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        run.st.last_action[ALLY] = Some(Action::Retaliate);
        run.st.back_prob[ALLY] = 1.0;
        let mut rng = fx.rng(Stream::Deals);
        super::run(&ctx, &mut run.st, &mut run.cache, &mut rng);
        assert!(run.st.rolled_back[ALLY]);
        assert_eq!(run.st.demand.offer[ALLY], 0.15);
        assert!(!run.st.rolled_back[OTH]);
    }

    #[test]
    fn a_cap_bounds_every_demanded_rate() {
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        run.st.cap = 0.12;
        let mut rng = fx.rng(Stream::Deals);
        super::run(&ctx, &mut run.st, &mut run.cache, &mut rng);
        let d = &run.st.demand;
        assert_eq!(
            (d.offer[ALLY], d.deal[ALLY], d.escalated[ALLY]),
            (0.12, 0.12, 0.12)
        );
        assert_eq!((d.offer[OTH], d.deal[OTH]), (0.12, 0.10));
    }

    #[test]
    fn a_target_s_own_fee_share_replaces_the_default() {
        // fee_shares: RIV's deal asks no fee; ALLY keeps ¼ of its surplus.
        let fx = Fixture::new(
            &crate::testing::paid_with(r#"fee_shares: [("RIV", 0)]"#),
            "",
        );
        let ctx = fx.ctx();
        let run = fx.demanded(&ctx);
        assert_eq!(
            (run.st.demand.fee[RIV], run.st.demand.fee[ALLY]),
            (0.0, 17.5)
        );
    }

    #[test]
    fn a_purchase_commitment_runs_for_its_years_unscaled() {
        // 40 bn a year for 1 year (4 quarterly rounds): asked in round 3, not in round 4.
        let fx = Fixture::new(
            &crate::testing::paid_with(
                r#"purchases: [("ALLY", (per_year: 40, cost: 0.1, years: Some(1)))]"#,
            ),
            "",
        );
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        let mut rng = fx.rng(Stream::Deals);
        for (t, expected) in [(3, 40.0), (4, 0.0)] {
            run.st.t = t;
            super::run(&ctx, &mut run.st, &mut run.cache, &mut rng);
            assert_eq!(run.st.demand.purchase[ALLY], expected, "round {t}");
        }
    }
}
