/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fault/byzantine: makes agents Byzantine for a window (silent, omit, inflate, hijack, ...). */
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

#include "targets.h"

/* One instance per `faults:` entry.  At arm time it resolves its targets (drawn from the
 * entry's stream for "random:N"), then, for an equivocation, each target's split (in target
 * order; "random" draws one bit per other agent from the same stream), and sets two timers
 * per target: the behaviour at `at`, and the return to correctness at `at + for` (none when
 * `for` is 0: Byzantine until the end).  The host logs both in faults.jsonl.
 *
 * split "halves": the agents that are not targets of this entry, in id order, the first half
 * (rounded up) to twin A, the rest to twin B; the entry's other targets talk to twin A.  So
 * with n = 4 and agents 0,1 equivocating, agents 2 and 3 each see a different twin of both. */

#define BYZ_MAX_SPLIT_AGENTS 64  /* DmasByzantine.split has one bit per agent id below 64 */

typedef struct {
  DmasTargets targets;
  DmasByzantineStrategy strategy;
  double fraction;
  int random_split;
  DmasTime at, duration;
} Byz;

typedef struct {
  DmasAgentId agent;
  DmasByzantine behaviour;
} Onset;

static const struct {
  const char *name;
  DmasByzantineStrategy strategy;
} strategies[] = {
  { "silent", DMAS_BYZ_SILENT }, { "omit", DMAS_BYZ_OMIT }, { "inflate", DMAS_BYZ_INFLATE },
  { "hijack", DMAS_BYZ_HIJACK }, { "equivocate", DMAS_BYZ_EQUIVOCATE },
  { "replay", DMAS_BYZ_REPLAY }, { "compromised", DMAS_BYZ_COMPROMISED },
};

static void
byz_destroy (void *self)
{
  Byz *b = self;
  if (b == NULL)
    return;
  dmas_targets_clear (&b->targets);
  free (b);
}

static int
byz_configure (Byz *b, DmasCtx *ctx, DmasError *err)
{
  const DmasHostApi *api = ctx->api;
  const char *agents, *strategy, *split;
  int rc;

  if (api->param_string (ctx, "agents", &agents) != DMAS_OK
      || api->param_string (ctx, "strategy", &strategy) != DMAS_OK
      || api->param_double (ctx, "fraction", &b->fraction) != DMAS_OK
      || api->param_string (ctx, "split", &split) != DMAS_OK
      || api->param_duration (ctx, "at", &b->at) != DMAS_OK
      || api->param_duration (ctx, "for", &b->duration) != DMAS_OK)
    return dmas_error_set (err, DMAS_EFAIL, "the host did not give the declared parameters");

  if ((rc = dmas_targets_parse (&b->targets, "agents", agents, dmas_n_agents (ctx), 0, err))
      != DMAS_OK)
    return rc;
  b->strategy = DMAS_BYZ_NONE;
  for (size_t i = 0; i < sizeof strategies / sizeof strategies[0]; i++)
    if (strcmp (strategy, strategies[i].name) == 0)
      b->strategy = strategies[i].strategy;
  if (b->strategy == DMAS_BYZ_NONE)
    return dmas_error_set (err, DMAS_EINVAL, "strategy: '%s' is not a strategy; use silent, "
                           "omit, inflate, hijack, equivocate, replay or compromised",
                           strategy);
  if (!(b->fraction >= 0.0 && b->fraction <= 1.0))
    return dmas_error_set (err, DMAS_EINVAL, "fraction: %g is not a probability; give a "
                           "number from 0 to 1", b->fraction);
  if (strcmp (split, "halves") == 0)
    b->random_split = 0;
  else if (strcmp (split, "random") == 0)
    b->random_split = 1;
  else
    return dmas_error_set (err, DMAS_EINVAL, "split: '%s' is not a split; use 'halves' (the "
                           "other agents cut in two in id order) or 'random'", split);
  if (b->strategy == DMAS_BYZ_EQUIVOCATE && dmas_n_agents (ctx) > BYZ_MAX_SPLIT_AGENTS)
    return dmas_error_set (err, DMAS_EINVAL, "strategy: equivocate supports platforms of up to "
                           "%d agents (this one has %u)", BYZ_MAX_SPLIT_AGENTS,
                           dmas_n_agents (ctx));
  if (b->duration > 0 && b->at > UINT64_MAX - 1 - b->duration)
    return dmas_error_set (err, DMAS_EINVAL, "at + for is past the end of virtual time");
  return DMAS_OK;
}

static void *
byz_create (DmasCtx *ctx, DmasError *err)
{
  Byz *b = calloc (1, sizeof *b);
  if (b == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "out of memory");
      return NULL;
    }
  if (byz_configure (b, ctx, err) != DMAS_OK)
    {
      byz_destroy (b);
      return NULL;
    }
  return b;
}

static void
on_behaviour (DmasCtx *ctx, void *data)
{
  const Onset *o = data;
  int rc = ctx->api->fault_byzantine (ctx, o->agent, &o->behaviour);
  if (rc != DMAS_OK)
    dmas_log (ctx, DMAS_LOG_WARNING, "Byzantine behaviour of agent %u refused (status %d)",
              o->agent, rc);
}

static int
schedule (DmasCtx *ctx, DmasTime when, DmasAgentId agent, const DmasByzantine *behaviour,
          DmasError *err)
{
  Onset *o = malloc (sizeof *o);
  DmasTime now = dmas_now (ctx);
  if (o == NULL)
    return dmas_error_set (err, DMAS_ENOMEM, "out of memory");
  o->agent = agent;
  o->behaviour = *behaviour;
  ctx->api->timer_add (ctx, when > now ? when - now : 0, on_behaviour, o, free);
  return DMAS_OK;
}

/* Twin B's half for `agent` (a bit per agent id). */
static uint64_t
split_of (const Byz *b, DmasCtx *ctx, DmasAgentId agent)
{
  const uint32_t n = dmas_n_agents (ctx);
  uint32_t others = 0, seen = 0;
  uint64_t split = 0;

  for (DmasAgentId a = 0; a < n; a++)
    others += !dmas_targets_contains (&b->targets, a);
  for (DmasAgentId a = 0; a < n; a++)
    {
      if (a == agent)
        continue;
      if (b->random_split)
        {
          if (ctx->api->rng_u64 (ctx) & 1)
            split |= UINT64_C (1) << a;
          continue;
        }
      if (dmas_targets_contains (&b->targets, a))
        continue;
      if (seen++ >= (others + 1) / 2)
        split |= UINT64_C (1) << a;
    }
  return split;
}

static int
byz_arm (void *self, DmasCtx *ctx, DmasError *err)
{
  Byz *b = self;
  int rc;

  if ((rc = dmas_targets_resolve (&b->targets, ctx, err)) != DMAS_OK)
    return rc;
  for (uint32_t i = 0; i < b->targets.n; i++)
    {
      const DmasAgentId agent = b->targets.ids[i];
      DmasByzantine on = { .struct_size = sizeof on, .strategy = b->strategy,
                           .fraction = b->fraction };
      const DmasByzantine off = { .struct_size = sizeof off, .strategy = DMAS_BYZ_NONE };
      if (b->strategy == DMAS_BYZ_EQUIVOCATE)
        on.split = split_of (b, ctx, agent);
      if ((rc = schedule (ctx, b->at, agent, &on, err)) != DMAS_OK)
        return rc;
      if (b->duration > 0 && (rc = schedule (ctx, b->at + b->duration, agent, &off, err))
                               != DMAS_OK)
        return rc;
    }
  return DMAS_OK;
}

static const DmasFaultOps byz_ops = {
  .struct_size = sizeof (DmasFaultOps),
  .create = byz_create,
  .destroy = byz_destroy,
  .arm = byz_arm,
};

static const DmasParamSpec byz_params[] = {
  { "agents", DMAS_PARAM_STRING, "random:1",
    "which agents turn Byzantine: a count (drawn from the entry's own stream), ids "
    "(\"1\", \"0,3\" or a YAML list), \"all\", or \"random:N\"" },
  { "strategy", DMAS_PARAM_STRING, "silent",
    "silent, omit (drop a fraction of its messages), inflate (bid the maximum on every job), "
    "hijack (inflate, never run what it wins), equivocate (Twins), replay (re-send old "
    "messages), compromised (an LLM bidder is told to lie; its claims go out unchecked)" },
  { "fraction", DMAS_PARAM_DOUBLE, "0.5",
    "omit: probability of dropping each message; replay: share of messages sent again" },
  { "split", DMAS_PARAM_STRING, "halves",
    "equivocate: who talks to twin B: 'halves' (the agents that are not targets, cut in two "
    "in id order; the second half to B) or 'random' (each other agent by a fair coin)" },
  { "at", DMAS_PARAM_DURATION, "0s", "onset" },
  { "for", DMAS_PARAM_DURATION, "0s", "duration; 0s: Byzantine until the end of the run" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent byz_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_FAULT,
    .name = "byzantine",
    .api_major = DMAS_FAULT_API_MAJOR,
    .api_minor = DMAS_FAULT_API_MINOR,
    .ops = &byz_ops,
    .summary = "makes agents Byzantine for a window: silent, omit, inflate, hijack, "
               "equivocate (Twins), replay or compromised (LLM bidders)",
    .params = byz_params,
  },
};

static const DmasPluginDesc byz_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "byzantine",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = byz_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &byz_desc;
}
