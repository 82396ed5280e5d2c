/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inside of DmasSim, shared by the files of framework/agents only. */
#ifndef DMAS_AGENTS_SIM_PRIVATE_H
#define DMAS_AGENTS_SIM_PRIVATE_H

#include "agents/agent.h"
#include "agents/bidlog.h"
#include "agents/central.h"
#include "agents/client.h"
#include "agents/detector.h"
#include "agents/recovery.h"
#include "agents/faults.h"
#include "agents/signature.h"
#include "agents/sim.h"
#include "llm/service.h"
#include "net/network.h"
#include "world/platform.h"
#include "world/workload.h"

G_BEGIN_DECLS

enum {
  DMAS_SLOT_DECIDED = 1 << 0, /* some agent decided the slot */
  DMAS_SLOT_VIOLATED = 1 << 1, /* and some other decision differed (counted once) */
  DMAS_SLOT_INVALID = 1 << 2   /* decided for a winner that never placed that bid (once) */
};

struct DmasSim {
  const DmasConfig *config;
  DmasEngine *engine;
  DmasPlatform *platform;
  DmasWorkload *workload;
  DmasNetwork *network;
  DmasMetrics *metrics;
  const DmasComponentInfo *bidding, *consensus;
  DmasNode *bidding_params, *consensus_params;
  DmasLocalPolicy local_policy;
  DmasAgentId *members;       /* 0 .. n_agents-1, what the host's members() returns */
  DmasAgent **agents;
  guint n_agents;
  DmasTime horizon;           /* jobs submitted after it are never submitted */
  guint next_submit;          /* index of the next job the clients submit */
  /* The safety checker's memory, per job (index id - 1): the first winner any agent decided
   * (DMAS_AGENT_NONE is a decision too, hence the flags) and DMAS_SLOT_* flags. */
  DmasAgentId *first_winner;
  guint8 *slot_flags;
  gboolean ran;
  /* Crashes and recovery (agents/detector.h, agents/recovery.h). */
  DmasDetector *detector;
  DmasRecovery *recovery;
  guint n_up;                 /* agents up now */
  guint n_settled;            /* submitted jobs in a final state (dmas_recovery_settle) */
  guint n_submittable;        /* jobs with submit <= horizon: the run's work */
  DmasFaults *faults;         /* the `faults:` entries' instances and the fault log */
  /* Clients and the centralized controller (agents/client.h, agents/central.h).  The network
   * has DMAS_SIM_EXTRA_ENDPOINTS endpoints after the agents: the clients (n_agents), the
   * primary controller (n_agents + 1), the backup (n_agents + 2). */
  DmasClients *clients;
  DmasCentral *central;       /* NULL in distributed mode */
  /* Appended (services): the agents' signing secrets (agents/signature.h). */
  DmasSigner *signer;
  /* Appended (services): agents that must be up for the consensus protocol to make progress
   * (dmas_quorum_size() of its fault model); distributed availability counts against it. */
  guint quorum;
  /* Appended (services): every bid proposed, per slot, for the validity check. */
  DmasBidLog *bids;
  guint64 stall_token;      /* progress_token() at the last stall check (sim.c) */
  gboolean service_available; /* at the last dmas_sim_service_update() */
  /* Appended (llm): the other bidder of a hybrid pool (NULL: every agent uses `bidding`). */
  const DmasComponentInfo *bidding_other;
  DmasNode *bidding_other_params;
  /* Appended (llm): the run's provider and the host's LLM service (agents/host-llm.c), NULL
   * when the sim was built without a registry. */
  DmasLlmSettings llm_settings;
  DmasLlmSecrets *llm_secrets;
  DmasNode *llm_params;
  DmasHostCtx *llm_ctx;
  DmasLlmProvider llm_provider; /* borrowed by `llm` for the run */
  DmasLlmService *llm;
  /* Appended (llm): what the run shows as it happens (dmas_sim_set_observer). */
  const DmasSimObserver *observer;
  gpointer observer_data;
};

/* The bidding component (and its parameters) of agent `agent`: scheduling.bidding, or in a
 * hybrid pool maybe scheduling.hybrid.bidding (agents/sim.c). */
const DmasComponentInfo *dmas_sim_bidding_of (const DmasSim *sim, DmasAgentId agent,
                                              const DmasNode **params_out);
/* A context for `agent`'s bidding component (dmas_sim_bidding_of).  Returns: (transfer full). */
DmasHostCtx *dmas_sim_bidding_ctx_new (DmasSim *sim, DmasAgent *agent);

#define DMAS_SIM_EXTRA_ENDPOINTS 3u

static inline DmasAgentId
dmas_sim_clients_endpoint (const DmasSim *sim)
{
  return sim->n_agents;
}

/* FALSE while a Byzantine behaviour is set on `agent` (agents/byzantine.c): its decisions
 * leave the safety checker's agreement and it does not count towards availability. */
gboolean dmas_sim_agent_correct (const DmasSim *sim, DmasAgentId agent);
/* Logs a host-side event at debug level, stamped with virtual time and agent. */
G_GNUC_PRINTF (3, 4)
void dmas_sim_log (DmasSim *sim, DmasAgentId agent, const gchar *fmt, ...);
/* Same at a given level: plugin errors and warnings are shown (G_LOG_LEVEL_MESSAGE), the rest
 * only with G_MESSAGES_DEBUG=dmas. */
void dmas_sim_log_at (DmasSim *sim, GLogLevelFlags level, DmasAgentId agent, const gchar *fmt,
                      ...) G_GNUC_PRINTF (4, 5);

/* TRUE when no submission is left and every submitted job is settled: the run has no more
 * work (events may still be pending: faults, plugin timers, messages in flight). */
gboolean dmas_sim_work_settled (const DmasSim *sim);

/* Appended (services).  TRUE while the distributed scheduling service can make progress: a
 * quorum of agents is up, correct and connected (agents/availability.c). */
gboolean dmas_sim_service_available (const DmasSim *sim);
/* Re-evaluates availability after anything it depends on changed (a crash, a restart, a
 * partition, a heal, a Byzantine behaviour) and records the start or end of an outage in the
 * metrics.  Distributed mode only: in centralized mode the service is the controller's
 * (agents/central.c), and this does nothing. */
void dmas_sim_service_update (DmasSim *sim);

/* TRUE when some cluster of the platform fits `job` at all. */
gboolean dmas_sim_job_feasible (const DmasSim *sim, const DmasJob *job);

G_END_DECLS

#endif /* DMAS_AGENTS_SIM_PRIVATE_H */
