// SPDX-License-Identifier: GPL-2.0
/*
 * Reference values file.  The file is policy: an unknown key is an error,
 * not something to skip, because a misspelt "alow_sim" or "mrdt" silently
 * ignored would weaken the appraisal without anyone noticing.
 */
#include <stdio.h>
#include <string.h>
#include "verifier.h"
#include "fields.h"
#include "refvalues.h"
#include "gk_mlog_format.h"

/* The schema version this verifier reads; a file may say so ("version"). */
#define GKV_REF_VERSION 1

const char *const gkv_snp_comp_names[GKV_SNP_NCOMP] = {
	"bootloader", "tee", "snp", "microcode", "fmc",
};

const char *const gkv_tdx_mr_names[GKV_TDX_NMR] = {
	"mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3",
};

static const char *const tcb_names[GKV_TCB_MAX] = {
	[GKV_TCB_UP_TO_DATE] = "UpToDate",
	[GKV_TCB_SW_HARDENING_NEEDED] = "SWHardeningNeeded",
	[GKV_TCB_CONFIG_NEEDED] = "ConfigurationNeeded",
	[GKV_TCB_CONFIG_SW_HARDENING_NEEDED] = "ConfigurationAndSWHardeningNeeded",
	[GKV_TCB_OUT_OF_DATE] = "OutOfDate",
	[GKV_TCB_OUT_OF_DATE_CONFIG_NEEDED] = "OutOfDateConfigurationNeeded",
	[GKV_TCB_REVOKED] = "Revoked",
};

enum gkv_tcb gkv_tcb_from_name(const char *s)
{
	int i;

	for (i = 1; i < GKV_TCB_MAX; i++)
		if (!strcmp(s, tcb_names[i]))
			return i;
	return GKV_TCB_NONE;
}

const char *gkv_tcb_name(enum gkv_tcb t)
{
	return t > GKV_TCB_NONE && t < GKV_TCB_MAX ? tcb_names[t] : "none";
}

void gkv_ref_defaults(struct gkv_ref *r)
{
	memset(r, 0, sizeof(*r));
	r->debug_forbidden = true;
	r->tdx_tcb_ok = 1U << GKV_TCB_UP_TO_DATE;
	r->require_crls = true;
	r->require_qe_identity = true;
}

void gkv_ref_free(struct gkv_ref *r)
{
	json_decref(r->root);
	r->root = NULL;
}

/* Only keys from @allowed, or fields of @f, may appear in @obj. */
static int only_keys(json_t *obj, const char *const *allowed,
		     const struct gkv_field *f, size_t nf, const char *where,
		     char *msg, size_t n)
{
	const char *key;
	json_t *val;
	int i;

	json_object_foreach(obj, key, val) {
		for (i = 0; allowed[i]; i++)
			if (!strcmp(key, allowed[i]))
				break;
		if (!allowed[i] && !gkv_fields_known(key, f, nf)) {
			snprintf(msg, n, "unknown key \"%s\" in %s", key, where);
			return -EINVAL;
		}
	}
	return 0;
}

static int get_bool(json_t *obj, const char *key, bool *out, char *msg,
		    size_t n)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v)) {
		snprintf(msg, n, "\"%s\" must be true or false", key);
		return -EINVAL;
	}
	*out = json_is_true(v);
	return 0;
}

/* A list of 48-byte hex values; stored as given and compared decoded. */
static int get_meas_list(json_t *obj, const char *key, json_t **out,
			 char *msg, size_t n)
{
	json_t *v = json_object_get(obj, key), *e;
	u8 buf[GKV_MEAS_SIZE];
	size_t i;

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_array(v)) {
		snprintf(msg, n, "\"%s\" must be a list of hex strings", key);
		return -EINVAL;
	}
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) ||
		    gk_unhex(json_string_value(e), buf, sizeof(buf))) {
			snprintf(msg, n, "\"%s\"[%zu] is not %d bytes of hex",
				 key, i, GKV_MEAS_SIZE);
			return -EINVAL;
		}
	}
	*out = v;
	return 0;
}

static int load_tdx(json_t *o, struct gkv_ref *r, char *msg, size_t n)
{
	static const char *const keys[] = {
		"mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3",
		"accepted_tcb_status", "require_crls", "require_qe_identity",
		NULL };
	json_t *st, *e;
	size_t i;
	int err;

	if (!json_is_object(o)) {
		snprintf(msg, n, "\"tdx\" must be an object");
		return -EINVAL;
	}
	err = only_keys(o, keys, gkv_tdx_fields, GKV_TDX_NFIELDS, "\"tdx\"", msg, n);
	if (!err)
		err = gkv_fields_load(o, gkv_tdx_fields, GKV_TDX_NFIELDS, msg, n);
	r->tdx = o;
	for (i = 0; !err && i < GKV_TDX_NMR; i++)
		err = get_meas_list(o, gkv_tdx_mr_names[i], &r->tdx_mr[i], msg, n);
	if (!err)
		err = get_bool(o, "require_crls", &r->require_crls, msg, n);
	if (!err)
		err = get_bool(o, "require_qe_identity", &r->require_qe_identity,
			       msg, n);
	if (err)
		return err;
	st = json_object_get(o, "accepted_tcb_status");
	if (!st)
		return 0;
	if (!json_is_array(st)) {
		snprintf(msg, n, "\"accepted_tcb_status\" must be a list");
		return -EINVAL;
	}
	r->tdx_tcb_ok = 0;
	json_array_foreach(st, i, e) {
		enum gkv_tcb t = json_is_string(e) ?
			gkv_tcb_from_name(json_string_value(e)) : GKV_TCB_NONE;

		/* A revoked platform is never acceptable, whatever is asked. */
		if (t == GKV_TCB_NONE || t == GKV_TCB_REVOKED) {
			snprintf(msg, n, "\"accepted_tcb_status\"[%zu] is not an "
				 "acceptable Intel TCB status", i);
			return -EINVAL;
		}
		r->tdx_tcb_ok |= 1U << t;
	}
	return 0;
}

static int load_snp(json_t *o, struct gkv_ref *r, char *msg, size_t n)
{
	static const char *const keys[] = { "measurement", "min_tcb", NULL };
	json_t *min, *v;
	int err, i;

	if (!json_is_object(o)) {
		snprintf(msg, n, "\"snp\" must be an object");
		return -EINVAL;
	}
	err = only_keys(o, keys, gkv_snp_fields, GKV_SNP_NFIELDS, "\"snp\"", msg, n);
	if (!err)
		err = gkv_fields_load(o, gkv_snp_fields, GKV_SNP_NFIELDS, msg, n);
	r->snp = o;
	if (!err)
		err = get_meas_list(o, "measurement", &r->snp_measurement, msg, n);
	if (err)
		return err;
	min = json_object_get(o, "min_tcb");
	if (!min)
		return 0;
	if (!json_is_object(min)) {
		snprintf(msg, n, "\"min_tcb\" must be an object");
		return -EINVAL;
	}
	err = only_keys(min, (const char *const[]){ "bootloader", "tee", "snp",
			"microcode", "fmc", NULL }, NULL, 0, "\"min_tcb\"", msg, n);
	if (err)
		return err;
	for (i = 0; i < GKV_SNP_NCOMP; i++) {
		v = json_object_get(min, gkv_snp_comp_names[i]);
		if (!v)
			continue;
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 255) {
			snprintf(msg, n, "\"min_tcb\".\"%s\" must be 0..255",
				 gkv_snp_comp_names[i]);
			return -EINVAL;
		}
		r->snp_min_set[i] = true;
		r->snp_min[i] = (unsigned int)json_integer_value(v);
	}
	return 0;
}

static int load_sim(json_t *o, struct gkv_ref *r, char *msg, size_t n)
{
	static const char *const keys[] = { "measurement", NULL };
	int err;

	if (!json_is_object(o)) {
		snprintf(msg, n, "\"sim\" must be an object");
		return -EINVAL;
	}
	err = only_keys(o, keys, NULL, 0, "\"sim\"", msg, n);
	return err ? err : get_meas_list(o, "measurement", &r->sim_measurement,
					 msg, n);
}

/*
 * "ebpf": what gk-verify ebpf requires of the measurement log.  A publisher
 * name longer than the log's text field could never match: refused.
 */
static int load_ebpf(json_t *o, struct gkv_ref *r, char *msg, size_t n)
{
	static const char *const keys[] = {
		"policy_version_min", "locked", "no_audit", "publishers", NULL };
	json_t *v, *e;
	size_t i;
	int err;

	if (!json_is_object(o)) {
		snprintf(msg, n, "\"ebpf\" must be an object");
		return -EINVAL;
	}
	r->ebpf = o;
	err = only_keys(o, keys, NULL, 0, "\"ebpf\"", msg, n);
	if (!err)
		err = get_bool(o, "locked", &r->ebpf_locked, msg, n);
	if (!err)
		err = get_bool(o, "no_audit", &r->ebpf_no_audit, msg, n);
	if (err)
		return err;
	v = json_object_get(o, "policy_version_min");
	if (v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			snprintf(msg, n, "\"ebpf\".\"policy_version_min\" must be a whole number");
			return -EINVAL;
		}
		r->ebpf_version_min_set = true;
		r->ebpf_version_min = (u64)json_integer_value(v);
	}
	v = json_object_get(o, "publishers");
	if (!v)
		return 0;
	if (!json_is_array(v)) {
		snprintf(msg, n, "\"ebpf\".\"publishers\" must be a list of names");
		return -EINVAL;
	}
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) || !json_string_length(e) ||
		    json_string_length(e) > GK_MLOG_TEXT - 1 ||
		    memchr(json_string_value(e), 0, json_string_length(e))) {
			snprintf(msg, n, "\"ebpf\".\"publishers\"[%zu] is not a name of 1 to %d bytes",
				 i, GK_MLOG_TEXT - 1);
			return -EINVAL;
		}
	}
	r->ebpf_publishers = v;
	return 0;
}

/* "nonce_binding": "gatekeeper", or {"hash": H, "extra": HEX}. */
static int get_binding(json_t *root, struct gkv_ref *r, char *msg, size_t n)
{
	static const struct {
		const char *key, *name;
		const EVP_MD *(*md)(void);
	} hashes[] = {
		{ "none", "none", EVP_md_null }, { "sha256", "SHA-256", EVP_sha256 },
		{ "sha384", "SHA-384", EVP_sha384 }, { "sha512", "SHA-512", EVP_sha512 },
	};
	json_t *b = json_object_get(root, "nonce_binding"), *h, *x;
	const char *hs;
	size_t i;

	if (!b || (json_is_string(b) && !strcmp(json_string_value(b), "gatekeeper")))
		return 0;
	if (!json_is_object(b) || only_keys(b, (const char *const[]){ "hash", "extra", NULL },
					    NULL, 0, "\"nonce_binding\"", msg, n)) {
		if (!json_is_object(b))
			snprintf(msg, n, "\"nonce_binding\" must be \"gatekeeper\" or {\"hash\": ..., \"extra\": ...}");
		return -EINVAL;
	}
	h = json_object_get(b, "hash");
	hs = json_is_string(h) ? json_string_value(h) : "";
	for (i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (!strcmp(hs, hashes[i].key)) {
			r->binding_md = hashes[i].md();
			r->binding_name = hashes[i].name;
		}
	if (!r->binding_md) {
		snprintf(msg, n, "\"nonce_binding\".\"hash\" must be none, sha256, sha384 or sha512");
		return -EINVAL;
	}
	x = json_object_get(b, "extra");
	if (x && (!json_is_string(x) || (r->binding_md == EVP_md_null() && *json_string_value(x)) ||
		  gk_unhex_upto(json_string_value(x), r->binding_extra, sizeof(r->binding_extra),
				&r->binding_extra_len))) {
		snprintf(msg, n, "\"nonce_binding\".\"extra\" must be hex, at most %d bytes (none with hash none)",
			 GKV_BINDING_EXTRA_MAX);
		return -EINVAL;
	}
	return 0;
}

/**
 * gkv_ref_parse() - take reference values from parsed JSON, over the defaults
 * @root: the document; @r owns it from now on, whatever the outcome
 * @r: filled; must have been through gkv_ref_defaults()
 * @msg: what is wrong, on failure
 * @n: room in @msg
 *
 * Return: 0, or -EINVAL for invalid content.
 */
int gkv_ref_parse(json_t *root, struct gkv_ref *r, char *msg, size_t n)
{
	static const char *const keys[] = {
		"version", "allow_sim", "debug_forbidden", "measurements_unchecked",
		"nonce_binding", "tdx", "snp", "sim", "ebpf", "comment", NULL };
	json_t *o;
	int err;

	r->root = root;
	if (!json_is_object(root)) {
		snprintf(msg, n, "not a JSON object");
		return -EINVAL;
	}
	err = only_keys(root, keys, NULL, 0, "the reference values", msg, n);
	o = json_object_get(root, "version");
	if (!err && o && (!json_is_integer(o) || json_integer_value(o) != GKV_REF_VERSION)) {
		snprintf(msg, n, "\"version\" must be %d (this verifier's schema)", GKV_REF_VERSION);
		err = -EINVAL;
	}
	if (!err)
		err = get_bool(root, "allow_sim", &r->allow_sim, msg, n);
	if (!err)
		err = get_bool(root, "measurements_unchecked", &r->measurements_unchecked, msg, n);
	if (!err)
		err = get_binding(root, r, msg, n);
	if (!err)
		err = get_bool(root, "debug_forbidden", &r->debug_forbidden, msg, n);
	if (!err && (o = json_object_get(root, "tdx")))
		err = load_tdx(o, r, msg, n);
	if (!err && (o = json_object_get(root, "snp")))
		err = load_snp(o, r, msg, n);
	if (!err && (o = json_object_get(root, "sim")))
		err = load_sim(o, r, msg, n);
	if (!err && (o = json_object_get(root, "ebpf")))
		err = load_ebpf(o, r, msg, n);
	return err;
}

/**
 * gkv_ref_load() - read a reference values file over the defaults
 * @path: the JSON file
 * @r: filled; must have been through gkv_ref_defaults()
 * @msg: what is wrong, on failure
 * @n: room in @msg
 *
 * Return: 0; -EINVAL for invalid content (unreadable included).
 */
int gkv_ref_load(const char *path, struct gkv_ref *r, char *msg, size_t n)
{
	json_error_t je;
	json_t *root;

	root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(msg, n, "%s:%d: %s", path, je.line, je.text);
		return -EINVAL;
	}
	return gkv_ref_parse(root, r, msg, n);
}

/* Is @val in @list?  A NULL list allows anything; an empty one nothing. */
bool gkv_ref_allows(const json_t *list, const u8 *val, size_t n)
{
	u8 buf[GKV_MEAS_SIZE];
	json_t *e;
	size_t i;

	if (!list)
		return true;
	if (n != sizeof(buf))
		return false;
	json_array_foreach(list, i, e)
		if (!gk_unhex(json_string_value(e), buf, n) &&
		    !memcmp(buf, val, n))
			return true;
	return false;
}

/**
 * gkv_unlisted_measurements() - the "measurements" check when the
 * reference values list none for the TEE
 * @v: the verdict
 * @ref: the reference values
 *
 * Refused, unless they say explicitly that measurements are not checked,
 * which the verdict then says (a skip).
 */
void gkv_unlisted_measurements(struct gkv_verdict *v, const struct gkv_ref *ref)
{
	if (ref->measurements_unchecked)
		gkv_skip(v, "measurements", "not checked: the reference values say \"measurements_unchecked\"");
	else
		gkv_fail(v, "measurements", "no reference measurements for this TEE: list them in the reference "
			 "values (--ref), or set \"measurements_unchecked\": true to accept any");
}

/*
 * The "measurements" check of one measurement register against its list
 * in the reference values (NULL: none listed); @field names it as the
 * evidence does.
 */
void gkv_check_measurement(struct gkv_verdict *v, const struct gkv_ref *ref,
			   const json_t *list, const u8 *m, const char *field)
{
	if (!list)
		gkv_unlisted_measurements(v, ref);
	else if (!gkv_ref_allows(list, m, GKV_MEAS_SIZE))
		gkv_fail(v, "measurements", "%s is not in the reference values", field);
	else
		gkv_pass(v, "measurements", "%s matches the reference values", field);
}
