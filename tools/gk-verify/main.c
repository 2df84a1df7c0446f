// SPDX-License-Identifier: GPL-2.0
/*
 * gk-verify: command line.  Exit 0 only when the evidence is accepted (or
 * sim-evidence written), 1 when it is rejected or anything else fails, 2
 * for a usage error; the verdict goes to stdout, plain or (--json) as one
 * JSON object on a line, and errors to stderr or (--json) stdout, as in
 * every tool (lib/cli.c, lib/output.c).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "output.h"
#include "collateral.h"
#include "result.h"
#include "sim.h"
#include "snp.h"
#include "tdx.h"

static const char gkv_help[] =
"Usage: gk-verify [OPTIONS] tdx --quote QUOTE --collateral DIR --root CERT [COMMON]\n"
"       gk-verify [OPTIONS] snp --report REPORT --vcek CERT --chain CERTS [COMMON]\n"
"       gk-verify [OPTIONS] sim --evidence EVIDENCE --cert CERT [COMMON]\n"
"       gk-verify [OPTIONS] sim-evidence --key KEY --cert CERT --report-data HEX\n"
"                 --measurement HEX [--debug] -o OUT\n"
"       gk-verify [OPTIONS] check-result --in RESULT --cert CERT [--nonce HEX] [--time T]\n"
"\n"
"Appraise TEE evidence against vendor collateral and reference values, print\n"
"the verdict and, on accept, sign an attestation result for the module.\n"
"check-result checks such a result; sim-evidence makes evidence of the\n"
"software sim TEE, for tests.  See gk-verify(1) and docs/verifier.md.\n"
"\n"
"tdx:\n"
"  --quote QUOTE          the TDX quote (v4 or v5)\n"
"  --collateral DIR       Intel's TCB Info, QE Identity and CRLs (docs/verifier.md)\n"
"  --root CERT            the pinned Intel SGX Root CA certificate\n"
"snp:\n"
"  --report REPORT        the SEV-SNP attestation report\n"
"  --vcek CERT            the VCEK or VLEK certificate that signed it\n"
"  --vlek CERT            the same as --vcek\n"
"  --chain CERTS          the ASK (or ASVK) and ARK certificates, PEM\n"
"sim:\n"
"  --evidence EVIDENCE    the sim evidence\n"
"  --cert CERT            the sim TEE's certificate, trusted as is\n"
"COMMON (tdx, snp, sim):\n"
"  --ref FILE             reference values (docs/verifier.md)\n"
"  --time T               evaluate at T: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (default: now)\n"
"  --nonce HEX            32 bytes; REPORTDATA[0..31] must be SHA-256(\"GK-ATTEST-V1\" || nonce)\n"
"  --result-out FILE      on accept, write a signed attestation result (needs --nonce)\n"
"  --sign-key KEY         the key that signs it (PEM or DER; passphrase in GK_SIGN_PIN)\n"
"  --sign-cert CERT       its certificate\n"
"  --validity SECONDS     how long the result is valid (default 300, at most 31536000)\n"
"  --repeat N             appraise N more times against the loaded collateral; report mean time\n"
"sim-evidence:\n"
"  --key KEY              the sim TEE's private key\n"
"  --cert CERT            its certificate\n"
"  --report-data HEX      up to 64 bytes of REPORTDATA, zero-padded\n"
"  --measurement HEX      the simulated measurement, 48 bytes\n"
"  --debug                set the evidence's DEBUG flag (refused unless \"debug_forbidden\": false)\n"
"  -o, --output OUT       where to write the evidence\n"
"check-result:\n"
"  --in RESULT            the attestation result\n"
"  --cert CERT            the verifier certificate it must be signed with\n"
"  --nonce HEX, --time T  as above\n"
"OPTIONS:\n"
"  -j, --json             the verdict, errors included, as one JSON object on stdout\n"
"  -V, --version          print the version\n"
"  -h, --help             this help\n"
"\n"
"Exit status: 0 accepted (sim-evidence: written), 1 rejected or failed, 2 usage error.\n";

/* Every command's options; each command takes its own. */
struct gkv_opts {
	const char *quote, *collateral, *root, *report, *vcek, *chain;
	const char *evidence, *cert, *key, *report_data, *measurement, *out;
	const char *ref, *time, *nonce, *result_out, *sign_key, *sign_cert;
	const char *validity, *repeat, *in;
	bool debug;
};

/* The options tdx, snp and sim share. */
#define GKV_COMMON_OPTS(o)						\
	{ "ref", 0, &(o).ref, NULL },					\
	{ "time", 0, &(o).time, NULL },					\
	{ "nonce", 0, &(o).nonce, NULL },				\
	{ "result-out", 0, &(o).result_out, NULL },			\
	{ "sign-key", 0, &(o).sign_key, NULL },				\
	{ "sign-cert", 0, &(o).sign_cert, NULL },			\
	{ "validity", 0, &(o).validity, NULL },				\
	{ "repeat", 0, &(o).repeat, NULL }

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Options every appraisal shares, resolved. */
struct common {
	time_t now;
	unsigned long validity, repeat;
	struct gkv_ref ref;
	bool have_nonce;
	u8 nonce[GK_ATTEST_NONCE_SIZE];
	X509 *sign_cert;
	EVP_PKEY *sign_key;
};

/* Resolve the common options; errors are reported.  Return: 0 or the exit code. */
static int common_setup(const struct gkv_opts *o, const char *cmd, struct common *cm)
{
	char msg[320];

	memset(cm, 0, sizeof(*cm));
	gkv_ref_defaults(&cm->ref);
	cm->now = time(NULL);
	cm->validity = GKV_DEFAULT_VALIDITY;
	if (o->time && gkv_parse_time(o->time, &cm->now))
		return gk_usage_err(cmd, "--time %s: want YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
				    o->time);
	if (o->nonce) {
		if (gk_unhex(o->nonce, cm->nonce, GK_ATTEST_NONCE_SIZE))
			return gk_usage_err(cmd, "--nonce %s: want 64 hex digits (32 bytes)", o->nonce);
		cm->have_nonce = true;
	}
	if (o->validity && (parse_ulong(o->validity, 365UL * 86400, &cm->validity) ||
			    !cm->validity))
		return gk_usage_err(cmd, "--validity: 1..31536000 seconds");
	if (o->repeat && parse_ulong(o->repeat, 10000000UL, &cm->repeat))
		return gk_usage_err(cmd, "--repeat: a count");
	if (o->result_out || o->sign_key || o->sign_cert) {
		if (!o->result_out || !o->sign_key || !o->sign_cert)
			return gk_usage_err(cmd, "--result-out, --sign-key and --sign-cert go together");
		/* A result without a challenge could be replayed for its whole
		 * validity; the kernel side always issues one. */
		if (!o->nonce)
			return gk_usage_err(cmd, "--result-out needs --nonce");
	}
	if (o->ref && gkv_ref_load(o->ref, &cm->ref, msg, sizeof(msg))) {
		gk_err("reference values %s: %s", o->ref, msg);
		return GK_EXIT_FAIL;
	}
	if (o->result_out && (gk_load_cert(o->sign_cert, &cm->sign_cert) ||
			      gk_load_key(o->sign_key, &cm->sign_key)))
		return GK_EXIT_FAIL;
	return 0;
}

static void common_free(struct common *cm)
{
	gkv_ref_free(&cm->ref);
	X509_free(cm->sign_cert);
	EVP_PKEY_free(cm->sign_key);
}

/* Resolve the common options and read @path; errors are reported. */
static int setup(const struct gkv_opts *o, const char *cmd, struct common *cm,
		 const char *path, u8 **buf, size_t *len)
{
	int rc = common_setup(o, cmd, cm), e;

	if (!rc) {
		e = gk_read_file(path, GKV_MAX_EVIDENCE, buf, len);
		if (e) {
			gk_err("cannot read %s: %s", path, strerror(-e));
			rc = GK_EXIT_FAIL;
		}
	}
	if (rc)
		common_free(cm);
	return rc;
}

static double mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* One kind of appraisal, so tdx, snp and sim share the output, result and
 * benchmark logic. */
struct job {
	const char *tee;
	u32 tee_code;
	int (*appraise)(const void *ctx, const struct common *cm,
			const u8 *ev, size_t len, struct gkv_verdict *v);
	const void *ctx;
};

static int run(const struct gkv_opts *o, struct common *cm, const struct job *j,
	       const u8 *ev, size_t len, double load_us)
{
	struct gkv_verdict v;
	json_t *extra = json_object();
	int rc, e;

	gkv_verdict_init(&v, j->tee, cm->now);
	j->appraise(j->ctx, cm, ev, len, &v);

	if (cm->repeat) {
		double t0 = mono_us(), mean;
		unsigned long i;

		for (i = 0; i < cm->repeat; i++) {
			struct gkv_verdict r;

			gkv_verdict_init(&r, j->tee, cm->now);
			j->appraise(j->ctx, cm, ev, len, &r);
			/* Every run must reach the same verdict. */
			if (gkv_accepted(&r) != gkv_accepted(&v))
				gkv_internal(&v, -EIO, "internal error: repeated appraisal disagreed");
			gkv_verdict_free(&r);
		}
		mean = (mono_us() - t0) / (double)cm->repeat;
		json_object_set_new(extra, "bench", json_pack("{s:I, s:f, s:f}",
			"runs", (json_int_t)cm->repeat, "mean_us", mean,
			"collateral_load_us", load_us));
		fprintf(stderr, "bench: %s: %lu appraisals, mean %.1f us each (collateral loaded once in %.1f us)\n",
			j->tee, cm->repeat, mean, load_us);
	}

	if (gkv_accepted(&v) && o->result_out) {
		struct gk_attest_result res;
		u8 *env;
		size_t env_len;

		e = gkv_result_build(&v, j->tee_code, cm->nonce, cm->validity,
				     cm->sign_cert, &res);
		if (!e)
			e = gkv_result_sign(&res, cm->sign_cert, cm->sign_key,
					    &env, &env_len);
		if (!e) {
			e = gk_write_file(o->result_out, env, env_len);
			free(env);
		}
		if (e)
			gkv_internal(&v, e, "internal error: cannot write the attestation result: %s",
				     strerror(-e));
		else
			json_object_set_new(extra, "result_out",
					    json_string(o->result_out));
	}
	if (gkv_verdict_print(&v, json_object_size(extra) ? extra : NULL))
		gkv_internal(&v, -EIO, "internal error: cannot write the verdict");
	rc = gkv_accepted(&v) && !fflush(stdout) ? GK_EXIT_OK : GK_EXIT_FAIL;
	json_decref(extra);
	gkv_verdict_free(&v);
	return rc;
}

static int tdx_job(const void *ctx, const struct common *cm, const u8 *ev,
		   size_t len, struct gkv_verdict *v)
{
	return gkv_tdx_appraise(ctx, &cm->ref, cm->have_nonce ? cm->nonce : NULL,
				ev, len, v);
}

static int snp_job(const void *ctx, const struct common *cm, const u8 *ev,
		   size_t len, struct gkv_verdict *v)
{
	return gkv_snp_appraise(ctx, &cm->ref, cm->have_nonce ? cm->nonce : NULL,
				ev, len, v);
}

static int sim_job(const void *ctx, const struct common *cm, const u8 *ev,
		   size_t len, struct gkv_verdict *v)
{
	return gkv_sim_appraise((X509 *)ctx, &cm->ref,
				cm->have_nonce ? cm->nonce : NULL, ev, len, v);
}

static int cmd_tdx(int argc, char **argv)
{
	static const char cmd[] = "gk-verify tdx";
	struct gkv_opts o = { NULL };
	const struct gk_opt opts[] = {
		{ "quote", 0, &o.quote, NULL },
		{ "collateral", 0, &o.collateral, NULL },
		{ "root", 0, &o.root, NULL },
		GKV_COMMON_OPTS(o),
		{ NULL, 0, NULL, NULL },
	};
	struct gkv_tdx_collateral col;
	struct common cm;
	struct job j = { "tdx", GK_TEE_TDX, tdx_job, &col };
	double t0;
	u8 *ev;
	size_t len;
	int rc;

	rc = gk_opts(argc, argv, cmd, gkv_help, opts, 0, 0);
	if (rc >= 0)
		return rc;
	if (!o.quote || !o.collateral || !o.root)
		return gk_usage_err(cmd, "tdx needs --quote, --collateral and --root");
	rc = setup(&o, cmd, &cm, o.quote, &ev, &len);
	if (rc)
		return rc;
	t0 = mono_us();
	gkv_tdx_collateral_load(&col, o.collateral, o.root, &cm.ref, cm.now);
	rc = run(&o, &cm, &j, ev, len, mono_us() - t0);
	gkv_tdx_collateral_free(&col);
	free(ev);
	common_free(&cm);
	return rc;
}

static int cmd_snp(int argc, char **argv)
{
	static const char cmd[] = "gk-verify snp";
	struct gkv_opts o = { NULL };
	const struct gk_opt opts[] = {
		{ "report", 0, &o.report, NULL },
		{ "vcek", 0, &o.vcek, NULL },
		{ "vlek", 0, &o.vcek, NULL },
		{ "chain", 0, &o.chain, NULL },
		GKV_COMMON_OPTS(o),
		{ NULL, 0, NULL, NULL },
	};
	struct gkv_snp_certs certs;
	struct common cm;
	struct job j = { "snp", GK_TEE_SNP, snp_job, &certs };
	double t0;
	u8 *ev;
	size_t len;
	int rc;

	rc = gk_opts(argc, argv, cmd, gkv_help, opts, 0, 0);
	if (rc >= 0)
		return rc;
	if (!o.report || !o.vcek || !o.chain)
		return gk_usage_err(cmd, "snp needs --report, --vcek (or --vlek) and --chain");
	rc = setup(&o, cmd, &cm, o.report, &ev, &len);
	if (rc)
		return rc;
	t0 = mono_us();
	gkv_snp_certs_load(&certs, o.vcek, o.chain, cm.now);
	rc = run(&o, &cm, &j, ev, len, mono_us() - t0);
	gkv_snp_certs_free(&certs);
	free(ev);
	common_free(&cm);
	return rc;
}

static int cmd_sim(int argc, char **argv)
{
	static const char cmd[] = "gk-verify sim";
	struct gkv_opts o = { NULL };
	const struct gk_opt opts[] = {
		{ "evidence", 0, &o.evidence, NULL },
		{ "cert", 0, &o.cert, NULL },
		GKV_COMMON_OPTS(o),
		{ NULL, 0, NULL, NULL },
	};
	struct common cm;
	struct job j = { "sim", GK_TEE_SIM, sim_job, NULL };
	X509 *cert = NULL;
	u8 *ev;
	size_t len;
	int rc;

	rc = gk_opts(argc, argv, cmd, gkv_help, opts, 0, 0);
	if (rc >= 0)
		return rc;
	if (!o.evidence || !o.cert)
		return gk_usage_err(cmd, "sim needs --evidence and --cert");
	rc = setup(&o, cmd, &cm, o.evidence, &ev, &len);
	if (rc)
		return rc;
	if (gk_load_cert(o.cert, &cert)) {
		rc = GK_EXIT_FAIL;
	} else {
		j.ctx = cert;
		rc = run(&o, &cm, &j, ev, len, 0);
	}
	X509_free(cert);
	free(ev);
	common_free(&cm);
	return rc;
}

static int cmd_sim_evidence(int argc, char **argv)
{
	static const char cmd[] = "gk-verify sim-evidence";
	struct gkv_opts o = { NULL };
	const struct gk_opt opts[] = {
		{ "key", 0, &o.key, NULL },
		{ "cert", 0, &o.cert, NULL },
		{ "report-data", 0, &o.report_data, NULL },
		{ "measurement", 0, &o.measurement, NULL },
		{ "debug", 0, NULL, &o.debug },
		{ "output", 'o', &o.out, NULL },
		{ NULL, 0, NULL, NULL },
	};
	u8 rd[64] = { 0 }, meas[GKV_MEAS_SIZE], *out;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	size_t n, len;
	int e, rc;

	rc = gk_opts(argc, argv, cmd, gkv_help, opts, 0, 0);
	if (rc >= 0)
		return rc;
	if (!o.key || !o.cert || !o.report_data || !o.measurement || !o.out)
		return gk_usage_err(cmd, "sim-evidence needs --key, --cert, --report-data, --measurement and -o");
	if (gk_unhex_upto(o.report_data, rd, sizeof(rd), &n))
		return gk_usage_err(cmd, "--report-data: up to 64 bytes of hex (zero-padded)");
	if (gk_unhex(o.measurement, meas, sizeof(meas)))
		return gk_usage_err(cmd, "--measurement: exactly 48 bytes of hex");
	rc = GK_EXIT_FAIL;
	if (gk_load_key(o.key, &key) || gk_load_cert(o.cert, &cert))
		goto out;
	/* gk_sim_make() refuses a key that does not match the cert: no
	 * appraisal with that cert could accept the evidence. */
	e = gk_sim_make(key, cert, rd, meas, o.debug ? GK_SIM_FLAG_DEBUG : 0, &out, &len);
	if (e == -EKEYREJECTED) {
		gk_err("--key %s does not match --cert %s", o.key, o.cert);
		goto out;
	}
	if (e) {
		gk_err("cannot make sim evidence: %s", strerror(-e));
		goto out;
	}
	e = gk_write_file(o.out, out, len);
	free(out);
	if (e) {
		gk_err("cannot write %s: %s", o.out, strerror(-e));
		goto out;
	}
	if (gk_json)
		gk_json_print(json_pack("{s:s}", "output", o.out));
	rc = GK_EXIT_OK;
out:
	EVP_PKEY_free(key);
	X509_free(cert);
	return rc;
}

static int cmd_check_result(int argc, char **argv)
{
	static const char cmd[] = "gk-verify check-result";
	struct gkv_opts o = { NULL };
	const struct gk_opt opts[] = {
		{ "in", 0, &o.in, NULL },
		{ "cert", 0, &o.cert, NULL },
		{ "nonce", 0, &o.nonce, NULL },
		{ "time", 0, &o.time, NULL },
		{ NULL, 0, NULL, NULL },
	};
	struct gkv_verdict v;
	struct common cm;
	X509 *cert = NULL;
	u8 *buf;
	size_t len;
	int rc;

	rc = gk_opts(argc, argv, cmd, gkv_help, opts, 0, 0);
	if (rc >= 0)
		return rc;
	if (!o.in || !o.cert)
		return gk_usage_err(cmd, "check-result needs --in and --cert");
	rc = setup(&o, cmd, &cm, o.in, &buf, &len);
	if (rc)
		return rc;
	if (gk_load_cert(o.cert, &cert)) {
		rc = GK_EXIT_FAIL;
	} else {
		gkv_verdict_init(&v, "result", cm.now);
		gkv_result_check(buf, len, cert, cm.have_nonce ? cm.nonce : NULL,
				 cm.now, &v);
		if (gkv_verdict_print(&v, NULL))
			gkv_internal(&v, -EIO, "internal error: cannot write the verdict");
		rc = gkv_accepted(&v) && !fflush(stdout) ? GK_EXIT_OK : GK_EXIT_FAIL;
		gkv_verdict_free(&v);
	}
	X509_free(cert);
	free(buf);
	common_free(&cm);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct gk_cmd cmds[] = {
		{ "tdx", cmd_tdx },
		{ "snp", cmd_snp },
		{ "sim", cmd_sim },
		{ "sim-evidence", cmd_sim_evidence },
		{ "check-result", cmd_check_result },
		{ NULL, NULL },
	};

	return gk_main(argc, argv, cmds, gkv_help, false);
}
