/* units.c — parsing and printing bit rates and loss probabilities. */
#include "core/units.h"
#include "core/i18n.h"

#include <string.h>

/* "DIGITS[.DIGITS]" at s: whole part and fraction (frac / scale); returns
 * the first character after, or NULL when there are no digits or the
 * whole part is absurdly large. */
static const char *parse_decimal(const char *s, guint64 *whole, guint64 *frac,
                                 guint64 *scale) {
  const char *p = s;
  int digits = 0;
  *whole = 0;
  *frac = 0;
  *scale = 1;
  while (g_ascii_isdigit(*p)) {
    if (*whole > NS_RATE_MAX)
      return NULL;
    *whole = *whole * 10 + (guint64)(*p++ - '0');
    digits++;
  }
  if (*p == '.') {
    p++;
    while (g_ascii_isdigit(*p)) {
      if (*scale < G_GUINT64_CONSTANT(1000000000)) {
        *frac = *frac * 10 + (guint64)(*p - '0');
        *scale *= 10;
      }
      p++;
      digits++;
    }
  }
  return digits > 0 ? p : NULL;
}

gboolean ns_rate_parse(const char *s, guint64 *bps, GError **error) {
  g_return_val_if_fail(s != NULL && bps != NULL, FALSE);
  if (strcmp(s, "0") == 0 || g_ascii_strcasecmp(s, "unlimited") == 0) {
    *bps = 0;
    return TRUE;
  }
  guint64 whole, frac, scale, mult = 1;
  const char *p = parse_decimal(s, &whole, &frac, &scale);
  if (p == NULL)
    goto bad;
  switch (g_ascii_tolower(*p)) {
  case 'k':
    mult = 1000;
    p++;
    break;
  case 'm':
    mult = 1000000;
    p++;
    break;
  case 'g':
    mult = 1000000000;
    p++;
    break;
  default:
    break;
  }
  if (g_ascii_strncasecmp(p, "bit", 3) == 0) {
    p += 3;
    if (strcmp(p, "/s") == 0)
      p += 2;
  } else if (g_ascii_strcasecmp(p, "bps") == 0) {
    p += 3;
  } else {
    goto bad;
  }
  if (*p != '\0' || whole > NS_RATE_MAX / mult)
    goto bad;
  guint64 v = whole * mult + frac * mult / scale;
  if (v == 0 || v > NS_RATE_MAX)
    goto bad;
  *bps = v;
  return TRUE;
bad:
  g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
              _("'%s' is not a rate (expected a number with a unit bit, kbit, "
                "Mbit or Gbit, such as 100Mbit, up to 1000Gbit; or 0 or "
                "unlimited)"),
              s);
  return FALSE;
}

char *ns_rate_format(guint64 bps, char buf[NS_RATE_STRLEN]) {
  static const struct {
    guint64 mult;
    const char *unit;
  } units[] = {{1000000000, "Gbit/s"}, {1000000, "Mbit/s"}, {1000, "kbit/s"}};
  if (bps == 0) {
    g_strlcpy(buf, "unlimited", NS_RATE_STRLEN);
    return buf;
  }
  for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
    if (bps < units[i].mult)
      continue;
    /* Up to three decimals, trailing zeros dropped: 1.5Mbit/s. */
    guint64 whole = bps / units[i].mult;
    guint64 milli = (bps % units[i].mult) * 1000 / units[i].mult;
    if (milli == 0) {
      g_snprintf(buf, NS_RATE_STRLEN, "%" G_GUINT64_FORMAT "%s", whole,
                 units[i].unit);
    } else {
      char frac[8];
      g_snprintf(frac, sizeof frac, "%03" G_GUINT64_FORMAT, milli);
      for (int j = 2; j > 0 && frac[j] == '0'; j--)
        frac[j] = '\0';
      g_snprintf(buf, NS_RATE_STRLEN, "%" G_GUINT64_FORMAT ".%s%s", whole, frac,
                 units[i].unit);
    }
    return buf;
  }
  g_snprintf(buf, NS_RATE_STRLEN, "%" G_GUINT64_FORMAT "bit/s", bps);
  return buf;
}

/* "0.01" or "1%"; what names the quantity in the error. */
static gboolean parse_probability(const char *s, const char *what, double *out,
                                  GError **error) {
  g_return_val_if_fail(s != NULL && out != NULL, FALSE);
  guint64 whole, frac, scale;
  const char *p = parse_decimal(s, &whole, &frac, &scale);
  double v = 0;
  if (p != NULL) {
    v = (double)whole + (double)frac / (double)scale;
    if (strcmp(p, "%") == 0) {
      v /= 100.0;
      p++;
    }
  }
  if (p == NULL || *p != '\0' || v > 1.0) {
    g_set_error(error, NS_ERROR, NS_ERROR_PARSE,
                _("'%s' is not a %s (expected 0 to 1 such as "
                  "0.01, or a percentage such as 1%%)"),
                s, what);
    return FALSE;
  }
  *out = v;
  return TRUE;
}

gboolean ns_loss_parse(const char *s, double *out, GError **error) {
  return parse_probability(s, _("loss probability"), out, error);
}

gboolean ns_probability_parse(const char *s, double *out, GError **error) {
  return parse_probability(s, _("probability"), out, error);
}
