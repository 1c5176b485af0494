"""Writes the calibrated strategy parameters into a scenario's strategy, in place (calibrate.sh).

    python3 calibrate_strategy.py --apply PARAMS.tsv SCENARIO.ron > OUT.ron
    python3 calibrate_strategy.py --restore SCENARIO.ron > OUT.ron

A calibrated value is written as `field: POSTERIOR /* calibrated; prior: PRIOR */`, so that
--restore gives the scenario on its priors back and a rerun starts from them. Paths:
`strategy.FIELD` (a field of the strategy, at the start of its line) and
`strategy.pledges.ACTOR.FIELD` (a field of the actor's pledge, on the line of its entry).
Earlier calibration blocks (`// calibration: begin ... // calibration: end`) are dropped.
"""
import re
import sys

MARK = re.compile(r"\b(\w+): [^:\n]*? /\* calibrated; prior: (.*?) \*/")


def restore(text):
    text = re.sub(r"\n *// calibration: begin.*?// calibration: end\n", "\n", text, flags=re.S)
    return MARK.sub(lambda m: f"{m.group(1)}: {m.group(2)}", text)


def value_end(text, i):
    """The end of the value starting at text[i]: the first ',' or ')' at depth 0."""
    depth = 0
    while i < len(text):
        c = text[i]
        if c in "([":
            depth += 1
        elif c in ")]":
            if depth == 0:
                return i
            depth -= 1
        elif c == "," and depth == 0:
            return i
        i += 1
    raise ValueError("unterminated value")


def apply(text, path, law):
    parts = path.split(".")
    if len(parts) == 2:
        m = re.search(rf"^( *){re.escape(parts[1])}: ", text, flags=re.M)
    elif len(parts) == 4 and parts[1] == "pledges":
        line = re.search(rf'^ *\("{re.escape(parts[2])}", \(stock:.*$', text, flags=re.M)
        m = line and re.compile(rf"\b{re.escape(parts[3])}: ").search(text, line.start(), line.end())
    else:
        m = None
    if not m:
        sys.exit(f"calibrate_strategy.py: no place for {path}")
    start = m.end()
    end = value_end(text, start)
    prior = text[start:end].strip()
    return text[:start] + f"{law} /* calibrated; prior: {prior} */" + text[end:]


if __name__ == "__main__":
    if sys.argv[1] == "--restore":
        sys.stdout.write(restore(open(sys.argv[2]).read()))
    elif sys.argv[1] == "--apply":
        text = restore(open(sys.argv[3]).read())
        for row in open(sys.argv[2]).read().splitlines():
            path, law = row.split("\t")
            text = apply(text, path, law)
        sys.stdout.write(text)
    else:
        sys.exit(__doc__)
