//! Records the git commit the binary is built from, for `manifest.json` and `--version`, and
//! the optional features it is built with, for `--version`.
#![allow(clippy::print_stdout)] // cargo reads its directives from standard output

fn main() {
    let hash = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=STATECRAFT_GIT_HASH={hash}");
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
    println!("cargo:rerun-if-changed=../../.git/HEAD");
    println!("cargo:rerun-if-changed=../../.git/refs/heads");
}
