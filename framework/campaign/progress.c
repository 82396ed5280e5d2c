/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Campaign progress on stderr: a redrawn bar, or one JSON line per finished run. */
#include "config.h"

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "campaign/progress.h"

#define BAR_WIDTH 20

void
dmas_progress_init (DmasProgress *p, DmasProgressMode mode, guint total, guint done)
{
  *p = (DmasProgress) { .mode = mode, .total = total, .done = done, .done_before = done,
                        .start_us = g_get_monotonic_time () };
}

static void
append_clock (GString *out, gdouble seconds)
{
  guint64 s = (guint64) (seconds + 0.5);
  if (s >= 3600)
    g_string_append_printf (out, "%" G_GUINT64_FORMAT ":%02u:%02u", s / 3600,
                            (guint) (s / 60 % 60), (guint) (s % 60));
  else
    g_string_append_printf (out, "%u:%02u", (guint) (s / 60), (guint) (s % 60));
}

static void
draw (DmasProgress *p)
{
  gdouble elapsed = (gdouble) (g_get_monotonic_time () - p->start_us) / G_USEC_PER_SEC;
  guint filled = p->total > 0 ? p->done * BAR_WIDTH / p->total : BAR_WIDTH;
  g_autoptr (GString) line = g_string_new ("\r[");
  for (guint i = 0; i < BAR_WIDTH; i++)
    g_string_append_c (line, i < filled ? '#' : '-');
  g_string_append_printf (line, "] %u/%u runs, %u failed, ", p->done, p->total, p->failed);
  append_clock (line, elapsed);
  g_string_append (line, " elapsed, ETA ");
  /* Only this session's runs tell how fast the rest will go. */
  guint now = p->done - p->done_before;
  if (now > 0)
    append_clock (line, elapsed / now * (p->total - p->done));
  else
    g_string_append (line, "-:--");
  g_string_append (line, "\033[K");
  fputs (line->str, stderr);
  fflush (stderr);
  p->drawn = TRUE;
}

void
dmas_progress_run_done (DmasProgress *p, const gchar *id, const gchar *status, gboolean failed)
{
  p->done++;
  if (failed)
    p->failed++;
  if (p->mode == DMAS_PROGRESS_BAR)
    {
      draw (p);
      return;
    }
  if (p->mode != DMAS_PROGRESS_JSONL)
    return;
  gdouble elapsed = (gdouble) (g_get_monotonic_time () - p->start_us) / G_USEC_PER_SEC;
  g_autoptr (JsonNode) id_node = json_node_init_string (json_node_alloc (), id);
  g_autoptr (JsonNode) status_node = json_node_init_string (json_node_alloc (), status);
  g_autofree gchar *id_json = json_to_string (id_node, FALSE);
  g_autofree gchar *status_json = json_to_string (status_node, FALSE);
  gchar seconds[G_ASCII_DTOSTR_BUF_SIZE];
  /* Written by hand: json-glib prints doubles with 17 digits, milliseconds are enough. */
  g_ascii_formatd (seconds, sizeof seconds, "%.3f", elapsed);
  g_autofree gchar *text = g_strdup_printf (
      "{\"id\":%s,\"status\":%s,\"done\":%u,\"total\":%u,\"failed\":%u,\"elapsed_s\":%s}",
      id_json, status_json, p->done, p->total, p->failed, seconds);
  fprintf (stderr, "%s\n", text);
  fflush (stderr);
}

void
dmas_progress_tick (DmasProgress *p)
{
  if (p->mode == DMAS_PROGRESS_BAR)
    draw (p);
}

void
dmas_progress_message (DmasProgress *p, const gchar *line)
{
  if (p->drawn)
    fputs ("\r\033[K", stderr);
  fprintf (stderr, "%s\n", line);
  if (p->drawn)
    draw (p);
  fflush (stderr);
}

void
dmas_progress_end (DmasProgress *p)
{
  if (p->drawn)
    {
      fputc ('\n', stderr);
      p->drawn = FALSE;
    }
}
