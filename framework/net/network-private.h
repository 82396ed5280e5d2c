/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inside of DmasNetwork, shared by network.c and netfaults.c only. */
#ifndef DMAS_NET_NETWORK_PRIVATE_H
#define DMAS_NET_NETWORK_PRIVATE_H

#include "net/network.h"

G_BEGIN_DECLS

/* State of one directed link.  32 bytes; rows are allocated on a source's first send, so a
 * run pays only for the agents that talk. */
typedef struct {
  DmasTime last_arrival; /* latest arrival scheduled: the FIFO bound */
  DmasTime tx_free;      /* when the transmitter finishes the message it is sending */
  guint64 stream_seed;   /* seed of "net/<src>-<dst>", computed at the first jitter draw */
  guint32 draws;         /* jitter values drawn so far (position in the stream) */
  guint32 params;        /* index into DmasNetwork.params; 0 = the defaults */
} Link;

typedef struct {
  DmasAgentId src, dst;
  guint32 params;
} Override;

/* The fault layer's state (netfaults.c); NULL until the first fault is set, so that a run
 * without faults pays one pointer test per message. */
typedef struct DmasNetFaults DmasNetFaults;

struct DmasNetwork {
  DmasEngine *engine;
  guint n_agents;        /* endpoints, in fact: the sim's agents, clients and controllers */
  DmasNetDeliverFn deliver;
  gpointer user_data;
  GArray *params;        /* DmasLinkParams; [0] = every link without an override */
  GArray *overrides;     /* Override: every one set, copied into a row when it is allocated */
  Link **rows;           /* [src] -> n_agents links, or NULL before src first sends */
  DmasNetCounters counters[DMAS_NET_N_CHANNELS];
  DmasNetFaults *faults;
  DmasNetFaultCounters fault_counters;
  /* Deliveries scheduled and not yet dispatched, per host message type (channel
   * DMAS_NET_HOST, types below DMAS_NET_HOST_TYPES): what a lost or dropped message never
   * adds and a duplicate adds twice (dmas_network_host_in_flight). */
  guint64 host_in_flight[DMAS_NET_HOST_TYPES];
};

enum {
  DMAS_NET_MSG_CORRUPTED = 1 << 0 /* a fault damaged the body (netfaults.c) */
};

typedef struct {
  DmasNetwork *network;
  DmasEnvelope env;
  guint32 flags;   /* DMAS_NET_MSG_* */
  guint8 body[];   /* env.len bytes */
} DmasNetMessage;

/* What the fault layer decided for one message (dmas_net_faults_apply). */
typedef struct {
  gboolean drop;         /* counted already: send nothing */
  gboolean duplicate;    /* deliver a second copy right after the first */
  gboolean reorder;      /* exempt from the FIFO clamp and from `extra` */
  DmasTime extra;        /* the link faults' delay and jitter, before the FIFO clamp */
  DmasTime slow;         /* degradation's extra latency (reordered messages too) */
} DmasNetVerdict;

/* Applies the active partitions and link faults to `msg` (src != dst), in the order
 * documented in netfaults.c, counting in network->fault_counters; may damage msg->body.
 * `latency` is the link's own latency (degradation scales it). */
void dmas_net_faults_apply (DmasNetwork *network, DmasNetMessage *msg, DmasTime latency,
                            DmasNetVerdict *verdict);
void dmas_net_faults_free (DmasNetFaults *faults);

G_END_DECLS

#endif /* DMAS_NET_NETWORK_PRIVATE_H */
