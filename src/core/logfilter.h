/* logfilter.h — which events a reader wants: `--only`, `--node`, `--brief`.
 *
 * A class looking at one thing (ARP, the switch's learning, what h1 does)
 * drowns in the whole log.  A filter picks events by three tests, all of
 * which must hold:
 *   only   the event's family or a prefix of its name: "arp" keeps
 *          arp/request and arp/reply, "switch/igmp" keeps
 *          switch/igmp-join; empty: every event;
 *   nodes  the event's node ("h1"); empty: every node;
 *   brief  drops bookkeeping events, marked in ns_log_events (arp/hit,
 *          arp/release, ...): what the story does not need.
 * The filter sits in the one event stream (core/log.h,
 * ns_log_set_filter): every writer (text, JSON lines, the --html replay)
 * sees the same subset, while the scenario's memory behind `expect log`
 * sees every event (a display option never changes what a script tests).
 *
 * ns_log_events lists every event name the modules emit, the documented
 * schema (README's table of events).  A new event is one row there.
 */
#pragma once

#include "core/log.h"

G_BEGIN_DECLS

typedef struct {
  const char *name;     /* "arp/release" */
  gboolean bookkeeping; /* --brief drops it */
} NsLogEventInfo;

/* Every event name, by family; ended by a row with name NULL. */
extern const NsLogEventInfo ns_log_events[];

typedef struct NsLogFilter NsLogFilter;

/* A filter that keeps every event. */
NsLogFilter *ns_log_filter_new(void);
void ns_log_filter_free(NsLogFilter *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NsLogFilter, ns_log_filter_free)

/* Adds the comma-separated families or prefixes of list ("arp,switch")
 * to only.  FALSE with error (naming the word and the closest family) for
 * a word no event name starts with; nothing is added then. */
gboolean ns_log_filter_add_only(NsLogFilter *f, const char *list,
                                GError **error);
/* Adds the comma-separated node names of list to nodes; each must be one
 * of names (NULL-terminated), else FALSE with error ("did you mean"). */
gboolean ns_log_filter_add_nodes(NsLogFilter *f, const char *list,
                                 const char *const *names, GError **error);
void ns_log_filter_set_brief(NsLogFilter *f, gboolean brief);
/* Whether f keeps nothing out (no test set). */
gboolean ns_log_filter_is_empty(const NsLogFilter *f);

/* Whether ev passes f. */
gboolean ns_log_filter_pass(const NsLogFilter *f, const NsLogEvent *ev);

G_END_DECLS
