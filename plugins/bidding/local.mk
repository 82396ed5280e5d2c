# SPDX-License-Identifier: GPL-3.0-or-later
# plugins/bidding: one libtool module per component file.

# Plugins see only the public SDK (include/dmas): no framework headers, no GLib.
plugin_LTLIBRARIES += plugins/bidding/heuristic.la
plugins_bidding_heuristic_la_SOURCES = plugins/bidding/heuristic.c plugins/bidding/common.h
plugins_bidding_heuristic_la_CFLAGS = $(plugin_cflags)
plugins_bidding_heuristic_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_bidding_heuristic_la_LDFLAGS = $(plugin_ldflags)

# supercomputer, wrench, least-loaded, random: the other shipped bidders (DESIGN §13), each its
# own module; common.h holds what they share (feasibility, type fit, the score floor).
plugin_LTLIBRARIES += plugins/bidding/supercomputer.la plugins/bidding/wrench.la \
	plugins/bidding/least-loaded.la plugins/bidding/random.la
plugins_bidding_supercomputer_la_SOURCES = plugins/bidding/supercomputer.c plugins/bidding/common.h
plugins_bidding_supercomputer_la_CFLAGS = $(plugin_cflags)
plugins_bidding_supercomputer_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_bidding_supercomputer_la_LDFLAGS = $(plugin_ldflags)
plugins_bidding_wrench_la_SOURCES = plugins/bidding/wrench.c plugins/bidding/common.h
plugins_bidding_wrench_la_CFLAGS = $(plugin_cflags)
plugins_bidding_wrench_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_bidding_wrench_la_LDFLAGS = $(plugin_ldflags)
plugins_bidding_least_loaded_la_SOURCES = plugins/bidding/least-loaded.c plugins/bidding/common.h
plugins_bidding_least_loaded_la_CFLAGS = $(plugin_cflags)
plugins_bidding_least_loaded_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_bidding_least_loaded_la_LDFLAGS = $(plugin_ldflags)
plugins_bidding_random_la_SOURCES = plugins/bidding/random.c plugins/bidding/common.h
plugins_bidding_random_la_CFLAGS = $(plugin_cflags)
plugins_bidding_random_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_bidding_random_la_LDFLAGS = $(plugin_ldflags)

# llm: asks the run's language model through the host (api->llm_request, ABI 1.3) and falls
# back to the best-fit score of common.h.
plugin_LTLIBRARIES += plugins/bidding/llm.la
plugins_bidding_llm_la_SOURCES = plugins/bidding/llm.c plugins/bidding/common.h
plugins_bidding_llm_la_CFLAGS = $(plugin_cflags)
plugins_bidding_llm_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_bidding_llm_la_LDFLAGS = $(plugin_ldflags)
