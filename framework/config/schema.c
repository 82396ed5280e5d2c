/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The table of every config key: type, range, default and one line of documentation. */
#include <config.h>

#include <string.h>

#include "config/schema.h"

#define MIN_(v) DMAS_SCHEMA_HAS_MIN, (v), 0
#define ABOVE_(v) DMAS_SCHEMA_HAS_MIN | DMAS_SCHEMA_MIN_EXCLUSIVE, (v), 0
#define RANGE_(lo, hi) DMAS_SCHEMA_HAS_MIN | DMAS_SCHEMA_HAS_MAX, (lo), (hi)
#define NONE_ 0, 0, 0

static const gchar *const preset_values[] = { "seed-resilience", NULL };
static const gchar *const preset_later[] = { "seed-demo", "supercomputers", "amsc", NULL };
static const gchar *const cluster_types[] = { "hpc", "gpu", "ai", "memory", "storage",
                                              "hybrid", "general", NULL };
static const gchar *const generator_values[] = { "constant", "burst", "poisson", "uniform",
                                                 NULL };
static const gchar *const generator_later[] = { "swf", "batsim", NULL };
static const gchar *const mode_values[] = { "distributed", NULL };
static const gchar *const mode_later[] = { "centralized", NULL };
static const gchar *const policy_values[] = { "fcfs", NULL };
static const gchar *const policy_later[] = { "easy", "conservative", NULL };

/* Order matters twice: it is the order of the resolved config, and a computed default may
 * only depend on keys above it (workload.span reads horizon). */
static const DmasSchemaKey schema[] = {
  { "name", DMAS_SCHEMA_STRING, DMAS_SCHEMA_IDENT | DMAS_SCHEMA_COMPUTED, 0, 0, NULL, NULL, NULL,
    "name of the run, used for the results directory; default: the config file's name "
    "without .yaml (\"run\" without a file)" },
  { "seed", DMAS_SCHEMA_INT, MIN_ (0), NULL, NULL, "1",
    "master seed; every random stream of the run derives from it" },
  { "horizon", DMAS_SCHEMA_DURATION, ABOVE_ (0), NULL, NULL, "1h",
    "jobs arrive within [0, horizon] of virtual time" },
  { "drain", DMAS_SCHEMA_BOOL, NONE_, NULL, NULL, "true",
    "after the horizon, keep running until every accepted job has finished" },
  { "plugin_path", DMAS_SCHEMA_PATHS, NONE_, NULL, NULL, "[]",
    "extra plugin directories (a path or a list), relative to this file's directory" },

  { "platform", DMAS_SCHEMA_MAP, NONE_, NULL, NULL, NULL,
    "the clusters, one resource agent each: a preset, or an explicit list of clusters" },
  { "platform.preset", DMAS_SCHEMA_ENUM, DMAS_SCHEMA_COMPUTED, 0, 0, preset_values, preset_later,
    "seed-resilience", "named platform; default: seed-resilience unless clusters are given" },
  { "platform.agents", DMAS_SCHEMA_INT, DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_HAS_MIN
    | DMAS_SCHEMA_HAS_MAX, 1, 4096, NULL, NULL, "5",
    "number of agents of the preset; default: 5 (not used with clusters)" },
  { "platform.clusters", DMAS_SCHEMA_SEQ_OF_MAPS, DMAS_SCHEMA_COMPUTED, 0, 0, NULL, NULL, NULL,
    "explicit list of clusters instead of a preset; one agent per cluster" },
  { "platform.clusters[].name", DMAS_SCHEMA_STRING, DMAS_SCHEMA_IDENT | DMAS_SCHEMA_COMPUTED,
    0, 0, NULL, NULL, NULL, "cluster name; default: c0, c1, ... by position" },
  { "platform.clusters[].type", DMAS_SCHEMA_ENUM, NONE_, cluster_types, NULL, "general",
    "kind of cluster; the bidder uses it to match job types" },
  { "platform.clusters[].nodes", DMAS_SCHEMA_INT, MIN_ (1), NULL, NULL, "1",
    "number of nodes" },
  { "platform.clusters[].cores", DMAS_SCHEMA_INT, MIN_ (1), NULL, NULL, "8",
    "cores per node" },
  { "platform.clusters[].memory_gb", DMAS_SCHEMA_DOUBLE, ABOVE_ (0), NULL, NULL, "16",
    "memory per node, in GB" },
  { "platform.clusters[].gpus", DMAS_SCHEMA_INT, MIN_ (0), NULL, NULL, "0",
    "GPUs per node" },
  { "platform.clusters[].speed", DMAS_SCHEMA_DOUBLE, ABOVE_ (0), NULL, NULL, "1.0",
    "relative node speed: a job runs runtime / speed" },

  { "workload", DMAS_SCHEMA_MAP, NONE_, NULL, NULL, NULL,
    "the jobs: a synthetic generator and the ranges it draws from" },
  { "workload.generator", DMAS_SCHEMA_ENUM, NONE_, generator_values, generator_later, "poisson",
    "arrival pattern: constant, burst, poisson or uniform over the span" },
  { "workload.jobs", DMAS_SCHEMA_INT, MIN_ (0), NULL, NULL, "50",
    "number of jobs" },
  { "workload.span", DMAS_SCHEMA_DURATION, DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_HAS_MIN
    | DMAS_SCHEMA_MIN_EXCLUSIVE, 0, 0, NULL, NULL, NULL,
    "arrivals fall in [0, span]; default: the horizon" },
  { "workload.runtime_min", DMAS_SCHEMA_DURATION, ABOVE_ (0), NULL, NULL, "10s",
    "shortest job runtime" },
  { "workload.runtime_max", DMAS_SCHEMA_DURATION, ABOVE_ (0), NULL, NULL, "120s",
    "longest job runtime" },
  { "workload.walltime_factor", DMAS_SCHEMA_DOUBLE, MIN_ (1), NULL, NULL, "1.5",
    "requested walltime = runtime x this factor" },
  { "workload.cores_min", DMAS_SCHEMA_INT, MIN_ (1), NULL, NULL, "1",
    "fewest cores a job asks for" },
  { "workload.cores_max", DMAS_SCHEMA_INT, MIN_ (1), NULL, NULL, "8",
    "most cores a job asks for" },
  { "workload.memory_gb_min", DMAS_SCHEMA_DOUBLE, ABOVE_ (0), NULL, NULL, "1",
    "least memory a job asks for, in GB" },
  { "workload.memory_gb_max", DMAS_SCHEMA_DOUBLE, ABOVE_ (0), NULL, NULL, "16",
    "most memory a job asks for, in GB" },
  { "workload.gpu_fraction", DMAS_SCHEMA_DOUBLE, RANGE_ (0, 1), NULL, NULL, "0.2",
    "share of jobs that want GPUs" },
  { "workload.gpus_max", DMAS_SCHEMA_INT, MIN_ (0), NULL, NULL, "2",
    "most GPUs a GPU job asks for" },

  { "network", DMAS_SCHEMA_MAP, NONE_, NULL, NULL, NULL,
    "the simulated network between agents" },
  { "network.latency", DMAS_SCHEMA_DURATION, MIN_ (0), NULL, NULL, "1ms",
    "one-way delay of every message" },
  { "network.jitter", DMAS_SCHEMA_DURATION, DMAS_SCHEMA_LATER, 0, 0, NULL, NULL, NULL,
    "random extra delay per message" },
  { "network.bandwidth", DMAS_SCHEMA_STRING, DMAS_SCHEMA_LATER, 0, 0, NULL, NULL, NULL,
    "link bandwidth (e.g. 10Gbps)" },

  { "scheduling", DMAS_SCHEMA_MAP, NONE_, NULL, NULL, NULL,
    "how agents decide who runs each job" },
  { "scheduling.mode", DMAS_SCHEMA_ENUM, NONE_, mode_values, mode_later, "distributed",
    "distributed: agents bid and agree by consensus" },
  { "scheduling.bidding", DMAS_SCHEMA_STRING, DMAS_SCHEMA_IDENT, 0, 0, NULL, NULL, "heuristic",
    "bidding component (see 'dmas plugins')" },
  { "scheduling.consensus", DMAS_SCHEMA_STRING, DMAS_SCHEMA_IDENT, 0, 0, NULL, NULL, "auction",
    "consensus component (see 'dmas plugins')" },
  { "scheduling.local_policy", DMAS_SCHEMA_ENUM, NONE_, policy_values, policy_later, "fcfs",
    "queue policy of each agent's cluster" },

  { "params", DMAS_SCHEMA_OPEN_MAP, NONE_, NULL, NULL, "{}",
    "component parameters: 'name' or 'kind/name' -> map, checked by the component" },

  { "faults", DMAS_SCHEMA_MAP, DMAS_SCHEMA_LATER, 0, 0, NULL, NULL, NULL,
    "fault injection" },
  { "sweep", DMAS_SCHEMA_MAP, DMAS_SCHEMA_LATER, 0, 0, NULL, NULL, NULL,
    "campaigns over several values of some keys" },
  { "repetitions", DMAS_SCHEMA_INT, DMAS_SCHEMA_LATER, 0, 0, NULL, NULL, NULL,
    "repeated runs with derived seeds" },
};

const DmasSchemaKey *
dmas_schema_keys (gsize *n_keys)
{
  *n_keys = G_N_ELEMENTS (schema);
  return schema;
}

const DmasSchemaKey *
dmas_schema_find (const gchar *path)
{
  for (gsize i = 0; i < G_N_ELEMENTS (schema); i++)
    if (strcmp (schema[i].path, path) == 0)
      return &schema[i];
  return NULL;
}

const gchar *
dmas_schema_key_name (const DmasSchemaKey *key)
{
  const gchar *dot = strrchr (key->path, '.');

  return dot != NULL ? dot + 1 : key->path;
}

gboolean
dmas_schema_is_child (const DmasSchemaKey *key, const gchar *parent)
{
  gsize n = strlen (parent);

  if (n == 0)
    return strchr (key->path, '.') == NULL;
  return strncmp (key->path, parent, n) == 0 && key->path[n] == '.'
         && strchr (key->path + n + 1, '.') == NULL;
}
