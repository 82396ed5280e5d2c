/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulated network: latency + size/bandwidth + jitter per directed link, FIFO per link. */
#ifndef DMAS_NET_NETWORK_H
#define DMAS_NET_NETWORK_H

#include <glib.h>

#include <dmas/host.h>
#include <dmas/types.h>
#include "config/config.h"
#include "engine/engine.h"

G_BEGIN_DECLS

/* Channels name who speaks on the wire, so that traffic is delivered to the right receiver
 * and counted apart: DMAS_NET_HOST is the host's own scheduling traffic (job announcements,
 * completions), every other value is a plugin kind (DmasKind). */
#define DMAS_NET_HOST 0u
#define DMAS_NET_N_CHANNELS 5u

/* What the host puts around every body.  `src` is set by the network, never by the sender,
 * which is what makes it authentic. */
typedef struct {
  DmasAgentId src, dst;
  guint32 channel;   /* DMAS_NET_HOST or a DmasKind */
  guint32 type;      /* the sender's own message type */
  guint32 len;       /* body bytes */
  guint32 checksum;  /* dmas_net_checksum() of the body, checked on delivery */
} DmasEnvelope;

/* Size counted for each message's envelope on top of its body: six 32-bit fields. */
#define DMAS_NET_ENVELOPE_BYTES 24u

/* Per-channel counters.  Messages and bytes (body + envelope) count at send time. */
typedef struct {
  guint64 messages;
  guint64 bytes;
  guint64 delivered;
  guint64 dropped_corrupt; /* body no longer matched its checksum (fault injection) */
} DmasNetCounters;

/* Called from inside engine dispatch for every delivered message; `env` and `body` are
 * borrowed for the call. */
typedef void (*DmasNetDeliverFn) (gpointer user_data, const DmasEnvelope *env,
                                  const guint8 *body);

/* What the fault layer did, over all channels (metrics.h has the definitions). */
typedef struct {
  guint64 dropped_partition; /* sent while an active partition forbade src -> dst */
  guint64 dropped_loss;      /* lost to a link fault's loss */
  guint64 duplicated;        /* second copies delivered by a link fault */
  guint64 reordered;         /* exempted from FIFO by a link fault and due before an earlier
                              * message of the link: it overtakes at least one */
  guint64 corrupted;         /* bodies damaged by a link fault (detected or not) */
  guint64 corrupt_delivered; /* damaged bodies that passed the receiver's checksum */
} DmasNetFaultCounters;

typedef struct DmasNetwork DmasNetwork;

/* What one directed link (src -> dst) does to a message of `size` bytes (body + envelope)
 * sent at time t.  Each directed link is one serial transmitter: a message starts leaving
 * when the link has finished sending the previous one, takes size·8 / bandwidth to leave
 * (rounded up to a whole ns), then travels `latency`, plus a jitter drawn per message:
 *
 *   start   = max(t, end of the previous transmission on the link)
 *   sent    = start + ceil(size·8·1e9 / bandwidth) ns        (0 when bandwidth is infinite)
 *   arrival = max(sent + latency + U{0..jitter} ns, previous arrival on the link)
 *
 * The last max keeps every link FIFO even with jitter: a message never overtakes an earlier
 * one of the same link (only a fault may reorder, later).  Jitter is uniform over the whole
 * nanoseconds 0..jitter, drawn from the link's own stream "net/<src>-<dst>" (seeded from the
 * run seed and that name like every engine stream), so traffic on one link never shifts the
 * jitter of another. */
typedef struct {
  DmasTime latency;   /* propagation delay, after the last byte has left */
  DmasTime jitter;    /* extra delay, uniform in [0, jitter] ns, per message */
  gdouble bandwidth;  /* bits per second; 0 = infinite (no transmission time, no queueing) */
} DmasLinkParams;

/* A network of `n_agents` agents (ids 0..n-1) where every link has `latency`, no jitter and
 * infinite bandwidth until configured otherwise.
 * Returns: (transfer full). */
DmasNetwork *dmas_network_new (DmasEngine *engine, guint n_agents, DmasTime latency,
                               DmasNetDeliverFn deliver, gpointer user_data);
/* Messages still in flight stay in the engine; free the network only after the run. */
void dmas_network_free (DmasNetwork *network);

/* Sets the parameters of every link that has no override of its own.  Call before traffic
 * starts: a change applies to messages sent afterwards. */
void dmas_network_set_default_link (DmasNetwork *network, const DmasLinkParams *params);
/* Overrides the directed link src -> dst (one direction only; src == dst is the loopback). */
void dmas_network_set_link (DmasNetwork *network, DmasAgentId src, DmasAgentId dst,
                            const DmasLinkParams *params);
/* Returns: (transfer none) the parameters in force on src -> dst (valid until the next
 * set_*). */
const DmasLinkParams *dmas_network_link (const DmasNetwork *network, DmasAgentId src,
                                         DmasAgentId dst);

/* Applies the config's network section: the defaults, then every entry of network.links,
 * whose `from` and `to` are agent ids (digits only) or cluster names (`names`, n_agents
 * entries, index = agent id).  A symmetric entry sets both directions.
 * Returns: FALSE with a DMAS_CONFIG_ERROR at the entry's file:line:column when an end names
 * no agent, or when one directed link is given twice. */
gboolean dmas_network_configure (DmasNetwork *network, const DmasConfig *config,
                                 const gchar *const *names, GError **error);

/* Sends a copy of `body` (borrowed) from `src` to `dst` (self allowed: it travels too).
 * Delivery is an engine event of class DMAS_EV_DELIVER at the arrival time given above.
 * Returns: DMAS_OK, DMAS_ENOENT for an unknown agent, DMAS_EINVAL for a bad channel or a body
 * of 4 GiB or more. */
int dmas_network_send (DmasNetwork *network, DmasAgentId src, DmasAgentId dst, guint32 channel,
                       guint32 type, const void *body, gsize len);

/* Host message types (channel DMAS_NET_HOST) below this are tracked in flight. */
#define DMAS_NET_HOST_TYPES 32u
/* Deliveries of host messages of `type` (< DMAS_NET_HOST_TYPES) scheduled and not yet
 * dispatched: a message lost to a fault never counts, a duplicate counts twice, a corrupted
 * one counts until its delivery event drops it.  0 for other types. */
guint64 dmas_network_host_in_flight (const DmasNetwork *network, guint32 type);

/* Returns: (transfer none) the counters of `channel` (valid until the network is freed). */
const DmasNetCounters *dmas_network_counters (const DmasNetwork *network, guint32 channel);

guint dmas_network_n_agents (const DmasNetwork *network);

/* ---- faults (netfaults.c) ----
 *
 * Every fault is checked once per message, at its send time, against the faults active then:
 * a message already in flight when a fault starts or ends keeps the fate it was given.
 * Messages an endpoint sends to itself never cross a link and are exempt from every fault. */

/* Adds a link fault (copied: from/to are endpoints, DMAS_AGENT_NONE for any; probabilities in
 * [0, 1], which the caller has checked).  Returns: its id, never 0. */
guint64 dmas_network_link_fault_add (DmasNetwork *network, const DmasLinkFault *fault);
/* Returns: (transfer none) (nullable) the active link fault `id`, valid until it is removed. */
const DmasLinkFault *dmas_network_link_fault (const DmasNetwork *network, guint64 id);
/* Returns: FALSE when no active link fault has that id. */
gboolean dmas_network_link_fault_remove (DmasNetwork *network, guint64 id);
/* Adds a partition: `reach` (copied) is an E x E matrix over every endpoint (E =
 * dmas_network_n_agents()), reach[s * E + d] non-zero when s's messages may reach d (the
 * diagonal is ignored).  Returns: its id, never 0. */
guint64 dmas_network_partition_add (DmasNetwork *network, const guint8 *reach);
/* Returns: (transfer none) (nullable) the E x E matrix of active partition `id`, valid until
 * it is removed. */
const guint8 *dmas_network_partition_reach (const DmasNetwork *network, guint64 id);
/* Returns: FALSE when no active partition has that id. */
gboolean dmas_network_partition_remove (DmasNetwork *network, guint64 id);
/* TRUE when every active partition lets src's messages reach dst (always for src == dst). */
gboolean dmas_network_reaches (const DmasNetwork *network, DmasAgentId src, DmasAgentId dst);
/* TRUE while some partition is active. */
gboolean dmas_network_partitioned (const DmasNetwork *network);
/* Degradation: every message from or to `endpoint` takes (factor - 1) x its link's latency
 * longer (both ends degraded: both terms add).  factor >= 1; 1 restores the endpoint. */
void dmas_network_set_slowdown (DmasNetwork *network, DmasAgentId endpoint, gdouble factor);
/* Returns: (transfer none) the fault counters (valid until the network is freed). */
const DmasNetFaultCounters *dmas_network_fault_counters (const DmasNetwork *network);

/* A 32-bit checksum of `len` bytes (FNV-1a's multiply over 64-bit words): cheap, and enough to
 * catch the simulated corruption faults; the same on every host. */
guint32 dmas_net_checksum (const void *body, gsize len);

G_END_DECLS

#endif /* DMAS_NET_NETWORK_H */
