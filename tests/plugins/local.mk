# SPDX-License-Identifier: GPL-3.0-or-later
# tests/plugins

# Contract tests of plugins: a mock host (tests/plugins/mock-host.h) dlopen()s the built
# modules from $(DMAS_BUILDDIR)/plugins/<kind>/.libs and drives them by hand.  Other contract
# suites link the same convenience library.
check_LTLIBRARIES += tests/plugins/libmockhost.la
tests_plugins_libmockhost_la_SOURCES = \
	tests/plugins/mock-host.h tests/plugins/mock-host-private.h \
	tests/plugins/mock-host.c tests/plugins/mock-host-api.c tests/plugins/mock-host-script.c
tests_plugins_libmockhost_la_LIBADD = $(GLIB_LIBS) $(LIBS)

plugin_test_ldadd = tests/plugins/libmockhost.la $(GLIB_LIBS) $(LIBS)

check_PROGRAMS += tests/plugins/test-heuristic tests/plugins/test-auction
TESTS += tests/plugins/test-heuristic tests/plugins/test-auction
tests_plugins_test_heuristic_SOURCES = tests/plugins/test-heuristic.c
tests_plugins_test_heuristic_LDADD = $(plugin_test_ldadd)
tests_plugins_test_auction_SOURCES = tests/plugins/test-auction.c
tests_plugins_test_auction_LDADD = $(plugin_test_ldadd)

# The tests dlopen() these modules: building a test builds its module too.
EXTRA_tests_plugins_test_heuristic_DEPENDENCIES = plugins/bidding/heuristic.la
EXTRA_tests_plugins_test_auction_DEPENDENCIES = plugins/consensus/auction.la

# supercomputer, wrench, least-loaded, random: one program, hand-computed scores per formula.
check_PROGRAMS += tests/plugins/test-bidders
TESTS += tests/plugins/test-bidders
tests_plugins_test_bidders_SOURCES = tests/plugins/test-bidders.c
tests_plugins_test_bidders_LDADD = $(plugin_test_ldadd)
EXTRA_tests_plugins_test_bidders_DEPENDENCIES = plugins/bidding/supercomputer.la \
	plugins/bidding/wrench.la plugins/bidding/least-loaded.la plugins/bidding/random.la

# fault/crash against the mock host's fault calls.
check_PROGRAMS += tests/plugins/test-crash
TESTS += tests/plugins/test-crash
tests_plugins_test_crash_SOURCES = tests/plugins/test-crash.c
tests_plugins_test_crash_LDADD = $(plugin_test_ldadd) -lm
EXTRA_tests_plugins_test_crash_DEPENDENCIES = plugins/faults/crash.la

# The contract every consensus component meets: one program that finds every module in
# plugins/consensus/.libs and runs each property on each component (/contract/NAME/PROPERTY).
check_PROGRAMS += tests/plugins/test-consensus-contract
TESTS += tests/plugins/test-consensus-contract
tests_plugins_test_consensus_contract_SOURCES = tests/plugins/test-consensus-contract.c
tests_plugins_test_consensus_contract_LDADD = $(plugin_test_ldadd) -ldl
EXTRA_tests_plugins_test_consensus_contract_DEPENDENCIES = plugins/consensus/auction.la

# consensus/gossip, negotiation, weighted-voting.
check_PROGRAMS += tests/plugins/test-gossip
TESTS += tests/plugins/test-gossip
tests_plugins_test_gossip_SOURCES = tests/plugins/test-gossip.c tests/plugins/consensus-util.h
tests_plugins_test_gossip_LDADD = $(plugin_test_ldadd)
EXTRA_tests_plugins_test_gossip_DEPENDENCIES = plugins/consensus/gossip.la

check_PROGRAMS += tests/plugins/test-negotiation
TESTS += tests/plugins/test-negotiation
tests_plugins_test_negotiation_SOURCES = tests/plugins/test-negotiation.c \
	tests/plugins/consensus-util.h
tests_plugins_test_negotiation_LDADD = $(plugin_test_ldadd)
EXTRA_tests_plugins_test_negotiation_DEPENDENCIES = plugins/consensus/negotiation.la

# consensus/raft: elections, replication, crashes, restarts from storage, hostile networks.
check_PROGRAMS += tests/plugins/test-raft
TESTS += tests/plugins/test-raft
tests_plugins_test_raft_SOURCES = tests/plugins/test-raft.c
tests_plugins_test_raft_LDADD = $(plugin_test_ldadd)
EXTRA_tests_plugins_test_raft_DEPENDENCIES = plugins/consensus/raft.la

# The mock host's services (sign/verify, persist/restore, crash and restart of one agent).
check_PROGRAMS += tests/plugins/test-mock-services
TESTS += tests/plugins/test-mock-services
tests_plugins_test_mock_services_SOURCES = tests/plugins/test-mock-services.c
tests_plugins_test_mock_services_LDADD = $(plugin_test_ldadd)
EXTRA_tests_plugins_test_mock_services_DEPENDENCIES = plugins/consensus/auction.la \
	plugins/bidding/heuristic.la

# consensus/tendermint against the mock host's signatures, storage and crash/restart.
check_PROGRAMS += tests/plugins/test-tendermint
TESTS += tests/plugins/test-tendermint
tests_plugins_test_tendermint_SOURCES = tests/plugins/test-tendermint.c
tests_plugins_test_tendermint_LDADD = $(plugin_test_ldadd)
EXTRA_tests_plugins_test_tendermint_DEPENDENCIES = plugins/consensus/tendermint.la

check_PROGRAMS += tests/plugins/test-weighted-voting
TESTS += tests/plugins/test-weighted-voting
tests_plugins_test_weighted_voting_SOURCES = tests/plugins/test-weighted-voting.c \
	tests/plugins/consensus-util.h
tests_plugins_test_weighted_voting_LDADD = $(plugin_test_ldadd)
EXTRA_tests_plugins_test_weighted_voting_DEPENDENCIES = plugins/consensus/weighted-voting.la

# consensus/pbft: message counts, crashes and restarts, a Byzantine primary (crafted
# PRE-PREPAREs injected by the test), no quorum, hostile networks.
check_PROGRAMS += tests/plugins/test-pbft
TESTS += tests/plugins/test-pbft
tests_plugins_test_pbft_SOURCES = tests/plugins/test-pbft.c
tests_plugins_test_pbft_LDADD = $(plugin_test_ldadd)
EXTRA_tests_plugins_test_pbft_DEPENDENCIES = plugins/consensus/pbft.la

# consensus/multipaxos: message counts, leader crash, quorum, stable storage, lossy networks.
check_PROGRAMS += tests/plugins/test-multipaxos
TESTS += tests/plugins/test-multipaxos
tests_plugins_test_multipaxos_SOURCES = tests/plugins/test-multipaxos.c
tests_plugins_test_multipaxos_LDADD = $(plugin_test_ldadd)
EXTRA_tests_plugins_test_multipaxos_DEPENDENCIES = plugins/consensus/multipaxos.la

# bidding/llm against a scripted model (the test's own llm_request over the mock host's table).
check_PROGRAMS += tests/plugins/test-llm-bidder
TESTS += tests/plugins/test-llm-bidder
tests_plugins_test_llm_bidder_SOURCES = tests/plugins/test-llm-bidder.c
tests_plugins_test_llm_bidder_LDADD = $(plugin_test_ldadd)
EXTRA_tests_plugins_test_llm_bidder_DEPENDENCIES = plugins/bidding/llm.la \
	plugins/bidding/heuristic.la
