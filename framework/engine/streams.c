/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Named random streams: one GRand per name, seeded from a stable hash of (run seed, name). */
#include "config.h"

#include "engine/engine-private.h"

/* The seed of a stream depends only on the run seed and its own name, so adding an agent or a
 * plugin (a new name) never shifts the numbers any other stream draws.  The hash is written
 * here rather than taken from g_str_hash so that it is pinned forever: FNV-1a 64 over the name's
 * bytes, mixed with the run seed through the splitmix64 finaliser, whose avalanche keeps
 * neighbouring seeds and names far apart. */

static guint64
splitmix64_next (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static guint64
fnv1a64 (const gchar *s)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      h ^= *p;
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  return h;
}

guint64
dmas_engine_stream_seed (guint64 run_seed, const gchar *stream)
{
  g_return_val_if_fail (stream != NULL, 0);

  guint64 state = run_seed;
  guint64 mixed = splitmix64_next (&state) ^ fnv1a64 (stream);
  return splitmix64_next (&mixed);
}

GHashTable *
dmas_engine_streams_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_rand_free);
}

static GRand *
stream_get (GHashTable *streams, guint64 seed, const gchar *stream)
{
  GRand *rng = g_hash_table_lookup (streams, stream);
  if (rng != NULL)
    return rng;

  /* GRand is a Mersenne Twister: a single 32-bit seed would leave most of the 64-bit stream
   * seed unused, so it gets four words expanded from it. */
  guint64 state = dmas_engine_stream_seed (seed, stream);
  guint32 words[4];
  for (guint i = 0; i < G_N_ELEMENTS (words); i += 2)
    {
      guint64 w = splitmix64_next (&state);
      words[i] = (guint32) w;
      words[i + 1] = (guint32) (w >> 32);
    }
  rng = g_rand_new_with_seed_array (words, G_N_ELEMENTS (words));
  g_hash_table_insert (streams, g_strdup (stream), rng);
  return rng;
}

GRand *
dmas_engine_rng (DmasEngine *engine, const gchar *stream)
{
  g_return_val_if_fail (stream != NULL, NULL);
  return stream_get (engine->streams, engine->seed, stream);
}

void
dmas_engine_set_world_seed (DmasEngine *engine, guint64 world_seed)
{
  /* Before the first draw only: a stream already seeded would mix two seeds in one run. */
  g_return_if_fail (g_hash_table_size (engine->world_streams) == 0);
  engine->world_seed = world_seed;
}

/* A table of its own: the same name may be both a world and a run stream, and must then be
 * two generators when the seeds differ. */
GRand *
dmas_engine_world_rng (DmasEngine *engine, const gchar *stream)
{
  g_return_val_if_fail (stream != NULL, NULL);
  return stream_get (engine->world_streams, engine->world_seed, stream);
}
