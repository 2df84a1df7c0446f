// SPDX-License-Identifier: GPL-2.0
/*
 * The evaluator of the policy language: the first matching rule decides.
 */
#include "internal.h"

/**
 * gk_policy_glob_match() - match a string against a '*' and '?' pattern
 * @pat: the pattern; '*' matches any run of bytes, '/' included, and '?'
 *       exactly one byte; every other byte matches itself
 * @plen: its length
 * @s: the string
 * @slen: its length
 *
 * The classic two-pointer matcher: on a mismatch it only retries from the
 * last '*', so time is O(plen * slen) at worst, never exponential, and
 * there is no recursion.
 *
 * Context: any.
 * Return: whether the whole of @s matches the whole of @pat.
 */
bool gk_policy_glob_match(const char *pat, size_t plen, const char *s,
			  size_t slen)
{
	size_t pi = 0, si = 0, star = 0, mark = 0;
	bool have_star = false;

	while (si < slen) {
		if (pi < plen && pat[pi] == '*') {
			have_star = true;
			star = pi++;
			mark = si;
		} else if (pi < plen && (pat[pi] == '?' || pat[pi] == s[si])) {
			pi++;
			si++;
		} else if (have_star) {
			pi = star + 1;
			si = ++mark;
		} else {
			return false;
		}
	}
	while (pi < plen && pat[pi] == '*')
		pi++;
	return pi == plen;
}

static bool gk_in_list(const u32 *vals, u32 n, u32 v)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (vals[i] == v)
			return true;
	return false;
}

static bool gk_source_matches(const struct gk_policy_rule *r, const char *s,
			      u32 n)
{
	switch (r->source_kind) {
	case GK_POLICY_SOURCE_EXACT:
		return n == r->source_len && !memcmp(s, r->source, n);
	case GK_POLICY_SOURCE_PREFIX:
		return n >= r->source_len && !memcmp(s, r->source, r->source_len);
	case GK_POLICY_SOURCE_GLOB:
		return gk_policy_glob_match(r->source, r->source_len, s, n);
	}
	return false;
}

/*
 * @pub and @ver: the publisher and verifier the input's keys belong to, or
 * negative.  @sig: the program is signed, so manifest fields are valid.
 */
static bool gk_rule_matches(const struct gk_policy_rule *r,
			    const struct gk_eval_input *in, bool sig, int pub,
			    int ver)
{
	u32 m = r->match;
	bool conf = sig && in->confidential;
	bool bound = sig && in->maps_bound;

	if ((m & GK_POLICY_M_SIGNED) && !sig)
		return false;
	if ((m & GK_POLICY_M_UNSIGNED) && sig)
		return false;
	if ((m & GK_POLICY_M_PUBLISHER) && (pub < 0 || (u32)pub != r->publisher))
		return false;
	if ((m & GK_POLICY_M_VERIFIER) && (ver < 0 || (u32)ver != r->verifier))
		return false;
	if ((m & GK_POLICY_M_SOURCE) &&
	    (!sig || !in->source || !gk_source_matches(r, in->source, in->source_len)))
		return false;
	if ((m & GK_POLICY_M_APP) &&
	    (!in->app || in->app_len != r->app_len ||
	     memcmp(in->app, r->app, r->app_len)))
		return false;
	if ((m & GK_POLICY_M_APP_SHA256) &&
	    (!in->app_sha256 ||
	     memcmp(in->app_sha256, r->app_sha256, GK_POLICY_SHA256_SIZE)))
		return false;
	if ((m & GK_POLICY_M_TYPE) && !gk_in_list(r->types, r->n_types, in->prog_type))
		return false;
	if ((m & GK_POLICY_M_ATTACH) &&
	    !gk_in_list(r->attach, r->n_attach, in->attach_type))
		return false;
	if ((m & GK_POLICY_M_CONFIDENTIAL) && !conf)
		return false;
	if ((m & GK_POLICY_M_NONCONFIDENTIAL) && conf)
		return false;
	if ((m & GK_POLICY_M_BOUND) && !bound)
		return false;
	if ((m & GK_POLICY_M_UNBOUND) && bound)
		return false;
	return true;
}

/**
 * gk_policy_eval() - decide one program load: the first matching rule
 * @pol: the policy
 * @in: what is known about the load
 * @v: the verdict: its action, the rule's number (0: the default action)
 *     and a static reason; always filled, with deny on error
 *
 * The publisher is the one @in->signer_key belongs to, never a name the
 * manifest claims.  The policy's mode is not applied here: in audit mode
 * the caller admits and logs what this denies.
 *
 * Context: any; does not sleep or allocate.
 * Return: 0, or -EINVAL if @in has a length without its string (the
 * verdict is then deny).
 */
int gk_policy_eval(const struct gk_policy *pol, const struct gk_eval_input *in,
		   struct gk_verdict *v)
{
	bool sig = in->is_signed;
	int pub = -ENOENT, ver = -ENOENT;
	u32 i;

	if ((in->source_len && !in->source) || (in->app_len && !in->app)) {
		v->action = GK_POLICY_DENY;
		v->rule = 0;
		v->reason = "invalid evaluation input";
		return -EINVAL;
	}
	if (sig && in->signer_key)
		pub = gk_policy_find_publisher(pol, in->signer_key);
	if (in->attestation_key)
		ver = gk_policy_find_verifier(pol, in->attestation_key);
	for (i = 0; i < pol->n_rules; i++) {
		const struct gk_policy_rule *r = &pol->rules[i];

		if (gk_rule_matches(r, in, sig, pub, ver)) {
			v->action = r->action;
			v->rule = r->number;
			v->reason = "matched a rule";
			return 0;
		}
	}
	v->action = pol->default_action;
	v->rule = 0;
	v->reason = "no rule matched: default action";
	return 0;
}
