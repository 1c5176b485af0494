"""Reading a scenario (the JSON of `statecraft convert --to json`) and drawing its parameters.

Written from MODEL.md section 3.1 and scenarios/README.md: every number may be a plain value or a
distribution, drawn once per run by inverse-CDF sampling from one uniform.
"""

from __future__ import annotations

import json
import math
from statistics import NormalDist

from .streams import sample_row

_STD = NormalDist()
_EPS = 2.0**-54


class ScenarioError(ValueError):
    """A scenario this port cannot read, with the path of the offending field."""


def _cdf(z: float) -> float:
    """The standard normal CDF, precise in the lower tail (erfc; NormalDist.cdf uses 1 + erf,
    which cancels there)."""
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def _uniform01(rng) -> float:
    u = rng.random()
    return min(max(u, _EPS), 1.0 - _EPS)


def _trunc_normal(mean: float, sd: float, lo: float, hi: float, u: float) -> float:
    """The truncated normal's quantile at u."""
    if sd <= 0:
        return min(max(mean, lo), hi)
    if lo > mean:
        # Lying above its mean: sampled in the reflected lower tail, where the normal CDF
        # keeps its precision (MODEL.md 3.1).
        mean, lo, hi = -mean, -hi, -lo
        sign = -1.0
    else:
        sign = 1.0
    a, b = _cdf((lo - mean) / sd), _cdf((hi - mean) / sd)
    p = min(max(a + (b - a) * u, 1e-300), 1 - 1e-16)
    return sign * min(max(mean + sd * _STD.inv_cdf(p), lo), hi)


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
    if kind == "LogTruncNormal":
        # The truncated normal of the logarithm (a posterior fitted on a log-uniform prior's
        # scale, MODEL.md 4.3), on [ln lo, ln hi].
        mu, sigma, lo, hi = args
        x = _trunc_normal(mu, sigma, math.log(lo), math.log(hi), u)
        return min(max(math.exp(x), lo), hi)
    if kind == "TruncNormal":
        return _trunc_normal(*args, u)
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
    """One run's numbers: every Param of the scenario drawn once.

    A parameter named by the world's `param_overrides` or the scenario's (by the paths of
    `statecraft validate --params`; the scenario's win) is drawn from its override instead. A
    parameter of the joint sample (`param_sample`) takes the value of the run's row, the row
    statecraft draws (streams.sample_row: its parameter stream, slot `param_sample`), and
    leaves the port's own generator untouched.
    """

    def __init__(self, sc: dict, rng, seed: int, run: int):
        world = sc["world"]
        overrides = dict(world.get("param_overrides") or [])
        overrides.update(dict(sc.get("param_overrides") or []))
        sampled = _sample_row(sc, overrides, seed, run)
        used = set()

        def d(param, path):
            if path in sampled:
                used.add(path)
                return sampled[path]
            return draw(overrides.get(path, param), rng, path)

        self.model = {k: d(v, f"model.{k}") for k, v in world["model"].items()}
        for field, value in sc.get("model_overrides") or []:
            if field not in self.model:
                raise ScenarioError(f"model_overrides: unknown model field {field!r}")
            self.model[field] = d(value, f"model.{field}")
        self.actor = {}
        self.rationality = {}
        self.package = {}
        for a in world["actors"]:
            name = a["name"]
            self.actor[name] = {
                k: d(v, f"actors.{name}.{k}") for k, v in a["params"].items()
            }
            if a.get("rationality") is not None:
                self.rationality[name] = d(a["rationality"], f"actors.{name}.rationality")
            pkg = a.get("retaliation")
            if pkg is not None:
                # A counter-tariff package sized by value (MODEL.md 3.3).
                self.package[name] = {
                    "value": d(pkg["value"], f"actors.{name}.retaliation.value"),
                    "rate": d(pkg["rate"], f"actors.{name}.retaliation.rate"),
                    "trigger": None if pkg.get("trigger") is None else float(pkg["trigger"]),
                }
        # An optional actor field of numbers, in actor order: name -> the fields' draws.
        def per_actor(key, fields):
            out = {}
            for a in world["actors"]:
                spec = a.get(key)
                if spec is not None:
                    path = f"actors.{a['name']}.{key}"
                    out[a["name"]] = tuple(d(spec[f], f"{path}.{f}") for f in fields)
            return out

        # Own defence commitments (MODEL.md 3.4): name -> (target, years).
        self.defense_path = per_actor("defense_path", ("target", "years"))
        # Deal terms (MODEL.md 3.4, settlement): name -> (keep_counter, expiry or None,
        # renewal).
        self.deal_terms = {}
        for a in world["actors"]:
            terms = a.get("deal_terms")
            if terms is not None:
                name = a["name"]
                path = f"actors.{name}.deal_terms"
                expiry = terms.get("expiry")
                self.deal_terms[name] = (
                    d(terms.get("keep_counter", 0.0), f"{path}.keep_counter"),
                    None if expiry is None else d(expiry, f"{path}.expiry"),
                    d(terms.get("renewal", 0.0), f"{path}.renewal"),
                )
        # Export controls (MODEL.md 3.4, phase 6): name -> (share s_x, multiplier λ_x, spill).
        self.export_controls = per_actor("export_controls", ("share", "multiplier", "spill"))
        # Safeguards against deflected imports (MODEL.md 3.4, trade): name -> (surge θ, cut κ).
        self.safeguard = per_actor("safeguard", ("surge", "cut"))
        # q_S: the rival's sanction hazard per deal round with a security step (MODEL.md 3.4,
        # phase 6), or None where the world has none.
        q_s = world.get("security_sanction_hazard")
        self.security_hazard = None if q_s is None else d(q_s, "world.security_sanction_hazard")
        # Δz^C: the tilt toward the rival per round of hedging at κ = 0 (MODEL.md 3.4, phase
        # 5), or None where the world has none.
        dzc = world.get("rival_tilt")
        self.rival_tilt = None if dzc is None else d(dzc, "world.rival_tilt")
        # s^CG: the share of a full hedge step a CG round adds, with its saving priced at the
        # deal's tariff (MODEL.md 3.3, as its own bundle), or None: half a step priced as G's.
        chs = world.get("concede_hedge_share")
        self.concede_hedge_share = None if chs is None else d(chs, "world.concede_hedge_share")
        # National welfare (MODEL.md 3.4, welfare): (ω, the inverse elasticity of an exporter's
        # supply to a market that taxes it; s, the rent share); absent, ω = 0 and s = 1.
        wf = world.get("welfare")
        self.welfare = (0.0, 1.0) if wf is None else (
            d(wf["supply_inverse"], "world.welfare.supply_inverse"),
            d(wf["rent_share"], "world.welfare.rent_share"),
        )
        # Beliefs as inference (MODEL.md 3.4, phase 5): (r, the share of the gap to the start
        # that belief and threat close in a year; Δθ, the threat's rise toward 1 in a round
        # under the rival's sanction; β, internal balancing; β_θ, arming beside the alliance,
        # or None), or None: the signal is the conduct, nothing recovers, the threat is fixed
        # and nobody balances.
        bf = world.get("beliefs")
        self.beliefs = None if bf is None else (
            d(bf["recovery"], "world.beliefs.recovery"),
            d(bf["threat_shock"], "world.beliefs.threat_shock"),
            d(bf["balancing"], "world.beliefs.balancing"),
            None if bf.get("arming") is None else d(bf["arming"], "world.beliefs.arming"),
        )
        # What a rupture does (MODEL.md 3.4, phase 5): the share of its alignment an ally drops
        # when it leaves the guarantee, or None: a rupture is only recorded.
        rf = world.get("rupture")
        self.rupture = None if rf is None else d(
            rf["alignment_loss"], "world.rupture.alignment_loss"
        )
        # Security events (MODEL.md 3.4, phase 5): (round, kind, target names or None for
        # every actor but the hegemon, size), sorted by round, listed order kept within one.
        self.security_events = sorted(
            (
                (
                    int(e["round"]),
                    e["kind"],
                    list(e.get("targets") or []) or None,
                    d(e["size"], f"world.security_events[{k}].size"),
                )
                for k, e in enumerate(world.get("security_events") or [])
            ),
            key=lambda e: e[0],
        )
        # Deficit aversion (MODEL.md 3.4, blocs): name -> largest deficit with a bloc's
        # members, share of GDP, at which the actor still applies.
        self.max_bloc_deficit = {
            a["name"]: d(a["max_bloc_deficit"], f"actors.{a['name']}.max_bloc_deficit")
            for a in world["actors"]
            if a.get("max_bloc_deficit") is not None
        }
        self.hazards = {
            b["name"]: {
                k: d(v, f"blocs.{b['name']}.hazards.{k}") for k, v in b["hazards"].items()
            }
            for b in world.get("blocs") or []
        }
        self.strategy_kind, self.strategy = _strategy(sc["strategy"], d)
        shock = sc.get("court_shock")
        if shock is not None:
            # (from_round, hazard, cap on the reciprocal line, the legal basis it voids, the
            # interim surcharge (rate, rounds) or None, the share of refunds or None)
            cap = shock.get("cap")
            interim = shock.get("interim")
            refunds = shock.get("refunds")
            self.court = (
                int(shock["from_round"]),
                d(shock["hazard"], "court_shock.hazard"),
                math.inf if cap is None else d(cap, "court_shock.cap"),
                shock.get("voids"),
                None
                if interim is None
                else (d(interim["rate"], "court_shock.interim.rate"), int(interim["rounds"])),
                None if refunds is None else d(refunds, "court_shock.refunds"),
            )
        else:
            self.court = None
        for k, path in enumerate((sc.get("param_sample") or {}).get("paths") or []):
            if path not in used:
                raise ScenarioError(
                    f"param_sample.paths[{k}]: the port draws no parameter at {path!r}"
                )


def _sample_row(sc: dict, overrides: dict, seed: int, run: int) -> dict:
    """The run's row of the scenario's joint sample, by path ({} without a sample)."""
    sample = sc.get("param_sample")
    if sample is None:
        return {}
    paths, rows = sample["paths"], sample["rows"]
    if not paths:
        raise ScenarioError("param_sample.paths: lists no parameter")
    if not rows:
        raise ScenarioError("param_sample.rows: has no row")
    for k, path in enumerate(paths):
        if paths.index(path) != k:
            raise ScenarioError(f"param_sample.paths[{k}]: {path} is listed twice")
        if path in overrides:
            raise ScenarioError(f"param_sample.paths[{k}]: {path} is also in param_overrides")
    for r, row in enumerate(rows):
        if len(row) != len(paths):
            raise ScenarioError(
                f"param_sample.rows[{r}]: has {len(row)} values, but paths lists {len(paths)}"
            )
    row = rows[sample_row(seed, run, len(rows))]
    return {p: float(v) for p, v in zip(paths, row)}


def _paid_access(p: dict, d, prefix: str) -> dict:
    return {
        "floor": d(p["floor"], f"{prefix}.floor"),
        "max_rate": d(p["max_rate"], f"{prefix}.max_rate"),
        "deal_rates": {
            n: d(v, f"{prefix}.deal_rates.{n}") for n, v in p.get("deal_rates") or []
        },
        "default_deal_rate": d(p["default_deal_rate"], f"{prefix}.default_deal_rate"),
        "fee_share": d(p["fee_share"], f"{prefix}.fee_share"),
        # phi_f by target where it differs from fee_share (MODEL.md 3.2).
        "fee_shares": {
            n: d(v, f"{prefix}.fee_shares.{n}") for n, v in p.get("fee_shares") or []
        },
        "defense_target": d(p["defense_target"], f"{prefix}.defense_target"),
        "host_fees": {
            n: d(v, f"{prefix}.host_fees.{n}") for n, v in p.get("host_fees") or []
        },
        "linkage": d(p["linkage"], f"{prefix}.linkage"),
        # Caps a deal puts on the other lines: (measure, actor) -> cap (MODEL.md 3.2).
        "deal_caps": {
            (ms, n): d(v, f"{prefix}.deal_caps.{ms}.{n}")
            for ms, n, v in p.get("deal_caps") or []
        },
        # Pressure on non-dealers: (after, step, max), or None.
        "pressure": None if p.get("pressure") is None else (
            int(p["pressure"]["after"]),
            d(p["pressure"]["step"], f"{prefix}.pressure.step"),
            d(p["pressure"]["max"], f"{prefix}.pressure.max"),
        ),
        # Investment pledges as tracks (MODEL.md 3.2): name -> (stock, per_year, returns).
        "pledges": {
            n: (
                d(v["stock"], f"{prefix}.pledges.{n}.stock"),
                d(v["per_year"], f"{prefix}.pledges.{n}.per_year"),
                d(v["returns"], f"{prefix}.pledges.{n}.returns"),
            )
            for n, v in p.get("pledges") or []
        },
        # Purchase commitments (MODEL.md 3.2): name -> (per_year P, cost share c^P, years of
        # the term from the start of the run, or None: the whole run).
        "purchases": {
            n: (
                d(v["per_year"], f"{prefix}.purchases.{n}.per_year"),
                d(v["cost"], f"{prefix}.purchases.{n}.cost"),
                None if v.get("years") is None
                else d(v["years"], f"{prefix}.purchases.{n}.years"),
            )
            for n, v in p.get("purchases") or []
        },
        # The deal as separate tracks (MODEL.md 3.4): None (one bundle), or for each track
        # that is a condition of the framework the chance per round a breach is detected.
        "conditions": None if p.get("conditions") is None else {
            c["track"]: d(c["detect"], f"{prefix}.conditions.{c['track']}.detect")
            for c in p["conditions"]
        },
    }


def _strategy(s, d):
    """The strategy's kind and numbers; `d(param, path)` draws one Param."""
    if s == "OpenOrder":
        return "OpenOrder", {}
    if not isinstance(s, dict) or len(s) != 1:
        raise ScenarioError(f"strategy: unknown strategy {s!r}")
    (kind, body), = s.items()
    if kind == "TargetedPunitive":
        return kind, {"rate": d(body["rate"], "strategy.rate"), "targets": body["targets"]}
    if kind == "PaidAccess":
        return kind, _paid_access(body, d, "strategy")
    if kind == "AdaptiveExtortion":
        out = _paid_access(body["base"], d, "strategy")
        out["up"] = d(body["up"], "strategy.up")
        out["down"] = d(body["down"], "strategy.down")
        out["bounds"] = tuple(float(x) for x in body["bounds"])
        return kind, out
    if kind == "Reciprocal":
        return kind, {
            "base": d(body["base"], "strategy.base"),
            "step": d(body["step"], "strategy.step"),
        }
    if kind == "ConstrainedPaidAccess":
        out = _paid_access(body["base"], d, "strategy")
        out["cap"] = d(body["cap"], "strategy.cap")
        return kind, out
    raise ScenarioError(f"strategy: unknown strategy {kind!r}")
