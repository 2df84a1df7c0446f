// SPDX-License-Identifier: GPL-2.0
/*
 * gkctl prog: every BPF program loaded on the system, joined with the
 * module's inventory of how each program loaded since arming was admitted
 * (securityfs "programs").  A program the inventory does not know predates
 * the gate, or was loaded while it was disarmed: it is unverified.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "gkctl.h"

static const char gk_help_prog[] =
	"Usage: gkctl prog list [--json]\n"
	"\n"
	"Every BPF program loaded on the system, by id, with how the gate admitted\n"
	"it, one line each:\n"
	"  ID<TAB>TYPE<TAB>NAME<TAB>STATUS<TAB>REASON<TAB>DIGEST\n"
	"STATUS is admitted, audit (admitted in audit mode, it would have been\n"
	"refused), revoked (admitted by a signature since removed, or whose key\n"
	"left the keyring: it would be refused now) or unverified (loaded before\n"
	"the gate armed, or while it was disarmed: the gate never decided on it).  REASON is the decision's, with\n"
	"the publisher or rule where one admitted it, and the attach target its\n"
	"signature binds.  A program the gate will not open (one aimed at the gate)\n"
	"shows \"-\" for its type and name.  With --json, an array of objects: id,\n"
	"type, name, status, action, reason, publisher, rule, digest, loader,\n"
	"attach (null where absent).\n";

/* The inventory, keyed by program id (as a decimal string); errors reported. */
static int gk_inventory_read(json_t **inv)
{
	char *buf, *line, *save = NULL;
	json_t *o, *id;
	int err;

	*inv = json_object();
	if (!*inv)
		return -ENOMEM;
	err = gk_fs_read("programs", &buf);
	if (err)
		return err;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char key[24];

		o = gk_kv_parse(line);
		id = o ? json_object_get(o, "id") : NULL;
		if (json_is_integer(id)) {
			snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(id));
			json_object_set(*inv, key, o);
		}
		json_decref(o);
	}
	free(buf);
	return 0;
}

/* The string at @key of @o, or @absent where there is none or it is empty. */
static const char *gk_str(json_t *o, const char *key, const char *absent)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s ? s : absent;
}

/* One program as an object; @rec: its inventory entry, or NULL. */
static json_t *gk_prog_entry(__u32 id, json_t *rec)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	const char *type = NULL, *action = gk_str(rec, "action", NULL);
	const char *status;
	int fd, rule;

	fd = bpf_prog_get_fd_by_id(id);
	if (fd >= 0) {
		if (!bpf_obj_get_info_by_fd(fd, &info, &len))
			type = libbpf_bpf_prog_type_str(info.type);
		close(fd);
	}
	if (!rec)
		status = "unverified";
	else if (json_integer_value(json_object_get(rec, "revoked")))
		status = "revoked";
	else if (action && !strcmp(action, "audit-deny"))
		status = "audit";
	else
		status = "admitted";
	rule = json_integer_value(json_object_get(rec, "rule"));
	return json_pack("{s:I, s:s?, s:s?, s:s, s:s?, s:s?, s:s?, s:o, s:s?, s:s?, s:s?}",
			 "id", (json_int_t)id, "type", type,
			 "name", type ? info.name : NULL, "status", status,
			 "action", action, "reason", gk_str(rec, "reason", NULL),
			 "publisher", gk_str(rec, "publisher", NULL),
			 "rule", rule ? json_integer(rule) : json_null(),
			 "digest", gk_str(rec, "digest", NULL), "loader", gk_str(rec, "app", NULL),
			 "attach", gk_str(rec, "attach", NULL));
}

static void gk_prog_print(json_t *p)
{
	const char *publisher = gk_str(p, "publisher", NULL);
	const char *attach = gk_str(p, "attach", NULL);
	json_t *rule = json_object_get(p, "rule");

	printf("%lld\t%s\t%s\t%s\t%s", (long long)json_integer_value(json_object_get(p, "id")),
	       gk_str(p, "type", "-"), gk_str(p, "name", "-"), gk_str(p, "status", "-"),
	       gk_str(p, "reason", "-"));
	if (publisher)
		printf(" (publisher %s)", publisher);
	if (json_is_integer(rule))
		printf(" (rule %lld)", (long long)json_integer_value(rule));
	if (attach)
		printf(" (bound to %s)", attach);
	printf("\t%s\n", gk_str(p, "digest", "-"));
}

static int gk_cmd_prog_list(int argc, char **argv)
{
	json_t *inv, *arr, *p;
	__u32 id = 0;
	int ret, err = -ENOMEM;

	ret = gk_opts(argc, argv, "gkctl prog list", gk_help_prog, NULL, 0, 0);
	if (ret >= 0)
		return ret;
	if (gk_inventory_read(&inv))
		return GK_EXIT_FAIL;
	arr = json_array();
	while (arr && !(err = bpf_prog_get_next_id(id, &id))) {
		char key[24];

		snprintf(key, sizeof(key), "%u", id);
		p = gk_prog_entry(id, json_object_get(inv, key));
		if (!p || json_array_append_new(arr, p)) {
			json_decref(arr);
			arr = NULL;
		}
	}
	json_decref(inv);
	if (!arr || err != -ENOENT) {
		gk_err("cannot list the BPF programs: %s", arr ? strerror(-err) : "out of memory");
		json_decref(arr);
		return GK_EXIT_FAIL;
	}
	if (gk_json) {
		gk_json_print(arr);
	} else {
		size_t i;

		json_array_foreach(arr, i, p)
			gk_prog_print(p);
		json_decref(arr);
	}
	return GK_EXIT_OK;
}

int gk_cmd_prog(int argc, char **argv)
{
	static const struct gk_cmd cmds[] = {
		{ "list", gk_cmd_prog_list },
		{ NULL, NULL },
	};

	return gk_dispatch(cmds, argc - 1, argv + 1, "gkctl prog", gk_help_prog);
}
