/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The mock LLM server's replies: protocol envelopes and the default responder. */
#include "mock-server-private.h"

#include <string.h>

#include <json-glib/json-glib.h>

#define MOCK_PROMPT_TOKENS 100

static guint
completion_tokens (const gchar *content)
{
  return (guint) ((strlen (content) + 3) / 4);
}

static gchar *
builder_to_text (JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

gchar *
mock_llm_ollama_chat (const gchar *content)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, "mock");
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, "2026-01-01T00:00:00Z");
  json_builder_set_member_name (b, "message");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, "assistant");
  json_builder_set_member_name (b, "content");
  json_builder_add_string_value (b, content);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "done_reason");
  json_builder_add_string_value (b, "stop");
  json_builder_set_member_name (b, "done");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "prompt_eval_count");
  json_builder_add_int_value (b, MOCK_PROMPT_TOKENS);
  json_builder_set_member_name (b, "eval_count");
  json_builder_add_int_value (b, completion_tokens (content));
  json_builder_end_object (b);
  return builder_to_text (b);
}

gchar *
mock_llm_ollama_generate (const gchar *content)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, "mock");
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, "2026-01-01T00:00:00Z");
  json_builder_set_member_name (b, "response");
  json_builder_add_string_value (b, content);
  json_builder_set_member_name (b, "done");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "prompt_eval_count");
  json_builder_add_int_value (b, MOCK_PROMPT_TOKENS);
  json_builder_set_member_name (b, "eval_count");
  json_builder_add_int_value (b, completion_tokens (content));
  json_builder_end_object (b);
  return builder_to_text (b);
}

gchar *
mock_llm_openai_chat (const gchar *content)
{
  guint out = completion_tokens (content);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "chatcmpl-mock");
  json_builder_set_member_name (b, "object");
  json_builder_add_string_value (b, "chat.completion");
  json_builder_set_member_name (b, "created");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, "mock");
  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "message");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, "assistant");
  json_builder_set_member_name (b, "content");
  json_builder_add_string_value (b, content);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "finish_reason");
  json_builder_add_string_value (b, "stop");
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "usage");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "prompt_tokens");
  json_builder_add_int_value (b, MOCK_PROMPT_TOKENS);
  json_builder_set_member_name (b, "completion_tokens");
  json_builder_add_int_value (b, out);
  json_builder_set_member_name (b, "total_tokens");
  json_builder_add_int_value (b, MOCK_PROMPT_TOKENS + out);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return builder_to_text (b);
}

gchar *
mock_llm_sambastudio (const gchar *content)
{
  guint out = completion_tokens (content);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "result");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "responses");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "completion");
  json_builder_add_string_value (b, content);
  json_builder_set_member_name (b, "prompt_tokens_count");
  json_builder_add_int_value (b, MOCK_PROMPT_TOKENS);
  json_builder_set_member_name (b, "completion_tokens_count");
  json_builder_add_int_value (b, out);
  json_builder_set_member_name (b, "total_tokens_count");
  json_builder_add_int_value (b, MOCK_PROMPT_TOKENS + out);
  json_builder_set_member_name (b, "stop_reason");
  json_builder_add_string_value (b, "end_of_text");
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return builder_to_text (b);
}

/* Every string of a JSON document, one per line: the prompt may sit in messages[].content,
 * prompt or instance depending on the protocol, and the responder need not care which. */
static void
collect_strings (JsonNode *node, GString *out)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *o = json_node_get_object (node);
        g_autoptr (GList) members = json_object_get_members (o);
        for (GList *l = members; l != NULL; l = l->next)
          collect_strings (json_object_get_member (o, l->data), out);
        break;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *a = json_node_get_array (node);
        for (guint i = 0; i < json_array_get_length (a); i++)
          collect_strings (json_array_get_element (a, i), out);
        break;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_string_append (out, json_node_get_string (node));
          g_string_append_c (out, '\n');
        }
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

static gchar *
request_text (const gchar *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, body, -1, NULL)
      || json_parser_get_root (parser) == NULL)
    return g_strdup (body);
  GString *out = g_string_new (NULL);
  collect_strings (json_parser_get_root (parser), out);
  return g_string_free (out, FALSE);
}

/* First capture group of `pattern` in `text` from byte `from` on, or NULL; *end (optional)
 * gets the byte after the match. */
static gchar *
find_from (const gchar *text, gsize from, const gchar *pattern, gsize *end)
{
  g_autoptr (GRegex) re = g_regex_new (pattern, G_REGEX_MULTILINE, 0, NULL);
  g_autoptr (GMatchInfo) m = NULL;
  if (from > strlen (text) || !g_regex_match_full (re, text, -1, (gint) from, 0, &m, NULL))
    return NULL;
  gint s0, e0;
  g_match_info_fetch_pos (m, 0, &s0, &e0);
  if (end != NULL)
    *end = (gsize) e0;
  gchar *s = g_match_info_fetch (m, 1);
  return g_strstrip (s);
}

/* A per-node line "Per node: C cores, M GB memory, G GPUs" after byte `from`. */
static gboolean
per_node (const gchar *text, gsize from, gdouble v[3])
{
  g_autoptr (GRegex) re = g_regex_new ("^Per node:[ \\t]*([0-9.]+) cores, ([0-9.]+) GB memory, "
                                       "([0-9.]+) GPUs", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr (GMatchInfo) m = NULL;
  if (from > strlen (text) || !g_regex_match_full (re, text, -1, (gint) from, 0, &m, NULL))
    return FALSE;
  for (int i = 0; i < 3; i++)
    {
      g_autofree gchar *n = g_match_info_fetch (m, i + 1);
      v[i] = g_ascii_strtod (n, NULL);
    }
  return TRUE;
}

/* A score in [0.30, 0.89] that depends only on the cluster name, so clusters differ and runs
 * repeat. */
static gdouble
name_score (const gchar *name)
{
  guint h = 5381;
  for (const gchar *p = name; *p != '\0'; p++)
    h = h * 33u + (guchar) *p;
  return 0.30 + (gdouble) (h % 60u) / 100.0;
}

gchar *
mock_llm_default_placement (const gchar *body, gchar **error_message)
{
  g_autofree gchar *text = request_text (body);
  gsize after_job = 0, after_cluster = 0;
  g_autofree gchar *job = find_from (text, 0, "Job id:[ \\t]*([0-9]+)", &after_job);
  g_autofree gchar *cluster = find_from (text, 0, "Your cluster:[ \\t]*([^\\r\\n]+)",
                                         &after_cluster);
  if (job == NULL || cluster == NULL)
    {
      *error_message = g_strdup ("{\"error\":\"mock: the prompt has no 'Job id: N' or no "
                                 "'Your cluster: NAME' line\"}");
      return NULL;
    }
  /* The job's node count: `Job nodes: N`, else the first `Nodes: N` line after the job id
   * (as configs/prompts/bid.txt writes it), else 1. */
  gchar *nodes = find_from (text, 0, "Job nodes:[ \\t]*([0-9]+)", NULL);
  if (nodes == NULL)
    nodes = find_from (text, after_job, "^Nodes:[ \\t]*([0-9]+)", NULL);
  gint64 want = nodes != NULL ? g_ascii_strtoll (nodes, NULL, 10) : 1;
  g_free (nodes);
  /* When the prompt also states both per-node capacities and the cluster's node count, a job
   * that does not fit is declined, so the reply stays a valid placement. */
  gdouble need[3], have[3];
  g_autofree gchar *cluster_nodes = find_from (text, after_cluster, "^Nodes:[ \\t]*([0-9]+)",
                                               NULL);
  gboolean fits = TRUE;
  if (per_node (text, after_job, need) && per_node (text, after_cluster, have)
      && cluster_nodes != NULL)
    fits = want <= g_ascii_strtoll (cluster_nodes, NULL, 10) && need[0] <= have[0]
           && need[1] <= have[1] && need[2] <= have[2];

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "job_id");
  json_builder_add_int_value (b, g_ascii_strtoll (job, NULL, 10));
  json_builder_set_member_name (b, "cluster");
  json_builder_add_string_value (b, cluster);
  json_builder_set_member_name (b, "nodes");
  json_builder_add_int_value (b, fits ? want : 0);
  json_builder_set_member_name (b, "score");
  json_builder_add_double_value (b, fits ? name_score (cluster) : 0.0);
  json_builder_set_member_name (b, "reasoning");
  json_builder_add_string_value (b, fits ? "mock placement" : "mock: the job does not fit");
  json_builder_end_object (b);
  return builder_to_text (b);
}

gboolean
mock_llm_default_reply (const gchar *method, const gchar *target, const gchar *body,
                        const gchar *const *models, guint *status, gchar **reply)
{
  g_autofree gchar *path = g_strndup (target, strcspn (target, "?"));
  *status = 200;
  if (g_str_equal (method, "GET") && g_str_equal (path, "/api/tags"))
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "models");
      json_builder_begin_array (b);
      for (guint i = 0; models != NULL && models[i] != NULL; i++)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, models[i]);
          json_builder_set_member_name (b, "model");
          json_builder_add_string_value (b, models[i]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      *reply = builder_to_text (b);
      return TRUE;
    }
  if (g_str_equal (method, "GET") && g_str_equal (path, "/v1/models"))
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "object");
      json_builder_add_string_value (b, "list");
      json_builder_set_member_name (b, "data");
      json_builder_begin_array (b);
      for (guint i = 0; models != NULL && models[i] != NULL; i++)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, models[i]);
          json_builder_set_member_name (b, "object");
          json_builder_add_string_value (b, "model");
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      *reply = builder_to_text (b);
      return TRUE;
    }
  if (!g_str_equal (method, "POST"))
    {
      *status = 404;
      *reply = g_strdup ("{\"error\":\"mock: not found\"}");
      return FALSE;
    }
  g_autofree gchar *why = NULL;
  g_autofree gchar *placement = mock_llm_default_placement (body, &why);
  if (placement == NULL)
    {
      *status = 400;
      *reply = g_steal_pointer (&why);
      return FALSE;
    }
  if (g_str_equal (path, "/api/chat"))
    *reply = mock_llm_ollama_chat (placement);
  else if (g_str_equal (path, "/api/generate"))
    *reply = mock_llm_ollama_generate (placement);
  else if (g_str_has_suffix (path, "/chat/completions"))
    *reply = mock_llm_openai_chat (placement);
  else
    *reply = mock_llm_sambastudio (placement);
  return TRUE;
}
