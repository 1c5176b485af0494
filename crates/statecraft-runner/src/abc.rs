//! Approximate Bayesian computation over pattern quantities: a distance, a tolerance
//! schedule, and local-linear regression adjustment (Beaumont, Zhang & Balding 2002, "Approximate
//! Bayesian Computation in Population Genetics", Genetics 162: 2025-2035).
//!
//! Every run of a batch on the priors gives a vector of pattern quantities. Its *gap* to the
//! record is, per pattern, the quantity minus its observed value (or, for a pattern stated as a
//! test only, the distance of the quantity to the test's region: 0 inside), divided by the
//! gap's prior-predictive standard deviation; the run's distance is the Euclidean norm of
//! its scaled gaps over the *binding* patterns. The tolerance schedule accepts the closest
//! runs at shrinking shares (each step halves the share, down to the final tolerance), and
//! reports the rejection posterior at each step, so a reader sees whether it has settled. The
//! final step's accepted runs are the rejection posterior. With adjustment, each accepted run
//! gets the Epanechnikov weight 1 − (d/ε)² and every
//! continuous parameter, on an unbounded scale (the logit of its position in its prior's
//! support, on the log scale for a log-uniform prior), is regressed on the scaled gaps by
//! weighted least squares; the adjusted value θ − β·gap is θ carried to the record's gap of 0.
//! A systematic resample by weight then gives the unweighted posterior sample that the fits
//! and the emitted scenarios use. Pure arithmetic: no randomness, no I/O.

use statecraft_core::{Dist, Param};

use crate::patterns::Test;
use crate::stats::{mean_sd, spread_sorted};

/// How a parameter is carried to an unbounded scale for the regression.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// logit((x − lo)/(hi − lo)).
    Linear(f64, f64),
    /// logit((ln x − ln lo)/(ln hi − ln lo)): a log-uniform prior.
    Log(f64, f64),
    /// Unbounded: x itself.
    Free,
    /// A discrete prior (`Choice`): never adjusted.
    Discrete,
}

impl Scale {
    /// The scale of a parameter with prior `prior` on the support [lo, hi].
    pub fn of(prior: &Param, lo: f64, hi: f64) -> Scale {
        match prior {
            Param::Dist(Dist::Choice(_)) => Scale::Discrete,
            Param::Dist(Dist::LogUniform(..) | Dist::LogTruncNormal(..)) if lo > 0.0 => {
                Scale::Log(lo, hi)
            }
            _ if lo.is_finite() && hi.is_finite() && hi > lo => Scale::Linear(lo, hi),
            _ => Scale::Free,
        }
    }

    /// Position in (0, 1) of x in [lo, hi], kept off the edges so that the logit is finite.
    fn unit(a: f64, lo: f64, hi: f64) -> f64 {
        ((a - lo) / (hi - lo)).clamp(1e-9, 1.0 - 1e-9)
    }

    /// x on the unbounded scale.
    pub fn to_free(self, x: f64) -> f64 {
        let logit = |p: f64| (p / (1.0 - p)).ln();
        match self {
            Scale::Linear(lo, hi) => logit(Scale::unit(x, lo, hi)),
            Scale::Log(lo, hi) => logit(Scale::unit(x.max(lo).ln(), lo.ln(), hi.ln())),
            Scale::Free | Scale::Discrete => x,
        }
    }

    /// Back from the unbounded scale.
    pub fn from_free(self, y: f64) -> f64 {
        let expit = |y: f64| 1.0 / (1.0 + (-y).exp());
        match self {
            Scale::Linear(lo, hi) => lo + (hi - lo) * expit(y),
            Scale::Log(lo, hi) => (lo.ln() + (hi.ln() - lo.ln()) * expit(y)).exp(),
            Scale::Free | Scale::Discrete => y,
        }
    }
}

/// One pattern as the ABC sees it.
#[derive(Clone, Debug)]
pub struct Summary {
    /// The observed value of the quantity, if the pattern states one.
    pub observed: Option<f64>,
    /// The pattern's test (its region stands in for a missing observed value).
    pub test: Test,
    /// Whether the pattern enters the distance (binding, and stated by the caller).
    pub binding: bool,
}

impl Summary {
    /// The gap of quantity `x` to the record (NaN where `x` is undefined).
    pub fn gap(&self, x: Option<f64>) -> f64 {
        let Some(x) = x else { return f64::NAN };
        match self.observed {
            Some(o) => x - o,
            None => {
                if self.test.passes(x) {
                    return 0.0;
                }
                // A run exactly at a strict test's threshold fails it: a gap of a hair, not 0.
                let hair = |a: f64| 1e-9 * a.abs().max(1.0);
                match self.test {
                    Test::Lt(a) if x == a => hair(a),
                    Test::Gt(a) if x == a => -hair(a),
                    Test::Lt(a) | Test::Le(a) | Test::Gt(a) | Test::Ge(a) => x - a,
                    Test::Between(a, b) => {
                        if x < a {
                            x - a
                        } else {
                            x - b
                        }
                    }
                }
            }
        }
    }
}

/// The tolerance schedule: shares of runs accepted, largest first, the last the final
/// tolerance: 0.32, 0.16, ... halving while above `last`, then `last`.
pub fn schedule(last: f64) -> Vec<f64> {
    let mut q = vec![];
    let mut s = 0.32;
    while s > last * 1.000_001 {
        q.push(s);
        s /= 2.0;
    }
    q.push(last);
    q
}

/// The rejection posterior at one step of the schedule.
#[derive(Clone, Debug)]
pub struct Step {
    /// Share of runs asked for.
    pub share: f64,
    /// The tolerance ε: the distance at that share.
    pub epsilon: f64,
    /// Runs accepted (distance ≤ ε; ties at ε all count).
    pub accepted: usize,
    /// Per parameter: mean, 5% and 95% quantiles of the accepted draws.
    pub summary: Vec<[f64; 3]>,
}

/// The result.
#[derive(Clone, Debug)]
pub struct Posterior {
    /// Per pattern: the accepted runs' weighted mean gap to the record, in spreads (0 for a
    /// pattern outside the distance). Far from 0, the record lies outside the runs the model
    /// makes, and a linear adjustment to a gap of 0 extrapolates.
    pub accepted_gap: Vec<f64>,
    /// Spread of each pattern's gap over all runs (its unit in the distance).
    pub spread: Vec<f64>,
    /// Whether each pattern entered the distance (binding and with a positive spread).
    pub used: Vec<bool>,
    /// The schedule, largest tolerance first.
    pub steps: Vec<Step>,
    /// Accepted runs at the final tolerance (indices into the batch), with distance and weight.
    pub accepted: Vec<(usize, f64, f64)>,
    /// Regression coefficients per parameter (on the scaled gaps of the used patterns, in
    /// pattern order; empty for discrete parameters or without adjustment).
    pub beta: Vec<Vec<f64>>,
    /// The posterior sample: rows of (source run, parameter values), unweighted, adjusted.
    pub sample: Vec<(usize, Vec<f64>)>,
}

/// Mean, 5% and 95% quantile of `v` (NaN if empty).
pub fn mean_p5_p95(mut v: Vec<f64>) -> [f64; 3] {
    v.sort_by(f64::total_cmp);
    spread_sorted(&v).map_or([f64::NAN; 3], |s| [s.mean, s.p5, s.p95])
}

/// The standard deviation of the finite values (0 if fewer than two or constant): a gap's
/// unit in the distance. (The median absolute deviation, robust to outliers, is 0 for the
/// many action shares whose runs mostly sit at one value, and a mix of the two scales gave
/// the rare deviations of some patterns a weight the others did not get.)
pub fn spread(v: &[f64]) -> f64 {
    let x: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    if x.len() < 2 {
        return 0.0;
    }
    mean_sd(&x).1
}

/// Solves the symmetric system `a x = b` (n × n, row-major) by Gaussian elimination with
/// partial pivoting; `None` if it is singular.
fn solve(mut a: Vec<f64>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n).max_by(|&i, &j| a[i * n + c].abs().total_cmp(&a[j * n + c].abs()))?;
        if a[p * n + c].abs() < 1e-12 {
            return None;
        }
        if p != c {
            for k in 0..n {
                a.swap(p * n + k, c * n + k);
            }
            b.swap(p, c);
        }
        for r in c + 1..n {
            let f = a[r * n + c] / a[c * n + c];
            for k in c..n {
                a[r * n + k] -= f * a[c * n + k];
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0.0; n];
    for c in (0..n).rev() {
        let s: f64 = (c + 1..n).map(|k| a[c * n + k] * x[k]).sum();
        x[c] = (b[c] - s) / a[c * n + c];
    }
    Some(x)
}

/// Weighted least squares of `y` on the columns `x` (rows × k) with an intercept; returns the
/// k slopes (0 for a column without weighted variance), or zeros if the system is singular.
pub fn wls(x: &[Vec<f64>], y: &[f64], w: &[f64]) -> Vec<f64> {
    let k = x.first().map_or(0, Vec::len);
    let sw: f64 = w.iter().sum();
    if sw <= 0.0 {
        return vec![0.0; k];
    }
    // Centre on the weighted means: the intercept drops out.
    let xm: Vec<f64> = (0..k)
        .map(|j| x.iter().zip(w).map(|(r, w)| w * r[j]).sum::<f64>() / sw)
        .collect();
    let ym = y.iter().zip(w).map(|(y, w)| w * y).sum::<f64>() / sw;
    let var: Vec<f64> = (0..k)
        .map(|j| {
            x.iter()
                .zip(w)
                .map(|(r, w)| w * (r[j] - xm[j]).powi(2))
                .sum::<f64>()
                / sw
        })
        .collect();
    let cols: Vec<usize> = (0..k).filter(|&j| var[j] > 1e-12).collect();
    let n = cols.len();
    let mut a = vec![0.0; n * n];
    let mut b = vec![0.0; n];
    for ((r, &yi), &wi) in x.iter().zip(y).zip(w) {
        for (p, &cp) in cols.iter().enumerate() {
            let dp = r[cp] - xm[cp];
            b[p] += wi * dp * (yi - ym);
            for (q, &cq) in cols.iter().enumerate() {
                a[p * n + q] += wi * dp * (r[cq] - xm[cq]);
            }
        }
    }
    let mut beta = vec![0.0; k];
    if let Some(s) = solve(a, b) {
        for (p, &c) in cols.iter().enumerate() {
            beta[c] = s[p];
        }
    }
    beta
}

/// Systematic resampling: `n` indices into `w` (normalised inside), the k-th at the
/// cumulative weight (k + ½)/n. Deterministic.
pub fn systematic(w: &[f64], n: usize) -> Vec<usize> {
    let total: f64 = w.iter().sum();
    let mut out = Vec::with_capacity(n);
    let (mut cum, mut i) = (0.0, 0);
    for k in 0..n {
        let u = (k as f64 + 0.5) / n as f64 * total;
        while i + 1 < w.len() && cum + w[i] < u {
            cum += w[i];
            i += 1;
        }
        out.push(i);
    }
    out
}

/// The ABC over a batch: `quantities[r][k]` the k-th pattern's quantity in run r (None where
/// undefined), `draws[r][j]` the j-th uncertain parameter's draw in run r, `scales[j]` its
/// scale, `last` the final share of runs accepted, `adjust` whether to regression-adjust.
pub fn run(
    summaries: &[Summary],
    quantities: &[Vec<Option<f64>>],
    draws: &[Vec<f64>],
    scales: &[Scale],
    last: f64,
    adjust: bool,
) -> Posterior {
    let np = scales.len();
    let gaps: Vec<Vec<f64>> = quantities
        .iter()
        .map(|q| summaries.iter().zip(q).map(|(s, x)| s.gap(*x)).collect())
        .collect();
    let spread: Vec<f64> = (0..summaries.len())
        .map(|k| spread(&gaps.iter().map(|g| g[k]).collect::<Vec<_>>()))
        .collect();
    let used: Vec<bool> = summaries
        .iter()
        .zip(&spread)
        .map(|(s, &sp)| s.binding && sp > 0.0)
        .collect();
    let cols: Vec<usize> = (0..summaries.len()).filter(|&k| used[k]).collect();
    let scaled = |g: &[f64]| -> Vec<f64> { cols.iter().map(|&k| g[k] / spread[k]).collect() };
    let distance: Vec<f64> = gaps
        .iter()
        .map(|g| {
            let d = scaled(g).iter().map(|x| x * x).sum::<f64>().sqrt();
            if d.is_nan() { f64::INFINITY } else { d }
        })
        .collect();
    let mut sorted = distance.clone();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let steps: Vec<Step> = schedule(last)
        .into_iter()
        .map(|share| {
            let at = ((share * n as f64).ceil() as usize).clamp(1, n) - 1;
            let epsilon = sorted[at];
            let idx: Vec<usize> = (0..n).filter(|&r| distance[r] <= epsilon).collect();
            let summary = (0..np)
                .map(|j| mean_p5_p95(idx.iter().map(|&r| draws[r][j]).collect()))
                .collect();
            Step {
                share,
                epsilon,
                accepted: idx.len(),
                summary,
            }
        })
        .collect();
    let epsilon = steps.last().map_or(0.0, |s| s.epsilon);
    let (accepted, accepted_gap, beta, sample) = accept_and_adjust(
        &Accept {
            gaps: &gaps,
            distance: &distance,
            cols: &cols,
            spread: &spread,
            draws,
            scales,
            adjust,
        },
        epsilon,
        summaries.len(),
    );
    Posterior {
        accepted_gap,
        spread,
        used,
        steps,
        accepted,
        beta,
        sample,
    }
}

/// What the final step needs.
struct Accept<'a> {
    gaps: &'a [Vec<f64>],
    distance: &'a [f64],
    cols: &'a [usize],
    spread: &'a [f64],
    draws: &'a [Vec<f64>],
    scales: &'a [Scale],
    adjust: bool,
}

/// A run's gaps over the used patterns, in spreads.
fn a_scaled(c: &Accept, g: &[f64]) -> Vec<f64> {
    c.cols.iter().map(|&k| g[k] / c.spread[k]).collect()
}

/// The accepted runs at tolerance `epsilon` (with weights), their mean gaps, the regression
/// coefficients and the resampled, adjusted posterior sample.
#[allow(clippy::type_complexity)]
fn accept_and_adjust(
    c: &Accept,
    epsilon: f64,
    n_patterns: usize,
) -> (
    Vec<(usize, f64, f64)>,
    Vec<f64>,
    Vec<Vec<f64>>,
    Vec<(usize, Vec<f64>)>,
) {
    let accepted: Vec<(usize, f64, f64)> = (0..c.distance.len())
        .filter(|&r| c.distance[r] <= epsilon && c.distance[r].is_finite())
        .map(|r| {
            let w = if c.adjust && epsilon > 0.0 {
                (1.0 - (c.distance[r] / epsilon).powi(2)).max(0.0)
            } else {
                1.0
            };
            (r, c.distance[r], w)
        })
        .collect();
    // Every accepted run keeps some weight: those at exactly ε would get 0 (a tie block at ε
    // would vanish); give them the smallest positive weight of the others, or 1.
    let wmin = accepted
        .iter()
        .map(|a| a.2)
        .filter(|&w| w > 0.0)
        .fold(f64::INFINITY, f64::min);
    let accepted: Vec<(usize, f64, f64)> = accepted
        .into_iter()
        .map(|(r, d, w)| {
            let w = if w > 0.0 {
                w
            } else if wmin.is_finite() {
                wmin
            } else {
                1.0
            };
            (r, d, w)
        })
        .collect();
    let weights: Vec<f64> = accepted.iter().map(|a| a.2).collect();
    let x: Vec<Vec<f64>> = accepted.iter().map(|a| a_scaled(c, &c.gaps[a.0])).collect();
    let sw: f64 = weights.iter().sum();
    let mut accepted_gap = vec![0.0; n_patterns];
    for (j, &k) in c.cols.iter().enumerate() {
        accepted_gap[k] = x.iter().zip(&weights).map(|(r, w)| w * r[j]).sum::<f64>() / sw;
    }
    let np = c.scales.len();
    let mut beta = vec![Vec::new(); np];
    let mut adjusted: Vec<Vec<f64>> = accepted.iter().map(|a| c.draws[a.0].clone()).collect();
    if c.adjust && !c.cols.is_empty() {
        for j in 0..np {
            if c.scales[j] == Scale::Discrete {
                continue;
            }
            let y: Vec<f64> = accepted
                .iter()
                .map(|a| c.scales[j].to_free(c.draws[a.0][j]))
                .collect();
            let b = wls(&x, &y, &weights);
            for (row, (xi, yi)) in adjusted.iter_mut().zip(x.iter().zip(&y)) {
                let fit: f64 = xi.iter().zip(&b).map(|(a, b)| a * b).sum();
                row[j] = c.scales[j].from_free(yi - fit);
            }
            beta[j] = b;
        }
    }
    let sample = systematic(&weights, accepted.len())
        .into_iter()
        .map(|i| (accepted[i].0, adjusted[i].clone()))
        .collect();
    (accepted, accepted_gap, beta, sample)
}

/// Pearson correlation of two equally long samples (NaN if either is constant).
pub fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma).powi(2);
        sbb += (y - mb).powi(2);
    }
    sab / (saa * sbb).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_round_trip_and_stay_inside_the_support() {
        for s in [Scale::Linear(0.2, 0.8), Scale::Log(2.0, 200.0), Scale::Free] {
            for x in [0.25, 0.5, 0.79, 3.0, 150.0] {
                if let Scale::Linear(lo, hi) | Scale::Log(lo, hi) = s
                    && !(lo..=hi).contains(&x)
                {
                    continue;
                }
                let back = s.from_free(s.to_free(x));
                assert!(
                    (back - x).abs() < 1e-9 * x.abs().max(1.0),
                    "{s:?} {x} {back}"
                );
            }
        }
        let s = Scale::Linear(0.2, 0.8);
        assert!((0.2..=0.8).contains(&s.from_free(1e6)));
        assert!((0.2..=0.8).contains(&s.from_free(-1e6)));
    }

    #[test]
    fn gaps_measure_the_distance_to_the_observed_value_or_the_test_region() {
        let s = |observed, test| Summary {
            observed,
            test,
            binding: true,
        };
        assert_eq!(s(Some(1.0), Test::Gt(0.5)).gap(Some(0.75)), -0.25);
        assert_eq!(s(None, Test::Gt(0.5)).gap(Some(0.75)), 0.0);
        assert_eq!(s(None, Test::Gt(0.5)).gap(Some(0.25)), -0.25);
        assert!(s(None, Test::Gt(0.5)).gap(Some(0.5)) < 0.0);
        assert_eq!(s(None, Test::Ge(0.5)).gap(Some(0.5)), 0.0);
        assert_eq!(s(None, Test::Between(1.0, 2.0)).gap(Some(3.0)), 1.0);
        assert_eq!(s(None, Test::Between(1.0, 2.0)).gap(Some(0.5)), -0.5);
        assert!(s(None, Test::Lt(0.1)).gap(None).is_nan());
    }

    #[test]
    fn the_schedule_halves_down_to_the_final_share() {
        assert_eq!(schedule(0.02), vec![0.32, 0.16, 0.08, 0.04, 0.02]);
        assert_eq!(schedule(0.32), vec![0.32]);
        assert_eq!(schedule(0.5), vec![0.5]);
    }

    #[test]
    fn weighted_least_squares_recovers_a_plane_and_ignores_constant_columns() {
        let x: Vec<Vec<f64>> = (0..50)
            .map(|i| vec![i as f64 / 10.0, ((i * 7) % 11) as f64, 3.0])
            .collect();
        let y: Vec<f64> = x.iter().map(|r| 1.0 + 2.0 * r[0] - 0.5 * r[1]).collect();
        let w: Vec<f64> = (0..50).map(|i| 1.0 + (i % 3) as f64).collect();
        let b = wls(&x, &y, &w);
        assert!(
            (b[0] - 2.0).abs() < 1e-9 && (b[1] + 0.5).abs() < 1e-9,
            "{b:?}"
        );
        assert_eq!(b[2], 0.0);
    }

    #[test]
    fn systematic_resampling_follows_the_weights() {
        let idx = systematic(&[1.0, 0.0, 3.0], 8);
        assert_eq!(idx.iter().filter(|&&i| i == 0).count(), 2);
        assert_eq!(idx.iter().filter(|&&i| i == 1).count(), 0);
        assert_eq!(idx.iter().filter(|&&i| i == 2).count(), 6);
    }

    /// A toy model with a known posterior: θ ~ U(0, 1), the quantity x = θ + noise with noise
    /// uniform in ±0.05 (a deterministic grid), observed x = 0.3. The posterior concentrates at
    /// 0.3 ± 0.05; regression adjustment tightens the rejection sample around it.
    #[test]
    fn the_adjusted_posterior_centres_on_the_parameter_that_explains_the_record() {
        let n = 20_000;
        let mut q = Vec::new();
        let mut d = Vec::new();
        for r in 0..n {
            let theta = (r as f64 + 0.5) / n as f64;
            let noise = (((r * 7919) % 101) as f64 / 100.0 - 0.5) * 0.1;
            // A second parameter that the quantity does not depend on.
            let other = ((r * 104_729) % 997) as f64 / 997.0;
            q.push(vec![Some(theta + noise)]);
            d.push(vec![theta, other]);
        }
        let summaries = [Summary {
            observed: Some(0.3),
            test: Test::Between(0.25, 0.35),
            binding: true,
        }];
        let scales = [Scale::Linear(0.0, 1.0), Scale::Linear(0.0, 1.0)];
        let p = run(&summaries, &q, &d, &scales, 0.02, true);
        assert_eq!(p.steps.len(), 5);
        assert!(p.steps[0].epsilon > p.steps[4].epsilon);
        let last = &p.steps[4];
        assert!(
            (last.accepted as f64 - 400.0).abs() <= 2.0,
            "{}",
            last.accepted
        );
        let mean = |j: usize| p.sample.iter().map(|s| s.1[j]).sum::<f64>() / p.sample.len() as f64;
        assert!((mean(0) - 0.3).abs() < 0.01, "{}", mean(0));
        // The uninformed parameter keeps its prior mean and spread.
        assert!((mean(1) - 0.5).abs() < 0.05, "{}", mean(1));
        let sd0 = {
            let m = mean(0);
            (p.sample.iter().map(|s| (s.1[0] - m).powi(2)).sum::<f64>() / p.sample.len() as f64)
                .sqrt()
        };
        assert!(sd0 < 0.04, "{sd0}");
        assert_eq!(p.sample.len(), p.accepted.len());
        // A non-binding pattern leaves the distance empty: every run is at distance 0.
        let free = [Summary {
            binding: false,
            ..summaries[0].clone()
        }];
        let p = run(&free, &q, &d, &scales, 0.02, true);
        assert!(!p.used[0] && p.accepted.len() == n);
    }
}
