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
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
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
    let n = values.len();
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let q = |p: f64| {
        if n == 0 {
            f64::NAN
        } else {
            quantile_sorted(&sorted, p)
        }
    };
    let mean = if n == 0 {
        f64::NAN
    } else {
        values.iter().sum::<f64>() / n as f64
    };
    let sd = if n < 2 {
        if n == 1 { 0.0 } else { f64::NAN }
    } else {
        (values.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64).sqrt()
    };
    MetricSummary {
        name: name.to_string(),
        n: n as u64,
        missing,
        mean,
        sd,
        min: q(0.0),
        p5: q(0.05),
        p25: q(0.25),
        p50: q(0.5),
        p75: q(0.75),
        p95: q(0.95),
        max: q(1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
