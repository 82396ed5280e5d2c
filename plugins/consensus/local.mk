# SPDX-License-Identifier: GPL-3.0-or-later
# plugins/consensus: one libtool module per component file.

# Plugins see only the public SDK (include/dmas): no framework headers, no GLib.
plugin_LTLIBRARIES += plugins/consensus/auction.la
plugins_consensus_auction_la_SOURCES = plugins/consensus/auction.c
plugins_consensus_auction_la_CFLAGS = $(plugin_cflags)
plugins_consensus_auction_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_auction_la_LDFLAGS = $(plugin_ldflags)

# gossip, negotiation, weighted-voting share a private header of slot helpers.
plugin_LTLIBRARIES += plugins/consensus/gossip.la
plugins_consensus_gossip_la_SOURCES = plugins/consensus/gossip.c plugins/consensus/slot-vec.h
plugins_consensus_gossip_la_CFLAGS = $(plugin_cflags)
plugins_consensus_gossip_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_gossip_la_LDFLAGS = $(plugin_ldflags)

plugin_LTLIBRARIES += plugins/consensus/raft.la
plugins_consensus_raft_la_SOURCES = plugins/consensus/raft.c
plugins_consensus_raft_la_CFLAGS = $(plugin_cflags)
plugins_consensus_raft_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_raft_la_LDFLAGS = $(plugin_ldflags)

plugin_LTLIBRARIES += plugins/consensus/tendermint.la
plugins_consensus_tendermint_la_SOURCES = plugins/consensus/tendermint.c
plugins_consensus_tendermint_la_CFLAGS = $(plugin_cflags)
plugins_consensus_tendermint_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_tendermint_la_LDFLAGS = $(plugin_ldflags)

plugin_LTLIBRARIES += plugins/consensus/negotiation.la
plugins_consensus_negotiation_la_SOURCES = plugins/consensus/negotiation.c \
	plugins/consensus/slot-vec.h
plugins_consensus_negotiation_la_CFLAGS = $(plugin_cflags)
plugins_consensus_negotiation_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_negotiation_la_LDFLAGS = $(plugin_ldflags)

# pbft: PBFT with signed bids as evidence (Byzantine, n >= 3f+1).
plugin_LTLIBRARIES += plugins/consensus/pbft.la
plugins_consensus_pbft_la_SOURCES = plugins/consensus/pbft.c
plugins_consensus_pbft_la_CFLAGS = $(plugin_cflags)
plugins_consensus_pbft_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_pbft_la_LDFLAGS = $(plugin_ldflags)

plugin_LTLIBRARIES += plugins/consensus/multipaxos.la
plugins_consensus_multipaxos_la_SOURCES = plugins/consensus/multipaxos.c
plugins_consensus_multipaxos_la_CFLAGS = $(plugin_cflags)
plugins_consensus_multipaxos_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_multipaxos_la_LDFLAGS = $(plugin_ldflags)

plugin_LTLIBRARIES += plugins/consensus/weighted-voting.la
plugins_consensus_weighted_voting_la_SOURCES = plugins/consensus/weighted-voting.c \
	plugins/consensus/slot-vec.h
plugins_consensus_weighted_voting_la_CFLAGS = $(plugin_cflags)
plugins_consensus_weighted_voting_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_weighted_voting_la_LDFLAGS = $(plugin_ldflags)
