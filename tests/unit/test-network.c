/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the simulated network: latency, bandwidth, jitter, FIFO, per-link config. */
#include "config.h"

#include <math.h>
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

/* ---- transmission, latency, jitter ---- */

static DmasTime
arrival (const Log *log, guint i)
{
  return g_array_index (log->times, DmasTime, i);
}

typedef struct {
  DmasNetwork *net;
  DmasAgentId src, dst;
  gsize len;
  guint8 tag;
} Send;

static void
send_now (DmasEngine *engine, gpointer data)
{
  Send *s = data;
  guint8 body[256] = { 0 };
  (void) engine;
  body[0] = s->tag;
  g_assert_cmpuint (s->len, <=, sizeof body);
  g_assert_cmpint (dmas_network_send (s->net, s->src, s->dst, DMAS_NET_HOST, 1, body, s->len),
                   ==, DMAS_OK);
}

/* Schedules a send of `len` body bytes at `at`, tagged by its first byte. */
static void
send_at (DmasEngine *engine, DmasNetwork *net, DmasTime at, DmasAgentId src, DmasAgentId dst,
         gsize len, guint8 tag)
{
  Send *s = g_new (Send, 1);
  *s = (Send){ net, src, dst, len, tag };
  dmas_engine_schedule (engine, at, DMAS_EV_TIMER, 1, 0, send_now, s, g_free);
}

/* 8 Mbit/s is one byte per microsecond: a 76-byte body + 24-byte envelope takes 100 us to
 * leave.  Two messages sent together on one link: the second waits for the first to be sent.
 * Another link has its own transmitter; an idle link starts at once. */
static void
test_bandwidth_serializes (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log log;
  log_init (&log, engine);
  DmasNetwork *net = dmas_network_new (engine, 3, 0, on_deliver, &log);
  const DmasLinkParams p = { .latency = DMAS_MS, .jitter = 0, .bandwidth = 8e6 };
  dmas_network_set_default_link (net, &p);

  send_at (engine, net, 0, 0, 1, 76, 1);
  send_at (engine, net, 0, 0, 1, 76, 2);
  send_at (engine, net, 0, 0, 2, 76, 3);
  send_at (engine, net, 50 * DMAS_US, 0, 1, 176, 4); /* 200 bytes: 200 us, after #2 */
  send_at (engine, net, 5 * DMAS_MS, 0, 1, 76, 5);  /* link idle again */
  run_to_end (engine);

  const guint tags[] = { 1, 3, 2, 4, 5 };
  const DmasTime at[] = {
    100 * DMAS_US + DMAS_MS,                   /* sent 0..100 us */
    100 * DMAS_US + DMAS_MS,                   /* 0 -> 2: its own transmitter */
    200 * DMAS_US + DMAS_MS,                   /* waits: sent 100..200 us */
    400 * DMAS_US + DMAS_MS,                   /* waits: sent 200..400 us */
    5 * DMAS_MS + 100 * DMAS_US + DMAS_MS,     /* starts when sent */
  };
  g_assert_cmpuint (log.order->len, ==, G_N_ELEMENTS (tags));
  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    {
      g_assert_cmpuint (g_array_index (log.order, guint, i), ==, tags[i]);
      g_assert_cmpuint (arrival (&log, i), ==, at[i]);
    }
  /* Bytes counted are the same ones that took time: body + envelope. */
  g_assert_cmpuint (dmas_network_counters (net, DMAS_NET_HOST)->bytes, ==,
                    4 * 100 + 200);

  dmas_network_free (net);
  log_clear (&log);
}

/* Transmission time is rounded up to a whole ns: 25 bytes at 3 Gbit/s is 66.67 ns -> 67. */
static void
test_bandwidth_rounds_up (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log log;
  log_init (&log, engine);
  DmasNetwork *net = dmas_network_new (engine, 2, 0, on_deliver, &log);
  const DmasLinkParams p = { .latency = 10, .jitter = 0, .bandwidth = 3e9 };
  dmas_network_set_link (net, 1, 0, &p);

  send_at (engine, net, 0, 1, 0, 1, 1);
  send_at (engine, net, 0, 0, 1, 1, 2); /* the other direction keeps the defaults: 0 */
  run_to_end (engine);
  g_assert_cmpuint (g_array_index (log.order, guint, 0), ==, 2);
  g_assert_cmpuint (arrival (&log, 0), ==, 0);
  g_assert_cmpuint (arrival (&log, 1), ==, 67 + 10);

  dmas_network_free (net);
  log_clear (&log);
}

/* Sends `n` messages on 0 -> 1, one every 10 ms (far apart, so FIFO never binds), and, when
 * `noise`, one on 0 -> 2 and one on 2 -> 1 between each.  Returns the 0 -> 1 delays beyond
 * the latency. */
static GArray *
jitter_run (guint64 seed, guint n, gboolean noise)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (seed);
  Log log;
  log_init (&log, engine);
  DmasNetwork *net = dmas_network_new (engine, 3, 0, on_deliver, &log);
  const DmasLinkParams p = { .latency = DMAS_MS, .jitter = 500 * DMAS_US, .bandwidth = 0 };
  dmas_network_set_default_link (net, &p);

  for (guint i = 0; i < n; i++)
    {
      send_at (engine, net, i * 10 * DMAS_MS, 0, 1, 1, 1);
      if (noise)
        {
          send_at (engine, net, i * 10 * DMAS_MS + 1, 0, 2, 1, 2);
          send_at (engine, net, i * 10 * DMAS_MS + 2, 2, 1, 1, 2);
        }
    }
  run_to_end (engine);

  GArray *extra = g_array_new (FALSE, FALSE, sizeof (DmasTime));
  for (guint i = 0; i < log.envs->len; i++)
    {
      const DmasEnvelope *env = &g_array_index (log.envs, DmasEnvelope, i);
      if (env->src != 0 || env->dst != 1)
        continue;
      DmasTime sent = extra->len * 10 * DMAS_MS;
      DmasTime delay = arrival (&log, i) - sent - DMAS_MS;
      g_array_append_val (extra, delay);
    }
  g_assert_cmpuint (extra->len, ==, n);
  dmas_network_free (net);
  log_clear (&log);
  return extra;
}

static void
test_jitter (void)
{
  guint64 seed = g_test_rand_int ();
  const guint n = 2000;
  g_autoptr (GArray) a = jitter_run (seed, n, FALSE);
  g_autoptr (GArray) again = jitter_run (seed, n, FALSE);
  g_autoptr (GArray) noisy = jitter_run (seed, n, TRUE);
  g_autoptr (GArray) other = jitter_run (seed + 1, n, FALSE);

  DmasTime lo = G_MAXUINT64, hi = 0;
  gdouble sum = 0;
  guint differ = 0;
  for (guint i = 0; i < n; i++)
    {
      DmasTime d = g_array_index (a, DmasTime, i);
      g_assert_cmpuint (d, <=, 500 * DMAS_US);
      lo = MIN (lo, d);
      hi = MAX (hi, d);
      sum += (gdouble) d;
      /* Same seed, same delays; traffic on other links does not shift this link's. */
      g_assert_cmpuint (g_array_index (again, DmasTime, i), ==, d);
      g_assert_cmpuint (g_array_index (noisy, DmasTime, i), ==, d);
      differ += g_array_index (other, DmasTime, i) != d;
    }
  /* Uniform on [0, 500 us]: 2000 draws cover the range and average near 250 us (the mean's
   * standard error is 3.2 us; 25 us is a ~8 sigma margin). */
  g_assert_cmpuint (lo, <, 5 * DMAS_US);
  g_assert_cmpuint (hi, >, 495 * DMAS_US);
  g_assert_cmpfloat (fabs (sum / n - 250e3), <, 25e3);
  g_assert_cmpuint (differ, >, n / 2);
}

/* Jitter never lets a message overtake an earlier one of the same link: sent 1 us apart with
 * up to 1 ms jitter, they still arrive in order, each no earlier than its own draw allows. */
static void
test_fifo_under_jitter (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (g_test_rand_int ());
  Log log;
  log_init (&log, engine);
  DmasNetwork *net = dmas_network_new (engine, 2, 0, on_deliver, &log);
  const DmasLinkParams p = { .latency = 100 * DMAS_US, .jitter = DMAS_MS, .bandwidth = 0 };
  dmas_network_set_default_link (net, &p);

  for (guint i = 0; i < 200; i++)
    send_at (engine, net, i * DMAS_US, 0, 1, 1, (guint8) i);
  run_to_end (engine);

  g_assert_cmpuint (log.order->len, ==, 200);
  guint tied = 0;
  for (guint i = 0; i < 200; i++)
    {
      g_assert_cmpuint (g_array_index (log.order, guint, i), ==, i);
      g_assert_cmpuint (arrival (&log, i), >=, i * DMAS_US + 100 * DMAS_US);
      g_assert_cmpuint (arrival (&log, i), <=, 199 * DMAS_US + 1100 * DMAS_US);
      if (i > 0)
        {
          g_assert_cmpuint (arrival (&log, i), >=, arrival (&log, i - 1));
          tied += arrival (&log, i) == arrival (&log, i - 1);
        }
    }
  /* The clamp really worked: with draws this wide many messages were held back to the
   * previous arrival. */
  g_assert_cmpuint (tied, >, 10);

  dmas_network_free (net);
  log_clear (&log);
}

/* ---- the config's network section ---- */

static DmasConfig *
load (const gchar *yaml, GError **error)
{
  return dmas_config_load_string (yaml, "t.yaml", "/", NULL, error);
}

static const gchar *const names4[] = { "a", "b", "c", "d" };

static const gchar four_clusters[] =
  "platform: {clusters: [{name: a}, {name: b}, {name: c}, {name: d}]}\n";

static void
test_config_links (void)
{
  g_autofree gchar *yaml = g_strconcat (
    four_clusters,
    "network:\n"
    "  latency: 1ms\n"
    "  bandwidth: 10Gbps\n"
    "  jitter: 500us\n"
    "  links:\n"
    "    - {from: 0, to: 3, latency: 20ms, bandwidth: 1Gbps, jitter: 0s}\n"
    "    - {from: b, to: c, latency: 7ms, symmetric: false}\n"
    "    - {from: d, to: \"2\", bandwidth: infinite}\n", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = load (yaml, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (config->network.latency, ==, DMAS_MS);
  g_assert_cmpuint (config->network.jitter, ==, 500 * DMAS_US);
  g_assert_cmpfloat (config->network.bandwidth, ==, 1e10);
  g_assert_cmpuint (config->network.links->len, ==, 3);
  const DmasLinkSpec *l1 = &g_array_index (config->network.links, DmasLinkSpec, 1);
  g_assert_cmpstr (l1->from, ==, "b");
  g_assert_false (l1->symmetric);
  g_assert_cmpuint (l1->jitter, ==, 500 * DMAS_US);   /* inherited */
  g_assert_cmpfloat (l1->bandwidth, ==, 1e10);
  g_assert_cmpstr (l1->from_where, ==, "t.yaml:8:14: ");

  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  DmasNetwork *net = dmas_network_new (engine, 4, 0, on_deliver, NULL);
  g_assert_true (dmas_network_configure (net, config, names4, &error));
  g_assert_no_error (error);

  /* By id, symmetric by default. */
  const DmasLinkParams *p = dmas_network_link (net, 0, 3);
  g_assert_cmpuint (p->latency, ==, 20 * DMAS_MS);
  g_assert_cmpuint (p->jitter, ==, 0);
  g_assert_cmpfloat (p->bandwidth, ==, 1e9);
  g_assert_true (dmas_network_link (net, 3, 0) == p || dmas_network_link (net, 3, 0)->latency
                 == 20 * DMAS_MS);
  /* By name, one direction only. */
  g_assert_cmpuint (dmas_network_link (net, 1, 2)->latency, ==, 7 * DMAS_MS);
  g_assert_cmpuint (dmas_network_link (net, 2, 1)->latency, ==, DMAS_MS);
  /* Name on one end, quoted id on the other; 0 bits/s = infinite. */
  g_assert_cmpfloat (dmas_network_link (net, 3, 2)->bandwidth, ==, 0);
  g_assert_cmpfloat (dmas_network_link (net, 2, 3)->bandwidth, ==, 0);
  g_assert_cmpuint (dmas_network_link (net, 2, 3)->jitter, ==, 500 * DMAS_US);
  /* Everything else: the defaults. */
  p = dmas_network_link (net, 1, 0);
  g_assert_cmpuint (p->latency, ==, DMAS_MS);
  g_assert_cmpuint (p->jitter, ==, 500 * DMAS_US);
  g_assert_cmpfloat (p->bandwidth, ==, 1e10);
  dmas_network_free (net);

  /* The resolved config: ids plain, left-out link keys left out (they follow network.*),
   * and it loads back to the same text. */
  g_autofree gchar *text = dmas_config_to_yaml (config);
  g_assert_nonnull (strstr (text, "  - from: 0\n    to: 3\n"));
  g_assert_nonnull (strstr (text, "  - from: d\n    to: 2\n    bandwidth: infinite\n"
                                  "    symmetric: true\n"));
  g_autoptr (DmasConfig) again = load (text, &error);
  g_assert_no_error (error);
  g_autofree gchar *text_again = dmas_config_to_yaml (again);
  g_assert_cmpstr (text_again, ==, text);
}

/* The arrival times of a configured network, by hand: default link 1 ms + 100 B at
 * 8 Mbit/s = 1.1 ms; the 0 -> 3 override 20 ms + 100 B at 1 Mbit/s (800 us) = 20.8 ms. */
static void
test_config_arrivals (void)
{
  g_autofree gchar *yaml = g_strconcat (
    four_clusters,
    "network: {latency: 1ms, bandwidth: 1MB/s,\n"
    "          links: [{from: a, to: d, latency: 20ms, bandwidth: 1Mbps}]}\n", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = load (yaml, &error);
  g_assert_no_error (error);
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log log;
  log_init (&log, engine);
  DmasNetwork *net = dmas_network_new (engine, 4, 0, on_deliver, &log);
  g_assert_true (dmas_network_configure (net, config, names4, &error));

  send_at (engine, net, 0, 0, 3, 76, 1);
  send_at (engine, net, 0, 3, 0, 76, 2);
  send_at (engine, net, 0, 0, 1, 76, 3);
  run_to_end (engine);
  g_assert_cmpuint (g_array_index (log.order, guint, 0), ==, 3);
  g_assert_cmpuint (arrival (&log, 0), ==, DMAS_MS + 100 * DMAS_US);
  g_assert_cmpuint (arrival (&log, 1), ==, 20 * DMAS_MS + 800 * DMAS_US);
  g_assert_cmpuint (arrival (&log, 2), ==, 20 * DMAS_MS + 800 * DMAS_US);

  dmas_network_free (net);
  log_clear (&log);
}

static void
test_config_link_errors (void)
{
  static const struct {
    const gchar *links;
    const gchar *message;
  } cases[] = {
    { "[{from: 0, to: 4}]",
      "t.yaml:2:33: network.links[0].to: there is no agent 4; agent ids go from 0 to 3" },
    { "[{from: zeta, to: 1}]",
      "t.yaml:2:26: network.links[0].from: no cluster is named 'zeta'; the clusters are: a, b, "
      "c, d (or use an agent id)" },
    { "[{from: 0, to: dd}]",
      "t.yaml:2:33: network.links[0].to: no cluster is named 'dd' (did you mean 'd'?)" },
    { "[{from: 0, to: 3}, {from: d, to: a, symmetric: false}]",
      "t.yaml:2:37: network.links[1]: the link 3 -> 0 is already set by network.links[0]; "
      "give each direction once (symmetric: true, the default, sets both)" },
    { "[{from: 1, to: 2, symmetric: false}, {from: c, to: 1}]",
      "t.yaml:2:55: network.links[1]: the link 1 -> 2 is already set by network.links[0]; "
      "give each direction once (symmetric: true, the default, sets both)" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *yaml = g_strdup_printf ("%snetwork: {links: %s}\n", four_clusters,
                                                cases[i].links);
      g_autoptr (GError) error = NULL;
      g_autoptr (DmasConfig) config = load (yaml, &error);
      g_assert_no_error (error);
      g_autoptr (DmasEngine) engine = dmas_engine_new (1);
      DmasNetwork *net = dmas_network_new (engine, 4, 0, on_deliver, NULL);
      g_assert_false (dmas_network_configure (net, config, names4, &error));
      g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      dmas_network_free (net);
    }

  /* A self link is a loopback, allowed; symmetric has nothing more to set. */
  g_autofree gchar *yaml = g_strdup_printf ("%snetwork: {links: [{from: 2, to: c, "
                                            "latency: 3ms}]}\n", four_clusters);
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = load (yaml, &error);
  g_assert_no_error (error);
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  DmasNetwork *net = dmas_network_new (engine, 4, 0, on_deliver, NULL);
  g_assert_true (dmas_network_configure (net, config, names4, &error));
  g_assert_cmpuint (dmas_network_link (net, 2, 2)->latency, ==, 3 * DMAS_MS);
  dmas_network_free (net);
}

/* Defaults: no jitter, infinite bandwidth, no links, shown as such. */
static void
test_config_defaults (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = load ("seed: 3\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (config->network.latency, ==, DMAS_MS);
  g_assert_cmpuint (config->network.jitter, ==, 0);
  g_assert_cmpfloat (config->network.bandwidth, ==, 0);
  g_assert_cmpuint (config->network.links->len, ==, 0);
  g_autofree gchar *text = dmas_config_to_yaml (config);
  g_assert_nonnull (strstr (text, "network:\n  latency: 1ms\n  jitter: 0s\n"
                                  "  bandwidth: infinite\n  links: []\n"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/latency-and-envelope", test_latency_and_envelope);
  g_test_add_func ("/net/fifo-and-class-order", test_fifo_and_class);
  g_test_add_func ("/net/counters-and-errors", test_counters_and_errors);
  g_test_add_func ("/net/bandwidth/serializes", test_bandwidth_serializes);
  g_test_add_func ("/net/bandwidth/rounds-up", test_bandwidth_rounds_up);
  g_test_add_func ("/net/jitter/bounds-and-determinism", test_jitter);
  g_test_add_func ("/net/jitter/fifo", test_fifo_under_jitter);
  g_test_add_func ("/net/config/links", test_config_links);
  g_test_add_func ("/net/config/arrivals", test_config_arrivals);
  g_test_add_func ("/net/config/link-errors", test_config_link_errors);
  g_test_add_func ("/net/config/defaults", test_config_defaults);
  return g_test_run ();
}
