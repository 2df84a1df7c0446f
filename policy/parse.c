// SPDX-License-Identifier: GPL-2.0
/*
 * The parser of the policy language (docs/policy.md): the header, the
 * order of statements, and the text as a whole.
 *
 * Parsing takes two passes over the text, as gk_bundle_parse() does: pass 0
 * only counts statements, so that the parsed policy is one exactly sized
 * allocation (one free, no unwinding of partial lists); pass 1 checks
 * everything and fills it.  Every error names its line and column, and the
 * first error in text order is the one reported.
 */
#include "internal.h"

/* ------------------------------------------------------------- header */

/* policy NAME version N */
static int gk_parse_policy_line(struct gk_parser *p)
{
	struct gk_tok t;
	int ret;

	ret = gkp_need_tok(p, &t, "expected the policy's name");
	if (ret)
		return ret;
	ret = gkp_name_tok(p, &t, p->pol->name);
	if (ret)
		return ret;
	ret = gkp_need_tok(p, &t, "expected 'version'");
	if (ret)
		return ret;
	if (!gkp_is(&t, "version"))
		return gkp_fail(p, -EBADMSG, t.col, "expected 'version'");
	ret = gkp_need_tok(p, &t, "expected a version number");
	if (ret)
		return ret;
	ret = gkp_number(p, &t, GK_U64_MAX, &p->pol->version);
	if (ret)
		return ret;
	return gkp_need_end(p);
}

/* default ACTION, mode MODE */
static int gk_parse_choice(struct gk_parser *p, const char *const *tab, u32 n,
			   const char *msg, u8 *out)
{
	struct gk_tok t;
	int ret = gkp_need_tok(p, &t, msg);

	if (ret)
		return ret;
	ret = gkp_keyword(p, &t, tab, n, msg, out);
	if (ret)
		return ret;
	return gkp_need_end(p);
}

/* Where the parser is: the header's three lines in order, then the body. */
enum gk_state {
	GK_ST_POLICY,
	GK_ST_DEFAULT,
	GK_ST_MODE,
	GK_ST_DECLS,
	GK_ST_RULES,
};

static const char *const gk_header_words[] = { "policy", "default", "mode" };

static const char *const gk_header_msgs[] = {
	"expected 'policy NAME version N' first",
	"expected 'default allow|deny|audit'",
	"expected 'mode enforce|audit'",
};

static int gk_statement(struct gk_parser *p, const struct gk_tok *t,
			enum gk_state *st)
{
	u32 hdr = t->quoted ? GK_U32_MAX :
		  gkp_lookup(gk_header_words, GK_ARRAY_SIZE(gk_header_words),
			     t->s, t->len);
	u32 action;
	int ret;

	if (hdr != GK_U32_MAX && hdr < (u32)*st)
		return gkp_fail(p, -EEXIST, t->col, "header line given twice");
	if (*st <= GK_ST_MODE) {
		if (hdr != (u32)*st)
			return gkp_fail(p, -EBADMSG, t->col, gk_header_msgs[*st]);
		if (*st == GK_ST_POLICY)
			ret = gk_parse_policy_line(p);
		else if (*st == GK_ST_DEFAULT)
			ret = gk_parse_choice(p, gk_actions, GK_ARRAY_SIZE(gk_actions),
					      "expected allow, deny or audit",
					      &p->pol->default_action);
		else
			ret = gk_parse_choice(p, gk_modes, GK_ARRAY_SIZE(gk_modes),
					      "expected enforce or audit",
					      &p->pol->mode);
		if (!ret)
			(*st)++;
		return ret;
	}
	if (gkp_is(t, "publisher") || gkp_is(t, "verifier") || gkp_is(t, "probes") ||
	    gkp_is(t, "revoke")) {
		if (*st == GK_ST_RULES)
			return gkp_fail(p, -EBADMSG, t->col,
					"declarations must come before the rules");
		if (gkp_is(t, "revoke"))
			return gkp_parse_revoke(p);
		if (!gkp_is(t, "probes"))
			return gkp_parse_principal(p, gkp_is(t, "publisher"));
		if (p->pol->probes != GK_POLICY_PROBES_UNSET)
			return gkp_fail(p, -EEXIST, t->col, "probes declared twice");
		return gk_parse_choice(p, gk_probes_words, GK_ARRAY_SIZE(gk_probes_words),
				       "expected 'probes trusted|refused'", &p->pol->probes);
	}
	action = t->quoted ? GK_U32_MAX :
		 gkp_lookup(gk_actions, GK_ARRAY_SIZE(gk_actions), t->s, t->len);
	if (action != GK_U32_MAX) {
		*st = GK_ST_RULES;
		return gkp_parse_rule(p, t, (u8)action);
	}
	return gkp_fail(p, -EBADMSG, t->col, "unknown keyword");
}

/* ------------------------------------------------------------- parse */

/* What pass 0 counts: an upper bound of what pass 1 will need. */
struct gk_counts {
	u32 pubs, vers, rules;
	u32 digests, keys;	/* revoked; "revoke publisher" counts 8 keys */
	size_t strings;
};

/* "revoke digest|key|publisher": what it may add to the revocation list. */
static void gk_count_revoke(struct gk_parser *p, struct gk_counts *c)
{
	struct gk_tok t;

	if (gkp_next_tok(p, &t) <= 0)
		return;
	if (gkp_is(&t, "digest"))
		c->digests++;
	else if (gkp_is(&t, "key"))
		c->keys++;
	else if (gkp_is(&t, "publisher"))
		c->keys += GK_POLICY_KEYS_MAX;
}

/*
 * Pass 0: how many declarations and rules there are, and how many bytes
 * of rule lines (their strings, unescaped, cannot be longer).  It stops at
 * the first lexical error; pass 1 fails there or earlier.  The counts only
 * grow up to a little past their limits, so they cannot overflow.
 */
static void gk_count(struct gk_parser *p, struct gk_counts *c)
{
	struct gk_tok t;

	memset(c, 0, sizeof(*c));
	while (gkp_next_line(p) > 0) {
		int ret = gkp_next_tok(p, &t);

		if (ret < 0)
			break;
		if (!ret)
			continue;
		if (gkp_is(&t, "publisher"))
			c->pubs++;
		else if (gkp_is(&t, "verifier"))
			c->vers++;
		else if (gkp_is(&t, "revoke"))
			gk_count_revoke(p, c);
		else if (gkp_is(&t, "allow") || gkp_is(&t, "deny") || gkp_is(&t, "audit")) {
			c->rules++;
			c->strings += p->eol - p->bol;
		}
	}
}

static u32 gk_min(u32 a, u32 b)
{
	return a < b ? a : b;
}

/**
 * gk_policy_parse() - parse and check a policy text
 * @text: the policy; need not be NUL-terminated
 * @len: its length in bytes
 * @out: the parsed policy on success, for gk_policy_free(); NULL on failure
 * @err: if not NULL, where the first error is (line, column) and what it
 *       is; line 0 for errors about the text as a whole
 *
 * Context: process context; allocates with GFP_KERNEL in the kernel.
 * Return: 0, or
 * -EILSEQ a byte outside printable ASCII and tab: NUL, CR, UTF-8, control;
 * -ENAMETOOLONG a line, name, source or path over its limit;
 * -E2BIG the text over 256 KiB, or too many publishers, verifiers, keys,
 *  rules, list items or revocations;
 * -EBADMSG a syntax error: unknown keyword, missing or extra word, bad
 *  quoting, bad hex or number syntax, header missing or out of order,
 *  declaration after a rule;
 * -ERANGE a number out of range;
 * -EEXIST a duplicate: header line, publisher or verifier name, key,
 *  condition in a rule, item in a list, a digest, key or publisher
 *  revoked twice;
 * -ENOENT a rule names an undeclared publisher or verifier, or a
 *  revocation an undeclared publisher;
 * -EINVAL a well-formed rule that could never match or is ambiguous:
 *  'unsigned' with publisher/source/confidential/bound, 'attach' without 'type',
 *  a non-canonical app path, a rule after a rule without conditions;
 * -ENODATA no statement at all;
 * -ENOMEM out of memory.
 */
int gk_policy_parse(const char *text, size_t len, struct gk_policy **out,
		    struct gk_policy_error *err)
{
	struct gk_policy *pol;
	struct gk_parser p;
	enum gk_state st = GK_ST_POLICY;
	struct gk_counts c;
	size_t size;
	struct gk_tok t;
	int ret;

	*out = NULL;
	if (err) {
		err->line = 0;
		err->column = 0;
		err->msg = NULL;
	}
	memset(&p, 0, sizeof(p));
	p.text = text;
	p.len = len;
	p.err = err;
	if (len > GK_POLICY_SIZE_MAX)
		return gkp_fail_at(&p, -E2BIG, 0, 0, "policy larger than 256 KiB");

	/* Pass 0 reports nothing: pass 1 meets the same errors in order. */
	p.err = NULL;
	gk_count(&p, &c);
	p.err = err;
	p.cap_publishers = gk_min(c.pubs, GK_POLICY_PUBLISHERS_MAX);
	p.cap_verifiers = gk_min(c.vers, GK_POLICY_VERIFIERS_MAX);
	p.cap_rules = gk_min(c.rules, GK_POLICY_RULES_MAX);
	p.cap_revoked_digests = gk_min(c.digests, GK_POLICY_REVOKED_MAX);
	p.cap_revoked_keys = gk_min(c.keys, GK_POLICY_REVOKED_MAX);
	/* Bounded by the limits above: no overflow even on 32-bit. */
	size = sizeof(*pol) + p.cap_rules * sizeof(struct gk_policy_rule) +
	       (p.cap_publishers + p.cap_verifiers) *
	       sizeof(struct gk_policy_principal) +
	       (size_t)(p.cap_revoked_digests + p.cap_revoked_keys) * GK_POLICY_SHA256_SIZE +
	       c.strings;
	pol = gk_kvalloc(size);
	if (!pol)
		return gkp_fail_at(&p, -ENOMEM, 0, 0, "out of memory");
	memset(pol, 0, size);
	/* Rules first: they hold pointers, so need the strictest alignment. */
	pol->rules = (void *)(pol + 1);
	pol->publishers = (void *)(pol->rules + p.cap_rules);
	pol->verifiers = pol->publishers + p.cap_publishers;
	pol->revoked_digests = (void *)(pol->verifiers + p.cap_verifiers);
	pol->revoked_keys = pol->revoked_digests + p.cap_revoked_digests;
	p.arena = (char *)(pol->revoked_keys + p.cap_revoked_keys);
	p.arena_left = c.strings;

	p.pol = pol;
	p.next = 0;
	p.line = 0;
	for (;;) {
		ret = gkp_next_line(&p);
		if (ret < 0)
			goto fail;
		if (!ret)
			break;
		ret = gkp_next_tok(&p, &t);
		if (ret < 0)
			goto fail;
		if (!ret)
			continue;	/* blank or comment */
		ret = gk_statement(&p, &t, &st);
		if (ret)
			goto fail;
	}
	if (st == GK_ST_POLICY) {
		ret = gkp_fail_at(&p, -ENODATA, 0, 0, "empty policy: no statement");
		goto fail;
	}
	/* A header line is missing: say so on the line after the last. */
	if (st <= GK_ST_MODE) {
		ret = gkp_fail_at(&p, -EBADMSG, p.line + 1, 1, gk_header_msgs[st]);
		goto fail;
	}
	*out = pol;
	return 0;

fail:
	gk_kvfree(pol);
	return ret;
}

/**
 * gk_policy_free() - free a policy from gk_policy_parse()
 * @pol: the policy, or NULL
 *
 * Context: process context in the kernel (kvfree()).
 */
void gk_policy_free(struct gk_policy *pol)
{
	gk_kvfree(pol);
}
