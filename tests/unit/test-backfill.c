/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of EASY and conservative backfilling: hand-computed schedules and invariants. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "engine/engine.h"
#include "world/localq.h"

#define MAX_JOBS 256

/* One job of a hand-made case, times in seconds. */
typedef struct {
  guint submit, nodes, runtime, walltime;
} Spec;

typedef struct {
  DmasJob jobs[MAX_JOBS + 1]; /* index = id */
  guint n;
  DmasTime start[MAX_JOBS + 1], end[MAX_JOBS + 1];
  gboolean killed[MAX_JOBS + 1];
  guint n_started, n_finished, n_settled;
  guint busy, max_busy, nodes; /* nodes in use, as the hooks see it */
  DmasLocalQueue *queue;
} Run;

static void
on_started (gpointer user_data, const DmasJob *job, DmasTime start)
{
  Run *run = user_data;
  g_assert_cmpuint (run->start[job->id], ==, DMAS_TIME_NONE);
  g_assert_cmpuint (start, >=, job->submit);
  run->start[job->id] = start;
  run->n_started++;
  run->busy += job->nodes;
  g_assert_cmpuint (run->busy, <=, run->nodes);
  run->max_busy = MAX (run->max_busy, run->busy);
}

static void
on_finished (gpointer user_data, const DmasJob *job, DmasTime start, DmasTime end,
             gboolean killed)
{
  Run *run = user_data;
  g_assert_cmpuint (run->start[job->id], ==, start);
  run->end[job->id] = end;
  run->killed[job->id] = killed;
  run->n_finished++;
  run->busy -= job->nodes;
}

static void
on_settled (gpointer user_data)
{
  Run *run = user_data;
  run->n_settled++;
}

static const DmasLocalQueueHooks hooks = { on_started, on_finished, on_settled };

typedef struct {
  Run *run;
  guint id;
} Submission;

static void
submit_event (DmasEngine *engine, gpointer data)
{
  Submission *s = data;
  (void) engine;
  g_autoptr (GError) error = NULL;
  g_assert_true (dmas_localq_submit (s->run->queue, &s->run->jobs[s->id], &error));
  g_assert_no_error (error);
}

static void
run_init (Run *run, DmasEngine *engine, DmasLocalPolicy policy, guint nodes)
{
  memset (run, 0, sizeof *run);
  run->nodes = nodes;
  for (guint i = 0; i <= MAX_JOBS; i++)
    run->start[i] = run->end[i] = DMAS_TIME_NONE;
  run->queue = dmas_localq_new (engine, 0, policy, nodes, 1.0, &hooks, run);
}

/* Submissions at the same instant happen in the order given. */
static void
run_add (Run *run, DmasEngine *engine, DmasTime submit, guint nodes, DmasTime runtime,
         DmasTime walltime)
{
  g_assert_cmpuint (run->n, <, MAX_JOBS);
  const guint id = ++run->n;
  run->jobs[id] = (DmasJob){ .id = id, .submit = submit, .nodes = nodes, .cores = 1,
                             .runtime = runtime, .walltime = walltime };
  Submission *s = g_new (Submission, 1);
  s->run = run;
  s->id = id;
  dmas_engine_schedule (engine, submit, DMAS_EV_TIMER, 1, 0, submit_event, s, g_free);
}

/* Runs `n` specs under `policy` on `nodes` nodes; every job must end. */
static void
run_specs (Run *run, DmasLocalPolicy policy, guint nodes, const Spec *specs, guint n)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  run_init (run, engine, policy, nodes);
  for (guint i = 0; i < n; i++)
    run_add (run, engine, specs[i].submit * DMAS_S, specs[i].nodes, specs[i].runtime * DMAS_S,
             specs[i].walltime * DMAS_S);
  while (dmas_engine_step (engine))
    ;
  g_assert_cmpuint (run->n_finished, ==, n);
  g_assert_cmpuint (dmas_localq_n_queued (run->queue), ==, 0);
  g_assert_cmpuint (dmas_localq_free_nodes (run->queue), ==, nodes);
  dmas_localq_free (run->queue);
  run->queue = NULL;
}

static void
assert_starts (const Run *run, const guint *expected)
{
  for (guint id = 1; id <= run->n; id++)
    {
      if (run->start[id] != expected[id - 1] * DMAS_S)
        g_test_message ("job %u started at %" G_GUINT64_FORMAT " ns, expected %u s", id,
                        run->start[id], expected[id - 1]);
      g_assert_cmpuint (run->start[id], ==, expected[id - 1] * DMAS_S);
    }
}

/* The same five jobs under the three policies, on 4 nodes, all submitted at 0 in this order
 * (estimates exact, so only the rules differ):
 *   1 A 2 nodes 10 s, 2 R 1 node 4 s, 3 H 4 nodes 5 s, 4 S 2 nodes 4 s, 5 X 1 node 6 s.
 * A and R start at 0 (1 node left).  H needs all 4: the earliest is 10 (R ends at 4, A at 10).
 * FCFS: H starts at 10, then S and X at 15 when H ends.
 * EASY: H's shadow time is 10 with no extra node.  S does not fit now.  X fits and ends at
 *   6 <= 10: backfilled at 0.  At 4 (R ends) A and X hold 3 nodes, S still waits; at 6 (X
 *   ends) 2 are free and S ends at 10 <= 10: backfilled at 6.  H at 10.
 * Conservative: reservations in queue order on the profile: H at 10; S (2 nodes for 4 s)
 *   fits at 4, when R ends; X (1 node for 6 s) would overlap S at 4 or H at 10, so it gets
 *   15.  S starts at 4 (earlier than under EASY, because X may not delay it), X at 15. */
static const Spec three_policies[] = {
  { 0, 2, 10, 10 }, { 0, 1, 4, 4 }, { 0, 4, 5, 5 }, { 0, 2, 4, 4 }, { 0, 1, 6, 6 },
};

static void
test_three_policies (void)
{
  const guint fcfs[] = { 0, 0, 10, 15, 15 };
  const guint easy[] = { 0, 0, 10, 6, 0 };
  const guint conservative[] = { 0, 0, 10, 4, 15 };
  Run run;
  run_specs (&run, DMAS_LOCAL_FCFS, 4, three_policies, G_N_ELEMENTS (three_policies));
  assert_starts (&run, fcfs);
  run_specs (&run, DMAS_LOCAL_EASY, 4, three_policies, G_N_ELEMENTS (three_policies));
  assert_starts (&run, easy);
  run_specs (&run, DMAS_LOCAL_CONSERVATIVE, 4, three_policies, G_N_ELEMENTS (three_policies));
  assert_starts (&run, conservative);
  /* One settled call per submission and per job end. */
  g_assert_cmpuint (run.n_settled, ==, 2 * G_N_ELEMENTS (three_policies));
}

/* EASY's second rule: a job that ends after the shadow time may still start now if it only
 * uses nodes the head will not need then.  4 nodes, all at 0:
 *   1 A 2 nodes 10 s starts at 0.  2 H 3 nodes 5 s: shadow 10 (A ends), 4 - 3 = 1 extra node.
 *   3 B 1 node 100 s ends long after 10 but fits the extra node: starts at 0 (extra now 0).
 *   4 C 1 node 100 s fits the last free node but there is no extra node left: waits.
 *   10: A ends, H starts (3 nodes; B holds the 4th).  15: H ends, C starts.
 * FCFS for comparison: H at 10, B at 10 on the node H leaves, C at 15. */
static void
test_easy_extra_nodes (void)
{
  const Spec specs[] = { { 0, 2, 10, 10 }, { 0, 3, 5, 5 }, { 0, 1, 100, 100 },
                         { 0, 1, 100, 100 } };
  const guint easy[] = { 0, 10, 0, 15 };
  const guint fcfs[] = { 0, 10, 10, 15 };
  Run run;
  run_specs (&run, DMAS_LOCAL_EASY, 4, specs, G_N_ELEMENTS (specs));
  assert_starts (&run, easy);
  run_specs (&run, DMAS_LOCAL_FCFS, 4, specs, G_N_ELEMENTS (specs));
  assert_starts (&run, fcfs);
}

/* The extra nodes count every job estimated to end at the shadow time, not only the one
 * that made the head fit.  5 nodes, all at 0: 1 A and 2 B, 2 nodes for 10 s each, start at 0
 * (1 free).  3 H wants 3 nodes: A's end at 10 already makes 3, so the shadow time is 10; B
 * ends then too, so 1 + 2 + 2 - 3 = 2 nodes are extra.  4 D (1 node, 100 s) fits one of them:
 * backfilled at 0.  H starts at 10 beside D. */
static void
test_easy_extra_ties (void)
{
  const Spec specs[] = { { 0, 2, 10, 10 }, { 0, 2, 10, 10 }, { 0, 3, 5, 5 },
                         { 0, 1, 100, 100 } };
  const guint easy[] = { 0, 0, 10, 0 };
  Run run;
  run_specs (&run, DMAS_LOCAL_EASY, 5, specs, G_N_ELEMENTS (specs));
  assert_starts (&run, easy);
}

/* Decisions use the estimate (walltime), never the runtime; jobs stop at their walltime.
 * 2 nodes, all at 0:
 *   1 A 1 node, runs 10 s, asks 10 s: starts at 0.
 *   2 H 2 nodes 5 s: shadow 10, no extra node.
 *   3 B 1 node, would run 2 s but asks 20 s: its estimate ends at 20 > 10, so it is not
 *     backfilled although it would really have been done by 2.
 *   4 C 1 node, would run 30 s but asks 8 s: estimated end 8 <= 10, backfilled at 0, killed
 *     at its walltime, 8.
 *   10: A ends, H runs 10..15.  15: B runs 15..17. */
static void
test_easy_uses_estimates_and_kills (void)
{
  const Spec specs[] = { { 0, 1, 10, 10 }, { 0, 2, 5, 5 }, { 0, 1, 2, 20 }, { 0, 1, 30, 8 } };
  const guint easy[] = { 0, 10, 15, 0 };
  Run run;
  run_specs (&run, DMAS_LOCAL_EASY, 2, specs, G_N_ELEMENTS (specs));
  assert_starts (&run, easy);
  g_assert_cmpuint (run.end[3], ==, 17 * DMAS_S);
  g_assert_false (run.killed[3]);
  g_assert_cmpuint (run.end[4], ==, 8 * DMAS_S);
  g_assert_true (run.killed[4]);
  for (guint id = 1; id <= 2; id++)
    g_assert_false (run.killed[id]);
}

/* A job ending early compresses the conservative schedule.  2 nodes, all at 0:
 *   1 A 2 nodes, asks 10 s, runs 3 s: starts at 0.
 *   Reservations: 2 B (1 node, 5 s) at 10; 3 C (2 nodes, 5 s) at 15; 4 D (1 node, 4 s) at
 *   10 beside B (it ends at 14, before C).
 *   3: A ends 7 s early.  Compression, in reservation order B, D, C: B fits at 3; D fits at
 *   3 on the other node; C needs both nodes for 5 s: after B ends, at 8.  B and D start at 3,
 *   C at 8 (B's end).
 * EASY gives the same here (B starts at 3, C is the head with shadow 8, D ends at 7 <= 8);
 * FCFS starts D only after C, at 13. */
static void
test_conservative_compression (void)
{
  const Spec specs[] = { { 0, 2, 3, 10 }, { 0, 1, 5, 5 }, { 0, 2, 5, 5 }, { 0, 1, 4, 4 } };
  const guint expected[] = { 0, 3, 8, 3 };
  const guint fcfs[] = { 0, 3, 8, 13 };
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Run run;
  run_init (&run, engine, DMAS_LOCAL_CONSERVATIVE, 2);
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    run_add (&run, engine, 0, specs[i].nodes, specs[i].runtime * DMAS_S,
             specs[i].walltime * DMAS_S);
  while (dmas_engine_next_time (engine) == 0)
    dmas_engine_step (engine);
  /* The plan at 0, before anything ends: B, C, D wait with their reservations. */
  g_assert_cmpuint (dmas_localq_n_queued (run.queue), ==, 3);
  g_assert_cmpuint (dmas_localq_reservation_nth (run.queue, 0), ==, 10 * DMAS_S);
  g_assert_cmpuint (dmas_localq_reservation_nth (run.queue, 1), ==, 15 * DMAS_S);
  g_assert_cmpuint (dmas_localq_reservation_nth (run.queue, 2), ==, 10 * DMAS_S);
  g_assert_cmpuint (dmas_localq_reservation_nth (run.queue, 3), ==, DMAS_TIME_NONE);
  while (dmas_engine_step (engine))
    ;
  assert_starts (&run, expected);
  g_assert_cmpuint (run.end[1], ==, 3 * DMAS_S);
  dmas_localq_free (run.queue);

  run_specs (&run, DMAS_LOCAL_FCFS, 2, specs, G_N_ELEMENTS (specs));
  assert_starts (&run, fcfs);
}

/* Random workloads: every policy finishes every job without oversubscribing; FCFS starts in
 * submission order; under conservative no reservation ever moves later, none lies in the
 * past, and no job starts later than its reservation. */
static void
test_random_invariants (void)
{
  for (guint round = 0; round < 20; round++)
    for (guint p = DMAS_LOCAL_FCFS; p <= DMAS_LOCAL_CONSERVATIVE; p++)
      {
        GRand *rng = g_rand_new_with_seed (g_test_rand_int ());
        g_autoptr (DmasEngine) engine = dmas_engine_new (1);
        Run run;
        const guint nodes = (guint) g_rand_int_range (rng, 1, 17);
        const guint n = (guint) g_rand_int_range (rng, 1, 120);
        run_init (&run, engine, (DmasLocalPolicy) p, nodes);
        DmasTime t = 0;
        for (guint i = 0; i < n; i++)
          {
            t += (DmasTime) g_rand_int_range (rng, 0, 20) * DMAS_S;
            DmasTime runtime = (DmasTime) g_rand_int_range (rng, 1, 100) * DMAS_S;
            /* Mostly over-estimates, some exact, some under-estimates (killed). */
            DmasTime walltime = runtime * (DmasTime) g_rand_int_range (rng, 1, 4)
                                - (g_rand_boolean (rng) ? 0 : runtime / 2);
            run_add (&run, engine, t, (guint) g_rand_int_range (rng, 1, (gint) nodes + 1),
                     runtime, walltime);
          }
        /* Conservative: last reservation seen per job id. */
        DmasTime seen[MAX_JOBS + 1];
        for (guint i = 0; i <= MAX_JOBS; i++)
          seen[i] = DMAS_TIME_NONE;
        while (dmas_engine_step (engine))
          {
            if (p != DMAS_LOCAL_CONSERVATIVE)
              continue;
            const DmasJob *job;
            for (guint i = 0; (job = dmas_localq_peek_nth (run.queue, i)) != NULL; i++)
              {
                DmasTime r = dmas_localq_reservation_nth (run.queue, i);
                g_assert_cmpuint (r, !=, DMAS_TIME_NONE);
                g_assert_cmpuint (r, <=, seen[job->id]);
                g_assert_cmpuint (r, >=, dmas_engine_now (engine));
                seen[job->id] = r;
              }
          }
        g_assert_cmpuint (run.n_finished, ==, n);
        for (guint id = 1; id <= n; id++)
          {
            /* A compression may move a job and start it in the same event. */
            if (p == DMAS_LOCAL_CONSERVATIVE && seen[id] != DMAS_TIME_NONE)
              g_assert_cmpuint (run.start[id], <=, seen[id]);
            if (p == DMAS_LOCAL_FCFS && id > 1)
              g_assert_cmpuint (run.start[id], >=, run.start[id - 1]);
          }
        dmas_localq_free (run.queue);
        g_rand_free (rng);
      }
}

/* Jobs without a walltime have no estimate: they hold their nodes forever as far as the
 * plans know.  2 nodes: 1 A 1 node 5 s without walltime; 2 H 2 nodes 1 s; 3 B 1 node 1 s
 * asking 1 s.  EASY: H's shadow is "never", so B (which ends at 1) is backfilled at 0.
 * Conservative: H can only be placed "never"... B fits beside A at 0.  When A ends at 5,
 * earlier than forever, H gets 5. */
static void
test_no_estimate (void)
{
  const Spec specs[] = { { 0, 1, 5, 0 }, { 0, 2, 1, 1 }, { 0, 1, 1, 1 } };
  const guint expected[] = { 0, 5, 0 };
  Run run;
  run_specs (&run, DMAS_LOCAL_EASY, 2, specs, G_N_ELEMENTS (specs));
  assert_starts (&run, expected);
  run_specs (&run, DMAS_LOCAL_CONSERVATIVE, 2, specs, G_N_ELEMENTS (specs));
  assert_starts (&run, expected);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/world/backfill/three-policies", test_three_policies);
  g_test_add_func ("/world/backfill/easy/extra-nodes", test_easy_extra_nodes);
  g_test_add_func ("/world/backfill/easy/extra-ties", test_easy_extra_ties);
  g_test_add_func ("/world/backfill/easy/estimates-and-kills", test_easy_uses_estimates_and_kills);
  g_test_add_func ("/world/backfill/conservative/compression", test_conservative_compression);
  g_test_add_func ("/world/backfill/no-estimate", test_no_estimate);
  g_test_add_func ("/world/backfill/random-invariants", test_random_invariants);
  return g_test_run ();
}
