/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers of the Byzantine tests: in-process runs of the configs of tests/faults-byz. */
#include "config.h"

#include "agents/faults.h"
#include "byz-run.h"
#include "../scenarios/scen-registry.h"

ByzEnv *
byz_env_new (void)
{
  const gchar *srcdir = g_getenv ("DMAS_SRCDIR");
  if (srcdir == NULL)
    srcdir = DMAS_ABS_SRCDIR;

  ByzEnv *env = g_new0 (ByzEnv, 1);
  env->registry = scen_registry_new ("faults-byz");
  env->srcdir = g_strdup (srcdir);
  return env;
}

void
byz_env_free (ByzEnv *env)
{
  dmas_registry_free (env->registry);
  g_free (env->srcdir);
  g_free (env);
}

void
byz_run (const ByzEnv *env, const gchar *config, const gchar *consensus, guint64 seed,
         const gchar *const *sets, ByzRun *run)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar *path = g_build_filename (env->srcdir, "tests", "faults-byz", config, NULL);

  g_ptr_array_add (all, g_strdup_printf ("scheduling.consensus=%s", consensus));
  g_ptr_array_add (all, g_strdup_printf ("seed=%" G_GUINT64_FORMAT, seed));
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    g_ptr_array_add (all, g_strdup (sets[i]));
  g_ptr_array_add (all, NULL);

  *run = (ByzRun) { 0 };
  run->config = dmas_config_load (path, (const gchar *const *) all->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (dmas_registry_fill_config (env->registry, run->config, &error));
  g_assert_true (dmas_faults_fill_config (env->registry, run->config, &error));
  g_assert_no_error (error);
  run->sim = dmas_sim_new (run->config, env->registry, &error);
  g_assert_no_error (error);
  run->status = dmas_sim_run (run->sim, 0.0, FALSE, &run->diagnosis);
}

void
byz_run_clear (ByzRun *run)
{
  g_clear_pointer (&run->sim, dmas_sim_free);
  g_clear_pointer (&run->config, dmas_config_free);
  g_clear_pointer (&run->diagnosis, g_free);
}

gdouble
byz_plugin_metric (const ByzRun *run, const gchar *name)
{
  const gdouble *v = g_hash_table_lookup (dmas_sim_metrics (run->sim)->plugin, name);
  return v != NULL ? *v : 0.0;
}

void
byz_summary (const ByzRun *run, DmasMetricsSummary *out)
{
  dmas_metrics_summarize (dmas_sim_metrics (run->sim), out);
}
