/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One simulated run: builds the world from the config, drives it, diagnoses deadlocks. */
#include "config.h"

#include <math.h>

#include <stdarg.h>
#include <string.h>

#include <gio/gio.h>

#include "agents/byzantine-hooks.h"
#include "agents/host-llm.h"
#include "agents/sim-private.h"
#include "metrics/summary.h"
#include "world/events.h"

static void
sim_logv (DmasSim *sim, GLogLevelFlags level, DmasAgentId agent, const gchar *fmt, va_list ap)
{
  /* Formatting is the expensive part: skip it unless the message will be shown. */
  if (g_log_writer_default_would_drop (level, G_LOG_DOMAIN))
    return;
  g_autofree gchar *message = g_strdup_vprintf (fmt, ap);
  g_autoptr (GString) when = g_string_new (NULL);
  dmas_append_seconds (when, dmas_engine_now (sim->engine));
  if (agent == DMAS_AGENT_NONE)
    g_log (G_LOG_DOMAIN, level, "[t=%ss] %s", when->str, message);
  else
    g_log (G_LOG_DOMAIN, level, "[t=%ss] agent %u: %s", when->str, agent, message);
}

void
dmas_sim_log (DmasSim *sim, DmasAgentId agent, const gchar *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  sim_logv (sim, G_LOG_LEVEL_DEBUG, agent, fmt, ap);
  va_end (ap);
}

void
dmas_sim_log_at (DmasSim *sim, GLogLevelFlags level, DmasAgentId agent, const gchar *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  sim_logv (sim, level, agent, fmt, ap);
  va_end (ap);
}

gboolean
dmas_sim_job_feasible (const DmasSim *sim, const DmasJob *job)
{
  for (guint i = 0; i < dmas_platform_size (sim->platform); i++)
    if (dmas_cluster_fits (dmas_platform_cluster (sim->platform, i), job))
      return TRUE;
  return FALSE;
}

/* ---- building ---- */

static gboolean
find_component (DmasSim *sim, DmasRegistry *registry, DmasKind kind, const gchar *given,
                const DmasComponentInfo **info_out, DmasNode **params_out, GError **error)
{
  *info_out = dmas_registry_resolve (registry, sim->config, kind, given, params_out, error);
  return *info_out != NULL;
}

static void
on_deliver (gpointer user_data, const DmasEnvelope *env, const guint8 *body)
{
  DmasSim *sim = user_data;
  if (env->dst < sim->n_agents)
    dmas_agent_deliver (sim->agents[env->dst], env, body);
  else if (env->dst == dmas_sim_clients_endpoint (sim))
    dmas_clients_deliver (sim->clients, env, body);
  else if (sim->central != NULL)
    dmas_central_deliver (sim->central, env, body);
}

static gchar *idle_check (DmasEngine *engine, gpointer user_data);
static gchar *stall_check (DmasEngine *engine, gpointer user_data);

/* What the config asks for that this build cannot do says so before anything is built. */
static gboolean
check_supported (DmasSim *sim, GError **error)
{
  const DmasConfig *config = sim->config;
  if (g_strcmp0 (config->scheduling.mode, "distributed") != 0
      && g_strcmp0 (config->scheduling.mode, "centralized") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: unknown scheduling.mode '%s' (available: distributed, centralized)",
                   config->source, config->scheduling.mode);
      return FALSE;
    }
  g_autoptr (GError) policy_error = NULL;
  if (!dmas_local_policy_from_string (config->scheduling.local_policy, &sim->local_policy,
                                      &policy_error))
    {
      g_set_error (error, policy_error->domain, policy_error->code, "%s: scheduling: %s",
                   config->source, policy_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Builds the world around the components already chosen. */
static gboolean
build (DmasSim *sim, GError **error)
{
  const DmasConfig *config = sim->config;
  sim->engine = dmas_engine_new (config->seed);
  dmas_engine_set_world_seed (sim->engine, config->world_seed);
  sim->platform = dmas_platform_new (config, dmas_engine_world_rng (sim->engine, "platform"), error);
  if (sim->platform == NULL)
    return FALSE;
  sim->n_agents = dmas_platform_size (sim->platform);
  sim->workload = dmas_workload_generate (config, sim->n_agents,
                                          dmas_engine_world_rng (sim->engine, "workload"), error);
  if (sim->workload == NULL)
    return FALSE;
  /* A trace run without a horizon submits every job of the trace: its horizon is the last
   * arrival (config->horizon is DMAS_TIME_NONE then; use sim->horizon, never that). */
  if (sim->horizon == DMAS_TIME_NONE)
    sim->horizon = sim->workload->n_jobs > 0
                       ? sim->workload->jobs[sim->workload->n_jobs - 1].submit : 0;

  guint64 total_nodes = 0;
  for (guint i = 0; i < sim->n_agents; i++)
    total_nodes += dmas_platform_cluster (sim->platform, i)->nodes;
  sim->metrics = dmas_metrics_new (sim->workload->n_jobs, total_nodes);
  for (guint i = 0; i < sim->workload->n_jobs; i++)
    {
      const DmasJob *job = &sim->workload->jobs[i];
      DmasJobRecord *record = &sim->metrics->jobs[i];
      record->submit = job->submit;
      record->nodes = job->nodes;
      record->walltime = job->walltime;
    }
  sim->first_winner = g_new (DmasAgentId, MAX (sim->workload->n_jobs, 1));
  sim->slot_flags = g_new0 (guint8, MAX (sim->workload->n_jobs, 1));
  for (guint i = 0; i < sim->workload->n_jobs; i++)
    sim->first_winner[i] = DMAS_AGENT_NONE;
  for (guint i = 0; i < sim->workload->n_jobs; i++)
    if (sim->workload->jobs[i].submit <= sim->horizon)
      sim->n_submittable++;
  sim->recovery = dmas_recovery_new (sim);
  /* Centralized mode has its own heartbeats (controller and standby), not the agents'. */
  sim->detector = dmas_detector_new (sim, config->heartbeat.enabled
                                     && g_strcmp0 (config->scheduling.mode, "distributed") == 0,
                                     config->heartbeat.period, config->heartbeat.timeout);

  /* The clients and the controllers are endpoints of the same network, after the agents. */
  sim->network = dmas_network_new (sim->engine, sim->n_agents + DMAS_SIM_EXTRA_ENDPOINTS,
                                   config->network.latency, on_deliver, sim);
  {
    const guint n = sim->n_agents + DMAS_SIM_EXTRA_ENDPOINTS;
    g_autofree const gchar **names = g_new (const gchar *, n);
    for (guint i = 0; i < sim->n_agents; i++)
      names[i] = dmas_platform_cluster (sim->platform, i)->name;
    names[sim->n_agents] = "clients";
    names[sim->n_agents + 1] = "controller";
    names[sim->n_agents + 2] = "backup";
    if (!dmas_network_configure (sim->network, config, names, error))
      return FALSE;
  }
  sim->members = g_new (DmasAgentId, sim->n_agents);
  for (guint i = 0; i < sim->n_agents; i++)
    sim->members[i] = i;
  sim->signer = dmas_signer_new (config->seed, sim->n_agents);
  /* The registry zero-filled the ops of a consensus 1.0 plugin: it reads as model NONE. */
  sim->metrics->fault_model = ((const DmasConsensusOps *) sim->consensus->ops)->fault_model;
  sim->quorum = dmas_quorum_size (sim->metrics->fault_model, sim->n_agents);
  sim->bids = dmas_bidlog_new (sim->workload->n_jobs, sim->n_agents);

  /* Instances may talk to the host from create(); everything they can reach exists by now. */
  sim->agents = g_new0 (DmasAgent *, sim->n_agents);
  for (guint i = 0; i < sim->n_agents; i++)
    {
      sim->agents[i] = dmas_agent_new (sim, i, error);
      if (sim->agents[i] == NULL)
        return FALSE;
    }
  sim->n_up = sim->n_agents;
  sim->service_available = dmas_sim_service_available (sim);
  if (g_strcmp0 (config->scheduling.mode, "centralized") == 0)
    {
      sim->central = dmas_central_new (sim, error);
      if (sim->central == NULL)
        return FALSE;
    }
  sim->clients = dmas_clients_new (sim, dmas_sim_clients_endpoint (sim));
  dmas_engine_set_idle_check (sim->engine, idle_check, sim);
  dmas_engine_set_stall_check (sim->engine, config->stall_timeout, stall_check, sim);
  return TRUE;
}

/* A hybrid pool's other bidder, when the pool is mixed at all. */
static gboolean
find_hybrid (DmasSim *sim, DmasRegistry *registry, GError **error)
{
  const DmasConfig *config = sim->config;
  if (config->scheduling.hybrid.bidding == NULL || config->scheduling.hybrid.fraction >= 1.0)
    return TRUE;
  return find_component (sim, registry, DMAS_KIND_BIDDING, config->scheduling.hybrid.bidding,
                         &sim->bidding_other, &sim->bidding_other_params, error);
}

const DmasComponentInfo *
dmas_sim_bidding_of (const DmasSim *sim, DmasAgentId agent, const DmasNode **params_out)
{
  /* Spread evenly: agent i is in the main share when the running count floor((i+1) x f)
   * steps up at i, so any prefix of the ids holds its fair share (f = 0.4 of five agents:
   * agents 2 and 4). */
  const gdouble f = sim->config->scheduling.hybrid.fraction;
  gboolean main_share = sim->bidding_other == NULL
                        || floor ((agent + 1) * f + 1e-9) > floor (agent * f + 1e-9);
  *params_out = main_share ? sim->bidding_params : sim->bidding_other_params;
  return main_share ? sim->bidding : sim->bidding_other;
}

DmasHostCtx *
dmas_sim_bidding_ctx_new (DmasSim *sim, DmasAgent *agent)
{
  const DmasNode *params = NULL;
  const DmasComponentInfo *info = dmas_sim_bidding_of (sim, agent->id, &params);
  return dmas_host_ctx_new (sim, agent, info, params);
}

DmasSim *
dmas_sim_new (const DmasConfig *config, DmasRegistry *registry, GError **error)
{
  g_autoptr (DmasSim) sim = g_new0 (DmasSim, 1);
  sim->config = config;
  sim->horizon = config->horizon;
  if (!check_supported (sim, error)
      || !find_component (sim, registry, DMAS_KIND_BIDDING, config->scheduling.bidding,
                          &sim->bidding, &sim->bidding_params, error)
      || !find_component (sim, registry, DMAS_KIND_CONSENSUS, config->scheduling.consensus,
                          &sim->consensus, &sim->consensus_params, error)
      || !find_hybrid (sim, registry, error)
      || !build (sim, error)
      || !dmas_sim_llm_setup (sim, registry, error)
      || (sim->faults = dmas_faults_new (sim, registry, error)) == NULL
      || !dmas_faults_arm (sim->faults, error))
    return NULL;
  return g_steal_pointer (&sim);
}

DmasSim *
dmas_sim_new_with_components (const DmasConfig *config, const DmasComponentInfo *bidding,
                              DmasNode *bidding_params, const DmasComponentInfo *consensus,
                              DmasNode *consensus_params, GError **error)
{
  g_autoptr (DmasSim) sim = g_new0 (DmasSim, 1);
  sim->config = config;
  sim->horizon = config->horizon;
  sim->bidding = bidding;
  sim->bidding_params = bidding_params;
  sim->consensus = consensus;
  sim->consensus_params = consensus_params;
  g_return_val_if_fail (bidding->kind == DMAS_KIND_BIDDING, NULL);
  g_return_val_if_fail (consensus->kind == DMAS_KIND_CONSENSUS, NULL);
  /* Without a registry there is no fault component: a config with faults fails here. */
  if (!check_supported (sim, error) || !build (sim, error)
      || (sim->faults = dmas_faults_new (sim, NULL, error)) == NULL)
    return NULL;
  return g_steal_pointer (&sim);
}

void
dmas_sim_free (DmasSim *sim)
{
  if (sim == NULL)
    return;
  /* Plugins first: their destroy() and timer free_fns may still call into the host. */
  dmas_faults_free (sim->faults);
  dmas_central_free (sim->central);
  dmas_clients_free (sim->clients);
  for (guint i = 0; sim->agents != NULL && i < sim->n_agents; i++)
    dmas_agent_free (sim->agents[i]);
  g_free (sim->agents);
  dmas_sim_llm_teardown (sim);
  if (sim->bidding_other_params != NULL)
    dmas_node_free (sim->bidding_other_params);
  dmas_detector_free (sim->detector);
  dmas_recovery_free (sim->recovery);
  dmas_network_free (sim->network);
  dmas_engine_free (sim->engine);
  dmas_metrics_free (sim->metrics);
  dmas_workload_free (sim->workload);
  dmas_platform_free (sim->platform);
  if (sim->bidding_params != NULL)
    dmas_node_free (sim->bidding_params);
  if (sim->consensus_params != NULL)
    dmas_node_free (sim->consensus_params);
  g_free (sim->members);
  dmas_signer_free (sim->signer);
  dmas_bidlog_free (sim->bids);
  g_free (sim->first_winner);
  g_free (sim->slot_flags);
  g_free (sim);
}

void
dmas_sim_set_observer (DmasSim *sim, const DmasSimObserver *observer, gpointer data)
{
  sim->observer = observer;
  sim->observer_data = data;
}

DmasLlmService *
dmas_sim_llm (const DmasSim *sim)
{
  return sim->llm;
}

const gchar *
dmas_sim_agent_name (const DmasSim *sim, DmasAgentId agent)
{
  g_return_val_if_fail (agent < sim->n_agents, "?");
  return dmas_platform_cluster (sim->platform, agent)->name;
}

gboolean
dmas_sim_agent_can_run (const DmasSim *sim, DmasAgentId agent, const DmasJob *job)
{
  g_return_val_if_fail (agent < sim->n_agents, FALSE);
  return dmas_cluster_fits (dmas_platform_cluster (sim->platform, agent), job);
}

gboolean
dmas_sim_work_settled (const DmasSim *sim)
{
  return sim->n_settled >= sim->n_submittable;
}

/* ---- crashes on request (tests and tools; fault components use the host's calls) ---- */

typedef struct {
  DmasSim *sim;
  DmasAgentId agent;
  DmasTime restart_after;
} CrashOrder;

static void
on_restart_order (DmasEngine *engine, gpointer data)
{
  CrashOrder *order = data;
  (void) engine;
  dmas_agent_restart (order->sim->agents[order->agent]);
}

static void
on_crash_order (DmasEngine *engine, gpointer data)
{
  CrashOrder *order = data;
  dmas_agent_crash (order->sim->agents[order->agent]);
  if (order->restart_after == DMAS_TIME_NONE)
    return;
  CrashOrder *restart = g_memdup2 (order, sizeof *order);
  dmas_engine_schedule (engine, dmas_engine_now (engine) + order->restart_after, DMAS_EV_FAULT,
                        DMAS_WEV_RESTART, order->agent, on_restart_order, restart, g_free);
}

void
dmas_sim_schedule_crash (DmasSim *sim, DmasAgentId agent, DmasTime at, DmasTime restart_after)
{
  g_return_if_fail (agent < sim->n_agents);
  CrashOrder *order = g_new (CrashOrder, 1);
  *order = (CrashOrder){ sim, agent, restart_after };
  dmas_engine_schedule (sim->engine, at, DMAS_EV_FAULT, DMAS_WEV_CRASH, agent, on_crash_order,
                        order, g_free);
}

/* ---- running ---- */

static void schedule_next_submission (DmasSim *sim);

/* Clients submit one job after the other: only the next submission sits in the queue, which
 * keeps the heap small for traces of many thousand jobs. */
static void
on_submit (DmasEngine *engine, gpointer data)
{
  DmasSim *sim = data;
  (void) engine;
  const DmasJob *job = &sim->workload->jobs[sim->next_submit++];
  schedule_next_submission (sim);
  dmas_clients_submit (sim->clients, job);
}

static void
schedule_next_submission (DmasSim *sim)
{
  if (sim->next_submit >= sim->workload->n_jobs)
    return;
  const DmasJob *job = &sim->workload->jobs[sim->next_submit];
  /* Jobs after the horizon are never submitted (DESIGN §8: submitted = submit <= horizon). */
  if (job->submit > sim->horizon)
    return;
  dmas_engine_schedule (sim->engine, job->submit, DMAS_EV_TIMER, DMAS_WEV_SUBMIT, job->home,
                        on_submit, sim, NULL);
}

DmasRunStatus
dmas_sim_run (DmasSim *sim, gdouble speed, gboolean handle_sigint, gchar **diagnosis)
{
  g_return_val_if_fail (!sim->ran, DMAS_RUN_STOPPED);
  sim->ran = TRUE;
  schedule_next_submission (sim);
  dmas_detector_start (sim->detector);
  if (sim->central != NULL)
    dmas_central_start (sim->central);

  const DmasRunOptions opts = {
    .speed = speed,
    .batch = 0,
    .until = sim->config->drain ? DMAS_TIME_NONE : sim->horizon,
    .handle_sigint = handle_sigint,
  };
  DmasRunStatus status = dmas_engine_run (sim->engine, &opts, diagnosis);

  sim->metrics->run_end = dmas_engine_now (sim->engine);
  for (guint c = 0; c < DMAS_NET_N_CHANNELS; c++)
    sim->metrics->traffic[c] = *dmas_network_counters (sim->network, c);
  {
    const DmasNetFaultCounters *nf = dmas_network_fault_counters (sim->network);
    sim->metrics->msgs_dropped_partition = nf->dropped_partition;
    sim->metrics->msgs_dropped_loss = nf->dropped_loss;
    sim->metrics->msgs_duplicated = nf->duplicated;
    sim->metrics->msgs_reordered = nf->reordered;
    sim->metrics->msgs_corrupted = nf->corrupted;
    sim->metrics->msgs_corrupt_delivered = nf->corrupt_delivered;
  }
  if (sim->llm != NULL)
    sim->metrics->llm = *dmas_llm_service_counters (sim->llm);
  return status;
}

const DmasMetrics *
dmas_sim_metrics (const DmasSim *sim)
{
  return sim->metrics;
}

const DmasWorkload *
dmas_sim_workload (const DmasSim *sim)
{
  return sim->workload;
}

DmasEngine *
dmas_sim_engine (const DmasSim *sim)
{
  return sim->engine;
}

guint
dmas_sim_n_agents (const DmasSim *sim)
{
  return sim->n_agents;
}

/* ---- deadlock diagnosis ---- */

/* Appends " label: 0, 3, 7" for the agents whose flags for `id` satisfy (flags & mask) == want. */
static void
append_agents (const DmasSim *sim, DmasJobId id, guint8 mask, guint8 want, const gchar *label,
               GString *out)
{
  guint shown = 0, total = 0;
  g_autoptr (GString) ids = g_string_new (NULL);
  for (guint a = 0; a < sim->n_agents; a++)
    if ((sim->agents[a]->jobs[id] & mask) == want)
      {
        total++;
        if (shown++ < 16)
          g_string_append_printf (ids, "%s%u", shown > 1 ? ", " : "", a);
      }
  if (total == 0)
    return;
  if (total > shown)
    g_string_append_printf (ids, ", ... (%u agents)", total);
  g_string_append_printf (out, "; %s: %s", label, ids->str);
}

static void
describe_pending (const DmasSim *sim, const DmasJob *job, const DmasJobRecord *record,
                  GString *out)
{
  g_string_append_printf (out, "job %" G_GUINT64_FORMAT " (home agent %u", job->id, job->home);
  if (record->state == DMAS_JOB_QUEUED || record->state == DMAS_JOB_RUNNING)
    {
      for (guint a = 0; a < sim->n_agents; a++)
        if (sim->agents[a]->jobs[job->id] & DMAS_AGENT_JOB_QUEUED)
          {
            const DmasLocalQueue *queue = sim->agents[a]->queue;
            g_string_append_printf (out, "): queued at agent %u but never started (needs %u "
                                    "node(s); %u of %u free, %u waiting, %u running)",
                                    a, job->nodes, dmas_localq_free_nodes (queue),
                                    dmas_localq_total_nodes (queue),
                                    dmas_localq_n_queued (queue), dmas_localq_n_running (queue));
            break;
          }
      if (record->reason != NULL)
        g_string_append_printf (out, ": %s", record->reason);
      return;
    }
  g_string_append (out, "): never decided");
  const guint8 L = DMAS_AGENT_JOB_LEARNT, B = DMAS_AGENT_JOB_BID_PENDING,
               P = DMAS_AGENT_JOB_PROPOSED, D = DMAS_AGENT_JOB_DECIDED;
  append_agents (sim, job->id, L, 0, "never learnt of it", out);
  append_agents (sim, job->id, B, B, "waiting for bid_ready", out);
  append_agents (sim, job->id, P | D, P, "proposed, undecided", out);
  append_agents (sim, job->id, D, D, "decided", out);
}

static gchar *
idle_check (DmasEngine *engine, gpointer user_data)
{
  DmasSim *sim = user_data;
  (void) engine;
  g_autoptr (GString) out = g_string_new (NULL);
  guint pending = 0;
  for (guint i = 0; i < sim->workload->n_jobs; i++)
    {
      const DmasJobRecord *record = &sim->metrics->jobs[i];
      if (record->state != DMAS_JOB_SUBMITTED && record->state != DMAS_JOB_QUEUED
          && record->state != DMAS_JOB_RUNNING)
        continue;
      /* Lost to a crash with no recovery under way (or none possible), or left undecided by
       * a protocol that Byzantine agents defeated (nothing recovers those): the run's
       * outcome (jobs_lost), not a deadlock of the host. */
      if (dmas_recovery_stranded (sim->recovery, record->id) || dmas_byz_seen (sim))
        continue;
      if (sim->central != NULL && dmas_central_job_stranded (sim->central, record->id))
        continue;
      if (pending++ < 10)
        {
          g_string_append (out, "\n  ");
          describe_pending (sim, &sim->workload->jobs[i], record, out);
        }
    }
  if (pending == 0)
    return NULL;
  if (pending > 10)
    g_string_append_printf (out, "\n  ... and %u more", pending - 10);
  return g_strdup_printf ("no event left but %u job(s) unsettled (with %s):%s", pending,
                          sim->central != NULL ? "the centralized controller"
                                               : dmas_host_ctx_name (sim->agents[0]->consensus),
                          out->str);
}

/* ---- stall (livelock) check ---- */

/* Changes whenever a job is decided, started or finished. */
static guint64
progress_token (const DmasSim *sim)
{
  guint64 token = sim->metrics->decisions;
  for (guint i = 0; i < sim->metrics->n_jobs; i++)
    {
      const DmasJobRecord *record = &sim->metrics->jobs[i];
      token += record->starts + (record->end != DMAS_TIME_NONE)
               + (record->state == DMAS_JOB_REJECTED);
    }
  return token;
}

/* A livelock ends the run instead of spinning forever: a protocol that keeps exchanging
 * messages (round changes, retransmissions) without deciding anything is a liveness failure,
 * or the service is down for good; either way a result worth reporting as such.  Only
 * undecided jobs count as waiting: a queued job may rightly wait for hours behind long running
 * ones, and while the service is down (no quorum, no controller) and a fault may still end the
 * outage, the wait is an outage, measured by availability. */
static gchar *
stall_check (DmasEngine *engine, gpointer user_data)
{
  DmasSim *sim = user_data;
  (void) engine;
  guint64 token = progress_token (sim);
  /* An outage excuses the wait only while a fault may still end it (a restart or a heal is
   * scheduled): agents down for good, a partition that never heals or Byzantine agents that
   * stay Byzantine would otherwise keep a protocol's timers spinning for ever. */
  if (token != sim->stall_token
      || (dmas_metrics_service_is_down (sim->metrics) && dmas_faults_pending (sim->faults)))
    {
      sim->stall_token = token;
      return NULL;
    }
  g_autoptr (GString) out = g_string_new (NULL);
  guint waiting = 0;
  for (guint i = 0; i < sim->workload->n_jobs; i++)
    {
      const DmasJobRecord *record = &sim->metrics->jobs[i];
      if (record->state != DMAS_JOB_SUBMITTED || dmas_recovery_stranded (sim->recovery, record->id)
          || (sim->central != NULL && dmas_central_job_stranded (sim->central, record->id)))
        continue;
      if (waiting++ < 10)
        {
          g_string_append (out, "\n  ");
          describe_pending (sim, &sim->workload->jobs[i], record, out);
        }
    }
  if (waiting == 0)
    return NULL;
  if (waiting > 10)
    g_string_append_printf (out, "\n  ... and %u more", waiting - 10);
  g_autofree gchar *period = dmas_format_duration (sim->config->stall_timeout);
  return g_strdup_printf ("no job was decided, started or finished for %s of virtual time "
                          "(stall_timeout) while the scheduling service (%s) %s and "
                          "%u job(s) waited for a decision:%s", period,
                          sim->central != NULL ? "the centralized controller"
                                               : dmas_host_ctx_name (sim->agents[0]->consensus),
                          dmas_metrics_service_is_down (sim->metrics)
                              ? "was down with no fault left to end the outage"
                              : "was available",
                          waiting, out->str);
}
