/* scenario_rows.c — what is made from the rows of the three tables (see
 * scenario_private.h): word lookup, the lists in error messages, the "did
 * you mean" hints and `help`. */
#include <string.h>

#include "cli/scenario_private.h"
#include "core/i18n.h"
#include "core/text.h"

/* ---- words -------------------------------------------------------------- */

/* The length of the row's first word. */
static gsize first_len(const ScRow *row) { return strcspn(row->words, " "); }

gboolean ns_sc_row_starts(const ScRow *row, const char *w) {
  gsize len = first_len(row);
  if (w == NULL)
    return FALSE;
  return (strncmp(row->words, w, len) == 0 && w[len] == '\0') ||
         (row->alias != NULL && strcmp(row->alias, w) == 0);
}

const char *ns_sc_row_second(const ScRow *row) {
  const char *space = strchr(row->words, ' ');
  return space != NULL ? space + 1 : NULL;
}

/* Whether a and b have the same first word. */
static gboolean same_first(const ScRow *a, const ScRow *b) {
  gsize len = first_len(a);
  return len == first_len(b) && strncmp(a->words, b->words, len) == 0;
}

/* Whether r is of first's family: the rows of its part sharing its first
 * word ("udp send", "udp listen"). */
static gboolean same_family(const ScRow *r, const ScRow *first) {
  return same_first(r, first) && (r->kinds != 0) == (first->kinds != 0);
}

static gboolean in_part(const ScRow *row, ScRowPart part) {
  return part == SC_ALL_ROWS || (row->kinds != 0) == (part == SC_NODE_ROWS);
}

const ScRow *ns_sc_row_lookup(const ScRow *table, ScRowPart part,
                              const char *w) {
  for (const ScRow *r = table; r->words != NULL; r++)
    if (in_part(r, part) && ns_sc_row_starts(r, w))
      return r;
  return NULL;
}

const ScRow *ns_sc_row_lookup_second(const ScRow *first, const char *w) {
  for (const ScRow *r = first; w != NULL && r->words != NULL; r++)
    if (same_family(r, first) && strcmp(ns_sc_row_second(r), w) == 0)
      return r;
  return NULL;
}

const ScRow *ns_sc_row_for_node(const ScRow *first, const NsNetNode *node) {
  for (const ScRow *r = first; r->words != NULL; r++)
    if (same_family(r, first) && (r->kinds & (1u << node->kind)))
      return r;
  return NULL;
}

gboolean ns_sc_row_any_for_node(const ScRow *table, const NsNetNode *node) {
  for (const ScRow *r = table; r->words != NULL; r++)
    if (r->kinds & (1u << node->kind))
      return TRUE;
  return FALSE;
}

/* ---- lists -------------------------------------------------------------- */

/* The n words as a list in style. */
static char *join_words(const char *const *words, guint n, ScListStyle style) {
  static const char *const last_sep[] = {
      [SC_LIST_OR] = N_(" or "), [SC_LIST_COMMA] = ", ", [SC_LIST_BAR] = "|"};
  const char *sep = style == SC_LIST_BAR ? "|" : ", ";
  const char *last = style == SC_LIST_OR ? _(last_sep[style]) : last_sep[style];
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf(s, "%s%s", words[i],
                           i + 2 < n   ? sep
                           : i + 1 < n ? last
                                       : "");
  return g_string_free(s, FALSE);
}

char *ns_sc_or_list(const char *const *words, guint n) {
  if (n == 1)
    return g_strdup_printf("'%s'", words[0]);
  return join_words(words, n, SC_LIST_OR);
}

/* Whether help shows the row: a row without help lines or a table of its
 * own is another spelling (`arp flush NODE`), left out of lists too. */
static gboolean documented(const ScRow *row) {
  return row->help != NULL || row->table != NULL;
}

/* Whether an earlier row of the part has row's first word. */
static gboolean first_seen(const ScRow *table, const ScRow *row,
                           ScRowPart part) {
  for (const ScRow *r = table; r != row; r++)
    if (in_part(r, part) && same_first(r, row))
      return TRUE;
  return FALSE;
}

/* How many rows of the part have row's first word. */
static guint n_sharing(const ScRow *table, const ScRow *row, ScRowPart part) {
  guint n = 0;
  for (const ScRow *r = table; r->words != NULL; r++)
    n += in_part(r, part) && same_first(r, row);
  return n;
}

/* The first word of each documented row of the part, once, in table
 * order (g_ptr_array_unref; NULL-terminated when nul_end). */
static GPtrArray *first_words(const ScRow *table, ScRowPart part,
                              gboolean nul_end) {
  GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
  for (const ScRow *r = table; r->words != NULL; r++)
    if (in_part(r, part) && documented(r) && !first_seen(table, r, part))
      g_ptr_array_add(words, g_strndup(r->words, first_len(r)));
  if (nul_end)
    g_ptr_array_add(words, NULL);
  return words;
}

char *ns_sc_row_menu(const ScRow *table, ScRowPart part, ScListStyle style) {
  GPtrArray *items = g_ptr_array_new_with_free_func(g_free);
  for (const ScRow *r = table; r->words != NULL; r++) {
    if (!in_part(r, part) || !documented(r) || first_seen(table, r, part))
      continue;
    /* A first word that several rows share stands for them all ("tcp");
     * a row alone with its first word is named in full ("arp flush"). */
    g_ptr_array_add(items, n_sharing(table, r, part) > 1
                               ? g_strndup(r->words, first_len(r))
                               : g_strdup(r->words));
  }
  char *s = join_words((const char *const *)items->pdata, items->len, style);
  g_ptr_array_unref(items);
  return s;
}

/* The usage of row after its first word, up to any alternative form:
 * "send DEST:PORT TEXT" of "NODE udp send DEST:PORT TEXT|size N". */
static char *usage_after_first(const ScRow *row) {
  const char *line = row->help;
  if (g_str_has_prefix(line, "| "))
    line += 2;
  gsize len = strcspn(line, "\t\n|");
  const char *word = strstr(line, ns_sc_row_second(row));
  g_assert(word != NULL && word < line + len);
  return g_strstrip(g_strndup(word, len - (gsize)(word - line)));
}

char *ns_sc_row_family_menu(const ScRow *first) {
  GPtrArray *items = g_ptr_array_new_with_free_func(g_free);
  for (const ScRow *r = first; r->words != NULL; r++)
    if (same_family(r, first))
      g_ptr_array_add(items, usage_after_first(r));
  char *s = ns_sc_or_list((const char *const *)items->pdata, items->len);
  g_ptr_array_unref(items);
  return s;
}

/* ---- did you mean ------------------------------------------------------- */

char *ns_sc_hint(const char *w, const char *const *words) {
  const char *near = w != NULL ? ns_text_closest(w, words) : NULL;
  return near != NULL ? g_strdup_printf(_(" (did you mean '%s'?)"), near)
                      : g_strdup("");
}

char *ns_sc_row_closest(const ScRow *table, ScRowPart part, const char *w) {
  if (w == NULL)
    return NULL;
  GPtrArray *words = first_words(table, part, TRUE);
  char *near = g_strdup(ns_text_closest(w, (const char *const *)words->pdata));
  g_ptr_array_unref(words);
  return near;
}

char *ns_sc_did_you_mean(const char *w, const ScRow *table, ScRowPart part) {
  GPtrArray *words = first_words(table, part, TRUE);
  char *h = ns_sc_hint(w, (const char *const *)words->pdata);
  g_ptr_array_unref(words);
  return h;
}

char *ns_sc_row_family_hint(const ScRow *first, const char *w) {
  GPtrArray *words = g_ptr_array_new();
  for (const ScRow *r = first; r->words != NULL; r++)
    if (same_family(r, first))
      g_ptr_array_add(words, (gpointer)ns_sc_row_second(r));
  /* One choice alone is already named in full by the menu. */
  if (words->len < 2)
    g_ptr_array_set_size(words, 0);
  g_ptr_array_add(words, NULL);
  char *h = ns_sc_hint(w, (const char *const *)words->pdata);
  g_ptr_array_unref(words);
  return h;
}

/* ---- help --------------------------------------------------------------- */

/* Where a table's descriptions start: at column col when the synopsis
 * leaves min_gap spaces before it, else long_gap spaces after the
 * synopsis (the layout `help` has always had). */
typedef struct {
  guint col, min_gap, long_gap;
} Columns;

static const Columns command_columns = {27, 1, 3};
static const Columns expect_columns = {35, 2, 2};

/* One line of help, being put together. */
typedef struct {
  const ScRow *cmd; /* the command it is under: `help TOPIC` */
  GString *synopsis, *about;
  const Columns *cols;
  guint about_col; /* a continuation line: the column above; else 0 */
} HelpLine;

static void help_line_free(gpointer data) {
  HelpLine *l = data;
  g_string_free(l->synopsis, TRUE);
  g_string_free(l->about, TRUE);
  g_free(l);
}

static guint about_column(const HelpLine *l) {
  if (l->about_col != 0)
    return l->about_col;
  guint len = (guint)l->synopsis->len;
  return len + l->cols->min_gap <= l->cols->col ? l->cols->col
                                                : len + l->cols->long_gap;
}

/* Adds one "SYNOPSIS\tABOUT" line of a row's help (len bytes of text). */
static void add_help_line(GPtrArray *lines, const char *text, gsize len,
                          const ScRow *cmd, const Columns *cols) {
  g_autofree char *line = g_strndup(text, len);
  char *tab = strchr(line, '\t');
  const char *about = tab != NULL ? tab + 1 : "";
  if (tab != NULL)
    *tab = '\0';
  HelpLine *last =
      lines->len > 0 ? g_ptr_array_index(lines, lines->len - 1) : NULL;
  if (g_str_has_prefix(line, "| ") && last != NULL) {
    g_string_append_printf(last->synopsis, " %s", line);
    if (*about != '\0')
      g_string_append_printf(last->about, " | %s", about);
    return;
  }
  HelpLine *l = g_new0(HelpLine, 1);
  l->cmd = cmd;
  l->cols = cols;
  l->synopsis = g_string_new(line);
  l->about = g_string_new(about);
  if (*line == '\0' && last != NULL)
    l->about_col = about_column(last);
  g_ptr_array_add(lines, l);
}

/* Adds the lines of row's help under command cmd. */
static void add_row_help(GPtrArray *lines, const ScRow *row, const ScRow *cmd,
                         const Columns *cols) {
  /* The help is translated whole; the translation keeps each synopsis
   * (the command words before the tab) as it is. */
  const char *help =
      row->help != NULL && *row->help != '\0' ? _(row->help) : row->help;
  for (const char *s = help; s != NULL && *s != '\0';) {
    gsize len = strcspn(s, "\n");
    add_help_line(lines, s, len, cmd, cols);
    s += len + (s[len] == '\n');
  }
}

/* Every line of `help`, in the order of the command table; a command with
 * a table of its own (`show`, `expect`) brings that table's lines. */
static GPtrArray *help_lines(void) {
  GPtrArray *lines = g_ptr_array_new_with_free_func(help_line_free);
  for (const ScRow *r = ns_sc_commands; r->words != NULL; r++) {
    if (r->table == NULL) {
      add_row_help(lines, r, r, &command_columns);
      continue;
    }
    const Columns *cols =
        r->table == ns_sc_expectations ? &expect_columns : &command_columns;
    for (const ScRow *sub = r->table; sub->words != NULL; sub++)
      add_row_help(lines, sub, r, cols);
  }
  return lines;
}

static void print_help_line(FILE *out, const HelpLine *l) {
  if (l->about->len == 0) {
    fprintf(out, "  %s\n", l->synopsis->str);
    return;
  }
  int pad = (int)(about_column(l) - l->synopsis->len);
  fprintf(out, "  %s%*s%s\n", l->synopsis->str, pad, "", l->about->str);
}

/* "no command 'x'; commands: ping traceroute ..." */
static void print_topics(FILE *out, const char *topic, GPtrArray *lines) {
  fprintf(out, _("no command '%s'; commands:"), topic);
  const ScRow *last = NULL;
  for (guint i = 0; i < lines->len; i++) {
    const HelpLine *l = g_ptr_array_index(lines, i);
    if (last != NULL && same_first(last, l->cmd))
      continue;
    last = l->cmd;
    fprintf(out, " %.*s", (int)first_len(last), last->words);
  }
  fprintf(out, "\n");
}

void ns_sc_print_help(FILE *out, const char *topic) {
  GPtrArray *lines = help_lines();
  gboolean any = FALSE;
  for (guint i = 0; i < lines->len; i++) {
    const HelpLine *l = g_ptr_array_index(lines, i);
    if (topic != NULL && !ns_sc_row_starts(l->cmd, topic))
      continue;
    print_help_line(out, l);
    any = TRUE;
  }
  if (!any)
    print_topics(out, topic, lines);
  else if (topic == NULL)
    fputs(_("DEST and ADDR: an IPv4 address, a node name or NODE:IFACE. "
            "TIME: 10ms, 1.5s (ns us ms s m).\n"
            "OP: = == != < <= > >=.  RATE: 10Mbit, 1Gbit, 0 "
            "(unlimited).  P: 0.1 or 10%.  # starts a comment.\n"),
          out);
  g_ptr_array_unref(lines);
}
