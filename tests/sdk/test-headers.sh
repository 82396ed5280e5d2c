#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every public SDK header compiles on its own, as strict C11, with no GLib in sight (and as
# C++ when a C++ compiler is installed).
srcdir=${DMAS_SRCDIR:?DMAS_SRCDIR is set by the test environment}
cc=${CC:-cc}
headers=$(cd "$srcdir/include" && ls dmas/*.h)
n=0
for h in $headers; do n=$((n + 2)); done
echo "1..$n"
i=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for h in $headers; do
  i=$((i + 1))
  printf '#include <%s>\n#include <%s>\nint dmas_header_test_anchor;\n' "$h" "$h" > "$tmp/t.c"
  if out=$($cc -std=c11 -pedantic -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
             -I"$srcdir/include" -c "$tmp/t.c" -o "$tmp/t.o" 2>&1); then
    echo "ok $i - $h compiles alone as C11 (twice included)"
  else
    echo "not ok $i - $h compiles alone as C11"
    printf '%s\n' "$out" | sed 's/^/# /'
  fi
  i=$((i + 1))
  if command -v c++ >/dev/null 2>&1; then
    cp "$tmp/t.c" "$tmp/t.cc"
    if out=$(c++ -std=c++11 -Wall -Wextra -Werror -I"$srcdir/include" -c "$tmp/t.cc" -o "$tmp/t.o" 2>&1); then
      echo "ok $i - $h compiles alone as C++11"
    else
      echo "not ok $i - $h compiles alone as C++11"
      printf '%s\n' "$out" | sed 's/^/# /'
    fi
  else
    echo "ok $i - $h as C++ # SKIP no C++ compiler installed"
  fi
done
