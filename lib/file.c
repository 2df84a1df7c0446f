// SPDX-License-Identifier: GPL-2.0
/*
 * Whole-file reads and writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include "file.h"

/**
 * gk_read_file() - read a whole file, securityfs ones included
 * @path: the file
 * @max: largest accepted size
 * @bufp: set to a malloc()ed copy, NUL-terminated for text parsing
 * @lenp: set to the size, terminator not counted
 *
 * Reads until end of file rather than trusting st_size, which is 0 for
 * securityfs and procfs files and for pipes.
 *
 * Return: 0, -EFBIG if larger than @max, or the -errno of open() or read().
 */
int gk_read_file(const char *path, size_t max, u8 **bufp, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	u8 *buf, *tmp;
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap + 1);
	if (!buf) {
		err = -ENOMEM;
		goto out_close;
	}
	while ((n = read(fd, buf + len, cap - len))) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto out_free;
		}
		len += n;
		if (len > max) {
			err = -EFBIG;
			goto out_free;
		}
		if (len == cap) {
			cap *= 2;
			tmp = realloc(buf, cap + 1);
			if (!tmp) {
				err = -ENOMEM;
				goto out_free;
			}
			buf = tmp;
		}
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	close(fd);
	return 0;

out_free:
	free(buf);
out_close:
	close(fd);
	return err;
}

/**
 * gk_write_file() - create or replace a file with @len bytes of @buf
 * @path: the file, created with mode 0644 (umask applies)
 * @buf: the bytes
 * @len: how many
 *
 * A partly written file is removed, so that no tool leaves a truncated
 * bundle, policy, evidence or result behind.
 *
 * Return: 0, or the -errno of open(), write() or close().
 */
int gk_write_file(const char *path, const u8 *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (off < len) {
		n = write(fd, buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		off += n;
	}
	if (close(fd) && !err)
		err = -errno;
	if (err)
		unlink(path);
	return err;
}
