"""The statecraft model as a Mesa model, written from MODEL.md alone (section 3).

One `State` agent per actor; the `Alliances` model steps the nine phases of MODEL.md 1.3 in
their fixed order. Within a phase every actor decides from the same state and the results are
applied in actor order. All randomness comes from the model's own `random.Random`, seeded from
(scenario seed, run index): a run is reproducible, but its draws are not those of statecraft
(the docking test compares distributions, not runs).
"""

from __future__ import annotations

import math

import mesa

from .scenario import Params

ACTIONS = ("C", "R", "G", "CG", "B")
TRACKS = ("Pledge", "Host", "Defense")  # a deal's tracks (MODEL.md 3.4), in statecraft's order
# Weights w_a of the security term (MODEL.md 3.3, Snyder).
SECURITY_WEIGHT = {"B": -0.1, "C": 0.0, "CG": 0.25, "G": 0.5, "R": 1.0}
HAZARD_OF_STAGE = {"Applied": "working_group", "WorkingGroup": "signed", "Signed": "in_force"}
ALWAYS = -(10**9)  # "in force since" of a membership from before the run
NEXT_STAGE = {"Applied": "WorkingGroup", "WorkingGroup": "Signed", "Signed": "InForce"}

# ε(t) and the horizon F/rpy of every round, and the parameters they were computed from: kept
# while those stay the same from run to run (statecraft's `step::Schedule`).
_SCHEDULE: list = [None, None]


def schedule(m: dict, rounds: int, rpy: int) -> tuple:
    """(ε(t), F/rpy) for t = 0 .. rounds-1: ε(t) = ε_LR − (ε_LR − ε_SR)·e^(−t/(rpy·T_adj)),
    F = Σ_{k=1..T−t} δ^k (MODEL.md 3.3, 3.4)."""
    key = (m["elasticity_lr"], m["elasticity_sr"], m["adjustment_years"], m["discount"], rounds, rpy)
    if _SCHEDULE[0] != key:
        eps = [
            m["elasticity_lr"] - (m["elasticity_lr"] - m["elasticity_sr"]) * math.exp(
                -t / (rpy * m["adjustment_years"])
            )
            for t in range(rounds)
        ]
        horizon = [
            sum(m["discount"] ** k for k in range(1, rounds - t + 1)) / rpy for t in range(rounds)
        ]
        _SCHEDULE[0], _SCHEDULE[1] = key, (eps, horizon)
    return _SCHEDULE[1]


def clamp(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


class State(mesa.Agent):
    """An actor: its drawn parameters and its state variables (MODEL.md 1.2)."""

    def __init__(self, model: "Alliances", idx: int, spec: dict, p: dict):
        super().__init__(model)
        self.idx = idx
        self.name = spec["name"]
        self.policy = spec["policy"]
        self.treaty_ally = bool(spec["treaty_ally"])
        self.pole = bool(spec.get("pole") or False)
        self.eligible = list(spec.get("eligible") or [])
        self.gdp = p["gdp"]
        self.d0 = p["defense"]
        self.s = p["security_dependence"]
        self.theta0 = p["threat"]
        # θ_i: the threat it faces, a state (MODEL.md 3.4, phase 5); fixed without beliefs.
        self.theta = self.theta0
        self.resolve = p["resolve"]
        self.h = p["hedging_capacity"]
        self.v = p["high_value_share"]
        self.e = p["exposure"]
        self.chi = p["chokepoint"]
        self.kappa0 = p["credibility"]
        self.lam = model.params.rationality.get(self.name, model.m["rationality"])
        # Share of exports to the hegemon in each product group outside the reciprocal line.
        self.groups = {g: float(w) for g, w in spec.get("export_groups") or []}
        # A counter-tariff package sized by value (MODEL.md 3.3), or None.
        self.package = model.params.package.get(self.name)
        # Deal terms (MODEL.md 3.4, settlement): the share of the counter-tariff kept in a
        # deal, the rounds a deal lasts (None: no expiry) and the chance of its renewal.
        self.keep, self.expiry, self.renewal = model.params.deal_terms.get(
            self.name, (0.0, None, 0.0)
        )
        # Export controls (MODEL.md 3.4, phase 6): (share, multiplier, spill), or None; in
        # force in a round of R; rounds in force; what others' controls cost it this round (bn
        # USD a year) and so far (bn USD).
        self.controls = model.params.export_controls.get(self.name)
        self.controls_on = False
        self.n_controls = 0
        self.controls_loss = 0.0
        self.controls_lost = 0.0
        # Safeguard against deflected imports (MODEL.md 3.4, trade): (surge θ, cut κ), or None;
        # in force this round; rounds in force. Its re-routed exports blocked by others'
        # safeguards this round (bn USD a year), their share β of all it re-routed this round
        # (ROW included; the next round's hedge price reads it), and so far (bn USD).
        self.safeguard = model.params.safeguard.get(self.name)
        self.safeguard_on = False
        self.n_safeguard = 0
        self.blocked = 0.0
        self.blocked_share = 0.0
        self.safeguard_blocked = 0.0
        self.term_age = 0  # deal rounds of the current term
        self.lapses = 0
        self.renewals = 0
        # State at round 0 (MODEL.md 3.1).
        self.tau = 0.0
        self.rho = 0.0
        self.eta = 0.0
        self.z = 0.0
        self.zc = 0.0  # z^C: the tilt toward the rival (MODEL.md 3.4, phase 5)
        self.kappa = self.kappa0
        # Whether a treaty ally's guarantee has ruptured (MODEL.md 3.4, phase 5).
        self.ruptured = False
        self.pi = model.m["prior_extortionist"]
        self.autonomy = p["autonomy"]
        self.d = self.d0
        self.paid = 0.0
        # Own defence commitment (MODEL.md 3.4): (target, yearly rise), or None.
        path = model.params.defense_path.get(self.name)
        self.path = None if path is None else (path[0], (path[0] - self.d0) / path[1])
        # Deficit aversion (MODEL.md 3.4, blocs), or None.
        self.max_bloc_deficit = model.params.max_bloc_deficit.get(self.name)
        # Investment pledge (MODEL.md 3.2): stock left, per_year, returns; or None.
        pledge = model.params.strategy.get("pledges", {}).get(self.name)
        self.pledge = None if pledge is None else list(pledge)
        self.pledge_disbursed = 0.0
        self.disburse = 0.0  # this round's disbursement, if in a deal
        # Purchase commitment (MODEL.md 3.2): (per_year, cost share, years or None), or None;
        # this round's P_i (0 past the term) and c^P_i; what it buys this round (bn USD a year) and has bought.
        self.purchase_spec = model.params.strategy.get("purchases", {}).get(self.name)
        self.purchase = 0.0
        self.purchase_cost = 0.0
        self.purchasing = 0.0
        self.purchased = 0.0
        self.deal_age = -1  # rounds since the current deal was made; -1: no deal
        # Deal dynamics (MODEL.md 3.5): deals made, re-opened by the renege hazard, rounds
        # ended with a deal in force, and the round of the first deal.
        self.deals = 0
        self.reneges = 0
        self.deal_rounds = 0
        self.first_deal = None
        self.mult = 1.0  # AdaptiveExtortion's m_i
        self.step_level = 0.0  # Reciprocal's accumulated steps
        self.rolled_back = False
        self.sanction_timer = 0
        self.sanctions = 0  # sanctions the rival imposed (renewals counted)
        self.sanction_lost = 0.0  # exports to the rival cut by them, bn USD
        self.hedge_rounds = 0
        self.tau_hist = [0.0, 0.0]  # tau at t-2, t-1
        self.prev_offer = 0.0
        # The other lines (MODEL.md 3.2): b in force, this round's b^offer and b^deal.
        self.b = 0.0
        self.b_offer = self.b_deal = 0.0
        self.b_is_deal = False  # whether b is b^deal (a deal in force) or b^offer
        self.b_hist = [0.0, 0.0]  # b in force at t-2, t-1
        self.prev_b_offer = 0.0
        self.no_deal = 0  # consecutive rounds without a deal (C, CG, B): pressure
        self.suspended = False  # no counter-tariff, or a package whose trigger is not passed
        self.retaliated_last = False
        self.p_back_last = 0.0
        self.counts = dict.fromkeys(ACTIONS, 0)
        self.cost_sum = 0.0
        self.diversion_sum = 0.0  # the price of diversion, part of cost_sum
        # National welfare (MODEL.md 3.4, welfare): the sum over rounds of W_i/Y_i (% of GDP,
        # annual rate; negative: a loss), and its net terms-of-trade transfer so far (bn USD).
        self.welfare_sum = 0.0
        self.tot = 0.0
        # The deal's tracks kept this round (all in a bundle), and their tallies.
        self.kept = set(TRACKS)
        self.priced_kept = set(TRACKS)  # the tracks costs() found worth keeping
        self.q0 = None  # X_io(0), where a hedge sells; set on first use
        # D_i(η) computed this round, by η, at the elasticity diversion_eps.
        self.diversion_eps = None
        self.diversion_at = {}
        self.rise = 0.0  # Δd_i of this round's demand (decide)
        self.package_rho = 0.0  # ρ of its package, set with X(0)
        self.gap = 0.0
        self.breaches = 0
        self.snapbacks = 0
        # Per-round values (demand, decision, settlement).
        self.offer = self.deal = self.fee = self.host = self.esc = 0.0
        self.action = "C"
        # Whether the action answers a demand (MODEL.md 3.3, no demand, no response): the
        # status quo under no demand acts as C but is counted in no tally and written as none.
        self.answered = False
        self.p_back = 0.0
        self.payment = 0.0
        self.d_eta = 0.0
        self.d_z = 0.0
        self.d_prev = self.d0
        # Whether this round's deal had the actor take a security step with the hegemon
        # (host-nation support paid or a defence rise, on the tracks it keeps): MODEL.md 3.4.
        self.security_step = False

    # -- phase 2: response ------------------------------------------------------------------
    def loss(self, tau: float, b: float, xbar: float) -> float:
        """L_i(tau) with the other lines at b, % of GDP."""
        m = self.model.m
        return (
            100.0 * m["volume_loss_weight"] * (1 + self.v) * xbar
            * (1 - self.model.factor(1 + self.e * tau + b)) / self.gdp
        )

    def counter_tariff(self, tau: float | None = None) -> float:
        """rho of a retaliation: the match of the escalated tariff (or of `tau`), or the
        package's, which does not depend on the tariff."""
        m = self.model.m
        if self.package is None:
            return m["retaliation_match"] * (self.esc if tau is None else tau)
        return self.package_rho

    def kept_counter(self) -> float:
        """rho^keep_i: the counter-tariff the actor keeps in a deal at tau^deal (MODEL.md 3.4,
        deal terms); 0 when none stands or it keeps nothing."""
        if self.rho > 0 and self.keep > 0:
            return self.keep * self.counter_tariff(self.deal)
        return 0.0

    def lapse_hazard(self) -> float:
        """lambda^lapse_i = (1 - p^ren_i)/E_i, 0 without an expiry (MODEL.md 3.3)."""
        return 0.0 if self.expiry is None else (1 - self.renewal) / self.expiry

    def costs(self) -> dict:
        """The cost of each action (MODEL.md 3.3), % of GDP."""
        model = self.model
        m = model.m
        i = self.idx
        factor = model.factor
        x0 = model.x0[i][model.h]
        xbar = x0 * (1 - self.eta)
        fy = model.horizon
        d_def = self.rise
        link = model.linkage
        # s·θ·(1 − a_i): the part of the security term that does not depend on the action.
        base = self.s * self.theta * (1 - self.autonomy)

        def sec(a):
            return (
                base
                * clamp((1 - self.kappa) + link * SECURITY_WEIGHT[a], 0.0, 1.0)
                * m["security_weight"]
            )

        l_offer = self.loss(self.offer, self.b_offer, xbar)
        l_deal = self.loss(self.deal, self.b_deal, xbar)
        self.gap = l_offer - l_deal
        if model.conditions is None:
            k = (
                100.0 * (self.fee + self.purchase_loss() + self.host + d_def * self.gdp)
                / self.gdp * (1 + self.resolve)
            )
        else:
            # The keep decision is priced in K: decide() takes it from here.
            k, self.priced_kept = self.tracks()
        # Deal terms: the kept counter-tariff's cost at home, and the lapse at expiry priced
        # like a renege (MODEL.md 3.3).
        rho_keep = self.kept_counter()
        k += 100.0 * m["retaliation_cost"] * model.x0[model.h][i] * (1 - factor(1 + rho_keep)) / self.gdp
        # A security step the deal asks and the actor keeps: the rival's sanction at q_S,
        # priced as B prices alignment (MODEL.md 3.4, security triggers).
        q_s = model.params.security_hazard
        if q_s is not None and model.rival is not None and i != model.rival:
            kept = set(TRACKS) if model.conditions is None else self.priced_kept
            if ("Host" in kept and self.host > 0) or ("Defense" in kept and d_def > 0):
                k += q_s * model.x[i][model.rival] / self.gdp * m["entrapment_weight"]
        reopen = m["renege_hazard"] + self.lapse_hazard()
        renege = reopen * fy * (l_offer - l_deal)
        c = {"C": l_deal + k + renege + sec("C")}
        # R: escalation, the counter-tariff's cost at home, resolve, the roll-back contest.
        if self.suspended:
            self.p_back = 0.0
            c["R"] = math.inf
        else:
            rho = self.counter_tariff()
            self.p_back = model.rollback_probability(self, rho)
            c["R"] = (
                self.loss(self.esc, self.b_offer, xbar)
                + 100.0 * m["retaliation_cost"] * model.x0[model.h][i]
                * (1 - factor(1 + rho)) / self.gdp
                - self.resolve * m["resolve_benefit"]
                - self.p_back * fy * (l_offer - l_deal)
                + sec("R")
            )
            if self.controls is not None:
                # The sales its export controls withhold while in force (MODEL.md 3.3 R).
                c["R"] += (
                    100.0 * m["volume_loss_weight"] * (1 + self.v)
                    * model.withheld[i] / self.gdp
                )
        d_eta = min(m["hedge_speed"] * self.h, m["max_hedge"] - self.eta)
        # The hedge's saving per unit, at the effective offer (the trade factors of G are
        # those of e*tau^offer + b^offer, MODEL.md 3.3).
        s_g = (
            100.0 * m["volume_loss_weight"] * (1 + self.v) * x0
            * (1 - factor(1 + self.e * self.offer + self.b_offer)) / self.gdp
        )

        # The diverted stock sells at lower prices elsewhere (MODEL.md 3.4, D_i(eta)).
        weight = 100.0 * m["volume_loss_weight"] * (1 + self.v) / self.gdp
        diverted = self.diversion_loss(self.eta)

        # The share of a new step that third countries' safeguards would block: last round's
        # blocked share of its re-routed exports (MODEL.md 3.3 G, adaptive expectations).
        beta = self.blocked_share

        def hedge_terms(de, saving=s_g):
            return (
                100.0 * m["hedge_cost"] * de * xbar / self.gdp - de * saving * fy
                + weight * (self.diversion_loss(self.eta + de) - diverted) * fy
                + weight * beta * de * x0 * fy
            )

        c["G"] = l_offer + hedge_terms(d_eta) + sec("G")
        share = model.params.concede_hedge_share
        if share is None:
            cg_hedge = hedge_terms(d_eta / 2)
        else:
            # Concede-and-hedge as its own bundle: its share of a step, the saving per unit at
            # the deal's effective tariff, the one it keeps facing (MODEL.md 3.3).
            s_cg = (
                100.0 * m["volume_loss_weight"] * (1 + self.v) * x0
                * (1 - factor(1 + self.e * self.deal + self.b_deal)) / self.gdp
            )
            cg_hedge = hedge_terms(share * d_eta, s_cg)
        c["CG"] = l_deal + k + renege + cg_hedge + sec("CG")
        if i == model.rival:
            c["B"] = math.inf
        else:
            # Without a rival there is no entrapment (MODEL.md 3.3).
            x_ic = model.x[i][model.rival] if model.rival is not None else 0.0
            deal_b = self.deal * (1 - m["bandwagon_discount"])
            l_b = self.loss(deal_b, self.b_deal, xbar)
            c["B"] = (
                l_b + k + reopen * fy * (l_offer - l_b)
                + m["rival_sanction_hazard"] * x_ic / self.gdp * m["entrapment_weight"]
                + sec("B")
            )
        return c

    def diversion_loss(self, eta: float) -> float:
        """D_i(eta), bn USD a year: the diverted stock eta*X_iH(0) sold where the actor sold
        X_io(0) (every market but itself and the hegemon, ROW included), at the CES price with
        sigma = 1 + eps(t): X_io(0)*[(1 + h) - (1 + h)^(1 - 1/sigma)], h = eta*X_iH(0)/X_io(0)."""
        model = self.model
        # Kept for the round's elasticity: the response prices the stocks that accounting
        # and welfare then book (statecraft's `DiversionMemo`).
        if self.diversion_eps != model.eps:
            self.diversion_eps = model.eps
            self.diversion_at = {}
        found = self.diversion_at.get(eta)
        if found is not None:
            return found
        i, h = self.idx, model.h
        if self.q0 is None:
            self.q0 = sum(model.x0[i][j] for j in range(model.n + 1) if j not in (i, h))
        q0 = self.q0
        if eta <= 0 or q0 <= 0:
            value = 0.0
        else:
            g = 1 + eta * model.x0[i][h] / q0
            value = q0 * (g - g ** (1 - 1 / (1 + model.eps)))
        self.diversion_at[eta] = value
        return value

    def track_costs(self) -> dict:
        """The yearly cost of each track of a deal, % of GDP, raised by resolve."""
        felt = 100.0 / self.gdp * (1 + self.resolve)
        return {
            "Pledge": (self.fee + self.purchase_loss()) * felt,
            "Host": self.host * felt,
            "Defense": self.rise * self.gdp * felt,
        }

    def purchase_loss(self) -> float:
        """c^P_i*P_i: the yearly loss of the purchase commitment, bn USD; it rides on the
        Pledge track (MODEL.md 3.2)."""
        return self.purchase_cost * self.purchase

    def tracks(self) -> tuple:
        """(K_i, kept tracks) of a deal of separate tracks (MODEL.md 3.4): a track is kept
        when its cost is at most detect * F_y * gap; K counts the smaller of the two."""
        conditions = self.model.conditions
        k = 0.0
        kept = set()
        for t, cost in self.track_costs().items():
            detect = conditions.get(t)
            threat = 0.0 if detect is None else detect * self.model.horizon * max(self.gap, 0.0)
            if cost <= threat:
                kept.add(t)
                k += cost
            else:
                k += threat
        return k, kept

    def defense_rise(self) -> float:
        """Delta d_i: the year's defence rise a deal commits the actor to (MODEL.md 3.4)."""
        if self.s <= 0:
            return 0.0
        g = self.model.defense_target
        m = self.model.m
        c = self.commitment()
        return max(0.0, min(max(0.0, m["defense_adjustment"] * max(0.0, g - self.d0) - c), g - self.d))

    def commitment(self) -> float:
        """c_i: the yearly rise of the actor's own defence path while below its target."""
        if self.path is None or self.d >= self.path[0]:
            return 0.0
        return max(0.0, self.path[1])

    def decide(self) -> None:
        """Phase 2: choose one of the five actions."""
        model = self.model
        u = model.random.random()  # the decision draw, one per actor and round
        if self.idx == model.h:
            return
        # The year's defence rise the deal asks: d_i does not move before settlement takes
        # it, so it is computed once a round (statecraft's `defense_step`).
        self.rise = self.defense_rise()
        if (
            self.offer == 0 and self.b_offer == 0 and self.fee == 0 and self.host == 0
            and self.purchase == 0 and self.rise == 0
        ):
            self.action = "C"  # no demand, no response: the status quo
            self.answered = False
            self.p_back = 0.0
            return
        self.answered = True
        # R needs a counter-tariff to set (none under a voided basis without a package), and
        # a suspended package allows R only while the effective offer exceeds the trigger.
        pkg = self.package
        self.suspended = self.counter_tariff() <= 0 or (
            pkg is not None and pkg["trigger"] is not None
            and not self.e * self.offer + self.b_offer > pkg["trigger"]
        )
        policy = self.policy
        if policy == "Quantal":
            c = self.costs()
            self.action = choose(c, self.lam, u)
            if model.conditions is not None:
                self.kept = self.priced_kept
            return
        if isinstance(policy, dict) and "Threshold" in policy:
            c = self.costs()
            tough = policy["Threshold"]["toughness"]
            concede = c["R"] - c["C"] > (tough - 1) * abs(c["C"])
            self.action = "C" if concede else "R"
            if model.conditions is not None:
                self.kept = self.priced_kept
            return
        if policy == "TitForTat":
            self.costs()  # P_back of a retaliation
            rose = (
                self.tau_hist[1] > self.tau_hist[0] or self.offer > self.prev_offer
                or self.b_hist[1] > self.b_hist[0] or self.b_offer > self.prev_b_offer
            )
            # A fixed policy that would retaliate with a suspended package concedes.
            self.action = "R" if rose and not self.suspended else "C"
            return
        fixed = {
            "AlwaysConcede": "C",
            "AlwaysRetaliate": "R",
            "AlwaysHedge": "G",
            "ConcedeAndHedge": "CG",
        }
        if policy in fixed:
            self.action = fixed[policy]
            if self.action == "R":
                if self.suspended:
                    self.action = "C"
                self.costs()
            return
        if policy == "Bandwagon":
            no_rival = model.rival is None or self.idx == model.rival
            self.action = "C" if no_rival else "B"
            return
        raise ValueError(f"actors.{self.name}.policy: unknown policy {policy!r}")

    # -- phase 3: settlement ----------------------------------------------------------------
    def settle(self) -> None:
        model = self.model
        m = model.m
        u = model.random.random()  # the deal stream's renege draw, one per actor and round
        # With separate tracks, the detection draw, one per actor and round.
        u_detect = model.random.random() if model.conditions is not None else 1.0
        # With an expiry among the deal terms, the renewal draw, one per actor and round.
        u_renew = model.random.random() if model.any_expiry else 1.0
        self.security_step = False
        self.purchasing = 0.0
        if self.idx == model.h:
            return
        a = self.action
        self.payment = 0.0
        self.d_eta = 0.0
        self.d_z = 0.0
        self.d_prev = self.d
        d_eta_full = min(m["hedge_speed"] * self.h, m["max_hedge"] - self.eta)
        if a in ("C", "CG", "B"):
            self.tau = self.deal * (1 - m["bandwagon_discount"]) if a == "B" else self.deal
            self.b = self.b_deal
            self.b_is_deal = True
            self.no_deal = 0
            # Deal terms: a standing counter-tariff is kept at k_i times its rule at the deal
            # rate (undiscounted under B); else lifted whole (MODEL.md 3.4).
            self.rho = self.kept_counter()
            kept = self.kept
            breached = detected = False
            if model.conditions is not None:
                asked = {"Pledge": self.fee + self.purchase_loss() > 0, "Host": self.host > 0,
                         "Defense": self.rise > 0}
                broken = [t for t in TRACKS if asked[t] and t not in kept]
                breached = bool(broken)
                unseen = 1.0
                for t in broken:
                    if t in model.conditions:
                        unseen *= 1.0 - model.conditions[t]
                detected = u_detect < 1.0 - unseen
                self.payment = (
                    (self.fee if "Pledge" in kept else 0.0)
                    + (self.host if "Host" in kept else 0.0)
                ) / model.rpy
            else:
                self.payment = (self.fee + self.host) / model.rpy
            step = self.rise if "Defense" in kept else 0.0
            self.d += step / model.rpy
            self.security_step = ("Host" in kept and self.host > 0) or step > 0
            if self.pledge is not None and "Pledge" in kept:
                self.pledge[0] -= self.disburse
                self.pledge_disbursed += self.disburse
            if "Pledge" in kept:
                # The purchase commitment rides on the Pledge track (MODEL.md 3.2); a re-open
                # later in this round leaves it bought.
                self.purchasing = self.purchase
                self.purchased += self.purchase / model.rpy
            if a == "B":
                self.d_z = min(m["alignment_step"], 1 - self.z)
                self.z += self.d_z
                # Alignment with the hegemon displaces a tilt toward the rival.
                self.zc = min(self.zc, 1 - self.z)
            if a == "CG":
                self.d_eta = model.cg_share() * d_eta_full
            self.deal_age += 1
            if self.deal_age == 0:
                self.deals += 1
            reneged = self.deal_age >= 1 and u < m["renege_hazard"]
            if reneged:
                self.reneges += 1
            if breached:
                self.breaches += 1
                if detected and not reneged:
                    self.snapbacks += 1
            lapsed = False
            if reneged or detected:
                self.term_age = 0
            elif self.expiry is not None:
                self.term_age += 1
                if self.term_age >= math.floor(self.expiry + 0.5):
                    self.term_age = 0
                    if u_renew < self.renewal:
                        self.renewals += 1
                    else:
                        self.lapses += 1
                        lapsed = True
            if reneged or detected or lapsed:
                # This round's offer: the deal rate while rolled back (MODEL.md 3.4); the full
                # offer returns with the next round's demand.
                self.tau = self.offer
                self.b = self.b_offer
                self.b_is_deal = False
                self.rolled_back = False
                self.deal_age = -1
        elif a == "R":
            self.tau = self.esc
            self.b = self.b_offer
            self.b_is_deal = False
            self.rho = self.counter_tariff()
            self.deal_age = -1
            self.term_age = 0
            self.no_deal += 1
        else:  # G
            self.tau = self.offer
            self.b = self.b_offer
            self.b_is_deal = False
            self.no_deal += 1
            self.rho = 0.0
            self.d_eta = d_eta_full
            self.deal_age = -1
            self.term_age = 0
        self.paid += self.payment
        if self.path is not None and self.d < self.path[0]:
            # Own defence commitment, whatever the action (MODEL.md 3.4).
            self.d = min(self.path[0], self.d + self.commitment() / model.rpy)
        if self.answered:
            self.counts[a] += 1
        if a in ("G", "CG"):
            self.hedge_rounds += 1


def choose(costs: dict, lam: float, u: float) -> str:
    """Logit quantal response (McKelvey-Palfrey) with one uniform u."""
    finite = [a for a in ACTIONS if costs[a] != math.inf]
    cmin = min(costs[a] for a in finite)
    w = [math.exp(-lam * (costs[a] - cmin)) for a in finite]
    total = sum(w)
    acc = 0.0
    for a, wa in zip(finite, w):
        acc += wa / total
        if u < acc:
            return a
    return finite[-1]


class Alliances(mesa.Model):
    """One run of the model (MODEL.md 1.3): `step()` is one round of nine phases."""

    def __init__(self, scenario: dict, run: int, seed: int):
        # The run's generator: seeded by (scenario seed, run index).
        super().__init__(seed=(seed * 1_000_003 + run) & 0xFFFF_FFFF_FFFF)
        self.params = Params(scenario, self.random, seed, run)
        world = scenario["world"]
        self.m = self.params.model
        self.rpy = scenario["rounds_per_year"]
        self.T = scenario["rounds"]
        names = [a["name"] for a in world["actors"]]
        self.index = {n: k for k, n in enumerate(names)}
        self.n = len(names)
        self.row = self.n  # ROW is the last trade column
        self.h = self.index[world["hegemon"]]
        self.rival = self.index[world["rival"]] if world.get("rival") is not None else None
        self.actors = [
            State(self, k, spec, self.params.actor[spec["name"]])
            for k, spec in enumerate(world["actors"])
        ]
        row_name = world["rest_of_world"]
        self.x0 = [[0.0] * (self.n + 1) for _ in range(self.n)]
        for tr in world["trade"]:
            j = self.row if tr["to"] == row_name else self.index[tr["to"]]
            self.x0[self.index[tr["from"]]][j] = float(tr["value"])
        self.x = [r[:] for r in self.x0]
        # s_iC: each actor's share of its exports at the start (ROW included) that go to the
        # rival, the pull of its tilt (MODEL.md 3.4, phase 5).
        self.rival_share0 = [
            (self.x0[i][self.rival] / sum(self.x0[i]) if sum(self.x0[i]) > 0 else 0.0)
            if self.rival is not None and i != self.rival
            else 0.0
            for i in range(self.n)
        ]
        self.affinity_default = world["default_affinity"]
        self.affinity = {
            (self.index[a["from"]], self.index[a["to"]]): a["value"]
            for a in world.get("affinity") or []
        }
        # Blocs: stage of each actor (None, a pending stage, or the round from which in force).
        self.blocs = []
        for b in world.get("blocs") or []:
            self.blocs.append(
                {
                    "name": b["name"],
                    "regional": bool(b["regional"]),
                    # A bilateral FTA: the premium like a regional bloc, in no regional metric.
                    "fta": bool(b.get("fta", False)),
                    "veto": b["veto_threshold"],
                    "hazards": self.params.hazards[b["name"]],
                    "since": {},  # actor -> round from which in force
                    "pending": {},  # actor -> stage
                    "initial": set(),
                }
            )
        bidx = {b["name"]: k for k, b in enumerate(self.blocs)}
        for k, spec in enumerate(world["actors"]):
            for bn in spec.get("blocs") or []:
                # In force before the run: fully phased in (MODEL.md 3.4, trade).
                self.blocs[bidx[bn]]["since"][k] = ALWAYS
                self.blocs[bidx[bn]]["initial"].add(k)
            for app in spec.get("applications") or []:
                self.blocs[bidx[app["bloc"]]]["pending"][k] = app["stage"]
        self.bidx = bidx
        # Strategy constants.
        kind, st = self.params.strategy_kind, self.params.strategy
        self.kind, self.st = kind, st
        self.defense_target = st.get("defense_target", 0.0) if "floor" in st else 0.0
        self.linkage = st.get("linkage", 0.0) if "floor" in st else 0.0
        # Separate tracks: the detection chance of each track that is a condition, or None.
        self.conditions = st.get("conditions") if "floor" in st else None
        # Whether some actor's deal terms have an expiry: the renewal draw (MODEL.md 3.5).
        self.any_expiry = any(a.expiry is not None for a in self.actors)
        self.ustr = [0.0] * self.n
        self.fee_base = [0.0] * self.n
        if "floor" in st:
            for i in range(self.n):
                xi, xh = self.x0[i][self.h], self.x0[self.h][i]
                formula = 0.5 * (xi - xh) / xi if xi > 0 else -math.inf
                self.ustr[i] = min(st["max_rate"], max(st["floor"], formula))
                share = st["fee_shares"].get(names[i], st["fee_share"])
                self.fee_base[i] = share * max(0.0, xi - xh)
        self.constrained = False
        self.court_round = None
        self.cap = st["cap"] if kind == "ConstrainedPaidAccess" else math.inf
        self.init_lines(world, scenario.get("timeline") or [])
        self.retaliators_last = []  # (actor, rho) of last round's retaliators
        # Observation.
        self.t = 0
        self.rent = 0.0
        # The largest coalition of retaliating allies; the hegemon's trade-weighted effective
        # tariff, summed over rounds and its peak (MODEL.md 3.5).
        self.peak_coalition = 0
        self.tariff_sum = 0.0
        self.tariff_peak = 0.0
        # The hegemon's tariff revenue over the run and the part foreign exporters bore (bn USD).
        self.tariff_revenue = 0.0
        self.revenue_borne = 0.0
        # ... and the part the rival's exporters bore (bn USD).
        self.rival_borne = 0.0
        self.first_rupture = None
        # Treaty allies ruptured so far (MODEL.md 3.4, phase 5).
        self.ruptures = 0
        self.rival_first_r = None
        self.truce = None
        self.cross0 = self.crossing_share()
        self.hhi0 = [self.hhi(i) for i in range(self.n)]
        self.constants()

    def constants(self) -> None:
        """What the run computes once from its drawn values and X(0) (statecraft's `Ctx`):
        each package's ρ, the sales export controls withhold and their roll-back weight, each
        safeguard's trigger, the round's security events, ε(t) and the horizon of each round;
        and the caches of values derived from the state, kept while it does not change
        (statecraft's `Cache`): the round's trade factors, the re-routing weights, the other
        lines' tariffs and the roll-back weights of last round's retaliators."""
        h, n = self.h, self.n
        for a in self.actors:
            if a.package is not None:
                x_hi = self.x0[h][a.idx]
                share = min(1.0, a.package["value"] / x_hi) if x_hi > 0 else 1.0
                a.package_rho = share * a.package["rate"]
        # W_c = s_x·(X_cH(0) + spill·Σ_j X_cj(0)), j ∉ {c, H}: sales withheld, bn USD a year;
        # λ_x·s_x·X_kH(0)/Y_H: what k's export controls add to its roll-back weight.
        self.withheld = [0.0] * n
        self.controls_w = [0.0] * n
        for a in self.actors:
            if a.controls is None:
                continue
            c = a.idx
            share, mult, spill = a.controls
            third = sum(self.x0[c][j] for j in range(n) if j not in (c, h))
            self.withheld[c] = share * (self.x0[c][h] + spill * third)
            self.controls_w[c] = mult * share * self.x0[c][h] / self.actors[h].gdp
        # θ_j·M_j(0): the inflow that triggers j's safeguard.
        self.guard_trigger = [
            a.safeguard[0] * sum(self.x0[i][a.idx] for i in range(n) if i != a.idx and i != h)
            if a.safeguard is not None else 0.0
            for a in self.actors
        ]
        self.any_safeguard = any(a.safeguard is not None and a.idx != h for a in self.actors)
        self.events_at = {}
        for e in self.params.security_events:
            self.events_at.setdefault(e[0], []).append(e)
        self.eps_t, self.horizon_t = schedule(self.m, self.T, self.rpy)
        self.factors = {}
        # Re-routing: 1 + π_RTA·phase of each pair, and each exporter's weights and their sum,
        # for the (year, memberships changed) they were computed at, and whether a premium was
        # still phasing in then.
        self.reroute_key = None
        self.phasing_in = False
        self.bloc_changes = 0
        # (b^offer, b^deal) of each actor, for the key (timeline events applied, bases
        # voided, interim rate) they were computed at.
        self.lines_changes = 0
        self.lines_cache = [(None, (0.0, 0.0))] * n
        self.retaliator_weights = []

    def factor(self, base: float) -> float:
        """base^(−ε(t)): the trade factor of a tariff x, base = 1 + x, at this round's
        elasticity; computed once a round for each distinct tariff (statecraft's
        `Cache::factors`) and read by the response, trade and accounting."""
        f = self.factors.get(base)
        if f is None:
            f = self.factors[base] = base ** (-self.eps)
        return f

    def init_lines(self, world: dict, timeline: list) -> None:
        """The other tariff lines, their coverage of each actor, and the timeline (MODEL.md 3.2)."""
        self.recip_basis = world.get("reciprocal_basis") or "discretionary"
        self.lines = []
        for ms in world.get("measures") or []:
            cov = []
            for a in self.actors:
                c = sum(w for g, w in a.groups.items() if g in ms["covers"])
                if "reciprocal" in ms["covers"]:
                    c += a.e  # a surcharge stacking on the reciprocal line
                cov.append(c)
            self.lines.append(
                {
                    "name": ms["name"],
                    "basis": ms["basis"],
                    "cov": cov,
                    "rate": [0.0] * self.n,
                    "pause": [None] * self.n,
                    "deal_cap": [math.inf] * self.n,
                }
            )
        self.line_index = {ln["name"]: k for k, ln in enumerate(self.lines)}
        for (ms, name), cap in (self.st.get("deal_caps") or {}).items():
            self.lines[self.line_index[ms]]["deal_cap"][self.index[name]] = cap
        # The reciprocal line's timeline state: a Set offer replacing the strategy's, a pause.
        self.recip_set = [None] * self.n
        self.recip_pause = [None] * self.n
        self.void = set()  # legal bases void from now on
        self.interim = set()  # the actors the ruling's interim surcharge applies to
        self.voidable = 0.0  # duties collected under the basis a ruling voids, until it (bn USD)
        self.events = {}
        for ev in timeline:
            self.events.setdefault(int(ev["round"]), []).append(ev)

    def apply_timeline(self) -> None:
        """The events of this round, in the order listed, before the strategy acts."""
        for ev in self.events.get(self.t, []):
            self.lines_changes += 1
            name = ev["measure"]
            targets = ev.get("targets") or [a.name for a in self.actors if a.idx != self.h]
            idx = [self.index[n] for n in targets]
            op = ev["op"]
            (kind, arg), = op.items() if isinstance(op, dict) else ((op, None),)
            if name == "reciprocal":
                basis = self.recip_basis
                if kind == "Set":
                    for i in idx:
                        self.recip_set[i] = float(arg)
                elif kind == "Pause":
                    for i in idx:
                        self.recip_pause[i] = float(arg)
                elif kind == "Resume":
                    for i in idx:
                        self.recip_pause[i] = None
                elif kind == "Clear":
                    for i in idx:
                        self.recip_set[i] = None
            else:
                ln = self.lines[self.line_index[name]]
                basis = ln["basis"]
                if kind == "Set":
                    for i in idx:
                        ln["rate"][i] = float(arg)
                elif kind == "Pause":
                    for i in idx:
                        ln["pause"][i] = float(arg)
                elif kind == "Resume":
                    for i in idx:
                        ln["pause"][i] = None
                elif kind == "Clear":
                    for i in idx:
                        ln["rate"][i] = 0.0
            if kind == "Void":
                self.void.add(basis)
            elif kind not in ("Set", "Pause", "Resume", "Clear"):
                raise ValueError(f"timeline: unknown op {op!r}")

    def other_lines(self, i: int) -> tuple:
        """(b^offer_i, b^deal_i): the other lines' effective tariff with no deal and under one;
        recomputed only when a timeline event, a voided basis or the interim rate changes it."""
        interim = self.interim_rate(i)
        key = (self.lines_changes, len(self.void), interim)
        if self.lines_cache[i][0] == key:
            return self.lines_cache[i][1]
        # The ruling's interim surcharge on the reciprocal share, with or without a deal.
        b_offer = b_deal = self.actors[i].e * interim
        for ln in self.lines:
            c = ln["cov"][i]
            if c == 0 or ln["basis"] in self.void:
                continue
            rate = self.line_rate(ln, i)
            b_offer += c * rate
            b_deal += c * min(rate, ln["deal_cap"][i])
        self.lines_cache[i] = (key, (b_offer, b_deal))
        return b_offer, b_deal

    # -- helpers -----------------------------------------------------------------------------
    def in_force(self, bloc: dict, k: int, t: int) -> bool:
        since = bloc["since"].get(k)
        return since is not None and since <= t

    def share_regional(self, i: int, j: int, t: int) -> bool:
        if j >= self.n:
            return False
        return any(
            b["regional"] and self.in_force(b, i, t) and self.in_force(b, j, t)
            for b in self.blocs
        )

    def phase_in(self, i: int, j: int, t: int) -> float:
        """The RTA premium's phase-in for a pair in a regional bloc or FTA in force (0 if none)."""
        if j >= self.n:
            return 0.0
        years = self.m["rta_phase_in_years"]
        best = 0.0
        for b in self.blocs:
            if (b["regional"] or b["fta"]) and self.in_force(b, i, t) and self.in_force(b, j, t):
                start = max(b["since"][i], b["since"][j])
                if years <= 0:
                    return 1.0
                steps = t // self.rpy - start // self.rpy + 1
                best = max(best, min(1.0, steps / years))
        return best

    def crossing_share(self) -> float:
        total = cross = 0.0
        for i in range(self.n):
            for j in range(self.n + 1):
                x = self.x[i][j]
                total += x
                if not self.share_regional(i, j, self.t):
                    cross += x
        return cross / total if total > 0 else 0.0

    def hhi(self, i: int) -> float:
        tot = sum(self.x[i])
        return sum((x / tot) ** 2 for x in self.x[i]) if tot > 0 else 0.0

    def cg_share(self) -> float:
        """The share of a full hedge step a CG round adds: s^CG, or 1/2 (MODEL.md 3.3)."""
        share = self.params.concede_hedge_share
        return 0.5 if share is None else share

    def controls_phase(self) -> None:
        """After settlement: export controls in force in a round of R; importers' losses."""
        h = self.h
        for a in self.actors:
            a.controls_loss = 0.0
        for c in self.actors:
            c.controls_on = c.controls is not None and c.idx != h and c.action == "R"
            if not c.controls_on:
                continue
            c.n_controls += 1
            share, mult, spill = c.controls
            for j in self.actors:
                if j.idx == c.idx:
                    continue
                cut = mult * share * self.x0[c.idx][j.idx]
                j.controls_loss += cut if j.idx == h else cut * spill
        for a in self.actors:
            a.controls_lost += a.controls_loss / self.rpy

    def rollback_probability(self, agent: State, rho: float) -> float:
        m = self.m
        yh = self.actors[self.h].gdp
        total = 0.0
        for k, w_k, cw_k in self.retaliator_weights:
            if k != agent.idx:
                total += w_k
                total += cw_k
        total += rho * self.x0[self.h][agent.idx] / yh * (1 + agent.chi)
        total += self.controls_w[agent.idx]
        denom = total + m["hegemon_weight"]
        return total / denom if denom > 0 else 0.0

    def tariff_cap(self) -> float:
        cap = min(self.m["max_tariff"], self.cap)
        if self.constrained:
            cap = min(cap, self.params.court[2])
        return cap

    # -- the phases ---------------------------------------------------------------------------
    def shocks(self) -> None:
        """Phase 0: the authority shock."""
        u = self.random.random()
        court = self.params.court
        if court is not None and not self.constrained and self.t >= court[0] and u < court[1]:
            self.constrained = True
            self.court_round = self.t
            if court[3] is not None:
                if court[4] is not None:
                    # The interim surcharge applies to every actor with a line of the voided
                    # basis in force now, before the voiding and this round's events.
                    self.interim = {
                        a.idx for a in self.actors
                        if a.idx != self.h and self.basis_in_force(a, court[3])
                    }
                self.void.add(court[3])  # the basis it voids, for the rest of the run

    def basis_in_force(self, a: State, basis: str) -> bool:
        """Whether a line of legal basis `basis` is in force on actor `a` (MODEL.md 3.4, 0)."""
        if basis in self.void:
            return False
        if self.recip_basis == basis and a.e * a.tau > 0:
            return True
        return any(
            ln["basis"] == basis and ln["cov"][a.idx] > 0 and self.line_rate(ln, a.idx) > 0
            for ln in self.lines
        )

    def line_rate(self, ln: dict, i: int) -> float:
        """τ_il: the line's rate set on actor i, under its pause."""
        rate = ln["rate"][i]
        if ln["pause"][i] is not None:
            rate = min(rate, ln["pause"][i])
        return rate

    def interim_rate(self, i: int) -> float:
        """τ^int on actor i this round: from the ruling for its rounds, where it applies."""
        court = self.params.court
        if court is None or court[4] is None or self.court_round is None:
            return 0.0
        rate, rounds = court[4]
        if i in self.interim and self.t - self.court_round < rounds:
            return rate
        return 0.0

    def voidable_duties(self, a: State, basis: str) -> float:
        """The annual duties on a's exports under `basis` in force (MODEL.md 3.4, accounting)."""
        if basis in self.void:
            return 0.0
        t = a.e * a.tau if self.recip_basis == basis else 0.0
        for ln in self.lines:
            c = ln["cov"][a.idx]
            if ln["basis"] == basis and c > 0:
                rate = self.line_rate(ln, a.idx)
                if a.b_is_deal:
                    rate = min(rate, ln["deal_cap"][a.idx])
                t += c * rate
        return t * self.x[a.idx][self.h]

    def demand(self) -> None:
        """Phase 1: the hegemon's offer, deal, fee and host demand to every target."""
        cap = self.tariff_cap()
        kind, st = self.kind, self.st
        for a in self.actors:
            u = self.random.random()  # the deal stream's roll-back draw
            if a.idx == self.h:
                continue
            if a.retaliated_last and u < a.p_back_last:
                a.rolled_back = True
            i = a.idx
            offer = deal = fee = host = 0.0
            paid = kind in ("PaidAccess", "AdaptiveExtortion", "ConstrainedPaidAccess")
            if kind == "TargetedPunitive":
                if a.name in st["targets"]:
                    offer = deal = st["rate"]
            elif paid:
                offer = self.ustr[i]
                deal = st["deal_rates"].get(a.name, st["default_deal_rate"])
                fee = self.fee_base[i]
                host = st["host_fees"].get(a.name, 0.0)
            elif kind == "Reciprocal":
                offer = deal = st["base"] + a.step_level
            if self.recip_set[i] is not None:
                offer = self.recip_set[i]  # the timeline's Set replaces the strategy's offer
            if kind == "AdaptiveExtortion":
                offer *= a.mult
                deal *= a.mult
                fee *= a.mult
                host *= a.mult
            a.purchase = a.purchase_cost = 0.0
            if paid and a.purchase_spec is not None:
                # A stated amount for a stated term: not scaled by m_i, and asked only in the
                # rounds t < years * rpy (0-based; the whole run without years).
                per_year, cost, years = a.purchase_spec
                running = years is None or self.t < years * self.rpy
                a.purchase = per_year if running else 0.0
                a.purchase_cost = cost
            a.disburse = 0.0
            if paid and a.pledge is not None:
                # A pledge replaces the surplus fee (MODEL.md 3.2).
                left, per_year, returns = a.pledge
                mult = a.mult if kind == "AdaptiveExtortion" else 1.0
                a.disburse = max(0.0, min(per_year * mult / self.rpy, left))
                fee = a.disburse * self.rpy * (1 - returns)
            # The deal rate is never above the strategy's offer (Set-replaced, scaled), which
            # pressure raises and a pause caps after (MODEL.md 3.2). Pressure raises only a
            # positive offer: a line Set to 0 (an exemption) or a formula offer of 0 is not
            # escalated (MODEL.md 3.2; MODEL.md 5, disagreement 9, resolved).
            deal = min(deal, offer)
            pressure = st.get("pressure") if paid else None
            if pressure is not None and offer > 0 and a.no_deal >= pressure[0]:
                offer += min(pressure[2], pressure[1] * (a.no_deal - pressure[0] + 1))
            if self.recip_pause[i] is not None:
                offer = min(offer, self.recip_pause[i])
            offer = clamp(offer, 0.0, cap)
            deal = clamp(min(deal, offer), 0.0, cap)
            if a.rolled_back:
                # The deal rate, after a pause like every rate of the line (MODEL.md 3.2;
                # MODEL.md 5, disagreement 7, resolved).
                offer = deal
            a.b_offer, a.b_deal = self.other_lines(i)
            if self.recip_basis in self.void:
                offer = deal = 0.0
                a.esc = 0.0
            elif offer > 0 or a.b_offer > 0:
                a.esc = min(offer + self.m["escalation"], self.m["max_tariff"], cap)
            else:
                a.esc = offer
            a.offer, a.deal, a.fee, a.host = offer, deal, fee, host

    def learning(self) -> None:
        """Phase 8: the hegemon's learning."""
        st = self.st
        for a in self.actors:
            if a.idx == self.h:
                continue
            if self.kind == "AdaptiveExtortion":
                if a.action in ("C", "CG", "B"):
                    a.mult *= 1 + st["up"]
                elif a.action == "R":
                    lost = self.x0[self.h][a.idx] - self.x[self.h][a.idx]
                    gain = (a.e * a.tau + a.b) * self.x[a.idx][self.h] + a.payment * self.rpy
                    if lost > gain:
                        a.mult *= 1 - st["down"]
                a.mult = clamp(a.mult, st["bounds"][0], st["bounds"][1])
            elif self.kind == "Reciprocal" and a.action == "R":
                a.step_level = min(a.step_level + st["step"], self.m["max_tariff"])

    def rerouting(self) -> tuple:
        """(1 + π_RTA·phase of each pair i, j, and each exporter's re-routing weights
        X_ij(0)·(1 + π_RTA·phase) over partners other than itself and the hegemon, with their
        sum): they change only when a membership comes into force, or at a year boundary while
        a premium is still phasing in, so they are recomputed only then (statecraft's
        `Cache::premium`, `Cache::shares` and `Cache::phase_end`)."""
        t, n, h = self.t, self.n, self.h
        year = t // self.rpy
        key = self.reroute_key
        if key is None or key[1] != self.bloc_changes or (self.phasing_in and key[0] != year):
            premium = self.m["rta_premium"]
            phase = [[self.phase_in(i, j, t) for j in range(n + 1)] for i in range(n)]
            self.phasing_in = any(0 < p < 1 for row in phase for p in row)
            pref = [[1 + premium * p for p in row] for row in phase]
            reroute = [None] * n
            for i in range(n):
                if i == h:
                    continue
                x0 = self.x0[i]
                weights = [0.0] * (n + 1)
                for j in range(n + 1):
                    if j != i and j != h and x0[j] > 0:
                        weights[j] = x0[j] * pref[i][j]
                reroute[i] = (weights, sum(weights))
            self.reroute_key = (year, self.bloc_changes)
            self.reroute_cache = (pref, reroute)
        return self.reroute_cache

    def trade(self) -> None:
        """Phase 4: hedging, tariffs, re-routing; the hegemon's exports; sanctions."""
        m = self.m
        h, n = self.h, self.n
        psi = m["reroute_share"]
        factor = self.factor
        pref, reroute = self.rerouting()
        self.sanction_cut = [0.0] * n
        self.xbar_before = [0.0] * n
        for a in self.actors:
            i = a.idx
            if i == h:
                continue
            self.xbar_before[i] = self.x0[i][h] * (1 - a.eta)
            a.eta = min(a.eta + a.d_eta, m["max_hedge"])
        for a in self.actors:
            i = a.idx
            if i == h:
                continue
            x0 = self.x0[i]
            unhedged = x0[h] * (1 - a.eta)
            xih = unhedged * factor(1 + a.e * a.tau + a.b)
            lost = x0[h] * a.eta + psi * (unhedged - xih)
            row = self.x[i]
            weights, wsum = reroute[i]
            for j in range(n + 1):
                row[j] = x0[j] + (lost * weights[j] / wsum if wsum > 0 else 0.0)
            row[h] = xih
            if self.rival is not None and a.sanction_timer > 0:
                cut = m["rival_sanction_cut"] * row[self.rival]
                row[self.rival] -= cut
                self.sanction_cut[i] = cut
                a.sanction_lost += cut / self.rpy
        # The hegemon's exports: counter-tariffs, psi of the loss to non-retaliators and ROW.
        x0 = self.x0[h]
        row = self.x[h]
        lost = 0.0
        for a in self.actors:
            j = a.idx
            if j == h:
                continue
            row[j] = x0[j] * factor(1 + a.rho)
            lost += x0[j] - row[j]
        weights = [0.0] * (n + 1)
        for j in range(n + 1):
            if j != h and x0[j] > 0 and (j == self.row or self.actors[j].rho == 0):
                weights[j] = x0[j] * pref[h][j]
        wsum = sum(weights)
        row[self.row] = x0[self.row]
        if wsum > 0:
            for j in range(n + 1):
                if weights[j] > 0:
                    row[j] += psi * lost * weights[j] / wsum
        # Goods bought under purchase commitments this round, after the counter-tariffs and
        # the re-routing (MODEL.md 3.2).
        for a in self.actors:
            row[a.idx] += a.purchasing
        self.safeguards()

    def safeguards(self) -> None:
        """Safeguards against deflected imports (MODEL.md 3.4, trade), after every exporter's
        re-routing, the hegemon's and the sanctions: the inflow into j from exporter i (not j,
        not the hegemon) is max(0, X_ij - X_ij(0)); when its sum D_j exceeds θ_j·M_j(0), j's
        safeguard is in force and blocks κ_j·(D_j - θ_j·M_j(0)), from each exporter in
        proportion to its inflow; the blocked volume is lost (one pass)."""
        h, n = self.h, self.n
        x, x0 = self.x, self.x0
        for a in self.actors:
            a.blocked = 0.0
            a.safeguard_on = False
        if not self.any_safeguard:
            # Nothing blocked: every blocked share is 0 (statecraft's `uses.safeguards`).
            for a in self.actors:
                a.blocked_share = 0.0
            return
        # The inflows, once, before any is blocked (a column is blocked only after it is read).
        inflow = [
            [
                0.0 if i == j or i == h or j == h else max(0.0, x[i][j] - x0[i][j])
                for j in range(n + 1)
            ]
            for i in range(n)
        ]
        # Everything each exporter re-routed this round, before any is blocked (ROW included).
        rerouted = [sum(inflow[i]) for i in range(n)]
        for g in self.actors:
            j = g.idx
            if g.safeguard is None or j == h:
                continue
            cut = g.safeguard[1]
            trigger = self.guard_trigger[j]
            total = sum(inflow[i][j] for i in range(n))
            if total <= trigger:
                continue
            g.safeguard_on = True
            g.n_safeguard += 1
            excess = cut * (total - trigger)
            for i in range(n):
                b = excess * inflow[i][j] / total
                x[i][j] -= b
                self.actors[i].blocked += b
        for a in self.actors:
            r = rerouted[a.idx]
            a.blocked_share = a.blocked / r if r > 0 else 0.0
            a.safeguard_blocked += a.blocked / self.rpy

    def accounting(self) -> None:
        """Rent, consumer cost, and each actor's realised annual cost (% of GDP)."""
        m = self.m
        h = self.h
        revenue = 0.0
        payments = 0.0
        for a in self.actors:
            if a.idx == h:
                continue
            revenue += (a.e * a.tau + a.b) * self.x[a.idx][h]
            payments += a.payment
        self.rent += revenue / self.rpy + payments
        court = self.params.court
        if court is not None and court[3] is not None and court[5] is not None:
            # Refunds: the duties under the voided basis are counted until the ruling; in its
            # round the share court[5] of them is negative revenue (MODEL.md 3.4, accounting).
            if self.court_round is None:
                for a in self.actors:
                    if a.idx != h:
                        self.voidable += self.voidable_duties(a, court[3]) / self.rpy
            elif self.court_round == self.t:
                self.rent -= court[5] * self.voidable
        for a in self.actors:
            i = a.idx
            if i == h:
                continue
            x0 = self.x0[i][h]
            xbar_now = x0 * (1 - a.eta)
            diversion = m["volume_loss_weight"] * (1 + a.v) * a.diversion_loss(a.eta)
            cost = (
                m["volume_loss_weight"] * (1 + a.v) * (xbar_now - self.x[i][h])
                + a.payment * self.rpy
                + (a.d - a.d0) * a.gdp
                + m["hedge_cost"] * a.d_eta * self.xbar_before[i] * self.rpy
                + m["retaliation_cost"] * self.x0[h][i] * (1 - self.factor(1 + a.rho))
                + self.sanction_cut[i]
                + diversion
                + a.purchase_cost * a.purchasing
                + a.controls_loss
            )
            # The diverted stock's share blocked by third countries' safeguards (the ψ share
            # re-routed is booked as lost already).
            cost += m["volume_loss_weight"] * (1 + a.v) * a.blocked_share * x0 * a.eta
            if a.controls_on:
                # Its own export controls: the sales withheld, weighted like lost exports.
                cost += m["volume_loss_weight"] * (1 + a.v) * self.withheld[i]
            a.cost_sum += 100.0 * cost / a.gdp
            a.diversion_sum += 100.0 * diversion / a.gdp

    def welfare(self) -> None:
        """National welfare from trade theory (MODEL.md 3.4, welfare), booked after accounting,
        beside the realised cost: W_i in bn USD a year, booked as W_i/Y_i.

        (1) s times the net change of export revenue over every destination (ROW included, so
        re-routed and diverted exports count as sold, blocked and sanctioned ones do not) less
        the sales its own export controls withhold, and the diverted stock's price D_i(eta_i)
        in full;
        (2) per tariffed flow X (the hegemon's tau_eff_i on X_iH, i's counter-tariff rho_i on
        X_Hi): the importer gains t*X - CS(t, X) + iota(t)*X, the exporter loses iota(t)*X;
        (3) payments (payer to hegemon), the purchase premium, the one-off diversion cost and
        what others' export controls cost it."""
        m = self.m
        h, n = self.h, self.n
        eps = self.eps
        omega, share = self.params.welfare
        k = eps * omega / (1 + eps * omega)

        def iota(t: float) -> float:
            # The fall of the exporter's price, share of its level.
            return 1 - (1 + t) ** (-k)

        def consumer_cost(t: float, x: float) -> float:
            # CS = X'*integral_1^{1+t} q^(-eps) dq, X' = X*(1 + t)^eps the untaxed flow.
            x_free = x * (1 + t) ** eps
            if eps == 1:
                return x_free * math.log(1 + t)
            return (x * (1 + t) - x_free) / (1 - eps)

        w = [0.0] * n
        for a in self.actors:
            i = a.idx
            net = sum(self.x[i][j] - self.x0[i][j] for j in range(n + 1))
            if a.controls_on:
                net -= self.withheld[i]
            # The diverted stock's lower price is borne in full, like the terms of trade.
            w[i] += share * net - a.diversion_loss(a.eta) - a.controls_loss
        for a in self.actors:
            i = a.idx
            if i == h:
                continue
            # The hegemon's tariff on i's exports.
            t = a.e * a.tau + a.b
            x = self.x[i][h]
            borne = iota(t) * x
            w[h] += t * x - consumer_cost(t, x) + borne
            w[i] -= borne
            a.tot -= borne / self.rpy
            self.actors[h].tot += borne / self.rpy
            self.tariff_revenue += t * x / self.rpy
            self.revenue_borne += borne / self.rpy
            if i == self.rival:
                self.rival_borne += borne / self.rpy
            # i's counter-tariff on the hegemon's exports.
            x = self.x[h][i]
            borne = iota(a.rho) * x
            w[i] += a.rho * x - consumer_cost(a.rho, x) + borne
            w[h] -= borne
            a.tot += borne / self.rpy
            self.actors[h].tot -= borne / self.rpy
            # Transfers and resource costs.
            w[i] -= a.payment * self.rpy
            w[h] += a.payment * self.rpy
            w[i] -= a.purchase_cost * a.purchasing
            w[i] -= m["hedge_cost"] * a.d_eta * self.xbar_before[i] * self.rpy
        for a in self.actors:
            a.welfare_sum += 100.0 * w[a.idx] / a.gdp

    def security(self) -> None:
        """Phase 5: beliefs, credibility, autonomy."""
        m = self.m
        pe, pr = m["signal_if_extortionist"], m["signal_if_reliable"]
        beliefs = self.params.beliefs
        if beliefs is not None:
            # Beliefs as inference: r_q = 1 − (1 − r)^(1/rpy), the round's share of a year's
            # recovery.
            r_year, shock, beta, arming = beliefs
            r_q = 1 - (1 - r_year) ** (1 / self.rpy)
        # The security events of this round (MODEL.md 3.4, phase 5).
        events = self.events_at.get(self.t, ())

        def sees(e, a) -> bool:
            return a.name in e[2] if e[2] is not None else True

        def tempered(pi: float, le: float, lr: float, w: float) -> float:
            # Bayes' rule with likelihoods raised to the power w (worth w signals), clamped.
            if w != 1:
                le, lr = le**w, lr**w
            den = pi * le + (1 - pi) * lr
            if den > 0:
                pi = pi * le / den
            return clamp(pi, 1e-9, 1 - 1e-9)
        for a in self.actors:
            if a.idx == self.h:
                continue
            x = ((a.e * a.tau + a.b) * self.x[a.idx][self.h] + a.payment * self.rpy) / a.gdp
            extortive = x > m["extraction_cap"]
            if beliefs is not None:
                # The signal is drawn: "extortion" seen with the conduct's own likelihood, p_E
                # after extortive conduct, p_R after restraint (one uniform per actor but the
                # hegemon, in actor order; the port's own generator).
                seen = self.random.random() < (pe if extortive else pr)
            else:
                seen = extortive
            if seen:
                a.pi = tempered(a.pi, pe, pr, 1)
            else:
                a.pi = tempered(a.pi, 1 - pe, 1 - pr, 1)
            if beliefs is not None:
                # The hegemon's security conduct seen this round: "Questioned" is evidence of
                # an extortionist, "Reaffirmed" of a reliable ally, each worth `size` signals.
                for e in events:
                    if sees(e, a) and e[1] == "Questioned":
                        a.pi = tempered(a.pi, pe, pr, e[3])
                    elif sees(e, a) and e[1] == "Reaffirmed":
                        a.pi = tempered(a.pi, 1 - pe, 1 - pr, e[3])
                # Memory fades toward the prior; the threat recovers toward its start, rises
                # by Δθ·(1 − θ) in a round under the rival's sanction and by size·(1 − θ) at a
                # threat event.
                a.pi += r_q * (m["prior_extortionist"] - a.pi)
                a.theta += r_q * (a.theta0 - a.theta)
                if a.sanction_timer > 0:
                    a.theta += shock * (1 - a.theta)
                for e in events:
                    if sees(e, a) and e[1] == "Threat":
                        a.theta += e[3] * (1 - a.theta)
                a.theta = clamp(a.theta, 0.0, 1.0)
            if a.ruptured and self.params.rupture is not None:
                # An ally that has left the guarantee has none to believe in.
                a.kappa = 0.0
            else:
                a.kappa = clamp(
                    a.kappa
                    + m["credibility_adjustment"]
                    * (a.kappa0 * (1 - self.linkage * a.pi) - a.kappa)
                    - m["credibility_penalty_retaliation"] * (a.action == "R"),
                    0.0,
                    1.0,
                )
            if beliefs is not None and (a.kappa0 > 0 or arming is not None):
                # Internal balancing (Morrow 1993): aim at min(1, d_i(0) + β·s·θ·max(0, 1 −
                # κ/κ(0)) + β_θ·max(0, θ − θ(0))) and move φ_d/rpy of the way there when
                # above, never down.
                lost = max(0.0, 1 - a.kappa / a.kappa0) if a.kappa0 > 0 else 0.0
                aim = a.d0 + beta * a.s * a.theta * lost
                if arming is not None:
                    aim += arming * max(0.0, a.theta - a.theta0)
                aim = min(1.0, aim)
                if aim > a.d:
                    a.d += m["defense_adjustment"] / self.rpy * (aim - a.d)
            a.autonomy = clamp(
                a.autonomy
                + m["autonomy_from_hedging"] * a.h * (a.action in ("G", "CG"))
                + m["autonomy_from_defense"] * (a.d - a.d_prev),
                0.0,
                1.0,
            )
            dzc = self.params.rival_tilt
            if (
                dzc is not None
                and self.rival is not None
                and a.idx != self.rival
                and a.action in ("G", "CG")
            ):
                # The tilt toward the rival: hedging without faith in the guarantee, pulled
                # by the affinity to the rival and the export share going there, ≤ 1 − z.
                full = dzc * (1 - a.kappa) * self.affinity.get(
                    (a.idx, self.rival), self.affinity_default
                ) * self.rival_share0[a.idx]
                a.zc = min(a.zc + (full if a.action == "G" else self.cg_share() * full), 1 - a.z)
            if a.treaty_ally and not a.ruptured and a.kappa < m["rupture_threshold"]:
                # A rupture, once per treaty ally; with the world's `rupture` the ally leaves
                # the guarantee (κ = 0 from now on) and drops a share of its alignment.
                a.ruptured = True
                self.ruptures += 1
                if self.first_rupture is None:
                    self.first_rupture = self.t
                if self.params.rupture is not None:
                    a.kappa = 0.0
                    a.z *= 1 - self.params.rupture

    def rival_phase(self) -> None:
        """Phase 6: sanctions on actors that aligned with the hegemon against the rival."""
        m = self.m
        rounds = int(round(m["rival_sanction_rounds"]))
        for a in self.actors:
            u = self.random.random()
            if a.sanction_timer > 0:
                a.sanction_timer -= 1
            if self.rival is None or a.idx in (self.h, self.rival):
                continue
            p = 0.0
            if a.d_z > 0 and m["alignment_step"] > 0:
                p = m["rival_sanction_hazard"] * a.d_z / m["alignment_step"]
            q_s = self.params.security_hazard
            if q_s is not None and a.security_step:
                # A security step is a trigger too: either fires (MODEL.md 3.4).
                p = 1 - (1 - p) * (1 - q_s)
            # A tilt toward the rival spares the actor in proportion.
            p *= 1 - a.zc
            if p > 0 and u < p:
                a.sanction_timer = rounds
                a.sanctions += 1

    def affinity_of(self, k: int, i: int) -> float:
        aff = self.affinity.get((k, i), self.affinity_default)
        if k == self.rival:
            aff -= self.actors[i].z
            aff += self.actors[i].zc
        return aff

    def wills(self, a, members) -> bool:
        """Whether `a` applies to a bloc with these members in force: with a deficit aversion,
        only while its deficit with them at the start's trade is at most that share of GDP."""
        if a.max_bloc_deficit is None:
            return True
        i = a.idx
        deficit = sum(self.x0[j][i] - self.x0[i][j] for j in members if j != i)
        return deficit <= a.max_bloc_deficit * a.gdp

    def bloc_phase(self) -> None:
        """Phase 7: applications, vetoes, stages; decide against the stages at the start."""
        t = self.t
        k_apply = max(1, int(round(self.m["hedge_rounds_to_apply"])))
        for b in self.blocs:
            members = [k for k in b["since"] if b["since"][k] <= t]
            pending = dict(b["pending"])
            new_pending = dict(pending)
            for a in self.actors:
                u = self.random.random()
                i = a.idx
                if i in pending:
                    if any(self.affinity_of(k, i) < b["veto"] for k in members if k != i):
                        continue
                    stage = pending[i]
                    if u < b["hazards"][HAZARD_OF_STAGE[stage]]:
                        nxt = NEXT_STAGE[stage]
                        if nxt == "InForce":
                            del new_pending[i]
                            b["since"][i] = t + 1
                            self.bloc_changes += 1  # the re-routing weights change
                        else:
                            new_pending[i] = nxt
                elif (
                    i != self.h
                    and b["name"] in a.eligible
                    and i not in b["since"]
                    and a.hedge_rounds >= k_apply
                    and self.wills(a, members)
                ):
                    new_pending[i] = "Applied"
            b["pending"] = new_pending

    def step(self) -> None:
        t = self.t
        # This round's ε(t) and horizon, from the run's schedule.
        self.eps = self.eps_t[t]
        self.horizon = self.horizon_t[t]
        self.factors = {}  # the round's trade factors, at its elasticity
        self.shocks()
        self.apply_timeline()
        self.demand()
        self.agents.do("decide")
        self.agents.do("settle")
        self.controls_phase()
        self.trade()
        self.accounting()
        self.welfare()
        self.security()
        self.rival_phase()
        self.bloc_phase()
        self.learning()
        # Memory for the next round.
        self.retaliators_last = [(a.idx, a.rho) for a in self.actors if a.action == "R" and a.idx != self.h]
        # Their weights in the next round's roll-back contest, computed once.
        yh = self.actors[self.h].gdp
        self.retaliator_weights = [
            (k, rho_k * self.x0[self.h][k] / yh * (1 + self.actors[k].chi), self.controls_w[k])
            for k, rho_k in self.retaliators_last
        ]
        for a in self.actors:
            a.tau_hist = [a.tau_hist[1], a.tau]
            a.prev_offer = a.offer
            a.b_hist = [a.b_hist[1], a.b]
            a.prev_b_offer = a.b_offer
            a.retaliated_last = a.idx != self.h and a.action == "R"
            a.p_back_last = a.p_back
        if self.rival is not None:
            r_act = self.actors[self.rival].action
            if self.rival_first_r is None and r_act == "R":
                self.rival_first_r = t
            elif self.rival_first_r is not None and self.truce is None and r_act != "R":
                self.truce = t - self.rival_first_r
        self.observe()
        self.t += 1

    def observe(self) -> None:
        """The end of a round in the tallies of MODEL.md 3.5: deal rounds, first deals, the
        coalition of retaliating allies, the hegemon's trade-weighted effective tariff."""
        h, c = self.h, self.rival
        coalition = 0
        revenue = exports = 0.0
        for a in self.actors:
            if a.deal_age >= 0:
                a.deal_rounds += 1
            if a.first_deal is None and a.deals > 0:
                a.first_deal = self.t
            if a.idx not in (h, c) and a.action == "R":
                coalition += 1
            if a.idx != h:
                revenue += (a.e * a.tau + a.b) * self.x[a.idx][h]
                exports += self.x[a.idx][h]
        self.peak_coalition = max(self.peak_coalition, coalition)
        tariff = revenue / exports if exports > 0 else 0.0
        self.tariff_sum += tariff
        self.tariff_peak = max(self.tariff_peak, tariff)

    def export_shares(self, i: int, t: int) -> tuple:
        """Actor i's export shares at round t: to the hegemon, the rival, bloc partners (a
        regional bloc in force shared, neither of those two) and the rest (MODEL.md 3.5)."""
        h, c = self.h, self.rival
        total = sum(self.x[i])
        if total <= 0:
            return (0.0, 0.0, 0.0, 0.0)
        to_h = self.x[i][h] if i != h else 0.0
        to_c = self.x[i][c] if c is not None and i != c else 0.0
        bloc = sum(
            self.x[i][j] for j in range(self.n)
            if j not in (i, h, c) and self.share_regional(i, j, t)
        )
        s = (to_h / total, to_c / total, bloc / total)
        return (s[0], s[1], s[2], 1.0 - s[0] - s[1] - s[2])

    # -- outcomes -----------------------------------------------------------------------------
    def actor_outcomes(self) -> list:
        """Per actor at T, the columns of statecraft's actors.csv (MODEL.md 3.5)."""
        out = []
        for a in self.actors:
            heg = a.idx == self.h
            out.append(
                (
                    a.name,
                    {
                        "treaty": 1 if a.treaty_ally else 0,
                        "gdp": a.gdp,
                        "tariff": a.tau,
                        "tariff_eff": 0.0 if heg else a.e * a.tau + a.b,
                        "counter_tariff": a.rho,
                        "credibility": a.kappa,
                        "autonomy": a.autonomy,
                        "hedge": a.eta,
                        "alignment": a.z,
                        "alignment_rival": a.zc,
                        "belief": a.pi,
                        "threat": a.theta,
                        "defense": a.d,
                        "paid": a.paid,
                        "pledge_disbursed": a.pledge_disbursed,
                        "purchased": a.purchased,
                        "welfare_loss": 0.0 if heg else a.cost_sum / self.T,
                        "diversion_cost": 0.0 if heg else a.diversion_sum / self.T,
                        "welfare": a.welfare_sum / self.T,
                        "terms_of_trade": a.tot,
                        "exports_to_hegemon": 0.0 if heg else self.x[a.idx][self.h],
                        "n_concede": a.counts["C"],
                        "n_retaliate": a.counts["R"],
                        "n_hedge": a.counts["G"],
                        "n_concede_hedge": a.counts["CG"],
                        "n_bandwagon": a.counts["B"],
                        "n_breach": a.breaches,
                        "n_snapback": a.snapbacks,
                        "n_lapse": a.lapses,
                        "n_renewal": a.renewals,
                        # Blocs it was not a member of at the start: applied to (pending or in
                        # force at T), and joined (in force by T, as accessions_<bloc> counts).
                        "blocs_applied": sum(
                            1 for b in self.blocs
                            if a.idx not in b["initial"] and (a.idx in b["pending"] or a.idx in b["since"])
                        ),
                        "blocs_acceded": sum(
                            1 for b in self.blocs
                            if a.idx not in b["initial"] and b["since"].get(a.idx, self.T) <= self.T - 1
                        ),
                        "n_sanctioned": a.sanctions,
                        "sanction_lost": a.sanction_lost,
                        "n_controls": a.n_controls,
                        "controls_lost": a.controls_lost,
                        "n_safeguard": a.n_safeguard,
                        "safeguard_blocked": a.safeguard_blocked,
                        "n_deals": a.deals,
                        "n_renege": a.reneges,
                        "deal_rounds": a.deal_rounds,
                        "defense_change": a.d - a.d0,
                        **dict(zip(
                            ("share_hegemon", "share_rival", "share_bloc", "share_rest"),
                            self.export_shares(a.idx, self.T - 1),
                        )),
                    },
                )
            )
        return out

    def outcome(self) -> dict:
        """The run's metrics (MODEL.md 3.5), in the column order of runs.csv."""
        T = self.T
        h, c = self.h, self.rival
        allies = [a for a in self.actors if a.idx not in (h, c)]
        treaty = [a for a in self.actors if a.treaty_ally]
        out = {}
        out["hegemon_rent"] = self.rent
        gsum = sum(a.gdp for a in allies)
        out["ally_welfare_loss"] = (
            sum(a.gdp * a.cost_sum / T for a in allies) / gsum if allies else None
        )
        out["ally_welfare"] = (
            sum(a.gdp * a.welfare_sum / T for a in allies) / gsum if allies else None
        )
        out["hegemon_welfare"] = self.actors[h].welfare_sum / T
        out["incidence_foreign"] = (
            self.revenue_borne / self.tariff_revenue if self.tariff_revenue > 0 else None
        )
        out["incidence_rival"] = (
            self.rival_borne / self.tariff_revenue
            if self.tariff_revenue > 0 and self.rival is not None
            else None
        )
        tg = sum(a.gdp for a in treaty)
        out["alliance_cohesion"] = sum(a.gdp * a.kappa for a in treaty) / tg if treaty else None
        out["first_rupture_round"] = self.first_rupture
        out["ruptures"] = self.ruptures
        tot = reg = 0.0
        last = T - 1  # a membership counts once it has been in force
        for a in allies:
            for j in range(self.n + 1):
                tot += self.x[a.idx][j]
                if self.share_regional(a.idx, j, last):
                    reg += self.x[a.idx][j]
        out["regional_trade_share"] = reg / tot if tot > 0 else None
        self.t = last
        cross = self.crossing_share()
        out["fragmentation"] = 1 - cross / self.cross0 if self.cross0 > 0 else None
        out["export_hhi_change"] = sum(self.hhi(i) - self.hhi0[i] for i in range(self.n)) / self.n
        out["mean_autonomy"] = sum(a.autonomy for a in allies) / len(allies) if allies else None
        out["allies_at_3_5pct"] = (
            sum(a.d >= self.m["defense_benchmark"] for a in treaty) / len(treaty)
            if treaty
            else None
        )
        # Over the ally-rounds with a demand (empty where nothing was ever demanded).
        rounds = sum(a.counts[act] for a in allies for act in ACTIONS)
        for key, act in zip(
            ("concede", "retaliate", "hedge", "concede_hedge", "bandwagon"), ACTIONS
        ):
            out[f"share_{key}"] = (
                sum(a.counts[act] for a in allies) / rounds if rounds else None
            )
        out["rounds_to_truce"] = self.truce
        out["court_ruling_round"] = self.court_round
        out.update(self.dynamics(allies, treaty))
        for b in self.blocs:
            out[f"accessions_{b['name']}"] = sum(
                1 for k, s in b["since"].items() if s <= last and k not in b["initial"]
            )
        for b in self.blocs:
            pend = len(b["pending"]) + sum(1 for s in b["since"].values() if s == T)
            out[f"pending_{b['name']}"] = pend
        for b in self.blocs:
            # The first round from which a membership not in force at the start is in force.
            entries = [s for k, s in b["since"].items() if s <= last and k not in b["initial"]]
            out[f"entry_{b['name']}"] = min(entries) if entries else None
        return out

    def dynamics(self, allies: list, treaty: list) -> dict:
        """Deal and conflict dynamics, trade realignment, burden-sharing, alignment and the
        rival's costs (MODEL.md 3.5), in the column order of runs.csv."""
        T, h, c = self.T, self.h, self.rival
        out = {}
        deal_rounds = sum(a.deal_rounds for a in allies)
        deals = sum(a.deals for a in allies)
        out["deals_in_force"] = deal_rounds / T
        firsts = [a.first_deal for a in allies if a.first_deal is not None]
        out["time_to_deal"] = sum(firsts) / len(firsts) if firsts else None
        out["deal_duration"] = deal_rounds / deals if deals > 0 else None
        out["reneges"] = sum(a.reneges for a in allies)
        out["peak_coalition"] = self.peak_coalition
        out["hegemon_tariff_mean"] = self.tariff_sum / T
        out["hegemon_tariff_peak"] = self.tariff_peak
        total = sum(sum(self.x[a.idx]) for a in allies)
        to_h = sum(self.x[a.idx][h] for a in allies)
        to_c = sum(self.x[a.idx][c] for a in allies) if c is not None else 0.0
        out["ally_share_hegemon"] = to_h / total if total > 0 else 0.0
        out["ally_share_rival"] = None if c is None else (to_c / total if total > 0 else 0.0)
        out["ally_defense_change"] = _gdp_mean(treaty, lambda a: a.d - a.d0)
        stock = [(a.pledge_disbursed, a.pledge_disbursed + a.pledge[0])
                 for a in self.actors if a.pledge is not None]
        head = sum(s for _, s in stock if s > 0)
        out["pledge_share"] = sum(d for d, s in stock if s > 0) / head if head > 0 else None
        out["ally_alignment"] = _gdp_mean(allies, lambda a: a.z)
        out["ally_alignment_rival"] = _gdp_mean(allies, lambda a: a.zc)
        out["rival_welfare"] = None if c is None else self.actors[c].welfare_sum / T
        x0 = sum(self.x0[c]) if c is not None else 0.0
        out["rival_exports_change"] = sum(self.x[c]) / x0 - 1 if x0 > 0 else None
        return out


def _gdp_mean(actors: list, f) -> float | None:
    g = sum(a.gdp for a in actors)
    return sum(a.gdp * f(a) for a in actors) / g if g > 0 else None


def run_one(scenario: dict, run: int, seed: int, rounds: int | None = None) -> tuple:
    """One run: build the model, step it through its rounds; its metrics and actor results."""
    if rounds is not None:
        scenario = dict(scenario, rounds=rounds)
    model = Alliances(scenario, run, seed)
    for _ in range(model.T):
        model.step()
    return model.outcome(), model.actor_outcomes()
