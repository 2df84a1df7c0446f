// SPDX-License-Identifier: GPL-2.0
/*
 * Everything libbpf relocates without kernel BTF: a hash and an array map,
 * .rodata, .data and .bss globals, and a static and a global subprogram
 * that libbpf appends to each program calling them.  Socket filters, so the
 * object loads unchanged on every kernel of the test matrix.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} gk_seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} gk_totals SEC(".maps");

const volatile __u32 gk_snaplen = 64;	/* .rodata, set before load */
__u64 gk_packets;			/* .bss */
__u64 gk_generation = 1;		/* .data */

static __noinline __u64 gk_account(__u32 slot, __u64 len)
{
	__u64 *total = bpf_map_lookup_elem(&gk_totals, &slot);

	if (!total)
		return 0;
	__sync_fetch_and_add(total, len);
	return *total;
}

/* Global: verified on its own, with no knowledge of its callers. */
__noinline int gk_remember(__u32 key)
{
	__u64 gen = gk_generation;

	gk_packets++;
	return bpf_map_update_elem(&gk_seen, &key, &gen, BPF_ANY) ? 0 : 1;
}

SEC("socket")
int gk_maps_count(struct __sk_buff *skb)
{
	gk_account(0, skb->len);
	gk_remember(skb->hash);
	return skb->len < gk_snaplen ? skb->len : gk_snaplen;
}

SEC("socket")
int gk_maps_peek(struct __sk_buff *skb)
{
	__u32 key = skb->hash;

	if (bpf_map_lookup_elem(&gk_seen, &key))
		gk_account(1, 1);
	return gk_remember(key) ? 0 : gk_snaplen;
}

char LICENSE[] SEC("license") = "GPL";
