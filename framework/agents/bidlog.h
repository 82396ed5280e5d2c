/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bids every agent placed, per slot: what the safety checker's validity test reads. */
#ifndef DMAS_AGENTS_BIDLOG_H
#define DMAS_AGENTS_BIDLOG_H

#include <glib.h>

#include <dmas/types.h>

G_BEGIN_DECLS

/* The host computes every agent's own bid (the bidder's score, checked) before proposing it,
 * so it knows them all; a decision's winner is valid only if it placed that bid. */
typedef struct DmasBidLog DmasBidLog;

/* For jobs 1 .. n_jobs and agents 0 .. n_agents-1.  Returns: (transfer full). */
DmasBidLog *dmas_bidlog_new (guint n_jobs, guint n_agents);
void dmas_bidlog_free (DmasBidLog *log);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasBidLog, dmas_bidlog_free)

/* `agent` proposed `score` for slot (job, epoch).  Every bid is kept: an agent restarted
 * within a slot may bid again, and a decision may carry either bid. */
void dmas_bidlog_record (DmasBidLog *log, DmasJobId job, guint32 epoch, DmasAgentId agent,
                         gdouble score);
/* TRUE when `agent` proposed exactly `score`, and it is above 0, for slot (job, epoch). */
gboolean dmas_bidlog_placed (const DmasBidLog *log, DmasJobId job, guint32 epoch,
                             DmasAgentId agent, gdouble score);

G_END_DECLS

#endif /* DMAS_AGENTS_BIDLOG_H */
