# SPDX-License-Identifier: GPL-3.0-or-later
# tests/scenarios: golden end-to-end runs through the real `dmas run`.
# The helpers every scenario program shares: temp dirs, running `dmas`, reading its results.
check_LTLIBRARIES += tests/scenarios/libscenario.la
tests_scenarios_libscenario_la_SOURCES = tests/scenarios/scenario.c tests/scenarios/scenario.h
scenario_ldadd = tests/scenarios/libscenario.la $(GLIB_LIBS) $(JSON_LIBS)
check_PROGRAMS += tests/scenarios/test-e2e
TESTS += tests/scenarios/test-e2e
tests_scenarios_test_e2e_LDADD = $(scenario_ldadd)
EXTRA_DIST += tests/scenarios/tiny-2x3.yaml
# Fault injection end to end: faults.jsonl, summary counts, `dmas config` of a faults: list.
check_PROGRAMS += tests/scenarios/test-faults-e2e
TESTS += tests/scenarios/test-faults-e2e
tests_scenarios_test_faults_e2e_LDADD = $(scenario_ldadd)
EXTRA_DIST += tests/scenarios/crash-30s.yaml
# A crash and its recovery, hand-computed (failure detector and recovery).
check_PROGRAMS += tests/scenarios/test-crash-e2e
TESTS += tests/scenarios/test-crash-e2e
tests_scenarios_test_crash_e2e_LDADD = $(scenario_ldadd)
EXTRA_DIST += tests/scenarios/crash-recover.yaml
# A crash of the centralized controller, without and with a standby (HA).
check_PROGRAMS += tests/scenarios/test-central-crash
TESTS += tests/scenarios/test-central-crash
tests_scenarios_test_central_crash_LDADD = $(scenario_ldadd)
EXTRA_DIST += tests/scenarios/central-crash.yaml
# The KTH validation (skipped without $DMAS_SHARED_DIR/traces).
check_PROGRAMS += tests/scenarios/test-kth
TESTS += tests/scenarios/test-kth
tests_scenarios_test_kth_LDADD = $(scenario_ldadd) -lm
