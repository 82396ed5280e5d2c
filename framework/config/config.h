/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The typed run configuration: validated against the schema, defaults filled. */
#ifndef DMAS_CONFIG_H
#define DMAS_CONFIG_H

#include <glib.h>

#include <dmas/job.h>
#include <dmas/types.h>
#include "config/node.h"

G_BEGIN_DECLS

/* One explicit cluster (platform.clusters[i]); one agent manages it. */
typedef struct {
  gchar *name;
  gchar *type;          /* hpc gpu ai memory storage hybrid general */
  guint nodes;
  guint cores;          /* per node */
  gdouble memory_gb;    /* per node */
  guint gpus;           /* per node */
  gdouble speed;
} DmasClusterSpec;

/* Distributions of a synthetic job's attributes (workload.runtime, cores, ...); see
 * world/dist.h for how they are drawn. */
typedef enum {
  DMAS_DIST_CONSTANT,    /* value */
  DMAS_DIST_UNIFORM,     /* min, max */
  DMAS_DIST_EXPONENTIAL, /* mean; max caps it when > 0 */
  DMAS_DIST_LOGNORMAL,   /* median, p95; max caps it when > 0 */
  DMAS_DIST_CHOICE       /* values with weights */
} DmasDistKind;

/* Values are in the key's unit: nanoseconds for durations, GB for memory, plain counts.  A
 * zeroed struct is the constant 0 (with fraction 0 for GPUs: no GPU job). */
typedef struct {
  DmasDistKind kind;
  gdouble value;
  gdouble min, max;
  gdouble mean;
  gdouble median, p95;
  guint n_values;
  gdouble *values;       /* choice: n_values (owned) */
  gdouble *weights;      /* choice: n_values (owned), or NULL for equal weights */
  gdouble fraction;      /* workload.gpus only: share of jobs that want GPUs at all */
} DmasDist;

static inline DmasDist
dmas_dist_constant (gdouble value)
{
  DmasDist dist = { .kind = DMAS_DIST_CONSTANT, .value = value, .fraction = 1.0 };
  return dist;
}

/* Frees a distribution's arrays and zeroes it. */
void dmas_dist_clear (DmasDist *dist);

/* workload.jobs of a trace when the key is left out: every job of the trace. */
#define DMAS_WORKLOAD_ALL_JOBS G_MAXUINT

/* One entry of network.links: overrides for the link from -> to (and back if symmetric).
 * Keys the entry leaves out hold the network's own value. */
typedef struct {
  gchar *from, *to;     /* agent id (digits only) or cluster name, resolved by the network */
  gchar *from_where, *to_where, *where; /* "file:line:column: " of from, to and the entry */
  DmasTime latency;
  DmasTime jitter;
  gdouble bandwidth;    /* bits per second; 0 = infinite */
  gboolean symmetric;
} DmasLinkSpec;

typedef struct {
  gchar *source;        /* the YAML file as given, or "<built-in>" */
  gchar *name;
  guint64 seed;
  guint64 world_seed;   /* platform, workload and fault streams (default: seed) */
  DmasTime horizon;     /* jobs arrive in [0, horizon]; DMAS_TIME_NONE for a trace workload
                         * without one: every job of the trace is submitted */
  gboolean drain;       /* keep running after the horizon until accepted jobs finish */
  DmasTime stall_timeout; /* livelock guard (agents/sim.c); 0 = none */
  GPtrArray *plugin_path; /* gchar*, absolute directories */

  struct {
    gchar *preset;      /* NULL when clusters are explicit or from_trace */
    guint agents;       /* agents of the preset; 0 = all clusters of a fixed preset */
    GArray *clusters;   /* DmasClusterSpec (explicit list; empty with a preset) */
    gboolean from_trace; /* one cluster of single-core nodes sized by the trace */
    guint nodes;        /* with from_trace: node count instead of the trace's; 0 = the trace's */
  } platform;

  struct {
    gchar *generator;   /* constant burst poisson uniform swf batsim */
    gchar *path;        /* swf, batsim: the trace file (absolute); NULL otherwise */
    gboolean malformed_fail; /* swf: a malformed line is an error (else skipped, counted) */
    guint jobs;         /* synthetic: N; traces: the first N jobs, or DMAS_WORKLOAD_ALL_JOBS */
    DmasTime span;      /* arrival window (defaults to the horizon) */
    DmasDist nodes;     /* the rest: synthetic generators only */
    DmasDist cores;     /* per node */
    DmasDist memory_gb; /* per node */
    DmasDist gpus;      /* per node, drawn for a share `fraction` of the jobs */
    DmasDist runtime;   /* ns */
    gdouble walltime_factor; /* requested walltime = runtime x factor */
    gboolean types_by_gpus;  /* type ai when the job wants GPUs, else hpc */
    gdouble type_weights[DMAS_JOB_GENERAL + 1]; /* else: weight of each DmasJobType */
  } workload;

  struct {
    DmasTime latency;
    DmasTime jitter;      /* per message, uniform in [0, jitter] */
    gdouble bandwidth;    /* bits per second; 0 = infinite */
    GArray *links;        /* DmasLinkSpec, per-link overrides in file order */
  } network;

  struct {
    gchar *mode;          /* distributed centralized */
    gchar *bidding;       /* component name */
    gchar *consensus;     /* component name */
    gchar *local_policy;  /* fcfs easy conservative */
    struct {
      gboolean backup;    /* centralized: a standby controller */
      DmasTime takeover;  /* silence of the controller in charge before the standby takes over */
      DmasTime heartbeat; /* period of the heartbeats to the standby */
    } ha;
    /* Appended (llm): mixed pools.  fraction of the agents (spread evenly over the ids) bid
     * with `bidding`, the others with hybrid.bidding. */
    struct {
      gdouble fraction;
      gchar *bidding;     /* component name */
    } hybrid;
    /* Appended (llm): an agent that accused a bidder refuses its later bids as implausible. */
    gboolean reputation;
  } scheduling;

  /* The clients that submit jobs (both modes).  A zero timeout (only in configs built by
   * hand; the schema wants > 0) means a client never retries. */
  struct {
    DmasTime timeout;     /* acknowledgement timeout of one attempt */
    DmasTime backoff;     /* wait after the first timeout; doubles after each further one */
    DmasTime backoff_max; /* cap of that wait */
    DmasTime give_up;     /* no attempt later than submit + give_up (0: never give up) */
  } clients;

  /* The failure detector of distributed mode (agents/detector.h). */
  struct {
    gboolean enabled;
    DmasTime period;      /* heartbeat period */
    DmasTime timeout;     /* silence before suspicion */
  } heartbeat;

  DmasNode *params;       /* map component-name -> map of parameters (never NULL) */
  DmasNode *faults;       /* list of fault entries, maps {type, parameters...} (never NULL) */
  DmasNode *resolved;     /* the whole tree with defaults filled, schema key order */
} DmasConfig;

/* Loads `path`, applies the --set assignments (NULL-terminated, nullable) in order, validates
 * against the schema (unknown keys with did-you-mean, types, ranges; keys of later issues
 * rejected as "not supported yet") and fills defaults.
 * Returns: (transfer full) the config, or NULL with a file:line:column error. */
DmasConfig *dmas_config_load (const gchar *path, const gchar *const *sets, GError **error);
/* Same from a tree the caller built (the campaign runner: a point's copy of the file's tree).
 * Takes `root`; `source` names the file in messages and the default name.
 * Returns: (transfer full) the config, or NULL with a file:line:column error. */
DmasConfig *dmas_config_load_tree (DmasNode *root, const gchar *source, const gchar *const *sets,
                                   GError **error);
/* Same from YAML text; `name` is used in error positions, relative paths resolve against
 * base_dir. */
DmasConfig *dmas_config_load_string (const gchar *text, const gchar *name, const gchar *base_dir,
                                     const gchar *const *sets, GError **error);
void dmas_config_free (DmasConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasConfig, dmas_config_free)

/* Returns: (transfer full) the resolved config as YAML (what `dmas config` prints and what is
 * written with every result). */
gchar *dmas_config_to_yaml (const DmasConfig *config);

/* Parameters given for a component under `params:` (key "name" or "kind/name").
 * Returns: (transfer none) (nullable) a MAP node. */
DmasNode *dmas_config_component_params (const DmasConfig *config, const gchar *kind,
                                        const gchar *name);

/* Replaces the parameters of a component (after the registry resolved them against the
 * component's specs, so the written config shows every default).  Takes ownership of `params`
 * (a MAP). */
void dmas_config_set_component_params (DmasConfig *config, const gchar *kind, const gchar *name,
                                       DmasNode *params);

G_END_DECLS

#endif /* DMAS_CONFIG_H */
