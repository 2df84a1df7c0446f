/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gk-verify ebpf: the gate's measurement log (gk_mlog_format.h), replayed
 * and compared with a TPM quote of its PCR (tpm.c) or a PCR value given,
 * then the inventory it proves, held to the reference values' "ebpf"
 * requirements.
 */
#ifndef GKV_EBPF_H
#define GKV_EBPF_H

#include "gk_mlog_format.h"
#include "verifier.h"
#include "refvalues.h"

/* The largest log: its header and GK_MLOG_EVENTS_MAX events. */
#define GKV_MLOG_MAX (GK_MLOG_HDR_SIZE + (size_t)GK_MLOG_EVENT_SIZE * GK_MLOG_EVENTS_MAX)

struct gkv_ebpf_in {
	const u8 *log;
	size_t log_len;
	const u8 *quote, *sig;		/* NULL: no quote */
	size_t quote_len, sig_len;
	EVP_PKEY *ak;
	const u8 *nonce;
	size_t nonce_len;
	const u8 *pcr_value;		/* 32 bytes given (--pcr-value), or NULL */
	const struct gkv_ref *ref;
};

/* What the log says, for the output: set by gkv_ebpf_appraise(). */
struct gkv_ebpf_out {
	json_t *log;			/* events, PCR index, the replayed value */
	json_t *inventory;		/* NULL if the log is malformed */
};

void gkv_ebpf_appraise(const struct gkv_ebpf_in *in, struct gkv_verdict *v,
		       struct gkv_ebpf_out *out);
void gkv_ebpf_out_free(struct gkv_ebpf_out *out);
int gkv_ebpf_print(const struct gkv_verdict *v, const struct gkv_ebpf_out *out);

#endif /* GKV_EBPF_H */
