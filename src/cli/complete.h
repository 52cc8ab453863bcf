/* complete.h — what Tab offers at the console.
 *
 * A pure function of the line typed so far, the cursor and the network:
 * no terminal, no line-editing library (the console's lineedit.c hands
 * its answer to libedit).  The words come from where the language keeps
 * them, never from a second list: the first words of the three tables of
 * rows (scenario_private.h: commands, `show`, `expect`), the lower-case
 * keywords of a row's help synopsis ("[count N]" gives `count`, "up |
 * down" gives both), the topology's node names and each node's interface
 * names ("h1:eth0", from the links' ends).
 *
 * What is offered depends on the words before the cursor:
 *   (nothing)        commands without a node (show, wait, ...) and nodes
 *   NODE             the commands that accept NODE's kind (ping, ...)
 *   NODE udp         the second words of that family (send, listen)
 *   show             what `show` takes; then a node of the row's kinds
 *   expect           nodes, `link`, `log`; after a node its expectations
 *   help             every command's first word
 *   any later word   the row's keywords, node names, NODE:IFACE (when the
 *                    word has a ':'), and the interfaces of the line's node
 * Every candidate starts with the word under the cursor.
 */
#pragma once

#include "sim/network.h"

G_BEGIN_DECLS

/* The candidates for the word of line that ends at byte cursor (bytes
 * after the cursor are ignored): sorted, each once, NULL-terminated
 * (g_strfreev; empty when none).  *start receives the byte offset where
 * that word begins (what a candidate replaces). */
char **ns_complete(NsNet *net, const char *line, gsize cursor, gsize *start);

G_END_DECLS
