/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Randomized safety runs of every consensus component through the simulator, and the
 * negative control that proves the safety checker fires. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include <dmas/dmas.h>
#include "agents/faults.h"
#include "agents/sim.h"
#include "config/config.h"
#include "metrics/summary.h"
#include "plugin/registry.h"
#include "scen-registry.h"

/* Each run: tests/scenarios/safety.yaml (5 agents, 20 poisson jobs, 1 ms links + up to 5 ms of
 * jitter) with the run seed s and the component under test, plus f crashes of distinct agents
 * at random times in the first 60 s, each restarted 2-40 s later, so that at most f agents are
 * down at once: f = floor((n-1)/2) for the crash model, floor((n-1)/3) for the Byzantine one,
 * floor((n-1)/2) for NONE (run, but no guarantee asserted).  The crash schedule is drawn from
 * a GRand seeded with s, so a run is reproduced from its seed alone.
 *
 * Asserted for CRASH and BYZANTINE: safety_violations == 0 and validity_violations == 0 (read
 * from summary.json's text; a key the host does not write yet counts as 0).  For every model:
 * the run completes (no deadlock).
 *
 * Environment: DMAS_SAFETY_SEEDS (default 200) seeds per component, DMAS_SAFETY_FIRST_SEED
 * (default: drawn with g_test_rand_int) the first.  tests/scenarios/safety-sweep.sh uses
 * both; each component's test prints a line
 *   "# safety NAME model=M seeds=N first=S complete=C safety_violations=V validity_violations=W"
 */

#define N_AGENTS 5

typedef struct {
  DmasRegistry *registry;
  gchar *config_path;
} Env;

typedef struct {
  const Env *env;
  gchar *name;
  guint32 fault_model;
} Subject;

typedef struct {
  gboolean quiet; /* no line per failing run (the negative control expects them) */
  guint runs, complete;
  guint64 safety, validity;
} Tally;

static guint
tolerated (guint32 model)
{
  return model == DMAS_FAULT_MODEL_BYZANTINE ? (N_AGENTS - 1) / 3 : (N_AGENTS - 1) / 2;
}

static guint64
summary_uint (JsonObject *s, const gchar *member)
{
  return json_object_has_member (s, member) ? (guint64) json_object_get_int_member (s, member)
                                            : 0;
}

/* One run of `name` with run seed `seed` and `crashes` crashed agents; adds to `t`. */
static void
run_one (const Env *env, const gchar *name, guint64 seed, guint crashes, Tally *t)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *set_consensus = g_strdup_printf ("scheduling.consensus=%s", name);
  g_autofree gchar *set_seed = g_strdup_printf ("seed=%" G_GUINT64_FORMAT, seed);
  const gchar *sets[] = { set_consensus, set_seed, NULL };
  g_autoptr (DmasConfig) config = dmas_config_load (env->config_path, sets, &error);
  g_assert_no_error (error);
  g_assert_true (dmas_registry_fill_config (env->registry, config, &error));
  g_assert_true (dmas_faults_fill_config (env->registry, config, &error));
  g_assert_no_error (error);
  g_autoptr (DmasSim) sim = dmas_sim_new (config, env->registry, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dmas_sim_n_agents (sim), ==, N_AGENTS);

  g_autoptr (GRand) rng = g_rand_new_with_seed ((guint32) (seed ^ (seed >> 32)));
  DmasAgentId order[N_AGENTS];
  for (guint a = 0; a < N_AGENTS; a++)
    order[a] = a;
  for (guint a = N_AGENTS - 1; a > 0; a--)
    {
      guint j = (guint) g_rand_int_range (rng, 0, (gint32) a + 1);
      DmasAgentId tmp = order[a];
      order[a] = order[j];
      order[j] = tmp;
    }
  for (guint k = 0; k < crashes; k++)
    {
      DmasTime at = (DmasTime) g_rand_int_range (rng, 0, 60000) * DMAS_MS;
      DmasTime down = (DmasTime) g_rand_int_range (rng, 2000, 40000) * DMAS_MS;
      dmas_sim_schedule_crash (sim, order[k], at, down);
    }

  g_autofree gchar *diagnosis = NULL;
  DmasRunStatus status = dmas_sim_run (sim, 0.0, FALSE, &diagnosis);
  DmasEngine *engine = dmas_sim_engine (sim);
  g_autofree gchar *digest = dmas_engine_digest (engine);
  const DmasSummaryInput in = {
    .status = status,
    .diagnosis = diagnosis,
    .seed = seed,
    .events = dmas_engine_events (engine),
    .trace_digest = digest,
    .metrics = dmas_sim_metrics (sim),
    .config = config->resolved,
    .workload = dmas_workload_stats (dmas_sim_workload (sim)),
  };
  g_autofree gchar *json = dmas_summary_to_json (&in);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  JsonObject *s = json_node_get_object (json_parser_get_root (parser));
  guint64 safety = summary_uint (s, "safety_violations");
  guint64 validity = summary_uint (s, "validity_violations");
  t->runs++;
  t->complete += status == DMAS_RUN_COMPLETE;
  t->safety += safety;
  t->validity += validity;
  if (!t->quiet && (status != DMAS_RUN_COMPLETE || safety > 0 || validity > 0))
    g_test_message ("%s seed %" G_GUINT64_FORMAT ": %s, safety_violations=%" G_GUINT64_FORMAT
                    " validity_violations=%" G_GUINT64_FORMAT "%s%s", name, seed,
                    dmas_run_status_to_string (status), safety, validity,
                    diagnosis != NULL ? ": " : "", diagnosis != NULL ? diagnosis : "");
}

static guint64
env_uint (const gchar *var, guint64 fallback)
{
  const gchar *text = g_getenv (var);
  guint64 v;
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &v, NULL))
    return fallback;
  return v;
}

static const gchar *
model_name (guint32 model)
{
  switch (model)
    {
    case DMAS_FAULT_MODEL_CRASH: return "crash";
    case DMAS_FAULT_MODEL_BYZANTINE: return "byzantine";
    default: return "none";
    }
}

static void
test_random_crashes (gconstpointer data)
{
  const Subject *subj = data;
  guint64 n = env_uint ("DMAS_SAFETY_SEEDS", 200);
  guint64 first = env_uint ("DMAS_SAFETY_FIRST_SEED", (guint32) g_test_rand_int ());
  Tally t = { 0 };
  for (guint64 i = 0; i < n; i++)
    run_one (subj->env, subj->name, first + i, tolerated (subj->fault_model), &t);
  g_test_message ("safety %s model=%s seeds=%" G_GUINT64_FORMAT " first=%" G_GUINT64_FORMAT
                  " complete=%u safety_violations=%" G_GUINT64_FORMAT
                  " validity_violations=%" G_GUINT64_FORMAT, subj->name,
                  model_name (subj->fault_model), n, first, t.complete, t.safety, t.validity);
  g_assert_cmpuint (t.runs, ==, n);
  g_assert_cmpuint (t.complete, ==, n);
  if (subj->fault_model == DMAS_FAULT_MODEL_NONE)
    return; /* no agreement promised: the counts above are information */
  g_assert_cmpuint (t.safety, ==, 0);
  g_assert_cmpuint (t.validity, ==, 0);
}

/* The negative control: broken-quorum decides without a quorum; with jitter above its wait
 * and crashes, agents hear different bids, and the checker must say so. */
static void
test_checker_fires (gconstpointer data)
{
  const Env *env = data;
  Tally t = { .quiet = TRUE };
  guint64 first = (guint32) g_test_rand_int ();
  for (guint64 i = 0; i < 20; i++)
    run_one (env, "broken-quorum", first + i, 2, &t);
  g_test_message ("broken-quorum: %" G_GUINT64_FORMAT " safety violations in %u runs",
                  t.safety, t.runs);
  g_assert_cmpuint (t.safety, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  const gchar *srcdir = g_getenv ("DMAS_SRCDIR");
  if (srcdir == NULL)
    srcdir = DMAS_ABS_SRCDIR;

  Env env = { .registry = scen_registry_new ("consensus-broken"),
              .config_path = g_build_filename (srcdir, "tests", "scenarios", "safety.yaml",
                                               NULL) };

  /* Every consensus component shipped in plugins/consensus (not the broken ones), in the
   * registry's name order. */
  g_autoptr (GPtrArray) list = dmas_registry_list (env.registry);
  g_autoptr (GPtrArray) subjects = g_ptr_array_new ();
  const gchar *builddir = g_getenv ("DMAS_BUILDDIR");
  g_autofree gchar *prefix = g_build_filename (builddir != NULL ? builddir : DMAS_ABS_BUILDDIR,
                                               "plugins", "consensus", ".libs",
                                               G_DIR_SEPARATOR_S, NULL);
  for (guint i = 0; i < list->len; i++)
    {
      const DmasComponentInfo *info = list->pdata[i];
      if (info->kind != DMAS_KIND_CONSENSUS || !g_str_has_prefix (info->file, prefix))
        continue;
      Subject *s = g_new0 (Subject, 1);
      s->env = &env;
      s->name = g_strdup (info->name);
      s->fault_model = ((const DmasConsensusOps *) info->ops)->fault_model;
      g_ptr_array_add (subjects, s);
    }
  for (guint i = 0; i < subjects->len; i++)
    {
      Subject *s = subjects->pdata[i];
      g_autofree gchar *path = g_strdup_printf ("/safety/%s/random-crashes", s->name);
      g_test_add_data_func (path, s, test_random_crashes);
    }
  g_test_add_data_func ("/safety/broken-quorum/checker-fires", &env, test_checker_fires);

  int status = g_test_run ();
  for (guint i = 0; i < subjects->len; i++)
    {
      Subject *s = subjects->pdata[i];
      g_free (s->name);
      g_free (s);
    }
  dmas_registry_free (env.registry);
  g_free (env.config_path);
  return status;
}
