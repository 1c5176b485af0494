//! The one reader of a results folder's `runs.csv` (of `statecraft run`, `merge`, or `sweep
//! --per-run`): run indices (and a sweep's design points), parameter values and metrics, told
//! apart by what the folder says (its `schema.json`; for run folders written before it, the
//! metric list of `summary.json` or `shard.json`), never by the look of a column's name.

use std::path::Path;

use crate::schema::{ColumnKind, FolderSchema};
use crate::table::TableRows;
use crate::{Error, Result};

/// A folder's `runs.csv`, read whole: one entry per run in each column.
#[derive(Clone, Debug, PartialEq)]
pub struct RunsTable {
    /// The scenario's name (from `manifest.json`).
    pub scenario: String,
    /// The batch's seed.
    pub seed: u64,
    /// Run indices, in the file's order.
    pub runs: Vec<u64>,
    /// The design point of each row, for a sweep's runs (`None` for a batch's).
    pub points: Option<Vec<u64>>,
    /// Parameter columns (the uncertain parameters' paths; a sweep's factors first), in order.
    pub params: Vec<String>,
    /// `param_values[p][k]`: parameter p's draw in the k-th run.
    pub param_values: Vec<Vec<f64>>,
    /// Metric columns, in order.
    pub metrics: Vec<String>,
    /// `metric_values[m][k]`: metric m of the k-th run (`None` where undefined).
    pub metric_values: Vec<Vec<Option<f64>>>,
}

impl RunsTable {
    /// The values of metric `name`, one per run.
    pub fn metric(&self, name: &str) -> Option<&[Option<f64>]> {
        let m = self.metrics.iter().position(|x| x == name)?;
        Some(&self.metric_values[m])
    }

    /// The draws of parameter `name`, one per run.
    pub fn param(&self, name: &str) -> Option<&[f64]> {
        let p = self.params.iter().position(|x| x == name)?;
        Some(&self.param_values[p])
    }

    /// Reads the `runs.csv` of the results folder `dir` (written by `statecraft run`,
    /// `merge` or `sweep --per-run`), with the parameter draws that `statecraft run --draws
    /// table` keeps in `draws.csv`. Every cell must be a finite number or, in a metric column,
    /// empty.
    pub fn read(dir: &Path) -> Result<RunsTable> {
        RunsTable::read_with(dir, true)
    }

    /// [`RunsTable::read`] for readers of the metrics alone (`compare`, the report's
    /// distributions): `draws.csv` is not read, so `params` holds only `runs.csv`'s own
    /// parameter columns (none in a folder of `--draws table` or `--no-draws`).
    pub fn read_metrics(dir: &Path) -> Result<RunsTable> {
        RunsTable::read_with(dir, false)
    }

    fn read_with(dir: &Path, draws: bool) -> Result<RunsTable> {
        let shown = dir.display();
        let (scenario, seed) = scenario_and_seed(dir).map_err(|e| {
            Error::Invalid(format!(
                "{shown} is not a results folder of `statecraft run` (or `sweep --per-run`): {}",
                crate::chain(&e)
            ))
        })?;
        let mut rows = RunsRows::opened(&dir.join("runs.csv"), dir, draws)?;
        let mut t = RunsTable {
            scenario,
            seed,
            runs: Vec::new(),
            points: (rows.keys == 2).then(Vec::new),
            params: rows.params().map(str::to_string).collect(),
            param_values: vec![Vec::new(); rows.params().count()],
            metrics: rows.metrics().map(str::to_string).collect(),
            metric_values: vec![Vec::new(); rows.metrics.len()],
        };
        let mut row = RunsRow::default();
        while rows.read(&mut row)? {
            t.runs.push(row.run);
            if let (Some(points), Some(p)) = (t.points.as_mut(), row.point) {
                points.push(p);
            }
            for (v, x) in t.param_values.iter_mut().zip(&row.params) {
                v.push(*x);
            }
            for (v, x) in t.metric_values.iter_mut().zip(&row.metrics) {
                v.push(*x);
            }
        }
        if t.runs.is_empty() {
            return Err(Error::Invalid(format!(
                "{}: no runs",
                dir.join("runs.csv").display()
            )));
        }
        Ok(t)
    }
}

/// One row of a `runs.csv`, as [`RunsRows::read`] fills it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunsRow {
    /// The design point, for a sweep's runs.
    pub point: Option<u64>,
    /// The run index.
    pub run: u64,
    /// The parameter columns' values, in [`RunsRows::params`] order.
    pub params: Vec<f64>,
    /// The metric columns' values (`None` where undefined), in [`RunsRows::metrics`] order.
    pub metrics: Vec<Option<f64>>,
}

/// A `runs.csv` read row by row, in constant memory (what [`RunsTable::read`] collects):
/// its columns told apart by what the folder says, every cell checked as
/// [`RunsTable::read`] checks it. Where the folder keeps the parameter draws in their own
/// table (`statecraft run --draws table`), `draws.csv` is read beside it, row for row, and its
/// draws are the rows' parameters, as if they were runs.csv's columns.
pub struct RunsRows {
    rows: TableRows,
    keys: usize,
    params: Vec<usize>,
    metrics: Vec<usize>,
    /// `draws.csv` (`run`, then one column per parameter), where the folder has it.
    draws: Option<TableRows>,
}

impl RunsRows {
    /// Opens the `runs.csv` of the results folder `dir`, with its `draws.csv` where the folder
    /// keeps the draws there.
    pub fn open(dir: &Path) -> Result<RunsRows> {
        RunsRows::opened(&dir.join("runs.csv"), dir, true)
    }

    /// Opens the `runs.csv` at `file`, its columns told apart by the folder `described`
    /// (its `schema.json`, else the metric list of its `summary.json` or `shard.json`): a
    /// merged file being written, read with its first shard's description (shards keep their
    /// draws in runs.csv: no `draws.csv` is read).
    pub fn open_file(file: &Path, described: &Path) -> Result<RunsRows> {
        RunsRows::opened(file, described, false)
    }

    /// Opens `file` as [`RunsRows::open_file`] does, and with `draws` the `draws.csv` of
    /// `described` where its schema lists that table.
    fn opened(file: &Path, described: &Path, draws: bool) -> Result<RunsRows> {
        if !file.exists()
            && crate::read_manifest(&described.join("manifest.json")).is_ok_and(|m| m.summary_only)
        {
            return Err(Error::Invalid(format!(
                "{}: no runs.csv: the folder holds only the summary (`statecraft run --summary-only`); rerun the batch without --summary-only for the per-run tables",
                described.display()
            )));
        }
        let rows = TableRows::open(file)?;
        let header = rows.header();
        let (keys, metric_names) = columns(described, file, header)?;
        if let Some(m) = metric_names.iter().find(|m| !header.contains(m)) {
            return Err(Error::Invalid(format!(
                "{}: no column {m}, a metric the folder lists",
                file.display()
            )));
        }
        let (params, metrics): (Vec<usize>, Vec<usize>) =
            (keys..header.len()).partition(|&c| !metric_names.contains(&header[c]));
        let draws = if draws {
            draws_beside(described, file, params.len())?
        } else {
            None
        };
        Ok(RunsRows {
            rows,
            keys,
            params,
            metrics,
            draws,
        })
    }

    /// The header of runs.csv, every column (not those of a `draws.csv` read beside it).
    pub fn header(&self) -> &[String] {
        self.rows.header()
    }

    /// The parameter columns (the uncertain parameters' paths; a sweep's factors first), those
    /// of `draws.csv` where the folder keeps the draws there.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        let own = self.params.iter().map(|&c| self.header()[c].as_str());
        let beside = self.draws.iter().flat_map(|d| d.header()[1..].iter());
        own.chain(beside.map(String::as_str))
    }

    /// The `draws.csv` read beside runs.csv for the parameters (`statecraft run --draws
    /// table`), `None` when they are runs.csv's own columns.
    pub fn draws_file(&self) -> Option<&Path> {
        self.draws.as_ref().map(TableRows::path)
    }

    /// The metric columns.
    pub fn metrics(&self) -> impl Iterator<Item = &str> {
        self.metrics.iter().map(|&c| self.header()[c].as_str())
    }

    /// Reads the next row into `row`; `false` at the end of the file (an error where
    /// `draws.csv`, read beside it, has a row more or fewer, or another run in a row).
    pub fn read(&mut self, row: &mut RunsRow) -> Result<bool> {
        if !self.rows.read()? {
            self.check_draws_end()?;
            return Ok(false);
        }
        let t = &self.rows;
        row.run = t.whole(self.keys - 1)?;
        row.point = if self.keys == 2 {
            Some(t.whole(0)?)
        } else {
            None
        };
        row.params.clear();
        for &c in &self.params {
            row.params
                .push(t.number(c)?.ok_or_else(|| t.invalid(c, "empty"))?);
        }
        row.metrics.clear();
        for &c in &self.metrics {
            row.metrics.push(t.number(c)?);
        }
        if let Some(d) = self.draws.as_mut() {
            let (runs_file, line) = (t.path().display(), t.line());
            if !d.read()? {
                return Err(Error::Invalid(format!(
                    "{} has no row for run {} (line {line} of {runs_file}): it ends first; {}",
                    d.path().display(),
                    row.run,
                    NOT_ONE_BATCH
                )));
            }
            let run = d.whole(0)?;
            if run != row.run {
                let what = if run > row.run {
                    format!(
                        "no row for run {} (its line {} holds run {run})",
                        row.run,
                        d.line()
                    )
                } else {
                    format!(
                        "run {run} on line {} where line {line} of {runs_file} holds run {}",
                        d.line(),
                        row.run
                    )
                };
                return Err(Error::Invalid(format!(
                    "{}: {what}; {}",
                    d.path().display(),
                    NOT_ONE_BATCH
                )));
            }
            for c in 1..d.len() {
                row.params
                    .push(d.number(c)?.ok_or_else(|| d.invalid(c, "empty"))?);
            }
        }
        Ok(true)
    }

    /// Checks that `draws.csv`, where it is read beside runs.csv, has no row left once
    /// runs.csv has none.
    fn check_draws_end(&mut self) -> Result<()> {
        if let Some(d) = self.draws.as_mut()
            && d.read()?
        {
            return Err(Error::Invalid(format!(
                "{}: line {} (run {}) has no row in {}, which ends first; {}",
                d.path().display(),
                d.line(),
                d.text(0).unwrap_or("?"),
                self.rows.path().display(),
                NOT_ONE_BATCH
            )));
        }
        Ok(())
    }
}

/// What every error of a `draws.csv` that does not pair with its `runs.csv` ends with.
const NOT_ONE_BATCH: &str = "runs.csv and draws.csv are not of one batch (a file edited, cut or copied from another folder): restore them, or rerun the batch with --draws table";

/// `draws.csv` of the folder `dir`, opened, where the folder's `schema.json` lists a `draws`
/// table (`statecraft run --draws table`): its header must be the schema's, `run` first;
/// `None` for any other folder. `runs` is the folder's runs.csv, which must then hold no
/// parameter column (`own` is how many it holds).
fn draws_beside(dir: &Path, runs: &Path, own: usize) -> Result<Option<TableRows>> {
    let Some(schema) = FolderSchema::read(dir)? else {
        return Ok(None);
    };
    let Some(t) = schema.table("draws") else {
        return Ok(None);
    };
    let path = dir.join("draws.csv");
    if !path.is_file() {
        return Err(Error::Invalid(format!(
            "{} is missing: the folder keeps its parameter draws there (`statecraft run --draws table`; its schema.json lists the table); restore it, or rerun the batch with --draws table",
            path.display()
        )));
    }
    if own > 0 {
        return Err(Error::Invalid(format!(
            "{}: {own} parameter columns, where the folder's schema.json keeps the draws in draws.csv: the file was edited or is of another folder; restore it, or rerun the batch",
            runs.display()
        )));
    }
    let d = TableRows::open(&path)?;
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    if names != d.header() || names.first() != Some(&"run") {
        let found = d.header();
        let at = (0..names.len().max(found.len()))
            .find(|&k| names.get(k).copied() != found.get(k).map(String::as_str))
            .unwrap_or(0);
        return Err(Error::Invalid(format!(
            "{}: its columns are not those its folder's schema.json lists for the draws ({} columns, the schema {}; column {} is {:?} where the schema has {:?}): the file was edited or is of another folder; restore it, or rerun the batch with --draws table",
            path.display(),
            found.len(),
            names.len(),
            at + 1,
            found.get(at).map_or("nothing", String::as_str),
            names.get(at).copied().unwrap_or("nothing")
        )));
    }
    Ok(Some(d))
}

/// The scenario's name and the seed, from the folder's `manifest.json` (a run folder's or a
/// sweep's: both record `scenario_name` and `seed`).
fn scenario_and_seed(dir: &Path) -> Result<(String, u64)> {
    let path = dir.join("manifest.json");
    let text = crate::provenance::read_text(&path, "manifest")?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Error::Invalid(format!(
            "{} is not a statecraft manifest.json: {e}",
            path.display()
        ))
    })?;
    match (v["scenario_name"].as_str(), v["seed"].as_u64()) {
        (Some(name), Some(seed)) => Ok((name.to_string(), seed)),
        _ => Err(Error::Invalid(format!(
            "{} is not a statecraft manifest.json: no scenario_name or seed",
            path.display()
        ))),
    }
}

/// How many key columns the runs.csv `p` of folder `dir` starts with (`run`, or a sweep's `point` and `run`)
/// and which of its columns are metrics, as the folder states them: its `schema.json` (the
/// header must be the schema's columns, keys first), else, for a folder written before it, a
/// header starting `run` (or `point`, `run`) and the metric list of `summary.json` or
/// `shard.json`.
fn columns(dir: &Path, p: &Path, header: &[String]) -> Result<(usize, Vec<String>)> {
    let Some(s) = FolderSchema::read(dir)? else {
        let keys = if header.first().map(String::as_str) == Some("point") {
            2
        } else {
            1
        };
        if header.get(keys - 1).map(String::as_str) != Some("run") {
            return Err(Error::Invalid(format!(
                "{}: the first column is not `run` (nor `point` then `run`): not the runs.csv of `statecraft run` or `sweep --per-run`",
                p.display()
            )));
        }
        return Ok((keys, legacy_metrics(dir)?));
    };
    let t = s.table("runs").ok_or_else(|| {
        Error::Invalid(format!(
            "{}: no table `runs`",
            dir.join(FolderSchema::FILE).display()
        ))
    })?;
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    if names != header {
        return Err(Error::Invalid(format!(
            "{}: its columns are not those its schema.json lists ({} columns starting {:?}, the schema {} starting {:?}): the file was edited or is of another folder",
            p.display(),
            header.len(),
            header.iter().take(3).collect::<Vec<_>>(),
            names.len(),
            names.iter().take(3).collect::<Vec<_>>()
        )));
    }
    let keys = t
        .columns
        .iter()
        .take_while(|c| c.kind == ColumnKind::Key)
        .count();
    let last = names.get(keys.wrapping_sub(1)).copied();
    if !(1..=2).contains(&keys) || last != Some("run") {
        return Err(Error::Invalid(format!(
            "{}: the runs table's keys are not `run` (or `point`, `run`)",
            dir.join(FolderSchema::FILE).display()
        )));
    }
    let metrics = t.names_of(ColumnKind::Metric).map(str::to_string).collect();
    Ok((keys, metrics))
}

/// The metric list of a folder written before `schema.json`: `summary.json`'s or `shard.json`'s.
fn legacy_metrics(dir: &Path) -> Result<Vec<String>> {
    for (file, list) in [("summary.json", "metrics"), ("shard.json", "metrics")] {
        let path = dir.join(file);
        if !path.exists() {
            continue;
        }
        let text = crate::provenance::read_text(&path, file)?;
        let v: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Error::Invalid(format!("{}: not valid JSON: {e}", path.display())))?;
        let names = v[list].as_array().map(|a| {
            a.iter()
                .map(|m| m.get("name").unwrap_or(m).as_str().map(str::to_string))
                .collect::<Option<Vec<String>>>()
        });
        if let Some(Some(names)) = names {
            return Ok(names);
        }
        return Err(Error::Invalid(format!(
            "{}: no list of metrics",
            path.display()
        )));
    }
    Err(Error::Invalid(format!(
        "{}: no schema.json, summary.json or shard.json says which columns of runs.csv are metrics",
        dir.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provenance::{Manifest, TableFormat};
    use crate::schema::{Column, TableSchema};

    fn folder(name: &str, schema: bool, runs_csv: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("statecraft-runs-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let m = Manifest {
            statecraft_version: "0.1.0".into(),
            git_hash: "h".into(),
            cargo_lock_sha256: "l".into(),
            scenario_name: "toy".into(),
            scenario_sha256: crate::sha256_hex("()"),
            seed: 9,
            runs: 2,
            rounds: 3,
            trajectories: 0,
            shard: None,
            first: 0,
            end: 2,
            threads: 1,
            wall_seconds: 0.0,
            runs_per_second: 0.0,
            command: Vec::new(),
            formats: vec![TableFormat::Csv],
            world_series: false,
            draws: crate::Draws::Runs,
            summary_only: false,
            scenario: "()".into(),
        };
        std::fs::write(
            dir.join("manifest.json"),
            serde_json::to_vec(&m).expect("json"),
        )
        .expect("write");
        if schema {
            let t = TableSchema {
                name: "runs".into(),
                files: vec!["runs.csv".into()],
                row: "one run".into(),
                columns: vec![
                    Column::new("run", ColumnKind::Key, "", ""),
                    // A parameter without a dot and a metric with one: the schema decides.
                    Column::new("lambda", ColumnKind::Parameter, "", ""),
                    Column::new("rent.total", ColumnKind::Metric, "bn USD", ""),
                ],
            };
            std::fs::write(
                dir.join("schema.json"),
                FolderSchema::new(vec![t]).to_json(),
            )
            .expect("write");
        }
        std::fs::write(dir.join("runs.csv"), runs_csv).expect("write");
        dir
    }

    #[test]
    fn the_schema_says_which_columns_are_metrics() {
        let dir = folder("schema", true, "run,lambda,rent.total\n0,1.5,2\n1,0.5,\n");
        let t = RunsTable::read(&dir).expect("read");
        assert_eq!((t.scenario.as_str(), t.seed), ("toy", 9));
        assert_eq!(t.params, ["lambda"]);
        assert_eq!(t.param("lambda"), Some(&[1.5, 0.5][..]));
        assert_eq!(t.metric("rent.total"), Some(&[Some(2.0), None][..]));
        // A column the schema does not list: the file is not what the folder says.
        std::fs::write(
            dir.join("runs.csv"),
            "run,lambda,extra,rent.total\n0,1,2,3\n",
        )
        .expect("write");
        let e = RunsTable::read(&dir).unwrap_err().to_string();
        assert!(
            e.contains("its columns are not those its schema.json lists"),
            "{e}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn without_a_schema_the_summary_lists_the_metrics() {
        let dir = folder("summary", false, "run,model.x,rent\n0,1,2\n");
        std::fs::write(
            dir.join("summary.json"),
            r#"{"metrics": [{"name": "rent", "n": 1}]}"#,
        )
        .expect("write");
        let t = RunsTable::read(&dir).expect("read");
        assert_eq!(
            (t.params.as_slice(), t.metrics.as_slice()),
            (&["model.x".to_string()][..], &["rent".to_string()][..])
        );
        std::fs::remove_file(dir.join("summary.json")).expect("rm");
        let e = RunsTable::read(&dir).unwrap_err().to_string();
        assert!(
            e.contains("says which columns of runs.csv are metrics"),
            "{e}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bad_cells_name_the_file_line_and_column() {
        let dir = folder("bad", true, "run,lambda,rent.total\n0,1.5,2\n1,0.5,inf\n");
        let e = RunsTable::read(&dir).unwrap_err().to_string();
        assert!(e.ends_with("runs.csv:3: column rent.total: inf is not a finite number; a results folder of statecraft holds none"), "{e}");
        std::fs::write(dir.join("runs.csv"), "run,lambda,rent.total\n0,x,2\n").expect("write");
        let e = RunsTable::read(&dir).unwrap_err().to_string();
        assert!(
            e.ends_with("runs.csv:2: column lambda: \"x\" is not a number"),
            "{e}"
        );
        std::fs::remove_file(dir.join("manifest.json")).expect("rm");
        let e = RunsTable::read(&dir).unwrap_err().to_string();
        assert!(
            e.contains(
                "is not a results folder of `statecraft run` (or `sweep --per-run`): cannot read"
            ),
            "{e}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn draws_kept_apart_are_read_beside_runs_csv_row_for_row() {
        // A folder of `run --draws table`: runs.csv holds run and the metrics, draws.csv run
        // and the draws; RunsTable reads them as one table.
        let dir = folder("apart", false, "run,rent.total\n0,2\n1,\n");
        let runs = TableSchema {
            name: "runs".into(),
            files: vec!["runs.csv".into()],
            row: "one run".into(),
            columns: vec![
                Column::new("run", ColumnKind::Key, "", ""),
                Column::new("rent.total", ColumnKind::Metric, "bn USD", ""),
            ],
        };
        let draws = TableSchema {
            name: "draws".into(),
            files: vec!["draws.csv".into()],
            row: "one run".into(),
            columns: vec![
                Column::new("run", ColumnKind::Key, "", ""),
                Column::new("lambda", ColumnKind::Parameter, "", ""),
                Column::new("model.x", ColumnKind::Parameter, "", ""),
            ],
        };
        std::fs::write(
            dir.join("schema.json"),
            FolderSchema::new(vec![runs, draws]).to_json(),
        )
        .expect("write");
        let read = |draws_csv: &str| {
            std::fs::write(dir.join("draws.csv"), draws_csv).expect("write");
            RunsTable::read(&dir).map_err(|e| e.to_string())
        };
        let t = read("run,lambda,model.x\n0,1.5,7\n1,0.5,8\n").expect("read");
        assert_eq!(t.params, ["lambda", "model.x"]);
        assert_eq!(t.param("model.x"), Some(&[7.0, 8.0][..]));
        assert_eq!(t.metric("rent.total"), Some(&[Some(2.0), None][..]));
        // Rows that do not pair up are refused, naming both files and what to do.
        let e = read("run,lambda,model.x\n0,1.5,7\n2,0.5,8\n").unwrap_err();
        assert!(
            e.contains("draws.csv: no row for run 1 (its line 3 holds run 2)"),
            "{e}"
        );
        assert!(e.contains("rerun the batch with --draws table"), "{e}");
        let e = read("run,lambda,model.x\n0,1.5,7\n0,0.5,8\n").unwrap_err();
        assert!(
            e.contains("draws.csv: run 0 on line 3 where line 3 of"),
            "{e}"
        );
        let e = read("run,lambda,model.x\n0,1.5,7\n").unwrap_err();
        assert!(
            e.contains("draws.csv has no row for run 1 (line 3 of"),
            "{e}"
        );
        let e = read("run,lambda,model.x\n0,1.5,7\n1,0.5,8\n2,0,0\n").unwrap_err();
        assert!(e.contains("line 4 (run 2) has no row in"), "{e}");
        let e = read("run,model.x,lambda\n0,7,1.5\n1,8,0.5\n").unwrap_err();
        assert!(
            e.contains("column 2 is \"model.x\" where the schema has \"lambda\""),
            "{e}"
        );
        // Readers of the metrics alone do not need draws.csv.
        let t = RunsTable::read_metrics(&dir).expect("metrics");
        assert!(t.params.is_empty() && t.metric("rent.total").is_some());
        std::fs::remove_file(dir.join("draws.csv")).expect("rm");
        let e = RunsTable::read(&dir).unwrap_err().to_string();
        assert!(
            e.contains("draws.csv is missing: the folder keeps its parameter draws there"),
            "{e}"
        );
        assert!(RunsTable::read_metrics(&dir).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
