/* pcapng.h — a small writer of pcapng capture files (one section).
 *
 * No Debian library writes pcapng, so this follows the specification
 * (draft-ietf-opsawg-pcapng) directly, for the few blocks netsim needs:
 *  - one Section Header Block, written by ns_pcapng_new, in host byte
 *    order (its byte-order magic 0x1A2B3C4D tells readers which), section
 *    length -1 (not given);
 *  - one Interface Description Block per interface, numbered 0, 1, ... in
 *    the order they are added, with options if_name and if_tsresol = 9
 *    (timestamps in nanoseconds), ended by opt_endofopt;
 *  - Enhanced Packet Blocks naming their interface by that number.
 * Every block has its total length at both ends and is padded to 32 bits.
 * All interfaces must be added before the first packet (readers accept
 * IDBs later, but netsim knows its links up front; this keeps files
 * simple).
 *
 * The writer borrows its FILE; write errors are remembered and reported
 * once by ns_pcapng_finish, so a packet costs no error check at the
 * caller.
 */
#pragma once

#include <stdio.h>

#include "core/addr.h"

G_BEGIN_DECLS

#define NS_PCAPNG_SHB 0x0A0D0D0Au
#define NS_PCAPNG_IDB 0x00000001u
#define NS_PCAPNG_EPB 0x00000006u
#define NS_PCAPNG_MAGIC 0x1A2B3C4Du
#define NS_PCAPNG_OPT_END 0
#define NS_PCAPNG_OPT_SHB_USERAPPL 4
#define NS_PCAPNG_OPT_IF_NAME 2
#define NS_PCAPNG_OPT_IF_TSRESOL 9
#define NS_PCAPNG_LINKTYPE_ETHERNET 1

typedef struct NsPcapng NsPcapng;

/* A writer on fp (borrowed), the Section Header Block written. */
NsPcapng *ns_pcapng_new(FILE *fp);
/* Adds an interface (an IDB named name, Ethernet link type, snaplen
 * 65535); returns its interface id. */
guint32 ns_pcapng_add_interface(NsPcapng *w, const char *name);
/* Writes one frame seen at time ts (ns) on interface ifid. */
void ns_pcapng_write(NsPcapng *w, guint32 ifid, NsTime ts, const guint8 *data,
                     gsize len);
/* Flushes and frees w (not fp); FALSE with error if any write failed. */
gboolean ns_pcapng_finish(NsPcapng *w, GError **error);

G_END_DECLS
