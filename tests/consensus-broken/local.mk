# SPDX-License-Identifier: GPL-3.0-or-later
# tests/consensus-broken: consensus components that are wrong on purpose, never installed; the
# negative controls (tests/scenarios/test-safety.c) prove the safety checker catches them.
check_LTLIBRARIES += tests/consensus-broken/broken-quorum.la
tests_consensus_broken_broken_quorum_la_SOURCES = tests/consensus-broken/broken-quorum.c
tests_consensus_broken_broken_quorum_la_CPPFLAGS = -I$(top_srcdir)/include
tests_consensus_broken_broken_quorum_la_CFLAGS = $(plugin_cflags)
tests_consensus_broken_broken_quorum_la_LDFLAGS = $(check_plugin_ldflags)

# consensus/never-decides: a livelock, for the stall check (stall_timeout).
check_LTLIBRARIES += tests/consensus-broken/never-decides.la
tests_consensus_broken_never_decides_la_SOURCES = tests/consensus-broken/never-decides.c
tests_consensus_broken_never_decides_la_CPPFLAGS = -I$(top_srcdir)/include
tests_consensus_broken_never_decides_la_CFLAGS = $(plugin_cflags)
tests_consensus_broken_never_decides_la_LDFLAGS = $(check_plugin_ldflags)
check_PROGRAMS += tests/consensus-broken/test-stall
TESTS += tests/consensus-broken/test-stall
tests_consensus_broken_test_stall_LDADD = $(scenario_ldadd)
EXTRA_tests_consensus_broken_test_stall_DEPENDENCIES = tests/consensus-broken/never-decides.la \
	plugins/consensus/raft.la plugins/faults/crash.la plugins/bidding/heuristic.la
EXTRA_DIST += tests/scenarios/scen-registry.h
