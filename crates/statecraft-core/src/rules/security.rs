//! Phase 5, security (MODEL.md 3.4): beliefs about the hegemon, credibility of its guarantee,
//! autonomy.
//!
//! Each actor holds a belief π_i that the hegemon is an extortionist rather than a reliable ally
//! and updates it by Bayes' rule from the extraction it sees: whether the annual tariff revenue
//! and payments it gives the hegemon exceed `extraction_cap` of its GDP. Credibility moves α_κ of
//! the way toward κ_i(0)·(1 − ℓ·π_i), less δ_R after a retaliation: the abandonment fear of
//! Snyder's alliance security dilemma, and Morrow's view of alliances as costly signals.
//! Autonomy grows by α_a·h_i after hedging and by α_d per unit of added defence spending.

use crate::ctx::Ctx;
use crate::rng::SimRng;
use crate::rules::tariff_revenue;
use crate::scenario::SecurityEventKind;
use crate::state::{State, Tallies};
use crate::strategy::Action;
use crate::world::SecurityEvent;

/// Runs phase 5. Records ruptures (and, where the world says what a rupture does, applies
/// it). With the world's beliefs, draws one uniform per actor but the hegemon (the signal),
/// else none.
pub fn run(ctx: &Ctx, st: &mut State, tallies: &mut Tallies, rng: &mut SimRng) {
    let m = &ctx.m;
    let h = ctx.h;
    let beliefs = ctx.world.beliefs.map(|b| {
        // The yearly recovery as a share per round (computed once per run).
        let r = ctx.recovery;
        let arming = b.arming.map(|p| ctx.v(p));
        (r, ctx.v(b.threat_shock), ctx.v(b.balancing), arming)
    });
    let events = events_now(ctx, st.t);
    for i in 0..ctx.n {
        if i == h {
            continue;
        }
        let a = &ctx.actors[i];
        let revenue = tariff_revenue(ctx, st, i);
        let extraction = (revenue + st.paid_now[i] * ctx.rpy) / a.gdp;
        let extortive = extraction > m.extraction_cap;
        // The signal: with beliefs it is drawn, "extortion" with the likelihood the conduct
        // gives it (p_E after extortive conduct, p_R after restraint); else it is the conduct.
        let bad = match beliefs {
            Some(_) => {
                let u = rng.open01();
                u < if extortive {
                    m.signal_if_extortionist
                } else {
                    m.signal_if_reliable
                }
            }
            None => extortive,
        };
        update(&mut st.belief[i], signal(ctx, bad), 1.0);
        if let Some((r, shock, _, _)) = beliefs {
            // The hegemon's security conduct seen this round, each event worth `size` signals.
            for e in events.iter().filter(|e| e.targets.contains(&i)) {
                match e.kind {
                    SecurityEventKind::Questioned => {
                        update(&mut st.belief[i], signal(ctx, true), ctx.v(e.size));
                    }
                    SecurityEventKind::Reaffirmed => {
                        update(&mut st.belief[i], signal(ctx, false), ctx.v(e.size));
                    }
                    SecurityEventKind::Threat => {}
                }
            }
            // Memory fades toward the start; the rival's coercion and threat events raise the
            // threat.
            st.belief[i] += r * (m.prior_extortionist - st.belief[i]);
            let mut theta = st.threat[i] + r * (a.threat - st.threat[i]);
            if st.sanction_left[i] > 0 {
                theta += shock * (1.0 - theta);
            }
            for e in events.iter().filter(|e| e.targets.contains(&i)) {
                if e.kind == SecurityEventKind::Threat {
                    theta += ctx.v(e.size) * (1.0 - theta);
                }
            }
            st.threat[i] = theta.clamp(0.0, 1.0);
        }
        if st.ruptured[i] && ctx.world.rupture.is_some() {
            // An ally that has left the guarantee has none to believe in.
            st.cred[i] = 0.0;
        } else {
            let target = a.credibility * (1.0 - st.demand.linkage * st.belief[i]);
            let mut k = st.cred[i] + m.credibility_adjustment * (target - st.cred[i]);
            if st.action[i] == Some(Action::Retaliate) {
                k -= m.credibility_penalty_retaliation;
            }
            st.cred[i] = k.clamp(0.0, 1.0);
        }
        if let Some((_, _, beta, arming)) = beliefs {
            balance(ctx, st, i, beta, arming);
        }
        let mut auto =
            st.autonomy[i] + m.autonomy_from_defense * (st.defense[i] - st.defense_prev[i]);
        if st.action[i].is_some_and(Action::hedges) {
            auto += m.autonomy_from_hedging * a.hedging_capacity;
        }
        st.autonomy[i] = auto.clamp(0.0, 1.0);
        tilt(ctx, st, i);
        rupture(ctx, st, tallies, i);
    }
}

/// The security events of round `t` (the world keeps them sorted by round).
fn events_now<'w>(ctx: &Ctx<'w>, t: u32) -> &'w [SecurityEvent] {
    let events = &ctx.world.security_events;
    let lo = events.partition_point(|e| e.round < t);
    let hi = events.partition_point(|e| e.round <= t);
    &events[lo..hi]
}

/// The likelihoods (of an extortionist, of a reliable ally) of the signal "extortion" (`bad`)
/// or its absence.
fn signal(ctx: &Ctx, bad: bool) -> (f64, f64) {
    let m = &ctx.m;
    if bad {
        (m.signal_if_extortionist, m.signal_if_reliable)
    } else {
        (1.0 - m.signal_if_extortionist, 1.0 - m.signal_if_reliable)
    }
}

/// Bayes' rule on the belief π with likelihoods `(pe, pr)` raised to the power `w` (a signal
/// worth `w` signals; w = 1 is one), clamped to [1e-9, 1 − 1e-9].
fn update(belief: &mut f64, (pe, pr): (f64, f64), w: f64) {
    let (pe, pr) = if w == 1.0 {
        (pe, pr)
    } else {
        (pe.powf(w), pr.powf(w))
    };
    let prior = *belief;
    let evidence = prior * pe + (1.0 - prior) * pr;
    if evidence > 0.0 {
        *belief = (prior * pe / evidence).clamp(1e-9, 1.0 - 1e-9);
    }
}

/// Internal balancing (Morrow 1993, arms for allies): the defence an actor aims at rises with
/// its dependence, the threat it faces and the faith it has lost, and (arming beside the
/// alliance) with the threat's rise above its start; it moves φ_d a year of the way there,
/// never down, and never above all of GDP.
fn balance(ctx: &Ctx, st: &mut State, i: usize, beta: f64, arming: Option<f64>) {
    let a = &ctx.actors[i];
    if a.credibility <= 0.0 && arming.is_none() {
        return;
    }
    let mut aim = a.defense;
    if a.credibility > 0.0 {
        let lost = (1.0 - st.cred[i] / a.credibility).max(0.0);
        aim += beta * a.security_dependence * st.threat[i] * lost;
    }
    if let Some(arming) = arming {
        aim += arming * (st.threat[i] - a.threat).max(0.0);
    }
    let aim = aim.min(1.0);
    if aim > st.defense[i] {
        st.defense[i] += ctx.m.defense_adjustment / ctx.rpy * (aim - st.defense[i]);
    }
}

/// The tilt toward the rival (MODEL.md 3.4, phase 5): hedging by an actor that has lost faith
/// in the guarantee, pulled by its affinity to the rival and the share of its exports that go
/// there, at most 1 − z_i.
fn tilt(ctx: &Ctx, st: &mut State, i: usize) {
    if let Some(step) = ctx.world.rival_tilt
        && let Some(c) = ctx.rival.filter(|&c| c != i)
        && let Some(act) = st.action[i]
        && act.hedges()
    {
        let pull = ctx.world.affinity[(i, c)] * ctx.world.rival_share0[i];
        let full = ctx.v(step) * (1.0 - st.cred[i]) * pull;
        let dz = if act == Action::Hedge {
            full
        } else {
            crate::rules::settlement::concede_hedge_share(ctx) * full
        };
        st.tilt[i] = (st.tilt[i] + dz).min(1.0 - st.align[i]);
    }
}

/// A treaty ally whose credibility falls below `rupture_threshold` ruptures, once: recorded,
/// and where the world says what a rupture does, it leaves the guarantee (κ_i = 0 from now on)
/// and drops a share of its alignment with the hegemon.
fn rupture(ctx: &Ctx, st: &mut State, tallies: &mut Tallies, i: usize) {
    if !ctx.world.treaty_ally[i] || st.ruptured[i] || st.cred[i] >= ctx.m.rupture_threshold {
        return;
    }
    st.ruptured[i] = true;
    tallies.ruptures += 1;
    if tallies.first_rupture.is_none() {
        tallies.first_rupture = Some(st.t);
    }
    if let Some(r) = ctx.world.rupture {
        st.cred[i] = 0.0;
        st.align[i] *= 1.0 - ctx.v(r.alignment_loss);
    }
}

#[cfg(test)]
mod tests {
    use crate::strategy::Action;
    use crate::testing::{ALLY, Fixture, OTH, close};

    /// ALLY after a concession with no tariff and `paid` bn USD paid this round, linkage 0.5,
    /// defence up from 0.02 to 0.021.
    fn after(paid: f64, action: Action) -> crate::step::RunState {
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        run.st.paid_now[ALLY] = paid;
        run.st.demand.linkage = 0.5;
        run.st.action[ALLY] = Some(action);
        run.st.defense[ALLY] = 0.021;
        super::run(
            &ctx,
            &mut run.st,
            &mut run.tallies,
            &mut crate::testing::rng(),
        );
        run
    }

    #[test]
    fn beliefs_follow_bayes_and_credibility_moves_toward_its_target() {
        // Extraction 5.375·4/4000 = 0.005375 > 0.005: "extortion" seen, likelihoods 0.8 and
        // 0.3, so π = 0.2·0.8/(0.2·0.8 + 0.8·0.3) = 0.4; κ moves α_κ = 0.1 of the way to
        // κ(0)·(1 − ℓ·π) = 0.8·0.8 = 0.64: 0.784. Autonomy: α_d·Δd = 10·0.001.
        let run = after(5.375, Action::Concede);
        close(run.st.belief[ALLY], 0.4);
        close(run.st.cred[ALLY], 0.784);
        close(run.st.autonomy[ALLY], 0.31);
        // Below the cap the other signal: π = 0.2·0.2/(0.2·0.2 + 0.8·0.7) = 1/15.
        let calm = after(0.0, Action::Concede);
        close(calm.st.belief[ALLY], 1.0 / 15.0);
        close(
            calm.st.cred[ALLY],
            0.8 + 0.1 * (0.8 * (1.0 - 0.5 / 15.0) - 0.8),
        );
    }

    #[test]
    fn retaliation_costs_credibility_and_hedging_builds_autonomy() {
        let r = after(5.375, Action::Retaliate);
        close(r.st.cred[ALLY], 0.784 - 0.05);
        // Hedging: α_a·h = 0.01·0.6 on top of the defence part.
        let g = after(5.375, Action::Hedge);
        close(g.st.autonomy[ALLY], 0.31 + 0.006);
        assert_eq!(g.tallies.first_rupture, None);
    }

    #[test]
    fn a_treaty_ally_below_the_threshold_is_a_rupture() {
        // No linkage, nothing extracted: κ moves 0.1 of the way from 0.2 to κ(0) = 0.8, to
        // 0.26 < 0.4 in round 3: the first rupture. OTH, no treaty ally, is below too but
        // counts for nothing; a later rupture does not move the first.
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        run.st.t = 3;
        run.st.cred[ALLY] = 0.2;
        run.st.cred[OTH] = 0.1;
        run.st.action[ALLY] = Some(Action::Concede);
        super::run(
            &ctx,
            &mut run.st,
            &mut run.tallies,
            &mut crate::testing::rng(),
        );
        close(run.st.cred[ALLY], 0.26);
        assert_eq!(run.tallies.first_rupture, Some(3));
        run.st.t = 4;
        super::run(
            &ctx,
            &mut run.st,
            &mut run.tallies,
            &mut crate::testing::rng(),
        );
        assert_eq!(run.tallies.first_rupture, Some(3));
        // Only OTH below the threshold: no rupture.
        let mut other = fx.start(&ctx);
        other.st.cred[OTH] = 0.1;
        super::run(
            &ctx,
            &mut other.st,
            &mut other.tallies,
            &mut crate::testing::rng(),
        );
        assert_eq!(other.tallies.first_rupture, None);
    }

    #[test]
    fn hedging_without_faith_in_the_guarantee_tilts_toward_the_rival() {
        // Δz^C = 0.1: a G round moves z^C by 0.1·(1 − κ)·pull with κ after this round's
        // update and pull = affinity 0.7 × the share of ALLY's exports going to RIV, 125/700;
        // a CG round half of it, never past 1 − z; a concession does not tilt; a world without
        // rival_tilt never does.
        let fx = Fixture::paid_world_with("rival_tilt: Some(0.1)");
        let ctx = fx.ctx();
        let tilt = |action: Action, align: f64| {
            let mut run = fx.start(&ctx);
            run.st.action[ALLY] = Some(action);
            run.st.align[ALLY] = align;
            super::run(
                &ctx,
                &mut run.st,
                &mut run.tallies,
                &mut crate::testing::rng(),
            );
            (run.st.tilt[ALLY], run.st.cred[ALLY])
        };
        let pull = 0.7 * 125.0 / 700.0;
        let (g, kappa) = tilt(Action::Hedge, 0.0);
        close(g, 0.1 * (1.0 - kappa) * pull);
        close(
            tilt(Action::ConcedeHedge, 0.0).0,
            0.05 * (1.0 - kappa) * pull,
        );
        assert_eq!(tilt(Action::Concede, 0.0).0, 0.0);
        close(tilt(Action::Hedge, 1.0 - 0.001).0, 0.001);
        let plain = Fixture::paid();
        let pctx = plain.ctx();
        let mut run = plain.start(&pctx);
        run.st.action[ALLY] = Some(Action::Hedge);
        super::run(
            &pctx,
            &mut run.st,
            &mut run.tallies,
            &mut crate::testing::rng(),
        );
        assert_eq!(run.st.tilt[ALLY], 0.0);
        let _ = OTH;
    }

    /// ALLY's round with beliefs (`recovery`, `threat_shock`, `balancing`), credibility `cred`
    /// before it, `paid` this round, under a sanction or not, on the beliefs stream of `run`.
    fn with_beliefs(
        fields: &str,
        cred: f64,
        paid: f64,
        sanctioned: bool,
        run_no: u64,
    ) -> crate::step::RunState {
        let fx = Fixture::paid_world_with(&format!("beliefs: Some(({fields}))"));
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        run.st.paid_now[ALLY] = paid;
        run.st.demand.linkage = 0.5;
        run.st.action[ALLY] = Some(Action::Concede);
        run.st.cred[ALLY] = cred;
        if sanctioned {
            run.st.sanction_left[ALLY] = 2;
        }
        let mut rng = crate::rng::SimRng::new(1, crate::rng::Stream::Beliefs, run_no);
        super::run(&ctx, &mut run.st, &mut run.tallies, &mut rng);
        run
    }

    #[test]
    fn drawn_signals_follow_the_conduct_s_likelihoods() {
        // Extortive conduct (5.375 a round, as above): "extortion" seen with p_E = 0.8, so π
        // is 0.4 in about 80% of runs and 1/15 (the good signal) in the rest; after restraint
        // "extortion" is seen with p_R = 0.3.
        let fields = "recovery: 0, threat_shock: 0, balancing: 0";
        for (paid, p) in [(5.375, 0.8), (0.0, 0.3)] {
            let runs = 4000;
            let bad = (0..runs)
                .filter(|&r| {
                    let b = with_beliefs(fields, 0.8, paid, false, r).st.belief[ALLY];
                    assert!(
                        (b - 0.4).abs() < 1e-12 || (b - 1.0 / 15.0).abs() < 1e-12,
                        "{b}"
                    );
                    (b - 0.4).abs() < 1e-12
                })
                .count() as f64
                / runs as f64;
            let sd = (p * (1.0 - p) / runs as f64).sqrt();
            assert!((bad - p).abs() < 4.0 * sd, "bad signals {bad} against {p}");
        }
    }

    #[test]
    fn beliefs_and_threat_recover_and_coercion_raises_the_threat() {
        // r = 1 a year closes the whole gap each round: π back at its prior 0.2, θ at 0.7.
        let run = with_beliefs(
            "recovery: 1, threat_shock: 0, balancing: 0",
            0.8,
            5.375,
            false,
            0,
        );
        close(run.st.belief[ALLY], 0.2);
        // r = 0.5 a year: 1 − 0.5^(1/4) of the gap a quarter; a sanction then adds 0.5·(1 − θ).
        let r = 1.0 - 0.5f64.powf(0.25);
        let run = with_beliefs(
            "recovery: 0.5, threat_shock: 0.5, balancing: 0",
            0.8,
            0.0,
            true,
            0,
        );
        close(run.st.threat[ALLY], 0.7 + 0.5 * 0.3);
        let b = run.st.belief[ALLY];
        let bayes = [0.4, 1.0 / 15.0];
        assert!(
            bayes
                .iter()
                .any(|&x| (b - (x + r * (0.2 - x))).abs() < 1e-12),
            "{b}"
        );
    }

    #[test]
    fn lost_faith_under_threat_raises_defence_at_phi_d_a_year() {
        // κ 0.4 before the round, nothing extracted: after it κ = 0.4 + 0.1·(0.8·(1 − 0.5·π) −
        // 0.4); ALLY aims at 0.02 + β·s·θ·(1 − κ/0.8) and moves φ_d/4 = 0.025 of the way.
        let run = with_beliefs(
            "recovery: 0, threat_shock: 0, balancing: 0.05",
            0.4,
            0.0,
            false,
            0,
        );
        let k = run.st.cred[ALLY];
        let aim = 0.02 + 0.05 * 0.7 * 0.7 * (1.0 - k / 0.8);
        close(run.st.defense[ALLY], 0.02 + 0.025 * (aim - 0.02));
        // Autonomy gains α_d per unit of the rise.
        close(run.st.autonomy[ALLY], 0.3 + 10.0 * 0.025 * (aim - 0.02));
        // Near full faith (κ 0.8 before, a sliver lost to π): next to no balancing.
        let calm = with_beliefs(
            "recovery: 0, threat_shock: 0, balancing: 0.05",
            0.8,
            0.0,
            false,
            0,
        );
        assert!(calm.st.defense[ALLY] - 0.02 < 1e-3 * 0.05);
    }

    /// The round `t` of a world with beliefs (no recovery, no shock) and `extra` fields, ALLY
    /// and OTH at rest (nothing paid), credibility at its start.
    fn events_round(extra: &str, t: u32) -> crate::step::RunState {
        let fx = Fixture::paid_world_with(&format!(
            "beliefs: Some((recovery: 0, threat_shock: 0, balancing: 0, arming: Some(0.05))), {extra}"
        ));
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        run.st.t = t;
        run.st.action[ALLY] = Some(Action::Concede);
        let mut rng = crate::rng::SimRng::new(1, crate::rng::Stream::Beliefs, 0);
        super::run(&ctx, &mut run.st, &mut run.tallies, &mut rng);
        run
    }

    /// π after one drawn signal from the prior 0.2 (likelihoods 0.8 and 0.3): one of two.
    const AFTER_SIGNAL: [f64; 2] = [0.4, 1.0 / 15.0];

    #[test]
    fn security_events_are_tempered_bayes_seen_by_their_targets_in_their_round() {
        // "Questioned" worth 2 signals to ALLY in round 2: the odds move by (0.8/0.3)², after
        // the round's drawn signal; OTH, not a target, sees only its own signal; a threat event
        // for everyone raises θ by half its gap to 1 (ALLY 0.7 -> 0.85).
        let events = r#"security_events: [
            (round: 2, kind: Questioned, targets: ["ALLY"], size: 2),
            (round: 2, kind: Threat, size: 0.5)]"#;
        let run = events_round(events, 2);
        let questioned = |p: f64| p * 0.64 / (p * 0.64 + (1.0 - p) * 0.09);
        let b = run.st.belief[ALLY];
        assert!(
            AFTER_SIGNAL
                .iter()
                .any(|&x| (b - questioned(x)).abs() < 1e-12),
            "{b}"
        );
        let o = run.st.belief[OTH];
        assert!(AFTER_SIGNAL.iter().any(|&x| (o - x).abs() < 1e-12), "{o}");
        close(run.st.threat[ALLY], 0.85);
        // Arming beside the alliance: ALLY aims 0.05 × the threat's rise above its start higher
        // and moves φ_d/4 = 0.025 of the way (its faith is nearly whole, β = 0).
        close(run.st.defense[ALLY], 0.02 + 0.025 * 0.05 * 0.15);
        // In another round nothing is seen: one signal, the threat as it was.
        let quiet = events_round(events, 3);
        let b = quiet.st.belief[ALLY];
        assert!(AFTER_SIGNAL.iter().any(|&x| (b - x).abs() < 1e-12), "{b}");
        close(quiet.st.threat[ALLY], 0.7);
        close(quiet.st.defense[ALLY], 0.02);
        // "Reaffirmed" worth one signal is the good signal: from 0.4 or 1/15 it moves the odds
        // by 0.2/0.7.
        let run = events_round(
            "security_events: [(round: 0, kind: Reaffirmed, size: 1)]",
            0,
        );
        let reaffirmed = |p: f64| p * 0.2 / (p * 0.2 + (1.0 - p) * 0.7);
        let b = run.st.belief[ALLY];
        assert!(
            AFTER_SIGNAL
                .iter()
                .any(|&x| (b - reaffirmed(x)).abs() < 1e-12),
            "{b}"
        );
    }

    #[test]
    fn a_rupture_with_consequences_leaves_the_guarantee() {
        // κ 0.2 in round 3 moves to 0.26 < 0.4: the ally ruptures, leaves the guarantee (κ = 0
        // from now on, whatever its target) and drops half its alignment; counted once.
        let fx = Fixture::paid_world_with("rupture: Some((alignment_loss: 0.5))");
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        run.st.t = 3;
        run.st.cred[ALLY] = 0.2;
        run.st.align[ALLY] = 0.6;
        run.st.action[ALLY] = Some(Action::Concede);
        let mut rng = crate::testing::rng();
        super::run(&ctx, &mut run.st, &mut run.tallies, &mut rng);
        assert_eq!(run.st.cred[ALLY], 0.0);
        close(run.st.align[ALLY], 0.3);
        assert!(run.st.ruptured[ALLY]);
        assert_eq!(
            (run.tallies.first_rupture, run.tallies.ruptures),
            (Some(3), 1)
        );
        run.st.t = 4;
        super::run(&ctx, &mut run.st, &mut run.tallies, &mut rng);
        assert_eq!(run.st.cred[ALLY], 0.0);
        close(run.st.align[ALLY], 0.3);
        assert_eq!(run.tallies.ruptures, 1);
        // Without the world's `rupture` it is only recorded: κ recovers toward its target.
        let plain = Fixture::paid();
        let pctx = plain.ctx();
        let mut run = plain.start(&pctx);
        run.st.cred[ALLY] = 0.2;
        run.st.action[ALLY] = Some(Action::Concede);
        for t in 3..5 {
            run.st.t = t;
            super::run(&pctx, &mut run.st, &mut run.tallies, &mut rng);
        }
        assert!(run.st.cred[ALLY] > 0.26);
        assert_eq!(run.tallies.ruptures, 1);
    }
}
