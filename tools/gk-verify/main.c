// SPDX-License-Identifier: GPL-2.0
/*
 * gk-verify: command line.  Exit 0 only when the evidence is accepted, 1
 * when it is rejected, 2 for a usage error, 99 for an internal error; the
 * verdict goes to stdout, plain or (--json) as one JSON object.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "collateral.h"
#include "result.h"
#include "sim.h"
#include "snp.h"
#include "tdx.h"

static const char usage_text[] =
"usage:\n"
"  gk-verify tdx --quote Q --collateral DIR --root INTEL_ROOT.pem [common]\n"
"  gk-verify snp --report R --vcek VCEK_OR_VLEK --chain ASK_ARK.pem [common]\n"
"  gk-verify sim --evidence E --cert SIM_CERT [common]\n"
"  gk-verify sim-evidence --key K --cert C --report-data HEX --measurement HEX [--debug] -o OUT\n"
"  gk-verify check-result --in RESULT --cert VERIFIER_CERT [--nonce HEX] [--time T] [--json]\n"
"common:\n"
"  --ref REFVALUES.json   reference values (docs/verifier.md)\n"
"  --time T               evaluate at T: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (default: now)\n"
"  --nonce HEX            32 bytes; REPORTDATA[0..31] must be SHA-256(\"GK-ATTEST-V1\" || nonce)\n"
"  --json                 the verdict as one JSON object\n"
"  --result-out FILE --sign-key KEY --sign-cert CERT [--validity SECONDS]\n"
"                         on accept, write a signed attestation result (needs --nonce)\n"
"  --repeat N             appraise N more times against the loaded collateral; report mean time\n"
"sim-evidence:\n"
"  --debug                set the evidence's DEBUG flag (refused unless \"debug_forbidden\": false)\n";

struct opts {
	const char *cmd;
	const char *quote, *collateral, *root, *report, *vcek, *chain;
	const char *evidence, *cert, *key, *report_data, *measurement, *out;
	const char *ref, *time, *nonce, *result_out, *sign_key, *sign_cert;
	const char *in;
	bool json, debug;
	unsigned long validity;
	unsigned long repeat;
};

static int usage(const char *fmt, const char *arg)
{
	if (fmt) {
		fputs("gk-verify: ", stderr);
		fprintf(stderr, fmt, arg ? arg : "");
		fputc('\n', stderr);
	}
	fputs(usage_text, stderr);
	return GKV_EXIT_USAGE;
}

enum { O_QUOTE = 256, O_COLL, O_ROOT, O_REPORT, O_VCEK, O_CHAIN, O_EVID,
       O_CERT, O_KEY, O_RDATA, O_MEAS, O_REF, O_TIME, O_NONCE, O_JSON,
       O_ROUT, O_SKEY, O_SCERT, O_VALID, O_REPEAT, O_IN, O_DEBUG };

static const struct option longopts[] = {
	{ "quote", required_argument, NULL, O_QUOTE },
	{ "collateral", required_argument, NULL, O_COLL },
	{ "root", required_argument, NULL, O_ROOT },
	{ "report", required_argument, NULL, O_REPORT },
	{ "vcek", required_argument, NULL, O_VCEK },
	{ "vlek", required_argument, NULL, O_VCEK },
	{ "chain", required_argument, NULL, O_CHAIN },
	{ "evidence", required_argument, NULL, O_EVID },
	{ "cert", required_argument, NULL, O_CERT },
	{ "key", required_argument, NULL, O_KEY },
	{ "report-data", required_argument, NULL, O_RDATA },
	{ "measurement", required_argument, NULL, O_MEAS },
	{ "output", required_argument, NULL, 'o' },
	{ "ref", required_argument, NULL, O_REF },
	{ "time", required_argument, NULL, O_TIME },
	{ "nonce", required_argument, NULL, O_NONCE },
	{ "json", no_argument, NULL, O_JSON },
	{ "result-out", required_argument, NULL, O_ROUT },
	{ "sign-key", required_argument, NULL, O_SKEY },
	{ "sign-cert", required_argument, NULL, O_SCERT },
	{ "validity", required_argument, NULL, O_VALID },
	{ "repeat", required_argument, NULL, O_REPEAT },
	{ "in", required_argument, NULL, O_IN },
	{ "debug", no_argument, NULL, O_DEBUG },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

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

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->validity = GKV_DEFAULT_VALIDITY;
	if (argc < 2)
		return usage(NULL, NULL);
	o->cmd = argv[1];
	if (!strcmp(o->cmd, "-h") || !strcmp(o->cmd, "--help") ||
	    !strcmp(o->cmd, "help")) {
		fputs(usage_text, stdout);
		exit(0);
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case O_QUOTE: o->quote = optarg; break;
		case O_COLL: o->collateral = optarg; break;
		case O_ROOT: o->root = optarg; break;
		case O_REPORT: o->report = optarg; break;
		case O_VCEK: o->vcek = optarg; break;
		case O_CHAIN: o->chain = optarg; break;
		case O_EVID: o->evidence = optarg; break;
		case O_CERT: o->cert = optarg; break;
		case O_KEY: o->key = optarg; break;
		case O_RDATA: o->report_data = optarg; break;
		case O_MEAS: o->measurement = optarg; break;
		case 'o': o->out = optarg; break;
		case O_REF: o->ref = optarg; break;
		case O_TIME: o->time = optarg; break;
		case O_NONCE: o->nonce = optarg; break;
		case O_JSON: o->json = true; break;
		case O_ROUT: o->result_out = optarg; break;
		case O_SKEY: o->sign_key = optarg; break;
		case O_SCERT: o->sign_cert = optarg; break;
		case O_IN: o->in = optarg; break;
		case O_DEBUG: o->debug = true; break;
		case O_VALID:
			if (parse_ulong(optarg, 365UL * 86400, &o->validity) ||
			    !o->validity)
				return usage("--validity: 1..31536000 seconds", NULL);
			break;
		case O_REPEAT:
			if (parse_ulong(optarg, 10000000UL, &o->repeat))
				return usage("--repeat: a count", NULL);
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		default:
			return usage(NULL, NULL);
		}
	}
	if (optind != argc)
		return usage("unexpected argument %s", argv[optind]);
	if (o->debug && strcmp(o->cmd, "sim-evidence"))
		return usage("--debug is an option of sim-evidence only", NULL);
	return 0;
}

/* Options every appraisal shares, resolved. */
struct common {
	time_t now;
	struct gkv_ref ref;
	bool have_nonce;
	u8 nonce[GK_ATTEST_NONCE_SIZE];
	X509 *sign_cert;
	EVP_PKEY *sign_key;
};

static int common_setup(const struct opts *o, struct common *cm)
{
	char msg[320];

	memset(cm, 0, sizeof(*cm));
	gkv_ref_defaults(&cm->ref);
	cm->now = time(NULL);
	if (o->time && gkv_parse_time(o->time, &cm->now))
		return usage("--time %s: want YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", o->time);
	if (o->nonce) {
		if (gk_unhex(o->nonce, cm->nonce, GK_ATTEST_NONCE_SIZE))
			return usage("--nonce %s: want 64 hex digits (32 bytes)", o->nonce);
		cm->have_nonce = true;
	}
	if (o->ref && gkv_ref_load(o->ref, &cm->ref, msg, sizeof(msg))) {
		fprintf(stderr, "gk-verify: reference values: %s\n", msg);
		return GKV_EXIT_USAGE;
	}
	if (o->result_out || o->sign_key || o->sign_cert) {
		if (!o->result_out || !o->sign_key || !o->sign_cert)
			return usage("--result-out, --sign-key and --sign-cert go together", NULL);
		/* A result without a challenge could be replayed for its whole
		 * validity; the kernel side always issues one. */
		if (!o->nonce)
			return usage("--result-out needs --nonce", NULL);
		if (gk_load_cert(o->sign_cert, &cm->sign_cert) ||
		    gk_load_key(o->sign_key, &cm->sign_key))
			return GKV_EXIT_USAGE;
	}
	return 0;
}

static void common_free(struct common *cm)
{
	gkv_ref_free(&cm->ref);
	X509_free(cm->sign_cert);
	EVP_PKEY_free(cm->sign_key);
}

static int read_input(const char *what, const char *path, u8 **buf,
		      size_t *len)
{
	int e = gk_read_file(path, GKV_MAX_EVIDENCE, buf, len);

	if (e)
		fprintf(stderr, "gk-verify: %s %s: %s\n", what, path, strerror(-e));
	return e ? GKV_EXIT_USAGE : 0;
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

static int run(const struct opts *o, struct common *cm, const struct job *j,
	       const u8 *ev, size_t len, double load_us)
{
	struct gkv_verdict v;
	json_t *extra = json_object();
	int rc, e;

	gkv_verdict_init(&v, j->tee, cm->now);
	j->appraise(j->ctx, cm, ev, len, &v);

	if (o->repeat) {
		double t0 = mono_us(), mean;
		unsigned long i;

		for (i = 0; i < o->repeat; i++) {
			struct gkv_verdict r;

			gkv_verdict_init(&r, j->tee, cm->now);
			j->appraise(j->ctx, cm, ev, len, &r);
			/* Every run must reach the same verdict. */
			if (gkv_accepted(&r) != gkv_accepted(&v))
				gkv_internal(&v, -EIO, "internal error: repeated appraisal disagreed");
			gkv_verdict_free(&r);
		}
		mean = (mono_us() - t0) / (double)o->repeat;
		json_object_set_new(extra, "bench", json_pack("{s:I, s:f, s:f}",
			"runs", (json_int_t)o->repeat, "mean_us", mean,
			"collateral_load_us", load_us));
		fprintf(stderr, "bench: %s: %lu appraisals, mean %.1f us each (collateral loaded once in %.1f us)\n",
			j->tee, o->repeat, mean, load_us);
	}

	if (gkv_accepted(&v) && o->result_out) {
		struct gk_attest_result res;
		u8 *env;
		size_t env_len;

		e = gkv_result_build(&v, j->tee_code, cm->nonce, o->validity,
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
	if (gkv_verdict_print(&v, o->json, stdout, json_object_size(extra) ? extra : NULL))
		gkv_internal(&v, -EIO, "internal error: cannot write the verdict");
	rc = gkv_exit_code(&v);
	if (fflush(stdout))
		rc = GKV_EXIT_INTERNAL;
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

static int cmd_tdx(const struct opts *o)
{
	struct gkv_tdx_collateral col;
	struct common cm;
	struct job j = { "tdx", GK_TEE_TDX, tdx_job, &col };
	double t0;
	u8 *ev;
	size_t len;
	int rc;

	if (!o->quote || !o->collateral || !o->root)
		return usage("tdx needs --quote, --collateral and --root", NULL);
	rc = common_setup(o, &cm);
	if (!rc)
		rc = read_input("quote", o->quote, &ev, &len);
	if (rc) {
		common_free(&cm);
		return rc;
	}
	t0 = mono_us();
	gkv_tdx_collateral_load(&col, o->collateral, o->root, &cm.ref, cm.now);
	rc = run(o, &cm, &j, ev, len, mono_us() - t0);
	gkv_tdx_collateral_free(&col);
	free(ev);
	common_free(&cm);
	return rc;
}

static int cmd_snp(const struct opts *o)
{
	struct gkv_snp_certs certs;
	struct common cm;
	struct job j = { "snp", GK_TEE_SNP, snp_job, &certs };
	double t0;
	u8 *ev;
	size_t len;
	int rc;

	if (!o->report || !o->vcek || !o->chain)
		return usage("snp needs --report, --vcek (or --vlek) and --chain", NULL);
	rc = common_setup(o, &cm);
	if (!rc)
		rc = read_input("report", o->report, &ev, &len);
	if (rc) {
		common_free(&cm);
		return rc;
	}
	t0 = mono_us();
	gkv_snp_certs_load(&certs, o->vcek, o->chain, cm.now);
	rc = run(o, &cm, &j, ev, len, mono_us() - t0);
	gkv_snp_certs_free(&certs);
	free(ev);
	common_free(&cm);
	return rc;
}

static int cmd_sim(const struct opts *o)
{
	struct common cm;
	struct job j = { "sim", GK_TEE_SIM, sim_job, NULL };
	X509 *cert = NULL;
	u8 *ev = NULL;
	size_t len;
	int rc;

	if (!o->evidence || !o->cert)
		return usage("sim needs --evidence and --cert", NULL);
	rc = common_setup(o, &cm);
	if (!rc)
		rc = read_input("evidence", o->evidence, &ev, &len);
	if (!rc && gk_load_cert(o->cert, &cert))
		rc = GKV_EXIT_USAGE;
	if (!rc) {
		j.ctx = cert;
		rc = run(o, &cm, &j, ev, len, 0);
	}
	X509_free(cert);
	free(ev);
	common_free(&cm);
	return rc;
}

static int cmd_sim_evidence(const struct opts *o)
{
	u8 rd[64] = { 0 }, meas[GKV_MEAS_SIZE], *out;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	size_t n, len;
	int e, rc = GKV_EXIT_USAGE;

	if (!o->key || !o->cert || !o->report_data || !o->measurement || !o->out)
		return usage("sim-evidence needs --key, --cert, --report-data, --measurement and -o", NULL);
	if (gk_unhex_upto(o->report_data, rd, sizeof(rd), &n))
		return usage("--report-data: up to 64 bytes of hex (zero-padded)", NULL);
	if (gk_unhex(o->measurement, meas, sizeof(meas)))
		return usage("--measurement: exactly 48 bytes of hex", NULL);
	if (gk_load_key(o->key, &key) || gk_load_cert(o->cert, &cert))
		goto out;
	/* gk_sim_make() refuses a key that does not match the cert: no
	 * appraisal with that cert could accept the evidence. */
	e = gk_sim_make(key, cert, rd, meas, o->debug ? GK_SIM_FLAG_DEBUG : 0,
			 &out, &len);
	if (e == -EKEYREJECTED) {
		fprintf(stderr, "gk-verify: --key does not match --cert\n");
		goto out;
	}
	rc = GKV_EXIT_INTERNAL;
	if (!e) {
		e = gk_write_file(o->out, out, len);
		free(out);
	}
	if (e)
		fprintf(stderr, "gk-verify: sim-evidence: %s\n", strerror(-e));
	else
		rc = 0;
out:
	EVP_PKEY_free(key);
	X509_free(cert);
	return rc;
}

static int cmd_check_result(const struct opts *o)
{
	struct gkv_verdict v;
	struct common cm;
	X509 *cert = NULL;
	u8 *buf = NULL;
	size_t len;
	int rc;

	if (!o->in || !o->cert)
		return usage("check-result needs --in and --cert", NULL);
	if (o->result_out || o->ref || o->repeat)
		return usage("check-result takes --in, --cert, --nonce, --time, --json", NULL);
	rc = common_setup(o, &cm);
	if (!rc)
		rc = read_input("result", o->in, &buf, &len);
	if (!rc && gk_load_cert(o->cert, &cert))
		rc = GKV_EXIT_USAGE;
	if (!rc) {
		gkv_verdict_init(&v, "result", cm.now);
		gkv_result_check(buf, len, cert, cm.have_nonce ? cm.nonce : NULL,
				 cm.now, &v);
		if (gkv_verdict_print(&v, o->json, stdout, NULL))
			gkv_internal(&v, -EIO, "internal error: cannot write the verdict");
		rc = gkv_exit_code(&v);
		gkv_verdict_free(&v);
	}
	X509_free(cert);
	free(buf);
	common_free(&cm);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	int rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc;
	if (!strcmp(o.cmd, "tdx"))
		return cmd_tdx(&o);
	if (!strcmp(o.cmd, "snp"))
		return cmd_snp(&o);
	if (!strcmp(o.cmd, "sim"))
		return cmd_sim(&o);
	if (!strcmp(o.cmd, "sim-evidence"))
		return cmd_sim_evidence(&o);
	if (!strcmp(o.cmd, "check-result"))
		return cmd_check_result(&o);
	return usage("unknown command %s", o.cmd);
}
