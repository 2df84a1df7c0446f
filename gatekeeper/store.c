// SPDX-License-Identifier: GPL-2.0
/*
 * Registered signatures.  A bundle is verified whole against the
 * .gatekeeper keyring when it is written to securityfs; the decision path
 * then only looks a digest up, under RCU, without touching crypto.
 *
 * One manifest per digest.  Registering the same manifest again, signed by
 * the same key, changes nothing and succeeds, so provisioning can be rerun.
 * Another manifest for a registered digest is refused, unless it marks the
 * program confidential where the registered one did not: then it replaces
 * it.  So no manifest can pre-empt or undo the confidential marking of
 * another (docs/formats.md).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jhash.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/utsname.h>
#include "store.h"
#include "active_policy.h"
#include "keyring.h"
#include "gk_format.h"

#define GK_STORE_MAX (1U << 18)

/*
 * Decisions look digests up in a table that grows with it, so that a
 * lookup costs the same with 10 or 100,000 signatures (BENCHMARKS.md);
 * writers also keep every entry in a list, to walk it.
 */
static const struct rhashtable_params gk_store_params = {
	.key_len = GK_DIGEST_SIZE,
	.key_offset = offsetof(struct gk_entry, digest),
	.head_offset = offsetof(struct gk_entry, node),
	.automatic_shrinking = true,
};

static struct rhashtable gk_store;
static LIST_HEAD(gk_store_list);	/* every entry, under gk_store_lock */
static DEFINE_MUTEX(gk_store_lock);	/* serialises writers */
static unsigned int gk_store_n;

/*
 * The strings many manifests share (publisher, source, kernel release) are
 * kept once, so that they do not round every entry up to the next kmalloc
 * size (BENCHMARKS.md).  Only writers look them up, under gk_store_lock;
 * decisions reach them through entries, under RCU, so a string goes after
 * a grace period, like the last entry that held it.
 */
struct gk_str {
	struct rhash_head node;
	struct rcu_head rcu;
	unsigned int ref;		/* entries holding it, pending ones too */
	u16 len;
	char s[];
};

/* What a string is looked up by. */
struct gk_str_key {
	const char *s;
	u16 len;
};

static u32 gk_str_hash(const void *data, u32 len, u32 seed)
{
	const struct gk_str_key *key = data;

	return jhash(key->s, key->len, seed);
}

static u32 gk_str_obj_hash(const void *data, u32 len, u32 seed)
{
	const struct gk_str *str = data;

	return jhash(str->s, str->len, seed);
}

static int gk_str_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct gk_str_key *key = arg->key;
	const struct gk_str *str = obj;

	return str->len != key->len || memcmp(str->s, key->s, key->len);
}

static const struct rhashtable_params gk_str_params = {
	.head_offset = offsetof(struct gk_str, node),
	.hashfn = gk_str_hash,
	.obj_hashfn = gk_str_obj_hash,
	.obj_cmpfn = gk_str_cmp,
	.automatic_shrinking = true,
};

static struct rhashtable gk_strs;

/*
 * gk_str_get() - @len bytes at @s, NUL-terminated, kept once
 * Context: gk_store_lock held.  Return: the kept string, one more holder
 * counted; NULL if out of memory.
 */
static const char *gk_str_get(const char *s, u16 len)
{
	struct gk_str_key key = { .s = s, .len = len };
	struct gk_str *str;

	str = rhashtable_lookup_fast(&gk_strs, &key, gk_str_params);
	if (!str) {
		str = kmalloc(struct_size(str, s, len + 1), GFP_KERNEL);
		if (!str)
			return NULL;
		str->ref = 0;
		str->len = len;
		memcpy(str->s, s, len);
		str->s[len] = '\0';
		if (rhashtable_insert_fast(&gk_strs, &str->node, gk_str_params)) {
			kfree(str);
			return NULL;
		}
	}
	str->ref++;
	return str->s;
}

/* Drop a holder of @s, from gk_str_get().  Context: gk_store_lock held. */
static void gk_str_put(const char *s)
{
	struct gk_str *str = container_of(s, struct gk_str, s[0]);

	if (--str->ref)
		return;
	rhashtable_remove_fast(&gk_strs, &str->node, gk_str_params);
	kfree_rcu(str, rcu);
}

/*
 * Free @e after a grace period (a decision may still read it, if it was in
 * the table), and drop its shared strings.  Context: gk_store_lock held.
 */
static void gk_entry_free(struct gk_entry *e)
{
	if (e->publisher)
		gk_str_put(e->publisher);
	if (e->source)
		gk_str_put(e->source);
	if (e->target)
		gk_str_put(e->target);
	kfree_rcu(e, rcu);
}

/**
 * gk_store_find() - find the registered manifest for a program digest
 * @digest: GK_DIGEST_SIZE bytes
 *
 * Context: caller holds rcu_read_lock() (or gk_store_lock); the entry is
 * valid until it drops it.
 * Return: the entry, or NULL.
 */
const struct gk_entry *gk_store_find(const u8 *digest)
{
	return rhashtable_lookup(&gk_store, digest, gk_store_params);
}

/* gk_store_find() for writers.  Context: gk_store_lock held. */
static struct gk_entry *gk_store_lookup(const u8 *digest)
{
	return rhashtable_lookup_fast(&gk_store, digest, gk_store_params);
}

struct gk_pending {
	struct list_head entries;	/* linked through gk_entry.all */
	unsigned int n;			/* entries for new digests */
};

/* Do two entries for one digest say the same, vouched for by the same key? */
static bool gk_store_same(const struct gk_entry *a, const struct gk_entry *b)
{
	return a->flags == b->flags && !memcmp(a->signer, b->signer, GK_DIGEST_SIZE) &&
	       !strcmp(a->name, b->name) && !strcmp(a->publisher, b->publisher) &&
	       !strcmp(a->source, b->source) && !strcmp(a->target, b->target) &&
	       !strcmp(a->attach, b->attach) && a->maps_bound == b->maps_bound &&
	       a->map_cnt == b->map_cnt && a->bound_cnt == b->bound_cnt &&
	       !memcmp(a->bound, b->bound, a->bound_cnt * sizeof(*a->bound));
}

/* May a manifest with @flags be registered over @old (NULL: none)? */
static bool gk_store_may_replace(const struct gk_entry *old, u32 flags)
{
	return !old || (!(old->flags & GK_MANIFEST_CONFIDENTIAL) &&
			(flags & GK_MANIFEST_CONFIDENTIAL));
}

static char *gk_copy_str(char **pos, const char *s, size_t n)
{
	char *d = *pos;

	memcpy(d, s, n);
	d[n] = '\0';
	*pos = d + n + 1;
	return d;
}

/* The maps @m binds, into the room at the start of @e->strings. */
static void gk_store_copy_maps(struct gk_entry *e, const struct gk_manifest *m)
{
	struct gk_bound_map *bound = (struct gk_bound_map *)e->strings;
	const u8 *digest;
	u32 i;

	e->maps_bound = m->maps_bound;
	e->map_cnt = m->map_cnt;
	e->bound_cnt = m->bound_cnt;
	e->bound = bound;
	for (i = 0; i < m->bound_cnt; i++) {
		gk_manifest_map_get(m, i, &bound[i].slot, &digest);
		memcpy(bound[i].digest, digest, GK_DIGEST_SIZE);
	}
}

/*
 * An entry for the verified manifest @m, vouched for by the key @signer.
 * Context: gk_store_lock held.  Return: the entry, in no list; NULL if out
 * of memory.
 */
static struct gk_entry *gk_entry_new(const struct gk_manifest *m, const u8 *signer)
{
	struct gk_entry *e;
	char *pos;

	e = kzalloc(struct_size(e, strings, m->bound_cnt * sizeof(struct gk_bound_map) +
				m->name_len + m->attach_len + 2),
		    GFP_KERNEL);
	if (!e)
		return NULL;
	memcpy(e->digest, m->digest, GK_DIGEST_SIZE);
	memcpy(e->signer, signer, GK_DIGEST_SIZE);
	e->flags = m->flags;
	gk_store_copy_maps(e, m);
	pos = e->strings + m->bound_cnt * sizeof(struct gk_bound_map);
	e->name = gk_copy_str(&pos, m->name, m->name_len);
	e->attach = gk_copy_str(&pos, m->attach, m->attach_len);
	e->publisher = gk_str_get(m->publisher, m->publisher_len);
	e->source = gk_str_get(m->source, m->source_len);
	e->target = gk_str_get(m->target, m->target_len);
	if (!e->publisher || !e->source || !e->target) {
		gk_entry_free(e);
		return NULL;
	}
	return e;
}

static int gk_store_check_entry(void *ctx, const struct gk_manifest *m,
				const u8 *sig, size_t sig_len)
{
	struct gk_pending *p = ctx;
	struct gk_entry *e, *old;
	u8 signer[GK_DIGEST_SIZE];
	bool revoked;
	int err;

	if (m->target_len && (m->target_len != strlen(init_utsname()->release) ||
			      memcmp(m->target, init_utsname()->release, m->target_len)))
		return -EXDEV;
	list_for_each_entry(e, &p->entries, all)
		if (!memcmp(e->digest, m->digest, GK_DIGEST_SIZE))
			return -EEXIST;
	old = gk_store_lookup(m->digest);
	if (!old && gk_store_n + p->n >= GK_STORE_MAX)
		return -ENOSPC;

	/* Which key vouched decides the publisher; the manifest's name does not. */
	err = gk_verify_signer(gk_keyring, m->raw, m->raw_len, sig, sig_len, signer);
	if (err)
		return err;
	rcu_read_lock();
	revoked = gk_policy_revokes(m->digest, signer);
	rcu_read_unlock();
	if (revoked)
		return -EKEYREVOKED;
	e = gk_entry_new(m, signer);
	if (!e)
		return -ENOMEM;
	if (old && !gk_store_may_replace(old, m->flags)) {
		/* The same manifest again changes nothing; any other conflicts. */
		err = gk_store_same(old, e) ? 0 : -EEXIST;
		gk_entry_free(e);
		return err;
	}
	list_add_tail(&e->all, &p->entries);
	if (!old)
		p->n++;
	return 0;
}

/*
 * Put a bundle's verified entries in the table: first those for new
 * digests, the only step that can fail (the table cannot grow: no memory),
 * and is then undone; then those that replace a registered manifest.
 * Context: gk_store_lock held.  Return: the entries put in, or -ENOMEM.
 */
static int gk_store_commit(struct gk_pending *p)
{
	struct gk_entry *e, *old, *tmp;
	int err = 0, added = 0;

	list_for_each_entry(e, &p->entries, all) {
		if (gk_store_lookup(e->digest))
			continue;
		err = rhashtable_insert_fast(&gk_store, &e->node, gk_store_params);
		if (err)
			break;
	}
	if (err) {
		/* A load that saw one meanwhile was admitted by a verified manifest. */
		list_for_each_entry_continue_reverse(e, &p->entries, all)
			if (gk_store_lookup(e->digest) == e)
				rhashtable_remove_fast(&gk_store, &e->node, gk_store_params);
		synchronize_rcu();
		return -ENOMEM;
	}
	list_for_each_entry_safe(e, tmp, &p->entries, all) {
		old = gk_store_lookup(e->digest);
		if (old != e) {
			rhashtable_replace_fast(&gk_store, &old->node, &e->node, gk_store_params);
			list_del(&old->all);
			gk_entry_free(old);
		}
		list_move_tail(&e->all, &gk_store_list);
		added++;
	}
	gk_store_n += p->n;
	return added;
}

/**
 * gk_store_add_bundle() - verify a bundle and register all its entries
 * @buf: the bundle as written to securityfs
 * @len: its size
 *
 * Nothing is registered unless every entry verifies.  An entry already
 * registered as it is changes nothing; one that makes a registered program
 * confidential replaces its manifest.
 *
 * Context: process context, may sleep; takes gk_store_lock.
 * Return: number of entries registered, or -EFBIG, -EBADMSG,
 * -EPROTONOSUPPORT (format, see gk_bundle_parse()); -EXDEV (signed for
 * another kernel release); -EEXIST (digest repeated in the bundle, or
 * registered with another manifest that this one would not make
 * confidential);
 * -ENOSPC (store full); -ENOKEY, -EKEYREJECTED, -ENOPKG (signature, see
 * gk_verify_signer()); -EKEYREVOKED (the active policy revokes a digest or the
 * key that vouched for it); -ENOMEM.
 */
int gk_store_add_bundle(const u8 *buf, size_t len)
{
	struct gk_pending p = { .entries = LIST_HEAD_INIT(p.entries) };
	struct gk_entry *e, *tmp;
	int err;

	mutex_lock(&gk_store_lock);
	err = gk_bundle_parse(buf, len, gk_store_check_entry, &p) ?:
	      gk_store_commit(&p);
	/* Committed, the entries moved to gk_store_list and @err is their count. */
	list_for_each_entry_safe(e, tmp, &p.entries, all)
		gk_entry_free(e);
	mutex_unlock(&gk_store_lock);
	return err;
}

/*
 * What "digest HEX" or "key HEX" names: a program digest, or the key that
 * vouched.  Return: true with @digest or @signer filled and the other NULL.
 */
static bool gk_store_parse_match(const u8 *buf, size_t len, u8 bin[GK_DIGEST_SIZE],
				 const u8 **digest, const u8 **signer)
{
	static const char *const words[] = { "digest ", "key " };
	size_t i, n, hex = 2 * GK_DIGEST_SIZE;

	if (len && buf[len - 1] == '\n')
		len--;
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		n = strlen(words[i]);
		if (len != n + hex || memcmp(buf, words[i], n) ||
		    hex2bin(bin, (const char *)buf + n, GK_DIGEST_SIZE))
			continue;
		*digest = i ? NULL : bin;
		*signer = i ? bin : NULL;
		return true;
	}
	return false;
}

/**
 * gk_store_remove() - unregister manifests
 * @buf: "digest HEX" (one program) or "key HEX" (every manifest that key
 *       vouched for), HEX 64 hex digits, an optional newline after
 * @len: its size
 *
 * Only takes trust away, so it is allowed once the gate is locked.  A
 * removed manifest may be registered again; a signed policy's revocations
 * are what lasts.
 *
 * Context: process context; takes gk_store_lock.
 * Return: the number of manifests removed; -EINVAL if @buf says neither;
 * -ENOENT if none matched.
 */
int gk_store_remove(const u8 *buf, size_t len)
{
	const u8 *digest, *signer;
	u8 bin[GK_DIGEST_SIZE];
	struct gk_entry *e, *tmp;
	int n = 0;

	if (!gk_store_parse_match(buf, len, bin, &digest, &signer))
		return -EINVAL;
	mutex_lock(&gk_store_lock);
	list_for_each_entry_safe(e, tmp, &gk_store_list, all) {
		if (memcmp(digest ? e->digest : e->signer, digest ?: signer, GK_DIGEST_SIZE))
			continue;
		rhashtable_remove_fast(&gk_store, &e->node, gk_store_params);
		list_del(&e->all);
		gk_entry_free(e);
		gk_store_n--;
		n++;
	}
	mutex_unlock(&gk_store_lock);
	return n ?: -ENOENT;
}

/**
 * gk_show_maps() - the maps a program is bound to, as the files show them
 * @m: the seq_file
 * @bound: whether @map_cnt and @map hold; if not, "-"
 * @map_cnt: the maps the program uses
 * @bound_cnt: the read-only ones bound, in @map
 * @map: their slots and digests
 *
 * Prints the count, then each bound map as "SLOT=DIGEST" (docs/formats.md).
 */
void gk_show_maps(struct seq_file *m, bool bound, u8 map_cnt, u8 bound_cnt,
		  const struct gk_bound_map *map)
{
	u32 i;

	if (!bound) {
		seq_putc(m, '-');
		return;
	}
	seq_printf(m, "%u", map_cnt);
	for (i = 0; i < bound_cnt; i++)
		seq_printf(m, "%c%u=%*phN", i ? ',' : ':', map[i].slot, GK_DIGEST_SIZE,
			   map[i].digest);
}

/*
 * One line per registered manifest: digest, confidential or "-", name,
 * publisher, source, kernel release, attach target, bound maps, the
 * vouching key's fingerprint; "-" for an empty string.
 * Context: process context; takes gk_store_lock.
 */
int gk_store_show(struct seq_file *m)
{
	struct gk_entry *e;

	mutex_lock(&gk_store_lock);
	list_for_each_entry(e, &gk_store_list, all) {
		seq_printf(m, "%*phN\t%s\t%s\t%s\t%s\t%s\t%s\t", GK_DIGEST_SIZE, e->digest,
			   e->flags & GK_MANIFEST_CONFIDENTIAL ? "confidential" : "-",
			   e->name, *e->publisher ? e->publisher : "-",
			   *e->source ? e->source : "-", *e->target ? e->target : "-",
			   *e->attach ? e->attach : "-");
		gk_show_maps(m, e->maps_bound, e->map_cnt, e->bound_cnt, e->bound);
		seq_printf(m, "\t%*phN\n", GK_DIGEST_SIZE, e->signer);
	}
	mutex_unlock(&gk_store_lock);
	return 0;
}

unsigned int gk_store_count(void)
{
	return READ_ONCE(gk_store_n);
}

/* Context: module init.  Return: 0 or -ENOMEM. */
int gk_store_init(void)
{
	int err;

	err = rhashtable_init(&gk_store, &gk_store_params);
	if (err)
		return err;
	err = rhashtable_init(&gk_strs, &gk_str_params);
	if (err)
		rhashtable_destroy(&gk_store);
	return err;
}

/* Context: module exit; no reader can be left (the gate is detached). */
void gk_store_exit(void)
{
	struct gk_entry *e, *tmp;

	mutex_lock(&gk_store_lock);
	list_for_each_entry_safe(e, tmp, &gk_store_list, all)
		gk_entry_free(e);
	mutex_unlock(&gk_store_lock);
	rhashtable_destroy(&gk_strs);
	rhashtable_destroy(&gk_store);
}
