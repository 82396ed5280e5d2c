/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Component parameter resolution: unknown keys, types, defaults, spec order, positions. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <dmas/dmas.h>
#include "plugin/registry.h"

static const DmasParamSpec auction_params[] = {
  { "deadline", DMAS_PARAM_DURATION, "50ms", "how long the home agent collects bids" },
  { "min-bids", DMAS_PARAM_INT, "1", "bids that end the collection early" },
  { "ratio", DMAS_PARAM_DOUBLE, "0.5", "a fraction" },
  { "verbose", DMAS_PARAM_BOOL, "false", "log every round" },
  { "label", DMAS_PARAM_STRING, "none", "free text" },
  { NULL, 0, NULL, NULL },
};

static const DmasParamSpec no_params[] = { { NULL, 0, NULL, NULL } };

static const DmasComponentInfo auction = {
  .kind = DMAS_KIND_CONSENSUS,
  .name = "auction",
  .summary = "contract-net auction",
  .plugin = "auction",
  .version = "1.0.0",
  .file = "/nowhere/auction.so",
  .api_major = DMAS_CONSENSUS_API_MAJOR,
  .api_minor = DMAS_CONSENSUS_API_MINOR,
  .params = auction_params,
  .ops = NULL,
};

static const DmasComponentInfo bare = {
  .kind = DMAS_KIND_BIDDING,
  .name = "bare",
  .summary = "",
  .plugin = "bare",
  .version = "1.0.0",
  .file = "/nowhere/bare.so",
  .api_major = DMAS_BIDDING_API_MAJOR,
  .api_minor = DMAS_BIDDING_API_MINOR,
  .params = no_params,
  .ops = NULL,
};

/* Parses "params:\n  <body>" from test.yaml and returns the params node (line 2 onwards). */
static DmasNode *
parse_params (const gchar *body)
{
  g_autofree gchar *text = g_strconcat ("params:\n", body, NULL);
  g_autoptr (GError) error = NULL;
  DmasNode *root = dmas_node_parse_string (text, strlen (text), "test.yaml", "/tmp", &error);
  DmasNode *params;

  g_assert_no_error (error);
  g_assert_nonnull (root);
  params = dmas_node_copy (dmas_node_get (root, "params"));
  dmas_node_free (root);
  g_assert_nonnull (params);
  return params;
}

/* Resolves `body` against auction and returns "k=v k=v ..." in result order. */
static gchar *
resolve_to_string (const DmasComponentInfo *info, const gchar *body)
{
  g_autoptr (DmasNode) given = body != NULL ? parse_params (body) : NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasNode) result = dmas_component_resolve_params (info, given, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (result->kind, ==, DMAS_NODE_MAP);
  for (guint i = 0; i < result->keys->len; i++)
    {
      const DmasNode *value = g_ptr_array_index (result->values, i);
      g_assert_cmpint (value->kind, ==, DMAS_NODE_SCALAR);
      g_string_append_printf (out, "%s%s=%s", i > 0 ? " " : "",
                              (const gchar *) g_ptr_array_index (result->keys, i),
                              value->scalar);
    }
  return g_string_free (out, FALSE);
}

static void
assert_refused (const DmasComponentInfo *info, const gchar *body, const gchar *expected)
{
  g_autoptr (DmasNode) given = parse_params (body);
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasNode) result = dmas_component_resolve_params (info, given, &error);

  g_assert_null (result);
  g_assert_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS);
  if (strstr (error->message, expected) == NULL)
    g_error ("'%s' lacks '%s'", error->message, expected);
}

static void
test_defaults (void)
{
  g_autofree gchar *all = resolve_to_string (&auction, NULL);
  g_autofree gchar *none = resolve_to_string (&bare, NULL);

  g_assert_cmpstr (all, ==, "deadline=50ms min-bids=1 ratio=0.5 verbose=false label=none");
  g_assert_cmpstr (none, ==, "");
}

/* Given values replace defaults; the result follows the spec's order, not the file's. */
static void
test_given_spec_order (void)
{
  g_autofree gchar *got = resolve_to_string (&auction, "  verbose: true\n"
                                                       "  label: \"hello world\"\n"
                                                       "  deadline: 2s\n");

  g_assert_cmpstr (got, ==, "deadline=2s min-bids=1 ratio=0.5 verbose=true label=hello world");
}

/* Given values keep their position, so later errors can still point into the file. */
static void
test_positions_kept (void)
{
  g_autoptr (DmasNode) given = parse_params ("  ratio: 0.25\n  deadline: 2s\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasNode) result = dmas_component_resolve_params (&auction, given, &error);
  const DmasNode *deadline, *verbose;

  g_assert_no_error (error);
  deadline = dmas_node_get (result, "deadline");
  g_assert_cmpstr (deadline->file, ==, "test.yaml");
  g_assert_cmpuint (deadline->line, ==, 3);
  verbose = dmas_node_get (result, "verbose");
  g_assert_cmpuint (verbose->line, ==, 0);
}

static void
test_empty_map (void)
{
  g_autofree gchar *got = resolve_to_string (&auction, "  {}\n");

  g_assert_cmpstr (got, ==, "deadline=50ms min-bids=1 ratio=0.5 verbose=false label=none");
}

static void
test_unknown (void)
{
  assert_refused (&auction, "  deadline: 1s\n  dedline: 5s\n",
                  "test.yaml:3:3: unknown parameter 'dedline' for consensus/auction "
                  "(did you mean 'deadline'?)");
  assert_refused (&auction, "  colour: red\n",
                  "test.yaml:2:3: unknown parameter 'colour' for consensus/auction (it takes: "
                  "deadline, min-bids, ratio, verbose, label)");
  assert_refused (&bare, "  speed: 2\n",
                  "test.yaml:2:3: unknown parameter 'speed' for bidding/bare (it takes no "
                  "parameters)");
}

static void
test_types (void)
{
  assert_refused (&auction, "  min-bids: many\n",
                  "test.yaml:2:13: parameter 'min-bids' of consensus/auction: expected an "
                  "integer such as 42, got 'many'");
  assert_refused (&auction, "  min-bids: 1.5\n", "expected an integer");
  assert_refused (&auction, "  min-bids: 99999999999999999999\n", "expected an integer");
  assert_refused (&auction, "  ratio: half\n",
                  "parameter 'ratio' of consensus/auction: expected a number such as 0.5, got "
                  "'half'");
  assert_refused (&auction, "  ratio: inf\n", "expected a number");
  assert_refused (&auction, "  ratio: nan\n", "expected a number");
  assert_refused (&auction, "  ratio: 0.5x\n", "expected a number");
  assert_refused (&auction, "  verbose: yes\n",
                  "parameter 'verbose' of consensus/auction: expected true or false, got 'yes'");
  assert_refused (&auction, "  deadline: soon\n",
                  "test.yaml:2:13: parameter 'deadline' of consensus/auction: ");
  assert_refused (&auction, "  deadline: [1s, 2s]\n",
                  "parameter 'deadline' of consensus/auction must be a single duration value, "
                  "not a list");
  assert_refused (&auction, "  label: {a: 1}\n", "must be a single string value, not a map");
}

static void
test_not_a_map (void)
{
  assert_refused (&auction, "  - deadline\n",
                  "test.yaml:2:3: the parameters of consensus/auction must be a map of name: "
                  "value");
}

/* Each accepted form, and the edges just outside it. */
static void
test_value_forms (void)
{
  g_autofree gchar *got = resolve_to_string (&auction, "  min-bids: -3\n"
                                                       "  ratio: 1e-3\n"
                                                       "  verbose: True\n"
                                                       "  label: 42\n"
                                                       "  deadline: 1500us\n");

  g_assert_cmpstr (got, ==, "deadline=1500us min-bids=-3 ratio=1e-3 verbose=True label=42");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/registry/params/defaults", test_defaults);
  g_test_add_func ("/registry/params/given-spec-order", test_given_spec_order);
  g_test_add_func ("/registry/params/positions-kept", test_positions_kept);
  g_test_add_func ("/registry/params/empty-map", test_empty_map);
  g_test_add_func ("/registry/params/unknown", test_unknown);
  g_test_add_func ("/registry/params/types", test_types);
  g_test_add_func ("/registry/params/not-a-map", test_not_a_map);
  g_test_add_func ("/registry/params/value-forms", test_value_forms);
  return g_test_run ();
}
