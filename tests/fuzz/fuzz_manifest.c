// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for gk_manifest_parse().
 *
 * Beyond "no crash under ASan/UBSan": only documented errnos come back,
 * and an accepted manifest is exactly the header and its four printable
 * strings, each within its maximum, all inside the input.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined -Icore \
 *        tests/fuzz/fuzz_manifest.c core/bundle.c -lcrypto
 */
#include <stdio.h>
#include <stdlib.h>

#include "gk_format.h"

static volatile u8 sink;

static void die(const char *why)
{
	fprintf(stderr, "fuzz_manifest: contract broken: %s\n", why);
	abort();
}

static void check_string(const char *s, size_t n, size_t max, const char *at)
{
	const volatile char *p = s;
	size_t i;

	if (n > max || s != at)
		die("string misplaced or too long");
	for (i = 0; i < n; i++) {
		char c = p[i];	/* read every byte: ASan checks the bounds */

		if (c < 0x20 || c > 0x7e)
			die("non-printable byte accepted");
		sink ^= (u8)c;
	}
}

/* Bound maps: after the strings, within map_cnt, in increasing slots. */
static void check_maps(const struct gk_manifest *m)
{
	const u8 *digest;
	int prev = -1;
	u8 slot;
	u32 i;

	if (!m->maps_bound && (m->map_cnt || m->bound_cnt))
		die("maps bound by a version 1 or 2 manifest");
	if (m->map_cnt > GK_MAPS_MAX || m->bound_cnt > m->map_cnt ||
	    m->maps != (const u8 *)m->attach + m->attach_len)
		die("bound maps out of bounds");
	for (i = 0; i < m->bound_cnt; i++) {
		gk_manifest_map_get(m, i, &slot, &digest);
		if (slot <= prev || slot >= m->map_cnt ||
		    digest != m->maps + i * sizeof(struct gk_manifest_map) + 4)
			die("bound map slot out of order or range");
		prev = slot;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t hlen = sizeof(struct gk_manifest_hdr);
	struct gk_manifest m;
	const char *at;
	int err;

	err = gk_manifest_parse(data, size, &m);
	if (err == -EBADMSG || err == -EPROTONOSUPPORT)
		return 0;
	if (err)
		die("undocumented errno");

	if (m.raw != data || m.raw_len != size || size < hlen)
		die("raw bytes are not the input");
	if (m.flags & ~GK_MANIFEST_FLAGS || !m.name_len)
		die("unknown flags or empty name accepted");
	if (m.digest != data + offsetof(struct gk_manifest_hdr, digest))
		die("digest pointer");
	if (hlen + m.name_len + m.publisher_len + m.source_len + m.target_len +
	    m.attach_len + m.bound_cnt * sizeof(struct gk_manifest_map) != size)
		die("lengths do not add up to the input");
	check_maps(&m);
	at = (const char *)data + hlen;
	check_string(m.name, m.name_len, GK_NAME_MAX, at);
	at += m.name_len;
	check_string(m.publisher, m.publisher_len, GK_PUBLISHER_MAX, at);
	at += m.publisher_len;
	check_string(m.source, m.source_len, GK_SOURCE_MAX, at);
	at += m.source_len;
	check_string(m.target, m.target_len, GK_TARGET_MAX, at);
	at += m.target_len;
	check_string(m.attach, m.attach_len, GK_ATTACH_MAX, at);
	if (m.attach_len && !memchr(m.attach, ':', m.attach_len))
		die("attach target without a module accepted");
	return 0;
}
