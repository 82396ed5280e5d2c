/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llm/ollama: a local or remote Ollama server (POST /api/chat or /api/generate). */
#include <string.h>

#include <dmas/dmas.h>

#include "common.h"

#define OLLAMA_DEFAULT_URL "http://127.0.0.1:11434"
#define OLLAMA_DEFAULT_MODEL "llama3.1:8b"

typedef struct {
  gchar *url;          /* base URL, no trailing slash */
  gboolean generate;   /* endpoint: generate (one prompt) rather than chat (messages) */
} Ollama;

static const char *
model_of (const char *model)
{
  return model != NULL && model[0] != '\0' ? model : OLLAMA_DEFAULT_MODEL;
}

static void *
ollama_create (DmasCtx *ctx, DmasError *err)
{
  const char *endpoint = llm_param (ctx, "endpoint");
  if (strcmp (endpoint, "chat") != 0 && strcmp (endpoint, "generate") != 0)
    {
      dmas_error_set (err, DMAS_EINVAL, "ollama: endpoint '%s' is not chat or generate",
                      endpoint);
      return NULL;
    }
  /* The parameter wins over OLLAMA_HOST (the variable Ollama's own CLI reads), which wins
   * over the default local server. */
  const char *url = llm_param (ctx, "url");
  if (url[0] == '\0')
    url = llm_secret (ctx, "OLLAMA_HOST");
  Ollama *o = g_new0 (Ollama, 1);
  o->url = llm_base_url (url != NULL ? url : OLLAMA_DEFAULT_URL);
  o->generate = strcmp (endpoint, "generate") == 0;
  return o;
}

static void
ollama_destroy (void *self)
{
  Ollama *o = self;
  g_free (o->url);
  g_free (o);
}

static int
ollama_http_build (void *self, DmasCtx *ctx, const DmasLlmRequest *req, DmasLlmHttp *out,
                   DmasError *err)
{
  (void) ctx;
  Ollama *o = self;
  const char *system = req->system != NULL ? req->system : "";
  const char *prompt = req->prompt != NULL ? req->prompt : "";
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model_of (req->model));
  if (o->generate)
    {
      if (system[0] != '\0')
        {
          json_builder_set_member_name (b, "system");
          json_builder_add_string_value (b, system);
        }
      json_builder_set_member_name (b, "prompt");
      json_builder_add_string_value (b, prompt);
    }
  else
    {
      json_builder_set_member_name (b, "messages");
      json_builder_begin_array (b);
      if (system[0] != '\0')
        llm_add_message (b, "system", system);
      llm_add_message (b, "user", prompt);
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "stream");
  json_builder_add_boolean_value (b, FALSE);
  /* Structured outputs: Ollama constrains the sampling to the schema. */
  json_builder_set_member_name (b, "format");
  llm_builder_add_schema (b, req->schema);
  json_builder_set_member_name (b, "options");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "temperature");
  json_builder_add_double_value (b, req->temperature);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, llm_wire_seed (req->seed));
  json_builder_set_member_name (b, "num_predict");
  json_builder_add_int_value (b, req->max_tokens);
  json_builder_end_object (b);
  json_builder_end_object (b);

  out->url = llm_strdup_printf ("%s/api/%s", o->url, o->generate ? "generate" : "chat");
  out->body = llm_builder_text (b);
  return llm_http_add_header (out, err, "Content-Type", "application/json");
}

static int
ollama_http_parse (void *self, DmasCtx *ctx, const char *body, size_t len,
                   DmasLlmAnswer *out, DmasError *err)
{
  (void) ctx;
  Ollama *o = self;
  g_autoptr (JsonParser) parser = llm_parse_object ("ollama", body, len, err);
  if (parser == NULL)
    return DMAS_EINVAL;
  JsonNode *root = json_parser_get_root (parser);
  const char *field = o->generate ? "response" : "message.content";
  const char *content = llm_json_string (root, field);
  if (content == NULL)
    {
      const char *why = llm_json_error (root);
      return dmas_error_set (err, DMAS_EINVAL, "ollama: the reply has no %s (a string)%s%s",
                             field, why != NULL ? ": " : "", why != NULL ? why : "");
    }
  llm_answer_set (out, content, llm_json_count (root, "prompt_eval_count"),
                  llm_json_count (root, "eval_count"));
  return DMAS_OK;
}

static int
ollama_probe_build (void *self, DmasCtx *ctx, const char *model, DmasLlmHttp *out,
                    DmasError *err)
{
  (void) ctx;
  (void) model;
  (void) err;
  Ollama *o = self;
  out->url = llm_strdup_printf ("%s/api/tags", o->url);
  return DMAS_OK;
}

/* Ollama lists "llama3.1:8b"; a name without a tag means ":latest". */
static gboolean
same_model (const char *listed, const char *wanted)
{
  if (strcmp (listed, wanted) == 0)
    return TRUE;
  if (strchr (wanted, ':') == NULL)
    {
      g_autofree gchar *tagged = g_strconcat (wanted, ":latest", NULL);
      return strcmp (listed, tagged) == 0;
    }
  return FALSE;
}

static int
ollama_probe_parse (void *self, DmasCtx *ctx, const char *model, long status,
                    const char *body, size_t len, DmasError *err)
{
  (void) ctx;
  Ollama *o = self;
  const char *wanted = model_of (model);
  if (status != 200)
    return dmas_error_set (err, DMAS_EFAIL, "ollama at %s answered HTTP %ld to GET /api/tags: "
                           "is it an Ollama server? (start it with `ollama serve`, or set "
                           "OLLAMA_HOST / params llm/ollama.url)", o->url, status);
  g_autoptr (JsonParser) parser = llm_parse_object ("ollama /api/tags", body, len, err);
  if (parser == NULL)
    return DMAS_EINVAL;
  JsonNode *models = llm_json_path (json_parser_get_root (parser), "models");
  if (models == NULL || !JSON_NODE_HOLDS_ARRAY (models))
    return dmas_error_set (err, DMAS_EINVAL, "ollama /api/tags: the reply has no \"models\" "
                           "list");
  JsonArray *a = json_node_get_array (models);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *m = json_array_get_element (a, i);
      const char *name = llm_json_string (m, "name");
      const char *tag = llm_json_string (m, "model");
      if ((name != NULL && same_model (name, wanted)) || (tag != NULL && same_model (tag, wanted)))
        return DMAS_OK;
    }
  return dmas_error_set (err, DMAS_ENOENT, "ollama at %s does not have the model %s: run "
                         "`ollama pull %s`", o->url, wanted, wanted);
}

static const DmasLlmOps ollama_ops = {
  .struct_size = sizeof (DmasLlmOps),
  .create = ollama_create,
  .destroy = ollama_destroy,
  .http_build = ollama_http_build,
  .http_parse = ollama_http_parse,
  .probe_build = ollama_probe_build,
  .probe_parse = ollama_probe_parse,
};

static const DmasParamSpec ollama_params[] = {
  { "url", DMAS_PARAM_STRING, "",
    "the server's base URL (\"\": OLLAMA_HOST, else " OLLAMA_DEFAULT_URL ")" },
  { "endpoint", DMAS_PARAM_STRING, "chat",
    "chat (POST /api/chat, system + user messages) or generate (POST /api/generate)" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent ollama_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_LLM,
    .name = "ollama",
    .api_major = DMAS_LLM_API_MAJOR,
    .api_minor = DMAS_LLM_API_MINOR,
    .ops = &ollama_ops,
    .summary = "online: an Ollama server (default model " OLLAMA_DEFAULT_MODEL "), answers "
               "constrained to the placement schema",
    .params = ollama_params,
  },
};

static const DmasPluginDesc ollama_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "ollama",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .components = ollama_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &ollama_desc;
}
