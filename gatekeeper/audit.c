// SPDX-License-Identifier: GPL-2.0
/*
 * Recording decisions and changes: a kernel audit record (type
 * AUDIT_KERNEL_OTHER, for third-party modules) for every denial,
 * audit-mode "would deny", rule with the audit action and change of trust,
 * and a line in the decision log, a ring of the last GK_LOG_LINES
 * decisions of any kind that securityfs "log" shows.
 *
 * Audit records follow the kernel's conventions: lsm= and op= first, res=
 * last, strings a loader chooses quoted or, if they could forge fields, in
 * hex.  Under a flood of decisions records are rate limited; the ones left
 * out are counted, and the next record says how many.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/audit.h>
#include <linux/jhash.h>
#include <linux/ktime.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "audit.h"
#include "gatekeeper.h"
#include "app.h"
#include "compat.h"
#include "gk_format.h"

#define GK_LOG_LINES 512
#define GK_LOG_LINE_MAX 1024
#define GK_LOG_PATH_MAX 256	/* longer application paths are cut */

/*
 * A decision identical to one of the last GK_LOG_FOLD lines is counted on
 * that line: a loader retrying with its probes in between (libxdp) folds
 * into a few lines instead of flushing the ring.
 */
#define GK_LOG_FOLD 16

/* What makes two decisions identical: same program, loader, action, reason. */
struct gk_decision_key {
	u8 digest[GK_DIGEST_SIZE];
	char prog_name[16];
	pid_t tgid;
	u32 reason_hash;
	const char *action;
};

struct gk_log_line {
	char text[GK_LOG_LINE_MAX];
	u32 repeated;		/* identical decisions folded into this line */
	struct gk_decision_key key;
};

static struct gk_log_line *gk_log_ring;
static u64 gk_log_next;			/* sequence number of the next line */
static DEFINE_SPINLOCK(gk_log_lock);

/* Room to format one decision in, per CPU: a decision allocates nothing. */
struct gk_log_scratch {
	char text[GK_LOG_LINE_MAX];
	char app[GK_LOG_PATH_MAX + 1];
	char src[GK_SOURCE_MAX + 1];
	char exe[GK_LOG_PATH_MAX + 1];
};
static struct gk_log_scratch __percpu *gk_log_scratch;

static DEFINE_RATELIMIT_STATE(gk_audit_rs, HZ, 200);
static atomic64_t gk_audit_suppressed;

static const char *const gk_origin_names[] = {
	[GK_ORIGIN_USER] = "user",
	[GK_ORIGIN_KERNEL] = "kernel",
	[GK_ORIGIN_UNKNOWN] = "unknown",
};

static const char *gk_or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/*
 * A string someone else chose, as audit_log_untrustedstring() writes it
 * (which modules cannot call): quoted if it cannot end the field, else in
 * hex, which ausearch -i decodes.
 */
static void gk_audit_untrusted(struct audit_buffer *ab, const char *key, const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if (*p == '"' || *p < 0x21 || *p > 0x7e)
			break;
	if (!*p) {
		audit_log_format(ab, " %s=\"%s\"", key, s);
		return;
	}
	audit_log_format(ab, " %s=", key);
	for (p = s; *p; p++)
		audit_log_format(ab, "%02X", (unsigned char)*p);
}

/* A digest, or "-" for none. */
static void gk_audit_hex(struct audit_buffer *ab, const char *key, const u8 *digest)
{
	if (digest)
		audit_log_format(ab, " %s=%*phN", key, GK_DIGEST_SIZE, digest);
	else
		audit_log_format(ab, " %s=-", key);
}

/*
 * The audit record of a decision.
 * Context: any; does not sleep.
 */
static void gk_audit_decision(const struct gk_decision *d)
{
	const u8 *app_digest = d->app && d->app->has_digest ? d->app->digest : NULL;
	char comm[TASK_COMM_LEN];
	struct audit_buffer *ab;
	u64 left_out;

	if (!__ratelimit(&gk_audit_rs)) {
		atomic64_inc(&gk_audit_suppressed);
		return;
	}
	ab = audit_log_start(audit_context(), GFP_ATOMIC, AUDIT_KERNEL_OTHER);
	if (!ab) {
		atomic64_inc(&gk_audit_suppressed);
		return;
	}
	audit_log_format(ab, "lsm=gatekeeper op=load action=%s", d->action);
	gk_audit_untrusted(ab, "prog_name", d->prog_name);
	audit_log_format(ab, " prog_type=%u attach_type=%u", d->prog_type, d->attach_type);
	gk_audit_hex(ab, "digest", d->digest);
	audit_log_format(ab, " origin=%s pid=%d", gk_origin_names[d->origin],
			 task_tgid_nr(current));
	gk_audit_untrusted(ab, "comm", get_task_comm(comm, current));
	audit_log_format(ab, " rule=%u reason=\"%s\"", d->rule, d->reason);
	gk_audit_untrusted(ab, "publisher", gk_or_dash(d->publisher));
	gk_audit_hex(ab, "app_sha256", app_digest);
	gk_audit_untrusted(ab, "app", d->app ? d->app->path : "-");
	gk_audit_untrusted(ab, "source", gk_or_dash(d->source));
	left_out = atomic64_xchg(&gk_audit_suppressed, 0);
	if (left_out)
		audit_log_format(ab, " suppressed=%llu", left_out);
	audit_log_format(ab, " res=%d", strcmp(d->action, "deny") ? 1 : 0);
	audit_log_end(ab);
}

/* Context: any.  Return: audit records left out under a flood, not yet reported. */
u64 gk_audit_suppressed_count(void)
{
	return atomic64_read(&gk_audit_suppressed);
}

/*
 * Process names and paths are chosen by whoever loads: keep them from
 * forging fields of the key=value text (quotes, spaces are kept inside the
 * quotes; control characters, quotes and backslashes become '?').
 */
void gk_sanitize(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size && src[i]; i++)
		dst[i] = (src[i] < 0x20 || src[i] > 0x7e || src[i] == '"' ||
			  src[i] == '\\') ? '?' : src[i];
	dst[i] = '\0';
}

static void gk_decision_key_of(const struct gk_decision *d, struct gk_decision_key *k)
{
	memset(k, 0, sizeof(*k));
	if (d->digest)
		memcpy(k->digest, d->digest, GK_DIGEST_SIZE);
	strscpy(k->prog_name, d->prog_name, sizeof(k->prog_name));
	k->tgid = task_tgid_nr(current);
	k->reason_hash = jhash(d->reason, strlen(d->reason), 0);
	k->action = d->action;
}

/*
 * A decision identical to one of the last GK_LOG_FOLD lines (a loader
 * retrying) is counted there.  Return: whether it was.
 */
static bool gk_log_repeat(const struct gk_decision_key *key)
{
	struct gk_log_line *line;
	unsigned long flags;
	bool same = false;
	u64 i;

	spin_lock_irqsave(&gk_log_lock, flags);
	for (i = 1; i <= GK_LOG_FOLD && i <= gk_log_next && !same; i++) {
		line = &gk_log_ring[(gk_log_next - i) % GK_LOG_LINES];
		same = !memcmp(key, &line->key, sizeof(*key));
		if (same)
			line->repeated++;
	}
	spin_unlock_irqrestore(&gk_log_lock, flags);
	return same;
}

/* Put a line in the ring, with what makes a later decision identical. */
static void gk_log_put(const char *text, const struct gk_decision_key *key)
{
	struct gk_log_line *line;
	unsigned long flags;

	spin_lock_irqsave(&gk_log_lock, flags);
	line = &gk_log_ring[gk_log_next++ % GK_LOG_LINES];
	memcpy(line->text, text, GK_LOG_LINE_MAX);
	line->repeated = 0;
	line->key = *key;
	spin_unlock_irqrestore(&gk_log_lock, flags);
}

/**
 * gk_log_decision() - record one decision
 * @d: the decision and what it was based on
 *
 * A refusal also goes to the kernel log (rate limited), with the loader's
 * executable and what would fix it.  A decision identical to one of the
 * last GK_LOG_FOLD lines is counted on that line instead of logged again.
 *
 * Context: any but interrupt; does not sleep (GFP_ATOMIC audit buffers).
 * The line is formatted in this CPU's scratch, with preemption off.
 */
void gk_log_decision(const struct gk_decision *d)
{
	char digest[2 * GK_DIGEST_SIZE + 1] = "-", app_digest[2 * GK_DIGEST_SIZE + 1] = "-";
	struct gk_log_scratch *b;
	static DEFINE_RATELIMIT_STATE(gk_kmsg_rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	struct gk_decision_key key;
	char comm[TASK_COMM_LEN], *text;
	const char *exe;
	int n;

	gk_decision_key_of(d, &key);
	if (gk_log_repeat(&key)) {
		if (d->record)
			gk_audit_decision(d);
		return;
	}
	b = get_cpu_ptr(gk_log_scratch);
	text = b->text;
	gk_sanitize(comm, current->comm, sizeof(comm));
	gk_sanitize(b->app, d->app ? d->app->path : "-", sizeof(b->app));
	gk_sanitize(b->src, gk_or_dash(d->source), sizeof(b->src));
	if (d->digest)
		bin2hex(digest, d->digest, GK_DIGEST_SIZE)[0] = '\0';
	if (d->app && d->app->has_digest)
		bin2hex(app_digest, d->app->digest, GK_DIGEST_SIZE)[0] = '\0';
	/* The fixed fields first, so that a cut line keeps them. */
	n = snprintf(text, GK_LOG_LINE_MAX,
		     "time=%llu action=%s prog=\"%s\" type=%u attach=%u digest=%s origin=%s comm=\"%s\" pid=%d rule=%u reason=\"%s\" publisher=\"%s\" app_sha256=%s app=\"%s\" source=\"%s\" fix=\"%s\"",
		     ktime_get_boottime_ns() / NSEC_PER_MSEC, d->action, d->prog_name,
		     d->prog_type, d->attach_type, digest, gk_origin_names[d->origin],
		     comm, task_tgid_nr(current), d->rule, d->reason,
		     gk_or_dash(d->publisher), app_digest, b->app, b->src, gk_or_dash(d->fix));
	if (n >= GK_LOG_LINE_MAX)
		memcpy(text + GK_LOG_LINE_MAX - 5, "...\"", 5);

	if (d->record)
		gk_audit_decision(d);
	gk_log_put(text, &key);
	/* The executable's path is looked up only for a line that is printed. */
	if (d->record && __ratelimit(&gk_kmsg_rs)) {
		exe = gk_app_exe(b->exe, sizeof(b->exe));
		gk_sanitize(b->app, exe ? exe : "-", sizeof(b->app));
		pr_notice("%s prog=%s type=%u digest=%s comm=%s pid=%d exe=%s reason=\"%s\" fix=\"%s\"\n",
			  d->action, d->prog_name, d->prog_type, digest, comm,
			  task_tgid_nr(current), b->app, d->reason, gk_or_dash(d->fix));
	}
	put_cpu_ptr(gk_log_scratch);
}

/**
 * gk_audit_change() - record a change of what the gate trusts or does
 * @op: what changed: policy, mode, lock, disarm, key, bypassed, ...
 * @detail: what it changed to, in words; may come from userspace
 *
 * Context: process context.
 */
void gk_audit_change(const char *op, const char *detail)
{
	char comm[TASK_COMM_LEN];
	struct audit_buffer *ab;

	ab = audit_log_start(audit_context(), GFP_KERNEL, AUDIT_KERNEL_OTHER);
	if (!ab)
		return;
	audit_log_format(ab, "lsm=gatekeeper op=%s pid=%d", op, task_tgid_nr(current));
	gk_audit_untrusted(ab, "comm", get_task_comm(comm, current));
	gk_audit_untrusted(ab, "detail", detail);
	audit_log_format(ab, " res=1");
	audit_log_end(ab);
}

/* Context: process context.  Oldest first, each line prefixed "seq=N". */
int gk_log_show(struct seq_file *m)
{
	struct gk_log_line *copy;
	unsigned long flags;
	u64 first, next, i;

	copy = kvmalloc_array(GK_LOG_LINES, sizeof(*copy), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	spin_lock_irqsave(&gk_log_lock, flags);
	next = gk_log_next;
	memcpy(copy, gk_log_ring, GK_LOG_LINES * sizeof(*copy));
	spin_unlock_irqrestore(&gk_log_lock, flags);

	first = next > GK_LOG_LINES ? next - GK_LOG_LINES : 0;
	for (i = first; i < next; i++) {
		seq_printf(m, "seq=%llu %s", i, copy[i % GK_LOG_LINES].text);
		if (copy[i % GK_LOG_LINES].repeated)
			seq_printf(m, " repeated=%u", copy[i % GK_LOG_LINES].repeated);
		seq_putc(m, '\n');
	}
	kvfree(copy);
	return 0;
}

/* Context: module init.  Return: 0 or -ENOMEM. */
int gk_log_init(void)
{
	gk_log_ring = kvcalloc(GK_LOG_LINES, sizeof(*gk_log_ring), GFP_KERNEL);
	gk_log_scratch = alloc_percpu(struct gk_log_scratch);
	if (gk_log_ring && gk_log_scratch)
		return 0;
	gk_log_exit();
	return -ENOMEM;
}

void gk_log_exit(void)
{
	free_percpu(gk_log_scratch);
	kvfree(gk_log_ring);
}
