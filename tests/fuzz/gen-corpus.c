// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the fuzzers' seed corpora: DIR/manifest/, DIR/bundle/ and
 * DIR/mlog/.  The
 * seeds are small valid inputs (so the fuzzer starts from the accepted
 * paths, not from the magic check) and a few near misses, one per error
 * path.  Each seed is parsed before it is written and the generator fails
 * if a seed does not get the result its name promises, so the checked-in
 * corpus cannot silently drift from the format.
 *
 * Regenerate after a format change:
 *   cc -Wall -Wextra -Werror -Icore -o tests/build/gen-corpus \
 *      tests/fuzz/gen-corpus.c core/bundle.c core/mlog.c -lcrypto
 *   tests/build/gen-corpus tests/build/corpus &&
 *   rm -rf tests/fuzz/corpus/manifest tests/fuzz/corpus/bundle tests/fuzz/corpus/mlog &&
 *   cp -r tests/build/corpus/manifest tests/build/corpus/bundle tests/build/corpus/mlog \
 *      tests/fuzz/corpus/
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "gk_format.h"
#include "gk_mlog.h"

#define MOFF(f) offsetof(struct gk_manifest_hdr, f)
#define BOFF(f) offsetof(struct gk_bundle_hdr, f)

static const char *outdir;
static int bad;

static void put16(u8 *p, u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

/* An attach target makes a version 2 manifest. */
static size_t manifest_attach(u8 *out, u32 flags, const char *name, const char *pub,
			      const char *src, const char *tgt, const char *attach)
{
	const char *s[5] = { name, pub, src, tgt, attach };
	size_t off = sizeof(struct gk_manifest_hdr);
	unsigned int i;

	memset(out, 0, off);
	memcpy(out, GK_MANIFEST_MAGIC, 8);
	gk_put_le32(out + MOFF(version), *attach ? GK_MANIFEST_V2 : GK_MANIFEST_V1);
	gk_put_le32(out + MOFF(flags), flags);
	for (i = 0; i < GK_DIGEST_SIZE; i++)
		out[MOFF(digest) + i] = (u8)(0xa5 ^ i * 29);
	for (i = 0; i < 5; i++) {
		size_t n = strlen(s[i]);

		put16(out + MOFF(name_len) + 2 * i, n);
		memcpy(out + off, s[i], n);
		off += n;
	}
	return off;
}

/*
 * @m (@n bytes, version 1) made version 3: binding @map_cnt maps, the
 * first @bound of them (slots 0, 1, ...) by a digest.
 */
static size_t maps_v3(u8 *out, const u8 *m, size_t n, u8 map_cnt, u8 bound)
{
	u8 *e;
	u32 i;

	memcpy(out, m, n);
	gk_put_le32(out + MOFF(version), GK_MANIFEST_V3);
	out[MOFF(map_cnt)] = map_cnt;
	out[MOFF(bound_cnt)] = bound;
	for (i = 0; i < bound; i++) {
		e = out + n + i * sizeof(struct gk_manifest_map);
		memset(e, 0, sizeof(struct gk_manifest_map));
		e[0] = i;
		memset(e + 4, 0x5a + i, GK_DIGEST_SIZE);
	}
	return n + bound * sizeof(struct gk_manifest_map);
}

static size_t manifest(u8 *out, u32 flags, const char *name, const char *pub,
		       const char *src, const char *tgt)
{
	return manifest_attach(out, flags, name, pub, src, tgt, "");
}

static size_t fill(u8 *out, size_t n, char c)
{
	memset(out, c, n);
	out[n] = 0;
	return n;
}

static void emit(const char *kind, const char *name, const u8 *buf, size_t len,
		 int want, int got)
{
	char path[512];
	FILE *f;

	if (got != want) {
		fprintf(stderr, "gen-corpus: %s/%s parses to %d, want %d\n", kind,
			name, got, want);
		bad = 1;
		return;
	}
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, kind, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(99);
	}
}

static void seed_manifest(const char *name, const u8 *buf, size_t len, int want)
{
	struct gk_manifest m;

	emit("manifest", name, buf, len, want, gk_manifest_parse(buf, len, &m));
}

static int count_entry(void *ctx, const struct gk_manifest *m, const u8 *sig,
		       size_t sig_len)
{
	(void)m;
	(*(int *)ctx)++;
	return sig_len == 4 && !memcmp(sig, "STOP", 4) ? -ECANCELED : 0;
}

static void seed_bundle(const char *name, const u8 *buf, size_t len, int want)
{
	int calls = 0;

	emit("bundle", name, buf, len, want, gk_bundle_parse(buf, len, count_entry, &calls));
}

/* A bundle builder: the header, then entries appended one by one. */
struct bb {
	u8 buf[16384];
	size_t len;
	u32 count;
};

static void bb_init(struct bb *b)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->buf, GK_BUNDLE_MAGIC, 8);
	gk_put_le32(b->buf + BOFF(version), GK_BUNDLE_V1);
	b->len = sizeof(struct gk_bundle_hdr);
}

static void bb_add(struct bb *b, const u8 *man, size_t mlen, const u8 *sig, size_t slen)
{
	gk_put_le32(b->buf + b->len, mlen);
	gk_put_le32(b->buf + b->len + 4, slen);
	b->len += sizeof(struct gk_bundle_entry_hdr);
	memcpy(b->buf + b->len, man, mlen);
	b->len += mlen;
	memcpy(b->buf + b->len, sig, slen);
	b->len += slen;
	b->count++;
}

static const u8 *bb_done(struct bb *b)
{
	gk_put_le32(b->buf + BOFF(count), b->count);
	gk_put_le32(b->buf + BOFF(size), b->len);
	return b->buf;
}

static void seed_mlog(const char *name, const u8 *buf, size_t len, int want)
{
	const char *why;
	u32 n, bad;

	emit("mlog", name, buf, len, want, gk_mlog_parse(buf, len, &n, &bad, &why));
}

/* A measurement log builder: the header, then events appended one by one. */
struct lb {
	u8 buf[16 + 12 * 256];
	size_t len;
};

static void lb_init(struct lb *l)
{
	memset(l, 0, sizeof(*l));
	memcpy(l->buf, GK_MLOG_MAGIC, 8);
	gk_put_le32(l->buf + 8, GK_MLOG_V1);
	gk_put_le32(l->buf + 12, 14);
	l->len = GK_MLOG_HDR_SIZE;
}

static struct gk_mlog_event *lb_add(struct lb *l, u16 type, u16 detail, u64 value, u8 subject,
				    u8 key, const char *name, const char *by)
{
	struct gk_mlog_event *e = (void *)(l->buf + l->len);

	gk_put_le32(e->seq, (l->len - GK_MLOG_HDR_SIZE) / GK_MLOG_EVENT_SIZE);
	put16(e->type, type);
	put16(e->detail, detail);
	gk_mlog_put_le64(e->time, 1764900000000000000ULL);
	gk_mlog_put_le64(e->value, value);
	memset(e->subject, subject, sizeof(e->subject));
	memset(e->key, key, sizeof(e->key));
	strcpy(e->name, name);
	strcpy(e->by, by);
	l->len += GK_MLOG_EVENT_SIZE;
	return e;
}

/* One event of each type, as the module writes them. */
static void lb_every_type(struct lb *l)
{
	lb_init(l);
	lb_add(l, GK_MLOG_START, 0, 123456789, 0x11, 0, "6.12.0", "0.9.0");
	lb_add(l, GK_MLOG_KEY, GK_MLOG_KEYRING_ADMIN, 0, 0, 0xa1, "", "insmod");
	lb_add(l, GK_MLOG_POLICY, GK_MLOG_MODE_ENFORCE, 1, 0x50, 0, "measured", "gkctl");
	lb_add(l, GK_MLOG_ADMIT, GK_MLOG_HOW_SIGNATURE, 1, 0xd1, 0xa2, "gk_minimal", "acme");
	lb_add(l, GK_MLOG_MODE, GK_MLOG_MODE_AUDIT, 0, 0, 0, "", "gkctl");
	lb_add(l, GK_MLOG_ADMIT, GK_MLOG_HOW_AUDIT, 2, 0xd2, 0, "gk_kprobe", "");
	lb_add(l, GK_MLOG_PROBES, 0, 0, 0, 0, "", "gkctl");
	lb_add(l, GK_MLOG_ATTEST, GK_TEE_SIM, 1764900300, 0x5a, 0xa3, "maa-eu", "gkctl");
	lb_add(l, GK_MLOG_DISARM, 0, 0, 0, 0, "bypassed", "watch");
	lb_add(l, GK_MLOG_LOCK, 0, 0, 0, 0, "", "gkctl");
}

int main(int argc, char **argv)
{
	static u8 m[4096], m2[4096], big[4096], sig[512];
	static char s[4][GK_SOURCE_MAX + 2];
	char dir[512];
	struct bb b;
	struct lb l;
	size_t n, n2, nb, i;

	if (argc != 2) {
		fprintf(stderr, "usage: gen-corpus DIR\n");
		return 2;
	}
	outdir = argv[1];
	mkdir(outdir, 0755);
	snprintf(dir, sizeof(dir), "%s/manifest", outdir);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/bundle", outdir);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/mlog", outdir);
	mkdir(dir, 0755);

	/* Manifests. */
	n = manifest(m, 0, "p", "", "", "");
	seed_manifest("valid-minimal", m, n, 0);
	n = manifest(m, 0, "xdp_count", "ACME Corp",
		     "https://git.example.org/acme/xdp.git#v1.2", "6.1.0-18-amd64");
	seed_manifest("valid-typical", m, n, 0);
	n2 = manifest(m2, GK_MANIFEST_CONFIDENTIAL, "tc_filter", "ACME Corp", "", "");
	seed_manifest("valid-confidential", m2, n2, 0);
	fill((u8 *)s[0], GK_NAME_MAX, 'n');
	fill((u8 *)s[1], GK_PUBLISHER_MAX, 'P');
	fill((u8 *)s[2], GK_SOURCE_MAX, '~');
	fill((u8 *)s[3], GK_TARGET_MAX, ' ');
	nb = manifest(big, 0, s[0], s[1], s[2], s[3]);
	seed_manifest("valid-max-strings", big, nb, 0);

	memcpy(big, m, n);
	big[0] = 'g';
	seed_manifest("bad-magic", big, n, -EBADMSG);
	memcpy(big, m, n);
	gk_put_le32(big + MOFF(version), 4);
	seed_manifest("bad-version", big, n, -EPROTONOSUPPORT);
	nb = maps_v3(big, m, n, 5, 2);
	seed_manifest("valid-maps", big, nb, 0);
	big[n] = 4;
	big[n + sizeof(struct gk_manifest_map)] = 1;
	seed_manifest("bad-maps-order", big, nb, -EBADMSG);
	nb = manifest_attach(big, 0, "gk_fentry", "ACME Corp", "", "", "vmlinux:do_nanosleep");
	seed_manifest("valid-attach", big, nb, 0);
	gk_put_le32(big + MOFF(version), GK_MANIFEST_V1);
	seed_manifest("bad-attach-in-v1", big, nb, -EBADMSG);
	nb = manifest_attach(big, 0, "gk_fentry", "", "", "", "vmlinux:do:nanosleep");
	seed_manifest("bad-attach-malformed", big, nb, -EBADMSG);
	memcpy(big, m, n);
	big[MOFF(reserved) + 3] = 1;
	seed_manifest("bad-reserved", big, n, -EBADMSG);
	memcpy(big, m, n);
	gk_put_le32(big + MOFF(flags), 2);
	seed_manifest("bad-flags", big, n, -EBADMSG);
	memcpy(big, m, n);
	big[sizeof(struct gk_manifest_hdr) + 3] = 0;
	seed_manifest("bad-nul-in-name", big, n, -EBADMSG);
	seed_manifest("bad-truncated", m, n - 1, -EBADMSG);
	memcpy(big, m, n);
	big[n] = 'x';
	seed_manifest("bad-trailing", big, n + 1, -EBADMSG);
	fill((u8 *)s[0], GK_NAME_MAX + 1, 'n');
	seed_manifest("bad-name-too-long", big, manifest(big, 0, s[0], "", "", ""), -EBADMSG);
	seed_manifest("bad-empty-name", big, manifest(big, 0, "", "x", "", ""), -EBADMSG);

	/* Signatures: arbitrary bytes to the parser; shaped like DER anyway. */
	for (i = 0; i < sizeof(sig); i++)
		sig[i] = (u8)(i * 13);
	sig[0] = 0x30;
	sig[1] = 0x82;
	sig[2] = 0x01;
	sig[3] = 0xfc;

	/* Bundles. */
	bb_init(&b);
	bb_add(&b, m, n, sig, 40);
	seed_bundle("valid-one", bb_done(&b), b.len, 0);

	bb_init(&b);
	bb_add(&b, m, n, sig, sizeof(sig));
	bb_add(&b, m2, n2, sig, 1);
	bb_add(&b, m, n, sig + 7, 64);
	seed_bundle("valid-three", bb_done(&b), b.len, 0);

	bb_init(&b);
	bb_add(&b, m, n, sig, 16);
	bb_add(&b, m, n, sig, 16);
	seed_bundle("valid-duplicate", bb_done(&b), b.len, 0);

	bb_init(&b);
	bb_add(&b, m, n, sig, 16);
	bb_add(&b, m2, n2, (const u8 *)"STOP", 4);
	bb_add(&b, m, n, sig, 16);
	seed_bundle("stop-second", bb_done(&b), b.len, -ECANCELED);

	bb_init(&b);
	bb_add(&b, m, n, sig, 32);
	bb_add(&b, m2, n2, sig, 32);
	bb_done(&b);
	memcpy(big, b.buf, b.len);
	gk_put_le32(big + BOFF(count), 0);
	seed_bundle("bad-count-0", big, b.len, -EBADMSG);
	memcpy(big, b.buf, b.len);
	gk_put_le32(big + BOFF(count), 3);
	seed_bundle("bad-count-more", big, b.len, -EBADMSG);
	memcpy(big, b.buf, b.len);
	gk_put_le32(big + BOFF(count), 1);
	seed_bundle("bad-count-less", big, b.len, -EBADMSG);
	memcpy(big, b.buf, b.len);
	gk_put_le32(big + BOFF(size), b.len + 1);
	seed_bundle("bad-size-field", big, b.len, -EBADMSG);
	memcpy(big, b.buf, b.len);
	gk_put_le32(big + BOFF(version), 2);
	seed_bundle("bad-version", big, b.len, -EPROTONOSUPPORT);
	memcpy(big, b.buf, b.len);
	big[BOFF(reserved)] = 1;
	seed_bundle("bad-reserved", big, b.len, -EBADMSG);
	memcpy(big, b.buf, b.len);
	big[b.len] = 'G';
	gk_put_le32(big + BOFF(size), b.len + 1);
	seed_bundle("bad-trailing", big, b.len + 1, -EBADMSG);
	memcpy(big, b.buf, b.len);
	gk_put_le32(big + BOFF(size), b.len - 5);
	seed_bundle("bad-truncated", big, b.len - 5, -EBADMSG);
	memcpy(big, b.buf, b.len);
	gk_put_le32(big + sizeof(struct gk_bundle_hdr) + 4, 0);
	seed_bundle("bad-sig-len-0", big, b.len, -EBADMSG);
	memcpy(big, b.buf, b.len);
	gk_put_le32(big + sizeof(struct gk_bundle_hdr), n + 1);
	seed_bundle("bad-manifest-len", big, b.len, -EBADMSG);
	memcpy(big, b.buf, b.len);
	gk_put_le32(big + b.len - 32 - n2 + MOFF(version), 4);
	seed_bundle("bad-inner-version", big, b.len, -EPROTONOSUPPORT);

	/* Measurement logs. */
	lb_init(&l);
	lb_add(&l, GK_MLOG_START, 0, 1, 0, 0, "6.1.0", "0.9.0");
	seed_mlog("valid-start", l.buf, l.len, 0);
	lb_every_type(&l);
	seed_mlog("valid-every-type", l.buf, l.len, 0);
	seed_mlog("bad-header-only", l.buf, GK_MLOG_HDR_SIZE, -EBADMSG);
	seed_mlog("bad-truncated", l.buf, l.len - 1, -EBADMSG);
	memcpy(big, l.buf, l.len);
	gk_put_le32(big + 8, 2);
	seed_mlog("bad-version", big, l.len, -EPROTONOSUPPORT);
	memcpy(big, l.buf, l.len);
	big[GK_MLOG_HDR_SIZE + 3 * GK_MLOG_EVENT_SIZE] = 7;
	seed_mlog("bad-seq", big, l.len, -EBADMSG);
	memcpy(big, l.buf, l.len);
	big[GK_MLOG_HDR_SIZE + 9 * GK_MLOG_EVENT_SIZE + 255] = 1;
	seed_mlog("bad-reserved", big, l.len, -EBADMSG);
	memcpy(big, l.buf, l.len);
	big[GK_MLOG_HDR_SIZE + 2 * GK_MLOG_EVENT_SIZE + offsetof(struct gk_mlog_event, key)] = 1;
	seed_mlog("bad-field-set", big, l.len, -EBADMSG);
	memcpy(big, l.buf, l.len);
	memset(big + GK_MLOG_HDR_SIZE + 3 * GK_MLOG_EVENT_SIZE + offsetof(struct gk_mlog_event, name),
	       'n', GK_MLOG_TEXT);
	seed_mlog("bad-text-no-nul", big, l.len, -EBADMSG);

	return bad;
}
