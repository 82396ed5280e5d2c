/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/tendermint: Tendermint BFT consensus (Buchman, Kwon, Milosevic 2018), one height per slot. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

/* Protocol: Algorithm 1 of "The latest gossip on BFT consensus" (2018), one height per slot
 * (job, epoch), every height running concurrently and independently.  Line numbers below
 * ("L22") refer to that algorithm.
 *
 *   Values.  A value is a winner (agent, score), or the rejection (DMAS_AGENT_NONE, 0).  It
 *   travels with its evidence: the signed bids it was chosen from.  propose(slot, bid) signs
 *   the agent's own bid (host sign()) and broadcasts it as BID, so every proposer can build a
 *   proposal.  The proposer of round r is members[(hash(job, epoch) + r) mod n]; its
 *   getValue() is the best bid (dmas_bid_better, score > 0) among the signed bids it holds,
 *   once it holds a quorum of them: all n at once, or a quorum after `bid_wait` from the
 *   round's start (so a proposer does not skip a slow agent's better bid for nothing).
 *   valid(v): the evidence holds at least a quorum of distinct members' bids for this slot,
 *   every signature verifies, and v is the best of them (the rejection when all are 0).  A
 *   faulty proposer therefore cannot invent a winner nor pass over the best bid it shows.
 *   Votes name the value by (agent, score): two proposals that pick the same winner with the
 *   same score are the same value whatever their evidence.
 *
 *   Quorums.  f = floor((n-1)/3); a quorum is n - f votes ("more than two thirds": 2f+1 when
 *   n = 3f+1).  n - f rather than a fixed 2f+1 keeps any two quorums intersecting in f+1
 *   agents, hence in a correct one, for every n (with n = 5, 2f+1 = 3 would not).  The
 *   round-skip rule (L55) and the catch-up below use f+1.
 *
 *   Messages (n agents, no faults, decision in round 0): BID broadcast n(n-1), PROPOSAL n-1,
 *   PREVOTE n(n-1), PRECOMMIT n(n-1): (3n+1)(n-1) per slot (39 for n = 4, 64 for n = 5).  An
 *   agent delivers its own proposal and votes to itself without the network.  Votes are
 *   signed (host sign()) so that they can be relayed; a vote straight from its voter is
 *   authentic by the envelope anyway, a relayed one must verify.
 *
 *   Deciding (L49): a quorum of precommits for v in any round.  The paper also waits for that
 *   round's PROPOSAL, to learn the block behind id(v); here a value is its own content and a
 *   quorum of precommits holds f+1 correct agents that checked valid(v).
 *
 *   Timeouts grow with the round: timeoutPropose(r) = timeout_propose + r * timeout_delta,
 *   timeoutPrevote(r) = timeoutPrecommit(r) = timeout_vote + r * timeout_delta.
 *
 *   Gossip.  Tendermint's gossip layer re-sends what peers lack; without it one lost message
 *   (dropped, or sent to an agent that was down) can stall a height forever.  A height that
 *   stays in one round for timeout_propose + 2 timeout_vote + 3 r timeout_delta re-sends the
 *   bids and votes it holds (see gossip()); a round that goes well never sees it.
 *
 *   Catch-up.  Real Tendermint lets a node that missed a height fetch the committed block
 *   with its commit.  Here, an agent that decided a slot in round d answers a laggard's own
 *   PROPOSAL/PREVOTE/PRECOMMIT for a round > d, or arriving timeout_propose after the
 *   decision (a re-send, not the decision's normal tail, so the count above holds), with the
 *   commit certificate: the signed precommits of round d, as COMMIT messages, kept `retain`.
 *   Past that, or for a decision restored from storage, it answers DECIDED(value), and f+1
 *   matching DECIDED from distinct agents make a laggard decide (one of them is correct).
 *
 *   Joining.  An agent that was down when the slot was announced never gets propose(); it
 *   starts the height in round r on f+1 messages of round r (L55 applied to a height it has
 *   not started), and votes without a bid of its own.
 *
 *   Stable storage.  Per open height, key "tendermint/<job>/<epoch>": round, lockedValue,
 *   lockedRound, validValue (with its evidence), validRound; written when a round starts and
 *   when the lock changes, before any message of that step leaves.  A decided height keeps a
 *   small record (its value), so a restarted agent never decides it twice.  Key
 *   "tendermint/open" lists the open heights.  A restarted instance restores them in create()
 *   and resumes each in round + 1 at its first callback: never in the persisted round itself,
 *   where it may already have proposed or voted (a correct agent must not vote twice).
 *
 * Metrics (summed over agents by the host): "rounds" +1 per round an agent starts (round 0 of
 * each height it opens, and every later round), "round_changes" +1 per round started beyond
 * 0; with n agents and no faults, "rounds" = n per slot and "round_changes" = 0.  Also
 * "retransmissions" (gossip firings), "catchups" (decisions taken from DECIDED),
 * "invalid_proposals" (valid(v) failed), "equivocations", "malformed", "unexpected",
 * "dropped_rounds".
 *
 * Memory: decided slots keep a small record for the run (to answer laggards and ignore late
 * messages) and their certificate for `retain`; per slot at most MAX_ROUND_RECS rounds are stored, beyond that messages of new
 * rounds are dropped (metric "dropped_rounds"): a Byzantine agent cannot grow memory without
 * bound by sending ever higher rounds. */

enum {
  TM_MSG_BID = 1,
  TM_MSG_PROPOSAL = 2,
  TM_MSG_PREVOTE = 3,
  TM_MSG_PRECOMMIT = 4,
  TM_MSG_DECIDED = 5,
  TM_MSG_COMMIT = 6, /* a precommit of a commit certificate, relayed to a laggard */
};

/* BID: job u64 | epoch u32 | home u32 | agent u32 | score f64 | sig 32 */
#define BID_LEN (28 + DMAS_SIG_SIZE)
/* PROPOSAL: job u64 | epoch u32 | home u32 | round u32 | vr u32 (~0 = -1) | agent u32 |
 * score f64 | n_ev u32 | n_ev x (agent u32 | score f64 | sig 32) */
#define PROPOSAL_HEAD 40
#define EV_LEN (12 + DMAS_SIG_SIZE)
/* PREVOTE/PRECOMMIT: job u64 | epoch u32 | home u32 | round u32 | kind u32 | agent u32 |
 * score f64 | voter u32 | sig 32.  DECIDED: the same with kind = VOTE_VALUE, round = the
 * decision round, voter = the sender and no signature (zeros). */
#define VOTE_LEN (40 + DMAS_SIG_SIZE)

#define MAX_ROUND_RECS 256
#define MAX_ROUND 0x7ffffff0

typedef enum { STEP_PROPOSE = 0, STEP_PREVOTE = 1, STEP_PRECOMMIT = 2 } Step;
typedef enum { SLOT_BUFFERED = 0, SLOT_ACTIVE = 1, SLOT_DONE = 2 } SlotState;
typedef enum { VOTE_NONE = 0, VOTE_NIL = 1, VOTE_VALUE = 2 } VoteKind;
typedef enum { T_PROPOSE, T_PREVOTE, T_PRECOMMIT, T_BIDWAIT, T_GOSSIP } TimerKind;

typedef struct {
  DmasAgentId agent; /* DMAS_AGENT_NONE: the rejection */
  double score;
} Value;

typedef struct {
  DmasAgentId agent; /* DMAS_AGENT_NONE: not held */
  double score;
  uint8_t sig[DMAS_SIG_SIZE];
} SignedBid;

typedef struct {
  uint8_t kind; /* VoteKind */
  Value v;
  uint8_t sig[DMAS_SIG_SIZE]; /* the voter's, so the vote can be relayed */
} Vote;

typedef struct {
  int have;
  int valid;
  int32_t vr;
  Value v;
  uint32_t n_ev;
  SignedBid *ev;
} Proposal;

typedef struct {
  int32_t round;
  Proposal prop;
  Vote *prevote;   /* n, by member index */
  Vote *precommit; /* n */
  uint8_t prevote_timer, precommit_timer, polka_done;
} RoundRec;

typedef struct {
  DmasJobId job;
  uint32_t epoch;
  DmasAgentId home;
  uint8_t state;    /* SlotState */
  uint8_t step;     /* Step */
  uint8_t proposed; /* propose() was called */
  uint8_t proposal_sent;
  uint8_t resume;   /* restored: start round + 1 at the next callback */
  int32_t round;
  DmasTime round_started;
  int32_t locked_round;
  Value locked;
  int32_t valid_round;
  Value valid;
  uint32_t valid_n_ev;
  SignedBid *valid_ev;
  SignedBid *bids; /* n, by member index */
  uint32_t n_bids;
  RoundRec *rounds; /* sorted by round */
  uint32_t n_rounds, cap_rounds;
  Vote *decided_msgs; /* n: DECIDED received, for the catch-up */
  Vote *cert;         /* n: after the decision, the signed precommits that made it, kept
                         `retain` to bring laggards up to date */
  Value decision;
  int32_t decided_round;
  DmasTime decided_at;
} Slot;

typedef struct {
  DmasTime timeout_propose, timeout_vote, timeout_delta, bid_wait;
  const DmasAgentId *members;
  uint32_t n, f, quorum;
  DmasAgentId self_id;
  uint32_t self_idx;

  Slot **table; /* open addressing by (job, epoch), never deleted from */
  size_t capacity, used;

  struct { DmasJobId job; uint32_t epoch; } *open; /* open heights, as persisted */
  size_t n_open, cap_open;
  int resume_pending;

  DmasTime retain;
  Slot **certs; /* FIFO ring of decided slots holding a cert, in decision order */
  size_t certs_cap, certs_head, certs_len;
} Tendermint;

typedef struct {
  Tendermint *self;
  DmasJobId job;
  uint32_t epoch;
  int32_t round;
  TimerKind kind;
} TimerData;

/* --- helpers ---------------------------------------------------------------------------- */

static uint64_t
mix64 (uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static uint64_t
slot_hash (DmasJobId job, uint32_t epoch)
{
  return mix64 (job * 0x9E3779B97F4A7C15ull ^ ((uint64_t) epoch << 32 | epoch));
}

static int
value_eq (Value a, Value b)
{
  uint64_t x, y;
  memcpy (&x, &a.score, sizeof x);
  memcpy (&y, &b.score, sizeof y);
  return a.agent == b.agent && x == y;
}

static int
member_index (const Tendermint *self, DmasAgentId agent, uint32_t *index)
{
  uint32_t lo = 0, hi = self->n;
  while (lo < hi)
    {
      uint32_t mid = lo + (hi - lo) / 2;
      if (self->members[mid] < agent)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == self->n || self->members[lo] != agent)
    return 0;
  *index = lo;
  return 1;
}

static DmasAgentId
proposer_of (const Tendermint *self, const Slot *s, int32_t round)
{
  return self->members[(slot_hash (s->job, s->epoch) + (uint64_t) round) % self->n];
}

/* What a bid's signature covers: a domain tag, so a signature made for another protocol or
 * message never passes for a bid here, then the slot, the bidder and the score. */
static void
bid_signed_bytes (uint8_t out[32], DmasJobId job, uint32_t epoch, DmasAgentId agent,
                  double score)
{
  memcpy (out, "tm-bid\0\0", 8);
  dmas_put_u64 (out + 8, job);
  dmas_put_u32 (out + 16, epoch);
  dmas_put_u32 (out + 20, agent);
  dmas_put_double (out + 24, score);
}

static int
bid_verify (DmasCtx *ctx, DmasJobId job, uint32_t epoch, const SignedBid *b)
{
  uint8_t data[32];
  if (!isfinite (b->score) || b->score < 0.0)
    return 0;
  bid_signed_bytes (data, job, epoch, b->agent, b->score);
  return ctx->api->verify (ctx, b->agent, data, sizeof data, b->sig) == 1;
}

/* getValue() and the heart of valid(v): the best bid > 0, else the rejection. */
static Value
best_of (DmasJobId job, const SignedBid *bids, uint32_t n)
{
  DmasBid best = { .job = job, .agent = DMAS_AGENT_NONE, .reserved = 0, .score = 0.0 };
  for (uint32_t i = 0; i < n; i++)
    {
      DmasBid b = { .job = job, .agent = bids[i].agent, .reserved = 0, .score = bids[i].score };
      if (b.agent == DMAS_AGENT_NONE || !(b.score > 0.0))
        continue;
      if (best.agent == DMAS_AGENT_NONE || dmas_bid_better (&b, &best))
        best = b;
    }
  return (Value){ best.agent, best.agent == DMAS_AGENT_NONE ? 0.0 : best.score };
}

/* --- slot table --------------------------------------------------------------------------- */

static Slot *
table_lookup (Tendermint *self, DmasJobId job, uint32_t epoch)
{
  size_t mask = self->capacity - 1;
  for (size_t i = slot_hash (job, epoch) & mask;; i = (i + 1) & mask)
    {
      Slot *s = self->table[i];
      if (s == NULL)
        return NULL;
      if (s->job == job && s->epoch == epoch)
        return s;
    }
}

static void
table_place (Slot **table, size_t capacity, Slot *s)
{
  size_t mask = capacity - 1;
  size_t i = slot_hash (s->job, s->epoch) & mask;
  while (table[i] != NULL)
    i = (i + 1) & mask;
  table[i] = s;
}

static int
table_insert (Tendermint *self, Slot *s)
{
  if (2 * (self->used + 1) > self->capacity)
    {
      size_t capacity = self->capacity * 2;
      Slot **table = calloc (capacity, sizeof *table);
      if (table == NULL)
        return DMAS_ENOMEM;
      for (size_t i = 0; i < self->capacity; i++)
        if (self->table[i] != NULL)
          table_place (table, capacity, self->table[i]);
      free (self->table);
      self->table = table;
      self->capacity = capacity;
    }
  table_place (self->table, self->capacity, s);
  self->used++;
  return DMAS_OK;
}

static void
slot_free_volatile (Slot *s)
{
  for (uint32_t i = 0; i < s->n_rounds; i++)
    {
      free (s->rounds[i].prop.ev);
      free (s->rounds[i].prevote);
    }
  free (s->rounds);
  s->rounds = NULL;
  s->n_rounds = s->cap_rounds = 0;
  free (s->bids);
  s->bids = NULL;
  free (s->valid_ev);
  s->valid_ev = NULL;
  s->valid_n_ev = 0;
  free (s->decided_msgs);
  s->decided_msgs = NULL;
  free (s->cert);
  s->cert = NULL;
  s->decided_msgs = NULL;
}

static void
slot_free (Slot *s)
{
  if (s == NULL)
    return;
  slot_free_volatile (s);
  free (s);
}

/* --- stable storage ----------------------------------------------------------------------- */

#define STORE_VERSION 0x544d3031u /* "TM01" */
#define STORE_HEAD 52
enum { STORE_OPEN = 1, STORE_DECIDED = 2 };

static void
slot_key (char key[64], DmasJobId job, uint32_t epoch)
{
  snprintf (key, 64, "tendermint/%llu/%u", (unsigned long long) job, epoch);
}

/* version u32 | status u32 | home u32 | round i32 | locked_round i32 | locked agent u32 |
 * locked score f64 | valid_round i32 | valid agent u32 | valid score f64 | n_ev u32 | ev...
 * A decided record stores the decision round in `round` and the decision as `locked`. */
static int
slot_persist (Tendermint *self, DmasCtx *ctx, const Slot *s)
{
  (void) self;
  int decided = s->state == SLOT_DONE;
  uint32_t n_ev = decided ? 0 : s->valid_n_ev;
  size_t len = STORE_HEAD + (size_t) n_ev * EV_LEN;
  uint8_t *buf = malloc (len);
  if (buf == NULL)
    return DMAS_ENOMEM;
  dmas_put_u32 (buf, STORE_VERSION);
  dmas_put_u32 (buf + 4, decided ? STORE_DECIDED : STORE_OPEN);
  dmas_put_u32 (buf + 8, s->home);
  dmas_put_u32 (buf + 12, (uint32_t) (decided ? s->decided_round : s->round));
  dmas_put_u32 (buf + 16, (uint32_t) s->locked_round);
  dmas_put_u32 (buf + 20, decided ? s->decision.agent : s->locked.agent);
  dmas_put_double (buf + 24, decided ? s->decision.score : s->locked.score);
  dmas_put_u32 (buf + 32, (uint32_t) s->valid_round);
  dmas_put_u32 (buf + 36, s->valid.agent);
  dmas_put_double (buf + 40, s->valid.score);
  dmas_put_u32 (buf + 48, n_ev);
  for (uint32_t i = 0; i < n_ev; i++)
    {
      uint8_t *p = buf + STORE_HEAD + (size_t) i * EV_LEN;
      dmas_put_u32 (p, s->valid_ev[i].agent);
      dmas_put_double (p + 4, s->valid_ev[i].score);
      memcpy (p + 12, s->valid_ev[i].sig, DMAS_SIG_SIZE);
    }
  char key[64];
  slot_key (key, s->job, s->epoch);
  int rc = ctx->api->persist (ctx, key, buf, len);
  free (buf);
  return rc;
}

static void
open_index_persist (Tendermint *self, DmasCtx *ctx)
{
  uint8_t *buf = malloc (self->n_open * 12 + 1);
  if (buf == NULL)
    return;
  for (size_t i = 0; i < self->n_open; i++)
    {
      dmas_put_u64 (buf + 12 * i, self->open[i].job);
      dmas_put_u32 (buf + 12 * i + 8, self->open[i].epoch);
    }
  ctx->api->persist (ctx, "tendermint/open", buf, self->n_open * 12);
  free (buf);
}

static int
open_index_append (Tendermint *self, const Slot *s)
{
  if (self->n_open == self->cap_open)
    {
      size_t cap = self->cap_open ? self->cap_open * 2 : 16;
      void *grown = realloc (self->open, cap * sizeof *self->open);
      if (grown == NULL)
        return 0; /* the height still persists its own record; only its eager resume is lost */
      self->open = grown;
      self->cap_open = cap;
    }
  self->open[self->n_open].job = s->job;
  self->open[self->n_open].epoch = s->epoch;
  self->n_open++;
  return 1;
}

static void
open_index_add (Tendermint *self, DmasCtx *ctx, const Slot *s)
{
  if (open_index_append (self, s))
    open_index_persist (self, ctx);
}

static void
open_index_remove (Tendermint *self, DmasCtx *ctx, const Slot *s)
{
  for (size_t i = 0; i < self->n_open; i++)
    if (self->open[i].job == s->job && self->open[i].epoch == s->epoch)
      {
        memmove (&self->open[i], &self->open[i + 1],
                 (self->n_open - i - 1) * sizeof *self->open);
        self->n_open--;
        open_index_persist (self, ctx);
        return;
      }
}

static Slot *slot_new (Tendermint *self, DmasJobId job, uint32_t epoch);

/* Rebuilds a slot from its stored record, or returns NULL when there is none (or it is
 * unreadable, which a fresh start handles safely only for heights this agent never voted in:
 * the record is written before any vote, so an unreadable one is logged loudly). */
static Slot *
slot_restore (Tendermint *self, DmasCtx *ctx, DmasJobId job, uint32_t epoch)
{
  char key[64];
  size_t len = 0;
  slot_key (key, job, epoch);
  const uint8_t *buf = ctx->api->restore (ctx, key, &len);
  if (buf == NULL)
    return NULL;
  uint32_t n_ev = len >= STORE_HEAD ? dmas_get_u32 (buf + 48) : 0;
  if (len < STORE_HEAD || dmas_get_u32 (buf) != STORE_VERSION || n_ev > self->n
      || len != STORE_HEAD + (size_t) n_ev * EV_LEN)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "tendermint: unreadable stored state for job %llu epoch %u",
                (unsigned long long) job, epoch);
      return NULL;
    }
  Slot *s = slot_new (self, job, epoch);
  if (s == NULL)
    return NULL;
  s->home = dmas_get_u32 (buf + 8);
  if (dmas_get_u32 (buf + 4) == STORE_DECIDED)
    {
      slot_free_volatile (s);
      s->state = SLOT_DONE;
      s->decided_round = (int32_t) dmas_get_u32 (buf + 12);
      s->decision = (Value){ dmas_get_u32 (buf + 20), dmas_get_double (buf + 24) };
      return s;
    }
  s->state = SLOT_ACTIVE;
  s->round = (int32_t) dmas_get_u32 (buf + 12);
  s->locked_round = (int32_t) dmas_get_u32 (buf + 16);
  s->locked = (Value){ dmas_get_u32 (buf + 20), dmas_get_double (buf + 24) };
  s->valid_round = (int32_t) dmas_get_u32 (buf + 32);
  s->valid = (Value){ dmas_get_u32 (buf + 36), dmas_get_double (buf + 40) };
  if (n_ev > 0)
    {
      s->valid_ev = calloc (n_ev, sizeof *s->valid_ev);
      if (s->valid_ev == NULL)
        {
          slot_free (s);
          return NULL;
        }
      for (uint32_t i = 0; i < n_ev; i++)
        {
          const uint8_t *p = buf + STORE_HEAD + (size_t) i * EV_LEN;
          s->valid_ev[i].agent = dmas_get_u32 (p);
          s->valid_ev[i].score = dmas_get_double (p + 4);
          memcpy (s->valid_ev[i].sig, p + 12, DMAS_SIG_SIZE);
        }
      s->valid_n_ev = n_ev;
    }
  s->resume = 1;
  self->resume_pending = 1;
  return s;
}

/* --- slots and rounds --------------------------------------------------------------------- */

static Slot *
slot_new (Tendermint *self, DmasJobId job, uint32_t epoch)
{
  Slot *s = calloc (1, sizeof *s);
  if (s == NULL)
    return NULL;
  s->bids = calloc (self->n, sizeof *s->bids);
  if (s->bids == NULL)
    {
      free (s);
      return NULL;
    }
  for (uint32_t i = 0; i < self->n; i++)
    s->bids[i].agent = DMAS_AGENT_NONE;
  s->job = job;
  s->epoch = epoch;
  s->home = DMAS_AGENT_NONE;
  s->state = SLOT_BUFFERED;
  s->round = -1;
  s->locked_round = -1;
  s->locked = (Value){ DMAS_AGENT_NONE, 0.0 };
  s->valid_round = -1;
  s->valid = (Value){ DMAS_AGENT_NONE, 0.0 };
  s->decided_round = -1;
  return s;
}

/* The slot's record: in memory, else from stable storage, else a new one. */
static Slot *
slot_get (Tendermint *self, DmasCtx *ctx, DmasJobId job, uint32_t epoch)
{
  Slot *s = table_lookup (self, job, epoch);
  if (s != NULL)
    return s;
  s = slot_restore (self, ctx, job, epoch);
  if (s == NULL)
    s = slot_new (self, job, epoch);
  if (s == NULL || table_insert (self, s) != DMAS_OK)
    {
      slot_free (s);
      dmas_log (ctx, DMAS_LOG_ERROR, "tendermint: out of memory for job %llu epoch %u",
                (unsigned long long) job, epoch);
      return NULL;
    }
  return s;
}

static RoundRec *
round_find (Slot *s, int32_t round)
{
  for (uint32_t i = 0; i < s->n_rounds; i++)
    if (s->rounds[i].round == round)
      return &s->rounds[i];
  return NULL;
}

/* Returns the round's record, creating it; NULL when out of memory or over MAX_ROUND_RECS.
 * The pointer is valid until the next round_get. */
static RoundRec *
round_get (Tendermint *self, DmasCtx *ctx, Slot *s, int32_t round)
{
  RoundRec *r = round_find (s, round);
  if (r != NULL)
    return r;
  if (s->n_rounds >= MAX_ROUND_RECS)
    {
      ctx->api->metric (ctx, "dropped_rounds", 1.0);
      return NULL;
    }
  if (s->n_rounds == s->cap_rounds)
    {
      uint32_t cap = s->cap_rounds ? s->cap_rounds * 2 : 2;
      RoundRec *grown = realloc (s->rounds, cap * sizeof *grown);
      if (grown == NULL)
        return NULL;
      s->rounds = grown;
      s->cap_rounds = cap;
    }
  Vote *votes = calloc (2 * (size_t) self->n, sizeof *votes);
  if (votes == NULL)
    return NULL;
  r = &s->rounds[s->n_rounds++];
  memset (r, 0, sizeof *r);
  r->round = round;
  r->prevote = votes;
  r->precommit = votes + self->n;
  return r;
}

static uint32_t
count_votes (const Tendermint *self, const Vote *votes, VoteKind kind, const Value *v)
{
  uint32_t c = 0;
  for (uint32_t i = 0; i < self->n; i++)
    {
      if (kind == VOTE_NONE)
        c += votes[i].kind != VOTE_NONE;
      else if (votes[i].kind == kind && (kind == VOTE_NIL || value_eq (votes[i].v, *v)))
        c++;
    }
  return c;
}

/* Distinct agents from which some message of this round arrived (L55). */
static uint32_t
round_senders (const Tendermint *self, const Slot *s, const RoundRec *r)
{
  uint32_t prop_idx = UINT32_MAX;
  if (r->prop.have)
    member_index (self, proposer_of (self, s, r->round), &prop_idx);
  uint32_t c = 0;
  for (uint32_t i = 0; i < self->n; i++)
    c += r->prevote[i].kind != VOTE_NONE || r->precommit[i].kind != VOTE_NONE || i == prop_idx;
  return c;
}

/* --- sending ------------------------------------------------------------------------------ */

static void
timer_schedule (Tendermint *self, DmasCtx *ctx, Slot *s, TimerKind kind, DmasTime delay);

/* What a vote's signature covers: tag, message type, slot, round, kind and value. */
static void
vote_signed_bytes (uint8_t out[44], uint32_t type, DmasJobId job, uint32_t epoch, int32_t round,
                   VoteKind kind, Value v)
{
  memcpy (out, "tm-vote\0", 8);
  dmas_put_u32 (out + 8, type);
  dmas_put_u64 (out + 12, job);
  dmas_put_u32 (out + 20, epoch);
  dmas_put_u32 (out + 24, (uint32_t) round);
  dmas_put_u32 (out + 28, kind);
  dmas_put_u32 (out + 32, kind == VOTE_VALUE ? v.agent : DMAS_AGENT_NONE);
  dmas_put_double (out + 36, kind == VOTE_VALUE ? v.score : 0.0);
}

static void
encode_vote (uint8_t body[VOTE_LEN], const Slot *s, int32_t round, VoteKind kind, Value v,
             DmasAgentId voter, const uint8_t *sig)
{
  dmas_put_u64 (body, s->job);
  dmas_put_u32 (body + 8, s->epoch);
  dmas_put_u32 (body + 12, s->home);
  dmas_put_u32 (body + 16, (uint32_t) round);
  dmas_put_u32 (body + 20, kind);
  dmas_put_u32 (body + 24, kind == VOTE_VALUE ? v.agent : DMAS_AGENT_NONE);
  dmas_put_double (body + 28, kind == VOTE_VALUE ? v.score : 0.0);
  dmas_put_u32 (body + 36, voter);
  if (sig != NULL)
    memcpy (body + 40, sig, DMAS_SIG_SIZE);
  else
    memset (body + 40, 0, DMAS_SIG_SIZE);
}

/* Records our own vote of the current round and sends it to the others. */
static void
cast_vote (Tendermint *self, DmasCtx *ctx, Slot *s, uint32_t type, VoteKind kind, Value v)
{
  Vote own = { (uint8_t) kind, kind == VOTE_VALUE ? v : (Value){ DMAS_AGENT_NONE, 0.0 }, { 0 } };
  uint8_t data[44];
  vote_signed_bytes (data, type, s->job, s->epoch, s->round, kind, own.v);
  ctx->api->sign (ctx, data, sizeof data, own.sig);
  RoundRec *r = round_get (self, ctx, s, s->round);
  if (r != NULL)
    {
      Vote *slot_votes = type == TM_MSG_PREVOTE ? r->prevote : r->precommit;
      slot_votes[self->self_idx] = own;
    }
  s->step = type == TM_MSG_PREVOTE ? STEP_PREVOTE : STEP_PRECOMMIT;
  uint8_t body[VOTE_LEN];
  encode_vote (body, s, s->round, kind, own.v, self->self_id, own.sig);
  ctx->api->broadcast (ctx, type, body, sizeof body);
}

static void
prevote (Tendermint *self, DmasCtx *ctx, Slot *s, int valid, Value v)
{
  cast_vote (self, ctx, s, TM_MSG_PREVOTE, valid ? VOTE_VALUE : VOTE_NIL, v);
}

static int proposal_store (Tendermint *self, DmasCtx *ctx, Slot *s, DmasAgentId src,
                           int32_t round, int32_t vr, Value v, uint32_t n_ev,
                           const SignedBid *ev);

static void
send_proposal (DmasCtx *ctx, const Slot *s, int32_t round, int32_t vr, Value v, uint32_t n_ev,
               const SignedBid *ev)
{
  size_t len = PROPOSAL_HEAD + (size_t) n_ev * EV_LEN;
  uint8_t *body = malloc (len);
  if (body == NULL)
    return; /* as if lost: the others time out */
  dmas_put_u64 (body, s->job);
  dmas_put_u32 (body + 8, s->epoch);
  dmas_put_u32 (body + 12, s->home);
  dmas_put_u32 (body + 16, (uint32_t) round);
  dmas_put_u32 (body + 20, (uint32_t) vr);
  dmas_put_u32 (body + 24, v.agent);
  dmas_put_double (body + 28, v.score);
  dmas_put_u32 (body + 36, n_ev);
  for (uint32_t i = 0; i < n_ev; i++)
    {
      uint8_t *p = body + PROPOSAL_HEAD + (size_t) i * EV_LEN;
      dmas_put_u32 (p, ev[i].agent);
      dmas_put_double (p + 4, ev[i].score);
      memcpy (p + 12, ev[i].sig, DMAS_SIG_SIZE);
    }
  ctx->api->broadcast (ctx, TM_MSG_PROPOSAL, body, len);
  free (body);
}

static void
send_bid (DmasCtx *ctx, const Slot *s, const SignedBid *b)
{
  uint8_t body[BID_LEN];
  dmas_put_u64 (body, s->job);
  dmas_put_u32 (body + 8, s->epoch);
  dmas_put_u32 (body + 12, s->home);
  dmas_put_u32 (body + 16, b->agent);
  dmas_put_double (body + 20, b->score);
  memcpy (body + 28, b->sig, DMAS_SIG_SIZE);
  ctx->api->broadcast (ctx, TM_MSG_BID, body, sizeof body);
}

/* The proposer's half of StartRound (L14-L19), retried while it waits for bids. */
static void
try_propose (Tendermint *self, DmasCtx *ctx, Slot *s)
{
  if (s->state != SLOT_ACTIVE || s->step != STEP_PROPOSE || s->proposal_sent
      || proposer_of (self, s, s->round) != self->self_id)
    return;

  Value v;
  int32_t vr = -1;
  uint32_t n_ev = 0;
  SignedBid *ev = NULL;
  SignedBid *own = NULL;
  if (s->valid_round >= 0 && s->valid_ev != NULL)
    {
      v = s->valid;
      vr = s->valid_round;
      n_ev = s->valid_n_ev;
      ev = s->valid_ev;
    }
  else
    {
      int waited = dmas_now (ctx) - s->round_started >= self->bid_wait;
      if (s->n_bids < self->quorum || (s->n_bids < self->n && !waited))
        return;
      own = calloc (s->n_bids, sizeof *own);
      if (own == NULL)
        return;
      for (uint32_t i = 0; i < self->n; i++)
        if (s->bids[i].agent != DMAS_AGENT_NONE)
          own[n_ev++] = s->bids[i];
      ev = own;
      v = best_of (s->job, ev, n_ev);
    }

  s->proposal_sent = 1;
  send_proposal (ctx, s, s->round, vr, v, n_ev, ev);
  proposal_store (self, ctx, s, self->self_id, s->round, vr, v, n_ev, ev);
  free (own);
}

/* Long enough that a round that goes well never sees it: a proposal, two vote steps. */
static DmasTime
gossip_interval (const Tendermint *self, int32_t round)
{
  return self->timeout_propose + 2 * self->timeout_vote + 3 * (DmasTime) round * self->timeout_delta;
}

static void
relay_votes (Tendermint *self, DmasCtx *ctx, const Slot *s, const RoundRec *r, uint32_t type)
{
  const Vote *votes = type == TM_MSG_PREVOTE ? r->prevote : r->precommit;
  uint8_t body[VOTE_LEN];
  for (uint32_t i = 0; i < self->n; i++)
    if (votes[i].kind != VOTE_NONE)
      {
        encode_vote (body, s, r->round, (VoteKind) votes[i].kind, votes[i].v, self->members[i],
                     votes[i].sig);
        ctx->api->broadcast (ctx, type, body, sizeof body);
      }
}

/* Tendermint's gossip layer keeps re-sending what a peer lacks; without it a message lost
 * (dropped, or sent to an agent that was down) can leave a height short of a quorum forever
 * -- even among correct, connected agents, when the lost message was the vote of an agent
 * that crashed since.  Here a height stuck in the same round for gossip_interval re-sends,
 * signed by their authors: every bid it holds, its own proposal of the round, every vote it
 * holds for the round, the precommits of the previous round (which move an agent left
 * behind there into this one: with at most f agents ahead, the skip rule cannot), and the
 * prevotes of the rounds a proposal may cite as its validRound (lockedRound, validRound, the
 * current proposal's vr).  Receivers keep the first copy. */
static void
gossip (Tendermint *self, DmasCtx *ctx, Slot *s)
{
  ctx->api->metric (ctx, "retransmissions", 1.0);
  for (uint32_t i = 0; i < self->n; i++)
    if (s->bids[i].agent != DMAS_AGENT_NONE)
      send_bid (ctx, s, &s->bids[i]);
  RoundRec *r = round_find (s, s->round);
  int32_t cited[3] = { s->locked_round, s->valid_round, -1 };
  if (r != NULL)
    {
      if (r->prop.have && proposer_of (self, s, s->round) == self->self_id)
        send_proposal (ctx, s, s->round, r->prop.vr, r->prop.v, r->prop.n_ev, r->prop.ev);
      relay_votes (self, ctx, s, r, TM_MSG_PREVOTE);
      relay_votes (self, ctx, s, r, TM_MSG_PRECOMMIT);
      if (r->prop.have)
        cited[2] = r->prop.vr;
    }
  const RoundRec *prev = s->round > 0 ? round_find (s, s->round - 1) : NULL;
  if (prev != NULL)
    relay_votes (self, ctx, s, prev, TM_MSG_PRECOMMIT);
  for (int k = 0; k < 3; k++)
    {
      int dup = cited[k] < 0 || cited[k] == s->round || (k > 0 && cited[k] == cited[0])
                || (k > 1 && cited[k] == cited[1]);
      const RoundRec *c = dup ? NULL : round_find (s, cited[k]);
      if (c != NULL)
        relay_votes (self, ctx, s, c, TM_MSG_PREVOTE);
    }
}

/* StartRound (L11-L21). */
static void
start_round (Tendermint *self, DmasCtx *ctx, Slot *s, int32_t round)
{
  if (s->state == SLOT_BUFFERED)
    {
      s->state = SLOT_ACTIVE;
      open_index_add (self, ctx, s);
    }
  s->round = round;
  s->step = STEP_PROPOSE;
  s->proposal_sent = 0;
  s->round_started = dmas_now (ctx);
  ctx->api->metric (ctx, "rounds", 1.0);
  if (round > 0)
    ctx->api->metric (ctx, "round_changes", 1.0);
  /* Before anything of this round leaves: a restart resumes in round + 1. */
  slot_persist (self, ctx, s);

  /* Everyone arms timeoutPropose, the proposer too: if it still lacks a quorum of bids
   * when it fires, it prevotes nil like the others (L57). */
  timer_schedule (self, ctx, s, T_PROPOSE,
                  self->timeout_propose + (DmasTime) round * self->timeout_delta);
  timer_schedule (self, ctx, s, T_GOSSIP, gossip_interval (self, round));
  if (proposer_of (self, s, round) == self->self_id)
    {
      try_propose (self, ctx, s);
      if (!s->proposal_sent && self->bid_wait > 0)
        timer_schedule (self, ctx, s, T_BIDWAIT, self->bid_wait);
    }
}

static void
decide (Tendermint *self, DmasCtx *ctx, Slot *s, Value v, int32_t round)
{
  int was_open = s->state == SLOT_ACTIVE;
  s->state = SLOT_DONE;
  s->decision = v;
  s->decided_round = round;
  s->decided_at = dmas_now (ctx);
  /* The commit certificate: the quorum of signed precommits for v in the decision round. */
  Vote *cert = NULL;
  RoundRec *r = round_find (s, round);
  if (r != NULL && (cert = calloc (self->n, sizeof *cert)) != NULL)
    for (uint32_t i = 0; i < self->n; i++)
      if (r->precommit[i].kind == VOTE_VALUE && value_eq (r->precommit[i].v, v))
        cert[i] = r->precommit[i];
  slot_free_volatile (s);
  if (cert != NULL)
    {
      if (self->certs_len == self->certs_cap)
        {
          size_t cap = self->certs_cap ? self->certs_cap * 2 : 64;
          Slot **ring = malloc (cap * sizeof *ring);
          if (ring != NULL)
            {
              for (size_t k = 0; k < self->certs_len; k++)
                ring[k] = self->certs[(self->certs_head + k) % self->certs_cap];
              free (self->certs);
              self->certs = ring;
              self->certs_cap = cap;
              self->certs_head = 0;
            }
        }
      if (self->certs_len < self->certs_cap)
        {
          s->cert = cert;
          self->certs[(self->certs_head + self->certs_len) % self->certs_cap] = s;
          self->certs_len++;
        }
      else
        free (cert);
    }
  slot_persist (self, ctx, s);
  if (was_open)
    open_index_remove (self, ctx, s);
  DmasSlot ds = { .job = s->job, .epoch = s->epoch, .home = s->home };
  DmasBid bid = { .job = s->job, .agent = v.agent, .reserved = 0,
                  .score = v.agent == DMAS_AGENT_NONE ? 0.0 : v.score };
  ctx->api->decide (ctx, &ds, &bid);
}

/* --- the upon rules ----------------------------------------------------------------------- */

/* Applies every rule of Algorithm 1 that the slot's state enables, until none does. */
static void
progress (Tendermint *self, DmasCtx *ctx, Slot *s)
{
  for (;;)
    {
      if (s->state == SLOT_DONE)
        return;

      /* L49: a quorum of precommits for v in any round.  The paper also waits for the
       * round's PROPOSAL, to learn the block behind id(v); here a value is its own content,
       * and a quorum of precommits holds f+1 correct agents that checked valid(v), so the
       * precommits alone -- a commit certificate, relayable since they are signed -- decide. */
      for (uint32_t i = 0; i < s->n_rounds; i++)
        {
          RoundRec *r = &s->rounds[i];
          for (uint32_t k = 0; k < self->n; k++)
            if (r->precommit[k].kind == VOTE_VALUE
                && count_votes (self, r->precommit, VOTE_VALUE, &r->precommit[k].v)
                       >= self->quorum)
              {
                decide (self, ctx, s, r->precommit[k].v, r->round);
                return;
              }
        }

      if (s->resume)
        {
          s->resume = 0;
          start_round (self, ctx, s, s->round + 1);
          continue;
        }

      /* L55, and joining a height this agent never started: f+1 agents in a higher round. */
      int32_t skip = -1;
      for (uint32_t i = 0; i < s->n_rounds; i++)
        if (s->rounds[i].round > s->round && s->rounds[i].round > skip
            && round_senders (self, s, &s->rounds[i]) >= self->f + 1)
          skip = s->rounds[i].round;
      if (skip >= 0)
        {
          start_round (self, ctx, s, skip);
          continue;
        }
      if (s->state != SLOT_ACTIVE)
        return;

      try_propose (self, ctx, s);
      RoundRec *r = round_find (s, s->round);
      if (r == NULL)
        return;
      Proposal *p = &r->prop;

      if (s->step == STEP_PROPOSE && p->have)
        {
          if (p->vr == -1)
            {
              /* L22 */
              int ok = p->valid
                       && (s->locked_round == -1 || value_eq (s->locked, p->v));
              prevote (self, ctx, s, ok, p->v);
              continue;
            }
          RoundRec *rv = p->vr >= 0 && p->vr < s->round ? round_find (s, p->vr) : NULL;
          if (rv != NULL && count_votes (self, rv->prevote, VOTE_VALUE, &p->v) >= self->quorum)
            {
              /* L28 */
              int ok = p->valid
                       && (s->locked_round <= p->vr || value_eq (s->locked, p->v));
              prevote (self, ctx, s, ok, p->v);
              continue;
            }
        }

      if (s->step == STEP_PREVOTE && !r->prevote_timer
          && count_votes (self, r->prevote, VOTE_NONE, NULL) >= self->quorum)
        {
          /* L34 */
          r->prevote_timer = 1;
          timer_schedule (self, ctx, s, T_PREVOTE,
                          self->timeout_vote + (DmasTime) s->round * self->timeout_delta);
        }

      if (s->step >= STEP_PREVOTE && p->have && p->valid && !r->polka_done
          && count_votes (self, r->prevote, VOTE_VALUE, &p->v) >= self->quorum)
        {
          /* L36 */
          r->polka_done = 1;
          Value v = p->v;
          int lock = s->step == STEP_PREVOTE;
          if (lock)
            {
              s->locked = v;
              s->locked_round = s->round;
            }
          if (s->valid_ev == NULL || s->valid_n_ev < p->n_ev)
            {
              SignedBid *grown = realloc (s->valid_ev, p->n_ev * sizeof *grown);
              if (grown == NULL)
                return;
              s->valid_ev = grown;
            }
          memcpy (s->valid_ev, p->ev, p->n_ev * sizeof *p->ev);
          s->valid_n_ev = p->n_ev;
          s->valid = v;
          s->valid_round = s->round;
          slot_persist (self, ctx, s); /* the lock is durable before the precommit leaves */
          if (lock)
            cast_vote (self, ctx, s, TM_MSG_PRECOMMIT, VOTE_VALUE, v);
          continue;
        }

      if (s->step == STEP_PREVOTE
          && count_votes (self, r->prevote, VOTE_NIL, NULL) >= self->quorum)
        {
          /* L44 */
          cast_vote (self, ctx, s, TM_MSG_PRECOMMIT, VOTE_NIL, p->v);
          continue;
        }

      r = round_find (s, s->round);
      if (r != NULL && !r->precommit_timer
          && count_votes (self, r->precommit, VOTE_NONE, NULL) >= self->quorum)
        {
          /* L47 */
          r->precommit_timer = 1;
          timer_schedule (self, ctx, s, T_PRECOMMIT,
                          self->timeout_vote + (DmasTime) s->round * self->timeout_delta);
        }
      return;
    }
}

/* Drops commit certificates older than `retain`: laggards gossip every second or so, and
 * memory must follow the number of recent slots, not the length of the run. */
static void
certs_expire (Tendermint *self, DmasCtx *ctx)
{
  DmasTime now = dmas_now (ctx);
  while (self->certs_len > 0)
    {
      Slot *s = self->certs[self->certs_head];
      if (now - s->decided_at < self->retain)
        return;
      free (s->cert);
      s->cert = NULL;
      self->certs_head = (self->certs_head + 1) % self->certs_cap;
      self->certs_len--;
    }
}

static void
resume_restored (Tendermint *self, DmasCtx *ctx)
{
  certs_expire (self, ctx);
  if (!self->resume_pending)
    return;
  self->resume_pending = 0;
  /* Index order, not table order: the order of resumption is then the order of opening. */
  for (size_t i = 0; i < self->n_open; i++)
    {
      Slot *s = table_lookup (self, self->open[i].job, self->open[i].epoch);
      if (s != NULL && s->resume)
        progress (self, ctx, s);
    }
}

/* --- timers ------------------------------------------------------------------------------- */

static void
timer_fired (DmasCtx *ctx, void *data)
{
  TimerData *d = data;
  Tendermint *self = d->self;
  resume_restored (self, ctx);
  Slot *s = table_lookup (self, d->job, d->epoch);
  if (s == NULL || s->state != SLOT_ACTIVE || s->round != d->round)
    return;
  switch (d->kind)
    {
    case T_PROPOSE: /* L57 */
      if (s->step == STEP_PROPOSE)
        prevote (self, ctx, s, 0, (Value){ DMAS_AGENT_NONE, 0.0 });
      break;
    case T_PREVOTE: /* L61 */
      if (s->step == STEP_PREVOTE)
        cast_vote (self, ctx, s, TM_MSG_PRECOMMIT, VOTE_NIL, (Value){ DMAS_AGENT_NONE, 0.0 });
      break;
    case T_PRECOMMIT: /* L65 */
      start_round (self, ctx, s, s->round + 1);
      break;
    case T_GOSSIP:
      gossip (self, ctx, s);
      timer_schedule (self, ctx, s, T_GOSSIP, gossip_interval (self, s->round));
      break;
    case T_BIDWAIT:
      break; /* progress() below retries the proposal now that bid_wait has passed */
    default:
      break;
    }
  progress (self, ctx, s);
}

static void
timer_schedule (Tendermint *self, DmasCtx *ctx, Slot *s, TimerKind kind, DmasTime delay)
{
  TimerData *d = malloc (sizeof *d);
  if (d == NULL)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "tendermint: out of memory, timer lost");
      return;
    }
  *d = (TimerData){ self, s->job, s->epoch, s->round, kind };
  ctx->api->timer_add (ctx, delay, timer_fired, d, free);
}

/* --- receiving ---------------------------------------------------------------------------- */

/* Stores the round's proposal from its proposer (the first one: a second, different one is
 * an equivocation and only counted) and checks valid(v) once. */
static int
proposal_store (Tendermint *self, DmasCtx *ctx, Slot *s, DmasAgentId src, int32_t round,
                int32_t vr, Value v, uint32_t n_ev, const SignedBid *ev)
{
  if (src != proposer_of (self, s, round))
    {
      ctx->api->metric (ctx, "unexpected", 1.0);
      return 0;
    }
  RoundRec *r = round_get (self, ctx, s, round);
  if (r == NULL)
    return 0;
  if (r->prop.have)
    {
      if (!value_eq (r->prop.v, v) || r->prop.vr != vr)
        ctx->api->metric (ctx, "equivocations", 1.0);
      return 0;
    }
  SignedBid *copy = n_ev ? malloc (n_ev * sizeof *copy) : NULL;
  if (n_ev && copy == NULL)
    return 0;
  if (n_ev)
    memcpy (copy, ev, n_ev * sizeof *copy);

  int valid = n_ev >= self->quorum && n_ev <= self->n;
  uint8_t *seen = calloc (self->n, 1);
  for (uint32_t i = 0; valid && i < n_ev; i++)
    {
      uint32_t idx;
      valid = seen != NULL && member_index (self, ev[i].agent, &idx) && !seen[idx]
              && (src == self->self_id || bid_verify (ctx, s->job, s->epoch, &ev[i]));
      if (valid)
        seen[idx] = 1;
    }
  free (seen);
  valid = valid && value_eq (best_of (s->job, ev, n_ev), v);
  if (!valid)
    ctx->api->metric (ctx, "invalid_proposals", 1.0);

  r->prop = (Proposal){ .have = 1, .valid = valid, .vr = vr, .v = v, .n_ev = n_ev, .ev = copy };
  return 1;
}

static void
on_bid (DmasCtx *ctx, Slot *s, uint32_t idx, const SignedBid *b)
{
  if (s->state == SLOT_DONE)
    return;
  if (s->bids[idx].agent != DMAS_AGENT_NONE)
    {
      if (memcmp (s->bids[idx].sig, b->sig, DMAS_SIG_SIZE) != 0)
        ctx->api->metric (ctx, "equivocations", 1.0);
      return;
    }
  if (!bid_verify (ctx, s->job, s->epoch, b))
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  s->bids[idx] = *b;
  s->n_bids++;
}

/* A vote straight from its voter is authentic by the envelope; a relayed one must carry the
 * voter's signature. */
static void
on_vote (Tendermint *self, DmasCtx *ctx, Slot *s, DmasAgentId src, uint32_t type,
         int32_t round, const Vote *vote, DmasAgentId voter)
{
  uint32_t idx;
  if (!member_index (self, voter, &idx) || voter == self->self_id)
    {
      ctx->api->metric (ctx, "unexpected", 1.0);
      return;
    }
  RoundRec *r = round_get (self, ctx, s, round);
  if (r == NULL)
    return;
  Vote *votes = type == TM_MSG_PREVOTE ? r->prevote : r->precommit;
  if (votes[idx].kind != VOTE_NONE)
    {
      if (votes[idx].kind != vote->kind || !value_eq (votes[idx].v, vote->v))
        ctx->api->metric (ctx, "equivocations", 1.0);
      return;
    }
  if (voter != src)
    {
      uint8_t data[44];
      vote_signed_bytes (data, type, s->job, s->epoch, round, (VoteKind) vote->kind, vote->v);
      if (ctx->api->verify (ctx, voter, data, sizeof data, vote->sig) != 1)
        {
          ctx->api->metric (ctx, "malformed", 1.0);
          return;
        }
    }
  votes[idx] = *vote;
}

static void
on_decided (Tendermint *self, DmasCtx *ctx, Slot *s, uint32_t src_idx, int32_t round, Value v)
{
  if (s->state == SLOT_DONE)
    return;
  if (s->decided_msgs == NULL && (s->decided_msgs = calloc (self->n, sizeof (Vote))) == NULL)
    return;
  if (s->decided_msgs[src_idx].kind != VOTE_NONE)
    return;
  s->decided_msgs[src_idx] = (Vote){ VOTE_VALUE, v, { 0 } };
  if (count_votes (self, s->decided_msgs, VOTE_VALUE, &v) >= self->f + 1)
    {
      ctx->api->metric (ctx, "catchups", 1.0);
      /* Their decision round: from now on we answer laggards beyond it like they do. */
      decide (self, ctx, s, v, round);
    }
}

static int
value_well_formed (const Tendermint *self, Value v)
{
  uint32_t idx;
  if (v.agent == DMAS_AGENT_NONE)
    return v.score == 0.0;
  return member_index (self, v.agent, &idx) && isfinite (v.score) && v.score > 0.0;
}

static int
tm_on_message (void *self_, DmasCtx *ctx, DmasAgentId src, uint32_t type, const void *body_,
               size_t len)
{
  Tendermint *self = self_;
  const uint8_t *body = body_;
  uint32_t src_idx;
  resume_restored (self, ctx);

  int ok = body != NULL && member_index (self, src, &src_idx) && src != self->self_id;
  switch (type)
    {
    case TM_MSG_BID: ok = ok && len == BID_LEN; break;
    case TM_MSG_PROPOSAL:
      ok = ok && len >= PROPOSAL_HEAD && dmas_get_u32 (body + 36) <= self->n
           && len == PROPOSAL_HEAD + (size_t) dmas_get_u32 (body + 36) * EV_LEN;
      break;
    case TM_MSG_PREVOTE:
    case TM_MSG_PRECOMMIT:
    case TM_MSG_DECIDED:
    case TM_MSG_COMMIT: ok = ok && len == VOTE_LEN; break;
    default: ok = 0; break;
    }
  uint32_t round_u = ok && type != TM_MSG_BID ? dmas_get_u32 (body + 16) : 0;
  ok = ok && round_u <= MAX_ROUND;
  if (!ok)
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }
  DmasJobId job = dmas_get_u64 (body);
  uint32_t epoch = dmas_get_u32 (body + 8);
  DmasAgentId home = dmas_get_u32 (body + 12);
  int32_t round = (int32_t) round_u;

  /* Parse fully before touching any state, so a malformed message changes nothing. */
  SignedBid bid;
  Value v = { DMAS_AGENT_NONE, 0.0 };
  VoteKind kind = VOTE_NONE;
  int32_t vr = -1;
  uint32_t n_ev = 0;
  SignedBid *ev = NULL;
  DmasAgentId voter = src;
  uint32_t bid_idx = 0;
  uint8_t vsig[DMAS_SIG_SIZE];
  if (type == TM_MSG_BID)
    {
      bid.agent = dmas_get_u32 (body + 16);
      bid.score = dmas_get_double (body + 20);
      memcpy (bid.sig, body + 28, DMAS_SIG_SIZE);
      ok = member_index (self, bid.agent, &bid_idx); /* relayed bids: the signature decides */
    }
  else if (type == TM_MSG_PROPOSAL)
    {
      uint32_t vr_u = dmas_get_u32 (body + 20);
      vr = vr_u == UINT32_MAX ? -1 : (int32_t) vr_u;
      v = (Value){ dmas_get_u32 (body + 24), dmas_get_double (body + 28) };
      n_ev = dmas_get_u32 (body + 36);
      ok = (vr_u == UINT32_MAX || vr_u < round_u) && value_well_formed (self, v);
      if (ok && n_ev > 0)
        {
          ev = malloc (n_ev * sizeof *ev);
          ok = ev != NULL;
          for (uint32_t i = 0; ok && i < n_ev; i++)
            {
              const uint8_t *p = body + PROPOSAL_HEAD + (size_t) i * EV_LEN;
              ev[i].agent = dmas_get_u32 (p);
              ev[i].score = dmas_get_double (p + 4);
              memcpy (ev[i].sig, p + 12, DMAS_SIG_SIZE);
            }
        }
    }
  else
    {
      kind = (VoteKind) dmas_get_u32 (body + 20);
      v = (Value){ dmas_get_u32 (body + 24), dmas_get_double (body + 28) };
      ok = (kind == VOTE_NIL && type != TM_MSG_DECIDED)
           || (kind == VOTE_VALUE && value_well_formed (self, v));
      if (kind == VOTE_NIL)
        v = (Value){ DMAS_AGENT_NONE, 0.0 };
      voter = dmas_get_u32 (body + 36);
      memcpy (vsig, body + 40, DMAS_SIG_SIZE);
      ok = ok && (type != TM_MSG_DECIDED || voter == src)
           && (type != TM_MSG_COMMIT || kind == VOTE_VALUE);
    }
  if (!ok)
    {
      free (ev);
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }

  Slot *s = slot_get (self, ctx, job, epoch);
  if (s == NULL)
    {
      free (ev);
      return DMAS_OK;
    }
  if (s->home == DMAS_AGENT_NONE)
    s->home = home;

  if (s->state == SLOT_DONE)
    {
      /* Catch-up: a laggard still running rounds after our decision, or re-sending its
       * messages of our decision round (gossip comes long after the decision's own tail). */
      /* Only the sender's own messages: answering relayed ones would let two decided agents
       * answer each other's certificates forever. */
      if ((type == TM_MSG_PROPOSAL || type == TM_MSG_PREVOTE || type == TM_MSG_PRECOMMIT)
          && voter == src
          && (round > s->decided_round
              || dmas_now (ctx) - s->decided_at >= self->timeout_propose))
        {
          uint8_t out[VOTE_LEN];
          if (s->cert != NULL)
            {
              for (uint32_t i = 0; i < self->n; i++)
                if (s->cert[i].kind == VOTE_VALUE && self->members[i] != src)
                  {
                    encode_vote (out, s, s->decided_round, VOTE_VALUE, s->cert[i].v,
                                 self->members[i], s->cert[i].sig);
                    ctx->api->send (ctx, src, TM_MSG_COMMIT, out, sizeof out);
                  }
            }
          else
            {
              encode_vote (out, s, s->decided_round, VOTE_VALUE, s->decision, self->self_id,
                           NULL);
              ctx->api->send (ctx, src, TM_MSG_DECIDED, out, sizeof out);
            }
        }
      free (ev);
      return DMAS_OK;
    }

  switch (type)
    {
    case TM_MSG_BID: on_bid (ctx, s, bid_idx, &bid); break;
    case TM_MSG_PROPOSAL: proposal_store (self, ctx, s, src, round, vr, v, n_ev, ev); break;
    case TM_MSG_PREVOTE:
    case TM_MSG_PRECOMMIT:
    case TM_MSG_COMMIT:
      {
        Vote vote = { (uint8_t) kind, v, { 0 } };
        memcpy (vote.sig, vsig, DMAS_SIG_SIZE);
        if (type == TM_MSG_COMMIT && voter == self->self_id)
          break; /* our own precommit coming back */
        /* A COMMIT is a precommit whose signature is always checked, whoever relays it. */
        on_vote (self, ctx, s, type == TM_MSG_COMMIT ? DMAS_AGENT_NONE : src,
                 type == TM_MSG_COMMIT ? TM_MSG_PRECOMMIT : type, round, &vote, voter);
        break;
      }
    case TM_MSG_DECIDED: on_decided (self, ctx, s, src_idx, round, v); break;
    default: break;
    }
  free (ev);
  progress (self, ctx, s);
  return DMAS_OK;
}

static int
tm_propose (void *self_, DmasCtx *ctx, const DmasSlot *dslot, const DmasBid *bid)
{
  Tendermint *self = self_;
  uint32_t home_idx;
  resume_restored (self, ctx);
  if (!member_index (self, dslot->home, &home_idx) || bid->job != dslot->job
      || bid->agent != self->self_id || !isfinite (bid->score) || bid->score < 0.0)
    {
      dmas_log (ctx, DMAS_LOG_ERROR,
                "tendermint: invalid proposal for job %llu epoch %u (home %u, bid by %u for "
                "job %llu, score %g)",
                (unsigned long long) dslot->job, dslot->epoch, dslot->home, bid->agent,
                (unsigned long long) bid->job, bid->score);
      return DMAS_EINVAL;
    }
  Slot *s = slot_get (self, ctx, dslot->job, dslot->epoch);
  if (s == NULL)
    return DMAS_ENOMEM;
  if (s->state == SLOT_DONE)
    return DMAS_OK; /* decided (caught up or restored) before our bidder answered */
  if (s->proposed)
    return DMAS_ESTATE;
  s->proposed = 1;
  s->home = dslot->home;

  SignedBid own = { .agent = self->self_id, .score = bid->score };
  uint8_t data[32];
  bid_signed_bytes (data, dslot->job, dslot->epoch, self->self_id, bid->score);
  int rc = ctx->api->sign (ctx, data, sizeof data, own.sig);
  if (rc != DMAS_OK)
    return rc;
  if (s->bids[self->self_idx].agent == DMAS_AGENT_NONE)
    {
      s->bids[self->self_idx] = own;
      s->n_bids++;
    }
  send_bid (ctx, s, &own);

  if (s->state == SLOT_BUFFERED)
    start_round (self, ctx, s, 0);
  progress (self, ctx, s);
  return rc;
}

/* --- life cycle --------------------------------------------------------------------------- */

static void tm_destroy (void *self_);

static void *
tm_create (DmasCtx *ctx, DmasError *err)
{
  DmasTime tp, tv, td, bw, rt;
  int rc = ctx->api->param_duration (ctx, "timeout_propose", &tp);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "timeout_vote", &tv);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "timeout_delta", &td);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "bid_wait", &bw);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "retain", &rt);
  if (rc != DMAS_OK)
    {
      dmas_error_set (err, rc, "tendermint: cannot read parameters (status %d)", rc);
      return NULL;
    }
  if (tp == 0 || tv == 0)
    {
      dmas_error_set (err, DMAS_EINVAL,
                      "tendermint: timeout_propose and timeout_vote must be > 0 (e.g. \"300ms\")");
      return NULL;
    }
  if (bw >= tp)
    {
      dmas_error_set (err, DMAS_EINVAL,
                      "tendermint: bid_wait must be shorter than timeout_propose, or every "
                      "round-0 proposal would come after the validators gave up on it");
      return NULL;
    }

  Tendermint *self = calloc (1, sizeof *self);
  if (self == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "tendermint: out of memory");
      return NULL;
    }
  self->timeout_propose = tp;
  self->timeout_vote = tv;
  self->timeout_delta = td;
  self->bid_wait = bw;
  self->retain = rt;
  self->self_id = dmas_self (ctx);
  self->members = ctx->api->members (ctx, &self->n);
  if (self->n == 0 || !member_index (self, self->self_id, &self->self_idx))
    {
      dmas_error_set (err, DMAS_EINVAL, "tendermint: this instance is not one of the members");
      free (self);
      return NULL;
    }
  self->f = (self->n - 1) / 3;
  self->quorum = self->n - self->f;
  self->capacity = 64;
  self->table = calloc (self->capacity, sizeof *self->table);
  if (self->table == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "tendermint: out of memory");
      free (self);
      return NULL;
    }

  size_t len = 0;
  const uint8_t *index = ctx->api->restore (ctx, "tendermint/open", &len);
  for (size_t i = 0; index != NULL && i + 12 <= len; i += 12)
    {
      Slot *s = slot_get (self, ctx, dmas_get_u64 (index + i), dmas_get_u32 (index + i + 8));
      if (s == NULL)
        {
          dmas_error_set (err, DMAS_ENOMEM, "tendermint: out of memory restoring state");
          tm_destroy (self);
          return NULL;
        }
      if (s->state == SLOT_ACTIVE)
        open_index_append (self, s); /* the stored index already says so */
    }
  return self;
}

static void
tm_destroy (void *self_)
{
  Tendermint *self = self_;
  if (self == NULL)
    return;
  for (size_t i = 0; i < self->capacity; i++)
    slot_free (self->table[i]);
  free (self->table);
  free (self->open);
  free (self->certs);
  free (self);
}

static const DmasConsensusOps tm_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = tm_create,
  .destroy = tm_destroy,
  .propose = tm_propose,
  .on_message = tm_on_message,
  .agent_status = NULL,
  .fault_model = DMAS_FAULT_MODEL_BYZANTINE,
};

static const DmasParamSpec tm_params[] = {
  { "timeout_propose", DMAS_PARAM_DURATION, "300ms",
    "how long a validator waits for the round's proposal in round 0 (plus timeout_delta per round)" },
  { "timeout_vote", DMAS_PARAM_DURATION, "100ms",
    "timeoutPrevote and timeoutPrecommit in round 0 (plus timeout_delta per round)" },
  { "timeout_delta", DMAS_PARAM_DURATION, "50ms",
    "how much every timeout grows per round, so rounds eventually outlast the network delay" },
  { "bid_wait", DMAS_PARAM_DURATION, "100ms",
    "how long a proposer holding a quorum but not all bids waits for the rest (< timeout_propose)" },
  { "retain", DMAS_PARAM_DURATION, "60s",
    "how long a decided slot keeps its commit certificate to bring lagging agents up to date" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent tm_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_CONSENSUS,
    .name = "tendermint",
    .api_major = DMAS_CONSENSUS_API_MAJOR,
    .api_minor = DMAS_CONSENSUS_API_MINOR,
    .ops = &tm_ops,
    .summary = "Tendermint BFT: rotating proposer, prevote/precommit above 2/3, locking, "
               "signed bids as evidence",
    .params = tm_params,
  },
};

static const DmasPluginDesc tm_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "tendermint",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = tm_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &tm_desc;
}
