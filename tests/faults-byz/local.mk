# SPDX-License-Identifier: GPL-3.0-or-later
# tests/faults-byz: see tests/local.mk.  Byzantine agents: each strategy's effect, and the
# negative controls of the safety checker (equivocating Twins).

# consensus/byz-probe: check only, never installed (signed bids counted per sender).
check_LTLIBRARIES += tests/faults-byz/byz-probe.la
tests_faults_byz_byz_probe_la_SOURCES = tests/faults-byz/byz-probe.c
tests_faults_byz_byz_probe_la_CPPFLAGS = -I$(top_srcdir)/include
tests_faults_byz_byz_probe_la_CFLAGS = $(plugin_cflags)
tests_faults_byz_byz_probe_la_LDFLAGS = $(check_plugin_ldflags)

byz_test_deps = tests/faults-byz/byz-probe.la plugins/faults/byzantine.la \
	plugins/consensus/pbft.la plugins/consensus/tendermint.la plugins/consensus/raft.la \
	plugins/consensus/multipaxos.la plugins/bidding/heuristic.la

check_PROGRAMS += tests/faults-byz/test-byz-strategies
TESTS += tests/faults-byz/test-byz-strategies
tests_faults_byz_test_byz_strategies_SOURCES = tests/faults-byz/test-byz-strategies.c \
	tests/faults-byz/byz-run.c tests/faults-byz/byz-run.h
tests_faults_byz_test_byz_strategies_LDADD = libdmas.la $(GLIB_LIBS) $(JSON_LIBS)
EXTRA_tests_faults_byz_test_byz_strategies_DEPENDENCIES = $(byz_test_deps)

EXTRA_DIST += tests/faults-byz/byz4.yaml tests/faults-byz/byz5.yaml

# Within the fault model (>= 200 seeds per protocol) and the negative controls.
check_PROGRAMS += tests/faults-byz/test-byz-safety
TESTS += tests/faults-byz/test-byz-safety
tests_faults_byz_test_byz_safety_SOURCES = tests/faults-byz/test-byz-safety.c \
	tests/faults-byz/byz-run.c tests/faults-byz/byz-run.h
tests_faults_byz_test_byz_safety_LDADD = libdmas.la $(GLIB_LIBS) $(JSON_LIBS)
EXTRA_tests_faults_byz_test_byz_safety_DEPENDENCIES = $(byz_test_deps)
