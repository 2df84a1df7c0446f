// SPDX-License-Identifier: GPL-2.0
/*
 * A tracing program without CO-RE: a kprobe that only prints, so nothing
 * in its instructions depends on the kernel's type layout.  Loading does
 * not need the probed function; attaching (not done by the tests) would.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("kprobe/do_nanosleep")
int gk_kprobe(void *ctx)
{
	bpf_printk("gatekeeper test kprobe, pid %d", (__u32)bpf_get_current_pid_tgid());
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
