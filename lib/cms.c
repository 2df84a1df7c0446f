// SPDX-License-Identifier: GPL-2.0
/*
 * Detached CMS signatures, as verify_pkcs7_signature() takes them.
 */
#include <errno.h>
#include <openssl/cms.h>
#include "cms.h"

/**
 * gk_cms_sign() - a detached signature over @data, as the kernel verifies it
 * @cert: the signer's certificate, included in the signature
 * @key: its private key
 * @data: the signed bytes (a manifest, a policy text)
 * @len: their length
 * @sig: set to the DER CMS SignedData, to be freed with OPENSSL_free()
 * @sig_len: set to its length
 *
 * SHA-256, no signed attributes: what "openssl cms -sign -binary -noattr
 * -md sha256 -outform DER" makes and the kernel's verify_pkcs7_signature()
 * takes.  OpenSSL's reason for a failure stays queued for gk_ossl_err().
 *
 * Return: 0, -ENOMEM, or -EINVAL if OpenSSL cannot sign (a key that does
 * not match @cert, say).
 */
int gk_cms_sign(X509 *cert, EVP_PKEY *key, const u8 *data, size_t len, u8 **sig,
		size_t *sig_len)
{
	const unsigned int flags = CMS_DETACHED | CMS_BINARY | CMS_NOATTR;
	CMS_ContentInfo *cms;
	int n, err = -EINVAL;
	BIO *in;

	in = BIO_new_mem_buf(data, len);
	if (!in)
		return -ENOMEM;
	cms = CMS_sign(NULL, NULL, NULL, NULL, flags | CMS_PARTIAL);
	if (!cms)
		goto out_bio;
	if (!CMS_add1_signer(cms, cert, key, EVP_sha256(), flags) ||
	    CMS_final(cms, in, NULL, flags) != 1)
		goto out_cms;
	*sig = NULL;
	n = i2d_CMS_ContentInfo(cms, sig);
	if (n > 0) {
		*sig_len = n;
		err = 0;
	}
out_cms:
	CMS_ContentInfo_free(cms);
out_bio:
	BIO_free(in);
	return err;
}
