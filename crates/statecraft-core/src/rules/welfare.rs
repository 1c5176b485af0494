//! National welfare from trade theory (MODEL.md 3.4, welfare), booked after trade: each
//! actor's producer rent on its net export revenue, its terms of trade as importer and
//! exporter, its consumers' cost and its tariff revenue, transfers and real resource costs.
//! Beside, not instead of, the realised cost the decisions price (accounting).

use crate::ctx::Ctx;
use crate::rules::accounting::hedge_outlay;
use crate::rules::settlement::diversion_loss;
use crate::rules::{controls, effective_tariff};
use crate::state::{Cache, State, Tallies};

/// ι(t): the fall of the exporter's price, share of its level, under an importer's tariff `t`
/// with import demand elasticity `eps` and inverse export supply elasticity `omega`.
pub fn borne(t: f64, eps: f64, omega: f64) -> f64 {
    if t <= 0.0 || omega <= 0.0 {
        return 0.0;
    }
    1.0 - (1.0 + t).powf(-eps * omega / (1.0 + eps * omega))
}

/// The consumer surplus a tariff `t` costs the importer on a flow worth `x` at exporter prices
/// after the tariff: X'·∫₁^{1+t} q^(−ε) dq, X' = x·(1 + t)^ε the flow without it.
pub fn consumer_cost(t: f64, x: f64, eps: f64) -> f64 {
    if t <= 0.0 || x <= 0.0 {
        return 0.0;
    }
    let untaxed = x * (1.0 + t).powf(eps);
    if (1.0 - eps).abs() < 1e-9 {
        untaxed * (1.0 + t).ln()
    } else {
        (x * (1.0 + t) - untaxed) / (1.0 - eps)
    }
}

/// What a tariff `t` on a flow `x` gives the importer: revenue less its consumers' cost plus
/// the part of the tariff the exporter bears; and that part, which the exporter loses.
fn tariff_terms(t: f64, x: f64, eps: f64, omega: f64) -> (f64, f64) {
    let tot = borne(t, eps, omega) * x;
    (t * x - consumer_cost(t, x, eps) + tot, tot)
}

/// Books the round's national welfare of every actor (after phase 4 and accounting's costs),
/// at the round's trade elasticity `eps` (D_i(η) read from the round's memo in `cache` where
/// accounting or the response computed it).
pub fn run(ctx: &Ctx, st: &State, cache: &Cache, tallies: &mut Tallies, eps: f64) {
    let (h, n) = (ctx.h, ctx.n);
    let (omega, rent) = ctx.world.welfare.map_or((0.0, 1.0), |w| {
        (ctx.v(w.supply_inverse), ctx.v(w.rent_share))
    });
    // Welfare is booked as a share of each actor's GDP, terms of trade in bn USD.
    let Tallies {
        welfare_sum,
        terms_of_trade,
        revenue_borne,
        rival_borne,
        ..
    } = tallies;
    let mut book = |i: usize, x: f64| welfare_sum[i] += x / ctx.actors[i].gdp;
    let mut transfer = |from: usize, to: usize, x: f64| {
        terms_of_trade[from] -= x / ctx.rpy;
        terms_of_trade[to] += x / ctx.rpy;
    };
    for i in 0..n {
        // The producer rent on the net change of export revenue, re-routing credited: every
        // destination, less the sales its controls withhold. The diverted stock's lower price
        // is a price cut on goods sold, borne in full like the terms of trade below.
        let mut revenue: f64 = st
            .exports
            .row(i)
            .iter()
            .zip(ctx.world.trade0.row(i))
            .map(|(x, x0)| x - x0)
            .sum();
        if ctx.uses.controls && st.controls_on[i] {
            revenue -= controls::withheld(ctx, i);
        }
        let eta = st.hedge[i];
        let diverted = cache.diversion[i]
            .get(eta, eps)
            .unwrap_or_else(|| diversion_loss(ctx, i, eta, eps));
        let mut own = rent * revenue - diverted;
        if ctx.uses.controls {
            own -= st.controls_loss[i];
        }
        if i != h {
            // The hegemon's tariff on i, and i's counter-tariff on the hegemon.
            let tau = effective_tariff(ctx, st, i);
            let (gain, borne_i) = tariff_terms(tau, st.exports[(i, h)], eps, omega);
            book(h, gain);
            own -= borne_i;
            transfer(i, h, borne_i);
            let (gain, borne_h) = tariff_terms(st.counter[i], st.exports[(h, i)], eps, omega);
            own += gain;
            book(h, -borne_h);
            transfer(h, i, borne_h);
            // Transfers to the hegemon, the premium on purchases, the one-off cost of diversion.
            let paid = st.paid_now[i] * ctx.rpy;
            own -= paid;
            book(h, paid);
            own -= st.demand.purchase_cost[i] * st.purchasing[i];
            own -= hedge_outlay(ctx, st, i);
            revenue_borne.0 += tau * st.exports[(i, h)] / ctx.rpy;
            revenue_borne.1 += borne_i / ctx.rpy;
            if ctx.rival == Some(i) {
                *rival_borne += borne_i / ctx.rpy;
            }
        }
        book(i, own);
    }
}

#[cfg(test)]
mod tests {
    use super::{borne, consumer_cost, tariff_terms};
    use crate::testing::{ALLY, Fixture, HEG, RIV, close};

    #[test]
    fn consumer_cost_is_the_area_under_the_demand_curve() {
        // X'·∫₁^{1+t} q^(−ε) dq by the midpoint rule, for ε below, at and above 1.
        for eps in [0.76, 1.0, 3.0] {
            let (t, x) = (0.25, 100.0);
            let untaxed = x * (1.0f64 + t).powf(eps);
            let steps = 100_000;
            let h = t / f64::from(steps);
            let area: f64 = (0..steps)
                .map(|k| (1.0 + (f64::from(k) + 0.5) * h).powf(-eps) * h)
                .sum();
            assert!(
                (consumer_cost(t, x, eps) - untaxed * area).abs() < 1e-6,
                "ε {eps}"
            );
        }
        // A small tariff costs about its revenue: the deadweight loss is second order.
        assert!((consumer_cost(1e-4, 100.0, 2.0) / 1e-2 - 1.0).abs() < 1e-3);
        assert_eq!(borne(0.3, 2.0, 0.0), 0.0);
    }

    #[test]
    fn the_importer_s_gain_peaks_at_the_optimal_tariff() {
        // The importer's welfare on one flow X(t) = X0·(1 + t)^(−ε) (MODEL.md 3.4, welfare):
        // its derivative is X/(1 + t)·[(a + ε)(1 + t)^(−a) − ε(1 + t)], a = εω/(1 + εω), so
        // the optimum is (1 + a/ε)^(1/(1 + a)) − 1, about ω/(1 + εω).
        for (eps, omega) in [(0.76, 0.25), (2.0, 0.1), (3.0, 0.5)] {
            let gain = |t: f64| tariff_terms(t, 100.0 * (1.0f64 + t).powf(-eps), eps, omega).0;
            let best = (0..=4000)
                .map(|k| 1e-4 * f64::from(k))
                .max_by(|a, b| gain(*a).total_cmp(&gain(*b)))
                .unwrap();
            let a = eps * omega / (1.0 + eps * omega);
            let t_star = (1.0 + a / eps).powf(1.0 / (1.0 + a)) - 1.0;
            assert!(
                (best - t_star).abs() <= 1e-4,
                "ε {eps}, ω {omega}: {best} vs {t_star}"
            );
            assert!(gain(best) > 0.0 && gain(2.0 * t_star) < gain(best));
        }
    }

    #[test]
    fn a_round_books_transfers_deadweight_and_terms_of_trade() {
        // The fixture's round 0 (ALLY conceded at 15% and pays 5.375 a round, RIV retaliated)
        // at ε = 2; with s = 0 and ω = 0 ALLY's welfare is its payments alone, RIV's the
        // deadweight loss of its counter-tariff, and no terms of trade move.
        let at = |field: &str| {
            let fx = Fixture::paid_world_with(field);
            let ctx = fx.ctx();
            let mut run = fx.settled(&ctx);
            crate::rules::trade::run(&ctx, &mut run.st, &mut run.cache, 2.0);
            super::run(&ctx, &run.st, &run.cache, &mut run.tallies, 2.0);
            let rho = run.st.counter[RIV];
            let dwl = consumer_cost(rho, run.st.exports[(HEG, RIV)], 2.0)
                - rho * run.st.exports[(HEG, RIV)];
            (run.tallies, rho, dwl / ctx.actors[RIV].gdp)
        };
        let (t, rho, dwl) = at("welfare: Some((supply_inverse: 0, rent_share: 0))");
        close(t.welfare_sum[ALLY], -5.375 * 4.0 / 4000.0);
        assert!(rho > 0.0 && dwl > 0.0);
        close(t.welfare_sum[RIV], -dwl);
        assert!(t.terms_of_trade.iter().all(|&v| v == 0.0));
        // With ω the terms of trade move and sum to zero; exporters bear part of the revenue.
        let (t, _, _) = at("welfare: Some((supply_inverse: 0.5, rent_share: 0.3))");
        close(t.terms_of_trade.iter().sum::<f64>(), 0.0);
        assert!(t.terms_of_trade[HEG] > 0.0 && t.terms_of_trade[ALLY] < 0.0);
        let (revenue, foreign) = t.revenue_borne;
        assert!(foreign > 0.0 && foreign < revenue);
        // The rival's exporters bear part of it, the allies' the rest of the foreign share.
        assert!(t.rival_borne > 0.0 && t.rival_borne < foreign);
    }
}
