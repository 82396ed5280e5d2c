# SPDX-License-Identifier: GPL-3.0-or-later
# tests/scenarios: golden end-to-end runs through the real `dmas run`.
check_PROGRAMS += tests/scenarios/test-e2e
TESTS += tests/scenarios/test-e2e
tests_scenarios_test_e2e_LDADD = $(GLIB_LIBS) $(JSON_LIBS)
EXTRA_DIST += tests/scenarios/tiny-2x3.yaml
# Fault injection end to end: faults.jsonl, summary counts, `dmas config` of a faults: list.
check_PROGRAMS += tests/scenarios/test-faults-e2e
TESTS += tests/scenarios/test-faults-e2e
tests_scenarios_test_faults_e2e_LDADD = $(GLIB_LIBS) $(JSON_LIBS)
EXTRA_DIST += tests/scenarios/crash-30s.yaml
# A crash and its recovery, hand-computed (failure detector and recovery).
check_PROGRAMS += tests/scenarios/test-crash-e2e
TESTS += tests/scenarios/test-crash-e2e
tests_scenarios_test_crash_e2e_LDADD = $(GLIB_LIBS) $(JSON_LIBS)
EXTRA_DIST += tests/scenarios/crash-recover.yaml
# The KTH validation (skipped without $DMAS_SHARED_DIR/traces).
check_PROGRAMS += tests/scenarios/test-kth
TESTS += tests/scenarios/test-kth
tests_scenarios_test_kth_LDADD = $(GLIB_LIBS) $(JSON_LIBS) -lm
