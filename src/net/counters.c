/* counters.c — the registries of the net layer's counter structs, made
 * from the lists next to the structs (see core/counters.h).  Each
 * definition fails to compile if its struct has a member its list does not
 * name. */
#include "net/ipnode.h"
#include "net/link.h"
#include "net/switch.h"
#include "net/tcp.h"
#include "net/udp.h"

#define IP_FIELD(f, about) NS_COUNTER_FIELD(NsIpCounters, f, about),
NS_COUNTER_REGISTRY_DEFINE(ns_ip_counter, NsIpCounters, NS_IP_COUNTERS,
                           IP_FIELD);

#define NIC_FIELD(f, about) NS_COUNTER_FIELD(NsNicCounters, f, about),
NS_COUNTER_REGISTRY_DEFINE(ns_nic_counter, NsNicCounters, NS_NIC_COUNTERS,
                           NIC_FIELD);

#define PORT_FIELD(f, about) NS_COUNTER_FIELD(NsSwitchPortCounters, f, about),
NS_COUNTER_REGISTRY_DEFINE(ns_port_counter, NsSwitchPortCounters,
                           NS_PORT_COUNTERS, PORT_FIELD);

#define UDP_FIELD(f, about) NS_COUNTER_FIELD(NsUdpCounters, f, about),
NS_COUNTER_REGISTRY_DEFINE(ns_udp_counter, NsUdpCounters, NS_UDP_COUNTERS,
                           UDP_FIELD);

#define TCP_FIELD(f, about) NS_COUNTER_FIELD(NsTcpCounters, f, about),
NS_COUNTER_REGISTRY_DEFINE(ns_tcp_counter, NsTcpCounters, NS_TCP_COUNTERS,
                           TCP_FIELD);
