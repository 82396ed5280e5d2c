/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the platform: presets from configs/platforms, explicit clusters, from_trace. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "engine/engine.h"
#include "world/platform.h"

/* The predecessor's table (DESIGN §13), written out again so that a change in
 * configs/platforms/seed-resilience.yaml has to be a change here too. */
static const struct {
  const gchar *label;
  guint cores;
  gdouble memory_gb;
  guint gpus;
} sizes[] = {
  { "tiny", 2, 4.0, 0 },    { "small", 4, 8.0, 0 },    { "medium", 8, 16.0, 1 },
  { "large", 16, 32.0, 2 }, { "xlarge", 32, 64.0, 4 },
};

static gint
size_index (const DmasCluster *c)
{
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    if (c->cores == sizes[k].cores && c->memory_gb == sizes[k].memory_gb
        && c->gpus == sizes[k].gpus)
      return (gint) k;
  return -1;
}

static void
test_preset_sizes (void)
{
  g_autoptr (GRand) rng = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasPlatform) p = dmas_platform_new_preset ("seed-resilience", 200, rng, &error);
  guint seen[G_N_ELEMENTS (sizes)] = { 0 };

  g_assert_no_error (error);

  g_assert_cmpuint (dmas_platform_size (p), ==, 200);
  for (guint i = 0; i < 200; i++)
    {
      const DmasCluster *c = dmas_platform_cluster (p, i);
      gint k = size_index (c);
      g_assert_cmpint (k, >=, 0);
      seen[k]++;
      g_assert_cmpuint (c->nodes, ==, 1);
      g_assert_cmpint (c->type, ==, DMAS_CLUSTER_GENERAL);
      g_assert_cmpfloat (c->speed, ==, 1.0);
      g_autofree gchar *name = g_strdup_printf ("%s-%u", sizes[k].label, i);
      g_assert_cmpstr (c->name, ==, name);
    }
  /* Uniform over five sizes: with 200 draws a size is missing with probability < 1e-18. */
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    g_assert_cmpuint (seen[k], >, 0);
}

static DmasConfig *
preset_config (guint agents)
{
  DmasConfig *config = g_new0 (DmasConfig, 1);
  config->source = g_strdup ("test.yaml");
  config->platform.preset = g_strdup ("seed-resilience");
  config->platform.agents = agents;
  config->platform.clusters = g_array_new (FALSE, TRUE, sizeof (DmasClusterSpec));
  return config;
}

static void
config_free (DmasConfig *config)
{
  g_free (config->source);
  g_free (config->platform.preset);
  for (guint i = 0; i < config->platform.clusters->len; i++)
    {
      DmasClusterSpec *spec = &g_array_index (config->platform.clusters, DmasClusterSpec, i);
      g_free (spec->name);
      g_free (spec->type);
    }
  g_array_unref (config->platform.clusters);
  g_free (config);
}

/* The same run seed gives the same platform; agent i's size does not depend on how many
 * agents there are. */
static void
test_preset_reproducible (void)
{
  guint64 seed = g_test_rand_int ();
  DmasConfig *config = preset_config (40);
  g_autoptr (GError) error = NULL;

  g_autoptr (DmasEngine) e1 = dmas_engine_new (seed);
  g_autoptr (DmasEngine) e2 = dmas_engine_new (seed);
  g_autoptr (DmasEngine) e3 = dmas_engine_new (seed);
  g_autoptr (DmasPlatform) a = dmas_platform_new (config, dmas_engine_rng (e1, "platform"), &error);
  g_assert_no_error (error);
  g_autoptr (DmasPlatform) b = dmas_platform_new (config, dmas_engine_rng (e2, "platform"), &error);
  g_assert_no_error (error);
  config->platform.agents = 10;
  g_autoptr (DmasPlatform) c = dmas_platform_new (config, dmas_engine_rng (e3, "platform"), &error);
  g_assert_no_error (error);

  g_assert_cmpuint (dmas_platform_size (c), ==, 10);
  for (guint i = 0; i < 40; i++)
    {
      g_assert_cmpstr (dmas_platform_cluster (a, i)->name, ==, dmas_platform_cluster (b, i)->name);
      if (i < 10)
        g_assert_cmpstr (dmas_platform_cluster (a, i)->name, ==,
                         dmas_platform_cluster (c, i)->name);
    }

  /* Another seed gives another platform (40 agents: equal by chance with p = 5^-40). */
  g_autoptr (DmasEngine) e4 = dmas_engine_new (seed + 1);
  config->platform.agents = 40;
  g_autoptr (DmasPlatform) d = dmas_platform_new (config, dmas_engine_rng (e4, "platform"), &error);
  g_assert_no_error (error);
  gboolean differs = FALSE;
  for (guint i = 0; i < 40; i++)
    differs |= strcmp (dmas_platform_cluster (a, i)->name, dmas_platform_cluster (d, i)->name) != 0;
  g_assert_true (differs);
  config_free (config);
}

static void
add_cluster (DmasConfig *config, const gchar *name, const gchar *type, guint nodes, guint cores,
             gdouble memory_gb, guint gpus, gdouble speed)
{
  DmasClusterSpec spec = {
    .name = g_strdup (name), .type = g_strdup (type), .nodes = nodes, .cores = cores,
    .memory_gb = memory_gb, .gpus = gpus, .speed = speed,
  };
  g_array_append_val (config->platform.clusters, spec);
}

static void
test_explicit (void)
{
  DmasConfig *config = preset_config (0);
  g_clear_pointer (&config->platform.preset, g_free);
  add_cluster (config, "a", "hpc", 4, 8, 16.0, 0, 1.0);
  add_cluster (config, "b", "gpu", 2, 32, 128.0, 4, 2.0);
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasPlatform) p = dmas_platform_new (config, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dmas_platform_size (p), ==, 2);
  const DmasCluster *b = dmas_platform_cluster (p, 1);
  g_assert_cmpstr (b->name, ==, "b");
  g_assert_cmpint (b->type, ==, DMAS_CLUSTER_GPU);
  g_assert_cmpuint (b->nodes, ==, 2);
  g_assert_cmpuint (b->cores, ==, 32);
  g_assert_cmpfloat (b->memory_gb, ==, 128.0);
  g_assert_cmpuint (b->gpus, ==, 4);
  g_assert_cmpfloat (b->speed, ==, 2.0);

  DmasJob job = { .nodes = 2, .cores = 32, .memory_gb = 128.0, .gpus = 4 };
  g_assert_true (dmas_cluster_fits (b, &job));
  g_assert_false (dmas_cluster_fits (dmas_platform_cluster (p, 0), &job));
  job.nodes = 3;
  g_assert_false (dmas_cluster_fits (b, &job));
  job.nodes = 1;
  job.gpus = 5;
  g_assert_false (dmas_cluster_fits (b, &job));
  config_free (config);
}

static void
test_errors (void)
{
  g_autoptr (GError) error = NULL;
  DmasConfig *config = preset_config (7);
  g_free (config->platform.preset);
  config->platform.preset = g_strdup ("amsc");
  g_assert_null (dmas_platform_new (config, NULL, &error));
  g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==, "platform.agents is 7 but preset 'amsc' has 5 clusters; "
                   "give at most 5, or leave agents out for all of them");
  g_clear_error (&error);
  g_free (config->platform.preset);
  config->platform.preset = g_strdup ("no-such-preset");
  g_assert_null (dmas_platform_new (config, NULL, &error));
  g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "platform preset 'no-such-preset': "));
  g_assert_nonnull (strstr (error->message, "no-such-preset.yaml does not exist"));
  g_clear_error (&error);

  g_clear_pointer (&config->platform.preset, g_free);
  g_assert_null (dmas_platform_new (config, NULL, &error));
  g_assert_nonnull (strstr (error->message, "no cluster"));
  g_clear_error (&error);

  add_cluster (config, "x", "quantum", 1, 1, 1.0, 0, 1.0);
  g_assert_null (dmas_platform_new (config, NULL, &error));
  g_assert_nonnull (strstr (error->message, "unknown cluster type 'quantum'"));
  config_free (config);
}

/* The fixed presets: every cluster as the file lists it, `agents` keeps the first N. */
static void
test_fixed_presets (void)
{
  static const gchar *const demo[] = {
    "small-cpu-1", "small-cpu-2", "medium-cpu-1", "medium-cpu-2", "large-cpu-1", "large-cpu-2",
    "xlarge-cpu", "gpu-small", "gpu-medium", "gpu-large", "memory-medium", "memory-large",
    "memory-xlarge",
  };
  static const DmasClusterType super_types[] = {
    DMAS_CLUSTER_HPC, DMAS_CLUSTER_GPU, DMAS_CLUSTER_MEMORY, DMAS_CLUSTER_HYBRID,
    DMAS_CLUSTER_AI, DMAS_CLUSTER_STORAGE,
  };
  g_autoptr (GError) error = NULL;

  {
    g_autoptr (DmasPlatform) p = dmas_platform_new_preset ("seed-demo", 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (dmas_platform_size (p), ==, G_N_ELEMENTS (demo));
    for (guint i = 0; i < G_N_ELEMENTS (demo); i++)
      {
        g_assert_cmpstr (dmas_platform_cluster (p, i)->name, ==, demo[i]);
        g_assert_cmpuint (dmas_platform_cluster (p, i)->nodes, ==, 1);
        g_assert_cmpfloat (dmas_platform_cluster (p, i)->speed, ==, 1.0);
      }
    const DmasCluster *gpu_large = dmas_platform_cluster (p, 9);
    g_assert_cmpint (gpu_large->type, ==, DMAS_CLUSTER_GPU);
    g_assert_cmpuint (gpu_large->cores, ==, 16);
    g_assert_cmpfloat (gpu_large->memory_gb, ==, 256.0);
    g_assert_cmpuint (gpu_large->gpus, ==, 8);
    g_assert_cmpint (dmas_platform_cluster (p, 12)->type, ==, DMAS_CLUSTER_MEMORY);
    g_assert_cmpfloat (dmas_platform_cluster (p, 12)->memory_gb, ==, 1024.0);
  }
  {
    g_autoptr (DmasPlatform) p = dmas_platform_new_preset ("supercomputers", 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (dmas_platform_size (p), ==, 6);
    for (guint i = 0; i < 6; i++)
      {
        g_autofree gchar *name = g_strdup_printf ("HPC_RESOURCE_%02u", i);
        g_assert_cmpstr (dmas_platform_cluster (p, i)->name, ==, name);
        g_assert_cmpint (dmas_platform_cluster (p, i)->type, ==, super_types[i]);
      }
    g_assert_cmpuint (dmas_platform_cluster (p, 0)->nodes, ==, 200);
    g_assert_cmpuint (dmas_platform_cluster (p, 0)->cores, ==, 44);
    g_assert_cmpuint (dmas_platform_cluster (p, 0)->gpus, ==, 6);
  }
  {
    g_autoptr (DmasPlatform) p = dmas_platform_new_preset ("amsc", 2, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (dmas_platform_size (p), ==, 2);
    const DmasCluster *aurora = dmas_platform_cluster (p, 0);
    g_assert_cmpstr (aurora->name, ==, "aurora");
    g_assert_cmpuint (aurora->nodes, ==, 10624);
    g_assert_cmpuint (aurora->cores, ==, 104);
    g_assert_cmpfloat (aurora->memory_gb, ==, 1024.0);
    g_assert_cmpuint (aurora->gpus, ==, 6);
    g_assert_cmpstr (dmas_platform_cluster (p, 1)->name, ==, "frontier");
    g_assert_cmpuint (dmas_platform_cluster (p, 1)->nodes, ==, 9408);
  }
  {
    g_autoptr (DmasPlatform) p = dmas_platform_new_preset ("amsc", 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (dmas_platform_size (p), ==, 5);
    g_assert_cmpstr (dmas_platform_cluster (p, 2)->name, ==, "perlmutter");
    g_assert_cmpstr (dmas_platform_cluster (p, 3)->name, ==, "crux");
    g_assert_cmpstr (dmas_platform_cluster (p, 4)->name, ==, "andes");
    g_assert_cmpuint (dmas_platform_cluster (p, 4)->gpus, ==, 0);
  }
}

/* A preset file that is wrong says where, as a config file would. */
static void
test_preset_file_errors (void)
{
  static const struct { const gchar *yaml; const gchar *message; } cases[] = {
    { "clusters: [{name: a}]\nagents: 3\n",
      "2:1: unknown key 'agents' in platform preset 'p'; known keys: description, clusters, "
      "random_clusters" },
    { "description: two lists\nclusters: [{name: a}]\nrandom_clusters: [{name: b}]\n",
      "1:1: platform preset 'p' needs exactly one of 'clusters' and 'random_clusters'" },
    { "clusters: []\n", "1:11: clusters: expected a non-empty list of clusters" },
    { "clusters: [{nodes: 2}]\n", "1:12: clusters[0]: 'name' is missing" },
    { "clusters: [{name: a, coers: 2}]\n",
      "1:22: unknown key 'coers' in 'clusters[0]' (did you mean 'cores'?)" },
    { "clusters: [{name: a, cores: many}]\n",
      "1:29: clusters[0].cores: expected an integer >= 1 (e.g. 'cores: 8'), found 'many'" },
    { "clusters: [{name: a, type: quantum}]\n",
      "1:28: clusters[0].type: expected one of: hpc, gpu, ai, memory, storage, hybrid, general "
      "(e.g. 'type: general'), found 'quantum'" },
    { "clusters: [{name: a}, {name: a}]\n",
      "1:23: clusters[1]: the name 'a' is already used by clusters[0]" },
  };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("dmas-preset-XXXXXX", &error);
  g_autofree gchar *path = g_build_filename (dir, "p.yaml", NULL);

  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *expected = g_strdup_printf ("%s:%s", path, cases[i].message);

      g_assert_true (g_file_set_contents (path, cases[i].yaml, -1, &error));
      g_assert_null (dmas_platform_load_preset (path, "p", 0, NULL, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == DMAS_CONFIG_ERROR);
      g_assert_cmpstr (error->message, ==, expected);
      g_clear_error (&error);
    }
  /* A good one, with a random list: one draw per agent, names <name>-<i>. */
  g_assert_true (g_file_set_contents (path, "random_clusters: [{name: only, nodes: 3}]\n", -1,
                                      &error));
  {
    g_autoptr (GRand) rng = g_rand_new_with_seed (g_test_rand_int ());
    g_autoptr (DmasPlatform) p = dmas_platform_load_preset (path, "p", 2, rng, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (dmas_platform_size (p), ==, 2);
    g_assert_cmpstr (dmas_platform_cluster (p, 1)->name, ==, "only-1");
    g_assert_cmpuint (dmas_platform_cluster (p, 1)->nodes, ==, 3);
    g_assert_cmpuint (dmas_platform_cluster (p, 1)->cores, ==, 8); /* the schema's default */
  }
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static gchar *
data_path (const gchar *kind, const gchar *name)
{
  const gchar *srcdir = g_getenv ("DMAS_SRCDIR");

  return g_build_filename (srcdir != NULL ? srcdir : DMAS_ABS_SRCDIR, "tests", "data", kind,
                           name, NULL);
}

static DmasConfig *
trace_config (const gchar *generator, const gchar *path, guint nodes)
{
  DmasConfig *config = preset_config (0);
  g_clear_pointer (&config->platform.preset, g_free);
  config->platform.from_trace = TRUE;
  config->platform.nodes = nodes;
  config->workload.generator = (gchar *) generator;
  config->workload.path = (gchar *) path;
  return config;
}

/* platform.from_trace: one cluster of single-core nodes, as many as the header says. */
static void
test_from_trace (void)
{
  g_autofree gchar *rules = data_path ("swf", "rules.swf");
  g_autofree gchar *no_header = data_path ("swf", "no-header.swf");
  g_autofree gchar *batsim = data_path ("batsim", "good.json");
  g_autofree gchar *no_header_error = g_strdup_printf (
      "%s: platform.from_trace: the trace has no '; MaxProcs:' or '; MaxNodes:' header line; "
      "give the size as platform.nodes", no_header);
  g_autoptr (GError) error = NULL;

  DmasConfig *config = trace_config ("swf", rules, 0);
  {
    g_autoptr (DmasPlatform) p = dmas_platform_new (config, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (dmas_platform_size (p), ==, 1);
    const DmasCluster *c = dmas_platform_cluster (p, 0);
    g_assert_cmpstr (c->name, ==, "rules");
    g_assert_cmpint (c->type, ==, DMAS_CLUSTER_HPC);
    g_assert_cmpuint (c->nodes, ==, 16); /* MaxProcs, not MaxNodes (8) */
    g_assert_cmpuint (c->cores, ==, 1);
    g_assert_cmpfloat (c->memory_gb, ==, 0.0);
    g_assert_cmpuint (c->gpus, ==, 0);
    g_assert_cmpfloat (c->speed, ==, 1.0);
    /* An SWF job (memory 0) fits; one wider than the cluster does not. */
    DmasJob job = { .nodes = 16, .cores = 1 };
    g_assert_true (dmas_cluster_fits (c, &job));
    job.nodes = 17;
    g_assert_false (dmas_cluster_fits (c, &job));
  }
  config->platform.nodes = 40;
  {
    g_autoptr (DmasPlatform) p = dmas_platform_new (config, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (dmas_platform_cluster (p, 0)->nodes, ==, 40);
  }
  config->workload.path = no_header;
  {
    g_autoptr (DmasPlatform) p = dmas_platform_new (config, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (dmas_platform_cluster (p, 0)->name, ==, "no-header");
  }
  config->platform.nodes = 0;
  g_assert_null (dmas_platform_new (config, NULL, &error));
  g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==, no_header_error);
  g_clear_error (&error);
  config->workload.generator = (gchar *) "batsim";
  config->workload.path = batsim;
  {
    g_autoptr (DmasPlatform) p = dmas_platform_new (config, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (dmas_platform_cluster (p, 0)->name, ==, "good");
    g_assert_cmpuint (dmas_platform_cluster (p, 0)->nodes, ==, 8); /* nb_res */
  }
  config_free (config);
}

/* Multi-node jobs against a multi-node cluster: nodes and each per-node size must fit. */
static void
test_fits_multi_node (void)
{
  const DmasCluster c = { .name = (gchar *) "c", .nodes = 4, .cores = 8, .memory_gb = 32,
                          .gpus = 2, .speed = 1.0 };
  DmasJob job = { .nodes = 4, .cores = 8, .memory_gb = 32, .gpus = 2 };

  g_assert_true (dmas_cluster_fits (&c, &job));
  job.nodes = 5;
  g_assert_false (dmas_cluster_fits (&c, &job));
  job.nodes = 2;
  job.cores = 9;
  g_assert_false (dmas_cluster_fits (&c, &job));
  job.cores = 8;
  job.memory_gb = 32.5;
  g_assert_false (dmas_cluster_fits (&c, &job));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/world/platform/seed-resilience/sizes", test_preset_sizes);
  g_test_add_func ("/world/platform/seed-resilience/reproducible", test_preset_reproducible);
  g_test_add_func ("/world/platform/explicit", test_explicit);
  g_test_add_func ("/world/platform/errors", test_errors);
  g_test_add_func ("/world/platform/presets/fixed", test_fixed_presets);
  g_test_add_func ("/world/platform/presets/file-errors", test_preset_file_errors);
  g_test_add_func ("/world/platform/from-trace", test_from_trace);
  g_test_add_func ("/world/platform/fits-multi-node", test_fits_multi_node);
  return g_test_run ();
}
