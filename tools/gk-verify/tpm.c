// SPDX-License-Identifier: GPL-2.0
/*
 * TPM 2.0 quotes: TPM2_Quote's attestation structure and signature, as
 * tpm2_quote writes them, checked against a trusted attestation key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <tss2/tss2_mu.h>
#include "tpm.h"

#define GKV_TPM_AK_MAX 4096

/* An RSA public key from its TPM form: modulus, and exponent (0: 65537). */
static int rsa_key(const TPM2B_PUBLIC_KEY_RSA *n, UINT32 exponent, EVP_PKEY **key)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *bn = BN_bin2bn(n->buffer, n->size, NULL);
	BIGNUM *be = BN_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int err = -ENOMEM;

	if (!bld || !bn || !be || !BN_set_word(be, exponent ? exponent : 65537) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1)
		goto out;
	err = EVP_PKEY_fromdata(ctx, key, EVP_PKEY_PUBLIC_KEY, params) == 1 ? 0 : -EBADMSG;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn);
	BN_free(be);
	return err;
}

/* A P-256 coordinate, left-padded to 32 bytes. */
static bool coord(const TPM2B_ECC_PARAMETER *c, u8 out[32])
{
	if (c->size > 32)
		return false;
	memset(out, 0, 32);
	memcpy(out + 32 - c->size, c->buffer, c->size);
	return true;
}

/*
 * The AK from its TPM2B_PUBLIC: a restricted signing key (the TPM signs
 * with it only what it made itself, so that no one can have it sign a
 * look-alike quote), RSA or ECC P-256.
 */
static int ak_from_public(const TPM2B_PUBLIC *p, EVP_PKEY **ak, char *msg, size_t n)
{
	const TPMT_PUBLIC *t = &p->publicArea;
	const TPMA_OBJECT need = TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN_ENCRYPT;
	u8 xy[64];
	int err;

	if ((t->objectAttributes & need) != need ||
	    (t->objectAttributes & TPMA_OBJECT_DECRYPT)) {
		snprintf(msg, n, "not an attestation key: a restricted signing key is needed");
		return -EBADMSG;
	}
	if (t->type == TPM2_ALG_RSA) {
		err = rsa_key(&t->unique.rsa, t->parameters.rsaDetail.exponent, ak);
	} else if (t->type == TPM2_ALG_ECC && t->parameters.eccDetail.curveID == TPM2_ECC_NIST_P256) {
		err = coord(&t->unique.ecc.x, xy) && coord(&t->unique.ecc.y, xy + 32) ?
		      gkv_ec_key_from_xy("P-256", xy, sizeof(xy), ak) : -EBADMSG;
	} else {
		snprintf(msg, n, "an RSA or ECC P-256 key is needed");
		return -EBADMSG;
	}
	if (err)
		snprintf(msg, n, err == -ENOMEM ? "out of memory" : "invalid public key");
	return err;
}

/**
 * gkv_tpm_ak_read() - read a trusted attestation key
 * @path: PEM or DER SubjectPublicKeyInfo (tpm2_createak -f pem), or a
 *	marshalled TPM2B_PUBLIC (tpm2_createak's default tss format)
 * @ak: set on success
 * @msg: what is wrong, on failure
 * @n: room in @msg
 *
 * Return: 0; -EBADMSG if not an RSA or P-256 key in one of these forms;
 * the errors of gk_read_file().
 */
int gkv_tpm_ak_read(const char *path, EVP_PKEY **ak, char *msg, size_t n)
{
	TPM2B_PUBLIC pub = { 0 };
	const u8 *p;
	size_t len, off = 0;
	BIO *bio = NULL;
	u8 *buf;
	int err;

	*ak = NULL;
	err = gk_read_file(path, GKV_TPM_AK_MAX, &buf, &len);
	if (err) {
		snprintf(msg, n, "%s", strerror(-err));
		return err;
	}
	if (len >= 10 && !memcmp(buf, "-----BEGIN", 10)) {
		bio = BIO_new_mem_buf(buf, (int)len);
		*ak = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
	} else if (Tss2_MU_TPM2B_PUBLIC_Unmarshal(buf, len, &off, &pub) == TSS2_RC_SUCCESS &&
		   off == len) {
		err = ak_from_public(&pub, ak, msg, n);
		goto out;
	} else {
		p = buf;
		*ak = d2i_PUBKEY(NULL, &p, (long)len);
		if (*ak && p != buf + len) {
			EVP_PKEY_free(*ak);
			*ak = NULL;
		}
	}
	if (*ak && !EVP_PKEY_is_a(*ak, "RSA") && !gkv_is_ec_key(*ak, NID_X9_62_prime256v1)) {
		EVP_PKEY_free(*ak);
		*ak = NULL;
		snprintf(msg, n, "an RSA or ECC P-256 key is needed");
		err = -EBADMSG;
	} else if (!*ak) {
		snprintf(msg, n, "not a public key (PEM, DER or TPM2B_PUBLIC)");
		err = -EBADMSG;
	}
out:
	ERR_clear_error();
	BIO_free(bio);
	free(buf);
	return err;
}

/*
 * The quote's attestation structure: tpm2_quote -m writes the TPMS_ATTEST
 * bytes the TPM signed; a TPM2B_ATTEST (their size first) is taken too.
 * The two cannot be confused: TPMS_ATTEST starts with TPM_GENERATED_VALUE,
 * 0xff544347, and no TPM2B_ATTEST is 0xff54 bytes long.  @signed_bytes is
 * set to the bytes the signature covers.
 */
static int attest_parse(const u8 *buf, size_t len, TPMS_ATTEST *a, const u8 **signed_bytes,
			size_t *signed_len)
{
	TPM2B_ATTEST *b;
	size_t off = 0;
	int err = -EBADMSG;

	if (len >= 2 && buf[0] == 0xff && buf[1] == 0x54) {
		*signed_bytes = buf;
		*signed_len = len;
	} else {
		b = calloc(1, sizeof(*b));
		if (!b)
			return -ENOMEM;
		if (Tss2_MU_TPM2B_ATTEST_Unmarshal(buf, len, &off, b) == TSS2_RC_SUCCESS &&
		    off == len) {
			/* The same bytes, two past the start of @buf. */
			*signed_bytes = buf + 2;
			*signed_len = b->size;
			err = 0;
		}
		free(b);
		if (err)
			return err;
	}
	off = 0;
	if (Tss2_MU_TPMS_ATTEST_Unmarshal(*signed_bytes, *signed_len, &off, a) != TSS2_RC_SUCCESS ||
	    off != *signed_len)
		return -EBADMSG;
	return 0;
}

/* Is @sig over @msg by @ak?  Return: 0; -EBADMSG if not, or of another kind; -ENOMEM. */
static int sig_verify(EVP_PKEY *ak, const TPMT_SIGNATURE *sig, const u8 *msg, size_t len)
{
	const TPMS_SIGNATURE_RSA *rsa = &sig->signature.rsassa;
	u8 r[32], s[32];
	EVP_PKEY_CTX *pctx;
	EVP_MD_CTX *c;
	int err;

	switch (sig->sigAlg) {
	case TPM2_ALG_ECDSA:
		if (sig->signature.ecdsa.hash != TPM2_ALG_SHA256 ||
		    !gkv_is_ec_key(ak, NID_X9_62_prime256v1) ||
		    !coord(&sig->signature.ecdsa.signatureR, r) ||
		    !coord(&sig->signature.ecdsa.signatureS, s))
			return -EBADMSG;
		return gkv_ecdsa_verify_rs(ak, EVP_sha256(), msg, len, r, s, 32, false);
	case TPM2_ALG_RSASSA:
	case TPM2_ALG_RSAPSS:
		if (rsa->hash != TPM2_ALG_SHA256 || !EVP_PKEY_is_a(ak, "RSA"))
			return -EBADMSG;
		break;
	default:
		return -EBADMSG;
	}
	c = EVP_MD_CTX_new();
	if (!c)
		return -ENOMEM;
	err = -EBADMSG;
	if (EVP_DigestVerifyInit(c, &pctx, EVP_sha256(), NULL, ak) == 1 &&
	    (sig->sigAlg == TPM2_ALG_RSASSA ||
	     (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
	      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) == 1)) &&
	    EVP_DigestVerify(c, rsa->sig.buffer, rsa->sig.size, msg, len) == 1)
		err = 0;
	ERR_clear_error();
	EVP_MD_CTX_free(c);
	return err;
}

static const char *sig_name(TPMI_ALG_SIG_SCHEME alg)
{
	return alg == TPM2_ALG_ECDSA ? "ECDSA" : alg == TPM2_ALG_RSASSA ? "RSASSA" :
	       alg == TPM2_ALG_RSAPSS ? "RSAPSS" : "unsupported";
}

/* The one PCR a selection selects, or -1 if it selects none or several. */
static long only_pcr(const TPMS_PCR_SELECTION *s)
{
	long pcr = -1;
	unsigned int i, b;

	for (i = 0; i < s->sizeofSelect && i < sizeof(s->pcrSelect); i++)
		for (b = 0; b < 8; b++) {
			if (!(s->pcrSelect[i] & 1u << b))
				continue;
			if (pcr >= 0)
				return -1;
			pcr = (long)(8 * i + b);
		}
	return pcr;
}

/*
 * The last k whose replay the quote's PCR digest is the SHA-256 of: @want's
 * last event if the log is all the PCR saw; an earlier one if the log goes
 * on after the quote was made.  Return: k, or @want->n if none.
 */
static u32 matching_prefix(const struct gkv_tpm_want *want, const TPM2B_DIGEST *d)
{
	u8 h[32];
	u32 k;

	if (d->size != sizeof(h))
		return want->n;
	for (k = want->n; k--;)
		if (!gkv_sha256(want->replay[k], 32, NULL, 0, h) && !memcmp(h, d->buffer, sizeof(h)))
			return k;
	return want->n;
}

/**
 * gkv_tpm_quote_check() - check a TPM2_Quote of one SHA-256 PCR
 * @v: the verdict; the checks "quote", "quote-signature", "nonce",
 *	"pcr-selection" and "pcr-digest" go in it, in this order, and the
 *	quote's clock in its info
 * @quote: the TPMS_ATTEST (or TPM2B_ATTEST), marshalled
 * @quote_len: its size
 * @sig: the TPMT_SIGNATURE, marshalled: RSASSA, RSAPSS or ECDSA, SHA-256
 * @sig_len: its size
 * @want: the AK, nonce, PCR and value the quote must show
 *
 * A quote of one PCR carries the digest of that PCR's value with the
 * signing scheme's hash: SHA-256(value) here.  If it is not the replay of
 * the whole log but of a part, "pcr-digest" says which.
 *
 * Return: 0 if every check passed; -EPERM otherwise; -ENOMEM.
 */
int gkv_tpm_quote_check(struct gkv_verdict *v, const u8 *quote, size_t quote_len,
			const u8 *sig, size_t sig_len, const struct gkv_tpm_want *want)
{
	const TPMS_QUOTE_INFO *q;
	TPMT_SIGNATURE ts = { 0 };
	const u8 *signed_bytes;
	size_t signed_len, off = 0;
	TPMS_ATTEST *a;
	long pcr;
	u32 k;
	int err;

	a = calloc(1, sizeof(*a));
	if (!a)
		return gkv_internal(v, -ENOMEM, "internal error: out of memory");
	err = attest_parse(quote, quote_len, a, &signed_bytes, &signed_len);
	if (err == -ENOMEM) {
		gkv_internal(v, err, "internal error: out of memory");
		goto out;
	}
	if (err) {
		err = gkv_fail(v, "quote", "not a marshalled TPMS_ATTEST or TPM2B_ATTEST");
		goto out;
	}
	if (a->magic != TPM2_GENERATED_VALUE || a->type != TPM2_ST_ATTEST_QUOTE) {
		err = gkv_fail(v, "quote", "not a TPM quote (magic 0x%08x, type 0x%04x)",
			       a->magic, a->type);
		goto out;
	}
	gkv_pass(v, "quote", "a TPM2_Quote, %zu bytes; firmware 0x%016llx", signed_len,
		 (unsigned long long)a->firmwareVersion);
	json_object_set_new(v->info, "tpm_clock", json_pack("{s:I, s:I, s:I, s:b}",
		"clock_ms", (json_int_t)a->clockInfo.clock,
		"reset_count", (json_int_t)a->clockInfo.resetCount,
		"restart_count", (json_int_t)a->clockInfo.restartCount,
		"safe", a->clockInfo.safe == TPM2_YES));
	if (Tss2_MU_TPMT_SIGNATURE_Unmarshal(sig, sig_len, &off, &ts) != TSS2_RC_SUCCESS ||
	    off != sig_len) {
		err = gkv_fail(v, "quote-signature", "not a marshalled TPMT_SIGNATURE (tpm2_quote -s, tss format)");
		goto out;
	}
	err = sig_verify(want->ak, &ts, signed_bytes, signed_len);
	if (err == -ENOMEM) {
		gkv_internal(v, err, "internal error: out of memory");
		goto out;
	}
	if (err) {
		err = gkv_fail(v, "quote-signature", "%s signature does not verify with the AK "
			       "(RSASSA, RSAPSS or ECDSA P-256, with SHA-256, are accepted)",
			       sig_name(ts.sigAlg));
		goto out;
	}
	gkv_pass(v, "quote-signature", "%s SHA-256, by the AK", sig_name(ts.sigAlg));
	if (a->extraData.size != want->nonce_len ||
	    memcmp(a->extraData.buffer, want->nonce, want->nonce_len))
		gkv_fail(v, "nonce", "the quote's extraData (%u bytes) is not the nonce",
			 a->extraData.size);
	else
		gkv_pass(v, "nonce", "the quote's extraData is the nonce");
	q = &a->attested.quote;
	pcr = q->pcrSelect.count == 1 && q->pcrSelect.pcrSelections[0].hash == TPM2_ALG_SHA256 ?
	      only_pcr(&q->pcrSelect.pcrSelections[0]) : -1;
	if (pcr < 0 || (u32)pcr != want->pcr) {
		err = gkv_fail(v, "pcr-selection", "the quote must select SHA-256 PCR %u alone", want->pcr);
		goto out;
	}
	gkv_pass(v, "pcr-selection", "SHA-256 PCR %u alone", want->pcr);
	k = matching_prefix(want, &q->pcrDigest);
	if (k == want->n - 1)
		gkv_pass(v, "pcr-digest", "the quoted PCR %u is the replay of the log", want->pcr);
	else if (k < want->n)
		err = gkv_fail(v, "pcr-digest", "replay does not match the quoted PCR: it is the replay "
			       "of events 0..%u, %u more are in the log", k, want->n - 1 - k);
	else
		err = gkv_fail(v, "pcr-digest", "replay does not match the quoted PCR");
out:
	free(a);
	return gkv_accepted(v) ? 0 : err ? err : -EPERM;
}
