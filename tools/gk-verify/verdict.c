// SPDX-License-Identifier: GPL-2.0
/*
 * The verdict: an ordered list of named checks, each pass, fail or skip.
 * The appraisal is accepted only if at least one check ran, none failed and
 * nothing internal went wrong; the reason given is the first failure, so
 * the order checks run in (evidence signatures first) decides which of
 * several problems is reported.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output.h"
#include "verifier.h"
#include "refvalues.h"

void gkv_verdict_init(struct gkv_verdict *v, const char *tee, time_t now)
{
	memset(v, 0, sizeof(*v));
	v->tee = tee;
	v->now = now;
	v->info = json_object();
}

void gkv_verdict_free(struct gkv_verdict *v)
{
	json_decref(v->info);
	v->info = NULL;
}

static struct gkv_check *next_check(struct gkv_verdict *v)
{
	if (v->nchecks >= GKV_MAX_CHECKS) {
		/* A programming error, but it must not turn into an accept. */
		v->internal = -ENOSPC;
		snprintf(v->internal_msg, sizeof(v->internal_msg),
			 "internal error: too many checks");
		return NULL;
	}
	return &v->checks[v->nchecks++];
}

static void record(struct gkv_verdict *v, const char *name,
		   enum gkv_result r, const char *fmt, va_list ap)
{
	struct gkv_check *c = next_check(v);

	if (!c)
		return;
	c->name = name;
	c->result = r;
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
}

void gkv_pass(struct gkv_verdict *v, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(v, name, GKV_PASS, fmt, ap);
	va_end(ap);
}

/* Returns -EPERM so a caller can "return gkv_fail(...)". */
int gkv_fail(struct gkv_verdict *v, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(v, name, GKV_FAIL, fmt, ap);
	va_end(ap);
	return -EPERM;
}

void gkv_skip(struct gkv_verdict *v, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(v, name, GKV_SKIP, fmt, ap);
	va_end(ap);
}

int gkv_internal(struct gkv_verdict *v, int err, const char *fmt, ...)
{
	va_list ap;

	if (!v->internal) {
		v->internal = err ? err : -EIO;
		va_start(ap, fmt);
		vsnprintf(v->internal_msg, sizeof(v->internal_msg), fmt, ap);
		va_end(ap);
	}
	return v->internal;
}

void gkv_add_check(struct gkv_verdict *v, const struct gkv_check *c)
{
	struct gkv_check *d = next_check(v);

	if (d)
		*d = *c;
}

bool gkv_accepted(const struct gkv_verdict *v)
{
	int i;

	if (v->internal || !v->nchecks)
		return false;
	for (i = 0; i < v->nchecks; i++)
		if (v->checks[i].result == GKV_FAIL)
			return false;
	return true;
}

const char *gkv_reason(const struct gkv_verdict *v)
{
	int i;

	for (i = 0; i < v->nchecks; i++)
		if (v->checks[i].result == GKV_FAIL)
			return v->checks[i].detail;
	if (v->internal)
		return v->internal_msg;
	if (!v->nchecks)
		return "nothing was checked";
	return "all checks passed";
}

/**
 * gkv_check_nonce() - the "nonce" check every appraisal ends with
 * @v: the verdict
 * @ref: the reference values (nonce_binding)
 * @nonce: the verifier's nonce, or NULL (the check is skipped, and nothing
 *	is claimed about freshness)
 * @report_data: the evidence's 64-byte report data
 * @field: its name in the evidence, for messages
 *
 * @report_data must bind @nonce as nonce_binding says; by default the
 * gate's binding (nonce.h).
 */
void gkv_check_nonce(struct gkv_verdict *v, const struct gkv_ref *ref,
		     const struct gkv_nonce *nonce, const u8 *report_data, const char *field)
{
	u8 want[EVP_MAX_MD_SIZE + GKV_NONCE_MAX];
	char how[64];
	size_t n;
	EVP_MD_CTX *ctx;
	unsigned int mdlen = 0;

	if (!nonce) {
		gkv_skip(v, "nonce", "no --nonce given: freshness not checked");
		return;
	}
	if (!ref->binding_md) {
		gk_nonce_binding(nonce->bytes, want);
		n = GK_NONCE_BINDING_SIZE;
		snprintf(how, sizeof(how), "SHA-256(\"%s\" || nonce)", GK_NONCE_LABEL);
	} else if (ref->binding_md == EVP_md_null()) {
		memcpy(want, nonce->bytes, nonce->len);
		n = nonce->len;
		snprintf(how, sizeof(how), "the nonce itself");
	} else {
		ctx = EVP_MD_CTX_new();
		if (!ctx || !EVP_DigestInit_ex(ctx, ref->binding_md, NULL) ||
		    !EVP_DigestUpdate(ctx, nonce->bytes, nonce->len) ||
		    !EVP_DigestUpdate(ctx, ref->binding_extra, ref->binding_extra_len) ||
		    !EVP_DigestFinal_ex(ctx, want, &mdlen)) {
			EVP_MD_CTX_free(ctx);
			gkv_internal(v, -ENOMEM, "internal error: cannot hash the nonce");
			return;
		}
		EVP_MD_CTX_free(ctx);
		n = mdlen;
		snprintf(how, sizeof(how), "%s(nonce || extra)", ref->binding_name);
	}
	if (memcmp(report_data, want, n))
		gkv_fail(v, "nonce", "%s does not bind the nonce (want %s in bytes 0..%zu)", field, how, n - 1);
	else
		gkv_pass(v, "nonce", "%s[0..%zu] binds the nonce: %s", field, n - 1, how);
}

/**
 * gkv_info_hex() - a fact of the evidence, as hex, in the verdict's info
 * @v: the verdict
 * @key: its key in info
 * @p: the bytes
 * @n: how many, at most 64
 */
void gkv_info_hex(struct gkv_verdict *v, const char *key, const u8 *p, size_t n)
{
	char hex[2 * 64 + 1];

	if (n > 64)
		return;
	gk_hex_buf(p, n, hex);
	json_object_set_new(v->info, key, json_string(hex));
}

void gkv_set_meas(struct gkv_verdict *v, const char *name, const u8 *m)
{
	if (v->nmeas >= GKV_MAX_MEAS)
		return;
	v->meas_name[v->nmeas] = name;
	memcpy(v->meas[v->nmeas], m, GKV_MEAS_SIZE);
	v->nmeas++;
}

static const char *result_name(enum gkv_result r)
{
	return r == GKV_PASS ? "pass" : r == GKV_FAIL ? "fail" : "skip";
}

/* The checks as a JSON array of {"name", "result", "detail"}; NULL without memory. */
json_t *gkv_checks_json(const struct gkv_verdict *v)
{
	json_t *checks = json_array();
	int i;

	for (i = 0; checks && i < v->nchecks; i++)
		json_array_append_new(checks, json_pack("{s:s, s:s, s:s}",
			"name", v->checks[i].name,
			"result", result_name(v->checks[i].result),
			"detail", v->checks[i].detail));
	return checks;
}

/* The checks as lines: "check RESULT NAME: DETAIL". */
void gkv_checks_print(const struct gkv_verdict *v, FILE *out)
{
	int i;

	for (i = 0; i < v->nchecks; i++)
		fprintf(out, "check %-4s %s: %s\n",
			result_name(v->checks[i].result), v->checks[i].name,
			v->checks[i].detail);
}

static json_t *to_json(const struct gkv_verdict *v)
{
	json_t *o = json_object(), *meas = json_object(), *checks = gkv_checks_json(v);
	char hex[2 * 64 + 1], ts[32];
	int i;

	if (!o || !meas || !checks) {
		json_decref(o);
		json_decref(meas);
		json_decref(checks);
		return NULL;
	}
	gkv_fmt_time(v->now, ts);
	json_object_set_new(o, "verdict",
			    json_string(gkv_accepted(v) ? "accept" : "reject"));
	json_object_set_new(o, "reason", json_string(gkv_reason(v)));
	json_object_set_new(o, "tee", json_string(v->tee));
	json_object_set_new(o, "tcb_status", v->tcb_status[0] ?
			    json_string(v->tcb_status) : json_null());
	for (i = 0; i < v->nmeas; i++) {
		gk_hex_buf(v->meas[i], GKV_MEAS_SIZE, hex);
		json_object_set_new(meas, v->meas_name[i], json_string(hex));
	}
	json_object_set_new(o, "measurements", meas);
	if (v->have_report_data) {
		gk_hex_buf(v->report_data, 64, hex);
		json_object_set_new(o, "report_data", json_string(hex));
	} else {
		json_object_set_new(o, "report_data", json_null());
	}
	json_object_set_new(o, "evaluation_time", json_string(ts));
	json_object_set_new(o, "checks", checks);
	if (v->info)
		json_object_set(o, "info", v->info);
	return o;
}

/**
 * gkv_verdict_print() - write the verdict on stdout, as JSON with --json
 * @v: the verdict
 * @extra: further top-level members (bench figures, result file), or NULL
 *
 * Plain text is "key: value" lines; JSON one object on a line.
 *
 * Return: 0; -ENOMEM or -EIO.
 */
int gkv_verdict_print(const struct gkv_verdict *v, json_t *extra)
{
	char hex[2 * 64 + 1], ts[32];
	FILE *out = stdout;
	const char *key;
	json_t *o, *val;
	int i;

	if (gk_json) {
		o = to_json(v);
		if (!o)
			return -ENOMEM;
		if (extra)
			json_object_update(o, extra);
		gk_json_print(o);
		return ferror(out) ? -EIO : 0;
	}
	gkv_fmt_time(v->now, ts);
	fprintf(out, "verdict: %s\n", gkv_accepted(v) ? "accept" : "reject");
	fprintf(out, "reason: %s\n", gkv_reason(v));
	fprintf(out, "tee: %s\n", v->tee);
	fprintf(out, "evaluation_time: %s\n", ts);
	fprintf(out, "tcb_status: %s\n", v->tcb_status[0] ? v->tcb_status : "-");
	for (i = 0; i < v->nmeas; i++) {
		gk_hex_buf(v->meas[i], GKV_MEAS_SIZE, hex);
		fprintf(out, "%s: %s\n", v->meas_name[i], hex);
	}
	if (v->have_report_data) {
		gk_hex_buf(v->report_data, 64, hex);
		fprintf(out, "report_data: %s\n", hex);
	}
	gkv_checks_print(v, out);
	if (extra) {
		json_object_foreach(extra, key, val) {
			char *s = json_dumps(val, JSON_ENCODE_ANY | JSON_COMPACT);

			fprintf(out, "%s: %s\n", key, s ? s : "?");
			free(s);
		}
	}
	return ferror(out) ? -EIO : 0;
}
