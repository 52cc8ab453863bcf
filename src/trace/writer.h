/* writer.h — a log sink that formats each event and writes it to a FILE.
 *
 * The text and JSON lines logs differ only in how an event becomes bytes;
 * this is the shared part: one reusable buffer (no allocation per event),
 * optional flush per event (for a console or a pipe someone watches), and
 * a final flush when the log is freed.
 */
#pragma once

#include <stdio.h>

#include "core/log.h"

G_BEGIN_DECLS

/* Appends the formatted event (newline-terminated) to out. */
typedef void (*NsEventFormatFunc)(const NsLogEvent *ev, GString *out);

/* Adds a sink writing format(ev) to fp (borrowed: the caller closes it
 * after freeing the log). */
void ns_log_attach_writer(NsLog *log, FILE *fp, gboolean line_buffered,
                          NsEventFormatFunc format);

G_END_DECLS
