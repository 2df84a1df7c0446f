// SPDX-License-Identifier: GPL-2.0
/*
 * Intel TDX quote appraisal, following Intel's DCAP quote verification
 * (QVL) order of reasoning:
 *
 *  1. the quote is signed by the attestation key it carries;
 *  2. that key is vouched for by the quoting enclave (QE): the QE report
 *     binds SHA-256(attestation key || QE auth data) and is signed by the
 *     PCK key;
 *  3. the PCK certificate chains to the pinned Intel SGX Root CA and is not
 *     revoked;
 *  4. signed, fresh collateral says what that platform's TCB is worth (TCB
 *     Info, matched on the PCK certificate's SGX SVNs and the quote's
 *     TEE_TCB_SVN) and which QE is genuine (QE Identity);
 *  5. the TD itself: not debuggable, measured as the reference values say,
 *     and answering our nonce.
 *
 * Evidence signatures are checked first, so a tampered quote is always
 * rejected for its signature whatever else is wrong with it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <openssl/err.h>
#include "tdx.h"
#include "tdx_quote.h"
#include "pck.h"
#include "fields.h"

static const u8 intel_qe_vendor_id[16] = {
	0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
	0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07,
};

/* Intel's convergence of the TCB level status with the TDX module's or the
 * QE's (QVL TcbLevelCheck / TdxModuleCheck): an out-of-date module or QE
 * makes an otherwise good platform out of date. */
static enum gkv_tcb converge(enum gkv_tcb platform, enum gkv_tcb other)
{
	if (other == GKV_TCB_REVOKED)
		return GKV_TCB_REVOKED;
	if (other != GKV_TCB_OUT_OF_DATE)
		return platform;
	switch (platform) {
	case GKV_TCB_UP_TO_DATE:
	case GKV_TCB_SW_HARDENING_NEEDED:
		return GKV_TCB_OUT_OF_DATE;
	case GKV_TCB_CONFIG_NEEDED:
	case GKV_TCB_CONFIG_SW_HARDENING_NEEDED:
		return GKV_TCB_OUT_OF_DATE_CONFIG_NEEDED;
	default:
		return platform;
	}
}

static bool masked_eq(const u8 *val, const u8 *mask, const u8 *want, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((val[i] & mask[i]) != want[i])
			return false;
	return true;
}

/* Returns the QE's TCB status, GKV_TCB_NONE if not established. */
static enum gkv_tcb check_qe_identity(const struct gkv_tdx_collateral *col,
				      const struct gk_tdx_quote *q,
				      struct gkv_verdict *v)
{
	const struct gkv_qe_identity *id = &col->qe;
	int i;

	if (!col->qe_present) {
		gkv_skip(v, "qe_identity_match", "no QE identity in the collateral");
		return GKV_TCB_NONE;
	}
	if (!col->qe_ok) {
		gkv_skip(v, "qe_identity_match", "QE identity unusable (see the qe_identity checks)");
		return GKV_TCB_NONE;
	}
	if (memcmp(q->qe_mrsigner, id->mrsigner, 32)) {
		gkv_fail(v, "qe_identity_match", "QE MRSIGNER does not match the QE identity");
		return GKV_TCB_NONE;
	}
	if (q->qe_isvprodid != id->isvprodid) {
		gkv_fail(v, "qe_identity_match", "QE ISVPRODID %u is not %u", q->qe_isvprodid,
			 id->isvprodid);
		return GKV_TCB_NONE;
	}
	if ((q->qe_miscselect & id->miscselect_mask) != id->miscselect) {
		gkv_fail(v, "qe_identity_match", "QE MISCSELECT does not match the QE identity");
		return GKV_TCB_NONE;
	}
	if (!masked_eq(q->qe_attributes, id->attributes_mask, id->attributes, 16)) {
		gkv_fail(v, "qe_identity_match", "QE ATTRIBUTES do not match the QE identity");
		return GKV_TCB_NONE;
	}
	for (i = 0; i < id->nlevels; i++)
		if (q->qe_isvsvn >= id->levels[i].isvsvn)
			break;
	if (i == id->nlevels) {
		gkv_fail(v, "qe_identity_match", "QE ISVSVN %u is below every QE identity TCB level",
			 q->qe_isvsvn);
		return GKV_TCB_NONE;
	}
	if (id->levels[i].status == GKV_TCB_REVOKED) {
		gkv_fail(v, "qe_identity_match", "QE ISVSVN %u is Revoked", q->qe_isvsvn);
		return GKV_TCB_NONE;
	}
	gkv_pass(v, "qe_identity_match", "quoting enclave matches TD_QE identity, ISVSVN %u: %s",
		 q->qe_isvsvn, gkv_tcb_name(id->levels[i].status));
	json_object_set_new(v->info, "qe_tcb_status",
			    json_string(gkv_tcb_name(id->levels[i].status)));
	return id->levels[i].status;
}

/*
 * The platform's TCB level: the first level (Intel lists them highest
 * first) whose SGX components and PCESVN the PCK certificate reaches and
 * whose TDX components TEE_TCB_SVN reaches.  TEE_TCB_SVN bytes 0 and 1 are
 * the TDX module's SVN and major version; when the major version is not 0
 * they are graded by the module identity instead, so the comparison starts
 * at byte 2 (QVL isTdxTcbHigherOrEqual).
 */
static enum gkv_tcb check_tcb_level(const struct gkv_tdx_collateral *col,
				    const struct gk_tdx_quote *q,
				    const struct gkv_pck *pck,
				    struct gkv_verdict *v)
{
	const struct gkv_tcb_info *t = &col->tcb;
	int first = q->tee_tcb_svn[1] ? 2 : 0, i, j;
	char sgx[33], tdx[33];

	for (i = 0; i < t->nlevels; i++) {
		const struct gkv_tcb_level *lv = &t->levels[i];
		bool ok = pck->ext.pcesvn >= lv->pcesvn;

		for (j = 0; ok && j < 16; j++)
			ok = pck->ext.comp[j] >= lv->sgx[j];
		for (j = first; ok && j < 16; j++)
			ok = q->tee_tcb_svn[j] >= lv->tdx[j];
		if (ok)
			break;
	}
	gk_hex_buf(pck->ext.comp, 16, sgx);
	gk_hex_buf(q->tee_tcb_svn, 16, tdx);
	if (i == t->nlevels) {
		gkv_fail(v, "tcb_level", "no matching TCB level (PCK SGX components %s, PCESVN %u, TEE_TCB_SVN %s)",
			 sgx, pck->ext.pcesvn, tdx);
		return GKV_TCB_NONE;
	}
	if (t->levels[i].status == GKV_TCB_REVOKED) {
		gkv_fail(v, "tcb_level", "platform TCB level (%s) is Revoked",
			 t->levels[i].date);
		return GKV_TCB_NONE;
	}
	gkv_pass(v, "tcb_level", "platform matches TCB level %d of %s: %s", i,
		 t->levels[i].date, gkv_tcb_name(t->levels[i].status));
	json_object_set_new(v->info, "platform_tcb_status",
			    json_string(gkv_tcb_name(t->levels[i].status)));
	json_object_set_new(v->info, "tcb_date", json_string(t->levels[i].date));
	return t->levels[i].status;
}

/*
 * The TDX module: with major version 0 the TCB Info's "tdxModule" names its
 * signer and attributes; otherwise the identity "TDX_<major, 2 hex digits>"
 * does, and grades the module's SVN (TEE_TCB_SVN byte 0).
 */
static enum gkv_tcb check_module(const struct gkv_tdx_collateral *col,
				 const struct gk_tdx_quote *q,
				 struct gkv_verdict *v)
{
	const struct gkv_tcb_info *t = &col->tcb;
	const struct gkv_module_id *m = NULL;
	u8 major = q->tee_tcb_svn[1], svn = q->tee_tcb_svn[0];
	char id[16];
	int i;

	snprintf(id, sizeof(id), "TDX_%02X", major);
	if (!major) {
		if (!t->has_module) {
			gkv_fail(v, "tdx_module", "TCB Info has no tdxModule for module major version 0");
			return GKV_TCB_NONE;
		}
		m = &t->module;
	} else {
		for (i = 0; i < t->nmods; i++)
			if (!strcasecmp(t->mods[i].id, id))
				m = &t->mods[i];
		if (!m) {
			gkv_fail(v, "tdx_module", "TCB Info has no TDX module identity %s", id);
			return GKV_TCB_NONE;
		}
	}
	if (memcmp(q->mr_signer_seam, m->mrsigner, 48)) {
		gkv_fail(v, "tdx_module", "MRSIGNERSEAM does not match the TDX module identity");
		return GKV_TCB_NONE;
	}
	if (!masked_eq(q->seam_attributes, m->attributes_mask, m->attributes, 8)) {
		gkv_fail(v, "tdx_module", "SEAMATTRIBUTES do not match the TDX module identity");
		return GKV_TCB_NONE;
	}
	if (!major) {
		gkv_pass(v, "tdx_module", "TDX module signer and attributes match tdxModule");
		return GKV_TCB_UP_TO_DATE;
	}
	for (i = 0; i < m->nlevels; i++)
		if (svn >= m->levels[i].isvsvn)
			break;
	if (i == m->nlevels) {
		gkv_fail(v, "tdx_module", "TDX module %s ISVSVN %u is below every level", id, svn);
		return GKV_TCB_NONE;
	}
	gkv_pass(v, "tdx_module", "TDX module %s ISVSVN %u: %s", id, svn,
		 gkv_tcb_name(m->levels[i].status));
	json_object_set_new(v->info, "tdx_module", json_string(id));
	json_object_set_new(v->info, "tdx_module_tcb_status",
			    json_string(gkv_tcb_name(m->levels[i].status)));
	return m->levels[i].status;
}

static void check_measurements(const struct gkv_ref *ref,
			       const struct gk_tdx_quote *q,
			       struct gkv_verdict *v)
{
	const u8 *mr[GKV_TDX_NMR] = { q->mr_td, q->rtmr[0], q->rtmr[1],
				      q->rtmr[2], q->rtmr[3] };
	int i, listed = 0;

	for (i = 0; i < GKV_TDX_NMR; i++) {
		if (!ref->tdx_mr[i])
			continue;
		listed++;
		if (!gkv_ref_allows(ref->tdx_mr[i], mr[i], 48)) {
			char hex[97];

			gk_hex_buf(mr[i], 48, hex);
			gkv_fail(v, "measurements", "%s %s is not in the reference values",
				 gkv_tdx_mr_names[i], hex);
			return;
		}
	}
	if (listed)
		gkv_pass(v, "measurements", "%d measurement registers match the reference values",
			 listed);
	else
		gkv_unlisted_measurements(v, ref);
}

/* The quote's facts, for the verdict and its output. */
static void set_info(const struct gk_tdx_quote *q, struct gkv_verdict *v)
{
	int i;

	json_object_set_new(v->info, "quote_version", json_integer(q->version));
	json_object_set_new(v->info, "body_type", json_integer(q->body_type));
	json_object_set_new(v->info, "trailing_bytes", json_integer((json_int_t)q->trailing));
	gkv_set_meas(v, "mrtd", q->mr_td);
	for (i = 0; i < 4; i++)
		gkv_set_meas(v, gkv_tdx_mr_names[GKV_TDX_RTMR0 + i], q->rtmr[i]);
	memcpy(v->report_data, q->report_data, 64);
	v->have_report_data = true;
	gkv_info_hex(v, "tee_tcb_svn", q->tee_tcb_svn, 16);
	gkv_info_hex(v, "mr_seam", q->mr_seam, 48);
	gkv_info_hex(v, "td_attributes", q->td_attributes, 8);
	gkv_info_hex(v, "xfam", q->xfam, 8);
	gkv_info_hex(v, "mr_config_id", q->mr_config_id, 48);
	gkv_info_hex(v, "mr_owner", q->mr_owner, 48);
	gkv_info_hex(v, "mr_owner_config", q->mr_owner_config, 48);
}

/* 1. The quote signature, by the attestation key in the quote. */
static void check_quote_signature(const struct gk_tdx_quote *q, const u8 *quote,
				  struct gkv_verdict *v)
{
	EVP_PKEY *ak = NULL;

	if (memcmp(q->qe_vendor_id, intel_qe_vendor_id, 16))
		gkv_fail(v, "qe_vendor", "QE vendor ID is not Intel's");
	else
		gkv_pass(v, "qe_vendor", "Intel quoting enclave");

	if (gkv_ec_key_from_xy("P-256", q->att_key, 64, &ak))
		gkv_fail(v, "quote_signature", "quote signature invalid: attestation key is not a P-256 point");
	else if (gkv_ecdsa_verify_rs(ak, EVP_sha256(), quote, q->signed_len,
				     q->sig, q->sig + 32, 32, false))
		gkv_fail(v, "quote_signature", "quote signature invalid");
	else
		gkv_pass(v, "quote_signature", "quote signed by its attestation key (%zu bytes)",
			 q->signed_len);
	EVP_PKEY_free(ak);
}

/*
 * 2. The QE vouches for the attestation key, with the PCK certificate's
 * key (gkv_pck_check()).  Return: 0 or -ENOMEM (in @v).
 */
static int check_qe_report(const struct gk_tdx_quote *q, const struct gkv_pck *pck,
			   struct gkv_verdict *v)
{
	u8 digest[32];

	gkv_add_check(v, &pck->certs_check);
	if (!pck->ok) {
		gkv_skip(v, "qe_report_signature", "no usable PCK certificate");
	} else {
		gkv_info_hex(v, "fmspc", pck->ext.fmspc, 6);
		gkv_info_hex(v, "pck_sgx_tcb_components", pck->ext.comp, 16);
		json_object_set_new(v->info, "pck_pcesvn", json_integer(pck->ext.pcesvn));
		if (gkv_ecdsa_verify_rs(X509_get0_pubkey(pck->leaf), EVP_sha256(),
					q->qe_report, SGX_REPORT_BODY_SIZE,
					q->qe_report_sig, q->qe_report_sig + 32, 32, false))
			gkv_fail(v, "qe_report_signature", "QE report signature invalid");
		else
			gkv_pass(v, "qe_report_signature", "QE report signed by the PCK key");
	}

	if (gkv_sha256(q->att_key, 64, q->qe_auth, q->qe_auth_len, digest))
		return gkv_internal(v, -ENOMEM, "out of memory");
	if (memcmp(q->qe_report_data, digest, 32) ||
	    memcmp(q->qe_report_data + 32, (u8[32]){ 0 }, 32))
		gkv_fail(v, "qe_report_binding", "QE report data does not bind the attestation key");
	else
		gkv_pass(v, "qe_report_binding", "QE REPORTDATA = SHA-256(attestation key || QE auth data)");
	return 0;
}

/*
 * 4. Collateral: the checks made when it was loaded, and whether the TCB
 * Info is the PCK certificate's platform's.  Return: 0, or the internal
 * error loading met (in @v).
 */
static int check_collateral(const struct gkv_tdx_collateral *col,
			    const struct gkv_pck *pck, struct gkv_verdict *v)
{
	int i;

	for (i = 0; i < col->load.nchecks; i++)
		gkv_add_check(v, &col->load.checks[i]);
	if (col->load.internal)
		return gkv_internal(v, col->load.internal, "%s", col->load.internal_msg);
	if (col->tcb_ok && pck->ok) {
		if (memcmp(pck->ext.fmspc, col->tcb.fmspc, 6) ||
		    memcmp(pck->ext.pceid, col->tcb.pceid, 2))
			gkv_fail(v, "fmspc", "FMSPC/PCE-ID of the PCK certificate do not match the TCB Info");
		else
			gkv_pass(v, "fmspc", "FMSPC and PCE-ID match the TCB Info");
	} else {
		gkv_skip(v, "fmspc", "TCB Info or PCK certificate unusable");
	}
	return 0;
}

/* The TCB status: the platform's, converged with the module's and the QE's. */
static void check_tcb_status(const struct gkv_tdx_collateral *col,
			     const struct gkv_ref *ref, const struct gk_tdx_quote *q,
			     const struct gkv_pck *pck, struct gkv_verdict *v)
{
	enum gkv_tcb platform = GKV_TCB_NONE, module = GKV_TCB_NONE, qe, st;

	qe = check_qe_identity(col, q, v);
	if (col->tcb_ok && pck->ok) {
		platform = check_tcb_level(col, q, pck, v);
		if (platform != GKV_TCB_NONE)
			module = check_module(col, q, v);
	} else {
		gkv_skip(v, "tcb_level", "TCB Info or PCK certificate unusable");
	}
	if (platform == GKV_TCB_NONE || module == GKV_TCB_NONE)
		return;
	st = converge(platform, module);
	if (qe != GKV_TCB_NONE)
		st = converge(st, qe);
	snprintf(v->tcb_status, sizeof(v->tcb_status), "%s", gkv_tcb_name(st));
	v->tcb_code = st;
	if (st == GKV_TCB_REVOKED)
		gkv_fail(v, "tcb_status", "TCB status Revoked");
	else if (!(ref->tdx_tcb_ok & (1U << st)))
		gkv_fail(v, "tcb_status", "TCB status %s is not accepted by the reference values",
			 gkv_tcb_name(st));
	else
		gkv_pass(v, "tcb_status", "TCB status %s is accepted%s",
			 gkv_tcb_name(st), qe == GKV_TCB_NONE ?
			 " (QE status not known)" : "");
}

/* The fields the reference values may constrain (gkv_tdx_fields' order). */
static void check_fields(const struct gkv_ref *ref, const struct gk_tdx_quote *q,
			 u64 attr, struct gkv_verdict *v)
{
	const struct gkv_fact facts[GKV_TDX_NFIELDS] = {
		{ .bytes = q->mr_config_id },
		{ .bytes = q->mr_owner },
		{ .bytes = q->mr_owner_config },
		{ .bytes = q->xfam },
		{ .bytes = q->tee_tcb_svn },
		{ .bytes = q->report_data },
		{ .num = attr },
	};

	gkv_fields_check(v, ref->tdx, gkv_tdx_fields, GKV_TDX_NFIELDS, facts);
}

/* 5. The TD: not debuggable, measured as the reference values say, fresh. */
static void check_td(const struct gkv_ref *ref, const struct gkv_nonce *nonce,
		     const struct gk_tdx_quote *q, struct gkv_verdict *v)
{
	u64 attr;

	attr = (u64)gk_get_le32(q->td_attributes) |
	       (u64)gk_get_le32(q->td_attributes + 4) << 32;
	if (attr & TDX_TD_ATTR_DEBUG) {
		if (ref->debug_forbidden)
			gkv_fail(v, "td_attributes", "TD_ATTRIBUTES DEBUG bit set");
		else
			gkv_pass(v, "td_attributes", "TD_ATTRIBUTES DEBUG bit set, allowed by the reference values");
	} else {
		gkv_pass(v, "td_attributes", "TD_ATTRIBUTES 0x%016llx: not debuggable",
			 (unsigned long long)attr);
	}
	check_fields(ref, q, attr, v);
	check_measurements(ref, q, v);
	gkv_check_nonce(v, ref, nonce, q->report_data, "REPORTDATA");
}

/**
 * gkv_tdx_appraise() - appraise one TDX quote
 * @col: loaded collateral (its checks are part of every verdict)
 * @ref: reference values
 * @nonce: the nonce the quote must answer, or NULL
 * @quote: the quote
 * @len: its size
 * @v: verdict, initialised by the caller; receives every check
 *
 * Return: 0 when the verdict is complete (accept or reject); -errno if an
 * internal failure cut the appraisal short (the verdict rejects).
 */
int gkv_tdx_appraise(const struct gkv_tdx_collateral *col,
		     const struct gkv_ref *ref, const struct gkv_nonce *nonce,
		     const u8 *quote, size_t len, struct gkv_verdict *v)
{
	const struct gkv_pck *pck;
	struct gk_tdx_quote q;
	char why[200];

	if (gk_tdx_quote_parse(quote, len, &q, why, sizeof(why))) {
		gkv_fail(v, "quote_parse", "quote parse error: %s", why);
		return 0;
	}
	gkv_pass(v, "quote_parse", "TDX quote v%u, TD report body type %u (TDX %s), %zu unsigned trailing bytes ignored",
		 q.version, q.body_type,
		 q.body_type == TDX_BODY_TYPE_TD15 ? "1.5" : "1.0", q.trailing);
	set_info(&q, v);

	check_quote_signature(&q, quote, v);
	pck = gkv_pck_check(col, &q, v);
	if (!pck || check_qe_report(&q, pck, v))
		goto out;
	/* 3. The PCK certificate. */
	gkv_add_check(v, &pck->chain_check);
	if (check_collateral(col, pck, v))
		goto out;
	check_tcb_status(col, ref, &q, pck, v);
	check_td(ref, nonce, &q, v);
out:
	ERR_clear_error();
	return v->internal;
}

/**
 * gkv_tdx_floor() - the signature checks a TDX appraisal cannot do without
 * @quote: the quote
 * @len: its size
 * @f: filled with the quote's signature by its attestation key, the QE
 *     report's by the PCK key and the PCK certificate's by the PCK CA, the
 *     inputs parsed already; free with gkv_floor_free()
 *
 * Return: 0; -EBADMSG if the quote does not carry them all.
 */
int gkv_tdx_floor(const u8 *quote, size_t len, struct gkv_floor *f)
{
	struct gk_tdx_quote q;
	X509 *leaf;
	char why[200];

	memset(f, 0, sizeof(*f));
	if (gk_tdx_quote_parse(quote, len, &q, why, sizeof(why)) ||
	    gk_tdx_pck_chain(&q, &f->certs) || sk_X509_num(f->certs) < 2 ||
	    gkv_ec_key_from_xy("P-256", q.att_key, 64, &f->key))
		return -EBADMSG;
	leaf = sk_X509_value(f->certs, 0);
	f->sig[0] = (struct gkv_floor_sig){ .name = "quote", .key = f->key, .md = EVP_sha256(),
		.msg = quote, .len = q.signed_len, .r = q.sig, .s = q.sig + 32, .rs_len = 32 };
	f->sig[1] = (struct gkv_floor_sig){ .name = "QE report", .key = X509_get0_pubkey(leaf),
		.md = EVP_sha256(), .msg = q.qe_report, .len = SGX_REPORT_BODY_SIZE,
		.r = q.qe_report_sig, .s = q.qe_report_sig + 32, .rs_len = 32 };
	f->sig[2] = (struct gkv_floor_sig){ .name = "PCK certificate", .cert = leaf,
		.key = X509_get0_pubkey(sk_X509_value(f->certs, 1)) };
	f->n = 3;
	return 0;
}
