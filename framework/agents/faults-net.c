/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Network faults, host side: the fault calls for link faults and partitions, and their log. */
#include "config.h"

#include <math.h>

#include "agents/faults.h"
#include "agents/sim-private.h"
#include "metrics/summary.h"

/* The same gate as every fault call (faults.c check_call): fault components only. */
static gboolean
caller_ok (DmasHostCtx *ctx, const gchar *call)
{
  if (ctx->kind == DMAS_KIND_FAULT && ctx->sim->faults != NULL)
    return TRUE;
  dmas_sim_log (ctx->sim, DMAS_AGENT_NONE, "%s: %s refused: only fault components may call it",
                dmas_host_ctx_name (ctx), call);
  return FALSE;
}

/* ---- link faults ---- */

/* An end of a link fault as a network endpoint: an agent, a controller replica (centralized
 * mode), or DMAS_AGENT_NONE for any.  FALSE when the run has no such endpoint. */
static gboolean
link_end (const DmasSim *sim, DmasAgentId id, DmasAgentId *out)
{
  if (id == DMAS_AGENT_NONE || id < sim->n_agents)
    {
      *out = id;
      return TRUE;
    }
  const guint replica = id == DMAS_AGENT_CONTROLLER ? 0 : id == DMAS_AGENT_BACKUP ? 1 : G_MAXUINT;
  if (sim->central == NULL || replica >= dmas_central_n_replicas (sim->central))
    return FALSE;
  *out = dmas_central_endpoint (sim->central, replica);
  return TRUE;
}

static void
append_end (GString *out, const gchar *name, const DmasSim *sim, DmasAgentId endpoint)
{
  if (endpoint == DMAS_AGENT_NONE)
    g_string_append_printf (out, "\"%s\":\"any\"", name);
  else if (endpoint < sim->n_agents)
    g_string_append_printf (out, "\"%s\":%u", name, endpoint);
  else
    g_string_append_printf (out, "\"%s\":\"%s\"", name,
                            dmas_central_replica_of (sim->central, endpoint) == 0 ? "controller"
                                                                                  : "backup");
}

static void
append_double (GString *out, const gchar *name, gdouble v)
{
  g_autofree gchar *text = dmas_format_double (v);
  g_string_append_printf (out, ",\"%s\":%s", name, text);
}

static void
append_time (GString *out, const gchar *name, DmasTime t)
{
  g_string_append_printf (out, ",\"%s\":", name);
  dmas_append_seconds (out, t);
}

/* Everything a schedule needs to add the same fault again (times in seconds). */
static gchar *
link_details (const DmasSim *sim, const DmasLinkFault *f, guint64 id)
{
  GString *out = g_string_new (NULL);
  append_end (out, "from", sim, f->from);
  g_string_append_c (out, ',');
  append_end (out, "to", sim, f->to);
  append_double (out, "loss", f->loss);
  append_double (out, "duplicate", f->duplicate);
  append_double (out, "reorder", f->reorder);
  append_double (out, "corrupt", f->corrupt);
  g_string_append_printf (out, ",\"undetected\":%s", f->corrupt_undetected ? "true" : "false");
  append_time (out, "delay", f->delay);
  append_time (out, "jitter", f->delay_jitter);
  g_string_append_printf (out, ",\"id\":%" G_GUINT64_FORMAT, id);
  return g_string_free (out, FALSE);
}

static gboolean
probability_ok (gdouble p)
{
  return p >= 0.0 && p <= 1.0; /* FALSE for NaN too */
}

int
dmas_faults_link_add (DmasHostCtx *ctx, const DmasLinkFault *fault, guint64 *id_out)
{
  DmasSim *sim = ctx->sim;
  DmasLinkFault f;

  if (!caller_ok (ctx, "fault_link_add"))
    return DMAS_ESTATE;
  if (fault == NULL || fault->struct_size < sizeof (DmasLinkFault)
      || !probability_ok (fault->loss) || !probability_ok (fault->duplicate)
      || !probability_ok (fault->reorder) || !probability_ok (fault->corrupt))
    return DMAS_EINVAL;
  f = *fault;
  f.struct_size = sizeof f;
  f.corrupt_undetected = fault->corrupt_undetected != 0;
  if (!link_end (sim, fault->from, &f.from) || !link_end (sim, fault->to, &f.to))
    return DMAS_ENOENT;

  const guint64 id = dmas_network_link_fault_add (sim->network, &f);
  g_autofree gchar *details = link_details (sim, &f, id);
  dmas_faults_log (ctx, "link", DMAS_AGENT_NONE, details, TRUE);
  dmas_sim_log (sim, DMAS_AGENT_NONE, "link fault %" G_GUINT64_FORMAT " by %s: %s", id,
                dmas_host_ctx_name (ctx), details);
  if (id_out != NULL)
    *id_out = id;
  return DMAS_OK;
}

int
dmas_faults_link_remove (DmasHostCtx *ctx, guint64 id)
{
  DmasSim *sim = ctx->sim;

  if (!caller_ok (ctx, "fault_link_remove"))
    return DMAS_ESTATE;
  const DmasLinkFault *f = dmas_network_link_fault (sim->network, id);
  if (f == NULL)
    return DMAS_ENOENT;
  g_autofree gchar *details = link_details (sim, f, id);
  dmas_network_link_fault_remove (sim->network, id);
  dmas_faults_log (ctx, "link_end", DMAS_AGENT_NONE, details, FALSE);
  dmas_sim_log (sim, DMAS_AGENT_NONE, "link fault %" G_GUINT64_FORMAT " ended by %s", id,
                dmas_host_ctx_name (ctx));
  return DMAS_OK;
}

/* ---- partitions ---- */

/* The side an endpoint is on, as an agent id: the clients (CLIENTS) reach everyone, the
 * controller replicas sit with agent `with` (DMAS_AGENT_NONE: they reach everyone too). */
#define CLIENTS G_MAXUINT32

static guint32
side_of (const DmasSim *sim, guint32 endpoint, DmasAgentId with)
{
  if (endpoint < sim->n_agents)
    return endpoint;
  if (endpoint == dmas_sim_clients_endpoint (sim) || with == DMAS_AGENT_NONE)
    return CLIENTS;
  return with;
}

/* The agents' n x n matrix widened to every endpoint of the network. */
static guint8 *
endpoint_matrix (const DmasSim *sim, const guint8 *reach, DmasAgentId with)
{
  const guint n = sim->n_agents, e = dmas_network_n_agents (sim->network);
  guint8 *out = g_new (guint8, (gsize) e * e);

  for (guint s = 0; s < e; s++)
    for (guint d = 0; d < e; d++)
      {
        const guint32 a = side_of (sim, s, with), b = side_of (sim, d, with);
        out[(gsize) s * e + d] = a == CLIENTS || b == CLIENTS || a == b
                                 || reach[(gsize) a * n + b] != 0;
      }
  return out;
}

/* "groups":[[0,1],[2,3,4]] when the matrix is a partition into groups (everyone reaches
 * their own group and no one else); otherwise "reach":[[1],[0,2],...], row i listing whom
 * agent i's messages reach.  Read from the top-left n x n block of an endpoint matrix with
 * row stride `stride`. */
static void
append_reach (GString *out, const guint8 *reach, guint n, guint stride)
{
  g_autofree guint *label = g_new (guint, n);
  gboolean groups = TRUE;

  /* label = the lowest id an agent reaches (or itself): equal labels for exactly the
   * pairs that reach each other, if the matrix is made of groups. */
  for (guint i = 0; i < n; i++)
    {
      label[i] = i;
      for (guint j = 0; j < i; j++)
        if (reach[(gsize) i * stride + j])
          {
            label[i] = j;
            break;
          }
    }
  for (guint i = 0; i < n && groups; i++)
    for (guint j = 0; j < n && groups; j++)
      if (i != j && (reach[(gsize) i * stride + j] != 0) != (label[i] == label[j]))
        groups = FALSE;

  if (groups)
    {
      g_string_append (out, "\"groups\":[");
      gboolean first_group = TRUE;
      for (guint g = 0; g < n; g++)
        {
          if (label[g] != g)
            continue;
          g_string_append (out, first_group ? "[" : ",[");
          first_group = FALSE;
          gboolean first = TRUE;
          for (guint i = g; i < n; i++)
            if (label[i] == g)
              {
                g_string_append_printf (out, first ? "%u" : ",%u", i);
                first = FALSE;
              }
          g_string_append_c (out, ']');
        }
      g_string_append_c (out, ']');
      return;
    }
  g_string_append (out, "\"reach\":[");
  for (guint i = 0; i < n; i++)
    {
      g_string_append (out, i > 0 ? ",[" : "[");
      gboolean first = TRUE;
      for (guint j = 0; j < n; j++)
        if (j != i && reach[(gsize) i * stride + j])
          {
            g_string_append_printf (out, first ? "%u" : ",%u", j);
            first = FALSE;
          }
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, ']');
}

static gchar *
partition_details (const DmasSim *sim, const guint8 *matrix, DmasAgentId with, guint64 id)
{
  GString *out = g_string_new (NULL);
  append_reach (out, matrix, sim->n_agents, dmas_network_n_agents (sim->network));
  if (with != DMAS_AGENT_NONE)
    g_string_append_printf (out, ",\"with\":%u", with);
  g_string_append_printf (out, ",\"id\":%" G_GUINT64_FORMAT, id);
  return g_string_free (out, FALSE);
}

/* The agent the controller replicas are with in an endpoint matrix, recovered for the heal's
 * log line: DMAS_AGENT_NONE when they reach every agent, else the lowest agent that the
 * controller reaches and whose row matches the controller's (same side, same effect). */
static DmasAgentId
with_of (const DmasSim *sim, const guint8 *matrix)
{
  const guint n = sim->n_agents, e = dmas_network_n_agents (sim->network);
  const guint8 *controller = matrix + (gsize) (n + 1) * e;
  gboolean all = TRUE;

  for (guint b = 0; b < n && all; b++)
    all = controller[b] != 0;
  if (all)
    return DMAS_AGENT_NONE;
  for (guint a = 0; a < n; a++)
    {
      gboolean same = controller[a] != 0;
      for (guint b = 0; b < n && same; b++)
        same = b == a || controller[b] == matrix[(gsize) a * e + b];
      if (same)
        return a;
    }
  return DMAS_AGENT_NONE;
}

int
dmas_faults_partition (DmasHostCtx *ctx, const guint8 *reach, guint32 n, DmasAgentId with,
                       guint64 *id_out)
{
  DmasSim *sim = ctx->sim;

  if (!caller_ok (ctx, "fault_partition"))
    return DMAS_ESTATE;
  if (reach == NULL || n != sim->n_agents)
    return DMAS_EINVAL;
  if (with != DMAS_AGENT_NONE && with >= sim->n_agents)
    return DMAS_ENOENT;

  g_autofree guint8 *matrix = endpoint_matrix (sim, reach, with);
  const guint64 id = dmas_network_partition_add (sim->network, matrix);
  g_autofree gchar *details = partition_details (sim, matrix, with, id);
  dmas_faults_log (ctx, "partition", DMAS_AGENT_NONE, details, TRUE);
  dmas_sim_log (sim, DMAS_AGENT_NONE, "partition %" G_GUINT64_FORMAT " by %s: %s", id,
                dmas_host_ctx_name (ctx), details);
  dmas_sim_service_update (sim);
  if (id_out != NULL)
    *id_out = id;
  return DMAS_OK;
}

int
dmas_faults_heal (DmasHostCtx *ctx, guint64 id)
{
  DmasSim *sim = ctx->sim;

  if (!caller_ok (ctx, "fault_heal"))
    return DMAS_ESTATE;
  const guint8 *matrix = dmas_network_partition_reach (sim->network, id);
  if (matrix == NULL)
    return DMAS_ENOENT;
  g_autofree gchar *details = partition_details (sim, matrix, with_of (sim, matrix), id);
  dmas_network_partition_remove (sim->network, id);
  dmas_faults_log (ctx, "heal", DMAS_AGENT_NONE, details, FALSE);
  dmas_sim_log (sim, DMAS_AGENT_NONE, "partition %" G_GUINT64_FORMAT " healed by %s", id,
                dmas_host_ctx_name (ctx));
  dmas_sim_service_update (sim);
  return DMAS_OK;
}
