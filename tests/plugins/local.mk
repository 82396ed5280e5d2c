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
