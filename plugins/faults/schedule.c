/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fault/schedule: replays a timeline of faults written as JSON Lines (faults.jsonl's format). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

#include "duration.h"
#include "json-reader.h"
#include "targets.h"

/* The timeline is read at create() from `file` (a path; the host makes a relative one
 * absolute against the config file's directory) and then from `inline` (JSON lines in a
 * string), one JSON object per non-blank line:
 *
 *   {"t":30,"fault":"partition","groups":[[0,1],[2,3,4]],"for":"20s"}
 *
 * `t` is the onset in seconds (a number, read exactly to the nanosecond) or a duration string
 * ("30s").  `fault` names the host call and the other members its arguments, with the names
 * the host writes in faults.jsonl, so that a run's faults.jsonl replays that run's faults:
 *
 *   crash, restart          agent (an id, "controller" or "backup")
 *   partition               groups [[..],[..]] (agents in no group are alone) or reach
 *                           [[whom agent 0 reaches], ...]; with (optional agent id: the
 *                           controller's side); id (the logged id, matched by a later heal)
 *   heal                    id (of an earlier partition line)
 *   link                    from, to (id, "controller", "backup" or "any"), loss, duplicate,
 *                           reorder, corrupt, undetected (bool), delay, jitter (seconds), id
 *   link_end                id (of an earlier link line)
 *   byzantine               agent, strategy, fraction, split [[twin A's], [twin B's]]
 *   byzantine_end           agent
 *   degrade                 agent, factor
 *   degrade_end             agent
 *
 * A line written by hand may end its fault with "for" (seconds or a duration; 0 = never): the
 * matching end (heal, link_end, byzantine_end, degrade_end) then follows after that long.  A
 * line that has a "source" member comes from a faults.jsonl, whose ends are lines of their
 * own: its "for" (an entry parameter logged alongside) is ignored.  Members the call does not
 * take are ignored too (faults.jsonl also carries the logging entry's parameters).
 *
 * Lines are set as timers in file order (file, then inline), so same-instant faults happen in
 * that order, which for a faults.jsonl is the order they happened in.  Nothing is random. */

#define SCHEDULE_MAX_BYTES (64u * 1024u * 1024u)

/* ---- the timeline ---- */

typedef enum {
  EV_CRASH, EV_RESTART, EV_PARTITION, EV_HEAL, EV_LINK, EV_LINK_END, EV_BYZANTINE,
  EV_BYZANTINE_END, EV_DEGRADE, EV_DEGRADE_END
} EventKind;

static const char *const event_names[] = {
  "crash", "restart", "partition", "heal", "link", "link_end", "byzantine", "byzantine_end",
  "degrade", "degrade_end",
};

static const char *const strategy_names[] = {
  "none", "silent", "omit", "inflate", "hijack", "equivocate", "replay", "compromised",
};

typedef struct Schedule Schedule;

/* One line, with everything its call needs already decoded (create() checks every line). */
typedef struct {
  Schedule *schedule;
  EventKind kind;
  DmasTime t, length;       /* length: hand-written "for", 0 = none */
  DmasAgentId agent;
  uint64_t logged_id;       /* partition/link (and their ends): the id in the file */
  uint8_t *reach;           /* partition: n x n */
  DmasAgentId with;
  DmasLinkFault link;
  DmasByzantine byz;
  double factor;
  int ending;               /* set on the copy that a "for" timer fires */
} Event;

/* Logged id -> the id the host gave in this run. */
typedef struct {
  EventKind kind;
  uint64_t logged, now;
} IdMap;

struct Schedule {
  Event *events;
  size_t n_events;
  IdMap *ids;
  size_t n_ids, cap_ids;
  uint32_t n_agents;
};

static void
schedule_destroy (void *self)
{
  Schedule *s = self;
  if (s == NULL)
    return;
  for (size_t i = 0; i < s->n_events; i++)
    free (s->events[i].reach);
  free (s->events);
  free (s->ids);
  free (s);
}

/* A time member: seconds as a number, or a duration string.  Returns 1 with *out set. */
static int
read_time (const JVal *v, DmasTime *out)
{
  if (v->kind == J_NUM)
    return dmas_fault_parse_seconds (v->text, strlen (v->text), out);
  if (v->kind == J_STR)
    return dmas_fault_parse_duration (v->text, out);
  return 0;
}

static int
read_u32 (const JVal *v, uint32_t *out)
{
  const char *s = v != NULL && v->kind == J_NUM ? v->text : "";
  return dmas_targets_parse_u32 (&s, out) && *s == '\0';
}

/* An endpoint: an agent id, "controller", "backup", or (any_ok) "any". */
static int
read_endpoint (Schedule *s, const JVal *v, int any_ok, DmasAgentId *out)
{
  if (v == NULL)
    return 0;
  if (v->kind == J_STR)
    {
      if (strcmp (v->text, "controller") == 0)
        return (*out = DMAS_AGENT_CONTROLLER), 1;
      if (strcmp (v->text, "backup") == 0)
        return (*out = DMAS_AGENT_BACKUP), 1;
      if (any_ok && strcmp (v->text, "any") == 0)
        return (*out = DMAS_AGENT_NONE), 1;
      return 0;
    }
  return read_u32 (v, out) && *out < s->n_agents;
}

static int
read_double (const JVal *obj, const char *key, double fallback, double *out)
{
  const JVal *v = jget (obj, key);
  char *end;

  if (v == NULL)
    return (*out = fallback), 1;
  if (v->kind != J_NUM)
    return 0;
  *out = strtod (v->text, &end);
  return *end == '\0';
}

/* Agents as a list of ids into `bits` (n_agents bytes, 1 = listed).  Returns 1 when valid. */
static int
read_ids (Schedule *s, const JVal *v, uint8_t *bits)
{
  if (v == NULL || v->kind != J_ARR)
    return 0;
  for (size_t i = 0; i < v->n; i++)
    {
      uint32_t id;
      if (!read_u32 (&v->items[i], &id) || id >= s->n_agents)
        return 0;
      bits[id] = 1;
    }
  return 1;
}

/* "groups" or "reach" into an n x n matrix.  Returns NULL with *why set. */
static uint8_t *
read_reach (Schedule *s, const JVal *obj, const char **why)
{
  const uint32_t n = s->n_agents;
  const JVal *groups = jget (obj, "groups"), *reach = jget (obj, "reach");
  uint8_t *m = calloc ((size_t) n * n + 1, 1), *row = calloc (n + 1, 1);
  uint32_t *label = calloc (n + 1, sizeof *label);

  *why = "give \"groups\":[[0,1],[2,3]] or \"reach\":[[whom agent 0 reaches],...]";
  if (m == NULL || row == NULL || label == NULL)
    goto fail;
  if (groups != NULL && groups->kind == J_ARR)
    {
      /* label 0: in no group (alone); group g gets label g + 1. */
      for (size_t g = 0; g < groups->n; g++)
        {
          memset (row, 0, n);
          if (!read_ids (s, &groups->items[g], row))
            goto fail;
          for (uint32_t a = 0; a < n; a++)
            if (row[a])
              {
                if (label[a] != 0)
                  {
                    *why = "an agent is in two groups";
                    goto fail;
                  }
                label[a] = (uint32_t) g + 1;
              }
        }
      for (uint32_t a = 0; a < n; a++)
        for (uint32_t b = 0; b < n; b++)
          m[(size_t) a * n + b] = a == b || (label[a] != 0 && label[a] == label[b]);
    }
  else if (reach != NULL && reach->kind == J_ARR && reach->n == n)
    {
      for (uint32_t a = 0; a < n; a++)
        if (!read_ids (s, &reach->items[a], m + (size_t) a * n))
          goto fail;
    }
  else
    goto fail;
  free (row);
  free (label);
  return m;
fail:
  free (m);
  free (row);
  free (label);
  return NULL;
}

/* Decodes line `obj` into *e.  Returns NULL, or what is wrong (static text). */
static const char *
read_event (Schedule *s, const JVal *obj, Event *e)
{
  const JVal *t = jget (obj, "t"), *fault = jget (obj, "fault"), *v;
  size_t k;

  if (obj->kind != J_OBJ)
    return "a line must be a JSON object";
  if (t == NULL || !read_time (t, &e->t))
    return "\"t\" must be seconds (30, 1.5) or a duration (\"30s\")";
  if (fault == NULL || fault->kind != J_STR)
    return "\"fault\" must name the fault (crash, restart, partition, heal, link, link_end, "
           "byzantine, byzantine_end, degrade, degrade_end)";
  for (k = 0; k < sizeof event_names / sizeof event_names[0]; k++)
    if (strcmp (fault->text, event_names[k]) == 0)
      break;
  if (k == sizeof event_names / sizeof event_names[0])
    return "unknown \"fault\"; use crash, restart, partition, heal, link, link_end, "
           "byzantine, byzantine_end, degrade or degrade_end";
  e->kind = (EventKind) k;
  if ((v = jget (obj, "for")) != NULL && jget (obj, "source") == NULL && !read_time (v, &e->length))
    return "\"for\" must be seconds or a duration";
  if ((v = jget (obj, "id")) != NULL)
    {
      uint32_t id;
      if (!read_u32 (v, &id))
        return "\"id\" must be a whole number";
      e->logged_id = id;
    }
  switch (e->kind)
    {
    case EV_CRASH: case EV_RESTART: case EV_BYZANTINE_END: case EV_DEGRADE_END:
    case EV_BYZANTINE: case EV_DEGRADE:
      if (!read_endpoint (s, jget (obj, "agent"), 0, &e->agent)
          || ((e->kind != EV_CRASH && e->kind != EV_RESTART) && e->agent >= s->n_agents))
        return "\"agent\" must be an agent id of this platform (crash and restart also take "
               "\"controller\" and \"backup\")";
      break;
    default:
      break;
    }
  switch (e->kind)
    {
    case EV_PARTITION:
      {
        const char *why;
        if ((e->reach = read_reach (s, obj, &why)) == NULL)
          return why;
        e->with = DMAS_AGENT_NONE;
        if ((v = jget (obj, "with")) != NULL && !read_endpoint (s, v, 0, &e->with))
          return "\"with\" must be an agent id";
        break;
      }
    case EV_HEAL: case EV_LINK_END:
      if (jget (obj, "id") == NULL)
        return "give the \"id\" of the earlier line this ends";
      break;
    case EV_LINK:
      e->link.struct_size = sizeof e->link;
      if (!read_endpoint (s, jget (obj, "from"), 1, &e->link.from)
          || !read_endpoint (s, jget (obj, "to"), 1, &e->link.to))
        return "\"from\" and \"to\" must be agent ids, \"controller\", \"backup\" or \"any\"";
      if (!read_double (obj, "loss", 0, &e->link.loss)
          || !read_double (obj, "duplicate", 0, &e->link.duplicate)
          || !read_double (obj, "reorder", 0, &e->link.reorder)
          || !read_double (obj, "corrupt", 0, &e->link.corrupt))
        return "loss, duplicate, reorder and corrupt must be numbers";
      v = jget (obj, "undetected");
      e->link.corrupt_undetected = v != NULL && v->kind == J_BOOL && v->boolean;
      if (((v = jget (obj, "delay")) != NULL && !read_time (v, &e->link.delay))
          || ((v = jget (obj, "jitter")) != NULL && !read_time (v, &e->link.delay_jitter)))
        return "delay and jitter must be seconds or durations";
      break;
    case EV_BYZANTINE:
      {
        const JVal *strategy = jget (obj, "strategy"), *split = jget (obj, "split");
        size_t i;
        e->byz.struct_size = sizeof e->byz;
        for (i = 1; strategy != NULL && strategy->kind == J_STR
                    && i < sizeof strategy_names / sizeof strategy_names[0]; i++)
          if (strcmp (strategy->text, strategy_names[i]) == 0)
            break;
        if (strategy == NULL || strategy->kind != J_STR
            || i == sizeof strategy_names / sizeof strategy_names[0])
          return "\"strategy\" must be silent, omit, inflate, hijack, equivocate, replay or "
                 "compromised";
        e->byz.strategy = (DmasByzantineStrategy) i;
        if (!read_double (obj, "fraction", 0, &e->byz.fraction))
          return "\"fraction\" must be a number";
        /* Only an equivocation has twins; other lines of a faults.jsonl may carry the
         * entry's own `split` parameter ("halves"), which is not an argument here. */
        if (split != NULL && e->byz.strategy == DMAS_BYZ_EQUIVOCATE)
          {
            uint8_t *bits = calloc (s->n_agents + 1, 1);
            int ok = bits != NULL && split->kind == J_ARR && split->n == 2
                     && read_ids (s, &split->items[1], bits);
            for (uint32_t a = 0; ok && a < s->n_agents && a < 64; a++)
              if (bits[a])
                e->byz.split |= UINT64_C (1) << a;
            free (bits);
            if (!ok)
              return "\"split\" must be [[twin A's agents], [twin B's agents]]";
          }
        break;
      }
    case EV_DEGRADE:
      if (!read_double (obj, "factor", 0, &e->factor) || !(e->factor >= 1.0))
        return "\"factor\" must be a number of at least 1";
      break;
    default:
      break;
    }
  return NULL;
}

static int
parse_text (Schedule *s, const char *text, size_t len, const char *what, DmasError *err)
{
  const char *p = text, *end = text + len;
  unsigned line = 0;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', (size_t) (end - p));
      const char *eol = nl != NULL ? nl : end;
      JReader r = { p, eol, NULL };
      line++;
      skip_ws (&r);
      if (r.s == eol)
        {
          p = eol + 1;
          continue;
        }
      JVal obj = { 0 };
      const char *why = NULL;
      if (!jparse (&r, &obj, 0))
        why = r.error;
      else if ((skip_ws (&r), r.s != eol))
        why = "text after the JSON object";
      if (why == NULL)
        {
          Event *bigger = realloc (s->events, (s->n_events + 1) * sizeof *bigger);
          if (bigger == NULL)
            why = "out of memory";
          else
            {
              s->events = bigger;
              memset (&s->events[s->n_events], 0, sizeof s->events[0]);
              why = read_event (s, &obj, &s->events[s->n_events]);
              if (why == NULL)
                s->events[s->n_events].schedule = s;
              s->n_events++;  /* counted either way, so that destroy() frees its matrix */
            }
        }
      jval_clear (&obj);
      if (why != NULL)
        return dmas_error_set (err, DMAS_EINVAL, "%s:%u: %s", what, line, why);
      p = eol + 1;
    }
  return DMAS_OK;
}

static int
read_file (Schedule *s, const char *path, DmasError *err)
{
  FILE *f = fopen (path, "rb");
  char *buf;
  size_t len;
  char what[600];

  if (f == NULL)
    return dmas_error_set (err, DMAS_EINVAL, "file: cannot open '%s'; give the path of a JSON "
                           "Lines file (a run's faults.jsonl, for instance)", path);
  size_t cap = 64 * 1024, got;
  buf = malloc (cap);
  len = 0;
  while (buf != NULL && (got = fread (buf + len, 1, cap - len, f)) > 0)
    {
      len += got;
      if (len == cap && cap <= SCHEDULE_MAX_BYTES)
        {
          char *bigger = realloc (buf, cap * 2);
          if (bigger == NULL)
            free (buf);
          buf = bigger;
          cap *= 2;
        }
      else if (len == cap)
        break;
    }
  fclose (f);
  if (buf == NULL)
    return dmas_error_set (err, DMAS_ENOMEM, "out of memory");
  if (len > SCHEDULE_MAX_BYTES)
    return free (buf), dmas_error_set (err, DMAS_EINVAL, "file: '%s' is over %u bytes", path,
                                       SCHEDULE_MAX_BYTES);
  snprintf (what, sizeof what, "file %s", path);
  int rc = parse_text (s, buf, len, what, err);
  free (buf);
  return rc;
}

static void *
schedule_create (DmasCtx *ctx, DmasError *err)
{
  const char *file, *text;
  Schedule *s = calloc (1, sizeof *s);

  if (s == NULL)
    return dmas_error_set (err, DMAS_ENOMEM, "out of memory"), NULL;
  s->n_agents = dmas_n_agents (ctx);
  if (ctx->api->param_string (ctx, "file", &file) != DMAS_OK
      || ctx->api->param_string (ctx, "inline", &text) != DMAS_OK)
    {
      dmas_error_set (err, DMAS_EFAIL, "the host did not give the declared parameters");
      schedule_destroy (s);
      return NULL;
    }
  if ((*file != '\0' && read_file (s, file, err) != DMAS_OK)
      || parse_text (s, text, strlen (text), "inline", err) != DMAS_OK)
    {
      schedule_destroy (s);
      return NULL;
    }
  if (*file == '\0' && *text == '\0')
    {
      dmas_error_set (err, DMAS_EINVAL, "give the timeline: file (a JSON Lines file such as "
                      "a run's faults.jsonl) and/or inline (JSON lines in a string)");
      schedule_destroy (s);
      return NULL;
    }
  return s;
}

/* ---- dispatch ---- */

static void
remember_id (Schedule *s, EventKind kind, uint64_t logged, uint64_t now)
{
  if (s->n_ids == s->cap_ids)
    {
      size_t cap = s->cap_ids ? s->cap_ids * 2 : 8;
      IdMap *bigger = realloc (s->ids, cap * sizeof *bigger);
      if (bigger == NULL)
        return;
      s->ids = bigger;
      s->cap_ids = cap;
    }
  s->ids[s->n_ids++] = (IdMap) { kind, logged, now };
}

/* The id this run gave to the partition (or link fault) logged as `logged`; 0 when none. */
static uint64_t
current_id (const Schedule *s, EventKind kind, uint64_t logged)
{
  for (size_t i = s->n_ids; i-- > 0;)
    if (s->ids[i].kind == kind && s->ids[i].logged == logged)
      return s->ids[i].now;
  return 0;
}

static void on_event (DmasCtx *ctx, void *data);

/* A hand-written "for": the end of `e` after its length (the copy shares e's reach). */
static void
schedule_end (DmasCtx *ctx, const Event *e, uint64_t id)
{
  Event *end = malloc (sizeof *end);
  if (end == NULL)
    return;
  *end = *e;
  end->ending = 1;
  end->logged_id = id;
  ctx->api->timer_add (ctx, e->length, on_event, end, free);
}

static void
on_event (DmasCtx *ctx, void *data)
{
  const Event *e = data;
  const DmasHostApi *api = ctx->api;
  Schedule *s = e->schedule;
  const DmasByzantine correct = { sizeof correct, DMAS_BYZ_NONE, 0, 0 };
  uint64_t id = 0;
  int rc = DMAS_OK;

  if (e->ending)
    {
      /* logged_id holds this run's id here. */
      if (e->kind == EV_PARTITION)
        rc = api->fault_heal (ctx, e->logged_id);
      else if (e->kind == EV_LINK)
        rc = api->fault_link_remove (ctx, e->logged_id);
      else if (e->kind == EV_BYZANTINE)
        rc = api->fault_byzantine (ctx, e->agent, &correct);
      else if (e->kind == EV_DEGRADE)
        rc = api->fault_degrade (ctx, e->agent, 1.0);
      if (rc != DMAS_OK)
        dmas_log (ctx, DMAS_LOG_INFO, "end of %s did not happen (status %d)",
                  event_names[e->kind], rc);
      return;
    }
  switch (e->kind)
    {
    case EV_CRASH:
      rc = api->fault_crash (ctx, e->agent);
      break;
    case EV_RESTART:
      rc = api->fault_restart (ctx, e->agent);
      break;
    case EV_PARTITION:
      if ((rc = api->fault_partition (ctx, e->reach, s->n_agents, e->with, &id)) == DMAS_OK)
        remember_id (s, EV_PARTITION, e->logged_id, id);
      break;
    case EV_HEAL:
      rc = api->fault_heal (ctx, current_id (s, EV_PARTITION, e->logged_id));
      break;
    case EV_LINK:
      if ((rc = api->fault_link_add (ctx, &e->link, &id)) == DMAS_OK)
        remember_id (s, EV_LINK, e->logged_id, id);
      break;
    case EV_LINK_END:
      rc = api->fault_link_remove (ctx, current_id (s, EV_LINK, e->logged_id));
      break;
    case EV_BYZANTINE:
      rc = api->fault_byzantine (ctx, e->agent, &e->byz);
      break;
    case EV_BYZANTINE_END:
      rc = api->fault_byzantine (ctx, e->agent, &correct);
      break;
    case EV_DEGRADE:
      rc = api->fault_degrade (ctx, e->agent, e->factor);
      break;
    case EV_DEGRADE_END:
      rc = api->fault_degrade (ctx, e->agent, 1.0);
      break;
    }
  if (rc != DMAS_OK)
    {
      dmas_log (ctx, DMAS_LOG_INFO, "%s at %llu ns did not happen (status %d)",
                event_names[e->kind], (unsigned long long) e->t, rc);
      return;
    }
  if (e->length > 0)
    schedule_end (ctx, e, id);
}

static int
schedule_arm (void *self, DmasCtx *ctx, DmasError *err)
{
  Schedule *s = self;
  (void) err;

  for (size_t i = 0; i < s->n_events; i++)
    ctx->api->timer_add (ctx, s->events[i].t, on_event, &s->events[i], NULL);
  return DMAS_OK;
}

static const DmasFaultOps schedule_ops = {
  .struct_size = sizeof (DmasFaultOps),
  .create = schedule_create,
  .destroy = schedule_destroy,
  .arm = schedule_arm,
};

static const DmasParamSpec schedule_params[] = {
  { "file", DMAS_PARAM_STRING, "",
    "a JSON Lines timeline, one fault per line ({\"t\":30,\"fault\":\"crash\",\"agent\":1}), "
    "such as a run's faults.jsonl; relative to the config file" },
  { "inline", DMAS_PARAM_STRING, "",
    "more JSON lines in a string (a YAML block scalar), after the file's" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent schedule_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_FAULT,
    .name = "schedule",
    .api_major = DMAS_FAULT_API_MAJOR,
    .api_minor = DMAS_FAULT_API_MINOR,
    .ops = &schedule_ops,
    .summary = "replays an explicit timeline of faults (JSON Lines, a run's faults.jsonl)",
    .params = schedule_params,
  },
};

static const DmasPluginDesc schedule_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "schedule",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = schedule_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &schedule_desc;
}
