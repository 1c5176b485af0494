//! Shards: a contiguous share of a batch's runs (or a sweep's points, a tournament's cells),
//! the run shard's `shard.json`, and the check that the shards given to `merge` tile the whole.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The indices of shard `k` of `n` over `total` units (runs, points, cells): a contiguous,
/// deterministic split, `(first, end)` with `end` exclusive.
pub fn shard_range(k: u64, n: u64, total: u64) -> (u64, u64) {
    let at = |i: u64| ((u128::from(i) * u128::from(total)) / u128::from(n)) as u64;
    (at(k), at(k + 1))
}

/// `shard.json`: what a run shard folder holds, so that `merge` can check its shards belong
/// together.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
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
    pub sha256: BTreeMap<String, String>,
}

/// Checks that shards tile `0..total` of some unit (`what`: "runs", "cells", ...): sorted by
/// their `range` in place, each begins where the one before it ended, with clear errors for a
/// gap (the missing range) and an overlap (the two folders and the range they share).
pub fn check_tiling<T>(
    shards: &mut [(PathBuf, T)],
    range: impl Fn(&T) -> (u64, u64),
    total: u64,
    what: &str,
) -> Result<()> {
    shards.sort_by_key(|(_, s)| range(s));
    let mut next = 0;
    for (i, (d, s)) in shards.iter().enumerate() {
        let (first, end) = range(s);
        if first > next {
            return Err(Error::Invalid(format!(
                "{what} {next}..{first} are missing: no shard given covers them"
            )));
        }
        if first < next {
            return Err(Error::Invalid(format!(
                "{} and {} overlap ({what} {first}..{} are in both)",
                shards[i - 1].0.display(),
                d.display(),
                next.min(end)
            )));
        }
        next = end;
    }
    if next != total {
        return Err(Error::Invalid(format!(
            "{what} {next}..{total} are missing: no shard given covers them"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_a_batch_into_contiguous_shares() {
        let ranges: Vec<_> = (0..4).map(|k| shard_range(k, 4, 10)).collect();
        assert_eq!(ranges, [(0, 2), (2, 5), (5, 7), (7, 10)]);
        // No overflow at the largest batches.
        assert_eq!(shard_range(1, 2, u64::MAX).1, u64::MAX);
    }

    #[test]
    fn gaps_and_overlaps_are_named() {
        let mut ok: Vec<(PathBuf, (u64, u64))> = vec![("b".into(), (5, 10)), ("a".into(), (0, 5))];
        check_tiling(&mut ok, |r| *r, 10, "runs").expect("tiles");
        assert_eq!(ok[0].0, PathBuf::from("a"));
        let mut gap: Vec<(PathBuf, (u64, u64))> = vec![("a".into(), (0, 4))];
        let e = check_tiling(&mut gap, |r| *r, 10, "runs").unwrap_err();
        assert_eq!(
            e.to_string(),
            "runs 4..10 are missing: no shard given covers them"
        );
        let mut over: Vec<(PathBuf, (u64, u64))> =
            vec![("a".into(), (0, 6)), ("b".into(), (5, 10))];
        let e = check_tiling(&mut over, |r| *r, 10, "runs").unwrap_err();
        assert_eq!(e.to_string(), "a and b overlap (runs 5..6 are in both)");
    }
}
