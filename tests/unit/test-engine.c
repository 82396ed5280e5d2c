/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the discrete-event engine: order, cancel, streams, digest, runs, pacing, SIGINT. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib.h>

#include "engine/engine.h"

/* A log of dispatched events: each event's data is a Rec pointing back at the log. */
typedef struct {
  GArray *tags;   /* guint: the tag of each dispatched event, in dispatch order */
  GArray *times;  /* DmasTime at each dispatch */
  guint freed;    /* free functions run */
  DmasEventId cancel_me; /* for events that cancel another one */
  gboolean cancel_result;
} Log;

typedef struct {
  Log *log;
  guint tag;
} Rec;

static Log *
log_new (void)
{
  Log *log = g_new0 (Log, 1);
  log->tags = g_array_new (FALSE, FALSE, sizeof (guint));
  log->times = g_array_new (FALSE, FALSE, sizeof (DmasTime));
  return log;
}

static void
log_free (Log *log)
{
  g_array_unref (log->tags);
  g_array_unref (log->times);
  g_free (log);
}

static void
rec_free (gpointer data)
{
  Rec *rec = data;
  rec->log->freed++;
  g_free (rec);
}

static void
on_record (DmasEngine *engine, gpointer data)
{
  Rec *rec = data;
  DmasTime now = dmas_engine_now (engine);
  g_array_append_val (rec->log->tags, rec->tag);
  g_array_append_val (rec->log->times, now);
}

static DmasEventId
add (DmasEngine *engine, Log *log, DmasTime at, DmasEventClass cls, guint tag)
{
  Rec *rec = g_new (Rec, 1);
  rec->log = log;
  rec->tag = tag;
  DmasEventId id = dmas_engine_schedule (engine, at, cls, tag, DMAS_AGENT_NONE, on_record, rec,
                                         rec_free);
  g_assert_cmpuint (id, !=, 0);
  return id;
}

static guint
tag_at (const Log *log, guint i)
{
  return g_array_index (log->tags, guint, i);
}

static void
drain (DmasEngine *engine)
{
  while (dmas_engine_step (engine))
    ;
}

/* ---- order ---- */

static void
test_order_time (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  const guint n = 5000;

  for (guint i = 0; i < n; i++)
    add (engine, log, g_rand_int_range (rand, 0, 1000000), DMAS_EV_TIMER, i);
  g_assert_cmpuint (dmas_engine_pending (engine), ==, n);
  drain (engine);

  g_assert_cmpuint (log->times->len, ==, n);
  for (guint i = 1; i < n; i++)
    g_assert_cmpuint (g_array_index (log->times, DmasTime, i - 1), <=,
                      g_array_index (log->times, DmasTime, i));
  g_assert_cmpuint (dmas_engine_now (engine), ==, g_array_index (log->times, DmasTime, n - 1));
  g_assert_cmpuint (dmas_engine_events (engine), ==, n);
  g_assert_cmpuint (log->freed, ==, n);
  g_assert_cmpuint (dmas_engine_pending (engine), ==, 0);
  log_free (log);
}

static void
test_order_same_instant_fifo (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();

  /* Interleaved with other instants so the heap really has to keep FIFO, not just append. */
  for (guint i = 0; i < 2000; i++)
    {
      add (engine, log, 5 * DMAS_S, DMAS_EV_DELIVER, i);
      add (engine, log, (i % 7) * DMAS_S, DMAS_EV_DELIVER, 100000 + i);
    }
  drain (engine);

  guint next = 0;
  for (guint i = 0; i < log->tags->len; i++)
    if (tag_at (log, i) < 100000)
      g_assert_cmpuint (tag_at (log, i), ==, next++);
  g_assert_cmpuint (next, ==, 2000);
  log_free (log);
}

static void
test_order_class (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();
  const DmasEventClass classes[] = { DMAS_EV_OBSERVE, DMAS_EV_TIMER, DMAS_EV_DELIVER,
                                     DMAS_EV_FAULT };

  /* tag = class * 100 + arrival; scheduled in the reverse of class order. */
  for (guint round = 0; round < 3; round++)
    for (guint c = 0; c < G_N_ELEMENTS (classes); c++)
      add (engine, log, DMAS_MS, classes[c], classes[c] * 100 + round);
  add (engine, log, DMAS_MS - 1, DMAS_EV_OBSERVE, 999);
  drain (engine);

  const guint expected[] = { 999, 0, 1, 2, 100, 101, 102, 200, 201, 202, 300, 301, 302 };
  g_assert_cmpuint (log->tags->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (tag_at (log, i), ==, expected[i]);
  log_free (log);
}

typedef struct {
  Log *log;
} Spawner;

static void
on_spawn (DmasEngine *engine, gpointer data)
{
  Spawner *sp = data;
  guint tag = 50;
  g_array_append_val (sp->log->tags, tag);
  /* Same instant: the fault overtakes the pending timer, the timer queues behind it. */
  add (engine, sp->log, dmas_engine_now (engine), DMAS_EV_TIMER, 60);
  add (engine, sp->log, dmas_engine_now (engine), DMAS_EV_FAULT, 70);
}

static void
test_order_schedule_during_dispatch (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();
  Spawner sp = { log };

  dmas_engine_schedule (engine, 10, DMAS_EV_DELIVER, 0, 0, on_spawn, &sp, NULL);
  add (engine, log, 10, DMAS_EV_TIMER, 1);
  add (engine, log, 11, DMAS_EV_FAULT, 2);
  drain (engine);

  const guint expected[] = { 50, 70, 1, 60, 2 };
  g_assert_cmpuint (log->tags->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (tag_at (log, i), ==, expected[i]);
  log_free (log);
}

/* ---- step / next_time / schedule ---- */

static void
test_step_next_time (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();

  g_assert_false (dmas_engine_step (engine));
  g_assert_cmpuint (dmas_engine_next_time (engine), ==, DMAS_TIME_NONE);
  g_assert_cmpuint (dmas_engine_now (engine), ==, 0);

  add (engine, log, 30, DMAS_EV_TIMER, 3);
  DmasEventId first = add (engine, log, 10, DMAS_EV_TIMER, 1);
  add (engine, log, 20, DMAS_EV_TIMER, 2);
  g_assert_cmpuint (dmas_engine_next_time (engine), ==, 10);
  g_assert_true (dmas_engine_cancel (engine, first));
  g_assert_cmpuint (dmas_engine_next_time (engine), ==, 20);
  g_assert_cmpuint (log->freed, ==, 1); /* dropped by the peek */

  g_assert_true (dmas_engine_step (engine));
  g_assert_cmpuint (dmas_engine_now (engine), ==, 20);
  g_assert_cmpuint (dmas_engine_events (engine), ==, 1);
  g_assert_cmpuint (dmas_engine_next_time (engine), ==, 30);
  g_assert_true (dmas_engine_step (engine));
  g_assert_cmpuint (dmas_engine_now (engine), ==, 30);
  g_assert_false (dmas_engine_step (engine));
  g_assert_cmpuint (dmas_engine_events (engine), ==, 2);
  g_assert_cmpuint (dmas_engine_seed (engine), ==, 1);
  log_free (log);
}

static void
test_schedule_in_the_past (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();

  add (engine, log, 100, DMAS_EV_TIMER, 1);
  drain (engine);
  g_test_expect_message ("dmas", G_LOG_LEVEL_CRITICAL, "*at >= engine->now*");
  DmasEventId id = dmas_engine_schedule (engine, 99, DMAS_EV_TIMER, 0, 0, on_record, NULL, NULL);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (id, ==, 0);
  g_assert_cmpuint (dmas_engine_pending (engine), ==, 0);
  log_free (log);
}

/* ---- cancel ---- */

static void
test_cancel_before_dispatch (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();

  add (engine, log, 1, DMAS_EV_TIMER, 1);
  DmasEventId victim = add (engine, log, 2, DMAS_EV_TIMER, 2);
  add (engine, log, 3, DMAS_EV_TIMER, 3);
  g_assert_true (dmas_engine_cancel (engine, victim));
  g_assert_false (dmas_engine_cancel (engine, victim));
  g_assert_cmpuint (dmas_engine_pending (engine), ==, 2);
  g_assert_cmpuint (log->freed, ==, 0); /* lazy: freed when it reaches the top */
  drain (engine);

  g_assert_cmpuint (log->tags->len, ==, 2);
  g_assert_cmpuint (tag_at (log, 0), ==, 1);
  g_assert_cmpuint (tag_at (log, 1), ==, 3);
  g_assert_cmpuint (log->freed, ==, 3);
  g_assert_cmpuint (dmas_engine_events (engine), ==, 2);
  g_assert_false (dmas_engine_cancel (engine, victim));
  log_free (log);
}

static void
on_cancel_other (DmasEngine *engine, gpointer data)
{
  Rec *rec = data;
  on_record (engine, data);
  rec->log->cancel_result = dmas_engine_cancel (engine, rec->log->cancel_me);
}

static void
test_cancel_same_instant (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();
  Rec *rec = g_new (Rec, 1);
  rec->log = log;
  rec->tag = 1;

  dmas_engine_schedule (engine, 5, DMAS_EV_DELIVER, 0, 0, on_cancel_other, rec, rec_free);
  log->cancel_me = add (engine, log, 5, DMAS_EV_TIMER, 2);
  add (engine, log, 5, DMAS_EV_TIMER, 3);
  drain (engine);

  g_assert_true (log->cancel_result);
  g_assert_cmpuint (log->tags->len, ==, 2);
  g_assert_cmpuint (tag_at (log, 0), ==, 1);
  g_assert_cmpuint (tag_at (log, 1), ==, 3);
  g_assert_cmpuint (log->freed, ==, 3);
  log_free (log);
}

static void
test_cancel_self (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();
  Rec *rec = g_new (Rec, 1);
  rec->log = log;
  rec->tag = 1;

  log->cancel_me = dmas_engine_schedule (engine, 5, DMAS_EV_TIMER, 0, 0, on_cancel_other, rec,
                                         rec_free);
  log->cancel_result = TRUE;
  drain (engine);

  g_assert_false (log->cancel_result);
  g_assert_cmpuint (log->tags->len, ==, 1);
  g_assert_cmpuint (log->freed, ==, 1);
  g_assert_cmpuint (dmas_engine_events (engine), ==, 1);
  log_free (log);
}

static void
test_cancel_stale_id (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();

  DmasEventId old = add (engine, log, 1, DMAS_EV_TIMER, 1);
  drain (engine);
  g_assert_false (dmas_engine_cancel (engine, old));
  /* The new event reuses the released slot: the old id must not reach it. */
  DmasEventId fresh = add (engine, log, 2, DMAS_EV_TIMER, 2);
  g_assert_cmpuint (fresh, !=, old);
  g_assert_cmpuint (fresh & G_MAXUINT32, ==, old & G_MAXUINT32);
  g_assert_false (dmas_engine_cancel (engine, old));
  g_assert_false (dmas_engine_cancel (engine, 0));
  g_assert_false (dmas_engine_cancel (engine, G_MAXUINT64));
  g_assert_false (dmas_engine_cancel (engine, ((guint64) 1 << 32) | 5000000));
  drain (engine);
  g_assert_cmpuint (log->tags->len, ==, 2);
  g_assert_cmpuint (log->freed, ==, 2);
  log_free (log);
}

static void
test_cancel_engine_free (void)
{
  Log *log = log_new ();
  DmasEngine *engine = dmas_engine_new (1);

  for (guint i = 0; i < 10; i++)
    {
      DmasEventId id = add (engine, log, 100 + i, DMAS_EV_TIMER, i);
      if (i % 3 == 0)
        g_assert_true (dmas_engine_cancel (engine, id));
    }
  add (engine, log, 1, DMAS_EV_TIMER, 99);
  g_assert_true (dmas_engine_step (engine));
  g_assert_cmpuint (log->freed, ==, 1);
  dmas_engine_free (engine);
  g_assert_cmpuint (log->freed, ==, 11);
  g_assert_cmpuint (log->tags->len, ==, 1);
  log_free (log);
}

static void
test_cancel_purge (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  const guint n = 6000;
  g_autofree DmasEventId *ids = g_new (DmasEventId, n);

  for (guint i = 0; i < n; i++)
    ids[i] = add (engine, log, g_rand_int_range (rand, 0, 1000), DMAS_EV_TIMER, i);
  /* Enough cancels to make the engine rebuild its heap without them. */
  guint kept = 0;
  for (guint i = 0; i < n; i++)
    if (i % 4 != 0)
      g_assert_true (dmas_engine_cancel (engine, ids[i]));
    else
      kept++;
  g_assert_cmpuint (dmas_engine_pending (engine), ==, kept);
  g_assert_cmpuint (log->freed, >, 0); /* the purge ran free functions already */
  drain (engine);

  g_assert_cmpuint (log->tags->len, ==, kept);
  g_assert_cmpuint (log->freed, ==, n);
  for (guint i = 1; i < kept; i++)
    {
      DmasTime a = g_array_index (log->times, DmasTime, i - 1);
      DmasTime b = g_array_index (log->times, DmasTime, i);
      g_assert_cmpuint (a, <=, b);
      if (a == b)
        g_assert_cmpuint (tag_at (log, i - 1), <, tag_at (log, i));
      g_assert_cmpuint (tag_at (log, i) % 4, ==, 0);
    }
  log_free (log);
}

/* ---- RNG streams ---- */

static void
draw (GRand *rng, guint32 *out, guint n)
{
  for (guint i = 0; i < n; i++)
    out[i] = g_rand_int (rng);
}

static void
test_rng_stable (void)
{
  guint64 seed = ((guint64) g_test_rand_int () << 32) | g_test_rand_int ();
  g_autoptr (DmasEngine) a = dmas_engine_new (seed);
  g_autoptr (DmasEngine) b = dmas_engine_new (seed);
  guint32 xa[16], xb[16], xc[16];

  draw (dmas_engine_rng (a, "agent/3/consensus"), xa, 16);
  draw (dmas_engine_rng (b, "agent/3/consensus"), xb, 16);
  g_assert_cmpmem (xa, sizeof xa, xb, sizeof xb);
  g_assert_true (dmas_engine_rng (a, "agent/3/consensus")
                 == dmas_engine_rng (a, "agent/3/consensus"));

  draw (dmas_engine_rng (a, "agent/4/consensus"), xc, 16);
  g_assert_true (memcmp (xa, xc, sizeof xa) != 0);

  g_autoptr (DmasEngine) other = dmas_engine_new (seed + 1);
  draw (dmas_engine_rng (other, "agent/3/consensus"), xc, 16);
  g_assert_true (memcmp (xa, xc, sizeof xa) != 0);

  /* Pinned: changing the seed derivation silently would change every published result. */
  g_assert_cmpuint (dmas_engine_stream_seed (7, "workload"), ==,
                    G_GUINT64_CONSTANT (0x64b525efb2486657));
  g_assert_cmpuint (dmas_engine_stream_seed (7, "workload"), !=,
                    dmas_engine_stream_seed (7, "net"));
  g_assert_cmpuint (dmas_engine_stream_seed (7, "workload"), !=,
                    dmas_engine_stream_seed (8, "workload"));
}

static void
test_rng_independent (void)
{
  g_autoptr (DmasEngine) a = dmas_engine_new (42);
  g_autoptr (DmasEngine) b = dmas_engine_new (42);
  guint32 xa[32], xb[32], junk[8];

  /* In b, another stream is created and drawn from in the middle of A's draws. */
  draw (dmas_engine_rng (a, "A"), xa, 32);
  draw (dmas_engine_rng (b, "A"), xb, 16);
  draw (dmas_engine_rng (b, "B"), junk, 8);
  draw (dmas_engine_rng (b, "A"), xb + 16, 16);
  g_assert_cmpmem (xa, sizeof xa, xb, sizeof xb);
}

/* World streams (platform, workload, faults) follow the world seed; the rest the run seed. */
static void
test_rng_world (void)
{
  guint64 seed = ((guint64) g_test_rand_int () << 32) | g_test_rand_int ();
  g_autoptr (DmasEngine) a = dmas_engine_new (seed);
  g_autoptr (DmasEngine) b = dmas_engine_new (seed + 1);
  guint32 xa[16], xb[16];

  /* Default world seed = run seed: the same numbers as the run stream of that name. */
  draw (dmas_engine_world_rng (a, "workload"), xa, 16);
  draw (dmas_engine_rng (a, "workload"), xb, 16);
  g_assert_cmpmem (xa, sizeof xa, xb, sizeof xb);

  /* Another run seed with the same world seed: same world draws, other run draws. */
  dmas_engine_set_world_seed (b, seed);
  draw (dmas_engine_world_rng (b, "workload"), xb, 16);
  g_assert_cmpmem (xa, sizeof xa, xb, sizeof xb);
  draw (dmas_engine_rng (b, "workload"), xb, 16);
  g_assert_true (memcmp (xa, xb, sizeof xa) != 0);

  /* And a different world seed changes the world draws. */
  g_autoptr (DmasEngine) c = dmas_engine_new (seed);
  dmas_engine_set_world_seed (c, seed + 1);
  draw (dmas_engine_world_rng (c, "workload"), xb, 16);
  g_assert_true (memcmp (xa, xb, sizeof xa) != 0);
}

/* ---- digest ---- */

typedef struct {
  DmasTime time;
  DmasEventClass cls;
  guint32 kind;
  guint32 agent;
} Ev;

static void
on_nothing (DmasEngine *engine, gpointer data)
{
  (void) engine;
  (void) data;
}

static gchar *
digest_of (const Ev *evs, guint n, guint repeat)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);

  for (guint r = 0; r < repeat; r++)
    {
      for (guint i = 0; i < n; i++)
        dmas_engine_schedule (engine, r * DMAS_S + evs[i].time, evs[i].cls, evs[i].kind,
                              evs[i].agent, on_nothing, NULL, NULL);
      drain (engine);
    }
  return dmas_engine_digest (engine);
}

static void
test_digest (void)
{
  const Ev base[] = { { 10, DMAS_EV_DELIVER, 1, 0 }, { 20, DMAS_EV_TIMER, 2, 1 },
                      { 30, DMAS_EV_OBSERVE, 3, DMAS_AGENT_NONE } };
  Ev changed[G_N_ELEMENTS (base)];
  g_autofree gchar *ref = digest_of (base, 3, 1);
  g_autofree gchar *again = digest_of (base, 3, 1);

  g_assert_cmpuint (strlen (ref), ==, 64);
  g_assert_cmpstr (ref, ==, again);

  /* Any field of any event changes the digest. */
  for (guint i = 0; i < 3; i++)
    for (guint field = 0; field < 4; field++)
      {
        memcpy (changed, base, sizeof base);
        switch (field)
          {
          case 0:
            changed[i].time += 1;
            break;
          case 1:
            changed[i].cls = changed[i].cls == DMAS_EV_FAULT ? DMAS_EV_DELIVER : DMAS_EV_FAULT;
            break;
          case 2:
            changed[i].kind ^= 0x100;
            break;
          default:
            changed[i].agent += 1;
            break;
          }
        g_autofree gchar *d = digest_of (changed, 3, 1);
        g_assert_cmpstr (d, !=, ref);
      }

  /* The same records dispatched in another order (same instant, so FIFO decides). */
  const Ev in_order[] = { { 10, DMAS_EV_TIMER, 1, 0 }, { 10, DMAS_EV_TIMER, 2, 1 } };
  const Ev reversed[] = { { 10, DMAS_EV_TIMER, 2, 1 }, { 10, DMAS_EV_TIMER, 1, 0 } };
  g_autofree gchar *d_in_order = digest_of (in_order, 2, 1);
  g_autofree gchar *d_reversed = digest_of (reversed, 2, 1);
  g_assert_cmpstr (d_in_order, !=, d_reversed);

  /* Long traces cross the 256-event flush; one extra event still changes the result. */
  g_autofree gchar *long1 = digest_of (base, 3, 200);
  g_autofree gchar *long2 = digest_of (base, 3, 200);
  g_autofree gchar *longer = digest_of (base, 3, 201);
  g_assert_cmpstr (long1, ==, long2);
  g_assert_cmpstr (long1, !=, longer);

  /* Nothing dispatched is not the same as something dispatched. */
  g_autofree gchar *empty = digest_of (base, 0, 1);
  g_assert_cmpstr (empty, !=, ref);
}

static void
test_digest_read_does_not_disturb (void)
{
  g_autoptr (DmasEngine) a = dmas_engine_new (1);
  g_autoptr (DmasEngine) b = dmas_engine_new (1);

  for (guint i = 0; i < 1000; i++)
    {
      dmas_engine_schedule (a, i, DMAS_EV_TIMER, i, i % 5, on_nothing, NULL, NULL);
      dmas_engine_schedule (b, i, DMAS_EV_TIMER, i, i % 5, on_nothing, NULL, NULL);
    }
  for (guint i = 0; i < 1000; i++)
    {
      dmas_engine_step (a);
      dmas_engine_step (b);
      if (i % 97 == 0)
        {
          g_autofree gchar *d1 = dmas_engine_digest (a);
          g_autofree gchar *d2 = dmas_engine_digest (a);
          g_assert_cmpstr (d1, ==, d2);
        }
    }
  g_autofree gchar *da = dmas_engine_digest (a);
  g_autofree gchar *db = dmas_engine_digest (b);
  g_assert_cmpstr (da, ==, db);
}

/* ---- runs ---- */

static DmasRunOptions
afap (void)
{
  DmasRunOptions opts = { .speed = 0, .batch = 0, .until = DMAS_TIME_NONE };
  return opts;
}

static void
test_run_complete (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();
  DmasRunOptions opts = afap ();
  gchar *diagnosis = (gchar *) "untouched";

  for (guint i = 0; i < 10000; i++)
    add (engine, log, (i * 7919) % 10007, DMAS_EV_TIMER, i);
  g_assert_cmpint (dmas_engine_run (engine, &opts, &diagnosis), ==, DMAS_RUN_COMPLETE);
  g_assert_null (diagnosis);
  g_assert_cmpuint (log->tags->len, ==, 10000);
  g_assert_cmpuint (dmas_engine_pending (engine), ==, 0);
  for (guint i = 1; i < 10000; i++)
    g_assert_cmpuint (g_array_index (log->times, DmasTime, i - 1), <=,
                      g_array_index (log->times, DmasTime, i));

  /* NULL options and NULL diagnosis are fine too. */
  add (engine, log, dmas_engine_now (engine) + 1, DMAS_EV_TIMER, 1);
  g_assert_cmpint (dmas_engine_run (engine, NULL, NULL), ==, DMAS_RUN_COMPLETE);
  g_assert_cmpuint (log->tags->len, ==, 10001);
  log_free (log);
}

static void
test_run_same_as_step (void)
{
  g_autoptr (DmasEngine) a = dmas_engine_new (1);
  g_autoptr (DmasEngine) b = dmas_engine_new (1);
  DmasRunOptions opts = afap ();

  opts.batch = 7;
  for (guint i = 0; i < 3000; i++)
    {
      dmas_engine_schedule (a, (i * 31) % 101, i % 4, i, i % 3, on_nothing, NULL, NULL);
      dmas_engine_schedule (b, (i * 31) % 101, i % 4, i, i % 3, on_nothing, NULL, NULL);
    }
  drain (a);
  g_assert_cmpint (dmas_engine_run (b, &opts, NULL), ==, DMAS_RUN_COMPLETE);
  g_autofree gchar *da = dmas_engine_digest (a);
  g_autofree gchar *db = dmas_engine_digest (b);
  g_assert_cmpstr (da, ==, db);
}

static void
test_run_horizon (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();
  DmasRunOptions opts = afap ();

  add (engine, log, 1 * DMAS_S, DMAS_EV_TIMER, 1);
  add (engine, log, 2 * DMAS_S, DMAS_EV_TIMER, 2);
  add (engine, log, 3 * DMAS_S, DMAS_EV_TIMER, 3);
  add (engine, log, 4 * DMAS_S, DMAS_EV_TIMER, 4);
  opts.until = 3 * DMAS_S - 1;
  g_assert_cmpint (dmas_engine_run (engine, &opts, NULL), ==, DMAS_RUN_HORIZON);
  g_assert_cmpuint (log->tags->len, ==, 2);
  g_assert_cmpuint (dmas_engine_now (engine), ==, 2 * DMAS_S); /* last dispatched, not until */
  g_assert_cmpuint (dmas_engine_pending (engine), ==, 2);

  /* An event exactly at `until` still runs; the remaining ones after a later horizon. */
  opts.until = 3 * DMAS_S;
  g_assert_cmpint (dmas_engine_run (engine, &opts, NULL), ==, DMAS_RUN_HORIZON);
  g_assert_cmpuint (log->tags->len, ==, 3);
  opts.until = DMAS_TIME_NONE;
  g_assert_cmpint (dmas_engine_run (engine, &opts, NULL), ==, DMAS_RUN_COMPLETE);
  g_assert_cmpuint (log->tags->len, ==, 4);
  g_assert_cmpuint (log->freed, ==, 4);
  log_free (log);
}

static void
on_stop (DmasEngine *engine, gpointer data)
{
  on_record (engine, data);
  dmas_engine_stop (engine);
}

static void
test_run_stop (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();
  Rec *rec = g_new (Rec, 1);
  DmasRunOptions opts = afap ();

  rec->log = log;
  rec->tag = 2;
  add (engine, log, 1, DMAS_EV_TIMER, 1);
  dmas_engine_schedule (engine, 2, DMAS_EV_TIMER, 0, 0, on_stop, rec, rec_free);
  add (engine, log, 2, DMAS_EV_TIMER, 3);
  add (engine, log, 3, DMAS_EV_TIMER, 4);
  g_assert_cmpint (dmas_engine_run (engine, &opts, NULL), ==, DMAS_RUN_STOPPED);
  g_assert_cmpuint (log->tags->len, ==, 2);
  g_assert_cmpuint (tag_at (log, 1), ==, 2);
  g_assert_cmpuint (dmas_engine_now (engine), ==, 2);

  /* The stop ended that run only. */
  g_assert_cmpint (dmas_engine_run (engine, &opts, NULL), ==, DMAS_RUN_COMPLETE);
  g_assert_cmpuint (log->tags->len, ==, 4);

  /* A stop from the last event of a batch ends the run too. */
  rec = g_new (Rec, 1);
  rec->log = log;
  rec->tag = 5;
  opts.batch = 1;
  dmas_engine_schedule (engine, 10, DMAS_EV_TIMER, 0, 0, on_stop, rec, rec_free);
  add (engine, log, 11, DMAS_EV_TIMER, 6);
  g_assert_cmpint (dmas_engine_run (engine, &opts, NULL), ==, DMAS_RUN_STOPPED);
  g_assert_cmpuint (log->tags->len, ==, 5);
  drain (engine);
  g_assert_cmpuint (log->freed, ==, 6);
  log_free (log);
}

typedef struct {
  guint calls;
  gboolean post_once;
  Log *log;
} Idle;

static gchar *
idle_deadlock (DmasEngine *engine, gpointer user_data)
{
  Idle *idle = user_data;
  idle->calls++;
  return g_strdup_printf ("2 jobs pending (job 4 on agent 1, job 7 unassigned) at t=%"
                          G_GUINT64_FORMAT, dmas_engine_now (engine));
}

static gchar *
idle_post_once (DmasEngine *engine, gpointer user_data)
{
  Idle *idle = user_data;
  idle->calls++;
  if (idle->post_once)
    {
      idle->post_once = FALSE;
      add (engine, idle->log, dmas_engine_now (engine) + 5, DMAS_EV_TIMER, 77);
    }
  return NULL;
}

static void
test_run_deadlock (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();
  Idle idle = { 0, FALSE, log };
  DmasRunOptions opts = afap ();
  g_autofree gchar *diagnosis = NULL;

  add (engine, log, 40, DMAS_EV_TIMER, 1);
  dmas_engine_set_idle_check (engine, idle_deadlock, &idle);
  g_assert_cmpint (dmas_engine_run (engine, &opts, &diagnosis), ==, DMAS_RUN_DEADLOCK);
  g_assert_cmpstr (diagnosis, ==, "2 jobs pending (job 4 on agent 1, job 7 unassigned) at t=40");
  g_assert_cmpuint (idle.calls, ==, 1);
  g_assert_cmpuint (log->tags->len, ==, 1);

  /* An idle check that posts more work keeps the run going; NULL then completes it. */
  idle.post_once = TRUE;
  idle.calls = 0;
  dmas_engine_set_idle_check (engine, idle_post_once, &idle);
  g_assert_cmpint (dmas_engine_run (engine, &opts, NULL), ==, DMAS_RUN_COMPLETE);
  g_assert_cmpuint (idle.calls, ==, 2);
  g_assert_cmpuint (log->tags->len, ==, 2);
  g_assert_cmpuint (tag_at (log, 1), ==, 77);
  g_assert_cmpuint (dmas_engine_now (engine), ==, 45);
  log_free (log);
}

/* A timer that reschedules itself forever: a livelock the queue never shows as empty. */
static void
on_tick (DmasEngine *engine, gpointer data)
{
  (void) data;
  dmas_engine_schedule (engine, dmas_engine_now (engine) + 10, DMAS_EV_TIMER, 0, 0, on_tick,
                        NULL, NULL);
}

typedef struct {
  guint calls;
  guint stall_after;  /* report a stall at this call */
  DmasTime at[8];
} Stall;

static gchar *
stall_fn (DmasEngine *engine, gpointer user_data)
{
  Stall *st = user_data;
  st->at[st->calls++] = dmas_engine_now (engine);
  return st->calls == st->stall_after ? g_strdup ("nothing decided") : NULL;
}

static void
test_run_stall (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Stall st = { .stall_after = 3 };
  DmasRunOptions opts = afap ();
  g_autofree gchar *diagnosis = NULL;

  dmas_engine_schedule (engine, 5, DMAS_EV_TIMER, 0, 0, on_tick, NULL, NULL);
  dmas_engine_set_stall_check (engine, 100, stall_fn, &st);
  g_assert_cmpint (dmas_engine_run (engine, &opts, &diagnosis), ==, DMAS_RUN_STALLED);
  g_assert_cmpstr (diagnosis, ==, "nothing decided");
  g_assert_cmpstr (dmas_run_status_to_string (DMAS_RUN_STALLED), ==, "stalled");
  /* Checked before the first event at or past each period's end (ticks at 5, 15, ...): the
   * last event dispatched is the one before the third check's. */
  g_assert_cmpuint (st.calls, ==, 3);
  g_assert_cmpuint (st.at[0], ==, 95);
  g_assert_cmpuint (st.at[1], ==, 195);
  g_assert_cmpuint (st.at[2], ==, 295);
  g_assert_cmpuint (dmas_engine_now (engine), ==, 295);

  /* The check adds no event: the digest equals that of a run without it. */
  g_autoptr (DmasEngine) plain = dmas_engine_new (1);
  dmas_engine_schedule (plain, 5, DMAS_EV_TIMER, 0, 0, on_tick, NULL, NULL);
  DmasRunOptions until = afap ();
  until.until = 305;
  g_assert_cmpint (dmas_engine_run (plain, &until, NULL), ==, DMAS_RUN_HORIZON);
  g_autoptr (DmasEngine) checked = dmas_engine_new (1);
  Stall never = { .stall_after = 0 };
  dmas_engine_schedule (checked, 5, DMAS_EV_TIMER, 0, 0, on_tick, NULL, NULL);
  dmas_engine_set_stall_check (checked, 100, stall_fn, &never);
  g_assert_cmpint (dmas_engine_run (checked, &until, NULL), ==, DMAS_RUN_HORIZON);
  g_autofree gchar *d1 = dmas_engine_digest (plain);
  g_autofree gchar *d2 = dmas_engine_digest (checked);
  g_assert_cmpstr (d1, ==, d2);
  g_assert_cmpuint (never.calls, ==, 3);
}

static void
test_run_pacing (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();
  DmasRunOptions opts = afap ();

  opts.speed = 1000; /* 2 virtual seconds should take 2 ms of wall time */
  for (guint i = 0; i < 5; i++)
    add (engine, log, (4 - i) * (DMAS_S / 2), DMAS_EV_TIMER, 4 - i);
  add (engine, log, DMAS_S, DMAS_EV_FAULT, 10);

  gint64 start = g_get_monotonic_time ();
  g_assert_cmpint (dmas_engine_run (engine, &opts, NULL), ==, DMAS_RUN_COMPLETE);
  gint64 elapsed = g_get_monotonic_time () - start;

  /* Only a lower bound: pacing must wait; how much longer a busy machine takes is its business. */
  g_assert_cmpint (elapsed, >=, 1500);
  const guint expected[] = { 0, 1, 10, 2, 3, 4 };
  g_assert_cmpuint (log->tags->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (tag_at (log, i), ==, expected[i]);
  g_assert_cmpuint (dmas_engine_now (engine), ==, 2 * DMAS_S);
  log_free (log);
}

static void
on_raise_sigint (DmasEngine *engine, gpointer data)
{
  on_record (engine, data);
  raise (SIGINT);
}

static void
test_run_sigint (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log *log = log_new ();
  Rec *rec = g_new (Rec, 1);
  DmasRunOptions opts = afap ();

  /* Paced, so the run is asleep waiting for the next event when GLib's worker thread hands
   * the signal over: the outcome does not depend on how fast that hand-over is (up to the
   * 5 s gap; normally the run ends within microseconds of the raise). */
  opts.speed = 1;
  opts.handle_sigint = TRUE;
  rec->log = log;
  rec->tag = 2;
  add (engine, log, 0, DMAS_EV_TIMER, 1);
  dmas_engine_schedule (engine, DMAS_MS, DMAS_EV_TIMER, 0, 0, on_raise_sigint, rec, rec_free);
  add (engine, log, 5 * DMAS_S, DMAS_EV_TIMER, 3);
  g_assert_cmpint (dmas_engine_run (engine, &opts, NULL), ==, DMAS_RUN_INTERRUPTED);
  g_assert_cmpuint (log->tags->len, ==, 2);
  g_assert_cmpuint (tag_at (log, 1), ==, 2);
  g_assert_cmpuint (dmas_engine_pending (engine), ==, 1);
  g_assert_cmpuint (dmas_engine_now (engine), ==, DMAS_MS);
  drain (engine);
  g_assert_cmpuint (log->freed, ==, 3);
  log_free (log);
}

static gboolean
on_source_done (gpointer user_data)
{
  guint *calls = user_data;
  (*calls)++;
  return G_SOURCE_CONTINUE; /* ignored: the source removes itself */
}

static void
test_source_own_loop (void)
{
  DmasEngine *engine = dmas_engine_new (1);
  Log *log = log_new ();
  DmasRunOptions opts = afap ();
  g_autoptr (GMainContext) context = g_main_context_new ();
  DmasRunStatus status = DMAS_RUN_COMPLETE;
  gchar *diagnosis = NULL;
  guint calls = 0;

  opts.batch = 3;
  opts.until = 100;
  for (guint i = 0; i < 20; i++)
    add (engine, log, i * 10, DMAS_EV_TIMER, i);
  g_autoptr (GSource) source = dmas_engine_source_new (engine, &opts);
  g_source_set_callback (source, on_source_done, &calls, NULL);
  g_source_attach (source, context);
  g_assert_false (dmas_engine_source_finished (source, &status, NULL));
  while (calls == 0)
    g_main_context_iteration (context, TRUE);

  g_assert_true (dmas_engine_source_finished (source, &status, &diagnosis));
  g_assert_cmpint (status, ==, DMAS_RUN_HORIZON);
  g_assert_null (diagnosis);
  g_assert_true (g_source_is_destroyed (source));
  g_assert_cmpuint (log->tags->len, ==, 11);
  g_assert_cmpuint (calls, ==, 1);
  g_clear_pointer (&source, g_source_unref);
  dmas_engine_free (engine); /* the 9 events past the horizon are freed here */
  g_assert_cmpuint (log->freed, ==, 20);
  log_free (log);
}

static void
test_status_strings (void)
{
  g_assert_cmpstr (dmas_run_status_to_string (DMAS_RUN_COMPLETE), ==, "complete");
  g_assert_cmpstr (dmas_run_status_to_string (DMAS_RUN_HORIZON), ==, "horizon");
  g_assert_cmpstr (dmas_run_status_to_string (DMAS_RUN_STOPPED), ==, "stopped");
  g_assert_cmpstr (dmas_run_status_to_string (DMAS_RUN_INTERRUPTED), ==, "interrupted");
  g_assert_cmpstr (dmas_run_status_to_string (DMAS_RUN_DEADLOCK), ==, "deadlock");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/order/time", test_order_time);
  g_test_add_func ("/engine/order/same-instant-fifo", test_order_same_instant_fifo);
  g_test_add_func ("/engine/order/class", test_order_class);
  g_test_add_func ("/engine/order/schedule-during-dispatch", test_order_schedule_during_dispatch);
  g_test_add_func ("/engine/step/next-time", test_step_next_time);
  g_test_add_func ("/engine/schedule/in-the-past", test_schedule_in_the_past);
  g_test_add_func ("/engine/cancel/before-dispatch", test_cancel_before_dispatch);
  g_test_add_func ("/engine/cancel/same-instant", test_cancel_same_instant);
  g_test_add_func ("/engine/cancel/self", test_cancel_self);
  g_test_add_func ("/engine/cancel/stale-id", test_cancel_stale_id);
  g_test_add_func ("/engine/cancel/engine-free", test_cancel_engine_free);
  g_test_add_func ("/engine/cancel/purge", test_cancel_purge);
  g_test_add_func ("/engine/rng/stable", test_rng_stable);
  g_test_add_func ("/engine/rng/independent", test_rng_independent);
  g_test_add_func ("/engine/rng/world", test_rng_world);
  g_test_add_func ("/engine/digest/changes", test_digest);
  g_test_add_func ("/engine/digest/read-does-not-disturb", test_digest_read_does_not_disturb);
  g_test_add_func ("/engine/run/complete", test_run_complete);
  g_test_add_func ("/engine/run/same-as-step", test_run_same_as_step);
  g_test_add_func ("/engine/run/horizon", test_run_horizon);
  g_test_add_func ("/engine/run/stop", test_run_stop);
  g_test_add_func ("/engine/run/deadlock", test_run_deadlock);
  g_test_add_func ("/engine/run/stall", test_run_stall);
  g_test_add_func ("/engine/run/pacing", test_run_pacing);
  g_test_add_func ("/engine/run/sigint", test_run_sigint);
  g_test_add_func ("/engine/run/own-loop", test_source_own_loop);
  g_test_add_func ("/engine/run/status-strings", test_status_strings);
  return g_test_run ();
}
