/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas demo`: the sim observer that narrates a scenario (prompts, replies, votes, decisions). */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "cli/demo-show.h"
#include "llm/service.h"

/* Pauses between the steps (milliseconds), so that a person can read along: a model's
 * exchange is long, a vote is a line. */
enum {
  PAUSE_LLM = 1200,
  PAUSE_VOTE = 250,
  PAUSE_RESULT = 1000,
  PAUSE_DECIDER = 80,
  PAUSE_FAULT = 1500,
  PAUSE_JOB = 600,
};

void
dmas_demo_pause (const DmasDemoStyle *style, guint ms)
{
  fflush (style->out);
  if (!style->fast)
    g_usleep ((gulong) ms * 1000);
}

const gchar *
dmas_demo_sgr (const DmasDemoStyle *style, const gchar *sequence)
{
  return style->colour ? sequence : "";
}

gchar *
dmas_demo_agent (const DmasDemoShow *show, DmasAgentId agent)
{
  if (agent >= dmas_sim_n_agents (show->sim))
    return g_strdup ("no agent");
  return g_strdup_printf ("agent %u (%s)", agent, dmas_sim_agent_name (show->sim, agent));
}

DmasDemoShow *
dmas_demo_show_new (const DmasDemoStyle *style, DmasSim *sim)
{
  DmasDemoShow *show = g_new0 (DmasDemoShow, 1);
  show->style = *style;
  show->sim = sim;
  show->claims = g_array_new (FALSE, TRUE, sizeof (DmasDemoClaim));
  show->decisions = g_array_new (FALSE, TRUE, sizeof (DmasDemoDecision));
  show->systems = g_ptr_array_new_with_free_func (g_free);
  show->byzantine = g_new0 (gboolean, dmas_sim_n_agents (sim));
  return show;
}

void
dmas_demo_show_free (DmasDemoShow *show)
{
  if (show == NULL)
    return;
  g_array_unref (show->claims);
  g_array_unref (show->decisions);
  g_ptr_array_unref (show->systems);
  g_free (show->byzantine);
  g_free (show);
}

/* "[  12.345 s] " in virtual seconds. */
static void
stamp (DmasDemoShow *show, DmasTime now)
{
  const DmasDemoStyle *st = &show->style;
  fprintf (st->out, "%s[%8.3f s]%s ", dmas_demo_sgr (st, DMAS_DEMO_DIM),
           (gdouble) now / (gdouble) DMAS_S, dmas_demo_sgr (st, DMAS_DEMO_RESET));
}

/* `text` with every control character but newline and tab written as \xNN: a model's reply
 * is shown, never obeyed, and that holds for a terminal's escape sequences too.
 * Returns: (transfer full). */
static gchar *
printable (const gchar *text)
{
  GString *out = g_string_new (NULL);
  for (const guchar *p = (const guchar *) (text != NULL ? text : ""); *p != '\0'; p++)
    if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
      g_string_append_printf (out, "\\x%02x", *p);
    else
      g_string_append_c (out, (gchar) *p);
  return g_string_free (out, FALSE);
}

/* Every line of `text`, indented and labelled, so a reply reads apart from the narration. */
static void
print_block (DmasDemoShow *show, const gchar *label, const gchar *colour, const gchar *text)
{
  const DmasDemoStyle *st = &show->style;
  g_autofree gchar *safe = printable (text);
  g_auto (GStrv) lines = g_strsplit (safe, "\n", -1);
  guint n = g_strv_length (lines);
  /* A trailing newline is not one more line. */
  if (n > 1 && lines[n - 1][0] == '\0')
    n--;
  for (guint i = 0; i < n; i++)
    fprintf (st->out, "             %s%-7s|%s%s%s\n", dmas_demo_sgr (st, colour), label,
             dmas_demo_sgr (st, DMAS_DEMO_RESET), lines[i][0] != '\0' ? " " : "", lines[i]);
}

static const DmasJob *
find_job (const DmasDemoShow *show, DmasJobId id)
{
  const DmasWorkload *w = dmas_sim_workload (show->sim);
  return id >= 1 && id <= w->n_jobs ? &w->jobs[id - 1] : NULL;
}

/* ---- the callbacks ---- */

static void
on_llm (gpointer data, DmasTime now, const DmasLlmCall *call, const DmasLlmOutcome *outcome)
{
  DmasDemoShow *show = data;
  const DmasDemoStyle *st = &show->style;
  g_autofree gchar *who = dmas_demo_agent (show, call->agent);
  const DmasJob *job = call->ask->job;

  show->llm_calls++;
  stamp (show, now);
  fprintf (st->out, "%s%s asks its model about job %" G_GUINT64_FORMAT " (specialisation %s%s)"
           "%s\n", dmas_demo_sgr (st, DMAS_DEMO_BLUE), who, job->id, call->ask->specialisation,
           call->compromised ? ", COMPROMISED: told to lie" : "",
           dmas_demo_sgr (st, DMAS_DEMO_RESET));

  /* The system message is the same for most calls: it is shown in full the first time, and
   * named afterwards. */
  guint index = 0;
  const gchar *system = outcome->system != NULL ? outcome->system : "";
  gboolean seen = FALSE;
  for (guint i = 0; i < show->systems->len && !seen; i++)
    if (strcmp (g_ptr_array_index (show->systems, i), system) == 0)
      {
        seen = TRUE;
        index = i;
      }
  if (!seen)
    {
      g_ptr_array_add (show->systems, g_strdup (system));
      index = show->systems->len - 1;
      print_block (show, "system", DMAS_DEMO_DIM, system);
    }
  else
    fprintf (st->out, "             %s%-7s|%s (system message %u, shown above)\n",
             dmas_demo_sgr (st, DMAS_DEMO_DIM), "system", dmas_demo_sgr (st, DMAS_DEMO_RESET),
             index + 1);
  print_block (show, "prompt", DMAS_DEMO_CYAN, outcome->prompt);
  if (outcome->content != NULL)
    print_block (show, "reply", DMAS_DEMO_MAGENTA, outcome->content);
  else
    print_block (show, "reply", DMAS_DEMO_MAGENTA, "(no reply)");

  const DmasLlmResult *r = &outcome->result;
  const gdouble latency_s = (gdouble) outcome->latency / (gdouble) DMAS_S;
  if (r->status == DMAS_OK && r->score <= 0.0)
    fprintf (st->out, "             %s=> declines: its cluster cannot take the job (answer "
             "after %.3f s)%s\n", dmas_demo_sgr (st, DMAS_DEMO_GREEN), latency_s,
             dmas_demo_sgr (st, DMAS_DEMO_RESET));
  else if (r->status == DMAS_OK)
    fprintf (st->out, "             %s=> placement accepted by the host: %u node(s), score "
             "%.2f (answer after %.3f s)%s\n", dmas_demo_sgr (st, DMAS_DEMO_GREEN), r->nodes,
             r->score, latency_s, dmas_demo_sgr (st, DMAS_DEMO_RESET));
  else
    {
      if (r->status == DMAS_EINVAL)
        show->llm_invalid++;
      else
        show->llm_failed++;
      g_autofree gchar *why = printable (r->message);
      fprintf (st->out, "             %s=> %s: %s (after %.3f s); the agent bids its fallback "
               "instead%s\n", dmas_demo_sgr (st, DMAS_DEMO_YELLOW),
               r->status == DMAS_EINVAL ? "invalid reply" : "no usable reply", why, latency_s,
               dmas_demo_sgr (st, DMAS_DEMO_RESET));
    }
  dmas_demo_pause (st, PAUSE_LLM);
}

static void
on_bid (gpointer data, DmasTime now, const DmasSlot *slot, const DmasBid *bid)
{
  DmasDemoShow *show = data;
  const DmasDemoStyle *st = &show->style;
  const gboolean byzantine = bid->agent < dmas_sim_n_agents (show->sim)
                             && show->byzantine[bid->agent];
  const DmasJob *claimed = find_job (show, bid->job);
  const gboolean impossible = bid->score > 0.0 && claimed != NULL
                              && !dmas_sim_agent_can_run (show->sim, bid->agent, claimed);

  /* A protocol may propose again (a new view, a resend): the first vote of an agent for a
   * slot is the one shown. */
  for (guint i = 0; i < show->claims->len; i++)
    {
      const DmasDemoClaim *c = &g_array_index (show->claims, DmasDemoClaim, i);
      if (c->job == slot->job && c->epoch == slot->epoch && c->agent == bid->agent)
        return;
    }
  DmasDemoClaim claim = { .job = slot->job, .epoch = slot->epoch, .agent = bid->agent,
                          .score = bid->score, .impossible = impossible,
                          .byzantine = byzantine };
  g_array_append_val (show->claims, claim);

  g_autofree gchar *who = dmas_demo_agent (show, bid->agent);
  g_autofree gchar *retry = slot->epoch > 0 ? g_strdup_printf (" (announced again, round %u)",
                                                                slot->epoch)
                                            : g_strdup ("");
  stamp (show, now);
  if (bid->score <= 0.0)
    fprintf (st->out, "%s votes on job %" G_GUINT64_FORMAT "%s: declines (score 0)\n", who,
             slot->job, retry);
  else if (impossible)
    fprintf (st->out, "%s%s claims job %" G_GUINT64_FORMAT "%s with score %.2f: an impossible "
             "claim, its cluster cannot run this job%s\n", dmas_demo_sgr (st, DMAS_DEMO_RED),
             who, slot->job, retry, bid->score, dmas_demo_sgr (st, DMAS_DEMO_RESET));
  else
    fprintf (st->out, "%s%s votes on job %" G_GUINT64_FORMAT "%s: bids %.2f%s%s\n",
             byzantine ? dmas_demo_sgr (st, DMAS_DEMO_RED) : "", who, slot->job, retry,
             bid->score, byzantine ? " (Byzantine: a plausible lie)" : "",
             byzantine ? dmas_demo_sgr (st, DMAS_DEMO_RESET) : "");
  dmas_demo_pause (st, PAUSE_VOTE);
}

/* After the first decision of a slot: what became of every Byzantine claim on it. */
static void
judge_claims (DmasDemoShow *show, const DmasSlot *slot, DmasAgentId winner)
{
  const DmasDemoStyle *st = &show->style;
  for (guint i = 0; i < show->claims->len; i++)
    {
      const DmasDemoClaim *c = &g_array_index (show->claims, DmasDemoClaim, i);
      if (c->job != slot->job || c->epoch != slot->epoch || !(c->byzantine || c->impossible))
        continue;
      g_autofree gchar *who = dmas_demo_agent (show, c->agent);
      if (c->agent != winner && c->impossible)
        fprintf (st->out, "             %s%s claimed job %" G_GUINT64_FORMAT " with score %.2f: "
                 "refused as implausible%s\n", dmas_demo_sgr (st, DMAS_DEMO_GREEN), who,
                 c->job, c->score, dmas_demo_sgr (st, DMAS_DEMO_RESET));
      else if (c->agent != winner)
        fprintf (st->out, "             %s claimed job %" G_GUINT64_FORMAT " with score %.2f: "
                 "not chosen\n", who, c->job, c->score);
      else if (c->impossible)
        fprintf (st->out, "             %s%s's impossible claim on job %" G_GUINT64_FORMAT
                 " was ACCEPTED: the protocol let the liar win%s\n",
                 dmas_demo_sgr (st, DMAS_DEMO_RED), who, c->job,
                 dmas_demo_sgr (st, DMAS_DEMO_RESET));
      else
        fprintf (st->out, "             %s%s's claim on job %" G_GUINT64_FORMAT " won: plausible "
                 "(its cluster can run the job), so no protocol can tell it from an honest "
                 "bid%s\n", dmas_demo_sgr (st, DMAS_DEMO_YELLOW), who, c->job,
                 dmas_demo_sgr (st, DMAS_DEMO_RESET));
    }
}

static void
on_decide (gpointer data, DmasTime now, DmasAgentId agent, const DmasSlot *slot,
           const DmasBid *bid)
{
  DmasDemoShow *show = data;
  const DmasDemoStyle *st = &show->style;
  g_autofree gchar *who = dmas_demo_agent (show, agent);
  g_autofree gchar *winner = dmas_demo_agent (show, bid->agent);

  for (guint i = 0; i < show->decisions->len; i++)
    {
      DmasDemoDecision *d = &g_array_index (show->decisions, DmasDemoDecision, i);
      if (d->job != slot->job || d->epoch != slot->epoch)
        continue;
      d->deciders++;
      stamp (show, now);
      if (d->winner == bid->agent)
        fprintf (st->out, "%s decides the same: %s\n", who, winner);
      else
        {
          d->disagreed = TRUE;
          fprintf (st->out, "%s%s decides %s: DISAGREES (a safety violation)%s\n",
                   dmas_demo_sgr (st, DMAS_DEMO_RED), who, winner,
                   dmas_demo_sgr (st, DMAS_DEMO_RESET));
        }
      dmas_demo_pause (st, PAUSE_DECIDER);
      return;
    }

  DmasDemoDecision d = { .job = slot->job, .epoch = slot->epoch, .winner = bid->agent,
                         .score = bid->score, .deciders = 1 };
  g_array_append_val (show->decisions, d);
  stamp (show, now);
  fprintf (st->out, "%sconsensus on job %" G_GUINT64_FORMAT ": %s wins with score %.2f%s "
           "(first decided by %s)\n", dmas_demo_sgr (st, DMAS_DEMO_BOLD), slot->job, winner,
           bid->score, dmas_demo_sgr (st, DMAS_DEMO_RESET), who);
  judge_claims (show, slot, bid->agent);
  dmas_demo_pause (st, PAUSE_RESULT);
}

static void
on_fault (gpointer data, DmasTime now, const gchar *json)
{
  DmasDemoShow *show = data;
  const DmasDemoStyle *st = &show->style;
  g_autoptr (JsonParser) parser = json_parser_new ();
  const gchar *fault = NULL, *strategy = NULL;
  gint64 agent = -1;

  if (json_parser_load_from_data (parser, json, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *o = json_node_get_object (json_parser_get_root (parser));
      fault = json_object_get_string_member_with_default (o, "fault", NULL);
      strategy = json_object_get_string_member_with_default (o, "strategy", NULL);
      agent = json_object_get_int_member_with_default (o, "agent", -1);
    }
  const gboolean one = agent >= 0 && (guint64) agent < dmas_sim_n_agents (show->sim);
  g_autofree gchar *who = one ? dmas_demo_agent (show, (DmasAgentId) agent) : NULL;

  stamp (show, now);
  fprintf (st->out, "%s%sFAULT: ", dmas_demo_sgr (st, DMAS_DEMO_BOLD),
           dmas_demo_sgr (st, DMAS_DEMO_RED));
  if (one && g_strcmp0 (fault, "byzantine") == 0)
    {
      show->byzantine[agent] = TRUE;
      if (g_strcmp0 (strategy, "compromised") == 0)
        fprintf (st->out, "%s turns Byzantine (compromised): its model is told to claim every "
                 "job", who);
      else
        fprintf (st->out, "%s turns Byzantine (strategy %s)", who,
                 strategy != NULL ? strategy : "unknown");
    }
  else if (one && g_strcmp0 (fault, "byzantine_end") == 0)
    {
      show->byzantine[agent] = FALSE;
      fprintf (st->out, "%s is correct again", who);
    }
  else if (one && g_strcmp0 (fault, "crash") == 0)
    fprintf (st->out, "%s crashes", who);
  else if (one && g_strcmp0 (fault, "restart") == 0)
    fprintf (st->out, "%s restarts", who);
  else
    fprintf (st->out, "%s", json);
  fprintf (st->out, "%s\n", dmas_demo_sgr (st, DMAS_DEMO_RESET));
  dmas_demo_pause (st, PAUSE_FAULT);
}

static void
on_job_started (gpointer data, DmasTime now, DmasJobId job, DmasAgentId agent)
{
  DmasDemoShow *show = data;
  g_autofree gchar *who = dmas_demo_agent (show, agent);
  show->jobs_started++;
  stamp (show, now);
  fprintf (show->style.out, "job %" G_GUINT64_FORMAT " starts on %s\n", job, who);
  dmas_demo_pause (&show->style, PAUSE_JOB);
}

static void
on_job_finished (gpointer data, DmasTime now, DmasJobId job, DmasAgentId agent)
{
  DmasDemoShow *show = data;
  const DmasDemoStyle *st = &show->style;
  g_autofree gchar *who = dmas_demo_agent (show, agent);
  show->jobs_finished++;
  stamp (show, now);
  fprintf (st->out, "%sjob %" G_GUINT64_FORMAT " finishes on %s%s\n",
           dmas_demo_sgr (st, DMAS_DEMO_GREEN), job, who, dmas_demo_sgr (st, DMAS_DEMO_RESET));
  dmas_demo_pause (st, PAUSE_JOB);
}

static const DmasSimObserver observer = {
  .bid = on_bid,
  .decide = on_decide,
  .fault = on_fault,
  .llm = on_llm,
  .job_started = on_job_started,
  .job_finished = on_job_finished,
};

const DmasSimObserver *
dmas_demo_show_observer (void)
{
  return &observer;
}
