/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fault injection, host side: one instance per `faults:` entry, the fault calls, the log. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "agents/central.h"
#include "agents/faults.h"
#include "agents/sim-private.h"
#include "metrics/summary.h"

/* One `faults:` entry made real. */
typedef struct {
  DmasHostCtx *ctx;
  DmasNode *params;     /* resolved parameters (a MAP), owned; ctx->params points here */
  gchar *source;        /* "crash#0": component name and entry index */
} FaultEntry;

struct DmasFaults {
  DmasSim *sim;
  GPtrArray *entries;   /* FaultEntry*, in list order */
  GArray *events;       /* DmasFaultEvent, in dispatch order */
};

static void
fault_event_clear (gpointer data)
{
  g_free (((DmasFaultEvent *) data)->details);
}

static void
fault_entry_free (gpointer data)
{
  FaultEntry *entry = data;

  /* The context first: destroy() and pending timers' free_fn may still read the params. */
  dmas_host_ctx_free (entry->ctx);
  if (entry->params != NULL)
    dmas_node_free (entry->params);
  g_free (entry->source);
  g_free (entry);
}

/* ---- resolving entries ---- */

/* The component entry `index` names, and its parameters resolved against the component's
 * specs.  `item` is a MAP with a `type` (the config's validation requires it).
 * params_out: (out) (transfer full).  Returns: (transfer none) or NULL with error set. */
static const DmasComponentInfo *
resolve_entry (DmasRegistry *registry, const DmasNode *item, guint index,
               DmasNode **params_out, GError **error)
{
  const DmasNode *type = dmas_node_get (item, "type");
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (type != NULL && type->kind == DMAS_NODE_SCALAR, NULL);
  const gchar *name = g_str_has_prefix (type->scalar, "fault/") ? type->scalar + 6 : type->scalar;
  const DmasComponentInfo *info = dmas_registry_lookup (registry, DMAS_KIND_FAULT, name, &local);
  if (info == NULL)
    {
      g_autofree gchar *where = dmas_node_where (type);
      g_set_error (error, local->domain, local->code, "%sfaults[%u].type: %s", where, index,
                   local->message);
      return NULL;
    }

  /* The entry's other keys are the component's parameters. */
  g_autoptr (DmasNode) given = dmas_node_new_map (item->file, item->base_dir, item->line,
                                                  item->column);
  for (guint i = 0; i < item->keys->len; i++)
    {
      const gchar *key = g_ptr_array_index (item->keys, i);
      const DmasNode *key_node = dmas_node_get_key_node (item, key);
      DmasNode *value = dmas_node_copy (g_ptr_array_index (item->values, i));

      if (strcmp (key, "type") == 0)
        dmas_node_free (value);
      else if (key_node != NULL)
        dmas_node_set_keyed (given, dmas_node_copy (key_node), value);
      else
        dmas_node_set (given, key, value);
    }
  *params_out = dmas_component_resolve_params (info, given, error);
  return *params_out != NULL ? info : NULL;
}

/* {type, parameters...}: what the resolved config shows for one entry. */
static DmasNode *
filled_entry (const DmasNode *item, const DmasNode *params)
{
  DmasNode *out = dmas_node_new_map (item->file, item->base_dir, item->line, item->column);
  const DmasNode *type_key = dmas_node_get_key_node (item, "type");

  DmasNode *type = dmas_node_copy (dmas_node_get (item, "type"));

  if (type_key != NULL)
    dmas_node_set_keyed (out, dmas_node_copy (type_key), type);
  else
    dmas_node_set (out, "type", type);
  for (guint i = 0; i < params->keys->len; i++)
    {
      const gchar *key = g_ptr_array_index (params->keys, i);
      const DmasNode *key_node = dmas_node_get_key_node (params, key);
      DmasNode *value = dmas_node_copy (g_ptr_array_index (params->values, i));

      if (key_node != NULL)
        dmas_node_set_keyed (out, dmas_node_copy (key_node), value);
      else
        dmas_node_set (out, key, value);
    }
  return out;
}

gboolean
dmas_faults_fill_config (DmasRegistry *registry, DmasConfig *config, GError **error)
{
  DmasNode *list = config->faults;

  for (guint i = 0; list != NULL && i < list->values->len; i++)
    {
      DmasNode *item = g_ptr_array_index (list->values, i);
      g_autoptr (DmasNode) params = NULL;

      if (resolve_entry (registry, item, i, &params, error) == NULL)
        return FALSE;
      list->values->pdata[i] = filled_entry (item, params);
      dmas_node_free (item);
    }
  return TRUE;
}

/* ---- instances ---- */

static gboolean
entry_create (DmasFaults *faults, const DmasComponentInfo *info, const DmasNode *item,
              guint index, DmasNode *params, GError **error)
{
  FaultEntry *entry = g_new0 (FaultEntry, 1);
  g_ptr_array_add (faults->entries, entry);
  entry->params = params;
  entry->source = g_strdup_printf ("%s#%u", info->name, index);

  /* Named by component and position, so that adding an entry leaves the earlier entries'
   * draws, and every agent's, untouched. */
  g_autofree gchar *stream = g_strdup_printf ("faults/%s", entry->source);
  g_autofree gchar *label = g_strdup_printf ("fault/%s", entry->source);
  entry->ctx = dmas_host_ctx_new_unbound (faults->sim, info, params, stream, label);

  const DmasFaultOps *ops = info->ops;
  DmasError err = { 0 };
  entry->ctx->self = ops->create (&entry->ctx->base, &err);
  if (entry->ctx->self != NULL)
    return TRUE;
  g_autofree gchar *where = dmas_node_where (item);
  /* A refused parameter is the user's to fix (exit status 2), anything else a failure. */
  g_set_error (error, DMAS_PLUGIN_ERROR,
               err.code == DMAS_EINVAL ? DMAS_PLUGIN_ERROR_PARAMS : DMAS_PLUGIN_ERROR_INIT,
               "%sfaults[%u]: fault/%s: %s", where, index, info->name,
               err.message[0] != '\0' ? err.message : "create failed (no message)");
  return FALSE;
}

static gboolean
entry_arm (FaultEntry *entry, guint index, GError **error)
{
  const DmasFaultOps *ops = entry->ctx->info->ops;
  DmasError err = { 0 };

  const int status = ops->arm (entry->ctx->self, &entry->ctx->base, &err);

  if (status == DMAS_OK)
    return TRUE;
  /* As for create(): arm() refuses with DMAS_EINVAL what only the config can fix (a target
   * the run does not have), which is a usage error (exit status 2), not a failed run. */
  g_set_error (error, DMAS_PLUGIN_ERROR,
               status == DMAS_EINVAL ? DMAS_PLUGIN_ERROR_PARAMS : DMAS_PLUGIN_ERROR_INIT,
               "faults[%u]: %s: arm failed: %s", index, dmas_host_ctx_name (entry->ctx),
               err.message[0] != '\0' ? err.message : "(no message)");
  return FALSE;
}

DmasFaults *
dmas_faults_new (DmasSim *sim, DmasRegistry *registry, GError **error)
{
  g_autoptr (DmasFaults) faults = g_new0 (DmasFaults, 1);
  const DmasNode *list = sim->config->faults;
  const guint n = list != NULL ? list->values->len : 0;

  faults->sim = sim;
  faults->entries = g_ptr_array_new_with_free_func (fault_entry_free);
  faults->events = g_array_new (FALSE, FALSE, sizeof (DmasFaultEvent));
  g_array_set_clear_func (faults->events, fault_event_clear);
  if (n > 0 && registry == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "%s: faults: fault components need the plugin registry, and this run was "
                   "built without one", sim->config->source);
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      const DmasNode *item = g_ptr_array_index (list->values, i);
      DmasNode *params = NULL;
      const DmasComponentInfo *info = resolve_entry (registry, item, i, &params, error);

      if (info == NULL || !entry_create (faults, info, item, i, params, error))
        return NULL;
    }
  return g_steal_pointer (&faults);
}

gboolean
dmas_faults_arm (DmasFaults *faults, GError **error)
{
  /* Armed once every entry exists, in list order: same-instant faults of two entries then
   * happen in list order. */
  for (guint i = 0; i < faults->entries->len; i++)
    if (!entry_arm (g_ptr_array_index (faults->entries, i), i, error))
      return FALSE;
  return TRUE;
}

void
dmas_faults_stop (DmasFaults *faults)
{
  for (guint i = 0; faults != NULL && i < faults->entries->len; i++)
    dmas_host_ctx_cancel_timers (((FaultEntry *) g_ptr_array_index (faults->entries, i))->ctx);
}

void
dmas_faults_free (DmasFaults *faults)
{
  if (faults == NULL)
    return;
  g_ptr_array_unref (faults->entries);
  g_array_unref (faults->events);
  g_free (faults);
}

DmasFaults *
dmas_sim_faults (const DmasSim *sim)
{
  return sim->faults;
}

/* ---- the fault capability ---- */

static FaultEntry *
entry_of (DmasFaults *faults, const DmasHostCtx *ctx, guint *index_out)
{
  for (guint i = 0; i < faults->entries->len; i++)
    {
      FaultEntry *entry = g_ptr_array_index (faults->entries, i);
      if (entry->ctx == ctx)
        {
          *index_out = i;
          return entry;
        }
    }
  g_return_val_if_reached (NULL);
}

/* What a fault call aims at: an agent, or a replica of the centralized controller. */
typedef struct {
  DmasAgent *agent;          /* NULL for a controller replica */
  DmasCentral *central;
  DmasCentralReplica replica;
} Target;

/* The checks every fault call makes; returns DMAS_OK with the target and entry set.  The
 * controller replicas are reached through their symbolic ids (dmas/types.h), which exist only
 * in centralized mode, the backup only with scheduling.ha.backup. */
static int
check_call (DmasHostCtx *ctx, DmasAgentId agent, const gchar *call, Target *target,
            guint *entry_out)
{
  DmasSim *sim = ctx->sim;

  if (ctx->kind != DMAS_KIND_FAULT || sim->faults == NULL
      || entry_of (sim->faults, ctx, entry_out) == NULL)
    {
      dmas_sim_log (sim, DMAS_AGENT_NONE, "%s: %s refused: only fault components may call it",
                    dmas_host_ctx_name (ctx), call);
      return DMAS_ESTATE;
    }
  *target = (Target) { 0 };
  if (agent == DMAS_AGENT_CONTROLLER || agent == DMAS_AGENT_BACKUP)
    {
      target->central = dmas_sim_central (sim);
      target->replica = agent == DMAS_AGENT_CONTROLLER ? DMAS_CENTRAL_PRIMARY : DMAS_CENTRAL_BACKUP;
      if (target->central == NULL
          || (guint) target->replica >= dmas_central_n_replicas (target->central))
        return DMAS_ENOENT;
      return DMAS_OK;
    }
  if (agent >= sim->n_agents)
    return DMAS_ENOENT;
  target->agent = sim->agents[agent];
  return DMAS_OK;
}

static gboolean
target_up (const Target *target)
{
  return target->agent != NULL ? dmas_agent_is_up (target->agent)
                               : dmas_central_is_up (target->central, target->replica);
}

static void
record (DmasFaults *faults, const gchar *fault, DmasAgentId agent, guint entry,
        const gchar *details)
{
  const DmasFaultEvent event = {
    .t = dmas_engine_now (faults->sim->engine),
    .fault = fault,
    .agent = agent,
    .entry = entry,
    .details = g_strdup (details),
  };
  g_array_append_val (faults->events, event);
}

void
dmas_faults_log (DmasHostCtx *ctx, const gchar *fault, DmasAgentId agent, const gchar *details,
                 gboolean onset)
{
  DmasSim *sim = ctx->sim;
  guint entry = 0;

  g_return_if_fail (sim->faults != NULL && entry_of (sim->faults, ctx, &entry) != NULL);
  record (sim->faults, fault, agent, entry, details);
  if (onset)
    sim->metrics->faults_injected++;
}

int
dmas_faults_crash (DmasHostCtx *ctx, DmasAgentId agent)
{
  Target target;
  guint entry = 0;
  int status = check_call (ctx, agent, "fault_crash", &target, &entry);

  if (status != DMAS_OK)
    return status;
  if (!target_up (&target))
    return DMAS_ESTATE;
  DmasSim *sim = ctx->sim;
  /* Logged before the crash takes effect, so the log reads cause before consequences. */
  record (sim->faults, "crash", agent, entry, NULL);
  /* agent_failures, outages and downtime are counted by what crashes (agent.c, central.c). */
  sim->metrics->faults_injected++;
  dmas_sim_log (sim, target.agent != NULL ? agent : DMAS_AGENT_NONE, "%s crashed by %s",
                dmas_fault_target_name (agent), dmas_host_ctx_name (ctx));
  if (target.agent != NULL)
    dmas_agent_crash (target.agent);
  else
    dmas_central_crash (target.central, target.replica);
  return DMAS_OK;
}

int
dmas_faults_restart (DmasHostCtx *ctx, DmasAgentId agent)
{
  Target target;
  guint entry = 0;
  int status = check_call (ctx, agent, "fault_restart", &target, &entry);

  if (status != DMAS_OK)
    return status;
  if (target_up (&target))
    return DMAS_ESTATE;
  if (target.agent != NULL)
    dmas_agent_restart (target.agent);
  else
    dmas_central_restart (target.central, target.replica);
  /* A plugin's create() may fail at restart: the agent then stays down and nothing is
   * logged as restarted (agent.c reports why). */
  if (!target_up (&target))
    return DMAS_ESTATE;
  record (ctx->sim->faults, "restart", agent, entry, NULL);
  dmas_sim_log (ctx->sim, agent, "restarted by %s", dmas_host_ctx_name (ctx));
  return DMAS_OK;
}

int
dmas_faults_agent_up (DmasHostCtx *ctx, DmasAgentId agent)
{
  Target target;
  guint entry = 0;
  int status = check_call (ctx, agent, "agent_up", &target, &entry);

  if (status != DMAS_OK)
    return status;
  return target_up (&target) ? 1 : 0;
}

const gchar *
dmas_fault_target_name (DmasAgentId target)
{
  switch (target)
    {
    case DMAS_AGENT_CONTROLLER:
      return "controller";
    case DMAS_AGENT_BACKUP:
      return "backup";
    default:
      return "agent";
    }
}

/* ---- the log ---- */

const DmasFaultEvent *
dmas_faults_events (const DmasFaults *faults, guint *n_out)
{
  *n_out = faults->events->len;
  return (const DmasFaultEvent *) faults->events->data;
}

gchar *
dmas_faults_to_jsonl (const DmasFaults *faults)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; faults != NULL && i < faults->events->len; i++)
    {
      const DmasFaultEvent *e = &g_array_index (faults->events, DmasFaultEvent, i);
      const FaultEntry *entry = g_ptr_array_index (faults->entries, e->entry);
      const DmasNode *params = entry->params;

      g_string_append (out, "{\"t\":");
      dmas_append_seconds (out, e->t);
      g_string_append_printf (out, ",\"fault\":\"%s\"", e->fault);
      if (e->agent == DMAS_AGENT_CONTROLLER || e->agent == DMAS_AGENT_BACKUP)
        g_string_append_printf (out, ",\"agent\":\"%s\"", dmas_fault_target_name (e->agent));
      else if (e->agent != DMAS_AGENT_NONE)
        g_string_append_printf (out, ",\"agent\":%u", e->agent);
      if (e->details != NULL && *e->details != '\0')
        g_string_append_printf (out, ",%s", e->details);
      g_string_append_printf (out, ",\"source\":\"%s\"", entry->source);
      /* Parameter names are [a-z0-9_-]: no escaping needed; values go through json-glib. */
      for (guint p = 0; p < params->keys->len; p++)
        {
          const gchar *name = g_ptr_array_index (params->keys, p);
          g_autoptr (JsonNode) value = dmas_config_node_to_json (g_ptr_array_index (params->values,
                                                                                    p));
          g_autofree gchar *text = json_to_string (value, FALSE);

          /* The event's own keys come first and win over a parameter of the same name (a
           * partition's resolved "groups" over the entry's "groups: minority"). */
          g_autofree gchar *member = g_strdup_printf ("\"%s\":", name);
          if (strcmp (name, "t") == 0 || strcmp (name, "fault") == 0
              || strcmp (name, "agent") == 0 || strcmp (name, "source") == 0
              || (e->details != NULL && strstr (e->details, member) != NULL))
            continue;
          g_string_append_printf (out, ",\"%s\":%s", name, text);
        }
      g_string_append (out, "}\n");
    }
  return g_string_free (out, FALSE);
}
