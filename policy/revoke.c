// SPDX-License-Identifier: GPL-2.0
/*
 * The revocation list of the policy language: "revoke digest", "revoke
 * key" and "revoke publisher" declarations, and the lookups the gate makes
 * on every program load and manifest registration.
 *
 * Each list is kept sorted as it is parsed (binary search, then one
 * memmove() to insert), so that a duplicate is found, and reported at its
 * own line and column, as it is read, and the lookups are a binary search
 * of the immutable policy: O(log n), no allocation, no lock.
 */
#include "internal.h"

/* revoked_publishers is a u64 bitmap over the publishers. */
_Static_assert(GK_POLICY_PUBLISHERS_MAX <= 64, "publisher bitmap");
_Static_assert(GK_POLICY_KEY_SIZE == GK_POLICY_SHA256_SIZE, "one entry size");

#define GK_ENTRY GK_POLICY_SHA256_SIZE

/*
 * Where @v is in the sorted @arr of @n entries, or where it would go.
 * Return: whether it is there.
 */
static bool gk_search(const u8 (*arr)[GK_ENTRY], u32 n, const u8 *v, u32 *at)
{
	u32 lo = 0, hi = n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		int c = memcmp(arr[mid], v, GK_ENTRY);

		if (!c) {
			*at = mid;
			return true;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return false;
}

/* Insert @v into the sorted @arr; false if it is there already. */
static bool gk_insert(u8 (*arr)[GK_ENTRY], u32 *n, const u8 *v)
{
	u32 at;

	if (gk_search((const u8 (*)[GK_ENTRY])arr, *n, v, &at))
		return false;
	memmove(arr[at + 1], arr[at], (size_t)(*n - at) * GK_ENTRY);
	memcpy(arr[at], v, GK_ENTRY);
	(*n)++;
	return true;
}

static u32 gk_revoked(const struct gk_policy *pol)
{
	return pol->n_revoked_digests + pol->n_revoked_keys;
}

/* revoke digest HEX64, revoke key HEX64 */
static int gk_revoke_value(struct gk_parser *p, bool digest)
{
	struct gk_policy *pol = p->pol;
	u8 v[GK_ENTRY];
	struct gk_tok t;
	int ret;

	ret = gkp_need_tok(p, &t, digest ? "expected a program's SHA-256 after 'revoke digest'" :
					  "expected a key's SHA-256 after 'revoke key'");
	if (ret)
		return ret;
	ret = gkp_sha256_hex(p, &t, v);
	if (ret)
		return ret;
	if (gk_revoked(pol) == GK_POLICY_REVOKED_MAX)
		return gkp_fail(p, -E2BIG, t.col, "more than 2048 revocations");
	if ((digest ? pol->n_revoked_digests >= p->cap_revoked_digests :
		      pol->n_revoked_keys >= p->cap_revoked_keys))
		return gkp_fail(p, -EINVAL, t.col, "internal error: miscounted revocations");
	if (!gk_insert(digest ? pol->revoked_digests : pol->revoked_keys,
		       digest ? &pol->n_revoked_digests : &pol->n_revoked_keys, v))
		return gkp_fail(p, -EEXIST, t.col, digest ? "digest already revoked" :
				"key already revoked");
	return gkp_need_end(p);
}

/*
 * revoke publisher NAME: all of NAME's keys, as they are declared above.
 * The keys are resolved here, once; the bit keeps the statement for the
 * canonical text.
 */
static int gk_revoke_publisher(struct gk_parser *p)
{
	struct gk_policy *pol = p->pol;
	const struct gk_policy_principal *pr;
	struct gk_tok t;
	u32 k, at;
	int ret;

	ret = gkp_need_tok(p, &t, "expected a publisher name");
	if (ret)
		return ret;
	ret = gkp_find_name(pol->publishers, pol->n_publishers, &t);
	if (ret < 0)
		return gkp_fail(p, -ENOENT, t.col, "undeclared publisher");
	pr = &pol->publishers[ret];
	if (gk_revoked(pol) + pr->n_keys > GK_POLICY_REVOKED_MAX)
		return gkp_fail(p, -E2BIG, t.col, "more than 2048 revocations");
	if (pol->n_revoked_keys + pr->n_keys > p->cap_revoked_keys)
		return gkp_fail(p, -EINVAL, t.col, "internal error: miscounted revocations");
	if (pol->revoked_publishers & (1ULL << ret))
		return gkp_fail(p, -EEXIST, t.col, "publisher already revoked");
	/* Check all first: a failed statement leaves nothing behind. */
	for (k = 0; k < pr->n_keys; k++)
		if (gk_search((const u8 (*)[GK_ENTRY])pol->revoked_keys, pol->n_revoked_keys,
			      pr->keys[k], &at))
			return gkp_fail(p, -EEXIST, t.col, "a key of this publisher is already revoked");
	for (k = 0; k < pr->n_keys; k++)
		gk_insert(pol->revoked_keys, &pol->n_revoked_keys, pr->keys[k]);
	pol->revoked_publishers |= 1ULL << ret;
	return gkp_need_end(p);
}

/*
 * revoke digest HEX64 | revoke key HEX64 | revoke publisher NAME
 * A value revoked twice, by whatever statement, is EEXIST: the list is a
 * set, and a repetition is most likely a mistake in a list kept by hand.
 */
int gkp_parse_revoke(struct gk_parser *p)
{
	struct gk_tok t;
	int ret;

	ret = gkp_need_tok(p, &t, "expected digest, key or publisher after 'revoke'");
	if (ret)
		return ret;
	if (gkp_is(&t, "digest"))
		return gk_revoke_value(p, true);
	if (gkp_is(&t, "key"))
		return gk_revoke_value(p, false);
	if (gkp_is(&t, "publisher"))
		return gk_revoke_publisher(p);
	return gkp_fail(p, -EBADMSG, t.col, "expected digest, key or publisher after 'revoke'");
}

/**
 * gk_policy_revokes_digest() - whether the policy revokes a program digest
 * @pol: the policy
 * @digest: the program's digest (32 bytes), as a manifest binds it
 *
 * A revoked digest is admitted by no signature: the gate refuses its
 * registration and its loads, whatever rule, default or loader probe
 * would admit it (docs/policy.md, "Revocation").
 *
 * Context: any; does not sleep or allocate.
 * Return: true if a "revoke digest" names @digest.
 */
bool gk_policy_revokes_digest(const struct gk_policy *pol, const u8 *digest)
{
	u32 at;

	return gk_search((const u8 (*)[GK_ENTRY])pol->revoked_digests,
			 pol->n_revoked_digests, digest, &at);
}

/**
 * gk_policy_revokes_key() - whether the policy revokes a signer key
 * @pol: the policy
 * @key: the fingerprint (docs/policy.md, 32 bytes) of the .gatekeeper key
 *       that vouched for a manifest's signature
 *
 * A manifest such a key vouched for admits nothing: the program counts as
 * unsigned, and registering the manifest fails.  Keys of a "revoke
 * publisher" are included.
 *
 * Context: any; does not sleep or allocate.
 * Return: true if @key is revoked.
 */
bool gk_policy_revokes_key(const struct gk_policy *pol, const u8 *key)
{
	u32 at;

	return gk_search((const u8 (*)[GK_ENTRY])pol->revoked_keys,
			 pol->n_revoked_keys, key, &at);
}

/**
 * gk_policy_revokes_publisher() - whether a publisher is revoked as a whole
 * @pol: the policy
 * @publisher: an index into pol->publishers
 *
 * For printing the policy: the decision asks gk_policy_revokes_key().
 *
 * Context: any.
 * Return: true if "revoke publisher" names publishers[@publisher].
 */
bool gk_policy_revokes_publisher(const struct gk_policy *pol, u32 publisher)
{
	return publisher < pol->n_publishers && (pol->revoked_publishers >> publisher) & 1;
}
