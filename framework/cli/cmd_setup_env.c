/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas setup-env`: asks for an LLM provider's URL and key and writes them to .env (0600). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "cli/cli.h"

/* The variables of one provider (the names its plugin reads through api->secret). */
typedef struct {
  const gchar *provider;
  const gchar *url_var;       /* the endpoint */
  const gchar *url_default;   /* used when the answer is empty; NULL: required */
  const gchar *key_var;       /* NULL: no key */
  gboolean key_required;
  const gchar *model_hint;    /* what to put under llm.model */
} ProviderVars;

static const ProviderVars providers[] = {
  { "ollama", "OLLAMA_HOST", "http://127.0.0.1:11434", NULL, FALSE, "llama3.1:8b" },
  /* OpenAI-compatible servers (vLLM, llama.cpp) often need no key; the OpenAI API does. */
  { "openai", "OPENAI_BASE_URL", "https://api.openai.com", "OPENAI_API_KEY", FALSE,
    "the model name your endpoint serves" },
  { "sambastudio", "SAMBASTUDIO_URL", NULL, "SAMBASTUDIO_API_KEY", TRUE,
    "the model of your SambaStudio endpoint" },
};

typedef struct {
  gchar *provider;
  gchar *url;
  gchar *model;
  gchar *file;
} SetupOptions;

/* One line of stdin without its line end; NULL at end of input. */
static gchar *
read_line (void)
{
  GString *line = g_string_new (NULL);
  int c;
  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (line, (gchar) c);
  if (c == EOF && line->len == 0)
    {
      g_string_free (line, TRUE);
      return NULL;
    }
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (line, FALSE);
}

/* Asks `question` (on a terminal; input from a pipe is read silently) and returns the answer
 * trimmed, "" when it is empty or the input ended.  secret: the terminal does not echo what
 * is typed. */
static gchar *
ask (const gchar *question, gboolean secret)
{
  const gboolean tty = isatty (STDIN_FILENO);
  struct termios saved;
  gboolean echo_off = FALSE;

  if (tty)
    {
      fprintf (stderr, "%s", question);
      fflush (stderr);
      if (secret && tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          struct termios quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
  gchar *line = read_line ();
  if (echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fprintf (stderr, "\n");
    }
  return g_strstrip (line != NULL ? line : g_strdup (""));
}

/* The value as a .env line's right-hand side: bare when it is plain, else in single quotes
 * (the secrets reader strips one pair of quotes and interprets nothing inside). */
static gboolean
env_value (const gchar *name, const gchar *value, gchar **out, GError **error)
{
  if (strpbrk (value, "\n\r") != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: the value holds a line break; give it on one line", name);
      return FALSE;
    }
  if (value[0] != '\0' && strspn (value, G_CSET_A_2_Z G_CSET_a_2_z G_CSET_DIGITS
                                  "-_.:/@%+=,~") == strlen (value))
    *out = g_strdup (value);
  else if (strchr (value, '\'') == NULL)
    *out = g_strdup_printf ("'%s'", value);
  else if (strchr (value, '"') == NULL)
    *out = g_strdup_printf ("\"%s\"", value);
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: the value holds both kinds of quotes, which a .env line cannot hold",
                   name);
      return FALSE;
    }
  return TRUE;
}

/* The variable a .env line sets ("NAME=..." or "export NAME=..."), or NULL. */
static gchar *
line_variable (const gchar *line)
{
  const gchar *p = line;
  while (*p == ' ' || *p == '\t')
    p++;
  if (g_str_has_prefix (p, "export ") || g_str_has_prefix (p, "export\t"))
    for (p += 7; *p == ' ' || *p == '\t'; p++)
      ;
  const gchar *eq = strchr (p, '=');
  if (eq == NULL || eq == p || *p == '#')
    return NULL;
  g_autofree gchar *name = g_strstrip (g_strndup (p, (gsize) (eq - p)));
  return g_steal_pointer (&name);
}

/* Rewrites `path` with names[i]=values[i]: a line that set one of them is replaced in place
 * (later duplicates dropped), every other line is kept, new ones are appended.  The file is
 * written beside `path` with mode 0600 and renamed over it, so it is never readable by others,
 * not even for a moment, and never left half-written. */
static gboolean
write_env (const gchar *path, const gchar *const *names, const gchar *const *values,
           GError **error)
{
  g_autofree gchar *old = NULL;
  g_autoptr (GError) read_error = NULL;
  if (!g_file_get_contents (path, &old, NULL, &read_error)
      && !g_error_matches (read_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      return FALSE;
    }

  const guint n = g_strv_length ((gchar **) names);
  g_autofree gboolean *written = g_new0 (gboolean, n);
  GString *text = g_string_new (NULL);
  g_auto (GStrv) lines = g_strsplit (old != NULL ? old : "", "\n", -1);
  const guint n_lines = g_strv_length (lines);
  for (guint l = 0; l < n_lines; l++)
    {
      /* The empty string after a final newline is not a line. */
      if (l == n_lines - 1 && lines[l][0] == '\0')
        break;
      g_autofree gchar *name = line_variable (lines[l]);
      gint which = -1;
      for (guint i = 0; i < n && name != NULL; i++)
        if (strcmp (name, names[i]) == 0)
          which = (gint) i;
      if (which < 0)
        g_string_append_printf (text, "%s\n", lines[l]);
      else if (!written[which])
        {
          g_string_append_printf (text, "%s=%s\n", names[which], values[which]);
          written[which] = TRUE;
        }
    }
  for (guint i = 0; i < n; i++)
    if (!written[i])
      g_string_append_printf (text, "%s=%s\n", names[i], values[i]);

  g_autofree gchar *tmp = g_strconcat (path, ".XXXXXX", NULL);
  const int fd = g_mkstemp_full (tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  gboolean ok = fd >= 0;
  int saved_errno = errno;
  if (ok)
    {
      /* mkstemp already made it 0600; a umask cannot widen that, but say it anyway. */
      ok = fchmod (fd, 0600) == 0;
      gsize done = 0;
      while (ok && done < text->len)
        {
          const ssize_t w = write (fd, text->str + done, text->len - done);
          if (w < 0 && errno == EINTR)
            continue;
          ok = w > 0;
          if (ok)
            done += (gsize) w;
        }
      ok = ok && fsync (fd) == 0;
      saved_errno = errno;
      if (close (fd) != 0 && ok)
        {
          ok = FALSE;
          saved_errno = errno;
        }
      if (ok && g_rename (tmp, path) != 0)
        {
          ok = FALSE;
          saved_errno = errno;
        }
      if (!ok)
        g_unlink (tmp);
    }
  g_string_free (text, TRUE);
  if (!ok)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "writing %s: %s; choose another place with --file PATH", path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static int
setup_env (SetupOptions *o)
{
  g_autofree gchar *provider = o->provider != NULL
                                 ? g_strdup (o->provider)
                                 : ask ("Provider (ollama, openai, sambastudio) [ollama]: ",
                                        FALSE);
  if (provider[0] == '\0')
    {
      g_free (provider);
      provider = g_strdup ("ollama");
    }
  const ProviderVars *p = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (providers); i++)
    if (strcmp (provider, providers[i].provider) == 0)
      p = &providers[i];
  if (p == NULL)
    return dmas_cli_fail (DMAS_EXIT_USAGE, "setup-env: '%s' is not a provider with variables to set; give "
                 "--provider ollama, openai or sambastudio (simulated and replay need none)",
                 provider);

  g_autofree gchar *url = NULL;
  if (o->url != NULL)
    url = g_strdup (o->url);
  else
    {
      g_autofree gchar *question = p->url_default != NULL
                                     ? g_strdup_printf ("%s (%s) [%s]: ", p->url_var,
                                                        "the endpoint URL", p->url_default)
                                     : g_strdup_printf ("%s (the endpoint URL): ",
                                                        p->url_var);
      url = ask (question, FALSE);
    }
  g_autofree gchar *key = NULL;
  if (p->key_var != NULL)
    {
      g_autofree gchar *question = g_strdup_printf ("%s (not shown as you type)%s: ",
                                                    p->key_var,
                                                    p->key_required ? "" : " [none]");
      key = ask (question, TRUE);
    }

  if (url[0] == '\0' && p->url_default == NULL)
    return dmas_cli_fail (DMAS_EXIT_USAGE, "setup-env: %s is required: give --url URL (your endpoint's address)",
                 p->url_var);
  if (p->key_required && (key == NULL || key[0] == '\0'))
    return dmas_cli_fail (DMAS_EXIT_USAGE, "setup-env: %s is required: type it when asked (it is never shown)",
                 p->key_var);

  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  const gchar *given[2][2] = { { p->url_var, url }, { p->key_var, key } };
  for (guint i = 0; i < 2; i++)
    {
      /* An empty answer keeps the default: nothing to write. */
      if (given[i][0] == NULL || given[i][1] == NULL || given[i][1][0] == '\0')
        continue;
      gchar *value = NULL;
      if (!env_value (given[i][0], given[i][1], &value, &error))
        return dmas_cli_fail (DMAS_EXIT_USAGE, "setup-env: %s", error->message);
      g_ptr_array_add (names, (gpointer) given[i][0]);
      g_ptr_array_add (values, value);
    }
  g_ptr_array_add (names, NULL);
  g_ptr_array_add (values, NULL);

  const gchar *file = o->file != NULL ? o->file : ".env";
  if (names->len > 1
      && !write_env (file, (const gchar *const *) names->pdata,
                     (const gchar *const *) values->pdata, &error))
    return dmas_cli_fail (DMAS_EXIT_FAILURE, "setup-env: %s", error->message);

  if (names->len > 1)
    {
      printf ("Wrote");
      for (guint i = 0; i + 1 < names->len; i++)
        printf ("%s %s", i == 0 ? "" : ",", (const gchar *) g_ptr_array_index (names, i));
      printf (" to %s (mode 0600).\n", file);
    }
  else
    printf ("Nothing to write: %s keeps its default %s.\n", p->url_var, p->url_default);
  if (o->file != NULL)
    printf ("dmas reads ./.env (the working directory's) and ~/.env; the environment wins "
            "over both.\n");
  g_autofree gchar *model_note = o->model != NULL
                                   ? g_strdup ("")
                                   : g_strdup_printf ("   # \"\": the provider's default; "
                                                      "or %s", p->model_hint);
  printf ("\nPut this in your config:\n\n"
          "llm:\n"
          "  provider: %s\n"
          "  model: %s%s\n\n"
          "and try it with: dmas check CONFIG\n",
          p->provider, o->model != NULL ? o->model : "\"\"", model_note);
  return DMAS_EXIT_OK;
}

int
dmas_cmd_setup_env (int argc, char **argv)
{
  SetupOptions o = { 0 };
  const GOptionEntry entries[] = {
    { "provider", 0, 0, G_OPTION_ARG_STRING, &o.provider,
      "ollama, openai or sambastudio (asked when not given)", "P" },
    { "url", 0, 0, G_OPTION_ARG_STRING, &o.url, "the endpoint URL (asked when not given)",
      "U" },
    { "model", 0, 0, G_OPTION_ARG_STRING, &o.model, "the model, for the config printed at the end",
      "M" },
    { "file", 0, 0, G_OPTION_ARG_FILENAME, &o.file, "the file to write (default: ./.env)",
      "PATH" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Asks for an LLM provider, its URL and its key (never shown as "
                                "typed; read from\nstdin when it is not a terminal) and writes "
                                "them to .env with mode 0600,\nkeeping the file's other lines.  "
                                "Keys never go into a config file or the command line.");
  g_option_context_add_main_entries (context, entries, NULL);

  g_autoptr (GError) error = NULL;
  g_set_prgname ("dmas setup-env");
  int status;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    status = dmas_cli_fail (DMAS_EXIT_USAGE, "setup-env: %s (try 'dmas setup-env --help')", error->message);
  else if (argc > 1)
    status = dmas_cli_fail (DMAS_EXIT_USAGE, "setup-env: unexpected argument '%s' (try 'dmas setup-env --help')",
                   argv[1]);
  else
    status = setup_env (&o);
  g_free (o.provider);
  g_free (o.url);
  g_free (o.model);
  g_free (o.file);
  return status;
}
