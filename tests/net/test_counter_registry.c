/* test_counter_registry.c — the registries of the net layer's counter
 * structs (net/counters.c): every member has exactly one name, names are
 * unique, every name has a meaning, and a value read by name is the
 * member's. */
#include <string.h>

#include "net/ipnode.h"
#include "net/link.h"
#include "net/switch.h"
#include "net/tcp.h"
#include "net/udp.h"
#include "testutil.h"

typedef struct {
  const char *what;
  const NsCounterField *fields;
  const guint *n_fields;
  gsize size; /* sizeof the struct */
} Registry;

static const Registry registries[] = {
    {"NsIpCounters", ns_ip_counter_fields, &ns_ip_counter_n_fields,
     sizeof(NsIpCounters)},
    {"NsNicCounters", ns_nic_counter_fields, &ns_nic_counter_n_fields,
     sizeof(NsNicCounters)},
    {"NsSwitchPortCounters", ns_port_counter_fields, &ns_port_counter_n_fields,
     sizeof(NsSwitchPortCounters)},
    {"NsUdpCounters", ns_udp_counter_fields, &ns_udp_counter_n_fields,
     sizeof(NsUdpCounters)},
    {"NsTcpCounters", ns_tcp_counter_fields, &ns_tcp_counter_n_fields,
     sizeof(NsTcpCounters)},
};

/* Walks the table: each guint64 slot of the struct is named exactly once,
 * in member order; names are unique and lookups find them. */
START_TEST(test_every_member_named) {
  const Registry *r = &registries[_i];
  guint n = *r->n_fields;
  ck_assert_msg(n * sizeof(guint64) == r->size, "%s: %u names for %zu bytes",
                r->what, n, r->size);
  for (guint f = 0; f < n; f++) {
    const NsCounterField *field = &r->fields[f];
    ck_assert_msg(field->offset == f * sizeof(guint64), "%s.%s at %zu", r->what,
                  field->name, field->offset);
    ck_assert_msg(field->about != NULL && field->about[0] != '\0',
                  "%s.%s has no meaning", r->what, field->name);
    ck_assert_ptr_eq(ns_counter_field_find(r->fields, n, field->name), field);
  }
}
END_TEST

static guint64 by_name(const void *counters, const NsCounterField *fields,
                       guint n, const char *name) {
  const NsCounterField *f = ns_counter_field_find(fields, n, name);
  ck_assert_msg(f != NULL, "no counter %s", name);
  return ns_counter_get(counters, f);
}

/* Reading through the registry sees the very member. */
START_TEST(test_value_by_name) {
  NsIpCounters ip = {.martian = 5};
  NsTcpCounters tcp = {.backlog_drops = 9};
  NsUdpCounters udp = {.rx_overflow = 3};
  ck_assert_uint_eq(
      by_name(&ip, ns_ip_counter_fields, ns_ip_counter_n_fields, "martian"), 5);
  ck_assert_uint_eq(by_name(&tcp, ns_tcp_counter_fields,
                            ns_tcp_counter_n_fields, "backlog_drops"),
                    9);
  ck_assert_uint_eq(by_name(&udp, ns_udp_counter_fields,
                            ns_udp_counter_n_fields, "rx_overflow"),
                    3);
}
END_TEST

Suite *test_counter_registry_suite(void) {
  Suite *s = suite_create("counter_registry");
  TCase *tc = test_tcase("registry");
  tcase_add_loop_test(tc, test_every_member_named, 0, G_N_ELEMENTS(registries));
  tcase_add_test(tc, test_value_by_name);
  suite_add_tcase(s, tc);
  return s;
}
