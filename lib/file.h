/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whole files in and out.  Neither function reports an error: the caller
 * says what the file was for.
 */
#ifndef GK_LIB_FILE_H
#define GK_LIB_FILE_H

#include <stddef.h>
#include "gk_shim.h"

int gk_read_file(const char *path, size_t max, u8 **buf, size_t *len);
int gk_write_file(const char *path, const u8 *buf, size_t len);

#endif /* GK_LIB_FILE_H */
