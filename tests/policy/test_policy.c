// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the policy language (policy/), table-driven in
 * the manner of Linux IPE's policy_tests.c:
 *
 *  - parse_cases: every error path, each with the errno, line, column and
 *    a part of the message it must produce, and valid texts that must parse;
 *  - generated cases for the limits (line length, text size, counts);
 *  - eval_cases: first-match order, the default, and each condition;
 *  - the required example, policy/examples/acme.pol, evaluated;
 *  - the glob matcher against an exhaustive dynamic-programming oracle;
 *  - the canonical dump: a golden text, -ENOSPC, and round trips;
 *  - the type name tables against a linux/bpf.h.
 *
 * Inputs are handed to the code under test as exact-size heap copies, so
 * the sanitizer build (tests/policy/run) catches a read one byte past the
 * end.  Expectations are written out here, never computed by the code
 * under test.
 *
 * Usage: test_policy [--examples DIR] [--bpf-h FILE]...
 * Output: one line per failure with its context, then "N passed, N failed".
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gk_policy.h"
#include "gk_test.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#ifdef GK_TEST_WRAP_MALLOC
/*
 * Built with -Wl,--wrap=malloc (tests/policy/run does), every malloc() of
 * this program and of the policy language comes here, so a test can fail one.
 */
void *__real_malloc(size_t n);
void *__wrap_malloc(size_t n);
static int fail_malloc;	/* fail the next allocation when set */

void *__wrap_malloc(size_t n)
{
	if (fail_malloc) {
		fail_malloc = 0;
		return NULL;
	}
	return __real_malloc(n);
}
#endif

/* Parse an exact-size heap copy, so an over-read is a sanitizer error. */
static int parse(const char *text, size_t len, struct gk_policy **pol,
		 struct gk_policy_error *err)
{
	char *copy = malloc(len ? len : 1);
	int ret;

	memcpy(copy, text, len);
	ret = gk_policy_parse(copy, len, pol, err);
	free(copy);
	return ret;
}

/* A SHA-256 in hex: 64 copies of one digit. */
#define X8(c) c c c c c c c c
#define HEX64(c) X8(X8(c))
#define KA HEX64("a")		/* acme */
#define KA2 HEX64("b")		/* acme, second key */
#define KB HEX64("c")		/* other */
#define KV HEX64("d")		/* verifier */
#define KT HEX64("e")		/* the tool's content */
#define KZ HEX64("f")		/* nobody */

static const u8 key_a[32] = { [0 ... 31] = 0xaa };
static const u8 key_a2[32] = { [0 ... 31] = 0xbb };
static const u8 key_b[32] = { [0 ... 31] = 0xcc };
static const u8 key_v[32] = { [0 ... 31] = 0xdd };
static const u8 tool_sha[32] = { [0 ... 31] = 0xee };
static const u8 key_z[32] = { [0 ... 31] = 0xff };

#define D1 HEX64("1")		/* a program digest */
#define D2 X8("ABCDEF01")	/* another, in upper case */

#define HDR "policy p version 1\ndefault deny\nmode enforce\n"	/* lines 1-3 */
#define PUB "publisher acme key " KA "\n"			/* line 4 */

/* ------------------------------------------------------------ parsing */

struct parse_case {
	const char *desc;
	const char *text;
	size_t len;
	int err;		/* 0: must parse */
	u32 line, col;
	const char *msg;	/* a part of the expected message */
};

/* The length from sizeof, so a NUL inside the text is part of it. */
#define P(desc, text, err, line, col, msg) \
	{ desc, text, sizeof(text) - 1, err, line, col, msg }
#define OK(desc, text) { desc, text, sizeof(text) - 1, 0, 0, 0, NULL }

static const struct parse_case parse_cases[] = {
	/* Bytes. */
	P("NUL byte in a rule", HDR "allow\0 signed\n", -EILSEQ, 4, 6, "NUL"),
	P("NUL byte in a comment", HDR "# a\0b\n", -EILSEQ, 4, 4, "NUL"),
	P("CRLF line end", "policy p version 1\r\ndefault deny\n", -EILSEQ, 1, 19, "CRLF"),
	P("CR at the very end", HDR "allow\r", -EILSEQ, 4, 6, "CRLF"),
	P("UTF-8 in a comment", HDR "# caf\xc3\xa9\n", -EILSEQ, 4, 6, "ASCII"),
	P("UTF-8 in a source", HDR "allow source exact h\xe2\x80\xae\n", -EILSEQ, 4, 21, "ASCII"),
	P("escape character", HDR "allow \x1b\n", -EILSEQ, 4, 7, "control"),
	P("DEL character", HDR "allow\x7f\n", -EILSEQ, 4, 6, "control"),
	P("vertical tab", HDR "allow\vsigned\n", -EILSEQ, 4, 6, "control"),

	/* Quoting. */
	P("unterminated quote", HDR "allow source exact \"abc\n", -EBADMSG, 4, 20, "unterminated"),
	P("unknown escape", HDR "allow source exact \"a\\nb\"\n", -EBADMSG, 4, 22, "escape"),
	P("backslash at the line end", HDR "allow source exact \"a\\", -EBADMSG, 4, 22, "escape"),
	P("quote inside a word", HDR "allow source exact ab\"c\"\n", -EBADMSG, 4, 22, "unquoted"),
	P("backslash outside quotes", HDR "allow app /usr/bin/a\\b\n", -EBADMSG, 4, 21, "unquoted"),
	P("no space after a closing quote", HDR "allow source exact \"a\"b\n", -EBADMSG, 4, 23, "closing quote"),
	P("comment glued to a closing quote", HDR "allow source exact \"a\"#c\n", -EBADMSG, 4, 23, "closing quote"),
	P("tab in a quoted string", HDR "allow source exact \"a\tb\"\n", -EBADMSG, 4, 22, "tab"),

	/* Header. */
	P("empty text", "", -ENODATA, 0, 0, "empty"),
	P("only comments and blank lines", "# c\n\n   \n\t# x\n", -ENODATA, 0, 0, "empty"),
	P("missing header: a rule first", "allow\n", -EBADMSG, 1, 1, "'policy NAME version N'"),
	P("header after a rule", "allow\npolicy p version 1\n", -EBADMSG, 1, 1, "'policy NAME"),
	P("default before policy", "default deny\npolicy p version 1\n", -EBADMSG, 1, 1, "'policy NAME"),
	P("missing default at the end", "policy p version 1\n", -EBADMSG, 2, 1, "'default"),
	P("missing default: mode instead", "policy p version 1\nmode enforce\n", -EBADMSG, 2, 1, "'default"),
	P("missing mode: a rule instead", "policy p version 1\ndefault deny\nallow\n", -EBADMSG, 3, 1, "'mode"),
	P("missing mode at the end, no final newline", "policy p version 1\ndefault deny", -EBADMSG, 3, 1, "'mode"),
	P("policy line twice", "policy p version 1\npolicy q version 2\n", -EEXIST, 2, 1, "twice"),
	P("default line twice", HDR "default allow\n", -EEXIST, 4, 1, "twice"),
	P("mode line after the rules", HDR "allow signed\nmode audit\n", -EEXIST, 5, 1, "twice"),
	P("policy without version", "policy p\n", -EBADMSG, 1, 9, "'version'"),
	P("misspelt version", "policy p versoin 1\n", -EBADMSG, 1, 10, "'version'"),
	P("version without number", "policy p version\n", -EBADMSG, 1, 17, "version number"),
	P("version 2^64", "policy p version 18446744073709551616\n", -ERANGE, 1, 18, "range"),
	P("version 10^20", "policy p version 100000000000000000000\n", -ERANGE, 1, 18, "range"),
	P("negative version", "policy p version -1\n", -EBADMSG, 1, 18, "decimal"),
	P("version with a leading zero", "policy p version 01\n", -EBADMSG, 1, 18, "leading zero"),
	P("hex version", "policy p version 0x10\n", -EBADMSG, 1, 19, "decimal"),
	P("quoted version", "policy p version \"1\"\n", -EBADMSG, 1, 18, "decimal"),
	P("extra word after the policy line", "policy p version 1 extra\n", -EBADMSG, 1, 20, "end of the line"),
	P("unknown default action", "policy p version 1\ndefault maybe\n", -EBADMSG, 2, 9, "allow, deny or audit"),
	P("default without action", "policy p version 1\ndefault\n", -EBADMSG, 2, 8, "allow, deny or audit"),
	P("unknown mode", "policy p version 1\ndefault deny\nmode permissive\n", -EBADMSG, 3, 6, "enforce or audit"),
	P("mode with an extra word", "policy p version 1\ndefault deny\nmode audit now\n", -EBADMSG, 3, 12, "end of the line"),
	P("bad character in the policy name", "policy p@x version 1\n", -EBADMSG, 1, 9, "invalid character"),
	P("policy name starting with '-'", "policy -p version 1\n", -EBADMSG, 1, 8, "invalid character"),
	P("policy name of 65 characters", "policy " X8("abcdefgh") "x version 1\n", -ENAMETOOLONG, 1, 8, "64"),
	P("quoted policy name", "policy \"p\" version 1\n", -EBADMSG, 1, 8, "quoted"),
	P("unknown keyword", HDR "permit signed\n", -EBADMSG, 4, 1, "unknown keyword"),
	P("keywords are lower case", HDR "Allow\n", -EBADMSG, 4, 1, "unknown keyword"),
	P("quoted keyword", HDR "\"allow\"\n", -EBADMSG, 4, 1, "unknown keyword"),

	/* Declarations. */
	P("publisher without key", HDR "publisher acme\n", -EBADMSG, 4, 15, "'key'"),
	P("publisher without name", HDR "publisher\n", -EBADMSG, 4, 10, "publisher name"),
	P("key without value", HDR "publisher acme key\n", -EBADMSG, 4, 19, "SHA-256"),
	P("bad hex digit", HDR "publisher acme key " X8("0123456") "0123456g\n", -EBADMSG, 4, 83, "hex digit"),
	P("63 hex digits", HDR "publisher acme key " X8("0123456") "0123456\n", -EBADMSG, 4, 20, "64 hex digits"),
	P("65 hex digits", HDR "publisher acme key " KA "a\n", -EBADMSG, 4, 20, "64 hex digits"),
	P("misspelt second key", HDR "publisher acme key " KA " kee " KB "\n", -EBADMSG, 4, 85, "'key'"),
	P("publisher declared twice", HDR PUB "publisher acme key " KB "\n", -EEXIST, 5, 11, "already declared"),
	P("key twice in one publisher", HDR "publisher acme key " KA " key " KA "\n", -EEXIST, 4, 89, "already belongs"),
	P("key in two publishers", HDR "publisher a key " KA "\npublisher b key " KA "\n", -EEXIST, 5, 17, "already belongs"),
	P("key in two publishers, other case", HDR "publisher a key " KA "\npublisher b key " HEX64("A") "\n", -EEXIST, 5, 17, "already belongs"),
	OK("probes refused", HDR "probes refused\n" PUB "allow signed\n"),
	OK("probes trusted, after a publisher", HDR PUB "probes trusted\nallow signed\n"),
	P("probes declared twice", HDR "probes refused\nprobes trusted\n", -EEXIST, 5, 1, "twice"),
	P("probes with an unknown word", HDR "probes off\n", -EBADMSG, 4, 8, "'probes trusted|refused'"),
	P("probes after the rules", HDR "allow signed\nprobes refused\n", -EBADMSG, 5, 1, "before the rules"),
	P("verifier declared twice", HDR "verifier v key " KV "\nverifier v key " KB "\n", -EEXIST, 5, 10, "already declared"),
	P("key in two verifiers", HDR "verifier v key " KV "\nverifier w key " KV "\n", -EEXIST, 5, 16, "already belongs"),
	P("declaration after a rule", HDR "allow signed\n" PUB, -EBADMSG, 5, 1, "before the rules"),
	P("quoted key", HDR "publisher acme key \"" KA "\"\n", -EBADMSG, 4, 20, "64 hex digits"),
	P("unterminated quote as a publisher name", HDR "publisher \"acme\n", -EBADMSG, 4, 11, "unterminated"),
	P("bad character in a publisher name", HDR "publisher ac/me key " KA "\n", -EBADMSG, 4, 13, "invalid character"),

	/* Revocations. */
	P("revoke without a kind", HDR "revoke\n", -EBADMSG, 4, 7, "digest, key or publisher"),
	P("revoke an unknown kind", HDR "revoke program " D1 "\n", -EBADMSG, 4, 8, "digest, key or publisher"),
	P("revoke kind in upper case", HDR "revoke DIGEST " D1 "\n", -EBADMSG, 4, 8, "digest, key or publisher"),
	P("revoke kind quoted", HDR "revoke \"digest\" " D1 "\n", -EBADMSG, 4, 8, "digest, key or publisher"),
	P("unterminated quote after 'revoke'", HDR "revoke \"d\n", -EBADMSG, 4, 8, "unterminated"),
	P("revoke digest without value", HDR "revoke digest\n", -EBADMSG, 4, 14, "program's SHA-256"),
	P("revoke key without value", HDR "revoke key\n", -EBADMSG, 4, 11, "key's SHA-256"),
	P("revoke digest of 63 hex digits", HDR "revoke digest " X8("0123456") "0123456\n", -EBADMSG, 4, 15, "64 hex digits"),
	P("revoke digest of 65 hex digits", HDR "revoke digest " D1 "1\n", -EBADMSG, 4, 15, "64 hex digits"),
	P("revoke key with a bad hex digit", HDR "revoke key " X8("0123456") "0123456g\n", -EBADMSG, 4, 75, "hex digit"),
	P("revoke digest quoted", HDR "revoke digest \"" D1 "\"\n", -EBADMSG, 4, 15, "64 hex digits"),
	P("revoke digest with an extra word", HDR "revoke digest " D1 " now\n", -EBADMSG, 4, 80, "end of the line"),
	P("revoke digest with a second digest", HDR "revoke digest " D1 " " D2 "\n", -EBADMSG, 4, 80, "end of the line"),
	P("digest revoked twice", HDR "revoke digest " D1 "\nrevoke digest " D1 "\n", -EEXIST, 5, 15, "digest already revoked"),
	P("digest revoked twice, other case", HDR "revoke digest " D2 "\nrevoke digest " X8("abcdef01") "\n", -EEXIST, 5, 15, "digest already revoked"),
	P("digest revoked twice, apart", HDR "revoke digest " D1 "\n" PUB "revoke digest " D2 "\nrevoke digest " D1 "\n", -EEXIST, 7, 15, "digest already revoked"),
	P("key revoked twice", HDR "revoke key " KA "\nrevoke key " KA "\n", -EEXIST, 5, 12, "key already revoked"),
	P("revoke publisher without name", HDR "revoke publisher\n", -EBADMSG, 4, 17, "publisher name"),
	P("revoke an undeclared publisher", HDR "revoke publisher acme\n", -ENOENT, 4, 18, "undeclared publisher"),
	P("revoke a publisher declared below", HDR "revoke publisher acme\n" PUB, -ENOENT, 4, 18, "undeclared publisher"),
	P("revoke a verifier as a publisher", HDR "verifier v key " KV "\nrevoke publisher v\n", -ENOENT, 5, 18, "undeclared publisher"),
	P("revoke publisher with an extra word", HDR PUB "revoke publisher acme key " KA "\n", -EBADMSG, 5, 23, "end of the line"),
	P("publisher revoked twice", HDR PUB "revoke publisher acme\nrevoke publisher acme\n", -EEXIST, 6, 18, "publisher already revoked"),
	P("key of a revoked publisher revoked again", HDR PUB "revoke publisher acme\nrevoke key " HEX64("A") "\n", -EEXIST, 6, 12, "key already revoked"),
	P("publisher revoked after one of its keys", HDR "publisher acme key " KB " key " KA "\nrevoke key " KA "\nrevoke publisher acme\n", -EEXIST, 6, 18, "already revoked"),
	P("revoke after a rule", HDR "allow signed\nrevoke digest " D1 "\n", -EBADMSG, 5, 1, "before the rules"),
	P("revoke is lower case", HDR "Revoke digest " D1 "\n", -EBADMSG, 4, 1, "unknown keyword"),
	OK("revocations of every kind, among the other declarations",
	   HDR "revoke digest " D1 "\n" PUB "revoke key " KB "\nverifier v key " KV "\n"
	   "revoke publisher acme\nprobes refused\nrevoke digest " D2 "\nallow signed\n"),
	OK("a revoked key that a publisher declared below holds",
	   HDR "revoke key " KA "\n" PUB "allow publisher acme\n"),
	OK("a digest and a key of the same value", HDR "revoke digest " KA "\nrevoke key " KA "\n"),
	OK("one key of a publisher revoked", HDR "publisher acme key " KA " key " KA2 "\nrevoke key " KA2 "\n"),
	OK("a revoked publisher's key that a verifier also holds",
	   HDR PUB "verifier v key " KA "\nrevoke publisher acme\n"),
	OK("revocations only, and comments", HDR "# the list\n\trevoke\tdigest  " D2 " # why\n"),

	/* Rules. */
	P("unknown condition", HDR "allow sigend\n", -EBADMSG, 4, 7, "unknown condition"),
	P("unterminated quote opening a line", HDR "\"allow\n", -EBADMSG, 4, 1, "unterminated"),
	P("unterminated quote after 'publisher'", HDR PUB "allow publisher \"acme\n", -EBADMSG, 5, 17, "unterminated"),
	P("unterminated quote after 'type'", HDR "allow type \"x\n", -EBADMSG, 4, 12, "unterminated"),
	P("unterminated quote after 'sha256'", HDR "allow app /x sha256 \"\n", -EBADMSG, 4, 21, "unterminated"),
	P("unterminated quote after 'verifier'", HDR "allow verifier \"v\n", -EBADMSG, 4, 16, "unterminated"),
	P("unterminated quote after 'attach'", HDR "allow type 8 attach \"\n", -EBADMSG, 4, 21, "unterminated"),
	P("unterminated quote after 'default'", "policy p version 1\ndefault \"deny\n", -EBADMSG, 2, 9, "unterminated"),
	P("unterminated quote after a key", HDR "publisher acme key " KA " \"k\n", -EBADMSG, 4, 85, "unterminated"),
	P("unterminated quote after a condition", HDR "allow signed \"x\n", -EBADMSG, 4, 14, "unterminated"),
	P("unterminated quote after 'policy'", "policy \"p\n", -EBADMSG, 1, 8, "unterminated"),
	P("unterminated quote after 'version'", "policy p version \"1\n", -EBADMSG, 1, 18, "unterminated"),
	P("quoted condition", HDR "allow \"signed\"\n", -EBADMSG, 4, 7, "unknown condition"),
	P("condition twice", HDR "allow signed signed\n", -EEXIST, 4, 14, "twice"),
	P("signed and unsigned", HDR "allow signed unsigned\n", -EEXIST, 4, 14, "twice"),
	P("confidential and nonconfidential", HDR "allow confidential nonconfidential\n", -EEXIST, 4, 20, "twice"),
	P("type twice", HDR "allow type xdp type kprobe\n", -EEXIST, 4, 16, "twice"),
	P("app twice", HDR "allow app /a app /b\n", -EEXIST, 4, 14, "twice"),
	P("source twice", HDR "allow source exact a source exact b\n", -EEXIST, 4, 22, "twice"),
	P("publisher twice", HDR PUB "allow publisher acme publisher acme\n", -EEXIST, 5, 22, "twice"),
	P("type repeated in a list", HDR "allow type xdp,kprobe,xdp\n", -EEXIST, 4, 23, "repeated"),
	P("type repeated, name and number", HDR "allow type xdp,6\n", -EEXIST, 4, 16, "repeated"),
	P("empty list item", HDR "allow type xdp,,kprobe\n", -EBADMSG, 4, 16, "empty item"),
	P("trailing comma", HDR "allow type xdp,\n", -EBADMSG, 4, 16, "empty item"),
	P("leading comma", HDR "allow type ,xdp\n", -EBADMSG, 4, 12, "empty item"),
	P("nine types", HDR "allow type 1,2,3,4,5,6,7,8,9\n", -E2BIG, 4, 28, "more than 8"),
	P("unknown program type", HDR "allow type kprobes\n", -EBADMSG, 4, 12, "unknown program type"),
	P("program type in upper case", HDR "allow type KPROBE\n", -EBADMSG, 4, 12, "unknown program type"),
	P("program type 0", HDR "allow type 0\n", -ERANGE, 4, 12, "unspec"),
	P("program type 2^32", HDR "allow type 4294967296\n", -ERANGE, 4, 12, "range"),
	P("program type with a leading zero", HDR "allow type 02\n", -EBADMSG, 4, 12, "leading zero"),
	P("program type 2x", HDR "allow type 2x\n", -EBADMSG, 4, 13, "decimal"),
	P("unknown attach type", HDR "allow type tracing attach fentry\n", -EBADMSG, 4, 27, "unknown attach type"),
	P("attach type 2^32", HDR "allow type tracing attach 4294967296\n", -ERANGE, 4, 27, "range"),
	P("attach without type", HDR "allow attach trace_fentry\n", -EINVAL, 4, 7, "needs 'type'"),
	P("type without value", HDR "allow type\n", -EBADMSG, 4, 11, "program type"),
	P("quoted type", HDR "allow type \"xdp\"\n", -EBADMSG, 4, 12, "quoted"),
	P("undeclared publisher", HDR "allow publisher acme\n", -ENOENT, 4, 17, "undeclared publisher"),
	P("undeclared verifier", HDR "allow verifier maa\n", -ENOENT, 4, 16, "undeclared verifier"),
	P("a verifier is not a publisher", HDR "verifier v key " KV "\nallow publisher v\n", -ENOENT, 5, 17, "undeclared publisher"),
	P("publisher declared after its use", HDR "allow publisher acme\n" PUB, -ENOENT, 4, 17, "undeclared publisher"),
	P("publisher without name in a rule", HDR "allow publisher\n", -EBADMSG, 4, 16, "publisher name"),
	P("unsigned with publisher", HDR PUB "allow publisher acme unsigned\n", -EINVAL, 5, 22, "'unsigned'"),
	P("unsigned then source", HDR "allow unsigned source prefix x\n", -EINVAL, 4, 16, "'unsigned'"),
	P("unsigned then publisher", HDR PUB "allow unsigned publisher acme\n", -EINVAL, 5, 16, "'unsigned'"),
	P("unsigned then confidential", HDR "allow unsigned confidential\n", -EINVAL, 4, 16, "'unsigned'"),
	P("source then unsigned", HDR "allow source prefix x unsigned\n", -EINVAL, 4, 23, "'unsigned'"),
	P("unsigned with confidential", HDR "allow confidential unsigned\n", -EINVAL, 4, 20, "'unsigned'"),
	P("unsigned with bound", HDR "allow unsigned bound\n", -EINVAL, 4, 16, "'bound'"),
	P("bound and unbound", HDR "allow bound unbound\n", -EEXIST, 4, 13, "twice"),
	P("unknown source kind", HDR "allow source regex x\n", -EBADMSG, 4, 14, "exact, prefix or glob"),
	P("source without kind", HDR "allow source\n", -EBADMSG, 4, 13, "exact, prefix or glob"),
	P("source without string", HDR "allow source exact\n", -EBADMSG, 4, 19, "source string"),
	P("relative app path", HDR "allow app usr/bin/x\n", -EINVAL, 4, 11, "canonical"),
	P("app path with ..", HDR "allow app /usr/bin/../x\n", -EINVAL, 4, 11, "canonical"),
	P("app path with .", HDR "allow app /usr/./x\n", -EINVAL, 4, 11, "canonical"),
	P("app path with //", HDR "allow app /usr//x\n", -EINVAL, 4, 11, "canonical"),
	P("app path with a trailing /", HDR "allow app /usr/bin/\n", -EINVAL, 4, 11, "canonical"),
	P("app path /", HDR "allow app /\n", -EINVAL, 4, 11, "canonical"),
	P("app path ending in /..", HDR "allow app /x/..\n", -EINVAL, 4, 11, "canonical"),
	P("quoted app path with ..", HDR "allow app \"/a b/../x\"\n", -EINVAL, 4, 11, "canonical"),
	P("app without path", HDR "allow app\n", -EBADMSG, 4, 10, "absolute path"),
	P("sha256 without app", HDR "allow sha256 " KT "\n", -EBADMSG, 4, 7, "directly follow"),
	P("sha256 not right after app", HDR "allow app /x type xdp sha256 " KT "\n", -EBADMSG, 4, 23, "directly follow"),
	P("sha256 twice", HDR "allow app /x sha256 " KT " sha256 " KT "\n", -EEXIST, 4, 86, "twice"),
	P("sha256 not hex", HDR "allow app /x sha256 zz\n", -EBADMSG, 4, 21, "hex digit"),
	P("sha256 too short", HDR "allow app /x sha256 abcd\n", -EBADMSG, 4, 21, "64 hex digits"),
	P("sha256 without value", HDR "allow app /x sha256\n", -EBADMSG, 4, 20, "64 hex digits"),
	P("rule after a rule without conditions", HDR "deny\nallow signed\n", -EINVAL, 5, 1, "unreachable"),

	/* Valid texts. */
	OK("header only", HDR),
	OK("default allow, audit mode", "policy p version 1\ndefault allow\nmode audit\n"),
	OK("default audit", "policy p version 1\ndefault audit\nmode enforce\n"),
	OK("no final newline", HDR "allow signed"),
	OK("comments, blank lines and tabs everywhere",
	   "# head\n\n\tpolicy\tp  version 1 # trailing\n  default deny\n#\nmode enforce\n\n"
	   "publisher acme key " KA "  # k\n\tallow\tpublisher acme\t\n"),
	OK("'#' inside a word is not a comment", HDR "allow source exact https://h/#frag\n"),
	OK("a quoted '#' string", HDR "allow source exact \"#x\"\n"),
	OK("quoted strings with escapes", HDR "allow source exact \"a \\\"b\\\" \\\\c\"\n"),
	OK("empty quoted source", HDR "allow source exact \"\"\n"),
	OK("upper-case hex", HDR "publisher acme key " HEX64("A") "\n"),
	OK("version 2^64-1", "policy p version 18446744073709551615\ndefault deny\nmode enforce\n"),
	OK("version 0", "policy p version 0\ndefault deny\nmode enforce\n"),
	OK("policy name of 64 characters", "policy " X8("abcdefgh") " version 1\ndefault deny\nmode enforce\n"),
	OK("names with . _ -", "policy a.b_c-9 version 1\ndefault deny\nmode enforce\n"),
	OK("program type 2^32-1", HDR "allow type 4294967295\n"),
	OK("attach type 0 by number", HDR "allow type 8 attach 0\n"),
	OK("eight types", HDR "allow type 1,2,3,4,5,6,7,8\n"),
	OK("a catch-all rule last", HDR "allow signed\ndeny\n"),
	OK("publisher and verifier may share a key and a name",
	   HDR "publisher x key " KA "\nverifier x key " KA "\n"),
	OK("signed with publisher", HDR PUB "allow signed publisher acme\n"),
	OK("all conditions", HDR PUB "verifier v key " KV "\n"
	   "audit signed publisher acme source glob \"a b*\" app \"/opt/my tool\" sha256 " KT
	   " type tracing,lsm attach trace_fentry,lsm_mac confidential verifier v\n"),
};

static void test_parse_case(const struct parse_case *c)
{
	struct gk_policy_error e = { .line = 99, .column = 99, .msg = "stale" };
	struct gk_policy *pol = (void *)1;
	int ret = parse(c->text, c->len, &pol, &e);

	if (!c->err) {
		CHECK(!ret && pol, "%s: got %s at %u:%u (%s), want success", c->desc,
		      errname(ret), e.line, e.column, e.msg ? e.msg : "");
		CHECK(!e.msg, "%s: message set on success", c->desc);
		gk_policy_free(ret ? NULL : pol);
		return;
	}
	CHECK(ret == c->err && e.line == c->line && e.column == c->col &&
	      e.msg && strstr(e.msg, c->msg),
	      "%s: got %s at %u:%u \"%s\", want %s at %u:%u \"...%s...\"", c->desc,
	      errname(ret), e.line, e.column, e.msg ? e.msg : "(null)",
	      errname(c->err), c->line, c->col, c->msg);
	CHECK(!pol, "%s: *out not NULL after a failure", c->desc);
	if (!ret)
		gk_policy_free(pol);
	/* The error report is optional: the same errno without one. */
	ret = parse(c->text, c->len, &pol, NULL);
	CHECK(ret == c->err, "%s, without an error struct: got %s", c->desc,
	      errname(ret));
	if (!ret)
		gk_policy_free(pol);
}

/* --------------------------------------------------- generated limits */

/* A growable text for the cases too long to write out. */
struct text {
	char *s;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3)))
add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->s = realloc(t->s, t->cap);
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, n + 1, fmt, ap);
	va_end(ap);
	t->len += n;
}

static void add_rep(struct text *t, char c, size_t n)
{
	while (n--)
		add(t, "%c", c);
}

/* Parse @t and check the outcome as a parse case would. */
static void expect(struct text *t, const char *desc, int err, u32 line, u32 col,
		   const char *msg)
{
	struct parse_case c = { desc, t->s, t->len, err, line, col, msg };

	test_parse_case(&c);
	free(t->s);
	memset(t, 0, sizeof(*t));
}

static void test_limits(void)
{
	struct text t = { 0 };
	int i;

	add(&t, HDR "#");
	add_rep(&t, 'x', GK_POLICY_LINE_MAX - 1);
	add(&t, "\n");
	expect(&t, "line of exactly 4096 bytes", 0, 0, 0, NULL);

	add(&t, HDR "#");
	add_rep(&t, 'x', GK_POLICY_LINE_MAX);
	add(&t, "\n");
	expect(&t, "line of 4097 bytes", -ENAMETOOLONG, 4, 4097, "longer than 4096");

	add(&t, HDR "#");
	add_rep(&t, 'x', GK_POLICY_LINE_MAX);
	expect(&t, "last line of 4097 bytes, no newline", -ENAMETOOLONG, 4, 4097, "longer");

	add(&t, HDR);
	while (t.len < GK_POLICY_SIZE_MAX - 100)
		add(&t, "# padding padding padding padding padding padding\n");
	add(&t, "#");
	add_rep(&t, 'x', GK_POLICY_SIZE_MAX - t.len - 1);
	add(&t, "\n");
	expect(&t, "text of exactly 256 KiB", 0, 0, 0, NULL);

	add(&t, HDR);
	while (t.len <= GK_POLICY_SIZE_MAX)
		add(&t, "# padding\n");
	expect(&t, "text over 256 KiB", -E2BIG, 0, 0, "256 KiB");

	add(&t, HDR "allow source exact ");
	add_rep(&t, 's', GK_POLICY_STRING_MAX);
	add(&t, "\n");
	expect(&t, "source of 1024 bytes", 0, 0, 0, NULL);

	add(&t, HDR "allow source exact \"");
	add_rep(&t, 's', GK_POLICY_STRING_MAX + 1);
	add(&t, "\"\n");
	expect(&t, "source of 1025 bytes", -ENAMETOOLONG, 4, 20, "1024");

	add(&t, HDR "allow source exact \"");
	add_rep(&t, '\\', 2 * GK_POLICY_STRING_MAX);
	add(&t, "\"\n");
	expect(&t, "source of 1024 escaped backslashes", 0, 0, 0, NULL);

	add(&t, HDR "allow app /");
	add_rep(&t, 'p', GK_POLICY_PATH_MAX - 1);
	add(&t, "\n");
	expect(&t, "app path of 1024 bytes", 0, 0, 0, NULL);

	add(&t, HDR "allow app /");
	add_rep(&t, 'p', GK_POLICY_PATH_MAX);
	add(&t, "\n");
	expect(&t, "app path of 1025 bytes", -ENAMETOOLONG, 4, 11, "1024");

	add(&t, HDR "publisher acme");
	for (i = 0; i < GK_POLICY_KEYS_MAX; i++)
		add(&t, " key %064x", i);
	add(&t, "\n");
	expect(&t, "publisher with 8 keys", 0, 0, 0, NULL);

	add(&t, HDR "publisher acme");
	for (i = 0; i <= GK_POLICY_KEYS_MAX; i++)
		add(&t, " key %064x", i);
	add(&t, "\n");
	expect(&t, "publisher with 9 keys", -E2BIG, 4, 15 + 8 * 69 + 5, "more than 8 keys");

	add(&t, HDR);
	for (i = 0; i < GK_POLICY_PUBLISHERS_MAX; i++)
		add(&t, "publisher p%d key %064x\n", i, i);
	for (i = 0; i < GK_POLICY_VERIFIERS_MAX; i++)
		add(&t, "verifier v%d key %064x\n", i, i);
	for (i = 0; i < GK_POLICY_RULES_MAX; i++)
		add(&t, "allow publisher p%d verifier v%d type %d\n",
		    i % GK_POLICY_PUBLISHERS_MAX, i % GK_POLICY_VERIFIERS_MAX, i + 1);
	expect(&t, "64 publishers, 16 verifiers, 1024 rules", 0, 0, 0, NULL);

	add(&t, HDR);
	for (i = 0; i <= GK_POLICY_PUBLISHERS_MAX; i++)
		add(&t, "publisher p%d key %064x\n", i, i);
	expect(&t, "65 publishers", -E2BIG, 4 + GK_POLICY_PUBLISHERS_MAX, 1, "more than 64");

	add(&t, HDR);
	for (i = 0; i <= GK_POLICY_VERIFIERS_MAX; i++)
		add(&t, "verifier v%d key %064x\n", i, i);
	expect(&t, "17 verifiers", -E2BIG, 4 + GK_POLICY_VERIFIERS_MAX, 1, "more than 16");

	add(&t, HDR);
	for (i = 0; i <= GK_POLICY_RULES_MAX; i++)
		add(&t, "allow type %d\n", i + 1);
	expect(&t, "1025 rules", -E2BIG, 4 + GK_POLICY_RULES_MAX, 1, "more than 1024");

	/* Revocations, in descending order: every insertion at the front. */
	add(&t, HDR);
	for (i = GK_POLICY_REVOKED_MAX; i > 0; i--)
		add(&t, "revoke digest %064x\n", i);
	expect(&t, "2048 revoked digests", 0, 0, 0, NULL);

	add(&t, HDR);
	for (i = 0; i <= GK_POLICY_REVOKED_MAX; i++)
		add(&t, "revoke digest %064x\n", i);
	expect(&t, "2049 revoked digests", -E2BIG, 4 + GK_POLICY_REVOKED_MAX, 15, "more than 2048");

	add(&t, HDR);
	for (i = 0; i < GK_POLICY_REVOKED_MAX; i++)
		add(&t, "revoke %s %064x\n", i % 2 ? "key" : "digest", i);
	expect(&t, "2048 revocations, keys and digests", 0, 0, 0, NULL);

	add(&t, HDR);
	for (i = 0; i < GK_POLICY_REVOKED_MAX; i++)
		add(&t, "revoke %s %064x\n", i % 2 ? "digest" : "key", i);
	add(&t, "revoke key %064x\n", GK_POLICY_REVOKED_MAX);
	expect(&t, "2049 revocations, keys and digests", -E2BIG, 4 + GK_POLICY_REVOKED_MAX, 12,
	       "more than 2048");

	/* The limit comes before the duplicate check: the line is one too many. */
	add(&t, HDR);
	for (i = 0; i < GK_POLICY_REVOKED_MAX; i++)
		add(&t, "revoke digest %064x\n", i);
	add(&t, "revoke digest %064x\n", 0);
	expect(&t, "a duplicate past 2048 revocations", -E2BIG, 4 + GK_POLICY_REVOKED_MAX, 15,
	       "more than 2048");

	/* A revoked publisher counts its keys. */
	add(&t, HDR "publisher acme");
	for (i = 0; i < GK_POLICY_KEYS_MAX; i++)
		add(&t, " key %064x", i);
	add(&t, "\n");
	for (i = 0; i < GK_POLICY_REVOKED_MAX - GK_POLICY_KEYS_MAX; i++)
		add(&t, "revoke digest %064x\n", i);
	add(&t, "revoke publisher acme\n");
	expect(&t, "2040 digests and a publisher of 8 keys", 0, 0, 0, NULL);

	add(&t, HDR "publisher acme");
	for (i = 0; i < GK_POLICY_KEYS_MAX; i++)
		add(&t, " key %064x", i);
	add(&t, "\n");
	for (i = 0; i <= GK_POLICY_REVOKED_MAX - GK_POLICY_KEYS_MAX; i++)
		add(&t, "revoke digest %064x\n", i);
	add(&t, "revoke publisher acme\n");
	expect(&t, "2041 digests and a publisher of 8 keys", -E2BIG,
	       5 + GK_POLICY_REVOKED_MAX - GK_POLICY_KEYS_MAX + 1, 18, "more than 2048");

	/* An error in text order wins over a count limit further down. */
	add(&t, HDR "allow bogus\n");
	for (i = 0; i <= GK_POLICY_RULES_MAX; i++)
		add(&t, "allow type %d\n", i + 1);
	expect(&t, "first error first", -EBADMSG, 4, 7, "unknown condition");
}

/* The parser allocates once; when that fails, nothing is returned. */
static void test_enomem(void)
{
#ifdef GK_TEST_WRAP_MALLOC
	struct gk_policy_error e = { 0 };
	struct gk_policy *pol = (void *)1;
	int ret;

	fail_malloc = 1;
	ret = gk_policy_parse(HDR, sizeof(HDR) - 1, &pol, &e);
	CHECK(ret == -ENOMEM && !pol && e.line == 0 && e.msg,
	      "allocation failure: got %s", errname(ret));
	fail_malloc = 0;
	if (!ret)
		gk_policy_free(pol);
#else
	printf("note: built without GK_TEST_WRAP_MALLOC: -ENOMEM not tested\n");
#endif
}

/* --------------------------------------------------------- evaluation */

/* One policy with a rule for each condition; numbers in the comments. */
static const char eval_policy[] =
	"policy eval version 5\n"
	"default audit\n"
	"mode enforce\n"
	"publisher acme key " KA " key " KA2 "\n"
	"publisher other key " KB "\n"
	"verifier maa key " KV "\n"
	"deny publisher other\n"						/* 1 */
	"allow publisher acme source exact https://x.example/a\n"		/* 2 */
	"allow publisher acme source prefix https://x.example/lib/\n"		/* 3 */
	"allow publisher acme source glob https://x.example/*/v?/bin\n"	/* 4 */
	"allow unsigned app /usr/bin/tool sha256 " KT " type kprobe\n"		/* 5 */
	"allow unsigned app \"/usr/bin/any tool\" type tracepoint\n"		/* 6 */
	"deny type xdp attach xdp\n"						/* 7 */
	"allow type xdp\n"							/* 8 */
	"audit signed type socket_filter\n"					/* 9 */
	"allow confidential verifier maa\n"					/* 10 */
	"deny confidential\n"							/* 11 */
	"allow nonconfidential type sched_cls\n";				/* 12 */

#define SK_LOOKUP 30	/* a type no rule names */
#define KPROBE 2
#define TRACEPOINT 5
#define XDP 6
#define SCHED_CLS 3
#define SOCKET_FILTER 1
#define ATTACH_XDP 37

#define SRC(s) .source = s, .source_len = sizeof(s) - 1
#define APP(s) .app = s, .app_len = sizeof(s) - 1

struct eval_case {
	const char *desc;
	struct gk_eval_input in;
	u8 action;
	u32 rule;
};

static const struct eval_case eval_cases[] = {
	{ "publisher by its key, before later rules",
	  { .prog_type = XDP, .is_signed = true, .signer_key = key_b }, GK_POLICY_DENY, 1 },
	{ "exact source",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .signer_key = key_a, SRC("https://x.example/a") },
	  GK_POLICY_ALLOW, 2 },
	{ "exact source, the publisher's second key",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .signer_key = key_a2, SRC("https://x.example/a") },
	  GK_POLICY_ALLOW, 2 },
	{ "exact source, one byte longer",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .signer_key = key_a, SRC("https://x.example/a/") },
	  GK_POLICY_AUDIT, 0 },
	{ "exact source, one byte shorter",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .signer_key = key_a, SRC("https://x.example/") },
	  GK_POLICY_AUDIT, 0 },
	{ "exact source, but a key of no publisher",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .signer_key = key_z, SRC("https://x.example/a") },
	  GK_POLICY_AUDIT, 0 },
	{ "exact source, but the signer unknown",
	  { .prog_type = SK_LOOKUP, .is_signed = true, SRC("https://x.example/a") },
	  GK_POLICY_AUDIT, 0 },
	{ "an unsigned program has no publisher, even with a publisher's key",
	  { .prog_type = XDP, .signer_key = key_b }, GK_POLICY_ALLOW, 8 },
	{ "an unsigned program has no publisher, whatever the key says",
	  { .prog_type = SK_LOOKUP, .signer_key = key_a, SRC("https://x.example/a") },
	  GK_POLICY_AUDIT, 0 },
	{ "a verifier key is not a publisher key",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .signer_key = key_v, SRC("https://x.example/a") },
	  GK_POLICY_AUDIT, 0 },
	{ "no source",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .signer_key = key_a }, GK_POLICY_AUDIT, 0 },
	{ "prefix source",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .signer_key = key_a, SRC("https://x.example/lib/z") },
	  GK_POLICY_ALLOW, 3 },
	{ "prefix source, equal to the prefix",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .signer_key = key_a, SRC("https://x.example/lib/") },
	  GK_POLICY_ALLOW, 3 },
	{ "prefix source, shorter than the prefix",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .signer_key = key_a, SRC("https://x.example/lib") },
	  GK_POLICY_AUDIT, 0 },
	{ "glob source",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .signer_key = key_a, SRC("https://x.example/agent/v1/bin") },
	  GK_POLICY_ALLOW, 4 },
	{ "glob source, '*' across '/'",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .signer_key = key_a, SRC("https://x.example/a/b/v2/bin") },
	  GK_POLICY_ALLOW, 4 },
	{ "glob source, '?' is one byte",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .signer_key = key_a, SRC("https://x.example/agent/v10/bin") },
	  GK_POLICY_AUDIT, 0 },
	{ "glob source, anchored at the end",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .signer_key = key_a, SRC("https://x.example/agent/v1/bin/x") },
	  GK_POLICY_AUDIT, 0 },
	{ "app with its digest",
	  { .prog_type = KPROBE, APP("/usr/bin/tool"), .app_sha256 = tool_sha }, GK_POLICY_ALLOW, 5 },
	{ "app with another digest",
	  { .prog_type = KPROBE, APP("/usr/bin/tool"), .app_sha256 = key_z }, GK_POLICY_AUDIT, 0 },
	{ "app whose digest is unknown",
	  { .prog_type = KPROBE, APP("/usr/bin/tool") }, GK_POLICY_AUDIT, 0 },
	{ "app path longer",
	  { .prog_type = KPROBE, APP("/usr/bin/tool2"), .app_sha256 = tool_sha }, GK_POLICY_AUDIT, 0 },
	{ "app path shorter",
	  { .prog_type = KPROBE, APP("/usr/bin/too"), .app_sha256 = tool_sha }, GK_POLICY_AUDIT, 0 },
	{ "app with its digest, other type",
	  { .prog_type = TRACEPOINT, APP("/usr/bin/tool"), .app_sha256 = tool_sha }, GK_POLICY_AUDIT, 0 },
	{ "app with its digest, but signed",
	  { .prog_type = KPROBE, .is_signed = true, .signer_key = key_z, APP("/usr/bin/tool"), .app_sha256 = tool_sha },
	  GK_POLICY_AUDIT, 0 },
	{ "app without digest condition, quoted path with a space",
	  { .prog_type = TRACEPOINT, APP("/usr/bin/any tool"), .app_sha256 = key_z }, GK_POLICY_ALLOW, 6 },
	{ "app unknown (a kernel thread)",
	  { .prog_type = TRACEPOINT }, GK_POLICY_AUDIT, 0 },
	{ "type and attach type",
	  { .prog_type = XDP, .attach_type = ATTACH_XDP }, GK_POLICY_DENY, 7 },
	{ "type, other attach type",
	  { .prog_type = XDP, .attach_type = 0 }, GK_POLICY_ALLOW, 8 },
	{ "signed",
	  { .prog_type = SOCKET_FILTER, .is_signed = true }, GK_POLICY_AUDIT, 9 },
	{ "signed, but unsigned",
	  { .prog_type = SOCKET_FILTER }, GK_POLICY_AUDIT, 0 },
	{ "confidential with a fresh attestation of the verifier",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .confidential = true, .attestation_key = key_v },
	  GK_POLICY_ALLOW, 10 },
	{ "confidential without attestation",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .confidential = true }, GK_POLICY_DENY, 11 },
	{ "confidential, attested by a key of no verifier",
	  { .prog_type = SK_LOOKUP, .is_signed = true, .confidential = true, .attestation_key = key_a },
	  GK_POLICY_DENY, 11 },
	{ "confidential first: rule 11 before 12",
	  { .prog_type = SCHED_CLS, .is_signed = true, .confidential = true }, GK_POLICY_DENY, 11 },
	{ "nonconfidential",
	  { .prog_type = SCHED_CLS, .is_signed = true }, GK_POLICY_ALLOW, 12 },
	{ "an unsigned program is never confidential",
	  { .prog_type = SCHED_CLS, .confidential = true }, GK_POLICY_ALLOW, 12 },
	{ "nothing matches: the default",
	  { .prog_type = SK_LOOKUP }, GK_POLICY_AUDIT, 0 },
};

/*
 * Conditions on the manifest without a publisher: an unsigned program has
 * no manifest, so whatever the loader passes along is ignored.
 */
static const char manifest_policy[] =
	HDR
	"allow source exact s\n"						/* 1 */
	"allow source prefix \"\"\n"					/* 2 */
	"audit nonconfidential type kprobe\n"					/* 3 */
	"allow confidential\n"						/* 4 */
	"allow bound type xdp\n"						/* 5 */
	"audit unbound type xdp\n";					/* 6 */

static const struct eval_case manifest_cases[] = {
	{ "signed, exact source", { .is_signed = true, SRC("s") }, GK_POLICY_ALLOW, 1 },
	{ "unsigned, the same source", { SRC("s") }, GK_POLICY_DENY, 0 },
	{ "signed, empty prefix matches any source", { .is_signed = true, SRC("t") },
	  GK_POLICY_ALLOW, 2 },
	{ "signed, empty source", { .is_signed = true, SRC("") }, GK_POLICY_ALLOW, 2 },
	{ "signed, no source at all", { .is_signed = true, .confidential = true },
	  GK_POLICY_ALLOW, 4 },
	{ "nonconfidential", { .prog_type = KPROBE, .is_signed = true }, GK_POLICY_AUDIT, 3 },
	{ "confidential, not nonconfidential",
	  { .prog_type = KPROBE, .is_signed = true, .confidential = true }, GK_POLICY_ALLOW, 4 },
	{ "unsigned, so nonconfidential", { .prog_type = KPROBE, .confidential = true },
	  GK_POLICY_AUDIT, 3 },
	{ "unsigned, empty prefix", { SRC("t") }, GK_POLICY_DENY, 0 },
	{ "unsigned, confidential flag", { .confidential = true }, GK_POLICY_DENY, 0 },
	{ "signed, maps bound", { .prog_type = XDP, .is_signed = true, .maps_bound = true },
	  GK_POLICY_ALLOW, 5 },
	{ "signed, maps not bound", { .prog_type = XDP, .is_signed = true }, GK_POLICY_AUDIT, 6 },
	{ "unsigned, so unbound", { .prog_type = XDP, .maps_bound = true }, GK_POLICY_AUDIT, 6 },
};

/* Evaluate with exact-size heap copies of the strings. */
static int eval(const struct gk_policy *pol, const struct gk_eval_input *in,
		struct gk_verdict *v)
{
	struct gk_eval_input c = *in;
	char *src = NULL, *app = NULL;
	int ret;

	if (in->source) {
		src = malloc(in->source_len ? in->source_len : 1);
		memcpy(src, in->source, in->source_len);
		c.source = src;
	}
	if (in->app) {
		app = malloc(in->app_len ? in->app_len : 1);
		memcpy(app, in->app, in->app_len);
		c.app = app;
	}
	ret = gk_policy_eval(pol, &c, v);
	free(src);
	free(app);
	return ret;
}

static void check_eval(const struct gk_policy *pol, const char *what,
		       const struct eval_case *c)
{
	struct gk_verdict v = { 0 };
	int ret = eval(pol, &c->in, &v);

	CHECK(!ret && v.action == c->action && v.rule == c->rule && v.reason,
	      "%s: %s: got %s %s rule %u, want %s rule %u", what, c->desc,
	      errname(ret), gk_policy_action_name(v.action), v.rule,
	      gk_policy_action_name(c->action), c->rule);
}

static void test_eval(void)
{
	static const struct eval_case no_rules[] = {
		{ "no rules: deny", { .prog_type = KPROBE, .is_signed = true, .signer_key = key_a },
		  GK_POLICY_DENY, 0 },
	};
	struct gk_eval_input bad = { .prog_type = KPROBE, .source_len = 3 };
	struct gk_policy *pol;
	struct gk_verdict v;
	size_t i;
	int ret;

	ret = parse(eval_policy, sizeof(eval_policy) - 1, &pol, NULL);
	CHECK(!ret, "evaluation policy: %s", errname(ret));
	if (ret)
		return;
	CHECK(pol->n_rules == 12 && pol->n_publishers == 2 && pol->n_verifiers == 1 &&
	      pol->default_action == GK_POLICY_AUDIT && pol->version == 5,
	      "evaluation policy: %u rules, %u publishers", pol->n_rules, pol->n_publishers);
	for (i = 0; i < ARRAY_SIZE(eval_cases); i++)
		check_eval(pol, "eval", &eval_cases[i]);

	CHECK(gk_policy_find_publisher(pol, key_a2) == 0 &&
	      gk_policy_find_publisher(pol, key_b) == 1 &&
	      gk_policy_find_publisher(pol, key_v) == -ENOENT &&
	      gk_policy_find_verifier(pol, key_v) == 0 &&
	      gk_policy_find_verifier(pol, key_a) == -ENOENT, "find_publisher/verifier");

	/* A length without its string fails closed. */
	v.action = GK_POLICY_ALLOW;
	ret = gk_policy_eval(pol, &bad, &v);
	CHECK(ret == -EINVAL && v.action == GK_POLICY_DENY && v.rule == 0,
	      "source_len without source: got %s %s", errname(ret),
	      gk_policy_action_name(v.action));
	bad.source_len = 0;
	bad.app_len = 1;
	v.action = GK_POLICY_ALLOW;
	ret = gk_policy_eval(pol, &bad, &v);
	CHECK(ret == -EINVAL && v.action == GK_POLICY_DENY,
	      "app_len without app: got %s", errname(ret));
	gk_policy_free(pol);

	ret = parse(manifest_policy, sizeof(manifest_policy) - 1, &pol, NULL);
	CHECK(!ret, "manifest policy: %s", errname(ret));
	if (!ret) {
		for (i = 0; i < ARRAY_SIZE(manifest_cases); i++)
			check_eval(pol, "manifest", &manifest_cases[i]);
		gk_policy_free(pol);
	}

	ret = parse(HDR, sizeof(HDR) - 1, &pol, NULL);
	CHECK(!ret, "header-only policy: %s", errname(ret));
	if (!ret) {
		check_eval(pol, "header only", &no_rules[0]);
		gk_policy_free(pol);
	}
}

/* ---------------------------------------------------------- acme.pol */

/*
 * The example the language must express: what policy/examples/acme.pol
 * holds.  These are its key and the digest of its bpftrace.
 */
static const u8 acme_key[32] = {
	0xc0, 0x7b, 0x0e, 0x32, 0xe3, 0xe0, 0x38, 0xe4, 0x79, 0x17, 0xc1, 0x03,
	0x60, 0x44, 0xf7, 0xff, 0x26, 0x24, 0xcd, 0xee, 0x51, 0xdd, 0x54, 0xe6,
	0x07, 0xac, 0xeb, 0xea, 0x13, 0x19, 0x13, 0xe2,
};

static const u8 bpftrace_sha256[32] = {
	0x10, 0x2f, 0x65, 0x86, 0x3e, 0x83, 0x3c, 0xea, 0xce, 0xc2, 0x62, 0x13,
	0xee, 0xf0, 0x89, 0xf1, 0x7c, 0xed, 0x82, 0xa8, 0x97, 0x9e, 0x4d, 0xac,
	0xe2, 0xcc, 0xed, 0xaa, 0x65, 0x4c, 0x63, 0x09,
};

#define ACME_SRC SRC("https://git.acme.example/agent/v2/collector.bpf.o")

static const struct eval_case acme_cases[] = {
	{ "acme agent loaded by its daemon",
	  { .prog_type = KPROBE, .is_signed = true, .signer_key = acme_key, ACME_SRC,
	    APP("/usr/sbin/acme-agent") }, GK_POLICY_ALLOW, 1 },
	{ "acme agent loaded by any app, even bpftrace, any type",
	  { .prog_type = XDP, .is_signed = true, .signer_key = acme_key, ACME_SRC,
	    APP("/usr/bin/bpftrace") }, GK_POLICY_ALLOW, 1 },
	{ "acme agent loaded from kernel context (no app)",
	  { .prog_type = SCHED_CLS, .is_signed = true, .signer_key = acme_key, ACME_SRC },
	  GK_POLICY_ALLOW, 1 },
	{ "acme, other repository",
	  { .prog_type = KPROBE, .is_signed = true, .signer_key = acme_key,
	    SRC("https://git.acme.example/tools/x.bpf.o") }, GK_POLICY_DENY, 0 },
	{ "acme, look-alike host",
	  { .prog_type = KPROBE, .is_signed = true, .signer_key = acme_key,
	    SRC("https://git.acme.example.evil/agent/x") }, GK_POLICY_DENY, 0 },
	{ "agent source signed by another key",
	  { .prog_type = KPROBE, .is_signed = true, .signer_key = key_z, ACME_SRC },
	  GK_POLICY_DENY, 0 },
	{ "agent source, unsigned",
	  { .prog_type = KPROBE, .signer_key = acme_key, ACME_SRC }, GK_POLICY_DENY, 0 },
	{ "bpftrace kprobe",
	  { .prog_type = KPROBE, APP("/usr/bin/bpftrace"), .app_sha256 = bpftrace_sha256 },
	  GK_POLICY_ALLOW, 2 },
	{ "bpftrace tracepoint",
	  { .prog_type = TRACEPOINT, APP("/usr/bin/bpftrace"), .app_sha256 = bpftrace_sha256 },
	  GK_POLICY_ALLOW, 2 },
	{ "bpftrace xdp",
	  { .prog_type = XDP, APP("/usr/bin/bpftrace"), .app_sha256 = bpftrace_sha256 },
	  GK_POLICY_DENY, 0 },
	{ "bpftrace perf_event",
	  { .prog_type = 7, APP("/usr/bin/bpftrace"), .app_sha256 = bpftrace_sha256 },
	  GK_POLICY_DENY, 0 },
	{ "bpftrace, other content",
	  { .prog_type = KPROBE, APP("/usr/bin/bpftrace"), .app_sha256 = key_z },
	  GK_POLICY_DENY, 0 },
	{ "bpftrace, content unknown",
	  { .prog_type = KPROBE, APP("/usr/bin/bpftrace") }, GK_POLICY_DENY, 0 },
	{ "same content at another path",
	  { .prog_type = KPROBE, APP("/tmp/bpftrace"), .app_sha256 = bpftrace_sha256 },
	  GK_POLICY_DENY, 0 },
	{ "bpftrace kprobe signed by someone else",
	  { .prog_type = KPROBE, .is_signed = true, .signer_key = key_z,
	    APP("/usr/bin/bpftrace"), .app_sha256 = bpftrace_sha256 }, GK_POLICY_DENY, 0 },
	{ "unsigned kprobe from another app",
	  { .prog_type = KPROBE, APP("/usr/bin/python3") }, GK_POLICY_DENY, 0 },
};

/* ------------------------------------------------------------- dump */

/* Dump, or NULL; *len is set either way. */
static char *dump(const struct gk_policy *pol, size_t *len)
{
	char *buf;
	int ret;

	ret = gk_policy_dump(pol, NULL, 0, len);
	if (ret != -ENOSPC && *len)
		return NULL;
	buf = malloc(*len + 1);
	ret = gk_policy_dump(pol, buf, *len + 1, len);
	if (ret) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * parse(dump(parse(text))) is equal to parse(text) and dumps to the same
 * text, no longer than the original (plus a final newline it may lack).
 */
static void check_round_trip(const char *desc, const char *text, size_t len)
{
	struct gk_policy *a = NULL, *b = NULL;
	char *d1 = NULL, *d2 = NULL;
	size_t l1, l2;
	int ret;

	ret = parse(text, len, &a, NULL);
	if (ret) {
		CHECK(0, "round trip of %s: parse: %s", desc, errname(ret));
		return;
	}
	d1 = dump(a, &l1);
	CHECK(d1 && strlen(d1) == l1 && l1 <= len + 1,
	      "round trip of %s: dump of %zu bytes from %zu", desc, l1, len);
	if (!d1)
		goto out;
	ret = parse(d1, l1, &b, NULL);
	CHECK(!ret, "round trip of %s: re-parse: %s\n%s", desc, errname(ret), d1);
	if (ret)
		goto out;
	CHECK(gk_policy_equal(a, b), "round trip of %s: not equal\n%s", desc, d1);
	d2 = dump(b, &l2);
	CHECK(d2 && l1 == l2 && !memcmp(d1, d2, l1),
	      "round trip of %s: second dump differs\n%s---\n%s", desc, d1, d2 ? d2 : "");
out:
	free(d1);
	free(d2);
	gk_policy_free(a);
	gk_policy_free(b);
}

/*
 * Revocations print after the verifiers: revoked publishers in their
 * order, then keys (less those of a revoked publisher), then digests,
 * sorted, lower case.
 */
static void test_dump_revoked(void)
{
	static const char messy[] =
		HDR
		"revoke digest " D2 "\n"
		"publisher acme key " KA " key " KA2 "\n"
		"revoke key " KZ "\n"
		"revoke\tdigest   " D1 "   # why\n"
		"verifier v key " KV "\n"
		"publisher other key " KB "\n"
		"revoke publisher acme\n"
		"revoke key " HEX64("C") "\n"
		"allow publisher acme\n";
	static const char golden[] =
		HDR
		"publisher acme key " KA " key " KA2 "\n"
		"publisher other key " KB "\n"
		"verifier v key " KV "\n"
		"revoke publisher acme\n"
		"revoke key " KB "\n"
		"revoke key " KZ "\n"
		"revoke digest " D1 "\n"
		"revoke digest " X8("abcdef01") "\n"
		"allow publisher acme\n";
	struct gk_policy *pol;
	size_t len;
	char *d;
	int ret;

	ret = parse(messy, sizeof(messy) - 1, &pol, NULL);
	CHECK(!ret, "revocations golden text: %s", errname(ret));
	if (ret)
		return;
	d = dump(pol, &len);
	CHECK(d && len == sizeof(golden) - 1 && !strcmp(d, golden),
	      "revocations golden dump:\n%s---want---\n%s", d ? d : "(null)", golden);
	free(d);
	gk_policy_free(pol);
	check_round_trip("revocations golden text", messy, sizeof(messy) - 1);
	check_round_trip("revocations golden dump", golden, sizeof(golden) - 1);
}

static void test_dump(void)
{
	static const char messy[] =
		"# comment\n"
		"policy  golden\tversion 18446744073709551615  # max\n"
		"default audit\n\n"
		"mode audit\n"
		"verifier v key " HEX64("D") "\n"
		"publisher acme key " HEX64("A") " key " KB "\n"
		"allow verifier v nonconfidential bound type 2,tracepoint,99 source prefix \"https://h/x\" publisher acme signed\n"
		"deny app \"/opt/a b\" sha256 " KT " type 26 attach 24,trace_fexit,4294967295\n"
		"audit source exact \"#\\\"q\\\\\"\n"
		"audit source glob \"\"\n"
		"allow unsigned confidential2\n";
	static const char golden[] =
		"policy golden version 18446744073709551615\n"
		"default audit\n"
		"mode audit\n"
		"publisher acme key " KA " key " KB "\n"
		"verifier v key " KV "\n"
		"allow signed publisher acme source prefix https://h/x type 2,tracepoint,99 nonconfidential bound verifier v\n"
		"deny app \"/opt/a b\" sha256 " KT " type 26 attach 24,trace_fexit,4294967295\n"
		"audit source exact \"#\\\"q\\\\\"\n"
		"audit source glob \"\"\n";
	struct gk_policy *pol;
	struct gk_policy_error e = { 0 };
	char buf[8];
	size_t len;
	char *d;
	int ret;

	/* The last line is a deliberate error, to test messages past a valid prefix. */
	ret = parse(messy, sizeof(messy) - 1, &pol, &e);
	CHECK(ret == -EBADMSG && e.line == 12 && e.column == 16,
	      "golden text: unknown condition: got %s at %u:%u", errname(ret), e.line, e.column);
	ret = parse(messy, sizeof(messy) - 1 - 30, &pol, &e);
	CHECK(!ret, "golden text: %s at %u:%u %s", errname(ret), e.line, e.column,
	      e.msg ? e.msg : "");
	if (ret)
		return;
	d = dump(pol, &len);
	CHECK(d && len == sizeof(golden) - 1 && !strcmp(d, golden),
	      "golden dump:\n%s---want---\n%s", d ? d : "(null)", golden);
	free(d);

	ret = gk_policy_dump(pol, NULL, 0, &len);
	CHECK(ret == -ENOSPC && len == sizeof(golden) - 1,
	      "dump into nothing: %s, %zu", errname(ret), len);
	memset(buf, 'x', sizeof(buf));
	/* Cut inside a word: nothing past the 4 bytes given may be written. */
	ret = gk_policy_dump(pol, buf, 4, &len);
	CHECK(ret == -ENOSPC && len == sizeof(golden) - 1 && !memcmp(buf, "polixxxx", 8),
	      "dump into 4 bytes: %s, %.8s", errname(ret), buf);
	d = malloc(sizeof(golden) - 1);
	ret = gk_policy_dump(pol, d, sizeof(golden) - 1, &len);
	CHECK(!ret && !memcmp(d, golden, len), "dump into exactly its size: %s",
	      errname(ret));
	free(d);
	gk_policy_free(pol);

	check_round_trip("golden text", messy, sizeof(messy) - 1 - 30);
	check_round_trip("evaluation policy", eval_policy, sizeof(eval_policy) - 1);
	test_dump_revoked();
}

/* Every valid case round-trips. */
static void test_round_trips(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(parse_cases); i++)
		if (!parse_cases[i].err)
			check_round_trip(parse_cases[i].desc, parse_cases[i].text,
					 parse_cases[i].len);
}

/* ------------------------------------------------------------ equality */

static void test_equal(void)
{
	static const char *const variants[] = {
		HDR "allow type 2\n",
		"policy q version 1\ndefault deny\nmode enforce\nallow type 2\n",
		"policy p version 2\ndefault deny\nmode enforce\nallow type 2\n",
		"policy p version 1\ndefault allow\nmode enforce\nallow type 2\n",
		"policy p version 1\ndefault deny\nmode audit\nallow type 2\n",
		HDR "deny type 2\n",
		HDR "allow type 5\n",
		HDR "allow type 2,5\n",
		HDR "allow type 2 attach 0\n",
		HDR "allow type 2\nallow type 5\n",
		HDR PUB "allow type 2\n",
		HDR "publisher acme key " KB "\nallow type 2\n",
		HDR "publisher acme key " KA " key " KB "\nallow type 2\n",
		HDR "verifier acme key " KA "\nallow type 2\n",
		HDR "allow type 2 app /a\n",
		HDR "allow type 2 app /b\n",
		HDR "allow type 2 app /a sha256 " KT "\n",
		HDR "allow type 2 source exact a\n",
		HDR "allow type 2 source prefix a\n",
		HDR "allow type 2 signed\n",
		HDR "allow type 2 confidential\n",
		HDR "publisher a key " KA "\npublisher b key " KB "\nallow type 2 publisher a\n",
		HDR "publisher a key " KA "\npublisher b key " KB "\nallow type 2 publisher b\n",
		HDR "verifier a key " KA "\nverifier b key " KB "\nallow type 2 verifier a\n",
		HDR "verifier a key " KA "\nverifier b key " KB "\nallow type 2 verifier b\n",
		HDR "allow type 2 app /a sha256 " KZ "\n",
		HDR "allow type 2 attach 1\n",
		HDR "allow type 2,6\n",
		HDR "allow type 2 source exact b\n",
		HDR "revoke digest " D1 "\nallow type 2\n",
		HDR "revoke digest " D2 "\nallow type 2\n",
		HDR "revoke digest " D1 "\nrevoke digest " D2 "\nallow type 2\n",
		HDR "revoke key " D1 "\nallow type 2\n",
		HDR "revoke key " KA "\nallow type 2\n",
		HDR PUB "revoke key " KA "\nallow type 2\n",
		HDR PUB "revoke publisher acme\nallow type 2\n",
		HDR "revoke key " D1 "\nrevoke digest " D1 "\nallow type 2\n",
	};
	/* The same lists in other orders and spellings: equal. */
	static const struct {
		size_t variant;
		const char *text;
	} same_as[] = {
		{ 31, HDR "revoke digest " X8("abcdef01") "\nrevoke digest " D1 "\nallow type 2\n" },
		{ 36, HDR "revoke digest " D1 "\n\nrevoke key " D1 "  # k\nallow type 2\n" },
		{ 34, HDR "revoke key " KA "\n" PUB "allow type 2\n" },
	};
	struct gk_policy *p[ARRAY_SIZE(variants)], *same;
	size_t n = ARRAY_SIZE(variants), i, j;
	int ret;

	for (i = 0; i < n; i++) {
		ret = parse(variants[i], strlen(variants[i]), &p[i], NULL);
		CHECK(!ret, "equality variant %zu: %s", i, errname(ret));
		if (ret)
			p[i] = NULL;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (p[i] && p[j])
				CHECK(gk_policy_equal(p[i], p[j]) == (i == j),
				      "equal(variant %zu, variant %zu) = %d", i, j,
				      gk_policy_equal(p[i], p[j]));
	/* Spelling is not meaning: kprobe is type 2. */
	ret = parse(HDR "allow   type kprobe # x\n", sizeof(HDR "allow   type kprobe # x\n") - 1,
		    &same, NULL);
	CHECK(!ret && p[0] && gk_policy_equal(p[0], same), "type 2 equals type kprobe");
	if (!ret)
		gk_policy_free(same);
	for (i = 0; i < ARRAY_SIZE(same_as); i++) {
		ret = parse(same_as[i].text, strlen(same_as[i].text), &same, NULL);
		CHECK(!ret && p[same_as[i].variant] && gk_policy_equal(p[same_as[i].variant], same) &&
		      gk_policy_equal(same, p[same_as[i].variant]),
		      "equality: %s equals variant %zu", same_as[i].text, same_as[i].variant);
		if (!ret)
			gk_policy_free(same);
	}
	for (i = 0; i < n; i++)
		gk_policy_free(p[i]);
}

/* -------------------------------------------------------- revocations */

/* A digest whose 32 bytes are 0 but for the last four: @v, big-endian. */
static void digest_of(u32 v, u8 d[32])
{
	memset(d, 0, 32);
	d[28] = v >> 24;
	d[29] = v >> 16;
	d[30] = v >> 8;
	d[31] = v;
}

static void test_revoke_lookups(void)
{
	/* Sorted: 0x10.., 0x20.., 0x30..; around each, values just off it. */
	static const char three[] =
		HDR "revoke digest " HEX64("3") "\nrevoke digest " HEX64("1") "\n"
		"publisher acme key " KA " key " KA2 "\npublisher other key " KB "\n"
		"revoke digest " HEX64("2") "\nrevoke publisher acme\nrevoke key " KZ "\n";
	static const struct {
		const char *desc;
		u8 first, last;		/* the digest's first 31 bytes and its last */
		bool revoked;
	} around[] = {
		{ "all zero, below the first", 0x00, 0x00, false },
		{ "just below the first", 0x11, 0x10, false },
		{ "the first", 0x11, 0x11, true },
		{ "just above the first", 0x11, 0x12, false },
		{ "between", 0x1f, 0xff, false },
		{ "the middle", 0x22, 0x22, true },
		{ "just below the last", 0x33, 0x32, false },
		{ "the last", 0x33, 0x33, true },
		{ "just above the last", 0x33, 0x34, false },
		{ "far above the last", 0xf0, 0xf0, false },
	};
	struct text t = { 0 };
	struct gk_policy *pol;
	u8 d[32];
	u32 i, bad;
	int ret;

	ret = parse(three, sizeof(three) - 1, &pol, NULL);
	CHECK(!ret, "revocation policy: %s", errname(ret));
	if (ret)
		return;
	CHECK(pol->n_revoked_digests == 3 && pol->n_revoked_keys == 3 &&
	      pol->revoked_publishers == 1, "revocation policy: %u digests, %u keys, publishers %#llx",
	      pol->n_revoked_digests, pol->n_revoked_keys,
	      (unsigned long long)pol->revoked_publishers);
	for (i = 0; i < ARRAY_SIZE(around); i++) {
		memset(d, around[i].first, 31);
		d[31] = around[i].last;
		CHECK(gk_policy_revokes_digest(pol, d) == around[i].revoked,
		      "revokes_digest, %s: want %d", around[i].desc, around[i].revoked);
		CHECK(!gk_policy_revokes_key(pol, d), "revokes_key, %s: a digest is no key",
		      around[i].desc);
	}
	CHECK(gk_policy_revokes_key(pol, key_a) && gk_policy_revokes_key(pol, key_a2) &&
	      gk_policy_revokes_key(pol, key_z) && !gk_policy_revokes_key(pol, key_b) &&
	      !gk_policy_revokes_key(pol, key_v) && !gk_policy_revokes_digest(pol, key_a),
	      "revokes_key: acme's two keys (revoke publisher) and key_z, not other's nor a digest");
	CHECK(gk_policy_revokes_publisher(pol, 0) && !gk_policy_revokes_publisher(pol, 1) &&
	      !gk_policy_revokes_publisher(pol, 2) && !gk_policy_revokes_publisher(pol, 64),
	      "revokes_publisher: acme only");
	gk_policy_free(pol);

	ret = parse(HDR, sizeof(HDR) - 1, &pol, NULL);
	CHECK(!ret, "header-only policy: %s", errname(ret));
	if (!ret) {
		memset(d, 0, sizeof(d));
		CHECK(!gk_policy_revokes_digest(pol, d) && !gk_policy_revokes_key(pol, d) &&
		      !gk_policy_revokes_digest(pol, key_z) && !gk_policy_revokes_publisher(pol, 0),
		      "an empty revocation list revokes nothing");
		gk_policy_free(pol);
	}

	ret = parse(HDR "revoke key " KB "\n", sizeof(HDR "revoke key " KB "\n") - 1, &pol, NULL);
	CHECK(!ret, "one revoked key: %s", errname(ret));
	if (!ret) {
		CHECK(gk_policy_revokes_key(pol, key_b) && !gk_policy_revokes_key(pol, key_a) &&
		      !gk_policy_revokes_key(pol, key_v), "one revoked key: itself only");
		gk_policy_free(pol);
	}

	/*
	 * A full list, written in a scrambled order: the odd numbers 1 ...
	 * 4095.  Every one is found, at every position of the array; no even
	 * number is, below the first, between any two and above the last.
	 */
	add(&t, HDR);
	for (i = 0; i < GK_POLICY_REVOKED_MAX; i++)
		add(&t, "revoke digest %064x\n", 2 * ((i * 797) % GK_POLICY_REVOKED_MAX) + 1);
	ret = parse(t.s, t.len, &pol, NULL);
	CHECK(!ret, "2048 scrambled digests: %s", errname(ret));
	if (!ret)
		check_round_trip("2048 scrambled digests", t.s, t.len);
	free(t.s);
	memset(&t, 0, sizeof(t));
	if (ret)
		return;
	CHECK(pol->n_revoked_digests == GK_POLICY_REVOKED_MAX && !pol->n_revoked_keys,
	      "2048 scrambled digests: %u", pol->n_revoked_digests);
	for (i = 1, bad = 0; i < pol->n_revoked_digests; i++)
		bad += memcmp(pol->revoked_digests[i - 1], pol->revoked_digests[i], 32) >= 0;
	CHECK(!bad, "2048 scrambled digests: %u out of order", bad);
	for (i = 0, bad = 0; i <= 2 * GK_POLICY_REVOKED_MAX; i++) {
		digest_of(i, d);
		if (gk_policy_revokes_digest(pol, d) != (i % 2) && !bad++)
			printf("  revokes_digest(%u) = %d\n", i, !(i % 2));
		bad += gk_policy_revokes_key(pol, d);
	}
	CHECK(!bad, "2048 scrambled digests: %u lookups wrong", bad);
	gk_policy_free(pol);

	/* The last publisher's bit. */
	add(&t, HDR);
	for (i = 0; i < GK_POLICY_PUBLISHERS_MAX; i++)
		add(&t, "publisher p%u key %064x\n", i, i);
	add(&t, "revoke publisher p%u\n", GK_POLICY_PUBLISHERS_MAX - 1);
	ret = parse(t.s, t.len, &pol, NULL);
	free(t.s);
	memset(&t, 0, sizeof(t));
	CHECK(!ret, "64 publishers, the last revoked: %s", errname(ret));
	if (ret)
		return;
	digest_of(GK_POLICY_PUBLISHERS_MAX - 1, d);
	CHECK(gk_policy_revokes_publisher(pol, GK_POLICY_PUBLISHERS_MAX - 1) &&
	      !gk_policy_revokes_publisher(pol, GK_POLICY_PUBLISHERS_MAX - 2) &&
	      pol->revoked_publishers == 1ULL << 63 && gk_policy_revokes_key(pol, d) &&
	      pol->n_revoked_keys == 1, "64 publishers, the last revoked");
	gk_policy_free(pol);
}

/* --------------------------------------------------------------- glob */

static const struct {
	const char *pat, *s;
	bool match;
} glob_cases[] = {
	{ "", "", true }, { "", "a", false }, { "*", "", true }, { "*", "abc", true },
	{ "?", "", false }, { "?", "a", true }, { "??", "a", false },
	{ "a*", "a", true }, { "a*b", "ab", true }, { "a*b", "axxb", true },
	{ "a*b", "axxbc", false }, { "*b", "bbb", true }, { "a*b*c", "abbbc", true },
	{ "a*b*c", "acb", false }, { "**", "x", true }, { "*?", "", false },
	{ "*?", "x", true }, { "a?c", "abc", true }, { "a?c", "ac", false },
	{ "*aab", "aaab", true }, { "*ab*ab", "abab", true }, { "*ab*ab", "aba", false },
	{ "a*", "a*", true }, { "a?", "a*", true }, { "a\\*", "a\\x", true },
	{ "a*", "a*b", true }, { "*b", "*xb", true }, { "?*", "**", true },
	{ "https://h/*", "https://h/a/b", true }, { "https://h/*", "https://h", false },
	{ "*.bpf.o", "x/y.bpf.o", true }, { "*.bpf.o", "x/y.bpf.oo", false },
};

/* The oracle: the textbook dynamic programme, for short strings. */
static bool glob_oracle(const char *p, size_t pn, const char *s, size_t sn)
{
	bool m[8][8] = { { false } };
	size_t i, j;

	m[0][0] = true;
	for (i = 1; i <= pn; i++)
		for (j = 0; j <= sn; j++)
			m[i][j] = p[i - 1] == '*' ?
				  m[i - 1][j] || (j && m[i][j - 1]) :
				  j && m[i - 1][j - 1] && (p[i - 1] == '?' || p[i - 1] == s[j - 1]);
	return m[pn][sn];
}

static void test_glob(void)
{
	static const char pal[] = "ab*?", sal[] = "ab";
	char p[8], s[8], big[2048];
	unsigned long pc, sc, bad = 0, total = 0;
	size_t i, pn, sn;

	for (i = 0; i < ARRAY_SIZE(glob_cases); i++)
		CHECK(gk_policy_glob_match(glob_cases[i].pat, strlen(glob_cases[i].pat),
					   glob_cases[i].s, strlen(glob_cases[i].s)) ==
		      glob_cases[i].match, "glob \"%s\" on \"%s\": want %d",
		      glob_cases[i].pat, glob_cases[i].s, glob_cases[i].match);

	/* Every pattern over {a,b,*,?} up to 6, every string over {a,b} up to 6. */
	for (pn = 0; pn <= 6; pn++) {
		for (pc = 0; pc < 1UL << (2 * pn); pc++) {
			for (i = 0; i < pn; i++)
				p[i] = pal[(pc >> (2 * i)) & 3];
			for (sn = 0; sn <= 6; sn++) {
				for (sc = 0; sc < 1UL << sn; sc++) {
					for (i = 0; i < sn; i++)
						s[i] = sal[(sc >> i) & 1];
					total++;
					if (gk_policy_glob_match(p, pn, s, sn) !=
					    glob_oracle(p, pn, s, sn) && !bad++)
						printf("  glob \"%.*s\" on \"%.*s\" disagrees with the oracle\n",
						       (int)pn, p, (int)sn, s);
				}
			}
		}
	}
	CHECK(!bad, "glob: %lu of %lu disagree with the oracle", bad, total);

	/* The pathological case for backtracking matchers stays linear-ish. */
	memset(big, 'a', sizeof(big));
	CHECK(!gk_policy_glob_match("*a*a*a*a*a*a*a*a*a*a*b", 22, big, 1024),
	      "glob: many stars on 1024 bytes");
	for (i = 0; i + 1 < 1024; i += 2) {
		big[i] = '*';
		big[i + 1] = 'a';
	}
	CHECK(gk_policy_glob_match(big, 1024, big + 1024, 1023),
	      "glob: 512 stars on 1023 bytes");
	big[1023] = 'b';
	CHECK(!gk_policy_glob_match(big, 1024, big + 1024, 1023),
	      "glob: 512 stars and a missing b on 1023 bytes");
}

/* ------------------------------------------------------- type tables */

/*
 * Check the name tables against the enums of a linux/bpf.h: entry i of
 * the header must be table entry i under the policy's spelling, and
 * parse; a header newer than the tables fails here, so they get updated.
 */
static void check_enum(const char *hdr, const char *file, const char *open,
		       const char *prefix, bool prog)
{
	const char *p = strstr(hdr, open), *end;
	size_t plen = strlen(prefix);
	u32 i = 0, named = 0;

	CHECK(p, "%s: no \"%s\"", file, open);
	if (!p)
		return;
	end = strstr(p, "};");
	for (p = strstr(p, prefix); p && p < end; p = strstr(p, prefix)) {
		char want[64], rule[256];
		const char *got;
		size_t n = 0;
		struct gk_policy *pol;
		int ret;

		if (p[-1] == '_') {	/* __MAX_BPF_..., not a member */
			p += plen;
			continue;
		}
		p += plen;
		while ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_') {
			if (n + 1 < sizeof(want))
				want[n++] = *p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p;
			p++;
		}
		want[n] = '\0';
		got = prog ? gk_policy_prog_type_name(i) : gk_policy_attach_type_name(i);
		if (prog && !strcmp(want, "unspec")) {
			CHECK(i == 0 && !got, "%s: unspec must be 0 and unnamed", file);
			i++;
			continue;
		}
		CHECK(got && !strcmp(got, want), "%s: %s%s is %u, the table says %s",
		      file, prefix, want, i, got ? got : "nothing");
		snprintf(rule, sizeof(rule), "%sallow type %s%s\n", HDR,
			 prog ? "" : "tracing attach ", want);
		ret = parse(rule, strlen(rule), &pol, NULL);
		CHECK(!ret && (prog ? pol->rules[0].types[0] : pol->rules[0].attach[0]) == i,
		      "%s: %s does not parse as %u", file, want, i);
		if (!ret)
			gk_policy_free(pol);
		named++;
		i++;
	}
	CHECK(named > 20, "%s: only %u members of %s", file, named, open);
	/* Past the table: unnamed. */
	CHECK(!(prog ? gk_policy_prog_type_name(1000) : gk_policy_attach_type_name(1000)),
	      "type 1000 has a name");
}

static void test_bpf_h(const char *file)
{
	FILE *f = fopen(file, "r");
	static char hdr[1 << 20];
	size_t n;

	CHECK(f, "cannot open %s", file);
	if (!f)
		return;
	n = fread(hdr, 1, sizeof(hdr) - 1, f);
	fclose(f);
	hdr[n] = '\0';
	check_enum(hdr, file, "enum bpf_prog_type {", "BPF_PROG_TYPE_", true);
	check_enum(hdr, file, "enum bpf_attach_type {", "BPF_", false);
}

/* ---------------------------------------------------------- examples */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(GK_POLICY_SIZE_MAX + 1);
	*len = fread(buf, 1, GK_POLICY_SIZE_MAX + 1, f);
	fclose(f);
	return buf;
}

static void test_examples(const char *dir)
{
	char path[4096];
	struct dirent *de;
	struct gk_policy *pol;
	struct gk_policy_error e;
	unsigned int files = 0;
	size_t len, i;
	DIR *d = opendir(dir);
	char *text;
	int ret;

	CHECK(d, "cannot open %s", dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n < 5 || strcmp(de->d_name + n - 4, ".pol"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		text = read_file(path, &len);
		ret = text ? parse(text, len, &pol, &e) : -ENOENT;
		CHECK(!ret, "%s:%u:%u: %s (%s)", path, e.line, e.column,
		      e.msg ? e.msg : "", errname(ret));
		if (!ret) {
			gk_policy_free(pol);
			check_round_trip(path, text, len);
		}
		free(text);
		files++;
	}
	closedir(d);
	CHECK(files >= 2, "%s: only %u examples", dir, files);

	snprintf(path, sizeof(path), "%s/acme.pol", dir);
	text = read_file(path, &len);
	ret = text ? parse(text, len, &pol, &e) : -ENOENT;
	free(text);
	CHECK(!ret, "%s: %s", path, errname(ret));
	if (ret)
		return;
	CHECK(pol->default_action == GK_POLICY_DENY && pol->mode == GK_POLICY_ENFORCE &&
	      pol->n_rules == 2, "acme.pol: default, mode or rule count changed");
	for (i = 0; i < ARRAY_SIZE(acme_cases); i++)
		check_eval(pol, "acme.pol", &acme_cases[i]);
	gk_policy_free(pol);
}

int main(int argc, char **argv)
{
	const char *examples = "policy/examples";
	size_t i;
	int a;

	for (i = 0; i < ARRAY_SIZE(parse_cases); i++)
		test_parse_case(&parse_cases[i]);
	test_limits();
	test_enomem();
	test_eval();
	test_dump();
	test_round_trips();
	test_equal();
	test_revoke_lookups();
	test_glob();
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--examples") && a + 1 < argc)
			examples = argv[++a];
		else if (!strcmp(argv[a], "--bpf-h") && a + 1 < argc)
			test_bpf_h(argv[++a]);
		else
			CHECK(0, "unknown argument %s", argv[a]);
	}
	test_examples(examples);

	return gk_test_summary();
}
