/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas plugins test`: the built-in scenario, its runs, and the one-line result of a property. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "agents/faults.h"
#include "agents/sim.h"
#include "cli/plugins-test-private.h"
#include "config/config.h"

/* The built-in scenario: five agents of different shapes (one without GPUs, one small), twenty
 * Poisson jobs over a minute, 1 ms links with up to 5 ms of jitter so that the messages of one
 * broadcast arrive in different orders, a failure detector fast enough for crashes of seconds.
 * The component under test takes its kind's place; the other kind is a shipped component. */
static const gchar scenario[] =
  "name: plugins-test\n"
  "seed: 1\n"
  "platform:\n"
  "  clusters:\n"
  "    - {name: a, nodes: 4, cores: 8, memory_gb: 16}\n"
  "    - {name: b, nodes: 2, cores: 16, memory_gb: 32, gpus: 1}\n"
  "    - {name: c, nodes: 8, cores: 4, memory_gb: 8}\n"
  "    - {name: d, nodes: 1, cores: 32, memory_gb: 64, gpus: 2}\n"
  "    - {name: e, nodes: 2, cores: 8, memory_gb: 16}\n"
  "workload:\n"
  "  generator: poisson\n"
  "  jobs: 20\n"
  "  span: 60s\n"
  "  nodes: {dist: uniform, min: 1, max: 2}\n"
  "  runtime: {dist: uniform, min: 1s, max: 20s}\n"
  "network:\n"
  "  latency: 1ms\n"
  "  jitter: 5ms\n"
  "heartbeat: {period: 1s, timeout: 3s}\n";

void
plugins_test_report (Tally *t, gboolean ok, const DmasComponentInfo *info,
                     const gchar *property, const gchar *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree gchar *details = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  printf ("%s %s/%s %s (%s)\n", ok ? "PASS" : "FAIL", dmas_kind_to_string (info->kind),
          info->name, property, details);
  fflush (stdout);
  if (ok)
    t->passed++;
  else
    t->failed++;
}

/* The scenario with `info` in its kind's place, and `params` ("KEY=VALUE", nullable) as its
 * parameters, as YAML.  Values go in as YAML scalars, unquoted: the config's own checks see
 * them exactly as if written in a file. */
static gchar *
scenario_for (const DmasComponentInfo *info, const gchar *const *params)
{
  GString *text = g_string_new (scenario);
  g_autoptr (GString) given = g_string_new (NULL);
  for (gsize i = 0; params != NULL && params[i] != NULL; i++)
    {
      const gchar *eq = strchr (params[i], '=');
      g_string_append_printf (given, ", %.*s: %s", (int) (eq - params[i]), params[i], eq + 1);
    }
  /* An llm component answers the LLM bidder of every agent; the auction waits for all bids,
   * however long a model takes. */
  const gchar *bidding = info->kind == DMAS_KIND_BIDDING ? info->name
                         : info->kind == DMAS_KIND_LLM ? "llm" : PARTNER_BIDDING;
  const gchar *consensus = info->kind == DMAS_KIND_CONSENSUS ? info->name : PARTNER_CONSENSUS;
  g_string_append_printf (text, "scheduling: {mode: distributed, bidding: %s, consensus: %s}\n",
                          bidding, consensus);
  if (info->kind == DMAS_KIND_LLM)
    g_string_append_printf (text, "llm: {provider: %s}\n", info->name);
  if (info->kind == DMAS_KIND_FAULT)
    g_string_append_printf (text, "faults:\n  - {type: %s%s}\n", info->name, given->str);
  else if (info->kind == DMAS_KIND_LLM)
    g_string_append_printf (text, "params:\n  consensus/%s: {deadline: 10s}\n"
                            "  llm/%s: {%s}\n", PARTNER_CONSENSUS, info->name,
                            given->len > 0 ? given->str + 2 : "");
  else if (given->len > 0)
    g_string_append_printf (text, "params:\n  %s/%s: {%s}\n", dmas_kind_to_string (info->kind),
                            info->name, given->str + 2);
  return g_string_free (text, FALSE);
}

/* The scenario's config for `info` and `seed`, components resolved.  Returns: (transfer full)
 * or NULL with error set. */
DmasConfig *
plugins_test_load_config (const PluginsTest *pt, const DmasComponentInfo *info, guint64 seed,
                          GError **error)
{
  g_autofree gchar *text = scenario_for (info, pt->params);
  g_autofree gchar *set_seed = g_strdup_printf ("seed=%" G_GUINT64_FORMAT, seed);
  const gchar *sets[] = { set_seed, NULL };
  g_autoptr (DmasConfig) config = dmas_config_load_string (text, "<dmas plugins test scenario>",
                                                           "/", sets, error);
  if (config == NULL || !dmas_registry_fill_config (pt->registry, config, error)
      || !dmas_faults_fill_config (pt->registry, config, error))
    return NULL;
  return g_steal_pointer (&config);
}

void
plugins_test_outcome_clear (Outcome *o)
{
  g_clear_pointer (&o->diagnosis, g_free);
  g_clear_pointer (&o->digest, g_free);
}

/* One run of the scenario with run seed `seed` and `crashes` agents crashed.  The crashes are
 * distinct agents, each at a random time in the first 60 s and restarted 2-40 s later, drawn
 * from a GRand seeded with `seed` (the run is reproduced from its seed alone), as in
 * tests/scenarios/test-safety.c. */
gboolean
plugins_test_run (const PluginsTest *pt, const DmasComponentInfo *info, guint64 seed,
                  guint crashes, Outcome *out, GError **error)
{
  g_autoptr (DmasConfig) config = plugins_test_load_config (pt, info, seed, error);
  if (config == NULL)
    return FALSE;
  g_autoptr (DmasSim) sim = dmas_sim_new (config, pt->registry, error);
  if (sim == NULL)
    return FALSE;

  g_autoptr (GRand) rng = g_rand_new_with_seed ((guint32) (seed ^ (seed >> 32)));
  DmasAgentId order[PLUGINS_TEST_N_AGENTS];
  for (guint a = 0; a < PLUGINS_TEST_N_AGENTS; a++)
    order[a] = a;
  for (guint a = PLUGINS_TEST_N_AGENTS - 1; a > 0; a--)
    {
      guint j = (guint) g_rand_int_range (rng, 0, (gint32) a + 1);
      DmasAgentId tmp = order[a];
      order[a] = order[j];
      order[j] = tmp;
    }
  for (guint k = 0; k < crashes && k < PLUGINS_TEST_N_AGENTS; k++)
    dmas_sim_schedule_crash (sim, order[k], (DmasTime) g_rand_int_range (rng, 0, 60000) * DMAS_MS,
                             (DmasTime) g_rand_int_range (rng, 2000, 40000) * DMAS_MS);

  *out = (Outcome){ 0 };
  out->status = dmas_sim_run (sim, 0.0, FALSE, &out->diagnosis);
  /* One line per property: the diagnosis's first line says what went wrong. */
  if (out->diagnosis != NULL && strchr (out->diagnosis, '\n') != NULL)
    *strchr (out->diagnosis, '\n') = '\0';
  out->digest = dmas_engine_digest (dmas_sim_engine (sim));
  const DmasMetrics *m = dmas_sim_metrics (sim);
  out->safety = m->safety_violations;
  out->validity = m->validity_violations;
  out->faults_injected = m->faults_injected;
  for (guint i = 0; i < m->n_jobs; i++)
    {
      out->undecided += m->jobs[i].state == DMAS_JOB_SUBMITTED
                        && m->jobs[i].accepted != DMAS_TIME_NONE;
      out->jobs_completed += m->jobs[i].state == DMAS_JOB_COMPLETED;
    }
  out->given_up = m->submissions_given_up;
  out->llm_calls = m->llm.calls;
  out->llm_invalid = m->llm.invalid;
  out->llm_failures = m->llm.failures;
  dmas_faults_events (dmas_sim_faults (sim), &out->fault_events);
  return TRUE;
}

/* The same seed twice gives the same trace digest. */
void
plugins_test_check_deterministic (Tally *t, const PluginsTest *pt,
                                  const DmasComponentInfo *info, guint crashes)
{
  g_autoptr (GError) error = NULL;
  Outcome a = { 0 }, b = { 0 };
  if (!plugins_test_run (pt, info, 1, crashes, &a, &error)
      || !plugins_test_run (pt, info, 1, crashes, &b, &error))
    plugins_test_report (t, FALSE, info, "deterministic", "%s", error->message);
  else
    plugins_test_report (t, strcmp (a.digest, b.digest) == 0, info, "deterministic",
                         "seed 1 twice: trace digests %.16s and %.16s", a.digest, b.digest);
  plugins_test_outcome_clear (&a);
  plugins_test_outcome_clear (&b);
}
