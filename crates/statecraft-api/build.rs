//! Records the git commit the library is built from, for the manifests it writes
//! (`statecraft_api::GIT_HASH`), as the CLI's build script does for the binary.
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
    println!("cargo:rerun-if-changed=../../.git/HEAD");
    println!("cargo:rerun-if-changed=../../.git/refs/heads");
}
