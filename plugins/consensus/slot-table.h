/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private open-addressing table of per-slot records keyed by (job, epoch), for the consensus plugins. */
#ifndef DMAS_PLUGINS_CONSENSUS_SLOT_TABLE_H
#define DMAS_PLUGINS_CONSENSUS_SLOT_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

/* Linear probing, power-of-two capacity, load at most 1/2, zeroed cells are free.  Each plugin
 * keeps its own record type and fields; a SlotLayout tells the table where the key lies.
 * The cell layout depends only on the hash and the order of insertions and removals, so a
 * plugin that walks its cells sees exactly the order its own hand-written table gave. */
typedef size_t (*SlotHashFn) (DmasJobId job, uint32_t epoch);

typedef struct {
  size_t size;      /* bytes per cell */
  size_t job;       /* offsetof the DmasJobId key in the record */
  size_t epoch;     /* offsetof the uint32_t key in the record */
  size_t live;      /* offsetof a uint8_t, nonzero in a live record; unused when indirect */
  int indirect;     /* cells hold pointers to the records, NULL when free */
  SlotHashFn hash;
} SlotLayout;

/* The layout of a table holding `Type` records in place, with the default hash; `live` names
 * the uint8_t field that is 0 only in a free cell. */
#define SLOT_LAYOUT(Type, live_field)                                                          \
  {                                                                                            \
    .size = sizeof (Type), .job = offsetof (Type, job), .epoch = offsetof (Type, epoch),       \
    .live = offsetof (Type, live_field), .hash = slot_table_hash,                             \
  }

/* The default hash: a SplitMix64 finaliser over job and rotated epoch. */
static inline size_t
slot_table_hash (DmasJobId job, uint32_t epoch)
{
  uint64_t z = job ^ ((uint64_t) epoch << 48 | (uint64_t) epoch >> 16);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (size_t) (z ^ (z >> 31));
}

static inline char *
slot_table_cell (const SlotLayout *l, void *cells, size_t i)
{
  return (char *) cells + i * l->size;
}

/* The record a cell holds, NULL when the cell is free. */
static inline char *
slot_table_record (const SlotLayout *l, char *cell)
{
  if (l->indirect)
    {
      char *p;
      memcpy (&p, cell, sizeof p);
      return p;
    }
  return cell[l->live] ? cell : NULL;
}

static inline DmasJobId
slot_table_job (const SlotLayout *l, const char *record)
{
  DmasJobId job;
  memcpy (&job, record + l->job, sizeof job);
  return job;
}

static inline uint32_t
slot_table_epoch (const SlotLayout *l, const char *record)
{
  uint32_t epoch;
  memcpy (&epoch, record + l->epoch, sizeof epoch);
  return epoch;
}

static inline size_t
slot_table_home (const SlotLayout *l, const char *record, size_t mask)
{
  return l->hash (slot_table_job (l, record), slot_table_epoch (l, record)) & mask;
}

/* The record of (job, epoch), or NULL. */
static inline void *
slot_table_lookup (const SlotLayout *l, void *cells, size_t capacity, DmasJobId job,
                   uint32_t epoch)
{
  size_t mask = capacity - 1;
  for (size_t i = l->hash (job, epoch) & mask;; i = (i + 1) & mask)
    {
      char *r = slot_table_record (l, slot_table_cell (l, cells, i));
      if (r == NULL)
        return NULL;
      if (slot_table_job (l, r) == job && slot_table_epoch (l, r) == epoch)
        return r;
    }
}

/* Copies `cell` (a record, or a record pointer when indirect) into the first free cell of its
 * probe run; the key must not be in the table yet and a free cell must exist. */
static inline void
slot_table_place (const SlotLayout *l, void *cells, size_t capacity, const void *cell)
{
  size_t mask = capacity - 1;
  char *record = l->indirect ? slot_table_record (l, (char *) cell) : (char *) cell;
  size_t i = slot_table_home (l, record, mask);
  while (slot_table_record (l, slot_table_cell (l, cells, i)) != NULL)
    i = (i + 1) & mask;
  memcpy (slot_table_cell (l, cells, i), cell, l->size);
}

/* Makes room for one more record, doubling the table when it would pass load 1/2.  Returns
 * DMAS_OK or DMAS_ENOMEM (the table is unchanged).  Direct records move when it grows. */
static inline int
slot_table_reserve (const SlotLayout *l, void **cells, size_t *capacity, size_t used)
{
  if (2 * (used + 1) <= *capacity)
    return DMAS_OK;
  size_t grown = *capacity * 2;
  void *table = calloc (grown, l->size);
  if (table == NULL)
    return DMAS_ENOMEM;
  for (size_t i = 0; i < *capacity; i++)
    {
      char *cell = slot_table_cell (l, *cells, i);
      if (slot_table_record (l, cell) != NULL)
        slot_table_place (l, table, grown, cell);
    }
  free (*cells);
  *cells = table;
  *capacity = grown;
  return DMAS_OK;
}

/* Adds `cell` (see slot_table_place), growing the table first.  Returns the new record (valid
 * until the next insertion or removal when records are direct), NULL when out of memory. */
static inline void *
slot_table_insert (const SlotLayout *l, void **cells, size_t *capacity, size_t *used,
                   const void *cell)
{
  if (slot_table_reserve (l, cells, capacity, *used) != DMAS_OK)
    return NULL;
  slot_table_place (l, *cells, *capacity, cell);
  (*used)++;
  const char *record = l->indirect ? slot_table_record (l, (char *) cell) : (const char *) cell;
  return slot_table_lookup (l, *cells, *capacity, slot_table_job (l, record),
                            slot_table_epoch (l, record));
}

/* Frees the cell holding `record` (zeroes it) and closes the gap by backward shift, so no
 * tombstones are needed.  The caller frees what the record owns first. */
static inline void
slot_table_remove (const SlotLayout *l, void *cells, size_t capacity, void *record)
{
  size_t mask = capacity - 1;
  size_t hole = slot_table_home (l, record, mask);
  while (slot_table_record (l, slot_table_cell (l, cells, hole)) != record)
    hole = (hole + 1) & mask;
  memset (slot_table_cell (l, cells, hole), 0, l->size);
  /* Pull later members of the probe run into the hole when their home position does not lie
   * cyclically within (hole, i]. */
  for (size_t i = (hole + 1) & mask;; i = (i + 1) & mask)
    {
      char *cell = slot_table_cell (l, cells, i);
      char *r = slot_table_record (l, cell);
      if (r == NULL)
        break;
      size_t home = slot_table_home (l, r, mask);
      int stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
      if (stays)
        continue;
      memcpy (slot_table_cell (l, cells, hole), cell, l->size);
      memset (cell, 0, l->size);
      hole = i;
    }
}

/* Position of `agent` in the sorted member list (the host's members()): 1 with *index set, or
 * 0 when it is not a member.  Every message's source goes through this check. */
static inline int
slot_member_index (const DmasAgentId *members, uint32_t n, DmasAgentId agent, uint32_t *index)
{
  uint32_t lo = 0, hi = n;
  while (lo < hi)
    {
      uint32_t mid = lo + (hi - lo) / 2;
      if (members[mid] < agent)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == n || members[lo] != agent)
    return 0;
  *index = lo;
  return 1;
}

#endif /* DMAS_PLUGINS_CONSENSUS_SLOT_TABLE_H */
