/* textlog.h — the human-readable event log.
 *
 * One event a line:
 *       TIME  NODE     EVENT              #FRAME SUMMARY
 *   1.002345  sw1      switch/flood       #3    02:..:01 > ff:..:ff to ports
 * 2,3 why: dst ff:ff:ff:ff:ff:ff is broadcast: flood to every ...
 *
 * TIME is virtual seconds with microsecond digits; FRAME is the journey id
 * ("-" for events not about one frame); with --explain the reason follows
 * on its own indented line starting with "why:".  An event that carries a
 * frame's bytes (link/frame, --layers) is followed by the frame decoded
 * layer by layer and its hex dump (wire/layers.h), indented like "why:":
 *
 *   0.000000  h1       link/frame         #2    h1:eth0 -> sw1:port2, ...
 *                Ethernet II, 60 bytes
 *                  Destination: ff:ff:ff:ff:ff:ff (broadcast)
 *                ...
 *                0000  ff ff ff ff ff ff 02 00  00 00 00 03 08 06 00 01  ...
 */
#pragma once

#include <stdio.h>

#include "core/log.h"

G_BEGIN_DECLS

/* Appends ev's line(s), newline-terminated, to out. */
void ns_textlog_format(const NsLogEvent *ev, GString *out);
/* A sink writing to a FILE (borrowed; flushed per event when line_buffered). */
void ns_textlog_attach(NsLog *log, FILE *fp, gboolean line_buffered);

G_END_DECLS
