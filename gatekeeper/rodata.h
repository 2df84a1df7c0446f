/* SPDX-License-Identifier: GPL-2.0 */
/* rodata.c: what a manifest binds beyond the digest, checked at the first fd */
#ifndef GATEKEEPER_RODATA_H
#define GATEKEEPER_RODATA_H

#include <linux/types.h>
#include "gk_format.h"
#include "store.h"

struct bpf_map;
struct bpf_prog;

/*
 * What a registered manifest binds beyond the digest: where the program
 * aims, and its maps.  Carried from the decision to the program's first
 * fd, where the verifier has resolved both (inventory.c).
 */
struct gk_binding {
	char attach[GK_ATTACH_MAX + 1];	/* "MODULE:FUNCTION", or "": any target */
	bool maps_bound;		/* map_cnt and bound[] hold */
	u8 map_cnt, bound_cnt;
	struct gk_bound_map bound[];
};

struct gk_binding *gk_binding_new(const struct gk_entry *e, gfp_t gfp);
struct gk_binding *gk_binding_of(const struct bpf_prog *prog, gfp_t gfp);
bool gk_binding_same_target(const struct gk_binding *a, const struct gk_binding *b);
bool gk_binding_same_maps(const struct gk_binding *a, const struct gk_binding *b);
bool gk_maps_refusal(const struct bpf_prog *prog, const struct gk_binding *b,
		     char *why, size_t size);
bool gk_map_bindable(const struct bpf_map *map);
int gk_map_contents_digest(struct bpf_map *map, u8 out[GK_DIGEST_SIZE]);

#endif /* GATEKEEPER_RODATA_H */
