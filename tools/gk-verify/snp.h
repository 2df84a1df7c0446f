/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AMD SEV-SNP appraisal.  The endorsement certificates (VCEK or VLEK, and
 * ASK/ASVK + ARK) play the part of collateral: loaded and verified once at
 * the evaluation time, their checks repeated in every verdict.
 */
#ifndef GKV_SNP_H
#define GKV_SNP_H

#include "verifier.h"
#include "refvalues.h"

enum gkv_snp_kind { GKV_SNP_KEY_UNKNOWN, GKV_SNP_KEY_VCEK, GKV_SNP_KEY_VLEK };

struct gkv_snp_certs {
	time_t now;
	X509 *ek;			/* VCEK or VLEK */
	X509 *ask;			/* ASK (VCEK) or ASVK (VLEK) */
	X509 *ark;
	enum gkv_snp_kind kind;
	char product[32];		/* "Milan", "Genoa", "Turin", ... */
	bool turin_tcb;			/* TCB_VERSION has the Turin layout */
	bool ek_usable;			/* a P-384 key to check signatures */
	struct gkv_verdict load;
};

int gkv_snp_certs_load(struct gkv_snp_certs *c, const char *ek_path,
		       const char *chain_path, time_t now);
void gkv_snp_certs_free(struct gkv_snp_certs *c);
int gkv_snp_appraise(const struct gkv_snp_certs *c, const struct gkv_ref *ref,
		     const struct gkv_nonce *nonce, const u8 *report, size_t len,
		     struct gkv_verdict *v);
int gkv_snp_floor(const struct gkv_snp_certs *c, const u8 *report, size_t len,
		  struct gkv_floor *f);

#endif /* GKV_SNP_H */
