/* frame.h — refcounted Ethernet frame buffers.
 *
 * A frame is one allocation: this header followed by its bytes.  It is
 * shared, never copied, on its way through the network: a link queue, a
 * switch forwarding it unchanged and a flood to N ports all hold references
 * to the same buffer.  Whoever wants to change bytes (a router rewriting
 * MACs and TTL) calls ns_frame_make_writable(), which copies only when
 * somebody else still holds a reference.
 *
 * Ownership: every function says whether it takes a reference ("takes") or
 * only looks ("borrows").  ns_frame_new() returns a reference the caller
 * owns.  The counters below let test teardowns assert that no frame leaked.
 *
 * Frames are single-threaded: the whole simulation runs on one thread, so
 * the reference count is a plain integer.
 *
 * Checksums netsim computed (csum_ok).  Verifying the TCP checksum of a
 * full-size segment costs as much as computing it, and in a simulation
 * every frame the IP stack built carries checksums that are right by
 * construction.  So a frame carries one fact with it: csum_ok is TRUE when
 * its IPv4 header checksum and the checksum of the datagram it carries
 * (TCP, UDP or ICMP) are exactly as netsim's stack computed them, and no
 * byte they cover has changed since except by an update that keeps them
 * right (a router's TTL decrement, RFC 1624).  A receiver may then skip
 * summing them again; a frame without the mark is verified in full, as
 * always.  The invariant, and who keeps it:
 *  - ns_frame_new() starts FALSE: bytes from anywhere else (a bridge, a
 *    vxlan segment, a test's or the fuzzer's raw frame) prove nothing.
 *  - Only the IP stack sets it, when it builds a datagram whose transport
 *    checksum the sender computed (NsIpSendOptions.csum_ok: TCP, UDP,
 *    ICMP answers and errors, ping).
 *  - ns_frame_make_writable() copies it with the bytes.
 *  - Whoever changes covered bytes without fixing the checksums clears it:
 *    link corruption (net/link.c), and the IP stack before any hook runs
 *    (ipnode_hook.h: a hook may rewrite what it likes).
 * The mark never changes what happens in the simulation, only whether a
 * right checksum is summed again: a frame with a wrong checksum never
 * carries it, so it is still verified, dropped and counted.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest frame: Ethernet II without FCS, with room for one 802.1Q
 * tag (1500-byte MTU + 14-byte header + 4-byte tag).  Untagged frames stop
 * at 1514 (wire/ethernet.h); the IP layer never builds more than that. */
#define NS_FRAME_MAX 1518

typedef struct {
  guint refs;  /* references held; the frame is freed when it drops to 0 */
  guint64 id;  /* journey id shown in logs; copies keep it */
  guint16 len; /* bytes in data */
  guint16 cap; /* bytes allocated for data */
  /* Checksums as netsim computed them (see above). */
  gboolean csum_ok;
  guint8 data[];
} NsFrame;

/* A new zero-filled frame of len bytes (len <= NS_FRAME_MAX). */
NsFrame *ns_frame_new(gsize len, guint64 id);
/* A new frame of len bytes whose contents are undefined: for a caller that
 * writes every one of them before anyone reads the frame (the IP stack
 * building a datagram), which saves the zero-fill.  Builds with
 * AddressSanitizer fill the bytes with 0xbe instead, so that a byte left
 * unwritten shows in their output as a difference from the plain build. */
NsFrame *ns_frame_new_unfilled(gsize len, guint64 id);
/* A new frame holding a copy of bytes. */
NsFrame *ns_frame_new_from(const guint8 *bytes, gsize len, guint64 id);
NsFrame *ns_frame_ref(NsFrame *f);
void ns_frame_unref(NsFrame *f);
/* Takes f; returns a frame the caller may modify: f itself when it held
 * the only reference, otherwise a private copy (and f's reference is
 * dropped). */
NsFrame *ns_frame_make_writable(NsFrame *f);
/* Changes the length within the capacity (new bytes are zero). */
void ns_frame_set_len(NsFrame *f, gsize len);

/* Frames allocated and not yet freed, in this process. For leak checks. */
gint64 ns_frame_live_count(void);
/* Copies made by ns_frame_make_writable, in this process. */
guint64 ns_frame_copy_count(void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(NsFrame, ns_frame_unref)

G_END_DECLS
