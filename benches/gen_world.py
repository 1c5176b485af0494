#!/usr/bin/env python3
"""A generated N-actor world for benchmarking (issue #21): the 2025 baseline grown to N actors.

    python3 benches/gen_world.py N OUT_DIR [SEED]

Writes OUT_DIR/world.ron, OUT_DIR/timeline_2025.ron (a copy) and OUT_DIR/scenario.ron, the
2025 baseline scenario (scenarios/paid_access_2025.ron: strategy, deals, pledges, the timeline)
over a world of N >= 3 actors. For N >= 13 the 13 actors of scenarios/data/world_2025.ron are
kept as they are; the N - 13 others are copies of its allies (every actor but the hegemon and the rival),
taken in turn, named `JPN_2`, `KOR_2`, ... `JPN_3`, ..., each with its archetype's blocs,
applications, export groups, safeguard and defence path, a GDP scaled by a drawn factor
(0.2-1), and each of its [0, 1] uniform priors shifted by a drawn amount (+-0.05). Trade: the
13 actors' flows are the baseline's; a flow from or to a copy is its archetypes' flow scaled by
the copies' factors and a drawn noise (0.7-1.3), halved (a copy to its own archetype, or two
copies of one archetype, take half the archetype's mean flow to the allies). Affinities: a copy
inherits its archetype's rows and columns. For N < 13 the world is cut instead: the hegemon, the
rival and the first N - 2 allies in the file's order are kept as they are (N = 3: USA, CHN,
EU27), the others left out with every line that names only them (a timeline entry whose targets
were all left out, a scenario's or timeline's `("NAME", ...)` entry: their pledges, purchases
and deal caps go with them), their names taken out of every other list of targets, the kept
actors' exports to them added to their exports to the rest of the world, their exports to the
kept actors lost. Not a calibrated world: a structurally faithful one,
deterministic (Python's `random.Random(SEED)`, default 1), standard library only. The output
passes `statecraft validate OUT_DIR/scenario.ron`.
"""
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "scenarios" / "data"


def strip_comments(text):
    """RON text without // and /* */ comments (no string of these files holds either)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    lines = (line.split("//", 1)[0].rstrip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def list_items(text, key):
    """(start, end, items) of the top-level `key: [...]` list: each item a parenthesised block."""
    m = re.search(r"\b" + key + r": \[", text)
    i = m.end()
    items, depth, start = [], 0, None
    while True:
        c = text[i]
        if c in "([":
            if depth == 0:
                start = i
            depth += 1
        elif c in ")]":
            if depth == 0:
                return m.start(), i + 1, items
            depth -= 1
            if depth == 0:
                items.append(text[start : i + 1])
        i += 1


def pairs(items):
    """{(from, to): value} of `(from: "A", to: "B", value: V)` items."""
    out = {}
    for it in items:
        m = re.match(r'\(from: "([^"]+)", to: "([^"]+)", value: ([-0-9.e]+)\)', it)
        out[(m.group(1), m.group(2))] = float(m.group(3))
    return out


def num(x):
    return f"{x:.6g}"


def clone_actor(block, name, scale, rng):
    """A copy of an actor block: new name, not a pole, GDP scaled, [0, 1] uniforms shifted."""
    block = re.sub(r'name: "[^"]+"', f'name: "{name}"', block, count=1)
    block = block.replace("pole: true", "pole: false")
    block = re.sub(
        r"gdp: TruncNormal\(([^)]*)\)",
        lambda m: "gdp: TruncNormal("
        + ", ".join(num(float(v) * scale) for v in m.group(1).split(","))
        + ")",
        block,
    )

    def shift(m):
        lo, hi = float(m.group(2)), float(m.group(3))
        d = rng.uniform(-0.05, 0.05)
        a, b = min(max(lo + d, 0.0), 1.0), min(max(hi + d, 0.0), 1.0)
        if not (0.0 <= lo < hi <= 1.0) or a >= b:
            return m.group(0)
        return f"{m.group(1)}: Uniform({num(a)}, {num(b)})"

    params = re.search(r"params: \(.*?\n\s*\),", block, flags=re.S)
    body = re.sub(r"(\w+): Uniform\(([^,]+), ([^)]+)\)", shift, params.group(0))
    return block[: params.start()] + body + block[params.end() :]


def prune(text, gone):
    """`text` without the actors `gone`: their names taken out of `targets: [...]` lists (an
    entry whose targets were all gone dropped), then every other `(...)` entry naming one of
    them (`"NAME"` or a path `"actors.NAME. ..."`) dropped. These files hold their entries one
    or a few to a line."""
    if not gone:
        return text
    names = "|".join(re.escape(g) for g in sorted(gone))
    mentions = re.compile(r'"(?:' + names + r')"|"actors\.(?:' + names + r')\.')
    out = []
    for line in text.splitlines():
        t = re.search(r"targets: \[([^\]]*)\]", line)
        if t:
            listed = re.findall(r'"([^"]+)"', t.group(1))
            kept = [x for x in listed if x not in gone]
            if listed and not kept:
                continue
            line = line[: t.start(1)] + ", ".join(f'"{x}"' for x in kept) + line[t.end(1) :]
        if mentions.search(line):
            items = top_level(line.strip())
            if not all(it.startswith("(") for it in items):
                sys.exit(f"gen_world: cannot leave {sorted(gone)} out of: {line.strip()}")
            kept = [it for it in items if not mentions.search(it)]
            if not kept:
                continue
            indent = line[: len(line) - len(line.lstrip())]
            line = indent + ", ".join(kept) + ","
        out.append(line)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def top_level(line):
    """The comma-separated items of `line` outside any bracket (a trailing comma ignored)."""
    items, depth, cur = [], 0, ""
    for c in line:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == "," and depth == 0:
            items.append(cur.strip())
            cur = ""
        else:
            cur += c
    if cur.strip():
        items.append(cur.strip())
    return items


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    n, out = int(sys.argv[1]), Path(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    world = strip_comments((DATA / "world_2025.ron").read_text())
    hegemon = re.search(r'hegemon: "([^"]+)"', world).group(1)
    rival = re.search(r'rival: Some\("([^"]+)"\)', world).group(1)
    row = re.search(r'rest_of_world: "([^"]+)"', world).group(1)
    _, _, actors = list_items(world, "actors")
    names = [re.search(r'name: "([^"]+)"', a).group(1) for a in actors]
    if n < 3:
        sys.exit("N must be at least 3: the hegemon, the rival and one ally")
    allies = [a for a in names if a not in (hegemon, rival)]
    gone = set(allies[n - 2 :]) if n < len(names) else set()
    actors = [a for a, name in zip(actors, names) if name not in gone]
    names = [a for a in names if a not in gone]
    block = dict(zip(names, actors))
    arch = {a: a for a in names}
    scale = {a: 1.0 for a in names}
    copies = []
    for k in range(n - len(names)):
        a = allies[k % len(allies)]
        c = f"{a}_{k // len(allies) + 2}"
        arch[c], scale[c] = a, rng.uniform(0.2, 1.0)
        copies.append(clone_actor(block[a], c, scale[c], rng))
        names.append(c)

    t0, t1, trade_items = list_items(world, "trade")
    base = pairs(trade_items)
    for (i, j), v in list(base.items()):
        if j in gone and i not in gone:
            base[(i, row)] = base.get((i, row), 0) + v
    mean_to_allies = {
        a: sum(base.get((a, b), 0) for b in allies if b != a) / (len(allies) - 1) for a in allies
    }
    flows = []
    for i in names:
        for j in names + [row]:
            if i == j:
                continue
            if arch[i] == i and arch.get(j, j) == j:
                v = base.get((i, j))
            else:
                ai, aj = arch[i], arch.get(j, j)
                v = base.get((ai, aj), 0.5 * mean_to_allies.get(ai, 0) if ai == aj else None)
                if v is not None:
                    sj = scale.get(j, 1.0)
                    v = round(0.5 * v * scale[i] * sj * rng.uniform(0.7, 1.3), 1)
            if v:
                flows.append(f'        (from: "{i}", to: "{j}", value: {num(v)}),')
    trade = "trade: [\n" + "\n".join(flows) + "\n    ]"

    a0, a1, aff_items = list_items(world, "affinity")
    aff = pairs(aff_items)
    rows = []
    for i in names:
        for j in names:
            v = aff.get((arch[i], arch[j])) if i != j else None
            if i != j and arch[i] != arch[j] and v is not None:
                rows.append(f'        (from: "{i}", to: "{j}", value: {num(v)}),')
    affinity = "affinity: [\n" + "\n".join(rows) + "\n    ]"

    x0, x1, _ = list_items(world, "actors")
    actors_text = "actors: [\n        " + ",\n        ".join(actors + copies) + ",\n    ]"
    # Replace from the end so that earlier offsets stay valid.
    spans = sorted([(t0, t1, trade), (a0, a1, affinity), (x0, x1, actors_text)], reverse=True)
    for s, e, text in spans:
        world = world[:s] + text + world[e:]
    header = f"// GENERATED by benches/gen_world.py {n} (seed {sys.argv[3] if len(sys.argv) > 3 else 1}): a benchmark world, not a calibrated one.\n"
    out.mkdir(parents=True, exist_ok=True)
    world = prune(world, gone)
    (out / "world.ron").write_text(header + world.lstrip() + "\n")
    (out / "timeline_2025.ron").write_text(prune((DATA / "timeline_2025.ron").read_text(), gone))
    scenario = (ROOT / "scenarios" / "paid_access_2025.ron").read_text()
    scenario = scenario.replace('File("data/world_2025.ron")', 'File("world.ron")')
    scenario = scenario.replace('File("data/timeline_2025.ron")', 'File("timeline_2025.ron")')
    scenario = re.sub(r"\n\s*patterns: Some\([^)]*\),", "", scenario)
    scenario = scenario.replace('name: "paid_access_2025"', f'name: "generated_{n}"')
    scenario = prune(scenario, gone)
    (out / "scenario.ron").write_text(header + scenario)


if __name__ == "__main__":
    main()
