// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the portable core: gk_manifest_parse() and gk_bundle_parse()
 * (core/bundle.c) and gk_prog_digest() (core/digest.c).
 *
 * The parsers are always handed an exact-size heap copy of the input, so a
 * sanitizer build (tests/unit/run uses one) catches a read one byte past
 * the end.  Digest expectations are built here from the byte layout that
 * core/gk_format.h documents and hashed with OpenSSL directly; the code
 * under test is never used to compute its own expectation.
 *
 * Output: one line per failure with its context, then "N passed, N failed".
 */
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <openssl/evp.h>

#include "gk_format.h"
#include "gk_probes.h"
#include "gk_test.h"

/* The wire sizes are part of the format, not an accident of the compiler. */
_Static_assert(sizeof(struct gk_digest_hdr) == 32, "digest header size");
_Static_assert(sizeof(struct gk_manifest_hdr) == 64, "manifest header size");
_Static_assert(offsetof(struct gk_manifest_hdr, attach_len) == 56, "manifest attach_len");
_Static_assert(sizeof(struct gk_bundle_hdr) == 24, "bundle header size");
_Static_assert(sizeof(struct gk_bundle_entry_hdr) == 8, "entry header size");
/* The flags the digest covers are the kernel's, bit for bit. */
_Static_assert(GK_BPF_F_SLEEPABLE == BPF_F_SLEEPABLE, "BPF_F_SLEEPABLE");
_Static_assert(GK_BPF_F_XDP_HAS_FRAGS == BPF_F_XDP_HAS_FRAGS, "BPF_F_XDP_HAS_FRAGS");

/* Little-endian stores written out here so the tests do not trust the shim. */
static void put16(u8 *p, u32 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

static void put32(u8 *p, u32 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		perror("malloc");
		exit(99);
	}
	return p;
}

/* An exact-size copy, so that reading past @len is a heap overflow. */
static u8 *exact(const u8 *buf, size_t len)
{
	u8 *p = xmalloc(len);

	if (len)
		memcpy(p, buf, len);
	return p;
}

/*
 * Patches: a single field overwritten after a valid input was built, so a
 * table row can say "this bundle, but with sig_len 0" in one line.
 */
enum { P_NONE, P_ABS, P_STR, P_ENT, P_MAN, P_SIG };

struct patch {
	u8 kind;	/* what @off is relative to */
	u8 width;	/* 1, 2 or 4 bytes, little-endian */
	u16 idx;	/* which string (P_STR) or entry (P_ENT/P_MAN/P_SIG) */
	u32 off;
	u32 val;
};

#define HDR8(o, v) { P_ABS, 1, 0, (o), (v) }
#define HDR16(o, v) { P_ABS, 2, 0, (o), (v) }
#define HDR32(o, v) { P_ABS, 4, 0, (o), (v) }
#define STR8(i, pos, v) { P_STR, 1, (i), (pos), (v) }
#define ENT32(k, field, v) \
	{ P_ENT, 4, (k), offsetof(struct gk_bundle_entry_hdr, field), (v) }
#define MAN8(k, o, v) { P_MAN, 1, (k), (o), (v) }
#define MAN32(k, o, v) { P_MAN, 4, (k), (o), (v) }
#define MOFF(f) offsetof(struct gk_manifest_hdr, f)
#define BOFF(f) offsetof(struct gk_bundle_hdr, f)

static void apply(u8 *base, const struct patch *p)
{
	switch (p->width) {
	case 1: base[p->off] = p->val; break;
	case 2: put16(base + p->off, p->val); break;
	case 4: put32(base + p->off, p->val); break;
	}
}

/* ------------------------------------------------------------------ */
/* Manifests                                                          */
/* ------------------------------------------------------------------ */

#define MHDR sizeof(struct gk_manifest_hdr)
#define MAX_MANIFEST (MHDR + GK_NAME_MAX + GK_PUBLISHER_MAX + GK_SOURCE_MAX + \
		      GK_TARGET_MAX + GK_ATTACH_MAX)
#define NSTR 5

/*
 * The default manifest's strings: name, publisher, source, target and
 * attach target.  The default is version 1, without an attach target.
 */
static const char *const def_str[NSTR] = {
	"xdp_count", "ACME Corp", "https://git.example.org/acme/xdp.git#v1.2",
	"6.1.0-18-amd64", "",
};

/*
 * lens[i] == L(n): string i is n fill bytes; 0 keeps the default string.
 * An attach target (given, or fill bytes) makes a version 2 manifest.
 */
#define L(n) ((n) + 1)

static u8 digest_byte(unsigned int i)
{
	return (u8)(i * 37);	/* includes 0x00 and bytes above 0x7f */
}

/*
 * Fill bytes cycle through all of printable ASCII, space and '~' included,
 * so the boundary characters are always exercised by the long strings.
 */
static char fill_char(unsigned int str, unsigned int j)
{
	if (str == 4)	/* "m:" and a function name: well formed */
		return j == 1 ? ':' : (char)('a' + j % 26);
	return (char)(0x20 + (j * 7 + str * 13) % 95);
}

struct mbuilt {
	u8 buf[MAX_MANIFEST + 4096];
	size_t len;
	size_t str_off[NSTR];
	u16 str_len[NSTR];
	u32 flags;
};

static void mk_manifest_attach(struct mbuilt *b, u32 flags, const int lens[NSTR],
			       const char *attach)
{
	struct gk_manifest_hdr *h = (void *)b->buf;
	size_t off = MHDR;
	unsigned int i, j;

	memset(b, 0, sizeof(*b));
	memcpy(h->magic, "GKMANI\0\1", 8);
	put32(b->buf + MOFF(flags), flags);
	for (i = 0; i < GK_DIGEST_SIZE; i++)
		h->digest[i] = digest_byte(i);
	for (i = 0; i < NSTR; i++) {
		const char *str = i == 4 && attach ? attach : def_str[i];
		u16 n = lens && lens[i] ? (size_t)lens[i] - 1 : strlen(str);

		b->str_off[i] = off;
		b->str_len[i] = n;
		for (j = 0; j < n; j++)
			b->buf[off + j] = lens && lens[i] ? fill_char(i, j) : str[j];
		off += n;
	}
	put32(b->buf + MOFF(version), b->str_len[4] ? 2 : 1);
	put16(b->buf + MOFF(name_len), b->str_len[0]);
	put16(b->buf + MOFF(publisher_len), b->str_len[1]);
	put16(b->buf + MOFF(source_len), b->str_len[2]);
	put16(b->buf + MOFF(target_len), b->str_len[3]);
	put16(b->buf + MOFF(attach_len), b->str_len[4]);
	b->len = off;
	b->flags = flags;
}

static void mk_manifest(struct mbuilt *b, u32 flags, const int lens[NSTR])
{
	mk_manifest_attach(b, flags, lens, NULL);
}

/* On success every pointer must land on the bytes the builder wrote. */
static void check_manifest_fields(const char *desc, const struct mbuilt *b,
				  const u8 *buf, const struct gk_manifest *m)
{
	const char *s[NSTR] = { m->name, m->publisher, m->source, m->target, m->attach };
	u16 n[NSTR] = { m->name_len, m->publisher_len, m->source_len, m->target_len,
			m->attach_len };
	unsigned int i;

	CHECK(m->raw == buf && m->raw_len == b->len,
	      "%s: raw %p/%zu, want %p/%zu", desc, (void *)m->raw, m->raw_len,
	      (void *)buf, b->len);
	CHECK(m->flags == b->flags, "%s: flags %#x, want %#x", desc, m->flags,
	      b->flags);
	CHECK(m->digest == buf + MOFF(digest), "%s: digest points at +%td",
	      desc, m->digest - buf);
	for (i = 0; i < NSTR; i++)
		CHECK((const u8 *)s[i] == buf + b->str_off[i] &&
		      n[i] == b->str_len[i] &&
		      !memcmp(s[i], b->buf + b->str_off[i], n[i]),
		      "%s: string %u at +%td len %u, want +%zu len %u", desc, i,
		      (const u8 *)s[i] - buf, n[i], b->str_off[i], b->str_len[i]);
}

static int parse_manifest_copy(const u8 *src, size_t len, struct gk_manifest *m,
			       u8 **copy)
{
	*copy = exact(src, len);
	return gk_manifest_parse(*copy, len, m);
}

struct mcase {
	const char *desc;
	int err;
	u32 flags;
	int lens[NSTR];
	const char *attach;	/* non-NULL: a version 2 manifest with it */
	int delta;		/* >0: bytes appended; <0: bytes cut */
	struct patch p[4];
};

static const struct mcase mcases[] = {
	{ .desc = "valid: default strings", .err = 0 },
	{ .desc = "valid: confidential flag", .err = 0,
	  .flags = GK_MANIFEST_CONFIDENTIAL },
	{ .desc = "valid: name of one byte", .err = 0, .lens = { L(1) } },
	{ .desc = "valid: name exactly GK_NAME_MAX", .err = 0,
	  .lens = { L(GK_NAME_MAX) } },
	{ .desc = "valid: publisher exactly GK_PUBLISHER_MAX", .err = 0,
	  .lens = { 0, L(GK_PUBLISHER_MAX) } },
	{ .desc = "valid: source exactly GK_SOURCE_MAX", .err = 0,
	  .lens = { 0, 0, L(GK_SOURCE_MAX) } },
	{ .desc = "valid: target exactly GK_TARGET_MAX", .err = 0,
	  .lens = { 0, 0, 0, L(GK_TARGET_MAX) } },
	{ .desc = "valid: every string at its maximum", .err = 0,
	  .lens = { L(GK_NAME_MAX), L(GK_PUBLISHER_MAX), L(GK_SOURCE_MAX),
		    L(GK_TARGET_MAX) } },
	{ .desc = "valid: empty publisher, source and target", .err = 0,
	  .lens = { 0, L(0), L(0), L(0) } },
	{ .desc = "valid: space and tilde are printable", .err = 0,
	  .p = { STR8(0, 0, ' '), STR8(0, 1, '~'), STR8(3, 0, ' ') } },
	{ .desc = "valid: digest holds NUL and 0xff bytes", .err = 0,
	  .p = { HDR8(MOFF(digest), 0x00), HDR8(MOFF(digest) + 31, 0xff) } },
	{ .desc = "valid: version 2, bound to a kernel function", .err = 0,
	  .attach = "vmlinux:do_nanosleep" },
	{ .desc = "valid: version 2, bound to a module's function", .err = 0,
	  .attach = "nf_conntrack:nf_confirm" },
	{ .desc = "valid: attach target of three bytes", .err = 0, .attach = "m:f" },
	{ .desc = "valid: dots in the function name", .err = 0,
	  .attach = "vmlinux:foo.isra.0" },
	{ .desc = "valid: attach target exactly GK_ATTACH_MAX", .err = 0,
	  .lens = { [4] = L(GK_ATTACH_MAX) } },
	{ .desc = "valid: every string at its maximum, version 2", .err = 0,
	  .lens = { L(GK_NAME_MAX), L(GK_PUBLISHER_MAX), L(GK_SOURCE_MAX),
		    L(GK_TARGET_MAX), L(GK_ATTACH_MAX) } },

	{ .desc = "attach target GK_ATTACH_MAX + 1", .err = -EBADMSG,
	  .lens = { [4] = L(GK_ATTACH_MAX + 1) } },
	{ .desc = "attach target in a version 1 manifest", .err = -EBADMSG,
	  .attach = "vmlinux:do_nanosleep", .p = { HDR32(MOFF(version), 1) } },
	{ .desc = "version 2 without an attach target", .err = -EBADMSG,
	  .p = { HDR32(MOFF(version), 2) } },
	{ .desc = "attach target without a module", .err = -EBADMSG,
	  .attach = ":do_nanosleep" },
	{ .desc = "attach target without a function", .err = -EBADMSG,
	  .attach = "vmlinux:" },
	{ .desc = "attach target without a colon", .err = -EBADMSG,
	  .attach = "do_nanosleep" },
	{ .desc = "attach target with two colons", .err = -EBADMSG,
	  .attach = "vmlinux:do:nanosleep" },
	{ .desc = "attach target of a colon alone", .err = -EBADMSG, .attach = ":" },
	{ .desc = "space in the attach target", .err = -EBADMSG,
	  .attach = "vmlinux: do_nanosleep" },
	{ .desc = "dot in the attach target's module", .err = -EBADMSG,
	  .attach = "vm.linux:do_nanosleep" },
	{ .desc = "hyphen in the attach target", .err = -EBADMSG,
	  .attach = "vmlinux:do-nanosleep" },
	{ .desc = "attach_len one more than present", .err = -EBADMSG,
	  .attach = "vmlinux:do_nanosleep",
	  .p = { HDR16(MOFF(attach_len), 21) } },
	{ .desc = "attach_len one less than present", .err = -EBADMSG,
	  .attach = "vmlinux:do_nanosleep",
	  .p = { HDR16(MOFF(attach_len), 19) } },
	{ .desc = "last byte of the attach target missing", .err = -EBADMSG,
	  .attach = "vmlinux:do_nanosleep", .delta = -1 },

	{ .desc = "empty name", .err = -EBADMSG, .lens = { L(0) } },
	{ .desc = "name GK_NAME_MAX + 1", .err = -EBADMSG,
	  .lens = { L(GK_NAME_MAX + 1) } },
	{ .desc = "publisher GK_PUBLISHER_MAX + 1", .err = -EBADMSG,
	  .lens = { 0, L(GK_PUBLISHER_MAX + 1) } },
	{ .desc = "source GK_SOURCE_MAX + 1", .err = -EBADMSG,
	  .lens = { 0, 0, L(GK_SOURCE_MAX + 1) } },
	{ .desc = "target GK_TARGET_MAX + 1", .err = -EBADMSG,
	  .lens = { 0, 0, 0, L(GK_TARGET_MAX + 1) } },

	{ .desc = "unknown flag bit 1", .err = -EBADMSG, .flags = 1U << 1 },
	{ .desc = "unknown flag bit 31", .err = -EBADMSG, .flags = 1U << 31 },
	{ .desc = "every flag bit", .err = -EBADMSG, .flags = 0xffffffff },

	{ .desc = "bad magic: lower-case first byte", .err = -EBADMSG,
	  .p = { HDR8(0, 'g') } },
	{ .desc = "bad magic: format number 2", .err = -EBADMSG,
	  .p = { HDR8(7, 2) } },
	{ .desc = "bad magic: NUL separator replaced", .err = -EBADMSG,
	  .p = { HDR8(6, '0') } },
	{ .desc = "bad magic: the bundle's", .err = -EBADMSG,
	  .p = { HDR32(0, 0x55424b47), HDR32(4, 0x314c444e) } },
	{ .desc = "bad magic and bad version: magic wins", .err = -EBADMSG,
	  .p = { HDR8(1, 'X'), HDR32(MOFF(version), 2) } },

	{ .desc = "version 0", .err = -EPROTONOSUPPORT,
	  .p = { HDR32(MOFF(version), 0) } },
	{ .desc = "valid: version 3 binding no map", .err = 0,
	  .p = { HDR32(MOFF(version), 3) } },
	{ .desc = "version 4", .err = -EPROTONOSUPPORT,
	  .p = { HDR32(MOFF(version), 4) } },
	{ .desc = "map_cnt in a version 2 manifest", .err = -EBADMSG,
	  .attach = "vmlinux:do_nanosleep", .p = { HDR8(MOFF(map_cnt), 1) } },
	{ .desc = "bound_cnt in a version 2 manifest", .err = -EBADMSG,
	  .attach = "vmlinux:do_nanosleep", .p = { HDR8(MOFF(bound_cnt), 1) } },
	{ .desc = "version 1 big-endian", .err = -EPROTONOSUPPORT,
	  .p = { HDR32(MOFF(version), 0x01000000) } },
	{ .desc = "version 0x101 (only the low byte right)", .err = -EPROTONOSUPPORT,
	  .p = { HDR32(MOFF(version), 0x101) } },
	{ .desc = "version 0xffffffff", .err = -EPROTONOSUPPORT,
	  .p = { HDR32(MOFF(version), 0xffffffff) } },

	{ .desc = "reserved[0] = 1", .err = -EBADMSG,
	  .p = { HDR8(MOFF(reserved), 1) } },
	{ .desc = "reserved[5] top bit", .err = -EBADMSG,
	  .p = { HDR8(MOFF(reserved) + 5, 0x80) } },
	{ .desc = "reserved[5] top bit, version 2", .err = -EBADMSG,
	  .attach = "vmlinux:do_nanosleep", .p = { HDR8(MOFF(reserved) + 5, 0x80) } },

	{ .desc = "trailing byte after the strings", .err = -EBADMSG, .delta = 1 },
	{ .desc = "trailing 100 bytes", .err = -EBADMSG, .delta = 100 },
	{ .desc = "last byte of the target missing", .err = -EBADMSG, .delta = -1 },
	{ .desc = "name_len one more than present", .err = -EBADMSG,
	  .lens = { L(8) }, .p = { HDR16(MOFF(name_len), 9) } },
	{ .desc = "name_len one less than present", .err = -EBADMSG,
	  .lens = { L(8) }, .p = { HDR16(MOFF(name_len), 7) } },
	{ .desc = "target_len one more than present", .err = -EBADMSG,
	  .lens = { 0, 0, 0, L(8) }, .p = { HDR16(MOFF(target_len), 9) } },
	{ .desc = "name_len 0xffff", .err = -EBADMSG,
	  .p = { HDR16(MOFF(name_len), 0xffff) } },
	{ .desc = "every length 0xffff", .err = -EBADMSG,
	  .p = { HDR16(MOFF(name_len), 0xffff), HDR16(MOFF(publisher_len), 0xffff),
		 HDR16(MOFF(source_len), 0xffff), HDR16(MOFF(target_len), 0xffff) } },
	{ .desc = "source_len max + 1 with the bytes present", .err = -EBADMSG,
	  .lens = { 0, 0, L(GK_SOURCE_MAX + 1) } },
	/* A length read as one byte would find these consistent. */
	{ .desc = "name_len 0x100 + present", .err = -EBADMSG,
	  .lens = { L(8) }, .p = { HDR16(MOFF(name_len), 0x108) } },
	{ .desc = "publisher_len 0x100 + present", .err = -EBADMSG,
	  .lens = { 0, L(8) }, .p = { HDR16(MOFF(publisher_len), 0x108) } },
	{ .desc = "source_len 0x100 + present", .err = -EBADMSG,
	  .lens = { 0, 0, L(8) }, .p = { HDR16(MOFF(source_len), 0x108) } },
	{ .desc = "target_len 0x100 + present", .err = -EBADMSG,
	  .lens = { 0, 0, 0, L(8) }, .p = { HDR16(MOFF(target_len), 0x108) } },

	{ .desc = "NUL in name", .err = -EBADMSG, .p = { STR8(0, 0, 0) } },
	{ .desc = "NUL as the last name byte", .err = -EBADMSG,
	  .lens = { L(GK_NAME_MAX) }, .p = { STR8(0, GK_NAME_MAX - 1, 0) } },
	{ .desc = "NUL in publisher", .err = -EBADMSG, .p = { STR8(1, 3, 0) } },
	{ .desc = "NUL in source", .err = -EBADMSG, .p = { STR8(2, 5, 0) } },
	{ .desc = "NUL as the last target byte", .err = -EBADMSG,
	  .lens = { 0, 0, 0, L(GK_TARGET_MAX) },
	  .p = { STR8(3, GK_TARGET_MAX - 1, 0) } },
	{ .desc = "newline in name", .err = -EBADMSG, .p = { STR8(0, 2, '\n') } },
	{ .desc = "tab in source", .err = -EBADMSG, .p = { STR8(2, 0, '\t') } },
	{ .desc = "ESC in publisher", .err = -EBADMSG, .p = { STR8(1, 0, 0x1b) } },
	{ .desc = "0x1f in target", .err = -EBADMSG, .p = { STR8(3, 0, 0x1f) } },
	{ .desc = "DEL in publisher", .err = -EBADMSG, .p = { STR8(1, 0, 0x7f) } },
	{ .desc = "0x80 in source", .err = -EBADMSG, .p = { STR8(2, 1, 0x80) } },
	{ .desc = "0xff in target", .err = -EBADMSG, .p = { STR8(3, 2, 0xff) } },
	{ .desc = "UTF-8 in name", .err = -EBADMSG,
	  .p = { STR8(0, 0, 0xc3), STR8(0, 1, 0xa9) } },
};

static void run_manifest_case(const struct mcase *c)
{
	static struct mbuilt b;
	struct gk_manifest m;
	size_t len;
	unsigned int i;
	u8 *copy;
	int err;

	mk_manifest_attach(&b, c->flags, c->lens, c->attach);
	for (i = 0; i < 4 && c->p[i].kind; i++)
		apply(b.buf + (c->p[i].kind == P_STR ? b.str_off[c->p[i].idx] : 0),
		      &c->p[i]);
	len = b.len;
	if (c->delta > 0)
		memset(b.buf + len, 'x', c->delta);
	len += c->delta;

	err = parse_manifest_copy(b.buf, len, &m, &copy);
	CHECK_ERR(err, c->err, "manifest: %s", c->desc);
	if (!err && !c->err)
		check_manifest_fields(c->desc, &b, copy, &m);
	free(copy);
}

static void test_manifest_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(mcases) / sizeof(mcases[0]); i++)
		run_manifest_case(&mcases[i]);
}

/* Every prefix of a valid manifest is malformed, including the empty one. */
static void test_manifest_truncation(void)
{
	static const int max[NSTR] = { L(GK_NAME_MAX), L(GK_PUBLISHER_MAX),
				       L(GK_SOURCE_MAX), L(GK_TARGET_MAX),
				       L(GK_ATTACH_MAX) };
	static struct mbuilt b;
	const int *lens[2] = { NULL, max };
	struct gk_manifest m;
	unsigned int v;
	size_t len;

	/* Default strings (version 1), every string at its maximum (version 2). */
	for (v = 0; v < 2; v++) {
		mk_manifest(&b, 0, lens[v]);
		for (len = 0; len < b.len; len++) {
			u8 *copy;
			int err = parse_manifest_copy(b.buf, len, &m, &copy);

			CHECK_ERR(err, -EBADMSG, "manifest (%s strings) truncated to %zu of %zu",
				  v ? "maximum" : "default", len, b.len);
			free(copy);
		}
	}
	CHECK_ERR(gk_manifest_parse(NULL, 0, &m), -EBADMSG, "manifest: NULL, length 0");
}

/* Each string, each byte value: only 0x20..0x7e may appear. */
static void test_manifest_bytes(void)
{
	static struct mbuilt b;
	struct gk_manifest m;
	unsigned int s, c;

	for (s = 0; s < NSTR; s++) {
		for (c = 0; c < 256; c++) {
			int want = c >= 0x20 && c <= 0x7e ? 0 : -EBADMSG;
			u8 *copy;
			int err;

			/* An attach target takes identifier characters only. */
			if (s == 4)
				want = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				       (c >= '0' && c <= '9') || c == '_' || c == '.' ?
				       0 : -EBADMSG;
			mk_manifest_attach(&b, 0, NULL, "vmlinux:do_nanosleep");
			b.buf[b.str_off[s] + b.str_len[s] / 2] = c;
			err = parse_manifest_copy(b.buf, b.len, &m, &copy);
			CHECK_ERR(err, want, "manifest: byte %#04x in string %u", c, s);
			free(copy);
		}
	}
}

/* Every magic and reserved byte matters; the digest bytes never do. */
static void test_manifest_header_bytes(void)
{
	static struct mbuilt b;
	struct gk_manifest m;
	unsigned int i;
	u8 *copy;
	int err;

	for (i = 0; i < 8; i++) {
		mk_manifest(&b, 0, NULL);
		b.buf[MOFF(magic) + i] ^= 0x01;
		err = parse_manifest_copy(b.buf, b.len, &m, &copy);
		CHECK_ERR(err, -EBADMSG, "manifest: magic byte %u flipped", i);
		free(copy);

		/* Version 1: attach_len and reserved must be zero. */
		mk_manifest(&b, 0, NULL);
		b.buf[MOFF(attach_len) + i] = 0xff;
		err = parse_manifest_copy(b.buf, b.len, &m, &copy);
		CHECK_ERR(err, -EBADMSG, "manifest: attach_len/reserved byte %u = 0xff", i);
		free(copy);
	}
	for (i = 0; i < 32; i++) {
		mk_manifest(&b, 0, NULL);
		b.buf[MOFF(digest) + i] = 0;
		err = parse_manifest_copy(b.buf, b.len, &m, &copy);
		CHECK_ERR(err, 0, "manifest: digest byte %u = 0", i);
		free(copy);
	}
	for (i = 2; i < 32; i++) {
		mk_manifest(&b, 1U << i, NULL);
		err = parse_manifest_copy(b.buf, b.len, &m, &copy);
		CHECK_ERR(err, -EBADMSG, "manifest: flag bit %u", i);
		free(copy);
	}
	/* Zeroes are never a manifest, whatever their length. */
	for (i = 0; i <= MHDR + 16; i += 8) {
		u8 *z = calloc(1, i ? i : 1);

		if (!z)
			exit(99);
		CHECK_ERR(gk_manifest_parse(z, i, &m), -EBADMSG,
			  "manifest: %u NUL bytes", i);
		free(z);
	}
}

/* ------------------------------------------------------------------ */
/* Bundles                                                            */
/* ------------------------------------------------------------------ */

#define BHDR sizeof(struct gk_bundle_hdr)
#define EHDR sizeof(struct gk_bundle_entry_hdr)
#define DEF_SIG 16

struct bbuilt {
	u8 *buf;
	size_t len;
	u32 n;
	size_t *ent_off, *man_off, *man_len, *sig_off, *sig_len;
};

struct bcase {
	const char *desc;
	int err;
	u32 n;			/* entries built */
	u32 sig;		/* signature length, 0: DEF_SIG */
	size_t total;		/* if set, the last signature pads to this */
	int delta;		/* >0: garbage appended; <0: bytes cut */
	bool fix_size;		/* the size field follows @delta */
	bool same_names;	/* every entry the same manifest */
	u32 fail_at;		/* callback call (1-based) that fails */
	int fail_err;
	struct patch p[4];
};

/* Entry k: manifest "prog%03u" by "acme", signature bytes 0..255 cycling. */
static size_t entry_manifest(u8 *out, u32 k, bool same)
{
	char name[8];
	size_t len;

	snprintf(name, sizeof(name), "prog%03u", same ? 0 : k % 1000);
	memset(out, 0, MHDR);
	memcpy(out, "GKMANI\0\1", 8);
	put32(out + MOFF(version), 1);
	memset(out + MOFF(digest), same ? 0xd1 : (int)(k & 0xff), GK_DIGEST_SIZE);
	put16(out + MOFF(name_len), 7);
	put16(out + MOFF(publisher_len), 4);
	len = MHDR;
	memcpy(out + len, name, 7);
	len += 7;
	memcpy(out + len, "acme", 4);
	return len + 4;
}

#define ENTRY_MANIFEST_LEN (MHDR + 11)

static void mk_bundle(struct bbuilt *b, const struct bcase *c)
{
	u32 sig = c->sig ? c->sig : DEF_SIG;
	size_t len, i, j, last_sig = sig;
	u8 *p;

	b->n = c->n;
	len = BHDR + (size_t)c->n * (EHDR + ENTRY_MANIFEST_LEN + sig);
	if (c->total && c->n) {
		last_sig = c->total - (len - sig);
		len = c->total;
	}
	b->buf = xmalloc(len + (c->delta > 0 ? c->delta : 0));
	b->ent_off = xmalloc(sizeof(size_t) * (c->n + 1));
	b->man_off = xmalloc(sizeof(size_t) * (c->n + 1));
	b->man_len = xmalloc(sizeof(size_t) * (c->n + 1));
	b->sig_off = xmalloc(sizeof(size_t) * (c->n + 1));
	b->sig_len = xmalloc(sizeof(size_t) * (c->n + 1));

	p = b->buf;
	memcpy(p, "GKBUNDL1", 8);
	put32(p + BOFF(version), 1);
	put32(p + BOFF(count), c->n);
	put32(p + BOFF(size), len);
	put32(p + BOFF(reserved), 0);
	p += BHDR;
	for (i = 0; i < c->n; i++) {
		size_t s = i + 1 == c->n ? last_sig : sig;

		b->ent_off[i] = p - b->buf;
		b->man_off[i] = b->ent_off[i] + EHDR;
		b->man_len[i] = entry_manifest(b->buf + b->man_off[i], i, c->same_names);
		b->sig_off[i] = b->man_off[i] + b->man_len[i];
		b->sig_len[i] = s;
		put32(p, b->man_len[i]);
		put32(p + 4, s);
		for (j = 0; j < s; j++)	/* NUL bytes included */
			b->buf[b->sig_off[i] + j] = (u8)(i * 31 + j);
		p = b->buf + b->sig_off[i] + s;
	}
	b->len = p - b->buf;
}

static void free_bundle(struct bbuilt *b)
{
	free(b->buf);
	free(b->ent_off);
	free(b->man_off);
	free(b->man_len);
	free(b->sig_off);
	free(b->sig_len);
}

/* What the callback saw, checked against what the builder wrote. */
struct rec {
	const struct bbuilt *b;
	const u8 *buf;		/* the copy handed to the parser */
	u32 calls;
	u32 fail_at;
	int fail_err;
	bool mismatch;
	char why[200];
};

static int record(void *ctx, const struct gk_manifest *m, const u8 *sig,
		  size_t sig_len)
{
	struct rec *r = ctx;
	u32 i = r->calls++;

	if (r->mismatch)	/* keep the first reason */
		goto out;
	if (i >= r->b->n)
		snprintf(r->why, sizeof(r->why), "call %u, only %u entries", i + 1,
			 r->b->n);
	else if (m->raw != r->buf + r->b->man_off[i] || m->raw_len != r->b->man_len[i])
		snprintf(r->why, sizeof(r->why),
			 "call %u: manifest at +%td/%zu, want entry %u at +%zu/%zu",
			 i + 1, m->raw - r->buf, m->raw_len, i, r->b->man_off[i],
			 r->b->man_len[i]);
	else if (sig != r->buf + r->b->sig_off[i] || sig_len != r->b->sig_len[i])
		snprintf(r->why, sizeof(r->why),
			 "call %u: signature at +%td/%zu, want +%zu/%zu", i + 1,
			 sig - r->buf, sig_len, r->b->sig_off[i], r->b->sig_len[i]);
	else if (m->name_len != 7 || m->name != (const char *)m->raw + MHDR ||
		 m->digest != m->raw + MOFF(digest))
		snprintf(r->why, sizeof(r->why), "call %u: manifest fields wrong", i + 1);
	else
		goto out;
	r->mismatch = true;
out:
	return r->fail_at == r->calls ? r->fail_err : 0;
}

static int parse_bundle_copy(const u8 *src, size_t len, struct rec *r)
{
	u8 *copy = exact(src, len);
	int err;

	r->buf = copy;
	err = gk_bundle_parse(copy, len, record, r);
	free(copy);
	return err;
}

#define EOFF(k) (BHDR + (size_t)(k) * (EHDR + ENTRY_MANIFEST_LEN + DEF_SIG))

static const struct bcase bcases[] = {
	{ .desc = "valid: one entry", .err = 0, .n = 1 },
	{ .desc = "valid: three entries", .err = 0, .n = 3 },
	{ .desc = "valid: GK_BUNDLE_MAX_ENTRIES entries", .err = 0,
	  .n = GK_BUNDLE_MAX_ENTRIES, .sig = 1 },
	{ .desc = "valid: one-byte signature", .err = 0, .n = 2, .sig = 1 },
	{ .desc = "valid: signature exactly GK_SIG_MAX_SIZE", .err = 0, .n = 1,
	  .sig = GK_SIG_MAX_SIZE },
	{ .desc = "valid: exactly GK_BUNDLE_MAX_SIZE", .err = 0, .n = 16,
	  .sig = GK_SIG_MAX_SIZE, .total = GK_BUNDLE_MAX_SIZE },
	{ .desc = "valid: duplicate entries are all handed out", .err = 0,
	  .n = 3, .same_names = true },

	{ .desc = "GK_BUNDLE_MAX_SIZE + 1", .err = -EFBIG, .n = 16,
	  .sig = GK_SIG_MAX_SIZE, .total = GK_BUNDLE_MAX_SIZE + 1 },
	{ .desc = "oversize with bad magic: size is checked first", .err = -EFBIG,
	  .n = 16, .sig = GK_SIG_MAX_SIZE, .total = GK_BUNDLE_MAX_SIZE + 1,
	  .p = { HDR8(0, 'X') } },

	{ .desc = "bad magic: first byte", .err = -EBADMSG, .n = 1,
	  .p = { HDR8(0, 'g') } },
	{ .desc = "bad magic: last byte", .err = -EBADMSG, .n = 1,
	  .p = { HDR8(7, '2') } },
	{ .desc = "bad magic: a manifest's", .err = -EBADMSG, .n = 1,
	  .p = { HDR32(0, 0x414d4b47), HDR32(4, 0x0100494e) } },
	{ .desc = "bad magic and bad version: magic wins", .err = -EBADMSG, .n = 1,
	  .p = { HDR8(3, 0), HDR32(BOFF(version), 9) } },
	{ .desc = "version 0", .err = -EPROTONOSUPPORT, .n = 1,
	  .p = { HDR32(BOFF(version), 0) } },
	{ .desc = "version 2", .err = -EPROTONOSUPPORT, .n = 1,
	  .p = { HDR32(BOFF(version), 2) } },
	{ .desc = "version 1 big-endian", .err = -EPROTONOSUPPORT, .n = 1,
	  .p = { HDR32(BOFF(version), 0x01000000) } },
	{ .desc = "version 0xffffffff", .err = -EPROTONOSUPPORT, .n = 1,
	  .p = { HDR32(BOFF(version), 0xffffffff) } },
	{ .desc = "bad version and bad count: version wins", .err = -EPROTONOSUPPORT,
	  .n = 1, .p = { HDR32(BOFF(version), 2), HDR32(BOFF(count), 0) } },

	{ .desc = "count 0, header only", .err = -EBADMSG, .n = 0 },
	{ .desc = "count 0 with an entry present", .err = -EBADMSG, .n = 1,
	  .p = { HDR32(BOFF(count), 0) } },
	{ .desc = "count GK_BUNDLE_MAX_ENTRIES + 1", .err = -EBADMSG,
	  .n = GK_BUNDLE_MAX_ENTRIES + 1, .sig = 1 },
	{ .desc = "count 0x10001 (only the low half right)", .err = -EBADMSG, .n = 1,
	  .p = { HDR32(BOFF(count), 0x10001) } },
	{ .desc = "count 0xffffffff", .err = -EBADMSG, .n = 1,
	  .p = { HDR32(BOFF(count), 0xffffffff) } },
	{ .desc = "count one more than present", .err = -EBADMSG, .n = 2,
	  .p = { HDR32(BOFF(count), 3) } },
	{ .desc = "count one less than present", .err = -EBADMSG, .n = 3,
	  .p = { HDR32(BOFF(count), 2) } },

	{ .desc = "size field one more", .err = -EBADMSG, .n = 1,
	  .p = { HDR32(BOFF(size), BHDR + EHDR + ENTRY_MANIFEST_LEN + DEF_SIG + 1) } },
	{ .desc = "size field one less", .err = -EBADMSG, .n = 1,
	  .p = { HDR32(BOFF(size), BHDR + EHDR + ENTRY_MANIFEST_LEN + DEF_SIG - 1) } },
	{ .desc = "size field 0", .err = -EBADMSG, .n = 1,
	  .p = { HDR32(BOFF(size), 0) } },
	{ .desc = "size field 0xffffffff", .err = -EBADMSG, .n = 1,
	  .p = { HDR32(BOFF(size), 0xffffffff) } },
	{ .desc = "reserved = 1", .err = -EBADMSG, .n = 1,
	  .p = { HDR32(BOFF(reserved), 1) } },
	{ .desc = "reserved top byte", .err = -EBADMSG, .n = 1,
	  .p = { HDR8(BOFF(reserved) + 3, 0x80) } },

	{ .desc = "trailing byte, size field stale", .err = -EBADMSG, .n = 1,
	  .delta = 1 },
	{ .desc = "trailing byte, size field covers it", .err = -EBADMSG, .n = 2,
	  .delta = 1, .fix_size = true },
	{ .desc = "trailing entry header, size field covers it", .err = -EBADMSG,
	  .n = 1, .delta = EHDR, .fix_size = true },
	{ .desc = "last byte missing, size field follows", .err = -EBADMSG, .n = 2,
	  .delta = -1, .fix_size = true },
	{ .desc = "second entry header cut in half", .err = -EBADMSG, .n = 2,
	  .delta = -(int)(ENTRY_MANIFEST_LEN + DEF_SIG + EHDR / 2), .fix_size = true },

	{ .desc = "sig_len 0, signature bytes present", .err = -EBADMSG, .n = 1,
	  .p = { ENT32(0, sig_len, 0) } },
	{ .desc = "sig_len 0 and no signature bytes", .err = -EBADMSG, .n = 2,
	  .total = BHDR + 2 * (EHDR + ENTRY_MANIFEST_LEN) + DEF_SIG },
	{ .desc = "sig_len GK_SIG_MAX_SIZE + 1", .err = -EBADMSG, .n = 1,
	  .sig = GK_SIG_MAX_SIZE + 1 },
	{ .desc = "sig_len 0xffffffff", .err = -EBADMSG, .n = 1,
	  .p = { ENT32(0, sig_len, 0xffffffff) } },
	{ .desc = "sig_len one past the end", .err = -EBADMSG, .n = 1,
	  .p = { ENT32(0, sig_len, DEF_SIG + 1) } },
	{ .desc = "sig_len one short of the end", .err = -EBADMSG, .n = 1,
	  .p = { ENT32(0, sig_len, DEF_SIG - 1) } },
	{ .desc = "manifest_len 0", .err = -EBADMSG, .n = 1,
	  .p = { ENT32(0, manifest_len, 0) } },
	{ .desc = "manifest_len 0xffffffff", .err = -EBADMSG, .n = 1,
	  .p = { ENT32(0, manifest_len, 0xffffffff) } },
	{ .desc = "manifest_len 0x80000000, sig_len 0x80000000", .err = -EBADMSG,
	  .n = 1, .p = { ENT32(0, manifest_len, 0x80000000),
			 ENT32(0, sig_len, 0x80000000) } },
	{ .desc = "manifest_len swallows the signature", .err = -EBADMSG, .n = 1,
	  .p = { ENT32(0, manifest_len, ENTRY_MANIFEST_LEN + DEF_SIG) } },
	{ .desc = "manifest_len one more", .err = -EBADMSG, .n = 2,
	  .p = { ENT32(0, manifest_len, ENTRY_MANIFEST_LEN + 1) } },
	{ .desc = "manifest_len one less", .err = -EBADMSG, .n = 2,
	  .p = { ENT32(1, manifest_len, ENTRY_MANIFEST_LEN - 1) } },
	{ .desc = "manifest and signature lengths swapped", .err = -EBADMSG, .n = 1,
	  .p = { ENT32(0, manifest_len, DEF_SIG),
		 ENT32(0, sig_len, ENTRY_MANIFEST_LEN) } },

	{ .desc = "bad manifest magic in the only entry", .err = -EBADMSG, .n = 1,
	  .p = { MAN8(0, 0, 'X') } },
	{ .desc = "manifest version 4: its errno comes through", .err = -EPROTONOSUPPORT,
	  .n = 1, .p = { MAN32(0, MOFF(version), 4) } },
	{ .desc = "bad manifest in the middle entry: no callback at all",
	  .err = -EBADMSG, .n = 3, .p = { MAN8(1, MHDR, 0) } },
	{ .desc = "bad manifest version in the last entry: no callback at all",
	  .err = -EPROTONOSUPPORT, .n = 3, .p = { MAN32(2, MOFF(version), 7) } },
	{ .desc = "unknown manifest flag in entry 256: no callback at all",
	  .err = -EBADMSG, .n = GK_BUNDLE_MAX_ENTRIES, .sig = 1,
	  .p = { { P_MAN, 4, GK_BUNDLE_MAX_ENTRIES - 1, MOFF(flags), 2 } } },
	{ .desc = "last entry's signature one byte short: no callback at all",
	  .err = -EBADMSG, .n = 3, .delta = -1, .fix_size = true },

	{ .desc = "callback fails on the first entry", .err = -EKEYREJECTED, .n = 3,
	  .fail_at = 1, .fail_err = -EKEYREJECTED },
	{ .desc = "callback fails on the second entry: walk stops", .err = -EEXIST,
	  .n = 3, .same_names = true, .fail_at = 2, .fail_err = -EEXIST },
	{ .desc = "callback fails on the last entry", .err = -ENOMEM, .n = 3,
	  .fail_at = 3, .fail_err = -ENOMEM },
	{ .desc = "callback's positive return is passed through", .err = 7, .n = 2,
	  .fail_at = 1, .fail_err = 7 },
};

static void run_bundle_case(const struct bcase *c)
{
	struct rec r = { .fail_at = c->fail_at, .fail_err = c->fail_err };
	struct bbuilt b;
	u32 want_calls;
	size_t len;
	unsigned int i;
	int err;

	mk_bundle(&b, c);
	for (i = 0; i < 4 && c->p[i].kind; i++) {
		const struct patch *p = &c->p[i];
		size_t base = p->kind == P_ENT ? b.ent_off[p->idx] :
			      p->kind == P_MAN ? b.man_off[p->idx] :
			      p->kind == P_SIG ? b.sig_off[p->idx] : 0;

		apply(b.buf + base, p);
	}
	len = b.len;
	if (c->delta > 0)
		memset(b.buf + len, 'G', c->delta);
	len += c->delta;
	if (c->fix_size)
		put32(b.buf + BOFF(size), len);

	r.b = &b;
	err = parse_bundle_copy(b.buf, len, &r);
	CHECK_ERR(err, c->err, "bundle: %s", c->desc);

	/* Once per entry on success; up to the failing call; else never. */
	want_calls = !c->err ? c->n : c->fail_at && c->err == c->fail_err ?
		     c->fail_at : 0;
	CHECK(r.calls == want_calls, "bundle: %s: callback called %u times, want %u",
	      c->desc, r.calls, want_calls);
	CHECK(!r.mismatch, "bundle: %s: %s", c->desc, r.why);
	free_bundle(&b);
}

/* A version 3 manifest binding @map_cnt maps, with @n entries of @slots. */
static size_t mk_manifest_maps(struct mbuilt *b, u8 map_cnt, const u8 *slots, u32 n)
{
	u8 *e;
	u32 i;

	mk_manifest(b, 0, NULL);
	put32(b->buf + MOFF(version), GK_MANIFEST_V3);
	b->buf[MOFF(map_cnt)] = map_cnt;
	b->buf[MOFF(bound_cnt)] = n;
	for (i = 0; i < n; i++) {
		e = b->buf + b->len + i * sizeof(struct gk_manifest_map);
		memset(e, 0, sizeof(struct gk_manifest_map));
		e[0] = slots[i];
		memset(e + 4, 0xa0 + i, GK_DIGEST_SIZE);
	}
	return b->len + n * sizeof(struct gk_manifest_map);
}

static const struct map_case {
	const char *desc;
	int err;
	u8 map_cnt;
	u32 n;
	u8 slots[4];
	int delta;		/* bytes appended (>0) or cut (<0) */
	int reserved;		/* >0: set this reserved byte (1-3) of the first entry */
} map_cases[] = {
	{ .desc = "version 3: one map, bound", .err = 0, .map_cnt = 1, .n = 1, .slots = { 0 } },
	{ .desc = "version 3: five maps, two bound", .err = 0, .map_cnt = 5, .n = 2, .slots = { 1, 4 } },
	{ .desc = "version 3: maps, none bound", .err = 0, .map_cnt = 3, .n = 0, .slots = { 0 } },
	{ .desc = "version 3: the kernel's most maps", .err = 0, .map_cnt = GK_MAPS_MAX, .n = 2, .slots = { 0, GK_MAPS_MAX - 1 } },
	{ .desc = "version 3: more maps than the kernel allows", .err = -EBADMSG, .map_cnt = GK_MAPS_MAX + 1, .n = 0, .slots = { 0 } },
	{ .desc = "version 3: slot beyond map_cnt", .err = -EBADMSG, .map_cnt = 2, .n = 1, .slots = { 2 } },
	{ .desc = "version 3: slots out of order", .err = -EBADMSG, .map_cnt = 5, .n = 2, .slots = { 3, 1 } },
	{ .desc = "version 3: a slot twice", .err = -EBADMSG, .map_cnt = 5, .n = 2, .slots = { 1, 1 } },
	{ .desc = "version 3: more bound than maps", .err = -EBADMSG, .map_cnt = 1, .n = 2, .slots = { 0, 1 } },
	{ .desc = "version 3: an entry's reserved byte set", .err = -EBADMSG, .map_cnt = 2, .n = 1, .slots = { 0 }, .reserved = 2 },
	{ .desc = "version 3: last entry cut by a byte", .err = -EBADMSG, .map_cnt = 2, .n = 1, .slots = { 0 }, .delta = -1 },
	{ .desc = "version 3: a byte after the last entry", .err = -EBADMSG, .map_cnt = 2, .n = 1, .slots = { 0 }, .delta = 1 },
};

static void test_manifest_maps(void)
{
	static struct mbuilt b;
	const u8 *digest;
	struct gk_manifest m;
	size_t i, len;
	u32 j;
	u8 *copy, slot;
	int err;

	for (i = 0; i < sizeof(map_cases) / sizeof(map_cases[0]); i++) {
		const struct map_case *c = &map_cases[i];

		len = mk_manifest_maps(&b, c->map_cnt, c->slots, c->n);
		if (c->reserved)
			b.buf[b.len + c->reserved] = 1;
		if (c->delta > 0)
			memset(b.buf + len, 0, c->delta);
		len += c->delta;
		err = parse_manifest_copy(b.buf, len, &m, &copy);
		CHECK_ERR(err, c->err, "manifest: %s", c->desc);
		if (!err && !c->err) {
			CHECK(m.maps_bound && m.map_cnt == c->map_cnt && m.bound_cnt == c->n &&
			      m.maps == copy + b.len,
			      "manifest: %s: bound %d, %u maps, %u bound at +%td", c->desc,
			      m.maps_bound, m.map_cnt, m.bound_cnt, m.maps - copy);
			for (j = 0; j < c->n; j++) {
				gk_manifest_map_get(&m, j, &slot, &digest);
				CHECK(slot == c->slots[j] && digest[0] == 0xa0 + j &&
				      digest[GK_DIGEST_SIZE - 1] == 0xa0 + j,
				      "manifest: %s: entry %u slot %u", c->desc, j, slot);
			}
		}
		free(copy);
	}
}

/* Elements of a test map: 3 of 5 bytes each; element 2 unreadable if asked. */
static const void *map_value(const void *ctx, u32 i)
{
	static const u8 values[3][5] = { "abcde", "fghij", "klmno" };

	return ctx && i == 2 ? NULL : values[i];
}

/* The map digest is SHA-256 of the documented header and the values. */
static void test_map_digest(void)
{
	struct gk_map_desc desc = { .map_type = 2, .value_size = 5, .max_entries = 3,
				    .value = map_value };
	u8 ref[32 + 15], want[GK_DIGEST_SIZE], got[GK_DIGEST_SIZE];
	unsigned int olen;
	int err;

	memcpy(ref, "GKMAPD\0\1", 8);
	put32(ref + 8, 1);
	put32(ref + 12, 2);
	put32(ref + 16, 5);
	put32(ref + 20, 3);
	memcpy(ref + 24, "abcdefghijklmno", 15);
	if (EVP_Digest(ref, 24 + 15, want, &olen, EVP_sha256(), NULL) != 1)
		exit(99);
	err = gk_map_digest(&desc, got);
	CHECK(!err && !memcmp(got, want, GK_DIGEST_SIZE), "map digest: %d, or not the reference", err);
	desc.max_entries = 2;
	err = gk_map_digest(&desc, got);
	CHECK(!err && memcmp(got, want, GK_DIGEST_SIZE), "map digest: one element fewer changes it");
	desc.max_entries = 3;
	desc.ctx = &desc;
	err = gk_map_digest(&desc, got);
	CHECK_ERR(err, -EFAULT, "map digest: an unreadable element");
}

static void test_bundle_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(bcases) / sizeof(bcases[0]); i++)
		run_bundle_case(&bcases[i]);
}

/*
 * Every prefix of a valid bundle is rejected without a callback, both as
 * is (size field stale) and with the size field rewritten to match, which
 * leaves the entry walk as the only thing that can notice.
 */
static void test_bundle_truncation(void)
{
	static const struct bcase c = { .n = 3 };
	struct bbuilt b;
	size_t len;
	int fix;

	mk_bundle(&b, &c);
	for (fix = 0; fix < 2; fix++) {
		for (len = 0; len < b.len; len++) {
			struct rec r = { .b = &b };
			u8 *t = exact(b.buf, b.len);
			int err;

			if (fix && len >= BHDR)
				put32(t + BOFF(size), len);
			err = parse_bundle_copy(t, len, &r);
			CHECK(err == -EBADMSG && !r.calls,
			      "bundle truncated to %zu of %zu%s: got %s after %u callbacks, want -EBADMSG after none",
			      len, b.len, fix ? " (size field matches)" : "",
			      errname(err), r.calls);
			free(t);
		}
	}
	free_bundle(&b);
}

static void test_bundle_header_bytes(void)
{
	static const struct bcase c = { .n = 1 };
	struct bbuilt b;
	unsigned int i;

	mk_bundle(&b, &c);
	for (i = 0; i < BHDR; i++) {
		struct rec r = { .b = &b };
		u8 *t = exact(b.buf, b.len);
		int err;

		t[i] ^= 0x40;
		err = parse_bundle_copy(t, b.len, &r);
		CHECK(err != 0 && !r.calls, "bundle: header byte %u flipped: got %s, %u callbacks",
		      i, errname(err), r.calls);
		free(t);
	}
	free_bundle(&b);

	/* Zeroes are never a bundle. */
	for (i = 0; i <= 4 * BHDR; i += 8) {
		struct rec r = { .b = &b };
		u8 *z = calloc(1, i ? i : 1);
		int err;

		if (!z)
			exit(99);
		err = gk_bundle_parse(z, i, record, &r);
		CHECK(err == -EBADMSG && !r.calls, "bundle: %u NUL bytes: got %s", i,
		      errname(err));
		free(z);
	}
	/* A length that cannot be a bundle is refused before the buffer is read. */
	CHECK_ERR(gk_bundle_parse(NULL, (size_t)-1, record, NULL), -EFBIG,
		  "bundle: length SIZE_MAX");
	CHECK_ERR(gk_bundle_parse(NULL, GK_BUNDLE_MAX_SIZE + 1, record, NULL), -EFBIG,
		  "bundle: length GK_BUNDLE_MAX_SIZE + 1");
	CHECK_ERR(gk_bundle_parse(NULL, 0, record, NULL), -EBADMSG, "bundle: NULL, length 0");
}

/* ------------------------------------------------------------------ */
/* Program digest                                                     */
/* ------------------------------------------------------------------ */

#define INSN 8
#define LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW)

_Static_assert(LD_IMM64 == 0x18, "ld_imm64 opcode");

static void insn(u8 *p, u8 code, u8 dst, u8 src, int16_t off, s32 imm)
{
	p[0] = code;
	p[1] = (dst & 0xf) | (src & 0xf) << 4;	/* dst_reg:4, src_reg:4 on LE */
	put16(p + 2, (u16)off);
	put32(p + 4, (u32)imm);
}

static void ld_imm64(u8 *p, u8 dst, u8 src, s32 imm0, s32 imm1)
{
	insn(p, LD_IMM64, dst, src, 0, imm0);
	insn(p + INSN, 0, 0, 0, 0, imm1);
}

/*
 * The reference normalisation, on the whole program at once: walk the
 * instructions, an ld_imm64 with a second half consuming two slots, and
 * zero the fd that the loader chose.  @mask, if given, gets 1 for every
 * byte that was zeroed (the bytes the digest must not depend on).
 */
static void ref_normalise(u8 *p, u32 cnt, u8 *mask)
{
	u32 i = 0;

	if (mask)
		memset(mask, 0, (size_t)cnt * INSN);
	while (i < cnt) {
		u8 *in = p + (size_t)i * INSN;
		size_t z;

		if (in[0] != LD_IMM64 || i + 1 == cnt) {
			i++;
			continue;
		}
		switch (in[1] >> 4) {
		case BPF_PSEUDO_MAP_FD:
		case BPF_PSEUDO_MAP_VALUE:
			z = (size_t)i * INSN + 4;	/* insn[0].imm */
			break;
		case BPF_PSEUDO_BTF_ID:
			z = (size_t)(i + 1) * INSN + 4;	/* insn[1].imm */
			break;
		default:
			z = (size_t)-1;
		}
		if (z != (size_t)-1) {
			memset(p + z, 0, 4);
			if (mask)
				memset(mask + z, 1, 4);
		}
		i += 2;
	}
}

/* The documented header, byte by byte, then the instructions: one hash. */
static void ref_digest(u32 type, u32 attach, u32 flags, const u8 *insns, u32 cnt,
		       u8 out[GK_DIGEST_SIZE])
{
	size_t len = 32 + (size_t)cnt * INSN;
	u8 *buf = xmalloc(len);
	unsigned int olen;

	memcpy(buf, "GKPROG\0\1", 8);
	put32(buf + 8, 1);				/* version */
	put32(buf + 12, type);
	put32(buf + 16, attach);
	put32(buf + 20, flags & (1U << 4 | 1U << 5 | 1U << 6));
	put32(buf + 24, cnt);
	put32(buf + 28, 0);				/* reserved */
	if (cnt)
		memcpy(buf + 32, insns, (size_t)cnt * INSN);
	ref_normalise(buf + 32, cnt, NULL);
	if (EVP_Digest(buf, len, out, &olen, EVP_sha256(), NULL) != 1 ||
	    olen != GK_DIGEST_SIZE) {
		fprintf(stderr, "EVP_Digest failed\n");
		exit(99);
	}
	free(buf);
}

static int digest(u32 type, u32 attach, u32 flags, const u8 *insns, u32 cnt,
		  u8 out[GK_DIGEST_SIZE])
{
	struct gk_prog_desc d = {
		.prog_type = type, .expected_attach_type = attach,
		.prog_flags = flags, .insns = insns, .insn_cnt = cnt,
	};

	return gk_prog_digest(&d, out);
}

static const char *hex(const u8 *p)
{
	static char buf[2][2 * GK_DIGEST_SIZE + 1];
	static int which;
	char *s = buf[which ^= 1];
	int i;

	for (i = 0; i < GK_DIGEST_SIZE; i++)
		sprintf(s + 2 * i, "%02x", p[i]);
	return s;
}

static void unhex(const char *s, u8 *out)
{
	int i;

	for (i = 0; i < GK_DIGEST_SIZE; i++)
		sscanf(s + 2 * i, "%2hhx", &out[i]);
}

/* (a) Known answers: a literal computed outside this code, and the layout. */
static void test_digest_kat(void)
{
	static const u8 prog[4 * INSN] = {
		0xb7, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,	/* r0 = 2 */
		0x18, 0x11, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00,	/* r1 = map fd 9 */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x95, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* exit */
	};
	/*
	 * sha256(b"GKPROG\0\1" + pack("<6I", 1, 6, 37, 0x10, 4, 0) + prog with
	 * the fd zeroed), computed with Python's hashlib.
	 */
	static const char kat[] =
		"2ca61a16d2a2f990fdf858b96cd1bf2ee8b2cb44424c388b125f581ab3d8a62f";
	static const char kat_empty[] =
		"f1a9165d3ccd951fb35255473b74f72f4535fe8c5f7872f912d6dfc33734c58f";
	u8 got[GK_DIGEST_SIZE], want[GK_DIGEST_SIZE];
	int err;

	unhex(kat, want);
	err = digest(BPF_PROG_TYPE_XDP, 37, BPF_F_SLEEPABLE | BPF_F_STRICT_ALIGNMENT,
		     prog, 4, got);
	CHECK(!err && !memcmp(got, want, sizeof(got)),
	      "digest KAT: got %s (err %d), want %s", hex(got), err, hex(want));

	unhex(kat_empty, want);
	err = digest(0, 0, 0, NULL, 0, got);
	CHECK(!err && !memcmp(got, want, sizeof(got)),
	      "digest KAT, empty program: got %s, want %s", hex(got), hex(want));

	/* Every header field in all four bytes, against the layout built here. */
	ref_digest(0x04030201, 0x08070605, 0xffffffff, prog, 4, want);
	err = digest(0x04030201, 0x08070605, 0xffffffff, prog, 4, got);
	CHECK(!err && !memcmp(got, want, sizeof(got)),
	      "digest layout, wide header fields: got %s, want %s", hex(got), hex(want));
}

/*
 * (b) Normalisation.  The base program uses each kind of ld_imm64; each row
 * changes one thing and says whether the digest may change.
 */
enum {
	B_MOV, B_MAPFD = 1, B_MAPVAL = 3, B_BTF = 5, B_MAPIDX = 7, B_IDXVAL = 9,
	B_FUNC = 11, B_PLAIN = 13, B_KFUNC = 15, B_EXIT, B_CNT
};

static void base_prog(u8 *p)
{
	insn(p + B_MOV * INSN, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	ld_imm64(p + B_MAPFD * INSN, 1, BPF_PSEUDO_MAP_FD, 5, 0);
	ld_imm64(p + B_MAPVAL * INSN, 2, BPF_PSEUDO_MAP_VALUE, 6, 16);
	ld_imm64(p + B_BTF * INSN, 3, BPF_PSEUDO_BTF_ID, 1234, 7);
	ld_imm64(p + B_MAPIDX * INSN, 4, BPF_PSEUDO_MAP_IDX, 0, 0);
	ld_imm64(p + B_IDXVAL * INSN, 5, BPF_PSEUDO_MAP_IDX_VALUE, 1, 8);
	ld_imm64(p + B_FUNC * INSN, 6, BPF_PSEUDO_FUNC, 4, 0);
	ld_imm64(p + B_PLAIN * INSN, 7, 0, 0x11223344, 0x55667788);
	insn(p + B_KFUNC * INSN, BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 1, 4321);
	insn(p + B_EXIT * INSN, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

struct ncase {
	const char *desc;
	bool same;
	u32 at, byte;		/* instruction and byte within it */
	u8 val;
	int64_t dtype, dattach;	/* added to the descriptor's fields */
	u32 flags;		/* prog_flags used instead of 0 */
};

#define IMM 4	/* first byte of imm */

/* A row that changes byte @b of instruction @i to @v. */
#define NBYTE(d, s, i, b, v) \
	{ .desc = (d), .same = (s), .at = (i), .byte = (b), .val = (v) }
/* A row that changes the descriptor instead. */
#define NDESC(d, s, ...) { .desc = (d), .same = (s), __VA_ARGS__ }

static const struct ncase ncases[] = {
	NBYTE("MAP_FD: fd (insn[0].imm)", true, B_MAPFD, IMM, 0x63),
	NBYTE("MAP_FD: fd high byte", true, B_MAPFD, IMM + 3, 0x80),
	NBYTE("MAP_VALUE: fd (insn[0].imm)", true, B_MAPVAL, IMM, 0x2a),
	NBYTE("MAP_VALUE: fd high byte", true, B_MAPVAL, IMM + 2, 0x01),
	NBYTE("BTF_ID: BTF object fd (insn[1].imm)", true, B_BTF + 1, IMM, 0x11),
	NBYTE("BTF_ID: BTF object fd high byte", true, B_BTF + 1, IMM + 3, 0xff),

	NBYTE("MAP_VALUE: value offset (insn[1].imm)", false, B_MAPVAL + 1, IMM, 24),
	NBYTE("MAP_FD: insn[1].imm", false, B_MAPFD + 1, IMM, 1),
	NBYTE("MAP_FD: dst_reg", false, B_MAPFD, 1, 0x12),
	NBYTE("MAP_FD: src_reg 1 -> MAP_IDX", false, B_MAPFD, 1, 0x51),
	NBYTE("MAP_FD: off field", false, B_MAPFD, 2, 1),
	NBYTE("BTF_ID: btf id (insn[0].imm)", false, B_BTF, IMM, 0xd3),
	NBYTE("BTF_ID: src_reg 3 -> 4", false, B_BTF, 1, 0x43),
	NBYTE("MAP_IDX: index (insn[0].imm)", false, B_MAPIDX, IMM, 1),
	NBYTE("MAP_IDX_VALUE: index", false, B_IDXVAL, IMM, 2),
	NBYTE("MAP_IDX_VALUE: value offset", false, B_IDXVAL + 1, IMM, 9),
	NBYTE("PSEUDO_FUNC: target", false, B_FUNC, IMM, 5),
	NBYTE("plain ld_imm64: low word", false, B_PLAIN, IMM, 0),
	NBYTE("plain ld_imm64: high word", false, B_PLAIN + 1, IMM + 3, 0),
	NBYTE("plain ld_imm64 second half's code", false, B_PLAIN + 1, 0, LD_IMM64),
	NBYTE("kfunc call: BTF id", false, B_KFUNC, IMM, 0),
	NBYTE("kfunc call: fd_array index (off)", false, B_KFUNC, 2, 2),
	NBYTE("mov immediate", false, B_MOV, IMM, 1),
	NBYTE("exit opcode", false, B_EXIT, 0, BPF_JMP | BPF_JA),

	NDESC("prog_type + 1", false, .dtype = 1),
	NDESC("prog_type high byte", false, .dtype = 0x1000000),
	NDESC("expected_attach_type + 1", false, .dattach = 1),
	NDESC("expected_attach_type second byte", false, .dattach = 0x100),
	NDESC("BPF_F_SLEEPABLE", false, .flags = BPF_F_SLEEPABLE),
	NDESC("BPF_F_XDP_HAS_FRAGS", false, .flags = BPF_F_XDP_HAS_FRAGS),
	NDESC("BPF_F_XDP_DEV_BOUND_ONLY", false, .flags = 1U << 6),
	NDESC("BPF_F_STRICT_ALIGNMENT", true, .flags = BPF_F_STRICT_ALIGNMENT),
	NDESC("BPF_F_ANY_ALIGNMENT", true, .flags = BPF_F_ANY_ALIGNMENT),
	NDESC("BPF_F_TEST_RND_HI32", true, .flags = BPF_F_TEST_RND_HI32),
	NDESC("BPF_F_TEST_STATE_FREQ", true, .flags = BPF_F_TEST_STATE_FREQ),
	NDESC("flag bit 7", true, .flags = 1U << 7),
	NDESC("flag bit 31", true, .flags = 1U << 31),
	NDESC("every flag outside GK_DIGEST_PROG_FLAGS", true,
	      .flags = ~(u32)GK_DIGEST_PROG_FLAGS),
};

static void test_digest_normalisation(void)
{
	u8 base[B_CNT * INSN], p[B_CNT * INSN], mask[B_CNT * INSN];
	u8 d0[GK_DIGEST_SIZE], d1[GK_DIGEST_SIZE], ref[GK_DIGEST_SIZE];
	const u32 type = BPF_PROG_TYPE_TRACING, attach = BPF_TRACE_FENTRY;
	size_t i;

	base_prog(base);
	digest(type, attach, 0, base, B_CNT, d0);
	ref_digest(type, attach, 0, base, B_CNT, ref);
	CHECK(!memcmp(d0, ref, sizeof(d0)), "digest of the base program: got %s, want %s",
	      hex(d0), hex(ref));

	for (i = 0; i < sizeof(ncases) / sizeof(ncases[0]); i++) {
		const struct ncase *c = &ncases[i];
		bool same;

		memcpy(p, base, sizeof(p));
		if (!c->dtype && !c->dattach && !c->flags) {
			CHECK(p[c->at * INSN + c->byte] != c->val,
			      "digest: %s: the row changes nothing", c->desc);
			p[c->at * INSN + c->byte] = c->val;
		}
		digest(type + c->dtype, attach + c->dattach, c->flags, p, B_CNT, d1);
		same = !memcmp(d0, d1, sizeof(d0));
		CHECK(same == c->same, "digest: %s: digests %s, want %s (%s vs %s)",
		      c->desc, same ? "equal" : "differ", c->same ? "equal" : "differ",
		      hex(d0), hex(d1));
	}

	/* Exhaustively: a byte matters exactly when the reference keeps it. */
	memcpy(p, base, sizeof(p));
	ref_normalise(p, B_CNT, mask);
	for (i = 0; i < sizeof(base); i++) {
		bool same;

		memcpy(p, base, sizeof(p));
		p[i] ^= 0x5a;
		digest(type, attach, 0, p, B_CNT, d1);
		same = !memcmp(d0, d1, sizeof(d0));
		CHECK(same == mask[i], "digest: byte %zu (insn %zu, byte %zu) changed: digests %s, want %s",
		      i, i / INSN, i % INSN, same ? "equal" : "differ",
		      mask[i] ? "equal" : "differ");
	}

	/* One instruction fewer is a different program. */
	digest(type, attach, 0, base, B_CNT - 1, d1);
	CHECK(memcmp(d0, d1, sizeof(d0)), "digest: dropping the last instruction");
}

/* A small fixed PRNG, so every run and every libc draws the same programs. */
static u64 rng_state;

static u32 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (u32)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

/*
 * A random program: plain instructions, ld_imm64 of every pseudo source
 * (fds included), and now and then a lone 0x18 opcode or a second half
 * that itself looks like an ld_imm64, so the pairing has to be tracked
 * across chunk boundaries rather than rediscovered.
 */
static void random_prog(u8 *p, u32 cnt)
{
	static const u8 srcs[] = {
		0, BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE, BPF_PSEUDO_BTF_ID,
		BPF_PSEUDO_FUNC, BPF_PSEUDO_MAP_IDX, BPF_PSEUDO_MAP_IDX_VALUE, 7,
	};
	u32 i = 0;

	while (i < cnt) {
		u32 r = rnd() % 16;
		u8 *in = p + (size_t)i * INSN;

		if (r < 5 && i + 1 < cnt) {
			ld_imm64(in, rnd() % 11, srcs[rnd() % 8], rnd(), rnd());
			if (r == 0)
				in[INSN] = LD_IMM64;	/* second half posing as a first */
			i += 2;
			continue;
		}
		put32(in, rnd());
		put32(in + 4, rnd());
		if (r == 5)
			in[0] = LD_IMM64;	/* lone, or last */
		else if (in[0] == LD_IMM64)
			in[0] = 0xb7;
		i++;
	}
}

static void check_against_reference(const char *what, const u8 *p, u32 cnt,
				     u32 type, u32 attach, u32 flags)
{
	u8 got[GK_DIGEST_SIZE], want[GK_DIGEST_SIZE];
	int err;

	err = digest(type, attach, flags, p, cnt, got);
	ref_digest(type, attach, flags, p, cnt, want);
	CHECK(!err && !memcmp(got, want, sizeof(got)),
	      "digest vs reference: %s, %u insns: got %s, want %s", what, cnt,
	      hex(got), hex(want));
}

/* (c) Chunking: the result may not depend on where the 64-insn chunks fall. */
static void test_digest_chunks(void)
{
	static const u32 at[] = { 62, 63, 64, 126, 127, 128, 191, 255 };
	static const u8 srcs[] = {
		BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE, BPF_PSEUDO_BTF_ID,
		BPF_PSEUDO_MAP_IDX, 0,
	};
	enum { MAXN = 300 };
	u8 *p = xmalloc(MAXN * INSN), *q = xmalloc(MAXN * INSN);
	u8 *mask = xmalloc(MAXN * INSN);
	u8 d0[GK_DIGEST_SIZE], d1[GK_DIGEST_SIZE];
	char what[96];
	u32 cnt, k, s, i, round;

	/* One ld_imm64 of each kind at and around the boundaries. */
	for (k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
		for (s = 0; s < sizeof(srcs); s++) {
			for (cnt = at[k] + 1; cnt <= at[k] + 3; cnt++) {
				memset(p, 0, (size_t)cnt * INSN);
				for (i = 0; i < cnt; i++)
					insn(p + i * INSN, BPF_ALU64 | BPF_MOV | BPF_K,
					     i % 10, 0, 0, (s32)i);
				if (at[k] + 1 < cnt)
					ld_imm64(p + at[k] * INSN, 1, srcs[s], 0x1000 + k, 0x2000 + k);
				else	/* an unpaired first half at the very end */
					insn(p + at[k] * INSN, LD_IMM64, 1, srcs[s], 0, 0x1000 + k);
				snprintf(what, sizeof(what), "ld_imm64 src %u at %u",
					 srcs[s], at[k]);
				check_against_reference(what, p, cnt, 2, 0, 0);

				/* A different fd, same digest; a different kept byte, not. */
				memcpy(q, p, (size_t)cnt * INSN);
				ref_normalise(q, cnt, mask);
				memcpy(q, p, (size_t)cnt * INSN);
				for (i = 0; i < cnt * INSN; i++)
					if (mask[i])
						q[i] ^= 0xa5;
				digest(2, 0, 0, p, cnt, d0);
				digest(2, 0, 0, q, cnt, d1);
				CHECK(!memcmp(d0, d1, sizeof(d0)),
				      "digest: %s, %u insns: fd change altered the digest",
				      what, cnt);
				if (at[k] + 1 < cnt) {
					q[(at[k] + 1) * INSN + (srcs[s] == BPF_PSEUDO_BTF_ID ?
								1 : IMM)] ^= 0x01;
					digest(2, 0, 0, q, cnt, d1);
					CHECK(memcmp(d0, d1, sizeof(d0)),
					      "digest: %s, %u insns: second half's kept byte ignored",
					      what, cnt);
				}
			}
		}
	}

	/* A run of ld_imm64 whose pairs straddle every boundary, odd and even. */
	for (s = 0; s < 2; s++) {
		cnt = 260;
		memset(p, 0, (size_t)cnt * INSN);
		for (i = s; i + 1 < cnt; i += 2)
			ld_imm64(p + i * INSN, 1, srcs[(i / 2) % 3], 100 + i, 200 + i);
		snprintf(what, sizeof(what), "ld_imm64 run from %u", s);
		check_against_reference(what, p, cnt, 1, 0, 0);
	}

	/* A second half with the ld_imm64 opcode right after the boundary. */
	cnt = 130;
	memset(p, 0, (size_t)cnt * INSN);
	ld_imm64(p + 63 * INSN, 1, BPF_PSEUDO_MAP_FD, 9, 0);
	insn(p + 64 * INSN, LD_IMM64, 0, BPF_PSEUDO_MAP_FD, 0, 77);
	insn(p + 65 * INSN, 0, 0, 0, 0, 55);
	check_against_reference("second half at 64 posing as ld_imm64", p, cnt, 1, 0, 0);

	/* Random programs of every length up to 300. */
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (cnt = 0; cnt <= MAXN; cnt++) {
		for (round = 0; round < 3; round++) {
			u32 flags = rnd();

			random_prog(p, cnt);
			snprintf(what, sizeof(what), "random program, round %u", round);
			check_against_reference(what, p, cnt, rnd() % 32, rnd() % 48, flags);

			/* Randomising every normalised byte leaves the digest alone. */
			memcpy(q, p, (size_t)cnt * INSN);
			ref_normalise(q, cnt, mask);
			memcpy(q, p, (size_t)cnt * INSN);
			for (i = 0; i < cnt * INSN; i++)
				if (mask[i])
					q[i] = rnd();
			digest(1, 2, flags, p, cnt, d0);
			digest(1, 2, flags, q, cnt, d1);
			CHECK(!memcmp(d0, d1, sizeof(d0)),
			      "digest: %s, %u insns: new fds changed the digest", what, cnt);

			/* Flipping one kept byte changes it. */
			if (cnt) {
				do
					i = rnd() % (cnt * INSN);
				while (mask[i]);
				q[i] ^= 1 << (rnd() % 8);
				digest(1, 2, flags, q, cnt, d1);
				CHECK(memcmp(d0, d1, sizeof(d0)),
				      "digest: %s, %u insns: byte %u (insn %u) changed, digest did not",
				      what, cnt, i, i / INSN);
			}
		}
	}
	free(p);
	free(q);
	free(mask);
}

/* The catalogue's listings, against the same programs built from uapi's struct bpf_insn. */
static void test_probe_catalogue(void)
{
	static const struct {
		const char *id;
		u32 type, attach;
		struct bpf_insn insns[10];
		u32 cnt;
	} want[] = {
		{ "libbpf-trivial", BPF_PROG_TYPE_SOCKET_FILTER, 0, {
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
			{ .code = BPF_JMP | BPF_EXIT } }, 2 },
		{ "libbpf-global-data", BPF_PROG_TYPE_SOCKET_FILTER, 0, {
			{ .code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = BPF_REG_1,
			  .src_reg = BPF_PSEUDO_MAP_VALUE, .imm = 7 },
			{ .imm = 16 },
			{ .code = BPF_ST | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_1, .imm = 42 },
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
			{ .code = BPF_JMP | BPF_EXIT } }, 5 },
		{ "libbpf-read-kernel", BPF_PROG_TYPE_TRACEPOINT, 0, {
			{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = BPF_REG_1, .src_reg = BPF_REG_10 },
			{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = BPF_REG_1, .imm = -8 },
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_2, .imm = 8 },
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_3 },
			{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_probe_read_kernel },
			{ .code = BPF_JMP | BPF_EXIT } }, 6 },
		{ "libbpf-attach-type", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, {
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
			{ .code = BPF_JMP | BPF_EXIT } }, 2 },
		{ "libbpf-tools-fentry", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, {
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
			{ .code = BPF_JMP | BPF_EXIT } }, 2 },
		{ "libbpf-tools-tp-btf", BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, {
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
			{ .code = BPF_JMP | BPF_EXIT } }, 2 },
		{ "libbpf-arg-ctx", BPF_PROG_TYPE_KPROBE, 0, {
			{ .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_CALL, .imm = 1 },
			{ .code = BPF_JMP | BPF_EXIT },
			{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_get_func_ip },
			{ .code = BPF_JMP | BPF_EXIT } }, 4 },
		{ "bpftrace-helper-send-signal", BPF_PROG_TYPE_KPROBE, 0, {
			{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_send_signal },
			{ .code = BPF_JMP | BPF_EXIT } }, 2 },
		{ "bpftrace-kprobe-multi", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, {
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
			{ .code = BPF_JMP | BPF_EXIT } }, 2 },
		{ "bpftrace-insn-limit", BPF_PROG_TYPE_KPROBE, 0, {
			{ .code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = BPF_REG_0 },
			{ 0 },
			{ .code = BPF_JMP | BPF_EXIT } }, 3 },
		{ "bpftrace-loop", BPF_PROG_TYPE_TRACEPOINT, 0, {
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
			{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = BPF_REG_0, .imm = 1 },
			{ .code = BPF_JMP | BPF_JLT | BPF_K, .dst_reg = BPF_REG_0, .off = -2, .imm = 4 },
			{ .code = BPF_JMP | BPF_EXIT } }, 4 },
		{ "bpftrace-d-path", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, {
			{ .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = BPF_REG_1, .src_reg = BPF_REG_1 },
			{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = BPF_REG_2, .src_reg = BPF_REG_10 },
			{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = BPF_REG_2, .imm = -8 },
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_6 },
			{ .code = BPF_STX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_2, .src_reg = BPF_REG_6 },
			{ .code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = BPF_REG_3, .imm = 8 },
			{ 0 },
			{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_d_path },
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
			{ .code = BPF_JMP | BPF_EXIT } }, 10 },
	};
	u8 d[GK_DIGEST_SIZE], ref[GK_DIGEST_SIZE], all[64][GK_DIGEST_SIZE];
	unsigned int i, j, found;

	CHECK(gk_probes_n <= 64, "catalogue: %u entries, the module holds 64", gk_probes_n);
	for (i = 0; i < gk_probes_n && i < 64; i++) {
		CHECK(!gk_probe_digest(&gk_probes[i], all[i]), "catalogue: %s: no digest", gk_probes[i].id);
		for (j = 0; j < i; j++)
			CHECK(memcmp(all[i], all[j], GK_DIGEST_SIZE) && strcmp(gk_probes[i].id, gk_probes[j].id),
			      "catalogue: %s and %s are the same program", gk_probes[i].id, gk_probes[j].id);
	}
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		for (found = gk_probes_n, j = 0; j < gk_probes_n; j++)
			if (!strcmp(gk_probes[j].id, want[i].id))
				found = j;
		CHECK(found < gk_probes_n, "catalogue: no entry %s", want[i].id);
		if (found == gk_probes_n)
			continue;
		gk_probe_digest(&gk_probes[found], d);
		ref_digest(want[i].type, want[i].attach, 0, (const u8 *)want[i].insns, want[i].cnt, ref);
		CHECK(!memcmp(d, ref, sizeof(d)), "catalogue: %s: listing is not the uapi program (%s vs %s)",
		      want[i].id, hex(d), hex(ref));
	}
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	test_manifest_table();
	test_manifest_truncation();
	test_manifest_bytes();
	test_manifest_header_bytes();
	test_manifest_maps();
	test_map_digest();

	test_bundle_table();
	test_bundle_truncation();
	test_bundle_header_bytes();

	test_digest_kat();
	test_digest_normalisation();
	test_digest_chunks();

	test_probe_catalogue();

	return gk_test_summary();
}
