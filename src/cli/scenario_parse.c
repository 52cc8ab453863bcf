/* scenario_parse.c — scenario lines to commands: tokenizer, shared parse
 * helpers, and every command but `expect` (see expect_parse.c). */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "core/units.h"
#include "cli/scenario_private.h"

/* ---- tokenizer ---------------------------------------------------------- */

char **ns_sc_tokenize(const char *line, gsize *code_len, GError **error) {
  GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
  GString *word = NULL; /* the word being built, NULL between words */
  const char *s = line;
  while (*s != '\0' && *s != '#') {
    if (g_ascii_isspace(*s)) {
      if (word != NULL)
        g_ptr_array_add(words, g_string_free(word, FALSE));
      word = NULL;
      s++;
      continue;
    }
    if (word == NULL)
      word = g_string_new(NULL);
    if (*s != '"') {
      g_string_append_c(word, *s++);
      continue;
    }
    for (s++;; s++) {
      if (*s == '\0') {
        g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                    "unterminated string: a \" is missing at the end");
        goto fail;
      }
      if (*s == '"')
        break;
      if (*s == '\\') {
        static const char from[] = "\"\\nrt", to[] = "\"\\\n\r\t";
        const char *e = s[1] != '\0' ? strchr(from, s[1]) : NULL;
        if (e == NULL) {
          g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                      "unknown escape '\\%c' in a string (understood: \\\" "
                      "\\\\ \\n \\r \\t)",
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
  if (word != NULL)
    g_ptr_array_add(words, g_string_free(word, FALSE));
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
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error_literal(p->error, NS_ERROR, NS_ERROR_PARSE, msg);
  g_free(msg);
  return FALSE;
}

gboolean ns_sc_end(ScParser *p) {
  const char *w = ns_sc_peek(p);
  if (w == NULL)
    return TRUE;
  return ns_sc_fail(p, "unexpected '%s' after '%s'", w, p->words[p->pos - 1]);
}

/* "'foo'" or "nothing", for "got ..." in messages. */
static char *got(const char *w) {
  return w ? g_strdup_printf("'%s'", w) : g_strdup("nothing");
}

static const char *kinds_text(guint kinds) {
  switch (kinds) {
  case SC_IPNODE:
    return "a host or router name";
  case SC_SWITCH:
    return "a switch name";
  default:
    return "a node name";
  }
}

/* "h1, h3, r1, sw1, sw2" */
static char *node_names(NsNet *net) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < ns_net_n_nodes(net); i++)
    g_string_append_printf(s, "%s%s", i ? ", " : "", ns_net_node(net, i)->name);
  return g_string_free(s, FALSE);
}

gboolean ns_sc_node(ScParser *p, const char *ctx, guint kinds,
                    NsNetNode **out) {
  const char *w = ns_sc_take(p);
  if (w == NULL)
    return ns_sc_fail(p, "%s needs %s, got nothing", ctx, kinds_text(kinds));
  NsNetNode *n = ns_net_find(p->net, w);
  if (n == NULL) {
    char *all = node_names(p->net);
    ns_sc_fail(p, "%s needs %s, got '%s', which is not a node (nodes: %s)", ctx,
               kinds_text(kinds), w, all);
    g_free(all);
    return FALSE;
  }
  if (!(kinds & (1u << n->kind)))
    return ns_sc_fail(p, "%s needs %s, but '%s' is a %s", ctx,
                      kinds_text(kinds), w, ns_node_kind_name(n->kind));
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
                        "%s needs two link ends (NODE or NODE:IFACE), "
                        "got %s",
                        ctx, i == 0 ? "nothing" : "one");
    g_autofree char *node = g_strdup(w[i]);
    char *colon = strchr(node, ':');
    if (colon != NULL)
      *colon = '\0';
    NsNetNode *n = ns_net_find(p->net, node);
    if (n == NULL) {
      char *all = node_names(p->net);
      ns_sc_fail(p, "%s: '%s' is not a node (nodes: %s)", ctx, node, all);
      g_free(all);
      return FALSE;
    }
  }
  g_autoptr(GPtrArray) links = ns_net_links_between(p->net, w[0], w[1]);
  if (links->len == 0)
    return ns_sc_fail(p, "there is no link between %s and %s", w[0], w[1]);
  if (links->len > 1) {
    NsNetLink *l = g_ptr_array_index(links, 1);
    return ns_sc_fail(p,
                      "%s and %s are joined by %u links: name the ends, "
                      "e.g. %s %s",
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
    g_autofree char *g = got(w);
    return ns_sc_fail(p, "%s needs a number, got %s", ctx, g);
  }
  if (v < min || v > max)
    return ns_sc_fail(p,
                      "%s needs a number from %" G_GUINT64_FORMAT
                      " to %" G_GUINT64_FORMAT ", got '%s'",
                      ctx, min, max, w);
  *out = v;
  return TRUE;
}

#define HOUR (3600 * NS_SEC)

/* A time between min and max (inclusive). */
static gboolean parse_time_in(ScParser *p, const char *ctx, NsTime min,
                              NsTime max, NsTime *out) {
  const char *w = ns_sc_take(p);
  if (w == NULL || !ns_time_parse(w, 0, out, NULL)) {
    g_autofree char *g = got(w);
    return ns_sc_fail(p,
                      "%s needs a time with a unit such as 500ms or 2s "
                      "(units ns, us, ms, s, m), got %s",
                      ctx, g);
  }
  if (*out < min || *out > max) {
    char a[NS_TIME_STRLEN], b[NS_TIME_STRLEN];
    return ns_sc_fail(p, "%s must be from %s to %s, got %s", ctx,
                      ns_time_format(min, a), ns_time_format(max, b), w);
  }
  return TRUE;
}

static gboolean parse_time(ScParser *p, const char *ctx, NsTime *out) {
  return parse_time_in(p, ctx, 0, NS_TIME_NEVER - 1, out);
}

gboolean ns_sc_dest(ScParser *p, const char *ctx, NsIp4 *out, char **name) {
  const char *w = ns_sc_take(p);
  if (w == NULL)
    return ns_sc_fail(p,
                      "%s needs a destination (an IPv4 address, a node "
                      "name or NODE:IFACE), got nothing",
                      ctx);
  GError *err = NULL;
  if (!ns_net_resolve(p->net, w, out, &err)) {
    ns_sc_fail(p, "%s: %s", ctx, err->message);
    g_error_free(err);
    return FALSE;
  }
  if (name != NULL)
    *name = g_strdup(w);
  return TRUE;
}

/* ---- link parameters ---------------------------------------------------- */

/* Reports a value parser's error as this line's. */
static gboolean fail_value(ScParser *p, const char *ctx, GError *e) {
  gboolean ok = ns_sc_fail(p, "%s: %s", ctx,
                           e != NULL ? e->message : "a value is missing");
  g_clear_error(&e);
  return ok;
}

/* "0.1" or "10%". */
static gboolean parse_loss(ScParser *p, double *out) {
  const char *w = ns_sc_take(p);
  GError *e = NULL;
  return (w != NULL && ns_loss_parse(w, out, &e)) || fail_value(p, "'loss'", e);
}

/* "10Mbit", "1Gbit", "0" (unlimited). */
static gboolean parse_rate(ScParser *p, guint64 *out) {
  const char *w = ns_sc_take(p);
  GError *e = NULL;
  return (w != NULL && ns_rate_parse(w, out, &e)) || fail_value(p, "'rate'", e);
}

/* Options already given on this line: "count 1 count 2" is a slip, not a
 * request to take the last one. */
typedef struct {
  const char *names[8];
  guint n;
} Seen;

static gboolean once(ScParser *p, Seen *seen, const char *opt) {
  for (guint i = 0; i < seen->n; i++)
    if (strcmp(seen->names[i], opt) == 0)
      return ns_sc_fail(p, "'%s' is given twice", opt);
  if (seen->n < G_N_ELEMENTS(seen->names))
    seen->names[seen->n++] = opt;
  return TRUE;
}

static gboolean parse_link(ScParser *p, ScCmd *c) {
  g_autofree char *ends = NULL;
  if (!ns_sc_link(p, "'link'", &c->link, &ends))
    return FALSE;
  const char *verb = ns_sc_take(p);
  if (verb != NULL && strcmp(verb, "up") == 0) {
    c->kind = SC_LINK_UP;
  } else if (verb != NULL && strcmp(verb, "down") == 0) {
    c->kind = SC_LINK_DOWN;
  } else if (verb != NULL && strcmp(verb, "set") == 0) {
    c->kind = SC_LINK_SET;
    guint64 q;
    Seen seen = {0};
    while (ns_sc_peek(p) != NULL) {
      const char *opt = ns_sc_take(p);
      gboolean ok;
      if (!once(p, &seen, opt))
        return FALSE;
      if (strcmp(opt, "loss") == 0) {
        ok = parse_loss(p, &c->params.loss);
        c->set_loss = TRUE;
      } else if (strcmp(opt, "delay") == 0) {
        ok = parse_time_in(p, "'delay'", 0, HOUR, &c->params.delay);
        c->set_delay = TRUE;
      } else if (strcmp(opt, "rate") == 0) {
        ok = parse_rate(p, &c->params.rate_bps);
        c->set_rate = TRUE;
      } else if (strcmp(opt, "queue") == 0) {
        ok = ns_sc_uint(p, "'queue'", 1, 100000, &q);
        c->params.queue_limit = (guint)q;
        c->set_queue = TRUE;
      } else {
        return ns_sc_fail(p,
                          "unknown link setting '%s' (expected loss, "
                          "delay, rate or queue)",
                          opt);
      }
      if (!ok)
        return FALSE;
    }
    if (!c->set_loss && !c->set_delay && !c->set_rate && !c->set_queue)
      return ns_sc_fail(p, "'link set' needs at least one of loss P, delay "
                           "TIME, rate RATE, queue N");
  } else {
    g_autofree char *g = got(verb);
    return ns_sc_fail(p, "'link %s' needs up, down or set, got %s", ends, g);
  }
  return ns_sc_end(p);
}

/* ---- commands ----------------------------------------------------------- */

/* An option of ping or traceroute: NAME followed by a number or a time,
 * stored at offset in the options struct (size 1, 4 or 8 bytes). */
typedef struct {
  const char *name;
  gboolean is_time;
  guint64 min, max;
  gsize offset, size;
} Opt;

#define OPT_UINT(type, field, lo, hi)                                          \
  { #field, FALSE, lo, hi, offsetof(type, field), sizeof(((type *)0)->field) }
#define OPT_TIME(type, name, field)                                            \
  { name, TRUE, NS_USEC, HOUR, offsetof(type, field), sizeof(NsTime) }

/* Parses "OPT VALUE ..." to the end of the line into base. */
static gboolean parse_options(ScParser *p, const char *what, const Opt *opts,
                              guint n, gpointer base) {
  Seen seen = {0};
  while (ns_sc_peek(p) != NULL) {
    const char *name = ns_sc_take(p);
    const Opt *o = NULL;
    for (guint i = 0; i < n && o == NULL; i++)
      if (strcmp(opts[i].name, name) == 0)
        o = &opts[i];
    if (o == NULL) {
      GString *all = g_string_new(NULL);
      for (guint i = 0; i < n; i++)
        g_string_append_printf(all, "%s%s", opts[i].name,
                               i + 2 < n   ? ", "
                               : i + 1 < n ? " or "
                                           : "");
      ns_sc_fail(p, "unknown %s option '%s' (expected %s)", what, name,
                 all->str);
      g_string_free(all, TRUE);
      return FALSE;
    }
    if (!once(p, &seen, name))
      return FALSE;
    g_autofree char *ctx = g_strdup_printf("'%s'", name);
    guint8 *field = (guint8 *)base + o->offset;
    guint64 v;
    NsTime t;
    if (o->is_time) {
      if (!parse_time_in(p, ctx, o->min, o->max, &t))
        return FALSE;
      memcpy(field, &t, sizeof t);
    } else {
      if (!ns_sc_uint(p, ctx, o->min, o->max, &v))
        return FALSE;
      if (o->size == 1)
        *field = (guint8)v;
      else {
        g_assert(o->size == sizeof(guint));
        guint u = (guint)v;
        memcpy(field, &u, sizeof u);
      }
    }
  }
  return TRUE;
}

static gboolean parse_ping(ScParser *p, ScCmd *c) {
  /* size: one Ethernet frame, 1500 - 20 (IPv4) - 8 (ICMP); no fragments. */
  static const Opt opts[] = {
      OPT_UINT(NsPingOptions, count, 1, 65535),
      OPT_TIME(NsPingOptions, "interval", interval),
      OPT_TIME(NsPingOptions, "timeout", timeout),
      OPT_UINT(NsPingOptions, size, 0, 1472),
      OPT_UINT(NsPingOptions, ttl, 1, 255),
  };
  c->kind = SC_PING;
  c->ping = ns_ping_default_options;
  return ns_sc_dest(p, "'ping'", &c->dst, &c->dst_name) &&
         parse_options(p, "ping", opts, G_N_ELEMENTS(opts), &c->ping);
}

static gboolean parse_trace(ScParser *p, ScCmd *c) {
  static const Opt opts[] = {
      {"max-hops", FALSE, 1, 255, offsetof(NsTraceOptions, max_hops),
       sizeof(guint)},
      OPT_UINT(NsTraceOptions, probes, 1, 10),
      OPT_TIME(NsTraceOptions, "timeout", timeout),
  };
  c->kind = SC_TRACE;
  c->trace = ns_trace_default_options;
  return ns_sc_dest(p, "'traceroute'", &c->dst, &c->dst_name) &&
         parse_options(p, "traceroute", opts, G_N_ELEMENTS(opts), &c->trace);
}

static gboolean parse_show(ScParser *p, ScCmd *c) {
  static const struct {
    const char *name;
    ScShowWhat what;
    guint kinds;     /* of the node argument, 0 for none */
    gboolean needed; /* the node argument is required */
  } shows[] = {
      {"arp", SC_SHOW_ARP, SC_IPNODE, TRUE},
      {"mac", SC_SHOW_MAC, SC_SWITCH, TRUE},
      {"route", SC_SHOW_ROUTE, SC_IPNODE, TRUE},
      {"links", SC_SHOW_LINKS, 0, FALSE},
      {"stats", SC_SHOW_STATS, SC_ANYNODE, FALSE},
      {"nodes", SC_SHOW_NODES, 0, FALSE},
      {"sockets", SC_SHOW_SOCKETS, SC_IPNODE, FALSE},
      {"tcp", SC_SHOW_TCP, SC_IPNODE, FALSE},
  };
  c->kind = SC_SHOW;
  const char *w = ns_sc_take(p);
  for (guint i = 0; w != NULL && i < G_N_ELEMENTS(shows); i++) {
    if (strcmp(w, shows[i].name) != 0)
      continue;
    c->show = shows[i].what;
    if (shows[i].kinds != 0 && (shows[i].needed || ns_sc_peek(p) != NULL)) {
      g_autofree char *ctx = g_strdup_printf("'show %s'", w);
      if (!ns_sc_node(p, ctx, shows[i].kinds, &c->node))
        return FALSE;
    }
    return ns_sc_end(p);
  }
  g_autofree char *g = got(w);
  return ns_sc_fail(p,
                    "'show' needs one of arp, mac, route, links, stats, "
                    "nodes, sockets, tcp, got %s",
                    g);
}

/* NODE VERB ... */
static gboolean parse_node_command(ScParser *p, ScCmd *c) {
  const char *name = ns_sc_peek(p);
  if (ns_net_find(p->net, name) == NULL) {
    /* A shell habit: "ping h3". The command runs on a node. */
    if (strcmp(name, "ping") == 0 || strcmp(name, "traceroute") == 0)
      return ns_sc_fail(p, "'%s' runs on a node: NODE %s DEST, e.g. h1 %s h3",
                        name, name, name);
    /* "H1" for "h1": names are case-sensitive, say which was meant. */
    for (guint i = 0; i < ns_net_n_nodes(p->net); i++) {
      const char *real = ns_net_node(p->net, i)->name;
      if (g_ascii_strcasecmp(real, name) == 0)
        return ns_sc_fail(p,
                          "unknown node '%s' (names are case-sensitive: "
                          "did you mean '%s'?)",
                          name, real);
    }
    char *all = node_names(p->net);
    ns_sc_fail(p,
               "unknown command or node '%s' (commands: see 'help'; "
               "nodes: %s)",
               name, all);
    g_free(all);
    return FALSE;
  }
  if (!ns_sc_node(p, "", SC_ANYNODE, &c->node))
    return FALSE;
  if (c->node->ip == NULL)
    return ns_sc_fail(p,
                      "%s is a switch: only hosts and routers can ping, "
                      "traceroute, arp flush or use sockets",
                      name);
  const char *verb = ns_sc_take(p);
  if (verb != NULL && strcmp(verb, "ping") == 0)
    return parse_ping(p, c);
  if (verb != NULL &&
      (strcmp(verb, "traceroute") == 0 || strcmp(verb, "trace") == 0))
    return parse_trace(p, c);
  if (verb != NULL && strcmp(verb, "arp") == 0) {
    c->kind = SC_ARP_FLUSH;
    if (!ns_sc_accept(p, "flush"))
      return ns_sc_fail(p, "'%s arp' needs 'flush'", name);
    return ns_sc_end(p);
  }
  if (verb != NULL && (strcmp(verb, "udp") == 0 || strcmp(verb, "tcp") == 0 ||
                       strcmp(verb, "join") == 0 || strcmp(verb, "leave") == 0))
    return ns_sc_parse_socket_cmd(p, c, verb);
  g_autofree char *g = got(verb);
  return ns_sc_fail(p,
                    "'%s' needs a command: ping, traceroute, arp flush, udp, "
                    "tcp, join or leave, got %s",
                    name, g);
}

/* Everything after the first word, words joined by one space. */
static char *rest_of_line(ScParser *p) {
  char *s = g_strjoinv(" ", p->words + p->pos);
  p->pos = p->n;
  return s;
}

static gboolean parse_words(ScParser *p, ScCmd *c) {
  const char *w = ns_sc_peek(p);
  if (strcmp(w, "show") == 0) {
    p->pos++;
    return parse_show(p, c);
  }
  if (strcmp(w, "link") == 0) {
    p->pos++;
    return parse_link(p, c);
  }
  if (strcmp(w, "wait") == 0) {
    p->pos++;
    c->kind = SC_WAIT_IDLE;
    if (ns_sc_peek(p) == NULL)
      return TRUE;
    c->kind = SC_WAIT;
    return parse_time(p, "'wait'", &c->time) && ns_sc_end(p);
  }
  if (strcmp(w, "print") == 0) {
    p->pos++;
    c->kind = SC_PRINT;
    c->arg = rest_of_line(p);
    return TRUE;
  }
  if (strcmp(w, "help") == 0 || strcmp(w, "?") == 0) {
    p->pos++;
    c->kind = SC_HELP;
    c->arg = g_strdup(ns_sc_take(p));
    return ns_sc_end(p);
  }
  if (strcmp(w, "quit") == 0 || strcmp(w, "exit") == 0) {
    p->pos++;
    c->kind = SC_QUIT;
    return ns_sc_end(p);
  }
  if (strcmp(w, "expect") == 0) {
    p->pos++;
    c->kind = SC_EXPECT;
    return ns_sc_parse_expect(p, c);
  }
  if (strcmp(w, "arp") == 0) { /* arp flush NODE */
    p->pos++;
    c->kind = SC_ARP_FLUSH;
    if (!ns_sc_accept(p, "flush"))
      return ns_sc_fail(p, "'arp' needs 'flush NODE'");
    return ns_sc_node(p, "'arp flush'", SC_IPNODE, &c->node) && ns_sc_end(p);
  }
  return parse_node_command(p, c);
}

void ns_sc_cmd_free(ScCmd *cmd) {
  if (cmd == NULL)
    return;
  g_free(cmd->text);
  g_free(cmd->dst_name);
  g_free(cmd->arg);
  g_free(cmd->ex.iface);
  g_free(cmd->ex.text);
  if (cmd->data != NULL)
    g_bytes_unref(cmd->data);
  g_free(cmd);
}

gboolean ns_sc_parse_line(NsNet *net, const char *line, ScCmd **out,
                          GError **error) {
  *out = NULL;
  gsize code_len = 0;
  char **words = ns_sc_tokenize(line, &code_len, error);
  if (words == NULL)
    return FALSE;
  if (words[0] == NULL) {
    g_strfreev(words);
    return TRUE;
  }
  ScParser p = {net, words, g_strv_length(words), 0, error};
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
