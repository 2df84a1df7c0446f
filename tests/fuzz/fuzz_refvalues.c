// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: gk-verify's reference values (tools/gk-verify/
 * refvalues.c and fields.c), the relying party's policy.  The input is the
 * JSON text; what parses is then appraised against fixed evidence facts of
 * both TEEs, so that every constraint a fuzzed file can express is
 * evaluated, with its messages formatted.
 *
 *   clang -O1 -g -std=gnu11 -Icore -Ilib -fsanitize=fuzzer,address,undefined \
 *       -o fuzz_refvalues tests/fuzz/fuzz_refvalues.c -lcrypto -ljansson
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "../../lib/hex.c"
#include "../../tools/gk-verify/fields.c"
#include "../../tools/gk-verify/refvalues.c"
#include "../include/gk_fuzz.h"

static unsigned int verdicts;

/* The verdict's recorders (tools/gk-verify/verdict.c), formatting only. */
static void note(const char *name, const char *fmt, va_list ap)
{
	char buf[512];

	if (!name || !*name || vsnprintf(buf, sizeof(buf), fmt, ap) < 0)
		abort();
	verdicts++;
}

void gkv_pass(struct gkv_verdict *v, const char *name, const char *fmt, ...)
{
	va_list ap;

	(void)v;
	va_start(ap, fmt);
	note(name, fmt, ap);
	va_end(ap);
}

int gkv_fail(struct gkv_verdict *v, const char *name, const char *fmt, ...)
{
	va_list ap;

	(void)v;
	va_start(ap, fmt);
	note(name, fmt, ap);
	va_end(ap);
	return 0;
}

void gkv_skip(struct gkv_verdict *v, const char *name, const char *fmt, ...)
{
	va_list ap;

	(void)v;
	va_start(ap, fmt);
	note(name, fmt, ap);
	va_end(ap);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const u8 bytes[64] = { 1, 2, 3, 4 };
	struct gkv_fact facts[GKV_SNP_NFIELDS + GKV_TDX_NFIELDS];
	struct gkv_ref r;
	json_error_t je;
	char msg[256];
	json_t *root;
	size_t i;

	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return 0;
	gkv_ref_defaults(&r);
	msg[0] = '\0';
	if (gkv_ref_parse(root, &r, msg, sizeof(msg))) {
		if (!msg[0] || !memchr(msg, 0, sizeof(msg)))
			abort();
		gkv_ref_free(&r);
		return 0;
	}
	for (i = 0; i < sizeof(facts) / sizeof(facts[0]); i++)
		facts[i] = (struct gkv_fact){ .bytes = bytes, .num = 0x30001ULL * i };
	gkv_fields_check(NULL, r.snp, gkv_snp_fields, GKV_SNP_NFIELDS, facts);
	gkv_fields_check(NULL, r.tdx, gkv_tdx_fields, GKV_TDX_NFIELDS, facts + GKV_SNP_NFIELDS);
	gkv_check_measurement(NULL, &r, r.snp_measurement, bytes, "MEASUREMENT");
	gkv_ref_free(&r);
	return 0;
}
