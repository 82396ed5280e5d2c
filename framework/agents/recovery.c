/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lost jobs and their recovery: losses, duplicates, the coordinator's re-announcements. */
#include "config.h"

#include <dmas/wire.h>

#include "agents/detector.h"
#include "agents/recovery.h"
#include "agents/sim-private.h"

enum {
  JOB_DONE = 1 << 0,     /* completed or killed once: the outcome is fixed */
  JOB_SETTLED = 1 << 1,  /* counted in sim->n_settled */
  JOB_STRANDED = 1 << 2, /* lost (or its open slot's home crashed) and not re-announced
                          * since, or given up */
  JOB_GAVE_UP = 1 << 3
};

/* The safety checker's record of a recovery slot; `key` is the hash key. */
typedef struct {
  guint64 key; /* id << 32 | epoch */
  DmasAgentId first_winner;
  guint8 flags;
} SlotRecord;

struct DmasRecovery {
  DmasSim *sim;
  guint n_jobs;
  /* Per job, index = id (0 unused). */
  guint8 *flags;
  guint32 *held;      /* agents holding it, queued or running */
  guint32 *running;   /* executions running now */
  DmasTime *lost_at;  /* start of the current loss, or DMAS_TIME_NONE */
  GHashTable *slots;  /* &SlotRecord.key → SlotRecord, epochs >= 1; looked up only */
};

DmasRecovery *
dmas_recovery_new (DmasSim *sim)
{
  DmasRecovery *r = g_new0 (DmasRecovery, 1);
  r->sim = sim;
  r->n_jobs = sim->workload->n_jobs;
  gsize n = (gsize) r->n_jobs + 1;
  r->flags = g_new0 (guint8, n);
  r->held = g_new0 (guint32, n);
  r->running = g_new0 (guint32, n);
  r->lost_at = g_new (DmasTime, n);
  for (gsize i = 0; i < n; i++)
    r->lost_at[i] = DMAS_TIME_NONE;
  r->slots = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  return r;
}

void
dmas_recovery_free (DmasRecovery *r)
{
  if (r == NULL)
    return;
  g_free (r->flags);
  g_free (r->held);
  g_free (r->running);
  g_free (r->lost_at);
  g_hash_table_unref (r->slots);
  g_free (r);
}

void
dmas_recovery_slot (DmasSim *sim, DmasJobId id, guint32 epoch, DmasAgentId **first_winner,
                    guint8 **flags)
{
  if (epoch == 0)
    {
      *first_winner = &sim->first_winner[id - 1];
      *flags = &sim->slot_flags[id - 1];
      return;
    }
  guint64 key = (id << 32) | epoch;
  SlotRecord *slot = g_hash_table_lookup (sim->recovery->slots, &key);
  if (slot == NULL)
    {
      slot = g_new0 (SlotRecord, 1);
      slot->key = key;
      slot->first_winner = DMAS_AGENT_NONE;
      g_hash_table_insert (sim->recovery->slots, &slot->key, slot);
    }
  *first_winner = &slot->first_winner;
  *flags = &slot->flags;
}

/* The counts below are kept by matched calls (queued/started/ended/crashed); a mismatch is a
 * host bug, reported rather than wrapped around to 2^32 - 1. */
static void
count_down (guint32 *count)
{
  g_warn_if_fail (*count > 0);
  if (*count > 0)
    (*count)--;
}

/* ---- settling ---- */

void
dmas_recovery_settle (DmasSim *sim, DmasJobId id)
{
  DmasRecovery *r = sim->recovery;
  if (r->flags[id] & JOB_SETTLED)
    return;
  r->flags[id] |= JOB_SETTLED;
  sim->n_settled++;
  if (!dmas_sim_work_settled (sim))
    return;
  /* Nothing left to watch over or to disturb: heartbeats and later faults would only
   * stretch a finished run. */
  dmas_detector_stop (sim->detector);
  if (sim->central != NULL)
    dmas_central_stop (sim->central);
  if (sim->faults != NULL)
    dmas_faults_stop (sim->faults);
}

void
dmas_recovery_give_up (DmasSim *sim, DmasJobId id, const gchar *reason)
{
  DmasRecovery *r = sim->recovery;
  DmasJobRecord *record = dmas_metrics_job (sim->metrics, id);
  r->flags[id] |= JOB_GAVE_UP | JOB_STRANDED;
  g_free (record->reason);
  record->reason = g_strdup (reason);
  dmas_sim_log (sim, DMAS_AGENT_NONE, "job %" G_GUINT64_FORMAT " given up: %s", id, reason);
  dmas_recovery_settle (sim, id);
}

gboolean
dmas_recovery_stranded (const DmasRecovery *r, DmasJobId id)
{
  if (r->flags[id] & JOB_STRANDED)
    return TRUE;
  /* Forgotten by every live agent (all that knew it crashed, logs wiped): nothing can ever
   * move it again.  Only crashes wipe logs, so a run without any stays fully diagnosed. */
  const DmasSim *sim = r->sim;
  if (sim->metrics->agent_failures == 0)
    return FALSE;
  for (guint a = 0; a < sim->n_agents; a++)
    if (sim->agents[a]->up && sim->agents[a]->jobs[id] != 0)
      return FALSE;
  return TRUE;
}

void
dmas_recovery_no_winner (DmasAgent *agent, DmasJobId id, guint32 epoch)
{
  DmasSim *sim = agent->sim;
  DmasRecovery *r = sim->recovery;
  DmasJobRecord *record = dmas_metrics_job (sim->metrics, id);
  if (record->state != DMAS_JOB_SUBMITTED || (r->flags[id] & (JOB_DONE | JOB_GAVE_UP)))
    return;
  if (epoch == 0 && r->lost_at[id] == DMAS_TIME_NONE)
    {
      record->state = DMAS_JOB_REJECTED;
      g_free (record->reason);
      record->reason = g_strdup ("no agent bid above 0");
      dmas_sim_log (sim, agent->id, "job %" G_GUINT64_FORMAT " rejected: no agent bid above 0",
                    id);
      dmas_recovery_settle (sim, id);
      return;
    }
  /* An accepted job is never "rejected" after the fact: with every live bid at 0 it is lost. */
  if (r->held[id] == 0 && r->running[id] == 0)
    dmas_recovery_give_up (sim, id, "lost to a crash; no live agent could run it");
}

/* ---- executions ---- */

/* What the record says when nothing completed yet: where the job is now. */
static DmasJobState
live_state (const DmasRecovery *r, DmasJobId id)
{
  if (r->running[id] > 0)
    return DMAS_JOB_RUNNING;
  return r->held[id] > 0 ? DMAS_JOB_QUEUED : DMAS_JOB_SUBMITTED;
}

void
dmas_recovery_job_queued (DmasAgent *agent, DmasJobId id)
{
  agent->sim->recovery->held[id]++;
}

void
dmas_recovery_job_started (DmasAgent *agent, const DmasJob *job, DmasTime start)
{
  DmasSim *sim = agent->sim;
  DmasRecovery *r = sim->recovery;
  const DmasJobId id = job->id;
  DmasJobRecord *record = dmas_metrics_job (sim->metrics, id);

  agent->jobs[id] |= DMAS_AGENT_JOB_RUNNING;
  record->starts++;
  if (r->running[id] > 0 || (r->flags[id] & JOB_DONE))
    {
      sim->metrics->duplicate_executions++;
      dmas_sim_log (sim, agent->id, "job %" G_GUINT64_FORMAT " started again (run %u): "
                    "duplicate execution", id, record->starts);
    }
  r->running[id]++;
  if (r->lost_at[id] != DMAS_TIME_NONE)
    {
      DmasTime repair = start - r->lost_at[id];
      g_array_append_val (sim->metrics->recovery_times, repair);
      sim->metrics->jobs_recovered++;
      r->lost_at[id] = DMAS_TIME_NONE;
      r->flags[id] &= (guint8) ~JOB_STRANDED;
      dmas_sim_log (sim, agent->id, "job %" G_GUINT64_FORMAT " restarted %.9g s after its loss",
                    id, dmas_time_to_s (repair));
    }
  if (!(r->flags[id] & JOB_DONE) && record->agent == DMAS_AGENT_NONE)
    {
      record->start = start;
      record->agent = agent->id;
      record->state = DMAS_JOB_RUNNING;
    }
}

gboolean
dmas_recovery_job_ended (DmasAgent *agent, const DmasJob *job, DmasTime start, DmasTime end,
                         gboolean killed)
{
  DmasSim *sim = agent->sim;
  DmasRecovery *r = sim->recovery;
  const DmasJobId id = job->id;
  agent->jobs[id] &= (guint8) ~DMAS_AGENT_JOB_RUNNING;
  agent->jobs[id] |= DMAS_AGENT_JOB_ENDED | DMAS_AGENT_JOB_FINISHED;
  count_down (&r->running[id]);
  count_down (&r->held[id]);
  if (r->flags[id] & JOB_DONE)
    return FALSE;

  /* The first execution to end is the job's outcome, whichever started first. */
  r->flags[id] |= JOB_DONE;
  DmasJobRecord *record = dmas_metrics_job (sim->metrics, id);
  record->agent = agent->id;
  record->start = start;
  record->end = end;
  record->state = killed ? DMAS_JOB_KILLED : DMAS_JOB_COMPLETED;
  dmas_recovery_settle (sim, id);
  return TRUE;
}

void
dmas_recovery_agent_crashed (DmasAgent *agent)
{
  DmasSim *sim = agent->sim;
  DmasRecovery *r = sim->recovery;
  const DmasTime now = dmas_engine_now (sim->engine);
  for (DmasJobId id = 1; id <= r->n_jobs; id++)
    {
      guint8 f = agent->jobs[id];
      /* Home of a slot still open here: if nobody else heard of it, it dies with the
       * agent (a recovery clears the mark). */
      if (agent->slot_home[id] == agent->id && !(f & (DMAS_AGENT_JOB_DECIDED
                                                      | DMAS_AGENT_JOB_FINISHED))
          && !(r->flags[id] & (JOB_DONE | JOB_SETTLED)) && r->held[id] == 0)
        r->flags[id] |= JOB_STRANDED;
      if (!(f & DMAS_AGENT_JOB_QUEUED) || (f & DMAS_AGENT_JOB_ENDED))
        continue;
      count_down (&r->held[id]);
      if (f & DMAS_AGENT_JOB_RUNNING)
        count_down (&r->running[id]);
      if (r->flags[id] & JOB_DONE)
        continue;
      DmasJobRecord *record = dmas_metrics_job (sim->metrics, id);
      if (record->agent == agent->id)
        {
          record->agent = DMAS_AGENT_NONE;
          record->start = DMAS_TIME_NONE;
        }
      record->state = live_state (r, id);
      if (r->held[id] > 0)
        continue; /* another agent still has it: not lost */
      /* Lost again before it restarted anywhere: its outage began at the first loss. */
      if (r->lost_at[id] == DMAS_TIME_NONE)
        r->lost_at[id] = now;
      r->flags[id] |= JOB_STRANDED;
      dmas_sim_log (sim, agent->id, "job %" G_GUINT64_FORMAT " lost (%s)", id,
                    (f & DMAS_AGENT_JOB_RUNNING) ? "running" : "queued");
    }
}

/* ---- the coordinator ---- */

static gboolean
held_by_failed (const DmasAgent *agent, DmasJobId id)
{
  const DmasDetector *detector = agent->sim->detector;
  guint8 f = agent->jobs[id];
  if (!(f & (DMAS_AGENT_JOB_LEARNT | DMAS_AGENT_JOB_DECIDED)) || (f & DMAS_AGENT_JOB_FINISHED))
    return FALSE;
  DmasAgentId h = agent->holder[id];
  if (h == DMAS_AGENT_NONE || h == agent->id)
    return FALSE;
  if (dmas_detector_suspects (detector, agent->id, h))
    return TRUE;
  guint32 then = agent->holder_inc[id];
  guint32 now = dmas_detector_incarnation (detector, agent->id, h);
  return then != DMAS_INCARNATION_UNKNOWN && now != DMAS_INCARNATION_UNKNOWN && then < now;
}

/* Whether `agent` coordinates the recovery of job `id` (recovery.h: the lowest-id witness,
 * else the lowest-id unsuspected agent).  Judged on the slot's opening time, which every agent
 * knows alike, rather than on when each agent heard of it, so that two agents with the same
 * suspicions never both coordinate. */
static gboolean
is_coordinator (const DmasAgent *agent, DmasJobId id)
{
  const DmasDetector *detector = agent->sim->detector;
  const DmasTime opened = agent->opened_at[id];
  if (!agent->up)
    return FALSE;
  /* A peer not heard from since this agent's own restart may be a witness: it is given the
   * benefit of the doubt (deferring to it costs at most a heartbeat period: hearing it
   * rescans), so that two agents never both act. */
  DmasAgentId witness = DMAS_AGENT_NONE, unsuspected = DMAS_AGENT_NONE;
  for (DmasAgentId p = 0; p < agent->sim->n_agents && witness == DMAS_AGENT_NONE; p++)
    {
      if (p != agent->id && dmas_detector_suspects (detector, agent->id, p))
        continue;
      if (unsuspected == DMAS_AGENT_NONE)
        unsuspected = p;
      DmasTime since = p == agent->id ? dmas_detector_up_since (detector, p, p)
                                      : dmas_detector_up_since (detector, agent->id, p);
      if (opened != DMAS_TIME_NONE && (since == DMAS_TIME_NONE || since <= opened))
        witness = p;
    }
  return (witness != DMAS_AGENT_NONE ? witness : unsuspected) == agent->id;
}

static void
reannounce (DmasAgent *agent, DmasJobId id)
{
  DmasSim *sim = agent->sim;
  const DmasJob *job = &sim->workload->jobs[id - 1];
  const guint32 epoch = agent->epoch[id] + 1;
  const DmasAgentId failed = agent->holder[id];

  sim->metrics->recoveries++;
  /* From here a stall is the protocol's, not the fault's: the idle check reports it. */
  sim->recovery->flags[id] &= (guint8) ~JOB_STRANDED;
  dmas_sim_log (sim, agent->id, "recovers job %" G_GUINT64_FORMAT " from agent %u: epoch %u",
                id, failed, epoch);

  guint8 body[DMAS_RECOVER_LEN];
  dmas_sched_encode_announce (job, body);
  dmas_put_u32 (body + DMAS_SCHED_ANNOUNCE_LEN, epoch);
  dmas_put_u32 (body + DMAS_SCHED_ANNOUNCE_LEN + 4, failed);
  dmas_put_u64 (body + DMAS_SCHED_ANNOUNCE_LEN + 8, dmas_engine_now (sim->engine));
  /* As at submission: the others hear of the slot before the coordinator's own consensus
   * traffic for it. */
  for (DmasAgentId to = 0; to < sim->n_agents; to++)
    if (to != agent->id)
      dmas_network_send (sim->network, agent->id, to, DMAS_NET_HOST, DMAS_SCHED_RECOVER, body,
                         sizeof body);
  dmas_agent_learn_slot (agent, job, epoch, agent->id, dmas_engine_now (sim->engine));
}

void
dmas_recovery_scan (DmasAgent *agent)
{
  /* Job id order: deterministic, and the order the jobs were submitted in.  Learning a slot
   * may call into the plugins, which cannot crash this agent: `up` is checked anyway. */
  for (DmasJobId id = 1; id <= agent->sim->recovery->n_jobs && agent->up; id++)
    dmas_recovery_check_job (agent, id);
}

void
dmas_recovery_check_job (DmasAgent *agent, DmasJobId id)
{
  if (held_by_failed (agent, id) && is_coordinator (agent, id))
    reannounce (agent, id);
}

void
dmas_recovery_deliver (DmasAgent *agent, DmasAgentId src, const guint8 *body, gsize len)
{
  DmasJob job;
  if (len != DMAS_RECOVER_LEN || !dmas_sched_decode_announce (body, DMAS_SCHED_ANNOUNCE_LEN, &job)
      || job.id < 1 || job.id > agent->sim->recovery->n_jobs)
    {
      dmas_sim_log (agent->sim, agent->id, "malformed recovery message from %u dropped", src);
      return;
    }
  guint32 epoch = dmas_get_u32 (body + DMAS_SCHED_ANNOUNCE_LEN);
  /* An older epoch, or the same one learnt already, is a late copy: nothing new.  The same
   * epoch unlearnt happens when its decision overtook this message. */
  if (epoch < agent->epoch[job.id]
      || (epoch == agent->epoch[job.id] && (agent->jobs[job.id] & DMAS_AGENT_JOB_LEARNT)))
    return;
  dmas_agent_learn_slot (agent, &job, epoch, src,
                         dmas_get_u64 (body + DMAS_SCHED_ANNOUNCE_LEN + 8));
}
