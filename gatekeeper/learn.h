/* SPDX-License-Identifier: GPL-2.0 */
/* learn.c: learning sessions, what a workload loads, for signing */
#ifndef GATEKEEPER_LEARN_H
#define GATEKEEPER_LEARN_H

#include <linux/types.h>

struct bpf_prog;
struct file;
struct gk_app;
struct seq_file;

#define GK_LEARN_SECONDS_MAX 86400

bool gk_learning(void);
void gk_learn_seen(const struct bpf_prog *prog, const u8 *digest,
		   const struct gk_app *app);
void gk_learn_verified(const struct bpf_prog *prog);
int gk_learn_start(const struct file *owner, unsigned int seconds);
int gk_learn_stop(const struct file *owner, const char *how);
void gk_learn_status(struct seq_file *m);
int gk_learn_show(struct seq_file *m);
void gk_learn_exit(void);

#endif /* GATEKEEPER_LEARN_H */
