/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The host side of fault injection: the `faults:` entries' instances, the fault capability of
 * the host API, and the log of every fault that took effect (faults.jsonl). */
#ifndef DMAS_AGENTS_FAULTS_H
#define DMAS_AGENTS_FAULTS_H

#include <glib.h>

#include <dmas/fault.h>
#include "agents/host_api.h"
#include "config/config.h"
#include "plugin/registry.h"

G_BEGIN_DECLS

/* One fault that took effect, as logged.  Events are kept in dispatch order, which is
 * virtual-time order (same-instant events in the engine's order). */
typedef struct {
  DmasTime t;
  const gchar *fault;       /* static: "crash", "restart", "partition", "heal", ... */
  DmasAgentId agent;        /* the target, or DMAS_AGENT_NONE for a fault of no one agent */
  guint entry;              /* index of the `faults:` entry whose component caused it */
  gchar *details;           /* (nullable) more members as JSON text, without braces */
} DmasFaultEvent;

typedef struct DmasFaults DmasFaults;

/* Resolves every `faults:` entry of the config against the registry: its `type` names a fault
 * component ("crash" or "fault/crash"), its other keys are checked against the component's
 * parameter specs (unknown names with a did-you-mean, types) and defaults are filled.  Each
 * entry is written back as {type, every parameter in spec order}, so `dmas config` and
 * config.resolved.yaml show them.  Returns FALSE with error set (DMAS_PLUGIN_ERROR_NOT_FOUND
 * or _PARAMS, with file:line:column). */
gboolean dmas_faults_fill_config (DmasRegistry *registry, DmasConfig *config, GError **error);

/* Creates one instance per `faults:` entry of sim->config, in list order (each with its own
 * context: no agent, stream "faults/<name>#<index>"); dmas_faults_arm() arms them.
 * `registry` may be NULL only when the list is empty.  Call after every agent exists.
 * Returns: (transfer full) the faults (possibly with no entry), or NULL with error set:
 * DMAS_PLUGIN_ERROR_PARAMS when a create() refused its parameters (DMAS_EINVAL),
 * DMAS_PLUGIN_ERROR_INIT for any other create() failure. */
DmasFaults *dmas_faults_new (DmasSim *sim, DmasRegistry *registry, GError **error);
/* Runs every entry's arm() in list order (virtual time 0).  Called once the simulator holds
 * the faults, since arm() may already ask the host about its targets.  Returns FALSE with
 * DMAS_PLUGIN_ERROR_PARAMS when an arm() refused its parameters (DMAS_EINVAL: a config
 * error), DMAS_PLUGIN_ERROR_INIT for any other failure. */
gboolean dmas_faults_arm (DmasFaults *faults, GError **error);
/* The run's work is settled: faults still scheduled are not injected, so that they do not
 * stretch a finished run (every entry's pending timers are cancelled).  Idempotent. */
void dmas_faults_stop (DmasFaults *faults);
/* TRUE while some fault entry still has a timer pending: a fault may still begin or end (a
 * restart, a heal), so an outage may still end by itself. */
gboolean dmas_faults_pending (const DmasFaults *faults);

/* Destroys the instances (their pending timers' free_fn run), then the log. */
void dmas_faults_free (DmasFaults *faults);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasFaults, dmas_faults_free)

/* The fault capability of DmasHostApi (see dmas/host.h for the contract), called by
 * host_api.c with the calling instance's context. */
int dmas_faults_crash (DmasHostCtx *ctx, DmasAgentId agent);
int dmas_faults_restart (DmasHostCtx *ctx, DmasAgentId agent);
int dmas_faults_agent_up (DmasHostCtx *ctx, DmasAgentId agent);
/* ABI 1.2 fault calls (dmas/host.h has the contracts).  Network faults: agents/faults-net.c. */
int dmas_faults_link_add (DmasHostCtx *ctx, const DmasLinkFault *fault, guint64 *id_out);
int dmas_faults_link_remove (DmasHostCtx *ctx, guint64 id);
int dmas_faults_partition (DmasHostCtx *ctx, const guint8 *reach, guint32 n, DmasAgentId with,
                           guint64 *id_out);
int dmas_faults_heal (DmasHostCtx *ctx, guint64 id);
/* Degradation: agents/degrade.c. */
int dmas_faults_degrade (DmasHostCtx *ctx, DmasAgentId agent, gdouble factor);
/* The degradation factor in force for `agent` (1 = full speed; 1 too for ids that are no
 * agent).  agent.c gives it to the queue it rebuilds at a restart. */
gdouble dmas_faults_slowdown (const DmasFaults *faults, DmasAgentId agent);
/* For degrade.c: the per-agent factors (n_agents of them, 1.0 until changed), writable.
 * Returns: (transfer none). */
gdouble *dmas_faults_slowdowns (DmasFaults *faults);
/* Byzantine behaviours and accusations: agents/byzantine.c. */
int dmas_faults_byzantine (DmasHostCtx *ctx, DmasAgentId agent, const DmasByzantine *behaviour);
int dmas_host_accuse (DmasHostCtx *ctx, DmasAgentId agent);
/* api->bid_plausible (include/dmas/host.h), with scheduling.reputation's distrust. */
int dmas_host_bid_plausible (DmasHostCtx *ctx, const DmasSlot *slot, const DmasBid *bid);

/* Returns: (transfer none) the sim's faults (never NULL once dmas_sim_new() succeeded). */
DmasFaults *dmas_sim_faults (const DmasSim *sim);

/* Logs a fault event of the calling fault instance (`ctx`, a fault component's context) at
 * the current virtual time: `fault` (static string) names it, `agent` is its target or
 * DMAS_AGENT_NONE, `details` (nullable, borrowed) holds further members as JSON text without
 * braces, e.g. "\"groups\":[[0,1],[2,3,4]],\"for\":20".  An onset (as opposed to the end
 * or repair of a fault) counts in faults_injected.  Every fault that takes effect is logged
 * this way, so that faults.jsonl, fed back as a schedule, replays the run's faults. */
void dmas_faults_log (DmasHostCtx *ctx, const gchar *fault, DmasAgentId agent,
                      const gchar *details, gboolean onset);

/* The log.  Returns: (transfer none) the events so far, *n_out of them. */
const DmasFaultEvent *dmas_faults_events (const DmasFaults *faults, guint *n_out);
/* Returns: (transfer full) faults.jsonl's text: one JSON object per event, in log order:
 * {"t":SECONDS,"fault":NAME[,"agent":ID][,DETAILS...],"source":"NAME#INDEX",PARAMS...} where
 * PARAMS are the entry's resolved parameters ("agent" is left out for faults of no one
 * agent).  Empty when nothing happened. */
gchar *dmas_faults_to_jsonl (const DmasFaults *faults);

/* "controller" or "backup" for the symbolic controller ids, "agent" for any agent id. */
const gchar *dmas_fault_target_name (DmasAgentId target);

G_END_DECLS

#endif /* DMAS_AGENTS_FAULTS_H */
