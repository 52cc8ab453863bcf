/* vxlan.c — VXLAN header codec (RFC 7348). */
#include "wire/vxlan.h"

#include "wire/checksum.h"
#include "wire/ethernet.h"

#define OFF_FLAGS 0
#define OFF_VNI 4 /* the VNI is the top 24 bits of the second word */
_Static_assert(OFF_VNI + 4 == NS_VXLAN_HLEN,
               "the VXLAN header is two 32-bit words");

gboolean ns_vxlan_parse(const guint8 *buf, gsize len, NsVxlanHdr *out,
                        const char **err) {
  if (buf == NULL || len < NS_VXLAN_HLEN)
    return ns_wire_reject(err, "truncated header");
  if (!(buf[OFF_FLAGS] & NS_VXLAN_FLAG_I))
    return ns_wire_reject(err, "I flag not set");
  out->flags = buf[OFF_FLAGS];
  out->vni = ns_load32(buf + OFF_VNI) >> 8;
  return TRUE;
}

void ns_vxlan_emit(guint8 *buf, guint32 vni) {
  g_return_if_fail(vni <= NS_VXLAN_VNI_MAX);
  ns_store32(buf + OFF_FLAGS, (guint32)NS_VXLAN_FLAG_I << 24);
  ns_store32(buf + OFF_VNI, vni << 8);
}

gboolean ns_vxlan_decap(const guint8 *buf, gsize len, guint32 vni,
                        gsize max_frame, const guint8 **frame, gsize *frame_len,
                        const char **err) {
  NsVxlanHdr h;
  if (!ns_vxlan_parse(buf, len, &h, err))
    return FALSE;
  if (h.vni != vni)
    return ns_wire_reject(err, "wrong VNI");
  gsize inner = len - NS_VXLAN_HLEN;
  if (inner < NS_ETH_HLEN)
    return ns_wire_reject(err, "inner frame too short");
  if (inner > max_frame)
    return ns_wire_reject(err, "inner frame too long");
  *frame = buf + NS_VXLAN_HLEN;
  *frame_len = inner;
  return TRUE;
}
