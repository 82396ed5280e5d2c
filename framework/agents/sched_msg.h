/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The host's own scheduling messages between agents: job announcements and completions. */
#ifndef DMAS_AGENTS_SCHED_MSG_H
#define DMAS_AGENTS_SCHED_MSG_H

#include <glib.h>

#include <dmas/job.h>

G_BEGIN_DECLS

/* Message types on the DMAS_NET_HOST channel. */
typedef enum {
  DMAS_SCHED_ANNOUNCE = 1, /* the home agent tells everyone about a new job */
  DMAS_SCHED_FINISH = 2    /* the agent that ran a job tells everyone it ended */
} DmasSchedMsgType;

/* Fixed little-endian layouts (dmas/wire.h), so that byte counts mean the same everywhere. */
#define DMAS_SCHED_ANNOUNCE_LEN 64u
#define DMAS_SCHED_FINISH_LEN 32u

typedef struct {
  DmasJobId job;
  DmasAgentId agent; /* who ran it */
  gboolean killed;   /* stopped at its walltime */
  DmasTime start, end;
} DmasSchedFinish;

void dmas_sched_encode_announce (const DmasJob *job, guint8 out[DMAS_SCHED_ANNOUNCE_LEN]);
/* Returns FALSE when `len` is not the announcement's size or a field is out of range. */
gboolean dmas_sched_decode_announce (const guint8 *body, gsize len, DmasJob *out);

void dmas_sched_encode_finish (const DmasSchedFinish *msg, guint8 out[DMAS_SCHED_FINISH_LEN]);
gboolean dmas_sched_decode_finish (const guint8 *body, gsize len, DmasSchedFinish *out);

G_END_DECLS

#endif /* DMAS_AGENTS_SCHED_MSG_H */
