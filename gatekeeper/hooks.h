/* SPDX-License-Identifier: GPL-2.0 */
/* hooks.c: the kfuncs the BPF half calls, and the decision */
#ifndef GATEKEEPER_HOOKS_H
#define GATEKEEPER_HOOKS_H

#include <linux/types.h>

struct bpf_prog;

struct gk_stats {
	u64 allowed, denied, audited;
};

void gk_stats_read(struct gk_stats *s);
int gk_kfuncs_register(void);

/*
 * The decision on a load, which bind.c is handed (gk_decide_fn).  Global,
 * so that it always exists as one function with BTF: fentry and fexit
 * programs aimed at the decision name it (bypass.sh).
 */
int gk_decide(const struct bpf_prog *prog, const u8 *digest, int origin);

#endif /* GATEKEEPER_HOOKS_H */
