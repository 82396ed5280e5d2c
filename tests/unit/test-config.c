/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the config subsystem: units, did-you-mean, node tree, --set, schema, resolve. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "config/config.h"
#include "config/schema.h"

/* ---- durations, sizes, rates ---- */

static void
test_duration_good (void)
{
  static const struct { const gchar *text; guint64 ns; } cases[] = {
    { "150ms", 150 * DMAS_MS }, { "5s", 5 * DMAS_S },         { "2h", 7200 * DMAS_S },
    { "1d", 86400 * DMAS_S },   { "1.5s", 1500 * DMAS_MS },   { "0.1s", 100 * DMAS_MS },
    { "90s", 90 * DMAS_S },     { "1m", 60 * DMAS_S },        { "0.5m", 30 * DMAS_S },
    { "1.25h", 4500 * DMAS_S }, { "0s", 0 },                  { "10us", 10 * DMAS_US },
    { "7ns", 7 },               { "2.000s", 2 * DMAS_S },     { "0.000000001s", 1 },
    { "18446744073709551615ns", G_MAXUINT64 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      guint64 ns = 42;

      g_assert_true (dmas_parse_duration (cases[i].text, &ns, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (ns, ==, cases[i].ns);
    }
}

static void
test_duration_bad (void)
{
  static const struct { const gchar *text; const gchar *message; } cases[] = {
    { "5", "'5' has no unit; add a unit, e.g. '5s' (units: ns, us, ms, s, m, h or d)" },
    { "-5s", "'-5s' is negative; a duration cannot be negative" },
    { "5x", "'5x' has an unknown unit 'x'; use ns, us, ms, s, m, h or d (one number and one "
            "unit, e.g. '5s')" },
    { "1h30m", "'1h30m' has an unknown unit 'h30m'; use ns, us, ms, s, m, h or d (one number "
               "and one unit, e.g. '5s')" },
    { "abc", "'abc' is not a duration; write a number and a unit (ns, us, ms, s, m, h or d), "
             "e.g. '5s'" },
    { "", "'' is not a duration; write a number and a unit (ns, us, ms, s, m, h or d), "
          "e.g. '5s'" },
    { ".5s", "'.5s' is not a duration; write a number and a unit (ns, us, ms, s, m, h or d), "
             "e.g. '5s'" },
    { "1.5ns", "'1.5ns' is not a whole number of nanoseconds; use fewer decimals or a smaller "
               "unit" },
    { "18446744073709551616ns", "'18446744073709551616ns' is too large for a duration" },
    { "300000d", "'300000d' is too large for a duration" },
    { "5 s", "'5 s' has an unknown unit ' s'; use ns, us, ms, s, m, h or d (one number and one "
             "unit, e.g. '5s')" },
    { "5S", "'5S' has an unknown unit 'S'; use ns, us, ms, s, m, h or d (one number and one "
            "unit, e.g. '5s')" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      guint64 ns = 42;

      g_assert_false (dmas_parse_duration (cases[i].text, &ns, &error));
      g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_cmpuint (ns, ==, 42);
    }
}

static void
test_duration_format (void)
{
  static const struct { guint64 ns; const gchar *text; } cases[] = {
    { 0, "0s" },
    { 150 * DMAS_MS, "150ms" },
    { 2 * 3600 * DMAS_S, "2h" },
    { 90 * DMAS_S, "90s" },
    { 120 * DMAS_S, "2m" },
    { 86400 * DMAS_S, "1d" },
    { 1500 * DMAS_MS, "1500ms" },
    { 1, "1ns" },
    { 1001, "1001ns" },
    { 36 * 3600 * DMAS_S, "36h" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *text = dmas_format_duration (cases[i].ns);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  /* Whatever the value, formatting then parsing gives it back. */
  for (guint i = 0; i < 1000; i++)
    {
      guint64 unit[] = { 1, DMAS_US, DMAS_MS, DMAS_S, 60 * DMAS_S, 3600 * DMAS_S };
      guint64 ns = (guint64) g_test_rand_int_range (0, G_MAXINT32)
                   * unit[g_test_rand_int_range (0, G_N_ELEMENTS (unit))];
      g_autofree gchar *text = dmas_format_duration (ns);
      guint64 back = 0;

      g_assert_true (dmas_parse_duration (text, &back, NULL));
      g_assert_cmpuint (back, ==, ns);
    }
}

static void
test_size (void)
{
  static const struct { const gchar *text; guint64 bytes; } good[] = {
    { "64GB", G_GUINT64_CONSTANT (64000000000) }, { "512MB", 512000000 },
    { "1KiB", 1024 },                             { "2GiB", G_GUINT64_CONSTANT (2147483648) },
    { "100B", 100 },                              { "1.5KiB", 1536 },
    { "1kB", 1000 },                              { "1KB", 1000 },
    { "3TiB", G_GUINT64_CONSTANT (3298534883328) },
  };
  static const struct { const gchar *text; const gchar *message; } bad[] = {
    { "64", "'64' has no unit; add a unit, e.g. '64MB' (units: B, kB, MB, GB, TB, KiB, MiB, "
            "GiB or TiB)" },
    { "1.5B", "'1.5B' is not a whole number of bytes; use fewer decimals or a smaller unit" },
    { "-1GB", "'-1GB' is negative; a size cannot be negative" },
    { "5XB", "'5XB' has an unknown unit 'XB'; use B, kB, MB, GB, TB, KiB, MiB, GiB or TiB (one "
             "number and one unit, e.g. '5MB')" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;
      guint64 bytes = 0;

      g_assert_true (dmas_parse_size (good[i].text, &bytes, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (bytes, ==, good[i].bytes);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      guint64 bytes = 0;

      g_assert_false (dmas_parse_size (bad[i].text, &bytes, &error));
      g_assert_cmpstr (error->message, ==, bad[i].message);
    }
}

static void
test_rate (void)
{
  static const struct { const gchar *text; gdouble bps; } good[] = {
    { "10Gbps", 1e10 }, { "100Mbps", 1e8 }, { "1Gbit/s", 1e9 },  { "1.5Gbps", 1.5e9 },
    { "1MB/s", 8e6 },   { "1KiB/s", 8192 }, { "56kbps", 56000 }, { "0bps", 0 },
  };
  static const gchar *const bad[] = { "10", "10Gb", "-1Gbps", "fast", "10 Gbps" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;
      gdouble bps = -1;

      g_assert_true (dmas_parse_rate (good[i].text, &bps, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (bps, ==, good[i].bps);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      gdouble bps = -1;

      g_assert_false (dmas_parse_rate (bad[i], &bps, &error));
      g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE);
    }
  {
    g_autoptr (GError) error = NULL;
    gdouble bps;

    g_assert_false (dmas_parse_rate ("10", &bps, &error));
    g_assert_true (strstr (error->message, "add a unit, e.g. '10Mbps'") != NULL);
  }
}

/* ---- did you mean ---- */

static void
test_did_you_mean (void)
{
  static const gchar *const keys[] = { "mode", "bidding", "consensus", "local_policy" };
  static const gchar *const net[] = { "latency", "jitter" };
  static const gchar *const tie[] = { "seat", "sees", "seed" };

  g_assert_cmpstr (dmas_did_you_mean ("consensu", keys, 4), ==, "consensus");
  g_assert_cmpstr (dmas_did_you_mean ("biding", keys, 4), ==, "bidding");
  g_assert_cmpstr (dmas_did_you_mean ("local-policy", keys, 4), ==, "local_policy");
  g_assert_cmpstr (dmas_did_you_mean ("Mode", keys, 4), ==, "mode");
  /* A swap of two letters counts as one edit. */
  g_assert_cmpstr (dmas_did_you_mean ("lantecy", net, 2), ==, "latency");
  g_assert_null (dmas_did_you_mean ("xyzzy", keys, 4));
  g_assert_null (dmas_did_you_mean ("consensus", keys, 0));
  /* Within a third of the word's length only. */
  g_assert_null (dmas_did_you_mean ("md", keys, 4));
  /* Equally close candidates: the first listed wins. */
  g_assert_cmpstr (dmas_did_you_mean ("seex", tie, 3), ==, "sees");
}

/* ---- node tree ---- */

static DmasNode *
parse (const gchar *text)
{
  g_autoptr (GError) error = NULL;
  DmasNode *root = dmas_node_parse_string (text, strlen (text), "t.yaml", "/base", &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  return root;
}

static gchar *
parse_error (const gchar *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasNode) root = dmas_node_parse_string (text, strlen (text), "t.yaml", "/base",
                                                      &error);

  g_assert_null (root);
  g_assert_nonnull (error);
  return g_strdup (error->message);
}

static void
test_node_positions (void)
{
  g_autoptr (DmasNode) root = parse ("# comment\n"
                                     "seed: 7\n"
                                     "network:\n"
                                     "  latency: \"5ms\"\n"
                                     "list: [a, 'b']\n"
                                     "zeta: 1\n"
                                     "alpha: 2\n");
  DmasNode *latency = dmas_node_lookup (root, "network.latency");
  DmasNode *list = dmas_node_get (root, "list");
  DmasNode *key = dmas_node_get_key_node (dmas_node_get (root, "network"), "latency");
  g_autofree gchar *where = dmas_node_where (latency);

  g_assert_cmpint (root->kind, ==, DMAS_NODE_MAP);
  g_assert_cmpstr (root->file, ==, "t.yaml");
  g_assert_cmpstr (root->base_dir, ==, "/base");
  g_assert_cmpuint (dmas_node_get (root, "seed")->line, ==, 2);
  g_assert_cmpuint (dmas_node_get (root, "seed")->column, ==, 7);
  g_assert_false (dmas_node_get (root, "seed")->quoted);
  g_assert_cmpstr (latency->scalar, ==, "5ms");
  g_assert_true (latency->quoted);
  g_assert_cmpuint (latency->line, ==, 4);
  g_assert_cmpuint (latency->column, ==, 12);
  g_assert_cmpuint (key->line, ==, 4);
  g_assert_cmpuint (key->column, ==, 3);
  g_assert_cmpstr (where, ==, "t.yaml:4:12: ");
  g_assert_cmpint (list->kind, ==, DMAS_NODE_SEQ);
  g_assert_cmpuint (list->values->len, ==, 2);
  g_assert_cmpuint (((DmasNode *) g_ptr_array_index (list->values, 1))->column, ==, 11);
  g_assert_true (((DmasNode *) g_ptr_array_index (list->values, 1))->quoted);
  /* Keys stay in document order. */
  g_assert_cmpstr (g_ptr_array_index (root->keys, 3), ==, "zeta");
  g_assert_cmpstr (g_ptr_array_index (root->keys, 4), ==, "alpha");
  g_assert_null (dmas_node_lookup (root, "network.jitter"));
  g_assert_null (dmas_node_lookup (root, "seed.x"));
}

static void
test_node_depth_cap (void)
{
  g_autoptr (GString) ok = g_string_new ("a: ");
  g_autoptr (GString) deep = NULL;
  g_autoptr (DmasNode) root = NULL;
  g_autofree gchar *message = NULL;

  /* The root map is level 1: 31 nested lists after it reach exactly the cap. */
  for (guint i = 0; i < DMAS_CONFIG_MAX_DEPTH - 1; i++)
    g_string_append_c (ok, '[');
  deep = g_string_new (ok->str);
  g_string_append_c (deep, '[');
  for (guint i = 0; i < DMAS_CONFIG_MAX_DEPTH - 1; i++)
    {
      g_string_append_c (ok, ']');
      g_string_append_c (deep, ']');
    }
  g_string_append_c (deep, ']');
  root = parse (ok->str);
  message = parse_error (deep->str);
  g_assert_cmpstr (message, ==, "t.yaml:1:35: nesting deeper than 32 levels is not allowed; "
                                "flatten this part of the config");
}

static void
test_node_emit_round_trip (void)
{
  static const gchar *const text =
    "plain: word\n"
    "quoted_yes: \"yes\"\n"
    "quoted_number: '042'\n"
    "colon: \"a: b\"\n"
    "hash: \"x #y\"\n"
    "space: \" leading\"\n"
    "unicode: \"caf\xc3\xa9\"\n"
    "empty_map: {}\n"
    "empty_list: []\n"
    "nested:\n"
    "  - {a: 1, b: [x, y]}\n"
    "  - plain\n";
  g_autoptr (DmasNode) root = parse (text);
  g_autofree gchar *yaml = dmas_node_to_yaml (root);
  g_autoptr (DmasNode) back = parse (yaml);
  g_autofree gchar *yaml_back = dmas_node_to_yaml (back);

  g_assert_cmpstr (yaml_back, ==, yaml);
  g_assert_cmpstr (dmas_node_get (back, "quoted_yes")->scalar, ==, "yes");
  g_assert_true (dmas_node_get (back, "quoted_yes")->quoted);
  g_assert_true (dmas_node_get (back, "quoted_number")->quoted);
  g_assert_cmpstr (dmas_node_get (back, "colon")->scalar, ==, "a: b");
  g_assert_cmpstr (dmas_node_get (back, "hash")->scalar, ==, "x #y");
  g_assert_cmpstr (dmas_node_get (back, "space")->scalar, ==, " leading");
  g_assert_cmpstr (dmas_node_get (back, "unicode")->scalar, ==, "caf\xc3\xa9");
  g_assert_cmpint (dmas_node_get (back, "empty_map")->kind, ==, DMAS_NODE_MAP);
  g_assert_cmpint (dmas_node_get (back, "empty_list")->kind, ==, DMAS_NODE_SEQ);
  g_assert_true (strstr (yaml, "empty_map: {}\n") != NULL);
  g_assert_true (g_str_has_prefix (yaml, "plain: word\nquoted_yes: \"yes\"\n"));
}

static void
test_node_copy_and_set (void)
{
  g_autoptr (DmasNode) root = parse ("a: 1\nb: 2\nc: 3\n");
  g_autoptr (DmasNode) copy = dmas_node_copy (root);
  g_autofree gchar *yaml = NULL;

  dmas_node_set (root, "b", dmas_node_new_scalar ("20", "x", NULL, 9, 9));
  dmas_node_set (root, "d", dmas_node_new_map ("x", NULL, 10, 1));
  /* A plain value that cannot be written plain gets quoted, and no "!" tag. */
  dmas_node_set (root, "e", dmas_node_new_scalar ("x: y", "x", NULL, 11, 1));
  yaml = dmas_node_to_yaml (root);
  g_assert_cmpstr (yaml, ==, "a: 1\nb: 20\nc: 3\nd: {}\ne: 'x: y'\n");
  g_assert_cmpstr (dmas_node_get (copy, "b")->scalar, ==, "2");
  g_assert_cmpuint (dmas_node_get_key_node (root, "d")->line, ==, 10);
}

/* ---- --set ---- */

static void
test_apply_set (void)
{
  g_autoptr (DmasNode) root = parse ("seed: 1\nnetwork:\n  latency: 1ms\nname: x\n");
  g_autofree gchar *cwd = g_get_current_dir ();
  g_autoptr (GError) error = NULL;
  DmasNode *node;

  g_assert_true (dmas_node_apply_set (root, "network.latency=5ms", &error));
  g_assert_no_error (error);
  node = dmas_node_lookup (root, "network.latency");
  g_assert_cmpstr (node->scalar, ==, "5ms");
  g_assert_cmpstr (node->file, ==, "<command line>");
  g_assert_cmpuint (node->line, ==, 1);
  g_assert_cmpuint (node->column, ==, 17);
  g_assert_cmpstr (node->base_dir, ==, cwd);

  /* Replacing keeps the key where the file had it. */
  g_assert_true (dmas_node_apply_set (root, "seed=9", &error));
  g_assert_cmpstr (g_ptr_array_index (root->keys, 0), ==, "seed");
  g_assert_cmpstr (dmas_node_get (root, "seed")->scalar, ==, "9");

  /* Missing maps are created; values are YAML flow values. */
  g_assert_true (dmas_node_apply_set (root, "params.consensus/auction.deadline=50ms", &error));
  g_assert_cmpstr (dmas_node_lookup (root, "params.consensus/auction.deadline")->scalar, ==,
                   "50ms");
  g_assert_true (dmas_node_apply_set (root, "platform.clusters=[{nodes: 2}, {cores: 4}]",
                                      &error));
  node = dmas_node_lookup (root, "platform.clusters");
  g_assert_cmpint (node->kind, ==, DMAS_NODE_SEQ);
  g_assert_cmpuint (node->values->len, ==, 2);
  g_assert_cmpuint (node->column, ==, 19);
  g_assert_true (dmas_node_apply_set (root, "name='042'", &error));
  g_assert_true (dmas_node_get (root, "name")->quoted);
  g_assert_true (dmas_node_apply_set (root, "drain=", &error));
  g_assert_cmpstr (dmas_node_get (root, "drain")->scalar, ==, "");
  g_assert_no_error (error);
}

static void
test_apply_set_errors (void)
{
  static const struct { const gchar *set; const gchar *message; } cases[] = {
    { "seed", "<command line>:1:1: --set 'seed': missing '='; write KEY=VALUE, e.g. --set "
              "network.latency=5ms" },
    { "=5", "<command line>:1:1: --set '=5': empty key; write KEY=VALUE, e.g. --set seed=7" },
    { "network..latency=5ms", "<command line>:1:9: --set 'network..latency=5ms': empty part in "
                              "the key; separate names with single dots, e.g. --set "
                              "workload.jobs=100" },
    { "seed.x=1", "<command line>:1:1: --set 'seed.x=1': 'seed' is a single value (given at "
                  "t.yaml:1:7), not a map, so it has no key 'x'" },
    { "list.x.y=1", "<command line>:1:1: --set 'list.x.y=1': 'list' is a list (given at "
                    "t.yaml:2:7), not a map, so it has no key 'x'" },
    { "net.lat.x=1", "<command line>:1:5: --set 'net.lat.x=1': 'net.lat' is a single value "
                     "(given at t.yaml:3:12), not a map, so it has no key 'x'" },
    { "a=[1, 2", "<command line>:1:8: --set 'a=[1, 2': invalid YAML: did not find expected ',' "
                 "or ']' (while parsing a flow sequence that starts at 1:3)" },
    { "a=&x 1", "<command line>:1:3: --set 'a=&x 1': aliases and anchors are not supported "
                "(found anchor 'x'); write the value out in full" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (DmasNode) root = parse ("seed: 1\nlist: [a]\nnet: {lat: 1ms}\n");
      g_autoptr (GError) error = NULL;

      g_assert_false (dmas_node_apply_set (root, cases[i].set, &error));
      g_assert_error (error, DMAS_CONFIG_ERROR, error->code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* ---- the whole config ---- */

static DmasConfig *
load (const gchar *text, const gchar *const *sets)
{
  g_autoptr (GError) error = NULL;
  DmasConfig *config = dmas_config_load_string (text, "t.yaml", "/base", sets, &error);

  g_assert_no_error (error);
  g_assert_nonnull (config);
  return config;
}

static gchar *
load_error (const gchar *text, const gchar *const *sets)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = dmas_config_load_string (text, "t.yaml", "/base", sets,
                                                           &error);

  g_assert_null (config);
  g_assert_nonnull (error);
  return g_strdup (error->message);
}

static void
test_defaults (void)
{
  g_autoptr (DmasConfig) c = load ("{}", NULL);

  g_assert_cmpstr (c->source, ==, "t.yaml");
  g_assert_cmpstr (c->name, ==, "t");
  g_assert_cmpuint (c->seed, ==, 1);
  g_assert_cmpuint (c->horizon, ==, 3600 * DMAS_S);
  g_assert_true (c->drain);
  g_assert_cmpuint (c->plugin_path->len, ==, 0);
  g_assert_cmpstr (c->platform.preset, ==, "seed-resilience");
  g_assert_cmpuint (c->platform.agents, ==, 5);
  g_assert_cmpuint (c->platform.clusters->len, ==, 0);
  g_assert_cmpstr (c->workload.generator, ==, "poisson");
  g_assert_cmpuint (c->workload.jobs, ==, 50);
  g_assert_cmpuint (c->workload.span, ==, c->horizon);
  /* The predecessor's job mix (see test-workload.c for the distributions themselves). */
  g_assert_cmpint (c->workload.runtime.kind, ==, DMAS_DIST_UNIFORM);
  g_assert_cmpfloat (c->workload.runtime.min, ==, 1.0 * DMAS_S);
  g_assert_cmpfloat (c->workload.runtime.max, ==, 20.0 * DMAS_S);
  g_assert_cmpfloat (c->workload.walltime_factor, ==, 1.5);
  g_assert_cmpint (c->workload.nodes.kind, ==, DMAS_DIST_CONSTANT);
  g_assert_cmpfloat (c->workload.nodes.value, ==, 1.0);
  g_assert_cmpint (c->workload.cores.kind, ==, DMAS_DIST_CHOICE);
  g_assert_cmpuint (c->workload.cores.n_values, ==, 5);
  g_assert_cmpfloat (c->workload.cores.values[4], ==, 16.0);
  g_assert_null (c->workload.cores.weights);
  g_assert_cmpint (c->workload.memory_gb.kind, ==, DMAS_DIST_CHOICE);
  g_assert_cmpuint (c->workload.memory_gb.n_values, ==, 6);
  g_assert_cmpfloat (c->workload.memory_gb.values[5], ==, 32.0);
  g_assert_cmpfloat (c->workload.gpus.fraction, ==, 0.2);
  g_assert_cmpint (c->workload.gpus.kind, ==, DMAS_DIST_CONSTANT);
  g_assert_cmpfloat (c->workload.gpus.value, ==, 1.0);
  g_assert_true (c->workload.types_by_gpus);
  g_assert_false (c->platform.from_trace);
  g_assert_null (c->workload.path);
  g_assert_cmpuint (c->network.latency, ==, DMAS_MS);
  g_assert_cmpstr (c->scheduling.mode, ==, "distributed");
  g_assert_cmpstr (c->scheduling.bidding, ==, "heuristic");
  g_assert_cmpstr (c->scheduling.consensus, ==, "auction");
  g_assert_cmpstr (c->scheduling.local_policy, ==, "fcfs");
  g_assert_nonnull (c->params);
  g_assert_cmpuint (c->params->keys->len, ==, 0);
  /* The span follows the horizon when only the horizon is given. */
  {
    g_autoptr (DmasConfig) h = load ("horizon: 2h\n", NULL);

    g_assert_cmpuint (h->workload.span, ==, 7200 * DMAS_S);
  }
}

static void
test_name_default (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) built_in = dmas_config_load (NULL, NULL, &error);
  g_autoptr (DmasConfig) yml = dmas_config_load_string ("seed: 1\n", "dir/my.run.yml", "/base",
                                                        NULL, &error);
  g_autoptr (DmasConfig) odd = dmas_config_load_string ("seed: 1\n", "my run!.yaml", "/base",
                                                        NULL, &error);
  g_autoptr (DmasConfig) given = load ("name: chosen\n", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (built_in->source, ==, "<built-in>");
  g_assert_cmpstr (built_in->name, ==, "run");
  g_assert_cmpstr (yml->name, ==, "my.run");
  g_assert_cmpstr (odd->name, ==, "my-run-");
  g_assert_cmpstr (given->name, ==, "chosen");
}

static void
test_clusters (void)
{
  g_autoptr (DmasConfig) c = load ("platform:\n"
                                   "  clusters:\n"
                                   "    - {nodes: 4, cores: 32, memory_gb: 128, type: hpc}\n"
                                   "    - {name: gpu-box, type: gpu, gpus: 4, speed: 1.5}\n",
                                   NULL);
  const DmasClusterSpec *a = &g_array_index (c->platform.clusters, DmasClusterSpec, 0);
  const DmasClusterSpec *b = &g_array_index (c->platform.clusters, DmasClusterSpec, 1);

  g_assert_null (c->platform.preset);
  g_assert_cmpuint (c->platform.agents, ==, 2);
  g_assert_cmpuint (c->platform.clusters->len, ==, 2);
  g_assert_cmpstr (a->name, ==, "c0");
  g_assert_cmpstr (a->type, ==, "hpc");
  g_assert_cmpuint (a->nodes, ==, 4);
  g_assert_cmpuint (a->cores, ==, 32);
  g_assert_cmpfloat (a->memory_gb, ==, 128.0);
  g_assert_cmpuint (a->gpus, ==, 0);
  g_assert_cmpfloat (a->speed, ==, 1.0);
  g_assert_cmpstr (b->name, ==, "gpu-box");
  g_assert_cmpstr (b->type, ==, "gpu");
  g_assert_cmpuint (b->nodes, ==, 1);
  g_assert_cmpuint (b->cores, ==, 8);
  g_assert_cmpuint (b->gpus, ==, 4);
  g_assert_cmpfloat (b->speed, ==, 1.5);
  /* Neither preset nor agents appear next to an explicit list in the resolved config. */
  g_assert_null (dmas_node_lookup (c->resolved, "platform.preset"));
  g_assert_null (dmas_node_lookup (c->resolved, "platform.agents"));
}

static void
test_validation_messages (void)
{
  static const struct { const gchar *yaml; const gchar *message; } cases[] = {
    { "scheduling:\n  consensu: auction\n",
      "t.yaml:2:3: unknown key 'consensu' in 'scheduling' (did you mean 'consensus'?)" },
    { "platform:\n  clusters:\n    - {nodes: 2, coers: 4}\n",
      "t.yaml:3:18: unknown key 'coers' in 'platform.clusters[0]' (did you mean 'cores'?)" },
    { "workload.jobs: 5\n",
      "t.yaml:1:1: unknown key 'workload.jobs' at the top level; in a file, nest it: "
      "'workload: {jobs: ...}'" },
    { "platform: {clusters: [{speed: 0}]}\n",
      "t.yaml:1:31: platform.clusters[0].speed: '0' is out of range; expected a number > 0" },
    { "workload: {gpus: {fraction: 1.5, dist: constant, value: 1}}\n",
      "t.yaml:1:29: workload.gpus.fraction: expected a number between 0 and 1 (the share of "
      "jobs that want any), found '1.5'" },
    { "seed: \"abc\"\n", "t.yaml:1:7: seed: expected an integer >= 0 (e.g. 'seed: 1'), found "
                         "the quoted string 'abc'" },
    { "drain: 'true'\n", "t.yaml:1:8: drain: expected true or false, found the quoted string "
                         "'true'; remove the quotes" },
    { "horizon: 0s\n", "t.yaml:1:10: horizon: '0s' is out of range; expected a duration > 0s" },
    { "horizon: [1h]\n", "t.yaml:1:10: horizon: expected a duration > 0s (e.g. 'horizon: 1h'), "
                         "found a list" },
    { "workload: {runtime: {dist: uniform, min: 5m, max: 2m}}\n",
      "t.yaml:1:42: workload.runtime: min (5m) is greater than max (2m); make min <= max" },
    { "workload: {memory_gb: {dist: exponential, mean: -2}}\n",
      "t.yaml:1:49: workload.memory_gb.mean: '-2' is out of range; expected a number > 0" },
    { "workload: {runtime: {dist: constant, value: 10}}\n",
      "t.yaml:1:45: workload.runtime.value: '10' has no unit; add a unit, e.g. '10s' (units: "
      "ns, us, ms, s, m, h or d)" },
    { "params: {auction: {a: 1}, consensus/auction: {b: 2}}\n",
      "t.yaml:1:27: params: 'auction' and 'consensus/auction' name the same component; merge "
      "them into one" },
    { "plugin_path: [a, '']\n",
      "t.yaml:1:18: plugin_path: expected a directory, found the quoted string ''" },
    { "plugin_path: {a: b}\n",
      "t.yaml:1:14: plugin_path: expected a directory or a list of directories, found a map" },
    { "repetitions: 5\n",
      "t.yaml:1:1: 'repetitions' is a campaign key, which 'dmas run' expands into several runs; "
      "it cannot appear in the config of a single run" },
    { "platform: {preset: amsc, nodes: 4}\n",
      "t.yaml:1:26: platform.nodes sizes the cluster of 'from_trace: true'; without "
      "from_trace, give the nodes of each cluster in 'clusters'" },
    { "workload: {generator: gaussian}\n",
      "t.yaml:1:23: workload.generator: expected one of: constant, burst, poisson, uniform, "
      "swf, batsim (e.g. 'generator: poisson'), found 'gaussian'" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *message = load_error (cases[i].yaml, NULL);

      g_assert_cmpstr (message, ==, cases[i].message);
    }
}

static void
test_sets_on_config (void)
{
  const gchar *const sets[] = { "scheduling.consensus=raft", "workload.jobs=100",
                                "platform.clusters=[{nodes: 2}]", "platform.preset=", NULL };
  const gchar *const bad[] = { "workload.jbos=1", NULL };
  g_autoptr (DmasConfig) c = NULL;
  g_autofree gchar *message = NULL;

  /* "preset=" with an empty value is still a given key: it conflicts with the clusters. */
  message = load_error ("seed: 1\n", sets);
  g_assert_cmpstr (message, ==, "<command line>:1:17: platform.preset: no value given; write "
                                "one of: seed-resilience, seed-demo, supercomputers, amsc (e.g. "
                                "'preset: seed-resilience') or remove the key to use the "
                                "default");
  c = load ("seed: 1\n", (const gchar *const[]){ sets[0], sets[1], sets[2], NULL });
  g_assert_cmpstr (c->scheduling.consensus, ==, "raft");
  g_assert_cmpuint (c->workload.jobs, ==, 100);
  g_assert_cmpuint (c->platform.clusters->len, ==, 1);
  g_clear_pointer (&message, g_free);
  message = load_error ("seed: 1\n", bad);
  g_assert_cmpstr (message, ==, "<command line>:1:10: unknown key 'jbos' in 'workload' (did "
                                "you mean 'jobs'?)");
}

static void
test_resolved_round_trip (void)
{
  static const gchar *const text =
    "name: trip\n"
    "seed: 12345678901\n"
    "horizon: 90m\n"
    "drain: false\n"
    "plugin_path: [plugins, /opt/dmas]\n"
    "platform:\n"
    "  clusters:\n"
    "    - {name: 'yes', nodes: 3, cores: 16, memory_gb: 64.25, gpus: 2, type: hybrid}\n"
    "    - {speed: 0.1}\n"
    "workload: {generator: burst, jobs: 7, span: 3600s, gpus: 0, types: {ai: 1, hpc: 3},\n"
    "           runtime: {dist: lognormal, median: 30s, p95: 5m, max: 1h},\n"
    "           cores: {dist: choice, values: [1, 4], weights: [3, 1]}}\n"
    "network: {latency: 250us}\n"
    "scheduling: {consensus: raft}\n"
    "params:\n"
    "  consensus/raft: {election_timeout: 150ms, batch: 4}\n"
    "  heuristic: {weights: [0.4, 0.3, 0.3]}\n";
  g_autoptr (DmasConfig) c = load (text, NULL);
  g_autofree gchar *yaml = dmas_config_to_yaml (c);
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) back = dmas_config_load_string (yaml, "elsewhere/trip.yaml", "/other",
                                                         NULL, &error);
  g_autofree gchar *yaml_back = NULL;

  g_assert_no_error (error);
  yaml_back = dmas_config_to_yaml (back);
  g_assert_cmpstr (yaml_back, ==, yaml);
  g_assert_cmpstr (back->name, ==, "trip");
  g_assert_cmpuint (back->seed, ==, G_GUINT64_CONSTANT (12345678901));
  g_assert_cmpuint (back->horizon, ==, 90 * 60 * DMAS_S);
  g_assert_false (back->drain);
  g_assert_cmpuint (back->plugin_path->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (back->plugin_path, 0), ==, "/base/plugins");
  g_assert_cmpstr (g_array_index (back->platform.clusters, DmasClusterSpec, 0).name, ==, "yes");
  g_assert_cmpfloat (g_array_index (back->platform.clusters, DmasClusterSpec, 0).memory_gb, ==,
                     64.25);
  g_assert_cmpfloat (g_array_index (back->platform.clusters, DmasClusterSpec, 1).speed, ==, 0.1);
  g_assert_cmpuint (back->workload.span, ==, 3600 * DMAS_S);
  g_assert_cmpuint (back->network.latency, ==, 250 * DMAS_US);
  g_assert_cmpstr (back->workload.generator, ==, "burst");
  g_assert_cmpint (back->workload.runtime.kind, ==, DMAS_DIST_LOGNORMAL);
  g_assert_cmpfloat (back->workload.runtime.median, ==, 30.0 * DMAS_S);
  g_assert_cmpfloat (back->workload.runtime.p95, ==, 300.0 * DMAS_S);
  g_assert_cmpfloat (back->workload.runtime.max, ==, 3600.0 * DMAS_S);
  g_assert_cmpfloat (back->workload.cores.weights[0], ==, 3.0);
  g_assert_cmpfloat (back->workload.gpus.fraction, ==, 0.0); /* "gpus: 0": none */
  g_assert_cmpfloat (back->workload.gpus.value, ==, 0.0);
  g_assert_false (back->workload.types_by_gpus);
  g_assert_cmpfloat (back->workload.type_weights[DMAS_JOB_HPC], ==, 3.0);
  g_assert_cmpfloat (back->workload.type_weights[DMAS_JOB_AI], ==, 1.0);
  /* Job types in type order, whatever the user's order: the draw walks them in that order. */
  g_assert_true (strstr (yaml, "  types:\n    hpc: 3.0\n    ai: 1.0\n") != NULL);
  g_assert_true (strstr (yaml, "  runtime:\n    dist: lognormal\n    median: 30s\n    p95: 5m\n"
                               "    max: 1h\n") != NULL);
  /* Stable, canonical text: durations formatted, a quoted name kept quoted. */
  g_assert_true (strstr (yaml, "horizon: 90m\n") != NULL);
  g_assert_true (strstr (yaml, "span: 1h\n") != NULL);
  g_assert_true (strstr (yaml, "- name: \"yes\"\n") != NULL);
  g_assert_true (strstr (yaml, "latency: 250us\n") != NULL);
  g_assert_true (g_str_has_prefix (yaml, "name: trip\nseed: 12345678901\nworld_seed: 12345678901\nhorizon: 90m\n"));
}

static void
test_component_params (void)
{
  g_autoptr (DmasConfig) c = load ("params:\n"
                                   "  auction: {deadline: 50ms}\n"
                                   "  consensus/raft: {batch: 4}\n", NULL);
  DmasNode *auction = dmas_config_component_params (c, "consensus", "auction");
  DmasNode *raft = dmas_config_component_params (c, "consensus", "raft");

  g_assert_nonnull (auction);
  g_assert_cmpstr (dmas_node_get (auction, "deadline")->scalar, ==, "50ms");
  g_assert_cmpuint (dmas_node_get (auction, "deadline")->line, ==, 2);
  g_assert_nonnull (raft);
  g_assert_cmpstr (dmas_node_get (raft, "batch")->scalar, ==, "4");
  g_assert_null (dmas_config_component_params (c, "bidding", "raft"));
  g_assert_null (dmas_config_component_params (c, "bidding", "heuristic"));
}

/* Relative paths: against the file's directory when written in the file, against the working
 * directory when given with --set. */
static void
test_relative_paths (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *tmp = g_dir_make_tmp ("dmas-config-XXXXXX", &error);
  g_autofree gchar *sub = g_build_filename (tmp, "sub", NULL);
  g_autofree gchar *file = g_build_filename (sub, "x.yaml", NULL);
  g_autofree gchar *old = g_get_current_dir ();
  const gchar *const sets[] = { "plugin_path=[mine, ./b/../c]", NULL };
  g_autoptr (DmasConfig) from_file = NULL;
  g_autoptr (DmasConfig) from_set = NULL;
  g_autofree gchar *expect = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, "plugin_path: [plugins, ../shared, /abs/dir]\n", -1,
                                      NULL));
  /* Loaded by a relative name from the temporary directory. */
  g_assert_cmpint (g_chdir (tmp), ==, 0);
  from_file = dmas_config_load ("sub/x.yaml", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_file->name, ==, "x");
  g_assert_cmpuint (from_file->plugin_path->len, ==, 3);
  expect = g_build_filename (sub, "plugins", NULL);
  g_assert_cmpstr (g_ptr_array_index (from_file->plugin_path, 0), ==, expect);
  g_clear_pointer (&expect, g_free);
  expect = g_build_filename (tmp, "shared", NULL);
  g_assert_cmpstr (g_ptr_array_index (from_file->plugin_path, 1), ==, expect);
  g_assert_cmpstr (g_ptr_array_index (from_file->plugin_path, 2), ==, "/abs/dir");

  from_set = dmas_config_load ("sub/x.yaml", sets, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (from_set->plugin_path->len, ==, 2);
  g_clear_pointer (&expect, g_free);
  expect = g_build_filename (tmp, "mine", NULL);
  g_assert_cmpstr (g_ptr_array_index (from_set->plugin_path, 0), ==, expect);
  g_clear_pointer (&expect, g_free);
  expect = g_build_filename (tmp, "c", NULL);
  g_assert_cmpstr (g_ptr_array_index (from_set->plugin_path, 1), ==, expect);

  g_assert_cmpint (g_chdir (old), ==, 0);
  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_cmpint (g_rmdir (sub), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

/* ---- the schema table itself ---- */

static void
test_schema_table (void)
{
  gsize n;
  const DmasSchemaKey *keys = dmas_schema_keys (&n);

  g_assert_cmpuint (n, >, 30);
  for (gsize i = 0; i < n; i++)
    {
      const DmasSchemaKey *key = &keys[i];
      g_autofree gchar *parent = g_strdup (key->path);
      gchar *dot = strrchr (parent, '.');

      g_assert_nonnull (key->doc);
      g_assert_cmpuint (strlen (key->doc), >, 5);
      g_assert_true (dmas_schema_find (key->path) == key);
      /* Every dotted key sits in a section that comes before it. */
      if (dot != NULL)
        {
          const DmasSchemaKey *section;

          *dot = '\0';
          if (g_str_has_suffix (parent, "[]"))
            parent[strlen (parent) - 2] = '\0';
          section = dmas_schema_find (parent);
          g_assert_nonnull (section);
          g_assert_true (section < key);
        }
      if (key->type == DMAS_SCHEMA_ENUM)
        {
          g_assert_nonnull (key->values);
          g_assert_true (key->default_yaml == NULL
                         || g_strv_contains (key->values, key->default_yaml));
        }
      /* Plain keys need a default; computed ones say in their doc what it is. */
      if (!(key->flags & (DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_LATER))
          && key->type != DMAS_SCHEMA_MAP)
        g_assert_nonnull (key->default_yaml);
      if (key->flags & DMAS_SCHEMA_COMPUTED)
        g_assert_true (strstr (key->doc, "default") != NULL
                       || key->type == DMAS_SCHEMA_SEQ_OF_MAPS);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/config/units/duration-good", test_duration_good);
  g_test_add_func ("/config/units/duration-bad", test_duration_bad);
  g_test_add_func ("/config/units/duration-format", test_duration_format);
  g_test_add_func ("/config/units/size", test_size);
  g_test_add_func ("/config/units/rate", test_rate);
  g_test_add_func ("/config/did-you-mean", test_did_you_mean);
  g_test_add_func ("/config/node/positions", test_node_positions);
  g_test_add_func ("/config/node/depth-cap", test_node_depth_cap);
  g_test_add_func ("/config/node/emit-round-trip", test_node_emit_round_trip);
  g_test_add_func ("/config/node/copy-and-set", test_node_copy_and_set);
  g_test_add_func ("/config/set/apply", test_apply_set);
  g_test_add_func ("/config/set/errors", test_apply_set_errors);
  g_test_add_func ("/config/load/defaults", test_defaults);
  g_test_add_func ("/config/load/name-default", test_name_default);
  g_test_add_func ("/config/load/clusters", test_clusters);
  g_test_add_func ("/config/load/validation-messages", test_validation_messages);
  g_test_add_func ("/config/load/sets", test_sets_on_config);
  g_test_add_func ("/config/load/resolved-round-trip", test_resolved_round_trip);
  g_test_add_func ("/config/load/component-params", test_component_params);
  g_test_add_func ("/config/load/relative-paths", test_relative_paths);
  g_test_add_func ("/config/schema/table", test_schema_table);
  return g_test_run ();
}
