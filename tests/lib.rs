//! Support for the integration tests in `it/`: loading bundled scenarios from disk (the core
//! does no I/O) and running batches on a chosen number of threads.

use std::path::{Path, PathBuf};

use statecraft_core::scenario::WorldSource;
use statecraft_core::{Scenario, World};
use statecraft_runner::{BatchSpec, RunRecord, run_batch};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Reads a scenario file (relative to the repository root) with its world file resolved.
pub fn scenario(rel: &str) -> Scenario {
    let path = root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let sc = statecraft_core::parse(&text, rel).unwrap_or_else(|e| panic!("{e}"));
    match &sc.world {
        WorldSource::File(f) => {
            let wpath = path.parent().expect("scenario folder").join(f);
            let wtext = std::fs::read_to_string(&wpath).unwrap_or_else(|e| panic!("{f}: {e}"));
            let w = statecraft_core::parse_world(&wtext, f).unwrap_or_else(|e| panic!("{e}"));
            sc.with_world(w)
        }
        WorldSource::Inline(_) => sc,
    }
}

/// Validates a scenario into a world, panicking with the error.
pub fn world(sc: &Scenario) -> World {
    World::from_scenario(sc, &sc.name).unwrap_or_else(|e| panic!("{e}"))
}

/// Every scenario file under `scenarios/` (the bundled ones and the examples).
pub fn bundled() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["scenarios", "scenarios/examples"] {
        let mut names: Vec<String> = std::fs::read_dir(root().join(dir))
            .expect("scenario folder")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".ron"))
            .map(|n| format!("{dir}/{n}"))
            .collect();
        names.sort();
        out.extend(names);
    }
    out
}

/// Runs `runs` runs of a world on `threads` threads and returns the records in order.
pub fn batch(
    world: &World,
    seed: u64,
    runs: u64,
    rounds: u32,
    trajectories: u64,
    threads: usize,
) -> Vec<RunRecord> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let spec = BatchSpec {
        seed,
        first: 0,
        end: runs,
        rounds,
        trajectories,
    };
    let mut out = Vec::new();
    pool.install(|| {
        run_batch::<()>(
            world,
            &spec,
            |recs| {
                out.extend_from_slice(recs);
                Ok(())
            },
            &|_| {},
        )
    })
    .expect("batch");
    out
}
