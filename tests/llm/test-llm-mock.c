/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Self-test of the loopback mock LLM server, with libcurl as the client. */
#include <string.h>

#include <curl/curl.h>
#include <glib.h>
#include <json-glib/json-glib.h>

#include "mock-server.h"

typedef struct {
  CURLcode code;
  long status;
  GString *body;
  GString *headers;
} Exchange;

static size_t
on_data (char *p, size_t size, size_t n, void *data)
{
  g_string_append_len (data, p, (gssize) (size * n));
  return size * n;
}

/* One exchange: POST when body != NULL, else GET.  timeout_ms 0: 10 s. */
static Exchange
exchange (const gchar *url, const gchar *body, const gchar *header, long timeout_ms)
{
  Exchange ex = { .body = g_string_new (NULL), .headers = g_string_new (NULL) };
  CURL *curl = curl_easy_init ();
  struct curl_slist *list = curl_slist_append (NULL, "Content-Type: application/json");
  if (header != NULL)
    list = curl_slist_append (list, header);
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 10000L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, ex.body);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, on_data);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, ex.headers);
  if (body != NULL)
    curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
  ex.code = curl_easy_perform (curl);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &ex.status);
  curl_slist_free_all (list);
  curl_easy_cleanup (curl);
  return ex;
}

static void
exchange_clear (Exchange *ex)
{
  g_string_free (ex->body, TRUE);
  g_string_free (ex->headers, TRUE);
}

static JsonObject *
parse_object (JsonParser *parser, const gchar *text)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* Checks the placement text answers job 7 on cluster "alpha east" with 3 nodes. */
static void
assert_placement (const gchar *content)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = parse_object (parser, content);
  g_assert_cmpint (json_object_get_int_member (o, "job_id"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (o, "cluster"), ==, "alpha east");
  g_assert_cmpint (json_object_get_int_member (o, "nodes"), ==, 3);
  gdouble score = json_object_get_double_member (o, "score");
  g_assert_cmpfloat (score, >=, 0.30);
  g_assert_cmpfloat (score, <, 0.90);
  g_assert_true (json_object_has_member (o, "reasoning"));
}

#define PROMPT "Job id: 7\\nJob nodes: 3\\nYour cluster: alpha east\\nAnswer in JSON."

static void
test_default_protocols (void)
{
  MockLlmServer *server = mock_llm_server_new ();
  const gchar *url = mock_llm_server_url (server);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));

  /* Ollama chat: the prompt in messages[].content. */
  g_autofree gchar *chat_url = g_strconcat (url, "/api/chat", NULL);
  Exchange ex = exchange (chat_url,
                          "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":"
                          "\"be brief\"},{\"role\":\"user\",\"content\":\"" PROMPT "\"}]}",
                          "X-Test: one", 0);
  g_assert_cmpint (ex.code, ==, CURLE_OK);
  g_assert_cmpint (ex.status, ==, 200);
  {
    g_autoptr (JsonParser) p = json_parser_new ();
    JsonObject *o = parse_object (p, ex.body->str);
    assert_placement (json_object_get_string_member (json_object_get_object_member (o,
                                                                                     "message"),
                                                     "content"));
    g_assert_cmpint (json_object_get_int_member (o, "prompt_eval_count"), ==, 100);
    g_assert_cmpint (json_object_get_int_member (o, "eval_count"), >, 0);
  }
  exchange_clear (&ex);

  /* Ollama generate: the prompt in `prompt`. */
  g_autofree gchar *gen_url = g_strconcat (url, "/api/generate", NULL);
  ex = exchange (gen_url, "{\"model\":\"m\",\"prompt\":\"" PROMPT "\"}", NULL, 0);
  g_assert_cmpint (ex.status, ==, 200);
  {
    g_autoptr (JsonParser) p = json_parser_new ();
    assert_placement (json_object_get_string_member (parse_object (p, ex.body->str),
                                                     "response"));
  }
  exchange_clear (&ex);

  /* OpenAI. */
  g_autofree gchar *oa_url = g_strconcat (url, "/v1/chat/completions", NULL);
  ex = exchange (oa_url, "{\"messages\":[{\"role\":\"user\",\"content\":\"" PROMPT "\"}]}",
                 "Authorization: Bearer sk-test", 0);
  g_assert_cmpint (ex.status, ==, 200);
  {
    g_autoptr (JsonParser) p = json_parser_new ();
    JsonObject *o = parse_object (p, ex.body->str);
    JsonObject *choice = json_array_get_object_element (json_object_get_array_member (o,
                                                                                       "choices"),
                                                        0);
    assert_placement (json_object_get_string_member (json_object_get_object_member (choice,
                                                                                     "message"),
                                                     "content"));
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "usage"),
                                                 "prompt_tokens"), ==, 100);
  }
  exchange_clear (&ex);

  /* Anything else: SambaStudio. */
  g_autofree gchar *ss_url = g_strconcat (url, "/api/predict/generic/p/e", NULL);
  ex = exchange (ss_url, "{\"instance\":\"" PROMPT "\",\"params\":{}}", "key: k", 0);
  g_assert_cmpint (ex.status, ==, 200);
  {
    g_autoptr (JsonParser) p = json_parser_new ();
    JsonObject *o = parse_object (p, ex.body->str);
    JsonObject *r = json_array_get_object_element (
      json_object_get_array_member (json_object_get_object_member (o, "result"), "responses"),
      0);
    assert_placement (json_object_get_string_member (r, "completion"));
  }
  exchange_clear (&ex);

  /* The log: paths, headers and bodies in arrival order. */
  g_assert_cmpuint (mock_llm_server_n_requests (server), ==, 4);
  g_autofree gchar *path = NULL, *headers = NULL;
  g_autofree gchar *body = mock_llm_server_request (server, 0, &path, &headers);
  g_assert_cmpstr (path, ==, "/api/chat");
  g_assert_nonnull (strstr (headers, "X-Test: one\r\n"));
  g_assert_nonnull (strstr (body, "be brief"));
  g_autofree gchar *path2 = NULL, *headers2 = NULL;
  g_autofree gchar *body2 = mock_llm_server_request (server, 2, &path2, &headers2);
  g_assert_cmpstr (path2, ==, "/v1/chat/completions");
  g_assert_nonnull (strstr (headers2, "Authorization: Bearer sk-test\r\n"));
  g_assert_null (mock_llm_server_request (server, 4, NULL, NULL));
  mock_llm_server_free (server);
}

static void
test_models (void)
{
  MockLlmServer *server = mock_llm_server_new ();
  const gchar *models[] = { "llama3.1:8b", "qwen2.5:7b", NULL };
  mock_llm_server_set_models (server, models);
  g_autofree gchar *tags = g_strconcat (mock_llm_server_url (server), "/api/tags", NULL);
  Exchange ex = exchange (tags, NULL, NULL, 0);
  g_assert_cmpint (ex.status, ==, 200);
  {
    g_autoptr (JsonParser) p = json_parser_new ();
    JsonArray *a = json_object_get_array_member (parse_object (p, ex.body->str), "models");
    g_assert_cmpuint (json_array_get_length (a), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (a, 1),
                                                    "name"), ==, "qwen2.5:7b");
  }
  exchange_clear (&ex);
  g_autofree gchar *list = g_strconcat (mock_llm_server_url (server), "/v1/models", NULL);
  ex = exchange (list, NULL, NULL, 0);
  g_assert_cmpint (ex.status, ==, 200);
  g_assert_nonnull (strstr (ex.body->str, "\"id\":\"llama3.1:8b\""));
  exchange_clear (&ex);
  g_autofree gchar *nowhere = g_strconcat (mock_llm_server_url (server), "/nowhere", NULL);
  ex = exchange (nowhere, NULL, NULL, 0);
  g_assert_cmpint (ex.status, ==, 404);
  exchange_clear (&ex);
  mock_llm_server_free (server);
}

static void
test_scripted (void)
{
  MockLlmServer *server = mock_llm_server_new ();
  g_autofree gchar *url = g_strconcat (mock_llm_server_url (server), "/api/chat", NULL);
  mock_llm_server_push (server, &(MockLlmReply) { .status = 429,
                                                  .headers = "Retry-After: 2\r\n",
                                                  .body = "{\"error\":\"slow down\"}" });
  mock_llm_server_push (server, &(MockLlmReply) { .body = "not json" });
  Exchange ex = exchange (url, "{\"prompt\":\"" PROMPT "\"}", NULL, 0);
  g_assert_cmpint (ex.status, ==, 429);
  g_assert_nonnull (strstr (ex.headers->str, "Retry-After: 2\r\n"));
  g_assert_cmpstr (ex.body->str, ==, "{\"error\":\"slow down\"}");
  exchange_clear (&ex);
  ex = exchange (url, "{\"prompt\":\"" PROMPT "\"}", NULL, 0);
  g_assert_cmpint (ex.status, ==, 200);
  g_assert_cmpstr (ex.body->str, ==, "not json");
  exchange_clear (&ex);
  /* FIFO empty: the default responder again; a prompt without the lines is a 400. */
  ex = exchange (url, "{\"prompt\":\"no job here\"}", NULL, 0);
  g_assert_cmpint (ex.status, ==, 400);
  g_assert_nonnull (strstr (ex.body->str, "Job id"));
  exchange_clear (&ex);
  mock_llm_server_free (server);
}

static void
test_truncate_and_stall (void)
{
  MockLlmServer *server = mock_llm_server_new ();
  g_autofree gchar *url = g_strconcat (mock_llm_server_url (server), "/api/chat", NULL);
  mock_llm_server_push (server, &(MockLlmReply) { .body = "{\"message\":{\"content\":\"x\"}}",
                                                  .truncate = TRUE });
  Exchange ex = exchange (url, "{}", NULL, 0);
  g_assert_cmpint (ex.code, ==, CURLE_PARTIAL_FILE);
  exchange_clear (&ex);

  mock_llm_server_push (server, &(MockLlmReply) { .body = "{}", .stall_ms = 3000 });
  gint64 t0 = g_get_monotonic_time ();
  ex = exchange (url, "{}", NULL, 200);
  g_assert_cmpint (ex.code, ==, CURLE_OPERATION_TIMEDOUT);
  exchange_clear (&ex);

  /* A stall in progress does not hold free() for its whole length. */
  mock_llm_server_push (server, &(MockLlmReply) { .body = "{}", .stall_ms = 60000 });
  ex = exchange (url, "{}", NULL, 200);
  g_assert_cmpint (ex.code, ==, CURLE_OPERATION_TIMEDOUT);
  exchange_clear (&ex);
  mock_llm_server_free (server);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 10 * G_TIME_SPAN_SECOND);
}

/* A prompt as configs/prompts/bid.txt renders it: nodes from the job's `Nodes:` line, and a
 * job that does not fit the cluster declined. */
static void
test_bid_template (void)
{
  MockLlmServer *server = mock_llm_server_new ();
  g_autofree gchar *url = g_strconcat (mock_llm_server_url (server), "/api/generate", NULL);
  const gchar *fits = "{\"prompt\":\"Job id: 12\\nJob type: ai\\nNodes: 2\\n"
                      "Per node: 8 cores, 32 GB memory, 1 GPUs\\n\\nYour cluster: gpu-a\\n"
                      "Nodes: 4, of which 1 are free now\\n"
                      "Per node: 64 cores, 512 GB memory, 4 GPUs\\n\"}";
  Exchange ex = exchange (url, fits, NULL, 0);
  g_assert_cmpint (ex.status, ==, 200);
  {
    g_autoptr (JsonParser) p = json_parser_new ();
    g_autoptr (JsonParser) q = json_parser_new ();
    JsonObject *o = parse_object (q, json_object_get_string_member (parse_object (p,
                                                                                  ex.body->str),
                                                                    "response"));
    g_assert_cmpint (json_object_get_int_member (o, "job_id"), ==, 12);
    g_assert_cmpstr (json_object_get_string_member (o, "cluster"), ==, "gpu-a");
    g_assert_cmpint (json_object_get_int_member (o, "nodes"), ==, 2);
    g_assert_cmpfloat (json_object_get_double_member (o, "score"), >, 0);
  }
  exchange_clear (&ex);
  const gchar *no_gpu = "{\"prompt\":\"Job id: 13\\nNodes: 1\\n"
                        "Per node: 8 cores, 32 GB memory, 1 GPUs\\nYour cluster: cpu-b\\n"
                        "Nodes: 4, of which 4 are free now\\n"
                        "Per node: 64 cores, 512 GB memory, 0 GPUs\\n\"}";
  ex = exchange (url, no_gpu, NULL, 0);
  g_assert_cmpint (ex.status, ==, 200);
  {
    g_autoptr (JsonParser) p = json_parser_new ();
    g_autoptr (JsonParser) q = json_parser_new ();
    JsonObject *o = parse_object (q, json_object_get_string_member (parse_object (p,
                                                                                  ex.body->str),
                                                                    "response"));
    g_assert_cmpint (json_object_get_int_member (o, "job_id"), ==, 13);
    g_assert_cmpint (json_object_get_int_member (o, "nodes"), ==, 0);
    g_assert_cmpfloat (json_object_get_double_member (o, "score"), ==, 0);
  }
  exchange_clear (&ex);
  mock_llm_server_free (server);
}

static void
test_envelopes (void)
{
  g_autofree gchar *c = mock_llm_openai_chat ("{\"a\":\"quote\\\" \\n\"}");
  g_autoptr (JsonParser) p = json_parser_new ();
  JsonObject *o = parse_object (p, c);
  JsonObject *choice = json_array_get_object_element (json_object_get_array_member (o,
                                                                                     "choices"),
                                                      0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (choice,
                                                                                 "message"),
                                                  "content"), ==, "{\"a\":\"quote\\\" \\n\"}");
  g_autofree gchar *s = mock_llm_sambastudio ("abcdefgh");
  g_assert_nonnull (strstr (s, "\"completion_tokens_count\":2"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  curl_global_init (CURL_GLOBAL_DEFAULT);
  g_test_add_func ("/llm/mock/default-protocols", test_default_protocols);
  g_test_add_func ("/llm/mock/models", test_models);
  g_test_add_func ("/llm/mock/scripted", test_scripted);
  g_test_add_func ("/llm/mock/truncate-stall", test_truncate_and_stall);
  g_test_add_func ("/llm/mock/bid-template", test_bid_template);
  g_test_add_func ("/llm/mock/envelopes", test_envelopes);
  int rc = g_test_run ();
  curl_global_cleanup ();
  return rc;
}
