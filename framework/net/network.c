/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulated network: per-link transmission, latency and jitter; delivery through the engine. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <dmas/wire.h>

#include "net/network-private.h"
#include "world/events.h"

/* FNV-1a's multiply over 64-bit little-endian words rather than bytes (it runs twice per
 * message, so bytes were a tenth of a whole run), with an xor-shift after each multiply so
 * high bits reach the low ones.  Every step is a bijection of the state, so a body that
 * differs in a single word always ends in a different 64-bit state. */
guint32
dmas_net_checksum (const void *body, gsize len)
{
  const guint8 *p = body;
  guint64 h = 0xcbf29ce484222325ull ^ (guint64) len;
  gsize i = 0;
  for (; i + 8 <= len; i += 8)
    {
      h ^= dmas_get_u64 (p + i);
      h *= 0x100000001b3ull;
      h ^= h >> 29;
    }
  for (; i < len; i++)
    {
      h ^= p[i];
      h *= 0x100000001b3ull;
    }
  h ^= h >> 32;
  return (guint32) h;
}

DmasNetwork *
dmas_network_new (DmasEngine *engine, guint n_agents, DmasTime latency, DmasNetDeliverFn deliver,
                  gpointer user_data)
{
  DmasNetwork *network = g_new0 (DmasNetwork, 1);
  const DmasLinkParams defaults = { .latency = latency, .jitter = 0, .bandwidth = 0.0 };

  network->engine = engine;
  network->n_agents = n_agents;
  network->deliver = deliver;
  network->user_data = user_data;
  network->params = g_array_new (FALSE, FALSE, sizeof (DmasLinkParams));
  g_array_append_val (network->params, defaults);
  network->overrides = g_array_new (FALSE, FALSE, sizeof (Override));
  network->rows = g_new0 (Link *, n_agents);
  return network;
}

void
dmas_network_free (DmasNetwork *network)
{
  if (network == NULL)
    return;
  for (guint i = 0; i < network->n_agents; i++)
    g_free (network->rows[i]);
  g_free (network->rows);
  dmas_net_faults_free (network->faults);
  g_array_unref (network->overrides);
  g_array_unref (network->params);
  g_free (network);
}

void
dmas_network_set_default_link (DmasNetwork *network, const DmasLinkParams *params)
{
  g_array_index (network->params, DmasLinkParams, 0) = *params;
}

void
dmas_network_set_link (DmasNetwork *network, DmasAgentId src, DmasAgentId dst,
                       const DmasLinkParams *params)
{
  g_return_if_fail (src < network->n_agents && dst < network->n_agents);

  guint32 index = network->params->len;
  g_array_append_val (network->params, *params);

  guint i = 0;
  while (i < network->overrides->len
         && (g_array_index (network->overrides, Override, i).src != src
             || g_array_index (network->overrides, Override, i).dst != dst))
    i++;
  if (i < network->overrides->len)
    g_array_index (network->overrides, Override, i).params = index;
  else
    {
      const Override o = { src, dst, index };
      g_array_append_val (network->overrides, o);
    }
  if (network->rows[src] != NULL)
    network->rows[src][dst].params = index;
}

static guint32
link_params_index (const DmasNetwork *network, DmasAgentId src, DmasAgentId dst)
{
  if (network->rows[src] != NULL)
    return network->rows[src][dst].params;
  for (guint i = 0; i < network->overrides->len; i++)
    {
      const Override *o = &g_array_index (network->overrides, Override, i);
      if (o->src == src && o->dst == dst)
        return o->params;
    }
  return 0;
}

const DmasLinkParams *
dmas_network_link (const DmasNetwork *network, DmasAgentId src, DmasAgentId dst)
{
  g_return_val_if_fail (src < network->n_agents && dst < network->n_agents, NULL);
  return &g_array_index (network->params, DmasLinkParams,
                         link_params_index (network, src, dst));
}

static Link *
link_get (DmasNetwork *network, DmasAgentId src, DmasAgentId dst)
{
  Link *row = network->rows[src];
  if (G_UNLIKELY (row == NULL))
    {
      row = network->rows[src] = g_new0 (Link, network->n_agents);
      for (guint i = 0; i < network->overrides->len; i++)
        {
          const Override *o = &g_array_index (network->overrides, Override, i);
          if (o->src == src)
            row[o->dst].params = o->params;
        }
    }
  return &row[dst];
}

/* a + b, held just below DMAS_TIME_NONE (which means "no time") instead of wrapping. */
static DmasTime
time_add (DmasTime a, DmasTime b)
{
  return b >= DMAS_TIME_NONE - 1 - a ? DMAS_TIME_NONE - 1 : a + b;
}

/* ceil(size·8 / bandwidth) in ns.  Rounding up: a message never arrives before its last bit
 * could.  Double arithmetic in this exact order (-ffp-contract=off) gives the same ns on every
 * machine. */
static DmasTime
transmission_ns (guint64 size, gdouble bandwidth)
{
  if (!(bandwidth > 0.0))
    return 0;
  gdouble ns = ceil ((gdouble) size * 8.0 * 1e9 / bandwidth);
  return ns < 1.8e19 ? (DmasTime) ns : DMAS_TIME_NONE - 1;
}

/* The k-th value (k = 1, 2, ...) of the SplitMix64 sequence seeded with `seed`: a stream that
 * costs 12 bytes per link instead of a GRand's 2.5 KB, and can be drawn from any link in any
 * order without disturbing the others. */
static guint64
splitmix64_at (guint64 seed, guint64 k)
{
  guint64 z = seed + k * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static DmasTime
draw_jitter (DmasNetwork *network, Link *link, DmasAgentId src, DmasAgentId dst,
             DmasTime jitter)
{
  if (link->draws == 0)
    {
      gchar name[48];
      g_snprintf (name, sizeof name, "net/%u-%u", src, dst);
      link->stream_seed = dmas_engine_stream_seed (dmas_engine_seed (network->engine), name);
    }
  guint64 x = splitmix64_at (link->stream_seed, (guint64) ++link->draws);
  /* Modulo bias is below (jitter + 1) / 2^64: under 1e-10 for any jitter up to a second. */
  return jitter == G_MAXUINT64 ? x : x % (jitter + 1);
}

static void
track (DmasNetwork *network, const DmasEnvelope *env, gint delta)
{
  if (env->channel == DMAS_NET_HOST && env->type < DMAS_NET_HOST_TYPES)
    network->host_in_flight[env->type] += delta;
}

/* Schedules one delivery of `msg` at `at`. */
static void
schedule_delivery (DmasNetwork *network, DmasNetMessage *msg, DmasTime at);

guint64
dmas_network_host_in_flight (const DmasNetwork *network, guint32 type)
{
  return type < DMAS_NET_HOST_TYPES ? network->host_in_flight[type] : 0;
}

static void
on_deliver (DmasEngine *engine, gpointer data)
{
  DmasNetMessage *msg = data;
  DmasNetwork *network = msg->network;
  (void) engine;

  track (network, &msg->env, -1);
  DmasNetCounters *counters = &network->counters[msg->env.channel];
  /* The receiver's own check, as a real one would make: it is what catches a body a link
   * fault damaged (netfaults.c), unless the fault recomputed the checksum on purpose. */
  if (dmas_net_checksum (msg->body, msg->env.len) != msg->env.checksum)
    {
      counters->dropped_corrupt++;
      return;
    }
  if (msg->flags & DMAS_NET_MSG_CORRUPTED)
    network->fault_counters.corrupt_delivered++;
  counters->delivered++;
  network->deliver (network->user_data, &msg->env, msg->body);
}

int
dmas_network_send (DmasNetwork *network, DmasAgentId src, DmasAgentId dst, guint32 channel,
                   guint32 type, const void *body, gsize len)
{
  if (src >= network->n_agents || dst >= network->n_agents)
    return DMAS_ENOENT;
  if (channel >= DMAS_NET_N_CHANNELS || len >= G_MAXUINT32 || (len > 0 && body == NULL))
    return DMAS_EINVAL;

  DmasNetMessage *msg = g_malloc (sizeof (DmasNetMessage) + len);
  msg->network = network;
  msg->env = (DmasEnvelope){
    .src = src,
    .dst = dst,
    .channel = channel,
    .type = type,
    .len = (guint32) len,
    .checksum = dmas_net_checksum (body, len),
  };
  msg->flags = 0;
  if (len > 0)
    memcpy (msg->body, body, len);

  DmasNetCounters *counters = &network->counters[channel];
  counters->messages++;
  counters->bytes += len + DMAS_NET_ENVELOPE_BYTES;

  Link *link = link_get (network, src, dst);
  const DmasLinkParams *p = &g_array_index (network->params, DmasLinkParams, link->params);
  DmasNetVerdict verdict = { 0 };
  if (G_UNLIKELY (network->faults != NULL) && src != dst)
    dmas_net_faults_apply (network, msg, p->latency, &verdict);

  /* A dropped message still occupied the sender's transmitter: it left, then was lost. */
  DmasTime now = dmas_engine_now (network->engine);
  DmasTime start = MAX (now, link->tx_free);
  link->tx_free = time_add (start, transmission_ns (len + DMAS_NET_ENVELOPE_BYTES,
                                                    p->bandwidth));
  if (verdict.drop)
    {
      g_free (msg);
      return DMAS_OK;
    }
  DmasTime at = time_add (time_add (link->tx_free, p->latency), verdict.slow);
  if (p->jitter > 0)
    at = time_add (at, draw_jitter (network, link, src, dst, p->jitter));
  if (verdict.reorder)
    {
      /* Exempt from the clamp: due before an earlier message, it overtakes it. */
      if (at < link->last_arrival)
        network->fault_counters.reordered++;
    }
  else
    {
      at = time_add (at, verdict.extra);
      /* FIFO per link: jitter or a lowered latency must not let a message overtake. */
      at = MAX (at, link->last_arrival);
    }
  link->last_arrival = MAX (link->last_arrival, at);

  if (verdict.duplicate)
    {
      /* Scheduled first's twin: same instant, after it (engine FIFO for equal keys). */
      DmasNetMessage *copy = g_memdup2 (msg, sizeof (DmasNetMessage) + len);
      schedule_delivery (network, msg, at);
      schedule_delivery (network, copy, at);
      return DMAS_OK;
    }
  schedule_delivery (network, msg, at);
  return DMAS_OK;
}

static void
schedule_delivery (DmasNetwork *network, DmasNetMessage *msg, DmasTime at)
{
  track (network, &msg->env, +1);
  dmas_engine_schedule (network->engine, at, DMAS_EV_DELIVER, DMAS_WEV_DELIVER, msg->env.dst,
                        on_deliver, msg, g_free);
}

const DmasNetCounters *
dmas_network_counters (const DmasNetwork *network, guint32 channel)
{
  g_return_val_if_fail (channel < DMAS_NET_N_CHANNELS, NULL);
  return &network->counters[channel];
}

guint
dmas_network_n_agents (const DmasNetwork *network)
{
  return network->n_agents;
}
