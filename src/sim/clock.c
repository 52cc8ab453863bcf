/* clock.c — fast and real-time virtual clocks on a GLib main context. */
#include "sim/clock.h"
#include "core/i18n.h"

#include <errno.h>
#include <glib-unix.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "sim/signals.h"

/* The longest the timer sleeps: a far event is re-checked now and then. */
#define ARM_MAX (60 * NS_SEC)
/* Real time: a step that ends this far behind the wall clock is reported
 * (clock/behind), at most once per REPORT_EVERY of wall time. */
#define BEHIND_REPORT (100 * NS_MSEC)
#define REPORT_EVERY_US G_USEC_PER_SEC

struct NsClock {
  NsNet *net; /* borrowed */
  NsClockMode mode;
  GMainContext *context; /* a reference */
  NsTime limit;          /* no advance passes it */
  NsTime until;          /* a running wait's end (NS_TIME_NEVER: none) */
  gint64 base_wall;      /* monotonic µs when virtual time was base_virtual */
  NsTime base_virtual;
  /* Real time: a timerfd (CLOCK_MONOTONIC, as g_get_monotonic_time) set
   * to the wall time of the next advance, watched on the context.  A
   * GLib timeout would round every wake-up to the millisecond: a frame
   * 10 µs away would wait 1 ms, at every step of a bridge's round trip. */
  int timer_fd;   /* -1 in fast mode */
  GSource *timer; /* its watch */
  gboolean armed;
  NsTime armed_at; /* while armed: the monotonic ns it is set to */
  GSource *signal; /* real time: the signal wake-up watch, or NULL */
  NsClockFunc advance_fn;
  gpointer advance_data;
  NsClockFunc before_fn; /* before each timed advance, or NULL */
  gpointer before_data;
  gboolean stopped;
  gint64 last_report; /* monotonic µs of the last clock/behind, or 0 */
};

static void source_drop(GSource **s) {
  if (*s != NULL) {
    g_source_destroy(*s);
    g_source_unref(*s);
    *s = NULL;
  }
}

static gboolean done(const NsClock *c) {
  return c->stopped || ns_sched_interrupted(ns_net_sched(c->net));
}

NsTime ns_clock_now(NsClock *c) {
  if (c->mode == NS_CLOCK_FAST)
    return MIN(ns_net_now(c->net), c->limit);
  gint64 elapsed = g_get_monotonic_time() - c->base_wall;
  return MIN(c->base_virtual + (NsTime)MAX(elapsed, 0) * NS_USEC, c->limit);
}

/* Real time: runs the net up to now, but not past a running wait's end. */
static NsTime advance(NsClock *c) {
  NsTime target = MIN(ns_clock_now(c), c->until);
  ns_net_run_until(c->net, target);
  return target;
}

/* Real time: the events up to target have run; if the wall clock went on
 * far past target meanwhile, they ran late, and the log says so (virtual
 * time does not drift: the next step jumps to the wall clock's time). */
static void report_lag(NsClock *c, NsTime target) {
  NsTime now = ns_clock_now(c);
  /* An interrupted advance never reached target: nothing to say there. */
  if (now < target + BEHIND_REPORT ||
      ns_sched_interrupted(ns_net_sched(c->net)))
    return;
  gint64 wall = g_get_monotonic_time();
  if (c->last_report != 0 && wall - c->last_report < REPORT_EVERY_US)
    return;
  c->last_report = wall;
  NsLog *log = ns_net_log(c->net);
  if (ns_log_on(log))
    ns_log_printf(log, target, "sim", "clock/behind", 0,
                  ns_log_explain(log)
                      ? N_("simulating the last events took longer than the "
                           "wall time they stand for: events run late, and "
                           "virtual time jumps to the wall clock's at the next "
                           "step")
                      : NULL,
                  "the simulation is %.3f s behind the wall clock",
                  (double)(now - target) / NS_SEC);
}

static void disarm(NsClock *c) {
  if (c->armed) {
    struct itimerspec off = {{0, 0}, {0, 0}};
    (void)timerfd_settime(c->timer_fd, 0, &off, NULL);
    c->armed = FALSE;
  }
}

static gboolean on_timer(gint fd, GIOCondition cond, gpointer data) {
  NsClock *c = data;
  (void)cond;
  guint64 expirations;
  if (read(fd, &expirations, sizeof expirations) < 0 && errno == EAGAIN)
    return G_SOURCE_CONTINUE; /* re-armed since it fired */
  c->armed = FALSE;
  if (c->before_fn != NULL)
    c->before_fn(c, c->before_data);
  NsTime target = advance(c);
  report_lag(c, target);
  if (c->advance_fn != NULL)
    c->advance_fn(c, c->advance_data);
  if (target >= c->limit)
    ns_clock_stop(c);
  else
    ns_clock_rearm(c);
  return G_SOURCE_CONTINUE;
}

void ns_clock_rearm(NsClock *c) {
  g_return_if_fail(c != NULL);
  if (c->mode == NS_CLOCK_FAST)
    return;
  NsTime next =
      MIN(MIN(ns_sched_next(ns_net_sched(c->net)), c->limit), c->until);
  if (done(c) || next == NS_TIME_NEVER) {
    disarm(c);
    return;
  }
  /* The wall time of virtual time next, in monotonic ns; a time already
   * past fires at once (but 0 would disarm the timer). */
  NsTime base_ns = (NsTime)c->base_wall * NS_USEC;
  NsTime at =
      next > c->base_virtual ? base_ns + (next - c->base_virtual) : base_ns;
  NsTime now_ns = (NsTime)g_get_monotonic_time() * NS_USEC;
  /* Whole µs, rounded up: ns_clock_now() counts in µs, and a wake-up
   * before the µs of the event would find nothing to do yet. */
  at = (MIN(MAX(at, 1), now_ns + ARM_MAX) + NS_USEC - 1) / NS_USEC * NS_USEC;
  if (c->armed && c->armed_at == at)
    return; /* a system call saved, on a bridge's every packet */
  struct itimerspec when = {{0, 0},
                            {(time_t)(at / NS_SEC), (long)(at % NS_SEC)}};
  (void)timerfd_settime(c->timer_fd, TFD_TIMER_ABSTIME, &when, NULL);
  c->armed = TRUE;
  c->armed_at = at;
}

/* A signal arrived: the scheduler fires nothing more; end every wait. */
static gboolean on_signal(gint fd, GIOCondition cond, gpointer data) {
  NsClock *c = data;
  (void)fd;
  (void)cond;
  g_source_unref(c->signal);
  c->signal = NULL; /* removed by returning G_SOURCE_REMOVE */
  ns_clock_stop(c);
  return G_SOURCE_REMOVE;
}

NsClock *ns_clock_new(NsNet *net, NsClockMode mode, GMainContext *context) {
  g_return_val_if_fail(net != NULL, NULL);
  NsClock *c = g_new0(NsClock, 1);
  c->net = net;
  c->mode = mode;
  c->context = g_main_context_ref(context ? context : g_main_context_default());
  c->limit = NS_TIME_NEVER;
  c->until = NS_TIME_NEVER;
  c->timer_fd = -1;
  if (mode == NS_CLOCK_REALTIME) {
    c->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (c->timer_fd < 0)
      g_error("timerfd_create: %s", g_strerror(errno));
    c->timer = g_unix_fd_source_new(c->timer_fd, G_IO_IN);
    g_source_set_callback(c->timer, G_SOURCE_FUNC(on_timer), c, NULL);
    g_source_attach(c->timer, c->context);
  }
  if (mode == NS_CLOCK_REALTIME && ns_signals_wake_fd() >= 0) {
    c->signal = g_unix_fd_source_new(ns_signals_wake_fd(), G_IO_IN);
    g_source_set_callback(c->signal, G_SOURCE_FUNC(on_signal), c, NULL);
    g_source_attach(c->signal, c->context);
  }
  ns_clock_resync(c);
  return c;
}

void ns_clock_free(NsClock *c) {
  if (c == NULL)
    return;
  source_drop(&c->timer);
  source_drop(&c->signal);
  if (c->timer_fd >= 0)
    close(c->timer_fd);
  g_main_context_unref(c->context);
  g_free(c);
}

NsClockMode ns_clock_mode(const NsClock *c) { return c->mode; }
GMainContext *ns_clock_context(NsClock *c) { return c->context; }

void ns_clock_set_limit(NsClock *c, NsTime limit) {
  g_return_if_fail(c != NULL);
  c->limit = limit;
  ns_clock_rearm(c);
}

void ns_clock_set_advance_func(NsClock *c, NsClockFunc fn, gpointer data) {
  g_return_if_fail(c != NULL);
  c->advance_fn = fn;
  c->advance_data = data;
}

void ns_clock_set_before_func(NsClock *c, NsClockFunc fn, gpointer data) {
  g_return_if_fail(c != NULL);
  c->before_fn = fn;
  c->before_data = data;
}

void ns_clock_catch_up(NsClock *c) {
  g_return_if_fail(c != NULL);
  if (c->mode == NS_CLOCK_REALTIME)
    advance(c);
}

void ns_clock_resync(NsClock *c) {
  g_return_if_fail(c != NULL);
  c->base_wall = g_get_monotonic_time();
  c->base_virtual = ns_net_now(c->net);
  if (c->base_virtual >= c->limit)
    ns_clock_stop(c);
  else
    ns_clock_rearm(c);
}

void ns_clock_run(NsClock *c) {
  g_return_if_fail(c != NULL);
  while (!done(c))
    g_main_context_iteration(c->context, TRUE);
}

/* Iterates the context, with ticks clamped to end, while more() holds. */
static void iterate_until(NsClock *c, NsTime end,
                          gboolean (*more)(NsClock *, NsTime)) {
  NsTime outer = c->until;
  c->until = MIN(outer, end);
  ns_clock_rearm(c);
  while (!done(c) && more(c, end))
    g_main_context_iteration(c->context, TRUE);
  c->until = outer;
  ns_clock_rearm(c);
}

static gboolean before(NsClock *c, NsTime end) {
  return ns_net_now(c->net) < end;
}

static gboolean busy_before(NsClock *c, NsTime end) {
  return ns_net_busy(c->net) && ns_sched_next(ns_net_sched(c->net)) <= end;
}

void ns_clock_wait_until(NsClock *c, NsTime t) {
  g_return_if_fail(c != NULL);
  t = MIN(t, c->limit);
  if (c->mode == NS_CLOCK_FAST)
    ns_net_run_until(c->net, t);
  else
    iterate_until(c, t, before);
}

void ns_clock_wait_idle(NsClock *c, NsTime limit) {
  g_return_if_fail(c != NULL);
  limit = MIN(limit, c->limit);
  if (c->mode == NS_CLOCK_FAST)
    ns_net_run_idle(c->net, limit);
  else
    iterate_until(c, limit, busy_before);
}

void ns_clock_stop(NsClock *c) {
  g_return_if_fail(c != NULL);
  c->stopped = TRUE;
  if (c->timer_fd >= 0)
    disarm(c);
}

gboolean ns_clock_stopped(const NsClock *c) { return done(c); }
