/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The measurement log's reader (core/mlog.c): the structure checks
 * gk-verify ebpf, its tests and its fuzzer share.  The format itself is
 * gk_mlog_format.h's.
 */
#ifndef GK_MLOG_H
#define GK_MLOG_H

#include "gk_attest_format.h"	/* GK_TEE_*: the detail of ATTEST */
#include "gk_mlog_format.h"

/* gk_mlog_parse()'s @bad when the header is at fault. */
#define GK_MLOG_BAD_HDR 0xffffffffu

/* Event @i of a log whose header and events up to @i are in @buf. */
static inline const struct gk_mlog_event *gk_mlog_event_at(const u8 *buf, u32 i)
{
	return (const void *)(buf + GK_MLOG_HDR_SIZE + (size_t)i * GK_MLOG_EVENT_SIZE);
}

int gk_mlog_event_check(const struct gk_mlog_event *ev, u32 index, const char **why);
int gk_mlog_parse(const u8 *buf, size_t len, u32 *count, u32 *bad, const char **why);

#endif /* GK_MLOG_H */
