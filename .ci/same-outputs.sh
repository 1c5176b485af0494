#!/usr/bin/env bash
# A refactoring's check, not a CI step: every bundled command run by two builds of statecraft,
# OLD and NEW, must write the same files. Byte for byte, except what varies by invocation in
# the JSON files (timings, threads, the command line, the commit) and the files listed in
# ALLOW_NEW (new in NEW by design).
#
#   bash .ci/same-outputs.sh OLD_BINARY NEW_BINARY [SCRATCH]
#
# Exits 0 when every folder matches, 1 otherwise (each difference printed). A command that
# OLD does not have (or a feature it was built without) fails in both or in one: listed.
set -euo pipefail
old=${1:?usage: same-outputs.sh OLD_BINARY NEW_BINARY [SCRATCH]}
new=${2:?usage: same-outputs.sh OLD_BINARY NEW_BINARY [SCRATCH]}
scratch=${3:-$(mktemp -d)}
cd "$(dirname "$0")/.."
ALLOW_NEW=${ALLOW_NEW:-schema.json}
P=scenarios/paid_access_2025.ron
T=scenarios/examples/three_actors.ron
V=scenarios/variants/strategies.ron

# name|arguments (OUT is replaced by the output folder of the build)
commands=(
  "run_paid|run $P --runs 300 --trajectories 20 --out OUT"
  "run_three_world|run $T --runs 100 --world-series --out OUT"
  "run_court|run scenarios/court_constrained.ron --runs 200 --seed 3 --out OUT"
  "shard0|run $P --runs 300 --trajectories 20 --shard 0/2 --out OUT"
  "shard1|run $P --runs 300 --trajectories 20 --shard 1/2 --out OUT"
  "merge|merge SCRATCH/BUILD/shard0 SCRATCH/BUILD/shard1 --out OUT"
  "compare_files|compare scenarios/open_order.ron $P --runs 300 --out OUT"
  "compare_folders|compare SCRATCH/BUILD/run_paid SCRATCH/BUILD/merge --out OUT"
  "compare_three|compare $P scenarios/court_constrained.ron scenarios/adaptive_extortion.ron --runs 200 --out OUT"
  "sweep|sweep $T --param model.hedge_cost=0:1 --design grid --levels 3 --runs 20 --per-run --out OUT"
  "sweep_lhs|sweep $P --param strategy.fee_share=0:0.5 --points 6 --runs 20 --out OUT"
  "sensitivity|sensitivity $T --method morris --samples 4 --runs 5 --out OUT"
  "sobol|sensitivity $T --method sobol --samples 16 --runs 4 --metrics hegemon_rent --out OUT"
  "patterns|patterns $P --runs 400 --out OUT"
  "abc|patterns $P --runs 600 --abc --tolerance 0.1 --emit-scenario SCRATCH/BUILD/abc_emitted.ron --out OUT"
  "tournament|tournament $P --variants $V --hegemon paid_10,OpenOrder --allies concede,grim --runs 40 --evolve --evolve-steps 20 --evolve-runs 10 --moran 10 --moran-runs 5 --out OUT"
  "tshard0|tournament $P --variants $V --hegemon paid_10,OpenOrder --allies concede,grim --runs 40 --shard 0/2 --out OUT"
  "tshard1|tournament $P --variants $V --hegemon paid_10,OpenOrder --allies concede,grim --runs 40 --shard 1/2 --out OUT"
  "tmerge|merge SCRATCH/BUILD/tshard0 SCRATCH/BUILD/tshard1 --out OUT"
  "report|report SCRATCH/BUILD/run_paid --out OUT"
  "run_full|run $T --runs 30 --trajectories 30 --out OUT"
  # Both builds export the old build's folder (the archive holds its manifest): same bytes.
  "export|export SCRATCH/old/run_full --to ema OUT.tar.gz"
  "discover|discover SCRATCH/old/run_paid --metric share_concede --above 0.1 --out OUT"
)

for build in old new; do
  bin=$old
  [ "$build" = new ] && bin=$new
  rm -rf "${scratch:?}/$build"
  mkdir -p "$scratch/$build"
  for c in "${commands[@]}"; do
    name=${c%%|*}
    args=${c#*|}
    args=${args//SCRATCH/$scratch}
    args=${args//BUILD/$build}
    args=${args//OUT/$scratch/$build/$name}
    force=--force
    [ "$name" = report ] && force=
    # shellcheck disable=SC2086
    "$bin" $args $force > "$scratch/$build/$name.stdout" 2> "$scratch/$build/$name.stderr" \
      || echo "$build $name: exit $?" >> "$scratch/$build/exits.txt"
  done
done

python3 - "$scratch" "$ALLOW_NEW" <<'EOF'
import json, os, sys
scratch, allow = sys.argv[1], set(sys.argv[2].split(','))
VARY = {"cargo_lock_sha256", "threads", "wall_seconds", "runs_per_second", "command", "git_hash", "elapsed_seconds", "seconds"}
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in VARY}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
def files(root):
    out = set()
    for d, _, fs in os.walk(root):
        for f in fs:
            out.add(os.path.relpath(os.path.join(d, f), root))
    return out
a, b = os.path.join(scratch, "old"), os.path.join(scratch, "new")
bad = 0
fa, fb = files(a), files(b)
for f in sorted(fa - fb):
    print(f"only in old: {f}"); bad += 1
for f in sorted(fb - fa):
    if os.path.basename(f) not in allow:
        print(f"only in new: {f}"); bad += 1
same = 0
for f in sorted(fa & fb):
    if f == "exits.txt":
        continue
    x, y = open(os.path.join(a, f), "rb").read(), open(os.path.join(b, f), "rb").read()
    # Paths of the builds' folders, as outputs name them: a build's own, and old's, which
    # both builds read in the commands that take SCRATCH/old (export, discover).
    x = x.replace(a.encode(), b"BUILD")
    y = y.replace(b.encode(), b"BUILD").replace(a.encode(), b"BUILD")
    if f.endswith(".json"):
        # Parsed to drop what varies, then written back in the files' own key order.
        try:
            x = json.dumps(strip(json.loads(x))).encode()
            y = json.dumps(strip(json.loads(y))).encode()
        except ValueError:
            pass
    if f.endswith(".stdout"):
        # Timings printed at the end of a batch ("... in 0.12 s (2,400 runs/s ...)").
        x = b"\n".join(l for l in x.split(b"\n") if b"runs/s" not in l and b" s;" not in l)
        y = b"\n".join(l for l in y.split(b"\n") if b"runs/s" not in l and b" s;" not in l)
    if f.endswith(".stderr"):
        # Plain progress lines, printed at intervals of time.
        x = b"\n".join(l for l in x.split(b"\n") if not (l.startswith(b"statecraft: ") and b" runs (" in l))
        y = b"\n".join(l for l in y.split(b"\n") if not (l.startswith(b"statecraft: ") and b" runs (" in l))
    if x != y:
        print(f"differs: {f}"); bad += 1
    else:
        same += 1
for build in (a, b):
    if os.path.exists(os.path.join(build, "exits.txt")):
        print(f"failed commands in {build}:"); print(open(os.path.join(build, "exits.txt")).read()); bad += 1
print(f"same-outputs: {same} files the same, {bad} differences")
sys.exit(1 if bad else 0)
EOF
