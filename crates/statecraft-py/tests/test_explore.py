"""Sweeps, designs made elsewhere, tournaments and `set=` from Python against the `statecraft`
binary (the same seed gives the same numbers, cell by cell), and the EMA Workbench and SALib
adapters: EMA's experiments run in one batched call give what its sequential evaluator gives
one by one, and a SALib sample what `statecraft.evaluate` gives. Run by .ci/python.sh."""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd
import pytest

import statecraft
from test_statecraft import OPEN, PAID, THREE, assert_same, cli, cli_run, read_csv  # noqa: F401

ROOT = pathlib.Path(__file__).resolve().parents[3]
VARIANTS = ROOT / "scenarios" / "variants" / "strategies.ron"


def test_run_set_same_as_cli(cli, tmp_path):
    cli_run(cli, tmp_path / "r", "run", THREE, "--runs", 25, "--seed", 4,
            "--set", "model.hedge_cost=0.3", "--set", "strategy.linkage=Uniform(0, 1)")
    b = statecraft.run(THREE, runs=25, seed=4,
                       set={"model.hedge_cost": 0.3, "strategy.linkage": "Uniform(0, 1)"})
    assert "strategy.linkage" in b.runs.columns
    assert_same(b.runs, read_csv(tmp_path / "r" / "runs.csv"), "runs")
    plain = statecraft.run(THREE, runs=25, seed=4)
    assert not plain.runs["hegemon_rent"].equals(b.runs["hegemon_rent"])


def test_set_errors_are_statecraft_errors():
    with pytest.raises(statecraft.StatecraftError, match='unknown parameter path "model.nope"'):
        statecraft.run(THREE, runs=2, set={"model.nope": 1})
    with pytest.raises(statecraft.StatecraftError, match="model.hedge_cost=abc"):
        statecraft.run(THREE, runs=2, set={"model.hedge_cost": "abc"})
    with pytest.raises(TypeError, match="not a number"):
        statecraft.run(THREE, runs=2, set={"model.hedge_cost": [1]})


def test_sweep_same_as_cli(cli, tmp_path):
    cli_run(cli, tmp_path / "s", "sweep", THREE, "--points", 6, "--runs", 15, "--seed", 8)
    s = statecraft.sweep(THREE, points=6, runs=15, seed=8)
    assert (s.design, s.runs, s.seed) == ("lhs", 15, 8)
    assert_same(s.points, read_csv(tmp_path / "s" / "sweep.csv"), "sweep")
    assert list(s.points.columns[1 : 1 + len(s.factors)]) == s.factors


def test_evaluate_given_design_same_as_cli(cli, tmp_path):
    ranges = statecraft.parameters(PAID)
    rng = np.random.default_rng(1)
    chosen = ranges.iloc[[0, 5, 17]]
    design = pd.DataFrame({
        p: lo + (hi - lo) * rng.random(5) for p, lo, hi in zip(chosen["path"], chosen["lo"], chosen["hi"])
    })
    design.to_csv(tmp_path / "points.csv", index=False, float_format="%.17g")
    cli_run(cli, tmp_path / "g", "sweep", PAID, "--design-file", tmp_path / "points.csv",
            "--runs", 3, "--rounds", 10)
    out = statecraft.evaluate(PAID, design, runs=3, rounds=10)
    sweep_csv = read_csv(tmp_path / "g" / "sweep.csv")
    metrics = statecraft.info(PAID)["metrics"]
    assert list(out.columns) == ["point", *design.columns, *metrics]
    expected = sweep_csv[["point", *design.columns, *(f"{m}_mean" for m in metrics)]]
    assert_same(out, expected.set_axis(out.columns, axis=1), "evaluate")


def test_evaluate_rejects_values_outside_a_parameters_range():
    with pytest.raises(statecraft.StatecraftError, match="model.escalation: the range -7:0.5 is outside the allowed range"):
        statecraft.evaluate(PAID, {"model.escalation": [0.5, -7.0]}, rounds=2)


def test_tournament_same_as_cli(cli, tmp_path):
    cli_run(cli, tmp_path / "t", "tournament", THREE, "--hegemon", "scenario,OpenOrder",
            "--allies", "AlwaysConcede,Grim,TitForTat", "--runs", 30, "--resamples", 200)
    t = statecraft.tournament(THREE, hegemon=["scenario", "OpenOrder"],
                              allies=["AlwaysConcede", "Grim", "TitForTat"], runs=30,
                              resamples=200)
    for name, csv in [("rows", "tournament"), ("matrix", "payoff_matrix"), ("ranking", "ranking")]:
        assert_same(getattr(t, name), read_csv(tmp_path / "t" / f"{csv}.csv"), name)
    assert len(t.rows) == 2 * 3 * 30


def test_parameters_ranges():
    p = statecraft.parameters(PAID)
    assert len(p) > 100 and (p["lo"] <= p["hi"]).all()
    assert p["path"].is_unique
    chosen = statecraft.parameters(PAID, {"model.escalation": (0.3, 0.6), "model.elasticity_sr": None})
    assert chosen["path"].tolist() == ["model.escalation", "model.elasticity_sr"]
    assert chosen.iloc[0][["lo", "hi", "source"]].tolist() == [0.3, 0.6, "range"]
    whole = p.set_index("path").loc["model.elasticity_sr"]
    assert chosen.iloc[1]["lo"] == whole["lo"] and chosen.iloc[1]["source"].startswith("TruncNormal")


def test_ema_batched_equals_one_by_one():
    ema = pytest.importorskip("ema_workbench")
    from ema_workbench import SequentialEvaluator, perform_experiments
    from ema_workbench.em_framework.samplers import LHSSampler

    from statecraft.ema import StatecraftEvaluator, StatecraftModel, identifier

    params = ["model.escalation", "model.elasticity_sr", "actors.JPN.autonomy"]
    model = StatecraftModel("paid", PAID, params=params, rounds=10, runs=2)
    assert [u.name for u in model.uncertainties] == [identifier(p) for p in params]
    assert [u.variable_name[0] for u in model.uncertainties] == params
    assert len(model.outcomes) == len(statecraft.info(PAID)["metrics"])
    scenarios = ema.em_framework.samplers.sample_uncertainties(model, 12, sampler=LHSSampler())
    with StatecraftEvaluator(model) as ev:
        ex_b, out_b = perform_experiments(model, scenarios=scenarios, evaluator=ev)
    with SequentialEvaluator(model) as ev:
        ex_s, out_s = perform_experiments(model, scenarios=scenarios, evaluator=ev)
    assert len(ex_b) == 12
    names = [identifier(p) for p in params]
    pd.testing.assert_frame_equal(ex_b[names], ex_s[names])
    for k in out_b:
        assert np.array_equal(out_b[k], out_s[k], equal_nan=True), k
    # and what statecraft.evaluate gives for the experiments' points
    direct = statecraft.evaluate(PAID, {p: ex_b[identifier(p)] for p in params}, runs=2, rounds=10)
    assert np.array_equal(out_b["hegemon_rent"], direct["hegemon_rent"].to_numpy())


def test_salib_problem_and_evaluation():
    pytest.importorskip("SALib")
    from SALib.sample import latin

    import statecraft.salib as ss

    params = {"model.escalation": (0.3, 0.7), "model.elasticity_sr": None}
    problem = ss.problem(PAID, params)
    assert problem["names"] == list(params) and problem["num_vars"] == 2
    assert problem["bounds"][0] == [0.3, 0.7]
    X = latin.sample(problem, 8, seed=2)
    Y = ss.evaluate(PAID, problem, X, metric="hegemon_rent", rounds=8)
    assert Y.shape == (8,)
    direct = statecraft.evaluate(PAID, {p: X[:, j] for j, p in enumerate(params)}, rounds=8)
    assert np.array_equal(Y, direct["hegemon_rent"].to_numpy())
    both = ss.evaluate(PAID, problem, X, metric=["hegemon_rent", "ruptures"], rounds=8)
    assert both.shape == (8, 2) and np.array_equal(both[:, 0], Y)
    with pytest.raises(ValueError, match="one column per variable"):
        ss.evaluate(PAID, problem, X[:, :1])


def test_arrow_tables_hold_the_same_numbers():
    pa = pytest.importorskip("pyarrow")
    b = statecraft.run(PAID, runs=6, seed=2, rounds=10, frame="arrow")
    assert isinstance(b.runs, pa.Table)
    p = statecraft.run(PAID, runs=6, seed=2, rounds=10)
    assert b.runs.column_names == list(p.runs.columns)
    for c in p.runs.columns:
        # a metric undefined in a run is null in Arrow, NaN in pandas
        got = b.runs.column(c).to_pandas().to_numpy(dtype=float)
        assert np.array_equal(got, p.runs[c].to_numpy(dtype=float), equal_nan=True), c
    assert b.runs.column("first_rupture_round").null_count == p.runs["first_rupture_round"].isna().sum()
    assert b.actors.column("actor").type == pa.string()
    # an Arrow table is a design too
    design = pa.table({"model.escalation": [0.3, 0.6]})
    e = statecraft.evaluate(PAID, design, rounds=6, frame="arrow")
    assert isinstance(e, pa.Table) and e.num_rows == 2
    assert e.column_names[:2] == ["point", "model.escalation"] and "hegemon_rent" in e.column_names
    c = statecraft.compare(PAID, OPEN, runs=5, bootstrap=50, frame="arrow")
    assert c.column("paired").type == pa.bool_()


def test_sensitivity_same_as_cli(cli, tmp_path):
    cli_run(cli, tmp_path / "s", "sensitivity", THREE, "--method", "morris", "--samples", 4,
            "--runs", 5, "--seed", 6, "--bootstrap", 100)
    s = statecraft.sensitivity(THREE, method="morris", samples=4, runs=5, seed=6, bootstrap=100)
    assert (s.runs, s.seed) == (5, 6)
    assert_same(s.indices, read_csv(tmp_path / "s" / "sensitivity.csv"), "sensitivity")
    assert set(s.indices["method"]) == {"morris"}


def test_patterns_rates_same_as_cli(cli, tmp_path):
    import json

    cli_run(cli, tmp_path / "p", "patterns", PAID, "--runs", 20, "--seed", 3, "--rounds", 8)
    p = statecraft.patterns(PAID, runs=20, seed=3, rounds=8)
    want = json.loads((tmp_path / "p" / "patterns.json").read_text())["patterns"]
    assert p.runs == 20 and len(p.rates) == len(want) > 0
    for row, w in zip(p.rates.to_dict("records"), want):
        for k, v in w.items():
            if k not in row:
                continue
            got = row[k]
            if isinstance(v, float) or v is None:
                assert (v is None and np.isnan(got)) or got == v, (w["id"], k, got, v)
            else:
                assert got == v, (w["id"], k, got, v)
