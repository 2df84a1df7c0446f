// SPDX-License-Identifier: GPL-2.0
/*
 * The PCK certificates of a TDX quote.  Their checks depend on nothing but
 * the chain's bytes and the collateral, so each chain is checked once per
 * collateral load and what was found is kept for the quotes that carry the
 * same bytes (a platform's quotes all do): parsing a certificate costs
 * OpenSSL 3.0 about two P-256 signature checks, and verifying the chain
 * two more.  The quote's own signatures are checked every time (tdx.c).
 * The leaf's SGX extension is decoded by pck.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include "pck.h"
#include "tdx_quote.h"

/* The chains kept: enough for a verifier's platforms, small enough to scan. */
#define GKV_PCK_SEEN 16

struct gkv_pck_seen {
	int n;				/* kept */
	int next;			/* the one to replace when full */
	struct gkv_pck *pck[GKV_PCK_SEEN];
};

static void pck_free(struct gkv_pck *p)
{
	if (!p)
		return;
	sk_X509_free(p->untrusted);
	sk_X509_pop_free(p->certs, X509_free);
	free(p->text);
	free(p);
}

struct gkv_pck_seen *gkv_pck_seen_new(void)
{
	return calloc(1, sizeof(struct gkv_pck_seen));
}

void gkv_pck_seen_free(struct gkv_pck_seen *seen)
{
	int i;

	if (!seen)
		return;
	for (i = 0; i < seen->n; i++)
		pck_free(seen->pck[i]);
	free(seen);
}

static void check_certs(const struct gkv_tdx_collateral *col,
			const struct gk_tdx_quote *q, struct gkv_pck *p,
			struct gkv_verdict *v)
{
	char why[200], fm[GK_HEX_SIZE(6)];
	int n;

	if (gk_tdx_pck_chain(q, &p->certs)) {
		gkv_fail(v, "pck_certificates", "PCK certificate chain in the quote is not valid PEM");
		return;
	}
	n = sk_X509_num(p->certs);
	if (n < 2 || n > 3) {
		gkv_fail(v, "pck_certificates", "PCK chain in the quote has %d certificates, expected leaf, CA and root", n);
		return;
	}
	p->leaf = sk_X509_value(p->certs, 0);
	if (!gkv_cert_cn_is(p->leaf, "Intel SGX PCK Certificate") ||
	    !(gkv_cert_cn_is(sk_X509_value(p->certs, 1), "Intel SGX PCK Platform CA") ||
	      gkv_cert_cn_is(sk_X509_value(p->certs, 1), "Intel SGX PCK Processor CA"))) {
		gkv_fail(v, "pck_certificates", "PCK chain in the quote is not a PCK certificate under a PCK Platform/Processor CA");
		return;
	}
	/* A root shipped in the quote is redundant; a different one is hostile. */
	if (n == 3 && col->root &&
	    X509_cmp(sk_X509_value(p->certs, 2), col->root)) {
		gkv_fail(v, "pck_certificates", "root certificate in the quote is not the pinned Intel SGX Root CA");
		return;
	}
	if (!gkv_is_ec_key(X509_get0_pubkey(p->leaf), NID_X9_62_prime256v1)) {
		gkv_fail(v, "pck_certificates", "PCK key is not ECDSA P-256");
		return;
	}
	if (gkv_pck_ext_parse(p->leaf, &p->ext, why, sizeof(why))) {
		gkv_fail(v, "pck_certificates", "%s", why);
		return;
	}
	p->untrusted = sk_X509_new_null();
	if (!p->untrusted || !sk_X509_push(p->untrusted, sk_X509_value(p->certs, 1))) {
		gkv_internal(v, -ENOMEM, "out of memory");
		return;
	}
	p->ok = true;
	gk_hex_buf(p->ext.fmspc, 6, fm);
	gkv_pass(v, "pck_certificates", "PCK leaf and CA parsed, FMSPC %s, PCESVN %u",
		 fm, p->ext.pcesvn);
}

static void check_chain(const struct gkv_tdx_collateral *col,
			const struct gkv_pck *p, struct gkv_verdict *v)
{
	char msg[320];

	if (!p->ok || !col->root) {
		gkv_skip(v, "pck_chain", "no usable PCK certificate or pinned root");
		return;
	}
	if (gkv_cert_window(p->leaf, col->now, "PCK", msg, sizeof(msg)) ||
	    gkv_cert_window(sk_X509_value(p->untrusted, 0), col->now, "PCK CA",
			    msg, sizeof(msg)) ||
	    gkv_verify_chain(p->leaf, p->untrusted, col->root, col->crls,
			     col->now, false, msg, sizeof(msg))) {
		gkv_fail(v, "pck_chain", "PCK chain: %s", msg);
		return;
	}
	gkv_pass(v, "pck_chain", "PCK certificate chains to the pinned Intel SGX Root CA%s",
		 col->crls ? ", not revoked" : " (revocation NOT checked)");
}

/* Check a chain not seen before.  Return: it, or NULL (in @v). */
static struct gkv_pck *pck_new(const struct gkv_tdx_collateral *col,
			       const struct gk_tdx_quote *q, struct gkv_verdict *v)
{
	struct gkv_pck *p = calloc(1, sizeof(*p));
	struct gkv_verdict found;

	if (!p || !(p->text = malloc(q->pck_chain_len ?: 1))) {
		free(p);
		gkv_internal(v, -ENOMEM, "out of memory");
		return NULL;
	}
	memcpy(p->text, q->pck_chain, q->pck_chain_len);
	p->len = q->pck_chain_len;
	gkv_verdict_init(&found, "tdx", col->now);
	check_certs(col, q, p, &found);
	check_chain(col, p, &found);
	if (found.internal || found.nchecks != 2) {
		gkv_internal(v, found.internal ?: -EIO, "%s", found.internal ? found.internal_msg :
			     "internal error: PCK checks incomplete");
		gkv_verdict_free(&found);
		pck_free(p);
		return NULL;
	}
	p->certs_check = found.checks[0];
	p->chain_check = found.checks[1];
	gkv_verdict_free(&found);
	return p;
}

/**
 * gkv_pck_check() - check the PCK chain of a quote, once per chain
 * @col: the collateral (its pinned root, CRLs and evaluation time)
 * @q: the quote
 * @v: the verdict, for an internal failure only
 *
 * The chain is parsed and checked the first time its bytes are seen with
 * @col; later quotes that carry the same bytes get what was found then.
 * The checks are for the caller to add to @v where they belong.
 *
 * Context: not thread-safe; @col's PCK chains change.
 * Return: the chain and its checks, valid until the next call; NULL on an
 * internal failure (in @v).
 */
const struct gkv_pck *gkv_pck_check(const struct gkv_tdx_collateral *col,
				    const struct gk_tdx_quote *q,
				    struct gkv_verdict *v)
{
	struct gkv_pck_seen *seen = col->pck_seen;
	struct gkv_pck *p;
	int i;

	if (!seen) {
		gkv_internal(v, -ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < seen->n; i++) {
		p = seen->pck[i];
		if (p->len == q->pck_chain_len && !memcmp(p->text, q->pck_chain, p->len))
			return p;
	}
	p = pck_new(col, q, v);
	if (!p)
		return NULL;
	if (seen->n < GKV_PCK_SEEN) {
		seen->pck[seen->n++] = p;
	} else {
		pck_free(seen->pck[seen->next]);
		seen->pck[seen->next] = p;
		seen->next = (seen->next + 1) % GKV_PCK_SEEN;
	}
	return p;
}
