// SPDX-License-Identifier: GPL-2.0
/*
 * TDX quote parser.  Structure only: every length read from the quote is
 * compared with what remains of the enclosing structure before anything is
 * taken, and nested lengths must add up exactly to their container so no
 * byte is left that a signature check or a later reader could disagree
 * about.  The one exception is after the signature data: quote-generation
 * interfaces hand out fixed-size buffers, so unsigned trailing bytes are
 * counted (q->trailing) and otherwise ignored.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include "parse.h"
#include "tdx_quote.h"

struct cursor {
	const u8 *p;
	size_t left;
};

/* Take @n bytes, or NULL if fewer remain. */
static const u8 *take(struct cursor *c, size_t n)
{
	const u8 *p = c->p;

	if (c->left < n)
		return NULL;
	c->p += n;
	c->left -= n;
	return p;
}

static void body_fields(struct gk_tdx_quote *q)
{
	const u8 *b = q->body;
	int i;

	q->tee_tcb_svn = b + TDB_TEE_TCB_SVN;
	q->mr_seam = b + TDB_MR_SEAM;
	q->mr_signer_seam = b + TDB_MR_SIGNER_SEAM;
	q->seam_attributes = b + TDB_SEAM_ATTRIBUTES;
	q->td_attributes = b + TDB_TD_ATTRIBUTES;
	q->xfam = b + TDB_XFAM;
	q->mr_td = b + TDB_MR_TD;
	q->mr_config_id = b + TDB_MR_CONFIG_ID;
	q->mr_owner = b + TDB_MR_OWNER;
	q->mr_owner_config = b + TDB_MR_OWNER_CONFIG;
	for (i = 0; i < 4; i++)
		q->rtmr[i] = b + TDB_RTMR0 + 48 * i;
	q->report_data = b + TDB_REPORT_DATA;
	if (q->body_type == TDX_BODY_TYPE_TD15) {
		q->tee_tcb_svn2 = b + TDB_TEE_TCB_SVN2;
		q->mr_servicetd = b + TDB_MR_SERVICETD;
	}
}

static void qe_fields(struct gk_tdx_quote *q)
{
	const u8 *r = q->qe_report;

	q->qe_cpusvn = r + SGXR_CPUSVN;
	q->qe_miscselect = gk_get_le32(r + SGXR_MISCSELECT);
	q->qe_attributes = r + SGXR_ATTRIBUTES;
	q->qe_mrenclave = r + SGXR_MRENCLAVE;
	q->qe_mrsigner = r + SGXR_MRSIGNER;
	q->qe_isvprodid = gk_get_le16(r + SGXR_ISVPRODID);
	q->qe_isvsvn = gk_get_le16(r + SGXR_ISVSVN);
	q->qe_report_data = r + SGXR_REPORT_DATA;
}

/* The header, and the v5 body descriptor: the quote's version and body. */
static int quote_header(struct cursor *c, struct gk_tdx_quote *q, char *why, size_t whylen)
{
	const u8 *h, *d;

	h = take(c, TDX_HDR_SIZE);
	if (!h)
		FAIL(-EBADMSG, "quote truncated: %zu bytes, the header alone is %d",
		     q->len, TDX_HDR_SIZE);
	q->version = gk_get_le16(h);
	q->att_key_type = gk_get_le16(h + 2);
	q->tee_type = gk_get_le32(h + 4);
	q->qe_vendor_id = h + 12;
	if (q->version != 4 && q->version != 5)
		FAIL(-EPROTONOSUPPORT, "unsupported quote version %u", q->version);
	if (q->att_key_type != TDX_ATT_KEY_ECDSA_P256)
		FAIL(-EPROTONOSUPPORT, "attestation key type %u is not ECDSA P-256",
		     q->att_key_type);
	if (q->tee_type != TDX_TEE_TYPE_TDX)
		FAIL(-EPROTONOSUPPORT, "TEE type 0x%x is not TDX (0x81)",
		     q->tee_type);
	/* Bytes 8..11 were QE/PCE SVNs in v3 and are reserved since v4. */
	if (!gk_all_zero(h + 8, 4))
		FAIL(-EBADMSG, "reserved quote header bytes 8..11 are not zero");

	if (q->version == 4) {
		q->body_type = TDX_BODY_TYPE_TD10;
		q->body_size = TDX_BODY10_SIZE;
		return 0;
	}
	d = take(c, TDX_V5_DESC_SIZE);
	if (!d)
		FAIL(-EBADMSG, "quote truncated in the v5 body descriptor");
	q->body_type = gk_get_le16(d);
	q->body_size = gk_get_le32(d + 2);
	if (q->body_type == TDX_BODY_TYPE_SGX)
		FAIL(-EPROTONOSUPPORT, "v5 body type 1 is an SGX enclave, not a TD");
	if (q->body_type != TDX_BODY_TYPE_TD10 &&
	    q->body_type != TDX_BODY_TYPE_TD15)
		FAIL(-EPROTONOSUPPORT, "unknown v5 body type %u", q->body_type);
	if (q->body_size != (q->body_type == TDX_BODY_TYPE_TD10 ?
			     TDX_BODY10_SIZE : TDX_BODY15_SIZE))
		FAIL(-EBADMSG, "v5 body type %u with size %u", q->body_type,
		     q->body_size);
	return 0;
}

/*
 * The signature data: the quote signature, the attestation key, and the
 * QE report certification data in @cd, which fills the rest exactly.
 */
static int quote_sig_data(struct cursor *c, struct gk_tdx_quote *q, struct cursor *cd,
			  char *why, size_t whylen)
{
	struct cursor sd;
	const u8 *d;
	u16 cert_type;
	u32 cert_size;

	d = take(c, 4);
	if (!d)
		FAIL(-EBADMSG, "quote truncated before the signature data length");
	q->sig_data_len = gk_get_le32(d);
	if (q->sig_data_len > c->left)
		FAIL(-EBADMSG, "signature data length %u exceeds the %zu bytes left",
		     q->sig_data_len, c->left);
	sd.p = take(c, q->sig_data_len);
	sd.left = q->sig_data_len;
	q->trailing = c->left;

	q->sig = take(&sd, 64);
	q->att_key = take(&sd, 64);
	d = take(&sd, 6);
	if (!q->sig || !q->att_key || !d)
		FAIL(-EBADMSG, "signature data too short (%u bytes)", q->sig_data_len);
	cert_type = gk_get_le16(d);
	cert_size = gk_get_le32(d + 2);
	if (cert_type != TDX_CERT_QE_REPORT)
		FAIL(-EPROTONOSUPPORT, "certification data type %u is not 6 (QE report)",
		     cert_type);
	if (cert_size != sd.left)
		FAIL(-EBADMSG, "certification data size %u does not match the %zu bytes left in the signature data",
		     cert_size, sd.left);
	cd->p = take(&sd, cert_size);
	cd->left = cert_size;
	return 0;
}

/* The QE report, its signature and auth data, then the PCK chain, to the end of @cd. */
static int quote_qe_cert(struct cursor *cd, struct gk_tdx_quote *q, char *why, size_t whylen)
{
	const u8 *d;
	u16 cert_type;

	q->qe_report = take(cd, SGX_REPORT_BODY_SIZE);
	q->qe_report_sig = take(cd, 64);
	d = take(cd, 2);
	if (!q->qe_report || !q->qe_report_sig || !d)
		FAIL(-EBADMSG, "QE report certification data truncated");
	q->qe_auth_len = gk_get_le16(d);
	q->qe_auth = take(cd, q->qe_auth_len);
	if (!q->qe_auth)
		FAIL(-EBADMSG, "QE auth data length %u exceeds the %zu bytes left",
		     q->qe_auth_len, cd->left);
	d = take(cd, 6);
	if (!d)
		FAIL(-EBADMSG, "quote truncated before the PCK certification data");
	cert_type = gk_get_le16(d);
	q->pck_chain_len = gk_get_le32(d + 2);
	if (cert_type != TDX_CERT_PCK_CHAIN)
		FAIL(-EPROTONOSUPPORT, "inner certification data type %u is not 5 (PCK chain)",
		     cert_type);
	if (q->pck_chain_len != cd->left)
		FAIL(-EBADMSG, "PCK chain size %u does not match the %zu bytes left",
		     q->pck_chain_len, cd->left);
	q->pck_chain = take(cd, q->pck_chain_len);
	if (!q->pck_chain || !q->pck_chain_len)
		FAIL(-EBADMSG, "empty PCK certificate chain");
	return 0;
}

/**
 * gk_tdx_quote_parse() - split a TDX quote into its parts
 * @buf: the quote
 * @len: its size
 * @q: filled on success; pointers refer into @buf
 * @why: what is wrong, on failure
 * @whylen: room in @why
 *
 * Return: 0; -EBADMSG if malformed or truncated; -EPROTONOSUPPORT for a
 * quote version, key type, TEE type, body type or certification data type
 * this verifier does not appraise.
 */
int gk_tdx_quote_parse(const u8 *buf, size_t len, struct gk_tdx_quote *q,
			char *why, size_t whylen)
{
	struct cursor c = { buf, len }, cd;
	int err;

	memset(q, 0, sizeof(*q));
	q->raw = buf;
	q->len = len;

	err = quote_header(&c, q, why, whylen);
	if (err)
		return err;
	q->body = take(&c, q->body_size);
	if (!q->body)
		FAIL(-EBADMSG, "quote truncated in the TD report body (%zu bytes left, %u needed)",
		     c.left, q->body_size);
	q->signed_len = (size_t)(c.p - buf);
	body_fields(q);

	err = quote_sig_data(&c, q, &cd, why, whylen);
	if (!err)
		err = quote_qe_cert(&cd, q, why, whylen);
	if (err)
		return err;
	qe_fields(q);
	return 0;
}

/**
 * gk_tdx_pck_chain() - the certificates of a quote's PCK chain
 * @q: the parsed quote
 * @out: set to a new stack holding at least one certificate, leaf first
 *
 * The chain is PEM text; text around the blocks (a trailing NUL, say) is
 * skipped.
 *
 * Return: 0; -EBADMSG if a block is malformed or there is none; -E2BIG
 * for more than GK_TDX_PCK_CHAIN_MAX certificates; -ENOMEM.
 */
int gk_tdx_pck_chain(const struct gk_tdx_quote *q, STACK_OF(X509) **out)
{
	const u8 *buf = q->pck_chain;
	size_t len = q->pck_chain_len;
	STACK_OF(X509) *sk;
	BIO *b;
	int err = 0;

	if (len > INT32_MAX)
		return -EBADMSG;
	b = BIO_new_mem_buf(buf, (int)len);
	sk = sk_X509_new_null();
	if (!b || !sk) {
		BIO_free(b);
		sk_X509_free(sk);
		return -ENOMEM;
	}
	ERR_clear_error();
	for (;;) {
		X509 *c = PEM_read_bio_X509(b, NULL, NULL, NULL);
		unsigned long e;

		if (!c) {
			e = ERR_peek_last_error();
			/* Running out of BEGIN lines is the normal end. */
			if (ERR_GET_LIB(e) != ERR_LIB_PEM ||
			    ERR_GET_REASON(e) != PEM_R_NO_START_LINE)
				err = -EBADMSG;
			break;
		}
		if (sk_X509_num(sk) >= GK_TDX_PCK_CHAIN_MAX) {
			X509_free(c);
			err = -E2BIG;
			break;
		}
		if (!sk_X509_push(sk, c)) {
			X509_free(c);
			err = -ENOMEM;
			break;
		}
	}
	ERR_clear_error();
	BIO_free(b);
	if (!err && !sk_X509_num(sk))
		err = -EBADMSG;
	if (err) {
		sk_X509_pop_free(sk, X509_free);
		return err;
	}
	*out = sk;
	return 0;
}
