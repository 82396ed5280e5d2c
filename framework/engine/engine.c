/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The event queue: pooled events, an array binary heap, lazy cancel, step and the clock. */
#include "config.h"

#include "engine/engine-private.h"

/* Events come from slabs chained into a LIFO free list, so scheduling never calls malloc once
 * the pool has grown to the peak number of pending events, and the most recently released
 * (cache-warm) event is reused first. */
#define SLAB_EVENTS 1024

/* Lazy cancel leaves flagged events in the heap until they reach the top.  Protocols that re-arm
 * a timeout on every message could pile them up, so once they are the majority of a large heap,
 * cancel rebuilds the heap without them (amortised O(1): it takes len/2 cancels to get there). */
#define PURGE_MIN_CANCELLED 1024

/* With 10^5 pending events the pool no longer fits in cache, and reading the popped event's
 * callback would stall on memory at every dispatch.  The next event to run is almost always the
 * new root, so its struct is fetched while the current event's callback runs. */
#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch (p)
#else
#define PREFETCH(p) ((void) (p))
#endif

/* Why (time, order, pointer) entries of 24 bytes rather than smaller ones: a heap of bare
 * pointers would chase a pointer into the pool at every comparison, and (time, pointer) entries
 * of 16 bytes would do so on every tie, which a simulation full of same-instant deliveries and
 * round-number timers hits constantly (measured: 2.5x slower at 10^5 pending events with
 * times on a 100 us grid).  The bench (tests/bench/bench-engine.c) keeps this honest. */
static inline gboolean
entry_less (const DmasHeapEntry *a, const DmasHeapEntry *b)
{
  return a->time < b->time || (a->time == b->time && a->order < b->order);
}

static inline void
sift_up (DmasHeapEntry *heap, gsize i, DmasHeapEntry x)
{
  while (i > 0)
    {
      gsize parent = (i - 1) / 2;
      if (!entry_less (&x, &heap[parent]))
        break;
      heap[i] = heap[parent];
      i = parent;
    }
  heap[i] = x;
}

static inline void
sift_down (DmasHeapEntry *heap, gsize len, gsize i, DmasHeapEntry x)
{
  for (;;)
    {
      gsize child = 2 * i + 1;
      if (child >= len)
        break;
      if (child + 1 < len && entry_less (&heap[child + 1], &heap[child]))
        child++;
      if (!entry_less (&heap[child], &x))
        break;
      heap[i] = heap[child];
      i = child;
    }
  heap[i] = x;
}

/* Removes the root; the caller has copied it. */
static inline void
heap_pop (DmasEngine *engine)
{
  gsize len = --engine->len;
  if (len > 0)
    sift_down (engine->heap, len, 0, engine->heap[len]);
}

static DmasEvent *
slot_event (const DmasEngine *engine, guint32 slot)
{
  return &engine->slabs[slot / SLAB_EVENTS][slot % SLAB_EVENTS];
}

static void
grow_pool (DmasEngine *engine)
{
  /* Slot + 1 must fit the low 32 bits of an id. */
  if ((guint64) (engine->n_slabs + 1) * SLAB_EVENTS >= G_MAXUINT32)
    g_error ("dmas engine: more than %u events pending at once", G_MAXUINT32 - 1);

  DmasEvent *slab = g_aligned_alloc0 (SLAB_EVENTS, sizeof (DmasEvent), 64);
  engine->slabs = g_renew (DmasEvent *, engine->slabs, engine->n_slabs + 1);
  engine->slabs[engine->n_slabs] = slab;
  /* Chained so that the lowest slot is handed out first. */
  for (guint i = SLAB_EVENTS; i-- > 0;)
    {
      slab[i].slot = engine->n_slabs * SLAB_EVENTS + i;
      slab[i].gen = 1;
      slab[i].next_free = engine->free_list;
      engine->free_list = &slab[i];
    }
  engine->n_slabs++;
}

static void
grow_heap (DmasEngine *engine)
{
  engine->cap = engine->cap ? engine->cap * 2 : 1024;
  engine->heap = g_renew (DmasHeapEntry, engine->heap, engine->cap);
}

/* The generation bump is what makes a stale id (kept by a caller after the event ran or was
 * dropped) miss in dmas_engine_cancel() once the slot is reused. */
static inline void
release (DmasEngine *engine, DmasEvent *ev)
{
  ev->state = DMAS_EVENT_FREE;
  ev->gen++;
  ev->next_free = engine->free_list;
  engine->free_list = ev;
}

/* A free function may call back into the engine (cancel another timer, say), so it only runs
 * once the event has left the heap and the heap is consistent again. */
static void
drop (DmasEngine *engine, DmasEvent *ev)
{
  if (ev->free_fn)
    ev->free_fn (ev->data);
  release (engine, ev);
}

static void
purge_cancelled (DmasEngine *engine)
{
  g_autofree DmasEvent **dropped = g_new (DmasEvent *, engine->n_cancelled);
  gsize n_dropped = 0, kept = 0;

  for (gsize i = 0; i < engine->len; i++)
    {
      if (engine->heap[i].ev->state == DMAS_EVENT_CANCELLED)
        dropped[n_dropped++] = engine->heap[i].ev;
      else
        engine->heap[kept++] = engine->heap[i];
    }
  engine->len = kept;
  engine->n_cancelled = 0;
  /* Floyd's heapify.  The key order is total, so the new layout pops in the same order. */
  for (gsize i = kept / 2; i-- > 0;)
    sift_down (engine->heap, kept, i, engine->heap[i]);
  for (gsize i = 0; i < n_dropped; i++)
    drop (engine, dropped[i]);
}

DmasEngine *
dmas_engine_new (guint64 run_seed)
{
  DmasEngine *engine = g_new0 (DmasEngine, 1);

  engine->seed = run_seed;
  engine->world_seed = run_seed;
  engine->streams = dmas_engine_streams_new ();
  engine->world_streams = dmas_engine_streams_new ();
  dmas_engine_digest_init (engine);
  return engine;
}

void
dmas_engine_free (DmasEngine *engine)
{
  if (engine == NULL)
    return;
  /* Pending and cancelled events alike have not run their free function yet.  Heap order is
   * deterministic, so the order of these calls is too.  The heap is emptied first so that a
   * free function calling back into the engine finds nothing left to cancel (free functions
   * must not schedule: nothing would ever run or free that event). */
  g_autofree DmasHeapEntry *heap = g_steal_pointer (&engine->heap);
  gsize len = engine->len;
  engine->len = engine->cap = engine->n_cancelled = 0;
  for (gsize i = 0; i < len; i++)
    {
      DmasEvent *ev = heap[i].ev;
      if (ev->free_fn)
        ev->free_fn (ev->data);
    }
  for (guint i = 0; i < engine->n_slabs; i++)
    g_aligned_free (engine->slabs[i]);
  g_free (engine->slabs);
  g_free (engine->heap);
  g_hash_table_unref (engine->streams);
  g_hash_table_unref (engine->world_streams);
  g_checksum_free (engine->trace_sum);
  g_free (engine);
}

void
dmas_engine_set_stall_check (DmasEngine *engine, DmasTime period, DmasIdleCheckFn fn,
                             gpointer user_data)
{
  engine->stall_fn = period > 0 ? fn : NULL;
  engine->stall_data = user_data;
  engine->stall_period = period;
  engine->stall_next = engine->now + period;
}

DmasTime
dmas_engine_now (const DmasEngine *engine)
{
  return engine->now;
}

guint64
dmas_engine_seed (const DmasEngine *engine)
{
  return engine->seed;
}

DmasEventId
dmas_engine_schedule (DmasEngine *engine, DmasTime at, DmasEventClass cls, guint32 kind,
                      guint32 agent, DmasEventFn fn, gpointer data, GDestroyNotify free_fn)
{
  g_return_val_if_fail (fn != NULL, 0);
  g_return_val_if_fail (at >= engine->now, 0);
  g_return_val_if_fail (at != DMAS_TIME_NONE, 0);
  g_return_val_if_fail ((guint) cls <= DMAS_EV_OBSERVE, 0);

  if (G_UNLIKELY (engine->free_list == NULL))
    grow_pool (engine);
  DmasEvent *ev = engine->free_list;
  engine->free_list = ev->next_free;
  ev->fn = fn;
  ev->data = data;
  ev->free_fn = free_fn;
  ev->kind = kind;
  ev->agent = agent;
  ev->state = DMAS_EVENT_PENDING;

  if (G_UNLIKELY (engine->len == engine->cap))
    grow_heap (engine);
  DmasHeapEntry x = {
    .time = at,
    .order = ((guint64) cls << DMAS_EVENT_ORDER_CLASS_SHIFT) | engine->seq++,
    .ev = ev,
  };
  sift_up (engine->heap, engine->len++, x);
  return ((guint64) ev->gen << 32) | ((guint64) ev->slot + 1);
}

gboolean
dmas_engine_cancel (DmasEngine *engine, DmasEventId id)
{
  guint64 slot1 = id & G_MAXUINT32;

  if (slot1 == 0 || slot1 > (guint64) engine->n_slabs * SLAB_EVENTS)
    return FALSE;
  DmasEvent *ev = slot_event (engine, (guint32) (slot1 - 1));
  /* RUNNING (the event cancelling itself) and FREE (already run or dropped) both land here. */
  if (ev->gen != (guint32) (id >> 32) || ev->state != DMAS_EVENT_PENDING)
    return FALSE;
  ev->state = DMAS_EVENT_CANCELLED;
  engine->n_cancelled++;
  if (engine->n_cancelled >= PURGE_MIN_CANCELLED && engine->n_cancelled * 2 > engine->len)
    purge_cancelled (engine);
  return TRUE;
}

gsize
dmas_engine_pending (const DmasEngine *engine)
{
  return engine->len - engine->n_cancelled;
}

guint64
dmas_engine_events (const DmasEngine *engine)
{
  return engine->n_events;
}

static inline DmasTime
peek_live (DmasEngine *engine)
{
  while (engine->len > 0)
    {
      DmasEvent *ev = engine->heap[0].ev;
      if (G_LIKELY (ev->state == DMAS_EVENT_PENDING))
        return engine->heap[0].time;
      heap_pop (engine);
      engine->n_cancelled--;
      drop (engine, ev);
    }
  return DMAS_TIME_NONE;
}

/* Runs an event just popped from the heap. */
static inline void
run_popped (DmasEngine *engine, const DmasHeapEntry *top)
{
  DmasEvent *ev = top->ev;

  if (G_LIKELY (engine->len > 0))
    PREFETCH (engine->heap[0].ev);
  ev->state = DMAS_EVENT_RUNNING;
  engine->now = top->time;
  engine->n_events++;
  dmas_engine_digest_fold (engine, top->time,
                           (guint) (top->order >> DMAS_EVENT_ORDER_CLASS_SHIFT), ev->kind,
                           ev->agent);
  if (G_UNLIKELY (engine->trace_fn != NULL))
    engine->trace_fn (top->time, (DmasEventClass) (top->order >> DMAS_EVENT_ORDER_CLASS_SHIFT),
                      ev->kind, ev->agent, engine->trace_data);
  ev->fn (engine, ev->data);
  drop (engine, ev);
}

DmasTime
dmas_engine_peek (DmasEngine *engine)
{
  return peek_live (engine);
}

void
dmas_engine_dispatch_top (DmasEngine *engine)
{
  DmasHeapEntry top = engine->heap[0];

  heap_pop (engine);
  run_popped (engine, &top);
}

/* Pops before looking at the event (rather than peek, then pop) so that the load of the event
 * overlaps the sift instead of stalling in front of it. */
gboolean
dmas_engine_step (DmasEngine *engine)
{
  while (engine->len > 0)
    {
      DmasHeapEntry top = engine->heap[0];
      heap_pop (engine);
      if (G_LIKELY (top.ev->state == DMAS_EVENT_PENDING))
        {
          run_popped (engine, &top);
          return TRUE;
        }
      engine->n_cancelled--;
      drop (engine, top.ev);
    }
  return FALSE;
}

DmasTime
dmas_engine_next_time (DmasEngine *engine)
{
  return peek_live (engine);
}

void
dmas_engine_set_idle_check (DmasEngine *engine, DmasIdleCheckFn fn, gpointer user_data)
{
  engine->idle_fn = fn;
  engine->idle_data = user_data;
}

void
dmas_engine_set_trace (DmasEngine *engine, DmasTraceFn fn, gpointer user_data)
{
  engine->trace_fn = fn;
  engine->trace_data = user_data;
}

void
dmas_engine_stop (DmasEngine *engine)
{
  engine->stop_requested = TRUE;
}
