//! Phase 3, settlement (MODEL.md 3.4): the chosen actions take effect.
//!
//! C/CG/B: the deal tariff (B's discounted), the fees and host-nation payments of the round,
//! defence spending moving toward the target; B raises alignment. R: the hegemon escalates
//! (τ = offer + Δτ_esc) and the retaliator's counter-tariff matches it; the roll-back is drawn in
//! the next round's demand. G: the offer stands. Every deal re-opens with hazard ρ_renege per
//! round (the "boomerang" clause): the tariff returns to the offer. This is Fearon's (1995)
//! commitment problem: a hegemon cannot promise not to re-open what it was paid to close.

use crate::ctx::Ctx;
use crate::rng::SimRng;
use crate::state::{DiversionMemo, Ln, State, Tallies};
use crate::strategy::Action;
use crate::world::DealTerms;

/// The yearly rise of defence spending a deal commits actor `i` to, share of GDP: a linear
/// path from d_i(0) to the target g in 1/φ_d years of deals, φ_d·(g − d_i(0)) a year, never past
/// g (the NATO path to 3.5% by 2035 is such a line). Only for actors whose security rests on
/// the hegemon (s_i > 0).
pub fn defense_step(ctx: &Ctx, st: &State, i: usize) -> f64 {
    let a = &ctx.actors[i];
    let g = st.demand.defense_target;
    if a.security_dependence <= 0.0 || g <= st.defense[i] {
        return 0.0;
    }
    let own = own_defense_step(ctx, st, i);
    (ctx.m.defense_adjustment * (g - a.defense).max(0.0) - own)
        .max(0.0)
        .min(g - st.defense[i])
}

/// The yearly rise of actor `i`'s own defence commitment, share of GDP: (target − d_i(0))/years
/// until the target is reached, whatever the actor does with the hegemon's demands; a deal
/// adds only what it asks beyond it ([`defense_step`]).
pub fn own_defense_step(ctx: &Ctx, st: &State, i: usize) -> f64 {
    if !ctx.uses.defense_paths {
        return 0.0;
    }
    match ctx.world.defense_path[i] {
        None => 0.0,
        Some((target, years)) => {
            let target = ctx.v(target);
            if st.defense[i] >= target {
                0.0
            } else {
                (target - ctx.actors[i].defense).max(0.0) / ctx.v(years)
            }
        }
    }
}

/// D_i(η): what diverting a hedge stock η costs actor `i` a year in the prices of its other
/// markets, bn USD (MODEL.md 3.4). The stock η·X_iH(0) is sold where i already sold X_io(0);
/// with Armington (CES) demand of elasticity σ = 1 + ε(t), the trade elasticity that cuts i's
/// sales to the hegemon, the price there falls to (1 + h)^(−1/σ) of its level, h =
/// η·X_iH(0)/X_io(0), on every unit sold there: D = X_io(0)·[(1 + h) − (1 + h)^(1 − 1/σ)], the
/// value of those sales at the old price less their value at the new one. Its marginal cost
/// rises from 1/σ of a unit at h = 0. Zero for an actor with no other market in the data.
pub fn diversion_loss(ctx: &Ctx, i: usize, eta: f64, eps: f64) -> f64 {
    let q0 = ctx.world.other0[i];
    if eta <= 0.0 || q0 <= 0.0 {
        return 0.0;
    }
    let g = 1.0 + eta * ctx.x0(i, ctx.h) / q0;
    q0 * (g - g.powf(1.0 - 1.0 / (1.0 + eps)))
}

/// [`diversion_loss`] through actor `i`'s memo of the round: computed once per (η, ε), the
/// same value bit for bit.
pub fn diversion_cached(ctx: &Ctx, memo: &mut DiversionMemo, i: usize, eta: f64, eps: f64) -> f64 {
    if let Some(v) = memo.get(eta, eps) {
        return v;
    }
    let v = diversion_loss(ctx, i, eta, eps);
    memo.put(eta, eps, v);
    v
}

/// Δη: the hedge stock a full round of hedging adds for actor `i`, γ·h_i, at most up to η_max
/// (MODEL.md 3.3 prices it; G adds it, CG half of it).
pub fn hedge_step(ctx: &Ctx, st: &State, i: usize) -> f64 {
    let m = &ctx.m;
    (m.hedge_speed * ctx.actors[i].hedging_capacity).min((m.max_hedge - st.hedge[i]).max(0.0))
}

/// The counter-tariff actor `i` keeps in a deal at the hegemon's tariff `tariff` (MODEL.md
/// 3.4, deal terms): `keep_counter` times its counter-tariff rule there, the package's ρ or
/// the match times the tariff (1: it mirrors the tariff the deal leaves).
pub fn kept_counter(ctx: &Ctx, i: usize, tariff: f64) -> f64 {
    let Some(terms) = ctx.world.deal_terms[i] else {
        return 0.0;
    };
    let rule = if ctx.package[i].is_nan() {
        ctx.m.retaliation_match * tariff
    } else {
        ctx.package[i]
    };
    ctx.v(terms.keep_counter) * rule
}

/// The chance per deal round that actor `i`'s deal lapses at its expiry, (1 − renewal)/expiry
/// (the response prices it like the renege hazard); 0 without an expiry.
pub fn lapse_hazard(ctx: &Ctx, i: usize) -> f64 {
    match ctx.world.deal_terms[i] {
        Some(DealTerms {
            expiry: Some(e),
            renewal,
            ..
        }) => (1.0 - ctx.v(renewal)) / ctx.v(e),
        _ => 0.0,
    }
}

/// Counts a deal round against actor `i`'s term; at the expiry the deal is renewed for as long
/// again with chance `renewal` (drawn with `u`), or it lapses: returns whether it lapsed.
fn expires(ctx: &Ctx, st: &mut State, i: usize, u: f64, tallies: &mut Tallies) -> bool {
    let Some(DealTerms {
        expiry: Some(e),
        renewal,
        ..
    }) = ctx.world.deal_terms[i]
    else {
        return false;
    };
    st.term_age[i] += 1;
    if f64::from(st.term_age[i]) < ctx.v(e).round() {
        return false;
    }
    st.term_age[i] = 0;
    if u < ctx.v(renewal) {
        tallies.renewals[i] += 1;
        false
    } else {
        true
    }
}

/// The yearly loss to actor `i` of its purchase commitment, bn USD: the cost share of what it
/// buys (0 without one). It rides on the pledge's track (MODEL.md 3.2).
pub fn purchase_loss(st: &State, i: usize) -> f64 {
    st.demand.purchase_cost[i] * st.demand.purchase[i]
}

/// The share of a full hedge step a CG round adds: the world's `concede_hedge_share`, or ½
/// (MODEL.md 3.3).
pub fn concede_hedge_share(ctx: &Ctx) -> f64 {
    ctx.world.concede_hedge_share.map_or(0.5, |p| ctx.v(p))
}

/// Whether a track is kept: bit `t` of [`State::kept`].
fn keeps(st: &State, i: usize, t: usize) -> bool {
    st.kept[i] & (1 << t) != 0
}

/// The chance that the hegemon detects actor `i`'s breach of a condition this round: 1 − Π
/// (1 − δ_t) over the conditions it does not keep and that ask something of it (`asked`).
fn detection(ctx: &Ctx, st: &State, i: usize, asked: [bool; 3]) -> f64 {
    let Some(conditions) = ctx.world.strategy.paid_access().and_then(|p| p.conditions) else {
        return 0.0;
    };
    let mut unseen = 1.0;
    for (t, detect) in conditions.iter().enumerate() {
        if let Some(id) = detect
            && asked[t]
            && !keeps(st, i, t)
        {
            unseen *= 1.0 - ctx.v(*id);
        }
    }
    1.0 - unseen
}

/// Which tracks ask something of actor `i` this round, with its [`defense_step`] `defense`.
fn asked(st: &State, i: usize, defense: f64) -> [bool; 3] {
    let d = &st.demand;
    [
        d.fee[i] + purchase_loss(st, i) > 0.0,
        d.host[i] > 0.0,
        defense > 0.0,
    ]
}

/// A deal round's payments and defence rise, for the tracks actor `i` keeps (every track of
/// a bundle): the fee (or the pledge's transfer and its disbursement), host-nation support,
/// the defence step (`defense`, the actor's [`defense_step`] of the round).
fn pay_kept_tracks(ctx: &Ctx, st: &mut State, i: usize, defense: f64) {
    let d = &st.demand;
    let pay = if ctx.uses.tracks {
        let fee = if keeps(st, i, 0) { d.fee[i] } else { 0.0 };
        let host = if keeps(st, i, 1) { d.host[i] } else { 0.0 };
        (fee + host) / ctx.rpy
    } else {
        (d.fee[i] + d.host[i]) / ctx.rpy
    };
    st.paid_now[i] = pay;
    st.paid[i] += pay;
    if keeps(st, i, 0) {
        st.pledge_left[i] -= d.disburse[i];
        st.disbursed[i] += d.disburse[i];
        st.purchasing[i] = d.purchase[i];
        st.purchased[i] += d.purchase[i] / ctx.rpy;
    }
    // Recorded before the defence rise, as the response priced it; read only where the world
    // has a security trigger.
    st.security_step[i] = ctx.world.security_sanction_hazard.is_some()
        && takes_security_step_at(st, i, st.kept[i], defense);
    if keeps(st, i, 2) {
        st.defense[i] += defense / ctx.rpy;
    }
}

/// Whether a deal with the tracks `kept` (bits of [`State::kept`]) has actor `i` take a
/// security step with the hegemon (MODEL.md 3.4, phase 6): host-nation support on the Host
/// track, or a defence rise on the Defense track. The response prices it with the tracks it
/// would keep; settlement records it with those kept.
pub fn takes_security_step(ctx: &Ctx, st: &State, i: usize, kept: u8) -> bool {
    (kept & (1 << 1) != 0 && st.demand.host[i] > 0.0)
        || (kept & (1 << 2) != 0 && defense_step(ctx, st, i) > 0.0)
}

/// [`takes_security_step`] with the actor's [`defense_step`] of the round already computed.
pub(crate) fn takes_security_step_at(st: &State, i: usize, kept: u8, defense: f64) -> bool {
    (kept & (1 << 1) != 0 && st.demand.host[i] > 0.0) || (kept & (1 << 2) != 0 && defense > 0.0)
}

/// Runs phase 3 and counts the actions. Draws exactly one uniform per actor (the renege draw),
/// with a deal of separate tracks a second (the detection draw), and where some actor's deals
/// expire a third (the renewal draw).
pub fn run(ctx: &Ctx, st: &mut State, tallies: &mut Tallies, rng: &mut SimRng) {
    let m = &ctx.m;
    for i in 0..ctx.n {
        let u = rng.open01();
        let u_detect = if ctx.uses.tracks { rng.open01() } else { 1.0 };
        let u_renew = if ctx.uses.expiry { rng.open01() } else { 1.0 };
        st.tariff_prev[i] = st.tariff[i];
        st.offer_prev[i] = st.demand.offer[i];
        st.base_prev[i] = st.tariff_base[i];
        st.base_offer_prev[i] = st.demand.base_offer[i];
        st.paid_now[i] = 0.0;
        st.hedge_added[i] = 0.0;
        st.align_added[i] = 0.0;
        st.security_step[i] = false;
        st.purchasing[i] = 0.0;
        st.defense_prev[i] = st.defense[i];
        let Some(action) = st.action[i] else { continue };
        if st.answered[i] {
            tallies.counts[i][action as usize] += 1;
        }
        let d = &st.demand;
        let (offer, deal) = (d.offer[i], d.deal[i]);
        let (base_offer, base_deal) = (d.base_offer[i], d.base_deal[i]);
        st.no_deal[i] = if action.deals() { 0 } else { st.no_deal[i] + 1 };
        match action {
            Action::Concede | Action::ConcedeHedge | Action::Bandwagon => {
                if action == Action::Bandwagon {
                    st.tariff[i] = deal * (1.0 - m.bandwagon_discount);
                    st.tariff_src[i] = Ln::Bandwagon;
                } else {
                    st.tariff[i] = deal;
                    st.tariff_src[i] = Ln::Deal;
                }
                st.tariff_base[i] = base_deal;
                st.counter[i] = if ctx.uses.keep_counter && st.counter[i] > 0.0 {
                    kept_counter(ctx, i, deal)
                } else {
                    0.0
                };
                let defense = defense_step(ctx, st, i); // Once: unchanged until paid.
                // With separate tracks, breaking one is detected at the conditions' chance
                // (drawn before anything is paid, as the breach is decided).
                let (detected, breached) = if ctx.uses.tracks {
                    let asked = asked(st, i, defense);
                    let breached = (0..3).any(|t| asked[t] && !keeps(st, i, t));
                    (u_detect < detection(ctx, st, i, asked), breached)
                } else {
                    (false, false)
                };
                pay_kept_tracks(ctx, st, i, defense);
                if action == Action::Bandwagon {
                    let dz = m.alignment_step.min(1.0 - st.align[i]);
                    st.align[i] += dz;
                    st.align_added[i] = dz;
                    // Alignment with the hegemon displaces a tilt toward the rival.
                    st.tilt[i] = st.tilt[i].min(1.0 - st.align[i]);
                }
                st.deal_age[i] += 1;
                tallies.deals[i] += u32::from(st.deal_age[i] == 1);
                // The deal re-opens: back to the offer, and the roll-back is forgotten. A
                // detected breach snaps it back the same way (MODEL.md 3.4, tracks), and so
                // does a term that expires without renewal (deal terms).
                let reneged = st.deal_age[i] > 1 && u < m.renege_hazard;
                tallies.reneges[i] += u32::from(reneged);
                if breached {
                    tallies.breaches[i] += 1;
                    if detected && !reneged {
                        tallies.snapbacks[i] += 1;
                    }
                }
                let lapsed = ctx.uses.expiry
                    && !reneged
                    && !detected
                    && expires(ctx, st, i, u_renew, tallies);
                if lapsed {
                    tallies.lapses[i] += 1;
                }
                if reneged || detected || lapsed {
                    st.tariff[i] = offer;
                    st.tariff_base[i] = base_offer;
                    st.tariff_src[i] = Ln::Offer;
                    st.deal_age[i] = 0;
                    st.term_age[i] = 0;
                    st.rolled_back[i] = false;
                }
            }
            Action::Retaliate => {
                st.tariff[i] = d.escalated[i];
                st.tariff_base[i] = base_offer;
                st.tariff_src[i] = Ln::Escalated;
                st.counter[i] = d.counter[i];
                st.deal_age[i] = 0;
                st.term_age[i] = 0;
            }
            Action::Hedge => {
                st.tariff[i] = offer;
                st.tariff_base[i] = base_offer;
                st.tariff_src[i] = Ln::Offer;
                st.counter[i] = 0.0;
                st.deal_age[i] = 0;
                st.term_age[i] = 0;
            }
        }
        if ctx.uses.defense_paths
            && let Some((target, _)) = ctx.world.defense_path[i]
        {
            let own = own_defense_step(ctx, st, i) / ctx.rpy;
            st.defense[i] = (st.defense[i] + own).min(ctx.v(target).max(st.defense[i]));
        }
        if action.hedges() {
            let full = hedge_step(ctx, st, i);
            st.hedge_added[i] = if action == Action::Hedge {
                full
            } else {
                concede_hedge_share(ctx) * full
            };
            st.hedge_rounds[i] += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rng::Stream;
    use crate::state::Ln;
    use crate::strategy::Action;
    use crate::testing::{ALLY, Fixture, OTH, RIV, close};

    #[test]
    fn each_action_takes_effect_as_model_md_states() {
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let run = fx.settled(&ctx);
        let st = &run.st;
        // C: the deal rate, fee and host payments per round, defence toward the target on the
        // straight line φ_d·(g − d(0)) a year: 0.1·(0.035 − 0.02) = 0.0015, a quarter of it.
        assert_eq!((st.tariff[ALLY], st.tariff_src[ALLY]), (0.15, Ln::Deal));
        assert_eq!(st.paid_now[ALLY], (17.5 + 4.0) / 4.0);
        close(st.defense[ALLY], 0.02 + 0.0015 / 4.0);
        assert_eq!(st.deal_age[ALLY], 1);
        // G: the offer stands and Δη = γ·h = 0.1·0.5 is added (applied in phase 4).
        assert_eq!(st.tariff[OTH], st.demand.offer[OTH]);
        close(st.hedge_added[OTH], 0.05);
        assert_eq!(st.hedge_rounds[OTH], 1);
        // R: the hegemon escalates and the counter-tariff matches it.
        close(st.tariff[RIV], 0.5 * 300.0 / 440.0 + 0.5);
        assert_eq!(st.counter[RIV], st.tariff[RIV]);
        // Counted once each.
        assert_eq!(run.tallies.counts[ALLY], [1, 0, 0, 0, 0]);
        assert_eq!(run.tallies.counts[OTH], [0, 0, 1, 0, 0]);
    }

    #[test]
    fn bandwagoning_discounts_the_deal_and_aligns() {
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let mut run = fx.demanded(&ctx);
        run.st.action[ALLY] = Some(Action::Bandwagon);
        run.st.action[OTH] = Some(Action::ConcedeHedge);
        let mut rng = fx.rng(Stream::Deals);
        super::run(&ctx, &mut run.st, &mut run.tallies, &mut rng);
        close(run.st.tariff[ALLY], 0.15 * (1.0 - 0.1));
        assert_eq!(run.st.align[ALLY], 0.2);
        assert_eq!(run.st.align_added[ALLY], 0.2);
        // CG: the deal, and half the hedge step.
        assert_eq!(run.st.tariff[OTH], 0.10);
        close(run.st.hedge_added[OTH], 0.025);
    }

    #[test]
    fn a_deal_reopens_to_the_offer_at_the_renege_hazard() {
        // With ρ_renege = 1 every deal older than one round re-opens: the tariff returns to
        // the offer and the deal's age to 0; the round's payment stands.
        let fx = Fixture::new(
            crate::testing::PAID,
            "model_overrides: [(\"renege_hazard\", 1)],",
        );
        let ctx = fx.ctx();
        let mut run = fx.demanded(&ctx);
        let mut rng = fx.rng(Stream::Deals);
        run.st.action[ALLY] = Some(Action::Concede);
        super::run(&ctx, &mut run.st, &mut run.tallies, &mut rng);
        assert_eq!(run.st.tariff[ALLY], 0.15);
        super::run(&ctx, &mut run.st, &mut run.tallies, &mut rng);
        assert_eq!(run.st.tariff[ALLY], run.st.demand.offer[ALLY]);
        assert_eq!(run.st.deal_age[ALLY], 0);
        assert_eq!(run.st.paid[ALLY], 2.0 * (17.5 + 4.0) / 4.0);
    }
}

#[cfg(test)]
mod track_tests {
    use crate::rng::Stream;
    use crate::rules::{demand, factor_ln, response};
    use crate::state::Ln;
    use crate::strategy::Action;
    use crate::testing::{ALLY, Fixture, OTH, close, paid_with};

    /// L(τ^offer) − L(τ^deal) of `i` at the trade factors `f`, % of GDP: what the framework is
    /// worth a year (MODEL.md 3.3), computed here apart from the response's own pricing.
    fn framework_gap(
        ctx: &crate::ctx::Ctx,
        st: &crate::state::State,
        f: &[f64; 5],
        i: usize,
    ) -> f64 {
        let a = &ctx.actors[i];
        let xbar = ctx.x0(i, ctx.h) * (1.0 - st.hedge[i]);
        let scale = ctx.m.volume_loss_weight * (1.0 + a.high_value_share) * (100.0 / a.gdp);
        scale * xbar * (f[Ln::Deal as usize] - f[Ln::Offer as usize])
    }

    /// ALLY's tracks decided as phase 2 decides them at horizon `horizon`, then ALLY concedes
    /// and the round is settled: the state after, and what the tracks cost and threatened.
    fn concede_with(conditions: &str, horizon: f64) -> (crate::step::RunState, [f64; 3], f64) {
        let fx = Fixture::new(&paid_with(&format!("conditions: Some([{conditions}])")), "");
        let ctx = fx.ctx();
        let mut run = fx.demanded(&ctx);
        let f = run.cache.ln[ALLY].map(|l| factor_ln(l, 2.0));
        let gap = framework_gap(&ctx, &run.st, &f, ALLY);
        let costs = response::track_costs(&ctx, &run.st, ALLY);
        run.st.kept[ALLY] =
            response::costs_and_tracks(&ctx, &run.st, &f, ALLY, horizon, 0.0, 2.0).1;
        for i in 1..4 {
            run.st.action[i] = Some(Action::Hedge);
        }
        run.st.action[ALLY] = Some(Action::Concede);
        let mut rng = fx.rng(Stream::Deals);
        super::run(&ctx, &mut run.st, &mut run.tallies, &mut rng);
        (run, costs, horizon * gap)
    }

    #[test]
    fn diverted_exports_sell_at_the_armington_price_of_the_other_markets() {
        // MODEL.md 3.4: ALLY sells 550 bn outside the hegemon (125 + 25 + 400). A stock of
        // η = 0.2 of its 150 bn diverted at ε = 2 (σ = 3): h = 30/550, the price there falls
        // to (1 + h)^(−1/3) and D = 550·[(1 + h) − (1 + h)^(2/3)].
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        close(ctx.world.other0[ALLY], 550.0);
        let g: f64 = 1.0 + 30.0 / 550.0;
        close(
            super::diversion_loss(&ctx, ALLY, 0.2, 2.0),
            550.0 * (g - g.powf(2.0 / 3.0)),
        );
        // The first unit costs 1/σ of its value, and each further one more.
        let unit = |eta: f64| {
            let de = 1e-7;
            (super::diversion_loss(&ctx, ALLY, eta + de, 2.0)
                - super::diversion_loss(&ctx, ALLY, eta, 2.0))
                / (de * 150.0)
        };
        assert!((unit(0.0) - 1.0 / 3.0).abs() < 1e-6, "{}", unit(0.0));
        assert!(unit(0.3) > unit(0.1) && unit(0.1) > unit(0.0));
        // A lower elasticity (the short run) makes the same diversion dearer; none costs 0.
        assert!(
            super::diversion_loss(&ctx, ALLY, 0.2, 0.76)
                > super::diversion_loss(&ctx, ALLY, 0.2, 2.0)
        );
        assert_eq!(super::diversion_loss(&ctx, ALLY, 0.0, 2.0), 0.0);
    }

    #[test]
    fn tracks_that_are_no_condition_are_not_kept_and_the_framework_holds() {
        // MODEL.md 3.4: with no conditions ALLY takes the 15% framework and pays nothing: no
        // fee, no host-nation support, no defence step; a breach is counted, none is seen.
        let (run, costs, _) = concede_with("", 2.0);
        assert!(costs.iter().all(|c| *c > 0.0), "{costs:?}");
        let st = &run.st;
        assert_eq!(st.kept[ALLY], 0);
        assert_eq!((st.tariff[ALLY], st.tariff_src[ALLY]), (0.15, Ln::Deal));
        assert_eq!(st.paid_now[ALLY], 0.0);
        assert_eq!(st.defense[ALLY], 0.02);
        assert_eq!(
            (run.tallies.breaches[ALLY], run.tallies.snapbacks[ALLY]),
            (1, 0)
        );
    }

    #[test]
    fn a_condition_is_kept_while_breaking_it_costs_more_and_a_seen_breach_snaps_back() {
        // The fee is a condition seen for sure, host-nation support one never seen: over a
        // long horizon ALLY keeps the fee (17.5 bn a year: 0.525% of GDP with resolve 0.2,
        // less than F_y·gap) and breaks the host track, unseen; the framework holds.
        let (run, costs, threat) =
            concede_with("(track: Pledge, detect: 1), (track: Host, detect: 0)", 50.0);
        close(costs[0], 17.5 * 100.0 / 4000.0 * 1.2);
        assert!(costs[0] <= threat, "{costs:?} {threat}");
        assert_eq!(run.st.kept[ALLY], 0b001);
        assert_eq!(run.st.paid_now[ALLY], 17.5 / 4.0);
        assert_eq!(run.st.tariff[ALLY], 0.15);
        assert_eq!(
            (run.tallies.breaches[ALLY], run.tallies.snapbacks[ALLY]),
            (1, 0)
        );
        // Over no horizon breaking costs nothing expected: every track is broken, and the
        // breach of the fee, seen for sure, snaps the framework back to the offer.
        let (run, _, threat) = concede_with("(track: Pledge, detect: 1)", 0.0);
        assert_eq!(threat, 0.0);
        assert_eq!(run.st.kept[ALLY], 0);
        assert_eq!(run.st.paid_now[ALLY], 0.0);
        assert_eq!(run.st.tariff_src[ALLY], Ln::Offer);
        assert_eq!(run.st.tariff[ALLY], run.st.demand.offer[ALLY]);
        assert_eq!(run.st.deal_age[ALLY], 0);
        assert_eq!(
            (run.tallies.breaches[ALLY], run.tallies.snapbacks[ALLY]),
            (1, 1)
        );
    }

    #[test]
    fn a_deal_of_tracks_is_priced_at_the_cheaper_of_keeping_and_breaking_each() {
        // K_i = Σ_t min(c_t, δ_t·F_y·gap): with no conditions the deal costs nothing beyond
        // its tariff, so C is cheaper than in the bundle by exactly the bundle's K_i.
        let bundle = Fixture::paid();
        let tracks = Fixture::new(&paid_with("conditions: Some([])"), "");
        let price = |fx: &Fixture| {
            let ctx = fx.ctx();
            let run = fx.demanded(&ctx);
            let f = run.cache.ln[ALLY].map(|l| factor_ln(l, 2.0));
            let c = response::costs(&ctx, &run.st, &f, ALLY, 2.0, 0.0, 2.0);
            (
                c[Action::Concede as usize],
                response::track_costs(&ctx, &run.st, ALLY),
            )
        };
        let (with_bundle, costs) = price(&bundle);
        let (with_tracks, _) = price(&tracks);
        close(with_bundle - with_tracks, costs.iter().sum());
    }

    #[test]
    fn a_pledge_is_a_stock_disbursed_under_a_yearly_cap_net_of_returns() {
        // MODEL.md 3.2: ALLY pledges 50 bn, at most 40 bn a year (10 a quarter), 90% returning:
        // each deal round disburses 10 and transfers 1 (an annual fee of 4); a round without
        // a deal disburses nothing, and after five deal rounds nothing is left.
        let fx = Fixture::new(
            &paid_with(r#"pledges: [("ALLY", (stock: 50, per_year: 40, returns: 0.9))]"#),
            "",
        );
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        let mut rng = fx.rng(Stream::Deals);
        let mut fees = Vec::new();
        for t in 0..7 {
            run.st.t = t;
            demand::run(&ctx, &mut run.st, &mut run.cache, &mut rng);
            fees.push(run.st.demand.fee[ALLY]);
            for i in 1..4 {
                run.st.action[i] = Some(Action::Hedge);
            }
            // ALLY deals in every round but the second: nothing is disbursed then.
            if t != 1 {
                run.st.action[ALLY] = Some(Action::Concede);
            }
            super::run(&ctx, &mut run.st, &mut run.tallies, &mut rng);
        }
        for (got, want) in fees.iter().zip([4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 0.0]) {
            close(*got, want);
        }
        close(run.st.disbursed[ALLY], 50.0);
        close(run.st.pledge_left[ALLY], 0.0);
        // The surplus fee of the others is untouched: ¼·20 for OTH.
        close(run.st.demand.fee[OTH], 5.0);
    }

    #[test]
    fn a_defence_path_is_followed_without_a_deal_and_a_deal_adds_only_its_excess() {
        // ALLY commits to 3% from 2% in 5 years (0.2 points a year), and hedges: its defence
        // rises by 0.05 points a quarter all the same. The deal asks φ_d·(3.5% − 2%) = 0.15
        // points a year, less than the path: a deal adds nothing.
        let text = crate::testing::scenario(crate::testing::PAID, "").replacen(
            r#"blocs: ["PACT"], policy: Quantal),"#,
            r#"blocs: ["PACT"], policy: Quantal,
                defense_path: Some((target: 0.03, years: 5))),"#,
            1,
        );
        let fx = Fixture::from_text(&text);
        let ctx = fx.ctx();
        let mut run = fx.demanded(&ctx);
        assert_eq!(super::defense_step(&ctx, &run.st, ALLY), 0.0);
        close(super::own_defense_step(&ctx, &run.st, ALLY), 0.002);
        run.st.action[ALLY] = Some(Action::Hedge);
        super::run(
            &ctx,
            &mut run.st,
            &mut run.tallies,
            &mut fx.rng(Stream::Deals),
        );
        close(run.st.defense[ALLY], 0.0205);
    }
}

#[cfg(test)]
mod deal_terms_tests {
    use crate::rng::Stream;
    use crate::rules::{factor_ln, response};
    use crate::state::Ln;
    use crate::strategy::Action;
    use crate::testing::{Fixture, PAID, RIV, close, scenario};

    /// The fixture with RIV's deal terms `terms` (a `DealTermsSpec`).
    fn with_terms(terms: &str) -> Fixture {
        let text = scenario(PAID, "").replacen(
            r#"blocs: ["PACT"], policy: TitForTat),"#,
            &format!(r#"blocs: ["PACT"], policy: TitForTat, deal_terms: Some({terms})),"#),
            1,
        );
        Fixture::from_text(&text)
    }

    /// RIV retaliates in round 0, then concedes for `deals` rounds; the state after each.
    fn retaliate_then_concede(fx: &Fixture, deals: usize) -> Vec<crate::step::RunState> {
        let ctx = fx.ctx();
        let mut run = fx.demanded(&ctx);
        let mut rng = fx.rng(Stream::Deals);
        run.st.action[RIV] = Some(Action::Retaliate);
        super::run(&ctx, &mut run.st, &mut run.tallies, &mut rng);
        let mut out = Vec::new();
        for _ in 0..deals {
            run.st.action[RIV] = Some(Action::Concede);
            super::run(&ctx, &mut run.st, &mut run.tallies, &mut rng);
            out.push(run.clone());
        }
        out
    }

    #[test]
    fn a_truce_keeps_the_counter_tariff_the_deal_rate_mirrors() {
        // RIV's deal rate is 30%; keep_counter 0.5 of the match (1) keeps 15% through the
        // truce, where without terms the counter-tariff is lifted whole.
        let runs = retaliate_then_concede(&with_terms("(keep_counter: 0.5)"), 3);
        for run in &runs {
            close(run.st.counter[RIV], 0.15);
            assert_eq!(run.st.tariff_src[RIV], Ln::Deal);
        }
        let plain = retaliate_then_concede(&Fixture::paid(), 1);
        assert_eq!(plain[0].st.counter[RIV], 0.0);
        // An actor that never retaliated keeps nothing.
        let fx = with_terms("(keep_counter: 1)");
        let ctx = fx.ctx();
        let mut run = fx.demanded(&ctx);
        run.st.action[RIV] = Some(Action::Concede);
        super::run(
            &ctx,
            &mut run.st,
            &mut run.tallies,
            &mut fx.rng(Stream::Deals),
        );
        assert_eq!(run.st.counter[RIV], 0.0);
    }

    #[test]
    fn a_deal_lapses_at_its_expiry_unless_renewed() {
        // Expiry 2 rounds, never renewed: the second deal round lapses back to the offer and
        // the next deal starts a new term; always renewed: it never lapses.
        let runs = retaliate_then_concede(&with_terms("(expiry: Some(2), renewal: 0)"), 4);
        let src: Vec<_> = runs.iter().map(|r| r.st.tariff_src[RIV]).collect();
        assert_eq!(src, [Ln::Deal, Ln::Offer, Ln::Deal, Ln::Offer]);
        let last = runs.last().unwrap();
        assert_eq!(
            (last.tallies.lapses[RIV], last.tallies.renewals[RIV]),
            (2, 0)
        );
        let runs = retaliate_then_concede(&with_terms("(expiry: Some(2), renewal: 1)"), 4);
        assert!(runs.iter().all(|r| r.st.tariff_src[RIV] == Ln::Deal));
        let last = runs.last().unwrap();
        assert_eq!(
            (last.tallies.lapses[RIV], last.tallies.renewals[RIV]),
            (0, 2)
        );
    }

    #[test]
    fn the_response_prices_the_kept_counter_tariff_and_the_lapse_hazard() {
        // C's cost rises by the kept counter-tariff's cost to RIV's importers,
        // c_r·X_HR(0)·[1 − (1 + ρ)^(−ε)]/Y with ρ = the 30% deal rate mirrored, and by
        // (1 − renewal)/expiry·F_y·gap, gap = L(τ^offer) − L(τ^deal).
        let concede = |fx: &Fixture, counter: f64| {
            let ctx = fx.ctx();
            let mut run = fx.demanded(&ctx);
            run.st.counter[RIV] = counter;
            let f = run.cache.ln[RIV].map(|l| factor_ln(l, 2.0));
            let c = response::costs(&ctx, &run.st, &f, RIV, 2.0, 0.0, 2.0);
            let scale = ctx.m.volume_loss_weight * (1.0 + ctx.actors[RIV].high_value_share);
            let gap = scale * 440.0 * (f[Ln::Deal as usize] - f[Ln::Offer as usize]);
            (
                c[Action::Concede as usize],
                gap * 100.0 / ctx.actors[RIV].gdp,
            )
        };
        let (plain, gap) = concede(&Fixture::paid(), 0.2);
        let fx = with_terms("(keep_counter: 1)");
        let ctx = fx.ctx();
        let (m, y) = (&ctx.m, ctx.actors[RIV].gdp);
        let own = m.retaliation_cost * 140.0 * (1.0 - factor_ln(0.3f64.ln_1p(), 2.0)) * 100.0 / y;
        close(concede(&fx, 0.2).0 - plain, own);
        // No counter-tariff in force: nothing kept, nothing priced.
        close(concede(&fx, 0.0).0, plain);
        let lapsing = with_terms("(expiry: Some(4), renewal: 0.5)");
        close(concede(&lapsing, 0.0).0 - plain, 0.5 / 4.0 * 2.0 * gap);
    }

    #[test]
    fn a_security_step_is_priced_as_entrapment_and_recorded() {
        // ALLY's deal asks host-nation support (4 bn) and a defence rise: with q_S = 0.5 its
        // C costs q_S·(X_AR/Y)·σ_C more, and conceding records a security step.
        let with_q = Fixture::paid_world_with("security_sanction_hazard: Some(0.5)");
        let concede = |fx: &Fixture| {
            let ctx = fx.ctx();
            let run = fx.demanded(&ctx);
            let f = run.cache.ln[crate::testing::ALLY].map(|l| factor_ln(l, 2.0));
            let c = response::costs(&ctx, &run.st, &f, crate::testing::ALLY, 2.0, 0.0, 2.0);
            (c[Action::Concede as usize], ctx.m.entrapment_weight)
        };
        let (plain, sigma) = concede(&Fixture::paid());
        let (priced, _) = concede(&with_q);
        close(priced - plain, 0.5 * 125.0 / 4000.0 * sigma);
        let ctx = with_q.ctx();
        let run = with_q.settled(&ctx);
        assert!(run.st.security_step[crate::testing::ALLY]);
        assert!(!run.st.security_step[crate::testing::OTH]);
    }

    #[test]
    fn a_purchase_commitment_is_bought_in_deal_rounds_and_priced_in_k() {
        // ALLY buys 40 bn a year of HEG's goods while in a deal, 10% of it a loss: C costs
        // 100·0.1·40/Y·(1 + r) more; a deal round buys 40/4 a quarter; a hedger buys nothing.
        let text = crate::testing::paid_with(r#"purchases: [("ALLY", (per_year: 40, cost: 0.1))]"#);
        let fx = Fixture::new(&text, "");
        let ally = crate::testing::ALLY;
        let concede = |fx: &Fixture| {
            let ctx = fx.ctx();
            let run = fx.demanded(&ctx);
            let f = run.cache.ln[ally].map(|l| factor_ln(l, 2.0));
            response::costs(&ctx, &run.st, &f, ally, 2.0, 0.0, 2.0)[Action::Concede as usize]
        };
        let ctx = fx.ctx();
        let r = ctx.actors[ally].resolve;
        close(
            concede(&fx) - concede(&Fixture::paid()),
            100.0 * 0.1 * 40.0 / 4000.0 * (1.0 + r),
        );
        let run = fx.settled(&ctx);
        assert_eq!(run.st.purchasing[ally], 40.0);
        close(run.st.purchased[ally], 10.0);
        assert_eq!(run.st.purchasing[crate::testing::OTH], 0.0);
    }

    #[test]
    fn concede_and_hedge_as_its_own_bundle_hedges_a_full_step_at_the_deal_s_saving() {
        // concede_hedge_share 1: CG − C = c_h·Δη·X̄/Y − Δη·s_deal·F + μ(1+v)·D(Δη)·F/Y, with
        // s_deal the loss avoided per unit of hedge at the deal's tariff; settlement adds Δη.
        let fx = Fixture::paid_world_with("concede_hedge_share: Some(1)");
        let ctx = fx.ctx();
        let ally = crate::testing::ALLY;
        let mut run = fx.demanded(&ctx);
        let f = run.cache.ln[ally].map(|l| factor_ln(l, 2.0));
        let c = response::costs(&ctx, &run.st, &f, ally, 2.0, 0.0, 2.0);
        let (m, a) = (&ctx.m, &ctx.actors[ally]);
        let pct = 100.0 / a.gdp;
        let scale = m.volume_loss_weight * (1.0 + a.high_value_share) * pct;
        let de = super::hedge_step(&ctx, &run.st, ally);
        let s_deal = scale * 150.0 * (1.0 - f[Ln::Deal as usize]);
        let expected = m.hedge_cost * de * 150.0 * pct - de * s_deal * 2.0
            + scale * super::diversion_loss(&ctx, ally, de, 2.0) * 2.0;
        let sec = response::security_cost(&ctx, &run.st, ally, Action::ConcedeHedge)
            - response::security_cost(&ctx, &run.st, ally, Action::Concede);
        close(
            c[Action::ConcedeHedge as usize] - c[Action::Concede as usize],
            expected + sec,
        );
        run.st.action[ally] = Some(Action::ConcedeHedge);
        super::run(
            &ctx,
            &mut run.st,
            &mut run.tallies,
            &mut fx.rng(Stream::Deals),
        );
        close(run.st.hedge_added[ally], de);
    }
}
