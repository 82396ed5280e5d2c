/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The host's LLM service: renders prompts from templates, asks the run's provider (offline, or
 * online over libcurl with timeouts, retries, backoff and a budget), records and validates the
 * replies, and counts everything.  One service per run; the agents reach it through the host
 * API's llm_request (agents/host_api.c), which delivers each outcome after its virtual latency.
 *
 * A call is synchronous in wall-clock time (the simulation waits for a real model) and has a
 * virtual latency: the measured time of the HTTP exchange(s) for online providers, the
 * recorded one for replay, a draw from llm.latency_mean/latency_jitter for the simulated
 * provider.  Nothing here reads the wall clock to make a decision that reaches the simulation
 * except that measured latency, which is exactly what record/replay captures. */
#ifndef DMAS_LLM_SERVICE_H
#define DMAS_LLM_SERVICE_H

#include <glib.h>

#include <dmas/dmas.h>
#include "config/config.h"
#include "metrics/metrics.h"

G_BEGIN_DECLS

/* The config's `llm:` section (framework/config/schema.c documents each key). */
typedef struct DmasLlmSettings {
  gchar *provider;            /* component name, "simulated" */
  gchar *model;               /* "" = the provider's default */
  gdouble temperature;
  guint max_tokens;
  DmasTime connect_timeout;   /* per HTTP attempt */
  DmasTime timeout;           /* per HTTP attempt, total */
  guint retries;              /* extra attempts after a transient failure */
  DmasTime backoff;           /* first retry delay; doubles each retry, with jitter */
  DmasTime backoff_max;       /* cap of one delay; a Retry-After above it gives up */
  guint budget_calls;         /* HTTP attempts per run; 0 = no limit */
  DmasTime budget_time;       /* wall time in LLM exchanges per run; 0 = no limit */
  gsize max_reply_bytes;      /* a longer reply body is refused */
  gchar *record;              /* "" = off; else the JSON Lines cache file to append to */
  gchar *prompts;             /* "" = the built-in templates; else a directory */
  DmasTime latency_mean;      /* offline providers' virtual latency: mean ... */
  DmasTime latency_jitter;    /* ... plus U[-jitter, +jitter], at least 0 */
} DmasLlmSettings;

/* Reads the `llm:` section of config->resolved into *out (strings owned).  Returns FALSE
 * with error set (DMAS_CONFIG_ERROR) for an inconsistent combination. */
gboolean dmas_llm_settings_from_config (const DmasConfig *config, DmasLlmSettings *out,
                                        GError **error);
void dmas_llm_settings_clear (DmasLlmSettings *settings);

/* Secrets: provider variables (OLLAMA_HOST, OPENAI_API_KEY, SAMBASTUDIO_URL, ...) from the
 * environment, else from a .env file: `project_dir`/.env, then `home_dir`/.env (NULL: the
 * working directory and g_get_home_dir()).  Lines are NAME=value, optionally "export NAME=",
 * '#' comments, values optionally in single or double quotes.  Never logged. */
typedef struct DmasLlmSecrets DmasLlmSecrets;
/* Returns: (transfer full) the secrets, or NULL with error naming file:line of a line that is
 * not NAME=value (a missing .env is not an error). */
DmasLlmSecrets *dmas_llm_secrets_load (const gchar *project_dir, const gchar *home_dir,
                                       GError **error);
/* Returns: (transfer none) (nullable) the value, the environment first. */
const gchar *dmas_llm_secrets_get (DmasLlmSecrets *secrets, const gchar *name);
/* Returns: (transfer none) (nullable) the .env file `name` came from, NULL when it came from
 * the environment or is unset (dmas check says where a value was found). */
const gchar *dmas_llm_secrets_source (DmasLlmSecrets *secrets, const gchar *name);
void dmas_llm_secrets_free (DmasLlmSecrets *secrets);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasLlmSecrets, dmas_llm_secrets_free)

typedef struct DmasLlmService DmasLlmService;

/* The provider instance the service talks to: its ops, what create() returned, and its
 * context (borrowed, must outlive the service). */
typedef struct DmasLlmProvider {
  const gchar *name;          /* "ollama" */
  const DmasLlmOps *ops;
  void *self;
  DmasCtx *ctx;
} DmasLlmProvider;

/* Loads the prompt templates (system.txt, compromised.txt and the ones asked for later, from
 * settings->prompts or the built-in directory) and opens the record file.  Both borrowed
 * arguments must outlive the service.  Returns: (transfer full) the service, or NULL with
 * error set naming the file and the fix. */
DmasLlmService *dmas_llm_service_new (const DmasLlmSettings *settings,
                                      const DmasLlmProvider *provider, GError **error);
void dmas_llm_service_free (DmasLlmService *service);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasLlmService, dmas_llm_service_free)

/* One agent's question. */
typedef struct DmasLlmCall {
  DmasAgentId agent;
  const gchar *agent_name;    /* its cluster's name: the placement must name it */
  const DmasLlmAsk *ask;      /* borrowed */
  gboolean compromised;       /* Byzantine: the compromised instruction is appended to the
                               * system message and the simulation check is skipped (the
                               * agent trusts its model; the protocol has to cope) */
  GRand *rng;                 /* the agent's "agent/<id>/llm" stream: drawn exactly twice per
                               * call (request seed, offline latency); backoff jitter uses a
                               * service-private GRand */
} DmasLlmCall;

/* What came of a call.  result's strings point into the fields below. */
typedef struct DmasLlmOutcome {
  DmasLlmResult result;
  gchar *message, *cluster, *reasoning, *content;
  gchar *system, *prompt;     /* as sent */
  gchar key[DMAS_LLM_KEY_SIZE + 1];
  DmasTime latency;           /* virtual: when the answer reaches the agent */
  guint attempts;             /* HTTP attempts (0 offline) */
  guint tokens_in, tokens_out;
} DmasLlmOutcome;

/* Asks the provider and fills *out (always: a failure is an outcome with result.status < 0).
 * Renders <template>.txt with {{name}} replaced by the job's, the cluster's and ask->vars'
 * values.  Retries transient failures (transport errors, timeouts, HTTP 408, 429, 500-504)
 * with exponential backoff and jitter, honouring Retry-After up to backoff_max; never retries
 * anything else.  Parses the reply under the size cap, validates it against the closed
 * placement schema and, unless compromised, against the job and the cluster. */
void dmas_llm_service_call (DmasLlmService *service, const DmasLlmCall *call,
                            DmasLlmOutcome *out);
void dmas_llm_outcome_clear (DmasLlmOutcome *out);

/* The run's counters (DmasLlmCounters, metrics/metrics.h: the summary's llm_* metrics). */
const DmasLlmCounters *dmas_llm_service_counters (const DmasLlmService *service);

/* Called after every call with what was sent and received (the demo shows it).  The key is
 * never part of either. */
typedef void (*DmasLlmObserverFn) (gpointer data, const DmasLlmCall *call,
                                   const DmasLlmOutcome *outcome);
void dmas_llm_service_set_observer (DmasLlmService *service, DmasLlmObserverFn fn,
                                    gpointer data);

/* `dmas check`: asks an online provider whether its endpoint answers and serves the model.
 * Returns TRUE (also for offline providers: nothing to reach), or FALSE with error saying
 * what is wrong and how to fix it. */
gboolean dmas_llm_service_probe (DmasLlmService *service, GError **error);

/* The closed JSON Schema of a placement, as sent to the providers. */
const gchar *dmas_llm_placement_schema (void);

G_END_DECLS

#endif /* DMAS_LLM_SERVICE_H */
