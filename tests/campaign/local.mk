# SPDX-License-Identifier: GPL-3.0-or-later
# tests/campaign: `dmas run` on campaigns end to end (sweeps, seeds, -j, crashes, resume,
# replay, progress), with a test bidder that segfaults on demand.

# bidding/crashy: never installed; found through --plugin-path tests/campaign/.libs.
check_LTLIBRARIES += tests/campaign/crashy.la
tests_campaign_crashy_la_SOURCES = tests/campaign/crashy.c
tests_campaign_crashy_la_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/plugins/bidding
tests_campaign_crashy_la_CFLAGS = $(plugin_cflags)
tests_campaign_crashy_la_LDFLAGS = $(check_plugin_ldflags)

check_PROGRAMS += tests/campaign/test-campaign
TESTS += tests/campaign/test-campaign
tests_campaign_test_campaign_SOURCES = tests/campaign/test-campaign.c
tests_campaign_test_campaign_LDADD = libdmas.la
# Under ASan a SIGSEGV becomes ASan's report and exit status 1: the run is "failed", not
# "crashed".
if SANITIZERS
tests_campaign_test_campaign_CPPFLAGS = $(AM_CPPFLAGS) -DDMAS_TEST_SANITIZERS=1
endif
