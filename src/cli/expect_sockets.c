/* expect_sockets.c — what the user's sockets and the services received:
 *
 *   expect NODE tcp state STATE
 *   expect NODE tcp received [OP] N [bytes] | "TEXT" | echo
 *   expect NODE tcp lacks "TEXT"
 *   expect NODE udp received [OP] N | "TEXT"
 *   expect NODE group GROUP joined|left|on IFACE,...|on none
 *   expect SWITCH group GROUP ports N,...|ports none
 *   expect NODE service PORT[/tcp|/udp] FIELD [OP] N
 *
 * The commands that make the traffic are in scenario_sockets.c.
 */
#include <string.h>

#include "cli/scenario_private.h"
#include "core/i18n.h"
#include "core/text.h"

/* The next word is a text to look for, rather than [OP] N: a quoted word
 * always ("400" is text), else anything but an operator, a number or an
 * operator glued to a number (404 is a count). */
static gboolean is_text(ScParser *p) {
  const char *w = ns_sc_peek(p);
  if (w == NULL)
    return FALSE;
  if (ns_sc_peek_quoted(p))
    return TRUE;
  const char *s = w + strspn(w, "=!<>");
  if (*s == '\0')
    return s == w; /* an operator alone is not text; "" is */
  return s[strspn(s, "0123456789")] != '\0';
}

static gboolean contains(const guint8 *hay, gsize n, const char *needle) {
  gsize m = strlen(needle);
  if (m == 0)
    return TRUE;
  for (gsize i = 0; i + m <= n; i++)
    if (memcmp(hay + i, needle, m) == 0)
      return TRUE;
  return FALSE;
}

/* What was received, quoted for a "got" message. */
static void got_text(GString *got, const guint8 *p, gsize n) {
  g_string_append_c(got, '"');
  ns_text_excerpt_append(got, p, n, 60);
  g_string_append_c(got, '"');
}

/* ---- tcp ---------------------------------------------------------------- */

typedef enum {
  TCP_STATE, /* the user's connection is in state */
  TCP_BYTES, /* bytes it received, compared */
  TCP_TEXT,  /* what it received contains text */
  TCP_LACKS, /* ... does not contain it */
  TCP_ECHO,  /* what it received equals what it sent */
} TcpCheck;

/* tcp and udp expectations. */
typedef struct {
  TcpCheck check; /* tcp only */
  NsTcpState state;
  ScCompare cmp;
  char *text; /* NULL: compare a count */
} SockExpect;

static void sock_expect_free(gpointer data) {
  SockExpect *a = data;
  g_free(a->text);
  g_free(a);
}

/* received [OP] N [bytes] | "TEXT" | echo */
static gboolean parse_tcp_received(ScParser *p, const char *ctx,
                                   SockExpect *a) {
  if (ns_sc_accept(p, "echo")) {
    a->check = TCP_ECHO;
    return ns_sc_end(p);
  }
  if (is_text(p)) {
    a->check = TCP_TEXT;
    a->text = g_strdup(ns_sc_take(p));
    return ns_sc_end(p);
  }
  a->check = TCP_BYTES;
  /* "N bytes": drop a trailing unit word before comparing. */
  if (p->n > 0 && strcmp(p->words[p->n - 1], "bytes") == 0) {
    g_free(p->words[p->n - 1]);
    p->words[p->n - 1] = NULL;
    p->n--;
  }
  return ns_sc_parse_compare(p, ctx, FALSE, &a->cmp);
}

gboolean ns_sc_parse_tcp_expect(ScParser *p, ScCmd *c) {
  SockExpect *a = SC_ARGS(c, SockExpect, sock_expect_free);
  g_autofree char *ctx = ns_sc_expect_ctx(c);
  if (ns_sc_accept(p, "state")) {
    a->check = TCP_STATE;
    const char *w = ns_sc_take(p);
    if (w == NULL || !ns_tcp_state_parse(w, &a->state))
      return ns_sc_fail(p,
                        _("%s state needs a TCP state such as ESTABLISHED, "
                          "SYN-SENT, FIN-WAIT-2, TIME-WAIT or CLOSED, got "
                          "%s%s%s"),
                        ctx, w ? "'" : "", w ? w : _("nothing"), w ? "'" : "");
    return ns_sc_end(p);
  }
  if (ns_sc_accept(p, "lacks")) {
    a->check = TCP_LACKS;
    const char *w = ns_sc_take(p);
    if (w == NULL)
      return ns_sc_fail(p, _("%s lacks needs the text, in quotes"), ctx);
    a->text = g_strdup(w);
    return ns_sc_end(p);
  }
  if (!ns_sc_accept(p, "received"))
    return ns_sc_fail(p,
                      _("%s needs state STATE, received N|\"TEXT\"|echo or "
                        "lacks \"TEXT\""),
                      ctx);
  return parse_tcp_received(p, ctx, a);
}

/* Whether the client got back, byte for byte, all it sent. */
static gboolean eval_echo(NsClient *cl, GString *got) {
  if (cl == NULL || ns_client_tcp(cl) == NULL) {
    g_string_append(got, "no connection");
    return FALSE;
  }
  const GByteArray *r = ns_client_tcp_received(cl);
  const GByteArray *s = ns_client_tcp_sent(cl);
  guint64 rt = ns_client_tcp_received_total(cl);
  guint64 st = ns_client_tcp_sent_total(cl);
  if (rt != st) {
    g_string_append_printf(
        got, "%" G_GUINT64_FORMAT " bytes back of %" G_GUINT64_FORMAT " sent",
        rt, st);
    return FALSE;
  }
  for (guint i = 0; i < r->len && i < s->len; i++)
    if (r->data[i] != s->data[i]) {
      g_string_append_printf(got, "byte %u differs: sent 0x%02x, got 0x%02x", i,
                             s->data[i], r->data[i]);
      return FALSE;
    }
  g_string_append_printf(got, "%" G_GUINT64_FORMAT " bytes identical", rt);
  return TRUE;
}

/* Whether what the client received contains the text (TCP_TEXT), or does
 * not (TCP_LACKS). */
static gboolean eval_received_text(NsClient *cl, const SockExpect *a,
                                   GString *got) {
  const GByteArray *r = cl != NULL ? ns_client_tcp_received(cl) : NULL;
  gboolean want = a->check == TCP_TEXT;
  if (r == NULL || r->len == 0) {
    g_string_append(got, "nothing");
    return !want;
  }
  got_text(got, r->data, r->len);
  guint64 total = ns_client_tcp_received_total(cl);
  if (total > r->len) /* the README's Limits: what is kept */
    g_string_append_printf(
        got, " (only the first %u MiB of %" G_GUINT64_FORMAT " bytes is kept)",
        NS_CLIENT_MAX_KEPT >> 20, total);
  return contains(r->data, r->len, a->text) == want;
}

gboolean ns_sc_eval_tcp_expect(const ScState *st, const ScCmd *c,
                               GString *got) {
  const SockExpect *a = c->args;
  NsClient *cl = c->node->client;
  NsTcpConn *conn = cl != NULL ? ns_client_tcp(cl) : NULL;
  (void)st;
  switch (a->check) {
  case TCP_STATE: {
    NsTcpState s = conn != NULL ? ns_tcp_state(conn) : NS_TCP_CLOSED;
    g_string_append(got, conn != NULL ? ns_tcp_state_name(s) : "no connection");
    return conn != NULL && s == a->state;
  }
  case TCP_BYTES: {
    guint64 v = cl != NULL ? ns_client_tcp_received_total(cl) : 0;
    g_string_append_printf(got, "%" G_GUINT64_FORMAT " bytes", v);
    return ns_sc_compare(&a->cmp, (double)v);
  }
  case TCP_TEXT:
  case TCP_LACKS:
    return eval_received_text(cl, a, got);
  case TCP_ECHO:
    return eval_echo(cl, got);
  }
  return FALSE;
}

/* ---- udp ---------------------------------------------------------------- */

gboolean ns_sc_parse_udp_expect(ScParser *p, ScCmd *c) {
  SockExpect *a = SC_ARGS(c, SockExpect, sock_expect_free);
  g_autofree char *ctx = ns_sc_expect_ctx(c);
  if (!ns_sc_accept(p, "received"))
    return ns_sc_fail(p, _("%s needs received N or received \"TEXT\""), ctx);
  if (is_text(p)) {
    a->text = g_strdup(ns_sc_take(p));
    return ns_sc_end(p);
  }
  return ns_sc_parse_compare(p, ctx, FALSE, &a->cmp);
}

gboolean ns_sc_eval_udp_expect(const ScState *st, const ScCmd *c,
                               GString *got) {
  const SockExpect *a = c->args;
  NsClient *cl = c->node->client;
  (void)st;
  if (a->text == NULL) {
    guint64 v = ns_udp_counters(ns_net_node_udp(c->node))->rx;
    g_string_append_printf(got, "%" G_GUINT64_FORMAT, v);
    return ns_sc_compare(&a->cmp, (double)v);
  }
  GBytes *b = cl != NULL ? ns_client_udp_last(cl) : NULL;
  if (b == NULL) {
    g_string_append(got, "no datagram");
    return FALSE;
  }
  gsize len;
  const guint8 *d = g_bytes_get_data(b, &len);
  got_text(got, d, len);
  return contains(d, len, a->text);
}

/* ---- group -------------------------------------------------------------- */

/* What `expect NODE group GROUP ...` compares. */
typedef enum {
  GROUP_JOINED, /* a host's membership: joined */
  GROUP_LEFT,   /* ... left */
  GROUP_PORTS,  /* a switch's member ports of the group: ports 2,3|none */
  GROUP_ON,     /* a querier's interfaces with members: on eth0|none */
} GroupWhat;

typedef struct {
  NsIp4 group;
  GroupWhat what;
  char *list; /* GROUP_PORTS, GROUP_ON: as compared, "2,3" or "none" */
} GroupExpect;

static void group_expect_free(gpointer p) {
  GroupExpect *a = p;
  g_free(a->list);
  g_free(a);
}

static gint by_uint(gconstpointer a, gconstpointer b) {
  guint x = *(const guint *)a, y = *(const guint *)b;
  return x < y ? -1 : x > y;
}

/* "3,2" -> "2,3"; FALSE when an item is not a port number. */
static gboolean canonical_ports(const char *w, char **out) {
  g_auto(GStrv) items = g_strsplit(w, ",", -1);
  GArray *ports = g_array_new(FALSE, FALSE, sizeof(guint));
  gboolean ok = TRUE;
  for (guint i = 0; ok && items[i] != NULL; i++) {
    guint64 v;
    ok = g_ascii_string_to_unsigned(items[i], 10, 1, G_MAXUINT, &v, NULL);
    guint port = (guint)v;
    g_array_append_val(ports, port);
  }
  g_array_sort(ports, by_uint);
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < ports->len; i++)
    g_string_append_printf(s, "%s%u", i ? "," : "",
                           g_array_index(ports, guint, i));
  g_array_free(ports, TRUE);
  *out = g_string_free(s, FALSE);
  return ok;
}

static gboolean parse_group_list(ScParser *p, const char *ctx, GroupExpect *a,
                                 gboolean is_switch) {
  const char *w = ns_sc_take(p);
  if (w == NULL)
    return ns_sc_fail(p, _("%s needs %s or none"), ctx,
                      is_switch ? _("port numbers (2,3)")
                                : _("interfaces (eth0)"));
  if (g_strcmp0(w, "none") == 0 || !is_switch)
    a->list = g_strdup(w);
  else if (!canonical_ports(w, &a->list))
    return ns_sc_fail(p, _("%s: '%s' is not a list of port numbers"), ctx, w);
  return TRUE;
}

gboolean ns_sc_parse_group_expect(ScParser *p, ScCmd *c) {
  GroupExpect *a = SC_ARGS(c, GroupExpect, group_expect_free);
  g_autofree char *ctx = ns_sc_expect_ctx(c);
  gboolean is_switch = c->node->sw != NULL;
  if (!ns_sc_group(p, ctx, &a->group))
    return FALSE;
  if (is_switch) {
    if (!ns_sc_accept(p, "ports"))
      return ns_sc_fail(p, _("%s needs ports LIST|none after the group"), ctx);
    a->what = GROUP_PORTS;
  } else if (ns_sc_accept(p, "joined")) {
    a->what = GROUP_JOINED;
  } else if (ns_sc_accept(p, "left")) {
    a->what = GROUP_LEFT;
  } else if (ns_sc_accept(p, "on")) {
    a->what = GROUP_ON;
  } else {
    return ns_sc_fail(p,
                      _("%s needs joined or left after the group (on IFACE "
                        "for a querier's table)"),
                      ctx);
  }
  if ((a->what == GROUP_PORTS || a->what == GROUP_ON) &&
      !parse_group_list(p, ctx, a, is_switch))
    return FALSE;
  return ns_sc_end(p);
}

/* The member ports of group on a switch, "2,3" or "none". */
static char *switch_ports(NsNetNode *n, NsIp4 group, NsTime now) {
  NsSnoop *snoop = ns_switch_snoop(n->sw);
  GString *s = g_string_new(NULL);
  g_autoptr(GArray) e = snoop ? ns_snoop_entries(snoop, now) : NULL;
  for (guint i = 0; e != NULL && i < e->len; i++) {
    const NsSnoopEntry *x = &g_array_index(e, NsSnoopEntry, i);
    if (x->group.v == group.v)
      g_string_append_printf(s, "%s%u", s->len ? "," : "", x->port);
  }
  if (s->len == 0)
    g_string_assign(s, "none");
  return g_string_free(s, FALSE);
}

/* The interfaces of a querier with members of group, "eth0" or "none". */
static char *router_ifaces(NsNetNode *n, NsIp4 group, NsTime now) {
  GString *s = g_string_new(NULL);
  g_autoptr(GArray) e = ns_ipnode_igmp_memberships(n->ip, now);
  for (guint i = 0; i < e->len; i++) {
    const NsIgmpMembership *m = &g_array_index(e, NsIgmpMembership, i);
    if (m->group.v == group.v)
      g_string_append_printf(s, "%s%s", s->len ? "," : "",
                             ns_ipnode_iface(n->ip, m->iface)->nic.name);
  }
  if (s->len == 0)
    g_string_assign(s, "none");
  return g_string_free(s, FALSE);
}

gboolean ns_sc_eval_group_expect(const ScState *st, const ScCmd *c,
                                 GString *got) {
  const GroupExpect *a = c->args;
  char g[NS_IP4_STRLEN];
  ns_ip4_format(a->group, g);
  if (a->what == GROUP_PORTS || a->what == GROUP_ON) {
    NsTime now = ns_net_now(st->net);
    g_autofree char *have = a->what == GROUP_PORTS
                                ? switch_ports(c->node, a->group, now)
                                : router_ifaces(c->node, a->group, now);
    g_string_append_printf(got, "%s has %s on %s %s", c->node->name, g,
                           a->what == GROUP_PORTS ? "ports" : "interfaces",
                           have);
    return g_strcmp0(have, a->list) == 0;
  }
  gboolean m = ns_ipnode_is_member(c->node->ip, a->group);
  g_string_append_printf(got, "%s %s %s", c->node->name,
                         m ? "is a member of" : "is not in", g);
  return m == (a->what == GROUP_JOINED);
}

/* ---- service ------------------------------------------------------------ */

/* Which services count a field: a TCP one, a UDP one, or both. */
enum { ON_TCP = 1, ON_UDP = 2 };

static const struct {
  const char *name;
  gsize offset;
  guint on;
} service_fields[] = {
    {"connections", G_STRUCT_OFFSET(NsServiceStats, connections), ON_TCP},
    {"active", G_STRUCT_OFFSET(NsServiceStats, active), ON_TCP},
    {"datagrams", G_STRUCT_OFFSET(NsServiceStats, datagrams), ON_UDP},
    {"requests", G_STRUCT_OFFSET(NsServiceStats, requests), ON_TCP},
    {"not_found", G_STRUCT_OFFSET(NsServiceStats, not_found), ON_TCP},
    {"bytes_in", G_STRUCT_OFFSET(NsServiceStats, bytes_in), ON_TCP | ON_UDP},
    {"bytes_out", G_STRUCT_OFFSET(NsServiceStats, bytes_out), ON_TCP | ON_UDP},
};

typedef struct {
  gboolean tcp;  /* a TCP service, else UDP */
  gboolean both; /* PORT alone, and the node has a TCP and a UDP service on
                    it: the field decides, or the expect is ambiguous */
  guint16 port;
  guint field; /* index in service_fields */
  ScCompare cmp;
} ServiceExpect;

/* PORT, PORT/tcp or PORT/udp, naming one of the node's services. */
static gboolean parse_service_port(ScParser *p, const char *ctx, NsNetNode *n,
                                   ServiceExpect *a) {
  const char *w = ns_sc_take(p);
  g_auto(GStrv) parts = w != NULL ? g_strsplit(w, "/", 2) : NULL;
  guint64 port = 0;
  if (parts == NULL ||
      !g_ascii_string_to_unsigned(parts[0], 10, 1, 65535, &port, NULL) ||
      (parts[1] != NULL && strcmp(parts[1], "tcp") != 0 &&
       strcmp(parts[1], "udp") != 0))
    return ns_sc_fail(p, _("%s needs PORT, PORT/tcp or PORT/udp, got %s%s%s"),
                      ctx, w ? "'" : "", w ? w : _("nothing"), w ? "'" : "");
  a->port = (guint16)port;
  NsServices *svcs = n->services;
  gint tcp_i = svcs != NULL ? ns_services_find(svcs, TRUE, a->port) : -1;
  gint udp_i = svcs != NULL ? ns_services_find(svcs, FALSE, a->port) : -1;
  if (parts[1] != NULL)
    a->tcp = strcmp(parts[1], "tcp") == 0;
  else
    a->tcp = tcp_i >= 0 || udp_i < 0;
  a->both = parts[1] == NULL && tcp_i >= 0 && udp_i >= 0;
  if ((a->tcp ? tcp_i : udp_i) < 0)
    return ns_sc_fail(p,
                      _("%s has no %sservice on port %u (see its services = "
                        "in the topology)"),
                      n->name,
                      parts[1] == NULL ? ""
                      : a->tcp         ? "TCP "
                                       : "UDP ",
                      a->port);
  return TRUE;
}

/* The service the field is about: a field only one kind counts picks it
 * when PORT has both; one both count needs PORT/tcp or PORT/udp then; a
 * field the chosen kind does not count is an error, never a silent 0. */
static gboolean service_kind(ScParser *p, const char *ctx, const NsNetNode *n,
                             ServiceExpect *a) {
  guint on = service_fields[a->field].on;
  const char *name = service_fields[a->field].name;
  if (a->both && on == (ON_TCP | ON_UDP))
    return ns_sc_fail(p,
                      _("%s: %s has a TCP and a UDP service on port %u: say "
                        "%u/tcp or %u/udp"),
                      ctx, n->name, a->port, a->port, a->port);
  if (a->both)
    a->tcp = on == ON_TCP;
  if (!(on & (a->tcp ? ON_TCP : ON_UDP)))
    return ns_sc_fail(p,
                      a->tcp ? _("%s: a TCP service counts no %s (a UDP "
                                 "service's field)")
                             : _("%s: a UDP service counts no %s (a TCP "
                                 "service's field)"),
                      ctx, name);
  return TRUE;
}

gboolean ns_sc_parse_service_expect(ScParser *p, ScCmd *c) {
  ServiceExpect *a = SC_ARGS(c, ServiceExpect, NULL);
  g_autofree char *ctx = ns_sc_expect_ctx(c);
  if (!parse_service_port(p, ctx, c->node, a))
    return FALSE;
  const char *f = ns_sc_take(p);
  for (guint i = 0; f != NULL && i < G_N_ELEMENTS(service_fields); i++)
    if (strcmp(f, service_fields[i].name) == 0) {
      a->field = i;
      return service_kind(p, ctx, c->node, a) &&
             ns_sc_parse_compare(p, ctx, FALSE, &a->cmp);
    }
  const char *names[G_N_ELEMENTS(service_fields)];
  for (guint i = 0; i < G_N_ELEMENTS(service_fields); i++)
    names[i] = service_fields[i].name;
  g_autofree char *all = ns_sc_or_list(names, G_N_ELEMENTS(names));
  g_autofree char *g = ns_sc_got(f);
  return ns_sc_fail(p, _("%s needs %s, got %s"), ctx, all, g);
}

gboolean ns_sc_eval_service_expect(const ScState *st, const ScCmd *c,
                                   GString *got) {
  const ServiceExpect *a = c->args;
  NsServices *svcs = c->node->services;
  gint i = ns_services_find(svcs, a->tcp, a->port);
  const NsServiceStats *s = ns_services_stats(svcs, (guint)i);
  guint64 v = G_STRUCT_MEMBER(guint64, s, service_fields[a->field].offset);
  (void)st;
  g_string_append_printf(got, "%" G_GUINT64_FORMAT, v);
  return ns_sc_compare(&a->cmp, (double)v);
}
