/* log.h — the one event stream.
 *
 * Every module reports what happened as a named event ("switch/learn",
 * "arp/request", "route/lookup", ...) through an NsLog.  Sinks hang off the
 * stream: the text writer, the JSON lines writer, the scenario runner's
 * memory for "expect log contains", later the HTML replay.  A device never
 * prints.
 *
 * Cost when nobody listens: callers test ns_log_on() before formatting
 * anything, so a run with no sink formats nothing on its hot paths.  The
 * "why" text (the teaching explanation) is only built when
 * ns_log_explain() is true: when explanations were switched on for every
 * sink (--explain), or some sink always wants them (the scenario memory
 * behind `expect log`, which must not depend on --explain).  A sink that
 * did not ask gets why = NULL.
 *
 * Explain-only events (arp/hit: bookkeeping that matters only to someone
 * reading the reasons) are emitted with ns_log_explain_printf(), under
 * ns_log_explain(): they reach only the sinks that get reasons — every
 * sink with --explain, else only the explained ones.  So the console's
 * memory for `expect log` sees them while its text log, without -e, does
 * not: one rule for the console and a piped script.
 *
 * A filter (core/logfilter.h: --only, --node, --brief) set with
 * ns_log_set_filter() decides which events the sinks see, once per event
 * for all of them (text, JSON lines, the replay), except a sink added
 * with NS_SINK_UNFILTERED (the scenario's memory behind `expect log`:
 * what a script tests never depends on what is shown).
 *
 * An event may carry the bytes of the frame it is about (bytes, len):
 * only "link/frame", the --layers events (trace/framelog.h); every other
 * event has bytes = NULL.  The text and JSON writers decode such bytes
 * layer by layer (wire/layers.h).
 *
 * A reason may be packed in two languages (core/i18n.h): the log splits
 * it, sinks get the English text as why and the translation as why_local.
 *
 * Event names are stable: tests and the documented log schema use them.
 */
#pragma once

#include "core/addr.h"

G_BEGIN_DECLS

typedef struct {
  NsTime time;           /* virtual time of the event */
  const char *node;      /* device name ("sw1"), or "sim" */
  const char *event;     /* stable name, "module/what" */
  guint64 frame;         /* frame journey id, 0 when none */
  const char *summary;   /* one line, what happened */
  const char *why;       /* the reason, or NULL (only with explain) */
  const char *why_local; /* the reason in the user's language (core/i18n.h:
                            the text log shows it; `expect log` and JSON
                            keep why), NULL when why is */
  const guint8 *bytes;   /* the frame itself (link/frame), or NULL */
  gsize len;             /* bytes at bytes, 0 when NULL */
} NsLogEvent;

typedef void (*NsLogSinkFunc)(const NsLogEvent *ev, gpointer data);

typedef struct NsLog NsLog;
typedef struct NsLogFilter NsLogFilter;

/* How a sink takes the stream (ns_log_add_sink_flags). */
typedef enum {
  NS_SINK_EXPLAINED = 1 << 0,  /* always gets the reasons */
  NS_SINK_UNFILTERED = 1 << 1, /* sees events the filter drops */
  /* sees the explain-only events (arp/hit) without --explain too; without
   * it a sink gets them only with --explain, reasons or not (the --html
   * replay has every reason, and what -e shows) */
  NS_SINK_EXPLAIN_ONLY = 1 << 2,
} NsLogSinkFlags;

NsLog *ns_log_new(void);
void ns_log_free(NsLog *log);
/* The run is over: every sink is let go (its destroy called) and nothing
 * more is logged, so that tearing the network down (services resetting
 * their connections, say) writes nothing after the run's end. */
void ns_log_close(NsLog *log);
/* Adds a sink; destroy (may be NULL) frees data when the log is freed.
 * The sink sees reasons only while ns_log_set_explain() is on. */
void ns_log_add_sink(NsLog *log, NsLogSinkFunc fn, gpointer data,
                     GDestroyNotify destroy);
/* Adds a sink that always gets the reasons. */
void ns_log_add_explained_sink(NsLog *log, NsLogSinkFunc fn, gpointer data,
                               GDestroyNotify destroy);
/* Adds a sink as flags say. */
void ns_log_add_sink_flags(NsLog *log, NsLogSinkFunc fn, gpointer data,
                           GDestroyNotify destroy, NsLogSinkFlags flags);
/* The filter the sinks see events through (taken; NULL: none). */
void ns_log_set_filter(NsLog *log, NsLogFilter *filter);
/* Reasons for every sink (--explain). */
void ns_log_set_explain(NsLog *log, gboolean explain);

/* TRUE when at least one sink listens. */
static inline gboolean ns_log_on(const NsLog *log);
/* TRUE when events should carry their reason. */
static inline gboolean ns_log_explain(const NsLog *log);

/* Sends one event to every sink.  Strings are borrowed for the call. */
void ns_log_event(NsLog *log, NsTime time, const char *node, const char *event,
                  guint64 frame, const char *why, const char *summary);
/* Same, carrying a frame's len bytes (borrowed for the call): the
 * --layers events, which writers decode layer by layer. */
void ns_log_event_bytes(NsLog *log, NsTime time, const char *node,
                        const char *event, guint64 frame, const char *why,
                        const char *summary, const guint8 *bytes, gsize len);
/* Same as ns_log_event, with a printf-style summary. */
void ns_log_printf(NsLog *log, NsTime time, const char *node, const char *event,
                   guint64 frame, const char *why, const char *fmt, ...)
    G_GNUC_PRINTF(7, 8);

/* Same as ns_log_printf for an explain-only event: only sinks that get
 * reasons see it (call it under ns_log_explain()). */
void ns_log_explain_printf(NsLog *log, NsTime time, const char *node,
                           const char *event, guint64 frame, const char *why,
                           const char *fmt, ...) G_GNUC_PRINTF(7, 8);

/* Events emitted so far (for statistics). */
guint64 ns_log_count(const NsLog *log);

/* ---- inline implementation ---------------------------------------------- */

struct NsLogPublic {
  guint nsinks;     /* sinks listening */
  guint nexplained; /* of which always want reasons */
  gboolean explain; /* reasons for every sink */
};

static inline gboolean ns_log_on(const NsLog *log) {
  return log != NULL && ((const struct NsLogPublic *)log)->nsinks > 0;
}
static inline gboolean ns_log_explain(const NsLog *log) {
  const struct NsLogPublic *p = (const struct NsLogPublic *)log;
  return ns_log_on(log) && (p->explain || p->nexplained > 0);
}

G_END_DECLS
