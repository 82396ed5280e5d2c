# SPDX-License-Identifier: GPL-3.0-or-later
# tests/packaging: the bash completion, and the Debian packages built with dpkg-buildpackage.
TESTS += tests/packaging/test-completion.sh tests/packaging/test-deb.sh
EXTRA_DIST += tests/packaging/test-completion.sh tests/packaging/test-deb.sh

# debian/ ships in the tarball so that an unpacked release builds its packages (and
# test-deb.sh runs under make distcheck too).
EXTRA_DIST += \
	debian/changelog \
	debian/control \
	debian/copyright \
	debian/rules \
	debian/source/format \
	debian/dmas.install \
	debian/dmas.docs \
	debian/dmas-dev.install \
	debian/dmas-dev.docs \
	debian/dmas-dev.examples \
	debian/not-installed
