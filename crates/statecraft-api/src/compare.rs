//! Two scenarios compared metric by metric, as `statecraft compare A B` does: both run with
//! the same seed and runs (paired by run), then for each metric the two means and the
//! difference with its 95% bootstrap interval, the tests of `statecraft_runner::stats`, and a
//! verdict in words.

use statecraft_runner::stats::{Spread, compare_samples, spread};

use crate::batch::settings;
use crate::{Loaded, Options, Result, run};

/// One metric compared: a row of `compare.csv` for the scenario against the reference.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricComparison {
    /// The metric, or `P(metric)` for the share of runs in which an event metric (one left
    /// undefined in some run: a rupture, a ruling) happened.
    pub metric: String,
    /// n, mean and quantiles of the reference's defined values (`None`: defined in no run).
    pub reference: Option<Spread>,
    /// The same of the scenario's.
    pub scenario: Option<Spread>,
    /// The reference's mean (of its defined values, summed in ascending order).
    pub reference_mean: Option<f64>,
    /// The scenario's mean.
    pub mean: Option<f64>,
    /// Scenario's mean minus the reference's; `None` when either has fewer than two values.
    pub diff: Option<f64>,
    /// Lower end of the difference's 95% bootstrap interval.
    pub diff_lo: Option<f64>,
    /// Upper end of it.
    pub diff_hi: Option<f64>,
    /// Whether the bootstrap resampled pairs of runs (the metric defined in the same runs
    /// of both).
    pub paired: Option<bool>,
    /// Kolmogorov–Smirnov statistic.
    pub ks_d: Option<f64>,
    /// Its p-value.
    pub ks_p: Option<f64>,
    /// Two-sided Mann–Whitney p-value.
    pub mw_p: Option<f64>,
    /// Cliff's delta of the scenario over the reference.
    pub cliffs_delta: Option<f64>,
    /// The verdict in words.
    pub verdict: String,
}

/// A scenario compared with a reference.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// The reference's label (its scenario's name).
    pub reference: String,
    /// The scenario's label (its name, with `#2` when both have the same name).
    pub scenario: String,
    /// The seed both ran with.
    pub seed: u64,
    /// The runs each had.
    pub runs: u64,
    /// One row per metric of the reference, each event metric followed by its `P(metric)`.
    pub rows: Vec<MetricComparison>,
}

impl Comparison {
    /// The row of metric `name`.
    pub fn row(&self, name: &str) -> Option<&MetricComparison> {
        self.rows.iter().find(|r| r.metric == name)
    }
}

/// A batch's metric columns, each event metric followed by its `P(metric)` column.
type Columns = Vec<(String, Vec<Option<f64>>)>;

/// The columns of a batch with the event shares of `statecraft compare`: after every metric
/// left undefined in some run of either input, the share of runs in which it was defined.
fn columns(batch: &crate::Batch, events: &[bool]) -> Columns {
    let mut out = Vec::new();
    for (m, name) in batch.metrics.iter().enumerate() {
        let v: Vec<Option<f64>> = batch.runs.iter().map(|r| r.metrics[m]).collect();
        let share = events[m].then(|| {
            v.iter()
                .map(|x| Some(if x.is_some() { 1.0 } else { 0.0 }))
                .collect()
        });
        out.push((name.clone(), v));
        if let Some(share) = share {
            out.push((format!("P({name})"), share));
        }
    }
    out
}

/// Compares `scenario` with `reference`: both run with `opts` (seed and runs the
/// reference's where not given, rounds each its own), paired by run, then each metric of the
/// reference is compared as `statecraft compare REFERENCE SCENARIO` does (with
/// `opts.bootstrap` resamples): the numbers are those of its `compare.csv`.
pub fn compare(reference: &Loaded, scenario: &Loaded, opts: &Options) -> Result<Comparison> {
    let (seed, runs, _) = settings(reference, opts)?;
    let each = |l: &Loaded| {
        run(
            l,
            &Options {
                seed: Some(seed),
                runs: Some(runs),
                rounds: opts.rounds,
                trajectories: 0,
                ..opts.clone()
            },
        )
    };
    let (a, b) = (each(reference)?, each(scenario)?);
    let undefined = |batch: &crate::Batch, name: &str| {
        batch
            .metric(name)
            .is_some_and(|v| v.iter().any(Option::is_none))
    };
    let events_a: Vec<bool> = a
        .metrics
        .iter()
        .map(|m| undefined(&a, m) || undefined(&b, m))
        .collect();
    let events_b: Vec<bool> = b
        .metrics
        .iter()
        .map(|m| undefined(&a, m) || undefined(&b, m))
        .collect();
    let (ca, cb) = (columns(&a, &events_a), columns(&b, &events_b));
    let label = if b.scenario == a.scenario {
        format!("{}#2", b.scenario)
    } else {
        b.scenario.clone()
    };
    let finite = |x: f64| x.is_finite().then_some(x);
    let mut rows = Vec::new();
    // The rows of compare.csv so far (each metric's reference row, then the scenario's when
    // it has the metric): a row's bootstrap stream is its place there.
    let mut csv_rows = 0u64;
    for (name, va) in &ca {
        csv_rows += 1;
        let Some((_, vb)) = cb.iter().find(|(n, _)| n == name) else {
            continue;
        };
        let stream = 1u64 << 32 | csv_rows;
        csv_rows += 1;
        let c = compare_samples(va, vb, true, &label, opts.bootstrap, seed, stream);
        let (sa, sb) = (spread(va), spread(vb));
        let count = |v: &[Option<f64>]| v.iter().flatten().count();
        rows.push(MetricComparison {
            metric: name.clone(),
            reference: sa,
            scenario: sb,
            reference_mean: sa.and_then(|s| finite(s.mean)),
            mean: sb.and_then(|s| finite(s.mean)),
            diff: c.as_ref().and_then(|c| finite(c.diff.diff)),
            diff_lo: c.as_ref().and_then(|c| finite(c.diff.lo)),
            diff_hi: c.as_ref().and_then(|c| finite(c.diff.hi)),
            paired: c.as_ref().map(|c| c.paired),
            ks_d: c.as_ref().map(|c| c.ks.statistic),
            ks_p: c.as_ref().map(|c| c.ks.p_value),
            mw_p: c.as_ref().map(|c| c.mw_p),
            cliffs_delta: c.as_ref().map(|c| c.cliffs_delta),
            verdict: c.map_or_else(
                || {
                    format!(
                        "too few values to compare: defined in {} of {} runs of {}, {} of {} of {label}",
                        count(va),
                        va.len(),
                        a.scenario,
                        count(vb),
                        vb.len(),
                    )
                },
                |c| c.verdict,
            ),
        });
    }
    Ok(Comparison {
        reference: a.scenario,
        scenario: label,
        seed,
        runs,
        rows,
    })
}
