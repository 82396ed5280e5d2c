/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The network's fault layer: partitions, link faults (loss, corruption, delay, reorder,
 * duplication) and degradation, applied to each message at its send time. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "net/network-private.h"

typedef struct {
  guint64 id;
  DmasLinkFault fault;
} Rule;

typedef struct {
  guint64 id;
  guint8 *reach;  /* E x E, owned */
} Partition;

struct DmasNetFaults {
  guint64 next_id;       /* ids of rules and partitions share one counter, from 1 */
  GArray *rules;         /* Rule, in the order they were added */
  GArray *partitions;    /* Partition, in the order they were added */
  gdouble *slow;         /* per endpoint degradation factor, or NULL while none is set */
  GRand *rng;            /* the engine's "net/faults" stream (borrowed), at the first draw */
};

static void
partition_clear (gpointer data)
{
  g_free (((Partition *) data)->reach);
}

static DmasNetFaults *
faults_get (DmasNetwork *network)
{
  if (network->faults == NULL)
    {
      DmasNetFaults *f = g_new0 (DmasNetFaults, 1);
      f->next_id = 1;
      f->rules = g_array_new (FALSE, FALSE, sizeof (Rule));
      f->partitions = g_array_new (FALSE, FALSE, sizeof (Partition));
      g_array_set_clear_func (f->partitions, partition_clear);
      network->faults = f;
    }
  return network->faults;
}

void
dmas_net_faults_free (DmasNetFaults *faults)
{
  if (faults == NULL)
    return;
  g_array_unref (faults->rules);
  g_array_unref (faults->partitions);
  g_free (faults->slow);
  g_free (faults);
}

guint64
dmas_network_link_fault_add (DmasNetwork *network, const DmasLinkFault *fault)
{
  DmasNetFaults *f = faults_get (network);
  const Rule rule = { .id = f->next_id++, .fault = *fault };
  g_array_append_val (f->rules, rule);
  return rule.id;
}

const DmasLinkFault *
dmas_network_link_fault (const DmasNetwork *network, guint64 id)
{
  const DmasNetFaults *f = network->faults;
  for (guint i = 0; f != NULL && i < f->rules->len; i++)
    if (g_array_index (f->rules, Rule, i).id == id)
      return &g_array_index (f->rules, Rule, i).fault;
  return NULL;
}

gboolean
dmas_network_link_fault_remove (DmasNetwork *network, guint64 id)
{
  DmasNetFaults *f = network->faults;
  for (guint i = 0; f != NULL && i < f->rules->len; i++)
    if (g_array_index (f->rules, Rule, i).id == id)
      {
        /* Ordered removal: the remaining rules keep the order they combine in. */
        g_array_remove_index (f->rules, i);
        return TRUE;
      }
  return FALSE;
}

guint64
dmas_network_partition_add (DmasNetwork *network, const guint8 *reach)
{
  DmasNetFaults *f = faults_get (network);
  const gsize e = network->n_agents;
  const Partition part = { .id = f->next_id++, .reach = g_memdup2 (reach, e * e) };
  g_array_append_val (f->partitions, part);
  return part.id;
}

const guint8 *
dmas_network_partition_reach (const DmasNetwork *network, guint64 id)
{
  const DmasNetFaults *f = network->faults;
  for (guint i = 0; f != NULL && i < f->partitions->len; i++)
    if (g_array_index (f->partitions, Partition, i).id == id)
      return g_array_index (f->partitions, Partition, i).reach;
  return NULL;
}

gboolean
dmas_network_partition_remove (DmasNetwork *network, guint64 id)
{
  DmasNetFaults *f = network->faults;
  for (guint i = 0; f != NULL && i < f->partitions->len; i++)
    if (g_array_index (f->partitions, Partition, i).id == id)
      {
        g_array_remove_index (f->partitions, i);
        return TRUE;
      }
  return FALSE;
}

gboolean
dmas_network_reaches (const DmasNetwork *network, DmasAgentId src, DmasAgentId dst)
{
  const DmasNetFaults *f = network->faults;
  const gsize e = network->n_agents;

  if (src == dst || f == NULL)
    return TRUE;
  for (guint i = 0; i < f->partitions->len; i++)
    if (g_array_index (f->partitions, Partition, i).reach[src * e + dst] == 0)
      return FALSE;
  return TRUE;
}

gboolean
dmas_network_partitioned (const DmasNetwork *network)
{
  return network->faults != NULL && network->faults->partitions->len > 0;
}

void
dmas_network_set_slowdown (DmasNetwork *network, DmasAgentId endpoint, gdouble factor)
{
  g_return_if_fail (endpoint < network->n_agents && factor >= 1.0);
  DmasNetFaults *f = faults_get (network);
  if (f->slow == NULL)
    {
      f->slow = g_new (gdouble, network->n_agents);
      for (guint i = 0; i < network->n_agents; i++)
        f->slow[i] = 1.0;
    }
  f->slow[endpoint] = factor;
}

const DmasNetFaultCounters *
dmas_network_fault_counters (const DmasNetwork *network)
{
  return &network->fault_counters;
}

/* ---- per message ---- */

static GRand *
rng_get (DmasNetwork *network)
{
  DmasNetFaults *f = network->faults;
  if (f->rng == NULL)
    f->rng = dmas_engine_rng (network->engine, "net/faults");
  return f->rng;
}

/* A Bernoulli draw that spends a number only when the outcome is uncertain: p = 0 and p = 1
 * are exact, and adding a certain fault does not shift the stream of the uncertain ones. */
static gboolean
draw_hit (DmasNetwork *network, gdouble p)
{
  if (p <= 0.0)
    return FALSE;
  if (p >= 1.0)
    return TRUE;
  return g_rand_double (rng_get (network)) < p;
}

/* U{0..max}, 64 bits from two 32-bit draws (the modulo bias is below (max + 1) / 2^64). */
static guint64
draw_upto (DmasNetwork *network, guint64 max)
{
  if (max == 0)
    return 0;
  GRand *rng = rng_get (network);
  guint64 hi = g_rand_int (rng);
  guint64 x = hi << 32 | g_rand_int (rng);
  return max == G_MAXUINT64 ? x : x % (max + 1);
}

static DmasTime
time_sum (DmasTime a, DmasTime b)
{
  return b >= DMAS_TIME_NONE - 1 - a ? DMAS_TIME_NONE - 1 : a + b;
}

/* 1 - prod(1 - p_i): the chance that at least one of independent faults strikes.  Exact for
 * probabilities 0 and 1. */
static gdouble
either (gdouble p, gdouble q)
{
  return 1.0 - (1.0 - p) * (1.0 - q);
}

/* Damages one byte of the body (position and a non-zero xor mask drawn), or, for an empty
 * body, the envelope's checksum field: a receiver sees the damage either way. */
static void
corrupt (DmasNetwork *network, DmasNetMessage *msg, gboolean undetected)
{
  if (msg->env.len > 0)
    {
      guint64 pos = draw_upto (network, msg->env.len - 1);
      guint8 mask = (guint8) (1 + draw_upto (network, 254));
      msg->body[pos] ^= mask;
      if (undetected)
        msg->env.checksum = dmas_net_checksum (msg->body, msg->env.len);
    }
  else if (!undetected)
    msg->env.checksum ^= 1u;
  msg->flags |= DMAS_NET_MSG_CORRUPTED;
  network->fault_counters.corrupted++;
}

/* The order, and why:
 *   1. partitions: a cut link carries nothing, so nothing else is drawn for the message;
 *   2. loss: a lost message cannot also be damaged, delayed or copied (each message is
 *      dropped for one reason, so the drop counters add up);
 *   3. corruption: before duplication, so both copies carry the damage that travelled;
 *   4. delay + jitter: the hold-back that reordering is measured against;
 *   5. reorder: the message skips (4) and the link's FIFO clamp (as netem does: reordering
 *      needs a delay for anything to be overtaken);
 *   6. duplication: the copy arrives at the same instant, right after the original.
 * Every matching rule (from/to equal to the link's ends or DMAS_AGENT_NONE), taken in the
 * order they were added, combines into one: probabilities as independent events
 * (1 - prod(1 - p)), corruption undetected when any matching rule with corrupt > 0 asks for
 * it, delays and jitters summed.  Draws come from "net/faults" in send order, one per
 * uncertain outcome, in the order above (corruption: position, then mask; jitter: one
 * 64-bit value), so the same run seed gives the same fates. */
void
dmas_net_faults_apply (DmasNetwork *network, DmasNetMessage *msg, DmasTime latency,
                       DmasNetVerdict *verdict)
{
  DmasNetFaults *f = network->faults;
  const DmasAgentId src = msg->env.src, dst = msg->env.dst;

  *verdict = (DmasNetVerdict) { 0 };
  if (!dmas_network_reaches (network, src, dst))
    {
      network->fault_counters.dropped_partition++;
      verdict->drop = TRUE;
      return;
    }
  if (f->slow != NULL)
    {
      gdouble extra = ((f->slow[src] - 1.0) + (f->slow[dst] - 1.0)) * (gdouble) latency;
      verdict->slow = extra < 1.8e19 ? (DmasTime) llround (extra) : DMAS_TIME_NONE - 1;
    }

  DmasLinkFault all = { .loss = 0.0 };
  gboolean any = FALSE;
  for (guint i = 0; i < f->rules->len; i++)
    {
      const DmasLinkFault *r = &g_array_index (f->rules, Rule, i).fault;
      if ((r->from != DMAS_AGENT_NONE && r->from != src)
          || (r->to != DMAS_AGENT_NONE && r->to != dst))
        continue;
      any = TRUE;
      all.loss = either (all.loss, r->loss);
      all.duplicate = either (all.duplicate, r->duplicate);
      all.reorder = either (all.reorder, r->reorder);
      all.corrupt = either (all.corrupt, r->corrupt);
      all.corrupt_undetected |= r->corrupt > 0.0 && r->corrupt_undetected;
      all.delay = time_sum (all.delay, r->delay);
      all.delay_jitter = time_sum (all.delay_jitter, r->delay_jitter);
    }
  if (!any)
    return;

  if (draw_hit (network, all.loss))
    {
      network->fault_counters.dropped_loss++;
      verdict->drop = TRUE;
      return;
    }
  if (draw_hit (network, all.corrupt))
    /* Undetected damage is for the protocols' traffic only: the host's own messages
     * (heartbeats, announcements, submissions) stand for a checked transport, and a forged
     * incarnation or epoch there would corrupt the simulator's bookkeeping, not test a
     * protocol.  Theirs is always caught by the checksum. */
    corrupt (network, msg, all.corrupt_undetected && msg->env.channel != DMAS_NET_HOST);
  verdict->extra = time_sum (all.delay, draw_upto (network, all.delay_jitter));
  verdict->reorder = draw_hit (network, all.reorder);
  verdict->duplicate = draw_hit (network, all.duplicate);
  if (verdict->duplicate)
    network->fault_counters.duplicated++;
}
