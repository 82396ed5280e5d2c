/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The controller replicas: stable storage, taking charge, heartbeats, crash, restart. */
#include "config.h"

#include <stdlib.h>

#include <dmas/wire.h>

#include "agents/central-private.h"
#include "agents/client.h"
#include "agents/sched_msg.h"
#include "world/events.h"

static void
stable_init (CentralStable *st, guint n_jobs, guint n_agents)
{
  st->state = g_new0 (guint8, (gsize) n_jobs + 1);
  st->placed_on = g_new (DmasAgentId, (gsize) n_jobs + 1);
  for (guint i = 0; i <= n_jobs; i++)
    st->placed_on[i] = DMAS_AGENT_NONE;
  st->dispatch_seq = g_new0 (guint32, (gsize) n_jobs + 1);
  g_queue_init (&st->pending);
  st->pending_link = g_new0 (GList *, (gsize) n_jobs + 1);
  st->next_seq = g_new (guint32, MAX (n_agents, 1));
  for (guint i = 0; i < n_agents; i++)
    st->next_seq[i] = 1;
  st->incarnation = g_new0 (guint32, MAX (n_agents, 1));
}

static void
stable_clear (CentralStable *st)
{
  g_free (st->state);
  g_free (st->placed_on);
  g_free (st->dispatch_seq);
  g_queue_clear (&st->pending);
  g_free (st->pending_link);
  g_free (st->next_seq);
  g_free (st->incarnation);
}

/* ---- bidders ---- */

static gboolean
bidders_create (CentralReplica *r, GError **error)
{
  DmasSim *sim = r->central->sim;
  for (DmasAgentId a = 0; a < sim->n_agents; a++)
    {
      /* The cluster's own context and stream: self_id() is the cluster the bid is for. */
      r->bidders[a] = dmas_sim_bidding_ctx_new (sim, sim->agents[a]);
      if (!dmas_bidding_create (r->bidders[a], error))
        return FALSE;
    }
  return TRUE;
}

static void
bidders_destroy (CentralReplica *r)
{
  for (DmasAgentId a = 0; a < r->central->sim->n_agents; a++)
    g_clear_pointer (&r->bidders[a], dmas_host_ctx_free);
}

/* ---- timers ---- */

static void
cancel (DmasSim *sim, DmasEventId *event)
{
  if (*event != 0)
    dmas_engine_cancel (sim->engine, *event);
  *event = 0;
}

static DmasEventId
schedule (CentralReplica *r, DmasTime at, DmasEventFn fn, gpointer data)
{
  DmasSim *sim = r->central->sim;
  if (r->central->stopped)
    return 0;
  return dmas_engine_schedule (sim->engine, at, DMAS_EV_TIMER, DMAS_WEV_CONTROLLER, r->endpoint,
                               fn, data, NULL);
}

static void on_check (DmasEngine *engine, gpointer data);

/* Arms the suspicion check of `view` at heard + timeout (with heartbeat.enabled). */
static void
arm_check (CentralView *view)
{
  CentralReplica *r = view->replica;
  const DmasConfig *config = r->central->sim->config;
  if (!config->heartbeat.enabled || view->check != 0 || view->suspected)
    return;
  view->check = schedule (r, view->heard + config->heartbeat.timeout, on_check, view);
}

/* Re-places every unfinished job placed on `agent`. */
static void
reclaim_all (CentralReplica *r, DmasAgentId agent, const gchar *why)
{
  DmasSim *sim = r->central->sim;
  CentralStable *st = &r->central->stable;
  for (DmasJobId id = 1; id <= sim->workload->n_jobs; id++)
    if (st->state[id] == CENTRAL_JOB_PLACED && st->placed_on[id] == agent)
      dmas_central_replace (r, id, why);
}

static void
suspect (CentralView *view, const gchar *why)
{
  CentralReplica *r = view->replica;
  if (view->suspected)
    return;
  view->suspected = TRUE;
  cancel (r->central->sim, &view->check);
  dmas_sim_log (r->central->sim, view->agent, "controller %u suspects this agent: %s",
                r->index, why);
  reclaim_all (r, view->agent, why);
}

static void
on_check (DmasEngine *engine, gpointer data)
{
  CentralView *view = data;
  const DmasConfig *config = view->replica->central->sim->config;
  view->check = 0;
  if (dmas_sim_work_settled (view->replica->central->sim))
    return;
  /* Lazy: reports move `heard` without touching the timer. */
  if (dmas_engine_now (engine) < view->heard + config->heartbeat.timeout)
    {
      arm_check (view);
      return;
    }
  suspect (view, "no report within heartbeat.timeout");
}

/* ---- taking charge ---- */

static void on_beat (DmasEngine *engine, gpointer data);
static void on_takeover_check (DmasEngine *engine, gpointer data);

static CentralReplica *
other (CentralReplica *r)
{
  return r->central->n_replicas == 2 ? &r->central->replica[1 - r->index] : NULL;
}

static void
send_beat (CentralReplica *r)
{
  CentralReplica *o = other (r);
  guint8 body[CENTRAL_HELLO_LEN];
  dmas_central_encode_hello (r->central->stable.generation, r->index, body);
  dmas_network_send (r->central->sim->network, r->endpoint, o->endpoint, DMAS_NET_HOST,
                     DMAS_SCHED_CTL_BEAT, body, sizeof body);
}

/* The replica in charge heartbeats the standby now and every ha.heartbeat. */
static void
on_beat (DmasEngine *engine, gpointer data)
{
  CentralReplica *r = data;
  DmasSim *sim = r->central->sim;
  r->beat_timer = 0;
  if (!r->in_charge || dmas_sim_work_settled (sim))
    return;
  send_beat (r);
  r->beat_timer = schedule (r, dmas_engine_now (engine) + sim->config->scheduling.ha.heartbeat,
                            on_beat, r);
}

static void
arm_takeover_check (CentralReplica *r)
{
  DmasSim *sim = r->central->sim;
  cancel (sim, &r->beat_timer);
  r->beat_timer = schedule (r, r->heard + sim->config->scheduling.ha.takeover,
                            on_takeover_check, r);
}

static void send_hello (CentralReplica *r, DmasAgentId agent);
static void on_sync_timeout (DmasEngine *engine, gpointer data);

static void
take_charge (CentralReplica *r)
{
  DmasCentral *central = r->central;
  DmasSim *sim = central->sim;
  CentralStable *st = &central->stable;
  const DmasTime now = dmas_engine_now (sim->engine);

  r->in_charge = TRUE;
  st->in_charge = r->index;
  st->generation++;
  dmas_metrics_service_up (sim->metrics, now);
  dmas_sim_log (sim, DMAS_AGENT_NONE, "controller %u takes charge (generation %u)", r->index,
                st->generation);

  /* Its view is gone with its memory: ask every agent for a full report before placing. */
  r->syncing = TRUE;
  for (DmasAgentId a = 0; a < sim->n_agents; a++)
    {
      CentralView *view = &r->view[a];
      cancel (sim, &view->check);
      *view = (CentralView){ .replica = r, .agent = a, .heard = now,
                             .incarnation = st->incarnation[a] };
      send_hello (r, a);
    }
  cancel (sim, &r->sync_timer);
  r->sync_timer = schedule (r, now + sim->config->heartbeat.timeout, on_sync_timeout, r);
  cancel (sim, &r->beat_timer);
  if (other (r) != NULL)
    on_beat (sim->engine, r);
}

static void
on_takeover_check (DmasEngine *engine, gpointer data)
{
  CentralReplica *r = data;
  DmasSim *sim = r->central->sim;
  r->beat_timer = 0;
  if (!r->up || r->in_charge || dmas_sim_work_settled (sim))
    return;
  if (dmas_engine_now (engine) < r->heard + sim->config->scheduling.ha.takeover)
    {
      arm_takeover_check (r);
      return;
    }
  take_charge (r);
}

static void
become_standby (CentralReplica *r)
{
  r->in_charge = FALSE;
  r->syncing = FALSE;
  cancel (r->central->sim, &r->sync_timer);
  r->heard = dmas_engine_now (r->central->sim->engine);
  arm_takeover_check (r);
}

/* ---- the agents' answers ---- */

static void
end_sync (CentralReplica *r)
{
  r->syncing = FALSE;
  cancel (r->central->sim, &r->sync_timer);
  dmas_central_place_pending (r);
}

static void
on_sync_timeout (DmasEngine *engine, gpointer data)
{
  CentralReplica *r = data;
  DmasSim *sim = r->central->sim;
  (void) engine;
  r->sync_timer = 0;
  if (!r->syncing)
    return;
  for (DmasAgentId a = 0; a < sim->n_agents; a++)
    if (!r->view[a].known)
      suspect (&r->view[a], "no answer to the controller's hello within heartbeat.timeout");
  end_sync (r);
}

static void
send_hello (CentralReplica *r, DmasAgentId agent)
{
  DmasCentral *central = r->central;
  CentralView *view = &r->view[agent];
  view->known = FALSE;
  /* Dispatches numbered up to here travel before this HELLO on the same link (FIFO): the
   * answer tells whether each of them reached the agent. */
  view->sync_seq = central->stable.next_seq[agent] - 1;
  guint8 body[CENTRAL_HELLO_LEN];
  dmas_central_encode_hello (central->stable.generation, r->index, body);
  dmas_network_send (central->sim->network, r->endpoint, agent, DMAS_NET_HOST, DMAS_SCHED_HELLO,
                     body, sizeof body);
}

static int
compare_ids (gconstpointer a, gconstpointer b)
{
  DmasJobId x = *(const DmasJobId *) a, y = *(const DmasJobId *) b;
  return (x > y) - (x < y);
}

/* A full report answering this replica's HELLO: what became of the jobs placed there. */
static void
reconcile (CentralReplica *r, DmasAgentId agent, const CentralStatus *status,
           const guint8 *held_bytes)
{
  DmasSim *sim = r->central->sim;
  CentralStable *st = &r->central->stable;
  const CentralView *view = &r->view[agent];
  g_autofree DmasJobId *held = g_new (DmasJobId, MAX (status->n_held, 1));
  for (guint i = 0; i < status->n_held; i++)
    held[i] = dmas_get_u64 (held_bytes + 8u * i);
  qsort (held, status->n_held, sizeof *held, compare_ids);

  for (DmasJobId id = 1; id <= sim->workload->n_jobs; id++)
    {
      if (st->state[id] != CENTRAL_JOB_PLACED || st->placed_on[id] != agent)
        continue;
      if (bsearch (&id, held, status->n_held, sizeof *held, compare_ids) != NULL)
        continue;
      const guint32 seq = st->dispatch_seq[id];
      if (seq > view->sync_seq)
        continue; /* sent after the HELLO: may still be on its way */
      if (status->first_seq != 0 && seq >= status->first_seq)
        {
          /* Received since the agent's latest start and no longer held: it ended, and its
           * FINISH reached no controller in charge. */
          st->state[id] = CENTRAL_JOB_DONE;
          continue;
        }
      /* Received before the agent's latest restart (lost with it, or ended and its FINISH
       * lost: the two cannot be told apart, and running it again is the safe side), or
       * dropped while the agent was down. */
      dmas_central_replace (r, id, "the agent no longer holds it");
    }
  st->incarnation[agent] = MAX (st->incarnation[agent], status->incarnation);
}

static void
on_status (CentralReplica *r, DmasAgentId agent, const guint8 *body, gsize len)
{
  DmasSim *sim = r->central->sim;
  CentralStatus status;
  const guint8 *held = NULL;
  if (agent >= sim->n_agents || !dmas_central_decode_status (body, len, &status, &held))
    {
      dmas_sim_log (sim, agent, "controller %u: malformed report dropped", r->index);
      return;
    }
  CentralView *view = &r->view[agent];
  const gboolean restarted = status.incarnation > view->incarnation;
  view->free_nodes = status.free_nodes;
  view->queued = status.queued;
  view->running = status.running;
  view->used_cores = status.used_cores;
  view->incarnation = MAX (view->incarnation, status.incarnation);
  view->heard = dmas_engine_now (sim->engine);

  if (status.generation == r->central->stable.generation && !view->known)
    {
      /* The answer to this replica's HELLO: the agent is usable again before its lost jobs
       * are re-placed (they may go back to it). */
      view->known = TRUE;
      view->suspected = FALSE;
      arm_check (view);
      reconcile (r, agent, &status, held);
      if (r->syncing)
        {
          for (DmasAgentId a = 0; a < sim->n_agents; a++)
            if (!r->view[a].known)
              return;
          end_sync (r);
        }
      else
        dmas_central_place_pending (r);
      return;
    }
  if (view->known && !view->suspected && !restarted)
    return;
  /* A suspected agent speaks again, or one that restarted unnoticed: resynchronise it
   * (until its answer nothing is placed there). */
  if (view->known)
    send_hello (r, agent);
}

static void
on_finish (CentralReplica *r, const guint8 *body, gsize len)
{
  CentralStable *st = &r->central->stable;
  DmasSchedFinish finish;
  if (!dmas_sched_decode_finish (body, len, &finish) || finish.job < 1
      || finish.job > r->central->sim->workload->n_jobs)
    return;
  if (st->state[finish.job] == CENTRAL_JOB_PLACED)
    st->state[finish.job] = CENTRAL_JOB_DONE;
  /* Bidders that learn from finished jobs learn here: the controller is where they run. */
  if (finish.agent < r->central->sim->n_agents && r->bidders[finish.agent] != NULL)
    dmas_bidding_job_finished (r->bidders[finish.agent],
                               &r->central->sim->workload->jobs[finish.job - 1], finish.start,
                               finish.end);
}

/* ---- submissions ---- */

void
dmas_central_reject (CentralReplica *r, DmasJobId id, const gchar *reason)
{
  DmasSim *sim = r->central->sim;
  CentralStable *st = &r->central->stable;
  st->state[id] = CENTRAL_JOB_REJECTED;
  if (st->pending_link[id] != NULL)
    {
      g_queue_delete_link (&st->pending, st->pending_link[id]);
      st->pending_link[id] = NULL;
    }
  DmasJobRecord *record = dmas_metrics_job (sim->metrics, id);
  record->state = DMAS_JOB_REJECTED;
  g_free (record->reason);
  record->reason = g_strdup (reason);
  dmas_sim_log (sim, DMAS_AGENT_NONE, "controller %u rejects job %" G_GUINT64_FORMAT ": %s",
                r->index, id, reason);
  dmas_recovery_settle (sim, id);
}

static void
on_submit (CentralReplica *r, const guint8 *body, gsize len)
{
  DmasCentral *central = r->central;
  DmasSim *sim = central->sim;
  CentralStable *st = &central->stable;
  DmasJob copy;
  if (!dmas_sched_decode_announce (body, len, &copy) || copy.id < 1
      || copy.id > sim->workload->n_jobs)
    return;
  const DmasJobId id = copy.id;
  const DmasJob *job = &sim->workload->jobs[id - 1];
  if (st->state[id] != CENTRAL_JOB_UNKNOWN)
    {
      dmas_clients_ack (sim, r->endpoint, id); /* a retry: already safe in the store */
      return;
    }
  DmasJobRecord *record = dmas_metrics_job (sim->metrics, id);
  record->accepted = dmas_engine_now (sim->engine);
  if (!dmas_sim_job_feasible (sim, job))
    {
      g_autofree gchar *reason = g_strdup_printf ("no cluster fits %u node(s) of %u cores, "
                                                  "%.6g GB, %u GPUs", job->nodes, job->cores,
                                                  job->memory_gb, job->gpus);
      /* Rejected at submission: no decision, as in distributed mode. */
      dmas_central_reject (r, id, reason);
      dmas_clients_ack (sim, r->endpoint, id);
      return;
    }
  st->state[id] = CENTRAL_JOB_PENDING;
  g_queue_push_tail (&st->pending, GSIZE_TO_POINTER ((gsize) id));
  st->pending_link[id] = st->pending.tail;
  dmas_clients_ack (sim, r->endpoint, id);
  dmas_central_place (r, id);
}

/* ---- the replica's mailbox ---- */

void
dmas_central_deliver (DmasCentral *central, const DmasEnvelope *env, const guint8 *body)
{
  const guint i = dmas_central_replica_of (central, env->dst);
  g_return_if_fail (i < central->n_replicas);
  CentralReplica *r = &central->replica[i];
  DmasSim *sim = central->sim;
  if (!r->up)
    {
      sim->metrics->msgs_dropped_down++;
      return;
    }
  if (env->type == DMAS_SCHED_CTL_BEAT)
    {
      guint32 generation, from;
      if (!dmas_central_decode_hello (body, env->len, &generation, &from))
        return;
      if (!r->in_charge)
        r->heard = dmas_engine_now (sim->engine);
      else if (generation > central->stable.generation)
        become_standby (r); /* cannot happen without partitions; never two in charge */
      return;
    }
  /* A standby serves nobody: submissions and reports to it go unanswered, as to a dead one. */
  if (!r->in_charge)
    return;
  switch (env->type)
    {
    case DMAS_SCHED_SUBMIT:
      on_submit (r, body, env->len);
      break;
    case DMAS_SCHED_STATUS:
      on_status (r, env->src, body, env->len);
      break;
    case DMAS_SCHED_FINISH:
      on_finish (r, body, env->len);
      break;
    default:
      dmas_sim_log (sim, DMAS_AGENT_NONE, "controller %u: unexpected message type %u from %u",
                    r->index, env->type, env->src);
      break;
    }
}

/* ---- life cycle ---- */

DmasCentral *
dmas_central_new (DmasSim *sim, GError **error)
{
  DmasCentral *central = g_new0 (DmasCentral, 1);
  central->sim = sim;
  central->n_replicas = sim->config->scheduling.ha.backup ? 2 : 1;
  stable_init (&central->stable, sim->workload->n_jobs, sim->n_agents);
  central->stable.in_charge = DMAS_CENTRAL_PRIMARY;
  central->stable.generation = 1;
  for (guint i = 0; i < central->n_replicas; i++)
    {
      CentralReplica *r = &central->replica[i];
      r->central = central;
      r->index = i;
      r->endpoint = sim->n_agents + 1 + i;
      r->up = TRUE;
      /* At time 0 the primary is in charge and knows the platform exactly (every cluster
       * idle), so it places at once: with zero latency the run is the plain trace run. */
      r->in_charge = i == DMAS_CENTRAL_PRIMARY;
      r->view = g_new0 (CentralView, MAX (sim->n_agents, 1));
      for (DmasAgentId a = 0; a < sim->n_agents; a++)
        r->view[a] = (CentralView){
          .replica = r, .agent = a, .known = TRUE,
          .free_nodes = dmas_platform_cluster (sim->platform, a)->nodes,
        };
      r->bidders = g_new0 (DmasHostCtx *, MAX (sim->n_agents, 1));
      r->auctions = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
      if (!bidders_create (r, error))
        {
          dmas_central_free (central);
          return NULL;
        }
    }
  central->agents = g_new0 (CentralAgentSide, MAX (sim->n_agents, 1));
  for (DmasAgentId a = 0; a < sim->n_agents; a++)
    central->agents[a] = (CentralAgentSide){
      .central = central, .id = a, .controller = central->replica[0].endpoint,
      .generation = 1,
    };
  return central;
}

void
dmas_central_free (DmasCentral *central)
{
  if (central == NULL)
    return;
  DmasSim *sim = central->sim;
  for (guint i = 0; i < central->n_replicas; i++)
    {
      CentralReplica *r = &central->replica[i];
      if (r->bidders != NULL)
        bidders_destroy (r);
      g_free (r->bidders);
      for (DmasAgentId a = 0; r->view != NULL && a < sim->n_agents; a++)
        cancel (sim, &r->view[a].check);
      g_free (r->view);
      cancel (sim, &r->beat_timer);
      cancel (sim, &r->sync_timer);
      if (r->auctions != NULL)
        g_hash_table_unref (r->auctions);
    }
  for (DmasAgentId a = 0; central->agents != NULL && a < sim->n_agents; a++)
    cancel (sim, &central->agents[a].report_timer);
  g_free (central->agents);
  stable_clear (&central->stable);
  g_free (central);
}

void
dmas_central_start (DmasCentral *central)
{
  DmasSim *sim = central->sim;
  CentralReplica *primary = &central->replica[DMAS_CENTRAL_PRIMARY];
  for (DmasAgentId a = 0; a < sim->n_agents; a++)
    arm_check (&primary->view[a]);
  if (central->n_replicas == 2)
    {
      on_beat (sim->engine, primary);
      become_standby (&central->replica[DMAS_CENTRAL_BACKUP]);
    }
  for (DmasAgentId a = 0; a < sim->n_agents; a++)
    dmas_central_agent_start (sim->agents[a]);
}

void
dmas_central_stop (DmasCentral *central)
{
  DmasSim *sim = central->sim;
  central->stopped = TRUE;
  for (guint i = 0; i < central->n_replicas; i++)
    {
      CentralReplica *r = &central->replica[i];
      cancel (sim, &r->beat_timer);
      cancel (sim, &r->sync_timer);
      for (DmasAgentId a = 0; a < sim->n_agents; a++)
        cancel (sim, &r->view[a].check);
    }
  for (DmasAgentId a = 0; a < sim->n_agents; a++)
    cancel (sim, &central->agents[a].report_timer);
}

guint
dmas_central_n_replicas (const DmasCentral *central)
{
  return central->n_replicas;
}

DmasAgentId
dmas_central_endpoint (const DmasCentral *central, guint replica)
{
  g_return_val_if_fail (replica < central->n_replicas, DMAS_AGENT_NONE);
  return central->replica[replica].endpoint;
}

guint
dmas_central_replica_of (const DmasCentral *central, DmasAgentId endpoint)
{
  for (guint i = 0; i < central->n_replicas; i++)
    if (central->replica[i].endpoint == endpoint)
      return i;
  return G_MAXUINT;
}

gboolean
dmas_central_owns_ctx (const DmasCentral *central, const DmasHostCtx *ctx)
{
  for (guint i = 0; i < central->n_replicas; i++)
    for (DmasAgentId a = 0; central->replica[i].bidders != NULL && a < central->sim->n_agents;
         a++)
      if (central->replica[i].bidders[a] == ctx)
        return TRUE;
  return FALSE;
}

void
dmas_central_crash (DmasCentral *central, DmasCentralReplica replica)
{
  g_return_if_fail ((guint) replica < central->n_replicas);
  CentralReplica *r = &central->replica[replica];
  DmasSim *sim = central->sim;
  if (!r->up)
    return;
  const DmasTime now = dmas_engine_now (sim->engine);
  dmas_sim_log (sim, DMAS_AGENT_NONE, "controller %u crashes", r->index);
  r->up = FALSE;
  /* Everything but the stable store goes: timers, views, bids being collected, bidders. */
  cancel (sim, &r->beat_timer);
  cancel (sim, &r->sync_timer);
  for (DmasAgentId a = 0; a < sim->n_agents; a++)
    cancel (sim, &r->view[a].check);
  dmas_central_auctions_clear (r);
  bidders_destroy (r);
  if (r->in_charge)
    {
      r->in_charge = FALSE;
      r->syncing = FALSE;
      dmas_metrics_service_down (sim->metrics, now);
    }
}

void
dmas_central_restart (DmasCentral *central, DmasCentralReplica replica)
{
  g_return_if_fail ((guint) replica < central->n_replicas);
  CentralReplica *r = &central->replica[replica];
  DmasSim *sim = central->sim;
  if (r->up)
    return;
  g_autoptr (GError) error = NULL;
  if (!bidders_create (r, &error))
    {
      dmas_sim_log_at (sim, G_LOG_LEVEL_MESSAGE, DMAS_AGENT_NONE, "controller %u stays down: "
                       "%s", r->index, error->message);
      bidders_destroy (r);
      return;
    }
  r->up = TRUE;
  dmas_sim_log (sim, DMAS_AGENT_NONE, "controller %u restarts", r->index);
  dmas_central_agents_resume_reports (central);
  /* The store says who was in charge: the other replica keeps it (no failback). */
  if (central->n_replicas == 1 || central->stable.in_charge == r->index)
    take_charge (r);
  else
    become_standby (r);
}

gboolean
dmas_central_is_up (const DmasCentral *central, DmasCentralReplica replica)
{
  return (guint) replica < central->n_replicas && central->replica[replica].up;
}

gboolean
dmas_central_in_charge (const DmasCentral *central, DmasCentralReplica replica)
{
  return dmas_central_is_up (central, replica) && central->replica[replica].in_charge;
}

typedef struct {
  DmasCentral *central;
  DmasCentralReplica replica;
  DmasTime restart_after;
} CrashOrder;

static void
on_restart_order (DmasEngine *engine, gpointer data)
{
  CrashOrder *order = data;
  (void) engine;
  dmas_central_restart (order->central, order->replica);
}

static void
on_crash_order (DmasEngine *engine, gpointer data)
{
  CrashOrder *order = data;
  dmas_central_crash (order->central, order->replica);
  if (order->restart_after == DMAS_TIME_NONE)
    return;
  CrashOrder *restart = g_memdup2 (order, sizeof *order);
  dmas_engine_schedule (engine, dmas_engine_now (engine) + order->restart_after, DMAS_EV_FAULT,
                        DMAS_WEV_RESTART, dmas_central_endpoint (order->central, order->replica),
                        on_restart_order, restart, g_free);
}

void
dmas_central_schedule_crash (DmasCentral *central, DmasCentralReplica replica, DmasTime at,
                             DmasTime restart_after)
{
  g_return_if_fail ((guint) replica < central->n_replicas);
  CrashOrder *order = g_new (CrashOrder, 1);
  *order = (CrashOrder){ central, replica, restart_after };
  dmas_engine_schedule (central->sim->engine, at, DMAS_EV_FAULT, DMAS_WEV_CRASH,
                        dmas_central_endpoint (central, replica), on_crash_order, order, g_free);
}

gboolean
dmas_central_job_stranded (const DmasCentral *central, DmasJobId id)
{
  const CentralStable *st = &central->stable;
  if (st->state[id] == CENTRAL_JOB_PLACED)
    return !dmas_agent_is_up (central->sim->agents[st->placed_on[id]]);
  if (st->state[id] != CENTRAL_JOB_PENDING)
    return FALSE;
  for (guint i = 0; i < central->n_replicas; i++)
    if (g_hash_table_contains (central->replica[i].auctions, &id))
      return FALSE;
  return TRUE;
}

DmasCentral *
dmas_sim_central (const DmasSim *sim)
{
  return sim->central;
}
