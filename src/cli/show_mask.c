/* show_mask.c — `show mask ADDR/LEN` (or `show mask ADDR MASK`): the mask
 * AND (按位与) that decides "my network or not", bit by bit.  One table
 * row per value, dotted and in 32 bits grouped by octet, so that the
 * columns of bits line up:
 *
 *   The mask AND of 192.168.1.77/26 (255.255.255.192):
 *     VALUE      DOTTED           BINARY                               HOW
 *     address    192.168.1.77     11000000.10101000.00000001.01001101
 *     mask       255.255.255.192  11111111.11111111.11111111.11000000  /26: 26
 * ones, then 6 zeros network    192.168.1.64
 * 11000000.10101000.00000001.01000000  address AND mask
 *     ...
 *
 * then notes with the host count and range.  It reads no network: any
 * address can be asked about (src and node are unused). */
#include "cli/show_private.h"
#include "core/i18n.h"

/* "11000000.10101000.00000001.01001101" (35 characters and a NUL). */
#define BITS_STRLEN 36

static const char *format_bits(NsIp4 ip, char buf[BITS_STRLEN]) {
  char *p = buf;
  for (int bit = 31; bit >= 0; bit--) {
    *p++ = (ip.v >> bit) & 1u ? '1' : '0';
    if (bit % 8 == 0 && bit > 0)
      *p++ = '.';
  }
  *p = '\0';
  return buf;
}

static const NsColumn mask_columns[] = {
    {N_("VALUE"), NS_ALIGN_LEFT},
    {N_("DOTTED"), NS_ALIGN_LEFT},
    {N_("BINARY"), NS_ALIGN_LEFT},
    {N_("HOW"), NS_ALIGN_LEFT},
};

/* name and how are N_() msgids (how may be "" or already translated). */
static void add_row(NsTable *t, const char *name, NsIp4 v, const char *how) {
  char d[NS_IP4_STRLEN], b[BITS_STRLEN];
  ns_table_cell(t, "%s", _(name));
  ns_table_cell(t, "%s", ns_ip4_format(v, d));
  ns_table_cell(t, "%s", format_bits(v, b));
  ns_table_cell(t, "%s", how[0] != '\0' ? _(how) : how);
}

/* Addresses in the network, and how many of them name a host: all but
 * the network and broadcast addresses, except a /31 (RFC 3021: both ends
 * of a point-to-point link) and a /32 (one host). */
static void add_counts(NsReport *r, NsPrefix p) {
  guint64 size = G_GUINT64_CONSTANT(1) << (32 - p.len);
  NsIp4 net = ns_prefix_network(p), bcast = ns_prefix_broadcast(p);
  char n[NS_PREFIX_STRLEN], lo[NS_IP4_STRLEN], hi[NS_IP4_STRLEN];
  ns_prefix_format((NsPrefix){net, p.len}, n);
  if (p.len >= 31) {
    ns_report_add_note(r,
                       ngettext("%llu address in %s, all hosts (no network "
                                "or broadcast address to set apart)",
                                "%llu addresses in %s, all hosts (no network "
                                "or broadcast address to set apart)",
                                (unsigned long)size),
                       (unsigned long long)size, n);
    return;
  }
  ns_report_add_note(r, _("%llu addresses in %s: %llu hosts, %s to %s"),
                     (unsigned long long)size, n,
                     (unsigned long long)(size - 2),
                     ns_ip4_format((NsIp4){net.v + 1}, lo),
                     ns_ip4_format((NsIp4){bcast.v - 1}, hi));
  ns_report_add_note(r,
                     _("(the first is the network, the last the broadcast)"));
}

NsReport *ns_show_mask(const NsShowSource *src, NsNetNode *unused) {
  g_return_val_if_fail(src != NULL, NULL);
  (void)unused;
  NsPrefix p = src->mask;
  NsIp4 mask = ns_prefix_mask(p.len);
  char a[NS_PREFIX_STRLEN], m[NS_IP4_STRLEN], how[128];
  NsReport *r = ns_report_new();
  NsReport *s =
      ns_report_add_section(r, _("The mask AND of %s (%s):"),
                            ns_prefix_format(p, a), ns_ip4_format(mask, m));
  NsTable *t = ns_table_new(mask_columns, G_N_ELEMENTS(mask_columns));
  const char *ones = p.len == 1    ? _("/%u: %u one, then %u zeros")
                     : p.len == 31 ? _("/%u: %u ones, then %u zero")
                                   : _("/%u: %u ones, then %u zeros");
  g_snprintf(how, sizeof how, ones, p.len, p.len, 32 - p.len);
  add_row(t, N_("address"), p.addr, "");
  add_row(t, N_("mask"), mask, how);
  add_row(t, N_("network"), ns_prefix_network(p), N_("address AND mask"));
  add_row(t, N_("host part"), (NsIp4){p.addr.v & ~mask.v},
          N_("address AND NOT mask"));
  add_row(t, N_("broadcast"), ns_prefix_broadcast(p),
          N_("network OR NOT mask"));
  ns_report_add_table(s, t);
  add_counts(s, p);
  ns_report_add_note(s, _("Another address is on this network when its AND "
                          "with the mask gives"));
  ns_report_add_note(s, _("the same network: reached directly, else through "
                          "the gateway."));
  return r;
}
