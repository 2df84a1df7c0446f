// SPDX-License-Identifier: GPL-2.0
/*
 * The canonical printer of the policy language.
 */
#include "internal.h"

struct gk_out {
	char *buf;
	size_t size, len;
};

/* Append what fits; count everything, so the caller learns the size. */
static void gk_put(struct gk_out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void gk_puts(struct gk_out *o, const char *s)
{
	gk_put(o, s, strlen(s));
}

/* " WORD": every word but a line's first follows one space. */
static void gk_putw(struct gk_out *o, const char *s)
{
	gk_put(o, " ", 1);
	gk_puts(o, s);
}

static void gk_put_u64(struct gk_out *o, u64 v)
{
	char d[20];
	u32 i = sizeof(d);

	do {
		d[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	gk_put(o, d + i, sizeof(d) - i);
}

static void gk_put_hex(struct gk_out *o, const u8 *b, u32 n)
{
	static const char hex[] = "0123456789abcdef";
	char pair[2];
	u32 i;

	gk_put(o, " ", 1);
	for (i = 0; i < n; i++) {
		pair[0] = hex[b[i] >> 4];
		pair[1] = hex[b[i] & 15];
		gk_put(o, pair, 2);
	}
}

/*
 * A string value, quoted only if it must be: empty, starting with '#', or
 * holding a space, quote or backslash.  That is never longer than the
 * spelling it was parsed from.
 */
static void gk_put_value(struct gk_out *o, const char *s, u32 n)
{
	bool quote = !n || s[0] == '#';
	u32 i;

	for (i = 0; i < n; i++)
		if (s[i] == ' ' || s[i] == '"' || s[i] == '\\')
			quote = true;
	gk_put(o, " ", 1);
	if (!quote) {
		gk_put(o, s, n);
		return;
	}
	gk_put(o, "\"", 1);
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			gk_put(o, "\\", 1);
		gk_put(o, s + i, 1);
	}
	gk_put(o, "\"", 1);
}

/* Types as written: by name, or as numbers where the rule used numbers. */
static void gk_put_types(struct gk_out *o, const char *kw, const u32 *vals,
			 u32 n, u8 numeric, bool prog)
{
	u32 i;

	gk_putw(o, kw);
	for (i = 0; i < n; i++) {
		const char *name = prog ? gk_policy_prog_type_name(vals[i]) :
				   gk_policy_attach_type_name(vals[i]);

		gk_put(o, i ? "," : " ", 1);
		if ((numeric & (1U << i)) || !name)
			gk_put_u64(o, vals[i]);
		else
			gk_puts(o, name);
	}
}

static void gk_put_principal(struct gk_out *o, const char *kw,
			     const struct gk_policy_principal *pr)
{
	u32 k;

	gk_puts(o, kw);
	gk_putw(o, pr->name);
	for (k = 0; k < pr->n_keys; k++) {
		gk_putw(o, "key");
		gk_put_hex(o, pr->keys[k], GK_POLICY_KEY_SIZE);
	}
	gk_put(o, "\n", 1);
}

/* "revoke WHAT HEX64" for each of @n entries, in their (sorted) order. */
static void gk_put_revoked(struct gk_out *o, const struct gk_policy *pol,
			   const char *what, const u8 (*v)[GK_POLICY_SHA256_SIZE], u32 n,
			   bool skip_publishers)
{
	u32 i;
	int pub;

	for (i = 0; i < n; i++) {
		/* Those a "revoke publisher" put there are printed as that. */
		pub = skip_publishers ? gk_policy_find_publisher(pol, v[i]) : -ENOENT;
		if (pub >= 0 && gk_policy_revokes_publisher(pol, (u32)pub))
			continue;
		gk_puts(o, "revoke");
		gk_putw(o, what);
		gk_put_hex(o, v[i], GK_POLICY_SHA256_SIZE);
		gk_put(o, "\n", 1);
	}
}

static void gk_put_rule(struct gk_out *o, const struct gk_policy *pol,
			const struct gk_policy_rule *r)
{
	u32 m = r->match;

	gk_puts(o, gk_policy_action_name(r->action));
	if (m & GK_POLICY_M_SIGNED)
		gk_putw(o, "signed");
	if (m & GK_POLICY_M_UNSIGNED)
		gk_putw(o, "unsigned");
	if (m & GK_POLICY_M_PUBLISHER) {
		gk_putw(o, "publisher");
		gk_putw(o, pol->publishers[r->publisher].name);
	}
	if (m & GK_POLICY_M_SOURCE) {
		gk_putw(o, "source");
		gk_putw(o, gk_source_kinds[r->source_kind]);
		gk_put_value(o, r->source, r->source_len);
	}
	if (m & GK_POLICY_M_APP) {
		gk_putw(o, "app");
		gk_put_value(o, r->app, r->app_len);
	}
	if (m & GK_POLICY_M_APP_SHA256) {
		gk_putw(o, "sha256");
		gk_put_hex(o, r->app_sha256, GK_POLICY_SHA256_SIZE);
	}
	if (m & GK_POLICY_M_TYPE)
		gk_put_types(o, "type", r->types, r->n_types, r->types_numeric, true);
	if (m & GK_POLICY_M_ATTACH)
		gk_put_types(o, "attach", r->attach, r->n_attach, r->attach_numeric,
			     false);
	if (m & GK_POLICY_M_CONFIDENTIAL)
		gk_putw(o, "confidential");
	if (m & GK_POLICY_M_NONCONFIDENTIAL)
		gk_putw(o, "nonconfidential");
	if (m & GK_POLICY_M_BOUND)
		gk_putw(o, "bound");
	if (m & GK_POLICY_M_UNBOUND)
		gk_putw(o, "unbound");
	if (m & GK_POLICY_M_VERIFIER) {
		gk_putw(o, "verifier");
		gk_putw(o, pol->verifiers[r->verifier].name);
	}
	gk_put(o, "\n", 1);
}

/**
 * gk_policy_dump() - render a policy as canonical text
 * @pol: the policy
 * @buf: where to write; may be NULL if @size is 0
 * @size: its size
 * @len: set to the length of the whole text, whether it fitted or not
 *
 * The text has no comments or blank lines, one space between words, a
 * fixed order of conditions, lower-case hex and minimal quoting; types keep
 * the spelling (name or number) they were written with.  Declarations come
 * in a fixed order: probes, publishers, verifiers, then the revocations:
 * publishers in their order, keys, then digests, each sorted.  It parses back to
 * an equal policy (gk_policy_equal()) that dumps to the same text, and no
 * line of it is longer than the line it came from.  A NUL follows the text
 * if @size leaves room for it.
 *
 * Context: any.
 * Return: 0, or -ENOSPC if @size < *@len (the text is then cut short).
 */
int gk_policy_dump(const struct gk_policy *pol, char *buf, size_t size,
		   size_t *len)
{
	struct gk_out o = { .buf = buf, .size = size, .len = 0 };
	u32 i;

	gk_puts(&o, "policy");
	gk_putw(&o, pol->name);
	gk_putw(&o, "version");
	gk_put(&o, " ", 1);
	gk_put_u64(&o, pol->version);
	gk_puts(&o, "\ndefault");
	gk_putw(&o, gk_policy_action_name(pol->default_action));
	gk_puts(&o, "\nmode");
	gk_putw(&o, gk_modes[pol->mode]);
	gk_put(&o, "\n", 1);
	if (pol->probes != GK_POLICY_PROBES_UNSET) {
		gk_puts(&o, "probes");
		gk_putw(&o, gk_probes_words[pol->probes]);
		gk_put(&o, "\n", 1);
	}
	for (i = 0; i < pol->n_publishers; i++)
		gk_put_principal(&o, "publisher", &pol->publishers[i]);
	for (i = 0; i < pol->n_verifiers; i++)
		gk_put_principal(&o, "verifier", &pol->verifiers[i]);
	for (i = 0; i < pol->n_publishers; i++) {
		if (!gk_policy_revokes_publisher(pol, i))
			continue;
		gk_puts(&o, "revoke publisher");
		gk_putw(&o, pol->publishers[i].name);
		gk_put(&o, "\n", 1);
	}
	gk_put_revoked(&o, pol, "key", (const u8 (*)[GK_POLICY_SHA256_SIZE])pol->revoked_keys,
		       pol->n_revoked_keys, true);
	gk_put_revoked(&o, pol, "digest",
		       (const u8 (*)[GK_POLICY_SHA256_SIZE])pol->revoked_digests,
		       pol->n_revoked_digests, false);
	for (i = 0; i < pol->n_rules; i++)
		gk_put_rule(&o, pol, &pol->rules[i]);
	*len = o.len;
	if (o.len < size)
		buf[o.len] = '\0';
	return o.len <= size ? 0 : -ENOSPC;
}
