/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inside of the centralized controller, shared by the central*.c files. */
#ifndef DMAS_AGENTS_CENTRAL_PRIVATE_H
#define DMAS_AGENTS_CENTRAL_PRIVATE_H

#include "agents/central.h"
#include "agents/sim-private.h"

G_BEGIN_DECLS

/* A job's state in stable storage. */
typedef enum {
  CENTRAL_JOB_UNKNOWN = 0, /* never accepted */
  CENTRAL_JOB_PENDING,     /* accepted, waiting for a placement */
  CENTRAL_JOB_PLACED,      /* sent to stable.placed_on[id] */
  CENTRAL_JOB_DONE,        /* ended there (FINISH, or found ended at a resync) */
  CENTRAL_JOB_REJECTED     /* no cluster can ever run it */
} CentralJobState;

/* What survives a controller's crash: written synchronously on every change, shared by both
 * replicas (central.h, "Stable storage"). */
typedef struct {
  guint8 *state;             /* CentralJobState, index = job id */
  DmasAgentId *placed_on;    /* index = job id */
  guint32 *dispatch_seq;     /* the sequence number of the job's latest dispatch */
  GQueue pending;            /* job ids (GSIZE_TO_POINTER) in acceptance order */
  GList **pending_link;      /* index = job id: its link in `pending`, or NULL */
  guint32 *next_seq;         /* per agent: sequence number of the next dispatch to it */
  guint32 *incarnation;      /* per agent: the highest incarnation reported */
  guint in_charge;           /* the replica in charge, or G_MAXUINT for none yet */
  guint32 generation;        /* times a replica took charge */
} CentralStable;

typedef struct CentralReplica CentralReplica;

/* A replica's view of one cluster (volatile). */
typedef struct {
  CentralReplica *replica;
  DmasAgentId agent;
  guint32 free_nodes, queued, running;
  guint64 used_cores;
  DmasTime heard;            /* last report from the agent */
  gboolean known;            /* answered a HELLO of this replica since it took charge */
  gboolean suspected;
  guint32 incarnation;       /* the agent's, as last reported */
  guint32 sync_seq;          /* dispatches to it numbered up to this were sent before the
                              * latest HELLO to it (what its answer reconciles) */
  DmasEventId check;         /* the suspicion check, 0 when none */
} CentralView;

/* One bid being collected for a job (volatile). */
typedef struct {
  DmasJobId id;
  guint outstanding;         /* bidders that answered DMAS_PENDING */
  DmasBid best;              /* best so far (agent NONE, score 0 when none) */
  gboolean some_suspected;   /* a cluster that fits the job was skipped as suspected */
} CentralAuction;

struct CentralReplica {
  DmasCentral *central;
  guint index;
  DmasAgentId endpoint;
  gboolean up;
  gboolean in_charge;
  gboolean syncing;          /* took charge, waiting for the agents' full reports */
  DmasEventId sync_timer;
  DmasTime heard;            /* standby: the latest heartbeat from the replica in charge */
  DmasEventId beat_timer;    /* in charge: next heartbeat; standby: takeover check */
  CentralView *view;         /* per cluster */
  DmasHostCtx **bidders;     /* per cluster; instances exist only while the replica is up */
  GHashTable *auctions;      /* job id -> CentralAuction*; lookups only */
};

/* The agents' side: what each agent knows of the controllers (volatile, wiped by its crash). */
typedef struct {
  DmasCentral *central;
  DmasAgentId id;
  DmasAgentId controller;    /* endpoint it reports to; DMAS_AGENT_NONE: every replica */
  guint32 generation;        /* the highest it heard of */
  guint32 first_seq;         /* the first dispatch sequence number it received since its
                              * (re)start; 0: none yet */
  DmasTime reported;         /* its latest report */
  DmasEventId report_timer;  /* the periodic report (heartbeat.enabled) */
} CentralAgentSide;

struct DmasCentral {
  DmasSim *sim;
  guint n_replicas;
  CentralReplica replica[2];
  CentralStable stable;
  CentralAgentSide *agents;  /* index = agent id */
  gboolean stopped;          /* dmas_central_stop(): no timer is armed any more */
};

/* A cluster the replica may place jobs on: it answered since the replica took charge and is
 * not suspected. */
static inline gboolean
dmas_central_usable (const CentralView *view)
{
  return view->known && !view->suspected;
}

/* central.c */
/* Job `id` settles: rejected with `reason`.  The caller counts the decision, if any. */
void dmas_central_reject (CentralReplica *r, DmasJobId id, const gchar *reason);

/* central-place.c */
/* Places job `id` (pending) if the replica can: starts collecting bids. */
void dmas_central_place (CentralReplica *r, DmasJobId id);
/* Tries every pending job in acceptance order. */
void dmas_central_place_pending (CentralReplica *r);
/* Forgets the bids being collected (crash). */
void dmas_central_auctions_clear (CentralReplica *r);
/* Makes job `id` pending again (appended to the pending queue) and tries to place it. */
void dmas_central_replace (CentralReplica *r, DmasJobId id, const gchar *why);

/* central-agent.c: the agents that are up start their periodic reports again (paused while
 * no controller was up). */
void dmas_central_agents_resume_reports (DmasCentral *central);

/* central-msg.c: bodies (little endian). */
typedef struct {
  guint32 incarnation;
  guint32 free_nodes, queued, running;
  guint64 used_cores;
  guint32 first_seq;         /* CentralAgentSide.first_seq */
  guint32 generation;        /* the HELLO it answers (0: a plain report) */
  guint32 n_held;            /* answers: the jobs it holds, queued or running (ids follow) */
} CentralStatus;

#define CENTRAL_STATUS_LEN 36u
#define CENTRAL_DISPATCH_LEN (DMAS_SCHED_ANNOUNCE_LEN + 8u)
#define CENTRAL_HELLO_LEN 8u

void dmas_central_encode_status (const CentralStatus *st, const DmasJobId *held, GByteArray *out);
/* *held_out points into body (n_held u64 little-endian ids; read them with dmas_get_u64). */
gboolean dmas_central_decode_status (const guint8 *body, gsize len, CentralStatus *out,
                                     const guint8 **held_out);
void dmas_central_encode_dispatch (const DmasJob *job, guint32 seq, guint32 generation,
                                   guint8 out[CENTRAL_DISPATCH_LEN]);
gboolean dmas_central_decode_dispatch (const guint8 *body, gsize len, DmasJob *job,
                                       guint32 *seq, guint32 *generation);
void dmas_central_encode_hello (guint32 generation, guint32 replica,
                                guint8 out[CENTRAL_HELLO_LEN]);
gboolean dmas_central_decode_hello (const guint8 *body, gsize len, guint32 *generation,
                                    guint32 *replica);

G_END_DECLS

#endif /* DMAS_AGENTS_CENTRAL_PRIVATE_H */
