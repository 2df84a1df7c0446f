// SPDX-License-Identifier: GPL-2.0
/*
 * gkctl: control the eBPF GateKeeper through its securityfs directory.
 * Commands are dispatched from tables, as in bpftool; --json turns every
 * output, errors included, into one JSON document per line on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <keyutils.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include "common.h"

#define GK_SECURITYFS_ROOT "/sys/kernel/security"
#define GK_SECURITYFS_DIR GK_SECURITYFS_ROOT "/gatekeeper"

struct gk_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
};

/* What an errno means for one securityfs file; the rest is common. */
struct gk_errmsg {
	int err;
	const char *msg;
};

static const char gk_help[] =
	"Usage: gkctl [--json] COMMAND [ARGS]\n"
	"\n"
	"Control the eBPF GateKeeper through " GK_SECURITYFS_DIR "/.\n"
	"\n"
	"  gkctl status                the gate's state and counters; fails unless armed\n"
	"  gkctl mode                  print the mode: enforce or audit\n"
	"  gkctl mode enforce|audit    set it\n"
	"  gkctl key add CERT          trust CERT (PEM or DER X.509) to vouch for signers\n"
	"  gkctl sig add BUNDLE        register the signatures of a gk-sign bundle\n"
	"  gkctl sig list              the registered signatures\n"
	"  gkctl disarm                stop checking program loads until the module is reloaded\n"
	"\n"
	"  -j, --json   every output, errors included, as JSON on stdout\n"
	"  -h, --help   this help; \"gkctl COMMAND --help\" for one command\n"
	"\n"
	"Changes need root (CAP_MAC_ADMIN).  Environment: GK_SECURITYFS replaces\n"
	"the directory, for unit tests only.\n"
	"Exit status: 0 done, 1 failed, 2 usage error.\n";

static const char gk_help_status[] =
	"Usage: gkctl status [--json]\n"
	"\n"
	"Print the gate's status, \"key: value\" lines (with --json, one object;\n"
	"numbers as numbers).  Fails unless the state is \"armed\".\n";

static const char gk_help_mode[] =
	"Usage: gkctl mode [--json] [enforce|audit]\n"
	"\n"
	"Without argument, print the mode.  enforce: unsigned programs are refused;\n"
	"audit: they are admitted and logged as audit-deny.\n";

static const char gk_help_key[] =
	"Usage: gkctl key add [--json] CERT\n"
	"\n"
	"Add the X.509 certificate CERT (PEM or DER) to the .gatekeeper keyring and\n"
	"print its key serial.  Signatures made with its key, or with a key it\n"
	"issued the certificate of, are then accepted.  Remove it with keyctl unlink.\n";

static const char gk_help_sig[] =
	"Usage: gkctl sig add [--json] BUNDLE\n"
	"       gkctl sig list [--json]\n"
	"\n"
	"add: register the signatures of BUNDLE (made by gk-sign), all or none.\n"
	"list: one line per registered signature:\n"
	"  DIGEST<TAB>confidential|-<TAB>NAME<TAB>PUBLISHER<TAB>SOURCE<TAB>TARGET\n"
	"with \"-\" for an empty string (with --json, an array of objects).\n";

static const char gk_help_disarm[] =
	"Usage: gkctl disarm [--json]\n"
	"\n"
	"Detach the gate: BPF program loads are no longer checked.  It cannot be\n"
	"armed again without reloading the module.\n";

static const struct gk_errmsg gk_errs_none[] = { { 0, NULL } };

static const char *gk_dir(void)
{
	const char *d = getenv("GK_SECURITYFS");

	return d && *d ? d : GK_SECURITYFS_DIR;
}

static char *gk_path(const char *name)
{
	char *p;

	return asprintf(&p, "%s/%s", gk_dir(), name) < 0 ? NULL : p;
}

/* Report a failed access to securityfs file @name, in the words of @errs if listed. */
static void gk_fs_err(const char *name, const char *what, int err, const struct gk_errmsg *errs)
{
	struct statfs sfs;
	struct stat st;

	for (; errs->err; errs++) {
		if (errs->err == -err) {
			gk_err("%s: %s", what, errs->msg);
			return;
		}
	}
	if (err == -ENOENT && stat(gk_dir(), &st)) {
		if (!getenv("GK_SECURITYFS") &&
		    (statfs(GK_SECURITYFS_ROOT, &sfs) || sfs.f_type != SECURITYFS_MAGIC))
			gk_err("securityfs is not mounted: mount -t securityfs securityfs " GK_SECURITYFS_ROOT);
		else
			gk_err("%s does not exist: the gatekeeper module is not loaded (modprobe gatekeeper)",
			       gk_dir());
	} else if (err == -EACCES) {
		gk_err("%s/%s: permission denied: run as root", gk_dir(), name);
	} else if (err == -EPERM) {
		gk_err("%s/%s: operation not permitted: it needs CAP_MAC_ADMIN", gk_dir(), name);
	} else {
		gk_err("%s/%s: %s", gk_dir(), name, strerror(-err));
	}
}

/* Read securityfs file @name; errors are reported. */
static int gk_fs_read(const char *name, char **buf)
{
	char *path = gk_path(name);
	size_t len;
	int err;

	if (!path) {
		gk_err("out of memory");
		return -ENOMEM;
	}
	err = gk_read_file(path, SIZE_MAX, (u8 **)buf, &len);
	free(path);
	if (err)
		gk_fs_err(name, name, err, gk_errs_none);
	return err;
}

/*
 * Write @buf to securityfs file @name in a single write(): the module
 * takes a bundle only whole.  Errors are reported as @what, in the words
 * of @errs.
 */
static int gk_fs_write(const char *name, const void *buf, size_t len, const char *what,
		       const struct gk_errmsg *errs)
{
	char *path = gk_path(name);
	ssize_t n;
	int fd, err = 0;

	if (!path) {
		gk_err("out of memory");
		return -ENOMEM;
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	free(path);
	if (fd < 0) {
		err = -errno;
		gk_fs_err(name, what, err, gk_errs_none);
		return err;
	}
	n = write(fd, buf, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	if (err)
		gk_fs_err(name, what, err, errs);
	return err;
}

/* With --json, a command that has no result prints null, as bpftool does. */
static int gk_done(void)
{
	if (gk_json)
		gk_json_print(json_null());
	return GK_EXIT_OK;
}

/*
 * Parse the options every command takes, --json and --help, and check the
 * number of arguments.  Return: -1 to go on with the arguments at optind,
 * or the exit code.
 */
static int gk_opts(int argc, char **argv, const char *cmd, const char *help, int min, int max)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			gk_json = true;
			break;
		case 'h':
			fputs(help, stdout);
			return GK_EXIT_OK;
		default:
			return gk_usage_err(cmd, "unknown option %s", argv[optind - 1]);
		}
	}
	if (argc - optind < min)
		return gk_usage_err(cmd, "missing argument");
	if (argc - optind > max)
		return gk_usage_err(cmd, "unexpected argument %s", argv[optind + max]);
	return -1;
}

static int gk_dispatch(const struct gk_cmd *cmds, int argc, char **argv, const char *cmd,
		       const char *help)
{
	int ret;

	if (argc < 1 || argv[0][0] == '-') {
		/* Only options: --help, --json, or an error. */
		ret = gk_opts(argc + 1, argv - 1, cmd, help, 0, 0);
		return ret >= 0 ? ret : gk_usage_err(cmd, "missing command");
	}
	for (; cmds->name; cmds++)
		if (!strcmp(argv[0], cmds->name))
			return cmds->fn(argc, argv);
	return gk_usage_err(cmd, "unknown command %s", argv[0]);
}

/* "key: value" lines; values that are numbers become JSON numbers. */
static json_t *gk_status_json(char *buf)
{
	json_t *o = json_object();
	char *line, *save, *val, *end;
	long long n;

	for (line = strtok_r(buf, "\n", &save); o && line; line = strtok_r(NULL, "\n", &save)) {
		val = strstr(line, ": ");
		if (!val)
			continue;
		*val = '\0';
		val += 2;
		n = strtoll(val, &end, 10);
		if (json_object_set_new(o, line, *val && !*end ? json_integer(n) : json_string(val))) {
			json_decref(o);
			o = NULL;
		}
	}
	return o;
}

static int gk_cmd_status(int argc, char **argv)
{
	const char *state, *why;
	char *buf, *text;
	json_t *o;
	int ret;

	ret = gk_opts(argc, argv, "gkctl status", gk_help_status, 0, 0);
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
	state = json_string_value(json_object_get(o, "state"));
	why = json_string_value(json_object_get(o, "error"));
	ret = state && !strcmp(state, "armed") ? GK_EXIT_OK : GK_EXIT_FAIL;
	if (gk_json) {
		gk_json_print(json_incref(o));
	} else {
		fputs(text, stdout);
		if (ret)
			gk_err("the gate is not armed (state: %s)%s%s", state ? state : "unknown",
			       why ? ": " : "", why ? why : "");
	}
out:
	json_decref(o);
	free(text);
	free(buf);
	return ret;
}

static int gk_cmd_mode(int argc, char **argv)
{
	const char *mode;
	char *buf;
	int ret;

	ret = gk_opts(argc, argv, "gkctl mode", gk_help_mode, 0, 1);
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
	if (gk_fs_write("mode", mode, strlen(mode), "mode", gk_errs_none))
		return GK_EXIT_FAIL;
	return gk_done();
}

static int gk_cmd_disarm(int argc, char **argv)
{
	static const struct gk_errmsg errs[] = {
		{ ENOTCONN, "the gate is not armed: nothing to disarm (see gkctl status)" },
		{ 0, NULL },
	};
	int ret;

	ret = gk_opts(argc, argv, "gkctl disarm", gk_help_disarm, 0, 0);
	if (ret >= 0)
		return ret;
	if (gk_fs_write("disarm", "1", 1, "disarm", errs))
		return GK_EXIT_FAIL;
	return gk_done();
}

static int gk_cmd_key_add(int argc, char **argv)
{
	const char *path;
	key_serial_t ring, key;
	unsigned char *der = NULL;
	char *buf, *end;
	X509 *cert;
	int len, ret;

	ret = gk_opts(argc, argv, "gkctl key add", gk_help_key, 1, 1);
	if (ret >= 0)
		return ret;
	path = argv[optind];
	if (gk_load_cert(path, &cert))
		return GK_EXIT_FAIL;
	len = i2d_X509(cert, &der);
	X509_free(cert);
	if (len <= 0) {
		gk_ossl_err("cannot encode %s as DER", path);
		return GK_EXIT_FAIL;
	}
	ret = GK_EXIT_FAIL;
	if (gk_fs_read("keyring", &buf))
		goto out;
	buf[strcspn(buf, "\n")] = '\0';
	ring = strtol(buf, &end, 10);
	if (end == buf || *end) {
		gk_err("%s/keyring holds no key serial: %s", gk_dir(), buf);
		goto out_buf;
	}
	key = add_key("asymmetric", NULL, der, len, ring);
	if (key < 0) {
		switch (errno) {
		case EBADMSG:
		case EINVAL:
			gk_err("%s: the kernel cannot parse this certificate or its key", path);
			break;
		case ENOPKG:
			gk_err("%s: the kernel lacks the algorithm of this certificate's key or signature", path);
			break;
		case EACCES:
		case EPERM:
			gk_err("%s: permission denied on the .gatekeeper keyring: run as root", path);
			break;
		case ENOKEY:
		case EKEYREVOKED:
			gk_err("the .gatekeeper keyring (%d) is gone: was the module reloaded?", ring);
			break;
		default:
			gk_err("%s: cannot add the key: %s", path, strerror(errno));
		}
		goto out_buf;
	}
	if (gk_json)
		gk_json_print(json_pack("{s:i}", "serial", key));
	else
		printf("%d\n", key);
	ret = GK_EXIT_OK;
out_buf:
	free(buf);
out:
	OPENSSL_free(der);
	return ret;
}

static int gk_cmd_key(int argc, char **argv)
{
	static const struct gk_cmd cmds[] = {
		{ "add", gk_cmd_key_add },
		{ NULL, NULL },
	};

	return gk_dispatch(cmds, argc - 1, argv + 1, "gkctl key", gk_help_key);
}

static int gk_cmd_sig_add(int argc, char **argv)
{
	static const struct gk_errmsg errs[] = {
		{ EFBIG, "larger than 1 MiB: sign fewer programs per bundle" },
		{ EBADMSG, "malformed or truncated bundle (check it with gk-sign verify); nothing was added" },
		{ EPROTONOSUPPORT, "bundle or manifest version unknown to this module: use the gk-sign that comes with it" },
		{ EXDEV, "signed for another kernel release (gk-sign --target; compare uname -r); nothing was added" },
		{ EEXIST, "a digest in the bundle is already registered, or repeated in it; nothing was added" },
		{ ENOSPC, "the module's signature store is full; nothing was added" },
		{ ENOKEY, "no key in the .gatekeeper keyring vouches for the signer: add the publisher certificate with gkctl key add CERT" },
		{ EKEYREJECTED, "a signature is malformed or does not verify: the bundle was altered, or signed by another key than its certificate says; nothing was added" },
		{ ENOPKG, "the kernel lacks the hash or key algorithm of a signature; nothing was added" },
		{ ENOMEM, "the kernel is out of memory; nothing was added" },
		{ EPERM, "registering signatures needs CAP_MAC_ADMIN" },
		{ 0, NULL },
	};
	const char *path;
	size_t len;
	u8 *buf;
	int ret;

	ret = gk_opts(argc, argv, "gkctl sig add", gk_help_sig, 1, 1);
	if (ret >= 0)
		return ret;
	path = argv[optind];
	ret = gk_read_file(path, GK_BUNDLE_MAX_SIZE, &buf, &len);
	if (ret) {
		gk_err("cannot read %s: %s", path,
		       ret == -EFBIG ? "larger than the 1 MiB a bundle may have" : strerror(-ret));
		return GK_EXIT_FAIL;
	}
	ret = gk_fs_write("signatures", buf, len, path, errs);
	free(buf);
	return ret ? GK_EXIT_FAIL : gk_done();
}

/* One signatures line: DIGEST, flag, name, publisher, source, target. */
static json_t *gk_sig_json(char *line)
{
	static const char *const keys[] = { "digest", "confidential", "name", "publisher",
					    "source", "target" };
	char *f[6], *save;
	json_t *o;
	int i;

	for (i = 0; i < 6; i++) {
		f[i] = strtok_r(i ? NULL : line, "\t", &save);
		if (!f[i])
			return NULL;
	}
	if (strtok_r(NULL, "\t", &save))
		return NULL;
	o = json_pack("{s:s, s:b}", keys[0], f[0], keys[1], !strcmp(f[1], "confidential"));
	for (i = 2; o && i < 6; i++)
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

	ret = gk_opts(argc, argv, "gkctl sig list", gk_help_sig, 0, 0);
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

static int gk_cmd_sig(int argc, char **argv)
{
	static const struct gk_cmd cmds[] = {
		{ "add", gk_cmd_sig_add },
		{ "list", gk_cmd_sig_list },
		{ NULL, NULL },
	};

	return gk_dispatch(cmds, argc - 1, argv + 1, "gkctl sig", gk_help_sig);
}

int main(int argc, char **argv)
{
	static const struct gk_cmd cmds[] = {
		{ "status", gk_cmd_status },
		{ "mode", gk_cmd_mode },
		{ "key", gk_cmd_key },
		{ "sig", gk_cmd_sig },
		{ "disarm", gk_cmd_disarm },
		{ NULL, NULL },
	};
	int i = 1;

	opterr = 0;
	/* Options before the command are global; the command parses its own. */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			gk_json = true;
		else
			break;
	}
	return gk_dispatch(cmds, argc - i, argv + i, "gkctl", gk_help);
}
