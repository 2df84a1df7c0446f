// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the SEV-SNP attestation report parser of lib/, which
 * gk-verify and gkctl attest share.  Every region the parser hands out is
 * read in full so that ASan catches a pointer that strays outside the input.
 *
 * The parser source is included, so the target builds alone, the way
 * tests/unit/run builds the core's fuzzers:
 *
 *   clang -O1 -g -std=gnu11 -Icore -fsanitize=fuzzer,address,undefined \
 *       -o fuzz_snp_report tests/fuzz/fuzz_snp_report.c
 *   mkdir -p /tmp/snpr && ./fuzz_snp_report -max_total_time=60 \
 *       /tmp/snpr tests/fuzz/corpus/snp_report
 */
#include <stdlib.h>
#include <string.h>
#include "../../lib/snp_report.c"
#include "../include/gk_fuzz.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct gk_snp_report r;
	char why[200];
	u8 *copy;

	copy = gk_fuzz_copy(data, size);
	if (!copy)
		return 0;
	if (gk_snp_report_parse(copy, size, &r, why, sizeof(why))) {
		if (!memchr(why, 0, sizeof(why)))
			abort();
		free(copy);
		return 0;
	}
	/* Only the three appraised versions, one size, one algorithm. */
	if (size != SNP_REPORT_SIZE ||
	    (r.version != 2 && r.version != 3 && r.version != 5) ||
	    r.sig_algo != SNP_SIG_ALGO_ECDSA_P384_SHA384 ||
	    r.signing_key > SNP_SIGNING_VLEK)
		abort();
	touch(r.family_id, 16);
	touch(r.image_id, 16);
	touch(r.report_data, 64);
	touch(r.measurement, 48);
	touch(r.host_data, 32);
	touch(r.id_key_digest, 48);
	touch(r.author_key_digest, 48);
	touch(r.report_id, 32);
	touch(r.report_id_ma, 32);
	touch(r.chip_id, 64);
	touch(r.sig_r, SNP_SIG_COMP_SIZE);
	touch(r.sig_s, SNP_SIG_COMP_SIZE);
	free(copy);
	return 0;
}
