/* test_counters.c — the counter registry machinery of core/counters.h on
 * a struct of its own: members and names from one list, lookup, reading
 * a value by name. */
#include "core/counters.h"
#include "testutil.h"

#define TEST_COUNTERS(X)                                                       \
  X(first, "the first")                                                        \
  X(second, "the second")                                                      \
  X(third, "the third")

typedef struct {
  TEST_COUNTERS(NS_COUNTER_MEMBER)
} TestCounters;

NS_COUNTER_REGISTRY_DECLARE(test_counter);
#define TEST_FIELD(f, about) NS_COUNTER_FIELD(TestCounters, f, about),
NS_COUNTER_REGISTRY_DEFINE(test_counter, TestCounters, TEST_COUNTERS,
                           TEST_FIELD);

START_TEST(test_registry_from_list) {
  ck_assert_uint_eq(test_counter_n_fields, 3);
  ck_assert_str_eq(test_counter_fields[1].name, "second");
  ck_assert_str_eq(test_counter_fields[1].about, "the second");
  ck_assert_uint_eq(test_counter_fields[2].offset,
                    offsetof(TestCounters, third));
}
END_TEST

START_TEST(test_find_and_get) {
  TestCounters c = {.first = 1, .second = 22, .third = 333};
  const NsCounterField *f = ns_counter_field_find(
      test_counter_fields, test_counter_n_fields, "third");
  ck_assert_ptr_eq(f, &test_counter_fields[2]);
  ck_assert_uint_eq(ns_counter_get(&c, f), 333);
  c.third++;
  ck_assert_uint_eq(ns_counter_get(&c, f), 334);
  ck_assert_ptr_null(
      ns_counter_field_find(test_counter_fields, test_counter_n_fields, "4th"));
  ck_assert_ptr_null(
      ns_counter_field_find(test_counter_fields, test_counter_n_fields, ""));
  ck_assert_ptr_null(ns_counter_field_find(test_counter_fields, 0, "first"));
}
END_TEST

Suite *test_counters_suite(void) {
  Suite *s = suite_create("counters");
  TCase *tc = test_tcase("counters");
  tcase_add_test(tc, test_registry_from_list);
  tcase_add_test(tc, test_find_and_get);
  suite_add_tcase(s, tc);
  return s;
}
