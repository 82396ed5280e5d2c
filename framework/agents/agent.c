/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A resource agent in distributed mode: announce, bid, propose, act on decisions, run jobs. */
#include "config.h"

#include <math.h>

#include "agents/agent.h"
#include "agents/sched_msg.h"
#include "agents/sim-private.h"

static void on_job_started (gpointer user_data, const DmasJob *job, DmasTime start);
static void on_job_finished (gpointer user_data, const DmasJob *job, DmasTime start,
                             DmasTime end, gboolean killed);

static const DmasLocalQueueHooks queue_hooks = {
  .started = on_job_started,
  .finished = on_job_finished,
};

DmasAgent *
dmas_agent_new (DmasSim *sim, DmasAgentId id, GError **error)
{
  DmasAgent *agent = g_new0 (DmasAgent, 1);
  agent->sim = sim;
  agent->id = id;
  agent->cluster = dmas_platform_cluster (sim->platform, id);
  agent->queue = dmas_localq_new (sim->engine, id, sim->local_policy, agent->cluster->nodes,
                                  agent->cluster->speed, &queue_hooks, agent);
  agent->jobs = g_new0 (guint8, (gsize) sim->workload->n_jobs + 1);
  agent->decided = g_new (DmasAgentId, (gsize) sim->workload->n_jobs + 1);
  for (guint i = 0; i <= sim->workload->n_jobs; i++)
    agent->decided[i] = DMAS_AGENT_NONE;

  agent->bidding = dmas_host_ctx_new (sim, agent, sim->bidding, sim->bidding_params);
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
  dmas_host_ctx_free (agent->consensus);
  dmas_host_ctx_free (agent->bidding);
  dmas_localq_free (agent->queue);
  g_free (agent->jobs);
  g_free (agent->decided);
  g_free (agent);
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
  const DmasJob *job = &sim->workload->jobs[id - 1];
  const DmasSlot slot = { .job = id, .epoch = 0, .home = job->home };
  const DmasBid bid = { .job = id, .agent = agent->id, .score = score };

  agent->jobs[id] |= DMAS_AGENT_JOB_PROPOSED;
  int status = dmas_consensus_propose (agent->consensus, &slot, &bid);
  if (status < 0)
    dmas_sim_log (sim, agent->id, "%s: propose(job %" G_GUINT64_FORMAT ") failed with %d",
                  dmas_host_ctx_name (agent->consensus), id, status);
}

/* The bid the agent stands by.  A score that is not a number or below 0 becomes 0, and so
 * does any score for a job the cluster can never fit: the host will not let an agent win
 * work it cannot run, whatever its bidder says (the bidder's contract, enforced). */
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
  if (score > 0.0 && !dmas_cluster_fits (agent->cluster, job))
    {
      dmas_sim_log (agent->sim, agent->id, "%s: bid %g for job %" G_GUINT64_FORMAT
                    " that the cluster cannot fit; bidding 0",
                    dmas_host_ctx_name (agent->bidding), score, job->id);
      return 0.0;
    }
  return score;
}

/* The agent learns of `job` (as the announcement described it): bids, then proposes. */
static void
learn (DmasAgent *agent, const DmasJob *job)
{
  if (agent->jobs[job->id] & DMAS_AGENT_JOB_LEARNT)
    return;
  agent->jobs[job->id] |= DMAS_AGENT_JOB_LEARNT;

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
  propose (agent, job->id, checked_score (agent, job, bid.score));
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
  record->state = DMAS_JOB_SUBMITTED;

  if (!dmas_sim_job_feasible (sim, job))
    {
      record->state = DMAS_JOB_REJECTED;
      record->reason = g_strdup_printf ("no cluster fits %u node(s) of %u cores, %.6g GB, "
                                        "%u GPUs",
                                        job->nodes, job->cores, job->memory_gb, job->gpus);
      dmas_sim_log (sim, agent->id, "job %" G_GUINT64_FORMAT " rejected at submission: %s",
                    job->id, record->reason);
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
  /* The agent's view of the assignment log; the failure detector and recovery (later) read
   * it to know which jobs are settled. */
  agent->jobs[msg->job] |= DMAS_AGENT_JOB_FINISHED;
}

void
dmas_agent_deliver (DmasAgent *agent, const DmasEnvelope *env, const guint8 *body)
{
  DmasSim *sim = agent->sim;
  if (env->channel == DMAS_KIND_CONSENSUS)
    {
      int status = dmas_consensus_on_message (agent->consensus, env->src, env->type, body,
                                              env->len);
      if (status < 0)
        dmas_sim_log (sim, agent->id, "%s: on_message(type %u from %u) failed with %d",
                      dmas_host_ctx_name (agent->consensus), env->type, env->src, status);
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
  else
    dmas_sim_log (sim, agent->id, "malformed host message (type %u, %u bytes) from %u dropped",
                  env->type, env->len, env->src);
}

/* ---- decisions ---- */

/* The safety checker: every decision of the slot is compared with the first one. */
static void
check_agreement (DmasAgent *agent, DmasJobId id, DmasAgentId winner)
{
  DmasSim *sim = agent->sim;
  DmasAgentId *first = &sim->first_winner[id - 1];
  guint8 *flags = &sim->slot_flags[id - 1];
  if (!(*flags & DMAS_SLOT_DECIDED))
    {
      *flags |= DMAS_SLOT_DECIDED;
      *first = winner;
      sim->metrics->decisions++;
      return;
    }
  if (winner != *first && !(*flags & DMAS_SLOT_VIOLATED))
    {
      *flags |= DMAS_SLOT_VIOLATED;
      sim->metrics->safety_violations++;
      dmas_sim_log (sim, agent->id, "SAFETY: job %" G_GUINT64_FORMAT " decided for %d here, "
                    "for %d elsewhere", id, (gint) winner, (gint) *first);
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

  if (agent->jobs[id] & DMAS_AGENT_JOB_DECIDED)
    {
      if (agent->decided[id] == winner)
        return DMAS_OK;
      check_agreement (agent, id, winner);
      return DMAS_ESTATE;
    }
  agent->jobs[id] |= DMAS_AGENT_JOB_DECIDED;
  agent->decided[id] = winner;
  check_agreement (agent, id, winner);

  DmasJobRecord *record = record_of (agent, id);
  if (winner == DMAS_AGENT_NONE)
    {
      if (record->state == DMAS_JOB_SUBMITTED)
        {
          record->state = DMAS_JOB_REJECTED;
          record->reason = g_strdup ("no agent bid above 0");
          dmas_sim_log (sim, agent->id, "job %" G_GUINT64_FORMAT " rejected: no agent bid above 0",
                        id);
        }
      return DMAS_OK;
    }
  if (winner != agent->id)
    return DMAS_OK;

  const DmasTime now = dmas_engine_now (sim->engine);
  const DmasJob *job = &sim->workload->jobs[id - 1];
  if (record->decided == DMAS_TIME_NONE)
    {
      record->decided = now;
      /* The announcement left the home at the submit time. */
      DmasTime latency = now - job->submit;
      g_array_append_val (sim->metrics->decision_latency, latency);
    }
  if (agent->jobs[id] & DMAS_AGENT_JOB_QUEUED)
    return DMAS_OK;
  agent->jobs[id] |= DMAS_AGENT_JOB_QUEUED;
  if (record->state == DMAS_JOB_SUBMITTED)
    record->state = DMAS_JOB_QUEUED;

  g_autoptr (GError) error = NULL;
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
  DmasJobRecord *record = record_of (agent, job->id);
  record->starts++;
  if (record->starts > 1)
    {
      agent->sim->metrics->duplicate_executions++;
      dmas_sim_log (agent->sim, agent->id, "job %" G_GUINT64_FORMAT " started again (run %u)",
                    job->id, record->starts);
      return;
    }
  record->start = start;
  record->agent = agent->id;
  record->state = DMAS_JOB_RUNNING;
}

static void
on_job_finished (gpointer user_data, const DmasJob *job, DmasTime start, DmasTime end,
                 gboolean killed)
{
  DmasAgent *agent = user_data;
  DmasSim *sim = agent->sim;
  DmasJobRecord *record = record_of (agent, job->id);
  /* Only the first execution is the job's record; a duplicate only counts as one. */
  if (record->agent == agent->id && record->start == start && record->end == DMAS_TIME_NONE)
    {
      record->end = end;
      record->state = killed ? DMAS_JOB_KILLED : DMAS_JOB_COMPLETED;
    }
  agent->jobs[job->id] |= DMAS_AGENT_JOB_FINISHED;
  dmas_bidding_job_finished (agent->bidding, job, start, end);

  const DmasSchedFinish msg = {
    .job = job->id, .agent = agent->id, .killed = killed, .start = start, .end = end,
  };
  guint8 body[DMAS_SCHED_FINISH_LEN];
  dmas_sched_encode_finish (&msg, body);
  for (DmasAgentId to = 0; to < sim->n_agents; to++)
    if (to != agent->id)
      dmas_network_send (sim->network, agent->id, to, DMAS_NET_HOST, DMAS_SCHED_FINISH, body,
                         sizeof body);
}
