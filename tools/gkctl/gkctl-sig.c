// SPDX-License-Identifier: GPL-2.0
/*
 * gkctl sig: register gk-sign bundles and list the registered signatures.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gkctl.h"
#include "gk_policy.h"

static const char gk_help_sig[] =
	"Usage: gkctl sig add [--json] BUNDLE\n"
	"       gkctl sig list [--json]\n"
	"       gkctl sig remove [--json] DIGEST | --key FINGERPRINT | --publisher NAME\n"
	"\n"
	"add: register the signatures of BUNDLE (made by gk-sign), all or none, and\n"
	"print how many were new, already registered as they are (which changes\n"
	"nothing, so provisioning can be rerun) and made confidential:\n"
	"  N registered, N already registered, N made confidential\n"
	"(with --json, {\"registered\", \"already_registered\", \"made_confidential\"}).\n"
	"list: one line per registered signature:\n"
	"  DIGEST<TAB>confidential|-<TAB>NAME<TAB>PUBLISHER<TAB>SOURCE<TAB>TARGET<TAB>ATTACH<TAB>SIGNER\n"
	"with \"-\" for an empty string (with --json, an array of objects); SIGNER is\n"
	"the fingerprint of the key that vouched for it.\n"
	"remove: unregister the signature of program DIGEST, or every signature the\n"
	"key with FINGERPRINT (gkctl key fingerprint) vouched for, or those of the\n"
	"keys the active policy gives publisher NAME, and print \"N removed\" (with\n"
	"--json, {\"removed\"}).  Their programs are refused from the next load on;\n"
	"loaded ones show revoked in gkctl prog list.  Allowed once locked: it only\n"
	"takes trust away.  A removed signature may be added again: to keep a\n"
	"program or a key out for good, revoke it in the signed policy.\n"
	"\n"
	"  --key FINGERPRINT  64 hex digits: the signatures this key vouched for\n"
	"  --publisher NAME   the signatures of the keys the active policy gives NAME\n";

/*
 * How a bundle's entries relate to what is registered: the lines of the
 * signatures file, sorted by digest, so that a bundle's tally costs a
 * lookup per entry whatever the store holds.
 */
struct gk_sig_tally {
	const char **lines;
	size_t n;
	unsigned int added, already, upgraded;
};

#define GK_SIG_HEX (2 * GK_DIGEST_SIZE)

static int gk_sig_line_cmp(const void *a, const void *b)
{
	return strncmp(*(const char *const *)a, *(const char *const *)b, GK_SIG_HEX);
}

/* Index the lines of @listed in @t.  Return: 0 or -ENOMEM. */
static int gk_sig_index(struct gk_sig_tally *t, const char *listed)
{
	const char *at;
	size_t n = 0;

	for (at = listed; *at; at++)
		n += *at == '\n';
	t->lines = calloc(n + 1, sizeof(*t->lines));
	if (!t->lines)
		return -ENOMEM;
	for (at = listed; *at; at = strchr(at, '\n') + 1) {
		if (strnlen(at, GK_SIG_HEX + 1) > GK_SIG_HEX && !memchr(at, '\n', GK_SIG_HEX) &&
		    at[GK_SIG_HEX] == '\t')
			t->lines[t->n++] = at;
		if (!strchr(at, '\n'))
			break;
	}
	qsort(t->lines, t->n, sizeof(*t->lines), gk_sig_line_cmp);
	return 0;
}

/* The rest of the signatures line of digest @hex, from its tab on, or NULL. */
static const char *gk_sig_line(const struct gk_sig_tally *t, const char *hex)
{
	const char **at = bsearch(&hex, t->lines, t->n, sizeof(*t->lines), gk_sig_line_cmp);

	return at ? *at + GK_SIG_HEX : NULL;
}

static int gk_sig_tally_entry(void *ctx, const struct gk_manifest *m, const u8 *sig,
			      size_t sig_len)
{
	struct gk_sig_tally *t = ctx;
	char *hex = gk_hex(m->digest, GK_DIGEST_SIZE);
	const char *rest;

	(void)sig;
	(void)sig_len;
	if (!hex)
		return -ENOMEM;
	rest = gk_sig_line(t, hex);
	if (!rest)
		t->added++;
	else if ((m->flags & GK_MANIFEST_CONFIDENTIAL) && !strncmp(rest, "\t-\t", 3))
		t->upgraded++;
	else
		t->already++;
	free(hex);
	return 0;
}

static int gk_cmd_sig_add(int argc, char **argv)
{
	static const struct gk_errmsg errs[] = {
		{ EFBIG, "larger than 1 MiB: sign fewer programs per bundle" },
		{ EBADMSG, "malformed or truncated bundle (check it with gk-sign verify); nothing was added" },
		{ EPROTONOSUPPORT, "bundle or manifest version unknown to this module: use the gk-sign that comes with it" },
		{ EXDEV, "signed for another kernel release (gk-sign --target; compare uname -r); nothing was added" },
		{ EEXIST, "a digest in the bundle is registered with another manifest, or repeated in it; nothing was added" },
		{ ENOSPC, "the module's signature store is full; nothing was added" },
		{ ENOKEY, "no key in the .gatekeeper keyring vouches for the signer: add the publisher certificate with gkctl key add CERT" },
		{ EKEYREJECTED, "a signature is malformed or does not verify: the bundle was altered, or signed by another key than its certificate says; nothing was added" },
		{ ENOPKG, "the kernel lacks the hash or key algorithm of a signature; nothing was added" },
		{ EKEYREVOKED, "the active policy revokes a digest in the bundle or the key that signed it (gkctl policy show); nothing was added" },
		{ ENOMEM, "the kernel is out of memory; nothing was added" },
		{ EPERM, "registering signatures needs CAP_MAC_ADMIN" },
		{ 0, NULL },
	};
	struct gk_sig_tally t = { 0 };
	char *listed;
	const char *path;
	bool tallied;
	size_t len;
	u8 *buf;
	int ret;

	ret = gk_opts(argc, argv, "gkctl sig add", gk_help_sig, NULL, 1, 1);
	if (ret >= 0)
		return ret;
	path = argv[optind];
	ret = gk_read_file(path, GK_BUNDLE_MAX_SIZE, &buf, &len);
	if (ret) {
		gk_err("cannot read %s: %s", path,
		       ret == -EFBIG ? "larger than the 1 MiB a bundle may have" : strerror(-ret));
		return GK_EXIT_FAIL;
	}
	/* What is registered already; the module itself decides, this only counts. */
	if (gk_fs_read("signatures", &listed)) {
		free(buf);
		return GK_EXIT_FAIL;
	}
	tallied = !gk_sig_index(&t, listed) &&
		  !gk_bundle_parse(buf, len, gk_sig_tally_entry, &t);
	ret = gk_fs_write("signatures", buf, len, path, errs);
	free(t.lines);
	free(listed);
	free(buf);
	if (ret)
		return GK_EXIT_FAIL;
	if (!tallied)
		return gk_done();
	if (gk_json)
		gk_json_print(json_pack("{s:i, s:i, s:i}", "registered", t.added,
					"already_registered", t.already,
					"made_confidential", t.upgraded));
	else
		printf("%u registered, %u already registered, %u made confidential\n",
		       t.added, t.already, t.upgraded);
	return GK_EXIT_OK;
}

/*
 * One signatures line: DIGEST, flag, name, publisher, source, target,
 * attach, maps, signer.
 */
static json_t *gk_sig_json(char *line)
{
	static const char *const keys[] = { "digest", "confidential", "name", "publisher",
					    "source", "target", "attach", "maps", "signer" };
	enum { n = sizeof(keys) / sizeof(keys[0]) };
	char *f[n], *save;
	json_t *o;
	int i;

	for (i = 0; i < n; i++) {
		f[i] = strtok_r(i ? NULL : line, "\t", &save);
		if (!f[i])
			return NULL;
	}
	if (strtok_r(NULL, "\t", &save))
		return NULL;
	o = json_pack("{s:s, s:b}", keys[0], f[0], keys[1], !strcmp(f[1], "confidential"));
	for (i = 2; o && i < n; i++)
		if (json_object_set_new(o, keys[i], json_string(strcmp(f[i], "-") ? f[i] : ""))) {
			json_decref(o);
			o = NULL;
		}
	return o;
}

static int gk_cmd_sig_list(int argc, char **argv)
{
	char *buf, *line, *save;
	json_t *arr, *o;
	int ret;

	ret = gk_opts(argc, argv, "gkctl sig list", gk_help_sig, NULL, 0, 0);
	if (ret >= 0)
		return ret;
	if (gk_fs_read("signatures", &buf))
		return GK_EXIT_FAIL;
	if (!gk_json) {
		fputs(buf, stdout);
		free(buf);
		return GK_EXIT_OK;
	}
	ret = GK_EXIT_OK;
	arr = json_array();
	for (line = strtok_r(buf, "\n", &save); arr && line; line = strtok_r(NULL, "\n", &save)) {
		o = gk_sig_json(line);
		if (!o) {
			gk_err("%s/signatures: unexpected line: %s", gk_dir(), line);
			ret = GK_EXIT_FAIL;
			break;
		}
		json_array_append_new(arr, o);
	}
	if (!ret)
		gk_json_print(json_incref(arr));
	json_decref(arr);
	free(buf);
	return ret;
}

/* Registered signatures: lines of the signatures file; -1 if it cannot be read. */
static int gk_sig_count(void)
{
	char *buf, *p;
	int n = 0;

	if (gk_fs_read("signatures", &buf))
		return -1;
	for (p = buf; (p = strchr(p, '\n')); p++)
		n++;
	free(buf);
	return n;
}

/* Is a signature vouched for by key @hex registered?  @listed: the signatures file. */
static bool gk_sig_by_key(const char *listed, const char *hex)
{
	const char *at = listed;
	size_t n = strlen(hex);

	/* The signer is the last column. */
	while ((at = strstr(at, hex)))
		if (at > listed && at[-1] == '\t' && at[n] == '\n')
			return true;
		else
			at += n;
	return false;
}

/*
 * Write "WHAT HEX" for each of @keys (@n of them) to unregister; with
 * @skip_unknown, only the keys something is registered under.
 */
static int gk_sig_unregister(const char *what, const u8 (*keys)[GK_DIGEST_SIZE], u32 n,
			     bool skip_unknown)
{
	static const struct gk_errmsg errs[] = {
		{ ENOENT, "no registered signature matches" },
		{ EINVAL, "the module did not understand the request: is it older than gkctl?" },
		{ EPERM, "removing signatures needs CAP_MAC_ADMIN" },
		{ 0, NULL },
	};
	char line[8 + GK_HEX_SIZE(GK_DIGEST_SIZE)], *listed = NULL;
	int err = 0;
	u32 i;

	if (skip_unknown && gk_fs_read("signatures", &listed))
		return -EIO;
	for (i = 0; !err && i < n; i++) {
		int len = snprintf(line, sizeof(line), "%s ", what);

		gk_hex_buf(keys[i], GK_DIGEST_SIZE, line + len);
		if (listed && !gk_sig_by_key(listed, line + len))
			continue;
		err = gk_fs_write("unregister", line, strlen(line), line, errs);
	}
	free(listed);
	return err;
}

static int gk_cmd_sig_remove(int argc, char **argv)
{
	const char *key = NULL, *publisher = NULL;
	const struct gk_opt opts[] = {
		{ "key", 0, &key, NULL },
		{ "publisher", 0, &publisher, NULL },
		{ NULL, 0, NULL, NULL },
	};
	struct gk_policy *pol = NULL;
	u8 one[1][GK_DIGEST_SIZE];
	int ret, before, after;
	u32 i;

	ret = gk_opts(argc, argv, "gkctl sig remove", gk_help_sig, opts, 0, 1);
	if (ret >= 0)
		return ret;
	if (!!key + !!publisher + (optind < argc) != 1)
		return gk_usage_err("gkctl sig remove", "give one of DIGEST, --key or --publisher");
	if (!publisher && gk_unhex(key ? key : argv[optind], one[0], GK_DIGEST_SIZE))
		return gk_usage_err("gkctl sig remove", "%s must be %d hex digits",
				    key ? "FINGERPRINT" : "DIGEST", 2 * GK_DIGEST_SIZE);
	before = gk_sig_count();
	if (before < 0)
		return GK_EXIT_FAIL;
	if (publisher) {
		pol = gk_active_policy();
		for (i = 0; pol && i < pol->n_publishers; i++)
			if (!strcmp(pol->publishers[i].name, publisher))
				break;
		if (!pol || i == pol->n_publishers) {
			gk_err("the active policy names no publisher %s (gkctl policy show)", publisher);
			gk_policy_free(pol);
			return GK_EXIT_FAIL;
		}
		ret = gk_sig_unregister("key", (const u8 (*)[GK_DIGEST_SIZE])pol->publishers[i].keys,
					pol->publishers[i].n_keys, true);
		gk_policy_free(pol);
	} else {
		ret = gk_sig_unregister(key ? "key" : "digest",
					(const u8 (*)[GK_DIGEST_SIZE])one, 1, false);
	}
	after = gk_sig_count();
	if (ret || after < 0)
		return GK_EXIT_FAIL;
	if (gk_json)
		gk_json_print(json_pack("{s:i}", "removed", before - after));
	else
		printf("%d removed\n", before - after);
	return GK_EXIT_OK;
}

int gk_cmd_sig(int argc, char **argv)
{
	static const struct gk_cmd cmds[] = {
		{ "add", gk_cmd_sig_add },
		{ "list", gk_cmd_sig_list },
		{ "remove", gk_cmd_sig_remove },
		{ NULL, NULL },
	};

	return gk_dispatch(cmds, argc - 1, argv + 1, "gkctl sig", gk_help_sig);
}
