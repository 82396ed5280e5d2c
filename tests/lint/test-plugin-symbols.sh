#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Plugins see the world only through the host (DESIGN §1.3): every shipped plugin must not
# reference the wall clock, a global RNG, sleeping, sockets or threads, and must export
# nothing but dmas_plugin_*.  Speaks TAP; exits 1 when any check fails.
#
# Usage: test-plugin-symbols.sh [PLUGIN.so...]
#   Without arguments, checks $DMAS_BUILDDIR/plugins/*/.libs/*.so (the shipped plugins).

NM=${NM:-nm}

# Exact names, plus g_random_* (GLib's one shared global generator).  Beyond the list in the
# design: the other libc generators and clocks, and the C11 thread entry point.
banned="time clock_gettime gettimeofday clock timespec_get rand random srand srandom rand_r
drand48 erand48 lrand48 nrand48 mrand48 jrand48 srand48 getrandom sleep usleep nanosleep
clock_nanosleep socket connect pthread_create thrd_create g_get_monotonic_time
g_get_real_time"

is_banned () {
  case "$1" in
    g_random_*) return 0 ;;
  esac
  for b in $banned; do
    [ "$1" = "$b" ] && return 0
  done
  return 1
}

# Symbols every shared object defines that the plugin author does not control.
is_linker_symbol () {
  case "$1" in
    _init|_fini|__bss_start|_edata|_end|__data_start|_DYNAMIC|_GLOBAL_OFFSET_TABLE_) return 0 ;;
  esac
  return 1
}

if [ $# -eq 0 ]; then
  for f in "${DMAS_BUILDDIR:-.}"/plugins/*/.libs/*.so; do
    [ -f "$f" ] && set -- "$@" "$f"
  done
  if [ $# -eq 0 ]; then
    echo "1..0 # SKIP no plugins built"
    exit 0
  fi
fi

echo "1..$(($# * 2))"
n=0
failed=0
for so in "$@"; do
  name=$(basename "$so")

  n=$((n + 1))
  if undefined=$($NM -D --undefined-only "$so" 2>&1); then
    bad=""
    for sym in $(printf '%s\n' "$undefined" | awk '{ print $NF }' | sed 's/@.*//'); do
      is_banned "$sym" && bad="$bad $sym"
    done
    if [ -z "$bad" ]; then
      echo "ok $n - $name: no banned undefined symbols"
    else
      echo "not ok $n - $name: references banned symbols:$bad (use the host API instead)"
      failed=1
    fi
  else
    echo "not ok $n - $name: $NM -D --undefined-only failed"
    printf '%s\n' "$undefined" | sed 's/^/# /'
    failed=1
  fi

  n=$((n + 1))
  if defined=$($NM -D --defined-only "$so" 2>&1); then
    extra=""
    for sym in $(printf '%s\n' "$defined" | awk '$(NF-1) != "A" { print $NF }' | sed 's/@.*//'); do
      case "$sym" in
        dmas_plugin_*) continue ;;
      esac
      is_linker_symbol "$sym" || extra="$extra $sym"
    done
    if [ -z "$extra" ]; then
      echo "ok $n - $name: exports only dmas_plugin_*"
    else
      echo "not ok $n - $name: exports more than dmas_plugin_*:$extra (build with" \
           "\$(plugin_cflags) and \$(plugin_ldflags))"
      failed=1
    fi
  else
    echo "not ok $n - $name: $NM -D --defined-only failed"
    printf '%s\n' "$defined" | sed 's/^/# /'
    failed=1
  fi
done
exit $failed
