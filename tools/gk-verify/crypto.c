// SPDX-License-Identifier: GPL-2.0
/*
 * Thin wrappers around OpenSSL for the appraisals: raw ECDSA signatures,
 * certificates and their chains.  All cryptography and ASN.1 is OpenSSL's;
 * this file only adapts formats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include "verifier.h"

/* SHA-256(a || b); b may be NULL. */
int gkv_sha256(const void *a, size_t alen, const void *b, size_t blen,
	       u8 out[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok;

	if (!c)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1 &&
	     EVP_DigestUpdate(c, a, alen) == 1 &&
	     (!b || EVP_DigestUpdate(c, b, blen) == 1) &&
	     EVP_DigestFinal_ex(c, out, NULL) == 1;
	EVP_MD_CTX_free(c);
	return ok ? 0 : -ENOMEM;
}

/**
 * gkv_ec_key_from_xy() - public key from raw affine coordinates
 * @group: "P-256" or "P-384"
 * @xy: x || y, big-endian, each half of @n
 * @n: 64 for P-256, 96 for P-384
 * @key: set on success
 *
 * OpenSSL's point decoding rejects points not on the curve, and the quick
 * public check the point at infinity.  The full check's n * Q = O adds
 * nothing on P-256 and P-384, whose cofactor is 1, but costs a scalar
 * multiplication, as much as the signature check the key is made for.
 *
 * Return: 0; -EBADMSG for an invalid point; -ENOMEM.
 */
int gkv_ec_key_from_xy(const char *group, const u8 *xy, size_t n,
		       EVP_PKEY **key)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL, *chk = NULL;
	u8 pt[1 + 2 * 66];
	int err = -ENOMEM;

	*key = NULL;
	if (n > sizeof(pt) - 1 || !bld)
		goto out;
	pt[0] = 0x04;	/* uncompressed point */
	memcpy(pt + 1, xy, n);
	if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					     group, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					      pt, n + 1))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1)
		goto out;
	err = -EBADMSG;
	if (EVP_PKEY_fromdata(ctx, key, EVP_PKEY_PUBLIC_KEY, params) != 1)
		goto out;
	chk = EVP_PKEY_CTX_new_from_pkey(NULL, *key, NULL);
	if (!chk || EVP_PKEY_public_check_quick(chk) != 1) {
		EVP_PKEY_free(*key);
		*key = NULL;
		goto out;
	}
	err = 0;
out:
	ERR_clear_error();
	EVP_PKEY_CTX_free(chk);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return err;
}

bool gkv_is_ec_key(EVP_PKEY *key, int nid)
{
	char name[64];
	size_t len;

	if (!key || !EVP_PKEY_is_a(key, "EC"))
		return false;
	if (EVP_PKEY_get_group_name(key, name, sizeof(name), &len) != 1)
		return false;
	return OBJ_txt2nid(name) == nid;
}

/**
 * gkv_ecdsa_verify_rs() - verify an ECDSA signature given as raw r and s
 * @key: the public key
 * @md: the digest the signer used
 * @msg: the signed bytes
 * @len: their number
 * @r: r, @n bytes
 * @s: s, @n bytes
 * @n: size of each of r and s
 * @le: r and s are little-endian (AMD) rather than big-endian (Intel)
 *
 * Return: 0 if valid; -EBADMSG if not; -ENOMEM.
 */
int gkv_ecdsa_verify_rs(EVP_PKEY *key, const EVP_MD *md, const u8 *msg,
			size_t len, const u8 *r, const u8 *s, size_t n, bool le)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *br, *bs;
	EVP_MD_CTX *c = NULL;
	u8 *der = NULL;
	int derlen, err = -ENOMEM;

	if (!sig)
		return -ENOMEM;
	br = le ? BN_lebin2bn(r, (int)n, NULL) : BN_bin2bn(r, (int)n, NULL);
	bs = le ? BN_lebin2bn(s, (int)n, NULL) : BN_bin2bn(s, (int)n, NULL);
	if (!br || !bs || ECDSA_SIG_set0(sig, br, bs) != 1) {
		BN_free(br);
		BN_free(bs);
		goto out;
	}
	derlen = i2d_ECDSA_SIG(sig, &der);
	c = EVP_MD_CTX_new();
	if (derlen <= 0 || !c)
		goto out;
	err = -EBADMSG;
	if (EVP_DigestVerifyInit(c, NULL, md, NULL, key) == 1 &&
	    EVP_DigestVerify(c, der, (size_t)derlen, msg, len) == 1)
		err = 0;
out:
	ERR_clear_error();
	EVP_MD_CTX_free(c);
	OPENSSL_free(der);
	ECDSA_SIG_free(sig);
	return err;
}

/*
 * The only certificate of a file, PEM or DER (a pinned root, a VCEK): a
 * file that holds more is refused.
 * Return: 0; as gk_read_certs(); or -EBADMSG for more than one.
 */
int gkv_read_cert(const char *path, X509 **cert)
{
	STACK_OF(X509) *sk;
	int err = gk_read_certs(path, &sk);

	if (err)
		return err;
	*cert = sk_X509_num(sk) == 1 ? sk_X509_shift(sk) : NULL;
	sk_X509_pop_free(sk, X509_free);
	return *cert ? 0 : -EBADMSG;
}

void gkv_cert_cn(X509 *c, char *buf, size_t n)
{
	X509_NAME *name = c ? X509_get_subject_name(c) : NULL;

	if (!name || X509_NAME_get_text_by_NID(name, NID_commonName, buf,
					       (int)n) < 0)
		snprintf(buf, n, "(no CN)");
}

/* Whether the subject's common name is @want: how vendor CAs are told apart. */
bool gkv_cert_cn_is(X509 *c, const char *want)
{
	char cn[128];

	gkv_cert_cn(c, cn, sizeof(cn));
	return !strcmp(cn, want);
}

/**
 * gkv_cert_window() - is @now inside the certificate's validity?
 * @c: the certificate
 * @now: evaluation time
 * @what: how to name it in @msg, e.g. "VLEK"
 * @msg: explanation on failure
 * @n: room in @msg
 *
 * notAfter is inclusive (RFC 5280 4.1.2.5).
 *
 * Return: 0; -EKEYEXPIRED after notAfter; -EKEYREJECTED before notBefore
 * or for unreadable dates.
 */
int gkv_cert_window(X509 *c, time_t now, const char *what, char *msg,
		    size_t n)
{
	time_t nb, na;
	char ts[32];

	if (gkv_asn1_time(X509_get0_notBefore(c), &nb) ||
	    gkv_asn1_time(X509_get0_notAfter(c), &na)) {
		snprintf(msg, n, "%s certificate has unreadable validity dates",
			 what);
		return -EKEYREJECTED;
	}
	if (now < nb) {
		gkv_fmt_time(nb, ts);
		snprintf(msg, n, "%s certificate not valid before %s", what, ts);
		return -EKEYREJECTED;
	}
	if (now > na) {
		gkv_fmt_time(na, ts);
		snprintf(msg, n, "%s certificate expired at %s", what, ts);
		return -EKEYEXPIRED;
	}
	gkv_fmt_time(na, ts);
	snprintf(msg, n, "%s certificate valid until %s", what, ts);
	return 0;
}

/**
 * gkv_verify_chain() - verify @leaf up to the pinned @root at @now
 * @leaf: the certificate to verify
 * @untrusted: intermediates, may be NULL
 * @root: the only trust anchor
 * @crls: if not NULL, every certificate of the chain, the root included,
 *        must be covered by a current CRL from this set
 * @now: evaluation time for certificates and CRLs
 * @check_ss: also verify the root's self-signature
 * @msg: explanation on failure
 * @n: room in @msg
 *
 * Return: 0; -EKEYREJECTED if the chain does not verify; -ENOMEM.
 */
int gkv_verify_chain(X509 *leaf, STACK_OF(X509) *untrusted, X509 *root,
		     STACK_OF(X509_CRL) *crls, time_t now, bool check_ss,
		     char *msg, size_t n)
{
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	unsigned long flags = 0;
	int err = -ENOMEM, rc;

	if (!st || !ctx || X509_STORE_add_cert(st, root) != 1)
		goto out;
	if (X509_STORE_CTX_init(ctx, st, leaf, untrusted) != 1)
		goto out;
	X509_STORE_CTX_set_time(ctx, 0, now);
	if (crls) {
		X509_STORE_CTX_set0_crls(ctx, crls);
		flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
	}
	if (check_ss)
		flags |= X509_V_FLAG_CHECK_SS_SIGNATURE;
	X509_STORE_CTX_set_flags(ctx, flags);
	rc = X509_verify_cert(ctx);
	if (rc == 1) {
		err = 0;
	} else {
		int e = X509_STORE_CTX_get_error(ctx);
		X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
		char cn[128];

		gkv_cert_cn(cur, cn, sizeof(cn));
		snprintf(msg, n, "%s (certificate '%s', depth %d)",
			 X509_verify_cert_error_string(e), cn,
			 X509_STORE_CTX_get_error_depth(ctx));
		err = -EKEYREJECTED;
	}
out:
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	return err;
}

/**
 * gkv_floor_run() - make a floor's signature checks once
 * @f: the checks
 *
 * Return: 0 if every signature is valid; -EBADMSG if one is not (it is
 * checked all the same: the floor times the work, not the verdict).
 */
int gkv_floor_run(const struct gkv_floor *f)
{
	int i, err = 0;

	for (i = 0; i < f->n; i++) {
		const struct gkv_floor_sig *s = &f->sig[i];

		if (s->cert ? X509_verify(s->cert, s->key) != 1 :
		    gkv_ecdsa_verify_rs(s->key, s->md, s->msg, s->len, s->r, s->s,
					s->rs_len, s->le))
			err = -EBADMSG;
	}
	ERR_clear_error();
	return err;
}

void gkv_floor_free(struct gkv_floor *f)
{
	EVP_PKEY_free(f->key);
	sk_X509_pop_free(f->certs, X509_free);
	memset(f, 0, sizeof(*f));
}
