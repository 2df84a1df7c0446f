// SPDX-License-Identifier: GPL-2.0
/*
 * The loading application: the path and content digest of the executable
 * of the process that calls bpf(BPF_PROG_LOAD), established by the kernel.
 *
 * Hashing a file sleeps and the deciding hooks do not, so the identity is
 * taken at syscall entry (the sleepable lsm.s/bpf hook) and handed to the
 * decision of the same call through a per-task slot.  Digests are cached
 * per file version (device, inode, size, mtime, ctime), so an executable is
 * read once per change, not once per load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/nsproxy.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stat.h>
#include "app.h"
#include "compat.h"
#include "gk_format.h"

#define GK_APP_CACHE_MAX 256
#define GK_APP_SLOTS_BITS 6
#define GK_APP_READ_CHUNK (64 * 1024)
#define GK_APP_SIZE_MAX (512LL * 1024 * 1024)	/* larger executables are not hashed */

struct gk_file_version {
	dev_t dev;
	u64 ino;
	loff_t size;
	struct timespec64 mtime, ctime;
};

struct gk_app_cached {
	struct list_head node;
	struct gk_file_version v;
	u8 digest[GK_DIGEST_SIZE];
};

#define GK_APP_SLOTS_MAX 1024

static LIST_HEAD(gk_app_cache);		/* most recently used first */
static unsigned int gk_app_cached_n;
static DEFINE_MUTEX(gk_app_cache_lock);

/*
 * Per-task slots: what the syscall-entry hook found for the pending load,
 * keyed by task pointer (compared, never dereferenced).  A task that exits
 * between entry and decision leaves its slot behind; the table is bounded
 * and evicts, and an evicted identity only means "application unknown".
 */
static DEFINE_HASHTABLE(gk_app_slots, GK_APP_SLOTS_BITS);
static unsigned int gk_app_slots_n;	/* read without the lock by gk_app_take() */
static DEFINE_SPINLOCK(gk_app_slots_lock);

static int gk_file_version(struct file *f, struct gk_file_version *v)
{
	struct kstat st;
	int err;

	err = vfs_getattr(&f->f_path, &st, STATX_BASIC_STATS, AT_STATX_SYNC_AS_STAT);
	if (err)
		return err;
	memset(v, 0, sizeof(*v));
	v->dev = st.dev;
	v->ino = st.ino;
	v->size = st.size;
	v->mtime = st.mtime;
	v->ctime = st.ctime;
	return 0;
}

static int gk_hash_file(struct file *f, u8 digest[GK_DIGEST_SIZE])
{
	gk_sha256_ctx ctx;
	loff_t pos = 0;
	ssize_t n;
	void *buf;

	buf = kvmalloc(GK_APP_READ_CHUNK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	gk_sha256_init(&ctx);
	while ((n = kernel_read(f, buf, GK_APP_READ_CHUNK, &pos)) > 0) {
		gk_sha256_update(&ctx, buf, n);
		/* This runs in a sleepable BPF program: never stall for long. */
		if (fatal_signal_pending(current)) {
			n = -EINTR;
			break;
		}
		cond_resched();
	}
	gk_sha256_final(&ctx, digest);
	kvfree(buf);
	return n < 0 ? n : 0;
}

/* Context: process context, may sleep; takes gk_app_cache_lock. */
static int gk_app_digest(struct file *f, u8 digest[GK_DIGEST_SIZE])
{
	struct gk_file_version v, after;
	struct gk_app_cached *c;
	int err;

	err = gk_file_version(f, &v);
	if (err)
		return err;
	if (v.size > GK_APP_SIZE_MAX)
		return -EFBIG;
	mutex_lock(&gk_app_cache_lock);
	list_for_each_entry(c, &gk_app_cache, node) {
		if (!memcmp(&c->v, &v, sizeof(v))) {
			list_move(&c->node, &gk_app_cache);
			memcpy(digest, c->digest, GK_DIGEST_SIZE);
			mutex_unlock(&gk_app_cache_lock);
			return 0;
		}
	}
	mutex_unlock(&gk_app_cache_lock);

	err = gk_hash_file(f, digest);
	if (err)
		return err;
	/* Changed while being read: the digest belongs to no version. */
	err = gk_file_version(f, &after);
	if (err)
		return err;
	if (memcmp(&v, &after, sizeof(v)))
		return -EAGAIN;

	mutex_lock(&gk_app_cache_lock);
	if (gk_app_cached_n == GK_APP_CACHE_MAX) {
		c = list_last_entry(&gk_app_cache, struct gk_app_cached, node);
		list_del(&c->node);
	} else {
		c = kmalloc(sizeof(*c), GFP_KERNEL);
		if (c)
			gk_app_cached_n++;
	}
	if (c) {
		c->v = v;
		memcpy(c->digest, digest, GK_DIGEST_SIZE);
		list_add(&c->node, &gk_app_cache);
	}
	mutex_unlock(&gk_app_cache_lock);
	return 0;
}

/*
 * A path names the same file for everyone only when the caller sees the
 * filesystem as the system's init does: a chroot or a private mount
 * namespace could present any path.  Such callers have no application
 * identity, which no app rule matches.
 */
static bool gk_app_global_view(void)
{
	struct path root, init_root;
	struct task_struct *init;
	bool same = false;

	if (!current->fs || !current->nsproxy)
		return false;
	rcu_read_lock();
	init = pid_task(find_pid_ns(1, &init_pid_ns), PIDTYPE_PID);
	if (init)
		get_task_struct(init);
	rcu_read_unlock();
	if (!init)
		return false;
	task_lock(init);
	if (init->fs && init->nsproxy &&
	    init->nsproxy->mnt_ns == current->nsproxy->mnt_ns) {
		get_fs_root(init->fs, &init_root);
		same = true;
	}
	task_unlock(init);
	put_task_struct(init);
	if (!same)
		return false;
	get_fs_root(current->fs, &root);
	same = path_equal(&root, &init_root);
	path_put(&init_root);
	path_put(&root);
	return same;
}

/* Context: gk_app_slots_lock held.  Return: the task's slot, unlinked. */
static struct gk_app *gk_app_unlink(const struct task_struct *task)
{
	struct gk_app *a;

	hash_for_each_possible(gk_app_slots, a, node, (unsigned long)task) {
		if (a->task == task) {
			hash_del(&a->node);
			WRITE_ONCE(gk_app_slots_n, gk_app_slots_n - 1);
			return a;
		}
	}
	return NULL;
}

/**
 * gk_app_enter() - record the caller's executable for its pending load
 *
 * Hashing an executable is not free: the caller asks only when something
 * uses the identity (an app rule, a learning session).  Failures leave the
 * slot empty: the decision then sees no application, which no app rule
 * matches.
 *
 * Context: sleepable BPF LSM program at bpf(BPF_PROG_LOAD) entry.
 */
void gk_app_enter(void)
{
	struct gk_app *a, *old = NULL;
	unsigned long flags;
	struct file *exe;
	char *path;

	if (!current->mm || !gk_app_global_view())
		return;
	exe = gk_get_exe_file(current->mm);
	if (!exe)
		return;
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		goto out;
	a->task = current;
	path = d_path(&exe->f_path, a->path, sizeof(a->path));
	if (IS_ERR(path)) {
		kfree(a);
		goto out;
	}
	a->path_len = strlen(path);
	memmove(a->path, path, a->path_len + 1);
	a->has_digest = !gk_app_digest(exe, a->digest);

	spin_lock_irqsave(&gk_app_slots_lock, flags);
	old = gk_app_unlink(current);
	if (!old && gk_app_slots_n >= GK_APP_SLOTS_MAX) {
		unsigned int bkt;

		hash_for_each(gk_app_slots, bkt, old, node)
			break;
		hash_del(&old->node);
		WRITE_ONCE(gk_app_slots_n, gk_app_slots_n - 1);
	}
	hash_add(gk_app_slots, &a->node, (unsigned long)current);
	WRITE_ONCE(gk_app_slots_n, gk_app_slots_n + 1);
	spin_unlock_irqrestore(&gk_app_slots_lock, flags);
	kfree(old);
out:
	fput(exe);
}

/**
 * gk_app_exe() - the path of the caller's executable, for a log line
 * @buf: room for it
 * @size: size of @buf
 *
 * Context: any; does not sleep.
 * Return: the path, within @buf, or NULL if there is none.
 */
const char *gk_app_exe(char *buf, size_t size)
{
	struct file *exe;
	char *p;

	if (!current->mm)
		return NULL;
	exe = gk_get_exe_file(current->mm);
	if (!exe)
		return NULL;
	p = d_path(&exe->f_path, buf, size);
	fput(exe);
	return IS_ERR(p) ? NULL : p;
}

/**
 * gk_app_take() - the application recorded for the current task's load
 *
 * Context: any; does not sleep.
 * Return: the identity recorded at this call's entry, to be kfree()d by
 * the caller, or NULL.
 */
struct gk_app *gk_app_take(void)
{
	unsigned long flags;
	struct gk_app *a;

	/*
	 * Without a lock while no task has a slot (no policy or session asks
	 * for the identity): the current task filled its own before, in this
	 * system call.
	 */
	if (!READ_ONCE(gk_app_slots_n))
		return NULL;
	spin_lock_irqsave(&gk_app_slots_lock, flags);
	a = gk_app_unlink(current);
	spin_unlock_irqrestore(&gk_app_slots_lock, flags);
	return a;
}

/* Context: module exit, after the gate is detached. */
void gk_app_exit(void)
{
	struct gk_app_cached *c, *tmp;
	struct hlist_node *t;
	unsigned int bkt;
	struct gk_app *a;

	list_for_each_entry_safe(c, tmp, &gk_app_cache, node)
		kfree(c);
	hash_for_each_safe(gk_app_slots, bkt, t, a, node)
		kfree(a);
}
