// SPDX-License-Identifier: GPL-2.0
/*
 * The decision, and the kfuncs through which the BPF half of the gate
 * reaches it.  Everything here runs inside the BPF LSM program: no sleeping,
 * RCU read side held by the BPF trampoline.
 *
 * A decision is a sequence of checks (gk_decide()), the first of which
 * that finds something gives the reason; what each reason says, and what
 * would fix it, is in one table (gk_reasons[]).
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
#include "inventory.h"
#include "keyring.h"
#include "learn.h"
#include "measure.h"
#include "probes.h"
#include "rodata.h"
#include "store.h"
#include "target.h"
#include "compat.h"
#include "gk_format.h"
#include "gk_policy.h"
#include "gk_mlog_format.h"
#include "gk_probes.h"

/* Room for a reason built at run time (target.c, rodata.c, the probe catalogue). */
#define GK_REASON_MAX 320

static atomic64_t gk_allowed, gk_denied, gk_audited;

void gk_stats_read(struct gk_stats *s)
{
	s->allowed = atomic64_read(&gk_allowed);
	s->denied = atomic64_read(&gk_denied);
	s->audited = atomic64_read(&gk_audited);
}

/*
 * Why a load was admitted or refused: what a check of gk_decide() found,
 * in the order they look, then the refusals at a program's fd: aimed at the
 * gate, away from the attach target its manifest binds, or with other maps
 * or read-only data than it binds.
 */
enum gk_reason {
	GK_R_NONE = 0,		/* the check found nothing: on to the next */
	GK_R_NO_DIGEST,
	GK_R_BYPASSED,
	GK_R_REVOKED,
	GK_R_ATTEST_EXPIRED,
	GK_R_ATTEST_REJECTED,
	GK_R_NO_ATTEST,
	GK_R_PROBE,
	GK_R_RULE,
	GK_R_SIGNED,
	GK_R_UNSIGNED,
	GK_R_KEY_GONE,
	GK_R_KEY_REVOKED,
	GK_R_KEYRING_CHANGED,
	GK_R_UNRECORDED,
	GK_R_TARGET,
	GK_R_ATTACH,
	GK_R_DATA,
	GK_R_BINDING,
	GK_R_UNMEASURED,
	GK_R_COUNT
};

/*
 * What each reason stands for, and says in the decision log, the kernel
 * log and the audit record (the tests look for these words), with what
 * would admit the program.  A NULL reason is given at run time: the
 * matching rule's (with the rule's action) or target.c's; the probe's
 * names its catalogue entry.
 */
static const struct gk_reason_text {
	u8 action;		/* GK_POLICY_* */
	const char *reason;
	const char *fix;	/* for a refusal */
} gk_reasons[GK_R_COUNT] = {
	[GK_R_NO_DIGEST] = {
		.action = GK_POLICY_DENY,
		.reason = "no instruction digest (kprobe on bpf_check missing)",
		.fix = "enable kprobes: 6.1 binds a program to its digest with one",
	},
	[GK_R_BYPASSED] = {
		.action = GK_POLICY_DENY,
		.reason = "the gate was cut out by another BPF program (gkctl status): every load is refused until reboot",
		.fix = "reboot; bpftool prog show names programs aimed at the gate",
	},
	[GK_R_REVOKED] = {
		.action = GK_POLICY_DENY,
		.reason = "its digest is revoked by the policy",
		.fix = "none: the signed policy's revocation list names it (gkctl policy show)",
	},
	[GK_R_ATTEST_EXPIRED] = {
		.action = GK_POLICY_DENY,
		.reason = "confidential program: TEE attestation expired",
		.fix = "present a fresh attestation result (gkctl attest)",
	},
	[GK_R_ATTEST_REJECTED] = {
		.action = GK_POLICY_DENY,
		.reason = "confidential program: TEE attestation rejected",
		.fix = "present a fresh attestation result (gkctl attest)",
	},
	[GK_R_NO_ATTEST] = {
		.action = GK_POLICY_DENY,
		.reason = "confidential program: no TEE attestation",
		.fix = "present a fresh attestation result (gkctl attest)",
	},
	[GK_R_PROBE] = {
		.action = GK_POLICY_ALLOW,
		.reason = "loader probe %s (catalogue)",
	},
	[GK_R_RULE] = {
		.fix = "see the rule in gkctl policy show",
	},
	[GK_R_SIGNED] = {
		.action = GK_POLICY_ALLOW,
		.reason = "registered signature",
	},
	[GK_R_UNSIGNED] = {
		.action = GK_POLICY_DENY,
		.reason = "no registered signature",
		.fix = "learn it (gkctl learn -o REQ -- LOADER), sign it (gk-sign --request REQ), register it (gkctl sig add)",
	},
	[GK_R_KEY_GONE] = {
		.action = GK_POLICY_DENY,
		.reason = "the key that vouched for its signature is no longer in the .gatekeeper keyring",
		.fix = "add the key again (gkctl key add), or have it signed by a key in the keyring",
	},
	[GK_R_KEY_REVOKED] = {
		.action = GK_POLICY_DENY,
		.reason = "the key that vouched for its signature is revoked by the policy",
		.fix = "have it signed by a key the policy does not revoke",
	},
	[GK_R_KEYRING_CHANGED] = {
		.action = GK_POLICY_DENY,
		.reason = "the .gatekeeper keyring changed during the load",
		.fix = "retry the load",
	},
	[GK_R_UNRECORDED] = {
		.action = GK_POLICY_DENY,
		.reason = "its admission cannot be recorded: the inventory is full or out of memory",
		.fix = "retry the load; unload programs no longer used (gkctl prog list)",
	},
	[GK_R_TARGET] = {
		.action = GK_POLICY_DENY,
		.fix = "none: no signature admits it (fentry and fexit may watch the decision path)",
	},
	[GK_R_ATTACH] = {
		.action = GK_POLICY_DENY,
		.fix = "aim it where its publisher signed it, or have it signed for this target (gk-sign --attach)",
	},
	[GK_R_DATA] = {
		.action = GK_POLICY_DENY,
		.fix = "load it with the read-only data its publisher signed, or have this configuration signed (gk-sign --set, or gkctl learn)",
	},
	[GK_R_BINDING] = {
		.action = GK_POLICY_DENY,
		.fix = "load it again: the log above says why its first fd was refused",
	},
	[GK_R_UNMEASURED] = {
		.action = GK_POLICY_DENY,
		.reason = NULL,
		.fix = "see why the TPM refused the extend (dmesg; gkctl status), or run without a TPM (module parameter tpm=off)",
	},
};

/* Give @d the reason @r and its fix.  Return: the action @r stands for. */
static u8 gk_give_reason(struct gk_decision *d, enum gk_reason r)
{
	d->reason = gk_reasons[r].reason;
	d->fix = gk_reasons[r].fix;
	return gk_reasons[r].action;
}

/* What a decision comes to; only gk_deny refuses. */
static const char gk_allow[] = "allow", gk_audit[] = "audit",
		  gk_audit_deny[] = "audit-deny", gk_deny[] = "deny";

/* Apply the mode to @action.  Context: any; does not sleep. */
static void gk_settle(struct gk_decision *d, u8 action)
{
	switch (action) {
	case GK_POLICY_ALLOW:
		d->action = gk_allow;
		d->fix = NULL;
		break;
	case GK_POLICY_AUDIT:
		d->action = gk_audit;
		d->fix = NULL;
		d->record = true;
		break;
	default:
		d->record = true;
		d->action = READ_ONCE(gk_mode) == GK_MODE_AUDIT ? gk_audit_deny : gk_deny;
	}
}

/*
 * Count and log a settled decision.
 * Context: any; does not sleep.  Return: 0 to admit, -EPERM to refuse.
 */
static int gk_record(const struct gk_decision *d)
{
	if (d->action == gk_allow)
		atomic64_inc(&gk_allowed);
	else if (d->action == gk_deny)
		atomic64_inc(&gk_denied);
	else
		atomic64_inc(&gk_audited);
	gk_log_decision(d);
	return d->action == gk_deny ? -EPERM : 0;
}

static int gk_conclude(struct gk_decision *d, u8 action)
{
	gk_settle(d, action);
	return gk_record(d);
}

/* What a decision about @prog starts from. */
#define GK_DECISION_OF(prog, dig, orig) {				\
	.prog_name = (prog)->aux->name,					\
	.prog_type = (prog)->type,					\
	.attach_type = (prog)->expected_attach_type,			\
	.digest = (dig),						\
	.origin = (orig),						\
}

/* A program refused at its fd for @r (GK_R_TARGET, _ATTACH, _DATA, _BINDING), as @reason says. */
static int gk_refuse(const struct bpf_prog *prog, enum gk_reason r, const char *reason)
{
	struct gk_decision d = GK_DECISION_OF(prog, NULL, GK_ORIGIN_UNKNOWN);
	u8 action = gk_give_reason(&d, r);

	d.reason = reason;
	return gk_conclude(&d, action);
}

/* What the checks of one decision go by. */
struct gk_load {
	const u8 *digest;		/* NULL: none was bound */
	const struct gk_entry *entry;	/* its registered manifest, or NULL */
	enum gk_reason unvouched;	/* a manifest whose key left, or GK_R_NONE */
	const struct gk_probe *probe;	/* its catalogue entry, or NULL */
	struct gk_attestation att;
	int att_err;			/* 0: @att is fresh, its verifier declared */
	struct gk_eval_input in;	/* what the policy is asked */
	struct gk_verdict rule;		/* what it answered */
};

/*
 * The registered manifest, and what the policy and the record learn from
 * it.  Context: rcu_read_lock() held, which keeps the entry and the name.
 */
static void gk_load_manifest(struct gk_load *l, struct gk_decision *d)
{
	const struct gk_entry *e = l->digest ? gk_store_find(l->digest) : NULL;
	int linked = e ? gk_key_linked(e->signer) : 1;

	/* A manifest admits only while the key that vouched for it is trusted. */
	if (linked <= 0) {
		l->unvouched = linked ? GK_R_KEYRING_CHANGED : GK_R_KEY_GONE;
		e = NULL;
	} else if (e && gk_policy_revokes(NULL, e->signer)) {
		l->unvouched = GK_R_KEY_REVOKED;
		e = NULL;
	}
	l->entry = e;
	if (!e)
		return;
	l->in.is_signed = true;
	l->in.signer_key = e->signer;
	l->in.source = e->source;
	l->in.source_len = strlen(e->source);
	l->in.confidential = e->flags & GK_MANIFEST_CONFIDENTIAL;
	l->in.maps_bound = e->maps_bound;
	d->publisher = gk_policy_publisher_name(e->signer);
	d->source = e->source;
}

/* The attestation in force.  Context: rcu_read_lock() held. */
static void gk_load_attestation(struct gk_load *l)
{
	l->att_err = gk_attest_in_force(&l->att);
	if (!l->att_err)
		l->in.attestation_key = l->att.verifier;
}

/*
 * The catalogue entry, looked up whatever decides: a probe refused (the
 * gate cut out) is no program to learn.  Context: rcu_read_lock() held.
 */
static void gk_load_probe(struct gk_load *l)
{
	if (l->digest && !l->entry && !gk_policy_refuses_probes())
		l->probe = gk_probe_find(l->digest);
}

/* Without a digest there is nothing to check a signature or a rule on. */
static enum gk_reason gk_check_digest(const struct gk_load *l)
{
	return l->digest ? GK_R_NONE : GK_R_NO_DIGEST;
}

/* A gate that was cut out admits nothing until reboot. */
static enum gk_reason gk_check_gate(void)
{
	return gk_bypassed() ? GK_R_BYPASSED : GK_R_NONE;
}

/*
 * A digest on the policy's revocation list is refused, whatever signs it
 * and whatever a rule or the catalogue says.  Context: rcu_read_lock() held.
 */
static enum gk_reason gk_check_revoked(const struct gk_load *l)
{
	return gk_policy_revokes(l->digest, NULL) ? GK_R_REVOKED : GK_R_NONE;
}

/* A confidential program needs a fresh attestation, whatever the policy says. */
static enum gk_reason gk_check_attestation(const struct gk_load *l)
{
	if (!l->in.confidential || !l->att_err)
		return GK_R_NONE;
	switch (l->att_err) {
	case -ETIME:
		return GK_R_ATTEST_EXPIRED;
	case -EKEYREJECTED:
		return GK_R_ATTEST_REJECTED;
	default:
		return GK_R_NO_ATTEST;
	}
}

/*
 * A manifest whose key left the keyring or is revoked by the policy refuses
 * its program, whatever a rule says of unsigned ones.
 */
static enum gk_reason gk_check_vouched(const struct gk_load *l)
{
	return l->unvouched;
}

/* An unsigned loader probe of the trusted catalogue is admitted. */
static enum gk_reason gk_check_probe(const struct gk_load *l)
{
	return l->probe ? GK_R_PROBE : GK_R_NONE;
}

/*
 * An active policy decides by its first matching rule, or its default.
 * Context: rcu_read_lock() held.
 */
static enum gk_reason gk_check_rule(struct gk_load *l)
{
	return gk_policy_eval_active(&l->in, &l->rule) ? GK_R_RULE : GK_R_NONE;
}

/* Without one, a registered signature is what admits. */
static enum gk_reason gk_check_signature(const struct gk_load *l)
{
	return l->entry ? GK_R_SIGNED : GK_R_UNSIGNED;
}

/*
 * Give @d the reason @r (the rule's, the probe's in @buf) and its fix.
 * Return: the action it stands for.
 */
static u8 gk_explain(struct gk_decision *d, const struct gk_load *l,
		     enum gk_reason r, char *buf, size_t size)
{
	u8 action = gk_give_reason(d, r);

	switch (r) {
	case GK_R_PROBE:
		snprintf(buf, size, gk_reasons[r].reason, l->probe->id);
		d->reason = buf;
		d->probe = l->probe->id;
		break;
	case GK_R_RULE:
		d->rule = l->rule.rule;
		d->reason = l->rule.reason;
		action = l->rule.action;
		break;
	default:
		break;
	}
	return action;
}

/**
 * gk_decide() - admit or refuse one program load
 * @prog: the program being loaded
 * @digest: its digest, or NULL if it could not be bound to one
 * @origin: GK_ORIGIN_*; loads from kernel context are treated exactly like
 *          loads from userspace (docs/design.md, "Kernel-context loads")
 *
 * The checks run in order and the first that finds something decides.
 * Fail closed: no digest, a gate that was cut out (gk_bypassed()), a
 * digest the policy revokes, a confidential program without a fresh TEE
 * attestation, or a manifest whose key left the keyring or is revoked is
 * denied whatever the policy's rules say; the policy may require more (a
 * rule's "verifier" condition).  An unsigned loader probe of the trusted catalogue is
 * admitted, unless the policy declares "probes refused".  Otherwise, with
 * a policy, its first matching rule (or default action) decides; without
 * one, a registered signature is what admits.  Where the program may be
 * attached, and with which maps it runs, is decided at fd creation
 * (gk_fd_decide()), from the binding of its manifest noted here.
 *
 * Context: BPF LSM program (RCU read side), or a spinlock held; no sleeping.
 * Return: 0 to admit, -EPERM to refuse.
 */
int gk_decide(const struct bpf_prog *prog, const u8 *digest, int origin)
{
	struct gk_decision d = GK_DECISION_OF(prog, digest, origin);
	struct gk_load l = {
		.digest = digest,
		.in.prog_type = prog->type,
		.in.attach_type = prog->expected_attach_type,
	};
	char why[GK_REASON_MAX];
	enum gk_reason reason;
	struct gk_app *app;
	int ret;

	if (gk_selftest_reached())
		return -EPERM;

	app = gk_app_take();
	d.app = app;
	if (app) {
		l.in.app = app->path;
		l.in.app_len = app->path_len;
		l.in.app_sha256 = app->has_digest ? app->digest : NULL;
	}

	rcu_read_lock();
	gk_load_manifest(&l, &d);
	gk_load_attestation(&l);
	gk_load_probe(&l);
	reason = gk_check_digest(&l) ?:
		 gk_check_gate() ?:
		 gk_check_revoked(&l) ?:
		 gk_check_attestation(&l) ?:
		 gk_check_vouched(&l) ?:
		 gk_check_probe(&l) ?:
		 gk_check_rule(&l) ?:
		 gk_check_signature(&l);
	gk_settle(&d, gk_explain(&d, &l, reason, why, sizeof(why)));
	/* The inventory carries the binding to the fd (gk_fd_decide()). */
	if (d.action != gk_deny &&
	    gk_inventory_note(prog, &d, l.entry))
		gk_settle(&d, gk_give_reason(&d, GK_R_UNRECORDED));
	ret = gk_record(&d);
	gk_learn_seen(prog, d.record && digest && !l.entry && !l.probe ? digest : NULL, app);
	rcu_read_unlock();
	kfree(app);
	return ret;
}

/*
 * A program whose manifest binds its attach target is refused if it is
 * aimed elsewhere.  Context: BPF LSM program, no sleeping.
 * Return: 0 or -EPERM.
 */
static int gk_check_attach(const struct bpf_prog *prog, const struct gk_binding *b)
{
	char aimed[GK_ATTACH_MAX + 1], why[GK_REASON_MAX];

	if (!*b->attach)
		return 0;
	if (!gk_target_name(prog, aimed, sizeof(aimed)))
		strscpy(aimed, "a target no manifest can bind", sizeof(aimed));
	else if (!strcmp(aimed, b->attach))
		return 0;
	snprintf(why, sizeof(why), "aimed at %s, signed for %s", aimed, b->attach);
	return gk_refuse(prog, GK_R_ATTACH, why);
}

/*
 * A program whose manifest binds its maps is refused if the verifier
 * resolved others, or read-only data other than signed.
 * Context: BPF LSM program, no sleeping.  Return: 0 or -EPERM.
 */
static int gk_check_maps(const struct bpf_prog *prog, const struct gk_binding *b)
{
	char why[GK_REASON_MAX];

	if (!gk_maps_refusal(prog, b, why, sizeof(why)))
		return 0;
	return gk_refuse(prog, GK_R_DATA, why);
}

/*
 * What a program's manifest binds beyond its digest is checked at its
 * first fd, once the verifier resolved the target and the maps.
 * Context: BPF LSM program, no sleeping.  Return: 0 or -EPERM.
 */
static int gk_check_binding(const struct bpf_prog *prog)
{
	enum gk_binding_state state;
	struct gk_binding *b = gk_inventory_take_binding(prog->aux, &state);
	int ret;

	if (!b) {
		/* Another fd checks it, or was refused: this one gets no more. */
		if (state == GK_BINDING_CHECKING)
			return gk_refuse(prog, GK_R_BINDING, "its binding is being checked for another fd");
		if (state == GK_BINDING_BROKEN)
			return gk_refuse(prog, GK_R_BINDING, "its binding was refused at an earlier fd");
		return 0;
	}
	ret = gk_check_attach(prog, b) ?: gk_check_maps(prog, b);
	gk_inventory_binding_checked(prog->aux, !ret);
	kfree(b);
	return ret;
}

/*
 * An extension or tracing program whose manifest binds the BPF program it
 * aims at may be attached to another only if that one is the same: the
 * same function of a program admitted under the same digest.
 * Context: bpf() entry (sleepable BPF LSM program).  Return: 0 or -EPERM.
 */
static int gk_check_retarget(const union bpf_attr *attr)
{
	char bound[GK_ATTACH_MAX + 1], aimed[GK_ATTACH_MAX + 1], why[GK_REASON_MAX];
	struct bpf_prog *prog = gk_retarget_name(attr, aimed, sizeof(aimed));
	int ret = 0;

	if (!prog)
		return 0;
	if (gk_inventory_attach(prog->aux, bound, sizeof(bound)) && strcmp(aimed, bound)) {
		snprintf(why, sizeof(why), "attached to %s, signed for %s",
			 *aimed ? aimed : "a program the gate did not admit", bound);
		ret = gk_refuse(prog, GK_R_ATTACH, why);
	}
	bpf_prog_put(prog);
	return ret;
}

/*
 * Measure a program's first admission in a given way, from what the
 * inventory noted, before its fd exists.  A program the gate noted no
 * admission for was not admitted by it: it predates the gate (an fd made by
 * id), or is the gate's own (part of the module); the gate refuses the
 * loads it cannot note (gk_inventory_note()).  Once measured, the
 * program's later fds skip this (gk_inventory_measured()).
 * Context: sleepable BPF LSM program.  Return: 0, or gk_measure()'s errors.
 */
static int gk_measure_admission(const struct bpf_prog *prog)
{
	char name[KSYM_NAME_LEN];
	struct gk_admission a;
	int err;

	if (gk_is_gate_prog(prog) || !gk_inventory_admission(prog->aux, &a))
		return 0;
	if (!gk_prog_btf_name(prog, name, sizeof(name)))
		strscpy(name, prog->aux->name, sizeof(name));
	err = gk_measure_once(GK_MLOG_ADMIT, a.how,
			      prog->type | (u64)prog->expected_attach_type << 32, a.digest,
			      a.has_signer ? a.signer : NULL, name, a.by);
	if (!err)
		gk_inventory_measured(prog->aux);
	return err;
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
 * The first admission of each program is measured here, before any fd
 * of it exists (measure.c).
 *
 * Context: sleepable BPF LSM program.
 * Return: 0 to admit, -EPERM to refuse.
 */
static int gk_fd_decide(const struct bpf_prog *prog)
{
	char why[GK_REASON_MAX];
	int err;

	bool aimed = gk_target_refusal(prog, why, sizeof(why));

	if (aimed && gk_refuse(prog, GK_R_TARGET, why))
		return -EPERM;
	if (gk_bind_decide(prog, gk_decide))
		return -EPERM;
	if (gk_check_binding(prog))
		return -EPERM;
	err = gk_measure_admission(prog);
	if (err) {
		snprintf(why, sizeof(why), "its admission could not be measured (error %d)", err);
		if (gk_refuse(prog, GK_R_UNMEASURED, why))
			return -EPERM;
	}
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
			gk_keys_refresh();
			gk_inventory_reserve();
			if (gk_policy_wants_app() || gk_learning())
				gk_app_enter();
			return 0;
		}
		strscpy_pad(name, attr->prog_name, sizeof(name));
		d.prog_name = name;
		d.prog_type = attr->prog_type;
		d.attach_type = attr->expected_attach_type;
		return gk_conclude(&d, gk_give_reason(&d, GK_R_BYPASSED));
	case BPF_LINK_CREATE:
	case BPF_RAW_TRACEPOINT_OPEN:
		prog = gk_attach_refusal(cmd, attr, why, sizeof(why));
		if (!prog)
			return cmd == BPF_LINK_CREATE ? gk_check_retarget(attr) : 0;
		ret = gk_refuse(prog, GK_R_TARGET, why);
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
	gk_inventory_forget(aux);
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

/*
 * @prog: the address of a program the kernel is about to free (still whole:
 * security_bpf_prog_free() runs before bpf_prog_free()).  Only the gate's
 * programs can call this (gk_kfunc_filter()).
 */
__bpf_kfunc void gk_kf_prog_freed(u64 prog)
{
	gk_inventory_forget(((const struct bpf_prog *)(unsigned long)prog)->aux);
}
#endif

__bpf_kfunc_end_defs();

GK_KFUNCS_START(gk_kfunc_ids)
BTF_ID_FLAGS(func, gk_kf_bpf_enter, KF_SLEEPABLE | GK_KF_FLAGS)
BTF_ID_FLAGS(func, gk_kf_prog_fd, KF_SLEEPABLE | GK_KF_FLAGS)
BTF_ID_FLAGS(func, gk_attestation_state)
#if GK_HOOK == GK_HOOK_FD
BTF_ID_FLAGS(func, gk_kf_prog_alloc)
BTF_ID_FLAGS(func, gk_kf_prog_free)
#else
BTF_ID_FLAGS(func, gk_kf_prog_load, GK_KF_FLAGS)
BTF_ID_FLAGS(func, gk_kf_prog_freed)
#endif
GK_KFUNCS_END(gk_kfunc_ids)

/*
 * Only the gate's own programs may call its kfuncs: they are verified
 * while the gate arms, in the arming task.  Any other program calling one
 * fails verification.  The attestation state (attest.c) is for every LSM
 * and tracing program: the kernel keeps one kfunc set per module for
 * both, this one.
 */
BTF_ID_LIST_SINGLE(gk_attest_state_id, func, gk_attestation_state)

static int __maybe_unused gk_kfunc_filter(const struct bpf_prog *prog, u32 kfunc_id)
{
	if (kfunc_id == gk_attest_state_id[0])
		return 0;
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
