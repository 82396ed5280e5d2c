/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llm/sambastudio: a SambaStudio endpoint (generic predict API, or its OpenAI-compatible one). */
#include <string.h>

#include <dmas/dmas.h>

#include "common.h"
#include "openai-wire.h"

/* Two protocols behind one name, chosen by the endpoint URL:
 *  - .../chat/completions: SambaStudio's newer OpenAI-compatible endpoints: the OpenAI body,
 *    header "Authorization: Bearer KEY", model = llm.model;
 *  - anything else: the generic predict API: header "key: KEY" and
 *    {"instance": "<system>\n\n<prompt>", "params": {"max_tokens_to_generate": {"type": "int",
 *    "value": "N"}, "temperature": {...}, "do_sample": {"type": "bool", "value": "false"}}}
 *    (plus "select_expert" = llm.model when one is set, for Composition-of-Experts
 *    endpoints); the reply's text is result.responses[0].completion (or
 *    predictions[0].completion). */

#define SAMBA_URL_ENV "SAMBASTUDIO_URL"
#define SAMBA_KEY_ENV "SAMBASTUDIO_API_KEY"

typedef struct {
  gchar *url;          /* the full endpoint URL */
  gboolean openai;     /* the URL ends with /chat/completions */
  const char *key;     /* borrowed from the host (valid for the run); NULL: none */
} Samba;

static void *
samba_create (DmasCtx *ctx, DmasError *err)
{
  const char *url = llm_param (ctx, "url");
  if (url[0] == '\0')
    url = llm_secret (ctx, SAMBA_URL_ENV);
  if (url == NULL)
    {
      dmas_error_set (err, DMAS_EINVAL, "sambastudio: no endpoint: set " SAMBA_URL_ENV " (in "
                      "the environment or .env; `dmas setup-env` writes it) or params "
                      "llm/sambastudio.url");
      return NULL;
    }
  g_autofree gchar *full = llm_base_url (url);
  const char *key = llm_secret (ctx, SAMBA_KEY_ENV);
  if (key == NULL && !llm_url_is_loopback (full))
    {
      dmas_error_set (err, DMAS_EINVAL, "sambastudio: " SAMBA_KEY_ENV " is not set (needed "
                      "for %s): export it or put it in .env (`dmas setup-env` does)", full);
      return NULL;
    }
  Samba *s = g_new0 (Samba, 1);
  s->openai = g_str_has_suffix (full, "/chat/completions");
  s->url = g_steal_pointer (&full);
  s->key = key;
  return s;
}

static void
samba_destroy (void *self)
{
  Samba *s = self;
  g_free (s->url);
  g_free (s);
}

static void
add_param (JsonBuilder *b, const char *name, const char *type, const char *value)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, value);
  json_builder_end_object (b);
}

static char *
generic_body (const DmasLlmRequest *req)
{
  const char *system = req->system != NULL ? req->system : "";
  const char *prompt = req->prompt != NULL ? req->prompt : "";
  g_autofree gchar *instance = system[0] != '\0' ? g_strconcat (system, "\n\n", prompt, NULL)
                                                 : g_strdup (prompt);
  char tokens[32], temperature[G_ASCII_DTOSTR_BUF_SIZE];
  g_snprintf (tokens, sizeof tokens, "%u", req->max_tokens);
  g_ascii_formatd (temperature, sizeof temperature, "%g", req->temperature);

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "instance");
  json_builder_add_string_value (b, instance);
  json_builder_set_member_name (b, "params");
  json_builder_begin_object (b);
  add_param (b, "max_tokens_to_generate", "int", tokens);
  add_param (b, "temperature", "float", temperature);
  add_param (b, "do_sample", "bool", "false");
  if (req->model != NULL && req->model[0] != '\0')
    add_param (b, "select_expert", "str", req->model);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return llm_builder_text (b);
}

static int
samba_http_build (void *self, DmasCtx *ctx, const DmasLlmRequest *req, DmasLlmHttp *out,
                  DmasError *err)
{
  (void) ctx;
  Samba *s = self;
  if (s->openai && (req->model == NULL || req->model[0] == '\0'))
    return dmas_error_set (err, DMAS_EINVAL, "sambastudio: an OpenAI-compatible endpoint "
                           "needs a model: set llm.model");
  out->url = llm_strdup (s->url);
  out->body = s->openai ? llm_openai_body (req, req->model) : generic_body (req);
  int rc = llm_http_add_header (out, err, "Content-Type", "application/json");
  if (rc != DMAS_OK || s->key == NULL)
    return rc;
  /* The key goes into a header and nowhere else (the host never logs headers). */
  if (s->openai)
    {
      g_autofree gchar *bearer = g_strconcat ("Bearer ", s->key, NULL);
      return llm_http_add_header (out, err, "Authorization", bearer);
    }
  return llm_http_add_header (out, err, "key", s->key);
}

static int
samba_http_parse (void *self, DmasCtx *ctx, const char *body, size_t len, DmasLlmAnswer *out,
                  DmasError *err)
{
  (void) ctx;
  Samba *s = self;
  if (s->openai)
    return llm_openai_parse ("sambastudio", body, len, out, err);
  g_autoptr (JsonParser) parser = llm_parse_object ("sambastudio", body, len, err);
  if (parser == NULL)
    return DMAS_EINVAL;
  JsonNode *root = json_parser_get_root (parser);
  const char *content = llm_json_string (root, "result.responses.0.completion");
  if (content == NULL)
    content = llm_json_string (root, "predictions.0.completion");
  if (content == NULL)
    {
      const char *why = llm_json_error (root);
      return dmas_error_set (err, DMAS_EINVAL, "sambastudio: the reply has no "
                             "result.responses[0].completion (a string)%s%s",
                             why != NULL ? ": " : "", why != NULL ? why : "");
    }
  llm_answer_set (out, content,
                  llm_json_count (root, "result.responses.0.prompt_tokens_count"),
                  llm_json_count (root, "result.responses.0.completion_tokens_count"));
  return DMAS_OK;
}

static const DmasLlmOps samba_ops = {
  .struct_size = sizeof (DmasLlmOps),
  .create = samba_create,
  .destroy = samba_destroy,
  .http_build = samba_http_build,
  .http_parse = samba_http_parse,
};

static const DmasParamSpec samba_params[] = {
  { "url", DMAS_PARAM_STRING, "",
    "the endpoint URL (\"\": " SAMBA_URL_ENV "); one ending in /chat/completions is spoken "
    "to as OpenAI-compatible" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent samba_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_LLM,
    .name = "sambastudio",
    .api_major = DMAS_LLM_API_MAJOR,
    .api_minor = DMAS_LLM_API_MINOR,
    .ops = &samba_ops,
    .summary = "online: a SambaStudio endpoint (" SAMBA_URL_ENV ", key " SAMBA_KEY_ENV ")",
    .params = samba_params,
  },
};

static const DmasPluginDesc samba_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "sambastudio",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .components = samba_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &samba_desc;
}
