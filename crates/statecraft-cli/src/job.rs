//! The skeleton every batch command shares: a job starts its worker threads, runs its batch
//! on them with a progress display and a stopwatch, and reports its speed. Commands lower
//! their arguments into a plan first (everything resolved and checked), then run a job;
//! printing goes through [`outln!`](crate::common) and clocks through [`crate::clock`].

use anyhow::Result;

use crate::clock::Stopwatch;
use crate::common::Progress;

/// A running command: its worker threads and whether it prints.
pub struct Job {
    pool: rayon::ThreadPool,
    quiet: bool,
}

/// How long a batch took and how many runs it computed.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// Wall seconds.
    pub seconds: f64,
    /// Runs computed (a resumed batch's after its checkpoint only).
    pub computed: u64,
    /// Worker threads.
    pub threads: usize,
}

impl Timing {
    /// Runs per second.
    pub fn runs_per_second(&self) -> f64 {
        self.computed as f64 / self.seconds.max(1e-9)
    }

    /// `0.42 s (2,400 runs/s on 2 threads)`, as the commands print it.
    pub fn speed(&self) -> String {
        format!(
            "{:.2} s ({:.0} runs/s on {})",
            self.seconds,
            self.runs_per_second(),
            crate::common::threads(self.threads)
        )
    }
}

impl Job {
    /// Starts the worker threads (`None`: one per core); `quiet` silences progress and tables.
    pub fn start(threads: Option<u16>, quiet: bool) -> Result<Job> {
        Ok(Job {
            pool: crate::common::pool(threads)?,
            quiet,
        })
    }

    /// Whether the command prints only errors.
    pub fn quiet(&self) -> bool {
        self.quiet
    }

    /// The worker threads.
    pub fn pool(&self) -> &rayon::ThreadPool {
        &self.pool
    }

    /// Worker threads.
    pub fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// Runs `work` on the worker threads with a progress display over `total` runs, `done`
    /// of them counted as done before (a resumed batch's), and times it. `work` is handed the
    /// function to call with each chunk's number of runs.
    pub fn batch<R: Send>(
        &self,
        total: u64,
        done: u64,
        work: impl FnOnce(&(dyn Fn(u64) + Sync)) -> R + Send,
    ) -> (R, Timing) {
        let bar: Progress = crate::common::progress_bar(total, self.quiet);
        bar.skip(done);
        let clock = Stopwatch::start();
        let result = self.pool.install(|| work(&|k| bar.inc(k)));
        bar.finish_and_clear();
        let timing = Timing {
            seconds: clock.seconds(),
            computed: total - done,
            threads: self.threads(),
        };
        (result, timing)
    }
}
