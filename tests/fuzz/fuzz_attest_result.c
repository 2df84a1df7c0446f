// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the attestation result envelope and statement parser
 * that the kernel module runs on what is written to securityfs
 * attest_result (core/gk_attest.c).  It aborts if a parse succeeds with a
 * statement or signature outside the input, or breaks the documented
 * rules, or fails with an undocumented errno.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "../../core/gk_attest.c"
#include "../include/gk_fuzz.h"


int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	const struct gk_attest_result *res;
	const u8 *sig;
	size_t sig_len, i;
	u8 *copy;
	int err;

	copy = gk_fuzz_copy(data, size);
	if (!copy)
		return 0;
	err = gk_attest_envelope_parse(copy, size, &res, &sig, &sig_len);
	if (err) {
		if (err != -EBADMSG && err != -EPROTONOSUPPORT)
			abort();
		free(copy);
		return 0;
	}
	if ((const u8 *)res < copy || (const u8 *)(res + 1) > copy + size ||
	    sig < copy || sig + sig_len != copy + size || !sig_len ||
	    sig_len > GK_ATTEST_SIG_MAX ||
	    gk_attest_get_le64(res->expires_at) <= gk_attest_get_le64(res->issued_at))
		abort();
	for (i = 0; i < sig_len; i++)
		sink ^= sig[i];
	free(copy);
	return 0;
}
