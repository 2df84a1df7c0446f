/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libFuzzer targets of tests/fuzz/ share: an exact-size heap copy
 * of the input, so that a read one byte past its end is an ASan error, and
 * touch(), which reads every byte of a region the code under test hands
 * out, so that ASan sees a pointer or length that strays off the input.
 * The targets include it by path, so each still builds alone.
 */
#ifndef GK_FUZZ_H
#define GK_FUZZ_H

#include <stdlib.h>
#include <string.h>

static volatile unsigned char sink;

/* Return: a copy of @size bytes of @data (an empty input gets one byte of room), or NULL. */
static inline unsigned char *gk_fuzz_copy(const unsigned char *data, size_t size)
{
	unsigned char *copy = malloc(size ? size : 1);

	if (copy)
		memcpy(copy, data, size);
	return copy;
}

/* Read the @n bytes at @p; nothing if @p is NULL. */
static inline void touch(const void *p, size_t n)
{
	const volatile unsigned char *b = p;
	unsigned char acc = 0;

	if (!b)
		return;
	while (n--)
		acc ^= *b++;
	sink ^= acc;
}

#endif /* GK_FUZZ_H */
