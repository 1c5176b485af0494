//! Which tables `statecraft run` writes: `--summary-only` (the summary of the full batch, no
//! per-run table), `--no-draws` and `--draws table` (the parameter draws left out of runs.csv,
//! or in their own draws.csv); each recorded in the manifest (only when used), described
//! exactly by schema.json, reproduced by `--from-manifest`, continued by `--resume`, and
//! refused clearly by the commands that need the missing table.

use std::path::Path;

use crate::common::*;

const PAID: &str = "scenarios/paid_access_2025.ron";

/// `statecraft run` of the paid-access scenario, 300 runs, seed 3, into `out`, with `extra`.
fn batch(out: &Path, extra: &[&str]) {
    let base = ["run", PAID, "--runs", "300", "--seed", "3", "--quiet"];
    let out = ["--out", out.to_str().unwrap()];
    ok(&[&base[..], extra, &out[..]].concat());
}

/// The folder's file names, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The folder's manifest as JSON.
fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&text(&dir.join("manifest.json"))).unwrap()
}

/// The names of the tables schema.json describes.
fn schema_tables(dir: &Path) -> Vec<String> {
    let s: serde_json::Value = serde_json::from_str(&text(&dir.join("schema.json"))).unwrap();
    s["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

/// A CSV file's columns `cols` (by name), row by row.
fn columns(path: &Path, cols: &[String]) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let at: Vec<usize> = cols
        .iter()
        .map(|c| header.iter().position(|h| h == c).unwrap())
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            at.iter().map(|&k| rec[k].to_string()).collect()
        })
        .collect()
}

/// The header of a CSV file.
fn header(path: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.headers().unwrap().iter().map(str::to_string).collect()
}

#[test]
fn summary_only_writes_the_full_batch_s_summary_and_nothing_per_run() {
    let d = scratch("summary_only");
    let (full, only) = (d.join("full"), d.join("only"));
    batch(&full, &[]);
    batch(&only, &["--summary-only"]);
    assert!(bytes(&full.join("summary.json")) == bytes(&only.join("summary.json")));
    assert_eq!(
        files(&only),
        ["manifest.json", "schema.json", "summary.json"]
    );
    assert!(schema_tables(&only).is_empty());
    assert_eq!(manifest(&only)["summary_only"], true);
    // Not recorded when unused: the default manifest is the one before the options.
    let m = manifest(&full);
    assert!(
        m.get("summary_only").is_none() && m.get("draws").is_none(),
        "{m}"
    );
    // The printed table is the same.
    let base = ["run", PAID, "--runs", "300", "--seed", "3", "--force"];
    let table = |dir: &Path, extra: &[&str]| {
        let out = ok(&[&base[..], extra, &["--out", dir.to_str().unwrap()]].concat());
        out.lines()
            .take_while(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(table(&full, &[]), table(&only, &["--summary-only"]));
    // The library writes the same folder.
    let loaded = statecraft_api::load(&root().join(PAID)).unwrap();
    let opts = statecraft_api::Options {
        runs: Some(300),
        seed: Some(3),
        ..Default::default()
    };
    let lib = d.join("lib");
    let folder = statecraft_api::FolderOptions {
        summary_only: true,
        ..Default::default()
    };
    statecraft_api::run_to_folder(&loaded, &opts, &lib, &folder).unwrap();
    assert_eq!(files(&lib), files(&only));
    for f in ["summary.json", "schema.json"] {
        assert!(bytes(&lib.join(f)) == bytes(&only.join(f)), "{f}");
    }
    // --from-manifest reproduces it.
    let again = d.join("again");
    let mpath = only.join("manifest.json");
    let from = ["run", "--from-manifest", mpath.to_str().unwrap(), "--quiet"];
    ok(&[&from[..], &["--out", again.to_str().unwrap()]].concat());
    assert_eq!(files(&again), files(&only));
    assert!(bytes(&again.join("summary.json")) == bytes(&only.join("summary.json")));
    // What needs runs.csv says why it is missing.
    let e = failure(&["compare", full.to_str().unwrap(), only.to_str().unwrap()]);
    assert!(
        e.contains("--summary-only") && e.contains("runs.csv"),
        "{e}"
    );
    let prim = d.join("prim");
    let prim = prim.to_str().unwrap();
    let discover = ["--metric", "ruptures", "--above", "0", "--out", prim];
    let e = failure(&[&["discover", only.to_str().unwrap()][..], &discover[..]].concat());
    assert!(e.contains("--summary-only"), "{e}");
    // The EMA export (a feature of the build) says which table is missing.
    if cfg!(feature = "ema") {
        let tar = d.join("ema.tar.gz");
        let e = failure(&[
            "export",
            only.to_str().unwrap(),
            "--to",
            "ema",
            tar.to_str().unwrap(),
        ]);
        assert!(e.contains("--summary-only"), "{e}");
    }
    // Options that write per-run tables conflict with it.
    let e = failure(&["run", PAID, "--summary-only", "--trajectories", "3"]);
    assert!(e.contains("--trajectories"), "{e}");
    let e = failure(&["run", PAID, "--summary-only", "--shard", "0/2"]);
    assert!(e.contains("--shard"), "{e}");
    // The report draws what the summary holds (the distributions through its quantiles), and
    // says so.
    let plots = d.join("report");
    let o = run(&[
        "report",
        only.to_str().unwrap(),
        "--out",
        plots.to_str().unwrap(),
    ]);
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(o.status.success(), "{err}");
    assert!(out.starts_with("1 chart;"), "{out}");
    assert!(
        err.contains("holds only the summary") && err.contains("quantiles"),
        "{err}"
    );
    let page = text(&plots.join("report.html"));
    assert!(
        page.contains("seven quantiles"),
        "the caption says how it is drawn"
    );
    assert!(plots.join("plots/distributions.svg").is_file());
}

#[test]
fn the_draws_go_to_runs_csv_to_draws_csv_or_nowhere() {
    let d = scratch("draws");
    let (full, none, table) = (d.join("full"), d.join("none"), d.join("table"));
    batch(&full, &["--trajectories", "2"]);
    batch(&none, &["--trajectories", "2", "--no-draws"]);
    batch(&table, &["--trajectories", "2", "--draws", "table"]);
    let all = header(&full.join("runs.csv"));
    let schema: serde_json::Value = serde_json::from_str(&text(&full.join("schema.json"))).unwrap();
    let params: Vec<String> = schema["tables"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "parameter")
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert!(!params.is_empty());
    let rest: Vec<String> = all
        .iter()
        .filter(|c| !params.contains(c))
        .cloned()
        .collect();
    // runs.csv without the draws: the other columns, cell for cell.
    for dir in [&none, &table] {
        assert_eq!(header(&dir.join("runs.csv")), rest);
        assert_eq!(
            columns(&dir.join("runs.csv"), &rest),
            columns(&full.join("runs.csv"), &rest)
        );
        for f in ["actors.csv", "trajectories.csv", "summary.json"] {
            assert!(bytes(&dir.join(f)) == bytes(&full.join(f)), "{f}");
        }
    }
    assert!(bytes(&none.join("runs.csv")) == bytes(&table.join("runs.csv")));
    assert!(!none.join("draws.csv").exists());
    // draws.csv: run, then the draws, as runs.csv had them.
    let keyed: Vec<String> = ["run".to_string()].into_iter().chain(params).collect();
    assert_eq!(header(&table.join("draws.csv")), keyed);
    assert_eq!(
        columns(&table.join("draws.csv"), &keyed),
        columns(&full.join("runs.csv"), &keyed)
    );
    assert_eq!(
        schema_tables(&table),
        ["runs", "actors", "draws", "trajectories"]
    );
    assert_eq!(schema_tables(&none), ["runs", "actors", "trajectories"]);
    assert_eq!(manifest(&table)["draws"], "table");
    assert_eq!(manifest(&none)["draws"], "none");
    // The library writes the same folder.
    let loaded = statecraft_api::load(&root().join(PAID)).unwrap();
    let opts = statecraft_api::Options {
        runs: Some(300),
        seed: Some(3),
        trajectories: 2,
        ..Default::default()
    };
    let lib = d.join("lib");
    let folder = statecraft_api::FolderOptions {
        draws: statecraft_api::Draws::Table,
        ..Default::default()
    };
    statecraft_api::run_to_folder(&loaded, &opts, &lib, &folder).unwrap();
    assert_eq!(files(&lib), files(&table));
    for f in [
        "runs.csv",
        "draws.csv",
        "actors.csv",
        "trajectories.csv",
        "schema.json",
    ] {
        assert!(bytes(&lib.join(f)) == bytes(&table.join(f)), "{f}");
    }
    // --from-manifest reproduces them.
    let again = d.join("again");
    let mpath = table.join("manifest.json");
    let from = ["run", "--from-manifest", mpath.to_str().unwrap(), "--quiet"];
    ok(&[&from[..], &["--out", again.to_str().unwrap()]].concat());
    for f in [
        "runs.csv",
        "draws.csv",
        "actors.csv",
        "schema.json",
        "summary.json",
    ] {
        assert!(bytes(&again.join(f)) == bytes(&table.join(f)), "{f}");
    }
    // Discovery and the EMA export read the draws from draws.csv as from runs.csv; without
    // any draws they say so; compare needs only the metrics.
    let path = |p: &Path| p.to_str().unwrap().to_string();
    let discover = |dir: &Path, out: &Path| {
        vec![
            "discover".to_string(),
            path(dir),
            "--metric".into(),
            "ruptures".into(),
            "--above".into(),
            "0".into(),
            "--out".into(),
            path(out),
            "-q".into(),
        ]
    };
    let (pf, pt) = (d.join("prim_full"), d.join("prim_table"));
    ok(&as_strs(&discover(&full, &pf)));
    ok(&as_strs(&discover(&table, &pt)));
    for f in ["prim_box.csv", "prim_trajectory.csv"] {
        assert!(bytes(&pf.join(f)) == bytes(&pt.join(f)), "{f}");
    }
    let e = failure(&as_strs(&discover(&none, &d.join("prim_none"))));
    assert!(
        e.contains("--no-draws") && e.contains("--draws runs"),
        "{e}"
    );
    ok(&[
        "compare",
        &path(&full),
        &path(&table),
        "--out",
        &path(&d.join("cmp")),
    ]);
    // The EMA export (a feature of the build): the same experiments from either layout, alone
    // or together; none from a folder without draws.
    #[cfg(feature = "ema")]
    {
        let export = |dirs: &[&Path], tar: &Path| {
            let mut args: Vec<String> = vec!["export".into()];
            args.extend(dirs.iter().map(|p| path(p)));
            args.extend(["--to".into(), "ema".into(), path(tar), "-q".into()]);
            args
        };
        let member = |tar: &Path, name: &str| {
            crate::cli::untar(tar)
                .into_iter()
                .find(|(n, _)| n.ends_with(name))
                .map(|(_, text)| text)
                .unwrap_or_else(|| panic!("{name} in {}", tar.display()))
        };
        let (ta, tb) = (d.join("full.tar.gz"), d.join("table.tar.gz"));
        ok(&as_strs(&export(&[&full], &ta)));
        ok(&as_strs(&export(&[&table], &tb)));
        ok(&as_strs(&export(&[&full, &table], &d.join("both.tar.gz"))));
        assert_eq!(
            member(&ta, "experiments.csv"),
            member(&tb, "experiments.csv")
        );
        let e = failure(&as_strs(&export(&[&none], &d.join("none.tar.gz"))));
        assert!(
            e.contains("--no-draws") && e.contains("no parameter draws"),
            "{e}"
        );
    }
    let e = failure(&["run", PAID, "--no-draws", "--shard", "0/2"]);
    assert!(e.contains("--shard"), "{e}");
}

#[test]
fn a_batch_with_its_draws_apart_resumes_to_the_same_files() {
    let d = scratch("draws_resume");
    let (full, stopped) = (d.join("full"), d.join("stopped"));
    assert!(
        long_batch(&full, &["--draws", "table"])
            .status()
            .unwrap()
            .success()
    );
    let o = long_batch(&stopped, &["--draws", "table"])
        .env("STATECRAFT_INTERRUPT_AT", "checkpoint:2")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(130));
    // Other options than the interrupted batch's are refused.
    let o = long_batch(&stopped, &["--resume"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("draws table"), "{e}");
    let resumed = long_batch(&stopped, &["--draws", "table", "--resume"]);
    assert!({ resumed }.status().unwrap().success());
    for f in [
        "runs.csv",
        "draws.csv",
        "actors.csv",
        "trajectories.csv",
        "summary.json",
        "schema.json",
    ] {
        assert!(bytes(&full.join(f)) == bytes(&stopped.join(f)), "{f}");
    }
    // The summary only, interrupted and resumed: the same summary.
    let (sfull, sstopped) = (d.join("sfull"), d.join("sstopped"));
    let only = |out: &Path| long_run(out, &["--summary-only"]);
    assert!(only(&sfull).status().unwrap().success());
    let o = only(&sstopped)
        .env("STATECRAFT_INTERRUPT_AT", "checkpoint:2")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(130));
    assert!(only(&sstopped).arg("--resume").status().unwrap().success());
    assert!(bytes(&sfull.join("summary.json")) == bytes(&sstopped.join("summary.json")));
    assert_eq!(files(&sstopped), files(&sfull));
}
