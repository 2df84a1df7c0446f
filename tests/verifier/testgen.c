// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper for tests/verifier/run: builds synthetic TDX evidence under a
 * throw-away PKI, so that the parts of the appraisal genuine samples cannot
 * reach (TCB level matching, TDX module identities, QE identity levels,
 * DEBUG, revocation, a nonce-bound accept) can be exercised and made to
 * fail.  Never part of gk-verify.
 *
 *   testgen sign-json KEY FILE
 *       ECDSA P-256/SHA-256 over FILE's bytes; prints r||s in hex, the form
 *       of Intel's collateral signatures.
 *   testgen requote TEMPLATE OUT PCK_KEY PCK_CHAIN [field=hex|n ...]
 *       TEMPLATE's header and TD report body, with the fields changed
 *       (tee_tcb_svn=16 bytes, td_attributes=8 bytes, report_data=64 bytes,
 *       qe_isvsvn=n), a fresh attestation key, a QE report binding it and
 *       signed by PCK_KEY, and PCK_CHAIN (PEM) as the certification data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include "tdx_quote.h"
#include "verifier.h"

static int die(const char *msg)
{
	fprintf(stderr, "testgen: %s\n", msg);
	return 1;
}

/* ECDSA sign, then the DER signature as fixed-size big-endian r || s. */
static int sign_rs(EVP_PKEY *key, const u8 *msg, size_t len, u8 out[64])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	u8 der[128];
	const u8 *p = der;
	size_t dlen = sizeof(der);
	ECDSA_SIG *sig;
	int ok;

	ok = c && EVP_DigestSignInit(c, NULL, EVP_sha256(), NULL, key) == 1 &&
	     EVP_DigestSign(c, der, &dlen, msg, len) == 1;
	EVP_MD_CTX_free(c);
	if (!ok)
		return -1;
	sig = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
	if (!sig)
		return -1;
	ok = BN_bn2binpad(ECDSA_SIG_get0_r(sig), out, 32) == 32 &&
	     BN_bn2binpad(ECDSA_SIG_get0_s(sig), out + 32, 32) == 32;
	ECDSA_SIG_free(sig);
	return ok ? 0 : -1;
}

static int sign_json(const char *keyf, const char *file)
{
	EVP_PKEY *key;
	u8 *buf, rs[64];
	char hex[129];
	size_t len;

	if (gk_load_key(keyf, &key) || gk_read_file(file, 1 << 20, &buf, &len))
		return die("cannot read the key or the file");
	if (sign_rs(key, buf, len, rs))
		return die("signing failed");
	gk_hex_buf(rs, 64, hex);
	printf("%s\n", hex);
	free(buf);
	EVP_PKEY_free(key);
	return 0;
}

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static int set_field(struct gk_tdx_quote *q, u8 *body, u8 *qe_report,
		     const char *arg)
{
	const char *val = strchr(arg, '=');
	size_t n = val ? (size_t)(val - arg) : 0;

	if (!val)
		return -1;
	val++;
	if (!strncmp(arg, "tee_tcb_svn", n))
		return gk_unhex(val, body + TDB_TEE_TCB_SVN, 16);
	if (!strncmp(arg, "td_attributes", n))
		return gk_unhex(val, body + TDB_TD_ATTRIBUTES, 8);
	if (!strncmp(arg, "report_data", n))
		return gk_unhex(val, body + TDB_REPORT_DATA, 64);
	if (!strncmp(arg, "qe_isvsvn", n)) {
		put16(qe_report + SGXR_ISVSVN, (u16)atoi(val));
		return 0;
	}
	(void)q;
	return -1;
}

static int requote(int argc, char **argv)
{
	struct gk_tdx_quote q;
	EVP_PKEY *pck, *ak;
	u8 *tpl, *chain, *out, *p, pub[65], qe_report[SGX_REPORT_BODY_SIZE];
	size_t tlen, clen, plen, olen;
	char why[200];
	u32 cert_size, sig_size;
	int i;

	if (argc < 6)
		return die("requote TEMPLATE OUT PCK_KEY PCK_CHAIN [field=value...]");
	if (gk_read_file(argv[2], 1 << 20, &tpl, &tlen) ||
	    gk_tdx_quote_parse(tpl, tlen, &q, why, sizeof(why)))
		return die("cannot read or parse the template");
	if (gk_load_key(argv[4], &pck) ||
	    gk_read_file(argv[5], 1 << 20, &chain, &clen))
		return die("cannot read the PCK key or chain");
	ak = EVP_EC_gen("P-256");
	if (!ak || EVP_PKEY_get_octet_string_param(ak, OSSL_PKEY_PARAM_PUB_KEY,
						    pub, sizeof(pub), &plen) != 1 ||
	    plen != 65)
		return die("cannot make an attestation key");

	cert_size = SGX_REPORT_BODY_SIZE + 64 + 2 + q.qe_auth_len + 6 + (u32)clen;
	sig_size = 64 + 64 + 6 + cert_size;
	olen = q.signed_len + 4 + sig_size;
	out = calloc(1, olen);
	if (!out)
		return die("out of memory");
	memcpy(out, tpl, q.signed_len);
	memcpy(qe_report, q.qe_report, sizeof(qe_report));
	for (i = 6; i < argc; i++)
		if (set_field(&q, out + (q.body - tpl), qe_report, argv[i]))
			return die("bad field=value");

	p = out + q.signed_len;
	gk_put_le32(p, sig_size);
	p += 4;
	if (sign_rs(ak, out, q.signed_len, p))
		return die("cannot sign the quote");
	p += 64;
	memcpy(p, pub + 1, 64);
	/* The QE report binds SHA-256(attestation key || QE auth data). */
	memset(qe_report + SGXR_REPORT_DATA, 0, 64);
	if (gkv_sha256(pub + 1, 64, q.qe_auth, q.qe_auth_len,
		       qe_report + SGXR_REPORT_DATA))
		return die("hash");
	p += 64;
	put16(p, TDX_CERT_QE_REPORT);
	gk_put_le32(p + 2, cert_size);
	p += 6;
	memcpy(p, qe_report, sizeof(qe_report));
	p += sizeof(qe_report);
	if (sign_rs(pck, qe_report, sizeof(qe_report), p))
		return die("cannot sign the QE report");
	p += 64;
	put16(p, q.qe_auth_len);
	memcpy(p + 2, q.qe_auth, q.qe_auth_len);
	p += 2 + q.qe_auth_len;
	put16(p, TDX_CERT_PCK_CHAIN);
	gk_put_le32(p + 2, (u32)clen);
	memcpy(p + 6, chain, clen);
	if (gk_write_file(argv[3], out, olen))
		return die("cannot write the quote");
	free(out);
	free(chain);
	free(tpl);
	EVP_PKEY_free(ak);
	EVP_PKEY_free(pck);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "sign-json"))
		return sign_json(argv[2], argv[3]);
	if (argc >= 2 && !strcmp(argv[1], "requote"))
		return requote(argc, argv);
	return die("usage: testgen sign-json KEY FILE | testgen requote TEMPLATE OUT PCK_KEY PCK_CHAIN [field=value...]");
}
