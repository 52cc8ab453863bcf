/* complete.c — Tab's candidates, from the rows and the topology (see
 * complete.h). */
#include <string.h>

#include "cli/complete.h"
#include "cli/scenario_private.h"

/* What the candidates are being gathered for. */
typedef struct {
  NsNet *net;
  const char *prefix; /* the word under the cursor, so far */
  GPtrArray *out;     /* of owned strings */
  NsNetNode *node;    /* the line's node (its first word), or NULL */
} Want;

static void offer(Want *w, const char *word) {
  if (!g_str_has_prefix(word, w->prefix))
    return;
  for (guint i = 0; i < w->out->len; i++)
    if (strcmp(g_ptr_array_index(w->out, i), word) == 0)
      return;
  g_ptr_array_add(w->out, g_strdup(word));
}

/* The first word of each documented row of table in part whose kinds
 * accept kinds (0: any). */
static void offer_first_words(Want *w, const ScRow *table, ScRowPart part,
                              guint kinds) {
  for (const ScRow *r = table; r->words != NULL; r++) {
    if (r->help == NULL && r->table == NULL)
      continue; /* another spelling, left out of help too */
    if (part != SC_ALL_ROWS && (r->kinds != 0) != (part == SC_NODE_ROWS))
      continue;
    if (kinds != 0 && !(r->kinds & kinds))
      continue;
    g_autofree char *first = g_strndup(r->words, strcspn(r->words, " "));
    offer(w, first);
  }
}

static void offer_nodes(Want *w, guint kinds) {
  for (guint i = 0; i < ns_net_n_nodes(w->net); i++) {
    const NsNetNode *n = ns_net_node(w->net, i);
    if (kinds == 0 || (kinds & (1u << n->kind)))
      offer(w, n->name);
  }
}

/* The interfaces of node as "IFACE", or as "NODE:IFACE" when qualified,
 * from the ends of its links ("h1:eth0"). */
static void offer_ifaces(Want *w, const NsNetNode *node, gboolean qualified) {
  gsize len = strlen(node->name);
  for (guint i = 0; i < ns_net_n_links(w->net); i++) {
    const NsNetLink *l = ns_net_link(w->net, i);
    const char *ends[] = {l->a_label, l->b_label};
    for (guint e = 0; e < G_N_ELEMENTS(ends); e++)
      if (strncmp(ends[e], node->name, len) == 0 && ends[e][len] == ':')
        offer(w, qualified ? ends[e] : ends[e] + len + 1);
  }
}

/* Whether tok is a keyword a user types as such: lower case, digits and
 * - _ . only, starting with a letter or '-' (not NODE, "TEXT", P%, ...). */
static gboolean is_keyword(const char *tok) {
  if (!g_ascii_islower(tok[0]) && tok[0] != '-')
    return FALSE;
  for (const char *c = tok; *c != '\0'; c++)
    if (!g_ascii_islower(*c) && !g_ascii_isdigit(*c) && !strchr("-_.", *c))
      return FALSE;
  return TRUE;
}

/* Whether tok is one of the words that name the row itself. */
static gboolean names_row(const ScRow *row, const char *tok) {
  g_auto(GStrv) own = g_strsplit(row->words, " ", -1);
  return g_strv_contains((const char *const *)own, tok) ||
         g_strv_contains((const char *const[]){"show", "expect", NULL}, tok);
}

/* The keywords of row's help synopses (before each line's tab). */
static void offer_keywords(Want *w, const ScRow *row) {
  if (row->help == NULL)
    return;
  g_auto(GStrv) lines = g_strsplit(row->help, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    lines[i][strcspn(lines[i], "\t")] = '\0';
    g_auto(GStrv) toks = g_strsplit_set(lines[i], " []|,", -1);
    for (guint t = 0; toks[t] != NULL; t++)
      if (is_keyword(toks[t]) && !names_row(row, toks[t]))
        offer(w, toks[t]);
  }
}

/* A later word of a row's line: its keywords and what a destination,
 * link end or interface may be. */
static void offer_arguments(Want *w, const ScRow *row) {
  if (row != NULL)
    offer_keywords(w, row);
  const char *colon = strchr(w->prefix, ':');
  if (colon == NULL) {
    offer_nodes(w, 0);
    if (w->node != NULL)
      offer_ifaces(w, w->node, FALSE);
    return;
  }
  g_autofree char *name = g_strndup(w->prefix, colon - w->prefix);
  const NsNetNode *n = ns_net_find(w->net, name);
  if (n != NULL)
    offer_ifaces(w, n, TRUE);
}

/* words[0..n) follow NODE (node set): its command, then the rest. */
static void after_node(Want *w, char **words, guint n) {
  guint kind = 1u << w->node->kind;
  if (n == 0) {
    offer_first_words(w, ns_sc_commands, SC_NODE_ROWS, kind);
    return;
  }
  const ScRow *first = ns_sc_row_lookup(ns_sc_commands, SC_NODE_ROWS, words[0]);
  if (first == NULL)
    return;
  if (ns_sc_row_second(first) == NULL) {
    offer_arguments(w, ns_sc_row_for_node(first, w->node));
    return;
  }
  if (n == 1) {
    for (const ScRow *r = first; r->words != NULL; r++)
      if (ns_sc_row_starts(r, words[0]) && ns_sc_row_second(r) != NULL &&
          (r->kinds & kind) && r->help != NULL)
        offer(w, ns_sc_row_second(r));
    return;
  }
  const ScRow *row = ns_sc_row_lookup_second(first, words[1]);
  if (row != NULL)
    offer_arguments(w, row);
}

/* words[0..n) follow `show`. */
static void after_show(Want *w, char **words, guint n) {
  if (n == 0) {
    offer_first_words(w, ns_sc_shows, SC_ALL_ROWS, 0);
    return;
  }
  const ScRow *row = ns_sc_row_lookup(ns_sc_shows, SC_ALL_ROWS, words[0]);
  if (n == 1 && row != NULL && row->kinds != 0)
    offer_nodes(w, row->kinds);
}

/* words[0..n) follow `expect`. */
static void after_expect(Want *w, char **words, guint n) {
  if (n == 0) {
    offer_nodes(w, 0);
    offer_first_words(w, ns_sc_expectations, SC_PLAIN_ROWS, 0);
    return;
  }
  w->node = ns_net_find(w->net, words[0]);
  if (w->node == NULL) {
    offer_arguments(
        w, ns_sc_row_lookup(ns_sc_expectations, SC_PLAIN_ROWS, words[0]));
    return;
  }
  if (n == 1) {
    offer_first_words(w, ns_sc_expectations, SC_NODE_ROWS, 1u << w->node->kind);
    return;
  }
  const ScRow *first =
      ns_sc_row_lookup(ns_sc_expectations, SC_NODE_ROWS, words[1]);
  offer_arguments(w, first != NULL ? ns_sc_row_for_node(first, w->node) : NULL);
}

/* words[0..n) are the whole words before the cursor. */
static void gather(Want *w, char **words, guint n) {
  if (n == 0) {
    offer_first_words(w, ns_sc_commands, SC_PLAIN_ROWS, 0);
    offer_nodes(w, 0);
    return;
  }
  w->node = ns_net_find(w->net, words[0]);
  if (w->node != NULL)
    after_node(w, words + 1, n - 1);
  else if (strcmp(words[0], "show") == 0)
    after_show(w, words + 1, n - 1);
  else if (strcmp(words[0], "expect") == 0)
    after_expect(w, words + 1, n - 1);
  else if (strcmp(words[0], "help") == 0 || strcmp(words[0], "?") == 0)
    offer_first_words(w, ns_sc_commands, SC_ALL_ROWS, 0);
  else
    offer_arguments(w,
                    ns_sc_row_lookup(ns_sc_commands, SC_PLAIN_ROWS, words[0]));
}

static gint compare_strings(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char **ns_complete(NsNet *net, const char *line, gsize cursor, gsize *start) {
  g_return_val_if_fail(net != NULL && line != NULL && start != NULL, NULL);
  cursor = MIN(cursor, strlen(line));
  gsize s = cursor;
  while (s > 0 && !g_ascii_isspace(line[s - 1]))
    s--;
  *start = s;
  g_autofree char *before = g_strndup(line, s);
  g_autofree char *prefix = g_strndup(line + s, cursor - s);
  g_auto(GStrv) split = g_strsplit_set(before, " \t", -1);
  g_autoptr(GPtrArray) words = g_ptr_array_new();
  for (guint i = 0; split[i] != NULL; i++)
    if (split[i][0] != '\0')
      g_ptr_array_add(words, split[i]);
  Want w = {.net = net, .prefix = prefix, .out = g_ptr_array_new()};
  gather(&w, (char **)words->pdata, words->len);
  g_ptr_array_sort(w.out, compare_strings);
  g_ptr_array_add(w.out, NULL);
  return (char **)g_ptr_array_free(w.out, FALSE);
}
