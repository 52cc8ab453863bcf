/* watch.c — a GSource on one descriptor whose conditions change.
 *
 * A relay stops reading its outside socket when the simulated side is
 * full and starts again when it drains, many times a second under load:
 * g_source_modify_unix_fd() changes the conditions in place, where a
 * GSocket source would have to be destroyed and made again each time.
 *
 * Before the callback runs, the clock is caught up to the wall clock: what
 * the outside did happens at the virtual time it is now.  Catching up runs
 * simulated events, which may end the relay that owns this watch (a reset
 * arrived); the callback is then skipped.  After it, the clock is re-armed
 * for the events the callback added.
 */
#include "bridge/bridge_private.h"

struct NsWatch {
  GSource source;
  int fd;
  gpointer tag;      /* g_source_add_unix_fd's; NULL while cond is 0 */
  GIOCondition cond; /* what is watched now */
  NsClock *clock;    /* borrowed */
  NsWatchFunc fn;
  gpointer data;
};

static gboolean watch_dispatch(GSource *s, GSourceFunc cb, gpointer data) {
  (void)cb;
  (void)data;
  NsWatch *w = (NsWatch *)s;
  if (w->tag == NULL)
    return G_SOURCE_CONTINUE;
  GIOCondition got = g_source_query_unix_fd(s, w->tag);
  ns_clock_catch_up(w->clock);
  if (g_source_is_destroyed(s))
    return G_SOURCE_REMOVE;
  got &= w->cond | G_IO_HUP | G_IO_ERR;
  if (got != 0)
    w->fn(got, w->data);
  ns_clock_rearm(w->clock);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs watch_funcs = {.dispatch = watch_dispatch};

NsWatch *ns_watch_new(NsClock *clock, int fd, GIOCondition cond, NsWatchFunc fn,
                      gpointer data) {
  GSource *s = g_source_new(&watch_funcs, sizeof(NsWatch));
  NsWatch *w = (NsWatch *)s;
  w->cond = cond;
  w->clock = clock;
  w->fn = fn;
  w->data = data;
  w->fd = fd;
  w->tag = cond != 0 ? g_source_add_unix_fd(s, fd, cond) : NULL;
  g_source_set_name(s, "netsim bridge socket");
  g_source_attach(s, ns_clock_context(clock));
  return w;
}

/* Watching nothing takes the descriptor out of the poll altogether: poll
 * reports a hang-up whatever it is asked, and a paused relay that cannot
 * act on it would be woken again and again. */
void ns_watch_set(NsWatch *w, GIOCondition cond) {
  if (w->cond == cond)
    return;
  w->cond = cond;
  if (cond == 0) {
    g_source_remove_unix_fd(&w->source, w->tag);
    w->tag = NULL;
  } else if (w->tag == NULL) {
    w->tag = g_source_add_unix_fd(&w->source, w->fd, cond);
  } else {
    g_source_modify_unix_fd(&w->source, w->tag, cond);
  }
}

GIOCondition ns_watch_get(const NsWatch *w) { return w->cond; }

void ns_watch_free(NsWatch *w) {
  if (w == NULL)
    return;
  g_source_destroy(&w->source);
  g_source_unref(&w->source);
}
