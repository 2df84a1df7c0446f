// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the policy language (policy/).
 *
 * For any input, gk_policy_parse() either fails with a documented errno, a
 * message and a position inside the text, leaving *out NULL; or it
 * succeeds, and then:
 *  - the dump is no longer than the input (plus a final newline), parses
 *    again to an equal policy, and that dumps to the same bytes;
 *  - for every rule, an input built to meet exactly that rule's conditions
 *    is decided by that rule or an earlier one (first match), with the
 *    same verdict from the re-parsed policy;
 *  - a few inputs made from the fuzz data get the same verdict from both;
 *  - every glob pattern matches itself and agrees with a dynamic-programming
 *    oracle on short strings;
 *  - the revocation lists are strictly sorted, each entry (and each key of
 *    a revoked publisher) is found by its lookup, and lookups of values
 *    from the data agree with a linear scan.
 * A broken invariant aborts, which libFuzzer reports as a crash.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined -Icore -Ipolicy
 *        tests/fuzz/fuzz_policy.c policy/[a-z]*.c  (tests/policy/run)
 */
#include <stdio.h>
#include <stdlib.h>

#include "gk_policy.h"

#define ORACLE_MAX 48

static void __attribute__((noreturn)) broken(const char *what)
{
	fprintf(stderr, "fuzz_policy: invariant broken: %s\n", what);
	abort();
}

static bool documented(int err)
{
	switch (err) {
	case -EILSEQ: case -ENAMETOOLONG: case -E2BIG: case -EBADMSG:
	case -ERANGE: case -EEXIST: case -ENOENT: case -EINVAL: case -ENODATA:
		return true;
	}
	return false;
}

static u32 count_lines(const u8 *data, size_t size)
{
	u32 n = 1;
	size_t i;

	for (i = 0; i < size; i++)
		n += data[i] == '\n';
	return n;
}

static bool glob_oracle(const char *p, size_t pn, const char *s, size_t sn)
{
	static bool m[ORACLE_MAX + 1][ORACLE_MAX + 1];
	size_t i, j;

	for (i = 0; i <= pn; i++)
		for (j = 0; j <= sn; j++)
			m[i][j] = !i ? !j :
				  p[i - 1] == '*' ? m[i - 1][j] || (j && m[i][j - 1]) :
				  j && m[i - 1][j - 1] && (p[i - 1] == '?' || p[i - 1] == s[j - 1]);
	return m[pn][sn];
}

static void check_glob(const struct gk_policy_rule *r, const u8 *data, size_t size)
{
	size_t off, n;

	if (!gk_policy_glob_match(r->source, r->source_len, r->source, r->source_len))
		broken("a glob does not match itself");
	if (r->source_len > ORACLE_MAX)
		return;
	for (off = 0; off < size && off < 64; off += 16) {
		n = size - off < ORACLE_MAX ? size - off : ORACLE_MAX;
		if (gk_policy_glob_match(r->source, r->source_len, (const char *)data + off, n) !=
		    glob_oracle(r->source, r->source_len, (const char *)data + off, n))
			broken("glob disagrees with the oracle");
	}
}

static void same_verdict(const struct gk_policy *a, const struct gk_policy *b,
			 const struct gk_eval_input *in, struct gk_verdict *va)
{
	struct gk_verdict vb;

	if (gk_policy_eval(a, in, va) || gk_policy_eval(b, in, &vb))
		broken("eval failed on a valid input");
	if (va->action != vb.action || va->rule != vb.rule)
		broken("re-parsed policy decides differently");
	if (va->rule > a->n_rules || !va->reason || !gk_policy_action_name(va->action))
		broken("verdict out of range");
	if (!va->rule && va->action != a->default_action)
		broken("rule 0 without the default action");
}

/* An input that meets every condition of @r, and nothing more. */
static void input_for(const struct gk_policy *pol, const struct gk_policy_rule *r,
		      struct gk_eval_input *in)
{
	u32 m = r->match;

	memset(in, 0, sizeof(*in));
	in->prog_type = (m & GK_POLICY_M_TYPE) ? r->types[0] : 0;
	in->attach_type = (m & GK_POLICY_M_ATTACH) ? r->attach[0] : 0;
	in->is_signed = m & (GK_POLICY_M_SIGNED | GK_POLICY_M_PUBLISHER |
			     GK_POLICY_M_SOURCE | GK_POLICY_M_CONFIDENTIAL);
	if (m & GK_POLICY_M_PUBLISHER)
		in->signer_key = pol->publishers[r->publisher].keys[0];
	if (m & GK_POLICY_M_VERIFIER)
		in->attestation_key = pol->verifiers[r->verifier].keys[0];
	/* A glob matches itself literally: '*' and '?' match themselves too. */
	if (m & GK_POLICY_M_SOURCE) {
		in->source = r->source;
		in->source_len = r->source_len;
	}
	if (m & GK_POLICY_M_APP) {
		in->app = r->app;
		in->app_len = r->app_len;
	}
	if (m & GK_POLICY_M_APP_SHA256)
		in->app_sha256 = r->app_sha256;
	in->confidential = m & GK_POLICY_M_CONFIDENTIAL;
}

/* The linear scan the binary search must agree with. */
static bool in_list(const u8 (*v)[32], u32 n, const u8 *x)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (!memcmp(v[i], x, 32))
			return true;
	return false;
}

static void check_revoked(const struct gk_policy *pol, const u8 *data, size_t size)
{
	const u8 (*dig)[32] = (const u8 (*)[32])pol->revoked_digests;
	const u8 (*key)[32] = (const u8 (*)[32])pol->revoked_keys;
	size_t off;
	u32 i, k;

	if (pol->n_revoked_digests + pol->n_revoked_keys > GK_POLICY_REVOKED_MAX)
		broken("more revocations than the limit");
	for (i = 0; i < pol->n_revoked_digests; i++)
		if ((i && memcmp(dig[i - 1], dig[i], 32) >= 0) ||
		    !gk_policy_revokes_digest(pol, dig[i]))
			broken("revoked digests unsorted, or one not found");
	for (i = 0; i < pol->n_revoked_keys; i++)
		if ((i && memcmp(key[i - 1], key[i], 32) >= 0) || !gk_policy_revokes_key(pol, key[i]))
			broken("revoked keys unsorted, or one not found");
	for (i = 0; i < pol->n_publishers; i++)
		for (k = 0; gk_policy_revokes_publisher(pol, i) && k < pol->publishers[i].n_keys; k++)
			if (!gk_policy_revokes_key(pol, pol->publishers[i].keys[k]))
				broken("a key of a revoked publisher is not revoked");
	for (off = 0; off + 32 <= size && off < 256; off += 8)
		if (gk_policy_revokes_digest(pol, data + off) != in_list(dig, pol->n_revoked_digests, data + off) ||
		    gk_policy_revokes_key(pol, data + off) != in_list(key, pol->n_revoked_keys, data + off))
			broken("a lookup disagrees with a linear scan");
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct gk_policy *a = (void *)1, *b = NULL;
	struct gk_policy_error e;
	struct gk_eval_input in;
	struct gk_verdict v;
	char *d1 = NULL, *d2 = NULL;
	size_t l1, l2;
	u32 i;
	int ret;

	ret = gk_policy_parse((const char *)data, size, &a, &e);
	if (ret) {
		if (!documented(ret) || a || !e.msg)
			broken("failure without a documented errno and message");
		if (e.line > count_lines(data, size) + 1 ||
		    e.column > GK_POLICY_LINE_MAX + 1 || (!e.line && e.column) ||
		    (e.line && !e.column))
			broken("error position outside the text");
		return 0;
	}

	if (gk_policy_dump(a, NULL, 0, &l1) != (l1 ? -ENOSPC : 0))
		broken("dump size query");
	if (l1 > size + 1)
		broken("dump longer than the text it came from");
	d1 = malloc(l1 + 1);
	if (gk_policy_dump(a, d1, l1 + 1, &l2) || l2 != l1 || strlen(d1) != l1)
		broken("dump");
	ret = gk_policy_parse(d1, l1, &b, &e);
	if (ret) {
		fprintf(stderr, "%u:%u: %s\n%s", e.line, e.column, e.msg, d1);
		broken("the dump does not parse");
	}
	if (!gk_policy_equal(a, b) || !gk_policy_equal(b, a))
		broken("the dump parses to another policy");
	d2 = malloc(l1 + 1);
	if (gk_policy_dump(b, d2, l1 + 1, &l2) || l2 != l1 || memcmp(d1, d2, l1))
		broken("the dump is not a fixed point");

	check_revoked(a, data, size);
	for (i = 0; i < a->n_rules; i++) {
		const struct gk_policy_rule *r = &a->rules[i];

		input_for(a, r, &in);
		same_verdict(a, b, &in, &v);
		if (!v.rule || v.rule > r->number)
			broken("a rule's own input is not decided by it or an earlier rule");
		if (v.rule == r->number && v.action != r->action)
			broken("wrong action for the matching rule");
		if ((r->match & GK_POLICY_M_SOURCE) &&
		    r->source_kind == GK_POLICY_SOURCE_GLOB)
			check_glob(r, data, size);
	}

	/* Inputs from the data itself. */
	memset(&in, 0, sizeof(in));
	in.prog_type = size ? data[0] % 40 : 0;
	in.attach_type = size > 1 ? data[1] % 64 : 0;
	in.is_signed = size > 2 && (data[2] & 1);
	in.confidential = size > 2 && (data[2] & 2);
	in.source = (const char *)data;
	in.source_len = size < GK_POLICY_STRING_MAX ? size : GK_POLICY_STRING_MAX;
	in.app = (const char *)data;
	in.app_len = size < 64 ? size : 64;
	if (a->n_publishers)
		in.signer_key = a->publishers[size % a->n_publishers].keys[0];
	same_verdict(a, b, &in, &v);
	in.signer_key = size >= 32 ? data : NULL;
	in.attestation_key = size >= 64 ? data + 32 : NULL;
	in.app_sha256 = size >= 32 ? data + size - 32 : NULL;
	same_verdict(a, b, &in, &v);

	free(d1);
	free(d2);
	gk_policy_free(a);
	gk_policy_free(b);
	return 0;
}
