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
                   "%s: %s names no component", config->source,
                   kind == DMAS_KIND_LLM ? "llm.provider"
                   : kind == DMAS_KIND_BIDDING ? "scheduling.bidding" : "scheduling.consensus");
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

const gchar *
dmas_config_llm_provider (const DmasConfig *config)
{
  const DmasNode *node = config->resolved != NULL
                             ? dmas_node_lookup (config->resolved, "llm.provider") : NULL;
  return node != NULL ? node->scalar : NULL;
}

static gboolean
is_llm_bidder (const gchar *given)
{
  return g_strcmp0 (component_name (given, DMAS_KIND_BIDDING), "llm") == 0;
}

gboolean
dmas_config_wants_llm (const DmasConfig *config)
{
  const gboolean hybrid = config->scheduling.hybrid.bidding != NULL
                          && config->scheduling.hybrid.fraction < 1.0;
  return is_llm_bidder (config->scheduling.bidding)
         || (hybrid && is_llm_bidder (config->scheduling.hybrid.bidding));
}

gboolean
dmas_registry_fill_config (DmasRegistry *registry, DmasConfig *config, GError **error)
{
  /* The llm provider, when an agent bids with the LLM bidder (as the sim decides). */
  const gchar *provider = dmas_config_wants_llm (config) ? dmas_config_llm_provider (config)
                                                         : NULL;
  const gboolean hybrid = config->scheduling.hybrid.bidding != NULL
                          && config->scheduling.hybrid.fraction < 1.0;
  const struct {
    DmasKind kind;
    const gchar *given;
  } chosen[] = {
    { DMAS_KIND_BIDDING, config->scheduling.bidding },
    { DMAS_KIND_CONSENSUS, config->scheduling.consensus },
    { DMAS_KIND_BIDDING, hybrid ? config->scheduling.hybrid.bidding : NULL },
    { DMAS_KIND_LLM, provider },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (chosen); i++)
    {
      if (i >= 2 && chosen[i].given == NULL)
        continue;
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
