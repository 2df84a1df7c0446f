// SPDX-License-Identifier: GPL-2.0
/*
 * Arming: load the BPF LSM half from its light skeleton, attach it, keep
 * only kernel references to the links (no fd, so userspace cannot detach
 * the gate), and prove with a self-test load that the gate is consulted.
 * A gate that could not arm stays failed and says so.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/delay.h>
#include <linux/filter.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include "gatekeeper.h"

/* libbpf's skel_internal.h still calls strncpy(), which 7.3 removed. */
#define strncpy(dst, src, n) strscpy_pad(dst, src, n)
#if GK_HOOK == GK_HOOK_FD
#include "gate_fd.lskel.h"
#elif GK_HOOK == GK_HOOK_LOAD
#include "gate_load.lskel.h"
#else
#include "gate_load_k.lskel.h"
#endif
#undef strncpy

#define GK_MAX_LINKS 5
#define GK_NO_BPF_LSM \
	"self-test load did not reach the gate: is \"bpf\" in the lsm= boot parameter?"

static DEFINE_MUTEX(gk_arm_lock);	/* protects everything below */
static enum gk_arm_state gk_state = GK_ARMING;
static char gk_error[160];
static struct bpf_link *gk_links[GK_MAX_LINKS];
static unsigned int gk_nlinks;
/* The gate's programs, only ever compared, never dereferenced. */
static const struct bpf_prog *gk_gate_progs[GK_MAX_LINKS];

/**
 * gk_is_gate_prog() - is this one of the gate's own programs
 * @prog: a program
 *
 * Context: any.
 */
bool gk_is_gate_prog(const struct bpf_prog *prog)
{
	unsigned int i;

	for (i = 0; i < GK_MAX_LINKS; i++)
		if (READ_ONCE(gk_gate_progs[i]) == prog)
			return true;
	return false;
}

enum gk_arm_state gk_arm_state(void)
{
	return READ_ONCE(gk_state);
}

/* Context: gk_arm_state() == GK_ARM_FAILED, after which it never changes. */
const char *gk_arm_error(void)
{
	return gk_error;
}

const char *gk_hook_name(void)
{
	switch (GK_HOOK) {
	case GK_HOOK_FD:
		return "bpf_prog (fd creation) bound by kprobe on bpf_check";
	case GK_HOOK_LOAD:
		return "bpf_prog_load";
	default:
		return "bpf_prog_load (with kernel flag)";
	}
}

/* Context: gk_arm_lock held. */
static void gk_put_links(void)
{
	while (gk_nlinks) {
		WRITE_ONCE(gk_gate_progs[--gk_nlinks], NULL);
		bpf_link_put(gk_links[gk_nlinks]);
	}
}

/* Context: gk_arm_lock held. */
static void gk_detach(void)
{
	gk_put_links();
	gk_bind_exit();
}

/*
 * Load a trivial unsigned program from kernel context and check that the
 * gate saw it and refused it.  This catches a kernel booted without "bpf"
 * in lsm=, where attaching succeeds but the hooks are never called.
 */
static int gk_selftest(void)
{
	struct bpf_insn insns[] = {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};
	static const char license[] = "GPL";
	union bpf_attr attr = {};
	bool consulted;
	int fd;

	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (unsigned long)insns;
	attr.insn_cnt = ARRAY_SIZE(insns);
	attr.license = (unsigned long)license;
	strscpy(attr.prog_name, "gk_selftest", sizeof(attr.prog_name));

	gk_selftest_begin();
	fd = skel_sys_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	consulted = gk_selftest_consulted();
	if (fd >= 0)
		close_fd(fd);
	if (!consulted)
		return -ENOTRECOVERABLE;
	return fd == -EPERM ? 0 : -EBADE;
}

static void gk_fail(const char *what, int err)
{
	snprintf(gk_error, sizeof(gk_error), "%s (error %d)", what, err);
	WRITE_ONCE(gk_state, GK_ARM_FAILED);
	pr_crit("GATE NOT ARMED: %s; BPF program loads are NOT being checked\n",
		gk_error);
}

/**
 * gk_arm() - attach the gate
 *
 * Called once, when the module goes live (kfuncs of a module are usable
 * from BPF only from then on).  Failure cannot fail insmod any more; it is
 * sticky and reported in status, in dmesg and by gkctl status.
 *
 * Context: process context (module notifier); takes gk_arm_lock.
 * Return: 0 or -errno (also recorded for status).
 */
int gk_arm(void)
{
	struct gate_bpf *skel;
	int *fds, i, n, err;

	BUILD_BUG_ON(sizeof(skel->links) > ARRAY_SIZE(gk_links) * sizeof(int));

	mutex_lock(&gk_arm_lock);
	err = gk_bind_init();
	if (err) {
		gk_fail("cannot register the kprobe on bpf_check", err);
		goto out_unlock;
	}
	skel = gate_bpf__open();
	if (!skel) {
		err = -ENOMEM;
		gk_fail("cannot allocate the BPF skeleton", err);
		goto out_unbind;
	}
	err = gate_bpf__load(skel);
	if (err) {
		gk_fail("cannot load the BPF LSM programs (module BTF missing? CONFIG_BPF_LSM?)",
			err);
		goto out_destroy;
	}
	err = gate_bpf__attach(skel);
	if (err) {
		gk_fail("cannot attach the BPF LSM programs", err);
		goto out_destroy;
	}
	fds = (int *)&skel->links;
	n = sizeof(skel->links) / sizeof(int);
	for (i = 0; i < n; i++) {
		struct bpf_link *link = bpf_link_get_from_fd(fds[i]);

		if (IS_ERR(link)) {
			err = PTR_ERR(link);
			gk_fail("cannot take a reference to a gate link", err);
			goto out_links;
		}
		WRITE_ONCE(gk_gate_progs[gk_nlinks], link->prog);
		gk_links[gk_nlinks++] = link;
	}
	gate_bpf__destroy(skel);
	gk_bind_start();

	err = gk_selftest();
	if (err) {
		gk_fail(err == -ENOTRECOVERABLE ? GK_NO_BPF_LSM :
			"self-test load of an unsigned program was not refused", err);
		gk_detach();
		goto out_unlock;
	}
	WRITE_ONCE(gk_state, GK_ARMED);
	pr_info("armed: hook %s, mode %s\n", gk_hook_name(),
		gk_mode == GK_MODE_AUDIT ? "audit" : "enforce");
	mutex_unlock(&gk_arm_lock);
	return 0;

out_links:
	gk_put_links();
out_destroy:
	gate_bpf__destroy(skel);
out_unbind:
	gk_bind_exit();
out_unlock:
	mutex_unlock(&gk_arm_lock);
	return err;
}

/**
 * gk_disarm() - detach the gate at the operator's request
 *
 * Context: process context; takes gk_arm_lock.
 * Return: 0, -EPERM if locked, or -ENOTCONN if the gate is not armed.
 */
int gk_disarm(void)
{
	int err = 0;

	mutex_lock(&gk_arm_lock);
	if (gk_locked()) {
		err = -EPERM;
	} else if (gk_state != GK_ARMED) {
		err = -ENOTCONN;
	} else {
		gk_detach();
		WRITE_ONCE(gk_state, GK_DISARMED);
		pr_notice("disarmed by %s (pid %d): BPF program loads are no longer checked\n",
			  current->comm, task_tgid_nr(current));
	}
	mutex_unlock(&gk_arm_lock);
	return err;
}

/*
 * Module exit.  Normally the gate is disarmed first (the programs pin the
 * module).  A forced unload (rmmod -f) gets here while armed: detach, then
 * wait until no program is running the module's code and every program has
 * dropped its module reference, or module_put() would touch freed memory.
 */
void gk_arm_exit(void)
{
	int i;

	mutex_lock(&gk_arm_lock);
	if (gk_state == GK_ARMED) {
		gk_detach();
		WRITE_ONCE(gk_state, GK_DISARMED);
	}
	mutex_unlock(&gk_arm_lock);

	synchronize_rcu_tasks_trace();
	synchronize_rcu();
	for (i = 0; module_refcount(THIS_MODULE) > 0; i++) {
		if (i == 500) {
			pr_crit("forced unload: gate programs still hold %d module references; expect a crash\n",
				module_refcount(THIS_MODULE));
			break;
		}
		rcu_barrier();
		msleep(20);
	}
}
