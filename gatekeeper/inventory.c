// SPDX-License-Identifier: GPL-2.0
/*
 * The inventory: for each program admitted since the gate armed, and still
 * loaded, how it was admitted -- the decision's action, digest, rule,
 * publisher, reason and loader.  gkctl prog list joins it with the
 * kernel's list of programs: a program without an entry predates the gate
 * (or was loaded while it was disarmed) and is shown unverified.
 *
 * Entries are keyed by bpf_prog_aux and dropped when the kernel frees the
 * program (the free hook, gk_inventory_forget()), so an entry's aux is
 * alive while the entry is in the table.  Those notifications stop when
 * the gate disarms: before that, gk_inventory_close() empties the table
 * and takes no more entries until the gate arms again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/hashtable.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "inventory.h"
#include "app.h"
#include "audit.h"
#include "gk_format.h"

#define GK_INVENTORY_MAX 16384		/* entries; further loads go unrecorded */
#define GK_INVENTORY_TEXT 96		/* publisher, reason: longer is cut */

struct gk_inv_entry {
	struct hlist_node node;
	const struct bpf_prog_aux *aux;
	const char *action;		/* a string literal of gk_conclude() */
	bool has_digest;
	u8 digest[GK_DIGEST_SIZE];
	u32 rule;
	char publisher[GK_INVENTORY_TEXT];
	char reason[GK_INVENTORY_TEXT];
	char app[];			/* the loader's path, or "" */
};

static DEFINE_HASHTABLE(gk_entries, 10);
static DEFINE_SPINLOCK(gk_inventory_lock);
static unsigned int gk_inventory_n;
static bool gk_inventory_taking;		/* armed: the free hook is attached */
static u64 gk_inventory_dropped;	/* admitted, but the table was full */

/* Context: gk_inventory_lock held. */
static struct gk_inv_entry *gk_inv_find(const struct bpf_prog_aux *aux)
{
	struct gk_inv_entry *e;

	hash_for_each_possible(gk_entries, e, node, (unsigned long)aux)
		if (e->aux == aux)
			return e;
	return NULL;
}

/* Context: gk_inventory_lock held.  Return: the entry taken out, or NULL. */
static struct gk_inv_entry *gk_inv_take(const struct bpf_prog_aux *aux)
{
	struct gk_inv_entry *e = gk_inv_find(aux);

	if (e) {
		hash_del(&e->node);
		gk_inventory_n--;
	}
	return e;
}

static struct gk_inv_entry *gk_inv_entry_of(const struct bpf_prog *prog,
				    const struct gk_decision *d)
{
	size_t app_len = d->app ? d->app->path_len : 0;
	struct gk_inv_entry *e;

	e = kzalloc(struct_size(e, app, app_len + 1), GFP_ATOMIC);
	if (!e)
		return NULL;
	e->aux = prog->aux;
	e->action = d->action;
	if (d->digest) {
		e->has_digest = true;
		memcpy(e->digest, d->digest, GK_DIGEST_SIZE);
	}
	e->rule = d->rule;
	gk_sanitize(e->publisher, d->publisher ?: "", sizeof(e->publisher));
	gk_sanitize(e->reason, d->reason ?: "", sizeof(e->reason));
	if (d->app)
		gk_sanitize(e->app, d->app->path, app_len + 1);
	return e;
}

/**
 * gk_inventory_note() - remember how a program was admitted
 * @prog: the program the decision admitted
 * @d: the decision
 *
 * Replaces what was noted with the same aux: that belonged to a program
 * freed since, whose memory @prog reuses.  A program that then fails
 * verification is forgotten when the kernel frees it.
 *
 * Context: the deciding hook, no sleeping.
 */
void gk_inventory_note(const struct bpf_prog *prog, const struct gk_decision *d)
{
	struct gk_inv_entry *e = gk_inv_entry_of(prog, d), *old;
	unsigned long flags;

	spin_lock_irqsave(&gk_inventory_lock, flags);
	old = gk_inv_take(prog->aux);
	/* Disarming, a program outlives what the table could know of it. */
	if (gk_inventory_taking && e && gk_inventory_n < GK_INVENTORY_MAX) {
		hash_add(gk_entries, &e->node, (unsigned long)e->aux);
		gk_inventory_n++;
		e = NULL;
	} else if (gk_inventory_taking) {
		gk_inventory_dropped++;
	}
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
	kfree(old);
	kfree(e);
}

/**
 * gk_inventory_forget() - the kernel frees a program
 * @aux: its aux
 *
 * Context: any; takes a spinlock with interrupts off.
 */
void gk_inventory_forget(const struct bpf_prog_aux *aux)
{
	unsigned long flags;
	struct gk_inv_entry *e;

	spin_lock_irqsave(&gk_inventory_lock, flags);
	e = gk_inv_take(aux);
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
	kfree(e);
}

/**
 * gk_inventory_open() - the gate arms: note admissions from now on
 *
 * Context: arming, before the gate's programs are attached.
 */
void gk_inventory_open(void)
{
	unsigned long flags;

	spin_lock_irqsave(&gk_inventory_lock, flags);
	gk_inventory_taking = true;
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
}

/**
 * gk_inventory_close() - the gate disarms: forget every program
 *
 * Context: process context, before the gate's links are put.
 */
void gk_inventory_close(void)
{
	struct hlist_node *tmp;
	unsigned long flags;
	struct gk_inv_entry *e;
	HLIST_HEAD(gone);
	int bkt;

	spin_lock_irqsave(&gk_inventory_lock, flags);
	gk_inventory_taking = false;
	hash_for_each_safe(gk_entries, bkt, tmp, e, node) {
		hash_del(&e->node);
		hlist_add_head(&e->node, &gone);
	}
	gk_inventory_n = 0;
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
	hlist_for_each_entry_safe(e, tmp, &gone, node)
		kfree(e);
}

/**
 * gk_inventory_show() - one line per program, by id
 * @m: the seq_file of securityfs "programs"
 *
 * A program not yet given an id (still being verified) is left out.  The
 * last line counts the entries, those left out included, and the programs
 * admitted while the table was full.
 *
 * Context: process context.  Return: 0.
 */
int gk_inventory_show(struct seq_file *m)
{
	char digest[2 * GK_DIGEST_SIZE + 1];
	unsigned long flags;
	struct gk_inv_entry *e;
	int bkt;
	u32 id;

	spin_lock_irqsave(&gk_inventory_lock, flags);
	hash_for_each(gk_entries, bkt, e, node) {
		id = READ_ONCE(e->aux->id);
		if (!id)
			continue;
		if (e->has_digest)
			bin2hex(digest, e->digest, GK_DIGEST_SIZE)[0] = '\0';
		else
			strscpy(digest, "-", sizeof(digest));
		seq_printf(m, "id=%u action=%s digest=%s rule=%u publisher=\"%s\" reason=\"%s\" app=\"%s\"\n",
			   id, e->action, digest, e->rule, e->publisher, e->reason, e->app);
	}
	seq_printf(m, "entries=%u unrecorded=%llu\n", gk_inventory_n, gk_inventory_dropped);
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
	return 0;
}
