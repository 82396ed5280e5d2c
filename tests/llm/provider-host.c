/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A minimal host for driving llm providers' ops in tests: parameters, secrets, module loading. */
#include "provider-host.h"

#include <string.h>

#include <dlfcn.h>

static int
api_param_string (DmasCtx *ctx, const char *name, const char **out)
{
  TestCtx *t = (TestCtx *) ctx;
  const char *v = g_hash_table_lookup (t->params, name);
  if (v != NULL)
    {
      *out = v;
      return DMAS_OK;
    }
  for (const DmasParamSpec *p = t->component->params; p != NULL && p->name != NULL; p++)
    if (strcmp (p->name, name) == 0)
      {
        *out = p->default_value;
        return DMAS_OK;
      }
  return DMAS_ENOENT;
}

static const char *
api_secret (DmasCtx *ctx, const char *name)
{
  return g_hash_table_lookup (((TestCtx *) ctx)->secrets, name);
}

static void
api_log (DmasCtx *ctx, DmasLogLevel level, const char *message)
{
  (void) ctx;
  (void) level;
  g_test_message ("provider log: %s", message);
}

static const DmasHostApi test_api = {
  .struct_size = sizeof (DmasHostApi),
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .log = api_log,
  .param_string = api_param_string,
  .secret = api_secret,
};

const DmasComponent *
load_provider (const gchar *name)
{
  const gchar *builddir = g_getenv ("DMAS_BUILDDIR");
  g_autofree gchar *so = g_strdup_printf ("%s.so", name);
  g_autofree gchar *path = g_build_filename (builddir != NULL ? builddir : DMAS_ABS_BUILDDIR,
                                             "plugins", "llm", ".libs", so, NULL);
  /* Never dlclose()d: the component's strings and ops live in the module. */
  void *module = dlopen (path, RTLD_NOW | RTLD_LOCAL);
  if (module == NULL)
    g_error ("cannot load %s: %s", path, dlerror ());
  DmasPluginDescribeFn describe = NULL;
  *(void **) &describe = dlsym (module, DMAS_PLUGIN_ENTRY);
  g_assert_nonnull (describe);
  const DmasPluginDesc *desc = describe ();
  g_assert_cmpuint (desc->magic, ==, DMAS_PLUGIN_MAGIC);
  g_assert_cmpstr (desc->name, ==, name);
  g_assert_cmpuint (desc->n_components, ==, 1);
  const DmasComponent *c = &desc->components[0];
  g_assert_cmpint (c->kind, ==, DMAS_KIND_LLM);
  g_assert_cmpstr (c->name, ==, name);
  g_assert_cmpuint (c->api_major, ==, DMAS_LLM_API_MAJOR);
  const DmasLlmOps *ops = c->ops;
  g_assert_cmpuint (ops->struct_size, >=, DMAS_LLM_OPS_MIN_SIZE);
  g_assert_nonnull (ops->create);
  g_assert_nonnull (ops->destroy);
  /* Offline xor online. */
  g_assert_true ((ops->answer != NULL) != (ops->http_build != NULL && ops->http_parse != NULL));
  return c;
}

Provider *
provider_new (const gchar *name, const gchar *const *params, const gchar *const *secrets)
{
  Provider *p = g_new0 (Provider, 1);
  p->ctx.base.api = &test_api;
  p->ctx.component = load_provider (name);
  p->ctx.params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  p->ctx.secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; params != NULL && params[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (params[i], "=", 2);
      g_hash_table_insert (p->ctx.params, g_strdup (kv[0]), g_strdup (kv[1]));
    }
  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (secrets[i], "=", 2);
      g_hash_table_insert (p->ctx.secrets, g_strdup (kv[0]), g_strdup (kv[1]));
    }
  p->ops = p->ctx.component->ops;
  p->self = p->ops->create (&p->ctx.base, &p->err);
  return p;
}

void
provider_free (Provider *p)
{
  if (p->self != NULL)
    p->ops->destroy (p->self);
  g_hash_table_unref (p->ctx.params);
  g_hash_table_unref (p->ctx.secrets);
  g_free (p);
}

Provider *
provider_ok (const gchar *name, const gchar *const *params, const gchar *const *secrets)
{
  Provider *p = provider_new (name, params, secrets);
  if (p->self == NULL)
    g_error ("%s: create failed: %s", name, p->err.message);
  return p;
}


JsonNode *
parse_json (JsonParser *parser, const gchar *text)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_parser_get_root (parser);
}

JsonNode *
jget (JsonNode *node, const gchar *path)
{
  g_auto (GStrv) steps = g_strsplit (path, ".", -1);
  for (guint i = 0; steps[i] != NULL; i++)
    {
      g_assert_nonnull (node);
      if (JSON_NODE_HOLDS_ARRAY (node))
        node = json_array_get_element (json_node_get_array (node),
                                       (guint) g_ascii_strtoull (steps[i], NULL, 10));
      else
        {
          g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
          JsonObject *o = json_node_get_object (node);
          node = json_object_has_member (o, steps[i]) ? json_object_get_member (o, steps[i])
                                                      : NULL;
        }
    }
  return node;
}

const gchar *
jget_str (JsonNode *root, const gchar *path)
{
  JsonNode *n = jget (root, path);
  g_assert_nonnull (n);
  return json_node_get_string (n);
}

gint64
jget_int (JsonNode *root, const gchar *path)
{
  JsonNode *n = jget (root, path);
  g_assert_nonnull (n);
  return json_node_get_int (n);
}

gdouble
jget_num (JsonNode *root, const gchar *path)
{
  JsonNode *n = jget (root, path);
  g_assert_nonnull (n);
  return json_node_get_double (n);
}

gboolean
http_has_header (const DmasLlmHttp *h, const gchar *line)
{
  for (int i = 0; i < DMAS_LLM_MAX_HEADERS && h->headers[i] != NULL; i++)
    if (strcmp (h->headers[i], line) == 0)
      return TRUE;
  return FALSE;
}

gboolean
http_has_header_prefix (const DmasLlmHttp *h, const gchar *prefix)
{
  for (int i = 0; i < DMAS_LLM_MAX_HEADERS && h->headers[i] != NULL; i++)
    if (g_str_has_prefix (h->headers[i], prefix))
      return TRUE;
  return FALSE;
}


const gchar *const test_placement_schema =
  "{\"type\":\"object\",\"additionalProperties\":false,"
  "\"required\":[\"job_id\",\"cluster\",\"nodes\",\"score\",\"reasoning\"],"
  "\"properties\":{\"job_id\":{\"type\":\"integer\",\"minimum\":1},"
  "\"cluster\":{\"type\":\"string\",\"maxLength\":64},"
  "\"nodes\":{\"type\":\"integer\",\"minimum\":0},"
  "\"score\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1},"
  "\"reasoning\":{\"type\":\"string\",\"maxLength\":1000}}}";

DmasLlmRequest
test_request (const gchar *model, const gchar *context)
{
  return (DmasLlmRequest) {
    .struct_size = sizeof (DmasLlmRequest),
    .model = model,
    .system = "You place HPC jobs.",
    .prompt = "Job id: 7\nJob nodes: 2\nYour cluster: alpha\nAnswer with JSON.",
    .schema = test_placement_schema,
    .context = context != NULL ? context : "{}",
    .key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    .temperature = 0.7,
    .seed = G_GUINT64_CONSTANT (0xfedcba9876543210),
    .max_tokens = 512,
  };
}

