/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reference values: what the relying party accepts (docs/verifier.md has
 * the JSON schema).  Absent lists mean "any value"; everything else has a
 * strict default so that running without --ref is never the weak option.
 */
#ifndef GKV_REFVALUES_H
#define GKV_REFVALUES_H

#include <stdbool.h>
#include <jansson.h>
#include <openssl/evp.h>
#include "gk_attest_format.h"

/* Intel TCB statuses; the first six share their codes with GK_TCB_*. */
enum gkv_tcb {
	GKV_TCB_NONE = 0,
	GKV_TCB_UP_TO_DATE = GK_TCB_UP_TO_DATE,
	GKV_TCB_SW_HARDENING_NEEDED = GK_TCB_SW_HARDENING_NEEDED,
	GKV_TCB_CONFIG_NEEDED = GK_TCB_CONFIGURATION_NEEDED,
	GKV_TCB_CONFIG_SW_HARDENING_NEEDED =
		GK_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED,
	GKV_TCB_OUT_OF_DATE = GK_TCB_OUT_OF_DATE,
	GKV_TCB_OUT_OF_DATE_CONFIG_NEEDED =
		GK_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED,
	GKV_TCB_REVOKED = 7,
	GKV_TCB_MAX
};

enum gkv_tcb gkv_tcb_from_name(const char *s);
const char *gkv_tcb_name(enum gkv_tcb t);

#define GKV_BINDING_EXTRA_MAX 1024

/* SNP TCB components a minimum can be set for. */
enum { GKV_SNP_BL, GKV_SNP_TEE, GKV_SNP_SNP, GKV_SNP_UCODE, GKV_SNP_FMC,
       GKV_SNP_NCOMP };
extern const char *const gkv_snp_comp_names[GKV_SNP_NCOMP];

enum { GKV_TDX_MRTD, GKV_TDX_RTMR0, GKV_TDX_RTMR1, GKV_TDX_RTMR2,
       GKV_TDX_RTMR3, GKV_TDX_NMR };
extern const char *const gkv_tdx_mr_names[GKV_TDX_NMR];

struct gkv_ref {
	bool allow_sim;
	bool debug_forbidden;
	bool measurements_unchecked;	/* no measurement list: said, not refused */
	json_t *tdx, *snp;		/* the TEEs' objects (field constraints) */
	/* nonce_binding: NULL, the gate's; else REPORT_DATA starts with
	 * binding_md(nonce || extra), or with the nonce itself (md_null). */
	const EVP_MD *binding_md;
	const char *binding_name;	/* "SHA-512", for messages */
	u8 binding_extra[GKV_BINDING_EXTRA_MAX];
	size_t binding_extra_len;
	/* TDX */
	json_t *tdx_mr[GKV_TDX_NMR];	/* arrays of hex, or NULL: any */
	unsigned int tdx_tcb_ok;	/* bit (1 << enum gkv_tcb) */
	bool require_crls;
	bool require_qe_identity;
	/* SNP */
	json_t *snp_measurement;
	bool snp_min_set[GKV_SNP_NCOMP];
	unsigned int snp_min[GKV_SNP_NCOMP];
	/* sim */
	json_t *sim_measurement;
	/* ebpf: requirements on what the measurement log proves */
	json_t *ebpf;			/* the object, or NULL: none */
	bool ebpf_version_min_set;
	u64 ebpf_version_min;
	bool ebpf_locked, ebpf_no_audit;
	json_t *ebpf_publishers;	/* array of names, or NULL: any */
	json_t *root;			/* owns the lists above */
};

void gkv_ref_defaults(struct gkv_ref *r);
int gkv_ref_parse(json_t *root, struct gkv_ref *r, char *msg, size_t n);
int gkv_ref_load(const char *path, struct gkv_ref *r, char *msg, size_t n);
void gkv_ref_free(struct gkv_ref *r);
bool gkv_ref_allows(const json_t *list, const u8 *val, size_t n);
struct gkv_verdict;
void gkv_unlisted_measurements(struct gkv_verdict *v, const struct gkv_ref *ref);
void gkv_check_measurement(struct gkv_verdict *v, const struct gkv_ref *ref,
			   const json_t *list, const u8 *m, const char *field);

#endif /* GKV_REFVALUES_H */
