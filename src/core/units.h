/* units.h — bit rates and loss probabilities, as people write them.
 *
 * One parser and one printer for each, shared by topology files, the
 * console and the tables, so "10Mbit" means the same everywhere and is
 * printed back the same way.
 *   rate: "100Mbit", "1.5Mbit/s", "10kbit", "1500bit", "1Gbps" (units bit,
 *         kbit, Mbit, Gbit or bps, kbps, Mbps, Gbps, any case, "/s"
 *         allowed), "0" or "unlimited" for no serialization delay; at most
 *         1 Tbit/s.
 *   loss and other probabilities: "0.01" (0 to 1) or a percentage "1%".
 */
#pragma once

#include "core/addr.h"

G_BEGIN_DECLS

#define NS_RATE_MAX G_GUINT64_CONSTANT(1000000000000) /* 1 Tbit/s */
#define NS_RATE_STRLEN 32

/* Bits per second into *bps (0 = unlimited). */
gboolean ns_rate_parse(const char *s, guint64 *bps, GError **error);
/* "100Mbit/s", "1.5Mbit/s", "unlimited". */
char *ns_rate_format(guint64 bps, char buf[NS_RATE_STRLEN]);
/* A probability 0..1 into *p. */
gboolean ns_loss_parse(const char *s, double *p, GError **error);
/* The same, for any probability (duplicate=, corrupt=): the error says
 * "probability" rather than "loss probability". */
gboolean ns_probability_parse(const char *s, double *p, GError **error);

G_END_DECLS
