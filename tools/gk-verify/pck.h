/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Intel SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1,
 * "Intel SGX PCK Certificate and Certificate Revocation List Profile"): the
 * platform's TCB (16 SGX component SVNs, PCESVN, CPUSVN), its FMSPC and
 * PCE-ID.  Decoded with OpenSSL's ASN.1 parser.
 */
#ifndef GKV_PCK_H
#define GKV_PCK_H

#include <openssl/x509.h>
#include "gk_shim.h"

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

#endif /* GKV_PCK_H */
