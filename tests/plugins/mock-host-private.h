/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the mock host's files: its state and the helpers they share. */
#ifndef DMAS_TESTS_MOCK_HOST_PRIVATE_H
#define DMAS_TESTS_MOCK_HOST_PRIVATE_H

#include "mock-host.h"

G_BEGIN_DECLS

#define MOCK_N_KINDS (DMAS_KIND_LLM + 1)
#define MOCK_STORM_LIMIT 1000000u

typedef struct MockInstance MockInstance;

/* What the plugin receives as DmasCtx: the public part first, our back-pointer after it. */
typedef struct {
  DmasCtx base;
  MockInstance *instance;
} MockCtx;

struct MockInstance {
  MockHost *host;
  DmasAgentId agent;
  DmasKind kind;
  MockCtx ctx;
  gpointer self;
  GRand *rng;
};

/* The component running for one kind.  Its ops are copied into a zero-filled struct of our
 * full size, as the real loader does, so optional ops an older plugin lacks read as NULL. */
typedef struct {
  const DmasComponent *component;
  DmasBiddingOps bidding;
  DmasConsensusOps consensus;
  DmasFaultOps fault;
  GHashTable *params;       /* name → value text given by the test */
  MockInstance **instances; /* one per agent (fault: one in all, [0]); NULL while the kind is
                             * not running */
} MockKind;

typedef struct {
  DmasTimerId id;
  DmasTime when;
  MockInstance *instance;
  DmasTimerFn fn;
  gpointer data;
  DmasFreeFn free_fn;
} MockTimer;

struct MockHost {
  guint n_agents;
  guint64 seed;
  DmasAgentId *members;
  DmasTime now;
  MockKind kinds[MOCK_N_KINDS];

  GList *timers;            /* MockTimer*, sorted by (when, id): ids grow, so FIFO per instant */
  DmasTimerId last_timer_id;

  GPtrArray *queue;         /* MockMessage*, oldest first */
  guint64 last_seq;
  guint64 sent_messages[MOCK_N_KINDS];
  guint64 sent_bytes[MOCK_N_KINDS];
  guint64 undeliverable;

  GArray **decisions;       /* per agent, MockDecision */
  GArray **bids_ready;      /* per agent, DmasBid */
  GHashTable *metrics;      /* name → gdouble*; looked up only */
  GPtrArray *log;

  gboolean *down;           /* per agent: crashed (by a fault call or the test) */
  GArray *faults;           /* MockFault, the fault calls that took effect */

  /* Stable storage, per agent and kind ([agent * MOCK_N_KINDS + kind]): key → GBytes.
   * Owned by the host, not the instance, so it survives mock_host_crash_agent().  Looked up
   * only, never iterated. */
  GHashTable **storage;
  guint *incarnation;       /* per agent: mock_host_restart_agent() calls so far */
  guint64 storage_writes;

  DmasHostApi api;          /* every instance's ctx points here: a copy of mock_host_api(),
                             * so that a test can make one host older (abi_minor) */
  GArray *implausible;      /* MockClaim: (job, agent) pairs bid_plausible() refuses */
  GArray *accusations;      /* MockAccusation, once per (accuser, accused) pair */
  guint64 accuse_calls;     /* every accuse() call, repeated pairs included */
};

/* One scripted impossible claim: `agent`'s cluster can never run `job`. */
typedef struct {
  DmasJobId job;
  DmasAgentId agent;
} MockClaim;

/* mock-host-api.c: the DmasHostApi table every instance's ctx points to, and its helpers. */
const DmasHostApi *mock_host_api (void);
const gchar *mock_kind_dir (DmasKind kind);
void mock_host_log_line (MockHost *host, DmasAgentId agent, DmasKind kind, const gchar *level,
                         const gchar *message);
/* Whether `text` is a valid value of a parameter of `type`. */
gboolean mock_param_parses (DmasParamType type, const gchar *text);
const DmasParamSpec *mock_param_spec (const DmasComponent *component, const gchar *name);
/* Instances a running kind has: one per agent, or one in all for faults. */
guint mock_kind_n_instances (MockHost *host, DmasKind kind);
/* Runs the timer's free function and frees it. */
void mock_timer_free (gpointer timer);
void mock_message_free (gpointer message);
/* The signing secret of `agent` (derived from the host's seed; never shown to plugins). */
void mock_host_secret (MockHost *host, DmasAgentId agent, guint8 out[32]);
/* Appends a message to the queue; injected ones do not count as traffic. */
void mock_enqueue (MockHost *host, DmasKind kind, DmasAgentId src, DmasAgentId dst,
                   guint32 type, GBytes *body, gboolean injected);

G_END_DECLS

#endif /* DMAS_TESTS_MOCK_HOST_PRIVATE_H */
