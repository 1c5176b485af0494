"""Interop checks of statecraft's analyses against the Python tools (run by .ci/interop.sh).

    python tests/interop/test_analysis.py --sobol out/sens

--sobol FOLDER: a folder of `statecraft sensitivity --method sobol`. Its design.csv holds every
design point and the output there (the metric's mean over the replications); SALib's
sobol.analyze, fed the same outputs in its own layout, must give the S1 and ST of
sensitivity.csv to 1e-9 (the same estimators: Saltelli et al. 2010's first order, Jansen's
total). One check of the design's layout, one per metric.

Prints `interop-analysis: N passed, M failed`; exits 1 on any failure.
"""
import argparse
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sobol", type=pathlib.Path, action="append", default=[])
    args = ap.parse_args()
    for f in args.sobol:
        check_sobol(f)
    print(f"interop-analysis: {passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
