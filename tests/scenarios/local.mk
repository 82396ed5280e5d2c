# SPDX-License-Identifier: GPL-3.0-or-later
# tests/scenarios: golden end-to-end runs through the real `dmas run`.
check_PROGRAMS += tests/scenarios/test-e2e
TESTS += tests/scenarios/test-e2e
tests_scenarios_test_e2e_LDADD = $(GLIB_LIBS) $(JSON_LIBS)
EXTRA_DIST += tests/scenarios/tiny-2x3.yaml
