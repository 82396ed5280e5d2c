#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian packages from a copy of the source tree and checks them with lintian.
# Skipped, with the reason, when the Debian build tools are missing or DMAS_PACKAGE_TEST=skip.
src="${DMAS_SRCDIR:?set by the test environment}"

skip_all () { echo "1..0 # SKIP $*"; exit 0; }

if [ "${DMAS_PACKAGE_TEST:-}" = skip ]; then
  skip_all "DMAS_PACKAGE_TEST=skip (set by .ci/run once the packages are built, and by debian/rules)"
fi
[ -d "$src/debian" ] || skip_all "no debian/ directory in $src"
for tool in dpkg-buildpackage dh dpkg-deb; do
  command -v "$tool" >/dev/null 2>&1 ||
    skip_all "$tool is not installed (apt-get install dpkg-dev debhelper lintian)"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
copy="$tmp/dmas"
mkdir "$copy"

# The copy holds what a checkout holds: the files git knows (committed or not, never the
# ignored build outputs), or the whole tree when it is an unpacked tarball (make distcheck).
if [ -e "$src/.git" ] && command -v git >/dev/null 2>&1; then
  # A file deleted but not yet committed is listed yet missing: cp skips it, the build decides.
  (cd "$src" && git ls-files -z --cached --others --exclude-standard |
     xargs -0 cp --parents -t "$copy" 2>/dev/null)
else
  cp -R "$src/." "$copy/" && chmod -R u+w "$copy"
fi
[ -f "$copy/debian/rules" ] || { echo "Bail out! cannot copy $src to $copy"; exit 1; }

echo "1..5"
fails=0
result () {  # result N DESCRIPTION STATUS [DETAIL-FILE]
  if [ "$3" -eq 0 ]; then
    echo "ok $1 - $2"
  else
    echo "not ok $1 - $2"
    [ -n "${4:-}" ] && tail -n 40 "$4" | sed 's/^/# /'
    fails=$((fails + 1))
  fi
}

# nocheck: the test suite is what is running this script; the nocheck profile drops the
# build dependencies only the test suite needs. The package's make must not join the make
# running this test (its jobserver and flags), hence no MAKEFLAGS.
(cd "$copy" && unset MAKEFLAGS MFLAGS MAKELEVEL &&
   DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" DEB_BUILD_PROFILES=nocheck \
   dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1
result 1 "dpkg-buildpackage -us -uc -b builds dmas and dmas-dev" $? "$tmp/build.log"

# first GLOB: the first file matching GLOB, or nothing.
first () { for f in "$@"; do [ -f "$f" ] && { printf '%s\n' "$f"; return; }; done; }
deb=$(first "$tmp"/dmas_*.deb)
devdeb=$(first "$tmp"/dmas-dev_*.deb)
changes=$(first "$tmp"/dmas_*.changes)

# has PACKAGE-LISTING PATTERN...: every extended regex matches a line of the listing.
has () {
  list=$1
  shift
  for p in "$@"; do
    grep -Eq "$p" "$list" || { echo "missing: $p" >>"$list.missing"; }
  done
  [ ! -s "$list.missing" ]
}

multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
plugins="usr/lib/$multiarch/dmas/plugins"
if [ -n "$deb" ]; then
  dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./||' >"$tmp/dmas.list"
  has "$tmp/dmas.list" '^usr/bin/dmas$' "^$plugins/raft\.so$" "^$plugins/heuristic\.so$" \
    "^$plugins/crash\.so$" '^usr/share/man/man1/dmas\.1\.gz$' \
    '^usr/share/bash-completion/completions/dmas$' '^usr/share/dmas/configs/single\.yaml$' \
    '^usr/share/dmas/configs/platforms/seed-resilience\.yaml$'
  status=$?
  ! grep -q '\.la$' "$tmp/dmas.list" || { echo "libtool .la files packaged" >>"$tmp/dmas.list.missing"; status=1; }
  result 2 "dmas holds the binary, the plugins, the configs, the man page and the completion" \
    $status "$tmp/dmas.list.missing"
else
  result 2 "dmas holds the binary, the plugins, the configs, the man page and the completion" 1
fi

if [ -n "$devdeb" ]; then
  dpkg-deb -c "$devdeb" | awk '{ print $6 }' | sed 's|^\./||' >"$tmp/dev.list"
  has "$tmp/dev.list" '^usr/include/dmas-1/dmas/dmas\.h$' '^usr/include/dmas-1/dmas/plugin\.h$' \
    "^usr/lib/$multiarch/pkgconfig/dmas-plugin-1\.pc$" '^usr/share/doc/dmas-dev/plugin-guide\.md' \
    '^usr/share/doc/dmas-dev/examples/plugin-skeleton/configure\.ac$'
  result 3 "dmas-dev holds the headers, dmas-plugin-1.pc, the plugin guide and the skeleton" $? \
    "$tmp/dev.list.missing"
else
  result 3 "dmas-dev holds the headers, dmas-plugin-1.pc, the plugin guide and the skeleton" 1
fi

# The packaged binary looks for plugins where the package puts them, and loads them.
if [ -n "$deb" ]; then
  root="$tmp/root"
  dpkg-deb -x "$deb" "$root"
  {
    "$root/usr/bin/dmas" plugins --help | grep -F "/$plugins" &&
      DMAS_PLUGIN_PATH="$root/$plugins" "$root/usr/bin/dmas" plugins | grep -q '^consensus/raft '
  } >"$tmp/run.log" 2>&1
  result 4 "the packaged dmas searches /$plugins and loads the packaged plugins" $? "$tmp/run.log"
else
  result 4 "the packaged dmas searches /$plugins and loads the packaged plugins" 1
fi

if ! command -v lintian >/dev/null 2>&1; then
  echo "ok 5 - lintian reports no errors # SKIP lintian is not installed (apt-get install lintian)"
elif [ -z "$changes" ]; then
  result 5 "lintian reports no errors" 1
else
  lintian --fail-on error "$changes" >"$tmp/lintian.log" 2>&1
  status=$?
  sed 's/^/# /' "$tmp/lintian.log"
  result 5 "lintian reports no errors" $status
fi

[ "$fails" -eq 0 ]
