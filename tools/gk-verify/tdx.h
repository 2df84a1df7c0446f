/* SPDX-License-Identifier: GPL-2.0 */
/* Intel TDX quote appraisal (quote v4/v5, TD report body types 2 and 3). */
#ifndef GKV_TDX_H
#define GKV_TDX_H

#include "collateral.h"

int gkv_tdx_appraise(const struct gkv_tdx_collateral *col,
		     const struct gkv_ref *ref, const struct gkv_nonce *nonce,
		     const u8 *quote, size_t len, struct gkv_verdict *v);
int gkv_tdx_floor(const u8 *quote, size_t len, struct gkv_floor *f);

#endif /* GKV_TDX_H */
