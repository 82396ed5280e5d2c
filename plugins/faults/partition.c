/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fault/partition: splits the network into groups for a while (halves, minority, isolate,
 * ring, fraction or explicit groups), then heals it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

#include "targets.h"

/* One instance per `faults:` entry.  Occurrence k of the partition starts at
 *
 *   pattern fixed:  at + k * every                                  (k = 0 .. count-1)
 *   pattern random: end(k-1) + Xk,  Xk ~ Exp(mean mtbf),  end(k) = start(k) + for,  end(-1) = 0
 *
 * and is healed `for` later (for = 0: never; then count must be 1).  The times are laid out at
 * arm time; the members of drawn groups are drawn when each occurrence starts, so every
 * occurrence of a `minority` entry may cut a different minority.  All draws come from the
 * entry's own stream: onsets first (at arm time), then the members of each occurrence in
 * order.  The groups, with agents numbered 0..n-1:
 *
 *   halves     floor(n/2) agents drawn | the rest
 *   minority   floor((n-1)/2) agents drawn | the rest (the largest minority that leaves a
 *              majority: crash-tolerant protocols keep a quorum on the other side)
 *   majority   the same split as minority: for configs that name the side that matters
 *   isolate    the agents of `agents` (default one drawn) | the rest
 *   fraction   round(fraction * n) agents drawn | the rest (1 .. n-1 agents)
 *   ring       no groups: agent i reaches agent j only when their distance on the ring
 *              0..n-1 (min(|i-j|, n-|i-j|)) is at most k
 *   "0,1|2,3"  explicit groups, every agent in exactly one
 *
 * `direction` makes the cut between the first group and the others one-way: `out` stops the
 * first group's messages to the others (theirs still reach it), `in` the reverse. */

#define PARTITION_MAX_COUNT 100000

typedef enum { KIND_HALVES, KIND_MINORITY, KIND_ISOLATE, KIND_FRACTION, KIND_RING,
               KIND_EXPLICIT } Kind;
typedef enum { DIR_BOTH, DIR_OUT, DIR_IN } Direction;

typedef struct {
  Kind kind;
  Direction direction;
  int controller_all;      /* controller: all */
  int has_controller;      /* centralized mode: pass `with` */
  DmasTargets isolated;    /* KIND_ISOLATE */
  uint32_t *explicit_group; /* KIND_EXPLICIT: group index of each agent */
  uint32_t first_size;     /* halves, minority, fraction: size of the drawn group */
  uint32_t k;              /* ring */
  int random;
  DmasTime at, every, mtbf, length;
  uint32_t count;
  uint32_t n_agents;
} Partition;

typedef struct {
  Partition *p;
  uint64_t id;             /* set when the partition took effect */
} Occurrence;

/* ---- parameters ---- */

static int
parse_explicit (Partition *p, const char *text, DmasError *err)
{
  const char *s = text;
  uint32_t group = 0;

  p->explicit_group = malloc (p->n_agents * sizeof *p->explicit_group);
  if (p->explicit_group == NULL)
    return dmas_error_set (err, DMAS_ENOMEM, "out of memory");
  for (uint32_t i = 0; i < p->n_agents; i++)
    p->explicit_group[i] = UINT32_MAX;
  for (;;)
    {
      uint32_t id;
      while (*s == ' ')
        s++;
      if (!dmas_targets_parse_u32 (&s, &id))
        return dmas_error_set (err, DMAS_EINVAL, "groups: '%s' is neither a group kind "
                               "(halves, minority, majority, isolate, fraction, ring) nor "
                               "explicit groups such as \"0,1|2,3,4\"", text);
      if (id >= p->n_agents)
        return dmas_error_set (err, DMAS_EINVAL, "groups: there is no agent %u (the platform "
                               "has agents 0 to %u)", id, p->n_agents - 1);
      if (p->explicit_group[id] != UINT32_MAX)
        return dmas_error_set (err, DMAS_EINVAL, "groups: agent %u appears twice in '%s'",
                               id, text);
      p->explicit_group[id] = group;
      while (*s == ' ')
        s++;
      if (*s == '\0')
        break;
      if (*s == '|')
        group++;
      else if (*s != ',')
        return dmas_error_set (err, DMAS_EINVAL, "groups: '%s': separate agents with ',' "
                               "and groups with '|', e.g. \"0,1|2,3,4\"", text);
      s++;
    }
  if (group == 0)
    return dmas_error_set (err, DMAS_EINVAL, "groups: '%s' is a single group; give at least "
                           "two, separated by '|'", text);
  for (uint32_t i = 0; i < p->n_agents; i++)
    if (p->explicit_group[i] == UINT32_MAX)
      return dmas_error_set (err, DMAS_EINVAL, "groups: agent %u is in no group of '%s'; "
                             "list every agent 0 to %u once", i, text, p->n_agents - 1);
  return DMAS_OK;
}

static int
configure (Partition *p, DmasCtx *ctx, DmasError *err)
{
  const DmasHostApi *api = ctx->api;
  const char *groups, *agents, *direction, *pattern, *controller;
  double fraction;
  int64_t k, count;
  int rc;

  if (api->param_string (ctx, "groups", &groups) != DMAS_OK
      || api->param_string (ctx, "agents", &agents) != DMAS_OK
      || api->param_double (ctx, "fraction", &fraction) != DMAS_OK
      || api->param_int (ctx, "k", &k) != DMAS_OK
      || api->param_string (ctx, "direction", &direction) != DMAS_OK
      || api->param_string (ctx, "controller", &controller) != DMAS_OK
      || api->param_string (ctx, "pattern", &pattern) != DMAS_OK
      || api->param_duration (ctx, "at", &p->at) != DMAS_OK
      || api->param_duration (ctx, "for", &p->length) != DMAS_OK
      || api->param_duration (ctx, "every", &p->every) != DMAS_OK
      || api->param_duration (ctx, "mtbf", &p->mtbf) != DMAS_OK
      || api->param_int (ctx, "count", &count) != DMAS_OK)
    return dmas_error_set (err, DMAS_EFAIL, "the host did not give the declared parameters");

  const uint32_t n = p->n_agents = dmas_n_agents (ctx);
  if (n < 2)
    return dmas_error_set (err, DMAS_EINVAL, "groups: a partition needs at least 2 agents; "
                           "the platform has %u", n);
  if (strcmp (groups, "halves") == 0)
    {
      p->kind = KIND_HALVES;
      p->first_size = n / 2;
    }
  else if (strcmp (groups, "minority") == 0 || strcmp (groups, "majority") == 0)
    {
      p->kind = KIND_MINORITY;
      p->first_size = (n - 1) / 2;
      if (p->first_size == 0)
        return dmas_error_set (err, DMAS_EINVAL, "groups: %s: with %u agents there is no "
                               "minority of at least one agent; use isolate or explicit "
                               "groups", groups, n);
    }
  else if (strcmp (groups, "isolate") == 0)
    p->kind = KIND_ISOLATE;
  else if (strcmp (groups, "fraction") == 0)
    {
      p->kind = KIND_FRACTION;
      double size = round (fraction * (double) n);
      if (!(size >= 1.0 && size <= (double) n - 1.0))
        return dmas_error_set (err, DMAS_EINVAL, "fraction: %g of %u agents gives a group of "
                               "%g; give a fraction leaving 1 to %u agents on each side",
                               fraction, n, size, n - 1);
      p->first_size = (uint32_t) size;
    }
  else if (strcmp (groups, "ring") == 0)
    {
      p->kind = KIND_RING;
      if (k < 1 || 2 * k >= (int64_t) n - 1)
        return dmas_error_set (err, DMAS_EINVAL, "k: %lld: on a ring of %u agents give k from "
                               "1 to %d (with 2k >= n - 1 everyone reaches everyone)",
                               (long long) k, n, n > 3 ? (int) (n - 2) / 2 : 0);
      p->k = (uint32_t) k;
    }
  else
    {
      p->kind = KIND_EXPLICIT;
      if ((rc = parse_explicit (p, groups, err)) != DMAS_OK)
        return rc;
    }

  if (p->kind == KIND_ISOLATE)
    {
      if ((rc = dmas_targets_parse (&p->isolated, "agents", strcmp (agents, "none") != 0
                                                                   ? agents : "random:1",
                                    n, 0, err)) != DMAS_OK)
        return rc;
      if (p->isolated.n == n || p->isolated.n_random == n)
        return dmas_error_set (err, DMAS_EINVAL, "agents: isolating every agent leaves no "
                               "one on the other side");
    }
  else if (strcmp (agents, "none") != 0)
    return dmas_error_set (err, DMAS_EINVAL, "agents: only groups: isolate takes agents "
                           "(the other kinds draw their groups from the entry's stream or "
                           "list them: groups: \"0,1|2,3,4\")");

  if (strcmp (direction, "both") == 0)
    p->direction = DIR_BOTH;
  else if (strcmp (direction, "out") == 0)
    p->direction = DIR_OUT;
  else if (strcmp (direction, "in") == 0)
    p->direction = DIR_IN;
  else
    return dmas_error_set (err, DMAS_EINVAL, "direction: '%s': use both, out (the first "
                           "group's messages do not reach the others) or in (the others' do "
                           "not reach the first group)", direction);
  if (p->kind == KIND_RING && p->direction != DIR_BOTH)
    return dmas_error_set (err, DMAS_EINVAL, "direction: a ring has no first group; leave "
                           "direction: both");

  if (strcmp (controller, "largest") == 0)
    p->controller_all = 0;
  else if (strcmp (controller, "all") == 0)
    p->controller_all = 1;
  else
    return dmas_error_set (err, DMAS_EINVAL, "controller: '%s': use largest (the controller "
                           "replicas are on the largest group's side) or all (they reach "
                           "everyone)", controller);

  if (strcmp (pattern, "fixed") == 0)
    p->random = 0;
  else if (strcmp (pattern, "random") == 0)
    p->random = 1;
  else
    return dmas_error_set (err, DMAS_EINVAL, "pattern: '%s': use fixed (at 'at', then every "
                           "'every') or random (onsets after Exp(mtbf) of healed time)",
                           pattern);
  if (count < 1 || count > PARTITION_MAX_COUNT)
    return dmas_error_set (err, DMAS_EINVAL, "count: %lld: give 1 to %d partitions",
                           (long long) count, PARTITION_MAX_COUNT);
  p->count = (uint32_t) count;
  if (p->count > 1 && p->length == 0)
    return dmas_error_set (err, DMAS_EINVAL, "for: count %u partitions need a duration; a "
                           "partition with for: 0s is never healed", p->count);
  if (!p->random && p->count > 1 && p->every <= p->length)
    return dmas_error_set (err, DMAS_EINVAL, "every must be longer than for with count %u: "
                           "a partition is healed before the next one starts", p->count);
  if (p->random && p->mtbf == 0)
    return dmas_error_set (err, DMAS_EINVAL, "mtbf: must be longer than 0s with pattern "
                           "random");
  return DMAS_OK;
}

static void
partition_destroy (void *self)
{
  Partition *p = self;
  if (p == NULL)
    return;
  dmas_targets_clear (&p->isolated);
  free (p->explicit_group);
  free (p);
}

static void *
partition_create (DmasCtx *ctx, DmasError *err)
{
  Partition *p = calloc (1, sizeof *p);
  if (p == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "out of memory");
      return NULL;
    }
  if (configure (p, ctx, err) != DMAS_OK)
    {
      partition_destroy (p);
      return NULL;
    }
  return p;
}

/* ---- one occurrence ---- */

/* Group index of every agent for this occurrence (0 = the first group), drawing what the
 * kind draws.  Returns 0 when out of memory. */
static int
assign_groups (Partition *p, DmasCtx *ctx, uint32_t *group)
{
  const uint32_t n = p->n_agents;

  switch (p->kind)
    {
    case KIND_EXPLICIT:
      memcpy (group, p->explicit_group, n * sizeof *group);
      return 1;
    case KIND_RING:
      return 1;
    case KIND_ISOLATE:
      {
        DmasError err = { 0 };
        if (dmas_targets_resolve (&p->isolated, ctx, &err) != DMAS_OK)
          return 0;
        for (uint32_t i = 0; i < n; i++)
          group[i] = dmas_targets_contains (&p->isolated, i) ? 0 : 1;
        /* "random:N" draws again at the next occurrence. */
        if (p->isolated.n_random > 0)
          p->isolated.n = 0;
        return 1;
      }
    default:
      {
        DmasAgentId *ids = malloc ((n + 1) * sizeof *ids);
        if (ids == NULL)
          return 0;
        dmas_targets_draw (ctx, n, p->first_size, ids);
        for (uint32_t i = 0; i < n; i++)
          group[i] = 1;
        for (uint32_t i = 0; i < p->first_size; i++)
          group[ids[i]] = 0;
        free (ids);
        return 1;
      }
    }
}

static uint32_t
ring_distance (uint32_t i, uint32_t j, uint32_t n)
{
  uint32_t d = i > j ? i - j : j - i;
  return d < n - d ? d : n - d;
}

/* The lowest agent of the largest group (ties: the group whose lowest agent is lowest). */
static DmasAgentId
largest_side (const uint32_t *group, uint32_t n)
{
  DmasAgentId best = 0;
  uint32_t best_size = 0;
  for (uint32_t a = 0; a < n; a++)
    {
      uint32_t size = 0, lowest = a;
      for (uint32_t b = 0; b < n; b++)
        if (group[b] == group[a])
          {
            size++;
            if (b < lowest)
              lowest = b;
          }
      if (lowest == a && size > best_size)
        {
          best = a;
          best_size = size;
        }
    }
  return best;
}

static void
on_heal (DmasCtx *ctx, void *data)
{
  Occurrence *o = data;
  if (o->id == 0)
    return;
  int rc = ctx->api->fault_heal (ctx, o->id);
  if (rc != DMAS_OK)
    dmas_log (ctx, DMAS_LOG_WARNING, "heal of partition %llu refused (status %d)",
              (unsigned long long) o->id, rc);
}

static void
on_start (DmasCtx *ctx, void *data)
{
  Occurrence *o = data;
  Partition *p = o->p;
  const uint32_t n = p->n_agents;
  uint32_t *group = calloc (n, sizeof *group);
  uint8_t *reach = malloc ((size_t) n * n);

  if (group == NULL || reach == NULL || !assign_groups (p, ctx, group))
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "out of memory: partition skipped");
      free (group);
      free (reach);
      return;
    }
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t j = 0; j < n; j++)
      {
        int r;
        if (p->kind == KIND_RING)
          r = ring_distance (i, j, n) <= p->k;
        else
          r = group[i] == group[j]
              || (p->direction == DIR_OUT && group[i] != 0 && group[j] == 0)
              || (p->direction == DIR_IN && group[i] == 0 && group[j] != 0);
        reach[(size_t) i * n + j] = (uint8_t) r;
      }
  DmasAgentId with = DMAS_AGENT_NONE;
  if (p->has_controller && !p->controller_all && p->kind != KIND_RING)
    with = largest_side (group, n);
  int rc = ctx->api->fault_partition (ctx, reach, n, with, &o->id);
  free (group);
  free (reach);
  if (rc != DMAS_OK)
    {
      dmas_log (ctx, DMAS_LOG_WARNING, "partition refused (status %d)", rc);
      return;
    }
  if (p->length > 0)
    {
      Occurrence *again = malloc (sizeof *again);
      if (again == NULL)
        {
          dmas_log (ctx, DMAS_LOG_ERROR, "out of memory: partition %llu is never healed",
                    (unsigned long long) o->id);
          return;
        }
      *again = *o;
      ctx->api->timer_add (ctx, p->length, on_heal, again, free);
    }
}

/* Exp(mean) in whole ns; UINT64_MAX when past the end of virtual time. */
static DmasTime
draw_exponential (DmasCtx *ctx, DmasTime mean)
{
  double u = ctx->api->rng_double (ctx);
  double x = -log (1.0 - u) * (double) mean;
  return x < 9.0e18 ? (DmasTime) x : UINT64_MAX;
}

static int
partition_arm (void *self, DmasCtx *ctx, DmasError *err)
{
  Partition *p = self;
  DmasTime start = 0, end = 0;

  p->has_controller = ctx->api->agent_up (ctx, DMAS_AGENT_CONTROLLER) >= 0;
  for (uint32_t k = 0; k < p->count; k++)
    {
      if (!p->random)
        start = p->at + (DmasTime) k * p->every;
      else
        {
          DmasTime up = draw_exponential (ctx, p->mtbf);
          /* An onset past the end of virtual time never comes, nor those after it. */
          if (up == UINT64_MAX || end > UINT64_MAX / 2 - up)
            return DMAS_OK;
          start = end + up;
        }
      if (start > UINT64_MAX / 2 - p->length)
        return DMAS_OK;
      end = start + p->length;
      Occurrence *o = malloc (sizeof *o);
      if (o == NULL)
        return dmas_error_set (err, DMAS_ENOMEM, "out of memory");
      o->p = p;
      o->id = 0;
      ctx->api->timer_add (ctx, start, on_start, o, free);
    }
  return DMAS_OK;
}

/* ---- descriptor ---- */

static const DmasFaultOps partition_ops = {
  .struct_size = sizeof (DmasFaultOps),
  .create = partition_create,
  .destroy = partition_destroy,
  .arm = partition_arm,
};

static const DmasParamSpec partition_params[] = {
  { "groups", DMAS_PARAM_STRING, "minority",
    "halves, minority (floor((n-1)/2) agents drawn | the rest), majority (the same split), "
    "isolate (the `agents` | the rest), fraction, ring (reach only ring neighbours within k), "
    "or explicit groups \"0,1|2,3,4\"" },
  { "agents", DMAS_PARAM_STRING, "none",
    "groups isolate: the isolated agents (ids \"1\", \"0,3\", or \"random:N\"); none: one "
    "drawn" },
  { "fraction", DMAS_PARAM_DOUBLE, "0.5",
    "groups fraction: the first group has round(fraction x n) agents, drawn" },
  { "k", DMAS_PARAM_INT, "1", "groups ring: an agent reaches those within ring distance k" },
  { "direction", DMAS_PARAM_STRING, "both",
    "both; out: the first group's messages do not reach the others (theirs reach it); in: the "
    "reverse" },
  { "controller", DMAS_PARAM_STRING, "largest",
    "centralized mode: the controller replicas are on the largest group's side (largest) or "
    "reach everyone (all)" },
  { "pattern", DMAS_PARAM_STRING, "fixed",
    "fixed: start at 'at' (then every 'every'); random: onsets after Exp(mean 'mtbf') of "
    "healed time" },
  { "at", DMAS_PARAM_DURATION, "0s", "pattern fixed: start of the first partition" },
  { "for", DMAS_PARAM_DURATION, "0s", "how long each partition lasts; 0s: until the end" },
  { "every", DMAS_PARAM_DURATION, "0s", "pattern fixed, count > 1: time between two starts" },
  { "mtbf", DMAS_PARAM_DURATION, "1h", "pattern random: mean healed time before a partition" },
  { "count", DMAS_PARAM_INT, "1", "how many partitions" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent partition_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_FAULT,
    .name = "partition",
    .api_major = DMAS_FAULT_API_MAJOR,
    .api_minor = DMAS_FAULT_API_MINOR,
    .ops = &partition_ops,
    .summary = "partitions the network into groups (halves, minority, isolate, ring, "
               "fraction, explicit) for a while, then heals it",
    .params = partition_params,
  },
};

static const DmasPluginDesc partition_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "partition",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = partition_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &partition_desc;
}
