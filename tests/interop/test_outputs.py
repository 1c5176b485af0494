"""Interop checks of statecraft's outputs, as analysts load them (run by .ci/interop.sh).

    python tests/interop/test_outputs.py --folder out/a --folder out/b --ema out/a.tar.gz

For every results folder: pandas and polars read each CSV and Parquet table with no options,
get the expected row counts and dtypes, and the Parquet tables hold exactly the CSV's values
(nulls where the CSV is empty) and the manifest in their metadata. For every EMA archive:
ema_workbench.load_results() loads it, experiments and outcomes hold the folder's values, and
PRIM finds a box. Prints `interop-python: N passed, M failed`; exits 1 on any failure.
"""
import argparse
import json
import pathlib
import sys
import traceback

import numpy as np
import pandas as pd
import polars as pl
import pyarrow.parquet as pq

TIMINGS = ("threads", "wall_seconds", "runs_per_second", "command")
# actors.csv's counts (ActorColumn::is_count) are whole numbers, written as such.
COUNT_COLUMNS = {
    "treaty", "n_concede", "n_retaliate", "n_hedge", "n_concede_hedge", "n_bandwagon",
    "n_breach", "n_snapback", "n_lapse", "n_renewal", "blocs_applied", "blocs_acceded",
    "n_sanctioned", "n_controls", "n_safeguard", "n_deals", "n_renege", "deal_rounds",
}
INT_COLUMNS = {"run", "round"} | COUNT_COLUMNS
TEXT_COLUMNS = {"actor", "role", "action"}

passed = 0
failed = 0


def check(name, fn, *args):
    """Runs one check; counts it."""
    global passed, failed
    try:
        fn(*args)
    except Exception:  # noqa: BLE001 - every failure is reported, then counted
        failed += 1
        print(f"FAIL {name}")
        traceback.print_exc()
    else:
        passed += 1
        print(f"ok   {name}")


def actor_count(folder: pathlib.Path) -> int:
    """The number of actors (distinct names in the actors table)."""
    if (folder / "actors.csv").exists():
        names = pd.read_csv(folder / "actors.csv", usecols=["actor"])["actor"]
    else:
        names = pd.read_parquet(folder / "actors.parquet", columns=["actor"])["actor"]
    return names.nunique()


def expected_rows(folder: pathlib.Path, stem: str) -> int:
    m = json.loads((folder / "manifest.json").read_text())
    runs = m["end"] - m["first"]
    actors = actor_count(folder)
    if stem == "runs":
        return runs
    if stem == "actors":
        return runs * actors
    kept = max(0, min(m["trajectories"], m["end"]) - m["first"])
    return kept * m["rounds"] * actors


def pandas_kind(name, dtype):
    if name in INT_COLUMNS:
        return dtype == np.int64
    if name in TEXT_COLUMNS:
        return pd.api.types.is_string_dtype(dtype) or dtype == object
    return dtype == np.float64


def check_pandas(path: pathlib.Path, rows: int):
    df = pd.read_csv(path) if path.suffix == ".csv" else pd.read_parquet(path)
    assert len(df) == rows, f"{path}: {len(df)} rows, expected {rows}"
    bad = {c: str(t) for c, t in df.dtypes.items() if not pandas_kind(c, t)}
    assert not bad, f"{path}: unexpected pandas dtypes {bad}"


def check_polars(path: pathlib.Path, rows: int):
    df = pl.read_csv(path) if path.suffix == ".csv" else pl.read_parquet(path)
    assert df.height == rows, f"{path}: {df.height} rows, expected {rows}"
    bad = {}
    for c, t in df.schema.items():
        want = pl.Int64 if c in INT_COLUMNS else pl.String if c in TEXT_COLUMNS else pl.Float64
        if t == want:
            continue
        # polars infers a type from the values: a CSV column with no value at all (a metric
        # undefined in every run) reads as String, all null. Parquet carries its Float64.
        if path.suffix == ".csv" and t == pl.String and df[c].null_count() == df.height:
            continue
        bad[c] = str(t)
    assert not bad, f"{path}: unexpected polars dtypes {bad}"


def check_same_values(folder: pathlib.Path, stem: str):
    a = pd.read_csv(folder / f"{stem}.csv")
    b = pd.read_parquet(folder / f"{stem}.parquet")
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    pa = pl.read_csv(folder / f"{stem}.csv")
    pb = pl.read_parquet(folder / f"{stem}.parquet")
    if "action" in pa.columns:
        # The CSV writes an absent action as NA (R and pandas read it as missing); polars
        # reads it as the text "NA" unless told (null_values="NA"); Parquet stores a null.
        pa = pa.with_columns(
            pl.when(pl.col("action") == "NA").then(None).otherwise(pl.col("action")).alias("action")
        )
    pa = pa.with_columns([pl.col(c).cast(t) for c, t in pb.schema.items() if pa.schema[c] != t])
    assert pa.equals(pb), f"{stem}: polars frames from CSV and Parquet differ"


def check_parquet_manifest(folder: pathlib.Path, stem: str):
    meta = pq.read_metadata(folder / f"{stem}.parquet").metadata
    stored = json.loads(meta[b"statecraft.manifest"])
    full = json.loads((folder / "manifest.json").read_text())
    for k in TIMINGS:
        full.pop(k, None)
    assert stored == full, f"{stem}.parquet: manifest differs from manifest.json"


def require(value, message):
    assert value, message


def check_folder(folder: pathlib.Path):
    for stem in ("runs", "actors", "trajectories"):
        paths = [folder / f"{stem}.{ext}" for ext in ("csv", "parquet")]
        present = [p for p in paths if p.exists()]
        if stem != "trajectories":
            check(f"{folder}: {stem} written", require, present, f"no {stem} table in {folder}")
        if not present:
            continue
        rows = expected_rows(folder, stem)
        for p in present:
            check(f"{p}: pandas rows and dtypes", check_pandas, p, rows)
            check(f"{p}: polars rows and dtypes", check_polars, p, rows)
        if len(present) == 2:
            check(f"{folder}/{stem}: Parquet holds the CSV's values", check_same_values,
                  folder, stem)
        if paths[1].exists():
            check(f"{paths[1]}: manifest in the metadata", check_parquet_manifest, folder, stem)


def check_ema(archive: pathlib.Path, folder: pathlib.Path):
    from ema_workbench import load_results
    from ema_workbench.analysis import prim

    loaded = []
    check(f"{archive}: load_results", lambda: loaded.append(load_results(str(archive))))
    if not loaded:
        return
    experiments, outcomes = loaded[0]
    m = json.loads((folder / "manifest.json").read_text())
    summary = json.loads((folder / "summary.json").read_text())
    runs = pd.read_csv(folder / "runs.csv")
    actors = pd.read_csv(folder / "actors.csv")
    n = m["end"] - m["first"]
    metrics = [s["name"] for s in summary["metrics"]]
    params = [c for c in runs.columns if c != "run" and c not in metrics]

    def experiments_match():
        assert len(experiments) == n, f"{len(experiments)} experiments, expected {n}"
        assert list(experiments.columns) == params + ["scenario", "policy", "model"]
        for p in params:
            assert experiments[p].dtype == np.float64, f"{p}: {experiments[p].dtype}"
            np.testing.assert_array_equal(experiments[p].to_numpy(), runs[p].to_numpy())
        assert experiments["scenario"].dtype == np.int64
        np.testing.assert_array_equal(experiments["scenario"].to_numpy(), runs["run"].to_numpy())
        for c in ("policy", "model"):
            assert isinstance(experiments[c].dtype, pd.CategoricalDtype), experiments[c].dtype

    def scalars_match():
        for name in metrics:
            v = outcomes[name]
            assert v.shape == (n,), f"{name}: shape {v.shape}"
            np.testing.assert_array_equal(v, runs[name].to_numpy(dtype=float), err_msg=name)
        wide = actors.drop(columns=["role"], errors="ignore").pivot(index="run", columns="actor")
        for col, actor in wide.columns:
            name = f"actors.{actor}.{col}"
            np.testing.assert_array_equal(outcomes[name], wide[(col, actor)].to_numpy(),
                                          err_msg=name)

    def series_match():
        traj_path = folder / "trajectories.csv"
        has_all = traj_path.exists() and m["trajectories"] >= m["end"]
        series = [k for k in outcomes if k.startswith("trajectories.")]
        if not has_all:
            assert not series and "TIME" not in outcomes, "time series without every run"
            return
        traj = pd.read_csv(traj_path)
        names = traj["actor"].unique()
        cols = [c for c in traj.columns if c not in ("run", "round", "actor", "action")]
        assert len(series) == len(names) * len(cols), f"{len(series)} series"
        assert outcomes["TIME"].shape == (n, m["rounds"])
        assert (outcomes["TIME"][0] == np.arange(m["rounds"])).all()
        for actor in names:
            sub = traj[traj["actor"] == actor]
            for c in cols:
                want = sub.pivot(index="run", columns="round", values=c).to_numpy()
                got = outcomes[f"trajectories.{actor}.{c}"]
                assert got.shape == (n, m["rounds"]), got.shape
                np.testing.assert_array_equal(got, want, err_msg=f"{actor}.{c}")

    def prim_finds_a_box():
        # Cases of interest: the quarter of runs with the largest welfare loss of the allies.
        loss = outcomes["ally_welfare_loss"]
        y = loss > np.quantile(loss, 0.75)
        assert 0 < y.sum() < len(y), "ally_welfare_loss does not vary"
        alg = prim.Prim(experiments, y, threshold=0.5)
        box = alg.find_box()
        stats = box.peeling_trajectory
        assert len(stats) > 1, "PRIM did not peel"
        best = stats["density"].max()
        assert best > y.mean(), f"PRIM box density {best} not above the base rate {y.mean()}"
        print(f"     PRIM: base rate {y.mean():.3f}, best density {best:.3f}, "
              f"{len(stats)} boxes on the peeling trajectory")

    check(f"{archive}: experiments", experiments_match)
    check(f"{archive}: scalar outcomes", scalars_match)
    check(f"{archive}: time series", series_match)
    check(f"{archive}: PRIM finds a box", prim_finds_a_box)


def check_ema_sweep(archive: pathlib.Path, folder: pathlib.Path):
    """A sweep's export (`sweep --per-run`): an experiment per run of every point, its
    parameters the columns schema.json calls parameters, a scalar outcome per metric."""
    from ema_workbench import load_results

    loaded = []
    check(f"{archive}: load_results", lambda: loaded.append(load_results(str(archive))))
    if not loaded:
        return
    experiments, outcomes = loaded[0]
    schema = json.loads((folder / "schema.json").read_text())
    table = next(t for t in schema["tables"] if t["name"] == "runs")
    params = [c["name"] for c in table["columns"] if c["kind"] == "parameter"]
    metrics = [c["name"] for c in table["columns"] if c["kind"] == "metric"]
    runs = pd.read_csv(folder / "runs.csv")

    def experiments_match():
        assert len(experiments) == len(runs), f"{len(experiments)} experiments"
        assert list(experiments.columns) == params + ["scenario", "policy", "model"]
        for p in params:
            np.testing.assert_array_equal(experiments[p].to_numpy(), runs[p].to_numpy())

    def scalars_match():
        for name in metrics:
            np.testing.assert_array_equal(outcomes[name], runs[name].to_numpy(dtype=float),
                                          err_msg=name)

    check(f"{archive}: sweep experiments", experiments_match)
    check(f"{archive}: sweep scalar outcomes", scalars_match)


def check_ema_several(archive: pathlib.Path, folders: list[pathlib.Path]):
    """Several folders in one archive: an experiment per run of each in order, EMA's `policy`
    the scenario, the outcomes those of each runs.csv (NaN for a metric a folder lacks)."""
    from ema_workbench import load_results

    loaded = []
    check(f"{archive}: load_results", lambda: loaded.append(load_results(str(archive))))
    if not loaded:
        return
    experiments, outcomes = loaded[0]
    tables = [pd.read_csv(f / "runs.csv") for f in folders]

    def runs_in_order():
        assert len(experiments) == sum(len(t) for t in tables)
        at = 0
        for f, t in zip(folders, tables):
            name = json.loads((f / "manifest.json").read_text())["scenario_name"]
            part = experiments.iloc[at : at + len(t)]
            assert set(part["policy"].astype(str)) <= {name, *(f"{name}#{k}" for k in range(2, 9))}
            np.testing.assert_array_equal(part["scenario"].astype(int).to_numpy(), t["run"].to_numpy())
            for p in t.columns[1:]:
                if p in experiments.columns and p not in outcomes:
                    np.testing.assert_array_equal(part[p].to_numpy(dtype=float), t[p].to_numpy(dtype=float), err_msg=p)
            for m in outcomes:
                got = outcomes[m][at : at + len(t)]
                want = t[m].to_numpy(dtype=float) if m in t.columns else np.full(len(t), np.nan)
                np.testing.assert_array_equal(got, want, err_msg=m)
            at += len(t)

    check(f"{archive}: several folders' runs in order", runs_in_order)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ema-sweep", nargs=2, metavar=("ARCHIVE", "FOLDER"), action="append",
                    default=[], help="an exported sweep archive and the sweep folder")
    ap.add_argument("--folder", type=pathlib.Path, action="append", default=[])
    ap.add_argument("--ema-several", nargs="+", metavar="PATH", action="append", default=[],
                    help="an archive of several folders, then the folders in order")
    ap.add_argument("--ema", nargs=2, metavar=("ARCHIVE", "FOLDER"), action="append",
                    default=[], help="an exported archive and the folder it came from")
    args = ap.parse_args()
    for f in args.folder:
        check_folder(f)
    for archive, folder in args.ema:
        check_ema(pathlib.Path(archive), pathlib.Path(folder))
    for archive, folder in args.ema_sweep:
        check_ema_sweep(pathlib.Path(archive), pathlib.Path(folder))
    for archive, *folders in args.ema_several:
        check_ema_several(pathlib.Path(archive), [pathlib.Path(f) for f in folders])
    print(f"interop-python: {passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
