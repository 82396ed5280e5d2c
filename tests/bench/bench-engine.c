/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hold benchmark: the engine's queue against a bare array heap of keys, in the same run. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <glib.h>

#include "engine/engine.h"

/* The hold model (pop the minimum, push a new event at now + Exp) keeps the queue at P pending
 * events, the steady state of a simulation.  Both contenders replay the same precomputed
 * exponential draws (mean 1 ms) and must end with the same sum of popped times, so they did the
 * same work.  The bare heap uses the same sift algorithm as the engine on 16-byte (time, seq)
 * entries: the ratio measures what the engine adds (pooled events, ids, lazy-cancel checks,
 * the trace digest, an indirect call per event), not a difference in heap algorithm.  Runs
 * alternate engine/bare and report medians, so a noisy neighbour hurts both sides alike, and
 * they are timed in thread CPU time: on a shared 2-core machine wall time mostly measures how
 * long the other processes held the core. */

#define REPETITIONS 11
#define HOLD_OPS 500000
#define MEAN_NS 1e6
#define DRAW_SEED 20240501

static const gsize sizes[] = { 1000, 10000, 100000 };

static gint64
cpu_ns (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    g_error ("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- bare heap ---- */

typedef struct {
  guint64 time;
  guint64 seq;
} Key;

static inline gboolean
key_less (const Key *a, const Key *b)
{
  return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static inline void
bare_push (Key *heap, gsize *len, Key x)
{
  gsize i = (*len)++;
  while (i > 0)
    {
      gsize parent = (i - 1) / 2;
      if (!key_less (&x, &heap[parent]))
        break;
      heap[i] = heap[parent];
      i = parent;
    }
  heap[i] = x;
}

static inline Key
bare_pop (Key *heap, gsize *len)
{
  Key top = heap[0];
  gsize n = --(*len);
  if (n == 0)
    return top;
  Key x = heap[n];
  gsize i = 0;
  for (;;)
    {
      gsize child = 2 * i + 1;
      if (child >= n)
        break;
      if (child + 1 < n && key_less (&heap[child + 1], &heap[child]))
        child++;
      if (!key_less (&heap[child], &x))
        break;
      heap[i] = heap[child];
      i = child;
    }
  heap[i] = x;
  return top;
}

static gdouble
bare_hold (const guint64 *draws, gsize pending, guint64 *sum_out)
{
  g_autofree Key *heap = g_new (Key, pending + 1);
  gsize len = 0;
  guint64 seq = 0, sum = 0;

  for (gsize i = 0; i < pending; i++)
    bare_push (heap, &len, (Key) { draws[i], seq++ });

  const guint64 *hold = draws + pending;
  gint64 start = cpu_ns ();
  for (gsize k = 0; k < HOLD_OPS; k++)
    {
      Key top = bare_pop (heap, &len);
      sum += top.time;
      bare_push (heap, &len, (Key) { top.time + hold[k], seq++ });
    }
  gint64 elapsed = cpu_ns () - start;

  *sum_out = sum;
  return HOLD_OPS / (elapsed / 1e9);
}

/* ---- engine ---- */

typedef struct {
  const guint64 *hold;
  gsize next;
  guint64 sum;
} Hold;

static void
on_hold (DmasEngine *engine, gpointer data)
{
  Hold *h = data;
  DmasTime now = dmas_engine_now (engine);

  h->sum += now;
  dmas_engine_schedule (engine, now + h->hold[h->next++], DMAS_EV_TIMER, 1, 0, on_hold, h, NULL);
}

static gdouble
engine_hold (const guint64 *draws, gsize pending, guint64 *sum_out)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Hold h = { draws + pending, 0, 0 };

  for (gsize i = 0; i < pending; i++)
    dmas_engine_schedule (engine, draws[i], DMAS_EV_TIMER, 1, 0, on_hold, &h, NULL);

  gint64 start = cpu_ns ();
  for (gsize k = 0; k < HOLD_OPS; k++)
    dmas_engine_step (engine);
  gint64 elapsed = cpu_ns () - start;

  *sum_out = h.sum;
  return HOLD_OPS / (elapsed / 1e9);
}

/* ---- driver ---- */

static int
cmp_double (const void *a, const void *b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;
  return (x > y) - (x < y);
}

static gdouble
median (gdouble *v, gsize n)
{
  qsort (v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main (void)
{
  const gsize max_draws = sizes[G_N_ELEMENTS (sizes) - 1] + HOLD_OPS;
  g_autofree guint64 *draws = g_new (guint64, max_draws);
  g_autoptr (GRand) rand = g_rand_new_with_seed (DRAW_SEED);
  gdouble ratio_at_1e4 = 0;

  /* Drawn once, up front: both contenders read the same numbers and neither pays for log(). */
  for (gsize i = 0; i < max_draws; i++)
    draws[i] = (guint64) llround (-log1p (-g_rand_double (rand)) * MEAN_NS);

  printf ("hold benchmark: %d ops per run, %d runs alternating engine/bare, medians of "
          "ops per thread-CPU second\n",
          HOLD_OPS, REPETITIONS);
  printf ("%10s %16s %16s %8s\n", "pending", "engine Mops/s", "bare Mops/s", "ratio");
  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      gdouble eng[REPETITIONS], bare[REPETITIONS];
      for (guint r = 0; r < REPETITIONS; r++)
        {
          guint64 sum_engine = 0, sum_bare = 0;
          /* Alternate who goes first, so neither always runs on a warmer cache. */
          if (r % 2 == 0)
            {
              eng[r] = engine_hold (draws, sizes[s], &sum_engine);
              bare[r] = bare_hold (draws, sizes[s], &sum_bare);
            }
          else
            {
              bare[r] = bare_hold (draws, sizes[s], &sum_bare);
              eng[r] = engine_hold (draws, sizes[s], &sum_engine);
            }
          if (sum_engine != sum_bare)
            {
              fprintf (stderr, "bench-engine: engine and bare heap popped different events "
                               "(P=%zu): the engine's order is broken\n", sizes[s]);
              return 1;
            }
        }
      gdouble me = median (eng, REPETITIONS), mb = median (bare, REPETITIONS);
      printf ("%10zu %16.2f %16.2f %8.2f\n", sizes[s], me / 1e6, mb / 1e6, me / mb);
      if (sizes[s] == 10000)
        ratio_at_1e4 = me / mb;
    }
  printf ("bench engine_hold_ratio=%.2f\n", ratio_at_1e4);
  return 0;
}
