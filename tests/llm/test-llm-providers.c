/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The online llm providers driven through their ops: request bodies, replies, probes. */
#include <string.h>

#include <curl/curl.h>
#include <glib.h>
#include <json-glib/json-glib.h>

#include <dmas/dmas.h>

#include "mock-server.h"
#include "provider-host.h"

/* http_build for the standard request; asserts DMAS_OK.  The body is parsed into parser. */
static JsonNode *
build (Provider *p, const gchar *model, DmasLlmHttp *http, JsonParser *parser)
{
  DmasLlmRequest req = test_request (model, NULL);
  *http = (DmasLlmHttp) { 0 };
  int rc = p->ops->http_build (p->self, &p->ctx.base, &req, http, &p->err);
  if (rc != DMAS_OK)
    g_error ("http_build: %s", p->err.message);
  g_assert_nonnull (http->url);
  g_assert_nonnull (http->body);
  g_assert_true (http_has_header (http, "Content-Type: application/json"));
  return parse_json (parser, http->body);
}

/* http_parse of body; returns the status, content in out. */
static int
parse_reply (Provider *p, const gchar *body, DmasLlmAnswer *out)
{
  *out = (DmasLlmAnswer) { 0 };
  p->err = (DmasError) { 0 };
  return p->ops->http_parse (p->self, &p->ctx.base, body, strlen (body), out, &p->err);
}

static void
assert_parse_fails (Provider *p, const gchar *body, const gchar *says)
{
  DmasLlmAnswer out;
  g_assert_cmpint (parse_reply (p, body, &out), ==, DMAS_EINVAL);
  g_assert_null (out.content);
  if (strstr (p->err.message, says) == NULL)
    g_error ("error '%s' does not say '%s'", p->err.message, says);
}

/* probe_parse of a 200 reply. */
static int
probe (Provider *p, const gchar *model, const gchar *body)
{
  p->err = (DmasError) { 0 };
  return p->ops->probe_parse (p->self, &p->ctx.base, model, 200, body, strlen (body), &p->err);
}

/* ---- ollama ---- */

static void
test_ollama_chat_body (void)
{
  const gchar *params[] = { "url=http://gpu-box:11434/", NULL };
  Provider *p = provider_ok ("ollama", params, NULL);
  DmasLlmHttp http;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *body = build (p, "", &http, parser);
  g_assert_cmpstr (http.url, ==, "http://gpu-box:11434/api/chat");
  g_assert_cmpstr (jget_str (body, "model"), ==, "llama3.1:8b");
  g_assert_cmpstr (jget_str (body, "messages.0.role"), ==, "system");
  g_assert_cmpstr (jget_str (body, "messages.0.content"), ==, "You place HPC jobs.");
  g_assert_cmpstr (jget_str (body, "messages.1.role"), ==, "user");
  g_assert_true (g_str_has_prefix (jget_str (body, "messages.1.content"), "Job id: 7\n"));
  g_assert_false (json_node_get_boolean (jget (body, "stream")));
  /* The schema travels as an object (structured outputs), not as text. */
  g_assert_cmpstr (jget_str (body, "format.type"), ==, "object");
  g_assert_cmpstr (jget_str (body, "format.required.4"), ==, "reasoning");
  g_assert_cmpfloat (jget_num (body, "options.temperature"), ==, 0.7);
  g_assert_cmpint (jget_int (body, "options.seed"), ==, 0x76543210);
  g_assert_cmpint (jget_int (body, "options.num_predict"), ==, 512);
  g_assert_false (http_has_header_prefix (&http, "Authorization"));
  dmas_llm_http_clear (&http);
  provider_free (p);
}

static void
test_ollama_generate_and_url (void)
{
  /* OLLAMA_HOST without a scheme, endpoint generate, an explicit model. */
  const gchar *params[] = { "endpoint=generate", NULL };
  const gchar *secrets[] = { "OLLAMA_HOST=10.0.0.5:11434", NULL };
  Provider *p = provider_ok ("ollama", params, secrets);
  DmasLlmHttp http;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *body = build (p, "qwen2.5:7b", &http, parser);
  g_assert_cmpstr (http.url, ==, "http://10.0.0.5:11434/api/generate");
  g_assert_cmpstr (jget_str (body, "model"), ==, "qwen2.5:7b");
  g_assert_cmpstr (jget_str (body, "system"), ==, "You place HPC jobs.");
  g_assert_true (g_str_has_prefix (jget_str (body, "prompt"), "Job id: 7\n"));
  g_assert_null (jget (body, "messages"));
  dmas_llm_http_clear (&http);
  provider_free (p);

  /* Nothing set: the local default. */
  p = provider_ok ("ollama", NULL, NULL);
  g_autoptr (JsonParser) parser2 = json_parser_new ();
  build (p, "", &http, parser2);
  g_assert_cmpstr (http.url, ==, "http://127.0.0.1:11434/api/chat");
  dmas_llm_http_clear (&http);
  provider_free (p);

  const gchar *bad[] = { "endpoint=stream", NULL };
  p = provider_new ("ollama", bad, NULL);
  g_assert_null (p->self);
  g_assert_nonnull (strstr (p->err.message, "endpoint 'stream'"));
  provider_free (p);
}

static void
test_ollama_parse (void)
{
  Provider *p = provider_ok ("ollama", NULL, NULL);
  DmasLlmAnswer out;
  /* As Ollama 0.5 sends it. */
  const gchar *reply =
    "{\"model\":\"llama3.1:8b\",\"created_at\":\"2026-12-07T05:00:00.123Z\","
    "\"message\":{\"role\":\"assistant\",\"content\":\"{\\\"job_id\\\":7,\\\"cluster\\\":"
    "\\\"alpha\\\",\\\"nodes\\\":2,\\\"score\\\":0.8,\\\"reasoning\\\":\\\"ok\\\"}\"},"
    "\"done_reason\":\"stop\",\"done\":true,\"total_duration\":2170000000,"
    "\"load_duration\":12000000,\"prompt_eval_count\":312,\"prompt_eval_duration\":400000000,"
    "\"eval_count\":41,\"eval_duration\":1700000000}";
  g_assert_cmpint (parse_reply (p, reply, &out), ==, DMAS_OK);
  g_assert_cmpstr (out.content, ==, "{\"job_id\":7,\"cluster\":\"alpha\",\"nodes\":2,"
                   "\"score\":0.8,\"reasoning\":\"ok\"}");
  g_assert_cmpuint (out.tokens_in, ==, 312);
  g_assert_cmpuint (out.tokens_out, ==, 41);
  g_assert_cmpuint (out.latency, ==, 0);
  dmas_llm_answer_clear (&out);

  assert_parse_fails (p, "<html>502 Bad Gateway</html>", "ollama: the reply is not JSON");
  assert_parse_fails (p, "[]", "not a JSON object");
  assert_parse_fails (p, "{\"error\":\"model 'llama9' not found\"}", "model 'llama9' not found");
  assert_parse_fails (p, "{\"message\":{\"content\":42}}", "message.content");
  assert_parse_fails (p, "{\"response\":\"x\"}", "message.content");
  provider_free (p);
}

static void
test_ollama_probe (void)
{
  const gchar *params[] = { "url=http://127.0.0.1:9", NULL };
  Provider *p = provider_ok ("ollama", params, NULL);
  DmasLlmHttp http = { 0 };
  g_assert_cmpint (p->ops->probe_build (p->self, &p->ctx.base, "", &http, &p->err), ==,
                   DMAS_OK);
  g_assert_cmpstr (http.url, ==, "http://127.0.0.1:9/api/tags");
  g_assert_null (http.body);
  dmas_llm_http_clear (&http);

  const gchar *tags = "{\"models\":[{\"name\":\"mistral:latest\",\"model\":\"mistral:latest\","
                      "\"size\":4109865159},{\"name\":\"llama3.1:8b\","
                      "\"model\":\"llama3.1:8b\"}]}";
  g_assert_cmpint (probe (p, "", tags), ==, DMAS_OK);           /* the default model */
  g_assert_cmpint (probe (p, "mistral", tags), ==, DMAS_OK);    /* :latest implied */
  g_assert_cmpint (probe (p, "qwen2.5:7b", tags), ==, DMAS_ENOENT);
  g_assert_nonnull (strstr (p->err.message, "run `ollama pull qwen2.5:7b`"));
  g_assert_cmpint (probe (p, "", "{\"models\":[]}"), ==, DMAS_ENOENT);
  g_assert_cmpint (p->ops->probe_parse (p->self, &p->ctx.base, "", 404, "404 page not found",
                                        18, &p->err), ==, DMAS_EFAIL);
  g_assert_nonnull (strstr (p->err.message, "HTTP 404"));
  g_assert_cmpint (probe (p, "", "{\"tags\":1}"), ==, DMAS_EINVAL);
  provider_free (p);
}

/* ---- openai ---- */

static void
test_openai_body (void)
{
  const gchar *secrets[] = { "OPENAI_API_KEY=sk-test-123", NULL };
  Provider *p = provider_ok ("openai", NULL, secrets);
  DmasLlmHttp http;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *body = build (p, "", &http, parser);
  g_assert_cmpstr (http.url, ==, "https://api.openai.com/v1/chat/completions");
  g_assert_true (http_has_header (&http, "Authorization: Bearer sk-test-123"));
  g_assert_null (strstr (http.body, "sk-test-123"));
  g_assert_null (strstr (http.url, "sk-test-123"));
  g_assert_cmpstr (jget_str (body, "model"), ==, "gpt-4o-mini");
  g_assert_cmpstr (jget_str (body, "messages.0.role"), ==, "system");
  g_assert_cmpstr (jget_str (body, "messages.1.role"), ==, "user");
  g_assert_cmpfloat (jget_num (body, "temperature"), ==, 0.7);
  g_assert_cmpint (jget_int (body, "seed"), ==, 0x76543210);
  g_assert_cmpint (jget_int (body, "max_tokens"), ==, 512);
  g_assert_cmpstr (jget_str (body, "response_format.type"), ==, "json_object");
  dmas_llm_http_clear (&http);
  provider_free (p);
}

static void
test_openai_url_and_key (void)
{
  /* SambaNova Cloud through the OpenAI protocol: base URL with /v1, another key variable. */
  const gchar *params[] = { "key_env=SAMBANOVA_API_KEY", NULL };
  const gchar *secrets[] = { "OPENAI_BASE_URL=https://api.sambanova.ai/v1/",
                             "SAMBANOVA_API_KEY=sn-key", "OPENAI_API_KEY=wrong", NULL };
  Provider *p = provider_ok ("openai", params, secrets);
  DmasLlmHttp http;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *body = build (p, "Meta-Llama-3.1-8B-Instruct", &http, parser);
  g_assert_cmpstr (http.url, ==, "https://api.sambanova.ai/v1/chat/completions");
  g_assert_true (http_has_header (&http, "Authorization: Bearer sn-key"));
  g_assert_cmpstr (jget_str (body, "model"), ==, "Meta-Llama-3.1-8B-Instruct");
  dmas_llm_http_clear (&http);
  provider_free (p);

  /* No key for a remote URL: create() says which variable and how to set it. */
  p = provider_new ("openai", NULL, NULL);
  g_assert_null (p->self);
  g_assert_nonnull (strstr (p->err.message, "OPENAI_API_KEY is not set"));
  g_assert_nonnull (strstr (p->err.message, "dmas setup-env"));
  provider_free (p);

  /* A loopback server needs none, and gets no Authorization header. */
  const gchar *local[] = { "url=http://localhost:8000", NULL };
  p = provider_ok ("openai", local, NULL);
  g_autoptr (JsonParser) parser2 = json_parser_new ();
  build (p, "", &http, parser2);
  g_assert_cmpstr (http.url, ==, "http://localhost:8000/v1/chat/completions");
  g_assert_false (http_has_header_prefix (&http, "Authorization"));
  dmas_llm_http_clear (&http);
  provider_free (p);
}

static void
test_openai_parse (void)
{
  const gchar *secrets[] = { "OPENAI_API_KEY=k", NULL };
  Provider *p = provider_ok ("openai", NULL, secrets);
  const gchar *reply =
    "{\"id\":\"chatcmpl-AbC\",\"object\":\"chat.completion\",\"created\":1733550000,"
    "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
    "\"assistant\",\"content\":\"{\\\"job_id\\\":7}\",\"refusal\":null},\"logprobs\":null,"
    "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":298,\"completion_tokens\":37,"
    "\"total_tokens\":335},\"system_fingerprint\":\"fp_0ba0d124f1\"}";
  DmasLlmAnswer out;
  g_assert_cmpint (parse_reply (p, reply, &out), ==, DMAS_OK);
  g_assert_cmpstr (out.content, ==, "{\"job_id\":7}");
  g_assert_cmpuint (out.tokens_in, ==, 298);
  g_assert_cmpuint (out.tokens_out, ==, 37);
  dmas_llm_answer_clear (&out);

  assert_parse_fails (p, "{\"error\":{\"message\":\"Incorrect API key provided\","
                      "\"type\":\"invalid_request_error\"}}", "Incorrect API key provided");
  assert_parse_fails (p, "{\"choices\":[]}", "choices[0].message.content");
  assert_parse_fails (p, "{\"choices\":[{\"message\":{\"content\":null}}]}",
                      "choices[0].message.content");
  assert_parse_fails (p, "data: {\"choices\":[]}", "openai: the reply is not JSON");
  provider_free (p);
}

static void
test_openai_probe (void)
{
  const gchar *secrets[] = { "OPENAI_API_KEY=sk-probe", NULL };
  Provider *p = provider_ok ("openai", NULL, secrets);
  DmasLlmHttp http = { 0 };
  g_assert_cmpint (p->ops->probe_build (p->self, &p->ctx.base, "", &http, &p->err), ==,
                   DMAS_OK);
  g_assert_cmpstr (http.url, ==, "https://api.openai.com/v1/models");
  g_assert_null (http.body);
  g_assert_true (http_has_header (&http, "Authorization: Bearer sk-probe"));
  dmas_llm_http_clear (&http);

  const gchar *list = "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\",\"object\":\"model\","
                      "\"created\":1715367049,\"owned_by\":\"system\"},{\"id\":\"gpt-4o-mini\","
                      "\"object\":\"model\"}]}";
  g_assert_cmpint (probe (p, "", list), ==, DMAS_OK);
  g_assert_cmpint (probe (p, "gpt-4o", list), ==, DMAS_OK);
  g_assert_cmpint (probe (p, "gpt-5", list), ==, DMAS_ENOENT);
  g_assert_nonnull (strstr (p->err.message, "gpt-5"));
  g_assert_cmpint (p->ops->probe_parse (p->self, &p->ctx.base, "", 401, "{}", 2, &p->err), ==,
                   DMAS_EFAIL);
  g_assert_nonnull (strstr (p->err.message, "OPENAI_API_KEY"));
  g_assert_null (strstr (p->err.message, "sk-probe"));
  provider_free (p);
}

/* ---- sambastudio ---- */

static void
test_sambastudio_generic (void)
{
  const gchar *secrets[] = { "SAMBASTUDIO_URL=https://sambastudio.example/api/predict/generic/"
                             "0a1b/2c3d", "SAMBASTUDIO_API_KEY=ss-key", NULL };
  Provider *p = provider_ok ("sambastudio", NULL, secrets);
  DmasLlmHttp http;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *body = build (p, "", &http, parser);
  g_assert_cmpstr (http.url, ==, "https://sambastudio.example/api/predict/generic/0a1b/2c3d");
  g_assert_true (http_has_header (&http, "key: ss-key"));
  g_assert_false (http_has_header_prefix (&http, "Authorization"));
  g_assert_null (strstr (http.body, "ss-key"));
  g_assert_true (g_str_has_prefix (jget_str (body, "instance"),
                                   "You place HPC jobs.\n\nJob id: 7\n"));
  g_assert_cmpstr (jget_str (body, "params.max_tokens_to_generate.type"), ==, "int");
  g_assert_cmpstr (jget_str (body, "params.max_tokens_to_generate.value"), ==, "512");
  g_assert_cmpstr (jget_str (body, "params.temperature.type"), ==, "float");
  g_assert_cmpstr (jget_str (body, "params.temperature.value"), ==, "0.7");
  g_assert_cmpstr (jget_str (body, "params.do_sample.value"), ==, "false");
  g_assert_null (jget (body, "params.select_expert"));
  dmas_llm_http_clear (&http);

  DmasLlmAnswer out;
  const gchar *reply = "{\"result\":{\"status\":{\"complete\":true,\"exitCode\":0},"
                       "\"responses\":[{\"completion\":\"{\\\"job_id\\\":7}\","
                       "\"prompt_tokens_count\":120,\"completion_tokens_count\":30,"
                       "\"total_tokens_count\":150,\"stop_reason\":\"end_of_text\"}]}}";
  g_assert_cmpint (parse_reply (p, reply, &out), ==, DMAS_OK);
  g_assert_cmpstr (out.content, ==, "{\"job_id\":7}");
  g_assert_cmpuint (out.tokens_in, ==, 120);
  g_assert_cmpuint (out.tokens_out, ==, 30);
  dmas_llm_answer_clear (&out);
  g_assert_cmpint (parse_reply (p, "{\"predictions\":[{\"completion\":\"x\"}]}", &out), ==,
                   DMAS_OK);
  g_assert_cmpstr (out.content, ==, "x");
  g_assert_cmpuint (out.tokens_in, ==, 0);
  dmas_llm_answer_clear (&out);
  assert_parse_fails (p, "{\"result\":{\"responses\":[]}}", "result.responses[0].completion");
  assert_parse_fails (p, "{\"error\":\"Invalid API key\"}", "Invalid API key");
  assert_parse_fails (p, "", "not a JSON object");
  provider_free (p);
}

static void
test_sambastudio_openai_and_errors (void)
{
  const gchar *params[] = { "url=https://ss.example/v1/chat/completions", NULL };
  const gchar *secrets[] = { "SAMBASTUDIO_API_KEY=ss-key", NULL };
  Provider *p = provider_ok ("sambastudio", params, secrets);
  DmasLlmHttp http;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *body = build (p, "Meta-Llama-3.3-70B-Instruct", &http, parser);
  g_assert_cmpstr (http.url, ==, "https://ss.example/v1/chat/completions");
  g_assert_true (http_has_header (&http, "Authorization: Bearer ss-key"));
  g_assert_cmpstr (jget_str (body, "model"), ==, "Meta-Llama-3.3-70B-Instruct");
  g_assert_cmpstr (jget_str (body, "response_format.type"), ==, "json_object");
  dmas_llm_http_clear (&http);
  DmasLlmRequest req = test_request ("", NULL);
  http = (DmasLlmHttp) { 0 };
  g_assert_cmpint (p->ops->http_build (p->self, &p->ctx.base, &req, &http, &p->err), ==,
                   DMAS_EINVAL);
  g_assert_nonnull (strstr (p->err.message, "llm.model"));
  dmas_llm_http_clear (&http);
  provider_free (p);

  p = provider_new ("sambastudio", NULL, NULL);
  g_assert_null (p->self);
  g_assert_nonnull (strstr (p->err.message, "SAMBASTUDIO_URL"));
  provider_free (p);
  const gchar *url_only[] = { "SAMBASTUDIO_URL=https://ss.example/api/predict/generic/a/b",
                              NULL };
  p = provider_new ("sambastudio", NULL, url_only);
  g_assert_null (p->self);
  g_assert_nonnull (strstr (p->err.message, "SAMBASTUDIO_API_KEY is not set"));
  provider_free (p);
}

/* ---- against the mock server: what a provider builds, the server accepts and answers ---- */

static size_t
on_data (char *ptr, size_t size, size_t n, void *data)
{
  g_string_append_len (data, ptr, (gssize) (size * n));
  return size * n;
}

/* Sends an HTTP description as the host would (POST when there is a body). */
static gchar *
send_http (const DmasLlmHttp *http, long *status)
{
  GString *body = g_string_new (NULL);
  CURL *curl = curl_easy_init ();
  struct curl_slist *list = NULL;
  for (int i = 0; i < DMAS_LLM_MAX_HEADERS && http->headers[i] != NULL; i++)
    list = curl_slist_append (list, http->headers[i]);
  curl_easy_setopt (curl, CURLOPT_URL, http->url);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, body);
  if (http->body != NULL)
    curl_easy_setopt (curl, CURLOPT_POSTFIELDS, http->body);
  g_assert_cmpint (curl_easy_perform (curl), ==, CURLE_OK);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, status);
  curl_slist_free_all (list);
  curl_easy_cleanup (curl);
  return g_string_free (body, FALSE);
}

static void
roundtrip (MockLlmServer *server, const gchar *name, const gchar *const *params,
           const gchar *const *secrets, const gchar *model, const gchar *want_path)
{
  Provider *p = provider_ok (name, params, secrets);
  guint before = mock_llm_server_n_requests (server);
  DmasLlmHttp http;
  g_autoptr (JsonParser) sent = json_parser_new ();
  build (p, model, &http, sent);
  long status = 0;
  g_autofree gchar *reply = send_http (&http, &status);
  g_assert_cmpint (status, ==, 200);
  dmas_llm_http_clear (&http);
  g_autofree gchar *path = NULL;
  g_autofree gchar *got = mock_llm_server_request (server, before, &path, NULL);
  g_assert_cmpstr (path, ==, want_path);

  DmasLlmAnswer out;
  g_assert_cmpint (parse_reply (p, reply, &out), ==, DMAS_OK);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *placement = parse_json (parser, out.content);
  g_assert_cmpint (jget_int (placement, "job_id"), ==, 7);
  g_assert_cmpstr (jget_str (placement, "cluster"), ==, "alpha");
  g_assert_cmpint (jget_int (placement, "nodes"), ==, 2);
  g_assert_cmpuint (out.tokens_in, ==, 100);
  g_assert_cmpuint (out.tokens_out, >, 0);
  dmas_llm_answer_clear (&out);

  if (p->ops->probe_build != NULL)
    {
      DmasLlmHttp ph = { 0 };
      g_assert_cmpint (p->ops->probe_build (p->self, &p->ctx.base, model, &ph, &p->err), ==,
                       DMAS_OK);
      g_autofree gchar *list = send_http (&ph, &status);
      dmas_llm_http_clear (&ph);
      g_assert_cmpint (p->ops->probe_parse (p->self, &p->ctx.base, model, status, list,
                                            strlen (list), &p->err), ==, DMAS_OK);
    }
  provider_free (p);
}

static void
test_mock_roundtrip (void)
{
  MockLlmServer *server = mock_llm_server_new ();
  const gchar *models[] = { "llama3.1:8b", "gpt-4o-mini", NULL };
  mock_llm_server_set_models (server, models);
  g_autofree gchar *url = g_strconcat ("url=", mock_llm_server_url (server), NULL);
  g_autofree gchar *chat_url = g_strconcat ("url=", mock_llm_server_url (server),
                                            "/v1/chat/completions", NULL);
  g_autofree gchar *generic_url = g_strconcat ("url=", mock_llm_server_url (server),
                                               "/api/predict/generic/a/b", NULL);
  const gchar *p_url[] = { url, NULL };
  const gchar *p_gen[] = { url, "endpoint=generate", NULL };
  const gchar *p_chat[] = { chat_url, NULL };
  const gchar *p_generic[] = { generic_url, NULL };
  const gchar *key[] = { "OPENAI_API_KEY=sk-roundtrip", "SAMBASTUDIO_API_KEY=ss-rt", NULL };
  roundtrip (server, "ollama", p_url, NULL, "", "/api/chat");
  roundtrip (server, "ollama", p_gen, NULL, "", "/api/generate");
  roundtrip (server, "openai", p_url, key, "", "/v1/chat/completions");
  roundtrip (server, "sambastudio", p_chat, key, "some-model", "/v1/chat/completions");
  roundtrip (server, "sambastudio", p_generic, key, "", "/api/predict/generic/a/b");

  /* The keys reached the server in headers only. */
  g_autofree gchar *headers = NULL;
  g_autofree gchar *body = mock_llm_server_request (server, 4, NULL, &headers);
  g_assert_nonnull (strstr (headers, "Authorization: Bearer sk-roundtrip\r\n"));
  g_assert_null (strstr (body, "sk-roundtrip"));
  g_autofree gchar *headers2 = NULL;
  g_autofree gchar *body2 = mock_llm_server_request (server, 7, NULL, &headers2);
  g_assert_nonnull (strstr (headers2, "key: ss-rt\r\n"));
  g_assert_null (strstr (body2, "ss-rt"));
  mock_llm_server_free (server);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  curl_global_init (CURL_GLOBAL_DEFAULT);
  g_test_add_func ("/llm/ollama/chat-body", test_ollama_chat_body);
  g_test_add_func ("/llm/ollama/generate-url", test_ollama_generate_and_url);
  g_test_add_func ("/llm/ollama/parse", test_ollama_parse);
  g_test_add_func ("/llm/ollama/probe", test_ollama_probe);
  g_test_add_func ("/llm/openai/body", test_openai_body);
  g_test_add_func ("/llm/openai/url-key", test_openai_url_and_key);
  g_test_add_func ("/llm/openai/parse", test_openai_parse);
  g_test_add_func ("/llm/openai/probe", test_openai_probe);
  g_test_add_func ("/llm/sambastudio/generic", test_sambastudio_generic);
  g_test_add_func ("/llm/sambastudio/openai-errors", test_sambastudio_openai_and_errors);
  g_test_add_func ("/llm/providers/mock-roundtrip", test_mock_roundtrip);
  int rc = g_test_run ();
  curl_global_cleanup ();
  return rc;
}
