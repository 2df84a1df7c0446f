// SPDX-License-Identifier: GPL-2.0
/*
 * Recording decisions: a kernel audit record (type AUDIT_KERNEL_OTHER, for
 * third-party modules) for every denial, audit-mode "would deny" and rule
 * with the audit action, and a line in the decision log, a ring of the last
 * GK_LOG_LINES decisions of any kind that securityfs "log" shows.  Both
 * carry the same key=value text.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/audit.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "gatekeeper.h"

#define GK_LOG_LINES 512
#define GK_LOG_LINE_MAX 1024
#define GK_LOG_PATH_MAX 256	/* longer application paths are cut */

struct gk_log_line {
	char text[GK_LOG_LINE_MAX];
};

static struct gk_log_line *gk_log_ring;
static u64 gk_log_next;			/* sequence number of the next line */
static DEFINE_SPINLOCK(gk_log_lock);

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
 * Process names and paths are chosen by whoever loads: keep them from
 * forging fields of the key=value text (quotes, spaces are kept inside the
 * quotes; control characters, quotes and backslashes become '?').
 */
static void gk_sanitize(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size && src[i]; i++)
		dst[i] = (src[i] < 0x20 || src[i] > 0x7e || src[i] == '"' ||
			  src[i] == '\\') ? '?' : src[i];
	dst[i] = '\0';
}

/**
 * gk_log_decision() - record one decision
 * @d: the decision and what it was based on
 *
 * Context: any; does not sleep (GFP_ATOMIC audit buffers).
 */
void gk_log_decision(const struct gk_decision *d)
{
	char digest[2 * GK_DIGEST_SIZE + 1] = "-", app_digest[2 * GK_DIGEST_SIZE + 1] = "-";
	struct {
		char text[GK_LOG_LINE_MAX];
		char app[GK_LOG_PATH_MAX + 1];
		char src[GK_SOURCE_MAX + 1];
	} *b;
	char comm[TASK_COMM_LEN], *text;
	struct gk_log_line *line;
	unsigned long flags;
	int n;

	b = kmalloc(sizeof(*b), GFP_ATOMIC);
	if (!b)
		return;
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
		     "time=%llu action=%s prog=\"%s\" type=%u attach=%u digest=%s origin=%s comm=\"%s\" pid=%d rule=%u reason=\"%s\" publisher=\"%s\" app_sha256=%s app=\"%s\" source=\"%s\"",
		     ktime_get_boottime_ns() / NSEC_PER_MSEC, d->action, d->prog_name,
		     d->prog_type, d->attach_type, digest, gk_origin_names[d->origin],
		     comm, task_tgid_nr(current), d->rule, d->reason,
		     gk_or_dash(d->publisher), app_digest, b->app, b->src);
	if (n >= GK_LOG_LINE_MAX)
		memcpy(text + GK_LOG_LINE_MAX - 5, "...\"", 5);

	if (d->record)
		audit_log(audit_context(), GFP_ATOMIC, AUDIT_KERNEL_OTHER,
			  "op=gatekeeper %s", text);

	spin_lock_irqsave(&gk_log_lock, flags);
	line = &gk_log_ring[gk_log_next++ % GK_LOG_LINES];
	memcpy(line->text, text, GK_LOG_LINE_MAX);
	spin_unlock_irqrestore(&gk_log_lock, flags);
	kfree(b);
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
	for (i = first; i < next; i++)
		seq_printf(m, "seq=%llu %s\n", i, copy[i % GK_LOG_LINES].text);
	kvfree(copy);
	return 0;
}

/* Context: module init.  Return: 0 or -ENOMEM. */
int gk_log_init(void)
{
	gk_log_ring = kvcalloc(GK_LOG_LINES, sizeof(*gk_log_ring), GFP_KERNEL);
	return gk_log_ring ? 0 : -ENOMEM;
}

void gk_log_exit(void)
{
	kvfree(gk_log_ring);
}
