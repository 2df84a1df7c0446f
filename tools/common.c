// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by gk-sign and gkctl.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/store.h>
#include <openssl/ui.h>
#include "common.h"

bool gk_json;

/* Print one JSON document on a line of stdout, and drop the reference. */
void gk_json_print(json_t *j)
{
	if (!j) {
		fprintf(stderr, "%s: out of memory\n", program_invocation_short_name);
		return;
	}
	json_dumpf(j, stdout, JSON_ENCODE_ANY);
	putchar('\n');
	json_decref(j);
}

static void gk_verr(const char *suffix, const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0) {
		fprintf(stderr, "%s: out of memory\n", program_invocation_short_name);
		return;
	}
	if (gk_json) {
		gk_json_print(json_pack("{s:s++}", "error", msg, suffix ? ": " : "",
					suffix ? suffix : ""));
	} else {
		fprintf(stderr, "%s: %s%s%s\n", program_invocation_short_name, msg,
			suffix ? ": " : "", suffix ? suffix : "");
	}
	free(msg);
}

/* Report an error: on stderr, or as a JSON object on stdout with --json. */
void gk_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gk_verr(NULL, fmt, ap);
	va_end(ap);
}

/* Report a usage error; the caller exits with GK_EXIT_USAGE. */
int gk_usage_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	gk_err("%s (see \"%s --help\")", msg ? msg : "usage error", cmd);
	free(msg);
	return GK_EXIT_USAGE;
}

/* Report an error with OpenSSL's reason for it, and clear its queue. */
void gk_ossl_err(const char *fmt, ...)
{
	const char *why = NULL, *data;
	char buf[256];
	unsigned long e;
	va_list ap;
	int flags;

	e = ERR_peek_last_error_data(&data, &flags);
	if (e) {
		why = ERR_SYSTEM_ERROR(e) ? strerror(ERR_GET_REASON(e)) : ERR_reason_error_string(e);
		/* Such as the reason a certificate chain does not verify. */
		if (why && (flags & ERR_TXT_STRING) && *data) {
			snprintf(buf, sizeof(buf), "%s (%s)", why, data);
			why = buf;
		}
	}
	va_start(ap, fmt);
	gk_verr(why, fmt, ap);
	va_end(ap);
	ERR_clear_error();
}

/**
 * gk_read_file() - read a whole file, securityfs ones included
 * @path: the file
 * @max: largest accepted size
 * @bufp: set to a malloc()ed copy, NUL-terminated for text parsing
 * @lenp: set to the size, terminator not counted
 *
 * Reads until end of file rather than trusting st_size, which is 0 for
 * securityfs and procfs files.
 *
 * Return: 0, -EFBIG if larger than @max, or the -errno of open() or read().
 */
int gk_read_file(const char *path, size_t max, u8 **bufp, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	u8 *buf, *tmp;
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap + 1);
	if (!buf) {
		err = -ENOMEM;
		goto out_close;
	}
	while ((n = read(fd, buf + len, cap - len))) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto out_free;
		}
		len += n;
		if (len > max) {
			err = -EFBIG;
			goto out_free;
		}
		if (len == cap) {
			cap *= 2;
			tmp = realloc(buf, cap + 1);
			if (!tmp) {
				err = -ENOMEM;
				goto out_free;
			}
			buf = tmp;
		}
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	close(fd);
	return 0;

out_free:
	free(buf);
out_close:
	close(fd);
	return err;
}

/**
 * gk_write_file() - create or replace a file with @len bytes of @buf
 * @path: the file, created with mode 0644 (umask applies)
 * @buf: the bytes
 * @len: how many
 *
 * Errors are reported; a partly written file is removed.
 *
 * Return: 0 or -errno.
 */
int gk_write_file(const char *path, const u8 *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = -errno;
		gk_err("cannot create %s: %s", path, strerror(errno));
		return err;
	}
	while (off < len) {
		n = write(fd, buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		off += n;
	}
	if (close(fd) && !err)
		err = -errno;
	if (err) {
		gk_err("cannot write %s: %s", path, strerror(-err));
		unlink(path);
	}
	return err;
}

/* Lower-case hex of @n bytes, malloc()ed; NULL when out of memory. */
char *gk_hex(const u8 *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(2 * n + 1);
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = '\0';
	return s;
}

/* Return: 0 if @hex is exactly 2 * @n hex digits, decoded into @out; -EINVAL if not. */
int gk_unhex(const char *hex, u8 *out, size_t n)
{
	size_t got;

	return strlen(hex) == 2 * n && OPENSSL_hexstr2buf_ex(out, n, &got, hex, '\0') &&
	       got == n ? 0 : -EINVAL;
}

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

/*
 * OSSL_STORE tells PEM from DER, decrypts with the PIN callback, and takes
 * the URIs of any configured provider (a pkcs11: key, say) as well as
 * paths.
 */
static int gk_store_load(const char *path, int type, const char *what, void **out)
{
	struct gk_pin pin = { false };
	OSSL_STORE_INFO *info;
	OSSL_STORE_CTX *ctx;
	UI_METHOD *ui;
	int err = 0;

	*out = NULL;
	ui = UI_UTIL_wrap_read_pem_callback(gk_pin_cb, 0);
	if (!ui) {
		gk_ossl_err("cannot load %s", path);
		return -ENOMEM;
	}
	ctx = OSSL_STORE_open(path, ui, &pin, NULL, NULL);
	if (!ctx) {
		gk_ossl_err("cannot open %s %s", what, path);
		err = -ENOENT;
		goto out_ui;
	}
	OSSL_STORE_expect(ctx, type);
	while (!*out && !OSSL_STORE_eof(ctx)) {
		info = OSSL_STORE_load(ctx);
		if (!info) {
			if (OSSL_STORE_error(ctx))
				break;
			continue;
		}
		if (type == OSSL_STORE_INFO_CERT)
			*out = OSSL_STORE_INFO_get1_CERT(info);
		else
			*out = OSSL_STORE_INFO_get1_PKEY(info);
		OSSL_STORE_INFO_free(info);
	}
	OSSL_STORE_close(ctx);

	if (*out) {
		ERR_clear_error();
	} else if (pin.asked && !getenv("GK_SIGN_PIN")) {
		gk_err("%s is encrypted: put its passphrase in the environment variable GK_SIGN_PIN", path);
		err = -ENOKEY;
	} else if (pin.asked) {
		gk_ossl_err("cannot decrypt %s with GK_SIGN_PIN (wrong passphrase?)", path);
		err = -EKEYREJECTED;
	} else {
		/* The decoders' complaints about what the file is not would only confuse. */
		ERR_clear_error();
		gk_err("%s holds no %s (PEM or DER expected)", path, what);
		err = -EBADMSG;
	}
out_ui:
	UI_destroy_method(ui);
	return err;
}

/* Load an X.509 certificate, PEM or DER; errors are reported. */
int gk_load_cert(const char *path, X509 **cert)
{
	return gk_store_load(path, OSSL_STORE_INFO_CERT, "certificate", (void **)cert);
}

/* Load a private key, PEM or DER, decrypted with GK_SIGN_PIN; errors are reported. */
int gk_load_key(const char *path, EVP_PKEY **key)
{
	return gk_store_load(path, OSSL_STORE_INFO_PKEY, "private key", (void **)key);
}

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
