// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for tests/tools/run: the answers of a kernel that a plain
 * directory standing in for securityfs cannot give.
 *
 *   GK_FAKE_WRITE_ERRNO=NAME   write() to a file under $GK_SECURITYFS fails
 *                              with errno NAME (ESTALE, ENOKEY, ...)
 *   GK_FAKE_ADDKEY_LOG=FILE    add_key() appends "TYPE RING PAYLOAD_LEN" to FILE
 *                              and the payload to FILE.payload
 *   GK_FAKE_ADDKEY_ERRNO=NAME  add_key() fails with errno NAME; else it
 *                              returns serial 4242
 *   GK_FAKE_RING_GONE=1        keyctl_describe_alloc() fails with ENOKEY
 *   GK_FAKE_WRITE_LOG=FILE     each write() to a file under $GK_SECURITYFS
 *                              appends "NAME LENGTH" to FILE
 *
 * configfs-tsm, in the directory $GK_CONFIGFS_TSM stands for:
 *
 *   GK_FAKE_TSM=PROVIDER       mkdir() of an entry makes a report entry of
 *                              that provider (tdx_guest, sev_guest): files
 *                              provider, generation (0), inblob, outblob; a
 *                              write() to inblob advances generation and makes
 *                              outblob the template GK_FAKE_TSM_OUTBLOB with
 *                              the report data where the TEE puts it (a TDX v4
 *                              quote: 48 + 520; an SEV-SNP report: 0x50);
 *                              rmdir() moves the entry to $GK_CONFIGFS_TSM.removed/
 *   GK_FAKE_TSM_AUXBLOB=FILE   the entry also has an auxblob, FILE's bytes
 *   GK_FAKE_TSM_FLOOR=N        ... and privlevel_floor N, and privlevel
 *   GK_FAKE_TSM_BREAK=WHAT     stuck: inblob does not advance generation;
 *                              outblob: outblob cannot be read; nopatch:
 *                              outblob is the template unchanged
 *
 * /dev/sev-guest, as the file $GK_SEV_GUEST:
 *
 *   GK_FAKE_SNP_REPORT=FILE    ioctl(SNP_GET_REPORT) answers a MSG_REPORT_RSP
 *                              with FILE's report, REPORT_DATA set to the
 *                              request's user_data
 *   GK_FAKE_SNP_STATUS=N       ... with firmware status N and no report
 *   GK_FAKE_SNP_ERRNO=NAME     ... fails with errno NAME, exitinfo2 0x16
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <keyutils.h>
#include <linux/sev-guest.h>

static int fake_errno(const char *var)
{
	const char *name = getenv(var), *n;
	int e;

	if (!name || !*name)
		return 0;
	for (e = 1; e < 200; e++) {
		n = strerrorname_np(e);
		if (n && !strcmp(n, name))
			return e;
	}
	fprintf(stderr, "fakesys: unknown errno name %s in %s\n", name, var);
	abort();
}

/* The path of @fd, or "" */
static void fd_path(int fd, char path[PATH_MAX])
{
	char link[64];
	ssize_t l;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	l = readlink(link, path, PATH_MAX - 1);
	path[l > 0 ? l : 0] = '\0';
}

/* Whether @path is directly in the directory named by variable @var; @base set to its name. */
static int in_dir(const char *var, const char *path, const char **base)
{
	const char *dir = getenv(var);
	size_t n;

	if (!dir || !*dir)
		return 0;
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (strncmp(path, dir, n) || path[n] != '/' || !path[n + 1])
		return 0;
	if (base)
		*base = path + n + 1;
	return 1;
}

static int slurp(const char *path, unsigned char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	*buf = malloc(n > 0 ? n : 1);
	*len = n > 0 ? (size_t)n : 0;
	if (!*buf || fread(*buf, 1, *len, f) != *len) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static void spew(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (len)
		fwrite(buf, 1, len, f);
	fclose(f);
}

/* The entry's inblob was written: what the TEE driver would do. */
static void tsm_inblob(const char *entry, const void *rd, size_t n)
{
	const char *brk = getenv("GK_FAKE_TSM_BREAK");
	const char *tpl = getenv("GK_FAKE_TSM_OUTBLOB");
	char path[PATH_MAX + 32], gen[32];
	unsigned char *out;
	size_t len, off;
	FILE *f;
	long g = 0;

	snprintf(path, sizeof(path), "%s/generation", entry);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%ld", &g) != 1)
			g = 0;
		fclose(f);
	}
	if (!brk || strcmp(brk, "stuck")) {
		snprintf(gen, sizeof(gen), "%ld\n", g + 1);
		spew(entry, "generation", gen, strlen(gen));
	}
	if (brk && !strcmp(brk, "outblob")) {
		snprintf(path, sizeof(path), "%s/outblob", entry);
		unlink(path);
		mkdir(path, 0755);	/* read() of it: EISDIR */
		return;
	}
	if (!tpl || slurp(tpl, &out, &len))
		abort();
	off = !strcmp(getenv("GK_FAKE_TSM"), "tdx_guest") ? 48 + 520 : 0x50;
	if ((!brk || strcmp(brk, "nopatch")) && n == 64 && len >= off + 64)
		memcpy(out + off, rd, 64);
	spew(entry, "outblob", out, len);
	free(out);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	const char *wlog = getenv("GK_FAKE_WRITE_LOG"), *base;
	char path[PATH_MAX], entry[PATH_MAX];
	int e = fake_errno("GK_FAKE_WRITE_ERRNO");
	ssize_t ret;
	FILE *f;

	if (!real)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	if (fd <= 2)
		return real(fd, buf, n);
	fd_path(fd, path);
	if (in_dir("GK_SECURITYFS", path, &base)) {
		if (wlog) {
			f = fopen(wlog, "a");
			if (f) {
				fprintf(f, "%s %zu\n", base, n);
				fclose(f);
			}
		}
		if (e) {
			errno = e;
			return -1;
		}
	}
	ret = real(fd, buf, n);
	if (ret > 0 && getenv("GK_FAKE_TSM") && in_dir("GK_CONFIGFS_TSM", path, &base) &&
	    strchr(base, '/') && !strcmp(strchr(base, '/'), "/inblob")) {
		snprintf(entry, sizeof(entry), "%.*s", (int)(strlen(path) - strlen("/inblob")), path);
		tsm_inblob(entry, buf, (size_t)ret);
	}
	return ret;
}

int mkdir(const char *path, mode_t mode)
{
	static int (*real)(const char *, mode_t);
	const char *prov = getenv("GK_FAKE_TSM"), *aux = getenv("GK_FAKE_TSM_AUXBLOB");
	const char *floor = getenv("GK_FAKE_TSM_FLOOR"), *base;
	unsigned char *buf;
	size_t len;
	char line[64];
	int ret;

	if (!real)
		real = (int (*)(const char *, mode_t))dlsym(RTLD_NEXT, "mkdir");
	ret = real(path, mode);
	if (ret || !prov || !in_dir("GK_CONFIGFS_TSM", path, &base) || strchr(base, '/'))
		return ret;
	snprintf(line, sizeof(line), "%s\n", prov);
	spew(path, "provider", line, strlen(line));
	spew(path, "generation", "0\n", 2);
	spew(path, "inblob", "", 0);
	spew(path, "outblob", "", 0);
	if (aux) {
		if (slurp(aux, &buf, &len))
			abort();
		spew(path, "auxblob", buf, len);
		free(buf);
	}
	if (floor) {
		snprintf(line, sizeof(line), "%s\n", floor);
		spew(path, "privlevel_floor", line, strlen(line));
		spew(path, "privlevel", "", 0);
	}
	return 0;
}

int rmdir(const char *path)
{
	static int (*real)(const char *);
	char removed[PATH_MAX], to[2 * PATH_MAX + 2];
	const char *base;

	if (!real)
		real = (int (*)(const char *))dlsym(RTLD_NEXT, "rmdir");
	if (!getenv("GK_FAKE_TSM") || !in_dir("GK_CONFIGFS_TSM", path, &base) || strchr(base, '/'))
		return real(path);
	snprintf(removed, sizeof(removed), "%s.removed", getenv("GK_CONFIGFS_TSM"));
	mkdir(removed, 0755);
	snprintf(to, sizeof(to), "%s/%s", removed, base);
	return rename(path, to);
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, void *);
	const char *dev = getenv("GK_SEV_GUEST"), *tpl = getenv("GK_FAKE_SNP_REPORT");
	const char *status = getenv("GK_FAKE_SNP_STATUS");
	struct snp_guest_request_ioctl *io;
	struct snp_report_resp *resp;
	struct snp_report_req *rq;
	char path[PATH_MAX], want[PATH_MAX];
	unsigned char *rep;
	size_t len;
	uint32_t v;
	va_list ap;
	void *arg;
	int e = fake_errno("GK_FAKE_SNP_ERRNO");

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (int (*)(int, unsigned long, void *))dlsym(RTLD_NEXT, "ioctl");
	fd_path(fd, path);
	if (!dev || req != SNP_GET_REPORT || !realpath(dev, want) || strcmp(path, want))
		return real(fd, req, arg);
	io = arg;
	rq = (void *)(uintptr_t)io->req_data;
	resp = (void *)(uintptr_t)io->resp_data;
	if (io->msg_version != 1 || rq->vmpl)
		abort();
	if (e) {
		io->exitinfo2 = 0x16;
		errno = e;
		return -1;
	}
	memset(resp->data, 0, sizeof(resp->data));
	v = status ? (uint32_t)strtoul(status, NULL, 0) : 0;
	memcpy(resp->data, &v, 4);
	if (v)
		return 0;
	if (!tpl || slurp(tpl, &rep, &len) || len < 0x50 + 64 || len > sizeof(resp->data) - 0x20)
		abort();
	memcpy(rep + 0x50, rq->user_data, 64);
	v = (uint32_t)len;
	memcpy(resp->data + 4, &v, 4);
	memcpy(resp->data + 0x20, rep, len);
	free(rep);
	return 0;
}

key_serial_t add_key(const char *type, const char *desc, const void *payload, size_t plen,
		     key_serial_t ring)
{
	const char *log = getenv("GK_FAKE_ADDKEY_LOG");
	int e = fake_errno("GK_FAKE_ADDKEY_ERRNO");
	char *pl;
	FILE *f;

	(void)desc;
	if (log) {
		f = fopen(log, "a");
		if (f) {
			fprintf(f, "%s %d %zu\n", type, ring, plen);
			fclose(f);
		}
		if (asprintf(&pl, "%s.payload", log) > 0) {
			f = fopen(pl, "w");
			if (f) {
				fwrite(payload, 1, plen, f);
				fclose(f);
			}
			free(pl);
		}
	}
	if (e) {
		errno = e;
		return -1;
	}
	return 4242;
}

int keyctl_describe_alloc(key_serial_t id, char **buf)
{
	(void)id;
	if (getenv("GK_FAKE_RING_GONE")) {
		errno = ENOKEY;
		return -1;
	}
	*buf = strdup("keyring;0;0;3f010000;.gatekeeper");
	return *buf ? (int)strlen(*buf) : -1;
}
