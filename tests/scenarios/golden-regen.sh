#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates the golden scenario traces (tests/scenarios/golden/NAME.trace) that
# tests/scenarios/test-golden compares byte for byte with `dmas run NAME.yaml --trace`.
#
#   tests/scenarios/golden-regen.sh [component...]     (from the build directory)
#
# Without arguments: every consensus component built (plugins/consensus/.libs).  A component
# without golden/NAME.yaml gets one first: auction.yaml with the consensus name replaced.
# Review the diff (git diff tests/scenarios/golden) before committing: a golden file changes
# only when behaviour was meant to change.
set -eu
builddir=${DMAS_BUILDDIR:-$(pwd)}
srcdir=${DMAS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
golden=$srcdir/tests/scenarios/golden
dmas=$builddir/dmas
[ -x "$dmas" ] || { echo "$0: $dmas not built" >&2; exit 2; }
if [ $# -eq 0 ]; then
  set -- $("$dmas" plugins --plugin-path "$builddir/plugins/consensus/.libs" 2>/dev/null \
           | sed -n 's|^consensus/\([a-z0-9-]*\).*$|\1|p')
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for c in "$@"; do
  if [ ! -f "$golden/$c.yaml" ]; then
    sed -e "s|consensus/auction|consensus/$c|; s|auction.trace|$c.trace|; s|auction.yaml|$c.yaml|" \
        -e "s|^\(  consensus:\) auction\$|\1 $c|" "$golden/auction.yaml" > "$golden/$c.yaml"
    echo "created $golden/$c.yaml"
  fi
  "$dmas" run "$golden/$c.yaml" -q -o "$tmp/$c" --trace "$golden/$c.trace"
  echo "wrote $golden/$c.trace ($(wc -l < "$golden/$c.trace") events)"
done
