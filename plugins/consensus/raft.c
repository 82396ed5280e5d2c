/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/raft: Raft (Ongaro & Ousterhout 2014) replicating a log of slot decisions. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

/* What is replicated: a log whose entries are decisions {job, epoch, home, winner, score}
 * (up to `batch` slots per entry).  An agent decides a slot when it applies the committed
 * entry holding it, so every agent decides what the log says, in log order.
 *
 * Bids: propose() keeps the agent's own bid as "pending" until the slot is decided, and sends
 * it (BID) to the agent it believes is leader; with no known leader it waits.  Whenever an
 * agent learns of a new leader (an AppendEntries from someone else) it sends it every pending
 * bid again: the leader ignores bids of slots already in its log and duplicates, so resending
 * is idempotent, and bids an old leader had collected but not appended are not lost.
 * The leader collects bids per slot and closes the slot when it has all n bids or
 * `bid_window` after the first bid it saw; the winner is the best bid > 0 by dmas_bid_better,
 * or DMAS_AGENT_NONE with score 0 (rejected).  It never closes a slot already in its log.
 *
 * Batching: closed slots wait in a ready list; a full list (`batch` slots) becomes one entry at
 * once, a shorter one at the next heartbeat.  batch = 1 appends every slot at once; batch = b
 * saves up to a factor b of AppendEntries traffic under load, at the price of up to one
 * heartbeat period of extra latency for slots that do not fill an entry.
 *
 * Raft proper: terms, RequestVote with the log up-to-date check, one vote per term, randomized
 * election timeouts in [election_timeout, 2 election_timeout) from the instance stream,
 * AppendEntries with the consistency check and conflict truncation, commit only of current-term
 * entries stored on a majority (a new leader that inherits uncommitted entries appends an empty
 * entry to commit them), followers learn the commit index from the next AppendEntries (so a
 * follower decides up to one `heartbeat` after the leader: that is most of the decision
 * latency, e.g. p50 52 ms on configs/quickstart.yaml with 1 ms links).  The
 * leader pipelines: after sending entries to a follower it assumes they arrive (nextIndex moves
 * past them) and backs off on a rejection.  At most 64 entries travel per message.
 *
 * Quiescence (a deviation that changes no safety argument): timers run only while there is work,
 * so a finished simulation ends.  A follower or candidate keeps an election timer only while it
 * holds undecided bids of its own (it needs a leader) or has heard a vote request of a term
 * whose leader it does not know yet; the leader heartbeats every `heartbeat`
 * while it collects bids, holds ready slots, has uncommitted entries, or some follower that the
 * failure detector does not suspect, and that answered within the last 10 election timeouts,
 * lags behind its log or commit index.
 *
 * Stable storage (persist before any message that depends on it): "raft/meta" = currentTerm
 * u64 | votedFor u32 | last log index u64 | lastApplied u64, and "raft/e/<index>" = one entry.
 * Committed entries never change, so each entry is written once (again only if a conflict
 * replaces an uncommitted one); the meta record stays 28 bytes.  lastApplied is stored so that
 * a restarted agent does not decide a slot twice; create() restores all of it and rejoins as a
 * follower.
 *
 * Messages (little-endian):
 *   BID        job u64 | epoch u32 | home u32 | agent u32 | score f64            (28 bytes)
 *   VOTE_REQ   term u64 | last index u64 | last term u64
 *   VOTE       term u64 | granted u32
 *   APPEND     term u64 | prev index u64 | prev term u64 | leader commit u64 | n u32 | entries
 *              entry: term u64 | k u32 | k decisions laid out as BID (agent = winner)
 *   APPEND_ACK term u64 | success u32 | match u64 | last index u64 | commit u64
 *              (on a rejection, `match` is the prev index that did not match)
 *
 * Message count per slot with no faults, a steady leader and batch 1: n-1 BIDs (the leader's
 * own bid stays local), n-1 APPENDs with the entry and n-1 APPEND_ACKs: 3(n-1); on top of that
 * 2(n-1) per heartbeat round (metric "heartbeats") and 2(n-1) per election attempt ("terms").
 * Slots further apart than `heartbeat` each need one heartbeat round to carry their commit:
 * 5(n-1) per slot then (configs/quickstart.yaml, n = 5: 20.27 with the election).  Exact total:
 * (n-1) (3 rounds + 2 heartbeats + 2 terms), asserted in tests/plugins/test-raft.c and
 * tests/scenarios/test-raft-e2e.c.
 *
 * Memory and storage grow with the number of slots: the whole log is kept (no snapshot or
 * compaction), one storage key per entry.
 *
 * Metrics: "elections" (a candidate became leader), "terms" (elections started), "rounds"
 * (entries with decisions appended by a leader), "heartbeats" (heartbeat rounds),
 * "duplicates" (bids already known), "malformed", "misrouted" (bids at a non-leader). */

enum {
  RAFT_MSG_BID = 1,
  RAFT_MSG_VOTE_REQ = 2,
  RAFT_MSG_VOTE = 3,
  RAFT_MSG_APPEND = 4,
  RAFT_MSG_APPEND_ACK = 5,
};

#define DECISION_LEN 28
#define ENTRY_HEADER_LEN 12
#define VOTE_REQ_LEN 24
#define VOTE_LEN 12
#define APPEND_HEADER_LEN 36
#define APPEND_ACK_LEN 36
#define META_LEN 28
#define MAX_ENTRIES_PER_MSG 64

typedef enum { ROLE_FOLLOWER = 0, ROLE_CANDIDATE, ROLE_LEADER } Role;

typedef struct {
  DmasSlot slot;
  DmasBid bid; /* bid.agent is the winner, DMAS_AGENT_NONE when rejected */
} Decision;

typedef struct {
  uint64_t term;
  uint32_t n;
  Decision *d;
} Entry;

/* What one agent knows about one slot. */
typedef struct {
  DmasJobId job;
  uint32_t epoch;
  uint8_t used;
  uint8_t decided;
  uint8_t ready;       /* leader: closed, waiting in the ready list */
  uint64_t log_index;  /* index of the entry holding it, 0 when not in the log */
  /* leader's collection */
  DmasAgentId home;
  uint8_t *bidders;    /* bitmap over member indices; non-NULL while collecting */
  uint32_t n_bids;
  DmasBid best;
  DmasTimerId window;
} Slot;

typedef struct {
  DmasSlot slot;
  DmasBid bid;
} Pending;

typedef struct Raft Raft;

typedef struct {
  Raft *self;
  DmasJobId job;
  uint32_t epoch;
} WindowData;

struct Raft {
  DmasTime election_timeout, heartbeat, bid_window;
  uint32_t batch;
  const DmasAgentId *members;
  uint32_t n;
  uint32_t self_idx;
  DmasAgentId self_id;

  /* persistent */
  uint64_t term;
  DmasAgentId voted_for;
  Entry *log; /* log[i - 1] is index i */
  uint64_t last, log_cap;
  uint64_t applied;

  /* volatile */
  Role role;
  DmasAgentId leader;
  uint64_t commit;
  DmasTimerId election_timer, heartbeat_timer;
  uint8_t disrupted; /* an election is going on and no leader of the current term is known */
  uint8_t *votes;
  uint32_t n_votes;
  uint64_t *next_index, *match_index, *peer_commit;
  DmasTime *last_heard; /* leader: when each follower last answered in this term */
  uint8_t *suspected;

  Slot *slots;
  size_t capacity, used;
  Pending *pending;
  size_t n_pending, pending_cap;
  Decision *ready;
  size_t n_ready, ready_cap;
  uint32_t n_collecting;
};

/* --- slot table (open addressing, never shrinks) ---------------------------------------- */

static size_t
slot_hash (DmasJobId job, uint32_t epoch)
{
  uint64_t z = job ^ ((uint64_t) epoch << 48 | (uint64_t) epoch >> 16);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (size_t) (z ^ (z >> 31));
}

static Slot *
slot_lookup (Raft *self, DmasJobId job, uint32_t epoch)
{
  size_t mask = self->capacity - 1;
  for (size_t i = slot_hash (job, epoch) & mask;; i = (i + 1) & mask)
    {
      Slot *s = &self->slots[i];
      if (!s->used)
        return NULL;
      if (s->job == job && s->epoch == epoch)
        return s;
    }
}

static void
slot_place (Slot *table, size_t capacity, const Slot *record)
{
  size_t mask = capacity - 1;
  size_t i = slot_hash (record->job, record->epoch) & mask;
  while (table[i].used)
    i = (i + 1) & mask;
  table[i] = *record;
}

/* Returns the slot's record, created if needed; NULL when out of memory. */
static Slot *
slot_get (Raft *self, DmasJobId job, uint32_t epoch)
{
  Slot *s = slot_lookup (self, job, epoch);
  if (s != NULL)
    return s;
  if (2 * (self->used + 1) > self->capacity)
    {
      size_t capacity = self->capacity * 2;
      Slot *table = calloc (capacity, sizeof *table);
      if (table == NULL)
        return NULL;
      for (size_t i = 0; i < self->capacity; i++)
        if (self->slots[i].used)
          slot_place (table, capacity, &self->slots[i]);
      free (self->slots);
      self->slots = table;
      self->capacity = capacity;
    }
  Slot record = { .job = job, .epoch = epoch, .used = 1, .home = DMAS_AGENT_NONE };
  slot_place (self->slots, self->capacity, &record);
  self->used++;
  return slot_lookup (self, job, epoch);
}

/* --- helpers ---------------------------------------------------------------------------- */

static int
member_index (const Raft *self, DmasAgentId agent, uint32_t *index)
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

static uint32_t
majority (const Raft *self)
{
  return self->n / 2 + 1;
}

static uint64_t
term_at (const Raft *self, uint64_t index)
{
  return index == 0 || index > self->last ? 0 : self->log[index - 1].term;
}

static void
put_decision (uint8_t *p, const Decision *d)
{
  dmas_put_u64 (p, d->slot.job);
  dmas_put_u32 (p + 8, d->slot.epoch);
  dmas_put_u32 (p + 12, d->slot.home);
  dmas_put_u32 (p + 16, d->bid.agent);
  dmas_put_double (p + 20, d->bid.score);
}

static void
get_decision (const uint8_t *p, Decision *d)
{
  d->slot.job = dmas_get_u64 (p);
  d->slot.epoch = dmas_get_u32 (p + 8);
  d->slot.home = dmas_get_u32 (p + 12);
  d->bid.job = d->slot.job;
  d->bid.agent = dmas_get_u32 (p + 16);
  d->bid.reserved = 0;
  d->bid.score = dmas_get_double (p + 20);
}

static size_t
entry_len (const Entry *e)
{
  return ENTRY_HEADER_LEN + (size_t) e->n * DECISION_LEN;
}

static void
put_entry (uint8_t *p, const Entry *e)
{
  dmas_put_u64 (p, e->term);
  dmas_put_u32 (p + 8, e->n);
  for (uint32_t k = 0; k < e->n; k++)
    put_decision (p + ENTRY_HEADER_LEN + (size_t) k * DECISION_LEN, &e->d[k]);
}

/* Parses one entry at p (len bytes left).  Returns its length, or 0 when malformed. */
static size_t
get_entry (const uint8_t *p, size_t len, Entry *e)
{
  if (len < ENTRY_HEADER_LEN)
    return 0;
  e->term = dmas_get_u64 (p);
  e->n = dmas_get_u32 (p + 8);
  if (e->n > (len - ENTRY_HEADER_LEN) / DECISION_LEN)
    return 0;
  e->d = NULL;
  if (e->n > 0)
    {
      e->d = malloc ((size_t) e->n * sizeof *e->d);
      if (e->d == NULL)
        return 0;
      for (uint32_t k = 0; k < e->n; k++)
        get_decision (p + ENTRY_HEADER_LEN + (size_t) k * DECISION_LEN, &e->d[k]);
    }
  return entry_len (e);
}

/* --- stable storage --------------------------------------------------------------------- */

static int
persist_meta (Raft *self, DmasCtx *ctx)
{
  uint8_t meta[META_LEN];
  dmas_put_u64 (meta, self->term);
  dmas_put_u32 (meta + 8, self->voted_for);
  dmas_put_u64 (meta + 12, self->last);
  dmas_put_u64 (meta + 20, self->applied);
  return ctx->api->persist (ctx, "raft/meta", meta, sizeof meta);
}

static int
persist_entry (Raft *self, DmasCtx *ctx, uint64_t index)
{
  const Entry *e = &self->log[index - 1];
  char key[48];
  snprintf (key, sizeof key, "raft/e/%llu", (unsigned long long) index);
  size_t len = entry_len (e);
  uint8_t *buf = malloc (len);
  if (buf == NULL)
    return DMAS_ENOMEM;
  put_entry (buf, e);
  int rc = ctx->api->persist (ctx, key, buf, len);
  free (buf);
  return rc;
}

/* --- log -------------------------------------------------------------------------------- */

/* Appends `e` (takes its decisions) at last + 1, in memory only. */
static int
log_append (Raft *self, Entry *e)
{
  if (self->last == self->log_cap)
    {
      uint64_t cap = self->log_cap ? self->log_cap * 2 : 64;
      Entry *log = realloc (self->log, cap * sizeof *log);
      if (log == NULL)
        return DMAS_ENOMEM;
      self->log = log;
      self->log_cap = cap;
    }
  self->log[self->last++] = *e;
  for (uint32_t k = 0; k < e->n; k++)
    {
      Slot *s = slot_get (self, e->d[k].slot.job, e->d[k].slot.epoch);
      if (s != NULL)
        s->log_index = self->last;
    }
  return DMAS_OK;
}

/* Drops entries after `index` (never committed ones: Raft guarantees they do not conflict). */
static void
log_truncate (Raft *self, uint64_t index)
{
  while (self->last > index)
    {
      Entry *e = &self->log[self->last - 1];
      for (uint32_t k = 0; k < e->n; k++)
        {
          Slot *s = slot_lookup (self, e->d[k].slot.job, e->d[k].slot.epoch);
          if (s != NULL && s->log_index == self->last)
            s->log_index = 0;
        }
      free (e->d);
      self->last--;
    }
}

/* --- pending own bids ------------------------------------------------------------------- */

static void
send_bid (Raft *self, DmasCtx *ctx, const Pending *p)
{
  Decision d = { .slot = p->slot, .bid = p->bid };
  uint8_t body[DECISION_LEN];
  put_decision (body, &d);
  ctx->api->send (ctx, self->leader, RAFT_MSG_BID, body, sizeof body);
}

static void
pending_remove (Raft *self, DmasJobId job, uint32_t epoch)
{
  for (size_t i = 0; i < self->n_pending; i++)
    if (self->pending[i].slot.job == job && self->pending[i].slot.epoch == epoch)
      {
        memmove (&self->pending[i], &self->pending[i + 1],
                 (self->n_pending - i - 1) * sizeof *self->pending);
        self->n_pending--;
        return;
      }
}

/* --- forward declarations of the protocol's cycle --------------------------------------- */

static void leader_record_bid (Raft *self, DmasCtx *ctx, const DmasSlot *slot,
                               const DmasBid *bid);
static void election_arm (Raft *self, DmasCtx *ctx);
static void heartbeat_arm (Raft *self, DmasCtx *ctx);
static int needs_leader (const Raft *self);

/* --- apply ------------------------------------------------------------------------------ */

static void
apply_committed (Raft *self, DmasCtx *ctx)
{
  if (self->applied >= self->commit)
    return;
  while (self->applied < self->commit)
    {
      Entry *e = &self->log[self->applied];
      for (uint32_t k = 0; k < e->n; k++)
        {
          Decision *d = &e->d[k];
          Slot *s = slot_get (self, d->slot.job, d->slot.epoch);
          if (s != NULL && s->decided)
            continue;
          if (s != NULL)
            s->decided = 1;
          pending_remove (self, d->slot.job, d->slot.epoch);
          ctx->api->decide (ctx, &d->slot, &d->bid);
        }
      self->applied++;
    }
  persist_meta (self, ctx);
  if (!needs_leader (self) && self->election_timer != 0)
    {
      /* Nothing left that needs a leader. */
      ctx->api->timer_cancel (ctx, self->election_timer);
      self->election_timer = 0;
    }
}

/* --- roles ------------------------------------------------------------------------------ */

static void
collections_drop (Raft *self, DmasCtx *ctx)
{
  for (size_t i = 0; i < self->capacity && self->n_collecting > 0; i++)
    {
      Slot *s = &self->slots[i];
      if (s->used && s->bidders != NULL)
        {
          free (s->bidders);
          s->bidders = NULL;
          if (s->window != 0)
            ctx->api->timer_cancel (ctx, s->window);
          s->window = 0;
          self->n_collecting--;
        }
    }
  for (size_t i = 0; i < self->n_ready; i++)
    {
      Slot *s = slot_lookup (self, self->ready[i].slot.job, self->ready[i].slot.epoch);
      if (s != NULL)
        s->ready = 0;
    }
  self->n_ready = 0;
}

/* Adopts a newer term (persisted before anything depends on it) and becomes follower. */
static void
become_follower (Raft *self, DmasCtx *ctx, uint64_t term)
{
  int changed = term != self->term;
  if (changed)
    {
      self->term = term;
      self->voted_for = DMAS_AGENT_NONE;
      persist_meta (self, ctx);
    }
  if (self->role == ROLE_LEADER)
    {
      collections_drop (self, ctx);
      if (self->heartbeat_timer != 0)
        ctx->api->timer_cancel (ctx, self->heartbeat_timer);
      self->heartbeat_timer = 0;
    }
  if (self->role != ROLE_FOLLOWER || changed)
    self->leader = DMAS_AGENT_NONE;
  self->role = ROLE_FOLLOWER;
}

static int
send_append (Raft *self, DmasCtx *ctx, uint32_t f)
{
  uint64_t next = self->next_index[f];
  if (next < 1)
    next = 1;
  if (next > self->last + 1)
    next = self->last + 1;
  uint64_t prev = next - 1;
  uint64_t count = self->last - prev;
  if (count > MAX_ENTRIES_PER_MSG)
    count = MAX_ENTRIES_PER_MSG;
  size_t len = APPEND_HEADER_LEN;
  for (uint64_t i = 0; i < count; i++)
    len += entry_len (&self->log[prev + i]);
  uint8_t *body = malloc (len);
  if (body == NULL)
    return DMAS_ENOMEM;
  dmas_put_u64 (body, self->term);
  dmas_put_u64 (body + 8, prev);
  dmas_put_u64 (body + 16, term_at (self, prev));
  dmas_put_u64 (body + 24, self->commit);
  dmas_put_u32 (body + 32, (uint32_t) count);
  size_t off = APPEND_HEADER_LEN;
  for (uint64_t i = 0; i < count; i++)
    {
      put_entry (body + off, &self->log[prev + i]);
      off += entry_len (&self->log[prev + i]);
    }
  /* Pipelining: the next message carries what follows, unless a rejection says otherwise. */
  self->next_index[f] = prev + count + 1;
  int rc = ctx->api->send (ctx, self->members[f], RAFT_MSG_APPEND, body, len);
  free (body);
  return rc;
}

static void
advance_commit (Raft *self, DmasCtx *ctx)
{
  for (uint64_t idx = self->last; idx > self->commit; idx--)
    {
      if (term_at (self, idx) != self->term)
        break; /* only current-term entries commit by counting (Raft §5.4.2) */
      uint32_t count = 0;
      for (uint32_t f = 0; f < self->n; f++)
        count += f == self->self_idx || self->match_index[f] >= idx;
      if (count >= majority (self))
        {
          self->commit = idx;
          apply_committed (self, ctx);
          return;
        }
    }
}

/* Appends one entry with the given decisions in the current term and replicates it. */
static void
leader_append (Raft *self, DmasCtx *ctx, const Decision *d, uint32_t n)
{
  Entry e = { .term = self->term, .n = n, .d = NULL };
  if (n > 0)
    {
      e.d = malloc ((size_t) n * sizeof *e.d);
      if (e.d == NULL)
        {
          dmas_log (ctx, DMAS_LOG_ERROR, "raft: out of memory, entry not appended");
          return;
        }
      memcpy (e.d, d, (size_t) n * sizeof *e.d);
    }
  if (log_append (self, &e) != DMAS_OK)
    {
      free (e.d);
      dmas_log (ctx, DMAS_LOG_ERROR, "raft: out of memory, entry not appended");
      return;
    }
  for (uint32_t k = 0; k < n; k++)
    {
      Slot *s = slot_lookup (self, d[k].slot.job, d[k].slot.epoch);
      if (s != NULL)
        s->ready = 0;
    }
  persist_entry (self, ctx, self->last);
  persist_meta (self, ctx);
  if (n > 0)
    ctx->api->metric (ctx, "rounds", 1.0);
  for (uint32_t f = 0; f < self->n; f++)
    if (f != self->self_idx && self->next_index[f] == self->last)
      send_append (self, ctx, f);
  advance_commit (self, ctx); /* a single agent is its own majority */
  heartbeat_arm (self, ctx);
}

static void
ready_flush (Raft *self, DmasCtx *ctx)
{
  /* Emptied first, so that the appends below see no ready work left. */
  size_t total = self->n_ready;
  self->n_ready = 0;
  for (size_t done = 0; done < total;)
    {
      uint32_t k = (uint32_t) (total - done < self->batch ? total - done : self->batch);
      leader_append (self, ctx, &self->ready[done], k);
      done += k;
    }
}

static void
become_leader (Raft *self, DmasCtx *ctx)
{
  self->role = ROLE_LEADER;
  self->leader = self->self_id;
  if (self->election_timer != 0)
    ctx->api->timer_cancel (ctx, self->election_timer);
  self->election_timer = 0;
  for (uint32_t f = 0; f < self->n; f++)
    {
      self->next_index[f] = self->last + 1;
      self->match_index[f] = 0;
      self->peer_commit[f] = 0;
      self->last_heard[f] = dmas_now (ctx);
    }
  ctx->api->metric (ctx, "elections", 1.0);
  dmas_log (ctx, DMAS_LOG_DEBUG, "raft: leader of term %llu", (unsigned long long) self->term);
  /* The first round of AppendEntries tells everyone who leads (counted as a heartbeat).
   * Entries of earlier terms commit only under a current-term entry (Raft §5.4.2, §8): when
   * there are such entries, that round carries an empty entry. */
  ctx->api->metric (ctx, "heartbeats", 1.0);
  if (self->commit < self->last)
    leader_append (self, ctx, NULL, 0);
  else
    for (uint32_t f = 0; f < self->n; f++)
      if (f != self->self_idx)
        send_append (self, ctx, f);
  /* Our own undecided bids; applying may shrink the pending list, so walk a copy. */
  size_t n_own = self->n_pending;
  Pending *own = n_own > 0 ? malloc (n_own * sizeof *own) : NULL;
  if (n_own > 0 && own == NULL)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "raft: out of memory, own bids not collected");
      n_own = 0;
    }
  if (n_own > 0)
    memcpy (own, self->pending, n_own * sizeof *own);
  for (size_t i = 0; i < n_own && self->role == ROLE_LEADER; i++)
    leader_record_bid (self, ctx, &own[i].slot, &own[i].bid);
  free (own);
  heartbeat_arm (self, ctx);
}

/* --- elections -------------------------------------------------------------------------- */

static void
start_election (Raft *self, DmasCtx *ctx)
{
  self->role = ROLE_CANDIDATE;
  self->leader = DMAS_AGENT_NONE;
  self->term++;
  self->voted_for = self->self_id;
  persist_meta (self, ctx);
  ctx->api->metric (ctx, "terms", 1.0);
  memset (self->votes, 0, self->n);
  self->votes[self->self_idx] = 1;
  self->n_votes = 1;
  if (self->n_votes >= majority (self))
    {
      become_leader (self, ctx);
      return;
    }
  uint8_t body[VOTE_REQ_LEN];
  dmas_put_u64 (body, self->term);
  dmas_put_u64 (body + 8, self->last);
  dmas_put_u64 (body + 16, term_at (self, self->last));
  for (uint32_t f = 0; f < self->n; f++)
    if (f != self->self_idx)
      ctx->api->send (ctx, self->members[f], RAFT_MSG_VOTE_REQ, body, sizeof body);
  election_arm (self, ctx);
}

/* A follower or candidate watches for a leader while it holds undecided bids of its own, or
 * while an election it heard of has not produced a leader yet (otherwise an agent whose log is
 * too short to win could leave the cluster leaderless). */
static int
needs_leader (const Raft *self)
{
  return self->role != ROLE_LEADER
         && (self->n_pending > 0 || (self->disrupted && self->leader == DMAS_AGENT_NONE));
}

static void
election_fired (DmasCtx *ctx, void *data)
{
  Raft *self = data;
  self->election_timer = 0;
  if (!needs_leader (self))
    return; /* stay quiet until a proposal or an election needs us */
  start_election (self, ctx);
}

/* (Re)starts the election timeout, if this agent needs a leader. */
static void
election_arm (Raft *self, DmasCtx *ctx)
{
  if (self->election_timer != 0)
    ctx->api->timer_cancel (ctx, self->election_timer);
  self->election_timer = 0;
  if (!needs_leader (self))
    return;
  DmasTime span = self->election_timeout;
  DmasTime delay = span + (DmasTime) (ctx->api->rng_double (ctx) * (double) span);
  self->election_timer = ctx->api->timer_add (ctx, delay, election_fired, self, NULL);
}

/* --- heartbeats ------------------------------------------------------------------------- */

/* Followers silent for this many election timeouts are not waited for (down or cut off, and
 * no failure detector says so): without this, a leader would heartbeat a dead agent forever
 * and a finished run would never end.  They catch up at the leader's next busy period. */
#define SILENT_TIMEOUTS 10

static int
leader_busy (const Raft *self, DmasCtx *ctx)
{
  if (self->n_collecting > 0 || self->n_ready > 0 || self->commit < self->last)
    return 1;
  DmasTime now = dmas_now (ctx);
  DmasTime silent = SILENT_TIMEOUTS * self->election_timeout;
  for (uint32_t f = 0; f < self->n; f++)
    if (f != self->self_idx && !self->suspected[f] && now - self->last_heard[f] < silent
        && (self->match_index[f] < self->last || self->peer_commit[f] < self->commit))
      return 1;
  return 0;
}

static void
heartbeat_fired (DmasCtx *ctx, void *data)
{
  Raft *self = data;
  self->heartbeat_timer = 0;
  if (self->role != ROLE_LEADER)
    return;
  ready_flush (self, ctx);
  if (self->role != ROLE_LEADER)
    return;
  ctx->api->metric (ctx, "heartbeats", 1.0);
  for (uint32_t f = 0; f < self->n; f++)
    if (f != self->self_idx)
      send_append (self, ctx, f);
  heartbeat_arm (self, ctx);
}

/* Keeps the heartbeat running exactly while the leader has work (see Quiescence). */
static void
heartbeat_arm (Raft *self, DmasCtx *ctx)
{
  int busy = self->role == ROLE_LEADER && leader_busy (self, ctx);
  if (!busy && self->heartbeat_timer != 0)
    {
      ctx->api->timer_cancel (ctx, self->heartbeat_timer);
      self->heartbeat_timer = 0;
    }
  if (!busy || self->heartbeat_timer != 0)
    return;
  self->heartbeat_timer = ctx->api->timer_add (ctx, self->heartbeat, heartbeat_fired, self, NULL);
}

/* --- bid collection (leader) ------------------------------------------------------------ */

static void
slot_close (Raft *self, DmasCtx *ctx, Slot *s)
{
  if (s->window != 0)
    ctx->api->timer_cancel (ctx, s->window);
  s->window = 0;
  free (s->bidders);
  s->bidders = NULL;
  self->n_collecting--;
  if (self->n_ready == self->ready_cap)
    {
      size_t cap = self->ready_cap ? self->ready_cap * 2 : 16;
      Decision *r = realloc (self->ready, cap * sizeof *r);
      if (r == NULL)
        {
          dmas_log (ctx, DMAS_LOG_ERROR, "raft: out of memory, slot left open");
          return;
        }
      self->ready = r;
      self->ready_cap = cap;
    }
  /* best.agent is DMAS_AGENT_NONE with score 0 when nobody bid > 0: the rejection. */
  self->ready[self->n_ready++] = (Decision){
    .slot = { .job = s->job, .epoch = s->epoch, .home = s->home },
    .bid = s->best,
  };
  s->ready = 1;
  if (self->n_ready >= self->batch)
    ready_flush (self, ctx);
  else
    heartbeat_arm (self, ctx);
}

static void
window_fired (DmasCtx *ctx, void *data)
{
  WindowData *w = data;
  Raft *self = w->self;
  Slot *s = slot_lookup (self, w->job, w->epoch);
  if (s == NULL || s->bidders == NULL || self->role != ROLE_LEADER)
    return;
  s->window = 0;
  slot_close (self, ctx, s);
}

static void
leader_record_bid (Raft *self, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  uint32_t idx;
  if (!member_index (self, bid->agent, &idx))
    return;
  Slot *s = slot_get (self, slot->job, slot->epoch);
  if (s == NULL)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "raft: out of memory, bid dropped");
      return;
    }
  /* Never close a slot twice: its entry (or its place in the ready list) decides it. */
  if (s->decided || s->ready || s->log_index != 0)
    {
      ctx->api->metric (ctx, "duplicates", 1.0);
      return;
    }
  if (s->bidders == NULL)
    {
      s->bidders = calloc ((self->n + 7) / 8, 1);
      WindowData *w = malloc (sizeof *w);
      if (s->bidders == NULL || w == NULL)
        {
          free (s->bidders);
          s->bidders = NULL;
          free (w);
          dmas_log (ctx, DMAS_LOG_ERROR, "raft: out of memory, bid dropped");
          return;
        }
      s->home = slot->home;
      s->n_bids = 0;
      s->best = (DmasBid){ .job = slot->job, .agent = DMAS_AGENT_NONE, .score = 0.0 };
      self->n_collecting++;
      *w = (WindowData){ self, slot->job, slot->epoch };
      s->window = ctx->api->timer_add (ctx, self->bid_window, window_fired, w, free);
    }
  uint8_t bit = (uint8_t) (1u << (idx % 8));
  if (s->bidders[idx / 8] & bit)
    {
      ctx->api->metric (ctx, "duplicates", 1.0);
      return;
    }
  s->bidders[idx / 8] |= bit;
  s->n_bids++;
  if (bid->score > 0.0 && (s->best.agent == DMAS_AGENT_NONE || dmas_bid_better (bid, &s->best)))
    s->best = *bid;
  if (s->n_bids == self->n)
    slot_close (self, ctx, s);
  else
    heartbeat_arm (self, ctx);
}

/* --- messages --------------------------------------------------------------------------- */

static void
on_vote_request (Raft *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body)
{
  uint64_t term = dmas_get_u64 (body);
  uint64_t last = dmas_get_u64 (body + 8);
  uint64_t last_term = dmas_get_u64 (body + 16);
  if (term > self->term)
    become_follower (self, ctx, term);
  if (term == self->term && self->role == ROLE_FOLLOWER && self->leader == DMAS_AGENT_NONE)
    self->disrupted = 1;
  uint64_t my_last_term = term_at (self, self->last);
  int up_to_date = last_term > my_last_term || (last_term == my_last_term && last >= self->last);
  int granted = term == self->term && up_to_date
                && (self->voted_for == DMAS_AGENT_NONE || self->voted_for == src);
  if (granted && self->voted_for != src)
    {
      self->voted_for = src;
      persist_meta (self, ctx);
    }
  if (granted || (self->disrupted && self->election_timer == 0))
    election_arm (self, ctx);
  uint8_t reply[VOTE_LEN];
  dmas_put_u64 (reply, self->term);
  dmas_put_u32 (reply + 8, (uint32_t) granted);
  ctx->api->send (ctx, src, RAFT_MSG_VOTE, reply, sizeof reply);
}

static void
on_vote (Raft *self, DmasCtx *ctx, uint32_t src_idx, const uint8_t *body)
{
  uint64_t term = dmas_get_u64 (body);
  uint32_t granted = dmas_get_u32 (body + 8);
  if (term > self->term)
    {
      become_follower (self, ctx, term);
      election_arm (self, ctx);
      return;
    }
  if (self->role != ROLE_CANDIDATE || term != self->term || !granted || self->votes[src_idx])
    return;
  self->votes[src_idx] = 1;
  if (++self->n_votes >= majority (self))
    become_leader (self, ctx);
}

static void
send_append_ack (Raft *self, DmasCtx *ctx, DmasAgentId to, int success, uint64_t match)
{
  uint8_t reply[APPEND_ACK_LEN];
  dmas_put_u64 (reply, self->term);
  dmas_put_u32 (reply + 8, (uint32_t) success);
  dmas_put_u64 (reply + 12, match);
  dmas_put_u64 (reply + 20, self->last);
  dmas_put_u64 (reply + 28, self->commit);
  ctx->api->send (ctx, to, RAFT_MSG_APPEND_ACK, reply, sizeof reply);
}

static void
on_append (Raft *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body, size_t len)
{
  uint64_t term = dmas_get_u64 (body);
  uint64_t prev = dmas_get_u64 (body + 8);
  uint64_t prev_term = dmas_get_u64 (body + 16);
  uint64_t leader_commit = dmas_get_u64 (body + 24);
  uint32_t n = dmas_get_u32 (body + 32);
  if (term < self->term)
    {
      send_append_ack (self, ctx, src, 0, 0);
      return;
    }
  if (term > self->term || self->role != ROLE_FOLLOWER)
    become_follower (self, ctx, term);
  self->disrupted = 0;
  if (self->leader != src)
    {
      self->leader = src;
      for (size_t i = 0; i < self->n_pending; i++)
        send_bid (self, ctx, &self->pending[i]);
    }
  election_arm (self, ctx);

  if (prev > self->last || term_at (self, prev) != prev_term)
    {
      send_append_ack (self, ctx, src, 0, prev);
      return;
    }
  size_t off = APPEND_HEADER_LEN;
  uint64_t idx = prev;
  int wrote = 0;
  for (uint32_t k = 0; k < n; k++)
    {
      Entry e;
      size_t used = get_entry (body + off, len - off, &e);
      if (used == 0)
        {
          ctx->api->metric (ctx, "malformed", 1.0);
          break;
        }
      off += used;
      idx++;
      if (idx <= self->last && term_at (self, idx) == e.term)
        {
          free (e.d);
          continue;
        }
      if (idx <= self->last)
        log_truncate (self, idx - 1);
      if (log_append (self, &e) != DMAS_OK)
        {
          free (e.d);
          idx--;
          break;
        }
      persist_entry (self, ctx, idx);
      wrote = 1;
    }
  if (wrote)
    persist_meta (self, ctx);
  uint64_t new_commit = leader_commit < idx ? leader_commit : idx;
  if (new_commit > self->commit)
    {
      self->commit = new_commit;
      apply_committed (self, ctx);
    }
  send_append_ack (self, ctx, src, 1, idx);
}

static void
on_append_ack (Raft *self, DmasCtx *ctx, uint32_t f, const uint8_t *body)
{
  uint64_t term = dmas_get_u64 (body);
  uint32_t success = dmas_get_u32 (body + 8);
  uint64_t match = dmas_get_u64 (body + 12);
  uint64_t last = dmas_get_u64 (body + 20);
  uint64_t commit = dmas_get_u64 (body + 28);
  if (term > self->term)
    {
      become_follower (self, ctx, term);
      election_arm (self, ctx);
      return;
    }
  if (self->role != ROLE_LEADER || term != self->term)
    return;
  self->last_heard[f] = dmas_now (ctx);
  if (commit > self->peer_commit[f])
    self->peer_commit[f] = commit;
  if (success)
    {
      if (match > self->last)
        return; /* cannot be: we never sent past our log */
      if (match > self->match_index[f])
        self->match_index[f] = match;
      if (self->next_index[f] < self->match_index[f] + 1)
        self->next_index[f] = self->match_index[f] + 1;
      advance_commit (self, ctx);
      if (self->role == ROLE_LEADER && self->next_index[f] <= self->last)
        send_append (self, ctx, f);
    }
  else
    {
      /* `match` is the prev index the follower could not match: back off below it (and
       * below its log's end), never below what it is known to hold. */
      uint64_t next = match > 0 ? match : 1;
      if (last + 1 < next)
        next = last + 1;
      if (next < self->match_index[f] + 1)
        next = self->match_index[f] + 1;
      self->next_index[f] = next;
      send_append (self, ctx, f);
    }
  heartbeat_arm (self, ctx);
}

static int
raft_on_message (void *self_, DmasCtx *ctx, DmasAgentId src, uint32_t type, const void *body_,
                 size_t len)
{
  Raft *self = self_;
  const uint8_t *body = body_;
  uint32_t src_idx;
  size_t need = type == RAFT_MSG_BID        ? DECISION_LEN
                : type == RAFT_MSG_VOTE_REQ ? VOTE_REQ_LEN
                : type == RAFT_MSG_VOTE     ? VOTE_LEN
                : type == RAFT_MSG_APPEND   ? APPEND_HEADER_LEN
                : type == RAFT_MSG_APPEND_ACK ? APPEND_ACK_LEN
                                              : 0;
  int exact = type != RAFT_MSG_APPEND;
  if (need == 0 || body == NULL || len < need || (exact && len != need)
      || !member_index (self, src, &src_idx))
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }
  switch (type)
    {
    case RAFT_MSG_BID:
      {
        Decision d;
        get_decision (body, &d);
        /* A bid speaks for its sender only: src is authentic, the agent field is not. */
        if (d.bid.agent != src || !isfinite (d.bid.score) || d.bid.score < 0.0)
          {
            ctx->api->metric (ctx, "malformed", 1.0);
            break;
          }
        if (self->role != ROLE_LEADER)
          {
            ctx->api->metric (ctx, "misrouted", 1.0);
            break;
          }
        leader_record_bid (self, ctx, &d.slot, &d.bid);
        break;
      }
    case RAFT_MSG_VOTE_REQ:
      on_vote_request (self, ctx, src, body);
      break;
    case RAFT_MSG_VOTE:
      on_vote (self, ctx, src_idx, body);
      break;
    case RAFT_MSG_APPEND:
      on_append (self, ctx, src, body, len);
      break;
    case RAFT_MSG_APPEND_ACK:
      on_append_ack (self, ctx, src_idx, body);
      break;
    default:
      break;
    }
  return DMAS_OK;
}

static int
raft_propose (void *self_, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  Raft *self = self_;
  uint32_t idx;
  if (!member_index (self, slot->home, &idx) || bid->job != slot->job
      || bid->agent != self->self_id || !isfinite (bid->score) || bid->score < 0.0)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "raft: invalid proposal for job %llu epoch %u",
                (unsigned long long) slot->job, slot->epoch);
      return DMAS_EINVAL;
    }
  Slot *s = slot_get (self, slot->job, slot->epoch);
  if (s == NULL)
    return DMAS_ENOMEM;
  if (s->decided)
    return DMAS_OK; /* the committed entry overtook our own bidding */
  for (size_t i = 0; i < self->n_pending; i++)
    if (self->pending[i].slot.job == slot->job && self->pending[i].slot.epoch == slot->epoch)
      return DMAS_ESTATE; /* proposed twice */
  if (self->n_pending == self->pending_cap)
    {
      size_t cap = self->pending_cap ? self->pending_cap * 2 : 16;
      Pending *p = realloc (self->pending, cap * sizeof *p);
      if (p == NULL)
        return DMAS_ENOMEM;
      self->pending = p;
      self->pending_cap = cap;
    }
  Pending *p = &self->pending[self->n_pending++];
  *p = (Pending){ .slot = *slot, .bid = *bid };
  if (self->role == ROLE_LEADER)
    {
      Pending copy = *p;
      leader_record_bid (self, ctx, &copy.slot, &copy.bid);
      return DMAS_OK;
    }
  if (self->leader != DMAS_AGENT_NONE)
    send_bid (self, ctx, p);
  if (self->election_timer == 0)
    election_arm (self, ctx);
  return DMAS_OK;
}

static void
raft_agent_status (void *self_, DmasCtx *ctx, DmasAgentId agent, int suspected)
{
  Raft *self = self_;
  uint32_t idx;
  if (!member_index (self, agent, &idx))
    return;
  self->suspected[idx] = suspected != 0;
  if (!suspected && self->role == ROLE_LEADER)
    {
      /* Back from a crash: it may have missed entries or commits. */
      self->peer_commit[idx] = 0;
      self->last_heard[idx] = dmas_now (ctx);
      heartbeat_arm (self, ctx);
    }
}

/* --- life cycle ------------------------------------------------------------------------- */

static int
restore_state (Raft *self, DmasCtx *ctx, DmasError *err)
{
  size_t len = 0;
  const uint8_t *meta = ctx->api->restore (ctx, "raft/meta", &len);
  if (meta == NULL)
    return DMAS_OK;
  if (len != META_LEN)
    return dmas_error_set (err, DMAS_EFAIL, "raft: stored meta record has %zu bytes, not %d",
                           len, META_LEN);
  self->term = dmas_get_u64 (meta);
  self->voted_for = dmas_get_u32 (meta + 8);
  uint64_t last = dmas_get_u64 (meta + 12);
  uint64_t applied = dmas_get_u64 (meta + 20);
  for (uint64_t i = 1; i <= last; i++)
    {
      char key[48];
      snprintf (key, sizeof key, "raft/e/%llu", (unsigned long long) i);
      const uint8_t *data = ctx->api->restore (ctx, key, &len);
      Entry e;
      if (data == NULL || get_entry (data, len, &e) != len)
        return dmas_error_set (err, DMAS_EFAIL, "raft: stored log entry %llu is missing or bad",
                               (unsigned long long) i);
      if (log_append (self, &e) != DMAS_OK)
        {
          free (e.d);
          return dmas_error_set (err, DMAS_ENOMEM, "raft: out of memory restoring the log");
        }
    }
  if (applied > last)
    return dmas_error_set (err, DMAS_EFAIL, "raft: stored lastApplied beyond the log");
  /* Applied entries were decided before the crash: remember them, do not decide again. */
  for (uint64_t i = 0; i < applied; i++)
    for (uint32_t k = 0; k < self->log[i].n; k++)
      {
        Slot *s = slot_get (self, self->log[i].d[k].slot.job, self->log[i].d[k].slot.epoch);
        if (s == NULL)
          return dmas_error_set (err, DMAS_ENOMEM, "raft: out of memory restoring the log");
        s->decided = 1;
      }
  self->applied = applied;
  self->commit = applied;
  return DMAS_OK;
}

static void raft_destroy (void *self_);

static void *
raft_create (DmasCtx *ctx, DmasError *err)
{
  DmasTime election_timeout, heartbeat, bid_window;
  int64_t batch;
  int rc = ctx->api->param_duration (ctx, "election_timeout", &election_timeout);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "heartbeat", &heartbeat);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "bid_window", &bid_window);
  if (rc == DMAS_OK)
    rc = ctx->api->param_int (ctx, "batch", &batch);
  if (rc != DMAS_OK)
    {
      dmas_error_set (err, rc, "raft: cannot read parameters (status %d)", rc);
      return NULL;
    }
  if (election_timeout == 0 || heartbeat == 0 || batch < 1 || batch > 4096)
    {
      dmas_error_set (err, DMAS_EINVAL,
                      "raft: election_timeout and heartbeat must be > 0 and batch in 1..4096");
      return NULL;
    }
  Raft *self = calloc (1, sizeof *self);
  if (self == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "raft: out of memory");
      return NULL;
    }
  self->election_timeout = election_timeout;
  self->heartbeat = heartbeat;
  self->bid_window = bid_window;
  self->batch = (uint32_t) batch;
  self->self_id = dmas_self (ctx);
  self->members = ctx->api->members (ctx, &self->n);
  self->voted_for = DMAS_AGENT_NONE;
  self->leader = DMAS_AGENT_NONE;
  self->capacity = 64;
  self->slots = calloc (self->capacity, sizeof *self->slots);
  if (self->n > 0)
    {
      self->votes = calloc (self->n, 1);
      self->suspected = calloc (self->n, 1);
      self->next_index = calloc (self->n, sizeof *self->next_index);
      self->match_index = calloc (self->n, sizeof *self->match_index);
      self->peer_commit = calloc (self->n, sizeof *self->peer_commit);
      self->last_heard = calloc (self->n, sizeof *self->last_heard);
    }
  if (self->n == 0 || !member_index (self, self->self_id, &self->self_idx))
    {
      dmas_error_set (err, DMAS_EINVAL, "raft: this agent is not among the host's members");
      raft_destroy (self);
      return NULL;
    }
  if (self->slots == NULL || self->votes == NULL || self->suspected == NULL
      || self->next_index == NULL || self->match_index == NULL || self->peer_commit == NULL
      || self->last_heard == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "raft: out of memory");
      raft_destroy (self);
      return NULL;
    }
  if (restore_state (self, ctx, err) != DMAS_OK)
    {
      raft_destroy (self);
      return NULL;
    }
  return self;
}

static void
raft_destroy (void *self_)
{
  Raft *self = self_;
  if (self == NULL)
    return;
  /* Pending timers are the host's to free: window data only names slots by key. */
  for (uint64_t i = 0; i < self->last; i++)
    free (self->log[i].d);
  free (self->log);
  if (self->slots != NULL)
    for (size_t i = 0; i < self->capacity; i++)
      free (self->slots[i].bidders);
  free (self->slots);
  free (self->pending);
  free (self->ready);
  free (self->votes);
  free (self->suspected);
  free (self->next_index);
  free (self->match_index);
  free (self->peer_commit);
  free (self->last_heard);
  free (self);
}

static const DmasConsensusOps raft_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = raft_create,
  .destroy = raft_destroy,
  .propose = raft_propose,
  .on_message = raft_on_message,
  .agent_status = raft_agent_status,
  .fault_model = DMAS_FAULT_MODEL_CRASH,
};

static const DmasParamSpec raft_params[] = {
  { "election_timeout", DMAS_PARAM_DURATION, "150ms",
    "base election timeout T: each wait is drawn uniformly in [T, 2T)" },
  { "heartbeat", DMAS_PARAM_DURATION, "50ms",
    "period of the leader's AppendEntries while it has work (also carries the commit index)" },
  { "bid_window", DMAS_PARAM_DURATION, "100ms",
    "how long the leader waits for the n bids of a slot after the first one it saw" },
  { "batch", DMAS_PARAM_INT, "1",
    "max slots per log entry; partial entries are cut at the next heartbeat" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent raft_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_CONSENSUS,
    .name = "raft",
    .api_major = DMAS_CONSENSUS_API_MAJOR,
    .api_minor = DMAS_CONSENSUS_API_MINOR,
    .ops = &raft_ops,
    .summary = "Raft: elected leader replicates a log of slot decisions, commit on majority",
    .params = raft_params,
  },
};

static const DmasPluginDesc raft_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "raft",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = raft_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &raft_desc;
}
