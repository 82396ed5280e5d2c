# SPDX-License-Identifier: GPL-3.0-or-later
# plugins/consensus: one libtool module per component file.

# Plugins see only the public SDK (include/dmas): no framework headers, no GLib.
plugin_LTLIBRARIES += plugins/consensus/auction.la
plugins_consensus_auction_la_SOURCES = plugins/consensus/auction.c
plugins_consensus_auction_la_CFLAGS = $(plugin_cflags)
plugins_consensus_auction_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_auction_la_LDFLAGS = $(plugin_ldflags)
