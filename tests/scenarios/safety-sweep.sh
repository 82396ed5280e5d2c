#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Long randomized safety sweep: N seeds per consensus component (default: every component
# built), through tests/scenarios/test-safety (same runs as `make check`, more seeds).
#
#   tests/scenarios/safety-sweep.sh N [component...]
#
# Run it from the build directory after `make check` (or `make tests/scenarios/test-safety`),
# or set DMAS_BUILDDIR.  FIRST=S starts at seed S (default 1), so a sweep is reproducible and
# a failing seed can be re-run alone with N=1 FIRST=S.  Prints one summary line per component:
#   safety NAME model=M seeds=N first=S complete=C safety_violations=V validity_violations=W
# and exits non-zero if any component failed (a violation under a crash/Byzantine model, or
# a run that did not complete).
set -u
if [ $# -lt 1 ]; then
  echo "usage: $0 N [component...]" >&2
  exit 2
fi
n=$1
shift
builddir=${DMAS_BUILDDIR:-$(pwd)}
srcdir=${DMAS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
prog=$builddir/tests/scenarios/test-safety
if [ ! -x "$prog" ]; then
  echo "$0: $prog not built (make tests/scenarios/test-safety)" >&2
  exit 2
fi
if [ $# -eq 0 ]; then
  set -- $("$prog" -l | sed -n 's|^/safety/\([^/]*\)/random-crashes$|\1|p')
fi
status=0
for c in "$@"; do
  out=$(DMAS_BUILDDIR=$builddir DMAS_SRCDIR=$srcdir DMAS_SAFETY_SEEDS=$n \
        DMAS_SAFETY_FIRST_SEED=${FIRST:-1} "$prog" -p "/safety/$c/random-crashes" 2>&1)
  rc=$?
  line=$(printf '%s\n' "$out" | sed -n 's/^# \(safety .*\)$/\1/p')
  if [ -z "$line" ]; then
    echo "safety $c: no such component (or the run aborted)"
    printf '%s\n' "$out" | tail -5
    status=1
    continue
  fi
  if [ $rc -ne 0 ]; then
    printf '%s FAILED\n' "$line"
    printf '%s\n' "$out" | grep -E '^# .* seed [0-9]+:' | head -10
    status=1
  else
    printf '%s\n' "$line"
  fi
done
exit $status
