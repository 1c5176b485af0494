//! Tournaments of strategy variants: every hegemon variant against every ally profile, the
//! same seeded runs in every cell (common random numbers), payoffs per run, rankings with
//! bootstrap intervals and the probability of ranking first, and evolutionary dynamics over
//! ally policies (replicator dynamics of a population game estimated from mixed populations,
//! a Moran process).
//!
//! Pure and deterministic: cells and chunks of runs are computed in parallel and collected in
//! (cell, run) order; every sum is folded sequentially in that order, and every resample and
//! Moran draw comes from its own ChaCha stream. Files are the CLI's business.

use statecraft_core::World;
use statecraft_core::rng::{SimRng, Stream};
use statecraft_core::scenario::Policy;

use crate::stats::quantile_sorted;

/// The bootstrap stream of a tournament's resamples (numbered apart from the metric streams).
pub const BOOTSTRAP_STREAM: u64 = 1 << 40;

/// Runs of a tournament.
#[derive(Clone, Debug)]
pub struct TournamentSpec {
    /// Seed of every cell (common random numbers).
    pub seed: u64,
    /// Runs of every cell in the whole tournament: indices `0..runs` (a shard computes a part).
    pub runs: u64,
    /// Rounds per run.
    pub rounds: u32,
    /// Weight of the final alliance cohesion in the hegemon's payoff, bn USD per unit.
    pub cohesion_weight: f64,
    /// What the payoffs measure.
    pub payoff: PayoffConcept,
}

/// What a tournament's payoffs measure (MODEL.md 3.7).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PayoffConcept {
    /// National welfare from trade theory (MODEL.md 3.4, welfare): the hegemon's over the run in
    /// bn USD; an ally's, % of GDP a year, less its expected security cost.
    #[default]
    National,
    /// The governments' books: the hegemon's rent less its lost exports and export-controls
    /// losses; an ally's realised cost and expected security cost, negated.
    Government,
}

impl PayoffConcept {
    /// The name on the command line and in manifests.
    pub fn name(self) -> &'static str {
        match self {
            PayoffConcept::National => "national",
            PayoffConcept::Government => "government",
        }
    }

    /// The concept named `name` (as [`PayoffConcept::name`] gives it), if any.
    pub fn from_name(name: &str) -> Option<PayoffConcept> {
        [PayoffConcept::National, PayoffConcept::Government]
            .into_iter()
            .find(|c| c.name() == name)
    }
}

/// The payoffs of one run of one cell.
#[derive(Clone, Debug, PartialEq)]
pub struct RunPayoff {
    /// Run index.
    pub run: u64,
    /// The hegemon's national welfare over the run (or, on the government's books, rent − trade
    /// loss − export-controls loss) + cohesion weight × cohesion, bn USD.
    pub hegemon_payoff: f64,
    /// The hegemon's rent, bn USD.
    pub rent: f64,
    /// The hegemon's net export loss, bn USD.
    pub trade_loss: f64,
    /// Final alliance cohesion (0 without treaty allies).
    pub cohesion: f64,
    /// GDP-weighted mean welfare of the allies, % of GDP per year (0 without allies).
    pub ally_welfare: f64,
    /// Welfare of each actor (the payoff concept's), % of GDP per year, by `ActorId` (0 for the
    /// hegemon).
    pub welfare: Vec<f64>,
}

impl RunPayoff {
    /// The payoffs of a finished run under `concept`.
    pub fn new(
        run: u64,
        o: &statecraft_core::Outcome,
        cohesion_weight: f64,
        concept: PayoffConcept,
    ) -> Self {
        let p = &o.payoff;
        let cohesion = p.cohesion.unwrap_or(0.0);
        let (hegemon, welfare, ally_welfare) = match concept {
            PayoffConcept::Government => (
                p.hegemon_rent - p.hegemon_trade_loss - p.hegemon_controls_loss,
                p.welfare.clone(),
                p.ally_welfare.unwrap_or(0.0),
            ),
            PayoffConcept::National => (
                p.hegemon_national,
                p.national.clone(),
                p.ally_national.unwrap_or(0.0),
            ),
        };
        RunPayoff {
            run,
            hegemon_payoff: hegemon + cohesion_weight * cohesion,
            rent: p.hegemon_rent,
            trade_loss: p.hegemon_trade_loss,
            cohesion,
            ally_welfare,
            welfare,
        }
    }
}

/// Runs `first..end` (`runs`) of every cell (each cell a world: one hegemon variant and one ally
/// profile), through the same in-order scheduler as batches and sweep points: the cells' runs
/// are numbered cell-major and cut into chunks, which may span cells. Returns, for each cell in
/// the order given, its runs in index order. `progress(k)` is called as chunks of k runs
/// finish. Identical on any number of threads.
pub fn run_cells(
    cells: &[&World],
    spec: &TournamentSpec,
    runs: (u64, u64),
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Vec<RunPayoff>> {
    let cohesion_weight = spec.cohesion_weight;
    let concept = spec.payoff;
    crate::run_blocks(
        cells,
        (spec.seed, spec.rounds),
        runs,
        |r, o| RunPayoff::new(r, o, cohesion_weight, concept),
        progress,
    )
}

/// A mean with a percentile bootstrap interval.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Estimate {
    /// Mean over runs.
    pub mean: f64,
    /// Lower end of the 95% interval.
    pub lo: f64,
    /// Upper end of the 95% interval.
    pub hi: f64,
}

/// One cell's summary.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CellSummary {
    /// Hegemon variant index.
    pub hegemon: usize,
    /// Ally profile index.
    pub allies: usize,
    /// Runs.
    pub runs: u64,
    /// The hegemon's payoff, bn USD.
    pub hegemon_payoff: Estimate,
    /// Mean rent, bn USD.
    pub rent: f64,
    /// Mean trade loss, bn USD.
    pub trade_loss: f64,
    /// Mean cohesion.
    pub cohesion: f64,
    /// The allies' GDP-weighted welfare, % of GDP per year.
    pub ally_welfare: Estimate,
    /// Mean welfare of each actor, % of GDP per year.
    pub welfare: Vec<f64>,
}

/// One variant's place in a ranking.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Ranked {
    /// Variant index.
    pub variant: usize,
    /// Rank, 1 = best (highest mean; ties keep the order given).
    pub rank: usize,
    /// Its score: mean over runs of its mean payoff across the opponents, with the interval.
    pub score: Estimate,
    /// Share of bootstrap resamples in which it has the highest mean (ties split).
    pub p_first: f64,
}

/// The statistics of a tournament.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Analysis {
    /// Cells, hegemon-major (`h * allies + a`).
    pub cells: Vec<CellSummary>,
    /// Hegemon variants by rank, scored on their payoff averaged over the ally profiles.
    pub hegemon_ranking: Vec<Ranked>,
    /// Ally profiles by rank, scored on ally welfare averaged over the hegemon variants.
    pub ally_ranking: Vec<Ranked>,
    /// Bootstrap resamples behind the intervals and `p_first`.
    pub resamples: usize,
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// The series whose means a tournament's bootstrap resamples (`cells` hegemon-major with `na`
/// ally profiles per hegemon variant): every cell's hegemon payoff and ally welfare, then each
/// hegemon variant's score (its payoff averaged over the ally profiles, run by run) and each
/// ally profile's score (ally welfare averaged over the hegemon variants).
fn resampled_series(cells: &[Vec<RunPayoff>], na: usize) -> Vec<Vec<f64>> {
    let nc = cells.len();
    let nh = nc / na.max(1);
    let n = cells.first().map_or(0, Vec::len);
    let mut series: Vec<Vec<f64>> = Vec::with_capacity(2 * nc + nh + na);
    for c in cells {
        series.push(c.iter().map(|r| r.hegemon_payoff).collect());
    }
    for c in cells {
        series.push(c.iter().map(|r| r.ally_welfare).collect());
    }
    for h in 0..nh {
        series.push(
            (0..n)
                .map(|r| {
                    (0..na)
                        .map(|a| cells[h * na + a][r].hegemon_payoff)
                        .sum::<f64>()
                        / na as f64
                })
                .collect(),
        );
    }
    for a in 0..na {
        series.push(
            (0..n)
                .map(|r| {
                    (0..nh)
                        .map(|h| cells[h * na + a][r].ally_welfare)
                        .sum::<f64>()
                        / nh as f64
                })
                .collect(),
        );
    }
    series
}

/// `boot[s][b]`: the mean of series s in resample b, every series resampled with the same run
/// indices (n runs each), drawn from the stream (seed, Bootstrap, [`BOOTSTRAP_STREAM`]).
fn bootstrap_means(series: &[Vec<f64>], n: usize, resamples: usize, seed: u64) -> Vec<Vec<f64>> {
    let k = series.len();
    let mut boot = vec![vec![0.0; resamples]; k];
    if n > 0 {
        let mut rng = SimRng::new(seed, Stream::Bootstrap, BOOTSTRAP_STREAM);
        let mut sums = vec![0.0; k];
        for b in 0..resamples {
            sums.fill(0.0);
            for _ in 0..n {
                let r = ((rng.open01() * n as f64) as usize).min(n - 1);
                for (s, x) in sums.iter_mut().zip(series) {
                    *s += x[r];
                }
            }
            for s in 0..k {
                boot[s][b] = sums[s] / n as f64;
            }
        }
    }
    boot
}

/// Percentile bootstrap analysis of a tournament's runs (`cells` as [`run_cells`] returns them,
/// hegemon-major with `na` ally profiles per hegemon variant; every cell has the same runs).
/// Each resample draws the run indices once for every cell and variant (paired: common random
/// numbers), from the stream (seed, Bootstrap, [`BOOTSTRAP_STREAM`]).
pub fn analyse(cells: &[Vec<RunPayoff>], na: usize, resamples: usize, seed: u64) -> Analysis {
    let nc = cells.len();
    let nh = nc / na.max(1);
    let n = cells.first().map_or(0, Vec::len);
    let series = resampled_series(cells, na);
    let boot = bootstrap_means(&series, n, resamples, seed);
    let estimate = |s: usize| -> Estimate {
        let m = if n > 0 { mean(&series[s]) } else { 0.0 };
        if resamples == 0 || n == 0 {
            return Estimate {
                mean: m,
                lo: m,
                hi: m,
            };
        }
        let mut sorted = boot[s].clone();
        sorted.sort_by(f64::total_cmp);
        Estimate {
            mean: m,
            lo: quantile_sorted(&sorted, 0.025),
            hi: quantile_sorted(&sorted, 0.975),
        }
    };
    let cell_summaries = (0..nc)
        .map(|c| {
            let runs = &cells[c];
            let actors = runs.first().map_or(0, |r| r.welfare.len());
            let avg = |f: &dyn Fn(&RunPayoff) -> f64| {
                if n > 0 {
                    runs.iter().map(f).sum::<f64>() / n as f64
                } else {
                    0.0
                }
            };
            CellSummary {
                hegemon: c / na,
                allies: c % na,
                runs: n as u64,
                hegemon_payoff: estimate(c),
                rent: avg(&|r| r.rent),
                trade_loss: avg(&|r| r.trade_loss),
                cohesion: avg(&|r| r.cohesion),
                ally_welfare: estimate(nc + c),
                welfare: (0..actors).map(|i| avg(&|r| r.welfare[i])).collect(),
            }
        })
        .collect();
    let rank = |base: usize, count: usize| -> Vec<Ranked> {
        let mut first = vec![0.0; count];
        for b in 0..resamples {
            let best = (0..count)
                .map(|v| boot[base + v][b])
                .fold(f64::NEG_INFINITY, f64::max);
            let tied: Vec<usize> = (0..count).filter(|&v| boot[base + v][b] == best).collect();
            for v in &tied {
                first[*v] += 1.0 / tied.len() as f64;
            }
        }
        let mut order: Vec<usize> = (0..count).collect();
        let means: Vec<f64> = (0..count).map(|v| estimate(base + v).mean).collect();
        order.sort_by(|&x, &y| means[y].total_cmp(&means[x]));
        order
            .iter()
            .enumerate()
            .map(|(pos, &v)| Ranked {
                variant: v,
                rank: pos + 1,
                score: estimate(base + v),
                p_first: if resamples > 0 {
                    first[v] / resamples as f64
                } else {
                    0.0
                },
            })
            .collect()
    };
    Analysis {
        cells: cell_summaries,
        hegemon_ranking: rank(2 * nc, nh),
        ally_ranking: rank(2 * nc + nh, na),
        resamples,
    }
}

/// The allies of a world: every actor but the hegemon and the rival, in actor order.
pub fn allies_of(world: &World) -> Vec<usize> {
    (0..world.n())
        .filter(|&i| i != world.hegemon && Some(i) != world.rival)
        .collect()
}

/// The payoff matrix of a population game among ally policies, estimated by simulation:
/// `A[p][q]` is the mean welfare (% of GDP per year) of an ally playing `policies[p]` when the
/// other allies play `policies[q]`, averaged over `worlds` (one per hegemon variant; their own
/// ally policies are replaced) and over runs `0..runs` (common random numbers).
/// For p ≠ q the allies alternate p, q, p, ... in actor order, and again q, p, q, ...; `A[p][q]`
/// is the mean welfare of the p-holders over both profiles, each ally counting once (an
/// individual of the population). `A[p][p]` is the mean welfare of all allies when all play p.
pub fn ally_game(
    worlds: &[&World],
    policies: &[Policy],
    spec: &TournamentSpec,
    runs: u64,
) -> Vec<Vec<f64>> {
    let k = policies.len();
    // The profiles to simulate, per hegemon world: (p, q, first): allies alternate starting
    // with p when `first`, with q otherwise; p == q is the homogeneous profile.
    let mut profiles: Vec<(usize, usize, bool)> = Vec::new();
    for p in 0..k {
        profiles.push((p, p, true));
        for q in (p + 1)..k {
            profiles.push((p, q, true));
            profiles.push((p, q, false));
        }
    }
    let mut cells: Vec<World> = Vec::with_capacity(worlds.len() * profiles.len());
    let mut holders: Vec<Vec<usize>> = Vec::with_capacity(cells.capacity());
    for w in worlds {
        let allies = allies_of(w);
        for &(p, q, first) in &profiles {
            let mut c = (*w).clone();
            let mut hold = Vec::with_capacity(allies.len());
            for (slot, &i) in allies.iter().enumerate() {
                let pick = if (slot % 2 == 0) == first { p } else { q };
                c.policy[i] = policies[pick].clone();
                hold.push(pick);
            }
            cells.push(c);
            holders.push(hold);
        }
    }
    let refs: Vec<&World> = cells.iter().collect();
    let done = run_cells(&refs, spec, (0, runs), &|_| {});
    // Sums and counts of (p-holder welfare against q), folded in cell and run order.
    let mut sum = vec![vec![0.0; k]; k];
    let mut count = vec![vec![0.0; k]; k];
    for (c, recs) in done.iter().enumerate() {
        let w = worlds[c / profiles.len()];
        let (p, q, _) = profiles[c % profiles.len()];
        let allies = allies_of(w);
        for r in recs {
            for (slot, &i) in allies.iter().enumerate() {
                let mine = holders[c][slot];
                let other = if mine == p { q } else { p };
                sum[mine][other] += r.welfare[i];
                count[mine][other] += 1.0;
            }
        }
    }
    (0..k)
        .map(|p| {
            (0..k)
                .map(|q| {
                    if count[p][q] > 0.0 {
                        sum[p][q] / count[p][q]
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect()
}

/// Discrete replicator dynamics (Taylor & Jonker 1978) of the population game with payoff
/// matrix `a`: from equal shares, f = A·x, f̄ = x·f, and x_p ← x_p·(1 + dt·(f_p − f̄)/R), R the
/// range of A's entries (so that every factor stays non-negative for dt in (0, 1]),
/// renormalised. Returns the shares after each step, step 0 first (`steps + 1` rows).
pub fn replicator(a: &[Vec<f64>], steps: usize, dt: f64) -> Vec<Vec<f64>> {
    let k = a.len();
    let mut x = vec![1.0 / k as f64; k];
    let mut path = vec![x.clone()];
    let (lo, hi) = a
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
    let range = hi - lo;
    let mut f = vec![0.0; k];
    for _ in 0..steps {
        if range > 0.0 {
            for p in 0..k {
                f[p] = (0..k).map(|q| a[p][q] * x[q]).sum();
            }
            let fbar: f64 = (0..k).map(|p| x[p] * f[p]).sum();
            for p in 0..k {
                x[p] = (x[p] * (1.0 + dt * (f[p] - fbar) / range)).max(0.0);
            }
            let total: f64 = x.iter().sum();
            for s in x.iter_mut() {
                *s /= total;
            }
        }
        path.push(x.clone());
    }
    path
}

/// A Moran process over the allies of one world.
#[derive(Clone, Debug)]
pub struct MoranSpec {
    /// Seed of the runs and of the process.
    pub seed: u64,
    /// Stream number of the process (e.g. the hegemon variant's index).
    pub stream: u64,
    /// Birth-death steps at most (the process stops at fixation).
    pub steps: usize,
    /// Runs (indices `0..runs`, the same every step) over which fitness is averaged.
    pub runs: u64,
    /// Rounds per run.
    pub rounds: u32,
    /// Selection intensity β: fitness exp(β·(welfare − baseline)), welfare in % of GDP.
    pub intensity: f64,
    /// Per actor (by `ActorId`): the welfare subtracted from its payoff, so that selection
    /// compares policies rather than countries (e.g. its mean welfare over the policies).
    pub baseline: Vec<f64>,
    /// What the allies' welfare measures.
    pub payoff: PayoffConcept,
}

/// The policy index of each ally after each step of a Moran process.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MoranPath {
    /// The allies (actor ids) that make up the population.
    pub allies: Vec<usize>,
    /// Row s: each ally's policy index after step s (row 0: the seeded population).
    pub population: Vec<Vec<usize>>,
    /// The policy that took over the whole population, if one did.
    pub fixated: Option<usize>,
}

/// Each actor's baseline welfare for a Moran process against one hegemon variant (see
/// [`MoranSpec::baseline`]): its mean welfare in each of that variant's cells (`row`, one per
/// ally policy, as [`run_cells`] returns them), averaged over the cells, so that selection
/// compares policies rather than countries. `actors`: the number of actors of the world.
pub fn moran_baseline(row: &[Vec<RunPayoff>], actors: usize) -> Vec<f64> {
    (0..actors)
        .map(|i| {
            row.iter()
                .map(|c| c.iter().map(|r| r.welfare[i]).sum::<f64>() / c.len() as f64)
                .sum::<f64>()
                / row.len() as f64
        })
        .collect()
}

/// A Moran birth-death process (Moran 1958; Nowak et al. 2004) over the allies of `world`
/// (every actor but the hegemon and the rival), each holding one of `policies`. The seeded
/// population gives each ally a policy drawn uniformly. Each step runs the world with the
/// population's policies over runs `0..runs` (the same runs every step: common random
/// numbers), takes each ally's mean welfare w_i less its baseline b_i as its payoff, picks a
/// parent with probability ∝ exp(β·(w_i − b_i)) (Traulsen et al.'s exponential fitness) and,
/// uniformly among the other allies, one that adopts the parent's policy. All draws come from
/// (seed, Evolution, stream).
pub fn moran(world: &World, policies: &[Policy], spec: &MoranSpec) -> MoranPath {
    let allies = allies_of(world);
    let mut rng = SimRng::new(spec.seed, Stream::Evolution, spec.stream);
    let k = policies.len().max(1);
    let mut pop: Vec<usize> = allies
        .iter()
        .map(|_| ((rng.open01() * k as f64) as usize).min(k - 1))
        .collect();
    let mut path = vec![pop.clone()];
    let fixed = |pop: &[usize]| pop.iter().all(|&p| p == pop[0]);
    let mut w = world.clone();
    for _ in 0..spec.steps {
        if allies.len() < 2 || fixed(&pop) {
            break;
        }
        for (slot, &i) in allies.iter().enumerate() {
            w.policy[i] = policies[pop[slot]].clone();
        }
        let t = TournamentSpec {
            seed: spec.seed,
            runs: spec.runs,
            rounds: spec.rounds,
            cohesion_weight: 0.0,
            payoff: spec.payoff,
        };
        let cell = run_cells(&[&w], &t, (0, spec.runs), &|_| {});
        let runs = &cell[0];
        let payoff: Vec<f64> = allies
            .iter()
            .map(|&i| {
                runs.iter().map(|r| r.welfare[i]).sum::<f64>() / runs.len().max(1) as f64
                    - spec.baseline.get(i).copied().unwrap_or(0.0)
            })
            .collect();
        let top = payoff.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let fit: Vec<f64> = payoff
            .iter()
            .map(|p| (spec.intensity * (p - top)).exp())
            .collect();
        let total: f64 = fit.iter().sum();
        let (u, v) = (rng.open01(), rng.open01());
        let mut acc = 0.0;
        let mut parent = allies.len() - 1;
        for (slot, f) in fit.iter().enumerate() {
            acc += f;
            if u * total < acc {
                parent = slot;
                break;
            }
        }
        let mut dead = ((v * (allies.len() - 1) as f64) as usize).min(allies.len() - 2);
        if dead >= parent {
            dead += 1;
        }
        pop[dead] = pop[parent];
        path.push(pop.clone());
    }
    MoranPath {
        fixated: pop.first().copied().filter(|_| fixed(&pop)),
        allies,
        population: path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(h: f64, a: f64, n: usize) -> Vec<RunPayoff> {
        (0..n)
            .map(|r| RunPayoff {
                run: r as u64,
                hegemon_payoff: h + (r % 7) as f64,
                rent: h,
                trade_loss: 0.0,
                cohesion: 0.0,
                ally_welfare: a - (r % 5) as f64,
                welfare: vec![0.0, a],
            })
            .collect()
    }

    #[test]
    fn a_clear_winner_ranks_first_with_certainty() {
        // Two hegemon variants x two ally profiles; hegemon 1 is better by 100 everywhere,
        // ally profile 0 better by 50.
        let cells = vec![
            cell(0.0, 0.0, 200),
            cell(0.0, -50.0, 200),
            cell(100.0, 0.0, 200),
            cell(100.0, -50.0, 200),
        ];
        let a = analyse(&cells, 2, 500, 3);
        assert_eq!(a.hegemon_ranking[0].variant, 1);
        assert_eq!(a.hegemon_ranking[0].p_first, 1.0);
        assert_eq!(a.hegemon_ranking[1].p_first, 0.0);
        assert_eq!(a.ally_ranking[0].variant, 0);
        assert_eq!(a.ally_ranking[0].rank, 1);
        let s = a.hegemon_ranking[0].score;
        assert!(
            s.lo <= s.mean && s.mean <= s.hi && s.hi - s.lo < 2.0,
            "{s:?}"
        );
        let direct = cells[2].iter().map(|r| r.hegemon_payoff).sum::<f64>() / 200.0;
        assert_eq!(a.cells[2].hegemon_payoff.mean, direct);
        // Seeded: the same inputs give the same analysis.
        assert_eq!(a, analyse(&cells, 2, 500, 3));
    }

    #[test]
    fn identical_variants_share_first_place() {
        let cells = vec![cell(5.0, 1.0, 50), cell(5.0, 1.0, 50)];
        let a = analyse(&cells, 1, 100, 1);
        assert_eq!(a.hegemon_ranking[0].p_first, 0.5);
        assert_eq!(a.hegemon_ranking[1].p_first, 0.5);
        assert_eq!(a.hegemon_ranking[0].variant, 0);
    }

    #[test]
    fn replicator_finds_the_mixed_equilibrium_of_hawk_dove() {
        // Hawk-dove with V = 2, C = 4: hawks earn (V − C)/2 = −1 against hawks, V = 2 against
        // doves; doves 0 and V/2 = 1. The evolutionarily stable share of hawks is V/C = 1/2.
        let a = vec![vec![-1.0, 2.0], vec![0.0, 1.0]];
        let path = replicator(&a, 2000, 1.0);
        assert_eq!(path.len(), 2001);
        for x in &path {
            assert!((x.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            assert!(x.iter().all(|&s| s >= 0.0));
        }
        let last = path.last().unwrap();
        assert!((last[0] - 0.5).abs() < 1e-9, "{last:?}");
        // Starting off the equilibrium, it gets there too.
        let b = vec![
            vec![-1.0, 2.0, 2.0],
            vec![0.0, 1.0, 1.0],
            vec![0.0, 1.0, 1.0],
        ];
        let last = replicator(&b, 5000, 1.0).pop().unwrap();
        assert!((last[0] - 0.5).abs() < 1e-6, "{last:?}");
    }

    #[test]
    fn replicator_selects_a_dominant_policy() {
        // Policy 1 does better against everyone.
        let a = vec![
            vec![-3.0, -3.0, -3.0],
            vec![-1.0, -1.0, -1.0],
            vec![-2.0, -2.0, -2.0],
        ];
        let last = replicator(&a, 400, 1.0).pop().unwrap();
        assert!(last[1] > 0.999, "{last:?}");
        // Equal payoffs: nothing moves.
        let flat = replicator(&[vec![2.0, 2.0], vec![2.0, 2.0]], 10, 1.0);
        assert_eq!(flat[10], vec![0.5, 0.5]);
    }

    #[test]
    fn moran_baselines_are_each_actors_mean_welfare_over_the_cells() {
        // Two cells (ally policies) of 2 and 4 runs, two actors: actor 1's welfare averages
        // (1 + 3)/2 = 2 in the first cell and (0 + 0 + 4 + 8)/4 = 3 in the second, so its
        // baseline is (2 + 3)/2 = 2.5; actor 0's is (-1 + -3)/2 = -2.
        let run = |w0: f64, w1: f64| RunPayoff {
            run: 0,
            hegemon_payoff: 0.0,
            rent: 0.0,
            trade_loss: 0.0,
            cohesion: 0.0,
            ally_welfare: 0.0,
            welfare: vec![w0, w1],
        };
        let row = vec![
            vec![run(-1.0, 1.0), run(-1.0, 3.0)],
            vec![
                run(-3.0, 0.0),
                run(-3.0, 0.0),
                run(-3.0, 4.0),
                run(-3.0, 8.0),
            ],
        ];
        assert_eq!(moran_baseline(&row, 2), vec![-2.0, 2.5]);
    }
}
