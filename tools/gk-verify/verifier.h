/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gk-verify: the attestation verifier (RFC 9334 "Verifier" role).  It
 * appraises Intel TDX quotes, AMD SEV-SNP reports and a software "sim" TEE
 * against vendor collateral and reference values, and on acceptance signs
 * an attestation result the kernel module can check (gk_attest_format.h).
 *
 * Everything that reads evidence treats it as hostile: every length is
 * checked against what remains before it is used.
 */
#ifndef GKV_VERIFIER_H
#define GKV_VERIFIER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "gk_shim.h"
#include "file.h"
#include "hex.h"
#include "nonce.h"
#include "x509.h"

/* Upper bounds on what is read, so a huge file cannot exhaust memory. */
#define GKV_MAX_EVIDENCE (1024 * 1024)
#define GKV_MAX_COLLATERAL (1024 * 1024)

#define GKV_MEAS_SIZE 48
#define GKV_MAX_MEAS 5

enum gkv_result { GKV_PASS, GKV_FAIL, GKV_SKIP };

struct gkv_check {
	const char *name;
	enum gkv_result result;
	char detail[320];
};

#define GKV_MAX_CHECKS 48

/* One appraisal: the checks in the order they ran and what they found. */
struct gkv_verdict {
	const char *tee;		/* "tdx", "snp", "sim" */
	time_t now;			/* evaluation time */
	int nchecks;
	struct gkv_check checks[GKV_MAX_CHECKS];
	int internal;			/* -errno of an internal failure, or 0 */
	char internal_msg[256];
	char tcb_status[48];		/* "" when none was established */
	int tcb_code;			/* GK_TCB_* of gk_attest_format.h */
	int nmeas;
	const char *meas_name[GKV_MAX_MEAS];
	u8 meas[GKV_MAX_MEAS][GKV_MEAS_SIZE];
	bool have_report_data;
	u8 report_data[64];
	json_t *info;			/* TEE-specific facts for the output */
};

void gkv_verdict_init(struct gkv_verdict *v, const char *tee, time_t now);
void gkv_verdict_free(struct gkv_verdict *v);
void gkv_pass(struct gkv_verdict *v, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int gkv_fail(struct gkv_verdict *v, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void gkv_skip(struct gkv_verdict *v, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int gkv_internal(struct gkv_verdict *v, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void gkv_add_check(struct gkv_verdict *v, const struct gkv_check *c);
bool gkv_accepted(const struct gkv_verdict *v);
const char *gkv_reason(const struct gkv_verdict *v);
void gkv_set_meas(struct gkv_verdict *v, const char *name, const u8 *m);
void gkv_info_hex(struct gkv_verdict *v, const char *key, const u8 *p, size_t n);
/* The verifier's nonce: 32 bytes for the gate's binding, up to 64 for others. */
#define GKV_NONCE_MAX 64
struct gkv_nonce {
	u8 bytes[GKV_NONCE_MAX];
	size_t len;
};
struct gkv_ref;
void gkv_check_nonce(struct gkv_verdict *v, const struct gkv_ref *ref,
		     const struct gkv_nonce *nonce, const u8 *report_data, const char *field);
int gkv_verdict_print(const struct gkv_verdict *v, json_t *extra);
json_t *gkv_checks_json(const struct gkv_verdict *v);
void gkv_checks_print(const struct gkv_verdict *v, FILE *out);

/* time.c */
int gkv_parse_time(const char *s, time_t *out);
int gkv_parse_iso8601(const char *s, time_t *out);
void gkv_fmt_time(time_t t, char buf[32]);
int gkv_asn1_time(const ASN1_TIME *a, time_t *out);

/* crypto.c */
int gkv_sha256(const void *a, size_t alen, const void *b, size_t blen,
	       u8 out[32]);
int gkv_ec_key_from_xy(const char *group, const u8 *xy, size_t n,
		       EVP_PKEY **key);
bool gkv_is_ec_key(EVP_PKEY *key, int nid);
int gkv_ecdsa_verify_rs(EVP_PKEY *key, const EVP_MD *md, const u8 *msg,
			size_t len, const u8 *r, const u8 *s, size_t n, bool le);
int gkv_read_cert(const char *path, X509 **cert);
void gkv_cert_cn(X509 *c, char *buf, size_t n);
bool gkv_cert_cn_is(X509 *c, const char *want);
int gkv_cert_window(X509 *c, time_t now, const char *what, char *msg,
		    size_t n);
int gkv_verify_chain(X509 *leaf, STACK_OF(X509) *untrusted, X509 *root,
		     STACK_OF(X509_CRL) *crls, time_t now, bool check_ss,
		     char *msg, size_t n);

/*
 * The signature checks an appraisal cannot do without, alone: the floor
 * --repeat measures the appraisal against.  Each is an ECDSA signature
 * given as r and s (gkv_ecdsa_verify_rs()'s arguments) or, with @cert set,
 * a certificate's signature by @key (X509_verify()).
 */
#define GKV_FLOOR_MAX 3
struct gkv_floor {
	int n;
	struct gkv_floor_sig {
		const char *name;
		EVP_PKEY *key;
		X509 *cert;
		const EVP_MD *md;
		const u8 *msg, *r, *s;
		size_t len, rs_len;
		bool le;
	} sig[GKV_FLOOR_MAX];
	EVP_PKEY *key;			/* owned: a key the evidence carries */
	STACK_OF(X509) *certs;		/* owned: certificates it carries */
};

int gkv_floor_run(const struct gkv_floor *f);
void gkv_floor_free(struct gkv_floor *f);

#endif /* GKV_VERIFIER_H */
