# SPDX-License-Identifier: GPL-3.0-or-later
# plugins/consensus: one libtool module per component file.

# Plugins see only the public SDK (include/dmas): no framework headers, no GLib.
plugin_LTLIBRARIES += plugins/consensus/auction.la
plugins_consensus_auction_la_SOURCES = plugins/consensus/auction.c plugins/consensus/slot-table.h \
	plugins/consensus/plausible.h
plugins_consensus_auction_la_CFLAGS = $(plugin_cflags)
plugins_consensus_auction_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_auction_la_LDFLAGS = $(plugin_ldflags)

# gossip, negotiation, weighted-voting share a private header of slot helpers.
plugin_LTLIBRARIES += plugins/consensus/gossip.la
plugins_consensus_gossip_la_SOURCES = plugins/consensus/gossip.c plugins/consensus/slot-vec.h \
	plugins/consensus/plausible.h
plugins_consensus_gossip_la_CFLAGS = $(plugin_cflags)
plugins_consensus_gossip_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_gossip_la_LDFLAGS = $(plugin_ldflags)

plugin_LTLIBRARIES += plugins/consensus/raft.la
plugins_consensus_raft_la_SOURCES = plugins/consensus/raft.c plugins/consensus/raft-private.h \
	plugins/consensus/raft-state.c plugins/consensus/raft-wire.c plugins/consensus/raft-store.c \
	plugins/consensus/raft-roles.c plugins/consensus/raft-leader.c plugins/consensus/raft-messages.c \
	plugins/consensus/slot-table.h \
	plugins/consensus/plausible.h
plugins_consensus_raft_la_CFLAGS = $(plugin_cflags)
plugins_consensus_raft_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_raft_la_LDFLAGS = $(plugin_ldflags)

plugin_LTLIBRARIES += plugins/consensus/tendermint.la
plugins_consensus_tendermint_la_SOURCES = plugins/consensus/tendermint.c \
	plugins/consensus/tendermint-private.h plugins/consensus/tendermint-slots.c \
	plugins/consensus/tendermint-store.c plugins/consensus/tendermint-wire.c \
	plugins/consensus/tendermint-rules.c plugins/consensus/tendermint-timers.c \
	plugins/consensus/tendermint-recv.c plugins/consensus/slot-table.h \
	plugins/consensus/plausible.h
plugins_consensus_tendermint_la_CFLAGS = $(plugin_cflags)
plugins_consensus_tendermint_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_tendermint_la_LDFLAGS = $(plugin_ldflags)

plugin_LTLIBRARIES += plugins/consensus/negotiation.la
plugins_consensus_negotiation_la_SOURCES = plugins/consensus/negotiation.c \
	plugins/consensus/slot-vec.h \
	plugins/consensus/plausible.h
plugins_consensus_negotiation_la_CFLAGS = $(plugin_cflags)
plugins_consensus_negotiation_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_negotiation_la_LDFLAGS = $(plugin_ldflags)

# pbft: PBFT with signed bids as evidence (Byzantine, n >= 3f+1).
plugin_LTLIBRARIES += plugins/consensus/pbft.la
plugins_consensus_pbft_la_SOURCES = plugins/consensus/pbft.c plugins/consensus/pbft-private.h \
	plugins/consensus/pbft-wire.c plugins/consensus/pbft-state.c plugins/consensus/pbft-store.c \
	plugins/consensus/pbft-order.c plugins/consensus/pbft-resend.c plugins/consensus/pbft-view.c \
	plugins/consensus/pbft-handlers.c plugins/consensus/slot-table.h \
	plugins/consensus/plausible.h
plugins_consensus_pbft_la_CFLAGS = $(plugin_cflags)
plugins_consensus_pbft_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_pbft_la_LDFLAGS = $(plugin_ldflags)

plugin_LTLIBRARIES += plugins/consensus/multipaxos.la
plugins_consensus_multipaxos_la_SOURCES = plugins/consensus/multipaxos.c \
	plugins/consensus/multipaxos-private.h plugins/consensus/multipaxos-state.c \
	plugins/consensus/multipaxos-wire.c plugins/consensus/multipaxos-store.c \
	plugins/consensus/multipaxos-phase1.c plugins/consensus/multipaxos-phase2.c \
	plugins/consensus/multipaxos-messages.c plugins/consensus/slot-table.h \
	plugins/consensus/plausible.h
plugins_consensus_multipaxos_la_CFLAGS = $(plugin_cflags)
plugins_consensus_multipaxos_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_multipaxos_la_LDFLAGS = $(plugin_ldflags)

plugin_LTLIBRARIES += plugins/consensus/weighted-voting.la
plugins_consensus_weighted_voting_la_SOURCES = plugins/consensus/weighted-voting.c \
	plugins/consensus/slot-vec.h \
	plugins/consensus/plausible.h
plugins_consensus_weighted_voting_la_CFLAGS = $(plugin_cflags)
plugins_consensus_weighted_voting_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_consensus_weighted_voting_la_LDFLAGS = $(plugin_ldflags)
