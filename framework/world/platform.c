/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulated platform: explicit cluster lists and the built-in presets. */
#include "config.h"

#include <string.h>

#include "world/platform.h"

typedef struct {
  const gchar *label;
  guint cores;
  gdouble memory_gb;
  guint gpus;
} NodeSize;

/* The predecessor's agent sizes (DESIGN §13), in the order the draw indexes them: changing
 * this order changes every seed-resilience platform. */
static const NodeSize seed_sizes[] = {
  { "tiny", 2, 4.0, 0 },
  { "small", 4, 8.0, 0 },
  { "medium", 8, 16.0, 1 },
  { "large", 16, 32.0, 2 },
  { "xlarge", 32, 64.0, 4 },
};

static const gchar *const cluster_types[] = {
  [DMAS_CLUSTER_HPC] = "hpc",         [DMAS_CLUSTER_GPU] = "gpu",
  [DMAS_CLUSTER_AI] = "ai",           [DMAS_CLUSTER_MEMORY] = "memory",
  [DMAS_CLUSTER_STORAGE] = "storage", [DMAS_CLUSTER_HYBRID] = "hybrid",
  [DMAS_CLUSTER_GENERAL] = "general",
};

gboolean
dmas_cluster_type_from_string (const gchar *text, DmasClusterType *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cluster_types); i++)
    if (g_strcmp0 (text, cluster_types[i]) == 0)
      {
        *out = (DmasClusterType) i;
        return TRUE;
      }
  return FALSE;
}

const gchar *
dmas_cluster_type_to_string (DmasClusterType type)
{
  if ((gsize) type < G_N_ELEMENTS (cluster_types))
    return cluster_types[type];
  return "unknown";
}

static void
cluster_clear (gpointer data)
{
  DmasCluster *cluster = data;
  g_free (cluster->name);
}

static DmasPlatform *
platform_alloc (void)
{
  DmasPlatform *platform = g_new0 (DmasPlatform, 1);
  platform->clusters = g_array_new (FALSE, TRUE, sizeof (DmasCluster));
  g_array_set_clear_func (platform->clusters, cluster_clear);
  return platform;
}

void
dmas_platform_free (DmasPlatform *platform)
{
  if (platform == NULL)
    return;
  g_array_unref (platform->clusters);
  g_free (platform);
}

DmasPlatform *
dmas_platform_new_seed_resilience (guint agents, GRand *rng)
{
  DmasPlatform *platform = platform_alloc ();
  for (guint i = 0; i < agents; i++)
    {
      /* One draw per agent, in agent order, so agent i's size does not depend on N. */
      const NodeSize *size = &seed_sizes[g_rand_int_range (rng, 0, G_N_ELEMENTS (seed_sizes))];
      DmasCluster cluster = {
        .name = g_strdup_printf ("%s-%u", size->label, i),
        .type = DMAS_CLUSTER_GENERAL,
        .nodes = 1,
        .cores = size->cores,
        .memory_gb = size->memory_gb,
        .gpus = size->gpus,
        .speed = 1.0,
      };
      g_array_append_val (platform->clusters, cluster);
    }
  return platform;
}

static DmasPlatform *
platform_new_explicit (const DmasConfig *config, GError **error)
{
  g_autoptr (DmasPlatform) platform = platform_alloc ();
  guint n = config->platform.clusters != NULL ? config->platform.clusters->len : 0;
  for (guint i = 0; i < n; i++)
    {
      const DmasClusterSpec *spec = &g_array_index (config->platform.clusters, DmasClusterSpec, i);
      DmasClusterType type = DMAS_CLUSTER_GENERAL;
      if (spec->type != NULL && !dmas_cluster_type_from_string (spec->type, &type))
        {
          g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                       "%s: platform.clusters[%u]: unknown cluster type '%s' (expected one of "
                       "hpc, gpu, ai, memory, storage, hybrid, general)",
                       config->source, i, spec->type);
          return NULL;
        }
      if (spec->nodes == 0 || spec->cores == 0 || !(spec->speed > 0.0))
        {
          g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                       "%s: platform.clusters[%u]: a cluster needs at least one node, one core "
                       "per node and a speed above 0",
                       config->source, i);
          return NULL;
        }
      DmasCluster cluster = {
        .name = spec->name != NULL ? g_strdup (spec->name) : g_strdup_printf ("cluster-%u", i),
        .type = type,
        .nodes = spec->nodes,
        .cores = spec->cores,
        .memory_gb = spec->memory_gb,
        .gpus = spec->gpus,
        .speed = spec->speed,
      };
      g_array_append_val (platform->clusters, cluster);
    }
  return g_steal_pointer (&platform);
}

DmasPlatform *
dmas_platform_new (const DmasConfig *config, GRand *rng, GError **error)
{
  g_autoptr (DmasPlatform) platform = NULL;

  if (config->platform.preset == NULL)
    platform = platform_new_explicit (config, error);
  else if (strcmp (config->platform.preset, "seed-resilience") == 0)
    platform = dmas_platform_new_seed_resilience (config->platform.agents, rng);
  else
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_UNSUPPORTED,
                   "%s: platform preset '%s' is not supported yet (available: seed-resilience)",
                   config->source, config->platform.preset);
      return NULL;
    }
  if (platform == NULL)
    return NULL;
  if (dmas_platform_size (platform) == 0)
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                   "%s: the platform has no cluster (give platform.clusters, or a preset with "
                   "agents >= 1)",
                   config->source);
      return NULL;
    }
  return g_steal_pointer (&platform);
}

gboolean
dmas_cluster_fits (const DmasCluster *cluster, const DmasJob *job)
{
  return job->nodes <= cluster->nodes && job->cores <= cluster->cores
         && job->memory_gb <= cluster->memory_gb && job->gpus <= cluster->gpus;
}
