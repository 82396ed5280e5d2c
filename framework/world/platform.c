/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulated platform: explicit cluster lists, the trace's cluster, and what fits. */
#include "config.h"

#include <string.h>

#include "world/batsim.h"
#include "world/platform-private.h"
#include "world/swf.h"

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

void
dmas_cluster_clear (gpointer data)
{
  DmasCluster *cluster = data;
  g_free (cluster->name);
}

DmasPlatform *
dmas_platform_alloc (void)
{
  DmasPlatform *platform = g_new0 (DmasPlatform, 1);
  platform->clusters = g_array_new (FALSE, TRUE, sizeof (DmasCluster));
  g_array_set_clear_func (platform->clusters, dmas_cluster_clear);
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

/* ---- from a trace ---- */

/* "KTH-SP2-1996-2" for .../KTH-SP2-1996-2.swf.gz: a cluster name the config would accept. */
static gchar *
trace_cluster_name (const gchar *path)
{
  static const gchar *const suffixes[] = { ".gz", ".swf", ".json" };
  g_autofree gchar *base = g_path_get_basename (path);

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (base, suffixes[i]) && strlen (base) > strlen (suffixes[i]))
      base[strlen (base) - strlen (suffixes[i])] = '\0';
  g_strcanon (base, G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS "._-", '-');
  return g_steal_pointer (&base);
}

static DmasPlatform *
platform_from_trace (const DmasConfig *config, GError **error)
{
  const gchar *path = config->workload.path;
  guint nodes = config->platform.nodes;
  DmasPlatform *platform;

  if (nodes == 0 && g_strcmp0 (config->workload.generator, "swf") == 0)
    {
      DmasSwfHeader header = { 0 };

      if (!dmas_swf_read_header (path, &header, error))
        return NULL;
      nodes = header.max_procs > 0 ? header.max_procs : header.max_nodes;
      if (nodes == 0)
        {
          g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                       "%s: platform.from_trace: the trace has no '; MaxProcs:' or "
                       "'; MaxNodes:' header line; give the size as platform.nodes", path);
          return NULL;
        }
    }
  else if (nodes == 0 && g_strcmp0 (config->workload.generator, "batsim") == 0)
    {
      g_autoptr (DmasWorkload) w = dmas_batsim_read (path, &nodes, error);

      if (w == NULL)
        return NULL;
      if (nodes == 0)
        {
          g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                       "%s: platform.from_trace: the workload has no 'nb_res'; give the size as "
                       "platform.nodes", path);
          return NULL;
        }
    }
  else if (nodes == 0)
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                   "%s: platform.from_trace needs a trace workload (generator swf or batsim)",
                   config->source);
      return NULL;
    }
  platform = dmas_platform_alloc ();
  {
    /* Memory 0: the trace does not say, and a job asking 0 GB fits any node. */
    DmasCluster cluster = {
      .name = trace_cluster_name (path != NULL ? path : "trace"),
      .type = DMAS_CLUSTER_HPC,
      .nodes = nodes,
      .cores = 1,
      .memory_gb = 0,
      .gpus = 0,
      .speed = 1.0,
    };

    g_array_append_val (platform->clusters, cluster);
  }
  return platform;
}

static DmasPlatform *
platform_new_explicit (const DmasConfig *config, GError **error)
{
  g_autoptr (DmasPlatform) platform = dmas_platform_alloc ();
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

  if (config->platform.from_trace)
    platform = platform_from_trace (config, error);
  else if (config->platform.preset == NULL)
    platform = platform_new_explicit (config, error);
  else
    platform = dmas_platform_new_preset (config->platform.preset, config->platform.agents, rng,
                                         error);
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
