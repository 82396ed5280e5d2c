/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Picks the components a config names and resolves their parameters against their specs. */
#include <config.h>

#include <string.h>

#include "config/config.h"
#include "plugin/registry.h"

/* YAML may name a component "consensus/raft" as well as "raft". */
static const gchar *
component_name (const gchar *text, DmasKind kind)
{
  const gchar *prefix = dmas_kind_to_string (kind);
  gsize n = strlen (prefix);
  if (text != NULL && strncmp (text, prefix, n) == 0 && text[n] == '/')
    return text + n + 1;
  return text;
}

const DmasComponentInfo *
dmas_registry_resolve (DmasRegistry *registry, const DmasConfig *config, DmasKind kind,
                       const gchar *given, DmasNode **params_out, GError **error)
{
  const gchar *name = component_name (given, kind);
  if (name == NULL || *name == '\0')
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_NOT_FOUND,
                   "%s: scheduling.%s names no component", config->source,
                   dmas_kind_to_string (kind));
      return NULL;
    }
  const DmasComponentInfo *info = dmas_registry_lookup (registry, kind, name, error);
  if (info == NULL)
    return NULL;
  DmasNode *given_params = dmas_config_component_params (config, dmas_kind_to_string (kind),
                                                         name);
  DmasNode *params = dmas_component_resolve_params (info, given_params, error);
  if (params == NULL)
    return NULL;
  *params_out = params;
  return info;
}

gboolean
dmas_registry_fill_config (DmasRegistry *registry, DmasConfig *config, GError **error)
{
  const struct {
    DmasKind kind;
    const gchar *given;
  } chosen[] = {
    { DMAS_KIND_BIDDING, config->scheduling.bidding },
    { DMAS_KIND_CONSENSUS, config->scheduling.consensus },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (chosen); i++)
    {
      DmasNode *params = NULL;
      const DmasComponentInfo *info = dmas_registry_resolve (registry, config, chosen[i].kind,
                                                             chosen[i].given, &params, error);
      if (info == NULL)
        return FALSE;
      dmas_config_set_component_params (config, dmas_kind_to_string (info->kind), info->name,
                                        params);
    }
  return TRUE;
}
