#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `dmas plugins test`: passes shipped components, catches the broken one, takes --param.
builddir=${DMAS_BUILDDIR:?DMAS_BUILDDIR is set by the test environment}
dmas=$builddir/dmas
out=$(mktemp "${TMPDIR:-/tmp}/dmas-plugins-test.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT
echo "1..9"

# expect N DESCRIPTION STATUS PATTERN COMMAND...: the command exits with STATUS and its output
# has a line matching PATTERN.
expect () {
  n=$1 what=$2 want=$3 pattern=$4
  shift 4
  "$@" >"$out" 2>&1
  got=$?
  if test "$got" -eq "$want" && grep -q "$pattern" "$out"; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what (exit $got, wanted $want and a line matching '$pattern')"
  fi
  sed 's/^/# /' "$out"
}

expect 1 "a shipped crash-model consensus passes" 0 '^PASS consensus/raft safety (model crash' \
  "$dmas" plugins test --seeds 10 "$builddir/plugins/consensus/.libs/raft.so"
expect 2 "a shipped bidder passes" 0 '^PASS bidding/heuristic zero-when-infeasible' \
  "$dmas" plugins test "$builddir/plugins/bidding/.libs/heuristic.so"
expect 3 "broken-quorum fails safety" 1 '^FAIL consensus/broken-quorum safety' \
  "$dmas" plugins test "$builddir/tests/consensus-broken/.libs/broken-quorum.so"
expect 4 "a file that is not a plugin fails to load" 1 '^FAIL .* load (' \
  "$dmas" plugins test "$builddir/dmas-plugin-1.pc"
expect 5 "a fault that does nothing by default fails to arm, naming --param" 1 \
  '^FAIL fault/link arms (with its default parameters: .*--param' \
  "$dmas" plugins test "$builddir/plugins/faults/.libs/link.so"
expect 6 "the same fault with --param arms, injects and logs" 0 '^PASS fault/link injects-and-logs' \
  "$dmas" plugins test --param loss=0.2 --param for=30s "$builddir/plugins/faults/.libs/link.so"
expect 7 "the simulated llm provider answers every request with valid placements" 0 \
  '^PASS llm/simulated valid-placements (0 of [1-9][0-9]* answers refused' \
  "$dmas" plugins test "$builddir/plugins/llm/.libs/simulated.so"
expect 8 "replay without a cache fails, naming the parameter" 1 \
  '^FAIL llm/replay answers (.*cache: FILE' \
  "$dmas" plugins test "$builddir/plugins/llm/.libs/replay.so"
expect 9 "an online provider is skipped, pointing at dmas check" 0 '^SKIP llm/ollama answers (.*dmas check' \
  "$dmas" plugins test "$builddir/plugins/llm/.libs/ollama.so"
