/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llm/openai: OpenAI or any OpenAI-compatible API (SambaNova Cloud, vLLM, llama.cpp, ...). */
#include <string.h>

#include <dmas/dmas.h>

#include "common.h"
#include "openai-wire.h"

#define OPENAI_DEFAULT_URL "https://api.openai.com"
#define OPENAI_DEFAULT_MODEL "gpt-4o-mini"
#define OPENAI_DEFAULT_KEY_ENV "OPENAI_API_KEY"

typedef struct {
  gchar *url;          /* base URL without /v1 */
  gchar *key_var;      /* the variable the key came from (for messages; never the key) */
  const char *key;     /* borrowed from the host (valid for the run); NULL: none */
} OpenAi;

static const char *
model_of (const char *model)
{
  return model != NULL && model[0] != '\0' ? model : OPENAI_DEFAULT_MODEL;
}

static void *
openai_create (DmasCtx *ctx, DmasError *err)
{
  const char *url = llm_param (ctx, "url");
  if (url[0] == '\0')
    url = llm_secret (ctx, "OPENAI_BASE_URL");
  g_autofree gchar *base = llm_base_url (url != NULL ? url : OPENAI_DEFAULT_URL);
  /* OPENAI_BASE_URL conventionally ends in /v1 (the official SDKs append only the path). */
  if (g_str_has_suffix (base, "/v1"))
    base[strlen (base) - 3] = '\0';
  const char *key_var = llm_param (ctx, "key_env");
  if (key_var[0] == '\0')
    key_var = OPENAI_DEFAULT_KEY_ENV;
  const char *key = llm_secret (ctx, key_var);
  /* A local server (vLLM, llama.cpp) usually takes no key; a remote one always does, and
   * saying so now beats 401s after the retries. */
  if (key == NULL && !llm_url_is_loopback (base))
    {
      dmas_error_set (err, DMAS_EINVAL, "openai: %s is not set (needed for %s): export it or "
                      "put it in .env (`dmas setup-env` does), or name another variable with "
                      "params llm/openai.key_env", key_var, base);
      return NULL;
    }
  OpenAi *o = g_new0 (OpenAi, 1);
  o->url = g_steal_pointer (&base);
  o->key_var = g_strdup (key_var);
  o->key = key;
  return o;
}

static void
openai_destroy (void *self)
{
  OpenAi *o = self;
  g_free (o->url);
  g_free (o->key_var);
  g_free (o);
}

/* The key goes into a header and nowhere else (the host never logs headers). */
static int
add_auth (const OpenAi *o, DmasLlmHttp *out, DmasError *err)
{
  if (o->key == NULL)
    return DMAS_OK;
  g_autofree gchar *bearer = g_strconcat ("Bearer ", o->key, NULL);
  return llm_http_add_header (out, err, "Authorization", bearer);
}

static int
openai_http_build (void *self, DmasCtx *ctx, const DmasLlmRequest *req, DmasLlmHttp *out,
                   DmasError *err)
{
  (void) ctx;
  OpenAi *o = self;
  out->url = llm_strdup_printf ("%s/v1/chat/completions", o->url);
  out->body = llm_openai_body (req, model_of (req->model));
  int rc = llm_http_add_header (out, err, "Content-Type", "application/json");
  return rc != DMAS_OK ? rc : add_auth (o, out, err);
}

static int
openai_http_parse (void *self, DmasCtx *ctx, const char *body, size_t len,
                   DmasLlmAnswer *out, DmasError *err)
{
  (void) self;
  (void) ctx;
  return llm_openai_parse ("openai", body, len, out, err);
}

static int
openai_probe_build (void *self, DmasCtx *ctx, const char *model, DmasLlmHttp *out,
                    DmasError *err)
{
  (void) ctx;
  (void) model;
  OpenAi *o = self;
  out->url = llm_strdup_printf ("%s/v1/models", o->url);
  return add_auth (o, out, err);
}

static int
openai_probe_parse (void *self, DmasCtx *ctx, const char *model, long status,
                    const char *body, size_t len, DmasError *err)
{
  (void) ctx;
  OpenAi *o = self;
  return llm_openai_models_parse ("openai", o->url, model_of (model), o->key_var, status, body,
                                  len, err);
}

static const DmasLlmOps openai_ops = {
  .struct_size = sizeof (DmasLlmOps),
  .create = openai_create,
  .destroy = openai_destroy,
  .http_build = openai_http_build,
  .http_parse = openai_http_parse,
  .probe_build = openai_probe_build,
  .probe_parse = openai_probe_parse,
};

static const DmasParamSpec openai_params[] = {
  { "url", DMAS_PARAM_STRING, "",
    "the API's base URL (\"\": OPENAI_BASE_URL, else " OPENAI_DEFAULT_URL "); a trailing /v1 "
    "is allowed" },
  { "key_env", DMAS_PARAM_STRING, OPENAI_DEFAULT_KEY_ENV,
    "the environment (or .env) variable holding the API key, e.g. SAMBANOVA_API_KEY" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent openai_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_LLM,
    .name = "openai",
    .api_major = DMAS_LLM_API_MAJOR,
    .api_minor = DMAS_LLM_API_MINOR,
    .ops = &openai_ops,
    .summary = "online: the OpenAI chat-completions API or a compatible one (default model "
               OPENAI_DEFAULT_MODEL "), JSON mode",
    .params = openai_params,
  },
};

static const DmasPluginDesc openai_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "openai",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .components = openai_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &openai_desc;
}
