//! End-to-end tests of the `statecraft` binary, in one test binary (linked once, its tests run
//! in parallel): a module per theme, and `common` the helpers they share. Run one theme with a
//! filter, e.g. `cargo test -p statecraft-cli --test e2e resume::`. A new theme is a module
//! here (a file in `tests/e2e/`), not a file in `tests/`, which would be a test binary of its
//! own. Long outputs are compared whole with their pinned copies in `tests/golden/` at the
//! repository root (`common::assert_pinned`, and `golden` for the result files);
//! `STATECRAFT_BLESS=1` re-pins them after a deliberate change.

mod cli;
mod common;
mod explore;
mod golden;
mod library;
mod reliability;
mod report;
mod resume;
mod tables;
