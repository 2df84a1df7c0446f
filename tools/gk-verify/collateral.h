/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel TDX collateral: the pinned Intel SGX Root CA, the CRLs, TCB Info and
 * QE Identity, read from a directory (docs/verifier.md lists its files).
 * Loading verifies the collateral's own signatures, chains and freshness at
 * the evaluation time once, so that many quotes can be appraised against it
 * (gk-verify --repeat); the outcome is kept as checks that every appraisal
 * repeats in its verdict.  The PCK chains quotes carry are checked against
 * it once each, too (pck.c).
 */
#ifndef GKV_COLLATERAL_H
#define GKV_COLLATERAL_H

#include "verifier.h"
#include "refvalues.h"

#define GKV_MAX_TCB_LEVELS 64
#define GKV_MAX_MODULE_IDS 8
#define GKV_MAX_ID_LEVELS 32

struct gkv_tcb_level {
	u8 sgx[16];
	u32 pcesvn;
	u8 tdx[16];
	enum gkv_tcb status;
	char date[24];
};

struct gkv_id_level {
	u32 isvsvn;
	enum gkv_tcb status;
};

struct gkv_module_id {
	char id[16];			/* "TDX_01" */
	u8 mrsigner[48];
	u8 attributes[8];
	u8 attributes_mask[8];
	int nlevels;
	struct gkv_id_level levels[GKV_MAX_ID_LEVELS];
};

struct gkv_tcb_info {
	u32 version;
	time_t issue, next;
	u8 fmspc[6];
	u8 pceid[2];
	u32 eval_num;
	bool has_module;		/* "tdxModule" */
	struct gkv_module_id module;	/* its id is empty */
	int nmods;			/* "tdxModuleIdentities" */
	struct gkv_module_id mods[GKV_MAX_MODULE_IDS];
	int nlevels;
	struct gkv_tcb_level levels[GKV_MAX_TCB_LEVELS];
};

struct gkv_qe_identity {
	u32 version;
	time_t issue, next;
	u32 eval_num;
	u32 miscselect, miscselect_mask;
	u8 attributes[16], attributes_mask[16];
	u8 mrsigner[32];
	u32 isvprodid;
	int nlevels;
	struct gkv_id_level levels[GKV_MAX_ID_LEVELS];
};

struct gkv_pck_seen;

struct gkv_tdx_collateral {
	time_t now;
	X509 *root;			/* the only trust anchor */
	X509_CRL *pck_crl, *root_crl;
	STACK_OF(X509_CRL) *crls;	/* both, or NULL if CRLs are not used */
	bool tcb_ok;			/* TCB Info parsed, signed, fresh */
	bool qe_present, qe_ok;
	struct gkv_tcb_info tcb;
	struct gkv_qe_identity qe;
	struct gkv_verdict load;	/* the checks loading made */
	struct gkv_pck_seen *pck_seen;	/* PCK chains checked against it (pck.c) */
};

int gkv_tdx_collateral_load(struct gkv_tdx_collateral *col, const char *dir,
			    const char *root_path, const struct gkv_ref *ref,
			    time_t now);
void gkv_tdx_collateral_free(struct gkv_tdx_collateral *col);
int gkv_json_signed_span(const char *text, size_t len, json_t *value,
			 const char **start, size_t *span);

#endif /* GKV_COLLATERAL_H */
