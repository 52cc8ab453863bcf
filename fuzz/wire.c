/* wire.c — fuzz target: every wire decoder and both printers.  The bytes
 * are a frame: the one-line describer, the layer-by-layer describer and
 * its JSON form all take it; then each header parser takes the bytes as
 * its own header (the first byte picks the offset, so a parser also sees
 * inputs that do not start a frame), and whatever parses emits again and
 * must parse to the same header. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "trace/jsonlog.h"
#include "wire/arp.h"
#include "wire/ethernet.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"
#include "wire/layers.h"
#include "wire/pretty.h"
#include "wire/tcp.h"
#include "wire/udp.h"

static void printers(const guint8 *p, gsize n) {
  char line[NS_FRAME_DESCRIBE_LEN];
  gsize len = ns_frame_describe(p, n, line, sizeof line);
  if (len != strlen(line) || !g_utf8_validate(line, -1, NULL))
    abort();
  GString *text = g_string_new(NULL);
  ns_layers_describe(p, n, text);
  if (!g_utf8_validate(text->str, (gssize)text->len, NULL))
    abort();
  GString *json = g_string_new(NULL);
  ns_jsonlog_append_layers(json, text->str);
  g_string_free(json, TRUE);
  g_string_free(text, TRUE);
}

/* A TCP header that parsed is emitted again: the options it understood
 * come back in the same values. */
static void tcp_round_trip(const NsTcpHdr *h) {
  guint8 buf[NS_TCP_MAX_HLEN];
  NsTcpHdr again = *h, back;
  again.nsack = MIN(again.nsack, ns_tcp_sack_room(&again));
  ns_tcp_emit(buf, &again, 0, (NsIp4){0}, (NsIp4){0});
  if (!ns_tcp_parse(buf, again.hlen, &back, NULL) || back.mss != h->mss ||
      back.has_ts != h->has_ts || back.tsval != h->tsval ||
      back.sack_ok != h->sack_ok || back.has_ws != h->has_ws ||
      back.ws != h->ws || back.nsack != again.nsack)
    abort();
}

static void parsers(const guint8 *p, gsize n) {
  NsEthHdr eth;
  NsArp arp;
  NsIpv4Hdr ip;
  NsIcmp icmp;
  NsUdpHdr udp;
  NsTcpHdr tcp;
  (void)ns_eth_parse(p, n, &eth, NULL);
  (void)ns_arp_parse(p, n, &arp, NULL);
  (void)ns_ipv4_parse(p, n, &ip, NULL);
  (void)ns_ipv4_parse_header(p, n, &ip, NULL);
  (void)ns_icmp_parse(p, n, &icmp, NULL);
  (void)ns_icmp_parse_header(p, n, &icmp, NULL);
  (void)ns_udp_parse(p, n, &udp, NULL);
  if (ns_tcp_parse(p, n, &tcp, NULL))
    tcp_round_trip(&tcp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* Exact-size copies, so that ASan sees a read one byte past the end. */
  guint8 *frame = g_malloc(size > 0 ? size : 1);
  if (size > 0)
    memcpy(frame, data, size);
  printers(frame, size);
  gsize skip = size > 0 ? MIN((gsize)data[0] % 64, size) : 0;
  parsers(frame + skip, size - skip);
  g_free(frame);
  return 0;
}
