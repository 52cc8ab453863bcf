/* topology.c — topology files: parse, validate, summarize.
 *
 * Topology file reference
 * =======================
 *
 * A topology is a GLib key file: `[section]` lines, `key = value` lines and
 * `#` comments.  One section per node; the section name is the node's kind
 * and its name:
 *
 *   [switch NAME]    [router NAME]    [host NAME]
 *
 * NAME is a letter followed by letters, digits, '-' or '_', at most 31
 * characters, unique across all kinds.  An unknown section kind or key is an
 * error (it is usually a typo), and so is a section or a key given twice.
 * Values are taken literally (GKeyFile escapes such as \s mean nothing);
 * list values are separated by ';' (a trailing ';' is fine).
 *
 * Values
 *   ADDR       an IPv4 address: 192.168.1.10
 *   ADDR/LEN   an interface address and prefix length: 192.168.1.10/24.
 *              LEN is 1-30 (/31 and /32 leave no room for a neighbour).  The
 *              address may not be its subnet's network or broadcast address,
 *              nor lie in 0.0.0.0/8, 127.0.0.0/8 or 224.0.0.0 and above.
 *   PREFIX     a route destination, written as its network address:
 *              10.0.0.0/8, 0.0.0.0/0 or `default`; a bare ADDR means /32
 *   TIME       a number with a unit ns, us, ms, s or m: 250us, 10ms, 1.5s
 *   MAC        six two-digit hex groups, ':' or '-' separated, unicast:
 *              02:00:00:00:00:01
 *   N          a whole number
 *
 * Link parameters: key=value words written after a link's peer.
 *   delay=TIME   propagation delay, 0 to 1h              (default 10us)
 *   rate=RATE    a number with a unit bit, kbit, Mbit or Gbit (any case,
 *                "/s" allowed: 1.5Mbit, 10kbit/s), or 0 or unlimited
 *                                                        (default 100Mbit)
 *   loss=P       loss probability 0 to 1 (0.01), or a percentage (1%)
 *                                                        (default 0)
 *   queue=N      frames waiting per direction, 1 to 100000 (default 64)
 *
 * [host NAME] — an end system.
 *   ip = ADDR/LEN          its address; its one interface is called eth0.
 *                          Required unless interface keys are used.
 *   link = PEER [params]   required with ip.  PEER is a switch (sw1), or
 *                          NODE:IFACE (r1:eth2) for a direct cable to a
 *                          router's (or another host's) interface.
 *   mac = MAC              with ip: eth0's MAC (default: assigned 02:...)
 *   IFACE = ADDR/LEN [@ PEER] [params] [mac=MAC]
 *                          instead of ip/link/mac, for a multi-homed host;
 *                          the same syntax as router interfaces.
 *   gateway = ADDR         default gateway: inside one of the host's
 *                          subnets, not its own address.
 *   route = PREFIX via ADDR [metric N]; ...
 *                          static routes, as for routers.  A 0.0.0.0/0
 *                          route and a gateway cannot both be given.
 *   arp-timeout = TIME     how long an ARP answer stays valid, up to 1 day
 *                          (default 60s)
 *   arp-retry = TIME       between ARP requests, up to 1h (default 1s)
 *   arp-retries = N        requests before giving up, 1-100 (default 3)
 *   arp-cache-size = N     ARP cache entries, 1-1000000 (default 256)
 *
 * [router NAME] — forwards IPv4 between the subnets of its interfaces.
 *   IFACE = ADDR/LEN [@ PEER] [params] [mac=MAC]
 *                          at least one.  IFACE is lowercase letters then
 *                          digits (eth0, ge1), at most 15 characters.  PEER
 *                          is a switch (sw1) or NODE:IFACE (r2:eth0).
 *                          Without @ the interface is connected only if
 *                          another node names it as its peer.
 *   route = PREFIX via ADDR [metric N]; ...
 *                          static routes separated by ';'.  ADDR (the next
 *                          hop) lies inside one of the router's subnets;
 *                          metric 0-65535 (default 1).  0.0.0.0/0 via ADDR
 *                          is the default route.
 *   arp-timeout, arp-retry, arp-retries, arp-cache-size   as for hosts.
 *
 * [switch NAME] — a learning switch; each link attached makes a new port.
 *   link = SWITCH [params]; SWITCH [params]; ...
 *                          links to other switches (hosts and routers name
 *                          their switch in their own sections).
 *   fdb-size = N           MAC table capacity, 1-1000000 (default 1024)
 *   aging = TIME           MAC table entry lifetime, up to 1000000s
 *                          (default 300s)
 *
 * Rules
 *   - An interface takes at most one link; a switch takes any number.  A
 *     node cannot be linked to itself.
 *   - A link may be declared from both ends (r1: `eth1 = 10.0.12.1/30 @
 *     r2:eth0`, r2: `eth0 = 10.0.12.2/30 @ r1:eth1`; or sw1 `link = sw2` and
 *     sw2 `link = sw1`): it is one link.  A parameter given at both ends
 *     must have the same value; one given at one end applies to the link.
 *   - Both ends of a direct cable (interface to interface) must be in the
 *     same subnet.
 *   - The interfaces of one node must not have overlapping subnets.
 *   - Switch links must not form a loop: these switches run no spanning
 *     tree, so a broadcast would circle forever.
 *   - An interface connected to nothing is allowed (--check says so).
 *   - Every address is used once in the network; so is every MAC given.
 */
#include "sim/topology.h"

#include <stdarg.h>
#include <string.h>

#include "net/fdb.h"

#define NAME_MAX_LEN 31
#define IFACE_NAME_MAX_LEN 15
#define DELAY_MAX (3600 * NS_SEC)
#define RATE_MAX G_GUINT64_CONSTANT(1000000000000) /* 1 Tbit/s */
#define QUEUE_MAX 100000
#define ROUTE_METRIC_MAX 65535

/* Link parameters given explicitly (bits of LinkDecl.given). */
enum { P_DELAY = 1, P_RATE = 2, P_LOSS = 4, P_QUEUE = 8 };

/* One link as written in one section: a host's `link`, a router or host
 * interface key, one item of a switch's `link` list. */
typedef struct {
  guint node;
  gint iface;          /* index into the node's ifaces; -1 for a switch */
  char *key;           /* the key that declared it, for messages */
  char *peer;          /* "sw1", "r2:eth0"; NULL: an interface without @ */
  NsLinkParams params; /* defaults, overridden by the given ones */
  guint given;         /* P_* bits */
} LinkDecl;

typedef struct {
  char *section;      /* "host h1", for messages */
  gboolean ip_style;  /* a host written with ip/link/mac */
  GArray *iface_link; /* gint per iface: index into links, or -1 */
} NodeState;

typedef struct {
  const char *source;
  GError **error;
  NsTopology *t;
  GKeyFile *kf;
  gchar **groups;     /* one per node, same order */
  GHashTable *byname; /* node name -> index + 1 */
  GHashTable *ips;    /* address -> node index + 1 */
  GHashTable *macs;   /* "02:..." -> node index + 1 */
  GArray *states;     /* NodeState per node */
  GArray *decls;      /* LinkDecl, in file order */
  GArray *link_decl;  /* guint per link: the decl that created it */
  GArray *link_given; /* guint per link: P_* bits given at either end */
  GArray *uf;         /* guint per node: union-find parent (switches) */
} Loader;

static const char *const host_keys[] = {
    "ip",        "gateway",     "link",           "mac", "route", "arp-timeout",
    "arp-retry", "arp-retries", "arp-cache-size", NULL};
static const char *const router_keys[] = {
    "route", "arp-timeout", "arp-retry", "arp-retries", "arp-cache-size", NULL};
static const char *const switch_keys[] = {"link", "fdb-size", "aging", NULL};

static const char params_expected[] =
    "expected delay=TIME, rate=RATE, loss=P or queue=N";

/* ---- small helpers ------------------------------------------------------- */

static NsTopoNode *node_at(const Loader *ld, guint i) {
  return g_ptr_array_index(ld->t->nodes, i);
}

static NodeState *state_at(const Loader *ld, guint i) {
  return &g_array_index(ld->states, NodeState, i);
}

static const char *section_of(const Loader *ld, guint i) {
  return state_at(ld, i)->section;
}

static NsTopoIface *iface_at(const NsTopoNode *n, guint i) {
  return &g_array_index(n->ifaces, NsTopoIface, i);
}

/* Sets the one error: "SOURCE: [SECTION] KEY: MESSAGE".  Returns FALSE. */
static gboolean fail(Loader *ld, NsErrorCode code, const char *section,
                     const char *key, const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static gboolean fail(Loader *ld, NsErrorCode code, const char *section,
                     const char *key, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  GString *s = g_string_new(ld->source);
  g_string_append(s, ": ");
  if (section != NULL)
    g_string_append_printf(s, "[%s] ", section);
  if (key != NULL)
    g_string_append_printf(s, "%s: ", key);
  g_string_append(s, msg);
  g_set_error_literal(ld->error, NS_ERROR, code, s->str);
  g_string_free(s, TRUE);
  return FALSE;
}

/* Wraps an error from a value parser; frees it. */
static gboolean fail_with(Loader *ld, const char *section, const char *key,
                          const char *what, GError *e) {
  if (what != NULL)
    fail(ld, NS_ERROR_PARSE, section, key, "%s: %s", what, e->message);
  else
    fail(ld, NS_ERROR_PARSE, section, key, "%s", e->message);
  g_error_free(e);
  return FALSE;
}

static gboolean is_name(const char *s) {
  if (!g_ascii_isalpha(s[0]))
    return FALSE;
  gsize i = 1;
  for (; s[i] != '\0'; i++)
    if (!g_ascii_isalnum(s[i]) && s[i] != '-' && s[i] != '_')
      return FALSE;
  return i <= NAME_MAX_LEN;
}

/* [a-z]+[0-9]+ */
static gboolean is_iface_name(const char *s) {
  const char *p = s;
  while (*p >= 'a' && *p <= 'z')
    p++;
  if (p == s || !g_ascii_isdigit(*p))
    return FALSE;
  while (g_ascii_isdigit(*p))
    p++;
  return *p == '\0';
}

static gboolean in_list(const char *s, const char *const *list) {
  for (; *list != NULL; list++)
    if (strcmp(s, *list) == 0)
      return TRUE;
  return FALSE;
}

/* Levenshtein distance, for "did you mean"; long words count as far. */
static guint edit_distance(const char *a, const char *b) {
  gsize la = strlen(a), lb = strlen(b);
  if (la > 32 || lb > 32)
    return G_MAXUINT;
  guint row[33];
  for (gsize j = 0; j <= lb; j++)
    row[j] = (guint)j;
  for (gsize i = 1; i <= la; i++) {
    guint diag = row[0];
    row[0] = (guint)i;
    for (gsize j = 1; j <= lb; j++) {
      guint up = row[j];
      guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = MIN(MIN(up + 1, row[j - 1] + 1), diag + cost);
      diag = up;
    }
  }
  return row[lb];
}

static const char *closest(const char *word, const char *const *list) {
  const char *best = NULL;
  guint best_d = 3; /* suggest only within two edits */
  for (; *list != NULL; list++) {
    guint d = edit_distance(word, *list);
    if (d < best_d) {
      best_d = d;
      best = *list;
    }
  }
  return best;
}

/* Splits on blanks, dropping empty words. */
static char **split_words(const char *s) {
  char **w = g_strsplit_set(s, " \t", -1);
  guint j = 0;
  for (guint i = 0; w[i] != NULL; i++) {
    if (w[i][0] != '\0')
      w[j++] = w[i];
    else
      g_free(w[i]);
  }
  w[j] = NULL;
  return w;
}

/* Decimal digits only, at most max. */
static gboolean parse_uint(const char *s, guint64 max, guint64 *out) {
  if (*s == '\0')
    return FALSE;
  guint64 v = 0;
  for (const char *p = s; *p != '\0'; p++) {
    if (!g_ascii_isdigit(*p))
      return FALSE;
    v = v * 10 + (guint64)(*p - '0');
    if (v > max)
      return FALSE;
  }
  *out = v;
  return TRUE;
}

/* "DIGITS[.DIGITS]": whole and fraction (fraction as frac/scale). */
static const char *parse_decimal(const char *s, guint64 *whole, guint64 *frac,
                                 guint64 *scale) {
  const char *p = s;
  *whole = 0;
  *frac = 0;
  *scale = 1;
  int digits = 0;
  while (g_ascii_isdigit(*p)) {
    if (*whole > G_GUINT64_CONSTANT(1000000000000))
      return NULL;
    *whole = *whole * 10 + (guint64)(*p++ - '0');
    digits++;
  }
  if (*p == '.') {
    p++;
    while (g_ascii_isdigit(*p)) {
      if (*scale < G_GUINT64_CONSTANT(1000000000)) {
        *frac = *frac * 10 + (guint64)(*p - '0');
        *scale *= 10;
      }
      p++;
      digits++;
    }
  }
  return digits > 0 ? p : NULL;
}

static gboolean parse_rate(const char *s, guint64 *out) {
  if (strcmp(s, "0") == 0 || g_ascii_strcasecmp(s, "unlimited") == 0) {
    *out = 0;
    return TRUE;
  }
  guint64 whole, frac, scale;
  const char *p = parse_decimal(s, &whole, &frac, &scale);
  if (p == NULL)
    return FALSE;
  guint64 mult = 1;
  switch (g_ascii_tolower(*p)) {
  case 'k':
    mult = 1000;
    p++;
    break;
  case 'm':
    mult = 1000000;
    p++;
    break;
  case 'g':
    mult = 1000000000;
    p++;
    break;
  default:
    break;
  }
  if (g_ascii_strncasecmp(p, "bit", 3) != 0)
    return FALSE;
  p += 3;
  if (strcmp(p, "/s") == 0)
    p += 2;
  if (*p != '\0')
    return FALSE;
  if (whole > RATE_MAX / mult)
    return FALSE;
  guint64 v = whole * mult + frac * mult / scale;
  if (v == 0 || v > RATE_MAX)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean parse_loss(const char *s, double *out) {
  guint64 whole, frac, scale;
  const char *p = parse_decimal(s, &whole, &frac, &scale);
  if (p == NULL)
    return FALSE;
  double v = (double)whole + (double)frac / (double)scale;
  if (strcmp(p, "%") == 0)
    v /= 100.0;
  else if (*p != '\0')
    return FALSE;
  if (v > 1.0)
    return FALSE;
  *out = v;
  return TRUE;
}

static char *format_rate(guint64 bps, char *buf, gsize size) {
  static const struct {
    guint64 mult;
    const char *unit;
  } units[] = {{1000000000, "Gbit/s"}, {1000000, "Mbit/s"}, {1000, "kbit/s"}};
  if (bps == 0) {
    g_snprintf(buf, size, "unlimited");
    return buf;
  }
  for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
    if (bps >= units[i].mult) {
      /* Up to three decimals, trailing zeros dropped: 1.5Mbit/s. */
      guint64 whole = bps / units[i].mult;
      guint64 milli = (bps % units[i].mult) * 1000 / units[i].mult;
      if (milli == 0) {
        g_snprintf(buf, size, "%" G_GUINT64_FORMAT "%s", whole, units[i].unit);
      } else {
        char frac[8];
        g_snprintf(frac, sizeof frac, "%03" G_GUINT64_FORMAT, milli);
        for (int j = 2; j > 0 && frac[j] == '0'; j--)
          frac[j] = '\0';
        g_snprintf(buf, size, "%" G_GUINT64_FORMAT ".%s%s", whole, frac,
                   units[i].unit);
      }
      return buf;
    }
  }
  g_snprintf(buf, size, "%" G_GUINT64_FORMAT "bit/s", bps);
  return buf;
}

/* "r1:eth0" or "sw1". */
static char *end_name(const NsTopology *t, NsTopoEnd e) {
  const NsTopoNode *n = g_ptr_array_index(t->nodes, e.node);
  if (n->kind == NS_NODE_SWITCH)
    return g_strdup(n->name);
  return g_strdup_printf("%s:%s", n->name, iface_at(n, e.iface)->name);
}

/* ---- values -------------------------------------------------------------- */

/* The stripped value of key, or NULL with the error set.  Values are taken
 * literally: GKeyFile's escapes (\s, \n, \;) mean nothing here, and its
 * escape handling in g_key_file_get_string_list() can report one error
 * twice (GLib 2.74, "sw1\ = x\"). */
static char *get_value(Loader *ld, guint idx, const char *key) {
  char *v = g_key_file_get_value(ld->kf, ld->groups[idx], key, NULL);
  g_return_val_if_fail(v != NULL, NULL); /* keys come from the file */
  if (!g_utf8_validate(v, -1, NULL)) {
    g_free(v);
    fail(ld, NS_ERROR_PARSE, section_of(ld, idx), key,
         "the value is not UTF-8 text");
    return NULL;
  }
  return g_strstrip(v);
}

/* A ';'-separated value as stripped items (empty ones kept), or NULL. */
static char **get_list(Loader *ld, guint idx, const char *key) {
  g_autofree char *v = get_value(ld, idx, key);
  if (v == NULL)
    return NULL;
  char **items = g_strsplit(v, ";", -1);
  for (guint i = 0; items[i] != NULL; i++)
    g_strstrip(items[i]);
  return items;
}

static gboolean key_uint(Loader *ld, guint idx, const char *key, guint min,
                         guint max, guint *out) {
  g_autofree char *v = get_value(ld, idx, key);
  if (v == NULL)
    return FALSE;
  guint64 x;
  if (!parse_uint(v, max, &x) || x < min)
    return fail(ld, NS_ERROR_INVALID, section_of(ld, idx), key,
                "'%s' is not a whole number from %u to %u", v, min, max);
  *out = (guint)x;
  return TRUE;
}

static gboolean key_time(Loader *ld, guint idx, const char *key, NsTime max,
                         NsTime *out) {
  g_autofree char *v = get_value(ld, idx, key);
  if (v == NULL)
    return FALSE;
  GError *e = NULL;
  NsTime x;
  if (!ns_time_parse(v, 0, &x, &e))
    return fail_with(ld, section_of(ld, idx), key, NULL, e);
  if (x == 0 || x > max) {
    char buf[NS_TIME_STRLEN];
    return fail(ld, NS_ERROR_INVALID, section_of(ld, idx), key,
                "'%s' is out of range (expected more than 0, at most %s)", v,
                ns_time_format(max, buf));
  }
  *out = x;
  return TRUE;
}

static gboolean is_arp_key(const char *key) {
  return g_str_has_prefix(key, "arp-") && in_list(key, host_keys);
}

static gboolean load_arp_key(Loader *ld, guint idx, const char *key) {
  NsArpConfig *arp = &node_at(ld, idx)->arp;
  if (strcmp(key, "arp-timeout") == 0)
    return key_time(ld, idx, key, 24 * 3600 * NS_SEC, &arp->reachable_time);
  if (strcmp(key, "arp-retry") == 0)
    return key_time(ld, idx, key, 3600 * NS_SEC, &arp->retry_interval);
  if (strcmp(key, "arp-retries") == 0)
    return key_uint(ld, idx, key, 1, 100, &arp->retries);
  return key_uint(ld, idx, key, 1, 1000000, &arp->capacity);
}

/* An interface address: a usable unicast host address with LEN 1-30. */
static gboolean check_iface_addr(Loader *ld, guint idx, const char *key,
                                 NsPrefix p) {
  char a[NS_IP4_STRLEN], net[NS_PREFIX_STRLEN], lo[NS_IP4_STRLEN],
      hi[NS_IP4_STRLEN];
  const char *sec = section_of(ld, idx);
  guint first = p.addr.v >> 24;
  ns_ip4_format(p.addr, a);
  if (p.len < 1 || p.len > 30)
    return fail(ld, NS_ERROR_INVALID, sec, key,
                "/%u is not allowed for an interface (expected a length of "
                "1-30, such as %s/24)",
                p.len, a);
  if (first == 0 || first == 127 || first >= 224)
    return fail(ld, NS_ERROR_INVALID, sec, key,
                "%s cannot be an interface address (expected a unicast "
                "address outside 0.0.0.0/8, 127.0.0.0/8 and 224.0.0.0 and "
                "above)",
                a);
  NsPrefix c = ns_prefix_canonical(p);
  ns_prefix_format(c, net);
  ns_ip4_format((NsIp4){c.addr.v + 1}, lo);
  ns_ip4_format((NsIp4){ns_prefix_broadcast(p).v - 1}, hi);
  const char *what = NULL;
  if (ns_ip4_equal(p.addr, c.addr))
    what = "network";
  else if (ns_ip4_equal(p.addr, ns_prefix_broadcast(p)))
    what = "broadcast";
  if (what != NULL)
    return fail(ld, NS_ERROR_INVALID, sec, key,
                "%s is the %s address of %s (expected a host address from %s "
                "to %s)",
                a, what, net, lo, hi);
  return TRUE;
}

/* Parses "key=value" link parameters into d; mac= only when ifc != NULL. */
static gboolean parse_params(Loader *ld, guint idx, const char *key,
                             char **words, LinkDecl *d, NsTopoIface *ifc) {
  const char *sec = section_of(ld, idx);
  for (; *words != NULL; words++) {
    const char *w = *words;
    const char *eq = strchr(w, '=');
    if (eq == NULL)
      return fail(ld, NS_ERROR_PARSE, sec, key,
                  "'%s' is not a link parameter (%s%s)", w, params_expected,
                  ifc != NULL ? " or mac=MAC" : "");
    g_autofree char *name = g_strndup(w, (gsize)(eq - w));
    const char *v = eq + 1;
    guint bit = strcmp(name, "delay") == 0   ? P_DELAY
                : strcmp(name, "rate") == 0  ? P_RATE
                : strcmp(name, "loss") == 0  ? P_LOSS
                : strcmp(name, "queue") == 0 ? P_QUEUE
                                             : 0;
    if (bit == 0 && ifc != NULL && strcmp(name, "mac") == 0) {
      if (ifc->has_mac)
        return fail(ld, NS_ERROR_INVALID, sec, key, "mac= given twice");
      GError *e = NULL;
      if (!ns_mac_parse(v, &ifc->mac, &e))
        return fail_with(ld, sec, key, "mac", e);
      ifc->has_mac = TRUE;
      continue;
    }
    if (bit == 0)
      return fail(ld, NS_ERROR_PARSE, sec, key,
                  "unknown link parameter '%s' (%s%s)", name, params_expected,
                  ifc != NULL ? " or mac=MAC" : "");
    if (d->given & bit)
      return fail(ld, NS_ERROR_INVALID, sec, key, "%s= given twice", name);
    d->given |= bit;
    guint64 n;
    GError *e = NULL;
    switch (bit) {
    case P_DELAY:
      if (strcmp(v, "0") == 0)
        d->params.delay = 0;
      else if (!ns_time_parse(v, 0, &d->params.delay, &e))
        return fail_with(ld, sec, key, "delay", e);
      if (d->params.delay > DELAY_MAX)
        return fail(ld, NS_ERROR_INVALID, sec, key,
                    "delay: '%s' is out of range (expected 0 to 1h)", v);
      break;
    case P_RATE:
      if (!parse_rate(v, &d->params.rate_bps))
        return fail(ld, NS_ERROR_PARSE, sec, key,
                    "rate: '%s' is not a rate (expected a number with a unit "
                    "bit, kbit, Mbit or Gbit, such as 100Mbit, up to 1000Gbit; "
                    "or 0 or unlimited)",
                    v);
      break;
    case P_LOSS:
      if (!parse_loss(v, &d->params.loss))
        return fail(ld, NS_ERROR_PARSE, sec, key,
                    "loss: '%s' is not a loss probability (expected 0 to 1 "
                    "such as 0.01, or a percentage such as 1%%)",
                    v);
      break;
    default:
      if (!parse_uint(v, QUEUE_MAX, &n) || n < 1)
        return fail(ld, NS_ERROR_INVALID, sec, key,
                    "queue: '%s' is not a queue limit (expected 1 to %u "
                    "frames)",
                    v, QUEUE_MAX);
      d->params.queue_limit = (guint)n;
      break;
    }
  }
  return TRUE;
}

static void decl_init(LinkDecl *d, guint idx, gint iface, const char *key,
                      const char *peer) {
  *d = (LinkDecl){.node = idx,
                  .iface = iface,
                  .key = g_strdup(key),
                  .peer = g_strdup(peer),
                  .params = ns_link_default_params};
}

static void decl_clear(LinkDecl *d) {
  g_free(d->key);
  g_free(d->peer);
}

/* Appends ifc (taking its name) after the network-wide checks. */
static gboolean add_iface(Loader *ld, guint idx, const char *key,
                          const char *mac_key, NsTopoIface *ifc) {
  NsTopoNode *n = node_at(ld, idx);
  const char *sec = section_of(ld, idx);
  char a[NS_IP4_STRLEN], p1[NS_PREFIX_STRLEN], p2[NS_PREFIX_STRLEN];
  gpointer other =
      g_hash_table_lookup(ld->ips, GUINT_TO_POINTER(ifc->addr.addr.v));
  if (other != NULL) {
    const NsTopoNode *o = node_at(ld, GPOINTER_TO_UINT(other) - 1);
    const char *oname = "?";
    for (guint i = 0; i < o->ifaces->len; i++)
      if (ns_ip4_equal(iface_at(o, i)->addr.addr, ifc->addr.addr))
        oname = iface_at(o, i)->name;
    return fail(ld, NS_ERROR_INVALID, sec, key,
                "%s is already the address of %s %s (expected every address "
                "once in the network)",
                ns_ip4_format(ifc->addr.addr, a), o->name, oname);
  }
  for (guint i = 0; i < n->ifaces->len; i++) {
    const NsTopoIface *f = iface_at(n, i);
    guint len = MIN(f->addr.len, ifc->addr.len);
    if (((f->addr.addr.v ^ ifc->addr.addr.v) & ns_prefix_mask(len).v) == 0)
      return fail(ld, NS_ERROR_INVALID, sec, key,
                  "%s overlaps %s %s (expected each interface of %s in a "
                  "subnet of its own)",
                  ns_prefix_format(ifc->addr, p1), f->name,
                  ns_prefix_format(f->addr, p2), n->name);
  }
  if (ifc->has_mac) {
    char m[NS_MAC_STRLEN];
    ns_mac_format(ifc->mac, m);
    if (ns_mac_is_multicast(ifc->mac) || ns_mac_is_zero(ifc->mac))
      return fail(ld, NS_ERROR_INVALID, sec, mac_key,
                  "%s is a %s MAC (expected a unicast MAC: first byte even, "
                  "such as 02:00:00:00:00:01)",
                  m, ns_mac_is_zero(ifc->mac) ? "zero" : "group (multicast)");
    other = g_hash_table_lookup(ld->macs, m);
    if (other != NULL) {
      const NsTopoNode *o = node_at(ld, GPOINTER_TO_UINT(other) - 1);
      const char *oname = "?";
      for (guint i = 0; i < o->ifaces->len; i++)
        if (iface_at(o, i)->has_mac &&
            ns_mac_equal(iface_at(o, i)->mac, ifc->mac))
          oname = iface_at(o, i)->name;
      return fail(ld, NS_ERROR_INVALID, sec, mac_key,
                  "%s is already the MAC of %s %s (expected every MAC once in "
                  "the network)",
                  m, o->name, oname);
    }
    g_hash_table_insert(ld->macs, g_strdup(m), GUINT_TO_POINTER(idx + 1));
  }
  g_hash_table_insert(ld->ips, GUINT_TO_POINTER(ifc->addr.addr.v),
                      GUINT_TO_POINTER(idx + 1));
  g_array_append_val(n->ifaces, *ifc);
  gint none = -1;
  g_array_append_val(state_at(ld, idx)->iface_link, none);
  ifc->name = NULL; /* now owned by n->ifaces */
  return TRUE;
}

/* IFACE = ADDR/LEN [@ PEER] [params] [mac=MAC] */
static gboolean load_iface_key(Loader *ld, guint idx, const char *key) {
  const char *sec = section_of(ld, idx);
  if (strlen(key) > IFACE_NAME_MAX_LEN)
    return fail(ld, NS_ERROR_INVALID, sec, key,
                "interface name too long (expected at most %d characters)",
                IFACE_NAME_MAX_LEN);
  g_autofree char *v = get_value(ld, idx, key);
  if (v == NULL)
    return FALSE;
  g_auto(GStrv) w = split_words(v);
  if (w[0] == NULL)
    return fail(ld, NS_ERROR_PARSE, sec, key,
                "empty value (expected ADDR/LEN [@ PEER] [params] [mac=MAC], "
                "such as 192.168.1.1/24 @ sw1)");
  NsTopoIface ifc = {0};
  GError *e = NULL;
  if (!ns_prefix_parse(w[0], FALSE, &ifc.addr, &e))
    return fail_with(ld, sec, key, NULL, e);
  if (!check_iface_addr(ld, idx, key, ifc.addr))
    return FALSE;
  guint i = 1;
  const char *peer = NULL;
  if (w[i] != NULL && w[i][0] == '@') {
    peer = w[i][1] != '\0' ? w[i] + 1 : w[++i];
    if (peer == NULL)
      return fail(ld, NS_ERROR_PARSE, sec, key,
                  "'@' without a peer (expected @ SWITCH or @ NODE:IFACE, "
                  "such as @ sw1 or @ r2:eth0)");
    i++;
  }
  LinkDecl d;
  decl_init(&d, idx, (gint)node_at(ld, idx)->ifaces->len, key, peer);
  if (!parse_params(ld, idx, key, w + i, &d, &ifc)) {
    decl_clear(&d);
    return FALSE;
  }
  if (peer == NULL && d.given != 0) {
    decl_clear(&d);
    return fail(ld, NS_ERROR_INVALID, sec, key,
                "link parameters need a peer (expected ADDR/LEN @ PEER "
                "[params]; without @, give them where the link is declared)");
  }
  ifc.name = g_strdup(key);
  if (!add_iface(ld, idx, key, key, &ifc)) {
    g_free(ifc.name);
    decl_clear(&d);
    return FALSE;
  }
  g_array_append_val(ld->decls, d);
  return TRUE;
}

/* A host's ip + link + mac keys: interface eth0. */
static gboolean load_ip_style(Loader *ld, guint idx) {
  const char *sec = section_of(ld, idx);
  state_at(ld, idx)->ip_style = TRUE;
  NsTopoIface ifc = {0};
  GError *e = NULL;
  g_autofree char *ip = get_value(ld, idx, "ip");
  if (ip == NULL)
    return FALSE;
  if (!ns_prefix_parse(ip, FALSE, &ifc.addr, &e))
    return fail_with(ld, sec, "ip", NULL, e);
  if (!check_iface_addr(ld, idx, "ip", ifc.addr))
    return FALSE;
  if (g_key_file_has_key(ld->kf, ld->groups[idx], "mac", NULL)) {
    g_autofree char *mac = get_value(ld, idx, "mac");
    if (mac == NULL)
      return FALSE;
    if (!ns_mac_parse(mac, &ifc.mac, &e))
      return fail_with(ld, sec, "mac", NULL, e);
    ifc.has_mac = TRUE;
  }
  if (!g_key_file_has_key(ld->kf, ld->groups[idx], "link", NULL))
    return fail(ld, NS_ERROR_INVALID, sec, NULL,
                "missing key 'link' (expected link = SWITCH or link = "
                "ROUTER:IFACE, such as link = sw1)");
  g_autofree char *link = get_value(ld, idx, "link");
  if (link == NULL)
    return FALSE;
  g_auto(GStrv) w = split_words(link);
  if (w[0] == NULL)
    return fail(ld, NS_ERROR_PARSE, sec, "link",
                "empty value (expected SWITCH or ROUTER:IFACE, then "
                "optional parameters, such as sw1 delay=1ms)");
  LinkDecl d;
  decl_init(&d, idx, 0, "link", w[0]);
  if (!parse_params(ld, idx, "link", w + 1, &d, NULL)) {
    decl_clear(&d);
    return FALSE;
  }
  ifc.name = g_strdup("eth0");
  if (!add_iface(ld, idx, "ip", "mac", &ifc)) {
    g_free(ifc.name);
    decl_clear(&d);
    return FALSE;
  }
  g_array_append_val(ld->decls, d);
  return TRUE;
}

/* The subnets of node n as "a/len, b/len" (for messages). */
static char *subnets_of(const NsTopoNode *n) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < n->ifaces->len; i++) {
    char p[NS_PREFIX_STRLEN];
    g_string_append_printf(
        s, "%s%s", i ? ", " : "",
        ns_prefix_format(ns_prefix_canonical(iface_at(n, i)->addr), p));
  }
  return g_string_free(s, FALSE);
}

/* A gateway or next hop: inside one of the node's subnets, a host address
 * there, and not the node's own. */
static gboolean check_next_hop(Loader *ld, guint idx, const char *key,
                               const char *what, NsIp4 via) {
  const NsTopoNode *n = node_at(ld, idx);
  const char *sec = section_of(ld, idx);
  char a[NS_IP4_STRLEN];
  ns_ip4_format(via, a);
  for (guint i = 0; i < n->ifaces->len; i++) {
    const NsTopoIface *f = iface_at(n, i);
    if (!ns_prefix_contains(f->addr, via))
      continue;
    if (ns_ip4_equal(f->addr.addr, via))
      return fail(ld, NS_ERROR_INVALID, sec, key,
                  "%s%s is %s's own address (expected a neighbour's address, "
                  "such as a router on %s's subnet)",
                  what, a, n->name, f->name);
    if (ns_ip4_equal(via, ns_prefix_network(f->addr)) ||
        ns_ip4_equal(via, ns_prefix_broadcast(f->addr)))
      return fail(ld, NS_ERROR_INVALID, sec, key,
                  "%s%s is the %s address of %s's subnet (expected a "
                  "neighbour's address)",
                  what, a,
                  ns_ip4_equal(via, ns_prefix_network(f->addr)) ? "network"
                                                                : "broadcast",
                  f->name);
    return TRUE;
  }
  g_autofree char *nets = subnets_of(n);
  return fail(ld, NS_ERROR_INVALID, sec, key,
              "%s%s is not on-link (expected an address inside one of %s's "
              "subnets: %s)",
              what, a, n->name, n->ifaces->len ? nets : "none");
}

static gboolean load_gateway(Loader *ld, guint idx) {
  g_autofree char *v = get_value(ld, idx, "gateway");
  if (v == NULL)
    return FALSE;
  GError *e = NULL;
  NsTopoNode *n = node_at(ld, idx);
  if (!ns_ip4_parse(v, &n->gateway, &e))
    return fail_with(ld, section_of(ld, idx), "gateway", NULL, e);
  return check_next_hop(ld, idx, "gateway", "", n->gateway);
}

/* route = PREFIX via ADDR [metric N]; ... */
static gboolean load_routes(Loader *ld, guint idx) {
  NsTopoNode *n = node_at(ld, idx);
  const char *sec = section_of(ld, idx);
  GError *e = NULL;
  g_auto(GStrv) items = get_list(ld, idx, "route");
  if (items == NULL)
    return FALSE;
  for (guint k = 0; items[k] != NULL; k++) {
    const char *item = items[k];
    if (*item == '\0')
      continue; /* "a; b;" */
    g_auto(GStrv) w = split_words(item);
    guint nw = g_strv_length(w);
    if (!(nw == 3 || nw == 5) || strcmp(w[1], "via") != 0 ||
        (nw == 5 && strcmp(w[3], "metric") != 0))
      return fail(ld, NS_ERROR_PARSE, sec, "route",
                  "'%s' is not a route (expected PREFIX via ADDR [metric N], "
                  "such as 10.0.0.0/8 via 192.168.1.1 or 0.0.0.0/0 via "
                  "192.168.1.1)",
                  item);
    NsTopoRoute r = {.metric = 1};
    if (strcmp(w[0], "default") == 0)
      r.prefix = (NsPrefix){{0}, 0};
    else if (!ns_prefix_parse(w[0], TRUE, &r.prefix, &e))
      return fail_with(ld, sec, "route", NULL, e);
    char p1[NS_PREFIX_STRLEN], p2[NS_PREFIX_STRLEN], a[NS_IP4_STRLEN];
    NsPrefix c = ns_prefix_canonical(r.prefix);
    if (!ns_ip4_equal(c.addr, r.prefix.addr))
      return fail(ld, NS_ERROR_INVALID, sec, "route",
                  "%s has host bits set (expected the network address %s)",
                  ns_prefix_format(r.prefix, p1), ns_prefix_format(c, p2));
    if (!ns_ip4_parse(w[2], &r.via, &e))
      return fail_with(ld, sec, "route", NULL, e);
    if (!check_next_hop(ld, idx, "route", "via ", r.via))
      return FALSE;
    guint64 m = 1;
    if (nw == 5 && !parse_uint(w[4], ROUTE_METRIC_MAX, &m))
      return fail(ld, NS_ERROR_INVALID, sec, "route",
                  "metric '%s' is not a whole number from 0 to %u", w[4],
                  ROUTE_METRIC_MAX);
    r.metric = (guint)m;
    if (r.prefix.len == 0 && !ns_ip4_is_zero(n->gateway))
      return fail(ld, NS_ERROR_INVALID, sec, "route",
                  "a default route 0.0.0.0/0 and gateway = %s both given "
                  "(expected one of them)",
                  ns_ip4_format(n->gateway, a));
    for (guint i = 0; i < n->routes->len; i++) {
      const NsTopoRoute *o = &g_array_index(n->routes, NsTopoRoute, i);
      if (o->prefix.len == r.prefix.len &&
          ns_ip4_equal(o->prefix.addr, r.prefix.addr) && o->metric == r.metric)
        return fail(ld, NS_ERROR_INVALID, sec, "route",
                    "%s metric %u given twice (expected one route per "
                    "destination and metric)",
                    ns_prefix_format(r.prefix, p1), r.metric);
    }
    g_array_append_val(n->routes, r);
  }
  return TRUE;
}

static gboolean fail_unknown_key(Loader *ld, guint idx, const char *key,
                                 const char *const *list, gboolean ifaces) {
  GString *exp = g_string_new(NULL);
  for (guint i = 0; list[i] != NULL; i++)
    g_string_append_printf(exp, "%s%s", i ? ", " : "", list[i]);
  if (ifaces)
    g_string_append(exp, " or interface keys such as eth0 = ADDR/LEN @ PEER");
  const char *hint = closest(key, list);
  g_autofree char *dym =
      hint ? g_strdup_printf("did you mean '%s'? ", hint) : g_strdup("");
  fail(ld, NS_ERROR_PARSE, section_of(ld, idx), key,
       "unknown key (%sexpected %s)", dym, exp->str);
  g_string_free(exp, TRUE);
  return FALSE;
}

static gboolean load_host(Loader *ld, guint idx, char **keys) {
  const char *sec = section_of(ld, idx);
  const char *first_iface = NULL;
  gboolean has_ip = FALSE, has_gw = FALSE, has_routes = FALSE;
  const char *link_or_mac = NULL;
  for (guint k = 0; keys[k] != NULL; k++) {
    const char *key = keys[k];
    if (strcmp(key, "ip") == 0)
      has_ip = TRUE;
    else if (strcmp(key, "link") == 0 || strcmp(key, "mac") == 0)
      link_or_mac = link_or_mac ? link_or_mac : key;
    else if (strcmp(key, "gateway") == 0)
      has_gw = TRUE;
    else if (strcmp(key, "route") == 0)
      has_routes = TRUE;
    else if (is_arp_key(key)) {
      if (!load_arp_key(ld, idx, key))
        return FALSE;
    } else if (is_iface_name(key)) {
      if (has_ip)
        return fail(ld, NS_ERROR_INVALID, sec, key,
                    "interface keys cannot be mixed with ip (expected either "
                    "ip = ADDR/LEN with link = PEER, or only interface keys)");
      if (!load_iface_key(ld, idx, key))
        return FALSE;
      first_iface = first_iface ? first_iface : key;
    } else {
      return fail_unknown_key(ld, idx, key, host_keys, TRUE);
    }
  }
  if (has_ip && first_iface != NULL)
    return fail(
        ld, NS_ERROR_INVALID, sec, "ip",
        "cannot be mixed with interface keys such as %s (expected "
        "either ip = ADDR/LEN with link = PEER, or only interface keys)",
        first_iface);
  if (!has_ip && first_iface == NULL)
    return fail(ld, NS_ERROR_INVALID, sec, NULL,
                "missing key 'ip' (expected ip = ADDR/LEN, such as ip = "
                "192.168.1.10/24, or interface keys such as eth0 = "
                "192.168.1.10/24 @ sw1)");
  if (!has_ip && link_or_mac != NULL)
    return fail(ld, NS_ERROR_INVALID, sec, link_or_mac,
                "only used with ip (with interface keys, write the peer and "
                "MAC on the interface: %s = ADDR/LEN @ PEER mac=MAC)",
                first_iface);
  if (has_ip && !load_ip_style(ld, idx))
    return FALSE;
  if (has_gw && !load_gateway(ld, idx))
    return FALSE;
  return !has_routes || load_routes(ld, idx);
}

static gboolean load_router(Loader *ld, guint idx, char **keys) {
  gboolean has_routes = FALSE;
  for (guint k = 0; keys[k] != NULL; k++) {
    const char *key = keys[k];
    if (strcmp(key, "route") == 0)
      has_routes = TRUE;
    else if (is_arp_key(key)) {
      if (!load_arp_key(ld, idx, key))
        return FALSE;
    } else if (is_iface_name(key)) {
      if (!load_iface_key(ld, idx, key))
        return FALSE;
    } else {
      return fail_unknown_key(ld, idx, key, router_keys, TRUE);
    }
  }
  if (node_at(ld, idx)->ifaces->len == 0)
    return fail(ld, NS_ERROR_INVALID, section_of(ld, idx), NULL,
                "has no interfaces (expected at least one, such as eth0 = "
                "192.168.1.1/24 @ sw1)");
  return !has_routes || load_routes(ld, idx);
}

/* link = SWITCH [params]; SWITCH [params]; ... */
static gboolean load_switch_links(Loader *ld, guint idx) {
  g_auto(GStrv) items = get_list(ld, idx, "link");
  if (items == NULL)
    return FALSE;
  for (guint k = 0; items[k] != NULL; k++) {
    g_auto(GStrv) w = split_words(items[k]);
    if (w[0] == NULL)
      continue; /* "sw2;" */
    LinkDecl d;
    decl_init(&d, idx, -1, "link", w[0]);
    if (!parse_params(ld, idx, "link", w + 1, &d, NULL)) {
      decl_clear(&d);
      return FALSE;
    }
    g_array_append_val(ld->decls, d);
  }
  return TRUE;
}

static gboolean load_switch(Loader *ld, guint idx, char **keys) {
  NsTopoNode *n = node_at(ld, idx);
  for (guint k = 0; keys[k] != NULL; k++) {
    const char *key = keys[k];
    gboolean ok;
    if (strcmp(key, "link") == 0)
      ok = load_switch_links(ld, idx);
    else if (strcmp(key, "fdb-size") == 0)
      ok = key_uint(ld, idx, key, 1, 1000000, &n->fdb_size);
    else if (strcmp(key, "aging") == 0)
      ok = key_time(ld, idx, key, 1000000 * NS_SEC, &n->aging);
    else
      ok = fail_unknown_key(ld, idx, key, switch_keys, FALSE);
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

static gboolean load_node(Loader *ld, guint idx) {
  gsize nkeys;
  g_auto(GStrv) keys =
      g_key_file_get_keys(ld->kf, ld->groups[idx], &nkeys, NULL);
  if (keys == NULL)
    return TRUE;
  /* GKeyFile keeps the last of two equal keys silently; a second one is
   * almost always a mistake. */
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (gsize k = 0; k < nkeys; k++)
    if (!g_hash_table_add(seen, keys[k]))
      return fail(ld, NS_ERROR_INVALID, section_of(ld, idx), keys[k],
                  "given twice (expected each key once in a section)");
  switch (node_at(ld, idx)->kind) {
  case NS_NODE_HOST:
    return load_host(ld, idx, keys);
  case NS_NODE_ROUTER:
    return load_router(ld, idx, keys);
  default:
    return load_switch(ld, idx, keys);
  }
}

/* ---- sections ------------------------------------------------------------ */

static gboolean parse_section(Loader *ld, const char *group, NsNodeKind *kind,
                              char **name) {
  const char *sp = strpbrk(group, " \t");
  g_autofree char *kstr =
      sp ? g_strndup(group, (gsize)(sp - group)) : g_strdup(group);
  static const char *const examples[] = {"h1", "sw1", "r1"};
  gint k = -1;
  for (gint i = NS_NODE_HOST; i <= NS_NODE_ROUTER; i++)
    if (strcmp(kstr, ns_node_kind_name((NsNodeKind)i)) == 0)
      k = i;
  if (k < 0)
    return fail(ld, NS_ERROR_PARSE, group, NULL,
                "unknown section kind '%s' (expected host, switch or router)",
                kstr);
  char *nm = g_strstrip(g_strdup(sp ? sp : ""));
  if (*nm == '\0') {
    g_free(nm);
    return fail(ld, NS_ERROR_PARSE, group, NULL,
                "has no name (expected [%s NAME], such as [%s %s])", kstr, kstr,
                examples[k]);
  }
  if (!is_name(nm)) {
    fail(ld, NS_ERROR_PARSE, group, NULL,
         "'%s' is not a valid name (expected a letter, then letters, digits, "
         "'-' or '_', at most %d characters)",
         nm, NAME_MAX_LEN);
    g_free(nm);
    return FALSE;
  }
  *kind = (NsNodeKind)k;
  *name = nm;
  return TRUE;
}

static gboolean add_nodes(Loader *ld) {
  for (guint i = 0; ld->groups[i] != NULL; i++) {
    NsNodeKind kind;
    char *name;
    if (!parse_section(ld, ld->groups[i], &kind, &name))
      return FALSE;
    gpointer other = g_hash_table_lookup(ld->byname, name);
    if (other != NULL) {
      fail(ld, NS_ERROR_INVALID, ld->groups[i], NULL,
           "the name '%s' is already used by [%s] (expected names unique "
           "across hosts, switches and routers)",
           name, section_of(ld, GPOINTER_TO_UINT(other) - 1));
      g_free(name);
      return FALSE;
    }
    NsTopoNode *n = g_new0(NsTopoNode, 1);
    n->kind = kind;
    n->name = name;
    n->ifaces = g_array_new(FALSE, TRUE, sizeof(NsTopoIface));
    n->routes = g_array_new(FALSE, TRUE, sizeof(NsTopoRoute));
    n->arp = ns_arp_default_config;
    n->fdb_size = NS_FDB_DEFAULT_CAPACITY;
    n->aging = NS_FDB_DEFAULT_AGING;
    g_ptr_array_add(ld->t->nodes, n);
    NodeState st = {
        .section = g_strdup_printf("%s %s", ns_node_kind_name(kind), name),
        .iface_link = g_array_new(FALSE, FALSE, sizeof(gint)),
    };
    g_array_append_val(ld->states, st);
    g_hash_table_insert(ld->byname, name, GUINT_TO_POINTER(i + 1));
    g_array_append_val(ld->uf, i);
  }
  return TRUE;
}

/* ---- links --------------------------------------------------------------- */

/* Resolves d->peer to an end; errors name d's section and key. */
static gboolean resolve_peer(Loader *ld, const LinkDecl *d, NsTopoEnd *out,
                             gboolean *is_switch) {
  const char *sec = section_of(ld, d->node);
  const NsTopoNode *self = node_at(ld, d->node);
  const char *colon = strchr(d->peer, ':');
  g_autofree char *name =
      colon ? g_strndup(d->peer, (gsize)(colon - d->peer)) : g_strdup(d->peer);
  if (!is_name(name) || (colon && !is_iface_name(colon + 1)))
    return fail(ld, NS_ERROR_PARSE, sec, d->key,
                "'%s' is not a peer (expected a switch name such as sw1, or "
                "NODE:IFACE such as r1:eth0)",
                d->peer);
  gpointer p = g_hash_table_lookup(ld->byname, name);
  if (p == NULL)
    return fail(ld, NS_ERROR_INVALID, sec, d->key, "no node named '%s'", name);
  guint idx = GPOINTER_TO_UINT(p) - 1;
  const NsTopoNode *peer = node_at(ld, idx);
  const char *kind = ns_node_kind_name(peer->kind);
  if (idx == d->node)
    return fail(ld, NS_ERROR_INVALID, sec, d->key,
                "links %s to itself (expected another node)", name);
  if (self->kind == NS_NODE_SWITCH && peer->kind != NS_NODE_SWITCH)
    return fail(ld, NS_ERROR_INVALID, sec, d->key,
                "'%s' is a %s (expected another switch: hosts and routers "
                "name their switch in their own section)",
                name, kind);
  *out = (NsTopoEnd){.node = idx, .iface = 0};
  *is_switch = peer->kind == NS_NODE_SWITCH;
  if (*is_switch) {
    if (colon != NULL)
      return fail(ld, NS_ERROR_INVALID, sec, d->key,
                  "'%s': a switch has no named interfaces (expected just %s)",
                  d->peer, name);
    return TRUE;
  }
  if (colon == NULL)
    return fail(ld, NS_ERROR_INVALID, sec, d->key,
                "'%s' is a %s: name its interface (expected %s:IFACE, such as "
                "%s:%s)",
                name, kind, name, name,
                peer->ifaces->len ? iface_at(peer, 0)->name : "eth0");
  for (guint i = 0; i < peer->ifaces->len; i++) {
    if (strcmp(iface_at(peer, i)->name, colon + 1) == 0) {
      out->iface = i;
      return TRUE;
    }
  }
  GString *has = g_string_new(NULL);
  for (guint i = 0; i < peer->ifaces->len; i++)
    g_string_append_printf(has, "%s%s", i ? ", " : "", iface_at(peer, i)->name);
  fail(ld, NS_ERROR_INVALID, sec, d->key,
       "%s %s has no interface '%s' (it has %s)", kind, name, colon + 1,
       has->str);
  g_string_free(has, TRUE);
  return FALSE;
}

static guint uf_find(Loader *ld, guint i) {
  guint *parent = (guint *)ld->uf->data;
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

/* A second declaration of link li (from its other end): merges the
 * parameters, which must agree where both ends give them. */
static gboolean merge_decl(Loader *ld, const LinkDecl *d, guint li) {
  NsTopoLink *l = &g_array_index(ld->t->links, NsTopoLink, li);
  guint *given = &g_array_index(ld->link_given, guint, li);
  const LinkDecl *first = &g_array_index(
      ld->decls, LinkDecl, g_array_index(ld->link_decl, guint, li));
  static const char *const names[] = {"delay", "rate", "loss", "queue"};
  for (guint b = 0; b < 4; b++) {
    guint bit = 1u << b;
    if (!(d->given & bit))
      continue;
    char mine[32], theirs[32];
    gboolean same;
    switch (bit) {
    case P_DELAY:
      same = d->params.delay == l->params.delay;
      ns_time_format(d->params.delay, mine);
      ns_time_format(l->params.delay, theirs);
      break;
    case P_RATE:
      same = d->params.rate_bps == l->params.rate_bps;
      format_rate(d->params.rate_bps, mine, sizeof mine);
      format_rate(l->params.rate_bps, theirs, sizeof theirs);
      break;
    case P_LOSS:
      same = d->params.loss == l->params.loss;
      g_snprintf(mine, sizeof mine, "%g", d->params.loss);
      g_snprintf(theirs, sizeof theirs, "%g", l->params.loss);
      break;
    default:
      same = d->params.queue_limit == l->params.queue_limit;
      g_snprintf(mine, sizeof mine, "%u", d->params.queue_limit);
      g_snprintf(theirs, sizeof theirs, "%u", l->params.queue_limit);
      break;
    }
    if ((*given & bit) && !same)
      return fail(ld, NS_ERROR_INVALID, section_of(ld, d->node), d->key,
                  "%s=%s differs from %s=%s given in [%s] %s (expected the "
                  "same value at both ends, or give it at one end only)",
                  names[b], mine, names[b], theirs, section_of(ld, first->node),
                  first->key);
  }
  if (d->given & P_DELAY)
    l->params.delay = d->params.delay;
  if (d->given & P_RATE)
    l->params.rate_bps = d->params.rate_bps;
  if (d->given & P_LOSS)
    l->params.loss = d->params.loss;
  if (d->given & P_QUEUE)
    l->params.queue_limit = d->params.queue_limit;
  *given |= d->given;
  return TRUE;
}

static gint link_of(const Loader *ld, NsTopoEnd e) {
  const NsTopoNode *n = node_at(ld, e.node);
  if (n->kind == NS_NODE_SWITCH)
    return -1;
  return g_array_index(state_at(ld, e.node)->iface_link, gint, e.iface);
}

static gboolean same_end(const NsTopology *t, NsTopoEnd x, NsTopoEnd y) {
  const NsTopoNode *n = g_ptr_array_index(t->nodes, x.node);
  return x.node == y.node && (n->kind == NS_NODE_SWITCH || x.iface == y.iface);
}

/* Fails because end e is taken by link li (seen from the declaring d). */
static gboolean fail_taken(Loader *ld, const LinkDecl *d, NsTopoEnd e,
                           guint li) {
  const NsTopoLink *l = &g_array_index(ld->t->links, NsTopoLink, li);
  const LinkDecl *first = &g_array_index(
      ld->decls, LinkDecl, g_array_index(ld->link_decl, guint, li));
  NsTopoEnd other = same_end(ld->t, l->a, e) ? l->b : l->a;
  g_autofree char *en = end_name(ld->t, e);
  g_autofree char *on = end_name(ld->t, other);
  return fail(ld, NS_ERROR_INVALID, section_of(ld, d->node), d->key,
              "%s is already connected to %s (by [%s] %s; expected at most "
              "one link per interface)",
              en, on, section_of(ld, first->node), first->key);
}

static gboolean add_link(Loader *ld, guint di) {
  const LinkDecl *d = &g_array_index(ld->decls, LinkDecl, di);
  const NsTopology *t = ld->t;
  NsTopoEnd a = {.node = d->node, .iface = d->iface < 0 ? 0 : (guint)d->iface};
  NsTopoEnd b;
  gboolean b_switch;
  if (!resolve_peer(ld, d, &b, &b_switch))
    return FALSE;
  gboolean a_switch = d->iface < 0;
  gint la = link_of(ld, a), lb = link_of(ld, b);
  if (la >= 0) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, la);
    NsTopoEnd other = same_end(t, l->a, a) ? l->b : l->a;
    if (same_end(t, other, b))
      return merge_decl(ld, d, (guint)la); /* the same cable, other end */
    return fail_taken(ld, d, a, (guint)la);
  }
  if (lb >= 0)
    return fail_taken(ld, d, b, (guint)lb);
  if (a_switch && b_switch) {
    for (guint i = 0; i < t->links->len; i++) {
      const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, i);
      if (!((l->a.node == a.node && l->b.node == b.node) ||
            (l->a.node == b.node && l->b.node == a.node)))
        continue;
      if (l->a.node == a.node)
        return fail(ld, NS_ERROR_INVALID, section_of(ld, d->node), d->key,
                    "%s is listed twice (expected one link between two "
                    "switches: a second one would make a loop)",
                    node_at(ld, b.node)->name);
      return merge_decl(ld, d, i);
    }
    guint ra = uf_find(ld, a.node), rb = uf_find(ld, b.node);
    if (ra == rb)
      return fail(ld, NS_ERROR_INVALID, section_of(ld, d->node), d->key,
                  "linking %s to %s would close a loop (they are already "
                  "connected through other switches; without spanning tree a "
                  "broadcast would circle forever)",
                  node_at(ld, a.node)->name, node_at(ld, b.node)->name);
    g_array_index(ld->uf, guint, ra) = rb;
  }
  if (!a_switch && !b_switch) {
    const NsTopoIface *fa = iface_at(node_at(ld, a.node), a.iface);
    const NsTopoIface *fb = iface_at(node_at(ld, b.node), b.iface);
    if (fa->addr.len != fb->addr.len ||
        !ns_prefix_contains(fa->addr, fb->addr.addr)) {
      char p1[NS_PREFIX_STRLEN], p2[NS_PREFIX_STRLEN];
      g_autofree char *bn = end_name(t, b);
      return fail(ld, NS_ERROR_INVALID, section_of(ld, d->node), d->key,
                  "%s and %s %s are not in the same subnet (expected both "
                  "ends of a direct cable in one subnet)",
                  ns_prefix_format(fa->addr, p1), bn,
                  ns_prefix_format(fb->addr, p2));
    }
  }
  NsTopoLink l = {.a = a, .b = b, .params = d->params};
  guint li = t->links->len;
  g_array_append_val(t->links, l);
  g_array_append_val(ld->link_decl, di);
  g_array_append_val(ld->link_given, d->given);
  if (!a_switch)
    g_array_index(state_at(ld, a.node)->iface_link, gint, a.iface) = (gint)li;
  if (!b_switch)
    g_array_index(state_at(ld, b.node)->iface_link, gint, b.iface) = (gint)li;
  return TRUE;
}

/* ---- raw text checks ----------------------------------------------------- */

/* Calls fn for each line: its number and its text without surrounding
 * blanks.  Stops when fn returns FALSE. */
typedef gboolean (*LineFunc)(guint lineno, const char *s, gsize n,
                             gpointer data);

static void for_each_line(const char *data, gsize len, LineFunc fn,
                          gpointer user) {
  const char *p = data, *end = data + len;
  for (guint lineno = 1; p < end; lineno++) {
    const char *eol = memchr(p, '\n', (gsize)(end - p));
    if (eol == NULL)
      eol = end;
    const char *s = p, *e = eol;
    while (s < e && g_ascii_isspace(*s))
      s++;
    while (e > s && g_ascii_isspace(e[-1]))
      e--;
    if (!fn(lineno, s, (gsize)(e - s), user))
      return;
    p = eol + 1;
  }
}

typedef struct {
  guint bad; /* first line GKeyFile cannot have liked, or 0 */
  gboolean in_group;
} BadLine;

static gboolean find_bad_line(guint lineno, const char *s, gsize n,
                              gpointer data) {
  BadLine *bl = data;
  if (n == 0 || s[0] == '#')
    return TRUE;
  gboolean ok;
  if (s[0] == '[') {
    ok = n >= 3 && s[n - 1] == ']' && g_utf8_validate(s, (gssize)n, NULL);
    bl->in_group = TRUE;
  } else {
    const char *eq = memchr(s, '=', n);
    ok = bl->in_group && eq != NULL && eq != s;
  }
  if (!ok)
    bl->bad = lineno;
  return ok;
}

typedef struct {
  Loader *ld;
  GHashTable *lines; /* group -> GUINT line */
  char *group;
  gboolean ok;
} Prescan;

/* What GKeyFile hides: a section given twice (it merges them) and
 * localized keys such as ip[de] (not listed by g_key_file_get_keys). */
static gboolean prescan_line(guint lineno, const char *s, gsize n,
                             gpointer data) {
  Prescan *ps = data;
  if (n == 0 || s[0] == '#')
    return TRUE;
  if (s[0] == '[') {
    const char *close = s + n - 1;
    while (close > s && *close != ']')
      close--;
    if (close == s)
      return TRUE;
    g_free(ps->group);
    ps->group = g_strndup(s + 1, (gsize)(close - s - 1));
    gpointer first = g_hash_table_lookup(ps->lines, ps->group);
    if (first != NULL) {
      ps->ok = fail(ps->ld, NS_ERROR_INVALID, ps->group, NULL,
                    "section appears twice (lines %u and %u; expected each "
                    "node once)",
                    GPOINTER_TO_UINT(first), lineno);
      return FALSE;
    }
    g_hash_table_insert(ps->lines, g_strdup(ps->group),
                        GUINT_TO_POINTER(lineno));
    return TRUE;
  }
  const char *eq = memchr(s, '=', n);
  if (eq == NULL || ps->group == NULL)
    return TRUE;
  const char *ke = eq;
  while (ke > s && g_ascii_isspace(ke[-1]))
    ke--;
  if (memchr(s, '[', (gsize)(ke - s)) != NULL) {
    g_autofree char *key = g_strndup(s, (gsize)(ke - s));
    ps->ok = fail(ps->ld, NS_ERROR_PARSE, ps->group, key,
                  "unknown key (localized keys such as key[de] are not used "
                  "in topology files)");
    return FALSE;
  }
  return TRUE;
}

/* ---- loading ------------------------------------------------------------- */

static gboolean load(Loader *ld, const char *data, gsize len) {
  GError *e = NULL;
  if (!g_key_file_load_from_data(ld->kf, data, len, G_KEY_FILE_NONE, &e)) {
    BadLine bl = {0};
    for_each_line(data, len, find_bad_line, &bl);
    if (bl.bad > 0)
      g_set_error(ld->error, NS_ERROR, NS_ERROR_PARSE, "%s:%u: %s", ld->source,
                  bl.bad, e->message);
    else
      g_set_error(ld->error, NS_ERROR, NS_ERROR_PARSE, "%s: %s", ld->source,
                  e->message);
    g_error_free(e);
    return FALSE;
  }
  Prescan ps = {
      .ld = ld,
      .ok = TRUE,
      .lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
  for_each_line(data, len, prescan_line, &ps);
  g_hash_table_unref(ps.lines);
  g_free(ps.group);
  if (!ps.ok)
    return FALSE;

  ld->groups = g_key_file_get_groups(ld->kf, NULL);
  if (ld->groups[0] == NULL)
    return fail(ld, NS_ERROR_INVALID, NULL, NULL,
                "no nodes: expected at least one [host], [switch] or [router] "
                "section");
  if (!add_nodes(ld))
    return FALSE;
  for (guint i = 0; i < ld->t->nodes->len; i++)
    if (!load_node(ld, i))
      return FALSE;
  for (guint i = 0; i < ld->decls->len; i++)
    if (g_array_index(ld->decls, LinkDecl, i).peer != NULL && !add_link(ld, i))
      return FALSE;
  return TRUE;
}

static void iface_clear(gpointer p) { g_free(((NsTopoIface *)p)->name); }

static void node_free(gpointer p) {
  NsTopoNode *n = p;
  g_free(n->name);
  g_array_unref(n->ifaces);
  g_array_unref(n->routes);
  g_free(n);
}

NsTopology *ns_topology_load_data(const char *data, gssize len,
                                  const char *source, GError **error) {
  g_return_val_if_fail(data != NULL, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);
  if (source == NULL)
    source = "<topology>";
  NsTopology *t = g_new0(NsTopology, 1);
  t->source = g_strdup(source);
  t->nodes = g_ptr_array_new_with_free_func(node_free);
  t->links = g_array_new(FALSE, TRUE, sizeof(NsTopoLink));
  Loader ld = {
      .source = t->source,
      .error = error,
      .t = t,
      .kf = g_key_file_new(),
      .byname = g_hash_table_new(g_str_hash, g_str_equal),
      .ips = g_hash_table_new(g_direct_hash, g_direct_equal),
      .macs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
      .states = g_array_new(FALSE, TRUE, sizeof(NodeState)),
      .decls = g_array_new(FALSE, TRUE, sizeof(LinkDecl)),
      .link_decl = g_array_new(FALSE, FALSE, sizeof(guint)),
      .link_given = g_array_new(FALSE, FALSE, sizeof(guint)),
      .uf = g_array_new(FALSE, FALSE, sizeof(guint)),
  };
  gboolean ok = load(&ld, data, len < 0 ? strlen(data) : (gsize)len);
  g_key_file_free(ld.kf);
  g_strfreev(ld.groups);
  g_hash_table_unref(ld.byname);
  g_hash_table_unref(ld.ips);
  g_hash_table_unref(ld.macs);
  for (guint i = 0; i < ld.states->len; i++) {
    g_free(state_at(&ld, i)->section);
    g_array_unref(state_at(&ld, i)->iface_link);
  }
  g_array_unref(ld.states);
  for (guint i = 0; i < ld.decls->len; i++)
    decl_clear(&g_array_index(ld.decls, LinkDecl, i));
  g_array_unref(ld.decls);
  g_array_unref(ld.link_decl);
  g_array_unref(ld.link_given);
  g_array_unref(ld.uf);
  if (!ok) {
    ns_topology_free(t);
    return NULL;
  }
  return t;
}

NsTopology *ns_topology_load_file(const char *path, GError **error) {
  g_return_val_if_fail(path != NULL, NULL);
  g_autofree char *data = NULL;
  gsize len;
  GError *e = NULL;
  if (!g_file_get_contents(path, &data, &len, &e)) {
    g_set_error(error, NS_ERROR, NS_ERROR_IO,
                "%s: cannot read the topology file (%s)", path, e->message);
    g_error_free(e);
    return NULL;
  }
  return ns_topology_load_data(data, (gssize)len, path, error);
}

void ns_topology_free(NsTopology *t) {
  if (t == NULL)
    return;
  for (guint i = 0; i < t->nodes->len; i++) {
    NsTopoNode *n = g_ptr_array_index(t->nodes, i);
    for (guint j = 0; j < n->ifaces->len; j++)
      iface_clear(iface_at(n, j));
  }
  g_ptr_array_unref(t->nodes);
  g_array_unref(t->links);
  g_free(t->source);
  g_free(t);
}

gint ns_topology_find(const NsTopology *t, const char *name) {
  g_return_val_if_fail(t != NULL && name != NULL, -1);
  for (guint i = 0; i < t->nodes->len; i++)
    if (strcmp(((NsTopoNode *)g_ptr_array_index(t->nodes, i))->name, name) == 0)
      return (gint)i;
  return -1;
}

const char *ns_node_kind_name(NsNodeKind k) {
  switch (k) {
  case NS_NODE_HOST:
    return "host";
  case NS_NODE_SWITCH:
    return "switch";
  case NS_NODE_ROUTER:
    return "router";
  }
  return "?";
}

/* ---- summary ------------------------------------------------------------- */

static void append_count(GString *s, guint n, const char *one, const char *many,
                         gboolean *first) {
  if (n == 0)
    return;
  g_string_append_printf(s, "%s%u %s", *first ? "" : ", ", n,
                         n == 1 ? one : many);
  *first = FALSE;
}

/* The far end of the link on iface i of node idx, or NULL. */
static char *iface_peer(const NsTopology *t, guint idx, guint i) {
  for (guint k = 0; k < t->links->len; k++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
    if (l->a.node == idx && l->a.iface == i)
      return end_name(t, l->b);
    if (l->b.node == idx && l->b.iface == i)
      return end_name(t, l->a);
  }
  return NULL;
}

static GPtrArray *node_details(const NsTopology *t, guint idx) {
  const NsTopoNode *n = g_ptr_array_index(t->nodes, idx);
  GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
  char a[NS_IP4_STRLEN], p[NS_PREFIX_STRLEN], m[NS_MAC_STRLEN],
      t1[NS_TIME_STRLEN], t2[NS_TIME_STRLEN];
  if (n->kind == NS_NODE_SWITCH) {
    guint ports = 0;
    for (guint k = 0; k < t->links->len; k++) {
      const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
      ports += (l->a.node == idx) + (l->b.node == idx);
    }
    g_ptr_array_add(lines,
                    g_strdup_printf("%u port%s, MAC table %u entries, aging %s",
                                    ports, ports == 1 ? "" : "s", n->fdb_size,
                                    ns_time_format(n->aging, t1)));
    return lines;
  }
  for (guint i = 0; i < n->ifaces->len; i++) {
    const NsTopoIface *f = iface_at(n, i);
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "%s %s", f->name, ns_prefix_format(f->addr, p));
    if (f->has_mac)
      g_string_append_printf(s, " mac %s", ns_mac_format(f->mac, m));
    if (!ns_ip4_is_zero(n->gateway) && ns_prefix_contains(f->addr, n->gateway))
      g_string_append_printf(s, " gw %s", ns_ip4_format(n->gateway, a));
    g_autofree char *peer = iface_peer(t, idx, i);
    if (peer != NULL)
      g_string_append_printf(s, " -> %s", peer);
    else
      g_string_append(s, " (not connected)");
    g_ptr_array_add(lines, g_string_free(s, FALSE));
  }
  for (guint i = 0; i < n->routes->len; i++) {
    const NsTopoRoute *r = &g_array_index(n->routes, NsTopoRoute, i);
    g_ptr_array_add(lines,
                    g_strdup_printf("route %s via %s metric %u",
                                    ns_prefix_format(r->prefix, p),
                                    ns_ip4_format(r->via, a), r->metric));
  }
  const NsArpConfig *d = &ns_arp_default_config;
  if (memcmp(&n->arp, d, sizeof *d) != 0)
    g_ptr_array_add(lines,
                    g_strdup_printf("arp timeout %s, retry every %s, %u "
                                    "requests, cache %u entries",
                                    ns_time_format(n->arp.reachable_time, t1),
                                    ns_time_format(n->arp.retry_interval, t2),
                                    n->arp.retries, n->arp.capacity));
  return lines;
}

char *ns_topology_summary(const NsTopology *t) {
  g_return_val_if_fail(t != NULL, NULL);
  guint count[3] = {0};
  int width = 1;
  for (guint i = 0; i < t->nodes->len; i++) {
    const NsTopoNode *n = g_ptr_array_index(t->nodes, i);
    count[n->kind]++;
    width = MAX(width, (int)strlen(n->name));
  }
  GString *s = g_string_new(NULL);
  gboolean first = TRUE;
  g_string_append_printf(s, "%s: %u node%s (", t->source, t->nodes->len,
                         t->nodes->len == 1 ? "" : "s");
  append_count(s, count[NS_NODE_SWITCH], "switch", "switches", &first);
  append_count(s, count[NS_NODE_ROUTER], "router", "routers", &first);
  append_count(s, count[NS_NODE_HOST], "host", "hosts", &first);
  g_string_append_printf(s, "), %u link%s\n", t->links->len,
                         t->links->len == 1 ? "" : "s");
  for (guint i = 0; i < t->nodes->len; i++) {
    const NsTopoNode *n = g_ptr_array_index(t->nodes, i);
    g_autoptr(GPtrArray) lines = node_details(t, i);
    for (guint j = 0; j < lines->len; j++) {
      if (j == 0)
        g_string_append_printf(s, "  %-6s %-*s  %s\n",
                               ns_node_kind_name(n->kind), width, n->name,
                               (char *)lines->pdata[j]);
      else
        g_string_append_printf(s, "  %-6s %-*s  %s\n", "", width, "",
                               (char *)lines->pdata[j]);
    }
  }
  GPtrArray *ends = g_ptr_array_new_with_free_func(g_free);
  int lwidth = 1;
  for (guint k = 0; k < t->links->len; k++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
    g_autofree char *a = end_name(t, l->a);
    g_autofree char *b = end_name(t, l->b);
    char *e = g_strdup_printf("%s -- %s", a, b);
    lwidth = MAX(lwidth, (int)strlen(e));
    g_ptr_array_add(ends, e);
  }
  for (guint k = 0; k < t->links->len; k++) {
    const NsTopoLink *l = &g_array_index(t->links, NsTopoLink, k);
    char d[NS_TIME_STRLEN], r[32];
    g_string_append_printf(s, "  link %-*s  delay %s, rate %s", lwidth,
                           (char *)ends->pdata[k],
                           ns_time_format(l->params.delay, d),
                           format_rate(l->params.rate_bps, r, sizeof r));
    if (l->params.loss > 0)
      g_string_append_printf(s, ", loss %g%%", l->params.loss * 100.0);
    g_string_append_printf(s, ", queue %u\n", l->params.queue_limit);
  }
  g_ptr_array_unref(ends);
  return g_string_free(s, FALSE);
}

/* ---- the built-in network ------------------------------------------------ */

/* Keep byte-identical to topologies/two_lans.conf (a test compares them). */
const char ns_topology_builtin[] =
    "# two_lans.conf: two Ethernet LANs joined by one router.\n"
    "# (netsim runs this network when no topology is given.)\n"
    "#\n"
    "#   LAN A 192.168.1.0/24                      LAN B 192.168.2.0/24\n"
    "#\n"
    "#   h1 .10 ---+                                  +--- h3 .10\n"
    "#             +-- sw1 --- eth0 [r1] eth1 --- sw2 --+\n"
    "#   h2 .11 ---+           .1          .1         +--- h4 .11\n"
    "#\n"
    "# What it teaches:\n"
    "#  - Inside a LAN, hosts find each other's MAC address with ARP, and the\n"
    "#    switch learns which port each MAC lives on.\n"
    "#  - To reach another subnet a host sends to its default gateway: h1 "
    "ANDs\n"
    "#    192.168.2.10 with its mask 255.255.255.0, gets 192.168.2.0, which "
    "is\n"
    "#    not its own 192.168.1.0, so it ARPs for the gateway 192.168.1.1.\n"
    "#  - The router ends the broadcast domain: it forwards the packet with\n"
    "#    TTL - 1 out of eth1 and ARPs again on LAN B.\n"
    "#\n"
    "# Try:\n"
    "#   h1 ping h2          same LAN: ARP, then the switch learns and "
    "forwards\n"
    "#   h1 ping h3          across the router\n"
    "#   show arp h1         h1 knows the gateway's MAC, never h3's\n"
    "#   show mac sw1\n"
    "#   show route r1\n"
    "#   h1 traceroute h4\n"
    "\n"
    "[switch sw1]\n"
    "\n"
    "[switch sw2]\n"
    "\n"
    "[router r1]\n"
    "eth0 = 192.168.1.1/24 @ sw1\n"
    "eth1 = 192.168.2.1/24 @ sw2\n"
    "\n"
    "[host h1]\n"
    "ip = 192.168.1.10/24\n"
    "gateway = 192.168.1.1\n"
    "# Link parameters are optional, e.g.:\n"
    "#   link = sw1 delay=1ms rate=100Mbit loss=0.01 queue=64\n"
    "link = sw1\n"
    "\n"
    "[host h2]\n"
    "ip = 192.168.1.11/24\n"
    "gateway = 192.168.1.1\n"
    "link = sw1\n"
    "\n"
    "[host h3]\n"
    "ip = 192.168.2.10/24\n"
    "gateway = 192.168.2.1\n"
    "link = sw2\n"
    "\n"
    "[host h4]\n"
    "ip = 192.168.2.11/24\n"
    "gateway = 192.168.2.1\n"
    "link = sw2\n";
