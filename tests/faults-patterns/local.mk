# SPDX-License-Identifier: GPL-3.0-or-later
# tests/faults-patterns: see tests/local.mk.

# targets.h, duration.h, and fault/crash's mttr and cascading patterns on the mock host.
check_PROGRAMS += tests/faults-patterns/test-patterns-mock
TESTS += tests/faults-patterns/test-patterns-mock
tests_faults_patterns_test_patterns_mock_SOURCES = tests/faults-patterns/test-patterns-mock.c
tests_faults_patterns_test_patterns_mock_LDADD = $(plugin_test_ldadd) -lm
EXTRA_tests_faults_patterns_test_patterns_mock_DEPENDENCIES = plugins/faults/crash.la

# Agents canonicalisation, degrade, schedules and presets through the real `dmas`.
check_PROGRAMS += tests/faults-patterns/test-patterns-e2e
TESTS += tests/faults-patterns/test-patterns-e2e
tests_faults_patterns_test_patterns_e2e_SOURCES = tests/faults-patterns/test-patterns-e2e.c
tests_faults_patterns_test_patterns_e2e_LDADD = $(scenario_ldadd) libdmas.la
EXTRA_tests_faults_patterns_test_patterns_e2e_DEPENDENCIES = plugins/faults/crash.la \
	plugins/faults/degrade.la plugins/faults/schedule.la
