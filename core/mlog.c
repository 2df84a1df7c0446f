// SPDX-License-Identifier: GPL-2.0
/*
 * Measurement log, version 1: structure checks of the header and of each
 * event (gk_mlog_format.h, docs/formats.md "Measurement log").  What the
 * events mean, and whether their replay matches a PCR, is the caller's.
 * Portable: it uses only gk_shim.h, so the fuzzer, the unit tests and
 * gk-verify run the same code, and the kernel could.
 */
#include "gk_mlog.h"

#define F_DETAIL (1u << 0)
#define F_VALUE (1u << 1)
#define F_SUBJECT (1u << 2)
#define F_KEY (1u << 3)
#define F_NAME (1u << 4)
#define F_BY (1u << 5)

/*
 * The fields each type may set (the others are zero) and the values its
 * detail may take.  Every type but START says in "by" what caused it.
 */
static const struct {
	u8 fields;
	u16 detail_min, detail_max;
} gk_mlog_types[GK_MLOG_TYPE_MAX + 1] = {
	[GK_MLOG_START] = { F_VALUE | F_SUBJECT | F_NAME | F_BY, 0, 0 },
	[GK_MLOG_KEY] = { F_DETAIL | F_KEY | F_BY, GK_MLOG_KEYRING_PUBLISHERS,
			  GK_MLOG_KEYRING_VERIFIERS },
	[GK_MLOG_POLICY] = { F_DETAIL | F_VALUE | F_SUBJECT | F_NAME | F_BY,
			     GK_MLOG_MODE_ENFORCE, GK_MLOG_MODE_AUDIT },
	[GK_MLOG_LOCK] = { F_BY, 0, 0 },
	[GK_MLOG_MODE] = { F_DETAIL | F_BY, GK_MLOG_MODE_ENFORCE, GK_MLOG_MODE_AUDIT },
	[GK_MLOG_DISARM] = { F_NAME | F_BY, 0, 0 },
	[GK_MLOG_PROBES] = { F_DETAIL | F_BY, 0, 1 },
	[GK_MLOG_ATTEST] = { F_DETAIL | F_VALUE | F_SUBJECT | F_KEY | F_NAME | F_BY,
			     GK_TEE_TDX, GK_TEE_SIM },
	[GK_MLOG_ADMIT] = { F_DETAIL | F_VALUE | F_SUBJECT | F_KEY | F_NAME | F_BY,
			    GK_MLOG_HOW_SIGNATURE, GK_MLOG_HOW_AUDIT },
};

static bool gk_mlog_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* A text field: a NUL among its bytes, and only NULs after the first. */
static bool gk_mlog_text_ok(const char *t)
{
	const char *nul = memchr(t, 0, GK_MLOG_TEXT);

	return nul && gk_mlog_zero((const u8 *)nul, GK_MLOG_TEXT - (nul - t));
}

/**
 * gk_mlog_event_check() - check one event of a version 1 log
 * @ev: the event, GK_MLOG_EVENT_SIZE bytes
 * @index: its position in the log, which its seq must be
 * @why: set to what is wrong, a constant string, on failure
 *
 * The checks run in a fixed order (seq, type, place of START, reserved
 * bytes, fields the type leaves zero, detail, text), so a test can pin
 * down which of several faults is reported.
 *
 * Context: any.
 * Return: 0; -EBADMSG if malformed.
 */
int gk_mlog_event_check(const struct gk_mlog_event *ev, u32 index, const char **why)
{
	u16 type = gk_get_le16(ev->type), detail = gk_get_le16(ev->detail);
	u8 f;

	if (gk_get_le32(ev->seq) != index) {
		*why = "seq out of order";
		return -EBADMSG;
	}
	if (!type || type > GK_MLOG_TYPE_MAX) {
		*why = "unknown type";
		return -EBADMSG;
	}
	if ((type == GK_MLOG_START) != !index) {
		*why = index ? "START after event 0" : "event 0 is not START";
		return -EBADMSG;
	}
	if (!gk_mlog_zero(ev->reserved, sizeof(ev->reserved))) {
		*why = "reserved bytes not zero";
		return -EBADMSG;
	}
	f = gk_mlog_types[type].fields;
	*why = !(f & F_DETAIL) && detail ? "detail set, which this type leaves zero" :
	       !(f & F_VALUE) && !gk_mlog_zero(ev->value, sizeof(ev->value)) ?
			"value set, which this type leaves zero" :
	       !(f & F_SUBJECT) && !gk_mlog_zero(ev->subject, sizeof(ev->subject)) ?
			"subject set, which this type leaves zero" :
	       !(f & F_KEY) && !gk_mlog_zero(ev->key, sizeof(ev->key)) ?
			"key set, which this type leaves zero" :
	       !(f & F_NAME) && !gk_mlog_zero((const u8 *)ev->name, GK_MLOG_TEXT) ?
			"name set, which this type leaves zero" :
	       !(f & F_BY) && !gk_mlog_zero((const u8 *)ev->by, GK_MLOG_TEXT) ?
			"by set, which this type leaves zero" :
	       (f & F_DETAIL) && (detail < gk_mlog_types[type].detail_min ||
				  detail > gk_mlog_types[type].detail_max) ?
			"detail is none of the type's values" :
	       !gk_mlog_text_ok(ev->name) ? "name: no NUL, or bytes after it" :
	       !gk_mlog_text_ok(ev->by) ? "by: no NUL, or bytes after it" : NULL;
	return *why ? -EBADMSG : 0;
}

/**
 * gk_mlog_parse() - check a whole version 1 log
 * @buf: the log: header, then events
 * @len: its size in bytes
 * @count: set to the number of events, on success
 * @bad: set to the index of the event at fault, or GK_MLOG_BAD_HDR, on failure
 * @why: set to what is wrong, a constant string, on failure
 *
 * Events are GK_MLOG_EVENT_SIZE bytes; the first at GK_MLOG_HDR_SIZE.
 * A log with no event, or more than GK_MLOG_EVENTS_MAX, is malformed: the
 * gate writes START when it arms and measures nothing past the maximum.
 *
 * Context: any.
 * Return: 0; -EBADMSG if malformed (a truncated event included);
 * -EPROTONOSUPPORT for a version other than 1.
 */
int gk_mlog_parse(const u8 *buf, size_t len, u32 *count, u32 *bad, const char **why)
{
	const struct gk_mlog_hdr *h = (const void *)buf;
	size_t n;
	u32 i;
	int err;

	*bad = GK_MLOG_BAD_HDR;
	if (len < sizeof(*h) || memcmp(h->magic, GK_MLOG_MAGIC, sizeof(h->magic))) {
		*why = "not a measurement log (bad magic)";
		return -EBADMSG;
	}
	if (gk_get_le32(h->version) != GK_MLOG_V1) {
		*why = "unknown version";
		return -EPROTONOSUPPORT;
	}
	n = (len - sizeof(*h)) / GK_MLOG_EVENT_SIZE;
	if (!n && len == sizeof(*h)) {
		*why = "no START event";
		return -EBADMSG;
	}
	if (n > GK_MLOG_EVENTS_MAX) {
		*bad = GK_MLOG_EVENTS_MAX;
		*why = "more events than a log holds";
		return -EBADMSG;
	}
	for (i = 0; i < n; i++) {
		err = gk_mlog_event_check(gk_mlog_event_at(buf, i), i, why);
		if (err) {
			*bad = i;
			return err;
		}
	}
	if ((len - sizeof(*h)) % GK_MLOG_EVENT_SIZE) {
		*bad = (u32)n;
		*why = "truncated event";
		return -EBADMSG;
	}
	*count = (u32)n;
	return 0;
}
