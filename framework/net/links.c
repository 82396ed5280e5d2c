/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Applies the config's network section: defaults, then per-link overrides named by id or name. */
#include "config.h"

#include <string.h>

#include "net/network.h"

/* An end is an agent id when it is all digits, else a cluster name.  A cluster whose name is
 * all digits can therefore be named only by its id: the rule is fixed so that a config means
 * the same whatever the platform's names are. */
static gboolean
resolve_end (const gchar *text, const gchar *where, const gchar *display,
             const gchar *const *names, guint n_agents, DmasAgentId *out, GError **error)
{
  if (strspn (text, "0123456789") == strlen (text))
    {
      guint64 id = 0;
      if (g_ascii_string_to_unsigned (text, 10, 0, (guint64) n_agents - 1, &id, NULL))
        {
          *out = (DmasAgentId) id;
          return TRUE;
        }
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                   "%s%s: there is no agent %s; agent ids go from 0 to %u", where, display,
                   text, n_agents - 1);
      return FALSE;
    }
  for (guint i = 0; i < n_agents; i++)
    if (strcmp (names[i], text) == 0)
      {
        *out = i;
        return TRUE;
      }

  const gchar *suggestion = dmas_did_you_mean (text, names, n_agents);
  if (suggestion != NULL)
    g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                 "%s%s: no cluster is named '%s' (did you mean '%s'?)", where, display, text,
                 suggestion);
  else
    {
      g_autofree gchar *list = g_strjoinv (", ", (gchar **) names);
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                   "%s%s: no cluster is named '%s'; the clusters are: %s (or use an agent id)",
                   where, display, text, list);
    }
  return FALSE;
}

gboolean
dmas_network_configure (DmasNetwork *network, const DmasConfig *config,
                        const gchar *const *names, GError **error)
{
  guint n = dmas_network_n_agents (network);
  /* A config built by hand (tests) may have no list at all. */
  guint n_links = config->network.links != NULL ? config->network.links->len : 0;
  const DmasLinkParams defaults = {
    .latency = config->network.latency,
    .jitter = config->network.jitter,
    .bandwidth = config->network.bandwidth,
  };
  /* Which entry set each directed link (src·n + dst -> entry + 1), to refuse a second one:
   * letting the later win would hide a typo such as two entries for 0 -> 3 and none for
   * 3 -> 0.  Only looked up, never iterated.  n <= 4096, so the key fits a guint. */
  g_autoptr (GHashTable) set_by = g_hash_table_new (g_direct_hash, g_direct_equal);
  /* NULL-terminated for g_strjoinv. */
  g_autofree const gchar **name_list = g_new0 (const gchar *, n + 1);

  memcpy (name_list, names, n * sizeof *names);
  dmas_network_set_default_link (network, &defaults);
  for (guint i = 0; i < n_links; i++)
    {
      const DmasLinkSpec *spec = &g_array_index (config->network.links, DmasLinkSpec, i);
      g_autofree gchar *from_display = g_strdup_printf ("network.links[%u].from", i);
      g_autofree gchar *to_display = g_strdup_printf ("network.links[%u].to", i);
      DmasAgentId ends[2];

      if (!resolve_end (spec->from, spec->from_where, from_display, name_list, n, &ends[0],
                        error)
          || !resolve_end (spec->to, spec->to_where, to_display, name_list, n, &ends[1], error))
        return FALSE;

      const DmasLinkParams params = {
        .latency = spec->latency,
        .jitter = spec->jitter,
        .bandwidth = spec->bandwidth,
      };
      guint directions = spec->symmetric && ends[0] != ends[1] ? 2 : 1;
      for (guint d = 0; d < directions; d++)
        {
          DmasAgentId src = ends[d], dst = ends[1 - d];
          gpointer key = GUINT_TO_POINTER (src * n + dst);
          guint owner = GPOINTER_TO_UINT (g_hash_table_lookup (set_by, key));
          if (owner != 0)
            {
              g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                           "%snetwork.links[%u]: the link %u -> %u is already set by "
                           "network.links[%u]; give each direction once (symmetric: true, the "
                           "default, sets both)", spec->where, i, src, dst, owner - 1);
              return FALSE;
            }
          g_hash_table_insert (set_by, key, GUINT_TO_POINTER (i + 1));
          dmas_network_set_link (network, src, dst, &params);
        }
    }
  return TRUE;
}
