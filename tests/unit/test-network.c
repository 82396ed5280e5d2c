/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the simulated network: latency, FIFO per link, copies, envelopes, counters. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <dmas/plugin.h>
#include "engine/engine.h"
#include "net/network.h"

typedef struct {
  DmasEngine *engine;
  GArray *envs;   /* DmasEnvelope */
  GArray *times;  /* DmasTime of delivery */
  GPtrArray *bodies; /* GBytes */
  GArray *order;  /* guint tag: first body byte, or 1000 + timer tag */
} Log;

static void
on_deliver (gpointer user_data, const DmasEnvelope *env, const guint8 *body)
{
  Log *log = user_data;
  DmasTime now = dmas_engine_now (log->engine);
  g_array_append_val (log->envs, *env);
  g_array_append_val (log->times, now);
  g_ptr_array_add (log->bodies, g_bytes_new (body, env->len));
  guint tag = env->len > 0 ? body[0] : 0;
  g_array_append_val (log->order, tag);
}

static void
log_init (Log *log, DmasEngine *engine)
{
  log->engine = engine;
  log->envs = g_array_new (FALSE, FALSE, sizeof (DmasEnvelope));
  log->times = g_array_new (FALSE, FALSE, sizeof (DmasTime));
  log->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  log->order = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
log_clear (Log *log)
{
  g_array_unref (log->envs);
  g_array_unref (log->times);
  g_ptr_array_unref (log->bodies);
  g_array_unref (log->order);
}

static void
run_to_end (DmasEngine *engine)
{
  while (dmas_engine_step (engine))
    ;
}

static void
test_latency_and_envelope (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log log;
  log_init (&log, engine);
  DmasNetwork *net = dmas_network_new (engine, 3, 5 * DMAS_MS, on_deliver, &log);

  guint8 body[] = { 7, 1, 2, 3 };
  g_assert_cmpint (dmas_network_send (net, 2, 0, DMAS_KIND_CONSENSUS, 42, body, sizeof body),
                   ==, DMAS_OK);
  /* The body was copied: changing it now does not change what arrives. */
  body[1] = 99;
  run_to_end (engine);

  g_assert_cmpuint (log.envs->len, ==, 1);
  const DmasEnvelope *env = &g_array_index (log.envs, DmasEnvelope, 0);
  g_assert_cmpuint (env->src, ==, 2);
  g_assert_cmpuint (env->dst, ==, 0);
  g_assert_cmpuint (env->channel, ==, DMAS_KIND_CONSENSUS);
  g_assert_cmpuint (env->type, ==, 42);
  g_assert_cmpuint (env->len, ==, 4);
  const guint8 sent[] = { 7, 1, 2, 3 };
  g_assert_cmpuint (env->checksum, ==, dmas_net_checksum (sent, sizeof sent));
  gsize len;
  const guint8 *got = g_bytes_get_data (log.bodies->pdata[0], &len);
  g_assert_cmpmem (got, len, sent, sizeof sent);
  g_assert_cmpuint (g_array_index (log.times, DmasTime, 0), ==, 5 * DMAS_MS);

  /* Any single flipped bit of a body changes its checksum, whatever the length. */
  guint8 buf[37];
  for (gsize i = 0; i < sizeof buf; i++)
    buf[i] = (guint8) (i * 31 + 7);
  for (gsize n = 1; n <= sizeof buf; n += 9)
    {
      guint32 clean = dmas_net_checksum (buf, n);
      for (gsize bit = 0; bit < n * 8; bit++)
        {
          buf[bit / 8] ^= (guint8) (1u << (bit % 8));
          g_assert_cmpuint (dmas_net_checksum (buf, n), !=, clean);
          buf[bit / 8] ^= (guint8) (1u << (bit % 8));
        }
      g_assert_cmpuint (dmas_net_checksum (buf, n), ==, clean);
    }
  /* Length counts too: a zero byte appended is a different body. */
  g_assert_cmpuint (dmas_net_checksum (buf, 0), !=, dmas_net_checksum ((const guint8[]){ 0 }, 1));

  dmas_network_free (net);
  log_clear (&log);
}

typedef struct {
  DmasNetwork *net;
  guint8 tag;
} SendLater;

static void
send_later (DmasEngine *engine, gpointer data)
{
  SendLater *s = data;
  (void) engine;
  g_assert_cmpint (dmas_network_send (s->net, 0, 1, DMAS_NET_HOST, 1, &s->tag, 1), ==, DMAS_OK);
}

static void
timer_mark (DmasEngine *engine, gpointer data)
{
  Log *log = data;
  (void) engine;
  guint tag = 1000;
  g_array_append_val (log->order, tag);
}

/* Messages of one link arrive in send order, also several in one instant; a delivery comes
 * before a timer of the same instant (class DELIVER < TIMER) even if the timer was queued
 * first. */
static void
test_fifo_and_class (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log log;
  log_init (&log, engine);
  DmasNetwork *net = dmas_network_new (engine, 2, 10 * DMAS_MS, on_deliver, &log);

  dmas_engine_schedule (engine, 10 * DMAS_MS, DMAS_EV_TIMER, 1, 1, timer_mark, &log, NULL);
  for (guint8 tag = 1; tag <= 5; tag++)
    g_assert_cmpint (dmas_network_send (net, 0, 1, DMAS_NET_HOST, 1, &tag, 1), ==, DMAS_OK);
  SendLater later = { net, 6 };
  dmas_engine_schedule (engine, 3 * DMAS_MS, DMAS_EV_TIMER, 1, 0, send_later, &later, NULL);
  run_to_end (engine);

  const guint expected[] = { 1, 2, 3, 4, 5, 1000, 6 };
  g_assert_cmpuint (log.order->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (g_array_index (log.order, guint, i), ==, expected[i]);
  g_assert_cmpuint (g_array_index (log.times, DmasTime, 5), ==, 13 * DMAS_MS);

  dmas_network_free (net);
  log_clear (&log);
}

static void
test_counters_and_errors (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log log;
  log_init (&log, engine);
  DmasNetwork *net = dmas_network_new (engine, 3, DMAS_MS, on_deliver, &log);
  guint8 body[100] = { 0 };

  g_assert_cmpint (dmas_network_send (net, 0, 1, DMAS_NET_HOST, 1, body, 64), ==, DMAS_OK);
  g_assert_cmpint (dmas_network_send (net, 0, 2, DMAS_NET_HOST, 1, body, 64), ==, DMAS_OK);
  g_assert_cmpint (dmas_network_send (net, 1, 1, DMAS_KIND_CONSENSUS, 2, body, 10), ==, DMAS_OK);
  g_assert_cmpint (dmas_network_send (net, 1, 2, DMAS_KIND_CONSENSUS, 2, NULL, 0), ==, DMAS_OK);
  g_assert_cmpint (dmas_network_send (net, 0, 3, DMAS_NET_HOST, 1, body, 1), ==, DMAS_ENOENT);
  g_assert_cmpint (dmas_network_send (net, 3, 0, DMAS_NET_HOST, 1, body, 1), ==, DMAS_ENOENT);
  g_assert_cmpint (dmas_network_send (net, 0, 1, DMAS_NET_N_CHANNELS, 1, body, 1), ==,
                   DMAS_EINVAL);

  const DmasNetCounters *host = dmas_network_counters (net, DMAS_NET_HOST);
  const DmasNetCounters *cons = dmas_network_counters (net, DMAS_KIND_CONSENSUS);
  g_assert_cmpuint (host->messages, ==, 2);
  g_assert_cmpuint (host->bytes, ==, 2 * (64 + DMAS_NET_ENVELOPE_BYTES));
  g_assert_cmpuint (cons->messages, ==, 2);
  g_assert_cmpuint (cons->bytes, ==, 10 + 2 * DMAS_NET_ENVELOPE_BYTES);
  g_assert_cmpuint (host->delivered + cons->delivered, ==, 0);

  run_to_end (engine);
  g_assert_cmpuint (host->delivered, ==, 2);
  g_assert_cmpuint (cons->delivered, ==, 2); /* including the one to itself */
  g_assert_cmpuint (dmas_network_counters (net, DMAS_KIND_BIDDING)->messages, ==, 0);
  g_assert_cmpuint (log.envs->len, ==, 4);

  dmas_network_free (net);
  log_clear (&log);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/latency-and-envelope", test_latency_and_envelope);
  g_test_add_func ("/net/fifo-and-class-order", test_fifo_and_class);
  g_test_add_func ("/net/counters-and-errors", test_counters_and_errors);
  return g_test_run ();
}
