/* SPDX-License-Identifier: GPL-2.0 */
/* hooks.c: the kfuncs the BPF half calls, and the decision */
#ifndef GATEKEEPER_HOOKS_H
#define GATEKEEPER_HOOKS_H

#include <linux/types.h>

struct bpf_prog;
union bpf_attr;

struct gk_stats {
	u64 allowed, denied, audited;
};

void gk_stats_read(struct gk_stats *s);
int gk_kfuncs_register(void);
bool gk_selftest_consulted(void);
void gk_selftest_begin(void);
void gk_digest_of(const struct bpf_prog *prog, const union bpf_attr *attr,
		  u8 *digest);
int gk_decide(const struct bpf_prog *prog, const u8 *digest, int origin);

#endif /* GATEKEEPER_HOOKS_H */
