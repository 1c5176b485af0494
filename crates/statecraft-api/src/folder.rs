//! A results folder written by the library face: what `statecraft run` writes, from a program
//! other than the CLI ([`run_to_folder`]), and the pieces both write it with: the rows of each
//! table ([`write_rows`], [`write_world`], [`format_chunk`]), `summary.json`
//! ([`summary_json`]) and the manifest ([`manifest`]). The folder itself (written in a
//! temporary sibling folder, renamed into place when complete, locked meanwhile) is
//! `statecraft_results::OutDir`.

use std::path::{Path, PathBuf};

use serde::Serialize;
use statecraft_core::{ActorColumn, World, metric_names};
use statecraft_results::{
    Cells, Draws, FolderSchema, Manifest, OutDir, Rows, TableFormat, sha256_hex,
};
use statecraft_runner::stats::{Aggregator, MetricSummary};
use statecraft_runner::{RunRecord, run_batch_with};

use crate::batch::{pool, whole_batch};
use crate::tables::{Layout, run_tables_for};
use crate::{Error, Loaded, Options, Result};

/// The git commit this library was built from ("unknown" outside a checkout), which every
/// manifest records.
pub const GIT_HASH: &str = env!("STATECRAFT_GIT_HASH");

/// The workspace's Cargo.lock, whose SHA-256 every manifest records.
pub const CARGO_LOCK: &str = include_str!("../../../Cargo.lock");

/// How [`run_to_folder`] writes its folder.
#[derive(Clone, Debug, Default)]
pub struct FolderOptions {
    /// Replace an existing output, when it is a statecraft results folder or an empty folder
    /// (`statecraft run --force`); without it an existing output is refused.
    pub force: bool,
    /// Write `world.csv`, the world series of every round of every run (`--world-series`).
    pub world_series: bool,
    /// Where the parameter draws go (`--draws`): `runs.csv`'s columns (the default), their
    /// own `draws.csv`, or nowhere.
    pub draws: Draws,
    /// Write only `summary.json`, `schema.json` and `manifest.json`, no per-run table
    /// (`--summary-only`); the summaries are those of the full folder.
    pub summary_only: bool,
}

/// A folder [`run_to_folder`] wrote.
#[derive(Clone, Debug)]
pub struct Written {
    /// Where it is.
    pub dir: PathBuf,
    /// Every metric's summary (the numbers of `summary.json`, and of the table `statecraft
    /// run` prints).
    pub summaries: Vec<MetricSummary>,
    /// Its manifest (`manifest.json`).
    pub manifest: Manifest,
}

/// `summary.json`.
#[derive(Serialize)]
struct SummaryFile<'a> {
    scenario: &'a str,
    scenario_sha256: &'a str,
    seed: u64,
    runs: u64,
    rounds: u32,
    statecraft_version: &'static str,
    metrics: &'a [MetricSummary],
}

/// `value` as the JSON of every statecraft file: pretty, with a final line break.
pub fn json_bytes(value: &impl Serialize) -> Result<Vec<u8>> {
    let mut json = serde_json::to_vec_pretty(value).map_err(|e| {
        Error::Results(statecraft_results::Error::Invalid(format!(
            "cannot write JSON: {e}"
        )))
    })?;
    json.push(b'\n');
    Ok(json)
}

/// The bytes of `summary.json`: the scenario's name and hash, seed, runs, rounds, this
/// version, and every metric's summary.
pub fn summary_json(
    scenario: &str,
    scenario_sha256: &str,
    seed: u64,
    runs: u64,
    rounds: u32,
    metrics: &[MetricSummary],
) -> Result<Vec<u8>> {
    json_bytes(&SummaryFile {
        scenario,
        scenario_sha256,
        seed,
        runs,
        rounds,
        statecraft_version: env!("CARGO_PKG_VERSION"),
        metrics,
    })
}

/// What a run folder's manifest says about the batch (the parts that shape the results).
#[derive(Clone, Debug)]
pub struct FolderBatch<'a> {
    /// The world run.
    pub world: &'a World,
    /// The scenario with its world, re-serialised (RON): what the manifest records.
    pub scenario_text: &'a str,
    /// The seed.
    pub seed: u64,
    /// Runs of the whole batch.
    pub runs: u64,
    /// Rounds per run.
    pub rounds: u32,
    /// Trajectories kept for the runs below this index.
    pub trajectories: u64,
    /// The shard (K, N), when the folder holds one.
    pub shard: Option<(u64, u64)>,
    /// The run indices of the folder, `first..end`.
    pub first: u64,
    /// See `first`.
    pub end: u64,
    /// The formats of the tables.
    pub formats: Vec<TableFormat>,
    /// Whether `world.csv` is written.
    pub world_series: bool,
    /// Where the draws are.
    pub draws: Draws,
    /// Whether only the summary is written.
    pub summary_only: bool,
}

impl FolderBatch<'_> {
    /// The folder's tables.
    pub fn layout(&self) -> Layout {
        Layout {
            draws: self.draws,
            summary_only: self.summary_only,
            trajectories: self.trajectories > 0,
            world_series: self.world_series,
        }
    }
}

/// The manifest of a run folder of `batch`, with this build's provenance; the timings (threads,
/// wall seconds, runs per second) zero and the command line empty, for the caller to fill.
pub fn manifest(batch: &FolderBatch<'_>) -> Manifest {
    Manifest {
        statecraft_version: env!("CARGO_PKG_VERSION").to_string(),
        git_hash: GIT_HASH.to_string(),
        cargo_lock_sha256: sha256_hex(CARGO_LOCK),
        scenario_name: batch.world.name.clone(),
        scenario_sha256: sha256_hex(batch.scenario_text),
        seed: batch.seed,
        runs: batch.runs,
        rounds: batch.rounds,
        trajectories: batch.trajectories,
        shard: batch.shard,
        first: batch.first,
        end: batch.end,
        threads: 0,
        wall_seconds: 0.0,
        runs_per_second: 0.0,
        command: Vec::new(),
        formats: batch.formats.clone(),
        world_series: batch.world_series,
        draws: batch.draws,
        summary_only: batch.summary_only,
        scenario: batch.scenario_text.to_string(),
    }
}

/// Writes the world-series rows of `recs` (`world.csv`): run, round, then the
/// [`statecraft_core::WorldColumn`]s.
pub fn write_world<C: Cells>(recs: &[RunRecord], rows: &mut C) -> Result<(), C::Error> {
    for r in recs {
        for w in &r.world {
            rows.int(r.run)?;
            rows.int(u64::from(w.round))?;
            for x in &w.values {
                rows.num(Some(*x))?;
            }
            rows.end()?;
        }
    }
    Ok(())
}

/// Where [`write_rows`] writes each table's rows: a table left `None` is not written.
pub struct Sinks<'a, C> {
    /// `runs`: run, the draws when they are inline, the metrics.
    pub runs: Option<&'a mut C>,
    /// `draws`: run, the draws.
    pub draws: Option<&'a mut C>,
    /// `actors`.
    pub actors: Option<&'a mut C>,
    /// `trajectories`.
    pub trajectories: Option<&'a mut C>,
}

/// Writes the rows of `recs` to the tables of `sinks`, in the columns of
/// [`crate::tables::run_tables_for`]; `draws_inline`: `runs` holds the draws.
pub fn write_rows<C: Cells>(
    world: &World,
    recs: &[RunRecord],
    draws_inline: bool,
    mut sinks: Sinks<'_, C>,
) -> Result<(), C::Error> {
    for r in recs {
        if let Some(runs) = sinks.runs.as_deref_mut() {
            runs.int(r.run)?;
            if draws_inline {
                for x in &r.draws {
                    runs.num(Some(*x))?;
                }
            }
            for m in &r.outcome.metrics {
                runs.num(*m)?;
            }
            runs.end()?;
        }
        if let Some(draws) = sinks.draws.as_deref_mut() {
            draws.int(r.run)?;
            for x in &r.draws {
                draws.num(Some(*x))?;
            }
            draws.end()?;
        }
        if let Some(actors) = sinks.actors.as_deref_mut() {
            write_actors(world, r, actors)?;
        }
        if let Some(w) = sinks.trajectories.as_deref_mut() {
            for t in &r.trajectory {
                w.int(r.run)?;
                w.int(u64::from(t.round))?;
                w.text(Some(&world.names[t.actor]))?;
                for x in t.numbers() {
                    w.num(Some(x))?;
                }
                w.text(t.action.map(|a| a.code()))?;
                w.end()?;
            }
        }
    }
    Ok(())
}

/// Writes the `actors` rows of run `r`.
fn write_actors<C: Cells>(world: &World, r: &RunRecord, actors: &mut C) -> Result<(), C::Error> {
    for (i, a) in r.outcome.actors.iter().enumerate() {
        actors.int(r.run)?;
        actors.text(Some(&world.names[i]))?;
        actors.text(Some(crate::role(world, i)))?;
        for (c, x) in ActorColumn::ALL.iter().zip(&a.values) {
            if c.is_count() {
                // Counts are whole numbers, written as such (38, not 38.0).
                actors.int(*x as u64)?;
            } else {
                actors.num(Some(*x))?;
            }
        }
        actors.end()?;
    }
    Ok(())
}

/// Bytes a CSV field takes on average, its comma included: most are numbers in their shortest
/// form of 17 to 20 characters.
const FIELD_BYTES: usize = 20;

/// The CSV rows of one chunk of runs (without headers), formatted in a worker thread and
/// appended to the files in run order; a table not written has no rows.
#[derive(Default)]
pub struct CsvChunk {
    /// Rows of `runs.csv`.
    pub runs: Vec<u8>,
    /// Rows of `actors.csv`.
    pub actors: Vec<u8>,
    /// Rows of `trajectories.csv`.
    pub trajectories: Vec<u8>,
    /// Rows of `world.csv`.
    pub world: Vec<u8>,
    /// Rows of `draws.csv`.
    pub draws: Vec<u8>,
}

/// Formats the CSV rows of a chunk of runs for the tables of `layout`: `widths` the columns of
/// runs, actors, trajectories, world and draws ([`crate::tables::RunTables::widths`]).
pub fn format_chunk(
    world: &World,
    recs: &[RunRecord],
    widths: [usize; 5],
    layout: &Layout,
) -> statecraft_results::Result<CsvChunk> {
    let per_run = layout.per_run();
    let (traj, series) = (
        per_run && layout.trajectories,
        per_run && layout.world_series,
    );
    // Each buffer sized for its rows at the outset (rows x columns x FIELD_BYTES), so that it
    // is not grown again and again as the rows are written.
    let count = |on: bool, f: &dyn Fn(&RunRecord) -> usize| {
        if on { recs.iter().map(f).sum() } else { 0 }
    };
    let rows = [
        count(per_run, &|_| 1),
        count(per_run, &|r| r.outcome.actors.len()),
        count(traj, &|r| r.trajectory.len()),
        count(series, &|r| r.world.len()),
        count(layout.draws_table(), &|_| 1),
    ];
    let buffer = |k: usize| Vec::with_capacity(rows[k] * widths[k].max(1) * FIELD_BYTES);
    let mut runs = Rows::append("runs.csv", buffer(0), widths[0]);
    let mut actors = Rows::append("actors.csv", buffer(1), widths[1]);
    let mut trajectories = Rows::append("trajectories.csv", buffer(2), widths[2]);
    let mut world_rows = Rows::append("world.csv", buffer(3), widths[3]);
    let mut draws = Rows::append("draws.csv", buffer(4), widths[4]);
    let sinks = Sinks {
        runs: per_run.then_some(&mut runs),
        draws: layout.draws_table().then_some(&mut draws),
        actors: per_run.then_some(&mut actors),
        trajectories: traj.then_some(&mut trajectories),
    };
    write_rows(world, recs, layout.draws_inline(), sinks)?;
    if series {
        write_world(recs, &mut world_rows)?;
    }
    Ok(CsvChunk {
        runs: runs.into_inner()?,
        actors: actors.into_inner()?,
        trajectories: trajectories.into_inner()?,
        world: world_rows.into_inner()?,
        draws: draws.into_inner()?,
    })
}

/// The CSV files of a folder being written, each with its name.
struct CsvFiles(Vec<(&'static str, std::io::BufWriter<std::fs::File>)>);

impl CsvFiles {
    /// Creates the files of `layout` with their headers.
    fn create(out: &OutDir, world: &World, layout: &Layout) -> Result<CsvFiles> {
        let t = run_tables_for(world, layout.draws);
        let mut files = Vec::new();
        for (table, name, on) in [
            (&t.runs, "runs.csv", layout.per_run()),
            (&t.actors, "actors.csv", layout.per_run()),
            (&t.draws, "draws.csv", layout.draws_table()),
            (
                &t.trajectories,
                "trajectories.csv",
                layout.per_run() && layout.trajectories,
            ),
            (
                &t.world,
                "world.csv",
                layout.per_run() && layout.world_series,
            ),
        ] {
            if on {
                use std::io::Write;
                let header: Vec<&str> =
                    table.columns.iter().map(|(c, _)| c.name.as_str()).collect();
                let mut file = out.file(name)?;
                let bytes = Rows::new(name, Vec::new(), &header)?.into_inner()?;
                file.write_all(&bytes).map_err(|e| {
                    statecraft_results::Error::io(format!("cannot write {name}"), e)
                })?;
                files.push((name, file));
            }
        }
        Ok(CsvFiles(files))
    }

    /// Appends a chunk's rows to the files.
    fn write(&mut self, chunk: &CsvChunk) -> statecraft_results::Result<()> {
        use std::io::Write;
        for (name, w) in &mut self.0 {
            let bytes = match *name {
                "runs.csv" => &chunk.runs,
                "actors.csv" => &chunk.actors,
                "trajectories.csv" => &chunk.trajectories,
                "draws.csv" => &chunk.draws,
                _ => &chunk.world,
            };
            w.write_all(bytes)
                .map_err(|e| statecraft_results::Error::io(format!("cannot write {name}"), e))?;
        }
        Ok(())
    }

    /// Writes everything out.
    fn finish(self) -> statecraft_results::Result<()> {
        use std::io::Write;
        for (name, mut w) in self.0 {
            w.flush()
                .map_err(|e| statecraft_results::Error::io(format!("cannot write {name}"), e))?;
        }
        Ok(())
    }
}

/// Runs a batch of `loaded` under `opts` (as [`run`](crate::run) does) and writes its results
/// folder at `out`, the folder `statecraft run` writes for the same scenario, seed, runs,
/// rounds and trajectories: `runs.csv`, `actors.csv`, `trajectories.csv` (when `opts` keeps
/// trajectories), `world.csv` (with [`FolderOptions::world_series`]), `summary.json`,
/// `schema.json` and `manifest.json`, byte for byte but for the manifest's timings and command
/// line (this program's). The folder is written beside `out` under a temporary name and
/// renamed into place when complete, so that a failure leaves no half-written folder; an
/// existing `out` is refused (`Error::Results(Refused)`) unless [`FolderOptions::force`].
pub fn run_to_folder(
    loaded: &Loaded,
    opts: &Options,
    out: &Path,
    folder: &FolderOptions,
) -> Result<Written> {
    let spec = whole_batch(loaded, opts, folder.world_series)?;
    let world = &loaded.world;
    let scenario_text = loaded.scenario.to_ron();
    let batch = FolderBatch {
        world,
        scenario_text: &scenario_text,
        seed: spec.seed,
        runs: spec.end,
        rounds: spec.rounds,
        trajectories: spec.trajectories,
        shard: None,
        first: spec.first,
        end: spec.end,
        formats: vec![TableFormat::Csv],
        world_series: folder.world_series,
        draws: folder.draws,
        summary_only: folder.summary_only,
    };
    if folder.summary_only && (opts.trajectories > 0 || folder.world_series) {
        return Err(Error::Options(
            "summary only writes no per-run table: no trajectories, no world series".to_string(),
        ));
    }
    let layout = batch.layout();
    let pool = pool(opts.threads)?;
    let dir = OutDir::create(out, folder.force)?;
    let mut files = CsvFiles::create(&dir, world, &layout)?;
    let widths = run_tables_for(world, layout.draws).widths();
    let mut agg = Aggregator::new(metric_names(world));
    pool.install(|| {
        run_batch_with(
            world,
            &spec,
            |recs| format_chunk(world, recs, widths, &layout),
            |recs, chunk| -> statecraft_results::Result<()> {
                files.write(&chunk?)?;
                for r in recs {
                    agg.push(&r.outcome.metrics);
                }
                Ok(())
            },
            &|_| {},
        )
    })?;
    files.finish()?;
    let summaries = pool.install(|| agg.summaries());
    let mut manifest = manifest(&batch);
    manifest.threads = pool.current_num_threads();
    manifest.command = std::env::args().collect();
    finish_folder(&dir, &batch, &manifest, Some(&summaries))?;
    let dir = dir.commit()?;
    Ok(Written {
        dir,
        summaries,
        manifest,
    })
}

/// Writes what follows a batch's closed tables into `out`: `summary.json` (when `summaries`
/// are given: a shard writes its `shard.json` instead, before this), `schema.json` (exactly
/// the tables of the batch's layout), `manifest.json` last (its presence says every other file
/// is complete). `statecraft run` and [`run_to_folder`] both end a folder with it.
pub fn finish_folder(
    out: &OutDir,
    batch: &FolderBatch<'_>,
    manifest: &Manifest,
    summaries: Option<&[MetricSummary]>,
) -> Result<()> {
    if let Some(summaries) = summaries {
        let summary = summary_json(
            &batch.world.name,
            &manifest.scenario_sha256,
            batch.seed,
            batch.runs,
            batch.rounds,
            summaries,
        )?;
        out.write("summary.json", &summary)?;
    }
    let schema = run_tables_for(batch.world, batch.draws).schema(&batch.formats, &batch.layout());
    out.replace(FolderSchema::FILE, &schema.to_json())?;
    out.replace("manifest.json", &json_bytes(manifest)?)?;
    Ok(())
}
