// SPDX-License-Identifier: GPL-2.0
/*
 * Publisher and verifier declarations of the policy language, and the
 * principal a key belongs to.
 */
#include "internal.h"

/* Which principal (publisher or verifier) holds @key, or -ENOENT. */
static int gk_find_key(const struct gk_policy_principal *pr, u32 n,
		       const u8 *key)
{
	u32 i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < pr[i].n_keys; k++)
			if (!memcmp(pr[i].keys[k], key, GK_POLICY_KEY_SIZE))
				return (int)i;
	return -ENOENT;
}

int gkp_find_name(const struct gk_policy_principal *pr, u32 n,
		  const struct gk_tok *t)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (strlen(pr[i].name) == t->len && !memcmp(pr[i].name, t->s, t->len))
			return (int)i;
	return -ENOENT;
}

/*
 * publisher NAME key HEX [key HEX]...
 * verifier NAME key HEX [key HEX]...
 * A key belongs to at most one publisher (and one verifier): the evaluator
 * maps the key that verified a signature to its owner, which must be a
 * function.
 */
int gkp_parse_principal(struct gk_parser *p, bool publisher)
{
	struct gk_policy *pol = p->pol;
	struct gk_policy_principal *all = publisher ? pol->publishers : pol->verifiers;
	u32 *n = publisher ? &pol->n_publishers : &pol->n_verifiers;
	u32 max = publisher ? GK_POLICY_PUBLISHERS_MAX : GK_POLICY_VERIFIERS_MAX;
	u32 cap = publisher ? p->cap_publishers : p->cap_verifiers;
	struct gk_policy_principal *pr;
	u8 key[GK_POLICY_KEY_SIZE];
	struct gk_tok t;
	int ret;

	if (*n == max)
		return gkp_fail(p, -E2BIG, 1, publisher ? "more than 64 publishers" :
						       "more than 16 verifiers");
	if (*n >= cap)
		return gkp_fail(p, -EINVAL, 1, "internal error: miscounted declarations");
	pr = &all[*n];
	ret = gkp_need_tok(p, &t, publisher ? "expected a publisher name" :
					     "expected a verifier name");
	if (ret)
		return ret;
	ret = gkp_name_tok(p, &t, pr->name);
	if (ret)
		return ret;
	if (gkp_find_name(all, *n, &t) >= 0)
		return gkp_fail(p, -EEXIST, t.col, publisher ?
				"publisher already declared" : "verifier already declared");
	pr->n_keys = 0;
	for (;;) {
		ret = gkp_next_tok(p, &t);
		if (ret < 0)
			return ret;
		if (!ret)
			break;
		if (!gkp_is(&t, "key"))
			return gkp_fail(p, -EBADMSG, t.col, "expected 'key'");
		ret = gkp_need_tok(p, &t, "expected a key's SHA-256 after 'key'");
		if (ret)
			return ret;
		ret = gkp_sha256_hex(p, &t, key);
		if (ret)
			return ret;
		if (pr->n_keys == GK_POLICY_KEYS_MAX)
			return gkp_fail(p, -E2BIG, t.col, "more than 8 keys");
		/* all[*n] is @pr itself: a key repeated in one line too. */
		if (gk_find_key(all, *n + 1, key) >= 0)
			return gkp_fail(p, -EEXIST, t.col, publisher ?
					"key already belongs to a publisher" :
				       "key already belongs to a verifier");
		memcpy(pr->keys[pr->n_keys++], key, GK_POLICY_KEY_SIZE);
	}
	if (!pr->n_keys)
		return gkp_fail(p, -EBADMSG, gkp_eol_col(p), "expected 'key'");
	(*n)++;
	return 0;
}

/**
 * gk_policy_find_publisher() - the publisher a signing key belongs to
 * @pol: the policy
 * @key: the key's fingerprint (docs/policy.md)
 *
 * Context: any.
 * Return: the index into pol->publishers, or -ENOENT.
 */
int gk_policy_find_publisher(const struct gk_policy *pol, const u8 *key)
{
	return gk_find_key(pol->publishers, pol->n_publishers, key);
}

/**
 * gk_policy_find_verifier() - the verifier an attestation key belongs to
 * @pol: the policy
 * @key: the key's fingerprint (docs/policy.md)
 *
 * Context: any.
 * Return: the index into pol->verifiers, or -ENOENT.
 */
int gk_policy_find_verifier(const struct gk_policy *pol, const u8 *key)
{
	return gk_find_key(pol->verifiers, pol->n_verifiers, key);
}
