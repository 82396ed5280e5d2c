/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loads each hostile plugin and checks the exact refusal, and that an older-minor plugin works. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <dmas/dmas.h>
#include "plugin/registry.h"

/* ---- where the check plugins are --------------------------------------------------------- */

static gchar *
plugin_path (const gchar *name)
{
  const gchar *builddir = g_getenv ("DMAS_BUILDDIR");
  g_autofree gchar *file = g_strconcat (name, ".so", NULL);

  return g_build_filename (builddir != NULL ? builddir : DMAS_ABS_BUILDDIR, "tests", "abi",
                           ".libs", file, NULL);
}

static void
copy_file (const gchar *from, const gchar *to, int mode)
{
  g_autofree gchar *bytes = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (from, &bytes, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, bytes, (gssize) len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (to, mode), ==, 0);
}

static void
remove_tree (const gchar *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const gchar *entry;

  if (dir != NULL)
    {
      while ((entry = g_dir_read_name (dir)) != NULL)
        {
          g_autofree gchar *child = g_build_filename (path, entry, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR)
              && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

/* ---- registry snapshots: a refusal must leave no trace ----------------------------------- */

static gchar *
snapshot (DmasRegistry *registry)
{
  g_autoptr (GPtrArray) list = dmas_registry_list (registry);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < list->len; i++)
    {
      const DmasComponentInfo *info = g_ptr_array_index (list, i);
      g_string_append_printf (out, "%s/%s %s\n", dmas_kind_to_string (info->kind), info->name,
                              info->file);
    }
  return g_string_free (out, FALSE);
}

/* A registry with good-old-minor loaded, so that "unchanged" means something. */
static DmasRegistry *
registry_with_old_minor (void)
{
  DmasRegistry *registry = dmas_registry_new ();
  g_autofree gchar *path = plugin_path ("good-old-minor");
  g_autoptr (GError) error = NULL;

  g_assert_true (dmas_registry_load_file (registry, path, &error));
  g_assert_no_error (error);
  return registry;
}

static void
assert_refused_path (const gchar *path, gint code, const gchar *expected)
{
  g_autoptr (DmasRegistry) registry = registry_with_old_minor ();
  g_autofree gchar *before = snapshot (registry);
  g_autofree gchar *after = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_false (dmas_registry_load_file (registry, path, &error));
  g_assert_error (error, DMAS_PLUGIN_ERROR, code);
  g_test_message ("refused: %s", error->message);
  if (strstr (error->message, expected) == NULL)
    g_error ("message '%s' lacks '%s'", error->message, expected);
  /* The message names the file. */
  g_assert_true (g_str_has_prefix (error->message, path));

  after = snapshot (registry);
  g_assert_cmpstr (after, ==, before);
  g_assert_nonnull (dmas_registry_find (registry, DMAS_KIND_BIDDING, "old-minor"));
}

static void
assert_refused (const gchar *name, gint code, const gchar *expected)
{
  g_autofree gchar *path = plugin_path (name);

  assert_refused_path (path, code, expected);
}

/* ---- one defect each ----------------------------------------------------------------------- */

typedef struct {
  const gchar *plugin;
  gint code;
  const gchar *expected;
} Refusal;

static const Refusal refusals[] = {
  { "bad-magic", DMAS_PLUGIN_ERROR_MAGIC, "bad magic number 0xdeadbeef (expected 0x444d4153)" },
  { "desc-size", DMAS_PLUGIN_ERROR_DESC, "descriptor struct_size 16 is smaller than the ABI" },
  { "null-desc", DMAS_PLUGIN_ERROR_NO_ENTRY, "dmas_plugin_describe() returned NULL" },
  { "no-entry", DMAS_PLUGIN_ERROR_NO_ENTRY, "does not export dmas_plugin_describe()" },
  { "wrong-name", DMAS_PLUGIN_ERROR_DESC,
    "the plugin calls itself 'right-name' but the file is named 'wrong-name.so'" },
  { "unknown-kind", DMAS_PLUGIN_ERROR_KIND, "component 'unknown-kind': unknown kind 99" },
  { "llm-no-answer", DMAS_PLUGIN_ERROR_OPS,
    "component llm/llm-no-answer: needs 'answer', or both 'http_build' and 'http_parse'" },
  { "comp-size", DMAS_PLUGIN_ERROR_DESC, "component #0: struct_size 8 is smaller than the ABI" },
  { "ops-size", DMAS_PLUGIN_ERROR_OPS,
    "component bidding/ops-size: ops struct_size 8 is smaller than the bidding API" },
  { "ops-huge", DMAS_PLUGIN_ERROR_OPS,
    "component consensus/ops-huge: ops struct_size 1048576 is implausible (more than 4096 "
    "bytes)" },
  { "null-op", DMAS_PLUGIN_ERROR_OPS,
    "component consensus/null-op: mandatory op 'on_message' is NULL" },
  { "null-arm", DMAS_PLUGIN_ERROR_OPS, "component fault/null-arm: mandatory op 'arm' is NULL" },
  { "dup-in-file", DMAS_PLUGIN_ERROR_DUPLICATE,
    "component bidding/twice is declared twice in this plugin" },
  { "bad-name", DMAS_PLUGIN_ERROR_DESC, "name 'Bad_Name' is not valid" },
  { "bad-param", DMAS_PLUGIN_ERROR_DESC,
    "component consensus/bad-param: default 'fast' of parameter 'deadline' is not a valid "
    "duration" },
  { "init-fails", DMAS_PLUGIN_ERROR_INIT,
    "init() failed: the frobnicator is missing (install frobnicator)" },
  { "unresolved", DMAS_PLUGIN_ERROR_DLOPEN, "undefined symbol: dmas_abi_no_such_function" },
};

static void
test_refusal (gconstpointer data)
{
  const Refusal *refusal = data;

  assert_refused (refusal->plugin, refusal->code, refusal->expected);
}

/* Version numbers come from the headers, so these messages are built rather than typed. */
static void
test_abi_major (void)
{
  g_autofree gchar *expected = g_strdup_printf (
      "plugin ABI %d.0 is not supported by this host (ABI %d.%d): rebuild the plugin against "
      "dmas %d.x headers", DMAS_ABI_MAJOR + 1, DMAS_ABI_MAJOR, DMAS_ABI_MINOR, DMAS_ABI_MAJOR);

  assert_refused ("abi-major", DMAS_PLUGIN_ERROR_ABI, expected);
}

static void
test_abi_minor (void)
{
  g_autofree gchar *expected = g_strdup_printf (
      "plugin ABI %d.%d is newer than this host's (ABI %d.%d)", DMAS_ABI_MAJOR,
      DMAS_ABI_MINOR + 1, DMAS_ABI_MAJOR, DMAS_ABI_MINOR);

  assert_refused ("abi-minor", DMAS_PLUGIN_ERROR_ABI, expected);
}

static void
test_kind_api_major (void)
{
  g_autofree gchar *expected = g_strdup_printf (
      "component bidding/kind-api-major: bidding API %d.%d is not supported by this host "
      "(bidding API %d.%d)", DMAS_BIDDING_API_MAJOR + 1, DMAS_BIDDING_API_MINOR,
      DMAS_BIDDING_API_MAJOR, DMAS_BIDDING_API_MINOR);

  assert_refused ("kind-api-major", DMAS_PLUGIN_ERROR_KIND, expected);
}

static void
test_kind_api_minor (void)
{
  g_autofree gchar *expected = g_strdup_printf (
      "component consensus/kind-api-minor: consensus API %d.%d is newer than this host's "
      "(consensus API %d.%d)", DMAS_CONSENSUS_API_MAJOR, DMAS_CONSENSUS_API_MINOR + 1,
      DMAS_CONSENSUS_API_MAJOR, DMAS_CONSENSUS_API_MINOR);

  assert_refused ("kind-api-minor", DMAS_PLUGIN_ERROR_KIND, expected);
}

/* A second file repeating a (kind, name) that is already registered. */
static void
test_duplicate_across_files (void)
{
  g_autofree gchar *owner = plugin_path ("good-old-minor");
  g_autofree gchar *expected = g_strdup_printf (
      "component bidding/old-minor is already provided by %s", owner);

  assert_refused ("dup-across", DMAS_PLUGIN_ERROR_DUPLICATE, expected);
}

static void
test_same_plugin_twice (void)
{
  assert_refused ("good-old-minor", DMAS_PLUGIN_ERROR_DUPLICATE,
                  "a plugin named 'good-old-minor' is already loaded from");
}

/* ---- file checks (on copies of a good plugin in a private directory) -------------------- */

typedef struct {
  gchar *dir;
  gchar *good;  /* a pristine copy of good-multi.so, mode 0755 */
} TmpDir;

static void
tmp_setup (TmpDir *tmp, gconstpointer data)
{
  g_autofree gchar *source = plugin_path ("good-multi");
  g_autoptr (GError) error = NULL;

  (void) data;
  tmp->dir = g_dir_make_tmp ("dmas-abi-XXXXXX", &error);
  g_assert_no_error (error);
  tmp->good = g_build_filename (tmp->dir, "good-multi.so", NULL);
  copy_file (source, tmp->good, 0755);
}

static void
tmp_teardown (TmpDir *tmp, gconstpointer data)
{
  (void) data;
  remove_tree (tmp->dir);
  g_free (tmp->dir);
  g_free (tmp->good);
}

static void
test_group_writable (TmpDir *tmp, gconstpointer data)
{
  g_autofree gchar *fix = g_strdup_printf ("(fix: chmod go-w %s)", tmp->good);

  (void) data;
  g_assert_cmpint (g_chmod (tmp->good, 0775), ==, 0);
  assert_refused_path (tmp->good, DMAS_PLUGIN_ERROR_FILE, "is writable by group or others");
  assert_refused_path (tmp->good, DMAS_PLUGIN_ERROR_FILE, fix);
}

static void
test_world_writable (TmpDir *tmp, gconstpointer data)
{
  (void) data;
  g_assert_cmpint (g_chmod (tmp->good, 0757), ==, 0);
  assert_refused_path (tmp->good, DMAS_PLUGIN_ERROR_FILE, "(mode 0757)");
}

/* The pristine copy loads: the refusals above are about the mode, not the copy. */
static void
test_copy_loads (TmpDir *tmp, gconstpointer data)
{
  g_autoptr (DmasRegistry) registry = dmas_registry_new ();
  g_autoptr (GError) error = NULL;
  const DmasComponentInfo *info;

  (void) data;
  g_assert_true (dmas_registry_load_file (registry, tmp->good, &error));
  g_assert_no_error (error);
  info = dmas_registry_find (registry, DMAS_KIND_CONSENSUS, "alpha");
  g_assert_nonnull (info);
  g_assert_cmpstr (info->file, ==, tmp->good);
}

static void
test_symlink_escape (TmpDir *tmp, gconstpointer data)
{
  g_autofree gchar *sub = g_build_filename (tmp->dir, "sub", NULL);
  g_autofree gchar *link = g_build_filename (sub, "good-multi.so", NULL);

  (void) data;
  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_assert_cmpint (symlink ("../good-multi.so", link), ==, 0);
  assert_refused_path (link, DMAS_PLUGIN_ERROR_FILE, "is a symbolic link to ");
  assert_refused_path (link, DMAS_PLUGIN_ERROR_FILE, "outside its directory");
}

/* A link within its own directory is how libtool and distributions name libraries: fine. */
static void
test_symlink_inside (TmpDir *tmp, gconstpointer data)
{
  g_autofree gchar *sub = g_build_filename (tmp->dir, "sub", NULL);
  g_autofree gchar *real = g_build_filename (sub, "good-multi.so.1", NULL);
  g_autofree gchar *link = g_build_filename (sub, "good-multi.so", NULL);
  g_autoptr (DmasRegistry) registry = dmas_registry_new ();
  g_autoptr (GError) error = NULL;

  (void) data;
  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  copy_file (tmp->good, real, 0755);
  g_assert_cmpint (symlink ("good-multi.so.1", link), ==, 0);
  g_assert_true (dmas_registry_load_file (registry, link, &error));
  g_assert_no_error (error);
}

static void
test_not_regular (TmpDir *tmp, gconstpointer data)
{
  g_autofree gchar *dir = g_build_filename (tmp->dir, "folder.so", NULL);

  (void) data;
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  assert_refused_path (dir, DMAS_PLUGIN_ERROR_FILE, "is not a regular file");
}

static void
test_missing (TmpDir *tmp, gconstpointer data)
{
  g_autofree gchar *path = g_build_filename (tmp->dir, "nothing-here.so", NULL);

  (void) data;
  assert_refused_path (path, DMAS_PLUGIN_ERROR_FILE, g_strerror (ENOENT));
}

/* ---- an older-minor plugin loads and works ------------------------------------------------ */

/* Just enough host for create() and bid(): identity and log. */
typedef struct {
  DmasCtx ctx;       /* first, so a DmasCtx* is a FakeCtx* */
  DmasAgentId self;
  guint logs;
  gchar *last_log;
} FakeCtx;

static DmasAgentId
fake_self_id (DmasCtx *ctx)
{
  return ((FakeCtx *) ctx)->self;
}

static void
fake_log (DmasCtx *ctx, DmasLogLevel level, const char *message)
{
  FakeCtx *fake = (FakeCtx *) ctx;

  g_assert_cmpint (level, ==, DMAS_LOG_DEBUG);
  fake->logs++;
  g_free (fake->last_log);
  fake->last_log = g_strdup (message);
}

static const DmasHostApi fake_api = {
  .struct_size = sizeof (DmasHostApi),
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .self_id = fake_self_id,
  .log = fake_log,
};

static void
test_old_minor_works (void)
{
  g_autoptr (DmasRegistry) registry = registry_with_old_minor ();
  const DmasComponentInfo *info = dmas_registry_find (registry, DMAS_KIND_BIDDING, "old-minor");
  const DmasBiddingOps *ops;
  FakeCtx fake = { .ctx = { .api = &fake_api }, .self = 3 };
  DmasError err = { 0 };
  DmasJob job = { .id = 7, .nodes = 2, .cores = 4 };
  DmasClusterView cluster = { .agent = 3, .nodes = 8, .cores_per_node = 16, .free_nodes = 6 };
  DmasBid bid = { .job = 7, .agent = 3 };
  void *self;

  g_assert_nonnull (info);
  g_assert_cmpuint (info->api_minor, ==, 0);
  ops = info->ops;
  /* The plugin's own struct is followed in memory by a trap where 1.1 has job_finished. */
  g_assert_cmpuint (ops->struct_size, ==, DMAS_BIDDING_OPS_MIN_SIZE);
  g_assert_null (ops->job_finished);
  g_assert_nonnull (ops->create);
  g_assert_nonnull (ops->bid);

  self = ops->create (&fake.ctx, &err);
  g_assert_nonnull (self);
  g_assert_cmpint (ops->bid (self, &fake.ctx, &job, &cluster, &bid, &err), ==, DMAS_OK);
  g_assert_cmpfloat (bid.score, ==, 0.75);
  g_assert_cmpuint (fake.logs, ==, 1);
  g_assert_cmpstr (fake.last_log, ==, "agent 3 bids 0.750");

  /* A job that can never fit gets 0, and no log line. */
  job.cores = 32;
  g_assert_cmpint (ops->bid (self, &fake.ctx, &job, &cluster, &bid, &err), ==, DMAS_OK);
  g_assert_cmpfloat (bid.score, ==, 0.0);
  g_assert_cmpuint (fake.logs, ==, 1);
  ops->destroy (self);
  g_free (fake.last_log);
}

/* Every field of the registry entry comes from the descriptor. */
static void
test_multi_components (void)
{
  g_autoptr (DmasRegistry) registry = dmas_registry_new ();
  g_autofree gchar *path = plugin_path ("good-multi");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  const DmasComponentInfo *alpha;
  const DmasConsensusOps *ops;
  guint n_params = 0;

  g_assert_true (dmas_registry_load_file (registry, path, &error));
  g_assert_no_error (error);
  list = dmas_registry_list (registry);
  g_assert_cmpuint (list->len, ==, 3);

  alpha = dmas_registry_find (registry, DMAS_KIND_CONSENSUS, "alpha");
  g_assert_nonnull (alpha);
  g_assert_cmpstr (alpha->plugin, ==, "good-multi");
  g_assert_cmpstr (alpha->version, ==, "2.3.4");
  g_assert_cmpstr (alpha->summary, ==, "alpha test protocol");
  g_assert_cmpstr (alpha->file, ==, path);
  g_assert_cmpuint (alpha->api_major, ==, DMAS_CONSENSUS_API_MAJOR);
  while (alpha->params[n_params].name != NULL)
    n_params++;
  g_assert_cmpuint (n_params, ==, 5);
  ops = alpha->ops;
  g_assert_cmpuint (ops->struct_size, ==, sizeof (DmasConsensusOps));
  g_assert_nonnull (ops->on_message);
  g_assert_null (ops->agent_status);

  /* Components without parameters get an empty list, never NULL. */
  g_assert_nonnull (dmas_registry_find (registry, DMAS_KIND_BIDDING, "beta")->params);
  g_assert_null (dmas_registry_find (registry, DMAS_KIND_BIDDING, "beta")->params[0].name);
  /* Same name, other kind: a different component. */
  g_assert_null (dmas_registry_find (registry, DMAS_KIND_BIDDING, "alpha"));
}

/* Every hostile plugin, one after another, into one registry: all refused, host intact. */
static void
test_all_in_one_registry (void)
{
  g_autoptr (DmasRegistry) registry = registry_with_old_minor ();
  g_autofree gchar *before = snapshot (registry);
  g_autofree gchar *after = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree gchar *path = plugin_path (refusals[i].plugin);
      g_autoptr (GError) error = NULL;

      g_assert_false (dmas_registry_load_file (registry, path, &error));
      g_assert_error (error, DMAS_PLUGIN_ERROR, refusals[i].code);
    }
  after = snapshot (registry);
  g_assert_cmpstr (after, ==, before);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree gchar *name = g_strdup_printf ("/abi/refuse/%s", refusals[i].plugin);
      g_test_add_data_func (name, &refusals[i], test_refusal);
    }
  g_test_add_func ("/abi/refuse/abi-major", test_abi_major);
  g_test_add_func ("/abi/refuse/abi-minor", test_abi_minor);
  g_test_add_func ("/abi/refuse/kind-api-major", test_kind_api_major);
  g_test_add_func ("/abi/refuse/kind-api-minor", test_kind_api_minor);
  g_test_add_func ("/abi/refuse/dup-across", test_duplicate_across_files);
  g_test_add_func ("/abi/refuse/same-plugin-twice", test_same_plugin_twice);
  g_test_add ("/abi/file/group-writable", TmpDir, NULL, tmp_setup, test_group_writable,
              tmp_teardown);
  g_test_add ("/abi/file/world-writable", TmpDir, NULL, tmp_setup, test_world_writable,
              tmp_teardown);
  g_test_add ("/abi/file/copy-loads", TmpDir, NULL, tmp_setup, test_copy_loads, tmp_teardown);
  g_test_add ("/abi/file/symlink-escape", TmpDir, NULL, tmp_setup, test_symlink_escape,
              tmp_teardown);
  g_test_add ("/abi/file/symlink-inside", TmpDir, NULL, tmp_setup, test_symlink_inside,
              tmp_teardown);
  g_test_add ("/abi/file/not-regular", TmpDir, NULL, tmp_setup, test_not_regular,
              tmp_teardown);
  g_test_add ("/abi/file/missing", TmpDir, NULL, tmp_setup, test_missing, tmp_teardown);
  g_test_add_func ("/abi/accept/old-minor-works", test_old_minor_works);
  g_test_add_func ("/abi/accept/multi-components", test_multi_components);
  g_test_add_func ("/abi/refuse/all-in-one-registry", test_all_in_one_registry);
  return g_test_run ();
}
