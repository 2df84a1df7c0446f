// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only data a manifest binds.  A program's behaviour is chosen by
 * its instructions and by the read-only maps they read (.rodata, where
 * libbpf puts every "const volatile" setting).  A version 3 manifest binds
 * how many maps the program uses and the digest of each read-only one,
 * by its place among them.
 *
 * The check runs where the program's first fd is made, on the maps the
 * verifier resolved (prog->aux->used_maps, in the order the instructions
 * first name them), never on fds read before verification, which another
 * thread can swap.  A bound map must hold contents that can no longer
 * change: an array, read-only to programs (BPF_F_RDONLY_PROG) and frozen
 * (no write from userspace, no writable mapping), which is how libbpf
 * leaves .rodata and .kconfig.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "rodata.h"
#include "store.h"

/**
 * gk_binding_new() - copy what a manifest binds beyond the digest
 * @e: the registered manifest
 * @gfp: allocation flags
 *
 * Context: RCU read side (which keeps @e); sleeps only if @gfp does.
 * Return: the binding to kfree(); NULL if @e binds nothing or no memory
 * was left (tell them apart with gk_entry_binds()).
 */
struct gk_binding *gk_binding_new(const struct gk_entry *e, gfp_t gfp)
{
	struct gk_binding *b;

	if (!gk_entry_binds(e))
		return NULL;
	b = kzalloc(struct_size(b, bound, e->bound_cnt), gfp);
	if (!b)
		return NULL;
	strscpy(b->attach, e->attach, sizeof(b->attach));
	b->maps_bound = e->maps_bound;
	b->map_cnt = e->map_cnt;
	b->bound_cnt = e->bound_cnt;
	memcpy(b->bound, e->bound, e->bound_cnt * sizeof(*e->bound));
	return b;
}

/**
 * gk_binding_of() - what a manifest must bind to admit a program as loaded
 * @prog: the program, verified
 * @gfp: allocation flags
 *
 * For learning: its maps, with the digests of the read-only ones; the
 * caller names the target (gk_target_name()).
 *
 * Context: BPF LSM program, no sleeping (unless @gfp allows).
 * Return: the binding to kfree(), or NULL if no memory was left or the
 * maps were being changed.
 */
struct gk_binding *gk_binding_of(const struct bpf_prog *prog, gfp_t gfp)
{
	struct bpf_prog_aux *aux = prog->aux;
	struct gk_bound_map *bm;
	struct gk_binding *b;
	u32 i;

	if (!mutex_trylock(&aux->used_maps_mutex))
		return NULL;
	b = aux->used_map_cnt <= GK_MAPS_MAX ?
	    kzalloc(struct_size(b, bound, aux->used_map_cnt), gfp) : NULL;
	if (!b)
		goto out;
	b->maps_bound = true;
	b->map_cnt = aux->used_map_cnt;
	for (i = 0; i < aux->used_map_cnt; i++) {
		bm = &b->bound[b->bound_cnt];
		if (!gk_map_bindable(aux->used_maps[i]) ||
		    gk_map_contents_digest(aux->used_maps[i], bm->digest))
			continue;
		bm->slot = i;
		b->bound_cnt++;
	}
out:
	mutex_unlock(&aux->used_maps_mutex);
	return b;
}

/* Do @a and @b bind the same attach target? */
bool gk_binding_same_target(const struct gk_binding *a, const struct gk_binding *b)
{
	return !strcmp(a->attach, b->attach);
}

/* Do @a and @b bind the same maps and read-only data? */
bool gk_binding_same_maps(const struct gk_binding *a, const struct gk_binding *b)
{
	return a->maps_bound == b->maps_bound && a->map_cnt == b->map_cnt &&
	       a->bound_cnt == b->bound_cnt &&
	       !memcmp(a->bound, b->bound, a->bound_cnt * sizeof(*a->bound));
}

/**
 * gk_map_bindable() - can a map's contents no longer change
 * @map: a map
 *
 * Context: any.
 * Return: whether it is an array of at most GK_MAP_BIND_MAX bytes,
 * read-only to programs, and frozen.
 */
bool gk_map_bindable(const struct bpf_map *map)
{
	return map->map_type == BPF_MAP_TYPE_ARRAY &&
	       (u64)map->value_size * map->max_entries <= GK_MAP_BIND_MAX &&
	       (map->map_flags & BPF_F_RDONLY_PROG) && READ_ONCE(map->frozen);
}

static const void *gk_array_value(const void *map, u32 i)
{
	const struct bpf_map *m = map;

	return m->ops->map_lookup_elem((struct bpf_map *)m, &i);
}

/**
 * gk_map_contents_digest() - digest of an array's contents (gk_map_digest())
 * @map: an array map
 * @out: the digest
 *
 * Context: RCU read side; does not sleep or allocate.
 * Return: 0; -EINVAL if @map is not an array; -EFAULT if an element could
 * not be read.
 */
int gk_map_contents_digest(struct bpf_map *map, u8 out[GK_DIGEST_SIZE])
{
	const struct gk_map_desc desc = {
		.map_type = map->map_type,
		.value_size = map->value_size,
		.max_entries = map->max_entries,
		.value = gk_array_value,
		.ctx = map,
	};

	if (map->map_type != BPF_MAP_TYPE_ARRAY)
		return -EINVAL;
	return gk_map_digest(&desc, out);
}

/* Is the map in @slot what @bm binds?  Say why not in @why. */
static bool gk_map_differs(struct bpf_map *map, const struct gk_bound_map *bm,
			   char *why, size_t size)
{
	u8 digest[GK_DIGEST_SIZE];

	if (!gk_map_bindable(map)) {
		snprintf(why, size, "its map %u (%s) must be a frozen array read-only to programs, of at most 4 MiB",
			 bm->slot, map->name);
		return true;
	}
	if (gk_map_contents_digest(map, digest) ||
	    memcmp(digest, bm->digest, GK_DIGEST_SIZE)) {
		snprintf(why, size, "read-only data of its map %u (%s) differs from what was signed",
			 bm->slot, map->name);
		return true;
	}
	return false;
}

/**
 * gk_maps_refusal() - are a program's maps other than its manifest binds
 * @prog: the program, verified
 * @b: what its manifest binds
 * @why: room for the reason
 * @size: size of @why
 *
 * The maps are read under their mutex, against BPF_PROG_BIND_MAP; held
 * elsewhere, the program is refused (the loader may retry).
 *
 * Context: BPF LSM program, no sleeping.
 * Return: true with the reason in @why if the program must be refused.
 */
bool gk_maps_refusal(const struct bpf_prog *prog, const struct gk_binding *b,
		     char *why, size_t size)
{
	struct bpf_prog_aux *aux = prog->aux;
	bool differ = false;
	u32 i;

	if (!b->maps_bound)
		return false;
	if (!mutex_trylock(&aux->used_maps_mutex)) {
		strscpy(why, "its maps were being changed while checked: retry", size);
		return true;
	}
	if (aux->used_map_cnt != b->map_cnt) {
		snprintf(why, size, "uses %u maps, signed for %u", aux->used_map_cnt, b->map_cnt);
		differ = true;
	}
	for (i = 0; !differ && i < b->bound_cnt; i++)
		differ = gk_map_differs(aux->used_maps[b->bound[i].slot], &b->bound[i], why, size);
	mutex_unlock(&aux->used_maps_mutex);
	return differ;
}
