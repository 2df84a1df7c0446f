/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The appraisal of the software "sim" TEE's evidence (format:
 * sim_evidence.h).
 */
#ifndef GKV_SIM_H
#define GKV_SIM_H

#include "sim_evidence.h"
#include "verifier.h"
#include "refvalues.h"

int gkv_sim_appraise(X509 *cert, const struct gkv_ref *ref, const struct gkv_nonce *nonce,
		     const u8 *ev, size_t len, struct gkv_verdict *v);

#endif /* GKV_SIM_H */
