// SPDX-License-Identifier: GPL-2.0
/*
 * The SGX extension of a PCK certificate.  It is a SEQUENCE of
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
