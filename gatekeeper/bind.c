// SPDX-License-Identifier: GPL-2.0
/*
 * A program's digest is taken from the kernel's own copy of its
 * instructions, before the verifier rewrites them: what was hashed is what
 * runs, whatever userspace does to its buffer meanwhile.  From 6.9 the load
 * hook sees that copy and the digest is taken there (hooks.c).
 *
 * Kernels before 6.9 have no LSM hook that sees a program's instructions
 * after the kernel copied them and before the verifier rewrites them.  The
 * decision is therefore made at fd creation (lsm/bpf_prog), on a digest
 * that a kprobe on bpf_check() took from the kernel's own copy.
 *
 * A record per program (keyed by its bpf_prog_aux, which survives the
 * verifier reallocating the program) goes PENDING at allocation, HASHED in
 * the kprobe, and ADMITTED or DENIED at the first fd.  A program without a
 * digest is denied: root can disable kprobes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/hashtable.h>
#include <linux/kprobes.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include "bind.h"
#include "gatekeeper.h"
#include "compat.h"
#include "gk_format.h"

/**
 * gk_digest_of() - the digest of a program the kernel has copied
 * @prog: the program, instructions not yet rewritten by the verifier
 * @attr: its load attributes
 * @digest: GK_DIGEST_SIZE bytes
 *
 * Context: any; does not sleep.
 */
void gk_digest_of(const struct bpf_prog *prog, const union bpf_attr *attr,
		  u8 *digest)
{
	struct gk_prog_desc desc = {
		.prog_type = prog->type,
		.expected_attach_type = prog->expected_attach_type,
		.prog_flags = attr->prog_flags,
		.insns = prog->insnsi,
		.insn_cnt = prog->len,
	};

	/* Cannot fail in the kernel: SHA-256 there needs no allocation. */
	gk_prog_digest(&desc, digest);
}

#if GK_HOOK == GK_HOOK_FD

enum gk_bind_state { GK_BIND_PENDING, GK_BIND_HASHED, GK_BIND_ADMITTED, GK_BIND_DENIED };

struct gk_bind {
	struct hlist_node node;
	const void *aux;
	const struct task_struct *loader;	/* compared, never dereferenced */
	enum gk_bind_state state;
	u8 digest[GK_DIGEST_SIZE];
};

static DEFINE_HASHTABLE(gk_binds, 8);
static DEFINE_SPINLOCK(gk_bind_lock);
static u64 gk_bind_since;	/* boot time the binding started */

/* Context: gk_bind_lock held. */
static struct gk_bind *gk_bind_find(const void *aux)
{
	struct gk_bind *b;

	hash_for_each_possible(gk_binds, b, node, (unsigned long)aux)
		if (b->aux == aux)
			return b;
	return NULL;
}

/* Context: BPF LSM program, no sleeping.  Return: 0 or -ENOMEM. */
int gk_bind_alloc(const void *aux)
{
	struct gk_bind *b = kzalloc(sizeof(*b), GFP_ATOMIC);
	unsigned long flags;

	if (!b)
		return -ENOMEM;
	b->aux = aux;
	b->loader = current;
	spin_lock_irqsave(&gk_bind_lock, flags);
	hash_add(gk_binds, &b->node, (unsigned long)aux);
	spin_unlock_irqrestore(&gk_bind_lock, flags);
	return 0;
}

/* Context: BPF LSM program or RCU callback, no sleeping. */
void gk_bind_free(const void *aux)
{
	unsigned long flags;
	struct gk_bind *b;

	spin_lock_irqsave(&gk_bind_lock, flags);
	b = gk_bind_find(aux);
	if (b)
		hash_del(&b->node);
	spin_unlock_irqrestore(&gk_bind_lock, flags);
	kfree(b);
}

/* bpf_check(struct bpf_prog **prog, union bpf_attr *attr, bpfptr_t uattr) */
static int gk_bpf_check_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct bpf_prog *prog = *(struct bpf_prog **)regs_get_kernel_argument(regs, 0);
	const union bpf_attr *attr = (void *)regs_get_kernel_argument(regs, 1);
	u8 digest[GK_DIGEST_SIZE];
	unsigned long flags;
	struct gk_bind *b;

	gk_digest_of(prog, attr, digest);
	spin_lock_irqsave(&gk_bind_lock, flags);
	b = gk_bind_find(prog->aux);
	if (b && b->state == GK_BIND_PENDING) {
		memcpy(b->digest, digest, GK_DIGEST_SIZE);
		b->state = GK_BIND_HASHED;
	}
	spin_unlock_irqrestore(&gk_bind_lock, flags);
	return 0;
}

static struct kprobe gk_bpf_check_kp = {
	.symbol_name = "bpf_check",
	.pre_handler = gk_bpf_check_pre,
};

/**
 * gk_bind_decide() - decide at fd creation for a program
 * @prog: the program an fd is being created for
 * @decide: the decision (hooks.c), taken on the program's bound digest, or
 *          on none; called with gk_bind_lock held
 *
 * The first fd of a program loaded while the gate is armed carries the
 * decision; later fds (BPF_PROG_GET_FD_BY_ID, BPF_OBJ_GET) repeat it.
 * Programs loaded before the gate was armed have no record and keep
 * working.
 *
 * Context: BPF LSM program, no sleeping.
 * Return: 0 to admit, -EPERM to refuse.
 */
int gk_bind_decide(const struct bpf_prog *prog, gk_decide_fn decide)
{
	unsigned long flags;
	struct gk_bind *b;
	int err = 0;

	spin_lock_irqsave(&gk_bind_lock, flags);
	b = gk_bind_find(prog->aux);
	if (!b) {
		/* Allocated before arming but verified after: no binding. */
		if (prog->aux->load_time >= READ_ONCE(gk_bind_since))
			err = decide(prog, NULL, GK_ORIGIN_UNKNOWN);
	} else if (b->loader != current &&
		   (b->state == GK_BIND_PENDING || b->state == GK_BIND_HASHED)) {
		/*
		 * The program is visible by id before its loader's first fd:
		 * only the loader's own fd decides, in the loader's context.
		 */
		err = -EPERM;
	} else if (b->state == GK_BIND_PENDING || b->state == GK_BIND_HASHED) {
		err = decide(prog, b->state == GK_BIND_HASHED ? b->digest : NULL,
			     GK_ORIGIN_UNKNOWN);
		b->state = err ? GK_BIND_DENIED : GK_BIND_ADMITTED;
	} else if (b->state == GK_BIND_DENIED) {
		err = -EPERM;
	}
	spin_unlock_irqrestore(&gk_bind_lock, flags);
	return err;
}

/**
 * gk_bind_init() - start binding programs to digests
 *
 * Context: process context, gate arming.
 * Return: 0 or the error of register_kprobe().
 */
int gk_bind_init(void)
{
	return register_kprobe(&gk_bpf_check_kp);
}

/*
 * Programs loaded from now on must have a binding record (the allocation
 * hook is attached).  Earlier ones, the gate's own programs included, keep
 * their fds working.
 *
 * Context: gate arming, after the BPF half is attached.
 */
void gk_bind_start(void)
{
	WRITE_ONCE(gk_bind_since, ktime_get_boottime_ns());
}

/* Context: process context, after the BPF half is detached. */
void gk_bind_exit(void)
{
	struct hlist_node *tmp;
	struct gk_bind *b;
	unsigned int bkt;

	unregister_kprobe(&gk_bpf_check_kp);
	synchronize_rcu();
	spin_lock_irq(&gk_bind_lock);
	hash_for_each_safe(gk_binds, bkt, tmp, b, node) {
		hash_del(&b->node);
		kfree(b);
	}
	spin_unlock_irq(&gk_bind_lock);
}

#else /* GK_HOOK != GK_HOOK_FD: the load hook sees the kernel copy itself. */

int gk_bind_decide(const struct bpf_prog *prog, gk_decide_fn decide)
{
	return 0;
}

int gk_bind_init(void)
{
	return 0;
}

void gk_bind_start(void)
{
}

void gk_bind_exit(void)
{
}

#endif
