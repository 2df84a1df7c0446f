/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eBPF GateKeeper policy language: parser, evaluator and canonical printer.
 *
 * The same C builds into the kernel module, the tools, the unit tests and
 * the fuzzer, so it follows the rules of core/: no libc beyond the mem*()
 * and str*() helpers, memory only through policy/gk_policy_shim.h, no
 * recursion, no VLAs, no floating point, no mutable global state, and
 * small stack frames.  docs/policy.md and gatekeeper-policy(5) describe the
 * language for people; this header is its only definition for programs.
 *
 * A parsed policy is immutable: gk_policy_eval(), gk_policy_dump() and
 * gk_policy_equal() only read it, so any number of threads (or RCU readers
 * in the kernel) may use one policy at once.
 */
#ifndef GK_POLICY_H
#define GK_POLICY_H

#include "gk_policy_shim.h"

/*
 * Limits.  They bound the kernel memory and the evaluation time one policy
 * can cost.  A line's canonical form (gk_policy_dump()) is never longer
 * than the line it was parsed from, so anything that parses dumps to a text
 * that fits these limits again.
 */
#define GK_POLICY_SIZE_MAX (256 * 1024)	/* bytes of text */
#define GK_POLICY_LINE_MAX 4096		/* bytes per line, without '\n' */
#define GK_POLICY_NAME_MAX 64		/* policy, publisher, verifier names */
#define GK_POLICY_STRING_MAX 1024	/* source patterns (GK_SOURCE_MAX) */
#define GK_POLICY_PATH_MAX 1024		/* app paths */
#define GK_POLICY_PUBLISHERS_MAX 64
#define GK_POLICY_VERIFIERS_MAX 16
#define GK_POLICY_KEYS_MAX 8		/* keys per publisher or verifier */
#define GK_POLICY_RULES_MAX 1024
#define GK_POLICY_LIST_MAX 8		/* values of one 'type' or 'attach' */
/*
 * Revoked digests and keys together, a revoked publisher counting its
 * keys.  At one statement a line, 2048 fit in GK_POLICY_SIZE_MAX with room
 * to spare, so the limit is one a policy can reach.
 */
#define GK_POLICY_REVOKED_MAX 2048

#define GK_POLICY_KEY_SIZE 32		/* key fingerprint (docs/policy.md) */
#define GK_POLICY_SHA256_SIZE 32

/* Actions; the numbers are also the order of the verdict's severity. */
enum gk_policy_action {
	GK_POLICY_ALLOW = 1,
	GK_POLICY_AUDIT = 2,	/* admit and log */
	GK_POLICY_DENY = 3,
};

enum gk_policy_mode {
	GK_POLICY_ENFORCE = 1,	/* deny means EPERM */
	GK_POLICY_AUDIT_ONLY = 2,	/* deny is logged and admitted */
};

/* The "probes" declaration: whether the loader probe catalogue may admit. */
enum gk_policy_probes {
	GK_POLICY_PROBES_UNSET = 0,	/* as the operator set it */
	GK_POLICY_PROBES_TRUSTED = 1,	/* the same, said explicitly */
	GK_POLICY_PROBES_REFUSED = 2,	/* never, while the policy is active */
};

enum gk_policy_source_kind {
	GK_POLICY_SOURCE_EXACT = 1,
	GK_POLICY_SOURCE_PREFIX = 2,
	GK_POLICY_SOURCE_GLOB = 3,
};

/* Which conditions a rule has (struct gk_policy_rule.match). */
#define GK_POLICY_M_SIGNED		(1U << 0)
#define GK_POLICY_M_UNSIGNED		(1U << 1)
#define GK_POLICY_M_PUBLISHER		(1U << 2)
#define GK_POLICY_M_SOURCE		(1U << 3)
#define GK_POLICY_M_APP			(1U << 4)
#define GK_POLICY_M_APP_SHA256		(1U << 5)
#define GK_POLICY_M_TYPE		(1U << 6)
#define GK_POLICY_M_ATTACH		(1U << 7)
#define GK_POLICY_M_CONFIDENTIAL	(1U << 8)
#define GK_POLICY_M_NONCONFIDENTIAL	(1U << 9)
#define GK_POLICY_M_VERIFIER		(1U << 10)
#define GK_POLICY_M_BOUND		(1U << 11)
#define GK_POLICY_M_UNBOUND		(1U << 12)

/* A publisher or a verifier: a name and the keys that speak for it. */
struct gk_policy_principal {
	char name[GK_POLICY_NAME_MAX + 1];	/* NUL-terminated */
	u32 n_keys;
	u8 keys[GK_POLICY_KEYS_MAX][GK_POLICY_KEY_SIZE];
};

struct gk_policy_rule {
	u32 number;		/* 1-based, in text order: for logs */
	u32 line;		/* where it was written */
	u32 match;		/* GK_POLICY_M_* */
	u8 action;		/* enum gk_policy_action */
	u8 source_kind;		/* enum gk_policy_source_kind */
	u8 n_types, n_attach;
	/* Bit i set: types[i] (attach[i]) was written as a number. */
	u8 types_numeric, attach_numeric;
	u16 publisher;		/* index into gk_policy.publishers */
	u16 verifier;		/* index into gk_policy.verifiers */
	u32 types[GK_POLICY_LIST_MAX];	/* BPF_PROG_TYPE_* */
	u32 attach[GK_POLICY_LIST_MAX];	/* BPF_* attach types */
	u32 source_len, app_len;
	const char *source;	/* not NUL-terminated */
	const char *app;	/* not NUL-terminated */
	u8 app_sha256[GK_POLICY_SHA256_SIZE];
};

/* A parsed policy: one allocation, read-only once gk_policy_parse() returns. */
struct gk_policy {
	char name[GK_POLICY_NAME_MAX + 1];
	u64 version;		/* may only grow: the loader refuses rollback */
	u8 default_action;	/* enum gk_policy_action */
	u8 mode;		/* enum gk_policy_mode */
	u8 probes;		/* enum gk_policy_probes */
	u32 n_publishers, n_verifiers, n_rules;
	struct gk_policy_principal *publishers;
	struct gk_policy_principal *verifiers;
	struct gk_policy_rule *rules;
	/*
	 * The revocation list: the program digests ("revoke digest") and
	 * signer key fingerprints ("revoke key", and the keys of each
	 * "revoke publisher") no manifest may be admitted by.  Each array is
	 * sorted (memcmp() order) and holds no value twice, for
	 * gk_policy_revokes_digest() and gk_policy_revokes_key().
	 */
	u32 n_revoked_digests, n_revoked_keys;
	u8 (*revoked_digests)[GK_POLICY_SHA256_SIZE];
	u8 (*revoked_keys)[GK_POLICY_KEY_SIZE];
	/* Bit i: "revoke publisher" of publishers[i]; its keys are in revoked_keys. */
	u64 revoked_publishers;
};

/* Where and why gk_policy_parse() failed. */
struct gk_policy_error {
	u32 line;		/* 1-based; 0: the text as a whole */
	u32 column;		/* 1-based byte column; 0 with line 0 */
	const char *msg;	/* static, never NULL after a failure */
};

/*
 * What is known about one BPF_PROG_LOAD.  Strings are not NUL-terminated;
 * a NULL pointer means "absent", which no string condition matches.
 */
struct gk_eval_input {
	u32 prog_type;		/* bpf_attr.prog_type */
	u32 attach_type;	/* bpf_attr.expected_attach_type */
	/*
	 * The program's digest matched a manifest whose PKCS#7 signature
	 * verified.  Everything below that comes from the manifest (source,
	 * confidential) or its signature (signer_key) is ignored when false:
	 * an unsigned program has no manifest.
	 */
	bool is_signed;
	/*
	 * Fingerprint (docs/policy.md) of the .gatekeeper key that vouched
	 * for the signature: this, never the manifest's publisher
	 * string, decides the publisher.  NULL: not known.
	 */
	const u8 *signer_key;
	const char *source;	/* the manifest's provenance URI */
	u32 source_len;
	bool confidential;	/* the manifest's confidential flag */
	bool maps_bound;	/* the manifest binds maps and read-only data (version 3) */
	const char *app;	/* canonical path of the loading executable */
	u32 app_len;
	const u8 *app_sha256;	/* SHA-256 of its contents; NULL: unknown */
	/*
	 * Fingerprint (docs/policy.md) of the verifier key that signed
	 * the current, fresh TEE attestation; NULL: none.
	 */
	const u8 *attestation_key;
};

struct gk_verdict {
	u8 action;		/* enum gk_policy_action */
	u32 rule;		/* number of the matching rule; 0: the default */
	const char *reason;	/* static, short, for logs */
};

int gk_policy_parse(const char *text, size_t len, struct gk_policy **out,
		    struct gk_policy_error *err);
void gk_policy_free(struct gk_policy *pol);
int gk_policy_eval(const struct gk_policy *pol, const struct gk_eval_input *in,
		   struct gk_verdict *v);
int gk_policy_dump(const struct gk_policy *pol, char *buf, size_t size,
		   size_t *len);
bool gk_policy_equal(const struct gk_policy *a, const struct gk_policy *b);

int gk_policy_find_publisher(const struct gk_policy *pol, const u8 *key);
int gk_policy_find_verifier(const struct gk_policy *pol, const u8 *key);
bool gk_policy_revokes_digest(const struct gk_policy *pol, const u8 *digest);
bool gk_policy_revokes_key(const struct gk_policy *pol, const u8 *key);
bool gk_policy_revokes_publisher(const struct gk_policy *pol, u32 publisher);
bool gk_policy_glob_match(const char *pat, size_t plen, const char *s,
			  size_t slen);
const char *gk_policy_action_name(u32 action);
const char *gk_policy_prog_type_name(u32 type);
const char *gk_policy_attach_type_name(u32 type);

#endif /* GK_POLICY_H */
