/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/pbft: Practical Byzantine Fault Tolerance (Castro & Liskov 1999) for slot decisions. */
#include <stdlib.h>

#include "pbft-private.h"

/* Protocol.  n replicas (the members), f = floor((n-1)/3), quorum q = 2f+1; primary of view v
 * is members[v mod n].
 *
 *  Bids as evidence.  propose(slot, bid) signs the bid (host sign() over job u64 | epoch u32 |
 *  agent u32 | score f64) and sends BID to the primary; the agent keeps it and sends it again
 *  to every new primary until the slot is decided.  The primary collects signed bids per slot
 *  from its first bid on, until it has all n, or `bid_window` has passed and it has at least q
 *  (it waits past the window for q: the evidence set is always a quorum).
 *
 *  Implausible bids (host API 1.3, plausible.h): a bid its signer's cluster could never back
 *  never enters a slot's evidence (at any replica, so at every primary to come) and its signer
 *  is accused: a signed impossible claim is proof.  A PRE-PREPARE (or NEW-VIEW, or fetched
 *  batch) whose decision is an implausible winner is invalid like one with bad evidence.
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
 *  the first expiry it re-sends its own messages the others may have lost (pbft-resend.c:
 *  bids, pre-prepares, prepares, commits, or its VIEW-CHANGE) and asks for missing committed
 *  batches (FETCH, accepted on f+1 matching
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
 *  signed messages), "fetches" (state-transfer requests), "retransmissions" (request timer
 *  expiries that re-sent this replica's own messages), "abstentions" (bids of 0 signed for
 *  slots a replica was asked about but never learnt of; both in pbft-resend.c). */

static int
pbft_on_message (void *self_, DmasCtx *ctx, DmasAgentId src_agent, uint32_t type,
                 const void *body_, size_t len)
{
  Pbft *self = self_;
  const uint8_t *body = body_;
  uint32_t src;
  if (body == NULL || !pbft_member_index (self, src_agent, &src))
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }
  Rd r = { body, len, 0 };
  switch (type)
    {
    case MSG_BID:
      pbft_on_bid (self, ctx, src, &r);
      break;
    case MSG_PRE_PREPARE:
      pbft_on_pre_prepare (self, ctx, src, body, len);
      break;
    case MSG_PREPARE:
    case MSG_COMMIT:
      pbft_on_vote (self, ctx, src, type, body, len);
      break;
    case MSG_VIEW_CHANGE:
      pbft_on_view_change (self, ctx, src, body, len);
      break;
    case MSG_NEW_VIEW:
      pbft_on_new_view (self, ctx, src, body, len);
      break;
    case MSG_FETCH:
      pbft_on_fetch (self, ctx, src, body, len);
      break;
    case MSG_FETCHED:
      pbft_on_fetched (self, ctx, src, body, len);
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
    pbft_entry_free (self->log[s]);
  free (self->log);
  free (self->pending);
  free (self->ready);
  for (size_t i = 0; i < self->n_vcs; i++)
    free (self->vcs[i].bytes);
  free (self->vcs);
  free (self->nv);
  free (self);
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
  if (self->slots == NULL || self->n == 0 || !pbft_member_index (self, dmas_self (ctx), &self->me))
    {
      dmas_error_set (err, DMAS_EINVAL, "pbft: out of memory, or this agent is no member");
      pbft_destroy (self);
      return NULL;
    }
  int rc = pbft_restore (self, ctx);
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
