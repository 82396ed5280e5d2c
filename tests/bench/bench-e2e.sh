#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# End-to-end events per second of `dmas run` (DESIGN §11 floor: 1 M/s), median of 5 runs.
set -eu
build=${DMAS_BUILDDIR:-.}
src=${DMAS_SRCDIR:-$(dirname "$0")/../..}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rates=""
for i in 1 2 3 4 5; do
  "$build/dmas" run "$src/tests/bench/e2e.yaml" -o "$tmp/r$i" --quiet
  rate=$(sed -n 's/.*"events_per_s" : \([0-9.e+]*\).*/\1/p' "$tmp/r$i/summary.json")
  events=$(sed -n 's/^  "events" : \([0-9]*\).*/\1/p' "$tmp/r$i/summary.json")
  printf 'run %d: %s events, %.0f events/s\n' "$i" "$events" "$rate"
  rates="$rates $rate"
done
median=$(printf '%s\n' $rates | sort -g | sed -n 3p)
printf 'bench e2e_events_per_s=%.0f\n' "$median"
