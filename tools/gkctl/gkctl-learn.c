// SPDX-License-Identifier: GPL-2.0
/*
 * gkctl learn: run a learning session -- audit mode for a bounded time,
 * the module recording each verified program nothing admits yet -- and
 * write what it learnt as a signing request for "gk-sign --request".
 *
 * The session belongs to the securityfs file this process holds open, so
 * the module ends it and puts the mode back however gkctl ends (even on
 * SIGKILL), and at the timeout even if gkctl hangs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>
#include "gkctl.h"
#include "request.h"

#define GK_LEARN_DEFAULT_SECONDS 300
#define GK_LEARN_GRACE_SECONDS 5	/* for the command to exit after SIGINT */

static const char gk_help_learn[] =
	"Usage: gkctl learn [--timeout SECONDS] [-o REQUEST] [-- COMMAND [ARGS...]]\n"
	"\n"
	"Learn what a workload loads on this kernel: put the gate in audit mode,\n"
	"run COMMAND (or wait for Ctrl-C), and record every program the verifier\n"
	"accepted that no signature, catalogue probe or policy rule admits.  Write\n"
	"them as a signing request (JSON, docs/formats.md) to REQUEST or stdout,\n"
	"for review and \"gk-sign --request REQUEST\".\n"
	"\n"
	"While learning, every unsigned program loads (audit mode): that is said\n"
	"when it starts.  Learning ends when COMMAND exits, on Ctrl-C or SIGTERM,\n"
	"or at the timeout (COMMAND then gets SIGINT, and SIGKILL 5 s later); the\n"
	"module then puts back the mode it found, also if gkctl itself is killed.\n"
	"\n"
	"  -t, --timeout SECONDS  learn for at most SECONDS (1-86400; default 300)\n"
	"  -o, --output REQUEST   write the request there instead of stdout\n"
	"\n"
	"A locked gate cannot learn (it refuses audit mode).\n";

static const struct gk_errmsg gk_errs_learn[] = {
	{ EBUSY, "another learning session is running (gkctl status)" },
	{ GK_EPERM_LOCKED, "the gate is locked: learning needs audit mode, which it refuses until reboot" },
	{ EINVAL, "the module refused the timeout" },
	{ 0, NULL },
};

/* Undo the octal escapes (\ooo) of the module's seq_escape(), in place. */
static void gk_unescape(char *s)
{
	char *d = s;

	for (; *s; s++, d++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*d = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*d = *s;
		}
	}
	*d = '\0';
}

/* One "prog ..." line of the learn file; format in docs/formats.md. */
static int gk_learnt_line(char *line, struct gk_learnt_prog *p)
{
	char digest[65], sha[65], name[600], app[4200], attach[300], maps[5000];
	unsigned long long seen;

	if (sscanf(line, "prog %64s %u %u %u %llu %64s %599s %4199s %299s %4999s", digest,
		   &p->prog_type, &p->attach_type, &p->insns, &seen, sha, name, app, attach,
		   maps) != 10 ||
	    gk_unhex(digest, p->digest, GK_DIGEST_SIZE))
		return -EINVAL;
	p->attach_varies = !strcmp(attach, "varies");
	p->maps_vary = !strcmp(maps, "varies");
	if (!p->maps_vary && gk_maps_parse(maps, &p->maps))
		return -EINVAL;
	if (!p->attach_varies && strcmp(attach, "-")) {
		p->attach = strdup(attach);
		if (!p->attach)
			return -ENOMEM;
	}
	p->seen = seen;
	p->has_loader_sha256 = strcmp(sha, "-") && !gk_unhex(sha, p->loader_sha256, GK_DIGEST_SIZE);
	gk_unescape(name);
	gk_unescape(app);
	/* An unnamed program (a loader's own probe) is signed by digest. */
	if (!strcmp(name, "-"))
		snprintf(name, sizeof(name), "prog_%.8s", digest);
	p->name = strdup(name);
	p->loader = strcmp(app, "-") ? strdup(app) : NULL;
	return p->name ? 0 : -ENOMEM;
}

/* The learn file, as a request for this kernel. */
static int gk_learnt_read(struct gk_request *r)
{
	char *buf, *line, *save = NULL;
	struct utsname u;
	u32 n = 0;
	int err;

	memset(r, 0, sizeof(*r));
	if (gk_fs_read("learn", &buf))
		return -EIO;
	for (line = buf; (line = strchr(line, '\n')); line++)
		n++;
	r->progs = calloc(n + 1, sizeof(*r->progs));
	uname(&u);
	r->kernel = strdup(u.release);
	if (!r->progs || !r->kernel) {
		free(buf);
		gk_err("out of memory");
		return -ENOMEM;
	}
	err = 0;
	for (line = strtok_r(buf, "\n", &save); line && !err; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "dropped: ", 9)) {
			r->dropped = strtoull(line + 9, NULL, 10);
		} else if (!strncmp(line, "prog ", 5)) {
			err = gk_learnt_line(line, &r->progs[r->cnt]);
			if (err)
				gk_err("learn: unexpected line from the module: %s", line);
			else
				r->cnt++;
		}
	}
	free(buf);
	return err;
}

/* Wait for a signal or the deadline; Return: the signal, or 0 at the deadline. */
static int gk_wait_signal(const sigset_t *set, time_t deadline)
{
	struct timespec ts = { 0 };
	time_t now;
	int sig;

	for (;;) {
		now = time(NULL);
		if (now >= deadline)
			return 0;
		ts.tv_sec = deadline - now;
		sig = sigtimedwait(set, NULL, &ts);
		if (sig > 0)
			return sig;
		if (errno == EAGAIN)
			return 0;
	}
}

/*
 * Run @argv (or nothing) until it exits, a signal, or @seconds pass.
 * Return: a description of how learning ended, for the operator.
 */
static const char *gk_learn_run(char **argv, unsigned int seconds, int *status)
{
	time_t deadline = time(NULL) + seconds;
	sigset_t set, old;
	const char *how;
	pid_t child = -1;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	*status = -1;
	if (argv[0]) {
		child = fork();
		if (child == 0) {
			sigprocmask(SIG_SETMASK, &old, NULL);
			execvp(argv[0], argv);
			fprintf(stderr, "gkctl: learn: cannot run %s: %s\n", argv[0], strerror(errno));
			_exit(127);
		}
		if (child < 0) {
			sigprocmask(SIG_SETMASK, &old, NULL);
			return "the command could not be started";
		}
	}
	for (;;) {
		sig = gk_wait_signal(&set, deadline);
		if (sig == SIGCHLD) {
			if (child > 0 && waitpid(child, status, WNOHANG) == child)
				return "the command exited";
			continue;
		}
		how = sig ? "interrupted" : "timeout";
		break;
	}
	if (child > 0) {
		kill(child, sig == SIGTERM || sig == SIGHUP ? sig : SIGINT);
		deadline = time(NULL) + GK_LEARN_GRACE_SECONDS;
		while (waitpid(child, status, WNOHANG) == 0) {
			if (!gk_wait_signal(&set, deadline)) {
				kill(child, SIGKILL);
				waitpid(child, status, 0);
				break;
			}
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return how;
}

static void gk_learnt_print(const struct gk_request *r)
{
	u32 i;

	for (i = 0; i < r->cnt; i++) {
		const struct gk_learnt_prog *p = &r->progs[i];
		char *hex = gk_hex(p->digest, 8);

		fprintf(stderr, "  %s... %-14s %-40s seen %llu by %s\n", hex ? hex : "?",
			libbpf_bpf_prog_type_str(p->prog_type) ?: "?", p->name,
			(unsigned long long)p->seen, p->loader ? p->loader : "(unknown loader)");
		free(hex);
	}
}

int gk_cmd_learn(int argc, char **argv)
{
	const char *timeout = NULL, *out = NULL, *how;
	const struct gk_opt opts[] = {
		{ "timeout", 't', &timeout, NULL },
		{ "output", 'o', &out, NULL },
		{ NULL, 0, NULL, NULL },
	};
	char word[32], *mode = NULL, *path, *end;
	unsigned long seconds = GK_LEARN_DEFAULT_SECONDS;
	struct gk_request r;
	json_t *j;
	int ret, fd, status, err;

	ret = gk_opts(argc, argv, "gkctl learn", gk_help_learn, opts, 0, 1 << 16);
	if (ret >= 0)
		return ret;
	if (timeout) {
		errno = 0;
		seconds = strtoul(timeout, &end, 10);
		if (errno || *end || !seconds || seconds > 86400)
			return gk_usage_err("gkctl learn", "--timeout must be 1 to 86400 seconds");
	}
	if (gk_fs_read("mode", &mode))
		return GK_EXIT_FAIL;
	mode[strcspn(mode, "\n")] = '\0';
	path = gk_path("learn");
	fd = path ? open(path, O_RDWR | O_CLOEXEC) : -1;
	free(path);
	err = fd < 0 ? -errno : 0;
	if (!err) {
		snprintf(word, sizeof(word), "start %lu", seconds);
		if (write(fd, word, strlen(word)) < 0)
			err = -errno;
	}
	if (err) {
		gk_fs_err("learn", "learn", err, gk_errs_learn);
		if (fd >= 0)
			close(fd);
		free(mode);
		return GK_EXIT_FAIL;
	}
	fprintf(stderr, "gkctl: learning for at most %lu s in AUDIT mode (was %s): every unsigned program loads and is recorded\n",
		seconds, mode);
	how = gk_learn_run(argv + optind, seconds, &status);
	/* ESRCH: the module's own timer ended the session first. */
	if (write(fd, "stop", 4) < 0 && errno != ESRCH)
		gk_err("learn: ending the session: %s (closing it ends it too)", strerror(errno));
	close(fd);

	free(mode);
	mode = NULL;
	if (gk_fs_read("mode", &mode) || gk_learnt_read(&r)) {
		free(mode);
		return GK_EXIT_FAIL;
	}
	mode[strcspn(mode, "\n")] = '\0';
	fprintf(stderr, "gkctl: learning ended (%s), mode is %s again; %u program(s) learnt on %s:\n",
		how, mode, r.cnt, r.kernel);
	gk_learnt_print(&r);
	if (status > 0 && WIFEXITED(status) && WEXITSTATUS(status))
		fprintf(stderr, "gkctl: note: the command exited with status %d\n", WEXITSTATUS(status));
	if (r.dropped)
		fprintf(stderr, "gkctl: warning: the module could not record %llu program(s); learn again with fewer at once\n",
			(unsigned long long)r.dropped);

	ret = GK_EXIT_FAIL;
	j = gk_request_json(&r);
	if (!j) {
		gk_err("out of memory");
	} else if (!out) {
		json_dumpf(j, stdout, JSON_INDENT(2));
		putchar('\n');
		ret = GK_EXIT_OK;
	} else {
		char *text = json_dumps(j, JSON_INDENT(2));

		if (!text)
			gk_err("out of memory");
		else if ((err = gk_write_file(out, (u8 *)text, strlen(text))))
			gk_err("cannot write %s: %s", out, strerror(-err));
		else
			ret = GK_EXIT_OK;
		free(text);
		if (!ret && gk_json)
			gk_json_print(json_pack("{s:s, s:i, s:s, s:s}", "request", out,
						"programs", (int)r.cnt, "ended", how, "mode", mode));
		else if (!ret)
			fprintf(stderr, "gkctl: review %s, then: gk-sign --key KEY --cert CERT --request %s -o BUNDLE\n",
				out, out);
	}
	json_decref(j);
	gk_request_free(&r);
	free(mode);
	return ret;
}
