/* pretty.h — one tcpdump-like line per frame, for logs and the console.
 *
 * The line describes the frame from the EtherType up; the Ethernet MAC
 * addresses are left out (callers print them when they matter, e.g. for a
 * switch).  Examples:
 *
 *   ARP who-has 192.168.1.1 tell 192.168.1.10
 *   ARP reply 192.168.1.1 is-at 02:00:00:00:00:03
 *   IPv4 192.168.1.10 > 192.168.2.10 ttl 64: ICMP echo request id 1 seq 1
 *   IPv4 192.168.2.1 > 192.168.1.10 ttl 64: ICMP time exceeded (TTL) for
 *       192.168.1.10 > 192.168.3.10                      (one line really)
 *   IPv4 192.168.1.10 > 192.168.2.10 ttl 64: UDP 1234 > 53 len 12
 *   IPv4 192.168.1.10 > 192.168.2.10 ttl 64: TCP 49152 > 7 [S] seq 123456
 *       win 65535 mss 1460 len 0                         (one line really)
 *   IPv4 192.168.2.10 > 192.168.1.10 ttl 64: TCP 7 > 49152 [P.] seq 1
 *       ack 513 win 65535 len 512, bad checksum          (one line really)
 *   IPv4 192.168.1.10 > 192.168.2.10 ttl 64: proto 47 len 40
 *   malformed IPv4: bad header checksum
 *   ethertype 0x86dd, 60 bytes
 *   runt frame (10 bytes)
 *
 * Lengths are those of the layer named just before them: "UDP ... len" is
 * the UDP payload, "proto N len" the IP payload, "TCP ... len" the segment
 * data.  TCP shows "ack" only with the ACK flag, "mss" only with the
 * option, and ", bad checksum" when the pseudo-header sum fails (not
 * checked on a first fragment, which holds only part of the segment).
 * UDP checksums are not verified here.  Any bytes at all are safe to
 * describe.
 *
 * The brief form is the event log's (ip/send, icmp/receive, ...), short
 * enough for a line under 100 columns: no "IPv4 " word, no ICMP echo id,
 * an ICMP error by its kind alone (not the header it quotes), and a TCP
 * segment described by its own header alone, without the window or the
 * options (the IP addresses are in the connection's tcp/state lines and
 * at each router's route/forward):
 *
 *   192.168.1.10 > 192.168.2.10 ttl 64: ICMP echo request seq 1
 *   192.168.2.1 > 192.168.1.10 ttl 64: ICMP host unreachable
 *   192.168.2.1 > 192.168.1.10 ttl 64: ICMP time exceeded
 *   TCP 7 > 49152 [S.] seq 4000000000 ack 123457 len 0
 *
 * What it leaves out is in the full form, `show frame`, --layers and the
 * pcap.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Room for the longest line ns_frame_describe() can produce, NUL included. */
#define NS_FRAME_DESCRIBE_LEN 160

/* Writes the description of the len-byte frame at buf into out (outlen
 * bytes, truncating if needed; always NUL-terminated when outlen > 0) and
 * returns its strlen. */
gsize ns_frame_describe(const guint8 *buf, gsize len, char *out, gsize outlen);
/* The same in the brief form. */
gsize ns_frame_brief(const guint8 *buf, gsize len, char *out, gsize outlen);

G_END_DECLS
