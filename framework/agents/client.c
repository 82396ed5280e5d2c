/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The clients that submit jobs through the network: timeouts, retries with backoff, give-ups. */
#include "config.h"

#include <dmas/wire.h>

#include "agents/central.h"
#include "agents/client.h"
#include "agents/sched_msg.h"
#include "agents/sim-private.h"
#include "world/events.h"

/* One job's client.  The struct is the data of the client's engine events, hence the back
 * pointer and the id. */
typedef struct {
  DmasClients *clients;
  DmasJobId id;
  DmasEventId event;   /* the pending timeout or retry; 0 when none */
  guint32 attempts;    /* attempts sent so far */
  DmasAgentId home;    /* distributed: the home agent of the workload (attempt 0's target) */
  DmasAgentId target;  /* where the latest attempt went */
  gboolean acked;
} ClientJob;

struct DmasClients {
  DmasSim *sim;
  DmasAgentId endpoint;
  ClientJob *jobs;        /* index = job id - 1 */
  DmasAgentId last_good;  /* centralized: the controller that acknowledged last */
};

DmasClients *
dmas_clients_new (DmasSim *sim, DmasAgentId endpoint)
{
  DmasClients *clients = g_new0 (DmasClients, 1);
  const guint n = sim->workload->n_jobs;
  clients->sim = sim;
  clients->endpoint = endpoint;
  clients->jobs = g_new0 (ClientJob, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      clients->jobs[i].clients = clients;
      clients->jobs[i].id = (DmasJobId) i + 1;
      clients->jobs[i].target = DMAS_AGENT_NONE;
    }
  clients->last_good = sim->central != NULL ? dmas_central_endpoint (sim->central, 0)
                                            : DMAS_AGENT_NONE;
  return clients;
}

void
dmas_clients_free (DmasClients *clients)
{
  if (clients == NULL)
    return;
  /* Events carry their ClientJob without a free function: cancelling is enough. */
  for (guint i = 0; i < clients->sim->workload->n_jobs; i++)
    if (clients->jobs[i].event != 0)
      dmas_engine_cancel (clients->sim->engine, clients->jobs[i].event);
  g_free (clients->jobs);
  g_free (clients);
}

/* Where attempt `cj->attempts` goes. */
static DmasAgentId
next_target (const DmasClients *clients, const ClientJob *cj)
{
  DmasSim *sim = clients->sim;
  if (sim->central == NULL)
    /* The home of the workload, then every next agent in id order.  (job->home itself
     * becomes whichever agent accepts the job.) */
    return (DmasAgentId) ((cj->home + cj->attempts) % sim->n_agents);
  if (cj->attempts == 0)
    return clients->last_good;
  const guint n = dmas_central_n_replicas (sim->central);
  const guint at = dmas_central_replica_of (sim->central, cj->target);
  return dmas_central_endpoint (sim->central, (at + 1) % n);
}

static void on_timeout (DmasEngine *engine, gpointer data);

static void
send_attempt (ClientJob *cj)
{
  DmasClients *clients = cj->clients;
  DmasSim *sim = clients->sim;
  const DmasJob *job = &sim->workload->jobs[cj->id - 1];
  const DmasTime now = dmas_engine_now (sim->engine);

  cj->target = next_target (clients, cj);
  if (cj->attempts > 0)
    {
      sim->metrics->submission_retries++;
      dmas_sim_log (sim, DMAS_AGENT_NONE, "client of job %" G_GUINT64_FORMAT ": attempt %u to "
                    "%u", cj->id, cj->attempts + 1, cj->target);
    }
  cj->attempts++;
  guint8 body[DMAS_SCHED_ANNOUNCE_LEN];
  dmas_sched_encode_announce (job, body);
  dmas_network_send (sim->network, clients->endpoint, cj->target, DMAS_NET_HOST,
                     DMAS_SCHED_SUBMIT, body, sizeof body);
  const DmasTime timeout = sim->config->clients.timeout;
  cj->event = timeout == 0 ? 0
                           : dmas_engine_schedule (sim->engine, now + timeout, DMAS_EV_TIMER,
                                                   DMAS_WEV_CLIENT, clients->endpoint,
                                                   on_timeout, cj, NULL);
}

static void
on_retry (DmasEngine *engine, gpointer data)
{
  ClientJob *cj = data;
  (void) engine;
  cj->event = 0;
  send_attempt (cj);
}

/* min(backoff · 2^k, backoff_max), without overflowing for large k. */
static DmasTime
backoff_after (const DmasConfig *config, guint32 k)
{
  DmasTime wait = config->clients.backoff;
  for (guint32 i = 0; i < k && wait < config->clients.backoff_max; i++)
    wait = wait > G_MAXUINT64 / 2 ? G_MAXUINT64 : wait * 2;
  return MIN (wait, config->clients.backoff_max);
}

static void
on_timeout (DmasEngine *engine, gpointer data)
{
  ClientJob *cj = data;
  DmasClients *clients = cj->clients;
  DmasSim *sim = clients->sim;
  const DmasConfig *config = sim->config;
  const DmasJob *job = &sim->workload->jobs[cj->id - 1];
  const DmasTime now = dmas_engine_now (engine);
  cj->event = 0;

  const DmasTime at = now + backoff_after (config, cj->attempts - 1);
  if (config->clients.give_up > 0 && at > job->submit + config->clients.give_up)
    {
      sim->metrics->submissions_given_up++;
      g_autofree gchar *reason = g_strdup_printf ("its client gave up after %u unacknowledged "
                                                  "submission(s)", cj->attempts);
      dmas_recovery_give_up (sim, cj->id, reason);
      return;
    }
  if (at == now)
    send_attempt (cj);
  else
    cj->event = dmas_engine_schedule (sim->engine, at, DMAS_EV_TIMER, DMAS_WEV_CLIENT,
                                      clients->endpoint, on_retry, cj, NULL);
}

void
dmas_clients_submit (DmasClients *clients, const DmasJob *job)
{
  DmasSim *sim = clients->sim;
  DmasJobRecord *record = dmas_metrics_job (sim->metrics, job->id);
  /* Submitted from now on, whatever becomes of it: a job whose client gives up is lost, not
   * forgotten. */
  record->state = DMAS_JOB_SUBMITTED;
  ClientJob *cj = &clients->jobs[job->id - 1];
  cj->home = job->home;
  send_attempt (cj);
}

void
dmas_clients_deliver (DmasClients *clients, const DmasEnvelope *env, const guint8 *body)
{
  DmasSim *sim = clients->sim;
  if (env->type != DMAS_SCHED_ACK || env->len != DMAS_ACK_LEN)
    {
      dmas_sim_log (sim, DMAS_AGENT_NONE, "clients: unexpected message (type %u, %u bytes) "
                    "from %u dropped", env->type, env->len, env->src);
      return;
    }
  const DmasJobId id = dmas_get_u64 (body);
  if (id < 1 || id > sim->workload->n_jobs)
    return;
  ClientJob *cj = &clients->jobs[id - 1];
  if (sim->central != NULL)
    clients->last_good = env->src;
  if (cj->acked)
    return;
  cj->acked = TRUE;
  if (cj->event != 0)
    dmas_engine_cancel (sim->engine, cj->event);
  cj->event = 0;
}

void
dmas_clients_ack (DmasSim *sim, DmasAgentId from, DmasJobId id)
{
  guint8 body[DMAS_ACK_LEN];
  dmas_put_u64 (body, id);
  dmas_network_send (sim->network, from, dmas_sim_clients_endpoint (sim), DMAS_NET_HOST,
                     DMAS_SCHED_ACK, body, sizeof body);
}

void
dmas_clients_agent_receive (DmasAgent *agent, const guint8 *body, gsize len)
{
  DmasSim *sim = agent->sim;
  DmasJob copy;
  if (!dmas_sched_decode_announce (body, len, &copy) || copy.id < 1
      || copy.id > sim->workload->n_jobs)
    {
      dmas_sim_log (sim, agent->id, "malformed submission (%" G_GSIZE_FORMAT " bytes) dropped",
                    len);
      return;
    }
  DmasJob *job = &sim->workload->jobs[copy.id - 1];
  dmas_clients_ack (sim, agent->id, job->id);
  if (agent->jobs[job->id] & DMAS_AGENT_JOB_LEARNT)
    return; /* a retry of a job it already knows (announced by it or to it) */
  /* The agent cannot know whether another agent accepted an earlier attempt whose
   * announcement has not reached it yet (only an acknowledgement slower than the client's
   * timeout allows that): it accepts, as a real one would, and the job is announced twice. */
  DmasJobRecord *record = dmas_metrics_job (sim->metrics, job->id);
  if (record->accepted == DMAS_TIME_NONE)
    record->accepted = dmas_engine_now (sim->engine);
  /* The slot's home is whoever accepted the job: the consensus collects bids there. */
  job->home = agent->id;
  dmas_agent_submit (agent, job);
}
