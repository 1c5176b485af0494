"""statecraft as a model EMA Workbench runs directly, its experiments in one batched call.

::

    from ema_workbench import perform_experiments
    from statecraft.ema import StatecraftEvaluator, StatecraftModel

    model = StatecraftModel("paid", "scenarios/paid_access_2025.ron")
    with StatecraftEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=10_000)

The model's uncertainties are the scenario's uncertain parameters with their exploratory
ranges (:func:`statecraft.parameters`: the scenario's ``sweep`` section, else every uncertain
parameter; or the ``params`` given), its outcomes the run-level metrics (each experiment's
value the mean over its ``runs`` replications). EMA names must be Python identifiers: a path
``actors.JPN.autonomy`` is the uncertainty ``actors_JPN_autonomy`` (its ``variable_name`` is the
path). :class:`StatecraftEvaluator` hands all experiments to statecraft at once
(:func:`statecraft.evaluate`, on every core, the interpreter's lock released); any other EMA
evaluator runs them one by one through the same model, with the same numbers.

Every experiment runs with the same seeds (common random numbers), so that outcomes differ
between experiments by the parameters only; ``runs`` replications average the noise.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from ema_workbench import Model, RealParameter, ScalarOutcome
from ema_workbench.em_framework.evaluators import BaseEvaluator
from ema_workbench.em_framework.points import experiment_generator

import statecraft

__all__ = ["StatecraftEvaluator", "StatecraftModel", "identifier"]


def identifier(path: str) -> str:
    """The EMA name of a parameter path or metric: every character that cannot be in a Python
    identifier becomes ``_``."""
    name = re.sub(r"\W", "_", path)
    return name if name.isidentifier() else f"_{name}"


class StatecraftModel(Model):
    """A statecraft scenario as an EMA Workbench model.

    ``params`` chooses the uncertainties (paths, or ``{path: (lo, hi)}``) and ``metrics`` the
    outcomes (default: every run-level metric); ``runs``, ``seed``, ``rounds``, ``threads``
    and ``set`` are those of :func:`statecraft.evaluate`.
    """

    def __init__(
        self,
        name: str,
        scenario: str | os.PathLike[str],
        params: Sequence[str] | Mapping[str, tuple[float, float] | None] | None = None,
        metrics: Sequence[str] | None = None,
        runs: int = 1,
        seed: int | None = None,
        rounds: int | None = None,
        threads: int | None = None,
        set: Mapping[str, float | str] | None = None,
    ) -> None:
        super().__init__(name, function=self._one)
        self.scenario_file = os.fspath(scenario)
        self.runs = runs
        self.seed = seed
        self.rounds = rounds
        self.threads = threads
        self.overrides = dict(set or {})
        ranges = statecraft.parameters(self.scenario_file, params, set=self.overrides)
        self.paths = list(ranges["path"])
        self.uncertainties = [
            RealParameter(identifier(p), float(lo), float(hi), variable_name=p)
            for p, lo, hi in zip(ranges["path"], ranges["lo"], ranges["hi"])
        ]
        if metrics is None:
            metrics = statecraft.info(self.scenario_file, set=self.overrides)["metrics"]
        self.metrics = list(metrics)
        self.outcomes = [ScalarOutcome(identifier(m), variable_name=m) for m in self.metrics]

    def evaluate(self, design: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Runs the points of ``design`` (``{path: values}``) in one call; returns each
        outcome's values by EMA name, one per point."""
        out = statecraft.evaluate(self.scenario_file, design, runs=self.runs, seed=self.seed,
                                  rounds=self.rounds, threads=self.threads, set=self.overrides)
        return {identifier(m): out[m].to_numpy(dtype=float) for m in self.metrics}

    def _one(self, **values: float) -> dict[str, float]:
        """One experiment (EMA's one-by-one evaluators): ``values`` by parameter path."""
        out = self.evaluate({p: [values[p]] for p in self.paths})
        return {m: float(v[0]) for m, v in zip(self.metrics, out.values())}


class StatecraftEvaluator(BaseEvaluator):
    """An EMA Workbench evaluator that runs the experiments of each
    :class:`StatecraftModel` in one call to statecraft (every core, no process per
    experiment). Other models' experiments run one by one, as EMA's sequential evaluator
    does."""

    def initialize(self) -> None:
        """Nothing to start: statecraft runs in this process."""

    def finalize(self) -> None:
        """Nothing to stop."""

    def evaluate_experiments(self, scenarios, policies, callback, combine="factorial", **kwargs):
        """Runs every experiment, grouped by model, and reports each to ``callback``."""
        experiments = list(experiment_generator(scenarios, self._msis, policies, combine=combine))
        models = {m.name: m for m in self._msis}
        for name, model in models.items():
            mine = [e for e in experiments if e.model_name == name]
            if not mine:
                continue
            if isinstance(model, StatecraftModel):
                names = [u.name for u in model.uncertainties]
                # a Scenario is a UserDict: its `data` is the plain dict, read ~10x faster
                values = np.array(
                    [[getattr(e.scenario, "data", e.scenario)[n] for n in names] for e in mine],
                    dtype=float,
                ).reshape(len(mine), len(names))
                design = {
                    u.variable_name[0]: values[:, j] for j, u in enumerate(model.uncertainties)
                }
                outcomes = model.evaluate(design)
                for i, e in enumerate(mine):
                    callback(e, {k: v[i] for k, v in outcomes.items()})
            else:
                for e in mine:
                    model.run_model(e.scenario, e.policy)
                    callback(e, model.outcomes_output)
                    model.reset_model()
