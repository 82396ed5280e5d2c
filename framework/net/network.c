/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulated network: copies bodies, stamps envelopes, delivers through the engine. */
#include "config.h"

#include <string.h>

#include <dmas/wire.h>

#include "net/network.h"
#include "world/events.h"

struct DmasNetwork {
  DmasEngine *engine;
  guint n_agents;
  DmasTime latency;
  DmasNetDeliverFn deliver;
  gpointer user_data;
  /* Latest arrival time scheduled on each link, [src·n + dst].  With one fixed latency every
   * message already arrives in send order; this keeps links FIFO once latency varies. */
  DmasTime *last_arrival;
  DmasNetCounters counters[DMAS_NET_N_CHANNELS];
};

typedef struct {
  DmasNetwork *network;
  DmasEnvelope env;
  guint8 body[]; /* env.len bytes */
} Message;

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
  network->engine = engine;
  network->n_agents = n_agents;
  network->latency = latency;
  network->deliver = deliver;
  network->user_data = user_data;
  network->last_arrival = g_new0 (DmasTime, (gsize) n_agents * n_agents);
  return network;
}

void
dmas_network_free (DmasNetwork *network)
{
  if (network == NULL)
    return;
  g_free (network->last_arrival);
  g_free (network);
}

static void
on_deliver (DmasEngine *engine, gpointer data)
{
  Message *msg = data;
  DmasNetwork *network = msg->network;
  (void) engine;

  DmasNetCounters *counters = &network->counters[msg->env.channel];
  /* Nothing corrupts bodies yet; the check stays so that corruption faults are caught by the
   * same path a real receiver would use. */
  if (dmas_net_checksum (msg->body, msg->env.len) != msg->env.checksum)
    {
      counters->dropped_corrupt++;
      return;
    }
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

  Message *msg = g_malloc (sizeof (Message) + len);
  msg->network = network;
  msg->env = (DmasEnvelope){
    .src = src,
    .dst = dst,
    .channel = channel,
    .type = type,
    .len = (guint32) len,
    .checksum = dmas_net_checksum (body, len),
  };
  if (len > 0)
    memcpy (msg->body, body, len);

  DmasTime *last = &network->last_arrival[(gsize) src * network->n_agents + dst];
  DmasTime at = dmas_engine_now (network->engine) + network->latency;
  if (at < *last)
    at = *last;
  *last = at;

  DmasNetCounters *counters = &network->counters[channel];
  counters->messages++;
  counters->bytes += len + DMAS_NET_ENVELOPE_BYTES;
  dmas_engine_schedule (network->engine, at, DMAS_EV_DELIVER, DMAS_WEV_DELIVER, dst, on_deliver,
                        msg, g_free);
  return DMAS_OK;
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
