/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The table of every config key: type, range, default and one line of documentation. */
#include <config.h>

#include <string.h>

#include "config/schema.h"

#define MIN_(v) DMAS_SCHEMA_HAS_MIN, (v), 0
#define ABOVE_(v) DMAS_SCHEMA_HAS_MIN | DMAS_SCHEMA_MIN_EXCLUSIVE, (v), 0
#define RANGE_(lo, hi) DMAS_SCHEMA_HAS_MIN | DMAS_SCHEMA_HAS_MAX, (lo), (hi)
#define NONE_ 0, 0, 0

static const gchar *const preset_values[] = { "seed-resilience", "seed-demo", "supercomputers",
                                              "amsc", NULL };
static const gchar *const cluster_types[] = { "hpc", "gpu", "ai", "memory", "storage",
                                              "hybrid", "general", NULL };
static const gchar *const generator_values[] = { "constant", "burst", "poisson", "uniform",
                                                 "swf", "batsim", NULL };
static const gchar *const malformed_values[] = { "skip", "fail", NULL };
static const gchar *const mode_values[] = { "distributed", "centralized", NULL };
static const gchar *const policy_values[] = { "fcfs", "easy", "conservative", NULL };

/* Order matters twice: it is the order of the resolved config, and a computed default may
 * only depend on keys above it (workload.span reads horizon). */
static const DmasSchemaKey schema[] = {
  { "name", DMAS_SCHEMA_STRING, DMAS_SCHEMA_IDENT | DMAS_SCHEMA_COMPUTED, 0, 0, NULL, NULL, NULL,
    "name of the run, used for the results directory; default: the config file's name "
    "without .yaml (\"run\" without a file)" },
  { "seed", DMAS_SCHEMA_INT, MIN_ (0), NULL, NULL, "1",
    "run seed: the network's and the agents' random streams derive from it (in a campaign, "
    "the master seed every run's seeds derive from)" },
  { "world_seed", DMAS_SCHEMA_INT, DMAS_SCHEMA_HAS_MIN | DMAS_SCHEMA_COMPUTED, 0, 0, NULL, NULL,
    NULL,
    "seed of the platform, the workload and the fault schedule; default: seed.  A campaign "
    "gives every method of one repetition the same world_seed, so comparisons are paired" },
  { "horizon", DMAS_SCHEMA_DURATION, DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_HAS_MIN
    | DMAS_SCHEMA_MIN_EXCLUSIVE, 0, 0, NULL, NULL, "1h",
    "jobs arrive within [0, horizon] of virtual time; default: 1h, and for swf and batsim "
    "workloads none (every job of the trace is submitted)" },
  { "drain", DMAS_SCHEMA_BOOL, NONE_, NULL, NULL, "true",
    "after the horizon, keep running until every accepted job has finished" },
  { "stall_timeout", DMAS_SCHEMA_DURATION, MIN_ (0), NULL, NULL, "6h",
    "the run ends with status 'stalled' when the scheduling service is available, some job "
    "waits for a decision, and no job was decided, started or finished for this long "
    "(checked once per period: detected within twice this time); 0 never" },
  { "plugin_path", DMAS_SCHEMA_PATHS, NONE_, NULL, NULL, "[]",
    "extra plugin directories (a path or a list), relative to this file's directory" },

  { "platform", DMAS_SCHEMA_MAP, NONE_, NULL, NULL, NULL,
    "the clusters, one resource agent each: a preset, or an explicit list of clusters" },
  { "platform.preset", DMAS_SCHEMA_ENUM, DMAS_SCHEMA_COMPUTED, 0, 0, preset_values, NULL,
    "seed-resilience", "named platform from configs/platforms/; default: seed-resilience "
    "unless clusters or from_trace are given" },
  { "platform.agents", DMAS_SCHEMA_INT, DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_HAS_MIN
    | DMAS_SCHEMA_HAS_MAX, 1, 4096, NULL, NULL, "5",
    "number of agents of the preset; default: 5 for seed-resilience, every cluster of the "
    "other presets (the first N when given)" },
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
  { "platform.from_trace", DMAS_SCHEMA_BOOL, NONE_, NULL, NULL, "false",
    "one cluster of single-core nodes, as many as the trace's MaxProcs (SWF) or nb_res "
    "(Batsim); needs an swf or batsim workload" },
  { "platform.nodes", DMAS_SCHEMA_INT, DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_HAS_MIN, 1, 0, NULL,
    NULL, NULL, "with from_trace: the node count; default: the trace's MaxProcs (SWF) or "
    "nb_res (Batsim)" },

  /* The synthetic keys from `span` on are computed only to leave them out for traces. */
  { "workload", DMAS_SCHEMA_MAP, NONE_, NULL, NULL, NULL,
    "the jobs: a synthetic generator and its distributions, or a trace file" },
  { "workload.generator", DMAS_SCHEMA_ENUM, NONE_, generator_values, NULL, "poisson",
    "constant, burst, poisson or uniform arrivals over the span; swf or batsim: a trace file" },
  { "workload.path", DMAS_SCHEMA_FILE, DMAS_SCHEMA_COMPUTED, 0, 0, NULL, NULL, NULL,
    "swf and batsim: the trace file (gzip or not), relative to this file; no default" },
  { "workload.on_malformed", DMAS_SCHEMA_ENUM, DMAS_SCHEMA_COMPUTED, 0, 0, malformed_values,
    NULL, "skip", "swf: skip a malformed line (reported and counted) or fail; default: skip" },
  { "workload.jobs", DMAS_SCHEMA_INT, DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_HAS_MIN, 0, 0, NULL,
    NULL, "50", "number of jobs; default: 50, and for traces every job (N keeps the first N)" },
  { "workload.span", DMAS_SCHEMA_DURATION, DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_HAS_MIN
    | DMAS_SCHEMA_MIN_EXCLUSIVE, 0, 0, NULL, NULL, NULL,
    "arrivals fall in [0, span]; default: the horizon" },
  { "workload.nodes", DMAS_SCHEMA_DIST, DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_DIST_INT
    | DMAS_SCHEMA_HAS_MIN, 1, 0, NULL, NULL, "{dist: constant, value: 1}",
    "nodes a job asks for; default: 1" },
  { "workload.cores", DMAS_SCHEMA_DIST, DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_DIST_INT
    | DMAS_SCHEMA_HAS_MIN, 1, 0, NULL, NULL, "{dist: choice, values: [1, 2, 4, 8, 16]}",
    "cores per node a job asks for; default: the predecessor's 1, 2, 4, 8 or 16" },
  { "workload.memory_gb", DMAS_SCHEMA_DIST, DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_HAS_MIN, 0, 0,
    NULL, NULL, "{dist: choice, values: [1, 2, 4, 8, 16, 32]}",
    "memory per node a job asks for, in GB; default: the predecessor's 1, 2, 4, 8, 16 or 32" },
  { "workload.gpus", DMAS_SCHEMA_DIST, DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_DIST_INT
    | DMAS_SCHEMA_DIST_FRACTION | DMAS_SCHEMA_HAS_MIN, 0, 0, NULL, NULL,
    "{fraction: 0.2, dist: constant, value: 1}",
    "GPUs per node, for a share 'fraction' of the jobs (the others want none); default: 1 "
    "GPU for a fifth of the jobs" },
  { "workload.runtime", DMAS_SCHEMA_DIST, DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_DIST_DURATION
    | DMAS_SCHEMA_HAS_MIN | DMAS_SCHEMA_MIN_EXCLUSIVE, 0, 0, NULL, NULL,
    "{dist: uniform, min: 1s, max: 20s}",
    "actual runtime of a job at speed 1; default: uniform between 1 s and 20 s" },
  { "workload.walltime_factor", DMAS_SCHEMA_DOUBLE, DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_HAS_MIN,
    1, 0, NULL, NULL, "1.5", "requested walltime = runtime x this factor; default: 1.5" },
  { "workload.types", DMAS_SCHEMA_JOB_MIX, DMAS_SCHEMA_COMPUTED, 0, 0, NULL, NULL, "by-gpus",
    "job types: by-gpus (ai when a job wants GPUs, else hpc; the default) or weights, e.g. "
    "'{hpc: 0.8, ai: 0.2}'" },

  { "network", DMAS_SCHEMA_MAP, NONE_, NULL, NULL, NULL,
    "the simulated network between agents" },
  { "network.latency", DMAS_SCHEMA_DURATION, MIN_ (0), NULL, NULL, "1ms",
    "one-way delay of every message, after its last byte is sent" },
  { "network.jitter", DMAS_SCHEMA_DURATION, MIN_ (0), NULL, NULL, "0s",
    "extra delay per message, uniform in [0, jitter]; links stay FIFO" },
  /* A string checked as a rate by resolve.c: the schema has no rate type. */
  { "network.bandwidth", DMAS_SCHEMA_STRING, NONE_, NULL, NULL, "infinite",
    "bandwidth of each directed link (e.g. 10Gbps, 100MB/s); infinite or 0 = no limit" },
  { "network.links", DMAS_SCHEMA_SEQ_OF_MAPS, NONE_, NULL, NULL, "[]",
    "per-link overrides, e.g. '[{from: 0, to: 3, latency: 20ms}]'" },
  { "network.links[].from", DMAS_SCHEMA_STRING, DMAS_SCHEMA_IDENT | DMAS_SCHEMA_COMPUTED, 0, 0,
    NULL, NULL, NULL, "sending end: an agent id or a cluster name; no default: required" },
  { "network.links[].to", DMAS_SCHEMA_STRING, DMAS_SCHEMA_IDENT | DMAS_SCHEMA_COMPUTED, 0, 0,
    NULL, NULL, NULL, "receiving end: an agent id or a cluster name; no default: required" },
  { "network.links[].latency", DMAS_SCHEMA_DURATION, DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_HAS_MIN,
    0, 0, NULL, NULL, NULL, "latency of this link; default: network.latency" },
  { "network.links[].jitter", DMAS_SCHEMA_DURATION, DMAS_SCHEMA_COMPUTED | DMAS_SCHEMA_HAS_MIN,
    0, 0, NULL, NULL, NULL, "jitter of this link; default: network.jitter" },
  { "network.links[].bandwidth", DMAS_SCHEMA_STRING, DMAS_SCHEMA_COMPUTED, 0, 0, NULL, NULL,
    NULL, "bandwidth of this link; default: network.bandwidth" },
  { "network.links[].symmetric", DMAS_SCHEMA_BOOL, NONE_, NULL, NULL, "true",
    "true: the entry sets both directions; false: only from -> to" },

  { "scheduling", DMAS_SCHEMA_MAP, NONE_, NULL, NULL, NULL,
    "how agents decide who runs each job" },
  { "scheduling.mode", DMAS_SCHEMA_ENUM, NONE_, mode_values, NULL, "distributed",
    "distributed: agents bid and agree by consensus; centralized: one controller places "
    "every job with the same bidding component" },
  { "scheduling.bidding", DMAS_SCHEMA_STRING, DMAS_SCHEMA_IDENT, 0, 0, NULL, NULL, "heuristic",
    "bidding component (see 'dmas plugins')" },
  { "scheduling.consensus", DMAS_SCHEMA_STRING, DMAS_SCHEMA_IDENT, 0, 0, NULL, NULL, "auction",
    "consensus component (see 'dmas plugins')" },
  { "scheduling.local_policy", DMAS_SCHEMA_ENUM, NONE_, policy_values, NULL, "fcfs",
    "queue policy of each agent's cluster: fcfs, easy (EASY backfilling) or conservative "
    "(conservative backfilling)" },
  { "scheduling.ha", DMAS_SCHEMA_MAP, NONE_, NULL, NULL, NULL,
    "centralized mode: a standby controller that takes over when the one in charge falls "
    "silent" },
  { "scheduling.ha.backup", DMAS_SCHEMA_BOOL, NONE_, NULL, NULL, "false",
    "run a backup controller beside the primary" },
  { "scheduling.ha.takeover", DMAS_SCHEMA_DURATION, ABOVE_ (0), NULL, NULL, "120s",
    "silence of the controller in charge after which the standby takes over (Slurm's "
    "SlurmctldTimeout)" },
  { "scheduling.ha.heartbeat", DMAS_SCHEMA_DURATION, ABOVE_ (0), NULL, NULL, "10s",
    "period of the heartbeats the controller in charge sends the standby; below takeover" },

  { "scheduling.hybrid", DMAS_SCHEMA_MAP, NONE_, NULL, NULL, NULL,
    "mixed pools: a share of the agents bids with scheduling.bidding, the others with "
    "hybrid.bidding (e.g. some LLM agents among heuristic ones)" },
  { "scheduling.hybrid.fraction", DMAS_SCHEMA_DOUBLE, RANGE_ (0, 1), NULL, NULL, "1",
    "share of the agents that use scheduling.bidding, spread evenly over the agent ids "
    "(agent i does when floor((i+1) x fraction) > floor(i x fraction)); 1 = all" },
  { "scheduling.hybrid.bidding", DMAS_SCHEMA_STRING, DMAS_SCHEMA_IDENT, 0, 0, NULL, NULL,
    "heuristic", "bidding component of the other agents" },
  { "scheduling.reputation", DMAS_SCHEMA_BOOL, NONE_, NULL, NULL, "false",
    "true: an agent that caught another in an impossible claim (and accused it) believes "
    "none of its later bids until the accuser restarts (bid_plausible answers 0)" },

  { "clients", DMAS_SCHEMA_MAP, NONE_, NULL, NULL, NULL,
    "the users' clients that submit jobs through the network, and retry" },
  { "clients.timeout", DMAS_SCHEMA_DURATION, ABOVE_ (0), NULL, NULL, "5s",
    "a submission not acknowledged within this time is sent again" },
  { "clients.backoff", DMAS_SCHEMA_DURATION, MIN_ (0), NULL, NULL, "1s",
    "wait after a timeout before the first retry; doubles after each further timeout" },
  { "clients.backoff_max", DMAS_SCHEMA_DURATION, MIN_ (0), NULL, NULL, "1m",
    "longest wait between a timeout and the next retry" },
  { "clients.give_up", DMAS_SCHEMA_DURATION, ABOVE_ (0), NULL, NULL, "1d",
    "a client sends no retry later than this after the job's submit time; the job then "
    "counts in submissions_given_up" },

  { "heartbeat", DMAS_SCHEMA_MAP, NONE_, NULL, NULL, NULL,
    "failure detection: in distributed mode every agent heartbeats to every other agent; "
    "in centralized mode the agents report to the controller" },
  { "heartbeat.enabled", DMAS_SCHEMA_BOOL, NONE_, NULL, NULL, "true",
    "false: no heartbeats, no suspicion, so no recovery of the jobs of crashed agents" },
  { "heartbeat.period", DMAS_SCHEMA_DURATION, ABOVE_ (0), NULL, NULL, "5s",
    "every live agent sends a heartbeat (centralized: a report) at least this often" },
  { "heartbeat.timeout", DMAS_SCHEMA_DURATION, ABOVE_ (0), NULL, NULL, "15s",
    "a peer (or agent) not heard from for this long is suspected" },

  { "llm", DMAS_SCHEMA_MAP, NONE_, NULL, NULL, NULL,
    "the language model behind LLM bidders (bidding: llm): provider, limits, record/replay" },
  { "llm.provider", DMAS_SCHEMA_STRING, DMAS_SCHEMA_IDENT, 0, 0, NULL, NULL, "simulated",
    "llm component: simulated (offline, deterministic), replay, ollama, openai, sambastudio; "
    "its parameters go under params (e.g. params: {llm/ollama: {url: ...}})" },
  { "llm.model", DMAS_SCHEMA_STRING, NONE_, NULL, NULL, "\"\"",
    "model name sent to the provider; empty = the provider's default" },
  { "llm.temperature", DMAS_SCHEMA_DOUBLE, RANGE_ (0, 2), NULL, NULL, "0",
    "sampling temperature (0: the most deterministic answers a model gives)" },
  { "llm.max_tokens", DMAS_SCHEMA_INT, RANGE_ (1, 1000000), NULL, NULL, "512",
    "longest answer asked for, in tokens" },
  { "llm.connect_timeout", DMAS_SCHEMA_DURATION, ABOVE_ (0), NULL, NULL, "5s",
    "online providers: give up connecting after this long (one attempt)" },
  { "llm.timeout", DMAS_SCHEMA_DURATION, ABOVE_ (0), NULL, NULL, "60s",
    "online providers: give up one attempt after this long in all" },
  { "llm.retries", DMAS_SCHEMA_INT, RANGE_ (0, 100), NULL, NULL, "3",
    "extra attempts after a transient failure (timeout, connection error, HTTP 408, 429, "
    "500-504); other failures are never retried" },
  { "llm.backoff", DMAS_SCHEMA_DURATION, MIN_ (0), NULL, NULL, "1s",
    "wait before the first retry; doubles per retry, with jitter; a Retry-After header wins" },
  { "llm.backoff_max", DMAS_SCHEMA_DURATION, MIN_ (0), NULL, NULL, "30s",
    "longest wait before a retry; a Retry-After beyond it gives up (counted as a failure)" },
  { "llm.budget_calls", DMAS_SCHEMA_INT, MIN_ (0), NULL, NULL, "0",
    "HTTP attempts allowed per run (0 = no limit); once spent, bidders fall back" },
  { "llm.budget_time", DMAS_SCHEMA_DURATION, MIN_ (0), NULL, NULL, "0s",
    "wall-clock time allowed in LLM exchanges per run (0 = no limit); once spent, bidders "
    "fall back" },
  { "llm.max_reply_bytes", DMAS_SCHEMA_INT, RANGE_ (256, 67108864), NULL, NULL, "65536",
    "a reply body longer than this is refused (counted as invalid)" },
  { "llm.record", DMAS_SCHEMA_STRING, NONE_, NULL, NULL, "\"\"",
    "file (relative to the working directory) to which every exchange is appended as a "
    "JSON line, for the replay provider; empty = off" },
  { "llm.prompts", DMAS_SCHEMA_STRING, NONE_, NULL, NULL, "\"\"",
    "directory of the prompt templates (system.txt, bid.txt, compromised.txt); empty = "
    "the built-in ones" },
  { "llm.latency_mean", DMAS_SCHEMA_DURATION, MIN_ (0), NULL, NULL, "2s",
    "offline providers (simulated; replay of an old cache without latencies): virtual "
    "latency of an answer, mean ..." },
  { "llm.latency_jitter", DMAS_SCHEMA_DURATION, MIN_ (0), NULL, NULL, "1s",
    "... plus a uniform draw in [-jitter, +jitter] (never below 0); online providers use "
    "the measured time instead" },

  { "params", DMAS_SCHEMA_OPEN_MAP, NONE_, NULL, NULL, "{}",
    "component parameters: 'name' or 'kind/name' -> map, checked by the component" },

  /* Entries keep their parameters unchecked until the plugins are loaded; see
   * dmas_faults_fill_config. */
  { "faults", DMAS_SCHEMA_SEQ_OF_MAPS, DMAS_SCHEMA_OPEN_ITEMS, 0, 0, NULL, NULL, "[]",
    "fault injection: a list of entries '{type: COMPONENT, PARAMETER: VALUE, ...}', or a "
    "preset '{intensity: light|medium|heavy|chaos|none, types: [...], pattern: random}'" },
  { "faults[].type", DMAS_SCHEMA_STRING, DMAS_SCHEMA_COMPUTED, 0, 0, NULL, NULL, NULL,
    "the fault component, 'name' or 'fault/name' (see 'dmas plugins'); required, no default" },
  /* Campaign keys: read by framework/campaign, never by a single run's loader. */
  { "sweep", DMAS_SCHEMA_MAP, DMAS_SCHEMA_CAMPAIGN, 0, 0, NULL, NULL, NULL,
    "campaign: config keys and the values each takes (cartesian product), or named variants" },
  { "repetitions", DMAS_SCHEMA_INT, DMAS_SCHEMA_CAMPAIGN | DMAS_SCHEMA_HAS_MIN, 1, 0, NULL, NULL,
    "1", "campaign: runs of every sweep point, each with its own derived seeds" },
  { "compare", DMAS_SCHEMA_STRING, DMAS_SCHEMA_CAMPAIGN | DMAS_SCHEMA_COMPUTED, 0, 0, NULL, NULL,
    NULL,
    "campaign: the sweep key whose values are the methods compared ('none': no comparison); "
    "default: the first key with two values or more" },
  { "paired", DMAS_SCHEMA_BOOL, DMAS_SCHEMA_CAMPAIGN, 0, 0, NULL, NULL, "true",
    "campaign: every point of one repetition shares the world_seed (paired tests); false "
    "gives each run its own (Welch's test)" },
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
