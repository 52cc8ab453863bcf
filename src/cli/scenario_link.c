/* scenario_link.c — link A B up|down|set SETTING VALUE...: a cable taken
 * down, brought up, or given new parameters (the keys of
 * net/link_params.h: loss P, delay TIME, rate RATE, queue N, jitter TIME,
 * duplicate P, corrupt P, reorder P; loss also gemodel:P:R...). */
#include <string.h>

#include "cli/scenario_private.h"
#include "cli/show.h"
#include "core/i18n.h"
#include "core/units.h"
#include "net/link_params.h"

typedef enum { LINK_UP, LINK_DOWN, LINK_SET } LinkVerb;

/* The words after the link's ends, in LinkVerb order. */
static const char *const link_verbs[] = {"up", "down", "set", NULL};

typedef struct {
  LinkVerb verb;
  guint set;           /* link set: bit 1 << NsLinkParam per setting given */
  NsLinkParams params; /* link set: the settings given */
} LinkArgs;

/* ---- link set's settings ------------------------------------------------ */

/* delay and queue read as the rest of the language writes a time and a
 * count; every other setting takes its value as a topology file does. */
static gboolean parse_value(ScParser *p, NsLinkParam k, LinkArgs *a) {
  g_autofree char *what = g_strdup_printf("'%s'", ns_link_param_name(k));
  guint64 q;
  switch (k) {
  case NS_LINK_DELAY:
    return ns_sc_time(p, what, 0, SC_HOUR, &a->params.delay);
  case NS_LINK_QUEUE:
    if (!ns_sc_uint(p, what, 1, 100000, &q))
      return FALSE;
    a->params.queue_limit = (guint)q;
    return TRUE;
  default:
    break;
  }
  const char *w = ns_sc_take(p);
  GError *e = NULL;
  if (w != NULL && ns_link_param_parse(k, w, &a->params, &e))
    return TRUE;
  gboolean ok = ns_sc_fail(p, "%s: %s", what,
                           e != NULL ? e->message : _("a value is missing"));
  g_clear_error(&e);
  return ok;
}

static gboolean parse_settings(ScParser *p, LinkArgs *a) {
  ScSeen seen = {0};
  while (ns_sc_peek(p) != NULL) {
    const char *opt = ns_sc_take(p);
    NsLinkParam k;
    if (!ns_sc_once(p, &seen, opt))
      return FALSE;
    if (!ns_link_param_lookup(opt, &k)) {
      const char *names[NS_LINK_N_PARAMS];
      for (guint j = 0; j < NS_LINK_N_PARAMS; j++)
        names[j] = ns_link_param_name(j);
      g_autofree char *all = ns_sc_or_list(names, G_N_ELEMENTS(names));
      return ns_sc_fail(p, _("unknown link setting '%s' (expected %s)"), opt,
                        all);
    }
    a->set |= 1u << k;
    if (!parse_value(p, k, a))
      return FALSE;
  }
  if (a->set == 0)
    return ns_sc_fail(p, _("'link set' needs at least one of loss P, delay "
                           "TIME, rate RATE, queue N, jitter TIME, duplicate "
                           "P, corrupt P, reorder P"));
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
    return ns_sc_fail(p, _("'link %s' needs %s, got %s%s"), ends, menu, g,
                      hint);
  }
  a->verb = (LinkVerb)i;
  return a->verb == LINK_SET ? parse_settings(p, a) : ns_sc_end(p);
}

static void link_set_up(ScState *st, const ScCmd *c, gboolean up) {
  NsNetLink *l = c->link;
  ns_link_set_up(l->link, up, ns_net_now(st->net));
  fprintf(st->out,
          up ? _("link %s <-> %s is up\n") : _("link %s <-> %s is down\n"),
          l->a_label, l->b_label);
}

static void link_set(ScState *st, const ScCmd *c, const LinkArgs *a) {
  NsLinkParams p = *ns_link_params(c->link->link);
  for (guint k = 0; k < NS_LINK_N_PARAMS; k++)
    if (a->set & (1u << k))
      ns_link_param_copy(k, &p, &a->params);
  ns_link_set_params(c->link->link, &p);
  char d[NS_TIME_STRLEN], r[32], l[NS_LINK_PARAM_STRLEN];
  GString *extra = g_string_new(NULL);
  ns_link_params_append_impairments(extra, &p);
  fprintf(st->out,
          _("link %s <-> %s: delay %s, rate %s, loss %s, queue %u%s\n"),
          c->link->a_label, c->link->b_label, ns_show_duration(p.delay, d),
          ns_rate_format(p.rate_bps, r),
          ns_link_param_format(NS_LINK_LOSS, &p, l), p.queue_limit, extra->str);
  g_string_free(extra, TRUE);
}

void ns_sc_run_link(ScState *st, const ScCmd *c) {
  const LinkArgs *a = c->args;
  if (a->verb == LINK_SET)
    link_set(st, c, a);
  else
    link_set_up(st, c, a->verb == LINK_UP);
}
