// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for gk_bundle_parse().
 *
 * Beyond "no crash under ASan/UBSan", every run checks the contract the
 * kernel's store relies on: each manifest and signature handed out lies
 * inside the input and is well formed, and a bundle that fails its
 * structure checks never reaches the callback.  A signature reading
 * "STOP" makes the callback fail, so the early-exit path is fuzzed too.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined -Icore \
 *        tests/fuzz/fuzz_bundle.c core/bundle.c -lcrypto
 */
#include <stdio.h>
#include <stdlib.h>

#include "gk_format.h"
#include "../include/gk_fuzz.h"

#define STOP_ERR (-ECANCELED)

struct walk {
	const u8 *buf;
	size_t len;
	u32 calls;
	bool stopped;
};


static void die(const char *why)
{
	fprintf(stderr, "fuzz_bundle: contract broken: %s\n", why);
	abort();
}

static bool inside(const struct walk *w, const void *p, size_t n)
{
	const u8 *b = p;

	return b >= w->buf && b <= w->buf + w->len && n <= (size_t)(w->buf + w->len - b);
}

static void check_string(const struct walk *w, const struct gk_manifest *m,
			 const char *s, size_t n, size_t max)
{
	size_t i;

	if (n > max || !inside(w, s, n) || (const u8 *)s < m->raw ||
	    (const u8 *)s + n > m->raw + m->raw_len)
		die("string outside its manifest or too long");
	touch(s, n);
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			die("non-printable byte in a string");
}

static int entry(void *ctx, const struct gk_manifest *m, const u8 *sig,
		 size_t sig_len)
{
	struct walk *w = ctx;

	if (w->stopped)
		die("callback called after it failed");
	w->calls++;
	if (!inside(w, m->raw, m->raw_len) || m->raw_len < sizeof(struct gk_manifest_hdr))
		die("manifest outside the bundle");
	if (m->flags & ~GK_MANIFEST_FLAGS || !m->name_len)
		die("manifest with unknown flags or no name");
	if (m->digest != m->raw + offsetof(struct gk_manifest_hdr, digest))
		die("digest pointer");
	touch(m->raw, m->raw_len);
	check_string(w, m, m->name, m->name_len, GK_NAME_MAX);
	check_string(w, m, m->publisher, m->publisher_len, GK_PUBLISHER_MAX);
	check_string(w, m, m->source, m->source_len, GK_SOURCE_MAX);
	check_string(w, m, m->target, m->target_len, GK_TARGET_MAX);
	check_string(w, m, m->attach, m->attach_len, GK_ATTACH_MAX);
	if (m->attach + m->attach_len != (const char *)m->maps ||
	    m->maps + m->bound_cnt * sizeof(struct gk_manifest_map) != m->raw + m->raw_len)
		die("manifest strings and bound maps do not end the manifest");
	if (!sig_len || sig_len > GK_SIG_MAX_SIZE || !inside(w, sig, sig_len) ||
	    sig != m->raw + m->raw_len)
		die("signature outside the bundle or of a bad size");
	touch(sig, sig_len);
	if (sig_len == 4 && !memcmp(sig, "STOP", 4)) {
		w->stopped = true;
		return STOP_ERR;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct walk w = { .buf = data, .len = size };
	int err = gk_bundle_parse(data, size, entry, &w);

	switch (err) {
	case 0:
		if (w.stopped || size < sizeof(struct gk_bundle_hdr) ||
		    w.calls != gk_get_le32(data + offsetof(struct gk_bundle_hdr, count)))
			die("success without one callback per entry");
		break;
	case STOP_ERR:
		if (!w.stopped)
			die("callback's error returned but callback never failed");
		break;
	case -EFBIG:
	case -EBADMSG:
	case -EPROTONOSUPPORT:
		/* The structure is checked whole before the first callback. */
		if (w.calls)
			die("callback called for a bundle that was rejected");
		break;
	default:
		die("undocumented errno");
	}
	return 0;
}
