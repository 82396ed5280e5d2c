/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A minimal host for driving llm providers' ops in tests: parameters, secrets, module loading. */
#ifndef DMAS_TESTS_LLM_PROVIDER_HOST_H
#define DMAS_TESTS_LLM_PROVIDER_HOST_H

#include <glib.h>

#include <json-glib/json-glib.h>

#include <dmas/dmas.h>

G_BEGIN_DECLS

/* The context a provider gets: the host API implements param_string (values given, else the
 * component's spec default), secret and log; every other slot is NULL. */
typedef struct {
  DmasCtx base;                /* first: the providers get &base */
  const DmasComponent *component;
  GHashTable *params;          /* name -> value */
  GHashTable *secrets;         /* name -> value */
} TestCtx;

/* Loads the built module $DMAS_BUILDDIR/plugins/llm/.libs/NAME.so (kept loaded until exit),
 * checks its descriptor and returns its one llm component (the test fails otherwise). */
const DmasComponent *load_provider (const gchar *name);

/* One provider instance. */
typedef struct {
  TestCtx ctx;
  const DmasLlmOps *ops;
  void *self;
  DmasError err;
} Provider;

/* Creates provider `name` with "key=value" params and "NAME=value" secrets (NULL-terminated
 * lists, either NULL).  p->self is NULL (error in p->err) when create() failed. */
Provider *provider_new (const gchar *name, const gchar *const *params,
                        const gchar *const *secrets);
/* The same, asserting that create() succeeded. */
Provider *provider_ok (const gchar *name, const gchar *const *params,
                       const gchar *const *secrets);
void provider_free (Provider *p);

/* The closed placement schema (as the host sends it). */
extern const gchar *const test_placement_schema;

/* A request as the host makes it: system "You place HPC jobs.", a prompt with the lines
 * `Job id: 7`, `Job nodes: 2`, `Your cluster: alpha`, the placement schema, `context` ("{}"
 * when NULL), a fixed key, temperature 0.7, seed 0xfedcba9876543210, max_tokens 512.  The
 * strings are static. */
DmasLlmRequest test_request (const gchar *model, const gchar *context);

/* Parses `text` into parser (asserting it is JSON) and returns its root (transfer none). */
JsonNode *parse_json (JsonParser *parser, const gchar *text);
/* The member at a dotted path ("choices.0.message.content"; a number indexes an array), or
 * NULL when the last step is missing (earlier steps must exist). */
JsonNode *jget (JsonNode *node, const gchar *path);
/* The string / integer / number at path (asserted present). */
const gchar *jget_str (JsonNode *root, const gchar *path);
gint64 jget_int (JsonNode *root, const gchar *path);
gdouble jget_num (JsonNode *root, const gchar *path);

/* Whether an HTTP description holds the header line exactly / a line starting with prefix. */
gboolean http_has_header (const DmasLlmHttp *h, const gchar *line);
gboolean http_has_header_prefix (const DmasLlmHttp *h, const gchar *prefix);

G_END_DECLS

#endif /* DMAS_TESTS_LLM_PROVIDER_HOST_H */
