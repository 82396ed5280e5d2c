# SPDX-License-Identifier: GPL-3.0-or-later
# tests/lint: symbol checks on the built plugins (shell scripts speaking TAP).
# The self-test runs the checker on tests/abi's uses-time and exports-extra to show it fails.
TESTS += tests/lint/test-plugin-symbols.sh tests/lint/test-lint-selftest.sh
EXTRA_DIST += tests/lint/test-plugin-symbols.sh tests/lint/test-lint-selftest.sh
