/* logfilter.c — which events a reader wants (see logfilter.h). */
#include "core/logfilter.h"
#include "core/i18n.h"

#include <string.h>

#include "core/text.h"

/* Bookkeeping (--brief drops it): the cache already knew (arp/hit), the
 * queued datagram finally leaves (arp/release, after arp/learn told the
 * news), another datagram waits for the same answer (arp/pending), a
 * service opened at the start, a buffer autotuned, a delayed ACK's timer,
 * a member keeping quiet because another answered, a vxlan segment's
 * socket opened. */
const NsLogEventInfo ns_log_events[] = {
    {"switch/learn", FALSE},
    {"switch/move", FALSE},
    {"switch/age", FALSE},
    {"switch/evict", FALSE},
    {"switch/flood", FALSE},
    {"switch/forward", FALSE},
    {"switch/filter", FALSE},
    {"switch/port-down", FALSE},
    {"switch/drop", FALSE},
    {"switch/igmp-join", FALSE},
    {"switch/igmp-leave", FALSE},
    {"switch/igmp-expire", FALSE},
    {"switch/igmp-router", TRUE},
    {"link/drop", FALSE},
    {"link/duplicate", FALSE},
    {"link/corrupt", FALSE},
    {"link/reorder", FALSE},
    {"link/up", FALSE},
    {"link/down", FALSE},
    {"link/frame", FALSE},
    {"arp/request", FALSE},
    {"arp/reply", FALSE},
    {"arp/learn", FALSE},
    {"arp/ignore", FALSE},
    {"arp/evict", FALSE},
    {"arp/hit", TRUE},
    {"arp/miss", FALSE},
    {"arp/pending", TRUE},
    {"arp/release", TRUE},
    {"arp/fail", FALSE},
    {"arp/expire", FALSE},
    {"arp/drop", FALSE},
    {"ip/send", FALSE},
    {"ip/loopback", FALSE},
    {"ip/drop", FALSE},
    {"ip/address", FALSE},
    {"eth/ignore", FALSE},
    {"eth/unknown-type", FALSE},
    {"route/forward", FALSE},
    {"route/no-route", FALSE},
    {"route/ttl-exceeded", FALSE},
    {"route/no-broadcast", FALSE},
    {"igmp/report", FALSE},
    {"igmp/leave", FALSE},
    {"igmp/query", FALSE},
    {"igmp/receive", FALSE},
    {"igmp/suppress", TRUE},
    {"igmp/member", FALSE},
    {"igmp/expire", FALSE},
    {"igmp/querier", FALSE},
    {"igmp/drop", FALSE},
    {"icmp/echo", FALSE},
    {"icmp/ignore", FALSE},
    {"icmp/receive", FALSE},
    {"icmp/drop", FALSE},
    {"udp/send", FALSE},
    {"udp/deliver", FALSE},
    {"udp/drop", FALSE},
    {"tcp/state", FALSE},
    {"tcp/retransmit", FALSE},
    {"tcp/sack", FALSE},
    {"tcp/rst", FALSE},
    {"tcp/drop", FALSE},
    {"tcp/window", FALSE},
    {"tcp/buffer", TRUE},
    {"tcp/ack", TRUE},
    {"tcp/accept", FALSE},
    {"tcp/ratelimit", FALSE},
    {"service/start", TRUE},
    {"service/accept", FALSE},
    {"service/receive", FALSE},
    {"service/reply", FALSE},
    {"service/close", FALSE},
    {"ping/timeout", FALSE},
    {"ping/done", FALSE},
    {"trace/hop", FALSE},
    {"trace/done", FALSE},
    {"bridge/listen", FALSE},
    {"bridge/accept", FALSE},
    {"bridge/connect", FALSE},
    {"bridge/close", FALSE},
    {"bridge/refuse", FALSE},
    {"bridge/udp-map", FALSE},
    {"bridge/udp-expire", FALSE},
    {"bridge/drop", FALSE},
    {"bridge/udp-refused", FALSE},
    {"vxlan/open", TRUE},
    {"vxlan/send", FALSE},
    {"vxlan/receive", FALSE},
    {"vxlan/drop", FALSE},
    {"clock/behind", FALSE},
    {NULL, FALSE},
};

struct NsLogFilter {
  GPtrArray *only;  /* of owned prefixes; empty: all */
  GPtrArray *nodes; /* of owned names; empty: all */
  gboolean brief;
};

NsLogFilter *ns_log_filter_new(void) {
  NsLogFilter *f = g_new0(NsLogFilter, 1);
  f->only = g_ptr_array_new_with_free_func(g_free);
  f->nodes = g_ptr_array_new_with_free_func(g_free);
  return f;
}

void ns_log_filter_free(NsLogFilter *f) {
  if (f == NULL)
    return;
  g_ptr_array_unref(f->only);
  g_ptr_array_unref(f->nodes);
  g_free(f);
}

/* Whether --only's word w keeps the event named name: its family
 * ("arp"), the name itself, or a prefix of it after the '/'. */
static gboolean only_matches(const char *w, const char *name) {
  gsize len = strlen(w);
  if (strncmp(name, w, len) != 0)
    return FALSE;
  return name[len] == '\0' || name[len] == '/' || strchr(w, '/') != NULL;
}

/* The families ("arp", "switch", ...) and, when w names one event
 * ("arp/relase"), the event names too: what a slip may have meant. */
static GPtrArray *only_words(const char *w) {
  GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
  for (const NsLogEventInfo *e = ns_log_events; e->name != NULL; e++) {
    char *family = g_strndup(e->name, strcspn(e->name, "/"));
    if (words->len == 0 ||
        strcmp(g_ptr_array_index(words, words->len - 1), family) != 0)
      g_ptr_array_add(words, family);
    else
      g_free(family);
  }
  for (const NsLogEventInfo *e = ns_log_events;
       strchr(w, '/') != NULL && e->name != NULL; e++)
    g_ptr_array_add(words, g_strdup(e->name));
  g_ptr_array_add(words, NULL);
  return words;
}

static gboolean check_only(const char *w, GError **error) {
  for (const NsLogEventInfo *e = ns_log_events; e->name != NULL; e++)
    if (only_matches(w, e->name))
      return TRUE;
  g_autoptr(GPtrArray) words = only_words(w);
  const char *near = ns_text_closest(w, (const char *const *)words->pdata);
  g_autofree char *hint =
      near != NULL ? g_strdup_printf(" (did you mean '%s'?)", near) : NULL;
  /* the families alone, for the list */
  g_autoptr(GPtrArray) families = only_words("");
  g_autofree char *all = g_strjoinv(", ", (char **)families->pdata);
  g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
              _("'%s' is no event family or name%s; families: %s"), w,
              hint != NULL ? hint : "", all);
  return FALSE;
}

static gboolean check_node(const char *w, const char *const *names,
                           GError **error) {
  if (g_strv_contains(names, w))
    return TRUE;
  const char *near = ns_text_closest(w, names);
  g_autofree char *hint =
      near != NULL ? g_strdup_printf(" (did you mean '%s'?)", near) : NULL;
  g_autofree char *all = g_strjoinv(", ", (char **)names);
  g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
              _("'%s' is not a node%s; nodes: %s"), w, hint != NULL ? hint : "",
              all);
  return FALSE;
}

/* Splits list at commas into to, each word checked (names NULL: as a
 * family, else as one of names).  Nothing is added on an error. */
static gboolean add_words(GPtrArray *to, const char *list,
                          const char *const *names, GError **error) {
  g_auto(GStrv) words = g_strsplit(list, ",", -1);
  for (guint i = 0; words[i] != NULL; i++) {
    g_strstrip(words[i]);
    if (words[i][0] == '\0') {
      g_set_error(error, NS_ERROR, NS_ERROR_PARSE, _("an empty name in '%s'"),
                  list);
      return FALSE;
    }
    if (!(names == NULL ? check_only(words[i], error)
                        : check_node(words[i], names, error)))
      return FALSE;
  }
  for (guint i = 0; words[i] != NULL; i++)
    g_ptr_array_add(to, g_strdup(words[i]));
  return TRUE;
}

gboolean ns_log_filter_add_only(NsLogFilter *f, const char *list,
                                GError **error) {
  g_return_val_if_fail(f != NULL && list != NULL, FALSE);
  return add_words(f->only, list, NULL, error);
}

gboolean ns_log_filter_add_nodes(NsLogFilter *f, const char *list,
                                 const char *const *names, GError **error) {
  g_return_val_if_fail(f != NULL && list != NULL && names != NULL, FALSE);
  return add_words(f->nodes, list, names, error);
}

void ns_log_filter_set_brief(NsLogFilter *f, gboolean brief) {
  g_return_if_fail(f != NULL);
  f->brief = brief;
}

gboolean ns_log_filter_is_empty(const NsLogFilter *f) {
  return f == NULL || (f->only->len == 0 && f->nodes->len == 0 && !f->brief);
}

static gboolean is_bookkeeping(const char *event) {
  for (const NsLogEventInfo *e = ns_log_events; e->name != NULL; e++)
    if (strcmp(e->name, event) == 0)
      return e->bookkeeping;
  return FALSE;
}

gboolean ns_log_filter_pass(const NsLogFilter *f, const NsLogEvent *ev) {
  if (f == NULL)
    return TRUE;
  if (f->nodes->len > 0 &&
      !g_ptr_array_find_with_equal_func(f->nodes, ev->node, g_str_equal, NULL))
    return FALSE;
  if (f->only->len > 0) {
    guint i = 0;
    while (i < f->only->len &&
           !only_matches(g_ptr_array_index(f->only, i), ev->event))
      i++;
    if (i == f->only->len)
      return FALSE;
  }
  return !f->brief || !is_bookkeeping(ev->event);
}
