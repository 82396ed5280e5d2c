# SPDX-License-Identifier: GPL-3.0-or-later
# tests/faults-net: see tests/local.mk.
# The network's fault layer, unit level: exact counts on hand-built traffic.
check_PROGRAMS += tests/faults-net/test-netfaults
TESTS += tests/faults-net/test-netfaults
tests_faults_net_test_netfaults_LDADD = libdmas.la
# Partitions and bad links through the simulator, in process: raft and multipaxos keep
# deciding on the majority side only, availability, faults.jsonl, determinism.
check_PROGRAMS += tests/faults-net/test-partition-sim
TESTS += tests/faults-net/test-partition-sim
tests_faults_net_test_partition_sim_LDADD = libdmas.la $(GLIB_LIBS) $(JSON_LIBS)
EXTRA_tests_faults_net_test_partition_sim_DEPENDENCIES = plugins/consensus/raft.la \
	plugins/consensus/multipaxos.la plugins/bidding/heuristic.la plugins/faults/partition.la \
	plugins/faults/link.la
EXTRA_DIST += tests/faults-net/partition-5.yaml
# The partition and link components through the real `dmas run`: faults.jsonl, errors.
check_PROGRAMS += tests/faults-net/test-netfaults-cli
TESTS += tests/faults-net/test-netfaults-cli
tests_faults_net_test_netfaults_cli_LDADD = $(scenario_ldadd)
