/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The host side of fault injection: resolving `faults:` entries, the fault calls, the log. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib.h>

#include <dmas/dmas.h>
#include "agents/faults.h"
#include "agents/sim.h"
#include "config/config.h"
#include "plugin/registry.h"

static void
assert_contains (const gchar *text, const gchar *needle)
{
  if (strstr (text, needle) == NULL)
    g_test_message ("'%s' does not contain '%s'", text, needle);
  g_assert_nonnull (strstr (text, needle));
}

/* Two agents, a few short jobs, the faults given as a YAML flow list. */
static DmasConfig *
load (const gchar *faults, GError **error)
{
  g_autofree gchar *text = g_strdup_printf (
      "name: t\nseed: 3\nhorizon: 10s\n"
      "platform:\n  clusters:\n    - {name: a, cores: 8, memory_gb: 64, gpus: 4}\n"
      "    - {name: b, cores: 8, memory_gb: 64, gpus: 4}\n"
      "workload: {generator: constant, jobs: 4}\n"
      "faults: %s\n", faults);
  return dmas_config_load_string (text, "t.yaml", "/", NULL, error);
}

/* The plugins of this build tree. */
static DmasRegistry *
registry (void)
{
  const gchar *build = g_getenv ("DMAS_BUILDDIR");
  g_assert_nonnull (build);
  g_autofree gchar *bidding = g_build_filename (build, "plugins", "bidding", ".libs", NULL);
  g_autofree gchar *consensus = g_build_filename (build, "plugins", "consensus", ".libs", NULL);
  g_autofree gchar *faults = g_build_filename (build, "plugins", "faults", ".libs", NULL);
  const gchar *dirs[] = { bidding, consensus, faults, NULL };
  DmasRegistry *r = dmas_registry_new ();
  dmas_registry_scan (r, dirs, NULL);
  g_assert_nonnull (dmas_registry_find (r, DMAS_KIND_FAULT, "crash"));
  return r;
}

/* Each entry comes back as {type, every parameter in spec order, defaults filled}. */
static void
test_fill_config (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = load ("[{at: 5s, type: fault/crash}, {type: crash, count: 2, "
                                        "restart_after: 1s, every: 3s}]", &error);
  g_autoptr (DmasRegistry) r = registry ();

  g_assert_no_error (error);
  g_assert_true (dmas_faults_fill_config (r, config, &error));
  g_assert_no_error (error);
  g_autofree gchar *yaml = dmas_config_to_yaml (config);
  assert_contains (yaml, "faults:\n"
                         "- type: fault/crash\n"
                         "  agents: random:1\n"
                         "  pattern: fixed\n"
                         "  at: 5s\n"
                         "  every: 0s\n"
                         "  mtbf: 1h\n"
                         "  restart_after: never\n"
                         "  count: 1\n"
                         "  mttr: 0s\n"
                         "  neighbours: 1\n"
                         "  cascade_factor: 10\n"
                         "  cascade_window: 60s\n"
                         "- type: crash\n"
                         "  agents: random:1\n"
                         "  pattern: fixed\n"
                         "  at: 0s\n"
                         "  every: 3s\n"
                         "  mtbf: 1h\n"
                         "  restart_after: 1s\n"
                         "  count: 2\n"
                         "  mttr: 0s\n"
                         "  neighbours: 1\n"
                         "  cascade_factor: 10\n"
                         "  cascade_window: 60s\n");
  /* Filling twice changes nothing (the run resolves the entries again). */
  g_assert_true (dmas_faults_fill_config (r, config, &error));
  g_autofree gchar *again = dmas_config_to_yaml (config);
  g_assert_cmpstr (yaml, ==, again);
}

/* Problems the plugin registry finds, with the position in the file and what to write. */
static void
test_fill_config_errors (void)
{
  static const struct {
    const gchar *faults;
    gint code;
    const gchar *message;
  } cases[] = {
    { "[{type: crsh}]", DMAS_PLUGIN_ERROR_NOT_FOUND,
      "t.yaml:9:17: faults[0].type: no fault component 'crsh' found (did you mean 'crash'?)" },
    { "[{type: crash}, {type: crash, att: 5s}]", DMAS_PLUGIN_ERROR_PARAMS,
      "t.yaml:9:39: unknown parameter 'att' for fault/crash (did you mean 'at'?)" },
    { "[{type: crash, at: soon}]", DMAS_PLUGIN_ERROR_PARAMS,
      "t.yaml:9:28: parameter 'at' of fault/crash: 'soon' is not a duration" },
    { "[{type: crash, count: [1]}]", DMAS_PLUGIN_ERROR_PARAMS,
      "t.yaml:9:31: parameter 'count' of fault/crash must be a single int value, not a list" },
  };
  g_autoptr (DmasRegistry) r = registry ();

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (DmasConfig) config = load (cases[i].faults, &error);

      g_assert_no_error (error);
      g_assert_false (dmas_faults_fill_config (r, config, &error));
      g_assert_error (error, DMAS_PLUGIN_ERROR, cases[i].code);
      assert_contains (error->message, cases[i].message);
    }
}

/* A parameter the component refuses at create() is a config error with the entry's place. */
static void
test_create_refused (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = load ("[{type: crash}, {type: crash, agents: '0,2'}]", &error);
  g_autoptr (DmasRegistry) r = registry ();

  g_assert_no_error (error);
  g_assert_null (dmas_sim_new (config, r, &error));
  g_assert_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS);
  g_assert_cmpstr (error->message, ==,
                   "t.yaml:9:25: faults[1]: fault/crash: agents: there is no agent 2 (the "
                   "platform has agents 0 to 1)");
}

/* Fault components need the registry: the in-test path refuses a config that has some. */
static void
test_without_registry (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = load ("[{type: crash}]", &error);
  g_autoptr (DmasRegistry) r = registry ();
  const DmasComponentInfo *bidding = dmas_registry_find (r, DMAS_KIND_BIDDING, "heuristic");
  const DmasComponentInfo *consensus = dmas_registry_find (r, DMAS_KIND_CONSENSUS, "auction");

  g_assert_no_error (error);
  g_assert_null (dmas_sim_new_with_components (config, bidding, NULL, consensus, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  assert_contains (error->message, "faults: fault components need the plugin registry");
}

/* The log: two agents crash at the same instant (in the order the entry set them), restart
 * 250 ms later; faults.jsonl writes the times exactly. */
static void
test_log (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = load ("[{type: crash, agents: '1,0', at: 1.5s, "
                                        "restart_after: 250ms}]", &error);
  g_autoptr (DmasRegistry) r = registry ();

  g_assert_no_error (error);
  g_autoptr (DmasSim) sim = dmas_sim_new (config, r, &error);
  g_assert_no_error (error);
  g_autofree gchar *diagnosis = NULL;
  dmas_sim_run (sim, 0.0, FALSE, &diagnosis);

  guint n = 0;
  const DmasFaultEvent *events = dmas_faults_events (dmas_sim_faults (sim), &n);
  g_assert_cmpuint (n, ==, 4);
  const DmasFaultEvent expected[] = {
    { 1500 * DMAS_MS, "crash", 0, 0, NULL },
    { 1500 * DMAS_MS, "crash", 1, 0, NULL },
    { 1750 * DMAS_MS, "restart", 0, 0, NULL },
    { 1750 * DMAS_MS, "restart", 1, 0, NULL },
  };
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (events[i].t, ==, expected[i].t);
      g_assert_cmpstr (events[i].fault, ==, expected[i].fault);
      g_assert_null (events[i].details);
      g_assert_cmpuint (events[i].agent, ==, expected[i].agent);
      g_assert_cmpuint (events[i].entry, ==, expected[i].entry);
    }
  g_assert_cmpuint (dmas_sim_metrics (sim)->faults_injected, ==, 2);

  g_autofree gchar *jsonl = dmas_faults_to_jsonl (dmas_sim_faults (sim));
  const gchar *params = "\"agents\":\"1,0\",\"pattern\":\"fixed\",\"at\":\"1.5s\","
                        "\"every\":\"0s\",\"mtbf\":\"1h\",\"restart_after\":\"250ms\","
                        "\"count\":1,\"mttr\":\"0s\",\"neighbours\":1,"
                        "\"cascade_factor\":10,\"cascade_window\":\"60s\"}\n";
  g_autofree gchar *want = g_strdup_printf (
      "{\"t\":1.5,\"fault\":\"crash\",\"agent\":0,\"source\":\"crash#0\",%s"
      "{\"t\":1.5,\"fault\":\"crash\",\"agent\":1,\"source\":\"crash#0\",%s"
      "{\"t\":1.75,\"fault\":\"restart\",\"agent\":0,\"source\":\"crash#0\",%s"
      "{\"t\":1.75,\"fault\":\"restart\",\"agent\":1,\"source\":\"crash#0\",%s",
      params, params, params, params);
  g_assert_cmpstr (jsonl, ==, want);
}

/* ---- only fault components may call the fault capability ---- */

static void *
nosy_create (DmasCtx *ctx, DmasError *err)
{
  (void) err;
  g_assert_cmpint (ctx->api->fault_crash (ctx, 0), ==, DMAS_ESTATE);
  g_assert_cmpint (ctx->api->fault_restart (ctx, 0), ==, DMAS_ESTATE);
  g_assert_cmpint (ctx->api->agent_up (ctx, 0), ==, DMAS_ESTATE);
  g_assert_cmpint (ctx->api->fault_crash (ctx, 99), ==, DMAS_ESTATE);
  ctx->api->metric (ctx, "nosy", 1.0);
  return g_new0 (int, 1);
}

static int
nosy_bid (void *self, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
          DmasBid *out, DmasError *err)
{
  (void) self, (void) ctx, (void) job, (void) cluster, (void) err;
  out->score = 0.0;
  return DMAS_OK;
}

static const DmasBiddingOps nosy_ops = {
  .struct_size = sizeof (DmasBiddingOps),
  .create = nosy_create,
  .destroy = g_free,
  .bid = nosy_bid,
};

static const DmasParamSpec no_params[] = { { NULL, 0, NULL, NULL } };

static const DmasComponentInfo nosy_info = {
  .kind = DMAS_KIND_BIDDING, .name = "nosy", .summary = "test", .plugin = "test",
  .version = "0", .file = "test", .api_major = 1, .api_minor = 1, .params = no_params,
  .ops = &nosy_ops,
};

static void
test_refused_for_other_kinds (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = load ("[]", &error);
  g_autoptr (DmasRegistry) r = registry ();
  const DmasComponentInfo *auction = dmas_registry_find (r, DMAS_KIND_CONSENSUS, "auction");
  DmasNode *auction_params = dmas_component_resolve_params (auction, NULL, &error);

  g_assert_no_error (error);
  g_autoptr (DmasSim) sim = dmas_sim_new_with_components (config, &nosy_info, NULL, auction,
                                                          auction_params, &error);
  g_assert_no_error (error);
  /* Every agent's bidder made the calls and was refused each time. */
  g_assert_cmpfloat (dmas_metrics_get (dmas_sim_metrics (sim), "nosy"), ==, 2.0);
  guint n = 0;
  dmas_faults_events (dmas_sim_faults (sim), &n);
  g_assert_cmpuint (n, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/faults/config/fill", test_fill_config);
  g_test_add_func ("/faults/config/errors", test_fill_config_errors);
  g_test_add_func ("/faults/create/refused", test_create_refused);
  g_test_add_func ("/faults/sim/without-registry", test_without_registry);
  g_test_add_func ("/faults/log/events-and-jsonl", test_log);
  g_test_add_func ("/faults/host-api/refused-for-other-kinds", test_refused_for_other_kinds);
  return g_test_run ();
}
