/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/pbft: declarations shared by the files of the pbft module (not part of the SDK). */
#ifndef DMAS_PLUGINS_CONSENSUS_PBFT_PRIVATE_H
#define DMAS_PLUGINS_CONSENSUS_PBFT_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include <dmas/dmas.h>

/* The protocol, its messages and its stable storage are described at the top of pbft.c.  The
 * functions below are shared between the module's files only: the module is built with
 * -fvisibility=hidden, so none of them leaves the .so (only dmas_plugin_describe does). */

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

typedef struct {
  const uint8_t *p;
  size_t left;
  int bad;
} Rd;

/* --- state ------------------------------------------------------------------------------ */

typedef struct {
  uint8_t has;
  uint8_t refused;   /* an implausible bid came from this member: it will not count */
  double score;
  uint8_t sig[SIG];
} Ev;

typedef struct {
  DmasJobId job;
  uint32_t epoch;
  uint8_t used;
  uint8_t decided;
  uint8_t own;       /* this agent proposed: own_score/own_sig hold its signed bid */
  uint8_t abstained; /* own is an abstention (score 0) signed before propose() came */
  uint8_t queued;    /* primary: in the ready queue or ordered in the current view */
  DmasAgentId home;
  double own_score;
  uint8_t own_sig[SIG];
  Ev *ev;            /* per member index; collected by whoever is (or may become) primary */
  uint32_t n_ev;
  uint32_t n_refused; /* members whose (only) bid was refused as implausible */
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

typedef struct {
  DmasJobId job;
  uint32_t epoch;
  DmasAgentId home;
  DmasBid winner;
} Decision;

typedef struct {
  uint32_t view;
  const uint8_t *batch;
  size_t len;
  uint8_t digest[DIGEST];
} Pick;

/* pbft-wire.c */

uint8_t *pbft_buf_grow (Buf *b, size_t n);
void pbft_buf_u32 (Buf *b, uint32_t v);
void pbft_buf_u64 (Buf *b, uint64_t v);
void pbft_buf_bytes (Buf *b, const void *data, size_t n);
const uint8_t *pbft_rd_take (Rd *r, size_t n);
uint32_t pbft_rd_u32 (Rd *r);
uint64_t pbft_rd_u64 (Rd *r);
double pbft_rd_f64 (Rd *r);
void pbft_digest_of (const uint8_t *data, size_t len, uint8_t out[DIGEST]);
void pbft_bid_bytes (uint8_t out[BID_SIGNED_LEN], DmasJobId job, uint32_t epoch, DmasAgentId agent,
                     double score);
void pbft_pp_bytes (uint8_t out[32], uint32_t view, uint64_t seq, const uint8_t digest[DIGEST]);
void pbft_prep_bytes (uint8_t out[36], uint32_t view, uint64_t seq, const uint8_t digest[DIGEST],
                      uint32_t replica);
int pbft_verify (Pbft *self, DmasCtx *ctx, uint32_t idx, const void *data, size_t len,
                 const uint8_t *sig);
int pbft_batch_check (Pbft *self, DmasCtx *ctx, const uint8_t *data, size_t len, Decision *out);
void pbft_batch_encode_slot (Pbft *self, Buf *b, const Slot *s);

/* pbft-state.c */

Slot *pbft_slot_find (Pbft *self, DmasJobId job, uint32_t epoch);
Slot *pbft_slot_get (Pbft *self, DmasJobId job, uint32_t epoch);
int pbft_key_push (Key **arr, size_t *n, size_t *cap, DmasJobId job, uint32_t epoch);
int pbft_member_index (const Pbft *self, DmasAgentId agent, uint32_t *index);
uint32_t pbft_primary_of (const Pbft *self, uint32_t view);
int pbft_is_primary (const Pbft *self);
Entry *pbft_entry_get (Pbft *self, uint64_t seq);
void pbft_entry_free (Entry *e);
void pbft_entry_enter_view (Pbft *self, Entry *e, uint32_t view);

/* pbft-store.c */

void pbft_persist_state (Pbft *self, DmasCtx *ctx);
void pbft_persist_entry (Pbft *self, DmasCtx *ctx, uint64_t seq);
int pbft_restore (Pbft *self, DmasCtx *ctx);

/* pbft-order.c */

void pbft_timer_restart (Pbft *self, DmasCtx *ctx);
void pbft_timer_update (Pbft *self, DmasCtx *ctx, int progress);
void pbft_execute_ready (Pbft *self, DmasCtx *ctx);
void pbft_check_progress (Pbft *self, DmasCtx *ctx, uint64_t seq);
void pbft_accept_pre_prepare (Pbft *self, DmasCtx *ctx, uint64_t seq, const uint8_t *batch,
                              size_t len, const uint8_t *digest, const uint8_t *sig);
void pbft_slot_add_bid (Pbft *self, DmasCtx *ctx, Slot *s, uint32_t idx, double score,
                        const uint8_t *sig);
void pbft_send_own_bid (Pbft *self, DmasCtx *ctx, Slot *s);
/* Sends this agent's own signed bid of `s` to member index `to`. */
void pbft_send_own_bid_to (Pbft *self, DmasCtx *ctx, const Slot *s, uint32_t to);
int pbft_propose (void *self_, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid);

/* pbft-view.c */

int pbft_vc_check (Pbft *self, DmasCtx *ctx, const uint8_t *data, size_t len, uint32_t *view,
                   uint32_t *replica);
uint64_t pbft_compute_o (Pbft *self, DmasCtx *ctx, const uint8_t *const *vcs, const size_t *lens,
                         uint32_t nvc, Pick **picks_out);
void pbft_enter_view (Pbft *self, DmasCtx *ctx, uint32_t view, const Pick *picks, uint64_t max_s,
                      const uint8_t *sigs);
void pbft_send_new_view (Pbft *self, DmasCtx *ctx);
int pbft_vc_store (Pbft *self, uint32_t view, uint32_t replica, const uint8_t *data, size_t len);
void pbft_start_view_change (Pbft *self, DmasCtx *ctx, uint32_t view);
void pbft_view_timer_fired (DmasCtx *ctx, void *data);

/* pbft-resend.c */

/* Re-sends this replica's own messages that the others may still lack (see the file). */
void pbft_resend (Pbft *self, DmasCtx *ctx);
/* Signs and sends this replica's abstention (a bid of 0) for a slot it never proposed in. */
void pbft_abstain (Pbft *self, DmasCtx *ctx, Slot *s);
/* Primary: a slot whose window is over with fewer than q bids asks the members it has no bid
 * from for one (they abstain if they never learnt of the slot). */
void pbft_solicit (Pbft *self, DmasCtx *ctx, Slot *s);

/* pbft-handlers.c */

void pbft_on_bid (Pbft *self, DmasCtx *ctx, uint32_t src, Rd *r);
void pbft_on_pre_prepare (Pbft *self, DmasCtx *ctx, uint32_t src, const uint8_t *body, size_t len);
void pbft_on_vote (Pbft *self, DmasCtx *ctx, uint32_t src, uint32_t type, const uint8_t *body,
                   size_t len);
void pbft_on_view_change (Pbft *self, DmasCtx *ctx, uint32_t src, const uint8_t *body, size_t len);
void pbft_on_new_view (Pbft *self, DmasCtx *ctx, uint32_t src, const uint8_t *body, size_t len);
void pbft_on_fetch (Pbft *self, DmasCtx *ctx, uint32_t src, const uint8_t *body, size_t len);
void pbft_on_fetched (Pbft *self, DmasCtx *ctx, uint32_t src, const uint8_t *body, size_t len);

#endif /* DMAS_PLUGINS_CONSENSUS_PBFT_PRIVATE_H */
