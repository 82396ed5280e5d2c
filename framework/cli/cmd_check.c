/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas check`: verifies the installation, one line per check with how to fix a failure. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include <dmas/llm.h>

#include "agents/sim.h"
#include "campaign/campaign.h"
#include "cli/cli.h"
#include "config/node.h"
#include "llm/service.h"

typedef struct {
  gchar *plugin_path;
  gchar **sets;        /* --set KEY=VALUE, as for dmas run */
  gchar **args;
} CheckOptions;

typedef struct {
  guint failed;
} Checks;

/* One line: "ok   WHAT: DETAIL", or "FAIL WHAT: DETAIL; fix: FIX". */
static void
report (Checks *c, gboolean ok, const gchar *what, const gchar *fix, const gchar *fmt, ...)
  G_GNUC_PRINTF (5, 6);

static void
report (Checks *c, gboolean ok, const gchar *what, const gchar *fix, const gchar *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree gchar *detail = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  /* A multi-line detail (a registry error listing failures) stays one line per check. */
  g_strdelimit (detail, "\n", ' ');
  if (ok)
    printf ("ok   %s: %s\n", what, detail);
  else
    {
      c->failed++;
      printf ("FAIL %s: %s%s%s\n", what, detail, fix != NULL ? "; fix: " : "",
              fix != NULL ? fix : "");
    }
}

/* ---- plugins ---- */

static void
check_plugins (Checks *c, const gchar *plugin_path)
{
  g_auto (GStrv) dirs = dmas_plugin_search_path (plugin_path, NULL);
  g_autoptr (DmasRegistry) registry = dmas_registry_new ();
  g_autoptr (GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  const guint files = dmas_registry_scan (registry, (const gchar *const *) dirs, failures);

  for (guint i = 0; i < failures->len; i++)
    report (c, FALSE, "plugin", "rebuild the plugin against this dmas ('make'), or remove it "
            "from the plugin path", "%s", (const gchar *) g_ptr_array_index (failures, i));

  g_autoptr (GPtrArray) list = dmas_registry_list (registry);
  guint per_kind[DMAS_KIND_LLM + 1] = { 0 };
  for (guint i = 0; i < list->len; i++)
    {
      const DmasComponentInfo *info = g_ptr_array_index (list, i);
      if ((guint) info->kind <= DMAS_KIND_LLM)
        per_kind[info->kind]++;
    }
  g_autofree gchar *path = g_strjoinv (":", dirs);
  GString *kinds = g_string_new (NULL);
  gboolean all_kinds = TRUE;
  for (guint k = DMAS_KIND_BIDDING; k <= DMAS_KIND_LLM; k++)
    {
      g_string_append_printf (kinds, "%s%s %u", k == DMAS_KIND_BIDDING ? "" : ", ",
                              dmas_kind_to_string ((DmasKind) k), per_kind[k]);
      all_kinds = all_kinds && per_kind[k] > 0;
    }
  g_autofree gchar *kind_text = g_string_free (kinds, FALSE);
  report (c, all_kinds, "plugins", "build them ('make'), install them ('make install'), or "
          "point DMAS_PLUGIN_PATH or --plugin-path at their directory",
          "%u components (%s) in %u plugin files, search path %s", list->len, kind_text, files,
          path);
}

/* ---- config ---- */

/* The shipped quickstart: beside the sources when dmas runs from its build tree. */
static gchar *
default_config (void)
{
  return dmas_configs_path ("quickstart.yaml");
}

/* Loads and resolves `path` (a run or a campaign).  On success, *config_out and
 * *registry_out are the single run's, or the campaign's first run's (owned by *campaign_out). */
static gboolean
check_config (Checks *c, const gchar *path, const gchar *const *sets, const gchar *plugin_path,
              DmasCampaign **campaign_out, DmasConfig **config_out,
              DmasRegistry **registry_out, const DmasConfig **use_config,
              DmasRegistry **use_registry)
{
  g_autoptr (GError) error = NULL;
  const gchar *fix = "edit the file as the message says; 'dmas config FILE' shows every key "
                     "with its default";
  g_autoptr (DmasNode) root = dmas_campaign_load_raw (path, sets, &error);
  if (root == NULL)
    {
      report (c, FALSE, "config", fix, "%s", error->message);
      return FALSE;
    }
  if (dmas_campaign_is_campaign (root))
    {
      DmasCampaign *campaign = dmas_campaign_new (g_steal_pointer (&root), path, plugin_path,
                                                  &error);
      if (campaign == NULL)
        {
          report (c, FALSE, "config", fix, "%s", error->message);
          return FALSE;
        }
      *campaign_out = campaign;
      const DmasCampaignRun *first = g_ptr_array_index (campaign->runs, 0);
      *use_config = first->config;
      *use_registry = campaign->registry;
      report (c, TRUE, "config", NULL, "%s is valid: a campaign of %u runs", path,
              campaign->runs->len);
      return TRUE;
    }
  if (!dmas_cli_setup (path, sets, plugin_path, config_out, registry_out, &error))
    {
      report (c, FALSE, "config", fix, "%s", error->message);
      return FALSE;
    }
  *use_config = *config_out;
  *use_registry = *registry_out;
  report (c, TRUE, "config", NULL, "%s is valid: one run", path);
  return TRUE;
}

/* ---- gnuplot ---- */

static void
check_gnuplot (Checks *c)
{
  /* The same rule as the report's plots (report/plots.c). */
  const gchar *env = g_getenv ("DMAS_GNUPLOT");
  if (env != NULL && env[0] == '\0')
    {
      report (c, TRUE, "gnuplot", NULL, "plot rendering switched off (DMAS_GNUPLOT=\"\")");
      return;
    }
  g_autofree gchar *found = g_find_program_in_path (env != NULL ? env : "gnuplot");
  if (found != NULL)
    report (c, TRUE, "gnuplot", NULL, "%s", found);
  else if (env != NULL)
    report (c, FALSE, "gnuplot", "point DMAS_GNUPLOT at gnuplot, or unset it",
            "DMAS_GNUPLOT=%s: no such program", env);
  else
    report (c, FALSE, "gnuplot", "install gnuplot (e.g. 'apt install gnuplot-nox'); without it "
            "reports keep their plots as scripts", "not found on PATH");
}

/* ---- llm ---- */

/* The variables a shipped online provider reads (api->secret), and whether it needs them. */
typedef struct {
  const gchar *provider;
  const gchar *name;
  gboolean required;
  const gchar *url_param;     /* a component parameter that replaces the variable, or NULL */
  const gchar *absent;        /* what happens without it */
} ProviderVar;

static const ProviderVar provider_vars[] = {
  { "ollama", "OLLAMA_HOST", FALSE, "url", "the default http://127.0.0.1:11434 is used" },
  { "openai", "OPENAI_BASE_URL", FALSE, "url", "the default https://api.openai.com is used" },
  { "openai", "OPENAI_API_KEY", TRUE, NULL, NULL },
  { "sambastudio", "SAMBASTUDIO_URL", TRUE, "url", NULL },
  { "sambastudio", "SAMBASTUDIO_API_KEY", TRUE, NULL, NULL },
};

/* A resolved parameter of the provider, as text ("" when unset or not declared). */
static const gchar *
provider_param (const DmasNode *params, const gchar *name)
{
  const DmasNode *value = params != NULL ? dmas_node_get (params, name) : NULL;
  return value != NULL && value->kind == DMAS_NODE_SCALAR && value->scalar != NULL
           ? value->scalar
           : "";
}

/* Says whether each variable is set and where it was found -- never its value. */
static void
check_variables (Checks *c, const gchar *provider, const DmasNode *params)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasLlmSecrets) secrets = dmas_llm_secrets_load (NULL, NULL, &error);
  if (secrets == NULL)
    {
      report (c, FALSE, "llm variables", "correct or remove that line (NAME=value)", "%s",
              error->message);
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (provider_vars); i++)
    {
      const ProviderVar *v = &provider_vars[i];
      if (strcmp (v->provider, provider) != 0)
        continue;
      /* openai's key_env names the variable that holds its key (SAMBANOVA_API_KEY, ...). */
      const gchar *name = v->name;
      if (strcmp (name, "OPENAI_API_KEY") == 0 && provider_param (params, "key_env")[0] != '\0')
        name = provider_param (params, "key_env");
      const gchar *value = dmas_llm_secrets_get (secrets, name);
      if (value != NULL && value[0] != '\0')
        {
          const gchar *file = dmas_llm_secrets_source (secrets, name);
          report (c, TRUE, name, NULL, "set (in %s)", file != NULL ? file : "the environment");
          continue;
        }
      g_autofree gchar *fix = g_strdup_printf ("run 'dmas setup-env --provider %s', or "
                                               "'export %s=...' in your shell", provider, name);
      if (v->url_param != NULL && provider_param (params, v->url_param)[0] != '\0')
        report (c, TRUE, name, NULL, "not set; params llm/%s %s is used", provider,
                v->url_param);
      else if (v->required)
        report (c, FALSE, name, fix, "not set (neither in the environment nor in ./.env or "
                "~/.env)");
      else
        report (c, TRUE, name, NULL, "not set: %s", v->absent);
    }
}

static void
check_llm (Checks *c, const DmasConfig *config, DmasRegistry *registry)
{
  g_autoptr (GError) error = NULL;
  DmasLlmSettings settings = { 0 };
  if (!dmas_llm_settings_from_config (config, &settings, &error))
    {
      report (c, FALSE, "llm", "correct the config's llm: section", "%s", error->message);
      return;
    }
  g_autoptr (DmasNode) params = NULL;
  const DmasComponentInfo *info = dmas_registry_resolve (registry, config, DMAS_KIND_LLM,
                                                         settings.provider, &params, &error);
  if (info == NULL)
    {
      report (c, FALSE, "llm", "set llm.provider to one of the llm components 'dmas plugins' "
              "lists", "%s", error->message);
      dmas_llm_settings_clear (&settings);
      return;
    }
  const DmasLlmOps *ops = info->ops;
  if (ops->http_build == NULL)
    {
      report (c, TRUE, "llm", NULL, "provider %s answers offline: nothing to reach",
              info->name);
      dmas_llm_settings_clear (&settings);
      return;
    }

  check_variables (c, info->name, params);
  /* The run's own service probes the endpoint: the same provider instance, parameters,
   * secrets and timeouts a run would use. */
  g_autoptr (DmasSim) sim = dmas_sim_new (config, registry, &error);
  DmasLlmService *service = sim != NULL ? dmas_sim_llm (sim) : NULL;
  const gchar *model = settings.model[0] != '\0' ? settings.model : "the provider's default";
  if (sim == NULL)
    report (c, FALSE, "llm endpoint", "set the provider's variables as said above, or correct "
            "its params", "%s", error->message);
  else if (service == NULL)
    report (c, TRUE, "llm endpoint", NULL, "not checked: this run sets up no LLM service "
            "(scheduling.bidding is %s)", config->scheduling.bidding);
  else if (!dmas_llm_service_probe (service, &error))
    report (c, FALSE, "llm endpoint", "start the server, correct the URL, or fetch the model "
            "as the message says", "%s", error->message);
  else
    report (c, TRUE, "llm endpoint", NULL, "provider %s answers and serves %s", info->name,
            model);
  dmas_llm_settings_clear (&settings);
}

static int
check (CheckOptions *o)
{
  if (o->args != NULL && o->args[0] != NULL && o->args[1] != NULL)
    {
      fprintf (stderr, "dmas: check: one CONFIG only, got also '%s'\n", o->args[1]);
      return DMAS_EXIT_USAGE;
    }
  g_autofree gchar *path = o->args != NULL && o->args[0] != NULL ? g_strdup (o->args[0])
                                                                   : default_config ();
  Checks c = { 0 };
  check_plugins (&c, o->plugin_path);

  g_autoptr (DmasCampaign) campaign = NULL;
  g_autoptr (DmasConfig) config = NULL;
  g_autoptr (DmasRegistry) registry = NULL;
  const DmasConfig *use_config = NULL;
  DmasRegistry *use_registry = NULL;
  const gboolean config_ok = check_config (&c, path, (const gchar *const *) o->sets,
                                           o->plugin_path, &campaign, &config,
                                           &registry, &use_config, &use_registry);
  check_gnuplot (&c);
  if (config_ok)
    check_llm (&c, use_config, use_registry);
  else
    report (&c, FALSE, "llm", "fix the config first", "not checked: the config did not load");

  if (c.failed > 0)
    printf ("%u check(s) failed.\n", c.failed);
  else
    printf ("All checks passed.\n");
  return c.failed > 0 ? DMAS_EXIT_FAILURE : DMAS_EXIT_OK;
}

int
dmas_cmd_check (int argc, char **argv)
{
  CheckOptions o = { 0 };
  const GOptionEntry entries[] = {
    { "plugin-path", 0, 0, G_OPTION_ARG_STRING, &o.plugin_path,
      "colon-separated plugin directories, searched first", "DIRS" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.sets,
      "override a config key, e.g. --set llm.provider=ollama (repeatable)", "KEY=VALUE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.args, NULL, NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("[CONFIG]");
  g_option_context_set_summary (context,
                                "Verifies the installation: the plugins load, CONFIG (default: "
                                "the quickstart) is valid,\ngnuplot is there, and for an online "
                                "llm.provider its variables are set and its\nendpoint answers "
                                "with the model.  One line per check; exit status 0 when all "
                                "pass.");
  g_option_context_add_main_entries (context, entries, NULL);

  g_autoptr (GError) error = NULL;
  g_set_prgname ("dmas check");
  int status;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "dmas: check: %s (try 'dmas check --help')\n", error->message);
      status = DMAS_EXIT_USAGE;
    }
  else
    status = check (&o);
  g_free (o.plugin_path);
  g_strfreev (o.sets);
  g_strfreev (o.args);
  return status;
}
