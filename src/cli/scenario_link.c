/* scenario_link.c — link A B up|down|set [loss P] [delay TIME] [rate RATE]
 * [queue N]: a cable taken down, brought up, or given new parameters. */
#include <string.h>

#include "cli/scenario_private.h"
#include "cli/show.h"
#include "core/units.h"

typedef enum { LINK_UP, LINK_DOWN, LINK_SET } LinkVerb;

/* The words after the link's ends, in LinkVerb order. */
static const char *const link_verbs[] = {"up", "down", "set", NULL};

typedef struct {
  LinkVerb verb;
  gboolean set_loss, set_delay, set_rate, set_queue;
  NsLinkParams params; /* link set: the fields marked set_* */
} LinkArgs;

/* ---- link set's settings ------------------------------------------------ */

/* Reports a value parser's error as this line's. */
static gboolean fail_value(ScParser *p, const char *ctx, GError *e) {
  gboolean ok = ns_sc_fail(p, "%s: %s", ctx,
                           e != NULL ? e->message : "a value is missing");
  g_clear_error(&e);
  return ok;
}

/* "0.1" or "10%". */
static gboolean parse_loss(ScParser *p, LinkArgs *a) {
  const char *w = ns_sc_take(p);
  GError *e = NULL;
  a->set_loss = TRUE;
  return (w != NULL && ns_loss_parse(w, &a->params.loss, &e)) ||
         fail_value(p, "'loss'", e);
}

static gboolean parse_delay(ScParser *p, LinkArgs *a) {
  a->set_delay = TRUE;
  return ns_sc_time(p, "'delay'", 0, SC_HOUR, &a->params.delay);
}

/* "10Mbit", "1Gbit", "0" (unlimited). */
static gboolean parse_rate(ScParser *p, LinkArgs *a) {
  const char *w = ns_sc_take(p);
  GError *e = NULL;
  a->set_rate = TRUE;
  return (w != NULL && ns_rate_parse(w, &a->params.rate_bps, &e)) ||
         fail_value(p, "'rate'", e);
}

static gboolean parse_queue(ScParser *p, LinkArgs *a) {
  guint64 q;
  a->set_queue = TRUE;
  if (!ns_sc_uint(p, "'queue'", 1, 100000, &q))
    return FALSE;
  a->params.queue_limit = (guint)q;
  return TRUE;
}

static const struct {
  const char *name;
  gboolean (*parse)(ScParser *p, LinkArgs *a);
} settings[] = {
    {"loss", parse_loss},
    {"delay", parse_delay},
    {"rate", parse_rate},
    {"queue", parse_queue},
};

static gboolean parse_settings(ScParser *p, LinkArgs *a) {
  ScSeen seen = {0};
  while (ns_sc_peek(p) != NULL) {
    const char *opt = ns_sc_take(p);
    guint i = 0;
    if (!ns_sc_once(p, &seen, opt))
      return FALSE;
    while (i < G_N_ELEMENTS(settings) && strcmp(settings[i].name, opt) != 0)
      i++;
    if (i == G_N_ELEMENTS(settings)) {
      const char *names[G_N_ELEMENTS(settings)];
      for (guint j = 0; j < G_N_ELEMENTS(settings); j++)
        names[j] = settings[j].name;
      g_autofree char *all = ns_sc_or_list(names, G_N_ELEMENTS(names));
      return ns_sc_fail(p, "unknown link setting '%s' (expected %s)", opt, all);
    }
    if (!settings[i].parse(p, a))
      return FALSE;
  }
  if (!a->set_loss && !a->set_delay && !a->set_rate && !a->set_queue)
    return ns_sc_fail(p, "'link set' needs at least one of loss P, delay "
                         "TIME, rate RATE, queue N");
  return TRUE;
}

/* ---- the command -------------------------------------------------------- */

gboolean ns_sc_parse_link(ScParser *p, ScCmd *c) {
  g_autofree char *ends = NULL;
  if (!ns_sc_link(p, "'link'", &c->link, &ends))
    return FALSE;
  LinkArgs *a = SC_ARGS(c, LinkArgs, NULL);
  const char *verb = ns_sc_take(p);
  guint i = 0;
  while (verb != NULL && link_verbs[i] != NULL &&
         strcmp(link_verbs[i], verb) != 0)
    i++;
  if (verb == NULL || link_verbs[i] == NULL) {
    g_autofree char *menu =
        ns_sc_or_list(link_verbs, G_N_ELEMENTS(link_verbs) - 1);
    g_autofree char *g = ns_sc_got(verb);
    g_autofree char *hint = ns_sc_hint(verb, link_verbs);
    return ns_sc_fail(p, "'link %s' needs %s, got %s%s", ends, menu, g, hint);
  }
  a->verb = (LinkVerb)i;
  return a->verb == LINK_SET ? parse_settings(p, a) : ns_sc_end(p);
}

static void link_set_up(ScState *st, const ScCmd *c, gboolean up) {
  NsNetLink *l = c->link;
  ns_link_set_up(l->link, up, ns_net_now(st->net));
  fprintf(st->out, "link %s <-> %s is %s\n", l->a_label, l->b_label,
          up ? "up" : "down");
}

static void link_set(ScState *st, const ScCmd *c, const LinkArgs *a) {
  NsLinkParams p = *ns_link_params(c->link->link);
  if (a->set_loss)
    p.loss = a->params.loss;
  if (a->set_delay)
    p.delay = a->params.delay;
  if (a->set_rate)
    p.rate_bps = a->params.rate_bps;
  if (a->set_queue)
    p.queue_limit = a->params.queue_limit;
  ns_link_set_params(c->link->link, &p);
  char d[NS_TIME_STRLEN], r[32];
  fprintf(st->out, "link %s <-> %s: delay %s, rate %s, loss %g%%, queue %u\n",
          c->link->a_label, c->link->b_label, ns_show_duration(p.delay, d),
          ns_rate_format(p.rate_bps, r), p.loss * 100.0, p.queue_limit);
}

void ns_sc_run_link(ScState *st, const ScCmd *c) {
  const LinkArgs *a = c->args;
  if (a->verb == LINK_SET)
    link_set(st, c, a);
  else
    link_set_up(st, c, a->verb == LINK_UP);
}
