/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCK certificate chain a TDX quote carries: its checks (the
 * pck_certificates and pck_chain of docs/verifier.md), and the Intel SGX
 * extension of the leaf (OID 1.2.840.113741.1.13.1, "Intel SGX PCK
 * Certificate and Certificate Revocation List Profile"): the platform's TCB
 * (16 SGX component SVNs, PCESVN, CPUSVN), its FMSPC and PCE-ID, decoded
 * with OpenSSL's ASN.1 parser.
 */
#ifndef GKV_PCK_H
#define GKV_PCK_H

#include <openssl/x509.h>
#include "gk_shim.h"
#include "collateral.h"
#include "tdx_quote.h"

struct gkv_pck_ext {
	u8 ppid[16];
	u8 comp[16];			/* SGX TCB component SVNs */
	u32 pcesvn;
	u8 cpusvn[16];
	u8 pceid[2];
	u8 fmspc[6];
	int sgx_type;			/* 0 standard, 1 scalable, ... */
};

int gkv_pck_ext_parse(X509 *leaf, struct gkv_pck_ext *e, char *why,
		      size_t whylen);

/* A quote's PCK chain and what checking it against the collateral found. */
struct gkv_pck {
	u8 *text;			/* the chain as the quote carries it */
	size_t len;
	STACK_OF(X509) *certs;		/* leaf first */
	X509 *leaf;
	STACK_OF(X509) *untrusted;	/* the PCK CA */
	struct gkv_pck_ext ext;
	bool ok;			/* parsed and well-formed */
	struct gkv_check certs_check;	/* pck_certificates */
	struct gkv_check chain_check;	/* pck_chain */
};

struct gkv_pck_seen *gkv_pck_seen_new(void);
void gkv_pck_seen_free(struct gkv_pck_seen *seen);
const struct gkv_pck *gkv_pck_check(const struct gkv_tdx_collateral *col,
				    const struct gk_tdx_quote *q,
				    struct gkv_verdict *v);

#endif /* GKV_PCK_H */
