/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private helper of every consensus module: refusing the impossible claims of lying bidders. */
#ifndef DMAS_PLUGINS_CONSENSUS_PLAUSIBLE_H
#define DMAS_PLUGINS_CONSENSUS_PLAUSIBLE_H

#include <dmas/dmas.h>

/* "The protocol, not the prompt, keeps the system safe": a compromised bidder (a Byzantine LLM
 * agent) may claim, with score 1, a job its cluster can never run.  The platform description
 * is public, so the host can tell such a claim from an honest one (host API 1.3
 * bid_plausible), and every protocol asks before a bid may become a candidate for winning:
 * another agent's, and its own too where it chooses among bids (a home, a leader, a voter).
 * An agent's own bid still goes out as its bidder made it ("its protocol code runs
 * unmodified"), so that the others can catch the lie and accuse the liar.  An honest run never
 * meets an implausible bid, so the checks below only add host calls: no message, no random
 * draw, no timer; the outcome of such a run is the same as without them.
 *
 * consensus_bid_plausible() returns 1 when `bid` may be accepted for `slot`:
 *   - a score of 0 (declining is always honest) or a bid of nobody (the rejection);
 *   - a host older than ABI 1.3 (it cannot tell: everything reads as plausible);
 *   - DMAS_ENOENT, a job or agent the host does not know (no proof either way: the protocol's
 *     own membership checks handle strangers);
 *   - the host's 1.
 * It returns 0 for an impossible claim (the host's 0), after counting it (metric
 * "implausible_bids", one per refusal) and, when `author` is not DMAS_AGENT_NONE nor the
 * calling agent, accusing `author`.  Callers pass the bidder as `author` only when the bid is
 * provably its own (an authenticated sender, or its signature): a signed impossible claim is
 * proof of lying; a relayed, unsigned one is only refused.  The host counts an accusation
 * once per (accuser, accused) pair, so refusing the same liar again accuses nobody new. */
static inline int
consensus_bid_plausible (DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid,
                         DmasAgentId author)
{
  if (bid->agent == DMAS_AGENT_NONE || bid->score == 0.0)
    return 1;
  const DmasHostApi *api = ctx->api;
  if (api->abi_minor < 3 || api->bid_plausible == NULL)
    return 1;
  if (api->bid_plausible (ctx, slot, bid) != 0)
    return 1; /* 1, or an error status (DMAS_ENOENT...): nothing proven */
  api->metric (ctx, "implausible_bids", 1.0);
  dmas_log (ctx, DMAS_LOG_INFO,
            "refused an implausible bid of agent %u for job %llu epoch %u (score %g)",
            bid->agent, (unsigned long long) slot->job, slot->epoch, bid->score);
  if (author != DMAS_AGENT_NONE && author != dmas_self (ctx))
    api->accuse (ctx, author);
  return 0;
}

#endif /* DMAS_PLUGINS_CONSENSUS_PLAUSIBLE_H */
