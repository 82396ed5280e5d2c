/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fault patterns through the real `dmas`: `agents` spellings, degrade, schedules, presets. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "../scenarios/scenario.h"
#include "engine/engine.h"

#define PREFIX "dmas-patterns"

/* Writes `text` to DIR/NAME.  Returns: (transfer full) its path. */
static gchar *
write_file (const gchar *dir, const gchar *name, const gchar *text)
{
  g_autoptr (GError) error = NULL;
  gchar *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* ---- agents ---- */

/* A count is "random:N", a list the ids (quoted, so that [1] stays agent 1 when the resolved
 * config is read back), strings unchanged; the resolved config reads back the same. */
static void
test_agents_canonical (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = write_file (
      f->tmpdir, "t.yaml",
      "name: t\nhorizon: 10s\nplatform: {agents: 4}\nworkload: {generator: constant, jobs: 1}\n"
      "faults:\n"
      "  - {type: crash, agents: 2}\n"
      "  - {type: crash, agents: [3, 0]}\n"
      "  - {type: crash, agents: [1]}\n"
      "  - {type: crash, agents: \"2\"}\n");
  const gchar *args[] = { "config", config, NULL };
  g_autofree gchar *out = NULL;

  g_assert_cmpint (scen_dmas (args, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "- type: crash\n  agents: random:2\n"));
  g_assert_nonnull (strstr (out, "- type: crash\n  agents: \"3,0\"\n"));
  g_assert_nonnull (strstr (out, "- type: crash\n  agents: \"1\"\n"));
  g_assert_nonnull (strstr (out, "- type: crash\n  agents: \"2\"\n"));

  g_autofree gchar *again = write_file (f->tmpdir, "resolved.yaml", out);
  const gchar *args2[] = { "config", again, NULL };
  g_autofree gchar *out2 = NULL;
  g_assert_cmpint (scen_dmas (args2, &out2, NULL), ==, 0);
  g_assert_cmpstr (out2, ==, out);
}

static void
test_agents_bad (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = write_file (
      f->tmpdir, "t.yaml",
      "name: t\nhorizon: 10s\nplatform: {agents: 4}\nworkload: {generator: constant, jobs: 1}\n"
      "faults:\n"
      "  - {type: crash, agents: [0, x]}\n");
  const gchar *args[] = { "config", config, NULL };
  g_autofree gchar *err = NULL;

  g_assert_cmpint (scen_dmas (args, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "t.yaml:6:31: faults[0].agents[1]: not an agent id; write "
                                 "agent ids such as [0, 3]"));
}

/* ---- degrade ---- */

/* The single job row of jobs.csv in OUT. */
static gchar *
job_row (const gchar *out)
{
  g_autofree gchar *text = scen_read_file (out, "jobs.csv");
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  return g_strdup (lines[1]);
}

static gchar *
run_recover (ScenFixture *f, const gchar *name, const gchar *faults)
{
  g_autofree gchar *config = scen_src_path ("tests/scenarios/crash-recover.yaml");
  gchar *out = g_build_filename (f->tmpdir, name, NULL);
  g_autofree gchar *set = g_strdup_printf ("faults=%s", faults);
  const gchar *extra[] = { "--set", set, NULL };

  scen_run (config, out, extra);
  return out;
}

/* tests/scenarios/crash-recover.yaml without its crash: b runs the 100 s job from 0.004 s.
 * Slowed down x2 from 30 s to 50 s, the job does 10 s of work in those 20 s, so it ends
 * 10 s late, at 110.004 s.  The host logs the onset and the end with the factor. */
static void
test_degrade_job (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *out = run_recover (f, "window",
                                       "[{type: degrade, agents: \"1\", factor: 2, at: 30s, "
                                       "for: 20s}]");
  g_autofree gchar *row = job_row (out);
  g_assert_cmpstr (row, ==, "1,0,1,150,0.004,110,110.004,0.004,110.004,1.00003636,1,"
                            "COMPLETED_SUCCESSFULLY,,");
  g_autofree gchar *jsonl = scen_read_file (out, "faults.jsonl");
  g_assert_true (g_str_has_prefix (jsonl, "{\"t\":30,\"fault\":\"degrade\",\"agent\":1,"
                                          "\"factor\":2.0,\"source\":\"degrade#0\","));
  g_assert_nonnull (strstr (jsonl, "\n{\"t\":50,\"fault\":\"degrade_end\",\"agent\":1,"
                                   "\"factor\":1.0,\"source\":\"degrade#0\","));
  g_assert_cmpint (scen_summary_int (out, "faults_injected"), ==, 1);
}

/* Messages: with b slowed x2 from the start, every message to or from b takes 1 ms more
 * (latency 1 ms): the announcement reaches b at 0.003 s, its bid is at a at 0.005 s (c's at
 * 0.003 s), the award reaches b at 0.007 s.  The job then runs 200 s and hits its 150 s
 * walltime.  With a (the auctioneer) slowed x3, every hop of the auction takes 3 ms: the
 * submission reaches a at 0.003 s, the announcement b at 0.006 s, the bids a at 0.009 s,
 * the award b at 0.012 s; b is at full speed, so the job runs 100 s. */
static void
test_degrade_messages (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *b = run_recover (f, "b", "[{type: degrade, agents: \"1\", factor: 2}]");
  g_autofree gchar *row_b = job_row (b);
  g_assert_cmpstr (row_b, ==, "1,0,1,150,0.007,150,150.007,0.007,150.007,1.00004667,1,"
                              "COMPLETED_WALLTIME_REACHED,,");

  g_autofree gchar *a = run_recover (f, "a", "[{type: degrade, agents: [0], factor: 3}]");
  g_autofree gchar *row_a = job_row (a);
  g_assert_cmpstr (row_a, ==, "1,0,1,150,0.012,100,100.012,0.012,100.012,1.00012,1,"
                              "COMPLETED_SUCCESSFULLY,,");
}

static void
test_degrade_bad (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scen_src_path ("tests/scenarios/crash-recover.yaml");
  g_autofree gchar *out = g_build_filename (f->tmpdir, "bad", NULL);
  const gchar *args[] = { "run", config, "-o", out, "-q", "--set",
                          "faults=[{type: degrade, factor: 0.5}]", NULL };
  g_autofree gchar *err = NULL;

  g_assert_cmpint (scen_dmas (args, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "fault/degrade: factor: 0.5 must be more than 1"));
}

/* ---- schedule ---- */

/* The members of a faults.jsonl line that describe the fault itself (not the entry that
 * logged it): "t", "fault", "agent" and the host's details for that kind of fault (other
 * members are the logging entry's parameters, which may share a name: a partition entry's
 * `fraction`). */
static const struct {
  const gchar *fault;
  const gchar *members;
} fault_members[] = {
  { "partition", "groups reach with" },
  { "heal", "groups reach with" },
  { "link", "from to loss duplicate reorder corrupt undetected delay jitter" },
  { "link_end", "from to loss duplicate reorder corrupt undetected delay jitter" },
  { "byzantine", "strategy fraction split" },
  { "byzantine_end", "strategy" },
  { "degrade", "factor" },
  { "degrade_end", "factor" },
};

static void
append_member (GString *events, JsonObject *o, const gchar *name)
{
  if (!json_object_has_member (o, name))
    return;
  JsonNode *node = json_object_get_member (o, name);
  /* An equivocation's twins are a list; a `split` string is the entry's parameter. */
  if (strcmp (name, "split") == 0 && !JSON_NODE_HOLDS_ARRAY (node))
    return;
  g_autofree gchar *v = json_to_string (node, FALSE);
  g_string_append_printf (events, "%s=%s ", name, v);
}

static gchar *
fault_events (const gchar *out)
{
  g_autofree gchar *text = scen_read_file (out, "faults.jsonl");
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *events = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      JsonObject *o = json_node_get_object (json_parser_get_root (parser));
      const gchar *fault = json_object_get_string_member (o, "fault");
      append_member (events, o, "t");
      append_member (events, o, "fault");
      append_member (events, o, "agent");
      for (gsize k = 0; k < G_N_ELEMENTS (fault_members); k++)
        if (strcmp (fault, fault_members[k].fault) == 0)
          {
            g_auto (GStrv) names = g_strsplit (fault_members[k].members, " ", -1);
            for (guint m = 0; names[m] != NULL; m++)
              append_member (events, o, names[m]);
          }
      g_string_append_c (events, '\n');
    }
  return g_string_free (events, FALSE);
}

/* Every summary member except those that count the run's own machinery: dispatched events
 * (a crash timer that finds its agent down is an event of the first run, and not of the
 * replay), the trace digest over them, wall clock and the config. */
static void
assert_same_summary (const gchar *a, const gchar *b)
{
  g_autoptr (JsonObject) sa = scen_summary (a);
  g_autoptr (JsonObject) sb = scen_summary (b);
  g_autoptr (GList) members = json_object_get_members (sa);
  guint compared = 0;

  for (GList *l = members; l != NULL; l = l->next)
    {
      const gchar *name = l->data;
      if (strcmp (name, "events") == 0 || strcmp (name, "trace_digest") == 0
          || strcmp (name, "wall_clock") == 0 || strcmp (name, "config") == 0)
        continue;
      g_assert_true (json_object_has_member (sb, name));
      g_autofree gchar *va = json_to_string (json_object_get_member (sa, name), FALSE);
      g_autofree gchar *vb = json_to_string (json_object_get_member (sb, name), FALSE);
      if (strcmp (va, vb) != 0)
        g_test_message ("summary %s: %s vs %s", name, va, vb);
      g_assert_cmpstr (va, ==, vb);
      compared++;
    }
  g_assert_cmpuint (compared, >, 20);
}

/* A run with random faults of every kind, then the same config with its faults.jsonl as
 * the only fault entry: the same faults at the same times, and the same results (the failure
 * detector on: heartbeats lost to the partition and the link fault must not change when it
 * stops). */
static void
test_schedule_round_trip (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scen_src_path ("tests/scenarios/crash-30s.yaml");
  g_autofree gchar *first = g_build_filename (f->tmpdir, "first", NULL);
  g_autofree gchar *again = g_build_filename (f->tmpdir, "again", NULL);
  const gchar *faults =
      "faults=[{type: crash, agents: all, pattern: cascading, mtbf: 100s, mttr: 10s, count: 2, "
      "cascade_window: 10s}, {type: partition, groups: minority, at: 20s, for: 30s}, "
      "{type: link, loss: 0.05, delay: 20ms, corrupt: 0.01, at: 10s, for: 50s}, "
      "{type: byzantine, agents: 1, strategy: omit, at: 5s, for: 40s}, "
      "{type: degrade, agents: 1, factor: 3, pattern: random, mtbf: 30s, for: 10s, count: 3}]";
  const gchar *extra[] = { "--set", faults, "--set", "platform={agents: 5}", NULL };

  scen_run (config, first, extra);
  g_autofree gchar *log = g_build_filename (first, "faults.jsonl", NULL);
  g_autofree gchar *schedule = g_strdup_printf ("faults=[{type: schedule, file: '%s'}]", log);
  const gchar *extra2[] = { "--set", schedule, "--set", "platform={agents: 5}", NULL };
  scen_run (config, again, extra2);

  g_autofree gchar *ea = fault_events (first);
  g_autofree gchar *eb = fault_events (again);
  g_assert_cmpstr (ea, ==, eb);
  /* Every kind happened (onsets and ends). */
  static const gchar *const kinds[] = { "crash", "restart", "partition", "heal", "link",
                                        "link_end", "byzantine", "byzantine_end", "degrade",
                                        "degrade_end" };
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree gchar *needle = g_strdup_printf ("fault=\"%s\" ", kinds[k]);
      g_assert_nonnull (strstr (ea, needle));
    }
  g_autofree gchar *jsonl = scen_read_file (again, "faults.jsonl");
  g_assert_nonnull (strstr (jsonl, "\"source\":\"schedule#0\""));
  assert_same_summary (first, again);
}

/* Hand-written lines: times as durations or seconds, ends from "for", in file order; a
 * relative `file` is read from the config file's directory. */
static void
test_schedule_inline (ScenFixture *f, gconstpointer data)
{
  (void) data;
  write_file (f->tmpdir, "timeline.jsonl",
              "{\"t\":\"30s\",\"fault\":\"crash\",\"agent\":1}\n"
              "\n"
              "{\"t\":40.5,\"fault\":\"restart\",\"agent\":1}\n");
  g_autofree gchar *config = write_file (
      f->tmpdir, "t.yaml",
      "name: t\nseed: 3\nhorizon: 100s\nplatform: {agents: 4}\n"
      "workload: {generator: constant, jobs: 20}\n"
      "faults:\n"
      "  - type: schedule\n"
      "    file: timeline.jsonl\n"
      "    inline: |\n"
      "      {\"t\":\"10s\",\"fault\":\"partition\",\"groups\":[[0,1],[2,3]],\"for\":\"5s\"}\n"
      "      {\"t\":\"20s\",\"fault\":\"degrade\",\"agent\":2,\"factor\":4,\"for\":1.25}\n");
  g_autofree gchar *out = g_build_filename (f->tmpdir, "out", NULL);
  scen_run (config, out, NULL);

  g_autofree gchar *events = fault_events (out);
  g_assert_cmpstr (events, ==,
                   "t=10 fault=\"partition\" groups=[[0,1],[2,3]] \n"
                   "t=15 fault=\"heal\" groups=[[0,1],[2,3]] \n"
                   "t=20 fault=\"degrade\" agent=2 factor=4.0 \n"
                   "t=21.25 fault=\"degrade_end\" agent=2 factor=1.0 \n"
                   "t=30 fault=\"crash\" agent=1 \n"
                   "t=40.5 fault=\"restart\" agent=1 \n");
}

static void
test_schedule_bad (ScenFixture *f, gconstpointer data)
{
  (void) data;
  static const struct {
    const gchar *line;
    const gchar *message;
  } cases[] = {
    { "{\"t\":5,\"fault\":\"melt\"}", "inline:2: unknown \"fault\"" },
    { "{\"t\":\"soon\",\"fault\":\"crash\",\"agent\":1}", "inline:2: \"t\" must be seconds" },
    { "{\"t\":5,\"fault\":\"crash\",\"agent\":9}", "inline:2: \"agent\" must be an agent id" },
    { "{\"t\":5,\"fault\":\"crash\",\"agent\":1", "inline:2: expected ',' or '}'" },
    { "{\"t\":5,\"fault\":\"heal\"}", "inline:2: give the \"id\" of the earlier line" },
    { "{\"t\":5,\"fault\":\"partition\",\"groups\":[[0,1],[1]]}",
      "inline:2: an agent is in two groups" },
  };
  g_autofree gchar *config = scen_src_path ("tests/scenarios/crash-30s.yaml");
  g_autofree gchar *out = g_build_filename (f->tmpdir, "bad", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* Line 1 is fine: the error names line 2. */
      g_autofree gchar *text = g_strdup_printf ("{\"t\":1,\"fault\":\"crash\",\"agent\":0}\n%s",
                                                cases[i].line);
      /* A YAML double-quoted scalar: \" for the quotes, \n for the line break. */
      g_autofree gchar *escaped = g_strescape (text, NULL);
      g_autofree gchar *set = g_strdup_printf ("faults=[{type: schedule, inline: \"%s\"}]",
                                               escaped);
      const gchar *args[] = { "run", config, "-o", out, "-q", "--set", set, NULL };
      g_autofree gchar *err = NULL;

      g_assert_cmpint (scen_dmas (args, NULL, &err), ==, 2);
      g_assert_nonnull (strstr (err, cases[i].message));
    }
  const gchar *args[] = { "run", config, "-o", out, "-q", "--set",
                          "faults=[{type: schedule, file: no-such.jsonl}]", NULL };
  g_autofree gchar *err = NULL;
  g_assert_cmpint (scen_dmas (args, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "no-such.jsonl'; give the path of a JSON Lines file"));
}

/* ---- presets ---- */

static gchar *
dmas_config_out (const gchar *faults, const gchar *platform, const gchar *seed)
{
  g_autofree gchar *config = scen_src_path ("tests/scenarios/crash-30s.yaml");
  g_autofree gchar *set = g_strdup_printf ("faults=%s", faults);
  g_autofree gchar *set_seed = g_strdup_printf ("world_seed=%s", seed);
  const gchar *args[] = { "config", config, "--set", set, "--set", platform, "--set", set_seed,
                          NULL };
  gchar *out = NULL;

  g_assert_cmpint (scen_dmas (args, &out, NULL), ==, 0);
  return out;
}

/* The expansion is the documented draws of the world stream "faults/preset": per fault the
 * type (uniform over `types`), the onset in [10 %, 50 %] and the duration in [10 %, 30 %] of
 * the 200 s horizon, whole ms; each fault aims at round(share x 10) agents. */
static void
test_preset_expansion (ScenFixture *f, gconstpointer data)
{
  (void) f;
  (void) data;
  static const struct {
    const gchar *name;
    guint faults, k;
  } levels[] = { { "light", 1, 2 }, { "medium", 2, 3 }, { "heavy", 3, 4 }, { "chaos", 5, 6 } };
  static const gchar *const types[] = { "crash", "partition", "link", "byzantine", "degrade" };
  const guint64 world_seed = (guint32) g_test_rand_int ();
  g_autofree gchar *seed_text = g_strdup_printf ("%" G_GUINT64_FORMAT, world_seed);

  for (gsize l = 0; l < G_N_ELEMENTS (levels); l++)
    {
      g_autofree gchar *faults = g_strdup_printf ("{intensity: %s}", levels[l].name);
      g_autofree gchar *out = dmas_config_out (faults, "platform={agents: 10}", seed_text);
      g_autoptr (DmasEngine) engine = dmas_engine_new (5);
      dmas_engine_set_world_seed (engine, world_seed);
      GRand *rng = dmas_engine_world_rng (engine, "faults/preset");
      const gchar *p = strstr (out, "\nfaults:\n");
      guint n = 0;

      g_assert_nonnull (p);
      for (const gchar *q = p; (q = strstr (q, "\n- type: ")) != NULL; q++)
        n++;
      g_assert_cmpuint (n, ==, levels[l].faults);
      for (guint i = 0; i < levels[l].faults; i++)
        {
          const gchar *type = types[MIN ((guint) (g_rand_double (rng) * 5), 4u)];
          guint64 at = (guint64) (200000.0 * (0.1 + 0.4 * g_rand_double (rng)));
          guint64 length = (guint64) (200000.0 * (0.1 + 0.2 * g_rand_double (rng)));
          g_autofree gchar *head = g_strdup_printf ("\n- type: %s\n", type);
          g_autofree gchar *agents = g_strdup_printf (": random:%u\n", levels[l].k);
          g_autofree gchar *at_text = g_strdup_printf ("\n  at: %" G_GUINT64_FORMAT "ms\n", at);
          g_autofree gchar *len_text = g_strdup_printf (
              "\n  %s: %" G_GUINT64_FORMAT "ms\n",
              strcmp (type, "crash") == 0 ? "restart_after" : "for", length);

          g_test_message ("%s fault %u: %s at %" G_GUINT64_FORMAT " for %" G_GUINT64_FORMAT,
                          levels[l].name, i, type, at, length);
          p = strstr (p, head);
          g_assert_nonnull (p);
          const gchar *next = strstr (p + 1, "\n- type: ");
          g_autofree gchar *entry = next != NULL ? g_strndup (p, (gsize) (next - p + 1))
                                                 : g_strdup (p);
          g_assert_nonnull (strstr (entry, agents));
          g_assert_nonnull (strstr (entry, at_text));
          g_assert_nonnull (strstr (entry, len_text));
          p++;
        }
    }
}

/* `types` restricts the draw; `none` is no fault; the same seed gives the same list; the
 * resolved config, run again, injects the same faults. */
static void
test_preset_types_and_replay (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *a = dmas_config_out ("{intensity: chaos, types: [degrade]}",
                                         "platform={agents: 10}", "7");
  g_autofree gchar *b = dmas_config_out ("{intensity: chaos, types: [degrade]}",
                                         "platform={agents: 10}", "7");
  g_assert_cmpstr (a, ==, b);
  guint n = 0;
  for (const gchar *p = a; (p = strstr (p, "\n- type: ")) != NULL; p++)
    {
      g_assert_true (g_str_has_prefix (p, "\n- type: degrade\n"));
      n++;
    }
  g_assert_cmpuint (n, ==, 5);
  g_autofree gchar *none = dmas_config_out ("{intensity: none}", "platform={agents: 10}", "7");
  g_assert_nonnull (strstr (none, "\nfaults: []\n"));

  g_autofree gchar *config = scen_src_path ("tests/scenarios/crash-30s.yaml");
  g_autofree gchar *first = g_build_filename (f->tmpdir, "first", NULL);
  g_autofree gchar *again = g_build_filename (f->tmpdir, "again", NULL);
  /* Faults that drop messages (link loss, partitions) can leave the auction waiting for a
   * lost message forever (a deadlock the run reports): crashes and degradations only here. */
  const gchar *extra[] = { "--set", "faults={intensity: heavy, types: [crash, degrade]}",
                           "--set", "platform={agents: 6}", NULL };
  scen_run (config, first, extra);
  g_autofree gchar *resolved = g_build_filename (first, "config.resolved.yaml", NULL);
  scen_run (resolved, again, NULL);
  g_autofree gchar *la = scen_read_file (first, "faults.jsonl");
  g_autofree gchar *lb = scen_read_file (again, "faults.jsonl");
  g_assert_cmpstr (la, ==, lb);
  g_assert_cmpint (scen_summary_int (first, "faults_injected"), >=, 1);
}

static void
test_preset_bad (ScenFixture *f, gconstpointer data)
{
  (void) f;
  (void) data;
  static const struct {
    const gchar *faults;
    const gchar *message;
  } cases[] = {
    { "faults={intensity: extreme}",
      "faults.intensity: 'extreme' is not one of none, light, medium, heavy, chaos" },
    { "faults={intensity: light, types: [crash, fire]}",
      "faults.types[1]: 'fire' is not one of crash, partition, link, byzantine, degrade" },
    { "faults={intensty: light}", "faults.intensty: unknown key; a preset takes intensity" },
    { "faults={types: [crash]}", "faults: a preset needs 'intensity'" },
    { "faults={intensity: light, pattern: fixed}",
      "faults.pattern: 'fixed' is not one of random" },
    { "faults={intensity: light, types: []}", "faults.types: give a list of fault types" },
  };
  g_autofree gchar *config = scen_src_path ("tests/scenarios/crash-30s.yaml");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const gchar *args[] = { "config", config, "--set", cases[i].faults, NULL };
      g_autofree gchar *err = NULL;
      g_assert_cmpint (scen_dmas (args, NULL, &err), ==, 2);
      g_assert_nonnull (strstr (err, cases[i].message));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) \
  g_test_add (path, ScenFixture, PREFIX, scen_fixture_setup, fn, scen_fixture_teardown)
  ADD ("/patterns/agents/canonical", test_agents_canonical);
  ADD ("/patterns/agents/bad", test_agents_bad);
  ADD ("/patterns/degrade/job", test_degrade_job);
  ADD ("/patterns/degrade/messages", test_degrade_messages);
  ADD ("/patterns/degrade/bad", test_degrade_bad);
  ADD ("/patterns/schedule/round-trip", test_schedule_round_trip);
  ADD ("/patterns/schedule/inline", test_schedule_inline);
  ADD ("/patterns/schedule/bad", test_schedule_bad);
  ADD ("/patterns/preset/expansion", test_preset_expansion);
  ADD ("/patterns/preset/types-and-replay", test_preset_types_and_replay);
  ADD ("/patterns/preset/bad", test_preset_bad);
#undef ADD
  return g_test_run ();
}
