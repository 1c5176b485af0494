//! The example program of the library face (`examples/library.rs`) runs, and the library's
//! batches do not depend on the number of threads.

#[allow(dead_code)]
#[path = "../../../examples/library.rs"]
mod library;

use std::path::{Path, PathBuf};

fn three_actors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/examples/three_actors.ron")
}

#[test]
fn the_example_program_runs_a_batch_and_a_comparison() {
    library::demo(&three_actors()).expect("the example runs");
}

#[test]
fn a_batch_is_the_same_on_one_and_three_threads() {
    let loaded = statecraft_api::load(&three_actors()).unwrap();
    let opts = |threads| statecraft_api::Options {
        runs: Some(300),
        threads: Some(threads),
        trajectories: 2,
        ..Default::default()
    };
    let (a, b) = (
        statecraft_api::run(&loaded, &opts(1)).unwrap(),
        statecraft_api::run(&loaded, &opts(3)).unwrap(),
    );
    assert_eq!(a.runs, b.runs);
    assert_eq!(a.actors, b.actors);
    assert_eq!(a.runs.len(), 300);
    assert_eq!(a.actors.len(), 300 * loaded.world.n());
    assert_eq!(a.seed, loaded.scenario.seed);
    assert_eq!(a.trajectories.len(), 2);
    assert!(a.mean("hegemon_rent").is_some());
    assert!(a.metric("no_such_metric").is_none());
}

#[test]
fn impossible_options_are_refused() {
    let loaded = statecraft_api::load(&three_actors()).unwrap();
    let bad = statecraft_api::Options {
        rounds: Some(0),
        ..Default::default()
    };
    let e = statecraft_api::run(&loaded, &bad).unwrap_err();
    assert_eq!(e.to_string(), "rounds 0 is outside 1..=100000");
}

#[test]
fn a_streamed_batch_holds_the_runs_in_order_and_stops_at_an_error() {
    let loaded = statecraft_api::load(&three_actors()).unwrap();
    let opts = statecraft_api::Options {
        runs: Some(200),
        threads: Some(2),
        ..Default::default()
    };
    let kept = statecraft_api::run(&loaded, &opts).unwrap();
    let mut seen = Vec::new();
    let done = std::sync::atomic::AtomicU64::new(0);
    let progress = |k: u64| {
        done.fetch_add(k, std::sync::atomic::Ordering::Relaxed);
    };
    statecraft_api::run_with(&loaded, &opts, &progress, |recs| {
        seen.extend(recs.iter().map(|r| (r.run, r.outcome.metrics.clone())));
        Ok::<(), String>(())
    })
    .unwrap()
    .unwrap();
    assert_eq!(done.into_inner(), 200);
    let want: Vec<_> = kept
        .runs
        .iter()
        .map(|r| (r.run, r.metrics.clone()))
        .collect();
    assert_eq!(seen, want);
    // The caller's error stops the batch and comes back as it was.
    let r = statecraft_api::run_with(&loaded, &opts, &|_| {}, |_| Err("full disk".to_string()));
    assert_eq!(r.unwrap(), Err("full disk".to_string()));
}

#[test]
fn options_the_program_checks_are_checked_by_the_library_too() {
    let loaded = statecraft_api::load(&three_actors()).unwrap();
    let sweep = statecraft_api::SweepOptions {
        params: vec![("model.hedge_cost".into(), Some((0.0, 1.0)))],
        shard: Some((0, 0)),
        ..Default::default()
    };
    let e = statecraft_api::Sweep::new(&loaded, &sweep).unwrap_err();
    assert!(e.to_string().contains("K must be in 0..N-1"), "{e}");
    let t = statecraft_api::TournamentOptions {
        hegemon: vec!["scenario".into()],
        allies: vec!["AlwaysConcede".into()],
        evolve: Some((10, 5)),
        shard: Some((0, 2)),
        ..Default::default()
    };
    let e = statecraft_api::Tournament::new(&loaded, &t).unwrap_err();
    assert!(
        e.to_string().contains("no shard with evolve or moran"),
        "{e}"
    );
    let opts = statecraft_api::Options {
        runs: Some(statecraft_api::MAX_RUNS + 1),
        ..Default::default()
    };
    assert!(statecraft_api::run(&loaded, &opts).is_err());
}
