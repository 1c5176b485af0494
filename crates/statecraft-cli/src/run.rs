//! `statecraft run`: one scenario, N seeded runs in parallel, a summary table and files.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use sha2::{Digest, Sha256};
use statecraft_core::{ActorColumn, World, metric_names, trajectory_numbers, world_columns};
use statecraft_runner::{BatchSpec, MetricSummary, RunRecord, run_batch_with};

use crate::args::{RunArgs, TableFormat};
use crate::error::OrInput;
use crate::load::load;
use crate::output::{OutDir, Partial, Rows};
use crate::table::{Cells, Kind, Table};

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

/// `shard.json`: what a shard folder holds, so that `merge` can check its shards belong
/// together.
#[derive(Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
pub struct ShardFile {
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of the scenario with its world, as `summary.json` gives it.
    pub scenario_sha256: String,
    /// Seed of the batch.
    pub seed: u64,
    /// Runs of the whole batch.
    pub runs: u64,
    /// Rounds per run.
    pub rounds: u32,
    /// Trajectories kept for runs below this index.
    pub trajectories: u64,
    /// statecraft version that wrote it.
    pub statecraft_version: String,
    /// This shard, 0-based.
    pub shard: u64,
    /// Number of shards.
    pub shards: u64,
    /// First run index of the shard (inclusive).
    pub first: u64,
    /// Last run index of the shard (exclusive).
    pub end: u64,
    /// The metric columns of runs.csv, in order.
    pub metrics: Vec<String>,
    /// SHA-256 of each CSV file of the shard as it was written (`runs.csv`, `actors.csv`,
    /// `trajectories.csv` when kept), which `merge` checks the files against.
    pub sha256: std::collections::BTreeMap<String, String>,
}

/// The SHA-256 of a file's bytes, in hex.
pub fn sha256_file(path: &std::path::Path) -> Result<String> {
    use std::io::Read;
    let mut f =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f
            .read(&mut buf)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The workspace's Cargo.lock, whose hash every manifest records.
pub const CARGO_LOCK: &str = include_str!("../../../Cargo.lock");

/// `manifest.json`: the provenance of a results folder, enough to reproduce it byte for byte
/// with `statecraft run --from-manifest` (all but this file's timings).
#[derive(Serialize, serde::Deserialize, Clone, Debug)]
pub struct Manifest {
    /// statecraft version.
    pub statecraft_version: String,
    /// Git commit the binary was built from ("unknown" outside a checkout).
    pub git_hash: String,
    /// SHA-256 of the Cargo.lock the binary was built with.
    pub cargo_lock_sha256: String,
    /// Scenario name.
    pub scenario_name: String,
    /// SHA-256 of `scenario`.
    pub scenario_sha256: String,
    /// Seed.
    pub seed: u64,
    /// Runs of the whole batch.
    pub runs: u64,
    /// Rounds per run.
    pub rounds: u32,
    /// Trajectories kept for runs below this index.
    pub trajectories: u64,
    /// The shard (K, N), if the folder holds one.
    pub shard: Option<(u64, u64)>,
    /// First run index in the folder.
    pub first: u64,
    /// Last run index in the folder (exclusive).
    pub end: u64,
    /// Worker threads (results do not depend on it).
    #[serde(default)]
    pub threads: usize,
    /// Wall time of the batch, seconds.
    #[serde(default)]
    pub wall_seconds: f64,
    /// Runs per second.
    #[serde(default)]
    pub runs_per_second: f64,
    /// The command line.
    #[serde(default)]
    pub command: Vec<String>,
    /// The formats of the tables (`--format`); empty in manifests from before it (CSV).
    #[serde(default)]
    pub formats: Vec<TableFormat>,
    /// Whether `world.csv` (the world series of every run, `--world-series`) was written;
    /// left out when not.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub world_series: bool,
    /// The scenario with its world, re-serialised (RON).
    pub scenario: String,
}

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
    let (git, lock) = (env!("STATECRAFT_GIT_HASH"), sha256_hex(CARGO_LOCK));
    if m.git_hash != git || m.cargo_lock_sha256 != lock {
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "warning: {p} was written by another build (commit {}, this is {git}); results may differ in the last bits",
                m.git_hash
            );
        }
    }
    Ok(())
}

/// Reads a `manifest.json`.
pub fn read_manifest(path: &std::path::Path) -> Result<Manifest> {
    let text = crate::load::read_input(path, "manifest")?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not a statecraft manifest.json", path.display()))
        .input()
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
    let Ok(m) = read_manifest(&out.join("manifest.json")) else {
        return false;
    };
    m.statecraft_version == key.statecraft_version
        && m.git_hash == key.git_hash
        && m.scenario_sha256 == key.scenario_sha256
        && (m.seed, m.runs, m.rounds, m.trajectories)
            == (key.seed, key.runs, key.rounds, key.trajectories)
        && (m.first, m.end) == (key.first, key.end)
}

/// The SHA-256 of a text, in hex.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The manifest without what varies from one invocation to the next (threads, timings, the
/// command line), as compact JSON: the provenance stored inside Parquet files, which stay
/// byte-identical on any thread count. `run --from-manifest` reads it too.
pub fn reproducible_json(m: &Manifest) -> Result<String> {
    let mut v = serde_json::to_value(m)?;
    if let Some(o) = v.as_object_mut() {
        for k in ["threads", "wall_seconds", "runs_per_second", "command"] {
            o.remove(k);
        }
    }
    Ok(serde_json::to_string(&v)?)
}

/// The bytes of `summary.json`.
pub fn summary_json(
    scenario: &str,
    scenario_sha256: &str,
    seed: u64,
    runs: u64,
    rounds: u32,
    metrics: &[MetricSummary],
) -> Result<Vec<u8>> {
    let summary = SummaryFile {
        scenario,
        scenario_sha256,
        seed,
        runs,
        rounds,
        statecraft_version: env!("CARGO_PKG_VERSION"),
        metrics,
    };
    let mut json = serde_json::to_vec_pretty(&summary)?;
    json.push(b'\n');
    Ok(json)
}

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
}

impl CheckpointKey {
    fn describe(&self) -> String {
        format!(
            "statecraft {} ({}), scenario {}..., seed {}, runs {}, rounds {}, trajectories {}, run indices {}..{}",
            self.statecraft_version,
            self.git_hash,
            &self.scenario_sha256[..12.min(self.scenario_sha256.len())],
            self.seed,
            self.runs,
            self.rounds,
            self.trajectories,
            self.first,
            self.end
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
    /// Bytes of runs.csv, actors.csv, trajectories.csv that belong to runs before it.
    sizes: [u64; 3],
    /// Values kept per metric in the scratch files.
    present: Vec<u64>,
    /// Runs without a value per metric.
    missing: Vec<u64>,
    /// SHA-256 of the last [`TAIL`] bytes (or fewer) before the checkpointed length of each
    /// file: the three CSV files, then the metrics' scratch files.
    tails: Vec<String>,
}

/// Bytes at the end of each file whose hash a checkpoint records.
const TAIL: u64 = 1 << 16;

/// The most runs a batch may have (`--runs`, a scenario's `runs`): a trillion, about four
/// months of one core, 8 TB of scratch file per metric.
pub const MAX_RUNS: u64 = 1_000_000_000_000;

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
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The files a checkpoint vouches for, with their checkpointed lengths.
fn checkpointed_files(
    out: &OutDir,
    sizes: [u64; 3],
    present: &[u64],
) -> Vec<(std::path::PathBuf, u64)> {
    let mut files: Vec<(std::path::PathBuf, u64)> = ["runs.csv", "actors.csv", "trajectories.csv"]
        .iter()
        .zip(sizes)
        .map(|(f, n)| (out.path(f), n))
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
    let files = checkpointed_files(out, cp.sizes, &cp.present);
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
    tables: [Option<&mut Table>; 3],
    agg: &mut crate::spill::SpillAggregator,
) -> Result<()> {
    for t in tables.into_iter().flatten() {
        t.sync()?;
    }
    let (present, missing) = agg.flush()?;
    let len = |f: &str| std::fs::metadata(out.path(f)).map_or(0, |m| m.len());
    let sizes = [len("runs.csv"), len("actors.csv"), len("trajectories.csv")];
    let tails = checkpointed_files(out, sizes, &present)
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
/// would stop it. The end-to-end tests use it; it does nothing otherwise.
fn crash_point(at: &str) {
    if std::env::var("STATECRAFT_CRASH_AT").is_ok_and(|v| v == at) {
        std::process::abort();
    }
}

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

    /// Whether an interruption was asked for.
    pub fn requested() -> bool {
        REQUESTED.load(Ordering::SeqCst)
    }
}

/// The run indices of shard `k` of `n` over `runs` runs: a contiguous, deterministic split.
pub fn shard_range(k: u64, n: u64, runs: u64) -> (u64, u64) {
    let at = |i: u64| ((u128::from(i) * u128::from(runs)) / u128::from(n)) as u64;
    (at(k), at(k + 1))
}

/// Runs `statecraft run`.
pub fn run(mut args: RunArgs) -> Result<ExitCode> {
    let loaded = match &args.from_manifest {
        Some(path) => {
            // Everything that shapes the results comes from the manifest.
            let m = read_manifest(path)?;
            check_manifest(&m, path).input()?;
            args.runs = Some(m.runs);
            args.seed = Some(m.seed);
            args.rounds = Some(m.rounds);
            args.trajectories = m.trajectories;
            args.shard = m.shard;
            args.world_series = m.world_series;
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
            load(scenario)?
        }
    };
    let world = &loaded.world;
    // Ranges of the options are checked by clap, those of the file by validation.
    let runs = args.runs.unwrap_or(loaded.scenario.runs);
    if runs > MAX_RUNS {
        input_bail!(
            "{}: runs {runs} is more than {MAX_RUNS}, the most a batch may have",
            loaded
                .files
                .first()
                .map_or("the scenario".to_string(), |f| f.display().to_string())
        );
    }
    let rounds = args.rounds.unwrap_or(world.rounds);
    let seed = args.seed.unwrap_or(loaded.scenario.seed);
    let pool = crate::common::pool(args.threads)?;
    let (first, end) = match args.shard {
        Some((k, n)) => shard_range(k, n, runs),
        None => (0, runs),
    };
    let out_path = args.out.clone().unwrap_or_else(|| match args.shard {
        Some((k, n)) => format!("out/{}-shards/shard-{k}-of-{n}", world.name).into(),
        None => format!("out/{}", world.name).into(),
    });
    let formats = args
        .format
        .clone()
        .unwrap_or_else(|| vec![TableFormat::Csv]);
    let formats = &formats;
    // CSV batches checkpoint as they go and can be resumed (Parquet files cannot be appended;
    // world.csv is not checkpointed).
    if args.world_series && formats != &[TableFormat::Csv] {
        input_bail!("--world-series writes world.csv: it needs CSV output only");
    }
    let resumable = formats == &[TableFormat::Csv] && !args.world_series;
    if args.resume && !resumable {
        input_bail!(
            "--resume needs CSV output only, without --world-series (Parquet files and world.csv cannot be continued)"
        );
    }
    let scenario_text = loaded.scenario.to_ron();
    let key = CheckpointKey {
        statecraft_version: env!("CARGO_PKG_VERSION").to_string(),
        git_hash: env!("STATECRAFT_GIT_HASH").to_string(),
        scenario_sha256: sha256_hex(&scenario_text),
        seed,
        runs,
        rounds,
        trajectories: args.trajectories,
        first,
        end,
    };
    // A requeued job whose batch finished before: `--resume` finds it complete and keeps it.
    if args.resume && !args.force && finished_already(&out_path, &key) {
        if !args.quiet {
            #[allow(clippy::print_stdout)]
            {
                outln!(
                    "{}: the batch is already complete in {}; nothing to resume",
                    crate::common::shown(&world.name),
                    out_path.display()
                );
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (mut out, partial) = if resumable {
        OutDir::resumable(&out_path, args.force, args.resume)?
    } else {
        (OutDir::create(&out_path, args.force)?, Partial::Fresh)
    };
    let resumed: Option<Checkpoint> = match &partial {
        Partial::Fresh => None,
        Partial::Resume(text) => {
            let cp: Checkpoint = serde_json::from_str(text)
                .with_context(|| {
                    format!(
                        "{}: not a statecraft checkpoint",
                        out.path("checkpoint.json").display()
                    )
                })
                .input()?;
            if cp.key != key {
                input_bail!(
                    "{} holds an interrupted run with other options or another build ({}); rerun with the options it had, or discard it with --force",
                    out.path("").display(),
                    cp.key.describe()
                );
            }
            if cp.runs_done < first || cp.runs_done > end {
                input_bail!(
                    "{}: its next run {} is outside the batch's runs {first}..{end}",
                    out.path("checkpoint.json").display(),
                    cp.runs_done
                );
            }
            // A damaged checkpoint is refused as bad input: --force discards it.
            verify_checkpoint(&out, &cp).input()?;
            Some(cp)
        }
    };
    let start = resumed.as_ref().map_or(first, |c| c.runs_done);
    if start == end && out.path("manifest.json").exists() {
        // Killed after every file was written, before the folder was renamed into place.
        crate::spill::remove_scratch(&out.path(""), metric_names(world).len());
        let dir = out.commit()?;
        let _ = std::fs::remove_file(dir.join("checkpoint.json"));
        if !args.quiet {
            #[allow(clippy::print_stdout)]
            {
                outln!(
                    "{}: the batch was complete; results in {}",
                    crate::common::shown(&world.name),
                    dir.display()
                );
            }
        }
        return Ok(ExitCode::SUCCESS);
    }

    let spec = BatchSpec {
        seed,
        first: start,
        end,
        rounds,
        trajectories: args.trajectories,
        world_series: args.world_series,
    };
    let metric_cols = metric_names(world);
    let param_cols: Vec<String> = world.uncertain().map(|(_, e)| e.path.clone()).collect();

    let col = |name: &str, kind: Kind| (name.to_string(), kind);
    let mut header = vec![col("run", Kind::Int)];
    header.extend(param_cols.iter().map(|c| col(c, Kind::Num)));
    header.extend(metric_cols.iter().map(|c| col(c, Kind::OptNum)));
    let open = |names: (&'static str, &'static str),
                header: &[(String, Kind)],
                len: Option<u64>|
     -> Result<Table> {
        match len {
            Some(len) => Table::resume(&out, names, len),
            None => Table::create(&out, names, formats, header),
        }
    };
    let sizes = resumed.as_ref().map(|c| c.sizes);
    let mut runs_csv = open(("runs.csv", "runs.parquet"), &header, sizes.map(|s| s[0]))?;
    let mut aheader = vec![
        col("run", Kind::Int),
        col("actor", Kind::Text),
        col("role", Kind::Text),
    ];
    aheader.extend(
        ActorColumn::ALL
            .iter()
            .map(|c| col(c.name(), if c.is_count() { Kind::Int } else { Kind::Num })),
    );
    let mut actors_csv = open(
        ("actors.csv", "actors.parquet"),
        &aheader,
        sizes.map(|s| s[1]),
    )?;
    let mut theader = vec![
        col("run", Kind::Int),
        col("round", Kind::Int),
        col("actor", Kind::Text),
    ];
    theader.extend(trajectory_numbers().map(|c| col(c, Kind::Num)));
    theader.push(col("action", Kind::OptText));
    let mut traj_csv = if args.trajectories > 0 {
        Some(open(
            ("trajectories.csv", "trajectories.parquet"),
            &theader,
            sizes.map(|s| s[2]),
        )?)
    } else {
        None
    };

    let mut wheader = vec![col("run", Kind::Int), col("round", Kind::Int)];
    wheader.extend(world_columns().map(|c| col(c, Kind::Num)));
    let mut world_csv = if args.world_series {
        Some(open(("world.csv", "world.parquet"), &wheader, None)?)
    } else {
        None
    };

    let bar = crate::common::progress_bar(end - first, args.quiet);
    bar.skip(start - first);
    let mut agg = match &resumed {
        Some(c) => crate::spill::SpillAggregator::resume(
            &out.path(""),
            metric_cols.clone(),
            c.present.clone(),
            c.missing.clone(),
        )?,
        None => crate::spill::SpillAggregator::new(&out.path(""), metric_cols.clone())?,
    };
    if resumable {
        interrupt::install();
    }
    #[allow(clippy::disallowed_types)]
    let mut last_checkpoint = std::time::Instant::now();
    #[allow(clippy::disallowed_types)]
    let started = std::time::Instant::now();
    let inc = |k: u64| bar.inc(k);
    let traj = traj_csv.is_some();
    let csv = runs_csv.wants_csv();
    let series = world_csv.is_some();
    let widths = [header.len(), aheader.len(), theader.len(), wheader.len()];
    let batch = pool.install(|| {
        run_batch_with(
            world,
            &spec,
            // CSV rows are formatted in the worker threads, chunk by chunk, and only written
            // in order below.
            |recs| -> Result<Option<CsvChunk>> {
                if !csv {
                    return Ok(None);
                }
                let size = recs.len() * 64;
                let mut runs = Rows::append("runs.csv", Vec::with_capacity(size * 4), widths[0]);
                let mut actors =
                    Rows::append("actors.csv", Vec::with_capacity(size * 8), widths[1]);
                let mut trajectories = Rows::append("trajectories.csv", Vec::new(), widths[2]);
                let mut world_rows = Rows::append("world.csv", Vec::new(), widths[3]);
                write_rows(
                    world,
                    recs,
                    &mut runs,
                    &mut actors,
                    traj.then_some(&mut trajectories),
                )?;
                if series {
                    write_world(recs, &mut world_rows)?;
                }
                Ok(Some(CsvChunk {
                    runs: runs.into_inner()?,
                    actors: actors.into_inner()?,
                    trajectories: trajectories.into_inner()?,
                    world: world_rows.into_inner()?,
                }))
            },
            |recs, chunk| -> Result<()> {
                if let Some(c) = chunk? {
                    runs_csv.csv_rows(&c.runs)?;
                    actors_csv.csv_rows(&c.actors)?;
                    if let Some(w) = traj_csv.as_mut() {
                        w.csv_rows(&c.trajectories)?;
                    }
                    if let Some(w) = world_csv.as_mut() {
                        w.csv_rows(&c.world)?;
                    }
                }
                #[cfg(feature = "parquet")]
                if let (Some(r), Some(a)) = (runs_csv.parquet(), actors_csv.parquet()) {
                    write_rows(
                        world,
                        recs,
                        r,
                        a,
                        traj_csv.as_mut().and_then(|t| t.parquet()),
                    )?;
                }
                for r in recs {
                    agg.push(&r.outcome.metrics)?;
                }
                let stop = resumable && interrupt::requested();
                if resumable
                    && (stop || last_checkpoint.elapsed().as_secs_f64() >= checkpoint_seconds())
                    && let Some(last) = recs.last()
                {
                    let done = last.run + 1;
                    write_checkpoint(
                        &out,
                        &key,
                        done,
                        [
                            Some(&mut runs_csv),
                            Some(&mut actors_csv),
                            traj_csv.as_mut(),
                        ],
                        &mut agg,
                    )?;
                    #[allow(clippy::disallowed_types)]
                    {
                        last_checkpoint = std::time::Instant::now();
                    }
                    if stop {
                        return Err(anyhow::Error::new(Interrupted(format!(
                            "interrupted after {} of {} runs; the finished ones are kept in {}. Continue with the same command and --resume",
                            done - first,
                            end - first,
                            out.path("").display()
                        ))));
                    }
                }
                Ok(())
            },
            &inc,
        )
    });
    if let Err(e) = batch {
        if resumable && e.downcast_ref::<Interrupted>().is_none() {
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
    if resumable {
        // Every run is done: a kill from here on loses nothing (`--resume` goes straight to
        // the summary, or to the rename once manifest.json, written last, is there).
        write_checkpoint(
            &out,
            &key,
            end,
            [
                Some(&mut runs_csv),
                Some(&mut actors_csv),
                traj_csv.as_mut(),
            ],
            &mut agg,
        )?;
        agg.keep_files();
        crash_point("summary");
    }
    bar.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();

    let sha = sha256_hex(&scenario_text);
    let manifest = Manifest {
        statecraft_version: env!("CARGO_PKG_VERSION").to_string(),
        git_hash: env!("STATECRAFT_GIT_HASH").to_string(),
        cargo_lock_sha256: sha256_hex(CARGO_LOCK),
        scenario_name: world.name.clone(),
        scenario_sha256: sha.clone(),
        seed,
        runs,
        rounds,
        trajectories: args.trajectories,
        shard: args.shard,
        first,
        end,
        threads: pool.current_num_threads(),
        wall_seconds: elapsed,
        // The speed of this invocation: a resumed batch computed only the runs after its
        // checkpoint.
        runs_per_second: (end - start) as f64 / elapsed.max(1e-9),
        command: std::env::args().collect(),
        formats: formats.clone(),
        world_series: args.world_series,
        scenario: scenario_text,
    };
    let provenance = reproducible_json(&manifest)?;
    runs_csv.finish(&provenance)?;
    actors_csv.finish(&provenance)?;
    if let Some(w) = traj_csv {
        w.finish(&provenance)?;
    }
    if let Some(w) = world_csv {
        w.finish(&provenance)?;
    }
    // After the tables are closed (Parquet's buffers freed), so that the one metric the
    // summaries hold at a time never adds to them; in the pool: the sorts use its threads.
    let summaries = pool.install(|| agg.summaries())?;
    let mut json = serde_json::to_vec_pretty(&manifest)?;
    json.push(b'\n');
    match args.shard {
        None => out.write(
            "summary.json",
            &summary_json(&world.name, &sha, seed, runs, rounds, &summaries)?,
        )?,
        Some((shard, shards)) => {
            let meta = ShardFile {
                scenario: world.name.clone(),
                scenario_sha256: sha,
                seed,
                runs,
                rounds,
                trajectories: args.trajectories,
                statecraft_version: env!("CARGO_PKG_VERSION").to_string(),
                shard,
                shards,
                first,
                end,
                metrics: metric_cols.clone(),
                sha256: ["runs.csv", "actors.csv", "trajectories.csv"]
                    .into_iter()
                    .filter(|f| *f != "trajectories.csv" || args.trajectories > 0)
                    .map(|f| Ok((f.to_string(), sha256_file(&out.path(f))?)))
                    .collect::<Result<_>>()?,
            };
            let mut json = serde_json::to_vec_pretty(&meta)?;
            json.push(b'\n');
            out.write("shard.json", &json)?;
        }
    }
    // Last, and whole or not at all: its presence says every other file is complete.
    out.replace("manifest.json", &json)?;
    if resumable {
        crash_point("rename");
    }
    crate::spill::remove_scratch(&out.path(""), metric_cols.len());
    let dir = out.commit()?;
    if resumable {
        // Kept until the folder is in place, so that no kill before loses the batch.
        let _ = std::fs::remove_file(dir.join("checkpoint.json"));
    }

    if !args.quiet {
        if let Some((k, n)) = args.shard {
            #[allow(clippy::print_stdout)]
            {
                outln!(
                    "{}: shard {k} of {n}, runs {first}..{end} of {runs}, seed {seed}",
                    world.name
                );
            }
        } else {
            print_table(&world.name, runs, seed, &summaries);
        }
        #[allow(clippy::print_stdout)]
        {
            let resumed = if start > first {
                format!(
                    " ({} of them computed now, after the checkpoint)",
                    end - start
                )
            } else {
                String::new()
            };
            outln!(
                "\n{} runs{resumed} in {elapsed:.2} s ({:.0} runs/s on {}); results in {}",
                end - first,
                (end - start) as f64 / elapsed.max(1e-9),
                crate::common::threads(pool.current_num_threads()),
                dir.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The CSV rows of one chunk of runs, formatted in a worker thread.
struct CsvChunk {
    runs: Vec<u8>,
    actors: Vec<u8>,
    trajectories: Vec<u8>,
    world: Vec<u8>,
}

/// Writes the world-series rows of `recs` (`world.csv`): run, round, then the
/// [`statecraft_core::WorldColumn`]s.
fn write_world<C: Cells>(recs: &[RunRecord], rows: &mut C) -> Result<()> {
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

/// The role of actor `i` in actors.csv: `hegemon`, `rival` or `ally` (every other actor).
pub fn role(world: &World, i: usize) -> &'static str {
    if i == world.hegemon {
        "hegemon"
    } else if world.rival == Some(i) {
        "rival"
    } else {
        "ally"
    }
}

/// Writes the rows of `recs` to the runs, actors and (when given) trajectories tables.
fn write_rows<C: Cells>(
    world: &World,
    recs: &[RunRecord],
    runs: &mut C,
    actors: &mut C,
    mut trajectories: Option<&mut C>,
) -> Result<()> {
    for r in recs {
        runs.int(r.run)?;
        for x in &r.draws {
            runs.num(Some(*x))?;
        }
        for m in &r.outcome.metrics {
            runs.num(*m)?;
        }
        runs.end()?;
        for (i, a) in r.outcome.actors.iter().enumerate() {
            actors.int(r.run)?;
            actors.text(Some(&world.names[i]))?;
            actors.text(Some(role(world, i)))?;
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
        if let Some(w) = trajectories.as_deref_mut() {
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

#[allow(clippy::print_stdout)]
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
