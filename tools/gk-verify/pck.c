// SPDX-License-Identifier: GPL-2.0
/*
 * The PCK certificates of a TDX quote.  Their checks depend on nothing but
 * the chain's bytes and the collateral, so each chain is checked once per
 * collateral load and what was found is kept for the quotes that carry the
 * same bytes (a platform's quotes all do): parsing a certificate costs
 * OpenSSL 3.0 about two P-256 signature checks, and verifying the chain
 * two more.  The quote's own signatures are checked every time (tdx.c).
 *
 * The SGX extension is a SEQUENCE of
 * SEQUENCE { OID, value }, the TCB member nesting the same shape once more.
 * OpenSSL decodes every level (d2i_ASN1_SEQUENCE_ANY); this file only
 * walks the result.  Each member must appear once; an unknown member is
 * refused rather than skipped, as it might qualify the ones we read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include "pck.h"
#include "tdx_quote.h"

#define SGX_EXT_OID "1.2.840.113741.1.13.1"

typedef STACK_OF(ASN1_TYPE) seq_t;

/* Decode the SEQUENCE in @t as a list of its members. */
static seq_t *subseq(const ASN1_TYPE *t)
{
	const unsigned char *p;

	if (!t || t->type != V_ASN1_SEQUENCE || !t->value.sequence)
		return NULL;
	p = t->value.sequence->data;
	return d2i_ASN1_SEQUENCE_ANY(NULL, &p, t->value.sequence->length);
}

/* Split a { OID, value } pair; writes the dotted OID into @oid. */
static const ASN1_TYPE *pair(seq_t *s, char *oid, size_t n)
{
	const ASN1_TYPE *o;

	if (!s || sk_ASN1_TYPE_num(s) != 2)
		return NULL;
	o = sk_ASN1_TYPE_value(s, 0);
	if (o->type != V_ASN1_OBJECT ||
	    OBJ_obj2txt(oid, (int)n, o->value.object, 1) <= 0 ||
	    (size_t)OBJ_obj2txt(NULL, 0, o->value.object, 1) >= n)
		return NULL;
	return sk_ASN1_TYPE_value(s, 1);
}

static int octets(const ASN1_TYPE *t, u8 *out, int n)
{
	if (t->type != V_ASN1_OCTET_STRING ||
	    ASN1_STRING_length(t->value.octet_string) != n)
		return -EBADMSG;
	memcpy(out, ASN1_STRING_get0_data(t->value.octet_string), (size_t)n);
	return 0;
}

static int integer(const ASN1_TYPE *t, int64_t max, u32 *out)
{
	int64_t v;

	if (t->type != V_ASN1_INTEGER ||
	    ASN1_INTEGER_get_int64(&v, t->value.integer) != 1 || v < 0 ||
	    v > max)
		return -EBADMSG;
	*out = (u32)v;
	return 0;
}

/* Member i of "1.2.840.113741.1.13.1.<i>" or ".2.<i>": its last arc. */
static int last_arc(const char *oid, const char *prefix)
{
	size_t pl = strlen(prefix);
	char *end;
	long v;

	if (strncmp(oid, prefix, pl) || oid[pl] != '.')
		return -1;
	v = strtol(oid + pl + 1, &end, 10);
	if (*end || end == oid + pl + 1 || v <= 0 || v > 64)
		return -1;
	return (int)v;
}

/* A walk over the { OID, value } members of one SEQUENCE. */
struct members {
	const char *prefix;		/* their OID, but for its last arc */
	const char *what;		/* how errors name the SEQUENCE */
	int max;			/* last arcs 1..max */
	unsigned long long seen;	/* bit N: member N was there */
	char oid[80];			/* the current member's OID */
	seq_t *pair;			/* the current member, to free */
};

/*
 * Member @i of @s, one not seen before.  Return: its value, with its last
 * arc in *@arc (free @m->pair after use); NULL with @why set.
 */
static const ASN1_TYPE *next_member(struct members *m, seq_t *s, int i, int *arc,
				    char *why, size_t whylen)
{
	const ASN1_TYPE *val;

	m->pair = subseq(sk_ASN1_TYPE_value(s, i));
	val = pair(m->pair, m->oid, sizeof(m->oid));
	*arc = val ? last_arc(m->oid, m->prefix) : -1;
	if (*arc < 1 || *arc > m->max || m->seen & (1ULL << *arc)) {
		snprintf(why, whylen, "%s: unexpected or repeated member %s", m->what,
			 val ? m->oid : "(malformed)");
		sk_ASN1_TYPE_pop_free(m->pair, ASN1_TYPE_free);
		m->pair = NULL;
		return NULL;
	}
	m->seen |= 1ULL << *arc;
	return val;
}

static int parse_tcb(const ASN1_TYPE *t, struct gkv_pck_ext *e, char *why,
		     size_t whylen)
{
	struct members m = { .prefix = SGX_EXT_OID ".2", .what = "PCK TCB", .max = 18 };
	seq_t *s = subseq(t);
	int i, err = -EBADMSG;

	if (!s) {
		snprintf(why, whylen, "PCK TCB member is not a SEQUENCE");
		return -EBADMSG;
	}
	for (i = 0; i < sk_ASN1_TYPE_num(s); i++) {
		const ASN1_TYPE *val;
		u32 svn = 0;
		int arc, bad;

		val = next_member(&m, s, i, &arc, why, whylen);
		if (!val)
			goto out;
		if (arc <= 16) {
			bad = integer(val, 255, &svn);
			e->comp[arc - 1] = (u8)svn;
		} else if (arc == 17) {
			bad = integer(val, 0xffff, &e->pcesvn);
		} else {
			bad = octets(val, e->cpusvn, 16);
		}
		sk_ASN1_TYPE_pop_free(m.pair, ASN1_TYPE_free);
		if (bad) {
			snprintf(why, whylen, "PCK TCB: member %s has the wrong type or range",
				 m.oid);
			goto out;
		}
	}
	/* Arcs 1..18, all of them. */
	if (m.seen != 0x7fffeULL) {
		snprintf(why, whylen, "PCK TCB: members missing");
		goto out;
	}
	err = 0;
out:
	sk_ASN1_TYPE_pop_free(s, ASN1_TYPE_free);
	return err;
}

/**
 * gkv_pck_ext_parse() - decode the SGX extension of a PCK leaf certificate
 * @leaf: the PCK certificate
 * @e: filled on success
 * @why: what is wrong, on failure
 * @whylen: room in @why
 *
 * Return: 0; -EBADMSG if the extension is absent, repeated or malformed.
 */
int gkv_pck_ext_parse(X509 *leaf, struct gkv_pck_ext *e, char *why,
		      size_t whylen)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(SGX_EXT_OID, 1);
	const ASN1_OCTET_STRING *data;
	X509_EXTENSION *ext;
	struct members m = { .prefix = SGX_EXT_OID, .what = "PCK SGX extension", .max = 7 };
	const unsigned char *p;
	seq_t *s = NULL;
	int idx, i, err = -EBADMSG;

	memset(e, 0, sizeof(*e));
	if (!obj)
		return -ENOMEM;
	idx = X509_get_ext_by_OBJ(leaf, obj, -1);
	if (idx < 0 || X509_get_ext_by_OBJ(leaf, obj, idx) >= 0) {
		snprintf(why, whylen, "PCK certificate has %s SGX extension",
			 idx < 0 ? "no" : "more than one");
		goto out;
	}
	ext = X509_get_ext(leaf, idx);
	data = X509_EXTENSION_get_data(ext);
	p = ASN1_STRING_get0_data(data);
	s = d2i_ASN1_SEQUENCE_ANY(NULL, &p, ASN1_STRING_length(data));
	if (!s || p != ASN1_STRING_get0_data(data) + ASN1_STRING_length(data)) {
		snprintf(why, whylen, "PCK SGX extension is not a DER SEQUENCE");
		goto out;
	}
	for (i = 0; i < sk_ASN1_TYPE_num(s); i++) {
		const ASN1_TYPE *val;
		u32 type;
		int arc, bad = 0;

		val = next_member(&m, s, i, &arc, why, whylen);
		if (!val)
			goto out;
		switch (arc) {
		case 1:
			bad = octets(val, e->ppid, 16);
			break;
		case 2:
			bad = parse_tcb(val, e, why, whylen);
			break;
		case 3:
			bad = octets(val, e->pceid, 2);
			break;
		case 4:
			bad = octets(val, e->fmspc, 6);
			break;
		case 5:
			/* SGX Type is an ENUMERATED. */
			bad = val->type != V_ASN1_ENUMERATED;
			if (!bad) {
				int64_t v;

				bad = ASN1_ENUMERATED_get_int64(&v, val->value.enumerated) != 1 ||
				      v < 0 || v > 255;
				type = (u32)v;
				e->sgx_type = (int)type;
			}
			break;
		default:
			/* 6 PlatformInstanceID, 7 Configuration: only in
			 * platform-CA-issued certificates, not used here. */
			break;
		}
		sk_ASN1_TYPE_pop_free(m.pair, ASN1_TYPE_free);
		if (bad) {
			if (arc != 2)
				snprintf(why, whylen, "PCK SGX extension: member %s has the wrong type or length",
					 m.oid);
			goto out;
		}
	}
	if ((m.seen & 0x3e) != 0x3e) {
		snprintf(why, whylen, "PCK SGX extension: required members missing");
		goto out;
	}
	err = 0;
out:
	ERR_clear_error();
	sk_ASN1_TYPE_pop_free(s, ASN1_TYPE_free);
	ASN1_OBJECT_free(obj);
	return err;
}

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
