#!/usr/bin/env python3
"""Writes scenarios/data/world_2025.ron from the calibration CSVs beside this script.

The CSVs (actors.csv, trade_2024.csv, us_tariffs_2025.csv, pledges_2025.csv) are copies of the
project's calibration data; CALIBRATION.md in this folder documents their sources. The priors
that are not data (resolve, threat, hedging capacity, ...) are the tables below, each with its
basis. Run `python3 scenarios/data/make_world.py` after changing either; the output is
committed and is what the scenarios include.

Trade flows with the hegemon are the hegemon's own customs data (us_tariffs_2025.csv: x, m),
because its tariff applies to its customs value and the USTR formula uses them; each exporter's
rest-of-world flow absorbs the difference so its total exports stay as in actors.csv.
"""
import argparse
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ARGS = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ARGS.add_argument("--out", default=os.path.join(HERE, "world_2025.ron"))
ARGS.add_argument("--uncalibrated", action="store_true",
                  help="leave out the calibration's param_overrides (the priors alone)")
ARGS.add_argument("--backcast-2018", action="store_true",
                  help="write world_2018.ron, the 2018-19 back-cast's world (BACKCAST_2018 below)")
OPTS = ARGS.parse_args()
if OPTS.backcast_2018 and OPTS.out == ARGS.get_default("out"):
    OPTS.out = os.path.join(HERE, "world_2018.ron")
OUT = OPTS.out

def rows(name):
    with open(os.path.join(HERE, name), newline="") as f:
        return list(csv.DictReader(f))

actors = {r["actor"]: r for r in rows("actors.csv")}
trade = rows("trade_2024.csv")
tariffs = {r["actor"]: r for r in rows("us_tariffs_2025.csv") if r["row_type"] == "actor"}
sector = {(r["actor"], r["sector"]): float(r["share_of_exports_to_us"]) for r in rows("sector_exposure_2024.csv")}

# Product groups (Model 2a): the share of each actor's exports to the hegemon in each named group
# OUTSIDE the reciprocal line, from sector_exposure_2024.csv (shares of 2024 US imports from the
# actor). The reciprocal line covers the rest: `exposure` = 1 - sum of the groups, so exposure is
# data. Groups: the Section 232 lines' goods (steel_aluminium, autos = vehicles, auto_parts,
# copper), the reciprocal tariff's product exemptions (annex_ii = EO 14257 Annex II goods other
# than chips; electronics = chips and the 11 April 2025 list), and for CAN and MEX `usmca`, goods
# qualifying under USMCA, exempt from the IEEPA fentanyl line (EO 14231, EO 14232).
# CAN and MEX: a share q (usmca_qualifying_share) of every good outside the 232 steel/aluminium,
# copper and vehicle lines qualifies (parts included: USMCA-compliant parts are exempt from the
# 232 parts line, Proclamation 10908); Canada's energy and potash (CAN_ENERGY of its exports,
# inside annex_ii) count as fully qualifying (RBC, in the usmca_qualifying_share row). The
# non-qualifying rest keeps its group; the reciprocal group is then the non-qualifying rest of
# goods outside every other group (the reciprocal line itself is 0 for CAN and MEX, EO 14257
# sec. 3; the fentanyl line covers it).
CAN_ENERGY = 0.30  # energy US$124bn / 412.7 (EIA from Census 2024; sector_exposure_2024.csv CAN annex_ii_exempt basis)
LINES_232 = ["steel_aluminium", "autos", "auto_parts", "copper"]

def export_groups(a):
    g = {k: sector.get((a, k), 0.0) for k in LINES_232}
    g["annex_ii"] = sector[(a, "annex_ii_exempt")]
    g["electronics"] = sector[(a, "electronics_semis_exempt")]
    if (a, "usmca_qualifying_share") in sector:
        q = sector[(a, "usmca_qualifying_share")]
        energy = CAN_ENERGY if a == "CAN" else 0.0
        rest = 1.0 - g["steel_aluminium"] - g["autos"] - g["copper"]
        g["usmca"] = q * (rest - energy) + energy
        g["auto_parts"] *= 1.0 - q
        g["annex_ii"] = (1.0 - q) * (g["annex_ii"] - energy)
        g["electronics"] *= 1.0 - q
    groups = [(k, round(v, 4)) for k, v in g.items() if round(v, 4) > 0]
    exposure = 1.0 - sum(v for _, v in groups)
    return groups, max(0.0, int(exposure * 10000 + 1e-6) / 10000)
ORDER = ["USA", "CHN", "EU27", "JPN", "KOR", "TWN", "GBR", "CAN", "MEX", "IND", "AUS", "ASEAN", "BRA"]

def tn(v, rel):
    """TruncNormal(v, rel·v, v − 3·rel·v, v + 3·rel·v), written compactly."""
    sd = rel * v
    return f"TruncNormal({v:g}, {sd:.4g}, {max(0.0, v - 3 * sd):.6g}, {v + 3 * sd:.6g})"

def u(lo, hi):
    lo, hi = max(0.0, lo), min(1.0, hi)
    return f"Uniform({lo:g}, {hi:g})"

# Priors that are not data. (security_dependence, threat, hedging_capacity, credibility, autonomy)
# are centred values with a +-0.1 uniform band; resolve is CALIBRATION.md's triangular prior.
# Basis: security dependence from US troops hosted and treaty status (actors.csv); threat from
# the actor's neighbourhood (Russia for Europe, China and North Korea for North-East Asia);
# hedging capacity from the breadth of the FTA network (CPTPP, RCEP, EU agreements);
# credibility from treaty depth; autonomy from the actor's own defence industry and nuclear status.
PRIORS = {
    #        s     theta hedge cred  auto  resolve (min, mode, max)
    "USA":   (0.00, 0.20, 0.00, 1.00, 1.00, (0.5, 0.7, 0.9)),
    "CHN":   (0.00, 0.30, 0.80, 0.10, 0.90, (0.6, 0.8, 1.0)),
    "EU27":  (0.50, 0.60, 0.70, 0.70, 0.40, (0.2, 0.4, 0.6)),
    "JPN":   (0.70, 0.70, 0.60, 0.80, 0.30, (0.0, 0.15, 0.3)),
    "KOR":   (0.80, 0.80, 0.50, 0.75, 0.40, (0.0, 0.15, 0.3)),
    "TWN":   (0.80, 0.90, 0.30, 0.60, 0.20, (0.0, 0.15, 0.3)),
    "GBR":   (0.40, 0.50, 0.50, 0.80, 0.50, (0.0, 0.15, 0.3)),
    "CAN":   (0.50, 0.30, 0.30, 0.70, 0.20, (0.2, 0.4, 0.6)),
    "MEX":   (0.10, 0.20, 0.20, 0.50, 0.30, (0.1, 0.3, 0.5)),
    "IND":   (0.10, 0.60, 0.40, 0.50, 0.70, (0.4, 0.6, 0.8)),
    "AUS":   (0.50, 0.50, 0.60, 0.80, 0.30, (0.0, 0.15, 0.3)),
    "ASEAN": (0.20, 0.50, 0.70, 0.50, 0.40, (0.1, 0.3, 0.5)),
    "BRA":   (0.05, 0.20, 0.40, 0.40, 0.60, (0.4, 0.6, 0.8)),
}
# The basis of each actor's priors, written beside them in world_2025.ron and tabled in MODEL.md.
BASIS = {
    "USA": "the hegemon: its own guarantor, no hedging",
    "CHN": "the rival: no US guarantee; the largest FTA network of Asia (RCEP); nuclear power",
    "EU27": "NATO (23 of 27), 62k US troops; Russian threat; the widest FTA network; French deterrent",
    "JPN": "treaty of 1960, 54k US troops; China and North Korea; CPTPP and RCEP member",
    "KOR": "treaty of 1953, 28.5k US troops; North Korea; RCEP only",
    "TWN": "no treaty (Taiwan Relations Act), a few hundred trainers; the highest threat; few FTAs",
    "GBR": "NATO, 10k US troops, nuclear power; CPTPP member",
    "CAN": "NATO and NORAD, no US troops; low threat; CPTPP, USMCA",
    "MEX": "no treaty (left the Rio Treaty 2004); CPTPP, USMCA",
    "IND": "no treaty (Major Defense Partner); China and Pakistan; few FTAs; nuclear power",
    "AUS": "ANZUS, rotational Marines; China; CPTPP and RCEP member",
    "ASEAN": "aggregate: two treaty allies (PHL, THA) among ten; South China Sea; RCEP, partly CPTPP",
    "BRA": "nominal Rio Treaty party; low threat; Mercosur",
}
# chi: CALIBRATION.md (CHN 1-3; EU27 0.2-0.5; others 0-0.2).
CHOKE = {"CHN": "Uniform(1, 3)", "EU27": "Uniform(0.2, 0.5)"}
# High-value share of exports to the US (actors.csv where known; KOR 0.27-0.34 with parts).
HIGH_VALUE = {"KOR": "Uniform(0.27, 0.34)"}
# Blocs at round 0 (actors.csv: rcep, cptpp, and USMCA), eligibility and pending applications.
BLOCS = {
    "USA": ["USMCA"], "CAN": ["CPTPP", "USMCA"], "MEX": ["CPTPP", "USMCA"],
    "CHN": ["RCEP"], "JPN": ["CPTPP", "RCEP"], "KOR": ["RCEP"], "AUS": ["CPTPP", "RCEP"],
    "GBR": ["CPTPP"], "ASEAN": ["CPTPP", "RCEP"],
}
ELIGIBLE = {
    "CHN": ["CPTPP"], "TWN": ["CPTPP"], "KOR": ["CPTPP"], "IND": ["CPTPP", "RCEP"],
}
# The applicant's will (MODEL.md 3.4, blocs). The EU is a customs union: CPTPP accession is for
# states or separate customs territories (Art. 30.4) and no EU application existed by 31 Jul
# 2025, so it is not eligible (judgement: the bloc is not flagged `admits_customs_unions`).
CUSTOMS_UNION = {"EU27"}
# Deficit aversion, share of GDP: India left RCEP in Nov 2019 over a deficit with its members of
# about $105bn in 2018-19 (about 3.9% of GDP; Ministry of Commerce figures as reported then);
# judgement: it applies to a bloc only below 1-3% of GDP (on 2024 trade its deficit with the
# RCEP members is about 4.4% of GDP, with the CPTPP members about 1.3%).
MAX_BLOC_DEFICIT = {"IND": "Uniform(0.01, 0.03)"}
APPLIED = {"CHN": ["CPTPP"], "TWN": ["CPTPP"]}
# Bilateral FTAs pending on 31 Jul 2025 (MODEL.md 3.4, blocs: `fta`), each a two-party bloc whose
# first party is a member from the start and whose other party's application stands at the
# record's stage (applied = negotiating, working group = concluded, signed):
# - UK_IND: the UK-India Comprehensive Economic and Trade Agreement: in its last round of
#   talks in April 2025 (round 0), concluded 6 May 2025 and signed 24 Jul 2025 (UK Department
#   for Business and Trade); not in force by the cut-off. Judgement: it starts concluded (the
#   stage it reached a month into the run), not signed, which it was only in July.
# - EU_MERCOSUR: the EU-Mercosur partnership agreement, negotiations concluded 6 Dec 2024
#   (European Commission, Montevideo); not signed by the cut-off. Brazil stands for Mercosur.
# - EU_IND: EU-India FTA negotiations, relaunched 17 Jun 2022 (European Commission).
# - CAN_ASEAN: Canada-ASEAN FTA negotiations, launched 16 Nov 2021 (Global Affairs Canada).
# Not represented: EU-Indonesia (political agreement 13 Jul 2025), since Indonesia is one member
# of the ASEAN aggregate; EFTA-India (TEPA, signed 10 Mar 2024), EFTA being no actor.
FTAS = {"UK_IND": ("GBR", "IND", "WorkingGroup"), "EU_MERCOSUR": ("EU27", "BRA", "WorkingGroup"),
        "EU_IND": ("EU27", "IND", "Applied"), "CAN_ASEAN": ("CAN", "ASEAN", "Applied")}
if OPTS.backcast_2018:
    FTAS = {}  # the 2018 back-cast: none of these was at its 2025 stage (BACKCAST_2018 below)
for _name, (_member, _party, _stage) in FTAS.items():
    BLOCS.setdefault(_member, []).append(_name)
TREATY = {"EU27", "JPN", "KOR", "GBR", "CAN", "AUS"}
POLES = {"USA", "CHN", "EU27"}
# Every actor decides by the quantal rule, the rival too (Model 2b): "China retaliates" and its
# truce are the rule's answer to its costs, not a fixed policy.
POLICY = {}
# Deal terms (MODEL.md 3.4, settlement). China's truce at Geneva (US-China Joint Statement, 12 May
# 2025): its 125% counter-tariff fell to 10%, the rate the US reciprocal tariff kept (34% with 24
# points suspended), so the counter-tariff it keeps mirrors the deal's tariff (keep_counter 1);
# the suspension ran 90 days (expiry: 3 monthly rounds). Renewal: judgement, Uniform(0.5, 0.9):
# at Stockholm (28-29 Jul 2025) both sides said they would seek a further 90 days; whether it
# was renewed is after the cut-off.
DEAL_TERMS = {"CHN": "(keep_counter: 1, expiry: Some(3), renewal: Uniform(0.5, 0.9))"}
# Export controls (MODEL.md 3.4, phase 6): in force in a round China retaliates, lifted by a deal.
# Record: MOFCOM and GAC Announcement No. 18 of 2025 (4 April 2025) put seven medium and heavy
# rare earths (samarium, gadolinium, terbium, dysprosium, lutetium, scandium, yttrium), their
# compounds and alloys and the magnets containing them under export licensing for every
# destination; licences stalled in April-May 2025 (CLEPA, 4 June 2025: about a quarter of the
# suppliers' applications granted, plants and lines shut in Europe; Ford idled its Chicago
# Explorer line for a week in May 2025); China agreed to approve licences under the
# Geneva/London framework (London, 9-10 June 2025; confirmed 25-27 June 2025).
# share: judgement, Uniform(0.0005, 0.003) of China's exports to each partner. China exported
# US$2.86bn of rare-earth permanent magnets and alloys in 2024 (Adamas Intelligence from GAC
# data) and US$0.49bn of rare-earth minerals and compounds (GAC via Reuters, January 2025):
# about 0.09% of its 3,577bn of goods exports, an upper bound for the goods under licence (not
# every NdFeB magnet contains Dy or Tb); the upper end allows for goods containing them.
# multiplier: judgement, Uniform(5, 30) of downstream output lost per dollar withheld (a magnet
# worth dollars stops a vehicle line). spill: judgement, Uniform(0.5, 1): licensing applied to
# every destination and Europe's suppliers were hit (CLEPA), but US buyers were vetted hardest.
# Safeguards against deflected imports (MODEL.md 3.4, trade), for every actor but the hegemon:
# every WTO member has safeguard and anti-dumping law, and by 31 Jul 2025 the record shows its use
# against steel deflected by the US tariffs (EU steel safeguard since Jul 2018, tightened by
# Implementing Regulation (EU) 2025/612 from 1 Apr 2025; the UK's since 2019; Canada's TRQs on
# non-FTA steel from 27 Jun 2025; India's provisional steel safeguard of 21 Apr 2025; Brazil's
# steel TRQs of Jun 2024; Mexico's tariff rises on non-FTA steel of 2023-24). In the model's one
# aggregate flow: judgement, a trigger when re-routed imports exceed Uniform(0.01, 0.1) of the
# actor's imports from the non-hegemon exporters at the start, and a cut of Uniform(0.02, 0.1) of
# the excess (the share of deflected goods under remedy: steel, aluminium, some chemicals).
SAFEGUARD = "(surge: Uniform(0.01, 0.1), cut: Uniform(0.02, 0.1))"
# Own defence commitments made by 31 Jul 2025 (MODEL.md 3.4, settlement: a straight path to the
# target that needs no trade deal), core defence as a share of GDP, years from April 2025.
# NATO's Hague Summit Declaration (25 Jun 2025): 3.5% of GDP on core defence by 2035 (plus 1.5%
# on related spending, not counted here); reached 8 to 11 years on (judgement, Uniform(8, 11):
# about 64% of allies on time by March 2035, as 23 of 32 allies met the Wales pledge of 2014, 2% of
# GDP within a decade, in 2024: NATO, Defence Expenditure of NATO Countries, 17 Jun 2024). The EU27 aggregate: 23 members in NATO, Spain exempting itself (letter of PM
# Sanchez, 22 Jun 2025) and four members outside NATO: 3.3% (judgement, GDP-weighted). Japan:
# 2% of GDP with related spending by FY2027 (National Security Strategy, 16 Dec 2022). Taiwan:
# "over 3 percent of GDP" (President Lai, 14 Feb 2025), read as from the 2026 budget, 1.75
# years (judgement). The UK's 2.5% by 2027 (PM Starmer, 25 Feb 2025) lies on its Hague path.
DEFENSE_PATHS = {
    "CAN": ("0.035", "Uniform(8, 11)", "Hague, 25 Jun 2025"),
    "GBR": ("0.035", "Uniform(8, 11)", "Hague, 25 Jun 2025"),
    "EU27": ("0.033", "Uniform(8, 11)", "Hague, 25 Jun 2025, EU aggregate (judgement)"),
    "JPN": ("0.02", "2", "National Security Strategy, Dec 2022"),
    "TWN": ("0.03", "1.75", "President Lai, 14 Feb 2025"),
}
# The United States' security conduct seen by its allies from April 2025 (round 0) to 31 Aug
# 2025, as security events (MODEL.md 3.4, phase 5): (round, kind, targets, weight in conduct
# signals, source). Each weight is judgement, Uniform(0, 1): a statement is worth at most one
# month's signal of conduct; so is reading the Shangri-La speech, which also asked the allies to
# spend more, as reassurance. The Hague declaration is a joint act the United States signed.
# Earlier conduct (Hegseth in Brussels, 12 Feb 2025: "stark strategic realities" keep the US
# from being "primarily focused on the security of Europe"; Trump, 6 Mar 2025: NATO allies that
# do not pay he would not defend, and the Japan treaty one-sided) is not an event: only the
# allies' common prior (prior_extortionist, judgement) stands for where they started. The list
# stops at the last such statement found and sourced; there is no systematic selection rule.
NATO_ALLIES = ["EU27", "GBR", "CAN"]
INDO_PACIFIC = ["JPN", "KOR", "TWN", "AUS"]
SECURITY_EVENTS = [
    (0, "Questioned", ["JPN"], "Uniform(0, 1)",
     "Trump at a Cabinet meeting, 10 Apr 2025: 'We defend them, but they don't have to defend us' (Yomiuri, 11 Apr 2025)"),
    (1, "Reaffirmed", INDO_PACIFIC, "Uniform(0, 1)",
     "Hegseth at the Shangri-La Dialogue, 31 May 2025: the US 'will not let our allies and partners be subordinated and intimidated'"),
    (2, "Questioned", NATO_ALLIES, "Uniform(0, 1)",
     "Trump en route to The Hague, 24 Jun 2025: Article 5 'depends on your definition' (Politico Europe, 24 Jun 2025)"),
    (2, "Reaffirmed", NATO_ALLIES, "Uniform(0, 1)",
     "The Hague Summit Declaration, 25 Jun 2025: 'our ironclad commitment to collective defence as enshrined in Article 5'"),
]
EXPORT_CONTROLS = {"CHN": "(share: Uniform(0.0005, 0.003), multiplier: Uniform(5, 30), spill: Uniform(0.5, 1))"}

# The 2018-19 back-cast's world (--backcast-2018; scenarios/backcast_2018.ron, MODEL.md 4.5). The
# 2025 world's data and priors stand in for 2017's (judgement: 2024 trade, 2025 GDP, the 2025 blocs
# in force; the pending applications and FTAs of 2025 are dropped), with the counter-tariff
# packages of 2018 (MODEL.md 3.3, `retaliation`: the value of US exports covered, bn USD a year, and
# the rate). Enacted lists, from the record:
# - EU27: Commission Implementing Regulation (EU) 2018/886 (20 Jun 2018), rebalancing duties from
#   22 Jun 2018 on EUR 2.8bn of US goods, mostly at 25%: about USD 3.3bn at EUR 1 = USD 1.18.
# - CAN: Department of Finance, countermeasures of 29 Jun 2018, surtaxes from 1 Jul 2018 on
#   CAD 16.6bn of US goods, 25% on steel and 10% on the rest: about USD 12.8bn; the average rate
#   between the two is judgement, Uniform(0.1, 0.25).
# - MEX: decree of 5 Jun 2018 (DOF), duties of 15-25% on about USD 3bn of US goods.
# - IND: duties on 29 US goods notified to the WTO in 2018 (about USD 235m a year), applied from
#   16 Jun 2019 (notification 17/2019-Customs): judgement, USD 1.2bn covered at 20%.
# Every other actor but the rival: no list was enacted, so the package is the rebalancing the WTO
# Agreement on Safeguards (Art. 8.2) allows, duties "substantially equivalent" to those its exports
# pay: 25% on a value V with 0.25 V = 0.19 x (its steel and aluminium share) x (its exports to the
# US), the 2018 line's rate 0.19 (timeline_2018.ron). Japan's notification of May 2018 reserved
# rebalancing of about that size. The rival has no package: its counter-tariff matches the
# Section 301 tariffs on the reciprocal line (timeline_2018.ron), as China's lists did.
BACKCAST_2018 = {"EU27": ("3.3", "0.25"), "CAN": ("12.8", "Uniform(0.1, 0.25)"),
                 "MEX": ("3", "Uniform(0.15, 0.25)"), "IND": ("1.2", "0.2")}
if OPTS.backcast_2018:
    APPLIED = {}

def package_2018(a, groups):
    """The 2018 counter-tariff package of actor `a` (BACKCAST_2018 above): (value, rate, basis)."""
    if a in BACKCAST_2018:
        return (*BACKCAST_2018[a], "enacted list, make_world.py BACKCAST_2018")
    steel = dict(groups).get("steel_aluminium", 0.0)
    m = float(tariffs[a]["us_imports_m_2024_bn_usd"])
    return (f"{0.19 * steel * m / 0.25:.3g}", "0.25", f"WTO-equivalent rebalancing: 0.19 x {steel:g} x {m:g} bn")

def conf(key, actor):
    """Relative data uncertainty from the confidence column: reported 1%, recalled/estimate 3%."""
    c = actors[actor]["confidence"]
    part = [p.strip() for p in c.split(";") if p.strip().startswith(key)]
    return 0.01 if part and "reported" in part[0] else 0.03

out = []
w = out.append
if OPTS.backcast_2018:
    w("// The 2018-19 back-cast's world: the 2025 world's 13 actors, trade, blocs and priors standing in")
    w("// for 2017's (judgement), with the counter-tariff packages of 2018 (make_world.py BACKCAST_2018);")
    w("// monthly rounds, round 0 = March 2018 (scenarios/backcast_2018.ron).")
else:
    w("// The 2025 world: 13 actors, their 2024 trade, blocs and the model's priors, in monthly rounds")
    w("// (rounds_per_year 12 in every scenario that includes it; round 0 = April 2025).")
w("// GENERATED by scenarios/data/make_world.py from the CSVs in this folder; edit those, not this.")
w("// Sources of every data row: the `source` column of the CSV named in each comment.")
w("(")
w('    hegemon: "USA",')
w('    rival: Some("CHN"),')
w('    rest_of_world: "ROW",')
w('    default_affinity: 0.7,')
w("    // The rival's sanction hazard per deal round with a security step (MODEL.md 3.4, phase 6):")
w("    // judgement, Uniform(0, 0.01) a month. THAAD (Korea's deployment decision, Jul 2016; China's")
w("    // boycott from Mar 2017) was one deployment; routine build-ups were not sanctioned on the")
w("    // record to 31 Jul 2025 (Japan's Dec 2022 plan to 2% of GDP; AUKUS, Sep 2021).")
w('    security_sanction_hazard: Some(Uniform(0, 0.01)),')
w("    // The tilt toward the rival of a month of hedging at no faith in the guarantee, for an actor")
w("    // whose exports all go to a rival it fully likes (MODEL.md 3.4, phase 5; scaled by its affinity")
w("    // to the rival and its export share there): judgement, Uniform(0, 0.1).")
w('    rival_tilt: Some(Uniform(0, 0.1)),')
w("    // Concede-and-hedge as its own bundle (MODEL.md 3.3): a deal and a full hedge step at once, the")
w("    // saving priced at the deal's tariff. Judgement from the record to 31 Jul 2025: the EU took its")
w("    // deal (27 Jul) while concluding with Indonesia (13 Jul) and Mercosur (Dec 2024).")
w('    concede_hedge_share: Some(1),')
w("    // National welfare from trade theory (MODEL.md 3.4, welfare). omega, the inverse elasticity of")
w("    // an exporter's supply to a market that taxes it: judgement, Uniform(0, 0.1), from the near-")
w("    // complete pass-through of the 2018-19 US tariffs to US import prices (Amiti, Redding &")
w("    // Weinstein, JEP 2019; Fajgelbaum, Goldberg, Kennedy & Khandelwal, QJE 2020, who cannot reject")
w("    // flat foreign supply; Cavallo, Gopinath, Neiman & Tang, AER: Insights 2021). s, the share of net")
w("    // lost export revenue that is lost income within the year: judgement, Uniform(0.1, 0.5), below")
w("    // the domestic value-added share of gross exports (OECD TiVA), which would hold if no factor")
w("    // were re-employed (specific factors bear the loss: Jones 1971).")
w('    welfare: Some((supply_inverse: Uniform(0, 0.1), rent_share: Uniform(0.1, 0.5))),')
if not OPTS.backcast_2018:  # the back-cast keeps the deterministic signal (MODEL.md 4.5)
    w("    // Security beliefs as inference (MODEL.md 3.4, phase 5; 2025 only), all judgement: beliefs and threat recover")
    w("    // a tenth to a half of their gap to the start in a year; a month under China's sanction raises")
    w("    // the threat by up to 5% of its gap to 1; internal balancing adds up to 3 points of GDP at full")
    w("    // dependence, threat and lost faith, the order of the rises after 2014 and 2022 of the allies")
    w("    // nearest the threat (NATO, Defence Expenditure of NATO Countries 2014-2024, 17 Jun 2024).")
    w("    // Arming beside the alliance (beliefs.arming): up to 5 points of GDP per unit rise of the threat")
    w("    // (judgement: a rise of a tenth, as China's sanctions bring, adds at most half a point).")
    w('    beliefs: Some((recovery: Uniform(0.1, 0.5), threat_shock: Uniform(0, 0.05), balancing: Uniform(0, 0.03), arming: Some(Uniform(0, 0.05)))),')
    w("    // The United States' security conduct from April 2025 (MODEL.md 3.4, phase 5; make_world.py")
    w("    // SECURITY_EVENTS); each event's weight, in conduct signals, is judgement.")
    w("    security_events: [")
    for rnd, kind, targets, size, basis in SECURITY_EVENTS:
        names = ", ".join(f'"{t}"' for t in targets)
        w(f"        (round: {rnd}, kind: {kind}, targets: [{names}], size: {size}), // {basis}")
    w("    ],")
    w("    // A treaty ally whose trust ruptures leaves the guarantee and drops a fifth to three fifths of")
    w("    // its alignment with the United States (judgement).")
    w("    rupture: Some((alignment_loss: Uniform(0.2, 0.6))),")
w("    // Model constants: priors of CALIBRATION.md (section 'Priors for uncertain constants'); the")
w("    // per-round ones converted from quarters to months by the rules of its section 'Round length'.")
w("    model: (")
MODEL = [
    ("elasticity_sr", "TruncNormal(0.76, 0.1, 0.4, 1.1)", "Boehm, Levchenko & Pandalai-Nayar (AER 2023): Normal(0.76, 0.1), truncated at +-3.6 sd"),
    ("elasticity_lr", "Uniform(1.75, 5.0)", "Boehm et al. 1.75-2.25; Head & Mayer structural median about 5"),
    ("adjustment_years", "Uniform(3, 4.5)", "90% of adjustment within 7-10 years"),
    ("volume_loss_weight", "Triangular(0.8, 1, 1)", "complete pass-through in 2018 (Fajgelbaum et al. 2020)"),
    ("reroute_share", "Uniform(0.2, 0.7)", "SMART substitution; 2018-24 rerouting via ASEAN and Mexico"),
    ("rta_premium", "Uniform(0.2, 1.0)", "Baier & Bergstrand (2007): +40-100%"),
    ("rta_phase_in_years", "10", "Baier & Bergstrand: effects phase in over about 10 years"),
    ("rationality", "LogUniform(2, 200)", "no direct data; fit by pattern filtering"),
    ("hedge_speed", "Uniform(0.002, 0.01)", "about 7% a year growth of non-US exports"),
    ("hedge_cost", "Uniform(0.1, 0.3)", "assumed: one-off cost of finding new buyers, 10-30% of a year's diverted value"),
    ("retaliation_cost", "Uniform(0.5, 1.0)", "assumed: own importers bear most of a counter-tariff (Amiti, Redding & Weinstein 2019)"),
    ("resolve_benefit", "Uniform(0.1, 0.5)", "assumed: domestic reward of standing firm, % of GDP at resolve 1"),
    ("defense_adjustment", "Uniform(0.05, 0.2)", "assumed: 5-20% of the gap to the target closed per year (NATO 2% took a decade)"),
    ("credibility_adjustment", "Uniform(0.05, 0.2)", "assumed: beliefs adjust over 1-5 years"),
    ("autonomy_from_hedging", "Uniform(0.002, 0.01)", "assumed: of the order of the hedging speed"),
    ("autonomy_from_defense", "Uniform(5, 15)", "assumed: +1 pp of GDP on defence adds 0.05-0.15 autonomy"),
    ("security_weight", "Uniform(4, 10)", "assumed: cost of a lost guarantee, 4-10% of GDP (replacement defence effort and risk)"),
    ("renege_hazard", "Uniform(0.02, 0.15)", "Fearon; US statements that deals would be reviewed quarterly"),
    ("escalation", "Uniform(0.2, 0.9)", "US escalation against retaliators in 2025 (China: +50 pp, then +41 pp)"),
    ("retaliation_match", "1", "assumed: counter-tariffs mirror the tariff faced (China 2025)"),
    ("hegemon_weight", "LogUniform(0.005, 0.03)", "assumed: comparable to China's coalition weight (about 0.012)"),
    ("bandwagon_discount", "Uniform(0, 0.2)", "assumed"),
    ("alignment_step", "Uniform(0.1, 0.3)", "assumed"),
    ("rival_sanction_hazard", "Uniform(0.05, 0.3)", "Korea THAAD boycott 2017; Farrell & Newman"),
    ("rival_sanction_cut", "Uniform(0.1, 0.5)", "assumed: THAAD cut Korean sales to China sharply in targeted sectors"),
    ("rival_sanction_rounds", "Uniform(2, 8)", "assumed: sanctions of half a year to two years"),
    ("entrapment_weight", "Uniform(10, 50)", "assumed: about delta_C x k_C/rpy x 100"),
    ("discount", "Uniform(0.95, 0.99)", "assumed: 4-20% a year"),
    ("max_hedge", "0.5", "assumed: at most half of exports to the hegemon can be diverted"),
    ("hedge_rounds_to_apply", "4", "assumed: a year of hedging before applying to a bloc"),
    ("credibility_penalty_retaliation", "Uniform(0.02, 0.1)", "assumed"),
    ("prior_extortionist", "Uniform(0.1, 0.3)", "assumed: allies start mostly trusting"),
    ("extraction_cap", "Uniform(0.003, 0.01)", "assumed: 0.3-1% of GDP a year reads as extortion"),
    ("signal_if_extortionist", "0.8", "assumed"),
    ("signal_if_reliable", "0.3", "assumed"),
    ("rupture_threshold", "0.4", "assumed"),
    ("max_tariff", "1.5", "the 145% US tariff on China of April 2025"),
    ("defense_benchmark", "0.035", "NATO Hague 2025 core target of 3.5% of GDP"),
]
# Round length. The priors above are stated per quarter (their sources: CALIBRATION.md); the
# world runs in months (ROUNDS_PER_YEAR = 12; round 0 = April 2025), so every per-round
# quantity is converted from PRIOR_ROUNDS_PER_YEAR = 4 by the rule of its kind (CALIBRATION.md,
# "Round length"), with k = ROUNDS_PER_YEAR / PRIOR_ROUNDS_PER_YEAR = 3:
#   hazard h (probability per round)          -> 1 - (1 - h)^(1/k)
#   partial adjustment a (share closed/round) -> 1 - (1 - a)^(1/k)
#   additive step s (added per round)         -> s / k
#   count n (in rounds)                       -> n * k
#   discount d (per round)                    -> d^(1/k)
#   likelihood pair (p_E, p_R) per round      -> the pair whose log-likelihood ratios, for both
#                                                readings, are 1/k of the quarterly ones
#   annual amounts, shares, levels, years     -> unchanged
# A distribution's endpoints are converted (each rule is monotone, so support maps to support).
ROUNDS_PER_YEAR = 12
PRIOR_ROUNDS_PER_YEAR = 4
K = ROUNDS_PER_YEAR / PRIOR_ROUNDS_PER_YEAR
KIND = {
    "hedge_speed": "additive", "autonomy_from_hedging": "additive", "alignment_step": "additive",
    "credibility_penalty_retaliation": "additive",
    "credibility_adjustment": "partial",
    "renege_hazard": "hazard", "rival_sanction_hazard": "hazard",
    "rival_sanction_rounds": "count", "hedge_rounds_to_apply": "count",
    "discount": "discount",
}
RULE = {
    "hazard": lambda h: 1 - (1 - h) ** (1 / K),
    "partial": lambda a: 1 - (1 - a) ** (1 / K),
    "additive": lambda s: s / K,
    "count": lambda n: n * K,
    "discount": lambda d: d ** (1 / K),
}
RULE_TEXT = {"hazard": "1-(1-h)^(1/3)", "partial": "1-(1-a)^(1/3)", "additive": "/3", "count": "x3",
             "discount": "d^(1/3)"}

def convert(value, kind):
    """The monthly form of a quarterly prior: a number or Uniform(lo, hi)."""
    f = RULE[kind]
    if value.startswith("Uniform("):
        lo, hi = (float(x) for x in value[len("Uniform("):-1].split(","))
        return f"Uniform({f(lo):.4g}, {f(hi):.4g})"
    return f"{f(float(value)):.4g}"

def signals(p_e, p_r):
    """The per-round likelihoods (p_E, p_R) whose log-likelihood ratios, for the signal and for
    its absence, are 1/K of those of (p_e, p_r): K monthly readings move the belief as one
    quarterly reading did."""
    a = (p_e / p_r) ** (1 / K)
    b = ((1 - p_e) / (1 - p_r)) ** (1 / K)
    r = (1 - b) / (a - b)
    return a * r, r

SIG = signals(0.8, 0.3)
for name, value, basis in MODEL:
    if name in KIND:
        kind = KIND[name]
        w(f"        {name}: {convert(value, kind)}, // per quarter {value}, monthly by the {kind} rule ({RULE_TEXT[kind]}); {basis}")
    elif name in ("signal_if_extortionist", "signal_if_reliable"):
        v = SIG[0] if name == "signal_if_extortionist" else SIG[1]
        w(f"        {name}: {v:.4g}, // per quarter {value} (with its pair 0.8 / 0.3), monthly by the likelihood-pair rule; {basis}")
    else:
        w(f"        {name}: {value}, // {basis}")
w("    ),")
w("    actors: [")
for a in ORDER:
    r = actors[a]
    s, th, hc, cr, au, res = PRIORS[a]
    gdp = float(r["gdp_2025_bn_usd"])
    dfn = r["defense_pct_gdp_2025_or_pledge"] or r["defense_pct_gdp_2024"]
    d = float(dfn) / 100.0
    hv = HIGH_VALUE.get(a) or (f'{float(r["high_value_share_of_exports_to_us"]):g}' if r["high_value_share_of_exports_to_us"] else "Uniform(0.2, 0.4)")
    groups, ex = export_groups(a) if a != "USA" else ([], 1.0)
    w(f"        // {a}: actors.csv ({r['confidence']}); priors (make_world.py PRIORS, MODEL.md 4.1):")
    w(f"        // {BASIS[a]}.")
    w("        (")
    w(f'            name: "{a}",')
    w("            params: (")
    w(f"                gdp: {tn(gdp, conf('gdp', a))}, // IMF WEO Apr 2025, 2025 projection, bn USD")
    w(f"                defense: {tn(d, 0.05)}, // {'2025 ' + r['defense_2025_basis'] if r['defense_pct_gdp_2025_or_pledge'] else 'SIPRI 2024 (published Apr 2025)'}")
    w(f"                security_dependence: {u(s - 0.1, s + 0.1) if s > 0 else '0'}, // prior: troops and treaty (actors.csv)")
    w(f"                threat: {u(th - 0.1, th + 0.1)}, // prior: neighbourhood")
    w(f"                resolve: Triangular({res[0]:g}, {res[1]:g}, {res[2]:g}), // CALIBRATION.md resolve prior")
    w(f"                hedging_capacity: {u(hc - 0.1, hc + 0.1) if hc > 0 else '0'}, // prior: breadth of FTA network")
    w(f"                high_value_share: {hv}, // actors.csv high_value_share_of_exports_to_us")
    w(f"                exposure: {ex:g}, // {'the hegemon: no tariff on itself' if a == 'USA' else 'derived: 1 - sum of export_groups (sector_exposure_2024.csv)'}")
    w(f"                chokepoint: {CHOKE.get(a, 'Uniform(0, 0.2)')}, // CALIBRATION.md chi prior")
    w(f"                credibility: {u(cr - 0.1, cr + 0.1) if a != 'USA' else '1'}, // prior: depth of the treaty")
    w(f"                autonomy: {u(au - 0.1, au + 0.1) if a != 'USA' else '1'}, // prior: own defence industry, nuclear status")
    w("            ),")
    w(f"            treaty_ally: {'true' if a in TREATY else 'false'}, // actors.csv us_treaty_ally")
    w(f"            pole: {'true' if a in POLES else 'false'},")
    w(f"            blocs: [{', '.join(chr(34) + b + chr(34) for b in BLOCS.get(a, []))}],")
    w(f"            eligible: [{', '.join(chr(34) + b + chr(34) for b in ELIGIBLE.get(a, []))}],")
    if a in CUSTOMS_UNION:
        w("            customs_union: true, // one trade policy; not a CPTPP applicant (make_world.py)")
    if a in MAX_BLOC_DEFICIT:
        w(f"            max_bloc_deficit: Some({MAX_BLOC_DEFICIT[a]}), // judgement: left RCEP in 2019 at a deficit of about 3.9% of GDP (make_world.py)")
    apps = ", ".join([f'(bloc: "{b}", stage: Applied)' for b in APPLIED.get(a, [])]
                     + [f'(bloc: "{n}", stage: {s})' for n, (_, p, s) in FTAS.items() if p == a])
    w(f"            applications: [{apps}], // actors.csv cptpp_or_rcep_application_status; FTAs: make_world.py FTAS")
    w(f"            policy: {POLICY.get(a, 'Quantal')},")
    if a in DEAL_TERMS:
        w(f"            deal_terms: Some({DEAL_TERMS[a]}), // Geneva truce, 12 May 2025; renewal judgement (make_world.py)")
    if OPTS.backcast_2018 and a not in ("USA", "CHN"):
        v, rate, basis = package_2018(a, groups)
        w(f"            retaliation: Some((value: {v}, rate: {rate})), // 2018: {basis}")
    if a != "USA":
        w(f"            safeguard: Some({SAFEGUARD}), // judgement (make_world.py SAFEGUARD)")
    if a in DEFENSE_PATHS and not OPTS.backcast_2018:  # commitments of 2022-25
        target, years, basis = DEFENSE_PATHS[a]
        w(f"            defense_path: Some((target: {target}, years: {years})), // {basis} (make_world.py DEFENSE_PATHS)")
    if a in EXPORT_CONTROLS and not OPTS.backcast_2018:  # China used no export controls in 2018-19
        w("            // Rare-earth licensing, MOFCOM/GAC Announcement No. 18 of 2025 (4 Apr 2025); priors")
        w("            // judgement (make_world.py EXPORT_CONTROLS)")
        w(f"            export_controls: Some({EXPORT_CONTROLS[a]}),")
    if groups:
        w("            // Shares of exports to the USA outside the reciprocal line (sector_exposure_2024.csv;")
        w("            // make_world.py export_groups); the `reciprocal` group is `exposure`.")
        w(f"            export_groups: [{', '.join(f'({chr(34)}{k}{chr(34)}, {v:g})' for k, v in groups)}],")
    w("        ),")
w("    ],")
w("    // Consensus veto: members' affinity below a bloc's threshold stalls an application.")
w("    // Assumed values; CPTPP members have not opened a working group for China or Taiwan (2021-).")
w("    affinity: [")
AFF = [("JPN", "CHN", 0.2), ("AUS", "CHN", 0.25), ("CAN", "CHN", 0.25), ("GBR", "CHN", 0.3), ("MEX", "CHN", 0.5),
       ("ASEAN", "TWN", 0.2), ("CHN", "TWN", 0.0), ("CHN", "JPN", 0.4), ("CHN", "IND", 0.35), ("CHN", "KOR", 0.5),
       # Toward the rival, for its tilt (MODEL.md 3.4, phase 5): judgement, mirroring the rival's
       # assumed affinity toward the actor where only that was assumed.
       ("TWN", "CHN", 0.0), ("IND", "CHN", 0.35), ("KOR", "CHN", 0.5)]
for f, t, v in AFF:
    w(f'        (from: "{f}", to: "{t}", value: {v}),')
w("    ],")
w("    // Accession hazards: CALIBRATION.md gives them per quarter (applied->working group 1/8,")
w("    // ->signed 1/5, ->in force 1/4, each +-50%; RCEP at about half); here per month by the")
w("    // hazard rule 1-(1-h)^(1/3). USMCA takes no new members.")
w("    blocs: [")
def hz(lo, hi):
    return convert(f"Uniform({lo}, {hi})", "hazard")
w(f'        (name: "CPTPP", regional: true, veto_threshold: 0.3, hazards: (working_group: {hz(0.0625, 0.1875)}, signed: {hz(0.1, 0.3)}, in_force: {hz(0.125, 0.375)})),')
w(f'        (name: "RCEP", regional: true, veto_threshold: 0.3, hazards: (working_group: {hz(0.03125, 0.09375)}, signed: {hz(0.05, 0.15)}, in_force: {hz(0.0625, 0.1875)})),')
w('        (name: "USMCA", regional: true, veto_threshold: 0.3, hazards: (working_group: 0, signed: 0, in_force: 0)),')
w("        // Bilateral FTAs (make_world.py FTAS), per month: judgement, negotiations concluded in 3 to 8")
w("        // years, signed 1 to 2 years after conclusion, in force 9 months to 2 years after signature;")
w("        // no veto (the member negotiates it).")
for name in FTAS:
    w(f'        (name: "{name}", regional: false, fta: true, veto_threshold: 0, hazards: (working_group: Uniform(0.0104, 0.0278), signed: Uniform(0.0417, 0.0833), in_force: Uniform(0.0417, 0.1111))),')
w("    ],")
# The hegemon's tariff lines (Model 2a). The strategy's reciprocal line rests on IEEPA (EO 14257);
# every other line is a measure whose rates come only from the scenario's timeline
# (timeline_2025.ron). `covers` lists the product groups a line taxes ("reciprocal" = the group
# under the reciprocal line); stacking follows the record (us_measures_2025.csv stacks_with).
MEASURES = [
    ("s232_steel_aluminium", "Section-232", ["steel_aluminium"],
     "Proclamations 10895/10896 (10 Feb 2025), 10947 (3 Jun 2025); since 4 Jun 2025 it applies before the CAN/MEX IEEPA line (EO 14289 as amended by Proclamation 10947), so that line does not cover it"),
    ("s232_autos", "Section-232", ["autos"],
     "Proclamation 10908 (26 Mar 2025), vehicles from 3 Apr 2025; not stacked with the CAN/MEX IEEPA line or 232 metals (EO 14289)"),
    ("s232_auto_parts", "Section-232", ["auto_parts"],
     "Proclamation 10908 Annex II parts from 3 May 2025; USMCA-compliant parts exempt (in CAN/MEX `usmca`)"),
    ("s232_copper", "Section-232", ["copper"],
     "Proclamation 10962 (30 Jul 2025), 50% on copper content from 1 Aug 2025; non-copper content not modelled"),
    ("ieepa_fentanyl", "IEEPA", ["reciprocal", "annex_ii", "electronics"],
     "CAN and MEX: EO 14193 / 14194 (1 Feb 2025), in force 4 Mar 2025; USMCA goods exempt (EO 14231 / 14232); Annex II and electronics give no shelter; 232 goods excluded (EO 14289)"),
    ("ieepa_fentanyl_chn", "IEEPA", ["reciprocal", "annex_ii", "electronics", "steel_aluminium", "autos", "auto_parts", "copper"],
     "CHN: EO 14195 (1 Feb 2025) and EO 14228 (3 Mar 2025), 20%; stacks with 232, 301 and the reciprocal tariff and applies to Annex II and electronics (EO 14289 does not cover China)"),
    ("ieepa_brazil_political", "IEEPA", ["reciprocal"],
     "BRA: EO 14323 (30 Jul 2025), +40% from 6 Aug 2025 on goods outside its Annex I and outside 232; its rate in the timeline is the effective one on the reciprocal group"),
    ("ieepa_india_russia_oil", "IEEPA", ["reciprocal"],
     "IND: EO 14329 (6 Aug 2025), +25% from 27 Aug 2025; Annex II, electronics (HTS 9903.01.86) and 232 goods (9903.01.87) exempt"),
    ("s301_china", "Section-301", ["reciprocal", "annex_ii", "electronics", "steel_aluminium", "autos", "auto_parts", "copper"],
     "CHN: USTR Section 301 Lists 1-3 (25%) and 4A (7.5%) and the 2024 four-year review; one line at its trade-weighted average over all imports from China, so it covers every group"),
]
w("    // The hegemon's tariff lines (Model 2a; scenarios/README.md). The reciprocal line is the")
w("    // strategy's and rests on IEEPA (EO 14257, 2 Apr 2025); every other line's rates come only")
w("    // from a scenario's timeline (data/timeline_2025.ron). Sources: us_measures_2025.csv.")
w('    reciprocal_basis: Some("IEEPA"),')
w("    measures: [")
for name, basis, covers, note in MEASURES:
    w(f"        // {note}")
    w(f'        (name: "{name}", basis: "{basis}", covers: [{", ".join(chr(34) + c + chr(34) for c in covers)}]),')
w("    ],")
w("    // Exports X_ij(0), bn USD per year, 2024 (trade_2024.csv). Flows with USA: US Census data")
w("    // (us_tariffs_2025.csv x and m); ROW absorbs the difference to keep each exporter's total.")
w("    trade: [")
adjust = {}
for t in trade:
    e, i = t["exporter"], t["importer"]
    v = float(t["value_bn_usd"])
    note = f'{t["confidence"]}: {t["source"]}'
    if i == "USA" and e in tariffs:
        m = float(tariffs[e]["us_imports_m_2024_bn_usd"])
        adjust[e] = adjust.get(e, 0.0) + (v - m)
        note = f"US Census imports (us_tariffs_2025.csv m); exporter reported {v:g}"
        v = m
    if e == "USA" and i in tariffs:
        x = float(tariffs[i]["us_exports_x_2024_bn_usd"])
        adjust[e] = adjust.get(e, 0.0) + (v - x)
        v = x
    t["_v"], t["_note"] = v, note
for t in trade:
    e, i = t["exporter"], t["importer"]
    v, note = t["_v"], t["_note"]
    if i == "ROW" and abs(adjust.get(e, 0.0)) > 1e-9:
        note = f"residual, adjusted by {adjust[e]:+.1f} for US-reported flows"
        v = v + adjust[e]
    w(f'        (from: "{e}", to: "{i}", value: {v:.1f}), // {note}')
w("    ],")
# The calibration (MODEL.md 4.3): posteriors of `statecraft patterns --abc` for the world's
# parameters that the 2025 patterns moved; calibration_2025.csv is written by calibrate.sh.
# The file of Calibration 1 was removed (CUTOFF_AUDIT.md 1b): it was fitted to patterns whose
# windows ran past the cut-off, so the priors stand until Calibration 2 writes a new one.
CAL = os.path.join(HERE, "calibration_2025.csv")
if not OPTS.uncalibrated and os.path.exists(CAL):
    # The 2025 world takes every world parameter the patterns inform; the back-cast only the
    # behavioural constants (`model.*`): the actors' 2025 parameters are not 2018's.
    keep = ("model",) if OPTS.backcast_2018 else ("model", "actors", "blocs", "world")
    cal = [r for r in rows("calibration_2025.csv") if r["param"].split(".")[0] in keep]
    w("    // Calibration to the 2025 patterns (MODEL.md 4.3, calibration_2025.csv, written by")
    w("    // calibrate.sh): ABC posteriors, fitted on each prior's scale, of the parameters the")
    w("    // patterns inform" + (" (the behavioural constants only in the back-cast)." if OPTS.backcast_2018 else "."))
    w("    param_overrides: [")
    for r in cal:
        w(f'        ("{r["param"]}", {r["fitted"]}), // prior mean {float(r["prior_mean"]):.4g}, posterior {float(r["posterior_mean"]):.4g}')
    w("    ],")
w(")")
with open(OUT, "w") as f:
    f.write("\n".join(out) + "\n")
print(f"wrote {OUT}")
