// SPDX-License-Identifier: GPL-2.0
/*
 * Hex encoding and decoding: OpenSSL's, with its upper-case digits lowered
 * to the form every tool has always printed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include "hex.h"

/* @n bytes as lower-case hex into @out, which has GK_HEX_SIZE(@n) bytes. */
void gk_hex_buf(const u8 *p, size_t n, char *out)
{
	char *c;

	OPENSSL_buf2hexstr_ex(out, GK_HEX_SIZE(n), NULL, p, n, '\0');
	for (c = out; *c; c++)
		if (*c >= 'A' && *c <= 'F')
			*c += 'a' - 'A';
}

/* @n bytes as lower-case hex, malloc()ed; NULL when out of memory. */
char *gk_hex(const u8 *p, size_t n)
{
	char *s = malloc(GK_HEX_SIZE(n));

	if (s)
		gk_hex_buf(p, n, s);
	return s;
}

/**
 * gk_unhex_upto() - decode hex of either case, without separators
 * @hex: the digits, NUL-terminated, an even number of them
 * @out: where the bytes go
 * @max: room in @out
 * @len: set to the number of bytes decoded
 *
 * Return: 0, or -EINVAL if @hex is not hex or would not fit in @max bytes.
 */
int gk_unhex_upto(const char *hex, u8 *out, size_t max, size_t *len)
{
	int ok = OPENSSL_hexstr2buf_ex(out, max, len, hex, '\0');

	ERR_clear_error();
	return ok ? 0 : -EINVAL;
}

/* Return: 0 if @hex is exactly 2 * @n hex digits, decoded into @out; -EINVAL if not. */
int gk_unhex(const char *hex, u8 *out, size_t n)
{
	size_t got;

	return strlen(hex) == 2 * n ? gk_unhex_upto(hex, out, n, &got) : -EINVAL;
}
