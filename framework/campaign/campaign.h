/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A campaign: a config with `sweep:` and/or `repetitions:`, expanded into runs with seeds. */
#ifndef DMAS_CAMPAIGN_H
#define DMAS_CAMPAIGN_H

#include <glib.h>

#include "config/config.h"
#include "config/node.h"
#include "plugin/registry.h"

G_BEGIN_DECLS

/* One sweep dimension: a dotted config key (or "variants") and its values in file order. */
typedef struct {
  gchar *key;
  GPtrArray *labels;        /* gchar* */
  GPtrArray *values;        /* DmasNode* (owned), parallel to labels; for "variants" each
                             * value is a MAP of dotted key -> value (name and repetitions
                             * removed) */
  GArray *repetitions;      /* variants only: guint per label, 0 = the campaign's */
  DmasNode *where;          /* (owned) copy of the key's node, for error positions */
} DmasCampaignAxis;

typedef struct {
  guint index;
  gchar *id;                /* "003-raft+crash" */
  guint *labels;            /* one index per axis */
  gchar *label;             /* "raft, crash" */
  guint repetitions;
  gchar *canonical;         /* "key=<flow yaml>, ..." : what the run seeds hash */
} DmasCampaignPoint;

typedef struct {
  gchar *id;                /* "003-raft+crash-r2" */
  guint point;
  guint rep;                /* 1-based */
  guint64 seed, world_seed;
  DmasConfig *config;       /* (owned) resolved, plugin parameters filled */
  gchar *yaml;              /* config.resolved.yaml's text */
  gchar *config_hash;       /* sha256 hex of yaml */
} DmasCampaignRun;

typedef struct {
  gchar *kind, *name, *version, *file, *sha256;
} DmasCampaignPlugin;

typedef struct {
  gchar *source;            /* the file as given */
  gchar *name;
  guint64 master_seed;
  guint repetitions;
  gboolean paired;
  gint compare;             /* axis index, or -1 for no comparison */
  GPtrArray *axes;          /* DmasCampaignAxis* */
  GPtrArray *points;        /* DmasCampaignPoint* */
  GPtrArray *runs;          /* DmasCampaignRun*, by point then rep */
  GPtrArray *plugins;       /* DmasCampaignPlugin*, sorted by kind then name */
  DmasConfig *base;         /* the file without its campaign keys, resolved */
  DmasNode *keys;           /* the campaign keys as written (after --set), for printing */
  DmasRegistry *registry;   /* scanned once; every run's components come from it */
  gchar *hash;              /* campaign_hash */
} DmasCampaign;

/* Parses `path` and applies the --set assignments (NULL-terminated, nullable) to the raw tree,
 * so that --set repetitions=3 can turn a file into a campaign.
 * Returns: (transfer full) the tree, or NULL with a file:line:column error. */
DmasNode *dmas_campaign_load_raw (const gchar *path, const gchar *const *sets, GError **error);
/* TRUE when the raw tree has `sweep:` or `repetitions:`. */
gboolean dmas_campaign_is_campaign (const DmasNode *root);

/* Expands the raw tree `root` (transfer full) into its runs: validates the campaign keys,
 * resolves every run's config and components (one registry scan of the search path with
 * `plugin_path` first), computes seeds, ids, hashes.  Nothing is written.
 * Returns: (transfer full) or NULL with an error naming the file and position. */
DmasCampaign *dmas_campaign_new (DmasNode *root, const gchar *source, const gchar *plugin_path,
                                 GError **error);
void dmas_campaign_free (DmasCampaign *campaign);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasCampaign, dmas_campaign_free)

/* Returns: (transfer full) campaign.json's text (format.md). */
gchar *dmas_campaign_to_json (const DmasCampaign *campaign);
/* Returns: (transfer full) the base config resolved with the campaign keys appended. */
gchar *dmas_campaign_to_yaml (const DmasCampaign *campaign);

/* Writes campaign.json, config.resolved.yaml and every runs/ID/config.resolved.yaml into
 * `dir` (created), each atomically.  Returns FALSE with error set. */
gboolean dmas_campaign_write_plan (const DmasCampaign *campaign, const gchar *dir,
                                   GError **error);

/* For --resume: checks that `dir` holds this very campaign (same campaign_hash).  When it
 * does not, the error says why: a run added or removed, a run's config changed (its first
 * differing line), a plugin's version or file changed, or the plan otherwise changed. */
gboolean dmas_campaign_check_resume (const DmasCampaign *campaign, const gchar *dir,
                                     GError **error);
/* TRUE when runs/ID under `dir` holds a finished result of this run: summary.json with status
 * complete, horizon or deadlock, and a config.resolved.yaml whose hash is the run's. */
gboolean dmas_campaign_run_finished (const DmasCampaignRun *run, const gchar *dir);

/* ---- running ---- */

typedef enum {
  DMAS_PROGRESS_NONE,
  DMAS_PROGRESS_BAR,
  DMAS_PROGRESS_JSONL
} DmasProgressMode;

typedef struct {
  guint jobs;               /* parallel workers (>= 1) */
  DmasProgressMode progress;
  gboolean resume;          /* skip runs already finished in dir */
} DmasCampaignOptions;

typedef struct {
  guint total;              /* runs of the plan */
  guint skipped;            /* already finished (resume) */
  guint finished;           /* finished now or before (summary.json present) */
  guint failed;             /* crashed or failed: failure.json written */
  gboolean interrupted;     /* SIGINT or SIGTERM: the rest was not run */
} DmasCampaignOutcome;

/* Runs every run not yet finished in `dir` (whose plan must have been written) in forked
 * workers, at most options->jobs at once; a worker that dies or fails gets a failure.json
 * and a line on stderr, and the campaign goes on.  SIGINT/SIGTERM stop it: no new run starts,
 * running workers get SIGTERM.  Progress goes to stderr.
 * Returns: FALSE with error set only when the parent itself cannot go on (fork fails...). */
gboolean dmas_campaign_execute (DmasCampaign *campaign, const gchar *dir,
                                const DmasCampaignOptions *options,
                                DmasCampaignOutcome *outcome, GError **error);

G_END_DECLS

#endif /* DMAS_CAMPAIGN_H */
