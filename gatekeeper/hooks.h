/* SPDX-License-Identifier: GPL-2.0 */
/* hooks.c: the kfuncs the BPF half calls, and the decision */
#ifndef GATEKEEPER_HOOKS_H
#define GATEKEEPER_HOOKS_H

#include <linux/types.h>

struct gk_stats {
	u64 allowed, denied, audited;
};

void gk_stats_read(struct gk_stats *s);
int gk_kfuncs_register(void);

#endif /* GATEKEEPER_HOOKS_H */
