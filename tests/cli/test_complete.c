/* test_complete.c — Tab's candidates at the console (cli/complete.h), on
 * the built-in two-LAN network: commands, nodes, interfaces and keywords,
 * each drawn from the rows and the topology. */
#include <string.h>

#include "cli/complete.h"
#include "cli/scenario_fixture.h"
#include "testutil.h"

/* The candidates for line with the cursor at its end, joined by spaces;
 * *start checked against want_start. */
static char *complete_at_end(Fx *fx, const char *line, gsize want_start) {
  gsize start = 999;
  g_auto(GStrv) c = ns_complete(fx->net, line, strlen(line), &start);
  ck_assert_uint_eq(start, want_start);
  return g_strjoinv(" ", c);
}

#define ck_complete(fx, line, start, want)                                     \
  do {                                                                         \
    g_autofree char *got_ = complete_at_end((fx), (line), (start));            \
    ck_assert_msg(strcmp(got_, (want)) == 0, "'%s' -> '%s', want '%s'",        \
                  (line), got_, (want));                                       \
  } while (0)

START_TEST(test_complete_first_word) {
  Fx *fx = fx_new();
  ck_complete(fx, "", 0,
              "expect h1 h2 h3 h4 help link print quit r1 show "
              "sw1 sw2 wait");
  ck_complete(fx, "sh", 0, "show");
  ck_complete(fx, "h", 0, "h1 h2 h3 h4 help");
  ck_complete(fx, "  wa", 2, "wait");
  ck_complete(fx, "zz", 0, "");
  fx_free(fx);
}
END_TEST

START_TEST(test_complete_after_node) {
  Fx *fx = fx_new();
  ck_complete(fx, "h1 pi", 3, "ping");
  ck_complete(fx, "h1 t", 3, "tcp traceroute");
  ck_complete(fx, "h1 udp ", 7, "listen send");
  ck_complete(fx, "h1 tcp c", 7, "close connect");
  /* a switch takes no host command */
  ck_complete(fx, "sw1 p", 4, "");
  /* ping's options, from its help synopsis */
  ck_complete(fx, "h1 ping h3 c", 11, "count");
  ck_complete(fx, "h1 ping h3 t", 11, "timeout ttl");
  ck_complete(fx, "h1 traceroute h3 -", 17, "-n");
  ck_complete(fx, "h1 ping h", 8, "h1 h2 h3 h4");
  fx_free(fx);
}
END_TEST

START_TEST(test_complete_show_and_expect) {
  Fx *fx = fx_new();
  ck_complete(fx, "show ma", 5, "mac mask");
  ck_complete(fx, "show mac ", 9, "sw1 sw2");
  ck_complete(fx, "show arp r", 9, "r1");
  ck_complete(fx, "show links ", 11, "");
  ck_complete(fx, "expect l", 7, "link log");
  ck_complete(fx, "expect sw1 ", 11, "counter group mac");
  ck_complete(fx, "expect h1 ping r", 15, "r1 replies");
  ck_complete(fx, "expect log c", 11, "contains");
  ck_complete(fx, "expect log l", 11, "lacks");
  ck_complete(fx, "help tr", 5, "traceroute");
  fx_free(fx);
}
END_TEST

START_TEST(test_complete_interfaces) {
  Fx *fx = fx_new();
  ck_complete(fx, "link h1:", 5, "h1:eth0");
  ck_complete(fx, "link r1:e", 5, "r1:eth0 r1:eth1");
  ck_complete(fx, "link sw1:port", 5, "sw1:port1 sw1:port2 sw1:port3");
  ck_complete(fx, "link h1 sw1 ", 12,
              "delay down h1 h2 h3 h4 loss queue r1 rate set sw1 sw2 up");
  ck_complete(fx, "expect r1 route h3 via e", 23, "eth0 eth1");
  ck_complete(fx, "link zz:", 5, "");
  fx_free(fx);
}
END_TEST

/* The cursor inside the line: what follows it is ignored. */
START_TEST(test_complete_cursor_inside) {
  Fx *fx = fx_new();
  gsize start = 0;
  g_auto(GStrv) c = ns_complete(fx->net, "show ma h1", 7, &start);
  ck_assert_uint_eq(start, 5);
  ck_assert_uint_eq(g_strv_length(c), 2);
  g_auto(GStrv) far = ns_complete(fx->net, "sh", 100, &start);
  ck_assert_uint_eq(start, 0);
  ck_assert_str_eq(far[0], "show");
  fx_free(fx);
}
END_TEST

Suite *test_complete_suite(void) {
  Suite *s = suite_create("complete");
  TCase *tc = test_tcase("complete");
  tcase_add_test(tc, test_complete_first_word);
  tcase_add_test(tc, test_complete_after_node);
  tcase_add_test(tc, test_complete_show_and_expect);
  tcase_add_test(tc, test_complete_interfaces);
  tcase_add_test(tc, test_complete_cursor_inside);
  suite_add_tcase(s, tc);
  return s;
}
