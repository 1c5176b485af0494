//! Who wrote a results folder, from what: the provenance every folder records, the run
//! folder's `manifest.json`, and the hashes that tie them to their inputs.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Error, Result};

/// The most bytes read from a JSON or scenario file of a folder (64 MiB).
pub const MAX_FILE: u64 = 64 << 20;

/// Provenance common to every results folder: who wrote it, from what.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Provenance {
    /// statecraft version.
    pub statecraft_version: String,
    /// Git commit the binary was built from.
    pub git_hash: String,
    /// SHA-256 of the Cargo.lock the binary was built with.
    pub cargo_lock_sha256: String,
    /// The command line.
    pub command: Vec<String>,
}

/// Formats of the result tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    /// runs.csv, actors.csv, trajectories.csv.
    Csv,
    /// runs.parquet, actors.parquet, trajectories.parquet, with the manifest in their metadata.
    Parquet,
}

/// Where a run folder's parameter draws are (`statecraft run --draws`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Draws {
    /// Columns of `runs.csv`, after `run` (the default).
    #[default]
    Runs,
    /// Their own table, `draws.csv`: `run`, then one column per uncertain parameter.
    Table,
    /// Not written.
    None,
}

impl Draws {
    /// Whether this is the default (`runs.csv`'s columns): the manifest leaves it out then.
    pub fn is_default(&self) -> bool {
        *self == Draws::Runs
    }
}

/// `manifest.json`: the provenance of a run folder, enough to reproduce it byte for byte with
/// `statecraft run --from-manifest` (all but this file's timings). Written last: its presence
/// says every other file of the folder is complete.
#[derive(Serialize, Deserialize, Clone, Debug)]
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
    /// Where the parameter draws are (`--draws`, `--no-draws`); left out when in `runs.csv`.
    #[serde(default, skip_serializing_if = "Draws::is_default")]
    pub draws: Draws,
    /// Whether only the summary was written, no per-run table (`--summary-only`); left out
    /// when not.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub summary_only: bool,
    /// The scenario with its world, re-serialised (RON).
    pub scenario: String,
}

/// Removes from a manifest (a run's, or a sweep's as JSON) what varies from one invocation to
/// the next: threads, timings, the command line.
pub fn without_varying(manifest: &mut serde_json::Value) {
    if let Some(o) = manifest.as_object_mut() {
        for k in ["threads", "wall_seconds", "runs_per_second", "command"] {
            o.remove(k);
        }
    }
}

impl Manifest {
    /// The manifest [`without_varying`], as compact JSON: the provenance stored inside Parquet
    /// files, which stay byte-identical on any thread count.
    pub fn reproducible_json(&self) -> String {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        without_varying(&mut v);
        v.to_string()
    }
}

/// Reads a text file of a results folder (or an input the user names): a regular file of at
/// most [`MAX_FILE`] bytes of UTF-8 (a leading byte-order mark dropped). `what` names it in
/// errors ("manifest", "scenario file").
pub fn read_text(path: &Path, what: &str) -> Result<String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| Error::io(format!("cannot read {shown}"), e))?;
    if !meta.is_file() {
        return Err(Error::Invalid(format!(
            "{what} {shown} is not a regular file"
        )));
    }
    if meta.len() > MAX_FILE {
        return Err(Error::Invalid(format!(
            "{what} {shown} is {} bytes; at most {MAX_FILE} are read",
            meta.len()
        )));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| Error::io(format!("cannot read {what} {shown}"), e))?;
    // The file could change between the check and the read: never read more than the limit.
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(format!("cannot read {what} {shown}"), e))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(Error::Invalid(format!(
            "{what} {shown} is larger than {MAX_FILE} bytes"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::Invalid(format!(
            "{what} {shown} is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// Reads a `manifest.json`.
pub fn read_manifest(path: &Path) -> Result<Manifest> {
    let text = read_text(path, "manifest")?;
    serde_json::from_str(&text).map_err(|e| {
        Error::Invalid(format!(
            "{} is not a statecraft manifest.json: {e}",
            path.display()
        ))
    })
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of a text, in hex.
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// The SHA-256 of a file's bytes, in hex (read in 64 KiB pieces).
pub fn sha256_file(path: &Path) -> Result<String> {
    let err = |e| Error::io(format!("cannot read {}", path.display()), e);
    let mut f = std::fs::File::open(path).map_err(err)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(err)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_those_of_sha256() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let p = std::env::temp_dir().join(format!("statecraft-results-{}", std::process::id()));
        std::fs::write(&p, "abc").expect("write");
        assert_eq!(sha256_file(&p).expect("hash"), sha256_hex("abc"));
        let _ = std::fs::remove_file(&p);
    }

    #[test]
    fn the_reproducible_manifest_leaves_out_what_varies() {
        let m = Manifest {
            statecraft_version: "0.1.0".into(),
            git_hash: "h".into(),
            cargo_lock_sha256: "l".into(),
            scenario_name: "s".into(),
            scenario_sha256: sha256_hex("()"),
            seed: 7,
            runs: 10,
            rounds: 4,
            trajectories: 0,
            shard: None,
            first: 0,
            end: 10,
            threads: 2,
            wall_seconds: 1.5,
            runs_per_second: 6.7,
            command: vec!["statecraft".into()],
            formats: vec![TableFormat::Csv],
            world_series: false,
            draws: Draws::Runs,
            summary_only: false,
            scenario: "()".into(),
        };
        let j = m.reproducible_json();
        // The options left at their defaults are not recorded.
        assert!(!j.contains("draws") && !j.contains("summary_only"), "{j}");
        assert!(
            j.contains("\"seed\":7") && j.contains("\"formats\":[\"csv\"]"),
            "{j}"
        );
        for k in [
            "threads",
            "wall_seconds",
            "runs_per_second",
            "command",
            "world_series",
        ] {
            assert!(!j.contains(k), "{k} in {j}");
        }
    }
}
