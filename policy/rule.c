// SPDX-License-Identifier: GPL-2.0
/*
 * Rules of the policy language: an action and its conditions.
 */
#include "gk_format.h"
#include "internal.h"

#define GK_NONE 0xffff		/* no publisher / verifier index */

/* A source condition can name any source a manifest can carry. */
_Static_assert(GK_POLICY_STRING_MAX == GK_SOURCE_MAX, "source limit");
_Static_assert(GK_POLICY_PUBLISHERS_MAX < GK_NONE &&
	       GK_POLICY_VERIFIERS_MAX < GK_NONE, "u16 indices");

typedef int (*gk_cond_fn)(struct gk_parser *p, struct gk_policy_rule *r);

static int gk_cond_publisher(struct gk_parser *p, struct gk_policy_rule *r)
{
	struct gk_tok t;
	int ret = gkp_need_tok(p, &t, "expected a publisher name");

	if (ret)
		return ret;
	ret = gkp_find_name(p->pol->publishers, p->pol->n_publishers, &t);
	if (ret < 0)
		return gkp_fail(p, -ENOENT, t.col, "undeclared publisher");
	r->publisher = (u16)ret;
	return 0;
}

static int gk_cond_verifier(struct gk_parser *p, struct gk_policy_rule *r)
{
	struct gk_tok t;
	int ret = gkp_need_tok(p, &t, "expected a verifier name");

	if (ret)
		return ret;
	ret = gkp_find_name(p->pol->verifiers, p->pol->n_verifiers, &t);
	if (ret < 0)
		return gkp_fail(p, -ENOENT, t.col, "undeclared verifier");
	r->verifier = (u16)ret;
	return 0;
}

static int gk_cond_source(struct gk_parser *p, struct gk_policy_rule *r)
{
	struct gk_tok t;
	char *s;
	int ret;

	ret = gkp_need_tok(p, &t, "expected exact, prefix or glob");
	if (ret)
		return ret;
	ret = gkp_keyword(p, &t, gk_source_kinds, GK_ARRAY_SIZE(gk_source_kinds),
			  "expected exact, prefix or glob", &r->source_kind);
	if (ret)
		return ret;
	ret = gkp_need_tok(p, &t, "expected a source string");
	if (ret)
		return ret;
	if (t.vlen > GK_POLICY_STRING_MAX)
		return gkp_fail(p, -ENAMETOOLONG, t.col,
				"source longer than 1024 bytes");
	s = gkp_arena(p, t.vlen);
	if (!s)
		return gkp_fail(p, -EINVAL, t.col, "internal error: miscounted strings");
	gkp_tok_value(&t, s);
	r->source = s;
	r->source_len = t.vlen;
	return 0;
}

static int gk_cond_app(struct gk_parser *p, struct gk_policy_rule *r)
{
	struct gk_tok t;
	char *s;
	int ret;

	ret = gkp_need_tok(p, &t, "expected an absolute path");
	if (ret)
		return ret;
	if (t.vlen > GK_POLICY_PATH_MAX)
		return gkp_fail(p, -ENAMETOOLONG, t.col, "path longer than 1024 bytes");
	s = gkp_arena(p, t.vlen);
	if (!s)
		return gkp_fail(p, -EINVAL, t.col, "internal error: miscounted strings");
	gkp_tok_value(&t, s);
	if (!gkp_path_canonical(s, t.vlen))
		return gkp_fail(p, -EINVAL, t.col,
				"app path must be absolute and canonical (no //, . or .., no trailing /)");
	r->app = s;
	r->app_len = t.vlen;
	return 0;
}

static int gk_cond_sha256(struct gk_parser *p, struct gk_policy_rule *r)
{
	struct gk_tok t;
	int ret;

	ret = gkp_need_tok(p, &t, "expected 64 hex digits after 'sha256'");
	if (ret)
		return ret;
	return gkp_sha256_hex(p, &t, r->app_sha256);
}

static int gk_cond_type(struct gk_parser *p, struct gk_policy_rule *r)
{
	struct gk_tok t;
	int ret = gkp_need_tok(p, &t, "expected a program type");

	if (ret)
		return ret;
	return gkp_type_list(p, &t, true, r->types, &r->n_types, &r->types_numeric);
}

static int gk_cond_attach(struct gk_parser *p, struct gk_policy_rule *r)
{
	struct gk_tok t;
	int ret = gkp_need_tok(p, &t, "expected an attach type");

	if (ret)
		return ret;
	return gkp_type_list(p, &t, false, r->attach, &r->n_attach,
			     &r->attach_numeric);
}

/*
 * The conditions a rule may have.  @same: bits that count as the same
 * condition (a second one is a duplicate); @conflicts: bits that can never
 * hold together with this one (an unsigned program has no manifest, so no
 * publisher, source, confidential flag or bound maps), which would make the
 * rule dead.
 */
static const struct gk_cond {
	const char *word;
	u32 bit, same, conflicts;
	gk_cond_fn parse;	/* NULL: a flag without argument */
} gk_conds[] = {
	{ "signed", GK_POLICY_M_SIGNED,
	  GK_POLICY_M_SIGNED | GK_POLICY_M_UNSIGNED, 0, NULL },
	{ "unsigned", GK_POLICY_M_UNSIGNED,
	  GK_POLICY_M_SIGNED | GK_POLICY_M_UNSIGNED,
	  GK_POLICY_M_PUBLISHER | GK_POLICY_M_SOURCE | GK_POLICY_M_CONFIDENTIAL |
	  GK_POLICY_M_BOUND, NULL },
	{ "publisher", GK_POLICY_M_PUBLISHER, GK_POLICY_M_PUBLISHER,
	  GK_POLICY_M_UNSIGNED, gk_cond_publisher },
	{ "source", GK_POLICY_M_SOURCE, GK_POLICY_M_SOURCE,
	  GK_POLICY_M_UNSIGNED, gk_cond_source },
	{ "app", GK_POLICY_M_APP, GK_POLICY_M_APP, 0, gk_cond_app },
	{ "sha256", GK_POLICY_M_APP_SHA256, GK_POLICY_M_APP_SHA256, 0, gk_cond_sha256 },
	{ "type", GK_POLICY_M_TYPE, GK_POLICY_M_TYPE, 0, gk_cond_type },
	{ "attach", GK_POLICY_M_ATTACH, GK_POLICY_M_ATTACH, 0, gk_cond_attach },
	{ "confidential", GK_POLICY_M_CONFIDENTIAL,
	  GK_POLICY_M_CONFIDENTIAL | GK_POLICY_M_NONCONFIDENTIAL,
	  GK_POLICY_M_UNSIGNED, NULL },
	{ "nonconfidential", GK_POLICY_M_NONCONFIDENTIAL,
	  GK_POLICY_M_CONFIDENTIAL | GK_POLICY_M_NONCONFIDENTIAL, 0, NULL },
	{ "bound", GK_POLICY_M_BOUND, GK_POLICY_M_BOUND | GK_POLICY_M_UNBOUND,
	  GK_POLICY_M_UNSIGNED, NULL },
	{ "unbound", GK_POLICY_M_UNBOUND, GK_POLICY_M_BOUND | GK_POLICY_M_UNBOUND, 0, NULL },
	{ "verifier", GK_POLICY_M_VERIFIER, GK_POLICY_M_VERIFIER, 0, gk_cond_verifier },
};

/* ACTION [CONDITION]...: @act is the action word, already looked up. */
int gkp_parse_rule(struct gk_parser *p, const struct gk_tok *act, u8 action)
{
	struct gk_policy *pol = p->pol;
	struct gk_policy_rule *r;
	u32 attach_col = 0, last = 0, i;
	struct gk_tok t;
	int ret;

	if (pol->n_rules == GK_POLICY_RULES_MAX)
		return gkp_fail(p, -E2BIG, act->col, "more than 1024 rules");
	if (p->catch_all)
		return gkp_fail(p, -EINVAL, act->col,
				"unreachable rule: an earlier rule has no conditions");
	if (pol->n_rules >= p->cap_rules)
		return gkp_fail(p, -EINVAL, act->col, "internal error: miscounted rules");
	r = &pol->rules[pol->n_rules];
	memset(r, 0, sizeof(*r));
	r->number = pol->n_rules + 1;
	r->line = p->line;
	r->action = action;
	r->publisher = GK_NONE;
	r->verifier = GK_NONE;
	for (;;) {
		const struct gk_cond *c = NULL;

		ret = gkp_next_tok(p, &t);
		if (ret < 0)
			return ret;
		if (!ret)
			break;
		for (i = 0; i < GK_ARRAY_SIZE(gk_conds); i++)
			if (gkp_is(&t, gk_conds[i].word))
				c = &gk_conds[i];
		if (!c)
			return gkp_fail(p, -EBADMSG, t.col, "unknown condition in a rule");
		if (r->match & c->same)
			return gkp_fail(p, -EEXIST, t.col, "condition given twice in one rule");
		if (r->match & c->conflicts)
			return gkp_fail(p, -EINVAL, t.col,
					"'unsigned' cannot go with 'publisher', 'source', 'confidential' or 'bound'");
		/* "app PATH sha256 HEX" reads as one condition. */
		if (c->bit == GK_POLICY_M_APP_SHA256 && last != GK_POLICY_M_APP)
			return gkp_fail(p, -EBADMSG, t.col,
					"'sha256' must directly follow 'app PATH'");
		if (c->bit == GK_POLICY_M_ATTACH)
			attach_col = t.col;
		if (c->parse) {
			ret = c->parse(p, r);
			if (ret)
				return ret;
		}
		r->match |= c->bit;
		last = c->bit;
	}
	/*
	 * expected_attach_type is 0 (cgroup_inet_ingress) for every program
	 * type that does not use it, so an attach type means nothing alone.
	 */
	if ((r->match & GK_POLICY_M_ATTACH) && !(r->match & GK_POLICY_M_TYPE))
		return gkp_fail(p, -EINVAL, attach_col, "'attach' needs 'type' in the same rule");
	if (!r->match)
		p->catch_all = true;
	pol->n_rules++;
	return 0;
}
