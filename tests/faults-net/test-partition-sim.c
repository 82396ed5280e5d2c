/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Partitions and bad links through the simulator: crash-tolerant protocols keep deciding on
 * the majority side and stop on the minority side; availability; faults.jsonl; determinism. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include <dmas/dmas.h>
#include "agents/faults.h"
#include "agents/sim-private.h"
#include "config/config.h"
#include "metrics/summary.h"
#include "plugin/registry.h"
#include "../scenarios/scen-registry.h"

#define N_AGENTS 5
#define CUT_START (60 * DMAS_S)
#define CUT_END (180 * DMAS_S)
/* Snapshots: after messages in flight at the cut have landed, and just before the heal. */
#define SNAP_EARLY (CUT_START + DMAS_S)
#define SNAP_LATE (CUT_END - DMAS_S / 2)

typedef struct {
  DmasRegistry *registry;
  gchar *config_path;
} Env;

static Env env;

/* Every agent's decided winners (per job id) at one instant. */
typedef struct {
  DmasSim *sim;
  guint n_jobs;
  DmasAgentId *decided[N_AGENTS]; /* copies, n_jobs + 1 entries */
} Snapshot;

static void
on_snapshot (DmasEngine *engine, gpointer data)
{
  Snapshot *s = data;
  (void) engine;
  for (guint a = 0; a < N_AGENTS; a++)
    s->decided[a] = g_memdup2 (s->sim->agents[a]->decided, (s->n_jobs + 1) * sizeof (DmasAgentId));
}

static void
snapshot_clear (Snapshot *s)
{
  for (guint a = 0; a < N_AGENTS; a++)
    g_free (s->decided[a]);
}

typedef struct {
  DmasRunStatus status;
  JsonObject *summary;   /* owned */
  gchar *summary_text;
  gchar *faults_jsonl;
  Snapshot early, late;
  guint submitted_in_cut; /* jobs submitted in [SNAP_EARLY, SNAP_LATE - 20 s) */
  GArray *majority_jobs;  /* guint: the ids of those whose home agent is 2, 3 or 4 */
} Result;

static void
result_clear (Result *r)
{
  json_object_unref (r->summary);
  g_free (r->summary_text);
  g_free (r->faults_jsonl);
  g_array_unref (r->majority_jobs);
  snapshot_clear (&r->early);
  snapshot_clear (&r->late);
}

static void
run (const gchar *consensus, guint64 seed, const gchar *faults, Result *r)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *set_consensus = g_strdup_printf ("scheduling.consensus=%s", consensus);
  g_autofree gchar *set_seed = g_strdup_printf ("seed=%" G_GUINT64_FORMAT, seed);
  g_autofree gchar *set_faults = g_strdup_printf ("faults=%s", faults);
  const gchar *sets[] = { set_consensus, set_seed, set_faults, NULL };
  g_autoptr (DmasConfig) config = dmas_config_load (env.config_path, sets, &error);
  g_assert_no_error (error);
  g_assert_true (dmas_registry_fill_config (env.registry, config, &error));
  g_assert_true (dmas_faults_fill_config (env.registry, config, &error));
  g_assert_no_error (error);
  g_autoptr (DmasSim) sim = dmas_sim_new (config, env.registry, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dmas_sim_n_agents (sim), ==, N_AGENTS);

  memset (r, 0, sizeof *r);
  const DmasWorkload *w = dmas_sim_workload (sim);
  r->early = (Snapshot) { .sim = sim, .n_jobs = w->n_jobs };
  r->late = (Snapshot) { .sim = sim, .n_jobs = w->n_jobs };
  r->majority_jobs = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < w->n_jobs; i++)
    if (w->jobs[i].submit >= SNAP_EARLY && w->jobs[i].submit < SNAP_LATE - 20 * DMAS_S)
      {
        r->submitted_in_cut++;
        if (w->jobs[i].home >= 2)
          g_array_append_val (r->majority_jobs, w->jobs[i].id);
      }
  DmasEngine *engine = dmas_sim_engine (sim);
  dmas_engine_schedule (engine, SNAP_EARLY, DMAS_EV_OBSERVE, 0, DMAS_AGENT_NONE, on_snapshot,
                        &r->early, NULL);
  dmas_engine_schedule (engine, SNAP_LATE, DMAS_EV_OBSERVE, 0, DMAS_AGENT_NONE, on_snapshot,
                        &r->late, NULL);

  g_autofree gchar *diagnosis = NULL;
  r->status = dmas_sim_run (sim, 0.0, FALSE, &diagnosis);
  g_autofree gchar *digest = dmas_engine_digest (engine);
  const DmasSummaryInput in = {
    .status = r->status,
    .diagnosis = diagnosis,
    .seed = seed,
    .events = dmas_engine_events (engine),
    .trace_digest = digest,
    .metrics = dmas_sim_metrics (sim),
    .config = config->resolved,
    .workload = dmas_workload_stats (w),
  };
  r->summary_text = dmas_summary_to_json (&in);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, r->summary_text, -1, &error));
  r->summary = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  r->faults_jsonl = dmas_faults_to_jsonl (dmas_sim_faults (sim));
  g_assert_nonnull (r->early.decided[0]);
  g_assert_nonnull (r->late.decided[0]);
}

/* Jobs `agent` decided between the two snapshots: a winner at the late one that it did not
 * have at the early one.  (A job whose decision was wiped meanwhile is not a decision: the
 * minority's recovery re-announces the jobs of the agents it suspects, in a new epoch that
 * starts undecided.) */
static guint
new_decisions (const Result *r, guint agent)
{
  guint n = 0;
  for (guint j = 1; j <= r->early.n_jobs; j++)
    if (r->late.decided[agent][j] != DMAS_AGENT_NONE
        && r->late.decided[agent][j] != r->early.decided[agent][j])
      n++;
  return n;
}

static gint64
member_int (const Result *r, const gchar *name)
{
  g_assert_true (json_object_has_member (r->summary, name));
  return json_object_get_int_member (r->summary, name);
}

static gdouble
member_double (const Result *r, const gchar *name)
{
  g_assert_true (json_object_has_member (r->summary, name));
  return json_object_get_double_member (r->summary, name);
}

static void
assert_clean_completion (const Result *r)
{
  g_assert_cmpint (r->status, ==, DMAS_RUN_COMPLETE);
  g_assert_cmpint (member_int (r, "jobs_completed"), ==, member_int (r, "jobs_submitted"));
  g_assert_cmpint (member_int (r, "jobs_lost"), ==, 0);
  g_assert_cmpint (member_int (r, "safety_violations"), ==, 0);
  g_assert_cmpint (member_int (r, "validity_violations"), ==, 0);
}

#define MINORITY_CUT "[{type: partition, groups: \"0,1|2,3,4\", at: 60s, for: 120s}]"
#define NO_QUORUM_CUT "[{type: partition, groups: \"0,1|2,3|4\", at: 60s, for: 120s}]"

/* 3 | 2: the minority {0, 1} decides nothing during the cut; each agent of the majority
 * {2, 3, 4} decides every job submitted to the majority meanwhile;
 * messages across are dropped; the service stays available (a quorum of 3 on one side);
 * after the heal every job completes. */
static void
test_majority_minority (gconstpointer data)
{
  const gchar *consensus = data;
  for (guint64 seed = 1; seed <= 3; seed++)
    {
      Result r;
      run (consensus, seed, MINORITY_CUT, &r);
      assert_clean_completion (&r);
      for (guint a = 0; a < 2; a++)
        g_assert_cmpuint (new_decisions (&r, a), ==, 0);
      /* Every job submitted to the majority during the cut (20 s before its end at the
       * latest) is decided there; jobs submitted to the minority are accepted by their home
       * agent, which cannot announce them across the cut: they wait for the heal. */
      g_assert_cmpuint (r.majority_jobs->len, >=, 5);
      for (guint a = 2; a < N_AGENTS; a++)
        {
          g_test_message ("%s seed %" G_GUINT64_FORMAT ": agent %u decided %u jobs during "
                          "the cut (%u submitted, %u to the majority)", consensus, seed, a,
                          new_decisions (&r, a), r.submitted_in_cut, r.majority_jobs->len);
          for (guint i = 0; i < r.majority_jobs->len; i++)
            g_assert_cmpint (r.late.decided[a][g_array_index (r.majority_jobs, guint, i)], !=,
                             DMAS_AGENT_NONE);
        }
      g_assert_cmpint (member_int (&r, "msgs_dropped_partition"), >, 0);
      g_assert_cmpfloat (member_double (&r, "availability"), ==, 1.0);
      result_clear (&r);
    }
}

/* 2 | 2 | 1: no side has a quorum of 3: nobody decides anything during the cut, the service is
 * out for exactly the 120 s of the cut, and after the heal every job completes. */
static void
test_no_quorum (gconstpointer data)
{
  const gchar *consensus = data;
  Result r;

  run (consensus, 1, NO_QUORUM_CUT, &r);
  assert_clean_completion (&r);
  for (guint a = 0; a < N_AGENTS; a++)
    g_assert_cmpuint (new_decisions (&r, a), ==, 0);
  g_assert_cmpfloat (member_double (&r, "availability"), <, 1.0);
  g_assert_cmpfloat_with_epsilon (member_double (&r, "service_outage_mean_s"), 120.0, 1e-9);
  result_clear (&r);
}

/* The same seed gives the same faults.jsonl and summary, byte for byte (random partitions
 * and lossy links included); the log names the resolved groups and every heal. */
static void
test_deterministic (void)
{
  const gchar *faults = "[{type: partition, groups: minority, pattern: random, mtbf: 60s, "
                        "for: 20s, count: 3}, {type: link, loss: 0.05, duplicate: 0.02, "
                        "corrupt: 0.01, delay: 2ms, jitter: 3ms, reorder: 0.1, at: 10s, "
                        "for: 100s}]";
  Result a, b;
  run ("raft", 7, faults, &a);
  run ("raft", 7, faults, &b);
  g_assert_cmpstr (a.faults_jsonl, ==, b.faults_jsonl);
  g_assert_cmpstr (a.summary_text, ==, b.summary_text);
  g_assert_true (strstr (a.faults_jsonl, "\"fault\":\"partition\",\"groups\":[[") != NULL);
  g_assert_true (strstr (a.faults_jsonl, "\"fault\":\"heal\"") != NULL);
  g_assert_true (strstr (a.faults_jsonl, "\"fault\":\"link\",\"from\":\"any\",\"to\":\"any\","
                                         "\"loss\":0.05,\"duplicate\":0.02,\"reorder\":0.1,"
                                         "\"corrupt\":0.01,\"undetected\":false,"
                                         "\"delay\":0.002,\"jitter\":0.003") != NULL);
  g_assert_true (strstr (a.faults_jsonl, "{\"t\":110,\"fault\":\"link_end\"") != NULL);
  g_assert_cmpint (member_int (&a, "msgs_dropped_loss"), >, 0);
  g_assert_cmpint (member_int (&a, "msgs_duplicated"), >, 0);
  g_assert_cmpint (member_int (&a, "msgs_corrupted"), >, 0);
  g_assert_cmpint (member_int (&a, "msgs_corrupt_delivered"), ==, 0);
  g_assert_cmpint (member_int (&a, "msgs_reordered"), >, 0);
  g_assert_cmpint (member_int (&a, "safety_violations"), ==, 0);
  result_clear (&a);
  result_clear (&b);
}

/* A one-way cut: agent 0's messages reach no one from 60 s to 180 s, while it still hears
 * everyone.  The log gives the matrix as "reach" rows, not as groups. */
static void
test_one_way_logged (void)
{
  Result r;
  run ("raft", 2, "[{type: partition, groups: isolate, agents: \"0\", direction: out, "
                  "at: 60s, for: 120s}]", &r);
  assert_clean_completion (&r);
  g_assert_true (strstr (r.faults_jsonl, "{\"t\":60,\"fault\":\"partition\",\"reach\":[[],"
                                         "[0,2,3,4],[0,1,3,4],[0,1,2,4],[0,1,2,3]],\"id\":1,")
                 != NULL);
  g_assert_true (strstr (r.faults_jsonl, "{\"t\":180,\"fault\":\"heal\",\"reach\":[[],") != NULL);
  g_assert_cmpint (member_int (&r, "msgs_dropped_partition"), >, 0);
  g_assert_cmpfloat (member_double (&r, "availability"), ==, 1.0);
  result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  const gchar *srcdir = g_getenv ("DMAS_SRCDIR");
  if (srcdir == NULL)
    srcdir = DMAS_ABS_SRCDIR;

  env.registry = scen_registry_new (NULL);
  env.config_path = g_build_filename (srcdir, "tests", "faults-net", "partition-5.yaml", NULL);

  g_test_add_data_func ("/partition-sim/raft/majority-minority", "raft", test_majority_minority);
  g_test_add_data_func ("/partition-sim/multipaxos/majority-minority", "multipaxos",
                        test_majority_minority);
  g_test_add_data_func ("/partition-sim/raft/no-quorum", "raft", test_no_quorum);
  g_test_add_data_func ("/partition-sim/multipaxos/no-quorum", "multipaxos", test_no_quorum);
  g_test_add_func ("/partition-sim/deterministic", test_deterministic);
  g_test_add_func ("/partition-sim/one-way-logged", test_one_way_logged);

  int status = g_test_run ();
  dmas_registry_free (env.registry);
  g_free (env.config_path);
  return status;
}
