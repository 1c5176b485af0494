"""Reading a scenario (the JSON of `statecraft convert --to json`) and drawing its parameters.

Written from MODEL.md section 3.1 and scenarios/README.md: every number may be a plain value or a
distribution, drawn once per run by inverse-CDF sampling from one uniform.
"""

from __future__ import annotations

import json
import math
from statistics import NormalDist

_STD = NormalDist()
_EPS = 2.0**-54


class ScenarioError(ValueError):
    """A scenario this port cannot read, with the path of the offending field."""


def _uniform01(rng) -> float:
    u = rng.random()
    return min(max(u, _EPS), 1.0 - _EPS)


def draw(param, rng, path: str) -> float:
    """One draw of a Param: a number, or a distribution sampled by its inverse CDF."""
    if isinstance(param, (int, float)):
        return float(param)
    if not isinstance(param, dict) or len(param) != 1:
        raise ScenarioError(f"{path}: expected a number or a distribution, got {param!r}")
    (kind, args), = param.items()
    if kind == "Choice":
        return float(args[int(_uniform01(rng) * len(args)) % len(args)])
    u = _uniform01(rng)
    if kind == "Uniform":
        lo, hi = args
        return lo + (hi - lo) * u
    if kind == "LogUniform":
        lo, hi = args
        return math.exp(math.log(lo) + (math.log(hi) - math.log(lo)) * u)
    if kind == "Normal":
        mean, sd = args
        return mean + sd * _STD.inv_cdf(u) if sd > 0 else mean
    if kind == "TruncNormal":
        mean, sd, lo, hi = args
        if sd <= 0:
            return min(max(mean, lo), hi)
        a, b = _STD.cdf((lo - mean) / sd), _STD.cdf((hi - mean) / sd)
        p = min(max(a + (b - a) * u, 1e-300), 1 - 1e-16)
        return min(max(mean + sd * _STD.inv_cdf(p), lo), hi)
    if kind == "Triangular":
        lo, mode, hi = args
        if hi == lo:
            return lo
        f = (mode - lo) / (hi - lo)
        if u < f:
            return lo + math.sqrt(u * (hi - lo) * (mode - lo))
        return hi - math.sqrt((1 - u) * (hi - lo) * (hi - mode))
    raise ScenarioError(f"{path}: unknown distribution {kind!r}")


def load(path: str) -> dict:
    """The scenario as a dict; the world must be inline (what `statecraft convert` writes)."""
    with open(path, encoding="utf-8") as f:
        sc = json.load(f)
    world = sc.get("world")
    if not isinstance(world, dict) or "Inline" not in world:
        raise ScenarioError(
            f"{path}: world: expected an inline world (run `statecraft convert FILE --to json`)"
        )
    sc["world"] = world["Inline"]
    timeline = sc.get("timeline")
    if timeline is None:
        sc["timeline"] = []
    elif isinstance(timeline, dict) and "Inline" in timeline:
        sc["timeline"] = timeline["Inline"]
    else:
        raise ScenarioError(
            f"{path}: timeline: expected an inline timeline (run `statecraft convert FILE --to json`)"
        )
    return sc


class Params:
    """One run's numbers: every Param of the scenario drawn once."""

    def __init__(self, sc: dict, rng):
        world = sc["world"]
        self.model = {k: draw(v, rng, f"model.{k}") for k, v in world["model"].items()}
        for field, value in sc.get("model_overrides") or []:
            if field not in self.model:
                raise ScenarioError(f"model_overrides: unknown model field {field!r}")
            self.model[field] = draw(value, rng, f"model.{field}")
        self.actor = {}
        self.rationality = {}
        self.package = {}
        for a in world["actors"]:
            name = a["name"]
            self.actor[name] = {
                k: draw(v, rng, f"actors.{name}.{k}") for k, v in a["params"].items()
            }
            if a.get("rationality") is not None:
                self.rationality[name] = draw(a["rationality"], rng, f"actors.{name}.rationality")
            pkg = a.get("retaliation")
            if pkg is not None:
                # A counter-tariff package sized by value (MODEL.md 3.3).
                self.package[name] = {
                    "value": draw(pkg["value"], rng, f"actors.{name}.retaliation.value"),
                    "rate": draw(pkg["rate"], rng, f"actors.{name}.retaliation.rate"),
                    "trigger": None if pkg.get("trigger") is None else float(pkg["trigger"]),
                }
        self.hazards = {
            b["name"]: {
                k: draw(v, rng, f"blocs.{b['name']}.hazards.{k}") for k, v in b["hazards"].items()
            }
            for b in world.get("blocs") or []
        }
        self.strategy_kind, self.strategy = _strategy(sc["strategy"], rng)
        shock = sc.get("court_shock")
        if shock is not None:
            # (from_round, hazard, cap on the reciprocal line, the legal basis it voids)
            cap = shock.get("cap")
            self.court = (
                int(shock["from_round"]),
                draw(shock["hazard"], rng, "court_shock.hazard"),
                math.inf if cap is None else draw(cap, rng, "court_shock.cap"),
                shock.get("voids"),
            )
        else:
            self.court = None


def _paid_access(p: dict, rng, prefix: str) -> dict:
    return {
        "floor": draw(p["floor"], rng, f"{prefix}.floor"),
        "max_rate": draw(p["max_rate"], rng, f"{prefix}.max_rate"),
        "deal_rates": {
            n: draw(v, rng, f"{prefix}.deal_rates.{n}") for n, v in p.get("deal_rates") or []
        },
        "default_deal_rate": draw(p["default_deal_rate"], rng, f"{prefix}.default_deal_rate"),
        "fee_share": draw(p["fee_share"], rng, f"{prefix}.fee_share"),
        "defense_target": draw(p["defense_target"], rng, f"{prefix}.defense_target"),
        "host_fees": {
            n: draw(v, rng, f"{prefix}.host_fees.{n}") for n, v in p.get("host_fees") or []
        },
        "linkage": draw(p["linkage"], rng, f"{prefix}.linkage"),
        # Caps a deal puts on the other lines: (measure, actor) -> cap (MODEL.md 3.2).
        "deal_caps": {
            (ms, n): draw(v, rng, f"{prefix}.deal_caps.{ms}.{n}")
            for ms, n, v in p.get("deal_caps") or []
        },
        # Pressure on non-dealers: (after, step, max), or None.
        "pressure": None if p.get("pressure") is None else (
            int(p["pressure"]["after"]),
            draw(p["pressure"]["step"], rng, f"{prefix}.pressure.step"),
            draw(p["pressure"]["max"], rng, f"{prefix}.pressure.max"),
        ),
    }


def _strategy(s, rng):
    if s == "OpenOrder":
        return "OpenOrder", {}
    if not isinstance(s, dict) or len(s) != 1:
        raise ScenarioError(f"strategy: unknown strategy {s!r}")
    (kind, body), = s.items()
    if kind == "TargetedPunitive":
        return kind, {"rate": draw(body["rate"], rng, "strategy.rate"), "targets": body["targets"]}
    if kind == "PaidAccess":
        return kind, _paid_access(body, rng, "strategy")
    if kind == "AdaptiveExtortion":
        out = _paid_access(body["base"], rng, "strategy.base")
        out["up"] = draw(body["up"], rng, "strategy.up")
        out["down"] = draw(body["down"], rng, "strategy.down")
        out["bounds"] = tuple(float(x) for x in body["bounds"])
        return kind, out
    if kind == "Reciprocal":
        return kind, {
            "base": draw(body["base"], rng, "strategy.base"),
            "step": draw(body["step"], rng, "strategy.step"),
        }
    if kind == "ConstrainedPaidAccess":
        out = _paid_access(body["base"], rng, "strategy.base")
        out["cap"] = draw(body["cap"], rng, "strategy.cap")
        return kind, out
    raise ScenarioError(f"strategy: unknown strategy {kind!r}")
