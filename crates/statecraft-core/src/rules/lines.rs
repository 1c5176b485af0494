//! The hegemon's tariff lines besides the reciprocal one (MODEL.md 3.2): the timeline's events
//! and the effective tariff they add.
//!
//! A measure (a Section 232 line, a surcharge) has a legal basis and covers product groups of
//! each partner's exports to the hegemon. Its rate on a partner comes from the timeline: `Set`
//! announces, raises or cuts it, `Pause` caps it until `Resume`, `Clear` lifts it, `Void`
//! voids its legal basis (as a ruling does). The effective tariff of the lines is their
//! trade-weighted sum b_i = Σ_l c_il·τ_il, c_il the share of i's exports the line covers;
//! under a deal each line is at most the deal's cap on it. A ruling's interim surcharge
//! (MODEL.md 3.4, phase 0) adds e_i·τ^int for its rounds, and accounting reads the duties of
//! the basis a ruling voids here ([`basis_revenue`]) for its refunds.

use crate::ctx::Ctx;
use crate::scenario::EventOp;
use crate::state::{Cache, Ln, State};
use crate::world::Line;

/// Applies the timeline's events of every round up to the current one, in order.
pub fn apply_events(ctx: &Ctx, st: &mut State) {
    let lines = &ctx.world.lines;
    while let Some(e) = lines.events.get(st.next_event) {
        if e.round > st.t {
            break;
        }
        st.next_event += 1;
        if e.op == EventOp::Void {
            let basis = match e.line {
                Line::Reciprocal => 0,
                Line::Measure(l) => lines.measures[l].basis,
            };
            st.voided |= 1u64 << basis;
            continue;
        }
        for &i in &e.targets {
            let (set, pause) = match e.line {
                Line::Reciprocal => (&mut st.recip_set[i], &mut st.recip_pause[i]),
                Line::Measure(l) => (&mut st.line_set[(i, l)], &mut st.line_pause[(i, l)]),
            };
            let cleared = if e.line == Line::Reciprocal {
                f64::NAN
            } else {
                0.0
            };
            match e.op {
                EventOp::Set(r) => *set = r,
                EventOp::Pause(r) => *pause = r,
                EventOp::Resume => *pause = f64::INFINITY,
                EventOp::Clear => *set = cleared,
                EventOp::Void => unreachable!("handled above"),
            }
        }
    }
}

/// Whether legal basis `b` has been voided.
#[inline]
pub fn is_void(st: &State, basis: usize) -> bool {
    st.voided & (1u64 << basis) != 0
}

/// τ_il: measure `l`'s rate on actor `i` this round: the rate set, under its pause; zero once
/// its legal basis is void.
pub fn rate(ctx: &Ctx, st: &State, i: usize, l: usize) -> f64 {
    if is_void(st, ctx.world.lines.measures[l].basis) {
        0.0
    } else {
        st.line_set[(i, l)].min(st.line_pause[(i, l)])
    }
}

/// Whether a line of legal basis `basis` is in force on actor `i`, before this round's events:
/// the reciprocal line's tariff (when it is of that basis) or a measure of that basis that
/// covers some of i's exports at a positive rate.
pub fn basis_in_force(ctx: &Ctx, st: &State, i: usize, basis: usize) -> bool {
    if is_void(st, basis) {
        return false;
    }
    let measures = &ctx.world.lines.measures;
    (basis == 0 && ctx.actors[i].exposure * st.tariff[i] > 0.0)
        || (0..measures.len()).any(|l| {
            measures[l].basis == basis && ctx.cover[(i, l)] > 0.0 && rate(ctx, st, i, l) > 0.0
        })
}

/// The interim surcharge on actor `i` this round: its rate from the ruling's round for its
/// `rounds` rounds where it applies to i (phase 0), else 0. A line of its own legal basis,
/// which no ruling or `Void` reaches; it covers i's reciprocal share e_i, with or without a
/// deal.
#[inline]
pub fn interim(ctx: &Ctx, st: &State, i: usize) -> f64 {
    match (
        ctx.world.court_shock.and_then(|c| c.interim),
        st.court_round,
    ) {
        (Some((rate, rounds)), Some(r)) if st.interim[i] && st.t - r < rounds => ctx.v(rate),
        _ => 0.0,
    }
}

/// The duties the hegemon collects this year on actor `i`'s exports under legal basis
/// `basis`, bn USD: the part of τ^eff_i·X_iH from the lines of that basis in force (under a
/// deal at their deal caps), read after settlement.
pub fn basis_revenue(ctx: &Ctx, st: &State, i: usize, basis: usize) -> f64 {
    if is_void(st, basis) {
        return 0.0;
    }
    let mut t = if basis == 0 {
        ctx.actors[i].exposure * st.tariff[i]
    } else {
        0.0
    };
    let in_deal = matches!(st.tariff_src[i], Ln::Deal | Ln::Bandwagon);
    for (l, m) in ctx.world.lines.measures.iter().enumerate() {
        let c = ctx.cover[(i, l)];
        if m.basis == basis && c > 0.0 {
            let r = rate(ctx, st, i, l);
            t += c * if in_deal {
                r.min(ctx.deal_cap[(i, l)])
            } else {
                r
            };
        }
    }
    t * st.exports[(i, ctx.h)]
}

/// (b^offer_i, b^deal_i): the effective tariff of the measures on actor `i` without a deal and
/// under one (each line at most the deal's cap on it), and the interim surcharge on its
/// reciprocal share, e_i·τ^int, in both.
pub fn effective(ctx: &Ctx, st: &State, i: usize) -> (f64, f64) {
    effective_at(ctx, st, i, ctx.actors[i].exposure * interim(ctx, st, i))
}

/// [`effective`] through the run's cache: the rates change only with the timeline's events
/// (counted by `st.next_event`), a voided basis and the interim surcharge, so an actor's
/// value is recomputed only when one of those changed since it was last computed.
pub fn effective_cached(ctx: &Ctx, st: &State, cache: &mut Cache, i: usize) -> (f64, f64) {
    let surcharge = ctx.actors[i].exposure * interim(ctx, st, i);
    let key = [st.next_event as u64, st.voided, surcharge.to_bits()];
    if cache.lines_key[i] != key {
        cache.lines[i] = effective_at(ctx, st, i, surcharge);
        cache.lines_key[i] = key;
    }
    cache.lines[i]
}

/// [`effective`] with the interim surcharge e_i·τ^int already computed.
fn effective_at(ctx: &Ctx, st: &State, i: usize, surcharge: f64) -> (f64, f64) {
    let (mut offer, mut deal) = (surcharge, surcharge);
    // Row slices of the measures (one pass, no bounds checks); the rate as [`rate`] reads it.
    let lines = ctx
        .world
        .lines
        .measures
        .iter()
        .zip(ctx.cover.row(i))
        .zip(ctx.deal_cap.row(i))
        .zip(st.line_set.row(i).iter().zip(st.line_pause.row(i)));
    for (((m, &c), &cap), (&set, &pause)) in lines {
        if c > 0.0 {
            let r = if is_void(st, m.basis) {
                0.0
            } else {
                set.min(pause)
            };
            offer += c * r;
            deal += c * r.min(cap);
        }
    }
    (offer, deal)
}

#[cfg(test)]
mod tests {
    use crate::rng::Stream;
    use crate::rules::{demand, response, settlement, shocks, tariff_revenue};
    use crate::strategy::Action;
    use crate::testing::{ALLY, Fixture, OTH, PAID, RIV, TIMELINE, close, paid_with};

    /// Runs phases 1 and 3 for rounds 0..5 with ALLY, OTH and RIV taking `acts` every round;
    /// `see` reads each round's state after its demand.
    fn five_rounds(
        fx: &Fixture,
        ctx: &crate::ctx::Ctx,
        acts: [Action; 3],
        mut see: impl FnMut(&crate::state::State),
    ) -> crate::step::RunState {
        let mut run = fx.start(ctx);
        let mut rng = fx.rng(Stream::Deals);
        for t in 0..5 {
            run.st.t = t;
            demand::run(ctx, &mut run.st, &mut run.cache, &mut rng);
            see(&run.st);
            run.st.action[ALLY] = Some(acts[0]);
            run.st.action[OTH] = Some(acts[1]);
            run.st.action[RIV] = Some(acts[2]);
            settlement::run(ctx, &mut run.st, &mut run.tallies, &mut rng);
        }
        run
    }

    /// Runs phase 1 for rounds 0..=t.
    fn demand_until(fx: &Fixture, ctx: &crate::ctx::Ctx, t: u32) -> crate::step::RunState {
        let mut run = fx.start(ctx);
        let mut rng = fx.rng(Stream::Deals);
        for r in 0..=t {
            run.st.t = r;
            demand::run(ctx, &mut run.st, &mut run.cache, &mut rng);
        }
        run
    }

    #[test]
    fn the_lines_add_their_trade_weighted_rates_and_a_deal_caps_them() {
        // MODEL.md 3.2: b_i = Σ_l c_il·τ_il; under a deal each line at most its cap.
        // ALLY: steel 0.1 × 50% + autos 0.05 × 25% = 0.0625; autos capped at 15% in a deal:
        // 0.05 + 0.0075. OTH and RIV sell no steel: nothing.
        let fx = Fixture::lines(
            &paid_with(r#"deal_caps: [("autos", "ALLY", 0.15)]"#),
            TIMELINE,
        );
        let ctx = fx.ctx();
        let run = demand_until(&fx, &ctx, 0);
        let d = &run.st.demand;
        close(d.base_offer[ALLY], 0.0625);
        close(d.base_deal[ALLY], 0.0575);
        assert_eq!((d.base_offer[OTH], d.base_offer[RIV]), (0.0, 0.0));
        // The trade factors price the reciprocal line and the others together.
        close(
            run.cache.ln[ALLY][0],
            (0.8 * d.offer[ALLY] + 0.0625).ln_1p(),
        );
        close(run.cache.ln[ALLY][1], (0.8f64 * 0.15 + 0.0575).ln_1p());
        // Round 1: the surcharge stacks on the reciprocal share (e = 0.8): + 0.8 × 40%.
        let run = demand_until(&fx, &ctx, 1);
        close(run.st.demand.base_offer[ALLY], 0.0625 + 0.32);
    }

    #[test]
    fn a_pause_caps_the_reciprocal_offer_until_it_is_resumed() {
        let fx = Fixture::lines(PAID, TIMELINE);
        let ctx = fx.ctx();
        let formula = 0.5 * 70.0 / 150.0;
        close(demand_until(&fx, &ctx, 1).st.demand.offer[ALLY], formula);
        let paused = demand_until(&fx, &ctx, 2);
        assert_eq!(paused.st.demand.offer[ALLY], 0.10);
        assert_eq!(paused.st.demand.deal[ALLY], 0.10);
        close(demand_until(&fx, &ctx, 3).st.demand.offer[ALLY], formula);
        // A rolled-back actor's offer (its deal rate, 15%) is capped by the pause too, the
        // escalation against a retaliator is not (MODEL.md 3.2).
        let mut run = demand_until(&fx, &ctx, 1);
        run.st.rolled_back[ALLY] = true;
        run.st.t = 2;
        demand::run(
            &ctx,
            &mut run.st,
            &mut run.cache,
            &mut fx.rng(Stream::Deals),
        );
        let d = &run.st.demand;
        assert_eq!((d.offer[ALLY], d.deal[ALLY]), (0.10, 0.10));
        close(d.escalated[ALLY], 0.60);
    }

    #[test]
    fn a_set_replaces_the_formula_and_a_clear_restores_it() {
        let timeline = r#"timeline: Some(Inline([
            (round: 0, measure: "reciprocal", targets: ["OTH"], op: Set(0.34)),
            (round: 1, measure: "reciprocal", targets: ["OTH"], op: Clear),
        ])),"#;
        let fx = Fixture::lines(PAID, timeline);
        let ctx = fx.ctx();
        let r0 = demand_until(&fx, &ctx, 0);
        assert_eq!(r0.st.demand.offer[OTH], 0.34);
        assert_eq!(r0.st.demand.deal[OTH], 0.10);
        close(demand_until(&fx, &ctx, 1).st.demand.offer[OTH], 0.25);
    }

    #[test]
    fn a_ruling_voids_one_legal_basis_and_leaves_the_others() {
        // The court voids IEEPA from round 1: the reciprocal line and the surcharge go, the
        // Section 232 lines stay.
        let extra = format!(
            "{TIMELINE} court_shock: Some((from_round: 1, hazard: 1, voids: Some(\"IEEPA\"))),"
        );
        let fx = Fixture::lines(PAID, &extra);
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        let (mut rs, mut rd) = (fx.rng(Stream::Shocks), fx.rng(Stream::Deals));
        for t in 0..3 {
            run.st.t = t;
            shocks::run(&ctx, &mut run.st, &mut rs);
            demand::run(&ctx, &mut run.st, &mut run.cache, &mut rd);
        }
        let d = &run.st.demand;
        assert_eq!(run.st.court_round, Some(1));
        assert_eq!(
            (d.offer[ALLY], d.deal[ALLY], d.escalated[ALLY]),
            (0.0, 0.0, 0.0)
        );
        close(d.base_offer[ALLY], 0.0625);
        // The cap defaults to none: the strategy's fees stand.
        assert_eq!(d.fee[ALLY], 17.5);
        // Nothing escalated to match and no package: no counter-tariff, so R is not available
        // (a retaliation that sets no tariff is none), and the Section 232 lines still cost.
        assert_eq!(d.counter[ALLY], 0.0);
        assert!(!response::can_retaliate(&ctx, &run.st, ALLY));
        let f = run.cache.ln[ALLY].map(|l| crate::rules::factor_ln(l, 2.0));
        let c = response::costs(&ctx, &run.st, &f, ALLY, 2.0, 0.0, 2.0);
        assert_eq!(c[Action::Retaliate as usize], f64::INFINITY);
        assert!(c[Action::Hedge as usize].is_finite());
    }

    #[test]
    fn an_interim_surcharge_replaces_the_voided_lines_for_its_rounds_then_lapses() {
        // The court voids IEEPA in round 2; a 15% surcharge replaces it for 2 rounds (2 and 3)
        // on the reciprocal share of every actor that had an IEEPA line in force at the
        // ruling: ALLY and RIV, not OTH (its reciprocal line Set to 0), never the hegemon.
        let timeline = TIMELINE.replacen(
            "(round: 0, measure: \"steel\", op: Set(0.5)),",
            "(round: 0, measure: \"steel\", op: Set(0.5)),
            (round: 0, measure: \"reciprocal\", targets: [\"OTH\"], op: Set(0.0)),",
            1,
        );
        let extra = format!(
            "{timeline} court_shock: Some((from_round: 2, hazard: 1, voids: Some(\"IEEPA\"),
                interim: Some((rate: 0.15, rounds: 2)))),"
        );
        let fx = Fixture::lines(PAID, &extra);
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        let (mut rs, mut rd) = (fx.rng(Stream::Shocks), fx.rng(Stream::Deals));
        let mut seen = Vec::new();
        for t in 0..6 {
            run.st.t = t;
            shocks::run(&ctx, &mut run.st, &mut rs);
            demand::run(&ctx, &mut run.st, &mut run.cache, &mut rd);
            let d = &run.st.demand;
            seen.push((
                d.offer[ALLY],
                d.base_offer[ALLY],
                d.base_deal[ALLY],
                d.base_offer[RIV],
            ));
            assert_eq!(d.base_offer[OTH], 0.0, "round {t}");
            run.st.action[ALLY] = Some(Action::Hedge);
            run.st.action[OTH] = Some(Action::Hedge);
            run.st.action[RIV] = Some(Action::Hedge);
            settlement::run(&ctx, &mut run.st, &mut run.tallies, &mut rd);
        }
        assert_eq!(run.st.court_round, Some(2));
        assert_eq!(run.st.interim, [false, true, true, false]);
        // Before: the formula offer, the Section 232 lines (0.0625) and from round 1 the IEEPA
        // surcharge (0.8 × 40%).
        close(seen[0].0, 0.5 * 70.0 / 150.0);
        close(seen[1].1, 0.0625 + 0.32);
        for (t, &(offer, base, deal, riv)) in seen.iter().enumerate().skip(2) {
            // The IEEPA lines stay void; the Section 232 lines stay; the surcharge (0.8 × 15%
            // on ALLY, 1 × 15% on RIV, with or without a deal) lasts rounds 2 and 3 only.
            let (a, r) = if t < 4 {
                (0.8 * 0.15, 0.15)
            } else {
                (0.0, 0.0)
            };
            assert_eq!(offer, 0.0, "round {t}");
            close(base, 0.0625 + a);
            close(deal, 0.0625 + a);
            close(riv, r);
        }
    }

    #[test]
    fn settlement_keeps_the_lines_in_force_and_revenue_counts_them() {
        let fx = Fixture::lines(
            &paid_with(r#"deal_caps: [("autos", "ALLY", 0.15)]"#),
            TIMELINE,
        );
        let ctx = fx.ctx();
        let mut run = demand_until(&fx, &ctx, 0);
        run.st.action[ALLY] = Some(Action::Concede);
        run.st.action[OTH] = Some(Action::Hedge);
        run.st.action[RIV] = Some(Action::Retaliate);
        settlement::run(
            &ctx,
            &mut run.st,
            &mut run.tallies,
            &mut fx.rng(Stream::Deals),
        );
        close(run.st.tariff_base[ALLY], 0.0575);
        run.st.exports[(ALLY, 0)] = 100.0;
        close(
            tariff_revenue(&ctx, &run.st, ALLY),
            (0.8 * 0.15 + 0.0575) * 100.0,
        );
        assert_eq!(run.st.no_deal[ALLY], 0);
        assert_eq!(run.st.no_deal[OTH], 1);
    }

    #[test]
    fn pressure_raises_the_offer_of_a_target_without_a_deal() {
        // After 2 rounds without a deal: +5% a round, at most 12%.
        let fx = Fixture::new(
            &paid_with("pressure: Some((after: 2, step: 0.05, max: 0.12))"),
            "",
        );
        let ctx = fx.ctx();
        let mut seen = Vec::new();
        let acts = [Action::Concede, Action::Hedge, Action::Concede];
        let run = five_rounds(&fx, &ctx, acts, |st| seen.push(st.demand.pressure[OTH]));
        for (got, want) in seen.iter().zip([0.0, 0.0, 0.05, 0.10, 0.12]) {
            close(*got, want);
        }
        close(run.st.demand.offer[OTH], 0.25 + 0.12);
        assert_eq!(run.st.demand.pressure[ALLY], 0.0);
    }

    #[test]
    fn pressure_raises_only_a_positive_reciprocal_offer() {
        // MODEL.md 3.2 (and 5, disagreement 9): ALLY's reciprocal line is Set to 0 (an
        // exemption, like Canada's and Mexico's in 2025) while steel is demanded of it; it
        // hedges, so its rounds without a deal count, but no pressure is added to the zero
        // offer. From a Set of 20% in round 4 the count it has run up applies at once.
        let timeline = r#"timeline: Some(Inline([
            (round: 0, measure: "steel", op: Set(0.5)),
            (round: 0, measure: "reciprocal", targets: ["ALLY"], op: Set(0.0)),
            (round: 4, measure: "reciprocal", targets: ["ALLY"], op: Set(0.2)),
        ])),"#;
        let fx = Fixture::lines(
            &paid_with("pressure: Some((after: 2, step: 0.05, max: 0.12))"),
            timeline,
        );
        let ctx = fx.ctx();
        let mut seen = Vec::new();
        let acts = [Action::Hedge, Action::Hedge, Action::Concede];
        let run = five_rounds(&fx, &ctx, acts, |st| {
            let d = &st.demand;
            seen.push((d.pressure[ALLY], d.offer[ALLY], d.pressure[OTH]));
        });
        for (t, &(pressure, offer, other)) in seen.iter().take(4).enumerate() {
            assert_eq!((pressure, offer), (0.0, 0.0), "round {t}");
            // OTH, without a Set, finds pressure from its third round without a deal.
            close(other, [0.0, 0.0, 0.05, 0.10][t]);
        }
        assert_eq!(run.st.no_deal[ALLY], 5);
        let d = &run.st.demand;
        close(d.pressure[ALLY], 0.12);
        close(d.offer[ALLY], 0.2 + 0.12);
        assert_eq!(d.deal[ALLY], 0.15);
    }

    #[test]
    fn a_package_sets_the_counter_tariff_by_value_and_a_trigger_suspends_it() {
        // ALLY's package covers 40 of the hegemon's 80 bn of exports to it at 25%: ρ = 0.125.
        let with_package = |trigger: &str| {
            let text = crate::testing::scenario(PAID, "").replacen(
                r#"blocs: ["PACT"], policy: Quantal),"#,
                &format!(
                    r#"blocs: ["PACT"], policy: Quantal,
                    retaliation: Some((value: 40, rate: 0.25, trigger: {trigger}))),"#
                ),
                1,
            );
            Fixture::from_text(&text)
        };
        let fx = with_package("None");
        let ctx = fx.ctx();
        let run = fx.demanded(&ctx);
        close(run.st.demand.counter[ALLY], 0.125);
        close(run.cache.ln[ALLY][4], 0.125f64.ln_1p());
        assert!(response::can_retaliate(&ctx, &run.st, ALLY));
        // Suspended until the effective offer (0.8 × 23.3%) passes 30%: R cannot be chosen.
        let fx = with_package("Some(0.3)");
        let ctx = fx.ctx();
        let run = fx.demanded(&ctx);
        assert!(!response::can_retaliate(&ctx, &run.st, ALLY));
        let f = run.cache.ln[ALLY].map(|l| crate::rules::factor_ln(l, 2.0));
        let c = response::costs(&ctx, &run.st, &f, ALLY, 2.0, 0.0, 2.0);
        assert_eq!(c[Action::Retaliate as usize], f64::INFINITY);
    }
}
