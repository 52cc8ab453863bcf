/* topology_bridge_rule.c — one item of a [bridge] section's listen or
 * connect key, parsed alone: its syntax, protocol, addresses and ports.
 * What needs the rest of the file (forward, allow-remote, node names,
 * the bridge's own addresses and services, duplicates) is
 * topology_bridge.c's.
 *
 * Both keys write a rule as LOCAL [-> REMOTE]:
 *   LOCAL  = [PROTO:][ADDR:]PORT    what the client contacts
 *   REMOTE = [ADDR:]PORT            where the bridge relays it
 * listen:  LOCAL is on this machine (ADDR default 127.0.0.1, PORT 0 = any
 *          free port), REMOTE = TARGET:PORT in the simulated network
 *          (TARGET an address or a node name); without REMOTE the forward
 *          key gives it.
 * connect: LOCAL is the bridge's simulated side (ADDR default 0.0.0.0 =
 *          any of its addresses), REMOTE the real server (ADDR default
 *          127.0.0.1), required.
 * A LOCAL of two parts is PROTO:PORT when its first part is a word,
 * ADDR:PORT when it is digits and dots.
 */
#include "config/topology_private.h"
#include "core/i18n.h"

#include <string.h>

#define PORT_MAX 65535

/* What each direction's rules look like, for the messages. */
static const struct {
  const char *key;
  const char *form;
  const char *example;
  guint local_min; /* the lowest port of LOCAL */
} forms[] = {
    [NS_BRIDGE_LISTEN] = {"listen", "[PROTO:][ADDR:]PORT [-> TARGET:PORT]",
                          "tcp:127.0.0.1:8080 -> 192.168.2.10:8080", 0},
    [NS_BRIDGE_CONNECT] = {"connect", "[PROTO:][SIMADDR:]PORT -> [ADDR:]PORT",
                           "tcp:9000 -> 127.0.0.1:9000", 1},
};

static const char *const proto_names[] = {
    [NS_BRIDGE_TCP] = "tcp",
    [NS_BRIDGE_UDP] = "udp",
};

/* One side of the arrow. */
typedef struct {
  gboolean has_addr;
  NsIp4 addr;
  char *name; /* REMOTE of a listen rule: a node's name (owned) */
  guint16 port;
} Side;

const char *ns_bridge_proto_name(NsBridgeProto p) {
  return (guint)p < G_N_ELEMENTS(proto_names) ? proto_names[p] : "?";
}

void ns_topo_bridge_rule_clear(NsBridgeRule *r) {
  g_clear_pointer(&r->sim_name, g_free);
  g_clear_pointer(&r->text, g_free);
}

/* ---- pieces -------------------------------------------------------------- */

static gboolean fail_form(NsBridgeDir dir, const char *item, GError **error) {
  g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
              _("'%s' is not a %s rule (expected %s, such as %s)"), item,
              forms[dir].key, forms[dir].form, forms[dir].example);
  return FALSE;
}

/* text split on ':' into stripped parts, or NULL if one is empty. */
static char **split_parts(const char *text) {
  char **p = g_strsplit(text, ":", -1);
  for (guint i = 0; p[i] != NULL; i++)
    if (*g_strstrip(p[i]) == '\0') {
      g_strfreev(p);
      return NULL;
    }
  return p;
}

/* Digits and dots only: meant as an address, even if a bad one. */
static gboolean looks_like_addr(const char *s) {
  return *s != '\0' && strspn(s, "0123456789.") == strlen(s);
}

static gboolean parse_proto(const char *s, NsBridgeProto *out) {
  for (guint p = 0; p < G_N_ELEMENTS(proto_names); p++)
    if (g_ascii_strcasecmp(s, proto_names[p]) == 0) {
      *out = (NsBridgeProto)p;
      return TRUE;
    }
  return FALSE;
}

static gboolean parse_addr(const char *item, const char *s, NsIp4 *out,
                           GError **error) {
  GError *e = NULL;
  if (ns_ip4_parse(s, out, &e))
    return TRUE;
  g_set_error(error, NS_ERROR, NS_ERROR_PARSE, "'%s': %s", item, e->message);
  g_error_free(e);
  return FALSE;
}

static gboolean parse_port(const char *item, const char *s, guint min,
                           guint16 *out, GError **error) {
  guint64 v;
  if (ns_topo_parse_uint(s, PORT_MAX, &v) && v >= min) {
    *out = (guint16)v;
    return TRUE;
  }
  g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
              _("'%s': '%s' is not a port (expected a whole number from %u to "
                "%u%s)"),
              item, s, min, PORT_MAX, min == 0 ? "; 0 for any free port" : "");
  return FALSE;
}

/* ---- the two sides ------------------------------------------------------- */

/* LOCAL: [PROTO:][ADDR:]PORT */
static gboolean parse_local(NsBridgeDir dir, const char *item, const char *text,
                            NsBridgeProto *proto, Side *out, GError **error) {
  g_auto(GStrv) p = split_parts(text);
  guint n = p != NULL ? g_strv_length(p) : 0;
  /* "tcp:127.0.0.1" left the port out, more likely than a bad port. */
  if (n < 1 || n > 3 || strchr(p[n - 1], '.') != NULL)
    return fail_form(dir, item, error);
  guint i = 0;
  if (n == 3 || (n == 2 && !looks_like_addr(p[0]))) {
    if (!parse_proto(p[0], proto)) {
      g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                  _("'%s': '%s' is not a protocol (expected tcp or udp%s)"),
                  item, p[0],
                  n == 2 ? ", or an IPv4 address such as 127.0.0.1" : "");
      return FALSE;
    }
    i++;
  }
  out->has_addr = n - i == 2;
  if (out->has_addr && !parse_addr(item, p[i++], &out->addr, error))
    return FALSE;
  return parse_port(item, p[i], forms[dir].local_min, &out->port, error);
}

/* REMOTE: TARGET:PORT for listen (TARGET an address or a node name),
 * [ADDR:]PORT for connect.  alone: text is a forward key's whole value,
 * not the right side of item. */
static gboolean parse_remote(NsBridgeDir dir, const char *item,
                             const char *text, gboolean alone, Side *out,
                             GError **error) {
  g_auto(GStrv) p = split_parts(text);
  guint n = p != NULL ? g_strv_length(p) : 0;
  if (n < 1 || n > 2 || (dir == NS_BRIDGE_LISTEN && n != 2)) {
    if (!alone)
      return fail_form(dir, item, error);
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                _("'%s' is not a target (expected TARGET:PORT, such as "
                  "192.168.2.10:8080 or h3:8080)"),
                item);
    return FALSE;
  }
  if (!parse_port(item, p[n - 1], 1, &out->port, error))
    return FALSE;
  out->has_addr = n == 2;
  if (n == 2 && dir == NS_BRIDGE_LISTEN && !looks_like_addr(p[0])) {
    if (!ns_topo_is_name(p[0])) {
      g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                  _("'%s': '%s' is neither an IPv4 address nor a node name "
                    "(expected such as 192.168.2.10 or h3)"),
                  item, p[0]);
      return FALSE;
    }
    out->has_addr = FALSE;
    out->name = g_strdup(p[0]); /* the last step: nothing fails after */
    return TRUE;
  }
  return n == 1 || parse_addr(item, p[0], &out->addr, error);
}

/* ---- addresses that cannot serve ----------------------------------------- */

/* A listen target given as an address (quote is the rule or the forward
 * value): 0.0.0.0/8, 127.0.0.0/8, 224.0.0.0 and above are nothing to
 * reach in the simulated network. */
static gboolean check_target_addr(const char *quote, NsIp4 addr,
                                  GError **error) {
  char a[NS_IP4_STRLEN];
  if ((addr.v >> 24) != 0 && !ns_ip4_is_loopback(addr) && (addr.v >> 24) < 224)
    return TRUE;
  g_set_error(
      error, NS_ERROR, NS_ERROR_INVALID,
      _("'%s': %s cannot be a target (expected a unicast address outside "
        "0.0.0.0/8, 127.0.0.0/8 and 224.0.0.0 and above, or a node's "
        "name such as h3)"),
      quote, ns_ip4_format(addr, a));
  return FALSE;
}

/* The outside address of a listen rule is bound (0.0.0.0: every address
 * of this machine), a connect rule's is connected to. */
static gboolean check_addrs(const NsBridgeRule *r, GError **error) {
  char a[NS_IP4_STRLEN];
  gboolean listen = r->dir == NS_BRIDGE_LISTEN;
  if ((r->outside_addr.v >> 24) >= 224 ||
      (!listen && ns_ip4_is_zero(r->outside_addr))) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("'%s': %s cannot be %s (expected an address of this machine "
                  "such as 127.0.0.1)"),
                r->text, ns_ip4_format(r->outside_addr, a),
                listen ? _("listened on") : _("connected to"));
    return FALSE;
  }
  return !listen || r->sim_name != NULL || r->sim_port == 0 ||
         check_target_addr(r->text, r->sim_addr, error);
}

/* ---- a rule -------------------------------------------------------------- */

/* The sides placed: listen's LOCAL is outside, connect's is simulated. */
static void place(NsBridgeRule *r, Side *local, Side *remote) {
  if (r->dir == NS_BRIDGE_LISTEN) {
    r->outside_addr = local->has_addr ? local->addr : NS_IP4(127, 0, 0, 1);
    r->outside_port = local->port;
    r->sim_addr = remote->addr;
    r->sim_port = remote->port;
    r->sim_name = g_steal_pointer(&remote->name);
  } else {
    r->sim_addr = local->has_addr ? local->addr : NS_IP4(0, 0, 0, 0);
    r->sim_port = local->port;
    r->outside_addr = remote->has_addr ? remote->addr : NS_IP4(127, 0, 0, 1);
    r->outside_port = remote->port;
  }
}

gboolean ns_topo_bridge_rule_parse(NsBridgeDir dir, const char *item,
                                   NsBridgeRule *out, GError **error) {
  g_return_val_if_fail((guint)dir < G_N_ELEMENTS(forms), FALSE);
  const char *arrow = strstr(item, "->");
  const char *right = arrow != NULL ? arrow + 2 : NULL;
  if ((right != NULL && strstr(right, "->") != NULL) ||
      (right == NULL && dir == NS_BRIDGE_CONNECT))
    return fail_form(dir, item, error);
  g_autofree char *left =
      arrow != NULL ? g_strndup(item, (gsize)(arrow - item)) : g_strdup(item);
  NsBridgeRule r = {.dir = dir, .proto = NS_BRIDGE_TCP};
  Side local = {0}, remote = {0};
  if (!parse_local(dir, item, left, &r.proto, &local, error))
    return FALSE;
  if (right != NULL &&
      !parse_remote(dir, item, right, /* alone */ FALSE, &remote, error))
    return FALSE;
  r.text = g_strdup(item);
  place(&r, &local, &remote);
  if (!check_addrs(&r, error)) {
    ns_topo_bridge_rule_clear(&r);
    return FALSE;
  }
  *out = r;
  return TRUE;
}

gboolean ns_topo_bridge_target_parse(const char *text, NsIp4 *addr, char **name,
                                     guint16 *port, GError **error) {
  Side s = {0};
  if (!parse_remote(NS_BRIDGE_LISTEN, text, text, /* alone */ TRUE, &s, error))
    return FALSE;
  if (s.name == NULL && !check_target_addr(text, s.addr, error))
    return FALSE;
  *addr = s.addr;
  *name = s.name;
  *port = s.port;
  return TRUE;
}

/* "tcp 127.0.0.1:8080 -> 192.168.2.10:8080 (h3)" */
char *ns_bridge_rule_format(const NsBridgeRule *r, guint16 bound_port) {
  char o[NS_ENDPOINT_STRLEN], s[NS_ENDPOINT_STRLEN];
  gboolean bound = r->dir == NS_BRIDGE_LISTEN && bound_port != 0;
  guint16 port = bound ? bound_port : r->outside_port;
  ns_endpoint_format(r->outside_addr, port, o);
  if (r->dir == NS_BRIDGE_CONNECT && ns_ip4_is_zero(r->sim_addr))
    g_snprintf(s, sizeof s, "*:%u", r->sim_port);
  else
    ns_endpoint_format(r->sim_addr, r->sim_port, s);
  const char *proto = ns_bridge_proto_name(r->proto);
  if (r->dir == NS_BRIDGE_CONNECT)
    return g_strdup_printf("%s %s -> %s", proto, s, o);
  if (r->sim_name != NULL)
    return g_strdup_printf("%s %s -> %s (%s)", proto, o, s, r->sim_name);
  return g_strdup_printf("%s %s -> %s", proto, o, s);
}
