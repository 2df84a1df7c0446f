// SPDX-License-Identifier: GPL-2.0
/*
 * gk-verify ebpf: appraise the gate's measurement log.  The log is parsed
 * strictly (core/mlog.c), replayed into the SHA-256 PCR it was extended
 * into, and the replay compared with a TPM quote (tpm.c) or a PCR value
 * given; then what the events say is the inventory, and the reference
 * values' "ebpf" requirements are checked against it.  Nothing the log
 * says is believed unless the replay matched a quote: the verdict says
 * which of these was done.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gk_mlog.h"
#include "output.h"
#include "ebpf.h"
#include "tpm.h"

static const char *const type_names[GK_MLOG_TYPE_MAX + 1] = {
	[GK_MLOG_START] = "start", [GK_MLOG_KEY] = "key", [GK_MLOG_POLICY] = "policy",
	[GK_MLOG_LOCK] = "lock", [GK_MLOG_MODE] = "mode", [GK_MLOG_DISARM] = "disarm",
	[GK_MLOG_PROBES] = "probes", [GK_MLOG_ATTEST] = "attest", [GK_MLOG_ADMIT] = "admit",
};

/* The inventory's groups, one per type, in the order they are printed. */
static const char *const group_names[GK_MLOG_TYPE_MAX + 1] = {
	[GK_MLOG_START] = "start", [GK_MLOG_POLICY] = "policies", [GK_MLOG_KEY] = "keys",
	[GK_MLOG_LOCK] = "locks", [GK_MLOG_MODE] = "modes", [GK_MLOG_DISARM] = "disarms",
	[GK_MLOG_PROBES] = "probes", [GK_MLOG_ATTEST] = "attestations",
	[GK_MLOG_ADMIT] = "programs",
};
static const u16 group_order[] = {
	GK_MLOG_START, GK_MLOG_POLICY, GK_MLOG_KEY, GK_MLOG_LOCK, GK_MLOG_MODE,
	GK_MLOG_DISARM, GK_MLOG_PROBES, GK_MLOG_ATTEST, GK_MLOG_ADMIT,
};

static const char *const keyrings[] = {
	[GK_MLOG_KEYRING_PUBLISHERS] = ".gatekeeper", [GK_MLOG_KEYRING_ADMIN] = ".gatekeeper_admin",
	[GK_MLOG_KEYRING_VERIFIERS] = ".gatekeeper_verifier",
};
static const char *const hows[] = {
	[GK_MLOG_HOW_SIGNATURE] = "signature", [GK_MLOG_HOW_RULE] = "rule",
	[GK_MLOG_HOW_PROBE] = "probe", [GK_MLOG_HOW_AUDIT] = "audit",
};
static const char *const tees[] = {
	[GK_TEE_TDX] = "tdx", [GK_TEE_SNP] = "snp", [GK_TEE_SIM] = "sim",
};

/*
 * A text field as measurements.txt shows it: '"', '\' and bytes that are
 * not printable ASCII as \xHH, so that the output is ASCII whatever a task
 * named itself.  @out has room for 4 * GK_MLOG_TEXT bytes.
 */
static const char *text(const char *t, char *out)
{
	char *o = out;
	size_t i;

	for (i = 0; i < GK_MLOG_TEXT - 1 && t[i]; i++) {
		unsigned char c = (unsigned char)t[i];

		if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
			o += sprintf(o, "\\x%02x", c);
		else
			*o++ = (char)c;
	}
	*o = '\0';
	return out;
}

static void set_text(json_t *o, const char *key, const char *t)
{
	char buf[4 * GK_MLOG_TEXT];

	json_object_set_new(o, key, json_string(text(t, buf)));
}

static void set_hex(json_t *o, const char *key, const u8 *p, size_t n)
{
	char hex[GK_HEX_SIZE(32)];

	gk_hex_buf(p, n, hex);
	json_object_set_new(o, key, json_string(hex));
}

static bool zero32(const u8 *p)
{
	static const u8 z[32];

	return !memcmp(p, z, sizeof(z));
}

/* One event of the inventory: its fields named for what they mean. */
static json_t *event_json(const struct gk_mlog_event *ev)
{
	u16 type = gk_get_le16(ev->type), d = gk_get_le16(ev->detail);
	u64 value = gk_mlog_get_le64(ev->value);
	json_t *o = json_pack("{s:I, s:s, s:I}", "seq", (json_int_t)gk_get_le32(ev->seq),
			      "event", type_names[type],
			      "time_ns", (json_int_t)gk_mlog_get_le64(ev->time));

	switch (type) {
	case GK_MLOG_START:
		set_text(o, "kernel", ev->name);
		set_text(o, "module", ev->by);
		json_object_set_new(o, "boottime_ns", json_integer((json_int_t)value));
		set_hex(o, "pcr_before", ev->subject, 32);
		return o;
	case GK_MLOG_KEY:
		json_object_set_new(o, "keyring", json_string(keyrings[d]));
		set_hex(o, "fingerprint", ev->key, 32);
		break;
	case GK_MLOG_POLICY:
		set_text(o, "name", ev->name);
		json_object_set_new(o, "version", json_integer((json_int_t)value));
		set_hex(o, "text_sha256", ev->subject, 32);
		json_object_set_new(o, "mode", json_string(d == GK_MLOG_MODE_AUDIT ? "audit" : "enforce"));
		break;
	case GK_MLOG_MODE:
		json_object_set_new(o, "mode", json_string(d == GK_MLOG_MODE_AUDIT ? "audit" : "enforce"));
		break;
	case GK_MLOG_DISARM:
		set_text(o, "why", ev->name);
		break;
	case GK_MLOG_PROBES:
		json_object_set_new(o, "catalogue", json_string(d ? "trusted" : "refused"));
		break;
	case GK_MLOG_ATTEST:
		json_object_set_new(o, "tee", json_string(tees[d]));
		json_object_set_new(o, "expires", json_integer((json_int_t)value));
		set_hex(o, "statement_sha256", ev->subject, 32);
		set_hex(o, "verifier_key", ev->key, 32);
		set_text(o, "verifier", ev->name);
		break;
	case GK_MLOG_ADMIT:
		set_hex(o, "digest", ev->subject, 32);
		set_text(o, "name", ev->name);
		json_object_set_new(o, "prog_type", json_integer((json_int_t)(u32)value));
		json_object_set_new(o, "attach_type", json_integer((json_int_t)(value >> 32)));
		json_object_set_new(o, "how", json_string(hows[d]));
		set_text(o, d == GK_MLOG_HOW_SIGNATURE ? "publisher" : "by", ev->by);
		if (zero32(ev->key))
			json_object_set_new(o, "signer", json_null());
		else
			set_hex(o, "signer", ev->key, 32);
		return o;
	}
	set_text(o, "by", ev->by);
	return o;
}

/* What the reference values' requirements are checked against. */
struct facts {
	const struct gk_mlog_event *policy;	/* the last, the one in force */
	const struct gk_mlog_event *lock;
	const struct gk_mlog_event *audit;	/* the first event that is audit */
	const struct gk_mlog_event *unlisted;	/* the first signature admission
						   by a publisher not listed */
};

static bool is_audit(const struct gk_mlog_event *ev)
{
	u16 type = gk_get_le16(ev->type), d = gk_get_le16(ev->detail);

	return ((type == GK_MLOG_MODE || type == GK_MLOG_POLICY) && d == GK_MLOG_MODE_AUDIT) ||
	       (type == GK_MLOG_ADMIT && d == GK_MLOG_HOW_AUDIT);
}

static bool listed(const json_t *list, const char *name)
{
	const json_t *e;
	size_t i;

	json_array_foreach(list, i, e)
		if (!strncmp(json_string_value(e), name, GK_MLOG_TEXT))
			return true;
	return false;
}

static void note(struct facts *f, const struct gk_mlog_event *ev, const struct gkv_ref *ref)
{
	u16 type = gk_get_le16(ev->type);

	if (type == GK_MLOG_POLICY)
		f->policy = ev;
	if (type == GK_MLOG_LOCK && !f->lock)
		f->lock = ev;
	if (is_audit(ev) && !f->audit)
		f->audit = ev;
	if (type == GK_MLOG_ADMIT && gk_get_le16(ev->detail) == GK_MLOG_HOW_SIGNATURE &&
	    ref->ebpf_publishers && !f->unlisted && !listed(ref->ebpf_publishers, ev->by))
		f->unlisted = ev;
}

/* The reference values' "ebpf" requirements, each a check of its own. */
static void check_ref(struct gkv_verdict *v, const struct gkv_ref *ref, const struct facts *f)
{
	char name[4 * GK_MLOG_TEXT], by[4 * GK_MLOG_TEXT];
	u64 ver;

	if (!ref->ebpf) {
		gkv_skip(v, "requirements", "none: the reference values (--ref) have no \"ebpf\"");
		return;
	}
	if (ref->ebpf_version_min_set) {
		ver = f->policy ? gk_mlog_get_le64(f->policy->value) : 0;
		if (!f->policy)
			gkv_fail(v, "policy_version_min", "no policy was loaded (at least version %llu required)",
				 (unsigned long long)ref->ebpf_version_min);
		else if (ver < ref->ebpf_version_min)
			gkv_fail(v, "policy_version_min", "policy version %llu (event %u) is below %llu",
				 (unsigned long long)ver, gk_get_le32(f->policy->seq),
				 (unsigned long long)ref->ebpf_version_min);
		else
			gkv_pass(v, "policy_version_min", "policy version %llu, at least %llu",
				 (unsigned long long)ver, (unsigned long long)ref->ebpf_version_min);
	}
	if (ref->ebpf_locked) {
		if (f->lock)
			gkv_pass(v, "locked", "locked at event %u", gk_get_le32(f->lock->seq));
		else
			gkv_fail(v, "locked", "the log has no LOCK: the gate was not locked");
	}
	if (ref->ebpf_no_audit) {
		if (f->audit)
			gkv_fail(v, "no_audit", "event %u is %s in audit mode", gk_get_le32(f->audit->seq),
				 type_names[gk_get_le16(f->audit->type)]);
		else
			gkv_pass(v, "no_audit", "no audit mode, no admission in audit mode");
	}
	if (ref->ebpf_publishers) {
		if (f->unlisted)
			gkv_fail(v, "publishers", "event %u admits \"%s\" signed by publisher \"%s\", not listed",
				 gk_get_le32(f->unlisted->seq), text(f->unlisted->name, name),
				 text(f->unlisted->by, by));
		else
			gkv_pass(v, "publishers", "every signed admission is by a listed publisher");
	}
}

/* The inventory: every event, by group; the policy in force; locked or not. */
static json_t *inventory(const u8 *log, u32 n, const struct gkv_ref *ref, struct facts *f)
{
	json_t *inv = json_object(), *groups[GK_MLOG_TYPE_MAX + 1] = { NULL };
	const struct gk_mlog_event *ev;
	size_t i;
	u32 k;

	for (i = 0; i < sizeof(group_order) / sizeof(group_order[0]); i++) {
		groups[group_order[i]] = json_array();
		json_object_set_new(inv, group_names[group_order[i]], groups[group_order[i]]);
	}
	for (k = 0; k < n; k++) {
		ev = gk_mlog_event_at(log, k);
		note(f, ev, ref);
		json_array_append_new(groups[gk_get_le16(ev->type)], event_json(ev));
	}
	json_object_set_new(inv, "policy", f->policy ? event_json(f->policy) : json_null());
	json_object_set_new(inv, "locked", json_boolean(f->lock));
	return inv;
}

/*
 * Replay the SHA-256 bank: @pcr[k] is the PCR after event k.  Return: 0,
 * -ENOMEM.
 */
static int replay(const u8 *log, u32 n, u8 (*pcr)[32])
{
	const struct gk_mlog_event *ev;
	u8 h[32];
	u32 k;

	for (k = 0; k < n; k++) {
		ev = gk_mlog_event_at(log, k);
		if (gkv_sha256(ev, GK_MLOG_EVENT_SIZE, NULL, 0, h) ||
		    gkv_sha256(k ? pcr[k - 1] : gk_mlog_event_at(log, 0)->subject, 32, h, 32, pcr[k]))
			return -ENOMEM;
	}
	return 0;
}

/* Compare the replay with a PCR value given: "pcr", and "authenticity" skipped. */
static void check_given(struct gkv_verdict *v, u8 (*pcr)[32], u32 n, const u8 *want)
{
	char hex[GK_HEX_SIZE(32)];
	u32 k;

	if (!memcmp(pcr[n - 1], want, 32)) {
		gkv_pass(v, "pcr", "the replay of all %u events equals --pcr-value", n);
	} else {
		for (k = 0; k < n - 1 && memcmp(pcr[k], want, 32); k++)
			;
		gk_hex_buf(pcr[n - 1], 32, hex);
		if (k < n - 1)
			gkv_fail(v, "pcr", "replay does not match --pcr-value: it is the replay of events 0..%u, "
				 "%u more are in the log", k, n - 1 - k);
		else
			gkv_fail(v, "pcr", "replay does not match --pcr-value (the replay is %s)", hex);
	}
	gkv_skip(v, "authenticity", "nothing was authenticated: the PCR value was given (--pcr-value), "
		 "not quoted by a TPM");
}

/**
 * gkv_ebpf_appraise() - appraise a measurement log
 * @in: the log, and what its replay is compared with
 * @v: the verdict, initialised; its checks, in order: "log", then "pcr"
 *	(or the quote's, tpm.c), then the requirements
 * @out: set to what the log says; free with gkv_ebpf_out_free()
 *
 * A malformed log stops at "log", naming the event at fault.  Without a
 * quote or a PCR value the replay is compared with nothing, and "pcr"
 * fails: nothing is verified.
 */
void gkv_ebpf_appraise(const struct gkv_ebpf_in *in, struct gkv_verdict *v,
		       struct gkv_ebpf_out *out)
{
	const struct gk_mlog_hdr *h = (const void *)in->log;
	char hex[GK_HEX_SIZE(32)];
	struct facts f = { NULL };
	struct gkv_tpm_want want;
	u32 n, bad, pcr_index;
	const char *why;
	u8 (*pcr)[32];
	int err;

	out->log = json_object();
	out->inventory = NULL;
	err = gk_mlog_parse(in->log, in->log_len, &n, &bad, &why);
	if (err == -EPROTONOSUPPORT) {
		gkv_fail(v, "log", "header: %s (%u; this verifier reads version %u)", why,
			 gk_get_le32(h->version), GK_MLOG_V1);
		return;
	}
	if (err && bad == GK_MLOG_BAD_HDR) {
		gkv_fail(v, "log", "header: %s", why);
		return;
	}
	if (err) {
		gkv_fail(v, "log", "event %u (offset %zu): %s", bad,
			 GK_MLOG_HDR_SIZE + (size_t)bad * GK_MLOG_EVENT_SIZE, why);
		return;
	}
	pcr_index = gk_get_le32(h->pcr);
	pcr = malloc((size_t)n * sizeof(*pcr));
	if (!pcr || replay(in->log, n, pcr)) {
		free(pcr);
		gkv_internal(v, -ENOMEM, "internal error: out of memory");
		return;
	}
	gk_hex_buf(pcr[n - 1], 32, hex);
	json_object_set_new(out->log, "events", json_integer(n));
	json_object_set_new(out->log, "pcr", pcr_index == GK_MLOG_NO_PCR ? json_null() :
			    json_integer(pcr_index));
	json_object_set_new(out->log, "replayed_pcr", json_string(hex));
	if (pcr_index == GK_MLOG_NO_PCR)
		gkv_pass(v, "log", "%u events, well formed, measured into no TPM (tpm=off)", n);
	else
		gkv_pass(v, "log", "%u events, well formed, extended into PCR %u", n, pcr_index);
	if ((in->quote || in->pcr_value) && pcr_index == GK_MLOG_NO_PCR) {
		gkv_fail(v, "pcr", "the log was measured into no TPM: there is no PCR to compare");
	} else if (in->quote) {
		want = (struct gkv_tpm_want){ .ak = in->ak, .nonce = in->nonce,
			.nonce_len = in->nonce_len, .pcr = pcr_index, .replay = pcr, .n = n };
		gkv_tpm_quote_check(v, in->quote, in->quote_len, in->sig, in->sig_len, &want);
	} else if (in->pcr_value) {
		check_given(v, pcr, n, in->pcr_value);
	} else {
		gkv_fail(v, "pcr", "not verified: no --quote or --pcr-value to compare the replay with");
	}
	free(pcr);
	out->inventory = inventory(in->log, n, in->ref, &f);
	check_ref(v, in->ref, &f);
}

void gkv_ebpf_out_free(struct gkv_ebpf_out *out)
{
	json_decref(out->log);
	json_decref(out->inventory);
	out->log = out->inventory = NULL;
}

/* One event as a line: its kind, then NAME=VALUE, strings quoted. */
static void print_event(FILE *o, const char *group, json_t *ev)
{
	const char *key;
	json_t *val;

	fprintf(o, "%s:", group);
	json_object_foreach(ev, key, val) {
		if (!strcmp(key, "event"))
			continue;
		if (json_is_string(val))
			fprintf(o, " %s=\"%s\"", key, json_string_value(val));
		else if (json_is_integer(val))
			fprintf(o, " %s=%lld", key, (long long)json_integer_value(val));
		else
			fprintf(o, " %s=-", key);
	}
	fputc('\n', o);
}

/**
 * gkv_ebpf_print() - write the verdict and the inventory on stdout
 * @v: the verdict
 * @out: what gkv_ebpf_appraise() found
 *
 * Plain: "key: value" lines, the checks, then one line per event, grouped
 * as the inventory; --json: one object on a line.
 *
 * Return: 0; -ENOMEM or -EIO.
 */
int gkv_ebpf_print(const struct gkv_verdict *v, const struct gkv_ebpf_out *out)
{
	FILE *o = stdout;
	const char *key;
	json_t *doc, *val, *e;
	size_t i, j;

	if (gk_json) {
		doc = json_pack("{s:s, s:s, s:O, s:o, s:O, s:O}",
				"verdict", gkv_accepted(v) ? "accept" : "reject",
				"reason", gkv_reason(v), "log", out->log, "checks", gkv_checks_json(v),
				"tpm", v->info,
				"inventory", out->inventory ? out->inventory : json_null());
		if (!doc)
			return -ENOMEM;
		gk_json_print(doc);
		return ferror(o) ? -EIO : 0;
	}
	fprintf(o, "verdict: %s\n", gkv_accepted(v) ? "accept" : "reject");
	fprintf(o, "reason: %s\n", gkv_reason(v));
	json_object_foreach(out->log, key, val) {
		if (json_is_string(val))
			fprintf(o, "%s: %s\n", key, json_string_value(val));
		else if (json_is_integer(val))
			fprintf(o, "%s: %lld\n", key, (long long)json_integer_value(val));
		else
			fprintf(o, "%s: -\n", key);
	}
	gkv_checks_print(v, o);
	if (out->inventory) {
		fprintf(o, "locked: %s\n", json_is_true(json_object_get(out->inventory, "locked")) ?
			"yes" : "no");
		for (i = 0; i < sizeof(group_order) / sizeof(group_order[0]); i++)
			json_array_foreach(json_object_get(out->inventory, group_names[group_order[i]]),
					   j, e)
				print_event(o, type_names[group_order[i]], e);
	}
	return ferror(o) ? -EIO : 0;
}
