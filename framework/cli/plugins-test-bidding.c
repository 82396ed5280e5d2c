/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas plugins test`: a bidding component asked directly, then run in the scenario. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "agents/host_api.h"
#include "agents/sim.h"
#include "cli/plugins-test-private.h"
#include "config/config.h"

static const DmasClusterView shapes[] = {
  { .type = DMAS_CLUSTER_HPC, .nodes = 4, .cores_per_node = 8, .memory_gb_per_node = 16,
    .gpus_per_node = 0, .speed = 1.0 },
  { .type = DMAS_CLUSTER_GPU, .nodes = 2, .cores_per_node = 16, .memory_gb_per_node = 32,
    .gpus_per_node = 1, .speed = 1.5 },
  { .type = DMAS_CLUSTER_GENERAL, .nodes = 1, .cores_per_node = 32, .memory_gb_per_node = 64,
    .gpus_per_node = 2, .speed = 0.5 },
  { .type = DMAS_CLUSTER_MEMORY, .nodes = 16, .cores_per_node = 4, .memory_gb_per_node = 256,
    .gpus_per_node = 0, .speed = 1.0 },
};
static const guint32 job_nodes[] = { 1, 2, 8, 32 };
static const guint32 job_cores[] = { 1, 8, 64 };
static const gdouble job_memory[] = { 0.5, 32, 512 };
static const guint32 job_gpus[] = { 0, 1, 4 };

static gboolean
fits (const DmasJob *job, const DmasClusterView *c)
{
  return job->nodes <= c->nodes && job->cores <= c->cores_per_node
         && job->memory_gb <= c->memory_gb_per_node && job->gpus <= c->gpus_per_node;
}

typedef struct {
  guint bids, out_of_range, infeasible_nonzero, errors, pending;
  gchar *first_range, *first_infeasible, *first_error;
  GArray *scores;  /* gdouble, in call order */
} BidSweep;

static void
bid_sweep_clear (BidSweep *s)
{
  g_free (s->first_range);
  g_free (s->first_infeasible);
  g_free (s->first_error);
  g_clear_pointer (&s->scores, g_array_unref);
}

/* Every job of the grid against every shape, idle, half busy and full with a queue, through a
 * fresh instance on a real host context (a sim of the scenario built for `seed`: parameters,
 * randomness, logging as in a run).  Returns FALSE with error set when the instance cannot be
 * made. */
static gboolean
bid_sweep (const PluginsTest *pt, const DmasComponentInfo *info, guint64 seed, BidSweep *s,
           GError **error)
{
  g_autoptr (DmasConfig) config = plugins_test_load_config (pt, info, seed, error);
  if (config == NULL)
    return FALSE;
  g_autoptr (DmasSim) sim = dmas_sim_new (config, pt->registry, error);
  if (sim == NULL)
    return FALSE;
  g_autoptr (DmasNode) params = NULL;
  if (dmas_registry_resolve (pt->registry, config, DMAS_KIND_BIDDING, info->name, &params, error)
      == NULL)
    return FALSE;
  DmasHostCtx *ctx = dmas_host_ctx_new_unbound (sim, info, params, "plugins-test/bidding",
                                                "plugins-test");
  if (!dmas_bidding_create (ctx, error))
    {
      dmas_host_ctx_free (ctx);
      return FALSE;
    }

  s->scores = g_array_new (FALSE, FALSE, sizeof (gdouble));
  DmasJobId id = 0;
  for (guint c = 0; c < G_N_ELEMENTS (shapes); c++)
    for (guint load = 0; load < 3; load++)
      {
        DmasClusterView view = shapes[c];
        view.agent = c;
        view.free_nodes = load == 0 ? view.nodes : load == 1 ? view.nodes / 2 : 0;
        view.queued_jobs = load == 2 ? 3 : 0;
        view.running_jobs = view.nodes - view.free_nodes;
        view.used_cores = (guint64) view.running_jobs * view.cores_per_node;
        for (guint n = 0; n < G_N_ELEMENTS (job_nodes); n++)
          for (guint k = 0; k < G_N_ELEMENTS (job_cores); k++)
            for (guint m = 0; m < G_N_ELEMENTS (job_memory); m++)
              for (guint g = 0; g < G_N_ELEMENTS (job_gpus); g++)
                {
                  const DmasJob job = {
                    .id = ++id, .submit = 0, .nodes = job_nodes[n], .cores = job_cores[k],
                    .memory_gb = job_memory[m], .gpus = job_gpus[g],
                    .walltime = 600 * DMAS_S, .runtime = 300 * DMAS_S,
                    .type = (DmasJobType) (id % 6), .home = 0,
                  };
                  DmasBid bid = { .job = job.id, .agent = view.agent, .score = 0.0 };
                  DmasError err = { 0 };
                  int rc = dmas_bidding_bid (ctx, &job, &view, &bid, &err);
                  s->bids++;
                  if (rc == DMAS_PENDING)
                    {
                      s->pending++;
                      continue;
                    }
                  if (rc != DMAS_OK)
                    {
                      if (s->errors++ == 0)
                        s->first_error = g_strdup_printf ("job %" G_GUINT64_FORMAT ": status %d: "
                                                          "%s", job.id, rc, err.message);
                      continue;
                    }
                  g_array_append_val (s->scores, bid.score);
                  if (!(bid.score >= 0.0 && bid.score <= 1.0) && s->out_of_range++ == 0)
                    s->first_range = g_strdup_printf ("e.g. %g for job %" G_GUINT64_FORMAT,
                                                      bid.score, job.id);
                  if (!fits (&job, &view) && bid.score != 0.0 && s->infeasible_nonzero++ == 0)
                    s->first_infeasible = g_strdup_printf (
                        "e.g. %g for job %" G_GUINT64_FORMAT " (%u nodes x %u cores, %g GB, "
                        "%u GPUs) on %u nodes x %u cores, %g GB, %u GPUs", bid.score, job.id,
                        job.nodes, job.cores, job.memory_gb, job.gpus, view.nodes,
                        view.cores_per_node, view.memory_gb_per_node, view.gpus_per_node);
                }
      }
  dmas_host_ctx_free (ctx);
  return TRUE;
}

void
plugins_test_check_bidding (Tally *t, const PluginsTest *pt, const DmasComponentInfo *info)
{
  g_autoptr (GError) error = NULL;
  BidSweep a = { 0 }, b = { 0 };
  if (!bid_sweep (pt, info, 1, &a, &error) || !bid_sweep (pt, info, 1, &b, &error))
    {
      plugins_test_report (t, FALSE, info, "bids", "%s", error->message);
      bid_sweep_clear (&a);
      bid_sweep_clear (&b);
      return;
    }
  if (a.pending > 0)
    plugins_test_report (t, FALSE, info, "answers",
                         "%u of %u bids answered DMAS_PENDING: asynchronous bidders are not "
                         "supported yet by dmas plugins test", a.pending, a.bids);
  plugins_test_report (t, a.errors == 0, info, "no-errors", "%u bids, %u failed%s%s", a.bids,
                       a.errors, a.first_error != NULL ? ": " : "",
                       a.first_error != NULL ? a.first_error : "");
  plugins_test_report (t, a.out_of_range == 0, info, "bids-in-0-1",
                       "%u bids, %u outside [0, 1]%s%s", a.bids, a.out_of_range,
                       a.first_range != NULL ? ", " : "",
                       a.first_range != NULL ? a.first_range : "");
  plugins_test_report (t, a.infeasible_nonzero == 0, info, "zero-when-infeasible",
                       "%u bids, %u above 0 for a job the cluster can never fit%s%s", a.bids,
                       a.infeasible_nonzero, a.first_infeasible != NULL ? ", " : "",
                       a.first_infeasible != NULL ? a.first_infeasible : "");
  gboolean same = a.scores->len == b.scores->len
                  && memcmp (a.scores->data, b.scores->data,
                             a.scores->len * sizeof (gdouble)) == 0;
  plugins_test_report (t, same, info, "same-bids", "two fresh instances, same seed: %s",
                       same ? "bit-identical scores" : "the scores differ");
  bid_sweep_clear (&a);
  bid_sweep_clear (&b);

  /* In a run, with a shipped consensus: it completes, and the same seed gives the same run. */
  Outcome o = { 0 };
  if (!plugins_test_run (pt, info, 1, 0, &o, &error))
    plugins_test_report (t, FALSE, info, "runs", "%s", error->message);
  else
    plugins_test_report (t, o.status == DMAS_RUN_COMPLETE && o.undecided == 0, info, "runs",
                         "with consensus/%s, seed 1: %s, %u jobs never decided",
                         PARTNER_CONSENSUS, dmas_run_status_to_string (o.status), o.undecided);
  plugins_test_outcome_clear (&o);
  plugins_test_check_deterministic (t, pt, info, 0);
}
