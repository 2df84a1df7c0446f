// SPDX-License-Identifier: GPL-2.0
/*
 * The inventory: for each program admitted since the gate armed, and still
 * loaded, how it was admitted -- the decision's action, digest, rule,
 * publisher, reason and loader.  gkctl prog list joins it with the
 * kernel's list of programs: a program without an entry predates the gate
 * (or was loaded while it was disarmed) and is shown unverified.
 *
 * An entry shows "revoked" once the policy revokes its digest or, admitted
 * by a manifest, once the manifest is removed, or the key that vouched for
 * it is gone or revoked (gk_inventory_show()):
 * the gate cannot unload a program, only say it would not admit it again.
 *
 * A program whose manifest binds its attach target or its maps is noted
 * whatever the table holds, or refused (gk_inventory_note()): the entry
 * carries the binding to the program's first fd, where it is checked
 * (gk_inventory_take_binding()), and keeps the verdict for every later fd:
 * a program refused at one fd, or being checked at another, gets none.
 *
 * Entries are keyed by bpf_prog_aux and dropped when the kernel frees the
 * program (the free hook, gk_inventory_forget()), so an entry's aux is
 * alive while the entry is in the table.  Those notifications stop when
 * the gate disarms: before that, gk_inventory_close() empties the table
 * and takes no more entries until the gate arms again.
 *
 * The decision takes its entry from a list of spare ones, which the
 * entries of freed programs return to and bpf(BPF_PROG_LOAD) entry tops
 * up (gk_inventory_reserve()), so that an admitted load allocates nothing
 * in the decision: only a loader path and attach target longer than a
 * spare entry holds, or a list run dry, take an allocation there.
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
#include "active_policy.h"
#include "keyring.h"
#include "rodata.h"
#include "store.h"
#include "gk_format.h"
#include "gk_mlog_format.h"

#define GK_INVENTORY_MAX 16384		/* entries; further loads are refused */
#define GK_INVENTORY_TEXT 96		/* publisher, reason: longer is cut */

struct gk_inv_entry {
	struct hlist_node node;
	const struct bpf_prog_aux *aux;
	const char *action;		/* one of gk_settle()'s */
	bool has_digest;
	u8 digest[GK_DIGEST_SIZE];
	u32 rule;
	char publisher[GK_INVENTORY_TEXT];
	char reason[GK_INVENTORY_TEXT];
	bool by_manifest;		/* admitted by a manifest, @signer's */
	const char *probe;		/* the catalogue entry that admitted it, or NULL */
	u8 signer[GK_DIGEST_SIZE];
	struct gk_binding *binding;	/* while GK_BINDING_PENDING */
	enum gk_binding_state binding_state;
	const char *attach;		/* bound attach target, or "" */
	bool measured;			/* its admission is in the measurement log */
	u16 room;			/* the size of @strings */
	char strings[];			/* the loader's path, then @attach */
};

/* A spare entry: the kmalloc bucket an entry takes anyway, strings included. */
#define GK_INV_SPARE_SIZE 512
#define GK_INV_SPARE_ROOM (GK_INV_SPARE_SIZE - sizeof(struct gk_inv_entry))
#define GK_INV_SPARE_LOW 8		/* topped up below this */
#define GK_INV_SPARE_MAX 64		/* kept at most */

static DEFINE_HASHTABLE(gk_entries, 10);
static DEFINE_SPINLOCK(gk_inventory_lock);
static unsigned int gk_inventory_n;
static bool gk_inventory_taking;		/* armed: the free hook is attached */
static u64 gk_inventory_dropped;	/* admitted, but the table was full */
static HLIST_HEAD(gk_inv_spare);
static unsigned int gk_inv_spare_n;	/* read without the lock to top up */

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

/* Context: gk_inventory_lock held.  Return: a spare entry, zeroed, or NULL. */
static struct gk_inv_entry *gk_inv_spare_take(void)
{
	struct gk_inv_entry *e;

	if (hlist_empty(&gk_inv_spare))
		return NULL;
	e = hlist_entry(gk_inv_spare.first, struct gk_inv_entry, node);
	hlist_del(&e->node);
	WRITE_ONCE(gk_inv_spare_n, gk_inv_spare_n - 1);
	memset(e, 0, GK_INV_SPARE_SIZE);
	e->room = GK_INV_SPARE_ROOM;
	return e;
}

/* An entry out of the table: kept spare, or freed.  Context: gk_inventory_lock held. */
static void gk_inv_release(struct gk_inv_entry *e)
{
	if (!e)
		return;
	kfree(e->binding);
	e->binding = NULL;
	if (e->room == GK_INV_SPARE_ROOM && gk_inventory_taking &&
	    gk_inv_spare_n < GK_INV_SPARE_MAX) {
		hlist_add_head(&e->node, &gk_inv_spare);
		WRITE_ONCE(gk_inv_spare_n, gk_inv_spare_n + 1);
	} else {
		kfree(e);
	}
}

/*
 * An entry for @prog, spare if its strings fit one.
 * Context: gk_inventory_lock held.  Return: the entry, or NULL (no memory).
 */
static struct gk_inv_entry *gk_inv_entry_of(const struct bpf_prog *prog,
					    const struct gk_decision *d,
					    const struct gk_entry *manifest,
					    struct gk_binding *binding)
{
	const char *attach = manifest ? manifest->attach : "";
	size_t app_len = d->app ? d->app->path_len : 0;
	size_t attach_len = strlen(attach);
	size_t room = app_len + attach_len + 2;
	struct gk_inv_entry *e = NULL;

	if (room <= GK_INV_SPARE_ROOM) {
		e = gk_inv_spare_take();
		room = GK_INV_SPARE_ROOM;	/* a spare, once the program is freed */
	}
	if (!e) {
		e = kzalloc(struct_size(e, strings, room), GFP_ATOMIC);
		if (!e)
			return NULL;
		e->room = room;
	}
	e->aux = prog->aux;
	e->action = d->action;
	if (d->digest) {
		e->has_digest = true;
		memcpy(e->digest, d->digest, GK_DIGEST_SIZE);
	}
	e->rule = d->rule;
	e->probe = d->probe;
	if (manifest) {
		e->by_manifest = true;
		memcpy(e->signer, manifest->signer, GK_DIGEST_SIZE);
	}
	gk_sanitize(e->publisher, d->publisher ?: "", sizeof(e->publisher));
	gk_sanitize(e->reason, d->reason ?: "", sizeof(e->reason));
	if (d->app)
		gk_sanitize(e->strings, d->app->path, app_len + 1);
	e->attach = e->strings + app_len + 1;
	memcpy(e->strings + app_len + 1, attach, attach_len);
	if (binding) {
		e->binding = binding;
		e->binding_state = GK_BINDING_PENDING;
	}
	return e;
}

/**
 * gk_inventory_note() - remember how a program was admitted
 * @prog: the program the decision admitted
 * @d: the decision
 * @manifest: its registered manifest, or NULL
 *
 * Replaces what was noted with the same aux: that belonged to a program
 * freed since, whose memory @prog reuses.  A program that then fails
 * verification is forgotten when the kernel frees it.  A full table
 * refuses the program: its binding could not be checked, nor its
 * admission measured (measure.c).
 *
 * Context: the deciding hook, RCU read side (which keeps @manifest), no
 * sleeping.
 * Return: 0, or -ENOMEM if the program could not be noted (the caller
 * refuses it).
 */
int gk_inventory_note(const struct bpf_prog *prog, const struct gk_decision *d,
		      const struct gk_entry *manifest)
{
	bool binds = manifest && gk_entry_binds(manifest);
	struct gk_binding *binding = NULL;
	struct gk_inv_entry *e = NULL;
	unsigned long flags;
	int err = 0;

	if (binds)
		binding = gk_binding_new(manifest, GFP_ATOMIC);
	spin_lock_irqsave(&gk_inventory_lock, flags);
	gk_inv_release(gk_inv_take(prog->aux));
	/* Disarming, a program outlives what the table could know of it. */
	if (gk_inventory_taking) {
		/* A binding is noted whatever the table holds. */
		if (binds ? !!binding : gk_inventory_n < GK_INVENTORY_MAX)
			e = gk_inv_entry_of(prog, d, manifest, binding);
		if (e) {
			hash_add(gk_entries, &e->node, (unsigned long)e->aux);
			gk_inventory_n++;
			binding = NULL;
		} else {
			gk_inventory_dropped++;
			err = -ENOMEM;
		}
	}
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
	kfree(binding);
	return err;
}

/**
 * gk_inventory_reserve() - top up the spare entries for the loads to come
 *
 * Context: process context, may sleep (bpf(BPF_PROG_LOAD) entry).
 */
void gk_inventory_reserve(void)
{
	struct gk_inv_entry *e;
	unsigned long flags;

	BUILD_BUG_ON(sizeof(*e) >= GK_INV_SPARE_SIZE);
	if (READ_ONCE(gk_inv_spare_n) >= GK_INV_SPARE_LOW)
		return;
	e = kzalloc(GK_INV_SPARE_SIZE, GFP_KERNEL);
	if (!e)
		return;
	e->room = GK_INV_SPARE_ROOM;
	spin_lock_irqsave(&gk_inventory_lock, flags);
	gk_inv_release(e);
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
}

/**
 * gk_inventory_admission() - how a program was admitted, to measure it
 * @aux: the program's aux
 * @a: filled
 *
 * Context: any; takes a spinlock with interrupts off.
 * Return: false if no admission with a digest was noted for it, or if it
 * was measured already (gk_inventory_measured()).
 */
bool gk_inventory_admission(const struct bpf_prog_aux *aux, struct gk_admission *a)
{
	struct gk_inv_entry *e;
	unsigned long flags;
	bool found;

	memset(a, 0, sizeof(*a));
	spin_lock_irqsave(&gk_inventory_lock, flags);
	e = gk_inv_find(aux);
	found = e && e->has_digest && !e->measured;
	if (found) {
		memcpy(a->digest, e->digest, GK_DIGEST_SIZE);
		a->has_signer = e->by_manifest;
		memcpy(a->signer, e->signer, GK_DIGEST_SIZE);
		if (!strcmp(e->action, "audit-deny")) {
			a->how = GK_MLOG_HOW_AUDIT;
			strscpy(a->by, e->reason, sizeof(a->by));
		} else if (e->probe) {
			a->how = GK_MLOG_HOW_PROBE;
			strscpy(a->by, e->probe, sizeof(a->by));
		} else if (e->by_manifest) {
			a->how = GK_MLOG_HOW_SIGNATURE;
			strscpy(a->by, e->publisher, sizeof(a->by));
		} else {
			a->how = GK_MLOG_HOW_RULE;
			snprintf(a->by, sizeof(a->by), "rule %u", e->rule);
		}
	}
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
	return found;
}

/**
 * gk_inventory_measured() - a program's admission is in the measurement log
 * @aux: the program's aux
 *
 * Its later fds skip the measurement (gk_inventory_admission()).
 *
 * Context: any; takes a spinlock with interrupts off.
 */
void gk_inventory_measured(const struct bpf_prog_aux *aux)
{
	struct gk_inv_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&gk_inventory_lock, flags);
	e = gk_inv_find(aux);
	if (e)
		e->measured = true;
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
}

/**
 * gk_inventory_take_binding() - what a program's manifest binds, to check
 * @aux: the program's aux
 * @state: set to where the check stands
 *
 * Given once, to the first fd made (GK_BINDING_PENDING becomes
 * GK_BINDING_CHECKING); the caller reports the verdict with
 * gk_inventory_binding_checked(), which every later fd then gets.
 *
 * Context: any; takes a spinlock with interrupts off.
 * Return: the binding, which the caller kfree()s, or NULL with @state
 * saying why: GK_BINDING_NONE (nothing bound), _CHECKING (another fd is
 * checking it), _HELD or _BROKEN (the verdict).
 */
struct gk_binding *gk_inventory_take_binding(const struct bpf_prog_aux *aux,
					     enum gk_binding_state *state)
{
	struct gk_binding *b = NULL;
	struct gk_inv_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&gk_inventory_lock, flags);
	e = gk_inv_find(aux);
	*state = e ? e->binding_state : GK_BINDING_NONE;
	if (e && e->binding_state == GK_BINDING_PENDING) {
		b = e->binding;
		e->binding = NULL;
		e->binding_state = GK_BINDING_CHECKING;
	}
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
	return b;
}

/**
 * gk_inventory_binding_checked() - the verdict on a program's binding
 * @aux: the program's aux
 * @held: whether the program is as its manifest binds it
 *
 * Context: any; takes a spinlock with interrupts off.
 */
void gk_inventory_binding_checked(const struct bpf_prog_aux *aux, bool held)
{
	struct gk_inv_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&gk_inventory_lock, flags);
	e = gk_inv_find(aux);
	if (e && e->binding_state == GK_BINDING_CHECKING)
		e->binding_state = held ? GK_BINDING_HELD : GK_BINDING_BROKEN;
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
}

/**
 * gk_inventory_digest() - the digest a program was admitted under
 * @aux: the program's aux
 * @digest: set to it (GK_DIGEST_SIZE bytes)
 *
 * Context: any; takes a spinlock with interrupts off.
 * Return: whether the gate admitted the program with a digest since it armed.
 */
bool gk_inventory_digest(const struct bpf_prog_aux *aux, u8 *digest)
{
	struct gk_inv_entry *e;
	unsigned long flags;
	bool found;

	spin_lock_irqsave(&gk_inventory_lock, flags);
	e = gk_inv_find(aux);
	found = e && e->has_digest;
	if (found)
		memcpy(digest, e->digest, GK_DIGEST_SIZE);
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
	return found;
}

/**
 * gk_inventory_attach() - the attach target a program's manifest binds
 * @aux: the program's aux
 * @buf: room for it (GK_ATTACH_MAX + 1)
 * @size: size of @buf
 *
 * Context: any; takes a spinlock with interrupts off.
 * Return: true with the target in @buf, false if none is bound.
 */
bool gk_inventory_attach(const struct bpf_prog_aux *aux, char *buf, size_t size)
{
	struct gk_inv_entry *e;
	unsigned long flags;
	bool bound;

	spin_lock_irqsave(&gk_inventory_lock, flags);
	e = gk_inv_find(aux);
	bound = e && *e->attach && strscpy(buf, e->attach, size) > 0;
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
	return bound;
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

	spin_lock_irqsave(&gk_inventory_lock, flags);
	gk_inv_release(gk_inv_take(aux));
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
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
 * gk_inventory_close() - the gate disarms: forget every program, free the spares
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
	hlist_move_list(&gk_inv_spare, &gone);
	WRITE_ONCE(gk_inv_spare_n, 0);
	hash_for_each_safe(gk_entries, bkt, tmp, e, node) {
		hash_del(&e->node);
		hlist_add_head(&e->node, &gone);
	}
	gk_inventory_n = 0;
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
	hlist_for_each_entry_safe(e, tmp, &gone, node) {
		kfree(e->binding);
		kfree(e);
	}
}

/*
 * Would the manifest that admitted @e admit it no more?
 * Context: RCU read side.
 */
static bool gk_inv_revoked(const struct gk_inv_entry *e)
{
	const u8 *signer = e->by_manifest ? e->signer : NULL;

	if (e->has_digest && gk_policy_revokes(e->digest, signer))
		return true;
	if (!e->by_manifest)
		return false;
	return !gk_store_find(e->digest) || (signer && gk_key_linked(signer) == 0);
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

	rcu_read_lock();
	spin_lock_irqsave(&gk_inventory_lock, flags);
	hash_for_each(gk_entries, bkt, e, node) {
		id = READ_ONCE(e->aux->id);
		if (!id)
			continue;
		if (e->has_digest)
			bin2hex(digest, e->digest, GK_DIGEST_SIZE)[0] = '\0';
		else
			strscpy(digest, "-", sizeof(digest));
		seq_printf(m, "id=%u action=%s digest=%s rule=%u publisher=\"%s\" reason=\"%s\" app=\"%s\" attach=\"%s\" revoked=%d\n",
			   id, e->action, digest, e->rule, e->publisher, e->reason, e->strings,
			   e->attach, gk_inv_revoked(e));
	}
	seq_printf(m, "entries=%u unrecorded=%llu\n", gk_inventory_n, gk_inventory_dropped);
	spin_unlock_irqrestore(&gk_inventory_lock, flags);
	rcu_read_unlock();
	return 0;
}
