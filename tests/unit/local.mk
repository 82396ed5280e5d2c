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
tests_unit_test_registry_cmd_SOURCES = tests/unit/test-registry-cmd.c framework/cli/cmd_plugins.c \
	$(plugins_test_sources)
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
check_PROGRAMS += tests/unit/test-backfill
TESTS += tests/unit/test-backfill
tests_unit_test_backfill_LDADD = libdmas.la
check_PROGRAMS += tests/unit/test-central
TESTS += tests/unit/test-central
tests_unit_test_central_LDADD = libdmas.la
tests_unit_test_network_LDADD = libdmas.la
tests_unit_test_metrics_LDADD = libdmas.la
check_PROGRAMS += tests/unit/test-sim
TESTS += tests/unit/test-sim
tests_unit_test_sim_LDADD = libdmas.la
# Crash semantics, failure detector and recovery (framework/agents/detector.c, recovery.c).
check_PROGRAMS += tests/unit/test-detector
TESTS += tests/unit/test-detector
tests_unit_test_detector_LDADD = libdmas.la
# Fault injection, host side: it loads the built plugins of this tree.
check_PROGRAMS += tests/unit/test-faults
TESTS += tests/unit/test-faults
tests_unit_test_faults_LDADD = libdmas.la
EXTRA_tests_unit_test_faults_DEPENDENCIES = plugins/faults/crash.la plugins/bidding/heuristic.la \
	plugins/consensus/auction.la
# Hand-computed crash-and-recover scenarios; they load the auction plugin from the build tree.
check_PROGRAMS += tests/unit/test-recovery
TESTS += tests/unit/test-recovery
tests_unit_test_recovery_LDADD = libdmas.la
# Workloads and platforms: distributions, SWF and Batsim readers (hand-made files in
# tests/data/; the real KTH and NASA traces from $DMAS_SHARED_DIR when present).
check_PROGRAMS += tests/unit/test-workload-dist
TESTS += tests/unit/test-workload-dist
tests_unit_test_workload_dist_LDADD = libdmas.la
check_PROGRAMS += tests/unit/test-swf
TESTS += tests/unit/test-swf
tests_unit_test_swf_LDADD = libdmas.la
EXTRA_DIST += \
	tests/data/swf/malformed.swf \
	tests/data/swf/no-header.swf \
	tests/data/swf/rules.swf
check_PROGRAMS += tests/unit/test-batsim
TESTS += tests/unit/test-batsim
tests_unit_test_batsim_LDADD = libdmas.la
EXTRA_DIST += \
	tests/data/batsim/good.json \
	tests/data/batsim/parallel-profile.json
# Whole runs over a trace; they load the heuristic and auction plugins of this build tree.
check_PROGRAMS += tests/unit/test-workload-run
TESTS += tests/unit/test-workload-run
tests_unit_test_workload_run_LDADD = libdmas.la
EXTRA_tests_unit_test_workload_run_DEPENDENCIES = plugins/bidding/heuristic.la \
	plugins/consensus/auction.la
# Host services: signatures, stable storage, validity, quorum availability.
check_PROGRAMS += tests/unit/test-services
TESTS += tests/unit/test-services
tests_unit_test_services_LDADD = libdmas.la
