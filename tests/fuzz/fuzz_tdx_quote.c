// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the TDX quote parser of lib/, then what gk-verify's
 * appraisal does next with the quote's own bytes (PEM chain, PCK SGX
 * extension).  Every region the parser hands out is read in full so that
 * ASan catches a pointer or length that strays outside the input.
 *
 * The sources are included, so the target builds alone, the way
 * tests/unit/run builds the core's fuzzers:
 *
 *   clang -O1 -g -std=gnu11 -Icore -fsanitize=fuzzer,address,undefined \
 *       -o fuzz_tdx_quote tests/fuzz/fuzz_tdx_quote.c -lcrypto
 *   mkdir -p /tmp/tdxq && ./fuzz_tdx_quote -max_total_time=60 -max_len=16384 \
 *       /tmp/tdxq tests/fuzz/corpus/tdx_quote
 */
#include "../../lib/tdx_quote.c"
#include "../include/gk_fuzz.h"
#include "../../tools/gk-verify/pck.c"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct gk_tdx_quote q;
	struct gkv_pck_ext ext;
	STACK_OF(X509) *certs;
	char why[200];
	u8 *copy;
	int i;

	copy = gk_fuzz_copy(data, size);
	if (!copy)
		return 0;
	if (gk_tdx_quote_parse(copy, size, &q, why, sizeof(why))) {
		if (!memchr(why, 0, sizeof(why)))
			abort();
		free(copy);
		return 0;
	}
	if (q.signed_len > size || q.trailing > size ||
	    q.body + q.body_size != copy + q.signed_len)
		abort();
	touch(copy, q.signed_len);
	touch(q.sig, 64);
	touch(q.att_key, 64);
	touch(q.qe_report, SGX_REPORT_BODY_SIZE);
	touch(q.qe_report_sig, 64);
	touch(q.qe_auth, q.qe_auth_len);
	touch(q.pck_chain, q.pck_chain_len);
	touch(q.report_data, 64);
	for (i = 0; i < 4; i++)
		touch(q.rtmr[i], 48);
	touch(q.tee_tcb_svn2, q.tee_tcb_svn2 ? 16 : 0);
	touch(q.mr_servicetd, q.mr_servicetd ? 48 : 0);
	touch(copy + size - q.trailing, q.trailing);

	if (!gk_tdx_pck_chain(&q, &certs)) {
		gkv_pck_ext_parse(sk_X509_value(certs, 0), &ext, why, sizeof(why));
		sk_X509_pop_free(certs, X509_free);
	}
	free(copy);
	return 0;
}
