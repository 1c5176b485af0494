//! A metric aggregator whose memory does not grow with the number of runs: each metric's
//! values go, in run order, to a binary scratch file inside the output's temporary folder;
//! the summaries read one metric back at a time, into memory up to a million values and
//! streamed beyond (radix selection of the quantiles: a few MB however many runs), and
//! compute exactly what the in-memory `Aggregator` would, in the same order, so the numbers
//! are bit-identical.

use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use statecraft_runner::MetricSummary;
use statecraft_runner::stats::{summarize_owned, summarize_streamed};

/// Collects metric values run by run into scratch files.
pub struct SpillAggregator {
    names: Vec<String>,
    paths: Vec<PathBuf>,
    files: Vec<BufWriter<File>>,
    missing: Vec<u64>,
    present: Vec<u64>,
    /// Leave the scratch files in place after the summaries (a resumable batch removes them
    /// itself once its summary is written).
    keep: bool,
}

/// The scratch file of metric `k` in `dir`.
pub fn scratch_path(dir: &Path, k: usize) -> PathBuf {
    dir.join(format!(".metric-{k}.f64"))
}

/// Removes the scratch files of `n` metrics from `dir`.
pub fn remove_scratch(dir: &Path, n: usize) {
    for k in 0..n {
        let _ = fs::remove_file(scratch_path(dir, k));
    }
}

impl SpillAggregator {
    /// An aggregator for `names`, with its scratch files in `dir` (removed by `summaries`,
    /// or with the temporary folder when the command fails).
    pub fn new(dir: &std::path::Path, names: Vec<String>) -> Result<Self> {
        let paths: Vec<PathBuf> = (0..names.len()).map(|k| scratch_path(dir, k)).collect();
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
            keep: false,
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
            input_bail!("the checkpoint's metrics do not match the scenario's");
        }
        let paths: Vec<PathBuf> = (0..names.len()).map(|k| scratch_path(dir, k)).collect();
        let mut files = Vec::with_capacity(names.len());
        for (k, p) in paths.iter().enumerate() {
            let mut f = fs::OpenOptions::new()
                .write(true)
                .open(p)
                .with_context(|| format!("cannot reopen {}", p.display()))?;
            let len = f
                .metadata()
                .with_context(|| format!("cannot read {}", p.display()))?
                .len();
            if len < present[k] * 8 {
                // Never padded: the values are gone.
                input_bail!(
                    "{} holds {len} bytes, fewer than the {} its checkpoint vouches for",
                    p.display(),
                    present[k] * 8
                );
            }
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
            keep: false,
        })
    }

    /// Keeps the scratch files after [`Self::summaries`] (see [`remove_scratch`]).
    pub fn keep_files(&mut self) {
        self.keep = true;
    }

    /// Writes the buffered values out and to disk (fsync); returns (values kept, runs without a value) per
    /// metric, what a checkpoint records.
    pub fn flush(&mut self) -> Result<(Vec<u64>, Vec<u64>)> {
        for (k, f) in self.files.iter_mut().enumerate() {
            f.flush()
                .and_then(|()| f.get_ref().sync_data())
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

    /// The summary of every metric; removes the files. A metric of up to a million values is
    /// read into memory and sorted; a larger one is streamed from its file four times
    /// (`summarize_streamed`), so the memory of the summaries does not grow with the runs.
    pub fn summaries(self) -> Result<Vec<MetricSummary>> {
        self.summaries_holding(IN_MEMORY)
    }

    /// [`Self::summaries`], holding at most `limit` values of a metric in memory.
    fn summaries_holding(self, limit: u64) -> Result<Vec<MetricSummary>> {
        let mut out = Vec::with_capacity(self.names.len());
        for (k, mut f) in self.files.into_iter().enumerate() {
            let path = &self.paths[k];
            f.flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
            drop(f);
            let n = self.present[k];
            let summary = if n <= limit {
                let mut values = Vec::with_capacity(n as usize);
                read_values(path, n, &mut |x| values.push(x))?;
                summarize_owned(&self.names[k], values, self.missing[k])
            } else {
                summarize_streamed(&self.names[k], n, self.missing[k], |f| {
                    read_values(path, n, f)
                })?
            };
            out.push(summary);
            if !self.keep {
                let _ = fs::remove_file(path);
            }
        }
        Ok(out)
    }
}

/// Values of a metric above which its summary streams them from the file (8 MB held).
const IN_MEMORY: u64 = 1 << 20;

/// Calls `f` on the first `n` values of a scratch file, in order, 64 KiB at a time.
fn read_values(path: &Path, n: u64, f: &mut dyn FnMut(f64)) -> Result<()> {
    let mut file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut buf = vec![0u8; 1 << 16];
    let mut left = n as usize;
    while left > 0 {
        let take = left.min(buf.len() / 8);
        file.read_exact(&mut buf[..take * 8])
            .with_context(|| format!("cannot read {}", path.display()))?;
        for b in buf[..take * 8].chunks_exact(8) {
            f(f64::from_le_bytes(b.try_into().expect("8 bytes")));
        }
        left -= take;
    }
    Ok(())
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
        // The same values streamed from the files instead of held.
        let mut spill = SpillAggregator::new(&dir, vec!["a".into(), "b".into()]).unwrap();
        for i in 0..10_000u32 {
            let x = f64::from(i).sin() * 1e3 + 0.1;
            spill
                .push(&[Some(x), (i % 7 != 0).then_some(x * x)])
                .unwrap();
        }
        let streamed = spill.summaries_holding(100).unwrap();
        assert_eq!(format!("{streamed:?}"), format!("{b:?}"));
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0, "scratch files left");
        fs::remove_dir_all(&dir).unwrap();
    }
}
