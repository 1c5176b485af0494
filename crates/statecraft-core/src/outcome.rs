//! Outcome metrics of one run (MODEL.md 3.5), per-actor results and trajectory rows. Each
//! value is set next to the [`RunMetric`] or [`ActorColumn`] that names and defines it
//! ([`crate::metric`]).

use crate::ctx::Ctx;
use crate::matrix::Matrix;
use crate::measures::{crossing_share, hhi, regional_exports};
use crate::metric::{ActorColumn, BlocMetric, RunMetric, TrajectoryColumn, WorldColumn};
use crate::scenario::Stage;
use crate::state::{Cache, State, Tallies};
use crate::strategy::Action;
use crate::world::World;

/// Names of every run-level metric of a world, in [`Outcome::metrics`] order: the
/// [`RunMetric`]s, then each [`BlocMetric`] per bloc (`accessions_<bloc>`, `pending_<bloc>`).
pub fn metric_names(world: &World) -> Vec<String> {
    let mut names: Vec<String> = RunMetric::ALL
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    for m in BlocMetric::ALL {
        for b in &world.blocs {
            names.push(format!("{}_{}", m.name(), b.name));
        }
    }
    names
}

/// Names of the per-actor result columns, in [`ActorOutcome::values`] order.
pub fn actor_columns() -> impl Iterator<Item = &'static str> {
    ActorColumn::ALL.iter().map(|c| c.name())
}

/// Results of one actor at the end of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct ActorOutcome {
    /// Values in [`ActorColumn`] order.
    pub values: [f64; ActorColumn::ALL.len()],
}

impl ActorOutcome {
    /// The value of one column.
    #[inline]
    pub fn get(&self, c: ActorColumn) -> f64 {
        self.values[c as usize]
    }
}

/// The results of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Run-level metrics in [`metric_names`] order; `None` where a metric is undefined for the
    /// run (no rupture, no truce, no ruling).
    pub metrics: Vec<Option<f64>>,
    /// Per-actor results, by `ActorId`.
    pub actors: Vec<ActorOutcome>,
    /// Stage of actor i in bloc b at the end of the run, `None` if not involved.
    pub stages: Matrix<Option<Stage>>,
    /// What the strategies of a tournament are scored on.
    pub payoff: Payoff,
}

impl Outcome {
    /// The value of a run-level metric, `None` where it is undefined for the run.
    #[inline]
    pub fn metric(&self, m: RunMetric) -> Option<f64> {
        self.metrics[m as usize]
    }
}

/// The ingredients of tournament payoffs (MODEL.md 3.7).
#[derive(Clone, Debug, PartialEq)]
pub struct Payoff {
    /// The hegemon's rent (tariff revenue and payments), bn USD: `hegemon_rent`.
    pub hegemon_rent: f64,
    /// The hegemon's net export loss to counter-tariffs over the run, Σ_t Σ_j (X_Hj(0) −
    /// X_Hj(t))/rpy over partners and the rest of the world (re-routed exports netted), bn USD.
    pub hegemon_trade_loss: f64,
    /// What the hegemon lost to other actors' export controls over the run, bn USD (0 without
    /// controls).
    pub hegemon_controls_loss: f64,
    /// `alliance_cohesion` (None without treaty allies).
    pub cohesion: Option<f64>,
    /// Per actor: the mean over rounds of the expected security cost S_i(a) of the action
    /// taken, % of GDP per year (0 for the hegemon).
    pub security_cost: Vec<f64>,
    /// Per actor: welfare = −(realised annual cost + expected security cost), % of GDP per
    /// year (0 for the hegemon).
    pub welfare: Vec<f64>,
    /// GDP-weighted mean welfare over the allies (all but the hegemon and the rival).
    pub ally_welfare: Option<f64>,
    /// Per actor: national welfare from trade theory less the expected security cost and less
    /// the defence spending above its start that buys part of that security, % of GDP per year
    /// (0 for the hegemon; MODEL.md 3.4, welfare, and 3.7).
    pub national: Vec<f64>,
    /// GDP-weighted mean of `national` over the allies.
    pub ally_national: Option<f64>,
    /// Per actor: the mean over rounds of its defence spending above its start, % of GDP per
    /// year.
    pub defense_cost: Vec<f64>,
    /// The hegemon's national welfare over the run, bn USD (its mean annual rate times its GDP
    /// times the run's years).
    pub hegemon_national: f64,
}

/// One row of a trajectory: an actor's state after a round.
#[derive(Clone, Debug, PartialEq)]
pub struct TrajectoryRow {
    /// Round, 0-based.
    pub round: u32,
    /// The actor.
    pub actor: usize,
    /// τ_i.
    pub tariff: f64,
    /// τ^eff_i = e_i·τ_i + b_i, all lines.
    pub tariff_eff: f64,
    /// ρ_i.
    pub counter_tariff: f64,
    /// X_iH, bn USD per year.
    pub exports_to_hegemon: f64,
    /// κ_i.
    pub credibility: f64,
    /// a_i.
    pub autonomy: f64,
    /// η_i.
    pub hedge: f64,
    /// z_i: alignment with the hegemon against the rival.
    pub alignment: f64,
    /// z^C_i: alignment with the rival.
    pub alignment_rival: f64,
    /// The actor's own regional trade share: its exports to partners sharing a regional bloc
    /// in force over its total exports (rest of world included), 0 if it exports nothing.
    /// The run-level `regional_trade_share` is the same ratio summed over allies.
    pub regional_trade_share: f64,
    /// Exports to the rival cut by its sanction this round, bn USD per year.
    pub sanction_loss: f64,
    /// 1 if the actor's export controls are in force this round, else 0.
    pub controls: f64,
    /// What the actor loses this round to other actors' export controls, bn USD per year.
    pub controls_loss: f64,
    /// 1 if the actor's safeguard against deflected imports is in force this round, else 0.
    pub safeguard: f64,
    /// The actor's re-routed exports blocked this round by others' safeguards, bn USD per year.
    pub blocked: f64,
    /// The actor's export shares to the hegemon, the rival, bloc partners and the rest
    /// ([`export_shares`]).
    pub shares: [f64; 4],
    /// The action of the round (`None` for the hegemon).
    pub action: Option<Action>,
}

impl TrajectoryRow {
    /// The value of a number column, `None` for `action` (a code, [`Action::code`]).
    pub fn value(&self, c: TrajectoryColumn) -> Option<f64> {
        use TrajectoryColumn as T;
        match c {
            T::Tariff => Some(self.tariff),
            T::TariffEff => Some(self.tariff_eff),
            T::CounterTariff => Some(self.counter_tariff),
            T::ExportsToHegemon => Some(self.exports_to_hegemon),
            T::Credibility => Some(self.credibility),
            T::Autonomy => Some(self.autonomy),
            T::Hedge => Some(self.hedge),
            T::Alignment => Some(self.alignment),
            T::AlignmentRival => Some(self.alignment_rival),
            T::RegionalTradeShare => Some(self.regional_trade_share),
            T::SanctionLoss => Some(self.sanction_loss),
            T::Controls => Some(self.controls),
            T::ControlsLoss => Some(self.controls_loss),
            T::Safeguard => Some(self.safeguard),
            T::Blocked => Some(self.blocked),
            T::ShareHegemon => Some(self.shares[0]),
            T::ShareRival => Some(self.shares[1]),
            T::ShareBloc => Some(self.shares[2]),
            T::ShareRest => Some(self.shares[3]),
            T::Action => None,
        }
    }

    /// The values of the number columns, in [`number_columns`] order.
    pub fn numbers(&self) -> impl Iterator<Item = f64> + '_ {
        TrajectoryColumn::ALL.iter().filter_map(|&c| self.value(c))
    }
}

/// The number columns of a trajectory row, in column order (every [`TrajectoryColumn`] but
/// `action`).
pub fn number_columns() -> impl Iterator<Item = TrajectoryColumn> {
    TrajectoryColumn::ALL
        .iter()
        .copied()
        .filter(|&c| c != TrajectoryColumn::Action)
}

/// Names of the number columns of a trajectory row, in [`TrajectoryRow::numbers`] order.
pub fn trajectory_numbers() -> impl Iterator<Item = &'static str> {
    number_columns().map(|c| c.name())
}

/// One row of the world series: the world at the end of a round.
#[derive(Clone, Debug, PartialEq)]
pub struct WorldRow {
    /// Round, 0-based.
    pub round: u32,
    /// Values in [`WorldColumn`] order.
    pub values: [f64; WorldColumn::ALL.len()],
}

impl WorldRow {
    /// The value of one column.
    #[inline]
    pub fn get(&self, c: WorldColumn) -> f64 {
        self.values[c as usize]
    }
}

/// Names of the columns of a world-series row, in [`WorldRow::values`] order.
pub fn world_columns() -> impl Iterator<Item = &'static str> {
    WorldColumn::ALL.iter().map(|c| c.name())
}

/// Actor `i`'s export shares (rest of world included in the total): to the hegemon, to the
/// rival, to partners sharing a regional bloc in force other than those two (`mask`: one bit
/// per regional bloc, per actor), and the rest (other actors, the rest of the world). All 0 if
/// it exports nothing.
pub fn export_shares(ctx: &Ctx, exports: &Matrix<f64>, mask: &[u64], i: usize) -> [f64; 4] {
    let (h, c) = (ctx.h, ctx.rival);
    let (mut to_h, mut to_c, mut bloc, mut total) = (0.0, 0.0, 0.0, 0.0);
    for (j, &x) in exports.row(i).iter().enumerate() {
        total += x;
        if j == i || j >= ctx.n {
            continue;
        }
        if j == h {
            to_h += x;
        } else if Some(j) == c {
            to_c += x;
        } else if mask[i] & mask[j] != 0 {
            bloc += x;
        }
    }
    if total > 0.0 {
        let s = [to_h / total, to_c / total, bloc / total];
        [s[0], s[1], s[2], 1.0 - s[0] - s[1] - s[2]]
    } else {
        [0.0; 4]
    }
}

/// The allies' pooled export shares to the hegemon and to the rival: their exports to each
/// over their total exports (rest of world included), 0 if they export nothing.
fn ally_shares(ctx: &Ctx, exports: &Matrix<f64>) -> (f64, f64) {
    let (mut to_h, mut to_c, mut total) = (0.0, 0.0, 0.0);
    for i in (0..ctx.n).filter(|&i| ctx.is_ally(i)) {
        let row = exports.row(i);
        total += row.iter().sum::<f64>();
        to_h += row[ctx.h];
        to_c += ctx.rival.map_or(0.0, |c| row[c]);
    }
    if total > 0.0 {
        (to_h / total, to_c / total)
    } else {
        (0.0, 0.0)
    }
}

/// The hegemon's trade-weighted effective tariff Σ τ^eff_i·X_iH / Σ X_iH over the other
/// actors, 0 if they export nothing to it.
fn hegemon_tariff(ctx: &Ctx, st: &State) -> f64 {
    let (mut revenue, mut exports) = (0.0, 0.0);
    for i in (0..ctx.n).filter(|&i| i != ctx.h) {
        let x = st.exports[(i, ctx.h)];
        revenue += crate::rules::effective_tariff(ctx, st, i) * x;
        exports += x;
    }
    if exports > 0.0 {
        revenue / exports
    } else {
        0.0
    }
}

/// Allies with a deal in force at the end of the round, and allies that retaliated.
fn deals_and_coalition(ctx: &Ctx, st: &State) -> (u32, u32) {
    let (mut deals, mut coalition) = (0, 0);
    for i in (0..ctx.n).filter(|&i| ctx.is_ally(i)) {
        deals += u32::from(st.deal_age[i] > 0);
        coalition += u32::from(st.action[i] == Some(Action::Retaliate));
    }
    (deals, coalition)
}

/// Notes the end of a round in the tallies: the rounds each actor ended with a deal in force,
/// the round of its first deal, the largest coalition of retaliating allies and the
/// hegemon's trade-weighted effective tariff (sum and peak). No allocation.
pub(crate) fn observe_round(ctx: &Ctx, st: &State, tallies: &mut Tallies) {
    for i in 0..ctx.n {
        tallies.deal_rounds[i] += u32::from(st.deal_age[i] > 0);
        if tallies.first_deal[i].is_none() && tallies.deals[i] > 0 {
            tallies.first_deal[i] = Some(st.t);
        }
    }
    let (_, coalition) = deals_and_coalition(ctx, st);
    tallies.peak_coalition = tallies.peak_coalition.max(coalition);
    let tariff = hegemon_tariff(ctx, st);
    tallies.tariff_sum += tariff;
    tallies.tariff_peak = tallies.tariff_peak.max(tariff);
}

/// The world-series row of the round just ended ([`WorldColumn`]).
pub(crate) fn world_row(ctx: &Ctx, st: &State) -> WorldRow {
    use WorldColumn as W;
    let mut values = [0.0; WorldColumn::ALL.len()];
    let (deals, coalition) = deals_and_coalition(ctx, st);
    let treaty = |i: usize| ctx.is_ally(i) && ctx.world.treaty_ally[i];
    let (mut cohesion, mut treaty_gdp) = (0.0, 0.0);
    let (mut align, mut tilt, mut ally_gdp) = (0.0, 0.0, 0.0);
    for i in 0..ctx.n {
        let gdp = ctx.actors[i].gdp;
        if treaty(i) {
            cohesion += gdp * st.cred[i];
            treaty_gdp += gdp;
        }
        if ctx.is_ally(i) {
            align += gdp * st.align[i];
            tilt += gdp * st.tilt[i];
            ally_gdp += gdp;
        }
    }
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let (to_h, to_c) = ally_shares(ctx, &st.exports);
    values[W::HegemonTariff as usize] = hegemon_tariff(ctx, st);
    values[W::DealsInForce as usize] = f64::from(deals);
    values[W::Retaliating as usize] = f64::from(coalition);
    values[W::Cohesion as usize] = ratio(cohesion, treaty_gdp);
    values[W::AllyAlignment as usize] = ratio(align, ally_gdp);
    values[W::AllyAlignmentRival as usize] = ratio(tilt, ally_gdp);
    values[W::AllyShareHegemon as usize] = to_h;
    values[W::AllyShareRival as usize] = to_c;
    WorldRow {
        round: st.t,
        values,
    }
}

/// Computes the outcome of a finished run.
pub(crate) fn outcome(ctx: &Ctx, st: &State, tallies: &Tallies, cache: &Cache) -> Outcome {
    let allies: Vec<usize> = (0..ctx.n).filter(|&i| ctx.is_ally(i)).collect();
    let mut metrics = run_metrics(ctx, st, tallies, cache, &allies);
    bloc_metrics(ctx, st, &mut metrics);
    let actors = (0..ctx.n)
        .map(|i| actor_outcome(ctx, st, tallies, &cache.regional_mask, i))
        .collect();
    let payoff = payoff(
        ctx,
        st,
        tallies,
        &allies,
        metrics[RunMetric::AllianceCohesion as usize],
    );
    Outcome {
        metrics,
        actors,
        payoff,
        stages: st.stage.clone(),
    }
}

/// GDP-weighted mean of `f` over `ids`, `None` if they have no GDP.
fn gdp_weighted(ctx: &Ctx, ids: &[usize], f: impl Fn(usize) -> f64) -> Option<f64> {
    let gdp = |i: usize| ctx.actors[i].gdp;
    let total: f64 = ids.iter().map(|&i| gdp(i)).sum();
    (total > 0.0).then(|| ids.iter().map(|&i| gdp(i) * f(i)).sum::<f64>() / total)
}

/// Mean of `f` over `ids`, `None` if there are none.
fn mean(ids: &[usize], f: impl Fn(usize) -> f64) -> Option<f64> {
    (!ids.is_empty()).then(|| ids.iter().map(|&i| f(i)).sum::<f64>() / ids.len() as f64)
}

/// Actor `i`'s mean realised annual cost, % of GDP.
fn welfare_loss(ctx: &Ctx, tallies: &Tallies, i: usize) -> f64 {
    100.0 * tallies.cost_sum[i] / f64::from(ctx.rounds.max(1))
}

/// The [`RunMetric`]s, each set next to its name.
fn run_metrics(
    ctx: &Ctx,
    st: &State,
    tallies: &Tallies,
    cache: &Cache,
    allies: &[usize],
) -> Vec<Option<f64>> {
    use RunMetric as M;
    let (n, w, m) = (ctx.n, ctx.world, &ctx.m);
    let rounds = f64::from(ctx.rounds.max(1));
    let treaty: Vec<usize> = allies
        .iter()
        .copied()
        .filter(|&i| w.treaty_ally[i])
        .collect();
    let mut v = vec![None; RunMetric::ALL.len()];
    // Every metric is set exactly once (checked in debug builds).
    let mut seen = 0u64;
    let mut set = |metric: RunMetric, x: Option<f64>| {
        debug_assert!(seen & (1 << metric as u32) == 0, "{metric:?} set twice");
        seen |= 1 << metric as u32;
        v[metric as usize] = x;
    };
    set(M::HegemonRent, Some(tallies.rent));
    set(
        M::AllyWelfareLoss,
        gdp_weighted(ctx, allies, |i| welfare_loss(ctx, tallies, i)),
    );
    set(
        M::AllyWelfare,
        gdp_weighted(ctx, allies, |i| 100.0 * tallies.welfare_sum[i] / rounds),
    );
    set(
        M::HegemonWelfare,
        Some(100.0 * tallies.welfare_sum[ctx.h] / rounds),
    );
    let (revenue, borne) = tallies.revenue_borne;
    set(
        M::IncidenceForeign,
        (revenue > 0.0).then(|| borne / revenue),
    );
    set(
        M::IncidenceRival,
        (revenue > 0.0 && ctx.rival.is_some()).then(|| tallies.rival_borne / revenue),
    );
    set(
        M::AllianceCohesion,
        gdp_weighted(ctx, &treaty, |i| st.cred[i]),
    );
    set(M::FirstRuptureRound, tallies.first_rupture.map(f64::from));
    set(M::Ruptures, Some(f64::from(tallies.ruptures)));
    let mask = &cache.regional_mask;
    let (mut regional, mut total) = (0.0, 0.0);
    for &i in allies {
        let (r, t) = regional_exports(i, &st.exports, mask);
        regional += r;
        total += t;
    }
    set(
        M::RegionalTradeShare,
        (total > 0.0).then(|| regional / total),
    );
    let cross0 = w.initial_crossing_share;
    let cross_t = crossing_share(&st.exports, mask);
    let fragmentation = if cross0 > 0.0 {
        1.0 - cross_t / cross0
    } else {
        0.0
    };
    set(M::Fragmentation, Some(fragmentation));
    let hhi_change = (0..n)
        .map(|i| hhi(st.exports.row(i)) - w.initial_hhi[i])
        .sum::<f64>()
        / n as f64;
    set(M::ExportHhiChange, Some(hhi_change));
    set(M::MeanAutonomy, mean(allies, |i| st.autonomy[i]));
    set(
        M::AlliesAt35Pct,
        mean(&treaty, |i| {
            if st.defense[i] >= m.defense_benchmark {
                1.0
            } else {
                0.0
            }
        }),
    );
    // Action shares over ally-rounds.
    let mut counts = [0u64; 5];
    for &i in allies {
        for k in 0..5 {
            counts[k] += u64::from(tallies.counts[i][k]);
        }
    }
    let ally_rounds: u64 = counts.iter().sum();
    let share =
        |a: Action| (ally_rounds > 0).then(|| counts[a as usize] as f64 / ally_rounds as f64);
    set(M::ShareConcede, share(Action::Concede));
    set(M::ShareRetaliate, share(Action::Retaliate));
    set(M::ShareHedge, share(Action::Hedge));
    set(M::ShareConcedeHedge, share(Action::ConcedeHedge));
    set(M::ShareBandwagon, share(Action::Bandwagon));
    set(
        M::RoundsToTruce,
        match (tallies.rival_first_retaliation, tallies.truce) {
            (Some(a), Some(b)) => Some(f64::from(b - a)),
            _ => None,
        },
    );
    set(M::CourtRulingRound, st.court_round.map(f64::from));
    for (metric, x) in dynamics_metrics(ctx, st, tallies, allies, &treaty) {
        set(metric, x);
    }
    debug_assert_eq!(
        seen.count_ones() as usize,
        RunMetric::ALL.len(),
        "a metric not set"
    );
    v
}

/// Mean over the allies that made a deal of the round of their first, `None` if none did.
fn time_to_deal(tallies: &Tallies, allies: &[usize]) -> Option<f64> {
    let firsts = allies.iter().filter_map(|&i| tallies.first_deal[i]);
    let (sum, k) = firsts.fold((0.0, 0u32), |(s, k), t| (s + f64::from(t), k + 1));
    (k > 0).then(|| sum / f64::from(k))
}

/// The run metrics of deal and conflict dynamics, trade realignment, burden-sharing, alignment
/// and the rival's costs (MODEL.md 3.5), each next to its name.
fn dynamics_metrics(
    ctx: &Ctx,
    st: &State,
    tallies: &Tallies,
    allies: &[usize],
    treaty: &[usize],
) -> [(RunMetric, Option<f64>); 15] {
    use RunMetric as M;
    let rounds = f64::from(ctx.rounds.max(1));
    let sum = |v: &[u32]| allies.iter().map(|&i| f64::from(v[i])).sum::<f64>();
    let (deal_rounds, deals) = (sum(&tallies.deal_rounds), sum(&tallies.deals));
    let (to_h, to_c) = ally_shares(ctx, &st.exports);
    let (mut disbursed, mut headline) = (0.0, 0.0);
    for i in 0..ctx.n {
        let stock = st.disbursed[i] + st.pledge_left[i];
        if stock > 0.0 {
            disbursed += st.disbursed[i];
            headline += stock;
        }
    }
    let rival_exports = |c: usize| {
        let x0: f64 = ctx.world.trade0.row(c).iter().sum();
        let x: f64 = st.exports.row(c).iter().sum();
        (x0 > 0.0).then(|| x / x0 - 1.0)
    };
    [
        (M::DealsInForce, Some(deal_rounds / rounds)),
        (M::TimeToDeal, time_to_deal(tallies, allies)),
        (M::DealDuration, (deals > 0.0).then(|| deal_rounds / deals)),
        (M::Reneges, Some(sum(&tallies.reneges))),
        (M::PeakCoalition, Some(f64::from(tallies.peak_coalition))),
        (M::HegemonTariffMean, Some(tallies.tariff_sum / rounds)),
        (M::HegemonTariffPeak, Some(tallies.tariff_peak)),
        (M::AllyShareHegemon, Some(to_h)),
        (M::AllyShareRival, ctx.rival.map(|_| to_c)),
        (
            M::AllyDefenseChange,
            gdp_weighted(ctx, treaty, |i| st.defense[i] - ctx.actors[i].defense),
        ),
        (
            M::PledgeShare,
            (headline > 0.0).then(|| disbursed / headline),
        ),
        (M::AllyAlignment, gdp_weighted(ctx, allies, |i| st.align[i])),
        (
            M::AllyAlignmentRival,
            gdp_weighted(ctx, allies, |i| st.tilt[i]),
        ),
        (
            M::RivalWelfare,
            ctx.rival.map(|c| 100.0 * tallies.welfare_sum[c] / rounds),
        ),
        (M::RivalExportsChange, ctx.rival.and_then(rival_exports)),
    ]
}

/// Appends the [`BlocMetric`]s: every bloc's accessions, then every bloc's pending
/// applications. A membership counts once it has been in force (MODEL.md 3.4, phase 7): one
/// that came into force in the last round, from a round the run does not have, is still
/// pending.
fn bloc_metrics(ctx: &Ctx, st: &State, metrics: &mut Vec<Option<f64>>) {
    let (n, nb) = (ctx.n, ctx.nb);
    let end = i64::from(ctx.rounds);
    let in_force =
        |i: usize, b: usize| st.stage[(i, b)] == Some(Stage::InForce) && st.since[(i, b)] < end;
    let new = |i: usize, b: usize| ctx.world.initial_stage[(i, b)] != Some(Stage::InForce);
    for metric in BlocMetric::ALL {
        for b in 0..nb {
            let value = match metric {
                BlocMetric::Accessions => {
                    Some((0..n).filter(|&i| in_force(i, b) && new(i, b)).count() as f64)
                }
                BlocMetric::Pending => Some(
                    (0..n)
                        .filter(|&i| st.stage[(i, b)].is_some() && !in_force(i, b))
                        .count() as f64,
                ),
                BlocMetric::Entry => (0..n)
                    .filter(|&i| in_force(i, b) && new(i, b))
                    .map(|i| st.since[(i, b)])
                    .min()
                    .map(|r| r as f64),
            };
            metrics.push(value);
        }
    }
}

/// Actor `i`'s applications and accessions at T: the blocs it was not a member of at the start
/// that it has applied to (pending or in force), and those in force, counted as
/// [`bloc_metrics`] counts them.
fn bloc_entries(ctx: &Ctx, st: &State, i: usize) -> (f64, f64) {
    let end = i64::from(ctx.rounds);
    let (mut applied, mut acceded) = (0.0, 0.0);
    for b in 0..ctx.nb {
        if ctx.world.initial_stage[(i, b)] == Some(Stage::InForce) || st.stage[(i, b)].is_none() {
            continue;
        }
        applied += 1.0;
        if st.stage[(i, b)] == Some(Stage::InForce) && st.since[(i, b)] < end {
            acceded += 1.0;
        }
    }
    (applied, acceded)
}

/// Actor `i`'s results, each set next to its column.
fn actor_outcome(ctx: &Ctx, st: &State, tallies: &Tallies, mask: &[u64], i: usize) -> ActorOutcome {
    use ActorColumn as C;
    let h = ctx.h;
    let e = if i == h { 0.0 } else { ctx.actors[i].exposure };
    let mut a = ActorOutcome {
        values: [0.0; ActorColumn::ALL.len()],
    };
    // Every column is set exactly once (checked in debug builds).
    let mut seen = 0u64;
    let mut set = |c: ActorColumn, x: f64| {
        debug_assert!(seen & (1 << c as u32) == 0, "{c:?} set twice");
        seen |= 1 << c as u32;
        a.values[c as usize] = x;
    };
    set(C::Tariff, st.tariff[i]);
    set(C::TariffEff, e * st.tariff[i] + st.tariff_base[i]);
    set(C::CounterTariff, st.counter[i]);
    set(C::Credibility, st.cred[i]);
    set(C::Autonomy, st.autonomy[i]);
    set(C::Hedge, st.hedge[i]);
    set(C::Alignment, st.align[i]);
    set(C::AlignmentRival, st.tilt[i]);
    set(C::Belief, st.belief[i]);
    set(C::Threat, st.threat[i]);
    set(C::Defense, st.defense[i]);
    set(C::Paid, st.paid[i]);
    set(C::PledgeDisbursed, st.disbursed[i]);
    set(C::Purchased, st.purchased[i]);
    let (loss, exports) = if i == h {
        (0.0, 0.0)
    } else {
        (welfare_loss(ctx, tallies, i), st.exports[(i, h)])
    };
    set(C::WelfareLoss, loss);
    set(
        C::DiversionCost,
        100.0 * tallies.diversion_sum[i] / f64::from(ctx.rounds.max(1)),
    );
    set(
        C::Welfare,
        100.0 * tallies.welfare_sum[i] / f64::from(ctx.rounds.max(1)),
    );
    set(C::TermsOfTrade, tallies.terms_of_trade[i]);
    set(C::ExportsToHegemon, exports);
    set(C::Treaty, if ctx.world.treaty_ally[i] { 1.0 } else { 0.0 });
    set(C::Gdp, ctx.actors[i].gdp);
    let c = tallies.counts[i];
    set(C::NConcede, f64::from(c[Action::Concede as usize]));
    set(C::NRetaliate, f64::from(c[Action::Retaliate as usize]));
    set(C::NHedge, f64::from(c[Action::Hedge as usize]));
    set(C::NBreach, f64::from(tallies.breaches[i]));
    set(C::NSnapback, f64::from(tallies.snapbacks[i]));
    set(C::NLapse, f64::from(tallies.lapses[i]));
    let (applied, acceded) = bloc_entries(ctx, st, i);
    set(C::BlocsApplied, applied);
    set(C::BlocsAcceded, acceded);
    set(C::NRenewal, f64::from(tallies.renewals[i]));
    set(C::NSanctioned, f64::from(st.sanctions[i]));
    set(C::SanctionLost, st.sanction_lost[i]);
    set(C::NControls, f64::from(st.controls_rounds[i]));
    set(C::ControlsLost, st.controls_lost[i]);
    set(C::NSafeguard, f64::from(st.safeguard_rounds[i]));
    set(C::SafeguardBlocked, st.blocked_lost[i]);
    set(
        C::NConcedeHedge,
        f64::from(c[Action::ConcedeHedge as usize]),
    );
    set(C::NBandwagon, f64::from(c[Action::Bandwagon as usize]));
    set(C::NDeals, f64::from(tallies.deals[i]));
    set(C::NRenege, f64::from(tallies.reneges[i]));
    set(C::DealRounds, f64::from(tallies.deal_rounds[i]));
    set(C::DefenseChange, st.defense[i] - ctx.actors[i].defense);
    let shares = export_shares(ctx, &st.exports, mask, i);
    set(C::ShareHegemon, shares[0]);
    set(C::ShareRival, shares[1]);
    set(C::ShareBloc, shares[2]);
    set(C::ShareRest, shares[3]);
    debug_assert_eq!(
        seen.count_ones() as usize,
        ActorColumn::ALL.len(),
        "a column not set"
    );
    a
}

/// The ingredients of tournament payoffs (MODEL.md 3.7).
fn payoff(
    ctx: &Ctx,
    st: &State,
    tallies: &Tallies,
    allies: &[usize],
    cohesion: Option<f64>,
) -> Payoff {
    let h = ctx.h;
    let rounds = f64::from(ctx.rounds.max(1));
    let security_cost: Vec<f64> = (0..ctx.n)
        .map(|i| {
            if i == h {
                0.0
            } else {
                tallies.security_sum[i] / rounds
            }
        })
        .collect();
    let welfare: Vec<f64> = (0..ctx.n)
        .map(|i| {
            if i == h {
                0.0
            } else {
                // 0 − x rather than −x: no cost gives a welfare of 0, not −0.
                0.0 - (welfare_loss(ctx, tallies, i) + security_cost[i])
            }
        })
        .collect();
    let defense_cost: Vec<f64> = (0..ctx.n)
        .map(|i| 100.0 * tallies.defense_sum[i] / rounds)
        .collect();
    let national: Vec<f64> = (0..ctx.n)
        .map(|i| {
            if i == h {
                0.0
            } else {
                100.0 * tallies.welfare_sum[i] / rounds - security_cost[i] - defense_cost[i]
            }
        })
        .collect();
    let years = rounds / ctx.rpy;
    Payoff {
        hegemon_national: tallies.welfare_sum[h] / rounds * ctx.actors[h].gdp * years,
        ally_national: gdp_weighted(ctx, allies, |i| national[i]),
        national,
        defense_cost,
        hegemon_rent: tallies.rent,
        hegemon_trade_loss: tallies.hegemon_trade_loss,
        hegemon_controls_loss: st.controls_lost[h],
        cohesion,
        ally_welfare: gdp_weighted(ctx, allies, |i| welfare[i]),
        security_cost,
        welfare,
    }
}
