/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/byz-probe (check only): signed bids to all, counted per sender, for the tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

/* Not a protocol: each agent broadcasts its signed bid, records what it hears, and 200 ms
 * after its own proposal decides the best bid it has (no agreement).  What it reports through
 * metric() is what the tests read:
 *   probe_from_<src>  bids received from src          probe_duplicates  a (src, job) again
 *   probe_verified    bids whose signature verified   probe_bad_sig     ... did not
 *   probe_forged      own signature accepted as another agent's (must stay 0)
 * and it accuses (accuse()) an agent whose bid claims the maximum score 1.0. */

#define PROBE_WAIT (200 * DMAS_MS)
#define PROBE_MSG_BID 1u

typedef struct {
  uint64_t job;
  uint32_t epoch, agent;
  double score;
  uint8_t sig[DMAS_SIG_SIZE];
} Wire;

#define WIRE_SIGNED (sizeof (uint64_t) + 2 * sizeof (uint32_t) + sizeof (double))

typedef struct {
  DmasSlot slot;
  DmasBid best;
  uint8_t *heard;   /* per agent: a bid of this job from it already */
} Job;

typedef struct {
  uint32_t n;
  Job *jobs;
  uint64_t n_jobs;  /* jobs[0 .. n_jobs-1], index = job id */
} Probe;

static Job *
job_of (Probe *p, uint64_t id)
{
  if (id >= p->n_jobs)
    {
      uint64_t n = id + 16;
      Job *jobs = realloc (p->jobs, n * sizeof *jobs);
      if (jobs == NULL)
        return NULL;
      memset (jobs + p->n_jobs, 0, (n - p->n_jobs) * sizeof *jobs);
      p->jobs = jobs;
      p->n_jobs = n;
    }
  Job *j = &p->jobs[id];
  if (j->heard == NULL)
    {
      j->heard = calloc (p->n, 1);
      j->best.agent = DMAS_AGENT_NONE;
      j->best.job = id;
    }
  return j->heard != NULL ? j : NULL;
}

static void
consider (Job *j, const DmasBid *bid)
{
  if (bid->score > j->best.score
      || (bid->score == j->best.score && bid->score > 0.0 && bid->agent < j->best.agent))
    j->best = *bid;
}

static void *
probe_create (DmasCtx *ctx, DmasError *err)
{
  Probe *p = calloc (1, sizeof *p);
  if (p == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "out of memory");
      return NULL;
    }
  p->n = dmas_n_agents (ctx);
  return p;
}

static void
probe_destroy (void *self)
{
  Probe *p = self;
  for (uint64_t i = 0; i < p->n_jobs; i++)
    free (p->jobs[i].heard);
  free (p->jobs);
  free (p);
}

typedef struct {
  Probe *p;
  uint64_t job;
} Pending;

static void
on_wait (DmasCtx *ctx, void *data)
{
  Pending *w = data;
  Job *j = job_of (w->p, w->job);
  if (j != NULL)
    ctx->api->decide (ctx, &j->slot, &j->best);
}

static int
probe_propose (void *self, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  Probe *p = self;
  Job *j = job_of (p, slot->job);
  Pending *w = malloc (sizeof *w);
  Wire m = { .job = slot->job, .epoch = slot->epoch, .agent = bid->agent, .score = bid->score };

  if (j == NULL || w == NULL)
    return free (w), DMAS_ENOMEM;
  j->slot = *slot;
  consider (j, bid);
  ctx->api->sign (ctx, &m, WIRE_SIGNED, m.sig);
  /* The forgery attempt: its own signature passed off as the next agent's. */
  if (p->n > 1 && ctx->api->verify (ctx, (dmas_self (ctx) + 1) % p->n, &m, WIRE_SIGNED, m.sig) == 1)
    ctx->api->metric (ctx, "probe_forged", 1.0);
  ctx->api->broadcast (ctx, PROBE_MSG_BID, &m, sizeof m);
  w->p = p;
  w->job = slot->job;
  ctx->api->timer_add (ctx, PROBE_WAIT, on_wait, w, free);
  return DMAS_OK;
}

static int
probe_on_message (void *self, DmasCtx *ctx, DmasAgentId src, uint32_t type, const void *body,
                  size_t len)
{
  Probe *p = self;
  Wire m;
  char name[48];

  if (type != PROBE_MSG_BID || len != sizeof m || src >= p->n)
    return DMAS_EINVAL;
  memcpy (&m, body, sizeof m);
  snprintf (name, sizeof name, "probe_from_%u", src);
  ctx->api->metric (ctx, name, 1.0);
  if (ctx->api->verify (ctx, src, &m, WIRE_SIGNED, m.sig) != 1 || m.agent != src)
    {
      ctx->api->metric (ctx, "probe_bad_sig", 1.0);
      return DMAS_OK;
    }
  ctx->api->metric (ctx, "probe_verified", 1.0);
  Job *j = job_of (p, m.job);
  if (j == NULL)
    return DMAS_ENOMEM;
  if (j->heard[src])
    ctx->api->metric (ctx, "probe_duplicates", 1.0);
  j->heard[src] = 1;
  if (m.score >= 1.0)
    ctx->api->accuse (ctx, src);
  const DmasBid bid = { .job = m.job, .agent = src, .score = m.score };
  consider (j, &bid);
  return DMAS_OK;
}

static const DmasConsensusOps probe_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = probe_create,
  .destroy = probe_destroy,
  .propose = probe_propose,
  .on_message = probe_on_message,
  .fault_model = DMAS_FAULT_MODEL_NONE,
};

static const DmasComponent probe_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_CONSENSUS,
    .name = "byz-probe",
    .api_major = DMAS_CONSENSUS_API_MAJOR,
    .api_minor = DMAS_CONSENSUS_API_MINOR,
    .ops = &probe_ops,
    .summary = "check only: signed bids to everyone, counted per sender (Byzantine tests)",
    .params = NULL,
  },
};

static const DmasPluginDesc probe_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "byz-probe",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .components = probe_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &probe_desc;
}
