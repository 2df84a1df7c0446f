/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What gk-raw and gk-native share: the N-instruction test program, N-1
 * moves into r0, the last of "r0 = 1", and an exit (both load the same
 * bytes, so that one bundle, gk-raw digest N, admits either), and the clock
 * their benchmarks read.
 */
#ifndef GK_RAW_PROG_H
#define GK_RAW_PROG_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <linux/bpf.h>

/* Exits with 99 if it cannot be built. */
static inline struct bpf_insn *gk_raw_prog(unsigned int n)
{
	struct bpf_insn *insns = calloc(n ? n : 1, sizeof(*insns));
	unsigned int i;

	if (!insns || n < 1) {
		fprintf(stderr, "cannot build a %u-instruction program\n", n);
		exit(99);
	}
	for (i = 0; i + 1 < n; i++)
		insns[i] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,
					      .dst_reg = BPF_REG_0, .imm = (int)(n - 1 - i) };
	insns[n - 1] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	return insns;
}

static inline unsigned long long gk_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

#endif /* GK_RAW_PROG_H */
