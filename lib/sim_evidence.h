/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "sim" TEE: evidence signed by an ordinary local key, so the whole
 * verifier -> attestation result -> kernel path can be tested on machines
 * without TDX or SEV-SNP.  It proves nothing about isolation and is only
 * accepted when the reference values say "allow_sim": true.
 *
 * Evidence, version 1 (all integers little-endian):
 *   0   8  magic "GKSIMEV1"
 *   8   4  version, 1
 *   12  4  sig_len, 1..GK_SIM_SIG_MAX
 *   16  64 report_data
 *   80  48 measurement
 *   128 4  flags: bit 0 GK_SIM_FLAG_DEBUG, every other bit zero
 *   132 12 reserved, zero
 *   144 sig_len  signature over bytes 0..143 (SHA-256; ECDSA DER, or RSA
 *                PKCS#1 v1.5, or Ed25519), nothing after it
 *
 * The format is shared by the attester (gkctl attest evidence --tee sim)
 * and the verifier (gk-verify sim-evidence, and gk-verify sim, whose
 * appraisal is its own).
 */
#ifndef GK_LIB_SIM_EVIDENCE_H
#define GK_LIB_SIM_EVIDENCE_H

#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "gk_shim.h"

#define GK_SIM_MAGIC "GKSIMEV1"
#define GK_SIM_V1 1
#define GK_SIM_HDR_SIZE 144
#define GK_SIM_SIG_MAX 1024
#define GK_SIM_FLAGS_OFF 128

/* flags: the simulated TEE is debuggable, as TDX TD_ATTRIBUTES.DEBUG or
 * SEV-SNP POLICY.DEBUG say of a real one. */
#define GK_SIM_FLAG_DEBUG 0x1U
#define GK_SIM_FLAGS_KNOWN GK_SIM_FLAG_DEBUG

struct gk_sim_evidence {
	const u8 *report_data;		/* 64 */
	const u8 *measurement;		/* 48 */
	u32 flags;			/* GK_SIM_FLAG_* */
	const u8 *sig;
	u32 sig_len;
};

int gk_sim_parse(const u8 *buf, size_t len, struct gk_sim_evidence *e,
		 char *why, size_t whylen);
int gk_sim_make(EVP_PKEY *key, X509 *cert, const u8 report_data[64],
		const u8 measurement[48], u32 flags, u8 **out, size_t *len);
int gk_sim_verify(EVP_PKEY *key, const u8 *ev, const struct gk_sim_evidence *e);

#endif /* GK_LIB_SIM_EVIDENCE_H */
