/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The offline llm providers (simulated, replay) driven through their ops. */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include <dmas/dmas.h>

#include "provider-host.h"

/* A context as the host's service builds it; `spec`, job type, gpus and compromised vary. */
static gchar *
context (const gchar *job_type, guint job_gpus, const gchar *spec, guint cluster_gpus,
         gboolean compromised)
{
  return g_strdup_printf (
    "{\"job\":{\"id\":7,\"nodes\":2,\"cores\":16,\"memory_gb\":64,\"gpus\":%u,"
    "\"walltime_s\":3600,\"type\":\"%s\"},"
    "\"cluster\":{\"name\":\"alpha\",\"type\":\"hpc\",\"nodes\":10,\"cores\":32,"
    "\"memory_gb\":128,\"gpus\":%u,\"speed\":1.5,\"free_nodes\":5,\"queued_jobs\":3,"
    "\"running_jobs\":4,\"used_cores\":160},"
    "\"specialisation\":\"%s\",\"compromised\":%s}",
    job_gpus, job_type, cluster_gpus, spec, compromised ? "true" : "false");
}

/* Answers ctx with the simulated provider; asserts DMAS_OK.  Returns the content (g_free). */
static gchar *
simulated (Provider *p, const gchar *ctx, DmasLlmAnswer *out)
{
  DmasLlmRequest req = test_request ("", ctx);
  int rc = p->ops->answer (p->self, &p->ctx.base, &req, out, &p->err);
  if (rc != DMAS_OK)
    g_error ("simulated: %s", p->err.message);
  gchar *content = g_strdup (out->content);
  dmas_llm_answer_clear (out);
  return content;
}

static void
test_simulated_fit (void)
{
  Provider *p = provider_ok ("simulated", NULL, NULL);
  g_autofree gchar *ctx = context ("hpc", 0, "compute", 0, FALSE);
  DmasLlmAnswer out = { 0 };
  g_autofree gchar *content = simulated (p, ctx, &out);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root = parse_json (parser, content);
  g_assert_cmpint (jget_int (root, "job_id"), ==, 7);
  g_assert_cmpstr (jget_str (root, "cluster"), ==, "alpha");
  g_assert_cmpint (jget_int (root, "nodes"), ==, 2);
  /* free 5/10 = 0.5; fit = (16/32 + 64/128) / 2 = 0.5 (no GPUs on the cluster);
   * compute <-> hpc: affinity 1.  0.05 + 0.40*0.5 + 0.25*0.5 + 0.30*1 = 0.675. */
  g_assert_cmpfloat_with_epsilon (jget_num (root, "score"), 0.675, 1e-12);
  g_assert_nonnull (strstr (jget_str (root, "reasoning"), "5 of 10 nodes free"));
  /* Exactly the five members of the closed schema. */
  g_assert_cmpuint (json_object_get_size (json_node_get_object (root)), ==, 5);
  /* Estimates: ceil(bytes / 4). */
  DmasLlmRequest req = test_request ("", ctx);
  g_assert_cmpuint (out.tokens_in, ==, (strlen (req.system) + strlen (req.prompt) + 3) / 4);
  g_assert_cmpuint (out.tokens_out, ==, (strlen (content) + 3) / 4);
  g_assert_cmpuint (out.latency, ==, 0);
  provider_free (p);
}

static void
test_simulated_deterministic (void)
{
  Provider *p = provider_ok ("simulated", NULL, NULL);
  Provider *q = provider_ok ("simulated", NULL, NULL);
  g_autofree gchar *ctx = context ("ai", 1, "gpu", 4, FALSE);
  DmasLlmAnswer out = { 0 };
  g_autofree gchar *a = simulated (p, ctx, &out);
  g_autofree gchar *b = simulated (p, ctx, &out);
  g_autofree gchar *c = simulated (q, ctx, &out);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==, c);
  provider_free (p);
  provider_free (q);
}

static void
test_simulated_affinity (void)
{
  Provider *p = provider_ok ("simulated", NULL, NULL);
  g_autofree gchar *match = context ("ai", 1, "gpu", 4, FALSE);
  g_autofree gchar *neutral = context ("ai", 1, "network", 4, FALSE);
  g_autofree gchar *mismatch = context ("ai", 1, "storage", 4, FALSE);
  gdouble score[3];
  const gchar *ctxs[3] = { match, neutral, mismatch };
  for (int i = 0; i < 3; i++)
    {
      DmasLlmAnswer out = { 0 };
      g_autofree gchar *content = simulated (p, ctxs[i], &out);
      g_autoptr (JsonParser) parser = json_parser_new ();
      score[i] = jget_num (parse_json (parser, content), "score");
    }
  /* Only the affinity term changes: 0.30 * (1 - 0.5) and 0.30 * (0.5 - 0.2), up to the
   * rounding to 3 decimals. */
  g_assert_cmpfloat_with_epsilon (score[0] - score[1], 0.15, 0.0011);
  g_assert_cmpfloat_with_epsilon (score[1] - score[2], 0.09, 0.0011);
  /* free 0.5; fit (0.5 + 0.5 + 0.25) / 3; affinity 1. */
  g_assert_cmpfloat_with_epsilon (score[0], 0.05 + 0.2 + 0.25 * (1.25 / 3) + 0.3, 0.0005);
  provider_free (p);
}

static void
test_simulated_decline_and_compromised (void)
{
  Provider *p = provider_ok ("simulated", NULL, NULL);
  /* One GPU per node asked, none on the cluster: it cannot run the job. */
  g_autofree gchar *no_fit = context ("ai", 1, "gpu", 0, FALSE);
  DmasLlmAnswer out = { 0 };
  g_autofree gchar *declined = simulated (p, no_fit, &out);
  g_autoptr (JsonParser) p1 = json_parser_new ();
  JsonNode *root = parse_json (p1, declined);
  g_assert_cmpfloat (jget_num (root, "score"), ==, 0.0);
  g_assert_cmpint (jget_int (root, "nodes"), ==, 0);
  g_assert_cmpint (jget_int (root, "job_id"), ==, 7);
  g_assert_nonnull (strstr (jget_str (root, "reasoning"), "cannot run job 7"));

  /* Compromised: claims it anyway, with the top score. */
  g_autofree gchar *byz = context ("ai", 1, "gpu", 0, TRUE);
  g_autofree gchar *claimed = simulated (p, byz, &out);
  g_autoptr (JsonParser) p2 = json_parser_new ();
  root = parse_json (p2, claimed);
  g_assert_cmpfloat (jget_num (root, "score"), ==, 1.0);
  g_assert_cmpint (jget_int (root, "nodes"), ==, 2);
  g_assert_nonnull (strstr (jget_str (root, "reasoning"), "compromised"));
  provider_free (p);
}

static void
test_simulated_bad_context (void)
{
  Provider *p = provider_ok ("simulated", NULL, NULL);
  DmasLlmAnswer out = { 0 };
  DmasLlmRequest req = test_request ("", "not json");
  g_assert_cmpint (p->ops->answer (p->self, &p->ctx.base, &req, &out, &p->err), ==,
                   DMAS_EINVAL);
  g_assert_nonnull (strstr (p->err.message, "not a JSON object"));
  g_assert_null (out.content);
  req = test_request ("", "{\"job\":{\"id\":1},\"cluster\":{}}");
  g_assert_cmpint (p->ops->answer (p->self, &p->ctx.base, &req, &out, &p->err), ==,
                   DMAS_EINVAL);
  g_assert_nonnull (strstr (p->err.message, "job.nodes"));
  provider_free (p);
}

/* ---- replay ---- */

#define KEY_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define KEY_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define KEY_C "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

static gchar *
write_cache (const gchar *dir, const gchar *text)
{
  gchar *file = g_build_filename (dir, "cache.jsonl", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_set_contents (file, text, -1, &error));
  g_assert_no_error (error);
  return file;
}

static int
replay (Provider *p, const gchar *key, DmasLlmAnswer *out)
{
  DmasLlmRequest req = test_request ("m", NULL);
  req.key = key;
  return p->ops->answer (p->self, &p->ctx.base, &req, out, &p->err);
}

static void
test_replay (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("dmas-replay-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree gchar *file = write_cache (dir,
    "{\"key\":\"" KEY_A "\",\"model\":\"m\",\"content\":\"first\",\"tokens_in\":10,"
    "\"tokens_out\":3,\"latency_ns\":1500000000}\n"
    "\n"
    "{\"key\":\"" KEY_B "\",\"model\":\"m\",\"error\":\"HTTP 503 after 3 attempts\","
    "\"latency_ns\":7000000000}\n"
    "{\"key\":\"" KEY_A "\",\"model\":\"m\",\"content\":\"second\",\"tokens_in\":11,"
    "\"tokens_out\":4,\"latency_ns\":2000000000}\n");
  g_autofree gchar *param = g_strconcat ("cache=", file, NULL);
  const gchar *params[] = { param, NULL };
  Provider *p = provider_ok ("replay", params, NULL);

  /* The same key answers its recorded lines in order, then keeps the last. */
  DmasLlmAnswer out = { 0 };
  g_assert_cmpint (replay (p, KEY_A, &out), ==, DMAS_OK);
  g_assert_cmpstr (out.content, ==, "first");
  g_assert_cmpuint (out.tokens_in, ==, 10);
  g_assert_cmpuint (out.tokens_out, ==, 3);
  g_assert_cmpuint (out.latency, ==, 1500000000u);
  dmas_llm_answer_clear (&out);
  g_assert_cmpint (replay (p, KEY_A, &out), ==, DMAS_OK);
  g_assert_cmpstr (out.content, ==, "second");
  g_assert_cmpuint (out.latency, ==, 2000000000u);
  dmas_llm_answer_clear (&out);
  g_assert_cmpint (replay (p, KEY_A, &out), ==, DMAS_OK);
  g_assert_cmpstr (out.content, ==, "second");
  dmas_llm_answer_clear (&out);

  /* A recorded failure: EFAIL, with its latency. */
  out = (DmasLlmAnswer) { 0 };
  g_assert_cmpint (replay (p, KEY_B, &out), ==, DMAS_EFAIL);
  g_assert_null (out.content);
  g_assert_cmpuint (out.latency, ==, 7000000000u);
  g_assert_nonnull (strstr (p->err.message, "HTTP 503 after 3 attempts"));

  /* A miss. */
  out = (DmasLlmAnswer) { 0 };
  g_assert_cmpint (replay (p, KEY_C, &out), ==, DMAS_ENOENT);
  g_autofree gchar *want = g_strdup_printf ("not in cache %s: record it first with llm.record",
                                            file);
  g_assert_cmpstr (p->err.message, ==, want);
  provider_free (p);
  g_assert_cmpint (g_remove (file), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_replay_bad_cache (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("dmas-replay-XXXXXX", &error);
  g_assert_no_error (error);

  /* No cache parameter. */
  Provider *p = provider_new ("replay", NULL, NULL);
  g_assert_null (p->self);
  g_assert_nonnull (strstr (p->err.message, "cache"));
  provider_free (p);

  /* A file that is not there. */
  g_autofree gchar *missing = g_build_filename (dir, "nope.jsonl", NULL);
  g_autofree gchar *param0 = g_strconcat ("cache=", missing, NULL);
  const gchar *params0[] = { param0, NULL };
  p = provider_new ("replay", params0, NULL);
  g_assert_null (p->self);
  g_assert_nonnull (strstr (p->err.message, missing));
  provider_free (p);

  /* Bad lines name FILE:LINE. */
  static const struct {
    const gchar *line2, *says;
  } bad[] = {
    { "{\"key\":\"" KEY_B "\",\"content\":", "not JSON" },
    { "{\"key\":\"abc\",\"content\":\"x\"}", "\"key\" must be 64 hex" },
    { "{\"key\":\"" KEY_B "\"}", "exactly one of \"content\"" },
    { "{\"key\":\"" KEY_B "\",\"content\":\"x\",\"error\":\"y\"}", "exactly one of" },
    { "{\"key\":\"" KEY_B "\",\"content\":\"x\",\"latency_ns\":-1}", "latency_ns" },
    { "[1,2]", "not a JSON object" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree gchar *text = g_strconcat ("{\"key\":\"" KEY_A "\",\"content\":\"ok\"}\n",
                                            bad[i].line2, "\n", NULL);
      g_autofree gchar *file = write_cache (dir, text);
      g_autofree gchar *param = g_strconcat ("cache=", file, NULL);
      const gchar *params[] = { param, NULL };
      p = provider_new ("replay", params, NULL);
      g_assert_null (p->self);
      g_autofree gchar *prefix = g_strconcat (file, ":2: ", NULL);
      g_assert_true (g_str_has_prefix (p->err.message, prefix));
      g_assert_nonnull (strstr (p->err.message, bad[i].says));
      g_assert_cmpint (p->err.code, ==, DMAS_EINVAL);
      provider_free (p);
      g_assert_cmpint (g_remove (file), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/llm/simulated/fit", test_simulated_fit);
  g_test_add_func ("/llm/simulated/deterministic", test_simulated_deterministic);
  g_test_add_func ("/llm/simulated/affinity", test_simulated_affinity);
  g_test_add_func ("/llm/simulated/decline-compromised", test_simulated_decline_and_compromised);
  g_test_add_func ("/llm/simulated/bad-context", test_simulated_bad_context);
  g_test_add_func ("/llm/replay/hit-miss-failure", test_replay);
  g_test_add_func ("/llm/replay/bad-cache", test_replay_bad_cache);
  return g_test_run ();
}
