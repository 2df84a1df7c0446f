// SPDX-License-Identifier: GPL-2.0
/*
 * gkctl log: the decision log, one "key=value ..." line per decision, read
 * from a ring the module keeps of the last decisions, oldest first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gkctl.h"

static const char gk_help_log[] =
	"Usage: gkctl log [--json] [--follow]\n"
	"\n"
	"Print the decision log the module keeps: its last decisions, oldest first,\n"
	"one line each of key=value pairs (a value with spaces is double-quoted):\n"
	"  seq=12 time=5230 action=deny prog=\"foo\" type=1 attach=0 digest=HEX|-\n"
	"  origin=user comm=\"x\" pid=42 app=\"/usr/bin/x\" app_sha256=HEX|-\n"
	"  publisher=\"NAME\" source=\"URI\" rule=3 reason=\"no registered signature\"\n"
	"  fix=\"what would admit it\" [repeated=N]\n"
	"seq grows by one per decision; \"-\" stands for absent.  A refusal identical\n"
	"to the one before (same program, loader and reason) is not logged again:\n"
	"repeated counts them on its line.  With --json, one\n"
	"JSON object per line (JSON Lines): seq, time, type, attach, rule, pid, uid\n"
	"and repeated as numbers, \"-\" as null, other values as strings, \"truncated\": true\n"
	"for a line the module cut short; a line of another form as {\"raw\": LINE}.\n"
	"\n"
	"  -f, --follow   print the log, then every new decision as it is logged,\n"
	"                 until interrupted (SIGINT, SIGTERM: exit 0).  Decisions the\n"
	"                 ring dropped before they were read are reported on stderr\n"
	"                 (with --json as {\"lost\": N}).\n";

/* Keys whose values are numbers (in the log and the programs file). */
static const char *const gk_log_numeric[] = { "seq", "time", "type", "attach", "rule", "pid", "uid",
					      "repeated", "id", "unrecorded", "revoked" };

#define GK_POLL_NS (200 * 1000 * 1000)

static volatile sig_atomic_t gk_stop;

static void gk_on_signal(int sig)
{
	(void)sig;
	gk_stop = 1;
}

static bool gk_log_is_numeric(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(gk_log_numeric) / sizeof(gk_log_numeric[0]); i++)
		if (!strcmp(key, gk_log_numeric[i]))
			return true;
	return false;
}

/* @s as a decimal u64: digits only, no sign, at most 20 of them. */
static bool gk_parse_u64(const char *s, u64 *v)
{
	size_t n = strspn(s, "0123456789");
	char *end;

	if (!n || s[n] || n > 20)
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !errno;
}

static json_t *gk_log_value(const char *key, const char *val, bool quoted)
{
	u64 n;

	/* The module writes "-" for what is absent, quoted or not. */
	if (!strcmp(val, "-"))
		return json_null();
	if (!quoted && gk_log_is_numeric(key) && gk_parse_u64(val, &n))
		return gk_json_u64(n);
	return json_string(val);
}

/*
 * One line of the module's key=value text (the log, the programs file) as
 * a JSON object: key=value pairs separated by spaces, a
 * value being a word or a double-quoted string in which \" and \\ stand for
 * a quote and a backslash.  The module cuts a line that would be too long
 * ("..." at the end): a quoted value still open at the end of the line then
 * runs to it, and the object gets "truncated": true.
 * Return: the object, or NULL if the line is not of that form (or empty).
 */
json_t *gk_kv_parse(const char *line)
{
	char *copy = strdup(line), *p = copy, *key, *val, *w;
	json_t *o = json_object();
	bool quoted, truncated = false, ok = copy && o && *line;

	while (ok && *p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		key = p;
		p += strcspn(p, "= \"");
		if (*p != '=' || p == key) {
			ok = false;
			break;
		}
		*p++ = '\0';
		quoted = *p == '"';
		if (quoted) {
			val = w = ++p;
			for (; *p && *p != '"'; p++) {
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				*w++ = *p;
			}
			if (!*p) {
				truncated = true;
			} else if (p[1] && p[1] != ' ') {
				ok = false;
				break;
			} else {
				p++;
			}
			*w = '\0';
		} else {
			val = p;
			p += strcspn(p, " \"");
			if (*p == '"') {
				ok = false;
				break;
			}
			if (*p)
				*p++ = '\0';
		}
		if (json_object_set_new(o, key, gk_log_value(key, val, quoted)))
			ok = false;
	}
	free(copy);
	if (ok && truncated && json_object_set_new(o, "truncated", json_true()))
		ok = false;
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static bool gk_log_seq(json_t *o, u64 *seq)
{
	json_t *v = json_object_get(o, "seq");

	if (json_is_integer(v)) {
		*seq = (u64)json_integer_value(v);
		return true;
	}
	return json_is_string(v) && gk_parse_u64(json_string_value(v), seq);
}

/* Print one line as it is, or as JSON. */
static void gk_log_emit(const char *line, json_t *o)
{
	if (!gk_json)
		puts(line);
	else if (o)
		gk_json_print(json_incref(o));
	else
		gk_json_print(json_pack("{s:s}", "raw", line));
}

static int gk_log_all(char *buf)
{
	char *line, *save;
	json_t *o;

	if (!gk_json) {
		fputs(buf, stdout);
		if (*buf && buf[strlen(buf) - 1] != '\n')
			putchar('\n');
		return GK_EXIT_OK;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		o = gk_kv_parse(line);
		gk_log_emit(line, o);
		json_decref(o);
	}
	return GK_EXIT_OK;
}

/* Where --follow is: the highest seq printed, once anything with one was. */
struct gk_follow {
	u64 last;
	bool have_last;
	bool first;
};

/* Complete lines only: the one the module is still writing comes next time. */
static char *gk_next_line(char **p)
{
	char *line = *p, *nl = strchr(line, '\n');

	if (!nl)
		return NULL;
	*nl = '\0';
	*p = nl + 1;
	return line;
}

static void gk_follow_round(struct gk_follow *f, char *buf)
{
	char *copy = strdup(buf), *p, *line;
	u64 seq, min = 0, max = 0;
	bool found = false;
	json_t *o;

	if (!copy) {
		gk_err("out of memory");
		return;
	}
	/* Pass 1: the range of sequence numbers the ring holds now. */
	for (p = copy; (line = gk_next_line(&p));) {
		o = gk_kv_parse(line);
		if (o && gk_log_seq(o, &seq)) {
			min = found && min < seq ? min : seq;
			max = found && max > seq ? max : seq;
			found = true;
		}
		json_decref(o);
	}
	free(copy);
	if (found && f->have_last && max < f->last) {
		/* Numbers went back: a new module instance started a new log. */
		if (gk_json)
			gk_json_print(json_pack("{s:b}", "restarted", 1));
		else
			fprintf(stderr, "%s: the log started again (was the module reloaded?)\n",
				program_invocation_short_name);
		f->have_last = false;
	}
	if (found && f->have_last && min > f->last + 1) {
		if (gk_json)
			gk_json_print(json_pack("{s:o}", "lost", gk_json_u64(min - f->last - 1)));
		else
			fprintf(stderr, "%s: %llu decision%s dropped from the log before %s could be read\n",
				program_invocation_short_name, (unsigned long long)(min - f->last - 1),
				min - f->last - 1 == 1 ? " was" : "s were",
				min - f->last - 1 == 1 ? "it" : "they");
	}
	/* Pass 2: print what is new. */
	for (p = buf; (line = gk_next_line(&p));) {
		if (!*line)
			continue;
		o = gk_kv_parse(line);
		if (o && gk_log_seq(o, &seq)) {
			if (!f->have_last || seq > f->last)
				gk_log_emit(line, o);
		} else if (f->first) {
			gk_log_emit(line, o);
		}
		json_decref(o);
	}
	if (found && (!f->have_last || max > f->last)) {
		f->last = max;
		f->have_last = true;
	}
	f->first = false;
}

static int gk_log_follow(void)
{
	struct gk_follow f = { .first = true };
	struct timespec ts = { 0, GK_POLL_NS };
	struct sigaction sa;
	char *buf;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = gk_on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the sleep ends at once. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!gk_stop) {
		if (gk_fs_read("log", &buf))
			return GK_EXIT_FAIL;
		gk_follow_round(&f, buf);
		free(buf);
		fflush(stdout);
		if (!gk_stop)
			nanosleep(&ts, NULL);
	}
	return GK_EXIT_OK;
}

int gk_cmd_log(int argc, char **argv)
{
	bool follow = false;
	const struct gk_opt opts[] = {
		{ "follow", 'f', NULL, &follow },
		{ NULL, 0, NULL, NULL },
	};
	char *buf;
	int ret;

	ret = gk_opts(argc, argv, "gkctl log", gk_help_log, opts, 0, 0);
	if (ret >= 0)
		return ret;
	if (follow)
		return gk_log_follow();
	if (gk_fs_read("log", &buf))
		return GK_EXIT_FAIL;
	ret = gk_log_all(buf);
	free(buf);
	return ret;
}
