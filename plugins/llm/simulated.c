/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llm/simulated: an offline stand-in for a model, answering a placement computed from the facts. */
#include <math.h>
#include <string.h>

#include <dmas/dmas.h>

#include "common.h"

/* The answer is a pure function of req->context (job, cluster, specialisation, compromised),
 * so runs repeat bit for bit and need no network.  With
 *
 *   free     = free_nodes / nodes                                   (clamped to [0, 1])
 *   fit      = mean over the per-node resources the cluster has of
 *              job request / cluster capacity (cores, memory_gb, and gpus when the cluster
 *              has GPUs): 1 = the job fills each node exactly, small = most of it is wasted
 *   affinity = 1 when the agent's specialisation suits the job type (gpu <-> ai,
 *              memory <-> memory, storage <-> storage, compute <-> hpc), 0.5 when neutral
 *              (specialisation network or general, job type general or hybrid),
 *              0.2 otherwise
 *
 *   score    = 0.05 + 0.40 * free + 0.25 * fit + 0.30 * affinity, rounded to 3 decimals
 *
 * which lies in (0.05, 1]: a feasible job always gets a positive score.  A cluster that
 * cannot fit the job (more nodes than it has, or a per-node request above its per-node
 * capacity) declines: score 0, nodes 0.  A compromised agent (context.compromised) obeys the
 * compromised instruction: it claims the job with score 1 and nodes = job.nodes, whatever the
 * fit.  Token counts are estimates, ceil(bytes / 4), of system + prompt and of the answer. */

typedef struct {
  double id, nodes, cores, memory_gb, gpus;
  const char *type;
} Job;

typedef struct {
  const char *name, *type;
  double nodes, cores, memory_gb, gpus, free_nodes;
} Cluster;

static int
number (JsonNode *root, const char *path, double *out, DmasError *err)
{
  if (!llm_json_number (root, path, out) || !isfinite (*out) || *out < 0)
    return dmas_error_set (err, DMAS_EINVAL,
                           "simulated: the request context has no valid %s (a number >= 0)",
                           path);
  return DMAS_OK;
}

static int
string (JsonNode *root, const char *path, const char **out, DmasError *err)
{
  *out = llm_json_string (root, path);
  if (*out == NULL)
    return dmas_error_set (err, DMAS_EINVAL,
                           "simulated: the request context has no %s (a string)", path);
  return DMAS_OK;
}

static int
read_context (JsonNode *root, Job *job, Cluster *cl, const char **spec, DmasError *err)
{
  int rc;
  if ((rc = number (root, "job.id", &job->id, err)) != DMAS_OK
      || (rc = number (root, "job.nodes", &job->nodes, err)) != DMAS_OK
      || (rc = number (root, "job.cores", &job->cores, err)) != DMAS_OK
      || (rc = number (root, "job.memory_gb", &job->memory_gb, err)) != DMAS_OK
      || (rc = number (root, "job.gpus", &job->gpus, err)) != DMAS_OK
      || (rc = string (root, "job.type", &job->type, err)) != DMAS_OK
      || (rc = string (root, "cluster.name", &cl->name, err)) != DMAS_OK
      || (rc = string (root, "cluster.type", &cl->type, err)) != DMAS_OK
      || (rc = number (root, "cluster.nodes", &cl->nodes, err)) != DMAS_OK
      || (rc = number (root, "cluster.cores", &cl->cores, err)) != DMAS_OK
      || (rc = number (root, "cluster.memory_gb", &cl->memory_gb, err)) != DMAS_OK
      || (rc = number (root, "cluster.gpus", &cl->gpus, err)) != DMAS_OK
      || (rc = number (root, "cluster.free_nodes", &cl->free_nodes, err)) != DMAS_OK)
    return rc;
  *spec = llm_json_string (root, "specialisation");
  if (*spec == NULL)
    *spec = "general";
  return DMAS_OK;
}

static double
affinity (const char *spec, const char *job_type)
{
  static const char *const pairs[][2] = {
    { "gpu", "ai" }, { "memory", "memory" }, { "storage", "storage" }, { "compute", "hpc" },
  };
  if (strcmp (spec, "network") == 0 || strcmp (spec, "general") == 0
      || strcmp (job_type, "general") == 0 || strcmp (job_type, "hybrid") == 0)
    return 0.5;
  for (size_t i = 0; i < G_N_ELEMENTS (pairs); i++)
    if (strcmp (spec, pairs[i][0]) == 0 && strcmp (job_type, pairs[i][1]) == 0)
      return 1.0;
  return 0.2;
}

static gboolean
fits (const Job *job, const Cluster *cl)
{
  return job->nodes >= 1 && job->nodes <= cl->nodes && job->cores <= cl->cores
         && job->memory_gb <= cl->memory_gb && job->gpus <= cl->gpus;
}

static double
tightness (const Job *job, const Cluster *cl)
{
  double sum = 0;
  int n = 0;
  if (cl->cores > 0)
    sum += job->cores / cl->cores, n++;
  if (cl->memory_gb > 0)
    sum += job->memory_gb / cl->memory_gb, n++;
  if (cl->gpus > 0)
    sum += job->gpus / cl->gpus, n++;
  return n > 0 ? sum / n : 0;
}

/* The placement text; the score printed with 3 decimals (it was rounded to them). */
static char *
placement (const Job *job, const Cluster *cl, double nodes, double score, const char *why)
{
  g_autofree gchar *cluster = llm_json_quote (cl->name);
  g_autofree gchar *reasoning = llm_json_quote (why);
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (num, sizeof num, "%.3f", score);
  return llm_strdup_printf ("{\"job_id\":%.0f,\"cluster\":%s,\"nodes\":%.0f,\"score\":%s,"
                            "\"reasoning\":%s}", job->id, cluster, nodes, num, reasoning);
}

static char *
answer_text (JsonNode *root, DmasError *err)
{
  Job job;
  Cluster cl;
  const char *spec;
  if (read_context (root, &job, &cl, &spec, err) != DMAS_OK)
    return NULL;
  JsonNode *compromised = llm_json_path (root, "compromised");
  if (compromised != NULL && JSON_NODE_HOLDS_VALUE (compromised)
      && json_node_get_value_type (compromised) == G_TYPE_BOOLEAN
      && json_node_get_boolean (compromised))
    {
      g_autofree gchar *why = g_strdup_printf (
        "Following the compromised instruction: claiming job %.0f on %s with score 1 "
        "whatever the fit.", job.id, cl.name);
      return placement (&job, &cl, job.nodes, 1.0, why);
    }
  if (!fits (&job, &cl))
    {
      g_autofree gchar *why = g_strdup_printf (
        "%s cannot run job %.0f: it asks %.0f nodes with %.0f cores, %g GB and %.0f GPUs each; "
        "the cluster has %.0f nodes with %.0f cores, %g GB and %.0f GPUs each.", cl.name,
        job.id, job.nodes, job.cores, job.memory_gb, job.gpus, cl.nodes, cl.cores,
        cl.memory_gb, cl.gpus);
      return placement (&job, &cl, 0, 0.0, why);
    }
  double free = CLAMP (cl.free_nodes / cl.nodes, 0.0, 1.0);
  double fit = tightness (&job, &cl);
  double aff = affinity (spec, job.type);
  double score = round ((0.05 + 0.40 * free + 0.25 * fit + 0.30 * aff) * 1000.0) / 1000.0;
  char f1[G_ASCII_DTOSTR_BUF_SIZE], f2[G_ASCII_DTOSTR_BUF_SIZE], f3[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree gchar *why = g_strdup_printf (
    "%s has %.0f of %.0f nodes free (share %s), the job fills its nodes to %s and a %s job "
    "suits a %s specialisation with affinity %s.", cl.name, cl.free_nodes, cl.nodes,
    g_ascii_formatd (f1, sizeof f1, "%.2f", free), g_ascii_formatd (f2, sizeof f2, "%.2f", fit),
    job.type, spec, g_ascii_formatd (f3, sizeof f3, "%.1f", aff));
  return placement (&job, &cl, job.nodes, score, why);
}

static uint32_t
estimate_tokens (size_t bytes)
{
  return (uint32_t) MIN ((bytes + 3) / 4, (size_t) G_MAXUINT32);
}

static int
simulated_answer (void *self, DmasCtx *ctx, const DmasLlmRequest *req, DmasLlmAnswer *out,
                  DmasError *err)
{
  (void) self;
  (void) ctx;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  if (req->context == NULL || !json_parser_load_from_data (parser, req->context, -1, &error)
      || json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return dmas_error_set (err, DMAS_EINVAL, "simulated: the request context is not a JSON "
                           "object%s%s", error != NULL ? ": " : "",
                           error != NULL ? error->message : "");
  char *content = answer_text (json_parser_get_root (parser), err);
  if (content == NULL)
    return err->code;
  out->content = content;
  out->tokens_in = estimate_tokens ((req->system != NULL ? strlen (req->system) : 0)
                                    + (req->prompt != NULL ? strlen (req->prompt) : 0));
  out->tokens_out = estimate_tokens (strlen (content));
  out->latency = 0;
  return DMAS_OK;
}

/* Stateless: the instance is a non-NULL token. */
static void *
simulated_create (DmasCtx *ctx, DmasError *err)
{
  (void) ctx;
  (void) err;
  static const int token = 1;
  return (void *) &token;
}

static void
simulated_destroy (void *self)
{
  (void) self;
}

static const DmasLlmOps simulated_ops = {
  .struct_size = sizeof (DmasLlmOps),
  .create = simulated_create,
  .destroy = simulated_destroy,
  .answer = simulated_answer,
};

static const DmasComponent simulated_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_LLM,
    .name = "simulated",
    .api_major = DMAS_LLM_API_MAJOR,
    .api_minor = DMAS_LLM_API_MINOR,
    .ops = &simulated_ops,
    .summary = "offline: a deterministic placement computed from the job and the cluster "
               "(free share, fit, specialisation affinity); no network",
    .params = NULL,
  },
};

static const DmasPluginDesc simulated_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "simulated",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .components = simulated_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &simulated_desc;
}
