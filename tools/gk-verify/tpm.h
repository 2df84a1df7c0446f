/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TPM 2.0 quotes as tpm2-tools writes them (tpm2_quote -m QUOTE -s SIG):
 * a marshalled TPMS_ATTEST (or TPM2B_ATTEST) and TPMT_SIGNATURE, checked
 * against an attestation key (AK) the relying party already trusts.  The
 * TPM structures are unmarshalled by tpm2-tss's libtss2-mu, the signature
 * checked by OpenSSL.  Where the AK comes from (its EK, credential
 * activation) is the caller's business: it is trusted as given.
 */
#ifndef GKV_TPM_H
#define GKV_TPM_H

#include "verifier.h"

/* TPM2B_DATA: the most qualifying data (nonce) a quote carries. */
#define GKV_TPM_NONCE_MAX 64

/* What one quote is checked against. */
struct gkv_tpm_want {
	EVP_PKEY *ak;			/* the attestation key */
	const u8 *nonce;		/* extraData, exactly */
	size_t nonce_len;
	u32 pcr;			/* the one SHA-256 PCR it must select */
	/* Its value: the replay, replay[k] the PCR after event k of @n. */
	const u8 (*replay)[32];
	u32 n;
};

int gkv_tpm_ak_read(const char *path, EVP_PKEY **ak, char *msg, size_t n);
int gkv_tpm_quote_check(struct gkv_verdict *v, const u8 *quote, size_t quote_len,
			const u8 *sig, size_t sig_len, const struct gkv_tpm_want *want);

#endif /* GKV_TPM_H */
