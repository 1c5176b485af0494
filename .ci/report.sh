#!/usr/bin/env bash
# The report as a reader sees it: a small batch of two scenarios and their report, rendered by
# headless Chromium to a PNG screenshot, which must not be blank (colours, ink and the charts'
# blue: crates/statecraft-report/tests/screenshot.rs). Installs Debian's chromium if missing;
# needs root for that.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
    browser=$(command -v chromium)
fi
cargo build --locked -q -p statecraft-cli
statecraft="${CARGO_TARGET_DIR:-$root/target}/debug/statecraft"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "report: FAILED: $*" >&2; exit 1; }
passed=0

# 1. Two scenarios with trajectories, and their report with PNGs.
for s in paid_access_2025 open_order; do
    "$statecraft" run "scenarios/$s.ron" --runs 300 --trajectories 30 --quiet --out "$work/$s"
done
"$statecraft" report "$work/paid_access_2025" "$work/open_order" --out "$work/report" --png --quiet \
    || fail "statecraft report exited with an error"
for c in distributions trajectories_world trajectories_tariff trajectories_regional_trade_share actions; do
    [ -s "$work/report/plots/$c.svg" ] && [ -s "$work/report/plots/$c.png" ] || fail "plots/$c.svg or .png missing"
done
grep -q '<figure id="fig-trajectories_world">' "$work/report/report.html" || fail "report.html lacks the world fan chart"
passed=$((passed + 1))

# 2. Headless Chromium renders the page offline to a screenshot.
shot="$work/screenshot.png"
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$work/profile" --window-size=1400,2600 \
    --screenshot="$shot" "file://$work/report/report.html" >"$work/chromium.log" 2>&1 \
    || { tail -n 20 "$work/chromium.log" >&2; fail "chromium could not render report.html"; }
[ -s "$shot" ] || fail "chromium wrote no screenshot"
passed=$((passed + 1))

# 3. The screenshot is not blank.
STATECRAFT_SCREENSHOT="$shot" cargo test --locked -q -p statecraft-report --test screenshot \
    screenshot_is_not_blank >"$work/test.log" 2>&1 || { cat "$work/test.log" >&2; fail "the screenshot is blank"; }
grep -q "test result: ok. 1 passed" "$work/test.log" || { cat "$work/test.log" >&2; fail "the screenshot check did not run"; }
passed=$((passed + 1))
if [ -n "${REPORT_SCREENSHOT_TO:-}" ]; then cp "$shot" "$REPORT_SCREENSHOT_TO"; fi

echo "report: $(cd "$work/report/plots" && ls ./*.svg | wc -l) charts, rendered by $("$browser" --version 2>/dev/null | head -n 1)"
echo "report: $passed passed, 0 failed"
