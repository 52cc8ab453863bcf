/* test_route.c — longest-prefix match, tie-breaks, a brute-force model. */
#include "net/route.h"
#include "testutil.h"

static NsPrefix pfx(const char *s) {
  NsPrefix p;
  GError *err = NULL;
  gboolean ok = ns_prefix_parse(s, TRUE, &p, &err);
  ck_assert_msg(ok, "%s", err ? err->message : s);
  return p;
}

static NsIp4 ip(const char *s) {
  NsIp4 a;
  ck_assert(ns_ip4_parse(s, &a, NULL));
  return a;
}

static char *fmt_route(const NsRoute *r, char buf[64]) {
  char p[NS_PREFIX_STRLEN], g[NS_IP4_STRLEN];
  if (r == NULL) {
    g_strlcpy(buf, "none", 64);
    return buf;
  }
  g_snprintf(buf, 64, "%s via %s", ns_prefix_format(r->prefix, p),
             ns_ip4_format(r->gateway, g));
  return buf;
}

/* "10.1.2.0/24 via 0.0.0.0" for the route chosen for dst. */
static void assert_lookup(const NsRouteTable *t, const char *dst,
                          const char *want) {
  char buf[64];
  ck_assert_str_eq(fmt_route(ns_route_lookup(t, ip(dst)), buf), want);
}

START_TEST(test_empty) {
  NsRouteTable *t = ns_route_table_new();
  ck_assert_uint_eq(ns_route_count(t), 0);
  ck_assert_ptr_null(ns_route_lookup(t, ip("10.0.0.1")));
  GPtrArray *m = ns_route_matches(t, ip("10.0.0.1"));
  ck_assert_uint_eq(m->len, 0);
  g_ptr_array_unref(m);
  ns_route_table_free(t);
}
END_TEST

START_TEST(test_default_route) {
  NsRouteTable *t = ns_route_table_new();
  ck_assert(ns_route_add(t, pfx("0.0.0.0/0"), ip("192.168.1.1"), 0, 0,
                         NS_ROUTE_STATIC));
  const NsRoute *r = ns_route_nth(t, 0);
  ck_assert_int_eq(r->kind, NS_ROUTE_DEFAULT);
  ck_assert_str_eq(ns_route_kind_name(r->kind), "default");
  const char *dsts[] = {"0.0.0.0", "1.2.3.4", "10.0.0.1", "127.0.0.1",
                        "255.255.255.255"};
  for (guint i = 0; i < G_N_ELEMENTS(dsts); i++)
    assert_lookup(t, dsts[i], "0.0.0.0/0 via 192.168.1.1");
  ns_route_table_free(t);
}
END_TEST

START_TEST(test_host_route) {
  NsRouteTable *t = ns_route_table_new();
  ck_assert(ns_route_add(t, pfx("10.1.2.3/32"), ip("10.9.9.9"), 1, 0,
                         NS_ROUTE_STATIC));
  assert_lookup(t, "10.1.2.3", "10.1.2.3/32 via 10.9.9.9");
  assert_lookup(t, "10.1.2.2", "none");
  assert_lookup(t, "10.1.2.4", "none");
  assert_lookup(t, "138.1.2.3", "none");
  ck_assert_int_eq(ns_route_nth(t, 0)->kind, NS_ROUTE_STATIC);
  ns_route_table_free(t);
}
END_TEST

START_TEST(test_longest_prefix_overlap) {
  NsRouteTable *t = ns_route_table_new();
  /* Added shortest first, so the table has to reorder them. */
  ns_route_add(t, pfx("0.0.0.0/0"), ip("1.1.1.1"), 0, 0, NS_ROUTE_STATIC);
  ns_route_add(t, pfx("10.0.0.0/8"), ip("8.8.8.8"), 0, 0, NS_ROUTE_STATIC);
  ns_route_add(t, pfx("10.1.0.0/16"), ip("16.16.16.16"), 0, 0, NS_ROUTE_STATIC);
  ns_route_add(t, pfx("10.1.2.0/24"), ip("0.0.0.0"), 2, 0, NS_ROUTE_CONNECTED);
  ns_route_add(t, pfx("10.1.2.3/32"), ip("32.32.32.32"), 0, 0, NS_ROUTE_STATIC);
  assert_lookup(t, "10.1.2.3", "10.1.2.3/32 via 32.32.32.32");
  assert_lookup(t, "10.1.2.4", "10.1.2.0/24 via 0.0.0.0");
  assert_lookup(t, "10.1.2.255", "10.1.2.0/24 via 0.0.0.0");
  assert_lookup(t, "10.1.3.3", "10.1.0.0/16 via 16.16.16.16");
  assert_lookup(t, "10.2.2.3", "10.0.0.0/8 via 8.8.8.8");
  assert_lookup(t, "11.1.2.3", "0.0.0.0/0 via 1.1.1.1");
  assert_lookup(t, "9.255.255.255", "0.0.0.0/0 via 1.1.1.1");

  /* matches(): the chosen route first, then the prefixes it beat. */
  GPtrArray *m = ns_route_matches(t, ip("10.1.2.3"));
  ck_assert_uint_eq(m->len, 5);
  const guint8 lens[] = {32, 24, 16, 8, 0};
  for (guint i = 0; i < m->len; i++) {
    const NsRoute *r = g_ptr_array_index(m, i);
    ck_assert_uint_eq(r->prefix.len, lens[i]);
  }
  ck_assert_ptr_eq(g_ptr_array_index(m, 0), ns_route_lookup(t, ip("10.1.2.3")));
  g_ptr_array_unref(m);
  m = ns_route_matches(t, ip("10.1.3.3"));
  ck_assert_uint_eq(m->len, 3);
  g_ptr_array_unref(m);

  /* Table order is most specific first. */
  for (guint i = 0; i < ns_route_count(t); i++)
    ck_assert_uint_eq(ns_route_nth(t, i)->prefix.len, lens[i]);
  ns_route_table_free(t);
}
END_TEST

START_TEST(test_metric_tiebreak) {
  NsRouteTable *t = ns_route_table_new();
  ns_route_add(t, pfx("10.0.0.0/8"), ip("1.1.1.1"), 0, 10, NS_ROUTE_STATIC);
  ns_route_add(t, pfx("10.0.0.0/8"), ip("2.2.2.2"), 1, 5, NS_ROUTE_STATIC);
  ns_route_add(t, pfx("10.0.0.0/8"), ip("3.3.3.3"), 2, 7, NS_ROUTE_STATIC);
  assert_lookup(t, "10.5.5.5", "10.0.0.0/8 via 2.2.2.2");
  ck_assert_uint_eq(ns_route_lookup(t, ip("10.5.5.5"))->iface, 1);
  GPtrArray *m = ns_route_matches(t, ip("10.5.5.5"));
  ck_assert_uint_eq(m->len, 3);
  ck_assert_uint_eq(((NsRoute *)g_ptr_array_index(m, 0))->metric, 5);
  ck_assert_uint_eq(((NsRoute *)g_ptr_array_index(m, 1))->metric, 7);
  ck_assert_uint_eq(((NsRoute *)g_ptr_array_index(m, 2))->metric, 10);
  g_ptr_array_unref(m);
  /* A longer prefix still beats a lower metric. */
  ns_route_add(t, pfx("10.5.0.0/16"), ip("4.4.4.4"), 3, 100, NS_ROUTE_STATIC);
  assert_lookup(t, "10.5.5.5", "10.5.0.0/16 via 4.4.4.4");
  ns_route_table_free(t);
}
END_TEST

START_TEST(test_insertion_order_tiebreak) {
  NsRouteTable *t = ns_route_table_new();
  ns_route_add(t, pfx("10.0.0.0/8"), ip("3.3.3.3"), 0, 1, NS_ROUTE_STATIC);
  ns_route_add(t, pfx("10.0.0.0/8"), ip("1.1.1.1"), 0, 1, NS_ROUTE_STATIC);
  ns_route_add(t, pfx("10.0.0.0/8"), ip("2.2.2.2"), 0, 1, NS_ROUTE_STATIC);
  assert_lookup(t, "10.0.0.1", "10.0.0.0/8 via 3.3.3.3");
  ck_assert_uint_lt(ns_route_nth(t, 0)->order, ns_route_nth(t, 1)->order);
  ck_assert_uint_lt(ns_route_nth(t, 1)->order, ns_route_nth(t, 2)->order);
  ck_assert(ns_ip4_equal(ns_route_nth(t, 1)->gateway, ip("1.1.1.1")));
  ns_route_table_free(t);
}
END_TEST

START_TEST(test_duplicate_rejected) {
  NsRouteTable *t = ns_route_table_new();
  ck_assert(ns_route_add(t, pfx("10.1.2.0/24"), ip("10.0.0.1"), 0, 0,
                         NS_ROUTE_STATIC));
  /* Same network written with host bits, different metric: still a dup. */
  ck_assert(!ns_route_add(t, pfx("10.1.2.77/24"), ip("10.0.0.1"), 1, 5,
                          NS_ROUTE_STATIC));
  ck_assert_uint_eq(ns_route_count(t), 1);
  /* Another gateway or another length is a different route. */
  ck_assert(ns_route_add(t, pfx("10.1.2.0/24"), ip("10.0.0.2"), 0, 0,
                         NS_ROUTE_STATIC));
  ck_assert(ns_route_add(t, pfx("10.1.2.0/25"), ip("10.0.0.1"), 0, 0,
                         NS_ROUTE_STATIC));
  ck_assert_uint_eq(ns_route_count(t), 3);
  ns_route_table_free(t);
}
END_TEST

START_TEST(test_remove) {
  NsRouteTable *t = ns_route_table_new();
  ns_route_add(t, pfx("0.0.0.0/0"), ip("1.1.1.1"), 0, 0, NS_ROUTE_STATIC);
  ns_route_add(t, pfx("10.0.0.0/8"), ip("8.8.8.8"), 0, 0, NS_ROUTE_STATIC);
  ns_route_add(t, pfx("10.1.0.0/16"), ip("16.16.16.1"), 0, 0, NS_ROUTE_STATIC);
  ns_route_add(t, pfx("10.1.0.0/16"), ip("16.16.16.2"), 0, 0, NS_ROUTE_STATIC);
  assert_lookup(t, "10.1.9.9", "10.1.0.0/16 via 16.16.16.1");
  ck_assert_uint_eq(ns_route_remove(t, pfx("10.1.200.0/16")), 2);
  ck_assert_uint_eq(ns_route_count(t), 2);
  assert_lookup(t, "10.1.9.9", "10.0.0.0/8 via 8.8.8.8");
  ck_assert_uint_eq(ns_route_remove(t, pfx("10.1.0.0/16")), 0);
  ck_assert_uint_eq(ns_route_remove(t, pfx("10.0.0.0/9")), 0);
  ck_assert_uint_eq(ns_route_remove(t, pfx("0.0.0.0/0")), 1);
  assert_lookup(t, "11.0.0.1", "none");
  assert_lookup(t, "10.1.9.9", "10.0.0.0/8 via 8.8.8.8");
  /* Re-adding after removal works and sorts after older equal routes. */
  ck_assert(
      ns_route_add(t, pfx("10.0.0.0/8"), ip("9.9.9.9"), 0, 0, NS_ROUTE_STATIC));
  assert_lookup(t, "10.1.9.9", "10.0.0.0/8 via 8.8.8.8");
  ns_route_table_free(t);
}
END_TEST

START_TEST(test_kinds) {
  NsRouteTable *t = ns_route_table_new();
  ns_route_add(t, pfx("192.168.1.10/24"), ip("0.0.0.0"), 1, 0,
               NS_ROUTE_CONNECTED);
  ns_route_add(t, pfx("172.16.0.0/12"), ip("192.168.1.1"), 1, 0,
               NS_ROUTE_STATIC);
  ns_route_add(t, pfx("0.0.0.0/0"), ip("192.168.1.254"), 1, 0,
               NS_ROUTE_DEFAULT);
  ck_assert_uint_eq(ns_route_count(t), 3);

  const NsRoute *c = ns_route_lookup(t, ip("192.168.1.77"));
  ck_assert_int_eq(c->kind, NS_ROUTE_CONNECTED);
  ck_assert_str_eq(ns_route_kind_name(c->kind), "connected");
  ck_assert(ns_ip4_equal(c->prefix.addr, ip("192.168.1.0"))); /* canonical */
  ck_assert(ns_ip4_is_zero(c->gateway));
  ck_assert_uint_eq(c->iface, 1);

  const NsRoute *s = ns_route_lookup(t, ip("172.31.255.1"));
  ck_assert_int_eq(s->kind, NS_ROUTE_STATIC);
  ck_assert_str_eq(ns_route_kind_name(s->kind), "static");

  const NsRoute *d = ns_route_lookup(t, ip("8.8.8.8"));
  ck_assert_int_eq(d->kind, NS_ROUTE_DEFAULT);
  ck_assert(ns_ip4_equal(d->gateway, ip("192.168.1.254")));
  ns_route_table_free(t);
}
END_TEST

/* ---- against a brute-force model ---------------------------------------- */

typedef struct {
  NsPrefix prefix; /* canonical */
  NsIp4 gateway;
  guint metric;
  guint64 seq; /* order of successful adds */
} ModelRoute;

/* TRUE when a is better than b for a destination both contain. */
static gboolean model_better(const ModelRoute *a, const ModelRoute *b) {
  if (a->prefix.len != b->prefix.len)
    return a->prefix.len > b->prefix.len;
  if (a->metric != b->metric)
    return a->metric < b->metric;
  return a->seq < b->seq;
}

static gint model_cmp(gconstpointer pa, gconstpointer pb) {
  const ModelRoute *a = *(ModelRoute *const *)pa, *b = *(ModelRoute *const *)pb;
  return model_better(a, b) ? -1 : model_better(b, a) ? 1 : 0;
}

static gboolean same_route(const ModelRoute *m, const NsRoute *r) {
  return r != NULL && m->prefix.len == r->prefix.len &&
         m->prefix.addr.v == r->prefix.addr.v && m->gateway.v == r->gateway.v &&
         m->metric == r->metric;
}

/* Addresses crowded into 10.0-3.0-3.x so prefixes overlap a lot. */
static NsIp4 crowded_addr(GRand *rand) {
  if (g_rand_int_range(rand, 0, 8) == 0)
    return (NsIp4){g_rand_int(rand)};
  return NS_IP4(10, g_rand_int_range(rand, 0, 4), g_rand_int_range(rand, 0, 4),
                g_rand_int_range(rand, 0, 256));
}

static void check_against_model(const NsRouteTable *t, GArray *model,
                                GRand *rand) {
  for (guint n = 0; n < 5000; n++) {
    NsIp4 dst = crowded_addr(rand);
    GPtrArray *want = g_ptr_array_new();
    for (guint i = 0; i < model->len; i++) {
      ModelRoute *m = &g_array_index(model, ModelRoute, i);
      if (ns_prefix_contains(m->prefix, dst))
        g_ptr_array_add(want, m);
    }
    g_ptr_array_sort(want, model_cmp);

    const NsRoute *got = ns_route_lookup(t, dst);
    char b[NS_IP4_STRLEN];
    if (want->len == 0) {
      ck_assert_msg(got == NULL, "%s: expected no route",
                    ns_ip4_format(dst, b));
    } else {
      ck_assert_msg(same_route(g_ptr_array_index(want, 0), got),
                    "%s: wrong best route", ns_ip4_format(dst, b));
    }
    GPtrArray *all = ns_route_matches(t, dst);
    ck_assert_uint_eq(all->len, want->len);
    for (guint i = 0; i < all->len; i++)
      ck_assert(
          same_route(g_ptr_array_index(want, i), g_ptr_array_index(all, i)));
    g_ptr_array_unref(all);
    g_ptr_array_unref(want);
  }
}

/* Adds count random routes to t and the model (duplicates refused by
 * both). */
static void add_random(NsRouteTable *t, GArray *model, GRand *rand, guint count,
                       guint64 *seq) {
  static const guint8 lens[] = {0, 8, 16, 24, 32, 12, 20, 23, 25, 30};
  for (guint n = 0; n < count; n++) {
    NsPrefix p = {crowded_addr(rand),
                  lens[g_rand_int_range(rand, 0, G_N_ELEMENTS(lens))]};
    if (g_rand_int_range(rand, 0, 3) == 0)
      p.len = g_rand_int_range(rand, 0, 33);
    NsIp4 gw = NS_IP4(192, 0, 2, g_rand_int_range(rand, 1, 4));
    guint metric = g_rand_int_range(rand, 0, 3);
    ModelRoute m = {ns_prefix_canonical(p), gw, metric, *seq};
    gboolean dup = FALSE;
    for (guint i = 0; i < model->len; i++) {
      ModelRoute *o = &g_array_index(model, ModelRoute, i);
      dup |= o->prefix.len == m.prefix.len &&
             o->prefix.addr.v == m.prefix.addr.v && o->gateway.v == gw.v;
    }
    gboolean added = ns_route_add(t, p, gw, 0, metric, NS_ROUTE_STATIC);
    ck_assert_int_eq(added, !dup);
    if (added) {
      g_array_append_val(model, m);
      (*seq)++;
    }
  }
}

/* Past 16 routes the table is indexed (route.c): the lookups, the
 * duplicate check, and both after removals and after more adds must stay
 * what the scan of the table gives. */
START_TEST(test_random_against_model) {
  GRand *rand = g_rand_new_with_seed(0x1812);
  NsRouteTable *t = ns_route_table_new();
  GArray *model = g_array_new(FALSE, FALSE, sizeof(ModelRoute));
  guint64 seq = 0;

  add_random(t, model, rand, 150, &seq);
  ck_assert_uint_eq(ns_route_count(t), model->len);
  ck_assert_uint_gt(model->len, 100);
  check_against_model(t, model, rand);

  /* Remove a third of the prefixes and check again. */
  for (guint n = 0; n < model->len / 3; n++) {
    guint pick = g_rand_int_range(rand, 0, model->len);
    NsPrefix p = g_array_index(model, ModelRoute, pick).prefix;
    guint want = 0;
    for (guint i = model->len; i-- > 0;) {
      ModelRoute *o = &g_array_index(model, ModelRoute, i);
      if (o->prefix.len == p.len && o->prefix.addr.v == p.addr.v) {
        g_array_remove_index(model, i);
        want++;
      }
    }
    ck_assert_uint_eq(ns_route_remove(t, p), want);
  }
  ck_assert_uint_eq(ns_route_count(t), model->len);
  check_against_model(t, model, rand);
  add_random(t, model, rand, 60, &seq); /* after a lookup sorted the index */
  ck_assert_uint_eq(ns_route_count(t), model->len);
  check_against_model(t, model, rand);

  /* Table order is non-increasing in prefix length throughout. */
  for (guint i = 1; i < ns_route_count(t); i++)
    ck_assert_uint_ge(ns_route_nth(t, i - 1)->prefix.len,
                      ns_route_nth(t, i)->prefix.len);

  g_array_unref(model);
  ns_route_table_free(t);
  g_rand_free(rand);
}
END_TEST

Suite *test_route_suite(void) {
  Suite *s = suite_create("route");
  TCase *tc = test_tcase("lookup");
  tcase_add_test(tc, test_empty);
  tcase_add_test(tc, test_default_route);
  tcase_add_test(tc, test_host_route);
  tcase_add_test(tc, test_longest_prefix_overlap);
  tcase_add_test(tc, test_metric_tiebreak);
  tcase_add_test(tc, test_insertion_order_tiebreak);
  tcase_add_test(tc, test_kinds);
  suite_add_tcase(s, tc);

  tc = test_tcase("maintenance");
  tcase_add_test(tc, test_duplicate_rejected);
  tcase_add_test(tc, test_remove);
  tcase_add_test(tc, test_random_against_model);
  suite_add_tcase(s, tc);
  return s;
}
