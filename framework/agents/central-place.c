/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The controller's placement: the bidding component on its view of every cluster, best bid. */
#include "config.h"

#include <math.h>

#include "agents/central-private.h"

/* The cluster as the controller believes it is: its static description from the platform,
 * its state from the agent's latest report. */
static void
fill_view (const CentralReplica *r, DmasAgentId agent, DmasClusterView *out)
{
  const DmasCluster *cluster = dmas_platform_cluster (r->central->sim->platform, agent);
  const CentralView *view = &r->view[agent];
  *out = (DmasClusterView){
    .agent = agent,
    .type = cluster->type,
    .nodes = cluster->nodes,
    .cores_per_node = cluster->cores,
    .memory_gb_per_node = cluster->memory_gb,
    .gpus_per_node = cluster->gpus,
    .speed = cluster->speed,
    .free_nodes = view->free_nodes,
    .queued_jobs = view->queued,
    .running_jobs = view->running,
    .used_cores = view->used_cores,
  };
}

/* The score the controller stands by, with the rules of the distributed agents
 * (agent.c): not a number or below 0 gives 0, and so does any score for a cluster that can
 * never fit the job. */
static gdouble
checked_score (const CentralReplica *r, const DmasJob *job, DmasAgentId agent, gdouble score)
{
  DmasSim *sim = r->central->sim;
  if (isnan (score) || score < 0.0)
    return 0.0;
  if (score > 0.0 && !dmas_cluster_fits (dmas_platform_cluster (sim->platform, agent), job))
    return 0.0;
  return score;
}

static void
consider (CentralAuction *auction, DmasAgentId agent, gdouble score)
{
  const DmasBid bid = { .job = auction->id, .agent = agent, .score = score };
  if (score > 0.0 && (auction->best.agent == DMAS_AGENT_NONE
                      || dmas_bid_better (&bid, &auction->best)))
    auction->best = bid;
}

static void
dispatch (CentralReplica *r, DmasJobId id, DmasAgentId agent)
{
  DmasCentral *central = r->central;
  DmasSim *sim = central->sim;
  CentralStable *st = &central->stable;
  const DmasJob *job = &sim->workload->jobs[id - 1];

  /* Stable storage first, then the message: a crash between the two cannot happen inside
   * one event, and after it the store already says where the job went. */
  st->state[id] = CENTRAL_JOB_PLACED;
  st->placed_on[id] = agent;
  st->dispatch_seq[id] = st->next_seq[agent]++;
  if (st->pending_link[id] != NULL)
    {
      g_queue_delete_link (&st->pending, st->pending_link[id]);
      st->pending_link[id] = NULL;
    }
  r->view[agent].queued++;
  sim->metrics->decisions++;

  guint8 body[CENTRAL_DISPATCH_LEN];
  dmas_central_encode_dispatch (job, st->dispatch_seq[id], st->generation, body);
  dmas_network_send (sim->network, r->endpoint, agent, DMAS_NET_HOST, DMAS_SCHED_DISPATCH, body,
                     sizeof body);
  dmas_sim_log (sim, agent, "controller %u placed job %" G_GUINT64_FORMAT " here (dispatch %u)",
                r->index, id, st->dispatch_seq[id]);
}

static void
conclude (CentralReplica *r, CentralAuction *auction)
{
  const DmasJobId id = auction->id;
  if (auction->best.agent != DMAS_AGENT_NONE)
    dispatch (r, id, auction->best.agent);
  else if (auction->some_suspected)
    /* A cluster that could run it is out of sight: the job waits for it. */
    dmas_sim_log (r->central->sim, DMAS_AGENT_NONE, "controller %u: job %" G_GUINT64_FORMAT
                  " waits: every cluster that fits it is suspected", r->index, id);
  else
    {
      r->central->sim->metrics->decisions++; /* a decision without a winner */
      dmas_central_reject (r, id, "no cluster bid above 0");
    }
}

void
dmas_central_place (CentralReplica *r, DmasJobId id)
{
  DmasCentral *central = r->central;
  DmasSim *sim = central->sim;
  if (!r->up || !r->in_charge || r->syncing
      || central->stable.state[id] != CENTRAL_JOB_PENDING
      || g_hash_table_contains (r->auctions, &id))
    return;

  const DmasJob *job = &sim->workload->jobs[id - 1];
  CentralAuction *auction = g_new0 (CentralAuction, 1);
  auction->id = id;
  auction->best = (DmasBid){ .job = id, .agent = DMAS_AGENT_NONE, .score = 0.0 };
  /* Every cluster in sight is asked, fitting or not, as every agent bids in distributed
   * mode: a bidder that draws random numbers then draws the same ones in both modes. */
  for (DmasAgentId a = 0; a < sim->n_agents; a++)
    {
      if (!dmas_central_usable (&r->view[a]))
        {
          if (dmas_cluster_fits (dmas_platform_cluster (sim->platform, a), job))
            auction->some_suspected = TRUE;
          continue;
        }
      DmasClusterView view;
      fill_view (r, a, &view);
      DmasBid bid = { .job = id, .agent = a, .score = 0.0 };
      DmasError err = { 0 };
      int status = dmas_bidding_bid (r->bidders[a], job, &view, &bid, &err);
      if (status == DMAS_PENDING)
        {
          auction->outstanding++;
          continue;
        }
      if (status < 0)
        {
          dmas_sim_log (sim, a, "%s (controller %u): bid(job %" G_GUINT64_FORMAT ") failed "
                        "(%d: %s); bidding 0", dmas_host_ctx_name (r->bidders[a]), r->index,
                        id, status, err.message);
          bid.score = 0.0;
        }
      consider (auction, a, checked_score (r, job, a, bid.score));
    }
  if (auction->outstanding > 0)
    {
      g_hash_table_insert (r->auctions, &auction->id, auction);
      return;
    }
  conclude (r, auction);
  g_free (auction);
}

int
dmas_central_bid_ready (DmasCentral *central, const DmasHostCtx *ctx, const DmasBid *bid)
{
  DmasSim *sim = central->sim;
  if (bid->job < 1 || bid->job > sim->workload->n_jobs || bid->agent >= sim->n_agents)
    return DMAS_ENOENT;
  for (guint i = 0; i < central->n_replicas; i++)
    {
      CentralReplica *r = &central->replica[i];
      if (r->bidders == NULL || r->bidders[bid->agent] != ctx)
        continue;
      CentralAuction *auction = g_hash_table_lookup (r->auctions, &bid->job);
      if (auction == NULL || auction->outstanding == 0)
        return DMAS_ESTATE;
      const DmasJob *job = &sim->workload->jobs[bid->job - 1];
      auction->outstanding--;
      consider (auction, bid->agent, checked_score (r, job, bid->agent, bid->score));
      if (auction->outstanding == 0)
        {
          g_hash_table_steal (r->auctions, &bid->job);
          conclude (r, auction);
          g_free (auction);
        }
      return DMAS_OK;
    }
  return DMAS_ENOENT;
}

void
dmas_central_place_pending (CentralReplica *r)
{
  CentralStable *st = &r->central->stable;
  if (!r->up || !r->in_charge || r->syncing || g_queue_is_empty (&st->pending))
    return;
  /* Placing edits the queue: walk a copy, in acceptance order. */
  g_autoptr (GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (DmasJobId),
                                              st->pending.length);
  for (GList *l = st->pending.head; l != NULL; l = l->next)
    {
      DmasJobId id = GPOINTER_TO_SIZE (l->data);
      g_array_append_val (ids, id);
    }
  for (guint i = 0; i < ids->len; i++)
    dmas_central_place (r, g_array_index (ids, DmasJobId, i));
}

void
dmas_central_auctions_clear (CentralReplica *r)
{
  g_hash_table_remove_all (r->auctions);
}

void
dmas_central_replace (CentralReplica *r, DmasJobId id, const gchar *why)
{
  CentralStable *st = &r->central->stable;
  dmas_sim_log (r->central->sim, st->placed_on[id], "controller %u: job %" G_GUINT64_FORMAT
                " placed here is re-placed: %s", r->index, id, why);
  st->state[id] = CENTRAL_JOB_PENDING;
  g_queue_push_tail (&st->pending, GSIZE_TO_POINTER ((gsize) id));
  st->pending_link[id] = st->pending.tail;
  dmas_central_place (r, id);
}
