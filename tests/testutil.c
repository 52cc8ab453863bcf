/* testutil.c — shared helpers for the check suites. */
#include "testutil.h"

gint64 test_frames_at_setup;

void test_frames_setup(void) { test_frames_at_setup = ns_frame_live_count(); }

void test_frames_teardown(void) {
  ck_assert_int_eq(ns_frame_live_count(), test_frames_at_setup);
}

/* check's 4 s default only guards against a hang; a loaded machine (two
 * sanitizer builds side by side on two cores) can take longer for the big
 * randomised cases, and no test may fail on timing.  A TCase that needs
 * more still sets its own. */
#define TEST_TCASE_TIMEOUT_S 30

TCase *test_tcase(const char *name) {
  TCase *tc = tcase_create(name);
  tcase_set_timeout(tc, TEST_TCASE_TIMEOUT_S);
  tcase_add_checked_fixture(tc, test_frames_setup, test_frames_teardown);
  return tc;
}

GSocket *test_loopback_client(GSocketType type, guint16 port) {
  GError *e = NULL;
  GSocket *s = g_socket_new(G_SOCKET_FAMILY_IPV4, type, 0, &e);
  ck_assert_msg(s != NULL, "%s", e ? e->message : "?");
  g_autoptr(GInetAddress) lo =
      g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) sa = g_inet_socket_address_new(lo, port);
  ck_assert_msg(g_socket_connect(s, sa, NULL, &e), "%s", e ? e->message : "?");
  g_socket_set_blocking(s, FALSE);
  return s;
}
