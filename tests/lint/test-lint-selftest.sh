#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Proves that test-plugin-symbols.sh can fail: it must flag the check plugin that calls time()
# and the one that leaks a symbol, and pass a clean one.  Speaks TAP.

lint="${DMAS_SRCDIR:-.}/tests/lint/test-plugin-symbols.sh"
abi="${DMAS_BUILDDIR:-.}/tests/abi/.libs"

echo "1..4"

out=$(sh "$lint" "$abi/uses-time.so"); status=$?
want='^not ok 1 - uses-time.so: references banned symbols: time '
if [ $status -ne 0 ] && printf '%s\n' "$out" | grep -q "$want"; then
  echo "ok 1 - a plugin calling time() is flagged"
else
  echo "not ok 1 - a plugin calling time() is flagged (exit $status)"
  printf '%s\n' "$out" | sed 's/^/# /'
fi

if printf '%s\n' "$out" | head -n 1 | grep -qx '1\.\.2' \
   && printf '%s\n' "$out" | grep -q '^ok 2 - uses-time.so: exports only dmas_plugin_\*'; then
  echo "ok 2 - the report is TAP and the export check passes independently"
else
  echo "not ok 2 - the report is TAP and the export check passes independently"
  printf '%s\n' "$out" | sed 's/^/# /'
fi

out=$(sh "$lint" "$abi/exports-extra.so"); status=$?
want='^not ok 2 - exports-extra.so: exports more than dmas_plugin_\*: abi_exported_helper '
if [ $status -ne 0 ] && printf '%s\n' "$out" | grep -q "$want"; then
  echo "ok 3 - a plugin exporting another function is flagged"
else
  echo "not ok 3 - a plugin exporting another function is flagged (exit $status)"
  printf '%s\n' "$out" | sed 's/^/# /'
fi

out=$(sh "$lint" "$abi/good-multi.so" "$abi/good-old-minor.so"); status=$?
if [ $status -eq 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok'; then
  echo "ok 4 - clean plugins pass"
else
  echo "not ok 4 - clean plugins pass (exit $status)"
  printf '%s\n' "$out" | sed 's/^/# /'
fi
