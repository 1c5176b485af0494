//! Outcome metrics of one run (DESIGN.md 2.4), per-actor results and trajectory rows.
//!
//! Every metric is defined here once; `MODEL.md` repeats the definitions for readers.

use crate::rules::Ctx;
use crate::scenario::Stage;
use crate::state::State;
use crate::strategy::Action;
use crate::world::World;

/// The fixed run-level metrics, in column order. Per-bloc columns follow (see
/// [`metric_names`]).
pub const METRICS: [&str; 18] = [
    "hegemon_rent",
    "hegemon_consumer_cost",
    "ally_welfare_loss",
    "alliance_cohesion",
    "first_rupture_round",
    "regional_trade_share",
    "fragmentation",
    "export_hhi_change",
    "multipolarity",
    "mean_autonomy",
    "allies_at_3_5pct",
    "share_concede",
    "share_retaliate",
    "share_hedge",
    "share_concede_hedge",
    "share_bandwagon",
    "rounds_to_truce",
    "court_ruling_round",
];

/// Names of every run-level metric of a world: [`METRICS`], then `accessions_<bloc>` and
/// `pending_<bloc>` for each bloc.
pub fn metric_names(world: &World) -> Vec<String> {
    let mut names: Vec<String> = METRICS.iter().map(|s| s.to_string()).collect();
    for b in &world.blocs {
        names.push(format!("accessions_{}", b.name));
    }
    for b in &world.blocs {
        names.push(format!("pending_{}", b.name));
    }
    names
}

/// Names of the per-actor result columns, in [`ActorOutcome::values`] order.
pub const ACTOR_COLUMNS: [&str; 16] = [
    "tariff",
    "tariff_eff",
    "counter_tariff",
    "credibility",
    "autonomy",
    "hedge",
    "alignment",
    "defense",
    "paid",
    "welfare_loss",
    "exports_to_hegemon",
    "n_concede",
    "n_retaliate",
    "n_hedge",
    "n_concede_hedge",
    "n_bandwagon",
];

/// Results of one actor at the end of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct ActorOutcome {
    /// Values in [`ACTOR_COLUMNS`] order.
    pub values: [f64; 16],
}

/// The results of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Run-level metrics in [`metric_names`] order; `None` where a metric is undefined for the
    /// run (no rupture, no truce, no ruling).
    pub metrics: Vec<Option<f64>>,
    /// Per-actor results, by `ActorId`.
    pub actors: Vec<ActorOutcome>,
    /// Stage of actor i in bloc b at the end of the run (`i * blocs + b`), `None` if not
    /// involved.
    pub stages: Vec<Option<Stage>>,
    /// What the strategies of a tournament are scored on.
    pub payoff: Payoff,
}

/// The ingredients of tournament payoffs (MODEL.md 3.7).
#[derive(Clone, Debug, PartialEq)]
pub struct Payoff {
    /// The hegemon's rent (tariff revenue and payments), bn USD: `hegemon_rent`.
    pub hegemon_rent: f64,
    /// The hegemon's net export loss to counter-tariffs over the run, Σ_t Σ_j (X_Hj(0) −
    /// X_Hj(t))/rpy over partners and the rest of the world (re-routed exports netted), bn USD.
    pub hegemon_trade_loss: f64,
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
    /// The actor's own regional trade share: its exports to partners sharing a regional bloc
    /// in force over its total exports (rest of world included), 0 if it exports nothing.
    /// The run-level `regional_trade_share` is the same ratio summed over allies.
    pub regional_trade_share: f64,
    /// The action of the round (`None` for the hegemon).
    pub action: Option<Action>,
}

/// Herfindahl index of one exporter's destinations (rest of world included).
pub(crate) fn hhi(row: &[f64]) -> f64 {
    let total: f64 = row.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    row.iter().map(|x| (x / total) * (x / total)).sum()
}

/// Exports of actor `i` to partners sharing a regional bloc in force with it (`mask`: one bit
/// per regional bloc, per actor), and its total exports (rest of world included).
pub(crate) fn regional_exports(n: usize, i: usize, exports: &[f64], mask: &[u64]) -> (f64, f64) {
    let cols = n + 1;
    let (mut regional, mut total) = (0.0, 0.0);
    for j in 0..cols {
        let x = exports[i * cols + j];
        total += x;
        if j < n && j != i && mask[i] & mask[j] != 0 {
            regional += x;
        }
    }
    (regional, total)
}

/// Share of world trade (actors' exports, rest of world included) between partners that
/// share no regional bloc in force (`mask`: one bit per regional bloc, per actor). Exports to
/// the rest of the world always cross.
pub(crate) fn crossing_share(n: usize, exports: &[f64], mask: &[u64]) -> f64 {
    let cols = n + 1;
    let (mut cross, mut total) = (0.0, 0.0);
    for i in 0..n {
        for j in 0..cols {
            let x = exports[i * cols + j];
            total += x;
            if j == n || mask[i] & mask[j] == 0 {
                cross += x;
            }
        }
    }
    if total > 0.0 { cross / total } else { 0.0 }
}

/// Computes the outcome of a finished run.
pub(crate) fn outcome(ctx: &Ctx, st: &State) -> Outcome {
    let (n, h, nb) = (ctx.n, ctx.h, ctx.nb);
    let cols = n + 1;
    let w = ctx.world;
    let m = &ctx.m;
    let rounds = f64::from(ctx.rounds.max(1));
    let allies: Vec<usize> = (0..n).filter(|&i| ctx.is_ally(i)).collect();
    let treaty: Vec<usize> = allies
        .iter()
        .copied()
        .filter(|&i| w.treaty_ally[i])
        .collect();
    let gdp = |i: usize| ctx.actors[i].gdp;
    let weighted = |ids: &[usize], f: &dyn Fn(usize) -> f64| -> Option<f64> {
        let total: f64 = ids.iter().map(|&i| gdp(i)).sum();
        (total > 0.0).then(|| ids.iter().map(|&i| gdp(i) * f(i)).sum::<f64>() / total)
    };
    let mean = |ids: &[usize], f: &dyn Fn(usize) -> f64| -> Option<f64> {
        (!ids.is_empty()).then(|| ids.iter().map(|&i| f(i)).sum::<f64>() / ids.len() as f64)
    };
    let welfare = |i: usize| 100.0 * st.cost_sum[i] / rounds;

    // Regional trade share of allies at T.
    let (mut regional, mut total) = (0.0, 0.0);
    for &i in &allies {
        let (r, t) = regional_exports(n, i, &st.exports, &st.regional_mask);
        regional += r;
        total += t;
    }
    // Fragmentation: crossing share at T over crossing share at 0.
    let cross0 = w.initial_crossing_share;
    let cross_t = crossing_share(n, &st.exports, &st.regional_mask);
    let fragmentation = if cross0 > 0.0 {
        1.0 - cross_t / cross0
    } else {
        0.0
    };
    // Export concentration.
    let hhi_change = (0..n)
        .map(|i| hhi(&st.exports[i * cols..(i + 1) * cols]) - w.initial_hhi[i])
        .sum::<f64>()
        / n as f64;
    // Multipolarity over the poles' shares of trade (exports plus imports from actors).
    let poles: Vec<usize> = (0..n).filter(|&i| w.pole[i]).collect();
    let pole_trade: Vec<f64> = poles
        .iter()
        .map(|&k| {
            let exports: f64 = st.exports[k * cols..(k + 1) * cols].iter().sum();
            let imports: f64 = (0..n).map(|i| st.exports[i * cols + k]).sum();
            exports + imports
        })
        .collect();
    let pole_total: f64 = pole_trade.iter().sum();
    let multipolarity = (pole_total > 0.0).then(|| {
        1.0 / pole_trade
            .iter()
            .map(|x| (x / pole_total) * (x / pole_total))
            .sum::<f64>()
    });
    // Action shares over ally-rounds.
    let mut counts = [0u64; 5];
    for &i in &allies {
        for k in 0..5 {
            counts[k] += u64::from(st.counts[i][k]);
        }
    }
    let ally_rounds: u64 = counts.iter().sum();
    let share = |k: usize| (ally_rounds > 0).then(|| counts[k] as f64 / ally_rounds as f64);

    let mut metrics = vec![
        Some(st.rent),
        Some(100.0 * st.consumer_cost_sum / rounds),
        weighted(&allies, &welfare),
        weighted(&treaty, &|i| st.cred[i]),
        st.first_rupture.map(f64::from),
        (total > 0.0).then(|| regional / total),
        Some(fragmentation),
        Some(hhi_change),
        multipolarity,
        mean(&allies, &|i| st.autonomy[i]),
        mean(&treaty, &|i| {
            if st.defense[i] >= m.defense_benchmark {
                1.0
            } else {
                0.0
            }
        }),
        share(0),
        share(1),
        share(2),
        share(3),
        share(4),
        match (st.rival_first_retaliation, st.truce) {
            (Some(a), Some(b)) => Some(f64::from(b - a)),
            _ => None,
        },
        st.court_round.map(f64::from),
    ];
    // A membership counts once it has been in force (MODEL.md 3.4, phase 7): one that came
    // into force in the last round, from a round the run does not have, is still pending.
    let end = i64::from(ctx.rounds);
    let in_force = |idx: usize| st.stage[idx] == Some(Stage::InForce) && st.since[idx] < end;
    for b in 0..nb {
        let joined = (0..n)
            .filter(|&i| {
                in_force(i * nb + b) && w.initial_stage[i * nb + b] != Some(Stage::InForce)
            })
            .count();
        metrics.push(Some(joined as f64));
    }
    for b in 0..nb {
        let pending = (0..n)
            .filter(|&i| st.stage[i * nb + b].is_some() && !in_force(i * nb + b))
            .count();
        metrics.push(Some(pending as f64));
    }

    let actors = (0..n)
        .map(|i| {
            let e = if i == h { 0.0 } else { ctx.actors[i].exposure };
            let c = st.counts[i];
            ActorOutcome {
                values: [
                    st.tariff[i],
                    e * st.tariff[i],
                    st.counter[i],
                    st.cred[i],
                    st.autonomy[i],
                    st.hedge[i],
                    st.align[i],
                    st.defense[i],
                    st.paid[i],
                    if i == h { 0.0 } else { welfare(i) },
                    if i == h {
                        0.0
                    } else {
                        st.exports[i * cols + h]
                    },
                    f64::from(c[0]),
                    f64::from(c[1]),
                    f64::from(c[2]),
                    f64::from(c[3]),
                    f64::from(c[4]),
                ],
            }
        })
        .collect();
    let security_cost: Vec<f64> = (0..n)
        .map(|i| {
            if i == h {
                0.0
            } else {
                st.security_sum[i] / rounds
            }
        })
        .collect();
    let total_welfare: Vec<f64> = (0..n)
        .map(|i| {
            if i == h {
                0.0
            } else {
                // 0 − x rather than −x: no cost gives a welfare of 0, not −0.
                0.0 - (welfare(i) + security_cost[i])
            }
        })
        .collect();
    let payoff = Payoff {
        hegemon_rent: st.rent,
        hegemon_trade_loss: st.hegemon_trade_loss,
        cohesion: metrics[3],
        ally_welfare: weighted(&allies, &|i| total_welfare[i]),
        security_cost,
        welfare: total_welfare,
    };
    Outcome {
        metrics,
        actors,
        payoff,
        stages: st.stage.clone(),
    }
}
