/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Engine internals shared by the queue, the trace digest, the RNG streams and the GSource. */
#ifndef DMAS_ENGINE_PRIVATE_H
#define DMAS_ENGINE_PRIVATE_H

#include "engine/engine.h"

G_BEGIN_DECLS

typedef enum {
  DMAS_EVENT_FREE = 0,
  DMAS_EVENT_PENDING,
  DMAS_EVENT_CANCELLED,
  DMAS_EVENT_RUNNING
} DmasEventState;

/* A pooled event: one 64-byte cache line on 64-bit machines (slabs are 64-byte aligned), so
 * popping an event costs at most one miss. */
typedef struct DmasEvent DmasEvent;
struct DmasEvent {
  DmasEventFn fn;
  gpointer data;
  GDestroyNotify free_fn;
  DmasEvent *next_free;
  guint64 order;  /* class << 62 | seq: one compare settles class, then FIFO */
  guint32 kind;
  guint32 agent;
  guint32 slot;   /* index in the pool, the low half of the event id */
  guint32 gen;    /* bumped on every release, the high half of the event id */
  guint32 state;  /* DmasEventState */
};
G_STATIC_ASSERT (sizeof (DmasEvent) <= 64);

/* The heap entry holds the time next to the event pointer, so sifting compares times inside
 * one contiguous array of 16-byte entries (as a bare heap of keys would) and only follows the
 * pointer to `order` when two times are equal. */
typedef struct {
  DmasTime time;
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

  /* trace digest, see digest.c */
  guint64 trace_mix;
  GChecksum *trace_sum;

  GHashTable *streams; /* name → GRand; lookup only, never iterated */

  DmasIdleCheckFn idle_fn;
  gpointer idle_data;
  gboolean stop_requested;
};

/* digest.c */
void dmas_engine_digest_init (DmasEngine *engine);
void dmas_engine_digest_flush (DmasEngine *engine);

/* Folds one dispatched event into the trace: three multiply-xorshift rounds keep the fold
 * order-sensitive; every 256 events the 64-bit state goes into SHA-256 (digest.c says why). */
static inline void
dmas_engine_digest_fold (DmasEngine *engine, DmasTime time, guint cls, guint32 kind,
                         guint32 agent)
{
  guint64 h = engine->trace_mix;

  h = (h ^ time) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  h ^= h >> 31;
  h = (h ^ (((guint64) kind << 32) | agent)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  h ^= h >> 29;
  h = (h ^ (cls + 1)) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  h ^= h >> 32;
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
