/* SPDX-License-Identifier: GPL-2.0 */
/* audit.c: audit records and the decision log */
#ifndef GATEKEEPER_AUDIT_H
#define GATEKEEPER_AUDIT_H

#include <linux/types.h>

struct gk_app;
struct seq_file;

/* What one decision was. */
struct gk_decision {
	const char *action;		/* allow, deny, audit, audit-deny */
	bool record;			/* emit an audit record */
	const char *prog_name;
	u32 prog_type, attach_type;
	const u8 *digest;		/* NULL: none */
	int origin;			/* GK_ORIGIN_* */
	const struct gk_app *app;	/* NULL: unknown */
	const char *publisher, *source;	/* NULL: none */
	const char *probe;		/* the catalogue entry that admits it, or NULL */
	u32 rule;			/* 0: none or the default */
	const char *reason;
	const char *fix;		/* for a refusal: what would admit it */
};

int gk_log_init(void);
void gk_log_exit(void);
void gk_log_decision(const struct gk_decision *d);
void gk_audit_change(const char *op, const char *detail);
void gk_sanitize(char *dst, const char *src, size_t size);
u64 gk_audit_suppressed_count(void);
int gk_log_show(struct seq_file *m);

#endif /* GATEKEEPER_AUDIT_H */
