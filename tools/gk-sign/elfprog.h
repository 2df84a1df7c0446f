/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The programs of a BPF ELF object, as libbpf will hand them to the kernel.
 */
#ifndef GK_TOOLS_ELFPROG_H
#define GK_TOOLS_ELFPROG_H

#include "gk_format.h"

/* A read-only map whose contents a signature binds. */
struct gk_elfmap {
	u8 slot;			/* its place among the program's maps */
	u8 digest[GK_DIGEST_SIZE];	/* gk_map_digest() of its image */
	char *name;			/* libbpf's name for it, or NULL */
};

struct gk_elfprog {
	char *name;
	char *attach;	/* "MODULE:FUNCTION" its section fixes at load, or NULL */
	char *sec;	/* its section, or NULL (not read from an object) */
	u8 digest[GK_DIGEST_SIZE];
	bool maps_bound;	/* map_cnt and bound[] hold */
	u8 map_cnt, bound_cnt;
	struct gk_elfmap bound[GK_MAPS_MAX];
};

int gk_elfprog_read(const char *path, const char *set, struct gk_elfprog **progs, u32 *cnt);
void gk_elfprog_free(struct gk_elfprog *progs, u32 cnt);

#endif /* GK_TOOLS_ELFPROG_H */
