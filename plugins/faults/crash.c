/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fault/crash: crashes agents at given or random times and restarts them after a repair time. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

/* One instance per `faults:` entry.  At arm time (virtual time 0) it picks its target agents
 * and lays out every crash of every target on the timeline:
 *
 *   pattern fixed:  crash k of an agent at  at + k * every          (k = 0 .. count-1)
 *   pattern random: crash 0 at  X0,  crash k at  restart(k-1) + Xk,  Xk ~ Exp(mean mtbf)
 *                   where restart(k) = crash(k) + restart_after: up time is counted from the
 *                   agent's own restart, so mtbf is the mean time from (re)start to failure.
 *
 * Crash timers are all set at arm time, so the schedule a seed gives depends on nothing that
 * happens during the run.  A restart timer is set only when its crash took effect: a crash
 * that finds its agent already down (another entry crashed it) is skipped with its restart,
 * so an entry never revives an agent it did not bring down.  Draws come from the instance's
 * own stream, targets in increasing id order, then crashes in order. */

#define CRASH_NEVER UINT64_MAX  /* restart_after: never */
#define CRASH_MAX_COUNT 100000  /* crashes per agent: a bound on the timers one entry sets */

typedef enum {
  PATTERN_FIXED,
  PATTERN_RANDOM
} Pattern;

typedef struct {
  Pattern pattern;
  DmasTime at, every, mtbf;
  DmasTime restart_after;  /* CRASH_NEVER: the agent stays down */
  uint32_t count;

  /* Targets: either given (`given`, sorted, no duplicates) or drawn at arm time. */
  DmasAgentId *given;
  uint32_t n_given;
  uint32_t n_random;       /* "random:N": N agents drawn at arm time; 0 otherwise */
  uint32_t n_agents;
} Crash;

/* Timer data: which agent the timer is about. */
typedef struct {
  Crash *crash;
  DmasAgentId agent;
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

static uint64_t
gcd (uint64_t a, uint64_t b)
{
  while (b != 0)
    {
      uint64_t r = a % b;
      a = b;
      b = r;
    }
  return a;
}

/* A duration as YAML writes it ("90s", "1.5m"): digits, an optional fraction, a unit among
 * ns us ms s m h d, and a whole number of nanoseconds.  The host parses its own duration
 * parameters; restart_after needs this because it also takes the word "never". */
static int
parse_duration (const char *text, DmasTime *out)
{
  static const struct {
    const char *name;
    uint64_t factor;
  } units[] = {
    { "ns", 1 }, { "us", DMAS_US }, { "ms", DMAS_MS }, { "s", DMAS_S }, { "m", 60 * DMAS_S },
    { "h", 3600 * DMAS_S }, { "d", 86400 * DMAS_S },
  };
  const char *s = text;
  uint64_t whole = 0, frac = 0, scale = 1;

  if (*s < '0' || *s > '9')
    return 0;
  for (; *s >= '0' && *s <= '9'; s++)
    {
      if (whole > (UINT64_MAX - 9) / 10)
        return 0;
      whole = whole * 10 + (uint64_t) (*s - '0');
    }
  if (*s == '.' && s[1] >= '0' && s[1] <= '9')
    for (s++; *s >= '0' && *s <= '9'; s++)
      {
        /* Past nine digits only zeros can still give whole nanoseconds of any unit here. */
        if (scale == 1000000000)
          {
            if (*s != '0')
              return 0;
            continue;
          }
        frac = frac * 10 + (uint64_t) (*s - '0');
        scale *= 10;
      }
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (strcmp (s, units[i].name) == 0)
      {
        /* frac / scale of the unit, exactly: reduce first so nothing overflows. */
        uint64_t f = units[i].factor, q = gcd (f, scale), part;
        if (frac % (scale / q) != 0 || whole > (UINT64_MAX - 1) / f)
          return 0;
        part = frac / (scale / q) * (f / q);
        if (whole * f > UINT64_MAX - 1 - part)
          return 0;
        *out = whole * f + part;
        return 1;
      }
  return 0;
}

/* Reads a decimal agent id or count at *p, advancing it.  Returns 0 when there is none or it
 * does not fit in 32 bits. */
static int
parse_u32 (const char **p, uint32_t *out)
{
  const char *s = *p;
  uint64_t v = 0;

  if (*s < '0' || *s > '9')
    return 0;
  for (; *s >= '0' && *s <= '9'; s++)
    if ((v = v * 10 + (uint64_t) (*s - '0')) > UINT32_MAX)
      return 0;
  *p = s;
  *out = (uint32_t) v;
  return 1;
}

static int
compare_ids (const void *a, const void *b)
{
  DmasAgentId x = *(const DmasAgentId *) a, y = *(const DmasAgentId *) b;
  return x < y ? -1 : x > y;
}

/* `agents`: "all", "random:N", or a list of agent ids "0,3" ("1" is agent 1) in which
 * "controller" and "backup" name the centralized controller's replicas (the host refuses them
 * with DMAS_ENOENT in a run that has none, and the crash is then skipped). */
static int
parse_agents (Crash *c, const char *text, DmasError *err)
{
  static const char usage[] = "write agent ids (\"1\", \"0,3\"), \"controller\", \"backup\", "
                              "\"all\" or \"random:N\"";
  const char *s = text;

  if (strcmp (text, "all") == 0)
    {
      c->n_given = c->n_agents;
      c->given = calloc (c->n_agents, sizeof *c->given);
      if (c->given == NULL)
        return dmas_error_set (err, DMAS_ENOMEM, "out of memory");
      for (uint32_t i = 0; i < c->n_agents; i++)
        c->given[i] = i;
      return DMAS_OK;
    }
  if (strncmp (text, "random:", 7) == 0)
    {
      s += 7;
      if (!parse_u32 (&s, &c->n_random) || *s != '\0' || c->n_random == 0)
        return dmas_error_set (err, DMAS_EINVAL, "agents: '%s': after 'random:' give how many "
                               "agents to draw, at least 1", text);
      if (c->n_random > c->n_agents)
        return dmas_error_set (err, DMAS_EINVAL, "agents: '%s' asks for %u agents but the "
                               "platform has %u", text, c->n_random, c->n_agents);
      return DMAS_OK;
    }

  c->given = calloc (strlen (text) / 2 + 1, sizeof *c->given);
  if (c->given == NULL)
    return dmas_error_set (err, DMAS_ENOMEM, "out of memory");
  for (;;)
    {
      DmasAgentId id;
      while (*s == ' ')
        s++;
      if (strncmp (s, "controller", 10) == 0 && (s[10] == ',' || s[10] == ' ' || s[10] == '\0'))
        {
          id = DMAS_AGENT_CONTROLLER;
          s += 10;
        }
      else if (strncmp (s, "backup", 6) == 0 && (s[6] == ',' || s[6] == ' ' || s[6] == '\0'))
        {
          id = DMAS_AGENT_BACKUP;
          s += 6;
        }
      else if (!parse_u32 (&s, &id))
        return dmas_error_set (err, DMAS_EINVAL, "agents: '%s' is not a list of agents; %s",
                               text, usage);
      else if (id >= c->n_agents)
        return dmas_error_set (err, DMAS_EINVAL, "agents: there is no agent %u (the platform "
                               "has agents 0 to %u)", id, c->n_agents - 1);
      c->given[c->n_given++] = id;
      while (*s == ' ')
        s++;
      if (*s == '\0')
        break;
      if (*s++ != ',')
        return dmas_error_set (err, DMAS_EINVAL, "agents: '%s' is not a list of agents; %s",
                               text, usage);
    }
  qsort (c->given, c->n_given, sizeof *c->given, compare_ids);
  for (uint32_t i = 1; i < c->n_given; i++)
    if (c->given[i] == c->given[i - 1])
      return dmas_error_set (err, DMAS_EINVAL, "agents: agent %u is listed twice in '%s'; "
                             "use count for several crashes of one agent", c->given[i], text);
  return DMAS_OK;
}

/* ---- create / destroy ---- */

static void
crash_destroy (void *self)
{
  Crash *c = self;
  if (c == NULL)
    return;
  free (c->given);
  free (c);
}

/* Reads and checks every parameter; the rules between them are checked here so that a bad
 * entry fails before the run starts, naming the parameters to change. */
static int
crash_configure (Crash *c, DmasCtx *ctx, DmasError *err)
{
  const DmasHostApi *api = ctx->api;
  const char *agents, *pattern, *restart_after;
  int64_t count;
  char a[48], b[48];
  int rc;

  if (api->param_string (ctx, "agents", &agents) != DMAS_OK
      || api->param_string (ctx, "pattern", &pattern) != DMAS_OK
      || api->param_duration (ctx, "at", &c->at) != DMAS_OK
      || api->param_duration (ctx, "every", &c->every) != DMAS_OK
      || api->param_duration (ctx, "mtbf", &c->mtbf) != DMAS_OK
      || api->param_string (ctx, "restart_after", &restart_after) != DMAS_OK
      || api->param_int (ctx, "count", &count) != DMAS_OK)
    return dmas_error_set (err, DMAS_EFAIL, "the host did not give the declared parameters");

  c->n_agents = dmas_n_agents (ctx);
  if ((rc = parse_agents (c, agents, err)) != DMAS_OK)
    return rc;

  if (strcmp (pattern, "fixed") == 0)
    c->pattern = PATTERN_FIXED;
  else if (strcmp (pattern, "random") == 0)
    c->pattern = PATTERN_RANDOM;
  else
    return dmas_error_set (err, DMAS_EINVAL, "pattern: '%s' is not a pattern; use 'fixed' "
                           "(crash at 'at') or 'random' (failures every 'mtbf' on average)",
                           pattern);

  if (strcmp (restart_after, "never") == 0)
    c->restart_after = CRASH_NEVER;
  else if (!parse_duration (restart_after, &c->restart_after))
    return dmas_error_set (err, DMAS_EINVAL, "restart_after: '%s' is neither a duration "
                           "(e.g. '60s') nor 'never'", restart_after);

  if (count < 1 || count > CRASH_MAX_COUNT)
    return dmas_error_set (err, DMAS_EINVAL, "count: %lld is out of range; give 1 to %d "
                           "crashes per agent", (long long) count, CRASH_MAX_COUNT);
  c->count = (uint32_t) count;
  if (c->count > 1 && c->restart_after == CRASH_NEVER)
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
  if (c->pattern == PATTERN_RANDOM && c->mtbf == 0)
    return dmas_error_set (err, DMAS_EINVAL, "mtbf: must be longer than 0s with pattern "
                           "random");
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
  if (t->crash->restart_after == CRASH_NEVER)
    return;
  Target *again = malloc (sizeof *again);
  if (again == NULL)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "out of memory: agent %u will not restart", t->agent);
      return;
    }
  *again = *t;
  ctx->api->timer_add (ctx, t->crash->restart_after, on_restart, again, free);
}

static int
schedule_crash (Crash *c, DmasCtx *ctx, DmasAgentId agent, DmasTime when, DmasError *err)
{
  Target *t = malloc (sizeof *t);
  DmasTime now = dmas_now (ctx);

  if (t == NULL)
    return dmas_error_set (err, DMAS_ENOMEM, "out of memory");
  t->crash = c;
  t->agent = agent;
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
  DmasTime t = 0;

  for (uint32_t k = 0; k < c->count; k++)
    {
      if (c->pattern == PATTERN_FIXED)
        t = c->at + (DmasTime) k * c->every;
      else
        {
          DmasTime up = draw_exponential (ctx, c->mtbf);
          DmasTime base = 0;
          /* A failure beyond the end of virtual time never comes, nor do the ones after it. */
          if (k > 0)
            {
              if (t > CRASH_NEVER - 1 - c->restart_after)
                return DMAS_OK;
              base = t + c->restart_after;
            }
          if (up == CRASH_NEVER || base > CRASH_NEVER - 1 - up)
            return DMAS_OK;
          t = base + up;
        }
      int rc = schedule_crash (c, ctx, agent, t, err);
      if (rc != DMAS_OK)
        return rc;
    }
  return DMAS_OK;
}

/* "random:N": a partial Fisher-Yates shuffle of all ids, the first N kept, sorted. */
static int
draw_targets (Crash *c, DmasCtx *ctx, DmasError *err)
{
  DmasAgentId *ids = calloc (c->n_agents, sizeof *ids);

  if (ids == NULL)
    return dmas_error_set (err, DMAS_ENOMEM, "out of memory");
  for (uint32_t i = 0; i < c->n_agents; i++)
    ids[i] = i;
  for (uint32_t i = 0; i < c->n_random; i++)
    {
      uint32_t j = i + (uint32_t) (ctx->api->rng_u64 (ctx) % (c->n_agents - i));
      DmasAgentId tmp = ids[i];
      ids[i] = ids[j];
      ids[j] = tmp;
    }
  qsort (ids, c->n_random, sizeof *ids, compare_ids);
  free (c->given);
  c->given = ids;
  c->n_given = c->n_random;
  return DMAS_OK;
}

static int
crash_arm (void *self, DmasCtx *ctx, DmasError *err)
{
  Crash *c = self;
  int rc;

  if (c->n_random > 0 && (rc = draw_targets (c, ctx, err)) != DMAS_OK)
    return rc;
  for (uint32_t i = 0; i < c->n_given; i++)
    {
      /* Checked now rather than at the crash, so a config that names a controller the run
       * does not have fails before anything runs. */
      if (c->given[i] >= c->n_agents && ctx->api->agent_up (ctx, c->given[i]) < 0)
        return dmas_error_set (err, DMAS_EINVAL, "agents: this run has no %s (the controller "
                               "exists in scheduling.mode centralized, the backup only with "
                               "scheduling.ha.backup: true)",
                               c->given[i] == DMAS_AGENT_CONTROLLER ? "controller" : "backup");
      if ((rc = schedule_agent (c, ctx, c->given[i], err)) != DMAS_OK)
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
    "fixed: crash at 'at' (then every 'every'); random: up times drawn from Exp(mean 'mtbf')" },
  { "at", DMAS_PARAM_DURATION, "0s", "pattern fixed: time of the first crash" },
  { "every", DMAS_PARAM_DURATION, "0s",
    "pattern fixed, count > 1: time between two crashes of an agent (> restart_after)" },
  { "mtbf", DMAS_PARAM_DURATION, "1h",
    "pattern random: mean up time from (re)start to the next crash" },
  { "restart_after", DMAS_PARAM_STRING, "never",
    "repair time: the agent restarts this long after it crashed (a duration), or never" },
  { "count", DMAS_PARAM_INT, "1", "crashes per agent" },
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
