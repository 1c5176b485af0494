//! Outcome distributions compared, as `statecraft compare` does: each input (a scenario run in
//! memory, or a results folder read back) against the first, metric by metric: n, mean and
//! quantiles, the difference of means with its 95% bootstrap interval (paired by run where the
//! inputs share seed and runs), the tests of `statecraft_runner::stats`, and a verdict in
//! words. Every metric left undefined in some run of some input (an event: a rupture, a ruling)
//! is followed by `P(metric)`, the share of runs in which it happened, compared as a
//! probability with its own interval.
//!
//! [`compare_all`] is what the CLI calls; [`compare`] is the two-scenario shortcut.

use std::path::Path;

use statecraft_core::metric_names;
use statecraft_runner::stats::{Spread, compare_samples, spread};

use crate::batch::settings;
use crate::{Error, Loaded, Options, Result};

/// The runs of one input of a comparison: their metric columns.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// Its name in the comparison (the scenario's name; made distinct by [`compare_all`]).
    pub label: String,
    /// Where it came from (the scenario file or results folder, as given).
    pub source: String,
    /// The seed of its batch.
    pub seed: u64,
    /// Run indices, in order.
    pub runs: Vec<u64>,
    /// Metric names.
    pub metrics: Vec<String>,
    /// `values[m][k]`: metric m of the k-th run (`None` where undefined).
    pub values: Vec<Vec<Option<f64>>>,
}

impl Sample {
    /// The values of metric `name`, one per run.
    pub fn metric(&self, name: &str) -> Option<&[Option<f64>]> {
        let m = self.metrics.iter().position(|x| x == name)?;
        Some(&self.values[m])
    }

    /// Runs `loaded` (runs `0..runs` with the seed, runs and rounds of `opts`, the scenario's
    /// where not given) keeping only its metrics; `progress` is told of every chunk of runs
    /// done. `source` names it in `compare.json`.
    pub fn run(
        loaded: &Loaded,
        source: &str,
        opts: &Options,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Sample> {
        let (seed, runs, _) = settings(loaded, opts)?;
        let world = &loaded.world;
        let metrics = metric_names(world);
        let cap = usize::try_from(runs).unwrap_or(0).min(1 << 24);
        let mut values = vec![Vec::with_capacity(cap); metrics.len()];
        let opts = Options {
            trajectories: 0,
            ..opts.clone()
        };
        crate::run_with(loaded, &opts, progress, |recs| {
            for r in recs {
                for (m, v) in r.outcome.metrics.iter().enumerate() {
                    values[m].push(*v);
                }
            }
            Ok::<(), std::convert::Infallible>(())
        })?
        .unwrap_or_else(|never| match never {});
        Ok(Sample {
            label: world.name.clone(),
            source: source.to_string(),
            seed,
            runs: (0..runs).collect(),
            metrics,
            values,
        })
    }

    /// Reads the runs of a results folder of `statecraft run` (or `merge`); a sweep's runs
    /// (several design points) are refused: they are not one sample.
    pub fn read(dir: &Path) -> Result<Sample> {
        let t = statecraft_results::RunsTable::read_metrics(dir).map_err(Error::Results)?;
        if t.points.is_some() {
            return Err(Error::Input(format!(
                "{} holds a sweep's runs (several design points), not one batch: compare runs or folders of `statecraft run`; a sweep's runs go to `statecraft discover` or `export --to ema`",
                dir.display()
            )));
        }
        Ok(Sample {
            label: t.scenario,
            source: dir.display().to_string(),
            seed: t.seed,
            runs: t.runs,
            metrics: t.metrics,
            values: t.metric_values,
        })
    }
}

/// One row of `compare.csv`: a metric of one input (the reference's own row has no
/// difference, test or verdict).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Row {
    /// The metric, or `P(metric)` for an event's share of runs.
    pub metric: String,
    /// The input's label.
    pub scenario: String,
    /// The reference's label.
    pub reference: String,
    /// Runs in which the metric is defined.
    pub n: usize,
    /// Their mean (summed in ascending order).
    pub mean: Option<f64>,
    /// 5th percentile.
    pub p5: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// The input's mean minus the reference's; `None` when either has fewer than two values.
    pub diff: Option<f64>,
    /// Lower end of the difference's 95% bootstrap interval.
    pub diff_lo: Option<f64>,
    /// Upper end of it.
    pub diff_hi: Option<f64>,
    /// Whether the bootstrap resampled pairs of runs.
    pub paired: Option<bool>,
    /// Kolmogorov–Smirnov statistic.
    pub ks_d: Option<f64>,
    /// Its p-value.
    pub ks_p: Option<f64>,
    /// Two-sided Mann–Whitney p-value.
    pub mw_p: Option<f64>,
    /// Cliff's delta of the input over the reference.
    pub cliffs_delta: Option<f64>,
    /// The verdict in words (empty on the reference's own row).
    pub verdict: String,
}

/// Every input compared with the first.
#[derive(Clone, Debug)]
pub struct Comparisons {
    /// The inputs, their labels made distinct (`name#2`, ...) and their event shares added.
    pub samples: Vec<Sample>,
    /// For each metric of the reference: its own row, then one per input that has it.
    pub rows: Vec<Row>,
    /// What could not be compared (a metric absent from an input).
    pub notes: Vec<String>,
}

impl Comparisons {
    /// Whether input `j` pairs with the reference run by run (same seed, same run indices).
    pub fn paired(&self, j: usize) -> bool {
        let (a, b) = (&self.samples[0], &self.samples[j]);
        a.seed == b.seed && a.runs == b.runs
    }
}

/// Labels made distinct, as a comparison names its inputs: a label seen before gets `#2`,
/// `#3`, ...
pub fn distinct_labels(labels: &mut [String]) {
    for i in 1..labels.len() {
        let base = labels[i].clone();
        let mut k = 2;
        while labels[..i].contains(&labels[i]) {
            labels[i] = format!("{base}#{k}");
            k += 1;
        }
    }
}

/// After every metric left undefined in some run of some input, `P(<metric>)`: 1 in a run
/// where the metric is defined, else 0.
fn add_event_shares(samples: &mut [Sample]) {
    let names = samples[0].metrics.clone();
    for m in names.iter().rev() {
        let event = samples
            .iter()
            .any(|s| s.metric(m).is_some_and(|v| v.iter().any(Option::is_none)));
        if !event {
            continue;
        }
        for s in samples.iter_mut() {
            let Some(k) = s.metrics.iter().position(|x| x == m) else {
                continue;
            };
            let share = s.values[k]
                .iter()
                .map(|v| Some(if v.is_some() { 1.0 } else { 0.0 }))
                .collect();
            s.metrics.insert(k + 1, format!("P({m})"));
            s.values.insert(k + 1, share);
        }
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// A row with the spread of `v` and no comparison yet.
fn spread_row(metric: &str, scenario: &str, reference: &str, v: &[Option<f64>]) -> Row {
    let s: Option<Spread> = spread(v);
    Row {
        metric: metric.to_string(),
        scenario: scenario.to_string(),
        reference: reference.to_string(),
        n: s.map_or(0, |s| s.n),
        mean: s.and_then(|s| finite(s.mean)),
        p5: s.map(|s| s.p5),
        p50: s.map(|s| s.p50),
        p95: s.map(|s| s.p95),
        diff: None,
        diff_lo: None,
        diff_hi: None,
        paired: None,
        ks_d: None,
        ks_p: None,
        mw_p: None,
        cliffs_delta: None,
        verdict: String::new(),
    }
}

/// Compares every sample with the first, as `statecraft compare` does, with `bootstrap`
/// resamples of the difference of means. Each comparison's bootstrap draws from its own
/// stream of the reference's seed: the row's place in `compare.csv`.
pub fn compare_all(mut samples: Vec<Sample>, bootstrap: usize) -> Comparisons {
    let mut labels: Vec<String> = samples.iter().map(|s| s.label.clone()).collect();
    distinct_labels(&mut labels);
    for (s, l) in samples.iter_mut().zip(labels) {
        s.label = l;
    }
    add_event_shares(&mut samples);
    let mut rows: Vec<Row> = Vec::new();
    let mut notes = Vec::new();
    let reference = &samples[0];
    for m in &reference.metrics {
        let a = reference.metric(m).unwrap_or(&[]);
        rows.push(spread_row(m, &reference.label, &reference.label, a));
        for (j, s) in samples.iter().enumerate().skip(1) {
            let Some(b) = s.metric(m) else {
                notes.push(format!("{m}: not in {}", s.label));
                continue;
            };
            let paired = s.seed == reference.seed && s.runs == reference.runs;
            let stream = (j as u64) << 32 | rows.len() as u64;
            let c = compare_samples(a, b, paired, &s.label, bootstrap, reference.seed, stream);
            let mut row = spread_row(m, &s.label, &reference.label, b);
            let Some(c) = c else {
                let count = |v: &[Option<f64>]| v.iter().flatten().count();
                row.verdict = format!(
                    "too few values to compare: defined in {} of {} runs of {}, {} of {} of {}",
                    count(a),
                    a.len(),
                    reference.label,
                    count(b),
                    b.len(),
                    s.label
                );
                rows.push(row);
                continue;
            };
            row.diff = finite(c.diff.diff);
            row.diff_lo = finite(c.diff.lo);
            row.diff_hi = finite(c.diff.hi);
            row.paired = Some(c.paired);
            row.ks_d = Some(c.ks.statistic);
            row.ks_p = Some(c.ks.p_value);
            row.mw_p = Some(c.mw_p);
            row.cliffs_delta = Some(c.cliffs_delta);
            row.verdict = c.verdict;
            rows.push(row);
        }
    }
    Comparisons {
        samples,
        rows,
        notes,
    }
}

/// A scenario compared with a reference: for each metric, the two rows `statecraft compare
/// REFERENCE SCENARIO` writes to `compare.csv`.
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
    /// The scenario's rows, one per metric of the reference that it has, each event metric
    /// (one left undefined in some run: a rupture, a ruling) followed by its `P(metric)`, the
    /// share of runs in which the event happened: its n, mean and quantiles, the difference
    /// of its mean from the reference's with the 95% bootstrap interval, the tests and the
    /// verdict.
    pub rows: Vec<Row>,
    /// The reference's own rows (n, mean and quantiles), one for each of `rows`, in the same
    /// order.
    pub reference_rows: Vec<Row>,
}

impl Comparison {
    /// The scenario's row of metric `name`.
    pub fn row(&self, name: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.metric == name)
    }

    /// The reference's row and the scenario's, metric by metric.
    pub fn pairs(&self) -> impl Iterator<Item = (&Row, &Row)> {
        self.reference_rows.iter().zip(&self.rows)
    }
}

/// Compares `scenario` with `reference`: both run with `opts` (seed and runs the
/// reference's where not given, rounds each its own), paired by run, then each metric of the
/// reference is compared as `statecraft compare REFERENCE SCENARIO` does (with
/// `opts.bootstrap` resamples): the numbers are those of its `compare.csv`.
pub fn compare(reference: &Loaded, scenario: &Loaded, opts: &Options) -> Result<Comparison> {
    let (seed, runs, _) = settings(reference, opts)?;
    let each = |l: &Loaded| {
        let o = Options {
            seed: Some(seed),
            runs: Some(runs),
            ..opts.clone()
        };
        Sample::run(l, &l.world.name, &o, &|_| {})
    };
    let c = compare_all(vec![each(reference)?, each(scenario)?], opts.bootstrap);
    let (a, b) = (&c.samples[0], &c.samples[1]);
    let (mut reference_rows, mut rows) = (Vec::new(), Vec::new());
    // `compare_all` writes each metric's reference row, then the scenario's if it has it.
    let mut last: Option<&Row> = None;
    for r in &c.rows {
        if r.scenario == a.label {
            last = Some(r);
        } else if let Some(own) = last {
            reference_rows.push(own.clone());
            rows.push(r.clone());
        }
    }
    Ok(Comparison {
        reference: a.label.clone(),
        scenario: b.label.clone(),
        seed,
        runs,
        rows,
        reference_rows,
    })
}
