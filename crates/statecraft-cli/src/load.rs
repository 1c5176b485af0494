//! Reading a scenario from disk: the library face's loader (`statecraft_api`), its errors
//! turned into the CLI's `anyhow` errors (the same messages), marked as input errors (exit
//! status 2).

use std::path::{Path, PathBuf};

use anyhow::Result;
use statecraft_core::Scenario;

use crate::error::OrInput;

pub use statecraft_api::Loaded;

/// Reads a scenario, world or similar input file (see [`statecraft_api::read_input`]).
pub fn read_input(path: &Path, what: &str) -> Result<String> {
    statecraft_api::read_input(path, what).input()
}

/// Reads, parses and validates a scenario file and the world file it includes.
pub fn load(path: &Path) -> Result<Loaded> {
    statecraft_api::load(path).input()
}

/// Validates a scenario given as RON text with its world inline (from a manifest).
pub fn from_text(text: &str, origin: &str) -> Result<Loaded> {
    statecraft_api::from_text(text, origin).input()
}

/// The patterns file a scenario at `path` names, if it names one.
pub fn patterns_file(path: &Path, scenario: &Scenario) -> Option<PathBuf> {
    statecraft_api::patterns_file(path, scenario)
}

/// `target` written relative to the folder `base` (both absolute): up from `base` to their
/// common ancestor, then down to `target`.
pub fn relative_to(target: &Path, base: &Path) -> PathBuf {
    let (t, b): (Vec<_>, Vec<_>) = (target.components().collect(), base.components().collect());
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    out
}
