"""Compare two statecraft results folders with polars and draw one chart.

    statecraft run scenarios/open_order.ron --runs 2000 --out out/open
    statecraft run scenarios/paid_access_2025.ron --runs 2000 --out out/paid
    python examples/analysis/polars_compare.py out/open out/paid --chart out/hedge.png

Reports per-actor means from actors.csv (long format: one row per run and actor) for both
folders, and draws the mean hedge stock of each actor under both scenarios.
"""
import argparse
import pathlib

import polars as pl


def per_actor(folder: pathlib.Path) -> pl.DataFrame:
    actors = pl.read_csv(folder / "actors.csv")
    return actors.group_by("actor", maintain_order=True).agg(
        pl.col("tariff").mean().alias("tariff"),
        pl.col("credibility").mean().alias("credibility"),
        pl.col("hedge").mean().alias("hedge"),
        (pl.col("n_hedge") / (pl.col("n_concede") + pl.col("n_retaliate") + pl.col("n_hedge")
                              + pl.col("n_concede_hedge") + pl.col("n_bandwagon"))).mean().alias("hedge_share"),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=pathlib.Path)
    ap.add_argument("b", type=pathlib.Path)
    ap.add_argument("--chart", type=pathlib.Path, help="write a PNG bar chart of hedge stocks")
    args = ap.parse_args()
    a, b = per_actor(args.a), per_actor(args.b)
    both = a.join(b, on="actor", suffix="_b")
    with pl.Config(tbl_rows=-1, tbl_cols=-1, float_precision=3):
        print(both)
    if args.chart:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(7, 3.5))
        x = range(both.height)
        ax.bar([i - 0.2 for i in x], both["hedge"], width=0.4, label=args.a.name)
        ax.bar([i + 0.2 for i in x], both["hedge_b"], width=0.4, label=args.b.name)
        ax.set_xticks(list(x), both["actor"].to_list(), rotation=45)
        ax.set_ylabel("hedge stock at the end (share of exports to the hegemon diverted)")
        ax.legend()
        fig.tight_layout()
        fig.savefig(args.chart, dpi=120)
        print(f"chart: {args.chart}")


if __name__ == "__main__":
    main()
