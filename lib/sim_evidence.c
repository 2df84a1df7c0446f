// SPDX-License-Identifier: GPL-2.0
/*
 * The sim TEE's evidence format (sim_evidence.h): making it and taking it
 * apart, for the verifier (gk-verify sim, sim-evidence) and the attester
 * (gkctl attest evidence --tee sim), so there is one definition of the
 * bytes.  It needs OpenSSL and gk_shim.h only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include "sim_evidence.h"

static const EVP_MD *sim_md(EVP_PKEY *key)
{
	/* EdDSA hashes internally and takes no digest. */
	return EVP_PKEY_is_a(key, "ED25519") ? NULL : EVP_sha256();
}

/**
 * gk_sim_parse() - check and split sim evidence
 * @buf: the evidence
 * @len: its size; must be exactly header + signature
 * @e: filled on success
 * @why: what is wrong, on failure
 * @whylen: room in @why
 *
 * Return: 0; -EBADMSG if malformed (unknown flags and non-zero reserved
 * bytes included); -EPROTONOSUPPORT for another version.
 */
int gk_sim_parse(const u8 *buf, size_t len, struct gk_sim_evidence *e,
		  char *why, size_t whylen)
{
	size_t i;

	if (len < GK_SIM_HDR_SIZE || memcmp(buf, GK_SIM_MAGIC, 8)) {
		snprintf(why, whylen, "not sim evidence (%zu bytes, bad magic or truncated header)",
			 len);
		return -EBADMSG;
	}
	if (gk_get_le32(buf + 8) != GK_SIM_V1) {
		snprintf(why, whylen, "unsupported sim evidence version %u",
			 gk_get_le32(buf + 8));
		return -EPROTONOSUPPORT;
	}
	e->sig_len = gk_get_le32(buf + 12);
	if (!e->sig_len || e->sig_len > GK_SIM_SIG_MAX ||
	    e->sig_len != len - GK_SIM_HDR_SIZE) {
		snprintf(why, whylen, "signature length %u does not match the %zu bytes after the header",
			 e->sig_len, len - GK_SIM_HDR_SIZE);
		return -EBADMSG;
	}
	e->flags = gk_get_le32(buf + GK_SIM_FLAGS_OFF);
	if (e->flags & ~GK_SIM_FLAGS_KNOWN) {
		snprintf(why, whylen, "unknown flags 0x%08x",
			 e->flags & ~GK_SIM_FLAGS_KNOWN);
		return -EBADMSG;
	}
	for (i = GK_SIM_FLAGS_OFF + 4; i < GK_SIM_HDR_SIZE; i++)
		if (buf[i]) {
			snprintf(why, whylen, "reserved bytes are not zero");
			return -EBADMSG;
		}
	e->report_data = buf + 16;
	e->measurement = buf + 80;
	e->sig = buf + GK_SIM_HDR_SIZE;
	return 0;
}

/**
 * gk_sim_make() - make signed sim evidence
 * @key: the sim key
 * @cert: its certificate, which the verifier will be given (gk-verify sim
 *        --cert); checked to match @key, so that no evidence is made that
 *        no appraisal could accept
 * @report_data: REPORTDATA, 64 bytes
 * @measurement: the simulated measurement, 48 bytes
 * @flags: GK_SIM_FLAG_*
 * @out: set to a malloc()ed buffer
 * @len: set to its size
 *
 * Return: 0; -EKEYREJECTED if @key does not match @cert; -EINVAL for
 * unknown @flags or a key OpenSSL cannot sign with; -ENOMEM.
 */
int gk_sim_make(EVP_PKEY *key, X509 *cert, const u8 report_data[64],
		 const u8 measurement[48], u32 flags, u8 **out, size_t *len)
{
	EVP_MD_CTX *c = NULL;
	size_t siglen = GK_SIM_SIG_MAX;
	u8 *buf = NULL;
	int err = -EINVAL;

	if (flags & ~GK_SIM_FLAGS_KNOWN)
		goto out;
	if (X509_check_private_key(cert, key) != 1) {
		err = -EKEYREJECTED;
		goto out;
	}
	err = -ENOMEM;
	c = EVP_MD_CTX_new();
	buf = calloc(1, GK_SIM_HDR_SIZE + GK_SIM_SIG_MAX);
	if (!c || !buf)
		goto out;
	memcpy(buf, GK_SIM_MAGIC, 8);
	gk_put_le32(buf + 8, GK_SIM_V1);
	memcpy(buf + 16, report_data, 64);
	memcpy(buf + 80, measurement, 48);
	gk_put_le32(buf + GK_SIM_FLAGS_OFF, flags);
	/* The length is signed too: sign with the maximum, then fix it up
	 * and sign again now the real length is known. */
	err = -EINVAL;
	if (EVP_DigestSignInit(c, NULL, sim_md(key), NULL, key) != 1 ||
	    EVP_DigestSign(c, NULL, &siglen, buf, GK_SIM_HDR_SIZE) != 1 ||
	    siglen > GK_SIM_SIG_MAX)
		goto out;
	/*
	 * ECDSA DER lengths vary by a byte or two: retry until a signature
	 * has the length the header says.  A try succeeds with probability
	 * about 3/8 for P-256, so 16 tries failed about once in 2,000 runs;
	 * 256 never do in practice.
	 */
	for (int tries = 0; tries < 256; tries++) {
		size_t got = GK_SIM_SIG_MAX;

		gk_put_le32(buf + 12, (u32)siglen);
		if (EVP_DigestSignInit(c, NULL, sim_md(key), NULL, key) != 1 ||
		    EVP_DigestSign(c, buf + GK_SIM_HDR_SIZE, &got, buf,
				   GK_SIM_HDR_SIZE) != 1)
			goto out;
		if (got == siglen) {
			*out = buf;
			*len = GK_SIM_HDR_SIZE + siglen;
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
 * gk_sim_verify() - check the signature of parsed sim evidence
 * @key: the sim key's public half
 * @ev: the evidence gk_sim_parse() split into @e
 * @e: its parts
 *
 * Here beside sim_md(), so that signing and checking cannot disagree on
 * the digest.
 *
 * Return: 0 if it verifies; -EKEYREJECTED if not; -ENOMEM.
 */
int gk_sim_verify(EVP_PKEY *key, const u8 *ev, const struct gk_sim_evidence *e)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok;

	if (!c)
		return -ENOMEM;
	ok = EVP_DigestVerifyInit(c, NULL, sim_md(key), NULL, key) == 1 &&
	     EVP_DigestVerify(c, e->sig, e->sig_len, ev, GK_SIM_HDR_SIZE) == 1;
	EVP_MD_CTX_free(c);
	ERR_clear_error();
	return ok ? 0 : -EKEYREJECTED;
}
