/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private to plugins/faults: the `agents` parameter of fault components, parsed and drawn. */
#ifndef DMAS_PLUGINS_FAULTS_TARGETS_H
#define DMAS_PLUGINS_FAULTS_TARGETS_H

/* SDK only (no GLib): every function is static inline so that each fault plugin carries its
 * own copy.  The host canonicalises `agents` before a plugin sees it (faults.c fill_config):
 * an unquoted number N arrives as "random:N", a YAML list [0, 3] as "0,3"; so the canonical
 * strings below are all a plugin has to read:
 *
 *   "0,3"         those agents ("1" is agent 1); "controller" and "backup" name the replicas
 *                 of the centralized controller where the caller allows them
 *   "all"         every agent
 *   "random:N"    N distinct agents, drawn at arm time from the entry's own stream by
 *                 dmas_targets_resolve(): a partial Fisher-Yates shuffle of 0..n-1 (one
 *                 rng_u64 per pick, modulo the ids left), the first N kept, sorted */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

typedef struct {
  DmasAgentId *ids;     /* owned (malloc), increasing, no duplicates; controller/backup last */
  uint32_t n;           /* ids in `ids`: 0 until resolved for "random:N" */
  uint32_t n_random;    /* "random:N": N; 0 otherwise */
  uint32_t n_agents;    /* the platform's agent count */
} DmasTargets;

#define DMAS_TARGETS_ALLOW_CONTROLLER 1   /* flags for dmas_targets_parse */

/* Reads a decimal number at *p, advancing it.  Returns 0 when there is none or it does not
 * fit in 32 bits. */
static inline int
dmas_targets_parse_u32 (const char **p, uint32_t *out)
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

static inline int
dmas_targets_compare_ids (const void *a, const void *b)
{
  DmasAgentId x = *(const DmasAgentId *) a, y = *(const DmasAgentId *) b;
  return x < y ? -1 : x > y;
}

/* Frees the ids; the struct can be parsed into again. */
static inline void
dmas_targets_clear (DmasTargets *t)
{
  free (t->ids);
  memset (t, 0, sizeof *t);
}

/* Parses `text` (the value of parameter `param`, named in messages) for a platform of
 * `n_agents` agents into *t (which it first zeroes; clear it with dmas_targets_clear even on
 * error).  `flags` may allow "controller"/"backup".  Returns DMAS_OK, DMAS_EINVAL with err
 * naming the parameter and the fix, or DMAS_ENOMEM. */
static inline int
dmas_targets_parse (DmasTargets *t, const char *param, const char *text, uint32_t n_agents,
                    int flags, DmasError *err)
{
  const char *usage = (flags & DMAS_TARGETS_ALLOW_CONTROLLER)
                        ? "write agent ids (\"1\", \"0,3\"), \"controller\", \"backup\", "
                          "\"all\" or \"random:N\""
                        : "write agent ids (\"1\", \"0,3\"), \"all\" or \"random:N\"";
  const char *s = text;

  memset (t, 0, sizeof *t);
  t->n_agents = n_agents;
  if (strcmp (text, "all") == 0)
    {
      t->ids = calloc (n_agents + 1, sizeof *t->ids);
      if (t->ids == NULL)
        return dmas_error_set (err, DMAS_ENOMEM, "out of memory");
      for (uint32_t i = 0; i < n_agents; i++)
        t->ids[i] = i;
      t->n = n_agents;
      return DMAS_OK;
    }
  if (strncmp (text, "random:", 7) == 0)
    {
      s += 7;
      if (!dmas_targets_parse_u32 (&s, &t->n_random) || *s != '\0' || t->n_random == 0)
        return dmas_error_set (err, DMAS_EINVAL, "%s: '%s': after 'random:' give how many "
                               "agents to draw, at least 1", param, text);
      if (t->n_random > n_agents)
        return dmas_error_set (err, DMAS_EINVAL, "%s: '%s' asks for %u agents but the "
                               "platform has %u", param, text, t->n_random, n_agents);
      return DMAS_OK;
    }

  t->ids = calloc (strlen (text) / 2 + 1, sizeof *t->ids);
  if (t->ids == NULL)
    return dmas_error_set (err, DMAS_ENOMEM, "out of memory");
  for (;;)
    {
      DmasAgentId id;
      while (*s == ' ')
        s++;
      if ((flags & DMAS_TARGETS_ALLOW_CONTROLLER) && strncmp (s, "controller", 10) == 0
          && (s[10] == ',' || s[10] == ' ' || s[10] == '\0'))
        {
          id = DMAS_AGENT_CONTROLLER;
          s += 10;
        }
      else if ((flags & DMAS_TARGETS_ALLOW_CONTROLLER) && strncmp (s, "backup", 6) == 0
               && (s[6] == ',' || s[6] == ' ' || s[6] == '\0'))
        {
          id = DMAS_AGENT_BACKUP;
          s += 6;
        }
      else if (!dmas_targets_parse_u32 (&s, &id))
        return dmas_error_set (err, DMAS_EINVAL, "%s: '%s' is not a list of agents; %s",
                               param, text, usage);
      else if (id >= n_agents)
        return dmas_error_set (err, DMAS_EINVAL, "%s: there is no agent %u (the platform "
                               "has agents 0 to %u)", param, id, n_agents - 1);
      t->ids[t->n++] = id;
      while (*s == ' ')
        s++;
      if (*s == '\0')
        break;
      if (*s++ != ',')
        return dmas_error_set (err, DMAS_EINVAL, "%s: '%s' is not a list of agents; %s",
                               param, text, usage);
    }
  qsort (t->ids, t->n, sizeof *t->ids, dmas_targets_compare_ids);
  for (uint32_t i = 1; i < t->n; i++)
    if (t->ids[i] == t->ids[i - 1])
      return dmas_error_set (err, DMAS_EINVAL, "%s: agent %u is listed twice in '%s'",
                             param, t->ids[i], text);
  return DMAS_OK;
}

/* Draws `k` (<= n_agents) distinct agents of 0..n_agents-1 from ctx's stream into `out`
 * (room for n_agents ids; the first k are the draw, sorted).  Returns DMAS_OK. */
static inline int
dmas_targets_draw (DmasCtx *ctx, uint32_t n_agents, uint32_t k, DmasAgentId *out)
{
  for (uint32_t i = 0; i < n_agents; i++)
    out[i] = i;
  for (uint32_t i = 0; i < k; i++)
    {
      uint32_t j = i + (uint32_t) (ctx->api->rng_u64 (ctx) % (n_agents - i));
      DmasAgentId tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
  qsort (out, k, sizeof *out, dmas_targets_compare_ids);
  return DMAS_OK;
}

/* "random:N": draws the N agents (at arm time, from the entry's stream); a no-op for given
 * targets.  Returns DMAS_OK or DMAS_ENOMEM. */
static inline int
dmas_targets_resolve (DmasTargets *t, DmasCtx *ctx, DmasError *err)
{
  if (t->n_random == 0)
    return DMAS_OK;
  DmasAgentId *ids = calloc (t->n_agents + 1, sizeof *ids);
  if (ids == NULL)
    return dmas_error_set (err, DMAS_ENOMEM, "out of memory");
  dmas_targets_draw (ctx, t->n_agents, t->n_random, ids);
  free (t->ids);
  t->ids = ids;
  t->n = t->n_random;
  return DMAS_OK;
}

/* 1 when `agent` is among the (resolved) targets. */
static inline int
dmas_targets_contains (const DmasTargets *t, DmasAgentId agent)
{
  for (uint32_t i = 0; i < t->n; i++)
    if (t->ids[i] == agent)
      return 1;
  return 0;
}

/* Writes the resolved targets as a JSON array ("[0,3]") into buf.  Returns 1, or 0 when it
 * does not fit.  Controller/backup come out as "controller"/"backup". */
static inline int
dmas_targets_to_json (const DmasTargets *t, char *buf, size_t size)
{
  size_t len = 0;
  int w;

  if (size < 3)
    return 0;
  buf[len++] = '[';
  for (uint32_t i = 0; i < t->n; i++)
    {
      if (t->ids[i] == DMAS_AGENT_CONTROLLER)
        w = snprintf (buf + len, size - len, "%s\"controller\"", i > 0 ? "," : "");
      else if (t->ids[i] == DMAS_AGENT_BACKUP)
        w = snprintf (buf + len, size - len, "%s\"backup\"", i > 0 ? "," : "");
      else
        w = snprintf (buf + len, size - len, "%s%u", i > 0 ? "," : "", t->ids[i]);
      if (w < 0 || (size_t) w >= size - len)
        return 0;
      len += (size_t) w;
    }
  if (len + 2 > size)
    return 0;
  buf[len++] = ']';
  buf[len] = '\0';
  return 1;
}

#endif /* DMAS_PLUGINS_FAULTS_TARGETS_H */
