# tests/trace/: suites of src/trace/ (see tests/suites.h in Makefile.am).
tests_unit_SOURCES += \
	tests/trace/test_dot.c \
	tests/trace/test_pcapng.c \
	tests/trace/test_writers.c
