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
