// SPDX-License-Identifier: GPL-2.0
/*
 * SEV-SNP attestation report parser.  The report has one fixed size, so the
 * only length check is that one; the rest is being explicit about the
 * fields: an unknown version or signature algorithm is refused, reserved
 * ranges must be zero (a non-zero one means a layout this code does not
 * know), and the signature components must really be zero-extended P-384
 * values.
 */
#include <stdio.h>
#include "parse.h"
#include "snp_report.h"

/* Reserved ranges, [start, end), per version. */
struct range {
	u16 start, end;
};

static const struct range reserved_common[] = {
	{ 0x04c, 0x050 },		/* after KEY_INFO */
	{ 0x1eb, 0x1ec },		/* after CURRENT_MAJOR */
	{ 0x1ef, 0x1f0 },		/* after COMMITTED_MAJOR */
	{ 0x2a0 + 2 * SNP_SIG_COMP_SIZE, SNP_REPORT_SIZE },	/* signature */
};

/**
 * gk_snp_report_parse() - check and split an SNP attestation report
 * @buf: the report
 * @len: its size; must be SNP_REPORT_SIZE
 * @r: filled on success; pointers refer into @buf
 * @why: what is wrong, on failure
 * @whylen: room in @why
 *
 * Return: 0; -EBADMSG if malformed or truncated; -EPROTONOSUPPORT for a
 * version or signature algorithm this verifier does not appraise.
 */
int gk_snp_report_parse(const u8 *buf, size_t len, struct gk_snp_report *r,
			 char *why, size_t whylen)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	if (len != SNP_REPORT_SIZE)
		FAIL(-EBADMSG, "report is %zu bytes, an SNP report is %d", len,
		     SNP_REPORT_SIZE);
	r->raw = buf;
	r->version = gk_get_le32(buf + 0x000);
	/* Version 4 shares version 3's layout in the wild, but the ABI
	 * revision defining it is not one this verifier was checked against. */
	if (r->version != 2 && r->version != 3 && r->version != 5)
		FAIL(-EPROTONOSUPPORT, "unsupported report version %u", r->version);
	r->guest_svn = gk_get_le32(buf + 0x004);
	r->policy = gk_attest_get_le64(buf + 0x008);
	r->family_id = buf + 0x010;
	r->image_id = buf + 0x020;
	r->vmpl = gk_get_le32(buf + 0x030);
	r->sig_algo = gk_get_le32(buf + 0x034);
	if (r->sig_algo != SNP_SIG_ALGO_ECDSA_P384_SHA384)
		FAIL(-EPROTONOSUPPORT, "signature algorithm %u is not ECDSA P-384 SHA-384",
		     r->sig_algo);
	r->current_tcb = gk_attest_get_le64(buf + 0x038);
	r->platform_info = gk_attest_get_le64(buf + 0x040);
	r->key_info = gk_get_le32(buf + 0x048);
	if (r->key_info & ~SNP_KEY_KNOWN)
		FAIL(-EBADMSG, "reserved KEY_INFO bits set (0x%x)", r->key_info);
	r->signing_key = (r->key_info & SNP_KEY_SIGNING_MASK) >> SNP_KEY_SIGNING_SHIFT;
	if (r->signing_key == SNP_SIGNING_NONE)
		FAIL(-EBADMSG, "report is unsigned (SIGNING_KEY none)");
	if (r->signing_key != SNP_SIGNING_VCEK && r->signing_key != SNP_SIGNING_VLEK)
		FAIL(-EBADMSG, "reserved SIGNING_KEY value %u", r->signing_key);
	if (r->key_info & SNP_KEY_MASK_CHIP_KEY)
		FAIL(-EBADMSG, "report signature is masked (MASK_CHIP_KEY)");
	r->report_data = buf + 0x050;
	r->measurement = buf + 0x090;
	r->host_data = buf + 0x0c0;
	r->id_key_digest = buf + 0x0e0;
	r->author_key_digest = buf + 0x110;
	r->report_id = buf + 0x140;
	r->report_id_ma = buf + 0x160;
	r->reported_tcb = gk_attest_get_le64(buf + 0x180);
	if (r->version >= 3) {
		r->has_cpuid = true;
		r->cpuid_fam = buf[0x188];
		r->cpuid_mod = buf[0x189];
		r->cpuid_step = buf[0x18a];
		if (!gk_all_zero(buf + 0x18b, 0x1a0 - 0x18b))
			FAIL(-EBADMSG, "reserved bytes 0x18b..0x19f are not zero");
	} else if (!gk_all_zero(buf + 0x188, 0x1a0 - 0x188)) {
		FAIL(-EBADMSG, "reserved bytes 0x188..0x19f are not zero in a version 2 report");
	}
	r->chip_id = buf + 0x1a0;
	r->committed_tcb = gk_attest_get_le64(buf + 0x1e0);
	r->current_build = buf[0x1e8];
	r->current_minor = buf[0x1e9];
	r->current_major = buf[0x1ea];
	r->committed_build = buf[0x1ec];
	r->committed_minor = buf[0x1ed];
	r->committed_major = buf[0x1ee];
	r->launch_tcb = gk_attest_get_le64(buf + 0x1f0);
	if (r->version >= 5) {
		r->has_mit = true;
		r->launch_mit_vector = gk_attest_get_le64(buf + 0x1f8);
		r->current_mit_vector = gk_attest_get_le64(buf + 0x200);
		if (!gk_all_zero(buf + 0x208, SNP_SIGNED_SIZE - 0x208))
			FAIL(-EBADMSG, "reserved bytes 0x208..0x29f are not zero");
	} else if (!gk_all_zero(buf + 0x1f8, SNP_SIGNED_SIZE - 0x1f8)) {
		FAIL(-EBADMSG, "reserved bytes 0x1f8..0x29f are not zero");
	}
	for (i = 0; i < sizeof(reserved_common) / sizeof(reserved_common[0]); i++)
		if (!gk_all_zero(buf + reserved_common[i].start,
			  reserved_common[i].end - reserved_common[i].start))
			FAIL(-EBADMSG, "reserved bytes 0x%x..0x%x are not zero",
			     reserved_common[i].start, reserved_common[i].end - 1);
	r->sig_r = buf + 0x2a0;
	r->sig_s = buf + 0x2a0 + SNP_SIG_COMP_SIZE;
	/* P-384 values are 48 bytes: the zero extension must be zero. */
	if (!gk_all_zero(r->sig_r + 48, SNP_SIG_COMP_SIZE - 48) ||
	    !gk_all_zero(r->sig_s + 48, SNP_SIG_COMP_SIZE - 48))
		FAIL(-EBADMSG, "signature r/s are not zero-extended 48-byte values");
	return 0;
}
