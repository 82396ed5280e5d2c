/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fault/crash: crashes agents at given or random times and restarts them after a repair time. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

#include "duration.h"
#include "targets.h"

/* One instance per `faults:` entry.  At arm time (virtual time 0) it picks its target agents
 * and lays out every crash of every target on the timeline:
 *
 *   pattern fixed:  crash k of an agent at  at + k * every          (k = 0 .. count-1)
 *   pattern random: crash 0 at  X0,  crash k at  restart(k-1) + Xk,  Xk ~ Exp(mean mtbf)
 *                   where restart(k) = crash(k) + restart_after: up time is counted from the
 *                   agent's own restart, so mtbf is the mean time from (re)start to failure.
 *                   The repair time R(k) is restart_after, or with `mttr` a draw
 *                   Exp(mean mttr) made right after Xk.
 *   pattern cascading: the same base process as random, plus cascades: when a crash of this
 *                   entry takes effect on agent a (at time t), each neighbour b of a (ids
 *                   a+1, a-1, a+2, a-2, ... a+k, a-k mod n, k = `neighbours`, each once, a
 *                   itself excluded; targets or not) fails with its rate multiplied by
 *                   cascade_factor during [t, t + cascade_window).  Since the base process is
 *                   memoryless this is the base process plus an independent extra one of
 *                   rate (cascade_factor - 1) / mtbf in the window: the entry draws
 *                   Y ~ Exp(mean mtbf / (cascade_factor - 1)) for b and, when Y <
 *                   cascade_window, crashes b at t + Y (repaired like any other crash).  A
 *                   cascade crash that takes effect cascades in turn.  These draws happen at
 *                   the crash, neighbours in the order above (Y, then the repair draw).
 *
 * Crash timers are all set at arm time, so the schedule a seed gives depends on nothing that
 * happens during the run.  A restart timer is set only when its crash took effect: a crash
 * that finds its agent already down (another entry crashed it) is skipped with its restart,
 * so an entry never revives an agent it did not bring down.  Draws come from the instance's
 * own stream, targets in increasing id order, then crashes in order. */

#define CRASH_NEVER UINT64_MAX  /* restart_after: never */
#define CRASH_MAX_COUNT 100000  /* crashes per agent: a bound on the timers one entry sets */

#define CRASH_MAX_NEIGHBOURS 1000

typedef enum {
  PATTERN_FIXED,
  PATTERN_RANDOM,
  PATTERN_CASCADING
} Pattern;

typedef struct {
  Pattern pattern;
  DmasTime at, every, mtbf;
  DmasTime restart_after;  /* CRASH_NEVER: the agent stays down */
  DmasTime mttr;           /* 0: repairs take restart_after; else Exp(mean mttr) */
  uint32_t count;
  uint32_t neighbours;     /* cascading: k */
  double cascade_factor;   /* cascading: > 1 */
  DmasTime cascade_window;
  DmasTargets targets;     /* resolved at arm time */
  uint32_t n_agents;
} Crash;

/* Timer data: which agent the timer is about, and how long the repair of this crash takes. */
typedef struct {
  Crash *crash;
  DmasAgentId agent;
  DmasTime repair;         /* CRASH_NEVER: no restart */
} Target;

/* ---- parsing the string parameters ---- */

/* "45" → 45 s as "45 s", "1.5" s as "1.5 s": messages speak seconds whatever the unit was. */
static void
format_seconds (char *buf, size_t size, DmasTime t)
{
  unsigned long long whole = (unsigned long long) (t / DMAS_S);
  unsigned long long frac = (unsigned long long) (t % DMAS_S);
  int digits = 9;

  if (frac == 0)
    {
      snprintf (buf, size, "%llu s", whole);
      return;
    }
  while (frac % 10 == 0)
    frac /= 10, digits--;
  snprintf (buf, size, "%llu.%0*llu s", whole, digits, frac);
}

/* ---- create / destroy ---- */

static void
crash_destroy (void *self)
{
  Crash *c = self;
  if (c == NULL)
    return;
  dmas_targets_clear (&c->targets);
  free (c);
}

/* Reads and checks every parameter; the rules between them are checked here so that a bad
 * entry fails before the run starts, naming the parameters to change. */
static int
crash_configure (Crash *c, DmasCtx *ctx, DmasError *err)
{
  const DmasHostApi *api = ctx->api;
  const char *agents, *pattern, *restart_after;
  int64_t count, neighbours;
  char a[48], b[48];
  int rc;

  if (api->param_string (ctx, "agents", &agents) != DMAS_OK
      || api->param_string (ctx, "pattern", &pattern) != DMAS_OK
      || api->param_duration (ctx, "at", &c->at) != DMAS_OK
      || api->param_duration (ctx, "every", &c->every) != DMAS_OK
      || api->param_duration (ctx, "mtbf", &c->mtbf) != DMAS_OK
      || api->param_string (ctx, "restart_after", &restart_after) != DMAS_OK
      || api->param_int (ctx, "count", &count) != DMAS_OK
      || api->param_duration (ctx, "mttr", &c->mttr) != DMAS_OK
      || api->param_int (ctx, "neighbours", &neighbours) != DMAS_OK
      || api->param_double (ctx, "cascade_factor", &c->cascade_factor) != DMAS_OK
      || api->param_duration (ctx, "cascade_window", &c->cascade_window) != DMAS_OK)
    return dmas_error_set (err, DMAS_EFAIL, "the host did not give the declared parameters");

  c->n_agents = dmas_n_agents (ctx);
  if ((rc = dmas_targets_parse (&c->targets, "agents", agents, c->n_agents,
                                DMAS_TARGETS_ALLOW_CONTROLLER, err)) != DMAS_OK)
    return rc;

  if (strcmp (pattern, "fixed") == 0)
    c->pattern = PATTERN_FIXED;
  else if (strcmp (pattern, "random") == 0)
    c->pattern = PATTERN_RANDOM;
  else if (strcmp (pattern, "cascading") == 0)
    c->pattern = PATTERN_CASCADING;
  else
    return dmas_error_set (err, DMAS_EINVAL, "pattern: '%s' is not a pattern; use 'fixed' "
                           "(crash at 'at'), 'random' (failures every 'mtbf' on average) or "
                           "'cascading' (random, and a crash makes its neighbours fail more)",
                           pattern);

  if (strcmp (restart_after, "never") == 0)
    c->restart_after = CRASH_NEVER;
  else if (!dmas_fault_parse_duration (restart_after, &c->restart_after))
    return dmas_error_set (err, DMAS_EINVAL, "restart_after: '%s' is neither a duration "
                           "(e.g. '60s') nor 'never'", restart_after);

  if (c->mttr > 0)
    {
      if (c->pattern == PATTERN_FIXED)
        return dmas_error_set (err, DMAS_EINVAL, "mttr: random repair times need pattern "
                               "random or cascading; with pattern fixed use restart_after");
      if (c->restart_after != CRASH_NEVER)
        return dmas_error_set (err, DMAS_EINVAL, "mttr and restart_after both give the repair "
                               "time; keep one (mttr: random repairs, restart_after: fixed)");
    }

  if (count < 1 || count > CRASH_MAX_COUNT)
    return dmas_error_set (err, DMAS_EINVAL, "count: %lld is out of range; give 1 to %d "
                           "crashes per agent", (long long) count, CRASH_MAX_COUNT);
  c->count = (uint32_t) count;
  if (c->count > 1 && c->restart_after == CRASH_NEVER && c->mttr == 0)
    return dmas_error_set (err, DMAS_EINVAL, "count: %u crashes per agent need a restart; "
                           "set restart_after (an agent that never restarts cannot crash "
                           "again)", c->count);
  if (c->pattern == PATTERN_FIXED && c->count > 1)
    {
      format_seconds (a, sizeof a, c->every);
      format_seconds (b, sizeof b, c->restart_after);
      if (c->every <= c->restart_after)
        return dmas_error_set (err, DMAS_EINVAL, "every (%s) must be longer than "
                               "restart_after (%s): with count %u, an agent must be back up "
                               "before it crashes again", a, b, c->count);
      if ((c->count - 1) > (UINT64_MAX - 1 - c->at) / c->every)
        return dmas_error_set (err, DMAS_EINVAL, "at + (count - 1) x every is past the end "
                               "of virtual time");
    }
  if (c->pattern != PATTERN_FIXED && c->mtbf == 0)
    return dmas_error_set (err, DMAS_EINVAL, "mtbf: must be longer than 0s with pattern "
                           "%s", pattern);
  if (c->pattern == PATTERN_CASCADING)
    {
      if (neighbours < 1 || neighbours > CRASH_MAX_NEIGHBOURS)
        return dmas_error_set (err, DMAS_EINVAL, "neighbours: %lld is out of range; give 1 to "
                               "%d (ids a+-1 .. a+-k around a crashed agent a)",
                               (long long) neighbours, CRASH_MAX_NEIGHBOURS);
      if (!(c->cascade_factor > 1.0) || !isfinite (c->cascade_factor))
        return dmas_error_set (err, DMAS_EINVAL, "cascade_factor: %g must be more than 1 (the "
                               "neighbours' failure rate is multiplied by it)",
                               c->cascade_factor);
      if (c->cascade_window == 0)
        return dmas_error_set (err, DMAS_EINVAL, "cascade_window: must be longer than 0s with "
                               "pattern cascading");
    }
  c->neighbours = (uint32_t) (neighbours < 1 ? 1 : neighbours);
  return DMAS_OK;
}

static void *
crash_create (DmasCtx *ctx, DmasError *err)
{
  Crash *c = calloc (1, sizeof *c);
  if (c == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "out of memory");
      return NULL;
    }
  if (crash_configure (c, ctx, err) != DMAS_OK)
    {
      crash_destroy (c);
      return NULL;
    }
  return c;
}

/* ---- the timeline ---- */

static void
on_restart (DmasCtx *ctx, void *data)
{
  const Target *t = data;
  int rc = ctx->api->fault_restart (ctx, t->agent);

  if (rc != DMAS_OK)
    dmas_log (ctx, DMAS_LOG_INFO, "restart of agent %u did not happen (status %d)", t->agent,
              rc);
}

static DmasTime draw_exponential (DmasCtx *ctx, DmasTime mean);
static int schedule_crash (Crash *c, DmasCtx *ctx, DmasAgentId agent, DmasTime when,
                           DmasTime repair, DmasError *err);

/* The repair time of one crash: restart_after, or a draw Exp(mean mttr). */
static DmasTime
draw_repair (Crash *c, DmasCtx *ctx)
{
  return c->mttr > 0 ? draw_exponential (ctx, c->mttr) : c->restart_after;
}

/* Pattern cascading, after a crash of `a` took effect now: see the top of the file. */
static void
cascade (Crash *c, DmasCtx *ctx, DmasAgentId a)
{
  const DmasTime mean = (DmasTime) ((double) c->mtbf / (c->cascade_factor - 1.0));
  const DmasTime now = dmas_now (ctx);
  const uint32_t n = c->n_agents;

  if (a >= n || n < 2)
    return;
  for (uint32_t d = 1; d <= c->neighbours && d <= n / 2; d++)
    for (int side = 0; side < 2; side++)
      {
        DmasAgentId b = side == 0 ? (a + d) % n : (a + n - d) % n;
        /* With an even n, a+n/2 and a-n/2 are the same agent: visited once. */
        if (side == 1 && (a + d) % n == b)
          continue;
        DmasTime y = draw_exponential (ctx, mean > 0 ? mean : 1);
        DmasTime repair = draw_repair (c, ctx);
        DmasError err = { 0 };
        if (y >= c->cascade_window)
          continue;
        if (schedule_crash (c, ctx, b, now + y, repair, &err) != DMAS_OK)
          dmas_log (ctx, DMAS_LOG_ERROR, "cascade crash of agent %u not set: %s", b,
                    err.message);
      }
}

static void
on_crash (DmasCtx *ctx, void *data)
{
  const Target *t = data;
  int rc = ctx->api->fault_crash (ctx, t->agent);

  if (rc == DMAS_ESTATE)
    {
      dmas_log (ctx, DMAS_LOG_INFO, "agent %u is already down: crash skipped, and its restart",
                t->agent);
      return;
    }
  if (rc != DMAS_OK)
    {
      dmas_log (ctx, DMAS_LOG_WARNING, "crash of agent %u refused (status %d)", t->agent, rc);
      return;
    }
  if (t->crash->pattern == PATTERN_CASCADING)
    cascade (t->crash, ctx, t->agent);
  if (t->repair == CRASH_NEVER)
    return;
  Target *again = malloc (sizeof *again);
  if (again == NULL)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "out of memory: agent %u will not restart", t->agent);
      return;
    }
  *again = *t;
  ctx->api->timer_add (ctx, t->repair, on_restart, again, free);
}

static int
schedule_crash (Crash *c, DmasCtx *ctx, DmasAgentId agent, DmasTime when, DmasTime repair,
                DmasError *err)
{
  Target *t = malloc (sizeof *t);
  DmasTime now = dmas_now (ctx);

  if (t == NULL)
    return dmas_error_set (err, DMAS_ENOMEM, "out of memory");
  t->crash = c;
  t->agent = agent;
  t->repair = repair;
  ctx->api->timer_add (ctx, when > now ? when - now : 0, on_crash, t, free);
  return DMAS_OK;
}

/* Exp(mean) in whole nanoseconds; CRASH_NEVER when it falls past the end of virtual time. */
static DmasTime
draw_exponential (DmasCtx *ctx, DmasTime mean)
{
  double u = ctx->api->rng_double (ctx);       /* [0, 1) */
  double x = -log (1.0 - u) * (double) mean;   /* 1 - u in (0, 1]: finite, >= 0 */
  return x < 9.0e18 ? (DmasTime) x : CRASH_NEVER;
}

static int
schedule_agent (Crash *c, DmasCtx *ctx, DmasAgentId agent, DmasError *err)
{
  DmasTime t = 0, repair = c->restart_after;

  for (uint32_t k = 0; k < c->count; k++)
    {
      if (c->pattern == PATTERN_FIXED)
        t = c->at + (DmasTime) k * c->every;
      else
        {
          DmasTime up = draw_exponential (ctx, c->mtbf);
          DmasTime base = 0;
          /* A failure beyond the end of virtual time never comes, nor do the ones after it
           * (nor after a repair that never ends). */
          if (k > 0)
            {
              if (repair == CRASH_NEVER || t > CRASH_NEVER - 1 - repair)
                return DMAS_OK;
              base = t + repair;
            }
          if (up == CRASH_NEVER || base > CRASH_NEVER - 1 - up)
            return DMAS_OK;
          t = base + up;
          repair = draw_repair (c, ctx);
        }
      int rc = schedule_crash (c, ctx, agent, t, repair, err);
      if (rc != DMAS_OK)
        return rc;
    }
  return DMAS_OK;
}

static int
crash_arm (void *self, DmasCtx *ctx, DmasError *err)
{
  Crash *c = self;
  int rc;

  if ((rc = dmas_targets_resolve (&c->targets, ctx, err)) != DMAS_OK)
    return rc;
  for (uint32_t i = 0; i < c->targets.n; i++)
    {
      /* Checked now rather than at the crash, so a config that names a controller the run
       * does not have fails before anything runs. */
      if (c->targets.ids[i] >= c->n_agents && ctx->api->agent_up (ctx, c->targets.ids[i]) < 0)
        return dmas_error_set (err, DMAS_EINVAL, "agents: this run has no %s (the controller "
                               "exists in scheduling.mode centralized, the backup only with "
                               "scheduling.ha.backup: true)",
                               c->targets.ids[i] == DMAS_AGENT_CONTROLLER ? "controller" : "backup");
      if ((rc = schedule_agent (c, ctx, c->targets.ids[i], err)) != DMAS_OK)
        return rc;
    }
  return DMAS_OK;
}

/* ---- descriptor ---- */

static const DmasFaultOps crash_ops = {
  .struct_size = sizeof (DmasFaultOps),
  .create = crash_create,
  .destroy = crash_destroy,
  .arm = crash_arm,
};

static const DmasParamSpec crash_params[] = {
  { "agents", DMAS_PARAM_STRING, "random:1",
    "which agents crash: ids (\"1\", \"0,3\"; \"controller\" and \"backup\" in centralized "
    "mode), \"all\", or \"random:N\" (N distinct agents "
    "drawn from the entry's own stream)" },
  { "pattern", DMAS_PARAM_STRING, "fixed",
    "fixed: crash at 'at' (then every 'every'); random: up times drawn from Exp(mean 'mtbf'); "
    "cascading: random, and a crash raises its neighbours' failure rate for a window" },
  { "at", DMAS_PARAM_DURATION, "0s", "pattern fixed: time of the first crash" },
  { "every", DMAS_PARAM_DURATION, "0s",
    "pattern fixed, count > 1: time between two crashes of an agent (> restart_after)" },
  { "mtbf", DMAS_PARAM_DURATION, "1h",
    "pattern random: mean up time from (re)start to the next crash" },
  { "restart_after", DMAS_PARAM_STRING, "never",
    "repair time: the agent restarts this long after it crashed (a duration), or never" },
  { "count", DMAS_PARAM_INT, "1", "crashes per agent (patterns random and cascading: "
    "failures of the base process per agent)" },
  { "mttr", DMAS_PARAM_DURATION, "0s",
    "patterns random and cascading: mean repair time; each repair is drawn from "
    "Exp(mean mttr) (0s: repairs take restart_after)" },
  { "neighbours", DMAS_PARAM_INT, "1",
    "pattern cascading: a crash of agent a raises the failure rate of agents a+-1 .. a+-k "
    "(mod the agent count)" },
  { "cascade_factor", DMAS_PARAM_DOUBLE, "10",
    "pattern cascading: the neighbours' failure rate is multiplied by this (> 1)" },
  { "cascade_window", DMAS_PARAM_DURATION, "60s",
    "pattern cascading: how long after a crash its neighbours fail faster" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent crash_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_FAULT,
    .name = "crash",
    .api_major = DMAS_FAULT_API_MAJOR,
    .api_minor = DMAS_FAULT_API_MINOR,
    .ops = &crash_ops,
    .summary = "crashes agents at given or random times; restarts them after a repair time "
               "or never",
    .params = crash_params,
  },
};

static const DmasPluginDesc crash_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "crash",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = crash_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &crash_desc;
}
