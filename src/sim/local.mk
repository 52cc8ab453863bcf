# sim/ — built as its own library; see Makefile.am for the layer order.
noinst_LIBRARIES += src/sim/libsim.a
src_sim_libsim_a_SOURCES = \
	src/sim/clock.c \
	src/sim/clock.h \
	src/sim/framestore.c \
	src/sim/framestore.h \
	src/sim/network.c \
	src/sim/network.h \
	src/sim/network_build.c \
	src/sim/network_private.h \
	src/sim/node_kinds.c \
	src/sim/sched.c \
	src/sim/sched.h \
	src/sim/signals.c \
	src/sim/signals.h
