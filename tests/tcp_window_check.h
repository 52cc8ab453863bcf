/* tcp_window_check.h — the TCP window invariant, watched on link taps.
 *
 * A checker taps links and reads every TCP segment that crosses them.  Per
 * link and per direction of a connection (addresses and ports) it keeps
 * the right edge of the receive window the receiver last announced there
 * (ack + window of its latest segment with ACK) and flags:
 *
 *  - overrun: a segment whose data ends beyond the right edge its sender
 *    last got from the other side (a one-byte zero-window probe at the
 *    edge excepted);
 *  - shrink: a receiver announcing a right edge to the left of one it had
 *    announced before (RFC 9293 3.8.6: a receiver should not shrink its
 *    window).
 *
 * Window scaling (RFC 7323) is learned from the SYNs as they cross the
 * link: each side's shift is applied to its windows (never a SYN's) once
 * both SYNs offered it.  The SYNs of a connection the checker did not see
 * open leave its windows unscaled, so tap links before connecting.
 *
 * Why per link: frames on one link are in order, so each side's edges seen
 * there only grow, and a sender never knows a newer edge than the newest
 * that reached its own link: judging a segment against the edge on the
 * link it crosses is never stricter than what the sender knew.  Crafted
 * segments injected straight into a NIC do not cross a link and are not
 * judged.
 *
 * Ownership: the checker must outlive the links it taps (or be detached by
 * freeing the links first).  Violations are kept as text for the test's
 * failure message.
 */
#pragma once

#include "net/link.h"

/* What a checker found (this one and tcp_sack_check.h's): a count and
 * the first five, one line each with its time, for a failure message. */
typedef struct {
  GString *text;
  guint n;
} TcpCheckLog;

void tcp_check_log_init(TcpCheckLog *log);
void tcp_check_log_clear(TcpCheckLog *log);
void tcp_check_log_add(TcpCheckLog *log, NsTime now, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

typedef struct TcpWindowCheck TcpWindowCheck;

TcpWindowCheck *tcp_window_check_new(void);
void tcp_window_check_free(TcpWindowCheck *chk);
/* Taps link (the checker is borrowed by the tap). */
void tcp_window_check_tap(TcpWindowCheck *chk, NsLink *link);
/* Violations so far; their descriptions, one per line (borrowed). */
guint tcp_window_check_violations(const TcpWindowCheck *chk);
const char *tcp_window_check_report(const TcpWindowCheck *chk);
/* Data segments judged so far (a test asserts the checker saw traffic). */
guint64 tcp_window_check_segments(const TcpWindowCheck *chk);
