/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The programs of a BPF ELF object, as libbpf will hand them to the kernel.
 */
#ifndef GK_TOOLS_ELFPROG_H
#define GK_TOOLS_ELFPROG_H

#include "gk_format.h"

struct gk_elfprog {
	char *name;
	char *attach;	/* "MODULE:FUNCTION" its section fixes at load, or NULL */
	char *sec;	/* its section, or NULL (not read from an object) */
	u8 digest[GK_DIGEST_SIZE];
};

int gk_elfprog_read(const char *path, struct gk_elfprog **progs, u32 *cnt);
void gk_elfprog_free(struct gk_elfprog *progs, u32 cnt);

#endif /* GK_TOOLS_ELFPROG_H */
