// SPDX-License-Identifier: GPL-2.0
/*
 * The lexer of the policy language: lines, words and quoted strings, and
 * the errors that name their line and column.
 */
#include "internal.h"

int gkp_fail_at(struct gk_parser *p, int err, u32 line, u32 col,
		const char *msg)
{
	if (p->err) {
		p->err->line = line;
		p->err->column = col;
		p->err->msg = msg;
	}
	return err;
}

int gkp_fail(struct gk_parser *p, int err, u32 col, const char *msg)
{
	return gkp_fail_at(p, err, p->line, col, msg);
}

/* The column just past the current line's last byte. */
u32 gkp_eol_col(const struct gk_parser *p)
{
	return (u32)(p->eol - p->bol) + 1;
}

/*
 * Step to the next line and check every byte of it, comments included, so
 * nothing outside printable ASCII (a NUL that would truncate a C string
 * elsewhere, a bidirectional control hidden in a comment) gets in.
 * Return: 1 with a line, 0 at the end of the text, or -errno.
 */
int gkp_next_line(struct gk_parser *p)
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
			return gkp_fail(p, -ENAMETOOLONG, col,
					"line longer than 4096 bytes");
		if (!c)
			return gkp_fail(p, -EILSEQ, col, "NUL byte");
		if (c == '\r')
			return gkp_fail(p, -EILSEQ, col,
					"carriage return: CRLF line ends are not allowed");
		if (c >= 0x80)
			return gkp_fail(p, -EILSEQ, col,
					"non-ASCII byte: the policy is ASCII only");
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return gkp_fail(p, -EILSEQ, col, "control character");
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
int gkp_next_tok(struct gk_parser *p, struct gk_tok *t)
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
				return gkp_fail(p, -EBADMSG, t->col,
						"unterminated quoted string");
			if (s[i] == '"')
				break;
			if (s[i] == '\t')
				return gkp_fail(p, -EBADMSG, (u32)(i - p->bol) + 1,
						"tab in a quoted string");
			if (s[i] == '\\') {
				if (i + 1 == p->eol ||
				    (s[i + 1] != '"' && s[i + 1] != '\\'))
					return gkp_fail(p, -EBADMSG,
							(u32)(i - p->bol) + 1,
						       "invalid escape: only \\\" and \\\\ are allowed");
				i++;
			}
			t->vlen++;
		}
		i++;
		if (i < p->eol && !gk_blank(s[i]))
			return gkp_fail(p, -EBADMSG, (u32)(i - p->bol) + 1,
					"expected a space after the closing quote");
	} else {
		for (; i < p->eol && !gk_blank(s[i]); i++)
			if (s[i] == '"' || s[i] == '\\')
				return gkp_fail(p, -EBADMSG, (u32)(i - p->bol) + 1,
						"quote or backslash in an unquoted word");
		t->vlen = (u32)(i - start);
	}
	t->len = (u32)(i - start);
	p->cur = i;
	return 1;
}

/* A token that must be there: its absence is reported at the line's end. */
int gkp_need_tok(struct gk_parser *p, struct gk_tok *t, const char *msg)
{
	int ret = gkp_next_tok(p, t);

	if (!ret)
		return gkp_fail(p, -EBADMSG, gkp_eol_col(p), msg);
	return ret < 0 ? ret : 0;
}

int gkp_need_end(struct gk_parser *p)
{
	struct gk_tok t;
	int ret = gkp_next_tok(p, &t);

	if (ret > 0)
		return gkp_fail(p, -EBADMSG, t.col, "unexpected word at the end of the line");
	return ret;
}

bool gkp_is(const struct gk_tok *t, const char *word)
{
	size_t n = strlen(word);

	return !t->quoted && t->len == n && !memcmp(t->s, word, n);
}

/* The value of a token into @dst, which has room for t->vlen bytes. */
void gkp_tok_value(const struct gk_tok *t, char *dst)
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
int gkp_keyword(struct gk_parser *p, const struct gk_tok *t,
		const char *const *tab, u32 n, const char *msg, u8 *out)
{
	u32 i = t->quoted ? GK_U32_MAX : gkp_lookup(tab, n, t->s, t->len);

	if (i == GK_U32_MAX)
		return gkp_fail(p, -EBADMSG, t->col, msg);
	*out = (u8)i;
	return 0;
}
