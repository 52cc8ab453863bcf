# tests/apps/: suites of src/apps/ (see tests/suites.h in Makefile.am).
tests_unit_SOURCES += \
	tests/apps/test_app.c \
	tests/apps/test_http_get.c \
	tests/apps/test_ping.c \
	tests/apps/test_service_kinds.c \
	tests/apps/test_services.c
