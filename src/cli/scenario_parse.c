/* scenario_parse.c — scenario lines to commands: the tokenizer, the
 * helpers every row's parse function shares, and the dispatch of a line to
 * the row of ns_sc_commands its words name. */
#include <string.h>

#include "cli/scenario_private.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/units.h"

/* ---- tokenizer ---------------------------------------------------------- */

char **ns_sc_tokenize(const char *line, gsize *code_len, GByteArray *quoted,
                      GError **error) {
  GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
  GString *word = NULL;     /* the word being built, NULL between words */
  guint8 in_quotes = FALSE; /* some of the word was "quoted" */
  const char *s = line;
  while (*s != '\0' && *s != '#') {
    if (g_ascii_isspace(*s)) {
      if (word != NULL) {
        g_ptr_array_add(words, g_string_free(word, FALSE));
        if (quoted != NULL)
          g_byte_array_append(quoted, &in_quotes, 1);
      }
      word = NULL;
      in_quotes = FALSE;
      s++;
      continue;
    }
    if (word == NULL)
      word = g_string_new(NULL);
    if (*s != '"') {
      g_string_append_c(word, *s++);
      continue;
    }
    in_quotes = TRUE;
    for (s++;; s++) {
      if (*s == '\0') {
        g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                    _("unterminated string: a \" is missing at the end"));
        goto fail;
      }
      if (*s == '"')
        break;
      if (*s == '\\') {
        static const char from[] = "\"\\nrt", to[] = "\"\\\n\r\t";
        const char *e = s[1] != '\0' ? strchr(from, s[1]) : NULL;
        if (e == NULL) {
          g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                      _("unknown escape '\\%c' in a string (understood: \\\" "
                        "\\\\ \\n \\r \\t)"),
                      s[1] != '\0' ? s[1] : ' ');
          goto fail;
        }
        s++;
        g_string_append_c(word, to[e - from]);
        continue;
      }
      g_string_append_c(word, *s);
    }
    s++; /* the closing quote */
  }
  if (word != NULL) {
    g_ptr_array_add(words, g_string_free(word, FALSE));
    if (quoted != NULL)
      g_byte_array_append(quoted, &in_quotes, 1);
  }
  if (code_len != NULL)
    *code_len = (gsize)(s - line);
  g_ptr_array_add(words, NULL);
  return (char **)g_ptr_array_free(words, FALSE);

fail:
  if (word != NULL)
    g_string_free(word, TRUE);
  g_ptr_array_unref(words);
  return NULL;
}

/* ---- parse helpers ------------------------------------------------------ */

const char *ns_sc_peek(ScParser *p) {
  return p->pos < p->n ? p->words[p->pos] : NULL;
}

gboolean ns_sc_peek_quoted(ScParser *p) {
  return p->pos < p->n && p->quoted != NULL && p->pos < p->quoted->len &&
         p->quoted->data[p->pos];
}

const char *ns_sc_take(ScParser *p) {
  return p->pos < p->n ? p->words[p->pos++] : NULL;
}

gboolean ns_sc_accept(ScParser *p, const char *kw) {
  const char *w = ns_sc_peek(p);
  if (w == NULL || strcmp(w, kw) != 0)
    return FALSE;
  p->pos++;
  return TRUE;
}

gboolean ns_sc_fail(ScParser *p, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_autofree char *shown = ns_text_for_message(msg);
  g_set_error_literal(p->error, NS_ERROR, NS_ERROR_PARSE, shown);
  return FALSE;
}

gboolean ns_sc_end(ScParser *p) {
  const char *w = ns_sc_peek(p);
  if (w == NULL)
    return TRUE;
  return ns_sc_fail(p, _("unexpected '%s' after '%s'"), w,
                    p->words[p->pos - 1]);
}

char *ns_sc_got(const char *w) {
  return w ? g_strdup_printf("'%s'", w) : g_strdup("nothing");
}

const char *ns_sc_kinds_text(guint kinds) {
  switch (kinds) {
  case SC_IPNODE:
    return _("a host or router name");
  case SC_SWITCH:
    return _("a switch name");
  case SC_BRIDGE:
    return _("a bridge name");
  case SC_VXLAN:
    return _("a vxlan segment name");
  default:
    return _("a node name");
  }
}

char *ns_sc_node_names(NsNet *net) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < ns_net_n_nodes(net); i++)
    g_string_append_printf(s, "%s%s", i ? ", " : "", ns_net_node(net, i)->name);
  return g_string_free(s, FALSE);
}

/* The node name closest to w (within two edits), or NULL. */
static const char *closest_node(NsNet *net, const char *w) {
  g_autoptr(GPtrArray) names = g_ptr_array_new();
  for (guint i = 0; i < ns_net_n_nodes(net); i++)
    g_ptr_array_add(names, (gpointer)ns_net_node(net, i)->name);
  g_ptr_array_add(names, NULL);
  return ns_text_closest(w, (const char *const *)names->pdata);
}

gboolean ns_sc_node(ScParser *p, const char *ctx, guint kinds,
                    NsNetNode **out) {
  const char *w = ns_sc_take(p);
  if (w == NULL)
    return ns_sc_fail(p, _("%s needs %s, got nothing"), ctx,
                      ns_sc_kinds_text(kinds));
  NsNetNode *n = ns_net_find(p->net, w);
  if (n == NULL) {
    char *all = ns_sc_node_names(p->net);
    const char *near = closest_node(p->net, w);
    g_autofree char *hint =
        near != NULL ? g_strdup_printf(_("did you mean '%s'? "), near) : NULL;
    ns_sc_fail(p, _("%s needs %s, got '%s', which is not a node (%snodes: %s)"),
               ctx, ns_sc_kinds_text(kinds), w, hint != NULL ? hint : "", all);
    g_free(all);
    return FALSE;
  }
  if (!(kinds & (1u << n->kind)))
    return ns_sc_fail(p, _("%s needs %s, but '%s' is a %s"), ctx,
                      ns_sc_kinds_text(kinds), w, ns_node_kind_word(n->kind));
  *out = n;
  return TRUE;
}

gboolean ns_sc_link(ScParser *p, const char *ctx, NsNetLink **out,
                    char **written) {
  const char *w[2];
  for (guint i = 0; i < 2; i++) {
    w[i] = ns_sc_take(p);
    if (w[i] == NULL)
      return ns_sc_fail(p,
                        _("%s needs two link ends (NODE or NODE:IFACE), "
                          "got %s"),
                        ctx, i == 0 ? _("nothing") : _("one"));
    g_autofree char *node = g_strdup(w[i]);
    char *colon = strchr(node, ':');
    if (colon != NULL)
      *colon = '\0';
    NsNetNode *n = ns_net_find(p->net, node);
    if (n == NULL) {
      char *all = ns_sc_node_names(p->net);
      ns_sc_fail(p, _("%s: '%s' is not a node (nodes: %s)"), ctx, node, all);
      g_free(all);
      return FALSE;
    }
  }
  g_autoptr(GPtrArray) links = ns_net_links_between(p->net, w[0], w[1]);
  if (links->len == 0)
    return ns_sc_fail(p, _("there is no link between %s and %s"), w[0], w[1]);
  if (links->len > 1) {
    NsNetLink *l = g_ptr_array_index(links, 1);
    return ns_sc_fail(p,
                      _("%s and %s are joined by %u links: name the ends, "
                        "e.g. %s %s"),
                      w[0], w[1], links->len, l->a_label, l->b_label);
  }
  *out = g_ptr_array_index(links, 0);
  if (written != NULL)
    *written = g_strdup_printf("%s %s", w[0], w[1]);
  return TRUE;
}

gboolean ns_sc_uint(ScParser *p, const char *ctx, guint64 min, guint64 max,
                    guint64 *out) {
  const char *w = ns_sc_take(p);
  guint64 v = 0;
  if (w == NULL || !g_ascii_isdigit(w[0]) ||
      !g_ascii_string_to_unsigned(w, 10, 0, G_MAXUINT64, &v, NULL)) {
    g_autofree char *g = ns_sc_got(w);
    return ns_sc_fail(p, _("%s needs a number, got %s"), ctx, g);
  }
  if (v < min || v > max)
    return ns_sc_fail(p, _("%s needs a number from %llu to %llu, got '%s'"),
                      ctx, (unsigned long long)min, (unsigned long long)max, w);
  *out = v;
  return TRUE;
}

gboolean ns_sc_time(ScParser *p, const char *ctx, NsTime min, NsTime max,
                    NsTime *out) {
  const char *w = ns_sc_take(p);
  g_autoptr(GError) e = NULL;
  if (w != NULL && !ns_time_parse(w, 0, out, &e) &&
      g_error_matches(e, NS_ERROR, NS_ERROR_INVALID))
    return ns_sc_fail(p, "%s: %s", ctx, e->message); /* too long */
  if (w == NULL || e != NULL) {
    g_autofree char *g = ns_sc_got(w);
    return ns_sc_fail(p,
                      _("%s needs a time with a unit such as 500ms or 2s "
                        "(units ns, us, ms, s, m, h), got %s"),
                      ctx, g);
  }
  if (*out < min || *out > max) {
    char a[NS_TIME_STRLEN], b[NS_TIME_STRLEN];
    return ns_sc_fail(p, _("%s must be from %s to %s, got %s"), ctx,
                      ns_time_format(min, a), ns_time_format(max, b), w);
  }
  return TRUE;
}

gboolean ns_sc_dest(ScParser *p, const char *ctx, NsIp4 *out, char **name) {
  const char *w = ns_sc_take(p);
  if (w == NULL)
    return ns_sc_fail(p,
                      _("%s needs a destination (an IPv4 address, a node "
                        "name or NODE:IFACE), got nothing"),
                      ctx);
  GError *err = NULL;
  if (!ns_net_resolve(p->net, w, out, &err)) {
    const char *near = closest_node(p->net, w);
    g_autofree char *hint =
        near != NULL ? g_strdup_printf(_(" (did you mean '%s'?)"), near) : NULL;
    ns_sc_fail(p, "%s: %s%s", ctx, err->message, hint != NULL ? hint : "");
    g_error_free(err);
    return FALSE;
  }
  if (name != NULL)
    *name = g_strdup(w);
  return TRUE;
}

gboolean ns_sc_group(ScParser *p, const char *ctx, NsIp4 *out) {
  const char *w = ns_sc_take(p);
  if (w == NULL || !ns_ip4_parse(w, out, NULL) || !ns_ip4_is_multicast(*out))
    return ns_sc_fail(p,
                      _("%s needs a multicast group (224.0.0.0 to "
                        "239.255.255.255, such as 239.1.1.1), got %s%s%s"),
                      ctx, w ? "'" : "", w ? w : _("nothing"), w ? "'" : "");
  return TRUE;
}

char *ns_sc_rest(ScParser *p) {
  char *s = g_strjoinv(" ", p->words + p->pos);
  p->pos = p->n;
  return s;
}

/* ---- options ------------------------------------------------------------ */

gboolean ns_sc_once(ScParser *p, ScSeen *seen, const char *opt) {
  for (guint i = 0; i < seen->n; i++)
    if (strcmp(seen->names[i], opt) == 0)
      return ns_sc_fail(p, _("'%s' is given twice"), opt);
  if (seen->n < G_N_ELEMENTS(seen->names))
    seen->names[seen->n++] = opt;
  return TRUE;
}

/* "unknown ping option 'flood' (expected count, interval, ...)" */
static gboolean fail_option(ScParser *p, const char *what, const ScOpt *opts,
                            guint n, const char *name) {
  const char *names[16];
  g_assert(n <= G_N_ELEMENTS(names));
  for (guint i = 0; i < n; i++)
    names[i] = opts[i].name;
  g_autofree char *all = ns_sc_or_list(names, n);
  return ns_sc_fail(p, _("unknown %s option '%s' (expected %s)"), what, name,
                    all);
}

/* The value of option o into its field of base. */
static gboolean parse_option_value(ScParser *p, const ScOpt *o, gpointer base) {
  g_autofree char *ctx = g_strdup_printf("'%s'", o->name);
  guint8 *field = (guint8 *)base + o->offset;
  guint64 v;
  NsTime t;
  if (o->is_flag) {
    gboolean on = TRUE;
    g_assert(o->size == sizeof on);
    memcpy(field, &on, sizeof on);
    return TRUE;
  }
  if (o->is_time) {
    if (!ns_sc_time(p, ctx, o->min, o->max, &t))
      return FALSE;
    memcpy(field, &t, sizeof t);
    return TRUE;
  }
  if (!ns_sc_uint(p, ctx, o->min, o->max, &v))
    return FALSE;
  if (o->size == 1) {
    *field = (guint8)v;
  } else {
    g_assert(o->size == sizeof(guint));
    guint u = (guint)v;
    memcpy(field, &u, sizeof u);
  }
  return TRUE;
}

gboolean ns_sc_options(ScParser *p, const char *what, const ScOpt *opts,
                       guint n, gpointer base) {
  ScSeen seen = {0};
  while (ns_sc_peek(p) != NULL) {
    const char *name = ns_sc_take(p);
    const ScOpt *o = NULL;
    for (guint i = 0; i < n && o == NULL; i++)
      if (strcmp(opts[i].name, name) == 0)
        o = &opts[i];
    if (o == NULL)
      return fail_option(p, what, opts, n, name);
    if (!ns_sc_once(p, &seen, name) || !parse_option_value(p, o, base))
      return FALSE;
  }
  return TRUE;
}

/* ---- a line to its row -------------------------------------------------- */

/* What a mistyped first word was most likely meant to be: a command
 * ("wiat"), a node ("hh1"), or a command that runs on a node ("pnig"), in
 * that order; "" when nothing is close.  The caller frees it. */
static char *first_word_hint(ScParser *p, const char *name) {
  g_autofree char *plain =
      ns_sc_row_closest(ns_sc_commands, SC_PLAIN_ROWS, name);
  if (plain != NULL)
    return g_strdup_printf(_("did you mean '%s'? "), plain);
  const char *node = closest_node(p->net, name);
  if (node != NULL)
    return g_strdup_printf(_("did you mean '%s'? "), node);
  g_autofree char *verb = ns_sc_row_closest(ns_sc_commands, SC_NODE_ROWS, name);
  if (verb != NULL)
    return g_strdup_printf(_("did you mean 'NODE %s'? "), verb);
  return g_strdup("");
}

/* The first word is neither a command nor a node. */
static gboolean fail_first_word(ScParser *p, const char *name) {
  /* A shell habit: "ping h3".  A command of the form NODE VERB DEST runs
   * on a node. */
  const ScRow *r = ns_sc_row_lookup(ns_sc_commands, SC_NODE_ROWS, name);
  g_autofree char *dest_form = g_strdup_printf("NODE %s DEST ", name);
  if (r != NULL && strcmp(r->words, name) == 0 && r->help != NULL &&
      g_str_has_prefix(r->help, dest_form))
    return ns_sc_fail(p, _("'%s' runs on a node: NODE %s DEST, e.g. h1 %s h3"),
                      name, name, name);
  /* "H1" for "h1": names are case-sensitive, say which was meant. */
  for (guint i = 0; i < ns_net_n_nodes(p->net); i++) {
    const char *real = ns_net_node(p->net, i)->name;
    if (g_ascii_strcasecmp(real, name) == 0)
      return ns_sc_fail(p,
                        _("unknown node '%s' (names are case-sensitive: "
                          "did you mean '%s'?)"),
                        name, real);
  }
  g_autofree char *all = ns_sc_node_names(p->net);
  g_autofree char *hint = first_word_hint(p, name);
  return ns_sc_fail(p,
                    _("unknown command or node '%s' (%scommands: see 'help'; "
                      "nodes: %s)"),
                    name, hint, all);
}

/* NODE VERB [WORD]: the row the verb names, or an error listing the rows. */
static const ScRow *find_node_row(ScParser *p, const char *name) {
  const char *verb = ns_sc_take(p);
  const ScRow *row = ns_sc_row_lookup(ns_sc_commands, SC_NODE_ROWS, verb);
  if (row == NULL) {
    g_autofree char *menu =
        ns_sc_row_menu(ns_sc_commands, SC_NODE_ROWS, SC_LIST_OR);
    g_autofree char *g = ns_sc_got(verb);
    g_autofree char *hint =
        ns_sc_did_you_mean(verb, ns_sc_commands, SC_NODE_ROWS);
    ns_sc_fail(p, _("'%s' needs a command: %s, got %s%s"), name, menu, g, hint);
    return NULL;
  }
  if (ns_sc_row_second(row) == NULL)
    return row;
  const char *w = ns_sc_take(p);
  const ScRow *sub = ns_sc_row_lookup_second(row, w);
  if (sub == NULL) {
    g_autofree char *menu = ns_sc_row_family_menu(row);
    g_autofree char *hint = ns_sc_row_family_hint(row, w);
    ns_sc_fail(p, _("'%s %s' needs %s%s"), name, verb, menu, hint);
  }
  return sub;
}

/* NODE VERB ... */
static gboolean parse_node_command(ScParser *p, ScCmd *c) {
  const char *name = ns_sc_peek(p);
  c->node = ns_net_find(p->net, name);
  if (c->node == NULL)
    return fail_first_word(p, name);
  ns_sc_take(p);
  /* A switch, or a node of a kind no command takes (a vxlan segment). */
  if (!ns_sc_row_any_for_node(ns_sc_commands, c->node))
    return ns_sc_fail(p,
                      _("%s is a %s: only hosts and routers can ping, "
                        "traceroute, arp flush or use sockets"),
                      name, ns_node_kind_word(c->node->kind));
  c->row = find_node_row(p, name);
  if (c->row == NULL)
    return FALSE;
  if (!(c->row->kinds & (1u << c->node->kind)))
    return ns_sc_fail(p, _("'%s %s' needs %s, but %s is a %s"), name,
                      c->row->words, ns_sc_kinds_text(c->row->kinds), name,
                      ns_node_kind_word(c->node->kind));
  return c->row->parse != NULL ? c->row->parse(p, c) : ns_sc_end(p);
}

static gboolean parse_words(ScParser *p, ScCmd *c) {
  c->row = ns_sc_row_lookup(ns_sc_commands, SC_PLAIN_ROWS, ns_sc_peek(p));
  if (c->row == NULL)
    return parse_node_command(p, c);
  p->pos++;
  return c->row->parse != NULL ? c->row->parse(p, c) : ns_sc_end(p);
}

gpointer ns_sc_cmd_args(ScCmd *c, gsize size, GDestroyNotify free_args) {
  g_assert(c->args == NULL);
  c->args = g_malloc0(size);
  c->free_args = free_args != NULL ? free_args : g_free;
  return c->args;
}

void ns_sc_cmd_free(ScCmd *cmd) {
  if (cmd == NULL)
    return;
  g_free(cmd->text);
  if (cmd->args != NULL)
    cmd->free_args(cmd->args);
  g_free(cmd);
}

gboolean ns_sc_parse_line(NsNet *net, const char *line, ScCmd **out,
                          GError **error) {
  *out = NULL;
  gsize code_len = 0;
  g_autoptr(GByteArray) quoted = g_byte_array_new();
  char **words = ns_sc_tokenize(line, &code_len, quoted, error);
  if (words == NULL)
    return FALSE;
  if (words[0] == NULL) {
    g_strfreev(words);
    return TRUE;
  }
  ScParser p = {net, words, g_strv_length(words), 0, error, quoted};
  ScCmd *c = g_new0(ScCmd, 1);
  c->text = g_strstrip(g_strndup(line, code_len));
  gboolean ok = parse_words(&p, c);
  g_strfreev(words);
  if (!ok) {
    ns_sc_cmd_free(c);
    return FALSE;
  }
  *out = c;
  return TRUE;
}
