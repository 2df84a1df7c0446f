// SPDX-License-Identifier: GPL-2.0
/*
 * gkctl status, mode, lock and disarm: the gate as a whole.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gkctl.h"

static const char gk_help_status[] =
	"Usage: gkctl status [--json]\n"
	"\n"
	"Print the gate's status, \"key: value\" lines: state (arming, armed,\n"
	"failed or bypassed, the last two with error: why), hook, mode, locked,\n"
	"probes (trusted or refused), policy, the keyrings, signatures, the\n"
	"counters, and the TEE attestation:\n"
	"attestation (none, valid, expired or rejected) and, once a result was\n"
	"accepted, tee, measurement, verifier (NAME KEY, NAME \"-\" if the policy no\n"
	"longer declares the key) and attestation_seconds_left; the measurement\n"
	"log: tpm (pcr N, or none, log only, with the tpm= parameter),\n"
	"measured_events, measured_max and measure_refused.  With --json, one\n"
	"object: numbers as numbers, locked as a boolean, policy as {\"name\",\n"
	"\"version\"} or null, verifier as {\"name\", \"key\"} (name null for \"-\").\n"
	"Then module_version (the module's, \"unknown\" if it reports none) and\n"
	"gkctl_version; when they differ a warning goes to stderr (with --json,\n"
	"version_mismatch is true and module_version null if unknown).\n"
	"Fails unless the state is \"armed\".\n";

static const char gk_help_mode[] =
	"Usage: gkctl mode [--json] [enforce|audit]\n"
	"\n"
	"Without argument, print the mode.  enforce: a load the gate refuses fails\n"
	"with EPERM; audit: it is admitted and logged as audit-deny.  Loading a\n"
	"policy sets the policy's mode.  A locked gate refuses audit.\n";

static const char gk_help_lock[] =
	"Usage: gkctl lock [--json]\n"
	"\n"
	"Lock the gate until the next boot: from then on it cannot be disarmed,\n"
	"set to audit mode, or given new keys (gkctl key add); signed policies\n"
	"can still be loaded.  This cannot be undone.\n";

static const char gk_help_disarm[] =
	"Usage: gkctl disarm [--json]\n"
	"\n"
	"Detach the gate: BPF program loads are no longer checked.  It cannot be\n"
	"armed again without reloading the module, and a locked gate refuses.\n";

/* Values that stay strings even when they look like numbers. */
static bool gk_status_text_key(const char *key)
{
	return !strcmp(key, "measurement") || !strcmp(key, "error");
}

/*
 * A decimal number as a JSON number (above LLONG_MAX, gk_json_u64()'s
 * string), or NULL if @val is not one.
 */
static json_t *gk_status_number(const char *val)
{
	const char *digits = val + (*val == '-');
	unsigned long long n;
	long long neg;
	char *end;

	if (!*digits || strspn(digits, "0123456789") != strlen(digits))
		return NULL;
	errno = 0;
	if (*val == '-') {
		neg = strtoll(val, &end, 10);
		return errno || *end ? NULL : json_integer(neg);
	}
	n = strtoull(val, &end, 10);
	return errno || *end ? NULL : gk_json_u64(n);
}

/* "key: value" lines; values that are numbers become JSON numbers. */
static json_t *gk_status_json(char *buf)
{
	json_t *o = json_object(), *v;
	char *line, *save, *val;

	for (line = strtok_r(buf, "\n", &save); o && line; line = strtok_r(NULL, "\n", &save)) {
		val = strstr(line, ": ");
		if (!val)
			continue;
		*val = '\0';
		val += 2;
		v = gk_status_text_key(line) ? NULL : gk_status_number(val);
		if (json_object_set_new(o, line, v ? v : json_string(val))) {
			json_decref(o);
			o = NULL;
		}
	}
	return o;
}

/*
 * locked: yes|no as a boolean; policy: NAME version N as an object, none
 * as null; verifier: NAME KEY as an object, NAME "-" as null; tee "-" as null.
 */
static void gk_status_types(json_t *o)
{
	unsigned long long version;
	char name[65], key[65];
	const char *s;
	int end = 0;

	s = json_string_value(json_object_get(o, "locked"));
	if (s && (!strcmp(s, "yes") || !strcmp(s, "no")))
		json_object_set_new(o, "locked", json_boolean(!strcmp(s, "yes")));
	s = json_string_value(json_object_get(o, "policy"));
	if (s && !strcmp(s, "none"))
		json_object_set_new(o, "policy", json_null());
	else if (s && sscanf(s, "%64s version %llu%n", name, &version, &end) == 2 && !s[end])
		json_object_set_new(o, "policy", json_pack("{s:s, s:o}", "name", name, "version",
							   gk_json_u64(version)));
	s = json_string_value(json_object_get(o, "verifier"));
	end = 0;
	if (s && sscanf(s, "%64s %64s%n", name, key, &end) == 2 && !s[end])
		json_object_set_new(o, "verifier", json_pack("{s:o, s:s}", "name",
			strcmp(name, "-") ? json_string(name) : json_null(), "key", key));
	s = json_string_value(json_object_get(o, "tee"));
	if (s && !strcmp(s, "-"))
		json_object_set_new(o, "tee", json_null());
}

/* The module's sysfs directory; GK_SYSFS_MODULE replaces it, for tests. */
static const char *gk_module_dir(void)
{
	const char *d = getenv("GK_SYSFS_MODULE");

	return d && *d ? d : GK_SYSFS_MODULE_DIR;
}

/*
 * The module's MODULE_VERSION, or NULL if it reports none: a module from
 * before it had one.
 */
static char *gk_module_version(void)
{
	char *path, *buf = NULL;
	size_t len;
	int err;

	if (asprintf(&path, "%s/version", gk_module_dir()) < 0)
		return NULL;
	err = gk_read_file(path, 256, (u8 **)&buf, &len);
	free(path);
	if (err)
		return NULL;
	buf[strcspn(buf, "\n")] = '\0';
	if (!*buf) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* A module and tools of different releases may not speak the same formats. */
static void gk_version_warn(const char *module)
{
	if (module)
		fprintf(stderr, "gkctl: warning: the module is version %s and gkctl %s: install the module and the tools of one release\n",
			module, gk_tool_version());
	else
		fprintf(stderr, "gkctl: warning: the module does not report its version (%s/version): it is older than gkctl %s; install the module that comes with it\n",
			gk_module_dir(), gk_tool_version());
}

int gk_cmd_status(int argc, char **argv)
{
	char *buf, *text, *module = NULL;
	const char *state, *why;
	bool mismatch;
	json_t *o;
	int ret;

	ret = gk_opts(argc, argv, "gkctl status", gk_help_status, NULL, 0, 0);
	if (ret >= 0)
		return ret;
	if (gk_fs_read("status", &buf))
		return GK_EXIT_FAIL;
	text = strdup(buf);
	o = gk_status_json(buf);
	if (!o || !text) {
		gk_err("out of memory");
		ret = GK_EXIT_FAIL;
		goto out;
	}
	gk_status_types(o);
	state = json_string_value(json_object_get(o, "state"));
	why = json_string_value(json_object_get(o, "error"));
	ret = state && !strcmp(state, "armed") ? GK_EXIT_OK : GK_EXIT_FAIL;
	module = gk_module_version();
	mismatch = !module || strcmp(module, gk_tool_version());
	if (gk_json) {
		json_object_set_new(o, "module_version", module ? json_string(module) : json_null());
		json_object_set_new(o, "gkctl_version", json_string(gk_tool_version()));
		json_object_set_new(o, "version_mismatch", json_boolean(mismatch));
		gk_json_print(json_incref(o));
	} else {
		fputs(text, stdout);
		printf("module_version: %s\ngkctl_version: %s\n", module ? module : "unknown",
		       gk_tool_version());
		fflush(stdout);
		if (mismatch)
			gk_version_warn(module);
		if (ret)
			gk_err("the gate is not armed (state: %s)%s%s", state ? state : "unknown",
			       why ? ": " : "", why ? why : "");
	}
out:
	json_decref(o);
	free(module);
	free(text);
	free(buf);
	return ret;
}

int gk_cmd_mode(int argc, char **argv)
{
	static const struct gk_errmsg audit_errs[] = {
		{ GK_EPERM_LOCKED, "the gate is locked: audit mode cannot be set until the next boot" },
		{ 0, NULL },
	};
	const char *mode;
	char *buf;
	int ret;

	ret = gk_opts(argc, argv, "gkctl mode", gk_help_mode, NULL, 0, 1);
	if (ret >= 0)
		return ret;
	if (optind == argc) {
		if (gk_fs_read("mode", &buf))
			return GK_EXIT_FAIL;
		buf[strcspn(buf, "\n")] = '\0';
		if (gk_json)
			gk_json_print(json_pack("{s:s}", "mode", buf));
		else
			puts(buf);
		free(buf);
		return GK_EXIT_OK;
	}
	mode = argv[optind];
	if (strcmp(mode, "enforce") && strcmp(mode, "audit"))
		return gk_usage_err("gkctl mode", "the mode is enforce or audit, not %s", mode);
	if (gk_fs_write("mode", mode, strlen(mode), "mode",
			strcmp(mode, "audit") ? gk_errs_none : audit_errs))
		return GK_EXIT_FAIL;
	return gk_done();
}

int gk_cmd_lock(int argc, char **argv)
{
	static const struct gk_errmsg errs[] = {
		{ EPERM, "locking the gate needs CAP_MAC_ADMIN: run as root" },
		{ 0, NULL },
	};
	int ret;

	ret = gk_opts(argc, argv, "gkctl lock", gk_help_lock, NULL, 0, 0);
	if (ret >= 0)
		return ret;
	if (gk_fs_write("lock", "1", 1, "lock", errs))
		return GK_EXIT_FAIL;
	return gk_done();
}

int gk_cmd_disarm(int argc, char **argv)
{
	static const struct gk_errmsg errs[] = {
		{ ENOTCONN, "the gate is not armed: nothing to disarm (see gkctl status)" },
		{ GK_EPERM_LOCKED, "the gate is locked: it cannot be disarmed until the next boot" },
		{ 0, NULL },
	};
	int ret;

	ret = gk_opts(argc, argv, "gkctl disarm", gk_help_disarm, NULL, 0, 0);
	if (ret >= 0)
		return ret;
	if (gk_fs_write("disarm", "1", 1, "disarm", errs))
		return GK_EXIT_FAIL;
	return gk_done();
}
