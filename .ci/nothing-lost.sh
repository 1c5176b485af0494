#!/usr/bin/env bash
# Nothing lost: a full disk or a read-only folder gives a clear error, exit 1, no half-written
# folder and earlier results intact; a file shorter than its checkpoint (a lost node's) is
# refused by --resume, never padded; two writers of one output never corrupt it
# (.ci/two-writers.sh, 20 tries). Needs root (it mounts small tmpfs folders); CI runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked -q -p statecraft-cli
bin="${CARGO_TARGET_DIR:-$PWD/target}/debug/statecraft"
ex=scenarios/examples/three_actors.ron
scratch=$(mktemp -d)
cleanup() {
    umount "$scratch/full" 2>/dev/null || true
    umount "$scratch/ro" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT
fail() { echo "nothing-lost: FAILED: $*" >&2; exit 1; }
# Runs statecraft expecting exit status 2 and prints what it said on stderr.
# expect_exit CODE ARGS...: statecraft ARGS must fail with exit status CODE (1: a failure at
# run time, such as a full disk; 2: bad input, such as a damaged checkpoint); prints stderr.
expect_exit() {
    local want=$1 err code
    shift
    set +e
    err=$("$bin" "$@" 2>&1 >/dev/null)
    code=$?
    set -e
    [ "$code" -eq "$want" ] || fail "statecraft $*: exit $code, expected $want"
    printf '%s' "$err"
}

# A full disk: a 256 KiB tmpfs holding earlier results.
mkdir -p "$scratch/full" "$scratch/ro"
mount -t tmpfs -o size=256k tmpfs "$scratch/full"
"$bin" run "$ex" --runs 20 --quiet --out "$scratch/full/earlier" || fail "a small run should fit"
before=$(cat "$scratch/full/earlier/summary.json" | sha256sum)
err=$(expect_exit 1 run "$ex" --runs 20000 --quiet --out "$scratch/full/big")
echo "$err" | grep -q "No space left on device" || fail "full disk: unclear error: $err"
[ ! -e "$scratch/full/big" ] || fail "full disk: a half-written folder was left"
leftovers=$(find "$scratch/full" -maxdepth 1 -name '.big.tmp-*' | wc -l)
[ "$leftovers" -eq 0 ] || fail "full disk: temporary folder left behind"
after=$(cat "$scratch/full/earlier/summary.json" | sha256sum)
[ "$before" = "$after" ] || fail "full disk: earlier results changed"
# --force onto the earlier folder with a run too large for the disk keeps the earlier folder.
expect_exit 1 run "$ex" --runs 20000 --quiet --force --out "$scratch/full/earlier" >/dev/null
[ "$(cat "$scratch/full/earlier/summary.json" | sha256sum)" = "$before" ] || fail "--force lost earlier results"
echo "nothing-lost: full disk: exit 1, '$(echo "$err" | head -n 1)'"

# A read-only folder.
mount -t tmpfs -o ro,size=64k tmpfs "$scratch/ro"
err=$(expect_exit 1 run "$ex" --runs 20 --quiet --out "$scratch/ro/out")
echo "$err" | grep -q "Read-only file system" || fail "read-only: unclear error: $err"
echo "nothing-lost: read-only folder: exit 1, '$(echo "$err" | head -n 1)'"

# A lost node: killed after a checkpoint, then runs.csv found shorter than the checkpoint says
# (writes the node never made durable). --resume refuses, pads nothing; --force starts afresh.
# The kill is the CLI's test hook (an abort right after the third checkpoint is on disk, as
# kill -9 would stop it), so no sleep races the batch. (The braces keep bash's "Aborted" quiet.)
lost="$scratch/lost"
{ STATECRAFT_CHECKPOINT_SECONDS=0 STATECRAFT_CRASH_AT=checkpoint:3 \
    "$bin" run "$ex" --runs 40000 --threads 1 --quiet --out "$lost"; } 2>/dev/null &&
    fail "lost node: the batch was not killed"
[ -e "$scratch/.lost.partial/checkpoint.json" ] || fail "lost node: no checkpoint appeared"
size=$(tr -d ' \n' <"$scratch/.lost.partial/checkpoint.json" | sed -E 's/.*"sizes":\[([0-9]+),.*/\1/')
truncate -s $((size / 2)) "$scratch/.lost.partial/runs.csv"
err=$(expect_exit 2 run "$ex" --runs 40000 --threads 1 --quiet --out "$lost" --resume)
echo "$err" | grep -q "fewer than" || fail "lost node: unclear error: $err"
if tr -d '\000' <"$scratch/.lost.partial/runs.csv" | cmp -s - "$scratch/.lost.partial/runs.csv"; then :; else
    fail "lost node: runs.csv was padded with NUL bytes"
fi
[ ! -e "$lost" ] || fail "lost node: a results folder was made from the damaged batch"
"$bin" run "$ex" --runs 2000 --quiet --out "$lost" --force || fail "lost node: --force did not start afresh"
if tr -d '\000' <"$lost/runs.csv" | cmp -s - "$lost/runs.csv"; then :; else fail "lost node: NUL bytes"; fi
echo "nothing-lost: lost node: exit 2, '$(echo "$err" | head -n 1 | cut -c 1-160)...'"

# Concurrent writers of one output.
bash .ci/two-writers.sh "$bin" 20
echo "nothing-lost: 4 passed, 0 failed"
