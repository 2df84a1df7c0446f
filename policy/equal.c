// SPDX-License-Identifier: GPL-2.0
/*
 * Equality of parsed policies: what the canonical printer's round trip
 * (gk_policy_dump()) promises.
 */
#include "internal.h"

static bool gk_principals_equal(const struct gk_policy_principal *a,
				const struct gk_policy_principal *b, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (strcmp(a[i].name, b[i].name) || a[i].n_keys != b[i].n_keys ||
		    memcmp(a[i].keys, b[i].keys, a[i].n_keys * GK_POLICY_KEY_SIZE))
			return false;
	return true;
}

static bool gk_rules_equal(const struct gk_policy_rule *a,
			   const struct gk_policy_rule *b)
{
	u32 m = a->match;

	if (a->number != b->number || m != b->match || a->action != b->action)
		return false;
	if ((m & GK_POLICY_M_PUBLISHER) && a->publisher != b->publisher)
		return false;
	if ((m & GK_POLICY_M_VERIFIER) && a->verifier != b->verifier)
		return false;
	if ((m & GK_POLICY_M_SOURCE) &&
	    (a->source_kind != b->source_kind || a->source_len != b->source_len ||
	     memcmp(a->source, b->source, a->source_len)))
		return false;
	if ((m & GK_POLICY_M_APP) &&
	    (a->app_len != b->app_len || memcmp(a->app, b->app, a->app_len)))
		return false;
	if ((m & GK_POLICY_M_APP_SHA256) &&
	    memcmp(a->app_sha256, b->app_sha256, GK_POLICY_SHA256_SIZE))
		return false;
	if ((m & GK_POLICY_M_TYPE) &&
	    (a->n_types != b->n_types ||
	     memcmp(a->types, b->types, a->n_types * sizeof(a->types[0]))))
		return false;
	if ((m & GK_POLICY_M_ATTACH) &&
	    (a->n_attach != b->n_attach ||
	     memcmp(a->attach, b->attach, a->n_attach * sizeof(a->attach[0]))))
		return false;
	return true;
}

/**
 * gk_policy_equal() - whether two policies mean the same
 * @a: a policy
 * @b: another
 *
 * Compares everything that affects a decision, the header and the order of
 * rules and declarations included; not the line numbers or spelling.  The
 * revocation lists compare as sets (they are sorted), and "revoke
 * publisher P" differs from "revoke key" of each of P's keys, as their
 * canonical texts do.
 *
 * Context: any.
 * Return: true if equal.
 */
bool gk_policy_equal(const struct gk_policy *a, const struct gk_policy *b)
{
	u32 i;

	if (strcmp(a->name, b->name) || a->version != b->version ||
	    a->default_action != b->default_action || a->mode != b->mode ||
	    a->probes != b->probes ||
	    a->n_publishers != b->n_publishers || a->n_verifiers != b->n_verifiers ||
	    a->n_rules != b->n_rules)
		return false;
	if (!gk_principals_equal(a->publishers, b->publishers, a->n_publishers) ||
	    !gk_principals_equal(a->verifiers, b->verifiers, a->n_verifiers))
		return false;
	/* Sorted sets: equal as sets when equal as arrays. */
	if (a->n_revoked_digests != b->n_revoked_digests ||
	    a->n_revoked_keys != b->n_revoked_keys ||
	    a->revoked_publishers != b->revoked_publishers ||
	    memcmp(a->revoked_digests, b->revoked_digests,
		   (size_t)a->n_revoked_digests * GK_POLICY_SHA256_SIZE) ||
	    memcmp(a->revoked_keys, b->revoked_keys,
		   (size_t)a->n_revoked_keys * GK_POLICY_KEY_SIZE))
		return false;
	for (i = 0; i < a->n_rules; i++)
		if (!gk_rules_equal(&a->rules[i], &b->rules[i]))
			return false;
	return true;
}
