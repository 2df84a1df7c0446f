// SPDX-License-Identifier: GPL-2.0
/*
 * The catalogue of loader feature probes (docs/probes.md).
 *
 * Review rule for an entry: the program computes nothing from kernel or
 * user data that it could hand to anyone, and the loader closes it right
 * after loading (or after attaching or running it once, where noted).
 * Whoever could attach it anyway gets a program that returns a constant,
 * or a value of no consequence, at an attach point its own privileges
 * already control.
 *
 * The listings are libbpf's, as shipped in Debian bookworm (1.1) and
 * trixie (1.5), and so of everything linked against it, bpftool and the
 * libbpf-tools included; those the libbpf-tools add of their own (their
 * trace_helpers); and bpftrace's (0.17, its BPFfeature).  Where noted, the
 * loader attaches or runs a probe for a moment.
 */
#include "gk_probes.h"

/* Instruction classes and operations (the BPF instruction set). */
#define GK_OP_MOV64_IMM 0xb7	/* BPF_ALU64 | BPF_MOV | BPF_K */
#define GK_OP_MOV64_REG 0xbf	/* BPF_ALU64 | BPF_MOV | BPF_X */
#define GK_OP_ADD64_IMM 0x07	/* BPF_ALU64 | BPF_ADD | BPF_K */
#define GK_OP_ST_DW 0x7a	/* BPF_ST | BPF_MEM | BPF_DW */
#define GK_OP_LD_IMM64 0x18	/* BPF_LD | BPF_IMM | BPF_DW */
#define GK_OP_CALL 0x85		/* BPF_JMP | BPF_CALL */
#define GK_OP_EXIT 0x95		/* BPF_JMP | BPF_EXIT */
#define GK_OP_JLT_IMM 0xa5	/* BPF_JMP | BPF_JLT | BPF_K */
#define GK_OP_LDX_W 0x61	/* BPF_LDX | BPF_MEM | BPF_W */
#define GK_OP_STX_DW 0x7b	/* BPF_STX | BPF_MEM | BPF_DW */

#define GK_PSEUDO_CALL_REL 1	/* src_reg of a call to a subprogram */
#define GK_PSEUDO_VALUE 2	/* src_reg of ld_imm64: map value, imm = fd */

/* Program types, attach types and helpers, by their uapi numbers. */
#define GK_SOCKET_FILTER 1
#define GK_KPROBE 2
#define GK_TRACEPOINT 5
#define GK_PERF_EVENT 7
#define GK_RAW_TRACEPOINT 17
#define GK_CGROUP_SOCK 9
#define GK_CGROUP_INET_SOCK_CREATE 2
#define GK_TRACING 26
#define GK_TRACE_RAW_TP 23
#define GK_TRACE_FENTRY 24
#define GK_TRACE_ITER 28
#define GK_TRACE_KPROBE_MULTI 42
#define GK_TRACE_UPROBE_MULTI 48
#define GK_FN_PROBE_READ 4
#define GK_FN_PROBE_READ_STR 45
#define GK_FN_OVERRIDE_RETURN 58
#define GK_FN_GET_CURRENT_CGROUP_ID 80
#define GK_FN_SEND_SIGNAL 109
#define GK_FN_PROBE_READ_USER 112
#define GK_FN_PROBE_READ_KERNEL 113
#define GK_FN_PROBE_READ_USER_STR 114
#define GK_FN_PROBE_READ_KERNEL_STR 115
#define GK_FN_KTIME_GET_BOOT_NS 125
#define GK_FN_D_PATH 147
#define GK_FN_KTIME_GET_COARSE_NS 160
#define GK_FN_GET_FUNC_IP 173
#define GK_FN_GET_ATTACH_COOKIE 174

#define GK_INSN(op, dst, src, o, i) { .code = (op), .regs = (dst) | (src) << 4, .off = (o), .imm = (i) }
#define R0_IS(v) GK_INSN(GK_OP_MOV64_IMM, 0, 0, 0, v)
#define CALL(fn) GK_INSN(GK_OP_CALL, 0, 0, 0, fn)
#define EXIT GK_INSN(GK_OP_EXIT, 0, 0, 0, 0)
/* r1 = address of byte @off of a map's value; the map fd is not digested. */
#define R1_IS_MAP_VALUE(off) \
	GK_INSN(GK_OP_LD_IMM64, 1, GK_PSEUDO_VALUE, 0, 0), GK_INSN(0, 0, 0, 0, off)

/* r0 = 0; exit */
static const struct gk_insn gk_return_zero[] = { R0_IS(0), EXIT };

/* call bpf_ktime_get_coarse_ns; exit */
static const struct gk_insn gk_coarse_time[] = { CALL(GK_FN_KTIME_GET_COARSE_NS), EXIT };

/* r1 = &map_value[16]; *(u64 *)(r1 + 0) = 42; r0 = 0; exit */
static const struct gk_insn gk_global_data[] = {
	R1_IS_MAP_VALUE(16),
	GK_INSN(GK_OP_ST_DW, 1, 0, 0, 42),
	R0_IS(0),
	EXIT,
};

/* r1 = r10; r1 += -8; r2 = 8; r3 = 0; call bpf_probe_read_kernel; exit */
static const struct gk_insn gk_read_kernel[] = {
	GK_INSN(GK_OP_MOV64_REG, 1, 10, 0, 0),
	GK_INSN(GK_OP_ADD64_IMM, 1, 0, 0, -8),
	GK_INSN(GK_OP_MOV64_IMM, 2, 0, 0, 8),
	GK_INSN(GK_OP_MOV64_IMM, 3, 0, 0, 0),
	CALL(GK_FN_PROBE_READ_KERNEL),
	EXIT,
};

/* call bpf_get_attach_cookie; exit */
static const struct gk_insn gk_attach_cookie[] = { CALL(GK_FN_GET_ATTACH_COOKIE), EXIT };

/* call +1; exit; (global subprogram) call bpf_get_func_ip; exit */
static const struct gk_insn gk_arg_ctx[] = {
	GK_INSN(GK_OP_CALL, 0, GK_PSEUDO_CALL_REL, 0, 1),
	EXIT,
	CALL(GK_FN_GET_FUNC_IP),
	EXIT,
};

/* r1 = &map_value[1 << 30]; exit: the verifier must refuse it */
static const struct gk_insn gk_far_value[] = { R1_IS_MAP_VALUE(1 << 30), EXIT };

/*
 * bpftrace's helper probes: "call HELPER; exit" with the arguments unset
 * (r1 still holds the context).  The verifier refuses every one whose
 * helper takes more than one argument; what bpftrace reads is whether its
 * log names the helper unknown.
 */
#define GK_HELPER_PROBE(fn) static const struct gk_insn gk_call_##fn[] = { CALL(GK_FN_##fn), EXIT }
GK_HELPER_PROBE(PROBE_READ);
GK_HELPER_PROBE(PROBE_READ_STR);
GK_HELPER_PROBE(PROBE_READ_USER);
GK_HELPER_PROBE(PROBE_READ_USER_STR);
GK_HELPER_PROBE(PROBE_READ_KERNEL);
GK_HELPER_PROBE(PROBE_READ_KERNEL_STR);
GK_HELPER_PROBE(OVERRIDE_RETURN);
GK_HELPER_PROBE(SEND_SIGNAL);
GK_HELPER_PROBE(GET_CURRENT_CGROUP_ID);
GK_HELPER_PROBE(KTIME_GET_BOOT_NS);

/* r0 = 0; r0 += 1; if r0 < 4 goto -2; exit */
static const struct gk_insn gk_bounded_loop[] = {
	R0_IS(0),
	GK_INSN(GK_OP_ADD64_IMM, 0, 0, 0, 1),
	GK_INSN(GK_OP_JLT_IMM, 0, 0, -2, 4),
	EXIT,
};

/* r0 = 0 (as ld_imm64); exit */
static const struct gk_insn gk_imm64_zero[] = {
	GK_INSN(GK_OP_LD_IMM64, 0, 0, 0, 0), GK_INSN(0, 0, 0, 0, 0), EXIT,
};

/* r1 = *(u32 *)ctx; r2 = fp - 8; *r2 = 0; r3 = 8; call bpf_d_path; r0 = 0; exit */
static const struct gk_insn gk_d_path[] = {
	GK_INSN(GK_OP_LDX_W, 1, 1, 0, 0),
	GK_INSN(GK_OP_MOV64_REG, 2, 10, 0, 0),
	GK_INSN(GK_OP_ADD64_IMM, 2, 0, 0, -8),
	GK_INSN(GK_OP_MOV64_IMM, 6, 0, 0, 0),
	GK_INSN(GK_OP_STX_DW, 2, 6, 0, 0),
	GK_INSN(GK_OP_LD_IMM64, 3, 0, 0, 8), GK_INSN(0, 0, 0, 0, 0),
	CALL(GK_FN_D_PATH),
	R0_IS(0),
	EXIT,
};


#define GK_LISTING(a) .insns = (a), .insn_cnt = sizeof(a) / sizeof((a)[0])

#define GK_BPFTRACE_HELPER(name, fn, what, why) {				\
	.id = "bpftrace-helper-" name,						\
	.loader = "bpftrace 0.17 (detect_helper)",				\
	.feature = what,							\
	.harmless = why,							\
	.prog_type = GK_KPROBE,							\
	GK_LISTING(gk_call_##fn),						\
}
#define GK_UNSET_ARGS "calls the helper with its second and later arguments unset, which the verifier refuses"
#define GK_KPROBE_RESULT "a kprobe's result only decides whether its own perf event records the hit"

const struct gk_probe gk_probes[] = {
	{
		.id = "libbpf-trivial",
		.loader = "libbpf 0.x-1.x (also as libbpf_nametest, and before BPF_PROG_BIND_MAP)",
		.feature = "BPF loads work at all; program names; binding a map to a program",
		.harmless = "a socket filter returning 0: attached, it drops the packets of a socket its loader owns",
		.prog_type = GK_SOCKET_FILTER,
		GK_LISTING(gk_return_zero),
	},
	{
		.id = "libbpf-memcg",
		.loader = "libbpf 0.6-1.x",
		.feature = "BPF memory is charged to the memory cgroup (else raise RLIMIT_MEMLOCK)",
		.harmless = "a socket filter returning a timestamp as the length to keep of a packet of its loader's socket",
		.prog_type = GK_SOCKET_FILTER,
		GK_LISTING(gk_coarse_time),
	},
	{
		.id = "libbpf-global-data",
		.loader = "libbpf 0.0.3-1.x",
		.feature = "global data: direct access to a map value",
		.harmless = "writes a constant into a map its loader made for it, returns 0",
		.prog_type = GK_SOCKET_FILTER,
		GK_LISTING(gk_global_data),
	},
	{
		.id = "libbpf-attach-type",
		.loader = "libbpf 0.0.2-1.x",
		.feature = "expected_attach_type at load",
		.harmless = "returns 0; attaching a cgroup program needs CAP_NET_ADMIN over the cgroup, which can refuse sockets there anyway",
		.prog_type = GK_CGROUP_SOCK,
		.expected_attach_type = GK_CGROUP_INET_SOCK_CREATE,
		GK_LISTING(gk_return_zero),
	},
	{
		.id = "libbpf-read-kernel",
		.loader = "libbpf 0.2-1.x",
		.feature = "the bpf_probe_read_kernel helper",
		.harmless = "reads 8 bytes at address 0 (it fails) into its own stack; a tracepoint's result is ignored",
		.prog_type = GK_TRACEPOINT,
		GK_LISTING(gk_read_kernel),
	},
	{
		.id = "libbpf-perf-link",
		.loader = "libbpf 0.8-1.x; bpftrace 0.17 (tracepoint support)",
		.feature = "BPF links for perf events; tracepoint programs",
		.harmless = "a tracepoint program returning 0, whose result is ignored",
		.prog_type = GK_TRACEPOINT,
		GK_LISTING(gk_return_zero),
	},
	{
		.id = "libbpf-cookie",
		.loader = "libbpf 0.6-1.x",
		.feature = "BPF cookies",
		.harmless = "returns the cookie its attacher chose, and a tracepoint's result is ignored",
		.prog_type = GK_TRACEPOINT,
		GK_LISTING(gk_attach_cookie),
	},
	{
		.id = "libbpf-uprobe-multi",
		.loader = "libbpf 1.3-1.x",
		.feature = "multi-uprobe links",
		.harmless = "returns 0; a uprobe's result is ignored",
		.prog_type = GK_KPROBE,
		.expected_attach_type = GK_TRACE_UPROBE_MULTI,
		GK_LISTING(gk_return_zero),
	},
	{
		.id = "libbpf-arg-ctx",
		.loader = "libbpf 1.4-1.x (as det_arg_ctx)",
		.feature = "__arg_ctx tags on global subprogram arguments",
		.harmless = "returns the address of the function it is attached to, which a kprobe's result ignores",
		.prog_type = GK_KPROBE,
		GK_LISTING(gk_arg_ctx),
	},
	{
		.id = "libbpf-far-value",
		.loader = "libbpf 1.6-1.x (as global_reloc)",
		.feature = "map value offsets beyond 512 MiB; the verifier refuses it either way",
		.harmless = "never verified: its offset is out of every map's bounds",
		.prog_type = GK_TRACEPOINT,
		GK_LISTING(gk_far_value),
	},
	{
		.id = "libbpf-tools-fentry",
		.loader = "libbpf-tools 0.23+ (fentry_can_attach, as test), attached for a moment; bpftrace 0.17 (kfunc, on sched_fork)",
		.feature = "fentry can attach to a given kernel function (else the tool uses kprobes); kfunc probes",
		.harmless = "an fentry program returning 0: its result is ignored; attach targets are checked as for any program",
		.prog_type = GK_TRACING,
		.expected_attach_type = GK_TRACE_FENTRY,
		GK_LISTING(gk_return_zero),
	},
	{
		.id = "libbpf-tools-tp-btf",
		.loader = "libbpf-tools 0.23+ (probe_tp_btf)",
		.feature = "a BTF-enabled tracepoint exists (else the tool uses raw tracepoints)",
		.harmless = "a BTF tracepoint program returning 0, whose result is ignored",
		.prog_type = GK_TRACING,
		.expected_attach_type = GK_TRACE_RAW_TP,
		GK_LISTING(gk_return_zero),
	},
	GK_BPFTRACE_HELPER("probe-read", PROBE_READ, "bpf_probe_read", GK_UNSET_ARGS),
	GK_BPFTRACE_HELPER("probe-read-str", PROBE_READ_STR, "bpf_probe_read_str", GK_UNSET_ARGS),
	GK_BPFTRACE_HELPER("probe-read-user", PROBE_READ_USER, "bpf_probe_read_user", GK_UNSET_ARGS),
	GK_BPFTRACE_HELPER("probe-read-user-str", PROBE_READ_USER_STR, "bpf_probe_read_user_str", GK_UNSET_ARGS),
	GK_BPFTRACE_HELPER("probe-read-kernel", PROBE_READ_KERNEL, "bpf_probe_read_kernel", GK_UNSET_ARGS),
	GK_BPFTRACE_HELPER("probe-read-kernel-str", PROBE_READ_KERNEL_STR, "bpf_probe_read_kernel_str",
			   GK_UNSET_ARGS),
	GK_BPFTRACE_HELPER("override-return", OVERRIDE_RETURN, "bpf_override_return", GK_UNSET_ARGS),
	GK_BPFTRACE_HELPER("send-signal", SEND_SIGNAL, "bpf_send_signal",
			   "its one argument is the context pointer r1 holds at entry, which root may pass (6.1 verifies it): attached, it asks to signal the task that hit the probe, which root, who alone can load it, can do anyway"),
	GK_BPFTRACE_HELPER("cgroup-id", GET_CURRENT_CGROUP_ID, "bpf_get_current_cgroup_id",
			   "returns the cgroup id of the task that hit the probe; " GK_KPROBE_RESULT),
	GK_BPFTRACE_HELPER("boot-ns", KTIME_GET_BOOT_NS, "bpf_ktime_get_boot_ns",
			   "returns the time since boot; " GK_KPROBE_RESULT),
	{
		.id = "bpftrace-kprobe",
		.loader = "bpftrace 0.17 (detect_prog_type)",
		.feature = "kprobe programs",
		.harmless = "returns 0: " GK_KPROBE_RESULT,
		.prog_type = GK_KPROBE,
		GK_LISTING(gk_return_zero),
	},
	{
		.id = "bpftrace-insn-limit",
		.loader = "bpftrace 0.17 (instruction_limit, from the verifier's log)",
		.feature = "the verifier's instruction limit",
		.harmless = "returns 0: " GK_KPROBE_RESULT,
		.prog_type = GK_KPROBE,
		GK_LISTING(gk_imm64_zero),
	},
	{
		.id = "bpftrace-kprobe-multi",
		.loader = "bpftrace 0.17 (has_kprobe_multi, as ksys_read), attached to ksys_read for a moment",
		.feature = "multi-kprobe links",
		.harmless = "returns 0, which a multi-kprobe's caller ignores",
		.prog_type = GK_KPROBE,
		.expected_attach_type = GK_TRACE_KPROBE_MULTI,
		GK_LISTING(gk_return_zero),
	},
	{
		.id = "bpftrace-perf-event",
		.loader = "bpftrace 0.17 (detect_prog_type)",
		.feature = "perf event programs",
		.harmless = "returns 0: a perf event program's result only decides whether its own event records the sample",
		.prog_type = GK_PERF_EVENT,
		GK_LISTING(gk_return_zero),
	},
	{
		.id = "bpftrace-raw-tp",
		.loader = "bpftrace 0.17 (has_raw_tp_special), run once with BPF_PROG_TEST_RUN",
		.feature = "raw tracepoint programs that can be run on demand (BEGIN and END probes)",
		.harmless = "returns 0, which a raw tracepoint's caller and a test run ignore",
		.prog_type = GK_RAW_TRACEPOINT,
		GK_LISTING(gk_return_zero),
	},
	{
		.id = "bpftrace-loop",
		.loader = "bpftrace 0.17 (has_loop)",
		.feature = "bounded loops",
		.harmless = "counts to 4 in a register and returns it; a tracepoint's result is ignored",
		.prog_type = GK_TRACEPOINT,
		GK_LISTING(gk_bounded_loop),
	},
	{
		.id = "bpftrace-iter",
		.loader = "bpftrace 0.17 (as bpf_iter_task and bpf_iter_task_file)",
		.feature = "task and task-file iterators",
		.harmless = "an iterator returning 0 and printing nothing: read, it shows an empty file",
		.prog_type = GK_TRACING,
		.expected_attach_type = GK_TRACE_ITER,
		GK_LISTING(gk_return_zero),
	},
	{
		.id = "bpftrace-d-path",
		.loader = "bpftrace 0.17 (has_d_path, as dentry_open)",
		.feature = "the bpf_d_path helper",
		.harmless = "passes a number where bpf_d_path takes a path, which the verifier refuses; run, it would write at most 8 bytes of a path into its own stack and return 0",
		.prog_type = GK_TRACING,
		.expected_attach_type = GK_TRACE_FENTRY,
		GK_LISTING(gk_d_path),
	},
};

const unsigned int gk_probes_n = sizeof(gk_probes) / sizeof(gk_probes[0]);

/**
 * gk_probe_digest() - the program digest of a catalogue entry
 * @p: the entry
 * @out: its digest
 *
 * Context: any; does not sleep or allocate in the kernel.
 * Return: as gk_prog_digest().
 */
int gk_probe_digest(const struct gk_probe *p, u8 out[GK_DIGEST_SIZE])
{
	struct gk_prog_desc desc = {
		.prog_type = p->prog_type,
		.expected_attach_type = p->expected_attach_type,
		.insns = p->insns,
		.insn_cnt = p->insn_cnt,
	};

	return gk_prog_digest(&desc, out);
}
