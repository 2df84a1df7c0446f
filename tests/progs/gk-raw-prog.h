/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The N-instruction test program of gk-raw and gk-native: N-1 moves into
 * r0, the last of "r0 = 1", and an exit.  Both load the same bytes, so that
 * one bundle (gk-raw digest N) admits either.
 */
#ifndef GK_RAW_PROG_H
#define GK_RAW_PROG_H

#include <stdio.h>
#include <stdlib.h>
#include <linux/bpf.h>

/* Exits with 99 if it cannot be built. */
static struct bpf_insn *gk_raw_prog(unsigned int n)
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

#endif /* GK_RAW_PROG_H */
