/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few services the portable core needs from its environment: fixed
 * width types, errno values, memory helpers and SHA-256.  The kernel module
 * maps them onto kernel APIs (see gatekeeper/compat.h); userspace onto libc
 * and OpenSSL.
 */
#ifndef GK_SHIM_H
#define GK_SHIM_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include "compat.h"
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <openssl/evp.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int16_t s16;
typedef int32_t s32;
typedef uint64_t u64;
typedef uint16_t __le16;
typedef uint32_t __le32;

typedef EVP_MD_CTX *gk_sha256_ctx;

static inline int gk_sha256_init(gk_sha256_ctx *c)
{
	*c = EVP_MD_CTX_new();
	if (!*c)
		return -ENOMEM;
	if (EVP_DigestInit_ex(*c, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(*c);
		return -ENOMEM;
	}
	return 0;
}

static inline void gk_sha256_update(gk_sha256_ctx *c, const void *p, size_t n)
{
	EVP_DigestUpdate(*c, p, n);
}

static inline void gk_sha256_final(gk_sha256_ctx *c, u8 *out)
{
	EVP_DigestFinal_ex(*c, out, NULL);
	EVP_MD_CTX_free(*c);
}
#endif

/* Byte-wise little-endian access: the formats are unaligned. */
static inline u16 gk_get_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static inline u32 gk_get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static inline void gk_put_le32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/*
 * One hex digit, either case, or -1.  Spelled out rather than taken from
 * <ctype.h> or the kernel's hex_to_bin() so that the policy parser and the
 * tools decode exactly the same set of digits on both sides.
 */
static inline int gk_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif /* GK_SHIM_H */
