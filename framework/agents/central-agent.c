/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The agents' side of centralized mode: queue what the controller sends, report back. */
#include "config.h"

#include "agents/central-private.h"
#include "agents/sched_msg.h"
#include "world/events.h"

static CentralAgentSide *
side_of (DmasAgent *agent)
{
  return &agent->sim->central->agents[agent->id];
}

/* Sends `type` with `body` to the controller the agent believes in charge, or to every
 * replica when it does not know (after its own restart). */
static void
send_to_controller (DmasAgent *agent, guint32 type, const guint8 *body, gsize len)
{
  DmasSim *sim = agent->sim;
  DmasCentral *central = sim->central;
  const CentralAgentSide *side = side_of (agent);
  if (side->controller != DMAS_AGENT_NONE)
    {
      dmas_network_send (sim->network, agent->id, side->controller, DMAS_NET_HOST, type, body,
                         len);
      return;
    }
  for (guint i = 0; i < central->n_replicas; i++)
    dmas_network_send (sim->network, agent->id, central->replica[i].endpoint, DMAS_NET_HOST,
                       type, body, len);
}

/* A report of the agent's queue; a full one (answering HELLO `generation`) lists the jobs
 * it holds, queued or running. */
static void
send_report (DmasAgent *agent, DmasAgentId to, guint32 generation)
{
  DmasSim *sim = agent->sim;
  CentralAgentSide *side = side_of (agent);
  g_autoptr (GPtrArray) held = g_ptr_array_new ();
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (DmasJobId));
  if (generation != 0)
    {
      dmas_localq_collect (agent->queue, held);
      for (guint i = 0; i < held->len; i++)
        g_array_append_val (ids, ((const DmasJob *) held->pdata[i])->id);
    }
  const CentralStatus status = {
    .incarnation = agent->incarnation,
    .free_nodes = dmas_localq_free_nodes (agent->queue),
    .queued = dmas_localq_n_queued (agent->queue),
    .running = dmas_localq_n_running (agent->queue),
    .used_cores = dmas_localq_used_cores (agent->queue),
    .first_seq = side->first_seq,
    .generation = generation,
    .n_held = ids->len,
  };
  g_autoptr (GByteArray) body = g_byte_array_new ();
  dmas_central_encode_status (&status, (const DmasJobId *) (gpointer) ids->data, body);
  side->reported = dmas_engine_now (sim->engine);
  if (to != DMAS_AGENT_NONE)
    dmas_network_send (sim->network, agent->id, to, DMAS_NET_HOST, DMAS_SCHED_STATUS, body->data,
                       body->len);
  else
    send_to_controller (agent, DMAS_SCHED_STATUS, body->data, body->len);
}

void
dmas_central_agent_report (DmasAgent *agent)
{
  send_report (agent, DMAS_AGENT_NONE, 0);
}

void
dmas_central_agent_finished (DmasAgent *agent, const guint8 *finish_body, gsize len)
{
  send_to_controller (agent, DMAS_SCHED_FINISH, finish_body, len);
}

/* ---- periodic reports (heartbeat.enabled) ---- */

static gboolean
some_controller_up (const DmasCentral *central)
{
  for (guint i = 0; i < central->n_replicas; i++)
    if (central->replica[i].up)
      return TRUE;
  return FALSE;
}

static void on_report_timer (DmasEngine *engine, gpointer data);

static void
arm_report (CentralAgentSide *side)
{
  DmasSim *sim = side->central->sim;
  if (!sim->config->heartbeat.enabled || side->report_timer != 0 || side->central->stopped)
    return;
  /* After a pause (no controller up) the next report is due at once, not in the past. */
  const DmasTime due = MAX (dmas_engine_now (sim->engine),
                            side->reported + sim->config->heartbeat.period);
  side->report_timer = dmas_engine_schedule (sim->engine, due, DMAS_EV_TIMER,
                                             DMAS_WEV_HEARTBEAT, side->id, on_report_timer, side,
                                             NULL);
}

/* At least one report every heartbeat.period: the change reports count, so a busy agent
 * sends no extra one.  While no controller is up the reports would all be dropped; they
 * pause (a restarting controller resumes them) so that a run whose controller never comes
 * back still ends. */
static void
on_report_timer (DmasEngine *engine, gpointer data)
{
  CentralAgentSide *side = data;
  DmasSim *sim = side->central->sim;
  DmasAgent *agent = sim->agents[side->id];
  side->report_timer = 0;
  if (!agent->up || dmas_sim_work_settled (sim) || !some_controller_up (side->central))
    return;
  if (dmas_engine_now (engine) >= side->reported + sim->config->heartbeat.period)
    dmas_central_agent_report (agent);
  arm_report (side);
}

void
dmas_central_agents_resume_reports (DmasCentral *central)
{
  for (DmasAgentId a = 0; a < central->sim->n_agents; a++)
    if (central->sim->agents[a]->up)
      arm_report (&central->agents[a]);
}

/* ---- the controller's messages ---- */

static void
on_dispatch (DmasAgent *agent, const guint8 *body, gsize len)
{
  DmasSim *sim = agent->sim;
  CentralAgentSide *side = side_of (agent);
  DmasJob copy;
  guint32 seq, generation;
  if (!dmas_central_decode_dispatch (body, len, &copy, &seq, &generation) || copy.id < 1
      || copy.id > sim->workload->n_jobs)
    {
      dmas_sim_log (sim, agent->id, "malformed dispatch dropped");
      return;
    }
  const DmasJobId id = copy.id;
  const DmasJob *job = &sim->workload->jobs[id - 1];
  if (side->first_seq == 0)
    side->first_seq = seq;
  guint8 *flags = &agent->jobs[id];
  if ((*flags & DMAS_AGENT_JOB_QUEUED) && !(*flags & DMAS_AGENT_JOB_ENDED))
    return; /* it holds the job already */
  *flags &= (guint8) ~(DMAS_AGENT_JOB_ENDED | DMAS_AGENT_JOB_FINISHED);
  *flags |= DMAS_AGENT_JOB_LEARNT | DMAS_AGENT_JOB_QUEUED;

  DmasJobRecord *record = dmas_metrics_job (sim->metrics, id);
  const DmasTime now = dmas_engine_now (sim->engine);
  if (record->decided == DMAS_TIME_NONE)
    {
      /* The decision is known at the winner when the dispatch arrives. */
      record->decided = now;
      DmasTime latency = now - (record->accepted != DMAS_TIME_NONE ? record->accepted
                                                                  : job->submit);
      g_array_append_val (sim->metrics->decision_latency, latency);
    }
  if (record->state == DMAS_JOB_SUBMITTED)
    record->state = DMAS_JOB_QUEUED;
  dmas_recovery_job_queued (agent, id);
  g_autoptr (GError) error = NULL;
  if (!dmas_localq_submit (agent->queue, job, &error))
    {
      g_free (record->reason);
      record->reason = g_strdup (error->message);
      dmas_sim_log (sim, agent->id, "cannot queue the job it was sent: %s", error->message);
    }
}

static void
on_hello (DmasAgent *agent, const DmasEnvelope *env, const guint8 *body)
{
  CentralAgentSide *side = side_of (agent);
  guint32 generation, replica;
  if (!dmas_central_decode_hello (body, env->len, &generation, &replica))
    return;
  if (generation < side->generation)
    return; /* from a controller that has since been replaced */
  side->generation = generation;
  side->controller = env->src;
  send_report (agent, env->src, generation);
}

void
dmas_central_agent_deliver (DmasAgent *agent, const DmasEnvelope *env, const guint8 *body)
{
  if (env->type == DMAS_SCHED_DISPATCH)
    on_dispatch (agent, body, env->len);
  else if (env->type == DMAS_SCHED_HELLO)
    on_hello (agent, env, body);
  else
    dmas_sim_log (agent->sim, agent->id, "unexpected controller message type %u dropped",
                  env->type);
}

/* ---- crash and restart ---- */

void
dmas_central_agent_down (DmasAgent *agent)
{
  CentralAgentSide *side = side_of (agent);
  if (side->report_timer != 0)
    dmas_engine_cancel (agent->sim->engine, side->report_timer);
  side->report_timer = 0;
  side->controller = DMAS_AGENT_NONE;
  side->generation = 0;
  side->first_seq = 0;
}

void
dmas_central_agent_up (DmasAgent *agent)
{
  CentralAgentSide *side = side_of (agent);
  side->controller = DMAS_AGENT_NONE;
  side->generation = 0;
  side->first_seq = 0;
  /* It does not know who is in charge: it tells every replica it is back (its incarnation
   * went up), and the one in charge resynchronises it. */
  dmas_central_agent_report (agent);
  arm_report (side);
}

void
dmas_central_agent_start (DmasAgent *agent)
{
  CentralAgentSide *side = side_of (agent);
  side->reported = 0;
  arm_report (side);
}
