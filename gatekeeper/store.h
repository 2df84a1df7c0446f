/* SPDX-License-Identifier: GPL-2.0 */
/* store.c: registered signatures, checked against the keyring */
#ifndef GATEKEEPER_STORE_H
#define GATEKEEPER_STORE_H

#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include "gk_format.h"

struct seq_file;

/*
 * A registered, verified manifest.  Strings are NUL-terminated; @name and
 * @attach are the entry's own, @publisher, @source and @target are shared
 * with every entry that says the same (store.c).
 */
struct gk_entry {
	struct rhash_head node;		/* in the table the decisions look in */
	struct list_head all;		/* in the writers' list, or a bundle's pending one */
	struct rcu_head rcu;
	u8 digest[GK_DIGEST_SIZE];
	u8 signer[GK_DIGEST_SIZE];	/* fingerprint of the vouching key */
	u32 flags;
	bool maps_bound;	/* version 3: map_cnt and bound[] hold */
	u8 map_cnt, bound_cnt;
	const char *name, *publisher, *source, *target;
	const char *attach;	/* "MODULE:FUNCTION", or "": any target */
	const struct gk_bound_map *bound;	/* in @strings, before @name and @attach */
	char strings[];
};

/* Does @e bind more than the digest (checked at the program's first fd)? */
static inline bool gk_entry_binds(const struct gk_entry *e)
{
	return *e->attach || e->maps_bound;
}

int gk_store_add_bundle(const u8 *buf, size_t len);
int gk_store_remove(const u8 *buf, size_t len);
const struct gk_entry *gk_store_find(const u8 *digest);
int gk_store_show(struct seq_file *m);
void gk_show_maps(struct seq_file *m, bool bound, u8 map_cnt, u8 bound_cnt,
		  const struct gk_bound_map *map);
unsigned int gk_store_count(void);
int gk_store_init(void);
void gk_store_exit(void);

#endif /* GATEKEEPER_STORE_H */
