/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the evidence parsers of lib/ (tdx_quote.c, snp_report.c) share:
 * failing with the reason in the caller's @why, and reserved bytes that
 * must be zero.
 */
#ifndef GK_LIB_PARSE_H
#define GK_LIB_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Say why in @why (@whylen bytes, parameters of the caller) and return @err. */
#define FAIL(err, ...) do { \
	snprintf(why, whylen, __VA_ARGS__); \
	return (err); \
} while (0)

static inline bool gk_all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

#endif /* GK_LIB_PARSE_H */
