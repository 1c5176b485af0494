"""Compare two statecraft results folders with pandas and draw one chart.

    statecraft run scenarios/open_order.ron --runs 2000 --out out/open
    statecraft run scenarios/paid_access_2025.ron --runs 2000 --out out/paid
    python examples/analysis/pandas_compare.py out/open out/paid --chart out/rent.png

Both folders use the same seed, so run r of one pairs with run r of the other (common random
numbers): the script reports the paired difference of each metric's mean and draws the
distribution of alliance cohesion in both.
"""
import argparse
import json
import pathlib

import pandas as pd


def load(folder: pathlib.Path) -> tuple[pd.DataFrame, dict]:
    runs = pd.read_csv(folder / "runs.csv")  # one row per run; empty cells are NaN
    summary = json.loads((folder / "summary.json").read_text())
    return runs, summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=pathlib.Path)
    ap.add_argument("b", type=pathlib.Path)
    ap.add_argument("--chart", type=pathlib.Path, help="write a PNG histogram of cohesion")
    args = ap.parse_args()
    a, sa = load(args.a)
    b, sb = load(args.b)
    if sa["seed"] != sb["seed"]:
        print("warning: different seeds, runs are not paired")
    metrics = [m["name"] for m in sa["metrics"] if m["name"] in b.columns]
    paired = a.merge(b, on="run", suffixes=("_a", "_b"))
    rows = []
    for m in metrics:
        d = paired[f"{m}_b"] - paired[f"{m}_a"]
        rows.append({"metric": m, "mean_a": a[m].mean(), "mean_b": b[m].mean(),
                     "paired_diff": d.mean(), "diff_sd": d.std()})
    table = pd.DataFrame(rows).set_index("metric")
    print(f"{sa['scenario']} (a) vs {sb['scenario']} (b), {len(paired)} paired runs")
    print(table.round(4).to_string())
    if args.chart:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 3.5))
        for frame, s in ((a, sa), (b, sb)):
            ax.hist(frame["alliance_cohesion"], bins=40, alpha=0.6, label=s["scenario"])
        ax.set_xlabel("alliance cohesion at the end (GDP-weighted credibility)")
        ax.set_ylabel("runs")
        ax.legend()
        fig.tight_layout()
        fig.savefig(args.chart, dpi=120)
        print(f"chart: {args.chart}")


if __name__ == "__main__":
    main()
