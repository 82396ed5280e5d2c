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

/* Builds the platform of `config`: its explicit platform.clusters; one cluster sized by the
 * trace (platform.from_trace: platform.nodes single-core nodes, or as many as the SWF
 * header's MaxProcs, else MaxNodes, or the Batsim file's nb_res; type hpc, memory 0 = not
 * modelled, no GPUs, speed 1, named after the trace file); or the preset named by
 * platform.preset (see dmas_platform_new_preset).  `rng` (the engine's "platform" stream) is
 * only drawn from by presets that are random.
 * Returns: (transfer full) the platform, or NULL with a DMAS_CONFIG_ERROR (unknown cluster
 * type, bad or missing preset file, trace without a size, no cluster at all). */
DmasPlatform *dmas_platform_new (const DmasConfig *config, GRand *rng, GError **error);

/* Loads the preset NAME from NAME.yaml in the preset directory (see dmas_platform_preset_dir):
 *   clusters:         a fixed list of clusters (keys as platform.clusters, each with a name);
 *                     `agents` keeps the first `agents` of them (0: all);
 *   random_clusters:  `agents` clusters, the i-th a copy of an entry picked uniformly with
 *                     one draw of `rng` per agent in agent order (so agent i's cluster does
 *                     not depend on how many agents there are), named "<name>-<i>".
 * The file may also hold `description` (text).  Errors name the file, line and column.
 * Returns: (transfer full) or NULL with a DMAS_CONFIG_ERROR. */
DmasPlatform *dmas_platform_new_preset (const gchar *name, guint agents, GRand *rng,
                                        GError **error);

/* The same from the preset file `path`; `name` is used in messages. */
DmasPlatform *dmas_platform_load_preset (const gchar *path, const gchar *name, guint agents,
                                         GRand *rng, GError **error);

/* Returns: (transfer full) the directory of the preset files: DMAS_ABS_SRCDIR/configs/platforms
 * when this process runs from the build tree, else the installed
 * DMAS_DATADIR/configs/platforms. */
gchar *dmas_platform_preset_dir (void);

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
