// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the appraisals: files, hex, times, and thin wrappers
 * around OpenSSL for raw ECDSA signatures and certificate chains.  All
 * cryptography and ASN.1 is OpenSSL's; this file only adapts formats.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include "verifier.h"

/**
 * gkv_read_file() - read a whole file into a new buffer
 * @path: file to read
 * @max: refuse files larger than this
 * @buf: set to a malloc()ed buffer, NUL-terminated past @len
 * @len: set to the number of bytes read
 *
 * Return: 0; -EFBIG if over @max; -errno from the system otherwise.
 */
int gkv_read_file(const char *path, size_t max, u8 **buf, size_t *len)
{
	struct stat st;
	size_t got = 0, cap;
	u8 *p;
	FILE *f;
	int err = 0;

	f = fopen(path, "rb");
	if (!f)
		return -errno;
	/* Size from fstat is only a hint: pipes and /proc report 0. */
	cap = (fstat(fileno(f), &st) == 0 && st.st_size > 0) ?
		(size_t)st.st_size + 1 : 4096;
	if (cap > max + 1)
		cap = max + 1;
	p = malloc(cap + 1);
	if (!p) {
		fclose(f);
		return -ENOMEM;
	}
	for (;;) {
		size_t n = fread(p + got, 1, cap - got, f);

		got += n;
		if (got > max) {
			err = -EFBIG;
			break;
		}
		if (got < cap) {
			if (ferror(f))
				err = -EIO;
			break;
		}
		/* Full: grow, bounded by max + 1 so oversize is noticed. */
		{
			size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			u8 *np;

			if (ncap <= cap) {
				err = -EFBIG;
				break;
			}
			np = realloc(p, ncap + 1);
			if (!np) {
				err = -ENOMEM;
				break;
			}
			p = np;
			cap = ncap;
		}
	}
	fclose(f);
	if (err) {
		free(p);
		return err;
	}
	p[got] = 0;
	*buf = p;
	*len = got;
	return 0;
}

int gkv_write_file(const char *path, const u8 *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	int err = 0;

	if (!f)
		return -errno;
	if (fwrite(buf, 1, len, f) != len)
		err = -EIO;
	if (fclose(f) && !err)
		err = -EIO;
	return err;
}

/**
 * gkv_hex_decode() - decode a hex string of either case
 * @hex: the digits, NUL-terminated, an even number of them
 * @out: where the bytes go
 * @max: room in @out
 * @outlen: set to the number of bytes written
 *
 * Return: 0; -EINVAL if not hex or odd; -E2BIG if longer than @max.
 */
int gkv_hex_decode(const char *hex, u8 *out, size_t max, size_t *outlen)
{
	size_t n = strlen(hex), i;

	if (n % 2)
		return -EINVAL;
	if (n / 2 > max)
		return -E2BIG;
	for (i = 0; i < n / 2; i++) {
		int hi = gk_hex_digit(hex[2 * i]);
		int lo = gk_hex_digit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (u8)(hi << 4 | lo);
	}
	*outlen = n / 2;
	return 0;
}

/* Decode exactly @n bytes: anything shorter or longer is an error. */
int gkv_hex_decode_exact(const char *hex, u8 *out, size_t n)
{
	size_t got;
	int err;

	if (strlen(hex) != 2 * n)
		return -EINVAL;
	err = gkv_hex_decode(hex, out, n, &got);
	return err ? err : (got == n ? 0 : -EINVAL);
}

void gkv_hex_encode(const u8 *in, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[2 * n] = 0;
}

/* strptime() accepts 2023-02-30; a round trip through gmtime rejects it. */
static int tm_exact(const struct tm *want, time_t t)
{
	struct tm got;

	if (!gmtime_r(&t, &got))
		return -EINVAL;
	if (got.tm_year != want->tm_year || got.tm_mon != want->tm_mon ||
	    got.tm_mday != want->tm_mday || got.tm_hour != want->tm_hour ||
	    got.tm_min != want->tm_min || got.tm_sec != want->tm_sec)
		return -EINVAL;
	return 0;
}

static int parse_fmt(const char *s, const char *fmt, time_t *out)
{
	struct tm tm, want;
	const char *end;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, fmt, &tm);
	if (!end || *end)
		return -EINVAL;
	want = tm;		/* timegm() normalises its argument */
	t = timegm(&tm);
	if (t == (time_t)-1 || tm_exact(&want, t))
		return -EINVAL;
	*out = t;
	return 0;
}

/* --time: YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ. */
int gkv_parse_time(const char *s, time_t *out)
{
	if (strlen(s) == 10)
		return parse_fmt(s, "%Y-%m-%d", out);
	if (strlen(s) == 20)
		return parse_fmt(s, "%Y-%m-%dT%H:%M:%SZ", out);
	return -EINVAL;
}

/* Intel collateral dates: exactly YYYY-MM-DDTHH:MM:SSZ. */
int gkv_parse_iso8601(const char *s, time_t *out)
{
	if (strlen(s) != 20)
		return -EINVAL;
	return parse_fmt(s, "%Y-%m-%dT%H:%M:%SZ", out);
}

void gkv_fmt_time(time_t t, char buf[32])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, 32, "@%lld", (long long)t);
}

int gkv_asn1_time(const ASN1_TIME *a, time_t *out)
{
	struct tm tm;
	time_t t;

	if (!a || ASN1_TIME_to_tm(a, &tm) != 1)
		return -EINVAL;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -EINVAL;
	*out = t;
	return 0;
}

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

/*
 * What the TEE must put in REPORTDATA[0..31] for a verifier nonce.
 * Return: 0, or -ENOMEM with @out all 0xff, which never matches a binding.
 */
int gkv_nonce_binding(const u8 nonce[GKV_NONCE_SIZE], u8 out[32])
{
	int err = gkv_sha256(GKV_NONCE_LABEL, strlen(GKV_NONCE_LABEL), nonce,
			     GKV_NONCE_SIZE, out);

	if (err)
		memset(out, 0xff, 32);
	return err;
}

/*
 * What the attester (gkctl attest evidence) asks the TEE to put in its
 * 64-byte REPORTDATA for a nonce: the binding, then 32 zero bytes.
 */
int gkv_report_data(const u8 nonce[GKV_NONCE_SIZE], u8 out[64])
{
	memset(out + 32, 0, 32);
	return gkv_nonce_binding(nonce, out);
}

/**
 * gkv_ec_key_from_xy() - public key from raw affine coordinates
 * @group: "P-256" or "P-384"
 * @xy: x || y, big-endian, each half of @n
 * @n: 64 for P-256, 96 for P-384
 * @key: set on success
 *
 * OpenSSL's point decoding rejects points not on the curve.
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
	if (!chk || EVP_PKEY_public_check(chk) != 1) {
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

/**
 * gkv_pem_certs() - every PEM certificate in a buffer
 * @buf: PEM text; text around the blocks (a trailing NUL, say) is skipped
 * @len: its size
 * @out: set to a new stack holding at least one certificate
 *
 * Return: 0; -EBADMSG if a block is malformed or there is none; -E2BIG
 * for more than 8 certificates.
 */
int gkv_pem_certs(const u8 *buf, size_t len, STACK_OF(X509) **out)
{
	STACK_OF(X509) *sk;
	BIO *b;
	int err = 0;

	if (len > INT32_MAX)
		return -EBADMSG;
	b = BIO_new_mem_buf(buf, (int)len);
	sk = sk_X509_new_null();
	if (!b || !sk) {
		BIO_free(b);
		sk_X509_free(sk);
		return -ENOMEM;
	}
	ERR_clear_error();
	for (;;) {
		X509 *c = PEM_read_bio_X509(b, NULL, NULL, NULL);
		unsigned long e;

		if (!c) {
			e = ERR_peek_last_error();
			/* Running out of BEGIN lines is the normal end. */
			if (ERR_GET_LIB(e) != ERR_LIB_PEM ||
			    ERR_GET_REASON(e) != PEM_R_NO_START_LINE)
				err = -EBADMSG;
			break;
		}
		if (sk_X509_num(sk) >= 8) {
			X509_free(c);
			err = -E2BIG;
			break;
		}
		if (!sk_X509_push(sk, c)) {
			X509_free(c);
			err = -ENOMEM;
			break;
		}
	}
	ERR_clear_error();
	BIO_free(b);
	if (!err && !sk_X509_num(sk))
		err = -EBADMSG;
	if (err) {
		sk_X509_pop_free(sk, X509_free);
		return err;
	}
	*out = sk;
	return 0;
}

/* One certificate, DER or PEM. */
int gkv_load_cert(const char *path, X509 **cert)
{
	STACK_OF(X509) *sk;
	const u8 *p;
	u8 *buf;
	size_t len;
	int err;

	err = gkv_read_file(path, GKV_MAX_COLLATERAL, &buf, &len);
	if (err)
		return err;
	p = buf;
	*cert = d2i_X509(NULL, &p, (long)len);
	if (*cert) {
		/* DER must be the whole file: no trailing bytes. */
		if (p != buf + len) {
			X509_free(*cert);
			*cert = NULL;
			err = -EBADMSG;
		}
		goto out;
	}
	ERR_clear_error();
	err = gkv_pem_certs(buf, len, &sk);
	if (err)
		goto out;
	if (sk_X509_num(sk) != 1) {
		err = -EBADMSG;
	} else {
		*cert = sk_X509_shift(sk);
	}
	sk_X509_pop_free(sk, X509_free);
out:
	free(buf);
	return err;
}

int gkv_load_certs(const char *path, STACK_OF(X509) **out)
{
	u8 *buf;
	size_t len;
	int err;

	err = gkv_read_file(path, GKV_MAX_COLLATERAL, &buf, &len);
	if (err)
		return err;
	err = gkv_pem_certs(buf, len, out);
	free(buf);
	return err;
}

/* A CRL, DER or PEM. */
int gkv_load_crl(const char *path, X509_CRL **crl)
{
	const u8 *p;
	u8 *buf;
	size_t len;
	BIO *b;
	int err;

	err = gkv_read_file(path, GKV_MAX_COLLATERAL, &buf, &len);
	if (err)
		return err;
	p = buf;
	*crl = d2i_X509_CRL(NULL, &p, (long)len);
	if (*crl && p != buf + len) {
		X509_CRL_free(*crl);
		*crl = NULL;
	}
	if (!*crl) {
		ERR_clear_error();
		b = BIO_new_mem_buf(buf, (int)len);
		*crl = b ? PEM_read_bio_X509_CRL(b, NULL, NULL, NULL) : NULL;
		BIO_free(b);
	}
	ERR_clear_error();
	free(buf);
	return *crl ? 0 : -EBADMSG;
}

int gkv_load_key(const char *path, EVP_PKEY **key)
{
	u8 *buf;
	size_t len;
	BIO *b;
	int err;

	err = gkv_read_file(path, GKV_MAX_COLLATERAL, &buf, &len);
	if (err)
		return err;
	b = BIO_new_mem_buf(buf, (int)len);
	*key = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	OPENSSL_cleanse(buf, len);
	free(buf);
	ERR_clear_error();
	return *key ? 0 : -EBADMSG;
}

void gkv_cert_cn(X509 *c, char *buf, size_t n)
{
	X509_NAME *name = c ? X509_get_subject_name(c) : NULL;

	if (!name || X509_NAME_get_text_by_NID(name, NID_commonName, buf,
					       (int)n) < 0)
		snprintf(buf, n, "(no CN)");
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
