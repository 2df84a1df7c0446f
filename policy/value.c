// SPDX-License-Identifier: GPL-2.0
/*
 * What a token of the policy language spells: numbers, SHA-256s, names,
 * app paths and type lists, each with one spelling so that the canonical
 * printer (dump.c) can give it back.
 */
#include "internal.h"

/* types_numeric and attach_numeric are u8 bitmaps over a list. */
_Static_assert(GK_POLICY_LIST_MAX <= 8, "list bitmap");

static bool gk_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A decimal number up to @max.  No sign, no leading zero (it reads as octal
 * elsewhere), no hex: one spelling per number.
 */
int gkp_number(struct gk_parser *p, const struct gk_tok *t, u64 max,
	       u64 *out)
{
	u64 v = 0;
	u32 i;

	if (t->quoted)
		return gkp_fail(p, -EBADMSG, t->col, "expected a decimal number");
	for (i = 0; i < t->len; i++)
		if (!gk_digit(t->s[i]))
			return gkp_fail(p, -EBADMSG, t->col + i,
					"expected a decimal number");
	if (t->len > 1 && t->s[0] == '0')
		return gkp_fail(p, -EBADMSG, t->col, "leading zero in a number");
	for (i = 0; i < t->len; i++) {
		u32 d = t->s[i] - '0';

		if (v > (max - d) / 10)
			return gkp_fail(p, -ERANGE, t->col, "number out of range");
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* A SHA-256 as 64 hex digits, either case. */
int gkp_sha256_hex(struct gk_parser *p, const struct gk_tok *t, u8 *out)
{
	u32 i;

	if (t->quoted)
		return gkp_fail(p, -EBADMSG, t->col, "expected 64 hex digits");
	for (i = 0; i < t->len; i++)
		if (gk_hex_digit(t->s[i]) < 0)
			return gkp_fail(p, -EBADMSG, t->col + i, "not a hex digit");
	if (t->len != 2 * GK_POLICY_SHA256_SIZE)
		return gkp_fail(p, -EBADMSG, t->col,
				"expected 64 hex digits (a SHA-256)");
	for (i = 0; i < GK_POLICY_SHA256_SIZE; i++)
		out[i] = (u8)(gk_hex_digit(t->s[2 * i]) << 4 |
			      gk_hex_digit(t->s[2 * i + 1]));
	return 0;
}

static bool gk_alnum(char c)
{
	return gk_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* NAME: [A-Za-z0-9][A-Za-z0-9._-]*, at most GK_POLICY_NAME_MAX bytes. */
int gkp_name_tok(struct gk_parser *p, const struct gk_tok *t, char *dst)
{
	u32 i;

	if (t->quoted)
		return gkp_fail(p, -EBADMSG, t->col, "a name cannot be quoted");
	if (t->len > GK_POLICY_NAME_MAX)
		return gkp_fail(p, -ENAMETOOLONG, t->col,
				"name longer than 64 characters");
	for (i = 0; i < t->len; i++) {
		char c = t->s[i];

		if (!gk_alnum(c) && (!i || (c != '.' && c != '_' && c != '-')))
			return gkp_fail(p, -EBADMSG, t->col + i,
					"invalid character in a name");
	}
	memcpy(dst, t->s, t->len);
	dst[t->len] = '\0';
	return 0;
}

/*
 * An app path must be what the kernel reports for an executable: absolute,
 * without empty, "." or ".." components and without a trailing slash.
 * Anything else could never match, so it is refused rather than ignored.
 */
bool gkp_path_canonical(const char *s, u32 n)
{
	u32 i = 1, j;

	/* A trailing '/' leaves an empty last component, refused below. */
	if (n < 2 || s[0] != '/')
		return false;
	while (i <= n) {
		for (j = i; j < n && s[j] != '/'; j++)
			;
		if (j == i || (j - i == 1 && s[i] == '.') ||
		    (j - i == 2 && s[i] == '.' && s[i + 1] == '.'))
			return false;
		i = j + 1;
	}
	return true;
}

/* Room for a string of the rule being parsed. */
char *gkp_arena(struct gk_parser *p, u32 n)
{
	char *s = p->arena;

	if (n > p->arena_left)
		return NULL;
	p->arena += n;
	p->arena_left -= n;
	return s;
}

/*
 * A comma-separated list of program (@prog) or attach types, by name or
 * number, into the rule's types[] or attach[].
 */
int gkp_type_list(struct gk_parser *p, const struct gk_tok *t, bool prog,
		  u32 *vals, u8 *n, u8 *numeric)
{
	u32 a = 0, b, i;
	u64 v;
	int ret;

	if (t->quoted)
		return gkp_fail(p, -EBADMSG, t->col, "a type list cannot be quoted");
	while (a <= t->len) {
		struct gk_tok item = { .s = t->s + a, .col = t->col + a };

		for (b = a; b < t->len && t->s[b] != ','; b++)
			;
		item.len = b - a;
		if (!item.len)
			return gkp_fail(p, -EBADMSG, item.col, "empty item in a list");
		if (*n == GK_POLICY_LIST_MAX)
			return gkp_fail(p, -E2BIG, item.col,
					"more than 8 types in a list");
		if (gk_digit(item.s[0])) {
			ret = gkp_number(p, &item, GK_U32_MAX, &v);
			if (ret)
				return ret;
			if (prog && !v)
				return gkp_fail(p, -ERANGE, item.col,
						"program type 0 (unspec) cannot be loaded");
			*numeric |= 1U << *n;
		} else if (prog) {
			v = gkp_lookup(gk_prog_types, GK_PROG_TYPES_N,
				       item.s, item.len);
			if (v == GK_U32_MAX)
				return gkp_fail(p, -EBADMSG, item.col,
						"unknown program type");
		} else {
			v = gkp_lookup(gk_attach_types, GK_ATTACH_TYPES_N,
				       item.s, item.len);
			if (v == GK_U32_MAX)
				return gkp_fail(p, -EBADMSG, item.col,
						"unknown attach type");
		}
		for (i = 0; i < *n; i++)
			if (vals[i] == v)
				return gkp_fail(p, -EEXIST, item.col,
						"type repeated in a list");
		vals[(*n)++] = (u32)v;
		a = b + 1;
	}
	return 0;
}
