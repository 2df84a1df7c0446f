/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eBPF GateKeeper attestation result: the statement gk-verify signs when it
 * accepts a TEE's evidence, and the envelope that carries the statement and
 * its signature to the kernel module.  This header is the only definition
 * of these formats; docs/attestation-result.md describes the same bytes for
 * people.  It needs nothing but gk_shim.h so the kernel can include it.
 *
 * All integers are little-endian and unaligned (64-bit values are byte
 * arrays read with gk_attest_get_le64(), because gk_shim.h has no __le64
 * for userspace).  Reserved fields and unused measurement slots must be
 * zero; readers reject anything else so the fields can be given a meaning
 * later without old readers misinterpreting new data.
 */
#ifndef GK_ATTEST_FORMAT_H
#define GK_ATTEST_FORMAT_H

#include "gk_shim.h"

/*
 * Statement, version 1: what the verifier vouches for.  It is signed whole,
 * exactly these GK_ATTEST_RESULT_SIZE bytes, as a detached PKCS#7 (CMS)
 * SignedData in DER, SHA-256, without signed attributes: the form
 * verify_pkcs7_signature() accepts, made like gk-sign makes bundle
 * signatures:
 *
 *     openssl cms -sign -binary -noattr -outform DER -md sha256 ...
 */
#define GK_ATTEST_MAGIC "GKATRS\0\1"
#define GK_ATTEST_V1 1

/* tee: which kind of TEE produced the evidence. */
#define GK_TEE_TDX 1		/* Intel TDX quote v4/v5 */
#define GK_TEE_SNP 2		/* AMD SEV-SNP attestation report */
#define GK_TEE_SIM 3		/* software simulation: tests only, never trust */

/*
 * tcb_status: the platform's standing when it was appraised.  1-6 are
 * Intel's TCB statuses (the TDX quote's, converged with the TDX module and
 * QE identity statuses).  AMD publishes no status: an SNP result says
 * either that REPORTED_TCB met the verifier's per-component minimum, or
 * that no minimum was configured so the TCB was not graded at all (a
 * kernel policy may refuse the latter).  Revoked platforms are never
 * accepted, so no code exists for them.
 */
#define GK_TCB_UP_TO_DATE 1
#define GK_TCB_SW_HARDENING_NEEDED 2
#define GK_TCB_CONFIGURATION_NEEDED 3
#define GK_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED 4
#define GK_TCB_OUT_OF_DATE 5
#define GK_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED 6
#define GK_TCB_MINIMUM_MET 16	/* SEV-SNP */
#define GK_TCB_SIMULATED 17	/* GK_TEE_SIM */
#define GK_TCB_UNGRADED 18	/* SEV-SNP, no minimum configured */

#define GK_ATTEST_NONCE_SIZE 32
#define GK_ATTEST_ID_SIZE 32		/* SHA-256 */
#define GK_ATTEST_REPORT_DATA_SIZE 64
#define GK_ATTEST_MEAS_SIZE 48
#define GK_ATTEST_MAX_MEAS 5

/*
 * measurements[], in this order, meas_count of them:
 *   GK_TEE_TDX: MRTD, RTMR0, RTMR1, RTMR2, RTMR3 (5)
 *   GK_TEE_SNP: MEASUREMENT (1)
 *   GK_TEE_SIM: the simulated measurement (1)
 */
struct gk_attest_result {
	u8 magic[8];
	__le32 version;
	__le32 size;			/* GK_ATTEST_RESULT_SIZE */
	__le32 tee;			/* GK_TEE_* */
	__le32 tcb_status;		/* GK_TCB_* */
	__le32 meas_count;
	__le32 reserved0;
	u8 issued_at[8];		/* __le64 seconds since the epoch, UTC */
	u8 expires_at[8];		/* __le64; the result is void after it */
	u8 nonce[GK_ATTEST_NONCE_SIZE];	/* the challenge the TEE answered */
	u8 verifier_id[GK_ATTEST_ID_SIZE];
	u8 report_data[GK_ATTEST_REPORT_DATA_SIZE];
	u8 measurements[GK_ATTEST_MAX_MEAS][GK_ATTEST_MEAS_SIZE];
	u8 reserved1[16];
};

#define GK_ATTEST_RESULT_SIZE 432
_Static_assert(sizeof(struct gk_attest_result) == GK_ATTEST_RESULT_SIZE,
	       "struct gk_attest_result must have no padding");

/*
 * Envelope, version 1: the header, the statement, then its signature.
 * Written whole, in one write(), like a bundle.
 */
#define GK_ATTEST_ENV_MAGIC "GKATENV1"
#define GK_ATTEST_ENV_V1 1
#define GK_ATTEST_SIG_MAX (16 * 1024)

struct gk_attest_envelope_hdr {
	u8 magic[8];
	__le32 version;
	__le32 result_len;		/* GK_ATTEST_RESULT_SIZE */
	__le32 sig_len;			/* 1..GK_ATTEST_SIG_MAX */
	__le32 reserved;
};

_Static_assert(sizeof(struct gk_attest_envelope_hdr) == 24,
	       "struct gk_attest_envelope_hdr must have no padding");

static inline u64 gk_attest_get_le64(const u8 *p)
{
	return (u64)gk_get_le32(p) | (u64)gk_get_le32(p + 4) << 32;
}

static inline void gk_attest_put_le64(u8 *p, u64 v)
{
	gk_put_le32(p, (u32)v);
	gk_put_le32(p + 4, (u32)(v >> 32));
}

int gk_attest_result_check(const u8 *buf, size_t len,
			   const struct gk_attest_result **res);
int gk_attest_envelope_parse(const u8 *buf, size_t len,
			     const struct gk_attest_result **res,
			     const u8 **sig, size_t *sig_len);

#endif /* GK_ATTEST_FORMAT_H */
