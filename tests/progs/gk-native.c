// SPDX-License-Identifier: GPL-2.0
/*
 * gk-native: load gk-raw's N-instruction program through the raw bpf()
 * syscall with and without the kernel's own per-load signature check
 * (BPF_PROG_LOAD's signature, signature_size and keyring_id, Linux 6.18
 * and later), so that its cost can be set beside the gate's
 * (tests/vm/guest/native-sign.sh, BENCHMARKS.md).
 *
 *   gk-native insns N      write the program's instructions to stdout: the
 *                          bytes a native signature covers (the kernel
 *                          checks a detached PKCS#7 signature over
 *                          prog->insnsi, insn_cnt * 8 bytes, before the
 *                          verifier rewrites them)
 *   gk-native load N [KEYRING SIG [BIT]]
 *                          load it once, natively signed with the DER
 *                          signature in file SIG against keyring serial
 *                          KEYRING if given, with instruction bit BIT
 *                          flipped if given; print the errno's name and
 *                          exit with it on failure
 *   gk-native bench N REPS [KEYRING SIG...]
 *                          REPS times in turn: load the program unsigned,
 *                          then once signed with each SIG; print one line
 *                          per variant, "unsigned" or the SIG file, with
 *                          the median and the mean latency per load in ns
 *
 * Loading the variants in turn, rather than REPS of one then REPS of the
 * next, spreads any drift of the emulated clock over all of them alike;
 * the median leaves out the loads an interrupt or a grace period landed
 * in.  The program is gk-raw's (N-1 moves into r0, the last "r0 = 1", an
 * exit; a socket filter named "gk_raw"), so one bundle for the gate
 * admits the loads of both tools.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
#include "gk-raw-prog.h"

/*
 * struct gk_native_attr - BPF_PROG_LOAD's part of union bpf_attr as Linux
 * 6.18 and later lay it out.  The build host's uapi headers (bookworm)
 * stop at core_relo_rec_size, so the fields up to keyring_id are spelt
 * out here; the asserts pin the offsets to those of the kernel's
 * include/uapi/linux/bpf.h.  The kernel takes any attr size up to a page
 * as long as the bytes it does not know are zero, so an older kernel
 * refuses a signed load with E2BIG instead of ignoring the signature.
 */
struct gk_native_attr {
	__u32 prog_type;
	__u32 insn_cnt;
	__aligned_u64 insns;
	__aligned_u64 license;
	__u32 log_level;
	__u32 log_size;
	__aligned_u64 log_buf;
	__u32 kern_version;
	__u32 prog_flags;
	char prog_name[BPF_OBJ_NAME_LEN];
	__u32 prog_ifindex;
	__u32 expected_attach_type;
	__u32 prog_btf_fd;
	__u32 func_info_rec_size;
	__aligned_u64 func_info;
	__u32 func_info_cnt;
	__u32 line_info_rec_size;
	__aligned_u64 line_info;
	__u32 line_info_cnt;
	__u32 attach_btf_id;
	__u32 attach_prog_fd;
	__u32 core_relo_cnt;
	__aligned_u64 fd_array;
	__aligned_u64 core_relos;
	__u32 core_relo_rec_size;
	__u32 log_true_size;
	__s32 prog_token_fd;
	__u32 fd_array_cnt;
	__aligned_u64 signature;	/* DER PKCS#7 over the instructions */
	__u32 signature_size;
	__s32 keyring_id;		/* a key or keyring serial, not 0/1/2 */
};

_Static_assert(offsetof(struct gk_native_attr, prog_name) == 48, "uapi layout");
_Static_assert(offsetof(struct gk_native_attr, fd_array) == 120, "uapi layout");
_Static_assert(offsetof(struct gk_native_attr, fd_array_cnt) == 148, "uapi layout");
_Static_assert(offsetof(struct gk_native_attr, signature) == 152, "uapi layout");
_Static_assert(offsetof(struct gk_native_attr, keyring_id) == 164, "uapi layout");
_Static_assert(sizeof(struct gk_native_attr) == 168, "uapi layout");

/* struct gk_sig - a signature file's bytes */
struct gk_sig {
	const char *path;
	unsigned char *buf;
	size_t len;
};

/* load - one BPF_PROG_LOAD, natively signed if @sig is given */
static int load(const struct bpf_insn *insns, unsigned int n, int keyring,
		const struct gk_sig *sig)
{
	struct gk_native_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (unsigned long)insns;
	attr.insn_cnt = n;
	attr.license = (unsigned long)"GPL";
	strcpy(attr.prog_name, "gk_raw");
	if (sig) {
		attr.signature = (unsigned long)sig->buf;
		attr.signature_size = sig->len;
		attr.keyring_id = keyring;
	}
	return syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
}

static void read_sig(struct gk_sig *sig, const char *path)
{
	FILE *f = fopen(path, "rb");
	long len;

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "gk-native: %s: cannot read\n", path);
		exit(99);
	}
	sig->path = path;
	sig->len = len;
	sig->buf = malloc(len);
	if (!sig->buf || fread(sig->buf, 1, len, f) != (size_t)len) {
		fprintf(stderr, "gk-native: %s: cannot read\n", path);
		exit(99);
	}
	fclose(f);
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/*
 * bench - REPS rounds of one unsigned load and one load per signature;
 * @t holds REPS times for each of the 1 + @nsigs variants.
 */
static int bench(unsigned int n, unsigned int reps, int keyring,
		 const struct gk_sig *sigs, int nsigs)
{
	unsigned long long *t = calloc((size_t)reps * (nsigs + 1), sizeof(*t));
	struct bpf_insn *insns = gk_raw_prog(n);
	unsigned int r;
	int v;

	if (!t || !reps)
		return 99;
	for (r = 0; r < reps; r++) {
		for (v = 0; v <= nsigs; v++) {
			const struct gk_sig *sig = v ? &sigs[v - 1] : NULL;
			unsigned long long a = gk_now_ns();
			int fd = load(insns, n, keyring, sig);

			t[(size_t)v * reps + r] = gk_now_ns() - a;
			if (fd < 0) {
				fprintf(stderr, "gk-native: %s load failed: %s\n",
					sig ? sig->path : "unsigned", strerror(errno));
				return 1;
			}
			close(fd);
		}
	}
	for (v = 0; v <= nsigs; v++) {
		unsigned long long *s = &t[(size_t)v * reps], sum = 0;

		for (r = 0; r < reps; r++)
			sum += s[r];
		qsort(s, reps, sizeof(*s), cmp_ull);
		printf("%s %llu %llu\n", v ? sigs[v - 1].path : "unsigned",
		       reps % 2 ? s[reps / 2] : (s[reps / 2 - 1] + s[reps / 2]) / 2, sum / reps);
	}
	return 0;
}

/* errno_name - the kernel's refusals this test expects, by name */
static const char *errno_name(int e)
{
	switch (e) {
	case EKEYREJECTED: return "EKEYREJECTED";
	case EBADMSG: return "EBADMSG";
	case ENOKEY: return "ENOKEY";
	case EINVAL: return "EINVAL";
	case E2BIG: return "E2BIG";
	case EPERM: return "EPERM";
	case ENOPKG: return "ENOPKG";
	case EKEYEXPIRED: return "EKEYEXPIRED";
	case EACCES: return "EACCES";
	default: return "errno";
	}
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;

	if (argc == 3 && !strcmp(argv[1], "insns")) {
		struct bpf_insn *insns = gk_raw_prog(n);

		return fwrite(insns, sizeof(*insns), n, stdout) == n ? 0 : 99;
	}
	if ((argc == 3 || argc == 5 || argc == 6) && !strcmp(argv[1], "load")) {
		struct bpf_insn *insns = gk_raw_prog(n);
		struct gk_sig sig;
		int fd;

		if (argc >= 5)
			read_sig(&sig, argv[4]);
		if (argc == 6) {
			unsigned long bit = strtoul(argv[5], NULL, 0);

			if (bit >= n * 64UL)
				return 2;
			((unsigned char *)insns)[bit / 8] ^= 1 << (bit % 8);
		}
		fd = load(insns, n, argc >= 5 ? atoi(argv[3]) : 0, argc >= 5 ? &sig : NULL);
		if (fd < 0) {
			int e = errno;

			printf("load failed: %s (%s, %d)\n", strerror(e), errno_name(e), e);
			return e;
		}
		close(fd);
		return 0;
	}
	if ((argc == 4 || argc >= 6) && !strcmp(argv[1], "bench")) {
		int nsigs = argc >= 6 ? argc - 5 : 0, i;
		struct gk_sig *sigs = calloc(nsigs ? nsigs : 1, sizeof(*sigs));

		if (!sigs)
			return 99;
		for (i = 0; i < nsigs; i++)
			read_sig(&sigs[i], argv[5 + i]);
		return bench(n, strtoul(argv[3], NULL, 0), nsigs ? atoi(argv[4]) : 0, sigs, nsigs);
	}
	fprintf(stderr, "usage: gk-native insns N | load N [KEYRING SIG [BIT]] | bench N REPS [KEYRING SIG...]\n");
	return 2;
}
