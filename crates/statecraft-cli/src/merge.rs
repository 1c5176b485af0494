//! `statecraft merge`: shard folders of one batch into the folder the unsharded run writes.
//! (Tournament shards, recognised by their `tournament_shard.json`, are merged by
//! `crate::tournament::merge`.)
//!
//! The shards must come from the same scenario, seed, runs, rounds, trajectories and version,
//! and cover the run indices exactly once. CSV rows are copied in run order; `summary.json` is
//! recomputed from the merged `runs.csv`, whose numbers round-trip exactly, so every file is
//! byte-identical to an unsharded run.

use std::fs;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::args::MergeArgs;
use crate::error::OrInput;
use crate::output::OutDir;
use crate::run::{print_table, summary_json};
use statecraft_results::{FolderSchema, Manifest, ShardFile, read_manifest};

fn read_shard(dir: &Path) -> Result<ShardFile> {
    let p = dir.join("shard.json");
    let text = fs::read_to_string(&p).with_context(|| {
        format!(
            "{} is not a shard folder: cannot read {}",
            dir.display(),
            p.display()
        )
    })?;
    serde_json::from_str(&text)
        .with_context(|| format!("{}: not a shard.json of statecraft", p.display()))
}

/// A shard file's header: its fields and its length in bytes.
pub struct Head {
    record: csv::ByteRecord,
    len: u64,
}

/// The header of the CSV file `p`, read as CSV (a quoted name may hold a line break).
pub fn read_head(p: &Path) -> Result<Head> {
    let mut rdr =
        csv::Reader::from_path(p).with_context(|| format!("cannot read {}", p.display()))?;
    let record = rdr
        .byte_headers()
        .with_context(|| format!("cannot read {}", p.display()))?
        .clone();
    Ok(Head {
        record,
        len: rdr.position().byte(),
    })
}

/// Writes file `name` of the merged folder `out`: the file `name` of each shard folder of
/// `dirs` in order, the header once (the first shard's), the rows of every shard. `head`
/// reads each shard's file before anything of it is copied (and may check it: nothing of a
/// damaged shard reaches the merged folder); a shard whose columns differ from the first's
/// is refused.
pub fn concat_csv(
    out: &OutDir,
    name: &str,
    dirs: &[&Path],
    mut head: impl FnMut(usize, &Path) -> Result<Head>,
) -> Result<()> {
    let mut w = out.file(name)?;
    let mut first: Option<csv::ByteRecord> = None;
    for (i, d) in dirs.iter().enumerate() {
        let p = d.join(name);
        let h = head(i, &p)?;
        match &first {
            None => first = Some(h.record),
            Some(f) if *f != h.record => input_bail!(
                "{}: its columns differ from those of the first shard",
                p.display()
            ),
            Some(_) => {}
        }
        let mut f = fs::File::open(&p).with_context(|| format!("cannot read {}", p.display()))?;
        if i > 0 {
            f.seek(SeekFrom::Start(h.len))
                .with_context(|| format!("cannot read {}", p.display()))?;
        }
        std::io::copy(&mut f, &mut w)
            .with_context(|| format!("cannot copy {} into the merged {name}", p.display()))?;
    }
    w.flush().with_context(|| format!("cannot write {name}"))
}

/// Reads through a file, hashing every byte read.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

/// Checks file `name` of a shard against its `shard.json`: the SHA-256 recorded when the shard
/// was written, and (read as CSV, so that quoted line breaks are fields, not rows) rows whose
/// run indices are those of the shard's range: every run once and in order in `runs.csv`,
/// runs in range and in order in the others. Returns the header.
fn check_shard_file(p: &Path, name: &str, s: &ShardFile) -> Result<Head> {
    let shown = p.display();
    let Some(want) = s.sha256.get(name) else {
        input_bail!("{shown}: its shard.json records no hash of {name}; recompute the shard");
    };
    let f = fs::File::open(p).with_context(|| format!("cannot read {shown}"))?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(Hashing {
            inner: std::io::BufReader::with_capacity(1 << 16, f),
            hash: Sha256::new(),
        });
    let record = rdr
        .byte_headers()
        .with_context(|| format!("cannot read {shown}"))?
        .clone();
    let len = rdr.position().byte();
    let end = if name == "trajectories.csv" {
        s.end.min(s.trajectories).max(s.first)
    } else {
        s.end
    };
    let (mut next, mut rows) = (s.first, 0u64);
    let mut rec = csv::ByteRecord::new();
    while rdr
        .read_byte_record(&mut rec)
        .with_context(|| format!("cannot read {shown}"))?
    {
        rows += 1;
        let line = rec.position().map_or(0, |p| p.line());
        let run = std::str::from_utf8(rec.get(0).unwrap_or_default())
            .ok()
            .and_then(|t| t.parse::<u64>().ok())
            .with_context(|| format!("{shown}:{line}: the run index is not a number"))?;
        let ok = if name == "runs.csv" {
            run == next
        } else {
            run >= next && run < end
        };
        if !ok {
            input_bail!(
                "{shown}:{line}: run {run} is not the one expected there (runs {}..{end} once each, in order): the shard lost, repeated or reordered rows",
                s.first
            );
        }
        next = if name == "runs.csv" { run + 1 } else { run };
    }
    if name == "runs.csv" && next != s.end {
        input_bail!(
            "{shown}: {rows} rows, the shard has runs {}..{} ({} rows): rows were lost",
            s.first,
            s.end,
            s.end - s.first
        );
    }
    let mut inner = rdr.into_inner();
    // Whatever the CSV reader left unread (nothing, normally) counts too.
    std::io::copy(&mut inner, &mut std::io::sink())
        .with_context(|| format!("cannot read {shown}"))?;
    let got = statecraft_results::provenance::hex(&inner.hash.finalize());
    if got != *want {
        input_bail!(
            "{shown}: its content differs from what the shard wrote (SHA-256 {got}, its shard.json records {want}): the file was edited or damaged; recompute the shard"
        );
    }
    Ok(Head { record, len })
}

/// The manifest of a merged folder: the first shard's, for the whole batch of `runs` runs
/// (`computed` simulations in all), with the shards' wall times added up. Shards computed by
/// different builds are refused.
pub fn combined_manifest(dirs: &[PathBuf], runs: u64, computed: u64) -> Result<Manifest> {
    let mut manifests = Vec::new();
    for d in dirs {
        manifests.push(read_manifest(&d.join("manifest.json")).input()?);
    }
    for (d, m) in dirs.iter().zip(&manifests) {
        if m.git_hash != manifests[0].git_hash
            || m.cargo_lock_sha256 != manifests[0].cargo_lock_sha256
        {
            input_bail!(
                "{} and {} were computed by different builds of statecraft (commits {} and {}); rerun them with one",
                dirs[0].display(),
                d.display(),
                manifests[0].git_hash,
                m.git_hash
            );
        }
    }
    let wall: f64 = manifests.iter().map(|m| m.wall_seconds).sum();
    let mut manifest = manifests[0].clone();
    manifest.shard = None;
    manifest.first = 0;
    manifest.end = runs;
    manifest.wall_seconds = wall;
    manifest.runs_per_second = computed as f64 / wall.max(1e-9);
    manifest.command = std::env::args().collect();
    Ok(manifest)
}

/// The summaries of the metrics, from the merged runs.csv, read through
/// [`statecraft_results::RunsRows`] with the first shard's description of its columns (its
/// `schema.json`, or its `shard.json`'s metric list), in constant memory.
fn merged_summaries(
    out: &OutDir,
    first: &Path,
    s0: &ShardFile,
) -> Result<Vec<statecraft_runner::MetricSummary>> {
    let mut agg = crate::spill::SpillAggregator::new(&out.path(""), s0.metrics.clone())?;
    let mut rows = statecraft_results::RunsRows::open_file(&out.path("runs.csv"), first)
        .context("cannot read the merged runs.csv")?;
    if !rows.metrics().eq(s0.metrics.iter().map(String::as_str)) {
        input_bail!(
            "{}: the metric columns of its runs.csv are not the metrics of its shard.json",
            first.display()
        );
    }
    let mut row = statecraft_results::RunsRow::default();
    while rows
        .read(&mut row)
        .context("cannot read the merged runs.csv")?
    {
        agg.push(&row.metrics)?;
    }
    agg.summaries()
}

/// The merged folder's `schema.json`: the shards' (which must agree), its tables held in
/// CSV only, as merge writes them; `None` when every shard was written before schema.json (a
/// mix is refused: shards of different builds).
pub fn merged_schema(dirs: &[PathBuf]) -> Result<Option<FolderSchema>> {
    let mut first: Option<FolderSchema> = None;
    let without = dirs
        .iter()
        .filter(|d| !d.join(FolderSchema::FILE).exists())
        .count();
    if without == dirs.len() {
        return Ok(None);
    }
    if without > 0 {
        input_bail!(
            "{without} of the {} shards have no schema.json: they were written by another build of statecraft; recompute them with one",
            dirs.len()
        );
    }
    for d in dirs {
        let Some(mut s) = FolderSchema::read(d).input()? else {
            return Ok(None);
        };
        for t in &mut s.tables {
            t.files.retain(|f| f.ends_with(".csv"));
            if t.files.is_empty() {
                t.files.push(format!("{}.csv", t.name));
            }
        }
        match &first {
            None => first = Some(s),
            Some(f) if *f != s => input_bail!(
                "{}: its schema.json differs from that of {}: shards of different batches",
                d.display(),
                dirs[0].display()
            ),
            Some(_) => {}
        }
    }
    Ok(first)
}

/// Runs `statecraft merge`: tournament shards (with a `tournament_shard.json`) or run shards.
pub fn merge(args: MergeArgs) -> Result<ExitCode> {
    if args.shards[0].join("tournament_shard.json").exists() {
        return crate::tournament::merge(&args);
    }
    if args.shards[0].join("sweep_shard.json").exists() {
        return crate::sweep::merge(&args);
    }
    let mut shards: Vec<(PathBuf, ShardFile)> = args
        .shards
        .iter()
        .map(|d| Ok((d.clone(), read_shard(d).input()?)))
        .collect::<Result<_>>()?;
    let (d0, s0) = shards[0].clone();
    for (d, s) in &shards[1..] {
        for (field, same) in [
            ("scenario", s.scenario_sha256 == s0.scenario_sha256),
            ("seed", s.seed == s0.seed),
            ("runs", s.runs == s0.runs),
            ("rounds", s.rounds == s0.rounds),
            ("trajectories", s.trajectories == s0.trajectories),
            (
                "statecraft version",
                s.statecraft_version == s0.statecraft_version,
            ),
            ("metrics", s.metrics == s0.metrics),
        ] {
            if !same {
                input_bail!(
                    "{} and {} come from different batches: their {field} differs; merge only the shards of one run",
                    d0.display(),
                    d.display()
                );
            }
        }
    }
    statecraft_results::check_tiling(&mut shards, |s| (s.first, s.end), s0.runs, "runs").input()?;

    let out = OutDir::create(&args.out, args.force)?;
    let mut files = vec!["runs.csv", "actors.csv"];
    if s0.trajectories > 0 {
        files.push("trajectories.csv");
    }
    let dirs: Vec<&Path> = shards.iter().map(|(d, _)| d.as_path()).collect();
    for name in files {
        // Checked first (its hash, its rows' run indices), copied after.
        concat_csv(&out, name, &dirs, |i, p| {
            check_shard_file(p, name, &shards[i].1).input()
        })?;
    }

    let summaries = merged_summaries(&out, &d0, &s0)?;
    out.write(
        "summary.json",
        &summary_json(
            &s0.scenario,
            &s0.scenario_sha256,
            s0.seed,
            s0.runs,
            s0.rounds,
            &summaries,
        )?,
    )?;
    // Provenance: the first shard's manifest, for the whole batch.
    let dirs: Vec<PathBuf> = shards.iter().map(|(d, _)| d.clone()).collect();
    let mut manifest = combined_manifest(&dirs, s0.runs, s0.runs)?;
    // merge joins the CSV tables only.
    manifest.formats = vec![statecraft_results::TableFormat::Csv];
    if let Some(schema) = merged_schema(&dirs)? {
        out.write(FolderSchema::FILE, &schema.to_json())?;
    }
    out.write("manifest.json", &crate::common::json_bytes(&manifest)?)?;
    let dir = out.commit()?;
    if !args.quiet {
        print_table(&s0.scenario, s0.runs, s0.seed, &summaries);
        {
            outln!("\nmerged {} shards into {}", shards.len(), dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
