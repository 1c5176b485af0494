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
//! Memory stays constant: columns are streamed to files in a temporary folder (a bounded number
//! open at once, re-reading the CSV for each group), then packed into the archive with fixed
//! dates and owners, so the same folder always gives the same bytes.

use std::process::ExitCode;

use anyhow::Result;

use crate::args::{ExportArgs, ExportFormat};

/// Runs `statecraft export`.
pub fn export(args: ExportArgs) -> Result<ExitCode> {
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
    use crate::run::{read_manifest, reproducible_json, sha256_hex};

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

    /// A CSV reader of `dir/name` whose header must be `header`.
    fn open_csv(dir: &Path, name: &str, header: &[String]) -> Result<csv::Reader<File>> {
        let p = dir.join(name);
        let mut rdr = csv::Reader::from_path(&p).with_context(|| {
            format!(
                "cannot read {} (the export reads the CSV tables: run with --format csv or csv,parquet)",
                p.display()
            )
        })
        .input()?;
        let found: Vec<String> = rdr
            .headers()
            .with_context(|| format!("cannot read {}", p.display()))
            .input()?
            .iter()
            .map(str::to_string)
            .collect();
        if found != header {
            input_bail!(
                "{}: its columns are not those of the scenario in its manifest.json (expected {} columns starting {:?}, found {} starting {:?})",
                p.display(),
                header.len(),
                header.iter().take(3).collect::<Vec<_>>(),
                found.len(),
                found.iter().take(3).collect::<Vec<_>>()
            );
        }
        Ok(rdr)
    }

    /// Parses a whole-number field, naming the file and line on error.
    fn int_field(rec: &csv::ByteRecord, i: usize, file: &str) -> Result<u64> {
        let line = rec.position().map_or(0, |p| p.line());
        std::str::from_utf8(&rec[i])
            .ok()
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("{file}, line {line}: field {} is not a whole number", i + 1))
            .input()
    }

    pub fn ema(args: &ExportArgs) -> Result<ExitCode> {
        let dir = &args.dir;
        let mpath = dir.join("manifest.json");
        let manifest = read_manifest(&mpath)
            .with_context(|| format!("{} is not a statecraft results folder", dir.display()))?;
        // Nothing is recomputed, so another build may export; the tables must match the
        // scenario, which is checked column by column below.
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
        let metrics = metric_names(world);
        let names = &world.names;
        for a in names {
            file_safe(a, "actor name")?;
        }
        let (first, end) = (manifest.first, manifest.end);
        let n_runs = end - first;
        let n_act = names.len() as u64;
        let out = OutDir::create_for_file(&args.out, args.force)?;
        let mut outcomes: Vec<Outcome> = Vec::new();
        let mut files: Vec<String> = vec!["experiments.csv".to_string()];

        // experiments.csv and the run-level metrics, from runs.csv.
        let mut header = vec!["run".to_string()];
        header.extend(params.iter().cloned());
        header.extend(metrics.iter().cloned());
        let mut rdr = open_csv(dir, "runs.csv", &header)?;
        let mut exp = csv::Writer::from_writer(out.file("experiments.csv")?);
        let mut eheader: Vec<&str> = params.iter().map(String::as_str).collect();
        eheader.extend(["scenario", "policy", "model"]);
        exp.write_record(&eheader)
            .context("cannot write experiments.csv")?;
        let mut mfiles = Vec::with_capacity(metrics.len());
        for m in &metrics {
            let file = format!("{m}.cls");
            mfiles.push(out.file(&file)?);
            outcomes.push(Outcome {
                class: "ScalarOutcome",
                name: m.clone(),
                file: file.clone(),
            });
            files.push(file);
        }
        let mut rec = csv::ByteRecord::new();
        let mut n = 0u64;
        while rdr
            .read_byte_record(&mut rec)
            .context("cannot read runs.csv")?
        {
            let run = int_field(&rec, 0, "runs.csv")?;
            if run != first + n {
                input_bail!(
                    "runs.csv, line {}: run {run} where run {} was expected",
                    n + 2,
                    first + n
                );
            }
            for i in 0..params.len() {
                exp.write_field(&rec[1 + i])
                    .context("cannot write experiments.csv")?;
            }
            exp.write_field(run.to_string())
                .and_then(|()| exp.write_field(&world.name))
                .and_then(|()| exp.write_field("statecraft"))
                .and_then(|()| exp.write_record(None::<&[u8]>))
                .context("cannot write experiments.csv")?;
            for (j, f) in mfiles.iter_mut().enumerate() {
                let v = &rec[1 + params.len() + j];
                let v: &[u8] = if v.is_empty() { b"nan" } else { v };
                f.write_all(v)
                    .and_then(|()| f.write_all(b"\n"))
                    .with_context(|| format!("cannot write {}.cls", metrics[j]))?;
            }
            n += 1;
        }
        if n != n_runs {
            input_bail!(
                "{}: {n} runs where its manifest.json says {n_runs} (runs {first}..{end})",
                dir.join("runs.csv").display()
            );
        }
        let flush = |w: &mut BufWriter<File>| w.flush().context("cannot write an outcome file");
        exp.flush().context("cannot write experiments.csv")?;
        for f in &mut mfiles {
            flush(f)?;
        }
        drop(mfiles);

        // The final per-actor values, from actors.csv, a group of files per pass.
        let mut aheader = vec!["run".to_string(), "actor".to_string(), "role".to_string()];
        aheader.extend(ActorColumn::ALL.iter().map(|c| c.name().to_string()));
        let acols = ActorColumn::ALL.len();
        let total = names.len() * acols;
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
                let file = format!("{}.cls", name_of(k));
                group.push(out.file(&file)?);
                outcomes.push(Outcome {
                    class: "ScalarOutcome",
                    name: name_of(k),
                    file: file.clone(),
                });
                files.push(file);
            }
            let mut rdr = open_csv(dir, "actors.csv", &aheader)?;
            let mut row = 0u64;
            while rdr
                .read_byte_record(&mut rec)
                .context("cannot read actors.csv")?
            {
                let (run, a) = (first + row / n_act, (row % n_act) as usize);
                if int_field(&rec, 0, "actors.csv")? != run || &rec[1] != names[a].as_bytes() {
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
                        f.write_all(&rec[3 + c])
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

        // Time series, when every run has its trajectory.
        let traj = dir.join("trajectories.csv");
        let rounds = u64::from(manifest.rounds);
        let mut note = None;
        if !traj.exists() {
            note = Some(format!(
                "{} has no trajectories.csv: scalar outcomes only (run with --trajectories {} for time series)",
                dir.display(),
                manifest.runs
            ));
        } else if manifest.trajectories < end {
            note = Some(format!(
                "trajectories.csv holds runs below {} of {first}..{end}: time series left out, as EMA needs one for every run (run with --trajectories {} for them)",
                manifest.trajectories, manifest.runs
            ));
        } else {
            // TIME: the round numbers, one row per run.
            let mut time = out.file("TIME.csv")?;
            let line: Vec<String> = (0..rounds).map(|t| t.to_string()).collect();
            let line = format!("{}\n", line.join(","));
            for _ in 0..n_runs {
                time.write_all(line.as_bytes())
                    .context("cannot write TIME.csv")?;
            }
            flush(&mut time)?;
            outcomes.push(Outcome {
                class: "ArrayOutcome",
                name: "TIME".to_string(),
                file: "TIME.csv".to_string(),
            });
            files.push("TIME.csv".to_string());
            let mut theader = vec!["run".to_string(), "round".to_string(), "actor".to_string()];
            theader.extend(statecraft_core::trajectory_numbers().map(|c| c.to_string()));
            theader.push("action".to_string());
            let columns: Vec<&str> = statecraft_core::trajectory_numbers().collect();
            let vars = columns.len();
            let total = names.len() * vars;
            let name_of =
                |k: usize| format!("trajectories.{}.{}", names[k / vars], columns[k % vars]);
            for lo in (0..total).step_by(OPEN_FILES) {
                let hi = (lo + OPEN_FILES).min(total);
                let mut group = Vec::with_capacity(hi - lo);
                for k in lo..hi {
                    let file = format!("{}.csv", name_of(k));
                    group.push((out.file(&file)?, Vec::<u8>::new()));
                    outcomes.push(Outcome {
                        class: "ArrayOutcome",
                        name: name_of(k),
                        file: file.clone(),
                    });
                    files.push(file);
                }
                let mut rdr = open_csv(dir, "trajectories.csv", &theader)?;
                let per_run = rounds * n_act;
                let mut row = 0u64;
                while rdr
                    .read_byte_record(&mut rec)
                    .context("cannot read trajectories.csv")?
                {
                    let run = first + row / per_run;
                    let round = (row % per_run) / n_act;
                    let a = (row % n_act) as usize;
                    if run >= end
                        || int_field(&rec, 0, "trajectories.csv")? != run
                        || int_field(&rec, 1, "trajectories.csv")? != round
                        || &rec[2] != names[a].as_bytes()
                    {
                        input_bail!(
                            "trajectories.csv, line {}: expected run {run}, round {round}, actor {} (rows by run, round, then actor; {rounds} rounds per run)",
                            row + 2,
                            names[a]
                        );
                    }
                    for v in 0..vars {
                        let k = a * vars + v;
                        if (lo..hi).contains(&k) {
                            let buf = &mut group[k - lo].1;
                            if round > 0 {
                                buf.push(b',');
                            }
                            buf.extend_from_slice(&rec[3 + v]);
                            if round + 1 == rounds {
                                buf.push(b'\n');
                            }
                        }
                    }
                    row += 1;
                    if row.is_multiple_of(per_run) {
                        for (k, (f, buf)) in group.iter_mut().enumerate() {
                            f.write_all(buf)
                                .with_context(|| format!("cannot write {}.csv", name_of(lo + k)))?;
                            buf.clear();
                        }
                    }
                }
                if row != n_runs * per_run {
                    input_bail!(
                        "trajectories.csv: {row} rows where {n_runs} runs of {rounds} rounds and {n_act} actors need {}",
                        n_runs * per_run
                    );
                }
                for (f, _) in &mut group {
                    flush(f)?;
                }
            }
        }

        // metadata.json, as save_results writes it (plus statecraft's provenance).
        let mut experiments = serde_json::Map::new();
        for p in &params {
            experiments.insert(p.clone(), "float64".into());
        }
        experiments.insert("scenario".into(), "int64".into());
        experiments.insert("policy".into(), "object".into());
        experiments.insert("model".into(), "object".into());
        let listed: Vec<[&str; 3]> = outcomes
            .iter()
            .map(|o| [o.class, o.name.as_str(), o.file.as_str()])
            .collect();
        let provenance: serde_json::Value = serde_json::from_str(&reproducible_json(&manifest)?)?;
        let metadata = serde_json::json!({
            "version": 0.1,
            "outcomes": listed,
            "experiments": experiments,
            "statecraft": provenance,
        });
        out.write("metadata.json", &serde_json::to_vec(&metadata)?)?;
        files.push("metadata.json".to_string());
        std::fs::copy(&mpath, out.path("manifest.json"))
            .with_context(|| format!("cannot copy {}", mpath.display()))?;
        files.push("manifest.json".to_string());

        // The archive: fixed dates and owners, so the same folder gives the same bytes.
        let gz = flate2::write::GzEncoder::new(out.file(ARCHIVE)?, flate2::Compression::default());
        let mut tar = tar::Builder::new(gz);
        for name in &files {
            let path = out.path(name);
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
        let target = out.commit_file(ARCHIVE)?;
        if !args.quiet {
            #[allow(clippy::print_stderr)]
            if let Some(note) = note {
                eprintln!("note: {note}");
            }
            #[allow(clippy::print_stdout)]
            {
                outln!(
                    "{}: {n_runs} experiments ({} uncertain parameters), {} outcomes; ema_workbench.load_results(\"{}\") reads it",
                    target.display(),
                    params.len(),
                    outcomes.len(),
                    target.display()
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}
