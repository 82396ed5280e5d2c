/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers the llm providers share (compiled into each provider module). */
#include "common.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

char *
llm_strdup (const char *s)
{
  return s != NULL ? strdup (s) : NULL;
}

char *
llm_strdup_printf (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree gchar *g = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  return llm_strdup (g);
}

const char *
llm_param (DmasCtx *ctx, const char *name)
{
  const char *v = NULL;
  if (ctx->api->param_string (ctx, name, &v) != DMAS_OK || v == NULL)
    return "";
  return v;
}

const char *
llm_secret (DmasCtx *ctx, const char *name)
{
  /* A host older than ABI 1.3 has no secret() slot: struct_size says whether it is there. */
  if (ctx->api->struct_size < offsetof (DmasHostApi, secret) + sizeof (void *)
      || ctx->api->secret == NULL)
    return NULL;
  const char *v = ctx->api->secret (ctx, name);
  return v != NULL && v[0] != '\0' ? v : NULL;
}

gchar *
llm_base_url (const char *raw)
{
  g_autofree gchar *s = g_strstrip (g_strdup (raw));
  gsize n = strlen (s);
  while (n > 0 && s[n - 1] == '/')
    s[--n] = '\0';
  if (strstr (s, "://") == NULL)
    return g_strconcat ("http://", s, NULL);
  return g_steal_pointer (&s);
}

gboolean
llm_url_is_loopback (const char *url)
{
  const char *host = strstr (url, "://");
  host = host != NULL ? host + 3 : url;
  static const char *const loopback[] = { "127.0.0.1", "[::1]", "localhost" };
  for (size_t i = 0; i < G_N_ELEMENTS (loopback); i++)
    {
      size_t n = strlen (loopback[i]);
      if (g_ascii_strncasecmp (host, loopback[i], n) == 0
          && (host[n] == '\0' || host[n] == ':' || host[n] == '/'))
        return TRUE;
    }
  return FALSE;
}

JsonParser *
llm_parse_object (const char *who, const char *body, size_t len, DmasError *err)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  if (!json_parser_load_from_data (parser, body, (gssize) len, &error))
    {
      dmas_error_set (err, DMAS_EINVAL, "%s: the reply is not JSON (%s)", who, error->message);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      dmas_error_set (err, DMAS_EINVAL, "%s: the reply is not a JSON object", who);
      return NULL;
    }
  return g_steal_pointer (&parser);
}

JsonNode *
llm_json_path (JsonNode *root, const char *path)
{
  g_auto (GStrv) steps = g_strsplit (path, ".", -1);
  JsonNode *node = root;
  for (guint i = 0; steps[i] != NULL && node != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *o = json_node_get_object (node);
          node = json_object_has_member (o, steps[i]) ? json_object_get_member (o, steps[i])
                                                      : NULL;
        }
      else if (JSON_NODE_HOLDS_ARRAY (node) && g_ascii_isdigit (steps[i][0]))
        {
          JsonArray *a = json_node_get_array (node);
          guint64 k = g_ascii_strtoull (steps[i], NULL, 10);
          node = k < json_array_get_length (a) ? json_array_get_element (a, (guint) k) : NULL;
        }
      else
        node = NULL;
    }
  return node;
}

const char *
llm_json_string (JsonNode *root, const char *path)
{
  JsonNode *n = llm_json_path (root, path);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

uint32_t
llm_json_count (JsonNode *root, const char *path)
{
  JsonNode *n = llm_json_path (root, path);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return 0;
  GType t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64)
    {
      gint64 v = json_node_get_int (n);
      return v > 0 ? (uint32_t) MIN (v, (gint64) G_MAXUINT32) : 0;
    }
  if (t == G_TYPE_DOUBLE)
    {
      gdouble v = json_node_get_double (n);
      return v > 0 && v < 4294967295.0 ? (uint32_t) v : 0;
    }
  return 0;
}

gboolean
llm_json_number (JsonNode *root, const char *path, double *out)
{
  JsonNode *n = llm_json_path (root, path);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  GType t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64)
    *out = (double) json_node_get_int (n);
  else if (t == G_TYPE_DOUBLE)
    *out = json_node_get_double (n);
  else
    return FALSE;
  return TRUE;
}

gchar *
llm_json_quote (const char *s)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, s);
  return json_to_string (node, FALSE);
}

const char *
llm_json_error (JsonNode *root)
{
  const char *s = llm_json_string (root, "error");
  return s != NULL ? s : llm_json_string (root, "error.message");
}

char *
llm_builder_text (JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree gchar *text = json_to_string (root, FALSE);
  return llm_strdup (text);
}

void
llm_builder_add_schema (JsonBuilder *b, const char *schema)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (schema != NULL && schema[0] != '\0' && json_parser_load_from_data (parser, schema, -1, NULL)
      && json_parser_get_root (parser) != NULL
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
  else
    json_builder_add_string_value (b, "json");
}

int64_t
llm_wire_seed (uint64_t seed)
{
  return (int64_t) (seed & 0x7fffffffu);
}

int
llm_http_add_header (DmasLlmHttp *out, DmasError *err, const char *name, const char *value)
{
  for (int i = 0; i < DMAS_LLM_MAX_HEADERS; i++)
    if (out->headers[i] == NULL)
      {
        out->headers[i] = llm_strdup_printf ("%s: %s", name, value);
        return out->headers[i] != NULL ? DMAS_OK
                                       : dmas_error_set (err, DMAS_ENOMEM, "out of memory");
      }
  return dmas_error_set (err, DMAS_EFAIL, "too many HTTP headers (at most %d)",
                         DMAS_LLM_MAX_HEADERS);
}

void
llm_answer_set (DmasLlmAnswer *out, const char *content, uint32_t tokens_in,
                uint32_t tokens_out)
{
  out->content = llm_strdup (content);
  out->tokens_in = tokens_in;
  out->tokens_out = tokens_out;
}

void
llm_add_message (JsonBuilder *b, const char *role, const char *content)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, role);
  json_builder_set_member_name (b, "content");
  json_builder_add_string_value (b, content);
  json_builder_end_object (b);
}
