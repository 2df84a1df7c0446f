/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AMD SEV-SNP attestation report (SEV Secure Nested Paging Firmware ABI
 * Specification, ATTESTATION_REPORT).  0x4A0 bytes; the signature at 0x2A0
 * covers 0x000..0x29F.  Versions 2, 3 (CPUID fields) and 5 (mitigation
 * vectors) are appraised; the parser is pure and fuzzable.
 */
#ifndef GK_LIB_SNP_REPORT_H
#define GK_LIB_SNP_REPORT_H

#include "gk_shim.h"
#include "gk_attest_format.h"	/* gk_attest_get_le64() */

#define SNP_REPORT_SIZE 0x4a0
#define SNP_SIGNED_SIZE 0x2a0
#define SNP_SIG_ALGO_ECDSA_P384_SHA384 1
#define SNP_SIG_COMP_SIZE 72		/* r and s, little-endian, zero-extended */

/* POLICY bits */
#define SNP_POLICY_SMT (1ULL << 16)
#define SNP_POLICY_RESERVED_MBO (1ULL << 17)
#define SNP_POLICY_MIGRATE_MA (1ULL << 18)
#define SNP_POLICY_DEBUG (1ULL << 19)
#define SNP_POLICY_SINGLE_SOCKET (1ULL << 20)
#define SNP_POLICY_KNOWN_V2 ((1ULL << 25) - 1)	/* bits 0..24 */
#define SNP_POLICY_KNOWN_V5 ((1ULL << 26) - 1)	/* adds PAGE_SWAP_DISABLE */

/* KEY_INFO (0x48) */
#define SNP_KEY_AUTHOR_KEY_EN (1U << 0)
#define SNP_KEY_MASK_CHIP_KEY (1U << 1)
#define SNP_KEY_SIGNING_SHIFT 2
#define SNP_KEY_SIGNING_MASK (7U << 2)
#define SNP_KEY_KNOWN 0x1fU
#define SNP_SIGNING_VCEK 0
#define SNP_SIGNING_VLEK 1
#define SNP_SIGNING_NONE 7

struct gk_snp_report {
	const u8 *raw;
	u32 version;
	u32 guest_svn;
	u64 policy;
	const u8 *family_id, *image_id;		/* 16 each */
	u32 vmpl;
	u32 sig_algo;
	u64 current_tcb;
	u64 platform_info;
	u32 key_info;
	u32 signing_key;			/* SNP_SIGNING_* */
	const u8 *report_data;			/* 64 */
	const u8 *measurement;			/* 48 */
	const u8 *host_data;			/* 32 */
	const u8 *id_key_digest, *author_key_digest;	/* 48 each */
	const u8 *report_id, *report_id_ma;	/* 32 each */
	u64 reported_tcb;
	bool has_cpuid;				/* version >= 3 */
	u8 cpuid_fam, cpuid_mod, cpuid_step;
	const u8 *chip_id;			/* 64 */
	u64 committed_tcb, launch_tcb;
	u8 current_build, current_minor, current_major;
	u8 committed_build, committed_minor, committed_major;
	bool has_mit;				/* version >= 5 */
	u64 launch_mit_vector, current_mit_vector;
	const u8 *sig_r, *sig_s;		/* SNP_SIG_COMP_SIZE each */
};

int gk_snp_report_parse(const u8 *buf, size_t len, struct gk_snp_report *r,
			 char *why, size_t whylen);

#endif /* GK_LIB_SNP_REPORT_H */
