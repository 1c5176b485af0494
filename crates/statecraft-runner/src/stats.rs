//! Statistics of outcome distributions: the summary of one metric over a batch.
//!
//! Aggregation is sequential, in run-index order, so sums are bit-identical whatever the
//! number of threads that produced the runs.

/// Summary of one metric over the runs where it is defined (serialised as a `summary.json`
/// entry: NaN statistics of a metric that never occurred become `null`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MetricSummary {
    /// Metric name.
    pub name: String,
    /// Runs where the metric is defined.
    pub n: u64,
    /// Runs where it is not (e.g. no rupture happened).
    pub missing: u64,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1 in the denominator).
    pub sd: f64,
    /// Minimum.
    pub min: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Maximum.
    pub max: f64,
}

/// The q-quantile of sorted data by linear interpolation between order statistics (Hyndman &
/// Fan type 7, the default of R and NumPy). `sorted` must be non-empty.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    interpolate(h, lo as u64, sorted[lo], hi as u64, sorted[hi])
}

/// Type-7 interpolation between the order statistics `a` (rank `lo`) and `b` (rank `hi`) at
/// position `h`. On an order statistic itself it is that value: an infinite minimum stays
/// infinite (not ∞ − ∞) and −0.0 stays −0.0.
fn interpolate(h: f64, lo: u64, a: f64, hi: u64, b: f64) -> f64 {
    if lo == hi {
        a
    } else {
        a + (h - lo as f64) * (b - a)
    }
}

/// Collects the values of named metrics run by run and summarises them.
#[derive(Clone, Debug)]
pub struct Aggregator {
    names: Vec<String>,
    values: Vec<Vec<f64>>,
    missing: Vec<u64>,
}

impl Aggregator {
    /// An aggregator for the given metric names.
    pub fn new(names: Vec<String>) -> Self {
        let k = names.len();
        Self {
            names,
            values: vec![Vec::new(); k],
            missing: vec![0; k],
        }
    }

    /// Adds one run's values, in name order (`None` where undefined).
    pub fn push(&mut self, row: &[Option<f64>]) {
        for (k, v) in row.iter().enumerate() {
            match v {
                Some(x) => self.values[k].push(*x),
                None => self.missing[k] += 1,
            }
        }
    }

    /// The summary of every metric.
    pub fn summaries(&self) -> Vec<MetricSummary> {
        self.names
            .iter()
            .zip(&self.values)
            .zip(&self.missing)
            .map(|((name, vals), &missing)| summarize(name, vals, missing))
            .collect()
    }
}

/// Summary of `values` (in run order); NaN statistics when there are none.
pub fn summarize(name: &str, values: &[f64], missing: u64) -> MetricSummary {
    summarize_owned(name, values.to_vec(), missing)
}

/// The probabilities of a summary's quantiles: min, p5, p25, p50, p75, p95, max.
const PROBS: [f64; 7] = [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0];

/// The sum of values in the order given, as `Iterator::sum` folds it (from −0.0).
fn sum_in_order(acc: f64, x: f64) -> f64 {
    acc + x
}

/// Mean and sample sd from the sums of the values and of their squared deviations.
fn moments(n: u64, sum: f64, squares: impl FnOnce(f64) -> f64) -> (f64, f64) {
    let mean = if n == 0 { f64::NAN } else { sum / n as f64 };
    let sd = match n {
        0 => f64::NAN,
        1 => 0.0,
        _ => (squares(mean) / (n - 1) as f64).sqrt(),
    };
    (mean, sd)
}

/// The summary from its parts: `q` holds the quantiles at [`PROBS`] (NaN when n = 0).
fn summary(name: &str, n: u64, missing: u64, (mean, sd): (f64, f64), q: [f64; 7]) -> MetricSummary {
    let [min, p5, p25, p50, p75, p95, max] = q;
    MetricSummary {
        name: name.to_string(),
        n,
        missing,
        mean,
        sd,
        min,
        p5,
        p25,
        p50,
        p75,
        p95,
        max,
    }
}

/// [`summarize`] of values it may reorder: the mean and sd are summed in the given (run)
/// order first, then the values are sorted in place for the quantiles, so no copy is made.
pub fn summarize_owned(name: &str, mut values: Vec<f64>, missing: u64) -> MetricSummary {
    let n = values.len() as u64;
    let sum = values.iter().copied().fold(-0.0, sum_in_order);
    let moments = moments(n, sum, |mean| {
        values
            .iter()
            .map(|x| (x - mean) * (x - mean))
            .fold(-0.0, sum_in_order)
    });
    // In place and in parallel (the caller's rayon pool): values equal under `total_cmp` are
    // the same bits, so any sort gives the same order, on any number of threads.
    {
        use rayon::slice::ParallelSliceMut;
        values.par_sort_unstable_by(f64::total_cmp);
    }
    let q = if n == 0 {
        [f64::NAN; 7]
    } else {
        PROBS.map(|p| quantile_sorted(&values, p))
    };
    summary(name, n, missing, moments, q)
}

/// A key whose unsigned order is `f64::total_cmp`'s order.
fn order_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

/// The value of an [`order_key`].
fn from_order_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// [`summarize`] of `n` values that are read, not held: `pass(f)` calls `f` on every value in
/// run order, and is called four times. The quantiles' order statistics are found by radix
/// selection on the values' order keys, 16 bits a pass, with one histogram of 65,536 counts
/// per distinct prefix still sought (at most 12: 6 MiB), whatever `n`: the memory of a summary
/// of 10 million runs is that of one of a thousand. Bit-identical to [`summarize`] (same sums
/// in the same order, the same order statistics).
pub fn summarize_streamed<E>(
    name: &str,
    n: u64,
    missing: u64,
    mut pass: impl FnMut(&mut dyn FnMut(f64)) -> Result<(), E>,
) -> Result<MetricSummary, E> {
    if n == 0 {
        return Ok(summary(
            name,
            0,
            missing,
            moments(0, 0.0, |_| 0.0),
            [f64::NAN; 7],
        ));
    }
    // The order statistics each quantile interpolates between (as `quantile_sorted`).
    let positions: [(f64, u64, u64); 7] = PROBS.map(|q| {
        let h = (n - 1) as f64 * q;
        (h, h.floor() as u64, h.ceil() as u64)
    });
    let mut ranks: Vec<u64> = positions.iter().flat_map(|&(_, lo, hi)| [lo, hi]).collect();
    ranks.sort_unstable();
    ranks.dedup();
    // Each sought rank: (key prefix found so far, rank among the values with that prefix).
    let mut sought: Vec<(u64, u64)> = ranks.iter().map(|&r| (0, r)).collect();
    let (mut sum, mut squares) = (-0.0, -0.0);
    let mut mean = f64::NAN;
    for level in 0..4u32 {
        let shift = 48 - 16 * level;
        // Sorted already: order statistics of rising rank have rising keys.
        let mut prefixes: Vec<u64> = sought.iter().map(|s| s.0).collect();
        prefixes.dedup();
        let mut hist = vec![0u64; prefixes.len() << 16];
        pass(&mut |x| {
            match level {
                0 => sum = sum_in_order(sum, x),
                1 => squares = sum_in_order(squares, (x - mean) * (x - mean)),
                _ => {}
            }
            let k = order_key(x);
            let prefix = if level == 0 { 0 } else { k >> (shift + 16) };
            if let Ok(i) = prefixes.binary_search(&prefix) {
                hist[i << 16 | ((k >> shift) & 0xFFFF) as usize] += 1;
            }
        })?;
        if level == 0 {
            mean = sum / n as f64;
        }
        for (prefix, rank) in &mut sought {
            let i = prefixes.binary_search(prefix).expect("a sought prefix");
            let mut below = 0;
            for (digit, &count) in hist[i << 16..(i + 1) << 16].iter().enumerate() {
                if *rank < below + count {
                    *prefix = *prefix << 16 | digit as u64;
                    *rank -= below;
                    break;
                }
                below += count;
            }
        }
    }
    let value = |r: u64| {
        let k = ranks.binary_search(&r).expect("a sought rank");
        from_order_key(sought[k].0)
    };
    let moments = moments(n, sum, |_| squares);
    let q = positions.map(|(h, lo, hi)| interpolate(h, lo, value(lo), hi, value(hi)));
    Ok(summary(name, n, missing, moments, q))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Streams `values` to a summary the way a scratch file does.
    fn streamed(values: &[f64]) -> MetricSummary {
        summarize_streamed::<()>("x", values.len() as u64, 3, |f| {
            values.iter().for_each(|&x| f(x));
            Ok(())
        })
        .unwrap()
    }

    #[test]
    fn streamed_summaries_equal_the_sorted_ones_bit_for_bit() {
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 11
        };
        let mut cases: Vec<Vec<f64>> = vec![
            vec![],
            vec![2.5],
            vec![-0.0, 0.0],
            vec![-0.0],
            vec![1.0, 1.0, 1.0],
            vec![f64::INFINITY, -1.0, f64::NEG_INFINITY, 3.0],
        ];
        for n in [2usize, 5, 20, 1000, 100_003] {
            // Spread values, many ties, negatives, tiny and huge magnitudes.
            let v: Vec<f64> = (0..n)
                .map(|_| match next() % 4 {
                    0 => (next() % 7) as f64 - 3.0,
                    1 => (next() as f64 / (1u64 << 53) as f64 - 0.5) * 1e-300,
                    2 => (next() as f64 / (1u64 << 53) as f64) * 1e12,
                    _ => -((next() % 1000) as f64) / 7.0,
                })
                .collect();
            cases.push(v);
        }
        for v in cases {
            let (a, b) = (streamed(&v), summarize("x", &v, 3));
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "n = {}", v.len());
        }
    }

    #[test]
    fn quantiles_on_an_order_statistic_are_that_value() {
        let s = [f64::NEG_INFINITY, -0.0, 1.0, f64::INFINITY];
        assert_eq!(quantile_sorted(&s, 0.0), f64::NEG_INFINITY);
        assert_eq!(quantile_sorted(&s, 1.0), f64::INFINITY);
        assert_eq!(
            quantile_sorted(&[-0.0, 2.0], 0.0).to_bits(),
            (-0.0f64).to_bits()
        );
        let m = summarize("x", &s, 0);
        assert_eq!((m.min, m.max), (f64::NEG_INFINITY, f64::INFINITY));
        let with_missing = summarize("x", &s, 3);
        assert_eq!(format!("{:?}", streamed(&s)), format!("{with_missing:?}"));
    }

    #[test]
    fn order_keys_follow_total_cmp() {
        let xs = [
            f64::NEG_INFINITY,
            -1e300,
            -1.0,
            -5e-324,
            -0.0,
            0.0,
            5e-324,
            1.0,
            f64::INFINITY,
        ];
        for w in xs.windows(2) {
            assert!(order_key(w[0]) < order_key(w[1]), "{w:?}");
        }
        for x in xs {
            assert_eq!(from_order_key(order_key(x)).to_bits(), x.to_bits());
        }
    }

    #[test]
    fn quantiles_match_numpy_type_7() {
        // numpy.percentile([1, 2, 3, 4, 10], [5, 25, 50, 75, 95]) = [1.2, 2, 3, 4, 8.8]
        let s = [1.0, 2.0, 3.0, 4.0, 10.0];
        let got: Vec<f64> = [0.05, 0.25, 0.5, 0.75, 0.95]
            .iter()
            .map(|&q| quantile_sorted(&s, q))
            .collect();
        let want = [1.2, 2.0, 3.0, 4.0, 8.8];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{got:?}");
        }
    }

    #[test]
    fn summary_counts_missing_values_and_uses_sample_sd() {
        let mut agg = Aggregator::new(vec!["x".into()]);
        for v in [Some(1.0), None, Some(3.0)] {
            agg.push(&[v]);
        }
        let s = &agg.summaries()[0];
        assert_eq!((s.n, s.missing), (2, 1));
        assert_eq!(s.mean, 2.0);
        assert!((s.sd - 2f64.sqrt()).abs() < 1e-15);
        assert_eq!((s.min, s.max), (1.0, 3.0));
    }
}

/// The Kolmogorov distribution's survival function Q(x) = P(K > x) = 2·Σ_{k≥1} (−1)^(k−1)·e^(−2k²x²),
/// from its theta-function form 1 − (√(2π)/x)·Σ_{k≥1} e^(−(2k−1)²π²/(8x²)) for small x, where the
/// alternating series converges slowly. Equals `scipy.special.kolmogorov`.
pub fn kolmogorov_sf(x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    if x < 1.18 {
        let t = std::f64::consts::PI * std::f64::consts::PI / (8.0 * x * x);
        let s: f64 = (1..=10)
            .map(|k| (-((2 * k - 1) as f64).powi(2) * t).exp())
            .sum();
        (1.0 - (2.0 * std::f64::consts::PI).sqrt() / x * s).clamp(0.0, 1.0)
    } else {
        let s: f64 = (1..=100)
            .map(|k: i32| {
                let kf = f64::from(k);
                let term = (-2.0 * kf * kf * x * x).exp();
                if k % 2 == 1 { term } else { -term }
            })
            .sum();
        (2.0 * s).clamp(0.0, 1.0)
    }
}

/// The two-sample Kolmogorov–Smirnov test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KsTest {
    /// D = sup |F_a − F_b|.
    pub statistic: f64,
    /// Asymptotic two-sided p-value Q(√(mn/(m+n))·D).
    pub p_value: f64,
}

/// Two-sample Kolmogorov–Smirnov test of `a` against `b` (non-empty).
pub fn ks_two_sample(a: &[f64], b: &[f64]) -> KsTest {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    let (m, n) = (a.len() as f64, b.len() as f64);
    let (mut i, mut j, mut d) = (0usize, 0usize, 0.0f64);
    while i < a.len() && j < b.len() {
        let x = a[i].min(b[j]);
        while i < a.len() && a[i] <= x {
            i += 1;
        }
        while j < b.len() && b[j] <= x {
            j += 1;
        }
        d = d.max((i as f64 / m - j as f64 / n).abs());
    }
    let en = m * n / (m + n);
    KsTest {
        statistic: d,
        p_value: kolmogorov_sf(en.sqrt() * d),
    }
}

/// The Mann–Whitney U test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MannWhitney {
    /// U of `a`: the number of pairs with a > b, ties counting one half.
    pub u: f64,
    /// Two-sided p-value, normal approximation with tie correction and continuity correction.
    pub p_value: f64,
}

/// Two-sided Mann–Whitney U test of `a` against `b` (non-empty), as
/// `scipy.stats.mannwhitneyu(a, b, method="asymptotic")`.
pub fn mann_whitney(a: &[f64], b: &[f64]) -> MannWhitney {
    let (n1, n2) = (a.len(), b.len());
    let mut all: Vec<(f64, bool)> = a
        .iter()
        .map(|&x| (x, true))
        .chain(b.iter().map(|&x| (x, false)))
        .collect();
    all.sort_by(|x, y| x.0.total_cmp(&y.0));
    let n = all.len();
    let (mut rank_a, mut tie_term) = (0.0, 0.0);
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && all[j + 1].0 == all[i].0 {
            j += 1;
        }
        let t = (j - i + 1) as f64;
        let rank = (i + j) as f64 / 2.0 + 1.0; // mean of ranks i+1..=j+1
        rank_a += rank * all[i..=j].iter().filter(|x| x.1).count() as f64;
        tie_term += t * t * t - t;
        i = j + 1;
    }
    let (f1, f2, nf) = (n1 as f64, n2 as f64, n as f64);
    let u1 = rank_a - f1 * (f1 + 1.0) / 2.0;
    let u = u1.max(f1 * f2 - u1);
    let mu = f1 * f2 / 2.0;
    let s = (f1 * f2 / 12.0 * ((nf + 1.0) - tie_term / (nf * (nf - 1.0)))).sqrt();
    let z = (u - mu - 0.5) / s;
    let p = if s > 0.0 {
        2.0 * statecraft_core::param::normal_cdf(-z)
    } else {
        1.0
    };
    MannWhitney {
        u: u1,
        p_value: p.clamp(0.0, 1.0),
    }
}

/// Cliff's delta: P(a > b) − P(a < b) over all pairs, in [−1, 1].
pub fn cliffs_delta(a: &[f64], b: &[f64]) -> f64 {
    let mut b = b.to_vec();
    b.sort_by(f64::total_cmp);
    let mut score = 0i64;
    for &x in a {
        let below = b.partition_point(|&y| y < x) as i64;
        let not_above = b.partition_point(|&y| y <= x) as i64;
        score += below - (b.len() as i64 - not_above);
    }
    score as f64 / (a.len() * b.len()) as f64
}

/// A difference of means with a percentile bootstrap interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeanDiff {
    /// mean(b) − mean(a).
    pub diff: f64,
    /// Lower end of the interval.
    pub lo: f64,
    /// Upper end of the interval.
    pub hi: f64,
}

/// mean(b) − mean(a) with a `level` (e.g. 0.95) percentile bootstrap interval from `resamples`
/// resamples. `paired`: a and b have equal length and pair by index (runs with common random
/// numbers), so pairs are resampled together; otherwise each sample is resampled on its own.
/// The resamples come from the ChaCha stream `(seed, Bootstrap, stream)`: the same inputs give
/// the same interval.
pub fn bootstrap_mean_diff(
    a: &[f64],
    b: &[f64],
    paired: bool,
    resamples: usize,
    level: f64,
    seed: u64,
    stream: u64,
) -> MeanDiff {
    use statecraft_core::rng::{SimRng, Stream};
    let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    let diff = mean(b) - mean(a);
    let mut rng = SimRng::new(seed, Stream::Bootstrap, stream);
    let mut pick = |n: usize| ((rng.open01() * n as f64) as usize).min(n - 1);
    let mut stats = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        let d = if paired {
            let n = a.len().min(b.len());
            (0..n)
                .map(|_| {
                    let k = pick(n);
                    b[k] - a[k]
                })
                .sum::<f64>()
                / n as f64
        } else {
            let sa: f64 = (0..a.len()).map(|_| a[pick(a.len())]).sum::<f64>() / a.len() as f64;
            let sb: f64 = (0..b.len()).map(|_| b[pick(b.len())]).sum::<f64>() / b.len() as f64;
            sb - sa
        };
        stats.push(d);
    }
    stats.sort_by(f64::total_cmp);
    let tail = (1.0 - level) / 2.0;
    MeanDiff {
        diff,
        lo: quantile_sorted(&stats, tail),
        hi: quantile_sorted(&stats, 1.0 - tail),
    }
}

#[cfg(test)]
mod compare_tests {
    use super::*;

    // Reference values computed once with SciPy 1.17.1:
    //   a = [0.1, 0.5, 0.5, 1.2, 2.0, 3.3, 0.7, 0.9]; b = [0.4, 0.5, 1.5, 2.5, 2.5, 3.0, 4.1, 0.2, 5.0]
    //   r = scipy.stats.ks_2samp(a, b); en = 8*9/17
    //   scipy.special.kolmogorov(sqrt(en) * r.statistic)
    //   u = scipy.stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
    //   cliff = 2 * u.statistic / (8 * 9) - 1
    const A: [f64; 8] = [0.1, 0.5, 0.5, 1.2, 2.0, 3.3, 0.7, 0.9];
    const B: [f64; 9] = [0.4, 0.5, 1.5, 2.5, 2.5, 3.0, 4.1, 0.2, 5.0];

    fn close(x: f64, y: f64, tol: f64) -> bool {
        (x - y).abs() <= tol * y.abs().max(1e-300)
    }

    #[test]
    fn bootstrap_intervals_are_seeded_and_cover_known_shifts() {
        // Paired samples whose difference is exactly 0.5 everywhere: a zero-width interval.
        let a: Vec<f64> = (0..200).map(|k| (k as f64 * 0.37).sin()).collect();
        let b: Vec<f64> = a.iter().map(|x| x + 0.5).collect();
        let p = bootstrap_mean_diff(&a, &b, true, 500, 0.95, 7, 0);
        assert!(
            close(p.diff, 0.5, 1e-12) && close(p.lo, 0.5, 1e-9) && close(p.hi, 0.5, 1e-9),
            "{p:?}"
        );
        // Unpaired, the spread of a and b widens the interval, which still covers 0.5.
        let u = bootstrap_mean_diff(&a, &b, false, 2000, 0.95, 7, 1);
        assert!(u.lo < 0.5 && 0.5 < u.hi && u.hi - u.lo > 0.1, "{u:?}");
        // Same inputs, same interval; another stream, another one.
        assert_eq!(u, bootstrap_mean_diff(&a, &b, false, 2000, 0.95, 7, 1));
        assert_ne!(u, bootstrap_mean_diff(&a, &b, false, 2000, 0.95, 7, 2));
    }

    #[test]
    fn kolmogorov_matches_scipy() {
        // scipy.special.kolmogorov([0.3, 0.5, 1.0, 1.5, 2.5])
        for (x, q) in [
            (0.3, 0.999_990_694_198_665_5),
            (0.5, 0.963_945_243_664_875_1),
            (1.0, 0.269_999_671_677_354_56),
            (1.5, 0.022_217_962_616_525_127),
            (2.5, 7.453_306_344_157_342e-6),
        ] {
            assert!(
                close(kolmogorov_sf(x), q, 1e-12),
                "{x}: {} vs {q}",
                kolmogorov_sf(x)
            );
        }
    }

    #[test]
    fn two_sample_tests_match_scipy() {
        let ks = ks_two_sample(&A, &B);
        assert!(
            close(ks.statistic, 0.430_555_555_555_555_6, 1e-14),
            "{ks:?}"
        );
        assert!(close(ks.p_value, 0.412_240_168_991_527_9, 1e-10), "{ks:?}");
        let mw = mann_whitney(&A, &B);
        assert_eq!(mw.u, 25.0);
        assert!(close(mw.p_value, 0.310_834_408_354_545_8, 1e-10), "{mw:?}");
        assert!(close(cliffs_delta(&A, &B), -0.305_555_555_555_555_6, 1e-14));
        // Symmetries.
        assert!(close(cliffs_delta(&B, &A), 0.305_555_555_555_555_6, 1e-14));
        assert_eq!(ks_two_sample(&B, &A).statistic, ks.statistic);
        assert!(close(mann_whitney(&B, &A).p_value, mw.p_value, 1e-14));
    }
}

/// One metric of sample `b` compared with the reference sample `a`.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Whether the samples were paired by run.
    pub paired: bool,
    /// mean(b) − mean(a) with its 95% bootstrap interval.
    pub diff: MeanDiff,
    /// Kolmogorov–Smirnov test of the two distributions.
    pub ks: KsTest,
    /// Two-sided Mann–Whitney p-value.
    pub mw_p: f64,
    /// Cliff's delta of b over a: P(b > a) − P(b < a).
    pub cliffs_delta: f64,
    /// The verdict in words, naming `b` by its label.
    pub verdict: String,
}

/// The size of Cliff's delta in words (Romano et al. 2006: 0.147, 0.33, 0.474).
pub fn delta_size(delta: f64) -> &'static str {
    match delta.abs() {
        d if d < 0.147 => "negligible",
        d if d < 0.33 => "small",
        d if d < 0.474 => "medium",
        _ => "large",
    }
}

/// Compares `b` (labelled `label`) with the reference `a`. Values are `None` where a run left
/// the metric undefined. `paired`: `a[r]` and `b[r]` come from the same run index of the same
/// seed; the bootstrap then resamples pairs, provided the metric is defined in the same runs
/// of both (else the samples are resampled apart, and [`Comparison::paired`] says so).
/// `None` when either sample has fewer than two values.
pub fn compare_samples(
    a: &[Option<f64>],
    b: &[Option<f64>],
    paired: bool,
    label: &str,
    resamples: usize,
    seed: u64,
    stream: u64,
) -> Option<Comparison> {
    let va: Vec<f64> = a.iter().flatten().copied().collect();
    let vb: Vec<f64> = b.iter().flatten().copied().collect();
    if va.len() < 2 || vb.len() < 2 {
        return None;
    }
    // Pairs only where the same runs define the metric in both: otherwise the paired mean
    // difference would not be the difference of the two means shown beside it.
    let paired =
        paired && a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.is_some() == y.is_some());
    let diff = bootstrap_mean_diff(&va, &vb, paired, resamples, 0.95, seed, stream);
    let ks = ks_two_sample(&va, &vb);
    let mw_p = mann_whitney(&va, &vb).p_value;
    let delta = cliffs_delta(&vb, &va);
    let verdict = if diff.lo > 0.0 {
        format!("higher in {label} ({} effect)", delta_size(delta))
    } else if diff.hi < 0.0 {
        format!("lower in {label} ({} effect)", delta_size(delta))
    } else if ks.p_value < 0.05 {
        "no detectable difference in mean; the distributions differ".to_string()
    } else {
        "no detectable difference".to_string()
    };
    Some(Comparison {
        paired,
        diff,
        ks,
        mw_p,
        cliffs_delta: delta,
        verdict,
    })
}

#[cfg(test)]
mod verdict_tests {
    use super::*;

    #[test]
    fn a_shift_is_found_and_named_and_equal_samples_are_not() {
        let a: Vec<Option<f64>> = (0..500).map(|i| Some((i % 50) as f64)).collect();
        let b: Vec<Option<f64>> = a.iter().map(|x| x.map(|v| v + 5.0)).collect();
        let c = compare_samples(&a, &b, true, "B", 500, 1, 0).unwrap();
        // A constant shift, paired: every resample gives exactly 5.
        assert!((c.diff.diff - 5.0).abs() < 1e-12 && (c.diff.lo - 5.0).abs() < 1e-9);
        assert!(c.verdict.starts_with("higher in B"), "{}", c.verdict);
        assert!(c.cliffs_delta > 0.0 && c.ks.p_value < 0.05);
        let same = compare_samples(&a, &a, true, "A", 500, 1, 0).unwrap();
        assert_eq!(same.verdict, "no detectable difference");
        let lower = compare_samples(&b, &a, false, "A", 500, 1, 0).unwrap();
        assert!(lower.verdict.starts_with("lower in A"), "{}", lower.verdict);
        assert!(compare_samples(&a, &[Some(1.0), None], false, "x", 10, 1, 0).is_none());
    }

    #[test]
    fn a_spread_with_the_same_mean_is_told_apart_from_no_difference() {
        // Same mean 0; b has ten times the spread.
        let a: Vec<Option<f64>> = (0..400)
            .map(|i| Some(((i % 21) as f64 - 10.0) * 0.1))
            .collect();
        let b: Vec<Option<f64>> = a.iter().map(|x| x.map(|v| v * 10.0)).collect();
        let c = compare_samples(&a, &b, false, "B", 1000, 1, 0).unwrap();
        assert!(c.diff.lo < 0.0 && c.diff.hi > 0.0);
        assert_eq!(
            c.verdict,
            "no detectable difference in mean; the distributions differ"
        );
    }
}

/// n, mean and the 5th, 50th and 95th percentiles of the defined values of a sample (`None`:
/// undefined in that run), as `statecraft compare` reports each input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// Defined values.
    pub n: usize,
    /// Their mean, summed in ascending order.
    pub mean: f64,
    /// 5th percentile (type 7).
    pub p5: f64,
    /// Median (type 7).
    pub p50: f64,
    /// 95th percentile (type 7).
    pub p95: f64,
}

/// The [`Spread`] of the defined values of `v`; `None` when none is defined. The values are
/// sorted first and the mean summed in that order.
pub fn spread(v: &[Option<f64>]) -> Option<Spread> {
    let mut x: Vec<f64> = v.iter().flatten().copied().collect();
    x.sort_by(f64::total_cmp);
    spread_sorted(&x)
}

/// [`spread`] of values already sorted (`None` if there are none).
pub fn spread_sorted(x: &[f64]) -> Option<Spread> {
    if x.is_empty() {
        return None;
    }
    Some(Spread {
        n: x.len(),
        mean: x.iter().sum::<f64>() / x.len() as f64,
        p5: quantile_sorted(x, 0.05),
        p50: quantile_sorted(x, 0.5),
        p95: quantile_sorted(x, 0.95),
    })
}

/// Mean and sample standard deviation (divisor n − 1, or 1 for a single value) of `v`, summed
/// in the given order; NaN for an empty `v`.
pub fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
    (mean, sd)
}

/// Ranks of `x`, 1-based, ties sharing the mean of their ranks (order by `f64::total_cmp`).
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rank correlation of paired samples: Pearson's correlation of their
/// [`average_ranks`] (so ties are handled as `scipy.stats.spearmanr` does). NaN when either
/// side is constant.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let (rx, ry) = (average_ranks(x), average_ranks(y));
    let n = rx.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    sxy / (sxx * syy).sqrt()
}

#[cfg(test)]
mod rank_tests {
    use super::*;

    #[test]
    fn ties_share_the_mean_of_their_ranks() {
        assert_eq!(
            average_ranks(&[3.0, 1.0, 3.0, 2.0, 3.0]),
            vec![4.0, 1.0, 4.0, 2.0, 4.0]
        );
        assert!(average_ranks(&[]).is_empty());
    }

    #[test]
    fn spearman_with_ties_matches_a_hand_computation() {
        // x = [1, 2, 2, 3, 4] ranks [1, 2.5, 2.5, 4, 5]; y = [10, 30, 20, 20, 50] ranks
        // [1, 4, 2.5, 2.5, 5] (the two 20s share ranks 2 and 3).
        // rx - 3 = [-2, -0.5, -0.5, 1, 2]; ry - 3 = [-2, 1, -0.5, -0.5, 2].
        // Sxy = 4 - 0.5 + 0.25 - 0.5 + 4 = 7.25; Sxx = Syy = 4 + 0.25 + 0.25 + 1 + 4 = 9.5.
        // rho = 7.25 / 9.5 = 0.763157894736842 (as scipy.stats.spearmanr).
        let x = [1.0, 2.0, 2.0, 3.0, 4.0];
        let y = [10.0, 30.0, 20.0, 20.0, 50.0];
        let rho = spearman(&x, &y);
        assert!((rho - 7.25 / 9.5).abs() < 1e-15, "{rho}");
        // Monotone transforms do not change it; reversing one side negates it.
        let cubed: Vec<f64> = y.iter().map(|v| v * v * v).collect();
        assert_eq!(spearman(&x, &cubed), rho);
        let neg: Vec<f64> = y.iter().map(|v| -v).collect();
        assert!((spearman(&x, &neg) + rho).abs() < 1e-15);
        // A perfect monotone relation is 1; a constant side is NaN.
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[1.0, 8.0, 27.0]), 1.0);
        assert!(spearman(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]).is_nan());
    }

    #[test]
    fn spread_sorts_skips_undefined_values_and_uses_type_7() {
        // Defined: 4, 1, 3, 2, 5 (sorted 1..5); type 7 at 5%: 1 + 0.05 * 4 * (2 - 1) = 1.2,
        // median 3, 95%: 4 + 0.8 * (5 - 4) = 4.8.
        let v = [
            Some(4.0),
            None,
            Some(1.0),
            Some(3.0),
            None,
            Some(2.0),
            Some(5.0),
        ];
        let s = spread(&v).expect("defined values");
        assert_eq!(s.n, 5);
        assert_eq!(s.mean, 3.0);
        assert!(
            (s.p5 - 1.2).abs() < 1e-15 && (s.p95 - 4.8).abs() < 1e-15,
            "{s:?}"
        );
        assert_eq!(s.p50, 3.0);
        assert_eq!(spread(&[None, None]), None);
    }
}
