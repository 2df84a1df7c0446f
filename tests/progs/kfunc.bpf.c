// SPDX-License-Identifier: GPL-2.0
/*
 * An LSM program that calls one of the gate's kfuncs: only the gate's own
 * programs may (kfunc filter, 6.12+), so the verifier must refuse this one.
 * The types are stand-ins: libbpf matches the kfunc by name and kind.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct bpf_prog {
	int stand_in;
};

extern int gk_kf_prog_fd(struct bpf_prog *prog) __ksym;

SEC("lsm/bpf_prog")
int BPF_PROG(gk_borrow, struct bpf_prog *prog)
{
	return gk_kf_prog_fd(prog) ? -1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
