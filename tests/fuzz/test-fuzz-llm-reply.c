/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs the reply parser's fuzz target over its corpus, and over deterministic mutations of it. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "fuzz-llm-reply.h"

/* Mutants per corpus file: enough to reach the parser's error paths from every seed, little
 * enough for make check (the whole run takes well under a second). */
#define MUTANTS_PER_FILE 500

typedef struct {
  gchar *name;
  GBytes *bytes;
} Seed;

static void
seed_free (gpointer data)
{
  Seed *s = data;

  g_free (s->name);
  g_bytes_unref (s->bytes);
  g_free (s);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(Seed *const *) a)->name, (*(Seed *const *) b)->name);
}

/* The corpus files, in name order. */
static GPtrArray *
load_corpus (void)
{
  const gchar *srcdir = g_getenv ("DMAS_SRCDIR");
  g_autofree gchar *dir = g_build_filename (srcdir != NULL ? srcdir : DMAS_ABS_SRCDIR, "tests",
                                            "fuzz", "corpus", "llm-reply", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = g_dir_open (dir, 0, &error);
  GPtrArray *seeds = g_ptr_array_new_with_free_func (seed_free);
  const gchar *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      gchar *data = NULL;
      gsize len = 0;
      Seed *s = g_new0 (Seed, 1);

      g_assert_true (g_file_get_contents (path, &data, &len, &error));
      g_assert_no_error (error);
      s->name = g_strdup (name);
      s->bytes = g_bytes_new_take (data, len);
      g_ptr_array_add (seeds, s);
    }
  g_ptr_array_sort (seeds, compare_names);
  return seeds;
}

/* Seeds named valid-* must be accepted, invalid-* refused; others may go either way. */
static void
test_corpus (void)
{
  g_autoptr (GPtrArray) seeds = load_corpus ();
  guint n_valid = 0, n_invalid = 0;

  g_assert_cmpuint (seeds->len, >=, 20);
  for (guint i = 0; i < seeds->len; i++)
    {
      Seed *s = g_ptr_array_index (seeds, i);
      gsize len;
      const guint8 *data = g_bytes_get_data (s->bytes, &len);
      gboolean accepted = fuzz_llm_reply_one (data, len);

      if (g_str_has_prefix (s->name, "valid-"))
        {
          if (!accepted)
            g_error ("%s: refused, expected accepted", s->name);
          n_valid++;
        }
      else if (g_str_has_prefix (s->name, "invalid-"))
        {
          if (accepted)
            g_error ("%s: accepted, expected refused", s->name);
          n_invalid++;
        }
    }
  g_assert_cmpuint (n_valid, >=, 5);
  g_assert_cmpuint (n_invalid, >=, 10);
}

/* Bytes that steer a JSON parser into its interesting states. */
static const guint8 SPECIAL[] = { '{', '}', '[', ']', '"', '\\', ',', ':', '0', '1', '-', '+',
                                  'e', '.', 'u', 'n', 't', 'f', ' ', '\n', '`', 0x00, 0x1f,
                                  0x7f, 0x80, 0xc3, 0xed, 0xf0, 0xff };

/* GByteArray has no insert; rebuild the tail. */
static void
insert (GByteArray *buf, guint at, const guint8 *bytes, guint n)
{
  g_autofree guint8 *tail = g_memdup2 (buf->data + at, buf->len - at);
  guint tail_len = buf->len - at;

  g_byte_array_set_size (buf, at);
  g_byte_array_append (buf, bytes, n);
  g_byte_array_append (buf, tail, tail_len);
}

static void
mutate (GRand *rand, GByteArray *buf)
{
  guint n_steps = (guint) g_rand_int_range (rand, 1, 5);

  for (guint step = 0; step < n_steps; step++)
    {
      guint len = buf->len;
      guint at = len > 0 ? (guint) g_rand_int_range (rand, 0, (gint32) len) : 0;

      switch (g_rand_int_range (rand, 0, 6))
        {
        case 0: /* flip one bit */
          if (len > 0)
            buf->data[at] ^= (guint8) (1u << g_rand_int_range (rand, 0, 8));
          break;
        case 1: /* truncate */
          g_byte_array_set_size (buf, at);
          break;
        case 2: /* overwrite with a special byte */
          if (len > 0)
            buf->data[at] = SPECIAL[g_rand_int_range (rand, 0, G_N_ELEMENTS (SPECIAL))];
          break;
        case 3: /* insert a special byte */
          {
            guint8 b = SPECIAL[g_rand_int_range (rand, 0, G_N_ELEMENTS (SPECIAL))];

            insert (buf, at, &b, 1);
          }
          break;
        case 4: /* delete a run */
          if (len > 0)
            {
              guint n = (guint) g_rand_int_range (rand, 1, 9); /* not inside MIN (): twice */

              g_byte_array_remove_range (buf, at, MIN (len - at, n));
            }
          break;
        default: /* duplicate a run (grows nesting, repeats members) */
          if (len > 0)
            {
              guint n = (guint) g_rand_int_range (rand, 1, 17);
              g_autofree guint8 *copy = NULL;

              n = MIN (len - at, n);
              copy = g_memdup2 (buf->data + at, n);

              insert (buf, at, copy, n);
            }
          break;
        }
    }
}

static void
test_mutations (void)
{
  g_autoptr (GPtrArray) seeds = load_corpus ();
  guint accepted = 0, total = 0;

  for (guint i = 0; i < seeds->len; i++)
    {
      Seed *s = g_ptr_array_index (seeds, i);
      /* Fixed per file, so the run is the same every time and a failure names its mutant. */
      g_autoptr (GRand) rand = g_rand_new_with_seed (g_str_hash (s->name) ^ 0x5eedu);

      for (guint m = 0; m < MUTANTS_PER_FILE; m++)
        {
          gsize len;
          const guint8 *data = g_bytes_get_data (s->bytes, &len);
          g_autoptr (GByteArray) buf = g_byte_array_sized_new ((guint) len + 32);

          g_byte_array_append (buf, data, (guint) len);
          mutate (rand, buf);
          if (g_test_verbose ())
            g_test_message ("%s mutant %u (%u bytes)", s->name, m, buf->len);
          accepted += fuzz_llm_reply_one (buf->data, buf->len);
          total++;
        }
    }
  /* Mutants of the valid seeds that only touch string contents stay valid: a run where none is
   * accepted would mean the mutator (or the parser) went wrong. */
  g_assert_cmpuint (accepted, >, 0);
  g_assert_cmpuint (accepted, <, total);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fuzz/llm-reply/corpus", test_corpus);
  g_test_add_func ("/fuzz/llm-reply/mutations", test_mutations);
  return g_test_run ();
}
