/* tcp_sack_check.h — SACK's invariants, watched at the end nodes.
 *
 * Beside tcp_window_check.h (which taps links); this one hooks the IP
 * stacks of the nodes it watches, because what a sender may do depends on
 * what has reached it, not on what is on the wire: a link tap sees a SACK
 * block when it is sent, before the sender can know it.
 *
 *  - LOCAL_IN (last of the hooks, so a test's own drop hook goes first):
 *    a segment arriving at its destination.  Its SACK blocks are recorded
 *    for that direction of the connection (the peer's data): from now on
 *    the node knows those bytes arrived.  Its ACK forgets what lies below.
 *  - LOCAL_OUT: a segment the node sends.  Flags:
 *      resent-sacked: data overlapping a range the receiver had SACKed
 *        and the sender had received (RFC 6675: a SACKed byte is never
 *        retransmitted; our sender keeps the scoreboard over a timeout
 *        and our receiver never reneges, so this holds throughout);
 *      bad-block: a SACK block not above the segment's ACK, empty, or
 *        beyond the highest byte the other side ever sent.
 *
 * Limits: a segment the sender drops unprocessed (out of its receive
 * window) still counts as having taught it its blocks; the receiver
 * repeats its blocks in every ACK, so no test here has met the case.  The
 * directions are keyed by addresses and ports: watch only the end nodes
 * of one network at a time.
 *
 * Ownership: the checker must outlive the nodes it watches' traffic (free
 * it after the network).  Violations are kept as text.
 */
#pragma once

#include "net/ipnode.h"
#include "tcp_window_check.h" /* TcpCheckLog */

typedef struct TcpSackCheck TcpSackCheck;

TcpSackCheck *tcp_sack_check_new(void);
void tcp_sack_check_free(TcpSackCheck *chk);
/* Hooks node (borrowing the checker). */
void tcp_sack_check_watch(TcpSackCheck *chk, NsIpNode *node);
guint tcp_sack_check_violations(const TcpSackCheck *chk);
const char *tcp_sack_check_report(const TcpSackCheck *chk);
/* SACK blocks seen arriving (a test asserts SACK was used). */
guint64 tcp_sack_check_blocks(const TcpSackCheck *chk);
/* Data bytes sent again (below the highest byte sent before). */
guint64 tcp_sack_check_resent(const TcpSackCheck *chk);
