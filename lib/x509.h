/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keys, certificates and CRLs from files, PEM or DER (OpenSSL tells them
 * apart), and what the kernel makes of a certificate: the fingerprint a
 * policy names a key by.
 *
 * gk_load_*() report their errors (output.h); gk_read_*() only return
 * them, for callers that word the failure themselves (gk-verify's checks).
 */
#ifndef GK_LIB_X509_H
#define GK_LIB_X509_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include "gk_shim.h"

/* The most certificates gk_read_certs() takes from one file. */
#define GK_MAX_CERTS 8

int gk_load_cert(const char *path, X509 **cert);
int gk_load_key(const char *path, EVP_PKEY **key);
int gk_read_certs(const char *path, STACK_OF(X509) **certs);
int gk_read_crl(const char *path, X509_CRL **crl);

#define GK_KEY_FPR_SIZE 32	/* SHA-256 */
int gk_key_fingerprint(X509 *cert, u8 fpr[GK_KEY_FPR_SIZE]);
char *gk_x509_subject(X509 *cert);

#endif /* GK_LIB_X509_H */
