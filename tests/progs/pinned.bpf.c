// SPDX-License-Identifier: GPL-2.0
/*
 * A map pinned by name, as xdp-tools' objects have them: libbpf pins it
 * under /sys/fs/bpf at load, and gk-sign must sign it without doing so.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} gk_pinned_count SEC(".maps");

SEC("socket")
int gk_pinned(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 *n = bpf_map_lookup_elem(&gk_pinned_count, &key);

	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
