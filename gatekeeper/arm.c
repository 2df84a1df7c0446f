// SPDX-License-Identifier: GPL-2.0
/*
 * Arming: load the BPF LSM half from its light skeleton, attach it, keep
 * only kernel references to the links (no fd, so userspace cannot detach
 * the gate), and prove with a self-test load that the gate is consulted.
 * A gate that could not arm stays failed and says so.
 *
 * While armed, the watch repeats that load every watch_interval seconds
 * (and whenever status is read): a program that hooks the path in front of
 * the gate would let it through.  The load must be refused; if it is
 * admitted, the gate was cut out, and it stays "bypassed", refusing every
 * load at bpf() entry, until reboot.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/delay.h>
#include <linux/filter.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include "arm.h"
#include "gatekeeper.h"
#include "active_policy.h"
#include "audit.h"
#include "bind.h"
#include "bpf_internal.h"
#include "inventory.h"
#include "measure.h"
#include "compat.h"
#include "gk_mlog_format.h"

#define GK_MAX_LINKS 5
#define GK_NO_BPF_LSM \
	"self-test load did not reach the gate: is \"bpf\" in the lsm= boot parameter? (else a BPF program hooks the load path)"

/* What the self-test load came to: a set of these. */
#define GK_SELFTEST_SEEN 1	/* the gate was consulted */
#define GK_SELFTEST_GOT_IN 2	/* an unsigned program got in */

static unsigned int gk_watch_interval = 10;
module_param_named(watch_interval, gk_watch_interval, uint, 0400);
MODULE_PARM_DESC(watch_interval,
		 "seconds between checks that no program cut the gate out (default 10; 0: only when status is read)");

/* The self-test's own probe load: refused, never counted or logged. */
static struct task_struct *gk_selftest_task;
static bool gk_selftest_seen;

static DEFINE_MUTEX(gk_arm_lock);	/* protects everything below */
static enum gk_arm_state gk_state = GK_ARMING;
static char gk_error[160];
static struct bpf_link *gk_links[GK_MAX_LINKS];
static unsigned int gk_nlinks;
/* The gate's programs, only ever compared, never dereferenced. */
static const struct bpf_prog *gk_gate_progs[GK_MAX_LINKS];

/* The task loading the gate's programs, while it does. */
static struct task_struct *gk_arm_task;

static void gk_watch_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(gk_watch_work, gk_watch_fn);

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

/**
 * gk_is_vmlinux_btf() - is this the kernel's own BTF
 * @btf: a program's attach_btf
 *
 * The gate's programs attach to LSM hooks, which are vmlinux's: theirs is
 * the kernel's BTF, which a module cannot name otherwise.
 *
 * Context: any; false while the gate is not armed.
 */
bool gk_is_vmlinux_btf(const struct btf *btf)
{
	const struct bpf_prog *own = READ_ONCE(gk_gate_progs[0]);

	return btf && own && own->aux->attach_btf == btf;
}

/* Is the caller loading the gate's own programs?  Context: any. */
bool gk_arming_here(void)
{
	return READ_ONCE(gk_arm_task) == current;
}

/* Context: any.  The error of a failed or bypassed gate is set before it. */
enum gk_arm_state gk_arm_state(void)
{
	return smp_load_acquire(&gk_state);
}

/*
 * Context: gk_arm_state() is GK_ARM_FAILED or GK_BYPASSED, after which it
 * never changes.
 */
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
	unsigned int i;

	/* The free hook goes with the links: forget what it would drop. */
	gk_inventory_close();
	while (gk_nlinks)
		bpf_link_put(gk_links[--gk_nlinks]);
	for (i = 0; i < GK_MAX_LINKS; i++)
		WRITE_ONCE(gk_gate_progs[i], NULL);
}

/*
 * Know the gate's programs from their load on, so that attaching them is
 * not taken for an attack on the gate.  The skeleton's fds, then the
 * links, keep them alive until gk_put_links() forgets them.
 *
 * Context: gk_arm_lock held.  Return: 0 or -errno.
 */
static int gk_know_progs(const struct bpf_prog_desc *progs, unsigned int n)
{
	static const struct gk_decision own = {
		.action = "allow",
		.reason = "the gate's own program",
	};
	struct bpf_prog *prog;
	unsigned int i;

	gk_inventory_open();
	for (i = 0; i < n; i++) {
		prog = bpf_prog_get_type_dev(progs[i].prog_fd, BPF_PROG_TYPE_LSM, false);
		if (IS_ERR(prog))
			return PTR_ERR(prog);
		WRITE_ONCE(gk_gate_progs[i], prog);
		gk_inventory_note(prog, &own, NULL);
		bpf_prog_put(prog);
	}
	return 0;
}

/* Context: gk_arm_lock held. */
static void gk_detach(void)
{
	cancel_delayed_work_sync(&gk_watch_work);
	gk_put_links();
	gk_bind_exit();
}

/*
 * Load a trivial unsigned program from kernel context.  A hook skipped by
 * a program returning 1 can make the kernel answer "success" without a
 * verified program (7.x returns 1, which is no fd of ours): that is
 * -EBADE, and the number is left alone.
 *
 * Return: 0 if a verified program was loaded (and closed again), -EBADE,
 * or the load's -errno.
 */
static int gk_probe_load(void)
{
	struct bpf_insn insns[] = {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};
	static const char license[] = "GPL";
	union bpf_attr attr = {};
	struct bpf_prog *prog;
	bool ours, runnable;
	int fd;

	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (unsigned long)insns;
	attr.insn_cnt = ARRAY_SIZE(insns);
	attr.license = (unsigned long)license;
	strscpy(attr.prog_name, "gk_selftest", sizeof(attr.prog_name));

	fd = skel_sys_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return fd;
	prog = bpf_prog_get_type_dev(fd, BPF_PROG_TYPE_SOCKET_FILTER, false);
	if (IS_ERR(prog))
		return -EBADE;
	ours = !strcmp(prog->aux->name, "gk_selftest");
	runnable = prog->bpf_func;
	bpf_prog_put(prog);
	if (!ours)
		return -EBADE;
	close_fd(fd);
	return runnable ? 0 : -EBADE;
}

/**
 * gk_selftest_reached() - is this load the self-test's, come to the decision
 *
 * The decision asks first: that it asked proves the gate is consulted.
 *
 * Context: the deciding hook; does not sleep.
 * Return: true if the current task runs the self-test: the load is to be
 * refused, neither counted nor logged.
 */
bool gk_selftest_reached(void)
{
	if (READ_ONCE(gk_selftest_task) != current)
		return false;
	WRITE_ONCE(gk_selftest_seen, true);
	return true;
}

static void gk_selftest_begin(void)
{
	WRITE_ONCE(gk_selftest_seen, false);
	WRITE_ONCE(gk_selftest_task, current);
}

/* Return: whether the gate was consulted since gk_selftest_begin(). */
static bool gk_selftest_consulted(void)
{
	WRITE_ONCE(gk_selftest_task, NULL);
	return READ_ONCE(gk_selftest_seen);
}

/*
 * Load the trivial program and see whether the gate saw it and refused it.
 * At arming this catches a kernel booted without "bpf" in lsm=, where
 * attaching succeeds but the hooks are never called; later, a program
 * cutting the gate out of the load path.
 *
 * Context: process context or the watch's work; not concurrently.
 */
static unsigned int gk_selftest(void)
{
	unsigned int seen;
	int err;

	gk_selftest_begin();
	err = gk_probe_load();
	seen = gk_selftest_consulted() ? GK_SELFTEST_SEEN : 0;
	return seen | (!err || err == -EBADE ? GK_SELFTEST_GOT_IN : 0);
}

/* Has a program cut the gate out?  Context: any. */
bool gk_bypassed(void)
{
	return READ_ONCE(gk_state) == GK_BYPASSED;
}

/* Every watch_interval seconds while armed: is the gate still in the path? */
static void gk_watch_fn(struct work_struct *work)
{
	if (READ_ONCE(gk_state) != GK_ARMED)
		return;
	if (gk_selftest() & GK_SELFTEST_GOT_IN) {
		snprintf(gk_error, sizeof(gk_error),
			 "an unsigned test load was admitted without the gate: a BPF program hooks the load path in front of it (bpftool prog show; bpftool link show)");
		smp_store_release(&gk_state, GK_BYPASSED);
		pr_crit("GATE BYPASSED: %s; every program load is refused from now on\n",
			gk_error);
		gk_audit_change("bypassed", gk_error);
		/* A fact, not a request: a failed measurement changes nothing. */
		gk_measure(GK_MLOG_DISARM, 0, 0, NULL, NULL, "bypassed", "watch");
		return;
	}
	if (gk_watch_interval)
		schedule_delayed_work(&gk_watch_work, gk_watch_interval * HZ);
}

/**
 * gk_watch_now() - check at once that the gate is still in the load path
 *
 * At most once a second: status is world-readable, and each check is a
 * program load.
 *
 * Context: process context; sleeps until the check is done.
 */
void gk_watch_now(void)
{
	static unsigned long last;

	if (READ_ONCE(gk_state) != GK_ARMED ||
	    (READ_ONCE(last) && time_before(jiffies, READ_ONCE(last) + HZ)))
		return;
	WRITE_ONCE(last, jiffies);
	mod_delayed_work(system_wq, &gk_watch_work, 0);
	flush_delayed_work(&gk_watch_work);
}

static void gk_fail(const char *what, int err)
{
	snprintf(gk_error, sizeof(gk_error), "%s (error %d)", what, err);
	smp_store_release(&gk_state, GK_ARM_FAILED);
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
	BUILD_BUG_ON(sizeof(skel->progs) > ARRAY_SIZE(gk_gate_progs) * sizeof(struct bpf_prog_desc));

	mutex_lock(&gk_arm_lock);
	/* Loading the skeleton through such a load path crashes 7.x. */
	err = gk_probe_load();
	if (err == -EBADE) {
		gk_fail("a BPF program hooks the load path: a test load came back without a verified program",
			err);
		goto out_unlock;
	}
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
	WRITE_ONCE(gk_arm_task, current);
	err = gate_bpf__load(skel);
	WRITE_ONCE(gk_arm_task, NULL);
	if (err) {
		gk_fail("cannot load the BPF LSM programs (module BTF missing? CONFIG_BPF_LSM?)",
			err);
		goto out_destroy;
	}
	err = gk_know_progs((const struct bpf_prog_desc *)&skel->progs,
			    sizeof(skel->progs) / sizeof(struct bpf_prog_desc));
	if (err) {
		gk_fail("cannot take a reference to a gate program", err);
		goto out_links;
	}
	err = gate_bpf__attach(skel);
	if (err) {
		gk_fail("cannot attach the BPF LSM programs", err);
		goto out_links;
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
		gk_links[gk_nlinks++] = link;
	}
	gate_bpf__destroy(skel);
	gk_bind_start();

	switch (gk_selftest()) {
	case GK_SELFTEST_SEEN:
		break;
	case 0:
	case GK_SELFTEST_GOT_IN:
		err = -ENOTRECOVERABLE;
		gk_fail(GK_NO_BPF_LSM, err);
		gk_detach();
		goto out_unlock;
	default:
		err = -EBADE;
		gk_fail("self-test load of an unsigned program was admitted: does a BPF program hook the load path?",
			err);
		gk_detach();
		goto out_unlock;
	}
	WRITE_ONCE(gk_state, GK_ARMED);
	if (gk_watch_interval)
		schedule_delayed_work(&gk_watch_work, gk_watch_interval * HZ);
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
 * Return: 0, -EPERM if locked, -ENOTCONN if the gate is not armed, or
 * gk_measure()'s errors.
 */
int gk_disarm(void)
{
	int err = 0;

	mutex_lock(&gk_arm_lock);
	if (gk_locked()) {
		err = -EPERM;
	} else if (gk_state != GK_ARMED && gk_state != GK_BYPASSED) {
		err = -ENOTCONN;
	} else {
		err = gk_measure(GK_MLOG_DISARM, 0, 0, NULL, NULL, "disarm", current->comm);
		if (!err) {
			gk_detach();
			WRITE_ONCE(gk_state, GK_DISARMED);
			pr_notice("disarmed by %s (pid %d): BPF program loads are no longer checked\n",
				  current->comm, task_tgid_nr(current));
			gk_audit_change("disarm", "program loads are no longer checked");
		}
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
	if (gk_state == GK_ARMED || gk_state == GK_BYPASSED) {
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
