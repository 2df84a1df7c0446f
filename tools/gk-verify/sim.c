// SPDX-License-Identifier: GPL-2.0
/*
 * The software "sim" TEE: its appraisal (the format is lib/sim_evidence.c).
 * The allow_sim gate is the first check after parsing, so simulated
 * evidence is refused for that reason, plainly, before anything else is
 * said about it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim.h"

/**
 * gkv_sim_appraise() - appraise sim evidence
 * @cert: the certificate of the key that signs sim evidence (trusted as is)
 * @ref: reference values; "allow_sim" must be true
 * @nonce: the nonce the evidence must answer, or NULL
 * @ev: the evidence
 * @len: its size
 * @v: verdict, initialised by the caller
 *
 * Return: 0 when the verdict is complete; -errno on an internal failure.
 */
int gkv_sim_appraise(X509 *cert, const struct gkv_ref *ref, const struct gkv_nonce *nonce,
		     const u8 *ev, size_t len, struct gkv_verdict *v)
{
	struct gk_sim_evidence e;
	EVP_PKEY *key = X509_get0_pubkey(cert);
	char why[200], msg[320];
	int err;

	if (gk_sim_parse(ev, len, &e, why, sizeof(why))) {
		gkv_fail(v, "evidence_parse", "sim evidence parse error: %s", why);
		return 0;
	}
	gkv_pass(v, "evidence_parse", "sim evidence version 1");
	gkv_set_meas(v, "measurement", e.measurement);
	memcpy(v->report_data, e.report_data, 64);
	v->have_report_data = true;
	json_object_set_new(v->info, "flags", json_integer(e.flags));

	if (!ref->allow_sim)
		gkv_fail(v, "allow_sim", "simulated TEE evidence is not accepted: the reference values do not set \"allow_sim\": true");
	else
		gkv_pass(v, "allow_sim", "reference values allow the simulated TEE (tests only)");

	if (!key)
		return gkv_internal(v, -ENOMEM, "out of memory");
	err = gk_sim_verify(key, ev, &e);
	if (err == -ENOMEM)
		return gkv_internal(v, err, "out of memory");
	if (!err)
		gkv_pass(v, "evidence_signature", "signed by the sim key");
	else
		gkv_fail(v, "evidence_signature", "sim evidence signature invalid");

	if (gkv_cert_window(cert, v->now, "sim", msg, sizeof(msg)))
		gkv_fail(v, "sim_certificate", "%s", msg);
	else
		gkv_pass(v, "sim_certificate", "%s", msg);

	snprintf(v->tcb_status, sizeof(v->tcb_status), "Simulated");
	v->tcb_code = GK_TCB_SIMULATED;
	/* The same rule as TDX TD_ATTRIBUTES.DEBUG and SNP POLICY.DEBUG. */
	if (!(e.flags & GK_SIM_FLAG_DEBUG))
		gkv_pass(v, "sim_flags", "FLAGS 0x%08x: not debuggable", e.flags);
	else if (ref->debug_forbidden)
		gkv_fail(v, "sim_flags", "FLAGS DEBUG bit set");
	else
		gkv_pass(v, "sim_flags", "FLAGS DEBUG bit set, allowed by the reference values");
	gkv_check_measurement(v, ref, ref->sim_measurement, e.measurement, "measurement");
	gkv_check_nonce(v, ref, nonce, e.report_data, "report_data");
	return v->internal;
}
