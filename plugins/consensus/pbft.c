/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/pbft: Practical Byzantine Fault Tolerance (Castro & Liskov 1999) for slot decisions. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

/* Protocol.  n replicas (the members), f = floor((n-1)/3), quorum q = 2f+1; primary of view v
 * is members[v mod n].
 *
 *  Bids as evidence.  propose(slot, bid) signs the bid (host sign() over job u64 | epoch u32 |
 *  agent u32 | score f64) and sends BID to the primary; the agent keeps it and sends it again
 *  to every new primary until the slot is decided.  The primary collects signed bids per slot
 *  from its first bid on, until it has all n, or `bid_window` has passed and it has at least q
 *  (it waits past the window for q: the evidence set is always a quorum).
 *
 *  Normal case.  The primary orders ready slots: PRE-PREPARE(v, seq, batch) signed over
 *  (v, seq, digest), where the batch holds up to `batch` slots, each with its evidence set and
 *  the decision = best bid of the set by dmas_bid_better (rejected, DMAS_AGENT_NONE/0, when
 *  every bid is 0).  A replica accepts it only if every bid signature verifies, every slot has
 *  >= q distinct valid bids and the decision is exactly the best of its set: a faulty primary
 *  can neither invent a winner nor pick a worse one; a rejected PRE-PREPARE counts
 *  "invalid_evidence" and starts a view change at once (the primary signed it: it is proof).
 *  Then PREPARE (signed, so that it can be relayed in a certificate) to all; prepared = the
 *  pre-prepare + 2f matching prepares of distinct backups; COMMIT to all; committed-local =
 *  prepared + q matching commits; batches execute in seq order and each slot is decided the
 *  first time it is executed (a slot that a faulty primary put twice is skipped the second
 *  time, the same way on every correct replica).  Batching: when batch > 1 the primary sends a
 *  PRE-PREPARE as soon as `batch` slots are ready, or at once when nothing it ordered is still
 *  unexecuted (Castro's adaptive batching): no slot waits for a batch to fill while the
 *  pipeline is idle; under load one PRE-PREPARE/PREPARE/COMMIT round serves up to `batch`
 *  slots, so the O(n^2) agreement messages per decision shrink by up to `batch` (the bid
 *  traffic stays n-1 per slot), at the price of slots waiting for the previous round.
 *
 *  Messages per decision (no faults, batch 1, all n agents bid, one slot): bids n-1 (the
 *  primary's own bid is local), PRE-PREPARE n-1, PREPARE (n-1)(n-1) (backups only), COMMIT
 *  n(n-1): total 2n^2 - n - 1 (= (n-1)(2n+1); the "2n^2 - n + 1" is the same order:
 *  its terms add up to this).  tests/plugins/test-pbft.c asserts it for n = 4 and 7.
 *
 *  View change.  A replica that knows of an undecided slot runs a timer (`view_timeout`,
 *  doubled on each successive view change without progress, reset when a batch executes).  On
 *  the first expiry it asks for missing committed batches (FETCH, accepted on f+1 matching
 *  answers: state transfer; the primary also answers a FETCH from an older view with its
 *  NEW-VIEW); if that brings no progress by the next expiry, it moves to view v+1: VIEW-CHANGE(v+1, P) signed, P = its prepared
 *  certificates (pre-prepare signed by the old primary + 2f signed prepares).  A replica that
 *  sees f+1 view changes for higher views joins the smallest.  The new primary, with q valid
 *  view changes, sends NEW-VIEW(v+1, V, signatures of O): O re-issues, for every seq up to the
 *  highest in V, the batch of the certificate with the highest view, and an empty batch where
 *  there is none (PBFT's rule: whatever may have committed keeps its seq and content).
 *  Replicas recompute O from V, check the signatures, and run prepare/commit on it in v+1.  A
 *  replica that asks for a view older than the current one gets the current NEW-VIEW again
 *  (how a restarted replica catches up with the view).
 *
 *  Simplified (documented): no checkpoints and no garbage collection: the log keeps every
 *  sequence number of the run, a VIEW-CHANGE carries every prepared certificate since the
 *  start, and a NEW-VIEW re-issues every seq from 1.  Safety is PBFT's (nothing is ever
 *  dropped that a checkpoint would have proven stable), but view-change messages and their
 *  cost grow with the number of decisions made so far.  Digests are a non-cryptographic
 *  128-bit hash (FNV-1a plus a multiplicative mix); signatures come from the host.
 *
 *  Stable storage: "state" (view, active, last executed seq, highest seq in the log) and one
 *  key per seq "e<seq>" (executed batch and prepared certificate), written before the
 *  COMMIT that depends on them leaves, and "nv" (the last NEW-VIEW sent, to resend it).  A
 *  restarted replica restores them in create(): it neither decides again nor forgets a
 *  certificate it vouched for.
 *
 *  Metrics: "view_changes" (NEW-VIEWs sent: one per completed view change), "rounds"
 *  (PRE-PREPAREs issued, including those re-issued by a NEW-VIEW), "invalid_evidence"
 *  (PRE-PREPAREs rejected for their evidence or signature), "malformed" (undecodable or badly
 *  signed messages), "fetches" (state-transfer requests). */

enum {
  MSG_BID = 1,
  MSG_PRE_PREPARE = 2,
  MSG_PREPARE = 3,
  MSG_COMMIT = 4,
  MSG_VIEW_CHANGE = 5,
  MSG_NEW_VIEW = 6,
  MSG_FETCH = 7,
  MSG_FETCHED = 8,
};

#define SIG DMAS_SIG_SIZE
#define DIGEST 16
#define BID_SIGNED_LEN 24           /* job u64 | epoch u32 | agent u32 | score f64 */
#define BID_MSG_LEN (24 + 4 + SIG)  /* job | epoch | home | agent | score | sig */
#define EV_LEN (4 + 8 + SIG)        /* agent | score | sig */
#define SLOT_HDR_LEN (8 + 4 + 4 + 4 + 8 + 4) /* job | epoch | home | winner | score | n_ev */
#define PREPARE_LEN (4 + 8 + DIGEST + SIG)
#define COMMIT_LEN (4 + 8 + DIGEST)
#define LOG_WINDOW 4096             /* highest seq a replica accepts beyond its last executed */
#define FETCH_CHUNK 64

/* --- byte buffers ----------------------------------------------------------------------- */

typedef struct {
  uint8_t *p;
  size_t len, cap;
  int oom;
} Buf;

static uint8_t *
buf_grow (Buf *b, size_t n)
{
  if (b->oom)
    return NULL;
  if (b->len + n > b->cap)
    {
      size_t cap = b->cap ? b->cap : 256;
      while (cap < b->len + n)
        cap *= 2;
      uint8_t *p = realloc (b->p, cap);
      if (p == NULL)
        {
          b->oom = 1;
          return NULL;
        }
      b->p = p;
      b->cap = cap;
    }
  uint8_t *at = b->p + b->len;
  b->len += n;
  return at;
}

static void
buf_u32 (Buf *b, uint32_t v)
{
  uint8_t *p = buf_grow (b, 4);
  if (p)
    dmas_put_u32 (p, v);
}

static void
buf_u64 (Buf *b, uint64_t v)
{
  uint8_t *p = buf_grow (b, 8);
  if (p)
    dmas_put_u64 (p, v);
}

static void
buf_f64 (Buf *b, double v)
{
  uint8_t *p = buf_grow (b, 8);
  if (p)
    dmas_put_double (p, v);
}

static void
buf_bytes (Buf *b, const void *data, size_t n)
{
  uint8_t *p = buf_grow (b, n);
  if (p && n)
    memcpy (p, data, n);
}

typedef struct {
  const uint8_t *p;
  size_t left;
  int bad;
} Rd;

static const uint8_t *
rd_take (Rd *r, size_t n)
{
  if (r->bad || r->left < n)
    {
      r->bad = 1;
      return NULL;
    }
  const uint8_t *at = r->p;
  r->p += n;
  r->left -= n;
  return at;
}

static uint32_t
rd_u32 (Rd *r)
{
  const uint8_t *p = rd_take (r, 4);
  return p ? dmas_get_u32 (p) : 0;
}

static uint64_t
rd_u64 (Rd *r)
{
  const uint8_t *p = rd_take (r, 8);
  return p ? dmas_get_u64 (p) : 0;
}

static double
rd_f64 (Rd *r)
{
  const uint8_t *p = rd_take (r, 8);
  return p ? dmas_get_double (p) : 0.0;
}

static void
digest_of (const uint8_t *data, size_t len, uint8_t out[DIGEST])
{
  uint64_t h1 = 0xcbf29ce484222325ull, h2 = 0x9E3779B97F4A7C15ull ^ len;
  for (size_t i = 0; i < len; i++)
    {
      h1 = (h1 ^ data[i]) * 0x100000001b3ull;
      h2 = (h2 + data[i] + 1) * 0xBF58476D1CE4E5B9ull;
      h2 ^= h2 >> 29;
    }
  h2 = (h2 ^ (h2 >> 31)) * 0x94D049BB133111EBull;
  dmas_put_u64 (out, h1);
  dmas_put_u64 (out + 8, h2 ^ (h2 >> 32));
}

/* --- state ------------------------------------------------------------------------------ */

typedef struct {
  uint8_t has;
  double score;
  uint8_t sig[SIG];
} Ev;

typedef struct {
  DmasJobId job;
  uint32_t epoch;
  uint8_t used;
  uint8_t decided;
  uint8_t own;       /* this agent proposed: own_score/own_sig hold its signed bid */
  uint8_t queued;    /* primary: in the ready queue or ordered in the current view */
  DmasAgentId home;
  double own_score;
  uint8_t own_sig[SIG];
  Ev *ev;            /* per member index; collected by whoever is (or may become) primary */
  uint32_t n_ev;
  DmasTimerId window;
  uint8_t window_over;
} Slot;

typedef struct {
  /* current view's pre-prepare and votes */
  uint32_t view;
  uint8_t has_pp;
  uint8_t *batch;
  size_t batch_len;
  uint8_t digest[DIGEST];
  uint8_t pp_sig[SIG];
  uint8_t *prep_has;         /* per member: 1 + digest in prep_d */
  uint8_t (*prep_d)[DIGEST];
  uint8_t (*prep_sig)[SIG];
  uint8_t *com_has;
  uint8_t (*com_d)[DIGEST];
  uint8_t prepared, committed, executed;
  /* last prepared certificate, encoded as in VIEW-CHANGE */
  uint8_t *cert;
  size_t cert_len;
  uint32_t cert_view;
  /* executed (or transferred) batch */
  uint8_t *final;
  size_t final_len;
  /* state transfer: FETCHED digests per member */
  uint8_t *fetch_has;
  uint8_t (*fetch_d)[DIGEST];
} Entry;

typedef struct {
  uint32_t view;
  uint32_t replica;   /* member index */
  uint8_t *bytes;     /* payload || sig */
  size_t len;
} Vc;

typedef struct {
  DmasJobId job;
  uint32_t epoch;
} Key;

typedef struct {
  DmasTime bid_window;
  DmasTime view_timeout;
  uint32_t batch;

  const DmasAgentId *members;
  uint32_t n, f, q;
  uint32_t me;           /* own member index */

  uint32_t view;
  uint8_t active;        /* 0 while a view change to `view` is in progress */
  uint32_t backoff;      /* successive view changes without progress */
  uint64_t last_exec;
  uint64_t next_seq;     /* primary: next seq to assign */
  uint64_t seen_seq;     /* highest seq seen in the current view */
  uint8_t fetched;       /* a FETCH was tried since the last progress */
  uint64_t fetch_from;

  Slot *slots;
  size_t cap, used;

  Entry **log;           /* index = seq; log[0] unused */
  uint64_t log_cap;
  uint64_t max_seq;

  Key *pending;          /* own undecided proposals, in propose order */
  size_t n_pending, cap_pending;
  Key *ready;            /* primary: slots with enough evidence, in readiness order */
  size_t n_ready, cap_ready;

  Vc *vcs;
  size_t n_vcs, cap_vcs;
  uint8_t *nv;           /* last NEW-VIEW this replica sent as primary */
  size_t nv_len;

  DmasTimerId timer;
} Pbft;

typedef struct {
  Pbft *self;
  DmasJobId job;
  uint32_t epoch;
} WindowData;

/* --- slot table (open addressing, never shrinks: slots are remembered for the run) ------- */

static size_t
key_hash (DmasJobId job, uint32_t epoch)
{
  uint64_t z = job ^ ((uint64_t) epoch << 48 | (uint64_t) epoch >> 16);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (size_t) (z ^ (z >> 31));
}

static Slot *
slot_find (Pbft *self, DmasJobId job, uint32_t epoch)
{
  size_t mask = self->cap - 1;
  for (size_t i = key_hash (job, epoch) & mask;; i = (i + 1) & mask)
    {
      Slot *s = &self->slots[i];
      if (!s->used)
        return NULL;
      if (s->job == job && s->epoch == epoch)
        return s;
    }
}

static Slot *
slot_get (Pbft *self, DmasJobId job, uint32_t epoch)
{
  Slot *s = slot_find (self, job, epoch);
  if (s != NULL)
    return s;
  if (2 * (self->used + 1) > self->cap)
    {
      size_t cap = self->cap * 2;
      Slot *t = calloc (cap, sizeof *t);
      if (t == NULL)
        return NULL;
      for (size_t i = 0; i < self->cap; i++)
        if (self->slots[i].used)
          {
            size_t j = key_hash (self->slots[i].job, self->slots[i].epoch) & (cap - 1);
            while (t[j].used)
              j = (j + 1) & (cap - 1);
            t[j] = self->slots[i];
          }
      free (self->slots);
      self->slots = t;
      self->cap = cap;
    }
  size_t mask = self->cap - 1;
  size_t i = key_hash (job, epoch) & mask;
  while (self->slots[i].used)
    i = (i + 1) & mask;
  s = &self->slots[i];
  memset (s, 0, sizeof *s);
  s->used = 1;
  s->job = job;
  s->epoch = epoch;
  s->home = DMAS_AGENT_NONE;
  self->used++;
  return s;
}

static int
key_push (Key **arr, size_t *n, size_t *cap, DmasJobId job, uint32_t epoch)
{
  if (*n == *cap)
    {
      size_t c = *cap ? *cap * 2 : 16;
      Key *p = realloc (*arr, c * sizeof *p);
      if (p == NULL)
        return DMAS_ENOMEM;
      *arr = p;
      *cap = c;
    }
  (*arr)[(*n)++] = (Key){ job, epoch };
  return DMAS_OK;
}

/* --- helpers ---------------------------------------------------------------------------- */

static int
member_index (const Pbft *self, DmasAgentId agent, uint32_t *index)
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
primary_of (const Pbft *self, uint32_t view)
{
  return view % self->n;
}

static int
is_primary (const Pbft *self)
{
  return self->active && primary_of (self, self->view) == self->me;
}

static void
bid_bytes (uint8_t out[BID_SIGNED_LEN], DmasJobId job, uint32_t epoch, DmasAgentId agent,
           double score)
{
  dmas_put_u64 (out, job);
  dmas_put_u32 (out + 8, epoch);
  dmas_put_u32 (out + 12, agent);
  dmas_put_double (out + 16, score);
}

static void
pp_bytes (uint8_t out[32], uint32_t view, uint64_t seq, const uint8_t digest[DIGEST])
{
  memcpy (out, "PP\0\0", 4);
  dmas_put_u32 (out + 4, view);
  dmas_put_u64 (out + 8, seq);
  memcpy (out + 16, digest, DIGEST);
}

static void
prep_bytes (uint8_t out[36], uint32_t view, uint64_t seq, const uint8_t digest[DIGEST],
            uint32_t replica)
{
  memcpy (out, "PR\0\0", 4);
  dmas_put_u32 (out + 4, view);
  dmas_put_u64 (out + 8, seq);
  memcpy (out + 16, digest, DIGEST);
  dmas_put_u32 (out + 32, replica);
}

static int
verify (Pbft *self, DmasCtx *ctx, uint32_t idx, const void *data, size_t len,
        const uint8_t *sig)
{
  return ctx->api->verify (ctx, self->members[idx], data, len, sig) == 1;
}

static Entry *
entry_get (Pbft *self, uint64_t seq)
{
  if (seq == 0)
    return NULL;
  if (seq >= self->log_cap)
    {
      uint64_t cap = self->log_cap ? self->log_cap : 64;
      while (cap <= seq)
        cap *= 2;
      Entry **l = realloc (self->log, cap * sizeof *l);
      if (l == NULL)
        return NULL;
      memset (l + self->log_cap, 0, (cap - self->log_cap) * sizeof *l);
      self->log = l;
      self->log_cap = cap;
    }
  if (self->log[seq] == NULL)
    {
      Entry *e = calloc (1, sizeof *e);
      uint32_t n = self->n;
      if (e == NULL)
        return NULL;
      e->prep_has = calloc (n, 1);
      e->prep_d = calloc (n, DIGEST);
      e->prep_sig = calloc (n, SIG);
      e->com_has = calloc (n, 1);
      e->com_d = calloc (n, DIGEST);
      if (!e->prep_has || !e->prep_d || !e->prep_sig || !e->com_has || !e->com_d)
        {
          free (e->prep_has); free (e->prep_d); free (e->prep_sig);
          free (e->com_has); free (e->com_d); free (e);
          return NULL;
        }
      self->log[seq] = e;
      if (seq > self->max_seq)
        self->max_seq = seq;
    }
  return self->log[seq];
}

static void
entry_free (Entry *e)
{
  if (e == NULL)
    return;
  free (e->batch); free (e->prep_has); free (e->prep_d); free (e->prep_sig);
  free (e->com_has); free (e->com_d); free (e->cert); free (e->final);
  free (e->fetch_has); free (e->fetch_d);
  free (e);
}

/* Forgets the votes of an older view (the certificate and the executed batch stay). */
static void
entry_enter_view (Pbft *self, Entry *e, uint32_t view)
{
  if (e->view == view)
    return;
  e->view = view;
  e->has_pp = 0;
  free (e->batch);
  e->batch = NULL;
  e->batch_len = 0;
  memset (e->prep_has, 0, self->n);
  memset (e->com_has, 0, self->n);
  e->prepared = 0;
  e->committed = 0;
}

/* --- batches ---------------------------------------------------------------------------- */

typedef struct {
  DmasJobId job;
  uint32_t epoch;
  DmasAgentId home;
  DmasBid winner;
} Decision;

/* Checks a batch: decodable, at most `batch` slots, no slot twice, every slot with >= q
 * distinct valid signed bids and the decision exactly the best of them.  Fills `out` (may be
 * NULL; else room for self->batch entries) and returns the slot count, or -1 when invalid. */
static int
batch_check (Pbft *self, DmasCtx *ctx, const uint8_t *data, size_t len, Decision *out)
{
  Rd r = { data, len, 0 };
  uint32_t count = rd_u32 (&r);
  if (r.bad || count > self->batch)
    return -1;
  Key seen[count ? count : 1];
  uint8_t *who = calloc (self->n, 1);
  if (who == NULL)
    return -1;
  for (uint32_t k = 0; k < count; k++)
    {
      DmasJobId job = rd_u64 (&r);
      uint32_t epoch = rd_u32 (&r);
      DmasAgentId home = rd_u32 (&r);
      DmasAgentId wagent = rd_u32 (&r);
      double wscore = rd_f64 (&r);
      uint32_t n_ev = rd_u32 (&r);
      if (r.bad || n_ev < self->q || n_ev > self->n)
        goto bad;
      for (uint32_t j = 0; j < k; j++)
        if (seen[j].job == job && seen[j].epoch == epoch)
          goto bad;
      seen[k] = (Key){ job, epoch };
      memset (who, 0, self->n);
      DmasBid best = { .job = job, .agent = DMAS_AGENT_NONE, .reserved = 0, .score = 0.0 };
      for (uint32_t j = 0; j < n_ev; j++)
        {
          uint32_t agent = rd_u32 (&r), idx;
          double score = rd_f64 (&r);
          const uint8_t *sig = rd_take (&r, SIG);
          if (r.bad || !member_index (self, agent, &idx) || who[idx] || !isfinite (score)
              || score < 0.0)
            goto bad;
          who[idx] = 1;
          uint8_t signed_[BID_SIGNED_LEN];
          bid_bytes (signed_, job, epoch, agent, score);
          if (!verify (self, ctx, idx, signed_, sizeof signed_, sig))
            goto bad;
          DmasBid b = { .job = job, .agent = agent, .reserved = 0, .score = score };
          if (score > 0.0 && (best.agent == DMAS_AGENT_NONE || dmas_bid_better (&b, &best)))
            best = b;
        }
      if (best.agent != wagent || best.score != wscore)
        goto bad;
      if (out != NULL)
        out[k] = (Decision){ job, epoch, home, best };
    }
  free (who);
  return r.left == 0 ? (int) count : -1;
bad:
  free (who);
  return -1;
}

static void
batch_encode_slot (Pbft *self, Buf *b, const Slot *s)
{
  DmasBid best = { .job = s->job, .agent = DMAS_AGENT_NONE, .reserved = 0, .score = 0.0 };
  for (uint32_t i = 0; i < self->n; i++)
    if (s->ev[i].has && s->ev[i].score > 0.0)
      {
        DmasBid c = { .job = s->job, .agent = self->members[i], .reserved = 0,
                      .score = s->ev[i].score };
        if (best.agent == DMAS_AGENT_NONE || dmas_bid_better (&c, &best))
          best = c;
      }
  buf_u64 (b, s->job);
  buf_u32 (b, s->epoch);
  buf_u32 (b, s->home);
  buf_u32 (b, best.agent);
  buf_f64 (b, best.score);
  buf_u32 (b, s->n_ev);
  for (uint32_t i = 0; i < self->n; i++)
    if (s->ev[i].has)
      {
        buf_u32 (b, self->members[i]);
        buf_f64 (b, s->ev[i].score);
        buf_bytes (b, s->ev[i].sig, SIG);
      }
}

/* --- persistence ------------------------------------------------------------------------ */

static void
persist_state (Pbft *self, DmasCtx *ctx)
{
  uint8_t b[4 + 1 + 8 + 8];
  dmas_put_u32 (b, self->view);
  b[4] = self->active;
  dmas_put_u64 (b + 5, self->last_exec);
  dmas_put_u64 (b + 13, self->max_seq);
  ctx->api->persist (ctx, "state", b, sizeof b);
}

static void
persist_entry (Pbft *self, DmasCtx *ctx, uint64_t seq)
{
  Entry *e = self->log[seq];
  Buf b = { 0 };
  char key[32];
  buf_u32 (&b, e->executed);
  buf_u32 (&b, (uint32_t) e->final_len);
  buf_bytes (&b, e->final, e->final_len);
  buf_u32 (&b, e->cert_view);
  buf_u32 (&b, (uint32_t) e->cert_len);
  buf_bytes (&b, e->cert, e->cert_len);
  snprintf (key, sizeof key, "e%llu", (unsigned long long) seq);
  if (!b.oom)
    ctx->api->persist (ctx, key, b.p, b.len);
  else
    dmas_log (ctx, DMAS_LOG_ERROR, "pbft: out of memory persisting seq %llu",
              (unsigned long long) seq);
  free (b.p);
  persist_state (self, ctx);
}

/* --- timers ----------------------------------------------------------------------------- */

static void view_timer_fired (DmasCtx *ctx, void *data);
static void start_view_change (Pbft *self, DmasCtx *ctx, uint32_t view);
static void try_flush (Pbft *self, DmasCtx *ctx);

static DmasTime
current_timeout (const Pbft *self)
{
  uint32_t k = self->backoff > 20 ? 20 : self->backoff;
  return self->view_timeout << k;
}

static void
timer_stop (Pbft *self, DmasCtx *ctx)
{
  if (self->timer != 0)
    ctx->api->timer_cancel (ctx, self->timer);
  self->timer = 0;
}

static void
timer_restart (Pbft *self, DmasCtx *ctx)
{
  timer_stop (self, ctx);
  self->timer = ctx->api->timer_add (ctx, current_timeout (self), view_timer_fired, self, NULL);
}

/* The request timer runs while something is undecided (or a view change is under way). */
static void
timer_update (Pbft *self, DmasCtx *ctx, int progress)
{
  /* Also while a view change is under way: a replica with nothing to decide has no reason to
   * escalate views on its own (the f+1 rule brings it along when others move). */
  if (self->n_pending == 0)
    timer_stop (self, ctx);
  else if (progress || self->timer == 0)
    timer_restart (self, ctx);
}

/* --- execution -------------------------------------------------------------------------- */

static void
pending_compact (Pbft *self)
{
  size_t k = 0;
  for (size_t i = 0; i < self->n_pending; i++)
    {
      Slot *s = slot_find (self, self->pending[i].job, self->pending[i].epoch);
      if (s != NULL && !s->decided)
        self->pending[k++] = self->pending[i];
    }
  self->n_pending = k;
}

static void
execute_ready (Pbft *self, DmasCtx *ctx)
{
  int progress = 0;
  while (self->last_exec + 1 < self->log_cap && self->log[self->last_exec + 1] != NULL)
    {
      uint64_t seq = self->last_exec + 1;
      Entry *e = self->log[seq];
      if (!e->executed && !e->committed && e->final == NULL)
        break;
      if (e->final == NULL)
        {
          e->final = malloc (e->batch_len ? e->batch_len : 1);
          if (e->final == NULL)
            break;
          memcpy (e->final, e->batch, e->batch_len);
          e->final_len = e->batch_len;
        }
      Decision d[self->batch];
      int count = batch_check (self, ctx, e->final, e->final_len, d);
      if (count < 0)
        {
          /* Only validated batches reach the log; this is memory corruption, not a peer. */
          dmas_log (ctx, DMAS_LOG_ERROR, "pbft: invalid committed batch at seq %llu",
                    (unsigned long long) seq);
          break;
        }
      e->executed = 1;
      self->last_exec = seq;
      progress = 1;
      for (int k = 0; k < count; k++)
        {
          Slot *s = slot_get (self, d[k].job, d[k].epoch);
          if (s == NULL || s->decided)
            continue;
          s->decided = 1;
          free (s->ev);
          s->ev = NULL;
          DmasSlot ds = { .job = d[k].job, .epoch = d[k].epoch,
                          .home = s->own ? s->home : d[k].home };
          ctx->api->decide (ctx, &ds, &d[k].winner);
        }
      persist_entry (self, ctx, seq);
    }
  if (progress)
    {
      self->backoff = 0;
      self->fetched = 0;
      pending_compact (self);
      timer_update (self, ctx, 1);
      try_flush (self, ctx);
    }
}

/* --- normal case ------------------------------------------------------------------------ */

static void
send_commit (Pbft *self, DmasCtx *ctx, uint64_t seq, Entry *e)
{
  uint8_t b[COMMIT_LEN];
  dmas_put_u32 (b, e->view);
  dmas_put_u64 (b + 4, seq);
  memcpy (b + 12, e->digest, DIGEST);
  e->com_has[self->me] = 1;
  memcpy (e->com_d[self->me], e->digest, DIGEST);
  ctx->api->broadcast (ctx, MSG_COMMIT, b, sizeof b);
}

static void
check_progress (Pbft *self, DmasCtx *ctx, uint64_t seq)
{
  Entry *e = self->log[seq];
  if (!e->has_pp)
    return;
  if (!e->prepared)
    {
      uint32_t prim = primary_of (self, e->view), count = 0;
      for (uint32_t i = 0; i < self->n; i++)
        count += i != prim && e->prep_has[i] && memcmp (e->prep_d[i], e->digest, DIGEST) == 0;
      if (count < 2 * self->f)
        return;
      e->prepared = 1;
      /* The certificate: pre-prepare + 2f prepares, relayable because all are signed. */
      Buf b = { 0 };
      buf_u32 (&b, e->view);
      buf_u64 (&b, seq);
      buf_bytes (&b, e->pp_sig, SIG);
      buf_u32 (&b, (uint32_t) e->batch_len);
      buf_bytes (&b, e->batch, e->batch_len);
      buf_u32 (&b, 2 * self->f);
      uint32_t put = 0;
      for (uint32_t i = 0; i < self->n && put < 2 * self->f; i++)
        if (i != prim && e->prep_has[i] && memcmp (e->prep_d[i], e->digest, DIGEST) == 0)
          {
            buf_u32 (&b, i);
            buf_bytes (&b, e->prep_sig[i], SIG);
            put++;
          }
      if (b.oom)
        {
          free (b.p);
          e->prepared = 0;
          return;
        }
      free (e->cert);
      e->cert = b.p;
      e->cert_len = b.len;
      e->cert_view = e->view;
      persist_entry (self, ctx, seq);
      send_commit (self, ctx, seq, e);
    }
  if (!e->committed)
    {
      uint32_t count = 0;
      for (uint32_t i = 0; i < self->n; i++)
        count += e->com_has[i] && memcmp (e->com_d[i], e->digest, DIGEST) == 0;
      if (count < self->q)
        return;
      e->committed = 1;
      execute_ready (self, ctx);
    }
}

/* Accepts a pre-prepare for (view, seq) already validated; backups answer with PREPARE. */
static void
accept_pre_prepare (Pbft *self, DmasCtx *ctx, uint64_t seq, const uint8_t *batch,
                    size_t len, const uint8_t *digest, const uint8_t *sig)
{
  Entry *e = entry_get (self, seq);
  if (e == NULL)
    return;
  entry_enter_view (self, e, self->view);
  e->batch = malloc (len ? len : 1);
  if (e->batch == NULL)
    return;
  memcpy (e->batch, batch, len);
  e->batch_len = len;
  memcpy (e->digest, digest, DIGEST);
  memcpy (e->pp_sig, sig, SIG);
  e->has_pp = 1;
  if (seq > self->seen_seq)
    self->seen_seq = seq;

  /* Mark the batch's slots as ordered so that this primary does not order them again. */
  Decision d[self->batch];
  int count = batch_check (self, ctx, batch, len, d);
  for (int k = 0; k < count; k++)
    {
      Slot *s = slot_get (self, d[k].job, d[k].epoch);
      if (s != NULL)
        {
          s->queued = 1;
          if (s->home == DMAS_AGENT_NONE)
            s->home = d[k].home;
        }
    }

  if (primary_of (self, self->view) != self->me)
    {
      uint8_t b[PREPARE_LEN], sb[36];
      dmas_put_u32 (b, self->view);
      dmas_put_u64 (b + 4, seq);
      memcpy (b + 12, digest, DIGEST);
      prep_bytes (sb, self->view, seq, digest, self->me);
      ctx->api->sign (ctx, sb, sizeof sb, b + 12 + DIGEST);
      e->prep_has[self->me] = 1;
      memcpy (e->prep_d[self->me], digest, DIGEST);
      memcpy (e->prep_sig[self->me], b + 12 + DIGEST, SIG);
      ctx->api->broadcast (ctx, MSG_PREPARE, b, sizeof b);
    }
  check_progress (self, ctx, seq);
}

/* The primary orders what is ready: a full batch, or anything when its pipeline is idle. */
static void
try_flush (Pbft *self, DmasCtx *ctx)
{
  while (is_primary (self) && self->n_ready > 0
         && (self->n_ready >= self->batch || self->next_seq <= self->last_exec + 1)
         && self->next_seq <= self->last_exec + LOG_WINDOW)
    {
      Buf b = { 0 };
      uint32_t count = 0;
      size_t used = 0;
      buf_u32 (&b, 0);
      while (used < self->n_ready && count < self->batch)
        {
          Slot *s = slot_find (self, self->ready[used].job, self->ready[used].epoch);
          used++;
          if (s == NULL || s->decided || s->ev == NULL)
            continue;
          batch_encode_slot (self, &b, s);
          count++;
        }
      memmove (self->ready, self->ready + used, (self->n_ready - used) * sizeof *self->ready);
      self->n_ready -= used;
      if (b.oom)
        {
          free (b.p);
          dmas_log (ctx, DMAS_LOG_ERROR, "pbft: out of memory building a pre-prepare");
          return;
        }
      if (count == 0)
        {
          free (b.p);
          continue;
        }
      dmas_put_u32 (b.p, count);

      uint64_t seq = self->next_seq++;
      Buf m = { 0 };
      uint8_t digest[DIGEST], sb[32];
      digest_of (b.p, b.len, digest);
      pp_bytes (sb, self->view, seq, digest);
      buf_u32 (&m, self->view);
      buf_u64 (&m, seq);
      uint8_t *sig = buf_grow (&m, SIG);
      if (sig)
        ctx->api->sign (ctx, sb, sizeof sb, sig);
      buf_bytes (&m, b.p, b.len);
      if (!m.oom)
        {
          ctx->api->metric (ctx, "rounds", 1.0);
          ctx->api->broadcast (ctx, MSG_PRE_PREPARE, m.p, m.len);
          accept_pre_prepare (self, ctx, seq, b.p, b.len, digest, m.p + 12);
        }
      free (m.p);
      free (b.p);
    }
}

static void
slot_check_ready (Pbft *self, DmasCtx *ctx, Slot *s)
{
  if (!is_primary (self) || s->decided || s->queued || s->ev == NULL)
    return;
  if (s->n_ev == self->n || (s->window_over && s->n_ev >= self->q))
    {
      s->queued = 1;
      if (key_push (&self->ready, &self->n_ready, &self->cap_ready, s->job, s->epoch) != DMAS_OK)
        {
          s->queued = 0;
          return;
        }
      try_flush (self, ctx);
    }
}

static void
window_fired (DmasCtx *ctx, void *data)
{
  WindowData *w = data;
  Slot *s = slot_find (w->self, w->job, w->epoch);
  if (s == NULL)
    return;
  s->window = 0;
  s->window_over = 1;
  slot_check_ready (w->self, ctx, s);
}

/* Records a signed bid (already verified) for whoever is or will be primary. */
static void
slot_add_bid (Pbft *self, DmasCtx *ctx, Slot *s, uint32_t idx, double score,
              const uint8_t *sig)
{
  if (s->decided)
    return;
  if (s->ev == NULL && (s->ev = calloc (self->n, sizeof *s->ev)) == NULL)
    return;
  if (!s->ev[idx].has)
    {
      s->ev[idx].has = 1;
      s->ev[idx].score = score;
      memcpy (s->ev[idx].sig, sig, SIG);
      s->n_ev++;
    }
  if (!is_primary (self))
    return;
  if (s->window == 0 && !s->window_over)
    {
      WindowData *w = malloc (sizeof *w);
      if (w != NULL)
        {
          *w = (WindowData){ self, s->job, s->epoch };
          s->window = ctx->api->timer_add (ctx, self->bid_window, window_fired, w, free);
        }
    }
  slot_check_ready (self, ctx, s);
}

static void
send_own_bid (Pbft *self, DmasCtx *ctx, Slot *s)
{
  uint32_t prim = primary_of (self, self->view);
  if (prim == self->me)
    {
      slot_add_bid (self, ctx, s, self->me, s->own_score, s->own_sig);
      return;
    }
  uint8_t b[BID_MSG_LEN];
  dmas_put_u64 (b, s->job);
  dmas_put_u32 (b + 8, s->epoch);
  dmas_put_u32 (b + 12, s->home);
  dmas_put_u32 (b + 16, self->members[self->me]);
  dmas_put_double (b + 20, s->own_score);
  memcpy (b + 28, s->own_sig, SIG);
  ctx->api->send (ctx, self->members[prim], MSG_BID, b, sizeof b);
}

static int
pbft_propose (void *self_, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  Pbft *self = self_;
  uint32_t idx;
  if (!member_index (self, slot->home, &idx) || bid->job != slot->job
      || bid->agent != self->members[self->me] || !isfinite (bid->score) || bid->score < 0.0)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "pbft: invalid proposal for job %llu epoch %u",
                (unsigned long long) slot->job, slot->epoch);
      return DMAS_EINVAL;
    }
  Slot *s = slot_get (self, slot->job, slot->epoch);
  if (s == NULL)
    return DMAS_ENOMEM;
  if (s->own)
    return DMAS_ESTATE;
  s->own = 1;
  s->home = slot->home;
  if (s->decided)
    return DMAS_OK; /* decided before our own bidder answered */
  s->own_score = bid->score;
  uint8_t signed_[BID_SIGNED_LEN];
  bid_bytes (signed_, slot->job, slot->epoch, bid->agent, bid->score);
  int rc = ctx->api->sign (ctx, signed_, sizeof signed_, s->own_sig);
  if (rc != DMAS_OK)
    return rc;
  if (key_push (&self->pending, &self->n_pending, &self->cap_pending, s->job, s->epoch)
      != DMAS_OK)
    return DMAS_ENOMEM;
  if (self->active)
    send_own_bid (self, ctx, s);
  timer_update (self, ctx, 0);
  return DMAS_OK;
}

/* --- view change ------------------------------------------------------------------------ */

/* Validates a prepared certificate; returns its seq (0 when invalid) and fills the parts. */
static uint64_t
cert_check (Pbft *self, DmasCtx *ctx, const uint8_t *data, size_t len, uint32_t *view_out,
            const uint8_t **batch_out, size_t *blen_out, uint8_t digest[DIGEST])
{
  Rd r = { data, len, 0 };
  uint32_t view = rd_u32 (&r);
  uint64_t seq = rd_u64 (&r);
  const uint8_t *ppsig = rd_take (&r, SIG);
  uint32_t blen = rd_u32 (&r);
  const uint8_t *batch = rd_take (&r, blen);
  uint32_t np = rd_u32 (&r);
  if (r.bad || seq == 0 || np != 2 * self->f)
    return 0;
  digest_of (batch, blen, digest);
  uint8_t sb[36];
  pp_bytes (sb, view, seq, digest);
  uint32_t prim = primary_of (self, view);
  if (!verify (self, ctx, prim, sb, 32, ppsig))
    return 0;
  uint8_t *who = calloc (self->n, 1);
  if (who == NULL)
    return 0;
  for (uint32_t k = 0; k < np; k++)
    {
      uint32_t idx = rd_u32 (&r);
      const uint8_t *sig = rd_take (&r, SIG);
      if (r.bad || idx >= self->n || idx == prim || who[idx])
        {
          free (who);
          return 0;
        }
      who[idx] = 1;
      prep_bytes (sb, view, seq, digest, idx);
      if (!verify (self, ctx, idx, sb, sizeof sb, sig))
        {
          free (who);
          return 0;
        }
    }
  free (who);
  if (r.left != 0 || batch_check (self, ctx, batch, blen, NULL) < 0)
    return 0;
  *view_out = view;
  *batch_out = batch;
  *blen_out = blen;
  return seq;
}

/* Validates a VIEW-CHANGE (payload || sig); returns 1 with its view and replica. */
static int
vc_check (Pbft *self, DmasCtx *ctx, const uint8_t *data, size_t len, uint32_t *view,
          uint32_t *replica)
{
  if (len < 16 + SIG || memcmp (data, "VC\0\0", 4) != 0)
    return 0;
  Rd r = { data + 4, len - 4 - SIG, 0 };
  *view = rd_u32 (&r);
  *replica = rd_u32 (&r);
  uint32_t nc = rd_u32 (&r);
  if (r.bad || *replica >= self->n
      || !verify (self, ctx, *replica, data, len - SIG, data + len - SIG))
    return 0;
  for (uint32_t k = 0; k < nc; k++)
    {
      uint32_t cl = rd_u32 (&r);
      const uint8_t *c = rd_take (&r, cl);
      uint32_t cv;
      const uint8_t *bb;
      size_t bl;
      uint8_t d[DIGEST];
      if (r.bad || cert_check (self, ctx, c, cl, &cv, &bb, &bl, d) == 0 || cv >= *view)
        return 0;
    }
  return r.left == 0;
}

typedef struct {
  uint32_t view;
  const uint8_t *batch;
  size_t len;
  uint8_t digest[DIGEST];
} Pick;

static const uint8_t empty_batch[4] = { 0, 0, 0, 0 };

/* O of a NEW-VIEW: per seq, the batch of the certificate with the highest view (ties by
 * digest, so every replica computes the same O), the empty batch where none.  `picks` has
 * room for max_seq + 1 entries; returns max_seq, or UINT64_MAX on failure. */
static uint64_t
compute_o (Pbft *self, DmasCtx *ctx, const uint8_t *const *vcs, const size_t *lens, uint32_t nvc,
           Pick **picks_out)
{
  uint64_t max_s = 0;
  Pick *picks = NULL;
  for (int pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        {
          picks = calloc (max_s + 1, sizeof *picks);
          if (picks == NULL)
            return UINT64_MAX;
        }
      for (uint32_t v = 0; v < nvc; v++)
        {
          Rd r = { vcs[v] + 16, lens[v] - 16 - SIG, 0 };
          uint32_t nc = dmas_get_u32 (vcs[v] + 12);
          for (uint32_t k = 0; k < nc; k++)
            {
              uint32_t cl = rd_u32 (&r);
              const uint8_t *c = rd_take (&r, cl);
              Pick p;
              uint64_t seq = r.bad ? 0
                                   : cert_check (self, ctx, c, cl, &p.view, &p.batch, &p.len,
                                                 p.digest);
              if (seq == 0)
                {
                  free (picks);
                  return UINT64_MAX;
                }
              if (pass == 0)
                max_s = seq > max_s ? seq : max_s;
              else if (picks[seq].batch == NULL || p.view > picks[seq].view
                       || (p.view == picks[seq].view
                           && memcmp (p.digest, picks[seq].digest, DIGEST) > 0))
                picks[seq] = p;
            }
        }
    }
  for (uint64_t s = 1; s <= max_s; s++)
    if (picks[s].batch == NULL)
      {
        picks[s].batch = empty_batch;
        picks[s].len = sizeof empty_batch;
        digest_of (empty_batch, sizeof empty_batch, picks[s].digest);
      }
  *picks_out = picks;
  return max_s;
}

/* Enters `view` with O: every seq re-issued, then the bids go to the new primary again. */
static void
enter_view (Pbft *self, DmasCtx *ctx, uint32_t view, const Pick *picks, uint64_t max_s,
            const uint8_t *sigs)
{
  dmas_log (ctx, DMAS_LOG_DEBUG, "pbft: entering view %u with %llu re-issued", view,
            (unsigned long long) max_s);
  self->view = view;
  self->active = 1;
  self->seen_seq = max_s;
  self->next_seq = max_s + 1;
  self->n_ready = 0;
  /* Nothing is ordered in the new view but O: the new primary orders the rest again. */
  for (size_t i = 0; i < self->cap; i++)
    {
      Slot *s = &self->slots[i];
      if (!s->used || s->decided)
        continue;
      s->queued = 0;
      s->window_over = 0;
      if (s->window != 0)
        ctx->api->timer_cancel (ctx, s->window);
      s->window = 0;
    }
  persist_state (self, ctx);
  for (uint64_t seq = 1; seq <= max_s; seq++)
    accept_pre_prepare (self, ctx, seq, picks[seq].batch, picks[seq].len, picks[seq].digest,
                        sigs + (seq - 1) * SIG);
  for (size_t i = 0; i < self->n_pending; i++)
    {
      Slot *s = slot_find (self, self->pending[i].job, self->pending[i].epoch);
      if (s != NULL && !s->decided)
        send_own_bid (self, ctx, s);
    }
  /* Last: `picks` may point into the stored view changes. */
  for (size_t i = 0; i < self->n_vcs;)
    if (self->vcs[i].view <= view)
      {
        free (self->vcs[i].bytes);
        self->vcs[i] = self->vcs[--self->n_vcs];
      }
    else
      i++;
  timer_update (self, ctx, 1);
  execute_ready (self, ctx);
}

static void
send_new_view (Pbft *self, DmasCtx *ctx)
{
  const uint8_t *vcs[self->q];
  size_t lens[self->q];
  uint32_t got = 0;
  for (size_t i = 0; i < self->n_vcs && got < self->q; i++)
    if (self->vcs[i].view == self->view)
      {
        vcs[got] = self->vcs[i].bytes;
        lens[got++] = self->vcs[i].len;
      }
  if (got < self->q)
    return;
  Pick *picks = NULL;
  uint64_t max_s = compute_o (self, ctx, vcs, lens, got, &picks);
  if (max_s == UINT64_MAX)
    return;
  Buf b = { 0 };
  buf_u32 (&b, self->view);
  buf_u32 (&b, got);
  for (uint32_t k = 0; k < got; k++)
    {
      buf_u32 (&b, (uint32_t) lens[k]);
      buf_bytes (&b, vcs[k], lens[k]);
    }
  buf_u64 (&b, max_s);
  size_t sig_at = b.len;
  for (uint64_t seq = 1; seq <= max_s; seq++)
    {
      uint8_t sb[32];
      pp_bytes (sb, self->view, seq, picks[seq].digest);
      uint8_t *sig = buf_grow (&b, SIG);
      if (sig)
        ctx->api->sign (ctx, sb, sizeof sb, sig);
    }
  if (b.oom)
    {
      free (b.p);
      free (picks);
      return;
    }
  ctx->api->metric (ctx, "view_changes", 1.0);
  ctx->api->metric (ctx, "rounds", (double) max_s);
  ctx->api->broadcast (ctx, MSG_NEW_VIEW, b.p, b.len);
  free (self->nv);
  self->nv = b.p;
  self->nv_len = b.len;
  ctx->api->persist (ctx, "nv", b.p, b.len);
  enter_view (self, ctx, self->view, picks, max_s, self->nv + sig_at);
  free (picks);
}

static int
vc_store (Pbft *self, uint32_t view, uint32_t replica, const uint8_t *data, size_t len)
{
  for (size_t i = 0; i < self->n_vcs; i++)
    if (self->vcs[i].view == view && self->vcs[i].replica == replica)
      return 0;
  if (self->n_vcs == self->cap_vcs)
    {
      size_t c = self->cap_vcs ? self->cap_vcs * 2 : 16;
      Vc *p = realloc (self->vcs, c * sizeof *p);
      if (p == NULL)
        return 0;
      self->vcs = p;
      self->cap_vcs = c;
    }
  uint8_t *copy = malloc (len);
  if (copy == NULL)
    return 0;
  memcpy (copy, data, len);
  self->vcs[self->n_vcs++] = (Vc){ view, replica, copy, len };
  return 1;
}

static void
start_view_change (Pbft *self, DmasCtx *ctx, uint32_t view)
{
  if (view < self->view || (view == self->view && !self->active) )
    return;
  self->view = view;
  self->active = 0;
  self->backoff++;
  dmas_log (ctx, DMAS_LOG_DEBUG, "pbft: view change to %u (last executed %llu)", view,
            (unsigned long long) self->last_exec);
  Buf b = { 0 };
  buf_bytes (&b, "VC\0\0", 4);
  buf_u32 (&b, view);
  buf_u32 (&b, self->me);
  uint32_t nc = 0;
  buf_u32 (&b, 0);
  for (uint64_t seq = 1; seq <= self->max_seq && seq < self->log_cap; seq++)
    {
      Entry *e = self->log[seq];
      if (e != NULL && e->cert != NULL)
        {
          buf_u32 (&b, (uint32_t) e->cert_len);
          buf_bytes (&b, e->cert, e->cert_len);
          nc++;
        }
    }
  uint8_t *sig = buf_grow (&b, SIG);
  if (b.oom)
    {
      free (b.p);
      dmas_log (ctx, DMAS_LOG_ERROR, "pbft: out of memory building a view change");
      return;
    }
  dmas_put_u32 (b.p + 12, nc);
  ctx->api->sign (ctx, b.p, b.len - SIG, sig);
  persist_state (self, ctx);
  timer_restart (self, ctx);
  vc_store (self, view, self->me, b.p, b.len);
  ctx->api->broadcast (ctx, MSG_VIEW_CHANGE, b.p, b.len);
  free (b.p);
  if (primary_of (self, view) == self->me)
    send_new_view (self, ctx);
}

static void
view_timer_fired (DmasCtx *ctx, void *data)
{
  Pbft *self = data;
  self->timer = 0;
  if (!self->fetched)
    {
      /* Maybe behind rather than stuck (a restarted replica, lost commits): ask for the
       * committed batches, and thereby for the current view, before suspecting the primary. */
      uint8_t b[12];
      self->fetched = 1;
      self->fetch_from = self->last_exec + 1;
      dmas_put_u64 (b, self->fetch_from);
      dmas_put_u32 (b + 8, self->view);
      ctx->api->metric (ctx, "fetches", 1.0);
      ctx->api->broadcast (ctx, MSG_FETCH, b, sizeof b);
      timer_restart (self, ctx);
      return;
    }
  self->fetched = 0; /* the next expiry asks again: answers may have been lost */
  start_view_change (self, ctx, self->view + 1);
}

/* --- message handlers ------------------------------------------------------------------- */

static void
on_bid (Pbft *self, DmasCtx *ctx, uint32_t src, Rd *r)
{
  DmasJobId job = rd_u64 (r);
  uint32_t epoch = rd_u32 (r);
  DmasAgentId home = rd_u32 (r);
  DmasAgentId agent = rd_u32 (r);
  double score = rd_f64 (r);
  const uint8_t *sig = rd_take (r, SIG);
  uint8_t signed_[BID_SIGNED_LEN];
  uint32_t hidx;
  if (r->bad || r->left || agent != self->members[src] || !isfinite (score) || score < 0.0
      || !member_index (self, home, &hidx))
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  bid_bytes (signed_, job, epoch, agent, score);
  if (!verify (self, ctx, src, signed_, sizeof signed_, sig))
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  Slot *s = slot_get (self, job, epoch);
  if (s == NULL)
    return;
  if (s->home == DMAS_AGENT_NONE)
    s->home = home;
  slot_add_bid (self, ctx, s, src, score, sig);
  timer_update (self, ctx, 0);
}

static void
on_pre_prepare (Pbft *self, DmasCtx *ctx, uint32_t src, const uint8_t *body, size_t len)
{
  if (len < 12 + SIG + 4)
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  uint32_t view = dmas_get_u32 (body);
  uint64_t seq = dmas_get_u64 (body + 4);
  const uint8_t *sig = body + 12;
  const uint8_t *batch = body + 12 + SIG;
  size_t blen = len - 12 - SIG;
  if (!self->active || view != self->view || src != primary_of (self, view) || seq == 0
      || seq > self->last_exec + LOG_WINDOW)
    return;
  uint8_t digest[DIGEST], sb[32];
  digest_of (batch, blen, digest);
  Entry *e = seq < self->log_cap ? self->log[seq] : NULL;
  if (e != NULL && e->view == view && e->has_pp)
    return; /* a duplicate, or equivocation within the view: the first one stands */
  pp_bytes (sb, view, seq, digest);
  if (!verify (self, ctx, src, sb, sizeof sb, sig) || batch_check (self, ctx, batch, blen, NULL) < 0)
    {
      ctx->api->metric (ctx, "invalid_evidence", 1.0);
      dmas_log (ctx, DMAS_LOG_WARNING, "pbft: invalid pre-prepare from primary %u (view %u, seq "
                "%llu): starting a view change", self->members[src], view,
                (unsigned long long) seq);
      start_view_change (self, ctx, self->view + 1);
      return;
    }
  accept_pre_prepare (self, ctx, seq, batch, blen, digest, sig);
}

static void
on_vote (Pbft *self, DmasCtx *ctx, uint32_t src, uint32_t type, const uint8_t *body,
         size_t len)
{
  if (len != (type == MSG_PREPARE ? PREPARE_LEN : COMMIT_LEN))
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  uint32_t view = dmas_get_u32 (body);
  uint64_t seq = dmas_get_u64 (body + 4);
  const uint8_t *digest = body + 12;
  if (!self->active || view != self->view || seq == 0 || seq > self->last_exec + LOG_WINDOW)
    return;
  if (type == MSG_PREPARE)
    {
      uint8_t sb[36];
      prep_bytes (sb, view, seq, digest, src);
      if (src == primary_of (self, view) || !verify (self, ctx, src, sb, sizeof sb,
                                                     body + 12 + DIGEST))
        {
          ctx->api->metric (ctx, "malformed", 1.0);
          return;
        }
    }
  Entry *e = entry_get (self, seq);
  if (e == NULL)
    return;
  entry_enter_view (self, e, view);
  if (seq > self->seen_seq)
    self->seen_seq = seq;
  if (type == MSG_PREPARE)
    {
      if (e->prep_has[src])
        return;
      e->prep_has[src] = 1;
      memcpy (e->prep_d[src], digest, DIGEST);
      memcpy (e->prep_sig[src], body + 12 + DIGEST, SIG);
    }
  else
    {
      if (e->com_has[src])
        return;
      e->com_has[src] = 1;
      memcpy (e->com_d[src], digest, DIGEST);
    }
  check_progress (self, ctx, seq);
}

static void
on_view_change (Pbft *self, DmasCtx *ctx, uint32_t src, const uint8_t *body, size_t len)
{
  uint32_t view, replica;
  if (!vc_check (self, ctx, body, len, &view, &replica) || replica != src)
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  if (view < self->view || (view == self->view && self->active))
    {
      /* A replica behind us: the current NEW-VIEW brings it here. */
      if (self->active && self->nv != NULL && primary_of (self, self->view) == self->me)
        ctx->api->send (ctx, self->members[src], MSG_NEW_VIEW, self->nv, self->nv_len);
      return;
    }
  if (!vc_store (self, view, replica, body, len))
    return;
  /* f+1 replicas want a higher view: at least one is correct, so join the smallest. */
  uint32_t count = 0, smallest = UINT32_MAX;
  uint8_t *who = calloc (self->n, 1);
  if (who == NULL)
    return;
  for (size_t i = 0; i < self->n_vcs; i++)
    if (self->vcs[i].view > self->view && self->vcs[i].replica != self->me)
      {
        if (!who[self->vcs[i].replica])
          count++;
        who[self->vcs[i].replica] = 1;
        if (self->vcs[i].view < smallest)
          smallest = self->vcs[i].view;
      }
  free (who);
  if (count >= self->f + 1 && smallest != UINT32_MAX)
    start_view_change (self, ctx, smallest);
  if (!self->active && view == self->view && primary_of (self, view) == self->me)
    send_new_view (self, ctx);
}

static void
on_new_view (Pbft *self, DmasCtx *ctx, uint32_t src, const uint8_t *body, size_t len)
{
  Rd r = { body, len, 0 };
  uint32_t view = rd_u32 (&r);
  uint32_t nvc = rd_u32 (&r);
  if (r.bad || src != primary_of (self, view) || view < self->view
      || (view == self->view && self->active) || nvc < self->q || nvc > self->n)
    return;
  const uint8_t *vcs[nvc];
  size_t lens[nvc];
  uint8_t *who = calloc (self->n, 1);
  if (who == NULL)
    return;
  for (uint32_t k = 0; k < nvc; k++)
    {
      uint32_t l = rd_u32 (&r), vv, rep;
      vcs[k] = rd_take (&r, l);
      lens[k] = l;
      if (r.bad || !vc_check (self, ctx, vcs[k], l, &vv, &rep) || vv != view || who[rep])
        {
          free (who);
          ctx->api->metric (ctx, "malformed", 1.0);
          return;
        }
      who[rep] = 1;
    }
  free (who);
  uint64_t max_s = rd_u64 (&r);
  Pick *picks = NULL;
  uint64_t mine = r.bad ? UINT64_MAX : compute_o (self, ctx, vcs, lens, nvc, &picks);
  if (mine == UINT64_MAX || mine != max_s || r.left != max_s * SIG)
    {
      free (picks);
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  const uint8_t *sigs = r.p;
  for (uint64_t seq = 1; seq <= max_s; seq++)
    {
      uint8_t sb[32];
      pp_bytes (sb, view, seq, picks[seq].digest);
      if (!verify (self, ctx, src, sb, sizeof sb, sigs + (seq - 1) * SIG))
        {
          free (picks);
          ctx->api->metric (ctx, "malformed", 1.0);
          return;
        }
    }
  enter_view (self, ctx, view, picks, max_s, sigs);
  free (picks);
}

static void
on_fetch (Pbft *self, DmasCtx *ctx, uint32_t src, const uint8_t *body, size_t len)
{
  if (len != 12)
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  uint64_t from = dmas_get_u64 (body);
  uint32_t view = dmas_get_u32 (body + 8);
  /* The asker is in an older view: the NEW-VIEW that proves the current one brings it here. */
  if (self->active && view < self->view && self->nv != NULL
      && primary_of (self, self->view) == self->me)
    ctx->api->send (ctx, self->members[src], MSG_NEW_VIEW, self->nv, self->nv_len);
  for (uint64_t seq = from; seq >= 1 && seq <= self->last_exec && seq < from + FETCH_CHUNK;
       seq++)
    {
      Entry *e = self->log[seq];
      if (e == NULL || e->final == NULL)
        continue;
      Buf b = { 0 };
      buf_u64 (&b, seq);
      buf_bytes (&b, e->final, e->final_len);
      if (!b.oom)
        ctx->api->send (ctx, self->members[src], MSG_FETCHED, b.p, b.len);
      free (b.p);
    }
}

static void
on_fetched (Pbft *self, DmasCtx *ctx, uint32_t src, const uint8_t *body, size_t len)
{
  if (len < 8)
    return;
  uint64_t seq = dmas_get_u64 (body);
  if (seq <= self->last_exec || seq > self->last_exec + LOG_WINDOW)
    return;
  Entry *e = entry_get (self, seq);
  if (e == NULL || e->final != NULL)
    return;
  if (e->fetch_has == NULL)
    {
      e->fetch_has = calloc (self->n, 1);
      e->fetch_d = calloc (self->n, DIGEST);
      if (e->fetch_has == NULL || e->fetch_d == NULL)
        return;
    }
  if (e->fetch_has[src])
    return;
  e->fetch_has[src] = 1;
  digest_of (body + 8, len - 8, e->fetch_d[src]);
  uint32_t same = 0;
  for (uint32_t i = 0; i < self->n; i++)
    same += e->fetch_has[i] && memcmp (e->fetch_d[i], e->fetch_d[src], DIGEST) == 0;
  /* f+1 equal answers include a correct replica's: that batch did commit. */
  if (same < self->f + 1 || batch_check (self, ctx, body + 8, len - 8, NULL) < 0)
    return;
  e->final = malloc (len - 8 ? len - 8 : 1);
  if (e->final == NULL)
    return;
  memcpy (e->final, body + 8, len - 8);
  e->final_len = len - 8;
  if (seq > self->seen_seq)
    self->seen_seq = seq;
  execute_ready (self, ctx);
  if (self->last_exec + 1 >= self->fetch_from + FETCH_CHUNK && self->seen_seq > self->last_exec)
    {
      uint8_t b[12];
      self->fetch_from = self->last_exec + 1;
      dmas_put_u64 (b, self->fetch_from);
      dmas_put_u32 (b + 8, self->view);
      ctx->api->broadcast (ctx, MSG_FETCH, b, sizeof b);
    }
}

static int
pbft_on_message (void *self_, DmasCtx *ctx, DmasAgentId src_agent, uint32_t type,
                 const void *body_, size_t len)
{
  Pbft *self = self_;
  const uint8_t *body = body_;
  uint32_t src;
  if (body == NULL || !member_index (self, src_agent, &src))
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }
  Rd r = { body, len, 0 };
  switch (type)
    {
    case MSG_BID:
      on_bid (self, ctx, src, &r);
      break;
    case MSG_PRE_PREPARE:
      on_pre_prepare (self, ctx, src, body, len);
      break;
    case MSG_PREPARE:
    case MSG_COMMIT:
      on_vote (self, ctx, src, type, body, len);
      break;
    case MSG_VIEW_CHANGE:
      on_view_change (self, ctx, src, body, len);
      break;
    case MSG_NEW_VIEW:
      on_new_view (self, ctx, src, body, len);
      break;
    case MSG_FETCH:
      on_fetch (self, ctx, src, body, len);
      break;
    case MSG_FETCHED:
      on_fetched (self, ctx, src, body, len);
      break;
    default:
      ctx->api->metric (ctx, "malformed", 1.0);
      break;
    }
  return DMAS_OK;
}

/* --- life cycle ------------------------------------------------------------------------- */

static void
pbft_destroy (void *self_)
{
  Pbft *self = self_;
  if (self == NULL)
    return;
  for (size_t i = 0; i < self->cap; i++)
    free (self->slots[i].ev);
  free (self->slots);
  for (uint64_t s = 0; s < self->log_cap; s++)
    entry_free (self->log[s]);
  free (self->log);
  free (self->pending);
  free (self->ready);
  for (size_t i = 0; i < self->n_vcs; i++)
    free (self->vcs[i].bytes);
  free (self->vcs);
  free (self->nv);
  free (self);
}

static int
restore (Pbft *self, DmasCtx *ctx)
{
  size_t len;
  const uint8_t *st = ctx->api->restore (ctx, "state", &len);
  if (st == NULL)
    return DMAS_OK;
  if (len != 21)
    return DMAS_EINVAL;
  self->view = dmas_get_u32 (st);
  self->active = st[4];
  uint64_t last_exec = dmas_get_u64 (st + 5);
  uint64_t max_seq = dmas_get_u64 (st + 13);
  for (uint64_t seq = 1; seq <= max_seq; seq++)
    {
      char key[32];
      snprintf (key, sizeof key, "e%llu", (unsigned long long) seq);
      const uint8_t *p = ctx->api->restore (ctx, key, &len);
      if (p == NULL)
        continue;
      Rd r = { p, len, 0 };
      uint32_t executed = rd_u32 (&r);
      uint32_t fl = rd_u32 (&r);
      const uint8_t *fin = rd_take (&r, fl);
      uint32_t cv = rd_u32 (&r);
      uint32_t cl = rd_u32 (&r);
      const uint8_t *cert = rd_take (&r, cl);
      Entry *e = entry_get (self, seq);
      if (r.bad || e == NULL)
        return DMAS_EINVAL;
      e->executed = executed != 0;
      if (fl > 0)
        {
          if ((e->final = malloc (fl)) == NULL)
            return DMAS_ENOMEM;
          memcpy (e->final, fin, fl);
          e->final_len = fl;
        }
      if (cl > 0)
        {
          if ((e->cert = malloc (cl)) == NULL)
            return DMAS_ENOMEM;
          memcpy (e->cert, cert, cl);
          e->cert_len = cl;
          e->cert_view = cv;
        }
      e->view = self->view;
      if (e->executed)
        {
          Decision d[self->batch];
          int count = batch_check (self, ctx, e->final, e->final_len, d);
          for (int k = 0; k < count; k++)
            {
              Slot *s = slot_get (self, d[k].job, d[k].epoch);
              if (s == NULL)
                return DMAS_ENOMEM;
              s->decided = 1;
            }
        }
    }
  self->last_exec = last_exec;
  self->seen_seq = max_seq;
  self->next_seq = max_seq + 1;
  const uint8_t *nv = ctx->api->restore (ctx, "nv", &len);
  if (nv != NULL && (self->nv = malloc (len)) != NULL)
    {
      memcpy (self->nv, nv, len);
      self->nv_len = len;
    }
  return DMAS_OK;
}

static void *
pbft_create (DmasCtx *ctx, DmasError *err)
{
  DmasTime window, timeout;
  int64_t batch;
  if (ctx->api->struct_size < offsetof (DmasHostApi, restore) + sizeof (void *)
      || ctx->api->sign == NULL || ctx->api->verify == NULL || ctx->api->persist == NULL
      || ctx->api->restore == NULL)
    {
      dmas_error_set (err, DMAS_EINVAL,
                      "pbft: this host has no signatures or stable storage: not supported yet");
      return NULL;
    }
  if (ctx->api->param_duration (ctx, "bid_window", &window) != DMAS_OK
      || ctx->api->param_duration (ctx, "view_timeout", &timeout) != DMAS_OK
      || ctx->api->param_int (ctx, "batch", &batch) != DMAS_OK)
    {
      dmas_error_set (err, DMAS_EINVAL, "pbft: cannot read bid_window/view_timeout/batch");
      return NULL;
    }
  if (timeout == 0 || batch < 1 || batch > 1024)
    {
      dmas_error_set (err, DMAS_EINVAL,
                      "pbft: view_timeout must be > 0 and batch in 1..1024 (got %lld)",
                      (long long) batch);
      return NULL;
    }
  Pbft *self = calloc (1, sizeof *self);
  if (self == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "pbft: out of memory");
      return NULL;
    }
  self->bid_window = window;
  self->view_timeout = timeout;
  self->batch = (uint32_t) batch;
  self->members = ctx->api->members (ctx, &self->n);
  self->f = self->n > 0 ? (self->n - 1) / 3 : 0;
  self->q = 2 * self->f + 1;
  self->active = 1;
  self->next_seq = 1;
  self->cap = 64;
  self->slots = calloc (self->cap, sizeof *self->slots);
  if (self->slots == NULL || self->n == 0 || !member_index (self, dmas_self (ctx), &self->me))
    {
      dmas_error_set (err, DMAS_EINVAL, "pbft: out of memory, or this agent is no member");
      pbft_destroy (self);
      return NULL;
    }
  int rc = restore (self, ctx);
  if (rc != DMAS_OK)
    {
      dmas_error_set (err, rc, "pbft: cannot restore the stable state (status %d)", rc);
      pbft_destroy (self);
      return NULL;
    }
  return self;
}

static const DmasConsensusOps pbft_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = pbft_create,
  .destroy = pbft_destroy,
  .propose = pbft_propose,
  .on_message = pbft_on_message,
  .agent_status = NULL,
  .fault_model = DMAS_FAULT_MODEL_BYZANTINE,
};

static const DmasParamSpec pbft_params[] = {
  { "bid_window", DMAS_PARAM_DURATION, "100ms",
    "how long the primary collects signed bids for a slot (it always waits for 2f+1)" },
  { "view_timeout", DMAS_PARAM_DURATION, "500ms",
    "request timer before a view change; doubles on each successive view change" },
  { "batch", DMAS_PARAM_INT, "1",
    "most slots per pre-prepare (the primary batches only while a round is in flight)" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent pbft_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_CONSENSUS,
    .name = "pbft",
    .api_major = DMAS_CONSENSUS_API_MAJOR,
    .api_minor = DMAS_CONSENSUS_API_MINOR,
    .ops = &pbft_ops,
    .summary = "PBFT: signed bids as evidence, 2f+1 quorums, view change on a faulty primary",
    .params = pbft_params,
  },
};

static const DmasPluginDesc pbft_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "pbft",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = pbft_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &pbft_desc;
}
