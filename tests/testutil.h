/* testutil.h — shared helpers for the check suites. */
#pragma once

#include <check.h>
#include <gio/gio.h>
#include <glib.h>

#include "core/frame.h"

/* Every suite's fixtures call these so that a leaked frame fails the test
 * that leaked it. */
extern gint64 test_frames_at_setup;
void test_frames_setup(void);
void test_frames_teardown(void);

/* A TCase with the frame-leak fixture already attached. */
TCase *test_tcase(const char *name);

/* A socket of type (stream or datagram) connected to 127.0.0.1:port, not
 * blocking; the test unrefs it. */
GSocket *test_loopback_client(GSocketType type, guint16 port);

/* Every suite of the runner, declared from the generated list. */
#define NS_SUITE(fn) Suite *fn(void);
#include "suites.h"
#undef NS_SUITE
