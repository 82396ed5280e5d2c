/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Kinds of the world's engine events, as folded into the trace digest. */
#ifndef DMAS_WORLD_EVENTS_H
#define DMAS_WORLD_EVENTS_H

#include <glib.h>

G_BEGIN_DECLS

/* Values are part of the trace digest: renumbering them changes every digest, so new kinds
 * go at the end. */
typedef enum {
  DMAS_WEV_SUBMIT = 1,   /* a client submits a job to its home agent */
  DMAS_WEV_JOB_END = 2,  /* a job leaves its nodes */
  DMAS_WEV_DELIVER = 3,  /* the network delivers a message */
  DMAS_WEV_TIMER = 4,    /* a plugin's timer fires */
  DMAS_WEV_HEARTBEAT = 5, /* an agent's failure detector sends its heartbeats */
  DMAS_WEV_SUSPECT = 6,  /* an agent's failure detector checks its peers' timeouts */
  DMAS_WEV_CRASH = 7,    /* dmas_sim_schedule_crash(): an agent crashes */
  DMAS_WEV_RESTART = 8,  /* ... and restarts */
  DMAS_WEV_CLIENT = 9,   /* a client's acknowledgement timeout or retry */
  DMAS_WEV_CONTROLLER = 10 /* a centralized controller's timer (heartbeat, takeover, checks) */
} DmasWorldEvent;

G_END_DECLS

#endif /* DMAS_WORLD_EVENTS_H */
