/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bidding/llm: asks the run's language model (through the host) for a placement, and bids it. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

#include "common.h"

/* How a bid is made:
 *
 *   a job the cluster can never fit (common.h)  ⇒ score 0 at once (DMAS_OK): the host would
 *       zero any positive claim anyway, so a call would only cost latency and tokens;
 *       ask_infeasible=true asks all the same (see below)
 *   otherwise ⇒ api->llm_request with the template, the job, the cluster and the agent's
 *       specialisation; bid() returns DMAS_PENDING and the reply, after its virtual latency,
 *       becomes the bid through api->bid_ready:
 *         a valid placement (the host checked schema and simulation) ⇒ its score
 *         an invalid or failed reply ⇒ the fallback: the seed's best-fit score (bid_best_fit,
 *           the formula of bidding/heuristic), or 0 with fallback=zero; counted in the
 *           run-wide metric llm_fallbacks and logged at info with the host's reason
 *   no model configured (llm_request answers DMAS_ESTATE) or a request the host refuses ⇒
 *       the fallback synchronously, counted, and one warning per agent
 *
 * The host checks a reply against the simulation except for a Byzantine (compromised) agent,
 * whose model is told to lie: its claims go out unchecked on purpose, so that the consensus
 * protocol, not this bidder, has to keep the system safe.  Second-guessing the score here would
 * hide exactly what the run measures.  For the same reason `ask_infeasible` exists: with the
 * default short-cut a compromised model is never asked about a job its cluster cannot run, so
 * it only ever makes plausible claims; ask_infeasible=true lets it claim impossible ones too
 * (a correct model declines them with score 0, at the cost of a call).
 *
 * Specialisation (what the prompt tells the model the agent is good at): `auto` takes it from
 * the cluster's type at each bid (gpu and ai -> gpu, memory -> memory, storage -> storage,
 * hpc -> compute, hybrid and general -> general); a name (gpu, memory, compute, storage,
 * network, general) gives every agent that one; a comma list gives agent i the i-th entry
 * (agents in id order; an entry may be auto), and must have one entry per agent.
 *
 * Memory: each pending request owns an LlmPending (copies of the job and the cluster view,
 * which are borrowed only for bid()).  The host frees it through llm_pending_free exactly once,
 * also when the instance is destroyed first; it never points at the instance, so freeing it
 * after destroy() is safe.  When llm_request fails, the host has not taken it: freed here. */

/* The host functions this plugin calls beyond ABI 1.0 end with llm_request (ABI 1.3). */
#define LLM_NEEDS_ABI_MINOR 3
#define LLM_API_MIN_SIZE (offsetof (DmasHostApi, llm_request) + sizeof (void *))

static const char *const specialisations[] = {
  "gpu", "memory", "compute", "storage", "network", "general",
};
#define N_SPECIALISATIONS (sizeof specialisations / sizeof specialisations[0])
#define SPECIALISATION_HELP "auto, gpu, memory, compute, storage, network or general"

typedef enum {
  LLM_FALLBACK_HEURISTIC,
  LLM_FALLBACK_ZERO
} LlmFallback;

typedef struct {
  const char *template_name;   /* the param string (valid for the instance's lifetime) */
  const char *specialisation;  /* one of specialisations[], or NULL: auto, per bid */
  LlmFallback fallback;
  int ask_infeasible;
  int warned;                  /* the "no model" warning was logged */
} LlmBidder;

typedef struct {
  DmasBid bid;                 /* job and agent as bid() received them */
  DmasJob job;                 /* copies, for the fallback score */
  DmasClusterView cluster;
  LlmFallback fallback;
} LlmPending;

static const char *
specialisation_of_type (DmasClusterType type)
{
  switch (type)
    {
    case DMAS_CLUSTER_GPU:
    case DMAS_CLUSTER_AI: return "gpu";
    case DMAS_CLUSTER_MEMORY: return "memory";
    case DMAS_CLUSTER_STORAGE: return "storage";
    case DMAS_CLUSTER_HPC: return "compute";
    default: return "general"; /* hybrid, general, and types a newer host may add */
    }
}

/* The name `entry` (len bytes, not NUL-terminated) stands for: *out = a name of
 * specialisations[], or NULL for auto.  Returns 1, or 0 when it is neither. */
static int
specialisation_lookup (const char *entry, size_t len, const char **out)
{
  if (len == 4 && strncmp (entry, "auto", 4) == 0)
    {
      *out = NULL;
      return 1;
    }
  for (size_t i = 0; i < N_SPECIALISATIONS; i++)
    if (strlen (specialisations[i]) == len && strncmp (entry, specialisations[i], len) == 0)
      {
        *out = specialisations[i];
        return 1;
      }
  return 0;
}

static int
is_space (char c)
{
  return c == ' ' || c == '\t';
}

/* Resolves `text` (a name, or a comma list with one entry per agent) for this agent. */
static int
parse_specialisation (LlmBidder *self, DmasCtx *ctx, const char *text, DmasError *err)
{
  uint32_t n = 0;
  const DmasAgentId *members = ctx->api->members (ctx, &n);
  DmasAgentId me = dmas_self (ctx);
  uint32_t entries = 1;
  for (const char *p = text; *p != '\0'; p++)
    entries += *p == ',';

  uint32_t index = 0;
  if (entries > 1)
    {
      if (entries != n)
        return dmas_error_set (err, DMAS_EINVAL,
                               "llm: parameter specialisation \"%.80s\" lists %u names for %u "
                               "agents; give one per agent in id order, or one name for all",
                               text, entries, n);
      while (index < n && members[index] != me)
        index++;
      if (index == n)
        return dmas_error_set (err, DMAS_EINVAL,
                               "llm: parameter specialisation: this agent (%u) is not among the "
                               "members", me);
    }

  const char *p = text;
  for (uint32_t i = 0; i < entries; i++)
    {
      const char *end = strchr (p, ',');
      if (end == NULL)
        end = p + strlen (p);
      const char *a = p, *b = end;
      while (a < b && is_space (*a))
        a++;
      while (b > a && is_space (b[-1]))
        b--;
      const char *name;
      if (!specialisation_lookup (a, (size_t) (b - a), &name))
        return dmas_error_set (err, DMAS_EINVAL,
                               "llm: parameter specialisation: entry %u of \"%.80s\" is not a "
                               "specialisation; use " SPECIALISATION_HELP,
                               i + 1, text);
      if (i == index)
        self->specialisation = name;
      p = *end == ',' ? end + 1 : end;
    }
  return DMAS_OK;
}

/* A template is a file <prompts>/NAME.txt: a plain name keeps it inside the prompt directory
 * (the host's own rule, checked here too so that a typo fails at create, not at each bid). */
#define LLM_TEMPLATE_NAME_MAX 64

static int
template_name_valid (const char *name)
{
  size_t len = strlen (name);
  if (len == 0 || len > LLM_TEMPLATE_NAME_MAX)
    return 0;
  for (const char *p = name; *p != '\0'; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
          || *p == '-' || *p == '_'))
      return 0;
  return 1;
}

static int
configure (LlmBidder *self, DmasCtx *ctx, DmasError *err)
{
  const DmasHostApi *api = ctx->api;
  const char *specialisation, *fallback;
  int rc = api->param_string (ctx, "specialisation", &specialisation);
  if (rc == DMAS_OK)
    rc = api->param_string (ctx, "template", &self->template_name);
  if (rc == DMAS_OK)
    rc = api->param_string (ctx, "fallback", &fallback);
  if (rc == DMAS_OK)
    rc = api->param_bool (ctx, "ask_infeasible", &self->ask_infeasible);
  if (rc != DMAS_OK)
    return dmas_error_set (err, rc, "llm: cannot read its parameters (status %d)", rc);

  if (!template_name_valid (self->template_name))
    return dmas_error_set (err, DMAS_EINVAL,
                           "llm: parameter template \"%.80s\" is not a template name; give "
                           "the NAME of <prompts>/NAME.txt (at most %d letters, digits, '-', "
                           "'_'), e.g. bid",
                           self->template_name, LLM_TEMPLATE_NAME_MAX);
  if (strcmp (fallback, "heuristic") == 0)
    self->fallback = LLM_FALLBACK_HEURISTIC;
  else if (strcmp (fallback, "zero") == 0)
    self->fallback = LLM_FALLBACK_ZERO;
  else
    return dmas_error_set (err, DMAS_EINVAL,
                           "llm: parameter fallback \"%.80s\" is not a fallback; use heuristic "
                           "(the seed's best-fit score) or zero",
                           fallback);
  return parse_specialisation (self, ctx, specialisation, err);
}

static void *
llm_create (DmasCtx *ctx, DmasError *err)
{
  const DmasHostApi *api = ctx->api;
  /* Checked before anything else: an older host's table ends before llm_request. */
  if (api->abi_minor < LLM_NEEDS_ABI_MINOR || api->struct_size < LLM_API_MIN_SIZE
      || api->llm_request == NULL)
    {
      dmas_error_set (err, DMAS_ESTATE,
                      "llm: needs a dmas host with ABI >= 1.%d (this one has %u.%u); upgrade "
                      "dmas or use another bidder",
                      LLM_NEEDS_ABI_MINOR, api->abi_major, api->abi_minor);
      return NULL;
    }
  LlmBidder *self = calloc (1, sizeof *self);
  if (self == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "llm: out of memory");
      return NULL;
    }
  if (configure (self, ctx, err) != DMAS_OK)
    {
      free (self);
      return NULL;
    }
  return self;
}

static void
llm_destroy (void *self)
{
  free (self);
}

static double
fallback_score (LlmFallback fallback, const DmasJob *job, const DmasClusterView *cluster)
{
  if (fallback == LLM_FALLBACK_ZERO || !bid_feasible (job, cluster))
    return 0.0;
  return bid_final_score (bid_best_fit (job, cluster));
}

static const char *
fallback_name (LlmFallback fallback)
{
  return fallback == LLM_FALLBACK_ZERO ? "zero" : "heuristic";
}

static void
llm_pending_free (void *data)
{
  free (data);
}

static void
on_reply (DmasCtx *ctx, void *data, const DmasLlmResult *result)
{
  LlmPending *p = data;
  DmasBid bid = p->bid;
  if (result->status == DMAS_OK)
    bid.score = result->score;
  else
    {
      bid.score = fallback_score (p->fallback, &p->job, &p->cluster);
      ctx->api->metric (ctx, "llm_fallbacks", 1.0);
      dmas_log (ctx, DMAS_LOG_INFO, "llm: job %llu: no usable answer (status %d: %s); %s "
                "fallback bid %.6g", (unsigned long long) bid.job, result->status,
                result->message != NULL ? result->message : "", fallback_name (p->fallback),
                bid.score);
    }
  int rc = ctx->api->bid_ready (ctx, &bid);
  /* DMAS_ESTATE: the job's slot moved on (a new epoch, or decided) while the model thought. */
  if (rc != DMAS_OK && rc != DMAS_ESTATE)
    dmas_log (ctx, DMAS_LOG_WARNING, "llm: job %llu: bid_ready refused the bid (status %d)",
              (unsigned long long) bid.job, rc);
}

static int
llm_bid (void *self_, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
         DmasBid *out, DmasError *err)
{
  LlmBidder *self = self_;
  int rc = bid_check_input ("llm", job, cluster, err);
  if (rc != DMAS_OK)
    return rc;
  if (!self->ask_infeasible && !bid_feasible (job, cluster))
    {
      out->score = 0.0;
      return DMAS_OK;
    }

  LlmPending *p = malloc (sizeof *p);
  if (p == NULL)
    return dmas_error_set (err, DMAS_ENOMEM, "llm: out of memory");
  *p = (LlmPending){ .bid = *out, .job = *job, .cluster = *cluster,
                     .fallback = self->fallback };
  const DmasLlmAsk ask = {
    .struct_size = sizeof (DmasLlmAsk),
    .template_name = self->template_name,
    .job = job,
    .cluster = cluster,
    .specialisation = self->specialisation != NULL ? self->specialisation
                                                   : specialisation_of_type (cluster->type),
    .vars = NULL,
  };
  rc = ctx->api->llm_request (ctx, &ask, on_reply, p, llm_pending_free);
  if (rc == DMAS_OK)
    return DMAS_PENDING;

  free (p);
  out->score = fallback_score (self->fallback, job, cluster);
  ctx->api->metric (ctx, "llm_fallbacks", 1.0);
  if (!self->warned)
    {
      self->warned = 1;
      dmas_log (ctx, DMAS_LOG_WARNING,
                "llm: no model answers (llm_request status %d%s); every bid of this agent uses "
                "the %s fallback",
                rc, rc == DMAS_ESTATE ? ": configure one in the llm: section, e.g. "
                                        "llm: {provider: simulated}" : "",
                fallback_name (self->fallback));
    }
  return DMAS_OK;
}

static const DmasBiddingOps llm_ops = {
  .struct_size = sizeof (DmasBiddingOps),
  .create = llm_create,
  .destroy = llm_destroy,
  .bid = llm_bid,
  .job_finished = NULL,
};

static const DmasParamSpec llm_params[] = {
  { "specialisation", DMAS_PARAM_STRING, "auto",
    "what the prompt says the agent is good at: auto (from the cluster type), gpu, memory, "
    "compute, storage, network, general, or a comma list with one per agent in id order" },
  { "template", DMAS_PARAM_STRING, "bid",
    "the prompt template asked with: <prompts>/NAME.txt (llm.prompts, else the built-in ones)" },
  { "fallback", DMAS_PARAM_STRING, "heuristic",
    "the bid when the model gives no valid answer: heuristic (the seed's best fit) or zero" },
  { "ask_infeasible", DMAS_PARAM_BOOL, "false",
    "also ask about jobs the cluster cannot fit (a compromised model may then claim them)" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent llm_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_BIDDING,
    .name = "llm",
    .api_major = DMAS_BIDDING_API_MAJOR,
    .api_minor = DMAS_BIDDING_API_MINOR,
    .ops = &llm_ops,
    .summary = "a language model (the run's llm: provider) proposes a placement and its score; "
               "best fit when it cannot",
    .params = llm_params,
  },
};

static const DmasPluginDesc llm_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "llm",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = llm_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &llm_desc;
}
