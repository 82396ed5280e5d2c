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
# Randomized safety runs of every consensus component built (200 seeds each, random crashes
# within the fault model's threshold, jitter), in process through the simulator, and the
# negative control tests/consensus-broken/broken-quorum.  Long sweeps: safety-sweep.sh.
check_PROGRAMS += tests/scenarios/test-safety
TESTS += tests/scenarios/test-safety
tests_scenarios_test_safety_LDADD = libdmas.la $(GLIB_LIBS) $(JSON_LIBS)
EXTRA_tests_scenarios_test_safety_DEPENDENCIES = plugins/consensus/auction.la \
	plugins/bidding/heuristic.la tests/consensus-broken/broken-quorum.la
EXTRA_DIST += tests/scenarios/safety.yaml tests/scenarios/safety-sweep.sh
# Golden traces: `dmas run golden/NAME.yaml --trace` byte for byte against golden/NAME.trace,
# one test per consensus component built (skipped, named, when it has no golden files yet).
# Regenerate with tests/scenarios/golden-regen.sh [NAME...] from the build directory.
check_PROGRAMS += tests/scenarios/test-golden
TESTS += tests/scenarios/test-golden
tests_scenarios_test_golden_LDADD = $(scenario_ldadd) libdmas.la
EXTRA_tests_scenarios_test_golden_DEPENDENCIES = plugins/consensus/auction.la
# The whole directory is distributed, so that goldens of new components need no edit here.
EXTRA_DIST += tests/scenarios/golden-regen.sh tests/scenarios/golden
# configs/compare/consensus.yaml with --set scheduling.consensus=auction, with and without a
# crash.
check_PROGRAMS += tests/scenarios/test-compare
TESTS += tests/scenarios/test-compare
tests_scenarios_test_compare_LDADD = $(scenario_ldadd)
EXTRA_tests_scenarios_test_compare_DEPENDENCIES = plugins/consensus/auction.la \
	plugins/bidding/heuristic.la
# configs/single.yaml with gossip, negotiation and weighted-voting, with and without a crash.
check_PROGRAMS += tests/scenarios/test-quickstart-consensus
TESTS += tests/scenarios/test-quickstart-consensus
tests_scenarios_test_quickstart_consensus_LDADD = $(scenario_ldadd)
EXTRA_tests_scenarios_test_quickstart_consensus_DEPENDENCIES = plugins/consensus/gossip.la \
	plugins/consensus/negotiation.la plugins/consensus/weighted-voting.la \
	plugins/bidding/heuristic.la
# configs/single.yaml with multipaxos: clean (cost formula), leader crash, majority down.
check_PROGRAMS += tests/scenarios/test-multipaxos-e2e
TESTS += tests/scenarios/test-multipaxos-e2e
tests_scenarios_test_multipaxos_e2e_LDADD = $(scenario_ldadd)
EXTRA_tests_scenarios_test_multipaxos_e2e_DEPENDENCIES = plugins/consensus/multipaxos.la \
	plugins/bidding/heuristic.la plugins/faults/crash.la
# configs/single.yaml with pbft: clean (2n^2 - n - 1 messages per decision), primary crash,
# f = 2 crashes with 7 agents.
check_PROGRAMS += tests/scenarios/test-pbft-e2e
TESTS += tests/scenarios/test-pbft-e2e
tests_scenarios_test_pbft_e2e_LDADD = $(scenario_ldadd)
EXTRA_tests_scenarios_test_pbft_e2e_DEPENDENCIES = plugins/consensus/pbft.la \
	plugins/bidding/heuristic.la plugins/faults/crash.la
# configs/single.yaml with raft: clean (exact message formula), leader crash, follower
# crash, majority down.
check_PROGRAMS += tests/scenarios/test-raft-e2e
TESTS += tests/scenarios/test-raft-e2e
tests_scenarios_test_raft_e2e_LDADD = $(scenario_ldadd)
EXTRA_tests_scenarios_test_raft_e2e_DEPENDENCIES = plugins/consensus/raft.la \
	plugins/bidding/heuristic.la plugins/faults/crash.la
# Liveness after crashes and restarts: tendermint-livelock.yaml (a campaign run that never
# ended with tendermint) under every protocol, bounded in wall-clock time.
check_PROGRAMS += tests/scenarios/test-liveness
TESTS += tests/scenarios/test-liveness
tests_scenarios_test_liveness_LDADD = $(scenario_ldadd)
EXTRA_tests_scenarios_test_liveness_DEPENDENCIES = plugins/consensus/tendermint.la \
	plugins/consensus/pbft.la plugins/consensus/raft.la plugins/consensus/multipaxos.la \
	plugins/consensus/gossip.la plugins/consensus/negotiation.la \
	plugins/consensus/weighted-voting.la plugins/consensus/auction.la \
	plugins/bidding/heuristic.la plugins/faults/crash.la
EXTRA_DIST += tests/scenarios/tendermint-livelock.yaml
# Consensus over bad links (loss, duplication, reordering, corruption, delay): every
# asynchronous protocol settles every job, during a lasting fault and after one heals.
check_PROGRAMS += tests/scenarios/test-bad-links
TESTS += tests/scenarios/test-bad-links
tests_scenarios_test_bad_links_LDADD = $(scenario_ldadd)
EXTRA_tests_scenarios_test_bad_links_DEPENDENCIES = plugins/consensus/raft.la \
	plugins/consensus/multipaxos.la plugins/consensus/pbft.la plugins/consensus/tendermint.la \
	plugins/consensus/auction.la plugins/bidding/heuristic.la plugins/faults/link.la
EXTRA_DIST += tests/scenarios/bad-links.yaml
