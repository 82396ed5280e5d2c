/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulated platform: the clusters of a run, one per resource agent. */
#ifndef DMAS_WORLD_PLATFORM_H
#define DMAS_WORLD_PLATFORM_H

#include <glib.h>

#include <dmas/job.h>
#include "config/config.h"

G_BEGIN_DECLS

/* One cluster: `nodes` identical nodes.  Agent i manages cluster i. */
typedef struct {
  gchar *name;
  DmasClusterType type;
  guint nodes;
  guint cores;          /* per node */
  gdouble memory_gb;    /* per node */
  guint gpus;           /* per node */
  gdouble speed;        /* relative speed, 1.0 = reference */
} DmasCluster;

typedef struct {
  GArray *clusters;     /* DmasCluster, index = agent id */
} DmasPlatform;

/* Builds the platform of `config`: its explicit platform.clusters, or the preset named by
 * platform.preset with platform.agents agents.  `rng` (the engine's "platform" stream) is only
 * drawn from by presets that are random.
 * Returns: (transfer full) the platform, or NULL with error set (unknown cluster type, preset
 * not supported yet, no cluster at all). */
DmasPlatform *dmas_platform_new (const DmasConfig *config, GRand *rng, GError **error);

/* The `seed-resilience` preset: `agents` clusters of one node each, every node's size drawn
 * uniformly from the predecessor's five sizes (DESIGN §13), type general, speed 1.
 * Returns: (transfer full). */
DmasPlatform *dmas_platform_new_seed_resilience (guint agents, GRand *rng);

void dmas_platform_free (DmasPlatform *platform);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasPlatform, dmas_platform_free)

static inline guint
dmas_platform_size (const DmasPlatform *platform)
{
  return platform->clusters->len;
}

static inline const DmasCluster *
dmas_platform_cluster (const DmasPlatform *platform, guint i)
{
  return &g_array_index (platform->clusters, DmasCluster, i);
}

/* TRUE when `job` fits `cluster` at all (enough nodes, and cores, memory and GPUs per node),
 * whatever is running there now. */
gboolean dmas_cluster_fits (const DmasCluster *cluster, const DmasJob *job);

/* Parses "hpc", "gpu", ... into *out.  Returns FALSE for an unknown name. */
gboolean dmas_cluster_type_from_string (const gchar *text, DmasClusterType *out);
const gchar *dmas_cluster_type_to_string (DmasClusterType type);

G_END_DECLS

#endif /* DMAS_WORLD_PLATFORM_H */
