# SPDX-License-Identifier: GPL-3.0-or-later
# tests/cli: the dmas command line, end to end.
TESTS += tests/cli/test-cli.sh
EXTRA_DIST += tests/cli/test-cli.sh
