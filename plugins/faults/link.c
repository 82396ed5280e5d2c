/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fault/link: bad links for a while: loss, duplication, reordering, corruption, extra delay. */
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

#include "targets.h"

/* One instance per `faults:` entry.  At `at` it adds one link fault (DmasLinkFault) per
 * directed link it selects — from "any" to "any" is a single rule for every link, otherwise
 * one per (from, to) pair of the listed agents, skipping from == to (a message to oneself
 * crosses no link) — and removes them `for` later (for = 0: at the end of the run).  What a
 * rule does to each message, and in which order, is the network's (framework/net/netfaults.c,
 * README "Partitions and bad links"): loss, corruption, delay + jitter, reorder, duplication,
 * drawn per message from the run's "net/faults" stream.  The entry's own stream is used only
 * to draw "random:N" ends, at arm time, `from` before `to`. */

typedef struct {
  DmasLinkFault fault;     /* from/to filled per rule */
  DmasTargets from, to;    /* n == 0 and n_random == 0: any */
  int from_any, to_any;
  DmasTime at, length;
  uint64_t *ids;           /* the rules added, while active */
  uint32_t n_ids;
} Link;

static int
parse_end (const char *param, const char *text, uint32_t n_agents, DmasTargets *t, int *any,
           DmasError *err)
{
  if (strcmp (text, "any") == 0 || strcmp (text, "all") == 0)
    {
      memset (t, 0, sizeof *t);
      *any = 1;
      return DMAS_OK;
    }
  *any = 0;
  return dmas_targets_parse (t, param, text, n_agents, DMAS_TARGETS_ALLOW_CONTROLLER, err);
}

static int
probability (DmasCtx *ctx, const char *name, double *out, DmasError *err)
{
  if (ctx->api->param_double (ctx, name, out) != DMAS_OK)
    return dmas_error_set (err, DMAS_EFAIL, "the host did not give the declared parameters");
  if (!(*out >= 0.0 && *out <= 1.0))
    return dmas_error_set (err, DMAS_EINVAL, "%s: %g is not a probability; give 0 to 1 "
                           "(0.05 = 5 %% of the messages)", name, *out);
  return DMAS_OK;
}

static int
configure (Link *l, DmasCtx *ctx, DmasError *err)
{
  const DmasHostApi *api = ctx->api;
  const char *from, *to;
  int undetected, rc;

  l->fault.struct_size = sizeof l->fault;
  if ((rc = probability (ctx, "loss", &l->fault.loss, err)) != DMAS_OK
      || (rc = probability (ctx, "duplicate", &l->fault.duplicate, err)) != DMAS_OK
      || (rc = probability (ctx, "reorder", &l->fault.reorder, err)) != DMAS_OK
      || (rc = probability (ctx, "corrupt", &l->fault.corrupt, err)) != DMAS_OK)
    return rc;
  if (api->param_bool (ctx, "undetected", &undetected) != DMAS_OK
      || api->param_duration (ctx, "delay", &l->fault.delay) != DMAS_OK
      || api->param_duration (ctx, "jitter", &l->fault.delay_jitter) != DMAS_OK
      || api->param_string (ctx, "from", &from) != DMAS_OK
      || api->param_string (ctx, "to", &to) != DMAS_OK
      || api->param_duration (ctx, "at", &l->at) != DMAS_OK
      || api->param_duration (ctx, "for", &l->length) != DMAS_OK)
    return dmas_error_set (err, DMAS_EFAIL, "the host did not give the declared parameters");
  l->fault.corrupt_undetected = undetected != 0;

  const uint32_t n = dmas_n_agents (ctx);
  if ((rc = parse_end ("from", from, n, &l->from, &l->from_any, err)) != DMAS_OK
      || (rc = parse_end ("to", to, n, &l->to, &l->to_any, err)) != DMAS_OK)
    return rc;

  const DmasLinkFault *f = &l->fault;
  if (undetected && f->corrupt == 0.0)
    return dmas_error_set (err, DMAS_EINVAL, "undetected: true needs corrupt > 0");
  if (f->loss == 0.0 && f->duplicate == 0.0 && f->reorder == 0.0 && f->corrupt == 0.0
      && f->delay == 0 && f->delay_jitter == 0)
    return dmas_error_set (err, DMAS_EINVAL, "this link fault does nothing; set at least one "
                           "of loss, duplicate, reorder, corrupt, delay, jitter");
  if (f->reorder > 0.0 && f->delay == 0 && f->delay_jitter == 0)
    return dmas_error_set (err, DMAS_EINVAL, "reorder: a reordered message overtakes the "
                           "messages this fault holds back, and with no delay or jitter it "
                           "holds none back; set delay (e.g. delay: 10ms)");
  return DMAS_OK;
}

static void
link_destroy (void *self)
{
  Link *l = self;
  if (l == NULL)
    return;
  dmas_targets_clear (&l->from);
  dmas_targets_clear (&l->to);
  free (l->ids);
  free (l);
}

static void *
link_create (DmasCtx *ctx, DmasError *err)
{
  Link *l = calloc (1, sizeof *l);
  if (l == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "out of memory");
      return NULL;
    }
  if (configure (l, ctx, err) != DMAS_OK)
    {
      link_destroy (l);
      return NULL;
    }
  return l;
}

static void
on_end (DmasCtx *ctx, void *data)
{
  Link *l = data;
  for (uint32_t i = 0; i < l->n_ids; i++)
    {
      int rc = ctx->api->fault_link_remove (ctx, l->ids[i]);
      if (rc != DMAS_OK)
        dmas_log (ctx, DMAS_LOG_WARNING, "removing link fault %llu refused (status %d)",
                  (unsigned long long) l->ids[i], rc);
    }
  l->n_ids = 0;
}

static void
add_rule (Link *l, DmasCtx *ctx, DmasAgentId from, DmasAgentId to)
{
  DmasLinkFault f = l->fault;
  uint64_t id = 0;
  f.from = from;
  f.to = to;
  int rc = ctx->api->fault_link_add (ctx, &f, &id);
  if (rc == DMAS_OK)
    l->ids[l->n_ids++] = id;
  else
    dmas_log (ctx, DMAS_LOG_WARNING, "link fault refused (status %d)", rc);
}

static void
on_start (DmasCtx *ctx, void *data)
{
  Link *l = data;
  const uint32_t n_from = l->from_any ? 1 : l->from.n, n_to = l->to_any ? 1 : l->to.n;

  l->ids = calloc ((size_t) n_from * n_to + 1, sizeof *l->ids);
  if (l->ids == NULL)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "out of memory: link fault skipped");
      return;
    }
  for (uint32_t i = 0; i < n_from; i++)
    for (uint32_t j = 0; j < n_to; j++)
      {
        DmasAgentId from = l->from_any ? DMAS_AGENT_NONE : l->from.ids[i];
        DmasAgentId to = l->to_any ? DMAS_AGENT_NONE : l->to.ids[j];
        if (from != DMAS_AGENT_NONE && from == to)
          continue;
        add_rule (l, ctx, from, to);
      }
  if (l->length > 0)
    ctx->api->timer_add (ctx, l->length, on_end, l, NULL);
}

static int
link_arm (void *self, DmasCtx *ctx, DmasError *err)
{
  Link *l = self;
  int rc;

  if ((rc = dmas_targets_resolve (&l->from, ctx, err)) != DMAS_OK
      || (rc = dmas_targets_resolve (&l->to, ctx, err)) != DMAS_OK)
    return rc;
  for (int side = 0; side < 2; side++)
    {
      const DmasTargets *t = side == 0 ? &l->from : &l->to;
      for (uint32_t i = 0; i < t->n; i++)
        if (t->ids[i] >= t->n_agents && ctx->api->agent_up (ctx, t->ids[i]) < 0)
          return dmas_error_set (err, DMAS_EINVAL, "%s: this run has no %s (the controller "
                                 "exists in scheduling.mode centralized, the backup only "
                                 "with scheduling.ha.backup: true)", side == 0 ? "from" : "to",
                                 t->ids[i] == DMAS_AGENT_CONTROLLER ? "controller" : "backup");
    }
  ctx->api->timer_add (ctx, l->at, on_start, l, NULL);
  return DMAS_OK;
}

/* ---- descriptor ---- */

static const DmasFaultOps link_ops = {
  .struct_size = sizeof (DmasFaultOps),
  .create = link_create,
  .destroy = link_destroy,
  .arm = link_arm,
};

static const DmasParamSpec link_params[] = {
  { "loss", DMAS_PARAM_DOUBLE, "0", "probability that a message is dropped" },
  { "duplicate", DMAS_PARAM_DOUBLE, "0",
    "probability that a message is delivered twice (the copy right after it)" },
  { "reorder", DMAS_PARAM_DOUBLE, "0",
    "probability that a message skips the delay and the link's FIFO order, overtaking "
    "messages held back (needs delay or jitter)" },
  { "corrupt", DMAS_PARAM_DOUBLE, "0",
    "probability that a byte of the body is damaged (the receiver's checksum drops it)" },
  { "undetected", DMAS_PARAM_BOOL, "false",
    "damaged bodies pass the checksum and are delivered as if intact" },
  { "delay", DMAS_PARAM_DURATION, "0s", "extra delay of every message" },
  { "jitter", DMAS_PARAM_DURATION, "0s", "plus U{0..jitter} per message" },
  { "from", DMAS_PARAM_STRING, "any",
    "senders: any, agent ids (\"1\", \"0,3\"), \"random:N\", controller, backup" },
  { "to", DMAS_PARAM_STRING, "any", "receivers, as from" },
  { "at", DMAS_PARAM_DURATION, "0s", "when the links go bad" },
  { "for", DMAS_PARAM_DURATION, "0s", "how long they stay bad; 0s: until the end" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent link_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_FAULT,
    .name = "link",
    .api_major = DMAS_FAULT_API_MAJOR,
    .api_minor = DMAS_FAULT_API_MINOR,
    .ops = &link_ops,
    .summary = "bad links for a while: loss, duplication, reordering, corruption (detected "
               "or not), extra delay and jitter, on all links or selected ones",
    .params = link_params,
  },
};

static const DmasPluginDesc link_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "link",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = link_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &link_desc;
}
