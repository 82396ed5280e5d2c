/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mock host: the test's side — clock, scripted network, recorded outcomes. */
#include "config.h"

#include <string.h>

#include "mock-host-private.h"

/* --- clock and timers ------------------------------------------------------------------- */

DmasTime
mock_host_now (MockHost *host)
{
  return host->now;
}

static void
timer_fire (MockHost *host, MockTimer *t)
{
  /* Off the list before the callback, so that cancelling it from inside says ENOENT. */
  host->timers = g_list_remove (host->timers, t);
  if (t->when > host->now)
    host->now = t->when;
  t->fn (&t->instance->ctx.base, t->data);
  mock_timer_free (t);
}

guint
mock_host_advance_to (MockHost *host, DmasTime when)
{
  g_return_val_if_fail (when >= host->now, 0);
  guint fired = 0;
  while (host->timers != NULL && ((MockTimer *) host->timers->data)->when <= when)
    {
      timer_fire (host, host->timers->data);
      fired++;
    }
  host->now = when;
  return fired;
}

guint
mock_host_advance (MockHost *host, DmasTime delta)
{
  return mock_host_advance_to (host, host->now + delta);
}

gboolean
mock_host_fire_next_timer (MockHost *host)
{
  if (host->timers == NULL)
    return FALSE;
  timer_fire (host, host->timers->data);
  return TRUE;
}

guint
mock_host_n_timers (MockHost *host)
{
  return g_list_length (host->timers);
}

DmasTime
mock_host_next_timer (MockHost *host)
{
  return host->timers != NULL ? ((MockTimer *) host->timers->data)->when : DMAS_TIME_NONE;
}

/* --- network ---------------------------------------------------------------------------- */

guint
mock_host_n_queued (MockHost *host)
{
  return host->queue->len;
}

const MockMessage *
mock_host_queued (MockHost *host, guint index)
{
  g_return_val_if_fail (index < host->queue->len, NULL);
  return g_ptr_array_index (host->queue, index);
}

static gboolean
message_matches (const MockMessage *m, DmasAgentId src, DmasAgentId dst, guint32 type)
{
  return (src == MOCK_ANY_AGENT || m->src == src) && (dst == MOCK_ANY_AGENT || m->dst == dst)
         && (type == MOCK_ANY_TYPE || m->type == type);
}

gint
mock_host_find (MockHost *host, DmasAgentId src, DmasAgentId dst, guint32 type)
{
  for (guint i = 0; i < host->queue->len; i++)
    if (message_matches (g_ptr_array_index (host->queue, i), src, dst, type))
      return (gint) i;
  return -1;
}

void
mock_host_deliver (MockHost *host, guint index)
{
  g_return_if_fail (index < host->queue->len);
  MockMessage *m = g_ptr_array_steal_index (host->queue, index);
  MockKind *k = &host->kinds[m->kind];
  /* A crashed agent (mock_host_crash_agent) has no instance: its messages are lost. */
  if (k->instances == NULL || m->dst >= host->n_agents || k->instances[m->dst] == NULL)
    host->undeliverable++;
  else
    {
      MockInstance *inst = k->instances[m->dst];
      gsize len = 0;
      const void *body = g_bytes_get_data (m->body, &len);
      int rc = k->consensus.on_message != NULL && m->kind == DMAS_KIND_CONSENSUS
                   ? k->consensus.on_message (inst->self, &inst->ctx.base, m->src, m->type,
                                              body, len)
                   : DMAS_ENOENT;
      if (rc < 0)
        {
          g_autofree gchar *text = g_strdup_printf ("on_message returned %d", rc);
          mock_host_log_line (host, m->dst, m->kind, "host", text);
        }
    }
  mock_message_free (m);
}

gboolean
mock_host_deliver_next (MockHost *host)
{
  if (host->queue->len == 0)
    return FALSE;
  mock_host_deliver (host, 0);
  return TRUE;
}

guint
mock_host_deliver_all (MockHost *host)
{
  guint n = 0;
  while (mock_host_deliver_next (host))
    if (++n >= MOCK_STORM_LIMIT)
      g_error ("mock host: %u deliveries without the queue running dry", n);
  return n;
}

void
mock_host_drop (MockHost *host, guint index)
{
  g_return_if_fail (index < host->queue->len);
  g_ptr_array_remove_index (host->queue, index);
}

guint
mock_host_drop_matching (MockHost *host, DmasAgentId src, DmasAgentId dst, guint32 type)
{
  guint dropped = 0;
  for (guint i = host->queue->len; i-- > 0;)
    if (message_matches (g_ptr_array_index (host->queue, i), src, dst, type))
      {
        g_ptr_array_remove_index (host->queue, i);
        dropped++;
      }
  return dropped;
}

void
mock_host_duplicate (MockHost *host, guint index)
{
  g_return_if_fail (index < host->queue->len);
  const MockMessage *m = g_ptr_array_index (host->queue, index);
  /* A duplicate is network behaviour, not a second send: it does not count as traffic. */
  mock_enqueue (host, m->kind, m->src, m->dst, m->type, m->body, TRUE);
}

void
mock_host_move (MockHost *host, guint from, guint to)
{
  g_return_if_fail (from < host->queue->len && to < host->queue->len);
  gpointer m = g_ptr_array_steal_index (host->queue, from);
  g_ptr_array_insert (host->queue, (gint) to, m);
}

void
mock_host_inject (MockHost *host, DmasKind kind, DmasAgentId src, DmasAgentId dst,
                  guint32 type, const void *body, gsize len)
{
  g_return_if_fail (kind > 0 && kind < MOCK_N_KINDS && dst < host->n_agents);
  g_autoptr (GBytes) copy = g_bytes_new (body, len);
  mock_enqueue (host, kind, src, dst, type, copy, TRUE);
}

guint
mock_host_run (MockHost *host)
{
  guint n = 0;
  for (;;)
    {
      n += mock_host_deliver_all (host);
      if (!mock_host_fire_next_timer (host))
        return n;
      if (++n >= MOCK_STORM_LIMIT)
        g_error ("mock host: %u steps without quiescence", n);
    }
}

guint64
mock_host_sent_messages (MockHost *host, DmasKind kind)
{
  g_return_val_if_fail (kind > 0 && kind < MOCK_N_KINDS, 0);
  return host->sent_messages[kind];
}

guint64
mock_host_sent_bytes (MockHost *host, DmasKind kind)
{
  g_return_val_if_fail (kind > 0 && kind < MOCK_N_KINDS, 0);
  return host->sent_bytes[kind];
}

guint64
mock_host_undeliverable (MockHost *host)
{
  return host->undeliverable;
}

/* --- outcomes --------------------------------------------------------------------------- */

const GArray *
mock_host_decisions (MockHost *host, DmasAgentId agent)
{
  g_return_val_if_fail (agent < host->n_agents, NULL);
  return host->decisions[agent];
}

const MockDecision *
mock_host_decision (MockHost *host, DmasAgentId agent, DmasJobId job, guint32 epoch)
{
  g_return_val_if_fail (agent < host->n_agents, NULL);
  GArray *all = host->decisions[agent];
  for (guint i = 0; i < all->len; i++)
    {
      const MockDecision *d = &g_array_index (all, MockDecision, i);
      if (d->slot.job == job && d->slot.epoch == epoch)
        return d;
    }
  return NULL;
}

const GArray *
mock_host_bids_ready (MockHost *host, DmasAgentId agent)
{
  g_return_val_if_fail (agent < host->n_agents, NULL);
  return host->bids_ready[agent];
}

gdouble
mock_host_metric (MockHost *host, const gchar *name)
{
  const gdouble *sum = g_hash_table_lookup (host->metrics, name);
  return sum != NULL ? *sum : 0.0;
}

const GPtrArray *
mock_host_log (MockHost *host)
{
  return host->log;
}

gboolean
mock_host_log_contains (MockHost *host, const gchar *needle)
{
  for (guint i = 0; i < host->log->len; i++)
    if (strstr (g_ptr_array_index (host->log, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

const GArray *
mock_host_faults (MockHost *host)
{
  return host->faults;
}

gboolean
mock_host_agent_is_up (MockHost *host, DmasAgentId agent)
{
  g_return_val_if_fail (agent < host->n_agents, FALSE);
  return !host->down[agent];
}

void
mock_host_set_agent_up (MockHost *host, DmasAgentId agent, gboolean up)
{
  g_return_if_fail (agent < host->n_agents);
  host->down[agent] = !up;
}

/* --- plausibility, accusations ---------------------------------------------------------- */

void
mock_host_set_implausible (MockHost *host, DmasJobId job, DmasAgentId agent)
{
  g_return_if_fail (agent < host->n_agents);
  MockClaim c = { .job = job, .agent = agent };
  g_array_append_val (host->implausible, c);
}

const GArray *
mock_host_accusations (MockHost *host)
{
  return host->accusations;
}

gboolean
mock_host_accused (MockHost *host, DmasAgentId accuser, DmasAgentId accused)
{
  for (guint i = 0; i < host->accusations->len; i++)
    {
      const MockAccusation *a = &g_array_index (host->accusations, MockAccusation, i);
      if (a->accuser == accuser && a->accused == accused)
        return TRUE;
    }
  return FALSE;
}

guint64
mock_host_accuse_calls (MockHost *host)
{
  return host->accuse_calls;
}

void
mock_host_set_abi_minor (MockHost *host, guint32 minor)
{
  const DmasHostApi *full = mock_host_api ();
  host->api.abi_minor = minor;
  host->api.accuse = minor >= 2 ? full->accuse : NULL;
  host->api.llm_request = minor >= 3 ? full->llm_request : NULL;
  host->api.secret = minor >= 3 ? full->secret : NULL;
  host->api.bid_plausible = minor >= 3 ? full->bid_plausible : NULL;
}
