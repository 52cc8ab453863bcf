/* capture.h — --pcap and --pcapng: the frames every link carries, in files
 * Wireshark opens.
 *
 * A capture hangs one tap on each link of a net (net/link.h) and writes
 * every frame the link accepts, stamped with its virtual send time in
 * nanoseconds, to:
 *  - a pcap directory: one classic pcap file per link, written with
 *    libpcap (DLT_EN10MB, nanosecond precision), named after the link's two
 *    ends as the net labels them, "h1:eth0" and "sw1:port1" giving
 *    "h1-eth0--sw1-port1.pcap" (':' becomes '-', the ends are joined by
 *    "--", any byte other than a letter, digit, '.', '_' or '-' becomes
 *    '_'); the directory is created if missing;
 *  - a pcapng file: one interface per link, numbered in the net's link
 *    order and named "h1:eth0--sw1:port1" (trace/pcapng.h).
 * Either or both.  Frames dropped at send (loss, full queue, link down)
 * are not captured: they never crossed the cable.
 *
 * Everything is opened up front, so a directory or file that cannot be
 * written is an error before the run; ns_capture_close removes the taps,
 * flushes and closes (call it before freeing the net).
 */
#pragma once

#include "sim/network.h"

G_BEGIN_DECLS

typedef struct NsCapture NsCapture;

/* Starts capturing net's links to pcap_dir and/or pcapng_path (either may
 * be NULL).  NULL with error if a file cannot be created. */
NsCapture *ns_capture_open(NsNet *net, const char *pcap_dir,
                           const char *pcapng_path, GError **error);
/* Stops, flushes and frees (NULL is fine); FALSE with error if a write
 * failed on the way. */
gboolean ns_capture_close(NsCapture *cap, GError **error);
/* The file name --pcap uses for a link between ends a and b ("h1:eth0"). */
char *ns_capture_pcap_name(const char *a, const char *b);

G_END_DECLS
