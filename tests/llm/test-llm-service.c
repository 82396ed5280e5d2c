/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the LLM service with an offline provider defined here (framework/llm/service.c). */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "llm/service.h"

/* ---- an offline provider scripted by the test ---------------------------------------------- */

typedef struct {
  const gchar *reply;        /* the content to answer (NULL: answer no content) */
  int status;                /* DMAS_OK or the error to return */
  DmasTime latency;          /* reported latency (replay-like), 0: none */
  guint tokens_in, tokens_out;
  guint n_calls;
  /* The last request, copied. */
  gchar *model, *system, *prompt, *schema, *context, *key;
  guint64 seed;
  gdouble temperature;
  guint max_tokens;
} Script;

static void
script_clear_last (Script *s)
{
  g_clear_pointer (&s->model, g_free);
  g_clear_pointer (&s->system, g_free);
  g_clear_pointer (&s->prompt, g_free);
  g_clear_pointer (&s->schema, g_free);
  g_clear_pointer (&s->context, g_free);
  g_clear_pointer (&s->key, g_free);
}

static void *
script_create (DmasCtx *ctx, DmasError *err)
{
  (void) ctx;
  (void) err;
  return NULL;
}

static void
script_destroy (void *self)
{
  (void) self;
}

static int
script_answer (void *self, DmasCtx *ctx, const DmasLlmRequest *req, DmasLlmAnswer *out,
               DmasError *err)
{
  Script *s = self;

  (void) ctx;
  g_assert_cmpuint (req->struct_size, ==, sizeof (DmasLlmRequest));
  s->n_calls++;
  script_clear_last (s);
  s->model = g_strdup (req->model);
  s->system = g_strdup (req->system);
  s->prompt = g_strdup (req->prompt);
  s->schema = g_strdup (req->schema);
  s->context = g_strdup (req->context);
  s->key = g_strdup (req->key);
  s->seed = req->seed;
  s->temperature = req->temperature;
  s->max_tokens = req->max_tokens;
  out->latency = s->latency;
  if (s->status != DMAS_OK)
    {
      g_strlcpy (err->message, "not in cache run.jsonl: record it first with llm.record",
                 sizeof err->message);
      return s->status;
    }
  out->content = s->reply != NULL ? strdup (s->reply) : NULL;
  out->tokens_in = s->tokens_in;
  out->tokens_out = s->tokens_out;
  return DMAS_OK;
}

static const DmasLlmOps SCRIPT_OPS = {
  .struct_size = sizeof (DmasLlmOps),
  .create = script_create,
  .destroy = script_destroy,
  .answer = script_answer,
};

/* ---- fixture --------------------------------------------------------------------------------- */

static const DmasJob JOB = { .id = 7, .nodes = 2, .cores = 16, .memory_gb = 64, .gpus = 2,
                             .walltime = 3600 * DMAS_S, .type = DMAS_JOB_AI };
static const DmasClusterView CLUSTER = {
  .agent = 3, .type = DMAS_CLUSTER_GPU, .nodes = 8, .cores_per_node = 32,
  .memory_gb_per_node = 128, .gpus_per_node = 4, .speed = 1.5, .free_nodes = 6,
  .queued_jobs = 1, .running_jobs = 2, .used_cores = 64,
};

static const gchar CONTEXT[] =
  "{\"job\":{\"id\":7,\"nodes\":2,\"cores\":16,\"memory_gb\":64.0,\"gpus\":2,"
  "\"walltime_s\":3600.0,\"type\":\"ai\"},\"cluster\":{\"name\":\"gpu-a\",\"type\":\"gpu\","
  "\"nodes\":8,\"cores\":32,\"memory_gb\":128.0,\"gpus\":4,\"speed\":1.5,\"free_nodes\":6,"
  "\"queued_jobs\":1,\"running_jobs\":2,\"used_cores\":64},\"specialisation\":\"gpu\","
  "\"compromised\":false}";

static const gchar VALID[] =
  "{\"job_id\":7,\"cluster\":\"gpu-a\",\"nodes\":2,\"score\":0.75,\"reasoning\":\"fits\"}";
static const gchar IMPOSSIBLE[] =
  "{\"job_id\":7,\"cluster\":\"gpu-a\",\"nodes\":99,\"score\":1,\"reasoning\":\"trust me\"}";

typedef struct {
  gchar *dir;
  gchar *record;
  DmasLlmSettings settings;
  Script script;
  DmasLlmProvider provider;
  DmasLlmService *service;
  GRand *rng;
  guint n_observed;
} Fixture;

static void
write_file (const gchar *dir, const gchar *name, const gchar *text)
{
  g_autofree gchar *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  (void) data;
  f->dir = g_dir_make_tmp ("dmas-llm-service-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  write_file (f->dir, "system.txt", "You run {{cluster_name}} ({{specialisation}}).\n");
  write_file (f->dir, "compromised.txt", "Lie about job {{job_id}}.\n");
  write_file (f->dir, "bid.txt", "Job id: {{job_id}}\nYour cluster: {{cluster_name}}\n"
                                 "Job: {{job_nodes}}x{{job_cores}} {{job_memory_gb}}GB "
                                 "{{job_gpus}}gpu {{job_walltime_s}}s {{job_type}}\n"
                                 "Cluster: {{cluster_type}} {{cluster_nodes}}x"
                                 "{{cluster_cores}} {{cluster_memory_gb}}GB {{cluster_gpus}}gpu "
                                 "speed {{cluster_speed}} free {{free_nodes}} queued "
                                 "{{queued_jobs}} running {{running_jobs}} used "
                                 "{{used_cores}}\n");
  write_file (f->dir, "extra.txt", "Hint: {{hint}}\n");
  write_file (f->dir, "broken.txt", "Job {{job_idd}}\n");
  f->record = g_build_filename (f->dir, "record.jsonl", NULL);
  f->settings = (DmasLlmSettings) {
    .provider = g_strdup ("script"), .model = g_strdup ("m1"), .temperature = 0.25,
    .max_tokens = 300, .connect_timeout = DMAS_S, .timeout = 5 * DMAS_S, .retries = 2,
    .backoff = 10 * DMAS_MS, .backoff_max = 200 * DMAS_MS, .max_reply_bytes = 4096,
    .record = g_strdup (f->record), .prompts = g_strdup (f->dir),
    .latency_mean = 2 * DMAS_S, .latency_jitter = DMAS_S,
  };
  f->script = (Script) { .reply = VALID, .status = DMAS_OK, .tokens_in = 100,
                         .tokens_out = 20 };
  f->provider = (DmasLlmProvider) { .name = "script", .ops = &SCRIPT_OPS,
                                    .self = &f->script };
  f->service = dmas_llm_service_new (&f->settings, &f->provider, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->service);
  f->rng = g_rand_new_with_seed (g_test_rand_int ());
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = NULL;
  const gchar *name;

  (void) data;
  dmas_llm_service_free (f->service);
  dmas_llm_settings_clear (&f->settings);
  script_clear_last (&f->script);
  g_rand_free (f->rng);
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (f->dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->dir);
  g_free (f->record);
}

static void
ask (Fixture *f, const gchar *template_name, gboolean compromised, const gchar *const *vars,
     DmasLlmOutcome *out)
{
  DmasLlmAsk a = { .struct_size = sizeof a, .template_name = template_name, .job = &JOB,
                   .cluster = &CLUSTER, .specialisation = "gpu", .vars = vars };
  DmasLlmCall call = { .agent = 3, .agent_name = "gpu-a", .ask = &a,
                       .compromised = compromised, .rng = f->rng };

  dmas_llm_service_call (f->service, &call, out);
}

/* ---- tests --------------------------------------------------------------------------------- */

static void
test_valid_call (Fixture *f, gconstpointer data)
{
  DmasLlmOutcome out;

  (void) data;
  ask (f, "bid", FALSE, NULL, &out);
  g_assert_cmpint (out.result.status, ==, DMAS_OK);
  g_assert_cmpuint (out.result.struct_size, ==, sizeof (DmasLlmResult));
  g_assert_cmpstr (out.result.message, ==, "");
  g_assert_cmpuint (out.result.job, ==, 7);
  g_assert_cmpstr (out.result.cluster, ==, "gpu-a");
  g_assert_cmpuint (out.result.nodes, ==, 2);
  g_assert_cmpfloat (out.result.score, ==, 0.75);
  g_assert_cmpstr (out.result.reasoning, ==, "fits");
  g_assert_cmpstr (out.result.content, ==, VALID);
  g_assert_cmpuint (out.attempts, ==, 0);
  g_assert_cmpuint (out.tokens_in, ==, 100);
  g_assert_cmpuint (out.tokens_out, ==, 20);
  /* What the provider was sent. */
  g_assert_cmpstr (f->script.model, ==, "m1");
  g_assert_cmpstr (f->script.system, ==, "You run gpu-a (gpu).\n");
  g_assert_cmpstr (f->script.prompt, ==,
                   "Job id: 7\nYour cluster: gpu-a\nJob: 2x16 64.0GB 2gpu 3600.0s ai\n"
                   "Cluster: gpu 8x32 128.0GB 4gpu speed 1.5 free 6 queued 1 running 2 "
                   "used 64\n");
  g_assert_cmpstr (f->script.schema, ==, dmas_llm_placement_schema ());
  g_assert_cmpstr (f->script.context, ==, CONTEXT);
  g_assert_cmpfloat (f->script.temperature, ==, 0.25);
  g_assert_cmpuint (f->script.max_tokens, ==, 300);
  g_assert_cmpstr (out.system, ==, f->script.system);
  g_assert_cmpstr (out.prompt, ==, f->script.prompt);
  g_assert_cmpstr (out.key, ==, f->script.key);
  dmas_llm_outcome_clear (&out);
}

/* The key is SHA-256 over the documented fields, computed here independently. */
static void
test_key (Fixture *f, gconstpointer data)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree gchar *seed = NULL;
  DmasLlmOutcome out, again;
  const gchar *fields[8];
  GRand *saved;

  (void) data;
  saved = g_rand_copy (f->rng);
  ask (f, "bid", FALSE, NULL, &out);
  seed = g_strdup_printf ("%" G_GUINT64_FORMAT, f->script.seed);
  fields[0] = "m1";
  fields[1] = f->script.system;
  fields[2] = f->script.prompt;
  fields[3] = dmas_llm_placement_schema ();
  fields[4] = CONTEXT;
  fields[5] = "0.25";
  fields[6] = seed;
  fields[7] = "300";
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    g_checksum_update (sum, (const guchar *) fields[i], (gssize) strlen (fields[i]) + 1);
  g_assert_cmpstr (out.key, ==, g_checksum_get_string (sum));
  g_assert_cmpuint (strlen (out.key), ==, DMAS_LLM_KEY_SIZE);
  /* Same stream state, same request: same key.  The next draw gives another seed, another key. */
  g_rand_free (f->rng);
  f->rng = saved;
  ask (f, "bid", FALSE, NULL, &again);
  g_assert_cmpstr (again.key, ==, out.key);
  dmas_llm_outcome_clear (&again);
  ask (f, "bid", FALSE, NULL, &again);
  g_assert_cmpstr (again.key, !=, out.key);
  dmas_llm_outcome_clear (&again);
  dmas_llm_outcome_clear (&out);
}

/* Two ints (the seed) and one double (the latency) per call, whatever happens. */
static void
test_rng_draws (Fixture *f, gconstpointer data)
{
  const gchar *const shadow[] = { "job_id", "x", NULL };
  GRand *ref = g_rand_copy (f->rng);

  (void) data;
  for (guint round = 0; round < 5; round++)
    {
      DmasLlmOutcome out;
      guint64 hi = g_rand_int (ref), lo = g_rand_int (ref);
      gdouble u = g_rand_double (ref);
      DmasTime expected_latency = (DmasTime) (2e9 + (2 * u - 1) * 1e9 + 0.5);

      switch (round)
        {
        case 0: /* valid */
          ask (f, "bid", FALSE, NULL, &out);
          g_assert_cmpuint (f->script.seed, ==, hi << 32 | lo);
          g_assert_cmpuint (out.latency, ==, expected_latency);
          break;
        case 1: /* invalid reply */
          f->script.reply = "nope";
          ask (f, "bid", FALSE, NULL, &out);
          g_assert_cmpint (out.result.status, ==, DMAS_EINVAL);
          g_assert_cmpuint (out.latency, ==, expected_latency);
          break;
        case 2: /* provider failure */
          f->script.status = DMAS_ENOENT;
          ask (f, "bid", FALSE, NULL, &out);
          g_assert_cmpint (out.result.status, ==, DMAS_EFAIL);
          break;
        case 3: /* unknown template: never reaches the provider */
          ask (f, "missing", FALSE, NULL, &out);
          g_assert_cmpint (out.result.status, ==, DMAS_EFAIL);
          g_assert_cmpuint (out.latency, ==, 0);
          break;
        default: /* a var that shadows a built-in */
          ask (f, "bid", FALSE, shadow, &out);
          g_assert_cmpint (out.result.status, ==, DMAS_EFAIL);
          break;
        }
      dmas_llm_outcome_clear (&out);
      g_assert_cmpuint (g_rand_int (f->rng), ==, g_rand_int (ref));
    }
  g_rand_free (ref);
}

static void
test_latency (Fixture *f, gconstpointer data)
{
  DmasLlmOutcome out;

  (void) data;
  /* A provider-reported latency wins over the distribution. */
  f->script.latency = 123456789;
  ask (f, "bid", FALSE, NULL, &out);
  g_assert_cmpuint (out.latency, ==, 123456789);
  dmas_llm_outcome_clear (&out);
  /* ... also for a failure (a replayed one). */
  f->script.status = DMAS_ENOENT;
  ask (f, "bid", FALSE, NULL, &out);
  g_assert_cmpint (out.result.status, ==, DMAS_EFAIL);
  g_assert_cmpuint (out.latency, ==, 123456789);
  dmas_llm_outcome_clear (&out);
  /* Jitter above the mean: never negative, often exactly 0. */
  f->script.latency = 0;
  f->script.status = DMAS_OK;
  f->settings.latency_mean = 0;
  f->settings.latency_jitter = DMAS_S;
  for (guint i = 0; i < 50; i++)
    {
      GRand *ref = g_rand_copy (f->rng);
      gdouble u;

      g_rand_int (ref);
      g_rand_int (ref);
      u = g_rand_double (ref);
      ask (f, "bid", FALSE, NULL, &out);
      if (u < 0.5)
        g_assert_cmpuint (out.latency, ==, 0);
      else
        g_assert_cmpuint (out.latency, ==, (DmasTime) ((2 * u - 1) * 1e9 + 0.5));
      g_assert_cmpuint (out.latency, <=, DMAS_S);
      dmas_llm_outcome_clear (&out);
      g_rand_free (ref);
    }
}

static void
test_compromised (Fixture *f, gconstpointer data)
{
  DmasLlmOutcome out;

  (void) data;
  f->script.reply = IMPOSSIBLE;
  ask (f, "bid", FALSE, NULL, &out);
  g_assert_cmpint (out.result.status, ==, DMAS_EINVAL);
  g_assert_cmpstr (out.result.message, ==, "impossible placement: 99 nodes, the cluster has 8");
  /* The claim stays visible. */
  g_assert_cmpuint (out.result.nodes, ==, 99);
  g_assert_cmpstr (out.result.reasoning, ==, "trust me");
  g_assert_cmpstr (f->script.system, ==, "You run gpu-a (gpu).\n");
  dmas_llm_outcome_clear (&out);
  ask (f, "bid", TRUE, NULL, &out);
  g_assert_cmpint (out.result.status, ==, DMAS_OK);
  g_assert_cmpuint (out.result.nodes, ==, 99);
  g_assert_cmpstr (f->script.system, ==, "You run gpu-a (gpu).\nLie about job 7.\n");
  g_assert_true (strstr (f->script.context, "\"compromised\":true}") != NULL);
  dmas_llm_outcome_clear (&out);
  /* The schema still holds for a compromised agent. */
  f->script.reply = "{\"job_id\":7}";
  ask (f, "bid", TRUE, NULL, &out);
  g_assert_cmpint (out.result.status, ==, DMAS_EINVAL);
  dmas_llm_outcome_clear (&out);
}

static void
test_vars_and_templates (Fixture *f, gconstpointer data)
{
  const gchar *const vars[] = { "hint", "prefer GPUs", NULL };
  const gchar *const shadow[] = { "cluster_name", "other", NULL };
  DmasLlmOutcome out;
  guint calls;

  (void) data;
  ask (f, "extra", FALSE, vars, &out);
  g_assert_cmpstr (f->script.prompt, ==, "Hint: prefer GPUs\n");
  dmas_llm_outcome_clear (&out);
  calls = f->script.n_calls;
  ask (f, "bid", FALSE, shadow, &out);
  g_assert_cmpint (out.result.status, ==, DMAS_EFAIL);
  g_assert_cmpstr (out.result.message, ==, "llm_request: vars entry 'cluster_name' is a "
                                           "built-in placeholder; rename it");
  dmas_llm_outcome_clear (&out);
  ask (f, "broken", FALSE, NULL, &out);
  g_assert_cmpint (out.result.status, ==, DMAS_EFAIL);
  g_assert_true (strstr (out.result.message, "broken.txt:1: unknown placeholder {{job_idd}} "
                         "(known: job_id, job_nodes,") != NULL);
  g_assert_null (out.result.content);
  dmas_llm_outcome_clear (&out);
  ask (f, "../system", FALSE, NULL, &out);
  g_assert_cmpint (out.result.status, ==, DMAS_EFAIL);
  dmas_llm_outcome_clear (&out);
  g_assert_cmpuint (f->script.n_calls, ==, calls);
}

static void
test_counters_and_observer_cb (gpointer data, const DmasLlmCall *call,
                               const DmasLlmOutcome *outcome)
{
  Fixture *f = data;

  g_assert_cmpstr (call->agent_name, ==, "gpu-a");
  g_assert_nonnull (outcome->result.message);
  f->n_observed++;
}

static void
test_counters (Fixture *f, gconstpointer data)
{
  const DmasLlmCounters *c = dmas_llm_service_counters (f->service);
  DmasTime latencies[4];
  gdouble sum = 0, max = 0;
  DmasLlmOutcome out;

  (void) data;
  dmas_llm_service_set_observer (f->service, test_counters_and_observer_cb, f);
  ask (f, "bid", FALSE, NULL, &out);                       /* ok */
  latencies[0] = out.latency;
  dmas_llm_outcome_clear (&out);
  f->script.reply = "{";
  ask (f, "bid", FALSE, NULL, &out);                       /* invalid */
  latencies[1] = out.latency;
  dmas_llm_outcome_clear (&out);
  f->script.reply = NULL;
  ask (f, "bid", FALSE, NULL, &out);                       /* failure: no content */
  g_assert_cmpstr (out.result.message, ==, "script: answered no content");
  latencies[2] = out.latency;
  dmas_llm_outcome_clear (&out);
  ask (f, "missing", FALSE, NULL, &out);                   /* failure: template */
  latencies[3] = out.latency;
  dmas_llm_outcome_clear (&out);
  g_assert_cmpuint (c->calls, ==, 4);
  g_assert_cmpuint (c->attempts, ==, 0);
  g_assert_cmpuint (c->retries, ==, 0);
  g_assert_cmpuint (c->invalid, ==, 1);
  g_assert_cmpuint (c->failures, ==, 2);
  g_assert_cmpuint (c->tokens_in, ==, 200);
  g_assert_cmpuint (c->tokens_out, ==, 40);
  for (guint i = 0; i < 4; i++)
    {
      sum += (gdouble) latencies[i] / 1e9;
      max = MAX (max, (gdouble) latencies[i] / 1e9);
    }
  g_assert_cmpfloat_with_epsilon (c->latency_sum_s, sum, 1e-9);
  g_assert_cmpfloat (c->latency_max_s, ==, max);
  g_assert_cmpfloat (c->wall_s, >=, 0);
  g_assert_cmpuint (f->n_observed, ==, 4);
}

static JsonObject *
record_line (JsonParser *parser, const gchar *line)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, line, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_record (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree gchar *text = NULL;
  g_auto (GStrv) lines = NULL;
  DmasLlmOutcome ok, failed, invalid, skipped;
  JsonObject *o;

  (void) data;
  ask (f, "bid", FALSE, NULL, &ok);
  f->script.status = DMAS_ENOENT;
  f->script.latency = 42;
  ask (f, "bid", FALSE, NULL, &failed);
  f->script.status = DMAS_OK;
  f->script.reply = "caf\xe9 \"line\"\n";
  ask (f, "bid", FALSE, NULL, &invalid);
  ask (f, "missing", FALSE, NULL, &skipped);
  g_assert_true (g_file_get_contents (f->record, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4); /* three lines and the empty tail */
  g_assert_cmpstr (lines[3], ==, "");

  o = record_line (parser, lines[0]);
  g_assert_cmpuint (json_object_get_size (o), ==, 6);
  g_assert_cmpstr (json_object_get_string_member (o, "key"), ==, ok.key);
  g_assert_cmpstr (json_object_get_string_member (o, "model"), ==, "m1");
  g_assert_cmpstr (json_object_get_string_member (o, "content"), ==, VALID);
  g_assert_cmpint (json_object_get_int_member (o, "tokens_in"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (o, "tokens_out"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (o, "latency_ns"), ==, (gint64) ok.latency);

  o = record_line (parser, lines[1]);
  g_assert_cmpuint (json_object_get_size (o), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (o, "key"), ==, failed.key);
  g_assert_cmpstr (json_object_get_string_member (o, "error"), ==,
                   "script: not in cache run.jsonl: record it first with llm.record");
  g_assert_cmpint (json_object_get_int_member (o, "latency_ns"), ==, 42);

  /* Invalid UTF-8 is replaced once: what is judged is what is recorded. */
  o = record_line (parser, lines[2]);
  g_assert_cmpstr (json_object_get_string_member (o, "content"), ==,
                   "caf\xef\xbf\xbd \"line\"\n");
  g_assert_cmpstr (invalid.result.content, ==, "caf\xef\xbf\xbd \"line\"\n");
  g_assert_cmpint (invalid.result.status, ==, DMAS_EINVAL);
  dmas_llm_outcome_clear (&ok);
  dmas_llm_outcome_clear (&failed);
  dmas_llm_outcome_clear (&invalid);
  dmas_llm_outcome_clear (&skipped);
}

static void
test_new_errors (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *empty = g_dir_make_tmp ("dmas-llm-empty-XXXXXX", NULL);
  DmasLlmSettings s = f->settings;
  DmasLlmOps neither = { .struct_size = sizeof neither, .create = script_create,
                         .destroy = script_destroy };
  DmasLlmProvider bad = { .name = "neither", .ops = &neither };

  (void) data;
  s.prompts = empty;
  g_assert_null (dmas_llm_service_new (&s, &f->provider, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_true (strstr (error->message, "system.txt") != NULL);
  g_clear_error (&error);
  s = f->settings;
  s.record = (gchar *) "/nonexistent-dir/record.jsonl";
  g_assert_null (dmas_llm_service_new (&s, &f->provider, &error));
  g_assert_true (strstr (error->message, "/nonexistent-dir/record.jsonl: cannot open the "
                         "record file") != NULL);
  g_clear_error (&error);
  g_assert_null (dmas_llm_service_new (&f->settings, &bad, &error));
  g_assert_true (strstr (error->message, "neither answer nor http_build") != NULL);
  g_assert_cmpint (g_rmdir (empty), ==, 0);
}

static void
test_schema_text (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *root, *props;

  g_assert_true (json_parser_load_from_data (parser, dmas_llm_placement_schema (), -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (root, "additionalProperties"));
  props = json_object_get_object_member (root, "properties");
  g_assert_cmpuint (json_object_get_size (props), ==, 5);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (props, "cluster"),
                                               "maxLength"), ==, 64);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (props,
                                                                              "reasoning"),
                                               "maxLength"), ==, 1000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, setup, fn, teardown)
  ADD ("/llm/service/valid-call", test_valid_call);
  ADD ("/llm/service/key", test_key);
  ADD ("/llm/service/rng-draws", test_rng_draws);
  ADD ("/llm/service/latency", test_latency);
  ADD ("/llm/service/compromised", test_compromised);
  ADD ("/llm/service/vars-and-templates", test_vars_and_templates);
  ADD ("/llm/service/counters", test_counters);
  ADD ("/llm/service/record", test_record);
  ADD ("/llm/service/new-errors", test_new_errors);
#undef ADD
  g_test_add_func ("/llm/service/schema-text", test_schema_text);
  return g_test_run ();
}
