//! `statecraft run`: one scenario, N seeded runs in parallel, a summary table and files.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use statecraft_api::tables::Layout;
use statecraft_api::{CsvChunk, FolderBatch};
use statecraft_core::{World, metric_names};
use statecraft_results::{
    Draws, Manifest, ShardFile, TableFormat, sha256_file, sha256_hex, shard_range,
};
use statecraft_runner::{BatchSpec, MetricSummary, RunRecord, run_batch_with};

use crate::args::RunArgs;
use crate::clock::Stopwatch;
use crate::error::OrInput;
use crate::job::{Job, Timing};
use crate::load::load;
use crate::output::{OutDir, Partial};
use crate::table::Table;

/// The workspace's Cargo.lock, whose hash every manifest records (the library's).
pub use statecraft_api::CARGO_LOCK;

/// Checks that a manifest can be reproduced by this binary: its numbers in range, its scenario
/// text matching its hash, the same statecraft version (a warning for another build of it).
fn check_manifest(m: &Manifest, path: &std::path::Path) -> Result<()> {
    let p = path.display();
    if m.runs == 0 || m.rounds == 0 || m.rounds > 100_000 {
        anyhow::bail!(
            "{p}: runs {} and rounds {} must be at least 1 (rounds at most 100000)",
            m.runs,
            m.rounds
        );
    }
    if let Some((k, n)) = m.shard
        && (n == 0 || k >= n)
    {
        anyhow::bail!("{p}: shard {k} of {n}: K must be in 0..N-1 and N at least 1");
    }
    if sha256_hex(&m.scenario) != m.scenario_sha256 {
        anyhow::bail!(
            "{p}: the scenario text does not match its scenario_sha256: the manifest was edited"
        );
    }
    if m.statecraft_version != env!("CARGO_PKG_VERSION") {
        anyhow::bail!(
            "{p} was written by statecraft {}, this is {}: results would not be reproduced byte for byte; use that version",
            m.statecraft_version,
            env!("CARGO_PKG_VERSION")
        );
    }
    let (git, lock) = (statecraft_api::GIT_HASH, sha256_hex(CARGO_LOCK));
    if m.git_hash != git || m.cargo_lock_sha256 != lock {
        crate::common::warn(&format!(
            "{p} was written by another build (commit {}, this is {git}); results may differ in the last bits",
            m.git_hash
        ));
    }
    Ok(())
}

/// Whether `out` is a finished results folder of the batch `key` names (its manifest says the
/// same build, scenario, seed, runs, rounds, trajectories and run range), with no interrupted
/// batch beside it.
fn finished_already(out: &std::path::Path, key: &CheckpointKey) -> bool {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned());
    let partial = name.map(|n| out.with_file_name(format!(".{n}.partial")));
    if !out.is_dir() || partial.is_none_or(|p| p.exists()) {
        return false;
    }
    let Ok(m) = statecraft_results::read_manifest(&out.join("manifest.json")) else {
        return false;
    };
    m.statecraft_version == key.statecraft_version
        && m.git_hash == key.git_hash
        && m.scenario_sha256 == key.scenario_sha256
        && (m.seed, m.runs, m.rounds, m.trajectories)
            == (key.seed, key.runs, key.rounds, key.trajectories)
        && (m.first, m.end) == (key.first, key.end)
        && (m.draws, m.summary_only) == (key.draws, key.summary_only)
}

pub use statecraft_api::summary_json;

/// What must match for a checkpoint to be continued.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
pub struct CheckpointKey {
    statecraft_version: String,
    git_hash: String,
    scenario_sha256: String,
    seed: u64,
    runs: u64,
    rounds: u32,
    trajectories: u64,
    first: u64,
    end: u64,
    /// `--draws`, `--no-draws` (left out when the draws are in runs.csv).
    #[serde(default, skip_serializing_if = "Draws::is_default")]
    draws: Draws,
    /// `--summary-only` (left out when not).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    summary_only: bool,
}

impl CheckpointKey {
    fn describe(&self) -> String {
        format!(
            "statecraft {} ({}), scenario {}..., seed {}, runs {}, rounds {}, trajectories {}, run indices {}..{}{}{}",
            self.statecraft_version,
            self.git_hash,
            &self.scenario_sha256[..12.min(self.scenario_sha256.len())],
            self.seed,
            self.runs,
            self.rounds,
            self.trajectories,
            self.first,
            self.end,
            match self.draws {
                Draws::Runs => "",
                Draws::Table => ", draws table",
                Draws::None => ", no draws",
            },
            if self.summary_only {
                ", summary only"
            } else {
                ""
            }
        )
    }
}

/// `checkpoint.json` of a resumable batch: the files' lengths and the aggregator's counts
/// after run `runs_done − 1`, written atomically after the files were flushed and written to
/// disk (fsync), so that it never vouches for bytes a lost node did not keep.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug)]
pub struct Checkpoint {
    key: CheckpointKey,
    /// The next run index to compute.
    runs_done: u64,
    /// Bytes of the [`CHECKPOINTED`] files that belong to runs before it.
    sizes: Vec<u64>,
    /// Values kept per metric in the scratch files.
    present: Vec<u64>,
    /// Runs without a value per metric.
    missing: Vec<u64>,
    /// SHA-256 of the last [`TAIL`] bytes (or fewer) before the checkpointed length of each
    /// file: the checkpointed CSV files, then the metrics' scratch files.
    tails: Vec<String>,
}

/// Bytes at the end of each file whose hash a checkpoint records.
const TAIL: u64 = 1 << 16;

/// The most runs a batch may have (`--runs`, a scenario's `runs`): the library's, a trillion,
/// about four months of one core, 8 TB of scratch file per metric.
pub use statecraft_api::MAX_RUNS;

/// The SHA-256 of the last [`TAIL`] bytes of the first `len` of file `path` (an absent file
/// counts as empty); an error when the file is shorter than `len`.
fn tail_sha256(path: &std::path::Path, len: u64) -> Result<String> {
    use std::io::{Read, Seek, SeekFrom};
    let have = std::fs::metadata(path).map_or(0, |m| m.len());
    if have < len {
        bail!(
            "{} holds {have} bytes, fewer than the {len} its checkpoint vouches for: data written before the checkpoint was lost (a lost node or disk?), so the batch cannot be continued; discard it with --force",
            path.display()
        );
    }
    let mut h = Sha256::new();
    if len > 0 {
        let start = len.saturating_sub(TAIL);
        let mut f =
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        f.seek(SeekFrom::Start(start))
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut buf = vec![0u8; (len - start) as usize];
        f.read_exact(&mut buf)
            .with_context(|| format!("cannot read {}", path.display()))?;
        h.update(&buf);
    }
    Ok(statecraft_results::provenance::hex(&h.finalize()))
}

/// The files a checkpoint vouches for, with their checkpointed lengths.
fn checkpointed_files(
    out: &OutDir,
    sizes: &[u64],
    present: &[u64],
) -> Vec<(std::path::PathBuf, u64)> {
    let mut files: Vec<(std::path::PathBuf, u64)> = CHECKPOINTED
        .iter()
        .zip(sizes)
        .map(|(f, n)| (out.path(f), *n))
        .collect();
    for (k, n) in present.iter().enumerate() {
        files.push((crate::spill::scratch_path(&out.path(""), k), n * 8));
    }
    files
}

/// Checks, before anything is truncated, that the files of a resumed batch still hold what
/// its checkpoint vouches for: at least the checkpointed length (a shorter file is never
/// padded), and the same last bytes before it.
fn verify_checkpoint(out: &OutDir, cp: &Checkpoint) -> Result<()> {
    let files = checkpointed_files(out, &cp.sizes, &cp.present);
    if cp.tails.len() != files.len() {
        bail!(
            "{}: not a checkpoint of this batch (it lists {} files, the batch has {})",
            out.path("checkpoint.json").display(),
            cp.tails.len(),
            files.len()
        );
    }
    for ((path, len), want) in files.iter().zip(&cp.tails) {
        if tail_sha256(path, *len)? != *want {
            bail!(
                "{}: its last bytes before the checkpoint differ from those the checkpoint recorded (the file was changed or damaged), so the batch cannot be continued; discard it with --force",
                path.display()
            );
        }
    }
    Ok(())
}

/// Writes a checkpoint after run `done − 1`: every table and scratch file flushed and written
/// to disk first, then `checkpoint.json` atomically (and to disk).
fn write_checkpoint(
    out: &OutDir,
    key: &CheckpointKey,
    done: u64,
    tables: [Option<&mut Table>; 4],
    agg: &mut crate::spill::SpillAggregator,
) -> Result<()> {
    for t in tables.into_iter().flatten() {
        t.sync()?;
    }
    let (present, missing) = agg.flush()?;
    let len = |f: &str| std::fs::metadata(out.path(f)).map_or(0, |m| m.len());
    let sizes: Vec<u64> = CHECKPOINTED.iter().map(|f| len(f)).collect();
    let tails = checkpointed_files(out, &sizes, &present)
        .iter()
        .map(|(p, n)| tail_sha256(p, *n))
        .collect::<Result<_>>()?;
    let cp = Checkpoint {
        key: key.clone(),
        runs_done: done,
        sizes,
        present,
        missing,
        tails,
    };
    out.replace("checkpoint.json", &serde_json::to_vec_pretty(&cp)?)?;
    crate::output::sync_dir(&out.path(""));
    Ok(())
}

/// A test hook standing for a kill at a named point of a batch's end (`summary`: every run
/// done, before the summary; `rename`: every file written, before the folder is renamed into
/// place): with `STATECRAFT_CRASH_AT` set to that name the process aborts there, as `kill -9`
/// would stop it. The end-to-end tests use it. Compiled into debug builds only (those the tests
/// and the `.ci` scripts run): a release build reads no such variable.
#[cfg(debug_assertions)]
fn crash_point(at: &str) {
    if std::env::var("STATECRAFT_CRASH_AT").is_ok_and(|v| v == at) {
        std::process::abort();
    }
}

/// Release builds: no test hook.
#[cfg(not(debug_assertions))]
fn crash_point(_at: &str) {}

/// Test hooks at the `n`-th checkpoint a batch writes in this process (from 1), so that the
/// end-to-end tests stop a batch at a known place instead of racing it with a clock; each does
/// nothing unless its variable is set to `checkpoint:N`. Run right after the checkpoint is on
/// disk: `STATECRAFT_CRASH_AT` aborts (as `kill -9` would), `STATECRAFT_INTERRUPT_AT` sets the
/// flag Ctrl-C sets (the batch stops at its next checkpoint), and `STATECRAFT_PAUSE_AT` waits
/// until standard input is closed or an interruption is requested (a batch known to be running,
/// for a test of a second process beside it). Debug builds only, as [`crash_point`].
#[cfg(debug_assertions)]
fn checkpoint_hooks(n: u64) {
    let at = format!("checkpoint:{n}");
    crash_point(&at);
    let set = |var: &str| std::env::var(var).is_ok_and(|v| v == at);
    if set("STATECRAFT_INTERRUPT_AT") {
        interrupt::request();
    }
    if set("STATECRAFT_PAUSE_AT") {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
            let _ = tx.send(());
        });
        let tick = std::time::Duration::from_millis(10);
        while !interrupt::requested() && rx.recv_timeout(tick).is_err() {}
    }
}

/// Release builds: no test hook.
#[cfg(not(debug_assertions))]
fn checkpoint_hooks(_n: u64) {}

/// Seconds between checkpoints (`STATECRAFT_CHECKPOINT_SECONDS`, default 2).
fn checkpoint_seconds() -> f64 {
    std::env::var("STATECRAFT_CHECKPOINT_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|x: &f64| x.is_finite() && *x >= 0.0)
        .unwrap_or(2.0)
}

/// A batch stopped by Ctrl-C after its checkpoint: exit status 130.
#[derive(Debug)]
pub struct Interrupted(pub String);

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Interrupted {}

/// Ctrl-C (SIGINT, and SIGTERM as Slurm sends it) sets a flag that the batch reads between
/// chunks: it checkpoints and stops cleanly.
mod interrupt {
    use std::sync::atomic::{AtomicBool, Ordering};

    static REQUESTED: AtomicBool = AtomicBool::new(false);

    /// Installs the handler (once per process; a second call is a no-op).
    pub fn install() {
        let _ = ctrlc::set_handler(|| REQUESTED.store(true, Ordering::SeqCst));
    }

    /// Asks for an interruption, as Ctrl-C does (the test hook `STATECRAFT_INTERRUPT_AT`,
    /// debug builds only).
    #[cfg(debug_assertions)]
    pub fn request() {
        REQUESTED.store(true, Ordering::SeqCst);
    }

    /// Whether an interruption was asked for.
    pub fn requested() -> bool {
        REQUESTED.load(Ordering::SeqCst)
    }
}

/// The plan of `statecraft run`: the arguments lowered once, everything that shapes the
/// results resolved (from the scenario, or from `--from-manifest`) and checked before any work.
struct RunPlan {
    loaded: crate::load::Loaded,
    /// The scenario with its world, re-serialised (RON): what the manifest records.
    scenario_text: String,
    seed: u64,
    runs: u64,
    rounds: u32,
    trajectories: u64,
    shard: Option<(u64, u64)>,
    /// The run indices of this folder.
    first: u64,
    end: u64,
    out: std::path::PathBuf,
    formats: Vec<TableFormat>,
    world_series: bool,
    /// Where the draws go (`--draws`, `--no-draws`).
    draws: Draws,
    /// `--summary-only`.
    summary_only: bool,
    /// CSV output without the world series: checkpointed as it goes, resumable.
    resumable: bool,
    resume: bool,
    force: bool,
    quiet: bool,
    threads: Option<u16>,
    /// What must match for a checkpoint to be continued.
    key: CheckpointKey,
}

impl RunPlan {
    fn lower(mut args: RunArgs) -> Result<RunPlan> {
        let loaded = match &args.from_manifest {
            Some(path) => {
                // Everything that shapes the results comes from the manifest.
                let m = statecraft_results::read_manifest(path).input()?;
                check_manifest(&m, path).input()?;
                args.runs = Some(m.runs);
                args.batch.seed = Some(m.seed);
                args.batch.rounds = Some(m.rounds);
                args.trajectories = m.trajectories;
                args.shard = m.shard;
                args.world_series = m.world_series;
                args.draws = Some(m.draws);
                args.summary_only = m.summary_only;
                if args.format.is_none() && !m.formats.is_empty() {
                    args.format = Some(m.formats.clone());
                }
                crate::load::from_text(&m.scenario, &format!("{} (scenario)", path.display()))?
            }
            None => {
                let scenario = args
                    .scenario
                    .as_ref()
                    .context("no scenario given")
                    .input()?;
                load(scenario)?.with_set(&args.set).input()?
            }
        };
        let world = &loaded.world;
        // Ranges of the options are checked by clap, those of the file by validation.
        let runs = args.runs.unwrap_or(loaded.scenario.runs);
        if runs > MAX_RUNS {
            input_bail!(
                "{}: runs {runs} is more than {MAX_RUNS}, the most a batch may have",
                loaded.origin()
            );
        }
        let (first, end) = match args.shard {
            Some((k, n)) => shard_range(k, n, runs),
            None => (0, runs),
        };
        let out = args.out.clone().unwrap_or_else(|| match args.shard {
            Some((k, n)) => format!("out/{}-shards/shard-{k}-of-{n}", world.name).into(),
            None => format!("out/{}", world.name).into(),
        });
        let formats = args.format.unwrap_or_else(|| vec![TableFormat::Csv]);
        // CSV batches checkpoint as they go and can be resumed (Parquet files cannot be
        // appended; world.csv is not checkpointed).
        if args.world_series && formats != [TableFormat::Csv] {
            input_bail!("--world-series writes world.csv: it needs CSV output only");
        }
        let resumable = formats == [TableFormat::Csv] && !args.world_series;
        if args.resume && !resumable {
            input_bail!(
                "--resume needs CSV output only, without --world-series (Parquet files and world.csv cannot be continued)"
            );
        }
        let draws = match (args.no_draws, args.draws) {
            (true, _) => Draws::None,
            (false, d) => d.unwrap_or_default(),
        };
        let scenario_text = loaded.scenario.to_ron();
        let (seed, rounds) = (
            args.batch.seed.unwrap_or(loaded.scenario.seed),
            args.batch.rounds.unwrap_or(world.rounds),
        );
        let key = CheckpointKey {
            statecraft_version: env!("CARGO_PKG_VERSION").to_string(),
            git_hash: statecraft_api::GIT_HASH.to_string(),
            scenario_sha256: sha256_hex(&scenario_text),
            seed,
            runs,
            rounds,
            trajectories: args.trajectories,
            first,
            end,
            draws,
            summary_only: args.summary_only,
        };
        Ok(RunPlan {
            loaded,
            scenario_text,
            seed,
            runs,
            rounds,
            trajectories: args.trajectories,
            shard: args.shard,
            first,
            end,
            out,
            formats,
            world_series: args.world_series,
            draws,
            summary_only: args.summary_only,
            resumable,
            resume: args.resume,
            force: args.batch.force,
            quiet: args.batch.quiet,
            threads: args.batch.threads,
            key,
        })
    }

    fn world(&self) -> &World {
        &self.loaded.world
    }

    /// The folder's tables.
    fn layout(&self) -> Layout {
        Layout {
            draws: self.draws,
            summary_only: self.summary_only,
            trajectories: self.trajectories > 0,
            world_series: self.world_series,
        }
    }

    /// Prints `text` unless quiet.
    fn say(&self, text: std::fmt::Arguments<'_>) {
        if !self.quiet {
            outln!("{text}");
        }
    }
}

/// Opens the output folder: a fresh one, or with `--resume` the interrupted batch's, whose
/// checkpoint must be of this batch and vouch for its files.
fn open_output(plan: &RunPlan) -> Result<(OutDir, Option<Checkpoint>)> {
    let (out, partial) = if plan.resumable {
        OutDir::resumable(&plan.out, plan.force, plan.resume)?
    } else {
        (OutDir::create(&plan.out, plan.force)?, Partial::Fresh)
    };
    let Partial::Resume(text) = &partial else {
        return Ok((out, None));
    };
    let cp: Checkpoint = serde_json::from_str(text)
        .with_context(|| {
            format!(
                "{}: not a statecraft checkpoint",
                out.path("checkpoint.json").display()
            )
        })
        .input()?;
    if cp.key != plan.key {
        input_bail!(
            "{} holds an interrupted run with other options or another build ({}); rerun with the options it had, or discard it with --force",
            out.path("").display(),
            cp.key.describe()
        );
    }
    if cp.runs_done < plan.first || cp.runs_done > plan.end {
        input_bail!(
            "{}: its next run {} is outside the batch's runs {}..{}",
            out.path("checkpoint.json").display(),
            cp.runs_done,
            plan.first,
            plan.end
        );
    }
    // A damaged checkpoint is refused as bad input: --force discards it.
    verify_checkpoint(&out, &cp).input()?;
    Ok((out, Some(cp)))
}

/// The checkpointed files of a batch, in the order of a checkpoint's `sizes`: an absent one
/// (a table not written) counts as empty.
const CHECKPOINTED: [&str; 4] = ["runs.csv", "actors.csv", "trajectories.csv", "draws.csv"];

/// The tables of a batch being written, each present when written (`Layout`): runs and actors
/// unless `--summary-only`, draws with `--draws table`, trajectories when kept, the world
/// series when asked for.
struct Tables {
    runs: Option<Table>,
    actors: Option<Table>,
    trajectories: Option<Table>,
    draws: Option<Table>,
    world: Option<Table>,
    /// Columns of each (runs, actors, trajectories, world, draws): the CSV rows' capacity.
    widths: [usize; 5],
    layout: Layout,
}

impl Tables {
    /// Creates the tables, or reopens them at the checkpointed `sizes`.
    fn open(out: &OutDir, plan: &RunPlan, sizes: Option<&[u64]>) -> Result<Tables> {
        let layout = plan.layout();
        let t = statecraft_api::tables::run_tables_for(plan.world(), plan.draws);
        let open = |on: bool, k: usize, table: &statecraft_api::tables::Table| {
            let names = match k {
                0 => ("runs.csv", "runs.parquet"),
                1 => ("actors.csv", "actors.parquet"),
                2 => ("trajectories.csv", "trajectories.parquet"),
                3 => ("draws.csv", "draws.parquet"),
                _ => ("world.csv", "world.parquet"),
            };
            if !on {
                return Ok(None);
            }
            match sizes.and_then(|s| s.get(k)) {
                Some(len) => Table::resume(out, names, *len).map(Some),
                None => Table::create(out, names, &plan.formats, &table.header()).map(Some),
            }
        };
        let per_run = layout.per_run();
        Ok(Tables {
            runs: open(per_run, 0, &t.runs)?,
            actors: open(per_run, 1, &t.actors)?,
            trajectories: open(per_run && layout.trajectories, 2, &t.trajectories)?,
            draws: open(layout.draws_table(), 3, &t.draws)?,
            world: open(per_run && layout.world_series, 4, &t.world)?,
            widths: t.widths(),
            layout,
        })
    }

    /// The checkpointed tables, in [`CHECKPOINTED`] order.
    fn checkpointed(&mut self) -> [Option<&mut Table>; 4] {
        [
            self.runs.as_mut(),
            self.actors.as_mut(),
            self.trajectories.as_mut(),
            self.draws.as_mut(),
        ]
    }

    /// Whether the rows go to CSV files (formatted in the worker threads).
    fn wants_csv(&self) -> bool {
        [&self.runs, &self.draws]
            .into_iter()
            .flatten()
            .any(Table::wants_csv)
    }

    /// Writes a chunk's rows, in run order.
    #[cfg_attr(not(feature = "parquet"), allow(unused_variables))]
    fn write_chunk(
        &mut self,
        world: &World,
        recs: &[RunRecord],
        chunk: Option<CsvChunk>,
    ) -> Result<()> {
        if let Some(c) = chunk {
            for (t, rows) in [
                (&mut self.runs, &c.runs),
                (&mut self.actors, &c.actors),
                (&mut self.trajectories, &c.trajectories),
                (&mut self.draws, &c.draws),
                (&mut self.world, &c.world),
            ] {
                if let Some(t) = t.as_mut() {
                    t.csv_rows(rows)?;
                }
            }
        }
        #[cfg(feature = "parquet")]
        {
            let sinks = statecraft_api::Sinks {
                runs: self.runs.as_mut().and_then(|t| t.parquet()),
                draws: self.draws.as_mut().and_then(|t| t.parquet()),
                actors: self.actors.as_mut().and_then(|t| t.parquet()),
                trajectories: self.trajectories.as_mut().and_then(|t| t.parquet()),
            };
            if sinks.runs.is_some() || sinks.draws.is_some() {
                statecraft_api::write_rows(world, recs, self.layout.draws_inline(), sinks)?;
            }
        }
        Ok(())
    }

    /// Closes every table, with the provenance in the Parquet files' metadata.
    fn finish(self, provenance: &str) -> Result<()> {
        for t in [
            self.runs,
            self.actors,
            self.draws,
            self.trajectories,
            self.world,
        ]
        .into_iter()
        .flatten()
        {
            t.finish(provenance)?;
        }
        Ok(())
    }
}

/// Runs the batch's runs `start..end` into the tables and the aggregator, checkpointing as it
/// goes when resumable; stops cleanly (with a checkpoint) on Ctrl-C.
fn execute(
    plan: &RunPlan,
    job: &Job,
    out: &OutDir,
    tables: &mut Tables,
    agg: &mut crate::spill::SpillAggregator,
    start: u64,
) -> (Result<()>, Timing) {
    let world = plan.world();
    let spec = BatchSpec {
        seed: plan.seed,
        first: start,
        end: plan.end,
        rounds: plan.rounds,
        trajectories: plan.trajectories,
        world_series: plan.world_series,
    };
    if plan.resumable {
        interrupt::install();
    }
    let (csv, widths, layout) = (tables.wants_csv(), tables.widths, tables.layout);
    let mut last_checkpoint = Stopwatch::start();
    let mut checkpoints = 0;
    let total = plan.end - plan.first;
    job.batch(total, start - plan.first, |inc| {
        run_batch_with(
            world,
            &spec,
            // CSV rows are formatted in the worker threads, chunk by chunk, and only written
            // in order below.
            |recs| -> Result<Option<CsvChunk>> {
                let chunk =
                    csv.then(|| statecraft_api::format_chunk(world, recs, widths, &layout));
                Ok(chunk.transpose()?)
            },
            |recs, chunk| -> Result<()> {
                tables.write_chunk(world, recs, chunk?)?;
                for r in recs {
                    agg.push(&r.outcome.metrics)?;
                }
                let stop = plan.resumable && interrupt::requested();
                let due = stop || last_checkpoint.seconds() >= checkpoint_seconds();
                if !(plan.resumable && due) {
                    return Ok(());
                }
                let Some(last) = recs.last() else {
                    return Ok(());
                };
                let done = last.run + 1;
                write_checkpoint(out, &plan.key, done, tables.checkpointed(), agg)?;
                last_checkpoint = Stopwatch::start();
                checkpoints += 1;
                checkpoint_hooks(checkpoints);
                if stop {
                    return Err(anyhow::Error::new(Interrupted(format!(
                        "interrupted after {} of {total} runs; the finished ones are kept in {}. Continue with the same command and --resume",
                        done - plan.first,
                        out.path("").display()
                    ))));
                }
                Ok(())
            },
            inc,
        )
    })
}

/// Writes what follows the runs: the tables closed, `summary.json` (or a shard's
/// `shard.json`), `schema.json`, `manifest.json` last; the folder renamed into place.
fn write_results(
    plan: &RunPlan,
    job: &Job,
    out: OutDir,
    tables: Tables,
    agg: crate::spill::SpillAggregator,
    timing: Timing,
) -> Result<(std::path::PathBuf, Vec<MetricSummary>)> {
    let world = plan.world();
    let batch = FolderBatch {
        world,
        scenario_text: &plan.scenario_text,
        seed: plan.seed,
        runs: plan.runs,
        rounds: plan.rounds,
        trajectories: plan.trajectories,
        shard: plan.shard,
        first: plan.first,
        end: plan.end,
        formats: plan.formats.clone(),
        world_series: plan.world_series,
        draws: plan.draws,
        summary_only: plan.summary_only,
    };
    let mut manifest = statecraft_api::manifest(&batch);
    manifest.threads = timing.threads;
    manifest.wall_seconds = timing.seconds;
    // The speed of this invocation: a resumed batch computed only the runs after its
    // checkpoint.
    manifest.runs_per_second = timing.runs_per_second();
    manifest.command = std::env::args().collect();
    tables.finish(&manifest.reproducible_json())?;
    // After the tables are closed (Parquet's buffers freed), so that the one metric the
    // summaries hold at a time never adds to them; in the pool: the sorts use its threads.
    let summaries = job.pool().install(|| agg.summaries())?;
    if let Some((shard, shards)) = plan.shard {
        let meta = ShardFile {
            scenario: world.name.clone(),
            scenario_sha256: manifest.scenario_sha256.clone(),
            seed: plan.seed,
            runs: plan.runs,
            rounds: plan.rounds,
            trajectories: plan.trajectories,
            statecraft_version: env!("CARGO_PKG_VERSION").to_string(),
            shard,
            shards,
            first: plan.first,
            end: plan.end,
            metrics: metric_names(world),
            sha256: ["runs.csv", "actors.csv", "trajectories.csv"]
                .into_iter()
                .filter(|f| *f != "trajectories.csv" || plan.trajectories > 0)
                .map(|f| Ok((f.to_string(), sha256_file(&out.path(f))?)))
                .collect::<Result<_>>()?,
        };
        out.write("shard.json", &crate::common::json_bytes(&meta)?)?;
    }
    // summary.json (a shard's is its shard.json), schema.json, manifest.json last.
    let summary = plan.shard.is_none().then_some(summaries.as_slice());
    statecraft_api::finish_folder(&out, &batch, &manifest, summary)?;
    if plan.resumable {
        crash_point("rename");
    }
    crate::spill::remove_scratch(&out.path(""), metric_names(world).len());
    let dir = out.commit()?;
    if plan.resumable {
        // Kept until the folder is in place, so that no kill before loses the batch.
        let _ = std::fs::remove_file(dir.join("checkpoint.json"));
    }
    Ok((dir, summaries))
}

/// Runs `statecraft run`.
pub fn run(args: RunArgs) -> Result<ExitCode> {
    let plan = RunPlan::lower(args)?;
    let name = crate::common::shown(&plan.world().name).into_owned();
    // A requeued job whose batch finished before: `--resume` finds it complete and keeps it.
    if plan.resume && !plan.force && finished_already(&plan.out, &plan.key) {
        let out = plan.out.display();
        plan.say(format_args!(
            "{name}: the batch is already complete in {out}; nothing to resume"
        ));
        return Ok(ExitCode::SUCCESS);
    }
    let (mut out, resumed) = open_output(&plan)?;
    let start = resumed.as_ref().map_or(plan.first, |c| c.runs_done);
    let metrics = metric_names(plan.world());
    if start == plan.end && out.path("manifest.json").exists() {
        // Killed after every file was written, before the folder was renamed into place.
        crate::spill::remove_scratch(&out.path(""), metrics.len());
        let dir = out.commit()?;
        let _ = std::fs::remove_file(dir.join("checkpoint.json"));
        let dir = dir.display();
        plan.say(format_args!(
            "{name}: the batch was complete; results in {dir}"
        ));
        return Ok(ExitCode::SUCCESS);
    }
    let job = Job::start(plan.threads, plan.quiet)?;
    let mut tables = Tables::open(&out, &plan, resumed.as_ref().map(|c| c.sizes.as_slice()))?;
    let mut agg = match &resumed {
        Some(c) => crate::spill::SpillAggregator::resume(
            &out.path(""),
            metrics,
            c.present.clone(),
            c.missing.clone(),
        )?,
        None => crate::spill::SpillAggregator::new(&out.path(""), metrics)?,
    };
    let (batch, timing) = execute(&plan, &job, &out, &mut tables, &mut agg, start);
    if let Err(e) = batch {
        if plan.resumable && e.downcast_ref::<Interrupted>().is_none() {
            if out.path("checkpoint.json").exists() {
                return Err(e.context(format!(
                    "the runs before the last checkpoint are kept in {}: continue with the same command and --resume once the cause is fixed, or discard them with --force",
                    out.path("").display()
                )));
            }
            out.discard();
        }
        return Err(e);
    }
    if plan.resumable {
        // Every run is done: a kill from here on loses nothing (`--resume` goes straight to
        // the summary, or to the rename once manifest.json, written last, is there).
        write_checkpoint(&out, &plan.key, plan.end, tables.checkpointed(), &mut agg)?;
        agg.keep_files();
        crash_point("summary");
    }
    let (dir, summaries) = write_results(&plan, &job, out, tables, agg, timing)?;
    if plan.quiet {
        return Ok(ExitCode::SUCCESS);
    }
    let (first, end, runs, seed) = (plan.first, plan.end, plan.runs, plan.seed);
    match plan.shard {
        Some((k, n)) => {
            outln!("{name}: shard {k} of {n}, runs {first}..{end} of {runs}, seed {seed}")
        }
        None => print_table(&plan.world().name, runs, seed, &summaries),
    }
    let resumed = if start > first {
        format!(
            " ({} of them computed now, after the checkpoint)",
            end - start
        )
    } else {
        String::new()
    };
    outln!(
        "\n{} runs{resumed} in {}; results in {}",
        end - first,
        timing.speed(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn print_table(name: &str, runs: u64, seed: u64, summaries: &[MetricSummary]) {
    let width = summaries
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(6)
        .max(6);
    outln!("{name}: {runs} runs, seed {seed}");
    outln!(
        "{:<width$}  {:>10}  {:>10}  {:>10}  {:>10}  {:>6}",
        "metric",
        "mean",
        "p5",
        "p50",
        "p95",
        "n"
    );
    for s in summaries {
        let f = crate::common::row_fmt(&[s.mean, s.p5, s.p50, s.p95]);
        outln!(
            "{:<width$}  {:>10}  {:>10}  {:>10}  {:>10}  {:>6}",
            s.name,
            f(s.mean),
            f(s.p5),
            f(s.p50),
            f(s.p95),
            s.n
        );
    }
}
