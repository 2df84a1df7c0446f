// SPDX-License-Identifier: GPL-2.0
/*
 * Learning: which programs a workload loads that nothing admits yet, so
 * that gkctl learn can turn them into a signing request instead of an
 * operator reading the log.
 *
 * A session puts the gate in audit mode and records each distinct program
 * (by digest) that no signature, catalogue entry or policy rule admits --
 * but only once the verifier has accepted it: the decision is taken before
 * verification on 6.9+, so a refusal is held as "seen" until the program's
 * first fd is made, which only a verified program reaches.  The session is
 * tied to the open file that started it: closing that file (which the
 * kernel does however its process ends), a timeout, or "stop" ends it and
 * puts back the mode it found.  What was learnt stays readable until the
 * next session starts.
 *
 * With each program goes what its manifest must bind for it to be admitted
 * as it was loaded (rodata.c): its attach target and its maps, with the
 * contents of the read-only ones, taken at its first fd.  A program loaded
 * again aimed elsewhere, or with other maps or data, is marked as varying
 * in that respect: one manifest per digest cannot bind both.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "learn.h"
#include "gatekeeper.h"
#include "active_policy.h"
#include "app.h"
#include "audit.h"
#include "rodata.h"
#include "store.h"
#include "target.h"
#include "gk_format.h"

#define GK_LEARN_MAX 4096	/* distinct programs per session */
#define GK_LEARN_SEEN_MAX 64	/* refused, not yet verified */

struct gk_learnt {
	struct hlist_node node;		/* in gk_learnt_progs, or gk_learn_pending */
	const void *aux;		/* while seen: the program; compared only */
	const struct task_struct *loader;	/* while seen; compared only */
	u8 digest[GK_DIGEST_SIZE];
	u32 prog_type, attach_type, insn_cnt;
	u64 count;
	struct gk_binding *binding;	/* once verified; NULL if none was taken */
	bool target_varies, maps_vary;	/* another load differed */
	bool has_app_digest;
	u8 app_digest[GK_DIGEST_SIZE];
	char name[KSYM_NAME_LEN];
	char app[];			/* loader's executable; "" if unknown */
};

static DEFINE_HASHTABLE(gk_learnt_progs, 8);
static HLIST_HEAD(gk_learn_pending);	/* newest first */
static unsigned int gk_learnt_n, gk_learn_seen_n;
static u64 gk_learn_dropped;
static DEFINE_SPINLOCK(gk_learn_lock);	/* the tables above; taken in hooks */

/* The session; gk_learn_mutex serialises its start and end. */
static DEFINE_MUTEX(gk_learn_mutex);
static bool gk_learn_on;		/* read locklessly by the hooks */
static const struct file *gk_learn_owner;
static enum gk_mode gk_learn_restore;
static unsigned long gk_learn_deadline;	/* jiffies */
static const char *gk_learn_how = "none";

static void gk_learn_expire(struct work_struct *work);
static DECLARE_DELAYED_WORK(gk_learn_timer, gk_learn_expire);

static void gk_learnt_free(struct gk_learnt *l)
{
	if (l)
		kfree(l->binding);
	kfree(l);
}

bool gk_learning(void)
{
	return READ_ONCE(gk_learn_on);
}

/*
 * Drop what was seen of the program @aux, or everything seen if @aux is NULL.
 * Context: gk_learn_lock held.
 */
static void gk_learn_drop_seen(const void *aux)
{
	struct hlist_node *t;
	struct gk_learnt *l;

	hlist_for_each_entry_safe(l, t, &gk_learn_pending, node) {
		if (aux && l->aux != aux)
			continue;
		hlist_del(&l->node);
		gk_learn_seen_n--;
		gk_learnt_free(l);
	}
}

/* Context: gk_learn_lock held. */
static void gk_learn_forget_all(void)
{
	struct hlist_node *t;
	struct gk_learnt *l;
	unsigned int bkt;

	gk_learn_drop_seen(NULL);
	hash_for_each_safe(gk_learnt_progs, bkt, t, l, node) {
		hash_del(&l->node);
		gk_learnt_free(l);
	}
	gk_learnt_n = 0;
	gk_learn_dropped = 0;
}

/**
 * gk_learn_seen() - note a decision, to be learnt once the program is verified
 * @prog: the program, as the deciding hook sees it
 * @digest: its digest if nothing admitted it, else NULL
 * @app: its loader, or NULL if unknown
 *
 * Every decision replaces what was seen with the same bpf_prog_aux: an
 * earlier entry belongs to a program that failed verification and was
 * freed, whose memory the new program may be reusing.
 *
 * Context: deciding hook, no sleeping; may hold gk_bind_lock.
 */
void gk_learn_seen(const struct bpf_prog *prog, const u8 *digest,
		   const struct gk_app *app)
{
	size_t app_len = app ? app->path_len : 0;
	struct gk_learnt *l = NULL, *old, *last;
	unsigned long flags;

	if (!gk_learning())
		return;
	if (digest) {
		l = kzalloc(struct_size(l, app, app_len + 1), GFP_ATOMIC);
		if (l) {
			l->aux = prog->aux;
			l->loader = current;
			memcpy(l->digest, digest, GK_DIGEST_SIZE);
			l->prog_type = prog->type;
			l->attach_type = prog->expected_attach_type;
			l->insn_cnt = prog->len;
			if (app) {
				memcpy(l->app, app->path, app_len);
				l->has_app_digest = app->has_digest;
				memcpy(l->app_digest, app->digest, GK_DIGEST_SIZE);
			}
		}
	}

	spin_lock_irqsave(&gk_learn_lock, flags);
	gk_learn_drop_seen(prog->aux);
	if (digest && !l)
		gk_learn_dropped++;
	if (l) {
		/* The oldest goes once the list is full: it failed verification. */
		if (gk_learn_seen_n >= GK_LEARN_SEEN_MAX) {
			last = NULL;
			hlist_for_each_entry(old, &gk_learn_pending, node)
				last = old;
			hlist_del(&last->node);
			gk_learn_seen_n--;
			gk_learnt_free(last);
		}
		hlist_add_head(&l->node, &gk_learn_pending);
		gk_learn_seen_n++;
	}
	spin_unlock_irqrestore(&gk_learn_lock, flags);
}

/*
 * The name to sign a program under: the full name of its function in its
 * BTF where it has one, else the kernel's 15-character name.
 */
static void gk_learn_name(const struct bpf_prog *prog, char *buf, size_t size)
{
	if (!gk_prog_btf_name(prog, buf, size))
		strscpy(buf, prog->aux->name, size);
}

/**
 * gk_learn_verified() - record a seen program once the verifier accepted it
 * @prog: the program an fd is being made for
 *
 * Context: lsm/bpf_prog hook, no sleeping.
 */
void gk_learn_verified(const struct bpf_prog *prog)
{
	struct gk_learnt *l, *seen = NULL;
	struct gk_binding *b;
	unsigned long flags;

	if (!gk_learning())
		return;
	b = gk_binding_of(prog, GFP_ATOMIC);
	if (b && !gk_target_name(prog, b->attach, sizeof(b->attach)))
		b->attach[0] = '\0';
	spin_lock_irqsave(&gk_learn_lock, flags);
	/* The fd a load makes is made by its loader. */
	hlist_for_each_entry(l, &gk_learn_pending, node) {
		if (l->aux == prog->aux && l->loader == current) {
			seen = l;
			break;
		}
	}
	if (!seen)
		goto out;
	hlist_del(&seen->node);
	gk_learn_seen_n--;
	hash_for_each_possible(gk_learnt_progs, l, node, *(u32 *)seen->digest) {
		if (!memcmp(l->digest, seen->digest, GK_DIGEST_SIZE)) {
			l->count++;
			l->target_varies |= !b || !l->binding || !gk_binding_same_target(l->binding, b);
			l->maps_vary |= !b || !l->binding || !gk_binding_same_maps(l->binding, b);
			gk_learnt_free(seen);
			goto out;
		}
	}
	if (gk_learnt_n >= GK_LEARN_MAX) {
		gk_learn_dropped++;
		gk_learnt_free(seen);
		goto out;
	}
	seen->aux = NULL;
	seen->loader = NULL;
	seen->count = 1;
	seen->binding = b;
	b = NULL;
	gk_learn_name(prog, seen->name, sizeof(seen->name));
	hash_add(gk_learnt_progs, &seen->node, *(u32 *)seen->digest);
	gk_learnt_n++;
out:
	spin_unlock_irqrestore(&gk_learn_lock, flags);
	kfree(b);
}

/* Context: gk_learn_mutex held. */
static void gk_learn_end(const char *how)
{
	char detail[64];
	unsigned long flags;

	if (!gk_learn_owner)
		return;
	WRITE_ONCE(gk_learn_on, false);
	gk_learn_owner = NULL;
	gk_learn_how = how;
	/* Back to enforce is never refused, locked or not. */
	if (gk_learn_restore == GK_MODE_ENFORCE)
		gk_set_mode(GK_MODE_ENFORCE);
	spin_lock_irqsave(&gk_learn_lock, flags);
	gk_learn_drop_seen(NULL);
	snprintf(detail, sizeof(detail), "end %s: %u programs, mode %s", how,
		 gk_learnt_n, READ_ONCE(gk_mode) == GK_MODE_AUDIT ? "audit" : "enforce");
	spin_unlock_irqrestore(&gk_learn_lock, flags);
	gk_audit_change("learn", detail);
	pr_notice("learning %s\n", detail);
}

static void gk_learn_expire(struct work_struct *work)
{
	mutex_lock(&gk_learn_mutex);
	if (gk_learn_owner && time_after_eq(jiffies, gk_learn_deadline))
		gk_learn_end("expired");
	mutex_unlock(&gk_learn_mutex);
}

/**
 * gk_learn_start() - start a session owned by an open file
 * @owner: the file; the session ends when it is released
 * @seconds: how long at most, 1 to GK_LEARN_SECONDS_MAX
 *
 * Context: process context, may sleep.
 * Return: 0; -EBUSY if a session runs; -EINVAL for @seconds; -EPERM if
 * the gate is locked in enforce mode (audit mode is what learning needs).
 */
int gk_learn_start(const struct file *owner, unsigned int seconds)
{
	enum gk_mode was = READ_ONCE(gk_mode);
	char detail[64];
	unsigned long flags;
	int err;

	if (!seconds || seconds > GK_LEARN_SECONDS_MAX)
		return -EINVAL;
	mutex_lock(&gk_learn_mutex);
	if (gk_learn_owner) {
		err = -EBUSY;
		goto out;
	}
	err = gk_set_mode(GK_MODE_AUDIT);
	if (err)
		goto out;
	spin_lock_irqsave(&gk_learn_lock, flags);
	gk_learn_forget_all();
	spin_unlock_irqrestore(&gk_learn_lock, flags);
	gk_learn_owner = owner;
	gk_learn_restore = was;
	gk_learn_how = "active";
	gk_learn_deadline = jiffies + seconds * HZ;
	WRITE_ONCE(gk_learn_on, true);
	mod_delayed_work(system_wq, &gk_learn_timer, seconds * HZ);
	snprintf(detail, sizeof(detail), "start %u s, mode was %s", seconds,
		 was == GK_MODE_AUDIT ? "audit" : "enforce");
	gk_audit_change("learn", detail);
	pr_notice("learning in audit mode for at most %u s (%s, pid %d); mode was %s\n",
		  seconds, current->comm, task_tgid_nr(current),
		  was == GK_MODE_AUDIT ? "audit" : "enforce");
out:
	mutex_unlock(&gk_learn_mutex);
	return err;
}

/**
 * gk_learn_stop() - end the session @owner started, if it runs
 * @owner: the file that started it
 * @how: why it ends, for the record
 *
 * Context: process context, may sleep.
 * Return: 0, or -ESRCH if @owner runs no session.
 */
int gk_learn_stop(const struct file *owner, const char *how)
{
	int err = 0;

	mutex_lock(&gk_learn_mutex);
	if (gk_learn_owner && gk_learn_owner == owner)
		gk_learn_end(how);
	else
		err = -ESRCH;
	mutex_unlock(&gk_learn_mutex);
	return err;
}

/* For status: "learning: no", or "learning: yes (N s left)". */
void gk_learn_status(struct seq_file *m)
{
	long left;

	mutex_lock(&gk_learn_mutex);
	if (gk_learn_owner) {
		left = (long)(gk_learn_deadline - jiffies);
		seq_printf(m, "learning: yes (%ld s left)\n", max(left, 0L) / HZ);
	} else {
		seq_puts(m, "learning: no\n");
	}
	mutex_unlock(&gk_learn_mutex);
}

/* " TARGET MAPS": what a manifest must bind, "-" for nothing, or "varies". */
static void gk_learn_show_binding(struct seq_file *m, const struct gk_learnt *l)
{
	const struct gk_binding *b = l->binding;

	seq_putc(m, ' ');
	if (l->target_varies)
		seq_puts(m, "varies");
	else
		seq_puts(m, b && *b->attach ? b->attach : "-");
	seq_putc(m, ' ');
	if (l->maps_vary)
		seq_puts(m, "varies");
	else
		gk_show_maps(m, b, b ? b->map_cnt : 0, b ? b->bound_cnt : 0, b ? b->bound : NULL);
}

/* The learnt programs; format in docs/formats.md, "learn". */
int gk_learn_show(struct seq_file *m)
{
	struct gk_learnt *l;
	unsigned long flags;
	unsigned int bkt;

	mutex_lock(&gk_learn_mutex);
	seq_printf(m, "session: %s\n", gk_learn_how);
	if (gk_learn_owner)
		seq_printf(m, "restores: %s\n",
			   gk_learn_restore == GK_MODE_AUDIT ? "audit" : "enforce");
	mutex_unlock(&gk_learn_mutex);

	spin_lock_irqsave(&gk_learn_lock, flags);
	seq_printf(m, "dropped: %llu\n", gk_learn_dropped);
	hash_for_each(gk_learnt_progs, bkt, l, node) {
		seq_printf(m, "prog %*phN %u %u %u %llu ", GK_DIGEST_SIZE, l->digest,
			   l->prog_type, l->attach_type, l->insn_cnt, l->count);
		if (l->has_app_digest)
			seq_printf(m, "%*phN ", GK_DIGEST_SIZE, l->app_digest);
		else
			seq_puts(m, "- ");
		seq_escape(m, l->name[0] ? l->name : "-", " \t\n\\");
		seq_putc(m, ' ');
		seq_escape(m, l->app[0] ? l->app : "-", " \t\n\\");
		gk_learn_show_binding(m, l);
		seq_putc(m, '\n');
	}
	spin_unlock_irqrestore(&gk_learn_lock, flags);
	return 0;
}

/* Context: module exit, after the gate is detached and the files removed. */
void gk_learn_exit(void)
{
	unsigned long flags;

	cancel_delayed_work_sync(&gk_learn_timer);
	spin_lock_irqsave(&gk_learn_lock, flags);
	gk_learn_forget_all();
	spin_unlock_irqrestore(&gk_learn_lock, flags);
}
