// SPDX-License-Identifier: GPL-2.0
/*
 * gkctl probe: the catalogue of loader feature probes the gate can admit
 * without a signature, and whether it does.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gkctl.h"
#include "gk_probes.h"

static const char gk_help_probe[] =
	"Usage: gkctl probe list [--json]\n"
	"       gkctl probe trust [--json]\n"
	"       gkctl probe refuse [--json]\n"
	"\n"
	"Loaders such as libbpf load small programs of their own to learn what the\n"
	"kernel supports.  The gate admits those of its reviewed catalogue without a\n"
	"signature while it trusts the catalogue (the default; status: probes).\n"
	"list: one line per catalogue entry, as the module derives it from the\n"
	"entry's instructions:\n"
	"  ID<TAB>DIGEST<TAB>PROG_TYPE<TAB>ATTACH_TYPE<TAB>LOADER<TAB>FEATURE<TAB>HARMLESS\n"
	"(with --json, an array of objects).\n"
	"trust, refuse: admit the catalogue's probes, or treat them as any unsigned\n"
	"program.  A locked gate can refuse them, not trust them again.\n";

static int gk_cmd_probe_list(int argc, char **argv)
{
	u8 digest[GK_DIGEST_SIZE];
	json_t *arr = NULL;
	unsigned int i;
	char *hex;
	int ret;

	ret = gk_opts(argc, argv, "gkctl probe list", gk_help_probe, NULL, 0, 0);
	if (ret >= 0)
		return ret;
	if (gk_json)
		arr = json_array();
	for (i = 0; i < gk_probes_n; i++) {
		const struct gk_probe *p = &gk_probes[i];

		hex = gk_probe_digest(p, digest) ? NULL : gk_hex(digest, sizeof(digest));
		if (!hex) {
			gk_err("out of memory");
			json_decref(arr);
			return GK_EXIT_FAIL;
		}
		if (arr)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:i, s:i, s:s, s:s, s:s}",
							     "id", p->id, "digest", hex,
							     "prog_type", p->prog_type,
							     "attach_type", p->expected_attach_type,
							     "loader", p->loader, "feature", p->feature,
							     "harmless", p->harmless));
		else
			printf("%s\t%s\t%u\t%u\t%s\t%s\t%s\n", p->id, hex, p->prog_type,
			       p->expected_attach_type, p->loader, p->feature, p->harmless);
		free(hex);
	}
	if (arr)
		gk_json_print(arr);
	return GK_EXIT_OK;
}

static int gk_probe_set(int argc, char **argv, const char *cmd, const char *word)
{
	static const struct gk_errmsg errs[] = {
		{ GK_EPERM_LOCKED, "the gate is locked: the catalogue can be refused, not trusted again, until the next boot" },
		{ 0, NULL },
	};
	int ret;

	ret = gk_opts(argc, argv, cmd, gk_help_probe, NULL, 0, 0);
	if (ret >= 0)
		return ret;
	if (gk_fs_write("probes", word, 1, "probes", errs))
		return GK_EXIT_FAIL;
	return gk_done();
}

static int gk_cmd_probe_trust(int argc, char **argv)
{
	return gk_probe_set(argc, argv, "gkctl probe trust", "1");
}

static int gk_cmd_probe_refuse(int argc, char **argv)
{
	return gk_probe_set(argc, argv, "gkctl probe refuse", "0");
}

int gk_cmd_probe(int argc, char **argv)
{
	static const struct gk_cmd cmds[] = {
		{ "list", gk_cmd_probe_list },
		{ "trust", gk_cmd_probe_trust },
		{ "refuse", gk_cmd_probe_refuse },
		{ NULL, NULL },
	};

	return gk_dispatch(cmds, argc - 1, argv + 1, "gkctl probe", gk_help_probe);
}
