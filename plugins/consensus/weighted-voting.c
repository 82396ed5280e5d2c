/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/weighted-voting: agents vote for the best bid they saw, weighted by specialisation. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

#include "plausible.h"
#include "slot-vec.h"

/* Protocol:
 *
 *   propose(slot, bid): the agent broadcasts BID(score) and collects the others' BIDs until it
 *   has all n or `window` after its proposal has passed.  It then votes in round 1 for the best
 *   bid it saw (dmas_bid_better among scores > 0; the rejection, agent DMAS_AGENT_NONE, when
 *   all are 0): VOTE(round, candidate) to every other agent, and counts its own.
 *   Each agent has a weight (parameter `weights`).  A candidate wins round r at an agent when
 *   the weights of the voters whose round-r VOTE for it reached that agent add up to more than
 *   half the total weight of ALL agents (crashed ones included, so no two candidates can both
 *   win a round).  The agent then decides the candidate, whether or not it has proposed.
 *   If no candidate has won `vote_timeout` after its vote, the agent votes again in round r+1
 *   ("revote") for the candidate with the most weight so far -- each voter counted once, with
 *   its latest vote -- ties going to the higher dmas_tiebreak(job, candidate), the rejection
 *   losing every tie.  After round `max_rounds` it stops voting and waits.  An agent that has
 *   decided answers any VOTE of a later round it has not voted in with its decision, so
 *   laggards converge on it.
 *
 * Implausible bids (host API 1.3, plausible.h): a voter never votes for a bid its bidder's
 * cluster could never back.  Such a BID counts as seen but declined (0), its sender
 * (authenticated by the envelope) accused; the agent's own bid is checked the same way; a VOTE
 * for an implausible candidate is ignored (the voter vouches for it, but did not sign it).
 *
 * Weights: `weights` is a comma list, "2,1,1,1.5": agent i (in id order) gets the i-th value;
 * missing entries are 1, so "" (the default) weighs everyone 1 and the rule is a plain
 * majority.  Values must be finite and >= 0 with a positive total.
 * Specialisation weights: instead of numbers, `specialisations` names each agent's
 * specialisation, one per agent in id order ("gpu,memory,compute,storage,general"; the names
 * of bidding/llm: gpu, memory, compute, storage, network, general), and agent i weighs what
 * `specialisation_weights` gives its name ("gpu=1.5,memory=1.25,...": name=value pairs, names
 * it leaves out weigh 1).  The plugin does not see cluster types, so the mapping from
 * clusters to specialisations is the config's; giving both `weights` and `specialisations` is
 * an error (which one would count?).
 *
 * Guarantees.  Declared fault model: none (DMAS_FAULT_MODEL_NONE), because agreement is not
 * guaranteed when votes are lost or late (see below; the contract suite's drop tests showed
 * re-vote rounds won by different candidates), although it needs a weighted majority to
 * decide, which the availability metric does not reflect for it.  A round has at most one winner (two disjoint majorities
 * of the total weight cannot exist), and without message loss every live agent sees the same
 * votes, so all decide the same winner; crashed agents only cost their weight.  Termination
 * needs the live agents to hold more than half the weight: otherwise nobody decides (by design:
 * no decision without a weighted quorum).  Under message loss different agents can see
 * different rounds won by different candidates: no agreement guarantee then.
 *
 * Cost without faults: n (n-1) BIDs of 24 bytes and n (n-1) VOTEs of 32 bytes per decision,
 * i.e. 2 n (n-1) messages; one round.
 *
 * Metrics: "rounds" (voting rounds the slot's home agent took part in), "revotes" (re-votes
 * after a timeout, every agent), "late_bids", "exhausted" (max_rounds reached undecided),
 * "malformed". */

enum {
  WV_MSG_BID = 1,
  WV_MSG_VOTE = 2,
};

/* BID:  job u64 | epoch u32 | home u32 | score f64
 * VOTE: job u64 | epoch u32 | home u32 | round u32 | candidate u32 | candidate score f64 */
#define WV_BID_LEN 24
#define WV_VOTE_LEN 32

typedef enum {
  WSLOT_BUFFERED = 0, /* heard of before the local proposal */
  WSLOT_COLLECTING,   /* proposed, collecting BIDs */
  WSLOT_VOTING,       /* voted in `round`, waiting for a winner */
  WSLOT_DONE
} WSlotState;

typedef struct {
  SlotHead head;
  uint8_t state;     /* WSlotState */
  uint32_t round;    /* the last round this agent voted in (0: none yet) */
  uint32_t n_bids;
  DmasBid best;      /* best bid seen, or the rejection */
  DmasBid decision;  /* DONE */
  DmasTimerId timer;
  uint8_t *bid_seen; /* per member index */
  uint8_t *voted;    /* [round-1][member index] */
  DmasBid *vote;     /* [round-1][member index] */
} WSlot;

typedef struct {
  DmasTime window, vote_timeout, retain;
  int64_t max_rounds;
  const DmasAgentId *members;
  uint32_t n;
  DmasAgentId self_id;
  long self_idx;
  double *weight;    /* per member index */
  double total;
  SlotVec slots;
} Voting;

static void
wslot_free (SlotHead *head)
{
  WSlot *slot = (WSlot *) head;
  free (slot->bid_seen);
  free (slot->voted);
  free (slot->vote);
  free (slot);
}

static WSlot *
wslot_get (Voting *self, DmasJobId job, uint32_t epoch, DmasAgentId home)
{
  WSlot *slot = (WSlot *) slot_vec_find (&self->slots, job, epoch);
  if (slot != NULL)
    return slot;
  slot = calloc (1, sizeof *slot);
  if (slot == NULL)
    return NULL;
  size_t cells = (size_t) self->max_rounds * self->n;
  slot->head = (SlotHead){ job, epoch, home, DMAS_TIME_NONE };
  slot->best = bid_rejected (job);
  slot->bid_seen = calloc (self->n, 1);
  slot->voted = calloc (cells, 1);
  slot->vote = calloc (cells, sizeof *slot->vote);
  if (slot->bid_seen == NULL || slot->voted == NULL || slot->vote == NULL
      || slot_vec_push (&self->slots, &slot->head) != DMAS_OK)
    {
      wslot_free (&slot->head);
      return NULL;
    }
  return slot;
}

static int
same_candidate (const DmasBid *a, const DmasBid *b)
{
  return a->agent == b->agent && a->score == b->score;
}

/* Ties between equal weights: the higher dmas_tiebreak, the rejection last. */
static int
candidate_beats (const DmasBid *a, double wa, const DmasBid *b, double wb)
{
  if (wa != wb)
    return wa > wb;
  if (a->agent == DMAS_AGENT_NONE || b->agent == DMAS_AGENT_NONE)
    return b->agent == DMAS_AGENT_NONE && a->agent != DMAS_AGENT_NONE;
  return dmas_tiebreak (a->job, a->agent) > dmas_tiebreak (b->job, b->agent);
}

static void
expire (Voting *self, DmasCtx *ctx)
{
  slot_vec_expire (&self->slots, dmas_now (ctx), wslot_free);
}

static void
cancel_timer (DmasCtx *ctx, WSlot *slot)
{
  if (slot->timer != 0)
    ctx->api->timer_cancel (ctx, slot->timer);
  slot->timer = 0;
}

static void
decide (Voting *self, DmasCtx *ctx, WSlot *slot, const DmasBid *winner)
{
  cancel_timer (ctx, slot);
  slot->state = WSLOT_DONE;
  slot->decision = *winner;
  slot->head.expires = dmas_now (ctx) + self->retain;
  DmasSlot s = { .job = slot->head.job, .epoch = slot->head.epoch, .home = slot->head.home };
  ctx->api->decide (ctx, &s, winner);
}

/* Decides when a candidate holds more than half the total weight in `round`.  Sums run in
 * member order so that the result does not depend on the order votes arrived in. */
static void
check_round (Voting *self, DmasCtx *ctx, WSlot *slot, uint32_t round)
{
  if (slot->state == WSLOT_DONE)
    return;
  const uint8_t *voted = slot->voted + (size_t) (round - 1) * self->n;
  const DmasBid *vote = slot->vote + (size_t) (round - 1) * self->n;
  for (uint32_t i = 0; i < self->n; i++)
    {
      if (!voted[i])
        continue;
      double w = 0.0;
      for (uint32_t j = 0; j < self->n; j++)
        if (voted[j] && same_candidate (&vote[i], &vote[j]))
          w += self->weight[j];
      if (2.0 * w > self->total)
        {
          DmasBid winner = vote[i];
          decide (self, ctx, slot, &winner);
          return;
        }
    }
}

static void vote_timeout_fired (DmasCtx *ctx, void *data);

/* Casts this agent's vote in `round` for `candidate`: counted here, sent to everyone else. */
static void
cast_vote (Voting *self, DmasCtx *ctx, WSlot *slot, uint32_t round, const DmasBid *candidate)
{
  size_t cell = (size_t) (round - 1) * self->n + (size_t) self->self_idx;
  if (slot->voted[cell])
    return;
  slot->voted[cell] = 1;
  slot->vote[cell] = *candidate;
  if (round > slot->round)
    slot->round = round;
  if (slot->head.home == self->self_id)
    ctx->api->metric (ctx, "rounds", 1.0);

  uint8_t body[WV_VOTE_LEN];
  dmas_put_u64 (body, slot->head.job);
  dmas_put_u32 (body + 8, slot->head.epoch);
  dmas_put_u32 (body + 12, slot->head.home);
  dmas_put_u32 (body + 16, round);
  dmas_put_u32 (body + 20, candidate->agent);
  dmas_put_double (body + 24, candidate->score);
  ctx->api->broadcast (ctx, WV_MSG_VOTE, body, sizeof body);

  if (slot->state == WSLOT_DONE)
    return;
  slot->state = WSLOT_VOTING;
  check_round (self, ctx, slot, round);
  if (slot->state == WSLOT_DONE)
    return;
  cancel_timer (ctx, slot);
  SlotTimer *t = slot_timer_new (self, &slot->head);
  if (t == NULL)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "weighted-voting: out of memory, no re-vote for job %llu",
                (unsigned long long) slot->head.job);
      return;
    }
  slot->timer = ctx->api->timer_add (ctx, self->vote_timeout, vote_timeout_fired, t, free);
}

/* The candidate with the most weight so far, each voter counted once with its latest vote;
 * this agent's own best bid stands in when nobody's vote reached it. */
static DmasBid
leading_candidate (const Voting *self, const WSlot *slot)
{
  DmasBid best = slot->best;
  double best_w = -1.0;
  for (uint32_t i = 0; i < self->n; i++)
    {
      const DmasBid *latest = NULL;
      for (uint32_t r = slot->round; r >= 1 && latest == NULL; r--)
        if (slot->voted[(size_t) (r - 1) * self->n + i])
          latest = &slot->vote[(size_t) (r - 1) * self->n + i];
      if (latest == NULL)
        continue;
      double w = 0.0;
      for (uint32_t j = 0; j < self->n; j++)
        for (uint32_t r = slot->round; r >= 1; r--)
          if (slot->voted[(size_t) (r - 1) * self->n + j])
            {
              if (same_candidate (latest, &slot->vote[(size_t) (r - 1) * self->n + j]))
                w += self->weight[j];
              break;
            }
      if (candidate_beats (latest, w, &best, best_w))
        {
          best = *latest;
          best_w = w;
        }
    }
  return best;
}

static void
vote_timeout_fired (DmasCtx *ctx, void *data)
{
  SlotTimer *t = data;
  Voting *self = t->self;
  expire (self, ctx);
  WSlot *slot = (WSlot *) slot_vec_find (&self->slots, t->job, t->epoch);
  if (slot == NULL || slot->state != WSLOT_VOTING)
    return;
  slot->timer = 0;
  if (slot->round >= (uint64_t) self->max_rounds)
    {
      /* Still listening (a late majority decides), but no longer kept forever. */
      ctx->api->metric (ctx, "exhausted", 1.0);
      slot->head.expires = dmas_now (ctx) + self->retain;
      return;
    }
  DmasBid candidate = leading_candidate (self, slot);
  ctx->api->metric (ctx, "revotes", 1.0);
  cast_vote (self, ctx, slot, slot->round + 1, &candidate);
}

static void
window_fired (DmasCtx *ctx, void *data)
{
  SlotTimer *t = data;
  Voting *self = t->self;
  expire (self, ctx);
  WSlot *slot = (WSlot *) slot_vec_find (&self->slots, t->job, t->epoch);
  if (slot == NULL || slot->state != WSLOT_COLLECTING)
    return;
  slot->timer = 0;
  cast_vote (self, ctx, slot, 1, &slot->best);
}

static void
record_bid (Voting *self, DmasCtx *ctx, WSlot *slot, long idx, double score)
{
  if (slot->bid_seen[idx])
    return;
  slot->bid_seen[idx] = 1;
  slot->n_bids++;
  DmasBid b = { .job = slot->head.job, .agent = self->members[idx], .score = score };
  DmasSlot s = { .job = slot->head.job, .epoch = slot->head.epoch, .home = slot->head.home };
  if (consensus_bid_plausible (ctx, &s, &b, b.agent))
    bid_keep_best (&slot->best, &b);
}

static int
voting_propose (void *self_, DmasCtx *ctx, const DmasSlot *dslot, const DmasBid *bid)
{
  Voting *self = self_;
  expire (self, ctx);
  if (member_index (self->members, self->n, dslot->home) < 0 || bid->job != dslot->job
      || bid->agent != self->self_id || !isfinite (bid->score) || bid->score < 0.0)
    {
      dmas_log (ctx, DMAS_LOG_ERROR,
                "weighted-voting: invalid proposal for job %llu epoch %u (home %u, bid by %u "
                "for job %llu, score %g)",
                (unsigned long long) dslot->job, dslot->epoch, dslot->home, bid->agent,
                (unsigned long long) bid->job, bid->score);
      return DMAS_EINVAL;
    }
  WSlot *slot = wslot_get (self, dslot->job, dslot->epoch, dslot->home);
  if (slot == NULL)
    return DMAS_ENOMEM;
  if (slot->state == WSLOT_DONE && !slot->bid_seen[self->self_idx])
    {
      /* Decided from others' votes before our own bidder answered: nothing left to say. */
      slot->bid_seen[self->self_idx] = 1;
      return DMAS_OK;
    }
  if (slot->state != WSLOT_BUFFERED)
    return DMAS_ESTATE;
  slot->head.home = dslot->home;
  slot->head.expires = DMAS_TIME_NONE;
  slot->state = WSLOT_COLLECTING;
  record_bid (self, ctx, slot, self->self_idx, bid->score);

  uint8_t body[WV_BID_LEN];
  dmas_put_u64 (body, dslot->job);
  dmas_put_u32 (body + 8, dslot->epoch);
  dmas_put_u32 (body + 12, dslot->home);
  dmas_put_double (body + 16, bid->score);
  ctx->api->broadcast (ctx, WV_MSG_BID, body, sizeof body);

  if (slot->n_bids == self->n)
    {
      cast_vote (self, ctx, slot, 1, &slot->best);
      return DMAS_OK;
    }
  SlotTimer *t = slot_timer_new (self, &slot->head);
  if (t == NULL)
    return DMAS_ENOMEM;
  slot->timer = ctx->api->timer_add (ctx, self->window, window_fired, t, free);
  return DMAS_OK;
}

static void
on_bid (Voting *self, DmasCtx *ctx, WSlot *slot, long src_idx, double score)
{
  if (slot->state == WSLOT_VOTING || slot->state == WSLOT_DONE)
    {
      ctx->api->metric (ctx, "late_bids", 1.0);
      return;
    }
  record_bid (self, ctx, slot, src_idx, score);
  if (slot->state == WSLOT_COLLECTING && slot->n_bids == self->n)
    {
      cancel_timer (ctx, slot);
      cast_vote (self, ctx, slot, 1, &slot->best);
    }
}

static void
on_vote (Voting *self, DmasCtx *ctx, WSlot *slot, long src_idx, uint32_t round,
         const DmasBid *candidate)
{
  size_t cell = (size_t) (round - 1) * self->n + (size_t) src_idx;
  if (slot->voted[cell])
    return; /* one vote per voter and round: a duplicate or a second opinion counts nothing */
  slot->voted[cell] = 1;
  slot->vote[cell] = *candidate;
  if (slot->state == WSLOT_DONE)
    {
      if (round > slot->round)
        cast_vote (self, ctx, slot, round, &slot->decision);
      return;
    }
  check_round (self, ctx, slot, round);
}

static int
voting_on_message (void *self_, DmasCtx *ctx, DmasAgentId src, uint32_t type,
                   const void *body_, size_t len)
{
  Voting *self = self_;
  const uint8_t *body = body_;
  expire (self, ctx);
  long src_idx = member_index (self->members, self->n, src);
  int ok = body != NULL && src_idx >= 0 && src_idx != self->self_idx
           && ((type == WV_MSG_BID && len == WV_BID_LEN)
               || (type == WV_MSG_VOTE && len == WV_VOTE_LEN));
  DmasJobId job = 0;
  uint32_t epoch = 0, round = 0;
  DmasAgentId home = 0;
  DmasBid candidate = { 0 };
  double score = 0.0;
  if (ok)
    {
      job = dmas_get_u64 (body);
      epoch = dmas_get_u32 (body + 8);
      home = dmas_get_u32 (body + 12);
      ok = member_index (self->members, self->n, home) >= 0;
    }
  if (ok && type == WV_MSG_BID)
    {
      score = dmas_get_double (body + 16);
      ok = isfinite (score) && score >= 0.0;
    }
  else if (ok)
    {
      round = dmas_get_u32 (body + 16);
      candidate = (DmasBid){ .job = job, .agent = dmas_get_u32 (body + 20),
                             .score = dmas_get_double (body + 24) };
      ok = round >= 1 && round <= (uint64_t) self->max_rounds && isfinite (candidate.score)
           && (candidate.agent == DMAS_AGENT_NONE
                   ? candidate.score == 0.0
                   : member_index (self->members, self->n, candidate.agent) >= 0
                         && candidate.score > 0.0);
    }
  if (!ok)
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }

  DmasSlot ds = { .job = job, .epoch = epoch, .home = home };
  if (type == WV_MSG_VOTE && !consensus_bid_plausible (ctx, &ds, &candidate, DMAS_AGENT_NONE))
    return DMAS_OK; /* a vote for a candidate no honest voter can choose */
  WSlot *slot = wslot_get (self, job, epoch, home);
  if (slot == NULL)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "weighted-voting: out of memory, message from %u dropped",
                src);
      return DMAS_OK;
    }
  if (slot->state == WSLOT_BUFFERED)
    slot->head.expires = dmas_now (ctx) + self->retain;
  if (type == WV_MSG_BID)
    on_bid (self, ctx, slot, src_idx, score);
  else
    on_vote (self, ctx, slot, src_idx, round, &candidate);
  return DMAS_OK;
}

/* Sums the weights in member order; a total of 0 would let nobody ever win. */
static int
sum_weights (Voting *self, const char *param, const char *text, DmasError *err)
{
  self->total = 0.0;
  for (uint32_t i = 0; i < self->n; i++)
    self->total += self->weight[i];
  if (!(self->total > 0.0))
    return dmas_error_set (err, DMAS_EINVAL, "weighted-voting: %s \"%s\" sum to 0", param,
                           text);
  return DMAS_OK;
}

/* Parses "2,1,1.5" into per-member weights (missing entries 1).  Returns DMAS_OK or fills err. */
static int
parse_weights (Voting *self, const char *text, DmasError *err)
{
  for (uint32_t i = 0; i < self->n; i++)
    self->weight[i] = 1.0;
  uint32_t i = 0;
  const char *p = text;
  while (*p != '\0')
    {
      char *end;
      errno = 0;
      double w = strtod (p, &end);
      if (end == p || errno != 0 || !isfinite (w) || w < 0.0 || (*end != ',' && *end != '\0'))
        return dmas_error_set (err, DMAS_EINVAL,
                               "weighted-voting: weights \"%s\": entry %u is not a number >= 0 "
                               "(write e.g. \"2,1,1.5\")",
                               text, i + 1);
      if (i >= self->n)
        return dmas_error_set (err, DMAS_EINVAL,
                               "weighted-voting: weights \"%s\" lists more values than the %u "
                               "agents",
                               text, self->n);
      self->weight[i++] = w;
      p = *end == ',' ? end + 1 : end;
    }
  return sum_weights (self, "weights", text, err);
}

/* The specialisations bidding/llm knows, in the order of specialisation_weights' table. */
static const char *const wv_specialisations[] = {
  "gpu", "memory", "compute", "storage", "network", "general",
};
#define WV_N_SPECIALISATIONS (sizeof wv_specialisations / sizeof wv_specialisations[0])

/* The comma-separated entry at *p, spaces around it trimmed: [*start, *stop).  Moves *p past
 * the comma, or to NULL after the last entry.  Returns 0 when *p is NULL.  So "a," has two
 * entries, the second empty (callers start with NULL for an empty text: no entries). */
static int
next_entry (const char **p, const char **start, const char **stop)
{
  if (*p == NULL)
    return 0;
  const char *end = strchr (*p, ',');
  if (end == NULL)
    end = *p + strlen (*p);
  const char *a = *p, *b = end;
  while (a < b && (*a == ' ' || *a == '\t'))
    a++;
  while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
    b--;
  *start = a;
  *stop = b;
  *p = *end == ',' ? end + 1 : NULL;
  return 1;
}

/* The index in wv_specialisations of the name [a, b), or -1. */
static int
specialisation_index (const char *a, const char *b)
{
  for (size_t i = 0; i < WV_N_SPECIALISATIONS; i++)
    if (strlen (wv_specialisations[i]) == (size_t) (b - a)
        && strncmp (a, wv_specialisations[i], (size_t) (b - a)) == 0)
      return (int) i;
  return -1;
}

/* Parses "gpu=1.5,memory=1.25" into table[] (names left out weigh 1).  Returns DMAS_OK or
 * fills err. */
static int
parse_specialisation_weights (const char *text, double table[WV_N_SPECIALISATIONS],
                              DmasError *err)
{
  int given[WV_N_SPECIALISATIONS] = { 0 };
  for (size_t i = 0; i < WV_N_SPECIALISATIONS; i++)
    table[i] = 1.0;
  const char *p = *text != '\0' ? text : NULL, *a, *b;
  for (uint32_t entry = 1; next_entry (&p, &a, &b); entry++)
    {
      const char *eq = memchr (a, '=', (size_t) (b - a));
      const char *name_end = eq != NULL ? eq : b;
      while (name_end > a && (name_end[-1] == ' ' || name_end[-1] == '\t'))
        name_end--;
      int k = specialisation_index (a, name_end);
      char *end = NULL;
      double w = 0.0;
      if (eq != NULL)
        {
          errno = 0;
          w = strtod (eq + 1, &end);
          while (end != NULL && end < b && (*end == ' ' || *end == '\t'))
            end++;
        }
      if (eq == NULL || k < 0 || end == eq + 1 || end != b || errno != 0 || !isfinite (w)
          || w < 0.0)
        return dmas_error_set (err, DMAS_EINVAL,
                               "weighted-voting: specialisation_weights \"%.80s\": entry %u is "
                               "not NAME=WEIGHT (NAME: gpu, memory, compute, storage, network "
                               "or general; WEIGHT >= 0)",
                               text, entry);
      if (given[k])
        return dmas_error_set (err, DMAS_EINVAL,
                               "weighted-voting: specialisation_weights \"%.80s\" gives %s twice",
                               text, wv_specialisations[k]);
      given[k] = 1;
      table[k] = w;
    }
  return DMAS_OK;
}

/* Weighs agent i by the weight of the i-th name of `text` (one name per agent, id order). */
static int
parse_specialisations (Voting *self, const char *text, const double table[WV_N_SPECIALISATIONS],
                       DmasError *err)
{
  uint32_t i = 0;
  const char *p = *text != '\0' ? text : NULL, *a, *b;
  while (next_entry (&p, &a, &b))
    {
      int k = specialisation_index (a, b);
      if (k < 0)
        return dmas_error_set (err, DMAS_EINVAL,
                               "weighted-voting: specialisations \"%.80s\": entry %u is not one of "
                               "gpu, memory, compute, storage, network, general",
                               text, i + 1);
      if (i < self->n)
        self->weight[i] = table[k];
      i++;
    }
  if (i != self->n)
    return dmas_error_set (err, DMAS_EINVAL,
                           "weighted-voting: specialisations \"%.80s\" names %u agents, the "
                           "platform has %u; give one per agent in id order",
                           text, i, self->n);
  return sum_weights (self, "specialisations", text, err);
}

static void *
voting_create (DmasCtx *ctx, DmasError *err)
{
  Voting tmp = { 0 };
  const char *weights, *specialisations, *specialisation_weights;
  int rc = ctx->api->param_duration (ctx, "window", &tmp.window);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "vote_timeout", &tmp.vote_timeout);
  if (rc == DMAS_OK)
    rc = ctx->api->param_int (ctx, "max_rounds", &tmp.max_rounds);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "retain", &tmp.retain);
  if (rc == DMAS_OK)
    rc = ctx->api->param_string (ctx, "weights", &weights);
  if (rc == DMAS_OK)
    rc = ctx->api->param_string (ctx, "specialisations", &specialisations);
  if (rc == DMAS_OK)
    rc = ctx->api->param_string (ctx, "specialisation_weights", &specialisation_weights);
  if (rc != DMAS_OK)
    {
      dmas_error_set (err, rc, "weighted-voting: cannot read its parameters (status %d)", rc);
      return NULL;
    }
  if (tmp.vote_timeout == 0 || tmp.retain == 0 || tmp.max_rounds < 1 || tmp.max_rounds > 1000)
    {
      dmas_error_set (err, DMAS_EINVAL,
                      "weighted-voting: vote_timeout and retain must be > 0 and max_rounds in "
                      "1..1000 (got %lld)",
                      (long long) tmp.max_rounds);
      return NULL;
    }
  if (*weights != '\0' && *specialisations != '\0')
    {
      dmas_error_set (err, DMAS_EINVAL,
                      "weighted-voting: weights and specialisations are both set; give one "
                      "(specialisations weighs each agent by specialisation_weights)");
      return NULL;
    }
  double table[WV_N_SPECIALISATIONS];
  if (parse_specialisation_weights (specialisation_weights, table, err) != DMAS_OK)
    return NULL;
  tmp.self_id = dmas_self (ctx);
  tmp.members = ctx->api->members (ctx, &tmp.n);
  tmp.self_idx = member_index (tmp.members, tmp.n, tmp.self_id);
  if (tmp.self_idx < 0)
    {
      dmas_error_set (err, DMAS_EINVAL, "weighted-voting: this agent (%u) is not a member",
                      tmp.self_id);
      return NULL;
    }
  Voting *self = malloc (sizeof *self);
  if (self != NULL)
    {
      *self = tmp;
      self->weight = calloc (tmp.n, sizeof *self->weight);
    }
  if (self == NULL || self->weight == NULL)
    {
      free (self);
      dmas_error_set (err, DMAS_ENOMEM, "weighted-voting: out of memory");
      return NULL;
    }
  rc = *specialisations != '\0' ? parse_specialisations (self, specialisations, table, err)
                                   : parse_weights (self, weights, err);
  if (rc != DMAS_OK)
    {
      free (self->weight);
      free (self);
      return NULL;
    }
  return self;
}

static void
voting_destroy (void *self_)
{
  Voting *self = self_;
  if (self == NULL)
    return;
  slot_vec_clear (&self->slots, wslot_free);
  free (self->weight);
  free (self);
}

static const DmasConsensusOps voting_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = voting_create,
  .destroy = voting_destroy,
  .propose = voting_propose,
  .on_message = voting_on_message,
  .agent_status = NULL,
  .fault_model = DMAS_FAULT_MODEL_NONE,
};

static const DmasParamSpec voting_params[] = {
  { "weights", DMAS_PARAM_STRING, "",
    "vote weight per agent in id order, e.g. \"2,1,1,1.5\"; missing entries weigh 1" },
  { "specialisations", DMAS_PARAM_STRING, "",
    "instead of weights: each agent's specialisation in id order (gpu, memory, compute, "
    "storage, network, general), weighed by specialisation_weights; \"\" = none" },
  { "specialisation_weights", DMAS_PARAM_STRING,
    "gpu=1.5,memory=1.25,compute=1.25,storage=1,network=1,general=1",
    "the vote weight of each specialisation (NAME=WEIGHT pairs; names left out weigh 1)" },
  { "window", DMAS_PARAM_DURATION, "100ms",
    "how long an agent collects bids after its proposal before voting (less if all bid)" },
  { "vote_timeout", DMAS_PARAM_DURATION, "300ms",
    "re-vote for the heaviest candidate when no candidate won this long after a vote" },
  { "max_rounds", DMAS_PARAM_INT, "5", "voting rounds per slot before an agent stops voting" },
  { "retain", DMAS_PARAM_DURATION, "60s",
    "how long a decided or idle slot is remembered to answer late votes" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent voting_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_CONSENSUS,
    .name = "weighted-voting",
    .api_major = DMAS_CONSENSUS_API_MAJOR,
    .api_minor = DMAS_CONSENSUS_API_MINOR,
    .ops = &voting_ops,
    .summary = "agents vote for the best bid they saw; a candidate with more than half the "
               "total weight wins",
    .params = voting_params,
  },
};

static const DmasPluginDesc voting_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "weighted-voting",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = voting_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &voting_desc;
}
