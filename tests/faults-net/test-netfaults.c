/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the network's fault layer: partitions, loss, corruption, delay, reordering,
 * duplication and degradation, with exact counts on hand-built traffic. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <dmas/plugin.h>
#include "engine/engine.h"
#include "net/network.h"

#define LATENCY (1 * DMAS_MS)

typedef struct {
  DmasEngine *engine;
  DmasNetwork *net;
  GArray *envs;      /* DmasEnvelope, in delivery order */
  GArray *times;     /* DmasTime of each delivery */
  GPtrArray *bodies; /* GBytes */
} Fixture;

static void
on_deliver (gpointer user_data, const DmasEnvelope *env, const guint8 *body)
{
  Fixture *f = user_data;
  DmasTime now = dmas_engine_now (f->engine);
  g_array_append_val (f->envs, *env);
  g_array_append_val (f->times, now);
  g_ptr_array_add (f->bodies, g_bytes_new (body, env->len));
}

static void
fixture_init (Fixture *f, guint n, guint64 seed)
{
  f->engine = dmas_engine_new (seed);
  f->net = dmas_network_new (f->engine, n, LATENCY, on_deliver, f);
  f->envs = g_array_new (FALSE, FALSE, sizeof (DmasEnvelope));
  f->times = g_array_new (FALSE, FALSE, sizeof (DmasTime));
  f->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

static void
fixture_clear (Fixture *f)
{
  dmas_network_free (f->net);
  dmas_engine_free (f->engine);
  g_array_unref (f->envs);
  g_array_unref (f->times);
  g_ptr_array_unref (f->bodies);
}

static void
run_to_end (Fixture *f)
{
  while (dmas_engine_step (f->engine))
    ;
}

/* A message whose body is `tag` followed by `extra` bytes of pattern. */
static void
send_tagged (Fixture *f, DmasAgentId src, DmasAgentId dst, guint8 tag, gsize extra)
{
  guint8 body[64] = { tag };
  g_assert_cmpuint (extra, <, sizeof body);
  for (gsize i = 1; i <= extra; i++)
    body[i] = (guint8) (i * 7);
  g_assert_cmpint (dmas_network_send (f->net, src, dst, DMAS_NET_HOST, 1, body, 1 + extra),
                   ==, DMAS_OK);
}

static guint
count_pair (const Fixture *f, DmasAgentId src, DmasAgentId dst)
{
  guint n = 0;
  for (guint i = 0; i < f->envs->len; i++)
    {
      const DmasEnvelope *e = &g_array_index (f->envs, DmasEnvelope, i);
      n += e->src == src && e->dst == dst;
    }
  return n;
}

static void
send_all_pairs (Fixture *f, guint n)
{
  for (guint s = 0; s < n; s++)
    for (guint d = 0; d < n; d++)
      if (s != d)
        send_tagged (f, s, d, (guint8) (s * 16 + d), 3);
}

static guint8 *
groups_matrix (guint n, const guint *group)
{
  guint8 *reach = g_new (guint8, n * n);
  for (guint s = 0; s < n; s++)
    for (guint d = 0; d < n; d++)
      reach[s * n + d] = group[s] == group[d];
  return reach;
}

/* {0,1} | {2,3}: the 4 messages inside groups pass, the 8 across are dropped and counted;
 * after the heal all 12 pass again. */
static void
test_partition_groups (void)
{
  Fixture f;
  const guint group[4] = { 0, 0, 1, 1 };
  g_autofree guint8 *reach = groups_matrix (4, group);

  fixture_init (&f, 4, 1);
  guint64 id = dmas_network_partition_add (f.net, reach);
  g_assert_cmpuint (id, !=, 0);
  g_assert_true (dmas_network_partitioned (f.net));
  send_all_pairs (&f, 4);
  run_to_end (&f);
  g_assert_cmpuint (f.envs->len, ==, 4);
  for (guint s = 0; s < 4; s++)
    for (guint d = 0; d < 4; d++)
      if (s != d)
        g_assert_cmpuint (count_pair (&f, s, d), ==, group[s] == group[d] ? 1 : 0);
  g_assert_cmpuint (dmas_network_fault_counters (f.net)->dropped_partition, ==, 8);
  /* Sent counts every message, delivered only those that passed. */
  g_assert_cmpuint (dmas_network_counters (f.net, DMAS_NET_HOST)->messages, ==, 12);
  g_assert_cmpuint (dmas_network_counters (f.net, DMAS_NET_HOST)->delivered, ==, 4);

  g_assert_true (dmas_network_partition_remove (f.net, id));
  g_assert_false (dmas_network_partition_remove (f.net, id));
  g_assert_false (dmas_network_partitioned (f.net));
  send_all_pairs (&f, 4);
  run_to_end (&f);
  g_assert_cmpuint (f.envs->len, ==, 4 + 12);
  g_assert_cmpuint (dmas_network_fault_counters (f.net)->dropped_partition, ==, 8);
  fixture_clear (&f);
}

/* A one-way cut: 0's messages no longer reach 1, 1's still reach 0; everything else passes.
 * Two partitions combine: a message passes only when both allow it. */
static void
test_partition_one_way_and_combined (void)
{
  Fixture f;
  guint8 reach[9], reach2[9];

  memset (reach, 1, sizeof reach);
  reach[0 * 3 + 1] = 0;
  memset (reach2, 1, sizeof reach2);
  reach2[2 * 3 + 0] = 0;
  fixture_init (&f, 3, 1);
  guint64 a = dmas_network_partition_add (f.net, reach);
  g_assert_false (dmas_network_reaches (f.net, 0, 1));
  g_assert_true (dmas_network_reaches (f.net, 1, 0));
  send_all_pairs (&f, 3);
  run_to_end (&f);
  g_assert_cmpuint (count_pair (&f, 0, 1), ==, 0);
  g_assert_cmpuint (count_pair (&f, 1, 0), ==, 1);
  g_assert_cmpuint (f.envs->len, ==, 5);

  guint64 b = dmas_network_partition_add (f.net, reach2);
  g_assert_cmpuint (b, !=, a);
  send_all_pairs (&f, 3);
  run_to_end (&f);
  g_assert_cmpuint (f.envs->len, ==, 5 + 4);
  g_assert_cmpuint (count_pair (&f, 2, 0), ==, 1); /* from the first round only */
  g_assert_cmpuint (dmas_network_fault_counters (f.net)->dropped_partition, ==, 1 + 2);

  g_assert_true (dmas_network_partition_remove (f.net, a));
  g_assert_true (dmas_network_reaches (f.net, 0, 1));
  g_assert_false (dmas_network_reaches (f.net, 2, 0));
  fixture_clear (&f);
}

/* A partition checks messages when they are sent: one in flight when the cut starts is
 * delivered; one sent during the cut is not, even if the heal comes before it would arrive. */
static void
test_partition_in_flight (void)
{
  Fixture f;
  const guint group[2] = { 0, 1 };
  g_autofree guint8 *reach = groups_matrix (2, group);

  fixture_init (&f, 2, 1);
  send_tagged (&f, 0, 1, 1, 0);
  guint64 id = dmas_network_partition_add (f.net, reach);
  send_tagged (&f, 0, 1, 2, 0);
  dmas_network_partition_remove (f.net, id);
  run_to_end (&f);
  g_assert_cmpuint (f.envs->len, ==, 1);
  g_assert_cmpuint (g_array_index (f.times, DmasTime, 0), ==, LATENCY);
  g_assert_cmpuint (dmas_network_fault_counters (f.net)->dropped_partition, ==, 1);
  fixture_clear (&f);
}

static DmasLinkFault
rule (DmasAgentId from, DmasAgentId to)
{
  return (DmasLinkFault) { .struct_size = sizeof (DmasLinkFault), .from = from, .to = to };
}

/* loss 1 drops everything it selects and nothing else; loss 0 drops nothing. */
static void
test_loss_exact (void)
{
  Fixture f;
  DmasLinkFault all = rule (0, DMAS_AGENT_NONE);

  all.loss = 1.0;
  fixture_init (&f, 3, 1);
  guint64 id = dmas_network_link_fault_add (f.net, &all);
  send_all_pairs (&f, 3);
  run_to_end (&f);
  g_assert_cmpuint (f.envs->len, ==, 4);
  g_assert_cmpuint (count_pair (&f, 0, 1) + count_pair (&f, 0, 2), ==, 0);
  g_assert_cmpuint (dmas_network_fault_counters (f.net)->dropped_loss, ==, 2);
  g_assert_true (dmas_network_link_fault_remove (f.net, id));

  all.loss = 0.0;
  all.delay = 1; /* a rule that selects but does not drop */
  dmas_network_link_fault_add (f.net, &all);
  send_all_pairs (&f, 3);
  run_to_end (&f);
  g_assert_cmpuint (f.envs->len, ==, 4 + 6);
  g_assert_cmpuint (dmas_network_fault_counters (f.net)->dropped_loss, ==, 2);
  fixture_clear (&f);
}

/* loss 0.3 over 20 000 messages: the share is 0.3 within 1 % (binomial sd 0.0032); the same
 * seed drops the same messages, another seed others. */
static GArray *
lossy_run (guint64 seed)
{
  Fixture f;
  DmasLinkFault r = rule (DMAS_AGENT_NONE, DMAS_AGENT_NONE);
  GArray *got = g_array_new (FALSE, FALSE, sizeof (guint));

  r.loss = 0.3;
  fixture_init (&f, 2, seed);
  dmas_network_link_fault_add (f.net, &r);
  for (guint i = 0; i < 20000; i++)
    {
      guint8 body[4];
      memcpy (body, &i, sizeof i);
      dmas_network_send (f.net, 0, 1, DMAS_NET_HOST, 1, body, sizeof body);
    }
  run_to_end (&f);
  for (guint i = 0; i < f.bodies->len; i++)
    {
      guint v;
      memcpy (&v, g_bytes_get_data (f.bodies->pdata[i], NULL), sizeof v);
      g_array_append_val (got, v);
    }
  g_assert_cmpuint (dmas_network_fault_counters (f.net)->dropped_loss + got->len, ==, 20000);
  fixture_clear (&f);
  return got;
}

static void
test_loss_rate_deterministic (void)
{
  guint64 seed = g_test_rand_int ();
  g_autoptr (GArray) a = lossy_run (seed);
  g_autoptr (GArray) b = lossy_run (seed);
  g_autoptr (GArray) c = lossy_run (seed + 1);

  g_assert_cmpfloat_with_epsilon (1.0 - a->len / 20000.0, 0.3, 0.01);
  g_assert_cmpuint (a->len, ==, b->len);
  g_assert_cmpint (memcmp (a->data, b->data, a->len * sizeof (guint)), ==, 0);
  g_assert_true (a->len != c->len
                 || memcmp (a->data, c->data, a->len * sizeof (guint)) != 0);
}

/* corrupt 1: every body is damaged; the checksum catches each one (dropped_corrupt), none is
 * delivered.  Undetected: each is delivered with exactly one byte changed. */
static void
test_corrupt_detected_and_undetected (void)
{
  Fixture f;
  DmasLinkFault r = rule (DMAS_AGENT_NONE, DMAS_AGENT_NONE);

  r.corrupt = 1.0;
  fixture_init (&f, 2, 7);
  guint64 id = dmas_network_link_fault_add (f.net, &r);
  for (guint i = 0; i < 50; i++)
    send_tagged (&f, 0, 1, (guint8) i, 20);
  /* An empty body: its envelope is damaged instead, and caught too. */
  g_assert_cmpint (dmas_network_send (f.net, 0, 1, DMAS_NET_HOST, 1, NULL, 0), ==, DMAS_OK);
  run_to_end (&f);
  g_assert_cmpuint (f.envs->len, ==, 0);
  g_assert_cmpuint (dmas_network_counters (f.net, DMAS_NET_HOST)->dropped_corrupt, ==, 51);
  g_assert_cmpuint (dmas_network_fault_counters (f.net)->corrupted, ==, 51);
  g_assert_cmpuint (dmas_network_fault_counters (f.net)->corrupt_delivered, ==, 0);
  dmas_network_link_fault_remove (f.net, id);

  /* Undetected damage reaches the protocols' channels only; on the host's own channel the
   * checksum still catches it (netfaults.c says why). */
  r.corrupt_undetected = 1;
  dmas_network_link_fault_add (f.net, &r);
  for (guint i = 0; i < 50; i++)
    {
      guint8 body[21] = { (guint8) i };
      for (gsize k = 1; k <= 20; k++)
        body[k] = (guint8) (k * 7);
      g_assert_cmpint (dmas_network_send (f.net, 0, 1, DMAS_KIND_CONSENSUS, 1, body, sizeof body),
                       ==, DMAS_OK);
    }
  send_tagged (&f, 0, 1, 99, 20);
  run_to_end (&f);
  g_assert_cmpuint (f.envs->len, ==, 50);
  g_assert_cmpuint (dmas_network_fault_counters (f.net)->corrupted, ==, 102);
  g_assert_cmpuint (dmas_network_fault_counters (f.net)->corrupt_delivered, ==, 50);
  g_assert_cmpuint (dmas_network_counters (f.net, DMAS_NET_HOST)->dropped_corrupt, ==, 52);
  for (guint i = 0; i < 50; i++)
    {
      gsize len = 0;
      const guint8 *got = g_bytes_get_data (f.bodies->pdata[i], &len);
      guint8 sent[21] = { (guint8) i };
      for (gsize k = 1; k <= 20; k++)
        sent[k] = (guint8) (k * 7);
      g_assert_cmpuint (len, ==, 21);
      guint differ = 0;
      for (gsize k = 0; k < len; k++)
        differ += got[k] != sent[k];
      g_assert_cmpuint (differ, ==, 1);
    }
  fixture_clear (&f);
}

/* duplicate 1: two deliveries of each message at the same instant, original first. */
static void
test_duplicate_exact (void)
{
  Fixture f;
  DmasLinkFault r = rule (0, 1);

  r.duplicate = 1.0;
  fixture_init (&f, 3, 1);
  dmas_network_link_fault_add (f.net, &r);
  send_tagged (&f, 0, 1, 10, 0);
  send_tagged (&f, 0, 2, 11, 0); /* not selected */
  run_to_end (&f);
  g_assert_cmpuint (count_pair (&f, 0, 1), ==, 2);
  g_assert_cmpuint (count_pair (&f, 0, 2), ==, 1);
  g_assert_cmpuint (dmas_network_fault_counters (f.net)->duplicated, ==, 1);
  g_assert_cmpuint (dmas_network_counters (f.net, DMAS_NET_HOST)->delivered, ==, 3);
  g_assert_cmpuint (g_array_index (f.times, DmasTime, 0), ==,
                    g_array_index (f.times, DmasTime, 1));
  fixture_clear (&f);
}

/* delay d: arrival = latency + d; FIFO holds: a message sent after a delayed one on the same
 * link, once the rule is gone, still arrives after it. */
static void
test_delay_fifo (void)
{
  Fixture f;
  DmasLinkFault r = rule (0, 1);

  r.delay = 10 * DMAS_MS;
  fixture_init (&f, 2, 1);
  guint64 id = dmas_network_link_fault_add (f.net, &r);
  send_tagged (&f, 0, 1, 1, 0);
  dmas_network_link_fault_remove (f.net, id);
  send_tagged (&f, 0, 1, 2, 0);
  run_to_end (&f);
  g_assert_cmpuint (f.envs->len, ==, 2);
  g_assert_cmpuint (g_array_index (f.times, DmasTime, 0), ==, LATENCY + 10 * DMAS_MS);
  g_assert_cmpuint (g_array_index (f.times, DmasTime, 1), ==, LATENCY + 10 * DMAS_MS);
  g_assert_cmpuint (*(const guint8 *) g_bytes_get_data (f.bodies->pdata[0], NULL), ==, 1);
  g_assert_cmpuint (dmas_network_fault_counters (f.net)->reordered, ==, 0);
  fixture_clear (&f);
}

/* Reordering: A is held back 10 ms by a delay; B, reordered, skips the delay and the FIFO
 * clamp and arrives first (counted once).  With reorder 1 on every message, none is held
 * back, so none overtakes anything (counted 0) and order is kept. */
static void
test_reorder_exact (void)
{
  Fixture f;
  DmasLinkFault hold = rule (0, 1), skip = rule (0, 1);

  hold.delay = 10 * DMAS_MS;
  skip.delay = 10 * DMAS_MS;
  skip.reorder = 1.0;
  fixture_init (&f, 2, 1);
  guint64 id = dmas_network_link_fault_add (f.net, &hold);
  send_tagged (&f, 0, 1, 1, 0);
  dmas_network_link_fault_remove (f.net, id);
  id = dmas_network_link_fault_add (f.net, &skip);
  send_tagged (&f, 0, 1, 2, 0);
  run_to_end (&f);
  g_assert_cmpuint (f.envs->len, ==, 2);
  g_assert_cmpuint (*(const guint8 *) g_bytes_get_data (f.bodies->pdata[0], NULL), ==, 2);
  g_assert_cmpuint (g_array_index (f.times, DmasTime, 0), ==, LATENCY);
  g_assert_cmpuint (g_array_index (f.times, DmasTime, 1), ==, LATENCY + 10 * DMAS_MS);
  g_assert_cmpuint (dmas_network_fault_counters (f.net)->reordered, ==, 1);

  for (guint i = 0; i < 10; i++)
    send_tagged (&f, 0, 1, (guint8) (100 + i), 0);
  run_to_end (&f);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (*(const guint8 *) g_bytes_get_data (f.bodies->pdata[2 + i], NULL), ==,
                      100 + i);
  g_assert_cmpuint (dmas_network_fault_counters (f.net)->reordered, ==, 1);
  fixture_clear (&f);
}

/* Jitter stays within [delay, delay + jitter]; rules combine: two loss 0.5 rules select
 * every message with 1 - 0.25 = 0.75, and two delays add. */
static void
test_jitter_and_combination (void)
{
  Fixture f;
  DmasLinkFault a = rule (DMAS_AGENT_NONE, DMAS_AGENT_NONE), b = rule (0, 1);

  a.delay = 2 * DMAS_MS;
  a.delay_jitter = 3 * DMAS_MS;
  b.delay = 5 * DMAS_MS;
  fixture_init (&f, 2, g_test_rand_int ());
  dmas_network_link_fault_add (f.net, &a);
  dmas_network_link_fault_add (f.net, &b);
  for (guint i = 0; i < 200; i++)
    send_tagged (&f, 1, 0, (guint8) i, 0);
  run_to_end (&f);
  DmasTime lo = DMAS_TIME_NONE, hi = 0;
  for (guint i = 0; i < f.times->len; i++)
    {
      lo = MIN (lo, g_array_index (f.times, DmasTime, i));
      hi = MAX (hi, g_array_index (f.times, DmasTime, i));
    }
  /* 1 -> 0 is selected by `a` only: arrivals within latency + [2, 5] ms. */
  g_assert_cmpuint (lo, >=, LATENCY + 2 * DMAS_MS);
  g_assert_cmpuint (hi, <=, LATENCY + 5 * DMAS_MS);
  g_assert_cmpuint (hi, >, lo); /* 200 draws over 3 ms: not all equal */
  fixture_clear (&f);

  DmasLinkFault l1 = rule (DMAS_AGENT_NONE, DMAS_AGENT_NONE);
  l1.loss = 0.5;
  fixture_init (&f, 2, g_test_rand_int ());
  dmas_network_link_fault_add (f.net, &l1);
  dmas_network_link_fault_add (f.net, &l1);
  for (guint i = 0; i < 20000; i++)
    send_tagged (&f, 0, 1, 0, 0);
  run_to_end (&f);
  g_assert_cmpfloat_with_epsilon (dmas_network_fault_counters (f.net)->dropped_loss / 20000.0,
                                  0.75, 0.015);
  fixture_clear (&f);
}

/* Degradation: factor 3 on endpoint 1 adds 2 x latency to messages to and from it; a
 * message to oneself crosses no link and is spared every fault. */
static void
test_slowdown_and_self (void)
{
  Fixture f;
  DmasLinkFault r = rule (DMAS_AGENT_NONE, DMAS_AGENT_NONE);

  r.loss = 1.0;
  fixture_init (&f, 3, 1);
  dmas_network_set_slowdown (f.net, 1, 3.0);
  send_tagged (&f, 0, 1, 1, 0);
  send_tagged (&f, 2, 0, 2, 0);
  run_to_end (&f);
  g_assert_cmpuint (g_array_index (f.times, DmasTime, 0), ==, LATENCY);
  g_assert_cmpuint (g_array_index (f.times, DmasTime, 1), ==, 3 * LATENCY);
  dmas_network_link_fault_add (f.net, &r);
  send_tagged (&f, 2, 2, 3, 0);
  send_tagged (&f, 2, 0, 4, 0);
  run_to_end (&f);
  g_assert_cmpuint (f.envs->len, ==, 3);
  g_assert_cmpuint (*(const guint8 *) g_bytes_get_data (f.bodies->pdata[2], NULL), ==, 3);
  fixture_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/netfaults/partition/groups", test_partition_groups);
  g_test_add_func ("/netfaults/partition/one-way-and-combined",
                   test_partition_one_way_and_combined);
  g_test_add_func ("/netfaults/partition/in-flight", test_partition_in_flight);
  g_test_add_func ("/netfaults/loss/exact", test_loss_exact);
  g_test_add_func ("/netfaults/loss/rate-deterministic", test_loss_rate_deterministic);
  g_test_add_func ("/netfaults/corrupt/detected-and-undetected",
                   test_corrupt_detected_and_undetected);
  g_test_add_func ("/netfaults/duplicate/exact", test_duplicate_exact);
  g_test_add_func ("/netfaults/delay/fifo", test_delay_fifo);
  g_test_add_func ("/netfaults/reorder/exact", test_reorder_exact);
  g_test_add_func ("/netfaults/delay/jitter-and-combination", test_jitter_and_combination);
  g_test_add_func ("/netfaults/slowdown-and-self", test_slowdown_and_self);
  return g_test_run ();
}
