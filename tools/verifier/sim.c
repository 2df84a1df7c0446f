// SPDX-License-Identifier: GPL-2.0
/*
 * The software "sim" TEE (format in sim.h).  The allow_sim gate is the
 * first check after parsing, so simulated evidence is refused for that
 * reason, plainly, before anything else is said about it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include "sim.h"

static const EVP_MD *sim_md(EVP_PKEY *key)
{
	/* EdDSA hashes internally and takes no digest. */
	return EVP_PKEY_is_a(key, "ED25519") ? NULL : EVP_sha256();
}

/**
 * gkv_sim_parse() - check and split sim evidence
 * @buf: the evidence
 * @len: its size; must be exactly header + signature
 * @e: filled on success
 * @why: what is wrong, on failure
 * @whylen: room in @why
 *
 * Return: 0; -EBADMSG if malformed; -EPROTONOSUPPORT for another version.
 */
int gkv_sim_parse(const u8 *buf, size_t len, struct gkv_sim_evidence *e,
		  char *why, size_t whylen)
{
	size_t i;

	if (len < GKV_SIM_HDR_SIZE || memcmp(buf, GKV_SIM_MAGIC, 8)) {
		snprintf(why, whylen, "not sim evidence (%zu bytes, bad magic or truncated header)",
			 len);
		return -EBADMSG;
	}
	if (gk_get_le32(buf + 8) != GKV_SIM_V1) {
		snprintf(why, whylen, "unsupported sim evidence version %u",
			 gk_get_le32(buf + 8));
		return -EPROTONOSUPPORT;
	}
	e->sig_len = gk_get_le32(buf + 12);
	if (!e->sig_len || e->sig_len > GKV_SIM_SIG_MAX ||
	    e->sig_len != len - GKV_SIM_HDR_SIZE) {
		snprintf(why, whylen, "signature length %u does not match the %zu bytes after the header",
			 e->sig_len, len - GKV_SIM_HDR_SIZE);
		return -EBADMSG;
	}
	for (i = 128; i < GKV_SIM_HDR_SIZE; i++)
		if (buf[i]) {
			snprintf(why, whylen, "reserved bytes are not zero");
			return -EBADMSG;
		}
	e->report_data = buf + 16;
	e->measurement = buf + 80;
	e->sig = buf + GKV_SIM_HDR_SIZE;
	return 0;
}

int gkv_sim_make(EVP_PKEY *key, const u8 report_data[64],
		 const u8 measurement[48], u8 **out, size_t *len)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	size_t siglen = GKV_SIM_SIG_MAX;
	u8 *buf = calloc(1, GKV_SIM_HDR_SIZE + GKV_SIM_SIG_MAX);
	int err = -ENOMEM;

	if (!c || !buf)
		goto out;
	memcpy(buf, GKV_SIM_MAGIC, 8);
	gk_put_le32(buf + 8, GKV_SIM_V1);
	memcpy(buf + 16, report_data, 64);
	memcpy(buf + 80, measurement, 48);
	/* The length is signed too: sign with the maximum, then fix it up
	 * and sign again now the real length is known. */
	err = -EINVAL;
	if (EVP_DigestSignInit(c, NULL, sim_md(key), NULL, key) != 1 ||
	    EVP_DigestSign(c, NULL, &siglen, buf, GKV_SIM_HDR_SIZE) != 1 ||
	    siglen > GKV_SIM_SIG_MAX)
		goto out;
	/* ECDSA DER lengths vary by a byte or two: retry until stable. */
	for (int tries = 0; tries < 16; tries++) {
		size_t got = GKV_SIM_SIG_MAX;

		gk_put_le32(buf + 12, (u32)siglen);
		if (EVP_DigestSignInit(c, NULL, sim_md(key), NULL, key) != 1 ||
		    EVP_DigestSign(c, buf + GKV_SIM_HDR_SIZE, &got, buf,
				   GKV_SIM_HDR_SIZE) != 1)
			goto out;
		if (got == siglen) {
			*out = buf;
			*len = GKV_SIM_HDR_SIZE + siglen;
			buf = NULL;
			err = 0;
			goto out;
		}
		siglen = got;
	}
out:
	ERR_clear_error();
	EVP_MD_CTX_free(c);
	free(buf);
	return err;
}

/**
 * gkv_sim_appraise() - appraise sim evidence
 * @cert: the certificate of the key that signs sim evidence (trusted as is)
 * @ref: reference values; "allow_sim" must be true
 * @nonce: GKV_NONCE_SIZE bytes the evidence must answer, or NULL
 * @ev: the evidence
 * @len: its size
 * @v: verdict, initialised by the caller
 *
 * Return: 0 when the verdict is complete; -errno on an internal failure.
 */
int gkv_sim_appraise(X509 *cert, const struct gkv_ref *ref, const u8 *nonce,
		     const u8 *ev, size_t len, struct gkv_verdict *v)
{
	struct gkv_sim_evidence e;
	EVP_PKEY *key = X509_get0_pubkey(cert);
	EVP_MD_CTX *c;
	char why[200], msg[320];
	u8 want[32];
	int ok;

	if (gkv_sim_parse(ev, len, &e, why, sizeof(why))) {
		gkv_fail(v, "evidence_parse", "sim evidence parse error: %s", why);
		return 0;
	}
	gkv_pass(v, "evidence_parse", "sim evidence version 1");
	gkv_set_meas(v, "measurement", e.measurement);
	memcpy(v->report_data, e.report_data, 64);
	v->have_report_data = true;

	if (!ref->allow_sim)
		gkv_fail(v, "allow_sim", "simulated TEE evidence is not accepted: the reference values do not set \"allow_sim\": true");
	else
		gkv_pass(v, "allow_sim", "reference values allow the simulated TEE (tests only)");

	c = EVP_MD_CTX_new();
	if (!c || !key)
		return gkv_internal(v, -ENOMEM, "out of memory");
	ok = EVP_DigestVerifyInit(c, NULL, sim_md(key), NULL, key) == 1 &&
	     EVP_DigestVerify(c, e.sig, e.sig_len, ev, GKV_SIM_HDR_SIZE) == 1;
	EVP_MD_CTX_free(c);
	ERR_clear_error();
	if (ok)
		gkv_pass(v, "evidence_signature", "signed by the sim key");
	else
		gkv_fail(v, "evidence_signature", "sim evidence signature invalid");

	if (gkv_cert_window(cert, v->now, "sim", msg, sizeof(msg)))
		gkv_fail(v, "sim_certificate", "%s", msg);
	else
		gkv_pass(v, "sim_certificate", "%s", msg);

	snprintf(v->tcb_status, sizeof(v->tcb_status), "Simulated");
	v->tcb_code = GK_TCB_SIMULATED;
	if (!gkv_ref_allows(ref->sim_measurement, e.measurement, 48))
		gkv_fail(v, "measurements", "measurement is not in the reference values");
	else
		gkv_pass(v, "measurements", ref->sim_measurement ?
			 "measurement matches the reference values" :
			 "no reference measurements configured: any accepted");
	if (!nonce) {
		gkv_skip(v, "nonce", "no --nonce given: freshness not checked");
	} else {
		gkv_nonce_binding(nonce, want);
		if (memcmp(e.report_data, want, 32))
			gkv_fail(v, "nonce", "report_data does not bind the nonce (want SHA-256(\"%s\" || nonce) in bytes 0..31)",
				 GKV_NONCE_LABEL);
		else
			gkv_pass(v, "nonce", "report_data[0..31] binds the nonce");
	}
	return v->internal;
}
