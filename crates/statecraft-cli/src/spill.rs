//! A metric aggregator whose memory does not grow with the number of runs: each metric's
//! values go, in run order, to a binary scratch file inside the output's temporary folder;
//! the summaries read one metric back at a time (8 bytes a run: 80 MB for 10 million runs)
//! and compute exactly what the in-memory `Aggregator` would, in the same order, so the
//! numbers are bit-identical.

use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use statecraft_runner::MetricSummary;
use statecraft_runner::stats::summarize_owned;

/// Collects metric values run by run into scratch files.
pub struct SpillAggregator {
    names: Vec<String>,
    paths: Vec<PathBuf>,
    files: Vec<BufWriter<File>>,
    missing: Vec<u64>,
    present: Vec<u64>,
}

impl SpillAggregator {
    /// An aggregator for `names`, with its scratch files in `dir` (removed by `summaries`,
    /// or with the temporary folder when the command fails).
    pub fn new(dir: &std::path::Path, names: Vec<String>) -> Result<Self> {
        let paths: Vec<PathBuf> = (0..names.len())
            .map(|k| dir.join(format!(".metric-{k}.f64")))
            .collect();
        let files = paths
            .iter()
            .map(|p| {
                File::create(p)
                    .map(|f| BufWriter::with_capacity(1 << 14, f))
                    .with_context(|| format!("cannot create {}", p.display()))
            })
            .collect::<Result<_>>()?;
        let k = names.len();
        Ok(Self {
            names,
            paths,
            files,
            missing: vec![0; k],
            present: vec![0; k],
        })
    }

    /// Continues the scratch files of an interrupted run: `present[k]` values of metric k are
    /// kept (anything after them is cut off), `missing[k]` runs had none.
    pub fn resume(
        dir: &std::path::Path,
        names: Vec<String>,
        present: Vec<u64>,
        missing: Vec<u64>,
    ) -> Result<Self> {
        if present.len() != names.len() || missing.len() != names.len() {
            anyhow::bail!("the checkpoint's metrics do not match the scenario's");
        }
        let paths: Vec<PathBuf> = (0..names.len())
            .map(|k| dir.join(format!(".metric-{k}.f64")))
            .collect();
        let mut files = Vec::with_capacity(names.len());
        for (k, p) in paths.iter().enumerate() {
            let mut f = fs::OpenOptions::new()
                .write(true)
                .open(p)
                .with_context(|| format!("cannot reopen {}", p.display()))?;
            f.set_len(present[k] * 8)
                .with_context(|| format!("cannot truncate {}", p.display()))?;
            use std::io::Seek;
            f.seek(std::io::SeekFrom::End(0))
                .with_context(|| format!("cannot seek {}", p.display()))?;
            files.push(BufWriter::with_capacity(1 << 14, f));
        }
        Ok(Self {
            names,
            paths,
            files,
            missing,
            present,
        })
    }

    /// Writes the buffered values out; returns (values kept, runs without a value) per
    /// metric, what a checkpoint records.
    pub fn flush(&mut self) -> Result<(Vec<u64>, Vec<u64>)> {
        for (k, f) in self.files.iter_mut().enumerate() {
            f.flush()
                .with_context(|| format!("cannot write {}", self.paths[k].display()))?;
        }
        Ok((self.present.clone(), self.missing.clone()))
    }

    /// Adds one run's values, in name order (`None` where undefined).
    pub fn push(&mut self, row: &[Option<f64>]) -> Result<()> {
        for (k, v) in row.iter().enumerate() {
            match v {
                Some(x) => {
                    self.files[k]
                        .write_all(&x.to_le_bytes())
                        .with_context(|| format!("cannot write {}", self.paths[k].display()))?;
                    self.present[k] += 1;
                }
                None => self.missing[k] += 1,
            }
        }
        Ok(())
    }

    /// The summary of every metric, one metric in memory at a time; removes the files.
    pub fn summaries(self) -> Result<Vec<MetricSummary>> {
        let mut out = Vec::with_capacity(self.names.len());
        for (k, mut f) in self.files.into_iter().enumerate() {
            f.flush()
                .with_context(|| format!("cannot write {}", self.paths[k].display()))?;
            drop(f);
            let mut values = Vec::with_capacity(self.present[k] as usize);
            let mut r = File::open(&self.paths[k])
                .with_context(|| format!("cannot read {}", self.paths[k].display()))?;
            let mut buf = vec![0u8; 1 << 16];
            let mut left = self.present[k] as usize;
            while left > 0 {
                let take = left.min(buf.len() / 8);
                r.read_exact(&mut buf[..take * 8])
                    .with_context(|| format!("cannot read {}", self.paths[k].display()))?;
                values.extend(
                    buf[..take * 8]
                        .chunks_exact(8)
                        .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes"))),
                );
                left -= take;
            }
            out.push(summarize_owned(&self.names[k], values, self.missing[k]));
            let _ = fs::remove_file(&self.paths[k]);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use statecraft_runner::Aggregator;

    #[test]
    fn spilled_summaries_equal_the_in_memory_ones_bit_for_bit() {
        let dir = std::env::temp_dir().join(format!("statecraft-spill-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let names = vec!["a".to_string(), "b".to_string()];
        let mut spill = SpillAggregator::new(&dir, names.clone()).unwrap();
        let mut mem = Aggregator::new(names);
        for i in 0..10_000u32 {
            let x = f64::from(i).sin() * 1e3 + 0.1;
            let row = [Some(x), (i % 7 != 0).then_some(x * x)];
            spill.push(&row).unwrap();
            mem.push(&row);
        }
        let (a, b) = (spill.summaries().unwrap(), mem.summaries());
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_eq!(a[1].missing, 1429);
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0, "scratch files left");
        fs::remove_dir_all(&dir).unwrap();
    }
}
