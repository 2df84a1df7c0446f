// SPDX-License-Identifier: GPL-2.0
/*
 * Two programs whose target is fixed at load, from the kernel's BTF: an
 * fentry program and an LSM program.  Neither reads its context, so the
 * verifier takes either aimed at any function: only a signature that binds
 * the target keeps them where they were signed for.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("fentry/do_nanosleep")
int gk_fentry(void *ctx)
{
	return 0;
}

SEC("lsm/file_open")
int gk_lsm(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
