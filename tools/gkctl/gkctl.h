/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gkctl: what its per-object files (gkctl-*.c, as bpftool has prog.c,
 * map.c, ...) share: command dispatch, option parsing, and access to the
 * module's securityfs directory.
 */
#ifndef GK_TOOLS_GKCTL_H
#define GK_TOOLS_GKCTL_H

#include <getopt.h>	/* optind: where a command's arguments start */
#include <stdbool.h>
#include "gk_format.h"
#include "output.h"
#include "file.h"
#include "hex.h"
#include "x509.h"

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

/* As gk_errmsg.err: the message for EPERM while the gate is locked. */
#define GK_EPERM_LOCKED (-EPERM)

extern const struct gk_errmsg gk_errs_none[];

/*
 * An option of one command besides --json and --help: a flag (@flag set
 * to true) or an option with an argument (@arg set to it).
 */
struct gk_opt {
	const char *name;	/* long name, without "--" */
	char short_name;	/* 0: none */
	const char **arg;
	bool *flag;
};

const char *gk_dir(void);
char *gk_path(const char *name);
void gk_fs_err(const char *name, const char *what, int err, const struct gk_errmsg *errs);
int gk_fs_read(const char *name, char **buf);
int gk_fs_write(const char *name, const void *buf, size_t len, const char *what,
		const struct gk_errmsg *errs);
int gk_locked(void);
int gk_done(void);
json_t *gk_json_u64(u64 v);
json_t *gk_kv_parse(const char *line);
int gk_opts(int argc, char **argv, const char *cmd, const char *help,
	    const struct gk_opt *extra, int min, int max);
int gk_dispatch(const struct gk_cmd *cmds, int argc, char **argv, const char *cmd,
		const char *help);

/* One entry point per object, argv[0] being the object's name. */
int gk_cmd_status(int argc, char **argv);
int gk_cmd_mode(int argc, char **argv);
int gk_cmd_lock(int argc, char **argv);
int gk_cmd_disarm(int argc, char **argv);
int gk_cmd_key(int argc, char **argv);
int gk_cmd_sig(int argc, char **argv);
int gk_cmd_policy(int argc, char **argv);
int gk_cmd_log(int argc, char **argv);
int gk_cmd_attest(int argc, char **argv);
int gk_cmd_probe(int argc, char **argv);
int gk_cmd_learn(int argc, char **argv);
int gk_cmd_prog(int argc, char **argv);

#endif /* GK_TOOLS_GKCTL_H */
