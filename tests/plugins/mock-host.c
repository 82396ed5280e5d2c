/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mock host: loading built plugins, creating instances, calling into them. */
#include "config.h"

#include <dlfcn.h>
#include <string.h>

#include "mock-host-private.h"

/* --- loading ---------------------------------------------------------------------------- */

static gboolean
check_ops (const DmasComponent *c, const gchar *path, GError **error)
{
  guint32 size = c->ops != NULL ? *(const guint32 *) c->ops : 0;
  gboolean ok;
  if (c->kind == DMAS_KIND_BIDDING)
    {
      const DmasBiddingOps *ops = c->ops;
      ok = c->api_major == DMAS_BIDDING_API_MAJOR && c->api_minor <= DMAS_BIDDING_API_MINOR
           && size >= DMAS_BIDDING_OPS_MIN_SIZE && ops->create != NULL && ops->destroy != NULL
           && ops->bid != NULL;
    }
  else if (c->kind == DMAS_KIND_CONSENSUS)
    {
      const DmasConsensusOps *ops = c->ops;
      ok = c->api_major == DMAS_CONSENSUS_API_MAJOR
           && c->api_minor <= DMAS_CONSENSUS_API_MINOR
           && size >= DMAS_CONSENSUS_OPS_MIN_SIZE && ops->create != NULL
           && ops->destroy != NULL && ops->propose != NULL && ops->on_message != NULL;
    }
  else if (c->kind == DMAS_KIND_FAULT)
    {
      const DmasFaultOps *ops = c->ops;
      ok = c->api_major == DMAS_FAULT_API_MAJOR && c->api_minor <= DMAS_FAULT_API_MINOR
           && size >= DMAS_FAULT_OPS_MIN_SIZE && ops->create != NULL && ops->destroy != NULL
           && ops->arm != NULL;
    }
  else
    {
      g_set_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_LOAD,
                   "%s: component kind %d is not supported yet by the mock host", path,
                   (int) c->kind);
      return FALSE;
    }
  if (!ok)
    g_set_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_LOAD,
                 "%s: component %s has API %u.%u, ops of %u bytes or a NULL mandatory op",
                 path, c->name, c->api_major, c->api_minor, size);
  return ok;
}

const DmasComponent *
mock_component_load (DmasKind kind, const gchar *plugin, const gchar *name, GError **error)
{
  const gchar *builddir = g_getenv ("DMAS_BUILDDIR");
  if (builddir == NULL || *builddir == '\0')
    builddir = DMAS_ABS_BUILDDIR;
  g_autofree gchar *file = g_strconcat (plugin, ".so", NULL);
  g_autofree gchar *path
      = g_build_filename (builddir, "plugins", mock_kind_dir (kind), ".libs", file, NULL);

  /* Never dlclose()d: components handed out point into the module. */
  void *module = dlopen (path, RTLD_NOW | RTLD_LOCAL);
  if (module == NULL)
    {
      g_set_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_LOAD, "%s: %s (is the plugin built?)",
                   path, dlerror ());
      return NULL;
    }
  DmasPluginDescribeFn describe = (DmasPluginDescribeFn) dlsym (module, DMAS_PLUGIN_ENTRY);
  const DmasPluginDesc *desc = describe != NULL ? describe () : NULL;
  if (desc == NULL || desc->magic != DMAS_PLUGIN_MAGIC || desc->abi_major != DMAS_ABI_MAJOR
      || desc->abi_minor > DMAS_ABI_MINOR || desc->struct_size < sizeof (DmasPluginDesc)
      || g_strcmp0 (desc->name, plugin) != 0)
    {
      g_set_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_LOAD,
                   "%s: missing entry point or bad descriptor (magic, ABI, size or name)",
                   path);
      return NULL;
    }
  for (guint32 i = 0; i < desc->n_components; i++)
    {
      const DmasComponent *c = &desc->components[i];
      if (c->struct_size != sizeof (DmasComponent))
        {
          g_set_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_LOAD,
                       "%s: components built with another SDK (struct_size %u); the mock "
                       "host only walks arrays of its own layout",
                       path, c->struct_size);
          return NULL;
        }
      if (c->kind == kind && g_strcmp0 (c->name, name) == 0)
        return check_ops (c, path, error) ? c : NULL;
    }
  g_set_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_LOAD, "%s: no %s component named '%s'",
               path, mock_kind_dir (kind), name);
  return NULL;
}

/* --- host lifecycle --------------------------------------------------------------------- */

MockHost *
mock_host_new (guint n_agents, guint64 seed)
{
  g_return_val_if_fail (n_agents > 0, NULL);
  MockHost *host = g_new0 (MockHost, 1);
  host->n_agents = n_agents;
  host->seed = seed;
  host->members = g_new (DmasAgentId, n_agents);
  host->decisions = g_new (GArray *, n_agents);
  host->bids_ready = g_new (GArray *, n_agents);
  for (guint i = 0; i < n_agents; i++)
    {
      host->members[i] = i;
      host->decisions[i] = g_array_new (FALSE, TRUE, sizeof (MockDecision));
      host->bids_ready[i] = g_array_new (FALSE, TRUE, sizeof (DmasBid));
    }
  host->queue = g_ptr_array_new_with_free_func (mock_message_free);
  host->metrics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  host->log = g_ptr_array_new_with_free_func (g_free);
  host->down = g_new0 (gboolean, n_agents);
  host->faults = g_array_new (FALSE, TRUE, sizeof (MockFault));
  host->storage = g_new (GHashTable *, (gsize) n_agents * MOCK_N_KINDS);
  for (gsize i = 0; i < (gsize) n_agents * MOCK_N_KINDS; i++)
    host->storage[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_bytes_unref);
  host->incarnation = g_new0 (guint, n_agents);
  host->api = *mock_host_api ();
  host->implausible = g_array_new (FALSE, TRUE, sizeof (MockClaim));
  host->accusations = g_array_new (FALSE, TRUE, sizeof (MockAccusation));
  return host;
}

guint
mock_kind_n_instances (MockHost *host, DmasKind kind)
{
  return kind == DMAS_KIND_FAULT ? 1 : host->n_agents;
}

static void
instance_destroy (MockHost *host, MockKind *k, MockInstance *inst)
{
  if (inst->self != NULL)
    {
      if (inst->kind == DMAS_KIND_BIDDING)
        k->bidding.destroy (inst->self);
      else if (inst->kind == DMAS_KIND_FAULT)
        k->fault.destroy (inst->self);
      else
        k->consensus.destroy (inst->self);
    }
  /* The instance's pending timers die with it; their data is freed after destroy(). */
  for (GList *l = host->timers; l != NULL;)
    {
      GList *next = l->next;
      MockTimer *t = l->data;
      if (t->instance == inst)
        {
          host->timers = g_list_delete_link (host->timers, l);
          mock_timer_free (t);
        }
      l = next;
    }
  g_rand_free (inst->rng);
  g_free (inst);
}

void
mock_host_stop (MockHost *host, DmasKind kind)
{
  g_return_if_fail (kind > 0 && kind < MOCK_N_KINDS);
  MockKind *k = &host->kinds[kind];
  if (k->instances == NULL)
    return;
  for (guint i = 0; i < mock_kind_n_instances (host, kind); i++)
    if (k->instances[i] != NULL)
      instance_destroy (host, k, k->instances[i]);
  g_clear_pointer (&k->instances, g_free);
  g_clear_pointer (&k->params, g_hash_table_unref);
  k->component = NULL;
}

void
mock_host_free (MockHost *host)
{
  if (host == NULL)
    return;
  for (gint kind = 1; kind < MOCK_N_KINDS; kind++)
    mock_host_stop (host, (DmasKind) kind);
  g_list_free_full (host->timers, mock_timer_free);
  g_ptr_array_unref (host->queue);
  for (guint i = 0; i < host->n_agents; i++)
    {
      g_array_unref (host->decisions[i]);
      g_array_unref (host->bids_ready[i]);
    }
  g_free (host->decisions);
  g_free (host->bids_ready);
  g_hash_table_unref (host->metrics);
  g_ptr_array_unref (host->log);
  g_free (host->down);
  g_array_unref (host->faults);
  for (gsize i = 0; i < (gsize) host->n_agents * MOCK_N_KINDS; i++)
    g_hash_table_unref (host->storage[i]);
  g_free (host->storage);
  g_free (host->incarnation);
  g_array_unref (host->implausible);
  g_array_unref (host->accusations);
  g_free (host->members);
  g_free (host);
}

static gboolean
params_load (MockKind *k, const gchar *const *params, GError **error)
{
  const DmasComponent *c = k->component;
  for (const DmasParamSpec *p = c->params; p != NULL && p->name != NULL; p++)
    if (p->default_value == NULL || !mock_param_parses (p->type, p->default_value))
      {
        g_set_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_PARAMS,
                     "%s: the default '%s' of parameter %s does not parse as its type",
                     c->name, p->default_value, p->name);
        return FALSE;
      }
  for (gsize i = 0; params != NULL && params[i] != NULL; i++)
    {
      const gchar *eq = strchr (params[i], '=');
      g_autofree gchar *key = eq != NULL ? g_strndup (params[i], eq - params[i]) : NULL;
      const DmasParamSpec *spec = key != NULL ? mock_param_spec (c, key) : NULL;
      if (spec == NULL)
        {
          g_set_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_PARAMS,
                       "%s: '%s' is not key=value with a declared parameter", c->name,
                       params[i]);
          return FALSE;
        }
      if (!mock_param_parses (spec->type, eq + 1))
        {
          g_set_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_PARAMS,
                       "%s: bad value '%s' for parameter %s", c->name, eq + 1, key);
          return FALSE;
        }
      g_hash_table_replace (k->params, g_steal_pointer (&key), g_strdup (eq + 1));
    }
  return TRUE;
}

/* An instance of k's component on `agent`, created; NULL with error set if create() fails.
 * Incarnation 0 keeps the random stream tests were written against; a restarted agent's
 * instances get a new one. */
static MockInstance *
instance_new (MockHost *host, MockKind *k, DmasAgentId agent, guint incarnation,
              GError **error)
{
  const DmasComponent *component = k->component;
  const DmasKind kind = component->kind;
  MockInstance *inst = g_new0 (MockInstance, 1);
  guint32 seed[5] = { (guint32) host->seed, (guint32) (host->seed >> 32), agent, kind,
                      incarnation };
  inst->host = host;
  inst->agent = agent;
  inst->kind = kind;
  inst->ctx.base.api = &host->api;
  inst->ctx.instance = inst;
  inst->rng = g_rand_new_with_seed_array (seed, incarnation == 0 ? 4 : G_N_ELEMENTS (seed));

  DmasError err = { 0, "" };
  inst->self = kind == DMAS_KIND_BIDDING ? k->bidding.create (&inst->ctx.base, &err)
               : kind == DMAS_KIND_FAULT ? k->fault.create (&inst->ctx.base, &err)
                                         : k->consensus.create (&inst->ctx.base, &err);
  if (inst->self != NULL)
    return inst;
  if (kind == DMAS_KIND_FAULT)
    g_set_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_CREATE,
                 "%s: create() failed (status %d): %s", component->name, err.code,
                 err.message);
  else
    g_set_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_CREATE,
                 "%s: create() failed on agent %u (status %d): %s", component->name, agent,
                 err.code, err.message);
  instance_destroy (host, k, inst);
  return NULL;
}

gboolean
mock_host_start (MockHost *host, const DmasComponent *component, const gchar *const *params,
                 GError **error)
{
  g_return_val_if_fail (component != NULL, FALSE);
  DmasKind kind = component->kind;
  if (kind != DMAS_KIND_BIDDING && kind != DMAS_KIND_CONSENSUS && kind != DMAS_KIND_FAULT)
    {
      g_set_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_STATE,
                   "component kind %d is not supported yet by the mock host", (int) kind);
      return FALSE;
    }
  MockKind *k = &host->kinds[kind];
  if (k->instances != NULL)
    {
      g_set_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_STATE,
                   "a %s component is already running", mock_kind_dir (kind));
      return FALSE;
    }
  k->component = component;
  k->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  memset (&k->bidding, 0, sizeof k->bidding);
  memset (&k->consensus, 0, sizeof k->consensus);
  memset (&k->fault, 0, sizeof k->fault);
  guint32 size = *(const guint32 *) component->ops;
  if (kind == DMAS_KIND_BIDDING)
    memcpy (&k->bidding, component->ops, MIN (size, sizeof k->bidding));
  else if (kind == DMAS_KIND_FAULT)
    memcpy (&k->fault, component->ops, MIN (size, sizeof k->fault));
  else
    memcpy (&k->consensus, component->ops, MIN (size, sizeof k->consensus));
  const guint n = mock_kind_n_instances (host, kind);
  k->instances = g_new0 (MockInstance *, n);
  if (!params_load (k, params, error))
    {
      mock_host_stop (host, kind);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      /* A fault instance belongs to no agent. */
      const DmasAgentId agent = kind == DMAS_KIND_FAULT ? DMAS_AGENT_NONE : host->members[i];
      k->instances[i] = instance_new (host, k, agent, 0, error);
      if (k->instances[i] == NULL)
        {
          mock_host_stop (host, kind);
          return FALSE;
        }
    }
  return TRUE;
}

gpointer
mock_host_instance (MockHost *host, DmasAgentId agent, DmasKind kind)
{
  g_return_val_if_fail (kind > 0 && kind < MOCK_N_KINDS, NULL);
  MockKind *k = &host->kinds[kind];
  if (kind == DMAS_KIND_FAULT)
    return k->instances != NULL ? k->instances[0]->self : NULL;
  g_return_val_if_fail (agent < host->n_agents, NULL);
  return k->instances != NULL && k->instances[agent] != NULL ? k->instances[agent]->self : NULL;
}

DmasCtx *
mock_host_ctx (MockHost *host, DmasAgentId agent, DmasKind kind)
{
  g_return_val_if_fail (kind > 0 && kind < MOCK_N_KINDS, NULL);
  MockKind *k = &host->kinds[kind];
  if (k->instances == NULL)
    return NULL;
  if (kind == DMAS_KIND_FAULT)
    return &k->instances[0]->ctx.base;
  g_return_val_if_fail (agent < host->n_agents, NULL);
  return k->instances[agent] != NULL ? &k->instances[agent]->ctx.base : NULL;
}

guint
mock_host_n_agents (MockHost *host)
{
  return host->n_agents;
}

/* --- calling into plugins --------------------------------------------------------------- */

static MockInstance *
running_instance (MockHost *host, DmasAgentId agent, DmasKind kind)
{
  MockKind *k = &host->kinds[kind];
  if (agent >= host->n_agents || k->instances == NULL || k->instances[agent] == NULL)
    g_error ("mock host: no %s instance on agent %u (not started, or crashed)",
             mock_kind_dir (kind), agent);
  return k->instances[agent];
}

int
mock_host_bid (MockHost *host, DmasAgentId agent, const DmasJob *job,
               const DmasClusterView *cluster, DmasBid *out, DmasError *err)
{
  MockInstance *inst = running_instance (host, agent, DMAS_KIND_BIDDING);
  out->job = job->id;
  out->agent = agent;
  out->reserved = 0;
  return host->kinds[DMAS_KIND_BIDDING].bidding.bid (inst->self, &inst->ctx.base, job,
                                                     cluster, out, err);
}

gboolean
mock_host_job_finished (MockHost *host, DmasAgentId agent, const DmasJob *job, DmasTime start,
                        DmasTime end)
{
  MockInstance *inst = running_instance (host, agent, DMAS_KIND_BIDDING);
  const DmasBiddingOps *ops = &host->kinds[DMAS_KIND_BIDDING].bidding;
  if (ops->job_finished == NULL)
    return FALSE;
  ops->job_finished (inst->self, &inst->ctx.base, job, start, end);
  return TRUE;
}

int
mock_host_propose (MockHost *host, DmasAgentId agent, const DmasSlot *slot,
                   const DmasBid *bid)
{
  MockInstance *inst = running_instance (host, agent, DMAS_KIND_CONSENSUS);
  return host->kinds[DMAS_KIND_CONSENSUS].consensus.propose (inst->self, &inst->ctx.base,
                                                             slot, bid);
}

gboolean
mock_host_agent_status (MockHost *host, DmasAgentId agent, DmasAgentId about,
                        gboolean suspected)
{
  MockInstance *inst = running_instance (host, agent, DMAS_KIND_CONSENSUS);
  const DmasConsensusOps *ops = &host->kinds[DMAS_KIND_CONSENSUS].consensus;
  if (ops->agent_status == NULL)
    return FALSE;
  ops->agent_status (inst->self, &inst->ctx.base, about, suspected ? 1 : 0);
  return TRUE;
}

int
mock_host_arm (MockHost *host, DmasError *err)
{
  MockKind *k = &host->kinds[DMAS_KIND_FAULT];
  if (k->instances == NULL)
    g_error ("mock host: no fault instance to arm");
  MockInstance *inst = k->instances[0];
  return k->fault.arm (inst->self, &inst->ctx.base, err);
}

/* --- crashes ------------------------------------------------------------------------------ */

void
mock_host_crash_agent (MockHost *host, DmasAgentId agent)
{
  g_return_if_fail (agent < host->n_agents);
  /* Consensus first: the reverse of creation, as the real host does. */
  for (gint kind = MOCK_N_KINDS - 1; kind > 0; kind--)
    {
      MockKind *k = &host->kinds[kind];
      if (kind == DMAS_KIND_FAULT || k->instances == NULL || k->instances[agent] == NULL)
        continue;
      instance_destroy (host, k, g_steal_pointer (&k->instances[agent]));
    }
  host->down[agent] = TRUE;
}

gboolean
mock_host_restart_agent (MockHost *host, DmasAgentId agent, GError **error)
{
  g_return_val_if_fail (agent < host->n_agents, FALSE);
  const guint incarnation = ++host->incarnation[agent];
  for (gint kind = 1; kind < MOCK_N_KINDS; kind++)
    {
      MockKind *k = &host->kinds[kind];
      if (kind == DMAS_KIND_FAULT || k->instances == NULL || k->instances[agent] != NULL)
        continue;
      k->instances[agent] = instance_new (host, k, agent, incarnation, error);
      if (k->instances[agent] == NULL)
        {
          mock_host_crash_agent (host, agent);
          return FALSE;
        }
    }
  host->down[agent] = FALSE;
  return TRUE;
}

MockHost *
mock_host_new_armed_fault (const gchar *name, guint n_agents, guint64 seed,
                           const gchar *const *params)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *component = mock_component_load (DMAS_KIND_FAULT, name, name, &error);
  g_assert_no_error (error);
  MockHost *host = mock_host_new (n_agents, seed);
  DmasError err = { 0, "" };

  mock_host_start (host, component, params, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mock_host_arm (host, &err), ==, DMAS_OK);
  return host;
}
