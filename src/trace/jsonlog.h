/* jsonlog.h — the event log as JSON lines.
 *
 * One object a line, keys in this order (the schema documented in README):
 *   {"t": 1002345000, "time": "1.002345", "node": "sw1",
 *    "event": "switch/flood", "frame": 3, "summary": "to ports 2,3",
 *    "why": "dst ... unknown: flood ..."}
 * t is virtual nanoseconds (integer); frame is null when the event is not
 * about one frame; why is present only with --explain.  An event carrying a
 * frame's bytes (link/frame, --layers) adds them decoded and raw:
 *   "layers": [{"layer": "Ethernet II, 60 bytes",
 *               "fields": [{"name": "Destination",
 *                           "value": "ff:ff:ff:ff:ff:ff (broadcast)"}, ...]},
 *              {"layer": "ARP request", "fields": [...]}, ...],
 *   "hex": "ffffffffffff0200..."
 * The layers are those of wire/layers.h, read from its text: a heading
 * line is a layer, an indented "Name: value" line a field of the layer
 * above (a deeper indent, such as a TCP option, is a field too).
 */
#pragma once

#include <stdio.h>

#include "core/log.h"

G_BEGIN_DECLS

void ns_jsonlog_format(const NsLogEvent *ev, GString *out);
/* Appends the JSON array of layers read from text, the output of
 * ns_layers_describe() (any text is safe: the result is valid JSON). */
void ns_jsonlog_append_layers(GString *out, const char *text);
void ns_jsonlog_attach(NsLog *log, FILE *fp, gboolean line_buffered);

G_END_DECLS
