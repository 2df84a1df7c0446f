// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the measurement log parser gk-verify ebpf runs on a
 * log from the machine it appraises (core/mlog.c).  It aborts if a parse
 * succeeds with a log whose size is not the header and whole events, or
 * with an event that breaks the documented rules checked here again
 * independently, or if it fails with an undocumented errno, no reason, or
 * an event index outside the input.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "../../core/mlog.c"
#include "../include/gk_fuzz.h"

/* The rules the parser must have enforced, restated without its tables. */
static void recheck(const u8 *log, u32 n)
{
	const struct gk_mlog_event *ev;
	u32 i;

	for (i = 0; i < n; i++) {
		ev = gk_mlog_event_at(log, i);
		if (gk_get_le32(ev->seq) != i ||
		    (gk_get_le16(ev->type) == GK_MLOG_START) != !i ||
		    !gk_get_le16(ev->type) || gk_get_le16(ev->type) > GK_MLOG_TYPE_MAX ||
		    !memchr(ev->name, 0, GK_MLOG_TEXT) || !memchr(ev->by, 0, GK_MLOG_TEXT) ||
		    !gk_mlog_zero(ev->reserved, sizeof(ev->reserved)))
			abort();
		touch(ev, GK_MLOG_EVENT_SIZE);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	const char *why = NULL;
	u32 n = 0, bad = 0;
	u8 *copy;
	int err;

	copy = gk_fuzz_copy(data, size);
	if (!copy)
		return 0;
	err = gk_mlog_parse(copy, size, &n, &bad, &why);
	if (err) {
		if ((err != -EBADMSG && err != -EPROTONOSUPPORT) || !why || !*why ||
		    (bad != GK_MLOG_BAD_HDR &&
		     (size_t)bad > (size - GK_MLOG_HDR_SIZE) / GK_MLOG_EVENT_SIZE))
			abort();
		free(copy);
		return 0;
	}
	if (!n || size != GK_MLOG_HDR_SIZE + (size_t)n * GK_MLOG_EVENT_SIZE)
		abort();
	recheck(copy, n);
	free(copy);
	return 0;
}
