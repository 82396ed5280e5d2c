# SPDX-License-Identifier: GPL-3.0-or-later
# tests/install: `make install` into a staging root, then the plugin skeleton built against it;
# `dmas plugins test` on shipped plugins and on a broken one.
TESTS += tests/install/test-install.sh tests/install/test-plugins-test.sh
EXTRA_DIST += tests/install/test-install.sh tests/install/skeleton-check.sh \
	tests/install/test-plugins-test.sh
