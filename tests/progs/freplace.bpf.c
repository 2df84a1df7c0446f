// SPDX-License-Identifier: GPL-2.0
/*
 * An extension (freplace) program, for gk-load --target minimal.bpf.o: it
 * replaces gk_minimal.  Its instructions do not depend on the program it
 * replaces, so gk-sign signs it offline.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("freplace/gk_minimal")
int gk_replacement(struct __sk_buff *skb)
{
	return skb->len > 64 ? 64 : skb->len;
}

char LICENSE[] SEC("license") = "GPL";
