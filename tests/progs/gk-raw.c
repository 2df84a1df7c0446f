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
 *   gk-raw bench N REPS [refused]
 *                          print the mean latency in ns of REPS loads; with
 *                          "refused", of a program no signature admits (its
 *                          first immediate changed), each refused with EPERM
 *   gk-raw hash N REPS     print the mean time in ns of REPS SHA-256s of the
 *                          N-instruction program's bytes by the kernel's
 *                          generic SHA-256 (AF_ALG "sha256-generic", the
 *                          library code the module calls before 6.17),
 *                          then that of REPS SHA-256s of its first
 *                          instruction alone: the difference is the
 *                          hashing of the rest, without the syscalls and
 *                          the pinning of the user page
 *   gk-raw cmd REPS        print the mean latency in ns of REPS
 *                          BPF_PROG_GET_NEXT_ID calls (a command, not a load)
 *   gk-raw flood LOADS     load the 9-instruction program LOADS times as fast
 *                          as it can; each must be refused with EPERM
 *   gk-raw reuse LOADS     LOADS times: load the 3-instruction program with
 *                          its exit opcode flipped (the verifier rejects it),
 *                          then at once libbpf's "r0 = 0; exit" probe, which
 *                          may get the rejected program's freed memory
 *   gk-raw write SRC DST   copy file SRC to DST in one write(); exit with
 *                          the errno on failure (securityfs tests)
 *   gk-raw auditd FILE     be the audit daemon: enable auditing and append
 *                          every record received, "type=N text", to FILE
 *                          until killed
 *
 * The N-instruction program is N-1 moves into r0, the last of "r0 = 1", and
 * an exit: a socket filter named "gk_raw".  (libbpf's "r0 = 0; exit" probe
 * must not collide with it.)
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/if_alg.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "gk_format.h"
#include "gk-raw-prog.h"

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
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

	memcpy(race_prog, gk_raw_prog(2), sizeof(race_prog));
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

static int flood(unsigned int loads)
{
	struct bpf_insn *insns = gk_raw_prog(9);
	unsigned int i;

	for (i = 0; i < loads; i++) {
		int fd = load(insns, 9);

		if (fd >= 0 || errno != EPERM) {
			fprintf(stderr, "gk-raw: flood load %u was not refused with EPERM\n", i);
			return 1;
		}
	}
	printf("refused %u\n", loads);
	return 0;
}

static int bench(unsigned int n, unsigned int reps, bool refused)
{
	struct bpf_insn *insns = gk_raw_prog(n);
	unsigned long long total = 0, a;
	unsigned int i;

	if (refused)
		insns[0].imm ^= 0x100;
	for (i = 0; i < reps; i++) {
		int fd;

		a = gk_now_ns();
		fd = load(insns, n);
		total += gk_now_ns() - a;
		if (refused ? fd >= 0 || errno != EPERM : fd < 0) {
			fprintf(stderr, "gk-raw: bench load %s\n",
				fd >= 0 ? "was admitted" : strerror(errno));
			return 1;
		}
		if (fd >= 0)
			close(fd);
	}
	printf("%llu\n", total / reps);
	return 0;
}

/* The mean time in ns of REPS hashes of @len bytes on AF_ALG socket @op. */
static long long hash_mean(int op, const void *data, size_t len, unsigned int reps)
{
	unsigned long long total = 0, a;
	unsigned char out[GK_DIGEST_SIZE];
	unsigned int i;

	for (i = 0; i < reps; i++) {
		a = gk_now_ns();
		/* Without MSG_MORE, each send is a whole message: it is hashed. */
		if (send(op, data, len, 0) != (ssize_t)len || read(op, out, sizeof(out)) != sizeof(out))
			return -1;
		total += gk_now_ns() - a;
	}
	return total / reps;
}

static int hash(unsigned int n, unsigned int reps)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG, .salg_type = "hash",
				   .salg_name = "sha256-generic" };
	struct bpf_insn *insns;
	long long full, one;
	int tfm, op;

	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0 || bind(tfm, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("gk-raw: AF_ALG sha256-generic");
		return 1;
	}
	op = accept(tfm, NULL, 0);
	if (op < 0) {
		perror("gk-raw: AF_ALG accept");
		return 1;
	}
	insns = gk_raw_prog(n);
	full = hash_mean(op, insns, n * sizeof(*insns), reps);
	one = hash_mean(op, insns, sizeof(*insns), reps);
	if (full < 0 || one < 0) {
		perror("gk-raw: AF_ALG hash");
		return 1;
	}
	printf("%lld %lld\n", full, one);
	close(op);
	close(tfm);
	return 0;
}

static int cmd(unsigned int reps)
{
	unsigned long long total = 0, a;
	union bpf_attr attr;
	unsigned int i;

	for (i = 0; i < reps; i++) {
		memset(&attr, 0, sizeof(attr));
		a = gk_now_ns();
		if (sys_bpf(BPF_PROG_GET_NEXT_ID, &attr) && errno != ENOENT) {
			perror("gk-raw: BPF_PROG_GET_NEXT_ID");
			return 1;
		}
		total += gk_now_ns() - a;
	}
	printf("%llu\n", total / reps);
	return 0;
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

static int reuse(unsigned int loads)
{
	struct bpf_insn *bad = gk_raw_prog(3), *probe = gk_raw_prog(2);
	unsigned int i;
	int fd;

	bad[2].code ^= 1;
	probe[0].imm = 0;
	for (i = 0; i < loads; i++) {
		if (load(bad, 3) >= 0)
			return 99;
		fd = load(probe, 2);
		if (fd < 0)
			return errno;
		close(fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;

	if (argc == 3 && !strcmp(argv[1], "digest")) {
		struct gk_prog_desc d = { .prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
					  .insns = gk_raw_prog(n), .insn_cnt = n };
		u8 digest[GK_DIGEST_SIZE];
		int i;

		if (gk_prog_digest(&d, digest))
			return 99;
		for (i = 0; i < GK_DIGEST_SIZE; i++)
			printf("%02x", digest[i]);
		printf("\n");
		return 0;
	}
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "load")) {
		struct bpf_insn *insns = gk_raw_prog(n);
		int fd;

		if (argc == 4) {
			unsigned long bit = strtoul(argv[3], NULL, 0);

			if (bit >= n * 64UL)
				return 2;
			((unsigned char *)insns)[bit / 8] ^= 1 << (bit % 8);
		}
		fd = load(insns, n);

		if (fd < 0) {
			printf("load failed: %s\n", strerror(errno));
			return errno;
		}
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "auditd"))
		return auditd(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "write"))
		return write_file(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "race"))
		return race(n);
	if (argc == 3 && !strcmp(argv[1], "reuse"))
		return reuse(n);
	if (argc == 3 && !strcmp(argv[1], "flood"))
		return flood(n);
	if ((argc == 4 || (argc == 5 && !strcmp(argv[4], "refused"))) && !strcmp(argv[1], "bench"))
		return bench(n, strtoul(argv[3], NULL, 0), argc == 5);
	if (argc == 4 && !strcmp(argv[1], "hash"))
		return hash(n, strtoul(argv[3], NULL, 0));
	if (argc == 3 && !strcmp(argv[1], "cmd"))
		return cmd(n);
	fprintf(stderr, "usage: gk-raw digest N | load N [BIT] | race LOADS | flood LOADS | bench N REPS [refused] | hash N REPS | cmd REPS | write SRC DST | auditd FILE\n");
	return 2;
}
