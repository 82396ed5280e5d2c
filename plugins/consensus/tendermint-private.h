/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/tendermint: types, message layouts and the functions the tendermint*.c files share. */
#ifndef DMAS_PLUGIN_TENDERMINT_PRIVATE_H
#define DMAS_PLUGIN_TENDERMINT_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include <dmas/dmas.h>

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
  uint8_t resume;   /* restored: resume `round` at the next callback */
  uint8_t heard;    /* buffered: a message of this height arrived, at first_heard */
  DmasTime first_heard;
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
  Vote resumed[2];    /* restored: our prevote and precommit of `round`, until resumed */
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

/* Shared between the files of this module only: it is built with -fvisibility=hidden, so none
 * of these leaves the .so (only dmas_plugin_describe does). */

/* tendermint-slots.c */
int tendermint_value_eq (Value a, Value b);
int tendermint_member_index (const Tendermint *self, DmasAgentId agent, uint32_t *index);
DmasAgentId tendermint_proposer_of (const Tendermint *self, const Slot *s, int32_t round);
void tendermint_bid_signed_bytes (uint8_t out[32], DmasJobId job, uint32_t epoch, DmasAgentId agent,
                                  double score);
int tendermint_bid_verify (DmasCtx *ctx, DmasJobId job, uint32_t epoch, const SignedBid *b);
Value tendermint_best_of (DmasJobId job, const SignedBid *bids, uint32_t n);
Slot *tendermint_table_lookup (Tendermint *self, DmasJobId job, uint32_t epoch);
void tendermint_slot_free_volatile (Slot *s);
void tendermint_slot_free (Slot *s);
Slot *tendermint_slot_new (Tendermint *self, DmasJobId job, uint32_t epoch);
Slot *tendermint_slot_get (Tendermint *self, DmasCtx *ctx, DmasJobId job, uint32_t epoch);
RoundRec *tendermint_round_find (const Slot *s, int32_t round);
RoundRec *tendermint_round_get (Tendermint *self, DmasCtx *ctx, Slot *s, int32_t round);
uint32_t tendermint_count_votes (const Tendermint *self, const Vote *votes, VoteKind kind,
                                 const Value *v);
uint32_t tendermint_round_senders (const Tendermint *self, const Slot *s, const RoundRec *r);

/* tendermint-store.c */
int tendermint_slot_persist (Tendermint *self, DmasCtx *ctx, const Slot *s);
int tendermint_open_index_append (Tendermint *self, const Slot *s);
void tendermint_open_index_add (Tendermint *self, DmasCtx *ctx, const Slot *s);
void tendermint_open_index_remove (Tendermint *self, DmasCtx *ctx, const Slot *s);
Slot *tendermint_slot_restore (Tendermint *self, DmasCtx *ctx, DmasJobId job, uint32_t epoch);

/* tendermint-wire.c */
void tendermint_vote_signed_bytes (uint8_t out[44], uint32_t type, DmasJobId job, uint32_t epoch,
                                   int32_t round, VoteKind kind, Value v);
void tendermint_encode_vote (uint8_t body[VOTE_LEN], const Slot *s, int32_t round, VoteKind kind,
                             Value v, DmasAgentId voter, const uint8_t *sig);
void tendermint_send_proposal (DmasCtx *ctx, const Slot *s, int32_t round, int32_t vr, Value v,
                               uint32_t n_ev, const SignedBid *ev);
void tendermint_send_bid (DmasCtx *ctx, const Slot *s, const SignedBid *b);

/* tendermint-rules.c */
void tendermint_cast_vote (Tendermint *self, DmasCtx *ctx, Slot *s, uint32_t type, VoteKind kind,
                           Value v);
void tendermint_prevote (Tendermint *self, DmasCtx *ctx, Slot *s, int valid, Value v);
void tendermint_start_round (Tendermint *self, DmasCtx *ctx, Slot *s, int32_t round);
void tendermint_decide (Tendermint *self, DmasCtx *ctx, Slot *s, Value v, int32_t round);
void tendermint_progress (Tendermint *self, DmasCtx *ctx, Slot *s);
void tendermint_resume_restored (Tendermint *self, DmasCtx *ctx);

/* tendermint-timers.c */
DmasTime tendermint_gossip_interval (const Tendermint *self, int32_t round);
void tendermint_timer_schedule (Tendermint *self, DmasCtx *ctx, Slot *s, TimerKind kind,
                                DmasTime delay);

/* tendermint-recv.c */
int tendermint_proposal_store (Tendermint *self, DmasCtx *ctx, Slot *s, DmasAgentId src,
                               int32_t round, int32_t vr, Value v, uint32_t n_ev,
                               const SignedBid *ev);
void tendermint_on_bid (DmasCtx *ctx, Slot *s, uint32_t idx, const SignedBid *b);
void tendermint_on_vote (Tendermint *self, DmasCtx *ctx, Slot *s, DmasAgentId src, uint32_t type,
                         int32_t round, const Vote *vote, DmasAgentId voter);
int tendermint_signed_for_height (DmasCtx *ctx, const Slot *s, uint32_t type, int32_t round,
                                  const Vote *vote, DmasAgentId voter, uint32_t n_bids,
                                  const SignedBid *bids);
void tendermint_on_decided (Tendermint *self, DmasCtx *ctx, Slot *s, uint32_t src_idx,
                            int32_t round, Value v);

#endif /* DMAS_PLUGIN_TENDERMINT_PRIVATE_H */
