//! Phase 4, trade (MODEL.md 3.4): exports respond to tariffs, hedging diverts them, and a share
//! of the lost volume is re-routed to other partners.
//!
//! X_iH = X_iH(0)·(1 − η_i)·(1 + e_i·τ_i)^(−ε(t)) (constant-elasticity import demand with the
//! time-varying elasticity of Boehm, Levchenko & Pandalai-Nayar 2023). The hedged volume
//! X_iH(0)·η_i is re-routed whole; of the volume lost to the tariff a share ψ is re-routed
//! (SMART/Armington trade diversion), to partners j in proportion to
//! X_ij(0)·(1 + π_RTA·[i, j share a regional bloc in force]) (Baier & Bergstrand 2007).
//! The hegemon's exports fall with counter-tariffs alike, X_Hi = X_Hi(0)·(1 + ρ_i)^(−ε(t)), and
//! it re-routes to partners that do not retaliate. A rival sanction cuts X_iC by δ_C. A third
//! country with a safeguard blocks part of the re-routed inflow once it surges (trade remedies
//! against deflection: the EU's steel safeguard of July 2018 answered the Section 232 tariffs).

use crate::ctx::Ctx;
use crate::rules::factor_ln;
use crate::scenario::Stage;
use crate::state::{ALWAYS, Cache, Ln, State};

/// The share of π_RTA a membership in force since round `since` gives in round `t`: phased in
/// over `rta_phase_in_years` in annual steps at each year boundary of the run (FTA tariff
/// schedules cut in yearly tranches): 1/years in the year it comes into force, 2/years in the
/// next, ..., 1 from then on. Memberships from before the run ([`ALWAYS`]) are
/// fully phased in.
pub fn phase(ctx: &Ctx, t: u32, since: i64) -> f64 {
    let years = ctx.m.rta_phase_in_years;
    if years <= 0.0 || since == ALWAYS {
        return 1.0;
    }
    let t = i64::from(t);
    if t < since {
        return 0.0;
    }
    let rpy = ctx.rpy as i64;
    let year = (t / rpy - since / rpy + 1) as f64;
    (year / years).min(1.0)
}

/// Computes the premiums: π_RTA between i and j this round, the largest over the regional blocs
/// and FTAs they share, each at the phase of the later of the two memberships. The phase falls
/// as the membership's round rises, so the later membership's phase is the smaller of the two
/// members' phases: each membership's phase is computed once (`Cache::phases`), not once per
/// pair.
pub fn update_premiums(ctx: &Ctx, st: &State, cache: &mut Cache) {
    let n = ctx.n;
    let mask = &cache.premium_mask;
    let phases = &mut cache.phases;
    for i in 0..n {
        let mut bits = mask[i];
        while bits != 0 {
            let b = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            phases[(i, b)] = phase(ctx, st.t, st.since[(i, b)]);
        }
    }
    // Symmetric in i and j: each pair computed once, the diagonal zero.
    for i in 0..n {
        cache.premium[(i, i)] = ctx.m.rta_premium * 0.0;
        for j in i + 1..n {
            let mut shared = mask[i] & mask[j];
            let mut best: f64 = 0.0;
            // The shared blocs in increasing order, as a scan of every bloc meets them.
            while shared != 0 {
                let b = shared.trailing_zeros() as usize;
                shared &= shared - 1;
                let later = phases[(i, b)].min(phases[(j, b)]);
                debug_assert_eq!(
                    later.to_bits(),
                    phase(ctx, st.t, st.since[(i, b)].max(st.since[(j, b)])).to_bits()
                );
                best = best.max(later);
            }
            let premium = ctx.m.rta_premium * best;
            cache.premium[(i, j)] = premium;
            cache.premium[(j, i)] = premium;
        }
    }
}

/// Rebuilds the regional and premium masks from the memberships in force in round `st.t`.
fn update_masks(ctx: &Ctx, st: &State, cache: &mut Cache) {
    let t = i64::from(st.t);
    for i in 0..ctx.n {
        let (mut regional, mut premium) = (0u64, 0u64);
        for b in 0..ctx.nb {
            let bloc = &ctx.world.blocs[b];
            if (bloc.regional || bloc.fta)
                && st.stage[(i, b)] == Some(Stage::InForce)
                && st.since[(i, b)] <= t
            {
                premium |= 1u64 << b;
                if bloc.regional {
                    regional |= 1u64 << b;
                }
            }
        }
        cache.regional_mask[i] = regional;
        cache.premium_mask[i] = premium;
    }
}

/// Recomputes the re-routing shares of every exporter other than the hegemon: partners other
/// than the hegemon and itself, the rest of the world included, weighted by
/// X_ij(0)·(1 + premium).
fn update_shares(ctx: &Ctx, cache: &mut Cache) {
    let (n, h) = (ctx.n, ctx.h);
    for i in 0..n {
        if i == h {
            continue;
        }
        // Row slices (no bounds check per entry); the weights and their sum as before.
        let (x0, premium) = (ctx.world.trade0.row(i), cache.premium.row(i));
        let shares = cache.shares.row_mut(i);
        let mut total = 0.0;
        for (j, (s, &x)) in shares.iter_mut().zip(x0).enumerate() {
            let w = if j == i || j == h {
                0.0
            } else {
                let pref = if j < n { premium[j] } else { 0.0 };
                x * (1.0 + pref)
            };
            *s = w;
            total += w;
        }
        if total > 0.0 {
            for s in shares {
                *s /= total;
            }
        }
    }
}

/// The trade factors this phase and the accounting read (that of the tariff in force, and the
/// counter-tariff's where one stands), for the actors whose response did not price its actions
/// (fixed policies, nothing demanded): computed here, where they are first needed, at this
/// round's elasticity `eps`. The candidates nobody reads are not computed.
pub fn fill_factors(ctx: &Ctx, st: &State, cache: &mut Cache, eps: f64) {
    for i in 0..ctx.n {
        if i == ctx.h || cache.factors_filled[i] {
            continue;
        }
        let ln = cache.ln[i];
        let k = st.tariff_src[i] as usize;
        cache.factors[i][k] = factor_ln(ln[k], eps);
        if st.counter[i] > 0.0 {
            let c = Ln::Counter as usize;
            cache.factors[i][c] = factor_ln(ln[c], eps);
        }
    }
    if ctx.uses.keep_counter {
        // A counter-tariff kept in a deal is not the one the demand prices for R.
        for i in 0..ctx.n {
            if st.counter[i] > 0.0 && st.counter[i] != st.demand.counter[i] {
                cache.factors[i][Ln::Counter as usize] = factor_ln(st.counter[i].ln_1p(), eps);
            }
        }
    }
}

/// Runs phase 4 at this round's elasticity `eps`.
pub fn run(ctx: &Ctx, st: &mut State, cache: &mut Cache, eps: f64) {
    fill_factors(ctx, st, cache, eps);
    // Premiums change when a membership comes into force and at year boundaries while one is
    // phasing in.
    let year_boundary =
        st.t.is_multiple_of(ctx.world.rounds_per_year) && i64::from(st.t) <= cache.phase_end;
    if cache.premium_dirty || year_boundary {
        update_masks(ctx, st, cache);
        update_premiums(ctx, st, cache);
        update_shares(ctx, cache);
        cache.premium_dirty = false;
    }
    for i in 0..ctx.n {
        if i != ctx.h {
            exporter(ctx, st, cache, i);
        } else {
            hegemon(ctx, st, cache);
        }
        sanction(ctx, st, i);
    }
    if ctx.uses.safeguards {
        safeguards(ctx, st, cache);
    }
}

/// Safeguards against deflected imports (MODEL.md 3.4, trade). The re-routed inflow into
/// actor j from exporter i is what i sells j above the start, max(0, X_ij − X_ij(0)), for
/// every exporter other than j and the hegemon (whose re-routed exports are not deflection);
/// when the sum D_j exceeds j's trigger θ_j·M_j(0), its safeguard is in force this round and
/// blocks κ_j·(D_j − θ_j·M_j(0)), taken from each exporter in proportion to its inflow. The
/// blocked volume is lost to the exporter, not re-routed again (**choice**: one pass).
/// Records per exporter the volume blocked (bn USD a year), its share of everything the
/// exporter re-routed this round, and the total so far.
fn safeguards(ctx: &Ctx, st: &mut State, cache: &mut Cache) {
    let (n, h) = (ctx.n, ctx.h);
    let Cache {
        inflow,
        inflow_total: totals,
        cuts,
        ..
    } = cache;
    // One pass over the rows, from the exports before any is blocked: the inflows; what each
    // exporter re-routed this round (the rest of the world included), kept in
    // `blocked_share` until the shares are known; and each importer's total inflow, added
    // in exporter order as a sum down the column would add them (from −0, as `sum` starts).
    totals.fill(-0.0);
    for i in 0..n {
        let to = inflow.row_mut(i);
        if i == h {
            to.fill(0.0);
        } else {
            let row = st.exports.row(i).iter().zip(ctx.world.trade0.row(i));
            for (to, (x, x0)) in to.iter_mut().zip(row) {
                *to = (x - x0).max(0.0);
            }
            // Not deflection: to itself (nothing) and to the hegemon.
            to[i] = 0.0;
            to[h] = 0.0;
        }
        st.blocked[i] = 0.0;
        st.blocked_share[i] = to.iter().sum();
        for (total, &x) in totals.iter_mut().zip(&to[..n]) {
            *total += x;
        }
    }
    cuts.clear();
    for j in 0..n {
        st.safeguard_on[j] = false;
        let Some(g) = ctx.safeguard[j] else { continue };
        let total = totals[j];
        if total <= g.trigger {
            continue;
        }
        st.safeguard_on[j] = true;
        st.safeguard_rounds[j] += 1;
        cuts.push((j, g.cut * (total - g.trigger) / total));
    }
    // Blocked from each exporter in proportion to its inflow: row by row, each exporter's
    // blocked volume added in importer order (as a pass down each column in turn adds it).
    if !cuts.is_empty() {
        for i in 0..n {
            let (to, x) = (inflow.row(i), st.exports.row_mut(i));
            let mut blocked = st.blocked[i];
            for &(j, scale) in cuts.iter() {
                let b = scale * to[j];
                x[j] -= b;
                blocked += b;
            }
            st.blocked[i] = blocked;
        }
    }
    for i in 0..n {
        let rerouted = st.blocked_share[i];
        st.blocked_share[i] = if rerouted > 0.0 {
            st.blocked[i] / rerouted
        } else {
            0.0
        };
        st.blocked_lost[i] += st.blocked[i] / ctx.rpy;
    }
}

/// Exports of actor `i`: to the hegemon at its tariff, net of the hedge stock; the hedged
/// volume and a share ψ of the volume lost to the tariff re-routed to its other partners.
fn exporter(ctx: &Ctx, st: &mut State, cache: &Cache, i: usize) {
    let h = ctx.h;
    st.hedge[i] = (st.hedge[i] + st.hedge_added[i]).min(ctx.m.max_hedge);
    let base = ctx.x0(i, h);
    let f = cache.factors[i][st.tariff_src[i] as usize];
    let kept = base * (1.0 - st.hedge[i]);
    let lost = base * st.hedge[i] + ctx.m.reroute_share * kept * (1.0 - f);
    // Shares are zero for i itself and the hegemon, whose entries this leaves at X(0) (zero
    // for i) and then overwrites (the hegemon).
    let x0 = ctx.world.trade0.row(i);
    let shares = cache.shares.row(i);
    for ((x, &base_j), &share) in st.exports.row_mut(i).iter_mut().zip(x0).zip(shares) {
        *x = base_j + lost * share;
    }
    st.exports[(i, h)] = kept * f;
}

/// The hegemon's exports: to each retaliator they fall; a share ψ of the loss goes to the
/// partners that do not retaliate, the rest of the world included.
fn hegemon(ctx: &Ctx, st: &mut State, cache: &mut Cache) {
    let (n, h) = (ctx.n, ctx.h);
    let psi = ctx.m.reroute_share;
    let mut lost = 0.0;
    let mut total_w = 0.0;
    for j in 0..=n {
        let base = ctx.x0(h, j);
        if j == h {
            cache.weights[j] = 0.0;
        } else if j < n && st.counter[j] > 0.0 {
            let f = cache.factors[j][Ln::Counter as usize];
            st.exports[(h, j)] = base * f;
            lost += psi * base * (1.0 - f);
            cache.weights[j] = 0.0;
        } else {
            let pref = if j < n { cache.premium[(h, j)] } else { 0.0 };
            cache.weights[j] = base * (1.0 + pref);
            total_w += cache.weights[j];
        }
    }
    let scale = if total_w > 0.0 { lost / total_w } else { 0.0 };
    for j in 0..=n {
        if j != h && (j == n || st.counter[j] <= 0.0) {
            st.exports[(h, j)] = ctx.x0(h, j) + cache.weights[j] * scale;
        }
    }
    if ctx.uses.purchases {
        // Goods bought under a purchase commitment this round (MODEL.md 3.4, trade).
        for j in 0..n {
            st.exports[(h, j)] += st.purchasing[j];
        }
    }
}

/// A rival sanction cuts actor `i`'s exports to the rival by δ_C this round.
fn sanction(ctx: &Ctx, st: &mut State, i: usize) {
    st.sanction_loss[i] = 0.0;
    if let Some(c) = ctx.rival
        && i != c
        && st.sanction_left[i] > 0
    {
        st.sanction_loss[i] = ctx.m.rival_sanction_cut * st.exports[(i, c)];
        st.exports[(i, c)] -= st.sanction_loss[i];
        st.sanction_lost[i] += st.sanction_loss[i] / ctx.rpy;
    }
}

#[cfg(test)]
mod tests {
    use crate::state::ALWAYS;
    use crate::testing::{ALLY, Fixture, HEG, OTH, RIV, close};

    #[test]
    fn exports_respond_to_tariffs_and_losses_are_rerouted() {
        // MODEL.md 3.4, phase 4, at ε = 2: ALLY concedes (15%), OTH hedges (offer 25%), RIV
        // retaliates. None priced its actions, so the factors are computed here.
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let mut run = fx.settled(&ctx);
        super::run(&ctx, &mut run.st, &mut run.cache, 2.0);
        let x = &run.st.exports;
        // ALLY: X_iH = 150·(1 + 0.8·0.15)^−2; ψ = ½ of the loss re-routed to RIV (sharing the
        // regional bloc PACT: premium 0.5), OTH and ROW in proportion to X_ij(0)·(1 + premium).
        let f = 1.12f64.powi(-2);
        close(x[(ALLY, HEG)], 150.0 * f);
        let lost = 0.5 * 150.0 * (1.0 - f);
        let total = 125.0 * 1.5 + 25.0 + 400.0;
        close(x[(ALLY, RIV)], 125.0 + lost * 187.5 / total);
        close(x[(ALLY, OTH)], 25.0 + lost * 25.0 / total);
        close(x[(ALLY, 4)], 400.0 + lost * 400.0 / total);
        // OTH: η = 0.05 diverted whole, then the 25% tariff: kept 38·1.25^−2 = 24.32; lost
        // 2 + ½·38·0.36 = 8.84 to ALLY (10) and ROW (50).
        close(run.st.hedge[OTH], 0.05);
        close(x[(OTH, HEG)], 24.32);
        close(x[(OTH, ALLY)], 10.0 + 8.84 * 10.0 / 60.0);
        // The hegemon: its exports to RIV fall with the counter-tariff; ψ of the loss goes to
        // the partners that do not retaliate and ROW (ALLY 80, OTH 20, ROW 1800).
        // ρ = match·τ^esc = ½·300/440 + ½ (the hegemon's escalation on RIV's offer).
        let rho = 0.5 * 300.0 / 440.0 + 0.5;
        close(run.st.counter[RIV], rho);
        let fc = (1.0 + rho).powi(-2);
        close(x[(HEG, RIV)], 140.0 * fc);
        let lost_h = 0.5 * 140.0 * (1.0 - fc);
        close(x[(HEG, ALLY)], 80.0 + lost_h * 80.0 / 1900.0);
        close(x[(HEG, 4)], 1800.0 + lost_h * 1800.0 / 1900.0);
    }

    #[test]
    fn a_safeguard_blocks_part_of_the_surge_of_deflected_imports() {
        // ALLY guards its market: θ = 1% of its imports at the start from RIV and OTH (160), so
        // a trigger of 1.6 bn; κ = ½ of the inflow above it is blocked, from each exporter in
        // proportion to what it re-routed to ALLY. The round is the one above (RIV retaliates,
        // OTH hedges): the inflows are those of the same round without the safeguard.
        let plain = Fixture::paid();
        let ctx = plain.ctx();
        let mut free = plain.settled(&ctx);
        super::run(&ctx, &mut free.st, &mut free.cache, 2.0);
        let inflow = |i: usize| free.st.exports[(i, ALLY)] - ctx.x0(i, ALLY);
        let (from_riv, from_oth) = (inflow(RIV), inflow(OTH));
        let total = from_riv + from_oth;
        assert!(total > 1.6, "{total}");
        let fx = Fixture::from_text(
            &crate::testing::scenario(crate::testing::PAID, "").replacen(
                r#"blocs: ["PACT"], policy: Quantal),"#,
                r#"blocs: ["PACT"], policy: Quantal,
                safeguard: Some((surge: 0.01, cut: 0.5))),"#,
                1,
            ),
        );
        let ctx = fx.ctx();
        let mut run = fx.settled(&ctx);
        super::run(&ctx, &mut run.st, &mut run.cache, 2.0);
        let blocked = 0.5 * (total - 1.6);
        close(
            run.st.exports[(RIV, ALLY)],
            150.0 + from_riv - blocked * from_riv / total,
        );
        close(
            run.st.exports[(OTH, ALLY)],
            10.0 + from_oth - blocked * from_oth / total,
        );
        close(run.st.blocked[RIV], blocked * from_riv / total);
        close(run.st.blocked_lost[RIV], blocked * from_riv / total / 4.0);
        assert!(run.st.safeguard_on[ALLY] && !run.st.safeguard_on[OTH]);
        assert_eq!(run.st.safeguard_rounds[ALLY], 1);
        // The share of OTH's re-routed exports (to ALLY and ROW) that was blocked.
        let rerouted_oth = from_oth + (free.st.exports[(OTH, 4)] - 50.0);
        close(
            run.st.blocked_share[OTH],
            blocked * from_oth / total / rerouted_oth,
        );
        // Nothing else moves: the hegemon's exports and the flows to other partners.
        close(run.st.exports[(HEG, ALLY)], free.st.exports[(HEG, ALLY)]);
        close(run.st.exports[(RIV, 4)], free.st.exports[(RIV, 4)]);
        // Below the trigger nothing is blocked: θ = 10 (ten times its imports).
        let high = Fixture::from_text(
            &crate::testing::scenario(crate::testing::PAID, "").replacen(
                r#"blocs: ["PACT"], policy: Quantal),"#,
                r#"blocs: ["PACT"], policy: Quantal,
                safeguard: Some((surge: 10, cut: 1))),"#,
                1,
            ),
        );
        let ctx = high.ctx();
        let mut run = high.settled(&ctx);
        super::run(&ctx, &mut run.st, &mut run.cache, 2.0);
        assert!(!run.st.safeguard_on[ALLY]);
        close(run.st.exports[(RIV, ALLY)], free.st.exports[(RIV, ALLY)]);
        assert_eq!(run.st.blocked[RIV], 0.0);
    }

    #[test]
    fn a_sanction_cuts_exports_to_the_rival() {
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        run.st.sanction_left[ALLY] = 1;
        super::run(&ctx, &mut run.st, &mut run.cache, 2.0);
        // No tariff: nothing lost to the hegemon, so exports to RIV stay 125, less δ_C = 30%.
        close(run.st.exports[(ALLY, RIV)], 125.0 * 0.7);
        close(run.st.sanction_loss[ALLY], 37.5);
        close(run.st.sanction_lost[ALLY], 37.5 / 4.0);
        assert_eq!(run.st.sanction_loss[OTH], 0.0);
    }

    #[test]
    fn the_premium_phases_in_at_year_boundaries() {
        // rta_phase_in_years = 2, four rounds a year: 1/2 in the year of entry into force (from
        // its round to the next boundary), 1 from the next year on; 1 for a membership from
        // before the run; 0 before it is in force.
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        assert_eq!(super::phase(&ctx, 4, 5), 0.0);
        assert_eq!(super::phase(&ctx, 5, 5), 0.5);
        assert_eq!(super::phase(&ctx, 7, 5), 0.5);
        assert_eq!(super::phase(&ctx, 8, 5), 1.0);
        assert_eq!(super::phase(&ctx, 0, ALWAYS), 1.0);
    }

    #[test]
    fn purchases_add_to_the_hegemon_s_exports_to_the_buyer() {
        // ALLY concedes and buys 40 bn a year: HEG's exports to it are those of the plain
        // fixture plus 40, every other flow unchanged.
        let text = crate::testing::paid_with(r#"purchases: [("ALLY", (per_year: 40, cost: 0.1))]"#);
        let traded = |fx: &Fixture| {
            let ctx = fx.ctx();
            let mut run = fx.settled(&ctx);
            super::run(&ctx, &mut run.st, &mut run.cache, 2.0);
            run.st.exports.clone()
        };
        let with = traded(&Fixture::new(&text, ""));
        let plain = traded(&Fixture::paid());
        close(with[(HEG, ALLY)] - plain[(HEG, ALLY)], 40.0);
        assert_eq!(with[(HEG, OTH)], plain[(HEG, OTH)]);
        assert_eq!(with[(ALLY, HEG)], plain[(ALLY, HEG)]);
    }

    #[test]
    fn an_fta_gives_its_parties_the_premium_and_no_regional_share() {
        // ALLY and OTH share the FTA "BIL", in force before the run: premium 0.5 between them
        // (fully phased in), while the regional masks see only PACT.
        let text = crate::testing::scenario(crate::testing::PAID, "")
            .replacen(
                r#"blocs: ["PACT"], policy: Quantal),"#,
                r#"blocs: ["PACT", "BIL"], policy: Quantal),"#,
                1,
            )
            .replacen(
                r#"treaty_ally: false, pole: false, blocs: [], eligible: ["PACT"],"#,
                r#"treaty_ally: false, pole: false, blocs: ["BIL"], eligible: ["PACT"],"#,
                1,
            )
            .replacen(
                "        ],
        affinity: [],",
                r#"            (name: "BIL", regional: false, fta: true, veto_threshold: 0,
                hazards: (working_group: 1, signed: 1, in_force: 1)),
        ],
        affinity: [],"#,
                1,
            );
        let fx = Fixture::from_text(&text);
        let ctx = fx.ctx();
        let mut run = fx.settled(&ctx);
        super::run(&ctx, &mut run.st, &mut run.cache, 2.0);
        close(run.cache.premium[(ALLY, OTH)], 0.5);
        close(run.cache.premium[(ALLY, RIV)], 0.5);
        assert_eq!(run.cache.premium[(OTH, RIV)], 0.0);
        assert_eq!(run.cache.regional_mask[OTH], 0);
        assert_eq!(run.cache.regional_mask[ALLY], 1);
        assert_eq!(run.cache.premium_mask[ALLY], 0b11);
        let _ = (ALWAYS, HEG);
    }
}
