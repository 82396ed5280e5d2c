/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the local FCFS queue: start and end times on hand-computed examples. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib.h>

#include "engine/engine.h"
#include "world/localq.h"

typedef struct {
  DmasTime start[8], end[8];
  gboolean killed[8];
  guint n_started, n_finished;
} Log;

static void
on_started (gpointer user_data, const DmasJob *job, DmasTime start)
{
  Log *log = user_data;
  log->start[job->id] = start;
  log->n_started++;
}

static void
on_finished (gpointer user_data, const DmasJob *job, DmasTime start, DmasTime end,
             gboolean killed)
{
  Log *log = user_data;
  g_assert_cmpuint (log->start[job->id], ==, start);
  log->end[job->id] = end;
  log->killed[job->id] = killed;
  log->n_finished++;
}

static const DmasLocalQueueHooks hooks = { on_started, on_finished, NULL };

typedef struct {
  DmasLocalQueue *queue;
  const DmasJob *job;
} Submission;

static void
submit_event (DmasEngine *engine, gpointer data)
{
  Submission *s = data;
  (void) engine;
  g_autoptr (GError) error = NULL;
  g_assert_true (dmas_localq_submit (s->queue, s->job, &error));
  g_assert_no_error (error);
}

static void
submit_at (DmasEngine *engine, DmasTime at, DmasLocalQueue *queue, const DmasJob *job)
{
  Submission *s = g_new (Submission, 1);
  s->queue = queue;
  s->job = job;
  dmas_engine_schedule (engine, at, DMAS_EV_TIMER, 1, 0, submit_event, s, g_free);
}

static void
run_to_end (DmasEngine *engine)
{
  while (dmas_engine_step (engine))
    ;
}

/* Four nodes.  At 0: A (2 nodes, 10 s), B (3, 5 s), C (1, 1 s), D (4, 2 s); at 12 s: E (1, 1 s).
 *   0  A starts (2 free).  B needs 3: waits, and C waits behind it although it would fit
 *      (strict FCFS).
 *  10  A ends: B starts (1 free), then C (0 free).
 *  11  C ends (1 free).  D needs 4: waits.
 *  12  E arrives: waits behind D.
 *  15  B ends: D starts.   17  D ends: E starts.   18  E ends. */
static void
test_fcfs_hand_example (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log log = { 0 };
  DmasLocalQueue *q = dmas_localq_new (engine, 0, DMAS_LOCAL_FCFS, 4, 1.0, &hooks, &log);
  const DmasJob jobs[] = {
    { 0 },
    { .id = 1, .nodes = 2, .cores = 1, .runtime = 10 * DMAS_S },
    { .id = 2, .nodes = 3, .cores = 1, .runtime = 5 * DMAS_S },
    { .id = 3, .nodes = 1, .cores = 1, .runtime = 1 * DMAS_S },
    { .id = 4, .nodes = 4, .cores = 1, .runtime = 2 * DMAS_S },
    { .id = 5, .nodes = 1, .cores = 1, .runtime = 1 * DMAS_S },
  };
  for (guint i = 1; i <= 4; i++)
    submit_at (engine, 0, q, &jobs[i]);
  submit_at (engine, 12 * DMAS_S, q, &jobs[5]);

  /* Check the state right after the instant 0 settles. */
  while (dmas_engine_next_time (engine) == 0)
    dmas_engine_step (engine);
  g_assert_cmpuint (dmas_localq_free_nodes (q), ==, 2);
  g_assert_cmpuint (dmas_localq_n_running (q), ==, 1);
  g_assert_cmpuint (dmas_localq_n_queued (q), ==, 3);
  g_assert_true (dmas_localq_peek_nth (q, 0) == &jobs[2]);
  g_assert_true (dmas_localq_peek_nth (q, 2) == &jobs[4]);
  g_assert_null (dmas_localq_peek_nth (q, 3));
  g_assert_cmpuint (dmas_localq_used_cores (q), ==, 2);

  run_to_end (engine);
  const DmasTime start[] = { 0, 0, 10, 10, 15, 17 };
  const DmasTime end[] = { 0, 10, 15, 11, 17, 18 };
  g_assert_cmpuint (log.n_started, ==, 5);
  g_assert_cmpuint (log.n_finished, ==, 5);
  for (guint i = 1; i <= 5; i++)
    {
      g_assert_cmpuint (log.start[i], ==, start[i] * DMAS_S);
      g_assert_cmpuint (log.end[i], ==, end[i] * DMAS_S);
      g_assert_false (log.killed[i]);
    }
  g_assert_cmpuint (dmas_localq_free_nodes (q), ==, 4);
  g_assert_cmpuint (dmas_localq_used_cores (q), ==, 0);
  dmas_localq_free (q);
}

/* Speed 2 halves the execution time; a job that would outrun its walltime is stopped there. */
static void
test_speed_and_walltime (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log log = { 0 };
  DmasLocalQueue *q = dmas_localq_new (engine, 3, DMAS_LOCAL_FCFS, 1, 2.0, &hooks, &log);
  const DmasJob jobs[] = {
    { 0 },
    { .id = 1, .nodes = 1, .runtime = 10 * DMAS_S, .walltime = 20 * DMAS_S },
    { .id = 2, .nodes = 1, .runtime = 30 * DMAS_S, .walltime = 4 * DMAS_S },
  };
  submit_at (engine, 0, q, &jobs[1]);
  submit_at (engine, 0, q, &jobs[2]);
  run_to_end (engine);
  g_assert_cmpuint (log.end[1], ==, 5 * DMAS_S);
  g_assert_false (log.killed[1]);
  g_assert_cmpuint (log.start[2], ==, 5 * DMAS_S);
  g_assert_cmpuint (log.end[2], ==, 9 * DMAS_S);
  g_assert_true (log.killed[2]);
  dmas_localq_free (q);
}

static void
test_too_big_and_policies (void)
{
  g_autoptr (DmasEngine) engine = dmas_engine_new (1);
  Log log = { 0 };
  g_autoptr (GError) error = NULL;
  DmasLocalQueue *q = dmas_localq_new (engine, 0, DMAS_LOCAL_FCFS, 2, 1.0, &hooks, &log);
  const DmasJob job = { .id = 1, .nodes = 3, .runtime = DMAS_S };
  g_assert_false (dmas_localq_submit (q, &job, &error));
  g_assert_nonnull (strstr (error->message, "asks for 3 nodes"));
  g_assert_cmpuint (dmas_localq_n_queued (q), ==, 0);
  g_clear_error (&error);

  /* Freeing the queue with a job running cancels its end: nothing fires afterwards. */
  const DmasJob small = { .id = 2, .nodes = 1, .runtime = DMAS_S };
  g_assert_true (dmas_localq_submit (q, &small, NULL));
  g_assert_cmpuint (log.n_started, ==, 1);
  dmas_localq_free (q);
  run_to_end (engine);
  g_assert_cmpuint (log.n_finished, ==, 0);

  DmasLocalPolicy policy;
  const gchar *const names[] = { "fcfs", "easy", "conservative" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (dmas_local_policy_from_string (names[i], &policy, &error));
      g_assert_no_error (error);
      g_assert_cmpint (policy, ==, (DmasLocalPolicy) i);
      g_assert_cmpstr (dmas_local_policy_to_string (policy), ==, names[i]);
    }
  g_assert_false (dmas_local_policy_from_string ("lifo", &policy, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "available: fcfs, easy, conservative"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/world/localq/fcfs/hand-example", test_fcfs_hand_example);
  g_test_add_func ("/world/localq/speed-and-walltime", test_speed_and_walltime);
  g_test_add_func ("/world/localq/too-big-and-policies", test_too_big_and_policies);
  return g_test_run ();
}
