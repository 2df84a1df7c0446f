// SPDX-License-Identifier: GPL-2.0
/*
 * Results and errors, plain or JSON, the same in every tool.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include "output.h"

bool gk_json;

/* Print one JSON document on a line of stdout, and drop the reference. */
void gk_json_print(json_t *j)
{
	if (!j) {
		fprintf(stderr, "%s: out of memory\n", program_invocation_short_name);
		return;
	}
	json_dumpf(j, stdout, JSON_ENCODE_ANY);
	putchar('\n');
	json_decref(j);
}

static void gk_verr(const char *suffix, const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0) {
		fprintf(stderr, "%s: out of memory\n", program_invocation_short_name);
		return;
	}
	if (gk_json) {
		gk_json_print(json_pack("{s:s++}", "error", msg, suffix ? ": " : "",
					suffix ? suffix : ""));
	} else {
		fprintf(stderr, "%s: %s%s%s\n", program_invocation_short_name, msg,
			suffix ? ": " : "", suffix ? suffix : "");
	}
	free(msg);
}

/* Report an error: on stderr, or as a JSON object on stdout with --json. */
void gk_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gk_verr(NULL, fmt, ap);
	va_end(ap);
}

/* Report a usage error; the caller exits with GK_EXIT_USAGE. */
int gk_usage_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	gk_err("%s (see \"%s --help\")", msg ? msg : "usage error", cmd);
	free(msg);
	return GK_EXIT_USAGE;
}

/* Report an error with OpenSSL's reason for it, and clear its queue. */
void gk_ossl_err(const char *fmt, ...)
{
	const char *why = NULL, *data;
	char buf[256];
	unsigned long e;
	va_list ap;
	int flags;

	e = ERR_peek_last_error_data(&data, &flags);
	if (e) {
		why = ERR_SYSTEM_ERROR(e) ? strerror(ERR_GET_REASON(e)) : ERR_reason_error_string(e);
		/* Such as the reason a certificate chain does not verify. */
		if (why && (flags & ERR_TXT_STRING) && *data) {
			snprintf(buf, sizeof(buf), "%s (%s)", why, data);
			why = buf;
		}
	}
	va_start(ap, fmt);
	gk_verr(why, fmt, ap);
	va_end(ap);
	ERR_clear_error();
}
