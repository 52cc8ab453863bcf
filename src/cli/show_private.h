/* show_private.h — what the show_*.c files share. */
#pragma once

#include "cli/show.h"

G_BEGIN_DECLS

/* "sw1:port1" for the far end of nic's link, with " (down)" when the link
 * is down, or "-" when nic has no link; written into buf. */
const char *ns_show_peer(const NsNic *nic, char *buf, gsize size);

G_END_DECLS
