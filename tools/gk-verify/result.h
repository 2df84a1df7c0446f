/* SPDX-License-Identifier: GPL-2.0 */
/* Signed attestation results for the kernel (gk_attest_format.h). */
#ifndef GKV_RESULT_H
#define GKV_RESULT_H

#include "verifier.h"
#include "gk_attest_format.h"

#define GKV_DEFAULT_VALIDITY 300	/* seconds */

int gkv_result_build(const struct gkv_verdict *v, u32 tee,
		     const u8 nonce[GK_ATTEST_NONCE_SIZE], u64 validity,
		     X509 *cert, struct gk_attest_result *out);
int gkv_result_sign(const struct gk_attest_result *res, X509 *cert,
		    EVP_PKEY *key, u8 **env, size_t *env_len);
int gkv_result_check(const u8 *env, size_t len, X509 *cert, const u8 *nonce,
		     time_t now, struct gkv_verdict *v);

#endif /* GKV_RESULT_H */
