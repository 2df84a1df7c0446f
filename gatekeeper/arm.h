/* SPDX-License-Identifier: GPL-2.0 */
/* arm.c: loading and attaching the BPF LSM half, disarm, self-test, watch */
#ifndef GATEKEEPER_ARM_H
#define GATEKEEPER_ARM_H

#include <linux/types.h>

struct bpf_prog;
struct btf;

enum gk_arm_state {
	GK_ARMING,	/* module loaded, gate not yet attached */
	GK_ARMED,
	GK_ARM_FAILED,	/* sticky: see gk_arm_error */
	GK_DISARMED,
	GK_BYPASSED,	/* sticky: a program cut the gate out; loads refused */
};

int gk_arm(void);
int gk_disarm(void);
void gk_arm_exit(void);
enum gk_arm_state gk_arm_state(void);
const char *gk_arm_error(void);
const char *gk_hook_name(void);
bool gk_is_gate_prog(const struct bpf_prog *prog);
bool gk_is_vmlinux_btf(const struct btf *btf);
bool gk_arming_here(void);
bool gk_selftest_reached(void);
bool gk_bypassed(void);
void gk_watch_now(void);

#endif /* GATEKEEPER_ARM_H */
