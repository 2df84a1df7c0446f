// SPDX-License-Identifier: GPL-2.0
/*
 * The decision, and the kfuncs through which the BPF half of the gate
 * reaches it.  Everything here runs inside the BPF LSM program: no sleeping,
 * RCU read side held by the BPF trampoline.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include "hooks.h"
#include "gatekeeper.h"
#include "active_policy.h"
#include "app.h"
#include "arm.h"
#include "attest.h"
#include "audit.h"
#include "bind.h"
#include "learn.h"
#include "probes.h"
#include "store.h"
#include "target.h"
#include "compat.h"
#include "gk_format.h"
#include "gk_policy.h"
#include "gk_probes.h"

/* Room for a reason built at run time (target.c, the probe catalogue). */
#define GK_REASON_MAX 160

static atomic64_t gk_allowed, gk_denied, gk_audited;

void gk_stats_read(struct gk_stats *s)
{
	s->allowed = atomic64_read(&gk_allowed);
	s->denied = atomic64_read(&gk_denied);
	s->audited = atomic64_read(&gk_audited);
}

/*
 * Apply the mode to a decision and record it.
 * Context: any; does not sleep.  Return: 0 to admit, -EPERM to refuse.
 */
static int gk_conclude(struct gk_decision *d, u8 action)
{
	int ret = 0;

	switch (action) {
	case GK_POLICY_ALLOW:
		d->action = "allow";
		d->fix = NULL;
		atomic64_inc(&gk_allowed);
		break;
	case GK_POLICY_AUDIT:
		d->action = "audit";
		d->fix = NULL;
		d->record = true;
		atomic64_inc(&gk_audited);
		break;
	default:
		d->record = true;
		if (READ_ONCE(gk_mode) == GK_MODE_AUDIT) {
			d->action = "audit-deny";
			atomic64_inc(&gk_audited);
		} else {
			d->action = "deny";
			atomic64_inc(&gk_denied);
			ret = -EPERM;
		}
	}
	gk_log_decision(d);
	return ret;
}

/* What a decision about @prog starts from. */
#define GK_DECISION_OF(prog, dig, orig) {				\
	.prog_name = (prog)->aux->name,					\
	.prog_type = (prog)->type,					\
	.attach_type = (prog)->expected_attach_type,			\
	.digest = (dig),						\
	.origin = (orig),						\
}

/* A refusal that does not depend on the program's signature. */
static int gk_refuse(const struct bpf_prog *prog, const char *reason)
{
	struct gk_decision d = GK_DECISION_OF(prog, NULL, GK_ORIGIN_UNKNOWN);

	d.reason = reason;
	d.fix = "none: no signature admits it (fentry and fexit may watch the decision path)";
	return gk_conclude(&d, GK_POLICY_DENY);
}

/**
 * gk_decide() - admit or refuse one program load
 * @prog: the program being loaded
 * @digest: its digest, or NULL if it could not be bound to one
 * @origin: GK_ORIGIN_*; loads from kernel context are treated exactly like
 *          loads from userspace (docs/design.md, "Kernel-context loads")
 *
 * Fail closed: no digest, a gate that was cut out (gk_bypassed()), or a
 * confidential program without a fresh TEE attestation is denied whatever
 * the policy says; the policy may require more (a rule's "verifier"
 * condition).  An unsigned loader probe of the trusted catalogue is
 * admitted, unless the policy declares "probes refused".  Otherwise, without a policy, a registered signature is what
 * admits; with one, its first matching rule (or default action) decides.
 * Where the program may be attached is decided at fd creation
 * (gk_fd_decide()).
 *
 * Context: BPF LSM program (RCU read side), or a spinlock held; no sleeping.
 * Return: 0 to admit, -EPERM to refuse.
 */
static int gk_decide(const struct bpf_prog *prog, const u8 *digest, int origin)
{
	struct gk_decision d = GK_DECISION_OF(prog, digest, origin);
	struct gk_eval_input in = {
		.prog_type = prog->type,
		.attach_type = prog->expected_attach_type,
	};
	const struct gk_entry *e = NULL;
	const struct gk_probe *probe = NULL;
	char why[GK_REASON_MAX];
	struct gk_attestation att;
	struct gk_verdict v;
	struct gk_app *app;
	int ret, att_err;
	u8 action;

	if (gk_selftest_reached())
		return -EPERM;

	app = gk_app_take();
	d.app = app;
	if (app) {
		in.app = app->path;
		in.app_len = app->path_len;
		in.app_sha256 = app->has_digest ? app->digest : NULL;
	}

	rcu_read_lock();
	if (digest)
		e = gk_store_find(digest);
	if (e) {
		in.is_signed = true;
		in.signer_key = e->has_signer ? e->signer : NULL;
		in.source = e->source;
		in.source_len = strlen(e->source);
		in.confidential = e->flags & GK_MANIFEST_CONFIDENTIAL;
		d.publisher = e->has_signer ? gk_policy_publisher_name(e->signer) : NULL;
		d.source = e->source;
	}

	att_err = gk_attest_current(&att);
	/* A policy that no longer declares the verifier voids its result. */
	if (!att_err && !gk_policy_verifier_name(att.verifier))
		att_err = -EKEYREJECTED;
	if (!att_err)
		in.attestation_key = att.verifier;

	if (digest && !e && !gk_policy_refuses_probes())
		probe = gk_probe_find(digest);

	if (!digest) {
		action = GK_POLICY_DENY;
		d.reason = "no instruction digest (kprobe on bpf_check missing)";
		d.fix = "enable kprobes: 6.1 binds a program to its digest with one";
	} else if (gk_bypassed()) {
		action = GK_POLICY_DENY;
		d.reason = GK_BYPASSED_REASON;
		d.fix = GK_BYPASSED_FIX;
	} else if (in.confidential && att_err) {
		action = GK_POLICY_DENY;
		d.reason = att_err == -ETIME ? "confidential program: TEE attestation expired" :
			   att_err == -EKEYREJECTED ?
			   "confidential program: TEE attestation rejected" :
			   "confidential program: no TEE attestation";
		d.fix = "present a fresh attestation result (gkctl attest)";
	} else if (probe) {
		action = GK_POLICY_ALLOW;
		snprintf(why, sizeof(why), "loader probe %s (catalogue)", probe->id);
		d.reason = why;
	} else if (gk_policy_eval_active(&in, &v)) {
		action = v.action;
		d.rule = v.rule;
		d.reason = v.reason;
		d.fix = "see the rule in gkctl policy show";
	} else {
		action = e ? GK_POLICY_ALLOW : GK_POLICY_DENY;
		d.reason = e ? "registered signature" : "no registered signature";
		d.fix = "learn it (gkctl learn -o REQ -- LOADER), sign it (gk-sign --request REQ), register it (gkctl sig add)";
	}
	ret = gk_conclude(&d, action);
	gk_learn_seen(prog, d.record && digest && !e && !probe ? digest : NULL, app);
	rcu_read_unlock();
	kfree(app);
	return ret;
}

/**
 * gk_fd_decide() - may an fd be made for a program
 * @prog: the program, verified
 *
 * Every fd of a program is made here, the loader's first one included:
 * refuse programs that aim at the gate (target.c) whenever they were
 * loaded, then, on 6.1, carry the load's decision (bind.c).  Only a
 * verified program gets here: what a learning session saw refused becomes
 * a learnt program (learn.c).
 *
 * Context: BPF LSM program, no sleeping.
 * Return: 0 to admit, -EPERM to refuse.
 */
static int gk_fd_decide(const struct bpf_prog *prog)
{
	char why[GK_REASON_MAX];

	bool aimed = gk_target_refusal(prog, why, sizeof(why));

	if (aimed && gk_refuse(prog, why))
		return -EPERM;
	if (gk_bind_decide(prog, gk_decide))
		return -EPERM;
	/* Verified, and no signature would change its fate if aimed. */
	if (!aimed)
		gk_learn_verified(prog);
	return 0;
}

/*
 * bpf() entry: once the gate was cut out, refuse every load here, where a
 * program hooking the later hooks cannot skip it; stop attaching programs
 * that aim at the gate.
 *
 * Context: sleepable BPF LSM program.  Return: 0 or -EPERM.
 */
static int gk_enter(int cmd, const union bpf_attr *attr)
{
	char why[GK_REASON_MAX], name[BPF_OBJ_NAME_LEN];
	struct gk_decision d = { .origin = GK_ORIGIN_UNKNOWN };
	struct bpf_prog *prog;
	int ret;

	switch (cmd) {
	case BPF_PROG_LOAD:
		if (!gk_bypassed()) {
			if (gk_policy_wants_app() || gk_learning())
				gk_app_enter();
			return 0;
		}
		strscpy_pad(name, attr->prog_name, sizeof(name));
		d.prog_name = name;
		d.prog_type = attr->prog_type;
		d.attach_type = attr->expected_attach_type;
		d.reason = GK_BYPASSED_REASON;
		d.fix = GK_BYPASSED_FIX;
		return gk_conclude(&d, GK_POLICY_DENY);
	case BPF_LINK_CREATE:
	case BPF_RAW_TRACEPOINT_OPEN:
		prog = gk_attach_refusal(cmd, attr, why, sizeof(why));
		if (!prog)
			return 0;
		ret = gk_refuse(prog, why);
		bpf_prog_put(prog);
		return ret;
	default:
		return 0;
	}
}

__bpf_kfunc_start_defs();

__bpf_kfunc int gk_kf_bpf_enter(int cmd, union bpf_attr *attr)
{
	return gk_enter(cmd, attr);
}

__bpf_kfunc int gk_kf_prog_fd(struct bpf_prog *prog)
{
	return gk_fd_decide(prog);
}

#if GK_HOOK == GK_HOOK_FD
__bpf_kfunc int gk_kf_prog_alloc(struct bpf_prog_aux *aux)
{
	return gk_bind_alloc(aux);
}

__bpf_kfunc void gk_kf_prog_free(struct bpf_prog_aux *aux)
{
	gk_bind_free(aux);
}
#else
__bpf_kfunc int gk_kf_prog_load(struct bpf_prog *prog, union bpf_attr *attr,
				int origin)
{
	u8 digest[GK_DIGEST_SIZE];

	if (origin < GK_ORIGIN_USER || origin > GK_ORIGIN_UNKNOWN)
		return -EPERM;
	gk_digest_of(prog, attr, digest);
	return gk_decide(prog, digest, origin);
}
#endif

__bpf_kfunc_end_defs();

GK_KFUNCS_START(gk_kfunc_ids)
BTF_ID_FLAGS(func, gk_kf_bpf_enter, KF_SLEEPABLE | GK_KF_FLAGS)
BTF_ID_FLAGS(func, gk_kf_prog_fd, GK_KF_FLAGS)
#if GK_HOOK == GK_HOOK_FD
BTF_ID_FLAGS(func, gk_kf_prog_alloc)
BTF_ID_FLAGS(func, gk_kf_prog_free)
#else
BTF_ID_FLAGS(func, gk_kf_prog_load, GK_KF_FLAGS)
#endif
GK_KFUNCS_END(gk_kfunc_ids)

/*
 * Only the gate's own programs may call its kfuncs: they are verified
 * while the gate arms, in the arming task.  Any other program calling one
 * fails verification.
 */
static int __maybe_unused gk_kfunc_filter(const struct bpf_prog *prog, u32 kfunc_id)
{
	return gk_arming_here() ? 0 : -EACCES;
}

static const struct btf_kfunc_id_set gk_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &gk_kfunc_ids,
	GK_KFUNC_FILTER(gk_kfunc_filter)
};

/* Context: module init.  Return: 0 or -errno from the BTF registry. */
int gk_kfuncs_register(void)
{
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_LSM, &gk_kfunc_set);
}
