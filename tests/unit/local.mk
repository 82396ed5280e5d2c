# SPDX-License-Identifier: GPL-3.0-or-later
# tests/unit

check_PROGRAMS += tests/unit/test-engine
TESTS += tests/unit/test-engine
tests_unit_test_engine_LDADD = libdmas.la

# Registry, search path and `dmas plugins` tests load the check plugins of tests/abi.
check_PROGRAMS += tests/unit/test-registry tests/unit/test-registry-params \
	tests/unit/test-registry-cmd
TESTS += tests/unit/test-registry tests/unit/test-registry-params tests/unit/test-registry-cmd
tests_unit_test_registry_LDADD = libdmas.la
tests_unit_test_registry_params_LDADD = libdmas.la
tests_unit_test_registry_cmd_SOURCES = tests/unit/test-registry-cmd.c framework/cli/cmd_plugins.c
tests_unit_test_registry_cmd_LDADD = libdmas.la

check_PROGRAMS += tests/unit/test-config
TESTS += tests/unit/test-config
tests_unit_test_config_LDADD = libdmas.la

# framework/world, net, metrics (the end-to-end slice)
check_PROGRAMS += tests/unit/test-platform tests/unit/test-workload tests/unit/test-localq \
	tests/unit/test-network tests/unit/test-metrics
TESTS += tests/unit/test-platform tests/unit/test-workload tests/unit/test-localq \
	tests/unit/test-network tests/unit/test-metrics
tests_unit_test_platform_LDADD = libdmas.la
tests_unit_test_workload_LDADD = libdmas.la
tests_unit_test_localq_LDADD = libdmas.la
tests_unit_test_network_LDADD = libdmas.la
tests_unit_test_metrics_LDADD = libdmas.la
check_PROGRAMS += tests/unit/test-sim
TESTS += tests/unit/test-sim
tests_unit_test_sim_LDADD = libdmas.la
