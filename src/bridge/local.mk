# bridge/ — built as its own library; see Makefile.am for the layer order.
# The only layer that opens real sockets.
noinst_LIBRARIES += src/bridge/libbridge.a
src_bridge_libbridge_a_SOURCES = \
	src/bridge/bridge.c \
	src/bridge/bridge.h \
	src/bridge/bridge_private.h \
	src/bridge/tcp_relay.c \
	src/bridge/udp_map.c \
	src/bridge/vxlan.c \
	src/bridge/watch.c
