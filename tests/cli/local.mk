# SPDX-License-Identifier: GPL-3.0-or-later
# tests/cli: the dmas command line, end to end.
TESTS += tests/cli/test-cli.sh
EXTRA_DIST += tests/cli/test-cli.sh tests/cli/cli-tmp.h

# `dmas demo`, `dmas check`, `dmas setup-env` (issue 7): GTest programs driving the binary.
check_PROGRAMS += tests/cli/test-demo tests/cli/test-check tests/cli/test-setup-env
TESTS += tests/cli/test-demo tests/cli/test-check tests/cli/test-setup-env
tests_cli_test_demo_LDADD = libdmas.la
tests_cli_test_check_LDADD = libdmas.la
tests_cli_test_setup_env_LDADD = libdmas.la
