/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel TDX quote, versions 4 and 5 (Intel's sgx_quote_4.h, sgx_quote_5.h;
 * "Intel TDX DCAP Quoting Library API", appendix A).  The parser only
 * splits and bounds-checks; it verifies nothing, and depends on nothing but
 * gk_shim.h so the fuzzer can drive it alone.  gk_tdx_pck_chain() decodes
 * the PCK chain it found with OpenSSL.  gk-verify appraises quotes; gkctl
 * attest evidence checks that the TEE's are what gk-verify will parse.
 *
 *   header (48) | [v5: body type u16, body size u32] | TD report body
 *   | sig data len u32 | sig data:
 *       quote signature r||s (64) | attestation key x||y (64)
 *       | cert data: type u16 (6) | size u32 |
 *           QE report (384) | QE report signature (64)
 *           | QE auth data: size u16 | bytes
 *           | cert data: type u16 (5) | size u32 | PCK chain, PEM
 */
#ifndef GK_LIB_TDX_QUOTE_H
#define GK_LIB_TDX_QUOTE_H

#include <openssl/x509.h>
#include "gk_shim.h"

#define TDX_HDR_SIZE 48
#define TDX_V5_DESC_SIZE 6
#define TDX_BODY10_SIZE 584		/* body type 2: TDX 1.0 */
#define TDX_BODY15_SIZE 648		/* body type 3: TDX 1.5 */
#define TDX_BODY_TYPE_SGX 1
#define TDX_BODY_TYPE_TD10 2
#define TDX_BODY_TYPE_TD15 3
#define TDX_ATT_KEY_ECDSA_P256 2
#define TDX_TEE_TYPE_TDX 0x81
#define TDX_CERT_QE_REPORT 6
#define TDX_CERT_PCK_CHAIN 5
#define SGX_REPORT_BODY_SIZE 384

/* TD report body offsets, shared by body types 2 and 3. */
#define TDB_TEE_TCB_SVN 0x000		/* 16 */
#define TDB_MR_SEAM 0x010		/* 48 */
#define TDB_MR_SIGNER_SEAM 0x040	/* 48 */
#define TDB_SEAM_ATTRIBUTES 0x070	/* 8 */
#define TDB_TD_ATTRIBUTES 0x078		/* 8 */
#define TDB_XFAM 0x080			/* 8 */
#define TDB_MR_TD 0x088			/* 48 */
#define TDB_MR_CONFIG_ID 0x0b8		/* 48 */
#define TDB_MR_OWNER 0x0e8		/* 48 */
#define TDB_MR_OWNER_CONFIG 0x118	/* 48 */
#define TDB_RTMR0 0x148			/* 4 x 48 */
#define TDB_REPORT_DATA 0x208		/* 64 */
#define TDB_TEE_TCB_SVN2 0x248		/* 16, type 3 only */
#define TDB_MR_SERVICETD 0x258		/* 48, type 3 only */

/* SGX report body (the QE's report) offsets. */
#define SGXR_CPUSVN 0
#define SGXR_MISCSELECT 16
#define SGXR_ATTRIBUTES 48
#define SGXR_MRENCLAVE 64
#define SGXR_MRSIGNER 128
#define SGXR_ISVPRODID 256
#define SGXR_ISVSVN 258
#define SGXR_REPORT_DATA 320

/* TD_ATTRIBUTES bit 0: the TD is debuggable, its memory readable by the host. */
#define TDX_TD_ATTR_DEBUG 0x1ULL

struct gk_tdx_quote {
	const u8 *raw;
	size_t len;
	u16 version;
	u16 att_key_type;
	u32 tee_type;
	const u8 *qe_vendor_id;		/* 16 */
	u16 body_type;			/* 2 for every v4 quote */
	const u8 *body;
	u32 body_size;
	size_t signed_len;		/* header through body */
	u32 sig_data_len;
	const u8 *sig;			/* r || s, big-endian */
	const u8 *att_key;		/* x || y */
	const u8 *qe_report;		/* SGX_REPORT_BODY_SIZE */
	const u8 *qe_report_sig;	/* r || s */
	const u8 *qe_auth;
	u16 qe_auth_len;
	const u8 *pck_chain;		/* PEM, leaf first */
	u32 pck_chain_len;
	size_t trailing;		/* unsigned bytes after the sig data */

	/* TD report body fields */
	const u8 *tee_tcb_svn, *mr_seam, *mr_signer_seam, *seam_attributes;
	const u8 *td_attributes, *xfam, *mr_td, *mr_config_id, *mr_owner;
	const u8 *mr_owner_config, *rtmr[4], *report_data;
	const u8 *tee_tcb_svn2, *mr_servicetd;	/* NULL for body type 2 */

	/* QE report fields */
	const u8 *qe_cpusvn, *qe_attributes, *qe_mrenclave, *qe_mrsigner;
	const u8 *qe_report_data;
	u32 qe_miscselect;
	u16 qe_isvprodid, qe_isvsvn;
};

/* The most certificates gk_tdx_pck_chain() takes: leaf, CA and root are 3. */
#define GK_TDX_PCK_CHAIN_MAX 8

int gk_tdx_quote_parse(const u8 *buf, size_t len, struct gk_tdx_quote *q,
		       char *why, size_t whylen);
int gk_tdx_pck_chain(const struct gk_tdx_quote *q, STACK_OF(X509) **out);

#endif /* GK_LIB_TDX_QUOTE_H */
