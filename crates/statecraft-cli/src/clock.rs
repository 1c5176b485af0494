//! The CLI's only clock: a stopwatch for the timings a command prints and records (wall time,
//! runs per second) and for the intervals of checkpoints and progress lines. Results never
//! depend on it; clippy's ban on `Instant` (clippy.toml) is lifted here alone.

#![allow(clippy::disallowed_types)]

use std::time::Instant;

/// Time since a start.
#[derive(Clone, Copy, Debug)]
pub struct Stopwatch(Instant);

impl Stopwatch {
    /// A stopwatch started now.
    pub fn start() -> Stopwatch {
        Stopwatch(Instant::now())
    }

    /// Seconds since the start.
    pub fn seconds(&self) -> f64 {
        self.0.elapsed().as_secs_f64()
    }

    /// A stopwatch started `seconds` ago (for tests of what is computed from a duration).
    #[cfg(test)]
    pub fn started_ago(seconds: u64) -> Stopwatch {
        let now = Instant::now();
        Stopwatch(
            now.checked_sub(std::time::Duration::from_secs(seconds))
                .unwrap_or(now),
        )
    }
}
