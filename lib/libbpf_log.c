// SPDX-License-Identifier: GPL-2.0
/*
 * libbpf's messages, on stderr with --verbose only: without it the tool's
 * own error, which says what to do, is the one the user reads.  Apart from
 * cli.c so that the tools without libbpf do not link it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include "cli.h"

static int gk_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return gk_verbose ? vfprintf(stderr, fmt, ap) : 0;
}

void gk_libbpf_init(void)
{
	libbpf_set_print(gk_libbpf_print);
}
