// SPDX-License-Identifier: GPL-2.0
/*
 * The smallest program the gate judges: a socket filter that keeps every
 * packet whole.  (Not "return 0": those two instructions are what libbpf
 * loads to probe whether BPF works at all, and the tests sign that probe
 * separately.)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int gk_minimal(struct __sk_buff *skb)
{
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
