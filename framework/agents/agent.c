/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A resource agent in distributed mode: announce, bid, propose, act on decisions, run jobs. */
#include "config.h"

#include <math.h>

#include "agents/agent.h"
#include "agents/byzantine-hooks.h"
#include "agents/detector.h"
#include "agents/recovery.h"
#include "agents/sched_msg.h"
#include "agents/sim-private.h"

static void on_job_started (gpointer user_data, const DmasJob *job, DmasTime start);
static void on_job_finished (gpointer user_data, const DmasJob *job, DmasTime start,
                             DmasTime end, gboolean killed);

static void on_queue_settled (gpointer user_data);

static const DmasLocalQueueHooks queue_hooks = {
  .started = on_job_started,
  .finished = on_job_finished,
  .settled = on_queue_settled,
};

/* The volatile assignment log, as at the start of the run or after a crash. */
static void
wipe_log (DmasAgent *agent)
{
  for (guint i = 0; i <= agent->sim->workload->n_jobs; i++)
    {
      agent->jobs[i] = 0;
      agent->decided[i] = DMAS_AGENT_NONE;
      agent->epoch[i] = 0;
      agent->slot_home[i] = DMAS_AGENT_NONE;
      agent->holder[i] = DMAS_AGENT_NONE;
      agent->holder_inc[i] = DMAS_INCARNATION_UNKNOWN;
      agent->opened_at[i] = DMAS_TIME_NONE;
    }
  memset (agent->distrusted, 0, agent->sim->n_agents);
}

DmasAgent *
dmas_agent_new (DmasSim *sim, DmasAgentId id, GError **error)
{
  DmasAgent *agent = g_new0 (DmasAgent, 1);
  agent->sim = sim;
  agent->id = id;
  agent->cluster = dmas_platform_cluster (sim->platform, id);
  agent->queue = dmas_localq_new (sim->engine, id, sim->local_policy, agent->cluster->nodes,
                                  agent->cluster->speed, &queue_hooks, agent);
  gsize n = (gsize) sim->workload->n_jobs + 1;
  agent->jobs = g_new0 (guint8, n);
  agent->distrusted = g_new0 (guint8, sim->n_agents);
  agent->decided = g_new (DmasAgentId, n);
  agent->epoch = g_new (guint32, n);
  agent->slot_home = g_new (DmasAgentId, n);
  agent->holder = g_new (DmasAgentId, n);
  agent->holder_inc = g_new (guint32, n);
  agent->opened_at = g_new (DmasTime, n);
  agent->up = TRUE;
  wipe_log (agent);
  for (gint kind = DMAS_KIND_BIDDING; kind <= DMAS_KIND_CONSENSUS; kind++)
    agent->storage[kind] = dmas_storage_new ();

  /* Centralized mode: the controller bids for every cluster, and nobody runs consensus; the
   * agent only runs what it is sent. */
  if (g_strcmp0 (sim->config->scheduling.mode, "centralized") == 0)
    return agent;
  agent->bidding = dmas_sim_bidding_ctx_new (sim, agent);
  agent->consensus = dmas_host_ctx_new (sim, agent, sim->consensus, sim->consensus_params);
  if (!dmas_bidding_create (agent->bidding, error)
      || !dmas_consensus_create (agent->consensus, error))
    {
      dmas_agent_free (agent);
      return NULL;
    }
  return agent;
}

void
dmas_agent_free (DmasAgent *agent)
{
  if (agent == NULL)
    return;
  dmas_byz_agent_free (agent->byz);
  dmas_host_ctx_free (agent->consensus);
  dmas_host_ctx_free (agent->bidding);
  dmas_localq_free (agent->queue);
  g_free (agent->jobs);
  g_free (agent->distrusted);
  g_free (agent->decided);
  g_free (agent->epoch);
  g_free (agent->slot_home);
  g_free (agent->holder);
  g_free (agent->holder_inc);
  g_free (agent->opened_at);
  for (guint kind = 0; kind < G_N_ELEMENTS (agent->storage); kind++)
    dmas_storage_free (agent->storage[kind]);
  g_free (agent);
}

DmasStorage *
dmas_agent_storage (DmasAgent *agent, DmasKind kind)
{
  g_return_val_if_fail (kind == DMAS_KIND_BIDDING || kind == DMAS_KIND_CONSENSUS, NULL);
  return agent->storage[kind];
}

static DmasJobRecord *
record_of (DmasAgent *agent, DmasJobId id)
{
  return dmas_metrics_job (agent->sim->metrics, id);
}

static gboolean
job_id_valid (const DmasAgent *agent, DmasJobId id)
{
  return id >= 1 && id <= agent->sim->workload->n_jobs;
}

/* ---- bidding and proposing ---- */

static void
fill_view (const DmasAgent *agent, DmasClusterView *view)
{
  *view = (DmasClusterView){
    .agent = agent->id,
    .type = agent->cluster->type,
    .nodes = agent->cluster->nodes,
    .cores_per_node = agent->cluster->cores,
    .memory_gb_per_node = agent->cluster->memory_gb,
    .gpus_per_node = agent->cluster->gpus,
    .speed = agent->cluster->speed,
    .free_nodes = dmas_localq_free_nodes (agent->queue),
    .queued_jobs = dmas_localq_n_queued (agent->queue),
    .running_jobs = dmas_localq_n_running (agent->queue),
    .used_cores = dmas_localq_used_cores (agent->queue),
  };
}

static void
propose (DmasAgent *agent, DmasJobId id, gdouble score)
{
  DmasSim *sim = agent->sim;
  const DmasSlot slot = { .job = id, .epoch = agent->epoch[id], .home = agent->slot_home[id] };
  /* Inflate and hijack lie here, past checked_score: the lie is a bid the agent signs. */
  score = dmas_byz_score (agent, score);
  const DmasBid bid = { .job = id, .agent = agent->id, .score = score };

  agent->jobs[id] |= DMAS_AGENT_JOB_PROPOSED;
  dmas_bidlog_record (sim->bids, id, slot.epoch, agent->id, score);
  if (sim->observer != NULL && sim->observer->bid != NULL)
    sim->observer->bid (sim->observer_data, dmas_engine_now (sim->engine), &slot, &bid);
  int status = dmas_consensus_propose (agent->consensus, &slot, &bid);
  if (status < 0)
    dmas_sim_log (sim, agent->id, "%s: propose(job %" G_GUINT64_FORMAT ") failed with %d",
                  dmas_host_ctx_name (agent->consensus), id, status);
  dmas_byz_twin_propose (agent, &slot, &bid);
}

/* The bid the agent stands by.  A score that is not a number or below 0 becomes 0, and so
 * does any score for a job the cluster can never fit: the host will not let a correct agent
 * win work it cannot run, whatever its bidder says (the bidder's contract, enforced).  A
 * Byzantine agent's claims are its own lies to sign. */
static gdouble
checked_score (DmasAgent *agent, const DmasJob *job, gdouble score)
{
  if (isnan (score) || score < 0.0)
    {
      dmas_sim_log (agent->sim, agent->id, "%s: bid for job %" G_GUINT64_FORMAT
                    " is not a score >= 0; bidding 0", dmas_host_ctx_name (agent->bidding),
                    job->id);
      return 0.0;
    }
  /* A Byzantine agent trusts its (compromised) bidder: its claims go out unchecked and the
   * protocol has to cope (api->bid_plausible). */
  if (!dmas_sim_agent_correct (agent->sim, agent->id))
    return score;
  if (score > 0.0 && !dmas_cluster_fits (agent->cluster, job))
    {
      dmas_sim_log (agent->sim, agent->id, "%s: bid %g for job %" G_GUINT64_FORMAT
                    " that the cluster cannot fit; bidding 0",
                    dmas_host_ctx_name (agent->bidding), score, job->id);
      return 0.0;
    }
  return score;
}

/* `peer`'s incarnation as `agent` knows it now. */
static guint32
incarnation_of (const DmasAgent *agent, DmasAgentId peer)
{
  if (peer == agent->id)
    return agent->incarnation;
  return dmas_detector_incarnation (agent->sim->detector, agent->id, peer);
}

/* Slot (id, epoch), opened at `opened` (DMAS_TIME_NONE: not known yet), replaces whatever the
 * agent knew of the job's older slots. */
static void
adopt_epoch (DmasAgent *agent, DmasJobId id, guint32 epoch, DmasAgentId home, DmasTime opened)
{
  const guint8 slot_flags = DMAS_AGENT_JOB_LEARNT | DMAS_AGENT_JOB_BID_PENDING
                            | DMAS_AGENT_JOB_PROPOSED | DMAS_AGENT_JOB_DECIDED;
  agent->jobs[id] &= (guint8) ~slot_flags;
  agent->epoch[id] = epoch;
  agent->decided[id] = DMAS_AGENT_NONE;
  agent->slot_home[id] = home;
  agent->holder[id] = home;
  agent->holder_inc[id] = incarnation_of (agent, home);
  agent->opened_at[id] = opened;
}

/* The agent learns of `job` (as the announcement described it): bids, then proposes. */
static void
learn (DmasAgent *agent, const DmasJob *job)
{
  if (agent->jobs[job->id] & DMAS_AGENT_JOB_LEARNT)
    return;
  agent->jobs[job->id] |= DMAS_AGENT_JOB_LEARNT;
  if (agent->slot_home[job->id] == DMAS_AGENT_NONE)
    {
      /* Epoch 0, announced by the job's home; a decision that overtook the announcement
       * already named the holder. */
      agent->slot_home[job->id] = job->home;
      agent->opened_at[job->id] = job->submit;
      if (!(agent->jobs[job->id] & DMAS_AGENT_JOB_DECIDED))
        {
          agent->holder[job->id] = job->home;
          agent->holder_inc[job->id] = incarnation_of (agent, job->home);
        }
    }

  DmasClusterView view;
  fill_view (agent, &view);
  DmasBid bid = { .job = job->id, .agent = agent->id, .score = 0.0 };
  DmasError err = { 0 };
  int status = dmas_bidding_bid (agent->bidding, job, &view, &bid, &err);
  if (status == DMAS_PENDING)
    {
      agent->jobs[job->id] |= DMAS_AGENT_JOB_BID_PENDING;
      return;
    }
  if (status < 0)
    {
      dmas_sim_log (agent->sim, agent->id, "%s: bid(job %" G_GUINT64_FORMAT ") failed (%d: %s); "
                    "bidding 0", dmas_host_ctx_name (agent->bidding), job->id, status,
                    err.message);
      bid.score = 0.0;
    }
  /* A job this agent knows has ended (a late re-announcement) is not worth running again. */
  if (agent->jobs[job->id] & DMAS_AGENT_JOB_FINISHED)
    bid.score = 0.0;
  propose (agent, job->id, checked_score (agent, job, bid.score));
}

void
dmas_agent_learn_slot (DmasAgent *agent, const DmasJob *job, guint32 epoch, DmasAgentId home,
                       DmasTime opened)
{
  if (!agent->up || epoch < agent->epoch[job->id])
    return;
  if (epoch > agent->epoch[job->id] || agent->slot_home[job->id] == DMAS_AGENT_NONE)
    adopt_epoch (agent, job->id, epoch, home, opened);
  else
    agent->opened_at[job->id] = opened; /* its decision came first */
  learn (agent, job);
}

int
dmas_agent_bid_ready (DmasAgent *agent, const DmasBid *bid)
{
  if (!job_id_valid (agent, bid->job))
    return DMAS_ENOENT;
  if (!(agent->jobs[bid->job] & DMAS_AGENT_JOB_BID_PENDING))
    return DMAS_ESTATE;
  agent->jobs[bid->job] &= (guint8) ~DMAS_AGENT_JOB_BID_PENDING;
  const DmasJob *job = &agent->sim->workload->jobs[bid->job - 1];
  propose (agent, bid->job, checked_score (agent, job, bid->score));
  return DMAS_OK;
}

/* ---- submission and the host's messages ---- */

void
dmas_agent_submit (DmasAgent *agent, const DmasJob *job)
{
  DmasSim *sim = agent->sim;
  DmasJobRecord *record = record_of (agent, job->id);
  /* A client's retry may reach an agent that never learnt of the job while another agent
   * already accepted it (its acknowledgement or announcement was lost): the job keeps the
   * state it has reached — a settled job must not become pending again. */
  if (record->state == DMAS_JOB_UNSUBMITTED)
    record->state = DMAS_JOB_SUBMITTED;

  if (!agent->up)
    {
      /* Nobody answers: the job is never announced.  (Clients that retry elsewhere are the
       * client's business; here the submission is lost and counted in jobs_lost.) */
      g_autofree gchar *reason = g_strdup_printf ("home agent %u was down at submission",
                                                  agent->id);
      dmas_recovery_give_up (sim, job->id, reason);
      return;
    }
  if (!dmas_sim_job_feasible (sim, job))
    {
      record->state = DMAS_JOB_REJECTED;
      record->reason = g_strdup_printf ("no cluster fits %u node(s) of %u cores, %.6g GB, "
                                        "%u GPUs",
                                        job->nodes, job->cores, job->memory_gb, job->gpus);
      dmas_sim_log (sim, agent->id, "job %" G_GUINT64_FORMAT " rejected at submission: %s",
                    job->id, record->reason);
      dmas_recovery_settle (sim, job->id);
      return;
    }

  /* Announce before acting on it here: the home's own consensus traffic then follows the
   * announcement on every link, as it would on a real FIFO network. */
  guint8 body[DMAS_SCHED_ANNOUNCE_LEN];
  dmas_sched_encode_announce (job, body);
  for (DmasAgentId to = 0; to < sim->n_agents; to++)
    if (to != agent->id)
      dmas_network_send (sim->network, agent->id, to, DMAS_NET_HOST, DMAS_SCHED_ANNOUNCE, body,
                         sizeof body);
  learn (agent, job);
}

static void
on_finish_message (DmasAgent *agent, const DmasSchedFinish *msg)
{
  if (!job_id_valid (agent, msg->job))
    return;
  /* The agent's view of the assignment log: the recovery never re-announces a job known to
   * be done. */
  agent->jobs[msg->job] |= DMAS_AGENT_JOB_FINISHED;
}

void
dmas_agent_deliver (DmasAgent *agent, const DmasEnvelope *env, const guint8 *body)
{
  DmasSim *sim = agent->sim;
  const gboolean heartbeat = env->channel == DMAS_NET_HOST && env->type == DMAS_SCHED_HEARTBEAT;
  if (heartbeat)
    dmas_detector_deliver (sim->detector, agent->id, env->src, body, env->len, agent->up);
  if (!agent->up)
    {
      sim->metrics->msgs_dropped_down++;
      return;
    }
  if (heartbeat)
    return;
  if (env->channel == DMAS_NET_HOST && env->type == DMAS_SCHED_SUBMIT)
    {
      /* From the clients; in centralized mode they only ever talk to the controller. */
      if (sim->central == NULL)
        dmas_clients_agent_receive (agent, body, env->len);
      return;
    }
  if (env->channel == DMAS_NET_HOST && sim->central != NULL
      && (env->type == DMAS_SCHED_DISPATCH || env->type == DMAS_SCHED_HELLO))
    {
      dmas_central_agent_deliver (agent, env, body);
      return;
    }
  if (env->channel == DMAS_KIND_CONSENSUS)
    {
      /* An equivocating agent's twin B hears half B of the network. */
      DmasHostCtx *to = dmas_byz_route (agent, env->src);
      int status = dmas_consensus_on_message (to, env->src, env->type, body, env->len);
      if (status < 0)
        dmas_sim_log (sim, agent->id, "%s: on_message(type %u from %u) failed with %d",
                      dmas_host_ctx_name (to), env->type, env->src, status);
      return;
    }
  if (env->channel != DMAS_NET_HOST)
    return;

  DmasJob job;
  DmasSchedFinish finish;
  if (env->type == DMAS_SCHED_ANNOUNCE && dmas_sched_decode_announce (body, env->len, &job)
      && job_id_valid (agent, job.id))
    learn (agent, &job);
  else if (env->type == DMAS_SCHED_FINISH && dmas_sched_decode_finish (body, env->len, &finish))
    on_finish_message (agent, &finish);
  else if (env->type == DMAS_SCHED_RECOVER)
    dmas_recovery_deliver (agent, env->src, body, env->len);
  else
    dmas_sim_log (sim, agent->id, "malformed host message (type %u, %u bytes) from %u dropped",
                  env->type, env->len, env->src);
}

/* ---- decisions ---- */

/* Validity: a slot decided for a winner must be decided for a bid that winner placed, above
 * 0, with that very score; the host knows every bid (it computed them). */
static void
check_validity (DmasAgent *agent, const DmasSlot *slot, DmasAgentId winner, gdouble score,
                guint8 *flags)
{
  DmasSim *sim = agent->sim;
  if (winner == DMAS_AGENT_NONE || (*flags & DMAS_SLOT_INVALID)
      || dmas_bidlog_placed (sim->bids, slot->job, slot->epoch, winner, score))
    return;
  *flags |= DMAS_SLOT_INVALID;
  sim->metrics->validity_violations++;
  dmas_sim_log_at (sim, G_LOG_LEVEL_MESSAGE, agent->id, "VALIDITY: job %" G_GUINT64_FORMAT
                   " epoch %u decided for agent %u with score %g, a bid it never placed",
                   slot->job, slot->epoch, winner, score);
}

/* The safety checker: every decision of the slot is compared with the first one, and its
 * winner with the bids placed.  Only correct agents' decisions count: a Byzantine agent may
 * decide anything. */
static void
check_agreement (DmasAgent *agent, const DmasSlot *slot, DmasAgentId winner, gdouble score)
{
  DmasSim *sim = agent->sim;
  const DmasJobId id = slot->job;
  const guint32 epoch = slot->epoch;
  DmasAgentId *first;
  guint8 *flags;
  if (!dmas_sim_agent_correct (sim, agent->id))
    return;
  dmas_recovery_slot (sim, id, epoch, &first, &flags);
  check_validity (agent, slot, winner, score, flags);
  if (!(*flags & DMAS_SLOT_DECIDED))
    {
      *flags |= DMAS_SLOT_DECIDED;
      *first = winner;
      sim->metrics->decisions++;
      dmas_byz_note_decision (sim, id, winner);
      return;
    }
  if (winner != *first && !(*flags & DMAS_SLOT_VIOLATED))
    {
      *flags |= DMAS_SLOT_VIOLATED;
      sim->metrics->safety_violations++;
      dmas_sim_log (sim, agent->id, "SAFETY: job %" G_GUINT64_FORMAT " epoch %u decided for %d "
                    "here, for %d elsewhere", id, epoch, (gint) winner, (gint) *first);
    }
}

int
dmas_agent_decide (DmasAgent *agent, const DmasSlot *slot, const DmasBid *bid)
{
  DmasSim *sim = agent->sim;
  const DmasJobId id = slot->job;
  if (!job_id_valid (agent, id))
    return DMAS_ENOENT;
  if (bid->job != id)
    return DMAS_EINVAL;
  DmasAgentId winner = bid->agent;
  if (winner != DMAS_AGENT_NONE && winner >= sim->n_agents)
    return DMAS_EINVAL;
  /* Score 0 means "cannot run this job": a slot won with 0 has no winner at all. */
  if (!(bid->score > 0.0))
    winner = DMAS_AGENT_NONE;
  if (sim->observer != NULL && sim->observer->decide != NULL)
    sim->observer->decide (sim->observer_data, dmas_engine_now (sim->engine), agent->id, slot,
                           bid);

  /* A decision for an older slot than the agent knows (its job was re-announced since) is
   * checked for agreement but not acted upon: the newer slot decides where the job goes. */
  const guint32 epoch = slot->epoch;
  if (epoch < agent->epoch[id])
    {
      check_agreement (agent, slot, winner, bid->score);
      return DMAS_OK;
    }
  if (epoch > agent->epoch[id])
    adopt_epoch (agent, id, epoch, slot->home, DMAS_TIME_NONE);

  if (agent->jobs[id] & DMAS_AGENT_JOB_DECIDED)
    {
      if (agent->decided[id] == winner)
        return DMAS_OK;
      check_agreement (agent, slot, winner, bid->score);
      return DMAS_ESTATE;
    }
  agent->jobs[id] |= DMAS_AGENT_JOB_DECIDED;
  if (epoch == 0 && agent->opened_at[id] == DMAS_TIME_NONE)
    agent->opened_at[id] = sim->workload->jobs[id - 1].submit; /* the decision came first */
  agent->decided[id] = winner;
  agent->holder[id] = winner;
  agent->holder_inc[id] = winner != DMAS_AGENT_NONE ? incarnation_of (agent, winner)
                                                    : DMAS_INCARNATION_UNKNOWN;
  check_agreement (agent, slot, winner, bid->score);

  DmasJobRecord *record = record_of (agent, id);
  if (winner == DMAS_AGENT_NONE)
    {
      dmas_recovery_no_winner (agent, id, epoch);
      return DMAS_OK;
    }
  if (winner != agent->id)
    {
      /* The winner may have failed already in this agent's view (the decision was in flight
       * when it crashed). */
      dmas_recovery_check_job (agent, id);
      return DMAS_OK;
    }

  const DmasTime now = dmas_engine_now (sim->engine);
  const DmasJob *job = &sim->workload->jobs[id - 1];
  if (record->decided == DMAS_TIME_NONE)
    {
      record->decided = now;
      /* From the home's announcement, sent when it accepted the client's submission. */
      DmasTime latency = now - (record->accepted != DMAS_TIME_NONE ? record->accepted
                                                                  : job->submit);
      g_array_append_val (sim->metrics->decision_latency, latency);
    }
  /* Held already (won an older slot too), or known to have ended: nothing to run. */
  if (agent->jobs[id] & (DMAS_AGENT_JOB_QUEUED | DMAS_AGENT_JOB_FINISHED))
    return DMAS_OK;
  /* A hijacker keeps what it won; an inflater cannot run what its cluster cannot fit. */
  if (dmas_byz_keeps_job (agent, job))
    return DMAS_OK;
  agent->jobs[id] |= DMAS_AGENT_JOB_QUEUED;
  if (record->state == DMAS_JOB_SUBMITTED)
    record->state = DMAS_JOB_QUEUED;

  g_autoptr (GError) error = NULL;
  dmas_recovery_job_queued (agent, id);
  if (!dmas_localq_submit (agent->queue, job, &error))
    {
      g_free (record->reason);
      record->reason = g_strdup (error->message);
      dmas_sim_log (sim, agent->id, "cannot queue the job it won: %s", error->message);
    }
  return DMAS_OK;
}

/* ---- running jobs ---- */

static void
on_job_started (gpointer user_data, const DmasJob *job, DmasTime start)
{
  DmasAgent *agent = user_data;
  DmasSim *sim = agent->sim;
  dmas_recovery_job_started (agent, job, start);
  if (sim->observer != NULL && sim->observer->job_started != NULL)
    sim->observer->job_started (sim->observer_data, start, job->id, agent->id);
}

static void
on_job_finished (gpointer user_data, const DmasJob *job, DmasTime start, DmasTime end,
                 gboolean killed)
{
  DmasAgent *agent = user_data;
  DmasSim *sim = agent->sim;
  if (dmas_recovery_job_ended (agent, job, start, end, killed) && !killed)
    dmas_byz_note_completion (sim, job->id);
  if (!killed && sim->observer != NULL && sim->observer->job_finished != NULL)
    sim->observer->job_finished (sim->observer_data, end, job->id, agent->id);
  if (agent->bidding != NULL)
    dmas_bidding_job_finished (agent->bidding, job, start, end);

  const DmasSchedFinish msg = {
    .job = job->id, .agent = agent->id, .killed = killed, .start = start, .end = end,
  };
  guint8 body[DMAS_SCHED_FINISH_LEN];
  dmas_sched_encode_finish (&msg, body);
  if (sim->central != NULL)
    {
      dmas_central_agent_finished (agent, body, sizeof body);
      return;
    }
  for (DmasAgentId to = 0; to < sim->n_agents; to++)
    if (to != agent->id)
      dmas_network_send (sim->network, agent->id, to, DMAS_NET_HOST, DMAS_SCHED_FINISH, body,
                         sizeof body);
}

static void
on_queue_settled (gpointer user_data)
{
  DmasAgent *agent = user_data;
  /* Centralized mode: the controller's view of the cluster follows every change. */
  if (agent->sim->central != NULL)
    dmas_central_agent_report (agent);
}

/* ---- crash and restart ---- */

gboolean
dmas_agent_is_up (const DmasAgent *agent)
{
  return agent->up;
}

/* Plugin contexts without an instance: what a down agent has.  Each context's random stream
 * is the engine's named one, so a restarted instance continues it rather than replaying it. */
static void
reset_contexts (DmasAgent *agent)
{
  DmasSim *sim = agent->sim;
  /* Destroying an instance runs its pending timers' free_fn once; none of them fires. */
  dmas_host_ctx_free (agent->consensus);
  dmas_host_ctx_free (agent->bidding);
  if (sim->central != NULL)
    return; /* no instances in centralized mode */
  agent->bidding = dmas_sim_bidding_ctx_new (sim, agent);
  agent->consensus = dmas_host_ctx_new (sim, agent, sim->consensus, sim->consensus_params);
}

void
dmas_agent_crash (DmasAgent *agent)
{
  DmasSim *sim = agent->sim;
  if (!agent->up)
    return;
  const DmasTime now = dmas_engine_now (sim->engine);
  dmas_sim_log_at (sim, G_LOG_LEVEL_DEBUG, agent->id, "crashes");
  agent->up = FALSE;
  dmas_metrics_agent_down (sim->metrics, agent->id, now);
  sim->n_up--;
  dmas_sim_service_update (sim);

  /* Its jobs first, while the log still says what it held. */
  dmas_recovery_agent_crashed (agent);
  dmas_detector_agent_down (sim->detector, agent->id);
  if (sim->central != NULL)
    dmas_central_agent_down (agent);
  dmas_byz_agent_crashed (agent);
  reset_contexts (agent);
  /* The queue's end events are cancelled without a hook: the executions simply stop. */
  dmas_localq_free (agent->queue);
  agent->queue = dmas_localq_new (sim->engine, agent->id, sim->local_policy,
                                  agent->cluster->nodes, agent->cluster->speed, &queue_hooks,
                                  agent);
  /* A degraded machine stays slow across a reboot (agents/degrade.c). */
  dmas_localq_set_slowdown (agent->queue, dmas_faults_slowdown (sim->faults, agent->id));
  wipe_log (agent);
}

void
dmas_agent_restart (DmasAgent *agent)
{
  DmasSim *sim = agent->sim;
  if (agent->up)
    return;
  const DmasTime now = dmas_engine_now (sim->engine);
  /* Up before create(): instances may talk to the host from create(). */
  agent->up = TRUE;
  agent->incarnation++;
  g_autoptr (GError) error = NULL;
  if (sim->central == NULL
      && (!dmas_bidding_create (agent->bidding, &error)
          || !dmas_consensus_create (agent->consensus, &error)))
    {
      dmas_sim_log_at (sim, G_LOG_LEVEL_MESSAGE, agent->id, "stays down: %s", error->message);
      agent->up = FALSE;
      reset_contexts (agent);
      return;
    }
  /* The new instances restored what their predecessors persisted (agent->storage, kept by
   * the crash) from create(), before anything is delivered to them; everything else starts
   * empty: log, cluster, timers. */
  dmas_sim_log_at (sim, G_LOG_LEVEL_DEBUG, agent->id, "restarts (incarnation %u)",
                   agent->incarnation);
  dmas_byz_agent_restarted (agent);
  dmas_metrics_agent_up (sim->metrics, agent->id, now);
  sim->n_up++;
  dmas_sim_service_update (sim);
  dmas_detector_agent_up (sim->detector, agent->id);
  if (sim->central != NULL)
    dmas_central_agent_up (agent);
}
