// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of gk-verify ebpf: the measurement log parser (core/mlog.c),
 * the replay, the TPM quote checks (tools/gk-verify/tpm.c) and the
 * reference values' "ebpf" requirements (tools/gk-verify/ebpf.c).
 *
 * Logs are built here byte by byte from docs/formats.md, and their replay
 * computed here with OpenSSL; quotes are made as a TPM makes them, without
 * one: a TPMS_ATTEST marshalled by libtss2-mu, signed with a key made in
 * the test (ECDSA P-256, RSASSA and RSAPSS), so that the quote path runs
 * on real signatures.  Each case says which check must fail first.
 *
 * Output: one line per failure with its context, then "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <tss2/tss2_mu.h>

#include "gk_mlog.h"
#include "gk_test.h"
#include "ebpf.h"
#include "tpm.h"

_Static_assert(sizeof(struct gk_mlog_hdr) == GK_MLOG_HDR_SIZE, "header size");
_Static_assert(sizeof(struct gk_mlog_event) == GK_MLOG_EVENT_SIZE, "event size");
_Static_assert(offsetof(struct gk_mlog_event, subject) == 24, "subject offset");
_Static_assert(offsetof(struct gk_mlog_event, name) == 88, "name offset");
_Static_assert(offsetof(struct gk_mlog_event, reserved) == 216, "reserved offset");

#define PCR 14
#define MAXEV 16
#define EV(i) (GK_MLOG_HDR_SIZE + (i) * GK_MLOG_EVENT_SIZE)

static void put32(u8 *p, u32 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static void put64(u8 *p, u64 v)
{
	put32(p, (u32)v);
	put32(p + 4, (u32)(v >> 32));
}

/* A log: the header, then events added one by one. */
struct log {
	u8 buf[GK_MLOG_HDR_SIZE + MAXEV * GK_MLOG_EVENT_SIZE];
	size_t len;
	u32 n;
};

/* Offsets of the fields in an event (docs/formats.md). */
enum { O_SEQ = 0, O_TYPE = 4, O_DETAIL = 6, O_TIME = 8, O_VALUE = 16, O_SUBJECT = 24,
       O_KEY = 56, O_NAME = 88, O_BY = 152, O_RESERVED = 216 };

static u8 *add(struct log *l, u16 type, u16 detail, u64 value, u8 subject, u8 key,
	       const char *name, const char *by)
{
	u8 *e = l->buf + EV(l->n);

	memset(e, 0, GK_MLOG_EVENT_SIZE);
	put32(e + O_SEQ, l->n);
	e[O_TYPE] = (u8)type;
	e[O_DETAIL] = (u8)detail;
	put64(e + O_TIME, 1764900000000000000ULL + l->n);
	put64(e + O_VALUE, value);
	memset(e + O_SUBJECT, subject, 32);
	memset(e + O_KEY, key, 32);
	if (name)
		memcpy(e + O_NAME, name, strlen(name));
	if (by)
		memcpy(e + O_BY, by, strlen(by));
	l->n++;
	l->len = EV(l->n);
	return e;
}

/* The log measure.sh makes: start, admin key, publisher key, policy, admissions, lock. */
static void good_log(struct log *l)
{
	memset(l, 0, sizeof(*l));
	memcpy(l->buf, "GKMLOG\0\1", 8);
	put32(l->buf + 8, 1);
	put32(l->buf + 12, PCR);
	l->len = GK_MLOG_HDR_SIZE;
	add(l, GK_MLOG_START, 0, 123456789, 0, 0, "6.12.0-gk", "0.9.0");
	add(l, GK_MLOG_KEY, GK_MLOG_KEYRING_ADMIN, 0, 0, 0xa1, NULL, "insmod");
	add(l, GK_MLOG_KEY, GK_MLOG_KEYRING_PUBLISHERS, 0, 0, 0xa2, NULL, "gkctl");
	add(l, GK_MLOG_POLICY, GK_MLOG_MODE_ENFORCE, 3, 0x50, 0, "measured", "gkctl");
	add(l, GK_MLOG_ADMIT, GK_MLOG_HOW_SIGNATURE, 1, 0xd1, 0xa2, "gk_minimal", "acme");
	add(l, GK_MLOG_ADMIT, GK_MLOG_HOW_PROBE, 1, 0xd2, 0, "", "libbpf-trivial");
	add(l, GK_MLOG_PROBES, 1, 0, 0, 0, NULL, "gkctl");
	add(l, GK_MLOG_ATTEST, GK_TEE_SIM, 1764900300, 0x5a, 0xa3, "maa-eu", "gkctl");
	add(l, GK_MLOG_LOCK, 0, 0, 0, 0, NULL, "gkctl");
}

static void sha256(const void *a, size_t alen, const void *b, size_t blen, u8 out[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	if (!c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL) || !EVP_DigestUpdate(c, a, alen) ||
	    (b && !EVP_DigestUpdate(c, b, blen)) || !EVP_DigestFinal_ex(c, out, NULL)) {
		fprintf(stderr, "sha256 failed\n");
		exit(99);
	}
	EVP_MD_CTX_free(c);
}

/* The PCR after the first @n events: the replay rule of docs/formats.md, here. */
static void expect_pcr(const struct log *l, u32 n, u8 pcr[32])
{
	u8 h[32];
	u32 k;

	memcpy(pcr, l->buf + EV(0) + O_SUBJECT, 32);
	for (k = 0; k < n; k++) {
		sha256(l->buf + EV(k), GK_MLOG_EVENT_SIZE, NULL, 0, h);
		sha256(pcr, 32, h, 32, pcr);
	}
}

/* ------------------------------------------------------------------ */
/* The parser                                                         */
/* ------------------------------------------------------------------ */

struct mcase {
	const char *desc;
	u32 at;			/* event patched (its offset @off) */
	u32 off;
	u8 val;
	int err;
	u32 bad;		/* the event gk_mlog_parse() must name */
	const char *why;	/* a part of its reason */
};

static const struct mcase mcases[] = {
	{ "valid", 0, 0, 0, 0, 0, NULL },
	{ "seq of event 3 is 4", 3, O_SEQ, 4, -EBADMSG, 3, "seq out of order" },
	{ "seq of event 0 is 1", 0, O_SEQ, 1, -EBADMSG, 0, "seq out of order" },
	{ "type 0", 2, O_TYPE, 0, -EBADMSG, 2, "unknown type" },
	{ "type 10", 5, O_TYPE, 10, -EBADMSG, 5, "unknown type" },
	{ "type high byte", 5, O_TYPE + 1, 1, -EBADMSG, 5, "unknown type" },
	{ "START again", 4, O_TYPE, GK_MLOG_START, -EBADMSG, 4, "START after event 0" },
	{ "event 0 is a LOCK", 0, O_TYPE, GK_MLOG_LOCK, -EBADMSG, 0, "event 0 is not START" },
	{ "reserved first byte", 1, O_RESERVED, 1, -EBADMSG, 1, "reserved" },
	{ "reserved last byte", 8, GK_MLOG_EVENT_SIZE - 1, 0x80, -EBADMSG, 8, "reserved" },
	{ "START with detail", 0, O_DETAIL, 1, -EBADMSG, 0, "detail set" },
	{ "LOCK with value", 8, O_VALUE + 7, 1, -EBADMSG, 8, "value set" },
	{ "KEY with subject", 1, O_SUBJECT + 31, 1, -EBADMSG, 1, "subject set" },
	{ "POLICY with key", 3, O_KEY, 1, -EBADMSG, 3, "key set" },
	{ "KEY with name", 2, O_NAME + 63, 'x', -EBADMSG, 2, "name set" },
	{ "LOCK with a name", 8, O_NAME, 'x', -EBADMSG, 8, "name set" },
	{ "PROBES with key", 6, O_KEY + 5, 1, -EBADMSG, 6, "key set" },
	{ "KEY in keyring 4", 1, O_DETAIL, 4, -EBADMSG, 1, "detail is none" },
	{ "KEY in keyring 0", 1, O_DETAIL, 0, -EBADMSG, 1, "detail is none" },
	{ "POLICY mode 2", 3, O_DETAIL, 2, -EBADMSG, 3, "detail is none" },
	{ "PROBES 2", 6, O_DETAIL, 2, -EBADMSG, 6, "detail is none" },
	{ "ATTEST tee 4", 7, O_DETAIL, 4, -EBADMSG, 7, "detail is none" },
	{ "ADMIT how 5", 4, O_DETAIL, 5, -EBADMSG, 4, "detail is none" },
	{ "ADMIT how high byte", 4, O_DETAIL + 1, 1, -EBADMSG, 4, "detail is none" },
	{ "name without a NUL", 4, O_NAME + 63, 'x', -EBADMSG, 4, "name: no NUL" },
	{ "a byte after the name's NUL", 4, O_NAME + 40, 'x', -EBADMSG, 4, "name: no NUL, or bytes after" },
	{ "by without a NUL", 0, O_BY + 63, 'x', -EBADMSG, 0, "by: no NUL" },
	{ "a byte after by's NUL", 8, O_BY + 7, 'x', -EBADMSG, 8, "by: no NUL, or bytes after" },
	/* The order of the checks: seq before type before reserved before fields. */
	{ "seq and type wrong: seq named", 2, O_SEQ + 3, 1, -EBADMSG, 2, "seq" },
	{ "valid: a name of 63 bytes", 0, 0, 0, 0, 0, NULL },
};

static int parse(const u8 *buf, size_t len, u32 *n, u32 *bad, const char **why)
{
	u8 *copy = malloc(len ? len : 1);
	int err;

	if (!copy)
		exit(99);
	memcpy(copy, buf, len);
	*why = NULL;
	err = gk_mlog_parse(copy, len, n, bad, why);
	free(copy);
	return err;
}

static void test_parser_table(void)
{
	const struct mcase *c;
	struct log l;
	const char *why;
	u32 n, bad;
	size_t i;
	int err;

	for (i = 0; i < sizeof(mcases) / sizeof(mcases[0]); i++) {
		c = &mcases[i];
		good_log(&l);
		if (!strcmp(c->desc, "valid: a name of 63 bytes"))
			memset(l.buf + EV(4) + O_NAME, 'n', GK_MLOG_TEXT - 1);
		else if (c->err)
			l.buf[EV(c->at) + c->off] = c->val;
		if (!strcmp(c->desc, "seq and type wrong: seq named"))
			l.buf[EV(2) + O_TYPE] = 0;
		err = parse(l.buf, l.len, &n, &bad, &why);
		CHECK_ERR(err, c->err, "%s", c->desc);
		if (!c->err) {
			CHECK(n == l.n, "%s: %u events, want %u", c->desc, n, l.n);
			continue;
		}
		CHECK(bad == c->bad, "%s: event %u named, want %u", c->desc, bad, c->bad);
		CHECK(why && strstr(why, c->why), "%s: reason \"%s\", want \"%s\"", c->desc,
		      why ? why : "(none)", c->why);
	}
}

static void test_parser_header(void)
{
	struct log l;
	const char *why;
	u32 n, bad;
	size_t len;

	good_log(&l);
	l.buf[7] = 2;
	CHECK_ERR(parse(l.buf, l.len, &n, &bad, &why), -EBADMSG, "bad magic");
	CHECK(bad == GK_MLOG_BAD_HDR, "bad magic: the header is named");
	good_log(&l);
	put32(l.buf + 8, 2);
	CHECK_ERR(parse(l.buf, l.len, &n, &bad, &why), -EPROTONOSUPPORT, "version 2");
	good_log(&l);
	CHECK_ERR(parse(l.buf, GK_MLOG_HDR_SIZE, &n, &bad, &why), -EBADMSG, "a header alone");
	CHECK(why && strstr(why, "no START"), "a header alone: no START event");
	for (len = 0; len < GK_MLOG_HDR_SIZE; len++)
		CHECK_ERR(parse(l.buf, len, &n, &bad, &why), -EBADMSG, "%zu bytes of header", len);
	/* Truncation anywhere in any event names that event. */
	for (len = GK_MLOG_HDR_SIZE + 1; len < l.len; len += 37) {
		u32 want = (u32)((len - GK_MLOG_HDR_SIZE) / GK_MLOG_EVENT_SIZE);

		if ((len - GK_MLOG_HDR_SIZE) % GK_MLOG_EVENT_SIZE == 0)
			continue;
		CHECK_ERR(parse(l.buf, len, &n, &bad, &why), -EBADMSG, "cut to %zu bytes", len);
		CHECK(bad == want && why && strstr(why, "truncated"),
		      "cut to %zu bytes: event %u truncated (got %u, %s)", len, want, bad, why);
	}
	/* A header of no TPM is well formed. */
	good_log(&l);
	put32(l.buf + 12, GK_MLOG_NO_PCR);
	CHECK_ERR(parse(l.buf, l.len, &n, &bad, &why), 0, "pcr none");
	/* Two events swapped: the first out of place is named. */
	good_log(&l);
	{
		u8 tmp[GK_MLOG_EVENT_SIZE];

		memcpy(tmp, l.buf + EV(3), sizeof(tmp));
		memcpy(l.buf + EV(3), l.buf + EV(5), sizeof(tmp));
		memcpy(l.buf + EV(5), tmp, sizeof(tmp));
	}
	CHECK_ERR(parse(l.buf, l.len, &n, &bad, &why), -EBADMSG, "events 3 and 5 swapped");
	CHECK(bad == 3 && why && strstr(why, "seq"), "events 3 and 5 swapped: event 3's seq named");
	/* One dropped from the middle. */
	good_log(&l);
	memmove(l.buf + EV(4), l.buf + EV(5), l.len - EV(5));
	CHECK_ERR(parse(l.buf, l.len - GK_MLOG_EVENT_SIZE, &n, &bad, &why), -EBADMSG, "event 4 dropped");
	CHECK(bad == 4, "event 4 dropped: event 4 named (got %u)", bad);
}

/* ------------------------------------------------------------------ */
/* Quotes                                                             */
/* ------------------------------------------------------------------ */

enum scheme { ECDSA, RSASSA, RSAPSS };

struct quote {
	u8 attest[sizeof(TPM2B_ATTEST)];
	size_t attest_len;
	u8 sig[sizeof(TPMT_SIGNATURE)];
	size_t sig_len;
};

static EVP_PKEY *ec_key, *rsa_key, *other_ec_key;
static const u8 nonce[32] = { 0x6e, 0x6f, 0x6e, 0x63, 0x65 };

/* A quote's fields, before it is signed. */
struct qspec {
	u8 pcr_value[32];
	const u8 *nonce;
	size_t nonce_len;
	TPMI_ALG_HASH bank;
	u32 pcr, pcr2;		/* pcr2: a second PCR selected, or 0 */
	TPM2_ST type;
	TPM2_GENERATED magic;
	bool wrap;		/* as TPM2B_ATTEST */
};

static void spec_default(struct qspec *s, const struct log *l)
{
	memset(s, 0, sizeof(*s));
	expect_pcr(l, l->n, s->pcr_value);
	s->nonce = nonce;
	s->nonce_len = sizeof(nonce);
	s->bank = TPM2_ALG_SHA256;
	s->pcr = PCR;
	s->type = TPM2_ST_ATTEST_QUOTE;
	s->magic = TPM2_GENERATED_VALUE;
}

static void die(const char *what)
{
	fprintf(stderr, "test_ebpf: %s failed\n", what);
	exit(99);
}

static void make_quote(const struct qspec *s, EVP_PKEY *key, enum scheme sch, struct quote *q)
{
	TPMS_ATTEST a = { 0 };
	TPMT_SIGNATURE ts = { 0 };
	TPM2B_ATTEST b = { 0 };
	TPMS_PCR_SELECTION *sel;
	EVP_PKEY_CTX *pctx;
	EVP_MD_CTX *c;
	u8 der[512];
	const u8 *p;
	size_t off = 0, dlen = sizeof(der);
	ECDSA_SIG *es;
	const BIGNUM *r, *sv;

	a.magic = s->magic;
	a.type = s->type;
	a.qualifiedSigner.size = 34;
	memset(a.qualifiedSigner.name, 0x0b, 34);
	a.extraData.size = (UINT16)s->nonce_len;
	memcpy(a.extraData.buffer, s->nonce, s->nonce_len);
	a.clockInfo.clock = 123456;
	a.clockInfo.resetCount = 2;
	a.clockInfo.safe = TPM2_YES;
	a.firmwareVersion = 0x2000100000000ULL;
	a.attested.quote.pcrSelect.count = s->pcr2 == 99 ? 2 : 1;
	sel = &a.attested.quote.pcrSelect.pcrSelections[0];
	sel->hash = s->bank;
	sel->sizeofSelect = 3;
	sel->pcrSelect[s->pcr / 8] |= 1u << (s->pcr % 8);
	if (s->pcr2 && s->pcr2 != 99)
		sel->pcrSelect[s->pcr2 / 8] |= 1u << (s->pcr2 % 8);
	if (s->pcr2 == 99) {
		sel[1] = sel[0];
		sel[1].hash = TPM2_ALG_SHA1;
	}
	a.attested.quote.pcrDigest.size = 32;
	sha256(s->pcr_value, 32, NULL, 0, a.attested.quote.pcrDigest.buffer);
	if (Tss2_MU_TPMS_ATTEST_Marshal(&a, b.attestationData, sizeof(b.attestationData), &off))
		die("Tss2_MU_TPMS_ATTEST_Marshal");
	b.size = (UINT16)off;

	c = EVP_MD_CTX_new();
	if (!c || EVP_DigestSignInit(c, &pctx, EVP_sha256(), NULL, key) != 1 ||
	    (sch == RSAPSS && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
			       EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) != 1)) ||
	    EVP_DigestSign(c, der, &dlen, b.attestationData, b.size) != 1)
		die("signing the quote");
	EVP_MD_CTX_free(c);
	if (sch == ECDSA) {
		p = der;
		es = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
		if (!es)
			die("d2i_ECDSA_SIG");
		ECDSA_SIG_get0(es, &r, &sv);
		ts.sigAlg = TPM2_ALG_ECDSA;
		ts.signature.ecdsa.hash = TPM2_ALG_SHA256;
		ts.signature.ecdsa.signatureR.size = (UINT16)BN_bn2binpad(r, ts.signature.ecdsa.signatureR.buffer, 32);
		ts.signature.ecdsa.signatureS.size = (UINT16)BN_bn2binpad(sv, ts.signature.ecdsa.signatureS.buffer, 32);
		ECDSA_SIG_free(es);
	} else {
		ts.sigAlg = sch == RSASSA ? TPM2_ALG_RSASSA : TPM2_ALG_RSAPSS;
		ts.signature.rsassa.hash = TPM2_ALG_SHA256;
		ts.signature.rsassa.sig.size = (UINT16)dlen;
		memcpy(ts.signature.rsassa.sig.buffer, der, dlen);
	}
	off = 0;
	if (Tss2_MU_TPMT_SIGNATURE_Marshal(&ts, q->sig, sizeof(q->sig), &off))
		die("Tss2_MU_TPMT_SIGNATURE_Marshal");
	q->sig_len = off;
	off = 0;
	if (s->wrap) {
		if (Tss2_MU_TPM2B_ATTEST_Marshal(&b, q->attest, sizeof(q->attest), &off))
			die("Tss2_MU_TPM2B_ATTEST_Marshal");
		q->attest_len = off;
	} else {
		memcpy(q->attest, b.attestationData, b.size);
		q->attest_len = b.size;
	}
}

/* Appraise; Return: the first failed check's name, "" if accepted. */
static const char *appraise(const struct log *l, const struct quote *q, EVP_PKEY *ak,
			    const u8 *pcr_value, const struct gkv_ref *ref, char *reason, size_t rn)
{
	static char name[64];
	struct gkv_ebpf_out out;
	struct gkv_ebpf_in in = {
		.log = l->buf, .log_len = l->len, .ak = ak, .nonce = nonce,
		.nonce_len = sizeof(nonce), .pcr_value = pcr_value, .ref = ref,
	};
	struct gkv_verdict *v = malloc(sizeof(*v));
	int i;

	if (!v)
		exit(99);
	if (q) {
		in.quote = q->attest;
		in.quote_len = q->attest_len;
		in.sig = q->sig;
		in.sig_len = q->sig_len;
	}
	gkv_verdict_init(v, "ebpf", 0);
	gkv_ebpf_appraise(&in, v, &out);
	name[0] = '\0';
	snprintf(reason, rn, "%s", gkv_reason(v));
	for (i = 0; i < v->nchecks; i++)
		if (v->checks[i].result == GKV_FAIL) {
			snprintf(name, sizeof(name), "%s", v->checks[i].name);
			break;
		}
	if (!name[0] && !gkv_accepted(v))
		snprintf(name, sizeof(name), "internal");
	gkv_ebpf_out_free(&out);
	gkv_verdict_free(v);
	free(v);
	return name;
}

/* appraise() of the case's log, quote (and AK) or PCR value, with its ref and why. */
#define QUOTED(log, ak) appraise((log), &q, (ak), NULL, &ref, why, sizeof(why))
#define GIVEN(log, pcr) appraise((log), NULL, NULL, (pcr), &ref, why, sizeof(why))

/* The first failed check of an appraisal is @want ("": accepted). */
#define EXPECT(got, want, reason, desc) expect(__LINE__, (got), (want), (reason), (desc))

static void expect(int line, const char *got, const char *want, const char *reason, const char *desc)
{
	report(!strcmp(got, want), line, "%s: first failed check \"%s\", want \"%s\" (reason: %s)",
	       desc, got, want, reason);
}

static const char *fmt(const char *f, const char *a)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), f, a);
	return buf;
}

static void test_quotes(void)
{
	static const struct {
		enum scheme sch;
		const char *name;
	} schemes[] = { { ECDSA, "ECDSA P-256" }, { RSASSA, "RSASSA" }, { RSAPSS, "RSAPSS" } };
	struct gkv_ref ref;
	struct qspec s;
	struct quote q;
	struct log l;
	char why[320];
	EVP_PKEY *k;
	size_t i;

	gkv_ref_defaults(&ref);
	good_log(&l);
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		k = schemes[i].sch == ECDSA ? ec_key : rsa_key;
		spec_default(&s, &l);
		make_quote(&s, k, schemes[i].sch, &q);
		EXPECT(QUOTED(&l, k), "", why, fmt("%s quote", schemes[i].name));
		q.attest[q.attest_len - 40] ^= 1;
		EXPECT(QUOTED(&l, k), "quote-signature", why,
		       fmt("%s quote, a byte of it changed", schemes[i].name));
	}
	spec_default(&s, &l);
	s.wrap = true;
	make_quote(&s, ec_key, ECDSA, &q);
	EXPECT(QUOTED(&l, ec_key), "", why, "a TPM2B_ATTEST");

	spec_default(&s, &l);
	make_quote(&s, ec_key, ECDSA, &q);
	EXPECT(QUOTED(&l, other_ec_key), "quote-signature", why,
	       "another AK");
	EXPECT(QUOTED(&l, rsa_key), "quote-signature", why,
	       "an ECDSA signature, an RSA AK");
	q.sig[q.sig_len - 1] ^= 0x10;
	EXPECT(QUOTED(&l, ec_key), "quote-signature", why,
	       "the signature's s changed");
	make_quote(&s, ec_key, ECDSA, &q);
	EXPECT(QUOTED(&l, ec_key), "", why, "the same quote again");
	q.sig_len--;
	EXPECT(QUOTED(&l, ec_key), "quote-signature", why,
	       "a signature cut short");
	make_quote(&s, ec_key, ECDSA, &q);
	q.attest[q.attest_len++] = 0;
	EXPECT(QUOTED(&l, ec_key), "quote", why,
	       "a byte after the TPMS_ATTEST");

	spec_default(&s, &l);
	s.nonce = (const u8 *)"another nonce, thirty-two bytes!";
	make_quote(&s, ec_key, ECDSA, &q);
	EXPECT(QUOTED(&l, ec_key), "nonce", why, "another nonce");
	spec_default(&s, &l);
	s.nonce_len = 31;
	make_quote(&s, ec_key, ECDSA, &q);
	EXPECT(QUOTED(&l, ec_key), "nonce", why, "the nonce cut short");

	spec_default(&s, &l);
	s.pcr = 15;
	make_quote(&s, ec_key, ECDSA, &q);
	EXPECT(QUOTED(&l, ec_key), "pcr-selection", why, "PCR 15");
	spec_default(&s, &l);
	s.pcr2 = 7;
	make_quote(&s, ec_key, ECDSA, &q);
	EXPECT(QUOTED(&l, ec_key), "pcr-selection", why, "PCRs 7 and 14");
	spec_default(&s, &l);
	s.pcr2 = 99;
	make_quote(&s, ec_key, ECDSA, &q);
	EXPECT(QUOTED(&l, ec_key), "pcr-selection", why,
	       "PCR 14 of two banks");
	spec_default(&s, &l);
	s.bank = TPM2_ALG_SHA1;
	make_quote(&s, ec_key, ECDSA, &q);
	EXPECT(QUOTED(&l, ec_key), "pcr-selection", why, "the SHA-1 bank");
	spec_default(&s, &l);
	s.type = TPM2_ST_ATTEST_CERTIFY;
	make_quote(&s, ec_key, ECDSA, &q);
	EXPECT(QUOTED(&l, ec_key), "quote", why, "a certify, not a quote");
	spec_default(&s, &l);
	s.magic = 0xff544348;
	make_quote(&s, ec_key, ECDSA, &q);
	EXPECT(QUOTED(&l, ec_key), "quote", why, "magic not TPM_GENERATED");

	/* A log measured into no TPM has no PCR to compare. */
	spec_default(&s, &l);
	make_quote(&s, ec_key, ECDSA, &q);
	put32(l.buf + 12, GK_MLOG_NO_PCR);
	EXPECT(QUOTED(&l, ec_key), "pcr", why, "a log of no TPM, quoted");
	gkv_ref_free(&ref);
}

/* The log changed after the quote was made: every change is caught. */
static void test_tampering(void)
{
	struct gkv_ref ref;
	struct log l, t;
	struct qspec s;
	struct quote q;
	char why[320];
	u8 tmp[GK_MLOG_EVENT_SIZE];

	gkv_ref_defaults(&ref);
	good_log(&l);
	spec_default(&s, &l);
	make_quote(&s, ec_key, ECDSA, &q);

	t = l;
	t.buf[EV(4) + O_BY] = 'b';	/* "bcme" */
	EXPECT(QUOTED(&t, ec_key), "pcr-digest", why, "a publisher edited");
	CHECK(strstr(why, "replay does not match the quoted PCR"), "a publisher edited: reason \"%s\"", why);
	t = l;
	t.buf[EV(0) + O_TIME] ^= 1;
	EXPECT(QUOTED(&t, ec_key), "pcr-digest", why, "a time edited");
	t = l;
	t.buf[EV(0) + O_SUBJECT] ^= 1;
	EXPECT(QUOTED(&t, ec_key), "pcr-digest", why,
	       "START's PCR value edited");
	t = l;
	t.buf[EV(3) + O_VALUE] = 9;
	EXPECT(QUOTED(&t, ec_key), "pcr-digest", why,
	       "the policy version raised");

	/* The LOCK dropped from the end: well formed, but not what was quoted. */
	t = l;
	t.n--;
	t.len -= GK_MLOG_EVENT_SIZE;
	EXPECT(QUOTED(&t, ec_key), "pcr-digest", why, "the last event dropped");
	/* An event after the quote: the quote covers a part, which is said. */
	t = l;
	add(&t, GK_MLOG_MODE, GK_MLOG_MODE_AUDIT, 0, 0, 0, NULL, "gkctl");
	EXPECT(QUOTED(&t, ec_key), "pcr-digest", why, "an event appended");
	CHECK(strstr(why, "events 0..8, 1 more"), "an event appended: the covered part named (%s)", why);
	/* Two events swapped, renumbered so that the log still parses. */
	t = l;
	memcpy(tmp, t.buf + EV(4), sizeof(tmp));
	memcpy(t.buf + EV(4), t.buf + EV(5), sizeof(tmp));
	memcpy(t.buf + EV(5), tmp, sizeof(tmp));
	put32(t.buf + EV(4), 4);
	put32(t.buf + EV(5), 5);
	EXPECT(QUOTED(&t, ec_key), "pcr-digest", why,
	       "events 4 and 5 swapped and renumbered");
	/* Swapped, not renumbered; truncated: malformed, the event named. */
	put32(t.buf + EV(4), 5);
	put32(t.buf + EV(5), 4);
	EXPECT(QUOTED(&t, ec_key), "log", why, "events 4 and 5 swapped");
	CHECK(strstr(why, "event 4 (offset 1040): seq out of order"), "events 4 and 5 swapped: reason \"%s\"", why);
	t = l;
	t.len -= 100;
	EXPECT(QUOTED(&t, ec_key), "log", why, "truncated");
	CHECK(strstr(why, "event 8 (offset 2064): truncated event"), "truncated: reason \"%s\"", why);
	/* A foreign log: another gate's, well formed, its own START. */
	t = l;
	t.buf[EV(0) + O_NAME] = '7';
	EXPECT(QUOTED(&t, ec_key), "pcr-digest", why, "another machine's log");
	gkv_ref_free(&ref);
}

static void test_pcr_value(void)
{
	struct gkv_ref ref;
	struct log l;
	char why[320];
	u8 pcr[32];

	gkv_ref_defaults(&ref);
	good_log(&l);
	expect_pcr(&l, l.n, pcr);
	EXPECT(GIVEN(&l, pcr), "", why, "--pcr-value of the replay");
	expect_pcr(&l, l.n - 2, pcr);
	EXPECT(GIVEN(&l, pcr), "pcr", why, "--pcr-value of a part");
	CHECK(strstr(why, "events 0..6, 2 more"), "--pcr-value of a part: named (%s)", why);
	pcr[0] ^= 1;
	EXPECT(GIVEN(&l, pcr), "pcr", why, "another --pcr-value");
	EXPECT(GIVEN(&l, NULL), "pcr", why, "no quote, no PCR value");
	CHECK(strstr(why, "not verified"), "no quote, no PCR value: \"not verified\" (%s)", why);
	gkv_ref_free(&ref);
}

/* Reference values from JSON text, over the defaults. */
static void ref_from(struct gkv_ref *r, const char *json)
{
	char msg[256];
	json_error_t je;

	gkv_ref_defaults(r);
	if (gkv_ref_parse(json_loads(json, 0, &je), r, msg, sizeof(msg))) {
		fprintf(stderr, "test_ebpf: %s: %s\n", json, msg);
		exit(99);
	}
}

static void test_requirements(void)
{
	static const struct {
		const char *desc, *json;
		int mutate;		/* 0: the good log; 1: audit mode; 2: policy 2 audit;
					   3: an audit admission; 4: no lock; 5: no policy */
		const char *fails;	/* the first failed check, "" none */
	} cases[] = {
		{ "no requirements", "{\"ebpf\": {}}", 0, "" },
		{ "all met", "{\"ebpf\": {\"policy_version_min\": 3, \"locked\": true, \"no_audit\": true, "
			     "\"publishers\": [\"other\", \"acme\"]}}", 0, "" },
		{ "policy version 4 wanted", "{\"ebpf\": {\"policy_version_min\": 4}}", 0, "policy_version_min" },
		{ "policy version wanted, none loaded", "{\"ebpf\": {\"policy_version_min\": 0}}", 5,
		  "policy_version_min" },
		{ "locked wanted", "{\"ebpf\": {\"locked\": true}}", 4, "locked" },
		{ "locked not wanted", "{\"ebpf\": {\"locked\": false}}", 4, "" },
		{ "no_audit: a switch to audit", "{\"ebpf\": {\"no_audit\": true}}", 1, "no_audit" },
		{ "no_audit: an audit policy", "{\"ebpf\": {\"no_audit\": true}}", 2, "no_audit" },
		{ "no_audit: an audit admission", "{\"ebpf\": {\"no_audit\": true}}", 3, "no_audit" },
		{ "publisher not listed", "{\"ebpf\": {\"publishers\": [\"acme corp\"]}}", 0, "publishers" },
		{ "publishers: a probe's catalogue entry is not a publisher",
		  "{\"ebpf\": {\"publishers\": [\"acme\"]}}", 3, "" },
		{ "every requirement failing: the first named", "{\"ebpf\": {\"policy_version_min\": 9, "
		  "\"locked\": true, \"no_audit\": true, \"publishers\": []}}", 1, "policy_version_min" },
	};
	struct gkv_ref ref;
	struct log l;
	char why[320];
	u8 pcr[32];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		good_log(&l);
		switch (cases[i].mutate) {
		case 1:
			add(&l, GK_MLOG_MODE, GK_MLOG_MODE_AUDIT, 0, 0, 0, NULL, "gkctl");
			break;
		case 2:
			add(&l, GK_MLOG_POLICY, GK_MLOG_MODE_AUDIT, 4, 0x51, 0, "measured", "gkctl");
			break;
		case 3:
			add(&l, GK_MLOG_ADMIT, GK_MLOG_HOW_AUDIT, 2, 0xd3, 0, "gk_kprobe", "");
			break;
		case 4:
			l.n--;
			l.len -= GK_MLOG_EVENT_SIZE;
			break;
		case 5:
			l.buf[EV(3) + O_TYPE] = GK_MLOG_MODE;
			memset(l.buf + EV(3) + O_VALUE, 0, 8 + 32);
			memset(l.buf + EV(3) + O_NAME, 0, GK_MLOG_TEXT);
			break;
		}
		expect_pcr(&l, l.n, pcr);
		ref_from(&ref, cases[i].json);
		EXPECT(GIVEN(&l, pcr), cases[i].fails, why,
		       cases[i].desc);
		gkv_ref_free(&ref);
	}
}

/* The AK as tpm2-tools writes it: PEM, and the TPM2B_PUBLIC of a restricted signing key. */
static void test_ak_files(void)
{
	char dir[] = "/tmp/gk-test-ebpf.XXXXXX", path[64], msg[256];
	TPM2B_PUBLIC pub = { 0 };
	u8 buf[sizeof(pub)], xy[65];
	size_t off = 0, n = sizeof(xy);
	EVP_PKEY *ak;
	FILE *f;

	if (!mkdtemp(dir))
		die("mkdtemp");
	snprintf(path, sizeof(path), "%s/ak.pem", dir);
	f = fopen(path, "w");
	if (!f || !PEM_write_PUBKEY(f, ec_key) || fclose(f))
		die("writing ak.pem");
	CHECK_ERR(gkv_tpm_ak_read(path, &ak, msg, sizeof(msg)), 0, "a PEM AK");
	CHECK(ak && EVP_PKEY_eq(ak, ec_key) == 1, "a PEM AK: the same key");
	EVP_PKEY_free(ak);

	if (EVP_PKEY_get_octet_string_param(ec_key, OSSL_PKEY_PARAM_PUB_KEY, xy, sizeof(xy), &n) != 1)
		die("the EC point");
	pub.publicArea.type = TPM2_ALG_ECC;
	pub.publicArea.nameAlg = TPM2_ALG_SHA256;
	pub.publicArea.objectAttributes = TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN_ENCRYPT |
		TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN;
	pub.publicArea.parameters.eccDetail.symmetric.algorithm = TPM2_ALG_NULL;
	pub.publicArea.parameters.eccDetail.scheme.scheme = TPM2_ALG_ECDSA;
	pub.publicArea.parameters.eccDetail.scheme.details.ecdsa.hashAlg = TPM2_ALG_SHA256;
	pub.publicArea.parameters.eccDetail.curveID = TPM2_ECC_NIST_P256;
	pub.publicArea.parameters.eccDetail.kdf.scheme = TPM2_ALG_NULL;
	pub.publicArea.unique.ecc.x.size = 32;
	memcpy(pub.publicArea.unique.ecc.x.buffer, xy + 1, 32);
	pub.publicArea.unique.ecc.y.size = 32;
	memcpy(pub.publicArea.unique.ecc.y.buffer, xy + 33, 32);
	if (Tss2_MU_TPM2B_PUBLIC_Marshal(&pub, buf, sizeof(buf), &off))
		die("Tss2_MU_TPM2B_PUBLIC_Marshal");
	snprintf(path, sizeof(path), "%s/ak.pub", dir);
	f = fopen(path, "w");
	if (!f || fwrite(buf, 1, off, f) != off || fclose(f))
		die("writing ak.pub");
	CHECK_ERR(gkv_tpm_ak_read(path, &ak, msg, sizeof(msg)), 0, "a TPM2B_PUBLIC AK");
	CHECK(ak && EVP_PKEY_eq(ak, ec_key) == 1, "a TPM2B_PUBLIC AK: the same key");
	EVP_PKEY_free(ak);

	pub.publicArea.objectAttributes &= ~TPMA_OBJECT_RESTRICTED;
	off = 0;
	if (Tss2_MU_TPM2B_PUBLIC_Marshal(&pub, buf, sizeof(buf), &off))
		die("Tss2_MU_TPM2B_PUBLIC_Marshal");
	f = fopen(path, "w");
	if (!f || fwrite(buf, 1, off, f) != off || fclose(f))
		die("writing ak.pub");
	CHECK_ERR(gkv_tpm_ak_read(path, &ak, msg, sizeof(msg)), -EBADMSG, "an unrestricted key is no AK");
	CHECK(strstr(msg, "restricted"), "an unrestricted key is no AK: \"%s\"", msg);
	unlink(path);
	snprintf(path, sizeof(path), "%s/ak.pem", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	ec_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	other_ec_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	rsa_key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	if (!ec_key || !other_ec_key || !rsa_key)
		die("key generation");
	test_parser_table();
	test_parser_header();
	test_quotes();
	test_tampering();
	test_pcr_value();
	test_requirements();
	test_ak_files();
	EVP_PKEY_free(ec_key);
	EVP_PKEY_free(other_ec_key);
	EVP_PKEY_free(rsa_key);
	return gk_test_summary();
}
