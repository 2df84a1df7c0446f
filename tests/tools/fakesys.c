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
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <keyutils.h>

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

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	const char *dir = getenv("GK_SECURITYFS");
	char link[64], path[PATH_MAX];
	int e = fake_errno("GK_FAKE_WRITE_ERRNO");
	ssize_t l;

	if (!real)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	if (e && dir && fd > 2) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		l = readlink(link, path, sizeof(path) - 1);
		if (l > 0) {
			path[l] = '\0';
			if (!strncmp(path, dir, strlen(dir)) && path[strlen(dir)] == '/') {
				errno = e;
				return -1;
			}
		}
	}
	return real(fd, buf, n);
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
