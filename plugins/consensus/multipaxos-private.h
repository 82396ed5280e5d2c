/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private to the multipaxos module: records, wire constants, shared functions. */
#ifndef DMAS_PLUGINS_CONSENSUS_MULTIPAXOS_PRIVATE_H
#define DMAS_PLUGINS_CONSENSUS_MULTIPAXOS_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include <dmas/dmas.h>

/* The protocol, its messages and storage layout are described at the top of multipaxos.c. */

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
#define MAX_BALLOT_ROUND ((uint64_t) 1 << 31) /* ballots of rounds at or above it are malformed */

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

typedef struct {
  DmasJobId job;
  uint32_t epoch;
  DmasAgentId home;
  DmasBid value;
} ValueEntry;

/* multipaxos-state.c */
uint64_t multipaxos_ballot_round (Ballot b);
DmasAgentId multipaxos_ballot_owner (Ballot b);
int multipaxos_member_index (const Paxos *self, DmasAgentId agent, uint32_t *index);
Instance *multipaxos_inst_lookup (Paxos *self, DmasJobId job, uint32_t epoch);
Instance *multipaxos_inst_get (Paxos *self, DmasJobId job, uint32_t epoch, DmasAgentId home);
Key *multipaxos_inst_keys (Paxos *self, int (*want) (const Paxos *, const Instance *),
                           uint32_t *n_out);
void multipaxos_set_stage (Paxos *self, Instance *s, Stage stage);

/* multipaxos-wire.c */
void multipaxos_put_value (uint8_t *p, const Instance *s, const DmasBid *v);
int multipaxos_get_value (const Paxos *self, const uint8_t *p, ValueEntry *e);
void multipaxos_send_ballot (DmasCtx *ctx, DmasAgentId to, uint32_t type, Ballot b);

/* multipaxos-store.c */
void multipaxos_persist_meta (Paxos *self, DmasCtx *ctx);
void multipaxos_persist_instance (Paxos *self, DmasCtx *ctx, Instance *s);
int multipaxos_restore_state (Paxos *self, DmasCtx *ctx);

/* multipaxos-phase1.c */
void multipaxos_watch_arm (Paxos *self, DmasCtx *ctx);
void multipaxos_beat_arm (Paxos *self, DmasCtx *ctx);
void multipaxos_see_ballot (Paxos *self, DmasCtx *ctx, Ballot b);
void multipaxos_adopt_leader (Paxos *self, DmasCtx *ctx, DmasAgentId agent);
void multipaxos_start_election (Paxos *self, DmasCtx *ctx);
void multipaxos_on_prepare (Paxos *self, DmasCtx *ctx, DmasAgentId src, Ballot b);
void multipaxos_on_promise (Paxos *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body,
                            uint32_t n);

/* multipaxos-phase2.c */
void multipaxos_learn (Paxos *self, DmasCtx *ctx, Instance *s, const DmasBid *value);
int multipaxos_record_bid (Paxos *self, DmasCtx *ctx, Instance *s, const DmasBid *bid);
void multipaxos_send_bid (DmasCtx *ctx, Instance *s, DmasAgentId to);
void multipaxos_resend_bids (Paxos *self, DmasCtx *ctx, int all);
void multipaxos_chosen (Paxos *self, DmasCtx *ctx, const Key *keys, uint32_t n);
int multipaxos_count_ack (Paxos *self, Instance *s, DmasAgentId agent);
void multipaxos_flush_batch (Paxos *self, DmasCtx *ctx);
void multipaxos_leader_consider (Paxos *self, DmasCtx *ctx, Instance *s);
void multipaxos_beat_fired (DmasCtx *ctx, void *data);

/* multipaxos-messages.c */
void multipaxos_on_bid (Paxos *self, DmasCtx *ctx, DmasAgentId src, const ValueEntry *e);
void multipaxos_on_accept (Paxos *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body,
                           uint32_t n);
void multipaxos_on_accepted (Paxos *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body,
                             uint32_t n);
void multipaxos_on_decide (Paxos *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body,
                           uint32_t n);
void multipaxos_on_heartbeat (Paxos *self, DmasCtx *ctx, DmasAgentId src, Ballot b);
void multipaxos_on_nack (Paxos *self, DmasCtx *ctx, Ballot b);
int64_t multipaxos_entries_of (uint32_t type, const uint8_t *body, size_t len);

#endif /* DMAS_PLUGINS_CONSENSUS_MULTIPAXOS_PRIVATE_H */
