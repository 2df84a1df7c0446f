// SPDX-License-Identifier: GPL-2.0
/*
 * Manifest and bundle parsing.  Structure only: signatures are checked by
 * the caller (the kernel keyring, or OpenSSL in gk-sign verify).
 */
#include "gk_format.h"

static bool gk_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/*
 * Headers inside a bundle sit at any byte offset, so fields are read
 * through byte pointers: naming a member of a misaligned struct is
 * undefined behaviour even when only its address is taken.
 */
#define GK_FIELD(p, type, field) ((const u8 *)(p) + offsetof(type, field))
#define GK_MF(p, field) GK_FIELD(p, struct gk_manifest_hdr, field)
#define GK_BF(p, field) GK_FIELD(p, struct gk_bundle_hdr, field)
#define GK_EF(p, field) GK_FIELD(p, struct gk_bundle_entry_hdr, field)

static bool gk_printable(const char *s, size_t n)
{
	while (n--) {
		if (*s < 0x20 || *s > 0x7e)
			return false;
		s++;
	}
	return true;
}

static bool gk_ident_char(char c, bool dot)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || (dot && c == '.');
}

/**
 * gk_attach_valid() - is this an attach target a manifest may bind
 * @s: the target, "MODULE:FUNCTION" as target.c names what a program aims at
 * @n: its length, without a terminator
 *
 * Context: any.
 * Return: whether both parts are non-empty and made of letters, digits and
 * '_', the function's also of '.'.
 */
bool gk_attach_valid(const char *s, size_t n)
{
	size_t i, colon = n;

	for (i = 0; i < n; i++) {
		if (s[i] == ':' && colon == n)
			colon = i;
		else if (!gk_ident_char(s[i], colon != n))
			return false;
	}
	return colon && colon < n - 1;
}

#define GK_MMF(p, field) GK_FIELD(p, struct gk_manifest_map, field)

/**
 * gk_manifest_map_get() - the @i-th read-only map a version 3 manifest binds
 * @m: a parsed manifest
 * @i: below @m->bound_cnt
 * @slot: set to its place among the program's maps
 * @digest: set to the digest of its contents (GK_DIGEST_SIZE bytes in @m)
 *
 * Context: any.
 */
void gk_manifest_map_get(const struct gk_manifest *m, u32 i, u8 *slot, const u8 **digest)
{
	const u8 *e = m->maps + (size_t)i * sizeof(struct gk_manifest_map);

	*slot = *GK_MMF(e, slot);
	*digest = GK_MMF(e, digest);
}

/* Bound maps name increasing slots below map_cnt, and reserve nothing. */
static bool gk_manifest_maps_valid(const struct gk_manifest *m)
{
	const u8 *e, *digest;
	int prev = -1;
	u8 slot;
	u32 i;

	for (i = 0; i < m->bound_cnt; i++) {
		e = m->maps + (size_t)i * sizeof(struct gk_manifest_map);
		gk_manifest_map_get(m, i, &slot, &digest);
		if (slot <= prev || slot >= m->map_cnt ||
		    !gk_zero(GK_MMF(e, reserved), sizeof(((struct gk_manifest_map *)0)->reserved)))
			return false;
		prev = slot;
	}
	return true;
}

/**
 * gk_manifest_parse() - check a manifest and point into it
 * @buf: the manifest bytes
 * @len: their number; must match the string lengths exactly
 * @m: filled on success
 *
 * Context: any.
 * Return: 0; -EBADMSG if malformed or truncated (bad magic, length
 * mismatch, non-printable strings, unknown flags, non-zero reserved, an
 * attach target in version 1, an empty or malformed one in version 2, a
 * malformed one in version 3, bound maps out of order or beyond map_cnt);
 * -EPROTONOSUPPORT for a version other than 1, 2 and 3.
 */
int gk_manifest_parse(const u8 *buf, size_t len, struct gk_manifest *m)
{
	const size_t hlen = sizeof(struct gk_manifest_hdr);
	size_t want, strings;
	u32 version;

	if (len < hlen || memcmp(GK_MF(buf, magic), GK_MANIFEST_MAGIC, 8))
		return -EBADMSG;
	version = gk_get_le32(GK_MF(buf, version));
	if (version < GK_MANIFEST_V1 || version > GK_MANIFEST_V3)
		return -EPROTONOSUPPORT;
	if (!gk_zero(GK_MF(buf, reserved), hlen - offsetof(struct gk_manifest_hdr, reserved)))
		return -EBADMSG;

	memset(m, 0, sizeof(*m));
	m->raw = buf;
	m->raw_len = len;
	m->flags = gk_get_le32(GK_MF(buf, flags));
	m->digest = GK_MF(buf, digest);
	m->name_len = gk_get_le16(GK_MF(buf, name_len));
	m->publisher_len = gk_get_le16(GK_MF(buf, publisher_len));
	m->source_len = gk_get_le16(GK_MF(buf, source_len));
	m->target_len = gk_get_le16(GK_MF(buf, target_len));
	m->attach_len = gk_get_le16(GK_MF(buf, attach_len));
	m->maps_bound = version == GK_MANIFEST_V3;
	m->map_cnt = *GK_MF(buf, map_cnt);
	m->bound_cnt = *GK_MF(buf, bound_cnt);
	if (m->flags & ~GK_MANIFEST_FLAGS || !m->name_len ||
	    m->name_len > GK_NAME_MAX || m->publisher_len > GK_PUBLISHER_MAX ||
	    m->source_len > GK_SOURCE_MAX || m->target_len > GK_TARGET_MAX ||
	    m->attach_len > GK_ATTACH_MAX ||
	    (version == GK_MANIFEST_V1 && m->attach_len) ||
	    (version == GK_MANIFEST_V2 && !m->attach_len) ||
	    (!m->maps_bound && (m->map_cnt || m->bound_cnt)) ||
	    m->map_cnt > GK_MAPS_MAX || m->bound_cnt > m->map_cnt)
		return -EBADMSG;

	strings = m->name_len + m->publisher_len + m->source_len + m->target_len +
		  m->attach_len;
	want = hlen + strings + m->bound_cnt * sizeof(struct gk_manifest_map);
	if (len != want)
		return -EBADMSG;
	m->name = (const char *)buf + hlen;
	m->publisher = m->name + m->name_len;
	m->source = m->publisher + m->publisher_len;
	m->target = m->source + m->source_len;
	m->attach = m->target + m->target_len;
	m->maps = buf + hlen + strings;
	if (!gk_printable(m->name, strings) ||
	    (m->attach_len && !gk_attach_valid(m->attach, m->attach_len)))
		return -EBADMSG;
	return gk_manifest_maps_valid(m) ? 0 : -EBADMSG;
}

/**
 * gk_bundle_parse() - walk the entries of a version 1 bundle
 * @buf: the bundle
 * @len: its size
 * @fn: called for each entry whose manifest parses; a non-zero return
 *      stops the walk and is returned
 * @ctx: passed to @fn
 *
 * The whole bundle structure is checked before @fn sees the first entry, so
 * a truncated or trailing-garbage bundle never reaches a caller half-way.
 *
 * Context: any.
 * Return: 0; -EFBIG if larger than GK_BUNDLE_MAX_SIZE; -EBADMSG if
 * malformed or truncated; -EPROTONOSUPPORT for an unknown version; or what
 * @fn returned.
 */
int gk_bundle_parse(const u8 *buf, size_t len, gk_bundle_entry_fn fn, void *ctx)
{
	const size_t hlen = sizeof(struct gk_bundle_hdr);
	struct gk_manifest m;
	u32 count, i, pass;
	size_t off;
	int err;

	if (len > GK_BUNDLE_MAX_SIZE)
		return -EFBIG;
	if (len < hlen || memcmp(GK_BF(buf, magic), GK_BUNDLE_MAGIC, 8))
		return -EBADMSG;
	if (gk_get_le32(GK_BF(buf, version)) != GK_BUNDLE_V1)
		return -EPROTONOSUPPORT;
	count = gk_get_le32(GK_BF(buf, count));
	if (gk_get_le32(GK_BF(buf, size)) != len || gk_get_le32(GK_BF(buf, reserved)) ||
	    !count || count > GK_BUNDLE_MAX_ENTRIES)
		return -EBADMSG;

	/* Pass 0 checks the structure, pass 1 hands out the entries. */
	for (pass = 0; pass < 2; pass++) {
		off = hlen;
		for (i = 0; i < count; i++) {
			const u8 *e = buf + off;
			u32 mlen, slen;

			if (len - off < sizeof(struct gk_bundle_entry_hdr))
				return -EBADMSG;
			mlen = gk_get_le32(GK_EF(e, manifest_len));
			slen = gk_get_le32(GK_EF(e, sig_len));
			off += sizeof(struct gk_bundle_entry_hdr);
			if (!slen || slen > GK_SIG_MAX_SIZE ||
			    mlen > len - off || slen > len - off - mlen)
				return -EBADMSG;
			err = gk_manifest_parse(buf + off, mlen, &m);
			if (err)
				return err;
			if (pass) {
				err = fn(ctx, &m, buf + off + mlen, slen);
				if (err)
					return err;
			}
			off += mlen + slen;
		}
		if (off != len)
			return -EBADMSG;
	}
	return 0;
}

#define GK_SF(p, field) GK_FIELD(p, struct gk_spolicy_hdr, field)

/**
 * gk_spolicy_parse() - split a version 1 signed policy
 * @buf: the signed policy
 * @len: its size
 * @text: set to the policy text (not NUL-terminated)
 * @text_len: its length
 * @sig: set to the detached PKCS#7 signature
 * @sig_len: its length
 *
 * Context: any.
 * Return: 0; -EFBIG if larger than GK_SPOLICY_MAX_SIZE; -EBADMSG if
 * malformed or truncated; -EPROTONOSUPPORT for an unknown version.
 */
int gk_spolicy_parse(const u8 *buf, size_t len, const u8 **text,
		     size_t *text_len, const u8 **sig, size_t *sig_len)
{
	const size_t hlen = sizeof(struct gk_spolicy_hdr);
	u32 tlen, slen;

	if (len > GK_SPOLICY_MAX_SIZE)
		return -EFBIG;
	if (len < hlen || memcmp(GK_SF(buf, magic), GK_SPOLICY_MAGIC, 8))
		return -EBADMSG;
	if (gk_get_le32(GK_SF(buf, version)) != GK_SPOLICY_V1)
		return -EPROTONOSUPPORT;
	tlen = gk_get_le32(GK_SF(buf, text_len));
	slen = gk_get_le32(GK_SF(buf, sig_len));
	if (gk_get_le32(GK_SF(buf, reserved)) || !tlen || tlen > GK_SPOLICY_TEXT_MAX ||
	    !slen || slen > GK_SIG_MAX_SIZE || (size_t)tlen + slen != len - hlen)
		return -EBADMSG;
	*text = buf + hlen;
	*text_len = tlen;
	*sig = buf + hlen + tlen;
	*sig_len = slen;
	return 0;
}
