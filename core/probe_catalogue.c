// SPDX-License-Identifier: GPL-2.0
/*
 * The catalogue of loader feature probes (docs/probes.md).
 *
 * Review rule for an entry: the program computes nothing from kernel or
 * user data that it could hand to anyone, and the loader closes it right
 * after loading (it is never attached).  Whoever could attach it anyway
 * gets a program that returns a constant, or a value of no consequence,
 * at an attach point its own privileges already control.
 *
 * The listings are libbpf's, as shipped in Debian bookworm (1.1) and
 * trixie (1.5), and so of everything linked against it, bpftool and the
 * libbpf-tools included; and those the libbpf-tools add of their own
 * (their trace_helpers), which attach for a moment where noted.
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

#define GK_PSEUDO_CALL_REL 1	/* src_reg of a call to a subprogram */
#define GK_PSEUDO_VALUE 2	/* src_reg of ld_imm64: map value, imm = fd */

/* Program types, attach types and helpers, by their uapi numbers. */
#define GK_SOCKET_FILTER 1
#define GK_KPROBE 2
#define GK_TRACEPOINT 5
#define GK_CGROUP_SOCK 9
#define GK_CGROUP_INET_SOCK_CREATE 2
#define GK_TRACING 26
#define GK_TRACE_RAW_TP 23
#define GK_TRACE_FENTRY 24
#define GK_TRACE_UPROBE_MULTI 48
#define GK_FN_PROBE_READ_KERNEL 113
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

#define GK_LISTING(a) .insns = (a), .insn_cnt = sizeof(a) / sizeof((a)[0])

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
		.loader = "libbpf 0.8-1.x",
		.feature = "BPF links for perf events",
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
		.loader = "libbpf-tools 0.23+ (fentry_can_attach, as test), attached for a moment",
		.feature = "fentry can attach to a given kernel function (else the tool uses kprobes)",
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
