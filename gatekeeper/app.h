/* SPDX-License-Identifier: GPL-2.0 */
/* app.c: the executable that issued a load */
#ifndef GATEKEEPER_APP_H
#define GATEKEEPER_APP_H

#include <linux/types.h>
#include "gk_format.h"

struct task_struct;

#define GK_APP_PATH_MAX 1024

struct gk_app {
	struct hlist_node node;
	const struct task_struct *task;	/* compared, never dereferenced */
	u32 path_len;
	bool has_digest;
	u8 digest[GK_DIGEST_SIZE];
	char path[GK_APP_PATH_MAX];
};

void gk_app_enter(void);
const char *gk_app_exe(char *buf, size_t size);
struct gk_app *gk_app_take(void);
void gk_app_exit(void);

#endif /* GATEKEEPER_APP_H */
