// SPDX-License-Identifier: GPL-2.0
/*
 * The policy language (docs/policy.md): a strict line-based parser, a
 * first-match evaluator and a canonical printer.
 *
 * Parsing takes two passes over the text, as gk_bundle_parse() does: pass 0
 * only counts statements, so that the parsed policy is one exactly sized
 * allocation (one free, no unwinding of partial lists); pass 1 checks
 * everything and fills it.  Every error names its line and column, and the
 * first error in text order is the one reported.
 */
#include "gk_format.h"
#include "gk_policy.h"

#define GK_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define GK_NONE 0xffff		/* no publisher / verifier index */

/* A source condition can name any source a manifest can carry. */
_Static_assert(GK_POLICY_STRING_MAX == GK_SOURCE_MAX, "source limit");
/* types_numeric and attach_numeric are u8 bitmaps over a list. */
_Static_assert(GK_POLICY_LIST_MAX <= 8, "list bitmap");
_Static_assert(GK_POLICY_PUBLISHERS_MAX < GK_NONE &&
	       GK_POLICY_VERIFIERS_MAX < GK_NONE, "u16 indices");

/*
 * Program and attach type names: the kernel's enum names, lower case and
 * without the BPF_PROG_TYPE_ / BPF_ prefix, as libbpf and bpftool print
 * them.  The index is the uapi number, which is ABI and never changes;
 * tests/policy/test_policy.c checks both tables against linux/bpf.h.
 * Types newer than these tables can still be written as numbers.
 */
static const char *const gk_prog_types[] = {
	NULL,					/* 0 */
	"socket_filter",			/* 1 */
	"kprobe",				/* 2 */
	"sched_cls",				/* 3 */
	"sched_act",				/* 4 */
	"tracepoint",				/* 5 */
	"xdp",					/* 6 */
	"perf_event",				/* 7 */
	"cgroup_skb",				/* 8 */
	"cgroup_sock",				/* 9 */
	"lwt_in",				/* 10 */
	"lwt_out",				/* 11 */
	"lwt_xmit",				/* 12 */
	"sock_ops",				/* 13 */
	"sk_skb",				/* 14 */
	"cgroup_device",			/* 15 */
	"sk_msg",				/* 16 */
	"raw_tracepoint",			/* 17 */
	"cgroup_sock_addr",			/* 18 */
	"lwt_seg6local",			/* 19 */
	"lirc_mode2",				/* 20 */
	"sk_reuseport",				/* 21 */
	"flow_dissector",			/* 22 */
	"cgroup_sysctl",			/* 23 */
	"raw_tracepoint_writable",		/* 24 */
	"cgroup_sockopt",			/* 25 */
	"tracing",				/* 26 */
	"struct_ops",				/* 27 */
	"ext",					/* 28 */
	"lsm",					/* 29 */
	"sk_lookup",				/* 30 */
	"syscall",				/* 31 */
	"netfilter",				/* 32 */
};

static const char *const gk_attach_types[] = {
	"cgroup_inet_ingress",			/* 0 */
	"cgroup_inet_egress",			/* 1 */
	"cgroup_inet_sock_create",		/* 2 */
	"cgroup_sock_ops",			/* 3 */
	"sk_skb_stream_parser",			/* 4 */
	"sk_skb_stream_verdict",		/* 5 */
	"cgroup_device",			/* 6 */
	"sk_msg_verdict",			/* 7 */
	"cgroup_inet4_bind",			/* 8 */
	"cgroup_inet6_bind",			/* 9 */
	"cgroup_inet4_connect",			/* 10 */
	"cgroup_inet6_connect",			/* 11 */
	"cgroup_inet4_post_bind",		/* 12 */
	"cgroup_inet6_post_bind",		/* 13 */
	"cgroup_udp4_sendmsg",			/* 14 */
	"cgroup_udp6_sendmsg",			/* 15 */
	"lirc_mode2",				/* 16 */
	"flow_dissector",			/* 17 */
	"cgroup_sysctl",			/* 18 */
	"cgroup_udp4_recvmsg",			/* 19 */
	"cgroup_udp6_recvmsg",			/* 20 */
	"cgroup_getsockopt",			/* 21 */
	"cgroup_setsockopt",			/* 22 */
	"trace_raw_tp",				/* 23 */
	"trace_fentry",				/* 24 */
	"trace_fexit",				/* 25 */
	"modify_return",			/* 26 */
	"lsm_mac",				/* 27 */
	"trace_iter",				/* 28 */
	"cgroup_inet4_getpeername",		/* 29 */
	"cgroup_inet6_getpeername",		/* 30 */
	"cgroup_inet4_getsockname",		/* 31 */
	"cgroup_inet6_getsockname",		/* 32 */
	"xdp_devmap",				/* 33 */
	"cgroup_inet_sock_release",		/* 34 */
	"xdp_cpumap",				/* 35 */
	"sk_lookup",				/* 36 */
	"xdp",					/* 37 */
	"sk_skb_verdict",			/* 38 */
	"sk_reuseport_select",			/* 39 */
	"sk_reuseport_select_or_migrate",	/* 40 */
	"perf_event",				/* 41 */
	"trace_kprobe_multi",			/* 42 */
	"lsm_cgroup",				/* 43 */
	"struct_ops",				/* 44 */
	"netfilter",				/* 45 */
	"tcx_ingress",				/* 46 */
	"tcx_egress",				/* 47 */
	"trace_uprobe_multi",			/* 48 */
	"cgroup_unix_connect",			/* 49 */
	"cgroup_unix_sendmsg",			/* 50 */
	"cgroup_unix_recvmsg",			/* 51 */
	"cgroup_unix_getpeername",		/* 52 */
	"cgroup_unix_getsockname",		/* 53 */
	"netkit_primary",			/* 54 */
	"netkit_peer",				/* 55 */
	"trace_kprobe_session",			/* 56 */
	"trace_uprobe_session",			/* 57 */
	"trace_fsession",			/* 58 */
	"trace_fentry_multi",			/* 59 */
	"trace_fexit_multi",			/* 60 */
	"trace_fsession_multi",			/* 61 */
};

static const char *const gk_actions[] = {
	[GK_POLICY_ALLOW] = "allow",
	[GK_POLICY_AUDIT] = "audit",
	[GK_POLICY_DENY] = "deny",
};

static const char *const gk_modes[] = {
	[GK_POLICY_ENFORCE] = "enforce",
	[GK_POLICY_AUDIT_ONLY] = "audit",
};

static const char *const gk_probes_words[] = {
	[GK_POLICY_PROBES_TRUSTED] = "trusted",
	[GK_POLICY_PROBES_REFUSED] = "refused",
};

static const char *const gk_source_kinds[] = {
	[GK_POLICY_SOURCE_EXACT] = "exact",
	[GK_POLICY_SOURCE_PREFIX] = "prefix",
	[GK_POLICY_SOURCE_GLOB] = "glob",
};

/* Name lookups; the tables are short and only used while parsing. */
static u32 gk_lookup(const char *const *tab, u32 n, const char *s, size_t len)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (tab[i] && strlen(tab[i]) == len && !memcmp(tab[i], s, len))
			return i;
	return GK_U32_MAX;
}

static const char *gk_name(const char *const *tab, u32 n, u32 i)
{
	return i < n ? tab[i] : NULL;
}

/**
 * gk_policy_prog_type_name() - the policy's name of a BPF program type
 * @type: a BPF_PROG_TYPE_* number
 *
 * Context: any.
 * Return: a static string such as "kprobe", or NULL if the number has no
 * name here (too new, or BPF_PROG_TYPE_UNSPEC).
 */
const char *gk_policy_prog_type_name(u32 type)
{
	return gk_name(gk_prog_types, GK_ARRAY_SIZE(gk_prog_types), type);
}

/**
 * gk_policy_attach_type_name() - the policy's name of a BPF attach type
 * @type: a BPF_* attach type number
 *
 * Context: any.
 * Return: a static string such as "trace_fentry", or NULL if unknown.
 */
const char *gk_policy_attach_type_name(u32 type)
{
	return gk_name(gk_attach_types, GK_ARRAY_SIZE(gk_attach_types), type);
}

/**
 * gk_policy_action_name() - "allow", "audit" or "deny"
 * @action: an enum gk_policy_action
 *
 * Context: any.
 * Return: a static string, or NULL for a value that is not an action.
 */
const char *gk_policy_action_name(u32 action)
{
	return gk_name(gk_actions, GK_ARRAY_SIZE(gk_actions), action);
}

/* ---------------------------------------------------------------- lexer */

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

static int gk_fail_at(struct gk_parser *p, int err, u32 line, u32 col,
		      const char *msg)
{
	if (p->err) {
		p->err->line = line;
		p->err->column = col;
		p->err->msg = msg;
	}
	return err;
}

static int gk_fail(struct gk_parser *p, int err, u32 col, const char *msg)
{
	return gk_fail_at(p, err, p->line, col, msg);
}

/* The column just past the current line's last byte. */
static u32 gk_eol_col(const struct gk_parser *p)
{
	return (u32)(p->eol - p->bol) + 1;
}

/*
 * Step to the next line and check every byte of it, comments included, so
 * nothing outside printable ASCII (a NUL that would truncate a C string
 * elsewhere, a bidirectional control hidden in a comment) gets in.
 * Return: 1 with a line, 0 at the end of the text, or -errno.
 */
static int gk_next_line(struct gk_parser *p)
{
	size_t i;

	if (p->next >= p->len)
		return 0;
	p->line++;
	p->bol = p->next;
	for (i = p->bol; i < p->len && p->text[i] != '\n'; i++) {
		u8 c = p->text[i];
		u32 col = (u32)(i - p->bol) + 1;

		if (col > GK_POLICY_LINE_MAX)
			return gk_fail(p, -ENAMETOOLONG, col,
				       "line longer than 4096 bytes");
		if (!c)
			return gk_fail(p, -EILSEQ, col, "NUL byte");
		if (c == '\r')
			return gk_fail(p, -EILSEQ, col,
				       "carriage return: CRLF line ends are not allowed");
		if (c >= 0x80)
			return gk_fail(p, -EILSEQ, col,
				       "non-ASCII byte: the policy is ASCII only");
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return gk_fail(p, -EILSEQ, col, "control character");
	}
	p->eol = i;
	p->cur = p->bol;
	p->next = i + 1;
	return 1;
}

static bool gk_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * The next token of the current line.  '#' where a token could start
 * begins a comment; inside an unquoted word it is an ordinary character
 * (URI fragments).  Quoted strings know two escapes, \" and \\; a quote or
 * backslash outside quotes is an error, so that every value has one
 * shortest spelling (gk_put_value()).
 * Return: 1 with a token, 0 at the end of the line, or -EBADMSG.
 */
static int gk_next_tok(struct gk_parser *p, struct gk_tok *t)
{
	const char *s = p->text;
	size_t i = p->cur, start;

	while (i < p->eol && gk_blank(s[i]))
		i++;
	t->col = (u32)(i - p->bol) + 1;
	if (i == p->eol || s[i] == '#') {
		p->cur = p->eol;
		return 0;
	}
	start = i;
	t->s = s + i;
	t->quoted = s[i] == '"';
	t->vlen = 0;
	if (t->quoted) {
		for (i++; ; i++) {
			if (i == p->eol)
				return gk_fail(p, -EBADMSG, t->col,
					       "unterminated quoted string");
			if (s[i] == '"')
				break;
			if (s[i] == '\t')
				return gk_fail(p, -EBADMSG, (u32)(i - p->bol) + 1,
					       "tab in a quoted string");
			if (s[i] == '\\') {
				if (i + 1 == p->eol ||
				    (s[i + 1] != '"' && s[i + 1] != '\\'))
					return gk_fail(p, -EBADMSG,
						       (u32)(i - p->bol) + 1,
						       "invalid escape: only \\\" and \\\\ are allowed");
				i++;
			}
			t->vlen++;
		}
		i++;
		if (i < p->eol && !gk_blank(s[i]))
			return gk_fail(p, -EBADMSG, (u32)(i - p->bol) + 1,
				       "expected a space after the closing quote");
	} else {
		for (; i < p->eol && !gk_blank(s[i]); i++)
			if (s[i] == '"' || s[i] == '\\')
				return gk_fail(p, -EBADMSG, (u32)(i - p->bol) + 1,
					       "quote or backslash in an unquoted word");
		t->vlen = (u32)(i - start);
	}
	t->len = (u32)(i - start);
	p->cur = i;
	return 1;
}

/* A token that must be there: its absence is reported at the line's end. */
static int gk_need_tok(struct gk_parser *p, struct gk_tok *t, const char *msg)
{
	int ret = gk_next_tok(p, t);

	if (!ret)
		return gk_fail(p, -EBADMSG, gk_eol_col(p), msg);
	return ret < 0 ? ret : 0;
}

static int gk_need_end(struct gk_parser *p)
{
	struct gk_tok t;
	int ret = gk_next_tok(p, &t);

	if (ret > 0)
		return gk_fail(p, -EBADMSG, t.col, "unexpected word at the end of the line");
	return ret;
}

static bool gk_is(const struct gk_tok *t, const char *word)
{
	size_t n = strlen(word);

	return !t->quoted && t->len == n && !memcmp(t->s, word, n);
}

/* The value of a token into @dst, which has room for t->vlen bytes. */
static void gk_tok_value(const struct gk_tok *t, char *dst)
{
	u32 i, n = 0;

	if (!t->quoted) {
		memcpy(dst, t->s, t->len);
		return;
	}
	for (i = 1; i + 1 < t->len; i++) {
		if (t->s[i] == '\\')
			i++;
		dst[n++] = t->s[i];
	}
}

/* Look a keyword token up in @tab; -EBADMSG with @msg if it is not there. */
static int gk_keyword(struct gk_parser *p, const struct gk_tok *t,
		      const char *const *tab, u32 n, const char *msg, u8 *out)
{
	u32 i = t->quoted ? GK_U32_MAX : gk_lookup(tab, n, t->s, t->len);

	if (i == GK_U32_MAX)
		return gk_fail(p, -EBADMSG, t->col, msg);
	*out = (u8)i;
	return 0;
}

/* ------------------------------------------------------------- values */

static bool gk_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A decimal number up to @max.  No sign, no leading zero (it reads as octal
 * elsewhere), no hex: one spelling per number.
 */
static int gk_number(struct gk_parser *p, const struct gk_tok *t, u64 max,
		     u64 *out)
{
	u64 v = 0;
	u32 i;

	if (t->quoted)
		return gk_fail(p, -EBADMSG, t->col, "expected a decimal number");
	for (i = 0; i < t->len; i++)
		if (!gk_digit(t->s[i]))
			return gk_fail(p, -EBADMSG, t->col + i,
				       "expected a decimal number");
	if (t->len > 1 && t->s[0] == '0')
		return gk_fail(p, -EBADMSG, t->col, "leading zero in a number");
	for (i = 0; i < t->len; i++) {
		u32 d = t->s[i] - '0';

		if (v > (max - d) / 10)
			return gk_fail(p, -ERANGE, t->col, "number out of range");
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* A SHA-256 as 64 hex digits, either case. */
static int gk_sha256_hex(struct gk_parser *p, const struct gk_tok *t, u8 *out)
{
	u32 i;

	if (t->quoted)
		return gk_fail(p, -EBADMSG, t->col, "expected 64 hex digits");
	for (i = 0; i < t->len; i++)
		if (gk_hex_digit(t->s[i]) < 0)
			return gk_fail(p, -EBADMSG, t->col + i, "not a hex digit");
	if (t->len != 2 * GK_POLICY_SHA256_SIZE)
		return gk_fail(p, -EBADMSG, t->col,
			       "expected 64 hex digits (a SHA-256)");
	for (i = 0; i < GK_POLICY_SHA256_SIZE; i++)
		out[i] = (u8)(gk_hex_digit(t->s[2 * i]) << 4 |
			      gk_hex_digit(t->s[2 * i + 1]));
	return 0;
}

static bool gk_alnum(char c)
{
	return gk_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* NAME: [A-Za-z0-9][A-Za-z0-9._-]*, at most GK_POLICY_NAME_MAX bytes. */
static int gk_name_tok(struct gk_parser *p, const struct gk_tok *t, char *dst)
{
	u32 i;

	if (t->quoted)
		return gk_fail(p, -EBADMSG, t->col, "a name cannot be quoted");
	if (t->len > GK_POLICY_NAME_MAX)
		return gk_fail(p, -ENAMETOOLONG, t->col,
			       "name longer than 64 characters");
	for (i = 0; i < t->len; i++) {
		char c = t->s[i];

		if (!gk_alnum(c) && (!i || (c != '.' && c != '_' && c != '-')))
			return gk_fail(p, -EBADMSG, t->col + i,
				       "invalid character in a name");
	}
	memcpy(dst, t->s, t->len);
	dst[t->len] = '\0';
	return 0;
}

/*
 * An app path must be what the kernel reports for an executable: absolute,
 * without empty, "." or ".." components and without a trailing slash.
 * Anything else could never match, so it is refused rather than ignored.
 */
static bool gk_path_canonical(const char *s, u32 n)
{
	u32 i = 1, j;

	/* A trailing '/' leaves an empty last component, refused below. */
	if (n < 2 || s[0] != '/')
		return false;
	while (i <= n) {
		for (j = i; j < n && s[j] != '/'; j++)
			;
		if (j == i || (j - i == 1 && s[i] == '.') ||
		    (j - i == 2 && s[i] == '.' && s[i + 1] == '.'))
			return false;
		i = j + 1;
	}
	return true;
}

/* Room for a string of the rule being parsed. */
static char *gk_arena(struct gk_parser *p, u32 n)
{
	char *s = p->arena;

	if (n > p->arena_left)
		return NULL;
	p->arena += n;
	p->arena_left -= n;
	return s;
}

/*
 * A comma-separated list of program (@prog) or attach types, by name or
 * number, into the rule's types[] or attach[].
 */
static int gk_type_list(struct gk_parser *p, const struct gk_tok *t, bool prog,
			u32 *vals, u8 *n, u8 *numeric)
{
	u32 a = 0, b, i;
	u64 v;
	int ret;

	if (t->quoted)
		return gk_fail(p, -EBADMSG, t->col, "a type list cannot be quoted");
	while (a <= t->len) {
		struct gk_tok item = { .s = t->s + a, .col = t->col + a };

		for (b = a; b < t->len && t->s[b] != ','; b++)
			;
		item.len = b - a;
		if (!item.len)
			return gk_fail(p, -EBADMSG, item.col, "empty item in a list");
		if (*n == GK_POLICY_LIST_MAX)
			return gk_fail(p, -E2BIG, item.col,
				       "more than 8 types in a list");
		if (gk_digit(item.s[0])) {
			ret = gk_number(p, &item, GK_U32_MAX, &v);
			if (ret)
				return ret;
			if (prog && !v)
				return gk_fail(p, -ERANGE, item.col,
					       "program type 0 (unspec) cannot be loaded");
			*numeric |= 1U << *n;
		} else if (prog) {
			v = gk_lookup(gk_prog_types, GK_ARRAY_SIZE(gk_prog_types),
				      item.s, item.len);
			if (v == GK_U32_MAX)
				return gk_fail(p, -EBADMSG, item.col,
					       "unknown program type");
		} else {
			v = gk_lookup(gk_attach_types, GK_ARRAY_SIZE(gk_attach_types),
				      item.s, item.len);
			if (v == GK_U32_MAX)
				return gk_fail(p, -EBADMSG, item.col,
					       "unknown attach type");
		}
		for (i = 0; i < *n; i++)
			if (vals[i] == v)
				return gk_fail(p, -EEXIST, item.col,
					       "type repeated in a list");
		vals[(*n)++] = (u32)v;
		a = b + 1;
	}
	return 0;
}

/* ------------------------------------------------------- declarations */

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

static int gk_find_name(const struct gk_policy_principal *pr, u32 n,
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
static int gk_parse_principal(struct gk_parser *p, bool publisher)
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
		return gk_fail(p, -E2BIG, 1, publisher ? "more than 64 publishers" :
						       "more than 16 verifiers");
	if (*n >= cap)
		return gk_fail(p, -EINVAL, 1, "internal error: miscounted declarations");
	pr = &all[*n];
	ret = gk_need_tok(p, &t, publisher ? "expected a publisher name" :
					     "expected a verifier name");
	if (ret)
		return ret;
	ret = gk_name_tok(p, &t, pr->name);
	if (ret)
		return ret;
	if (gk_find_name(all, *n, &t) >= 0)
		return gk_fail(p, -EEXIST, t.col, publisher ?
			       "publisher already declared" : "verifier already declared");
	pr->n_keys = 0;
	for (;;) {
		ret = gk_next_tok(p, &t);
		if (ret < 0)
			return ret;
		if (!ret)
			break;
		if (!gk_is(&t, "key"))
			return gk_fail(p, -EBADMSG, t.col, "expected 'key'");
		ret = gk_need_tok(p, &t, "expected a key's SHA-256 after 'key'");
		if (ret)
			return ret;
		ret = gk_sha256_hex(p, &t, key);
		if (ret)
			return ret;
		if (pr->n_keys == GK_POLICY_KEYS_MAX)
			return gk_fail(p, -E2BIG, t.col, "more than 8 keys");
		/* all[*n] is @pr itself: a key repeated in one line too. */
		if (gk_find_key(all, *n + 1, key) >= 0)
			return gk_fail(p, -EEXIST, t.col, publisher ?
				       "key already belongs to a publisher" :
				       "key already belongs to a verifier");
		memcpy(pr->keys[pr->n_keys++], key, GK_POLICY_KEY_SIZE);
	}
	if (!pr->n_keys)
		return gk_fail(p, -EBADMSG, gk_eol_col(p), "expected 'key'");
	(*n)++;
	return 0;
}

/* -------------------------------------------------------------- rules */

typedef int (*gk_cond_fn)(struct gk_parser *p, struct gk_policy_rule *r);

static int gk_cond_publisher(struct gk_parser *p, struct gk_policy_rule *r)
{
	struct gk_tok t;
	int ret = gk_need_tok(p, &t, "expected a publisher name");

	if (ret)
		return ret;
	ret = gk_find_name(p->pol->publishers, p->pol->n_publishers, &t);
	if (ret < 0)
		return gk_fail(p, -ENOENT, t.col, "undeclared publisher");
	r->publisher = (u16)ret;
	return 0;
}

static int gk_cond_verifier(struct gk_parser *p, struct gk_policy_rule *r)
{
	struct gk_tok t;
	int ret = gk_need_tok(p, &t, "expected a verifier name");

	if (ret)
		return ret;
	ret = gk_find_name(p->pol->verifiers, p->pol->n_verifiers, &t);
	if (ret < 0)
		return gk_fail(p, -ENOENT, t.col, "undeclared verifier");
	r->verifier = (u16)ret;
	return 0;
}

static int gk_cond_source(struct gk_parser *p, struct gk_policy_rule *r)
{
	struct gk_tok t;
	char *s;
	int ret;

	ret = gk_need_tok(p, &t, "expected exact, prefix or glob");
	if (ret)
		return ret;
	ret = gk_keyword(p, &t, gk_source_kinds, GK_ARRAY_SIZE(gk_source_kinds),
			 "expected exact, prefix or glob", &r->source_kind);
	if (ret)
		return ret;
	ret = gk_need_tok(p, &t, "expected a source string");
	if (ret)
		return ret;
	if (t.vlen > GK_POLICY_STRING_MAX)
		return gk_fail(p, -ENAMETOOLONG, t.col,
			       "source longer than 1024 bytes");
	s = gk_arena(p, t.vlen);
	if (!s)
		return gk_fail(p, -EINVAL, t.col, "internal error: miscounted strings");
	gk_tok_value(&t, s);
	r->source = s;
	r->source_len = t.vlen;
	return 0;
}

static int gk_cond_app(struct gk_parser *p, struct gk_policy_rule *r)
{
	struct gk_tok t;
	char *s;
	int ret;

	ret = gk_need_tok(p, &t, "expected an absolute path");
	if (ret)
		return ret;
	if (t.vlen > GK_POLICY_PATH_MAX)
		return gk_fail(p, -ENAMETOOLONG, t.col, "path longer than 1024 bytes");
	s = gk_arena(p, t.vlen);
	if (!s)
		return gk_fail(p, -EINVAL, t.col, "internal error: miscounted strings");
	gk_tok_value(&t, s);
	if (!gk_path_canonical(s, t.vlen))
		return gk_fail(p, -EINVAL, t.col,
			       "app path must be absolute and canonical (no //, . or .., no trailing /)");
	r->app = s;
	r->app_len = t.vlen;
	return 0;
}

static int gk_cond_sha256(struct gk_parser *p, struct gk_policy_rule *r)
{
	struct gk_tok t;
	int ret;

	ret = gk_need_tok(p, &t, "expected 64 hex digits after 'sha256'");
	if (ret)
		return ret;
	return gk_sha256_hex(p, &t, r->app_sha256);
}

static int gk_cond_type(struct gk_parser *p, struct gk_policy_rule *r)
{
	struct gk_tok t;
	int ret = gk_need_tok(p, &t, "expected a program type");

	if (ret)
		return ret;
	return gk_type_list(p, &t, true, r->types, &r->n_types, &r->types_numeric);
}

static int gk_cond_attach(struct gk_parser *p, struct gk_policy_rule *r)
{
	struct gk_tok t;
	int ret = gk_need_tok(p, &t, "expected an attach type");

	if (ret)
		return ret;
	return gk_type_list(p, &t, false, r->attach, &r->n_attach,
			    &r->attach_numeric);
}

/*
 * The conditions a rule may have.  @same: bits that count as the same
 * condition (a second one is a duplicate); @conflicts: bits that can never
 * hold together with this one (an unsigned program has no manifest, so no
 * publisher, source or confidential flag), which would make the rule dead.
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
	  GK_POLICY_M_PUBLISHER | GK_POLICY_M_SOURCE | GK_POLICY_M_CONFIDENTIAL, NULL },
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
	{ "verifier", GK_POLICY_M_VERIFIER, GK_POLICY_M_VERIFIER, 0, gk_cond_verifier },
};

/* ACTION [CONDITION]...: @act is the action word, already looked up. */
static int gk_parse_rule(struct gk_parser *p, const struct gk_tok *act, u8 action)
{
	struct gk_policy *pol = p->pol;
	struct gk_policy_rule *r;
	u32 attach_col = 0, last = 0, i;
	struct gk_tok t;
	int ret;

	if (pol->n_rules == GK_POLICY_RULES_MAX)
		return gk_fail(p, -E2BIG, act->col, "more than 1024 rules");
	if (p->catch_all)
		return gk_fail(p, -EINVAL, act->col,
			       "unreachable rule: an earlier rule has no conditions");
	if (pol->n_rules >= p->cap_rules)
		return gk_fail(p, -EINVAL, act->col, "internal error: miscounted rules");
	r = &pol->rules[pol->n_rules];
	memset(r, 0, sizeof(*r));
	r->number = pol->n_rules + 1;
	r->line = p->line;
	r->action = action;
	r->publisher = GK_NONE;
	r->verifier = GK_NONE;
	for (;;) {
		const struct gk_cond *c = NULL;

		ret = gk_next_tok(p, &t);
		if (ret < 0)
			return ret;
		if (!ret)
			break;
		for (i = 0; i < GK_ARRAY_SIZE(gk_conds); i++)
			if (gk_is(&t, gk_conds[i].word))
				c = &gk_conds[i];
		if (!c)
			return gk_fail(p, -EBADMSG, t.col, "unknown condition in a rule");
		if (r->match & c->same)
			return gk_fail(p, -EEXIST, t.col, "condition given twice in one rule");
		if (r->match & c->conflicts)
			return gk_fail(p, -EINVAL, t.col,
				       "'unsigned' cannot go with 'publisher', 'source' or 'confidential'");
		/* "app PATH sha256 HEX" reads as one condition. */
		if (c->bit == GK_POLICY_M_APP_SHA256 && last != GK_POLICY_M_APP)
			return gk_fail(p, -EBADMSG, t.col,
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
		return gk_fail(p, -EINVAL, attach_col, "'attach' needs 'type' in the same rule");
	if (!r->match)
		p->catch_all = true;
	pol->n_rules++;
	return 0;
}

/* ------------------------------------------------------------- header */

/* policy NAME version N */
static int gk_parse_policy_line(struct gk_parser *p)
{
	struct gk_tok t;
	int ret;

	ret = gk_need_tok(p, &t, "expected the policy's name");
	if (ret)
		return ret;
	ret = gk_name_tok(p, &t, p->pol->name);
	if (ret)
		return ret;
	ret = gk_need_tok(p, &t, "expected 'version'");
	if (ret)
		return ret;
	if (!gk_is(&t, "version"))
		return gk_fail(p, -EBADMSG, t.col, "expected 'version'");
	ret = gk_need_tok(p, &t, "expected a version number");
	if (ret)
		return ret;
	ret = gk_number(p, &t, GK_U64_MAX, &p->pol->version);
	if (ret)
		return ret;
	return gk_need_end(p);
}

/* default ACTION, mode MODE */
static int gk_parse_choice(struct gk_parser *p, const char *const *tab, u32 n,
			   const char *msg, u8 *out)
{
	struct gk_tok t;
	int ret = gk_need_tok(p, &t, msg);

	if (ret)
		return ret;
	ret = gk_keyword(p, &t, tab, n, msg, out);
	if (ret)
		return ret;
	return gk_need_end(p);
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
		  gk_lookup(gk_header_words, GK_ARRAY_SIZE(gk_header_words),
			    t->s, t->len);
	u32 action;
	int ret;

	if (hdr != GK_U32_MAX && hdr < (u32)*st)
		return gk_fail(p, -EEXIST, t->col, "header line given twice");
	if (*st <= GK_ST_MODE) {
		if (hdr != (u32)*st)
			return gk_fail(p, -EBADMSG, t->col, gk_header_msgs[*st]);
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
	if (gk_is(t, "publisher") || gk_is(t, "verifier") || gk_is(t, "probes")) {
		if (*st == GK_ST_RULES)
			return gk_fail(p, -EBADMSG, t->col,
				       "declarations must come before the rules");
		if (!gk_is(t, "probes"))
			return gk_parse_principal(p, gk_is(t, "publisher"));
		if (p->pol->probes != GK_POLICY_PROBES_UNSET)
			return gk_fail(p, -EEXIST, t->col, "probes declared twice");
		return gk_parse_choice(p, gk_probes_words, GK_ARRAY_SIZE(gk_probes_words),
				       "expected 'probes trusted|refused'", &p->pol->probes);
	}
	action = t->quoted ? GK_U32_MAX :
		 gk_lookup(gk_actions, GK_ARRAY_SIZE(gk_actions), t->s, t->len);
	if (action != GK_U32_MAX) {
		*st = GK_ST_RULES;
		return gk_parse_rule(p, t, (u8)action);
	}
	return gk_fail(p, -EBADMSG, t->col, "unknown keyword");
}

/* ------------------------------------------------------------- parse */

/*
 * Pass 0: how many declarations and rules there are, and how many bytes
 * of rule lines (their strings, unescaped, cannot be longer).  It stops at
 * the first lexical error; pass 1 fails there or earlier.
 */
static void gk_count(struct gk_parser *p, u32 *pubs, u32 *vers, u32 *rules,
		     size_t *strings)
{
	struct gk_tok t;

	*pubs = *vers = *rules = 0;
	*strings = 0;
	while (gk_next_line(p) > 0) {
		int ret = gk_next_tok(p, &t);

		if (ret < 0)
			break;
		if (!ret)
			continue;
		if (gk_is(&t, "publisher"))
			(*pubs)++;
		else if (gk_is(&t, "verifier"))
			(*vers)++;
		else if (gk_is(&t, "allow") || gk_is(&t, "deny") || gk_is(&t, "audit")) {
			(*rules)++;
			*strings += p->eol - p->bol;
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
 *  rules or list items;
 * -EBADMSG a syntax error: unknown keyword, missing or extra word, bad
 *  quoting, bad hex or number syntax, header missing or out of order,
 *  declaration after a rule;
 * -ERANGE a number out of range;
 * -EEXIST a duplicate: header line, publisher or verifier name, key,
 *  condition in a rule, item in a list;
 * -ENOENT a rule names an undeclared publisher or verifier;
 * -EINVAL a well-formed rule that could never match or is ambiguous:
 *  'unsigned' with publisher/source/confidential, 'attach' without 'type',
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
	u32 pubs, vers, rules;
	size_t strings, size;
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
		return gk_fail_at(&p, -E2BIG, 0, 0, "policy larger than 256 KiB");

	/* Pass 0 reports nothing: pass 1 meets the same errors in order. */
	p.err = NULL;
	gk_count(&p, &pubs, &vers, &rules, &strings);
	p.err = err;
	p.cap_publishers = gk_min(pubs, GK_POLICY_PUBLISHERS_MAX);
	p.cap_verifiers = gk_min(vers, GK_POLICY_VERIFIERS_MAX);
	p.cap_rules = gk_min(rules, GK_POLICY_RULES_MAX);
	/* Bounded by the limits above: no overflow even on 32-bit. */
	size = sizeof(*pol) + p.cap_rules * sizeof(struct gk_policy_rule) +
	       (p.cap_publishers + p.cap_verifiers) *
	       sizeof(struct gk_policy_principal) + strings;
	pol = gk_kvalloc(size);
	if (!pol)
		return gk_fail_at(&p, -ENOMEM, 0, 0, "out of memory");
	memset(pol, 0, size);
	/* Rules first: they hold pointers, so need the strictest alignment. */
	pol->rules = (void *)(pol + 1);
	pol->publishers = (void *)(pol->rules + p.cap_rules);
	pol->verifiers = pol->publishers + p.cap_publishers;
	p.arena = (char *)(pol->verifiers + p.cap_verifiers);
	p.arena_left = strings;

	p.pol = pol;
	p.next = 0;
	p.line = 0;
	for (;;) {
		ret = gk_next_line(&p);
		if (ret < 0)
			goto fail;
		if (!ret)
			break;
		ret = gk_next_tok(&p, &t);
		if (ret < 0)
			goto fail;
		if (!ret)
			continue;	/* blank or comment */
		ret = gk_statement(&p, &t, &st);
		if (ret)
			goto fail;
	}
	if (st == GK_ST_POLICY) {
		ret = gk_fail_at(&p, -ENODATA, 0, 0, "empty policy: no statement");
		goto fail;
	}
	/* A header line is missing: say so on the line after the last. */
	if (st <= GK_ST_MODE) {
		ret = gk_fail_at(&p, -EBADMSG, p.line + 1, 1, gk_header_msgs[st]);
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

/* ---------------------------------------------------------- evaluation */

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

/* ---------------------------------------------------------------- dump */

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
 * the spelling (name or number) they were written with.  It parses back to
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
	for (i = 0; i < pol->n_rules; i++)
		gk_put_rule(&o, pol, &pol->rules[i]);
	*len = o.len;
	if (o.len < size)
		buf[o.len] = '\0';
	return o.len <= size ? 0 : -ENOSPC;
}

/* ------------------------------------------------------------- equality */

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
 * rules and declarations included; not the line numbers or spelling.
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
	for (i = 0; i < a->n_rules; i++)
		if (!gk_rules_equal(&a->rules[i], &b->rules[i]))
			return false;
	return true;
}
