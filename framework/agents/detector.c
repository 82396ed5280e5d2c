/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The failure detector: heartbeat timers, per-agent views of their peers, and when to stop. */
#include "config.h"

#include <dmas/wire.h>

#include "agents/byzantine-hooks.h"
#include "agents/detector.h"
#include "agents/recovery.h"
#include "agents/sched_msg.h"
#include "agents/sim-private.h"
#include "world/events.h"

struct DmasDetector {
  DmasSim *sim;
  gboolean enabled;
  gboolean stopped;
  DmasTime period, timeout;
  guint n;
  /* Views, [agent · n + peer]. */
  DmasTime *last_heard;
  guint32 *incarnation;
  DmasTime *up_since;
  guint8 *suspected;
  /* Per agent: its pending heartbeat and check events (0: none) and the check's time. */
  DmasEventId *tick;
  DmasEventId *check;
  DmasTime *check_at;
  /* To tell when only the detector is left (see should_stop). */
  guint64 own_events;     /* ticks and checks dispatched, heartbeats arrived */
  guint64 seen_other;     /* other events dispatched, at the last look */
  DmasTime last_activity; /* when other events were last seen dispatched or pending */
};

/* What a heartbeat or check event is about; the engine frees it with the event. */
typedef struct {
  DmasDetector *detector;
  DmasAgentId agent;
} Owner;

static Owner *
owner_new (DmasDetector *detector, DmasAgentId agent)
{
  Owner *owner = g_new (Owner, 1);
  owner->detector = detector;
  owner->agent = agent;
  return owner;
}

DmasDetector *
dmas_detector_new (DmasSim *sim, gboolean enabled, DmasTime period, DmasTime timeout)
{
  DmasDetector *d = g_new0 (DmasDetector, 1);
  d->sim = sim;
  d->enabled = enabled && sim->n_agents > 1;
  d->period = MAX (period, 1);
  d->timeout = timeout;
  d->n = sim->n_agents;
  if (!d->enabled)
    return d;
  gsize nn = (gsize) d->n * d->n;
  d->last_heard = g_new0 (DmasTime, nn);
  d->incarnation = g_new0 (guint32, nn);
  d->up_since = g_new0 (DmasTime, nn);
  d->suspected = g_new0 (guint8, nn);
  d->tick = g_new0 (DmasEventId, d->n);
  d->check = g_new0 (DmasEventId, d->n);
  d->check_at = g_new (DmasTime, d->n);
  for (guint a = 0; a < d->n; a++)
    d->check_at[a] = DMAS_TIME_NONE;
  return d;
}

static void
cancel_agent (DmasDetector *d, DmasAgentId a)
{
  if (d->tick[a] != 0)
    dmas_engine_cancel (d->sim->engine, d->tick[a]);
  if (d->check[a] != 0)
    dmas_engine_cancel (d->sim->engine, d->check[a]);
  d->tick[a] = d->check[a] = 0;
  d->check_at[a] = DMAS_TIME_NONE;
}

void
dmas_detector_free (DmasDetector *d)
{
  if (d == NULL)
    return;
  /* Events still pending own nothing of this (only their Owner, which the engine frees), so
   * the detector may go before or after the engine. */
  g_free (d->last_heard);
  g_free (d->incarnation);
  g_free (d->up_since);
  g_free (d->suspected);
  g_free (d->tick);
  g_free (d->check);
  g_free (d->check_at);
  g_free (d);
}

void
dmas_detector_stop (DmasDetector *d)
{
  if (!d->enabled || d->stopped)
    return;
  d->stopped = TRUE;
  for (guint a = 0; a < d->n; a++)
    cancel_agent (d, a);
  dmas_sim_log (d->sim, DMAS_AGENT_NONE, "failure detector stopped");
}

/* ---- when only the detector is left ---- */

static guint64
own_pending (const DmasDetector *d)
{
  /* Counted by the network: a heartbeat a fault lost never arrives and is never pending. */
  G_STATIC_ASSERT (DMAS_SCHED_HEARTBEAT < DMAS_NET_HOST_TYPES);
  guint64 n = dmas_network_host_in_flight (d->sim->network, DMAS_SCHED_HEARTBEAT);
  for (guint a = 0; a < d->n; a++)
    n += (d->tick[a] != 0) + (d->check[a] != 0);
  return n;
}

/* Called from each detector event.  Other events seen dispatched since the last look, or
 * pending now, mean the world still moves: the window restarts.  Once the world has stood
 * still for 2 x (timeout + period), every suspicion a past crash can cause has happened
 * (a crash is at most timeout + one latency from its suspicion) and led to whatever it
 * leads to; more heartbeats could change nothing. */
static gboolean
should_stop (DmasDetector *d)
{
  DmasSim *sim = d->sim;
  if (dmas_sim_work_settled (sim))
    return TRUE;
  const DmasTime now = dmas_engine_now (sim->engine);
  guint64 other = dmas_engine_events (sim->engine) - d->own_events;
  guint64 pending = dmas_engine_pending (sim->engine);
  if (other != d->seen_other || pending > own_pending (d))
    {
      d->seen_other = other;
      d->last_activity = now;
      return FALSE;
    }
  return now - d->last_activity >= 2 * (d->timeout + d->period);
}

/* ---- heartbeats ---- */

static void on_tick (DmasEngine *engine, gpointer data);
static void on_check (DmasEngine *engine, gpointer data);

static void
schedule_tick (DmasDetector *d, DmasAgentId a, DmasTime at)
{
  d->tick[a] = dmas_engine_schedule (d->sim->engine, at, DMAS_EV_TIMER, DMAS_WEV_HEARTBEAT, a,
                                     on_tick, owner_new (d, a), g_free);
}

/* Keeps one check per agent, at the earliest deadline among the peers it does not suspect
 * yet; heartbeats only push deadlines later, so the check may fire early and re-arm. */
static void
schedule_check (DmasDetector *d, DmasAgentId a)
{
  DmasTime at = DMAS_TIME_NONE;
  for (guint p = 0; p < d->n; p++)
    if (p != a && !d->suspected[a * d->n + p])
      at = MIN (at, d->last_heard[a * d->n + p] + d->timeout);
  if (at == d->check_at[a])
    return;
  if (d->check[a] != 0)
    dmas_engine_cancel (d->sim->engine, d->check[a]);
  d->check[a] = 0;
  d->check_at[a] = at;
  if (at != DMAS_TIME_NONE)
    d->check[a] = dmas_engine_schedule (d->sim->engine, at, DMAS_EV_TIMER, DMAS_WEV_SUSPECT, a,
                                        on_check, owner_new (d, a), g_free);
}

static void
send_heartbeats (DmasDetector *d, DmasAgentId a)
{
  DmasSim *sim = d->sim;
  guint8 body[DMAS_HEARTBEAT_LEN] = { 0 };
  dmas_put_u32 (body, sim->agents[a]->incarnation);
  dmas_put_u64 (body + 8, d->up_since[(gsize) a * d->n + a]);
  for (DmasAgentId to = 0; to < d->n; to++)
    if (to != a
        && dmas_network_send (sim->network, a, to, DMAS_NET_HOST, DMAS_SCHED_HEARTBEAT, body,
                              sizeof body) == DMAS_OK)
      {
        sim->metrics->heartbeat_msgs++;
        sim->metrics->heartbeat_bytes += sizeof body + DMAS_NET_ENVELOPE_BYTES;
      }
}

static void
on_tick (DmasEngine *engine, gpointer data)
{
  Owner *owner = data;
  DmasDetector *d = owner->detector;
  DmasAgentId a = owner->agent;
  (void) engine;
  d->tick[a] = 0;
  d->own_events++;
  if (should_stop (d))
    {
      dmas_detector_stop (d);
      return;
    }
  send_heartbeats (d, a);
  schedule_tick (d, a, dmas_engine_now (d->sim->engine) + d->period);
}

void
dmas_detector_start (DmasDetector *d)
{
  if (!d->enabled)
    return;
  if (dmas_sim_work_settled (d->sim))
    {
      d->stopped = TRUE; /* no job at all: nothing to watch over */
      return;
    }
  for (DmasAgentId a = 0; a < d->n; a++)
    if (d->sim->agents[a]->up)
      {
        /* Everyone starts at incarnation 0, up and heard since time 0 (zeroed arrays). */
        schedule_tick (d, a, dmas_engine_now (d->sim->engine));
        schedule_check (d, a);
      }
}

/* ---- suspicion ---- */

/* Logs the change and tells the agent's consensus instance (its agent_status op, if any). */
static void
status_changed (DmasDetector *d, DmasAgentId a, DmasAgentId p, gboolean suspected)
{
  DmasAgent *agent = d->sim->agents[a];
  dmas_sim_log (d->sim, a, "%s agent %u", suspected ? "suspects" : "no longer suspects", p);
  if (!agent->up)
    return;
  dmas_consensus_agent_status (agent->consensus, p, suspected);
  dmas_byz_twin_agent_status (agent, p, suspected); /* an equivocator's twin B hears it too */
}

static void
on_check (DmasEngine *engine, gpointer data)
{
  Owner *owner = data;
  DmasDetector *d = owner->detector;
  DmasAgentId a = owner->agent;
  const DmasTime now = dmas_engine_now (engine);
  d->check[a] = 0;
  d->check_at[a] = DMAS_TIME_NONE;
  d->own_events++;
  if (should_stop (d))
    {
      dmas_detector_stop (d);
      return;
    }

  /* All of this instant's suspicions first, in id order, then one recovery pass: the
   * coordinator is then chosen on the whole new view. */
  gboolean any = FALSE;
  for (DmasAgentId p = 0; p < d->n; p++)
    {
      gsize i = (gsize) a * d->n + p;
      if (p == a || d->suspected[i] || d->last_heard[i] + d->timeout > now)
        continue;
      d->suspected[i] = 1;
      any = TRUE;
      status_changed (d, a, p, TRUE);
    }
  if (!d->sim->agents[a]->up || d->stopped)
    return;
  schedule_check (d, a);
  if (any)
    dmas_recovery_scan (d->sim->agents[a]);
}

void
dmas_detector_deliver (DmasDetector *d, DmasAgentId to, DmasAgentId from, const guint8 *body,
                       gsize len, gboolean to_is_up)
{
  if (!d->enabled)
    return;
  d->own_events++;
  if (!to_is_up || d->stopped || len != DMAS_HEARTBEAT_LEN || from >= d->n || from == to)
    return;

  gsize i = (gsize) to * d->n + from;
  guint32 inc = dmas_get_u32 (body);
  guint32 known = d->incarnation[i];
  if (known != DMAS_INCARNATION_UNKNOWN && inc < known)
    return; /* an old incarnation's heartbeat, overtaken (links are FIFO: only if reordered) */
  d->last_heard[i] = dmas_engine_now (d->sim->engine);
  d->incarnation[i] = inc;
  d->up_since[i] = dmas_get_u64 (body + 8);
  if (d->suspected[i])
    {
      d->suspected[i] = 0;
      status_changed (d, to, from, FALSE);
    }
  if (!d->sim->agents[to]->up || d->stopped)
    return;
  if (d->check[to] == 0)
    schedule_check (d, to);
  /* A restart noticed, or a peer heard for the first time since this agent's own restart:
   * either may change who coordinates which recovery. */
  if (known != DMAS_INCARNATION_UNKNOWN && inc > known)
    dmas_sim_log (d->sim, to, "agent %u restarted (incarnation %u, knew %u)", from, inc,
                  known);
  if (known == DMAS_INCARNATION_UNKNOWN || inc > known)
    dmas_recovery_scan (d->sim->agents[to]);
}

/* ---- crash and restart ---- */

void
dmas_detector_agent_down (DmasDetector *d, DmasAgentId a)
{
  if (!d->enabled)
    return;
  cancel_agent (d, a);
}

void
dmas_detector_agent_up (DmasDetector *d, DmasAgentId a)
{
  if (!d->enabled || d->stopped)
    return;
  const DmasTime now = dmas_engine_now (d->sim->engine);
  for (DmasAgentId p = 0; p < d->n; p++)
    {
      gsize i = (gsize) a * d->n + p;
      d->last_heard[i] = now;
      d->suspected[i] = 0;
      d->incarnation[i] = p == a ? d->sim->agents[a]->incarnation : DMAS_INCARNATION_UNKNOWN;
      d->up_since[i] = p == a ? now : DMAS_TIME_NONE;
    }
  cancel_agent (d, a);
  /* Heartbeats now, from inside the restart: peers learn the new incarnation one latency
   * later, before anything the restarted agent says next (links are FIFO). */
  send_heartbeats (d, a);
  schedule_tick (d, a, now + d->period);
  schedule_check (d, a);
}

/* ---- views ---- */

gboolean
dmas_detector_suspects (const DmasDetector *d, DmasAgentId agent, DmasAgentId peer)
{
  if (!d->enabled || agent >= d->n || peer >= d->n)
    return FALSE;
  return d->suspected[(gsize) agent * d->n + peer] != 0;
}

guint32
dmas_detector_incarnation (const DmasDetector *d, DmasAgentId agent, DmasAgentId peer)
{
  if (!d->enabled || agent >= d->n || peer >= d->n)
    return DMAS_INCARNATION_UNKNOWN;
  return d->incarnation[(gsize) agent * d->n + peer];
}

DmasTime
dmas_detector_up_since (const DmasDetector *d, DmasAgentId agent, DmasAgentId peer)
{
  if (!d->enabled || agent >= d->n || peer >= d->n)
    return DMAS_TIME_NONE;
  return d->up_since[(gsize) agent * d->n + peer];
}
