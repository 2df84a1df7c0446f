// SPDX-License-Identifier: GPL-2.0
/*
 * A CO-RE program: libbpf rewrites the offset of task_struct->tgid for the
 * kernel it loads on, so its instructions, and its digest, depend on that
 * kernel.  Signed per kernel release, as docs/design.md describes.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	int tgid;
} __attribute__((preserve_access_index));

__u32 gk_last_tgid;

SEC("tracepoint/syscalls/sys_enter_getppid")
int gk_core(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	gk_last_tgid = BPF_CORE_READ(task, tgid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
