/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The host's LLM service: one call = render, ask the provider, check the reply, record, count. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "llm/http.h"
#include "llm/reply.h"
#include "llm/request.h"
#include "llm/service-private.h"

/* Fixed: the jitter only spreads retries of one process in wall time; it must not depend on
 * anything, and nothing simulated depends on it. */
#define JITTER_SEED 0x646d6173u

/* The closed schema; reply.c enforces exactly this (its limits are in reply.h). */
static const gchar placement_schema[] =
  "{\"type\":\"object\",\"additionalProperties\":false,"
  "\"required\":[\"job_id\",\"cluster\",\"nodes\",\"score\",\"reasoning\"],"
  "\"properties\":{\"job_id\":{\"type\":\"integer\",\"minimum\":1},"
  "\"cluster\":{\"type\":\"string\",\"maxLength\":64},"
  "\"nodes\":{\"type\":\"integer\",\"minimum\":0},"
  "\"score\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1},"
  "\"reasoning\":{\"type\":\"string\",\"maxLength\":1000}}}";

G_STATIC_ASSERT (DMAS_LLM_CLUSTER_MAX == 64 && DMAS_LLM_REASONING_MAX == 1000);

const gchar *
dmas_llm_placement_schema (void)
{
  return placement_schema;
}

DmasLlmService *
dmas_llm_service_new (const DmasLlmSettings *settings, const DmasLlmProvider *provider,
                      GError **error)
{
  g_autoptr (DmasLlmService) service = g_new0 (DmasLlmService, 1);
  const DmasLlmOps *ops = provider->ops;

  service->settings = settings;
  service->provider = provider;
  service->templates = g_ptr_array_new_with_free_func ((GDestroyNotify) dmas_llm_template_free);
  service->jitter = g_rand_new_with_seed (JITTER_SEED);
  if (ops->answer == NULL && (ops->http_build == NULL || ops->http_parse == NULL))
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                   "llm provider '%s' implements neither answer nor http_build + http_parse",
                   provider->name);
      return NULL;
    }
  service->prompts_dir = dmas_llm_prompts_dir (settings->prompts);
  service->system = dmas_llm_template_load (service->prompts_dir, "system", error);
  if (service->system == NULL)
    return NULL;
  service->compromised = dmas_llm_template_load (service->prompts_dir, "compromised", error);
  if (service->compromised == NULL)
    return NULL;
  if (settings->record != NULL && settings->record[0] != '\0')
    {
      service->record = dmas_llm_record_open (settings->record, error);
      if (service->record == NULL)
        return NULL;
    }
  if (ops->answer == NULL)
    dmas_llm_http_global_init ();
  return g_steal_pointer (&service);
}

void
dmas_llm_service_free (DmasLlmService *service)
{
  if (service == NULL)
    return;
  g_free (service->prompts_dir);
  dmas_llm_template_free (service->system);
  dmas_llm_template_free (service->compromised);
  g_ptr_array_unref (service->templates);
  dmas_llm_record_close (service->record);
  g_rand_free (service->jitter);
  g_free (service);
}

const DmasLlmCounters *
dmas_llm_service_counters (const DmasLlmService *service)
{
  return &service->counters;
}

void
dmas_llm_service_set_observer (DmasLlmService *service, DmasLlmObserverFn fn, gpointer data)
{
  service->observer = fn;
  service->observer_data = data;
}

/* The template `name`, loaded on first use.  A handful of names per run: a linear search. */
static const DmasLlmTemplate *
get_template (DmasLlmService *service, const gchar *name, GError **error)
{
  DmasLlmTemplate *tpl;

  for (guint i = 0; i < service->templates->len; i++)
    {
      tpl = g_ptr_array_index (service->templates, i);
      if (strcmp (dmas_llm_template_name (tpl), name) == 0)
        return tpl;
    }
  tpl = dmas_llm_template_load (service->prompts_dir, name, error);
  if (tpl != NULL)
    g_ptr_array_add (service->templates, tpl);
  return tpl;
}

/* The rendered messages, context and key of a call. */
typedef struct {
  GStrv vars;
  gchar *system, *prompt, *context;
  gchar key[DMAS_LLM_KEY_SIZE + 1];
} Prepared;

static void
prepared_clear (Prepared *p)
{
  g_strfreev (p->vars);
  g_free (p->system);
  g_free (p->prompt);
  g_free (p->context);
}

static gboolean
prepare (DmasLlmService *service, const DmasLlmCall *call, guint64 seed, Prepared *p,
         GError **error)
{
  const DmasLlmSettings *s = service->settings;
  const DmasLlmAsk *ask = call->ask;
  const DmasLlmTemplate *tpl;

  if (ask->job == NULL || ask->cluster == NULL || ask->template_name == NULL)
    {
      g_set_error_literal (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                           "llm_request: the ask needs a job, a cluster and a template name");
      return FALSE;
    }
  tpl = get_template (service, ask->template_name, error);
  if (tpl == NULL)
    return FALSE;
  p->vars = dmas_llm_template_vars (ask, call->agent_name, placement_schema, error);
  if (p->vars == NULL)
    return FALSE;
  p->system = dmas_llm_template_render (service->system, (const gchar *const *) p->vars, error);
  if (p->system == NULL)
    return FALSE;
  if (call->compromised)
    {
      g_autofree gchar *extra = dmas_llm_template_render (service->compromised,
                                                          (const gchar *const *) p->vars,
                                                          error);
      g_autofree gchar *base = g_steal_pointer (&p->system);
      const gchar *sep = base[0] == '\0' || g_str_has_suffix (base, "\n") ? "" : "\n";

      if (extra == NULL)
        return FALSE;
      p->system = g_strconcat (base, sep, extra, NULL);
    }
  p->prompt = dmas_llm_template_render (tpl, (const gchar *const *) p->vars, error);
  if (p->prompt == NULL)
    return FALSE;
  p->context = dmas_llm_context_json (ask, call->agent_name, call->compromised);
  dmas_llm_request_key (s->model, p->system, p->prompt, placement_schema, p->context,
                        s->temperature, seed, s->max_tokens, p->key);
  return TRUE;
}

/* max(0, mean + (2u - 1) * jitter), rounded to the nanosecond. */
static DmasTime
offline_latency (const DmasLlmSettings *s, gdouble u)
{
  gdouble ns = (gdouble) s->latency_mean + (2.0 * u - 1.0) * (gdouble) s->latency_jitter;

  return ns <= 0 ? 0 : (DmasTime) floor (ns + 0.5);
}

/* Reads the reply into out->result: schema, then (unless compromised) the simulation. */
static void
judge (const DmasLlmService *service, const DmasLlmCall *call, DmasLlmOutcome *out)
{
  DmasLlmPlacement placement;
  DmasLlmExpect expect = {
    .job = call->ask->job,
    .cluster_name = call->agent_name,
    .cluster = call->ask->cluster,
  };
  gchar *why = NULL;

  if (!dmas_llm_reply_parse (out->content, strlen (out->content),
                             service->settings->max_reply_bytes, &placement, &why))
    {
      out->result.status = DMAS_EINVAL;
      out->message = why;
      return;
    }
  out->result.job = placement.job_id;
  out->result.nodes = placement.nodes;
  out->result.score = placement.score;
  if (!call->compromised && !dmas_llm_reply_check (&placement, &expect, &why))
    {
      out->result.status = DMAS_EINVAL;
      out->message = why;
    }
  else
    out->result.status = DMAS_OK;
  /* The fields of a schema-valid reply are kept even when the simulation refuses it: the
   * demo shows what a lying agent claimed. */
  out->cluster = g_steal_pointer (&placement.cluster);
  out->reasoning = g_steal_pointer (&placement.reasoning);
}

static void
count (DmasLlmService *service, const DmasLlmOutcome *out)
{
  DmasLlmCounters *c = &service->counters;
  gdouble latency_s = (gdouble) out->latency / (gdouble) DMAS_S;

  if (out->result.status == DMAS_EINVAL)
    c->invalid++;
  else if (out->result.status != DMAS_OK)
    c->failures++;
  c->tokens_in += out->tokens_in;
  c->tokens_out += out->tokens_out;
  c->latency_sum_s += latency_s;
  c->latency_max_s = MAX (c->latency_max_s, latency_s);
  c->wall_s = (gdouble) service->wall_us / 1e6;
}

/* Points result's strings at the outcome's fields, once they are final. */
static void
link_result (DmasLlmOutcome *out)
{
  if (out->message == NULL)
    out->message = g_strdup ("");
  out->result.struct_size = sizeof out->result;
  out->result.message = out->message;
  out->result.cluster = out->cluster;
  out->result.reasoning = out->reasoning;
  out->result.content = out->content;
}

void
dmas_llm_service_call (DmasLlmService *service, const DmasLlmCall *call, DmasLlmOutcome *out)
{
  const DmasLlmSettings *s = service->settings;
  const DmasLlmProvider *p = service->provider;
  g_autoptr (GError) error = NULL;
  Prepared prep = { 0 };
  DmasLlmExchange ex = { 0 };
  guint64 hi, lo, seed;
  gdouble u;

  memset (out, 0, sizeof *out);
  service->counters.calls++;
  /* Exactly two draws from the agent's stream on every call, whatever happens next, so that
   * a failure, a retry or a different provider never shifts the agent's later draws. */
  hi = g_rand_int (call->rng);
  lo = g_rand_int (call->rng);
  seed = hi << 32 | lo;
  u = g_rand_double (call->rng);

  if (!prepare (service, call, seed, &prep, &error))
    {
      /* Never reached a provider: nothing to record, no latency. */
      out->result.status = DMAS_EFAIL;
      out->message = g_strdup (error->message);
    }
  else
    {
      DmasLlmRequest req = {
        .struct_size = sizeof req,
        .model = s->model,
        .system = prep.system,
        .prompt = prep.prompt,
        .schema = placement_schema,
        .context = prep.context,
        .key = prep.key,
        .temperature = s->temperature,
        .seed = seed,
        .max_tokens = s->max_tokens,
      };
      gboolean online = p->ops->answer == NULL;
      gint64 t0 = g_get_monotonic_time ();

      if (online)
        dmas_llm_exchange_online (service, &req, &ex);
      else
        {
          dmas_llm_exchange_offline (service, &req, &ex);
          service->wall_us += g_get_monotonic_time () - t0;
        }
      /* A provider-reported latency wins; an online exchange counts at least 1 ns so that
       * its record never reads as "no latency" when replayed. */
      if (ex.latency > 0)
        out->latency = ex.latency;
      else
        out->latency = online ? 1 : offline_latency (s, u);
      out->attempts = ex.attempts;
      memcpy (out->key, prep.key, sizeof out->key);
      if (ex.content != NULL)
        {
          /* Invalid UTF-8 becomes U+FFFD here, once, so that the record (JSON text) holds
           * exactly what was judged and a replay judges it the same way. */
          out->content = g_utf8_make_valid (ex.content, -1);
          out->tokens_in = ex.tokens_in;
          out->tokens_out = ex.tokens_out;
          judge (service, call, out);
        }
      else
        {
          out->result.status = DMAS_EFAIL;
          out->message = g_strdup (ex.failure);
        }
      if (service->record != NULL
          && !dmas_llm_record_append (service->record, prep.key, s->model, out->content,
                                      ex.failure, out->tokens_in, out->tokens_out,
                                      out->latency, &error))
        {
          /* Once, not per call: a full disk stays full. */
          g_warning ("%s; recording stops here", error->message);
          g_clear_pointer (&service->record, dmas_llm_record_close);
        }
      out->system = g_steal_pointer (&prep.system);
      out->prompt = g_steal_pointer (&prep.prompt);
    }
  link_result (out);
  count (service, out);
  if (service->observer != NULL)
    service->observer (service->observer_data, call, out);
  dmas_llm_exchange_clear (&ex);
  prepared_clear (&prep);
}

void
dmas_llm_outcome_clear (DmasLlmOutcome *out)
{
  g_free (out->message);
  g_free (out->cluster);
  g_free (out->reasoning);
  g_free (out->content);
  g_free (out->system);
  g_free (out->prompt);
  memset (out, 0, sizeof *out);
}
