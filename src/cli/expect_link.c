/* expect_link.c — the two expectations that name no node:
 *
 *   expect link A B [dir A] STAT [OP] N   a link's traffic, both ways or
 *                                         from A; STAT: sent, delivered,
 *                                         duplicated, corrupted,
 *                                         reordered, drops, drops.REASON
 *   expect log contains|lacks "TEXT"      the log text kept so far
 */
#include <stddef.h>
#include <string.h>

#include "cli/scenario_private.h"
#include "core/i18n.h"

/* ---- link --------------------------------------------------------------- */

typedef enum {
  LS_COUNT,      /* one counter of NsLinkDirStats, at offset */
  LS_DROPS,      /* all reasons */
  LS_DROP_REASON /* one reason */
} LinkStat;

typedef struct {
  LinkStat stat;
  gsize offset; /* of the guint64 in NsLinkDirStats, for LS_COUNT */
  guint reason; /* NsDropReason for LS_DROP_REASON */
  gint side;    /* -1 both directions, else 0 (a->b) or 1 */
  ScCompare cmp;
} LinkExpect;

/* dir A: the direction from end A. */
static gboolean parse_dir(ScParser *p, NsNetLink *l, LinkExpect *a) {
  NsNetNode *dir;
  if (!ns_sc_node(p, "'dir'", SC_ANYNODE, &dir))
    return FALSE;
  NsNetNode *end_a = ns_net_node(p->net, l->a_node);
  NsNetNode *end_b = ns_net_node(p->net, l->b_node);
  if (dir != end_a && dir != end_b)
    return ns_sc_fail(p, _("'dir' must name one end of the link: %s or %s"),
                      end_a->name, end_b->name);
  a->side = dir == end_a ? 0 : 1;
  return TRUE;
}

static gboolean parse_stat(ScParser *p, LinkExpect *a) {
  static const struct {
    const char *name;
    LinkStat stat;
    gsize offset;
  } stats[] = {
      {"sent", LS_COUNT, offsetof(NsLinkDirStats, sent)},
      {"delivered", LS_COUNT, offsetof(NsLinkDirStats, delivered)},
      {"duplicated", LS_COUNT, offsetof(NsLinkDirStats, duplicated)},
      {"corrupted", LS_COUNT, offsetof(NsLinkDirStats, corrupted)},
      {"reordered", LS_COUNT, offsetof(NsLinkDirStats, reordered)},
      {"drops", LS_DROPS, 0},
  };
  const char *name = ns_sc_take(p);
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS(stats); i++)
    if (strcmp(name, stats[i].name) == 0) {
      a->stat = stats[i].stat;
      a->offset = stats[i].offset;
      return TRUE;
    }
  a->stat = LS_DROP_REASON;
  a->reason = NS_DROP_N_REASONS;
  for (guint r = 0; name != NULL && r < NS_DROP_N_REASONS; r++)
    if (g_str_has_prefix(name, "drops.") &&
        strcmp(name + 6, ns_drop_reason_name(r)) == 0)
      a->reason = r;
  if (a->reason == NS_DROP_N_REASONS)
    return ns_sc_fail(p,
                      _("'expect link' needs sent, delivered, drops, "
                        "drops.loss, drops.queue-full, drops.link-down, "
                        "duplicated, corrupted or reordered, "
                        "got %s%s%s"),
                      name ? "'" : "", name ? name : _("nothing"),
                      name ? "'" : "");
  return TRUE;
}

gboolean ns_sc_parse_link_expect(ScParser *p, ScCmd *c) {
  if (!ns_sc_link(p, "'expect link'", &c->link, NULL))
    return FALSE;
  LinkExpect *a = SC_ARGS(c, LinkExpect, NULL);
  a->side = -1;
  if (ns_sc_accept(p, "dir") && !parse_dir(p, c->link, a))
    return FALSE;
  return parse_stat(p, a) &&
         ns_sc_parse_compare(p, "'expect link'", FALSE, &a->cmp);
}

gboolean ns_sc_eval_link_expect(const ScState *st, const ScCmd *c,
                                GString *got) {
  const LinkExpect *a = c->args;
  double sum = 0;
  (void)st;
  for (guint side = 0; side < 2; side++) {
    if (a->side >= 0 && (guint)a->side != side)
      continue;
    const NsLinkDirStats s = ns_link_stats(c->link->link, side);
    switch (a->stat) {
    case LS_COUNT:
      sum += (double)*(const guint64 *)(const void *)((const char *)&s +
                                                      a->offset);
      break;
    case LS_DROPS:
      for (guint r = 0; r < NS_DROP_N_REASONS; r++)
        sum += (double)s.drops[r];
      break;
    case LS_DROP_REASON:
      sum += (double)s.drops[a->reason];
      break;
    }
  }
  g_string_append_printf(got, "%.0f", sum);
  return ns_sc_compare(&a->cmp, sum);
}

/* ---- log ---------------------------------------------------------------- */

typedef struct {
  gboolean lacks; /* lacks, else contains */
  char *text;
} LogExpect;

static void log_expect_free(gpointer data) {
  LogExpect *a = data;
  g_free(a->text);
  g_free(a);
}

gboolean ns_sc_parse_log_expect(ScParser *p, ScCmd *c) {
  LogExpect *a = SC_ARGS(c, LogExpect, log_expect_free);
  if (ns_sc_accept(p, "lacks"))
    a->lacks = TRUE;
  else if (!ns_sc_accept(p, "contains"))
    return ns_sc_fail(p, _("'expect log' needs contains or lacks"));
  const char *text = ns_sc_take(p);
  if (text == NULL || *text == '\0')
    return ns_sc_fail(p, _("'expect log' needs the text to look for, in "
                           "quotes: expect log contains \"time exceeded\""));
  if (text[0] == '\'')
    return ns_sc_fail(p,
                      _("'expect log' takes its text in double quotes, "
                        "not single: expect log contains \"time exceeded\""));
  a->text = g_strdup(text);
  if (ns_sc_peek(p) != NULL)
    return ns_sc_fail(p,
                      _("'expect log' takes one text: put it in quotes, "
                        "as in \"%s %s\""),
                      text, ns_sc_peek(p));
  return TRUE;
}

gboolean ns_sc_eval_log_expect(const ScState *st, const ScCmd *c,
                               GString *got) {
  const LogExpect *a = c->args;
  const char *log = st->log != NULL ? st->log->str : "";
  const char *hit = strstr(log, a->text);
  if (!a->lacks) {
    g_string_append(got, "not in the log");
    return hit != NULL;
  }
  if (hit == NULL)
    return TRUE;
  const char *start = hit;
  while (start > log && start[-1] != '\n')
    start--;
  const char *end = strchr(hit, '\n');
  g_string_append(got, "found: ");
  g_string_append_len(got, start, end ? end - start : (gssize)strlen(start));
  return FALSE;
}
