//! Identities the model must reproduce exactly: the USTR formula of 2 April 2025, and no
//! re-routing when nothing is diverted.

use statecraft_core::ctx::Ctx;
use statecraft_core::rules::demand;
use statecraft_core::scenario::{Policy, WorldSource};
use statecraft_core::state::{Cache, State};
use statecraft_core::strategy::ustr_offer;
use statecraft_core::{ActorColumn, Param, RunMetric, Sim, WorldColumn};
use statecraft_tests::{batch, root, scenario, world};

/// The offer formula reproduces the announced rates from US 2024 data (x, m) within 1.5
/// points, for every actor and ASEAN member on the 2 April list.
#[test]
fn ustr_formula_reproduces_the_announced_rates() {
    let path = root().join("scenarios/data/us_tariffs_2025.csv");
    let mut rdr = csv::Reader::from_path(&path).expect("us_tariffs_2025.csv");
    let headers = rdr.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (ca, cx, cm, cr, ct) = (
        col("actor"),
        col("us_exports_x_2024_bn_usd"),
        col("us_imports_m_2024_bn_usd"),
        col("apr2_announced_rate_pct"),
        col("row_type"),
    );
    let mut checked = 0;
    for rec in rdr.records() {
        let rec = rec.expect("row");
        // The ASEAN aggregate is an import-weighted mean of member rates, not a formula value:
        // its members are checked one by one instead.
        if rec[cr].is_empty() || &rec[ca] == "ASEAN" {
            continue;
        }
        let x: f64 = rec[cx].parse().expect("x");
        let m: f64 = rec[cm].parse().expect("m");
        let announced: f64 = rec[cr].parse().expect("rate");
        let offer = 100.0 * ustr_offer(m, x, 0.10, 0.50);
        assert!(
            (offer - announced).abs() <= 1.5,
            "{} ({}): formula {offer:.1} vs announced {announced}",
            &rec[ca],
            &rec[ct]
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} rates checked");
}

/// The bundled baseline's demand phase gives the same offers as the formula on its own trade
/// matrix: China 34%, the EU 20%, Japan 24%, Korea 25%, Taiwan 32%, India 26%. Without its
/// timeline: in round 0 the timeline pauses the offers at 10% and sets China's April ladder
/// (125%), so the formula is checked on its own.
#[test]
fn baseline_demand_phase_gives_the_announced_offers() {
    let mut sc = scenario("scenarios/paid_access_2025.ron");
    sc.timeline = None;
    let w = world(&sc);
    let mut values = Vec::new();
    w.draw_params(1, 0, &mut values);
    let ctx = Ctx::new(&w, &values, 40);
    let mut st = State::default();
    st.reset(w.n(), w.blocs.len(), w.lines.measures.len());
    let mut cache = Cache::default();
    cache.reset(w.n(), w.blocs.len());
    let mut rng = statecraft_core::rng::SimRng::new(1, statecraft_core::rng::Stream::Deals, 0);
    demand::run(&ctx, &mut st, &mut cache, &mut rng);
    for (name, announced) in [
        ("CHN", 34.0),
        ("EU27", 20.0),
        ("JPN", 24.0),
        ("KOR", 25.0),
        ("TWN", 32.0),
        ("IND", 26.0),
        ("GBR", 10.0),
        ("AUS", 10.0),
        ("BRA", 10.0),
    ] {
        let i = w.names.iter().position(|n| n == name).expect(name);
        let offer = 100.0 * st.demand.offer[i];
        assert!(
            (offer - announced).abs() <= 1.5,
            "{name}: offer {offer:.1} vs announced {announced}"
        );
        assert!(st.demand.deal[i] <= st.demand.offer[i]);
    }
}

/// With every tariff and counter-tariff at zero and no hedging, nothing is re-routed: exports
/// stay at X(0) exactly, every round of every run. Under the open order with every actor
/// conceding (a retaliator would draw an escalation) and no hedging, no tariff is ever set.
#[test]
fn zero_tariffs_reroute_nothing() {
    let mut sc = scenario("scenarios/open_order.ron");
    sc.model_overrides
        .push(("hedge_speed".into(), Param::Fixed(0.0)));
    if let WorldSource::Inline(w) = &mut sc.world {
        for a in &mut w.actors {
            a.policy = Policy::AlwaysConcede;
        }
    }
    let w = world(&sc);
    let recs = batch(&w, 9, 200, 40, 200, 2);
    let h = w.hegemon;
    for r in &recs {
        for t in &r.trajectory {
            if t.actor != h {
                assert_eq!(t.tariff, 0.0);
                assert_eq!(
                    t.exports_to_hegemon,
                    w.trade0[(t.actor, h)],
                    "run {} round {}",
                    r.run,
                    t.round
                );
            }
        }
        // Export concentration unchanged: nothing moved anywhere.
        let hhi = r.outcome.metric(RunMetric::ExportHhiChange).expect("hhi");
        assert!(hhi.abs() < 1e-12);
        for m in [RunMetric::HegemonTariffMean, RunMetric::HegemonTariffPeak] {
            assert_eq!(r.outcome.metric(m), Some(0.0), "{m:?}");
        }
    }
}

/// The per-round regional trade share of trajectories is the run metric's ratio for one actor:
/// with a single ally (three_actors: hegemon, ally, rival), the ally's share in the last round
/// equals the run-level `regional_trade_share`, bit for bit, in every run.
#[test]
fn trajectory_regional_share_is_the_run_metric_per_round() {
    let sc = scenario("scenarios/examples/three_actors.ron");
    let w = world(&sc);
    let ally = w.names.iter().position(|n| n == "ALLY").expect("ALLY");
    let rounds = 12;
    let recs = batch(&w, 3, 50, rounds, 50, 2);
    for r in &recs {
        let last = r
            .trajectory
            .iter()
            .find(|t| t.actor == ally && t.round == rounds - 1)
            .expect("last round of the ally");
        assert_eq!(
            Some(last.regional_trade_share),
            r.outcome.metric(RunMetric::RegionalTradeShare),
            "run {}",
            r.run
        );
        for t in &r.trajectory {
            assert!(
                (0.0..=1.0).contains(&t.regional_trade_share),
                "run {} {t:?}",
                r.run
            );
        }
    }
}

/// The world series and the per-round export shares add up to the run metrics and the actor
/// results at T (MODEL.md 3.5): the series' mean and peak of the hegemon's effective tariff are
/// `hegemon_tariff_mean` and `hegemon_tariff_peak`, its mean deals in force `deals_in_force`,
/// its largest coalition `peak_coalition`, its last row the allies' alignment and export
/// shares at T; each actor's four export shares add up to 1 every round, and its last round's
/// are its shares in actors.csv; `deal_duration` is the allies' deal rounds over their deals.
#[test]
fn world_series_and_export_shares_add_up_to_the_run_metrics() {
    let sc = scenario("scenarios/paid_access_2025.ron");
    let w = world(&sc);
    let rounds = 40;
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()));
    let (mut sim, mut values) = (Sim::new(), Vec::new());
    let (mut traj, mut series) = (Vec::new(), Vec::new());
    let allies: Vec<usize> = (0..w.names.len())
        .filter(|&i| i != w.hegemon && Some(i) != w.rival)
        .collect();
    for run in 0..20 {
        traj.clear();
        series.clear();
        w.draw_params(sc.seed, run, &mut values);
        let o = sim.run_recorded(
            &w,
            &values,
            sc.seed,
            run,
            rounds,
            Some(&mut traj),
            Some(&mut series),
        );
        assert_eq!(series.len(), rounds as usize);
        let metric = |m: RunMetric| o.metric(m).expect("defined");
        let col = |c: WorldColumn| series.iter().map(move |r| r.get(c));
        let n = f64::from(rounds);
        let tariff_mean = col(WorldColumn::HegemonTariff).sum::<f64>() / n;
        let tariff_peak = col(WorldColumn::HegemonTariff).fold(0.0, f64::max);
        assert!(close(tariff_mean, metric(RunMetric::HegemonTariffMean)));
        assert_eq!(tariff_peak, metric(RunMetric::HegemonTariffPeak));
        let deals = col(WorldColumn::DealsInForce).sum::<f64>() / n;
        assert!(close(deals, metric(RunMetric::DealsInForce)), "run {run}");
        let coalition = col(WorldColumn::Retaliating).fold(0.0, f64::max);
        assert_eq!(coalition, metric(RunMetric::PeakCoalition));
        let last = series.last().expect("a round");
        for (c, m) in [
            (WorldColumn::AllyAlignment, RunMetric::AllyAlignment),
            (
                WorldColumn::AllyAlignmentRival,
                RunMetric::AllyAlignmentRival,
            ),
            (WorldColumn::AllyShareHegemon, RunMetric::AllyShareHegemon),
            (WorldColumn::AllyShareRival, RunMetric::AllyShareRival),
            (WorldColumn::Cohesion, RunMetric::AllianceCohesion),
        ] {
            assert!(close(last.get(c), metric(m)), "run {run} {c:?}");
        }
        let sum = |c: ActorColumn| allies.iter().map(|&i| o.actors[i].get(c)).sum::<f64>();
        if let Some(d) = o.metric(RunMetric::DealDuration) {
            assert!(close(
                d,
                sum(ActorColumn::DealRounds) / sum(ActorColumn::NDeals)
            ));
        }
        for t in &traj {
            let total: f64 = t.shares.iter().sum();
            assert!(close(total, 1.0) || total == 0.0, "run {run} {t:?}");
            if t.round == rounds - 1 {
                let a = &o.actors[t.actor];
                let at_t = [
                    ActorColumn::ShareHegemon,
                    ActorColumn::ShareRival,
                    ActorColumn::ShareBloc,
                    ActorColumn::ShareRest,
                ]
                .map(|c| a.get(c));
                assert_eq!(t.shares, at_t, "run {run} actor {}", t.actor);
            }
        }
    }
}
