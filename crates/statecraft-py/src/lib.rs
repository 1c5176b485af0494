//! statecraft-py: the native half of the `statecraft` Python package (the module
//! `statecraft._statecraft`, built by maturin). It calls the library face,
//! [`statecraft_api`], with the Python interpreter's lock released while a batch runs, and
//! hands each table back as columns (numpy arrays of numbers, lists of strings); the Python
//! half (`python/statecraft/__init__.py`) assembles them into pandas or polars frames. No
//! model logic and no statistics here: the numbers are the library's, hence those
//! `statecraft run` and `statecraft compare` write for the same seed.
//!
//! Every error of the library becomes a `statecraft.StatecraftError` (a `ValueError`) whose
//! message is the error's whole chain, as the CLI prints it; the worker threads failing to
//! start is a `RuntimeError`.

use std::path::PathBuf;

use numpy::{IntoPyArray, PyArray1};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use statecraft_api::{Batch, Comparisons, Error, Options, Sample};

pyo3::create_exception!(
    statecraft,
    StatecraftError,
    pyo3::exceptions::PyValueError,
    "An input statecraft cannot use: a scenario file missing, unreadable or invalid, a value \
     out of its range, impossible options. The message names the file, line and column, or the \
     value and its allowed range."
);

/// The message of `e` followed by those of its sources, `: `-separated (anyhow's `{:#}`).
fn chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// The Python exception for a library error.
fn py_err(e: Error) -> PyErr {
    match e {
        Error::Threads(_) => PyRuntimeError::new_err(chain(&e)),
        _ => StatecraftError::new_err(chain(&e)),
    }
}

/// A column of numbers, `None` as NaN.
fn optional(values: impl Iterator<Item = Option<f64>>) -> Vec<f64> {
    values.map(|v| v.unwrap_or(f64::NAN)).collect()
}

/// Run or round indices as int64 (the dtype pandas reads them with from the CSV files).
fn indices(values: impl Iterator<Item = u64>) -> Vec<i64> {
    values
        .map(|v| i64::try_from(v).unwrap_or(i64::MAX))
        .collect()
}

/// One table: a list of `(name, column)` pairs in the CSV file's column order.
struct Table<'py> {
    py: Python<'py>,
    columns: Vec<(String, Bound<'py, PyAny>)>,
}

impl<'py> Table<'py> {
    fn new(py: Python<'py>) -> Self {
        Table {
            py,
            columns: Vec::new(),
        }
    }

    /// A float64 column.
    fn floats(&mut self, name: &str, values: Vec<f64>) {
        let array: Bound<'py, PyArray1<f64>> = values.into_pyarray(self.py);
        self.columns.push((name.to_string(), array.into_any()));
    }

    /// An int64 column.
    fn ints(&mut self, name: &str, values: Vec<i64>) {
        let array: Bound<'py, PyArray1<i64>> = values.into_pyarray(self.py);
        self.columns.push((name.to_string(), array.into_any()));
    }

    /// A column of Python objects (strings, booleans, `None`), as a list.
    fn objects<T: IntoPyObject<'py>>(&mut self, name: &str, values: Vec<T>) -> PyResult<()> {
        let list = PyList::new(self.py, values)?;
        self.columns.push((name.to_string(), list.into_any()));
        Ok(())
    }

    fn into_list(self) -> PyResult<Bound<'py, PyList>> {
        PyList::new(self.py, self.columns)
    }
}

/// The tables of a batch as columns, in the column order of `runs.csv`, `actors.csv` and
/// `trajectories.csv`.
fn batch_tables<'py>(
    py: Python<'py>,
    b: &Batch,
    with_trajectories: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("scenario", &b.scenario)?;
    out.set_item("seed", b.seed)?;
    out.set_item("rounds", b.rounds)?;
    out.set_item("metrics", &b.metrics)?;

    let mut runs = Table::new(py);
    runs.ints("run", indices(b.runs.iter().map(|r| r.run)));
    for (k, p) in b.params.iter().enumerate() {
        runs.floats(p, b.runs.iter().map(|r| r.draws[k]).collect());
    }
    for (m, name) in b.metrics.iter().enumerate() {
        runs.floats(name, optional(b.runs.iter().map(|r| r.metrics[m])));
    }
    out.set_item("runs", runs.into_list()?)?;

    let mut actors = Table::new(py);
    actors.ints("run", indices(b.actors.iter().map(|a| a.run)));
    actors.objects("actor", b.actors.iter().map(|a| a.actor.as_str()).collect())?;
    actors.objects("role", b.actors.iter().map(|a| a.role).collect())?;
    for (k, c) in b.actor_columns.iter().enumerate() {
        actors.floats(c, b.actors.iter().map(|a| a.values[k]).collect());
    }
    out.set_item("actors", actors.into_list()?)?;

    if with_trajectories {
        let rows = || {
            b.trajectories
                .iter()
                .flat_map(|t| t.rows.iter().map(move |row| (t.run, row)))
        };
        let mut t = Table::new(py);
        t.ints("run", indices(rows().map(|(run, _)| run)));
        t.ints("round", indices(rows().map(|(_, r)| u64::from(r.round))));
        let names = rows().map(|(_, r)| b.actors_named[r.actor].as_str());
        t.objects("actor", names.collect())?;
        let names: Vec<&str> = statecraft_core::trajectory_numbers().collect();
        let mut columns = vec![Vec::new(); names.len()];
        for (_, r) in rows() {
            for (column, x) in columns.iter_mut().zip(r.numbers()) {
                column.push(x);
            }
        }
        for (name, column) in names.into_iter().zip(columns) {
            t.floats(name, column);
        }
        t.objects(
            "action",
            rows().map(|(_, r)| r.action.map(|a| a.code())).collect(),
        )?;
        out.set_item("trajectories", t.into_list()?)?;
    }
    Ok(out)
}

/// Runs a batch of the scenario file `scenario` as `statecraft run` does and returns its
/// tables as columns: a dict with `scenario`, `seed`, `rounds`, `metrics` (the names of the
/// columns of `runs` that may be missing) and the tables `runs`, `actors` and, when
/// `trajectories` > 0, `trajectories`, each a list of `(name, column)` pairs. `None` takes
/// the scenario's own value; the lock is released while the batch runs.
#[pyfunction]
#[pyo3(signature = (scenario, runs=None, seed=None, rounds=None, threads=None, trajectories=0))]
fn run<'py>(
    py: Python<'py>,
    scenario: PathBuf,
    runs: Option<u64>,
    seed: Option<u64>,
    rounds: Option<u32>,
    threads: Option<usize>,
    trajectories: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = Options {
        runs,
        seed,
        rounds,
        threads,
        trajectories,
        ..Options::default()
    };
    let batch = py
        .detach(|| statecraft_api::run(&statecraft_api::load(&scenario)?, &opts))
        .map_err(py_err)?;
    batch_tables(py, &batch, trajectories > 0)
}

/// The rows of `compare.csv` as columns (the list of `(name, column)` pairs of a table).
fn comparison_table<'py>(py: Python<'py>, c: &Comparisons) -> PyResult<Bound<'py, PyList>> {
    let rows = &c.rows;
    let mut t = Table::new(py);
    t.objects("metric", rows.iter().map(|r| r.metric.as_str()).collect())?;
    t.objects(
        "scenario",
        rows.iter().map(|r| r.scenario.as_str()).collect(),
    )?;
    t.objects(
        "reference",
        rows.iter().map(|r| r.reference.as_str()).collect(),
    )?;
    t.ints("n", rows.iter().map(|r| r.n as i64).collect());
    type Field = fn(&statecraft_api::Row) -> Option<f64>;
    let before: [(&str, Field); 7] = [
        ("mean", |r| r.mean),
        ("p5", |r| r.p5),
        ("p50", |r| r.p50),
        ("p95", |r| r.p95),
        ("diff", |r| r.diff),
        ("diff_lo", |r| r.diff_lo),
        ("diff_hi", |r| r.diff_hi),
    ];
    for (name, f) in before {
        t.floats(name, optional(rows.iter().map(f)));
    }
    t.objects("paired", rows.iter().map(|r| r.paired).collect())?;
    let after: [(&str, Field); 4] = [
        ("ks_d", |r| r.ks_d),
        ("ks_p", |r| r.ks_p),
        ("mw_p", |r| r.mw_p),
        ("cliffs_delta", |r| r.cliffs_delta),
    ];
    for (name, f) in after {
        t.floats(name, optional(rows.iter().map(f)));
    }
    t.objects("verdict", rows.iter().map(|r| r.verdict.as_str()).collect())?;
    t.into_list()
}

/// Compares the scenario file `scenario` with the scenario file `reference` as
/// `statecraft compare REFERENCE SCENARIO` does: both run with the same seed and runs (the
/// reference's unless given), each with its own rounds, paired by run, with `bootstrap`
/// resamples. Returns a dict with `rows` (the rows of `compare.csv` as `(name, column)`
/// pairs), `notes`, `seed` and `runs`; the lock is released while the batches run.
#[pyfunction]
#[pyo3(signature = (reference, scenario, runs=None, seed=None, bootstrap=2000, threads=None))]
fn compare<'py>(
    py: Python<'py>,
    reference: PathBuf,
    scenario: PathBuf,
    runs: Option<u64>,
    seed: Option<u64>,
    bootstrap: usize,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let c = py
        .detach(|| -> statecraft_api::Result<Comparisons> {
            let loaded = [
                statecraft_api::load(&reference)?,
                statecraft_api::load(&scenario)?,
            ];
            let opts = Options {
                seed: Some(seed.unwrap_or(loaded[0].scenario.seed)),
                runs: Some(runs.unwrap_or(loaded[0].scenario.runs)),
                threads,
                bootstrap,
                ..Options::default()
            };
            let mut samples = Vec::with_capacity(2);
            for (l, path) in loaded.iter().zip([&reference, &scenario]) {
                let source = path.display().to_string();
                samples.push(Sample::run(l, &source, &opts, &|_| {})?);
            }
            Ok(statecraft_api::compare_all(samples, bootstrap))
        })
        .map_err(py_err)?;
    let out = PyDict::new(py);
    out.set_item("rows", comparison_table(py, &c)?)?;
    out.set_item("notes", &c.notes)?;
    out.set_item("seed", c.samples[0].seed)?;
    out.set_item("runs", c.samples[0].runs.len())?;
    Ok(out)
}

/// The module `statecraft._statecraft`.
#[pymodule]
fn _statecraft(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add("StatecraftError", m.py().get_type::<StatecraftError>())?;
    Ok(())
}
