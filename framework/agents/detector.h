/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The failure detector: every live agent heartbeats to all; a silent peer is suspected. */
#ifndef DMAS_AGENTS_DETECTOR_H
#define DMAS_AGENTS_DETECTOR_H

#include <glib.h>

#include <dmas/types.h>

G_BEGIN_DECLS

typedef struct DmasSim DmasSim;
typedef struct DmasDetector DmasDetector;

/* A heartbeat on the DMAS_NET_HOST channel (sched_msg.h numbers the scheduling messages from
 * 1; the detector and recovery take 16 and up).  Body, little endian: the sender's
 * incarnation (u32), 4 reserved zero bytes, and when that incarnation began (u64 ns: 0, or
 * the restart time; a real agent would send its boot time). */
#define DMAS_SCHED_HEARTBEAT 16u
#define DMAS_HEARTBEAT_LEN 16u

/* The rules, per agent A and peer P (A != P), all in A's own view:
 *   - A, while up, sends a heartbeat to every other agent at its start (time 0, or its
 *     restart) and every `period` after; each is host traffic counted as heartbeat_msgs.
 *   - A hears from P when a heartbeat of P arrives (other messages do not count).
 *   - A suspects P at last-heard(P) + timeout, when nothing newer arrived; a heartbeat that
 *     arrives at that very instant is in time (deliveries run before timers).  At time 0 and
 *     at A's restart every peer counts as just heard.
 *   - A unsuspects P when it hears from P again.
 *   - A heartbeat carries the sender's incarnation (restarts so far) and when it began.  A
 *     higher incarnation than A knew means P crashed and came back, even if A never
 *     suspected it.
 * Each change calls the consensus instance's agent_status op (when it has one) and then the
 * recovery (agents/recovery.h).
 *
 * The detector runs while the run has work: it stops for good (pending heartbeats and
 * checks cancelled, heartbeats still in flight ignored) when every job that will be submitted
 * is settled, or when nothing but the detector has happened or been pending for
 * 2 x (timeout + period): then nothing can change any more and the run may end (with a
 * deadlock diagnosis if jobs are stuck). */

/* A detector for `sim`'s agents.  enabled FALSE: no heartbeat at all, nobody is ever
 * suspected.  Returns: (transfer full). */
DmasDetector *dmas_detector_new (DmasSim *sim, gboolean enabled, DmasTime period,
                                 DmasTime timeout);
/* Cancels whatever is still pending. */
void dmas_detector_free (DmasDetector *detector);

/* At time 0 (the run's first submission is already scheduled, so it goes first): every agent
 * that is up heartbeats now.  Does nothing when the run has no job to submit. */
void dmas_detector_start (DmasDetector *detector);
/* The agent crashed: its heartbeats and checks stop, its view is forgotten. */
void dmas_detector_agent_down (DmasDetector *detector, DmasAgentId agent);
/* The agent restarted: a fresh view (every peer just heard, nobody suspected, incarnations
 * unknown); it heartbeats now. */
void dmas_detector_agent_up (DmasDetector *detector, DmasAgentId agent);

/* A heartbeat arrived for `to` (call it whether `to` is up or not: in-flight heartbeats are
 * counted to know when only the detector is left).  Acts on it only when `to` is up. */
void dmas_detector_deliver (DmasDetector *detector, DmasAgentId to, DmasAgentId from,
                            const guint8 *body, gsize len, gboolean to_is_up);

/* Every job is settled and no submission is left: stop now. */
void dmas_detector_stop (DmasDetector *detector);

/* In `agent`'s view. */
gboolean dmas_detector_suspects (const DmasDetector *detector, DmasAgentId agent,
                                 DmasAgentId peer);
/* `peer`'s incarnation as `agent` knows it, or DMAS_INCARNATION_UNKNOWN. */
guint32 dmas_detector_incarnation (const DmasDetector *detector, DmasAgentId agent,
                                   DmasAgentId peer);
/* When `peer`'s current incarnation began, as `agent` knows it (0 for the first one), or
 * DMAS_TIME_NONE while `agent` has not heard from it since its own restart. */
DmasTime dmas_detector_up_since (const DmasDetector *detector, DmasAgentId agent,
                                 DmasAgentId peer);

G_END_DECLS

#endif /* DMAS_AGENTS_DETECTOR_H */
