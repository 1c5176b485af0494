//! A program other than the CLI calling statecraft through its library face: it loads the
//! three-actor example, runs a batch, prints a few metric means, writes the results folder
//! `statecraft run` would write, and compares the scenario with a variant in which the hegemon
//! links security to trade less. From the repository root: `cargo run --release -p statecraft-api
//! --example library [SCENARIO]`.
#![allow(clippy::print_stdout)]

use std::path::Path;

use statecraft_api::{
    Error, FolderOptions, Options, compare, from_text, load, read_input, run, run_to_folder,
};

fn main() -> Result<(), Error> {
    let path = std::env::args().nth(1);
    demo(Path::new(
        path.as_deref()
            .unwrap_or("scenarios/examples/three_actors.ron"),
    ))
}

/// Runs a batch of the scenario at `path` and compares it with its variant.
pub fn demo(path: &Path) -> Result<(), Error> {
    let base = load(path)?;
    let opts = Options {
        runs: Some(200),
        threads: Some(2),
        ..Options::default()
    };
    let batch = run(&base, &opts)?;
    println!(
        "{}: {} runs, seed {}",
        batch.scenario,
        batch.runs.len(),
        batch.seed
    );
    for m in ["hegemon_rent", "alliance_cohesion", "share_hedge"] {
        println!("  mean {m}: {:.5}", batch.mean(m).unwrap_or(f64::NAN));
    }
    // runs.csv, actors.csv, summary.json, schema.json, manifest.json: `statecraft run`'s bytes.
    let out = std::env::temp_dir().join(format!("statecraft-library-{}", std::process::id()));
    let force = FolderOptions {
        force: true,
        ..FolderOptions::default()
    };
    let written = run_to_folder(&base, &opts, &out, &force)?;
    let files = std::fs::read_dir(&written.dir).map_or(0, Iterator::count);
    println!(
        "  a results folder of {files} files, {} metrics (removed again)",
        written.summaries.len()
    );
    let _ = std::fs::remove_dir_all(&out);
    let text = read_input(path, "scenario file")?.replace("linkage: 0.5", "linkage: 0.1");
    let variant = from_text(&text.replace("three_actors", "weak_link"), "the variant")?;
    let c = compare(&base, &variant, &opts)?;
    println!("{} vs {} ({} paired runs)", c.scenario, c.reference, c.runs);
    for (reference, r) in c.pairs().filter(|(_, r)| r.diff.is_some()).take(6) {
        let [a, b, d, lo, hi] =
            [reference.mean, r.mean, r.diff, r.diff_lo, r.diff_hi].map(|x| x.unwrap_or(f64::NAN));
        println!(
            "  {}: {a:.5} -> {b:.5}, diff {d:+.5} [{lo:+.5}, {hi:+.5}]",
            r.metric
        );
    }
    Ok(())
}
