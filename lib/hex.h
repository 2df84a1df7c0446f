/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hex as the tools print it (lower case, no separators) and read it
 * (either case), through OpenSSL.
 */
#ifndef GK_LIB_HEX_H
#define GK_LIB_HEX_H

#include <stddef.h>
#include "gk_shim.h"

/* Room gk_hex_buf() needs for @n bytes. */
#define GK_HEX_SIZE(n) (2 * (n) + 1)

void gk_hex_buf(const u8 *p, size_t n, char *out);
char *gk_hex(const u8 *p, size_t n);
int gk_unhex(const char *hex, u8 *out, size_t n);
int gk_unhex_upto(const char *hex, u8 *out, size_t max, size_t *len);

#endif /* GK_LIB_HEX_H */
