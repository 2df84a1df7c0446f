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
	"Usage: gkctl prog list [--json] [--unverified]\n"
	"\n"
	"Every BPF program loaded on the system, by id, with how the gate admitted\n"
	"it, one line each:\n"
	"  ID<TAB>TYPE<TAB>NAME<TAB>STATUS<TAB>REASON<TAB>DIGEST\n"
	"STATUS is admitted, audit (admitted in audit mode, it would have been\n"
	"refused), revoked (admitted by a signature since removed, or whose key\n"
	"left the keyring: it would be refused now) or unverified (loaded before\n"
	"the gate armed, or while it was disarmed: the gate never decided on it).\n"
	"REASON is the decision's, with the publisher or rule where one admitted\n"
	"it, and the attach target its signature binds.  A program the gate will\n"
	"not open (one aimed at the gate) shows \"-\" for its type and name.  With\n"
	"--json, an array of objects: id, type, name, status, action, reason,\n"
	"publisher, rule, digest, loader, attach (null where absent).\n"
	"  --unverified  only the unverified programs: those that predate the gate\n"
	"                (gatekeeper-arm counts them into the kernel log).\n";

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
	if (err) {
		json_decref(*inv);
		return err;
	}
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

/*
 * One program as an object in @p (NULL if it was freed since the walk);
 * @rec: its inventory entry, or NULL.
 * Return: 0, or -ENOMEM.
 */
static int gk_prog_entry(__u32 id, json_t *rec, json_t **p)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	const char *type = NULL, *action = gk_str(rec, "action", NULL);
	const char *status;
	int fd, rule;

	*p = NULL;
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0 && errno == ENOENT)
		return 0;
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
	*p = json_pack("{s:I, s:s?, s:s?, s:s, s:s?, s:s?, s:s?, s:o, s:s?, s:s?, s:s?}",
		       "id", (json_int_t)id, "type", type,
		       "name", type ? info.name : NULL, "status", status,
		       "action", action, "reason", gk_str(rec, "reason", NULL),
		       "publisher", gk_str(rec, "publisher", NULL),
		       "rule", rule ? json_integer(rule) : json_null(),
		       "digest", gk_str(rec, "digest", NULL), "loader", gk_str(rec, "app", NULL),
		       "attach", gk_str(rec, "attach", NULL));
	return *p ? 0 : -ENOMEM;
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

/*
 * The ids of the loaded programs, ascending, in @ids (@n of them).
 * Return: 0, or -errno of BPF_PROG_GET_NEXT_ID (-EPERM without
 * CAP_SYS_ADMIN), or -ENOMEM.
 */
static int gk_prog_ids(__u32 **ids, size_t *n)
{
	size_t cap = 0;
	__u32 id = 0, *more;
	int err;

	*ids = NULL;
	*n = 0;
	while (!(err = bpf_prog_get_next_id(id, &id))) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			more = reallocarray(*ids, cap, sizeof(**ids));
			if (!more) {
				err = -ENOMEM;
				break;
			}
			*ids = more;
		}
		(*ids)[(*n)++] = id;
	}
	if (err == -ENOENT)
		return 0;
	free(*ids);
	*ids = NULL;
	return err;
}

static int gk_cmd_prog_list(int argc, char **argv)
{
	bool unverified = false;
	const struct gk_opt opts[] = {
		{ "unverified", 0, NULL, &unverified },
		{ NULL, 0, NULL, NULL },
	};
	json_t *inv = NULL, *arr = NULL, *p;
	__u32 *ids;
	size_t i, n;
	int ret, err;

	ret = gk_opts(argc, argv, "gkctl prog list", gk_help_prog, opts, 0, 0);
	if (ret >= 0)
		return ret;
	/*
	 * The ids first, then the inventory: a program loaded and admitted
	 * while the ids are walked is in the inventory read after, and is not
	 * taken for one that predates the gate.  One freed in between is
	 * dropped.
	 */
	err = gk_prog_ids(&ids, &n);
	if (err) {
		gk_err("cannot list the BPF programs: %s%s", strerror(-err),
		       err == -EPERM ? " (it needs CAP_SYS_ADMIN: run as root)" : "");
		return GK_EXIT_FAIL;
	}
	if (gk_inventory_read(&inv)) {
		free(ids);
		return GK_EXIT_FAIL;
	}
	arr = json_array();
	err = arr ? 0 : -ENOMEM;
	for (i = 0; !err && i < n; i++) {
		char key[24];

		snprintf(key, sizeof(key), "%u", ids[i]);
		err = gk_prog_entry(ids[i], json_object_get(inv, key), &p);
		if (!p)
			continue;
		if (unverified && strcmp(gk_str(p, "status", ""), "unverified"))
			json_decref(p);
		else if (json_array_append_new(arr, p))
			err = -ENOMEM;
	}
	json_decref(inv);
	free(ids);
	if (err) {
		gk_err("out of memory");
		json_decref(arr);
		return GK_EXIT_FAIL;
	}
	if (gk_json) {
		gk_json_print(arr);
	} else {
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
