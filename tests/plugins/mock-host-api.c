/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mock host: the DmasHostApi that plugins call (time, timers, messages, outcomes, params). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mock-host-private.h"

const gchar *
mock_kind_dir (DmasKind kind)
{
  switch (kind)
    {
    case DMAS_KIND_BIDDING: return "bidding";
    case DMAS_KIND_CONSENSUS: return "consensus";
    case DMAS_KIND_FAULT: return "faults";
    case DMAS_KIND_LLM: return "llm";
    default: return "unknown";
    }
}

static MockInstance *
instance_of (DmasCtx *ctx)
{
  return ((MockCtx *) ctx)->instance;
}

void
mock_host_log_line (MockHost *host, DmasAgentId agent, DmasKind kind, const gchar *level,
                    const gchar *message)
{
  gchar *line = g_strdup_printf ("t=%" G_GUINT64_FORMAT " agent=%u %s %s: %s", host->now,
                                 agent, mock_kind_dir (kind), level, message);
  if (g_test_verbose ())
    g_test_message ("%s", line);
  g_ptr_array_add (host->log, line);
}

/* --- parameters ------------------------------------------------------------------------- */

static gboolean
parse_duration (const gchar *text, DmasTime *out)
{
  static const struct { const gchar *unit; gdouble ns; } units[] = {
    { "ns", 1.0 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "min", 60e9 }, { "m", 60e9 },
    { "h", 3600e9 }, { "d", 86400e9 },
  };
  gchar *end = NULL;
  if (!g_ascii_isdigit (text[0]))
    return FALSE;
  gdouble value = g_ascii_strtod (text, &end);
  gdouble ns = -1.0;
  if (*end == '\0' && value == 0.0)
    ns = 0.0;
  for (gsize i = 0; i < G_N_ELEMENTS (units) && ns < 0.0; i++)
    if (g_strcmp0 (end, units[i].unit) == 0)
      ns = value * units[i].ns;
  if (ns < 0.0 || !(ns < 9.2e18))
    return FALSE;
  *out = (DmasTime) (ns + 0.5);
  return TRUE;
}

static gboolean
parse_bool (const gchar *text, int *out)
{
  if (g_strcmp0 (text, "true") == 0 || g_strcmp0 (text, "yes") == 0)
    *out = 1;
  else if (g_strcmp0 (text, "false") == 0 || g_strcmp0 (text, "no") == 0)
    *out = 0;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_double (const gchar *text, double *out)
{
  gchar *end = NULL;
  double v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
parse_int (const gchar *text, int64_t *out)
{
  gint64 v;
  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &v, NULL))
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
mock_param_parses (DmasParamType type, const gchar *text)
{
  int64_t i;
  double d;
  int b;
  DmasTime t;
  switch (type)
    {
    case DMAS_PARAM_INT: return parse_int (text, &i);
    case DMAS_PARAM_DOUBLE: return parse_double (text, &d);
    case DMAS_PARAM_BOOL: return parse_bool (text, &b);
    case DMAS_PARAM_STRING: return TRUE;
    case DMAS_PARAM_DURATION: return parse_duration (text, &t);
    default: return FALSE;
    }
}

const DmasParamSpec *
mock_param_spec (const DmasComponent *component, const gchar *name)
{
  for (const DmasParamSpec *p = component->params; p != NULL && p->name != NULL; p++)
    if (g_strcmp0 (p->name, name) == 0)
      return p;
  return NULL;
}

/* The value text for a declared parameter of the right type: given, else the default. */
static int
param_text (DmasCtx *ctx, const char *name, DmasParamType type, const gchar **text)
{
  MockInstance *inst = instance_of (ctx);
  MockKind *k = &inst->host->kinds[inst->kind];
  const DmasParamSpec *spec = mock_param_spec (k->component, name);
  if (spec == NULL)
    return DMAS_ENOENT;
  if (spec->type != type)
    return DMAS_EINVAL;
  const gchar *given = g_hash_table_lookup (k->params, name);
  *text = given != NULL ? given : spec->default_value;
  return DMAS_OK;
}

static int
api_param_int (DmasCtx *ctx, const char *name, int64_t *out)
{
  const gchar *text;
  int rc = param_text (ctx, name, DMAS_PARAM_INT, &text);
  return rc != DMAS_OK ? rc : (parse_int (text, out) ? DMAS_OK : DMAS_EINVAL);
}

static int
api_param_double (DmasCtx *ctx, const char *name, double *out)
{
  const gchar *text;
  int rc = param_text (ctx, name, DMAS_PARAM_DOUBLE, &text);
  return rc != DMAS_OK ? rc : (parse_double (text, out) ? DMAS_OK : DMAS_EINVAL);
}

static int
api_param_bool (DmasCtx *ctx, const char *name, int *out)
{
  const gchar *text;
  int rc = param_text (ctx, name, DMAS_PARAM_BOOL, &text);
  return rc != DMAS_OK ? rc : (parse_bool (text, out) ? DMAS_OK : DMAS_EINVAL);
}

static int
api_param_string (DmasCtx *ctx, const char *name, const char **out)
{
  return param_text (ctx, name, DMAS_PARAM_STRING, out);
}

static int
api_param_duration (DmasCtx *ctx, const char *name, DmasTime *out)
{
  const gchar *text;
  int rc = param_text (ctx, name, DMAS_PARAM_DURATION, &text);
  return rc != DMAS_OK ? rc : (parse_duration (text, out) ? DMAS_OK : DMAS_EINVAL);
}

/* --- identity, time, timers ------------------------------------------------------------- */

static DmasAgentId
api_self_id (DmasCtx *ctx)
{
  return instance_of (ctx)->agent;
}

static uint32_t
api_n_agents (DmasCtx *ctx)
{
  return instance_of (ctx)->host->n_agents;
}

static const DmasAgentId *
api_members (DmasCtx *ctx, uint32_t *n_out)
{
  MockHost *host = instance_of (ctx)->host;
  if (n_out != NULL)
    *n_out = host->n_agents;
  return host->members;
}

static DmasTime
api_now (DmasCtx *ctx)
{
  return instance_of (ctx)->host->now;
}

static gint
timer_order (gconstpointer a, gconstpointer b)
{
  const MockTimer *x = a, *y = b;
  if (x->when != y->when)
    return x->when < y->when ? -1 : 1;
  return x->id < y->id ? -1 : (x->id > y->id);
}

static DmasTimerId
api_timer_add (DmasCtx *ctx, DmasTime delay, DmasTimerFn fn, void *data, DmasFreeFn free_fn)
{
  MockInstance *inst = instance_of (ctx);
  MockHost *host = inst->host;
  /* The SDK has no error return here (ids are never 0): a plugin bug, so stop the test. */
  if (fn == NULL)
    g_error ("mock host: agent %u %s called timer_add() without a function", inst->agent,
             mock_kind_dir (inst->kind));
  MockTimer *t = g_new0 (MockTimer, 1);
  t->id = ++host->last_timer_id;
  t->when = delay > G_MAXUINT64 - host->now ? G_MAXUINT64 : host->now + delay;
  t->instance = inst;
  t->fn = fn;
  t->data = data;
  t->free_fn = free_fn;
  host->timers = g_list_insert_sorted (host->timers, t, timer_order);
  return t->id;
}

void
mock_timer_free (gpointer data)
{
  MockTimer *t = data;
  if (t->free_fn != NULL)
    t->free_fn (t->data);
  g_free (t);
}

static int
api_timer_cancel (DmasCtx *ctx, DmasTimerId id)
{
  MockInstance *inst = instance_of (ctx);
  MockHost *host = inst->host;
  for (GList *l = host->timers; l != NULL; l = l->next)
    {
      MockTimer *t = l->data;
      if (t->id == id && t->instance == inst)
        {
          host->timers = g_list_delete_link (host->timers, l);
          mock_timer_free (t);
          return DMAS_OK;
        }
    }
  return DMAS_ENOENT;
}

/* --- messages --------------------------------------------------------------------------- */

void
mock_message_free (gpointer data)
{
  MockMessage *m = data;
  g_bytes_unref (m->body);
  g_free (m);
}

void
mock_enqueue (MockHost *host, DmasKind kind, DmasAgentId src, DmasAgentId dst, guint32 type,
              GBytes *body, gboolean injected)
{
  MockMessage *m = g_new0 (MockMessage, 1);
  m->seq = ++host->last_seq;
  m->kind = kind;
  m->src = src;
  m->dst = dst;
  m->type = type;
  m->body = g_bytes_ref (body);
  m->sent_at = host->now;
  m->injected = injected;
  g_ptr_array_add (host->queue, m);
  if (!injected)
    {
      host->sent_messages[kind]++;
      host->sent_bytes[kind] += g_bytes_get_size (body);
    }
}

static int
send_many (DmasCtx *ctx, const DmasAgentId *to, guint n, uint32_t type, const void *body,
           size_t len)
{
  MockInstance *inst = instance_of (ctx);
  MockHost *host = inst->host;
  /* As in the real host: a fault instance belongs to no agent and receives nothing. */
  if (inst->kind == DMAS_KIND_FAULT)
    {
      mock_host_log_line (host, inst->agent, inst->kind, "host",
                          "send by a fault component: refused with DMAS_ESTATE");
      return DMAS_ESTATE;
    }
  if (body == NULL && len > 0)
    return DMAS_EINVAL;
  for (guint i = 0; i < n; i++)
    if (to[i] >= host->n_agents)
      {
        mock_host_log_line (host, inst->agent, inst->kind, "host",
                            "send to an agent that does not exist: refused with DMAS_ENOENT");
        return DMAS_ENOENT;
      }
  /* An exact-size copy, so that a receiver reading past `len` trips the sanitizers. */
  g_autoptr (GBytes) copy = g_bytes_new (body, len);
  for (guint i = 0; i < n; i++)
    mock_enqueue (host, inst->kind, inst->agent, to[i], type, copy, FALSE);
  return DMAS_OK;
}

static int
api_send (DmasCtx *ctx, DmasAgentId to, uint32_t type, const void *body, size_t len)
{
  return send_many (ctx, &to, 1, type, body, len);
}

static int
api_multicast (DmasCtx *ctx, const DmasAgentId *to, uint32_t n, uint32_t type,
               const void *body, size_t len)
{
  if (to == NULL && n > 0)
    return DMAS_EINVAL;
  return send_many (ctx, to, n, type, body, len);
}

static int
api_broadcast (DmasCtx *ctx, uint32_t type, const void *body, size_t len)
{
  MockInstance *inst = instance_of (ctx);
  MockHost *host = inst->host;
  g_autofree DmasAgentId *others = g_new (DmasAgentId, host->n_agents);
  guint n = 0;
  for (guint i = 0; i < host->n_agents; i++)
    if (host->members[i] != inst->agent)
      others[n++] = host->members[i];
  return send_many (ctx, others, n, type, body, len);
}

/* --- outcomes, randomness, observability ------------------------------------------------ */

static int
api_decide (DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  MockInstance *inst = instance_of (ctx);
  if (inst->kind != DMAS_KIND_CONSENSUS || slot == NULL || bid == NULL)
    {
      mock_host_log_line (inst->host, inst->agent, inst->kind, "host",
                          "decide() refused: DMAS_ESTATE");
      return DMAS_ESTATE;
    }
  MockDecision d = { .slot = *slot, .bid = *bid, .at = inst->host->now };
  g_array_append_val (inst->host->decisions[inst->agent], d);
  return DMAS_OK;
}

static int
api_bid_ready (DmasCtx *ctx, const DmasBid *bid)
{
  MockInstance *inst = instance_of (ctx);
  if (inst->kind != DMAS_KIND_BIDDING || bid == NULL)
    {
      mock_host_log_line (inst->host, inst->agent, inst->kind, "host",
                          "bid_ready() refused: DMAS_ESTATE");
      return DMAS_ESTATE;
    }
  g_array_append_val (inst->host->bids_ready[inst->agent], *bid);
  return DMAS_OK;
}

static uint64_t
api_rng_u64 (DmasCtx *ctx)
{
  GRand *r = instance_of (ctx)->rng;
  guint64 hi = g_rand_int (r);
  return hi << 32 | g_rand_int (r);
}

static double
api_rng_double (DmasCtx *ctx)
{
  return g_rand_double (instance_of (ctx)->rng);
}

static void
api_log (DmasCtx *ctx, DmasLogLevel level, const char *message)
{
  static const gchar *const names[] = { "error", "warning", "info", "debug" };
  MockInstance *inst = instance_of (ctx);
  const gchar *name = (guint) level < G_N_ELEMENTS (names) ? names[level] : "level?";
  mock_host_log_line (inst->host, inst->agent, inst->kind, name,
                      message != NULL ? message : "(null)");
}

static void
api_metric (DmasCtx *ctx, const char *name, double value)
{
  MockHost *host = instance_of (ctx)->host;
  gdouble *sum = g_hash_table_lookup (host->metrics, name);
  if (sum == NULL)
    {
      sum = g_new0 (gdouble, 1);
      g_hash_table_insert (host->metrics, g_strdup (name), sum);
    }
  *sum += value;
}

/* --- the fault capability --------------------------------------------------------------- */

/* DMAS_OK when a fault component asks about an existing agent. */
static int
fault_call_check (MockInstance *inst, DmasAgentId agent, const gchar *call)
{
  if (inst->kind != DMAS_KIND_FAULT)
    {
      g_autofree gchar *text = g_strdup_printf ("%s() refused: DMAS_ESTATE", call);
      mock_host_log_line (inst->host, inst->agent, inst->kind, "host", text);
      return DMAS_ESTATE;
    }
  return agent < inst->host->n_agents ? DMAS_OK : DMAS_ENOENT;
}

static int
fault_toggle (DmasCtx *ctx, DmasAgentId agent, gboolean crash)
{
  MockInstance *inst = instance_of (ctx);
  MockHost *host = inst->host;
  int rc = fault_call_check (inst, agent, crash ? "fault_crash" : "fault_restart");
  if (rc != DMAS_OK)
    return rc;
  if (host->down[agent] == crash)
    return DMAS_ESTATE; /* already down / already up */
  host->down[agent] = crash;
  MockFault f = { .at = host->now, .crash = crash, .agent = agent };
  g_array_append_val (host->faults, f);
  return DMAS_OK;
}

static int
api_fault_crash (DmasCtx *ctx, DmasAgentId agent)
{
  return fault_toggle (ctx, agent, TRUE);
}

static int
api_fault_restart (DmasCtx *ctx, DmasAgentId agent)
{
  return fault_toggle (ctx, agent, FALSE);
}

static int
api_agent_up (DmasCtx *ctx, DmasAgentId agent)
{
  MockInstance *inst = instance_of (ctx);
  int rc = fault_call_check (inst, agent, "agent_up");
  return rc != DMAS_OK ? rc : !inst->host->down[agent];
}

/* --- signatures and stable storage ------------------------------------------------------ */

void
mock_host_secret (MockHost *host, DmasAgentId agent, guint8 out[32])
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 seed[8];
  for (guint i = 0; i < 8; i++)
    seed[i] = (guint8) (host->seed >> (8 * i));
  g_autofree gchar *label = g_strdup_printf ("sign/%u", agent);
  g_checksum_update (sum, seed, sizeof seed);
  g_checksum_update (sum, (const guchar *) label, strlen (label));
  gsize len = 32;
  g_checksum_get_digest (sum, out, &len);
}

static void
signature_of (MockHost *host, DmasAgentId agent, const void *data, size_t len,
              guint8 sig[DMAS_SIG_SIZE])
{
  guint8 secret[32];
  mock_host_secret (host, agent, secret);
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, secret, sizeof secret);
  if (len > 0)
    g_hmac_update (hmac, data, len);
  gsize n = DMAS_SIG_SIZE;
  g_hmac_get_digest (hmac, sig, &n);
}

static int
api_sign (DmasCtx *ctx, const void *data, size_t len, uint8_t sig[DMAS_SIG_SIZE])
{
  MockInstance *inst = instance_of (ctx);
  if (inst->agent >= inst->host->n_agents)
    return DMAS_ESTATE;
  if ((data == NULL && len > 0) || sig == NULL)
    return DMAS_EINVAL;
  signature_of (inst->host, inst->agent, data, len, sig);
  return DMAS_OK;
}

static int
api_verify (DmasCtx *ctx, DmasAgentId signer, const void *data, size_t len,
            const uint8_t sig[DMAS_SIG_SIZE])
{
  MockHost *host = instance_of (ctx)->host;
  if (signer >= host->n_agents)
    return DMAS_ENOENT;
  if ((data == NULL && len > 0) || sig == NULL)
    return DMAS_EINVAL;
  guint8 expected[DMAS_SIG_SIZE];
  signature_of (host, signer, data, len, expected);
  return memcmp (expected, sig, DMAS_SIG_SIZE) == 0;
}

static GHashTable *
storage_of (MockHost *host, DmasAgentId agent, DmasKind kind)
{
  return host->storage[(gsize) agent * MOCK_N_KINDS + (gsize) kind];
}

static int
api_persist (DmasCtx *ctx, const char *key, const void *data, size_t len)
{
  MockInstance *inst = instance_of (ctx);
  MockHost *host = inst->host;
  if (inst->agent >= host->n_agents)
    return DMAS_ESTATE;
  if (key == NULL || strlen (key) > DMAS_STORAGE_KEY_MAX || len > DMAS_STORAGE_VALUE_MAX
      || (data == NULL && len > 0))
    return DMAS_EINVAL;
  g_hash_table_replace (storage_of (host, inst->agent, inst->kind), g_strdup (key),
                        g_bytes_new (data, len));
  host->storage_writes++;
  return DMAS_OK;
}

static const void *
api_restore (DmasCtx *ctx, const char *key, size_t *len_out)
{
  MockInstance *inst = instance_of (ctx);
  gsize len = 0;
  const void *data = inst->agent < inst->host->n_agents && key != NULL
                         ? mock_host_storage (inst->host, inst->agent, inst->kind, key, &len)
                         : NULL;
  if (len_out != NULL)
    *len_out = len;
  return data;
}

const void *
mock_host_storage (MockHost *host, DmasAgentId agent, DmasKind kind, const gchar *key,
                   gsize *len_out)
{
  g_return_val_if_fail (agent < host->n_agents && kind > 0 && kind < MOCK_N_KINDS, NULL);
  GBytes *value = g_hash_table_lookup (storage_of (host, agent, kind), key);
  gsize len = 0;
  /* A stored empty value is still a value: never NULL for it. */
  const void *data = value != NULL ? g_bytes_get_data (value, &len) : NULL;
  if (value != NULL && data == NULL)
    data = "";
  if (len_out != NULL)
    *len_out = len;
  return data;
}

guint64
mock_host_storage_writes (MockHost *host)
{
  return host->storage_writes;
}

/* --- reputation, LLM, plausibility (ABI 1.2 and 1.3) ------------------------------------ */

static int
api_accuse (DmasCtx *ctx, DmasAgentId agent)
{
  MockInstance *inst = instance_of (ctx);
  MockHost *host = inst->host;
  if (inst->kind != DMAS_KIND_BIDDING && inst->kind != DMAS_KIND_CONSENSUS)
    {
      mock_host_log_line (host, inst->agent, inst->kind, "host",
                          "accuse() refused: only bidding and consensus instances accuse");
      return DMAS_ESTATE;
    }
  if (agent >= host->n_agents)
    return DMAS_ENOENT;
  host->accuse_calls++;
  if (!mock_host_accused (host, inst->agent, agent))
    {
      MockAccusation a = { .accuser = inst->agent, .accused = agent, .at = host->now };
      g_array_append_val (host->accusations, a);
    }
  return DMAS_OK;
}

static int
api_llm_request (DmasCtx *ctx, const DmasLlmAsk *ask, DmasLlmReplyFn fn, void *data,
                 DmasFreeFn free_fn)
{
  (void) ask;
  (void) fn;
  MockInstance *inst = instance_of (ctx);
  mock_host_log_line (inst->host, inst->agent, inst->kind, "host",
                      "llm_request() refused: DMAS_ESTATE (the mock host has no llm)");
  /* Refused: the request never happens, so its data is the caller's to free, as with a
   * timer_add that fails. */
  (void) data;
  (void) free_fn;
  return DMAS_ESTATE;
}

static const char *
api_secret (DmasCtx *ctx, const char *name)
{
  (void) ctx;
  (void) name;
  return NULL;
}

static int
api_bid_plausible (DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  MockHost *host = instance_of (ctx)->host;
  /* As the real host (include/dmas/host.h): feasibility only, scores bounded below. */
  if (slot == NULL || bid == NULL || bid->job != slot->job)
    return DMAS_EINVAL;
  if (bid->agent >= host->n_agents)
    return DMAS_ENOENT;
  if (!(bid->score >= 0.0))
    return 0;
  if (bid->score == 0.0)
    return 1;
  for (guint i = 0; i < host->implausible->len; i++)
    {
      const MockClaim *c = &g_array_index (host->implausible, MockClaim, i);
      if (c->job == slot->job && c->agent == bid->agent)
        return 0;
    }
  return 1;
}

static const DmasHostApi mock_api_table = {
  .struct_size = sizeof (DmasHostApi),
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .self_id = api_self_id,
  .n_agents = api_n_agents,
  .members = api_members,
  .now = api_now,
  .timer_add = api_timer_add,
  .timer_cancel = api_timer_cancel,
  .send = api_send,
  .multicast = api_multicast,
  .broadcast = api_broadcast,
  .decide = api_decide,
  .bid_ready = api_bid_ready,
  .rng_u64 = api_rng_u64,
  .rng_double = api_rng_double,
  .log = api_log,
  .metric = api_metric,
  .param_int = api_param_int,
  .param_double = api_param_double,
  .param_bool = api_param_bool,
  .param_string = api_param_string,
  .param_duration = api_param_duration,
  .fault_crash = api_fault_crash,
  .fault_restart = api_fault_restart,
  .agent_up = api_agent_up,
  .sign = api_sign,
  .verify = api_verify,
  .persist = api_persist,
  .restore = api_restore,
  .accuse = api_accuse,
  .llm_request = api_llm_request,
  .secret = api_secret,
  .bid_plausible = api_bid_plausible,
};

const DmasHostApi *
mock_host_api (void)
{
  return &mock_api_table;
}
