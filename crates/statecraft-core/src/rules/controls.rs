//! Export controls (MODEL.md 3.4, phase 6, and 3.3 R), applied after settlement: an actor with
//! an `export_controls` field puts them in force in a round in which it retaliates against the
//! hegemon, and any other action lifts them (a deal suspends them, as the London framework of
//! June 2025 resumed China's rare-earth licences). While in force they withhold a share s_x of
//! its exports to the hegemon and `spill` of that share of its exports to every other actor;
//! each importer loses λ_x per dollar withheld (downstream output disrupted: the licensing
//! stalls of April-June 2025 stopped car lines in the United States and Europe). The weight
//! they add in the roll-back contest and the sales the controller gives up are in
//! [`crate::ctx::Controls`]; the controller's cost is booked by accounting, the importers' here.
//! No random draw.

use crate::ctx::Ctx;
use crate::state::State;
use crate::strategy::Action;

/// Sets which controls are in force this round and what every actor loses to others'
/// controls (bn USD a year, and so far). Does nothing in a world without controls.
pub fn run(ctx: &Ctx, st: &mut State) {
    if !ctx.uses.controls {
        return;
    }
    st.controls_loss.fill(0.0);
    for c in 0..ctx.n {
        let on = ctx.controls[c].is_some() && st.action[c] == Some(Action::Retaliate);
        st.controls_on[c] = on;
        if !on {
            continue;
        }
        st.controls_rounds[c] += 1;
        for j in 0..ctx.n {
            st.controls_loss[j] += importer_loss(ctx, c, j);
        }
    }
    for j in 0..ctx.n {
        st.controls_lost[j] += st.controls_loss[j] / ctx.rpy;
    }
}

/// What importer `j` loses in a round in which actor `c`'s controls are in force, bn USD a
/// year, from the start's flows: λ_x·s_x·X_cH(0) for the hegemon, λ_x·s_x·spill·X_cj(0) for
/// every other actor, nothing for `c` itself or without controls.
pub fn importer_loss(ctx: &Ctx, c: usize, j: usize) -> f64 {
    match ctx.controls[c] {
        Some(x) if j != c => {
            let cut = x.multiplier * x.share * ctx.x0(c, j);
            if j == ctx.h { cut } else { cut * x.spill }
        }
        _ => 0.0,
    }
}

/// The weight actor `k`'s controls add to its weight in the roll-back contest when it
/// retaliates, λ_x·s_x·X_kH(0)/Y_H (0 without controls).
#[inline]
pub fn weight(ctx: &Ctx, k: usize) -> f64 {
    ctx.controls[k].map_or(0.0, |x| x.weight)
}

/// The sales actor `c` withholds in a round its controls are in force, bn USD a year (0
/// without controls).
#[inline]
pub fn withheld(ctx: &Ctx, c: usize) -> f64 {
    ctx.controls[c].map_or(0.0, |x| x.withheld)
}

#[cfg(test)]
mod tests {
    use crate::strategy::Action;
    use crate::testing::{ALLY, Fixture, HEG, OTH, PAID, RIV, close, scenario};

    /// The fixture with RIV's export controls: s_x = 0.01, λ_x = 10, spill 0.5.
    fn with_controls() -> Fixture {
        let text = scenario(PAID, "").replacen(
            r#"blocs: ["PACT"], policy: TitForTat),"#,
            r#"blocs: ["PACT"], policy: TitForTat,
                export_controls: Some((share: 0.01, multiplier: 10, spill: 0.5))),"#,
            1,
        );
        Fixture::from_text(&text)
    }

    #[test]
    fn controls_are_in_force_only_in_a_retaliation_round() {
        let fx = with_controls();
        let ctx = fx.ctx();
        let mut run = fx.demanded(&ctx);
        for (act, on) in [
            (Action::Retaliate, true),
            (Action::Concede, false),
            (Action::Hedge, false),
            (Action::ConcedeHedge, false),
            (Action::Retaliate, true),
        ] {
            run.st.action[RIV] = Some(act);
            run.st.action[ALLY] = Some(Action::Retaliate);
            super::run(&ctx, &mut run.st);
            assert_eq!(run.st.controls_on[RIV], on, "{act:?}");
            // ALLY retaliates too, but carries no controls.
            assert!(!run.st.controls_on[ALLY]);
            if !on {
                assert!(run.st.controls_loss.iter().all(|&l| l == 0.0));
            }
        }
        assert_eq!(run.st.controls_rounds[RIV], 2);
        assert_eq!(run.st.controls_rounds[ALLY], 0);
    }

    #[test]
    fn losses_follow_model_md_for_a_hand_computed_case() {
        // RIV sells 440 to HEG, 150 to ALLY, nothing to OTH, 2900 to ROW (outside the model).
        // s_x = 0.01, λ_x = 10, spill 0.5, four rounds a year.
        let fx = with_controls();
        let ctx = fx.ctx();
        let x = ctx.controls[RIV].expect("controls");
        // Withheld: 0.01·(440 + 0.5·150) = 5.15 a year; weight 10·0.01·440/30000.
        close(x.withheld, 5.15);
        close(x.weight, 44.0 / 30000.0);
        let mut run = fx.demanded(&ctx);
        run.st.action[RIV] = Some(Action::Retaliate);
        super::run(&ctx, &mut run.st);
        close(run.st.controls_loss[HEG], 10.0 * 0.01 * 440.0);
        close(run.st.controls_loss[ALLY], 10.0 * 0.01 * 0.5 * 150.0);
        assert_eq!(run.st.controls_loss[OTH], 0.0);
        assert_eq!(run.st.controls_loss[RIV], 0.0);
        close(run.st.controls_lost[HEG], 44.0 / 4.0);
        close(run.st.controls_lost[ALLY], 7.5 / 4.0);
        // Accounting: ALLY's loss is added to its realised cost, RIV's withheld sales are
        // weighted μ(1 + v) = 1·1.3 (so RIV's cost rises by 1.3·5.15 a year over a world
        // without controls, on the same round).
        let plain = Fixture::paid();
        let pctx = plain.ctx();
        let book = |fx: &Fixture, ctx: &crate::ctx::Ctx| {
            let mut run = fx.demanded(ctx);
            run.st.action[ALLY] = Some(Action::Concede);
            run.st.action[OTH] = Some(Action::Hedge);
            run.st.action[RIV] = Some(Action::Retaliate);
            let mut rng = fx.rng(crate::rng::Stream::Deals);
            crate::rules::settlement::run(ctx, &mut run.st, &mut run.tallies, &mut rng);
            super::run(ctx, &mut run.st);
            crate::rules::trade::run(ctx, &mut run.st, &mut run.cache, 2.0);
            crate::rules::accounting::run(ctx, &run.st, &mut run.cache, &mut run.tallies, 2.0);
            run.tallies
        };
        let (with, without) = (book(&fx, &ctx), book(&plain, &pctx));
        close(with.cost_sum[ALLY] - without.cost_sum[ALLY], 7.5 / 4000.0);
        close(
            with.cost_sum[RIV] - without.cost_sum[RIV],
            1.3 * 5.15 / 19000.0,
        );
        assert_eq!(with.cost_sum[OTH], without.cost_sum[OTH]);
    }

    #[test]
    fn controls_raise_the_roll_back_chance_and_price_the_withheld_sales() {
        use crate::rules::{factor_ln, response};
        let (fx, plain) = (with_controls(), Fixture::paid());
        let (ctx, pctx) = (fx.ctx(), plain.ctx());
        let (mut run, mut prun) = (fx.demanded(&ctx), plain.demanded(&pctx));
        // P_back = w/(w + w_H), w = ρ·X_HR(0)/Y_H·(1 + χ) + λ_x·s_x·X_RH(0)/Y_H, w_H = 0.01.
        let rho = run.st.demand.counter[RIV];
        assert!(rho > 0.0);
        let base = rho * 140.0 / 30000.0 * 3.0;
        let with = base + 10.0 * 0.01 * 440.0 / 30000.0;
        let p = response::back_probability(&ctx, &run.st, RIV, 0.0);
        let q = response::back_probability(&pctx, &prun.st, RIV, 0.0);
        close(p, with / (with + 0.01));
        close(q, base / (base + 0.01));
        assert!(p > q);
        // R's price: at a horizon of 0 (no roll-back term) it rises by the withheld sales,
        // 100·μ(1 + v)·5.15/Y = 100·1.3·5.15/19000; no other action's price moves.
        let eps = 2.0;
        for r in [&mut run, &mut prun] {
            r.cache.factors[RIV] = r.cache.ln[RIV].map(|l| factor_ln(l, eps));
        }
        let c = response::costs(&ctx, &run.st, &run.cache.factors[RIV], RIV, 0.0, 0.0, eps);
        let d = response::costs(
            &pctx,
            &prun.st,
            &prun.cache.factors[RIV],
            RIV,
            0.0,
            0.0,
            eps,
        );
        let r = Action::Retaliate as usize;
        close(c[r] - d[r], 100.0 * 1.3 * 5.15 / 19000.0);
        for k in (0..5).filter(|&k| k != r) {
            assert_eq!(c[k], d[k]);
        }
    }
}
