# wire/ — built as its own library; see Makefile.am for the layer order.
noinst_LIBRARIES += src/wire/libwire.a
src_wire_libwire_a_SOURCES = \
	src/wire/arp.c \
	src/wire/arp.h \
	src/wire/checksum.c \
	src/wire/checksum.h \
	src/wire/ethernet.c \
	src/wire/ethernet.h \
	src/wire/icmp.c \
	src/wire/icmp.h \
	src/wire/igmp.c \
	src/wire/igmp.h \
	src/wire/ipv4.c \
	src/wire/ipv4.h \
	src/wire/layers.c \
	src/wire/layers.h \
	src/wire/pretty.c \
	src/wire/pretty.h \
	src/wire/tcp.c \
	src/wire/tcp.h \
	src/wire/udp.c \
	src/wire/udp.h \
	src/wire/vxlan.c \
	src/wire/vxlan.h
