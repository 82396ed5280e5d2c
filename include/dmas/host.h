/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The host function table: the only way a plugin sees time, messages, randomness and output. */
#ifndef DMAS_HOST_H
#define DMAS_HOST_H

#include <stdarg.h>
#include <stdio.h>

#include <dmas/job.h>
#include <dmas/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct DmasHostApi DmasHostApi;

/* A link fault (fault_link_add): what happens to each message on the links it selects.
 * Probabilities are per message, drawn from the network's fault stream in send order. */
typedef struct DmasLinkFault {
  uint32_t struct_size;     /* sizeof (DmasLinkFault) as the plugin was built */
  DmasAgentId from, to;     /* the directed link(s): an agent id, or DMAS_AGENT_NONE for any */
  double loss;              /* the message is dropped */
  double duplicate;         /* it is delivered twice (the copy follows at the same arrival) */
  double reorder;           /* it may overtake messages sent before it on the link (it is
                             * exempt from the link's FIFO order, with extra delay below) */
  double corrupt;           /* its body is damaged in flight */
  int corrupt_undetected;   /* 0: the receiver's checksum catches the damage and drops it
                             * (counted); 1: the damaged body is delivered as if intact */
  DmasTime delay;           /* extra delay added to every message it selects */
  DmasTime delay_jitter;    /* plus U{0..delay_jitter} ns per message */
} DmasLinkFault;

/* A Byzantine behaviour (fault_byzantine).  The agent keeps its identity and its signing key
 * (it can sign its own lies, never forge another's signature). */
typedef enum {
  DMAS_BYZ_NONE = 0,        /* correct again */
  DMAS_BYZ_SILENT,          /* sends nothing (still receives) */
  DMAS_BYZ_OMIT,            /* drops each outgoing message with probability `fraction` */
  DMAS_BYZ_INFLATE,         /* bids the maximum score on every job */
  DMAS_BYZ_HIJACK,          /* inflates, and never runs what it wins */
  DMAS_BYZ_EQUIVOCATE,      /* Twins: two instances of its plugins under one identity, each
                             * talking to one half of the other agents */
  DMAS_BYZ_REPLAY,          /* re-sends old messages of its own at random later times */
  /* Appended (ABI 1.3): */
  DMAS_BYZ_COMPROMISED      /* its bidder is compromised: an LLM bidder is told to lie (the
                             * compromised instruction) and its claims go out unchecked; its
                             * protocol code runs unmodified.  A non-LLM bidder is unaffected. */
} DmasByzantineStrategy;

typedef struct DmasByzantine {
  uint32_t struct_size;     /* sizeof (DmasByzantine) as the plugin was built */
  DmasByzantineStrategy strategy;
  double fraction;          /* OMIT: drop probability; REPLAY: share of messages replayed */
  uint64_t split;           /* EQUIVOCATE: bit i set = agent i talks to twin B, else twin A
                             * (agents 0..63; larger ids go to twin A) */
} DmasByzantine;

#define DMAS_SIG_SIZE 32
#define DMAS_STORAGE_KEY_MAX 128
#define DMAS_STORAGE_VALUE_MAX (16u * 1024u * 1024u)

/* What a bidder asks a model (llm_request).  Everything is borrowed for the call. */
typedef struct DmasLlmAsk {
  uint32_t struct_size;            /* sizeof (DmasLlmAsk) as the plugin was built */
  const char *template_name;       /* "bid": the prompt template <prompts>/bid.txt */
  const DmasJob *job;              /* the job the answer must be about */
  const DmasClusterView *cluster;  /* the asking agent's own cluster */
  const char *specialisation;      /* gpu, memory, compute, storage, network or general */
  const char *const *vars;         /* extra {{name}} values: NULL-terminated name, value
                                    * pairs; may be NULL */
} DmasLlmAsk;

/* The model's answer to an llm_request, parsed and checked by the host against the closed
 * placement schema (docs/llm.md) and against the simulation (the job, the agent's cluster,
 * node count and per-node capacity).  Strings are borrowed for the callback. */
typedef struct DmasLlmResult {
  uint32_t struct_size;   /* sizeof (DmasLlmResult) as the host was built */
  int status;             /* DMAS_OK: a valid placement; DMAS_EINVAL: a reply that is not one
                           * (message says why); DMAS_EFAIL: no usable reply at all
                           * (transport failure after the retries, budget spent, replay miss) */
  const char *message;    /* why, when status != DMAS_OK; "" otherwise */
  DmasJobId job;          /* the fields of a schema-valid reply (0 / NULL otherwise) */
  const char *cluster;
  uint32_t nodes;
  double score;           /* in [0, 1] */
  const char *reasoning;
  const char *content;    /* the raw reply text, NULL when there was none */
} DmasLlmResult;

/* Per-instance context.  The host allocates it (with private data after `api`) and passes it
 * to every callback of the instance; it stays valid until the instance's destroy() returns. */
typedef struct DmasCtx {
  const DmasHostApi *api;
} DmasCtx;

typedef enum {
  DMAS_LOG_ERROR = 0,
  DMAS_LOG_WARNING = 1,
  DMAS_LOG_INFO = 2,
  DMAS_LOG_DEBUG = 3
} DmasLogLevel;

/* Called once with the answer of an llm_request, after its virtual latency. */
typedef void (*DmasLlmReplyFn) (DmasCtx *ctx, void *data, const DmasLlmResult *result);

/* Timer callback.  Runs in virtual time; `data` is what was given to timer_add. */
typedef void (*DmasTimerFn) (DmasCtx *ctx, void *data);
/* Destroys timer data.  Called exactly once per timer: after the timer fired, when it is
 * cancelled, or -- for timers still pending when the instance is destroyed -- after the
 * instance's destroy() has returned (so destroy() may still look at the data). */
typedef void (*DmasFreeFn) (void *data);

struct DmasHostApi {
  uint32_t struct_size;
  uint32_t abi_major, abi_minor; /* the host's DMAS_ABI_MAJOR/MINOR */

  /* identity */
  DmasAgentId (*self_id) (DmasCtx *ctx);
  uint32_t (*n_agents) (DmasCtx *ctx);
  /* All agent ids in increasing order (self included).  Borrowed; valid for the run. */
  const DmasAgentId *(*members) (DmasCtx *ctx, uint32_t *n_out);

  /* time */
  DmasTime (*now) (DmasCtx *ctx);
  /* Runs fn(ctx, data) after `delay` virtual ns.  Returns a timer id (never 0). */
  DmasTimerId (*timer_add) (DmasCtx *ctx, DmasTime delay, DmasTimerFn fn, void *data,
                            DmasFreeFn free_fn);
  /* Returns DMAS_OK, or DMAS_ENOENT when the timer already fired or was cancelled. */
  int (*timer_cancel) (DmasCtx *ctx, DmasTimerId id);

  /* messages: `body` is copied (borrowed for the call).  `type` is the component's own message
   * type.  Delivery goes to the same component kind on the destination agent, through the
   * simulated network; the source seen by the receiver is authentic.  broadcast sends to every
   * agent except self.  Sending to self is allowed and goes through the network too. */
  int (*send) (DmasCtx *ctx, DmasAgentId to, uint32_t type, const void *body, size_t len);
  int (*multicast) (DmasCtx *ctx, const DmasAgentId *to, uint32_t n, uint32_t type,
                    const void *body, size_t len);
  int (*broadcast) (DmasCtx *ctx, uint32_t type, const void *body, size_t len);

  /* outcomes */
  /* Consensus: this agent's instance decided `bid->agent` as the winner of `slot`.  Each
   * agent's instance decides independently; the host records every decision.  A bid with
   * agent == DMAS_AGENT_NONE and score 0 decides "rejected": no agent can ever run the job. */
  int (*decide) (DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid);
  /* Bidding: the answer to a bid() that returned DMAS_PENDING. */
  int (*bid_ready) (DmasCtx *ctx, const DmasBid *bid);

  /* randomness: the instance's own stream, seeded from (run seed, "agent/<id>/<kind>") */
  uint64_t (*rng_u64) (DmasCtx *ctx);
  double (*rng_double) (DmasCtx *ctx); /* uniform in [0, 1) */

  /* observability */
  void (*log) (DmasCtx *ctx, DmasLogLevel level, const char *message);
  /* Adds `value` to the run-wide counter `name` (e.g. "elections", "rounds"). */
  void (*metric) (DmasCtx *ctx, const char *name, double value);

  /* parameters declared in the component's DmasParamSpec list, already validated and
   * defaulted by the host.  Return DMAS_OK, DMAS_ENOENT (not declared) or DMAS_EINVAL (wrong
   * type).  Strings are borrowed and valid for the instance's lifetime. */
  int (*param_int) (DmasCtx *ctx, const char *name, int64_t *out);
  int (*param_double) (DmasCtx *ctx, const char *name, double *out);
  int (*param_bool) (DmasCtx *ctx, const char *name, int *out);
  int (*param_string) (DmasCtx *ctx, const char *name, const char **out);
  int (*param_duration) (DmasCtx *ctx, const char *name, DmasTime *out);

  /* fault capability (appended): only fault components may call these; every other kind
   * gets DMAS_ESTATE.  The host logs each fault that takes effect in faults.jsonl. */
  /* Crashes `agent` now.  Returns DMAS_OK, DMAS_ENOENT (no such agent) or DMAS_ESTATE (the
   * agent is already down: nothing happens and nothing is logged). */
  int (*fault_crash) (DmasCtx *ctx, DmasAgentId agent);
  /* Restarts a crashed `agent` now.  Returns DMAS_OK, DMAS_ENOENT, or DMAS_ESTATE (the agent
   * is up, or it failed to come back: see the run's log). */
  int (*fault_restart) (DmasCtx *ctx, DmasAgentId agent);
  /* Returns 1 when `agent` is up, 0 when it is down, DMAS_ENOENT or DMAS_ESTATE. */
  int (*agent_up) (DmasCtx *ctx, DmasAgentId agent);

  /* signatures (appended): simulated, unforgeable.  The host signs with a secret of the
   * calling agent that no plugin can read, so an agent can only produce its own signatures
   * (a Byzantine agent lies about its own bid, never about another's).  `data` is borrowed. */
  /* Writes DMAS_SIG_SIZE bytes into `sig`.  Returns DMAS_OK, or DMAS_ESTATE for an instance
   * that belongs to no agent. */
  int (*sign) (DmasCtx *ctx, const void *data, size_t len, uint8_t sig[DMAS_SIG_SIZE]);
  /* Returns 1 when `sig` is `signer`'s signature of `data`, 0 when it is not, DMAS_ENOENT for
   * an unknown signer. */
  int (*verify) (DmasCtx *ctx, DmasAgentId signer, const void *data, size_t len,
                 const uint8_t sig[DMAS_SIG_SIZE]);

  /* stable storage (appended): per agent and per component kind, surviving the agent's
   * crash (everything else of the instance is lost).  Keys are NUL-terminated strings of at
   * most DMAS_STORAGE_KEY_MAX bytes; values at most DMAS_STORAGE_VALUE_MAX bytes.  A value is
   * durable when persist() returns (the simulation has no torn writes). */
  /* Stores a copy of `data` under `key`, replacing any older value.  Returns DMAS_OK or
   * DMAS_EINVAL (key or value too large). */
  int (*persist) (DmasCtx *ctx, const char *key, const void *data, size_t len);
  /* Returns the value stored under `key` (borrowed: valid until the next persist() of that
   * key or the end of the instance) with its length in *len_out, or NULL when there is none.
   * A restarted agent's new instance calls this from create() to recover. */
  const void *(*restore) (DmasCtx *ctx, const char *key, size_t *len_out);

  /* network, degradation and Byzantine faults (appended, ABI 1.2): fault components only,
   * like fault_crash; every call that takes effect is logged in faults.jsonl.  Ids returned
   * are never 0. */
  /* Adds a link fault (copied) from now on.  Returns DMAS_OK, DMAS_ENOENT (unknown agent) or
   * DMAS_EINVAL (a probability outside [0, 1], a short struct). */
  int (*fault_link_add) (DmasCtx *ctx, const DmasLinkFault *fault, uint64_t *id_out);
  /* Ends a link fault: messages sent from now on are spared (those in flight are not).
   * Returns DMAS_OK or DMAS_ENOENT. */
  int (*fault_link_remove) (DmasCtx *ctx, uint64_t id);
  /* Partitions the network: `reach` is an n x n matrix (n = n_agents()), reach[i * n + j]
   * non-zero when agent i's messages reach agent j (the diagonal is ignored; asymmetric
   * matrices give one-way partitions).  A message sent while a partition forbids it is
   * dropped (counted); active partitions combine (a message passes only if every one allows
   * it).  In centralized mode the controller replicas are on the side of agent `with`
   * (DMAS_AGENT_NONE: they reach everyone); the clients reach every endpoint.  Returns
   * DMAS_OK, DMAS_EINVAL (n is not n_agents()) or DMAS_ENOENT. */
  int (*fault_partition) (DmasCtx *ctx, const uint8_t *reach, uint32_t n, DmasAgentId with,
                          uint64_t *id_out);
  /* Heals a partition.  Returns DMAS_OK or DMAS_ENOENT. */
  int (*fault_heal) (DmasCtx *ctx, uint64_t id);
  /* Slows `agent` down by `factor` (>= 1; 1 restores full speed): its jobs progress 1/factor
   * as fast (a running job's remaining time stretches), and every message to or from it
   * takes (factor - 1) x the link latency longer.  Returns DMAS_OK, DMAS_ENOENT or
   * DMAS_EINVAL. */
  int (*fault_degrade) (DmasCtx *ctx, DmasAgentId agent, double factor);
  /* Makes `agent` Byzantine with the given behaviour from now on (DMAS_BYZ_NONE makes it
   * correct again).  Its decisions no longer count in the safety checker's agreement.
   * Returns DMAS_OK, DMAS_ENOENT or DMAS_EINVAL. */
  int (*fault_byzantine) (DmasCtx *ctx, DmasAgentId agent, const DmasByzantine *behaviour);

  /* Reputation (appended, ABI 1.2; bidding and consensus components): the calling agent now
   * considers `agent` Byzantine.  Counted once per (accuser, accused) pair, as a true or a
   * false positive against the faults actually injected.  Returns DMAS_OK or DMAS_ENOENT. */
  int (*accuse) (DmasCtx *ctx, DmasAgentId agent);

  /* LLM (appended, ABI 1.3).  Bidding components only: asks the run's llm provider (the
   * config's `llm:` section).  The host renders the prompt from the template, calls the
   * provider (timeouts, retries, budget), checks the reply, and calls fn(ctx, data, result)
   * once, after the answer's virtual latency; free_fn (nullable) runs exactly once like a
   * timer's (also when the instance is destroyed before the answer arrives).  Returns
   * DMAS_OK, DMAS_ESTATE (no llm configured, or not a bidding instance) or DMAS_EINVAL. */
  int (*llm_request) (DmasCtx *ctx, const DmasLlmAsk *ask, DmasLlmReplyFn fn, void *data,
                      DmasFreeFn free_fn);
  /* Secrets (appended, ABI 1.3).  llm components only (others get NULL): the value of the
   * environment variable `name`, else of `name` in a .env file (the working directory's,
   * then the home directory's); NULL when unset.  Borrowed, valid for the run.  Never log,
   * print or store it. */
  const char *(*secret) (DmasCtx *ctx, const char *name);
  /* Plausibility (appended, ABI 1.3; any component): 1 when `bid` is one its agent could
   * honestly place for `slot` -- score 0, or a positive score from an agent whose cluster
   * (the platform description is public) can run the job; 0 when it claims a job its
   * cluster can never run, or its score is negative or not a number; DMAS_ENOENT for an
   * unknown job or agent, DMAS_EINVAL when bid->job != slot->job.  Protocols use it to
   * refuse a liar's impossible claims.  With the config's scheduling.reputation, a positive
   * bid from an agent the calling agent has accused (since its last restart) is 0 too. */
  int (*bid_plausible) (DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid);
};

/* Convenience wrappers, so plugin code reads dmas_now (ctx) rather than ctx->api->now (ctx). */
static inline DmasTime dmas_now (DmasCtx *ctx) { return ctx->api->now (ctx); }
static inline DmasAgentId dmas_self (DmasCtx *ctx) { return ctx->api->self_id (ctx); }
static inline uint32_t dmas_n_agents (DmasCtx *ctx) { return ctx->api->n_agents (ctx); }

#if defined(__GNUC__)
__attribute__ ((format (printf, 3, 4)))
#endif
static inline void
dmas_log (DmasCtx *ctx, DmasLogLevel level, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  ctx->api->log (ctx, level, buf);
}

/* Fills err (which may be NULL) and returns `code`. */
#if defined(__GNUC__)
__attribute__ ((format (printf, 3, 4)))
#endif
static inline int
dmas_error_set (DmasError *err, int code, const char *fmt, ...)
{
  if (err != NULL)
    {
      va_list ap;
      err->code = code;
      va_start (ap, fmt);
      vsnprintf (err->message, sizeof err->message, fmt, ap);
      va_end (ap);
    }
  return code;
}

#ifdef __cplusplus
}
#endif

#endif /* DMAS_HOST_H */
