/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The per-component checks of DESIGN §4: kind, kind API, ops, name, parameters, uniqueness. */
#include "config.h"

#include <string.h>

#include "plugin/plugin-private.h"

/* The ABI 1.0 layout of DmasComponent: the floor for ever (later minors only append). */
#define COMPONENT_MIN_SIZE (offsetof (DmasComponent, params) + sizeof (void *))
/* More parameters than this means an unterminated list, not a rich component. */
#define MAX_PARAMS 256

static const DmasParamSpec no_params[] = { { NULL, 0, NULL, NULL } };

/* Parameter specs are checked at load time so that a bad default is the plugin author's
 * error at `dmas plugins`, not the user's in the middle of a campaign. */
static gboolean
check_params (const gchar *path, const gchar *label, const DmasParamSpec *params,
              GError **error)
{
  for (guint i = 0; params[i].name != NULL; i++)
    {
      const DmasParamSpec *spec = &params[i];
      const gchar *type = dmas_param_type_to_string (spec->type);
      g_autoptr (GError) local = NULL;

      if (i >= MAX_PARAMS)
        {
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DESC,
                       "%s: %s: more than %d parameters: is the list terminated by an entry "
                       "with a NULL name?", path, label, MAX_PARAMS);
          return FALSE;
        }
      if (!dmas_param_name_valid (spec->name))
        {
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DESC,
                       "%s: %s: parameter name '%.64s' is not valid (use a-z, 0-9, '_', '-')",
                       path, label, spec->name);
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        if (strcmp (params[j].name, spec->name) == 0)
          {
            g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DESC,
                         "%s: %s: parameter '%s' is declared twice", path, label, spec->name);
            return FALSE;
          }
      if (type == NULL)
        {
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DESC,
                       "%s: %s: parameter '%s' has unknown type %d", path, label, spec->name,
                       (int) spec->type);
          return FALSE;
        }
      if (spec->default_value == NULL)
        {
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DESC,
                       "%s: %s: parameter '%s' has no default value", path, label, spec->name);
          return FALSE;
        }
      if (!dmas_param_value_check (spec->type, spec->default_value, &local))
        {
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DESC,
                       "%s: %s: default '%s' of parameter '%s' is not a valid %s: %s", path,
                       label, spec->default_value, spec->name, type, local->message);
          return FALSE;
        }
    }
  return TRUE;
}

/* Ops: present, sized between the kind's x.0 layout and a plausible maximum, mandatory
 * entries set.  Returns: (transfer full) the zero-filled host-sized copy, or NULL. */
static gpointer
check_ops (const gchar *path, const gchar *label, const DmasKindInfo *kind, const void *ops,
           GError **error)
{
  guint32 size;
  g_autofree guint8 *copy = NULL;

  if (ops == NULL)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_OPS, "%s: %s has no ops",
                   path, label);
      return NULL;
    }
  memcpy (&size, ops, sizeof size);
  if (size < kind->ops_min_size)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_OPS,
                   "%s: %s: ops struct_size %u is smaller than the %s API %u.0 layout "
                   "(%zu bytes): rebuild the plugin against these headers", path, label, size,
                   kind->name, kind->api_major, (size_t) kind->ops_min_size);
      return NULL;
    }
  if (size > DMAS_OPS_MAX_SIZE)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_OPS,
                   "%s: %s: ops struct_size %u is implausible (more than %d bytes): corrupt "
                   "descriptor?", path, label, size, DMAS_OPS_MAX_SIZE);
      return NULL;
    }
  /* Copying min(plugin, host) bytes into a zeroed host-sized struct is what makes an
   * older-minor plugin's missing optional ops read as NULL instead of as whatever follows
   * its struct in memory. */
  copy = g_malloc0 (kind->ops_host_size);
  memcpy (copy, ops, MIN ((gsize) size, kind->ops_host_size));
  for (gsize i = 0; i < kind->n_mandatory; i++)
    {
      void (*fn) (void);

      memcpy (&fn, copy + kind->mandatory[i], sizeof fn);
      if (fn == NULL)
        {
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_OPS,
                       "%s: %s: mandatory op '%s' is NULL", path, label,
                       kind->mandatory_names[i]);
          return NULL;
        }
    }
  const gchar *problem = NULL;
  if (!dmas_kind_check_ops (kind, copy, &problem))
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_OPS, "%s: %s: %s", path, label,
                   problem);
      return NULL;
    }
  return g_steal_pointer (&copy);
}

/* Checks one component (a host-sized copy in `c`) and returns its registry entry. */
static DmasComponentInfo *
check_component (const gchar *path, guint index, const DmasComponent *c,
                 const DmasLoadedPlugin *plugin, DmasTakenFn taken, gpointer taken_data,
                 GError **error)
{
  const DmasKindInfo *kind = dmas_kind_info (c->kind);
  gboolean name_ok = dmas_component_name_valid (c->name);
  g_autofree gchar *label = NULL;
  g_autofree gpointer ops = NULL;
  const gchar *owner;
  DmasComponentInfo *info;

  if (name_ok && kind != NULL)
    label = g_strdup_printf ("component %s/%s", dmas_kind_to_string (c->kind), c->name);
  else if (name_ok)
    label = g_strdup_printf ("component '%s'", c->name);
  else
    label = g_strdup_printf ("component #%u", index);

  if (kind == NULL)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_KIND,
                   "%s: %s: unknown kind %d (this host knows bidding = %d, consensus = %d, "
                   "fault = %d and llm = %d)", path, label, (int) c->kind, DMAS_KIND_BIDDING,
                   DMAS_KIND_CONSENSUS, DMAS_KIND_FAULT, DMAS_KIND_LLM);
      return NULL;
    }
  if (c->api_major != kind->api_major)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_KIND,
                   "%s: %s: %s API %u.%u is not supported by this host (%s API %u.%u): "
                   "rebuild the plugin against dmas %d.x headers", path, label, kind->name,
                   c->api_major, c->api_minor, kind->name, kind->api_major, kind->api_minor,
                   DMAS_ABI_MAJOR);
      return NULL;
    }
  if (c->api_minor > kind->api_minor)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_KIND,
                   "%s: %s: %s API %u.%u is newer than this host's (%s API %u.%u): upgrade "
                   "dmas, or rebuild the plugin against these headers", path, label,
                   kind->name, c->api_major, c->api_minor, kind->name, kind->api_major,
                   kind->api_minor);
      return NULL;
    }
  ops = check_ops (path, label, kind, c->ops, error);
  if (ops == NULL)
    return NULL;
  if (!name_ok)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DESC,
                   "%s: %s: name '%.64s' is not valid (use a-z, 0-9 and '-', at most %d "
                   "characters)", path, label, c->name != NULL ? c->name : "(null)",
                   DMAS_COMPONENT_NAME_MAX);
      return NULL;
    }
  if (c->params != NULL && !check_params (path, label, c->params, error))
    return NULL;
  for (guint i = 0; i < plugin->components->len; i++)
    {
      const DmasComponentInfo *other = g_ptr_array_index (plugin->components, i);
      if (other->kind == c->kind && strcmp (other->name, c->name) == 0)
        {
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DUPLICATE,
                       "%s: %s is declared twice in this plugin", path, label);
          return NULL;
        }
    }
  owner = taken != NULL ? taken (taken_data, c->kind, c->name) : NULL;
  if (owner != NULL)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DUPLICATE,
                   "%s: %s is already provided by %s (component names must be unique within "
                   "their kind)", path, label, owner);
      return NULL;
    }

  info = g_new0 (DmasComponentInfo, 1);
  info->kind = c->kind;
  info->name = c->name;
  info->summary = c->summary != NULL ? c->summary : "";
  info->plugin = plugin->name;
  info->version = plugin->version;
  info->file = plugin->file;
  info->api_major = c->api_major;
  info->api_minor = c->api_minor;
  info->params = c->params != NULL ? c->params : no_params;
  info->ops = g_steal_pointer (&ops);
  return info;
}

gboolean
dmas_plugin_check_components (const gchar *path, const DmasPluginDesc *desc,
                              DmasLoadedPlugin *plugin, DmasTakenFn taken, gpointer taken_data,
                              GError **error)
{
  const guint8 *base = (const guint8 *) desc->components;
  guint32 stride;

  /* The array's stride is the plugin's sizeof (DmasComponent), which differs from ours when
   * the plugin was built against another minor. */
  memcpy (&stride, base, sizeof stride);
  for (guint i = 0; i < desc->n_components; i++)
    {
      guint32 size;
      DmasComponent c;
      DmasComponentInfo *info;

      memcpy (&size, base + (gsize) i * stride, sizeof size);
      if (size < COMPONENT_MIN_SIZE)
        {
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DESC,
                       "%s: component #%u: struct_size %u is smaller than the ABI %d.0 layout "
                       "(%zu bytes): rebuild the plugin against these headers", path, i, size,
                       DMAS_ABI_MAJOR, (size_t) COMPONENT_MIN_SIZE);
          return FALSE;
        }
      if (size != stride)
        {
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DESC,
                       "%s: component #%u: struct_size %u differs from component #0's (%u)",
                       path, i, size, stride);
          return FALSE;
        }
      memset (&c, 0, sizeof c);
      memcpy (&c, base + (gsize) i * stride, MIN ((gsize) size, sizeof c));
      info = check_component (path, i, &c, plugin, taken, taken_data, error);
      if (info == NULL)
        return FALSE;
      g_ptr_array_add (plugin->components, info);
    }
  return TRUE;
}
