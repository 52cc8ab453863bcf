# cli/ — built as its own library; see Makefile.am for the layer order.
noinst_LIBRARIES += src/cli/libcli.a
src_cli_libcli_a_SOURCES = \
	src/cli/complete.c \
	src/cli/complete.h \
	src/cli/console.c \
	src/cli/console.h \
	src/cli/expect.c \
	src/cli/expect_counter.c \
	src/cli/expect_link.c \
	src/cli/expect_node.c \
	src/cli/expect_sockets.c \
	src/cli/lineedit.c \
	src/cli/lineedit.h \
	src/cli/report.c \
	src/cli/report.h \
	src/cli/replay.c \
	src/cli/replay.h \
	src/cli/replay_data.c \
	src/cli/replay_layout.c \
	src/cli/replay_private.h \
	src/cli/replay_text.c \
	src/cli/replay_write.c \
	src/cli/report_text.c \
	src/cli/scenario.c \
	src/cli/scenario.h \
	src/cli/scenario_commands.c \
	src/cli/scenario_http.c \
	src/cli/scenario_link.c \
	src/cli/scenario_parse.c \
	src/cli/scenario_ping.c \
	src/cli/scenario_private.h \
	src/cli/scenario_rows.c \
	src/cli/scenario_show.c \
	src/cli/scenario_sockets.c \
	src/cli/show.c \
	src/cli/show.h \
	src/cli/show_bridges.c \
	src/cli/show_frame.c \
	src/cli/show_groups.c \
	src/cli/show_mask.c \
	src/cli/show_private.h \
	src/cli/show_received.c \
	src/cli/show_sockets.c \
	src/cli/show_stats.c \
	src/cli/table.c \
	src/cli/table.h

# The replay page's template, as a C string literal for replay_write.c
# (the template is in Makefile.am's EXTRA_DIST).
CLEANFILES += src/cli/replay_page.inc
src/cli/replay_page.inc: $(srcdir)/src/cli/replay_page.html
	$(AM_V_GEN)mkdir -p src/cli && \
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' \
	  $(srcdir)/src/cli/replay_page.html >$@.tmp && mv $@.tmp $@
src/cli/replay_write.$(OBJEXT): src/cli/replay_page.inc
