/* SPDX-License-Identifier: GPL-2.0 */
/* probes.c: loader feature probes admitted from the catalogue */
#ifndef GATEKEEPER_PROBES_H
#define GATEKEEPER_PROBES_H

#include <linux/types.h>

struct gk_probe;

int gk_probes_init(bool on);
const struct gk_probe *gk_probe_find(const u8 *digest);
bool gk_probes_trusted(void);
int gk_probes_trust(bool on);

#endif /* GATEKEEPER_PROBES_H */
