/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One simulated run: platform, workload, network and agents driven by the engine. */
#ifndef DMAS_AGENTS_SIM_H
#define DMAS_AGENTS_SIM_H

#include <glib.h>

#include "config/config.h"
#include "engine/engine.h"
#include "metrics/metrics.h"
#include "plugin/registry.h"

#include "world/workload.h"

G_BEGIN_DECLS

typedef struct DmasSim DmasSim;

/* Builds the run described by `config` (borrowed: it must outlive the sim): looks up
 * scheduling.bidding and scheduling.consensus in `registry` (borrowed, likewise), resolves
 * their parameters, builds the platform (stream "platform"), the workload (stream "workload"),
 * the network, and one agent per cluster with one bidding and one consensus instance each.
 * Returns: (transfer full) the sim, or NULL with error set: DMAS_PLUGIN_ERROR for a missing
 * component, bad parameters or a failing create(); DMAS_CONFIG_ERROR or G_IO_ERROR
 * (not supported yet) for the rest of the config. */
DmasSim *dmas_sim_new (const DmasConfig *config, DmasRegistry *registry, GError **error);
/* The same with the components already chosen (tests use components compiled into the test
 * program).  Takes ownership of both params nodes (MAPs of resolved parameters, nullable)
 * even on failure; the infos are borrowed and must outlive the sim. */
DmasSim *dmas_sim_new_with_components (const DmasConfig *config,
                                       const DmasComponentInfo *bidding,
                                       DmasNode *bidding_params,
                                       const DmasComponentInfo *consensus,
                                       DmasNode *consensus_params, GError **error);
/* Destroys every plugin instance (their pending timers' free_fn run), then the world. */
void dmas_sim_free (DmasSim *sim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasSim, dmas_sim_free)

/* Runs until every submitted job is settled (or, without `drain`, until the horizon), a
 * SIGINT (with handle_sigint) or a deadlock.  speed: 0 as fast as possible, else virtual
 * seconds per wall second.  diagnosis: (out) (optional) (transfer full) on DMAS_RUN_DEADLOCK
 * the jobs never decided or never started and the agents involved.
 * Call once. */
DmasRunStatus dmas_sim_run (DmasSim *sim, gdouble speed, gboolean handle_sigint,
                            gchar **diagnosis);

/* Returns: (transfer none) the measurements; complete after dmas_sim_run(). */
const DmasMetrics *dmas_sim_metrics (const DmasSim *sim);
/* Returns: (transfer none). */
DmasEngine *dmas_sim_engine (const DmasSim *sim);
/* Returns: (transfer none) the jobs of the run and what reading them did. */
const DmasWorkload *dmas_sim_workload (const DmasSim *sim);
guint dmas_sim_n_agents (const DmasSim *sim);

/* Crashes agent `agent` at virtual time `at` (>= now; an engine event of class
 * DMAS_EV_FAULT, so it precedes the messages and timers of that instant) and restarts it
 * `restart_after` later (DMAS_TIME_NONE: never).  For tests and tools that drive the
 * simulator directly; configs use a `faults:` entry. */
void dmas_sim_schedule_crash (DmasSim *sim, DmasAgentId agent, DmasTime at,
                              DmasTime restart_after);

/* What a run shows as it happens (the demo prints it; a live dashboard could too).  Every
 * callback is optional; all run inside the engine's dispatch, in virtual-time order, and
 * must not call back into the sim.  Arguments are borrowed for the call. */
typedef struct DmasLlmCall DmasLlmCall;
typedef struct DmasLlmOutcome DmasLlmOutcome;
typedef struct DmasSimObserver {
  /* An agent proposes `bid` for `slot` to its consensus instance (its vote). */
  void (*bid) (gpointer data, DmasTime now, const DmasSlot *slot, const DmasBid *bid);
  /* Agent `agent`'s consensus instance decided `bid->agent` for `slot`. */
  void (*decide) (gpointer data, DmasTime now, DmasAgentId agent, const DmasSlot *slot,
                  const DmasBid *bid);
  /* A fault took effect: its faults.jsonl line (one JSON object, no newline). */
  void (*fault) (gpointer data, DmasTime now, const gchar *json);
  /* An agent's LLM exchange finished (when it was asked: the answer reaches the agent
   * outcome->latency later). */
  void (*llm) (gpointer data, DmasTime now, const DmasLlmCall *call,
               const DmasLlmOutcome *outcome);
  /* A job started (on `agent`) or finished. */
  void (*job_started) (gpointer data, DmasTime now, DmasJobId job, DmasAgentId agent);
  void (*job_finished) (gpointer data, DmasTime now, DmasJobId job, DmasAgentId agent);
} DmasSimObserver;

/* Sets the observer (borrowed: it and `data` must outlive the run).  Call before the run. */
void dmas_sim_set_observer (DmasSim *sim, const DmasSimObserver *observer, gpointer data);

/* Returns: (transfer none) (nullable) the run's LLM service (framework/llm/service.h), NULL
 * when the run has none (components compiled into a test program). */
typedef struct DmasLlmService DmasLlmService;
DmasLlmService *dmas_sim_llm (const DmasSim *sim);
/* Returns: (transfer none) the name of agent `agent`'s cluster. */
const gchar *dmas_sim_agent_name (const DmasSim *sim, DmasAgentId agent);
/* TRUE when agent `agent`'s cluster can ever run `job` (its total capacity: the rule of the
 * host's plausibility check). */
gboolean dmas_sim_agent_can_run (const DmasSim *sim, DmasAgentId agent, const DmasJob *job);

G_END_DECLS

#endif /* DMAS_AGENTS_SIM_H */
