# core/ — built as its own library; see Makefile.am for the layer order.
noinst_LIBRARIES += src/core/libcore.a
src_core_libcore_a_SOURCES = \
	src/core/addr.c \
	src/core/addr.h \
	src/core/counters.c \
	src/core/counters.h \
	src/core/frame.c \
	src/core/frame.h \
	src/core/hugepages.c \
	src/core/hugepages.h \
	src/core/i18n.c \
	src/core/i18n.h \
	src/core/input.c \
	src/core/input.h \
	src/core/log.c \
	src/core/log.h \
	src/core/logfilter.c \
	src/core/logfilter.h \
	src/core/ring.c \
	src/core/ring.h \
	src/core/slab.c \
	src/core/slab.h \
	src/core/text.c \
	src/core/text.h \
	src/core/timerq.c \
	src/core/timerq.h \
	src/core/units.c \
	src/core/units.h
