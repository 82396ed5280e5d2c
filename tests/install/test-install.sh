#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the build tree into a temporary staging root, then runs `make installcheck` there:
# the plugin skeleton built against the staged SDK and loaded by the staged dmas.
builddir=${DMAS_BUILDDIR:?DMAS_BUILDDIR is set by the test environment}
echo "1..1"
for tool in autoreconf libtoolize pkg-config; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "ok 1 - install and build the skeleton # SKIP $tool is not installed (install" \
         "autoconf, automake, libtool and pkg-config to run this test)"
    exit 0
  fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmas-install.XXXXXX") || exit 1
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
# A make of its own: not the jobserver of the `make check` that runs this test.
unset MAKEFLAGS MFLAGS MAKELEVEL
if ! make -C "$builddir" install DESTDIR="$tmp/root" >"$tmp/install.log" 2>&1; then
  echo "not ok 1 - make install DESTDIR=$tmp/root failed"
  sed 's/^/# /' "$tmp/install.log"
  exit 0
fi
for f in $(cd "$tmp/root" && find . -name dmas-plugin-1.pc -o -name plugin.h -o -name dmas \
           -type f | sort); do
  echo "# installed $f"
done
if make -C "$builddir" installcheck DESTDIR="$tmp/root" >"$tmp/check.log" 2>&1; then
  sed 's/^/# /' "$tmp/check.log"
  if grep -q 'ran to completion' "$tmp/check.log"; then
    echo "ok 1 - the skeleton builds against the installed SDK and runs with the installed dmas"
  else
    echo "not ok 1 - installcheck passed without running the skeleton"
  fi
else
  sed 's/^/# /' "$tmp/check.log"
  echo "not ok 1 - make installcheck DESTDIR=$tmp/root failed"
fi
