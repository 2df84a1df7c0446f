// SPDX-License-Identifier: GPL-2.0
/*
 * gkctl sig: register gk-sign bundles and list the registered signatures.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gkctl.h"

static const char gk_help_sig[] =
	"Usage: gkctl sig add [--json] BUNDLE\n"
	"       gkctl sig list [--json]\n"
	"\n"
	"add: register the signatures of BUNDLE (made by gk-sign), all or none, and\n"
	"print how many were new, already registered as they are (which changes\n"
	"nothing, so provisioning can be rerun) and made confidential:\n"
	"  N registered, N already registered, N made confidential\n"
	"(with --json, {\"registered\", \"already_registered\", \"made_confidential\"}).\n"
	"list: one line per registered signature:\n"
	"  DIGEST<TAB>confidential|-<TAB>NAME<TAB>PUBLISHER<TAB>SOURCE<TAB>TARGET<TAB>ATTACH<TAB>SIGNER\n"
	"with \"-\" for an empty string (with --json, an array of objects); SIGNER is\n"
	"the fingerprint of the key that vouched for it.\n";

/* How a bundle's entries relate to what is registered (the signatures file). */
struct gk_sig_tally {
	const char *listed;
	unsigned int added, already, upgraded;
};

/* The rest of the signatures line of digest @hex, from its tab on, or NULL. */
static const char *gk_sig_line(const char *listed, const char *hex)
{
	size_t n = strlen(hex);
	const char *at = listed;

	while (at && *at) {
		if (!strncmp(at, hex, n) && at[n] == '\t')
			return at + n;
		at = strchr(at, '\n');
		if (at)
			at++;
	}
	return NULL;
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
	rest = gk_sig_line(t->listed, hex);
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
	t.listed = listed;
	tallied = !gk_bundle_parse(buf, len, gk_sig_tally_entry, &t);
	ret = gk_fs_write("signatures", buf, len, path, errs);
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

/* One signatures line: DIGEST, flag, name, publisher, source, target, attach, signer. */
static json_t *gk_sig_json(char *line)
{
	static const char *const keys[] = { "digest", "confidential", "name", "publisher",
					    "source", "target", "attach", "signer" };
	char *f[8], *save;
	json_t *o;
	int i;

	for (i = 0; i < 8; i++) {
		f[i] = strtok_r(i ? NULL : line, "\t", &save);
		if (!f[i])
			return NULL;
	}
	if (strtok_r(NULL, "\t", &save))
		return NULL;
	o = json_pack("{s:s, s:b}", keys[0], f[0], keys[1], !strcmp(f[1], "confidential"));
	for (i = 2; o && i < 8; i++)
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

int gk_cmd_sig(int argc, char **argv)
{
	static const struct gk_cmd cmds[] = {
		{ "add", gk_cmd_sig_add },
		{ "list", gk_cmd_sig_list },
		{ NULL, NULL },
	};

	return gk_dispatch(cmds, argc - 1, argv + 1, "gkctl sig", gk_help_sig);
}
