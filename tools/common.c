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
