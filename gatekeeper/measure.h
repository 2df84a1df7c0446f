/* SPDX-License-Identifier: GPL-2.0 */
/* measure.c: the measurement log, extended into a TPM PCR */
#ifndef GATEKEEPER_MEASURE_H
#define GATEKEEPER_MEASURE_H

#include <linux/fs.h>
#include <linux/types.h>

struct seq_file;

/* securityfs: the log; its data non-NULL for the readable form */
extern const struct file_operations gk_measure_fops;

int gk_measure_init(void);
void gk_measure_exit(void);
int gk_measure(u16 type, u16 detail, u64 value, const u8 *subject, const u8 *key,
	       const char *name, const char *by);
int gk_measure_once(u16 type, u16 detail, u64 value, const u8 *subject, const u8 *key,
		    const char *name, const char *by);
void gk_measure_status(struct seq_file *m);

#endif /* GATEKEEPER_MEASURE_H */
