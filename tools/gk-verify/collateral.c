// SPDX-License-Identifier: GPL-2.0
/*
 * Intel collateral: TCB Info (TDX, version 3), QE Identity (TD_QE, version
 * 2), the PCK and root CRLs, and their signers.
 *
 * Intel signs the bytes of the "tcbInfo" / "enclaveIdentity" value exactly
 * as they appear in the response text, so the signature cannot be checked
 * against a re-serialisation.  gkv_json_signed_span() finds those bytes
 * with the JSON library alone: it decodes from each candidate '{' and keeps
 * the span whose value equals the parsed one.  What is verified is
 * therefore exactly what is used, duplicate keys being refused outright.
 *
 * Unknown members of Intel's objects are ignored on purpose: the version
 * numbers pin the semantics of the members read here, and Intel adds
 * members to signed collateral without changing them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <openssl/err.h>
#include "collateral.h"
#include "pck.h"

#define JSON_FLAGS (JSON_REJECT_DUPLICATES)

/**
 * gkv_json_signed_span() - locate the text of a JSON value in its document
 * @text: the whole response text
 * @len: its size
 * @value: the parsed object whose source text is wanted
 * @start: set to the first byte of that text
 * @span: set to its size
 *
 * Return: 0; -ENOENT if no span of @text decodes to @value.
 */
int gkv_json_signed_span(const char *text, size_t len, json_t *value,
			 const char **start, size_t *span)
{
	json_error_t e;
	size_t i;

	for (i = 1; i < len; i++) {
		json_t *j;
		bool eq;

		if (text[i] != '{')
			continue;
		j = json_loadb(text + i, len - i,
			       JSON_DISABLE_EOF_CHECK | JSON_FLAGS, &e);
		if (!j)
			continue;
		eq = json_equal(j, value);
		json_decref(j);
		if (eq && e.position > 0 && (size_t)e.position <= len - i) {
			*start = text + i;
			*span = (size_t)e.position;
			return 0;
		}
	}
	return -ENOENT;
}

/* JSON getters that explain what is wrong in @msg. */
struct jctx {
	const char *what;		/* "TCB Info" */
	char *msg;
	size_t n;
};

static int jerr(struct jctx *c, const char *fmt, const char *key)
{
	char tmp[200];

	snprintf(tmp, sizeof(tmp), fmt, key);
	snprintf(c->msg, c->n, "%s: %s", c->what, tmp);
	return -EBADMSG;
}

static int jstr(struct jctx *c, json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		return jerr(c, "\"%s\" missing or not a string", key);
	*out = json_string_value(v);
	return 0;
}

static int juint(struct jctx *c, json_t *o, const char *key, u32 max,
		 u32 *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > max)
		return jerr(c, "\"%s\" missing or not an integer in range", key);
	*out = (u32)json_integer_value(v);
	return 0;
}

static int jhex(struct jctx *c, json_t *o, const char *key, u8 *out, size_t n)
{
	const char *s;

	if (jstr(c, o, key, &s))
		return -EBADMSG;
	if (gk_unhex(s, out, n))
		return jerr(c, "\"%s\" is not hex of the expected length", key);
	return 0;
}

static int jtime(struct jctx *c, json_t *o, const char *key, time_t *out)
{
	const char *s;

	if (jstr(c, o, key, &s))
		return -EBADMSG;
	if (gkv_parse_iso8601(s, out))
		return jerr(c, "\"%s\" is not YYYY-MM-DDTHH:MM:SSZ", key);
	return 0;
}

static int jstatus(struct jctx *c, json_t *o, bool module_or_qe,
		   enum gkv_tcb *out)
{
	const char *s;
	enum gkv_tcb t;

	if (jstr(c, o, "tcbStatus", &s))
		return -EBADMSG;
	t = gkv_tcb_from_name(s);
	/* Module and QE levels only ever say UpToDate, OutOfDate or Revoked. */
	if (t == GKV_TCB_NONE || (module_or_qe && t != GKV_TCB_UP_TO_DATE &&
				  t != GKV_TCB_OUT_OF_DATE &&
				  t != GKV_TCB_REVOKED))
		return jerr(c, "unrecognised tcbStatus \"%s\"", s);
	*out = t;
	return 0;
}

/* "tcbLevels" of a module identity or the QE identity: {tcb:{isvsvn}}. */
static int id_levels(struct jctx *c, json_t *o, struct gkv_id_level *lv,
		     int *nlv)
{
	json_t *arr = json_object_get(o, "tcbLevels"), *e;
	size_t i;

	if (!json_is_array(arr) || !json_array_size(arr) ||
	    json_array_size(arr) > GKV_MAX_ID_LEVELS)
		return jerr(c, "\"%s\" missing, empty or too long", "tcbLevels");
	json_array_foreach(arr, i, e) {
		json_t *tcb = json_object_get(e, "tcb");

		if (!json_is_object(tcb) ||
		    juint(c, tcb, "isvsvn", 0xffff, &lv[i].isvsvn) ||
		    jstatus(c, e, true, &lv[i].status))
			return jerr(c, "bad entry in \"%s\"", "tcbLevels");
	}
	*nlv = (int)json_array_size(arr);
	return 0;
}

static int module_id(struct jctx *c, json_t *o, struct gkv_module_id *m,
		     bool with_levels)
{
	const char *id;

	if (!json_is_object(o))
		return jerr(c, "TDX module entry is not an %s", "object");
	if (jhex(c, o, "mrsigner", m->mrsigner, 48) ||
	    jhex(c, o, "attributes", m->attributes, 8) ||
	    jhex(c, o, "attributesMask", m->attributes_mask, 8))
		return -EBADMSG;
	if (!with_levels)
		return 0;
	if (jstr(c, o, "id", &id))
		return -EBADMSG;
	if (strlen(id) >= sizeof(m->id))
		return jerr(c, "TDX module id too long: %s", id);
	strcpy(m->id, id);
	return id_levels(c, o, m->levels, &m->nlevels);
}

/* 16 {"svn": n} entries. */
static int components(struct jctx *c, json_t *tcb, const char *key, u8 *out)
{
	json_t *arr = json_object_get(tcb, key), *e;
	size_t i;
	u32 svn;

	if (!json_is_array(arr) || json_array_size(arr) != 16)
		return jerr(c, "\"%s\" is not a list of 16 components", key);
	json_array_foreach(arr, i, e) {
		if (!json_is_object(e) || juint(c, e, "svn", 255, &svn))
			return jerr(c, "bad component in \"%s\"", key);
		out[i] = (u8)svn;
	}
	return 0;
}

/*
 * What TCB Info and QE Identity open with: their id and version must be
 * @id and @version; then the dates they were issued and are next updated.
 */
static int jhead(struct jctx *c, json_t *o, const char *id, u32 version, u32 *got,
		 time_t *issue, time_t *next)
{
	const char *s;
	char fmt[48];

	if (jstr(c, o, "id", &s))
		return -EBADMSG;
	if (strcmp(s, id)) {
		snprintf(fmt, sizeof(fmt), "id \"%%s\" is not %s", id);
		return jerr(c, fmt, s);
	}
	if (juint(c, o, "version", 1000, got))
		return -EBADMSG;
	if (*got != version) {
		snprintf(c->msg, c->n, "%s: version %u is not %u", c->what, *got, version);
		return -EBADMSG;
	}
	if (jtime(c, o, "issueDate", issue) || jtime(c, o, "nextUpdate", next))
		return -EBADMSG;
	return 0;
}

static int parse_tcb_info(json_t *ti, struct gkv_tcb_info *t, char *msg,
			  size_t n)
{
	struct jctx c = { "TCB Info", msg, n };
	json_t *arr, *e;
	u32 tcb_type;
	size_t i;

	memset(t, 0, sizeof(*t));
	if (jhead(&c, ti, "TDX", 3, &t->version, &t->issue, &t->next) ||
	    jhex(&c, ti, "fmspc", t->fmspc, 6) ||
	    jhex(&c, ti, "pceId", t->pceid, 2) ||
	    juint(&c, ti, "tcbType", 1000, &tcb_type) ||
	    juint(&c, ti, "tcbEvaluationDataNumber", UINT32_MAX >> 1,
		  &t->eval_num))
		return -EBADMSG;
	/* tcbType 0 is the only defined way to compare components. */
	if (tcb_type != 0) {
		snprintf(msg, n, "TCB Info: tcbType %u is not 0", tcb_type);
		return -EBADMSG;
	}
	if ((e = json_object_get(ti, "tdxModule"))) {
		if (module_id(&c, e, &t->module, false))
			return -EBADMSG;
		t->has_module = true;
	}
	if ((arr = json_object_get(ti, "tdxModuleIdentities"))) {
		if (!json_is_array(arr) ||
		    json_array_size(arr) > GKV_MAX_MODULE_IDS)
			return jerr(&c, "\"%s\" is not a short list",
				    "tdxModuleIdentities");
		json_array_foreach(arr, i, e)
			if (module_id(&c, e, &t->mods[i], true))
				return -EBADMSG;
		t->nmods = (int)json_array_size(arr);
	}
	arr = json_object_get(ti, "tcbLevels");
	if (!json_is_array(arr) || !json_array_size(arr) ||
	    json_array_size(arr) > GKV_MAX_TCB_LEVELS)
		return jerr(&c, "\"%s\" missing, empty or too long", "tcbLevels");
	json_array_foreach(arr, i, e) {
		struct gkv_tcb_level *lv = &t->levels[i];
		json_t *tcb = json_object_get(e, "tcb");
		const char *date;

		if (!json_is_object(tcb) ||
		    components(&c, tcb, "sgxtcbcomponents", lv->sgx) ||
		    components(&c, tcb, "tdxtcbcomponents", lv->tdx) ||
		    juint(&c, tcb, "pcesvn", 0xffff, &lv->pcesvn) ||
		    jstatus(&c, e, false, &lv->status) ||
		    jstr(&c, e, "tcbDate", &date))
			return -EBADMSG;
		snprintf(lv->date, sizeof(lv->date), "%s", date);
	}
	t->nlevels = (int)json_array_size(arr);
	return 0;
}

static int parse_qe_identity(json_t *ei, struct gkv_qe_identity *q,
			     char *msg, size_t n)
{
	struct jctx c = { "QE Identity", msg, n };
	u8 b[4];

	memset(q, 0, sizeof(*q));
	if (jhead(&c, ei, "TD_QE", 2, &q->version, &q->issue, &q->next) ||
	    juint(&c, ei, "tcbEvaluationDataNumber", UINT32_MAX >> 1,
		  &q->eval_num) ||
	    jhex(&c, ei, "attributes", q->attributes, 16) ||
	    jhex(&c, ei, "attributesMask", q->attributes_mask, 16) ||
	    jhex(&c, ei, "mrsigner", q->mrsigner, 32) ||
	    juint(&c, ei, "isvprodid", 0xffff, &q->isvprodid))
		return -EBADMSG;
	/* MISCSELECT is written as a big-endian hex number. */
	if (jhex(&c, ei, "miscselect", b, 4))
		return -EBADMSG;
	q->miscselect = (u32)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	if (jhex(&c, ei, "miscselectMask", b, 4))
		return -EBADMSG;
	q->miscselect_mask = (u32)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	return id_levels(&c, ei, q->levels, &q->nlevels);
}

static void path_in(char *buf, size_t n, const char *dir, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

/* Is @c the Intel-named certificate @want (defence in depth: the chain
 * already proves Intel issued it, the name says for what). */
/**
 * signed_json() - load, verify and parse one signed collateral document
 * @col: collateral being loaded (root, CRLs, time, checks)
 * @dir: the collateral directory
 * @file: the JSON response file name
 * @chain_file: its issuer chain (signing certificate first)
 * @key: "tcbInfo" or "enclaveIdentity"
 * @what: "TCB Info" or "QE Identity"
 * @names: check names: structure, signer chain, signature
 * @out: set to the verified value (a new reference)
 *
 * Return: 0 if all passed; -EPERM if one failed.
 */
static int signed_json(struct gkv_tdx_collateral *col, const char *dir,
		       const char *file, const char *chain_file,
		       const char *key, const char *what,
		       const char *const names[3], json_t **out)
{
	struct gkv_verdict *v = &col->load;
	char path[4096], msg[320], what_signing[64];
	STACK_OF(X509) *chain = NULL;
	EVP_PKEY *pub;
	json_t *doc = NULL, *val, *sigv;
	json_error_t je;
	const char *start, *sighex;
	size_t len, span;
	u8 *text = NULL, sig[64];
	X509 *signer;
	int err = -EPERM, e;

	path_in(path, sizeof(path), dir, file);
	e = gk_read_file(path, GKV_MAX_COLLATERAL, &text, &len);
	if (e)
		return gkv_fail(v, names[0], "%s: cannot read %s: %s", what,
				path, strerror(-e));
	doc = json_loadb((const char *)text, len, JSON_FLAGS, &je);
	if (!doc || !json_is_object(doc)) {
		gkv_fail(v, names[0], "%s: %s is not a JSON object (%s)",
			 what, file, doc ? "wrong type" : je.text);
		goto out;
	}
	val = json_object_get(doc, key);
	sigv = json_object_get(doc, "signature");
	if (json_object_size(doc) != 2 || !json_is_object(val) ||
	    !json_is_string(sigv)) {
		gkv_fail(v, names[0], "%s: %s must hold exactly \"%s\" and \"signature\"",
			 what, file, key);
		goto out;
	}
	sighex = json_string_value(sigv);
	if (gk_unhex(sighex, sig, sizeof(sig))) {
		gkv_fail(v, names[0], "%s: signature is not 64 bytes of hex", what);
		goto out;
	}
	if (gkv_json_signed_span((const char *)text, len, val, &start, &span)) {
		gkv_fail(v, names[0], "%s: cannot locate the signed \"%s\" text",
			 what, key);
		goto out;
	}
	gkv_pass(v, names[0], "%s: %s parsed (%zu signed bytes)", what, file, span);

	path_in(path, sizeof(path), dir, chain_file);
	e = gk_read_certs(path, &chain);
	if (e) {
		gkv_fail(v, names[1], "%s signing chain %s unreadable: %s",
			 what, chain_file, strerror(-e));
		goto out;
	}
	signer = sk_X509_shift(chain);
	if (!gkv_cert_cn_is(signer, "Intel SGX TCB Signing")) {
		gkv_fail(v, names[1], "%s signer is not \"Intel SGX TCB Signing\"",
			 what);
		X509_free(signer);
		goto out;
	}
	snprintf(what_signing, sizeof(what_signing), "%s signing", what);
	if (gkv_cert_window(signer, col->now, what_signing, msg, sizeof(msg)) ||
	    gkv_verify_chain(signer, chain, col->root, col->crls, col->now,
			     false, msg, sizeof(msg))) {
		gkv_fail(v, names[1], "%s", msg);
		X509_free(signer);
		goto out;
	}
	gkv_pass(v, names[1], "%s signer chains to the pinned root%s", what,
		 col->crls ? " and is not revoked" : " (CRLs not checked)");

	pub = X509_get0_pubkey(signer);
	if (!gkv_is_ec_key(pub, NID_X9_62_prime256v1) ||
	    gkv_ecdsa_verify_rs(pub, EVP_sha256(), (const u8 *)start, span,
				sig, sig + 32, 32, false)) {
		gkv_fail(v, names[2], "%s signature invalid", what);
		X509_free(signer);
		goto out;
	}
	X509_free(signer);
	gkv_pass(v, names[2], "%s signature valid", what);
	*out = json_incref(val);
	err = 0;
out:
	sk_X509_pop_free(chain, X509_free);
	json_decref(doc);
	free(text);
	return err;
}

static void freshness(struct gkv_verdict *v, const char *name,
		      const char *what, time_t issue, time_t next, time_t now,
		      bool *ok)
{
	char a[32], b[32];

	gkv_fmt_time(issue, a);
	gkv_fmt_time(next, b);
	if (now < issue) {
		gkv_fail(v, name, "%s not yet valid: issued %s", what, a);
		*ok = false;
	} else if (now >= next) {
		gkv_fail(v, name, "%s expired at %s (nextUpdate)", what, b);
		*ok = false;
	} else {
		gkv_pass(v, name, "%s issued %s, next update %s", what, a, b);
	}
}

static int load_crl_pair(struct gkv_tdx_collateral *col, const char *dir,
			 const struct gkv_ref *ref)
{
	struct gkv_verdict *v = &col->load;
	char p1[4096], p2[4096], a[32];
	bool has1, has2;
	time_t t;
	int e;

	path_in(p1, sizeof(p1), dir, "pck_crl.der");
	path_in(p2, sizeof(p2), dir, "root_crl.der");
	has1 = access(p1, F_OK) == 0;
	has2 = access(p2, F_OK) == 0;
	if (!has1 && !has2 && !ref->require_crls) {
		gkv_skip(v, "crls", "no CRLs in the collateral and the reference values do not require them: revocation NOT checked");
		return 0;
	}
	if (!has1 || !has2)
		return gkv_fail(v, "crls", "collateral lacks %s",
				!has1 ? "pck_crl.der" : "root_crl.der");
	e = gk_read_crl(p1, &col->pck_crl);
	if (e)
		return gkv_fail(v, "crls", "pck_crl.der unreadable: %s", strerror(-e));
	e = gk_read_crl(p2, &col->root_crl);
	if (e)
		return gkv_fail(v, "crls", "root_crl.der unreadable: %s", strerror(-e));
	/* OpenSSL checks these too, but say plainly which one is stale. */
	if (!gkv_asn1_time(X509_CRL_get0_nextUpdate(col->pck_crl), &t) &&
	    col->now > t) {
		gkv_fmt_time(t, a);
		return gkv_fail(v, "crls", "PCK CRL expired at %s (nextUpdate)", a);
	}
	if (!gkv_asn1_time(X509_CRL_get0_nextUpdate(col->root_crl), &t) &&
	    col->now > t) {
		gkv_fmt_time(t, a);
		return gkv_fail(v, "crls", "root CA CRL expired at %s (nextUpdate)", a);
	}
	if (X509_NAME_cmp(X509_CRL_get_issuer(col->root_crl),
			  X509_get_subject_name(col->root)) ||
	    X509_CRL_verify(col->root_crl, X509_get0_pubkey(col->root)) != 1) {
		ERR_clear_error();
		return gkv_fail(v, "crls", "root CA CRL is not signed by the pinned root");
	}
	col->crls = sk_X509_CRL_new_null();
	if (!col->crls || !sk_X509_CRL_push(col->crls, col->pck_crl) ||
	    !sk_X509_CRL_push(col->crls, col->root_crl))
		return gkv_internal(v, -ENOMEM, "out of memory");
	gkv_pass(v, "crls", "PCK CRL and root CA CRL loaded and current");
	return 0;
}

/*
 * The "collateral" check: the directory exists and holds every file the
 * reference values make required, all missing ones named at once.
 */
static void check_present(struct gkv_verdict *v, const char *dir, const struct gkv_ref *ref)
{
	const struct {
		const char *name;
		bool needed;
	} files[] = {
		{ "tcb_info.json", true }, { "tcb_info_issuer_chain.pem", true },
		{ "pck_crl.der", ref->require_crls }, { "root_crl.der", ref->require_crls },
		{ "qe_identity.json", ref->require_qe_identity },
		{ "qe_identity_issuer_chain.pem", ref->require_qe_identity },
	};
	char path[4096], missing[256] = "";
	size_t i, used = 0;
	struct stat st;

	if (stat(dir, &st)) {
		gkv_fail(v, "collateral", "collateral directory %s: %s", dir, strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		gkv_fail(v, "collateral", "collateral directory %s: not a directory", dir);
		return;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		path_in(path, sizeof(path), dir, files[i].name);
		if (files[i].needed && access(path, R_OK) && used < sizeof(missing))
			used += (size_t)snprintf(missing + used, sizeof(missing) - used, "%s%s",
						 used ? ", " : "", files[i].name);
	}
	if (used)
		gkv_fail(v, "collateral", "collateral directory %s lacks %s", dir, missing);
	else
		gkv_pass(v, "collateral", "%s holds every file the reference values require", dir);
}

/**
 * gkv_tdx_collateral_load() - load and verify a collateral directory
 * @col: filled; free with gkv_tdx_collateral_free() whatever the result
 * @dir: the directory
 * @root_path: the pinned Intel SGX Root CA certificate
 * @ref: reference values (whether CRLs and the QE identity are required)
 * @now: evaluation time
 *
 * Problems with the collateral are failed checks in @col->load, not errors:
 * they make every appraisal against it reject, with the reason.
 *
 * Return: 0; or -errno for an internal failure.
 */
int gkv_tdx_collateral_load(struct gkv_tdx_collateral *col, const char *dir,
			    const char *root_path, const struct gkv_ref *ref,
			    time_t now)
{
	struct gkv_verdict *v = &col->load;
	char msg[320], path[4096], fmspc[GK_HEX_SIZE(6)];
	json_t *val = NULL;
	int e;

	memset(col, 0, sizeof(*col));
	col->now = now;
	gkv_verdict_init(v, "tdx", now);
	col->pck_seen = gkv_pck_seen_new();
	if (!col->pck_seen)
		return gkv_internal(v, -ENOMEM, "out of memory");

	e = gkv_read_cert(root_path, &col->root);
	if (e) {
		gkv_fail(v, "root_ca", "pinned root %s unreadable: %s", root_path,
			 strerror(-e));
		return v->internal;
	}
	if (X509_check_issued(col->root, col->root) != X509_V_OK ||
	    X509_verify(col->root, X509_get0_pubkey(col->root)) != 1 ||
	    !gkv_cert_cn_is(col->root, "Intel SGX Root CA")) {
		ERR_clear_error();
		gkv_fail(v, "root_ca", "pinned root is not a self-signed \"Intel SGX Root CA\"");
		goto bad_root;
	}
	if (gkv_cert_window(col->root, now, "Intel SGX Root CA", msg, sizeof(msg))) {
		gkv_fail(v, "root_ca", "%s", msg);
		goto bad_root;
	}
	gkv_pass(v, "root_ca", "pinned Intel SGX Root CA: %s", msg);

	check_present(v, dir, ref);
	if (load_crl_pair(col, dir, ref) && v->internal)
		return v->internal;

	if (!signed_json(col, dir, "tcb_info.json", "tcb_info_issuer_chain.pem",
			 "tcbInfo", "TCB Info", (const char *const[]){ "tcb_info",
			 "tcb_info_signer", "tcb_info_signature" }, &val)) {
		e = parse_tcb_info(val, &col->tcb, msg, sizeof(msg));
		json_decref(val);
		val = NULL;
		if (e) {
			gkv_fail(v, "tcb_info_content", "%s", msg);
		} else {
			col->tcb_ok = true;
			gk_hex_buf(col->tcb.fmspc, sizeof(col->tcb.fmspc), fmspc);
			gkv_pass(v, "tcb_info_content", "TDX TCB Info v%u, FMSPC %s, %d levels",
				 col->tcb.version, fmspc, col->tcb.nlevels);
			freshness(v, "tcb_info_freshness", "TCB Info", col->tcb.issue,
				  col->tcb.next, now, &col->tcb_ok);
		}
	}

	path_in(path, sizeof(path), dir, "qe_identity.json");
	col->qe_present = access(path, F_OK) == 0;
	if (!col->qe_present) {
		if (ref->require_qe_identity)
			gkv_fail(v, "qe_identity", "collateral lacks qe_identity.json");
		else
			gkv_skip(v, "qe_identity", "no QE identity and the reference values do not require one: the quoting enclave's identity is NOT checked");
		return v->internal;
	}
	if (!signed_json(col, dir, "qe_identity.json",
			 "qe_identity_issuer_chain.pem", "enclaveIdentity",
			 "QE Identity", (const char *const[]){ "qe_identity",
			 "qe_identity_signer", "qe_identity_signature" }, &val)) {
		e = parse_qe_identity(val, &col->qe, msg, sizeof(msg));
		json_decref(val);
		if (e) {
			gkv_fail(v, "qe_identity_content", "%s", msg);
		} else {
			col->qe_ok = true;
			gkv_pass(v, "qe_identity_content", "TD_QE identity v%u, %d levels",
				 col->qe.version, col->qe.nlevels);
			freshness(v, "qe_identity_freshness", "QE Identity",
				  col->qe.issue, col->qe.next, now, &col->qe_ok);
		}
	}
	return v->internal;

bad_root:
	/* Nothing may chain to a root that failed its own checks. */
	X509_free(col->root);
	col->root = NULL;
	return v->internal;
}

void gkv_tdx_collateral_free(struct gkv_tdx_collateral *col)
{
	gkv_pck_seen_free(col->pck_seen);
	sk_X509_CRL_free(col->crls);	/* does not own the CRLs */
	X509_CRL_free(col->pck_crl);
	X509_CRL_free(col->root_crl);
	X509_free(col->root);
	gkv_verdict_free(&col->load);
	memset(col, 0, sizeof(*col));
}
