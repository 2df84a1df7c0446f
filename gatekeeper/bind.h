/* SPDX-License-Identifier: GPL-2.0 */
/* bind.c: binding a program to the digest of its kernel copy (GK_HOOK_FD) */
#ifndef GATEKEEPER_BIND_H
#define GATEKEEPER_BIND_H

struct bpf_prog;

int gk_bind_init(void);
void gk_bind_start(void);
void gk_bind_exit(void);
int gk_bind_alloc(const void *aux);
int gk_bind_decide(const struct bpf_prog *prog);
void gk_bind_free(const void *aux);

#endif /* GATEKEEPER_BIND_H */
