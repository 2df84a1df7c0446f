/* SPDX-License-Identifier: GPL-2.0 */
/* fs.c: the securityfs interface */
#ifndef GATEKEEPER_FS_H
#define GATEKEEPER_FS_H

int gk_fs_init(void);
void gk_fs_exit(void);

#endif /* GATEKEEPER_FS_H */
