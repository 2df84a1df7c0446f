// SPDX-License-Identifier: GPL-2.0
/*
 * gk-hook: load and attach the smallest program that hooks a kernel
 * function, "r0 = RET; exit", through the raw bpf() syscall: what an
 * attacker on the gate's own decision path would load.
 *
 *   gk-hook digest KIND RET              its program digest, for gk-sign
 *   gk-hook attach KIND FUNC RET LINK    load, attach, pin the link at LINK
 *   gk-hook load KIND FUNC RET PROG      load and pin the program at PROG
 *   gk-hook attach-pinned PROG LINK HOW  attach a pinned program, pin the link
 *   gk-hook hold PROG LINK HOW GO        take PROG's fd now, print "held",
 *                                        attach once the file GO exists
 *
 * KIND: lsm, fmod_ret, fentry or fexit.  FUNC: a function of the kernel or
 * of a loaded module, by its BTF name.  HOW: KIND (BPF_LINK_CREATE) or
 * raw_tp (BPF_RAW_TRACEPOINT_OPEN).  A refused bpf() call prints
 * "STEP failed: ERROR" and exits with its errno; 2 is a usage error, 99
 * anything else.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "gk_format.h"

struct gk_kind {
	const char *name;
	enum bpf_prog_type type;
	enum bpf_attach_type attach;
};

static const struct gk_kind kinds[] = {
	{ "lsm", BPF_PROG_TYPE_LSM, BPF_LSM_MAC },
	{ "fmod_ret", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN },
	{ "fentry", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY },
	{ "fexit", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT },
};

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* Print why a bpf() step failed and return its errno as exit status. */
static int failed(const char *step)
{
	int err = errno;

	printf("%s failed: %s\n", step, strerror(err));
	return err;
}

static const struct gk_kind *kind_of(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].name, name))
			return &kinds[i];
	fprintf(stderr, "gk-hook: unknown kind '%s' (lsm, fmod_ret, fentry, fexit)\n", name);
	exit(2);
}

static void make_prog(struct bpf_insn insns[2], int ret)
{
	memset(insns, 0, 2 * sizeof(*insns));
	insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K;
	insns[0].dst_reg = BPF_REG_0;
	insns[0].imm = ret;
	insns[1].code = BPF_JMP | BPF_EXIT;
}

/*
 * The BTF id of function @func: in vmlinux, else in a loaded module, whose
 * BTF object fd is then left in *@obj_fd (else 0).  Return: the id, or 0.
 */
static __u32 find_func(const char *func, int *obj_fd)
{
	struct btf *vmlinux = btf__load_vmlinux_btf(), *mod;
	struct bpf_btf_info info;
	char name[64];
	__u32 id = 0, len;
	int fd, tid;

	*obj_fd = 0;
	if (!vmlinux)
		return 0;
	tid = btf__find_by_name_kind(vmlinux, func, BTF_KIND_FUNC);
	if (tid > 0) {
		btf__free(vmlinux);
		return tid;
	}
	while (!bpf_btf_get_next_id(id, &id)) {
		fd = bpf_btf_get_fd_by_id(id);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		info.name = (unsigned long)name;
		info.name_len = sizeof(name);
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(fd, &info, &len) || !info.kernel_btf ||
		    !strcmp(name, "vmlinux")) {
			close(fd);
			continue;
		}
		mod = btf__load_module_btf(name, vmlinux);
		tid = mod ? btf__find_by_name_kind(mod, func, BTF_KIND_FUNC) : -1;
		btf__free(mod);
		if (tid > 0) {
			*obj_fd = fd;
			btf__free(vmlinux);
			return tid;
		}
		close(fd);
	}
	btf__free(vmlinux);
	return 0;
}

/* Return: the program's fd, or -1 with errno set. */
static int load(const struct gk_kind *k, const char *func, int ret)
{
	static char log[65536];
	struct bpf_insn insns[2];
	union bpf_attr attr;
	int obj_fd, fd;
	__u32 id = find_func(func, &obj_fd);

	if (!id) {
		fprintf(stderr, "gk-hook: no BTF function %s\n", func);
		exit(99);
	}
	make_prog(insns, ret);
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = k->type;
	attr.expected_attach_type = k->attach;
	attr.insns = (unsigned long)insns;
	attr.insn_cnt = 2;
	attr.license = (unsigned long)"GPL";
	attr.attach_btf_id = id;
	attr.attach_btf_obj_fd = obj_fd;
	strcpy(attr.prog_name, "gk_hook");
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd < 0 && (errno == EINVAL || errno == EACCES)) {
		int err = errno;

		attr.log_buf = (unsigned long)log;
		attr.log_size = sizeof(log);
		attr.log_level = 1;
		if (sys_bpf(BPF_PROG_LOAD, &attr) < 0)
			fprintf(stderr, "%s", log);
		errno = err;
	}
	if (obj_fd)
		close(obj_fd);
	return fd;
}

static int pin(int fd, const char *path)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.bpf_fd = fd;
	attr.pathname = (unsigned long)path;
	return sys_bpf(BPF_OBJ_PIN, &attr) ? failed("pin") : 0;
}

/* Attach @prog_fd as HOW says and pin the link at @link_path. */
static int attach(int prog_fd, const char *how, const char *link_path)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	if (!strcmp(how, "raw_tp")) {
		attr.raw_tracepoint.prog_fd = prog_fd;
		fd = sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr);
	} else {
		attr.link_create.prog_fd = prog_fd;
		attr.link_create.attach_type = kind_of(how)->attach;
		fd = sys_bpf(BPF_LINK_CREATE, &attr);
	}
	if (fd < 0)
		return failed("attach");
	return pin(fd, link_path);
}

static int get_pinned(const char *path)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.pathname = (unsigned long)path;
	fd = sys_bpf(BPF_OBJ_GET, &attr);
	if (fd < 0)
		exit(failed("get"));
	return fd;
}

static int print_digest(const struct gk_kind *k, int ret)
{
	struct bpf_insn insns[2];
	struct gk_prog_desc d = {
		.prog_type = k->type, .expected_attach_type = k->attach,
		.insns = insns, .insn_cnt = 2,
	};
	u8 digest[GK_DIGEST_SIZE];
	int i;

	make_prog(insns, ret);
	if (gk_prog_digest(&d, digest))
		return 99;
	for (i = 0; i < GK_DIGEST_SIZE; i++)
		printf("%02x", digest[i]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	int fd;

	if (argc == 4 && !strcmp(cmd, "digest"))
		return print_digest(kind_of(argv[2]), atoi(argv[3]));
	if (argc == 6 && (!strcmp(cmd, "attach") || !strcmp(cmd, "load"))) {
		fd = load(kind_of(argv[2]), argv[3], atoi(argv[4]));
		if (fd < 0)
			return failed("load");
		return !strcmp(cmd, "load") ? pin(fd, argv[5]) : attach(fd, argv[2], argv[5]);
	}
	if (argc == 5 && !strcmp(cmd, "attach-pinned"))
		return attach(get_pinned(argv[2]), argv[4], argv[3]);
	if (argc == 6 && !strcmp(cmd, "hold")) {
		fd = get_pinned(argv[2]);
		printf("held\n");
		fflush(stdout);
		while (access(argv[5], F_OK))
			usleep(100000);
		return attach(fd, argv[4], argv[3]);
	}
	fprintf(stderr, "usage: gk-hook digest KIND RET | attach KIND FUNC RET LINK |\n"
			"       load KIND FUNC RET PROG | attach-pinned PROG LINK HOW |\n"
			"       hold PROG LINK HOW GO\n");
	return 2;
}
