/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The worker pool: one forked child per run, failures recorded, Ctrl-C stops cleanly. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "campaign/campaign-private.h"
#include "campaign/execute.h"
#include "campaign/progress.h"
#include "metrics/summary.h"

typedef struct {
  pid_t pid;
  guint run;                /* index into campaign->runs */
  int fd;                   /* read end of the child's error pipe */
} Worker;

typedef struct {
  DmasCampaign *campaign;
  const gchar *dir;
  GArray *workers;          /* Worker, running */
  DmasProgress progress;
  DmasCampaignOutcome *outcome;
  gboolean interrupted;
} Pool;

static const gchar *
signal_name (int sig)
{
  static const struct { int sig; const gchar *name; } names[] = {
    { SIGSEGV, "SIGSEGV" }, { SIGABRT, "SIGABRT" }, { SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" },
    { SIGILL, "SIGILL" }, { SIGKILL, "SIGKILL" }, { SIGTERM, "SIGTERM" }, { SIGINT, "SIGINT" },
    { SIGTRAP, "SIGTRAP" }, { SIGSYS, "SIGSYS" }, { SIGPIPE, "SIGPIPE" }, { SIGXCPU, "SIGXCPU" },
    { SIGHUP, "SIGHUP" }, { SIGQUIT, "SIGQUIT" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (names[i].sig == sig)
      return names[i].name;
  return NULL;
}

/* The child: runs one simulation and writes its files; never returns.  Errors go to the
 * pipe so the parent can put them into failure.json. */
static void G_GNUC_NORETURN
child_main (Pool *pool, guint index, int fd, pid_t parent, const sigset_t *old_mask)
{
  /* Its own process group: Ctrl-C on the terminal reaches the parent only, which then stops
   * the children itself (and knows that their deaths are not crashes). */
  setpgid (0, 0);
  /* A parent killed with SIGKILL cannot stop its children; the kernel does it for us.  The
   * parent may have died between fork() and prctl(): then we are an orphan already. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != parent)
    _exit (1);
  signal (SIGINT, SIG_DFL);
  signal (SIGTERM, SIG_DFL);
  signal (SIGCHLD, SIG_DFL);
  sigprocmask (SIG_SETMASK, old_mask, NULL);

  const DmasCampaignRun *run = g_ptr_array_index (pool->campaign->runs, index);
  g_autofree gchar *rundir = g_build_filename (pool->dir, "runs", run->id, NULL);
  const DmasExecuteOptions options = { .speed = 0.0, .handle_sigint = FALSE };
  g_autoptr (GError) error = NULL;
  DmasExecution *x = dmas_execute (run->config, pool->campaign->registry, rundir, &options,
                                   &error);
  if (x == NULL)
    {
      /* The parent reads the pipe only once we are gone: stay below the pipe's capacity
       * (PIPE_BUF at least) so that this write can never block. */
      const gsize len = MIN (strlen (error->message), (gsize) PIPE_BUF);
      gsize done = 0;
      while (done < len)
        {
          ssize_t n = write (fd, error->message + done, len - done);
          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            break;
          done += (gsize) n;
        }
      _exit (1);
    }
  /* The result is on disk; skip freeing a whole simulation just before exiting. */
  _exit (0);
}

static gboolean
launch (Pool *pool, guint index, const sigset_t *old_mask, GError **error)
{
  int fds[2];
  if (pipe (fds) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "pipe: %s",
                   g_strerror (saved));
      return FALSE;
    }
  const pid_t parent = getpid ();
  fflush (stdout);
  fflush (stderr);
  pid_t pid = fork ();
  if (pid < 0)
    {
      int saved = errno;
      close (fds[0]);
      close (fds[1]);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "fork: %s",
                   g_strerror (saved));
      return FALSE;
    }
  if (pid == 0)
    {
      close (fds[0]);
      child_main (pool, index, fds[1], parent, old_mask);
    }
  close (fds[1]);
  Worker w = { .pid = pid, .run = index, .fd = fds[0] };
  g_array_append_val (pool->workers, w);
  return TRUE;
}

static gchar *
read_all (int fd)
{
  GString *out = g_string_new (NULL);
  gchar buf[4096];
  for (;;)
    {
      ssize_t n = read (fd, buf, sizeof buf);
      if (n > 0)
        g_string_append_len (out, buf, n);
      else if (n < 0 && errno == EINTR)
        continue;
      else
        break;
    }
  return g_string_free (out, FALSE);
}

static void
write_failure (Pool *pool, const DmasCampaignRun *run, int wstatus, const gchar *message)
{
  g_autofree gchar *rundir = g_build_filename (pool->dir, "runs", run->id, NULL);
  const gboolean crashed = WIFSIGNALED (wstatus);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, run->id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, crashed ? "crashed" : "failed");
  json_builder_set_member_name (b, "signal");
  if (crashed)
    json_builder_add_int_value (b, WTERMSIG (wstatus));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "signal_name");
  if (crashed && signal_name (WTERMSIG (wstatus)) != NULL)
    json_builder_add_string_value (b, signal_name (WTERMSIG (wstatus)));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "exit_status");
  if (crashed)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, WEXITSTATUS (wstatus));
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) run->seed);
  json_builder_set_member_name (b, "world_seed");
  json_builder_add_int_value (b, (gint64) run->world_seed);
  json_builder_set_member_name (b, "replay");
  g_autofree gchar *replay = g_strdup_printf ("dmas replay %s", rundir);
  json_builder_add_string_value (b, replay);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  g_autofree gchar *text = json_generator_to_data (gen, NULL);
  g_autofree gchar *line = g_strconcat (text, "\n", NULL);
  g_autoptr (GError) error = NULL;
  if (!dmas_result_write (rundir, "failure.json", line, &error))
    {
      g_autofree gchar *warn = g_strdup_printf ("dmas: cannot record the failure of run %s: %s",
                                                run->id, error->message);
      dmas_progress_message (&pool->progress, warn);
    }
}

static void
reaped (Pool *pool, guint slot, int wstatus)
{
  Worker w = g_array_index (pool->workers, Worker, slot);
  g_array_remove_index (pool->workers, slot);
  g_autofree gchar *message = read_all (w.fd);
  close (w.fd);
  const DmasCampaignRun *run = g_ptr_array_index (pool->campaign->runs, w.run);
  g_autofree gchar *rundir = g_build_filename (pool->dir, "runs", run->id, NULL);

  if (WIFEXITED (wstatus) && WEXITSTATUS (wstatus) == 0)
    {
      g_autofree gchar *summary = g_build_filename (rundir, "summary.json", NULL);
      g_autofree gchar *status = dmas_campaign_summary_status (summary);
      g_autofree gchar *failure = g_build_filename (rundir, "failure.json", NULL);
      g_unlink (failure);
      pool->outcome->finished++;
      dmas_progress_run_done (&pool->progress, run->id, status != NULL ? status : "complete",
                              FALSE);
      return;
    }
  /* Stopped by us on Ctrl-C: not a failure; --resume runs it again. */
  if (pool->interrupted && WIFSIGNALED (wstatus)
      && (WTERMSIG (wstatus) == SIGTERM || WTERMSIG (wstatus) == SIGKILL))
    return;

  g_autofree gchar *what = NULL;
  if (WIFSIGNALED (wstatus))
    what = g_strdup_printf ("signal %d (%s)", WTERMSIG (wstatus), g_strsignal (WTERMSIG (wstatus)));
  else if (*message != '\0')
    what = g_strdup (message);
  else
    what = g_strdup_printf ("exit status %d", WEXITSTATUS (wstatus));
  write_failure (pool, run, wstatus, what);
  pool->outcome->failed++;
  g_autofree gchar *line = g_strdup_printf (
      "run %s (seed %" G_GUINT64_FORMAT ") %s: %s; reproduce: dmas replay %s", run->id,
      run->seed, WIFSIGNALED (wstatus) ? "crashed" : "failed", what, rundir);
  dmas_progress_message (&pool->progress, line);
  dmas_progress_run_done (&pool->progress, run->id,
                          WIFSIGNALED (wstatus) ? "crashed" : "failed", TRUE);
}

static void
reap (Pool *pool)
{
  for (;;)
    {
      int wstatus = 0;
      pid_t pid = waitpid (-1, &wstatus, WNOHANG);
      if (pid <= 0)
        return;
      for (guint i = 0; i < pool->workers->len; i++)
        if (g_array_index (pool->workers, Worker, i).pid == pid)
          {
            reaped (pool, i, wstatus);
            break;
          }
    }
}

static void
stop_workers (Pool *pool)
{
  for (guint i = 0; i < pool->workers->len; i++)
    kill (g_array_index (pool->workers, Worker, i).pid, SIGTERM);
}

gboolean
dmas_campaign_execute (DmasCampaign *c, const gchar *dir, const DmasCampaignOptions *options,
                       DmasCampaignOutcome *outcome, GError **error)
{
  *outcome = (DmasCampaignOutcome) { .total = c->runs->len };
  g_autoptr (GArray) todo = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < c->runs->len; i++)
    {
      const DmasCampaignRun *run = g_ptr_array_index (c->runs, i);
      if (options->resume && dmas_campaign_run_finished (run, dir))
        {
          outcome->skipped++;
          outcome->finished++;
          continue;
        }
      /* A stale summary.json (an interrupted run, or another config) must not pass for
       * this run's result if the rerun dies. */
      g_autofree gchar *summary = g_build_filename (dir, "runs", run->id, "summary.json", NULL);
      g_unlink (summary);
      g_array_append_val (todo, i);
    }

  Pool pool = { .campaign = c, .dir = dir, .outcome = outcome };
  pool.workers = g_array_new (FALSE, FALSE, sizeof (Worker));
  dmas_progress_init (&pool.progress, options->progress, outcome->total, outcome->skipped);

  /* SIGCHLD, SIGINT and SIGTERM are blocked and taken with sigtimedwait: no handler, no
   * global flag, and no race between checking for a signal and sleeping. */
  sigset_t mask, old_mask;
  sigemptyset (&mask);
  sigaddset (&mask, SIGCHLD);
  sigaddset (&mask, SIGINT);
  sigaddset (&mask, SIGTERM);
  sigprocmask (SIG_BLOCK, &mask, &old_mask);

  gboolean ok = TRUE;
  guint next = 0;
  const guint jobs = MAX (options->jobs, 1);
  dmas_progress_tick (&pool.progress);
  for (;;)
    {
      while (ok && !pool.interrupted && pool.workers->len < jobs && next < todo->len)
        ok = launch (&pool, g_array_index (todo, guint, next++), &old_mask, error);
      if (!ok && !pool.interrupted)
        {
          /* The parent cannot go on: stop what runs and report. */
          pool.interrupted = TRUE;
          stop_workers (&pool);
        }
      if (pool.workers->len == 0)
        break;
      siginfo_t info;
      const struct timespec wait = { .tv_sec = 0, .tv_nsec = 250 * 1000 * 1000 };
      int sig = sigtimedwait (&mask, &info, &wait);
      if ((sig == SIGINT || sig == SIGTERM) && !pool.interrupted)
        {
          pool.interrupted = TRUE;
          stop_workers (&pool);
        }
      reap (&pool);
      dmas_progress_tick (&pool.progress);
    }
  dmas_progress_end (&pool.progress);

  /* Signals that came while we were busy stay pending; take them before unblocking, or a
   * second Ctrl-C would kill the process before it says how to resume. */
  const struct timespec zero = { 0, 0 };
  siginfo_t info;
  int sig;
  while ((sig = sigtimedwait (&mask, &info, &zero)) > 0)
    if (sig == SIGINT || sig == SIGTERM)
      pool.interrupted = TRUE;
  sigprocmask (SIG_SETMASK, &old_mask, NULL);

  outcome->interrupted = pool.interrupted && ok
                         && outcome->finished + outcome->failed < outcome->total;
  g_array_unref (pool.workers);
  return ok;
}
