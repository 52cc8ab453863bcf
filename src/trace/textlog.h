/* textlog.h — the human-readable event log.
 *
 * One event a line:
 *     TIME  NODE  EVENT  #FRAME  SUMMARY
 *   1.002345  sw1       switch/flood       #3   to ports 2,3
 *             why: dst ff:ff:ff:ff:ff:ff is broadcast: flood to every port but
 * 1 TIME is virtual seconds with microsecond digits; FRAME is the journey id
 * ("-" for events not about one frame); with --explain the reason follows
 * on its own indented line starting with "why:".
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
