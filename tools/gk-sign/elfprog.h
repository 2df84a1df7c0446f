/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The programs of a BPF ELF object, as libbpf will hand them to the kernel.
 */
#ifndef GK_TOOLS_ELFPROG_H
#define GK_TOOLS_ELFPROG_H

#include "gk_format.h"
#include "request.h"

struct gk_elfprog {
	char *name;
	char *attach;	/* "MODULE:FUNCTION" its section fixes at load, or NULL */
	char *sec;	/* its section, or NULL (not read from an object) */
	u8 digest[GK_DIGEST_SIZE];
	struct gk_prog_maps maps;	/* read-only ones by gk_map_digest() of their image */
	char *map_name[GK_MAPS_MAX];	/* libbpf's names of the bound maps, or NULL */
};

int gk_elfprog_read(const char *path, const char *set, struct gk_elfprog **progs, u32 *cnt);
void gk_elfprog_free(struct gk_elfprog *progs, u32 cnt);

#endif /* GK_TOOLS_ELFPROG_H */
