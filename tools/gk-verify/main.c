// SPDX-License-Identifier: GPL-2.0
/*
 * gk-verify: command line.  Exit 0 only when the evidence is accepted (or
 * sim-evidence written), 1 when it is rejected or anything else fails, 2
 * for a usage error; the verdict goes to stdout, plain or (--json) as one
 * JSON object on a line, and errors to stderr or (--json) stdout, as in
 * every tool (lib/cli.c, lib/output.c).
 */
#define _GNU_SOURCE
#include <stddef.h>
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
"  --chain CERTS          the ARK and the ASK (or ASVK) certificates, PEM, in any order;\n"
"                         the other of ASK and ASVK may be there too\n"
"sim:\n"
"  --evidence EVIDENCE    the sim evidence\n"
"  --cert CERT            the sim TEE's certificate, trusted as is\n"
"COMMON (tdx, snp, sim):\n"
"  --ref FILE             reference values (docs/verifier.md)\n"
"  --time T               evaluate at T: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (default: now)\n"
"  --nonce HEX            32 bytes; REPORTDATA[0..31] must be SHA-256(\"GK-ATTEST-V1\" || nonce),\n"
"                         or 1-64 bytes bound as the reference values' nonce_binding says\n"
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
"  --nonce HEX            the nonce the result must carry, 32 bytes\n"
"  --time T               as above\n"
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
	struct gkv_nonce nonce;
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
		if (gk_unhex_upto(o->nonce, cm->nonce.bytes, GKV_NONCE_MAX, &cm->nonce.len) ||
		    !cm->nonce.len)
			return gk_usage_err(cmd, "--nonce %s: want hex, 1 to %d bytes", o->nonce, GKV_NONCE_MAX);
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
	/* The gate issues 32-byte nonces; other agents' bindings take others. */
	if (cm->have_nonce && cm->nonce.len != GK_ATTEST_NONCE_SIZE &&
	    (o->result_out || !cm->ref.binding_md))
		return gk_usage_err(cmd, "--nonce %s: want 64 hex digits (32 bytes) for %s", o->nonce,
				    o->result_out ? "an attestation result" : "the gate's nonce binding");
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

/* Print the verdict; Return: the exit code it makes. */
static int verdict_out(struct gkv_verdict *v, json_t *extra)
{
	if (gkv_verdict_print(v, extra))
		gkv_internal(v, -EIO, "internal error: cannot write the verdict");
	return gkv_accepted(v) && !fflush(stdout) ? GK_EXIT_OK : GK_EXIT_FAIL;
}

/* What a TEE appraises evidence against, loaded once for every --repeat. */
union tee_ctx {
	struct gkv_tdx_collateral tdx;
	struct gkv_snp_certs snp;
	X509 *sim;
};

/*
 * One TEE: all that tdx, snp and sim differ in.  The rest (the common
 * options, reading the evidence, --repeat, the result) is cmd_tee()'s.
 */
struct tee {
	const char *name;		/* the command, and the verdict's "tee" */
	u32 code;			/* GK_TEE_* of the attestation result */
	/* The TEE's own options, all required; the first names the evidence. */
	struct {
		const char *name;
		size_t field;		/* offsetof(struct gkv_opts, ...) */
	} opts[4];
	const char *missing;		/* the usage error without them */
	/* Return: 0, or the exit code (reported).  Findings go in the verdicts. */
	int (*load)(union tee_ctx *c, const struct gkv_opts *o, const struct common *cm);
	void (*free)(union tee_ctx *c);
	int (*appraise)(const union tee_ctx *c, const struct gkv_ref *ref, const struct gkv_nonce *nonce,
			const u8 *ev, size_t len, struct gkv_verdict *v);
};

#define TEE_OPT(name, field) { name, offsetof(struct gkv_opts, field) }

/* --repeat: appraise again, check each verdict agrees, time them. */
static void bench(const struct tee *t, const union tee_ctx *c, const struct common *cm,
		  const u8 *ev, size_t len, double load_us, struct gkv_verdict *v,
		  json_t *extra)
{
	const struct gkv_nonce *nonce = cm->have_nonce ? &cm->nonce : NULL;
	double t0 = mono_us(), mean;
	unsigned long i;

	for (i = 0; i < cm->repeat; i++) {
		struct gkv_verdict r;

		gkv_verdict_init(&r, t->name, cm->now);
		t->appraise(c, &cm->ref, nonce, ev, len, &r);
		/* Every run must reach the same verdict. */
		if (gkv_accepted(&r) != gkv_accepted(v))
			gkv_internal(v, -EIO, "internal error: repeated appraisal disagreed");
		gkv_verdict_free(&r);
	}
	mean = (mono_us() - t0) / (double)cm->repeat;
	json_object_set_new(extra, "bench", json_pack("{s:I, s:f, s:f}",
		"runs", (json_int_t)cm->repeat, "mean_us", mean,
		"collateral_load_us", load_us));
	fprintf(stderr, "bench: %s: %lu appraisals, mean %.1f us each (collateral loaded once in %.1f us)\n",
		t->name, cm->repeat, mean, load_us);
}

/* On accept, --result-out: sign an attestation result and write it. */
static void result_out(const struct tee *t, const char *path, const struct common *cm,
		       struct gkv_verdict *v, json_t *extra)
{
	struct gk_attest_result res;
	size_t env_len;
	u8 *env;
	int e;

	e = gkv_result_build(v, t->code, cm->nonce.bytes, cm->validity, cm->sign_cert, &res);
	if (!e)
		e = gkv_result_sign(&res, cm->sign_cert, cm->sign_key, &env, &env_len);
	if (!e) {
		e = gk_write_file(path, env, env_len);
		free(env);
	}
	if (e)
		gkv_internal(v, e, "internal error: cannot write the attestation result: %s",
			     strerror(-e));
	else
		json_object_set_new(extra, "result_out", json_string(path));
}

static int run(const struct tee *t, const union tee_ctx *c, const struct gkv_opts *o,
	       const struct common *cm, const u8 *ev, size_t len, double load_us)
{
	struct gkv_verdict v;
	json_t *extra = json_object();
	int rc;

	gkv_verdict_init(&v, t->name, cm->now);
	t->appraise(c, &cm->ref, cm->have_nonce ? &cm->nonce : NULL, ev, len, &v);
	if (cm->repeat)
		bench(t, c, cm, ev, len, load_us, &v, extra);
	if (gkv_accepted(&v) && o->result_out)
		result_out(t, o->result_out, cm, &v, extra);
	rc = verdict_out(&v, json_object_size(extra) ? extra : NULL);
	json_decref(extra);
	gkv_verdict_free(&v);
	return rc;
}

static int tdx_load(union tee_ctx *c, const struct gkv_opts *o, const struct common *cm)
{
	gkv_tdx_collateral_load(&c->tdx, o->collateral, o->root, &cm->ref, cm->now);
	return 0;
}

static void tdx_free(union tee_ctx *c)
{
	gkv_tdx_collateral_free(&c->tdx);
}

static int tdx_appraise(const union tee_ctx *c, const struct gkv_ref *ref, const struct gkv_nonce *nonce,
			const u8 *ev, size_t len, struct gkv_verdict *v)
{
	return gkv_tdx_appraise(&c->tdx, ref, nonce, ev, len, v);
}

static int snp_load(union tee_ctx *c, const struct gkv_opts *o, const struct common *cm)
{
	gkv_snp_certs_load(&c->snp, o->vcek, o->chain, cm->now);
	return 0;
}

static void snp_free(union tee_ctx *c)
{
	gkv_snp_certs_free(&c->snp);
}

static int snp_appraise(const union tee_ctx *c, const struct gkv_ref *ref, const struct gkv_nonce *nonce,
			const u8 *ev, size_t len, struct gkv_verdict *v)
{
	return gkv_snp_appraise(&c->snp, ref, nonce, ev, len, v);
}

static int sim_load(union tee_ctx *c, const struct gkv_opts *o, const struct common *cm)
{
	(void)cm;
	c->sim = NULL;
	return gk_load_cert(o->cert, &c->sim) ? GK_EXIT_FAIL : 0;
}

static void sim_free(union tee_ctx *c)
{
	X509_free(c->sim);
}

static int sim_appraise(const union tee_ctx *c, const struct gkv_ref *ref, const struct gkv_nonce *nonce,
			const u8 *ev, size_t len, struct gkv_verdict *v)
{
	return gkv_sim_appraise(c->sim, ref, nonce, ev, len, v);
}

static const struct tee tees[] = {
	{
		.name = "tdx", .code = GK_TEE_TDX,
		.opts = { TEE_OPT("quote", quote), TEE_OPT("collateral", collateral),
			  TEE_OPT("root", root) },
		.missing = "tdx needs --quote, --collateral and --root",
		.load = tdx_load, .free = tdx_free, .appraise = tdx_appraise,
	}, {
		.name = "snp", .code = GK_TEE_SNP,
		.opts = { TEE_OPT("report", report), TEE_OPT("vcek", vcek),
			  TEE_OPT("vlek", vcek), TEE_OPT("chain", chain) },
		.missing = "snp needs --report, --vcek (or --vlek) and --chain",
		.load = snp_load, .free = snp_free, .appraise = snp_appraise,
	}, {
		.name = "sim", .code = GK_TEE_SIM,
		.opts = { TEE_OPT("evidence", evidence), TEE_OPT("cert", cert) },
		.missing = "sim needs --evidence and --cert",
		.load = sim_load, .free = sim_free, .appraise = sim_appraise,
	},
};

#define TEE_NOPTS(t) (sizeof((t)->opts) / sizeof((t)->opts[0]))

static const char **tee_opt(const struct tee *t, struct gkv_opts *o, size_t i)
{
	return (const char **)((char *)o + t->opts[i].field);
}

/* The TEE's options, then the common ones: @opts ends with an empty entry. */
static void tee_opts(const struct tee *t, struct gkv_opts *o, struct gk_opt *opts)
{
	const struct gk_opt common[] = {
		{ "ref", 0, &o->ref, NULL },
		{ "time", 0, &o->time, NULL },
		{ "nonce", 0, &o->nonce, NULL },
		{ "result-out", 0, &o->result_out, NULL },
		{ "sign-key", 0, &o->sign_key, NULL },
		{ "sign-cert", 0, &o->sign_cert, NULL },
		{ "validity", 0, &o->validity, NULL },
		{ "repeat", 0, &o->repeat, NULL },
	};
	size_t i, n = 0;

	for (i = 0; i < TEE_NOPTS(t) && t->opts[i].name; i++)
		opts[n++] = (struct gk_opt){ t->opts[i].name, 0, tee_opt(t, o, i), NULL };
	memcpy(opts + n, common, sizeof(common));
	opts[n + sizeof(common) / sizeof(common[0])] = (struct gk_opt){ NULL, 0, NULL, NULL };
}

/* gk-verify tdx|snp|sim: @argv[0] names the TEE. */
static int cmd_tee(int argc, char **argv)
{
	const struct tee *t = tees;
	struct gk_opt opts[TEE_NOPTS(t) + 9];
	struct gkv_opts o = { NULL };
	union tee_ctx c;
	struct common cm;
	char cmd[32];
	double t0;
	size_t len, i;
	u8 *ev;
	int rc;

	while (strcmp(t->name, argv[0]))
		t++;
	snprintf(cmd, sizeof(cmd), "gk-verify %s", t->name);
	tee_opts(t, &o, opts);
	rc = gk_opts(argc, argv, cmd, gkv_help, opts, 0, 0);
	if (rc >= 0)
		return rc;
	for (i = 0; i < TEE_NOPTS(t) && t->opts[i].name; i++)
		if (!*tee_opt(t, &o, i))
			return gk_usage_err(cmd, "%s", t->missing);
	rc = setup(&o, cmd, &cm, *tee_opt(t, &o, 0), &ev, &len);
	if (rc)
		return rc;
	t0 = mono_us();
	rc = t->load(&c, &o, &cm);
	if (!rc)
		rc = run(t, &c, &o, &cm, ev, len, mono_us() - t0);
	t->free(&c);
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
		gkv_result_check(buf, len, cert, cm.have_nonce ? cm.nonce.bytes : NULL,
				 cm.now, &v);
		rc = verdict_out(&v, NULL);
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
		{ "tdx", cmd_tee },
		{ "snp", cmd_tee },
		{ "sim", cmd_tee },
		{ "sim-evidence", cmd_sim_evidence },
		{ "check-result", cmd_check_result },
		{ NULL, NULL },
	};

	return gk_main(argc, argv, cmds, gkv_help, false);
}
