# net/ — built as its own library; see Makefile.am for the layer order.
noinst_LIBRARIES += src/net/libnet.a
src_net_libnet_a_SOURCES = \
	src/net/arp_cache.c \
	src/net/arp_cache.h \
	src/net/counters.c \
	src/net/ctx.h \
	src/net/fdb.c \
	src/net/fdb.h \
	src/net/igmp.h \
	src/net/ipnode.c \
	src/net/ipnode.h \
	src/net/ipnode_arp.c \
	src/net/ipnode_explain.c \
	src/net/ipnode_hook.c \
	src/net/ipnode_hook.h \
	src/net/ipnode_icmp.c \
	src/net/ipnode_igmp.c \
	src/net/ipnode_input.c \
	src/net/ipnode_output.c \
	src/net/ipnode_private.h \
	src/net/ipnode_querier.c \
	src/net/link.c \
	src/net/link.h \
	src/net/link_params.c \
	src/net/link_params.h \
	src/net/route.c \
	src/net/route.h \
	src/net/snoop.c \
	src/net/snoop.h \
	src/net/switch.c \
	src/net/switch.h \
	src/net/switch_private.h \
	src/net/switch_snoop.c \
	src/net/tcp.c \
	src/net/tcp.h \
	src/net/tcp_cc.c \
	src/net/tcp_input.c \
	src/net/tcp_opts.c \
	src/net/tcp_output.c \
	src/net/tcp_private.h \
	src/net/tcp_reass.c \
	src/net/tcp_sack.c \
	src/net/tcp_timer.c \
	src/net/tcp_tune.c \
	src/net/udp.c \
	src/net/udp.h
