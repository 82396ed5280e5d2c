/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A crash of the centralized controller through the real `dmas run`: outage, takeover, no loss. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "scenario.h"

#define PREFIX "dmas-central"
#define EPS 1e-9

/* The rules the expected values come from: framework/agents/central.h ("Crash", "Taking
 * charge", "High availability", "Availability"; README "Centralized mode" has the same text),
 * framework/agents/client.h (retries), the schema defaults (`dmas config`: network.latency
 * 1ms, scheduling.ha.heartbeat 10s, clients.give_up 1d) and framework/engine/engine.h
 * (same-instant order: faults first). */

static gchar *
scenario (void)
{
  return scen_src_path ("tests/scenarios/central-crash.yaml");
}

/* What every run of this file ends with whatever the controller went through.  With seed 3
 * the 40 Poisson arrivals all fall within the 5 min horizon (workload.h: exactly N jobs, from
 * exponential gaps; this one is measured, not derived), and each fits some cluster of the
 * preset.  central.h's stable storage keeps every acknowledged job, and a submission dropped
 * while no controller is in charge is retried by its client (client.h) until one acknowledges
 * it, long before clients.give_up (1 d).  So all 40 complete, none is lost, and the
 * controller's crash is not an agent failure. */
static void
check_nothing_lost (JsonObject *s)
{
  g_assert_cmpstr (json_object_get_string_member (s, "status"), ==, "complete");
  g_assert_cmpint (json_object_get_int_member (s, "jobs_submitted"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (s, "jobs_completed"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (s, "jobs_lost"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (s, "faults_injected"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (s, "agent_failures"), ==, 0);
}

/* Without a backup: the controller is down from 60 s (the entry's `at`) to its restart at
 * 60 + 90 = 150 s, when it takes charge again (central.h: a restart without backup takes
 * charge, and the service is up while some replica is up and in charge).  One outage of
 * exactly 90 s; availability = 1 - outage / run length; the fault-tolerance score is
 * 50 × completion 1 + 0.2 × (100 - 2 × 0 agent failures) + 0.3 × (100 - 10 × 1) = 97. */
static void
test_restart (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scenario ();
  scen_run (config, f->tmpdir, NULL);

  g_autofree gchar *jsonl = scen_read_file (f->tmpdir, "faults.jsonl");
  g_assert_cmpstr (jsonl, ==,
                   "{\"t\":60,\"fault\":\"crash\",\"agent\":\"controller\",\"source\":\"crash#0\","
                   "\"agents\":\"controller\",\"pattern\":\"fixed\",\"at\":\"60s\","
                   "\"every\":\"0s\",\"mtbf\":\"1h\",\"restart_after\":\"90s\",\"count\":1,\"mttr\":\"0s\",\"neighbours\":1,"
                   "\"cascade_factor\":10,\"cascade_window\":\"60s\"}\n"
                   "{\"t\":150,\"fault\":\"restart\",\"agent\":\"controller\","
                   "\"source\":\"crash#0\",\"agents\":\"controller\",\"pattern\":\"fixed\","
                   "\"at\":\"60s\",\"every\":\"0s\",\"mtbf\":\"1h\",\"restart_after\":\"90s\","
                   "\"count\":1,\"mttr\":\"0s\",\"neighbours\":1,"
                   "\"cascade_factor\":10,\"cascade_window\":\"60s\"}\n");

  g_autoptr (JsonObject) s = scen_summary (f->tmpdir);
  check_nothing_lost (s);
  g_assert_cmpint (json_object_get_int_member (s, "scheduler_failures"), ==, 1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s, "service_outage_mean_s"),
                                  90.0, EPS);
  const gdouble end = json_object_get_double_member (s, "end_time_s");
  g_assert_cmpfloat (end, >, 150.0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s, "availability"),
                                  1.0 - 90.0 / end, EPS);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s, "fault_tolerance_score"),
                                  97.0, EPS);
  /* The clients had to retry: the controller dropped what arrived while it was down. */
  g_assert_cmpint (json_object_get_int_member (s, "submission_retries"), >, 0);
  g_assert_cmpint (json_object_get_int_member (s, "msgs_dropped_down"), >, 0);
}

/* With a standby (takeover 30 s) and a primary that never comes back: the primary, in charge
 * from 0, heartbeats the standby at 0, 10, ..., 50 s (ha.heartbeat 10 s).  The crash at 60 s
 * is a fault event and runs before the 60 s heartbeat timer of the same instant, so the last
 * heartbeat is the one of 50 s, heard at 50.001 s (latency 1 ms).  The standby takes charge
 * when it has heard nothing for ha.takeover: at 50.001 + 30 = 80.001 s.  One outage,
 * 60 → 80.001 s = 20.001 s; one line in faults.jsonl (no restart). */
static void
test_ha_takeover (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scenario ();
  const gchar *extra[] = { "--set", "scheduling.ha.backup=true",
                           "--set", "scheduling.ha.takeover=30s",
                           "--set", "faults=[{type: crash, agents: controller, at: 60s}]", NULL };
  scen_run (config, f->tmpdir, extra);

  g_autofree gchar *jsonl = scen_read_file (f->tmpdir, "faults.jsonl");
  g_assert_cmpstr (jsonl, ==,
                   "{\"t\":60,\"fault\":\"crash\",\"agent\":\"controller\",\"source\":\"crash#0\","
                   "\"agents\":\"controller\",\"pattern\":\"fixed\",\"at\":\"60s\","
                   "\"every\":\"0s\",\"mtbf\":\"1h\",\"restart_after\":\"never\",\"count\":1,\"mttr\":\"0s\",\"neighbours\":1,"
                   "\"cascade_factor\":10,\"cascade_window\":\"60s\"}\n");

  g_autoptr (JsonObject) s = scen_summary (f->tmpdir);
  check_nothing_lost (s);
  g_assert_cmpint (json_object_get_int_member (s, "scheduler_failures"), ==, 1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s, "service_outage_mean_s"),
                                  20.001, EPS);
  const gdouble end = json_object_get_double_member (s, "end_time_s");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s, "availability"),
                                  1.0 - 20.001 / end, EPS);
}

/* The controller and the backup are targets only where they exist (crash's `agents`
 * parameter): the crash component refuses the config before anything runs, and a config
 * mistake is a usage error (README: exit status 2). */
static void
test_no_controller (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scenario ();
  g_autofree gchar *a = g_build_filename (f->tmpdir, "distributed", NULL);
  g_autofree gchar *b = g_build_filename (f->tmpdir, "no-backup", NULL);
  const gchar *distributed[] = { "run", config, "-o", a, "-q", "--set",
                                 "scheduling.mode=distributed", NULL };
  const gchar *no_backup[] = { "run", config, "-o", b, "-q", "--set",
                               "faults=[{type: crash, agents: backup, at: 60s}]", NULL };
  g_autofree gchar *err_a = NULL, *err_b = NULL;

  g_assert_cmpint (scen_dmas (distributed, NULL, &err_a), ==, 2);
  g_assert_nonnull (strstr (err_a, "this run has no controller"));
  g_assert_cmpint (scen_dmas (no_backup, NULL, &err_b), ==, 2);
  g_assert_nonnull (strstr (err_b, "this run has no backup"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/scenarios/central-crash/restart", ScenFixture, PREFIX, scen_fixture_setup,
              test_restart, scen_fixture_teardown);
  g_test_add ("/scenarios/central-crash/ha-takeover", ScenFixture, PREFIX, scen_fixture_setup,
              test_ha_takeover, scen_fixture_teardown);
  g_test_add ("/scenarios/central-crash/no-controller", ScenFixture, PREFIX, scen_fixture_setup,
              test_no_controller, scen_fixture_teardown);
  return g_test_run ();
}
