/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The harness of the C unit tests (tests/unit/test_core.c,
 * tests/policy/test_policy.c): counted checks that say which case failed,
 * and the summary line their run scripts read.
 *
 *   CHECK(cond, fmt, ...)            one check; the context says which case
 *   CHECK_ERR(got, want, fmt, ...)   an errno check that prints both sides
 *   return gk_test_summary();        "N passed, N failed", and the exit status
 *
 * A failure is one line, "FAIL FILE:LINE: context".  A check in a loop
 * that fails on every round shows its first ten failures; the rest are
 * counted, not shown.
 */
#ifndef GK_TEST_H
#define GK_TEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static unsigned int gk_test_passed, gk_test_failed;

/* The test program's file, as the compiler was given it, without its folder. */
static inline const char *gk_test_file(void)
{
	const char *slash = strrchr(__BASE_FILE__, '/');

	return slash ? slash + 1 : __BASE_FILE__;
}

static inline void __attribute__((format(printf, 3, 4)))
report(bool ok, int line, const char *fmt, ...)
{
	static int last_line, repeats;
	va_list ap;

	if (ok) {
		gk_test_passed++;
		return;
	}
	gk_test_failed++;
	if (line == last_line && ++repeats > 10) {
		if (repeats == 11)
			printf("FAIL %s:%d: ... further failures here counted, not shown\n",
			       gk_test_file(), line);
		return;
	}
	if (line != last_line)
		repeats = 0;
	last_line = line;
	printf("FAIL %s:%d: ", gk_test_file(), line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

#define CHECK(cond, ...) report(!!(cond), __LINE__, __VA_ARGS__)

/* An errno as its name; two buffers, so that one message can show two. */
static inline const char *errname(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ 0, "0" },
		{ -E2BIG, "-E2BIG" },
		{ -EBADMSG, "-EBADMSG" },
		{ -EEXIST, "-EEXIST" },
		{ -EFBIG, "-EFBIG" },
		{ -EILSEQ, "-EILSEQ" },
		{ -EINVAL, "-EINVAL" },
		{ -EKEYREJECTED, "-EKEYREJECTED" },
		{ -ENAMETOOLONG, "-ENAMETOOLONG" },
		{ -ENODATA, "-ENODATA" },
		{ -ENOENT, "-ENOENT" },
		{ -ENOMEM, "-ENOMEM" },
		{ -ENOSPC, "-ENOSPC" },
		{ -EPROTONOSUPPORT, "-EPROTONOSUPPORT" },
		{ -ERANGE, "-ERANGE" },
	};
	static char buf[2][32];
	static int which;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	which ^= 1;
	snprintf(buf[which], sizeof(buf[which]), "%d", err);
	return buf[which];
}

static inline void __attribute__((format(printf, 4, 5)))
check_err(int line, int got, int want, const char *fmt, ...)
{
	char ctx[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	report(got == want, line, "%s: got %s, want %s", ctx, errname(got), errname(want));
}

#define CHECK_ERR(got, want, ...) check_err(__LINE__, (got), (want), __VA_ARGS__)

/* Print the summary line; Return: the exit status, 1 if any check failed. */
static inline int gk_test_summary(void)
{
	printf("%u passed, %u failed\n", gk_test_passed, gk_test_failed);
	return gk_test_failed ? 1 : 0;
}

#endif /* GK_TEST_H */
