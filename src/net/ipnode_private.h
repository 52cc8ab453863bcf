/* ipnode_private.h — pieces of the IP stack shared between its files. */
#pragma once

#include "net/ipnode.h"

G_BEGIN_DECLS

/* Writes the teaching explanation of how node reaches dst with route (NULL
 * when no route matched) into buf: for a host, the subnet-mask AND; for a
 * router, the longest-prefix match and the prefixes it beat. */
void ns_ipnode_explain_route(NsIpNode *node, NsIp4 dst, const NsRoute *route,
                             char *buf, gsize size);

G_END_DECLS
