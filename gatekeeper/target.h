/* SPDX-License-Identifier: GPL-2.0 */
/* target.c: what a program attaches to; nothing may aim at the gate */
#ifndef GATEKEEPER_TARGET_H
#define GATEKEEPER_TARGET_H

#include <linux/types.h>

struct bpf_prog;
union bpf_attr;

bool gk_target_name(const struct bpf_prog *prog, char *buf, size_t size);
bool gk_prog_btf_name(const struct bpf_prog *prog, char *buf, size_t size);
const char *gk_target_refusal(const struct bpf_prog *prog, char *buf, size_t size);
struct bpf_prog *gk_attach_refusal(int cmd, const union bpf_attr *attr,
				   char *buf, size_t size);
struct bpf_prog *gk_retarget_name(const union bpf_attr *attr, char *buf, size_t size);

#endif /* GATEKEEPER_TARGET_H */
