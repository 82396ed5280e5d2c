/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas run` with LLM bidders against the mock: simulated, ollama, openai, replay, no key leak. */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "mock-server.h"

/* A small run: five agents, a dozen one-node jobs, every agent bidding through the model. */
typedef struct {
  gchar *dir;        /* temp dir: working directory and HOME of the run (no stray .env) */
  gchar *out;        /* its results directory */
  gchar *stdout_text, *stderr_text;
  gint status;
} Run;

static gchar *
builddir (void)
{
  const gchar *b = g_getenv ("DMAS_BUILDDIR");
  return g_strdup (b != NULL ? b : DMAS_ABS_BUILDDIR);
}

static gchar *
srcdir (void)
{
  const gchar *s = g_getenv ("DMAS_SRCDIR");
  return g_strdup (s != NULL ? s : DMAS_ABS_SRCDIR);
}

/* Runs dmas with `sets` (NULL-terminated KEY=VALUE) and extra environment `env`
 * (NULL-terminated NAME=VALUE, may be NULL), results to dir/<name>. */
static void
run_dmas (Run *r, const gchar *dir, const gchar *name, const gchar *const *sets,
          const gchar *const *env)
{
  g_autofree gchar *dmas = g_build_filename (builddir (), "dmas", NULL);
  g_autofree gchar *src = srcdir ();
  g_autofree gchar *config = g_build_filename (src, "configs", "single.yaml", NULL);
  memset (r, 0, sizeof *r);
  r->dir = g_strdup (dir);
  r->out = g_build_filename (dir, name, NULL);

  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_strdup (dmas));
  g_ptr_array_add (argv, g_strdup ("run"));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup (r->out));
  static const gchar *const base[] = { "scheduling.bidding=llm", "workload.jobs=12", NULL };
  for (guint i = 0; base[i] != NULL; i++)
    g_ptr_array_add (argv, g_strconcat ("--set=", base[i], NULL));
  for (guint i = 0; sets[i] != NULL; i++)
    g_ptr_array_add (argv, g_strconcat ("--set=", sets[i], NULL));
  g_ptr_array_add (argv, g_strdup (config));
  g_ptr_array_add (argv, NULL);

  g_auto (GStrv) envp = g_get_environ ();
  /* The provider variables of whoever runs the tests must not reach the run. */
  static const gchar *const scrub[] = { "OPENAI_API_KEY", "OPENAI_BASE_URL", "OLLAMA_HOST",
                                        "SAMBASTUDIO_URL", "SAMBASTUDIO_API_KEY",
                                        "SAMBANOVA_API_KEY", NULL };
  for (guint i = 0; scrub[i] != NULL; i++)
    envp = g_environ_unsetenv (envp, scrub[i]);
  envp = g_environ_setenv (envp, "HOME", dir, TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (env[i], "=", 2);
      envp = g_environ_setenv (envp, kv[0], kv[1], TRUE);
    }
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (dir, (gchar **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &r->stdout_text, &r->stderr_text, &r->status, &error));
  g_assert_no_error (error);
  g_ptr_array_unref (argv);
  if (!g_spawn_check_wait_status (r->status, NULL))
    g_test_message ("dmas failed: %s", r->stderr_text);
}

static void
run_clear (Run *r)
{
  g_free (r->dir);
  g_free (r->out);
  g_free (r->stdout_text);
  g_free (r->stderr_text);
}

static void
assert_success (const Run *r)
{
  g_autoptr (GError) error = NULL;
  if (!g_spawn_check_wait_status (r->status, &error))
    g_error ("dmas run failed (%s): %s", error->message, r->stderr_text);
}

/* The summary's numeric member `name` (asserted present). */
static gdouble
summary (const Run *r, const gchar *name)
{
  g_autofree gchar *file = g_build_filename (r->out, "summary.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_file (parser, file, &error));
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (o, name))
    g_error ("%s has no %s", file, name);
  return json_object_get_double_member (o, name);
}

static gchar *
read_text (const gchar *dir, const gchar *name)
{
  g_autofree gchar *file = g_build_filename (dir, name, NULL);
  gchar *text = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (file, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

static void
remove_tree (const gchar *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
      const gchar *name;
      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree gchar *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_remove (path);
}

/* Every file under path that contains `needle`, appended to hits. */
static void
grep_tree (const gchar *path, const gchar *needle, GString *hits)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
      const gchar *name;
      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree gchar *child = g_build_filename (path, name, NULL);
          grep_tree (child, needle, hits);
        }
      return;
    }
  g_autofree gchar *text = NULL;
  gsize len = 0;
  if (g_file_get_contents (path, &text, &len, NULL)
      && g_strstr_len (text, (gssize) len, needle) != NULL)
    g_string_append_printf (hits, " %s", path);
}

static gchar *
tmpdir (void)
{
  g_autoptr (GError) error = NULL;
  gchar *dir = g_dir_make_tmp ("dmas-llm-e2e-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

/* The POSTs the mock received on `path`. */
static guint
count_posts (MockLlmServer *server, const gchar *path)
{
  guint n = 0;
  for (guint i = 0; i < mock_llm_server_n_requests (server); i++)
    {
      g_autofree gchar *p = NULL;
      g_autofree gchar *body = mock_llm_server_request (server, i, &p, NULL);
      if (g_str_equal (p, path) && body[0] != '\0')
        n++;
    }
  return n;
}

static void
test_simulated (void)
{
  g_autofree gchar *dir = tmpdir ();
  const gchar *sets[] = { "llm.provider=simulated", NULL };
  Run a, b;
  run_dmas (&a, dir, "a", sets, NULL);
  assert_success (&a);
  run_dmas (&b, dir, "b", sets, NULL);
  assert_success (&b);
  g_assert_cmpfloat (summary (&a, "llm_calls"), >, 0);
  g_assert_cmpfloat (summary (&a, "llm_attempts"), ==, 0);
  g_assert_cmpfloat (summary (&a, "llm_failures"), ==, 0);
  g_assert_cmpfloat (summary (&a, "llm_invalid"), ==, 0);
  g_assert_cmpfloat (summary (&a, "jobs_submitted"), ==, 12);
  g_assert_cmpfloat (summary (&a, "jobs_completed"), >, 0);
  /* Offline and deterministic: the same schedule twice. */
  g_autofree gchar *ja = read_text (a.out, "jobs.csv");
  g_autofree gchar *jb = read_text (b.out, "jobs.csv");
  g_assert_cmpstr (ja, ==, jb);
  run_clear (&a);
  run_clear (&b);
  remove_tree (dir);
}

static void
test_ollama_record_replay (void)
{
  MockLlmServer *server = mock_llm_server_new ();
  g_autofree gchar *dir = tmpdir ();
  g_autofree gchar *url = g_strconcat ("params.llm/ollama.url=", mock_llm_server_url (server),
                                       NULL);
  g_autofree gchar *cache = g_build_filename (dir, "cache.jsonl", NULL);
  g_autofree gchar *record = g_strconcat ("llm.record=", cache, NULL);
  const gchar *sets[] = { "llm.provider=ollama", url, record, NULL };
  Run rec;
  run_dmas (&rec, dir, "rec", sets, NULL);
  assert_success (&rec);

  guint posts = count_posts (server, "/api/chat");
  g_assert_cmpuint (posts, >, 0);
  g_assert_cmpuint (posts, ==, mock_llm_server_n_requests (server));
  gdouble calls = summary (&rec, "llm_calls");
  g_assert_cmpfloat (calls, >, 0);
  /* The mock never fails: one attempt per call, each with its 100 prompt tokens. */
  g_assert_cmpfloat (summary (&rec, "llm_attempts"), ==, posts);
  g_assert_cmpfloat (summary (&rec, "llm_attempts"), ==, calls);
  g_assert_cmpfloat (summary (&rec, "llm_retries"), ==, 0);
  g_assert_cmpfloat (summary (&rec, "llm_failures"), ==, 0);
  /* The mock reads bid.txt's lines and declines what does not fit: every reply is valid. */
  g_assert_cmpfloat (summary (&rec, "llm_invalid"), ==, 0);
  g_assert_cmpfloat (summary (&rec, "llm_tokens_in"), ==, 100 * calls);
  g_autofree gchar *first = mock_llm_server_request (server, 0, NULL, NULL);
  g_assert_nonnull (strstr (first, "\"format\":{"));
  g_assert_nonnull (strstr (first, "Job id: "));

  /* Replay: no request reaches the server, and the schedule is the recorded one. */
  g_autofree gchar *cache_param = g_strconcat ("params.llm/replay.cache=", cache, NULL);
  const gchar *replay_sets[] = { "llm.provider=replay", cache_param, NULL };
  Run rep;
  run_dmas (&rep, dir, "rep", replay_sets, NULL);
  assert_success (&rep);
  g_assert_cmpuint (mock_llm_server_n_requests (server), ==, posts);
  g_assert_cmpfloat (summary (&rep, "llm_calls"), ==, calls);
  g_assert_cmpfloat (summary (&rep, "llm_failures"), ==, 0);
  g_assert_cmpfloat (summary (&rep, "llm_attempts"), ==, 0);
  g_autofree gchar *jrec = read_text (rec.out, "jobs.csv");
  g_autofree gchar *jrep = read_text (rep.out, "jobs.csv");
  g_assert_cmpstr (jrec, ==, jrep);
  run_clear (&rec);
  run_clear (&rep);
  mock_llm_server_free (server);
  remove_tree (dir);
}

static void
test_openai_key_sentinel (void)
{
  MockLlmServer *server = mock_llm_server_new ();
  g_autofree gchar *dir = tmpdir ();
  g_autofree gchar *sentinel = g_strdup_printf ("sk-sentinel-%08x%08x", g_test_rand_int (),
                                                g_test_rand_int ());
  g_autofree gchar *key = g_strconcat ("OPENAI_API_KEY=", sentinel, NULL);
  g_autofree gchar *url = g_strconcat ("params.llm/openai.url=", mock_llm_server_url (server),
                                       NULL);
  /* Recorded next to the results: the search below covers both. */
  g_autofree gchar *cache = g_build_filename (dir, "cache.jsonl", NULL);
  g_autofree gchar *record = g_strconcat ("llm.record=", cache, NULL);
  const gchar *sets[] = { "llm.provider=openai", url, record, NULL };
  const gchar *env[] = { key, NULL };
  Run r;
  run_dmas (&r, dir, "out", sets, env);
  assert_success (&r);
  g_assert_cmpfloat (summary (&r, "llm_calls"), >, 0);
  g_assert_cmpuint (count_posts (server, "/v1/chat/completions"), >, 0);

  /* The mock saw the key where it belongs ... */
  g_autofree gchar *headers = NULL;
  g_autofree gchar *body = mock_llm_server_request (server, 0, NULL, &headers);
  g_autofree gchar *auth = g_strdup_printf ("Authorization: Bearer %s\r\n", sentinel);
  g_assert_nonnull (strstr (headers, auth));
  g_assert_null (strstr (body, sentinel));
  /* ... and it is nowhere else: not on stdout, stderr, in the results or the record. */
  g_assert_true (g_file_test (cache, G_FILE_TEST_IS_REGULAR));
  g_assert_null (strstr (r.stdout_text, sentinel));
  g_assert_null (strstr (r.stderr_text, sentinel));
  g_autoptr (GString) hits = g_string_new (NULL);
  grep_tree (dir, sentinel, hits);
  g_assert_cmpstr (hits->str, ==, "");
  run_clear (&r);
  mock_llm_server_free (server);
  remove_tree (dir);
}

/* A model that answers garbage or fails: every call falls back to the heuristic, is counted,
 * and the run still schedules its jobs and writes its results. */
static void
test_failures_fall_back (void)
{
  MockLlmServer *server = mock_llm_server_new ();
  g_autofree gchar *dir = tmpdir ();
  g_autofree gchar *url = g_strconcat ("params.llm/ollama.url=", mock_llm_server_url (server),
                                       NULL);
  g_autofree gchar *prose = mock_llm_ollama_chat ("Sure! The GPU cluster is best for this.");
  g_autofree gchar *extra = mock_llm_ollama_chat ("{\"job_id\":1,\"cluster\":\"x\",\"nodes\":1,"
                                                  "\"score\":1,\"reasoning\":\"\",\"sudo\":1}");
  /* More scripted failures than the run makes calls: none of them can succeed. */
  for (guint i = 0; i < 200; i++)
    {
      const MockLlmReply replies[] = {
        { .status = 200, .body = prose },
        { .status = 503, .body = "{\"error\":\"overloaded\"}" },
        { .status = 200, .body = extra },
      };
      mock_llm_server_push (server, &replies[i % 3]);
    }
  const gchar *sets[] = { "llm.provider=ollama", url, "llm.retries=0", NULL };
  Run r;
  run_dmas (&r, dir, "out", sets, NULL);
  assert_success (&r);
  const gdouble calls = summary (&r, "llm_calls");
  g_assert_cmpfloat (calls, >, 0);
  g_assert_cmpfloat (summary (&r, "llm_invalid"), >, 0);
  g_assert_cmpfloat (summary (&r, "llm_failures"), >, 0);
  g_assert_cmpfloat (summary (&r, "llm_retries"), ==, 0);
  g_assert_cmpfloat (summary (&r, "llm_invalid") + summary (&r, "llm_failures"), ==, calls);
  g_assert_cmpfloat (summary (&r, "llm_fallbacks"), ==, calls);
  g_assert_cmpfloat (summary (&r, "jobs_completed"), >, 0);
  run_clear (&r);
  mock_llm_server_free (server);
  remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/llm/e2e/simulated", test_simulated);
  g_test_add_func ("/llm/e2e/ollama-record-replay", test_ollama_record_replay);
  g_test_add_func ("/llm/e2e/openai-key-sentinel", test_openai_key_sentinel);
  g_test_add_func ("/llm/e2e/failures-fall-back", test_failures_fall_back);
  return g_test_run ();
}
