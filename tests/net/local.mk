# tests/net/: suites of src/net/ (see tests/suites.h in Makefile.am).
tests_unit_SOURCES += \
	tests/net/link_harness.c \
	tests/net/link_harness.h \
	tests/net/test_link.c \
	tests/net/test_link_netem.c \
	tests/net/test_fdb.c \
	tests/net/test_switch.c \
	tests/net/test_arp_cache.c \
	tests/net/test_route.c \
	tests/net/ipnode_harness.c \
	tests/net/ipnode_harness.h \
	tests/net/test_ipnode_arp.c \
	tests/net/test_ipnode_route.c \
	tests/net/test_ipnode_forward.c \
	tests/net/test_ipnode_robust.c \
	tests/net/test_ipnode_hook.c \
	tests/net/test_ipnode_maker.c \
	tests/net/test_ipnode_addr.c \
	tests/net/test_tcp_ackwar.c \
	tests/net/test_tcp_conn.c \
	tests/net/test_tcp_options.c \
	tests/net/test_tcp_sack.c \
	tests/net/test_udp.c \
	tests/net/test_igmp.c \
	tests/net/tcp_bench.c \
	tests/net/tcp_bench.h \
	tests/net/test_tcp_segments.c \
	tests/net/test_tcp_segments_data.c \
	tests/net/test_tcp_segments_errors.c \
	tests/net/test_counter_registry.c
