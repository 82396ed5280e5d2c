# SPDX-License-Identifier: GPL-3.0-or-later
# plugins/bidding: one libtool module per component file.

# Plugins see only the public SDK (include/dmas): no framework headers, no GLib.
plugin_LTLIBRARIES += plugins/bidding/heuristic.la
plugins_bidding_heuristic_la_SOURCES = plugins/bidding/heuristic.c
plugins_bidding_heuristic_la_CFLAGS = $(plugin_cflags)
plugins_bidding_heuristic_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_bidding_heuristic_la_LDFLAGS = $(plugin_ldflags)
