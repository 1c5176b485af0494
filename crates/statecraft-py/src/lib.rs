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

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray2};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use statecraft_api::{
    Batch, Comparisons, DesignKind, Error, INDEX_COLUMNS, Loaded, Method, MetricIndices, Options,
    Patterns, PatternsOptions, Sample, Sensitivity, SensitivityOptions, Sweep, SweepOptions,
    Tournament, TournamentOptions,
};
use statecraft_runner::tournament::{PayoffConcept, analyse};

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
#[pyo3(signature = (scenario, runs=None, seed=None, rounds=None, threads=None, trajectories=0, set=Vec::new()))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments
fn run<'py>(
    py: Python<'py>,
    scenario: PathBuf,
    runs: Option<u64>,
    seed: Option<u64>,
    rounds: Option<u32>,
    threads: Option<usize>,
    trajectories: u64,
    set: Vec<(String, String)>,
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
        .detach(|| statecraft_api::run(&load(&scenario, &set)?, &opts))
        .map_err(py_err)?;
    batch_tables(py, &batch, trajectories > 0)
}

/// The scenario file `path` with the parameters of `set` (path, value as a scenario writes it)
/// replaced, as `--set PATH=VALUE` does.
fn load(path: &std::path::Path, set: &[(String, String)]) -> statecraft_api::Result<Loaded> {
    statecraft_api::load(path)?.with_set(set)
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
#[pyo3(signature = (reference, scenario, runs=None, seed=None, bootstrap=2000, threads=None, set=Vec::new()))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments
fn compare<'py>(
    py: Python<'py>,
    reference: PathBuf,
    scenario: PathBuf,
    runs: Option<u64>,
    seed: Option<u64>,
    bootstrap: usize,
    threads: Option<usize>,
    set: Vec<(String, String)>,
) -> PyResult<Bound<'py, PyDict>> {
    let c = py
        .detach(|| -> statecraft_api::Result<Comparisons> {
            let loaded = [load(&reference, &set)?, load(&scenario, &set)?];
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

/// What the scenario file `scenario` is: a dict with its `name`, `seed`, `runs`, `rounds`,
/// `actors` and `metrics` (the run-level metrics, the metric columns of `runs.csv`).
#[pyfunction]
#[pyo3(signature = (scenario, set=Vec::new()))]
fn info<'py>(
    py: Python<'py>,
    scenario: PathBuf,
    set: Vec<(String, String)>,
) -> PyResult<Bound<'py, PyDict>> {
    let l = load(&scenario, &set).map_err(py_err)?;
    let out = PyDict::new(py);
    out.set_item("name", &l.scenario.name)?;
    out.set_item("seed", l.scenario.seed)?;
    out.set_item("runs", l.scenario.runs)?;
    out.set_item("rounds", l.world.rounds)?;
    out.set_item("actors", &l.world.names)?;
    out.set_item("metrics", statecraft_core::metric_names(&l.world))?;
    Ok(out)
}

/// The exploratory ranges of the scenario's uncertain parameters (`params`: paths, each with
/// its own range or `None`; empty: the scenario's sweep section, else every uncertain
/// parameter), as the columns `path`, `lo`, `hi`, `source`: what EMA Workbench's
/// uncertainties and SALib's problem sample between.
#[pyfunction]
#[pyo3(signature = (scenario, params=Vec::new(), set=Vec::new()))]
fn parameters<'py>(
    py: Python<'py>,
    scenario: PathBuf,
    params: Vec<(String, Option<(f64, f64)>)>,
    set: Vec<(String, String)>,
) -> PyResult<Bound<'py, PyList>> {
    let ranges = load(&scenario, &set)
        .and_then(|l| statecraft_api::ranges(&l, &params))
        .map_err(py_err)?;
    let mut t = Table::new(py);
    t.objects("path", ranges.iter().map(|r| r.path.as_str()).collect())?;
    t.floats("lo", ranges.iter().map(|r| r.lo).collect());
    t.floats("hi", ranges.iter().map(|r| r.hi).collect());
    t.objects("source", ranges.iter().map(|r| r.source.as_str()).collect())?;
    t.into_list()
}

/// The design kind named `name`.
fn design_kind(name: &str) -> PyResult<DesignKind> {
    DesignKind::from_name(name).ok_or_else(|| {
        StatecraftError::new_err(format!(
            "design {name:?} is not one of grid, random, lhs, sobol"
        ))
    })
}

/// Runs a sweep as `statecraft sweep` does and returns `sweep.csv` as columns (`rows`: point,
/// each factor's value, then `{metric}_mean`, `_p5`, `_p50`, `_p95`), with `design`, `seed`,
/// `runs`, `rounds`, `factors` and `metrics`. `given` is a design made elsewhere: the
/// parameters' paths and a 2-D array of their values, one row per point (`sweep
/// --design-file`). The lock is released while it runs.
#[pyfunction]
#[pyo3(signature = (scenario, params=Vec::new(), design=None, points=None, levels=None,
    runs=None, seed=None, rounds=None, threads=None, set=Vec::new(), given=None))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments
fn sweep<'py>(
    py: Python<'py>,
    scenario: PathBuf,
    params: Vec<(String, Option<(f64, f64)>)>,
    design: Option<String>,
    points: Option<usize>,
    levels: Option<usize>,
    runs: Option<u64>,
    seed: Option<u64>,
    rounds: Option<u32>,
    threads: Option<usize>,
    set: Vec<(String, String)>,
    given: Option<(Vec<String>, PyReadonlyArray2<'py, f64>)>,
) -> PyResult<Bound<'py, PyDict>> {
    let given = match given {
        Some((paths, values)) => {
            let values = values.as_array();
            if values.ncols() != paths.len() {
                return Err(StatecraftError::new_err(format!(
                    "the design has {} columns for {} parameters",
                    values.ncols(),
                    paths.len()
                )));
            }
            Some((
                paths,
                values.rows().into_iter().map(|r| r.to_vec()).collect(),
            ))
        }
        None => None,
    };
    let opts = SweepOptions {
        params,
        design: design.as_deref().map(design_kind).transpose()?,
        points,
        levels,
        runs,
        seed,
        rounds,
        shard: None,
        given,
    };
    let (s, rows) = py
        .detach(|| -> statecraft_api::Result<_> {
            let loaded = load(&scenario, &set)?;
            let s = Sweep::new(&loaded, &opts)?;
            let rows = s.run(&loaded, threads)?;
            Ok((s, rows))
        })
        .map_err(py_err)?;
    let mut t = Table::new(py);
    t.ints("point", indices(rows.iter().map(|r| r.point as u64)));
    for (j, f) in s.factors.iter().enumerate() {
        t.floats(&f.path, rows.iter().map(|r| r.values[j]).collect());
    }
    for (k, m) in s.metrics.iter().enumerate() {
        for (j, stat) in statecraft_api::STATS.iter().enumerate() {
            t.floats(
                &format!("{m}_{stat}"),
                rows.iter()
                    .map(|r| statecraft_api::stat_cells(&r.summaries[k])[j])
                    .collect(),
            );
        }
    }
    let out = PyDict::new(py);
    out.set_item("rows", t.into_list()?)?;
    out.set_item("design", &s.design)?;
    out.set_item("seed", s.seed)?;
    out.set_item("runs", s.runs)?;
    out.set_item("rounds", s.rounds)?;
    let factors: Vec<&str> = s.factors.iter().map(|f| f.path.as_str()).collect();
    out.set_item("factors", factors)?;
    out.set_item("metrics", &s.metrics)?;
    Ok(out)
}

/// `tournament.csv` as columns: one row per cell and run.
fn tournament_rows<'py>(
    py: Python<'py>,
    t: &Tournament,
    world: &statecraft_core::World,
    played: &statecraft_api::Played,
) -> PyResult<Bound<'py, PyList>> {
    let na = t.allies.len();
    let rows = || {
        played
            .cells
            .iter()
            .enumerate()
            .flat_map(|(c, runs)| runs.iter().map(move |r| (c, r)))
    };
    let [hegemon, allies, run, numbers @ ..] = statecraft_api::PAYOFF_COLUMNS;
    let mut cells = Table::new(py);
    let names = rows().map(|(c, _)| t.hegemon[c / na].name.as_str());
    cells.objects(hegemon, names.collect())?;
    let names = rows().map(|(c, _)| t.allies[c % na].name.as_str());
    cells.objects(allies, names.collect())?;
    cells.ints(run, indices(rows().map(|(_, r)| r.run)));
    for (j, n) in numbers.iter().enumerate() {
        let values = rows().map(|(_, r)| statecraft_api::payoff_cells(r)[j]);
        cells.floats(n, values.collect());
    }
    for (i, column) in statecraft_api::welfare_columns(&world.names, world.hegemon) {
        cells.floats(&column, rows().map(|(_, r)| r.welfare[i]).collect());
    }
    cells.into_list()
}

/// `payoff_matrix.csv` as columns: one row per cell.
fn payoff_matrix<'py>(
    py: Python<'py>,
    t: &Tournament,
    analysis: &statecraft_runner::tournament::Analysis,
) -> PyResult<Bound<'py, PyList>> {
    let cs = &analysis.cells;
    let [hegemon, allies, runs, numbers @ ..] = statecraft_api::MATRIX_COLUMNS;
    let mut matrix = Table::new(py);
    let names = cs.iter().map(|c| t.hegemon[c.hegemon].name.as_str());
    matrix.objects(hegemon, names.collect())?;
    let names = cs.iter().map(|c| t.allies[c.allies].name.as_str());
    matrix.objects(allies, names.collect())?;
    matrix.ints(runs, indices(cs.iter().map(|c| c.runs)));
    for (j, n) in numbers.iter().enumerate() {
        let values = cs.iter().map(|c| statecraft_api::matrix_cells(c)[j]);
        matrix.floats(n, values.collect());
    }
    matrix.into_list()
}

/// `ranking.csv` as columns: the hegemon variants by rank, then the ally variants.
fn ranking<'py>(
    py: Python<'py>,
    t: &Tournament,
    analysis: &statecraft_runner::tournament::Analysis,
) -> PyResult<Bound<'py, PyList>> {
    let ranked: Vec<(&str, &str, &statecraft_runner::tournament::Ranked)> = analysis
        .hegemon_ranking
        .iter()
        .map(|r| ("hegemon", t.hegemon[r.variant].name.as_str(), r))
        .chain(
            analysis
                .ally_ranking
                .iter()
                .map(|r| ("ally", t.allies[r.variant].name.as_str(), r)),
        )
        .collect();
    let [role, variant, rank, numbers @ ..] = statecraft_api::RANKING_COLUMNS;
    let mut ranking = Table::new(py);
    ranking.objects(role, ranked.iter().map(|x| x.0).collect())?;
    ranking.objects(variant, ranked.iter().map(|x| x.1).collect())?;
    ranking.ints(rank, ranked.iter().map(|x| x.2.rank as i64).collect());
    for (j, n) in numbers.iter().enumerate() {
        let values = ranked.iter().map(|x| statecraft_api::ranking_cells(x.2)[j]);
        ranking.floats(n, values.collect());
    }
    ranking.into_list()
}

/// Plays a tournament as `statecraft tournament` does (without the evolutionary dynamics)
/// and returns `tournament.csv` (`rows`, one per cell and run), `payoff_matrix.csv`
/// (`matrix`) and `ranking.csv` (`ranking`) as columns, with `seed`, `runs` and `rounds`.
#[pyfunction]
#[pyo3(signature = (scenario, hegemon=Vec::new(), allies=Vec::new(), variants=None, runs=None,
    seed=None, rounds=None, cohesion_weight=0.0, payoff="national", resamples=1000,
    threads=None, set=Vec::new()))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments
fn tournament<'py>(
    py: Python<'py>,
    scenario: PathBuf,
    hegemon: Vec<String>,
    allies: Vec<String>,
    variants: Option<PathBuf>,
    runs: Option<u64>,
    seed: Option<u64>,
    rounds: Option<u32>,
    cohesion_weight: f64,
    payoff: &str,
    resamples: usize,
    threads: Option<usize>,
    set: Vec<(String, String)>,
) -> PyResult<Bound<'py, PyDict>> {
    let payoff = PayoffConcept::from_name(payoff).ok_or_else(|| {
        StatecraftError::new_err(format!(
            "payoff {payoff:?} is not one of national, government"
        ))
    })?;
    if resamples == 0 {
        return Err(StatecraftError::new_err("resamples must be at least 1"));
    }
    let opts = TournamentOptions {
        variants,
        hegemon,
        allies,
        runs,
        seed,
        rounds,
        cohesion_weight,
        payoff,
        ..TournamentOptions::default()
    };
    let (t, world, played) = py
        .detach(|| -> statecraft_api::Result<_> {
            let loaded = load(&scenario, &set)?;
            let t = Tournament::new(&loaded, &opts)?;
            let played = t.play(threads)?;
            Ok((t, loaded.world, played))
        })
        .map_err(py_err)?;
    let na = t.allies.len();
    let analysis = py.detach(|| analyse(&played.cells, na, resamples, t.seed));
    let out = PyDict::new(py);
    out.set_item("rows", tournament_rows(py, &t, &world, &played)?)?;
    out.set_item("matrix", payoff_matrix(py, &t, &analysis)?)?;
    out.set_item("ranking", ranking(py, &t, &analysis)?)?;
    out.set_item("seed", t.seed)?;
    out.set_item("runs", t.runs)?;
    out.set_item("rounds", t.rounds)?;
    Ok(out)
}

/// Runs a sensitivity analysis as `statecraft sensitivity` does and returns `sensitivity.csv`
/// as columns (`rows`), with `design`, `n`, `seed`, `runs`, `rounds` and `skipped` (the
/// metrics left out, with why). `method` is `sobol` or `morris`.
#[pyfunction]
#[pyo3(signature = (scenario, method="sobol", params=Vec::new(), samples=None, levels=None,
    runs=None, bootstrap=None, metrics=Vec::new(), seed=None, rounds=None, threads=None,
    set=Vec::new()))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments
fn sensitivity<'py>(
    py: Python<'py>,
    scenario: PathBuf,
    method: &str,
    params: Vec<(String, Option<(f64, f64)>)>,
    samples: Option<usize>,
    levels: Option<usize>,
    runs: Option<u64>,
    bootstrap: Option<usize>,
    metrics: Vec<String>,
    seed: Option<u64>,
    rounds: Option<u32>,
    threads: Option<usize>,
    set: Vec<(String, String)>,
) -> PyResult<Bound<'py, PyDict>> {
    let method = match method {
        "sobol" => Method::Sobol,
        "morris" => Method::Morris,
        other => {
            return Err(StatecraftError::new_err(format!(
                "method {other:?} is not one of sobol, morris"
            )));
        }
    };
    let opts = SensitivityOptions {
        method,
        params,
        samples,
        levels,
        runs,
        bootstrap,
        metrics,
        seed,
        rounds,
    };
    let (s, a) = py
        .detach(|| -> statecraft_api::Result<_> {
            let loaded = load(&scenario, &set)?;
            let s = Sensitivity::new(&loaded, &opts)?;
            let a = s.run(&loaded, threads)?;
            Ok((s, a))
        })
        .map_err(py_err)?;
    // One row per metric analysed and parameter, as sensitivity.csv.
    let rows: Vec<(&MetricIndices, usize)> = a
        .indices
        .iter()
        .flat_map(|m| (0..s.factors.len()).map(move |i| (m, i)))
        .collect();
    let mut t = Table::new(py);
    t.objects(
        "method",
        rows.iter().map(|(m, _)| m.indices.method()).collect(),
    )?;
    t.objects(
        "metric",
        rows.iter().map(|(m, _)| m.name.as_str()).collect(),
    )?;
    let paths = rows.iter().map(|(_, i)| s.factors[*i].path.as_str());
    t.objects("param", paths.collect())?;
    for (j, name) in INDEX_COLUMNS[3..].iter().enumerate() {
        let column = rows.iter().map(|(m, i)| m.cells(*i)[j].unwrap_or(f64::NAN));
        t.floats(name, column.collect());
    }
    let out = PyDict::new(py);
    out.set_item("rows", t.into_list()?)?;
    out.set_item("design", &s.design)?;
    out.set_item("n", s.n)?;
    out.set_item("seed", s.seed)?;
    out.set_item("runs", s.runs)?;
    out.set_item("rounds", s.rounds)?;
    let skipped: Vec<(String, &str)> = a.skipped.clone();
    out.set_item("skipped", skipped)?;
    Ok(out)
}

/// Scores a batch against the scenario's observed patterns (or those of `file`) as
/// `statecraft patterns` does and returns the patterns' rates (`patterns.json`'s entries) as
/// columns (`rates`), with `runs`, `seed` and `all_hits` (runs where every pattern holds).
#[pyfunction]
#[pyo3(signature = (scenario, file=None, runs=None, seed=None, rounds=None, threads=None,
    set=Vec::new()))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments
fn patterns<'py>(
    py: Python<'py>,
    scenario: PathBuf,
    file: Option<PathBuf>,
    runs: Option<u64>,
    seed: Option<u64>,
    rounds: Option<u32>,
    threads: Option<usize>,
    set: Vec<(String, String)>,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = PatternsOptions {
        file,
        runs,
        seed,
        rounds,
        keep_draws: false,
    };
    let (p, scored) = py
        .detach(|| -> statecraft_api::Result<_> {
            let loaded = load(&scenario, &set)?;
            let p = Patterns::new(&loaded, &opts)?;
            let scored = p.score(&loaded, threads)?;
            Ok((p, scored))
        })
        .map_err(py_err)?;
    let rates = p.rates(&scored);
    let mut t = Table::new(py);
    t.objects("id", rates.iter().map(|r| r.id.as_str()).collect())?;
    t.objects("name", rates.iter().map(|r| r.name.as_str()).collect())?;
    t.objects("test", rates.iter().map(|r| r.test.as_str()).collect())?;
    t.floats("target", rates.iter().map(|r| r.target).collect());
    t.floats("observed", optional(rates.iter().map(|r| r.observed)));
    t.floats("rate", rates.iter().map(|r| r.rate).collect());
    t.floats("mean", optional(rates.iter().map(|r| r.mean)));
    t.floats("p5", optional(rates.iter().map(|r| r.p5)));
    t.floats("p95", optional(rates.iter().map(|r| r.p95)));
    t.objects("met", rates.iter().map(|r| r.met).collect())?;
    t.objects("binding", rates.iter().map(|r| r.binding).collect())?;
    let out = PyDict::new(py);
    out.set_item("rates", t.into_list()?)?;
    out.set_item("runs", p.runs)?;
    out.set_item("seed", p.seed)?;
    out.set_item("all_hits", scored.all_hits)?;
    Ok(out)
}

/// The module `statecraft._statecraft`.
#[pymodule]
fn _statecraft(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(info, m)?)?;
    m.add_function(wrap_pyfunction!(parameters, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(tournament, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(patterns, m)?)?;
    m.add("StatecraftError", m.py().get_type::<StatecraftError>())?;
    Ok(())
}
