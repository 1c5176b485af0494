//! Records the optional features the binary is built with, for `--version` (the commit it is
//! built from is the library's record, `statecraft_api::GIT_HASH`).
#![allow(clippy::print_stdout)] // cargo reads its directives from standard output

fn main() {
    let features: Vec<&str> = [
        ("parquet", "CARGO_FEATURE_PARQUET"),
        ("ema", "CARGO_FEATURE_EMA"),
    ]
    .into_iter()
    .filter(|(_, var)| std::env::var_os(var).is_some())
    .map(|(name, _)| name)
    .collect();
    let features = if features.is_empty() {
        "none".to_string()
    } else {
        features.join(", ")
    };
    println!("cargo:rustc-env=STATECRAFT_FEATURES={features}");
    println!("cargo:rerun-if-changed=build.rs");
}
