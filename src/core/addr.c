/* addr.c — parsing and formatting of MAC, IPv4, prefix and time values. */
#include "core/addr.h"
#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

/* The domain's name is a string literal, not G_DEFINE_QUARK's bare
 * tokens: clang-format spaces those out ("ns - error - quark"). */
GQuark ns_error_quark(void) {
  return g_quark_from_static_string(NS_ERROR_DOMAIN);
}

const NsMac ns_mac_broadcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
const NsMac ns_mac_zero = {{0, 0, 0, 0, 0, 0}};

/* One load where a shift took four instructions: routing and broadcast
 * checks ask for masks several times a datagram. */
#define M(len) ((guint32)(G_MAXUINT64 << (32 - (len))))
const guint32 ns_prefix_masks[33] = {
    M(0),  M(1),  M(2),  M(3),  M(4),  M(5),  M(6),  M(7),  M(8),
    M(9),  M(10), M(11), M(12), M(13), M(14), M(15), M(16), M(17),
    M(18), M(19), M(20), M(21), M(22), M(23), M(24), M(25), M(26),
    M(27), M(28), M(29), M(30), M(31), M(32)};
#undef M

static int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

gboolean ns_mac_parse(const char *s, NsMac *out, GError **error) {
  g_return_val_if_fail(s != NULL && out != NULL, FALSE);
  char sep = 0;
  NsMac mac;
  const char *p = s;
  for (int i = 0; i < 6; i++) {
    int hi = hex_digit(p[0]);
    int lo = hi < 0 ? -1 : hex_digit(p[1]);
    if (hi < 0 || lo < 0)
      goto bad;
    mac.b[i] = (guint8)(hi << 4 | lo);
    p += 2;
    if (i < 5) {
      if (*p != ':' && *p != '-')
        goto bad;
      if (sep && *p != sep)
        goto bad;
      sep = *p++;
    }
  }
  if (*p != '\0')
    goto bad;
  *out = mac;
  return TRUE;
bad:
  g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
              _("'%s' is not a MAC address (expected six two-digit hex groups "
                "such as 02:00:00:00:00:01)"),
              s);
  return FALSE;
}

/* Addresses are formatted by hand, not with printf: a topology of 100,000
 * hosts formats a few of them per host while loading and checking, and
 * printf's machinery was a fifth of that time. */
char *ns_mac_format(NsMac mac, char buf[NS_MAC_STRLEN]) {
  static const char hex[] = "0123456789abcdef";
  char *o = buf;
  for (guint i = 0; i < 6; i++) {
    if (i > 0)
      *o++ = ':';
    *o++ = hex[mac.b[i] >> 4];
    *o++ = hex[mac.b[i] & 15];
  }
  *o = '\0';
  return buf;
}

int ns_mac_compare(NsMac a, NsMac b) { return memcmp(a.b, b.b, 6); }
gboolean ns_mac_is_broadcast(NsMac mac) {
  return ns_mac_equal(mac, ns_mac_broadcast);
}
gboolean ns_mac_is_zero(NsMac mac) { return ns_mac_equal(mac, ns_mac_zero); }

NsMac ns_mac_local(guint32 n) {
  NsMac m = {
      {0x02, 0x00, 0x00, (guint8)(n >> 16), (guint8)(n >> 8), (guint8)n}};
  return m;
}

guint ns_mac_hash(NsMac mac) {
  /* FNV-1a over the six bytes: cheap and spreads sequential MACs. */
  guint32 h = 2166136261u;
  for (int i = 0; i < 6; i++) {
    h ^= mac.b[i];
    h *= 16777619u;
  }
  return h;
}

/* Parses one decimal octet 0..255 without leading zeros; advances *pp. */
static gboolean parse_octet(const char **pp, guint *out) {
  const char *p = *pp;
  if (*p < '0' || *p > '9')
    return FALSE;
  guint v = 0;
  int digits = 0;
  while (*p >= '0' && *p <= '9') {
    v = v * 10 + (guint)(*p - '0');
    if (++digits > 3 || v > 255)
      return FALSE;
    p++;
  }
  if (digits > 1 && **pp == '0')
    return FALSE;
  *out = v;
  *pp = p;
  return TRUE;
}

static gboolean parse_ip4_prefix(const char **pp, NsIp4 *out) {
  guint32 v = 0;
  for (int i = 0; i < 4; i++) {
    guint o;
    if (!parse_octet(pp, &o))
      return FALSE;
    v = v << 8 | o;
    if (i < 3) {
      if (**pp != '.')
        return FALSE;
      (*pp)++;
    }
  }
  out->v = v;
  return TRUE;
}

gboolean ns_ip4_parse(const char *s, NsIp4 *out, GError **error) {
  g_return_val_if_fail(s != NULL && out != NULL, FALSE);
  const char *p = s;
  NsIp4 ip;
  if (!parse_ip4_prefix(&p, &ip) || *p != '\0') {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                _("'%s' is not an IPv4 address (expected four numbers 0-255 "
                  "such as 192.168.1.10)"),
                s);
    return FALSE;
  }
  *out = ip;
  return TRUE;
}

/* Writes 0-999 in decimal at o, without leading zeros; returns the end. */
static char *put_decimal(char *o, guint v) {
  if (v >= 100)
    *o++ = (char)('0' + v / 100);
  if (v >= 10)
    *o++ = (char)('0' + v / 10 % 10);
  *o++ = (char)('0' + v % 10);
  return o;
}

/* Dotted quad at o (no NUL); returns the end. */
static char *put_ip4(char *o, NsIp4 ip) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    o = put_decimal(o, (ip.v >> shift) & 255);
    if (shift > 0)
      *o++ = '.';
  }
  return o;
}

char *ns_ip4_format(NsIp4 ip, char buf[NS_IP4_STRLEN]) {
  *put_ip4(buf, ip) = '\0';
  return buf;
}

char *ns_endpoint_format(NsIp4 ip, guint16 port, char buf[NS_ENDPOINT_STRLEN]) {
  char a[NS_IP4_STRLEN];
  g_snprintf(buf, NS_ENDPOINT_STRLEN, "%s:%u", ns_ip4_format(ip, a), port);
  return buf;
}

NsIp4 ns_ip4_load(const guint8 *p) {
  return (NsIp4){(guint32)p[0] << 24 | (guint32)p[1] << 16 |
                 (guint32)p[2] << 8 | p[3]};
}

void ns_ip4_store(guint8 *p, NsIp4 ip) {
  p[0] = (guint8)(ip.v >> 24);
  p[1] = (guint8)(ip.v >> 16);
  p[2] = (guint8)(ip.v >> 8);
  p[3] = (guint8)ip.v;
}

gboolean ns_prefix_parse(const char *s, gboolean allow_bare, NsPrefix *out,
                         GError **error) {
  g_return_val_if_fail(s != NULL && out != NULL, FALSE);
  const char *p = s;
  NsPrefix r;
  if (!parse_ip4_prefix(&p, &r.addr))
    goto bad;
  if (*p == '\0' && allow_bare) {
    r.len = 32;
  } else {
    if (*p != '/')
      goto bad;
    p++;
    guint len = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 3) {
      len = len * 10 + (guint)(*p++ - '0');
      digits++;
    }
    if (digits == 0 || *p != '\0' || len > 32 ||
        (digits > 1 && p[-digits] == '0'))
      goto bad;
    r.len = (guint8)len;
  }
  *out = r;
  return TRUE;
bad:
  g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
              _("'%s' is not an IPv4 prefix (expected address/length such as "
                "192.168.1.10/24, length 0-32)"),
              s);
  return FALSE;
}

char *ns_prefix_format(NsPrefix p, char buf[NS_PREFIX_STRLEN]) {
  char *o = put_ip4(buf, p.addr);
  *o++ = '/';
  *put_decimal(o, MIN(p.len, 999u)) = '\0';
  return buf;
}

NsPrefix ns_prefix_canonical(NsPrefix p) {
  return (NsPrefix){ns_prefix_network(p), p.len};
}

gboolean ns_time_parse(const char *s, NsTime default_unit, NsTime *out,
                       GError **error) {
  g_return_val_if_fail(s != NULL && out != NULL, FALSE);
  static const struct {
    const char *suffix;
    NsTime mult;
  } units[] = {{"ns", NS_NSEC},     {"us", NS_USEC},    {"ms", NS_MSEC},
               {"s", NS_SEC},       {"m", 60 * NS_SEC}, {"min", 60 * NS_SEC},
               {"h", 3600 * NS_SEC}};
  /* Split "12.5ms" into digits and unit first, then compute with checked
   * arithmetic: a value that does not fit in 64-bit nanoseconds is an
   * error, never a wrapped-around small time. */
  const char *p = s;
  const char *int_start = p;
  while (*p >= '0' && *p <= '9')
    p++;
  const char *int_end = p;
  const char *frac_start = NULL, *frac_end = NULL;
  if (*p == '.') {
    frac_start = ++p;
    while (*p >= '0' && *p <= '9')
      p++;
    frac_end = p;
  }
  gsize ndigits = (gsize)(int_end - int_start) +
                  (frac_start != NULL ? (gsize)(frac_end - frac_start) : 0);
  if (ndigits == 0)
    goto bad;
  NsTime mult = 0;
  if (*p == '\0') {
    /* A bare 0 needs no unit. */
    gboolean zero = TRUE;
    for (const char *q = s; *q != '\0'; q++)
      zero = zero && (*q == '0' || *q == '.');
    mult = default_unit != 0 ? default_unit : (zero ? NS_SEC : 0);
  } else {
    for (gsize i = 0; i < G_N_ELEMENTS(units); i++)
      if (strcmp(p, units[i].suffix) == 0)
        mult = units[i].mult;
  }
  if (mult == 0)
    goto bad;
  guint64 total = 0;
  for (const char *q = int_start; q < int_end; q++) {
    if (!g_uint64_checked_mul(&total, total, 10) ||
        !g_uint64_checked_add(&total, total, (guint64)(*q - '0')))
      goto range;
  }
  if (!g_uint64_checked_mul(&total, total, mult))
    goto range;
  /* Fractional digits: each one is worth mult / 10^k; digits beyond
   * nanosecond resolution are ignored. */
  NsTime place = mult;
  for (const char *q = frac_start; q != NULL && q < frac_end; q++) {
    place /= 10;
    if (place == 0)
      break;
    if (!g_uint64_checked_add(&total, total, place * (guint64)(*q - '0')))
      goto range;
  }
  if (total == NS_TIME_NEVER)
    goto range;
  *out = total;
  return TRUE;
range:
  g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
              _("'%s' is too long a time (at most about 584 years)"), s);
  return FALSE;
bad:
  g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
              _("'%s' is not a time (expected a number with a unit: ns, us, "
                "ms, s, m or h, e.g. 10ms or 1.5s)"),
              s);
  return FALSE;
}

char *ns_time_format(NsTime t, char buf[NS_TIME_STRLEN]) {
  if (t == 0)
    g_snprintf(buf, NS_TIME_STRLEN, "0");
  else if (t % NS_SEC == 0)
    g_snprintf(buf, NS_TIME_STRLEN, "%" G_GUINT64_FORMAT "s", t / NS_SEC);
  else if (t % NS_MSEC == 0)
    g_snprintf(buf, NS_TIME_STRLEN, "%" G_GUINT64_FORMAT "ms", t / NS_MSEC);
  else if (t % NS_USEC == 0)
    g_snprintf(buf, NS_TIME_STRLEN, "%" G_GUINT64_FORMAT "us", t / NS_USEC);
  else
    g_snprintf(buf, NS_TIME_STRLEN, "%" G_GUINT64_FORMAT "ns", t);
  return buf;
}
