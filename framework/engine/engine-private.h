/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Engine internals shared by the queue, the trace digest, the RNG streams and the GSource. */
#ifndef DMAS_ENGINE_PRIVATE_H
#define DMAS_ENGINE_PRIVATE_H

#include <stdalign.h>

#include "engine/engine.h"

G_BEGIN_DECLS

typedef enum {
  DMAS_EVENT_FREE = 0,
  DMAS_EVENT_PENDING,
  DMAS_EVENT_CANCELLED,
  DMAS_EVENT_RUNNING
} DmasEventState;

/* A pooled event, aligned to a 64-byte cache line (slabs are allocated aligned), so reading
 * one at pop time costs at most one miss. */
typedef struct DmasEvent DmasEvent;
struct DmasEvent {
  alignas (64) DmasEventFn fn;
  gpointer data;
  GDestroyNotify free_fn;
  DmasEvent *next_free;
  guint32 kind;
  guint32 agent;
  guint32 slot;   /* index in the pool, the low half of the event id */
  guint32 gen;    /* bumped on every release, the high half of the event id */
  guint32 state;  /* DmasEventState */
};

/* The whole key sits in the heap entry next to the event pointer: sifting compares keys in one
 * contiguous array and never touches the pool.  order = class << 62 | seq, so one 64-bit
 * compare after the time settles the class and then FIFO. */
typedef struct {
  DmasTime time;
  guint64 order;
  DmasEvent *ev;
} DmasHeapEntry;

#define DMAS_EVENT_ORDER_CLASS_SHIFT 62

struct DmasEngine {
  /* binary min-heap on (time, order) */
  DmasHeapEntry *heap;
  gsize len;
  gsize cap;
  gsize n_cancelled; /* flagged events still in the heap */

  /* event pool: slabs never move, so DmasEvent pointers stay valid while the pool grows */
  DmasEvent **slabs;
  guint n_slabs;
  DmasEvent *free_list;

  guint64 seq;
  DmasTime now;
  guint64 n_events;
  guint64 seed;
  guint64 world_seed;
  GHashTable *world_streams; /* name -> GRand, seeded from world_seed */

  /* trace digest, see digest.c */
  guint64 trace_mix;
  GChecksum *trace_sum;

  GHashTable *streams; /* name → GRand; lookup only, never iterated */

  DmasIdleCheckFn idle_fn;
  gpointer idle_data;
  DmasIdleCheckFn stall_fn;
  gpointer stall_data;
  DmasTime stall_period;
  DmasTime stall_next;  /* time of the next stall check */
  gboolean stop_requested;

  DmasTraceFn trace_fn; /* nullable: see dmas_engine_set_trace() */
  gpointer trace_data;
};

/* digest.c */
void dmas_engine_digest_init (DmasEngine *engine);
void dmas_engine_digest_flush (DmasEngine *engine);

/* Folds one dispatched event into the trace; every 256 events the state goes into SHA-256
 * (digest.c says why).  Each round (xor a word, multiply by an odd constant, xorshift) is a
 * bijection of the state, so two traces that differ in a single event always end in different
 * states.  The class shares a word with the time: its two bits sit above bit 61, which a time
 * only reaches after 146 years of virtual time. */
static inline void
dmas_engine_digest_fold (DmasEngine *engine, DmasTime time, guint cls, guint32 kind,
                         guint32 agent)
{
  guint64 h = engine->trace_mix;

  h = (h ^ time ^ ((guint64) cls << 62)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  h ^= h >> 32;
  h = (h ^ (((guint64) kind << 32) | agent)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  h ^= h >> 29;
  engine->trace_mix = h;
  if (G_UNLIKELY ((engine->n_events & 255) == 0))
    dmas_engine_digest_flush (engine);
}

/* engine.c: time of the next live event (dropping cancelled ones on top) or DMAS_TIME_NONE,
 * and dispatch of that event; call only after the peek said there is one. */
DmasTime dmas_engine_peek (DmasEngine *engine);
void dmas_engine_dispatch_top (DmasEngine *engine);

/* streams.c */
GHashTable *dmas_engine_streams_new (void);

G_END_DECLS

#endif /* DMAS_ENGINE_PRIVATE_H */
