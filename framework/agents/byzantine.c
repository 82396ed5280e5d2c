/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Byzantine agents: the fault call that sets a behaviour, accusations, effects on jobs. */
#include "config.h"

#include <math.h>

#include "agents/byzantine-hooks.h"
#include "agents/faults.h"
#include "agents/recovery.h"
#include "agents/sim-private.h"

static const gchar *const strategy_names[] = {
  "none", "silent", "omit", "inflate", "hijack", "equivocate", "replay", "compromised",
};

void
dmas_byz_agent_free (DmasByzAgent *byz)
{
  if (byz == NULL)
    return;
  dmas_host_ctx_free (byz->twin);
  dmas_storage_free (byz->twin_storage);
  g_free (byz->accused);
  g_free (byz->captured);
  g_free (byz);
}

/* agent->byz, made on first need.  Its stream is run-seeded and named per agent, so that a
 * behaviour's draws never shift any other stream. */
static DmasByzAgent *
byz_of (DmasAgent *agent)
{
  if (agent->byz != NULL)
    return agent->byz;
  DmasSim *sim = agent->sim;
  DmasByzAgent *byz = g_new0 (DmasByzAgent, 1);
  g_autofree gchar *stream = g_strdup_printf ("agent/%u/byzantine", agent->id);
  byz->rng = dmas_engine_rng (sim->engine, stream);
  byz->accused = g_new0 (guint8, sim->n_agents);
  byz->captured = g_new0 (guint8, (gsize) sim->workload->n_jobs + 1);
  agent->byz = byz;
  return byz;
}

DmasByzantineStrategy
dmas_byz_strategy (const DmasAgent *agent)
{
  return agent->byz != NULL ? agent->byz->strategy : DMAS_BYZ_NONE;
}

gboolean
dmas_sim_agent_correct (const DmasSim *sim, DmasAgentId agent)
{
  return agent >= sim->n_agents || dmas_byz_strategy (sim->agents[agent]) == DMAS_BYZ_NONE;
}

gboolean
dmas_byz_any (const DmasSim *sim)
{
  for (guint a = 0; a < sim->n_agents; a++)
    if (!dmas_sim_agent_correct (sim, a))
      return TRUE;
  return FALSE;
}

gboolean
dmas_byz_seen (const DmasSim *sim)
{
  return sim->metrics->byzantine_agents > 0;
}

/* ---- the fault call ---- */

/* What faults.jsonl says about the behaviour: the strategy, its fraction, and for the twins
 * the resolved halves as id lists ("split":[[A...],[B...]]). */
static gchar *
behaviour_details (const DmasSim *sim, DmasAgentId agent, const DmasByzantine *b)
{
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, "\"strategy\":\"%s\"", strategy_names[b->strategy]);
  if (b->strategy == DMAS_BYZ_OMIT || b->strategy == DMAS_BYZ_REPLAY)
    {
      gchar num[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (out, ",\"fraction\":%s",
                              g_ascii_formatd (num, sizeof num, "%.17g", b->fraction));
    }
  if (b->strategy == DMAS_BYZ_EQUIVOCATE)
    for (guint half = 0; half < 2; half++)
      {
        g_string_append (out, half == 0 ? ",\"split\":[[" : "],[");
        gboolean first = TRUE;
        for (DmasAgentId a = 0; a < sim->n_agents; a++)
          {
            const gboolean in_b = a < 64 && (b->split >> a) & 1;
            if (a == agent || in_b != (half == 1))
              continue;
            g_string_append_printf (out, first ? "%u" : ",%u", a);
            first = FALSE;
          }
        if (half == 1)
          g_string_append (out, "]]");
      }
  return g_string_free (out, FALSE);
}

static int
check_behaviour (const DmasByzantine *b)
{
  if (b == NULL || b->struct_size < sizeof (DmasByzantine))
    return DMAS_EINVAL;
  if ((guint) b->strategy >= G_N_ELEMENTS (strategy_names))
    return DMAS_EINVAL;
  if ((b->strategy == DMAS_BYZ_OMIT || b->strategy == DMAS_BYZ_REPLAY)
      && !(b->fraction >= 0.0 && b->fraction <= 1.0))
    return DMAS_EINVAL;
  return DMAS_OK;
}

int
dmas_faults_byzantine (DmasHostCtx *ctx, DmasAgentId agent, const DmasByzantine *behaviour)
{
  DmasSim *sim = ctx->sim;
  if (ctx->kind != DMAS_KIND_FAULT || sim->faults == NULL)
    {
      dmas_sim_log (sim, DMAS_AGENT_NONE, "%s: fault_byzantine refused: only fault components "
                    "may call it", dmas_host_ctx_name (ctx));
      return DMAS_ESTATE;
    }
  if (agent >= sim->n_agents)
    return DMAS_ENOENT;
  int status = check_behaviour (behaviour);
  if (status != DMAS_OK)
    return status;

  DmasAgent *target = sim->agents[agent];
  DmasByzAgent *byz = byz_of (target);
  const gboolean was_correct = byz->strategy == DMAS_BYZ_NONE;
  const DmasByzantineStrategy old = byz->strategy;
  /* A split change is a new twin: the old one leaves with its half. */
  if (old == DMAS_BYZ_EQUIVOCATE
      && (behaviour->strategy != DMAS_BYZ_EQUIVOCATE || behaviour->split != byz->split))
    dmas_byz_agent_crashed (target);
  byz->strategy = behaviour->strategy;
  byz->fraction = behaviour->fraction;
  byz->split = behaviour->split;
  if (byz->strategy != DMAS_BYZ_NONE && !byz->ever)
    {
      byz->ever = TRUE;
      sim->metrics->byzantine_agents++;
    }
  if (byz->strategy == DMAS_BYZ_EQUIVOCATE && byz->twin == NULL)
    dmas_byz_agent_restarted (target);

  g_autofree gchar *details = behaviour->strategy != DMAS_BYZ_NONE
                                ? behaviour_details (sim, agent, behaviour)
                                : g_strdup_printf ("\"strategy\":\"%s\"", strategy_names[old]);
  dmas_faults_log (ctx, behaviour->strategy != DMAS_BYZ_NONE ? "byzantine" : "byzantine_end",
                   agent, details, behaviour->strategy != DMAS_BYZ_NONE);
  dmas_sim_log (sim, agent, "%s by %s", behaviour->strategy != DMAS_BYZ_NONE
                                          ? strategy_names[behaviour->strategy]
                                          : "correct again",
                dmas_host_ctx_name (ctx));
  if (was_correct != (byz->strategy == DMAS_BYZ_NONE))
    dmas_sim_service_update (sim);
  return DMAS_OK;
}

/* ---- accusations ---- */

int
dmas_host_accuse (DmasHostCtx *ctx, DmasAgentId agent)
{
  DmasSim *sim = ctx->sim;
  if (ctx->agent == NULL)
    {
      dmas_sim_log (sim, DMAS_AGENT_NONE, "%s: accuse refused: only an agent's bidding or "
                    "consensus instance accuses", dmas_host_ctx_name (ctx));
      return DMAS_ESTATE;
    }
  if (agent >= sim->n_agents)
    return DMAS_ENOENT;
  ctx->agent->distrusted[agent] = 1;
  DmasByzAgent *accuser = byz_of (ctx->agent);
  if (accuser->accused[agent])
    return DMAS_OK;
  accuser->accused[agent] = 1;
  /* Judged against what was injected up to now: an agent that turns Byzantine only later was
   * wrongly accused when the accusation came. */
  const DmasByzAgent *accused = sim->agents[agent]->byz;
  if (accused != NULL && accused->ever)
    sim->metrics->byzantine_detected++;
  else
    sim->metrics->byzantine_false_accusations++;
  dmas_sim_log (sim, ctx->agent->id, "accuses agent %u (%s)", agent,
                accused != NULL && accused->ever ? "Byzantine" : "correct");
  return DMAS_OK;
}

/* ---- plausibility (and reputation) ---- */

int
dmas_host_bid_plausible (DmasHostCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  DmasSim *sim = ctx->sim;
  if (slot == NULL || bid == NULL || bid->job != slot->job)
    return DMAS_EINVAL;
  if (slot->job == 0 || slot->job > sim->workload->n_jobs || bid->agent >= sim->n_agents)
    return DMAS_ENOENT;
  /* Only feasibility: the bidding contract bounds scores below (>= 0), not above. */
  if (isnan (bid->score) || bid->score < 0.0)
    return 0;
  if (bid->score == 0.0)
    return 1;
  /* Reputation: once this agent caught the bidder lying, none of its claims is believed. */
  const DmasAgent *self = ctx->agent;
  if (sim->config->scheduling.reputation && self != NULL && bid->agent != self->id
      && self->distrusted[bid->agent])
    return 0;
  const DmasJob *job = &sim->workload->jobs[slot->job - 1];
  return dmas_sim_agent_can_run (sim, bid->agent, job) ? 1 : 0;
}

/* ---- the job-level effects ---- */

gdouble
dmas_byz_score (const DmasAgent *agent, gdouble score)
{
  const DmasByzantineStrategy s = dmas_byz_strategy (agent);
  return s == DMAS_BYZ_INFLATE || s == DMAS_BYZ_HIJACK ? 1.0 : score;
}

gboolean
dmas_byz_keeps_job (DmasAgent *agent, const DmasJob *job)
{
  const DmasByzantineStrategy s = dmas_byz_strategy (agent);
  g_autofree gchar *reason = NULL;
  if (s == DMAS_BYZ_HIJACK)
    /* It keeps heartbeating, so no failure detector suspects it and no recovery re-announces
     * the job: captured for good. */
    reason = g_strdup_printf ("captured by Byzantine agent %u (hijack): never run", agent->id);
  else if (s != DMAS_BYZ_NONE && !dmas_cluster_fits (agent->cluster, job))
    /* Only a liar's claim can win such a job: honest bids for it are 0 (agent.c). */
    reason = g_strdup_printf ("won by Byzantine agent %u (%s) whose cluster cannot fit it",
                              agent->id, strategy_names[s]);
  if (reason == NULL)
    return FALSE;
  dmas_recovery_give_up (agent->sim, job->id, reason);
  return TRUE;
}

void
dmas_byz_note_decision (DmasSim *sim, DmasJobId id, DmasAgentId winner)
{
  if (winner == DMAS_AGENT_NONE || winner >= sim->n_agents
      || dmas_sim_agent_correct (sim, winner))
    return;
  DmasByzAgent *byz = sim->agents[winner]->byz;
  if (byz->captured[id])
    return;
  byz->captured[id] = 1;
  sim->metrics->jobs_captured_byzantine++;
}

void
dmas_byz_note_completion (DmasSim *sim, DmasJobId id)
{
  for (guint a = 0; a < sim->n_agents; a++)
    if (sim->agents[a]->byz != NULL && sim->agents[a]->byz->captured[id])
      {
        sim->metrics->jobs_completed_byzantine++;
        return;
      }
}
