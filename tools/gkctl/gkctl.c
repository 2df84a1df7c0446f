// SPDX-License-Identifier: GPL-2.0
/*
 * gkctl: control the eBPF GateKeeper through its securityfs directory.
 * Commands are dispatched from tables, as in bpftool, one file per object
 * (gkctl-*.c); --json turns every output, errors included, into one JSON
 * document per line on stdout (lib/cli.c, lib/output.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include "gkctl.h"

static const char gk_help[] =
	"Usage: gkctl [OPTIONS] COMMAND [ARGS]\n"
	"\n"
	"Control the eBPF GateKeeper through " GK_SECURITYFS_DIR "/.\n"
	"\n"
	"  gkctl status                 the gate's state and counters; fails unless armed\n"
	"  gkctl mode                   print the mode: enforce or audit\n"
	"  gkctl mode enforce|audit     set it\n"
	"  gkctl key add [--admin | --verifier] CERT\n"
	"                               trust CERT (PEM or DER X.509) to vouch for\n"
	"                               signers (--admin: of policies, --verifier: of\n"
	"                               attestation results)\n"
	"  gkctl key fingerprint CERT   the SHA-256 a policy names CERT's key by\n"
	"  gkctl sig add BUNDLE         register the signatures of a gk-sign bundle\n"
	"  gkctl sig list               the registered signatures\n"
	"  gkctl sig remove DIGEST | --key FINGERPRINT | --publisher NAME\n"
	"                               unregister signatures (loaded programs: revoked)\n"
	"  gkctl policy check FILE      check a policy, or a signed one, and explain it\n"
	"  gkctl policy sign --key KEY --cert CERT [-o OUT] FILE\n"
	"                               sign a policy for \"gkctl policy load\"\n"
	"  gkctl policy load FILE       make a signed policy the active one\n"
	"  gkctl policy show            the active policy\n"
	"  gkctl log [--follow]         the decision log\n"
	"  gkctl attest nonce           a fresh one-time nonce for TEE attestation\n"
	"  gkctl attest evidence --tee tdx|snp|sim [--nonce HEX] -o EVIDENCE\n"
	"                               TEE evidence that answers a nonce, for gk-verify\n"
	"  gkctl attest result RESULT   hand the verifier's signed result to the module\n"
	"  gkctl learn [-t SECONDS] [-o REQUEST] [-- COMMAND [ARGS...]]\n"
	"                               record, in audit mode, the programs COMMAND loads\n"
	"                               that nothing admits yet: a request for gk-sign\n"
	"  gkctl prog list [--unverified]\n"
	"                               every loaded BPF program, and how it was admitted\n"
	"                               (--unverified: only those that predate the gate)\n"
	"  gkctl probe list             the catalogue of loader probes admitted unsigned\n"
	"  gkctl probe trust            admit them (the default)\n"
	"  gkctl probe refuse           treat them as any unsigned program\n"
	"  gkctl lock                   refuse disarm, audit mode and new keys until reboot\n"
	"  gkctl disarm                 stop checking program loads until the module is reloaded\n"
	"\n"
	"  -j, --json      every output, errors included, as JSON on stdout\n"
	"  -v, --verbose   also libbpf's messages, on stderr\n"
	"  -V, --version   print the version\n"
	"  -h, --help      this help; \"gkctl COMMAND --help\" for one command\n"
	"\n"
	"Changes need root (CAP_MAC_ADMIN).  Environment: GK_SECURITYFS replaces\n"
	"the directory, for tests only.  See gkctl(8).\n"
	"Exit status: 0 done, 1 failed, 2 usage error.\n";

const struct gk_errmsg gk_errs_none[] = { { 0, NULL } };

const char *gk_dir(void)
{
	const char *d = getenv("GK_SECURITYFS");

	return d && *d ? d : GK_SECURITYFS_DIR;
}

char *gk_path(const char *name)
{
	char *p;

	return asprintf(&p, "%s/%s", gk_dir(), name) < 0 ? NULL : p;
}

/*
 * Whether the gate is locked, from the "locked:" line of status.
 * Return: 1 locked, 0 not, -1 unknown (nothing is reported).
 */
int gk_locked(void)
{
	char *path = gk_path("status"), *buf = NULL, *p;
	int ret = -1;
	size_t len;

	if (path && !gk_read_file(path, 1 << 20, (u8 **)&buf, &len)) {
		for (p = buf; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
			if (strncmp(p, "locked: ", 8))
				continue;
			p += 8;
			if (!strncmp(p, "yes", 3) && (p[3] == '\n' || !p[3]))
				ret = 1;
			else if (!strncmp(p, "no", 2) && (p[2] == '\n' || !p[2]))
				ret = 0;
		}
	}
	free(buf);
	free(path);
	return ret;
}

/* Report a failed access to securityfs file @name, in the words of @errs if listed. */
void gk_fs_err(const char *name, const char *what, int err, const struct gk_errmsg *errs)
{
	const struct gk_errmsg *e;
	struct statfs sfs;
	struct stat st;

	if (err == -EPERM) {
		for (e = errs; e->err; e++) {
			if (e->err == GK_EPERM_LOCKED && gk_locked() == 1) {
				gk_err("%s: %s", what, e->msg);
				return;
			}
		}
	}
	for (e = errs; e->err; e++) {
		if (e->err == -err) {
			gk_err("%s: %s", what, e->msg);
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
	} else if (err == -ENOENT) {
		gk_err("%s/%s does not exist: the loaded gatekeeper module is older than this gkctl; install the module that comes with it",
		       gk_dir(), name);
	} else if (err == -EACCES) {
		gk_err("%s/%s: permission denied: run as root", gk_dir(), name);
	} else if (err == -EPERM) {
		gk_err("%s/%s: operation not permitted: it needs CAP_MAC_ADMIN", gk_dir(), name);
	} else if (err == -ENOSPC) {
		gk_err("%s: refused: the measurement log is full, and refuses every change (gkctl status: measured_events, measured_max)",
		       what);
	} else if (err == -EIO) {
		gk_err("%s: refused: I/O error; a TPM that fails to extend the measurement refuses the change (dmesg)",
		       what);
	} else {
		gk_err("%s/%s: %s", gk_dir(), name, strerror(-err));
	}
}

/* Read securityfs file @name; errors are reported. */
int gk_fs_read(const char *name, char **buf)
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
 * takes a bundle or a policy only whole.  Errors are reported as @what, in
 * the words of @errs.
 */
int gk_fs_write(const char *name, const void *buf, size_t len, const char *what,
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
int gk_done(void)
{
	if (gk_json)
		gk_json_print(json_null());
	return GK_EXIT_OK;
}

/* @v as a JSON number, or as a decimal string if above LLONG_MAX. */
json_t *gk_json_u64(u64 v)
{
	char buf[24];

	if (v <= (u64)LLONG_MAX)
		return json_integer((json_int_t)v);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	return json_string(buf);
}

int main(int argc, char **argv)
{
	static const struct gk_cmd cmds[] = {
		{ "status", gk_cmd_status },
		{ "mode", gk_cmd_mode },
		{ "key", gk_cmd_key },
		{ "sig", gk_cmd_sig },
		{ "policy", gk_cmd_policy },
		{ "log", gk_cmd_log },
		{ "attest", gk_cmd_attest },
		{ "probe", gk_cmd_probe },
		{ "learn", gk_cmd_learn },
		{ "prog", gk_cmd_prog },
		{ "lock", gk_cmd_lock },
		{ "disarm", gk_cmd_disarm },
		{ NULL, NULL },
	};

	gk_libbpf_init();
	return gk_main(argc, argv, cmds, gk_help, true);
}
