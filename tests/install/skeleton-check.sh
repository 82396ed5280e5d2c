#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds examples/plugin-skeleton against an installed SDK and runs it with the installed dmas.
# Usage: skeleton-check.sh SRCDIR DESTDIR BINDIR PKGCONFIGDIR PLUGINDIR
#   SRCDIR        the dmas source tree (the skeleton is copied out of it: it may be read-only)
#   DESTDIR       the staging root of the install ('' for a real install)
#   BINDIR, PKGCONFIGDIR, PLUGINDIR   the configured install dirs (without DESTDIR)
# With a DESTDIR, the .pc file's paths point at the prefix, not at the staging root:
# PKG_CONFIG_SYSROOT_DIR puts DESTDIR back in front of them, and the staged plugin dir goes on
# DMAS_PLUGIN_PATH (the staged binary's compiled-in plugin dir does not exist yet).
# Prints what it does; exits 0 on success, 77 when autoreconf/libtoolize/pkg-config are
# missing (the caller reports a skip), 1 on any failure.
set -u
srcdir=$1 destdir=$2 dmas=$2$3/dmas pcdir=$2$4 plugindir=$2$5
if test -n "$destdir"; then
  PKG_CONFIG_SYSROOT_DIR=$destdir
  export PKG_CONFIG_SYSROOT_DIR
fi

for tool in autoreconf libtoolize pkg-config make; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "skeleton-check: $tool is not installed; install autoconf, automake, libtool and" \
         "pkg-config to build the plugin skeleton"
    exit 77
  fi
done
if ! test -x "$dmas"; then
  echo "skeleton-check: no installed dmas at $dmas (run make install first)"
  exit 1
fi
if ! test -f "$pcdir/dmas-plugin-1.pc"; then
  echo "skeleton-check: no dmas-plugin-1.pc in $pcdir (run make install first)"
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/dmas-skeleton.XXXXXX") || exit 1
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cp -R "$srcdir/examples/plugin-skeleton" "$work/skeleton" && chmod -R u+w "$work/skeleton" \
  || exit 1
cd "$work/skeleton" || exit 1

step () {
  echo "skeleton-check: $*"
  if ! "$@" >"$work/step.log" 2>&1; then
    echo "skeleton-check: FAILED: $*"
    sed 's/^/  | /' "$work/step.log"
    exit 1
  fi
}

# Only the installed SDK: PKG_CONFIG_PATH points at the prefix, never at the source tree.
step autoreconf -fi
step ./configure PKG_CONFIG_PATH="$pcdir" CFLAGS="-O2 -Werror"
step make
abi=$(PKG_CONFIG_PATH="$pcdir" pkg-config --variable=plugin_abi dmas-plugin-1)
echo "skeleton-check: built against plugin ABI $abi"
test -f .libs/skeleton.so || { echo "skeleton-check: .libs/skeleton.so was not built"; exit 1; }

# The installed dmas loads the module from DMAS_PLUGIN_PATH, lists both components, checks
# them, and runs the skeleton's YAML to completion.
DMAS_PLUGIN_PATH=$PWD/.libs
test -n "$destdir" && DMAS_PLUGIN_PATH=$DMAS_PLUGIN_PATH:$plugindir
export DMAS_PLUGIN_PATH
step "$dmas" plugins
grep -q '^bidding/fair-share ' "$work/step.log" \
  || { echo "skeleton-check: dmas plugins does not list bidding/fair-share"; exit 1; }
grep -q '^consensus/leader-decides ' "$work/step.log" \
  || { echo "skeleton-check: dmas plugins does not list consensus/leader-decides"; exit 1; }
step "$dmas" plugins test --seeds 5 .libs/skeleton.so
sed 's/^/  /' "$work/step.log"
step "$dmas" run -q skeleton.yaml -o "$work/run"
grep -q '"status" *: *"complete"' "$work/run/summary.json" \
  || { echo "skeleton-check: the skeleton run did not complete:"; cat "$work/run/summary.json"; exit 1; }
echo "skeleton-check: the skeleton built, loaded, passed its checks and ran to completion"
