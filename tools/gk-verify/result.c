// SPDX-License-Identifier: GPL-2.0
/*
 * Attestation results: the statement of gk_attest_format.h, signed as a
 * detached CMS SignedData by gk_cms_sign(), the function gk-sign signs
 * manifests and gkctl signs policies with (SHA-256, no signed attributes,
 * signer identified by issuer and serial number), so the kernel's
 * verify_pkcs7_signature() can check it against the .gatekeeper keyring.
 * check-result verifies one the same way, for tests and for whoever
 * writes the kernel side.
 *
 * The verifier's identity (verifier_id) is gk_key_fingerprint() of its
 * certificate: SHA-256 of the subjectPublicKey BIT STRING's contents, what
 * the kernel's X.509 parser keeps as public_key->key and what a policy's
 * "verifier NAME key HEX" names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include "cms.h"
#include "x509.h"
#include "result.h"

_Static_assert(GK_ATTEST_ID_SIZE == GK_KEY_FPR_SIZE,
	       "verifier_id is a key fingerprint");

static u32 tee_code(const char *tee)
{
	if (!strcmp(tee, "tdx"))
		return GK_TEE_TDX;
	if (!strcmp(tee, "snp"))
		return GK_TEE_SNP;
	if (!strcmp(tee, "sim"))
		return GK_TEE_SIM;
	return 0;
}

/**
 * gkv_result_build() - the statement for an accepted verdict
 * @v: the verdict; must be accepted
 * @tee: GK_TEE_*
 * @nonce: the challenge the evidence answered
 * @validity: seconds from the evaluation time until the result expires
 * @cert: the verifier's signing certificate
 * @out: filled
 *
 * The issue time is the evaluation time, so results made with --time are
 * dated then, not when the tool ran.
 *
 * Return: 0; -EINVAL if the verdict cannot be stated (not accepted, wrong
 * measurement count, unrepresentable times).
 */
int gkv_result_build(const struct gkv_verdict *v, u32 tee,
		     const u8 nonce[GK_ATTEST_NONCE_SIZE], u64 validity,
		     X509 *cert, struct gk_attest_result *out)
{
	const struct gk_attest_result *chk;
	int i;

	if (!gkv_accepted(v) || tee != tee_code(v->tee) || v->now < 0 ||
	    !validity || validity > 365ULL * 86400 ||
	    v->nmeas > GK_ATTEST_MAX_MEAS)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	memcpy(out->magic, GK_ATTEST_MAGIC, sizeof(out->magic));
	gk_put_le32((u8 *)&out->version, GK_ATTEST_V1);
	gk_put_le32((u8 *)&out->size, GK_ATTEST_RESULT_SIZE);
	gk_put_le32((u8 *)&out->tee, tee);
	gk_put_le32((u8 *)&out->tcb_status, (u32)v->tcb_code);
	gk_put_le32((u8 *)&out->meas_count, (u32)v->nmeas);
	gk_attest_put_le64(out->issued_at, (u64)v->now);
	gk_attest_put_le64(out->expires_at, (u64)v->now + validity);
	memcpy(out->nonce, nonce, GK_ATTEST_NONCE_SIZE);
	if (gk_key_fingerprint(cert, out->verifier_id))
		return -EINVAL;
	memcpy(out->report_data, v->report_data, GK_ATTEST_REPORT_DATA_SIZE);
	for (i = 0; i < v->nmeas; i++)
		memcpy(out->measurements[i], v->meas[i], GK_ATTEST_MEAS_SIZE);
	/* What the kernel will check, checked here first. */
	return gk_attest_result_check((const u8 *)out, sizeof(*out), &chk);
}

/**
 * gkv_result_sign() - sign a statement and wrap it in an envelope
 * @res: the statement
 * @cert: signing certificate (included in the signature)
 * @key: its private key
 * @env: set to a malloc()ed envelope
 * @env_len: set to its size
 *
 * Return: 0; -EINVAL if OpenSSL refuses the key or certificate; -ENOMEM.
 */
int gkv_result_sign(const struct gk_attest_result *res, X509 *cert,
		    EVP_PKEY *key, u8 **env, size_t *env_len)
{
	struct gk_attest_envelope_hdr h;
	u8 *der = NULL, *buf;
	size_t derlen;
	int err = -EINVAL;

	if (X509_check_private_key(cert, key) != 1)
		goto out;
	err = gk_cms_sign(cert, key, (const u8 *)res, sizeof(*res), &der, &derlen);
	if (err)
		goto out;
	err = -EINVAL;
	if (!derlen || derlen > GK_ATTEST_SIG_MAX)
		goto out;
	err = -ENOMEM;
	buf = malloc(sizeof(h) + sizeof(*res) + (size_t)derlen);
	if (!buf)
		goto out;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, GK_ATTEST_ENV_MAGIC, sizeof(h.magic));
	gk_put_le32((u8 *)&h.version, GK_ATTEST_ENV_V1);
	gk_put_le32((u8 *)&h.result_len, sizeof(*res));
	gk_put_le32((u8 *)&h.sig_len, (u32)derlen);
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), res, sizeof(*res));
	memcpy(buf + sizeof(h) + sizeof(*res), der, derlen);
	*env = buf;
	*env_len = sizeof(h) + sizeof(*res) + derlen;
	err = 0;
out:
	ERR_clear_error();
	OPENSSL_free(der);
	return err;
}

static const char *tee_name(u32 tee)
{
	return tee == GK_TEE_TDX ? "tdx" : tee == GK_TEE_SNP ? "snp" :
	       tee == GK_TEE_SIM ? "sim" : "unknown";
}

/* Verify the detached CMS signature the way the kernel will: signed by
 * @cert's key, SHA-256, no signed attributes. */
static int cms_check(const u8 *sig, size_t sig_len, const u8 *data,
		     size_t len, X509 *cert, char *msg, size_t n)
{
	const unsigned char *p = sig;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig_len);
	STACK_OF(CMS_SignerInfo) *sis;
	STACK_OF(X509) *certs = sk_X509_new_null();
	CMS_SignerInfo *si;
	X509_ALGOR *dig = NULL, *alg = NULL;
	BIO *d = BIO_new_mem_buf(data, (int)len);
	int err = -EKEYREJECTED;

	if (!cms || p != sig + sig_len) {
		snprintf(msg, n, "signature is not one DER CMS object");
		goto out;
	}
	sis = CMS_get0_SignerInfos(cms);
	if (!sis || sk_CMS_SignerInfo_num(sis) != 1) {
		snprintf(msg, n, "signature must have exactly one signer");
		goto out;
	}
	si = sk_CMS_SignerInfo_value(sis, 0);
	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &alg);
	if (CMS_signed_get_attr_count(si) > 0) {
		snprintf(msg, n, "signature has signed attributes");
		goto out;
	}
	if (!dig || OBJ_obj2nid(dig->algorithm) != NID_sha256) {
		snprintf(msg, n, "signature digest is not SHA-256");
		goto out;
	}
	if (!certs || !d || !sk_X509_push(certs, cert)) {
		err = -ENOMEM;
		goto out;
	}
	/* Trust exactly @cert: find the signer among it alone, no chain. */
	if (CMS_verify(cms, certs, NULL, d, NULL, CMS_BINARY | CMS_NOINTERN |
		       CMS_NO_SIGNER_CERT_VERIFY) != 1) {
		snprintf(msg, n, "signature does not verify with the given certificate");
		goto out;
	}
	err = 0;
out:
	ERR_clear_error();
	BIO_free(d);
	sk_X509_free(certs);
	CMS_ContentInfo_free(cms);
	return err;
}

/**
 * gkv_result_check() - verify an attestation result envelope
 * @env: the envelope
 * @len: its size
 * @cert: the verifier certificate to trust
 * @nonce: the nonce it must carry, or NULL
 * @now: it must not have expired at this time
 * @v: verdict, initialised by the caller
 *
 * Return: 0 when the verdict is complete; -errno on an internal failure.
 */
int gkv_result_check(const u8 *env, size_t len, X509 *cert, const u8 *nonce,
		     time_t now, struct gkv_verdict *v)
{
	const struct gk_attest_result *r;
	const u8 *sig;
	size_t sig_len;
	char msg[200], a[32], b[32];
	u8 id[GK_ATTEST_ID_SIZE];
	u64 iss, exp;
	u32 i, count;

	if (gk_attest_envelope_parse(env, len, &r, &sig, &sig_len)) {
		gkv_fail(v, "result_parse", "not a valid attestation result envelope");
		return 0;
	}
	v->tee = tee_name(gk_get_le32((const u8 *)&r->tee));
	iss = gk_attest_get_le64(r->issued_at);
	exp = gk_attest_get_le64(r->expires_at);
	gkv_fmt_time((time_t)iss, a);
	gkv_fmt_time((time_t)exp, b);
	gkv_pass(v, "result_parse", "statement v1 for %s, issued %s, expires %s",
		 v->tee, a, b);
	count = gk_get_le32((const u8 *)&r->meas_count);
	for (i = 0; i < count; i++)
		gkv_set_meas(v, gk_get_le32((const u8 *)&r->tee) == GK_TEE_TDX ?
			     (const char *[]){ "mrtd", "rtmr0", "rtmr1", "rtmr2",
					       "rtmr3" }[i] : "measurement",
			     r->measurements[i]);
	memcpy(v->report_data, r->report_data, 64);
	v->have_report_data = true;
	v->tcb_code = (int)gk_get_le32((const u8 *)&r->tcb_status);
	snprintf(v->tcb_status, sizeof(v->tcb_status), "%d", v->tcb_code);
	json_object_set_new(v->info, "issued_at", json_string(a));
	json_object_set_new(v->info, "expires_at", json_string(b));

	if (cms_check(sig, sig_len, (const u8 *)r, GK_ATTEST_RESULT_SIZE, cert,
		      msg, sizeof(msg)))
		gkv_fail(v, "result_signature", "result signature invalid: %s", msg);
	else
		gkv_pass(v, "result_signature", "detached CMS, SHA-256, no signed attributes, by the given certificate");
	if (gk_key_fingerprint(cert, id) || memcmp(id, r->verifier_id, sizeof(id)))
		gkv_fail(v, "verifier_id", "verifier_id is not the given certificate's key");
	else
		gkv_pass(v, "verifier_id", "verifier_id is SHA-256 of the certificate's key");
	if ((u64)now < iss)
		gkv_fail(v, "result_time", "result issued in the future (%s)", a);
	else if ((u64)now > exp)
		gkv_fail(v, "result_time", "result expired at %s", b);
	else
		gkv_pass(v, "result_time", "result valid until %s", b);
	if (!nonce)
		gkv_skip(v, "nonce", "no --nonce given");
	else if (memcmp(nonce, r->nonce, GK_ATTEST_NONCE_SIZE))
		gkv_fail(v, "nonce", "result is for another nonce");
	else
		gkv_pass(v, "nonce", "result carries the nonce");
	return v->internal;
}
