/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the gatekeeper module.  Files:
 *   main.c    module lifecycle and parameters
 *   arm.c     loading and attaching the BPF LSM half, disarm, self-test
 *   hooks.c   the kfuncs the BPF half calls, and the decision
 *   bind.c    6.1 only: binding a program to the digest of its kernel copy
 *   target.c  what a program attaches to: nothing may aim at the gate
 *   probes.c  loader feature probes admitted from the catalogue
 *   store.c   registered signatures (bundles checked against the keyring)
 *   keyring.c the keyrings, signature checks, publisher identity
 *   policy.c  the active policy: signed load, rollback refusal, lock
 *   app.c     the loading application's path and content digest
 *   audit.c   audit records and the decision log
 *   learn.c   learning sessions: what a workload loads, for signing
 *   attest.c  nonces and attestation results for confidential programs
 *   fs.c      securityfs interface
 */
#ifndef GK_GATEKEEPER_H
#define GK_GATEKEEPER_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include "gk_format.h"

struct seq_file;

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
	GK_BYPASSED,	/* sticky: a program cut the gate out; loads refused */
};

/* Room for a reason built at run time (target.c). */
#define GK_REASON_MAX 160

/* main.c */
extern enum gk_mode gk_mode;
extern unsigned int gk_watch_interval;

/* arm.c */
int gk_arm(void);
int gk_disarm(void);
void gk_arm_exit(void);
enum gk_arm_state gk_arm_state(void);
const char *gk_arm_error(void);
const char *gk_hook_name(void);
bool gk_is_gate_prog(const struct bpf_prog *prog);
bool gk_arming_here(void);
bool gk_bypassed(void);
void gk_watch_now(void);

#define GK_BYPASSED_FIX "reboot; bpftool prog show names programs aimed at the gate"
#define GK_BYPASSED_REASON \
	"the gate was cut out by another BPF program (gkctl status): every load is refused until reboot"

/* What one decision was, for audit.c. */
struct gk_app;
struct gk_decision {
	const char *action;		/* allow, deny, audit, audit-deny */
	bool record;			/* emit an audit record */
	const char *prog_name;
	u32 prog_type, attach_type;
	const u8 *digest;		/* NULL: none */
	int origin;			/* GK_ORIGIN_* */
	const struct gk_app *app;	/* NULL: unknown */
	const char *publisher, *source;	/* NULL: none */
	u32 rule;			/* 0: none or the default */
	const char *reason;
	const char *fix;		/* for a refusal: what would admit it */
};

/* audit.c */
int gk_log_init(void);
void gk_log_exit(void);
void gk_log_decision(const struct gk_decision *d);
void gk_audit_change(const char *op, const char *detail);
u64 gk_audit_suppressed_count(void);
int gk_log_show(struct seq_file *m);

/* app.c: the executable that issued a load */
#define GK_APP_PATH_MAX 1024
struct gk_app {
	struct hlist_node node;
	const struct task_struct *task;	/* compared, never dereferenced */
	u32 path_len;
	bool has_digest;
	u8 digest[GK_DIGEST_SIZE];
	char path[GK_APP_PATH_MAX];
};

void gk_app_enter(void);
const char *gk_app_exe(char *buf, size_t size);
struct gk_app *gk_app_take(void);
void gk_app_exit(void);

/* learn.c */
#define GK_LEARN_SECONDS_MAX 86400
struct file;
bool gk_learning(void);
void gk_learn_seen(const struct bpf_prog *prog, const u8 *digest,
		   const struct gk_app *app);
void gk_learn_verified(const struct bpf_prog *prog);
int gk_learn_start(const struct file *owner, unsigned int seconds);
int gk_learn_stop(const struct file *owner, const char *how);
void gk_learn_status(struct seq_file *m);
int gk_learn_show(struct seq_file *m);
void gk_learn_exit(void);

/* attest.c: the attestation result held for confidential programs */
struct gk_attestation {
	u64 valid_until;		/* boot clock, ns; 0: none */
	u32 tee, tcb_status;
	u8 measurement[48];		/* the first measurement (MRTD, MEASUREMENT) */
	u8 verifier[GK_DIGEST_SIZE];	/* fingerprint of the verifier key */
};

void gk_attest_nonce(u8 out[32]);
int gk_attest_load(const u8 *buf, size_t len);
int gk_attest_current(struct gk_attestation *att);
void gk_attest_status(struct seq_file *m);

/* policy.c */
struct gk_eval_input;
struct gk_verdict;
bool gk_locked(void);
int gk_lock(void);
int gk_set_mode(enum gk_mode mode);
bool gk_policy_wants_app(void);
int gk_policy_load(const u8 *buf, size_t len);
bool gk_policy_eval_active(const struct gk_eval_input *in, struct gk_verdict *v);
bool gk_policy_refuses_probes(void);
int gk_policy_show(struct seq_file *m);
void gk_policy_status(struct seq_file *m);
const char *gk_policy_publisher_name(const u8 *fp);
const char *gk_policy_verifier_name(const u8 *fp);
void gk_policy_exit(void);

/* hooks.c */
struct gk_stats {
	u64 allowed, denied, audited;
};

void gk_stats_read(struct gk_stats *s);
int gk_kfuncs_register(void);
bool gk_selftest_consulted(void);
void gk_selftest_begin(void);
void gk_digest_of(const struct bpf_prog *prog, const union bpf_attr *attr,
		  u8 *digest);
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

/* target.c */
union bpf_attr;
const char *gk_target_refusal(const struct bpf_prog *prog, char *buf, size_t size);
struct bpf_prog *gk_attach_refusal(int cmd, const union bpf_attr *attr,
				   char *buf, size_t size);

/* probes.c */
struct gk_probe;
int gk_probes_init(bool on);
const struct gk_probe *gk_probe_find(const u8 *digest);
bool gk_probes_trusted(void);
int gk_probes_trust(bool on);

/* store.c: a registered, verified manifest. Strings are NUL-terminated. */
struct gk_entry {
	struct hlist_node node;
	struct rcu_head rcu;
	u8 digest[GK_DIGEST_SIZE];
	u8 signer[GK_DIGEST_SIZE];	/* fingerprint of the vouching key */
	bool has_signer;
	u32 flags;
	const char *name, *publisher, *source, *target;
	char strings[];
};

int gk_store_add_bundle(const u8 *buf, size_t len);
const struct gk_entry *gk_store_find(const u8 *digest);
int gk_store_show(struct seq_file *m);
unsigned int gk_store_count(void);
void gk_store_exit(void);

/* keyring.c */
extern struct key *gk_keyring, *gk_admin_keyring, *gk_verifier_keyring;
int gk_keyring_init(void);
void gk_keyring_exit(void);
int gk_verify(const void *data, size_t len, const void *sig, size_t sig_len,
	      struct key *keyring);
int gk_verify_admin(const void *data, size_t len, const void *sig, size_t sig_len);
int gk_identify(struct key *keyring, const void *data, size_t len, const void *sig,
		size_t sig_len, u8 fp[GK_DIGEST_SIZE]);

/* fs.c */
int gk_fs_init(void);
void gk_fs_exit(void);

#endif /* GK_GATEKEEPER_H */
