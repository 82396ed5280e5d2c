/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the platform: the seed-resilience preset and explicit cluster lists. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "engine/engine.h"
#include "world/platform.h"

/* The predecessor's table (DESIGN §13), written out again so that a change in platform.c has
 * to be a change here too. */
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
  g_autoptr (DmasPlatform) p = dmas_platform_new_seed_resilience (200, rng);
  guint seen[G_N_ELEMENTS (sizes)] = { 0 };

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
  DmasConfig *config = preset_config (3);
  g_free (config->platform.preset);
  config->platform.preset = g_strdup ("supercomputers");
  g_assert_null (dmas_platform_new (config, NULL, &error));
  g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "not supported yet"));
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/world/platform/seed-resilience/sizes", test_preset_sizes);
  g_test_add_func ("/world/platform/seed-resilience/reproducible", test_preset_reproducible);
  g_test_add_func ("/world/platform/explicit", test_explicit);
  g_test_add_func ("/world/platform/errors", test_errors);
  return g_test_run ();
}
