/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulated network: point-to-point messages between agents with a latency, FIFO per link. */
#ifndef DMAS_NET_NETWORK_H
#define DMAS_NET_NETWORK_H

#include <glib.h>

#include <dmas/types.h>
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

typedef struct DmasNetwork DmasNetwork;

/* A network of `n_agents` agents (ids 0..n-1) where every message takes `latency`.
 * Returns: (transfer full). */
DmasNetwork *dmas_network_new (DmasEngine *engine, guint n_agents, DmasTime latency,
                               DmasNetDeliverFn deliver, gpointer user_data);
/* Messages still in flight stay in the engine; free the network only after the run. */
void dmas_network_free (DmasNetwork *network);

/* Sends a copy of `body` (borrowed) from `src` to `dst` (self allowed: it travels too).
 * Delivery is an engine event of class DMAS_EV_DELIVER at now + latency, never earlier than
 * the previous message of the same link (FIFO per link).
 * Returns: DMAS_OK, DMAS_ENOENT for an unknown agent, DMAS_EINVAL for a bad channel or a body
 * of 4 GiB or more. */
int dmas_network_send (DmasNetwork *network, DmasAgentId src, DmasAgentId dst, guint32 channel,
                       guint32 type, const void *body, gsize len);

/* Returns: (transfer none) the counters of `channel` (valid until the network is freed). */
const DmasNetCounters *dmas_network_counters (const DmasNetwork *network, guint32 channel);

guint dmas_network_n_agents (const DmasNetwork *network);

/* A 32-bit checksum of `len` bytes (FNV-1a's multiply over 64-bit words): cheap, and enough to
 * catch the simulated corruption faults; the same on every host. */
guint32 dmas_net_checksum (const void *body, gsize len);

G_END_DECLS

#endif /* DMAS_NET_NETWORK_H */
