/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fault/degrade: slows agents' jobs and messages down by a factor for a window. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

#include "targets.h"

/* One instance per `faults:` entry.  At arm time it resolves its targets and lays out every
 * window of every target (targets in increasing id order, windows in order):
 *
 *   pattern fixed:  one window per agent, [at, at + for)   (count must be 1)
 *   pattern random: window k starts at  end(k-1) + Xk,  Xk ~ Exp(mean mtbf), end(-1) = 0,
 *                   and lasts `for`: mtbf is the mean time at full speed between windows
 *
 * `for` 0 means until the end of the run (then only one window per agent).  At a window's
 * start the host call fault_degrade(agent, factor) slows the agent down (the host logs
 * "degrade" with the factor), at its end fault_degrade(agent, 1) restores it (logged
 * "degrade_end").  Degradations do not compose: two entries degrading one agent at once
 * leave the factor of the latest call, and the first window to end restores full speed. */

#define DEGRADE_MAX_COUNT 100000
#define DEGRADE_FOREVER UINT64_MAX

typedef enum {
  PATTERN_FIXED,
  PATTERN_RANDOM
} Pattern;

typedef struct {
  Pattern pattern;
  double factor;
  DmasTime at, length, mtbf;  /* length: `for`, 0 = until the end */
  uint32_t count;
  DmasTargets targets;
} Degrade;

typedef struct {
  Degrade *degrade;
  DmasAgentId agent;
  int end;                    /* 0: window start, 1: window end */
} Edge;

static void
degrade_destroy (void *self)
{
  Degrade *d = self;
  if (d == NULL)
    return;
  dmas_targets_clear (&d->targets);
  free (d);
}

static int
degrade_configure (Degrade *d, DmasCtx *ctx, DmasError *err)
{
  const DmasHostApi *api = ctx->api;
  const char *agents, *pattern;
  int64_t count;
  int rc;

  if (api->param_string (ctx, "agents", &agents) != DMAS_OK
      || api->param_double (ctx, "factor", &d->factor) != DMAS_OK
      || api->param_string (ctx, "pattern", &pattern) != DMAS_OK
      || api->param_duration (ctx, "at", &d->at) != DMAS_OK
      || api->param_duration (ctx, "for", &d->length) != DMAS_OK
      || api->param_duration (ctx, "mtbf", &d->mtbf) != DMAS_OK
      || api->param_int (ctx, "count", &count) != DMAS_OK)
    return dmas_error_set (err, DMAS_EFAIL, "the host did not give the declared parameters");
  if ((rc = dmas_targets_parse (&d->targets, "agents", agents, dmas_n_agents (ctx), 0, err))
      != DMAS_OK)
    return rc;
  if (!(d->factor > 1.0) || !isfinite (d->factor))
    return dmas_error_set (err, DMAS_EINVAL, "factor: %g must be more than 1 (jobs run factor "
                           "times longer, messages take (factor - 1) x latency longer)",
                           d->factor);
  if (strcmp (pattern, "fixed") == 0)
    d->pattern = PATTERN_FIXED;
  else if (strcmp (pattern, "random") == 0)
    d->pattern = PATTERN_RANDOM;
  else
    return dmas_error_set (err, DMAS_EINVAL, "pattern: '%s' is not a pattern; use 'fixed' "
                           "(from 'at' for 'for') or 'random' (windows every 'mtbf' on "
                           "average)", pattern);
  if (count < 1 || count > DEGRADE_MAX_COUNT)
    return dmas_error_set (err, DMAS_EINVAL, "count: %lld is out of range; give 1 to %d "
                           "windows per agent", (long long) count, DEGRADE_MAX_COUNT);
  d->count = (uint32_t) count;
  if (d->count > 1 && (d->pattern == PATTERN_FIXED || d->length == 0))
    return dmas_error_set (err, DMAS_EINVAL, "count: %u windows per agent need pattern random "
                           "and a 'for' longer than 0s", d->count);
  if (d->pattern == PATTERN_RANDOM && d->mtbf == 0)
    return dmas_error_set (err, DMAS_EINVAL, "mtbf: must be longer than 0s with pattern "
                           "random");
  return DMAS_OK;
}

static void *
degrade_create (DmasCtx *ctx, DmasError *err)
{
  Degrade *d = calloc (1, sizeof *d);
  if (d == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "out of memory");
      return NULL;
    }
  if (degrade_configure (d, ctx, err) != DMAS_OK)
    {
      degrade_destroy (d);
      return NULL;
    }
  return d;
}

static void
on_edge (DmasCtx *ctx, void *data)
{
  const Edge *e = data;
  const double factor = e->end ? 1.0 : e->degrade->factor;
  int rc = ctx->api->fault_degrade (ctx, e->agent, factor);

  if (rc != DMAS_OK)
    dmas_log (ctx, DMAS_LOG_WARNING, "degrade of agent %u to %g refused (status %d)", e->agent,
              factor, rc);
}

static int
add_edge (Degrade *d, DmasCtx *ctx, DmasAgentId agent, DmasTime when, int end, DmasError *err)
{
  Edge *e = malloc (sizeof *e);
  if (e == NULL)
    return dmas_error_set (err, DMAS_ENOMEM, "out of memory");
  e->degrade = d;
  e->agent = agent;
  e->end = end;
  ctx->api->timer_add (ctx, when, on_edge, e, free);
  return DMAS_OK;
}

static DmasTime
draw_exponential (DmasCtx *ctx, DmasTime mean)
{
  double x = -log (1.0 - ctx->api->rng_double (ctx)) * (double) mean;
  return x < 9.0e18 ? (DmasTime) x : DEGRADE_FOREVER;
}

static int
degrade_arm (void *self, DmasCtx *ctx, DmasError *err)
{
  Degrade *d = self;
  int rc;

  if ((rc = dmas_targets_resolve (&d->targets, ctx, err)) != DMAS_OK)
    return rc;
  for (uint32_t i = 0; i < d->targets.n; i++)
    {
      DmasTime end = 0;
      for (uint32_t k = 0; k < d->count; k++)
        {
          DmasTime start = d->at;
          if (d->pattern == PATTERN_RANDOM)
            {
              DmasTime x = draw_exponential (ctx, d->mtbf);
              if (x == DEGRADE_FOREVER || end > DEGRADE_FOREVER - 1 - x)
                break;
              start = end + x;
            }
          if ((rc = add_edge (d, ctx, d->targets.ids[i], start, 0, err)) != DMAS_OK)
            return rc;
          if (d->length == 0)
            break;
          if (start > DEGRADE_FOREVER - 1 - d->length)
            break;
          end = start + d->length;
          if ((rc = add_edge (d, ctx, d->targets.ids[i], end, 1, err)) != DMAS_OK)
            return rc;
        }
    }
  return DMAS_OK;
}

static const DmasFaultOps degrade_ops = {
  .struct_size = sizeof (DmasFaultOps),
  .create = degrade_create,
  .destroy = degrade_destroy,
  .arm = degrade_arm,
};

static const DmasParamSpec degrade_params[] = {
  { "agents", DMAS_PARAM_STRING, "random:1",
    "which agents slow down: a count (drawn from the entry's stream), ids [0, 3] or \"0,3\", "
    "\"all\" or \"random:N\"" },
  { "factor", DMAS_PARAM_DOUBLE, "2",
    "jobs progress 1/factor as fast; messages to and from the agent take (factor - 1) x the "
    "link latency longer (> 1)" },
  { "pattern", DMAS_PARAM_STRING, "fixed",
    "fixed: one window from 'at'; random: windows every Exp(mean 'mtbf') of full speed" },
  { "at", DMAS_PARAM_DURATION, "0s", "pattern fixed: start of the window" },
  { "for", DMAS_PARAM_DURATION, "0s", "length of a window (0s: until the end of the run)" },
  { "mtbf", DMAS_PARAM_DURATION, "1h", "pattern random: mean full-speed time between windows" },
  { "count", DMAS_PARAM_INT, "1", "pattern random: windows per agent" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent degrade_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_FAULT,
    .name = "degrade",
    .api_major = DMAS_FAULT_API_MAJOR,
    .api_minor = DMAS_FAULT_API_MINOR,
    .ops = &degrade_ops,
    .summary = "slows agents down by a factor (jobs and messages) for a window",
    .params = degrade_params,
  },
};

static const DmasPluginDesc degrade_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "degrade",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = degrade_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &degrade_desc;
}
