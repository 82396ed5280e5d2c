/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The clients: every job is submitted through the network, acknowledged, and retried. */
#ifndef DMAS_AGENTS_CLIENT_H
#define DMAS_AGENTS_CLIENT_H

#include <glib.h>

#include <dmas/job.h>
#include "net/network.h"

G_BEGIN_DECLS

typedef struct DmasSim DmasSim;
typedef struct DmasAgent DmasAgent;
typedef struct DmasClients DmasClients;

/* Messages on the DMAS_NET_HOST channel (sched_msg.h numbers from 1, the detector and
 * recovery from 16, the clients from 32, the controller from 40).
 * SUBMIT: the job in the announcement layout (sched_msg.h), client -> agent or controller.
 * ACK: the job id (u64, little endian), back to the client. */
#define DMAS_SCHED_SUBMIT 32u
#define DMAS_SCHED_ACK 33u
#define DMAS_ACK_LEN 8u

/* The rules (config `clients`, all durations):
 *   - Job j's client sends attempt 0 at j's submit time t0: in distributed mode to j's home
 *     agent, in centralized mode to the controller the clients last heard an
 *     acknowledgement from (the primary at first).
 *   - The receiver acknowledges at once when it accepts the job, or already knew it (a
 *     duplicate submission is acknowledged and changes nothing).  An agent that is down, or a
 *     controller that is down or not in charge, receives nothing and says nothing.
 *   - Attempt k sent at s_k and not acknowledged by s_k + timeout: the client waits
 *     b_k = min(backoff · 2^k, backoff_max), then sends attempt k + 1 at
 *     s_k + timeout + b_k: to the next agent in id order (home + k + 1 mod n) in distributed
 *     mode, to the other controller (primary, backup, primary, ...) in centralized mode with
 *     a backup, to the same controller without.  Each such attempt counts one
 *     submission_retry.
 *   - A retry that would leave later than t0 + give_up is not sent: the client gives up, the
 *     job counts in submissions_given_up and stays lost (jobs_lost), with the reason in its
 *     record.  Nothing else ends a client's attempts: submissions are never silently lost.
 *   - An acknowledgement arriving at any time, for any attempt, ends the client's work. */

/* Clients for `sim`'s jobs; they send from network endpoint `endpoint` (after the agents).
 * Returns: (transfer full). */
DmasClients *dmas_clients_new (DmasSim *sim, DmasAgentId endpoint);
/* Cancels the clients' pending timers. */
void dmas_clients_free (DmasClients *clients);

/* The client of `job` submits it now (engine time = job->submit): attempt 0. */
void dmas_clients_submit (DmasClients *clients, const DmasJob *job);
/* A message for the clients' endpoint arrived (an ACK). */
void dmas_clients_deliver (DmasClients *clients, const DmasEnvelope *env, const guint8 *body);

/* The receiving side: sends the ACK of job `id` from `from` to the clients. */
void dmas_clients_ack (DmasSim *sim, DmasAgentId from, DmasJobId id);
/* Distributed mode: a SUBMIT arrived at `agent` (up) from the clients.  The agent
 * acknowledges; if it did not know the job yet it becomes the job's home (a retry makes the
 * agent that accepted it the home) and announces it (dmas_agent_submit). */
void dmas_clients_agent_receive (DmasAgent *agent, const guint8 *body, gsize len);

G_END_DECLS

#endif /* DMAS_AGENTS_CLIENT_H */
