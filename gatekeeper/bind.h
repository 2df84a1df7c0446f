/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bind.c: the digest of a program's kernel copy, and on GK_HOOK_FD kernels
 * the binding of a program to that digest until its first fd
 */
#ifndef GATEKEEPER_BIND_H
#define GATEKEEPER_BIND_H

#include <linux/types.h>

struct bpf_prog;
union bpf_attr;

/*
 * The decision on a load (hooks.c), which the binding takes at the first
 * fd.  Return: 0 to admit, -EPERM to refuse.
 */
typedef int (*gk_decide_fn)(const struct bpf_prog *prog, const u8 *digest, int origin);

void gk_digest_of(const struct bpf_prog *prog, const union bpf_attr *attr,
		  u8 *digest);
int gk_bind_init(void);
void gk_bind_start(void);
void gk_bind_exit(void);
int gk_bind_alloc(const void *aux);
int gk_bind_decide(const struct bpf_prog *prog, gk_decide_fn decide);
void gk_bind_free(const void *aux);

#endif /* GATEKEEPER_BIND_H */
