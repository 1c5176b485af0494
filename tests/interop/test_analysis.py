"""Interop checks of statecraft's analyses against the Python tools (run by .ci/interop.sh).

    python tests/interop/test_analysis.py --sobol out/sens
    python tests/interop/test_analysis.py --prim out/run out/disc METRIC below|above X THRESHOLD

--sobol FOLDER: a folder of `statecraft sensitivity --method sobol`. Its design.csv holds every
design point and the output there (the metric's mean over the replications); SALib's
sobol.analyze, fed the same outputs in its own layout, must give the S1 and ST of
sensitivity.csv to 1e-9 (the same estimators: Saltelli et al. 2010's first order, Jansen's
total). One check of the design's layout, one per metric.

--prim RUNS DISCOVER METRIC SIDE X THRESHOLD: EMA Workbench's prim.Prim(x, y, threshold) on the
runs.csv of RUNS (x: the parameter columns, those with a dot; y: METRIC below or above X, an
empty cell not of interest) must peel and paste as `statecraft discover` did into DISCOVER:
the same coverage and density at every step (to 1e-9) and the same restricted dimensions.
Where the last box's density is below THRESHOLD, EMA's find_box returns its "dump" box (the
first step only) and discover reports no box reaching the threshold: that is checked instead.

Prints `interop-analysis: N passed, M failed`; exits 1 on any failure.
"""
import argparse
import json
import pathlib
import sys
import traceback

import numpy as np
import pandas as pd

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


def saltelli_blocks(design: pd.DataFrame, k: int):
    """The row blocks of statecraft's design.csv: A, B, then A_B^(i) for each factor i."""
    n = len(design) // (k + 2)
    assert len(design) == n * (k + 2), f"{len(design)} points is not N x (k + 2) for k = {k}"
    return n, [design.iloc[b * n:(b + 1) * n] for b in range(k + 2)]


def check_layout(design: pd.DataFrame, params):
    """A_B^(i) is A with column i from B, as SALib's sample builds its matrices."""
    k = len(params)
    _, blocks = saltelli_blocks(design, k)
    a, b = blocks[0][params].to_numpy(), blocks[1][params].to_numpy()
    for i in range(k):
        ab = blocks[2 + i][params].to_numpy()
        expected = a.copy()
        expected[:, i] = b[:, i]
        assert np.array_equal(ab, expected), f"block A_B^({i}) is not A with column {i} from B"


def check_salib(design: pd.DataFrame, ours: pd.DataFrame, params, metric: str):
    from SALib.analyze import sobol

    k = len(params)
    n, _ = saltelli_blocks(design, k)
    y = design[f"{metric}_mean"].to_numpy()
    # statecraft's order A, B, A_B^(1..k) to SALib's: per base row j, A_j, A_B^(1..k)_j, B_j.
    salib = np.empty(n * (k + 2))
    step = k + 2
    salib[0::step] = y[:n]
    salib[step - 1::step] = y[n:2 * n]
    for i in range(k):
        salib[1 + i::step] = y[(2 + i) * n:(3 + i) * n]
    problem = {"num_vars": k, "names": list(params), "bounds": [[0.0, 1.0]] * k}
    si = sobol.analyze(problem, salib, calc_second_order=False, num_resamples=10, seed=1)
    rows = ours[ours.metric == metric].set_index("param").loc[list(params)]
    for key, col in (("S1", "s1"), ("ST", "st")):
        gap = np.abs(np.asarray(si[key]) - rows[col].to_numpy()).max()
        assert gap < 1e-9, f"{metric}: {key} differs from SALib's by {gap:.3g}"


def check_sobol(folder: pathlib.Path):
    design = pd.read_csv(folder / "design.csv")
    ours = pd.read_csv(folder / "sensitivity.csv")
    ours = ours[ours.method == "sobol"]
    params = [c for c in design.columns if "." in c]
    check(f"{folder}: Saltelli layout of design.csv", check_layout, design, params)
    metrics = list(dict.fromkeys(ours.metric))
    assert metrics, f"{folder}: no Sobol indices"
    for m in metrics:
        check(f"{folder}: S1 and ST of {m} = SALib's", check_salib, design, ours, params, m)


def check_prim(runs_dir, disc_dir, metric, side, cut, threshold):
    from ema_workbench.analysis import prim

    runs = pd.read_csv(pathlib.Path(runs_dir) / "runs.csv")
    x = runs[[c for c in runs.columns if "." in c]]
    v = runs[metric]
    y = (v < cut if side == "below" else v > cut).to_numpy()
    ema = prim.Prim(x, y, threshold=threshold).find_box().peeling_trajectory
    ours = pd.read_csv(pathlib.Path(disc_dir) / "prim_trajectory.csv")
    manifest = json.loads((pathlib.Path(disc_dir) / "manifest.json").read_text())
    if len(ema) == 1 and len(ours) > 1:
        # EMA's dump box: its last box missed the threshold, and discover found none either.
        assert not manifest["box_meets_threshold"], "EMA found no box, discover did"
        assert ours.density.iloc[-1] < threshold
        ours = ours.iloc[:1]
    else:
        assert manifest["box_meets_threshold"], "EMA found a box, discover did not"
    assert len(ema) == len(ours), f"EMA took {len(ema)} steps, discover {len(ours)}"
    for col in ("coverage", "density", "mass"):
        gap = np.abs(ema[col].to_numpy(float) - ours[col].to_numpy()).max()
        assert gap < 1e-9, f"{col} differs from EMA's by {gap:.3g}"
    assert np.array_equal(ema.res_dim.to_numpy(int), ours.restricted_dims.to_numpy()), (
        "restricted dimensions differ")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sobol", type=pathlib.Path, action="append", default=[])
    ap.add_argument("--prim", nargs=6, action="append", default=[],
                    metavar=("RUNS", "DISCOVER", "METRIC", "SIDE", "X", "THRESHOLD"))
    args = ap.parse_args()
    for f in args.sobol:
        check_sobol(f)
    for runs_dir, disc_dir, metric, side, cut, threshold in args.prim:
        check(f"{disc_dir}: PRIM trajectory = EMA Workbench's ({metric} {side} {cut})",
              check_prim, runs_dir, disc_dir, metric, side, float(cut), float(threshold))
    print(f"interop-analysis: {passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
