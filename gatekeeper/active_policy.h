/* SPDX-License-Identifier: GPL-2.0 */
/* The active policy: signed load, rollback refusal, the mode and the lock */
#ifndef GATEKEEPER_ACTIVE_POLICY_H
#define GATEKEEPER_ACTIVE_POLICY_H

#include <linux/types.h>
#include "gatekeeper.h"

struct gk_eval_input;
struct gk_verdict;
struct seq_file;

bool gk_locked(void);
int gk_lock(void);
int gk_set_mode(enum gk_mode mode);
bool gk_policy_wants_app(void);
int gk_policy_load(const u8 *buf, size_t len);
bool gk_policy_eval_active(const struct gk_eval_input *in, struct gk_verdict *v);
bool gk_policy_refuses_probes(void);
bool gk_policy_revokes(const u8 *digest, const u8 *key);
int gk_policy_show(struct seq_file *m);
void gk_policy_status(struct seq_file *m);
const char *gk_policy_publisher_name(const u8 *fp);
const char *gk_policy_verifier_name(const u8 *fp);
void gk_policy_exit(void);

#endif /* GATEKEEPER_ACTIVE_POLICY_H */
