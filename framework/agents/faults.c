/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fault injection, host side: one instance per `faults:` entry, the fault calls, the log. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "agents/central.h"
#include "agents/faults.h"
#include "agents/sim-private.h"
#include "engine/engine.h"
#include "metrics/summary.h"
#include "world/platform.h"

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
  gdouble *slowdown;    /* per agent: the degradation in force (degrade.c); NULL: all 1 */
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

/* `agents` in the one spelling every fault component reads (plugins/faults/targets.h): an
 * unquoted number N is a count, "random:N"; a YAML list [0, 3] is the ids "0,3" (quoted, so
 * that a one-item list written back as "1" still reads as agent 1, not as a count); every
 * other scalar is passed unchanged for the component to check.
 * Returns: (transfer full) the node to use, or NULL with error set. */
static DmasNode *
canonical_agents (const DmasNode *value, guint index, GError **error)
{
  g_autofree gchar *where = dmas_node_where (value);

  if (value->kind == DMAS_NODE_SCALAR)
    {
      const gchar *s = value->scalar;
      gboolean digits = *s != '\0';

      for (; *s != '\0' && digits; s++)
        digits = g_ascii_isdigit (*s);
      if (value->quoted || !digits)
        return dmas_node_copy (value);
      g_autofree gchar *text = g_strdup_printf ("random:%s", value->scalar);
      return dmas_node_new_scalar (text, value->file, value->base_dir, value->line,
                                   value->column);
    }
  if (value->kind == DMAS_NODE_SEQ && value->values->len > 0)
    {
      g_autoptr (GString) ids = g_string_new (NULL);

      for (guint i = 0; i < value->values->len; i++)
        {
          const DmasNode *item = g_ptr_array_index (value->values, i);
          gboolean ok = item->kind == DMAS_NODE_SCALAR && *item->scalar != '\0';

          for (const gchar *s = ok ? item->scalar : ""; *s != '\0' && ok; s++)
            ok = g_ascii_isdigit (*s);
          ok = ok || (item->kind == DMAS_NODE_SCALAR && (strcmp (item->scalar, "controller") == 0
                                                         || strcmp (item->scalar, "backup") == 0));
          if (!ok)
            {
              g_autofree gchar *at = dmas_node_where (item);
              g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS,
                           "%sfaults[%u].agents[%u]: not an agent id; write agent ids such as "
                           "[0, 3]", at, index, i);
              return NULL;
            }
          g_string_append_printf (ids, "%s%s", i > 0 ? "," : "", item->scalar);
        }
      DmasNode *out = dmas_node_new_scalar (ids->str, value->file, value->base_dir, value->line,
                                            value->column);
      out->quoted = TRUE;
      return out;
    }
  g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS,
               "%sfaults[%u].agents: give a count (2), a list of agent ids ([0, 3] or \"0,3\"), "
               "\"all\" or \"random:N\"", where, index);
  return NULL;
}

/* A `file` parameter (the schedule's timeline) made absolute against the directory of the
 * YAML file that wrote it, as every path in a config is, so that the run does not depend on
 * the directory it was started from and config.resolved.yaml names the file it read. */
static DmasNode *
absolute_file (const DmasNode *value)
{
  DmasNode *out = dmas_node_copy (value);

  if (out->kind == DMAS_NODE_SCALAR && *out->scalar != '\0' && !g_path_is_absolute (out->scalar)
      && out->base_dir != NULL)
    {
      gchar *path = g_build_filename (out->base_dir, out->scalar, NULL);
      g_free (out->scalar);
      out->scalar = path;
      out->quoted = TRUE;
    }
  return out;
}

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
      const DmasNode *given_value = g_ptr_array_index (item->values, i);
      DmasNode *value = strcmp (key, "agents") == 0
                          ? canonical_agents (given_value, index, error)
                          : strcmp (key, "file") == 0 ? absolute_file (given_value)
                                                      : dmas_node_copy (given_value);

      if (value == NULL)
        return NULL;
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

/* ---- presets ---- */

/* The predecessor's table: how many faults, each aimed at this share of the agents. */
static const struct {
  const gchar *name;
  guint faults;
  gdouble share;
} intensities[] = {
  { "none", 0, 0.0 }, { "light", 1, 0.2 }, { "medium", 2, 0.3 }, { "heavy", 3, 0.4 },
  { "chaos", 5, 0.6 },
};

static const gchar *const preset_types[] = { "crash", "partition", "link", "byzantine",
                                             "degrade" };

/* The number of agents the run will have, without building it when the config says. */
static guint
config_n_agents (const DmasConfig *config, GError **error)
{
  if (config->platform.clusters != NULL && config->platform.clusters->len > 0)
    return config->platform.clusters->len;
  if (config->platform.preset != NULL && config->platform.agents > 0)
    return config->platform.agents;
  if (config->platform.from_trace)
    return 1;
  /* A fixed preset of all its clusters: build it once to count them (the generator is a
   * throwaway: the run builds its own platform from its own stream). */
  g_autoptr (GRand) rng = g_rand_new_with_seed (0);
  g_autoptr (DmasPlatform) platform = dmas_platform_new (config, rng, error);
  return platform != NULL ? dmas_platform_size (platform) : 0;
}

static void
entry_add (DmasNode *entry, const gchar *key, const gchar *value, const DmasNode *where)
{
  dmas_node_set (entry, key, dmas_node_new_scalar (value, where->file, where->base_dir,
                                                   where->line, where->column));
}

/* One entry of a preset: `type` aimed at `k` agents drawn by the entry's own stream, from
 * `at` for `length` (whole milliseconds).  See the docs for what each type does. */
static DmasNode *
preset_entry (const gchar *type, guint k, guint64 at_ms, guint64 length_ms,
              const DmasNode *where)
{
  DmasNode *entry = dmas_node_new_map (where->file, where->base_dir, where->line,
                                       where->column);
  g_autofree gchar *agents = g_strdup_printf ("random:%u", k);
  g_autofree gchar *at = g_strdup_printf ("%" G_GUINT64_FORMAT "ms", at_ms);
  g_autofree gchar *length = g_strdup_printf ("%" G_GUINT64_FORMAT "ms", length_ms);

  entry_add (entry, "type", type, where);
  if (strcmp (type, "crash") == 0)
    {
      entry_add (entry, "agents", agents, where);
      entry_add (entry, "at", at, where);
      entry_add (entry, "restart_after", length, where);
      return entry;
    }
  if (strcmp (type, "partition") == 0)
    {
      entry_add (entry, "groups", "isolate", where);
      entry_add (entry, "agents", agents, where);
    }
  else if (strcmp (type, "link") == 0)
    {
      entry_add (entry, "from", agents, where);
      entry_add (entry, "loss", "0.1", where);
      entry_add (entry, "delay", "50ms", where);
    }
  else if (strcmp (type, "byzantine") == 0)
    {
      entry_add (entry, "agents", agents, where);
      entry_add (entry, "strategy", "silent", where);
    }
  else
    {
      entry_add (entry, "agents", agents, where);
      entry_add (entry, "factor", "3", where);
    }
  entry_add (entry, "at", at, where);
  entry_add (entry, "for", length, where);
  return entry;
}

/* An empty list node.  (dmas_node_new_seq is private to framework/config; parsing "[]" is
 * what the public API offers.) */
static DmasNode *
empty_list (void)
{
  static const gchar text[] = "faults: []\n";
  g_autoptr (DmasNode) root = dmas_node_parse_string (text, sizeof text - 1, "<preset>", NULL,
                                                      NULL);
  g_return_val_if_fail (root != NULL, NULL);
  return dmas_node_copy (dmas_node_get (root, "faults"));
}

/* `faults: {intensity, types, pattern}` (validated, pattern filled) into the list of entries
 * it stands for, drawn from the world stream "faults/preset": per fault, in order, the type
 * (uniform over `types`), the onset (uniform in [10 %, 50 %] of the horizon) and the
 * duration (uniform in [10 %, 30 %] of it), both truncated to whole milliseconds.  Each
 * fault aims at max(1, round(share x agents)) agents. */
static DmasNode *
expand_preset (DmasRegistry *registry, const DmasConfig *config, const DmasNode *preset,
               GError **error)
{
  const DmasNode *intensity = dmas_node_get (preset, "intensity");
  const DmasNode *types = dmas_node_get (preset, "types");
  g_autofree gchar *where = dmas_node_where (preset);
  g_autoptr (GPtrArray) usable = g_ptr_array_new ();
  guint level = 0;

  while (level < G_N_ELEMENTS (intensities) - 1
         && strcmp (intensities[level].name, intensity->scalar) != 0)
    level++;
  g_autoptr (DmasNode) list = empty_list ();
  if (list == NULL || intensities[level].faults == 0)
    return g_steal_pointer (&list);

  /* Named types must exist; by default, every built-in type whose component is loaded. */
  for (guint i = 0; i < (types != NULL ? types->values->len : G_N_ELEMENTS (preset_types)); i++)
    {
      const DmasNode *item = types != NULL ? g_ptr_array_index (types->values, i) : NULL;
      const gchar *name = item != NULL ? item->scalar : preset_types[i];
      g_autoptr (GError) local = NULL;

      if (dmas_registry_lookup (registry, DMAS_KIND_FAULT, name, &local) != NULL)
        g_ptr_array_add (usable, (gpointer) name);
      else if (item != NULL)
        {
          g_autofree gchar *at = dmas_node_where (item);
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_NOT_FOUND,
                       "%sfaults.types[%u]: no fault component '%s' is loaded (%s); remove "
                       "it from types", at, i, name, local->message);
          return NULL;
        }
    }
  if (usable->len == 0)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_NOT_FOUND,
                   "%sfaults: no fault component of the preset's types is loaded (see "
                   "'dmas plugins')", where);
      return NULL;
    }
  if (config->horizon == DMAS_TIME_NONE || config->horizon < DMAS_MS)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS,
                   "%sfaults: a preset places its faults within the horizon; give 'horizon' "
                   "(at least 1ms) or write the faults as a list", where);
      return NULL;
    }
  const guint n_agents = config_n_agents (config, error);
  if (n_agents == 0)
    return NULL;

  const guint k = CLAMP ((guint) (intensities[level].share * n_agents + 0.5), 1, n_agents);
  const guint64 horizon_ms = config->horizon / DMAS_MS;
  g_autoptr (DmasEngine) engine = dmas_engine_new (config->seed);
  dmas_engine_set_world_seed (engine, config->world_seed);
  GRand *rng = dmas_engine_world_rng (engine, "faults/preset");

  for (guint f = 0; f < intensities[level].faults; f++)
    {
      const guint t = MIN ((guint) (g_rand_double (rng) * usable->len), usable->len - 1);
      const guint64 at = (guint64) ((gdouble) horizon_ms * (0.1 + 0.4 * g_rand_double (rng)));
      const guint64 length = (guint64) ((gdouble) horizon_ms
                                        * (0.1 + 0.2 * g_rand_double (rng)));
      g_ptr_array_add (list->values, preset_entry (g_ptr_array_index (usable, t), k, at,
                                                   MAX (length, 1), preset));
    }
  return g_steal_pointer (&list);
}

gboolean
dmas_faults_fill_config (DmasRegistry *registry, DmasConfig *config, GError **error)
{
  if (config->faults != NULL && config->faults->kind == DMAS_NODE_MAP)
    {
      DmasNode *entries = expand_preset (registry, config, config->faults, error);
      if (entries == NULL)
        return FALSE;
      /* The concrete list replaces the preset in the resolved config, so that `dmas config`
       * and config.resolved.yaml show (and a rerun reads) what is injected. */
      dmas_node_set (config->resolved, "faults", entries);
      config->faults = entries;
    }

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

gboolean
dmas_faults_pending (const DmasFaults *faults)
{
  for (guint i = 0; faults != NULL && i < faults->entries->len; i++)
    {
      const FaultEntry *entry = g_ptr_array_index (faults->entries, i);
      if (!g_queue_is_empty (&entry->ctx->timers))
        return TRUE;
    }
  return FALSE;
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
  g_free (faults->slowdown);
  g_free (faults);
}

gdouble *
dmas_faults_slowdowns (DmasFaults *faults)
{
  if (faults->slowdown == NULL)
    {
      faults->slowdown = g_new (gdouble, faults->sim->n_agents);
      for (guint a = 0; a < faults->sim->n_agents; a++)
        faults->slowdown[a] = 1.0;
    }
  return faults->slowdown;
}

gdouble
dmas_faults_slowdown (const DmasFaults *faults, DmasAgentId agent)
{
  if (faults == NULL || faults->slowdown == NULL || agent >= faults->sim->n_agents)
    return 1.0;
  return faults->slowdown[agent];
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

static void append_event_json (const DmasFaults *faults, const DmasFaultEvent *e,
                               GString *out);

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
  DmasSim *sim = faults->sim;
  if (sim->observer != NULL && sim->observer->fault != NULL)
    {
      g_autoptr (GString) json = g_string_new (NULL);
      append_event_json (faults, &event, json);
      sim->observer->fault (sim->observer_data, event.t, json->str);
    }
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

/* One event as a faults.jsonl object (no newline). */
static void
append_event_json (const DmasFaults *faults, const DmasFaultEvent *e, GString *out)
{
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
  g_string_append (out, "}");
}

gchar *
dmas_faults_to_jsonl (const DmasFaults *faults)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; faults != NULL && i < faults->events->len; i++)
    {
      append_event_json (faults, &g_array_index (faults->events, DmasFaultEvent, i), out);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
