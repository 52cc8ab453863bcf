# trace/ — built as its own library; see Makefile.am for the layer order.
noinst_LIBRARIES += src/trace/libtrace.a
src_trace_libtrace_a_SOURCES = \
	src/trace/capture.c \
	src/trace/capture.h \
	src/trace/dot.c \
	src/trace/dot.h \
	src/trace/framelog.c \
	src/trace/framelog.h \
	src/trace/jsonlog.c \
	src/trace/jsonlog.h \
	src/trace/pcapng.c \
	src/trace/pcapng.h \
	src/trace/textlog.c \
	src/trace/textlog.h \
	src/trace/writer.c \
	src/trace/writer.h
