# SPDX-License-Identifier: GPL-3.0-or-later
# tests/sdk: the public headers stand on their own.
TESTS += tests/sdk/test-headers.sh
EXTRA_DIST += tests/sdk/test-headers.sh
