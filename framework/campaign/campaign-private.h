/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between the campaign's files: the passes that build a DmasCampaign. */
#ifndef DMAS_CAMPAIGN_PRIVATE_H
#define DMAS_CAMPAIGN_PRIVATE_H

#include "campaign/campaign.h"

G_BEGIN_DECLS

/* sweep.c: reads and removes the campaign keys (sweep, repetitions, compare, paired) of
 * `root`, filling campaign->axes, repetitions, compare, paired and keys.  Errors carry the
 * file:line:column of the offending node. */
gboolean dmas_campaign_parse_keys (DmasCampaign *campaign, DmasNode *root, GError **error);

/* Sets root[dotted path] = value (taking it), creating the maps on the way. */
void dmas_campaign_set_path (DmasNode *root, const gchar *path, DmasNode *value);

/* Flow YAML of a node on one line ("[a, {b: c}]"): what run seeds hash.
 * Returns: (transfer full). */
gchar *dmas_campaign_flow_yaml (const DmasNode *node);

/* plan-json.c: sets campaign->hash from the plan and the plugin list. */
void dmas_campaign_compute_hash (DmasCampaign *campaign);

/* sha256 hex of a string.  Returns: (transfer full). */
gchar *dmas_campaign_sha256 (const gchar *text);

/* The "status" member of a summary.json, or NULL when it cannot be read.
 * Returns: (transfer full) (nullable). */
gchar *dmas_campaign_summary_status (const gchar *path);

void dmas_campaign_axis_free (DmasCampaignAxis *axis);

G_END_DECLS

#endif /* DMAS_CAMPAIGN_PRIVATE_H */
