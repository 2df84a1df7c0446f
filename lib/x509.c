// SPDX-License-Identifier: GPL-2.0
/*
 * Keys, certificates and CRLs through OSSL_STORE, and the key fingerprint
 * the kernel computes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/store.h>
#include <openssl/ui.h>
#include "output.h"
#include "x509.h"

struct gk_pin {
	bool asked;
};

/* The passphrase of an encrypted key, or a token PIN: never on argv. */
static int gk_pin_cb(char *buf, int size, int rwflag, void *u)
{
	const char *pin = getenv("GK_SIGN_PIN");
	struct gk_pin *p = u;
	size_t n;

	(void)rwflag;
	p->asked = true;
	if (!pin)
		return -1;
	n = strlen(pin);
	if (n > (size_t)size)
		return -1;
	memcpy(buf, pin, n);
	return n;
}

static const char *const gk_store_what[] = {
	[OSSL_STORE_INFO_PKEY] = "private key",
	[OSSL_STORE_INFO_CERT] = "certificate",
	[OSSL_STORE_INFO_CRL] = "CRL",
};

static void *gk_store_get1(OSSL_STORE_INFO *info, int type)
{
	switch (type) {
	case OSSL_STORE_INFO_CERT:
		return OSSL_STORE_INFO_get1_CERT(info);
	case OSSL_STORE_INFO_CRL:
		return OSSL_STORE_INFO_get1_CRL(info);
	default:
		return OSSL_STORE_INFO_get1_PKEY(info);
	}
}

static void gk_store_free(void **objs, int n, int type)
{
	while (n--) {
		if (type == OSSL_STORE_INFO_CERT)
			X509_free(objs[n]);
		else if (type == OSSL_STORE_INFO_CRL)
			X509_CRL_free(objs[n]);
		else
			EVP_PKEY_free(objs[n]);
	}
}

/**
 * gk_store_load() - the objects of one type in a file
 * @path: the file, or the URI of any configured provider (a pkcs11: key, say)
 * @type: OSSL_STORE_INFO_CERT, _CRL or _PKEY
 * @report: report errors (output.h), or only return them
 * @objs: set to what was loaded
 * @max: room in @objs; loading stops when it is full
 * @n: set to how many were loaded
 *
 * OSSL_STORE tells PEM from DER and decrypts with the PIN callback.
 *
 * Return: 0 with *@n at least 1; the -errno of opening @path; -ENOKEY or
 * -EKEYREJECTED for an encrypted key without GK_SIGN_PIN or with a wrong
 * one; -EBADMSG if @path holds a malformed object or none of @type;
 * -ENOMEM.
 */
static int gk_store_load(const char *path, int type, bool report, void **objs, int max, int *n)
{
	const char *what = gk_store_what[type];
	struct gk_pin pin = { false };
	OSSL_STORE_INFO *info;
	OSSL_STORE_CTX *ctx;
	bool malformed = false;
	unsigned long e;
	UI_METHOD *ui;
	int err = 0;

	*n = 0;
	ui = UI_UTIL_wrap_read_pem_callback(gk_pin_cb, 0);
	if (!ui) {
		if (report)
			gk_ossl_err("cannot load %s", path);
		return -ENOMEM;
	}
	ctx = OSSL_STORE_open(path, ui, &pin, NULL, NULL);
	if (!ctx) {
		e = ERR_peek_last_error();
		err = ERR_SYSTEM_ERROR(e) ? -ERR_GET_REASON(e) : -ENOENT;
		if (report)
			gk_ossl_err("cannot open %s %s", what, path);
		ERR_clear_error();
		goto out_ui;
	}
	OSSL_STORE_expect(ctx, type);
	while (*n < max && !OSSL_STORE_eof(ctx)) {
		info = OSSL_STORE_load(ctx);
		if (!info) {
			/* OpenSSL 3.0 flags the end of a file as an error without a reason. */
			if (OSSL_STORE_error(ctx)) {
				malformed = ERR_peek_error();
				break;
			}
			continue;
		}
		objs[*n] = gk_store_get1(info, type);
		if (objs[*n])
			(*n)++;
		OSSL_STORE_INFO_free(info);
	}
	OSSL_STORE_close(ctx);

	if (*n && !malformed) {
		ERR_clear_error();
		goto out_ui;
	}
	gk_store_free(objs, *n, type);
	*n = 0;
	if (pin.asked && !getenv("GK_SIGN_PIN")) {
		if (report)
			gk_err("%s is encrypted: put its passphrase in the environment variable GK_SIGN_PIN",
			       path);
		err = -ENOKEY;
	} else if (pin.asked) {
		if (report)
			gk_ossl_err("cannot decrypt %s with GK_SIGN_PIN (wrong passphrase?)", path);
		err = -EKEYREJECTED;
	} else {
		/* The decoders' complaints about what the file is not would only confuse. */
		ERR_clear_error();
		if (report)
			gk_err("%s holds no %s (PEM or DER expected)", path, what);
		err = -EBADMSG;
	}
	ERR_clear_error();
out_ui:
	UI_destroy_method(ui);
	return err;
}

/* Load the first X.509 certificate of a file; errors are reported. */
int gk_load_cert(const char *path, X509 **cert)
{
	int n;

	return gk_store_load(path, OSSL_STORE_INFO_CERT, true, (void **)cert, 1, &n);
}

/* Load a private key, decrypted with GK_SIGN_PIN; errors are reported. */
int gk_load_key(const char *path, EVP_PKEY **key)
{
	int n;

	return gk_store_load(path, OSSL_STORE_INFO_PKEY, true, (void **)key, 1, &n);
}

/*
 * Every certificate of a file, in file order; errors are returned only.
 * Return: as gk_store_load(), or -E2BIG for more than GK_MAX_CERTS.
 */
int gk_read_certs(const char *path, STACK_OF(X509) **certs)
{
	X509 *c[GK_MAX_CERTS + 1];
	int n, i, err;

	err = gk_store_load(path, OSSL_STORE_INFO_CERT, false, (void **)c, GK_MAX_CERTS + 1, &n);
	if (err)
		return err;
	*certs = n <= GK_MAX_CERTS ? sk_X509_new_reserve(NULL, n) : NULL;
	for (i = 0; *certs && i < n; i++)
		sk_X509_push(*certs, c[i]);
	if (!*certs)
		gk_store_free((void **)c, n, OSSL_STORE_INFO_CERT);
	return *certs ? 0 : n > GK_MAX_CERTS ? -E2BIG : -ENOMEM;
}

/* The first CRL of a file; errors are returned only (as gk_store_load()). */
int gk_read_crl(const char *path, X509_CRL **crl)
{
	int n;

	return gk_store_load(path, OSSL_STORE_INFO_CRL, false, (void **)crl, 1, &n);
}

/**
 * gk_key_fingerprint() - SHA-256 of a certificate's public key, as the kernel has it
 * @cert: the certificate
 * @fpr: set to the fingerprint
 *
 * The kernel's X.509 parser keeps the contents of the SubjectPublicKeyInfo
 * BIT STRING as struct public_key.key (x509_extract_key_data()): for RSA
 * the PKCS#1 RSAPublicKey DER, for EC the uncompressed point.  That is
 * i2d_PublicKey() of the key as well; both are computed and must agree, so
 * that a key whose encoding OpenSSL would change is refused rather than
 * given a fingerprint the kernel would never compute.  It is not the
 * SHA-256 of the whole SubjectPublicKeyInfo ("openssl pkey -pubin
 * -outform DER"), which also holds the algorithm identifier.
 *
 * Return: 0, or -EINVAL (reported).
 */
int gk_key_fingerprint(X509 *cert, u8 fpr[GK_KEY_FPR_SIZE])
{
	X509_PUBKEY *xpk = X509_get_X509_PUBKEY(cert);
	EVP_PKEY *pkey = X509_get0_pubkey(cert);
	const unsigned char *bits;
	unsigned char *der = NULL;
	int bits_len, n, err = 0;

	if (!xpk || !X509_PUBKEY_get0_param(NULL, &bits, &bits_len, NULL, xpk) || bits_len <= 0) {
		gk_ossl_err("the certificate's public key cannot be read");
		return -EINVAL;
	}
	n = pkey ? i2d_PublicKey(pkey, &der) : -1;
	if (n > 0 && (n != bits_len || memcmp(der, bits, n))) {
		gk_err("the %s key's encoding differs from the certificate's: its fingerprint would not be the kernel's",
		       OBJ_nid2sn(EVP_PKEY_get_base_id(pkey)));
		err = -EINVAL;
	} else if (EVP_Digest(bits, bits_len, fpr, NULL, EVP_sha256(), NULL) != 1) {
		gk_ossl_err("cannot hash the public key");
		err = -EINVAL;
	}
	/* i2d_PublicKey() cannot encode every key type (Ed25519): not an error. */
	ERR_clear_error();
	OPENSSL_free(der);
	return err;
}

/* The subject of @cert in RFC 2253 form, malloc()ed; NULL when out of memory. */
char *gk_x509_subject(X509 *cert)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *s = NULL, *data;
	long n;

	if (!b)
		return NULL;
	if (X509_NAME_print_ex(b, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) >= 0) {
		n = BIO_get_mem_data(b, &data);
		s = strndup(data, n);
	}
	BIO_free(b);
	return s;
}
