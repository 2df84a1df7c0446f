// SPDX-License-Identifier: GPL-2.0
/*
 * Times: the evaluation time (--time) and Intel's collateral dates, read
 * as ASN.1 GeneralizedTime by OpenSSL, which checks every field (no
 * February 30th); and how the verdict writes them.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <openssl/asn1.h>
#include <openssl/err.h>
#include "verifier.h"

/* Whether @s is @layout, a 'd' in which stands for a digit. */
static bool gkv_time_layout(const char *s, const char *layout)
{
	for (; *layout; s++, layout++)
		if (*layout == 'd' ? *s < '0' || *s > '9' : *s != *layout)
			return false;
	return !*s;
}

/*
 * @s in @layout (YYYY-MM-DD, midnight, or YYYY-MM-DDTHH:MM:SSZ) has its
 * digits in GeneralizedTime order: "YYYYMMDDHHMMSSZ" once the missing
 * time is zeros.
 */
static int gkv_time_parse(const char *s, const char *layout, time_t *out)
{
	char gt[sizeof("YYYYMMDDHHMMSSZ")];
	ASN1_TIME *a;
	size_t n = 0;
	int err;

	if (!gkv_time_layout(s, layout))
		return -EINVAL;
	for (; *s; s++)
		if (*s >= '0' && *s <= '9')
			gt[n++] = *s;
	while (n < sizeof(gt) - 2)
		gt[n++] = '0';
	gt[n++] = 'Z';
	gt[n] = '\0';
	a = ASN1_TIME_new();
	if (!a)
		return -ENOMEM;
	err = ASN1_TIME_set_string_X509(a, gt) == 1 ? gkv_asn1_time(a, out) : -EINVAL;
	ASN1_TIME_free(a);
	ERR_clear_error();
	return err;
}

/* --time: YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ. */
int gkv_parse_time(const char *s, time_t *out)
{
	return gkv_time_parse(s, "dddd-dd-dd", out) &&
	       gkv_time_parse(s, "dddd-dd-ddTdd:dd:ddZ", out) ? -EINVAL : 0;
}

/* Intel collateral dates: exactly YYYY-MM-DDTHH:MM:SSZ. */
int gkv_parse_iso8601(const char *s, time_t *out)
{
	return gkv_time_parse(s, "dddd-dd-ddTdd:dd:ddZ", out);
}

void gkv_fmt_time(time_t t, char buf[32])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, 32, "@%lld", (long long)t);
}

int gkv_asn1_time(const ASN1_TIME *a, time_t *out)
{
	struct tm tm;
	time_t t;

	if (!a || ASN1_TIME_to_tm(a, &tm) != 1)
		return -EINVAL;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -EINVAL;
	*out = t;
	return 0;
}
