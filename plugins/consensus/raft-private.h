/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private to the raft module: its records, wire constants and the functions its files share. */
#ifndef DMAS_PLUGINS_CONSENSUS_RAFT_PRIVATE_H
#define DMAS_PLUGINS_CONSENSUS_RAFT_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include <dmas/dmas.h>

/* The protocol, its messages and storage layout are described at the top of raft.c. */

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
#define MAX_TERM ((uint64_t) 1 << 62) /* terms at or above it are malformed */

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

/* raft-state.c */
Slot *raft_slot_lookup (Raft *self, DmasJobId job, uint32_t epoch);
Slot *raft_slot_get (Raft *self, DmasJobId job, uint32_t epoch);
int raft_member_index (const Raft *self, DmasAgentId agent, uint32_t *index);
uint32_t raft_majority (const Raft *self);
uint64_t raft_term_at (const Raft *self, uint64_t index);
int raft_log_append (Raft *self, Entry *e);
void raft_log_truncate (Raft *self, uint64_t index);
void raft_send_bid (Raft *self, DmasCtx *ctx, const Pending *p);
void raft_pending_remove (Raft *self, DmasJobId job, uint32_t epoch);

/* raft-wire.c */
void raft_put_decision (uint8_t *p, const Decision *d);
void raft_get_decision (const uint8_t *p, Decision *d);
size_t raft_entry_len (const Entry *e);
void raft_put_entry (uint8_t *p, const Entry *e);
size_t raft_get_entry (const uint8_t *p, size_t len, Entry *e);

/* raft-store.c */
int raft_persist_meta (Raft *self, DmasCtx *ctx);
int raft_persist_entry (Raft *self, DmasCtx *ctx, uint64_t index);
int raft_restore_state (Raft *self, DmasCtx *ctx, DmasError *err);

/* raft-roles.c */
void raft_apply_committed (Raft *self, DmasCtx *ctx);
void raft_become_follower (Raft *self, DmasCtx *ctx, uint64_t term);
int raft_send_append (Raft *self, DmasCtx *ctx, uint32_t f);
void raft_advance_commit (Raft *self, DmasCtx *ctx);
void raft_ready_flush (Raft *self, DmasCtx *ctx);
void raft_become_leader (Raft *self, DmasCtx *ctx);
void raft_election_arm (Raft *self, DmasCtx *ctx);

/* raft-leader.c */
void raft_heartbeat_arm (Raft *self, DmasCtx *ctx);
void raft_leader_record_bid (Raft *self, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid);

/* raft-messages.c */
void raft_on_vote_request (Raft *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body);
void raft_on_vote (Raft *self, DmasCtx *ctx, uint32_t src_idx, const uint8_t *body);
void raft_on_append (Raft *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body, size_t len);
void raft_on_append_ack (Raft *self, DmasCtx *ctx, uint32_t f, const uint8_t *body);

#endif /* DMAS_PLUGINS_CONSENSUS_RAFT_PRIVATE_H */
