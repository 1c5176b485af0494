//! `statecraft export DIR --to ema OUT.tar.gz`: a results folder as the archive that EMA
//! Workbench's `ema_workbench.load_results()` reads (the layout of its `save_results`, checked
//! against ema_workbench 2.5.3, `util/utilities.py` and `em_framework/outcomes.py`):
//!
//! - `experiments.csv`: one row per run, a column per uncertain parameter (its path, e.g.
//!   `actors.JPN.resolve`) plus EMA's `scenario` (the run index), `policy` (the scenario name)
//!   and `model` (`statecraft`);
//! - `NAME.cls`: one value per line and run for each scalar outcome: every run-level metric of
//!   `runs.csv` (`nan` where the metric is undefined) and every final value of `actors.csv`,
//!   named `actors.ACTOR.COLUMN`;
//! - `NAME.csv`: an `ArrayOutcome` of runs × rounds for each time series of `trajectories.csv`,
//!   named `trajectories.ACTOR.COLUMN`, and `TIME` (the round numbers), written only when every
//!   run of the folder has its trajectory (`run --trajectories` at least the number of runs);
//! - `metadata.json`: `version` 0.1, `outcomes` as `[class, name, file]`, `experiments` as
//!   `{column: dtype}`, and `statecraft` (the folder's manifest without its timings);
//! - `manifest.json`, copied from the folder (`load_results` ignores it).
//!
//! Several folders (`export A B ... --to ema OUT`, e.g. scenarios run with one seed) make one
//! archive of their run-level outcomes: an experiment per run of each, EMA's `policy` the
//! folder's scenario (`#2`, `#3` when two share a name) and `scenario` its run index (the same
//! index, the same random numbers in every folder of one seed), the parameter columns of all
//! (empty, NaN to pandas, where a folder's scenario has no such parameter) and a `.cls` file per
//! run-level metric of any (`nan` where a folder has none); `manifest_K.json` copies each
//! folder's manifest, and `metadata.json`'s `statecraft` lists them. The folders' tables are
//! read whole, one at a time (per-actor values and time series: export one folder).
//!
//! Memory stays constant: columns are streamed to files in a temporary folder (a bounded number
//! open at once, re-reading the CSV for each group), then packed into the archive with fixed
//! dates and owners, so the same folder always gives the same bytes.

use std::process::ExitCode;

use anyhow::Result;

use crate::args::{ExportArgs, ExportFormat};

/// Runs `statecraft export`.
pub fn export(args: ExportArgs) -> Result<ExitCode> {
    if args.paths.len() < 2 {
        input_bail!(
            "export needs a results folder (or several) and then the archive to write: statecraft export DIR... --to ema OUT"
        );
    }
    match args.to {
        ExportFormat::Ema => ema(&args),
    }
}

#[cfg(not(feature = "ema"))]
fn ema(_: &ExportArgs) -> Result<ExitCode> {
    input_bail!(
        "export --to ema: this statecraft was built without the EMA Workbench export; build it with `cargo build --release --features ema` (or `cargo install --path crates/statecraft-cli --features ema`)"
    )
}

#[cfg(feature = "ema")]
fn ema(args: &ExportArgs) -> Result<ExitCode> {
    imp::ema(args)
}

#[cfg(feature = "ema")]
mod imp {
    use std::fs::File;
    use std::io::{BufWriter, Write};
    use std::path::Path;
    use std::process::ExitCode;

    use anyhow::{Context, Result};
    use statecraft_core::{ActorColumn, metric_names};

    use crate::args::ExportArgs;
    use crate::error::OrInput;
    use crate::output::OutDir;
    use crate::output::fmt_num;
    use statecraft_results::{Manifest, TableRows, read_manifest, sha256_hex};

    /// Outcome files open at once (each pass over a CSV fills at most this many).
    const OPEN_FILES: usize = 128;

    /// Where the archive is assembled inside the temporary folder.
    const ARCHIVE: &str = ".archive.tar.gz";

    /// An outcome as `metadata.json` lists it.
    struct Outcome {
        class: &'static str,
        name: String,
        file: String,
    }

    /// Checks a name used as a file name inside the archive.
    fn file_safe(name: &str, what: &str) -> Result<()> {
        if name.is_empty() || name.contains(['/', '\\', '\0']) || name.starts_with('.') {
            input_bail!(
                "{what} {name:?} cannot be a file name in the archive (no /, \\ or leading dot)"
            );
        }
        Ok(())
    }

    /// The input error of a table at `p` whose columns are `found` where the manifest's
    /// scenario gives `header`.
    fn columns_differ<S: AsRef<str>>(p: &Path, header: &[String], found: &[S]) -> anyhow::Error {
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let found: Vec<&str> = found.iter().map(AsRef::as_ref).collect();
        crate::error::input(anyhow::anyhow!(
            "{}: its columns are not those of the scenario in its manifest.json (expected {} columns starting {:?}, found {} starting {:?})",
            p.display(),
            header.len(),
            &header[..header.len().min(3)],
            found.len(),
            &found[..found.len().min(3)]
        ))
    }

    /// An input error unless the CSV table `p` is there (a folder written with `--format
    /// parquet` has none).
    fn need_csv(p: &Path) -> Result<()> {
        if !p.is_file() {
            input_bail!(
                "cannot read {} (the export reads the CSV tables: run with --format csv or csv,parquet)",
                p.display()
            );
        }
        Ok(())
    }

    /// The table `dir/name`, read row by row, whose header must be `header`.
    fn open_table(dir: &Path, name: &str, header: &[String]) -> Result<TableRows> {
        let p = dir.join(name);
        need_csv(&p)?;
        let rows = TableRows::open(&p).input()?;
        if rows.header() != header {
            return Err(columns_differ(&p, header, rows.header()));
        }
        Ok(rows)
    }

    /// An archive being assembled: where, and what it holds so far.
    struct Archive<'a> {
        /// The results folder exported.
        dir: &'a Path,
        out: OutDir,
        outcomes: Vec<Outcome>,
        /// Files to pack, in order.
        files: Vec<String>,
        /// The actors' names.
        names: &'a [String],
        /// The folder's run indices.
        first: u64,
        end: u64,
    }

    impl Archive<'_> {
        /// Opens an outcome file `file` for outcome `name` of `class`, listed in the archive.
        fn outcome(
            &mut self,
            class: &'static str,
            name: String,
            file: String,
        ) -> Result<BufWriter<File>> {
            let w = self.out.file(&file)?;
            self.files.push(file.clone());
            self.outcomes.push(Outcome { class, name, file });
            Ok(w)
        }

        fn runs(&self) -> u64 {
            self.end - self.first
        }
    }

    fn flush(w: &mut BufWriter<File>) -> Result<()> {
        w.flush().context("cannot write an outcome file")
    }

    /// `experiments.csv` and a `.cls` file per run-level metric, from `runs.csv` read row by
    /// row through [`statecraft_results::RunsRows`] (its columns as the folder describes
    /// them, which must be those of the scenario in its manifest.json), numbers written back
    /// in the form the CSV writer gives them.
    fn run_outcomes(
        x: &mut Archive,
        world: &statecraft_core::World,
        params: &[String],
    ) -> Result<()> {
        let metrics = metric_names(world);
        let p = x.dir.join("runs.csv");
        need_csv(&p)?;
        let mut rows = statecraft_results::RunsRows::open(x.dir).input()?;
        // The draws are runs.csv's columns, or read beside it from draws.csv.
        let mut header = vec!["run".to_string()];
        if rows.draws_file().is_none() {
            header.extend(params.iter().cloned());
        }
        header.extend(metrics.iter().cloned());
        if let Some(d) = rows.draws_file()
            && !rows.params().eq(params.iter().map(String::as_str))
        {
            let mut keyed = vec!["run".to_string()];
            keyed.extend(params.iter().cloned());
            let found: Vec<&str> = ["run"].into_iter().chain(rows.params()).collect();
            return Err(columns_differ(d, &keyed, &found));
        }
        let found = rows.header();
        if found != header
            || !rows.params().eq(params.iter().map(String::as_str))
            || !rows.metrics().eq(metrics.iter().map(String::as_str))
        {
            return Err(columns_differ(&p, &header, found));
        }
        let mut exp = csv::Writer::from_writer(x.out.file("experiments.csv")?);
        let mut eheader: Vec<&str> = params.iter().map(String::as_str).collect();
        eheader.extend(["scenario", "policy", "model"]);
        exp.write_record(&eheader)
            .context("cannot write experiments.csv")?;
        let mut mfiles = Vec::with_capacity(metrics.len());
        for m in &metrics {
            mfiles.push(x.outcome("ScalarOutcome", m.clone(), format!("{m}.cls"))?);
        }
        let mut row = statecraft_results::RunsRow::default();
        let (first, mut n) = (x.first, 0u64);
        while rows.read(&mut row).input()? {
            let run = row.run;
            if run != first + n {
                input_bail!(
                    "runs.csv, line {}: run {run} where run {} was expected",
                    n + 2,
                    first + n
                );
            }
            for v in &row.params {
                fmt_num(*v, |s| exp.write_field(s)).context("cannot write experiments.csv")?;
            }
            exp.write_field(run.to_string())
                .and_then(|()| exp.write_field(&world.name))
                .and_then(|()| exp.write_field("statecraft"))
                .and_then(|()| exp.write_record(None::<&[u8]>))
                .context("cannot write experiments.csv")?;
            for (j, (f, v)) in mfiles.iter_mut().zip(&row.metrics).enumerate() {
                match v {
                    Some(v) => fmt_num(*v, |s| f.write_all(s.as_bytes())),
                    None => f.write_all(b"nan"),
                }
                .and_then(|()| f.write_all(b"\n"))
                .with_context(|| format!("cannot write {}.cls", metrics[j]))?;
            }
            n += 1;
        }
        if n != x.runs() {
            input_bail!(
                "{}: {n} runs where its manifest.json says {} (runs {first}..{})",
                p.display(),
                x.runs(),
                x.end
            );
        }
        exp.flush().context("cannot write experiments.csv")?;
        for f in &mut mfiles {
            flush(f)?;
        }
        Ok(())
    }

    /// A `.cls` file per actor and final value, from `actors.csv`, a group of files per pass.
    fn actor_outcomes(x: &mut Archive) -> Result<()> {
        let names = x.names;
        let mut aheader = vec!["run".to_string(), "actor".to_string(), "role".to_string()];
        aheader.extend(ActorColumn::ALL.iter().map(|c| c.name().to_string()));
        let acols = ActorColumn::ALL.len();
        let total = names.len() * acols;
        let (n_runs, n_act) = (x.runs(), names.len() as u64);
        let name_of = |k: usize| {
            format!(
                "actors.{}.{}",
                names[k / acols],
                ActorColumn::ALL[k % acols].name()
            )
        };
        for lo in (0..total).step_by(OPEN_FILES) {
            let hi = (lo + OPEN_FILES).min(total);
            let mut group = Vec::with_capacity(hi - lo);
            for k in lo..hi {
                group.push(x.outcome(
                    "ScalarOutcome",
                    name_of(k),
                    format!("{}.cls", name_of(k)),
                )?);
            }
            let mut rows = open_table(x.dir, "actors.csv", &aheader)?;
            let mut row = 0u64;
            while rows.read().input()? {
                let (run, a) = (x.first + row / n_act, (row % n_act) as usize);
                if rows.whole(0).input()? != run || rows.bytes(1) != names[a].as_bytes() {
                    input_bail!(
                        "actors.csv, line {}: expected run {run}, actor {} (rows by run, then actor)",
                        row + 2,
                        names[a]
                    );
                }
                for c in 0..acols {
                    let k = a * acols + c;
                    if (lo..hi).contains(&k) {
                        let f = &mut group[k - lo];
                        f.write_all(rows.bytes(3 + c))
                            .and_then(|()| f.write_all(b"\n"))
                            .with_context(|| format!("cannot write {}.cls", name_of(k)))?;
                    }
                }
                row += 1;
            }
            if row != n_runs * n_act {
                input_bail!(
                    "actors.csv: {row} rows where {n_runs} runs of {n_act} actors need {}",
                    n_runs * n_act
                );
            }
            for f in &mut group {
                flush(f)?;
            }
        }
        Ok(())
    }

    /// The time series, when every run has its trajectory: `TIME.csv` and an `ArrayOutcome`
    /// per actor and trajectory column. Returns a note when they are left out.
    fn series_outcomes(x: &mut Archive, manifest: &Manifest) -> Result<Option<String>> {
        let (dir, first, end) = (x.dir, x.first, x.end);
        if !dir.join("trajectories.csv").exists() {
            return Ok(Some(format!(
                "{} has no trajectories.csv: scalar outcomes only (run with --trajectories {} for time series)",
                dir.display(),
                manifest.runs
            )));
        }
        if manifest.trajectories < end {
            return Ok(Some(format!(
                "trajectories.csv holds runs below {} of {first}..{end}: time series left out, as EMA needs one for every run (run with --trajectories {} for them)",
                manifest.trajectories, manifest.runs
            )));
        }
        // TIME: the round numbers, one row per run.
        let rounds = u64::from(manifest.rounds);
        let mut time = x.outcome("ArrayOutcome", "TIME".into(), "TIME.csv".into())?;
        let line: Vec<String> = (0..rounds).map(|t| t.to_string()).collect();
        let line = format!("{}\n", line.join(","));
        for _ in 0..x.runs() {
            time.write_all(line.as_bytes())
                .context("cannot write TIME.csv")?;
        }
        flush(&mut time)?;
        let columns: Vec<&str> = statecraft_core::trajectory_numbers().collect();
        let total = x.names.len() * columns.len();
        for lo in (0..total).step_by(OPEN_FILES) {
            series_group(x, &columns, lo..(lo + OPEN_FILES).min(total), rounds)?;
        }
        Ok(None)
    }

    /// One pass over `trajectories.csv` filling the series `group` (indices of actor x column).
    fn series_group(
        x: &mut Archive,
        columns: &[&str],
        group: std::ops::Range<usize>,
        rounds: u64,
    ) -> Result<()> {
        let names = x.names;
        let vars = columns.len();
        let name_of = |k: usize| format!("trajectories.{}.{}", names[k / vars], columns[k % vars]);
        let mut files = Vec::with_capacity(group.len());
        for k in group.clone() {
            let w = x.outcome("ArrayOutcome", name_of(k), format!("{}.csv", name_of(k)))?;
            files.push((w, Vec::<u8>::new()));
        }
        let mut theader = vec!["run".to_string(), "round".to_string(), "actor".to_string()];
        theader.extend(columns.iter().map(|c| c.to_string()));
        theader.push("action".to_string());
        let mut rows = open_table(x.dir, "trajectories.csv", &theader)?;
        let n_act = names.len() as u64;
        let per_run = rounds * n_act;
        let mut row = 0u64;
        while rows.read().input()? {
            let run = x.first + row / per_run;
            let round = (row % per_run) / n_act;
            let a = (row % n_act) as usize;
            if run >= x.end
                || rows.whole(0).input()? != run
                || rows.whole(1).input()? != round
                || rows.bytes(2) != names[a].as_bytes()
            {
                input_bail!(
                    "trajectories.csv, line {}: expected run {run}, round {round}, actor {} (rows by run, round, then actor; {rounds} rounds per run)",
                    row + 2,
                    names[a]
                );
            }
            for v in 0..vars {
                let k = a * vars + v;
                if group.contains(&k) {
                    let buf = &mut files[k - group.start].1;
                    if round > 0 {
                        buf.push(b',');
                    }
                    buf.extend_from_slice(rows.bytes(3 + v));
                    if round + 1 == rounds {
                        buf.push(b'\n');
                    }
                }
            }
            row += 1;
            if row.is_multiple_of(per_run) {
                for (k, (f, buf)) in files.iter_mut().enumerate() {
                    f.write_all(buf).with_context(|| {
                        format!("cannot write {}.csv", name_of(group.start + k))
                    })?;
                    buf.clear();
                }
            }
        }
        if row != x.runs() * per_run {
            input_bail!(
                "trajectories.csv: {row} rows where {} runs of {rounds} rounds and {n_act} actors need {}",
                x.runs(),
                x.runs() * per_run
            );
        }
        for (f, _) in &mut files {
            flush(f)?;
        }
        Ok(())
    }

    /// `metadata.json`, as save_results writes it (plus statecraft's provenance), and the
    /// folder's `manifest.json`.
    fn metadata(
        x: &mut Archive,
        params: &[String],
        provenance: serde_json::Value,
        mpath: Option<&Path>,
    ) -> Result<()> {
        let mut experiments = serde_json::Map::new();
        for p in params {
            experiments.insert(p.clone(), "float64".into());
        }
        experiments.insert("scenario".into(), "int64".into());
        experiments.insert("policy".into(), "object".into());
        experiments.insert("model".into(), "object".into());
        let listed: Vec<[&str; 3]> = x
            .outcomes
            .iter()
            .map(|o| [o.class, o.name.as_str(), o.file.as_str()])
            .collect();
        let metadata = serde_json::json!({
            "version": 0.1,
            "outcomes": listed,
            "experiments": experiments,
            "statecraft": provenance,
        });
        x.out
            .write("metadata.json", &serde_json::to_vec(&metadata)?)?;
        x.files.push("metadata.json".to_string());
        if let Some(mpath) = mpath {
            std::fs::copy(mpath, x.out.path("manifest.json"))
                .with_context(|| format!("cannot copy {}", mpath.display()))?;
            x.files.push("manifest.json".to_string());
        }
        Ok(())
    }

    /// Packs the files into the archive: fixed dates and owners, so that the same folder gives
    /// the same bytes.
    fn pack(x: Archive) -> Result<std::path::PathBuf> {
        let gz =
            flate2::write::GzEncoder::new(x.out.file(ARCHIVE)?, flate2::Compression::default());
        let mut tar = tar::Builder::new(gz);
        for name in &x.files {
            let path = x.out.path(name);
            let mut f =
                File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let len = f
                .metadata()
                .with_context(|| format!("cannot read {}", path.display()))?
                .len();
            let mut h = tar::Header::new_gnu();
            h.set_size(len);
            h.set_mode(0o644);
            h.set_mtime(0);
            h.set_uid(0);
            h.set_gid(0);
            tar.append_data(&mut h, name, &mut f)
                .with_context(|| format!("cannot add {name} to the archive"))?;
        }
        let mut w = tar
            .into_inner()
            .and_then(|gz| gz.finish())
            .context("cannot write the archive")?;
        w.flush().context("cannot write the archive")?;
        drop(w);
        Ok(x.out.commit_file(ARCHIVE)?)
    }

    /// The archive of a sweep's per-run table (`sweep --per-run`): experiments from its
    /// parameter columns (the factors and the other draws), a scalar outcome per metric; no
    /// per-actor values or time series (a sweep writes none).
    fn sweep_archive<'a>(args: &'a ExportArgs, mpath: &Path) -> Result<(Archive<'a>, usize)> {
        let dir = &args.dirs()[0];
        if !dir.join("runs.csv").exists() {
            input_bail!(
                "{} is a sweep without runs.csv: export needs every run (sweep --per-run)",
                dir.display()
            );
        }
        let t = statecraft_results::RunsTable::read(dir).input()?;
        let mut x = Archive {
            dir,
            out: OutDir::create_for_file(args.out(), args.force)?,
            outcomes: Vec::new(),
            files: vec!["experiments.csv".to_string()],
            names: &[],
            first: 0,
            end: t.runs.len() as u64,
        };
        let mut exp = csv::Writer::from_writer(x.out.file("experiments.csv")?);
        let mut header: Vec<&str> = t.params.iter().map(String::as_str).collect();
        header.extend(["scenario", "policy", "model"]);
        exp.write_record(&header)
            .context("cannot write experiments.csv")?;
        for k in 0..t.runs.len() {
            for v in &t.param_values {
                exp.write_field(v[k].to_string())
                    .context("cannot write experiments.csv")?;
            }
            // EMA's scenario: the row (point-major, run-minor), unique per experiment.
            exp.write_field(k.to_string())
                .and_then(|()| exp.write_field(&t.scenario))
                .and_then(|()| exp.write_field("statecraft"))
                .and_then(|()| exp.write_record(None::<&[u8]>))
                .context("cannot write experiments.csv")?;
        }
        exp.flush().context("cannot write experiments.csv")?;
        drop(exp);
        for (m, values) in t.metrics.iter().zip(&t.metric_values) {
            let mut f = x.outcome("ScalarOutcome", m.clone(), format!("{m}.cls"))?;
            for v in values {
                let line = v.map_or("nan".to_string(), |v| v.to_string());
                writeln!(f, "{line}").with_context(|| format!("cannot write {m}.cls"))?;
            }
            flush(&mut f)?;
        }
        let text = crate::load::read_input(mpath, "manifest")?;
        let mut provenance: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("{}: not valid JSON", mpath.display()))
            .input()?;
        statecraft_results::provenance::without_varying(&mut provenance);
        metadata(&mut x, &t.params, provenance, Some(mpath))?;
        Ok((x, t.params.len()))
    }

    /// Whether `dir` is a sweep's folder (its manifest says so).
    fn is_sweep(mpath: &Path) -> bool {
        std::fs::read_to_string(mpath)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .is_some_and(|v| v["kind"] == "sweep")
    }

    /// The archive of several folders' run-level outcomes (the module's documentation).
    fn several_archive(args: &ExportArgs) -> Result<(Archive<'_>, usize)> {
        let mut tables = Vec::with_capacity(args.dirs().len());
        for dir in args.dirs() {
            // A run folder written without its tables or draws in runs.csv (a sweep's
            // manifest is not a run manifest and has them).
            if let Ok(m) = read_manifest(&dir.join("manifest.json")) {
                exportable(dir, &m)?;
            }
            tables.push(statecraft_results::RunsTable::read(dir).input()?);
        }
        let mut labels: Vec<String> = tables.iter().map(|t| t.scenario.clone()).collect();
        statecraft_api::distinct_labels(&mut labels);
        let union = |names: &dyn Fn(&statecraft_results::RunsTable) -> &[String]| {
            let mut all: Vec<String> = Vec::new();
            for t in &tables {
                for n in names(t) {
                    if !all.contains(n) {
                        all.push(n.clone());
                    }
                }
            }
            all
        };
        let params = union(&|t| &t.params);
        let metrics = union(&|t| &t.metrics);
        for m in &metrics {
            file_safe(m, "metric name")?;
        }
        let total: usize = tables.iter().map(|t| t.runs.len()).sum();
        let mut x = Archive {
            dir: &args.dirs()[0],
            out: OutDir::create_for_file(args.out(), args.force)?,
            outcomes: Vec::new(),
            files: vec!["experiments.csv".to_string()],
            names: &[],
            first: 0,
            end: total as u64,
        };
        let mut exp = csv::Writer::from_writer(x.out.file("experiments.csv")?);
        let mut header: Vec<&str> = params.iter().map(String::as_str).collect();
        header.extend(["scenario", "policy", "model"]);
        exp.write_record(&header)
            .context("cannot write experiments.csv")?;
        for (t, label) in tables.iter().zip(&labels) {
            let columns: Vec<Option<&Vec<f64>>> = params
                .iter()
                .map(|p| {
                    t.params
                        .iter()
                        .position(|q| q == p)
                        .map(|i| &t.param_values[i])
                })
                .collect();
            for k in 0..t.runs.len() {
                for c in &columns {
                    let cell = c.map_or(String::new(), |v| v[k].to_string());
                    exp.write_field(cell)
                        .context("cannot write experiments.csv")?;
                }
                // A sweep's runs repeat their indices over the points: its rows count.
                let id = if t.points.is_some() {
                    k as u64
                } else {
                    t.runs[k]
                };
                exp.write_field(id.to_string())
                    .and_then(|()| exp.write_field(label))
                    .and_then(|()| exp.write_field("statecraft"))
                    .and_then(|()| exp.write_record(None::<&[u8]>))
                    .context("cannot write experiments.csv")?;
            }
        }
        exp.flush().context("cannot write experiments.csv")?;
        drop(exp);
        for m in &metrics {
            let mut f = x.outcome("ScalarOutcome", m.clone(), format!("{m}.cls"))?;
            for t in &tables {
                match t.metric(m) {
                    Some(values) => {
                        for v in values {
                            let line = v.map_or("nan".to_string(), |v| v.to_string());
                            writeln!(f, "{line}")
                                .with_context(|| format!("cannot write {m}.cls"))?;
                        }
                    }
                    None => {
                        for _ in &t.runs {
                            writeln!(f, "nan").with_context(|| format!("cannot write {m}.cls"))?;
                        }
                    }
                }
            }
            flush(&mut f)?;
        }
        let mut provenance = Vec::with_capacity(args.dirs().len());
        for (k, dir) in args.dirs().iter().enumerate() {
            let mpath = dir.join("manifest.json");
            let text = crate::load::read_input(&mpath, "manifest")?;
            let mut p: serde_json::Value = serde_json::from_str(&text)
                .with_context(|| format!("{}: not valid JSON", mpath.display()))
                .input()?;
            statecraft_results::provenance::without_varying(&mut p);
            provenance.push(p);
            let copy = format!("manifest_{}.json", k + 1);
            std::fs::copy(&mpath, x.out.path(&copy))
                .with_context(|| format!("cannot copy {}", mpath.display()))?;
            x.files.push(copy);
        }
        metadata(&mut x, &params, serde_json::Value::Array(provenance), None)?;
        Ok((x, params.len()))
    }

    /// Refuses a run folder without the tables the export reads: one written with
    /// `--summary-only` (no runs.csv, no actors.csv), or without the draws (`--no-draws`:
    /// EMA's experiments are the draws; those of `--draws table` are read from draws.csv).
    fn exportable(dir: &Path, manifest: &Manifest) -> Result<()> {
        if manifest.summary_only {
            input_bail!(
                "{} holds only the summary (`statecraft run --summary-only`): the export needs runs.csv and actors.csv; rerun the batch without --summary-only",
                dir.display()
            );
        }
        if manifest.draws == statecraft_results::Draws::None {
            input_bail!(
                "{}",
                crate::common::no_draws(dir, "the export (its experiments are the draws)")
            );
        }
        Ok(())
    }

    pub fn ema(args: &ExportArgs) -> Result<ExitCode> {
        if args.dirs().len() > 1 {
            let (x, params) = several_archive(args)?;
            let (n_runs, n_outcomes) = (x.runs(), x.outcomes.len());
            let target = pack(x)?;
            if !args.quiet {
                crate::common::note(
                    "several folders: their run-level outcomes (export one folder for per-actor values and time series)",
                );
                outln!(
                    "{}: {n_runs} experiments of {} folders ({params} parameters), {n_outcomes} outcomes; ema_workbench.load_results(\"{}\") reads it",
                    target.display(),
                    args.dirs().len(),
                    target.display()
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
        let dir = &args.dirs()[0];
        let mpath = dir.join("manifest.json");
        if is_sweep(&mpath) {
            let (x, params) = sweep_archive(args, &mpath)?;
            let (n_runs, n_outcomes) = (x.runs(), x.outcomes.len());
            let target = pack(x)?;
            if !args.quiet {
                outln!(
                    "{}: {n_runs} experiments ({params} parameters), {n_outcomes} outcomes; ema_workbench.load_results(\"{}\") reads it",
                    target.display(),
                    target.display()
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
        let manifest = read_manifest(&mpath)
            .with_context(|| format!("{} is not a statecraft results folder", dir.display()))
            .input()?;
        exportable(dir, &manifest)?;
        // Nothing is recomputed, so another build may export; the tables must match the
        // scenario, which is checked column by column.
        if sha256_hex(&manifest.scenario) != manifest.scenario_sha256 {
            input_bail!(
                "{}: the scenario text does not match its scenario_sha256: the manifest was edited",
                mpath.display()
            );
        }
        let loaded = crate::load::from_text(
            &manifest.scenario,
            &format!("{} (scenario)", mpath.display()),
        )?;
        let world = &loaded.world;
        let params: Vec<String> = world.uncertain().map(|(_, e)| e.path.clone()).collect();
        for a in &world.names {
            file_safe(a, "actor name")?;
        }
        let mut x = Archive {
            dir,
            out: OutDir::create_for_file(args.out(), args.force)?,
            outcomes: Vec::new(),
            files: vec!["experiments.csv".to_string()],
            names: &world.names,
            first: manifest.first,
            end: manifest.end,
        };
        run_outcomes(&mut x, world, &params)?;
        actor_outcomes(&mut x)?;
        let note = series_outcomes(&mut x, &manifest)?;
        let provenance = serde_json::from_str(&manifest.reproducible_json())?;
        metadata(&mut x, &params, provenance, Some(&mpath))?;
        let (n_runs, n_outcomes) = (x.runs(), x.outcomes.len());
        let target = pack(x)?;
        if !args.quiet {
            if let Some(note) = note {
                crate::common::note(&note);
            }
            outln!(
                "{}: {n_runs} experiments ({} uncertain parameters), {n_outcomes} outcomes; ema_workbench.load_results(\"{}\") reads it",
                target.display(),
                params.len(),
                target.display()
            );
        }
        Ok(ExitCode::SUCCESS)
    }
}
