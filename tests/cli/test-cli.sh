#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The `dmas` command line as a user meets it: help, errors, exit statuses, result files.
dmas="${DMAS_BUILDDIR:?set by the test environment}/dmas"
src="${DMAS_SRCDIR:?set by the test environment}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
echo "1..16"

# check DESCRIPTION EXPECTED-STATUS PATTERN -- COMMAND...: runs it, checks status and output.
check () {
  desc=$1 want=$2 pattern=$3
  shift 4
  n=$((n + 1))
  out=$("$@" 2>&1)
  got=$?
  if [ "$got" -eq "$want" ] && printf '%s\n' "$out" | grep -q -- "$pattern"; then
    echo "ok $n - $desc"
  else
    echo "not ok $n - $desc (status $got, wanted $want; pattern '$pattern')"
    printf '%s\n' "$out" | head -n 20 | sed 's/^/# /'
    fails=$((fails + 1))
  fi
}

check "--help lists the commands" 0 "plugins" -- "$dmas" --help
check "--version" 0 "^dmas [0-9]" -- "$dmas" --version
check "no command is a usage error" 2 "Usage" -- "$dmas"
check "unknown command" 2 "unknown command 'frobnicate'" -- "$dmas" frobnicate
check "run --help" 0 "--seed" -- "$dmas" run --help
check "run: missing config file names it" 2 "no-such.yaml" -- "$dmas" run "$tmp/no-such.yaml"
check "config prints the resolved config" 0 "consensus: auction" -- "$dmas" config "$src/configs/single.yaml"
check "config shows plugin parameter defaults" 0 "deadline:" -- "$dmas" config "$src/configs/single.yaml"
check "config: --set typo gets did-you-mean" 2 "did you mean 'consensus'" -- \
  "$dmas" config "$src/configs/single.yaml" --set scheduling.consensu=raft
check "plugins lists the shipped components" 0 "consensus/auction" -- "$dmas" plugins
check "run: unknown component is named" 2 "no consensus component 'nope'" -- \
  "$dmas" run "$src/configs/single.yaml" -o "$tmp/x" --set scheduling.consensus=nope
check "run: quickstart completes" 0 "completion" -- \
  "$dmas" run "$src/configs/single.yaml" -o "$tmp/out"
n=$((n + 1))
missing=""
for f in summary.json config.resolved.yaml jobs.csv; do
  [ -s "$tmp/out/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then echo "ok $n - run writes summary.json, config.resolved.yaml, jobs.csv"
else echo "not ok $n - run result files missing:$missing"; fails=$((fails + 1)); fi
check "resolved config re-runs" 0 "completion" -- \
  "$dmas" run "$tmp/out/config.resolved.yaml" -o "$tmp/out2"

# Ctrl-C: a paced run (1 virtual second per wall second, so it cannot finish first) is
# interrupted; it exits 130 and still writes its partial results, marked as such.
n=$((n + 1))
"$dmas" run "$src/configs/single.yaml" -o "$tmp/int" --speed 1 -q 2>"$tmp/int.err" &
pid=$!
i=0
while [ ! -e "$tmp/int" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.3
kill -INT $pid
wait $pid
got=$?
if [ $got -eq 130 ] && grep -q '"status" : "interrupted"' "$tmp/int/summary.json" 2>/dev/null; then
  echo "ok $n - SIGINT ends the run with status 130 and interrupted partial results"
else
  echo "not ok $n - SIGINT: status $got"; sed 's/^/# /' "$tmp/int.err"; fails=$((fails + 1))
fi
check "the interrupted result says where it is" 0 "partial results in" -- cat "$tmp/int.err"

[ "$fails" -eq 0 ]
