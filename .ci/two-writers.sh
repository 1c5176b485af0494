#!/usr/bin/env bash
# Two writers, one output: a batch is started and, a moment later, a second command on the same
# output folder (with --resume, --force or both), TRIES times (default 20). The second either
# waits its turn and is refused with a clear error (exit 1 while the other holds the lock, 2
# when the output already exists), or starts once the first has
# finished; either way the folder that is left is byte-identical to an undisturbed run's, holds
# no NUL byte, and no temporary, partial or lock file is left beside it.
# Usage: two-writers.sh [BINARY] [TRIES]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-${CARGO_TARGET_DIR:-$PWD/target}/debug/statecraft}"
tries="${2:-20}"
ex=scenarios/examples/three_actors.ron
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "two-writers: FAILED: $*" >&2; exit 1; }
batch() { "$bin" run "$ex" --runs 1000 --rounds 5 --trajectories 2 --quiet "$@"; }
files="runs.csv actors.csv trajectories.csv summary.json"

batch --out "$scratch/reference" || fail "the reference run failed"
refused=0
for i in $(seq 1 "$tries"); do
    out="$scratch/o$i"
    case $((i % 3)) in
        0) second=(--resume) ;;
        1) second=(--force) ;;
        *) second=(--resume --force) ;;
    esac
    set +e
    STATECRAFT_CHECKPOINT_SECONDS=0 batch --out "$out" 2>"$scratch/a.err" &
    a=$!
    sleep "0.$((RANDOM % 3))$((RANDOM % 10))"
    STATECRAFT_CHECKPOINT_SECONDS=0 batch --out "$out" "${second[@]}" 2>"$scratch/b.err"
    b_code=$?
    wait "$a"
    a_code=$?
    set -e
    for who in a b; do
        code=$([ "$who" = a ] && echo "$a_code" || echo "$b_code")
        case "$code" in
            0) ;;
            1)
                grep -qE "another statecraft process" "$scratch/$who.err" ||
                    fail "try $i: writer $who: exit 1 with an unclear error: $(cat "$scratch/$who.err")"
                refused=$((refused + 1))
                ;;
            2)
                grep -qE "already exists" "$scratch/$who.err" ||
                    fail "try $i: writer $who: exit 2 with an unclear error: $(cat "$scratch/$who.err")"
                refused=$((refused + 1))
                ;;
            *) fail "try $i: writer $who (${second[*]}) exited $code: $(cat "$scratch/$who.err")" ;;
        esac
    done
    [ "$a_code" -eq 0 ] || [ "$b_code" -eq 0 ] || fail "try $i: neither writer finished"
    for f in $files; do
        cmp -s "$out/$f" "$scratch/reference/$f" || fail "try $i (${second[*]}): $f differs from the reference"
        if tr -d '\000' <"$out/$f" | cmp -s - "$out/$f"; then :; else
            fail "try $i: NUL bytes in $f"
        fi
    done
    left=$(find "$scratch" -maxdepth 1 -name ".o$i.*" | wc -l)
    [ "$left" -eq 0 ] || fail "try $i: left behind: $(find "$scratch" -maxdepth 1 -name ".o$i.*")"
done
echo "two-writers: $tries tries, $refused second writers refused, every result identical to the reference"
