/* SPDX-License-Identifier: GPL-2.0 */
/* attest.c: the attestation result held for confidential programs */
#ifndef GATEKEEPER_ATTEST_H
#define GATEKEEPER_ATTEST_H

#include <linux/types.h>
#include "gk_format.h"

struct seq_file;

struct gk_attestation {
	u64 valid_until;		/* boot clock, ns; 0: none */
	u32 tee, tcb_status;
	u8 measurement[48];		/* the first measurement (MRTD, MEASUREMENT) */
	u8 verifier[GK_DIGEST_SIZE];	/* fingerprint of the verifier key */
};

void gk_attest_nonce(u8 out[32]);
int gk_attest_load(const u8 *buf, size_t len);
int gk_attest_current(struct gk_attestation *att);
int gk_attest_in_force(struct gk_attestation *att);
int gk_attest_kfuncs_register(void);
void gk_attest_status(struct seq_file *m);

#endif /* GATEKEEPER_ATTEST_H */
