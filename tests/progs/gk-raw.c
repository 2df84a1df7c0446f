// SPDX-License-Identifier: GPL-2.0
/*
 * gk-raw: load programs through the raw bpf() syscall, for the tests that
 * need control libbpf does not give.
 *
 *   gk-raw digest N        digest of the N-instruction test program
 *   gk-raw load N [BIT]    load it once, with instruction bit BIT flipped if
 *                          given; exit with the errno on failure
 *   gk-raw race LOADS      load the 2-instruction program LOADS times while
 *                          another thread flips it between its signed form
 *                          (returns 1) and an unsigned one (returns 3); any
 *                          admitted program that does not return 1 is a
 *                          bypass
 *   gk-raw bench N REPS    print the mean latency in ns of REPS loads
 *   gk-raw write SRC DST   copy file SRC to DST in one write(); exit with
 *                          the errno on failure (securityfs tests)
 *   gk-raw auditd FILE     be the audit daemon: enable auditing and append
 *                          every record received, "type=N text", to FILE
 *                          until killed
 *
 * and, for the tests that the gate refuses programs on its decision path:
 *
 *   gk-raw hook-digest KIND RET          digest of the hook program
 *   gk-raw hook KIND FUNC RET LINK       load it on FUNC, attach it, pin the
 *                                        link at LINK
 *   gk-raw hook-load KIND FUNC RET PROG  load it on FUNC, pin it at PROG
 *   gk-raw attach PROG LINK HOW          attach the program pinned at PROG,
 *                                        pin the link at LINK
 *   gk-raw hold PROG LINK HOW GO         take PROG's fd now, print "held",
 *                                        attach once the file GO exists
 *
 * The N-instruction program is N-1 moves into r0, the last of "r0 = 1", and
 * an exit: a socket filter named "gk_raw".  (libbpf's "r0 = 0; exit" probe
 * must not collide with it.)
 *
 * The hook program is "r0 = RET; exit", named "gk_hook", of KIND lsm,
 * fmod_ret, fentry or fexit, on FUNC, a function of the kernel or of a
 * loaded module by its BTF name.  HOW is a KIND (BPF_LINK_CREATE) or raw_tp
 * (BPF_RAW_TRACEPOINT_OPEN).
 *
 * A refused bpf() call prints "STEP failed: ERROR" and exits with its errno;
 * 2 is a usage error, 99 any other failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "gk_format.h"

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* Print why bpf() step @step failed; return its errno, the exit status. */
static int failed(const char *step)
{
	int err = errno;

	printf("%s failed: %s\n", step, strerror(err));
	return err;
}

static int print_digest(const struct gk_prog_desc *d)
{
	u8 digest[GK_DIGEST_SIZE];
	int i;

	if (gk_prog_digest(d, digest))
		return 99;
	for (i = 0; i < GK_DIGEST_SIZE; i++)
		printf("%02x", digest[i]);
	printf("\n");
	return 0;
}

static struct bpf_insn *make_prog(unsigned int n)
{
	struct bpf_insn *insns = calloc(n, sizeof(*insns));
	unsigned int i;

	if (!insns || n < 1) {
		fprintf(stderr, "gk-raw: cannot build a %u-instruction program\n", n);
		exit(99);
	}
	for (i = 0; i + 1 < n; i++)
		insns[i] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,
					      .dst_reg = BPF_REG_0, .imm = (int)(n - 1 - i) };
	insns[n - 1] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	return insns;
}

static int load(const struct bpf_insn *insns, unsigned int n)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (unsigned long)insns;
	attr.insn_cnt = n;
	attr.license = (unsigned long)"GPL";
	strcpy(attr.prog_name, "gk_raw");
	return sys_bpf(BPF_PROG_LOAD, &attr);
}

static int run(int fd)
{
	unsigned char pkt[64] = { 0 };
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = fd;
	attr.test.data_in = (unsigned long)pkt;
	attr.test.data_size_in = sizeof(pkt);
	if (sys_bpf(BPF_PROG_TEST_RUN, &attr))
		return -errno;
	return attr.test.retval;
}

static struct bpf_insn race_prog[2];
static atomic_bool race_done;

static void *flipper(void *arg)
{
	volatile int *imm = &race_prog[0].imm;

	(void)arg;
	while (!atomic_load_explicit(&race_done, memory_order_relaxed))
		*imm ^= 2;
	return NULL;
}

static int race(unsigned int loads)
{
	unsigned int i, admitted = 0, denied = 0, bypass = 0;
	pthread_t t;

	memcpy(race_prog, make_prog(2), sizeof(race_prog));
	if (pthread_create(&t, NULL, flipper, NULL))
		return 99;
	for (i = 0; i < loads; i++) {
		int fd = load(race_prog, 2), ret;

		if (fd < 0) {
			if (errno != EPERM) {
				fprintf(stderr, "gk-raw: load failed with %s\n", strerror(errno));
				return 1;
			}
			denied++;
			continue;
		}
		admitted++;
		ret = run(fd);
		if (ret != 1) {
			fprintf(stderr, "gk-raw: admitted program returned %d: unsigned program got in\n", ret);
			bypass++;
		}
		close(fd);
	}
	atomic_store(&race_done, true);
	pthread_join(t, NULL);
	printf("loads %u admitted %u denied %u bypass %u\n", loads, admitted, denied, bypass);
	if (bypass)
		return 1;
	if (!admitted || !denied) {
		fprintf(stderr, "gk-raw: the race was not exercised (need both outcomes)\n");
		return 1;
	}
	return 0;
}

static int bench(unsigned int n, unsigned int reps)
{
	struct bpf_insn *insns = make_prog(n);
	struct timespec a, b;
	unsigned long long total = 0;
	unsigned int i;

	for (i = 0; i < reps; i++) {
		int fd;

		clock_gettime(CLOCK_MONOTONIC, &a);
		fd = load(insns, n);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (fd < 0) {
			fprintf(stderr, "gk-raw: bench load failed: %s\n", strerror(errno));
			return 1;
		}
		close(fd);
		total += (b.tv_sec - a.tv_sec) * 1000000000ULL + b.tv_nsec - a.tv_nsec;
	}
	printf("%llu\n", total / reps);
	return 0;
}

struct hook_kind {
	const char *name;
	enum bpf_prog_type prog_type;
	enum bpf_attach_type attach_type;
};

static const struct hook_kind hook_kinds[] = {
	{ "lsm", BPF_PROG_TYPE_LSM, BPF_LSM_MAC },
	{ "fmod_ret", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN },
	{ "fentry", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY },
	{ "fexit", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT },
};

static const struct hook_kind *kind_of(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(hook_kinds) / sizeof(hook_kinds[0]); i++)
		if (!strcmp(hook_kinds[i].name, name))
			return &hook_kinds[i];
	fprintf(stderr, "gk-raw: unknown kind '%s' (lsm, fmod_ret, fentry, fexit)\n", name);
	exit(2);
}

/* HOW of attach and hold: a KIND, or NULL for raw_tp. */
static const struct hook_kind *how_of(const char *how)
{
	return strcmp(how, "raw_tp") ? kind_of(how) : NULL;
}

static int parse_ret(const char *s)
{
	char *end;
	long ret;

	errno = 0;
	ret = strtol(s, &end, 0);
	if (errno || !*s || *end || ret < INT_MIN || ret > INT_MAX) {
		fprintf(stderr, "gk-raw: RET '%s' is not an int\n", s);
		exit(2);
	}
	return ret;
}

static void hook_prog(struct bpf_insn insns[2], int ret)
{
	insns[0] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,
				      .dst_reg = BPF_REG_0, .imm = ret };
	insns[1] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
}

/* The BTF id of function @func in the kernel BTF object @fd of a module, or 0. */
static __u32 module_func(int fd, const char *func, struct btf *vmlinux)
{
	struct bpf_btf_info info;
	__u32 len = sizeof(info);
	char name[64] = "";
	struct btf *btf;
	int id;

	memset(&info, 0, sizeof(info));
	info.name = (unsigned long)name;
	info.name_len = sizeof(name);
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || !info.kernel_btf ||
	    !strcmp(name, "vmlinux"))
		return 0;
	btf = btf__load_module_btf(name, vmlinux);
	id = btf ? btf__find_by_name_kind(btf, func, BTF_KIND_FUNC) : -1;
	btf__free(btf);
	return id > 0 ? id : 0;
}

/*
 * The BTF id of function @func, in vmlinux or else in a loaded module; for a
 * module, *@obj_fd is left holding its BTF object for the load, else 0.
 */
static __u32 find_func(const char *func, int *obj_fd)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	__u32 next = 0;
	int id, fd;

	*obj_fd = 0;
	if (!vmlinux) {
		fprintf(stderr, "gk-raw: no vmlinux BTF: %s\n", strerror(errno));
		exit(99);
	}
	id = btf__find_by_name_kind(vmlinux, func, BTF_KIND_FUNC);
	while (id <= 0 && !bpf_btf_get_next_id(next, &next)) {
		fd = bpf_btf_get_fd_by_id(next);
		if (fd < 0)
			continue;
		id = module_func(fd, func, vmlinux);
		if (id > 0)
			*obj_fd = fd;
		else
			close(fd);
	}
	btf__free(vmlinux);
	if (id <= 0) {
		fprintf(stderr, "gk-raw: no BTF function %s\n", func);
		exit(99);
	}
	return id;
}

/* Load the hook program on @func.  Return: its fd, or -1 with errno set. */
static int load_hook(const struct hook_kind *k, const char *func, int ret)
{
	static char log[64 << 10];
	struct bpf_insn insns[2];
	union bpf_attr attr;
	int obj_fd, fd, err;

	hook_prog(insns, ret);
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = k->prog_type;
	attr.expected_attach_type = k->attach_type;
	attr.insns = (unsigned long)insns;
	attr.insn_cnt = 2;
	attr.license = (unsigned long)"GPL";
	attr.attach_btf_id = find_func(func, &obj_fd);
	attr.attach_btf_obj_fd = obj_fd;
	strcpy(attr.prog_name, "gk_hook");
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	err = errno;
	/* Only a verifier refusal is worth a second load for its log. */
	if (fd < 0 && (err == EINVAL || err == EACCES)) {
		int again;

		attr.log_buf = (unsigned long)log;
		attr.log_size = sizeof(log);
		attr.log_level = 1;
		again = sys_bpf(BPF_PROG_LOAD, &attr);
		if (again >= 0)
			close(again);
		fputs(log, stderr);
	}
	if (obj_fd)
		close(obj_fd);
	errno = err;
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

/* Attach @prog_fd as @k's attach type (NULL: raw_tp), pin the link at @path. */
static int attach(int prog_fd, const struct hook_kind *k, const char *path)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	if (k) {
		attr.link_create.prog_fd = prog_fd;
		attr.link_create.attach_type = k->attach_type;
		fd = sys_bpf(BPF_LINK_CREATE, &attr);
	} else {
		attr.raw_tracepoint.prog_fd = prog_fd;
		fd = sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr);
	}
	if (fd < 0)
		return failed("attach");
	return pin(fd, path);
}

/*
 * Attach the program pinned at @prog_path as attach() does; with @go, take
 * its fd now and attach only once the file @go exists.
 */
static int attach_pinned(const char *prog_path, const char *link_path,
			 const struct hook_kind *k, const char *go)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.pathname = (unsigned long)prog_path;
	fd = sys_bpf(BPF_OBJ_GET, &attr);
	if (fd < 0)
		return failed("get");
	if (go) {
		printf("held\n");
		fflush(stdout);
		while (access(go, F_OK))
			usleep(100000);
	}
	return attach(fd, k, link_path);
}

static int write_file(const char *src, const char *dst)
{
	static char buf[4 << 20];
	FILE *in = fopen(src, "rb");
	size_t len;
	int fd;

	if (!in) {
		perror(src);
		return 99;
	}
	len = fread(buf, 1, sizeof(buf), in);
	fclose(in);
	fd = open(dst, O_WRONLY);
	if (fd < 0) {
		perror(dst);
		return 99;
	}
	if (write(fd, buf, len) < 0) {
		printf("write failed: %s\n", strerror(errno));
		close(fd);
		return errno;
	}
	close(fd);
	return 0;
}

static int auditd(const char *path)
{
	struct {
		struct nlmsghdr nlh;
		struct audit_status st;
	} req = {
		.nlh = { .nlmsg_len = sizeof(req), .nlmsg_type = AUDIT_SET,
			 .nlmsg_flags = NLM_F_REQUEST },
		.st = { .mask = AUDIT_STATUS_PID | AUDIT_STATUS_ENABLED,
			.enabled = 1, .pid = (unsigned int)getpid() },
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	static char buf[16384];
	FILE *out = fopen(path, "a");
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT);

	if (!out || fd < 0 ||
	    sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		perror("gk-raw auditd");
		return 99;
	}
	setvbuf(out, NULL, _IOLBF, 0);
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n < 0)
			return errno == EINTR ? 0 : 99;
		/* Audit's nlmsg_len leaves out the header: trust the datagram's size. */
		if (n < (ssize_t)NLMSG_HDRLEN)
			continue;
		buf[n] = '\0';
		fprintf(out, "type=%u %s\n", h->nlmsg_type, (char *)NLMSG_DATA(h));
	}
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;

	if (argc == 3 && !strcmp(argv[1], "digest")) {
		struct gk_prog_desc d = { .prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
					  .insns = make_prog(n), .insn_cnt = n };

		return print_digest(&d);
	}
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "load")) {
		struct bpf_insn *insns = make_prog(n);
		int fd;

		if (argc == 4) {
			unsigned long bit = strtoul(argv[3], NULL, 0);

			if (bit >= n * 64UL)
				return 2;
			((unsigned char *)insns)[bit / 8] ^= 1 << (bit % 8);
		}
		fd = load(insns, n);

		return fd < 0 ? failed("load") : 0;
	}
	if (argc == 4 && !strcmp(argv[1], "hook-digest")) {
		const struct hook_kind *k = kind_of(argv[2]);
		struct bpf_insn insns[2];
		struct gk_prog_desc d = { .prog_type = k->prog_type,
					  .expected_attach_type = k->attach_type,
					  .insns = insns, .insn_cnt = 2 };

		hook_prog(insns, parse_ret(argv[3]));
		return print_digest(&d);
	}
	if (argc == 6 && (!strcmp(argv[1], "hook") || !strcmp(argv[1], "hook-load"))) {
		const struct hook_kind *k = kind_of(argv[2]);
		int fd = load_hook(k, argv[3], parse_ret(argv[4]));

		if (fd < 0)
			return failed("load");
		return strcmp(argv[1], "hook") ? pin(fd, argv[5]) : attach(fd, k, argv[5]);
	}
	if (argc == 5 && !strcmp(argv[1], "attach"))
		return attach_pinned(argv[2], argv[3], how_of(argv[4]), NULL);
	if (argc == 6 && !strcmp(argv[1], "hold"))
		return attach_pinned(argv[2], argv[3], how_of(argv[4]), argv[5]);
	if (argc == 3 && !strcmp(argv[1], "auditd"))
		return auditd(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "write"))
		return write_file(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "race"))
		return race(n);
	if (argc == 4 && !strcmp(argv[1], "bench"))
		return bench(n, strtoul(argv[3], NULL, 0));
	fprintf(stderr, "usage: gk-raw digest N | load N [BIT] | race LOADS | bench N REPS |\n"
			"       write SRC DST | auditd FILE | hook-digest KIND RET |\n"
			"       hook KIND FUNC RET LINK | hook-load KIND FUNC RET PROG |\n"
			"       attach PROG LINK KIND|raw_tp | hold PROG LINK KIND|raw_tp GO\n");
	return 2;
}
