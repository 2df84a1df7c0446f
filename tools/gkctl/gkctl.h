/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gkctl: what its per-object files (gkctl-*.c, as bpftool has prog.c,
 * map.c, ...) share: access to the module's securityfs directory.  Their
 * commands and options are lib/cli.h's.
 */
#ifndef GK_TOOLS_GKCTL_H
#define GK_TOOLS_GKCTL_H

#include <stdbool.h>
#include "gk_format.h"
#include "cli.h"
#include "output.h"
#include "file.h"
#include "hex.h"
#include "x509.h"

#define GK_SECURITYFS_ROOT "/sys/kernel/security"
#define GK_SECURITYFS_DIR GK_SECURITYFS_ROOT "/gatekeeper"
/* The module's sysfs directory: its version (MODULE_VERSION). */
#define GK_SYSFS_MODULE_DIR "/sys/module/gatekeeper"

/* What an errno means for one securityfs file; the rest is common. */
struct gk_policy;

struct gk_errmsg {
	int err;
	const char *msg;
};

/* As gk_errmsg.err: the message for EPERM while the gate is locked. */
#define GK_EPERM_LOCKED (-EPERM)

extern const struct gk_errmsg gk_errs_none[];

const char *gk_dir(void);
char *gk_path(const char *name);
void gk_fs_err(const char *name, const char *what, int err, const struct gk_errmsg *errs);
int gk_fs_read(const char *name, char **buf);
int gk_fs_write(const char *name, const void *buf, size_t len, const char *what,
		const struct gk_errmsg *errs);
int gk_locked(void);
struct gk_policy *gk_active_policy(void);
int gk_done(void);
json_t *gk_json_u64(u64 v);
json_t *gk_kv_parse(const char *line);

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
