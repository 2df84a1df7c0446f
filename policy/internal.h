/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of the policy language share with each other and with
 * nothing else: its users include gk_policy.h only.
 *
 *   words.c      keywords and BPF type names
 *   lex.c        lines, tokens, and errors with their line and column
 *   value.c      numbers, SHA-256s, names, app paths and type lists
 *   principal.c  publisher and verifier declarations, and key lookup
 *   revoke.c     the revocation list: its statements and its lookups
 *   rule.c       rules and their conditions
 *   parse.c      the header, the order of statements, the two passes
 *   eval.c       the first-match evaluator
 *   dump.c       the canonical printer
 *   equal.c      equality of parsed policies
 */
#ifndef GK_POLICY_INTERNAL_H
#define GK_POLICY_INTERNAL_H

#include "gk_policy.h"

#define GK_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * words.c.  Each table is indexed by the number its words stand for.  The
 * type tables' lengths are here for the other files; words.c fails to
 * compile if a table's length is not its GK_*_N.
 */
#define GK_PROG_TYPES_N 33	/* through BPF_PROG_TYPE_NETFILTER */
#define GK_ATTACH_TYPES_N 62	/* through BPF_TRACE_FSESSION_MULTI */
extern const char *const gk_prog_types[];
extern const char *const gk_attach_types[];
extern const char *const gk_actions[GK_POLICY_DENY + 1];
extern const char *const gk_modes[GK_POLICY_AUDIT_ONLY + 1];
extern const char *const gk_probes_words[GK_POLICY_PROBES_REFUSED + 1];
extern const char *const gk_source_kinds[GK_POLICY_SOURCE_GLOB + 1];
u32 gkp_lookup(const char *const *tab, u32 n, const char *s, size_t len);

/* Pass 1 fills the policy; pass 0 only counts what pass 1 will need. */
struct gk_parser {
	const char *text;
	size_t len;
	size_t next;		/* offset of the next line */
	size_t bol, eol;	/* the current line is text[bol, eol) */
	size_t cur;		/* the cursor in it */
	u32 line;		/* 1-based number of the current line */
	struct gk_policy_error *err;	/* NULL in pass 0 */
	struct gk_policy *pol;
	u32 cap_publishers, cap_verifiers, cap_rules;
	u32 cap_revoked_digests, cap_revoked_keys;
	char *arena;		/* room for the rules' strings */
	size_t arena_left;
	bool catch_all;		/* a rule without conditions was seen */
};

/* A word or quoted string of the current line. */
struct gk_tok {
	const char *s;		/* a quoted string's opening quote included */
	u32 len;		/* in the text */
	u32 col;		/* 1-based */
	u32 vlen;		/* of the value: a quoted string unescaped */
	bool quoted;
};

/* lex.c */
int gkp_fail_at(struct gk_parser *p, int err, u32 line, u32 col,
		const char *msg);
int gkp_fail(struct gk_parser *p, int err, u32 col, const char *msg);
u32 gkp_eol_col(const struct gk_parser *p);
int gkp_next_line(struct gk_parser *p);
int gkp_next_tok(struct gk_parser *p, struct gk_tok *t);
int gkp_need_tok(struct gk_parser *p, struct gk_tok *t, const char *msg);
int gkp_need_end(struct gk_parser *p);
bool gkp_is(const struct gk_tok *t, const char *word);
void gkp_tok_value(const struct gk_tok *t, char *dst);
int gkp_keyword(struct gk_parser *p, const struct gk_tok *t,
		const char *const *tab, u32 n, const char *msg, u8 *out);

/* value.c */
int gkp_number(struct gk_parser *p, const struct gk_tok *t, u64 max,
	       u64 *out);
int gkp_sha256_hex(struct gk_parser *p, const struct gk_tok *t, u8 *out);
int gkp_name_tok(struct gk_parser *p, const struct gk_tok *t, char *dst);
bool gkp_path_canonical(const char *s, u32 n);
char *gkp_arena(struct gk_parser *p, u32 n);
int gkp_type_list(struct gk_parser *p, const struct gk_tok *t, bool prog,
		  u32 *vals, u8 *n, u8 *numeric);

/* principal.c */
int gkp_find_name(const struct gk_policy_principal *pr, u32 n,
		  const struct gk_tok *t);
int gkp_parse_principal(struct gk_parser *p, bool publisher);

/* revoke.c */
int gkp_parse_revoke(struct gk_parser *p);

/* rule.c */
int gkp_parse_rule(struct gk_parser *p, const struct gk_tok *act, u8 action);

#endif /* GK_POLICY_INTERNAL_H */
