/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the gatekeeper module.  Files:
 *   main.c    module lifecycle and parameters
 *   arm.c     loading and attaching the BPF LSM half, disarm, self-test
 *   hooks.c   the kfuncs the BPF half calls, and the decision
 *   bind.c    6.1 only: binding a program to the digest of its kernel copy
 *   store.c   registered signatures (bundles checked against the keyring)
 *   keyring.c the .gatekeeper keyring
 *   fs.c      securityfs interface
 */
#ifndef GK_GATEKEEPER_H
#define GK_GATEKEEPER_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include "gk_format.h"

struct bpf_prog;
struct key;

enum gk_mode {
	GK_MODE_ENFORCE,
	GK_MODE_AUDIT,
};

enum gk_arm_state {
	GK_ARMING,	/* module loaded, gate not yet attached */
	GK_ARMED,
	GK_ARM_FAILED,	/* sticky: see gk_arm_error */
	GK_DISARMED,
};

/* main.c */
extern enum gk_mode gk_mode;

/* arm.c */
int gk_arm(void);
int gk_disarm(void);
void gk_arm_exit(void);
enum gk_arm_state gk_arm_state(void);
const char *gk_arm_error(void);
const char *gk_hook_name(void);

/* hooks.c */
struct gk_stats {
	u64 allowed, denied, audited;
};

void gk_stats_read(struct gk_stats *s);
int gk_kfuncs_register(void);
bool gk_selftest_consulted(void);
void gk_selftest_begin(void);
void gk_selftest_end(void);
int gk_decide(const struct bpf_prog *prog, const u8 *digest, int origin);

/* Where a load came from, as far as the hook can tell. */
#define GK_ORIGIN_USER 0
#define GK_ORIGIN_KERNEL 1
#define GK_ORIGIN_UNKNOWN 2

/* bind.c (GK_HOOK_FD kernels) */
int gk_bind_init(void);
void gk_bind_start(void);
void gk_bind_exit(void);
int gk_bind_alloc(const void *aux);
int gk_bind_decide(const struct bpf_prog *prog);
void gk_bind_free(const void *aux);

/* store.c: a registered, verified manifest. Strings are NUL-terminated. */
struct gk_entry {
	struct hlist_node node;
	u8 digest[GK_DIGEST_SIZE];
	u32 flags;
	const char *name, *publisher, *source, *target;
	char strings[];
};

struct seq_file;
int gk_store_add_bundle(const u8 *buf, size_t len);
const struct gk_entry *gk_store_find(const u8 *digest);
int gk_store_show(struct seq_file *m);
unsigned int gk_store_count(void);
void gk_store_exit(void);

/* keyring.c */
extern struct key *gk_keyring;
int gk_keyring_init(void);
void gk_keyring_exit(void);

/* fs.c */
int gk_fs_init(void);
void gk_fs_exit(void);

#endif /* GK_GATEKEEPER_H */
