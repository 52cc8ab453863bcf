/* jsonlog.h — the event log as JSON lines.
 *
 * One object a line, keys in this order (the schema documented in README):
 *   {"t": 1002345000, "time": "1.002345", "node": "sw1",
 *    "event": "switch/flood", "frame": 3, "summary": "to ports 2,3",
 *    "why": "dst ... unknown: flood ..."}
 * t is virtual nanoseconds (integer); frame is null when the event is not
 * about one frame; why is present only with --explain.
 */
#pragma once

#include <stdio.h>

#include "core/log.h"

G_BEGIN_DECLS

void ns_jsonlog_format(const NsLogEvent *ev, GString *out);
void ns_jsonlog_attach(NsLog *log, FILE *fp, gboolean line_buffered);

G_END_DECLS
