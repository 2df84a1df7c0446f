/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by gk-sign and gkctl: error reporting (plain or JSON),
 * whole-file reads and writes, loading keys and certificates through
 * OpenSSL, the detached CMS signatures the kernel verifies, and the key
 * fingerprint the policy names keys by.
 */
#ifndef GK_TOOLS_COMMON_H
#define GK_TOOLS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "gk_format.h"

/* Exit codes of every tool. */
#define GK_EXIT_OK 0
#define GK_EXIT_FAIL 1
#define GK_EXIT_USAGE 2

/* Set by gkctl --json: errors become {"error": "..."} on stdout. */
extern bool gk_json;

void gk_json_print(json_t *j);
void gk_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int gk_usage_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gk_ossl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int gk_read_file(const char *path, size_t max, u8 **buf, size_t *len);
int gk_write_file(const char *path, const u8 *buf, size_t len);

int gk_load_cert(const char *path, X509 **cert);
int gk_load_key(const char *path, EVP_PKEY **key);

int gk_cms_sign(X509 *cert, EVP_PKEY *key, const u8 *data, size_t len, u8 **sig,
		size_t *sig_len);

#define GK_KEY_FPR_SIZE 32	/* SHA-256 */
int gk_key_fingerprint(X509 *cert, u8 fpr[GK_KEY_FPR_SIZE]);
char *gk_hex(const u8 *p, size_t n);
int gk_unhex(const char *hex, u8 *out, size_t n);
char *gk_x509_subject(X509 *cert);

#endif /* GK_TOOLS_COMMON_H */
