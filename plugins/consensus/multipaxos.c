/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/multipaxos: Multi-Paxos with a stable leader, one Paxos instance per slot. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

/* Protocol (Lamport, "Paxos Made Simple"; Chandra et al., "Paxos Made Live").  Every agent is
 * proposer, acceptor and learner; an instance is one slot (job, epoch); its value is a bid
 * (the winner, or DMAS_AGENT_NONE with score 0 for "rejected").
 *
 *   Ballots are (round << 32 | proposer id): unique per proposer, totally ordered.  One
 *   promised ballot per acceptor covers every instance (Multi-Paxos), so phase 1 runs once per
 *   leader change, not per slot.
 *
 *   Phase 1: a candidate picks a round above every round it has seen or used, persists it,
 *   promises to itself and broadcasts PREPARE(b).  An acceptor with promised <= b promises b,
 *   persists it, and answers PROMISE(b, every instance it holds: accepted (ballot, value) or
 *   decided value).  On a majority of promises (itself included) the candidate leads:
 *   metric "elections".  For each undecided instance, a value some promise reported must be
 *   proposed again, the one with the highest accepted ballot (the Paxos safety rule); only
 *   instances nobody reported may get a fresh value.
 *
 *   Bids: every agent sends its bid to the leader it knows (BID), or keeps it until it knows
 *   one, and sends it again to each new leader.  The leader collects bids per slot until it
 *   has all n or `bid_window` after the first one, and proposes the best bid > 0 by
 *   dmas_bid_better (or the rejection).
 *
 *   Phase 2: ACCEPT(b, up to `batch` instances) to all; an acceptor with promised <= b
 *   accepts, persists each instance, and answers ACCEPTED(b, keys) to the leader.  Once a
 *   majority (the leader included) accepted an instance, its value is chosen: the leader
 *   decides and broadcasts DECIDE, every agent decides on receipt (once per slot).
 *   Metric "rounds" counts instances proposed in phase 2.
 *
 *   Acceptors persist (persist() before any reply leaves): the promised ballot and the
 *   highest round used ("paxos/meta"), and each instance's accepted ballot and value, or its
 *   decided value ("paxos/i/<k>"); create() restores them, so a restarted acceptor never
 *   accepts a ballot below one it promised.  A restarted agent does not decide again what its
 *   previous incarnation decided.
 *
 * Leader failure detection, deterministic from the instance's stream: an agent with a bid
 * still undecided checks every leader_timeout * (1 + U[0,1)).  If it heard from the leader in
 * the last leader_timeout it re-sends its pending bids (a lost BID or DECIDE costs one check);
 * if not, it re-sends them once more as a probe, and at the next silent check starts phase 1
 * (metric "ballots" counts phase 1 attempts).  A leader with undecided instances broadcasts
 * HEARTBEAT every `heartbeat` and re-sends ACCEPT for instances not chosen yet.  Any agent
 * answers a BID for a slot it knows decided with DECIDE to the sender.  A proposer told of a
 * higher ballot (NACK, or any message carrying one) steps down.  At the very start nobody
 * leads: the lowest member starts phase 1 at its first proposal, the others wait for it.
 *
 * Idle agents run no timer, so a finished run ends.  A leader whose instances make no
 * progress for RETRY_LIMIT heartbeats, or a candidate failing RETRY_LIMIT elections in a row,
 * stops its timers until a message or a proposal arrives: without a quorum the run ends as a
 * deadlock report instead of spinning forever.
 *
 * Messages per decision, no faults, stable leader, all bids in time, batch 1: (n-1) BID +
 * (n-1) ACCEPT + (n-1) ACCEPTED + (n-1) DECIDE = 4(n-1).  With batch b and full batches:
 * (n-1) + 3(n-1)/b per decision.  Batching costs latency under light load: a ready value
 * waits up to `batch_wait` for its batch to fill.  A leader change adds (n-1) PREPARE + (n-1)
 * PROMISE + (n-1) HEARTBEAT (announcing the new leader), and re-sent bids.
 *
 * Known cost: acceptors keep every instance for the whole run (decided ones as a 37-byte
 * record) and a PROMISE reports them all, because the safety rule needs every value a
 * majority may have chosen; phase 1 is rare, so this is what a leader change costs. */

enum {
  MSG_BID = 1,
  MSG_PREPARE = 2,
  MSG_PROMISE = 3,
  MSG_ACCEPT = 4,
  MSG_ACCEPTED = 5,
  MSG_DECIDE = 6,
  MSG_NACK = 7,
  MSG_HEARTBEAT = 8,
};

#define RETRY_LIMIT 20

/* A value entry: job u64 | epoch u32 | home u32 | agent u32 | score f64. */
#define VALUE_LEN 28
/* A promise entry: value entry | accepted ballot u64 | decided u8. */
#define PROMISE_ENTRY_LEN (VALUE_LEN + 9)
/* An ACCEPTED entry: job u64 | epoch u32. */
#define KEY_LEN 12
/* Ballot u64 | count u32 before the entries of PROMISE, ACCEPT and ACCEPTED. */
#define BATCH_HEAD_LEN 12
/* The persisted instance record has the promise entry's layout. */
#define RECORD_LEN PROMISE_ENTRY_LEN
/* promised u64 | max round u64 | records u32. */
#define META_LEN 20

typedef uint64_t Ballot;

typedef enum {
  STAGE_IDLE = 0,   /* the leader does nothing with it */
  STAGE_COLLECTING, /* leader: waiting for bids until all n or the window */
  STAGE_READY,      /* leader: value chosen for phase 2, waiting in the batch */
  STAGE_PROPOSED    /* leader: ACCEPT sent, counting ACCEPTED */
} Stage;

typedef struct {
  DmasJobId job;
  uint32_t epoch;
  DmasAgentId home;
  uint8_t used;
  uint8_t decided;
  uint8_t own;   /* proposed here; the own bid waits for a decision */
  uint8_t stage; /* Stage */
  DmasBid own_bid;
  DmasAgentId bid_sent_to;
  uint32_t record; /* index of its stable-storage record, UINT32_MAX before the first */

  /* acceptor; after the decision, acc_value is the decided value */
  Ballot acc_ballot;
  DmasBid acc_value;

  /* leader and candidate; bits = bidders bitmap then ackers bitmap, freed on decision */
  uint8_t *bits;
  uint32_t n_bids, n_acks;
  DmasBid best;
  DmasTimerId window;
  Ballot p1_ballot; /* highest accepted ballot reported in phase 1, 0 when none */
  DmasBid p1_value;
  Ballot prop_ballot;
  DmasBid prop_value;
  DmasTime prop_at;
} Instance;

typedef struct {
  DmasJobId job;
  uint32_t epoch;
} Key;

typedef struct {
  DmasTime leader_timeout, heartbeat, bid_window, batch_wait;
  uint32_t batch;

  const DmasAgentId *members;
  uint32_t n, majority, bitmap_len;
  DmasAgentId self_id;

  /* acceptor (persisted) */
  Ballot promised;
  uint64_t max_round; /* highest round seen or used */
  uint32_t n_records;

  /* proposer */
  Ballot ballot;
  int candidate, leading;
  uint8_t *promisers;
  uint32_t n_promises;
  uint32_t failed_elections;

  /* what this agent believes */
  DmasAgentId leader; /* another agent, or DMAS_AGENT_NONE */
  DmasTime last_heard;
  int probed;
  int fresh; /* nothing was restored: the lowest member may start the first election */

  uint32_t n_pending_own; /* own bids not decided yet */
  uint32_t n_open;        /* instances with stage != IDLE */
  uint32_t idle_ticks;    /* leader heartbeats without progress */

  DmasTimerId watch, beat, flush;
  Key *batch_keys;
  uint32_t batch_len;

  Instance *table;
  size_t capacity, used;
} Paxos;

typedef struct {
  Paxos *self;
  Key key;
} WindowData;

/* --- helpers ---------------------------------------------------------------------------- */

static uint64_t
ballot_round (Ballot b)
{
  return b >> 32;
}

static DmasAgentId
ballot_owner (Ballot b)
{
  return (DmasAgentId) (b & 0xffffffffu);
}

static int
member_index (const Paxos *self, DmasAgentId agent, uint32_t *index)
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

static DmasBid
rejection (DmasJobId job)
{
  return (DmasBid){ .job = job, .agent = DMAS_AGENT_NONE, .reserved = 0, .score = 0.0 };
}

static int
key_cmp (const void *a_, const void *b_)
{
  const Key *a = a_, *b = b_;
  if (a->job != b->job)
    return a->job < b->job ? -1 : 1;
  return a->epoch < b->epoch ? -1 : a->epoch > b->epoch;
}

/* --- instance table: open addressing, no deletion (instances live for the run) ---------- */

static size_t
key_hash (DmasJobId job, uint32_t epoch)
{
  uint64_t z = job ^ ((uint64_t) epoch << 48 | (uint64_t) epoch >> 16);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (size_t) (z ^ (z >> 31));
}

static Instance *
inst_lookup (Paxos *self, DmasJobId job, uint32_t epoch)
{
  size_t mask = self->capacity - 1;
  for (size_t i = key_hash (job, epoch) & mask;; i = (i + 1) & mask)
    {
      Instance *s = &self->table[i];
      if (!s->used)
        return NULL;
      if (s->job == job && s->epoch == epoch)
        return s;
    }
}

static void
inst_place (Instance *table, size_t capacity, const Instance *record)
{
  size_t mask = capacity - 1;
  size_t i = key_hash (record->job, record->epoch) & mask;
  while (table[i].used)
    i = (i + 1) & mask;
  table[i] = *record;
}

/* Returns the instance of (job, epoch), creating it; NULL when out of memory.  The pointer
 * is valid until the next creation. */
static Instance *
inst_get (Paxos *self, DmasJobId job, uint32_t epoch, DmasAgentId home)
{
  Instance *s = inst_lookup (self, job, epoch);
  if (s != NULL)
    return s;
  if (2 * (self->used + 1) > self->capacity)
    {
      size_t capacity = self->capacity * 2;
      Instance *table = calloc (capacity, sizeof *table);
      if (table == NULL)
        return NULL;
      for (size_t i = 0; i < self->capacity; i++)
        if (self->table[i].used)
          inst_place (table, capacity, &self->table[i]);
      free (self->table);
      self->table = table;
      self->capacity = capacity;
    }
  uint8_t *bits = calloc (2 * (size_t) self->bitmap_len, 1);
  if (bits == NULL)
    return NULL;
  Instance record = {
    .job = job,
    .epoch = epoch,
    .home = home,
    .used = 1,
    .bid_sent_to = DMAS_AGENT_NONE,
    .record = UINT32_MAX,
    .acc_value = rejection (job),
    .bits = bits,
    .best = rejection (job),
  };
  inst_place (self->table, self->capacity, &record);
  self->used++;
  return inst_lookup (self, job, epoch);
}

/* Keys of the instances matching `want`, sorted: protocol actions over many instances run in
 * slot order, never in table order.  Returns NULL when none (or out of memory). */
static Key *
inst_keys (Paxos *self, int (*want) (const Paxos *, const Instance *), uint32_t *n_out)
{
  *n_out = 0;
  Key *keys = malloc ((self->used ? self->used : 1) * sizeof *keys);
  if (keys == NULL)
    return NULL;
  for (size_t i = 0; i < self->capacity; i++)
    if (self->table[i].used && want (self, &self->table[i]))
      keys[(*n_out)++] = (Key){ self->table[i].job, self->table[i].epoch };
  qsort (keys, *n_out, sizeof *keys, key_cmp);
  return keys;
}

static void
set_stage (Paxos *self, Instance *s, Stage stage)
{
  if (s->stage == STAGE_IDLE && stage != STAGE_IDLE)
    self->n_open++;
  else if (s->stage != STAGE_IDLE && stage == STAGE_IDLE)
    self->n_open--;
  s->stage = (uint8_t) stage;
}

/* --- wire ------------------------------------------------------------------------------- */

static void
put_value (uint8_t *p, const Instance *s, const DmasBid *v)
{
  dmas_put_u64 (p, s->job);
  dmas_put_u32 (p + 8, s->epoch);
  dmas_put_u32 (p + 12, s->home);
  dmas_put_u32 (p + 16, v->agent);
  dmas_put_double (p + 20, v->score);
}

typedef struct {
  DmasJobId job;
  uint32_t epoch;
  DmasAgentId home;
  DmasBid value;
} ValueEntry;

/* Returns 0 when the value is not one a correct agent sends. */
static int
get_value (const Paxos *self, const uint8_t *p, ValueEntry *e)
{
  uint32_t idx;
  e->job = dmas_get_u64 (p);
  e->epoch = dmas_get_u32 (p + 8);
  e->home = dmas_get_u32 (p + 12);
  e->value = (DmasBid){ .job = e->job, .agent = dmas_get_u32 (p + 16), .reserved = 0,
                        .score = dmas_get_double (p + 20) };
  if (!isfinite (e->value.score))
    return 0;
  if (e->value.agent == DMAS_AGENT_NONE)
    return e->value.score == 0.0;
  return member_index (self, e->value.agent, &idx) && e->value.score >= 0.0;
}

static void
send_ballot (DmasCtx *ctx, DmasAgentId to, uint32_t type, Ballot b)
{
  uint8_t body[8];
  dmas_put_u64 (body, b);
  if (to == DMAS_AGENT_NONE)
    ctx->api->broadcast (ctx, type, body, sizeof body);
  else
    ctx->api->send (ctx, to, type, body, sizeof body);
}

/* --- stable storage --------------------------------------------------------------------- */

static void
persist_meta (Paxos *self, DmasCtx *ctx)
{
  uint8_t meta[META_LEN];
  dmas_put_u64 (meta, self->promised);
  dmas_put_u64 (meta + 8, self->max_round);
  dmas_put_u32 (meta + 16, self->n_records);
  if (ctx->api->persist (ctx, "paxos/meta", meta, sizeof meta) != DMAS_OK)
    dmas_log (ctx, DMAS_LOG_ERROR, "multipaxos: persist of the promised ballot failed");
}

static void
persist_instance (Paxos *self, DmasCtx *ctx, Instance *s)
{
  int new_record = s->record == UINT32_MAX;
  if (new_record)
    s->record = self->n_records++;
  uint8_t rec[RECORD_LEN];
  put_value (rec, s, &s->acc_value);
  dmas_put_u64 (rec + VALUE_LEN, s->acc_ballot);
  rec[VALUE_LEN + 8] = s->decided;
  char key[48];
  snprintf (key, sizeof key, "paxos/i/%u", s->record);
  if (ctx->api->persist (ctx, key, rec, sizeof rec) != DMAS_OK)
    dmas_log (ctx, DMAS_LOG_ERROR, "multipaxos: persist of instance %s failed", key);
  /* The record exists before the count that makes restore() read it. */
  if (new_record)
    persist_meta (self, ctx);
}

static int
restore_state (Paxos *self, DmasCtx *ctx)
{
  size_t len;
  const uint8_t *meta = ctx->api->restore (ctx, "paxos/meta", &len);
  if (meta == NULL)
    return DMAS_OK;
  if (len != META_LEN)
    return DMAS_EINVAL;
  self->fresh = 0;
  self->promised = dmas_get_u64 (meta);
  self->max_round = dmas_get_u64 (meta + 8);
  uint32_t n_records = dmas_get_u32 (meta + 16);
  for (uint32_t k = 0; k < n_records; k++)
    {
      char key[48];
      snprintf (key, sizeof key, "paxos/i/%u", k);
      const uint8_t *rec = ctx->api->restore (ctx, key, &len);
      ValueEntry e;
      if (rec == NULL || len != RECORD_LEN || !get_value (self, rec, &e))
        return DMAS_EINVAL;
      Instance *s = inst_get (self, e.job, e.epoch, e.home);
      if (s == NULL)
        return DMAS_ENOMEM;
      s->record = k;
      s->acc_value = e.value;
      s->acc_ballot = dmas_get_u64 (rec + VALUE_LEN);
      s->decided = rec[VALUE_LEN + 8] != 0;
      if (s->decided)
        {
          free (s->bits);
          s->bits = NULL;
        }
    }
  self->n_records = n_records;
  if (ballot_round (self->promised) > self->max_round)
    self->max_round = ballot_round (self->promised);
  return DMAS_OK;
}

/* --- learning --------------------------------------------------------------------------- */

static void
learn (Paxos *self, DmasCtx *ctx, Instance *s, const DmasBid *value)
{
  if (s->decided)
    return;
  s->decided = 1;
  /* Progress: whoever gave up retrying may try again. */
  self->failed_elections = 0;
  s->acc_value = *value;
  s->acc_value.job = s->job;
  if (s->window != 0)
    {
      ctx->api->timer_cancel (ctx, s->window);
      s->window = 0;
    }
  set_stage (self, s, STAGE_IDLE);
  free (s->bits);
  s->bits = NULL;
  if (s->own)
    self->n_pending_own--;
  persist_instance (self, ctx, s);
  DmasSlot slot = { .job = s->job, .epoch = s->epoch, .home = s->home };
  DmasBid winner = s->acc_value;
  ctx->api->decide (ctx, &slot, &winner);
}

/* --- bids ------------------------------------------------------------------------------- */

/* Returns 0 when that agent's bid was already recorded (a re-sent or duplicated BID). */
static int
record_bid (Paxos *self, Instance *s, const DmasBid *bid)
{
  uint32_t idx;
  if (s->bits == NULL || !member_index (self, bid->agent, &idx))
    return 0;
  uint8_t bit = (uint8_t) (1u << (idx % 8));
  if (s->bits[idx / 8] & bit)
    return 0;
  s->bits[idx / 8] |= bit;
  s->n_bids++;
  if (bid->score > 0.0 && (s->best.agent == DMAS_AGENT_NONE || dmas_bid_better (bid, &s->best)))
    s->best = *bid;
  return 1;
}

static void
send_bid (DmasCtx *ctx, Instance *s, DmasAgentId to)
{
  uint8_t body[VALUE_LEN];
  put_value (body, s, &s->own_bid);
  s->bid_sent_to = to;
  ctx->api->send (ctx, to, MSG_BID, body, sizeof body);
}

static int
want_pending_own (const Paxos *self, const Instance *s)
{
  (void) self;
  return s->own && !s->decided;
}

/* Sends every undecided own bid to the leader (all of them, or only those not sent to it). */
static void
resend_bids (Paxos *self, DmasCtx *ctx, int all)
{
  if (self->leader == DMAS_AGENT_NONE || self->n_pending_own == 0)
    return;
  uint32_t n;
  Key *keys = inst_keys (self, want_pending_own, &n);
  for (uint32_t i = 0; keys != NULL && i < n; i++)
    {
      Instance *s = inst_lookup (self, keys[i].job, keys[i].epoch);
      if (all || s->bid_sent_to != self->leader)
        send_bid (ctx, s, self->leader);
    }
  free (keys);
}

/* --- timers ----------------------------------------------------------------------------- */

static void watch_fired (DmasCtx *ctx, void *data);
static void beat_fired (DmasCtx *ctx, void *data);
static void start_election (Paxos *self, DmasCtx *ctx);
static void become_leader (Paxos *self, DmasCtx *ctx);

static void
watch_arm (Paxos *self, DmasCtx *ctx)
{
  if (self->watch != 0 || self->leading || (self->n_pending_own == 0 && !self->candidate))
    return;
  DmasTime delay = self->leader_timeout
                   + (DmasTime) (ctx->api->rng_double (ctx) * (double) self->leader_timeout);
  self->watch = ctx->api->timer_add (ctx, delay, watch_fired, self, NULL);
}

static void
beat_arm (Paxos *self, DmasCtx *ctx)
{
  if (self->beat == 0 && self->leading && self->n_open > 0)
    self->beat = ctx->api->timer_add (ctx, self->heartbeat, beat_fired, self, NULL);
}

static void
watch_fired (DmasCtx *ctx, void *data)
{
  Paxos *self = data;
  self->watch = 0;
  if (self->leading)
    return;
  if (self->candidate)
    {
      /* Phase 1 found no majority in time: try again higher, unless it keeps failing. */
      self->candidate = 0;
      if (++self->failed_elections >= RETRY_LIMIT)
        return;
      start_election (self, ctx);
      watch_arm (self, ctx);
      return;
    }
  if (self->n_pending_own == 0)
    return;
  DmasTime now = dmas_now (ctx);
  if (self->leader != DMAS_AGENT_NONE && now - self->last_heard < self->leader_timeout)
    resend_bids (self, ctx, 1);
  else if (self->leader != DMAS_AGENT_NONE && !self->probed)
    {
      self->probed = 1;
      resend_bids (self, ctx, 1);
    }
  else
    {
      if (self->failed_elections >= RETRY_LIMIT)
        return;
      start_election (self, ctx);
    }
  watch_arm (self, ctx);
}

/* --- phase 2 ---------------------------------------------------------------------------- */

static void
chosen (Paxos *self, DmasCtx *ctx, const Key *keys, uint32_t n)
{
  if (n == 0)
    return;
  uint8_t *body = malloc (4 + (size_t) n * VALUE_LEN);
  if (body == NULL)
    return;
  dmas_put_u32 (body, n);
  for (uint32_t i = 0; i < n; i++)
    {
      Instance *s = inst_lookup (self, keys[i].job, keys[i].epoch);
      put_value (body + 4 + (size_t) i * VALUE_LEN, s, &s->prop_value);
      learn (self, ctx, s, &s->prop_value);
    }
  if (self->n > 1)
    ctx->api->broadcast (ctx, MSG_DECIDE, body, 4 + (size_t) n * VALUE_LEN);
  free (body);
}

/* Counts `agent`'s acceptance; returns 1 when it makes the instance chosen. */
static int
count_ack (Paxos *self, Instance *s, DmasAgentId agent)
{
  uint32_t idx;
  if (s->decided || s->stage != STAGE_PROPOSED || !member_index (self, agent, &idx))
    return 0;
  uint8_t *acks = s->bits + self->bitmap_len;
  uint8_t bit = (uint8_t) (1u << (idx % 8));
  if (acks[idx / 8] & bit)
    return 0;
  acks[idx / 8] |= bit;
  return ++s->n_acks == self->majority;
}

/* Sends ACCEPT for `keys` (instances in READY or PROPOSED), accepting them here first. */
static void
send_accept (Paxos *self, DmasCtx *ctx, const Key *keys, uint32_t n, int fresh_round)
{
  uint8_t *body = malloc (BATCH_HEAD_LEN + (size_t) n * VALUE_LEN);
  Key *won = malloc ((n ? n : 1) * sizeof *won);
  uint32_t n_won = 0;
  if (body == NULL || won == NULL)
    {
      free (body);
      free (won);
      return;
    }
  dmas_put_u64 (body, self->ballot);
  dmas_put_u32 (body + 8, n);
  for (uint32_t i = 0; i < n; i++)
    {
      Instance *s = inst_lookup (self, keys[i].job, keys[i].epoch);
      put_value (body + BATCH_HEAD_LEN + (size_t) i * VALUE_LEN, s, &s->prop_value);
      if (!fresh_round)
        continue;
      set_stage (self, s, STAGE_PROPOSED);
      s->prop_ballot = self->ballot;
      s->prop_at = dmas_now (ctx);
      s->n_acks = 0;
      memset (s->bits + self->bitmap_len, 0, self->bitmap_len);
      /* The leader's own acceptor: promised == ballot while it leads. */
      s->acc_ballot = self->ballot;
      s->acc_value = s->prop_value;
      persist_instance (self, ctx, s);
      if (count_ack (self, s, self->self_id))
        won[n_won++] = keys[i];
    }
  if (fresh_round)
    ctx->api->metric (ctx, "rounds", (double) n);
  if (self->n > 1)
    ctx->api->broadcast (ctx, MSG_ACCEPT, body, BATCH_HEAD_LEN + (size_t) n * VALUE_LEN);
  chosen (self, ctx, won, n_won);
  free (won);
  free (body);
  beat_arm (self, ctx);
}

static void
flush_batch (Paxos *self, DmasCtx *ctx)
{
  if (self->flush != 0)
    {
      ctx->api->timer_cancel (ctx, self->flush);
      self->flush = 0;
    }
  uint32_t n = 0;
  for (uint32_t i = 0; i < self->batch_len; i++)
    {
      Instance *s = inst_lookup (self, self->batch_keys[i].job, self->batch_keys[i].epoch);
      if (s != NULL && !s->decided && s->stage == STAGE_READY)
        self->batch_keys[n++] = self->batch_keys[i];
    }
  self->batch_len = 0;
  if (n > 0 && self->leading)
    send_accept (self, ctx, self->batch_keys, n, 1);
}

static void
flush_fired (DmasCtx *ctx, void *data)
{
  Paxos *self = data;
  self->flush = 0;
  flush_batch (self, ctx);
}

static void
make_ready (Paxos *self, DmasCtx *ctx, Instance *s, const DmasBid *value)
{
  if (s->window != 0)
    {
      ctx->api->timer_cancel (ctx, s->window);
      s->window = 0;
    }
  set_stage (self, s, STAGE_READY);
  s->prop_value = *value;
  s->prop_value.job = s->job;
  self->batch_keys[self->batch_len++] = (Key){ s->job, s->epoch };
  if (self->batch_len >= self->batch)
    flush_batch (self, ctx);
  else if (self->flush == 0)
    self->flush = ctx->api->timer_add (ctx, self->batch_wait, flush_fired, self, NULL);
}

static void
window_fired (DmasCtx *ctx, void *data)
{
  WindowData *w = data;
  Paxos *self = w->self;
  Instance *s = inst_lookup (self, w->key.job, w->key.epoch);
  if (s == NULL)
    return;
  s->window = 0;
  if (self->leading && !s->decided && s->stage == STAGE_COLLECTING)
    make_ready (self, ctx, s, &s->best);
}

/* The leader moves an instance it holds bids for towards phase 2. */
static void
leader_consider (Paxos *self, DmasCtx *ctx, Instance *s)
{
  if (!self->leading || s->decided)
    return;
  if (s->stage == STAGE_IDLE)
    {
      if (s->p1_ballot != 0)
        {
          make_ready (self, ctx, s, &s->p1_value); /* the Paxos safety rule */
          return;
        }
      if (s->n_bids == 0)
        return;
      set_stage (self, s, STAGE_COLLECTING);
      if (s->n_bids < self->n)
        {
          WindowData *w = malloc (sizeof *w);
          if (w != NULL)
            {
              *w = (WindowData){ self, { s->job, s->epoch } };
              s->window = ctx->api->timer_add (ctx, self->bid_window, window_fired, w, free);
            }
        }
      beat_arm (self, ctx);
    }
  if (s->stage == STAGE_COLLECTING && s->n_bids == self->n)
    make_ready (self, ctx, s, &s->best);
}

static int
want_proposed (const Paxos *self, const Instance *s)
{
  return !s->decided && s->stage == STAGE_PROPOSED && s->prop_ballot == self->ballot;
}

static void
beat_fired (DmasCtx *ctx, void *data)
{
  Paxos *self = data;
  self->beat = 0;
  if (!self->leading || self->n_open == 0)
    return;
  if (++self->idle_ticks > RETRY_LIMIT)
    return; /* no progress for long: wait for a message or a proposal */
  send_ballot (ctx, DMAS_AGENT_NONE, MSG_HEARTBEAT, self->ballot);
  uint32_t n;
  Key *keys = inst_keys (self, want_proposed, &n);
  uint32_t k = 0;
  DmasTime now = dmas_now (ctx);
  for (uint32_t i = 0; keys != NULL && i < n; i++)
    {
      Instance *s = inst_lookup (self, keys[i].job, keys[i].epoch);
      if (now - s->prop_at >= self->heartbeat)
        keys[k++] = keys[i];
    }
  if (k > 0)
    send_accept (self, ctx, keys, k, 0);
  free (keys);
  beat_arm (self, ctx);
}

/* --- phase 1 ---------------------------------------------------------------------------- */

static int
want_any (const Paxos *self, const Instance *s)
{
  (void) self;
  return !s->decided;
}

static int
want_held (const Paxos *self, const Instance *s)
{
  (void) self;
  return s->decided || s->acc_ballot != 0;
}

static void
step_down (Paxos *self, DmasCtx *ctx)
{
  if (!self->leading && !self->candidate)
    return;
  self->leading = 0;
  self->candidate = 0;
  self->batch_len = 0;
  if (self->flush != 0)
    {
      ctx->api->timer_cancel (ctx, self->flush);
      self->flush = 0;
    }
  if (self->beat != 0)
    {
      ctx->api->timer_cancel (ctx, self->beat);
      self->beat = 0;
    }
  watch_arm (self, ctx);
}

/* A higher ballot exists: remember its round, follow its owner. */
static void
see_ballot (Paxos *self, DmasCtx *ctx, Ballot b)
{
  if (ballot_round (b) > self->max_round)
    self->max_round = ballot_round (b);
  if ((self->leading || self->candidate) && b > self->ballot)
    step_down (self, ctx);
}

static void
adopt_leader (Paxos *self, DmasCtx *ctx, DmasAgentId agent)
{
  if (agent == self->self_id)
    return;
  self->last_heard = dmas_now (ctx);
  self->probed = 0;
  if (self->leader == agent)
    return;
  self->leader = agent;
  resend_bids (self, ctx, 0);
}

static void
start_election (Paxos *self, DmasCtx *ctx)
{
  uint64_t round = self->max_round;
  if (ballot_round (self->promised) > round)
    round = ballot_round (self->promised);
  self->max_round = round + 1;
  self->ballot = self->max_round << 32 | self->self_id;
  self->promised = self->ballot;
  persist_meta (self, ctx); /* before PREPARE leaves: the round is never used twice */
  self->candidate = 1;
  self->leading = 0;
  self->leader = DMAS_AGENT_NONE;
  memset (self->promisers, 0, self->bitmap_len);
  self->n_promises = 0;
  ctx->api->metric (ctx, "ballots", 1.0);

  /* What phase 1 learns starts from this agent's own acceptor. */
  for (size_t i = 0; i < self->capacity; i++)
    {
      Instance *s = &self->table[i];
      if (!s->used)
        continue;
      s->p1_ballot = s->decided ? 0 : s->acc_ballot;
      s->p1_value = s->acc_value;
    }
  uint32_t idx;
  member_index (self, self->self_id, &idx);
  self->promisers[idx / 8] |= (uint8_t) (1u << (idx % 8));
  self->n_promises = 1;
  dmas_log (ctx, DMAS_LOG_DEBUG, "multipaxos: phase 1 with ballot %llu.%u",
            (unsigned long long) self->max_round, self->self_id);
  if (self->n_promises >= self->majority)
    {
      become_leader (self, ctx); /* a single agent is its own majority */
      return;
    }
  send_ballot (ctx, DMAS_AGENT_NONE, MSG_PREPARE, self->ballot);
  watch_arm (self, ctx);
}

static void
become_leader (Paxos *self, DmasCtx *ctx)
{
  self->candidate = 0;
  self->leading = 1;
  self->leader = DMAS_AGENT_NONE;
  self->failed_elections = 0;
  self->idle_ticks = 0;
  if (self->watch != 0)
    {
      ctx->api->timer_cancel (ctx, self->watch);
      self->watch = 0;
    }
  ctx->api->metric (ctx, "elections", 1.0);
  dmas_log (ctx, DMAS_LOG_DEBUG, "multipaxos: leads with ballot %llu.%u",
            (unsigned long long) ballot_round (self->ballot), self->self_id);
  if (self->n > 1)
    send_ballot (ctx, DMAS_AGENT_NONE, MSG_HEARTBEAT, self->ballot);

  uint32_t n;
  Key *keys = inst_keys (self, want_any, &n);
  for (uint32_t i = 0; keys != NULL && i < n; i++)
    {
      Instance *s = inst_lookup (self, keys[i].job, keys[i].epoch);
      if (s->window != 0)
        {
          ctx->api->timer_cancel (ctx, s->window);
          s->window = 0;
        }
      set_stage (self, s, STAGE_IDLE);
    }
  for (uint32_t i = 0; keys != NULL && i < n; i++)
    leader_consider (self, ctx, inst_lookup (self, keys[i].job, keys[i].epoch));
  free (keys);
  if (self->batch_len > 0)
    flush_batch (self, ctx);
  beat_arm (self, ctx);
}

static void
on_prepare (Paxos *self, DmasCtx *ctx, DmasAgentId src, Ballot b)
{
  if (b < self->promised || ballot_owner (b) != src)
    {
      send_ballot (ctx, src, MSG_NACK, self->promised);
      return;
    }
  see_ballot (self, ctx, b);
  if (b > self->promised)
    {
      self->promised = b;
      persist_meta (self, ctx);
    }
  uint32_t n;
  Key *keys = inst_keys (self, want_held, &n);
  if (keys == NULL)
    return;
  size_t len = BATCH_HEAD_LEN + (size_t) n * PROMISE_ENTRY_LEN;
  uint8_t *body = malloc (len);
  if (body != NULL)
    {
      dmas_put_u64 (body, b);
      dmas_put_u32 (body + 8, n);
      for (uint32_t i = 0; i < n; i++)
        {
          Instance *s = inst_lookup (self, keys[i].job, keys[i].epoch);
          uint8_t *p = body + BATCH_HEAD_LEN + (size_t) i * PROMISE_ENTRY_LEN;
          put_value (p, s, &s->acc_value);
          dmas_put_u64 (p + VALUE_LEN, s->acc_ballot);
          p[VALUE_LEN + 8] = s->decided;
        }
      ctx->api->send (ctx, src, MSG_PROMISE, body, len);
    }
  free (body);
  free (keys);
  adopt_leader (self, ctx, src);
}

static void
on_promise (Paxos *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body, uint32_t n)
{
  uint32_t idx;
  Ballot b = dmas_get_u64 (body);
  if (!self->candidate || b != self->ballot || !member_index (self, src, &idx))
    return;
  uint8_t bit = (uint8_t) (1u << (idx % 8));
  if (self->promisers[idx / 8] & bit)
    return;
  self->promisers[idx / 8] |= bit;
  for (uint32_t i = 0; i < n; i++)
    {
      const uint8_t *p = body + BATCH_HEAD_LEN + (size_t) i * PROMISE_ENTRY_LEN;
      ValueEntry e;
      if (!get_value (self, p, &e))
        continue;
      Instance *s = inst_get (self, e.job, e.epoch, e.home);
      if (s == NULL)
        continue;
      Ballot acc = dmas_get_u64 (p + VALUE_LEN);
      if (p[VALUE_LEN + 8])
        learn (self, ctx, s, &e.value);
      else if (acc > s->p1_ballot)
        {
          s->p1_ballot = acc;
          s->p1_value = e.value;
        }
    }
  if (++self->n_promises >= self->majority)
    become_leader (self, ctx);
}

/* --- messages --------------------------------------------------------------------------- */

static void
on_bid (Paxos *self, DmasCtx *ctx, DmasAgentId src, const ValueEntry *e)
{
  Instance *s = inst_get (self, e->job, e->epoch, e->home);
  if (s == NULL)
    return;
  if (s->decided)
    {
      uint8_t body[4 + VALUE_LEN];
      dmas_put_u32 (body, 1);
      put_value (body + 4, s, &s->acc_value);
      ctx->api->send (ctx, src, MSG_DECIDE, body, sizeof body);
      return;
    }
  /* Only news counts as progress: re-sent bids must not keep a stuck leader beating. */
  if (record_bid (self, s, &e->value))
    self->idle_ticks = 0;
  leader_consider (self, ctx, s);
}

static void
on_accept (Paxos *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body, uint32_t n)
{
  Ballot b = dmas_get_u64 (body);
  if (b < self->promised || ballot_owner (b) != src)
    {
      send_ballot (ctx, src, MSG_NACK, self->promised);
      return;
    }
  see_ballot (self, ctx, b);
  if (b > self->promised)
    {
      self->promised = b;
      persist_meta (self, ctx);
    }
  uint8_t *reply = malloc (BATCH_HEAD_LEN + (size_t) n * KEY_LEN);
  if (reply == NULL)
    return;
  uint32_t k = 0;
  for (uint32_t i = 0; i < n; i++)
    {
      ValueEntry e;
      if (!get_value (self, body + BATCH_HEAD_LEN + (size_t) i * VALUE_LEN, &e))
        continue;
      Instance *s = inst_get (self, e.job, e.epoch, e.home);
      if (s == NULL)
        continue;
      if (!s->decided && (s->acc_ballot != b || s->acc_value.agent != e.value.agent
                          || s->acc_value.score != e.value.score))
        {
          s->acc_ballot = b;
          s->acc_value = e.value;
          persist_instance (self, ctx, s);
        }
      uint8_t *p = reply + BATCH_HEAD_LEN + (size_t) k++ * KEY_LEN;
      dmas_put_u64 (p, e.job);
      dmas_put_u32 (p + 8, e.epoch);
    }
  dmas_put_u64 (reply, b);
  dmas_put_u32 (reply + 8, k);
  ctx->api->send (ctx, src, MSG_ACCEPTED, reply, BATCH_HEAD_LEN + (size_t) k * KEY_LEN);
  free (reply);
  adopt_leader (self, ctx, src);
}

static void
on_accepted (Paxos *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body, uint32_t n)
{
  Ballot b = dmas_get_u64 (body);
  if (!self->leading || b != self->ballot)
    return;
  Key *won = malloc ((n ? n : 1) * sizeof *won);
  if (won == NULL)
    return;
  uint32_t n_won = 0;
  for (uint32_t i = 0; i < n; i++)
    {
      const uint8_t *p = body + BATCH_HEAD_LEN + (size_t) i * KEY_LEN;
      Key key = { dmas_get_u64 (p), dmas_get_u32 (p + 8) };
      Instance *s = inst_lookup (self, key.job, key.epoch);
      if (s != NULL && s->prop_ballot == b && count_ack (self, s, src))
        won[n_won++] = key;
    }
  if (n_won > 0)
    self->idle_ticks = 0;
  chosen (self, ctx, won, n_won);
  free (won);
}

static void
on_decide (Paxos *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body, uint32_t n)
{
  if (src == self->leader)
    {
      self->last_heard = dmas_now (ctx);
      self->probed = 0;
    }
  for (uint32_t i = 0; i < n; i++)
    {
      ValueEntry e;
      if (!get_value (self, body + 4 + (size_t) i * VALUE_LEN, &e))
        continue;
      Instance *s = inst_get (self, e.job, e.epoch, e.home);
      if (s != NULL)
        learn (self, ctx, s, &e.value);
    }
}

static void
on_heartbeat (Paxos *self, DmasCtx *ctx, DmasAgentId src, Ballot b)
{
  if (b < self->promised || ballot_owner (b) != src)
    {
      send_ballot (ctx, src, MSG_NACK, self->promised);
      return;
    }
  see_ballot (self, ctx, b);
  adopt_leader (self, ctx, src);
}

static void
on_nack (Paxos *self, DmasCtx *ctx, Ballot b)
{
  if (b <= self->ballot)
    return; /* stale */
  see_ballot (self, ctx, b);
  if (ballot_owner (b) != self->self_id && !self->leading && !self->candidate)
    adopt_leader (self, ctx, ballot_owner (b));
}

/* Returns the number of entries of a well-formed body of `type`, or -1. */
static int64_t
entries_of (uint32_t type, const uint8_t *body, size_t len)
{
  size_t head, entry;
  switch (type)
    {
    case MSG_BID:
      return len == VALUE_LEN ? 1 : -1;
    case MSG_PREPARE:
    case MSG_NACK:
    case MSG_HEARTBEAT:
      return len == 8 ? 0 : -1;
    case MSG_PROMISE:
      head = BATCH_HEAD_LEN, entry = PROMISE_ENTRY_LEN;
      break;
    case MSG_ACCEPT:
      head = BATCH_HEAD_LEN, entry = VALUE_LEN;
      break;
    case MSG_ACCEPTED:
      head = BATCH_HEAD_LEN, entry = KEY_LEN;
      break;
    case MSG_DECIDE:
      head = 4, entry = VALUE_LEN;
      break;
    default:
      return -1;
    }
  if (len < head)
    return -1;
  uint32_t n = dmas_get_u32 (body + head - 4);
  if ((len - head) % entry != 0 || (len - head) / entry != n)
    return -1;
  return n;
}

static int
paxos_on_message (void *self_, DmasCtx *ctx, DmasAgentId src, uint32_t type,
                  const void *body_, size_t len)
{
  Paxos *self = self_;
  const uint8_t *body = body_;
  uint32_t idx;
  int64_t n = body != NULL ? entries_of (type, body, len) : -1;
  ValueEntry e;
  if (n < 0 || !member_index (self, src, &idx)
      || (type == MSG_BID && (!get_value (self, body, &e) || e.value.agent != src)))
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }
  switch (type)
    {
    case MSG_BID:
      on_bid (self, ctx, src, &e);
      break;
    case MSG_PREPARE:
      on_prepare (self, ctx, src, dmas_get_u64 (body));
      break;
    case MSG_PROMISE:
      on_promise (self, ctx, src, body, (uint32_t) n);
      break;
    case MSG_ACCEPT:
      on_accept (self, ctx, src, body, (uint32_t) n);
      break;
    case MSG_ACCEPTED:
      on_accepted (self, ctx, src, body, (uint32_t) n);
      break;
    case MSG_DECIDE:
      on_decide (self, ctx, src, body, (uint32_t) n);
      break;
    case MSG_NACK:
      on_nack (self, ctx, dmas_get_u64 (body));
      break;
    case MSG_HEARTBEAT:
      on_heartbeat (self, ctx, src, dmas_get_u64 (body));
      break;
    default:
      break;
    }
  /* A message may end a quiet period that stopped the timers. */
  watch_arm (self, ctx);
  beat_arm (self, ctx);
  return DMAS_OK;
}

static int
paxos_propose (void *self_, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  Paxos *self = self_;
  uint32_t idx;
  if (!member_index (self, slot->home, &idx) || bid->job != slot->job
      || bid->agent != self->self_id || !isfinite (bid->score) || bid->score < 0.0)
    {
      dmas_log (ctx, DMAS_LOG_ERROR,
                "multipaxos: invalid proposal for job %llu epoch %u (home %u, bid by %u for "
                "job %llu, score %g)",
                (unsigned long long) slot->job, slot->epoch, slot->home, bid->agent,
                (unsigned long long) bid->job, bid->score);
      return DMAS_EINVAL;
    }
  Instance *s = inst_get (self, slot->job, slot->epoch, slot->home);
  if (s == NULL)
    return DMAS_ENOMEM;
  if (s->own)
    return DMAS_ESTATE; /* proposed twice */
  s->own = 1;
  s->own_bid = *bid;
  if (s->decided)
    return DMAS_OK; /* the DECIDE overtook our own bidding */
  self->n_pending_own++;
  self->failed_elections = 0;
  self->idle_ticks = 0;
  record_bid (self, s, bid);
  if (self->leading)
    leader_consider (self, ctx, s);
  else if (self->leader != DMAS_AGENT_NONE)
    send_bid (ctx, s, self->leader);
  else if (!self->candidate && self->fresh && self->self_id == self->members[0])
    start_election (self, ctx);
  self->fresh = 0;
  watch_arm (self, ctx);
  return DMAS_OK;
}

static void *
paxos_create (DmasCtx *ctx, DmasError *err)
{
  DmasTime leader_timeout, heartbeat, bid_window, batch_wait;
  int64_t batch;
  int rc = ctx->api->param_duration (ctx, "leader_timeout", &leader_timeout);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "heartbeat", &heartbeat);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "bid_window", &bid_window);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "batch_wait", &batch_wait);
  if (rc == DMAS_OK)
    rc = ctx->api->param_int (ctx, "batch", &batch);
  if (rc != DMAS_OK)
    {
      dmas_error_set (err, rc, "multipaxos: cannot read parameters (status %d)", rc);
      return NULL;
    }
  if (heartbeat == 0 || leader_timeout <= heartbeat)
    {
      dmas_error_set (err, DMAS_EINVAL, "multipaxos: need 0 < heartbeat < leader_timeout "
                      "(e.g. heartbeat: 50ms, leader_timeout: 200ms)");
      return NULL;
    }
  if (batch < 1 || batch > 4096)
    {
      dmas_error_set (err, DMAS_EINVAL, "multipaxos: batch must be in 1..4096, not %lld",
                      (long long) batch);
      return NULL;
    }

  Paxos *self = calloc (1, sizeof *self);
  if (self == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "multipaxos: out of memory");
      return NULL;
    }
  self->leader_timeout = leader_timeout;
  self->heartbeat = heartbeat;
  self->bid_window = bid_window;
  self->batch_wait = batch_wait;
  self->batch = (uint32_t) batch;
  self->self_id = dmas_self (ctx);
  self->members = ctx->api->members (ctx, &self->n);
  self->majority = self->n / 2 + 1;
  self->bitmap_len = (self->n + 7) / 8;
  self->leader = DMAS_AGENT_NONE;
  self->fresh = 1;
  self->capacity = 64;
  self->table = calloc (self->capacity, sizeof *self->table);
  self->promisers = calloc (self->bitmap_len ? self->bitmap_len : 1, 1);
  self->batch_keys = malloc (self->batch * sizeof *self->batch_keys);
  uint32_t idx;
  if (self->table == NULL || self->promisers == NULL || self->batch_keys == NULL)
    rc = dmas_error_set (err, DMAS_ENOMEM, "multipaxos: out of memory");
  else if (self->n == 0 || !member_index (self, self->self_id, &idx))
    rc = dmas_error_set (err, DMAS_EINVAL, "multipaxos: this agent is not a member");
  else if ((rc = restore_state (self, ctx)) != DMAS_OK)
    dmas_error_set (err, rc, "multipaxos: stable storage holds a damaged state (status %d)",
                    rc);
  if (rc != DMAS_OK)
    {
      if (self->table != NULL)
        for (size_t i = 0; i < self->capacity; i++)
          free (self->table[i].bits);
      free (self->table);
      free (self->promisers);
      free (self->batch_keys);
      free (self);
      return NULL;
    }
  /* A restarted agent follows whoever it last promised, until that one proves silent. */
  if (self->promised != 0 && ballot_owner (self->promised) != self->self_id)
    self->leader = ballot_owner (self->promised);
  self->last_heard = dmas_now (ctx);
  return self;
}

static void
paxos_destroy (void *self_)
{
  Paxos *self = self_;
  if (self == NULL)
    return;
  /* Pending window timers' data only names slots; the host frees it. */
  for (size_t i = 0; i < self->capacity; i++)
    free (self->table[i].bits);
  free (self->table);
  free (self->promisers);
  free (self->batch_keys);
  free (self);
}

static const DmasConsensusOps paxos_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = paxos_create,
  .destroy = paxos_destroy,
  .propose = paxos_propose,
  .on_message = paxos_on_message,
  .agent_status = NULL,
  .fault_model = DMAS_FAULT_MODEL_CRASH,
};

static const DmasParamSpec paxos_params[] = {
  { "leader_timeout", DMAS_PARAM_DURATION, "200ms",
    "an agent with an undecided bid suspects a leader silent this long; each check waits "
    "leader_timeout x (1 + U[0,1)) from the agent's stream" },
  { "heartbeat", DMAS_PARAM_DURATION, "50ms",
    "period of the leader's heartbeat and ACCEPT retransmission while it has undecided "
    "instances (must be below leader_timeout)" },
  { "bid_window", DMAS_PARAM_DURATION, "100ms",
    "how long the leader waits for all n bids of a slot after the first before proposing" },
  { "batch", DMAS_PARAM_INT, "1",
    "slots per ACCEPT/ACCEPTED/DECIDE: messages per decision (n-1) + 3(n-1)/batch" },
  { "batch_wait", DMAS_PARAM_DURATION, "10ms",
    "how long a ready value waits for its batch to fill (latency added under light load)" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent paxos_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_CONSENSUS,
    .name = "multipaxos",
    .api_major = DMAS_CONSENSUS_API_MAJOR,
    .api_minor = DMAS_CONSENSUS_API_MINOR,
    .ops = &paxos_ops,
    .summary = "Multi-Paxos: stable leader, phase 1 on leader change, one instance per slot",
    .params = paxos_params,
  },
};

static const DmasPluginDesc paxos_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "multipaxos",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = paxos_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &paxos_desc;
}
