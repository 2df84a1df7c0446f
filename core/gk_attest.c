// SPDX-License-Identifier: GPL-2.0
/*
 * Attestation result statement and envelope: structure checks only.  The
 * signature, the nonce and the expiry are the caller's to check (the kernel
 * keyring, or OpenSSL in gk-verify check-result).  Portable: it uses only
 * gk_shim.h, so the kernel module can build this file as it is.
 */
#include "gk_attest_format.h"

static bool gk_attest_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static u32 gk_attest_meas_count(u32 tee)
{
	switch (tee) {
	case GK_TEE_TDX:
		return 5;
	case GK_TEE_SNP:
	case GK_TEE_SIM:
		return 1;
	}
	return 0;
}

static bool gk_attest_tcb_known(u32 tee, u32 tcb)
{
	switch (tee) {
	case GK_TEE_TDX:
		return tcb >= GK_TCB_UP_TO_DATE &&
		       tcb <= GK_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED;
	case GK_TEE_SNP:
		return tcb == GK_TCB_MINIMUM_MET || tcb == GK_TCB_UNGRADED;
	case GK_TEE_SIM:
		return tcb == GK_TCB_SIMULATED;
	}
	return false;
}

/**
 * gk_attest_result_check() - check a version 1 statement
 * @buf: the statement bytes
 * @len: their number; must be GK_ATTEST_RESULT_SIZE exactly
 * @res: set to @buf on success
 *
 * Context: any.
 * Return: 0; -EBADMSG if malformed (bad magic or size, unknown TEE or TCB
 * status, wrong measurement count, non-zero reserved field or unused
 * measurement slot, expiry not after issue); -EPROTONOSUPPORT for a
 * version other than 1.
 */
int gk_attest_result_check(const u8 *buf, size_t len,
			   const struct gk_attest_result **res)
{
	const struct gk_attest_result *r = (const void *)buf;
	u32 tee, count;

	if (len != GK_ATTEST_RESULT_SIZE ||
	    memcmp(r->magic, GK_ATTEST_MAGIC, sizeof(r->magic)))
		return -EBADMSG;
	if (gk_get_le32((const u8 *)&r->version) != GK_ATTEST_V1)
		return -EPROTONOSUPPORT;
	if (gk_get_le32((const u8 *)&r->size) != GK_ATTEST_RESULT_SIZE ||
	    r->reserved0 || !gk_attest_zero(r->reserved1, sizeof(r->reserved1)))
		return -EBADMSG;
	tee = gk_get_le32((const u8 *)&r->tee);
	count = gk_get_le32((const u8 *)&r->meas_count);
	if (!gk_attest_meas_count(tee) || count != gk_attest_meas_count(tee) ||
	    !gk_attest_tcb_known(tee, gk_get_le32((const u8 *)&r->tcb_status)))
		return -EBADMSG;
	if (!gk_attest_zero(r->measurements[count],
			    (GK_ATTEST_MAX_MEAS - count) * GK_ATTEST_MEAS_SIZE))
		return -EBADMSG;
	if (gk_attest_get_le64(r->expires_at) <= gk_attest_get_le64(r->issued_at))
		return -EBADMSG;
	*res = r;
	return 0;
}

/**
 * gk_attest_envelope_parse() - split a version 1 envelope
 * @buf: the envelope
 * @len: its size; the parts must add up to it exactly
 * @res: set to the checked statement inside @buf
 * @sig: set to the detached signature inside @buf
 * @sig_len: set to its size
 *
 * Context: any.
 * Return: 0; -EBADMSG if malformed or truncated; -EPROTONOSUPPORT for an
 * unknown envelope or statement version.
 */
int gk_attest_envelope_parse(const u8 *buf, size_t len,
			     const struct gk_attest_result **res,
			     const u8 **sig, size_t *sig_len)
{
	const struct gk_attest_envelope_hdr *h = (const void *)buf;
	u32 rlen, slen;
	int err;

	if (len < sizeof(*h) ||
	    memcmp(h->magic, GK_ATTEST_ENV_MAGIC, sizeof(h->magic)))
		return -EBADMSG;
	if (gk_get_le32((const u8 *)&h->version) != GK_ATTEST_ENV_V1)
		return -EPROTONOSUPPORT;
	rlen = gk_get_le32((const u8 *)&h->result_len);
	slen = gk_get_le32((const u8 *)&h->sig_len);
	if (h->reserved || rlen != GK_ATTEST_RESULT_SIZE || !slen ||
	    slen > GK_ATTEST_SIG_MAX)
		return -EBADMSG;
	/* Compare against what remains, never sum untrusted lengths first. */
	if (len - sizeof(*h) < rlen || len - sizeof(*h) - rlen != slen)
		return -EBADMSG;
	err = gk_attest_result_check(buf + sizeof(*h), rlen, res);
	if (err)
		return err;
	*sig = buf + sizeof(*h) + rlen;
	*sig_len = slen;
	return 0;
}
