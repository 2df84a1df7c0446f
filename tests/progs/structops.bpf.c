// SPDX-License-Identifier: GPL-2.0
/*
 * A TCP congestion control as struct_ops programs.  A struct_ops program
 * is verified for one member of one kernel struct, both fixed at load; the
 * member's index is in its digest, the struct is not.  None of these
 * programs reads its context, so the verifier takes each as the same member
 * of another struct with a function there (gk-load --attach-to
 * PROG=STRUCT): only a signature that binds the struct keeps it a
 * congestion control.  The struct is declared with only the members set:
 * libbpf matches members by name against the kernel's BTF.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct sock;

struct tcp_congestion_ops {
	__u32 (*ssthresh)(struct sock *sk);
	__u32 (*undo_cwnd)(struct sock *sk);
	char name[16];
};

SEC("struct_ops/gk_ssthresh")
__u32 gk_ssthresh(struct sock *sk)
{
	return 2;
}

SEC("struct_ops/gk_undo_cwnd")
__u32 gk_undo_cwnd(struct sock *sk)
{
	return 10;
}

SEC(".struct_ops")
struct tcp_congestion_ops gk_ca = {
	.ssthresh = (void *)gk_ssthresh,
	.undo_cwnd = (void *)gk_undo_cwnd,
	.name = "gk_ca",
};

char LICENSE[] SEC("license") = "GPL";
