//! End-to-end tests of the `statecraft` binary, in one test binary (linked once, its tests run
//! in parallel): a module per theme, and `common` the helpers they share. Run one theme with a
//! filter, e.g. `cargo test -p statecraft-cli --test e2e resume::`. A new theme is a module
//! here, not a file beside `e2e/` (each file there would be a test binary of its own).

mod cli;
mod common;
mod explore;
mod golden;
mod library;
mod reliability;
mod report;
mod resume;
