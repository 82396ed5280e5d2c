/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bids every agent placed, per slot: what the safety checker's validity test reads. */
#include "config.h"

#include <math.h>

#include "agents/bidlog.h"

struct DmasBidLog {
  guint n_jobs, n_agents;
  /* The common case, an agent's first bid in epoch 0, in a flat array [(job-1)*n + agent]
   * (NAN: none yet); every other bid (recovery slots, a second bid after a restart) in
   * `more`: "job/epoch/agent" → GArray of gdouble, looked up only. */
  gdouble *first;
  GHashTable *more;
};

DmasBidLog *
dmas_bidlog_new (guint n_jobs, guint n_agents)
{
  DmasBidLog *log = g_new0 (DmasBidLog, 1);
  log->n_jobs = n_jobs;
  log->n_agents = n_agents;
  gsize n = (gsize) MAX (n_jobs, 1) * MAX (n_agents, 1);
  log->first = g_new (gdouble, n);
  for (gsize i = 0; i < n; i++)
    log->first[i] = NAN;
  log->more = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_array_unref);
  return log;
}

void
dmas_bidlog_free (DmasBidLog *log)
{
  if (log == NULL)
    return;
  g_free (log->first);
  g_hash_table_unref (log->more);
  g_free (log);
}

static gchar *
more_key (DmasJobId job, guint32 epoch, DmasAgentId agent)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT "/%u/%u", job, epoch, agent);
}

void
dmas_bidlog_record (DmasBidLog *log, DmasJobId job, guint32 epoch, DmasAgentId agent,
                    gdouble score)
{
  g_return_if_fail (job >= 1 && job <= log->n_jobs && agent < log->n_agents);
  gdouble *first = &log->first[(gsize) (job - 1) * log->n_agents + agent];
  if (epoch == 0 && isnan (*first))
    {
      *first = score;
      return;
    }
  gchar *key = more_key (job, epoch, agent);
  GArray *scores = g_hash_table_lookup (log->more, key);
  if (scores == NULL)
    {
      scores = g_array_new (FALSE, FALSE, sizeof (gdouble));
      g_hash_table_insert (log->more, key, scores);
    }
  else
    g_free (key);
  g_array_append_val (scores, score);
}

gboolean
dmas_bidlog_placed (const DmasBidLog *log, DmasJobId job, guint32 epoch, DmasAgentId agent,
                    gdouble score)
{
  if (job < 1 || job > log->n_jobs || agent >= log->n_agents || !(score > 0.0))
    return FALSE;
  if (epoch == 0 && log->first[(gsize) (job - 1) * log->n_agents + agent] == score)
    return TRUE;
  g_autofree gchar *key = more_key (job, epoch, agent);
  GArray *scores = g_hash_table_lookup (log->more, key);
  for (guint i = 0; scores != NULL && i < scores->len; i++)
    if (g_array_index (scores, gdouble, i) == score)
      return TRUE;
  return FALSE;
}
