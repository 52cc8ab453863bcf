/* igmp.c — IGMP codec. */
#include "wire/igmp.h"

_Static_assert(NS_IGMP_OFF_GROUP + 4 == NS_IGMP_LEN,
               "an IGMPv2 message is type, max resp, checksum and a group");

gboolean ns_igmp_parse_header(const guint8 *buf, gsize len, NsIgmp *out,
                              const char **err) {
  if (buf == NULL || len < NS_IGMP_LEN)
    return ns_wire_reject(err, "truncated message");
  out->type = buf[NS_IGMP_OFF_TYPE];
  out->max_resp = buf[NS_IGMP_OFF_MAX_RESP];
  out->csum = ns_load16(buf + NS_IGMP_OFF_CSUM);
  out->group = ns_ip4_load(buf + NS_IGMP_OFF_GROUP);
  out->len = len;
  return TRUE;
}

gboolean ns_igmp_parse(const guint8 *buf, gsize len, NsIgmp *out,
                       const char **err) {
  NsIgmp m;
  if (!ns_igmp_parse_header(buf, len, &m, err))
    return FALSE;
  if (ns_csum(buf, len) != 0)
    return ns_wire_reject(err, "bad checksum");
  *out = m;
  return TRUE;
}

gsize ns_igmp_emit(guint8 *buf, const NsIgmp *m) {
  buf[NS_IGMP_OFF_TYPE] = m->type;
  buf[NS_IGMP_OFF_MAX_RESP] = m->max_resp;
  ns_store16(buf + NS_IGMP_OFF_CSUM, 0);
  ns_ip4_store(buf + NS_IGMP_OFF_GROUP, m->group);
  ns_store16(buf + NS_IGMP_OFF_CSUM, ns_csum(buf, NS_IGMP_LEN));
  return NS_IGMP_LEN;
}

NsTime ns_igmp_max_resp(const NsIgmp *m) {
  guint tenths = m->max_resp;
  if (tenths == 0)
    tenths = 100; /* a v1 query */
  else if (tenths >= 128 && m->len > NS_IGMP_LEN) {
    guint exp = (tenths >> 4) & 0x7, mant = tenths & 0xF;
    tenths = (mant | 0x10) << (exp + 3);
  }
  return (NsTime)tenths * 100 * NS_MSEC;
}

const char *ns_igmp_type_name(guint8 type) {
  static const struct {
    guint8 type;
    const char *name;
  } names[] = {
      {NS_IGMP_QUERY, "membership query"},
      {NS_IGMP_V1_REPORT, "v1 membership report"},
      {NS_IGMP_V2_REPORT, "v2 membership report"},
      {NS_IGMP_LEAVE, "leave group"},
      {NS_IGMP_V3_REPORT, "v3 membership report"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    if (names[i].type == type)
      return names[i].name;
  return NULL;
}
