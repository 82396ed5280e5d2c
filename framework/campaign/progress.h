/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Campaign progress on stderr: a redrawn bar, or one JSON line per finished run. */
#ifndef DMAS_CAMPAIGN_PROGRESS_H
#define DMAS_CAMPAIGN_PROGRESS_H

#include <glib.h>

#include "campaign/campaign.h"

G_BEGIN_DECLS

typedef struct {
  DmasProgressMode mode;
  guint total;
  guint done;               /* finished runs, those of earlier sessions included */
  guint done_before;        /* finished before this session (not used for the ETA) */
  guint failed;
  gint64 start_us;          /* monotonic */
  gboolean drawn;           /* a bar is on the line: clear it before other output */
} DmasProgress;

void dmas_progress_init (DmasProgress *p, DmasProgressMode mode, guint total, guint done);
/* A run ended with `status` (complete, horizon, deadlock, interrupted, crashed, failed). */
void dmas_progress_run_done (DmasProgress *p, const gchar *id, const gchar *status,
                             gboolean failed);
/* Redraws the bar (elapsed time moves); nothing in the other modes. */
void dmas_progress_tick (DmasProgress *p);
/* Prints one line on stderr without mangling the bar. */
void dmas_progress_message (DmasProgress *p, const gchar *line);
/* Ends the bar's line. */
void dmas_progress_end (DmasProgress *p);

G_END_DECLS

#endif /* DMAS_CAMPAIGN_PROGRESS_H */
