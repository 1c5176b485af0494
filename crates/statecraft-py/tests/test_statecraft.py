"""The Python package against the `statecraft` binary: the same seed gives the same numbers,
cell by cell; errors are StatecraftError with the library's messages; the lock is released
while a batch runs. Run by .ci/python.sh; the binary is $STATECRAFT_BIN (default
target/debug/statecraft)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import threading
import time

import numpy as np
import pandas as pd
import polars as pl
import pytest

import statecraft

ROOT = pathlib.Path(__file__).resolve().parents[3]
THREE = ROOT / "scenarios" / "examples" / "three_actors.ron"
PAID = ROOT / "scenarios" / "paid_access_2025.ron"
OPEN = ROOT / "scenarios" / "open_order.ron"
BAD = ROOT / "tests" / "bad_inputs"


@pytest.fixture(scope="session")
def cli() -> pathlib.Path:
    binary = pathlib.Path(os.environ.get("STATECRAFT_BIN", ROOT / "target" / "debug" / "statecraft"))
    assert binary.is_file(), f"{binary}: build the CLI first (cargo build -p statecraft-cli)"
    return binary


def cli_run(cli: pathlib.Path, out: pathlib.Path, *args: object) -> None:
    subprocess.run([cli, *map(str, args), "--quiet", "--out", out], check=True)


def read_csv(path: pathlib.Path) -> pd.DataFrame:
    # pandas 3 parses floats exactly (the CLI writes the shortest text with the same bits);
    # empty cells (an undefined metric) and NA (an action not taken) are missing.
    return pd.read_csv(path, keep_default_na=False, na_values=["", "NA"])


def assert_same(frame: pd.DataFrame, csv: pd.DataFrame, name: str) -> None:
    """Same columns in the same order, same rows, every cell equal (missing in the same
    cells); numbers compared bit for bit."""
    assert list(frame.columns) == list(csv.columns), name
    assert len(frame) == len(csv), name
    for c in csv.columns:
        a, b = frame[c], csv[c]
        if pd.api.types.is_float_dtype(b) or pd.api.types.is_float_dtype(a):
            a = a.to_numpy(dtype=float)
            b = b.to_numpy(dtype=float)
            assert np.array_equal(np.isnan(a), np.isnan(b)), f"{name}.{c}: missing cells differ"
            ok = np.isnan(a) | (a == b)
            assert ok.all(), f"{name}.{c}: first difference at row {np.argmin(ok)}"
        else:
            # a CSV cell cannot tell an empty text from a missing one
            cells = lambda s: [None if v == "" else v for v in s.astype(object).where(s.notna(), None)]
            assert cells(a) == cells(b), f"{name}.{c}"


def test_run_same_numbers_as_cli(cli, tmp_path):
    cli_run(cli, tmp_path / "r", "run", THREE, "--runs", 60, "--seed", 11, "--trajectories", 3)
    b = statecraft.run(THREE, runs=60, seed=11, trajectories=3)
    assert (b.scenario, b.seed) == ("three_actors", 11)
    for name in ["runs", "actors", "trajectories"]:
        assert_same(getattr(b, name), read_csv(tmp_path / "r" / f"{name}.csv"), name)
    assert b.runs["run"].tolist() == list(range(60))
    assert b.trajectories["run"].max() == 2


def test_world_file_scenario_same_numbers_as_cli(cli, tmp_path):
    # The calibrated baseline (a world file included, 200+ uncertain parameters, events).
    cli_run(cli, tmp_path / "p", "run", PAID, "--runs", 12, "--seed", 5, "--rounds", 12)
    b = statecraft.run(str(PAID), runs=12, seed=5, rounds=12, threads=1)
    assert b.rounds == 12
    runs = read_csv(tmp_path / "p" / "runs.csv")
    assert runs.isna().any().any(), "some metric undefined in some run (an event)"
    assert_same(b.runs, runs, "runs")
    assert_same(b.actors, read_csv(tmp_path / "p" / "actors.csv"), "actors")
    assert b.trajectories is None


def test_threads_do_not_change_numbers():
    one = statecraft.run(THREE, runs=30, seed=3, threads=1)
    two = statecraft.run(THREE, runs=30, seed=3, threads=2)
    pd.testing.assert_frame_equal(one.runs, two.runs)
    pd.testing.assert_frame_equal(one.actors, two.actors)


def test_polars_frames_match_cli(cli, tmp_path):
    cli_run(cli, tmp_path / "p", "run", PAID, "--runs", 8, "--seed", 9, "--rounds", 10)
    b = statecraft.run(PAID, runs=8, seed=9, rounds=10, frame="polars")
    assert isinstance(b.runs, pl.DataFrame)
    csv = pl.read_csv(tmp_path / "p" / "runs.csv", infer_schema_length=None)
    assert b.runs.columns == csv.columns
    for c in csv.columns:
        # missing metrics are null, as polars reads the CSV's empty cells
        assert b.runs[c].null_count() == csv[c].null_count(), c
        assert b.runs[c].cast(pl.Float64).to_list() == csv[c].cast(pl.Float64).to_list(), c


def test_compare_same_rows_as_cli(cli, tmp_path):
    cli_run(cli, tmp_path / "d", "compare", PAID, OPEN, "--runs", 20, "--bootstrap", 300)
    c = statecraft.compare(PAID, OPEN, runs=20, bootstrap=300)
    csv = read_csv(tmp_path / "d" / "compare.csv")
    text = {"true": True, "false": False, True: True, False: False}
    csv["paired"] = csv["paired"].map(lambda v: text.get(v))
    frame = c.copy()
    frame["paired"] = frame["paired"].astype(object).where(frame["paired"].notna(), None)
    assert_same(frame, csv, "compare")
    assert set(c["scenario"]) == {"paid_access_2025", "open_order"}
    assert c.attrs["runs"] == 20 and c.attrs["notes"] == []
    assert c["diff"].notna().any()


def test_missing_file_is_statecraft_error():
    missing = BAD / "no_such_scenario.ron"
    with pytest.raises(statecraft.StatecraftError, match="no_such_scenario.ron") as e:
        statecraft.run(missing)
    assert isinstance(e.value, ValueError)
    assert "No such file" in str(e.value)  # the chain: what failed, then why


@pytest.mark.parametrize("name", ["negative_gdp.ron", "malformed_uniform.ron"])
def test_invalid_scenario_message_as_cli(name):
    path = BAD / name
    expected = path.read_text().splitlines()[0].removeprefix("// expect: ")
    with pytest.raises(statecraft.StatecraftError) as e:
        statecraft.run(path, runs=2)
    # the corpus pins the message after the file name the CLI was given
    assert str(e.value).endswith(expected.split(": ", 1)[1]), str(e.value)
    assert name in str(e.value)


def test_bad_options_and_compare_errors():
    with pytest.raises(statecraft.StatecraftError, match="runs must be at least 1"):
        statecraft.run(THREE, runs=0)
    with pytest.raises(statecraft.StatecraftError, match="rounds 0 is outside"):
        statecraft.run(THREE, rounds=0)
    with pytest.raises(statecraft.StatecraftError, match="nope.ron"):
        statecraft.compare(THREE, THREE.with_name("nope.ron"))
    with pytest.raises(ValueError, match="frame must be"):
        statecraft.run(THREE, runs=2, frame="feather")  # type: ignore[arg-type]


def ticks_during_batch(runs: int) -> tuple[int, float]:
    """How often this thread woke up while another ran a batch of `runs`, and in how long."""
    done = threading.Event()
    result = {}

    def batch():
        result["b"] = statecraft.run(THREE, runs=runs, threads=1)
        done.set()

    t = threading.Thread(target=batch)
    t.start()
    ticks = 0
    start = time.monotonic()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    t.join()
    assert len(result["b"].runs) == runs
    return ticks, time.monotonic() - start


def test_lock_released_while_running():
    # Long enough a batch to tell (a debug build is ~10x slower than a release one).
    runs = 400
    ticks, elapsed = ticks_during_batch(runs)
    while elapsed < 0.2 and runs < 100_000:
        runs *= 8
        ticks, elapsed = ticks_during_batch(runs)
    assert elapsed >= 0.2, f"{runs} runs took {elapsed:.3f} s: too short to tell"
    # With the lock held this loop could not run at all while the batch did.
    assert ticks >= 10, (ticks, elapsed)
