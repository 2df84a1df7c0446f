// SPDX-License-Identifier: GPL-2.0
/*
 * The nonce binding of TEE evidence, for the attester and the verifier.
 */
#include <errno.h>
#include <string.h>
#include <openssl/evp.h>
#include "nonce.h"

/*
 * What the TEE must put in REPORTDATA[0..31] for a verifier nonce.
 * Return: 0, or -ENOMEM with @out all 0xff, which never matches a binding.
 */
int gk_nonce_binding(const u8 nonce[GK_ATTEST_NONCE_SIZE], u8 out[GK_NONCE_BINDING_SIZE])
{
	u8 msg[sizeof(GK_NONCE_LABEL) - 1 + GK_ATTEST_NONCE_SIZE];

	memcpy(msg, GK_NONCE_LABEL, sizeof(GK_NONCE_LABEL) - 1);
	memcpy(msg + sizeof(GK_NONCE_LABEL) - 1, nonce, GK_ATTEST_NONCE_SIZE);
	if (EVP_Digest(msg, sizeof(msg), out, NULL, EVP_sha256(), NULL) == 1)
		return 0;
	memset(out, 0xff, GK_NONCE_BINDING_SIZE);
	return -ENOMEM;
}

/* The 64-byte REPORTDATA the attester asks for: the binding, then zeros. */
int gk_report_data(const u8 nonce[GK_ATTEST_NONCE_SIZE], u8 out[GK_ATTEST_REPORT_DATA_SIZE])
{
	memset(out + GK_NONCE_BINDING_SIZE, 0, GK_ATTEST_REPORT_DATA_SIZE - GK_NONCE_BINDING_SIZE);
	return gk_nonce_binding(nonce, out);
}
