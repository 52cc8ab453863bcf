# apps/ — built as its own library; see Makefile.am for the layer order.
noinst_LIBRARIES += src/apps/libapps.a
src_apps_libapps_a_SOURCES = \
	src/apps/app.c \
	src/apps/app.h \
	src/apps/client.c \
	src/apps/client.h \
	src/apps/http_get.c \
	src/apps/http_get.h \
	src/apps/ping.c \
	src/apps/ping.h \
	src/apps/service_kinds.c \
	src/apps/service_spec.c \
	src/apps/services.c \
	src/apps/services.h \
	src/apps/services_http.c \
	src/apps/services_private.h \
	src/apps/svc_http.c \
	src/apps/svc_tcp_echo.c \
	src/apps/svc_tcp_reply.c \
	src/apps/svc_udp_echo.c \
	src/apps/svc_udp_listen.c
