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
#include "gatekeeper.h"

static atomic64_t gk_allowed, gk_denied, gk_audited;

/* The arming self-test's own probe load: refused, never counted or logged. */
static struct task_struct *gk_selftest_task;
static bool gk_selftest_seen;

void gk_stats_read(struct gk_stats *s)
{
	s->allowed = atomic64_read(&gk_allowed);
	s->denied = atomic64_read(&gk_denied);
	s->audited = atomic64_read(&gk_audited);
}

void gk_selftest_begin(void)
{
	WRITE_ONCE(gk_selftest_seen, false);
	WRITE_ONCE(gk_selftest_task, current);
}

/* Return: whether the gate was consulted since gk_selftest_begin(). */
bool gk_selftest_consulted(void)
{
	WRITE_ONCE(gk_selftest_task, NULL);
	return READ_ONCE(gk_selftest_seen);
}

static const char *const gk_origin_names[] = {
	[GK_ORIGIN_USER] = "user",
	[GK_ORIGIN_KERNEL] = "kernel",
	[GK_ORIGIN_UNKNOWN] = "unknown",
};

/**
 * gk_decide() - admit or refuse one program load
 * @prog: the program being loaded
 * @digest: its digest, or NULL if it could not be bound to one
 * @origin: GK_ORIGIN_*; loads from kernel context are treated exactly like
 *          loads from userspace (docs/design.md, "Kernel-context loads")
 *
 * Context: BPF LSM program (RCU read side), or a spinlock held; no sleeping.
 * Return: 0 to admit, -EPERM to refuse.
 */
int gk_decide(const struct bpf_prog *prog, const u8 *digest, int origin)
{
	const struct gk_entry *e = NULL;
	const char *reason = NULL;
	bool audit;

	if (READ_ONCE(gk_selftest_task) == current) {
		WRITE_ONCE(gk_selftest_seen, true);
		return -EPERM;
	}

	rcu_read_lock();
	if (digest)
		e = gk_store_find(digest);
	if (!digest)
		reason = "no instruction digest (kprobe on bpf_check missing)";
	else if (!e)
		reason = "no registered signature";
	else if (e->flags & GK_MANIFEST_CONFIDENTIAL)
		reason = "confidential program and no TEE attestation";
	rcu_read_unlock();

	if (!reason) {
		atomic64_inc(&gk_allowed);
		return 0;
	}

	audit = READ_ONCE(gk_mode) == GK_MODE_AUDIT;
	pr_notice_ratelimited("%s prog=%s type=%u digest=%*phN origin=%s comm=%s pid=%d reason=\"%s\"\n",
			      audit ? "audit-deny" : "deny", prog->aux->name,
			      prog->type, digest ? GK_DIGEST_SIZE : 0,
			      digest ? digest : (const u8 *)"", gk_origin_names[origin],
			      current->comm, task_tgid_nr(current), reason);
	if (audit) {
		atomic64_inc(&gk_audited);
		return 0;
	}
	atomic64_inc(&gk_denied);
	return -EPERM;
}

__bpf_kfunc_start_defs();

#if GK_HOOK == GK_HOOK_FD
__bpf_kfunc int gk_kf_prog_alloc(struct bpf_prog_aux *aux)
{
	return gk_bind_alloc(aux);
}

__bpf_kfunc int gk_kf_prog_fd(struct bpf_prog *prog)
{
	return gk_bind_decide(prog);
}

__bpf_kfunc void gk_kf_prog_free(struct bpf_prog_aux *aux)
{
	gk_bind_free(aux);
}
#else
__bpf_kfunc int gk_kf_prog_load(struct bpf_prog *prog, union bpf_attr *attr,
				int origin)
{
	struct gk_prog_desc desc = {
		.prog_type = prog->type,
		.expected_attach_type = prog->expected_attach_type,
		.prog_flags = attr->prog_flags,
		.insns = prog->insnsi,
		.insn_cnt = prog->len,
	};
	u8 digest[GK_DIGEST_SIZE];

	if (origin < GK_ORIGIN_USER || origin > GK_ORIGIN_UNKNOWN)
		return -EPERM;
	gk_prog_digest(&desc, digest);
	return gk_decide(prog, digest, origin);
}
#endif

__bpf_kfunc_end_defs();

GK_KFUNCS_START(gk_kfunc_ids)
#if GK_HOOK == GK_HOOK_FD
BTF_ID_FLAGS(func, gk_kf_prog_alloc)
BTF_ID_FLAGS(func, gk_kf_prog_fd)
BTF_ID_FLAGS(func, gk_kf_prog_free)
#else
BTF_ID_FLAGS(func, gk_kf_prog_load, GK_KF_FLAGS)
#endif
GK_KFUNCS_END(gk_kfunc_ids)

static const struct btf_kfunc_id_set gk_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &gk_kfunc_ids,
};

/* Context: module init.  Return: 0 or -errno from the BTF registry. */
int gk_kfuncs_register(void)
{
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_LSM, &gk_kfunc_set);
}
