/* link_params.c — the table of link keys (link_params.h): each key has a
 * kind, and parsing, printing, comparing and copying go by kind. */
#include "net/link_params.h"
#include "core/i18n.h"

#include <stddef.h>
#include <string.h>

#include "core/units.h"

#define DELAY_MAX (3600 * NS_SEC)
#define QUEUE_MAX 100000

typedef enum { KIND_TIME, KIND_RATE, KIND_LOSS, KIND_PROB, KIND_QUEUE } Kind;

static const struct {
  const char *name;
  const char *syntax; /* for the menu */
  Kind kind;
  gsize offset; /* of the member (KIND_LOSS: of loss; see loss_*) */
} params[NS_LINK_N_PARAMS] = {
    [NS_LINK_DELAY] = {"delay", "TIME", KIND_TIME,
                       offsetof(NsLinkParams, delay)},
    [NS_LINK_JITTER] = {"jitter", "TIME", KIND_TIME,
                        offsetof(NsLinkParams, jitter)},
    [NS_LINK_RATE] = {"rate", "RATE", KIND_RATE,
                      offsetof(NsLinkParams, rate_bps)},
    [NS_LINK_LOSS] = {"loss", "P", KIND_LOSS, offsetof(NsLinkParams, loss)},
    [NS_LINK_DUPLICATE] = {"duplicate", "P", KIND_PROB,
                           offsetof(NsLinkParams, duplicate)},
    [NS_LINK_CORRUPT] = {"corrupt", "P", KIND_PROB,
                         offsetof(NsLinkParams, corrupt)},
    [NS_LINK_REORDER] = {"reorder", "P", KIND_PROB,
                         offsetof(NsLinkParams, reorder)},
    [NS_LINK_QUEUE] = {"queue", "N", KIND_QUEUE,
                       offsetof(NsLinkParams, queue_limit)},
};

#define MEMBER(type, p, k) ((type *)(void *)((char *)(p) + params[k].offset))
#define CMEMBER(type, p, k)                                                    \
  ((const type *)(const void *)((const char *)(p) + params[k].offset))

const char *ns_link_param_name(NsLinkParam k) {
  g_return_val_if_fail(k < NS_LINK_N_PARAMS, "?");
  return params[k].name;
}

gboolean ns_link_param_lookup(const char *name, NsLinkParam *out) {
  for (guint k = 0; k < NS_LINK_N_PARAMS; k++)
    if (strcmp(params[k].name, name) == 0) {
      *out = (NsLinkParam)k;
      return TRUE;
    }
  return FALSE;
}

char *ns_link_param_menu(void) {
  GString *s = g_string_new(NULL);
  for (guint k = 0; k < NS_LINK_N_PARAMS; k++)
    g_string_append_printf(s, "%s%s=%s",
                           k == 0                      ? ""
                           : k + 1 == NS_LINK_N_PARAMS ? " or "
                                                       : ", ",
                           params[k].name, params[k].syntax);
  return g_string_free(s, FALSE);
}

/* ---- parsing ------------------------------------------------------------- */

static gboolean parse_time(const char *v, NsTime *out, GError **error) {
  NsTime x = 0;
  if (strcmp(v, "0") != 0 && !ns_time_parse(v, 0, &x, error))
    return FALSE;
  if (x > DELAY_MAX) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("'%s' is out of range (expected 0 to 1h)"), v);
    return FALSE;
  }
  *out = x;
  return TRUE;
}

static gboolean parse_queue(const char *v, guint *out, GError **error) {
  guint64 n = 0;
  gboolean digits = *v != '\0' && strlen(v) <= 6;
  for (const char *c = v; digits && *c != '\0'; c++) {
    digits = g_ascii_isdigit(*c);
    n = n * 10 + (guint64)(*c - '0');
  }
  if (!digits || n < 1 || n > QUEUE_MAX) {
    g_set_error(error, NS_ERROR, NS_ERROR_INVALID,
                _("'%s' is not a queue limit (expected 1 to %u frames)"), v,
                QUEUE_MAX);
    return FALSE;
  }
  *out = (guint)n;
  return TRUE;
}

/* "gemodel:P[:R[:1-H[:1-K]]]" into p's loss members. */
static gboolean parse_gemodel(const char *v, NsLinkParams *p, GError **error) {
  g_auto(GStrv) part = g_strsplit(v, ":", -1);
  guint n = g_strv_length(part);
  NsGeModel ge = {.p = 0, .r = 1, .bad_loss = 1, .good_loss = 0};
  double *slot[] = {&ge.p, &ge.r, &ge.bad_loss, &ge.good_loss};
  gboolean ok = n >= 2 && n <= 5;
  for (guint i = 1; ok && i < n; i++)
    ok = ns_probability_parse(part[i], slot[i - 1], NULL);
  if (!ok) {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                _("'%s' is not a Gilbert-Elliott model (expected "
                  "gemodel:P[:R[:1-H[:1-K]]] with probabilities such as "
                  "gemodel:1.5%%:30%%)"),
                v);
    return FALSE;
  }
  p->loss_model = NS_LOSS_GEMODEL;
  p->loss = 0;
  p->ge = ge;
  return TRUE;
}

gboolean ns_link_param_parse(NsLinkParam k, const char *value, NsLinkParams *p,
                             GError **error) {
  g_return_val_if_fail(k < NS_LINK_N_PARAMS && value != NULL && p != NULL,
                       FALSE);
  switch (params[k].kind) {
  case KIND_TIME:
    return parse_time(value, MEMBER(NsTime, p, k), error);
  case KIND_RATE:
    return ns_rate_parse(value, MEMBER(guint64, p, k), error);
  case KIND_LOSS:
    if (g_str_has_prefix(value, "gemodel:") || strcmp(value, "gemodel") == 0)
      return parse_gemodel(value, p, error);
    if (!ns_loss_parse(value, &p->loss, error))
      return FALSE;
    p->loss_model = NS_LOSS_RANDOM;
    return TRUE;
  case KIND_PROB:
    return ns_probability_parse(value, MEMBER(double, p, k), error);
  case KIND_QUEUE:
  default:
    return parse_queue(value, MEMBER(guint, p, k), error);
  }
}

/* ---- printing, comparing, copying ---------------------------------------- */

char *ns_link_param_format(NsLinkParam k, const NsLinkParams *p,
                           char buf[NS_LINK_PARAM_STRLEN]) {
  g_return_val_if_fail(k < NS_LINK_N_PARAMS && p != NULL, NULL);
  char t[MAX(NS_TIME_STRLEN, NS_RATE_STRLEN)];
  switch (params[k].kind) {
  case KIND_TIME:
    g_strlcpy(buf, ns_time_format(*CMEMBER(NsTime, p, k), t),
              NS_LINK_PARAM_STRLEN);
    break;
  case KIND_RATE:
    g_strlcpy(buf, ns_rate_format(*CMEMBER(guint64, p, k), t),
              NS_LINK_PARAM_STRLEN);
    break;
  case KIND_LOSS:
    if (p->loss_model == NS_LOSS_GEMODEL)
      g_snprintf(buf, NS_LINK_PARAM_STRLEN, "gemodel:%g%%:%g%%:%g%%:%g%%",
                 p->ge.p * 100, p->ge.r * 100, p->ge.bad_loss * 100,
                 p->ge.good_loss * 100);
    else
      g_snprintf(buf, NS_LINK_PARAM_STRLEN, "%g%%", p->loss * 100);
    break;
  case KIND_PROB:
    g_snprintf(buf, NS_LINK_PARAM_STRLEN, "%g%%", *CMEMBER(double, p, k) * 100);
    break;
  case KIND_QUEUE:
  default:
    g_snprintf(buf, NS_LINK_PARAM_STRLEN, "%u", *CMEMBER(guint, p, k));
    break;
  }
  return buf;
}

gboolean ns_link_param_equal(NsLinkParam k, const NsLinkParams *a,
                             const NsLinkParams *b) {
  g_return_val_if_fail(k < NS_LINK_N_PARAMS, FALSE);
  switch (params[k].kind) {
  case KIND_TIME:
    return *CMEMBER(NsTime, a, k) == *CMEMBER(NsTime, b, k);
  case KIND_RATE:
    return *CMEMBER(guint64, a, k) == *CMEMBER(guint64, b, k);
  case KIND_LOSS:
    if (a->loss_model != b->loss_model)
      return FALSE;
    if (a->loss_model == NS_LOSS_RANDOM)
      return a->loss == b->loss;
    return a->ge.p == b->ge.p && a->ge.r == b->ge.r &&
           a->ge.bad_loss == b->ge.bad_loss &&
           a->ge.good_loss == b->ge.good_loss;
  case KIND_PROB:
    return *CMEMBER(double, a, k) == *CMEMBER(double, b, k);
  case KIND_QUEUE:
  default:
    return *CMEMBER(guint, a, k) == *CMEMBER(guint, b, k);
  }
}

void ns_link_param_copy(NsLinkParam k, NsLinkParams *dst,
                        const NsLinkParams *src) {
  g_return_if_fail(k < NS_LINK_N_PARAMS);
  static const gsize size[] = {[KIND_TIME] = sizeof(NsTime),
                               [KIND_RATE] = sizeof(guint64),
                               [KIND_PROB] = sizeof(double),
                               [KIND_QUEUE] = sizeof(guint)};
  if (params[k].kind == KIND_LOSS) {
    dst->loss_model = src->loss_model;
    dst->loss = src->loss;
    dst->ge = src->ge;
    return;
  }
  memcpy((char *)dst + params[k].offset, (const char *)src + params[k].offset,
         size[params[k].kind]);
}

void ns_link_params_append_impairments(GString *s, const NsLinkParams *p) {
  static const NsLinkParam extra[] = {NS_LINK_JITTER, NS_LINK_DUPLICATE,
                                      NS_LINK_CORRUPT, NS_LINK_REORDER};
  char buf[NS_LINK_PARAM_STRLEN];
  for (guint i = 0; i < G_N_ELEMENTS(extra); i++)
    if (!ns_link_param_equal(extra[i], p, &ns_link_default_params))
      g_string_append_printf(s, ", %s %s", params[extra[i]].name,
                             ns_link_param_format(extra[i], p, buf));
}

gboolean ns_link_params_same(const NsLinkParams *a, const NsLinkParams *b) {
  return a->delay == b->delay && a->rate_bps == b->rate_bps &&
         a->loss == b->loss && a->queue_limit == b->queue_limit &&
         a->jitter == b->jitter && a->loss_model == b->loss_model &&
         a->ge.p == b->ge.p && a->ge.r == b->ge.r &&
         a->ge.bad_loss == b->ge.bad_loss &&
         a->ge.good_loss == b->ge.good_loss && a->duplicate == b->duplicate &&
         a->corrupt == b->corrupt && a->reorder == b->reorder;
}

guint ns_link_params_hash(const NsLinkParams *p) {
  /* The integer members only: equal doubles then hash alike (0.0, -0.0). */
  guint64 h = p->delay * G_GUINT64_CONSTANT(0x9e3779b97f4a7c15) ^ p->rate_bps ^
              ((guint64)p->queue_limit << 40) ^ p->jitter * 31u ^
              (guint64)p->loss_model;
  return (guint)(h ^ (h >> 32));
}
