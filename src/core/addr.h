/* addr.h — MAC and IPv4 address value types.
 *
 * Addresses are small structs, never bare integers, so the compiler tells a
 * MAC from an IPv4 address from a prefix length.  NsIp4 holds the address in
 * host byte order (so masks and comparisons are plain integer operations);
 * the wire codecs convert to and from network order at the byte boundary.
 *
 * Parsers are strict: "192.168.1.010" (leading zeros), "1.2.3", "1.2.3.4.5",
 * "256.0.0.1", trailing junk, MACs without exactly six two-digit hex groups
 * are rejected with a GError whose message says what was expected.
 */
#pragma once

#include <string.h>

#include <glib.h>

G_BEGIN_DECLS

#define NS_ERROR (ns_error_quark())
#define NS_ERROR_DOMAIN "ns-error-quark" /* g_quark_to_string(NS_ERROR) */
GQuark ns_error_quark(void);

typedef enum {
  NS_ERROR_PARSE,   /* a string that is not what was expected */
  NS_ERROR_INVALID, /* well-formed, but not allowed here */
  NS_ERROR_IO,      /* a file or socket failed */
} NsErrorCode;

/* ---- MAC ---------------------------------------------------------------- */

typedef struct {
  guint8 b[6]; /* in wire order: b[0] is the first byte sent */
} NsMac;
_Static_assert(sizeof(NsMac) == 6, "NsMac must be exactly six bytes");

#define NS_MAC_STRLEN 18 /* "xx:xx:xx:xx:xx:xx" + NUL */

extern const NsMac ns_mac_broadcast; /* ff:ff:ff:ff:ff:ff */
extern const NsMac ns_mac_zero;      /* 00:00:00:00:00:00 */

/* Accepts "02:00:00:00:00:01" and "02-00-00-00-00-01", either case. */
gboolean ns_mac_parse(const char *s, NsMac *out, GError **error);
/* Writes lowercase colon form into buf (NS_MAC_STRLEN bytes); returns buf. */
char *ns_mac_format(NsMac mac, char buf[NS_MAC_STRLEN]);
/* Inline: every frame a NIC receives asks both. */
static inline gboolean ns_mac_equal(NsMac a, NsMac b) {
  return memcmp(a.b, b.b, 6) == 0;
}
int ns_mac_compare(NsMac a, NsMac b);
gboolean ns_mac_is_broadcast(NsMac mac);
/* Group bit set (broadcast included). */
static inline gboolean ns_mac_is_multicast(NsMac mac) {
  return (mac.b[0] & 1) != 0;
}
gboolean ns_mac_is_zero(NsMac mac);
/* 02:00:00:xx:xx:xx, locally administered unicast, for index n (< 2^24). */
NsMac ns_mac_local(guint32 n);
guint ns_mac_hash(NsMac mac);

/* ---- IPv4 --------------------------------------------------------------- */

typedef struct {
  guint32 v; /* host byte order: 192.168.1.10 is 0xC0A8010A */
} NsIp4;

#define NS_IP4_STRLEN 16 /* "255.255.255.255" + NUL */
#define NS_IP4(a, b, c, d)                                                     \
  ((NsIp4){((guint32)(a) << 24) | ((guint32)(b) << 16) | ((guint32)(c) << 8) | \
           (guint32)(d)})

gboolean ns_ip4_parse(const char *s, NsIp4 *out, GError **error);
char *ns_ip4_format(NsIp4 ip, char buf[NS_IP4_STRLEN]);
/* "192.168.1.10:49152": an address and a UDP/TCP port. */
#define NS_ENDPOINT_STRLEN (NS_IP4_STRLEN + 6)
char *ns_endpoint_format(NsIp4 ip, guint16 port, char buf[NS_ENDPOINT_STRLEN]);
static inline gboolean ns_ip4_equal(NsIp4 a, NsIp4 b) { return a.v == b.v; }
static inline gboolean ns_ip4_is_zero(NsIp4 a) { return a.v == 0; }
static inline gboolean ns_ip4_is_limited_broadcast(NsIp4 a) {
  return a.v == 0xFFFFFFFFu;
}
/* 127.0.0.0/8: the loopback net, meaningful only inside a node. */
static inline gboolean ns_ip4_is_loopback(NsIp4 a) {
  return (a.v >> 24) == 127;
}
static inline gboolean ns_ip4_is_multicast(NsIp4 a) {
  return (a.v & 0xF0000000u) == 0xE0000000u; /* 224.0.0.0/4 */
}
/* Network-order load/store for codecs. */
NsIp4 ns_ip4_load(const guint8 *p);
void ns_ip4_store(guint8 *p, NsIp4 ip);

/* ---- Prefix ------------------------------------------------------------- */

/* An address with a prefix length.  As an interface address it keeps its
 * host bits ("192.168.1.10/24"); as a route it is normally a network
 * ("192.168.1.0/24").  len is 0..32. */
typedef struct {
  NsIp4 addr;
  guint8 len;
} NsPrefix;

#define NS_PREFIX_STRLEN 19 /* "255.255.255.255/32" + NUL */

/* "a.b.c.d/len"; with allow_bare, "a.b.c.d" alone means /32. */
gboolean ns_prefix_parse(const char *s, gboolean allow_bare, NsPrefix *out,
                         GError **error);
char *ns_prefix_format(NsPrefix p, char buf[NS_PREFIX_STRLEN]);
/* The netmask of a length: 24 -> 255.255.255.0; 0 -> 0.0.0.0 (lengths
 * above 32 count as 32).  Inline: routing and broadcast checks run these
 * for every datagram. */
extern const guint32 ns_prefix_masks[33]; /* [len]: the mask, host order */
static inline NsIp4 ns_prefix_mask(guint len) {
  return (NsIp4){ns_prefix_masks[MIN(len, 32u)]};
}
/* addr & mask. */
static inline NsIp4 ns_prefix_network(NsPrefix p) {
  return (NsIp4){p.addr.v & ns_prefix_mask(p.len).v};
}
/* network | ~mask (the directed broadcast). */
static inline NsIp4 ns_prefix_broadcast(NsPrefix p) {
  return (NsIp4){p.addr.v | ~ns_prefix_mask(p.len).v};
}
static inline gboolean ns_prefix_contains(NsPrefix p, NsIp4 ip) {
  return ((ip.v ^ p.addr.v) & ns_prefix_mask(p.len).v) == 0;
}
/* The prefix with its host bits cleared. */
NsPrefix ns_prefix_canonical(NsPrefix p);

/* ---- Time --------------------------------------------------------------- */

/* Virtual time in nanoseconds since the start of the run. */
typedef guint64 NsTime;
#define NS_NSEC ((NsTime)1)
#define NS_USEC ((NsTime)1000)
#define NS_MSEC ((NsTime)1000000)
#define NS_SEC ((NsTime)1000000000)
#define NS_TIME_NEVER G_MAXUINT64

/* "10ms", "1.5s", "250us", "100ns", "2m"; a bare number is an error
 * unless default_unit is non-zero (then it is multiplied by it), except 0.
 * Values that do not fit in 64-bit nanoseconds are rejected. */
gboolean ns_time_parse(const char *s, NsTime default_unit, NsTime *out,
                       GError **error);
/* a + b, saturating at NS_TIME_NEVER ("never") instead of wrapping. */
static inline NsTime ns_time_add(NsTime a, NsTime b) {
  return a > NS_TIME_NEVER - b ? NS_TIME_NEVER : a + b;
}

#define NS_TIME_STRLEN 32
/* Short human form: "1.5s", "250us", "0". */
char *ns_time_format(NsTime t, char buf[NS_TIME_STRLEN]);

G_END_DECLS
