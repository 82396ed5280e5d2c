/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A scriptable host for plugin contract tests: n agents, virtual clock, hand-driven network. */
#ifndef DMAS_TESTS_MOCK_HOST_H
#define DMAS_TESTS_MOCK_HOST_H

#include <glib.h>

#include <dmas/dmas.h>

G_BEGIN_DECLS

/* The mock host implements the whole DmasHostApi for `n` agents (ids 0 .. n-1) in one
 * process, with nothing happening behind the test's back:
 *
 *  - time stands still until the test moves it (mock_host_advance*, mock_host_fire_next_timer);
 *    timers fire in (time, creation) order;
 *  - every message sent by a plugin waits in one queue, in send order, until the test delivers,
 *    drops, duplicates or reorders it; delivery calls on_message synchronously;
 *  - decide(), bid_ready(), metric() and log() are recorded for the test to inspect;
 *  - each (agent, kind) instance has its own GRand seeded from (seed, agent, kind);
 *  - parameters come from "key=value" strings checked against the component's DmasParamSpec
 *    list, defaults filled from the spec.
 *
 * At most one component per kind runs at a time (as in a real run), on every agent.  Messages
 * go to the same kind on the destination agent.  Misuse by a plugin (sending to a non-member,
 * cancelling twice) is answered with the status code the SDK documents and counted in the log.
 */

typedef struct MockHost MockHost;

/* One message in flight.  Owned by the host; valid until it is delivered or dropped. */
typedef struct {
  guint64 seq;       /* send order, unique per host */
  DmasKind kind;     /* the component kind that sent it and will receive it */
  DmasAgentId src;
  DmasAgentId dst;
  guint32 type;
  GBytes *body;
  DmasTime sent_at;
  gboolean injected; /* put there by the test, not sent by a plugin */
} MockMessage;

/* One decide() call. */
typedef struct {
  DmasSlot slot;
  DmasBid bid;
  DmasTime at;
} MockDecision;

/* One fault call that took effect: a fault component crashed or restarted an agent. */
typedef struct {
  DmasTime at;
  gboolean crash;    /* TRUE: fault_crash; FALSE: fault_restart */
  DmasAgentId agent;
} MockFault;

/* Errors of mock_component_load() and mock_host_start(). */
#define MOCK_HOST_ERROR (g_quark_from_static_string ("mock-host-error"))
typedef enum {
  MOCK_HOST_ERROR_LOAD,    /* module missing, bad descriptor, no such component, bad ops */
  MOCK_HOST_ERROR_PARAMS,  /* unknown parameter or a value that does not parse */
  MOCK_HOST_ERROR_CREATE,  /* the component's create() failed */
  MOCK_HOST_ERROR_STATE    /* kind already running, or not supported by the mock host */
} MockHostError;

/* Wildcards for mock_host_find(). */
#define MOCK_ANY_AGENT DMAS_AGENT_NONE
#define MOCK_ANY_TYPE G_MAXUINT32

/* --- plugins -------------------------------------------------------------------------- */

/* dlopen()s the built module $DMAS_BUILDDIR/plugins/<kind dir>/.libs/<plugin>.so (falling back
 * to the build tree this test was compiled in), checks its descriptor like the real loader
 * (magic, ABI, kind API, struct sizes, mandatory ops) and returns the component `name` of
 * `kind`.  The module stays loaded until exit.
 * Returns: (transfer none) the component, or NULL with error set. */
const DmasComponent *mock_component_load (DmasKind kind, const gchar *plugin,
                                          const gchar *name, GError **error);

/* --- host lifecycle ------------------------------------------------------------------- */

MockHost *mock_host_new (guint n_agents, guint64 seed);
/* Destroys every instance (pending timers' free functions run after each destroy()) and
 * frees everything. */
void mock_host_free (MockHost *host);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MockHost, mock_host_free)

/* Creates one instance of `component` on every agent, in id order (a fault component: one
 * instance in all, as the real host makes one per `faults:` entry; its self_id() is
 * DMAS_AGENT_NONE and mock_host_instance() finds it under any agent id).  `params` (nullable,
 * NULL-terminated) are "key=value" strings; unknown keys and values that do not parse as the
 * declared type are errors, as in the real host.  Returns FALSE with error set if a kind is
 * already running, a parameter is bad, or a create() fails (instances made so far are
 * destroyed again). */
gboolean mock_host_start (MockHost *host, const DmasComponent *component,
                          const gchar *const *params, GError **error);
/* Destroys the instances of `kind` (no-op if none). */
void mock_host_stop (MockHost *host, DmasKind kind);
/* Returns: (transfer none) (nullable) the plugin instance (`self`) of `kind` on `agent`. */
gpointer mock_host_instance (MockHost *host, DmasAgentId agent, DmasKind kind);

guint mock_host_n_agents (MockHost *host);

/* --- calling into plugins ------------------------------------------------------------- */

/* Calls the bidding instance's bid() on `agent`; out->job and out->agent are pre-filled. */
int mock_host_bid (MockHost *host, DmasAgentId agent, const DmasJob *job,
                   const DmasClusterView *cluster, DmasBid *out, DmasError *err);
/* Calls the bidding instance's job_finished() (API 1.1) if the component has it; returns
 * FALSE if not. */
gboolean mock_host_job_finished (MockHost *host, DmasAgentId agent, const DmasJob *job,
                                 DmasTime start, DmasTime end);
/* Calls the consensus instance's propose() on `agent`. */
int mock_host_propose (MockHost *host, DmasAgentId agent, const DmasSlot *slot,
                       const DmasBid *bid);
/* Calls agent_status() on `agent` if the component has it; returns FALSE if not. */
gboolean mock_host_agent_status (MockHost *host, DmasAgentId agent, DmasAgentId about,
                                 gboolean suspected);

/* Calls the fault instance's arm() (the real host does it at time 0, right after create). */
int mock_host_arm (MockHost *host, DmasError *err);

/* A host of `n_agents` with the fault component `name` (loaded from the build tree) created
 * with `params` and armed, as the real host does at time 0; asserts every step. */
MockHost *mock_host_new_armed_fault (const gchar *name, guint n_agents, guint64 seed,
                                     const gchar *const *params);

/* --- clock and timers ----------------------------------------------------------------- */

DmasTime mock_host_now (MockHost *host);
/* Moves the clock to `when` (>= now), firing every timer due on the way in order, each at its
 * own time.  Returns: the number of timers fired. */
guint mock_host_advance_to (MockHost *host, DmasTime when);
guint mock_host_advance (MockHost *host, DmasTime delta);
/* Jumps the clock to the earliest pending timer and fires it.  Returns FALSE if none. */
gboolean mock_host_fire_next_timer (MockHost *host);
guint mock_host_n_timers (MockHost *host);
/* Returns: the due time of the earliest pending timer, or DMAS_TIME_NONE. */
DmasTime mock_host_next_timer (MockHost *host);

/* --- network -------------------------------------------------------------------------- */

guint mock_host_n_queued (MockHost *host);
/* Returns: (transfer none) the message at `index` of the queue (0 = oldest). */
const MockMessage *mock_host_queued (MockHost *host, guint index);
/* Returns: the index of the first queued message matching (wildcards allowed), or -1. */
gint mock_host_find (MockHost *host, DmasAgentId src, DmasAgentId dst, guint32 type);

/* Delivers (removes, then calls on_message on the destination) the message at `index`.
 * Messages to an agent without an instance of that kind are dropped and counted. */
void mock_host_deliver (MockHost *host, guint index);
/* Delivers the oldest message.  Returns FALSE if the queue is empty. */
gboolean mock_host_deliver_next (MockHost *host);
/* Delivers in FIFO order until the queue is empty, including messages sent meanwhile.
 * Returns: the number delivered.  Aborts the test after a million (a message storm). */
guint mock_host_deliver_all (MockHost *host);
void mock_host_drop (MockHost *host, guint index);
/* Removes every queued message matching (wildcards allowed).  Returns: how many. */
guint mock_host_drop_matching (MockHost *host, DmasAgentId src, DmasAgentId dst, guint32 type);
/* Appends a copy of the message at `index` to the queue (a network duplicate). */
void mock_host_duplicate (MockHost *host, guint index);
/* Moves the message at `from` to position `to`, shifting the others (reordering). */
void mock_host_move (MockHost *host, guint from, guint to);
/* Appends a message the test made up (e.g. malformed) as if `src` had sent it. */
void mock_host_inject (MockHost *host, DmasKind kind, DmasAgentId src, DmasAgentId dst,
                       guint32 type, const void *body, gsize len);
/* Delivers all messages, then fires the next timer, until neither is left: a perfectly
 * synchronous network.  Returns: the number of messages delivered plus timers fired. */
guint mock_host_run (MockHost *host);

/* Counters of what plugins of `kind` sent (one per destination; injected ones excluded). */
guint64 mock_host_sent_messages (MockHost *host, DmasKind kind);
guint64 mock_host_sent_bytes (MockHost *host, DmasKind kind);
/* Messages dropped on delivery because the destination had no instance of the kind. */
guint64 mock_host_undeliverable (MockHost *host);

/* --- outcomes ------------------------------------------------------------------------- */

/* Returns: (transfer none) MockDecision array of `agent`, in call order. */
const GArray *mock_host_decisions (MockHost *host, DmasAgentId agent);
/* Returns: (transfer none) (nullable) `agent`'s first decision for (job, epoch). */
const MockDecision *mock_host_decision (MockHost *host, DmasAgentId agent, DmasJobId job,
                                        guint32 epoch);
/* Returns: (transfer none) DmasBid array of `agent`'s bid_ready() calls, in call order. */
const GArray *mock_host_bids_ready (MockHost *host, DmasAgentId agent);
/* Returns: the sum of every metric(name, value) so far (0 when never reported). */
gdouble mock_host_metric (MockHost *host, const gchar *name);
/* Returns: (transfer none) MockFault array: the fault calls that took effect, in call order.
 * fault_crash of an agent that is down and fault_restart of one that is up answer
 * DMAS_ESTATE and are not recorded; calls by other kinds answer DMAS_ESTATE and are logged. */
const GArray *mock_host_faults (MockHost *host);
/* Whether `agent` is up (every agent starts up). */
gboolean mock_host_agent_is_up (MockHost *host, DmasAgentId agent);
/* Sets an agent up or down behind the plugins' back (another cause), unrecorded. */
void mock_host_set_agent_up (MockHost *host, DmasAgentId agent, gboolean up);
/* --- crashes and stable storage ------------------------------------------------------- */

/* sign()/verify() are HMAC-SHA256 with a per-agent secret derived from the host's seed (as
 * in the real host); persist()/restore() keep a map per (agent, kind) owned by the host.
 * Instances that belong to no agent (faults) get DMAS_ESTATE from sign() and persist(). */

/* Crashes `agent`: destroys its instance of every running kind but faults (its pending timers'
 * free functions run), marks it down; its stable storage stays.  Messages to it are then
 * undeliverable (counted), queued or not.  No-op on an agent already crashed this way. */
void mock_host_crash_agent (MockHost *host, DmasAgentId agent);
/* Creates new instances on a crashed `agent` for every running kind (bidding first, then
 * consensus), with a fresh random stream per incarnation; their create() may restore().
 * Marks it up.  Returns FALSE with error set if a create() fails (the agent stays down). */
gboolean mock_host_restart_agent (MockHost *host, DmasAgentId agent, GError **error);
/* Returns: (transfer none) (nullable) the value `agent`'s `kind` persisted under `key`, with
 * its length in *len_out (nullable); NULL when there is none. */
const void *mock_host_storage (MockHost *host, DmasAgentId agent, DmasKind kind,
                               const gchar *key, gsize *len_out);
/* Returns: (transfer none) (nullable) the context of `agent`'s instance of `kind` (NULL while
 * none runs), so that a test can call the host API as that agent: e.g. sign() a message a
 * plugin must accept, or verify() one it sent. */
DmasCtx *mock_host_ctx (MockHost *host, DmasAgentId agent, DmasKind kind);
/* Number of persist() calls that stored a value, over all agents. */
guint64 mock_host_storage_writes (MockHost *host);

/* --- plausibility, accusations, LLM (host API 1.2 and 1.3) ----------------------------- */

/* bid_plausible() answers, as the real host does from the platform description: DMAS_ENOENT
 * for an agent that does not exist; 0 for a score outside [0, 1] or NaN; 1 for a score of 0;
 * for a score in (0, 1], 0 when the test declared (job, agent) impossible here, else 1.
 * llm_request() answers DMAS_ESTATE (no llm is configured) and secret() NULL. */

/* Declares that `agent`'s cluster can never run `job`: its bids > 0 for it are implausible. */
void mock_host_set_implausible (MockHost *host, DmasJobId job, DmasAgentId agent);

/* One accuse() that counted: `accuser` (an instance's agent) accused `accused` at `at`. */
typedef struct {
  DmasAgentId accuser;
  DmasAgentId accused;
  DmasTime at;
} MockAccusation;

/* Returns: (transfer none) MockAccusation array, in call order, one per (accuser, accused)
 * pair as the real host counts them (a repeated accusation is not recorded again). */
const GArray *mock_host_accusations (MockHost *host);
/* Returns: whether `accuser` has accused `accused`. */
gboolean mock_host_accused (MockHost *host, DmasAgentId accuser, DmasAgentId accused);
/* Every accuse() call that named an existing agent, repeated pairs included. */
guint64 mock_host_accuse_calls (MockHost *host);

/* Makes the host report ABI minor `minor` to every instance (running ones too): below 3 its
 * table has no llm_request, secret nor bid_plausible (NULL), below 2 no accuse either, as a
 * plugin would see an older real host. */
void mock_host_set_abi_minor (MockHost *host, guint32 minor);

/* Returns: (transfer none) the log lines, "t=<ns> agent=<id> <kind> <level>: <message>". */
const GPtrArray *mock_host_log (MockHost *host);
gboolean mock_host_log_contains (MockHost *host, const gchar *needle);

G_END_DECLS

#endif /* DMAS_TESTS_MOCK_HOST_H */
