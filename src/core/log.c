/* log.c — fan-out of events to sinks. */
#include "core/log.h"

#include "core/i18n.h"
#include "core/logfilter.h"

#include <stdarg.h>
#include <string.h>

typedef struct {
  NsLogSinkFunc fn;
  gpointer data;
  GDestroyNotify destroy;
  NsLogSinkFlags flags;
} Sink;

struct NsLog {
  struct NsLogPublic pub; /* first: the inline accessors read it */
  GArray *sinks;          /* of Sink */
  NsLogFilter *filter;    /* owned, or NULL: every event */
  guint64 count;
};

NsLog *ns_log_new(void) {
  NsLog *log = g_new0(NsLog, 1);
  log->sinks = g_array_new(FALSE, TRUE, sizeof(Sink));
  return log;
}

void ns_log_close(NsLog *log) {
  if (log == NULL)
    return;
  for (guint i = 0; i < log->sinks->len; i++) {
    Sink *s = &g_array_index(log->sinks, Sink, i);
    if (s->destroy != NULL)
      s->destroy(s->data);
  }
  g_array_set_size(log->sinks, 0);
  log->pub.nsinks = 0;
  log->pub.nexplained = 0;
}

void ns_log_free(NsLog *log) {
  if (log == NULL)
    return;
  ns_log_close(log);
  g_array_free(log->sinks, TRUE);
  ns_log_filter_free(log->filter);
  g_free(log);
}

void ns_log_add_sink_flags(NsLog *log, NsLogSinkFunc fn, gpointer data,
                           GDestroyNotify destroy, NsLogSinkFlags flags) {
  g_return_if_fail(log != NULL && fn != NULL);
  Sink s = {fn, data, destroy, flags};
  g_array_append_val(log->sinks, s);
  log->pub.nsinks = log->sinks->len;
  if (flags & NS_SINK_EXPLAINED)
    log->pub.nexplained++;
}

void ns_log_add_sink(NsLog *log, NsLogSinkFunc fn, gpointer data,
                     GDestroyNotify destroy) {
  ns_log_add_sink_flags(log, fn, data, destroy, 0);
}

void ns_log_add_explained_sink(NsLog *log, NsLogSinkFunc fn, gpointer data,
                               GDestroyNotify destroy) {
  ns_log_add_sink_flags(log, fn, data, destroy, NS_SINK_EXPLAINED);
}

void ns_log_set_filter(NsLog *log, NsLogFilter *filter) {
  g_return_if_fail(log != NULL);
  ns_log_filter_free(log->filter);
  log->filter = ns_log_filter_is_empty(filter) ? NULL : filter;
  if (log->filter == NULL)
    ns_log_filter_free(filter);
}

void ns_log_set_explain(NsLog *log, gboolean explain) {
  g_return_if_fail(log != NULL);
  log->pub.explain = explain;
}

/* Sends ev to the sinks; an explain-only event only to those that get
 * reasons, one the filter drops only to the unfiltered ones. */
static void dispatch(NsLog *log, NsLogEvent *ev, const char *why,
                     gboolean explain_only) {
  g_autoptr(GString) scratch = NULL;
  const char *reason = (why != NULL && why[0] != '\0') ? why : NULL;
  const char *local = reason;
  if (reason != NULL && strchr(reason, NS_WHY_SEP) != NULL) {
    scratch = g_string_new(NULL);
    local = ns_why_split(reason, scratch, &reason);
  } else if (reason != NULL)
    local = gettext(reason); /* a fixed reason, N_()-marked */
  log->count++;
  gboolean shown = ns_log_filter_pass(log->filter, ev);
  for (guint i = 0; i < log->sinks->len; i++) {
    Sink *s = &g_array_index(log->sinks, Sink, i);
    gboolean reasons = log->pub.explain || (s->flags & NS_SINK_EXPLAINED);
    if (explain_only && !log->pub.explain && !(s->flags & NS_SINK_EXPLAIN_ONLY))
      continue;
    if (!shown && !(s->flags & NS_SINK_UNFILTERED))
      continue;
    ev->why = reasons ? reason : NULL;
    ev->why_local = reasons ? local : NULL;
    s->fn(ev, s->data);
  }
}

void ns_log_event_bytes(NsLog *log, NsTime time, const char *node,
                        const char *event, guint64 frame, const char *why,
                        const char *summary, const guint8 *bytes, gsize len) {
  if (!ns_log_on(log))
    return;
  NsLogEvent ev = {.time = time,
                   .node = node,
                   .event = event,
                   .frame = frame,
                   .summary = summary,
                   .bytes = bytes,
                   .len = bytes != NULL ? len : 0};
  dispatch(log, &ev, why, FALSE);
}

/* Most summaries are one short line: they are formatted on the stack; a
 * longer one (a big `show`-like dump, a long path) gets a heap buffer of
 * its exact size instead of being cut. */
#define LOG_LINE_STACK 512

static void log_vprintf(NsLog *log, NsLogEvent *ev, const char *why,
                        gboolean explain_only, const char *fmt, va_list ap) {
  char buf[LOG_LINE_STACK];
  va_list again;
  va_copy(again, ap);
  gint n = g_vsnprintf(buf, sizeof buf, fmt, ap);
  if (n >= 0 && (gsize)n < sizeof buf) {
    va_end(again);
    ev->summary = buf;
    dispatch(log, ev, why, explain_only);
    return;
  }
  g_autofree char *big = g_strdup_vprintf(fmt, again);
  va_end(again);
  ev->summary = big;
  dispatch(log, ev, why, explain_only);
}

void ns_log_printf(NsLog *log, NsTime time, const char *node, const char *event,
                   guint64 frame, const char *why, const char *fmt, ...) {
  if (!ns_log_on(log))
    return;
  NsLogEvent ev = {.time = time, .node = node, .event = event, .frame = frame};
  va_list ap;
  va_start(ap, fmt);
  log_vprintf(log, &ev, why, FALSE, fmt, ap);
  va_end(ap);
}

void ns_log_explain_printf(NsLog *log, NsTime time, const char *node,
                           const char *event, guint64 frame, const char *why,
                           const char *fmt, ...) {
  if (!ns_log_explain(log))
    return;
  NsLogEvent ev = {.time = time, .node = node, .event = event, .frame = frame};
  va_list ap;
  va_start(ap, fmt);
  log_vprintf(log, &ev, why, TRUE, fmt, ap);
  va_end(ap);
}

void ns_log_event(NsLog *log, NsTime time, const char *node, const char *event,
                  guint64 frame, const char *why, const char *summary) {
  ns_log_event_bytes(log, time, node, event, frame, why, summary, NULL, 0);
}

guint64 ns_log_count(const NsLog *log) { return log->count; }
