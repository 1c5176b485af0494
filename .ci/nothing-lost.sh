#!/usr/bin/env bash
# Nothing lost: a full disk or a read-only folder gives a clear error, exit 2, no half-written
# folder and earlier results intact. Needs root (it mounts small tmpfs folders); CI runs as root.
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
expect_exit2() {
    local err code
    set +e
    err=$("$bin" "$@" 2>&1 >/dev/null)
    code=$?
    set -e
    [ "$code" -eq 2 ] || fail "statecraft $*: exit $code, expected 2"
    printf '%s' "$err"
}

# A full disk: a 256 KiB tmpfs holding earlier results.
mkdir -p "$scratch/full" "$scratch/ro"
mount -t tmpfs -o size=256k tmpfs "$scratch/full"
"$bin" run "$ex" --runs 20 --quiet --out "$scratch/full/earlier" || fail "a small run should fit"
before=$(cat "$scratch/full/earlier/summary.json" | sha256sum)
err=$(expect_exit2 run "$ex" --runs 20000 --quiet --out "$scratch/full/big")
echo "$err" | grep -q "No space left on device" || fail "full disk: unclear error: $err"
[ ! -e "$scratch/full/big" ] || fail "full disk: a half-written folder was left"
leftovers=$(find "$scratch/full" -maxdepth 1 -name '.big.tmp-*' | wc -l)
[ "$leftovers" -eq 0 ] || fail "full disk: temporary folder left behind"
after=$(cat "$scratch/full/earlier/summary.json" | sha256sum)
[ "$before" = "$after" ] || fail "full disk: earlier results changed"
# --force onto the earlier folder with a run too large for the disk keeps the earlier folder.
expect_exit2 run "$ex" --runs 20000 --quiet --force --out "$scratch/full/earlier" >/dev/null
[ "$(cat "$scratch/full/earlier/summary.json" | sha256sum)" = "$before" ] || fail "--force lost earlier results"
echo "nothing-lost: full disk: exit 2, '$(echo "$err" | head -n 1)'"

# A read-only folder.
mount -t tmpfs -o ro,size=64k tmpfs "$scratch/ro"
err=$(expect_exit2 run "$ex" --runs 20 --quiet --out "$scratch/ro/out")
echo "$err" | grep -q "Read-only file system" || fail "read-only: unclear error: $err"
echo "nothing-lost: read-only folder: exit 2, '$(echo "$err" | head -n 1)'"
echo "nothing-lost: 2 passed, 0 failed"
