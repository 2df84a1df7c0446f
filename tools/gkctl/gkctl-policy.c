// SPDX-License-Identifier: GPL-2.0
/*
 * gkctl policy: check, explain, sign, load and show policies.  The text is
 * parsed with the same parser the module uses (policy/parse.c), so a
 * policy that passes "gkctl policy check" is one the kernel takes, and
 * errors are found before anything is signed or written.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include "gkctl.h"
#include "cms.h"
#include "gk_policy.h"

static const char gk_help_policy[] =
	"Usage: gkctl policy check [--json] FILE\n"
	"       gkctl policy sign [--json] --key KEY --cert CERT [-o OUT] FILE\n"
	"       gkctl policy load [--json] FILE\n"
	"       gkctl policy show [--json]\n"
	"\n"
	"check: parse FILE, policy text or a signed policy, and explain it: \"ok:\n"
	"policy NAME version N, ...\", its declarations and revocations, then each\n"
	"rule in plain words (the first rule that matches a program load decides),\n"
	"or the first error as\n"
	"FILE:LINE:COLUMN: MESSAGE.  With --json, the policy as an object.  The\n"
	"signature of a signed policy is not verified here: the kernel does that.\n"
	"\n"
	"sign: check FILE, then write OUT, the signed policy: FILE's bytes and a\n"
	"detached PKCS#7 signature over them (SHA-256, no signed attributes, the\n"
	"certificate included), as the module takes it.  Prints OUT.\n"
	"  -k, --key KEY     private key, PEM or DER (or an OpenSSL store URI); its\n"
	"                    passphrase or PIN is read from GK_SIGN_PIN\n"
	"  -c, --cert CERT   its X.509 certificate, PEM or DER, of a policy-admin key\n"
	"                    (gkctl key add --admin) or of a key the kernel trusts\n"
	"  -o, --output OUT  where to write it; default FILE.signed\n"
	"\n"
	"load: make the signed policy FILE the active one, in one write.  It is\n"
	"checked here first; the kernel checks it again, verifies its signature\n"
	"against the policy-admin keys and refuses a version not higher than the\n"
	"active policy's.\n"
	"\n"
	"show: print the active policy in canonical form (nothing if none); with\n"
	"--json as an object, as check prints it (null if none).\n";

/* The 8-digit start of a SHA-256, as rules are explained. */
#define GK_SHORT_HEX 8

static const char *const gk_pol_modes[] = {
	[GK_POLICY_ENFORCE] = "enforce",
	[GK_POLICY_AUDIT_ONLY] = "audit",
};

static const char *const gk_pol_sources[] = {
	[GK_POLICY_SOURCE_EXACT] = "exact",
	[GK_POLICY_SOURCE_PREFIX] = "prefix",
	[GK_POLICY_SOURCE_GLOB] = "glob",
};

static const char *gk_table(const char *const *tab, size_t n, u32 i)
{
	return i < n && tab[i] ? tab[i] : "?";
}

#define GK_TABLE(tab, i) gk_table(tab, sizeof(tab) / sizeof(tab[0]), i)

static const char *gk_plural(u32 n)
{
	return n == 1 ? "" : "s";
}

/* A policy file: text, or a signed policy and the text in it. */
struct gk_pfile {
	const char *path;
	u8 *buf;
	size_t len;
	const char *text;
	size_t text_len;
	const u8 *sig;		/* NULL: plain text */
	size_t sig_len;
};

static bool gk_is_spolicy(const u8 *buf, size_t len)
{
	return len >= 8 && !memcmp(buf, GK_SPOLICY_MAGIC, 8);
}

/*
 * Read @f->path: policy text, or a signed policy if it starts with the
 * magic (then split, as the module splits it).  Errors are reported.
 */
static int gk_pfile_read(struct gk_pfile *f)
{
	const u8 *text;
	int err;

	err = gk_read_file(f->path, GK_SPOLICY_MAX_SIZE, &f->buf, &f->len);
	if (err) {
		gk_err("cannot read %s: %s", f->path,
		       err == -EFBIG ? "larger than any policy the module accepts" : strerror(-err));
		return err;
	}
	f->sig = NULL;
	f->text = (const char *)f->buf;
	f->text_len = f->len;
	if (!gk_is_spolicy(f->buf, f->len))
		return 0;
	err = gk_spolicy_parse(f->buf, f->len, &text, &f->text_len, &f->sig, &f->sig_len);
	switch (err) {
	case 0:
		f->text = (const char *)text;
		return 0;
	case -EPROTONOSUPPORT:
		gk_err("%s: signed-policy format version %u is unknown to this gkctl", f->path,
		       gk_get_le32(f->buf + 8));
		break;
	case -EFBIG:
		gk_err("%s: larger than any signed policy the module accepts", f->path);
		break;
	default:
		gk_err("%s: malformed or truncated signed policy (bad lengths or reserved fields): sign the policy text again with gkctl policy sign",
		       f->path);
	}
	free(f->buf);
	f->buf = NULL;
	return err;
}

/* Show where a parse error is: the line, and a caret under the column. */
static void gk_show_error_line(const char *text, size_t len, u32 line, u32 col)
{
	size_t bol = 0, eol, i;
	u32 n = 1;

	while (n < line && bol < len) {
		const char *nl = memchr(text + bol, '\n', len - bol);

		if (!nl)
			return;
		bol = nl - text + 1;
		n++;
	}
	if (n != line || bol > len)
		return;
	for (eol = bol; eol < len && text[eol] != '\n'; eol++)
		;
	fprintf(stderr, "%6u | ", line);
	for (i = bol; i < eol; i++)
		fputc(text[i] >= 0x20 && text[i] < 0x7f ? text[i] : text[i] == '\t' ? '\t' : '?', stderr);
	fputs("\n       | ", stderr);
	for (i = bol; i < eol && i < bol + col - 1; i++)
		fputc(text[i] == '\t' ? '\t' : ' ', stderr);
	fputs("^\n", stderr);
}

/*
 * Parse @text as a policy.  A failure is reported as @where:LINE:COLUMN:
 * MESSAGE (with --json, an object with those fields) after @prefix.
 */
static int gk_parse(const char *where, const char *prefix, const char *text, size_t len,
		    struct gk_policy **pol)
{
	struct gk_policy_error e;
	const char *ename;
	char *msg;
	int err;

	err = gk_policy_parse(text, len, pol, &e);
	if (!err)
		return 0;
	if (!e.msg)
		e.msg = strerror(-err);
	if (e.line && asprintf(&msg, "%s%s:%u:%u: %s", prefix, where, e.line, e.column, e.msg) < 0)
		msg = NULL;
	else if (!e.line && asprintf(&msg, "%s%s: %s", prefix, where, e.msg) < 0)
		msg = NULL;
	if (!msg) {
		gk_err("out of memory");
		return err;
	}
	ename = strerrorname_np(-err);
	if (gk_json) {
		gk_json_print(json_pack("{s:s, s:s, s:i, s:i, s:s, s:s?}", "error", msg, "file", where,
					"line", e.line, "column", e.column, "message", e.msg,
					"errno", ename));
	} else {
		fprintf(stderr, "%s: %s\n", program_invocation_short_name, msg);
		if (e.line)
			gk_show_error_line(text, len, e.line, e.column);
	}
	free(msg);
	return err;
}

/* ------------------------------------------------------------- explain */

static void gk_put_short_hex(FILE *f, const u8 *p)
{
	char hex[GK_HEX_SIZE(GK_SHORT_HEX / 2)];

	gk_hex_buf(p, GK_SHORT_HEX / 2, hex);
	fprintf(f, "%s..", hex);
}

/* A string as written in an explanation: quoted if it has a space. */
static void gk_put_str(FILE *f, const char *s, u32 n)
{
	bool quote = !n || memchr(s, ' ', n);

	fprintf(f, quote ? " \"%.*s\"" : " %.*s", (int)n, s);
}

static void gk_put_type_list(FILE *f, const u32 *vals, u32 n, bool prog)
{
	const char *name;
	u32 i;

	for (i = 0; i < n; i++) {
		name = prog ? gk_policy_prog_type_name(vals[i]) : gk_policy_attach_type_name(vals[i]);
		fputs(i ? ", " : " ", f);
		if (name)
			fputs(name, f);
		else
			fprintf(f, "%s %u", prog ? "type" : "attach type", vals[i]);
	}
}

static const char *gk_action_words(u32 action)
{
	switch (action) {
	case GK_POLICY_ALLOW:
		return "allow";
	case GK_POLICY_DENY:
		return "deny";
	case GK_POLICY_AUDIT:
		return "allow but log (audit)";
	}
	return "?";
}

/*
 * A rule in plain words, e.g. "allow unsigned kprobe, tracepoint programs
 * loaded by /usr/bin/bpftrace with sha256 102f6586..".  malloc()ed.
 */
static char *gk_rule_words(const struct gk_policy *pol, const struct gk_policy_rule *r)
{
	u32 m = r->match;
	char *s = NULL;
	size_t n;
	FILE *f;

	f = open_memstream(&s, &n);
	if (!f)
		return NULL;
	fputs(gk_action_words(r->action), f);
	if (!m) {
		fputs(" every program", f);
	} else {
		if (m & GK_POLICY_M_UNSIGNED)
			fputs(" unsigned", f);
		if ((m & GK_POLICY_M_SIGNED) && !(m & GK_POLICY_M_PUBLISHER))
			fputs(" signed", f);
		if (m & GK_POLICY_M_CONFIDENTIAL)
			fputs(" confidential", f);
		if (m & GK_POLICY_M_NONCONFIDENTIAL)
			fputs(" non-confidential", f);
		if (m & GK_POLICY_M_TYPE)
			gk_put_type_list(f, r->types, r->n_types, true);
		fputs(" programs", f);
	}
	if ((m & GK_POLICY_M_PUBLISHER) && r->publisher < pol->n_publishers)
		fprintf(f, " signed by publisher %s", pol->publishers[r->publisher].name);
	if (m & GK_POLICY_M_SOURCE) {
		fputs(r->source_kind == GK_POLICY_SOURCE_EXACT ? " with source" :
		      r->source_kind == GK_POLICY_SOURCE_PREFIX ? " with a source starting with" :
		      " with a source matching", f);
		gk_put_str(f, r->source, r->source_len);
	}
	if (m & GK_POLICY_M_ATTACH) {
		fputs(" with attach type", f);
		gk_put_type_list(f, r->attach, r->n_attach, false);
	}
	if (m & GK_POLICY_M_APP) {
		fputs(" loaded by", f);
		gk_put_str(f, r->app, r->app_len);
	}
	if (m & GK_POLICY_M_APP_SHA256) {
		fputs(" with sha256 ", f);
		gk_put_short_hex(f, r->app_sha256);
	}
	if ((m & GK_POLICY_M_VERIFIER) && r->verifier < pol->n_verifiers)
		fprintf(f, " while verifier %s vouches for a fresh TEE attestation",
			pol->verifiers[r->verifier].name);
	if (fclose(f)) {
		free(s);
		return NULL;
	}
	return s;
}

static void gk_put_principals(const char *kind, const struct gk_policy_principal *pr, u32 n)
{
	char *hex;
	u32 i, k;

	for (i = 0; i < n; i++) {
		printf("%s %s:", kind, pr[i].name);
		for (k = 0; k < pr[i].n_keys; k++) {
			hex = gk_hex(pr[i].keys[k], GK_POLICY_KEY_SIZE);
			printf("%s key %s", k ? "," : "", hex ? hex : "?");
			free(hex);
		}
		putchar('\n');
	}
}

/* Is @key one of a revoked publisher's, said by that publisher's line? */
static bool gk_key_of_revoked_publisher(const struct gk_policy *pol, const u8 *key)
{
	int pub = gk_policy_find_publisher(pol, key);

	return pub >= 0 && gk_policy_revokes_publisher(pol, (u32)pub);
}

/* The revocation list, as gk_policy_dump() orders it. */
static void gk_put_revocations(const struct gk_policy *pol)
{
	char *hex;
	u32 i;

	for (i = 0; i < pol->n_publishers; i++)
		if (gk_policy_revokes_publisher(pol, i))
			printf("revoked publisher %s: no manifest its keys vouched for admits, even once they are removed from the keyring; such programs count as unsigned\n",
			       pol->publishers[i].name);
	for (i = 0; i < pol->n_revoked_keys; i++) {
		if (gk_key_of_revoked_publisher(pol, pol->revoked_keys[i]))
			continue;
		hex = gk_hex(pol->revoked_keys[i], GK_POLICY_KEY_SIZE);
		printf("revoked key %s: admits nothing it vouched for, even once removed from the keyring; such programs count as unsigned\n",
		       hex ? hex : "?");
		free(hex);
	}
	for (i = 0; i < pol->n_revoked_digests; i++) {
		hex = gk_hex(pol->revoked_digests[i], GK_POLICY_SHA256_SIZE);
		printf("revoked digest %s: refused whatever signature, rule or loader probe would admit it\n",
		       hex ? hex : "?");
		free(hex);
	}
}

static int gk_explain(const struct gk_policy *pol)
{
	char *words;
	u32 i;

	if (pol->mode == GK_POLICY_AUDIT_ONLY)
		puts("mode audit: a load the policy denies is logged as audit-deny and goes through");
	else
		puts("mode enforce: a load the policy denies fails with EPERM");
	if (pol->probes == GK_POLICY_PROBES_REFUSED)
		puts("probes refused: the loader probe catalogue admits nothing while this policy is active");
	else
		puts("probes: the loader probe catalogue admits its entries while the operator trusts it (gkctl probe)");
	gk_put_principals("publisher", pol->publishers, pol->n_publishers);
	gk_put_principals("verifier", pol->verifiers, pol->n_verifiers);
	gk_put_revocations(pol);
	if (pol->n_rules)
		puts("rules, in order; the first that matches a load decides:");
	for (i = 0; i < pol->n_rules; i++) {
		words = gk_rule_words(pol, &pol->rules[i]);
		if (!words) {
			gk_err("out of memory");
			return -ENOMEM;
		}
		printf("rule %u (line %u): %s\n", pol->rules[i].number, pol->rules[i].line, words);
		free(words);
	}
	printf("default: %s every %sprogram\n", gk_action_words(pol->default_action),
	       pol->n_rules ? "other " : "");
	return 0;
}

/* ---------------------------------------------------------------- JSON */

static json_t *gk_json_keys(const struct gk_policy_principal *pr, u32 n)
{
	json_t *arr = json_array(), *keys;
	char *hex;
	u32 i, k;

	for (i = 0; arr && i < n; i++) {
		keys = json_array();
		for (k = 0; keys && k < pr[i].n_keys; k++) {
			hex = gk_hex(pr[i].keys[k], GK_POLICY_KEY_SIZE);
			json_array_append_new(keys, hex ? json_string(hex) : NULL);
			free(hex);
		}
		json_array_append_new(arr, json_pack("{s:s, s:o*}", "name", pr[i].name, "keys", keys));
	}
	return arr;
}

/* SHA-256s as an array of hex strings. */
static json_t *gk_json_hexes(const u8 (*v)[GK_POLICY_SHA256_SIZE], u32 n)
{
	json_t *arr = json_array();
	char *hex;
	u32 i;

	for (i = 0; arr && i < n; i++) {
		hex = gk_hex(v[i], GK_POLICY_SHA256_SIZE);
		json_array_append_new(arr, hex ? json_string(hex) : NULL);
		free(hex);
	}
	return arr;
}

/*
 * {"publishers": [NAME...], "keys": [HEX...], "digests": [HEX...]}: keys
 * all the revoked ones, a revoked publisher's included; sorted.
 */
static json_t *gk_json_revoked(const struct gk_policy *pol)
{
	json_t *pubs = json_array();
	u32 i;

	for (i = 0; pubs && i < pol->n_publishers; i++)
		if (gk_policy_revokes_publisher(pol, i))
			json_array_append_new(pubs, json_string(pol->publishers[i].name));
	return json_pack("{s:o*, s:o*, s:o*}", "publishers", pubs,
			 "keys", gk_json_hexes((const u8 (*)[GK_POLICY_SHA256_SIZE])pol->revoked_keys,
					       pol->n_revoked_keys),
			 "digests", gk_json_hexes((const u8 (*)[GK_POLICY_SHA256_SIZE])pol->revoked_digests,
						  pol->n_revoked_digests));
}

/* Types as [{"number": N, "name": NAME or null}, ...]. */
static json_t *gk_json_types(const u32 *vals, u32 n, bool prog)
{
	json_t *arr = json_array();
	const char *name;
	u32 i;

	for (i = 0; arr && i < n; i++) {
		name = prog ? gk_policy_prog_type_name(vals[i]) : gk_policy_attach_type_name(vals[i]);
		json_array_append_new(arr, json_pack("{s:I, s:s?}", "number", (json_int_t)vals[i],
						     "name", name));
	}
	return arr;
}

static json_t *gk_json_conditions(const struct gk_policy *pol, const struct gk_policy_rule *r)
{
	json_t *c = json_object();
	u32 m = r->match;
	char *hex;

	if (!c)
		return NULL;
	if (m & (GK_POLICY_M_SIGNED | GK_POLICY_M_UNSIGNED))
		json_object_set_new(c, "signed", json_boolean(m & GK_POLICY_M_SIGNED));
	if ((m & GK_POLICY_M_PUBLISHER) && r->publisher < pol->n_publishers)
		json_object_set_new(c, "publisher", json_string(pol->publishers[r->publisher].name));
	if (m & GK_POLICY_M_SOURCE)
		json_object_set_new(c, "source", json_pack("{s:s, s:s%}", "match",
							   GK_TABLE(gk_pol_sources, r->source_kind),
							   "pattern", r->source, (size_t)r->source_len));
	if (m & GK_POLICY_M_APP)
		json_object_set_new(c, "app", json_stringn(r->app, r->app_len));
	if (m & GK_POLICY_M_APP_SHA256) {
		hex = gk_hex(r->app_sha256, GK_POLICY_SHA256_SIZE);
		json_object_set_new(c, "app_sha256", hex ? json_string(hex) : NULL);
		free(hex);
	}
	if (m & GK_POLICY_M_TYPE)
		json_object_set_new(c, "type", gk_json_types(r->types, r->n_types, true));
	if (m & GK_POLICY_M_ATTACH)
		json_object_set_new(c, "attach", gk_json_types(r->attach, r->n_attach, false));
	if (m & (GK_POLICY_M_CONFIDENTIAL | GK_POLICY_M_NONCONFIDENTIAL))
		json_object_set_new(c, "confidential", json_boolean(m & GK_POLICY_M_CONFIDENTIAL));
	if ((m & GK_POLICY_M_VERIFIER) && r->verifier < pol->n_verifiers)
		json_object_set_new(c, "verifier", json_string(pol->verifiers[r->verifier].name));
	return c;
}

/*
 * The policy as an object: name, version, default, mode, publishers,
 * verifiers and rules, each rule with its conditions, its canonical text
 * and its explanation.
 */
static json_t *gk_policy_json(const struct gk_policy *pol)
{
	char *dump = NULL, *line, *save = NULL, *words;
	json_t *o, *rules;
	size_t len, lines = 0, k;
	u32 i;

	/* The canonical text: its last n_rules lines are the rules, one a line. */
	gk_policy_dump(pol, NULL, 0, &len);
	dump = malloc(len + 1);
	if (!dump || gk_policy_dump(pol, dump, len + 1, &len)) {
		free(dump);
		return NULL;
	}
	for (k = 0; k < len; k++)
		lines += dump[k] == '\n';
	line = strtok_r(dump, "\n", &save);
	for (k = 1; line && k < lines - pol->n_rules; k++)
		line = strtok_r(NULL, "\n", &save);
	rules = json_array();
	for (i = 0; rules && i < pol->n_rules; i++) {
		const struct gk_policy_rule *r = &pol->rules[i];

		line = strtok_r(NULL, "\n", &save);
		words = gk_rule_words(pol, r);
		json_array_append_new(rules, json_pack("{s:I, s:I, s:s, s:o*, s:s?, s:s?}",
						       "number", (json_int_t)r->number,
						       "line", (json_int_t)r->line,
						       "action", gk_policy_action_name(r->action),
						       "conditions", gk_json_conditions(pol, r),
						       "text", line, "explanation", words));
		free(words);
	}
	o = json_pack("{s:s, s:o, s:s, s:s, s:b, s:o*, s:o*, s:o*, s:o*}", "name", pol->name,
		      "version", gk_json_u64(pol->version),
		      "default", gk_policy_action_name(pol->default_action),
		      "mode", GK_TABLE(gk_pol_modes, pol->mode),
		      "probes_refused", pol->probes == GK_POLICY_PROBES_REFUSED,
		      "publishers", gk_json_keys(pol->publishers, pol->n_publishers),
		      "verifiers", gk_json_keys(pol->verifiers, pol->n_verifiers),
		      "revoked", gk_json_revoked(pol),
		      "rules", rules);
	free(dump);
	return o;
}

/* ---------------------------------------------------------- signatures */

/* Who signed a signed policy: the subject and key fingerprint of the signer. */
struct gk_signer_info {
	char *subject;		/* NULL: the certificate is not included */
	char *key;
};

static void gk_signer_info_free(struct gk_signer_info *si)
{
	free(si->subject);
	free(si->key);
}

/*
 * Describe the signer of a detached CMS signature, without verifying it:
 * the kernel verifies against keys gkctl does not have.
 */
static int gk_signer_info(const char *path, const u8 *sig, size_t len, struct gk_signer_info *out)
{
	STACK_OF(CMS_SignerInfo) *sis;
	STACK_OF(X509) *certs = NULL;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	u8 fpr[GK_KEY_FPR_SIZE];
	const u8 *p = sig;
	int i, err = 0;
	X509 *x;

	memset(out, 0, sizeof(*out));
	cms = d2i_CMS_ContentInfo(NULL, &p, len);
	if (!cms || p != sig + len) {
		gk_ossl_err("%s: the signature is not one DER CMS message: sign the policy again with gkctl policy sign",
			    path);
		err = -EBADMSG;
		goto out;
	}
	sis = CMS_get0_SignerInfos(cms);
	if (!sis || sk_CMS_SignerInfo_num(sis) < 1) {
		gk_err("%s: the signature has no signer: sign the policy again with gkctl policy sign", path);
		err = -EBADMSG;
		goto out;
	}
	si = sk_CMS_SignerInfo_value(sis, 0);
	certs = CMS_get1_certs(cms);
	for (i = 0; certs && i < sk_X509_num(certs); i++) {
		x = sk_X509_value(certs, i);
		if (CMS_SignerInfo_cert_cmp(si, x))
			continue;
		if (gk_key_fingerprint(x, fpr)) {
			err = -EINVAL;
			goto out;
		}
		out->subject = gk_x509_subject(x);
		out->key = gk_hex(fpr, sizeof(fpr));
		if (!out->subject || !out->key) {
			gk_err("out of memory");
			err = -ENOMEM;
		}
		break;
	}
out:
	if (err)
		gk_signer_info_free(out);
	sk_X509_pop_free(certs, X509_free);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return err;
}

/* ------------------------------------------------------------ commands */

/* The command's one argument, a policy file, read.  Return: -1, or the exit code. */
static int gk_pfile_arg(int argc, char **argv, const char *cmd, struct gk_pfile *f)
{
	int ret = gk_opts(argc, argv, cmd, gk_help_policy, NULL, 1, 1);

	if (ret >= 0)
		return ret;
	f->path = argv[optind];
	return gk_pfile_read(f) ? GK_EXIT_FAIL : -1;
}

static int gk_cmd_policy_check(int argc, char **argv)
{
	struct gk_signer_info si = { NULL, NULL };
	struct gk_pfile f = { NULL };
	struct gk_policy *pol = NULL;
	json_t *o;
	int ret;

	ret = gk_pfile_arg(argc, argv, "gkctl policy check", &f);
	if (ret >= 0)
		return ret;
	ret = GK_EXIT_FAIL;
	if (f.sig && gk_signer_info(f.path, f.sig, f.sig_len, &si))
		goto out;
	if (gk_parse(f.path, "", f.text, f.text_len, &pol))
		goto out;
	if (gk_json) {
		o = gk_policy_json(pol);
		if (!o) {
			gk_err("out of memory");
			goto out;
		}
		if (f.sig)
			json_object_set_new(o, "signer", si.subject ?
					    json_pack("{s:s, s:s}", "subject", si.subject, "key", si.key) :
					    json_null());
		gk_json_print(json_pack("{s:s, s:b, s:o}", "file", f.path, "signed", f.sig != NULL,
					"policy", o));
	} else {
		printf("ok: policy %s version %llu, %u publisher%s, %u verifier%s, %u rule%s", pol->name,
		       (unsigned long long)pol->version, pol->n_publishers, gk_plural(pol->n_publishers),
		       pol->n_verifiers, gk_plural(pol->n_verifiers), pol->n_rules,
		       gk_plural(pol->n_rules));
		/* Only when there are some: the line stays as it was for other policies. */
		if (pol->n_revoked_digests || pol->n_revoked_keys)
			printf(", %u revoked digest%s, %u revoked key%s", pol->n_revoked_digests,
			       gk_plural(pol->n_revoked_digests), pol->n_revoked_keys,
			       gk_plural(pol->n_revoked_keys));
		putchar('\n');
		if (f.sig && si.subject)
			printf("signed by %s, key %s (the kernel verifies the signature when the policy is loaded)\n",
			       si.subject, si.key);
		else if (f.sig)
			puts("signed; the signer's certificate is not included (the kernel verifies the signature when the policy is loaded)");
		if (gk_explain(pol))
			goto out;
	}
	ret = GK_EXIT_OK;
out:
	gk_policy_free(pol);
	gk_signer_info_free(&si);
	free(f.buf);
	return ret;
}

static bool gk_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int gk_cmd_policy_sign(int argc, char **argv)
{
	const char *key_path = NULL, *cert_path = NULL, *out = NULL;
	const struct gk_opt opts[] = {
		{ "key", 'k', &key_path, NULL },
		{ "cert", 'c', &cert_path, NULL },
		{ "output", 'o', &out, NULL },
		{ NULL, 0, NULL, NULL },
	};
	struct gk_spolicy_hdr h;
	struct gk_policy *pol = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	char *def_out = NULL;
	u8 *buf = NULL, *sig = NULL, *c = NULL;
	size_t len, sig_len, clen;
	const char *path;
	int ret, err;

	ret = gk_opts(argc, argv, "gkctl policy sign", gk_help_policy, opts, 1, 1);
	if (ret >= 0)
		return ret;
	if (!key_path || !cert_path)
		return gk_usage_err("gkctl policy sign", "signing needs --key and --cert");
	path = argv[optind];
	if (!out) {
		if (asprintf(&def_out, "%s.signed", path) < 0) {
			gk_err("out of memory");
			return GK_EXIT_FAIL;
		}
		out = def_out;
	}
	ret = GK_EXIT_FAIL;
	if (gk_same_file(path, out)) {
		ret = gk_usage_err("gkctl policy sign", "-o %s would overwrite the policy it signs", out);
		goto out;
	}
	err = gk_read_file(path, GK_SPOLICY_TEXT_MAX, &buf, &len);
	if (err) {
		gk_err("cannot read %s: %s", path,
		       err == -EFBIG ? "larger than the 256 KiB a policy may have" : strerror(-err));
		goto out;
	}
	if (gk_is_spolicy(buf, len)) {
		gk_err("%s is already a signed policy: sign the policy text", path);
		goto out;
	}
	if (gk_parse(path, "refusing to sign: ", (const char *)buf, len, &pol))
		goto out;
	if (gk_load_key(key_path, &key) || gk_load_cert(cert_path, &cert))
		goto out;
	if (gk_cms_sign(cert, key, buf, len, &sig, &sig_len)) {
		gk_ossl_err("cannot sign %s with %s and %s", path, key_path, cert_path);
		goto out;
	}
	if (sig_len > GK_SIG_MAX_SIZE) {
		gk_err("the signature is %zu bytes, more than the %d the module allows: use a shorter certificate",
		       sig_len, GK_SIG_MAX_SIZE);
		goto out;
	}
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, GK_SPOLICY_MAGIC, sizeof(h.magic));
	h.version = htole32(GK_SPOLICY_V1);
	h.text_len = htole32(len);
	h.sig_len = htole32(sig_len);
	clen = sizeof(h) + len + sig_len;
	c = malloc(clen);
	if (!c) {
		gk_err("out of memory");
		goto out;
	}
	memcpy(c, &h, sizeof(h));
	memcpy(c + sizeof(h), buf, len);
	memcpy(c + sizeof(h) + len, sig, sig_len);
	err = gk_write_file(out, c, clen);
	if (err) {
		gk_err("cannot write %s: %s", out, strerror(-err));
		goto out;
	}
	if (gk_json)
		gk_json_print(json_pack("{s:s, s:s, s:o}", "output", out, "policy", pol->name,
					"version", gk_json_u64(pol->version)));
	else
		puts(out);
	ret = GK_EXIT_OK;
out:
	free(c);
	OPENSSL_free(sig);
	X509_free(cert);
	EVP_PKEY_free(key);
	gk_policy_free(pol);
	free(buf);
	free(def_out);
	return ret;
}

/*
 * The active policy, parsed; NULL if there is none or it cannot be read.
 * Free it with gk_policy_free().
 */
struct gk_policy *gk_active_policy(void)
{
	char *path = gk_path("policy"), *buf = NULL;
	struct gk_policy *pol = NULL;
	size_t len;

	if (path && !gk_read_file(path, GK_POLICY_SIZE_MAX, (u8 **)&buf, &len) && len &&
	    gk_policy_parse(buf, len, &pol, NULL))
		pol = NULL;
	free(buf);
	free(path);
	return pol;
}

/* The version of the active policy, or -1 if there is none or it cannot be read. */
static long long gk_active_version(void)
{
	struct gk_policy *pol = gk_active_policy();
	long long v = -1;

	if (pol && pol->version <= (u64)LLONG_MAX)
		v = (long long)pol->version;
	gk_policy_free(pol);
	return v;
}

static int gk_cmd_policy_load(int argc, char **argv)
{
#define GK_PARSER_SKEW "the module's policy parser refused the text although this gkctl's accepts it: use the gkctl that comes with the module (gkctl policy check FILE); the active policy is unchanged"
	struct gk_errmsg errs[] = {
		{ ESTALE, NULL },	/* filled in below */
		{ EFBIG, "larger than the module accepts; the active policy is unchanged" },
		{ EBADMSG, "the module found the signed policy malformed, or its text does not parse with the module's parser (check it with gkctl policy check FILE; is the module older than gkctl?); the active policy is unchanged" },
		{ EPROTONOSUPPORT, "signed-policy format unknown to this module: use the gkctl that comes with it" },
		{ ENOKEY, "no policy-admin key vouches for the signer: sign with a key of the .gatekeeper_admin keyring (given at insmod with admin_cert=PATH, or added with gkctl key add --admin CERT) or of the kernel's builtin or secondary trusted keyring" },
		{ EKEYREJECTED, "the signature is malformed or does not verify: the text was changed after signing, or the key does not match its certificate; sign it again with gkctl policy sign" },
		{ ENOPKG, "the kernel lacks the hash or key algorithm of the signature" },
		{ EPERM, "loading a policy needs CAP_MAC_ADMIN: run as root" },
		{ ENOMEM, "the kernel is out of memory; the active policy is unchanged" },
		{ ERANGE, GK_PARSER_SKEW },
		{ E2BIG, GK_PARSER_SKEW },
		{ ENAMETOOLONG, GK_PARSER_SKEW },
		{ ENOENT, GK_PARSER_SKEW },
		{ EEXIST, GK_PARSER_SKEW },
		{ EINVAL, GK_PARSER_SKEW },
		{ EILSEQ, GK_PARSER_SKEW },
		{ ENODATA, GK_PARSER_SKEW },
		{ 0, NULL },
	};
	struct gk_pfile f = { NULL };
	struct gk_policy *pol = NULL;
	char *stale = NULL;
	long long active;
	int ret;

	ret = gk_pfile_arg(argc, argv, "gkctl policy load", &f);
	if (ret >= 0)
		return ret;
	ret = GK_EXIT_FAIL;
	if (!f.sig) {
		gk_err("%s is policy text, not a signed policy: sign it with gkctl policy sign --key KEY --cert CERT %s, then load %s.signed",
		       f.path, f.path, f.path);
		goto out;
	}
	if (gk_parse(f.path, "refusing to load: ", f.text, f.text_len, &pol))
		goto out;
	/* The kernel refuses rollback with ESTALE; say against which version. */
	active = gk_active_version();
	if ((active >= 0 &&
	     asprintf(&stale, "version %llu is not newer than the active policy's version %lld; raise `version` in the policy, sign it again and load that",
		      (unsigned long long)pol->version, active) < 0) ||
	    (active < 0 &&
	     asprintf(&stale, "version %llu is not newer than the active policy's version (gkctl policy show); raise `version` in the policy, sign it again and load that",
		      (unsigned long long)pol->version) < 0)) {
		gk_err("out of memory");
		stale = NULL;
		goto out;
	}
	errs[0].msg = stale;
	if (gk_fs_write("policy", f.buf, f.len, f.path, errs))
		goto out;
	ret = gk_done();
out:
	free(stale);
	gk_policy_free(pol);
	free(f.buf);
	return ret;
#undef GK_PARSER_SKEW
}

/* The kernel's canonical text fails only if gkctl's parser is another version. */
static int gk_parse_active(const char *text, struct gk_policy **pol)
{
	char *path = gk_path("policy");
	int err;

	if (!path) {
		gk_err("out of memory");
		return -ENOMEM;
	}
	err = gk_parse(path, "gkctl and the module differ in version: ", text, strlen(text), pol);
	free(path);
	return err;
}

static int gk_cmd_policy_show(int argc, char **argv)
{
	struct gk_policy *pol;
	json_t *o;
	char *buf;
	int ret;

	ret = gk_opts(argc, argv, "gkctl policy show", gk_help_policy, NULL, 0, 0);
	if (ret >= 0)
		return ret;
	if (gk_fs_read("policy", &buf))
		return GK_EXIT_FAIL;
	ret = GK_EXIT_OK;
	if (!gk_json) {
		fputs(buf, stdout);
	} else if (!buf[strspn(buf, " \t\n")]) {
		gk_json_print(json_null());
	} else if (gk_parse_active(buf, &pol)) {
		ret = GK_EXIT_FAIL;
	} else {
		o = gk_policy_json(pol);
		if (o)
			gk_json_print(o);
		else
			gk_err("out of memory");
		ret = o ? GK_EXIT_OK : GK_EXIT_FAIL;
		gk_policy_free(pol);
	}
	free(buf);
	return ret;
}

int gk_cmd_policy(int argc, char **argv)
{
	static const struct gk_cmd cmds[] = {
		{ "check", gk_cmd_policy_check },
		{ "sign", gk_cmd_policy_sign },
		{ "load", gk_cmd_policy_load },
		{ "show", gk_cmd_policy_show },
		{ NULL, NULL },
	};

	return gk_dispatch(cmds, argc - 1, argv + 1, "gkctl policy", gk_help_policy);
}
