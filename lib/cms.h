/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The detached CMS signatures the kernel verifies: over bundle manifests
 * (gk-sign), policies (gkctl policy sign) and attestation results
 * (gk-verify).
 */
#ifndef GK_LIB_CMS_H
#define GK_LIB_CMS_H

#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "gk_shim.h"

int gk_cms_sign(X509 *cert, EVP_PKEY *key, const u8 *data, size_t len, u8 **sig,
		size_t *sig_len);

#endif /* GK_LIB_CMS_H */
