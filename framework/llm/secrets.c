/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Provider secrets: the environment first, then ./.env, then ~/.env.  Values are never logged. */
#include <config.h>

#include <string.h>

#include "config/node.h"
#include "llm/service.h"

/* A .env file is small; a bigger one is a mistake (or not a .env). */
#define ENV_FILE_MAX_BYTES (1024 * 1024)

struct DmasLlmSecrets {
  /* name -> value and name -> the file it came from; only looked up, never iterated. */
  GHashTable *values;
  GHashTable *sources;
};

static gboolean
is_name (const gchar *s, gsize len)
{
  if (len == 0 || !(g_ascii_isalpha (s[0]) || s[0] == '_'))
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!(g_ascii_isalnum (s[i]) || s[i] == '_'))
      return FALSE;
  return TRUE;
}

/* The value part of a line (after '='): unquoted (trimmed, " #" starts a comment), 'single'
 * (literal) or "double" (with \" \\ \n \t escapes); after a closing quote only a comment may
 * follow.  Returns NULL when it does not parse. */
static gchar *
parse_value (const gchar *v)
{
  GString *out = g_string_new (NULL);
  const gchar *p = v;

  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '\'' || *p == '"')
    {
      gchar q = *p++;

      for (; *p != '\0' && *p != q; p++)
        {
          if (q == '"' && *p == '\\' && p[1] != '\0')
            {
              p++;
              g_string_append_c (out, *p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
              continue;
            }
          g_string_append_c (out, *p);
        }
      if (*p != q)
        goto bad;
      p++;
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p != '\0' && *p != '#')
        goto bad;
      return g_string_free (out, FALSE);
    }
  for (; *p != '\0'; p++)
    {
      if (*p == '#' && p > v && (p[-1] == ' ' || p[-1] == '\t'))
        break;
      g_string_append_c (out, *p);
    }
  while (out->len > 0 && (out->str[out->len - 1] == ' ' || out->str[out->len - 1] == '\t'))
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);

bad:
  g_string_free (out, TRUE);
  return NULL;
}

/* Reads one .env file into `secrets`; names already there (from an earlier file) are kept. */
static gboolean
load_file (DmasLlmSecrets *secrets, const gchar *path, GError **error)
{
  g_autofree gchar *text = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GHashTable) mine = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &text, &len, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (len > ENV_FILE_MAX_BYTES || memchr (text, '\0', len) != NULL)
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_LIMIT,
                   "%s: not a .env file (over 1 MiB, or binary)", path);
      return FALSE;
    }
  /* Within one file the last line of a name wins, as when a shell sources it. */
  mine = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      gchar *line = lines[i];
      gsize n = strlen (line);
      const gchar *eq, *name;
      gsize name_len;
      gchar *value;

      if (n > 0 && line[n - 1] == '\r')
        line[--n] = '\0';
      g_strstrip (line);
      if (line[0] == '\0' || line[0] == '#')
        continue;
      name = line;
      if (g_str_has_prefix (name, "export ") || g_str_has_prefix (name, "export\t"))
        for (name += 7; *name == ' ' || *name == '\t'; name++)
          ;
      eq = strchr (name, '=');
      name_len = eq != NULL ? (gsize) (eq - name) : 0;
      while (name_len > 0 && (name[name_len - 1] == ' ' || name[name_len - 1] == '\t'))
        name_len--;
      if (eq == NULL || !is_name (name, name_len) || (value = parse_value (eq + 1)) == NULL)
        {
          /* The line is not repeated: it may hold a key. */
          g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_SYNTAX,
                       "%s:%u: expected NAME=value (e.g. OPENAI_API_KEY=\"...\"; "
                       "'#' starts a comment)", path, i + 1);
          return FALSE;
        }
      g_hash_table_replace (mine, g_strndup (name, name_len), value);
    }
  {
    GHashTableIter it;
    gpointer k, v;

    /* Order does not matter here: each name is inserted at most once. */
    g_hash_table_iter_init (&it, mine);
    while (g_hash_table_iter_next (&it, &k, &v))
      if (!g_hash_table_contains (secrets->values, k))
        {
          g_hash_table_insert (secrets->values, g_strdup (k), g_strdup (v));
          g_hash_table_insert (secrets->sources, g_strdup (k), g_strdup (path));
        }
  }
  return TRUE;
}

DmasLlmSecrets *
dmas_llm_secrets_load (const gchar *project_dir, const gchar *home_dir, GError **error)
{
  g_autofree gchar *cwd = project_dir == NULL ? g_get_current_dir () : NULL;
  g_autofree gchar *project = g_build_filename (project_dir != NULL ? project_dir : cwd, ".env",
                                                NULL);
  g_autofree gchar *home = g_build_filename (home_dir != NULL ? home_dir : g_get_home_dir (),
                                             ".env", NULL);
  DmasLlmSecrets *secrets = g_new0 (DmasLlmSecrets, 1);

  secrets->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  secrets->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!load_file (secrets, project, error)
      || (strcmp (home, project) != 0 && !load_file (secrets, home, error)))
    {
      dmas_llm_secrets_free (secrets);
      return NULL;
    }
  return secrets;
}

const gchar *
dmas_llm_secrets_get (DmasLlmSecrets *secrets, const gchar *name)
{
  const gchar *env = g_getenv (name);

  if (env != NULL)
    return env;
  return g_hash_table_lookup (secrets->values, name);
}

const gchar *
dmas_llm_secrets_source (DmasLlmSecrets *secrets, const gchar *name)
{
  if (g_getenv (name) != NULL)
    return NULL;
  return g_hash_table_lookup (secrets->sources, name);
}

void
dmas_llm_secrets_free (DmasLlmSecrets *secrets)
{
  if (secrets == NULL)
    return;
  g_hash_table_unref (secrets->values);
  g_hash_table_unref (secrets->sources);
  g_free (secrets);
}
